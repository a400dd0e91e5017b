/*
 * public_petition.h: a petition as the public site names it, shared by
 * the pages (src/web) and the API and feeds (src/api): found by the
 * number in a URL, its number as text, the path of its page.
 *
 * Strings come from req->arena; nothing here writes.
 */
#ifndef PETITIOND_PUBLIC_PETITION_H
#define PETITIOND_PUBLIC_PETITION_H

struct err;
struct petition;
struct request;

/* A published petition by the number in a URL ("e-2829", "432-00158"):
 * ERR_INVALID for a malformed number, ERR_NOT_FOUND when unknown or not
 * public, ERR_GONE when removed. */
int public_petition_load(struct request *req, const char *arg, struct petition *p, struct err *e);

/* "e-2829", or "441-01211" for a paper petition (its only number). */
const char *public_petition_number(struct request *req, const struct petition *p);

/* "/en/petitions/e-2829", in the request's language. */
const char *public_petition_path(struct request *req, const struct petition *p);

#endif
