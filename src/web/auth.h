/*
 * auth.h: who is signed in, and proof that a form came from our page.
 *
 * Sessions: a random 32-byte id in an HttpOnly, SameSite=Lax cookie
 * (Secure over HTTPS); the store keeps only its hash, the user and a CSRF
 * token.  Signed-out visitors get a random CSRF cookie instead, and every
 * form carries the token of whichever applies; auth_check_csrf() compares
 * them in constant time.  The sessions, passwords and links themselves
 * are made and checked by the account use cases (workflow/accounts.h).
 */
#ifndef PETITIOND_AUTH_H
#define PETITIOND_AUTH_H

#include <stdbool.h>

#include "core/account.h"

struct accounts_session;
struct err;
struct request;

/* The signed-in user of this request, or NULL. */
const struct user *auth_user(struct request *req);

/* The CSRF token for forms on this page (sets the visitor's cookie when
 * needed). */
const char *auth_csrf(struct request *req);

/* 0 when the form's "csrf" field matches.  A body that is not a form
 * we can read (not urlencoded, a bad escape, invalid UTF-8, a NUL or
 * another control character: req_form_ok()) is ERR_INVALID with key
 * "error.form_invalid", a 400 about the input; else a wrong or missing
 * token is ERR_FORBIDDEN with key "error.csrf".  Either way nothing is
 * done. */
int auth_check_csrf(struct request *req, struct err *e);

/*
 * The signed-in user when their role is role.  Not signed in: answers
 * with a redirect to the sign-in page (coming back here) and returns 1;
 * another role: returns ERR_FORBIDDEN (the caller's error page says 403).
 * Returns 0 with *out set otherwise.
 */
int auth_require(struct request *req, enum role role, const struct user **out, struct err *e);

/* Record that u signed in with session ses (workflow/accounts.h:
 * accounts_sign_in()) for the rest of this request, and set its cookie. */
void auth_signed_in(struct request *req, const struct user *u, const struct accounts_session *ses);

/* End this request's session (accounts_sign_out()) and clear the
 * cookie. */
void auth_sign_out(struct request *req);

/* Check the parameters u, x and t of an account link of purpose
 * ("activate", "reset"), from the query or else the form, as
 * accounts_link_check() does; fills *u. */
int account_link_check(struct request *req, const char *purpose, struct user *u, struct err *e);

#endif
