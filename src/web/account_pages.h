/*
 * account_pages.h: the signed-in side of the site.  Handlers for the
 * route table (routes.c); every page here is private (no-store) and
 * every form checks its CSRF token first.
 */
#ifndef PETITIOND_ACCOUNT_PAGES_H
#define PETITIOND_ACCOUNT_PAGES_H

#include <jansson.h>

struct err;
struct request;

/* account_pages.c: accounts */
int page_register(struct request *req, struct err *e);   /* GET, POST /en/register */
int page_activate(struct request *req, struct err *e);   /* GET /en/account/activate?u&x&t */
int page_sign_in(struct request *req, struct err *e);    /* GET, POST /en/sign-in */
int page_sign_out(struct request *req, struct err *e);   /* POST /en/sign-out */
int page_forgot(struct request *req, struct err *e);     /* GET, POST /en/password/forgot */
int page_reset(struct request *req, struct err *e);      /* GET, POST /en/password/reset */

/* draft_pages.c: the petitioner's petition, and supporters */
int page_account(struct request *req, struct err *e);          /* GET /en/account */
int page_draft(struct request *req, struct err *e);            /* GET, POST /en/account/petition */
int page_draft_supporters(struct request *req, struct err *e); /* POST .../petition/supporters */
int page_draft_member(struct request *req, struct err *e);     /* POST .../petition/member */
int page_draft_submit(struct request *req, struct err *e);     /* POST .../petition/submit */
int page_draft_withdraw(struct request *req, struct err *e);   /* POST .../petition/withdraw */
int page_support(struct request *req, struct err *e);          /* GET, POST /en/support/ID */
int page_not_accepted(struct request *req, struct err *e);     /* GET /en/petitions/not-accepted */

/* staff_pages.c: the workspaces */
int page_member_home(struct request *req, struct err *e);      /* GET /en/member */
int page_member_petition(struct request *req, struct err *e);  /* GET, POST /en/member/petitions/ID */
int page_clerk_home(struct request *req, struct err *e);       /* GET /en/clerk */
int page_clerk_petition(struct request *req, struct err *e);   /* GET, POST /en/clerk/petitions/ID */
int page_responder_home(struct request *req, struct err *e);   /* GET /en/responder */
int page_admin_home(struct request *req, struct err *e);       /* GET, POST /en/admin */
/* house_pages.c: after certification, Parliament's calendar, the audit log. */
int page_clerk_house(struct request *req, struct err *e);          /* GET /en/clerk/house */
int page_clerk_house_petition(struct request *req, struct err *e); /* GET, POST .../house/NUMBER */
int page_clerk_calendar(struct request *req, struct err *e);       /* GET, POST /en/clerk/calendar */
int page_clerk_paper(struct request *req, struct err *e);          /* GET, POST /en/clerk/paper */
int page_member_present(struct request *req, struct err *e);       /* GET, POST /en/member/present/N */
int page_responder_petition(struct request *req, struct err *e);   /* GET, POST .../petitions/N */
int page_admin_parliament(struct request *req, struct err *e);     /* GET, POST /en/admin/parliament */
int page_admin_audit(struct request *req, struct err *e);          /* GET /en/admin/audit */
int page_admin_remove(struct request *req, struct err *e);         /* GET, POST /en/admin/remove */
int page_overdue(struct request *req, struct err *e);              /* GET /en/petitions/overdue */
/* Certified petitions any Member may present (rows for the Member's home). */
json_t *house_member_certified(struct request *req, struct err *e);

/* clerk_signing_pages.c: signatures, the lists and certification */
int page_clerk_signatures(struct request *req, struct err *e);  /* GET /en/clerk/signatures */
int page_clerk_signature_petition(struct request *req,
                                  struct err *e);               /* GET, POST .../signatures/e-N */
int page_clerk_rules(struct request *req, struct err *e);       /* GET, POST /en/clerk/signing-rules */

/* dev_pages.c: development only */
int page_dev_mail(struct request *req, struct err *e);         /* GET /dev/mail */
int page_dev_mail_one(struct request *req, struct err *e);     /* GET /dev/mail/NAME */

#endif
