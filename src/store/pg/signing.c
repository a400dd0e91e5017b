/*
 * signing.c: the PostgreSQL backend's signatures (store/signing.h): the
 * rows, the counts they move (by region, the total and the day's change),
 * the Clerk's review and search of them (rulebook 11.7), and the Clerk's
 * allow and block lists (rulebook 11.8).  The translation of
 * store/sqlite/signing.c.
 *
 * The hot path is the intake writer's: thousands of signatures a second,
 * one savepoint each (workflow/intake.c), each an insert and a move of
 * the counts.  So each of those is one statement, one round trip, and
 * needs no savepoint of its own: the insert skips a taken e-mail key (ON
 * CONFLICT DO NOTHING: no row back is ERR_CONFLICT, and the transaction
 * goes on), and the count, the total and the day move in one statement
 * whose parts run only when the count may move (a count below 0 changes
 * nothing and is ERR_INVALID, again without failing the transaction).
 *
 * The Clerk searches by e-mail domain and by network, which SQLite does
 * with application functions calling core/netaddr.h.  Here they are SQL
 * giving the same answers:
 *
 *   a domain   the part of the address after its last '@', ASCII lower
 *              case, is the rule or ends in '.' and the rule (compared
 *              with right(), so nothing in the rule is a wildcard);
 *   a network  the range is parsed and normalised by the core
 *              (netrange_parse: host bits cleared, an IPv4-mapped range
 *              read as IPv4) and bound as a cidr; a row's address is
 *              compared with <<= only when it has the form inet_pton()
 *              accepts (IP_FORM below: anything else would make the cast
 *              fail the statement, and the core reads it as no address),
 *              and an IPv4-mapped IPv6 address is read as its IPv4
 *              address, as the core reads it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/netaddr.h"
#include "core/province.h"
#include "core/signature.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* The Eastern day of now, as petition_days.day holds it ("2025-06-02"). */
static void
eastern_day(int64_t now, char day[16])
{
    struct civil_time t;
    eastern_from_utc(now, &t);
    snprintf(day, 16, "%04d-%02d-%02d", t.year, t.month, t.day);
}

/* ---- counts ------------------------------------------------------------------------------- */

static int
pg_petition_count_add(struct store_conn *conn, int64_t petition_id, enum region region, int delta,
                      int64_t now, struct err *e)
{
    /*
     * One statement: the region's count (a new row holds what a new row
     * may: max(delta, 0)), then the total and the day's change only when
     * the count moved.  The count does not move when it, or the total,
     * would go below 0, or there is no such petition: no row back.
     */
    static const char sql[] =
        "WITH c AS ("
        " INSERT INTO petition_counts AS k (petition_id, region, count)"
        " SELECT $1::bigint, $2::text, greatest($3::bigint, 0) FROM petitions"
        " WHERE id = $1::bigint AND signature_total + $3::bigint >= 0"
        " ON CONFLICT (petition_id, region) DO UPDATE SET count = k.count + $3::bigint"
        " WHERE k.count + $3::bigint >= 0 RETURNING 1),"
        " t AS (UPDATE petitions SET signature_total = signature_total + $3::bigint"
        " WHERE id = $1::bigint AND EXISTS (SELECT 1 FROM c) RETURNING 1),"
        " d AS (INSERT INTO petition_days AS y (petition_id, day, region, delta)"
        " SELECT $1::bigint, $4::text, $2::text, $3::bigint WHERE EXISTS (SELECT 1 FROM c)"
        " ON CONFLICT (petition_id, day, region) DO UPDATE SET delta = y.delta + $3::bigint"
        " RETURNING 1)"
        " SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM t), (SELECT count(*) FROM d)";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    char day[16];
    PGresult *res;
    int r;

    if (delta == 0)
        return 0;
    /* The day's change (Eastern day of now). */
    eastern_day(now, day);
    pg_arg_i64(&args, petition_id);
    pg_arg_text(&args, region_code(region));
    pg_arg_i64(&args, delta);
    pg_arg_text(&args, day);
    if ((r = pg_run_one(c, sql, &args, &res, "count add", e)))
        return r;
    if (pg_i64(res, 0, 0) == 0)
        r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                    "count add: petition %lld: a count would go below 0, or no petition",
                    (long long)petition_id);
    PQclear(res);
    return r;
}

static int
pg_petition_count_add_many(struct store_conn *conn, const struct count_delta *d, int n, int64_t now,
                           struct err *e)
{
    /*
     * One statement for every change: the counts that exist move, those
     * that do not are made (a change of a petition and region comes at
     * most once, and every part reads the snapshot from before the
     * statement), then the totals and the day's changes.  A count or a
     * total that would go below 0 does not move: fewer rows back than
     * changes.
     */
    static const char sql[] =
        "WITH v(p, region, delta) AS (SELECT * FROM unnest($1::bigint[], $2::text[], "
        "$3::bigint[])),"
        " u AS (UPDATE petition_counts k SET count = k.count + v.delta FROM v"
        "  WHERE k.petition_id = v.p AND k.region = v.region COLLATE \"C\""
        "  AND k.count + v.delta >= 0 RETURNING 1),"
        " i AS (INSERT INTO petition_counts (petition_id, region, count)"
        "  SELECT v.p, v.region, v.delta FROM v WHERE v.delta >= 0"
        "  AND EXISTS (SELECT 1 FROM petitions WHERE id = v.p)"
        "  AND NOT EXISTS (SELECT 1 FROM petition_counts k"
        "   WHERE k.petition_id = v.p AND k.region = v.region COLLATE \"C\") RETURNING 1),"
        " s(p, delta) AS (SELECT p, sum(delta) FROM v GROUP BY p),"
        " t AS (UPDATE petitions SET signature_total = signature_total + s.delta FROM s"
        "  WHERE id = s.p AND signature_total + s.delta >= 0 RETURNING 1),"
        " y AS (INSERT INTO petition_days AS y (petition_id, day, region, delta)"
        "  SELECT v.p, $4::text, v.region, v.delta FROM v"
        "  ON CONFLICT (petition_id, day, region) DO UPDATE SET delta = y.delta + excluded.delta"
        "  RETURNING 1)"
        " SELECT (SELECT count(*) FROM u) + (SELECT count(*) FROM i), (SELECT count(*) FROM t),"
        " (SELECT count(*) FROM s), (SELECT count(*) FROM y)";
    struct arena *a = arena_new();
    struct pg_array col[3];
    struct pg_args args = PG_ARGS_INIT;
    char day[16];
    PGresult *res;
    int r;

    eastern_day(now, day);
    pg_arrays_init(col, 3, a);
    for (int i = 0; i < n; i++) {
        pg_array_i64(&col[0], d[i].petition_id);
        pg_array_text(&col[1], region_code(d[i].region));
        pg_array_i64(&col[2], d[i].delta);
    }
    pg_arg_arrays(&args, col, 3);
    pg_arg_text(&args, day);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "count add many", e)))
        goto out;
    if (pg_i64(res, 0, 0) != n || pg_i64(res, 0, 1) != pg_i64(res, 0, 2))
        r = err_set(e, ERR_INVALID, "error.invalid", NULL,
                    "count add many: a count would go below 0, or no petition");
    PQclear(res);
out:
    arena_free(a);
    return r;
}

static int
pg_petition_counts_stored(struct store_conn *conn, int64_t petition_id,
                          int64_t stored[REGION_COUNT], int64_t *total, struct err *e)
{
    static const char sql[] =
        "SELECT c.region, c.count, p.signature_total FROM petitions p"
        " LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = $1";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;

    memset(stored, 0, REGION_COUNT * sizeof(stored[0]));
    *total = 0;
    pg_arg_i64(&args, petition_id);
    if (!(res = pg_run(c, sql, &args, "stored counts", e)))
        return e ? e->code : ERR_STORE;
    int rows = PQntuples(res);
    for (int i = 0; i < rows; i++) {
        *total = pg_i64(res, i, 2);
        if (!pg_null(res, i, 0))
            stored[pg_region(res, i, 0)] = pg_i64(res, i, 1);
    }
    PQclear(res);
    if (!rows)
        return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "counts: no petition");
    return 0;
}

static int
pg_petition_recount(struct store_conn *conn, int64_t petition_id, struct petition_recount *out,
                    struct err *e)
{
    static const char stored_sql[] =
        "SELECT c.region, c.count, c.base, p.signature_total FROM petitions p"
        " LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = $1";
    static const char rows_sql[] =
        "SELECT region, count(*) FROM signatures WHERE petition_id = $1"
        " AND confirmed_at IS NOT NULL AND review IN ('clear', 'validated') GROUP BY region";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r = 0;

    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, petition_id);
    /* One snapshot for both reads. */
    bool own = pg_snapshot_begin(c);
    if (!(res = pg_run(c, stored_sql, &args, "recount stored", e))) {
        r = e ? e->code : ERR_STORE;
        goto out;
    }
    int rows = PQntuples(res);
    for (int i = 0; i < rows; i++) {
        out->stored_total = pg_i64(res, i, 3);
        if (!pg_null(res, i, 0)) {
            enum region k = pg_region(res, i, 0);
            out->stored[k] = pg_i64(res, i, 1);
            out->base[k] = pg_i64(res, i, 2);
        }
    }
    PQclear(res);
    if (!rows) {
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "recount: no petition");
        goto out;
    }
    if (!(res = pg_run(c, rows_sql, &args, "recount rows", e))) {
        r = e ? e->code : ERR_STORE;
        goto out;
    }
    for (int i = 0; i < PQntuples(res); i++)
        out->rows[pg_region(res, i, 0)] = pg_i64(res, i, 1);
    PQclear(res);
out:
    pg_snapshot_end(c, own);
    return r;
}

static int
pg_petition_counts_fix(struct store_conn *conn, int64_t petition_id,
                       const struct petition_recount *rc, struct err *e)
{
    static const char count_sql[] =
        "INSERT INTO petition_counts (petition_id, region, count, base) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (petition_id, region) DO UPDATE SET count = excluded.count";
    static const char total_sql[] = "UPDATE petitions SET signature_total = $2 WHERE id = $1";
    struct pg_conn *c = pg_conn(conn);
    int64_t total = 0;
    int r;

    if ((r = pg_write_begin(c, e)))
        return r;
    for (int i = 0; i < REGION_COUNT && !r; i++) {
        struct pg_args args = PG_ARGS_INIT;
        int64_t want = rc->base[i] + rc->rows[i];
        total += want;
        pg_arg_i64(&args, petition_id);
        pg_arg_text(&args, region_code((enum region)i));
        pg_arg_i64(&args, want);
        pg_arg_i64(&args, rc->base[i]);
        r = pg_run_done(c, count_sql, &args, NULL, "count fix", e);
    }
    if (!r) {
        struct pg_args args = PG_ARGS_INIT;
        pg_arg_i64(&args, petition_id);
        pg_arg_i64(&args, total);
        r = pg_run_done(c, total_sql, &args, NULL, "total fix", e);
    }
    return pg_write_end(c, r, e);
}

/* ---- signatures ----------------------------------------------------------------------------- */

void
pg_read_signature(const PGresult *res, int row, struct arena *a, struct signature_record *g)
{
    g->id = pg_i64(res, row, 0);
    g->petition_id = pg_i64(res, row, 1);
    g->email_key = pg_text(res, row, 2, a);
    g->email = pg_text(res, row, 3, a);
    g->first_name = pg_text(res, row, 4, a);
    g->last_name = pg_text(res, row, 5, a);
    g->country = pg_text(res, row, 6, a);
    g->region = pg_region(res, row, 7);
    g->postal_code = pg_text(res, row, 8, a);
    g->phone = pg_text(res, row, 9, a);
    g->lang = pg_lang(res, row, 10);
    g->ip = pg_text(res, row, 11, a);
    g->rate_key = pg_text(res, row, 12, a);
    g->created_at = pg_i64(res, row, 13);
    g->confirmed_at = pg_i64(res, row, 14);
    g->review = REVIEW_CLEAR;
    if (!pg_null(res, row, 15))
        signature_review_from_name(PQgetvalue(res, row, 15), (size_t)PQgetlength(res, row, 15),
                                   &g->review);
    g->flag = pg_text(res, row, 16, a);
    g->reviewed_at = pg_i64(res, row, 17);
    g->reviewed_by = pg_i64(res, row, 18);
    g->mails = (int)pg_i64(res, row, 19);
    g->review_note = pg_text(res, row, 20, a);
    g->logged = !pg_null(res, row, 21);
    g->log_index = g->logged ? pg_i64(res, row, 21) : 0;
}

static int
pg_signature_insert(struct store_conn *conn, struct signature_record *rec, struct err *e)
{
    /* A taken e-mail key is no error of the statement (the transaction
     * goes on): no row back. */
    static const char sql[] =
        "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
        " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
        " flag, mails) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
        " $15, $16, $17) ON CONFLICT (petition_id, email_key) DO NOTHING RETURNING id";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    int r;

    pg_arg_i64(&args, rec->petition_id);
    pg_arg_text(&args, rec->email_key);
    pg_arg_text(&args, rec->email);
    pg_arg_text(&args, rec->first_name);
    pg_arg_text(&args, rec->last_name);
    pg_arg_text(&args, rec->country);
    pg_arg_text(&args, region_code(rec->region));
    pg_arg_text(&args, rec->postal_code ? rec->postal_code : "");
    pg_arg_text(&args, rec->phone);
    pg_arg_text(&args, lang_code(rec->lang));
    pg_arg_text(&args, rec->ip);
    pg_arg_text(&args, rec->rate_key);
    pg_arg_i64(&args, rec->created_at);
    pg_arg_opt(&args, rec->confirmed_at);
    pg_arg_text(&args, signature_review_name(rec->review));
    pg_arg_text(&args, rec->flag);
    pg_arg_i64(&args, rec->mails);
    r = pg_run_id(c, sql, &args, &rec->id, "signature insert", e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "signature insert: petition %lld has that e-mail key",
                    (long long)rec->petition_id);
    return r;
}

static int
signature_one(struct store_conn *conn, struct arena *a, const char *sql, int64_t n, const char *key,
              struct signature_record *out, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;

    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, n);
    if (key)
        pg_arg_text(&args, key);
    if ((r = pg_run_one(c, sql, &args, &res, "signature", e)))
        return r;
    pg_read_signature(res, 0, a, out);
    PQclear(res);
    return 0;
}

static int
pg_signature_get(struct store_conn *conn, struct arena *a, int64_t id, struct signature_record *out,
                 struct err *e)
{
    static const char sql[] = "SELECT " PG_SIGNATURE_COLUMNS " FROM signatures WHERE id = $1";
    return signature_one(conn, a, sql, id, NULL, out, e);
}

static int
pg_signature_find(struct store_conn *conn, struct arena *a, int64_t petition_id,
                  const char *email_key, struct signature_record *out, struct err *e)
{
    static const char sql[] = "SELECT " PG_SIGNATURE_COLUMNS " FROM signatures"
                              " WHERE petition_id = $1 AND email_key = $2";
    return signature_one(conn, a, sql, petition_id, email_key, out, e);
}

static int
pg_signature_update(struct store_conn *conn, const struct signature_record *rec, struct err *e)
{
    static const char sql[] =
        "UPDATE signatures SET confirmed_at = $2, review = $3, flag = $4, reviewed_at = $5,"
        " reviewed_by = $6, mails = $7, review_note = $8, log_index = $9 WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, rec->id);
    pg_arg_opt(&args, rec->confirmed_at);
    pg_arg_text(&args, signature_review_name(rec->review));
    pg_arg_text(&args, rec->flag);
    pg_arg_opt(&args, rec->reviewed_at);
    pg_arg_opt(&args, rec->reviewed_by);
    pg_arg_i64(&args, rec->mails);
    pg_arg_text(&args, rec->review_note);
    if (rec->logged)
        pg_arg_i64(&args, rec->log_index);
    else
        pg_arg_text(&args, NULL);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "signature update", e);
}

static int
pg_signature_recent(struct store_conn *conn, int64_t petition_id, const char *rate_key,
                    int64_t since_burst, int64_t since_sustained, int64_t *burst,
                    int64_t *sustained, struct err *e)
{
    /* One range of the (petition_id, rate_key, created_at) index. */
    static const char sql[] = "SELECT count(*) FILTER (WHERE created_at >= $3::bigint), count(*)"
                              " FROM signatures WHERE petition_id = $1 AND rate_key = $2"
                              " AND created_at >= least($3::bigint, $4::bigint)";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;

    pg_arg_i64(&args, petition_id);
    pg_arg_text(&args, rate_key);
    pg_arg_i64(&args, since_burst);
    pg_arg_i64(&args, since_sustained);
    if (!(res = pg_run_planned(pg_conn(conn), sql, &args, "signature rate", e)))
        return e ? e->code : ERR_STORE;
    *burst = pg_i64(res, 0, 0);
    *sustained = pg_i64(res, 0, 1);
    PQclear(res);
    return 0;
}

/* ---- many at once (store/signing.h) ------------------------------------------------------ */

static int
pg_signature_probe(struct store_conn *conn, struct signature_probe *p, int n, struct err *e)
{
    /* One row per probe, in order; each its own range of the
     * (petition_id, email_key) and (petition_id, rate_key, created_at)
     * indexes.  The unnested text has the default collation and the
     * columns "C": the comparisons name theirs. */
    static const char sql[] =
        "SELECT coalesce((SELECT s.id FROM signatures s"
        "  WHERE s.petition_id = q.p AND s.email_key = q.k COLLATE \"C\"), 0),"
        " c.burst, c.sustained"
        " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])"
        "  WITH ORDINALITY AS q(p, k, rk, sb, ss, i)"
        " CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE s.created_at >= q.sb) AS burst,"
        "  count(*) AS sustained FROM signatures s WHERE q.rk IS NOT NULL"
        "  AND s.petition_id = q.p AND s.rate_key = q.rk COLLATE \"C\""
        "  AND s.created_at >= least(q.sb, q.ss)) c"
        " ORDER BY q.i";
    struct arena *a = arena_new();
    struct pg_array col[5];
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r = 0;

    pg_arrays_init(col, 5, a);
    for (int i = 0; i < n; i++) {
        pg_array_i64(&col[0], p[i].petition_id);
        pg_array_text(&col[1], p[i].email_key);
        pg_array_text(&col[2], p[i].rate_key);
        pg_array_i64(&col[3], p[i].since_burst);
        pg_array_i64(&col[4], p[i].since_sustained);
    }
    pg_arg_arrays(&args, col, 5);
    if (!(res = pg_run_planned(pg_conn(conn), sql, &args, "signature probe", e))) {
        r = e ? e->code : ERR_STORE;
        goto out;
    }
    if (PQntuples(res) != n) {
        r = err_set(e, ERR_STORE, "error.store", NULL, "signature probe: %d rows for %d",
                    PQntuples(res), n);
    } else {
        for (int i = 0; i < n; i++) {
            p[i].taken = pg_i64(res, i, 0);
            p[i].burst = pg_i64(res, i, 1);
            p[i].sustained = pg_i64(res, i, 2);
        }
    }
    PQclear(res);
out:
    arena_free(a);
    return r;
}

static int
record_order(const void *x, const void *y)
{
    const struct signature_record *const *a = x, *const *b = y;
    if ((*a)->petition_id != (*b)->petition_id)
        return (*a)->petition_id < (*b)->petition_id ? -1 : 1;
    return strcmp((*a)->email_key, (*b)->email_key);
}

static int
pg_signature_insert_many(struct store_conn *conn, struct signature_record *rec, int n,
                         struct err *e)
{
    /* The ids come back with the keys they went to (RETURNING promises
     * no order). */
    static const char sql[] =
        "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
        " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
        " flag, mails)"
        " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],"
        "  $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],"
        "  $13::bigint[], $14::bigint[], $15::text[], $16::text[], $17::bigint[])"
        " ON CONFLICT (petition_id, email_key) DO NOTHING RETURNING id, petition_id, email_key";
    enum { COLS = 17 };
    struct arena *a = arena_new();
    struct pg_array col[COLS];
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r = 0;

    pg_arrays_init(col, COLS, a);
    for (int i = 0; i < n; i++) {
        const struct signature_record *g = &rec[i];
        pg_array_i64(&col[0], g->petition_id);
        pg_array_text(&col[1], g->email_key);
        pg_array_text(&col[2], g->email);
        pg_array_text(&col[3], g->first_name);
        pg_array_text(&col[4], g->last_name);
        pg_array_text(&col[5], g->country);
        pg_array_text(&col[6], region_code(g->region));
        pg_array_text(&col[7], g->postal_code ? g->postal_code : "");
        pg_array_text(&col[8], g->phone);
        pg_array_text(&col[9], lang_code(g->lang));
        pg_array_text(&col[10], g->ip);
        pg_array_text(&col[11], g->rate_key);
        pg_array_i64(&col[12], g->created_at);
        pg_array_opt(&col[13], g->confirmed_at);
        pg_array_text(&col[14], signature_review_name(g->review));
        pg_array_text(&col[15], g->flag);
        pg_array_i64(&col[16], g->mails);
    }
    pg_arg_arrays(&args, col, COLS);
    if (!(res = pg_run(pg_conn(conn), sql, &args, "signature insert many", e))) {
        r = e ? e->code : ERR_STORE;
        goto out;
    }
    int rows = PQntuples(res);
    struct signature_record **by_key = arena_alloc(a, (size_t)n * sizeof(*by_key));
    for (int i = 0; i < n; i++) {
        rec[i].id = 0;
        by_key[i] = &rec[i];
    }
    qsort(by_key, (size_t)n, sizeof(*by_key), record_order);
    for (int i = 0; i < rows; i++) {
        struct signature_record want = {.petition_id = pg_i64(res, i, 1),
                                        .email_key = PQgetvalue(res, i, 2)};
        const struct signature_record *wp = &want;
        struct signature_record **hit =
            bsearch(&wp, by_key, (size_t)n, sizeof(*by_key), record_order);
        if (hit)
            (*hit)->id = pg_i64(res, i, 0);
    }
    PQclear(res);
    for (int i = 0; i < n && !r; i++)
        if (!rec[i].id)
            r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                        "signature insert many: petition %lld has that e-mail key",
                        (long long)rec[i].petition_id);
out:
    arena_free(a);
    return r;
}

static int
pg_signature_get_many(struct store_conn *conn, struct arena *a, const int64_t *ids, int n,
                      struct signature_record *out, bool *found, struct err *e)
{
    /* One row per id asked, in order; NULL columns for none. */
    static const char sql[] =
        "SELECT " PG_SIGNATURE_COLUMNS " FROM unnest($1::bigint[]) WITH ORDINALITY AS q(want, i)"
        " LEFT JOIN signatures ON signatures.id = q.want ORDER BY q.i";
    struct pg_array col;
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r = 0;

    pg_array_init(&col, a);
    for (int i = 0; i < n; i++)
        pg_array_i64(&col, ids[i]);
    pg_arg_array(&args, &col);
    if (!(res = pg_run(pg_conn(conn), sql, &args, "signature get many", e)))
        return e ? e->code : ERR_STORE;
    if (PQntuples(res) != n) {
        r = err_set(e, ERR_STORE, "error.store", NULL, "signature get many: %d rows for %d",
                    PQntuples(res), n);
    } else {
        for (int i = 0; i < n; i++) {
            found[i] = !pg_null(res, i, 0);
            if (found[i])
                pg_read_signature(res, i, a, &out[i]);
            else
                memset(&out[i], 0, sizeof(out[i]));
        }
    }
    PQclear(res);
    return r;
}

static int
pg_signature_confirm_many(struct store_conn *conn, const int64_t *ids, const int64_t *at,
                          const int64_t *log_index, int n, struct err *e)
{
    static const char sql[] =
        "UPDATE signatures SET confirmed_at = v.stamp, log_index = v.li"
        " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(want, stamp, li)"
        " WHERE signatures.id = v.want AND signatures.confirmed_at IS NULL";
    struct arena *a = arena_new();
    struct pg_array col[3];
    struct pg_args args = PG_ARGS_INIT;
    int64_t changed = 0;
    int r;

    pg_arrays_init(col, 3, a);
    for (int i = 0; i < n; i++) {
        pg_array_i64(&col[0], ids[i]);
        pg_array_i64(&col[1], at[i]);
        if (log_index && log_index[i] >= 0)
            pg_array_i64(&col[2], log_index[i]);
        else
            pg_array_text(&col[2], NULL);
    }
    pg_arg_arrays(&args, col, 3);
    r = pg_run_done(pg_conn(conn), sql, &args, &changed, "signature confirm many", e);
    if (!r && changed != n)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "signature confirm many: %lld of %d pending", (long long)changed, n);
    arena_free(a);
    return r;
}

static int
pg_signature_list(struct store_conn *conn, struct arena *a, const struct signature_query *q,
                  struct signature_record **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " PG_SIGNATURE_COLUMNS " FROM signatures"
                              " WHERE petition_id = $1 AND ($2::text IS NULL OR review = $2::text)"
                              " AND id > $3 ORDER BY id LIMIT $4";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;

    *out = NULL;
    *n = 0;
    pg_arg_i64(&args, q->petition_id);
    pg_arg_text(&args, q->has_review ? signature_review_name(q->review) : NULL);
    pg_arg_i64(&args, q->after_id);
    pg_arg_i64(&args, q->limit > 0 && q->limit <= 500 ? q->limit : 500);
    if (!(res = pg_run(pg_conn(conn), sql, &args, "signature list", e)))
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct signature_record, out, n, res, a, pg_read_signature);
    PQclear(res);
    return 0;
}

/*
 * The ids of petition $1's signatures that share their mailbox with
 * another (signature_filter.same_mailbox), as SQLite finds them
 * (src/store/sqlite/signing.c): from the few keys with capitals (the
 * partial index signatures_mailbox) and the unique index.
 */
#define SAME_MAILBOX_IDS                                                                           \
    "SELECT u.id FROM signatures u WHERE u.petition_id = $1::bigint"                               \
    " AND u.email_key <> lower(u.email_key)"                                                       \
    " AND (EXISTS (SELECT 1 FROM signatures o WHERE o.petition_id = u.petition_id"                 \
    "      AND o.email_key = lower(u.email_key))"                                                  \
    "   OR EXISTS (SELECT 1 FROM signatures o WHERE o.petition_id = u.petition_id"                 \
    "      AND o.email_key <> lower(o.email_key) AND lower(o.email_key) = lower(u.email_key)"      \
    "      AND o.id <> u.id))"                                                                     \
    " UNION SELECT o.id FROM signatures u JOIN signatures o ON o.petition_id = u.petition_id"      \
    " AND o.email_key = lower(u.email_key)"                                                        \
    " WHERE u.petition_id = $1::bigint AND u.email_key <> lower(u.email_key)"

static int
pg_signature_stats(struct store_conn *conn, int64_t petition_id, struct signature_stats *out,
                   struct err *e)
{
    static const char sql[] =
        "SELECT count(*),"
        " count(*) FILTER (WHERE confirmed_at IS NULL AND review <> 'invalidated'),"
        " count(*) FILTER (WHERE confirmed_at IS NOT NULL AND review IN ('clear', 'validated')),"
        " count(*) FILTER (WHERE review = 'suspect'),"
        " count(*) FILTER (WHERE review = 'suspect' AND confirmed_at IS NOT NULL),"
        " count(*) FILTER (WHERE review = 'invalidated'),"
        " (SELECT count(*) FROM (" SAME_MAILBOX_IDS ") AS same)"
        " FROM signatures WHERE petition_id = $1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;

    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, petition_id);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "signature stats", e)))
        return r;
    out->rows = pg_i64(res, 0, 0);
    out->pending = pg_i64(res, 0, 1);
    out->counted = pg_i64(res, 0, 2);
    out->suspect = pg_i64(res, 0, 3);
    out->suspect_confirmed = pg_i64(res, 0, 4);
    out->invalidated = pg_i64(res, 0, 5);
    out->same_mailbox = pg_i64(res, 0, 6);
    PQclear(res);
    return 0;
}

/* ---- the Clerk's search ------------------------------------------------------------------------
 */

/* ASCII case folding alone (as strcasecmp and SQLite's upper() fold). */
#define ASCII_UPPER "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
#define ASCII_LOWER "'abcdefghijklmnopqrstuvwxyz'"

/* The domain of the address (after its last '@'; NULL without one) and
 * the bound rule, folded. */
#define EMAIL_DOMAIN                                                                               \
    "translate(substring(email from '@([^@]*)$'), " ASCII_UPPER ", " ASCII_LOWER ")"
#define DOMAIN_RULE "translate($2::text, " ASCII_UPPER ", " ASCII_LOWER ")"

/*
 * The forms of an address inet_pton() accepts (core/netaddr.h reads
 * nothing else as an address): a dotted quad without leading zeros, or
 * IPv6 of at most eight groups of 1 to 4 hex digits, "::" standing for
 * at least one group, the last two groups possibly a dotted quad.  Each
 * compressed form is spelled out by the number of groups before "::".
 */
#define IP_HEX "[0-9A-Fa-f]{1,4}"
#define IP_OCTET "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define IP_QUAD IP_OCTET "([.]" IP_OCTET "){3}"
#define IP_V6                                                                                      \
    "(" IP_HEX ":){7}" IP_HEX "|::((" IP_HEX ":){0,6}" IP_HEX ")?"                                 \
    "|" IP_HEX "::((" IP_HEX ":){0,5}" IP_HEX ")?"                                                 \
    "|(" IP_HEX ":){1}" IP_HEX "::((" IP_HEX ":){0,4}" IP_HEX ")?"                                 \
    "|(" IP_HEX ":){2}" IP_HEX "::((" IP_HEX ":){0,3}" IP_HEX ")?"                                 \
    "|(" IP_HEX ":){3}" IP_HEX "::((" IP_HEX ":){0,2}" IP_HEX ")?"                                 \
    "|(" IP_HEX ":){4}" IP_HEX "::((" IP_HEX ":)?" IP_HEX ")?"                                     \
    "|(" IP_HEX ":){5}" IP_HEX "::(" IP_HEX ")?"                                                   \
    "|(" IP_HEX ":){6}" IP_HEX "::"
#define IP_V6_QUAD                                                                                 \
    "(" IP_HEX ":){6}" IP_QUAD "|::(" IP_HEX ":){0,5}" IP_QUAD "|" IP_HEX "::(" IP_HEX             \
    ":){0,4}" IP_QUAD "|(" IP_HEX ":){1}" IP_HEX "::(" IP_HEX ":){0,3}" IP_QUAD "|(" IP_HEX        \
    ":){2}" IP_HEX "::(" IP_HEX ":){0,2}" IP_QUAD "|(" IP_HEX ":){3}" IP_HEX "::(" IP_HEX          \
    ":){0,1}" IP_QUAD "|(" IP_HEX ":){4}" IP_HEX "::" IP_QUAD
#define IP_FORM "'^(" IP_QUAD "|" IP_V6 "|" IP_V6_QUAD ")$'"

/* The row's address as the core reads it: an IPv4-mapped one as IPv4. */
#define ROW_ADDR                                                                                   \
    "(CASE WHEN ip::inet <<= '::ffff:0.0.0.0/96'::cidr"                                            \
    " THEN '0.0.0.0'::inet + (ip::inet - '::ffff:0.0.0.0'::inet) ELSE ip::inet END)"

/* The conditions both statements share; $1..$9 are bound by bind_filter(). */
#define FILTER_WHERE                                                                               \
    " WHERE petition_id = $1"                                                                      \
    " AND ($2::text IS NULL OR " EMAIL_DOMAIN " = " DOMAIN_RULE "      OR right(" EMAIL_DOMAIN     \
    ", length($2::text) + 1) = '.' || " DOMAIN_RULE ")"                                            \
    " AND ($3::cidr IS NULL OR CASE WHEN ip ~ " IP_FORM " THEN " ROW_ADDR " <<= $3::cidr"          \
    "      ELSE false END)"                                                                        \
    " AND ($4::text IS NULL OR left(translate(replace(postal_code, ' ', ''), " ASCII_LOWER         \
    ", " ASCII_UPPER "), length($4::text)) = $4::text)"                                            \
    " AND ($5::bigint IS NULL OR created_at >= $5::bigint)"                                        \
    " AND ($6::bigint IS NULL OR created_at < $6::bigint)"                                         \
    " AND ($7::text IS NULL OR review = $7::text)"                                                 \
    " AND ($8::integer = 0 OR (confirmed_at IS NULL AND review <> 'invalidated'))"                 \
    " AND ($9::integer = 0 OR id IN (" SAME_MAILBOX_IDS "))"

/* A filter's values, with the network normalised by the core into range
 * (its storage).  false when the network does not parse: the core's
 * answer is then that no address is inside it, so nothing matches. */
static bool
bind_filter(struct pg_args *args, const struct signature_filter *f, char range[NETADDR_TEXT_MAX])
{
    const char *network = NULL;
    if (f->network && *f->network) {
        struct netrange net;
        if (netrange_parse(f->network, &net))
            return false;
        netrange_format(&net, range);
        network = range;
    }
    pg_arg_i64(args, f->petition_id);
    pg_arg_text(args, f->domain && *f->domain ? f->domain : NULL);
    pg_arg_text(args, network);
    pg_arg_text(args, f->postal_prefix && *f->postal_prefix ? f->postal_prefix : NULL);
    pg_arg_opt(args, f->from);
    pg_arg_opt(args, f->to);
    pg_arg_text(args, f->has_review ? signature_review_name(f->review) : NULL);
    pg_arg_flag(args, f->pending);
    pg_arg_flag(args, f->same_mailbox);
    return true;
}

static int
pg_signature_search(struct store_conn *conn, struct arena *a, const struct signature_filter *f,
                    int64_t after_id, int limit, struct signature_record **out, int *n,
                    struct err *e)
{
    static const char sql[] = "SELECT " PG_SIGNATURE_COLUMNS " FROM signatures" FILTER_WHERE
                              " AND id > $10 ORDER BY id LIMIT $11";
    struct pg_args args = PG_ARGS_INIT;
    char range[NETADDR_TEXT_MAX];
    PGresult *res;

    *out = NULL;
    *n = 0;
    if (!bind_filter(&args, f, range)) {
        *out = arena_calloc(a, 1, sizeof(**out));
        return 0;
    }
    pg_arg_i64(&args, after_id);
    pg_arg_i64(&args, limit > 0 && limit <= 500 ? limit : 500);
    if (!(res = pg_run(pg_conn(conn), sql, &args, "signature search", e)))
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct signature_record, out, n, res, a, pg_read_signature);
    PQclear(res);
    return 0;
}

static int
pg_signature_search_count(struct store_conn *conn, const struct signature_filter *f, int64_t *n,
                          struct err *e)
{
    static const char sql[] = "SELECT count(*) FROM signatures" FILTER_WHERE;
    struct pg_args args = PG_ARGS_INIT;
    char range[NETADDR_TEXT_MAX];

    *n = 0;
    if (!bind_filter(&args, f, range))
        return 0;
    return pg_run_id(pg_conn(conn), sql, &args, n, "signature search count", e);
}

/* ---- allow and block lists ---------------------------------------------------------------------
 */

static int
pg_signing_rule_insert(struct store_conn *conn, struct signing_rule *rule, struct err *e)
{
    /* The same entry twice is no error of the statement: no row back. */
    static const char sql[] = "INSERT INTO signing_rules (action, kind, value, note, created_at,"
                              " created_by) VALUES ($1, $2, $3, $4, $5, $6)"
                              " ON CONFLICT (action, kind, value) DO NOTHING RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    int r;

    pg_arg_text(&args, rule->block ? "block" : "allow");
    pg_arg_text(&args, rule->domain ? "domain" : "network");
    pg_arg_text(&args, rule->value);
    pg_arg_text(&args, rule->note ? rule->note : "");
    pg_arg_i64(&args, rule->created_at);
    pg_arg_opt(&args, rule->created_by);
    r = pg_run_id(pg_conn(conn), sql, &args, &rule->id, "signing rule insert", e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "signing rule insert: the entry exists");
    return r;
}

static int
pg_signing_rule_delete(struct store_conn *conn, int64_t id, struct err *e)
{
    static const char sql[] = "DELETE FROM signing_rules WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    int64_t changed = 0;
    int r;

    pg_arg_i64(&args, id);
    if ((r = pg_run_done(pg_conn(conn), sql, &args, &changed, "signing rule delete", e)))
        return r;
    if (changed == 0)
        return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "no signing rule %lld",
                       (long long)id);
    return 0;
}

static void
read_rule(const PGresult *res, int row, struct arena *a, struct signing_rule *g)
{
    g->id = pg_i64(res, row, 0);
    g->block = strcmp(PQgetvalue(res, row, 1), "block") == 0;
    g->domain = strcmp(PQgetvalue(res, row, 2), "domain") == 0;
    g->value = pg_text(res, row, 3, a);
    g->note = pg_text(res, row, 4, a);
    g->created_at = pg_i64(res, row, 5);
    g->created_by = pg_i64(res, row, 6);
}

static int
pg_signing_rule_list(struct store_conn *conn, struct arena *a, struct signing_rule **out, int *n,
                     struct err *e)
{
    /* COLLATE "C": SQLite's order (bytes), whatever the database's. */
    static const char sql[] = "SELECT id, action, kind, value, note, created_at, created_by"
                              " FROM signing_rules ORDER BY action COLLATE \"C\","
                              " kind COLLATE \"C\", value COLLATE \"C\"";
    PGresult *res;

    *out = NULL;
    *n = 0;
    if (!(res = pg_run(pg_conn(conn), sql, NULL, "signing rule list", e)))
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct signing_rule, out, n, res, a, read_rule);
    PQclear(res);
    return 0;
}

/* ---- pauses of signing ------------------------------------------------------------------------
 */

static int
pg_signing_pause_insert(struct store_conn *conn, struct signing_pause *p, struct err *e)
{
    static const char sql[] = "INSERT INTO signing_pauses (petition_id, paused_at, paused_by,"
                              " reason) VALUES ($1, $2, $3, $4) RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_opt(&args, p->petition_id);
    pg_arg_i64(&args, p->paused_at);
    pg_arg_opt(&args, p->paused_by);
    pg_arg_text(&args, p->reason ? p->reason : "");
    return pg_run_id(pg_conn(conn), sql, &args, &p->id, "signing pause insert", e);
}

static int
pg_signing_pause_delete(struct store_conn *conn, int64_t petition_id, struct err *e)
{
    static const char sql[] = "DELETE FROM signing_pauses WHERE coalesce(petition_id, 0) = $1";
    struct pg_args args = PG_ARGS_INIT;
    int64_t changed = 0;
    int r;

    pg_arg_i64(&args, petition_id);
    if ((r = pg_run_done(pg_conn(conn), sql, &args, &changed, "signing pause delete", e)))
        return r;
    if (changed == 0)
        return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "no pause of %lld",
                       (long long)petition_id);
    return 0;
}

static void
read_pause(const PGresult *res, int row, struct arena *a, struct signing_pause *g)
{
    g->id = pg_i64(res, row, 0);
    g->petition_id = pg_i64(res, row, 1);
    g->e_number = (long)pg_i64(res, row, 2);
    g->paused_at = pg_i64(res, row, 3);
    g->paused_by = pg_i64(res, row, 4);
    g->reason = pg_text(res, row, 5, a);
}

static int
pg_signing_pause_list(struct store_conn *conn, struct arena *a, struct signing_pause **out, int *n,
                      struct err *e)
{
    /* false before true: the whole site's pause first, as in SQLite. */
    static const char sql[] = "SELECT s.id, s.petition_id, p.e_number, s.paused_at, s.paused_by,"
                              " s.reason FROM signing_pauses s"
                              " LEFT JOIN petitions p ON p.id = s.petition_id"
                              " ORDER BY s.petition_id IS NOT NULL, p.e_number, s.id";
    PGresult *res;

    *out = NULL;
    *n = 0;
    if (!(res = pg_run(pg_conn(conn), sql, NULL, "signing pause list", e)))
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct signing_pause, out, n, res, a, read_pause);
    PQclear(res);
    return 0;
}

const struct store_signing_ops pg_signing_ops = {
    .petition_count_add = pg_petition_count_add,
    .petition_count_add_many = pg_petition_count_add_many,
    .petition_counts_stored = pg_petition_counts_stored,
    .petition_recount = pg_petition_recount,
    .petition_counts_fix = pg_petition_counts_fix,
    .signature_insert = pg_signature_insert,
    .signature_get = pg_signature_get,
    .signature_find = pg_signature_find,
    .signature_update = pg_signature_update,
    .signature_recent = pg_signature_recent,
    .signature_probe = pg_signature_probe,
    .signature_insert_many = pg_signature_insert_many,
    .signature_get_many = pg_signature_get_many,
    .signature_confirm_many = pg_signature_confirm_many,
    .signature_list = pg_signature_list,
    .signature_stats = pg_signature_stats,
    .signature_search = pg_signature_search,
    .signature_search_count = pg_signature_search_count,
    .signing_rule_insert = pg_signing_rule_insert,
    .signing_rule_delete = pg_signing_rule_delete,
    .signing_rule_list = pg_signing_rule_list,
    .signing_pause_insert = pg_signing_pause_insert,
    .signing_pause_delete = pg_signing_pause_delete,
    .signing_pause_list = pg_signing_pause_list,
};
