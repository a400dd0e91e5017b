/*
 * accounts.c: the SQLite backend's accounts, sign-in sessions and failed
 * sign-ins (store/accounts.h).  An address is kept as typed and, lower
 * case, as its email_key, by which it is unique and found.  A sign-in
 * session is known by the hash of its cookie only.
 */
#include <sqlite3.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- accounts ---------------------------------------------------------------------------- */

#define USER_COLUMNS                                                                               \
    "id, email, role, password_hash, first_name, last_name, city, province, country,"              \
    " postal_code, phone, lang, member_id, ministry_id, created_at, activated_at, generation"

static void
read_user(sqlite3_stmt *st, struct arena *a, struct user *u)
{
    u->id = col_i64(st, 0);
    u->email = sq_col_text(st, 1, a);
    const unsigned char *role = sqlite3_column_text(st, 2);
    u->role = ROLE_PETITIONER;
    if (role)
        role_from_name((const char *)role, strlen((const char *)role), &u->role);
    u->password_hash = sq_col_text(st, 3, a);
    u->first_name = sq_col_text(st, 4, a);
    u->last_name = sq_col_text(st, 5, a);
    u->city = sq_col_text(st, 6, a);
    u->province = sq_col_text(st, 7, a);
    u->country = sq_col_text(st, 8, a);
    u->postal_code = sq_col_text(st, 9, a);
    u->phone = sq_col_text(st, 10, a);
    u->lang = col_lang(st, 11);
    u->member_id = col_i64(st, 12);
    u->ministry_id = col_i64(st, 13);
    u->created_at = col_i64(st, 14);
    u->activated_at = col_i64(st, 15);
    u->generation = col_i64(st, 16);
}

static int
sq_user_insert(struct store_conn *conn, struct user *u, struct err *e)
{
    static const char sql[] =
        "INSERT INTO users (email, email_key, role, password_hash, first_name, last_name, city,"
        " province, country, postal_code, phone, lang, member_id, ministry_id, created_at,"
        " activated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    char key[256];
    int r;
    PREP_OR_OUT(st, c, Q_USER_INSERT, sql, e);
    store_email_key(key, sizeof(key), u->email);
    sq_bind_text(st, 1, u->email);
    sq_bind_text(st, 2, key);
    sq_bind_text(st, 3, role_name(u->role));
    sq_bind_text(st, 4, u->password_hash);
    sq_bind_text(st, 5, u->first_name ? u->first_name : "");
    sq_bind_text(st, 6, u->last_name ? u->last_name : "");
    sq_bind_text(st, 7, u->city ? u->city : "");
    sq_bind_text(st, 8, u->province ? u->province : "");
    sq_bind_text(st, 9, u->country ? u->country : "");
    sq_bind_text(st, 10, u->postal_code ? u->postal_code : "");
    sq_bind_text(st, 11, u->phone ? u->phone : "");
    sq_bind_text(st, 12, lang_code(u->lang));
    sq_bind_opt(st, 13, u->member_id);
    sq_bind_opt(st, 14, u->ministry_id);
    sqlite3_bind_int64(st, 15, u->created_at);
    sq_bind_opt(st, 16, u->activated_at);
    if ((r = sq_step_done(c, st, "user insert", e)))
        goto out;
    u->id = sqlite3_last_insert_rowid(c->db);
    u->generation = 1;
out:
    return r;
}

static int
sq_user_get(struct store_conn *conn, struct arena *a, int64_t id, const char *email,
            struct user *out, struct err *e)
{
    static const char by_id[] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1";
    static const char by_email[] = "SELECT " USER_COLUMNS " FROM users WHERE email_key = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    char key[256];
    int r;
    if (id) {
        PREP_OR_OUT(st, c, Q_USER_GET, by_id, e);
        sqlite3_bind_int64(st, 1, id);
    } else {
        PREP_OR_OUT(st, c, Q_USER_BY_EMAIL, by_email, e);
        store_email_key(key, sizeof(key), email);
        sq_bind_text(st, 1, key);
    }
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "user", e)) == 0) {
        read_user(st, a, out);
        sq_done(st);
    }
out:
    return r;
}

static int
sq_user_list(struct store_conn *conn, struct arena *a, struct user **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE role <> 'petitioner'"
                              " ORDER BY role <> 'admin', role, email_key LIMIT 1000";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_LIST, sql, e);
    COLLECT(struct user, out, n, st, a, read_user);
    sq_done(st);
out:
    return r;
}

static int
sq_user_by_member(struct store_conn *conn, struct arena *a, int64_t member_id, struct user **out,
                  int *n, struct err *e)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users"
                              " WHERE role = 'member' AND member_id = ?1 ORDER BY id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_BY_MEMBER, sql, e);
    sqlite3_bind_int64(st, 1, member_id);
    COLLECT(struct user, out, n, st, a, read_user);
    sq_done(st);
out:
    return r;
}

static int
sq_user_activate(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE users SET activated_at = ?2"
                              " WHERE id = ?1 AND activated_at IS NULL";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_ACTIVATE, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    r = sq_step_done(c, st, "user activate", e);
out:
    return r;
}

static int
sq_user_set_password(struct store_conn *conn, int64_t id, const char *hash, struct err *e)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, generation = generation + 1"
                              " WHERE id = ?1";
    static const char end_sql[] = "DELETE FROM auth_sessions WHERE user_id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if ((r = sq_write_begin(c, e)))
        return r;
    PREP_OR_OUT(st, c, Q_USER_SET_PASSWORD, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, hash);
    if ((r = sq_step_done(c, st, "set password", e)))
        goto out;
    PREP_OR_OUT(st, c, Q_USER_END_SESSIONS, end_sql, e);
    sqlite3_bind_int64(st, 1, id);
    r = sq_step_done(c, st, "end sessions", e);
out:
    return sq_write_end(c, r, e);
}

/* ---- sign-in sessions and failures ------------------------------------------------------ */

static int
sq_auth_session_insert(struct store_conn *conn, const unsigned char id_hash[32], int64_t user_id,
                       const char *csrf, int64_t now, int64_t expires_at, struct err *e)
{
    static const char sql[] = "INSERT INTO auth_sessions (id_hash, user_id, csrf, created_at,"
                              " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_INSERT, sql, e);
    sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sq_bind_text(st, 3, csrf);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, expires_at);
    r = sq_step_done(c, st, "session insert", e);
out:
    return r;
}

static int
sq_auth_session_get(struct store_conn *conn, struct arena *a, const unsigned char id_hash[32],
                    int64_t now, struct user *u, const char **csrf, struct err *e)
{
    static const char sql[] =
        "SELECT u.id, u.email, u.role, u.password_hash, u.first_name, u.last_name, u.city,"
        " u.province, u.country, u.postal_code, u.phone, u.lang, u.member_id, u.ministry_id,"
        " u.created_at, u.activated_at, u.generation, s.csrf"
        " FROM auth_sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id_hash = ?1 AND s.expires_at > ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_GET, sql, e);
    sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    memset(u, 0, sizeof(*u));
    if ((r = sq_step_one(c, st, "session", e)) == 0) {
        read_user(st, a, u);
        *csrf = sq_col_text(st, 17, a);
        sq_done(st);
    }
out:
    return r;
}

static int
sq_auth_session_delete(struct store_conn *conn, const unsigned char id_hash[32], struct err *e)
{
    static const char sql[] = "DELETE FROM auth_sessions WHERE id_hash = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_DELETE, sql, e);
    sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
    r = sq_step_done(c, st, "session delete", e);
out:
    return r;
}

/* ---- refused forms' states ---------------------------------------------------------------- */

static int
sq_form_state_put(struct store_conn *conn, const char *id, int64_t user_id, const char *path,
                  const char *state, int64_t now, int64_t expires_at, int keep, struct err *e)
{
    static const char sql[] = "INSERT INTO form_states (id, user_id, path, state, created_at,"
                              " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    static const char trim_sql[] =
        "DELETE FROM form_states WHERE user_id = ?1 AND seq NOT IN"
        " (SELECT seq FROM form_states WHERE user_id = ?1 ORDER BY seq DESC LIMIT ?2)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if ((r = sq_write_begin(c, e)))
        return r;
    PREP_OR_OUT(st, c, Q_FORM_STATE_PUT, sql, e);
    sq_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    sq_bind_text(st, 3, path);
    sq_bind_text(st, 4, state);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, expires_at);
    if ((r = sq_step_done(c, st, "form state put", e)))
        goto out;
    PREP_OR_OUT(st, c, Q_FORM_STATE_TRIM, trim_sql, e);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, keep);
    r = sq_step_done(c, st, "form state trim", e);
out:
    return sq_write_end(c, r, e);
}

static int
sq_form_state_get(struct store_conn *conn, struct arena *a, const char *id, int64_t user_id,
                  const char *path, int64_t now, const char **state, struct err *e)
{
    static const char sql[] = "SELECT state FROM form_states WHERE id = ?1 AND user_id = ?2"
                              " AND path = ?3 AND expires_at > ?4";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *state = NULL;
    PREP_OR_OUT(st, c, Q_FORM_STATE_GET, sql, e);
    sq_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    sq_bind_text(st, 3, path);
    sqlite3_bind_int64(st, 4, now);
    if ((r = sq_step_one(c, st, "form state", e)) == 0) {
        *state = sq_col_text(st, 0, a);
        sq_done(st);
    }
out:
    return r;
}

static int
sq_form_state_delete(struct store_conn *conn, const char *id, int64_t user_id, struct err *e)
{
    static const char sql[] = "DELETE FROM form_states WHERE id = ?1 AND user_id = ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_FORM_STATE_DELETE, sql, e);
    sq_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    r = sq_step_done(c, st, "form state delete", e);
out:
    return r;
}

/* The failures under key within the window ending now, and the start of
 * that window (now when none). */
static int
failures_read(struct sq_conn *c, const char *key, int64_t now, int window, int64_t *start,
              int *count, struct err *e)
{
    static const char get_sql[] = "SELECT window_start, failures FROM sign_in_failures"
                                  " WHERE key = ?1";
    sqlite3_stmt *st;
    int r = 0;
    *start = now;
    *count = 0;
    PREP_OR_OUT(st, c, Q_FAILURES_GET, get_sql, e);
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && col_i64(st, 0) + window > now) {
        *start = col_i64(st, 0);
        *count = sqlite3_column_int(st, 1);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        r = sq_db_error(e, c->db, "failures get");
    }
    sq_done(st);
out:
    return r;
}

static int
sq_sign_in_failures(struct store_conn *conn, const char *key, int64_t now, int window,
                    int *failures, struct err *e)
{
    int64_t start;
    int count, r;
    if ((r = failures_read(sq_conn(conn), key, now, window, &start, &count, e)))
        return r;
    *failures = count;
    return 0;
}

static int
sq_sign_in_failure_add(struct store_conn *conn, const char *key, int64_t now, int window,
                       int *failures, struct err *e)
{
    static const char set_sql[] =
        "INSERT INTO sign_in_failures (key, window_start, failures) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start,"
        " failures = excluded.failures";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int64_t start;
    int count, r;
    if ((r = failures_read(c, key, now, window, &start, &count, e)))
        goto out;
    count++;
    PREP_OR_OUT(st, c, Q_FAILURES_SET, set_sql, e);
    sq_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int(st, 3, count);
    if ((r = sq_step_done(c, st, "failures set", e)))
        goto out;
    *failures = count;
out:
    return r;
}

static int
sq_sign_in_failures_clear(struct store_conn *conn, const char *key, struct err *e)
{
    static const char sql[] = "DELETE FROM sign_in_failures WHERE key = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_FAILURES_CLEAR, sql, e);
    sq_bind_text(st, 1, key);
    r = sq_step_done(c, st, "failures clear", e);
out:
    return r;
}

const struct store_accounts_ops sq_accounts_ops = {
    .user_insert = sq_user_insert,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_by_member = sq_user_by_member,
    .user_activate = sq_user_activate,
    .user_set_password = sq_user_set_password,
    .auth_session_insert = sq_auth_session_insert,
    .auth_session_get = sq_auth_session_get,
    .auth_session_delete = sq_auth_session_delete,
    .form_state_put = sq_form_state_put,
    .form_state_get = sq_form_state_get,
    .form_state_delete = sq_form_state_delete,
    .sign_in_failures = sq_sign_in_failures,
    .sign_in_failure_add = sq_sign_in_failure_add,
    .sign_in_failures_clear = sq_sign_in_failures_clear,
};
