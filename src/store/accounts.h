/*
 * accounts.h: the store's accounts, sign-in sessions and failed sign-ins.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_ACCOUNTS_H
#define PETITIOND_STORE_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* Insert an account; u->id is filled in.  ERR_CONFLICT when the address
 * (in any case) has an account.  A staff account is an audited record. */
int store_user_insert(struct store_txn *t, struct user *u, struct err *e);

/* An account by id, or by address (in any case) when id is 0;
 * ERR_NOT_FOUND when none. */
int store_user_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                   const char *email, struct user *out, struct err *e);

/* Staff accounts (every role but petitioner), administrators first, then
 * by role and address; at most 1,000. */
int store_user_list(struct store *s, struct store_txn *t, struct arena *a, struct user **out, int *n,
                    struct err *e);

/* The accounts of a Member (role member), by id. */
int store_user_by_member(struct store *s, struct store_txn *t, struct arena *a, int64_t member_id,
                         struct user **out, int *n, struct err *e);

/* The account's address was confirmed at now. */
int store_user_activate(struct store_txn *t, int64_t id, int64_t now, struct err *e);

/* Set the password hash, bump the account's generation (links made before
 * stop working) and end every sign-in session of it. */
int store_user_set_password(struct store_txn *t, int64_t id, const char *hash, struct err *e);

/* A sign-in session, known by the hash of its cookie; live until
 * expires_at. */
int store_auth_session_insert(struct store_txn *t, const unsigned char id_hash[32], int64_t user_id,
                              const char *csrf, int64_t now, int64_t expires_at, struct err *e);

/* The account and CSRF token of a session live at now; ERR_NOT_FOUND for
 * an unknown or expired one. */
int store_auth_session_get(struct store *s, struct store_txn *t, struct arena *a,
                           const unsigned char id_hash[32], int64_t now, struct user *u,
                           const char **csrf, struct err *e);

/* End a sign-in session; ending an unknown one is no error. */
int store_auth_session_delete(struct store_txn *t, const unsigned char id_hash[32], struct err *e);

/* A refused form's state kept for the account's next GET of path
 * (web/forms.h: one too long for a cookie): row id (random), the sealed
 * state as text, created at now, shown until expires_at.  The account's
 * rows beyond its newest `keep` (this one counted) are deleted in the
 * same statement's transaction. */
int store_form_state_put(struct store_txn *t, const char *id, int64_t user_id, const char *path,
                         const char *state, int64_t now, int64_t expires_at, int keep,
                         struct err *e);

/* The sealed state of row id when it is user_id's, for path, and not
 * expired at now; ERR_NOT_FOUND otherwise. */
int store_form_state_get(struct store *s, struct store_txn *t, struct arena *a, const char *id,
                         int64_t user_id, const char *path, int64_t now, const char **state,
                         struct err *e);

/* Delete row id when it is user_id's; an unknown one is no error. */
int store_form_state_delete(struct store_txn *t, const char *id, int64_t user_id, struct err *e);

/* Failed sign-ins under key within the window (seconds) ending now. */
int store_sign_in_failures(struct store *s, struct store_txn *t, const char *key, int64_t now,
                           int window, int *failures, struct err *e);

/* Count one more failed sign-in under key at now; *failures gets the
 * failures within the window (seconds) ending now, this one included. */
int store_sign_in_failure_add(struct store_txn *t, const char *key, int64_t now, int window,
                              int *failures, struct err *e);

/* Forget the failed sign-ins under key (a sign-in succeeded). */
int store_sign_in_failures_clear(struct store_txn *t, const char *key, struct err *e);

#endif
