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

/* Answer req with the JSON error for e. */
void api_error(struct request *req, const struct err *e);

#endif
