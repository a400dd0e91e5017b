/*
 * auth.h: who is signed in, and proof that a form came from our page.
 *
 * Sessions: a random 32-byte id in an HttpOnly, SameSite=Lax cookie
 * (Secure over HTTPS); the store keeps only its hash, the user and a CSRF
 * token.  Signed-out visitors get a random CSRF cookie instead, and every
 * form carries the token of whichever applies; auth_check_csrf() compares
 * them in constant time.  Passwords are Argon2id strings (libsodium).
 */
#ifndef PETITIOND_AUTH_H
#define PETITIOND_AUTH_H

#include <stdbool.h>

#include "core/account.h"
#include "lib/token.h"

struct err;
struct request;

/* The signed-in user of this request, or NULL. */
const struct user *auth_user(struct request *req);

/* The CSRF token for forms on this page (sets the visitor's cookie when
 * needed). */
const char *auth_csrf(struct request *req);

/* 0 when the form's "csrf" field matches, else ERR_FORBIDDEN with key
 * "error.csrf". */
int auth_check_csrf(struct request *req, struct err *e);

/*
 * The signed-in user when their role is role.  Not signed in: answers
 * with a redirect to the sign-in page (coming back here) and returns 1;
 * another role: returns ERR_FORBIDDEN (the caller's error page says 403).
 * Returns 0 with *out set otherwise.
 */
int auth_require(struct request *req, enum role role, const struct user **out, struct err *e);

/* Start a session for u (sets the cookie). */
int auth_sign_in(struct request *req, const struct user *u, struct err *e);

/* End this request's session (clears the cookie). */
void auth_sign_out(struct request *req);

/* Hash a password (Argon2id, interactive limits) into out (128 bytes).
 * Returns 0, or -1 when memory runs out. */
int password_hash(const char *pw, char out[128]);
bool password_verify(const char *hash, const char *pw);

struct arena;

/* The same link made outside a request (the command line). */
const char *account_link_make(struct arena *a, const unsigned char key[TOKEN_KEY_BYTES],
                              const char *base_url, const char *purpose, const struct user *u,
                              int64_t expires, enum lang lang);

/* The MAC-signed link parameters of an account link of purpose
 * ("activate", "reset"): valid until expires and for the user's current
 * generation (a password change voids it). */
const char *account_link(struct request *req, const char *purpose, const struct user *u,
                         int64_t expires, enum lang lang);
/* Check ?u=&x=&t= of such a link; fills *u.  ERR_GONE when expired or
 * used, ERR_NOT_FOUND when it does not verify. */
int account_link_check(struct request *req, const char *purpose, struct user *u,
                       struct err *e);

#endif
