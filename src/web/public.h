/*
 * public.h: what the public pages share (handlers in home_pages.c,
 * list_pages.c, petition_pages.c, keyword_pages.c and subject_pages.c,
 * through filed_under.c).
 *
 * Each public page reads what it needs from the store (never a COUNT(*)
 * of signatures: counts are stored with the petition), turns the records
 * into a jansson context of plain strings, and renders a template, which
 * escapes every value.  Texts shown are chosen by req->lang; dates are
 * formatted the House's way by the core.  Strings here come from
 * req->arena.
 */
#ifndef PETITIOND_PUBLIC_H
#define PETITIOND_PUBLIC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct member;
struct petition;
struct petition_list;
struct request;

/* The message of a catalogue key in the request's language. */
const char *pub_msg(struct request *req, const char *key);

/* "1,234" in English, "1 234" (no-break space) in French. */
const char *pub_count(struct request *req, int64_t n);

/* A time in Eastern time the House's way, in the page's language: with
 * the time of day, the date alone, or the date as ISO 8601 ("2024-05-17"). */
const char *pub_datetime(struct request *req, int64_t t);
const char *pub_date(struct request *req, int64_t t);
const char *pub_iso_date(struct request *req, int64_t t);

/* "/en/keywords/belarus", "/en/subjects/foreign-affairs" (percent-encoded). */
const char *pub_keyword_url(struct request *req, const char *slug);
const char *pub_subject_url(struct request *req, const char *code);

/* "e-2829 (Foreign affairs)", the House's title of a petition page. */
const char *pub_title(struct request *req, const struct petition *p);

/* "Hon. Arya Sharma": a Member's name with the honorific, if any. */
const char *pub_member_name(struct request *req, const struct member *m);

/* "Petition to the Government of Canada" and its kin. */
const char *pub_addressee(struct request *req, const struct petition *p);

/* Text split into its non-empty lines (or, with paragraphs, its
 * paragraphs, at blank lines), as a JSON array of strings. */
json_t *pub_lines(const char *text, bool paragraphs);

/*
 * The checkpoint of p's public log that its certified count stands on,
 * for the certified_log partial (site/public_petition.h): *out is NULL
 * when p has none to name, else {size, path (the checkpoint's URL),
 * verify (the page that checks it), and root (base64) once it is
 * signed}.  Used by the certificate and the petition's page.
 */
int pub_certified_log(struct request *req, const struct petition *p, json_t **out, struct err *e);

/* Whether p takes signatures now, by the site's clock. */
bool pub_is_open(struct request *req, const struct petition *p);

/* How long others may cache a list (site.h): a few seconds when one of
 * its petitions has counts that move, else as the rest of the record. */
int pub_max_age(struct request *req, const struct petition_list *list);

/* "keyword=belarus&status=open": the n names with their values that are
 * set and not empty, percent-encoded; "" when none is. */
const char *pub_query_string(struct request *req, const char *const names[],
                             const char *const values[], size_t n);

/* The same for the filters of the list page (/{lang}/petitions) as the
 * visitor gave them, without page. */
const char *pub_list_query_string(struct request *req);

/* The "Download this list" block (templates/downloads.html): the API's
 * list and its CSV and XML exports with the list's filters (qs, from
 * pub_query_string(): the API takes the page's names and values), set as
 * "downloads" on ctx. */
void pub_downloads(json_t *ctx, struct request *req, const char *qs);

/* Set "petitions" (the rows) and "has_petitions" on o, for the
 * petition_list template; returns o. */
json_t *pub_petitions(json_t *o, struct request *req, const struct petition_list *list);

/* The pagination of a list under base ("/en/petitions"): page of the
 * pages that total petitions make, with links to the previous and next
 * pages keeping the list's filters. */
json_t *pub_pagination(struct request *req, const char *base, long long page, int64_t total);

#endif
