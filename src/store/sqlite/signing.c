/*
 * signing.c: the SQLite backend's signatures (store/signing.h): the rows,
 * the counts they move (by region, the total and the day's change), the
 * Clerk's review and search of them (rulebook 11.7), and the Clerk's
 * allow and block lists (rulebook 11.8).
 *
 * The Clerk searches signatures by e-mail domain, by network, by postal
 * code prefix, by time window and by state.  A domain and a network are
 * not things SQL compares well: an e-mail domain covers its subdomains
 * ("example.com" matches "mail.example.com" but not "badexample.com"),
 * and an IPv4 or IPv6 network is a prefix of bits, not of text.  So each
 * connection gets two application functions that call the pure core
 * (core/netaddr.h), the same code the allow and block lists use:
 *
 *   review_domain_in(domain, email)  1 when email's domain is domain or
 *                                    one of its subdomains, else 0
 *   review_in_network(range, ip)     1 when the address ip is inside the
 *                                    network range ("203.0.113.0/24",
 *                                    "2001:db8::/32", one address), else 0
 *
 * Both are deterministic and NULL when an argument is NULL.  They are
 * registered on a connection the first time one of its threads searches
 * (sq_conn.review_fns), before the statements that call them are
 * prepared.  The parsed range is kept with the statement
 * (sqlite3_set_auxdata) so a search parses it once, not once a row.  A
 * postal prefix is bound already normalised (upper case, no spaces) and
 * compared with the stored code normalised the same way.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/netaddr.h"
#include "core/province.h"
#include "core/signature.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- counts ------------------------------------------------------------------------------- */

static int
sq_petition_count_add(struct store_conn *conn, int64_t petition_id, enum region region, int delta,
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
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if (delta == 0)
        return 0;
    if ((r = sq_write_begin(c, e)))
        return r;
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
    return sq_write_end(c, r, e);
}

static int
sq_petition_count_add_many(struct store_conn *conn, const struct count_delta *d, int n, int64_t now,
                           struct err *e)
{
    int r = 0;
    for (int i = 0; i < n && !r; i++)
        r = sq_petition_count_add(conn, d[i].petition_id, d[i].region, d[i].delta, now, e);
    return r;
}

static int
sq_petition_counts_stored(struct store_conn *conn, int64_t petition_id,
                          int64_t stored[REGION_COUNT], int64_t *total, struct err *e)
{
    static const char sql[] =
        "SELECT c.region, c.count, p.signature_total FROM petitions p"
        " LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = ?1";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
sq_petition_recount(struct store_conn *conn, int64_t petition_id, struct petition_recount *out,
                    struct err *e)
{
    static const char stored_sql[] =
        "SELECT c.region, c.count, c.base, p.signature_total FROM petitions p"
        " LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = ?1";
    static const char rows_sql[] =
        "SELECT region, count(*) FROM signatures WHERE petition_id = ?1"
        " AND confirmed_at IS NOT NULL AND review IN ('clear', 'validated') GROUP BY region";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
sq_petition_counts_fix(struct store_conn *conn, int64_t petition_id,
                       const struct petition_recount *rc, struct err *e)
{
    static const char count_sql[] =
        "INSERT INTO petition_counts (petition_id, region, count, base) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (petition_id, region) DO UPDATE SET count = excluded.count";
    static const char total_sql[] = "UPDATE petitions SET signature_total = ?2 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int64_t total = 0;
    int r = 0;
    if ((r = sq_write_begin(c, e)))
        return r;
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
    return sq_write_end(c, r, e);
}

/* ---- signatures ----------------------------------------------------------------------------- */

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
    g->logged = sqlite3_column_type(st, 21) != SQLITE_NULL;
    g->log_index = g->logged ? col_i64(st, 21) : 0;
}

static int
sq_signature_insert(struct store_conn *conn, struct signature_record *rec, struct err *e)
{
    static const char sql[] =
        "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
        " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
        " flag, mails) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17)";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
signature_one(struct store_conn *conn, struct arena *a, enum sq_stmt id, const char *sql, int64_t n,
              const char *key, struct signature_record *out, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
sq_signature_get(struct store_conn *conn, struct arena *a, int64_t id, struct signature_record *out,
                 struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures WHERE id = ?1";
    return signature_one(conn, a, Q_SIGNATURE_GET, sql, id, NULL, out, e);
}

static int
sq_signature_find(struct store_conn *conn, struct arena *a, int64_t petition_id,
                  const char *email_key, struct signature_record *out, struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures"
                              " WHERE petition_id = ?1 AND email_key = ?2";
    return signature_one(conn, a, Q_SIGNATURE_FIND, sql, petition_id, email_key, out, e);
}

static int
sq_signature_update(struct store_conn *conn, const struct signature_record *rec, struct err *e)
{
    static const char sql[] =
        "UPDATE signatures SET confirmed_at = ?2, review = ?3, flag = ?4, reviewed_at = ?5,"
        " reviewed_by = ?6, mails = ?7, review_note = ?8, log_index = ?9 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
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
    if (rec->logged)
        sqlite3_bind_int64(st, 9, rec->log_index);
    else
        sqlite3_bind_null(st, 9);
    r = sq_step_done(c, st, "signature update", e);
out:
    return r;
}

static int
sq_signature_recent(struct store_conn *conn, int64_t petition_id, const char *rate_key,
                    int64_t since_burst, int64_t since_sustained, int64_t *burst,
                    int64_t *sustained, struct err *e)
{
    /* One range of the (petition_id, rate_key, created_at) index. */
    static const char sql[] = "SELECT coalesce(sum(created_at >= ?3), 0), count(*)"
                              " FROM signatures WHERE petition_id = ?1 AND rate_key = ?2"
                              " AND created_at >= min(?3, ?4)";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

/* The many-at-once operations (store/signing.h): SQLite runs in this
 * process, so a statement costs no round trip and each is the single
 * one in a loop. */

static int
sq_signature_taken(struct store_conn *conn, int64_t petition_id, const char *email_key,
                   int64_t *taken, struct err *e)
{
    static const char sql[] = "SELECT coalesce((SELECT id FROM signatures"
                              " WHERE petition_id = ?1 AND email_key = ?2), 0)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SIGNATURE_TAKEN, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sq_bind_static(st, 2, email_key);
    if ((r = sq_step_one(c, st, "signature taken", e)))
        goto out;
    *taken = sqlite3_column_int64(st, 0);
    sq_done(st);
out:
    return r;
}

static int
sq_signature_probe(struct store_conn *conn, struct signature_probe *p, int n, struct err *e)
{
    int r = 0;
    for (int i = 0; i < n && !r; i++) {
        p[i].burst = p[i].sustained = 0;
        r = sq_signature_taken(conn, p[i].petition_id, p[i].email_key, &p[i].taken, e);
        if (!r && p[i].rate_key)
            r = sq_signature_recent(conn, p[i].petition_id, p[i].rate_key, p[i].since_burst,
                                    p[i].since_sustained, &p[i].burst, &p[i].sustained, e);
    }
    return r;
}

static int
sq_signature_insert_many(struct store_conn *conn, struct signature_record *rec, int n,
                         struct err *e)
{
    int r = 0;
    for (int i = 0; i < n && !r; i++)
        r = sq_signature_insert(conn, &rec[i], e);
    return r;
}

static int
sq_signature_get_many(struct store_conn *conn, struct arena *a, const int64_t *ids, int n,
                      struct signature_record *out, bool *found, struct err *e)
{
    for (int i = 0; i < n; i++) {
        int r = sq_signature_get(conn, a, ids[i], &out[i], e);
        found[i] = r == 0;
        if (r == ERR_NOT_FOUND && e)
            *e = (struct err)ERR_INIT;
        else if (r)
            return r;
    }
    return 0;
}

static int
sq_signature_confirm_many(struct store_conn *conn, const int64_t *ids, const int64_t *at,
                          const int64_t *log_index, int n, struct err *e)
{
    static const char sql[] = "UPDATE signatures SET confirmed_at = ?2, log_index = ?3"
                              " WHERE id = ?1 AND confirmed_at IS NULL";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;
    for (int i = 0; i < n && !r; i++) {
        PREP_OR_OUT(st, c, Q_SIGNATURE_CONFIRM, sql, e);
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, at[i]);
        if (log_index && log_index[i] >= 0)
            sqlite3_bind_int64(st, 3, log_index[i]);
        else
            sqlite3_bind_null(st, 3);
        if ((r = sq_step_done(c, st, "signature confirm", e)))
            break;
        if (sqlite3_changes(c->db) != 1)
            r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                        "signature confirm: %lld is not pending", (long long)ids[i]);
    }
out:
    return r;
}

static int
sq_signature_list(struct store_conn *conn, struct arena *a, const struct signature_query *q,
                  struct signature_record **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures"
                              " WHERE petition_id = ?1 AND (?2 IS NULL OR review = ?2)"
                              " AND id > ?3 ORDER BY id LIMIT ?4";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

/*
 * The ids of petition ?1's signatures that share their mailbox with
 * another (signature_filter.same_mailbox): a key with capitals (only
 * migration 0010 left any, beside a row of the same key folded) with a
 * row alike but for case, and the rows alike to one.  Found from the few
 * rows with capitals (the partial index signatures_mailbox) and the
 * unique index, never by reading every row.
 */
#define SAME_MAILBOX_IDS                                                                           \
    "SELECT u.id FROM signatures u WHERE u.petition_id = ?1"                                       \
    " AND u.email_key <> lower(u.email_key)"                                                       \
    " AND (EXISTS (SELECT 1 FROM signatures o WHERE o.petition_id = u.petition_id"                 \
    "      AND o.email_key = lower(u.email_key))"                                                  \
    "   OR EXISTS (SELECT 1 FROM signatures o WHERE o.petition_id = u.petition_id"                 \
    "      AND o.email_key <> lower(o.email_key) AND lower(o.email_key) = lower(u.email_key)"      \
    "      AND o.id <> u.id))"                                                                     \
    " UNION SELECT o.id FROM signatures u JOIN signatures o ON o.petition_id = u.petition_id"      \
    " AND o.email_key = lower(u.email_key)"                                                        \
    " WHERE u.petition_id = ?1 AND u.email_key <> lower(u.email_key)"

static int
sq_signature_stats(struct store_conn *conn, int64_t petition_id, struct signature_stats *out,
                   struct err *e)
{
    static const char sql[] =
        "SELECT count(*),"
        " total(confirmed_at IS NULL AND review <> 'invalidated'),"
        " total(confirmed_at IS NOT NULL AND review IN ('clear', 'validated')),"
        " total(review = 'suspect'),"
        " total(review = 'suspect' AND confirmed_at IS NOT NULL),"
        " total(review = 'invalidated'),"
        " (SELECT count(*) FROM (" SAME_MAILBOX_IDS "))"
        " FROM signatures WHERE petition_id = ?1";
    struct sq_conn *c = sq_conn(conn);
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
    out->same_mailbox = col_i64(st, 6);
    sq_done(st);
out:
    return r;
}

/* ---- the Clerk's search ------------------------------------------------------------------------
 */

static void
fn_domain_in(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *rule = sqlite3_value_text(argv[0]);
    const unsigned char *email = sqlite3_value_text(argv[1]);
    if (!rule || !email) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *domain = email_domain((const char *)email);
    sqlite3_result_int(ctx, domain && domain_matches((const char *)rule, domain));
}

static void
fn_in_network(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *range = sqlite3_value_text(argv[0]);
    const unsigned char *ip = sqlite3_value_text(argv[1]);
    if (!range || !ip) {
        sqlite3_result_null(ctx);
        return;
    }
    /* The range is the same bound value for every row: parse it once and
     * keep it with the statement (when SQLite cannot keep it, it frees the
     * copy at once; the parsed one on the stack serves this row). */
    struct netrange parsed, *net = sqlite3_get_auxdata(ctx, 0);
    if (!net) {
        if (netrange_parse((const char *)range, &parsed)) {
            sqlite3_result_int(ctx, 0);
            return;
        }
        net = &parsed;
        struct netrange *keep = sqlite3_malloc(sizeof(*keep));
        if (keep) {
            *keep = parsed;
            sqlite3_set_auxdata(ctx, 0, keep, sqlite3_free);
        }
    }
    struct netaddr a;
    sqlite3_result_int(ctx, netaddr_parse((const char *)ip, &a) == 0 && netrange_contains(net, &a));
}

/* Register the functions on c once. */
static int
review_functions(struct sq_conn *c, struct err *e)
{
    static const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (c->review_fns)
        return 0;
    if (sqlite3_create_function(c->db, "review_domain_in", 2, flags, NULL, fn_domain_in, NULL,
                                NULL) != SQLITE_OK ||
        sqlite3_create_function(c->db, "review_in_network", 2, flags, NULL, fn_in_network, NULL,
                                NULL) != SQLITE_OK)
        return sq_db_error(e, c->db, "review functions");
    c->review_fns = true;
    return 0;
}

/* The conditions both statements share; ?1..?9 are bound by bind_filter(). */
#define FILTER_WHERE                                                                               \
    " WHERE petition_id = ?1"                                                                      \
    " AND (?2 IS NULL OR review_domain_in(?2, email))"                                             \
    " AND (?3 IS NULL OR review_in_network(?3, ip))"                                               \
    " AND (?4 IS NULL OR substr(upper(replace(postal_code, ' ', '')), 1, length(?4)) = ?4)"        \
    " AND (?5 IS NULL OR created_at >= ?5)"                                                        \
    " AND (?6 IS NULL OR created_at < ?6)"                                                         \
    " AND (?7 IS NULL OR review = ?7)"                                                             \
    " AND (?8 = 0 OR (confirmed_at IS NULL AND review <> 'invalidated'))"                          \
    " AND (?9 = 0 OR id IN (" SAME_MAILBOX_IDS "))"

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    sq_bind_text(st, i, v && *v ? v : NULL);
}

static void
bind_filter(sqlite3_stmt *st, const struct signature_filter *f)
{
    sqlite3_bind_int64(st, 1, f->petition_id);
    bind_opt_text(st, 2, f->domain);
    bind_opt_text(st, 3, f->network);
    bind_opt_text(st, 4, f->postal_prefix);
    sq_bind_opt(st, 5, f->from);
    sq_bind_opt(st, 6, f->to);
    if (f->has_review)
        sq_bind_text(st, 7, signature_review_name(f->review));
    sqlite3_bind_int(st, 8, f->pending ? 1 : 0);
    sqlite3_bind_int(st, 9, f->same_mailbox ? 1 : 0);
}

static int
sq_signature_search(struct store_conn *conn, struct arena *a, const struct signature_filter *f,
                    int64_t after_id, int limit, struct signature_record **out, int *n,
                    struct err *e)
{
    static const char sql[] = "SELECT " SQ_SIGNATURE_COLUMNS " FROM signatures" FILTER_WHERE
                              " AND id > ?10 ORDER BY id LIMIT ?11";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;

    *out = NULL;
    *n = 0;
    if ((r = review_functions(c, e)))
        goto out;
    PREP_OR_OUT(st, c, Q_SIGNATURE_SEARCH, sql, e);
    bind_filter(st, f);
    sqlite3_bind_int64(st, 10, after_id);
    sqlite3_bind_int(st, 11, limit > 0 && limit <= 500 ? limit : 500);
    COLLECT(struct signature_record, out, n, st, a, sq_read_signature);
    sq_done(st);
out:
    return r;
}

static int
sq_signature_search_count(struct store_conn *conn, const struct signature_filter *f, int64_t *n,
                          struct err *e)
{
    static const char sql[] = "SELECT count(*) FROM signatures" FILTER_WHERE;
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;

    *n = 0;
    if ((r = review_functions(c, e)))
        goto out;
    PREP_OR_OUT(st, c, Q_SIGNATURE_SEARCH_COUNT, sql, e);
    bind_filter(st, f);
    r = sq_step_id(c, st, n, "signature search count", e);
out:
    return r;
}

/* ---- allow and block lists ---------------------------------------------------------------------
 */

static int
sq_signing_rule_insert(struct store_conn *conn, struct signing_rule *rule, struct err *e)
{
    static const char sql[] = "INSERT INTO signing_rules (action, kind, value, note, created_at,"
                              " created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct sq_conn *c = sq_conn(conn);
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
    return r;
}

static int
sq_signing_rule_delete(struct store_conn *conn, int64_t id, struct err *e)
{
    static const char sql[] = "DELETE FROM signing_rules WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
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

static int
sq_signing_rule_list(struct store_conn *conn, struct arena *a, struct signing_rule **out, int *n,
                     struct err *e)
{
    static const char sql[] = "SELECT id, action, kind, value, note, created_at, created_by"
                              " FROM signing_rules ORDER BY action, kind, value";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_RULE_LIST, sql, e);
    COLLECT(struct signing_rule, out, n, st, a, read_rule);
    sq_done(st);
out:
    return r;
}

/* ---- pauses of signing ------------------------------------------------------------------------
 */

static int
sq_signing_pause_insert(struct store_conn *conn, struct signing_pause *p, struct err *e)
{
    static const char sql[] = "INSERT INTO signing_pauses (petition_id, paused_at, paused_by,"
                              " reason) VALUES (?1, ?2, ?3, ?4)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PAUSE_INSERT, sql, e);
    sq_bind_opt(st, 1, p->petition_id);
    sqlite3_bind_int64(st, 2, p->paused_at);
    sq_bind_opt(st, 3, p->paused_by);
    sq_bind_text(st, 4, p->reason ? p->reason : "");
    if ((r = sq_step_done(c, st, "signing pause insert", e)))
        goto out;
    p->id = sqlite3_last_insert_rowid(c->db);
out:
    return r;
}

static int
sq_signing_pause_delete(struct store_conn *conn, int64_t petition_id, struct err *e)
{
    static const char sql[] = "DELETE FROM signing_pauses WHERE coalesce(petition_id, 0) = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PAUSE_DELETE, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    if ((r = sq_step_done(c, st, "signing pause delete", e)))
        goto out;
    if (sqlite3_changes(c->db) == 0)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "no pause of %lld",
                    (long long)petition_id);
out:
    return r;
}

static void
read_pause(sqlite3_stmt *st, struct arena *a, struct signing_pause *g)
{
    g->id = col_i64(st, 0);
    g->petition_id = col_i64(st, 1);
    g->e_number = (long)col_i64(st, 2);
    g->paused_at = col_i64(st, 3);
    g->paused_by = col_i64(st, 4);
    g->reason = sq_col_text(st, 5, a);
}

static int
sq_signing_pause_list(struct store_conn *conn, struct arena *a, struct signing_pause **out, int *n,
                      struct err *e)
{
    static const char sql[] = "SELECT s.id, s.petition_id, p.e_number, s.paused_at, s.paused_by,"
                              " s.reason FROM signing_pauses s"
                              " LEFT JOIN petitions p ON p.id = s.petition_id"
                              " ORDER BY s.petition_id IS NOT NULL, p.e_number, s.id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_PAUSE_LIST, sql, e);
    COLLECT(struct signing_pause, out, n, st, a, read_pause);
    sq_done(st);
out:
    return r;
}

const struct store_signing_ops sq_signing_ops = {
    .petition_count_add = sq_petition_count_add,
    .petition_count_add_many = sq_petition_count_add_many,
    .petition_counts_stored = sq_petition_counts_stored,
    .petition_recount = sq_petition_recount,
    .petition_counts_fix = sq_petition_counts_fix,
    .signature_insert = sq_signature_insert,
    .signature_get = sq_signature_get,
    .signature_find = sq_signature_find,
    .signature_update = sq_signature_update,
    .signature_recent = sq_signature_recent,
    .signature_probe = sq_signature_probe,
    .signature_insert_many = sq_signature_insert_many,
    .signature_get_many = sq_signature_get_many,
    .signature_confirm_many = sq_signature_confirm_many,
    .signature_list = sq_signature_list,
    .signature_stats = sq_signature_stats,
    .signature_search = sq_signature_search,
    .signature_search_count = sq_signature_search_count,
    .signing_rule_insert = sq_signing_rule_insert,
    .signing_rule_delete = sq_signing_rule_delete,
    .signing_rule_list = sq_signing_rule_list,
    .signing_pause_insert = sq_signing_pause_insert,
    .signing_pause_delete = sq_signing_pause_delete,
    .signing_pause_list = sq_signing_pause_list,
};
