/*
 * accounts.h: a person's account, as use cases: registering, confirming
 * the address, signing in and out, and a forgotten password (rulebook 4;
 * issue "draft to publication" 1).  Staff accounts are made by
 * staff.h; both share the links and passwords below.
 *
 * Each function that writes is one transaction; on an error it has
 * written nothing.  No public page shows an account, so their commits
 * leave the cached pages' version alone (unlike flow_finish()); those
 * that queue e-mail wake the mail thread.  Argon2id (66 ms) is never run
 * inside a transaction: a password is hashed or checked before the
 * transaction begins.
 *
 * Never reveal whether an address has an account: registering a taken
 * address and asking a reset for an unknown one succeed like the others
 * and send nothing.
 *
 * Any thread; the store's errors unless a function says otherwise.
 */
#ifndef PETITIOND_WORKFLOW_ACCOUNTS_H
#define PETITIOND_WORKFLOW_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"
#include "lib/lang.h"
#include "lib/token.h"

struct arena;
struct err;
struct flow;

/* ---- passwords ---- */

/* Hash a password (Argon2id, interactive limits) into out (128 bytes).
 * Returns 0, or -1 when memory runs out. */
int accounts_password_hash(const char *pw, char out[128]);

/* True when pw is the password of hash (NULL or "" matches nothing). */
bool accounts_password_verify(const char *hash, const char *pw);

/* How many times this process has run accounts_password_verify()'s
 * Argon2id check (not counting a NULL or empty hash or password, which
 * match nothing at once).  For the tests that prove a sign-in with an
 * unknown address does the same work as one with a known address. */
unsigned long accounts_password_checks(void);

/* Make the stand-in hash that a sign-in with an unknown address checks
 * its password against (accounts_sign_in()): Argon2id of a random
 * password, with accounts_password_hash()'s limits, so it costs what a
 * real check costs.  Made once (about 66 ms); serve calls it at start-up
 * so that no request waits for it, and accounts_sign_in() calls it too.
 * Any thread; dies when memory runs out. */
void accounts_prepare(void);

/* ---- links sent by e-mail ---- */

/*
 * The link of purpose ("activate": base_url/LANG/account/activate,
 * "reset": base_url/LANG/password/reset) for account u, valid until
 * expires and for u's current generation (a password change voids it):
 * its parameters u, x and t carry the id, the expiry and a MAC under key.
 * Arena memory.  The use cases make them with the flow's key and the
 * mailer's base_url; `petitiond user add` prints one.
 */
const char *accounts_link(struct arena *a, const unsigned char key[TOKEN_KEY_BYTES],
                          const char *base_url, const char *purpose, const struct user *u,
                          int64_t expires, enum lang lang);

/*
 * Check the parameters of such a link (us, xs, ts: the text of u, x and
 * t, any of them NULL) at now; fills *u (arena memory) with the account.
 * ERR_NOT_FOUND "account.link_bad" when they do not parse or name no
 * account, ERR_GONE "account.link_used" when the MAC does not verify (a
 * password changed since) and "account.link_expired" when expired.
 */
int accounts_link_check(const struct flow *f, struct arena *a, const char *purpose, const char *us,
                        const char *xs, const char *ts, int64_t now, struct user *u, struct err *e);

/* ---- use cases ---- */

/*
 * Register a petitioner's account: u (borrowed) as filled in and checked
 * by the caller, its password_hash aside, with password, created at now;
 * and queue the "account-activation" e-mail in u->lang with the link
 * that confirms the address (valid ACTIVATION_LIFETIME).  An address
 * that already has an account (in any case) is no error: nothing is
 * written or sent, and 0 is returned as for a new one.  ERR_INTERNAL
 * when hashing runs out of memory.
 */
int accounts_register(const struct flow *f, struct arena *a, const struct user *u,
                      const char *password, int64_t now, struct err *e);

/* Confirm u's address at now (u as accounts_link_check() gave it); an
 * account confirmed before is left as it is. */
int accounts_activate(const struct flow *f, const struct user *u, int64_t now, struct err *e);

/* A signed-in session: the cookie's value (the store keeps its hash) and
 * the CSRF token of its forms. */
struct accounts_session {
    char secret[65];
    char csrf[33];
};

/*
 * Sign in with email and password from client at now: the rate key of
 * the client's network address (site_client_address(): behind a trusted
 * proxy, the address X-Forwarded-For names).  Failures are counted per
 * address ("ip:CLIENT") and per account ("u:ID") over SIGN_IN_WINDOW: at
 * SIGN_IN_IP_MAX_FAILURES or SIGN_IN_MAX_FAILURES, the attempt is
 * refused before the password is checked.  A wrong password counts one
 * failure for the network address and the account, in one transaction
 * whose own failure is not reported; so does an unknown address, whose
 * password is checked all the same against the stand-in hash
 * (accounts_prepare()), so that the answer takes as long.  The right password
 * of a confirmed account forgets the account's failures and starts a
 * session of SESSION_LIFETIME, in one transaction: 0, *u (arena memory)
 * the account and *ses the new session.
 *
 * Refusals: ERR_UNAVAILABLE "account.too_many_attempts" (try again
 * later), ERR_INVALID "account.bad_credentials" (no such account or the
 * wrong password: one answer), ERR_FORBIDDEN "account.not_activated"
 * (the address is not confirmed yet).  Else the store's errors.
 */
int accounts_sign_in(const struct flow *f, struct arena *a, const char *email, const char *password,
                     const char *client, int64_t now, struct user *u, struct accounts_session *ses,
                     struct err *e);

/* End the session whose cookie's value is secret (an unknown one is no
 * error). */
int accounts_sign_out(const struct flow *f, const char *secret, struct err *e);

/*
 * A refused form's state too long for a cookie (web/forms.h), kept for
 * user_id's GET of path: row id (random), state sealed by the caller,
 * shown until now + FORM_STATE_KEEP_AGE.  The account keeps its newest
 * FORM_STATE_KEEP_MAX rows; older ones go in the same transaction.  No
 * audit record: it is the person's own typing, gone in minutes.
 */
enum { FORM_STATE_KEEP_AGE = 600, FORM_STATE_KEEP_MAX = 3 };
int accounts_form_state_keep(const struct flow *f, const char *id, int64_t user_id,
                             const char *path, const char *state, int64_t now, struct err *e);

/* Forget row id of user_id (its form was then accepted); an unknown one
 * is no error. */
int accounts_form_state_drop(const struct flow *f, const char *id, int64_t user_id, struct err *e);

/*
 * A forgotten password: when email has an account, queue the
 * "password-reset" e-mail in the account's language with a link to set a
 * new password (valid RESET_LIFETIME).  An unknown address sends nothing
 * and returns 0 all the same.
 */
int accounts_forgot_password(const struct flow *f, struct arena *a, const char *email, int64_t now,
                             struct err *e);

/*
 * Set u's new password (u as accounts_link_check() gave it; password
 * checked by the caller), which ends its sessions and voids the links
 * made before; an unconfirmed address is confirmed at now, as the link
 * came by e-mail.  ERR_INTERNAL when hashing runs out of memory.
 */
int accounts_reset_password(const struct flow *f, const struct user *u, const char *password,
                            int64_t now, struct err *e);

#endif
