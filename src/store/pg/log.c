/*
 * log.c: the PostgreSQL backend's part of the e-petitions' public logs
 * (store/log.h, the table of store/backend.h; migration 0012_log).  The
 * translation of store/sqlite/log.c.
 */
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

static int
pg_log_head(struct store_conn *conn, int64_t petition_id, struct log_head *out, struct err *e)
{
    static const char sql[] =
        "SELECT size, attested, certified_size FROM petition_logs WHERE petition_id = $1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    out->petition_id = petition_id;
    pg_arg_i64(&args, petition_id);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "log head", e)))
        return r;
    out->size = pg_i64(res, 0, 0);
    out->attested = pg_i64(res, 0, 1);
    out->certified = !PQgetisnull(res, 0, 2);
    out->certified_size = out->certified ? pg_i64(res, 0, 2) : 0;
    PQclear(res);
    return 0;
}

/* One statement, one round trip: the log made when old_size is 0 and
 * there is none, else moved from old_size, and its parts appended to,
 * only when one of those happened. */
static int
pg_log_append(struct store_conn *conn, int64_t petition_id, int64_t old_size, int64_t new_size,
              int64_t weight, int64_t first_part, const char *const *texts, int nparts,
              struct err *e)
{
    static const char sql[] =
        "WITH m AS (INSERT INTO petition_logs (petition_id, size, attested)"
        "  SELECT $1::bigint, $3::bigint, $4::bigint WHERE $2::bigint = 0"
        "  ON CONFLICT (petition_id) DO NOTHING RETURNING 1),"
        " u AS (UPDATE petition_logs SET size = $3, attested = attested + $4"
        "  WHERE petition_id = $1 AND size = $2 AND NOT EXISTS (SELECT 1 FROM m) RETURNING 1),"
        " p AS (INSERT INTO log_parts AS p (petition_id, part, entries)"
        "  SELECT $1, $5::bigint + v.o - 1, v.t FROM unnest($6::text[]) WITH ORDINALITY AS v(t, o)"
        "  WHERE EXISTS (SELECT 1 FROM m) OR EXISTS (SELECT 1 FROM u)"
        "  ON CONFLICT (petition_id, part) DO UPDATE SET entries = p.entries || excluded.entries)"
        " SELECT (SELECT count(*) FROM m) + (SELECT count(*) FROM u)";
    struct arena *a = arena_new();
    struct pg_array parts;
    struct pg_args args = PG_ARGS_INIT;
    int64_t moved = 0;
    int r;
    pg_array_init(&parts, a);
    for (int k = 0; k < nparts; k++)
        pg_array_text(&parts, texts[k]);
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, old_size);
    pg_arg_i64(&args, new_size);
    pg_arg_i64(&args, weight);
    pg_arg_i64(&args, first_part);
    pg_arg_array(&args, &parts);
    r = pg_run_id(pg_conn(conn), sql, &args, &moved, "log append", e);
    if (!r && moved != 1)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "log of petition %lld: its size is not %lld", (long long)petition_id,
                    (long long)old_size);
    arena_free(a);
    return r;
}

static int
pg_log_bundle(struct store_conn *conn, struct arena *a, int64_t petition_id, int64_t n,
              const char **text, size_t *len, struct err *e)
{
    /* Its parts in order, as one text; NULL when it has none. */
    static const char sql[] =
        "SELECT string_agg(entries, '' ORDER BY part) FROM log_parts"
        " WHERE petition_id = $1 AND part BETWEEN $2::bigint AND $2::bigint + 31";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    *text = NULL;
    *len = 0;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, n * 32);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "log bundle", e)))
        return r;
    if (pg_null(res, 0, 0)) {
        PQclear(res);
        return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "log bundle %lld: none",
                       (long long)n);
    }
    *len = (size_t)PQgetlength(res, 0, 0);
    *text = pg_text(res, 0, 0, a);
    PQclear(res);
    return 0;
}

static int
pg_log_hash_put(struct store_conn *conn, int64_t petition_id, int level, int64_t index,
                const char *hex, struct err *e)
{
    static const char sql[] =
        "INSERT INTO log_hashes (petition_id, level, idx, hash) VALUES ($1, $2, $3, $4)";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, level);
    pg_arg_i64(&args, index);
    pg_arg_text(&args, hex);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "log hash put", e);
}

static int
pg_log_hash(struct store_conn *conn, struct arena *a, int64_t petition_id, int level, int64_t index,
            const char **hex, struct err *e)
{
    static const char sql[] =
        "SELECT hash FROM log_hashes WHERE petition_id = $1 AND level = $2 AND idx = $3";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    *hex = NULL;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, level);
    pg_arg_i64(&args, index);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "log hash", e)))
        return r;
    *hex = pg_text(res, 0, 0, a);
    PQclear(res);
    return 0;
}

static int
pg_log_checkpoint_insert(struct store_conn *conn, const struct log_checkpoint *cp,
                         const char *root_hex, struct err *e)
{
    static const char sql[] =
        "INSERT INTO log_checkpoints (petition_id, size, attested, root, note, signed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (petition_id, size) DO NOTHING";
    struct pg_args args = PG_ARGS_INIT;
    int64_t added = 0;
    int r;
    pg_arg_i64(&args, cp->petition_id);
    pg_arg_i64(&args, cp->size);
    pg_arg_i64(&args, cp->attested);
    pg_arg_text(&args, root_hex);
    pg_arg_text(&args, cp->note);
    pg_arg_i64(&args, cp->signed_at);
    if ((r = pg_run_done(pg_conn(conn), sql, &args, &added, "log checkpoint insert", e)))
        return r;
    if (added != 1)
        return err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                       "log of petition %lld: a checkpoint at %lld exists",
                       (long long)cp->petition_id, (long long)cp->size);
    return 0;
}

static int
pg_log_checkpoint(struct store_conn *conn, struct arena *a, int64_t petition_id, int64_t max_size,
                  struct log_checkpoint *out, const char **root_hex, struct err *e)
{
    static const char sql[] = "SELECT size, attested, root, note, signed_at FROM log_checkpoints"
                              " WHERE petition_id = $1 AND size <= $2 ORDER BY size DESC LIMIT 1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    *root_hex = NULL;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, max_size);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "log checkpoint", e)))
        return r;
    out->petition_id = petition_id;
    out->size = pg_i64(res, 0, 0);
    out->attested = pg_i64(res, 0, 1);
    *root_hex = pg_text(res, 0, 2, a);
    out->note = pg_text(res, 0, 3, a);
    out->signed_at = pg_i64(res, 0, 4);
    PQclear(res);
    return 0;
}

static int
pg_log_certify(struct store_conn *conn, int64_t petition_id, int64_t size, struct err *e)
{
    static const char sql[] = "UPDATE petition_logs SET certified_size = $2 WHERE petition_id = $1";
    struct pg_args args = PG_ARGS_INIT;
    int64_t changed = 0;
    int r;
    pg_arg_i64(&args, petition_id);
    pg_arg_i64(&args, size);
    if ((r = pg_run_done(pg_conn(conn), sql, &args, &changed, "log certify", e)))
        return r;
    if (changed != 1)
        return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "petition %lld has no log",
                       (long long)petition_id);
    return 0;
}

static void
read_head(const PGresult *res, int row, struct arena *a, struct log_head *h)
{
    (void)a;
    h->petition_id = pg_i64(res, row, 0);
    h->size = pg_i64(res, row, 1);
    h->attested = pg_i64(res, row, 2);
    h->certified = false;
    h->certified_size = 0;
}

static int
pg_log_unsigned(struct store_conn *conn, struct arena *a, int limit, struct log_head **out, int *n,
                struct err *e)
{
    static const char sql[] = "SELECT l.petition_id, l.size, l.attested FROM petition_logs l"
                              " WHERE l.size > coalesce((SELECT max(k.size) FROM log_checkpoints k"
                              "  WHERE k.petition_id = l.petition_id), -1)"
                              " ORDER BY l.petition_id LIMIT $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, limit);
    PG_LIST_OR_RETURN(struct log_head, conn, sql, &args, "log unsigned", a, out, n, read_head, e);
    return 0;
}

static void
read_id(const PGresult *res, int row, struct arena *a, int64_t *id)
{
    (void)a;
    *id = pg_i64(res, row, 0);
}

static int
pg_log_missing(struct store_conn *conn, struct arena *a, int limit, int64_t **ids, int *n,
               struct err *e)
{
    static const char sql[] =
        "SELECT p.id FROM petitions p WHERE p.kind = 'electronic' AND p.opened_at IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM petition_logs l WHERE l.petition_id = p.id)"
        " ORDER BY p.id LIMIT $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, limit);
    PG_LIST_OR_RETURN(int64_t, conn, sql, &args, "log missing", a, ids, n, read_id, e);
    return 0;
}

const struct store_log_ops pg_log_ops = {
    .head = pg_log_head,
    .append = pg_log_append,
    .bundle = pg_log_bundle,
    .hash_put = pg_log_hash_put,
    .hash = pg_log_hash,
    .checkpoint_insert = pg_log_checkpoint_insert,
    .checkpoint = pg_log_checkpoint,
    .certify = pg_log_certify,
    .unsigned_heads = pg_log_unsigned,
    .missing = pg_log_missing,
};
