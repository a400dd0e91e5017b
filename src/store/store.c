/*
 * store.c: choosing a backend, transactions and savepoints, the
 * connections the wrappers run on, and planned faults; see store.h,
 * store/backend.h and store/faults.h.
 *
 * A plain path (or "sqlite:PATH") opens SQLite; a libpq URI
 * ("postgresql://...", "postgres://...") opens PostgreSQL.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/die.h"
#include "lib/err.h"
#include "store/backend.h"
#include "store/faults.h"
#include "store/store.h"
#include "lib/banned.h"

/* A transaction: the connection it holds and whether a savepoint is open. */
struct store_txn {
    struct store_conn *conn;
    bool savepoint;
};

int
store_open(const char *spec, bool create, struct store **out, struct err *e)
{
    const struct store_backend *be = &store_sqlite_backend;
    if (store_spec_is_postgresql(spec))
        be = &store_pg_backend;
    else if (strncmp(spec, "sqlite:", 7) == 0)
        spec += 7;
    if (!spec[0])
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "empty database path");
    int r = be->open(spec, create, out, e);
    if (r)
        return r;
    (*out)->be = be;
    atomic_init(&(*out)->fail_call_at, 0);
    atomic_init(&(*out)->fail_commit_at, 0);
    atomic_init(&(*out)->calls, 0);
    atomic_init(&(*out)->commits, 0);
    return 0;
}

int
store_backup(struct store *s, const char *path, store_backup_progress_fn progress, void *arg,
             struct err *e)
{
    if (!s->be->backup)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "backup of a %s database: use the engine's own tools (pg_dump or a base "
                       "backup; see docs/postgresql.md)",
                       s->be->name);
    return s->be->backup(s, path, progress, arg, e);
}

void
store_link_stats(struct store *s, struct store_link_stats *out)
{
    *out = (struct store_link_stats){0};
    if (s->be->link_stats)
        s->be->link_stats(s, out);
}

bool
store_spec_is_postgresql(const char *spec)
{
    return strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0;
}

void
store_close(struct store *s)
{
    if (s)
        s->be->close(s);
}

const char *
store_engine(const struct store *s)
{
    return s->be->name;
}

int
store_migrate(struct store *s, int *applied, struct err *e)
{
    return s->be->migrate(s, applied, e);
}

int
store_schema_version(struct store *s, int *version, struct err *e)
{
    return s->be->schema_version(s, version, e);
}

int
store_schema_latest(const struct store *s)
{
    return s->be->schema_latest();
}

/* ---- planned faults (store/faults.h) ------------------------------------------------- */

void
store_faults_fail_call(struct store *s, long n)
{
    atomic_store(&s->fail_call_at, n > 0 ? atomic_load(&s->calls) + n : 0);
}

void
store_faults_fail_commit(struct store *s, long n)
{
    atomic_store(&s->fail_commit_at, n > 0 ? atomic_load(&s->commits) + n : 0);
}

void
store_faults_clear(struct store *s)
{
    atomic_store(&s->fail_call_at, 0);
    atomic_store(&s->fail_commit_at, 0);
}

bool
store_faults_pending(struct store *s)
{
    return atomic_load(&s->fail_call_at) != 0 || atomic_load(&s->fail_commit_at) != 0;
}

/* Whether the counter's next event is the planned fault (then the plan
 * is spent: one fault per plan). */
static bool
fault_due(atomic_long *counter, atomic_long *at)
{
    long n = atomic_fetch_add(counter, 1) + 1;
    long want = atomic_load(at);
    return want && n == want && atomic_compare_exchange_strong(at, &want, 0);
}

static int
fault(struct err *e, const char *what)
{
    return err_set(e, ERR_STORE, "error.store", NULL, "%s: injected fault", what);
}

/* ---- the connections of the wrappers (store/backend.h) -------------------------------- */

int
store_read_conn(struct store *s, struct store_txn *t, struct store_conn **out, struct err *e)
{
    if (fault_due(&s->calls, &s->fail_call_at))
        return fault(e, "read");
    if (t) {
        *out = t->conn;
        return 0;
    }
    return s->be->conn_take(s, out, e);
}

void
store_read_done(struct store *s, struct store_txn *t, struct store_conn *c)
{
    if (!t)
        s->be->conn_give(s, c);
}

int
store_write_conn(struct store_txn *t, struct store_conn **out, struct err *e)
{
    struct store *s = t->conn->store;
    if (fault_due(&s->calls, &s->fail_call_at))
        return fault(e, "write");
    *out = t->conn;
    return 0;
}

/* ---- transactions --------------------------------------------------------------------- */

int
store_begin(struct store *s, struct store_txn **out, struct err *e)
{
    struct store_conn *c;
    int r;
    if (fault_due(&s->calls, &s->fail_call_at))
        return fault(e, "begin");
    if ((r = s->be->conn_take(s, &c, e)))
        return r;
    if ((r = s->be->begin(c, e))) {
        s->be->conn_give(s, c);
        return r;
    }
    struct store_txn *t = calloc(1, sizeof(*t));
    if (!t)
        die_oom();
    t->conn = c;
    *out = t;
    return 0;
}

static void
txn_end(struct store_txn *t)
{
    struct store *s = t->conn->store;
    s->be->conn_give(s, t->conn);
    free(t);
}

int
store_commit(struct store_txn *t, struct err *e)
{
    struct store *s = t->conn->store;
    int r;
    if (fault_due(&s->commits, &s->fail_commit_at)) {
        s->be->rollback(t->conn);
        r = fault(e, "commit");
    } else {
        r = s->be->commit(t->conn, e);
    }
    txn_end(t);
    return r;
}

void
store_rollback(struct store_txn *t)
{
    if (!t)
        return;
    t->conn->store->be->rollback(t->conn);
    txn_end(t);
}

struct store *
store_txn_store(const struct store_txn *t)
{
    return t->conn->store;
}

int
store_savepoint(struct store_txn *t, struct err *e)
{
    if (t->savepoint)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "nested savepoint");
    int r = t->conn->store->be->savepoint(t->conn, STORE_SAVEPOINT_BEGIN, e);
    if (!r)
        t->savepoint = true;
    return r;
}

int
store_savepoint_release(struct store_txn *t, struct err *e)
{
    if (!t->savepoint)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "no savepoint to release");
    int r = t->conn->store->be->savepoint(t->conn, STORE_SAVEPOINT_RELEASE, e);
    if (!r)
        t->savepoint = false;
    return r;
}

int
store_savepoint_rollback(struct store_txn *t, struct err *e)
{
    if (!t->savepoint)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "no savepoint to roll back to");
    t->savepoint = false;
    return t->conn->store->be->savepoint(t->conn, STORE_SAVEPOINT_ROLLBACK, e);
}
