/*
 * backend.c: the SQLite backend of store.h, the embedded default: opening
 * and closing the database, its pool of connections, transactions and
 * savepoints, migrations, and the table (store_sqlite_backend) that names
 * the areas' tables.  The areas' statements are in the files named after
 * them; the helpers they share are in sqlite.c.
 *
 * One database file in WAL mode, synchronous=FULL (a commit is on disk
 * when it returns), foreign keys enforced.  A small pool of connections
 * lets page threads read in parallel while a writer writes (WAL gives
 * readers a snapshot).  Write transactions begin IMMEDIATE, so two of
 * them are ordered by SQLite's write lock (waited for up to the busy
 * timeout) rather than failing halfway.  WAL checkpoints run on a thread
 * of the store's own, so that committing transactions never waits for
 * them.
 *
 * Migrations are the embedded files sql/sqlite/NNNN_name.sql, applied in
 * order, each in its own transaction with its row in schema_migrations.
 */
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "store/backend.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- checkpoints ------------------------------------------------------------------------ */

/* WAL pages after which a checkpoint is due (SQLite's own default). */
enum { CHECKPOINT_PAGES = 1000 };

/*
 * Every connection's WAL hook, after each commit.  With background
 * checkpoints running it only wakes their thread; otherwise (while the
 * store opens, before the thread starts) it checkpoints here, as SQLite's
 * automatic checkpoint would.
 */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct sq_store *s = arg;
    if (pages < CHECKPOINT_PAGES)
        return SQLITE_OK;
    pthread_mutex_lock(&s->ckpt_mu);
    bool background = s->ckpt_running;
    if (background) {
        s->ckpt_wanted = true;
        pthread_cond_signal(&s->ckpt_cv);
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    if (!background)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static void *
checkpoint_thread(void *arg)
{
    struct sq_store *s = arg;
    pthread_mutex_lock(&s->ckpt_mu);
    while (!s->ckpt_stopping) {
        if (!s->ckpt_wanted) {
            pthread_cond_wait(&s->ckpt_cv, &s->ckpt_mu);
            continue;
        }
        s->ckpt_wanted = false;
        pthread_mutex_unlock(&s->ckpt_mu);
        /* PASSIVE: never waits for, nor blocks, the writer or readers. */
        int rc = sqlite3_wal_checkpoint_v2(s->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            fprintf(stderr, "petitiond: checkpoint: %s\n", sqlite3_errmsg(s->ckpt_db));
        pthread_mutex_lock(&s->ckpt_mu);
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    return NULL;
}

/* Start the checkpoint thread with its own connection. */
static int
checkpoints_start(struct sq_store *s, struct err *e)
{
    if (s->ckpt_running)
        return 0;
    if (sqlite3_open_v2(s->path, &s->ckpt_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(s->ckpt_db, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;", NULL,
                     NULL, NULL) != SQLITE_OK) {
        int r = sq_db_error(e, s->ckpt_db, "checkpoint connection");
        sqlite3_close(s->ckpt_db);
        s->ckpt_db = NULL;
        return r;
    }
    /* Its own checkpoints only: the hook of this connection does nothing. */
    sqlite3_wal_autocheckpoint(s->ckpt_db, 0);
    s->ckpt_running = true;
    /* The thread takes no signal: a stop signal (serve blocks SIGINT and
     * SIGTERM only after the store is open, for its sigwait()) must never
     * be delivered here, where its default action ends the process. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int failed = pthread_create(&s->ckpt_thread, NULL, checkpoint_thread, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (failed) {
        s->ckpt_running = false;
        sqlite3_close(s->ckpt_db);
        s->ckpt_db = NULL;
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the checkpoint thread");
    }
    return 0;
}

static void
checkpoints_stop(struct sq_store *s)
{
    if (!s->ckpt_running)
        return;
    pthread_mutex_lock(&s->ckpt_mu);
    s->ckpt_stopping = true;
    pthread_cond_signal(&s->ckpt_cv);
    pthread_mutex_unlock(&s->ckpt_mu);
    pthread_join(s->ckpt_thread, NULL);
    pthread_mutex_lock(&s->ckpt_mu);
    s->ckpt_running = false;
    pthread_mutex_unlock(&s->ckpt_mu);
    sqlite3_close(s->ckpt_db);
    s->ckpt_db = NULL;
}

/* ---- connections and the pool ---------------------------------------------------------- */

static int
conn_open(struct sq_conn *c, const char *path, bool create, struct err *e)
{
    static const char pragmas[] = "PRAGMA foreign_keys = ON;"
                                  "PRAGMA synchronous = FULL;"
                                  "PRAGMA busy_timeout = 10000;";
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
        int r = err_set(e, ERR_STORE, "error.store", NULL, "open %s: %s%s", path,
                        c->db ? sqlite3_errmsg(c->db) : "out of memory",
                        create ? "" : " (create it with 'petitiond migrate')");
        sqlite3_close(c->db);
        c->db = NULL;
        return r;
    }
    sqlite3_extended_result_codes(c->db, 1);
    if (sqlite3_exec(c->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        return sq_db_error(e, c->db, "pragmas");
    return 0;
}

static void
conn_close(struct sq_conn *c)
{
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close(c->db);
    memset(c, 0, sizeof(*c));
}

/* Lend a connection, waiting while every one is lent; the audit guard is
 * installed on it the first time the schema has the audit log. */
static int
sqlite_conn_take(struct store *base, struct store_conn **out, struct err *e)
{
    (void)e;
    struct sq_store *s = sq_store(base);
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (int i = 0; i < SQ_POOL_SIZE; i++) {
            struct sq_conn *c = &s->conns[i];
            if (!c->busy) {
                c->busy = true;
                pthread_mutex_unlock(&s->mu);
                sq_audit_guard(c);
                *out = &c->base;
                return 0;
            }
        }
        pthread_cond_wait(&s->cv, &s->mu);
    }
}

static void
sqlite_conn_give(struct store *base, struct store_conn *conn)
{
    struct sq_store *s = sq_store(base);
    pthread_mutex_lock(&s->mu);
    sq_conn(conn)->busy = false;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- transactions ------------------------------------------------------------------------ */

static int
sqlite_begin(struct store_conn *conn, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_db_error(e, c->db, "begin");
    sq_audit_reset(c);
    return 0;
}

static int
sqlite_commit(struct store_conn *conn, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    int r = 0;
    if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        r = sq_db_error(e, c->db, "commit");
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    }
    sq_audit_reset(c);
    return r;
}

static void
sqlite_rollback(struct store_conn *conn)
{
    struct sq_conn *c = sq_conn(conn);
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sq_audit_reset(c);
}

/* The savepoint of store.h ("job"), prepared once per connection like
 * every statement: the intake writer takes one per signature. */
static int
sqlite_savepoint(struct store_conn *conn, enum store_savepoint_kind kind, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if (kind == STORE_SAVEPOINT_BEGIN) {
        if (!(st = sq_prep(c, Q_JOB_BEGIN, "SAVEPOINT job", e)))
            return ERR_STORE;
        return sq_step_done(c, st, "savepoint", e);
    }
    if (kind == STORE_SAVEPOINT_ROLLBACK) {
        /* Fails when the engine gave the whole transaction up (then the
         * savepoint went with it): the caller rolls back everything. */
        if (!(st = sq_prep(c, Q_JOB_UNDO, "ROLLBACK TO job", e)))
            return ERR_STORE;
        if ((r = sq_step_done(c, st, "savepoint rollback", e)))
            return r;
    }
    if (kind == STORE_SAVEPOINT_ROLLBACK || kind == STORE_SAVEPOINT_RELEASE) {
        if (!(st = sq_prep(c, Q_JOB_RELEASE, "RELEASE job", e)))
            return ERR_STORE;
        return sq_step_done(c, st, "savepoint release", e);
    }
    return err_set(e, ERR_INTERNAL, "error.internal", NULL, "savepoint kind %d", (int)kind);
}

/* ---- migrations ----------------------------------------------------------------------------- */

static int
sqlite_schema_version(struct store *base, int *version, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
    struct store_conn *conn;
    int64_t v = 0;
    int r;
    sqlite3_stmt *st;

    if ((r = sqlite_conn_take(base, &conn, e)))
        return r;
    struct sq_conn *c = sq_conn(conn);
    /* Before the first migration the table does not exist: version 0.
     * (Reading the version never writes: migrate creates the table.) */
    if (sqlite3_table_column_metadata(c->db, NULL, "schema_migrations", "version", NULL, NULL, NULL,
                                      NULL, NULL) != SQLITE_OK) {
        *version = 0;
        r = 0;
        goto out;
    }
    PREP_OR_OUT(st, c, Q_SCHEMA_VERSION, sql, e);
    r = sq_step_id(c, st, &v, "schema version", e);
    *version = (int)v;
out:
    sqlite_conn_give(base, conn);
    return r;
}

/* Run migration f (number n) on c in a transaction of its own, with its
 * row in schema_migrations. */
static int
migration_apply(struct sq_conn *c, const struct embedded_file *f, int n, struct err *e)
{
    static const char record[] = "INSERT INTO schema_migrations (version, name, applied_at)"
                                 " VALUES (?1, ?2, strftime('%s', 'now'))";
    /* Migration files are our own constant SQL, run whole.  Foreign keys
     * are off while one runs (SQLite's procedure for rebuilding a table: a
     * DROP would otherwise cascade) and checked before it commits. */
    sqlite3_exec(c->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_db_error(e, c->db, "begin migration");
    char *msg = NULL;
    if (sqlite3_exec(c->db, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
        int r = err_set(e, ERR_STORE, "error.store", NULL, "migration %s: %s", f->path,
                        msg ? msg : "failed");
        sqlite3_free(msg);
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
    }
    sqlite3_stmt *st;
    sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    int fk = sqlite3_step(st);
    sqlite3_finalize(st);
    if (fk != SQLITE_DONE) {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        return err_set(e, ERR_STORE, "error.store", NULL,
                       "migration %s leaves rows with broken foreign keys", f->path);
    }
    sqlite3_prepare_v2(c->db, record, -1, &st, NULL);
    sqlite3_bind_int(st, 1, n);
    sqlite3_bind_text(st, 2, f->path + 11, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int r = sq_db_error(e, c->db, "record migration");
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        return r;
    }
    return 0;
}

static int
sqlite_migrate(struct store *base, int *applied, struct err *e)
{
    struct store_conn *conn;
    int current, r, last = 0;

    *applied = 0;
    if ((r = sqlite_conn_take(base, &conn, e)))
        return r;
    struct sq_conn *first = sq_conn(conn);
    r = sqlite3_exec(first->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at INTEGER NOT NULL)",
                     NULL, NULL, NULL) == SQLITE_OK
            ? 0
            : sq_db_error(e, first->db, "schema_migrations");
    sqlite_conn_give(base, conn);
    if (r)
        return r;
    if ((r = sqlite_schema_version(base, &current, e)))
        return r;

    if ((r = sqlite_conn_take(base, &conn, e)))
        return r;
    struct sq_conn *c = sq_conn(conn);
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        int n;
        if (strncmp(f->path, "sql/sqlite/", 11) != 0)
            continue;
        if (store_migration_number(f->path, "sql/sqlite/", &n) || n != last + 1) {
            r = err_set(e, ERR_INTERNAL, "error.internal", NULL,
                        "migration %s out of sequence after %d", f->path, last);
            goto out;
        }
        last = n;
        if (n <= current)
            continue;
        if ((r = migration_apply(c, f, n, e)))
            goto out;
        (*applied)++;
    }
    if (current > last)
        r = err_set(e, ERR_STORE, "error.store", NULL,
                    "database schema %d is newer than this petitiond (%d)", current, last);
out:
    sqlite3_exec(c->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    /* Statements prepared before the schema changed are stale. */
    for (int i = 0; i < Q_COUNT; i++) {
        sqlite3_finalize(c->stmts[i]);
        c->stmts[i] = NULL;
    }
    sqlite_conn_give(base, conn);
    return r;
}

static int
sqlite_schema_latest(void)
{
    return store_migrations_count("sql/sqlite/");
}

/* ---- open and close ------------------------------------------------------------------------- */

static void
sqlite_close(struct store *base)
{
    struct sq_store *s = sq_store(base);
    checkpoints_stop(s);
    for (int i = 0; i < SQ_POOL_SIZE; i++)
        if (s->conns[i].db)
            conn_close(&s->conns[i]);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->ckpt_mu);
    pthread_cond_destroy(&s->ckpt_cv);
    free(s->path);
    free(s);
}

static int
sqlite_open(const char *path, bool create, struct store **out, struct err *e)
{
    struct sq_store *s = calloc(1, sizeof(*s));
    int r;
    if (!s)
        die_oom();
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->ckpt_mu, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    if (!(s->path = strdup(path)))
        die_oom();
    for (int i = 0; i < SQ_POOL_SIZE; i++) {
        s->conns[i].base.store = &s->base;
        /* The first connection creates the file when asked; the others find it. */
        if ((r = conn_open(&s->conns[i], path, create && i == 0, e)))
            goto fail;
        sqlite3_wal_hook(s->conns[i].db, wal_hook, s);
    }
    /* WAL is a property of the file: set once, kept by SQLite. */
    char *msg = NULL;
    if (sqlite3_exec(s->conns[0].db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
        r = err_set(e, ERR_STORE, "error.store", NULL, "WAL: %s", msg ? msg : "failed");
        sqlite3_free(msg);
        goto fail;
    }
    if ((r = checkpoints_start(s, e)))
        goto fail;
    *out = &s->base;
    return 0;
fail:
    sqlite_close(&s->base);
    return r;
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .conn_take = sqlite_conn_take,
    .conn_give = sqlite_conn_give,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .savepoint = sqlite_savepoint,
    .migrate = sqlite_migrate,
    .schema_version = sqlite_schema_version,
    .schema_latest = sqlite_schema_latest,
    .backup = sq_backup,
    .accounts = &sq_accounts_ops,
    .audit = &sq_audit_ops,
    .drafts = &sq_drafts_ops,
    .house = &sq_house_ops,
    .mail = &sq_mail_ops,
    .meta = &sq_meta_ops,
    .petitions = &sq_petitions_ops,
    .retention = &sq_retention_ops,
    .search = &sq_search_ops,
    .signing = &sq_signing_ops,
    .log = &sq_log_ops,
    .copy = &sq_copy_ops,
};
