/*
 * keyword_pages.h: the keywords the House files petitions under: the
 * index (/{lang}/keywords, those with public petitions) and a keyword's
 * page (/{lang}/keywords/belarus, filed_under.h), which offers its feed.
 */
#ifndef PETITIOND_KEYWORD_PAGES_H
#define PETITIOND_KEYWORD_PAGES_H

struct err;
struct request;

int page_keywords(struct request *req, struct err *e); /* GET /en/keywords */
int page_keyword(struct request *req, struct err *e);  /* GET /en/keywords/belarus */

#endif
