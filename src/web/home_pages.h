/*
 * home_pages.h: the first pages a visitor sees: the choice of language at
 * / (both languages, the browser's first) and the home page of each
 * language, with the newest open petitions and responses, the counts by
 * state, this week's signatures and the process in four sentences.
 * Handlers for the route table.
 */
#ifndef PETITIOND_HOME_PAGES_H
#define PETITIOND_HOME_PAGES_H

struct err;
struct request;

int page_choose_language(struct request *req, struct err *e); /* GET / */
int page_home(struct request *req, struct err *e);            /* GET /en */

#endif
