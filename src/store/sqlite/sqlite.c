/*
 * sqlite.c: the helpers every file of the SQLite backend uses (sqlite.h,
 * which is their manual): the mapping of SQLite's errors to store.h's
 * codes, the statement cache of a connection, and binding, reading and
 * stepping statements.
 */
#include <sqlite3.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/metrics.h"
#include "lib/banned.h"

/* ---- errors ------------------------------------------------------------------------------- */

static int db_error(struct err *e, sqlite3 *db, const char *what);

/* Every error is counted in the metrics by kind (lib/metrics.h). */
int
sq_db_error(struct err *e, sqlite3 *db, const char *what)
{
    int r = db_error(e, db, what);
    metrics_db_error(r);
    return r;
}

static int
db_error(struct err *e, sqlite3 *db, const char *what)
{
    int rc = sqlite3_extended_errcode(db);
    /* The audit guard's refusal (audit.c: RAISE with SQ_AUDIT_REFUSAL). */
    if (rc == SQLITE_CONSTRAINT_TRIGGER && strstr(sqlite3_errmsg(db), SQ_AUDIT_REFUSAL))
        return err_set(e, ERR_UNAUDITED, "error.internal", NULL, "%s: %s", what,
                       sqlite3_errmsg(db));
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: %s", what, sqlite3_errmsg(db));
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: %s", what, sqlite3_errmsg(db));
    return err_set(e, ERR_STORE, "error.store", NULL, "%s: %s", what, sqlite3_errmsg(db));
}

/* ---- the statement cache and steps -------------------------------------------- */

sqlite3_stmt *
sq_prep(struct sq_conn *c, enum sq_stmt id, const char *sql, struct err *e)
{
    if (!c->stmts[id]) {
        if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[id], NULL) !=
            SQLITE_OK) {
            sq_db_error(e, c->db, "prepare");
            return NULL;
        }
    }
    return c->stmts[id];
}

void
sq_done(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

void
sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void
sq_bind_static(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void
sq_bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

const char *
sq_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int
sq_step_done(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, what);
    sq_done(st);
    return r;
}

int
sq_step_one(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 0;
    int r = rc == SQLITE_DONE
                ? err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "%s: not found", what)
                : sq_db_error(e, c->db, what);
    sq_done(st);
    return r;
}

int
sq_step_id(struct sq_conn *c, sqlite3_stmt *st, int64_t *id, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);
    int r = 0;
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "%s: not found", what);
    else
        r = sq_db_error(e, c->db, what);
    sq_done(st);
    return r;
}

/* ---- writes of several statements ------------------------------------------------------- */

int
sq_write_begin(struct sq_conn *c, struct err *e)
{
    sqlite3_stmt *st = sq_prep(c, Q_WRITE_BEGIN, "SAVEPOINT sq_write", e);
    return st ? sq_step_done(c, st, "write begin", e) : ERR_STORE;
}

int
sq_write_end(struct sq_conn *c, int r, struct err *e)
{
    sqlite3_stmt *st;
    if (r) {
        /* e holds the write's error.  When SQLite rolled back the whole
         * transaction on it (an I/O error, a full disk), the savepoint is
         * gone with it: nothing is left to undo, and these fail
         * harmlessly. */
        if ((st = sq_prep(c, Q_WRITE_UNDO, "ROLLBACK TO sq_write", NULL)))
            sq_step_done(c, st, "write undo", NULL);
        if ((st = sq_prep(c, Q_WRITE_RELEASE, "RELEASE sq_write", NULL)))
            sq_step_done(c, st, "write release", NULL);
        return r;
    }
    if (!(st = sq_prep(c, Q_WRITE_RELEASE, "RELEASE sq_write", e)))
        return ERR_STORE;
    return sq_step_done(c, st, "write release", e);
}
