/*
 * staff_pages.h: the workspaces before publication: Members (authorize
 * publication), the Clerk of Petitions (review and translation) and the
 * administrator's home.  Handlers for the route table; each checks its
 * role first.
 */
#ifndef PETITIOND_STAFF_PAGES_H
#define PETITIOND_STAFF_PAGES_H

struct err;
struct request;

int page_member_home(struct request *req, struct err *e);     /* GET /en/member */
int page_member_petition(struct request *req, struct err *e); /* GET, POST .../petitions/ID */
int page_clerk_home(struct request *req, struct err *e);      /* GET /en/clerk */
int page_clerk_petition(struct request *req, struct err *e);  /* GET, POST .../petitions/ID */
int page_admin_home(struct request *req, struct err *e);      /* GET, POST /en/admin */

#endif
