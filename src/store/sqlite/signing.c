/*
 * sqlite_signing.c: the SQLite backend's signatures, the counts they move,
 * the closing timers of published petitions and the Clerk's allow and
 * block lists (store.h).  Statements are constant strings beside the
 * functions that run them, with bound values only, cached per connection.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/province.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite_internal.h"
#include "store/store.h"
#include "lib/banned.h"

/* ---- petitions ------------------------------------------------------------------- */

#define BRIEF_COLUMNS                                                                         \
    "p.id, p.kind, p.e_number, p.state, p.closes_at, p.certified_at, p.queued_at,"            \
    " p.certify_threshold, p.grace_hours, p.signature_total, p.authorizing_member_id,"        \
    " (SELECT d.id FROM drafts d WHERE d.petition_id = p.id), p.original_language, p.is_demo"

static void
read_brief(sqlite3_stmt *st, struct arena *a, struct petition_brief *b)
{
    (void)a;
    const unsigned char *kind = sqlite3_column_text(st, 1);
    b->id = col_i64(st, 0);
    b->kind = kind && strcmp((const char *)kind, "paper") == 0 ? PETITION_PAPER
                                                               : PETITION_ELECTRONIC;
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
}

int
sq_petition_brief(struct store *base, int64_t id, long e_number, struct petition_brief *out,
                  struct err *e)
{
    static const char sql[] = "SELECT " BRIEF_COLUMNS " FROM petitions p"
                              " WHERE (?1 > 0 AND p.id = ?1) OR (?1 = 0 AND p.e_number = ?2)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
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
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_closing(struct store *base, struct arena *a, int64_t now,
                    struct petition_brief **out, int *n, struct err *e)
{
    static const char sql[] =
        "SELECT " BRIEF_COLUMNS " FROM petitions p"
        " WHERE (p.state = 'OPEN_FOR_SIGNATURE' AND p.closes_at <= ?1)"
        " OR (p.state = 'WAITING_FOR_CERTIFICATION' AND p.queued_at IS NULL)"
        " ORDER BY p.closes_at LIMIT 500";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_CLOSING, sql, e);
    sqlite3_bind_int64(st, 1, now);
    COLLECT(struct petition_brief, out, n, st, a, read_brief);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_id(sqlite3_stmt *st, struct arena *a, int64_t *id)
{
    (void)a;
    *id = col_i64(st, 0);
}

int
sq_petition_e_ids(struct store *base, struct arena *a, int64_t **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT id FROM petitions WHERE kind = 'electronic' ORDER BY id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_E_IDS, sql, e);
    COLLECT(int64_t, out, n, st, a, read_id);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static int
set_time(struct store *base, enum stmt_id id, const char *sql, int64_t petition_id,
         int64_t now, const char *what, struct err *e)
{
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, id, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, now);
    r = sq_step_done(c, st, what, e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_set_queued(struct store *base, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET queued_at = ?2 WHERE id = ?1";
    return set_time(base, Q_SET_QUEUED, sql, id, now, "petition queued", e);
}

int
sq_petition_set_certified(struct store *base, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE petitions SET certified_at = ?2 WHERE id = ?1";
    return set_time(base, Q_SET_CERTIFIED, sql, id, now, "petition certified", e);
}

/* ---- counts ---------------------------------------------------------------------- */

int
sq_petition_count_add(struct store *base, int64_t petition_id, enum region region, int delta,
                      int64_t now, struct err *e)
{
    /* SQLite checks CHECK (count >= 0) on the row to insert before the
     * upsert turns it into an update, so a decrement must not be inserted
     * as a negative count: insert what a new row may hold, add the delta. */
    static const char count_sql[] =
        "INSERT INTO petition_counts (petition_id, region, count) VALUES (?1, ?2, max(?3, 0))"
        " ON CONFLICT (petition_id, region) DO UPDATE SET count = count + ?3";
    static const char total_sql[] =
        "UPDATE petitions SET signature_total = signature_total + ?2 WHERE id = ?1";
    static const char day_sql[] =
        "INSERT INTO petition_days (petition_id, day, region, delta) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (petition_id, day, region) DO UPDATE SET delta = delta + ?4";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    if (delta == 0) {
        r = 0;
        goto out;
    }
    PREP_OR_OUT(st, c, Q_COUNT_ADD, count_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sq_bind_text(st, 2, region_code(region));
    sqlite3_bind_int(st, 3, delta);
    if ((r = sq_step_done(c, st, "count add", e)))
        goto out;
    PREP_OR_OUT(st, c, Q_TOTAL_ADD, total_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int(st, 2, delta);
    if ((r = sq_step_done(c, st, "total add", e)))
        goto out;
    /* The day's change (Eastern day of now). */
    struct civil_time t;
    char day[11];
    eastern_from_utc(now, &t);
    snprintf(day, sizeof(day), "%04d-%02d-%02d", t.year, t.month, t.day);
    PREP_OR_OUT(st, c, Q_DAY_ADD, day_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
    sq_bind_text(st, 3, region_code(region));
    sqlite3_bind_int(st, 4, delta);
    r = sq_step_done(c, st, "day add", e);
out:
    sq_conn_put(s, c);
    return r;
}

/* "YYYY-MM-DD" as a civil date; false when it is not one. */
static bool
day_parse(const unsigned char *text, struct civil_date *d)
{
    return text && civil_date_parse((const char *)text, strlen((const char *)text), d) == 0;
}

int
sq_petition_days(struct store *base, struct arena *a, int64_t petition_id,
                 struct day_count **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT day, sum(delta) FROM petition_days WHERE petition_id = ?1"
                              " GROUP BY day ORDER BY day";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
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
    sq_conn_put(s, c);
    return r;
}

int
sq_region_days_since(struct store *base, const struct civil_date *since,
                     int64_t out[REGION_COUNT], struct err *e)
{
    static const char sql[] =
        "SELECT d.region, sum(d.delta) FROM petition_days d"
        " JOIN petitions p ON p.id = d.petition_id"
        " WHERE d.day >= ?1 AND p.state NOT IN ('REMOVED') GROUP BY d.region";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
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
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_counts_stored(struct store *base, int64_t petition_id, int64_t stored[REGION_COUNT],
                          int64_t *total, struct err *e)
{
    static const char sql[] =
        "SELECT c.region, c.count, p.signature_total FROM petitions p"
        " LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r, rc, rows = 0;
    memset(stored, 0, REGION_COUNT * sizeof(stored[0]));
    *total = 0;
    PREP_OR_OUT(st, c, Q_COUNTS_STORED, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        *total = col_i64(st, 2);
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            stored[col_region(st, 0)] = col_i64(st, 1);
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "stored counts");
    else if (!rows)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "counts: no petition");
    else
        r = 0;
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_recount(struct store *base, int64_t petition_id, struct petition_recount *out,
                    struct err *e)
{
    static const char stored_sql[] =
        "SELECT c.region, c.count, c.base, p.signature_total FROM petitions p"
        " LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = ?1";
    static const char rows_sql[] =
        "SELECT region, count(*) FROM signatures WHERE petition_id = ?1"
        " AND confirmed_at IS NOT NULL AND review IN ('clear', 'validated') GROUP BY region";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r, rc, rows = 0;
    memset(out, 0, sizeof(*out));
    /* One snapshot for both reads. */
    bool own = sq_snapshot_begin(c);
    PREP_OR_OUT(st, c, Q_RECOUNT_STORED, stored_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        out->stored_total = col_i64(st, 3);
        if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
            enum region k = col_region(st, 0);
            out->stored[k] = col_i64(st, 1);
            out->base[k] = col_i64(st, 2);
        }
    }
    sq_done(st);
    if (rc != SQLITE_DONE) {
        r = sq_db_error(e, c->db, "recount stored");
        goto out;
    }
    if (!rows) {
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "recount: no petition");
        goto out;
    }
    PREP_OR_OUT(st, c, Q_RECOUNT_ROWS, rows_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->rows[col_region(st, 0)] = col_i64(st, 1);
    }
    sq_done(st);
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "recount rows");
out:
    sq_snapshot_end(c, own);
    sq_conn_put(s, c);
    return r;
}

int
sq_petition_counts_fix(struct store *base, int64_t petition_id,
                       const struct petition_recount *rc, struct err *e)
{
    static const char count_sql[] =
        "INSERT INTO petition_counts (petition_id, region, count, base) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (petition_id, region) DO UPDATE SET count = excluded.count";
    static const char total_sql[] = "UPDATE petitions SET signature_total = ?2 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int64_t total = 0;
    int r = 0;
    for (int i = 0; i < REGION_COUNT && !r; i++) {
        int64_t want = rc->base[i] + rc->rows[i];
        total += want;
        PREP_OR_OUT(st, c, Q_COUNT_FIX, count_sql, e);
        sqlite3_bind_int64(st, 1, petition_id);
        sq_bind_text(st, 2, region_code((enum region)i));
        sqlite3_bind_int64(st, 3, want);
        sqlite3_bind_int64(st, 4, rc->base[i]);
        r = sq_step_done(c, st, "count fix", e);
    }
    if (r)
        goto out;
    PREP_OR_OUT(st, c, Q_TOTAL_FIX, total_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, total);
    r = sq_step_done(c, st, "total fix", e);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- signatures ---------------------------------------------------------------------- */

void
sq_read_signature(sqlite3_stmt *st, struct arena *a, struct signature_record *g)
{
    g->id = col_i64(st, 0);
    g->petition_id = col_i64(st, 1);
    g->email_key = sq_col_text(st, 2, a);
    g->email = sq_col_text(st, 3, a);
    g->first_name = sq_col_text(st, 4, a);
    g->last_name = sq_col_text(st, 5, a);
    g->country = sq_col_text(st, 6, a);
    g->region = col_region(st, 7);
    g->postal_code = sq_col_text(st, 8, a);
    g->phone = sq_col_text(st, 9, a);
    g->lang = col_lang(st, 10);
    g->ip = sq_col_text(st, 11, a);
    g->rate_key = sq_col_text(st, 12, a);
    g->created_at = col_i64(st, 13);
    g->confirmed_at = col_i64(st, 14);
    const unsigned char *rv = sqlite3_column_text(st, 15);
    g->review = REVIEW_CLEAR;
    if (rv)
        signature_review_from_name((const char *)rv, strlen((const char *)rv), &g->review);
    g->flag = sqlite3_column_type(st, 16) == SQLITE_NULL ? NULL : sq_col_text(st, 16, a);
    g->reviewed_at = col_i64(st, 17);
    g->reviewed_by = col_i64(st, 18);
    g->mails = sqlite3_column_int(st, 19);
    g->review_note = sqlite3_column_type(st, 20) == SQLITE_NULL ? NULL : sq_col_text(st, 20, a);
}

int
sq_signature_insert(struct store *base, struct signature_record *rec, struct err *e)
{
    static const char sql[] =
        "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
        " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
        " flag, mails) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SIGNATURE_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, rec->petition_id);
    sq_bind_static(st, 2, rec->email_key);
    sq_bind_static(st, 3, rec->email);
    sq_bind_static(st, 4, rec->first_name);
    sq_bind_static(st, 5, rec->last_name);
    sq_bind_static(st, 6, rec->country);
    sq_bind_static(st, 7, region_code(rec->region));
    sq_bind_static(st, 8, rec->postal_code ? rec->postal_code : "");
    sq_bind_static(st, 9, rec->phone);
    sq_bind_static(st, 10, lang_code(rec->lang));
    sq_bind_static(st, 11, rec->ip);
    sq_bind_static(st, 12, rec->rate_key);
    sqlite3_bind_int64(st, 13, rec->created_at);
    sq_bind_opt(st, 14, rec->confirmed_at);
    sq_bind_static(st, 15, signature_review_name(rec->review));
    sq_bind_static(st, 16, rec->flag);
    sqlite3_bind_int(st, 17, rec->mails);
    if ((r = sq_step_done(c, st, "signature insert", e)))
        goto out;
    rec->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

static int
signature_one(struct store *base, struct arena *a, enum stmt_id id, const char *sql,
              int64_t n, const char *key, struct signature_record *out, struct err *e)
{
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, id, sql, e);
    sqlite3_bind_int64(st, 1, n);
    if (key)
        sq_bind_text(st, 2, key);
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "signature", e)))
        goto out;
    sq_read_signature(st, a, out);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_signature_get(struct store *base, struct arena *a, int64_t id, struct signature_record *out,
                 struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures WHERE id = ?1";
    return signature_one(base, a, Q_SIGNATURE_GET, sql, id, NULL, out, e);
}

int
sq_signature_find(struct store *base, struct arena *a, int64_t petition_id,
                  const char *email_key, struct signature_record *out, struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures"
                              " WHERE petition_id = ?1 AND email_key = ?2";
    return signature_one(base, a, Q_SIGNATURE_FIND, sql, petition_id, email_key, out, e);
}

int
sq_signature_update(struct store *base, const struct signature_record *rec, struct err *e)
{
    static const char sql[] =
        "UPDATE signatures SET confirmed_at = ?2, review = ?3, flag = ?4, reviewed_at = ?5,"
        " reviewed_by = ?6, mails = ?7, review_note = ?8 WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SIGNATURE_UPDATE, sql, e);
    sqlite3_bind_int64(st, 1, rec->id);
    sq_bind_opt(st, 2, rec->confirmed_at);
    sq_bind_text(st, 3, signature_review_name(rec->review));
    sq_bind_text(st, 4, rec->flag);
    sq_bind_opt(st, 5, rec->reviewed_at);
    sq_bind_opt(st, 6, rec->reviewed_by);
    sqlite3_bind_int(st, 7, rec->mails);
    sq_bind_text(st, 8, rec->review_note);
    r = sq_step_done(c, st, "signature update", e);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_signature_recent(struct store *base, int64_t petition_id, const char *rate_key,
                    int64_t since_burst, int64_t since_sustained, int64_t *burst,
                    int64_t *sustained, struct err *e)
{
    /* One range of the (petition_id, rate_key, created_at) index. */
    static const char sql[] = "SELECT coalesce(sum(created_at >= ?3), 0), count(*)"
                              " FROM signatures WHERE petition_id = ?1 AND rate_key = ?2"
                              " AND created_at >= min(?3, ?4)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SIGNATURE_RECENT, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_text(st, 2, rate_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, since_burst);
    sqlite3_bind_int64(st, 4, since_sustained);
    if ((r = sq_step_one(c, st, "signature rate", e)))
        goto out;
    *burst = sqlite3_column_int64(st, 0);
    *sustained = sqlite3_column_int64(st, 1);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_signature_list(struct store *base, struct arena *a, const struct signature_query *q,
                  struct signature_record **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures"
                              " WHERE petition_id = ?1 AND (?2 IS NULL OR review = ?2)"
                              " AND id > ?3 ORDER BY id LIMIT ?4";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SIGNATURE_LIST, sql, e);
    sqlite3_bind_int64(st, 1, q->petition_id);
    if (q->has_review)
        sq_bind_text(st, 2, signature_review_name(q->review));
    sqlite3_bind_int64(st, 3, q->after_id);
    sqlite3_bind_int(st, 4, q->limit > 0 && q->limit <= 500 ? q->limit : 500);
    COLLECT(struct signature_record, out, n, st, a, sq_read_signature);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_signature_stats(struct store *base, int64_t petition_id, struct signature_stats *out,
                   struct err *e)
{
    static const char sql[] =
        "SELECT count(*),"
        " total(confirmed_at IS NULL AND review <> 'invalidated'),"
        " total(confirmed_at IS NOT NULL AND review IN ('clear', 'validated')),"
        " total(review = 'suspect'),"
        " total(review = 'suspect' AND confirmed_at IS NOT NULL),"
        " total(review = 'invalidated')"
        " FROM signatures WHERE petition_id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SIGNATURE_STATS, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "signature stats", e)))
        goto out;
    out->rows = col_i64(st, 0);
    out->pending = col_i64(st, 1);
    out->counted = col_i64(st, 2);
    out->suspect = col_i64(st, 3);
    out->suspect_confirmed = col_i64(st, 4);
    out->invalidated = col_i64(st, 5);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- allow and block lists ---------------------------------------------------------- */

int
sq_signing_rule_insert(struct store *base, struct signing_rule *rule, struct err *e)
{
    static const char sql[] = "INSERT INTO signing_rules (action, kind, value, note, created_at,"
                              " created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_RULE_INSERT, sql, e);
    sq_bind_text(st, 1, rule->block ? "block" : "allow");
    sq_bind_text(st, 2, rule->domain ? "domain" : "network");
    sq_bind_text(st, 3, rule->value);
    sq_bind_text(st, 4, rule->note ? rule->note : "");
    sqlite3_bind_int64(st, 5, rule->created_at);
    sq_bind_opt(st, 6, rule->created_by);
    if ((r = sq_step_done(c, st, "signing rule insert", e)))
        goto out;
    rule->id = sqlite3_last_insert_rowid(c->db);
out:
    sq_conn_put(s, c);
    return r;
}

int
sq_signing_rule_delete(struct store *base, int64_t id, struct err *e)
{
    static const char sql[] = "DELETE FROM signing_rules WHERE id = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_RULE_DELETE, sql, e);
    sqlite3_bind_int64(st, 1, id);
    if ((r = sq_step_done(c, st, "signing rule delete", e)))
        goto out;
    if (sqlite3_changes(c->db) == 0)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "no signing rule %lld",
                    (long long)id);
out:
    sq_conn_put(s, c);
    return r;
}

static void
read_rule(sqlite3_stmt *st, struct arena *a, struct signing_rule *g)
{
    const unsigned char *action = sqlite3_column_text(st, 1);
    const unsigned char *kind = sqlite3_column_text(st, 2);
    g->id = col_i64(st, 0);
    g->block = action && strcmp((const char *)action, "block") == 0;
    g->domain = kind && strcmp((const char *)kind, "domain") == 0;
    g->value = sq_col_text(st, 3, a);
    g->note = sq_col_text(st, 4, a);
    g->created_at = col_i64(st, 5);
    g->created_by = col_i64(st, 6);
}

int
sq_signing_rule_list(struct store *base, struct arena *a, struct signing_rule **out, int *n,
                     struct err *e)
{
    static const char sql[] = "SELECT id, action, kind, value, note, created_at, created_by"
                              " FROM signing_rules ORDER BY action, kind, value";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_RULE_LIST, sql, e);
    COLLECT(struct signing_rule, out, n, st, a, read_rule);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}
