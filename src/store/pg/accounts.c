/*
 * accounts.c: the PostgreSQL backend's accounts, sign-in sessions and
 * failed sign-ins (store/accounts.h), with the statements of
 * store/sqlite/accounts.c.  An address is kept as typed and, lower case,
 * as its email_key, by which it is unique (the schema's UNIQUE) and
 * found.  A sign-in session is known by the hash of its cookie only
 * (bytea).
 */
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* ---- accounts ---------------------------------------------------------------------------- */

#define USER_COLUMNS                                                                               \
    "id, email, role, password_hash, first_name, last_name, city, province, country,"              \
    " postal_code, phone, lang, member_id, ministry_id, created_at, activated_at, generation"

static void
read_user(const PGresult *res, int row, struct arena *a, struct user *u)
{
    u->id = pg_i64(res, row, 0);
    u->email = pg_text(res, row, 1, a);
    u->role = ROLE_PETITIONER;
    if (!pg_null(res, row, 2))
        role_from_name(PQgetvalue(res, row, 2), (size_t)PQgetlength(res, row, 2), &u->role);
    u->password_hash = pg_text(res, row, 3, a);
    u->first_name = pg_text(res, row, 4, a);
    u->last_name = pg_text(res, row, 5, a);
    u->city = pg_text(res, row, 6, a);
    u->province = pg_text(res, row, 7, a);
    u->country = pg_text(res, row, 8, a);
    u->postal_code = pg_text(res, row, 9, a);
    u->phone = pg_text(res, row, 10, a);
    u->lang = pg_lang(res, row, 11);
    u->member_id = pg_i64(res, row, 12);
    u->ministry_id = pg_i64(res, row, 13);
    u->created_at = pg_i64(res, row, 14);
    u->activated_at = pg_i64(res, row, 15);
    u->generation = pg_i64(res, row, 16);
}

static int
pg_user_insert(struct store_conn *conn, struct user *u, struct err *e)
{
    /* A taken address inserts nothing and returns no row (ERR_CONFLICT)
     * rather than fail, so the caller's transaction stays usable. */
    static const char sql[] =
        "INSERT INTO users (email, email_key, role, password_hash, first_name, last_name, city,"
        " province, country, postal_code, phone, lang, member_id, ministry_id, created_at,"
        " activated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
        " $15, $16) ON CONFLICT (email_key) DO NOTHING RETURNING id";
    struct pg_args a = PG_ARGS_INIT;
    char key[256];
    int r;
    store_email_key(key, sizeof(key), u->email);
    pg_arg_text(&a, u->email);
    pg_arg_text(&a, key);
    pg_arg_text(&a, role_name(u->role));
    pg_arg_text(&a, u->password_hash);
    pg_arg_text(&a, u->first_name ? u->first_name : "");
    pg_arg_text(&a, u->last_name ? u->last_name : "");
    pg_arg_text(&a, u->city ? u->city : "");
    pg_arg_text(&a, u->province ? u->province : "");
    pg_arg_text(&a, u->country ? u->country : "");
    pg_arg_text(&a, u->postal_code ? u->postal_code : "");
    pg_arg_text(&a, u->phone ? u->phone : "");
    pg_arg_text(&a, lang_code(u->lang));
    pg_arg_opt(&a, u->member_id);
    pg_arg_opt(&a, u->ministry_id);
    pg_arg_i64(&a, u->created_at);
    pg_arg_opt(&a, u->activated_at);
    r = pg_run_id(pg_conn(conn), sql, &a, &u->id, "user insert", e);
    if (r == ERR_NOT_FOUND)
        return err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                       "user insert: the address has an account");
    if (!r)
        u->generation = 1;
    return r;
}

static int
pg_user_get(struct store_conn *conn, struct arena *a, int64_t id, const char *email,
            struct user *out, struct err *e)
{
    static const char by_id[] = "SELECT " USER_COLUMNS " FROM users WHERE id = $1";
    static const char by_email[] = "SELECT " USER_COLUMNS " FROM users WHERE email_key = $1";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    char key[256];
    int r;
    if (id) {
        pg_arg_i64(&q, id);
    } else {
        store_email_key(key, sizeof(key), email);
        pg_arg_text(&q, key);
    }
    memset(out, 0, sizeof(*out));
    if ((r = pg_run_one(pg_conn(conn), id ? by_id : by_email, &q, &res, "user", e)))
        return r;
    read_user(res, 0, a, out);
    PQclear(res);
    return 0;
}

/* The accounts a statement selects (USER_COLUMNS), in its order. */
static int
users_read(struct pg_conn *c, const char *sql, const struct pg_args *q, struct arena *a,
           struct user **out, int *n, const char *what, struct err *e)
{
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(c, sql, q, what, e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(struct user, out, n, res, a, read_user);
    PQclear(res);
    return 0;
}

static int
pg_user_list(struct store_conn *conn, struct arena *a, struct user **out, int *n, struct err *e)
{
    /* false before true, as SQLite's 0 before 1. */
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE role <> 'petitioner'"
                              " ORDER BY role <> 'admin', role, email_key LIMIT 1000";
    return users_read(pg_conn(conn), sql, NULL, a, out, n, "user list", e);
}

static int
pg_user_by_member(struct store_conn *conn, struct arena *a, int64_t member_id, struct user **out,
                  int *n, struct err *e)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users"
                              " WHERE role = 'member' AND member_id = $1 ORDER BY id";
    struct pg_args q = PG_ARGS_INIT;
    pg_arg_i64(&q, member_id);
    return users_read(pg_conn(conn), sql, &q, a, out, n, "user by member", e);
}

static int
pg_user_activate(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE users SET activated_at = $2"
                              " WHERE id = $1 AND activated_at IS NULL";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, id);
    pg_arg_i64(&a, now);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "user activate", e);
}

static int
pg_user_set_password(struct store_conn *conn, int64_t id, const char *hash, struct err *e)
{
    static const char sql[] = "UPDATE users SET password_hash = $2, generation = generation + 1"
                              " WHERE id = $1";
    static const char end_sql[] = "DELETE FROM auth_sessions WHERE user_id = $1";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args a = PG_ARGS_INIT, k = PG_ARGS_INIT;
    int r;
    pg_arg_i64(&a, id);
    pg_arg_text(&a, hash);
    pg_arg_i64(&k, id);
    if ((r = pg_write_begin(c, e)))
        return r;
    if (!(r = pg_run_done(c, sql, &a, NULL, "set password", e)))
        r = pg_run_done(c, end_sql, &k, NULL, "end sessions", e);
    return pg_write_end(c, r, e);
}

/* ---- sign-in sessions and failures ------------------------------------------------------ */

static int
pg_auth_session_insert(struct store_conn *conn, const unsigned char id_hash[32], int64_t user_id,
                       const char *csrf, int64_t now, int64_t expires_at, struct err *e)
{
    static const char sql[] = "INSERT INTO auth_sessions (id_hash, user_id, csrf, created_at,"
                              " expires_at) VALUES ($1, $2, $3, $4, $5)";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_bytes(&a, id_hash, 32);
    pg_arg_i64(&a, user_id);
    pg_arg_text(&a, csrf);
    pg_arg_i64(&a, now);
    pg_arg_i64(&a, expires_at);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "session insert", e);
}

static int
pg_auth_session_get(struct store_conn *conn, struct arena *a, const unsigned char id_hash[32],
                    int64_t now, struct user *u, const char **csrf, struct err *e)
{
    static const char sql[] =
        "SELECT u.id, u.email, u.role, u.password_hash, u.first_name, u.last_name, u.city,"
        " u.province, u.country, u.postal_code, u.phone, u.lang, u.member_id, u.ministry_id,"
        " u.created_at, u.activated_at, u.generation, s.csrf"
        " FROM auth_sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id_hash = $1 AND s.expires_at > $2";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    int r;
    pg_arg_bytes(&q, id_hash, 32);
    pg_arg_i64(&q, now);
    memset(u, 0, sizeof(*u));
    if ((r = pg_run_one(pg_conn(conn), sql, &q, &res, "session", e)))
        return r;
    read_user(res, 0, a, u);
    *csrf = pg_text(res, 0, 17, a);
    PQclear(res);
    return 0;
}

static int
pg_auth_session_delete(struct store_conn *conn, const unsigned char id_hash[32], struct err *e)
{
    static const char sql[] = "DELETE FROM auth_sessions WHERE id_hash = $1";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_bytes(&a, id_hash, 32);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "session delete", e);
}

/* ---- refused forms' states ---------------------------------------------------------------- */

static int
pg_form_state_put(struct store_conn *conn, const char *id, int64_t user_id, const char *path,
                  const char *state, int64_t now, int64_t expires_at, int keep, struct err *e)
{
    static const char sql[] = "INSERT INTO form_states (id, user_id, path, state, created_at,"
                              " expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    static const char trim_sql[] =
        "DELETE FROM form_states WHERE user_id = $1 AND seq NOT IN"
        " (SELECT seq FROM form_states WHERE user_id = $1 ORDER BY seq DESC LIMIT $2)";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args a = PG_ARGS_INIT, k = PG_ARGS_INIT;
    int r;
    pg_arg_text(&a, id);
    pg_arg_i64(&a, user_id);
    pg_arg_text(&a, path);
    pg_arg_text(&a, state);
    pg_arg_i64(&a, now);
    pg_arg_i64(&a, expires_at);
    pg_arg_i64(&k, user_id);
    pg_arg_i64(&k, keep);
    if ((r = pg_write_begin(c, e)))
        return r;
    if (!(r = pg_run_done(c, sql, &a, NULL, "form state put", e)))
        r = pg_run_done(c, trim_sql, &k, NULL, "form state trim", e);
    return pg_write_end(c, r, e);
}

static int
pg_form_state_get(struct store_conn *conn, struct arena *a, const char *id, int64_t user_id,
                  const char *path, int64_t now, const char **state, struct err *e)
{
    static const char sql[] = "SELECT state FROM form_states WHERE id = $1 AND user_id = $2"
                              " AND path = $3 AND expires_at > $4";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    int r;
    *state = NULL;
    pg_arg_text(&q, id);
    pg_arg_i64(&q, user_id);
    pg_arg_text(&q, path);
    pg_arg_i64(&q, now);
    if ((r = pg_run_one(pg_conn(conn), sql, &q, &res, "form state", e)))
        return r;
    *state = pg_text(res, 0, 0, a);
    PQclear(res);
    return 0;
}

static int
pg_form_state_delete(struct store_conn *conn, const char *id, int64_t user_id, struct err *e)
{
    static const char sql[] = "DELETE FROM form_states WHERE id = $1 AND user_id = $2";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_text(&a, id);
    pg_arg_i64(&a, user_id);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "form state delete", e);
}

/* The failures under key within the window ending now, and the start of
 * that window (now when none). */
static int
failures_read(struct pg_conn *c, const char *key, int64_t now, int window, int64_t *start,
              int *count, struct err *e)
{
    static const char get_sql[] = "SELECT window_start, failures FROM sign_in_failures"
                                  " WHERE key = $1";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    *start = now;
    *count = 0;
    pg_arg_text(&q, key);
    int r = pg_run_one(c, get_sql, &q, &res, "failures get", e);
    if (r == ERR_NOT_FOUND)
        return 0;
    if (r)
        return r;
    if (pg_i64(res, 0, 0) + window > now) {
        *start = pg_i64(res, 0, 0);
        *count = (int)pg_i64(res, 0, 1);
    }
    PQclear(res);
    return 0;
}

static int
pg_sign_in_failures(struct store_conn *conn, const char *key, int64_t now, int window,
                    int *failures, struct err *e)
{
    int64_t start;
    int count, r;
    if ((r = failures_read(pg_conn(conn), key, now, window, &start, &count, e)))
        return r;
    *failures = count;
    return 0;
}

static int
pg_sign_in_failure_add(struct store_conn *conn, const char *key, int64_t now, int window,
                       int *failures, struct err *e)
{
    /* The read and the write are ordered against other writers by the
     * write lock every write transaction takes first (backend.c). */
    static const char set_sql[] =
        "INSERT INTO sign_in_failures (key, window_start, failures) VALUES ($1, $2, $3)"
        " ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start,"
        " failures = excluded.failures";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args a = PG_ARGS_INIT;
    int64_t start;
    int count, r;
    if ((r = failures_read(c, key, now, window, &start, &count, e)))
        return r;
    count++;
    pg_arg_text(&a, key);
    pg_arg_i64(&a, start);
    pg_arg_i64(&a, count);
    if ((r = pg_run_done(c, set_sql, &a, NULL, "failures set", e)))
        return r;
    *failures = count;
    return 0;
}

static int
pg_sign_in_failures_clear(struct store_conn *conn, const char *key, struct err *e)
{
    static const char sql[] = "DELETE FROM sign_in_failures WHERE key = $1";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_text(&a, key);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "failures clear", e);
}

const struct store_accounts_ops pg_accounts_ops = {
    .user_insert = pg_user_insert,
    .user_get = pg_user_get,
    .user_list = pg_user_list,
    .user_by_member = pg_user_by_member,
    .user_activate = pg_user_activate,
    .user_set_password = pg_user_set_password,
    .auth_session_insert = pg_auth_session_insert,
    .auth_session_get = pg_auth_session_get,
    .auth_session_delete = pg_auth_session_delete,
    .form_state_put = pg_form_state_put,
    .form_state_get = pg_form_state_get,
    .form_state_delete = pg_form_state_delete,
    .sign_in_failures = pg_sign_in_failures,
    .sign_in_failure_add = pg_sign_in_failure_add,
    .sign_in_failures_clear = pg_sign_in_failures_clear,
};
