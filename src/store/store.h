/*
 * store.h: the one interface to petitiond's database, and its contract.
 *
 * Everything petitiond keeps goes through the functions declared here and
 * in the area headers this file includes (store/petitions.h, signing.h,
 * accounts.h, drafts.h, house.h, mail.h, audit.h, retention.h, search.h,
 * meta.h).  Each is a thin wrapper, store_<area>_<verb>() or
 * store_<record>_<verb>(), over the table of a backend (store/backend.h):
 * the SQLite file of store/sqlite/ or PostgreSQL (store/pg/).  Callers never
 * see a backend, a connection or SQL.
 *
 * TRANSACTIONS
 *
 * Every write takes a transaction, begun with store_begin() and ended by
 * exactly one store_commit() or store_rollback().  A transaction is one
 * connection of the backend's pool held by the calling thread until it
 * ends; it is not shared between threads, and a thread holds at most one.
 * Its writes become visible to others when store_commit() returns 0, and
 * are on durable storage then.  A write that fails changes nothing
 * itself, but the transaction may hold earlier writes of the same use
 * case: a caller that gets an error rolls back (the whole transaction, or
 * to its savepoint) and so has written nothing.  A failed commit keeps
 * nothing.  Transactions are serializable: two that would
 * interleave are ordered, or one of them fails with ERR_CONFLICT at a
 * write or at commit.
 *
 * A savepoint (store_savepoint()) marks a point inside a transaction that
 * store_savepoint_rollback() undoes back to, keeping what came before;
 * store_savepoint_release() keeps what came after.  One at a time.
 *
 * Reads take the store and a transaction: t is the open transaction of
 * the caller (the read then sees that transaction's own writes, and the
 * same snapshot as its other reads), or NULL to read the latest committed
 * state on a connection of its own.  A thread that holds a transaction
 * passes it to every read: reading with NULL then could wait for a
 * connection that the same thread holds.
 *
 * ERRORS (lib/err.h), the same from every backend:
 *   ERR_NOT_FOUND  a record looked up by its key does not exist (the
 *                  reads that look one up, and the writes that say so);
 *   ERR_CONFLICT   a unique key is taken (an e-mail address, a number, a
 *                  slug: each write says which), or a concurrent
 *                  transaction won (try the whole use case again);
 *   ERR_INVALID    a record that the schema refuses (a missing required
 *                  value, a reference to nothing, a value out of range);
 *   ERR_UNAUDITED  a staff write in a transaction that has appended no
 *                  audit record (store/audit.h: the audit guard);
 *   ERR_UNAVAILABLE the database cannot be reached now (a server away or
 *                  restarting: try again in a moment; SQLite never says it);
 *   ERR_STORE      the database failed (details in e->log only).
 * e->key is a message key fit for a user ("error.conflict", ...); e->log
 * carries the backend's own words and is never shown.
 *
 * ORDERS: every list says its order, and ties are always broken by the
 * record's id, so a list read twice comes out the same.
 *
 * MEMORY: what a read returns is allocated from the arena the caller
 * passes and lives as long as it; nothing returned points into the store.
 *
 * THREADS: a struct store may be used from any number of threads at once.
 *
 * TIMES are UTC seconds (int64_t); 0 means "none" wherever a time may be
 * absent, and ids are never 0.
 */
#ifndef PETITIOND_STORE_H
#define PETITIOND_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct store;
struct store_txn;

/*
 * Open the store named by spec: a file path, or "sqlite:PATH", is SQLite;
 * a libpq connection URI ("postgresql://...", "postgres://...") is
 * PostgreSQL, where create also creates a missing database.
 * With create, a missing database is created (only `petitiond migrate`
 * does that, so a mistyped path elsewhere is an error, not a new empty
 * file).  Returns 0 and *out, which the caller closes with store_close().
 * Any maintenance the backend needs while open (SQLite's checkpoints)
 * it runs by itself until closed.
 */
int store_open(const char *spec, bool create, struct store **out, struct err *e);

/* Whether spec names a PostgreSQL database (a libpq URI). */
bool store_spec_is_postgresql(const char *spec);

/* The most connections a PostgreSQL store opened after this call holds
 * (--db-pool; 8 unless set, at most 64).  SQLite keeps its own pool. */
void store_pg_pool_size(int n);

/* How a store's link to its database server has fared (PostgreSQL; all
 * zero on SQLite, a file inside the process).  While the server is
 * away, a connection is tried again only after a back-off that doubles
 * from STORE_BACKOFF_MIN_MS up to STORE_BACKOFF_MAX_MS; meanwhile every
 * use fails at once with ERR_UNAVAILABLE (503 with Retry-After), so a
 * crowd of requests does not hammer a server that is coming back. */
enum { STORE_BACKOFF_MIN_MS = 50, STORE_BACKOFF_MAX_MS = 500 };
struct store_link_stats {
    uint64_t connects;         /* connections opened, the first included */
    uint64_t connect_failures; /* attempts that failed */
    uint64_t backed_off;       /* uses refused during a back-off, untried */
    int64_t backoff_ms;        /* the back-off now (0: the server answers) */
};
void store_link_stats(struct store *s, struct store_link_stats *out);

/* Close s (NULL is fine); no transaction may be open on it. */
void store_close(struct store *s);

/* The backend's name, "sqlite" or "postgresql". */
const char *store_engine(const struct store *s);

/* Create or upgrade the schema to the newest migration this binary
 * carries.  *applied gets how many migrations ran (0 when current). */
int store_migrate(struct store *s, int *applied, struct err *e);

/* The newest migration applied (0 for an empty database), and the newest
 * this binary carries for this backend. */
int store_schema_version(struct store *s, int *version, struct err *e);
int store_schema_latest(const struct store *s);

/*
 * A consistent copy of the whole database, taken while it serves, into a
 * new file at path (which must not exist), as one snapshot: what commits
 * during the backup is not in it.  progress (NULL for none) gets the
 * pages copied and the pages in all as it goes.  SQLite only (its online
 * backup API): ERR_INVALID for PostgreSQL, whose own tools (pg_dump, base
 * backups) do it; ERR_CONFLICT when path exists.
 */
typedef void (*store_backup_progress_fn)(void *arg, long done, long total);
int store_backup(struct store *s, const char *path, store_backup_progress_fn progress, void *arg,
                 struct err *e);

/* Begin a transaction: *out is the caller's until store_commit() or
 * store_rollback() ends it.  ERR_STORE when the database cannot begin. */
int store_begin(struct store *s, struct store_txn **out, struct err *e);

/* Commit and end t.  On an error nothing of t was kept (it is rolled
 * back) and t is ended all the same. */
int store_commit(struct store_txn *t, struct err *e);

/* Undo and end t; NULL is fine. */
void store_rollback(struct store_txn *t);

/* The store t belongs to. */
struct store *store_txn_store(const struct store_txn *t);

/* A savepoint inside t; see TRANSACTIONS above.  After an error from
 * store_savepoint_release() the caller rolls back to it (or the whole
 * transaction).  An error from store_savepoint_rollback() means the
 * transaction itself is lost (the engine gave it up after a failure): the
 * caller rolls it back whole. */
int store_savepoint(struct store_txn *t, struct err *e);
int store_savepoint_release(struct store_txn *t, struct err *e);
int store_savepoint_rollback(struct store_txn *t, struct err *e);

#include "store/accounts.h"
#include "store/audit.h"
#include "store/drafts.h"
#include "store/house.h"
#include "store/log.h"
#include "store/mail.h"
#include "store/meta.h"
#include "store/petitions.h"
#include "store/retention.h"
#include "store/search.h"
#include "store/signing.h"

#endif
