/*
 * api.h: the read-only public data API under /api/v1/, as JSON.
 *
 * Every answer is cacheable and carries counts only: never a signer's or
 * supporter's personal data.  Errors are JSON objects
 * {"error": {"code": "not_found", "message": "..."}}.
 */
#ifndef PETITIOND_API_H
#define PETITIOND_API_H

struct err;
struct request;

int api_petition(struct request *req, struct err *e);       /* GET /api/v1/petitions/e-2829 */
int api_petition_count(struct request *req, struct err *e); /* GET /api/v1/petitions/e-2829/count */

/* Lists, read-only, no sign-in; query parameters as site/list_query.h says
 * (an index takes none: any is a 400). */
int api_petitions(struct request *req, struct err *e);   /* GET /api/v1/petitions */
int api_subjects(struct request *req, struct err *e);    /* GET /api/v1/subjects */
int api_keywords(struct request *req, struct err *e);    /* GET /api/v1/keywords */
int api_members(struct request *req, struct err *e);     /* GET /api/v1/members */
int api_parliaments(struct request *req, struct err *e); /* GET /api/v1/parliaments */
/* The OpenAPI 3.1 description of all of it (data/api/openapi.json). */
int api_openapi(struct request *req, struct err *e);     /* GET /api/v1/openapi.json */

/* Answer req with the JSON error for e. */
void api_error(struct request *req, const struct err *e);

#endif
