/*
 * house_pages.h: the workspaces of what follows certification:
 * presentation (the Clerk's and a Member's), paper petitions, the
 * responders' government responses, and the public list of overdue
 * responses.  Handlers for the route table.
 */
#ifndef PETITIOND_HOUSE_PAGES_H
#define PETITIOND_HOUSE_PAGES_H

#include <jansson.h>

struct err;
struct request;

int page_clerk_house(struct request *req, struct err *e);          /* GET /en/clerk/house */
int page_clerk_house_petition(struct request *req, struct err *e); /* GET, POST .../house/NUMBER */
int page_clerk_paper(struct request *req, struct err *e);          /* GET, POST /en/clerk/paper */
int page_member_present(struct request *req, struct err *e);       /* GET, POST .../present/N */
int page_responder_home(struct request *req, struct err *e);       /* GET /en/responder */
int page_responder_petition(struct request *req, struct err *e);   /* GET, POST .../petitions/N */
int page_overdue(struct request *req, struct err *e);              /* GET /en/petitions/overdue */

/* Certified petitions any Member may present (rows for the Member's home,
 * staff_pages.c); an empty array when the store fails. */
json_t *house_pages_member_certified(struct request *req, struct err *e);

#endif
