/*
 * accounts.c: the wrappers of store/accounts.h, the only callers of a
 * backend's accounts table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_user_insert(struct store_txn *t, struct user *u, struct err *e)
{
    STORE_WRITE(t, accounts, user_insert, u, e);
}

int
store_user_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id, const char *email,
               struct user *out, struct err *e)
{
    STORE_READ(s, t, accounts, user_get, a, id, email, out, e);
}

int
store_user_list(struct store *s, struct store_txn *t, struct arena *a, struct user **out, int *n,
                struct err *e)
{
    STORE_READ(s, t, accounts, user_list, a, out, n, e);
}

int
store_user_by_member(struct store *s, struct store_txn *t, struct arena *a, int64_t member_id,
                     struct user **out, int *n, struct err *e)
{
    STORE_READ(s, t, accounts, user_by_member, a, member_id, out, n, e);
}

int
store_user_activate(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    STORE_WRITE(t, accounts, user_activate, id, now, e);
}

int
store_user_set_password(struct store_txn *t, int64_t id, const char *hash, struct err *e)
{
    STORE_WRITE(t, accounts, user_set_password, id, hash, e);
}

int
store_auth_session_insert(struct store_txn *t, const unsigned char id_hash[32], int64_t user_id,
                          const char *csrf, int64_t now, int64_t expires_at, struct err *e)
{
    STORE_WRITE(t, accounts, auth_session_insert, id_hash, user_id, csrf, now, expires_at, e);
}

int
store_auth_session_get(struct store *s, struct store_txn *t, struct arena *a,
                       const unsigned char id_hash[32], int64_t now, struct user *u,
                       const char **csrf, struct err *e)
{
    STORE_READ(s, t, accounts, auth_session_get, a, id_hash, now, u, csrf, e);
}

int
store_auth_session_delete(struct store_txn *t, const unsigned char id_hash[32], struct err *e)
{
    STORE_WRITE(t, accounts, auth_session_delete, id_hash, e);
}

int
store_form_state_put(struct store_txn *t, const char *id, int64_t user_id, const char *path,
                     const char *state, int64_t now, int64_t expires_at, int keep, struct err *e)
{
    STORE_WRITE(t, accounts, form_state_put, id, user_id, path, state, now, expires_at, keep, e);
}

int
store_form_state_get(struct store *s, struct store_txn *t, struct arena *a, const char *id,
                     int64_t user_id, const char *path, int64_t now, const char **state,
                     struct err *e)
{
    STORE_READ(s, t, accounts, form_state_get, a, id, user_id, path, now, state, e);
}

int
store_form_state_delete(struct store_txn *t, const char *id, int64_t user_id, struct err *e)
{
    STORE_WRITE(t, accounts, form_state_delete, id, user_id, e);
}

int
store_sign_in_failures(struct store *s, struct store_txn *t, const char *key, int64_t now,
                       int window, int *failures, struct err *e)
{
    STORE_READ(s, t, accounts, sign_in_failures, key, now, window, failures, e);
}

int
store_sign_in_failure_add(struct store_txn *t, const char *key, int64_t now, int window,
                          int *failures, struct err *e)
{
    STORE_WRITE(t, accounts, sign_in_failure_add, key, now, window, failures, e);
}

int
store_sign_in_failures_clear(struct store_txn *t, const char *key, struct err *e)
{
    STORE_WRITE(t, accounts, sign_in_failures_clear, key, e);
}
