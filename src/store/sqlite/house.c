/*
 * sqlite_house.c: the store_ops of what follows certification
 * (presentation, the response), Parliament's calendar (sessions,
 * prorogation, dissolution, sitting days) and mailings to many.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite_internal.h"
#include "lib/banned.h"

/* ---- Parliament's calendar ------------------------------------------------------------- */

int
sq_house_status(struct store *base, struct house_status *out, struct err *e)
{
    static const char sql[] =
        "SELECT p.id, p.number, p.opened_at, p.dissolved_at, s.id, s.number, s.opened_at,"
        " s.ended_at, s.end_kind FROM parliaments p"
        " LEFT JOIN sessions s ON s.id = (SELECT id FROM sessions WHERE parliament_id = p.id"
        "                                  ORDER BY number DESC LIMIT 1)"
        " ORDER BY p.number DESC LIMIT 1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;

    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_HOUSE_STATUS, sql, e);
    r = sq_step_one(c, st, "house status", e);
    if (r == ERR_NOT_FOUND) {
        r = 0; /* no Parliament recorded: parliament 0, dissolved */
        goto out;
    }
    if (r)
        goto out;
    out->parliament_id = col_i64(st, 0);
    out->parliament = sqlite3_column_int(st, 1);
    out->parliament_opened_at = col_i64(st, 2);
    out->dissolved_at = col_i64(st, 3);
    out->session_id = col_i64(st, 4);
    out->session = sqlite3_column_int(st, 5);
    out->session_opened_at = col_i64(st, 6);
    out->session_ended_at = col_i64(st, 7);
    const unsigned char *k = sqlite3_column_text(st, 8);
    out->session_end = !out->session_ended_at ? SESSION_CURRENT
                       : k && k[0] == 'd'     ? SESSION_DISSOLVED
                                              : SESSION_PROROGUED;
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_session(sqlite3_stmt *st, struct arena *a, struct session *x)
{
    (void)a;
    x->id = col_i64(st, 0);
    x->parliament_id = col_i64(st, 1);
    x->parliament = sqlite3_column_int(st, 2);
    x->number = sqlite3_column_int(st, 3);
    x->opened_at = col_i64(st, 4);
    x->ended_at = col_i64(st, 5);
    const unsigned char *k = sqlite3_column_text(st, 6);
    x->dissolved = k && k[0] == 'd';
    x->petitions = sqlite3_column_int(st, 7);
}

int
sq_session_list(struct store *base, struct arena *a, struct session **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT s.id, s.parliament_id, p.number, s.number, s.opened_at, s.ended_at, s.end_kind,"
        " (SELECT count(*) FROM petitions x WHERE x.session_id = s.id AND x.state IN "
        PUBLIC_STATES ") FROM sessions s JOIN parliaments p ON p.id = s.parliament_id"
        " ORDER BY p.number DESC, s.number DESC";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_SESSION_LIST, sql, e);
    COLLECT(struct session, out, n, st, a, read_session);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_session_end(struct store *base, int64_t session_id, int64_t at, bool dissolution,
               struct err *e)
{
    static const char sql[] = "UPDATE sessions SET ended_at = ?2, end_kind = ?3"
                              " WHERE id = ?1 AND ended_at IS NULL";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_END, sql, e);
    sqlite3_bind_int64(st, 1, session_id);
    sqlite3_bind_int64(st, 2, at);
    sq_bind_text(st, 3, dissolution ? "dissolution" : "prorogation");
    r = sq_step_done(c, st, "session end", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_parliament_dissolve(struct store *base, int64_t parliament_id, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE parliaments SET dissolved_at = ?2"
                              " WHERE id = ?1 AND dissolved_at IS NULL";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PARLIAMENT_DISSOLVE, sql, e);
    sqlite3_bind_int64(st, 1, parliament_id);
    sqlite3_bind_int64(st, 2, at);
    r = sq_step_done(c, st, "parliament dissolve", e);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_day(sqlite3_stmt *st, struct arena *a, sitting_day *d)
{
    (void)a;
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(*d, sizeof(*d), "%s", t ? (const char *)t : "");
}

int
sq_sitting_days(struct store *base, struct arena *a, const char *from, int limit,
                sitting_day **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT day FROM sitting_days WHERE day >= ?1 ORDER BY day"
                              " LIMIT ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_SITTING_DAYS, sql, e);
    sq_bind_text(st, 1, from ? from : "");
    sqlite3_bind_int(st, 2, limit > 0 ? limit : 1000);
    COLLECT(sitting_day, out, n, st, a, read_day);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_sitting_day_set(struct store *base, const char *day, bool sitting, struct err *e)
{
    static const char add[] = "INSERT OR IGNORE INTO sitting_days (day) VALUES (?1)";
    static const char del[] = "DELETE FROM sitting_days WHERE day = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    if (sitting)
        PREP_OR_OUT(st, c, Q_SITTING_ADD, add, e);
    else
        PREP_OR_OUT(st, c, Q_SITTING_DELETE, del, e);
    sq_bind_text(st, 1, day);
    r = sq_step_done(c, st, "sitting day", e);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- presentation and the response ------------------------------------------------------- */

int
sq_presentation_next(struct store *base, int64_t session_id, int *sequence, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(presented_sequence), 0) + 1 FROM petitions"
                              " WHERE presented_session_id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int64_t v = 0;
    int r;
    PREP_OR_OUT(st, c, Q_PRESENTATION_NEXT, sql, e);
    sqlite3_bind_int64(st, 1, session_id);
    r = sq_step_id(c, st, &v, "next presented number", e);
    *sequence = (int)v;
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_present(struct store *base, const struct presentation *p, struct err *e)
{
    static const char sql[] =
        "UPDATE petitions SET presented_at = ?2, presented_session_id = ?3,"
        " presented_sequence = ?4, presenting_member_id = ?5, committee_en = ?6,"
        " committee_fr = ?7, response_ministry_id = ?8 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PRESENT, sql, e);
    sqlite3_bind_int64(st, 1, p->petition_id);
    sqlite3_bind_int64(st, 2, p->at);
    sqlite3_bind_int64(st, 3, p->session_id);
    sqlite3_bind_int(st, 4, p->sequence);
    sq_bind_opt(st, 5, p->member_id);
    sq_bind_text(st, 6, p->committee[LANG_EN]);
    sq_bind_text(st, 7, p->committee[LANG_FR]);
    sq_bind_opt(st, 8, p->response_ministry_id);
    r = sq_step_done(c, st, "present", e);
    if (r == ERR_STORE && sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_UNIQUE)
        r = err_set(e, ERR_CONFLICT, "present.number_taken", NULL, "presented number taken");
    if (!r)
        r = sq_petition_set_state(base, p->petition_id, PETITION_PRESENTED, p->at, e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_response_draft_get(struct store *base, struct arena *a, int64_t petition_id,
                      struct response_draft *out, struct err *e)
{
    static const char sql[] = "SELECT petition_id, ministry_id, signed_by, text_en, text_fr,"
                              " ready_at, updated_at, updated_by FROM response_drafts"
                              " WHERE petition_id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_RESPONSE_DRAFT_GET, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    if ((r = sq_step_one(c, st, "response draft", e)))
        goto out;
    out->petition_id = col_i64(st, 0);
    out->ministry_id = col_i64(st, 1);
    out->signed_by = sq_col_text(st, 2, a);
    out->text[LANG_EN] = sq_col_text(st, 3, a);
    out->text[LANG_FR] = sq_col_text(st, 4, a);
    out->ready_at = col_i64(st, 5);
    out->updated_at = col_i64(st, 6);
    out->updated_by = col_i64(st, 7);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_response_draft_put(struct store *base, const struct response_draft *d, struct err *e)
{
    static const char sql[] =
        "INSERT INTO response_drafts (petition_id, ministry_id, signed_by, text_en, text_fr,"
        " ready_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (petition_id) DO UPDATE SET ministry_id = excluded.ministry_id,"
        " signed_by = excluded.signed_by, text_en = excluded.text_en,"
        " text_fr = excluded.text_fr, ready_at = excluded.ready_at,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_RESPONSE_DRAFT_PUT, sql, e);
    sqlite3_bind_int64(st, 1, d->petition_id);
    sqlite3_bind_int64(st, 2, d->ministry_id);
    sq_bind_text(st, 3, d->signed_by ? d->signed_by : "");
    sq_bind_text(st, 4, d->text[LANG_EN] ? d->text[LANG_EN] : "");
    sq_bind_text(st, 5, d->text[LANG_FR] ? d->text[LANG_FR] : "");
    sq_bind_opt(st, 6, d->ready_at);
    sqlite3_bind_int64(st, 7, d->updated_at);
    sq_bind_opt(st, 8, d->updated_by);
    r = sq_step_done(c, st, "response draft put", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_response_table(struct store *base, int64_t petition_id, const struct response *rs,
                  struct err *e)
{
    static const char sql[] =
        "INSERT INTO responses (petition_id, ministry_id, signed_by, text_en, text_fr,"
        " tabled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_RESPONSE_TABLE, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, rs->ministry.id);
    sq_bind_text(st, 3, rs->signed_by);
    sq_bind_text(st, 4, rs->text[LANG_EN]);
    sq_bind_text(st, 5, rs->text[LANG_FR]);
    sqlite3_bind_int64(st, 6, rs->tabled_at);
    r = sq_step_done(c, st, "response table", e);
    if (r == ERR_STORE && sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        r = err_set(e, ERR_CONFLICT, "response.already", NULL, "response already tabled");
    if (!r)
        r = sq_petition_set_state(base, petition_id, PETITION_RESPONSE_TABLED, rs->tabled_at, e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_state_move_all(struct store *base, enum petition_state from, enum petition_state to,
                  bool drafts, int64_t at, int64_t mailing_id, int64_t *moved, struct err *e)
{
    /* Rare (a dissolution): statements prepared for the occasion. */
    static const char sources[] =
        "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id, label)"
        " SELECT ?1, d.id, p.id, CASE WHEN p.kind = 'electronic' THEN 'e-' || p.e_number"
        " ELSE '' END FROM petitions p LEFT JOIN drafts d ON d.petition_id = p.id"
        " WHERE p.state = ?2 ORDER BY p.id";
    static const char events[] = "INSERT INTO petition_events (petition_id, at, state)"
                                 " SELECT id, ?1, ?2 FROM petitions WHERE state = ?3";
    static const char update[] = "UPDATE petitions SET state = ?2, state_changed_at = ?1"
                                 " WHERE state = ?3";
    static const char draft_sources[] =
        "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id, label)"
        " SELECT ?1, id, NULL, '' FROM drafts WHERE state = ?2 AND petition_id IS NULL"
        " ORDER BY id";
    static const char draft_events[] =
        "INSERT INTO draft_events (draft_id, at, user_id, state, note)"
        " SELECT id, ?1, NULL, ?2, 'dissolution' FROM drafts"
        " WHERE state = ?3 AND petition_id IS NULL";
    static const char draft_update[] =
        "UPDATE drafts SET state = ?2, state_changed_at = ?1, updated_at = ?1"
        " WHERE state = ?3 AND petition_id IS NULL";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    const char *fname = petition_state_name(from), *tname = petition_state_name(to);
    int64_t n = 0, nd = 0;
    int r = 0;
    sqlite3_stmt *st;

    *moved = 0;
    for (int pass = 0; pass < (drafts ? 2 : 1) && !r; pass++) {
        bool d = pass == 1;
        if (mailing_id) {
            if (sqlite3_prepare_v2(c->db, d ? draft_sources : sources, -1, &st, NULL)) {
                r = sq_db_error(e, c->db, "dissolution sources");
                break;
            }
            sqlite3_bind_int64(st, 1, mailing_id);
            sq_bind_text(st, 2, fname);
            int rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc != SQLITE_DONE) {
                r = sq_db_error(e, c->db, "dissolution sources");
                break;
            }
        }
        for (int k = 0; k < 2 && !r; k++) {
            const char *sql = k == 0 ? (d ? draft_events : events) : (d ? draft_update : update);
            if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) {
                r = sq_db_error(e, c->db, "dissolution");
                break;
            }
            sqlite3_bind_int64(st, 1, at);
            sq_bind_text(st, 2, tname);
            sq_bind_text(st, 3, fname);
            int rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc != SQLITE_DONE)
                r = sq_db_error(e, c->db, "dissolution");
            else if (k == 1)
                *(d ? &nd : &n) = sqlite3_changes(c->db);
        }
    }
    *moved = n + nd;
    sq_conn_put(s, c);
    return r;
}

/* ---- mailings to many ----------------------------------------------------------------------- */

int
sq_mailing_insert(struct store *base, struct mailing *m, struct err *e)
{
    static const char sql[] = "INSERT INTO mailings (kind, created_at, vars)"
                              " VALUES (?1, ?2, json(?3))";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_INSERT, sql, e);
    sq_bind_text(st, 1, m->kind);
    sqlite3_bind_int64(st, 2, m->created_at);
    sq_bind_text(st, 3, m->vars ? m->vars : "{}");
    if (!(r = sq_step_done(c, st, "mailing insert", e)))
        m->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_source_add(struct store *base, int64_t mailing_id, const struct mailing_source *src,
                      struct err *e)
{
    static const char sql[] = "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id,"
                              " label) VALUES (?1, ?2, ?3, ?4)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_SOURCE_ADD, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sq_bind_opt(st, 2, src->draft_id);
    sq_bind_opt(st, 3, src->petition_id);
    sq_bind_text(st, 4, src->label ? src->label : "");
    r = sq_step_done(c, st, "mailing source", e);
out:
    sq_conn_put(s, c);
    return r;
}

#define MAILING_COLUMNS                                                                       \
    "id, kind, created_at, vars, collect_source, collect_after, collected_at, done_at"

static void
read_mailing(sqlite3_stmt *st, struct arena *a, struct mailing *m)
{
    m->id = col_i64(st, 0);
    m->kind = sq_col_text(st, 1, a);
    m->created_at = col_i64(st, 2);
    m->vars = sq_col_text(st, 3, a);
    m->collect_source = col_i64(st, 4);
    m->collect_after = col_i64(st, 5);
    m->collected_at = col_i64(st, 6);
    m->done_at = col_i64(st, 7);
}

static int
mailing_one(struct store *base, struct arena *a, enum stmt_id id, const char *sql, int64_t key,
            struct mailing *out, struct err *e)
{
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, id, sql, e);
    if (key)
        sqlite3_bind_int64(st, 1, key);
    if ((r = sq_step_one(c, st, "mailing", e)))
        goto out;
    read_mailing(st, a, out);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_open(struct store *base, struct arena *a, struct mailing *out, struct err *e)
{
    static const char sql[] = "SELECT " MAILING_COLUMNS " FROM mailings WHERE done_at IS NULL"
                              " ORDER BY id LIMIT 1";
    return mailing_one(base, a, Q_MAILING_OPEN, sql, 0, out, e);
}


int
sq_mailing_source_next(struct store *base, struct arena *a, int64_t mailing_id,
                       int64_t after_id, struct mailing_source *out, struct err *e)
{
    static const char sql[] = "SELECT id, draft_id, petition_id, label FROM mailing_sources"
                              " WHERE mailing_id = ?1 AND id > ?2 ORDER BY id LIMIT 1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_MAILING_SOURCE_NEXT, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, after_id);
    if ((r = sq_step_one(c, st, "mailing source", e)))
        goto out;
    out->id = col_i64(st, 0);
    out->draft_id = col_i64(st, 1);
    out->petition_id = col_i64(st, 2);
    out->label = sq_col_text(st, 3, a);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

/* Merge a new label into a recipient's list, once. */
#define MERGE_LABELS                                                                          \
    " ON CONFLICT (mailing_id, email_key) DO UPDATE SET labels = CASE"                        \
    " WHEN excluded.labels = '' OR instr(', ' || labels || ', ', ', ' || excluded.labels"     \
    " || ', ') > 0 THEN labels WHEN labels = '' THEN excluded.labels"                         \
    " ELSE labels || ', ' || excluded.labels END"

int
sq_mailing_recipient_add(struct store *base, int64_t mailing_id,
                         const struct mailing_recipient *rc, struct err *e)
{
    static const char sql[] = "INSERT INTO mailing_recipients (mailing_id, email_key, email,"
                              " name, lang, labels) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" MERGE_LABELS;
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_RECIPIENT_ADD, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sq_bind_text(st, 2, rc->email_key);
    sq_bind_text(st, 3, rc->email);
    sq_bind_text(st, 4, rc->name ? rc->name : "");
    sq_bind_text(st, 5, lang_code(rc->lang));
    sq_bind_text(st, 6, rc->labels ? rc->labels : "");
    r = sq_step_done(c, st, "mailing recipient", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_add_supporters(struct store *base, int64_t mailing_id, int64_t draft_id,
                          const char *label, struct err *e)
{
    static const char sql[] =
        "INSERT INTO mailing_recipients (mailing_id, email_key, email, name, lang, labels)"
        " SELECT ?1, email_key, email, trim(first_name || ' ' || last_name),"
        " coalesce(lang, 'en'), ?3 FROM supporters"
        " WHERE draft_id = ?2 AND confirmed_at IS NOT NULL AND email <> ''" MERGE_LABELS;
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_ADD_SUPPORTERS, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, draft_id);
    sq_bind_text(st, 3, label ? label : "");
    r = sq_step_done(c, st, "mailing supporters", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_add_signatures(struct store *base, int64_t mailing_id, int64_t petition_id,
                          const char *label, int64_t after, int limit, int64_t *last, int *n,
                          struct err *e)
{
    /* The chunk is the next `limit` rows of the petition, whatever their
     * state, so the cursor always moves; the counted ones are listed. */
    static const char last_sql[] =
        "SELECT count(*), coalesce(max(id), ?2) FROM (SELECT id FROM signatures"
        " WHERE petition_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3)";
    static const char sql[] =
        "INSERT INTO mailing_recipients (mailing_id, email_key, email, name, lang, labels)"
        " SELECT ?1, email_key, email, trim(first_name || ' ' || last_name), lang, ?3"
        " FROM signatures WHERE petition_id = ?2 AND id > ?4 AND id <= ?5"
        " AND confirmed_at IS NOT NULL AND review IN ('clear', 'validated') AND email <> ''"
        " ORDER BY id" MERGE_LABELS;
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    *n = 0;
    *last = after;
    PREP_OR_OUT(st, c, Q_MAILING_LAST_SIGNATURE, last_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, after);
    sqlite3_bind_int(st, 3, limit);
    if ((r = sq_step_one(c, st, "mailing chunk", e)))
        goto out;
    *n = sqlite3_column_int(st, 0);
    *last = col_i64(st, 1);
    sq_done(st);
    if (*n == 0)
        goto out;
    PREP_OR_OUT(st, c, Q_MAILING_ADD_SIGNATURES, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, petition_id);
    sq_bind_text(st, 3, label ? label : "");
    sqlite3_bind_int64(st, 4, after);
    sqlite3_bind_int64(st, 5, *last);
    r = sq_step_done(c, st, "mailing signatures", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_cursor(struct store *base, int64_t mailing_id, int64_t source, int64_t after,
                  int64_t collected_at, struct err *e)
{
    static const char sql[] = "UPDATE mailings SET collect_source = ?2, collect_after = ?3,"
                              " collected_at = ?4 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_CURSOR, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, source);
    sqlite3_bind_int64(st, 3, after);
    sq_bind_opt(st, 4, collected_at);
    r = sq_step_done(c, st, "mailing cursor", e);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_recipient(sqlite3_stmt *st, struct arena *a, struct mailing_recipient *x)
{
    x->email_key = sq_col_text(st, 0, a);
    x->email = sq_col_text(st, 1, a);
    x->name = sq_col_text(st, 2, a);
    x->lang = col_lang(st, 3);
    x->labels = sq_col_text(st, 4, a);
}

int
sq_mailing_batch(struct store *base, struct arena *a, int64_t mailing_id, int limit,
                 struct mailing_recipient **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT email_key, email, name, lang, labels"
                              " FROM mailing_recipients WHERE mailing_id = ?1"
                              " AND queued_at IS NULL ORDER BY email_key LIMIT ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_MAILING_BATCH, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int(st, 2, limit);
    COLLECT(struct mailing_recipient, out, n, st, a, read_recipient);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_queued(struct store *base, int64_t mailing_id, const char *email_key, int64_t at,
                  struct err *e)
{
    static const char sql[] = "UPDATE mailing_recipients SET queued_at = ?3"
                              " WHERE mailing_id = ?1 AND email_key = ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_QUEUED, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sq_bind_text(st, 2, email_key);
    sqlite3_bind_int64(st, 3, at);
    r = sq_step_done(c, st, "mailing queued", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_done(struct store *base, int64_t mailing_id, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE mailings SET done_at = ?2 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_DONE, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, at);
    r = sq_step_done(c, st, "mailing done", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_mailing_progress(struct store *base, int64_t mailing_id, struct mailing_progress *out,
                    struct err *e)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM mailing_recipients WHERE mailing_id = ?1),"
        " (SELECT count(queued_at) FROM mailing_recipients WHERE mailing_id = ?1),"
        " (SELECT count(*) FROM outbox WHERE mailing_id = ?1 AND sent_at IS NOT NULL)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_MAILING_PROGRESS, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    if ((r = sq_step_one(c, st, "mailing progress", e)))
        goto out;
    out->recipients = col_i64(st, 0);
    out->queued = col_i64(st, 1);
    out->sent = col_i64(st, 2);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

