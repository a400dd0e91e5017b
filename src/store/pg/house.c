/*
 * house.c: the PostgreSQL backend's Parliament (store/house.h):
 * Parliaments, sessions, Members, ministries and ministers as the loaders
 * write them; Parliament's calendar (prorogation, dissolution, sitting
 * days); and what follows certification: presentation, the response
 * being written and tabled, and moving every petition of a state at
 * dissolution.  The statements are those of store/sqlite/house.c.
 *
 * Presented numbers are unique under concurrent writers as in SQLite:
 * every write transaction first takes the row of write_lock (backend.c),
 * so store_presentation_next() reads the highest number with no other
 * writer between it and the presentation, and the schema's UNIQUE
 * (presented_session_id, presented_sequence) refuses the rest
 * (ERR_CONFLICT, undone by pg_write_end()).
 */
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* ---- insert or update by natural key ---------------------------------------------------- */

static int
pg_parliament_put(struct store_conn *conn, struct parliament *p, struct err *e)
{
    /* The upsert returns the id whether it inserted or updated, where
     * SQLite's reads it with a second statement. */
    static const char sql[] =
        "INSERT INTO parliaments (number, opened_at, dissolved_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (number) DO UPDATE SET opened_at = excluded.opened_at,"
        " dissolved_at = excluded.dissolved_at RETURNING id";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, p->number);
    pg_arg_i64(&a, p->opened_at);
    pg_arg_opt(&a, p->dissolved_at);
    return pg_run_id(pg_conn(conn), sql, &a, &p->id, "parliament put", e);
}

static int
pg_session_put(struct store_conn *conn, struct session *ses, struct err *e)
{
    /* No row when the Parliament is unknown: ERR_NOT_FOUND, as SQLite's
     * second statement finds. */
    static const char sql[] =
        "INSERT INTO sessions (parliament_id, number, opened_at, ended_at, end_kind)"
        " SELECT id, $2::integer, $3::bigint, $4::bigint, CASE WHEN $4::bigint IS NULL THEN NULL"
        " WHEN $5::integer <> 0 THEN 'dissolution' ELSE 'prorogation' END"
        " FROM parliaments WHERE number = $1::integer"
        " ON CONFLICT (parliament_id, number) DO UPDATE SET opened_at = excluded.opened_at,"
        " ended_at = excluded.ended_at, end_kind = excluded.end_kind RETURNING id";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, ses->parliament);
    pg_arg_i64(&a, ses->number);
    pg_arg_i64(&a, ses->opened_at);
    pg_arg_opt(&a, ses->ended_at);
    pg_arg_flag(&a, ses->dissolved);
    return pg_run_id(pg_conn(conn), sql, &a, &ses->id, "session put", e);
}

static int
pg_member_put(struct store_conn *conn, struct member *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO members (key, first_name, last_name, honorific, constituency_en,"
        " constituency_fr, province, caucus_en, caucus_fr, is_speaker)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (key) DO UPDATE SET first_name = excluded.first_name,"
        " last_name = excluded.last_name, honorific = excluded.honorific,"
        " constituency_en = excluded.constituency_en, constituency_fr = excluded.constituency_fr,"
        " province = excluded.province, caucus_en = excluded.caucus_en,"
        " caucus_fr = excluded.caucus_fr, is_speaker = excluded.is_speaker RETURNING id";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_text(&a, m->key);
    pg_arg_text(&a, m->first_name);
    pg_arg_text(&a, m->last_name);
    pg_arg_text(&a, m->honorific ? m->honorific : "");
    pg_arg_text(&a, m->constituency[LANG_EN]);
    pg_arg_text(&a, m->constituency[LANG_FR]);
    pg_arg_text(&a, region_code(m->province));
    pg_arg_text(&a, m->caucus[LANG_EN]);
    pg_arg_text(&a, m->caucus[LANG_FR]);
    pg_arg_flag(&a, m->is_speaker);
    return pg_run_id(pg_conn(conn), sql, &a, &m->id, "member put", e);
}

static int
pg_ministry_put(struct store_conn *conn, struct ministry *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO ministries (code, title_en, title_fr) VALUES ($1, $2, $3)"
        " ON CONFLICT (code) DO UPDATE SET title_en = excluded.title_en,"
        " title_fr = excluded.title_fr RETURNING id";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_text(&a, m->code);
    pg_arg_text(&a, m->title[LANG_EN]);
    pg_arg_text(&a, m->title[LANG_FR]);
    return pg_run_id(pg_conn(conn), sql, &a, &m->id, "ministry put", e);
}

static int
pg_minister_put(struct store_conn *conn, struct minister *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO ministers (ministry_id, name, from_at, to_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (ministry_id, name, from_at) DO UPDATE SET to_at = excluded.to_at"
        " RETURNING id";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, m->ministry_id);
    pg_arg_text(&a, m->name);
    pg_arg_i64(&a, m->from_at);
    pg_arg_opt(&a, m->to_at);
    return pg_run_id(pg_conn(conn), sql, &a, &m->id, "minister put", e);
}

/* ---- Parliaments, Members and ministries --------------------------------------------- */

static void
read_parliament(const PGresult *res, int row, struct arena *a, struct parliament *x)
{
    (void)a;
    x->id = pg_i64(res, row, 0);
    x->number = (int)pg_i64(res, row, 1);
    x->opened_at = pg_i64(res, row, 2);
    x->dissolved_at = pg_i64(res, row, 3);
    x->petitions = (int)pg_i64(res, row, 4);
}

static int
pg_parliament_list(struct store_conn *conn, struct arena *a, struct parliament **out, int *n,
                   struct err *e)
{
    static const char sql[] =
        "SELECT par.id, par.number, par.opened_at, par.dissolved_at,"
        " (SELECT count(*) FROM petitions p WHERE p.parliament_id = par.id AND p.state "
        "IN " PG_PUBLIC_STATES ") FROM parliaments par ORDER BY par.number DESC";
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(pg_conn(conn), sql, NULL, "parliament list", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(struct parliament, out, n, res, a, read_parliament);
    PQclear(res);
    return 0;
}

static void
read_directory_member(const PGresult *res, int row, struct arena *a, struct member *m)
{
    pg_read_member(res, row, a, m);
    m->active = pg_flag(res, row, 11);
    m->petitions = (int)pg_i64(res, row, 12);
}

static int
pg_member_directory(struct store_conn *conn, struct arena *a, struct member **out, int *n,
                    struct err *e)
{
    static const char sql[] =
        "SELECT " PG_MEMBER_COLUMNS ", active, (SELECT count(*) FROM petitions p"
        " WHERE p.authorizing_member_id = members.id AND p.state IN " PG_PUBLIC_STATES ")"
        " FROM members WHERE active = 1 OR EXISTS (SELECT 1 FROM petitions p"
        " WHERE (p.authorizing_member_id = members.id OR p.presenting_member_id = members.id)"
        " AND p.state IN " PG_PUBLIC_STATES ")"
        " ORDER BY last_name, first_name, id";
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(pg_conn(conn), sql, NULL, "member directory", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(struct member, out, n, res, a, read_directory_member);
    PQclear(res);
    return 0;
}

static int
pg_member_list(struct store_conn *conn, struct arena *a, bool with_speaker, struct member **out,
               int *n, struct err *e)
{
    static const char sql[] = "SELECT " PG_MEMBER_COLUMNS " FROM members"
                              " WHERE active = 1 AND ($1::integer <> 0 OR is_speaker = 0)"
                              " ORDER BY last_name, first_name, id";
    struct pg_args q = PG_ARGS_INIT;
    *out = NULL;
    *n = 0;
    pg_arg_flag(&q, with_speaker);
    PGresult *res = pg_run(pg_conn(conn), sql, &q, "member list", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(struct member, out, n, res, a, pg_read_member);
    PQclear(res);
    return 0;
}

static int
pg_member_get(struct store_conn *conn, struct arena *a, int64_t id, const char *key,
              struct member *out, struct err *e)
{
    static const char sql[] = "SELECT " PG_MEMBER_COLUMNS " FROM members"
                              " WHERE id = $1 OR ($1 = 0 AND key = $2)";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    int r;
    pg_arg_i64(&q, id);
    pg_arg_text(&q, key ? key : "");
    memset(out, 0, sizeof(*out));
    if ((r = pg_run_one(pg_conn(conn), sql, &q, &res, "member", e)))
        return r;
    pg_read_member(res, 0, a, out);
    PQclear(res);
    return 0;
}

static void
read_ministry(const PGresult *res, int row, struct arena *a, struct ministry *m)
{
    m->id = pg_i64(res, row, 0);
    m->code = pg_text(res, row, 1, a);
    m->title[LANG_EN] = pg_text(res, row, 2, a);
    m->title[LANG_FR] = pg_text(res, row, 3, a);
}

static int
pg_ministry_list(struct store_conn *conn, struct arena *a, struct ministry **out, int *n,
                 struct err *e)
{
    static const char sql[] = "SELECT id, code, title_en, title_fr FROM ministries"
                              " ORDER BY title_en, id";
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(pg_conn(conn), sql, NULL, "ministry list", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(struct ministry, out, n, res, a, read_ministry);
    PQclear(res);
    return 0;
}

static int
pg_ministry_get(struct store_conn *conn, struct arena *a, int64_t id, const char *code,
                struct ministry *out, struct err *e)
{
    static const char sql[] = "SELECT id, code, title_en, title_fr FROM ministries"
                              " WHERE id = $1 OR ($1 = 0 AND code = $2)";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    int r;
    pg_arg_i64(&q, id);
    pg_arg_text(&q, code ? code : "");
    memset(out, 0, sizeof(*out));
    if ((r = pg_run_one(pg_conn(conn), sql, &q, &res, "ministry", e)))
        return r;
    read_ministry(res, 0, a, out);
    PQclear(res);
    return 0;
}

/* ---- Parliament's calendar -------------------------------------------------------------- */

static int
pg_session_current(struct store_conn *conn, int *parliament, int *session, struct err *e)
{
    static const char sql[] = "SELECT p.number * 10 + s.number FROM sessions s JOIN parliaments p"
                              " ON p.id = s.parliament_id WHERE p.dissolved_at IS NULL"
                              " ORDER BY p.number DESC, s.number DESC LIMIT 1";
    int64_t v = 0;
    int r = pg_run_id(pg_conn(conn), sql, NULL, &v, "current session", e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_CONFLICT, "error.no_session", NULL, "no session is open");
    *parliament = (int)(v / 10);
    *session = (int)(v % 10);
    return r;
}

static int
pg_house_status(struct store_conn *conn, struct house_status *out, struct err *e)
{
    static const char sql[] =
        "SELECT p.id, p.number, p.opened_at, p.dissolved_at, s.id, s.number, s.opened_at,"
        " s.ended_at, s.end_kind FROM parliaments p"
        " LEFT JOIN sessions s ON s.id = (SELECT id FROM sessions WHERE parliament_id = p.id"
        "                                  ORDER BY number DESC LIMIT 1)"
        " ORDER BY p.number DESC LIMIT 1";
    PGresult *res;
    int r;

    memset(out, 0, sizeof(*out));
    r = pg_run_one(pg_conn(conn), sql, NULL, &res, "house status", e);
    if (r == ERR_NOT_FOUND)
        return 0; /* no Parliament recorded: parliament 0, dissolved */
    if (r)
        return r;
    out->parliament_id = pg_i64(res, 0, 0);
    out->parliament = (int)pg_i64(res, 0, 1);
    out->parliament_opened_at = pg_i64(res, 0, 2);
    out->dissolved_at = pg_i64(res, 0, 3);
    out->session_id = pg_i64(res, 0, 4);
    out->session = (int)pg_i64(res, 0, 5);
    out->session_opened_at = pg_i64(res, 0, 6);
    out->session_ended_at = pg_i64(res, 0, 7);
    const char *k = pg_null(res, 0, 8) ? NULL : PQgetvalue(res, 0, 8);
    out->session_end = !out->session_ended_at ? SESSION_CURRENT
                       : k && k[0] == 'd'     ? SESSION_DISSOLVED
                                              : SESSION_PROROGUED;
    PQclear(res);
    return 0;
}

static void
read_session(const PGresult *res, int row, struct arena *a, struct session *x)
{
    (void)a;
    x->id = pg_i64(res, row, 0);
    x->parliament_id = pg_i64(res, row, 1);
    x->parliament = (int)pg_i64(res, row, 2);
    x->number = (int)pg_i64(res, row, 3);
    x->opened_at = pg_i64(res, row, 4);
    x->ended_at = pg_i64(res, row, 5);
    x->dissolved = !pg_null(res, row, 6) && PQgetvalue(res, row, 6)[0] == 'd';
    x->petitions = (int)pg_i64(res, row, 7);
}

static int
pg_session_list(struct store_conn *conn, struct arena *a, struct session **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT s.id, s.parliament_id, p.number, s.number, s.opened_at, s.ended_at, s.end_kind,"
        " (SELECT count(*) FROM petitions x WHERE x.session_id = s.id AND x.state "
        "IN " PG_PUBLIC_STATES ") FROM sessions s JOIN parliaments p ON p.id = s.parliament_id"
        " ORDER BY p.number DESC, s.number DESC";
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(pg_conn(conn), sql, NULL, "session list", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(struct session, out, n, res, a, read_session);
    PQclear(res);
    return 0;
}

static int
pg_session_end(struct store_conn *conn, int64_t session_id, int64_t at, bool dissolution,
               struct err *e)
{
    static const char sql[] = "UPDATE sessions SET ended_at = $2, end_kind = $3"
                              " WHERE id = $1 AND ended_at IS NULL";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, session_id);
    pg_arg_i64(&a, at);
    pg_arg_text(&a, dissolution ? "dissolution" : "prorogation");
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "session end", e);
}

static int
pg_parliament_dissolve(struct store_conn *conn, int64_t parliament_id, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE parliaments SET dissolved_at = $2"
                              " WHERE id = $1 AND dissolved_at IS NULL";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, parliament_id);
    pg_arg_i64(&a, at);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "parliament dissolve", e);
}

static void
read_day(const PGresult *res, int row, struct arena *a, sitting_day *d)
{
    (void)a;
    snprintf(*d, sizeof(*d), "%s", pg_null(res, row, 0) ? "" : PQgetvalue(res, row, 0));
}

static int
pg_sitting_days(struct store_conn *conn, struct arena *a, const char *from, int limit,
                sitting_day **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT day FROM sitting_days WHERE day >= $1 ORDER BY day"
                              " LIMIT $2";
    struct pg_args q = PG_ARGS_INIT;
    *out = NULL;
    *n = 0;
    pg_arg_text(&q, from ? from : "");
    pg_arg_i64(&q, limit > 0 ? limit : 1000);
    PGresult *res = pg_run(pg_conn(conn), sql, &q, "sitting days", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    PG_COLLECT(sitting_day, out, n, res, a, read_day);
    PQclear(res);
    return 0;
}

static int
pg_sitting_day_set(struct store_conn *conn, const char *day, bool sitting, struct err *e)
{
    /* SQLite's INSERT OR IGNORE: the guard's trigger runs before the
     * conflict is found, in both. */
    static const char add[] = "INSERT INTO sitting_days (day) VALUES ($1) ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM sitting_days WHERE day = $1";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_text(&a, day);
    return pg_run_done(pg_conn(conn), sitting ? add : del, &a, NULL, "sitting day", e);
}

/* ---- presentation and the response ------------------------------------------------------ */

static int
pg_presentation_next(struct store_conn *conn, int64_t session_id, int *sequence, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(presented_sequence), 0) + 1 FROM petitions"
                              " WHERE presented_session_id = $1";
    struct pg_args a = PG_ARGS_INIT;
    int64_t v = 0;
    pg_arg_i64(&a, session_id);
    int r = pg_run_id(pg_conn(conn), sql, &a, &v, "next presented number", e);
    *sequence = (int)v;
    return r;
}

static int
pg_petition_present(struct store_conn *conn, const struct presentation *p, struct err *e)
{
    static const char sql[] =
        "UPDATE petitions SET presented_at = $2, presented_session_id = $3,"
        " presented_sequence = $4, presenting_member_id = $5, committee_en = $6,"
        " committee_fr = $7, response_ministry_id = $8 WHERE id = $1";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args a = PG_ARGS_INIT;
    int r;
    pg_arg_i64(&a, p->petition_id);
    pg_arg_i64(&a, p->at);
    pg_arg_i64(&a, p->session_id);
    pg_arg_i64(&a, p->sequence);
    pg_arg_opt(&a, p->member_id);
    pg_arg_text(&a, p->committee[LANG_EN]);
    pg_arg_text(&a, p->committee[LANG_FR]);
    pg_arg_opt(&a, p->response_ministry_id);
    if ((r = pg_write_begin(c, e)))
        return r;
    /* A number taken is unique_violation: ERR_CONFLICT, undone below. */
    r = pg_run_done(c, sql, &a, NULL, "present", e);
    if (!r)
        r = pg_petition_set_state(conn, p->petition_id, PETITION_PRESENTED, p->at, e);
    return pg_write_end(c, r, e);
}

static int
pg_response_draft_get(struct store_conn *conn, struct arena *a, int64_t petition_id,
                      struct response_draft *out, struct err *e)
{
    static const char sql[] = "SELECT petition_id, ministry_id, signed_by, text_en, text_fr,"
                              " ready_at, updated_at, updated_by,"
                              " coalesce(signed_by_fr, signed_by) FROM response_drafts"
                              " WHERE petition_id = $1";
    struct pg_args q = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    pg_arg_i64(&q, petition_id);
    if ((r = pg_run_one(pg_conn(conn), sql, &q, &res, "response draft", e)))
        return r;
    out->petition_id = pg_i64(res, 0, 0);
    out->ministry_id = pg_i64(res, 0, 1);
    out->signed_by = pg_text(res, 0, 2, a);
    out->text[LANG_EN] = pg_text(res, 0, 3, a);
    out->text[LANG_FR] = pg_text(res, 0, 4, a);
    out->ready_at = pg_i64(res, 0, 5);
    out->updated_at = pg_i64(res, 0, 6);
    out->updated_by = pg_i64(res, 0, 7);
    out->signed_by_fr = pg_text(res, 0, 8, a);
    PQclear(res);
    return 0;
}

static int
pg_response_draft_put(struct store_conn *conn, const struct response_draft *d, struct err *e)
{
    static const char sql[] =
        "INSERT INTO response_drafts (petition_id, ministry_id, signed_by, text_en, text_fr,"
        " ready_at, updated_at, updated_by, signed_by_fr)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nullif($9::text, ''))"
        " ON CONFLICT (petition_id) DO UPDATE SET ministry_id = excluded.ministry_id,"
        " signed_by = excluded.signed_by, signed_by_fr = excluded.signed_by_fr,"
        " text_en = excluded.text_en,"
        " text_fr = excluded.text_fr, ready_at = excluded.ready_at,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
    struct pg_args a = PG_ARGS_INIT;
    pg_arg_i64(&a, d->petition_id);
    pg_arg_i64(&a, d->ministry_id);
    pg_arg_text(&a, d->signed_by ? d->signed_by : "");
    pg_arg_text(&a, d->text[LANG_EN] ? d->text[LANG_EN] : "");
    pg_arg_text(&a, d->text[LANG_FR] ? d->text[LANG_FR] : "");
    pg_arg_opt(&a, d->ready_at);
    pg_arg_i64(&a, d->updated_at);
    pg_arg_opt(&a, d->updated_by);
    pg_arg_text(&a, d->signed_by_fr);
    return pg_run_done(pg_conn(conn), sql, &a, NULL, "response draft put", e);
}

static int
pg_response_table(struct store_conn *conn, int64_t petition_id, const struct response *rs,
                  struct err *e)
{
    static const char sql[] =
        "INSERT INTO responses (petition_id, ministry_id, signed_by, text_en, text_fr,"
        " tabled_at, signed_by_fr) VALUES ($1, $2, $3, $4, $5, $6, nullif($7::text, ''))";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args a = PG_ARGS_INIT;
    int r;
    pg_arg_i64(&a, petition_id);
    pg_arg_i64(&a, rs->ministry.id);
    pg_arg_text(&a, rs->signed_by);
    pg_arg_text(&a, rs->text[LANG_EN]);
    pg_arg_text(&a, rs->text[LANG_FR]);
    pg_arg_i64(&a, rs->tabled_at);
    pg_arg_text(&a, rs->signed_by_fr);
    if ((r = pg_write_begin(c, e)))
        return r;
    /* A response already there is unique_violation: ERR_CONFLICT. */
    r = pg_run_done(c, sql, &a, NULL, "response table", e);
    if (!r)
        r = pg_petition_set_state(conn, petition_id, PETITION_RESPONSE_TABLED, rs->tabled_at, e);
    return pg_write_end(c, r, e);
}

static int
pg_state_move_all(struct store_conn *conn, enum petition_state from, enum petition_state to,
                  bool drafts, int64_t at, int64_t mailing_id, int64_t *moved, struct err *e)
{
    /* Rare (a dissolution), but prepared like every other statement: a
     * connection keeps them. */
    static const char sources[] =
        "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id, label)"
        " SELECT $1::bigint, d.id, p.id, CASE WHEN p.kind = 'electronic'"
        " THEN 'e-' || p.e_number::text ELSE '' END FROM petitions p"
        " LEFT JOIN drafts d ON d.petition_id = p.id WHERE p.state = $2::text ORDER BY p.id";
    static const char events[] = "INSERT INTO petition_events (petition_id, at, state)"
                                 " SELECT id, $1::bigint, $2::text FROM petitions"
                                 " WHERE state = $3::text";
    static const char update[] = "UPDATE petitions SET state = $2::text, state_changed_at = $1"
                                 " WHERE state = $3::text";
    static const char draft_sources[] =
        "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id, label)"
        " SELECT $1::bigint, id, NULL::bigint, '' FROM drafts"
        " WHERE state = $2::text AND petition_id IS NULL ORDER BY id";
    static const char draft_events[] =
        "INSERT INTO draft_events (draft_id, at, user_id, state, note)"
        " SELECT id, $1::bigint, NULL::bigint, $2::text, 'dissolution' FROM drafts"
        " WHERE state = $3::text AND petition_id IS NULL";
    static const char draft_update[] =
        "UPDATE drafts SET state = $2::text, state_changed_at = $1, updated_at = $1"
        " WHERE state = $3::text AND petition_id IS NULL";
    struct pg_conn *c = pg_conn(conn);
    const char *fname = petition_state_name(from), *tname = petition_state_name(to);
    int64_t n = 0, nd = 0;
    int r;

    *moved = 0;
    if ((r = pg_write_begin(c, e)))
        return r;
    for (int pass = 0; pass < (drafts ? 2 : 1) && !r; pass++) {
        bool d = pass == 1;
        if (mailing_id) {
            struct pg_args s = PG_ARGS_INIT;
            pg_arg_i64(&s, mailing_id);
            pg_arg_text(&s, fname);
            if ((r = pg_run_done(c, d ? draft_sources : sources, &s, NULL, "dissolution sources",
                                 e)))
                break;
        }
        struct pg_args a = PG_ARGS_INIT;
        pg_arg_i64(&a, at);
        pg_arg_text(&a, tname);
        pg_arg_text(&a, fname);
        if ((r = pg_run_done(c, d ? draft_events : events, &a, NULL, "dissolution", e)))
            break;
        r = pg_run_done(c, d ? draft_update : update, &a, d ? &nd : &n, "dissolution", e);
    }
    *moved = n + nd;
    return pg_write_end(c, r, e);
}

const struct store_house_ops pg_house_ops = {
    .parliament_put = pg_parliament_put,
    .session_put = pg_session_put,
    .member_put = pg_member_put,
    .ministry_put = pg_ministry_put,
    .minister_put = pg_minister_put,
    .parliament_list = pg_parliament_list,
    .member_directory = pg_member_directory,
    .member_list = pg_member_list,
    .member_get = pg_member_get,
    .ministry_list = pg_ministry_list,
    .ministry_get = pg_ministry_get,
    .session_current = pg_session_current,
    .house_status = pg_house_status,
    .session_list = pg_session_list,
    .session_end = pg_session_end,
    .parliament_dissolve = pg_parliament_dissolve,
    .sitting_days = pg_sitting_days,
    .sitting_day_set = pg_sitting_day_set,
    .presentation_next = pg_presentation_next,
    .petition_present = pg_petition_present,
    .response_draft_get = pg_response_draft_get,
    .response_draft_put = pg_response_draft_put,
    .response_table = pg_response_table,
    .state_move_all = pg_state_move_all,
};
