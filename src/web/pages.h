/*
 * pages.h: the public HTML pages, in English under /en/ and French under
 * /fr/.  Handlers for the route table (routes.h); each renders a template
 * of templates/ with the site's catalogue in req->lang.
 */
#ifndef PETITIOND_PAGES_H
#define PETITIOND_PAGES_H

#include <jansson.h>

#include "core/fields.h"

struct err;
struct petition;
struct request;

int page_choose_language(struct request *req, struct err *e); /* GET / */
int page_home(struct request *req, struct err *e);            /* GET /en */
int page_petitions(struct request *req, struct err *e);       /* GET /en/petitions */
int page_petition(struct request *req, struct err *e);        /* GET /en/petitions/e-2829 */
int page_keywords(struct request *req, struct err *e);        /* GET /en/keywords */
int page_keyword(struct request *req, struct err *e);         /* GET /en/keywords/belarus */
int page_subjects(struct request *req, struct err *e);        /* GET /en/subjects */
int page_subject(struct request *req, struct err *e);  /* GET /en/subjects/foreign-affairs */
int page_static(struct request *req, struct err *e);          /* GET /static/style.css */
int page_healthz(struct request *req, struct err *e);         /* GET /healthz */

/* sign_pages.c: signing */
int page_sign(struct request *req, struct err *e);             /* POST /en/petitions/e-N/sign */
int page_sign_check_email(struct request *req, struct err *e); /* GET .../e-N/check-email */
int page_signature(struct request *req, struct err *e);        /* GET, POST /en/signatures/ID */
int page_certificate(struct request *req, struct err *e);      /* GET .../e-N/certificate */

/* A published petition by the number in a URL ("e-2829", "432-00158"):
 * ERR_INVALID for a malformed number, ERR_NOT_FOUND when unknown or not
 * public, ERR_GONE when removed. */
int petition_load(struct request *req, const char *arg, struct petition *p, struct err *e);
/* "e-2829", or "441-01211" for a paper petition (arena). */
const char *petition_number_text(struct request *req, const struct petition *p);
/* "/en/petitions/e-2829". */
const char *petition_path(struct request *req, const struct petition *p);
/* The petition's page with status; while it takes signatures, with the
 * sign form showing fe's errors and the submitted values (sign_pages.c). */
int petition_render(struct request *req, const struct petition *p, int status,
                    const struct field_errors *fe, struct err *e);

/* sign_pages.c: the sign form of a petition page, for its template. */
json_t *sign_form(struct request *req, const struct petition *p, const struct field_errors *fe);

#endif
