/*
 * list_query.h: the filters, order and page of a list of petitions, read
 * from a query string: strictly for the data API and the exports
 * (src/api), forgivingly for the site's list page (src/web).
 *
 * Unlike the public list page (which forgives), the API refuses what it
 * does not understand: an unknown or repeated parameter, a value out of
 * range, a subject, keyword or Member that does not exist is an
 * ERR_INVALID naming the parameter (e->field), answered as a JSON 400.
 *
 * Parameters (all optional):
 *   status      a public state's slug ("open", "response-tabled", ...)
 *   type        "electronic" or "paper"
 *   subject     a subject's code ("foreign-affairs")
 *   keyword     a keyword's slug ("belarus")
 *   member      the key of the Member who authorized it ("arya")
 *   parliament  a Parliament's number, 1 to 99 ("44")
 *   session     a session as PARLIAMENT-SESSION ("44-1")
 *   q           words to search for, at most 200 characters
 *   responded   "true" or "false": with a tabled government response only
 *   sort        recent, oldest, most-signatures, fewest-signatures, relevance
 *   page        1 to 10,000 (paged lists only)
 *   per_page    1 to LIST_MAX_PER_PAGE, default LIST_PER_PAGE (paged lists only)
 *   lang        "en" or "fr": the language of the XML exports' texts (those only)
 */
#ifndef PETITIOND_LIST_QUERY_H
#define PETITIOND_LIST_QUERY_H

#include <stdbool.h>

#include "core/lang.h"
#include "store/store.h"

struct err;
struct request;

enum { LIST_PER_PAGE = 20, LIST_MAX_PER_PAGE = 100, LIST_MAX_PAGE = 10000 };

struct list_query {
    struct petition_query q; /* limit and offset set for the page */
    long long page;
    int per_page;
};

/* Read the list's parameters from req's query string; paged says whether
 * page and per_page are accepted (the exports take every match).  Public
 * petitions only.  Returns 0, or ERR_INVALID (e->field the parameter,
 * e->key the message) or ERR_STORE. */
int list_query_read(struct request *req, bool paged, struct list_query *out, struct err *e);

/* The same, paged, for the site's list page (/{lang}/petitions), whose
 * form sends every field: an empty value means any, and a parameter it
 * does not know is ignored (a link may carry a campaign's tag), and so is
 * per_page (pages of LIST_PER_PAGE, the page's size).  A bad
 * value is still ERR_INVALID, shown as the page's 400. */
int list_query_read_forgiving(struct request *req, struct list_query *out, struct err *e);

/* The same for an export (GET /api/v1/petitions.csv, .xml): every match,
 * so page and per_page are refused; with lang non-NULL the parameter
 * "lang" is accepted too, the language of the texts of the XML exports
 * ("en" or "fr", default en), read into *lang.  Returns as
 * list_query_read(), or ERR_INVALID "error.bad_lang" for another lang. */
int list_query_read_export(struct request *req, struct list_query *out, enum lang *lang,
                           struct err *e);

/* Read "lang" alone (a petition's XML export takes no other parameter)
 * into *lang, as list_query_read_export() does. */
int list_query_read_lang(struct request *req, enum lang *lang, struct err *e);

/* The path and query of page `page` of the same list under path (the
 * same parameters, in a fixed order), from req->arena; page 0 = the
 * filters alone, without page or per_page (the exports' links). */
const char *list_query_url(struct request *req, const char *path, const struct list_query *l,
                           long long page);

#endif
