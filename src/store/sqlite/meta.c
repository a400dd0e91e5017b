/*
 * meta.c: the SQLite backend's small named settings of the site
 * (store/meta.h), in the table meta (key, value).
 */
#include <sqlite3.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

static int
sq_meta_get(struct store_conn *conn, struct arena *a, const char *key, const char **value,
            struct err *e)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
    struct sq_conn *c = sq_conn(conn);
    int r = 0;
    sqlite3_stmt *st = sq_prep(c, Q_META_GET, sql, e);
    *value = NULL;
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sq_col_text(st, 0, a);
    else if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "meta get");
    sq_done(st);
    return r;
}

static int
sq_meta_set(struct store_conn *conn, const char *key, const char *value, struct err *e)
{
    static const char sql[] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_META_SET, sql, e);
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, key);
    sq_bind_text(st, 2, value);
    return sq_step_done(c, st, "meta set", e);
}

const struct store_meta_ops sq_meta_ops = {
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
};
