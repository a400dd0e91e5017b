/*
 * meta.c: the PostgreSQL backend's small named settings of the site
 * (store/meta.h), in the table meta (key, value): the translation of
 * store/sqlite/meta.c.
 */
#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

static int
pg_meta_get(struct store_conn *conn, struct arena *a, const char *key, const char **value,
            struct err *e)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = $1";
    struct pg_args args = PG_ARGS_INIT;
    *value = NULL;
    pg_arg_text(&args, key);
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "meta get", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    if (PQntuples(res) > 0) /* no row: unset */
        *value = pg_text(res, 0, 0, a);
    PQclear(res);
    return 0;
}

static int
pg_meta_set(struct store_conn *conn, const char *key, const char *value, struct err *e)
{
    static const char sql[] = "INSERT INTO meta (key, value) VALUES ($1, $2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_text(&args, key);
    pg_arg_text(&args, value);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "meta set", e);
}

/* ---- leases and the change version ------------------------------------------------ */

/* ON CONFLICT DO UPDATE locks the row: a second taker waits for the first
 * to commit, then evaluates the WHERE on the row as it committed. */
static int
pg_lease_take(struct store_conn *conn, const char *name, const char *holder, int64_t now,
              int64_t until, bool *held, struct err *e)
{
    static const char sql[] = "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $4)"
                              " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                              " expires_at = excluded.expires_at"
                              " WHERE leases.holder = excluded.holder OR leases.expires_at <= $3";
    struct pg_args args = PG_ARGS_INIT;
    int64_t n = 0;
    *held = false;
    pg_arg_text(&args, name);
    pg_arg_text(&args, holder);
    pg_arg_i64(&args, now);
    pg_arg_i64(&args, until);
    int r = pg_run_done(pg_conn(conn), sql, &args, &n, "lease take", e);
    if (!r)
        *held = n == 1;
    return r;
}

static int
pg_lease_release(struct store_conn *conn, const char *name, const char *holder, struct err *e)
{
    static const char sql[] = "UPDATE leases SET expires_at = 0 WHERE name = $1 AND holder = $2";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_text(&args, name);
    pg_arg_text(&args, holder);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "lease release", e);
}

static int
pg_lease_get(struct store_conn *conn, struct arena *a, const char *name, const char **holder,
             int64_t *until, struct err *e)
{
    static const char sql[] = "SELECT holder, expires_at FROM leases WHERE name = $1";
    struct pg_args args = PG_ARGS_INIT;
    *holder = NULL;
    *until = 0;
    pg_arg_text(&args, name);
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "lease get", e);
    if (!res)
        return e ? (int)e->code : ERR_STORE;
    if (PQntuples(res) > 0) {
        *holder = pg_text(res, 0, 0, a);
        *until = pg_i64(res, 0, 1);
    }
    PQclear(res);
    return 0;
}

static int
pg_change_bump(struct store_conn *conn, struct err *e)
{
    static const char sql[] = "UPDATE change_version SET version = version + 1 WHERE id = 1";
    struct pg_args args = PG_ARGS_INIT;
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "change bump", e);
}

static int
pg_change_version(struct store_conn *conn, int64_t *version, struct err *e)
{
    static const char sql[] = "SELECT version FROM change_version WHERE id = 1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    *version = 0;
    int r = pg_run_one(pg_conn(conn), sql, &args, &res, "change version", e);
    if (!r) {
        *version = pg_i64(res, 0, 0);
        PQclear(res);
    }
    return r;
}

const struct store_meta_ops pg_meta_ops = {
    .meta_get = pg_meta_get,
    .meta_set = pg_meta_set,
    .lease_take = pg_lease_take,
    .lease_release = pg_lease_release,
    .lease_get = pg_lease_get,
    .change_bump = pg_change_bump,
    .change_version = pg_change_version,
};
