/*
 * filed_under.h: what a keyword's and a subject's pages share: the
 * petitions filed under one, newest first, page by page, with their
 * number and the number with a government response; then the responses
 * themselves, the link to the list page with the same filter, and the
 * same list as open data.
 */
#ifndef PETITIOND_FILED_UNDER_H
#define PETITIOND_FILED_UNDER_H

#include <jansson.h>

struct err;
struct petition_query;
struct request;

/*
 * Page `page` of the petitions of q (its filter set by the caller,
 * filter=value in the list page's and the API's terms), their counts, the
 * responses section and the downloads, set on a new context titled
 * title; base is the page's own URL, for pagination.  The answer may be
 * cached for as long as the counts it shows allow.  0 with *out, or the
 * store's error.
 */
int filed_under_page(struct request *req, struct petition_query *q, long long page,
                     const char *filter, const char *value, const char *title, const char *base,
                     json_t **out, struct err *e);

/* The ?page= of a keyword's or subject's page, 1 when absent;
 * ERR_INVALID "error.bad_page" when out of range. */
int filed_under_read_page(struct request *req, long long *page, struct err *e);

#endif
