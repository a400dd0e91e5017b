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

const struct store_meta_ops pg_meta_ops = {
    .meta_get = pg_meta_get,
    .meta_set = pg_meta_set,
};
