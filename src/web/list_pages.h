/*
 * list_pages.h: the list of petitions (/{lang}/petitions): filters, search,
 * order and pages, read as the data API reads them but forgiving blank
 * fields (site/list_query.h), with the same list as open data.
 */
#ifndef PETITIOND_LIST_PAGES_H
#define PETITIOND_LIST_PAGES_H

struct err;
struct request;

int page_petitions(struct request *req, struct err *e); /* GET /en/petitions */

#endif
