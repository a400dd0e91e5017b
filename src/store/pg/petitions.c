/*
 * petitions.c: the PostgreSQL backend's register of petitions
 * (store/petitions.h): whole records in and out, what signing needs of one
 * (its brief), states and timers, subjects and keywords, and the
 * day-by-day counts of the charts.  The translation of
 * store/sqlite/petitions.c, statement for statement.
 *
 * A petition is a row of petitions with its children (grievances,
 * keywords, counts by region, its response, the events of its timeline);
 * its row is read as the lists of search.c read it (rows.c), and a
 * petition read whole reads its children in the same snapshot.
 *
 * E-numbers stay unique under concurrent writers without relying on the
 * write lock (which orders writers anyway): the next number is read in
 * the publishing transaction, and the insert that takes it is INSERT ...
 * ON CONFLICT DO NOTHING, so a number (or presented number) another
 * transaction took first is ERR_CONFLICT, with the caller's transaction
 * still usable.
 */
#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/province.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* The error pg_run() left in e, for a NULL result. */
static int
run_error(struct err *e)
{
    return e && e->code ? (int)e->code : ERR_STORE;
}

/* ---- insert ---------------------------------------------------------------------------- */

/* The id of a record by natural key ($1), or 0 when key is NULL;
 * ERR_INVALID when no record has that key. */
static int
lookup_id(struct pg_conn *c, const char *sql, const char *key, int64_t *out, struct err *e)
{
    struct pg_args args = PG_ARGS_INIT;
    *out = 0;
    if (!key)
        return 0;
    pg_arg_text(&args, key);
    int r = pg_run_id(c, sql, &args, out, key, e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown reference %s", key);
    return r;
}

static int
insert_children(struct pg_conn *c, const struct petition *p, struct err *e)
{
    static const char grievance_sql[] =
        "INSERT INTO petition_grievances (petition_id, position, text_en, text_fr)"
        " VALUES ($1, $2, $3, $4)";
    static const char keyword_sql[] = "INSERT INTO petition_keywords (petition_id, keyword_id)"
                                      " SELECT $1::bigint, id FROM keywords WHERE slug = $2";
    static const char count_sql[] = "INSERT INTO petition_counts (petition_id, region, count, base)"
                                    " VALUES ($1, $2, $3, $3)";
    static const char response_sql[] =
        "INSERT INTO responses (petition_id, ministry_id, signed_by, text_en, text_fr, tabled_at,"
        " signed_by_fr) SELECT $1::bigint, id, $3::text, $4::text, $5::text, $6::bigint,"
        " nullif($7::text, '') FROM ministries WHERE code = $2";
    int64_t changed;
    int r;

    for (int i = 0; i < p->grievance_count; i++) {
        struct pg_args args = PG_ARGS_INIT;
        pg_arg_i64(&args, p->id);
        pg_arg_i64(&args, i + 1);
        pg_arg_text(&args, p->grievances[i].text[LANG_EN]);
        pg_arg_text(&args, p->grievances[i].text[LANG_FR]);
        if ((r = pg_run_done(c, grievance_sql, &args, NULL, "grievance insert", e)))
            return r;
    }
    for (int i = 0; i < p->keyword_count; i++) {
        struct pg_args args = PG_ARGS_INIT;
        pg_arg_i64(&args, p->id);
        pg_arg_text(&args, p->keywords[i].slug);
        if ((r = pg_run_done(c, keyword_sql, &args, &changed, "petition keyword insert", e)))
            return r;
        if (changed != 1)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown keyword %s",
                           p->keywords[i].slug);
    }
    if (p->kind == PETITION_ELECTRONIC) {
        for (int i = 0; i < REGION_COUNT; i++) {
            struct pg_args args = PG_ARGS_INIT;
            pg_arg_i64(&args, p->id);
            pg_arg_text(&args, region_code((enum region)i));
            pg_arg_i64(&args, p->region_counts[i]);
            if ((r = pg_run_done(c, count_sql, &args, NULL, "count insert", e)))
                return r;
        }
    }
    if (p->has_response) {
        struct pg_args args = PG_ARGS_INIT;
        pg_arg_i64(&args, p->id);
        pg_arg_text(&args, p->response.ministry.code);
        pg_arg_text(&args, p->response.signed_by);
        pg_arg_text(&args, p->response.text[LANG_EN]);
        pg_arg_text(&args, p->response.text[LANG_FR]);
        pg_arg_i64(&args, p->response.tabled_at);
        pg_arg_text(&args, p->response.signed_by_fr);
        if ((r = pg_run_done(c, response_sql, &args, &changed, "response insert", e)))
            return r;
        if (changed != 1)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown ministry %s",
                           p->response.ministry.code);
    }
    return 0;
}

/* One event of a petition's timeline. */
static int
insert_event(struct pg_conn *c, int64_t petition_id, int64_t at, enum petition_state state,
             struct err *e)
{
    static const char sql[] =
        "INSERT INTO petition_events (petition_id, at, state) VALUES ($1, $2, $3)";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, at);
    pg_arg_text(&args, petition_state_name(state));
    return pg_run_done(c, sql, &args, NULL, "event insert", e);
}

/* The timeline: one event per date the record carries. */
static int
insert_events(struct pg_conn *c, const struct petition *p, struct err *e)
{
    struct {
        int64_t at;
        enum petition_state state;
    } ev[] = {
        {p->opened_at, PETITION_OPEN},
        {p->closes_at && p->state != PETITION_OPEN && p->state != PETITION_CLOSED_UPON_DISSOLUTION
             ? p->closes_at
             : 0,
         PETITION_WAITING_FOR_CERTIFICATION},
        {p->certified_at, PETITION_CERTIFIED},
        {p->presented_at, PETITION_PRESENTED},
        {p->has_response ? p->response.tabled_at : 0, PETITION_RESPONSE_TABLED},
    };
    int r;
    for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
        if (!ev[i].at || ev[i].state == p->state)
            continue;
        if ((r = insert_event(c, p->id, ev[i].at, ev[i].state, e)))
            return r;
    }
    /* The current state last, at the time it was entered. */
    return insert_event(c, p->id, p->state_changed_at, p->state, e);
}

/* The id of session number session of Parliament number parliament;
 * ERR_NOT_FOUND when there is none. */
static int
session_id(struct pg_conn *c, int parliament, int session, int64_t *id, const char *what,
           struct err *e)
{
    static const char sql[] =
        "SELECT s.id FROM sessions s JOIN parliaments p ON p.id = s.parliament_id"
        " WHERE p.number = $1 AND s.number = $2";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, parliament);
    pg_arg_i64(&args, session);
    return pg_run_id(c, sql, &args, id, what, e);
}

static int
pg_petition_insert(struct store_conn *conn, struct petition *p, struct err *e)
{
    static const char member_sql[] = "SELECT id FROM members WHERE key = $1";
    static const char ministry_sql[] = "SELECT id FROM ministries WHERE code = $1";
    static const char subject_sql[] = "SELECT id FROM subjects WHERE code = $1";
    /* No row back: its e-number or presented number is taken (the
     * session was just found, so the Parliament's id is there). */
    static const char sql[] =
        "INSERT INTO petitions (kind, e_number, state, state_changed_at, parliament_id,"
        " session_id, subject_id, original_language, addressee_type, addressee_ministry_id,"
        " addressee_member_id, petitioner_name, petitioner_city, petitioner_province,"
        " authorizing_member_id, prayer_en, prayer_fr, signature_period_days, created_at,"
        " opened_at, closes_at, certified_at, presented_at, presented_session_id,"
        " presented_sequence, presenting_member_id, committee_en, committee_fr,"
        " signature_total, is_demo, certify_threshold, grace_hours, response_ministry_id)"
        " VALUES ($1, $2, $3, $4, (SELECT s.parliament_id FROM sessions s WHERE s.id = $5), $5,"
        " $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,"
        " $24, $25, $26, $27, $28, $29, $30, $31, $32)"
        " ON CONFLICT DO NOTHING RETURNING id";
    struct pg_conn *c = pg_conn(conn);
    int64_t sess_id = 0, pres_session_id = 0, subject_id = 0, ministry_id = 0;
    int64_t addr_member_id = 0, auth_member_id = 0, pres_member_id = 0;
    struct pg_args args = PG_ARGS_INIT;
    int r;

    if ((r = pg_write_begin(c, e)))
        return r;
    /* Natural keys to ids (the session's key is "parliament-session"). */
    if ((r = lookup_id(c, subject_sql, p->subject.code, &subject_id, e)) ||
        (r = lookup_id(c, ministry_sql,
                       p->addressee == ADDRESSEE_MINISTER ? p->addressee_ministry.code : NULL,
                       &ministry_id, e)) ||
        (r = lookup_id(c, member_sql,
                       p->addressee == ADDRESSEE_MEMBER ? p->addressee_member.key : NULL,
                       &addr_member_id, e)) ||
        (r = lookup_id(c, member_sql, p->has_authorizing_member ? p->authorizing_member.key : NULL,
                       &auth_member_id, e)) ||
        (r = lookup_id(c, member_sql, p->has_presenting_member ? p->presenting_member.key : NULL,
                       &pres_member_id, e)))
        goto out;
    if ((r = session_id(c, p->parliament, p->session, &sess_id, "session", e)))
        goto out;
    if (p->has_presented_number &&
        (r = session_id(c, p->presented_number.parliament, p->presented_number.session,
                        &pres_session_id, "presented session", e)))
        goto out;

    pg_arg_text(&args, petition_kind_name(p->kind));
    pg_arg_opt(&args, p->e_number);
    pg_arg_text(&args, petition_state_name(p->state));
    pg_arg_i64(&args, p->state_changed_at);
    pg_arg_i64(&args, sess_id);
    pg_arg_opt(&args, subject_id);
    pg_arg_text(&args, lang_code(p->original_language));
    pg_arg_text(&args, addressee_type_name(p->addressee));
    pg_arg_opt(&args, ministry_id);
    pg_arg_opt(&args, addr_member_id);
    pg_arg_text(&args, p->petitioner_name);
    pg_arg_text(&args, p->petitioner_city);
    pg_arg_text(&args, p->petitioner_name ? region_code(p->petitioner_province) : NULL);
    pg_arg_opt(&args, auth_member_id);
    pg_arg_text(&args, p->prayer[LANG_EN]);
    pg_arg_text(&args, p->prayer[LANG_FR]);
    pg_arg_opt(&args, p->signature_period_days);
    pg_arg_i64(&args, p->created_at);
    pg_arg_opt(&args, p->opened_at);
    pg_arg_opt(&args, p->closes_at);
    pg_arg_opt(&args, p->certified_at);
    pg_arg_opt(&args, p->presented_at);
    pg_arg_opt(&args, pres_session_id);
    pg_arg_opt(&args, p->has_presented_number ? p->presented_number.sequence : 0);
    pg_arg_opt(&args, pres_member_id);
    pg_arg_text(&args, p->committee[LANG_EN]);
    pg_arg_text(&args, p->committee[LANG_FR]);
    pg_arg_i64(&args, p->signature_total);
    pg_arg_flag(&args, p->is_demo);
    if (p->rules_fixed) {
        pg_arg_i64(&args, p->certify_threshold);
        pg_arg_i64(&args, p->grace_hours);
    } else {
        pg_arg_text(&args, NULL);
        pg_arg_text(&args, NULL);
    }
    pg_arg_opt(&args, p->response_ministry_id);
    r = pg_run_id(c, sql, &args, &p->id, "petition insert", e);
    if (r == ERR_NOT_FOUND) {
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "petition insert: number taken (e-number %ld)", p->e_number);
        goto out;
    }
    if (r || (r = insert_children(c, p, e)) || (r = insert_events(c, p, e)))
        goto out;
out:
    return pg_write_end(c, r, e);
}

/* ---- read ---------------------------------------------------------------------------- */

static int
load_details(struct pg_conn *c, struct arena *a, struct petition *p, struct err *e)
{
    static const char grievances_sql[] = "SELECT text_en, text_fr FROM petition_grievances"
                                         " WHERE petition_id = $1 ORDER BY position";
    static const char counts_sql[] =
        "SELECT region, count FROM petition_counts WHERE petition_id = $1";
    static const char response_sql[] =
        "SELECT m.id, m.code, m.title_en, m.title_fr, r.signed_by, r.text_en, r.text_fr,"
        " r.tabled_at, coalesce(r.signed_by_fr, r.signed_by)"
        " FROM responses r JOIN ministries m ON m.id = r.ministry_id WHERE r.petition_id = $1";
    static const char events_sql[] =
        "SELECT at, state FROM petition_events WHERE petition_id = $1 ORDER BY at, id";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int rows, r;

    pg_arg_i64(&args, p->id);

    if (!(res = pg_run(c, grievances_sql, &args, "grievances", e)))
        return run_error(e);
    rows = PQntuples(res);
    p->grievances = arena_calloc(a, (size_t)(rows ? rows : 1), sizeof(*p->grievances));
    for (int i = 0; i < rows; i++) {
        p->grievances[i].text[LANG_EN] = pg_text(res, i, 0, a);
        p->grievances[i].text[LANG_FR] = pg_text(res, i, 1, a);
    }
    p->grievance_count = rows;
    PQclear(res);

    if ((r = pg_read_petition_keywords(c, a, p, e)))
        return r;

    if (!(res = pg_run(c, counts_sql, &args, "counts", e)))
        return run_error(e);
    rows = PQntuples(res);
    for (int i = 0; i < rows; i++)
        p->region_counts[pg_region(res, i, 0)] = pg_i64(res, i, 1);
    PQclear(res);

    if (!(res = pg_run(c, response_sql, &args, "response", e)))
        return run_error(e);
    if (PQntuples(res) > 0) {
        p->has_response = true;
        p->response.ministry.id = pg_i64(res, 0, 0);
        p->response.ministry.code = pg_text(res, 0, 1, a);
        p->response.ministry.title[LANG_EN] = pg_text(res, 0, 2, a);
        p->response.ministry.title[LANG_FR] = pg_text(res, 0, 3, a);
        p->response.signed_by = pg_text(res, 0, 4, a);
        p->response.text[LANG_EN] = pg_text(res, 0, 5, a);
        p->response.text[LANG_FR] = pg_text(res, 0, 6, a);
        p->response.tabled_at = pg_i64(res, 0, 7);
        p->response.signed_by_fr = pg_text(res, 0, 8, a);
    }
    PQclear(res);

    if (!(res = pg_run(c, events_sql, &args, "events", e)))
        return run_error(e);
    rows = PQntuples(res);
    p->events = arena_calloc(a, (size_t)(rows ? rows : 1), sizeof(*p->events));
    p->event_count = 0;
    for (int i = 0; i < rows; i++) {
        enum petition_state state;
        if (pg_null(res, i, 1) ||
            petition_state_from_name(PQgetvalue(res, i, 1), (size_t)PQgetlength(res, i, 1), &state))
            continue; /* a state this build does not know: not shown */
        p->events[p->event_count].at = pg_i64(res, i, 0);
        p->events[p->event_count].state = state;
        p->event_count++;
    }
    PQclear(res);
    return 0;
}

static int
pg_petition_get(struct store_conn *conn, struct arena *a, const struct petition_number *n,
                struct petition *out, struct err *e)
{
    static const char by_e[] =
        "SELECT " PG_PETITION_COLUMNS PG_PETITION_JOINS " WHERE p.e_number = $1";
    static const char by_presented[] =
        "SELECT " PG_PETITION_COLUMNS PG_PETITION_JOINS " WHERE pp.number = $1 AND ps.number = $2"
        " AND p.presented_sequence = $3";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    const char *sql;
    PGresult *res = NULL;
    int r;

    if (n->kind == PETITION_NUMBER_E) {
        sql = by_e;
        pg_arg_i64(&args, n->e_number);
    } else {
        sql = by_presented;
        pg_arg_i64(&args, n->pps.parliament);
        pg_arg_i64(&args, n->pps.session);
        pg_arg_i64(&args, n->pps.sequence);
    }
    /* Read in one snapshot: the row and its details. */
    bool own = pg_snapshot_begin(c);
    if (!(res = pg_run(c, sql, &args, "petition get", e))) {
        r = run_error(e);
        goto out;
    }
    if (PQntuples(res) == 0) {
        r = err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no such petition");
        goto out;
    }
    r = pg_read_petition(c, res, 0, a, out, e);
    if (!r)
        r = load_details(c, a, out, e);
out:
    PQclear(res);
    pg_snapshot_end(c, own);
    return r;
}

/* ---- what signing needs, states and timers ------------------------------------------- */

#define BRIEF_COLUMNS                                                                              \
    "p.id, p.kind, p.e_number, p.state, p.closes_at, p.certified_at, p.queued_at,"                 \
    " p.certify_threshold, p.grace_hours, p.signature_total, p.authorizing_member_id,"             \
    " (SELECT d.id FROM drafts d WHERE d.petition_id = p.id), p.original_language, p.is_demo,"     \
    " EXISTS (SELECT 1 FROM signing_pauses s WHERE s.petition_id IS NULL"                          \
    " OR s.petition_id = p.id)"

static void
read_brief(const PGresult *res, int row, struct arena *a, struct petition_brief *b)
{
    (void)a;
    b->id = pg_i64(res, row, 0);
    b->kind = !pg_null(res, row, 1) && strcmp(PQgetvalue(res, row, 1), "paper") == 0
                  ? PETITION_PAPER
                  : PETITION_ELECTRONIC;
    b->e_number = (long)pg_i64(res, row, 2);
    b->state = pg_state(res, row, 3);
    b->closes_at = pg_i64(res, row, 4);
    b->certified_at = pg_i64(res, row, 5);
    b->queued_at = pg_i64(res, row, 6);
    b->certify_threshold = (int)pg_i64(res, row, 7);
    b->grace_hours = pg_null(res, row, 8) ? -1 : (int)pg_i64(res, row, 8);
    b->total = pg_i64(res, row, 9);
    b->authorizing_member_id = pg_i64(res, row, 10);
    b->draft_id = pg_i64(res, row, 11);
    b->original_language = pg_lang(res, row, 12);
    b->is_demo = pg_flag(res, row, 13);
    b->signing_paused = pg_flag(res, row, 14);
}

static int
pg_petition_brief(struct store_conn *conn, int64_t id, long e_number, struct petition_brief *out,
                  struct err *e)
{
    /* SQLite's one statement ((?1 > 0 AND p.id = ?1) OR (?1 = 0 AND
     * p.e_number = ?2)) as two, so each keeps its index in a generic
     * plan: this runs on every signature. */
    static const char by_id[] = "SELECT " BRIEF_COLUMNS " FROM petitions p WHERE p.id = $1";
    static const char by_e[] = "SELECT " BRIEF_COLUMNS " FROM petitions p WHERE p.e_number = $1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, id ? id : e_number);
    if ((r = pg_run_one(pg_conn(conn), id ? by_id : by_e, &args, &res, "petition", e)))
        return r;
    read_brief(res, 0, NULL, out);
    PQclear(res);
    return 0;
}

static int
pg_petition_closing(struct store_conn *conn, struct arena *a, int64_t now,
                    struct petition_brief **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " BRIEF_COLUMNS " FROM petitions p"
                              " WHERE (p.state = 'OPEN_FOR_SIGNATURE' AND p.closes_at <= $1)"
                              " OR (p.state = 'WAITING_FOR_CERTIFICATION' AND p.queued_at IS NULL)"
                              " ORDER BY p.closes_at, p.id LIMIT 500";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, now);
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "petitions closing", e);
    if (!res)
        return run_error(e);
    PG_COLLECT(struct petition_brief, out, n, res, a, read_brief);
    PQclear(res);
    return 0;
}

static void
read_id(const PGresult *res, int row, struct arena *a, int64_t *id)
{
    (void)a;
    *id = pg_i64(res, row, 0);
}

static int
pg_petition_e_ids(struct store_conn *conn, struct arena *a, int64_t **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT id FROM petitions WHERE kind = 'electronic' ORDER BY id";
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(pg_conn(conn), sql, NULL, "e-petition ids", e);
    if (!res)
        return run_error(e);
    PG_COLLECT(int64_t, out, n, res, a, read_id);
    PQclear(res);
    return 0;
}

/*
 * Above every number used, as the writer's transaction sees it (READ
 * COMMITTED: what committed before this statement).  The write lock makes
 * that every number; were two publishers to read the same one anyway,
 * the second insert is ERR_CONFLICT (pg_petition_insert()), not a
 * duplicate.
 */
static int
pg_petition_next_e_number(struct store_conn *conn, long *n, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(e_number), 0) + 1 FROM petitions";
    int64_t v = 0;
    int r = pg_run_id(pg_conn(conn), sql, NULL, &v, "next e-number", e);
    *n = (long)v;
    return r;
}

int
pg_petition_set_state(struct store_conn *conn, int64_t petition_id, enum petition_state state,
                      int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET state = $2, state_changed_at = $3"
                              " WHERE id = $1";
    static const char ev[] = "INSERT INTO petition_events (petition_id, at, state)"
                             " VALUES ($1, $3, $2)";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    int r;
    pg_arg_i64(&args, petition_id);
    pg_arg_text(&args, petition_state_name(state));
    pg_arg_i64(&args, now);
    if ((r = pg_write_begin(c, e)))
        return r;
    if (!(r = pg_run_done(c, sql, &args, NULL, "petition state", e)))
        r = pg_run_done(c, ev, &args, NULL, "petition event", e);
    return pg_write_end(c, r, e);
}

/* A time of a petition ($2) by its id ($1). */
static int
set_time(struct store_conn *conn, const char *sql, int64_t petition_id, int64_t now,
         const char *what, struct err *e)
{
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, now);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, what, e);
}

static int
pg_petition_set_queued(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET queued_at = $2 WHERE id = $1";
    return set_time(conn, sql, id, now, "petition queued", e);
}

static int
pg_petition_set_certified(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET certified_at = $2 WHERE id = $1";
    return set_time(conn, sql, id, now, "petition certified", e);
}

/* ---- the day-by-day counts ------------------------------------------------------------- */

static int
pg_petition_days(struct store_conn *conn, struct arena *a, int64_t petition_id,
                 struct day_count **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT day, sum(delta) FROM petition_days WHERE petition_id = $1"
                              " GROUP BY day ORDER BY day";
    struct pg_args args = PG_ARGS_INIT;
    *out = NULL;
    *n = 0;
    pg_arg_i64(&args, petition_id);
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "petition days", e);
    if (!res)
        return run_error(e);
    int rows = PQntuples(res);
    if (rows)
        *out = arena_alloc(a, (size_t)rows * sizeof(**out));
    for (int i = 0; i < rows; i++) {
        struct civil_date d;
        if (pg_null(res, i, 0) ||
            civil_date_parse(PQgetvalue(res, i, 0), (size_t)PQgetlength(res, i, 0), &d))
            continue;
        (*out)[(*n)++] = (struct day_count){d, pg_i64(res, i, 1)};
    }
    PQclear(res);
    return 0;
}

static int
pg_region_days_since(struct store_conn *conn, const struct civil_date *since,
                     int64_t out[REGION_COUNT], struct err *e)
{
    static const char sql[] = "SELECT d.region, sum(d.delta) FROM petition_days d"
                              " JOIN petitions p ON p.id = d.petition_id"
                              " WHERE d.day >= $1 AND p.state NOT IN ('REMOVED') GROUP BY d.region";
    struct pg_args args = PG_ARGS_INIT;
    char day[11];
    memset(out, 0, REGION_COUNT * sizeof(out[0]));
    snprintf(day, sizeof(day), "%04d-%02d-%02d", since->year, since->month, since->day);
    pg_arg_text(&args, day);
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "region days", e);
    if (!res)
        return run_error(e);
    for (int i = 0; i < PQntuples(res); i++)
        out[pg_region(res, i, 0)] = pg_i64(res, i, 1);
    PQclear(res);
    return 0;
}

/* ---- subjects and keywords ------------------------------------------------------------- */

/* An upsert by natural key ($1) with names ($2, $3), returning the id. */
static int
put_named(struct store_conn *conn, const char *sql, const char *key, const char *const name[2],
          int64_t *id, const char *what, struct err *e)
{
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_text(&args, key);
    pg_arg_text(&args, name[LANG_EN]);
    pg_arg_text(&args, name[LANG_FR]);
    return pg_run_id(pg_conn(conn), sql, &args, id, what, e);
}

static int
pg_subject_put(struct store_conn *conn, struct subject *sub, struct err *e)
{
    static const char sql[] = "INSERT INTO subjects (code, name_en, name_fr) VALUES ($1, $2, $3)"
                              " ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en,"
                              " name_fr = excluded.name_fr RETURNING id";
    return put_named(conn, sql, sub->code, sub->name, &sub->id, "subject put", e);
}

static int
pg_keyword_put(struct store_conn *conn, struct keyword *k, struct err *e)
{
    static const char sql[] = "INSERT INTO keywords (slug, name_en, name_fr) VALUES ($1, $2, $3)"
                              " ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en,"
                              " name_fr = excluded.name_fr RETURNING id";
    return put_named(conn, sql, k->slug, k->name, &k->id, "keyword put", e);
}

/* Subjects and keywords have the same shape: id, code or slug, names in
 * both languages, and (in lists) how many public petitions they hold.
 * One reader fills either from a row selected in that order. */
typedef void (*fill_fn)(const PGresult *res, int row, struct arena *a, void *item);

static void
fill_subject(const PGresult *res, int row, struct arena *a, void *item)
{
    struct subject *x = item;
    x->id = pg_i64(res, row, 0);
    x->code = pg_text(res, row, 1, a);
    x->name[LANG_EN] = pg_text(res, row, 2, a);
    x->name[LANG_FR] = pg_text(res, row, 3, a);
    x->petitions = PQnfields(res) > 4 ? (int)pg_i64(res, row, 4) : 0;
}

/* Every row of a list statement into an arena array. */
static int
list_rows(struct pg_conn *c, const char *sql, struct arena *a, size_t size, fill_fn fill,
          void **out, int *n, struct err *e)
{
    *n = 0;
    *out = NULL;
    PGresult *res = pg_run(c, sql, NULL, "list", e);
    if (!res)
        return run_error(e);
    int rows = PQntuples(res);
    unsigned char *items = arena_calloc(a, (size_t)(rows ? rows : 1), size);
    for (int i = 0; i < rows; i++)
        fill(res, i, a, items + (size_t)i * size);
    *out = items;
    *n = rows;
    PQclear(res);
    return 0;
}

/* The one row a statement selects by its key ($1), or not_found. */
static int
get_row(struct pg_conn *c, const char *sql, const char *key, struct arena *a, void *out,
        fill_fn fill, const char *not_found, struct err *e)
{
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_text(&args, key);
    PGresult *res = pg_run(c, sql, &args, "get", e);
    if (!res)
        return run_error(e);
    int r = 0;
    if (PQntuples(res) > 0)
        fill(res, 0, a, out);
    else
        r = err_set(e, ERR_NOT_FOUND, not_found, NULL, "not found");
    PQclear(res);
    return r;
}

/* Lists are by English name (the schema's text sorts by bytes, as
 * SQLite's), ties by id. */
static int
pg_subject_list(struct store_conn *conn, struct arena *a, struct subject **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT s.id, s.code, s.name_en, s.name_fr,"
        " (SELECT count(*) FROM petitions p WHERE p.subject_id = s.id AND p.state "
        "IN " PG_PUBLIC_STATES ") FROM subjects s ORDER BY s.name_en, s.id";
    return list_rows(pg_conn(conn), sql, a, sizeof(**out), fill_subject, (void **)out, n, e);
}

static int
pg_keyword_list(struct store_conn *conn, struct arena *a, struct keyword **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT k.id, k.slug, k.name_en, k.name_fr,"
        " (SELECT count(*) FROM petition_keywords pk JOIN petitions p ON p.id = pk.petition_id"
        " WHERE pk.keyword_id = k.id AND p.state IN " PG_PUBLIC_STATES ")"
        " FROM keywords k ORDER BY k.name_en, k.id";
    return list_rows(pg_conn(conn), sql, a, sizeof(**out), pg_read_keyword, (void **)out, n, e);
}

static int
pg_subject_get(struct store_conn *conn, struct arena *a, const char *code, struct subject *out,
               struct err *e)
{
    static const char sql[] = "SELECT id, code, name_en, name_fr FROM subjects WHERE code = $1";
    memset(out, 0, sizeof(*out));
    return get_row(pg_conn(conn), sql, code, a, out, fill_subject, "error.subject_not_found", e);
}

static int
pg_keyword_get(struct store_conn *conn, struct arena *a, const char *slug, struct keyword *out,
               struct err *e)
{
    static const char sql[] = "SELECT id, slug, name_en, name_fr FROM keywords WHERE slug = $1";
    memset(out, 0, sizeof(*out));
    return get_row(pg_conn(conn), sql, slug, a, out, pg_read_keyword, "error.keyword_not_found", e);
}

/* One round trip whatever n: the ids bound as one array. */
static int
pg_petition_totals(struct store_conn *conn, const int64_t *ids, int n, int64_t *totals,
                   struct err *e)
{
    static const char sql[] = "SELECT id, signature_total FROM petitions"
                              " WHERE id = ANY($1::bigint[])";
    struct arena *a = arena_new();
    struct pg_args args = PG_ARGS_INIT;
    struct pg_array x;
    int r = 0;
    pg_array_init(&x, a);
    for (int i = 0; i < n; i++) {
        pg_array_i64(&x, ids[i]);
        totals[i] = -1;
    }
    pg_arg_array(&args, &x);
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "petition totals", e);
    if (!res) {
        r = e ? (int)e->code : ERR_STORE;
        goto out;
    }
    for (int row = 0; row < PQntuples(res); row++) {
        int64_t id = pg_i64(res, row, 0);
        for (int i = 0; i < n; i++)
            if (ids[i] == id)
                totals[i] = pg_i64(res, row, 1);
    }
    PQclear(res);
out:
    arena_free(a);
    return r;
}

const struct store_petitions_ops pg_petitions_ops = {
    .petition_insert = pg_petition_insert,
    .petition_get = pg_petition_get,
    .petition_totals = pg_petition_totals,
    .petition_brief = pg_petition_brief,
    .petition_next_e_number = pg_petition_next_e_number,
    .petition_set_state = pg_petition_set_state,
    .petition_set_queued = pg_petition_set_queued,
    .petition_set_certified = pg_petition_set_certified,
    .petition_closing = pg_petition_closing,
    .petition_e_ids = pg_petition_e_ids,
    .petition_days = pg_petition_days,
    .region_days_since = pg_region_days_since,
    .subject_put = pg_subject_put,
    .subject_list = pg_subject_list,
    .subject_get = pg_subject_get,
    .keyword_put = pg_keyword_put,
    .keyword_list = pg_keyword_list,
    .keyword_get = pg_keyword_get,
};
