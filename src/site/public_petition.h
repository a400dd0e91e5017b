/*
 * public_petition.h: a petition as the public site names it, shared by
 * the pages (src/web) and the API and feeds (src/api): found by the
 * number in a URL, its number as text, the path of its page, and the
 * checkpoint of its public log that its certified count stands on.
 *
 * Strings come from req->arena; nothing here writes.
 */
#ifndef PETITIOND_PUBLIC_PETITION_H
#define PETITIOND_PUBLIC_PETITION_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
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

/*
 * The checkpoint of an e-petition's public log that its certified count
 * stands on (issue 18, docs/verifying.md): the log's size when the Clerk
 * certified it, and, once the checkpoint at that size is signed (within
 * about a second), its root and the count its entries attest.
 */
struct public_certified_log {
    bool certified;         /* the log records a size at certification */
    bool checkpoint_signed; /* the checkpoint at that size is signed */
    int64_t size;
    int64_t count;        /* the count it attests (when checkpoint_signed) */
    const char *root;     /* base64 (when checkpoint_signed) */
    const char *root_hex; /* the same in lowercase hex, for the CSV */
    const char *path;     /* "/log/2829/checkpoint" */
};

/* p's (in a): out->certified false for a petition not certified, or
 * certified without a log (before logs existed, or --no-public-log). */
int public_petition_certified_log(struct request *req, struct arena *a, const struct petition *p,
                                  struct public_certified_log *out, struct err *e);

#endif
