/*
 * store.c: opening a store, transactions and savepoints; see store.h.
 *
 * A plain path opens SQLite.  "postgresql://..." will open PostgreSQL
 * when that backend exists; until then it is refused with a clear
 * message rather than mistaken for a file name.
 *
 * XXX issue 15, in progress: the wrappers call the backend's old single
 * table (store_ops_old.h), which keeps each thread's open transaction
 * itself.  struct store_txn already makes the transaction explicit for
 * every caller, and a read given NULL while its thread holds a transaction
 * is caught here (store_read_check), so that no caller relies on the
 * implicit one when the backend stops keeping it.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/die.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "lib/banned.h"

struct store_txn {
    struct store *s;
    bool savepoint;
};

/* The transaction this thread holds, only to check callers (see above). */
static _Thread_local struct store_txn *held;

void
store_read_check(struct store *s, struct store_txn *t)
{
    if (t) {
        assert(t == held && t->s == s);
        return;
    }
    if (held && held->s == s) {
        fprintf(stderr, "petitiond: BUG: a read without the transaction its thread holds\n");
        abort();
    }
}

struct store *
store_write_check(struct store_txn *t)
{
    assert(t && t == held);
    return t->s;
}

int
store_open(const char *spec, bool create, struct store **out, struct err *e)
{
    if (strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "the PostgreSQL backend is not built yet; use a SQLite file path");
    if (strncmp(spec, "sqlite:", 7) == 0)
        spec += 7;
    if (!spec[0])
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "empty database path");
    int r = store_sqlite_open(spec, create, out, e);
    if (r == 0 && (r = (*out)->ops->checkpoints_start(*out, e))) {
        store_close(*out);
        *out = NULL;
    }
    return r;
}

void
store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *
store_engine(const struct store *s)
{
    return s->ops->name;
}

int
store_migrate(struct store *s, int *applied, struct err *e)
{
    return s->ops->migrate(s, applied, e);
}

int
store_schema_version(struct store *s, int *version, struct err *e)
{
    return s->ops->schema_version(s, version, e);
}

int
store_schema_latest(const struct store *s)
{
    (void)s;
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++)
        if (strncmp(f->path, "sql/sqlite/", 11) == 0)
            n++;
    return n;
}

int
store_begin(struct store *s, struct store_txn **out, struct err *e)
{
    if (held)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "nested transaction");
    int r = s->ops->begin(s, e);
    if (r)
        return r;
    struct store_txn *t = calloc(1, sizeof(*t));
    if (!t)
        die_oom();
    t->s = s;
    held = t;
    *out = t;
    return 0;
}

static void
txn_end(struct store_txn *t)
{
    held = NULL;
    free(t);
}

int
store_commit(struct store_txn *t, struct err *e)
{
    struct store *s = store_write_check(t);
    int r = s->ops->commit(s, e);
    txn_end(t);
    return r;
}

void
store_rollback(struct store_txn *t)
{
    if (!t)
        return;
    struct store *s = store_write_check(t);
    s->ops->rollback(s);
    txn_end(t);
}

struct store *
store_txn_store(const struct store_txn *t)
{
    return t->s;
}

int
store_savepoint(struct store_txn *t, struct err *e)
{
    struct store *s = store_write_check(t);
    if (t->savepoint)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "nested savepoint");
    int r = s->ops->savepoint(s, STORE_SAVEPOINT_BEGIN, e);
    if (!r)
        t->savepoint = true;
    return r;
}

int
store_savepoint_release(struct store_txn *t, struct err *e)
{
    struct store *s = store_write_check(t);
    assert(t->savepoint);
    int r = s->ops->savepoint(s, STORE_SAVEPOINT_RELEASE, e);
    if (!r)
        t->savepoint = false;
    return r;
}

int
store_savepoint_rollback(struct store_txn *t, struct err *e)
{
    struct store *s = store_write_check(t);
    assert(t->savepoint);
    t->savepoint = false;
    return s->ops->savepoint(s, STORE_SAVEPOINT_ROLLBACK, e);
}
