/*
 * draft_pages.h: the petitioner's side: the account page, the drafting
 * form, the petitioner's actions (supporters, the next Member, submit,
 * withdraw), the supporters' confirmation page and the public list of
 * petitions not accepted.  Handlers for the route table.
 */
#ifndef PETITIOND_DRAFT_PAGES_H
#define PETITIOND_DRAFT_PAGES_H

struct err;
struct request;

int page_account(struct request *req, struct err *e);          /* GET /en/account */
int page_draft(struct request *req, struct err *e);            /* GET, POST /en/account/petition */
int page_draft_supporters(struct request *req, struct err *e); /* POST .../petition/supporters */
int page_draft_member(struct request *req, struct err *e);     /* POST .../petition/member */
int page_draft_submit(struct request *req, struct err *e);     /* POST .../petition/submit */
int page_draft_withdraw(struct request *req, struct err *e);   /* POST .../petition/withdraw */
int page_support(struct request *req, struct err *e);          /* GET, POST /en/support/ID */
int page_not_accepted(struct request *req, struct err *e);     /* GET /en/petitions/not-accepted */

#endif
