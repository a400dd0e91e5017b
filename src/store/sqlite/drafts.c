/*
 * sqlite_workflow.c: the SQLite backend's accounts, sessions, drafts,
 * supporters, Members' requests, publication numbers and the outbox
 * (store.h).  Statements are constant strings beside the functions that
 * run them, with bound values only, cached per connection.
 */
#include <sqlite3.h>
#include <string.h>

#include "core/province.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite_internal.h"
#include "store/store.h"
#include "lib/banned.h"

/* ---- Members and ministries ---------------------------------------------- */

void
sq_read_member(sqlite3_stmt *st, struct arena *a, struct member *m)
{
    m->id = col_i64(st, 0);
    m->key = sq_col_text(st, 1, a);
    m->first_name = sq_col_text(st, 2, a);
    m->last_name = sq_col_text(st, 3, a);
    m->honorific = sq_col_text(st, 4, a);
    m->constituency[LANG_EN] = sq_col_text(st, 5, a);
    m->constituency[LANG_FR] = sq_col_text(st, 6, a);
    m->province = col_region(st, 7);
    m->caucus[LANG_EN] = sq_col_text(st, 8, a);
    m->caucus[LANG_FR] = sq_col_text(st, 9, a);
    m->is_speaker = sqlite3_column_int(st, 10) != 0;
    m->active = true;
}

static void
read_directory_member(sqlite3_stmt *st, struct arena *a, struct member *m)
{
    sq_read_member(st, a, m);
    m->active = sqlite3_column_int(st, 11) != 0;
    m->petitions = sqlite3_column_int(st, 12);
}

int
sq_member_directory(struct store *base, struct arena *a, struct member **out, int *n,
                    struct err *e)
{
    static const char sql[] =
        "SELECT " SQ_MEMBER_COLUMNS ", active, (SELECT count(*) FROM petitions p"
        " WHERE p.authorizing_member_id = members.id AND p.state IN " PUBLIC_STATES ")"
        " FROM members WHERE active = 1 OR EXISTS (SELECT 1 FROM petitions p"
        " WHERE (p.authorizing_member_id = members.id OR p.presenting_member_id = members.id)"
        " AND p.state IN " PUBLIC_STATES ") ORDER BY last_name, first_name, id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MEMBER_DIRECTORY, sql, e);
    COLLECT(struct member, out, n, st, a, read_directory_member);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_member_list(struct store *base, struct arena *a, bool with_speaker, struct member **out,
               int *n, struct err *e)
{
    static const char sql[] = "SELECT " SQ_MEMBER_COLUMNS " FROM members"
                              " WHERE active = 1 AND (?1 OR is_speaker = 0)"
                              " ORDER BY last_name, first_name, id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MEMBER_LIST, sql, e);
    sqlite3_bind_int(st, 1, with_speaker);
    COLLECT(struct member, out, n, st, a, sq_read_member);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_member_get(struct store *base, struct arena *a, int64_t id, const char *key,
              struct member *out, struct err *e)
{
    static const char sql[] = "SELECT " SQ_MEMBER_COLUMNS " FROM members"
                              " WHERE id = ?1 OR (?1 = 0 AND key = ?2)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MEMBER_GET, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, key ? key : "");
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "member", e)) == 0) {
        sq_read_member(st, a, out);
        sq_done(st);
    }
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_ministry(sqlite3_stmt *st, struct arena *a, struct ministry *m)
{
    m->id = col_i64(st, 0);
    m->code = sq_col_text(st, 1, a);
    m->title[LANG_EN] = sq_col_text(st, 2, a);
    m->title[LANG_FR] = sq_col_text(st, 3, a);
}

int
sq_ministry_list(struct store *base, struct arena *a, struct ministry **out, int *n,
                 struct err *e)
{
    static const char sql[] = "SELECT id, code, title_en, title_fr FROM ministries"
                              " ORDER BY title_en";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MINISTRY_LIST, sql, e);
    COLLECT(struct ministry, out, n, st, a, read_ministry);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_ministry_get(struct store *base, struct arena *a, int64_t id, const char *code,
                struct ministry *out, struct err *e)
{
    static const char sql[] = "SELECT id, code, title_en, title_fr FROM ministries"
                              " WHERE id = ?1 OR (?1 = 0 AND code = ?2)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MINISTRY_GET, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, code ? code : "");
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "ministry", e)) == 0) {
        read_ministry(st, a, out);
        sq_done(st);
    }
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- users --------------------------------------------------------------- */

#define USER_COLUMNS                                                                          \
    "id, email, role, password_hash, first_name, last_name, city, province, country,"         \
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

static void
lower_copy(char *out, size_t cap, const char *in)
{
    size_t i = 0;
    for (; in && in[i] && i + 1 < cap; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
    out[i] = '\0';
}

int
sq_user_insert(struct store *base, struct user *u, struct err *e)
{
    static const char sql[] =
        "INSERT INTO users (email, email_key, role, password_hash, first_name, last_name, city,"
        " province, country, postal_code, phone, lang, member_id, ministry_id, created_at,"
        " activated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    char key[256];
    int r;
    PREP_OR_OUT(st, c, Q_USER_INSERT, sql, e);
    lower_copy(key, sizeof(key), u->email);
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
    sq_conn_put(s, c);
    return r;
}

int
sq_user_get(struct store *base, struct arena *a, int64_t id, const char *email,
            struct user *out, struct err *e)
{
    static const char by_id[] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1";
    static const char by_email[] = "SELECT " USER_COLUMNS " FROM users WHERE email_key = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    char key[256];
    int r;
    if (id) {
        PREP_OR_OUT(st, c, Q_USER_GET, by_id, e);
        sqlite3_bind_int64(st, 1, id);
    } else {
        PREP_OR_OUT(st, c, Q_USER_BY_EMAIL, by_email, e);
        lower_copy(key, sizeof(key), email);
        sq_bind_text(st, 1, key);
    }
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "user", e)) == 0) {
        read_user(st, a, out);
        sq_done(st);
    }
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_user_list(struct store *base, struct arena *a, struct user **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE role <> 'petitioner'"
                              " ORDER BY role <> 'admin', role, email_key LIMIT 1000";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_LIST, sql, e);
    COLLECT(struct user, out, n, st, a, read_user);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_user_activate(struct store *base, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE users SET activated_at = ?2"
                              " WHERE id = ?1 AND activated_at IS NULL";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_ACTIVATE, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    r = sq_step_done(c, st, "user activate", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_user_set_password(struct store *base, int64_t id, const char *hash, struct err *e)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, generation = generation + 1"
                              " WHERE id = ?1";
    static const char end_sql[] = "DELETE FROM auth_sessions WHERE user_id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_SET_PASSWORD, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, hash);
    if ((r = sq_step_done(c, st, "set password", e)))
        goto out;
    PREP_OR_OUT(st, c, Q_USER_END_SESSIONS, end_sql, e);
    sqlite3_bind_int64(st, 1, id);
    r = sq_step_done(c, st, "end sessions", e);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- sessions and sign-in failures --------------------------------------- */

int
sq_auth_session_insert(struct store *base, const unsigned char id_hash[32], int64_t user_id,
                       const char *csrf, int64_t now, int64_t expires_at, struct err *e)
{
    static const char sql[] = "INSERT INTO auth_sessions (id_hash, user_id, csrf, created_at,"
                              " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
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
    sq_conn_put(s, c);
    return r;
}

int
sq_auth_session_get(struct store *base, struct arena *a, const unsigned char id_hash[32],
                    int64_t now, struct user *u, const char **csrf, struct err *e)
{
    static const char sql[] =
        "SELECT u.id, u.email, u.role, u.password_hash, u.first_name, u.last_name, u.city,"
        " u.province, u.country, u.postal_code, u.phone, u.lang, u.member_id, u.ministry_id,"
        " u.created_at, u.activated_at, u.generation, s.csrf"
        " FROM auth_sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id_hash = ?1 AND s.expires_at > ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
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
    sq_conn_put(s, c);
    return r;
}

int
sq_auth_session_delete(struct store *base, const unsigned char id_hash[32], struct err *e)
{
    static const char sql[] = "DELETE FROM auth_sessions WHERE id_hash = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_DELETE, sql, e);
    sqlite3_bind_blob(st, 1, id_hash, 32, SQLITE_TRANSIENT);
    r = sq_step_done(c, st, "session delete", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_sign_in_failures(struct store *base, const char *key, int64_t now, int window, bool add,
                    int *failures, struct err *e)
{
    static const char get_sql[] = "SELECT window_start, failures FROM sign_in_failures"
                                  " WHERE key = ?1";
    static const char set_sql[] =
        "INSERT INTO sign_in_failures (key, window_start, failures) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start,"
        " failures = excluded.failures";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int64_t start = now;
    int count = 0, r;
    PREP_OR_OUT(st, c, Q_FAILURES_GET, get_sql, e);
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && col_i64(st, 0) + window > now) {
        start = col_i64(st, 0);
        count = sqlite3_column_int(st, 1);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        r = sq_db_error(e, c->db, "failures get");
        sq_done(st);
        goto out;
    }
    sq_done(st);
    r = 0;
    if (add) {
        count++;
        PREP_OR_OUT(st, c, Q_FAILURES_SET, set_sql, e);
        sq_bind_text(st, 1, key);
        sqlite3_bind_int64(st, 2, start);
        sqlite3_bind_int(st, 3, count);
        r = sq_step_done(c, st, "failures set", e);
    }
    *failures = count;
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_sign_in_failures_clear(struct store *base, const char *key, struct err *e)
{
    static const char sql[] = "DELETE FROM sign_in_failures WHERE key = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_FAILURES_CLEAR, sql, e);
    sq_bind_text(st, 1, key);
    r = sq_step_done(c, st, "failures clear", e);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- drafts --------------------------------------------------------------- */

#define DRAFT_COLUMNS                                                                         \
    "d.id, d.petitioner_id, d.state, d.state_changed_at, d.content, d.supporters_min,"        \
    " d.supporters_days, d.member_days, d.members_max, d.round, d.submitted_at, d.member_id," \
    " d.member_asked_at, d.authorizing_member_id, d.review_reasons, d.reject_code,"           \
    " d.reject_text, d.petition_id, p.e_number, d.created_at, d.updated_at"                   \
    " FROM drafts d LEFT JOIN petitions p ON p.id = d.petition_id"

static void
read_draft(sqlite3_stmt *st, struct arena *a, struct draft_record *d)
{
    d->id = col_i64(st, 0);
    d->petitioner_id = col_i64(st, 1);
    d->state = col_state(st, 2);
    d->state_changed_at = col_i64(st, 3);
    d->content = sq_col_text(st, 4, a);
    d->supporters_min = sqlite3_column_int(st, 5);
    d->supporters_days = sqlite3_column_int(st, 6);
    d->member_days = sqlite3_column_int(st, 7);
    d->members_max = sqlite3_column_int(st, 8);
    d->round = sqlite3_column_int(st, 9);
    d->submitted_at = col_i64(st, 10);
    d->member_id = col_i64(st, 11);
    d->member_asked_at = col_i64(st, 12);
    d->authorizing_member_id = col_i64(st, 13);
    d->review_reasons = sq_col_text(st, 14, a);
    d->reject_code = sq_col_text(st, 15, a);
    d->reject_text = sq_col_text(st, 16, a);
    d->petition_id = col_i64(st, 17);
    d->e_number = (long)col_i64(st, 18);
    d->created_at = col_i64(st, 19);
    d->updated_at = col_i64(st, 20);
}

/* Bind the writable fields of d at 1..18 (the update adds the id at 19). */
static void
bind_draft(sqlite3_stmt *st, const struct draft_record *d)
{
    sqlite3_bind_int64(st, 1, d->petitioner_id);
    sq_bind_text(st, 2, petition_state_name(d->state));
    sqlite3_bind_int64(st, 3, d->state_changed_at);
    sq_bind_text(st, 4, d->content ? d->content : "{}");
    sqlite3_bind_int(st, 5, d->supporters_min);
    sqlite3_bind_int(st, 6, d->supporters_days);
    sqlite3_bind_int(st, 7, d->member_days);
    sqlite3_bind_int(st, 8, d->members_max);
    sqlite3_bind_int(st, 9, d->round);
    sq_bind_opt(st, 10, d->submitted_at);
    sq_bind_opt(st, 11, d->member_id);
    sq_bind_opt(st, 12, d->member_asked_at);
    sq_bind_opt(st, 13, d->authorizing_member_id);
    sq_bind_text(st, 14, d->review_reasons);
    sq_bind_text(st, 15, d->reject_code);
    sq_bind_text(st, 16, d->reject_text);
    sq_bind_opt(st, 17, d->petition_id);
    sqlite3_bind_int64(st, 18, d->updated_at ? d->updated_at : d->created_at);
}

int
sq_draft_insert(struct store *base, struct draft_record *d, struct err *e)
{
    static const char sql[] =
        "INSERT INTO drafts (petitioner_id, state, state_changed_at, content, supporters_min,"
        " supporters_days, member_days, members_max, round, submitted_at, member_id,"
        " member_asked_at, authorizing_member_id, review_reasons, reject_code, reject_text,"
        " petition_id, updated_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
        " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_INSERT, sql, e);
    bind_draft(st, d);
    sqlite3_bind_int64(st, 19, d->created_at);
    if ((r = sq_step_done(c, st, "draft insert", e)))
        goto out;
    d->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_draft_update(struct store *base, const struct draft_record *d, int64_t now, struct err *e)
{
    static const char sql[] =
        "UPDATE drafts SET petitioner_id = ?1, state = ?2, state_changed_at = ?3, content = ?4,"
        " supporters_min = ?5, supporters_days = ?6, member_days = ?7, members_max = ?8,"
        " round = ?9, submitted_at = ?10, member_id = ?11, member_asked_at = ?12,"
        " authorizing_member_id = ?13, review_reasons = ?14, reject_code = ?15,"
        " reject_text = ?16, petition_id = ?17, updated_at = ?18 WHERE id = ?19";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_UPDATE, sql, e);
    bind_draft(st, d);
    sqlite3_bind_int64(st, 18, now);
    sqlite3_bind_int64(st, 19, d->id);
    r = sq_step_done(c, st, "draft update", e);
out:
    sq_conn_put(s, c);
    return r;
}

static int
one_draft(struct conn *c, sqlite3_stmt *st, struct arena *a, struct draft_record *out,
          struct err *e)
{
    int r;
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "draft", e)) == 0) {
        read_draft(st, a, out);
        sq_done(st);
    }
    return r;
}

int
sq_draft_get(struct store *base, struct arena *a, int64_t id, struct draft_record *out,
             struct err *e)
{
    static const char sql[] = "SELECT " DRAFT_COLUMNS " WHERE d.id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_GET, sql, e);
    sqlite3_bind_int64(st, 1, id);
    r = one_draft(c, st, a, out, e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_draft_latest(struct store *base, struct arena *a, int64_t petitioner_id,
                struct draft_record *out, struct err *e)
{
    static const char sql[] = "SELECT " DRAFT_COLUMNS " WHERE d.petitioner_id = ?1"
                              " ORDER BY d.created_at DESC, d.id DESC LIMIT 1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_LATEST, sql, e);
    sqlite3_bind_int64(st, 1, petitioner_id);
    r = one_draft(c, st, a, out, e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_draft_list(struct store *base, struct arena *a, const struct draft_query *q,
              struct draft_record **out, int *n, struct err *e)
{
    static const char sql[] =
        "SELECT " DRAFT_COLUMNS " WHERE (?1 IS NULL OR d.state = ?1)"
        " AND (?2 = 0 OR (d.member_id = ?2 AND d.member_asked_at IS NOT NULL))"
        " AND (?3 = 0 OR d.petitioner_id = ?3)"
        " AND (?4 = 0 OR d.state = 'AWAITING_SUPPORTERS'"
        "      OR (d.state = 'AWAITING_MEMBER' AND d.member_asked_at IS NOT NULL))"
        " ORDER BY d.state_changed_at, d.id LIMIT ?5";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_LIST, sql, e);
    if (q->has_state)
        sq_bind_text(st, 1, petition_state_name(q->state));
    sqlite3_bind_int64(st, 2, q->member_id);
    sqlite3_bind_int64(st, 3, q->petitioner_id);
    sqlite3_bind_int(st, 4, q->timed);
    sqlite3_bind_int(st, 5, q->limit > 0 && q->limit <= 500 ? q->limit : 500);
    COLLECT(struct draft_record, out, n, st, a, read_draft);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_draft_event_add(struct store *base, int64_t draft_id, int64_t at, int64_t user_id,
                   enum petition_state state, const char *note, struct err *e)
{
    static const char sql[] = "INSERT INTO draft_events (draft_id, at, user_id, state, note)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_EVENT_ADD, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, at);
    sq_bind_opt(st, 3, user_id);
    sq_bind_text(st, 4, petition_state_name(state));
    sq_bind_text(st, 5, note);
    r = sq_step_done(c, st, "draft event", e);
out:
    sq_conn_put(s, c);
    return r;
}



/* ---- supporters ------------------------------------------------------------ */

#define SUPPORTER_COLUMNS                                                                     \
    "id, draft_id, first_name, last_name, email, email_key, invited_round, confirmed_round,"  \
    " confirmed_at, confirm_order, phone, country, province, postal_code, lang, created_at"

static void
read_supporter(sqlite3_stmt *st, struct arena *a, struct supporter_record *r)
{
    r->id = col_i64(st, 0);
    r->draft_id = col_i64(st, 1);
    r->first_name = sq_col_text(st, 2, a);
    r->last_name = sq_col_text(st, 3, a);
    r->email = sq_col_text(st, 4, a);
    r->email_key = sq_col_text(st, 5, a);
    r->invited_round = sqlite3_column_int(st, 6);
    r->confirmed_round = sqlite3_column_int(st, 7);
    r->confirmed_at = col_i64(st, 8);
    r->confirm_order = sqlite3_column_int(st, 9);
    r->phone = sq_col_text(st, 10, a);
    r->country = sq_col_text(st, 11, a);
    r->province = sq_col_text(st, 12, a);
    r->postal_code = sq_col_text(st, 13, a);
    r->lang = col_lang(st, 14);
    r->created_at = col_i64(st, 15);
}

int
sq_supporter_insert(struct store *base, struct supporter_record *rec, struct err *e)
{
    static const char sql[] = "INSERT INTO supporters (draft_id, first_name, last_name, email,"
                              " email_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, rec->draft_id);
    sq_bind_text(st, 2, rec->first_name);
    sq_bind_text(st, 3, rec->last_name);
    sq_bind_text(st, 4, rec->email);
    sq_bind_text(st, 5, rec->email_key);
    sqlite3_bind_int64(st, 6, rec->created_at);
    if ((r = sq_step_done(c, st, "supporter insert", e)))
        goto out;
    rec->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_supporter_update(struct store *base, const struct supporter_record *rec, struct err *e)
{
    static const char sql[] =
        "UPDATE supporters SET first_name = ?2, last_name = ?3, invited_round = ?4,"
        " confirmed_round = ?5, confirmed_at = ?6, confirm_order = ?7, phone = ?8,"
        " country = ?9, province = ?10, postal_code = ?11, lang = ?12 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_UPDATE, sql, e);
    sqlite3_bind_int64(st, 1, rec->id);
    sq_bind_text(st, 2, rec->first_name);
    sq_bind_text(st, 3, rec->last_name);
    sqlite3_bind_int(st, 4, rec->invited_round);
    sqlite3_bind_int(st, 5, rec->confirmed_round);
    sq_bind_opt(st, 6, rec->confirmed_at);
    sq_bind_opt(st, 7, rec->confirm_order);
    sq_bind_text(st, 8, rec->phone);
    sq_bind_text(st, 9, rec->country);
    sq_bind_text(st, 10, rec->province);
    sq_bind_text(st, 11, rec->postal_code);
    sq_bind_text(st, 12, rec->confirmed_at ? lang_code(rec->lang) : NULL);
    r = sq_step_done(c, st, "supporter update", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_supporter_delete(struct store *base, int64_t draft_id, int64_t id, struct err *e)
{
    static const char sql[] = "DELETE FROM supporters WHERE draft_id = ?1 AND id = ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_DELETE, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, id);
    r = sq_step_done(c, st, "supporter delete", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_supporter_get(struct store *base, struct arena *a, int64_t id, struct supporter_record *out,
                 struct err *e)
{
    static const char sql[] = "SELECT " SUPPORTER_COLUMNS " FROM supporters WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_GET, sql, e);
    sqlite3_bind_int64(st, 1, id);
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "supporter", e)) == 0) {
        read_supporter(st, a, out);
        sq_done(st);
    }
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_supporter_list(struct store *base, struct arena *a, int64_t draft_id,
                  struct supporter_record **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " SUPPORTER_COLUMNS " FROM supporters"
                              " WHERE draft_id = ?1 ORDER BY id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_LIST, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    COLLECT(struct supporter_record, out, n, st, a, read_supporter);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- Members' requests ------------------------------------------------------- */

int
sq_member_request_insert(struct store *base, struct member_request *rq, struct err *e)
{
    static const char sql[] = "INSERT INTO member_requests (draft_id, member_id, asked_at)"
                              " VALUES (?1, ?2, ?3)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_REQUEST_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, rq->draft_id);
    sqlite3_bind_int64(st, 2, rq->member_id);
    sqlite3_bind_int64(st, 3, rq->asked_at);
    if ((r = sq_step_done(c, st, "request insert", e)))
        goto out;
    rq->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_member_request_answer(struct store *base, int64_t draft_id, int64_t at, const char *answer,
                         struct err *e)
{
    static const char sql[] = "UPDATE member_requests SET answered_at = ?2, answer = ?3"
                              " WHERE draft_id = ?1 AND answered_at IS NULL";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_REQUEST_ANSWER, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, at);
    sq_bind_text(st, 3, answer);
    r = sq_step_done(c, st, "request answer", e);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_request(sqlite3_stmt *st, struct arena *a, struct member_request *rq)
{
    rq->id = col_i64(st, 0);
    rq->draft_id = col_i64(st, 1);
    rq->member_id = col_i64(st, 2);
    rq->asked_at = col_i64(st, 3);
    rq->answered_at = col_i64(st, 4);
    rq->answer = sq_col_text(st, 5, a);
}

int
sq_member_request_list(struct store *base, struct arena *a, int64_t draft_id,
                       struct member_request **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT id, draft_id, member_id, asked_at, answered_at, answer"
                              " FROM member_requests WHERE draft_id = ?1 ORDER BY asked_at, id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_REQUEST_LIST, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    COLLECT(struct member_request, out, n, st, a, read_request);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- publication ---------------------------------------------------------------- */

int
sq_petition_next_e_number(struct store *base, long *n, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(e_number), 0) + 1 FROM petitions";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int64_t v = 0;
    int r;
    PREP_OR_OUT(st, c, Q_NEXT_E_NUMBER, sql, e);
    r = sq_step_id(c, st, &v, "next e-number", e);
    *n = (long)v;
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_set_state(struct store *base, int64_t petition_id, enum petition_state state,
                      int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET state = ?2, state_changed_at = ?3"
                              " WHERE id = ?1";
    static const char ev[] = "INSERT INTO petition_events (petition_id, at, state)"
                             " VALUES (?1, ?3, ?2)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PETITION_SET_STATE, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sq_bind_text(st, 2, petition_state_name(state));
    sqlite3_bind_int64(st, 3, now);
    if ((r = sq_step_done(c, st, "petition state", e)))
        goto out;
    PREP_OR_OUT(st, c, Q_PETITION_EVENT, ev, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sq_bind_text(st, 2, petition_state_name(state));
    sqlite3_bind_int64(st, 3, now);
    r = sq_step_done(c, st, "petition event", e);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- outbox ------------------------------------------------------------------------ */

int
sq_outbox_insert(struct store *base, struct outbox_mail *m, struct err *e)
{
    static const char sql[] = "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang,"
                              " subject, body, next_try_at, mailing_id, signature_id) VALUES"
                              " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, ?8, ?9)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, m->created_at);
    sq_bind_text(st, 2, m->kind);
    sq_bind_text(st, 3, m->to_addr);
    sq_bind_text(st, 4, m->to_name ? m->to_name : "");
    sq_bind_text(st, 5, lang_code(m->lang));
    sq_bind_text(st, 6, m->subject);
    sq_bind_text(st, 7, m->body);
    sq_bind_opt(st, 8, m->mailing_id);
    sq_bind_opt(st, 9, m->signature_id);
    if ((r = sq_step_done(c, st, "outbox insert", e)))
        goto out;
    m->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_mail(sqlite3_stmt *st, struct arena *a, struct outbox_mail *m)
{
    m->id = col_i64(st, 0);
    m->created_at = col_i64(st, 1);
    m->kind = sq_col_text(st, 2, a);
    m->to_addr = sq_col_text(st, 3, a);
    m->to_name = sq_col_text(st, 4, a);
    m->lang = col_lang(st, 5);
    m->subject = sq_col_text(st, 6, a);
    m->body = sq_col_text(st, 7, a);
    m->attempts = sqlite3_column_int(st, 8);
    m->next_try_at = col_i64(st, 9);
    m->sent_at = col_i64(st, 10);
    m->last_error = sq_col_text(st, 11, a);
    m->signature_id = col_i64(st, 12);
}

int
sq_outbox_due(struct store *base, struct arena *a, int64_t now, int limit,
              struct outbox_mail **out, int *n, struct err *e)
{
    static const char sql[] =
        "SELECT id, created_at, kind, to_addr, to_name, lang, subject, body, attempts,"
        " next_try_at, sent_at, last_error, signature_id FROM outbox"
        " WHERE sent_at IS NULL AND next_try_at <= ?1 ORDER BY next_try_at, id LIMIT ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_DUE, sql, e);
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, limit);
    COLLECT(struct outbox_mail, out, n, st, a, read_mail);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_outbox_sent(struct store *base, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1"
                              " WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_SENT, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    r = sq_step_done(c, st, "outbox sent", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_outbox_retry(struct store *base, int64_t id, int64_t next_try_at, const char *error,
                struct err *e)
{
    static const char sql[] = "UPDATE outbox SET next_try_at = ?2, last_error = ?3,"
                              " attempts = attempts + 1 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_RETRY, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, next_try_at);
    sq_bind_text(st, 3, error);
    r = sq_step_done(c, st, "outbox retry", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_session_current(struct store *base, int *parliament, int *session, struct err *e)
{
    static const char sql[] =
        "SELECT p.number * 10 + s.number FROM sessions s JOIN parliaments p"
        " ON p.id = s.parliament_id WHERE p.dissolved_at IS NULL"
        " ORDER BY p.number DESC, s.number DESC LIMIT 1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int64_t v = 0;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_CURRENT, sql, e);
    r = sq_step_id(c, st, &v, "current session", e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_CONFLICT, "error.no_session", NULL, "no session is open");
    *parliament = (int)(v / 10);
    *session = (int)(v % 10);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_user_by_member(struct store *base, struct arena *a, int64_t member_id, struct user **out,
                  int *n, struct err *e)
{
    static const char sql[] = "SELECT " USER_COLUMNS " FROM users"
                              " WHERE role = 'member' AND member_id = ?1 ORDER BY id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_USER_BY_MEMBER, sql, e);
    sqlite3_bind_int64(st, 1, member_id);
    COLLECT(struct user, out, n, st, a, read_user);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}
