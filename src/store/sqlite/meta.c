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

/* ---- leases and the change version ------------------------------------------------ */

static int
sq_lease_take(struct store_conn *conn, const char *name, const char *holder, int64_t now,
              int64_t until, bool *held, struct err *e)
{
    static const char sql[] = "INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?4)"
                              " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                              " expires_at = excluded.expires_at"
                              " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?3";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_LEASE_TAKE, sql, e);
    *held = false;
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, name);
    sq_bind_text(st, 2, holder);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, until);
    int r = sq_step_done(c, st, "lease take", e);
    if (!r)
        *held = sqlite3_changes(c->db) == 1;
    return r;
}

static int
sq_lease_release(struct store_conn *conn, const char *name, const char *holder, struct err *e)
{
    static const char sql[] = "UPDATE leases SET expires_at = 0 WHERE name = ?1 AND holder = ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_LEASE_RELEASE, sql, e);
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, name);
    sq_bind_text(st, 2, holder);
    return sq_step_done(c, st, "lease release", e);
}

static int
sq_lease_get(struct store_conn *conn, struct arena *a, const char *name, const char **holder,
             int64_t *until, struct err *e)
{
    static const char sql[] = "SELECT holder, expires_at FROM leases WHERE name = ?1";
    struct sq_conn *c = sq_conn(conn);
    int r = 0;
    sqlite3_stmt *st = sq_prep(c, Q_LEASE_GET, sql, e);
    *holder = NULL;
    *until = 0;
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *holder = sq_col_text(st, 0, a);
        *until = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        r = sq_db_error(e, c->db, "lease get");
    }
    sq_done(st);
    return r;
}

static int
sq_change_bump(struct store_conn *conn, struct err *e)
{
    static const char sql[] = "UPDATE change_version SET version = version + 1 WHERE id = 1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_CHANGE_BUMP, sql, e);
    if (!st)
        return ERR_STORE;
    return sq_step_done(c, st, "change bump", e);
}

static int
sq_change_version(struct store_conn *conn, int64_t *version, struct err *e)
{
    static const char sql[] = "SELECT version FROM change_version WHERE id = 1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st = sq_prep(c, Q_CHANGE_VERSION, sql, e);
    *version = 0;
    if (!st)
        return ERR_STORE;
    int r = sq_step_one(c, st, "change version", e);
    if (!r) {
        *version = sqlite3_column_int64(st, 0);
        sq_done(st);
    }
    return r;
}

const struct store_meta_ops sq_meta_ops = {
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .lease_take = sq_lease_take,
    .lease_release = sq_lease_release,
    .lease_get = sq_lease_get,
    .change_bump = sq_change_bump,
    .change_version = sq_change_version,
};
