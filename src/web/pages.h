/*
 * pages.h: the public HTML pages, in English under /en/ and French under
 * /fr/.  Handlers for the route table (routes.h); each renders a template
 * of templates/ with the site's catalogue in req->lang.
 */
#ifndef PETITIOND_PAGES_H
#define PETITIOND_PAGES_H

struct err;
struct request;

int page_choose_language(struct request *req, struct err *e); /* GET / */
int page_home(struct request *req, struct err *e);            /* GET /en */
int page_petitions(struct request *req, struct err *e);       /* GET /en/petitions */
int page_petition(struct request *req, struct err *e);        /* GET /en/petitions/e-2829 */
int page_keywords(struct request *req, struct err *e);        /* GET /en/keywords */
int page_keyword(struct request *req, struct err *e);         /* GET /en/keywords/belarus */
int page_static(struct request *req, struct err *e);          /* GET /static/style.css */
int page_healthz(struct request *req, struct err *e);         /* GET /healthz */

#endif
