/*
 * house.c: the SQLite backend's Parliament (store/house.h): Parliaments,
 * sessions, Members, ministries and ministers as the loaders write them;
 * Parliament's calendar (prorogation, dissolution, sitting days); and
 * what follows certification: presentation, the response being written
 * and tabled, and moving every petition of a state at dissolution.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- insert or update by natural key ---------------------------------------------------- */

static int
sq_parliament_put(struct store_conn *conn, struct parliament *p, struct err *e)
{
    static const char sql[] =
        "INSERT INTO parliaments (number, opened_at, dissolved_at) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (number) DO UPDATE SET opened_at = excluded.opened_at,"
        " dissolved_at = excluded.dissolved_at";
    static const char idsql[] = "SELECT id FROM parliaments WHERE number = ?1";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_PARLIAMENT_PUT, sql, e);
    if (!st)
        goto out;
    sqlite3_bind_int(st, 1, p->number);
    sqlite3_bind_int64(st, 2, p->opened_at);
    sq_bind_opt(st, 3, p->dissolved_at);
    if ((r = sq_step_done(c, st, "parliament put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_PARLIAMENT_ID, idsql, e)))
        goto out;
    sqlite3_bind_int(st, 1, p->number);
    r = sq_step_id(c, st, &p->id, "parliament id", e);
out:
    return r;
}

static int
sq_session_put(struct store_conn *conn, struct session *ses, struct err *e)
{
    static const char sql[] =
        "INSERT INTO sessions (parliament_id, number, opened_at, ended_at, end_kind)"
        " SELECT id, ?2, ?3, ?4, CASE WHEN ?4 IS NULL THEN NULL WHEN ?5 THEN 'dissolution'"
        " ELSE 'prorogation' END FROM parliaments WHERE number = ?1"
        " ON CONFLICT (parliament_id, number) DO UPDATE SET opened_at = excluded.opened_at,"
        " ended_at = excluded.ended_at, end_kind = excluded.end_kind";
    static const char idsql[] = "SELECT s.id FROM sessions s JOIN parliaments p"
                                " ON p.id = s.parliament_id WHERE p.number = ?1 AND s.number = ?2";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_SESSION_PUT, sql, e);
    if (!st)
        goto out;
    sqlite3_bind_int(st, 1, ses->parliament);
    sqlite3_bind_int(st, 2, ses->number);
    sqlite3_bind_int64(st, 3, ses->opened_at);
    sq_bind_opt(st, 4, ses->ended_at);
    sqlite3_bind_int(st, 5, ses->dissolved);
    if ((r = sq_step_done(c, st, "session put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_SESSION_ID, idsql, e)))
        goto out;
    sqlite3_bind_int(st, 1, ses->parliament);
    sqlite3_bind_int(st, 2, ses->number);
    r = sq_step_id(c, st, &ses->id, "session id", e);
out:
    return r;
}

static int
sq_member_put(struct store_conn *conn, struct member *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO members (key, first_name, last_name, honorific, constituency_en,"
        " constituency_fr, province, caucus_en, caucus_fr, is_speaker)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT (key) DO UPDATE SET first_name = excluded.first_name,"
        " last_name = excluded.last_name, honorific = excluded.honorific,"
        " constituency_en = excluded.constituency_en, constituency_fr = excluded.constituency_fr,"
        " province = excluded.province, caucus_en = excluded.caucus_en,"
        " caucus_fr = excluded.caucus_fr, is_speaker = excluded.is_speaker";
    static const char idsql[] = "SELECT id FROM members WHERE key = ?1";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_MEMBER_PUT, sql, e);
    if (!st)
        goto out;
    sq_bind_text(st, 1, m->key);
    sq_bind_text(st, 2, m->first_name);
    sq_bind_text(st, 3, m->last_name);
    sq_bind_text(st, 4, m->honorific ? m->honorific : "");
    sq_bind_text(st, 5, m->constituency[LANG_EN]);
    sq_bind_text(st, 6, m->constituency[LANG_FR]);
    sq_bind_text(st, 7, region_code(m->province));
    sq_bind_text(st, 8, m->caucus[LANG_EN]);
    sq_bind_text(st, 9, m->caucus[LANG_FR]);
    sqlite3_bind_int(st, 10, m->is_speaker);
    if ((r = sq_step_done(c, st, "member put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_MEMBER_ID, idsql, e)))
        goto out;
    sq_bind_text(st, 1, m->key);
    r = sq_step_id(c, st, &m->id, "member id", e);
out:
    return r;
}

static int
sq_ministry_put(struct store_conn *conn, struct ministry *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO ministries (code, title_en, title_fr) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (code) DO UPDATE SET title_en = excluded.title_en,"
        " title_fr = excluded.title_fr";
    static const char idsql[] = "SELECT id FROM ministries WHERE code = ?1";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_MINISTRY_PUT, sql, e);
    if (!st)
        goto out;
    sq_bind_text(st, 1, m->code);
    sq_bind_text(st, 2, m->title[LANG_EN]);
    sq_bind_text(st, 3, m->title[LANG_FR]);
    if ((r = sq_step_done(c, st, "ministry put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_MINISTRY_ID, idsql, e)))
        goto out;
    sq_bind_text(st, 1, m->code);
    r = sq_step_id(c, st, &m->id, "ministry id", e);
out:
    return r;
}

static int
sq_minister_put(struct store_conn *conn, struct minister *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO ministers (ministry_id, name, from_at, to_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (ministry_id, name, from_at) DO UPDATE SET to_at = excluded.to_at"
        " RETURNING id";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_MINISTER_PUT, sql, e);
    if (st) {
        sqlite3_bind_int64(st, 1, m->ministry_id);
        sq_bind_text(st, 2, m->name);
        sqlite3_bind_int64(st, 3, m->from_at);
        sq_bind_opt(st, 4, m->to_at);
        r = sq_step_id(c, st, &m->id, "minister put", e);
    }
    return r;
}

/* ---- Parliaments, Members and ministries --------------------------------------------- */

static void
read_parliament(sqlite3_stmt *st, struct arena *a, struct parliament *x)
{
    (void)a;
    x->id = col_i64(st, 0);
    x->number = sqlite3_column_int(st, 1);
    x->opened_at = col_i64(st, 2);
    x->dissolved_at = col_i64(st, 3);
    x->petitions = sqlite3_column_int(st, 4);
}

static int
sq_parliament_list(struct store_conn *conn, struct arena *a, struct parliament **out, int *n,
                   struct err *e)
{
    static const char sql[] =
        "SELECT par.id, par.number, par.opened_at, par.dissolved_at,"
        " (SELECT count(*) FROM petitions p WHERE p.parliament_id = par.id AND p.state "
        "IN " PUBLIC_STATES ") FROM parliaments par ORDER BY par.number DESC";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_PARLIAMENT_LIST, sql, e);
    COLLECT(struct parliament, out, n, st, a, read_parliament);
    sq_done(st);
out:
    return r;
}

static void
read_directory_member(sqlite3_stmt *st, struct arena *a, struct member *m)
{
    sq_read_member(st, a, m);
    m->active = sqlite3_column_int(st, 11) != 0;
    m->petitions = sqlite3_column_int(st, 12);
}

static int
sq_member_directory(struct store_conn *conn, struct arena *a, struct member **out, int *n,
                    struct err *e)
{
    static const char sql[] =
        "SELECT " SQ_MEMBER_COLUMNS ", active, (SELECT count(*) FROM petitions p"
        " WHERE p.authorizing_member_id = members.id AND p.state IN " PUBLIC_STATES ")"
        " FROM members WHERE active = 1 OR EXISTS (SELECT 1 FROM petitions p"
        " WHERE (p.authorizing_member_id = members.id OR p.presenting_member_id = members.id)"
        " AND p.state IN " PUBLIC_STATES ") ORDER BY last_name, first_name, id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MEMBER_DIRECTORY, sql, e);
    COLLECT(struct member, out, n, st, a, read_directory_member);
    sq_done(st);
out:
    return r;
}

static int
sq_member_list(struct store_conn *conn, struct arena *a, bool with_speaker, struct member **out,
               int *n, struct err *e)
{
    static const char sql[] = "SELECT " SQ_MEMBER_COLUMNS " FROM members"
                              " WHERE active = 1 AND (?1 OR is_speaker = 0)"
                              " ORDER BY last_name, first_name, id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MEMBER_LIST, sql, e);
    sqlite3_bind_int(st, 1, with_speaker);
    COLLECT(struct member, out, n, st, a, sq_read_member);
    sq_done(st);
out:
    return r;
}

static int
sq_member_get(struct store_conn *conn, struct arena *a, int64_t id, const char *key,
              struct member *out, struct err *e)
{
    static const char sql[] = "SELECT " SQ_MEMBER_COLUMNS " FROM members"
                              " WHERE id = ?1 OR (?1 = 0 AND key = ?2)";
    struct sq_conn *c = sq_conn(conn);
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

static int
sq_ministry_list(struct store_conn *conn, struct arena *a, struct ministry **out, int *n,
                 struct err *e)
{
    static const char sql[] = "SELECT id, code, title_en, title_fr FROM ministries"
                              " ORDER BY title_en, id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MINISTRY_LIST, sql, e);
    COLLECT(struct ministry, out, n, st, a, read_ministry);
    sq_done(st);
out:
    return r;
}

static int
sq_ministry_get(struct store_conn *conn, struct arena *a, int64_t id, const char *code,
                struct ministry *out, struct err *e)
{
    static const char sql[] = "SELECT id, code, title_en, title_fr FROM ministries"
                              " WHERE id = ?1 OR (?1 = 0 AND code = ?2)";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

/* ---- Parliament's calendar -------------------------------------------------------------- */

static int
sq_session_current(struct store_conn *conn, int *parliament, int *session, struct err *e)
{
    static const char sql[] = "SELECT p.number * 10 + s.number FROM sessions s JOIN parliaments p"
                              " ON p.id = s.parliament_id WHERE p.dissolved_at IS NULL"
                              " ORDER BY p.number DESC, s.number DESC LIMIT 1";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
sq_house_status(struct store_conn *conn, struct house_status *out, struct err *e)
{
    static const char sql[] =
        "SELECT p.id, p.number, p.opened_at, p.dissolved_at, s.id, s.number, s.opened_at,"
        " s.ended_at, s.end_kind FROM parliaments p"
        " LEFT JOIN sessions s ON s.id = (SELECT id FROM sessions WHERE parliament_id = p.id"
        "                                  ORDER BY number DESC LIMIT 1)"
        " ORDER BY p.number DESC LIMIT 1";
    struct sq_conn *c = sq_conn(conn);
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

static int
sq_session_list(struct store_conn *conn, struct arena *a, struct session **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT s.id, s.parliament_id, p.number, s.number, s.opened_at, s.ended_at, s.end_kind,"
        " (SELECT count(*) FROM petitions x WHERE x.session_id = s.id AND x.state IN " PUBLIC_STATES
        ") FROM sessions s JOIN parliaments p ON p.id = s.parliament_id"
        " ORDER BY p.number DESC, s.number DESC";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_SESSION_LIST, sql, e);
    COLLECT(struct session, out, n, st, a, read_session);
    sq_done(st);
out:
    return r;
}

static int
sq_session_end(struct store_conn *conn, int64_t session_id, int64_t at, bool dissolution,
               struct err *e)
{
    static const char sql[] = "UPDATE sessions SET ended_at = ?2, end_kind = ?3"
                              " WHERE id = ?1 AND ended_at IS NULL";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SESSION_END, sql, e);
    sqlite3_bind_int64(st, 1, session_id);
    sqlite3_bind_int64(st, 2, at);
    sq_bind_text(st, 3, dissolution ? "dissolution" : "prorogation");
    r = sq_step_done(c, st, "session end", e);
out:
    return r;
}

static int
sq_parliament_dissolve(struct store_conn *conn, int64_t parliament_id, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE parliaments SET dissolved_at = ?2"
                              " WHERE id = ?1 AND dissolved_at IS NULL";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PARLIAMENT_DISSOLVE, sql, e);
    sqlite3_bind_int64(st, 1, parliament_id);
    sqlite3_bind_int64(st, 2, at);
    r = sq_step_done(c, st, "parliament dissolve", e);
out:
    return r;
}

static void
read_day(sqlite3_stmt *st, struct arena *a, sitting_day *d)
{
    (void)a;
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(*d, sizeof(*d), "%s", t ? (const char *)t : "");
}

static int
sq_sitting_days(struct store_conn *conn, struct arena *a, const char *from, int limit,
                sitting_day **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT day FROM sitting_days WHERE day >= ?1 ORDER BY day"
                              " LIMIT ?2";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
sq_sitting_day_set(struct store_conn *conn, const char *day, bool sitting, struct err *e)
{
    static const char add[] = "INSERT OR IGNORE INTO sitting_days (day) VALUES (?1)";
    static const char del[] = "DELETE FROM sitting_days WHERE day = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if (sitting)
        PREP_OR_OUT(st, c, Q_SITTING_ADD, add, e);
    else
        PREP_OR_OUT(st, c, Q_SITTING_DELETE, del, e);
    sq_bind_text(st, 1, day);
    r = sq_step_done(c, st, "sitting day", e);
out:
    return r;
}

/* ---- presentation and the response ------------------------------------------------------ */

static int
sq_presentation_next(struct store_conn *conn, int64_t session_id, int *sequence, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(presented_sequence), 0) + 1 FROM petitions"
                              " WHERE presented_session_id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int64_t v = 0;
    int r;
    PREP_OR_OUT(st, c, Q_PRESENTATION_NEXT, sql, e);
    sqlite3_bind_int64(st, 1, session_id);
    r = sq_step_id(c, st, &v, "next presented number", e);
    *sequence = (int)v;
out:
    return r;
}

static int
sq_petition_present(struct store_conn *conn, const struct presentation *p, struct err *e)
{
    static const char sql[] =
        "UPDATE petitions SET presented_at = ?2, presented_session_id = ?3,"
        " presented_sequence = ?4, presenting_member_id = ?5, committee_en = ?6,"
        " committee_fr = ?7, response_ministry_id = ?8 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if ((r = sq_write_begin(c, e)))
        return r;
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
    if (!r)
        r = sq_petition_set_state(conn, p->petition_id, PETITION_PRESENTED, p->at, e);
out:
    return sq_write_end(c, r, e);
}

static int
sq_response_draft_get(struct store_conn *conn, struct arena *a, int64_t petition_id,
                      struct response_draft *out, struct err *e)
{
    static const char sql[] = "SELECT petition_id, ministry_id, signed_by, text_en, text_fr,"
                              " ready_at, updated_at, updated_by,"
                              " coalesce(signed_by_fr, signed_by) FROM response_drafts"
                              " WHERE petition_id = ?1";
    struct sq_conn *c = sq_conn(conn);
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
    out->signed_by_fr = sq_col_text(st, 8, a);
    sq_done(st);
out:
    return r;
}

static int
sq_response_draft_put(struct store_conn *conn, const struct response_draft *d, struct err *e)
{
    static const char sql[] =
        "INSERT INTO response_drafts (petition_id, ministry_id, signed_by, text_en, text_fr,"
        " ready_at, updated_at, updated_by, signed_by_fr)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, ''))"
        " ON CONFLICT (petition_id) DO UPDATE SET ministry_id = excluded.ministry_id,"
        " signed_by = excluded.signed_by, signed_by_fr = excluded.signed_by_fr,"
        " text_en = excluded.text_en,"
        " text_fr = excluded.text_fr, ready_at = excluded.ready_at,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
    struct sq_conn *c = sq_conn(conn);
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
    sq_bind_text(st, 9, d->signed_by_fr);
    r = sq_step_done(c, st, "response draft put", e);
out:
    return r;
}

static int
sq_response_table(struct store_conn *conn, int64_t petition_id, const struct response *rs,
                  struct err *e)
{
    static const char sql[] =
        "INSERT INTO responses (petition_id, ministry_id, signed_by, text_en, text_fr,"
        " tabled_at, signed_by_fr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, ''))";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if ((r = sq_write_begin(c, e)))
        return r;
    PREP_OR_OUT(st, c, Q_RESPONSE_TABLE, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, rs->ministry.id);
    sq_bind_text(st, 3, rs->signed_by);
    sq_bind_text(st, 4, rs->text[LANG_EN]);
    sq_bind_text(st, 5, rs->text[LANG_FR]);
    sqlite3_bind_int64(st, 6, rs->tabled_at);
    sq_bind_text(st, 7, rs->signed_by_fr);
    r = sq_step_done(c, st, "response table", e);
    if (!r)
        r = sq_petition_set_state(conn, petition_id, PETITION_RESPONSE_TABLED, rs->tabled_at, e);
out:
    return sq_write_end(c, r, e);
}

static int
sq_state_move_all(struct store_conn *conn, enum petition_state from, enum petition_state to,
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
    struct sq_conn *c = sq_conn(conn);
    const char *fname = petition_state_name(from), *tname = petition_state_name(to);
    int64_t n = 0, nd = 0;
    int r = 0;
    sqlite3_stmt *st;

    *moved = 0;
    if ((r = sq_write_begin(c, e)))
        return r;
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
    return sq_write_end(c, r, e);
}

const struct store_house_ops sq_house_ops = {
    .parliament_put = sq_parliament_put,
    .session_put = sq_session_put,
    .member_put = sq_member_put,
    .ministry_put = sq_ministry_put,
    .minister_put = sq_minister_put,
    .parliament_list = sq_parliament_list,
    .member_directory = sq_member_directory,
    .member_list = sq_member_list,
    .member_get = sq_member_get,
    .ministry_list = sq_ministry_list,
    .ministry_get = sq_ministry_get,
    .session_current = sq_session_current,
    .house_status = sq_house_status,
    .session_list = sq_session_list,
    .session_end = sq_session_end,
    .parliament_dissolve = sq_parliament_dissolve,
    .sitting_days = sq_sitting_days,
    .sitting_day_set = sq_sitting_day_set,
    .presentation_next = sq_presentation_next,
    .petition_present = sq_petition_present,
    .response_draft_get = sq_response_draft_get,
    .response_draft_put = sq_response_draft_put,
    .response_table = sq_response_table,
    .state_move_all = sq_state_move_all,
};
