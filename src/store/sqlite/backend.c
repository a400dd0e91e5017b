/*
 * store_sqlite.c: the SQLite backend of store.h, the embedded default.
 *
 * One database file in WAL mode, synchronous=FULL (a commit is on disk
 * when it returns), foreign keys enforced.  A small pool of connections
 * lets page threads read in parallel while a writer writes (WAL gives
 * readers a snapshot).  Every statement is a constant string beside the
 * function that runs it, prepared once per connection (sq_prep()) and reused;
 * values are only ever bound.
 *
 * Migrations are the embedded files sql/sqlite/NNNN_name.sql, applied in
 * order, each in its own transaction with its row in schema_migrations.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/petition.h"
#include "core/search.h"
#include "lib/arena.h"
#include "lib/die.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/fts5_query.h"
#include "store/sqlite_internal.h"
#include "store/store.h"
#include "lib/banned.h"

struct sqlite_store *
sq_ss(struct store *s)
{
    return (struct sqlite_store *)s;
}

int
sq_db_error(struct err *e, sqlite3 *db, const char *what)
{
    int rc = sqlite3_extended_errcode(db);
    /* The audit guard's refusal (sqlite_audit.c: RAISE with AUDIT_REFUSAL). */
    if (rc == SQLITE_CONSTRAINT_TRIGGER && strstr(sqlite3_errmsg(db), SQ_AUDIT_REFUSAL))
        return err_set(e, ERR_UNAUDITED, "error.internal", NULL, "%s: %s", what,
                       sqlite3_errmsg(db));
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: %s", what,
                       sqlite3_errmsg(db));
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: %s", what, sqlite3_errmsg(db));
    return err_set(e, ERR_STORE, "error.store", NULL, "%s: %s", what, sqlite3_errmsg(db));
}

/* ---- connections ------------------------------------------------------- */

/* WAL pages after which a checkpoint is due (SQLite's own default). */
enum { CHECKPOINT_PAGES = 1000 };

/*
 * Every connection's WAL hook, after each commit.  With background
 * checkpoints running it only wakes their thread; otherwise it checkpoints
 * here, as SQLite's automatic checkpoint would.
 */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct sqlite_store *s = arg;
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
    struct sqlite_store *s = arg;
    pthread_mutex_lock(&s->ckpt_mu);
    while (!s->ckpt_stopping) {
        if (!s->ckpt_wanted) {
            pthread_cond_wait(&s->ckpt_cv, &s->ckpt_mu);
            continue;
        }
        s->ckpt_wanted = false;
        pthread_mutex_unlock(&s->ckpt_mu);
        /* PASSIVE: never waits for, nor blocks, the writer or readers. */
        int rc = sqlite3_wal_checkpoint_v2(s->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                           NULL);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            fprintf(stderr, "petitiond: checkpoint: %s\n", sqlite3_errmsg(s->ckpt_db));
        pthread_mutex_lock(&s->ckpt_mu);
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    return NULL;
}

static int
sqlite_checkpoints_start(struct store *base, struct err *e)
{
    struct sqlite_store *s = sq_ss(base);
    if (s->ckpt_running)
        return 0;
    if (sqlite3_open_v2(s->path, &s->ckpt_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(s->ckpt_db, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        int r = sq_db_error(e, s->ckpt_db, "checkpoint connection");
        sqlite3_close(s->ckpt_db);
        s->ckpt_db = NULL;
        return r;
    }
    /* Its own checkpoints only: the hook of this connection does nothing. */
    sqlite3_wal_autocheckpoint(s->ckpt_db, 0);
    s->ckpt_running = true;
    if (pthread_create(&s->ckpt_thread, NULL, checkpoint_thread, s)) {
        s->ckpt_running = false;
        sqlite3_close(s->ckpt_db);
        s->ckpt_db = NULL;
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the checkpoint thread");
    }
    return 0;
}

static void
checkpoints_stop(struct sqlite_store *s)
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

static int
conn_open(struct conn *c, const char *path, bool create, struct err *e)
{
    static const char pragmas[] = "PRAGMA foreign_keys = ON;"
                                  "PRAGMA synchronous = FULL;"
                                  "PRAGMA busy_timeout = 10000;";
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    memset(c, 0, sizeof(*c));
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
conn_close(struct conn *c)
{
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close(c->db);
    memset(c, 0, sizeof(*c));
}

/* The connection this thread should use: its open transaction's, or one
 * from the pool (wait while all are busy).  Release with sq_conn_put(). */
/* The open transaction of this thread, if any (one per thread). */
static _Thread_local struct conn *thread_txn;
static _Thread_local struct sqlite_store *thread_txn_store;

struct conn *
sq_conn_get(struct sqlite_store *s)
{
    if (thread_txn && thread_txn_store == s)
        return thread_txn;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (int i = 0; i < POOL_SIZE; i++) {
            struct conn *c = &s->conns[i];
            if (!c->busy) {
                c->busy = true;
                pthread_mutex_unlock(&s->mu);
                sq_audit_guard(c);
                return c;
            }
        }
        pthread_cond_wait(&s->cv, &s->mu);
    }
}

static void
conn_release(struct sqlite_store *s, struct conn *c)
{
    pthread_mutex_lock(&s->mu);
    c->busy = false;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void
sq_conn_put(struct sqlite_store *s, struct conn *c)
{
    if (c == thread_txn)
        return;
    conn_release(s, c);
}

/* The prepared statement id of connection c, preparing sql the first time.
 * NULL (with e set) when the SQL does not prepare: a bug, or a schema the
 * binary does not know (migrate first). */
sqlite3_stmt *
sq_prep(struct conn *c, enum stmt_id id, const char *sql, struct err *e)
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

/* Bind 0 as NULL: our times and ids are never 0 when present. */
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

/* Run a statement that returns no rows.  Returns 0 or an error. */
int
sq_step_done(struct conn *c, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, what);
    sq_done(st);
    return r;
}

int
sq_step_one(struct conn *c, sqlite3_stmt *st, const char *what, struct err *e)
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

/* Run a statement that returns one integer (an id).  ERR_NOT_FOUND when
 * it returns no row. */
int
sq_step_id(struct conn *c, sqlite3_stmt *st, int64_t *id, const char *what, struct err *e)
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

/* ---- open, close, migrate ------------------------------------------------ */

static void
sqlite_close(struct store *base)
{
    struct sqlite_store *s = sq_ss(base);
    checkpoints_stop(s);
    for (int i = 0; i < POOL_SIZE; i++)
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
sqlite_schema_version(struct store *base, int *version, struct err *e)
{
    static const char sql[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int64_t v = 0;
    int r;
    sqlite3_stmt *st;

    /* Before the first migration the table does not exist: version 0.
     * (Reading the version never writes: migrate creates the table.) */
    if (sqlite3_table_column_metadata(c->db, NULL, "schema_migrations", "version", NULL, NULL,
                                      NULL, NULL, NULL) != SQLITE_OK) {
        *version = 0;
        r = 0;
        goto out;
    }
    st = sq_prep(c, Q_SCHEMA_VERSION, sql, e);
    if (!st) {
        r = ERR_STORE;
        goto out;
    }
    r = sq_step_id(c, st, &v, "schema version", e);
    *version = (int)v;
out:
    sq_conn_put(s, c);
    return r;
}

static int
migration_number(const char *path, int *n)
{
    /* "sql/sqlite/0001_register.sql" */
    const char *base = path + strlen("sql/sqlite/");
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (base[i] < '0' || base[i] > '9')
            return -1;
        v = v * 10 + (base[i] - '0');
    }
    if (base[4] != '_')
        return -1;
    *n = v;
    return 0;
}

static int
sqlite_migrate(struct store *base, int *applied, struct err *e)
{
    static const char record[] = "INSERT INTO schema_migrations (version, name, applied_at)"
                                 " VALUES (?1, ?2, strftime('%s', 'now'))";
    struct sqlite_store *s = sq_ss(base);
    int current, r, last = 0;

    *applied = 0;
    struct conn *first = sq_conn_get(s);
    r = sqlite3_exec(first->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at INTEGER NOT NULL)",
                     NULL, NULL, NULL) == SQLITE_OK
            ? 0
            : sq_db_error(e, first->db, "schema_migrations");
    sq_conn_put(s, first);
    if (r)
        return r;
    r = sqlite_schema_version(base, &current, e);
    if (r)
        return r;

    struct conn *c = sq_conn_get(s);
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        int n;
        if (strncmp(f->path, "sql/sqlite/", 11) != 0)
            continue;
        if (migration_number(f->path, &n) || n != last + 1) {
            r = err_set(e, ERR_INTERNAL, "error.internal", NULL,
                        "migration %s out of sequence after %d", f->path, last);
            goto out;
        }
        last = n;
        if (n <= current)
            continue;
        /* Migration files are our own constant SQL, run whole.  Foreign
         * keys are off while one runs (SQLite's procedure for rebuilding
         * a table: a DROP would otherwise cascade) and checked before it
         * commits. */
        sqlite3_exec(c->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
        if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            r = sq_db_error(e, c->db, "begin migration");
            goto out;
        }
        char *msg = NULL;
        if (sqlite3_exec(c->db, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
            r = err_set(e, ERR_STORE, "error.store", NULL, "migration %s: %s", f->path,
                        msg ? msg : "failed");
            sqlite3_free(msg);
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
        sqlite3_stmt *st;
        sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL);
        int fk = sqlite3_step(st);
        sqlite3_finalize(st);
        if (fk != SQLITE_DONE) {
            r = err_set(e, ERR_STORE, "error.store", NULL,
                        "migration %s leaves rows with broken foreign keys", f->path);
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
        sqlite3_prepare_v2(c->db, record, -1, &st, NULL);
        sqlite3_bind_int(st, 1, n);
        sqlite3_bind_text(st, 2, f->path + 11, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE || sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            r = sq_db_error(e, c->db, "record migration");
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
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
    sq_conn_put(s, c);
    return r;
}

/* ---- transactions for loaders ---------------------------------------------- */

static int
sqlite_begin(struct store *base, struct err *e)
{
    struct sqlite_store *s = sq_ss(base);
    if (thread_txn)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "nested transaction");
    struct conn *c = sq_conn_get(s);
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        int r = sq_db_error(e, c->db, "begin");
        conn_release(s, c);
        return r;
    }
    sq_audit_reset(c);
    thread_txn = c;
    thread_txn_store = s;
    return 0;
}

static void
txn_end(struct sqlite_store *s, struct conn *c)
{
    sq_audit_reset(c);
    thread_txn = NULL;
    thread_txn_store = NULL;
    conn_release(s, c);
}

static int
sqlite_commit(struct store *base, struct err *e)
{
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = thread_txn;
    int r = 0;
    if (!c || thread_txn_store != s)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "commit without begin");
    if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        r = sq_db_error(e, c->db, "commit");
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    }
    txn_end(s, c);
    return r;
}

static int
sqlite_savepoint(struct store *base, int kind, struct err *e)
{
    static const char *const sql[] = {
        [STORE_SAVEPOINT_BEGIN] = "SAVEPOINT job",
        [STORE_SAVEPOINT_RELEASE] = "RELEASE job",
        [STORE_SAVEPOINT_ROLLBACK] = "ROLLBACK TO job; RELEASE job",
    };
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = thread_txn;
    if (!c || thread_txn_store != s)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "savepoint without begin");
    if (sqlite3_exec(c->db, sql[kind], NULL, NULL, NULL) != SQLITE_OK)
        return sq_db_error(e, c->db, "savepoint");
    return 0;
}

static void
sqlite_rollback(struct store *base)
{
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = thread_txn;
    if (!c || thread_txn_store != s)
        return;
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    txn_end(s, c);
}

/* ---- meta ---------------------------------------------------------------------- */

static int
sqlite_meta_get(struct store *base, struct arena *a, const char *key, const char **value,
                struct err *e)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = 0;
    sqlite3_stmt *st = sq_prep(c, Q_META_GET, sql, e);
    *value = NULL;
    if (!st) {
        r = ERR_STORE;
        goto out;
    }
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sq_col_text(st, 0, a);
    else if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "meta get");
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_meta_set(struct store *base, const char *key, const char *value, struct err *e)
{
    static const char sql[] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_META_SET, sql, e);
    if (st) {
        sq_bind_text(st, 1, key);
        sq_bind_text(st, 2, value);
        r = sq_step_done(c, st, "meta set", e);
    }
    sq_conn_put(s, c);
    return r;
}

/* ---- reference data: insert or update by natural key --------------------------- */

static int
sqlite_parliament_put(struct store *base, struct parliament *p, struct err *e)
{
    static const char sql[] =
        "INSERT INTO parliaments (number, opened_at, dissolved_at) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (number) DO UPDATE SET opened_at = excluded.opened_at,"
        " dissolved_at = excluded.dissolved_at";
    static const char idsql[] = "SELECT id FROM parliaments WHERE number = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_PARLIAMENT_PUT, sql, e);
    if (!st)
        goto out;
    sqlite3_bind_int(st, 1, p->number);
    sqlite3_bind_int64(st, 2, p->opened_at);
    sq_bind_opt(st, 3, p->dissolved_at);
    if ((r = sq_step_done(c, st, "parliament put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_PARLIAMENT_ID, idsql, e)))
        goto out;
    sqlite3_bind_int(st, 1, p->number);
    r = sq_step_id(c, st, &p->id, "parliament id", e);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_session_put(struct store *base, struct session *ses, struct err *e)
{
    static const char sql[] =
        "INSERT INTO sessions (parliament_id, number, opened_at, ended_at, end_kind)"
        " SELECT id, ?2, ?3, ?4, CASE WHEN ?4 IS NULL THEN NULL WHEN ?5 THEN 'dissolution'"
        " ELSE 'prorogation' END FROM parliaments WHERE number = ?1"
        " ON CONFLICT (parliament_id, number) DO UPDATE SET opened_at = excluded.opened_at,"
        " ended_at = excluded.ended_at, end_kind = excluded.end_kind";
    static const char idsql[] = "SELECT s.id FROM sessions s JOIN parliaments p"
                                " ON p.id = s.parliament_id WHERE p.number = ?1 AND s.number = ?2";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_SESSION_PUT, sql, e);
    if (!st)
        goto out;
    sqlite3_bind_int(st, 1, ses->parliament);
    sqlite3_bind_int(st, 2, ses->number);
    sqlite3_bind_int64(st, 3, ses->opened_at);
    sq_bind_opt(st, 4, ses->ended_at);
    sqlite3_bind_int(st, 5, ses->dissolved);
    if ((r = sq_step_done(c, st, "session put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_SESSION_ID, idsql, e)))
        goto out;
    sqlite3_bind_int(st, 1, ses->parliament);
    sqlite3_bind_int(st, 2, ses->number);
    r = sq_step_id(c, st, &ses->id, "session id", e);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_member_put(struct store *base, struct member *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO members (key, first_name, last_name, honorific, constituency_en,"
        " constituency_fr, province, caucus_en, caucus_fr, is_speaker)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT (key) DO UPDATE SET first_name = excluded.first_name,"
        " last_name = excluded.last_name, honorific = excluded.honorific,"
        " constituency_en = excluded.constituency_en, constituency_fr = excluded.constituency_fr,"
        " province = excluded.province, caucus_en = excluded.caucus_en,"
        " caucus_fr = excluded.caucus_fr, is_speaker = excluded.is_speaker";
    static const char idsql[] = "SELECT id FROM members WHERE key = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_MEMBER_PUT, sql, e);
    if (!st)
        goto out;
    sq_bind_text(st, 1, m->key);
    sq_bind_text(st, 2, m->first_name);
    sq_bind_text(st, 3, m->last_name);
    sq_bind_text(st, 4, m->honorific ? m->honorific : "");
    sq_bind_text(st, 5, m->constituency[LANG_EN]);
    sq_bind_text(st, 6, m->constituency[LANG_FR]);
    sq_bind_text(st, 7, region_code(m->province));
    sq_bind_text(st, 8, m->caucus[LANG_EN]);
    sq_bind_text(st, 9, m->caucus[LANG_FR]);
    sqlite3_bind_int(st, 10, m->is_speaker);
    if ((r = sq_step_done(c, st, "member put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_MEMBER_ID, idsql, e)))
        goto out;
    sq_bind_text(st, 1, m->key);
    r = sq_step_id(c, st, &m->id, "member id", e);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_ministry_put(struct store *base, struct ministry *m, struct err *e)
{
    static const char sql[] = "INSERT INTO ministries (code, title_en, title_fr) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (code) DO UPDATE SET title_en = excluded.title_en,"
                              " title_fr = excluded.title_fr";
    static const char idsql[] = "SELECT id FROM ministries WHERE code = ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_MINISTRY_PUT, sql, e);
    if (!st)
        goto out;
    sq_bind_text(st, 1, m->code);
    sq_bind_text(st, 2, m->title[LANG_EN]);
    sq_bind_text(st, 3, m->title[LANG_FR]);
    if ((r = sq_step_done(c, st, "ministry put", e)))
        goto out;
    r = ERR_STORE;
    if (!(st = sq_prep(c, Q_MINISTRY_ID, idsql, e)))
        goto out;
    sq_bind_text(st, 1, m->code);
    r = sq_step_id(c, st, &m->id, "ministry id", e);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_minister_put(struct store *base, struct minister *m, struct err *e)
{
    static const char sql[] =
        "INSERT INTO ministers (ministry_id, name, from_at, to_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (ministry_id, name, from_at) DO UPDATE SET to_at = excluded.to_at"
        " RETURNING id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_MINISTER_PUT, sql, e);
    if (st) {
        sqlite3_bind_int64(st, 1, m->ministry_id);
        sq_bind_text(st, 2, m->name);
        sqlite3_bind_int64(st, 3, m->from_at);
        sq_bind_opt(st, 4, m->to_at);
        r = sq_step_id(c, st, &m->id, "minister put", e);
    }
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_subject_put(struct store *base, struct subject *sub, struct err *e)
{
    static const char sql[] = "INSERT INTO subjects (code, name_en, name_fr) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en,"
                              " name_fr = excluded.name_fr RETURNING id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_SUBJECT_PUT, sql, e);
    if (st) {
        sq_bind_text(st, 1, sub->code);
        sq_bind_text(st, 2, sub->name[LANG_EN]);
        sq_bind_text(st, 3, sub->name[LANG_FR]);
        r = sq_step_id(c, st, &sub->id, "subject put", e);
    }
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_keyword_put(struct store *base, struct keyword *k, struct err *e)
{
    static const char sql[] = "INSERT INTO keywords (slug, name_en, name_fr) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en,"
                              " name_fr = excluded.name_fr RETURNING id";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int r = ERR_STORE;
    sqlite3_stmt *st = sq_prep(c, Q_KEYWORD_PUT, sql, e);
    if (st) {
        sq_bind_text(st, 1, k->slug);
        sq_bind_text(st, 2, k->name[LANG_EN]);
        sq_bind_text(st, 3, k->name[LANG_FR]);
        r = sq_step_id(c, st, &k->id, "keyword put", e);
    }
    sq_conn_put(s, c);
    return r;
}

/* ---- petitions: insert ----------------------------------------------------------- */

/* The id of a record by natural key, or 0 when key is NULL. */
static int
lookup_id(struct conn *c, enum stmt_id id, const char *sql, const char *key, int64_t *out,
          struct err *e)
{
    *out = 0;
    if (!key)
        return 0;
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    if (!st)
        return ERR_STORE;
    sq_bind_text(st, 1, key);
    int r = sq_step_id(c, st, out, key, e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown reference %s", key);
    return r;
}

static int
insert_children(struct conn *c, const struct petition *p, struct err *e)
{
    static const char grievance_sql[] =
        "INSERT INTO petition_grievances (petition_id, position, text_en, text_fr)"
        " VALUES (?1, ?2, ?3, ?4)";
    static const char keyword_sql[] = "INSERT INTO petition_keywords (petition_id, keyword_id)"
                                      " SELECT ?1, id FROM keywords WHERE slug = ?2";
    static const char count_sql[] =
        "INSERT INTO petition_counts (petition_id, region, count, base) VALUES (?1, ?2, ?3, ?3)";
    static const char response_sql[] =
        "INSERT INTO responses (petition_id, ministry_id, signed_by, text_en, text_fr, tabled_at)"
        " SELECT ?1, id, ?3, ?4, ?5, ?6 FROM ministries WHERE code = ?2";
    sqlite3_stmt *st;
    int r;

    for (int i = 0; i < p->grievance_count; i++) {
        if (!(st = sq_prep(c, Q_GRIEVANCE_INSERT, grievance_sql, e)))
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int(st, 2, i + 1);
        sq_bind_text(st, 3, p->grievances[i].text[LANG_EN]);
        sq_bind_text(st, 4, p->grievances[i].text[LANG_FR]);
        if ((r = sq_step_done(c, st, "grievance insert", e)))
            return r;
    }
    for (int i = 0; i < p->keyword_count; i++) {
        if (!(st = sq_prep(c, Q_PETITION_KEYWORD_INSERT, keyword_sql, e)))
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sq_bind_text(st, 2, p->keywords[i].slug);
        if ((r = sq_step_done(c, st, "petition keyword insert", e)))
            return r;
        if (sqlite3_changes(c->db) != 1)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown keyword %s",
                           p->keywords[i].slug);
    }
    if (p->kind == PETITION_ELECTRONIC) {
        for (int i = 0; i < REGION_COUNT; i++) {
            if (!(st = sq_prep(c, Q_COUNT_INSERT, count_sql, e)))
                return ERR_STORE;
            sqlite3_bind_int64(st, 1, p->id);
            sq_bind_text(st, 2, region_code((enum region)i));
            sqlite3_bind_int64(st, 3, p->region_counts[i]);
            if ((r = sq_step_done(c, st, "count insert", e)))
                return r;
        }
    }
    if (p->has_response) {
        if (!(st = sq_prep(c, Q_RESPONSE_INSERT, response_sql, e)))
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sq_bind_text(st, 2, p->response.ministry.code);
        sq_bind_text(st, 3, p->response.signed_by);
        sq_bind_text(st, 4, p->response.text[LANG_EN]);
        sq_bind_text(st, 5, p->response.text[LANG_FR]);
        sqlite3_bind_int64(st, 6, p->response.tabled_at);
        if ((r = sq_step_done(c, st, "response insert", e)))
            return r;
        if (sqlite3_changes(c->db) != 1)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown ministry %s",
                           p->response.ministry.code);
    }
    return 0;
}

/* The timeline: one event per date the record carries. */
static int
insert_events(struct conn *c, const struct petition *p, struct err *e)
{
    static const char sql[] =
        "INSERT INTO petition_events (petition_id, at, state) VALUES (?1, ?2, ?3)";
    struct {
        int64_t at;
        enum petition_state state;
    } ev[] = {
        {p->opened_at, PETITION_OPEN},
        {p->closes_at && p->state != PETITION_OPEN && p->state != PETITION_CLOSED_UPON_DISSOLUTION
             ? p->closes_at
             : 0,
         PETITION_WAITING_FOR_CERTIFICATION},
        {p->certified_at, PETITION_CERTIFIED},
        {p->presented_at, PETITION_PRESENTED},
        {p->has_response ? p->response.tabled_at : 0, PETITION_RESPONSE_TABLED},
    };
    int r;
    for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
        if (!ev[i].at || ev[i].state == p->state)
            continue;
        sqlite3_stmt *st = sq_prep(c, Q_EVENT_INSERT, sql, e);
        if (!st)
            return ERR_STORE;
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int64(st, 2, ev[i].at);
        sq_bind_text(st, 3, petition_state_name(ev[i].state));
        if ((r = sq_step_done(c, st, "event insert", e)))
            return r;
    }
    /* The current state last, at the time it was entered. */
    sqlite3_stmt *st = sq_prep(c, Q_EVENT_INSERT, sql, e);
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_int64(st, 2, p->state_changed_at);
    sq_bind_text(st, 3, petition_state_name(p->state));
    return sq_step_done(c, st, "event insert", e);
}

static int
sqlite_petition_insert(struct store *base, struct petition *p, struct err *e)
{
    static const char member_sql[] = "SELECT id FROM members WHERE key = ?1";
    static const char ministry_sql[] = "SELECT id FROM ministries WHERE code = ?1";
    static const char subject_sql[] = "SELECT id FROM subjects WHERE code = ?1";
    static const char session_sql[] =
        "SELECT s.id FROM sessions s JOIN parliaments p ON p.id = s.parliament_id"
        " WHERE p.number = ?1 AND s.number = ?2";
    static const char sql[] =
        "INSERT INTO petitions (kind, e_number, state, state_changed_at, parliament_id,"
        " session_id, subject_id, original_language, addressee_type, addressee_ministry_id,"
        " addressee_member_id, petitioner_name, petitioner_city, petitioner_province,"
        " authorizing_member_id, prayer_en, prayer_fr, signature_period_days, created_at,"
        " opened_at, closes_at, certified_at, presented_at, presented_session_id,"
        " presented_sequence, presenting_member_id, committee_en, committee_fr,"
        " signature_total, is_demo, certify_threshold, grace_hours, response_ministry_id)"
        " SELECT ?1, ?2, ?3, ?4, s.parliament_id, s.id, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,"
        " ?31, ?32, ?33"
        " FROM sessions s WHERE s.id = ?6";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    int64_t session_id = 0, pres_session_id = 0, subject_id = 0, ministry_id = 0;
    int64_t addr_member_id = 0, auth_member_id = 0, pres_member_id = 0;
    int r;
    sqlite3_stmt *st;

    /* Natural keys to ids (the session's key is "parliament-session"). */
    if ((r = lookup_id(c, Q_SUBJECT_ID, subject_sql, p->subject.code, &subject_id, e)) ||
        (r = lookup_id(c, Q_MINISTRY_ID, ministry_sql,
                       p->addressee == ADDRESSEE_MINISTER ? p->addressee_ministry.code : NULL,
                       &ministry_id, e)) ||
        (r = lookup_id(c, Q_MEMBER_ID, member_sql,
                       p->addressee == ADDRESSEE_MEMBER ? p->addressee_member.key : NULL,
                       &addr_member_id, e)) ||
        (r = lookup_id(c, Q_MEMBER_ID, member_sql,
                       p->has_authorizing_member ? p->authorizing_member.key : NULL,
                       &auth_member_id, e)) ||
        (r = lookup_id(c, Q_MEMBER_ID, member_sql,
                       p->has_presenting_member ? p->presenting_member.key : NULL,
                       &pres_member_id, e)))
        goto out;
    if (!(st = sq_prep(c, Q_SESSION_ID, session_sql, e))) {
        r = ERR_STORE;
        goto out;
    }
    sqlite3_bind_int(st, 1, p->parliament);
    sqlite3_bind_int(st, 2, p->session);
    if ((r = sq_step_id(c, st, &session_id, "session", e)))
        goto out;
    if (p->has_presented_number) {
        if (!(st = sq_prep(c, Q_SESSION_ID, session_sql, e))) {
            r = ERR_STORE;
            goto out;
        }
        sqlite3_bind_int(st, 1, p->presented_number.parliament);
        sqlite3_bind_int(st, 2, p->presented_number.session);
        if ((r = sq_step_id(c, st, &pres_session_id, "presented session", e)))
            goto out;
    }

    if (!(st = sq_prep(c, Q_PETITION_INSERT, sql, e))) {
        r = ERR_STORE;
        goto out;
    }
    sq_bind_text(st, 1, petition_kind_name(p->kind));
    sq_bind_opt(st, 2, p->e_number);
    sq_bind_text(st, 3, petition_state_name(p->state));
    sqlite3_bind_int64(st, 4, p->state_changed_at);
    sqlite3_bind_int64(st, 6, session_id);
    sq_bind_opt(st, 7, subject_id);
    sq_bind_text(st, 8, lang_code(p->original_language));
    sq_bind_text(st, 9, addressee_type_name(p->addressee));
    sq_bind_opt(st, 10, ministry_id);
    sq_bind_opt(st, 11, addr_member_id);
    sq_bind_text(st, 12, p->petitioner_name);
    sq_bind_text(st, 13, p->petitioner_city);
    sq_bind_text(st, 14, p->petitioner_name ? region_code(p->petitioner_province) : NULL);
    sq_bind_opt(st, 15, auth_member_id);
    sq_bind_text(st, 16, p->prayer[LANG_EN]);
    sq_bind_text(st, 17, p->prayer[LANG_FR]);
    sq_bind_opt(st, 18, p->signature_period_days);
    sqlite3_bind_int64(st, 19, p->created_at);
    sq_bind_opt(st, 20, p->opened_at);
    sq_bind_opt(st, 21, p->closes_at);
    sq_bind_opt(st, 22, p->certified_at);
    sq_bind_opt(st, 23, p->presented_at);
    sq_bind_opt(st, 24, pres_session_id);
    sq_bind_opt(st, 25, p->has_presented_number ? p->presented_number.sequence : 0);
    sq_bind_opt(st, 26, pres_member_id);
    sq_bind_text(st, 27, p->committee[LANG_EN]);
    sq_bind_text(st, 28, p->committee[LANG_FR]);
    sqlite3_bind_int64(st, 29, p->signature_total);
    sqlite3_bind_int(st, 30, p->is_demo);
    if (p->rules_fixed) {
        sqlite3_bind_int(st, 31, p->certify_threshold);
        sqlite3_bind_int(st, 32, p->grace_hours);
    }
    sq_bind_opt(st, 33, p->response_ministry_id);
    if ((r = sq_step_done(c, st, "petition insert", e)))
        goto out;
    p->id = sqlite3_last_insert_rowid(c->db);
    if ((r = insert_children(c, p, e)) || (r = insert_events(c, p, e)))
        goto out;
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- petitions: read ----------------------------------------------------------------- */

/* The columns every petition read selects, in the order row_to_petition()
 * reads them.  p = petitions, ses/par = its session and Parliament, sub =
 * subject, am = addressee ministry, ps/pp = presented session/Parliament. */
#define PETITION_COLUMNS                                                                       \
    "p.id, p.kind, p.e_number, p.state, p.state_changed_at, par.number, ses.number,"           \
    " sub.id, sub.code, sub.name_en, sub.name_fr, p.original_language, p.addressee_type,"      \
    " am.id, am.code, am.title_en, am.title_fr, p.addressee_member_id,"                        \
    " p.petitioner_name, p.petitioner_city, p.petitioner_province, p.authorizing_member_id,"  \
    " p.prayer_en, p.prayer_fr, p.signature_period_days, p.created_at, p.opened_at,"         \
    " p.closes_at, p.certified_at, p.presented_at, pp.number, ps.number,"                     \
    " p.presented_sequence, p.presenting_member_id, p.committee_en, p.committee_fr,"         \
    " p.signature_total, p.is_demo, p.certify_threshold, p.grace_hours,"                      \
    " p.response_ministry_id, p.erased_at"
#define PETITION_JOINS                                                                         \
    " FROM petitions p JOIN parliaments par ON par.id = p.parliament_id"                      \
    " LEFT JOIN sessions ses ON ses.id = p.session_id"                                        \
    " LEFT JOIN subjects sub ON sub.id = p.subject_id"                                        \
    " LEFT JOIN ministries am ON am.id = p.addressee_ministry_id"                             \
    " LEFT JOIN sessions ps ON ps.id = p.presented_session_id"                                \
    " LEFT JOIN parliaments pp ON pp.id = ps.parliament_id"

static int
load_member(struct conn *c, struct arena *a, int64_t id, struct member *m, struct err *e)
{
    static const char sql[] =
        "SELECT " SQ_MEMBER_COLUMNS " FROM members WHERE id = ?1";
    sqlite3_stmt *st = sq_prep(c, Q_MEMBER_BY_ID, sql, e);
    int r = 0;
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sq_read_member(st, a, m);
    } else {
        r = sq_db_error(e, c->db, "member");
    }
    sq_done(st);
    return r;
}

/* Fill p from the current row of st (selected with PETITION_COLUMNS), then
 * load the Members it names. */
static int
row_to_petition(struct conn *c, sqlite3_stmt *st, struct arena *a, struct petition *p,
                struct err *e)
{
    const char *t;
    int64_t addr_member, auth_member, pres_member;
    int r;

    memset(p, 0, sizeof(*p));
    p->id = col_i64(st, 0);
    t = (const char *)sqlite3_column_text(st, 1);
    petition_kind_from_name(t ? t : "", t ? strlen(t) : 0, &p->kind);
    p->e_number = (long)col_i64(st, 2);
    t = (const char *)sqlite3_column_text(st, 3);
    if (!t || petition_state_from_name(t, strlen(t), &p->state))
        return err_set(e, ERR_STORE, "error.store", NULL, "petition %lld: bad state",
                       (long long)p->id);
    p->state_changed_at = col_i64(st, 4);
    p->parliament = sqlite3_column_int(st, 5);
    p->session = sqlite3_column_int(st, 6);
    p->subject.id = col_i64(st, 7);
    p->subject.code = sq_col_text(st, 8, a);
    p->subject.name[LANG_EN] = sq_col_text(st, 9, a);
    p->subject.name[LANG_FR] = sq_col_text(st, 10, a);
    t = (const char *)sqlite3_column_text(st, 11);
    p->original_language = t && t[0] == 'f' ? LANG_FR : LANG_EN;
    t = (const char *)sqlite3_column_text(st, 12);
    addressee_type_from_name(t ? t : "", t ? strlen(t) : 0, &p->addressee);
    p->addressee_ministry.id = col_i64(st, 13);
    p->addressee_ministry.code = sq_col_text(st, 14, a);
    p->addressee_ministry.title[LANG_EN] = sq_col_text(st, 15, a);
    p->addressee_ministry.title[LANG_FR] = sq_col_text(st, 16, a);
    addr_member = col_i64(st, 17);
    p->petitioner_name = sq_col_text(st, 18, a);
    p->petitioner_city = sq_col_text(st, 19, a);
    p->petitioner_province = col_region(st, 20);
    auth_member = col_i64(st, 21);
    p->prayer[LANG_EN] = sq_col_text(st, 22, a);
    p->prayer[LANG_FR] = sq_col_text(st, 23, a);
    p->signature_period_days = sqlite3_column_int(st, 24);
    p->created_at = col_i64(st, 25);
    p->opened_at = col_i64(st, 26);
    p->closes_at = col_i64(st, 27);
    p->certified_at = col_i64(st, 28);
    p->presented_at = col_i64(st, 29);
    if (sqlite3_column_type(st, 32) != SQLITE_NULL) {
        p->has_presented_number = true;
        p->presented_number.parliament = sqlite3_column_int(st, 30);
        p->presented_number.session = sqlite3_column_int(st, 31);
        p->presented_number.sequence = sqlite3_column_int(st, 32);
    }
    pres_member = col_i64(st, 33);
    p->committee[LANG_EN] = sq_col_text(st, 34, a);
    p->committee[LANG_FR] = sq_col_text(st, 35, a);
    p->signature_total = col_i64(st, 36);
    p->is_demo = sqlite3_column_int(st, 37) != 0;
    p->rules_fixed = sqlite3_column_type(st, 39) != SQLITE_NULL;
    p->certify_threshold = sqlite3_column_int(st, 38);
    p->grace_hours = p->rules_fixed ? sqlite3_column_int(st, 39) : -1;
    p->response_ministry_id = col_i64(st, 40);
    p->erased_at = col_i64(st, 41);

    /* The row's statement stays positioned: the member statement is another. */
    if (addr_member && (r = load_member(c, a, addr_member, &p->addressee_member, e)))
        return r;
    if (auth_member) {
        p->has_authorizing_member = true;
        if ((r = load_member(c, a, auth_member, &p->authorizing_member, e)))
            return r;
    }
    if (pres_member) {
        p->has_presenting_member = true;
        if ((r = load_member(c, a, pres_member, &p->presenting_member, e)))
            return r;
    }
    return 0;
}

static int
load_details(struct conn *c, struct arena *a, struct petition *p, struct err *e)
{
    static const char grievances_sql[] = "SELECT text_en, text_fr FROM petition_grievances"
                                         " WHERE petition_id = ?1 ORDER BY position";
    static const char keywords_sql[] =
        "SELECT k.id, k.slug, k.name_en, k.name_fr FROM petition_keywords pk"
        " JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = ?1 ORDER BY k.name_en";
    static const char counts_sql[] =
        "SELECT region, count FROM petition_counts WHERE petition_id = ?1";
    static const char response_sql[] =
        "SELECT m.id, m.code, m.title_en, m.title_fr, r.signed_by, r.text_en, r.text_fr,"
        " r.tabled_at FROM responses r JOIN ministries m ON m.id = r.ministry_id"
        " WHERE r.petition_id = ?1";
    static const char events_sql[] =
        "SELECT at, state FROM petition_events WHERE petition_id = ?1 ORDER BY at, id";
    sqlite3_stmt *st;
    int rc, n, cap;

    if (!(st = sq_prep(c, Q_GRIEVANCES, grievances_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    n = 0;
    cap = 8;
    p->grievances = arena_calloc(a, (size_t)cap, sizeof(*p->grievances));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            p->grievances = arena_realloc(a, p->grievances, (size_t)cap * sizeof(*p->grievances),
                                          (size_t)cap * 2 * sizeof(*p->grievances));
            cap *= 2;
        }
        p->grievances[n].text[LANG_EN] = sq_col_text(st, 0, a);
        p->grievances[n].text[LANG_FR] = sq_col_text(st, 1, a);
        n++;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "grievances");
    p->grievance_count = n;

    if (!(st = sq_prep(c, Q_PETITION_KEYWORDS, keywords_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    n = 0;
    cap = 8;
    p->keywords = arena_calloc(a, (size_t)cap, sizeof(*p->keywords));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            p->keywords = arena_realloc(a, p->keywords, (size_t)cap * sizeof(*p->keywords),
                                        (size_t)cap * 2 * sizeof(*p->keywords));
            cap *= 2;
        }
        p->keywords[n].id = col_i64(st, 0);
        p->keywords[n].slug = sq_col_text(st, 1, a);
        p->keywords[n].name[LANG_EN] = sq_col_text(st, 2, a);
        p->keywords[n].name[LANG_FR] = sq_col_text(st, 3, a);
        n++;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "keywords");
    p->keyword_count = n;

    if (!(st = sq_prep(c, Q_COUNTS, counts_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        p->region_counts[col_region(st, 0)] = col_i64(st, 1);
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "counts");

    if (!(st = sq_prep(c, Q_RESPONSE, response_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        p->has_response = true;
        p->response.ministry.id = col_i64(st, 0);
        p->response.ministry.code = sq_col_text(st, 1, a);
        p->response.ministry.title[LANG_EN] = sq_col_text(st, 2, a);
        p->response.ministry.title[LANG_FR] = sq_col_text(st, 3, a);
        p->response.signed_by = sq_col_text(st, 4, a);
        p->response.text[LANG_EN] = sq_col_text(st, 5, a);
        p->response.text[LANG_FR] = sq_col_text(st, 6, a);
        p->response.tabled_at = col_i64(st, 7);
        rc = SQLITE_DONE;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "response");

    if (!(st = sq_prep(c, Q_EVENTS, events_sql, e)))
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    n = 0;
    cap = 8;
    p->events = arena_calloc(a, (size_t)cap, sizeof(*p->events));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        enum petition_state state;
        if (!t || petition_state_from_name(t, strlen(t), &state))
            continue; /* a state this build does not know: not shown */
        if (n == cap) {
            p->events = arena_realloc(a, p->events, (size_t)cap * sizeof(*p->events),
                                      (size_t)cap * 2 * sizeof(*p->events));
            cap *= 2;
        }
        p->events[n].at = col_i64(st, 0);
        p->events[n].state = state;
        n++;
    }
    sq_done(st);
    if (rc != SQLITE_DONE)
        return sq_db_error(e, c->db, "events");
    p->event_count = n;
    return 0;
}

static int
sqlite_petition_get(struct store *base, struct arena *a, const struct petition_number *n,
                    struct petition *out, struct err *e)
{
    static const char by_e[] = "SELECT " PETITION_COLUMNS PETITION_JOINS " WHERE p.e_number = ?1";
    static const char by_presented[] = "SELECT " PETITION_COLUMNS PETITION_JOINS
                                       " WHERE pp.number = ?1 AND ps.number = ?2"
                                       " AND p.presented_sequence = ?3";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = ERR_STORE;

    if (n->kind == PETITION_NUMBER_E) {
        if (!(st = sq_prep(c, Q_PETITION_BY_E, by_e, e)))
            goto out;
        sqlite3_bind_int64(st, 1, n->e_number);
    } else {
        if (!(st = sq_prep(c, Q_PETITION_BY_PRESENTED, by_presented, e)))
            goto out;
        sqlite3_bind_int(st, 1, n->pps.parliament);
        sqlite3_bind_int(st, 2, n->pps.session);
        sqlite3_bind_int(st, 3, n->pps.sequence);
    }
    /* Read in one snapshot: the row and its details. */
    bool own = sq_snapshot_begin(c);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r = row_to_petition(c, st, a, out, e);
        sq_done(st);
        if (!r)
            r = load_details(c, a, out, e);
    } else {
        r = rc == SQLITE_DONE
                ? err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no such petition")
                : sq_db_error(e, c->db, "petition get");
        sq_done(st);
    }
    sq_snapshot_end(c, own);
out:
    sq_conn_put(s, c);
    return r;
}

/* The filters of a list, shared by the page query, the search (?5, below)
 * and their totals.  ?1 public only, ?2 state, ?3 subject code, ?4 keyword
 * slug, ?6 kind, ?10 authorizing Member, ?11 responding ministry, ?12
 * Parliament's number, ?13 session's number, ?14 with a response only. */
#define LIST_WHERE                                                                             \
    " WHERE (?1 = 0 OR p.state IN ('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION',"        \
    " 'NOT_CERTIFIED', 'CERTIFIED', 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION'," \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED'))"                                         \
    " AND (?2 IS NULL OR p.state = ?2)"                                                        \
    " AND (?3 IS NULL OR sub.code = ?3)"                                                       \
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM petition_keywords pk JOIN keywords k"           \
    " ON k.id = pk.keyword_id WHERE pk.petition_id = p.id AND k.slug = ?4))"                   \
    " AND (?6 IS NULL OR p.kind = ?6)"                                                         \
    " AND (?10 = 0 OR p.authorizing_member_id = ?10)"                                          \
    " AND (?11 = 0 OR p.response_ministry_id = ?11)"                                          \
    " AND (?12 = 0 OR par.number = ?12)"                                                       \
    " AND (?13 = 0 OR ses.number = ?13)"                                                       \
    " AND (?14 = 0 OR EXISTS (SELECT 1 FROM responses r WHERE r.petition_id = p.id))"

/* Bind q's filters; with match (a search's FTS5 query, ?5), public
 * petitions only whatever q says. */
static void
bind_query(sqlite3_stmt *st, const struct petition_query *q, const struct strbuf *match)
{
    sqlite3_bind_int(st, 1, q->public_only);
    sq_bind_text(st, 2, q->has_state ? petition_state_name(q->state) : NULL);
    sq_bind_text(st, 3, q->subject_code);
    sq_bind_text(st, 4, q->keyword_slug);
    sq_bind_text(st, 6, q->has_kind ? petition_kind_name(q->kind) : NULL);
    sqlite3_bind_int64(st, 10, q->member_id);
    sqlite3_bind_int64(st, 11, q->response_ministry_id);
    sqlite3_bind_int(st, 12, q->parliament);
    sqlite3_bind_int(st, 13, q->session);
    sqlite3_bind_int(st, 14, q->responded);
    if (match) {
        sqlite3_bind_int(st, 1, 1);
        sqlite3_bind_text(st, 5, match->buf, (int)match->len, SQLITE_TRANSIENT);
    }
}

/*
 * A search (q->text with at least one word) joins the FTS5 index of
 * migration 0007 (petitions_fts, rowid = petitions.id), matched by the
 * query fts5_query_build() writes from the words (?5), and ranks by
 * bm25() with each column weighed: the numbers 10, the title (subject) 8
 * in either language, the keywords 4, the Members' names and ridings 3,
 * the text (whereas clauses and prayer) 2, the response 1.  So a word in
 * a petition's title ranks it above one that only has the word in its
 * response.  Searches see public petitions only, whatever q->public_only.
 */
#define SEARCH_JOIN                                                                            \
    " JOIN (SELECT rowid AS fts_id, bm25(petitions_fts, 10.0, 8.0, 8.0, 4.0, 4.0, 2.0, 2.0,"   \
    " 1.0, 1.0, 3.0) AS fts_rank FROM petitions_fts WHERE petitions_fts MATCH ?5) f"         \
    " ON f.fts_id = p.id"

/* ?7 is the sort (enum petition_sort); relevance without a search is recent. */
#define LIST_ORDER                                                                             \
    " CASE WHEN ?7 IN (0, 4) THEN p.state_changed_at END DESC,"                                \
    " CASE WHEN ?7 = 1 THEN p.state_changed_at END ASC,"                                       \
    " CASE WHEN ?7 = 2 THEN p.signature_total END DESC,"                                       \
    " CASE WHEN ?7 = 3 THEN p.signature_total END ASC, p.id DESC"

static int
sqlite_petition_list(struct store *base, struct arena *a, const struct petition_query *q,
                     struct petition_list *out, struct err *e)
{
    static const char sql[] = "SELECT " PETITION_COLUMNS PETITION_JOINS LIST_WHERE
                              " ORDER BY" LIST_ORDER " LIMIT ?8 OFFSET ?9";
    static const char total_sql[] = "SELECT count(*)" PETITION_JOINS LIST_WHERE;
    static const char search_sql[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS SEARCH_JOIN LIST_WHERE
        " ORDER BY CASE WHEN ?7 = 4 THEN f.fts_rank END," LIST_ORDER " LIMIT ?8 OFFSET ?9";
    static const char search_total_sql[] = "SELECT count(*)" PETITION_JOINS SEARCH_JOIN LIST_WHERE;
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = ERR_STORE, rc, limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20;
    struct search_terms terms;
    struct strbuf match;

    memset(out, 0, sizeof(*out));
    sb_init(&match, a);
    search_terms_split(q->text, q->text ? strlen(q->text) : 0, &terms);
    fts5_query_build(&match, &terms);
    bool search = terms.count > 0;

    bool own = sq_snapshot_begin(c);
    if (!(st = search ? sq_prep(c, Q_PETITION_SEARCH_TOTAL, search_total_sql, e)
                      : sq_prep(c, Q_PETITION_LIST_TOTAL, total_sql, e)))
        goto out;
    bind_query(st, q, search ? &match : NULL);
    if ((r = sq_step_id(c, st, &out->total, "petition total", e)))
        goto out;

    r = ERR_STORE;
    if (!(st = search ? sq_prep(c, Q_PETITION_SEARCH, search_sql, e)
                      : sq_prep(c, Q_PETITION_LIST, sql, e)))
        goto out;
    bind_query(st, q, search ? &match : NULL);
    sqlite3_bind_int(st, 7, (int)q->sort);
    sqlite3_bind_int(st, 8, limit);
    sqlite3_bind_int(st, 9, q->offset > 0 ? q->offset : 0);
    out->items = arena_calloc(a, (size_t)limit, sizeof(*out->items));
    r = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((r = row_to_petition(c, st, a, &out->items[out->count], e)))
            break;
        out->count++;
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "petition list");
    sq_done(st);
out:
    sq_snapshot_end(c, own);
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_petition_numbers(struct store *base, struct arena *a, const struct petition_query *q,
                        struct petition_number **out, int *n, struct err *e)
{
#define NUMBER_COLUMNS "p.kind, p.e_number, pp.number, ps.number, p.presented_sequence"
    static const char sql[] = "SELECT " NUMBER_COLUMNS PETITION_JOINS LIST_WHERE
                              " ORDER BY" LIST_ORDER;
    static const char search_sql[] = "SELECT " NUMBER_COLUMNS PETITION_JOINS SEARCH_JOIN
                                     LIST_WHERE " ORDER BY CASE WHEN ?7 = 4 THEN f.fts_rank END,"
                                     LIST_ORDER;
#undef NUMBER_COLUMNS
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = ERR_STORE, rc, cap = 64;
    struct search_terms terms;
    struct strbuf match;

    *out = NULL;
    *n = 0;
    sb_init(&match, a);
    search_terms_split(q->text, q->text ? strlen(q->text) : 0, &terms);
    fts5_query_build(&match, &terms);
    bool search = terms.count > 0;
    if (!(st = search ? sq_prep(c, Q_PETITION_SEARCH_NUMBERS, search_sql, e)
                      : sq_prep(c, Q_PETITION_NUMBERS, sql, e)))
        goto out;
    bind_query(st, q, search ? &match : NULL);
    sqlite3_bind_int(st, 7, (int)q->sort);
    struct petition_number *v = arena_calloc(a, (size_t)cap, sizeof(*v));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            v = arena_realloc(a, v, (size_t)cap * sizeof(*v), (size_t)cap * 2 * sizeof(*v));
            cap *= 2;
        }
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        struct petition_number *x = &v[(*n)++];
        if (kind && strcmp(kind, "electronic") == 0) {
            x->kind = PETITION_NUMBER_E;
            x->e_number = (long)col_i64(st, 1);
        } else {
            x->kind = PETITION_NUMBER_PRESENTED;
            x->pps.parliament = sqlite3_column_int(st, 2);
            x->pps.session = sqlite3_column_int(st, 3);
            x->pps.sequence = sqlite3_column_int(st, 4);
        }
    }
    *out = v;
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "petition numbers");
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_petition_state_counts(struct store *base, int64_t counts[PETITION_STATE_COUNT],
                             struct err *e)
{
    static const char sql[] = "SELECT state, count(*) FROM petitions GROUP BY state";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st = sq_prep(c, Q_STATE_COUNTS, sql, e);
    int r = ERR_STORE, rc;

    memset(counts, 0, sizeof(int64_t) * PETITION_STATE_COUNT);
    if (!st)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        enum petition_state state;
        if (t && !petition_state_from_name(t, strlen(t), &state) &&
            petition_state_is_public(state))
            counts[state] = col_i64(st, 1);
    }
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "state counts");
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

/* ---- subjects and keywords --------------------------------------------------------- */

/* Subjects and keywords have the same shape: id, code or slug, names in
 * both languages, and (in lists) how many public petitions they hold.
 * One reader fills either from a row selected in that order. */
typedef void (*fill_fn)(void *item, sqlite3_stmt *st, struct arena *a);

static void
fill_subject(void *item, sqlite3_stmt *st, struct arena *a)
{
    struct subject *x = item;
    x->id = col_i64(st, 0);
    x->code = sq_col_text(st, 1, a);
    x->name[LANG_EN] = sq_col_text(st, 2, a);
    x->name[LANG_FR] = sq_col_text(st, 3, a);
    x->petitions = sqlite3_column_count(st) > 4 ? sqlite3_column_int(st, 4) : 0;
}

static void
fill_keyword(void *item, sqlite3_stmt *st, struct arena *a)
{
    struct keyword *x = item;
    x->id = col_i64(st, 0);
    x->slug = sq_col_text(st, 1, a);
    x->name[LANG_EN] = sq_col_text(st, 2, a);
    x->name[LANG_FR] = sq_col_text(st, 3, a);
    x->petitions = sqlite3_column_count(st) > 4 ? sqlite3_column_int(st, 4) : 0;
}

/* Every row of a prepared list statement into an arena array. */
static int
list_rows(struct sqlite_store *s, enum stmt_id id, const char *sql, struct arena *a, size_t size,
          fill_fn fill, void **out, int *n, struct err *e)
{
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    int r = ERR_STORE, rc, cap = 16;
    unsigned char *items;

    *n = 0;
    *out = NULL;
    if (!st)
        goto out;
    items = arena_calloc(a, (size_t)cap, size);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            items = arena_realloc(a, items, (size_t)cap * size, (size_t)cap * 2 * size);
            cap *= 2;
        }
        fill(items + (size_t)(*n)++ * size, st, a);
    }
    *out = items;
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "list");
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

/* The one row a statement selects by its key (?1), or not_found. */
static int
get_row(struct sqlite_store *s, enum stmt_id id, const char *sql, const char *key,
        struct arena *a, void *out, fill_fn fill, const char *not_found, struct err *e)
{
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    int r = ERR_STORE;
    if (!st)
        goto out;
    sq_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        fill(out, st, a);
        r = 0;
    } else if (rc == SQLITE_DONE) {
        r = err_set(e, ERR_NOT_FOUND, not_found, NULL, "not found");
    } else {
        r = sq_db_error(e, c->db, "get");
    }
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_subject_list(struct store *base, struct arena *a, struct subject **out, int *n,
                    struct err *e)
{
    static const char sql[] =
        "SELECT s.id, s.code, s.name_en, s.name_fr,"
        " (SELECT count(*) FROM petitions p WHERE p.subject_id = s.id AND p.state IN "
        PUBLIC_STATES ") FROM subjects s ORDER BY s.name_en";
    return list_rows(sq_ss(base), Q_SUBJECT_LIST, sql, a, sizeof(**out), fill_subject,
                     (void **)out, n, e);
}

static void
read_parliament(sqlite3_stmt *st, struct arena *a, struct parliament *x)
{
    (void)a;
    x->id = col_i64(st, 0);
    x->number = sqlite3_column_int(st, 1);
    x->opened_at = col_i64(st, 2);
    x->dissolved_at = col_i64(st, 3);
    x->petitions = sqlite3_column_int(st, 4);
}

static int
sqlite_parliament_list(struct store *base, struct arena *a, struct parliament **out, int *n,
                       struct err *e)
{
    static const char sql[] =
        "SELECT par.id, par.number, par.opened_at, par.dissolved_at,"
        " (SELECT count(*) FROM petitions p WHERE p.parliament_id = par.id AND p.state IN "
        PUBLIC_STATES ") FROM parliaments par ORDER BY par.number DESC";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_PARLIAMENT_LIST, sql, e);
    COLLECT(struct parliament, out, n, st, a, read_parliament);
    sq_done(st);
out:
    sq_conn_put(s, c);
    return r;
}

static int
sqlite_keyword_list(struct store *base, struct arena *a, struct keyword **out, int *n,
                    struct err *e)
{
    static const char sql[] =
        "SELECT k.id, k.slug, k.name_en, k.name_fr,"
        " (SELECT count(*) FROM petition_keywords pk JOIN petitions p ON p.id = pk.petition_id"
        " WHERE pk.keyword_id = k.id AND p.state IN " PUBLIC_STATES ")"
        " FROM keywords k ORDER BY k.name_en";
    return list_rows(sq_ss(base), Q_KEYWORD_LIST, sql, a, sizeof(**out), fill_keyword,
                     (void **)out, n, e);
}

static int
sqlite_keyword_get(struct store *base, struct arena *a, const char *slug, struct keyword *out,
                   struct err *e)
{
    static const char sql[] = "SELECT id, slug, name_en, name_fr FROM keywords WHERE slug = ?1";
    memset(out, 0, sizeof(*out));
    return get_row(sq_ss(base), Q_KEYWORD_GET, sql, slug, a, out, fill_keyword,
                   "error.keyword_not_found", e);
}

static int
sqlite_subject_get(struct store *base, struct arena *a, const char *code, struct subject *out,
                   struct err *e)
{
    static const char sql[] = "SELECT id, code, name_en, name_fr FROM subjects WHERE code = ?1";
    memset(out, 0, sizeof(*out));
    return get_row(sq_ss(base), Q_SUBJECT_GET, sql, code, a, out, fill_subject,
                   "error.subject_not_found", e);
}

/* ---- Atom feeds ------------------------------------------------------------------------- */

/* The public states, as the lists show them (LIST_WHERE). */
#define FEED_PUBLIC                                                                            \
    " p.state IN ('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED',"        \
    " 'CERTIFIED', 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"                 \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED')"

/* The keywords of petition p->id into p. */
static int
feed_keywords(struct conn *c, struct arena *a, struct petition *p, struct err *e)
{
    static const char sql[] =
        "SELECT k.id, k.slug, k.name_en, k.name_fr FROM petition_keywords pk"
        " JOIN keywords k ON k.id = pk.keyword_id WHERE pk.petition_id = ?1 ORDER BY k.name_en";
    sqlite3_stmt *st = sq_prep(c, Q_FEED_KEYWORDS_OF, sql, e);
    int rc, cap = 8;
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, p->id);
    p->keyword_count = 0;
    p->keywords = arena_calloc(a, (size_t)cap, sizeof(*p->keywords));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->keyword_count == cap) {
            p->keywords = arena_realloc(a, p->keywords, (size_t)cap * sizeof(*p->keywords),
                                        (size_t)cap * 2 * sizeof(*p->keywords));
            cap *= 2;
        }
        fill_keyword(&p->keywords[p->keyword_count++], st, a);
    }
    sq_done(st);
    return rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "feed keywords");
}

/*
 * Three statements rather than one with CASEs: each orders by its own
 * time, newest first, ties by id.  ?1 is the limit, ?2 the keyword.  The
 * responses statement adds the response's columns after PETITION_COLUMNS
 * (42 on).
 */
static int
sqlite_petition_feed(struct store *base, struct arena *a, const struct feed_query *q,
                     struct petition_list *out, struct err *e)
{
    static const char opened_sql[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS
        " WHERE p.kind = 'electronic' AND p.opened_at IS NOT NULL AND" FEED_PUBLIC
        " ORDER BY p.opened_at DESC, p.id DESC LIMIT ?1";
    static const char responses_sql[] =
        "SELECT " PETITION_COLUMNS ", rm.id, rm.code, rm.title_en, rm.title_fr, rsp.signed_by,"
        " rsp.text_en, rsp.text_fr, rsp.tabled_at" PETITION_JOINS
        " JOIN responses rsp ON rsp.petition_id = p.id"
        " JOIN ministries rm ON rm.id = rsp.ministry_id"
        " WHERE" FEED_PUBLIC " ORDER BY rsp.tabled_at DESC, p.id DESC LIMIT ?1";
    static const char keyword_sql[] =
        "SELECT " PETITION_COLUMNS PETITION_JOINS
        " WHERE" FEED_PUBLIC " AND EXISTS (SELECT 1 FROM petition_keywords pk JOIN keywords k"
        " ON k.id = pk.keyword_id WHERE pk.petition_id = p.id AND k.slug = ?2)"
        " ORDER BY p.state_changed_at DESC, p.id DESC LIMIT ?1";
    struct sqlite_store *s = sq_ss(base);
    struct conn *c = sq_conn_get(s);
    sqlite3_stmt *st = NULL;
    int r = ERR_STORE, rc, limit = q->limit > 0 && q->limit <= 100 ? q->limit : 20;

    memset(out, 0, sizeof(*out));
    bool own = sq_snapshot_begin(c);
    switch (q->kind) {
    case FEED_OPENED:
        st = sq_prep(c, Q_FEED_OPENED, opened_sql, e);
        break;
    case FEED_RESPONSES:
        st = sq_prep(c, Q_FEED_RESPONSES, responses_sql, e);
        break;
    case FEED_KEYWORD:
        if ((st = sq_prep(c, Q_FEED_KEYWORD, keyword_sql, e)))
            sq_bind_text(st, 2, q->keyword_slug ? q->keyword_slug : "");
        break;
    }
    if (!st)
        goto out;
    sqlite3_bind_int(st, 1, limit);
    out->items = arena_calloc(a, (size_t)limit, sizeof(*out->items));
    r = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct petition *p = &out->items[out->count];
        if ((r = row_to_petition(c, st, a, p, e)) || (r = feed_keywords(c, a, p, e)))
            break;
        if (q->kind == FEED_RESPONSES) {
            p->has_response = true;
            p->response.ministry.id = col_i64(st, 42);
            p->response.ministry.code = sq_col_text(st, 43, a);
            p->response.ministry.title[LANG_EN] = sq_col_text(st, 44, a);
            p->response.ministry.title[LANG_FR] = sq_col_text(st, 45, a);
            p->response.signed_by = sq_col_text(st, 46, a);
            p->response.text[LANG_EN] = sq_col_text(st, 47, a);
            p->response.text[LANG_FR] = sq_col_text(st, 48, a);
            p->response.tabled_at = col_i64(st, 49);
        }
        out->count++;
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "petition feed");
    sq_done(st);
    out->total = out->count;
out:
    sq_snapshot_end(c, own);
    sq_conn_put(s, c);
    return r;
}

/* ---- the backend ------------------------------------------------------------------------ */

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .migrate = sqlite_migrate,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .savepoint = sqlite_savepoint,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .meta_get = sqlite_meta_get,
    .meta_set = sqlite_meta_set,
    .parliament_put = sqlite_parliament_put,
    .session_put = sqlite_session_put,
    .member_put = sqlite_member_put,
    .ministry_put = sqlite_ministry_put,
    .minister_put = sqlite_minister_put,
    .subject_put = sqlite_subject_put,
    .keyword_put = sqlite_keyword_put,
    .petition_insert = sqlite_petition_insert,
    .petition_get = sqlite_petition_get,
    .petition_list = sqlite_petition_list,
    .petition_numbers = sqlite_petition_numbers,
    .petition_state_counts = sqlite_petition_state_counts,
    .petition_feed = sqlite_petition_feed,
    .subject_list = sqlite_subject_list,
    .keyword_list = sqlite_keyword_list,
    .keyword_get = sqlite_keyword_get,
    .subject_get = sqlite_subject_get,
    .parliament_list = sqlite_parliament_list,
    .member_directory = sq_member_directory,
    .member_list = sq_member_list,
    .member_get = sq_member_get,
    .ministry_list = sq_ministry_list,
    .ministry_get = sq_ministry_get,
    .user_insert = sq_user_insert,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_activate = sq_user_activate,
    .user_set_password = sq_user_set_password,
    .auth_session_insert = sq_auth_session_insert,
    .auth_session_get = sq_auth_session_get,
    .auth_session_delete = sq_auth_session_delete,
    .sign_in_failures = sq_sign_in_failures,
    .sign_in_failures_clear = sq_sign_in_failures_clear,
    .draft_insert = sq_draft_insert,
    .draft_update = sq_draft_update,
    .draft_get = sq_draft_get,
    .draft_latest = sq_draft_latest,
    .draft_list = sq_draft_list,
    .draft_event_add = sq_draft_event_add,
    .supporter_insert = sq_supporter_insert,
    .supporter_update = sq_supporter_update,
    .supporter_delete = sq_supporter_delete,
    .supporter_get = sq_supporter_get,
    .supporter_list = sq_supporter_list,
    .member_request_insert = sq_member_request_insert,
    .member_request_answer = sq_member_request_answer,
    .member_request_list = sq_member_request_list,
    .petition_next_e_number = sq_petition_next_e_number,
    .petition_set_state = sq_petition_set_state,
    .outbox_insert = sq_outbox_insert,
    .outbox_due = sq_outbox_due,
    .outbox_sent = sq_outbox_sent,
    .outbox_retry = sq_outbox_retry,
    .session_current = sq_session_current,
    .user_by_member = sq_user_by_member,
    .petition_brief = sq_petition_brief,
    .petition_closing = sq_petition_closing,
    .petition_e_ids = sq_petition_e_ids,
    .petition_set_queued = sq_petition_set_queued,
    .petition_set_certified = sq_petition_set_certified,
    .petition_count_add = sq_petition_count_add,
    .petition_counts_stored = sq_petition_counts_stored,
    .petition_days = sq_petition_days,
    .region_days_since = sq_region_days_since,
    .checkpoints_start = sqlite_checkpoints_start,
    .petition_recount = sq_petition_recount,
    .petition_counts_fix = sq_petition_counts_fix,
    .signature_insert = sq_signature_insert,
    .signature_get = sq_signature_get,
    .signature_find = sq_signature_find,
    .signature_update = sq_signature_update,
    .signature_recent = sq_signature_recent,
    .signature_list = sq_signature_list,
    .signature_stats = sq_signature_stats,
    .signature_search = sq_signature_search,
    .signature_search_count = sq_signature_search_count,
    .signing_rule_insert = sq_signing_rule_insert,
    .signing_rule_delete = sq_signing_rule_delete,
    .signing_rule_list = sq_signing_rule_list,
    .audit_append = sq_audit_append,
    .audit_list = sq_audit_list,
    .house_status = sq_house_status,
    .session_list = sq_session_list,
    .session_end = sq_session_end,
    .parliament_dissolve = sq_parliament_dissolve,
    .sitting_days = sq_sitting_days,
    .sitting_day_set = sq_sitting_day_set,
    .presentation_next = sq_presentation_next,
    .petition_present = sq_petition_present,
    .response_draft_get = sq_response_draft_get,
    .response_draft_put = sq_response_draft_put,
    .response_table = sq_response_table,
    .state_move_all = sq_state_move_all,
    .mailing_insert = sq_mailing_insert,
    .mailing_source_add = sq_mailing_source_add,
    .mailing_open = sq_mailing_open,
    .mailing_source_next = sq_mailing_source_next,
    .mailing_recipient_add = sq_mailing_recipient_add,
    .mailing_add_supporters = sq_mailing_add_supporters,
    .mailing_add_signatures = sq_mailing_add_signatures,
    .mailing_cursor = sq_mailing_cursor,
    .mailing_batch = sq_mailing_batch,
    .mailing_queued = sq_mailing_queued,
    .mailing_done = sq_mailing_done,
    .mailing_progress = sq_mailing_progress,
    .retention_due = sq_retention_due,
    .retention_erase = sq_retention_erase,
    .retention_prune_mail = sq_retention_prune_mail,
};

int
store_sqlite_open(const char *path, bool create, struct store **out, struct err *e)
{
    struct sqlite_store *s = calloc(1, sizeof(*s));
    int r;
    if (!s)
        die_oom();
    s->base.ops = &sqlite_ops;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->ckpt_mu, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    if (!(s->path = strdup(path)))
        die_oom();
    for (int i = 0; i < POOL_SIZE; i++) {
        /* The first connection creates the file when asked; the others find it. */
        if ((r = conn_open(&s->conns[i], path, create && i == 0, e))) {
            sqlite_close(&s->base);
            return r;
        }
        sqlite3_wal_hook(s->conns[i].db, wal_hook, s);
    }
    /* WAL is a property of the file: set once, kept by SQLite. */
    char *msg = NULL;
    if (sqlite3_exec(s->conns[0].db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK) {
        r = err_set(e, ERR_STORE, "error.store", NULL, "WAL: %s", msg ? msg : "failed");
        sqlite3_free(msg);
        sqlite_close(&s->base);
        return r;
    }
    *out = &s->base;
    return 0;
}
