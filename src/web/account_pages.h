/*
 * account_pages.h: accounts: registering, activating, signing in and out,
 * and resetting a password.  Handlers for the route table (routes.c);
 * every page here is private (no-store) and every form checks its CSRF
 * token first.
 */
#ifndef PETITIOND_ACCOUNT_PAGES_H
#define PETITIOND_ACCOUNT_PAGES_H

struct err;
struct request;

int page_register(struct request *req, struct err *e); /* GET, POST /en/register */
int page_activate(struct request *req, struct err *e); /* GET /en/account/activate?u&x&t */
int page_sign_in(struct request *req, struct err *e);  /* GET, POST /en/sign-in */
int page_sign_out(struct request *req, struct err *e); /* POST /en/sign-out */
int page_forgot(struct request *req, struct err *e);   /* GET, POST /en/password/forgot */
int page_reset(struct request *req, struct err *e);    /* GET, POST /en/password/reset */

#endif
