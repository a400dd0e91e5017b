/*
 * petitions.c: the SQLite backend's register of petitions
 * (store/petitions.h): whole records in and out, what signing needs of one
 * (its brief), states and timers, subjects and keywords, and the
 * day-by-day counts of the charts.
 *
 * A petition is a row of petitions with its children (grievances,
 * keywords, counts by region, its response, the events of its timeline);
 * its row is read as the lists of search.c read it (rows.c), and a
 * petition read whole reads its children in the same snapshot.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/province.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- insert ---------------------------------------------------------------------------- */

/* The id of a record by natural key, or 0 when key is NULL. */
static int
lookup_id(struct sq_conn *c, enum sq_stmt id, const char *sql, const char *key, int64_t *out,
          struct err *e)
{
    *out = 0;
    if (!key)
        return 0;
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, key);
    int r = sq_step_id(c, st, out, key, e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown reference %s", key);
    return r;
}

static int
insert_children(struct sq_conn *c, const struct petition *p, struct err *e)
{
    static const char grievance_sql[] =
        "INSERT INTO petition_grievances (petition_id, position, text_en, text_fr)"
        " VALUES (?1, ?2, ?3, ?4)";
    static const char keyword_sql[] = "INSERT INTO petition_keywords (petition_id, keyword_id)"
                                      " SELECT ?1, id FROM keywords WHERE slug = ?2";
    static const char count_sql[] =
        "INSERT INTO petition_counts (petition_id, region, count, base) VALUES (?1, ?2, ?3, ?3)";
    static const char response_sql[] =
        "INSERT INTO responses (petition_id, ministry_id, signed_by, text_en, text_fr, tabled_at,"
        " signed_by_fr) SELECT ?1, id, ?3, ?4, ?5, ?6, nullif(?7, '') FROM ministries"
        " WHERE code = ?2";
    sqlite3_stmt *st;
    int r;

    for (int i = 0; i < p->grievance_count; i++) {
        if (!(st = sq_prep(c, Q_GRIEVANCE_INSERT, grievance_sql, e)))
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int(st, 2, i + 1);
        sq_bind_text(st, 3, p->grievances[i].text[LANG_EN]);
        sq_bind_text(st, 4, p->grievances[i].text[LANG_FR]);
        if ((r = sq_step_done(c, st, "grievance insert", e)))
            return r;
    }
    for (int i = 0; i < p->keyword_count; i++) {
        if (!(st = sq_prep(c, Q_PETITION_KEYWORD_INSERT, keyword_sql, e)))
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sq_bind_text(st, 2, p->keywords[i].slug);
        if ((r = sq_step_done(c, st, "petition keyword insert", e)))
            return r;
        if (sqlite3_changes(c->db) != 1)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown keyword %s",
                           p->keywords[i].slug);
    }
    if (p->kind == PETITION_ELECTRONIC) {
        for (int i = 0; i < REGION_COUNT; i++) {
            if (!(st = sq_prep(c, Q_COUNT_INSERT, count_sql, e)))
                return ERR_STORE;
            sqlite3_bind_int64(st, 1, p->id);
            sq_bind_text(st, 2, region_code((enum region)i));
            sqlite3_bind_int64(st, 3, p->region_counts[i]);
            if ((r = sq_step_done(c, st, "count insert", e)))
                return r;
        }
    }
    if (p->has_response) {
        if (!(st = sq_prep(c, Q_RESPONSE_INSERT, response_sql, e)))
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sq_bind_text(st, 2, p->response.ministry.code);
        sq_bind_text(st, 3, p->response.signed_by);
        sq_bind_text(st, 4, p->response.text[LANG_EN]);
        sq_bind_text(st, 5, p->response.text[LANG_FR]);
        sqlite3_bind_int64(st, 6, p->response.tabled_at);
        sq_bind_text(st, 7, p->response.signed_by_fr);
        if ((r = sq_step_done(c, st, "response insert", e)))
            return r;
        if (sqlite3_changes(c->db) != 1)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown ministry %s",
                           p->response.ministry.code);
    }
    return 0;
}

/* The timeline: one event per date the record carries. */
static int
insert_events(struct sq_conn *c, const struct petition *p, struct err *e)
{
    static const char sql[] =
        "INSERT INTO petition_events (petition_id, at, state) VALUES (?1, ?2, ?3)";
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
        sqlite3_stmt *st = sq_prep(c, Q_EVENT_INSERT, sql, e);
        if (!st)
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int64(st, 2, ev[i].at);
        sq_bind_text(st, 3, petition_state_name(ev[i].state));
        if ((r = sq_step_done(c, st, "event insert", e)))
            return r;
    }
    /* The current state last, at the time it was entered. */
    sqlite3_stmt *st = sq_prep(c, Q_EVENT_INSERT, sql, e);
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_int64(st, 2, p->state_changed_at);
    sq_bind_text(st, 3, petition_state_name(p->state));
    return sq_step_done(c, st, "event insert", e);
}

static int
sq_petition_insert(struct store_conn *conn, struct petition *p, struct err *e)
{
    static const char member_sql[] = "SELECT id FROM members WHERE key = ?1";
    static const char ministry_sql[] = "SELECT id FROM ministries WHERE code = ?1";
    static const char subject_sql[] = "SELECT id FROM subjects WHERE code = ?1";
    static const char session_sql[] =
        "SELECT s.id FROM sessions s JOIN parliaments p ON p.id = s.parliament_id"
        " WHERE p.number = ?1 AND s.number = ?2";
    static const char sql[] =
        "INSERT INTO petitions (kind, e_number, state, state_changed_at, parliament_id,"
        " session_id, subject_id, original_language, addressee_type, addressee_ministry_id,"
        " addressee_member_id, petitioner_name, petitioner_city, petitioner_province,"
        " authorizing_member_id, prayer_en, prayer_fr, signature_period_days, created_at,"
        " opened_at, closes_at, certified_at, presented_at, presented_session_id,"
        " presented_sequence, presenting_member_id, committee_en, committee_fr,"
        " signature_total, is_demo, certify_threshold, grace_hours, response_ministry_id)"
        " SELECT ?1, ?2, ?3, ?4, s.parliament_id, s.id, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,"
        " ?31, ?32, ?33"
        " FROM sessions s WHERE s.id = ?6";
    struct sq_conn *c = sq_conn(conn);
    int64_t session_id = 0, pres_session_id = 0, subject_id = 0, ministry_id = 0;
    int64_t addr_member_id = 0, auth_member_id = 0, pres_member_id = 0;
    int r;
    sqlite3_stmt *st;

    if ((r = sq_write_begin(c, e)))
        return r;
    /* Natural keys to ids (the session's key is "parliament-session"). */
    if ((r = lookup_id(c, Q_PETITION_SUBJECT_ID, subject_sql, p->subject.code, &subject_id, e)) ||
        (r = lookup_id(c, Q_PETITION_MINISTRY_ID, ministry_sql,
                       p->addressee == ADDRESSEE_MINISTER ? p->addressee_ministry.code : NULL,
                       &ministry_id, e)) ||
        (r = lookup_id(c, Q_PETITION_MEMBER_ID, member_sql,
                       p->addressee == ADDRESSEE_MEMBER ? p->addressee_member.key : NULL,
                       &addr_member_id, e)) ||
        (r = lookup_id(c, Q_PETITION_MEMBER_ID, member_sql,
                       p->has_authorizing_member ? p->authorizing_member.key : NULL,
                       &auth_member_id, e)) ||
        (r = lookup_id(c, Q_PETITION_MEMBER_ID, member_sql,
                       p->has_presenting_member ? p->presenting_member.key : NULL, &pres_member_id,
                       e)))
        goto out;
    if (!(st = sq_prep(c, Q_PETITION_SESSION_ID, session_sql, e))) {
        r = ERR_STORE;
        goto out;
    }
    sqlite3_bind_int(st, 1, p->parliament);
    sqlite3_bind_int(st, 2, p->session);
    if ((r = sq_step_id(c, st, &session_id, "session", e)))
        goto out;
    if (p->has_presented_number) {
        if (!(st = sq_prep(c, Q_PETITION_SESSION_ID, session_sql, e))) {
            r = ERR_STORE;
            goto out;
        }
        sqlite3_bind_int(st, 1, p->presented_number.parliament);
        sqlite3_bind_int(st, 2, p->presented_number.session);
        if ((r = sq_step_id(c, st, &pres_session_id, "presented session", e)))
            goto out;
    }

    if (!(st = sq_prep(c, Q_PETITION_INSERT, sql, e))) {
        r = ERR_STORE;
        goto out;
    }
    sq_bind_text(st, 1, petition_kind_name(p->kind));
    sq_bind_opt(st, 2, p->e_number);
    sq_bind_text(st, 3, petition_state_name(p->state));
    sqlite3_bind_int64(st, 4, p->state_changed_at);
    sqlite3_bind_int64(st, 6, session_id);
    sq_bind_opt(st, 7, subject_id);
    sq_bind_text(st, 8, lang_code(p->original_language));
    sq_bind_text(st, 9, addressee_type_name(p->addressee));
    sq_bind_opt(st, 10, ministry_id);
    sq_bind_opt(st, 11, addr_member_id);
    sq_bind_text(st, 12, p->petitioner_name);
    sq_bind_text(st, 13, p->petitioner_city);
    sq_bind_text(st, 14, p->petitioner_name ? region_code(p->petitioner_province) : NULL);
    sq_bind_opt(st, 15, auth_member_id);
    sq_bind_text(st, 16, p->prayer[LANG_EN]);
    sq_bind_text(st, 17, p->prayer[LANG_FR]);
    sq_bind_opt(st, 18, p->signature_period_days);
    sqlite3_bind_int64(st, 19, p->created_at);
    sq_bind_opt(st, 20, p->opened_at);
    sq_bind_opt(st, 21, p->closes_at);
    sq_bind_opt(st, 22, p->certified_at);
    sq_bind_opt(st, 23, p->presented_at);
    sq_bind_opt(st, 24, pres_session_id);
    sq_bind_opt(st, 25, p->has_presented_number ? p->presented_number.sequence : 0);
    sq_bind_opt(st, 26, pres_member_id);
    sq_bind_text(st, 27, p->committee[LANG_EN]);
    sq_bind_text(st, 28, p->committee[LANG_FR]);
    sqlite3_bind_int64(st, 29, p->signature_total);
    sqlite3_bind_int(st, 30, p->is_demo);
    if (p->rules_fixed) {
        sqlite3_bind_int(st, 31, p->certify_threshold);
        sqlite3_bind_int(st, 32, p->grace_hours);
    }
    sq_bind_opt(st, 33, p->response_ministry_id);
    if ((r = sq_step_done(c, st, "petition insert", e)))
        goto out;
    p->id = sqlite3_last_insert_rowid(c->db);
    if ((r = insert_children(c, p, e)) || (r = insert_events(c, p, e)))
        goto out;
out:
    return sq_write_end(c, r, e);
}

/* ---- read ---------------------------------------------------------------------------- */

static int
load_details(struct sq_conn *c, struct arena *a, struct petition *p, struct err *e)
{
    static const char grievances_sql[] = "SELECT text_en, text_fr FROM petition_grievances"
                                         " WHERE petition_id = ?1 ORDER BY position";
    static const char counts_sql[] =
        "SELECT region, count FROM petition_counts WHERE petition_id = ?1";
    static const char response_sql[] =
        "SELECT m.id, m.code, m.title_en, m.title_fr, r.signed_by, r.text_en, r.text_fr,"
        " r.tabled_at, coalesce(r.signed_by_fr, r.signed_by)"
        " FROM responses r JOIN ministries m ON m.id = r.ministry_id WHERE r.petition_id = ?1";
    static const char events_sql[] =
        "SELECT at, state FROM petition_events WHERE petition_id = ?1 ORDER BY at, id";
    sqlite3_stmt *st;
    int rc, n, cap, r;

    if (!(st = sq_prep(c, Q_GRIEVANCES, grievances_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    n = 0;
    cap = 8;
    p->grievances = arena_calloc(a, (size_t)cap, sizeof(*p->grievances));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            p->grievances = arena_realloc(a, p->grievances, (size_t)cap * sizeof(*p->grievances),
                                          (size_t)cap * 2 * sizeof(*p->grievances));
            cap *= 2;
        }
        p->grievances[n].text[LANG_EN] = sq_col_text(st, 0, a);
        p->grievances[n].text[LANG_FR] = sq_col_text(st, 1, a);
        n++;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "grievances");
    p->grievance_count = n;

    if ((r = sq_read_petition_keywords(c, a, p, e)))
        return r;

    if (!(st = sq_prep(c, Q_COUNTS, counts_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        p->region_counts[col_region(st, 0)] = col_i64(st, 1);
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "counts");

    if (!(st = sq_prep(c, Q_RESPONSE, response_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        p->has_response = true;
        p->response.ministry.id = col_i64(st, 0);
        p->response.ministry.code = sq_col_text(st, 1, a);
        p->response.ministry.title[LANG_EN] = sq_col_text(st, 2, a);
        p->response.ministry.title[LANG_FR] = sq_col_text(st, 3, a);
        p->response.signed_by = sq_col_text(st, 4, a);
        p->response.text[LANG_EN] = sq_col_text(st, 5, a);
        p->response.text[LANG_FR] = sq_col_text(st, 6, a);
        p->response.tabled_at = col_i64(st, 7);
        p->response.signed_by_fr = sq_col_text(st, 8, a);
        rc = SQLITE_DONE;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "response");

    if (!(st = sq_prep(c, Q_EVENTS, events_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    n = 0;
    cap = 8;
    p->events = arena_calloc(a, (size_t)cap, sizeof(*p->events));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        enum petition_state state;
        if (!t || petition_state_from_name(t, strlen(t), &state))
            continue; /* a state this build does not know: not shown */
        if (n == cap) {
            p->events = arena_realloc(a, p->events, (size_t)cap * sizeof(*p->events),
                                      (size_t)cap * 2 * sizeof(*p->events));
            cap *= 2;
        }
        p->events[n].at = col_i64(st, 0);
        p->events[n].state = state;
        n++;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "events");
    p->event_count = n;
    return 0;
}

static int
sq_petition_get(struct store_conn *conn, struct arena *a, const struct petition_number *n,
                struct petition *out, struct err *e)
{
    static const char by_e[] = "SELECT " PETITION_COLUMNS PETITION_JOINS " WHERE p.e_number = ?1";
    static const char by_presented[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS " WHERE pp.number = ?1 AND ps.number = ?2"
        " AND p.presented_sequence = ?3";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = ERR_STORE;

    if (n->kind == PETITION_NUMBER_E) {
        if (!(st = sq_prep(c, Q_PETITION_BY_E, by_e, e)))
            goto out;
        sqlite3_bind_int64(st, 1, n->e_number);
    } else {
        if (!(st = sq_prep(c, Q_PETITION_BY_PRESENTED, by_presented, e)))
            goto out;
        sqlite3_bind_int(st, 1, n->pps.parliament);
        sqlite3_bind_int(st, 2, n->pps.session);
        sqlite3_bind_int(st, 3, n->pps.sequence);
    }
    /* Read in one snapshot: the row and its details. */
    bool own = sq_snapshot_begin(c);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r = sq_read_petition(c, st, a, out, e);
        sq_done(st);
        if (!r)
            r = load_details(c, a, out, e);
    } else {
        r = rc == SQLITE_DONE
                ? err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no such petition")
                : sq_db_error(e, c->db, "petition get");
        sq_done(st);
    }
    sq_snapshot_end(c, own);
out:
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
read_brief(sqlite3_stmt *st, struct arena *a, struct petition_brief *b)
{
    (void)a;
    const unsigned char *kind = sqlite3_column_text(st, 1);
    b->id = col_i64(st, 0);
    b->kind =
        kind && strcmp((const char *)kind, "paper") == 0 ? PETITION_PAPER : PETITION_ELECTRONIC;
    b->e_number = (long)col_i64(st, 2);
    b->state = col_state(st, 3);
    b->closes_at = col_i64(st, 4);
    b->certified_at = col_i64(st, 5);
    b->queued_at = col_i64(st, 6);
    b->certify_threshold = sqlite3_column_int(st, 7);
    b->grace_hours = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8);
    b->total = col_i64(st, 9);
    b->authorizing_member_id = col_i64(st, 10);
    b->draft_id = col_i64(st, 11);
    b->original_language = col_lang(st, 12);
    b->is_demo = sqlite3_column_int(st, 13) != 0;
    b->signing_paused = sqlite3_column_int(st, 14) != 0;
}

static int
sq_petition_brief(struct store_conn *conn, int64_t id, long e_number, struct petition_brief *out,
                  struct err *e)
{
    static const char sql[] = "SELECT " BRIEF_COLUMNS " FROM petitions p"
                              " WHERE (?1 > 0 AND p.id = ?1) OR (?1 = 0 AND p.e_number = ?2)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_BRIEF, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, e_number);
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "petition", e)))
        goto out;
    read_brief(st, NULL, out);
    sq_done(st);
out:
    return r;
}

static int
sq_petition_closing(struct store_conn *conn, struct arena *a, int64_t now,
                    struct petition_brief **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " BRIEF_COLUMNS " FROM petitions p"
                              " WHERE (p.state = 'OPEN_FOR_SIGNATURE' AND p.closes_at <= ?1)"
                              " OR (p.state = 'WAITING_FOR_CERTIFICATION' AND p.queued_at IS NULL)"
                              " ORDER BY p.closes_at, p.id LIMIT 500";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_CLOSING, sql, e);
    sqlite3_bind_int64(st, 1, now);
    COLLECT(struct petition_brief, out, n, st, a, read_brief);
    sq_done(st);
out:
    return r;
}

static void
read_id(sqlite3_stmt *st, struct arena *a, int64_t *id)
{
    (void)a;
    *id = col_i64(st, 0);
}

static int
sq_petition_e_ids(struct store_conn *conn, struct arena *a, int64_t **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT id FROM petitions WHERE kind = 'electronic' ORDER BY id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_E_IDS, sql, e);
    COLLECT(int64_t, out, n, st, a, read_id);
    sq_done(st);
out:
    return r;
}

static int
sq_petition_next_e_number(struct store_conn *conn, long *n, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(e_number), 0) + 1 FROM petitions";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int64_t v = 0;
    int r;
    PREP_OR_OUT(st, c, Q_NEXT_E_NUMBER, sql, e);
    r = sq_step_id(c, st, &v, "next e-number", e);
    *n = (long)v;
out:
    return r;
}

int
sq_petition_set_state(struct store_conn *conn, int64_t petition_id, enum petition_state state,
                      int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET state = ?2, state_changed_at = ?3"
                              " WHERE id = ?1";
    static const char ev[] = "INSERT INTO petition_events (petition_id, at, state)"
                             " VALUES (?1, ?3, ?2)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if ((r = sq_write_begin(c, e)))
        return r;
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
    return sq_write_end(c, r, e);
}

static int
set_time(struct store_conn *conn, enum sq_stmt id, const char *sql, int64_t petition_id,
         int64_t now, const char *what, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, id, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, now);
    r = sq_step_done(c, st, what, e);
out:
    return r;
}

static int
sq_petition_set_queued(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET queued_at = ?2 WHERE id = ?1";
    return set_time(conn, Q_SET_QUEUED, sql, id, now, "petition queued", e);
}

static int
sq_petition_set_certified(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET certified_at = ?2 WHERE id = ?1";
    return set_time(conn, Q_SET_CERTIFIED, sql, id, now, "petition certified", e);
}

/* ---- the day-by-day counts ------------------------------------------------------------- */

/* "YYYY-MM-DD" as a civil date; false when it is not one. */
static bool
day_parse(const unsigned char *text, struct civil_date *d)
{
    return text && civil_date_parse((const char *)text, strlen((const char *)text), d) == 0;
}

static int
sq_petition_days(struct store_conn *conn, struct arena *a, int64_t petition_id,
                 struct day_count **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT day, sum(delta) FROM petition_days WHERE petition_id = ?1"
                              " GROUP BY day ORDER BY day";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0, rc, cap = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_PETITION_DAYS, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct civil_date d;
        if (!day_parse(sqlite3_column_text(st, 0), &d))
            continue;
        if (*n == cap) {
            int more = cap ? 2 * cap : 64;
            struct day_count *grown = arena_alloc(a, (size_t)more * sizeof(*grown));
            if (*n)
                memcpy(grown, *out, (size_t)*n * sizeof(*grown));
            *out = grown;
            cap = more;
        }
        (*out)[(*n)++] = (struct day_count){d, sqlite3_column_int64(st, 1)};
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "petition days");
out:
    return r;
}

static int
sq_region_days_since(struct store_conn *conn, const struct civil_date *since,
                     int64_t out[REGION_COUNT], struct err *e)
{
    static const char sql[] = "SELECT d.region, sum(d.delta) FROM petition_days d"
                              " JOIN petitions p ON p.id = d.petition_id"
                              " WHERE d.day >= ?1 AND p.state NOT IN ('REMOVED') GROUP BY d.region";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    char day[11];
    int r = 0, rc;
    memset(out, 0, REGION_COUNT * sizeof(out[0]));
    snprintf(day, sizeof(day), "%04d-%02d-%02d", since->year, since->month, since->day);
    PREP_OR_OUT(st, c, Q_REGION_DAYS, sql, e);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        out[col_region(st, 0)] = sqlite3_column_int64(st, 1);
    sq_done(st);
    if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "region days");
out:
    return r;
}

/* ---- subjects and keywords ------------------------------------------------------------- */

static int
sq_subject_put(struct store_conn *conn, struct subject *sub, struct err *e)
{
    static const char sql[] = "INSERT INTO subjects (code, name_en, name_fr) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en,"
                              " name_fr = excluded.name_fr RETURNING id";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_SUBJECT_PUT, sql, e);
    if (st) {
        sq_bind_text(st, 1, sub->code);
        sq_bind_text(st, 2, sub->name[LANG_EN]);
        sq_bind_text(st, 3, sub->name[LANG_FR]);
        r = sq_step_id(c, st, &sub->id, "subject put", e);
    }
    return r;
}

static int
sq_keyword_put(struct store_conn *conn, struct keyword *k, struct err *e)
{
    static const char sql[] = "INSERT INTO keywords (slug, name_en, name_fr) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en,"
                              " name_fr = excluded.name_fr RETURNING id";
    struct sq_conn *c = sq_conn(conn);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_KEYWORD_PUT, sql, e);
    if (st) {
        sq_bind_text(st, 1, k->slug);
        sq_bind_text(st, 2, k->name[LANG_EN]);
        sq_bind_text(st, 3, k->name[LANG_FR]);
        r = sq_step_id(c, st, &k->id, "keyword put", e);
    }
    return r;
}

/* Subjects and keywords have the same shape: id, code or slug, names in
 * both languages, and (in lists) how many public petitions they hold.
 * One reader fills either from a row selected in that order. */
typedef void (*fill_fn)(void *item, sqlite3_stmt *st, struct arena *a);

static void
fill_subject(void *item, sqlite3_stmt *st, struct arena *a)
{
    struct subject *x = item;
    x->id = col_i64(st, 0);
    x->code = sq_col_text(st, 1, a);
    x->name[LANG_EN] = sq_col_text(st, 2, a);
    x->name[LANG_FR] = sq_col_text(st, 3, a);
    x->petitions = sqlite3_column_count(st) > 4 ? sqlite3_column_int(st, 4) : 0;
}

/* Every row of a prepared list statement into an arena array. */
static int
list_rows(struct sq_conn *c, enum sq_stmt id, const char *sql, struct arena *a, size_t size,
          fill_fn fill, void **out, int *n, struct err *e)
{
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    int r = ERR_STORE, rc, cap = 16;
    unsigned char *items;

    *n = 0;
    *out = NULL;
    if (!st)
        goto out;
    items = arena_calloc(a, (size_t)cap, size);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            items = arena_realloc(a, items, (size_t)cap * size, (size_t)cap * 2 * size);
            cap *= 2;
        }
        fill(items + (size_t)(*n)++ * size, st, a);
    }
    *out = items;
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "list");
    sq_done(st);
out:
    return r;
}

/* The one row a statement selects by its key (?1), or not_found. */
static int
get_row(struct sq_conn *c, enum sq_stmt id, const char *sql, const char *key, struct arena *a,
        void *out, fill_fn fill, const char *not_found, struct err *e)
{
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    int r = ERR_STORE;
    if (!st)
        goto out;
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        fill(out, st, a);
        r = 0;
    } else if (rc == SQLITE_DONE) {
        r = err_set(e, ERR_NOT_FOUND, not_found, NULL, "not found");
    } else {
        r = sq_db_error(e, c->db, "get");
    }
    sq_done(st);
out:
    return r;
}

static int
sq_subject_list(struct store_conn *conn, struct arena *a, struct subject **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT s.id, s.code, s.name_en, s.name_fr,"
        " (SELECT count(*) FROM petitions p WHERE p.subject_id = s.id AND p.state IN " PUBLIC_STATES
        ") FROM subjects s ORDER BY s.name_en, s.id";
    return list_rows(sq_conn(conn), Q_SUBJECT_LIST, sql, a, sizeof(**out), fill_subject,
                     (void **)out, n, e);
}

static int
sq_keyword_list(struct store_conn *conn, struct arena *a, struct keyword **out, int *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT k.id, k.slug, k.name_en, k.name_fr,"
        " (SELECT count(*) FROM petition_keywords pk JOIN petitions p ON p.id = pk.petition_id"
        " WHERE pk.keyword_id = k.id AND p.state IN " PUBLIC_STATES ")"
        " FROM keywords k ORDER BY k.name_en, k.id";
    return list_rows(sq_conn(conn), Q_KEYWORD_LIST, sql, a, sizeof(**out), sq_read_keyword,
                     (void **)out, n, e);
}

static int
sq_subject_get(struct store_conn *conn, struct arena *a, const char *code, struct subject *out,
               struct err *e)
{
    static const char sql[] = "SELECT id, code, name_en, name_fr FROM subjects WHERE code = ?1";
    memset(out, 0, sizeof(*out));
    return get_row(sq_conn(conn), Q_SUBJECT_GET, sql, code, a, out, fill_subject,
                   "error.subject_not_found", e);
}

static int
sq_keyword_get(struct store_conn *conn, struct arena *a, const char *slug, struct keyword *out,
               struct err *e)
{
    static const char sql[] = "SELECT id, slug, name_en, name_fr FROM keywords WHERE slug = ?1";
    memset(out, 0, sizeof(*out));
    return get_row(sq_conn(conn), Q_KEYWORD_GET, sql, slug, a, out, sq_read_keyword,
                   "error.keyword_not_found", e);
}

/* One statement per id: in the process, each is a lookup by key. */
static int
sq_petition_totals(struct store_conn *conn, const int64_t *ids, int n, int64_t *totals,
                   struct err *e)
{
    static const char sql[] = "SELECT signature_total FROM petitions WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_PETITION_TOTAL, sql, e);
    if (!st)
        return ERR_STORE;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            totals[i] = sqlite3_column_int64(st, 0);
        } else if (rc == SQLITE_DONE) {
            totals[i] = -1;
        } else {
            int r = sq_db_error(e, c->db, "petition totals");
            sq_done(st);
            return r;
        }
        sqlite3_reset(st);
    }
    sq_done(st);
    return 0;
}

const struct store_petitions_ops sq_petitions_ops = {
    .petition_insert = sq_petition_insert,
    .petition_get = sq_petition_get,
    .petition_totals = sq_petition_totals,
    .petition_brief = sq_petition_brief,
    .petition_next_e_number = sq_petition_next_e_number,
    .petition_set_state = sq_petition_set_state,
    .petition_set_queued = sq_petition_set_queued,
    .petition_set_certified = sq_petition_set_certified,
    .petition_closing = sq_petition_closing,
    .petition_e_ids = sq_petition_e_ids,
    .petition_days = sq_petition_days,
    .region_days_since = sq_region_days_since,
    .subject_put = sq_subject_put,
    .subject_list = sq_subject_list,
    .subject_get = sq_subject_get,
    .keyword_put = sq_keyword_put,
    .keyword_list = sq_keyword_list,
    .keyword_get = sq_keyword_get,
};
