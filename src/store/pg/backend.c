/*
 * backend.c: the PostgreSQL backend of store.h, the scale-out one:
 * opening and closing the database, its pool of connections (reconnected
 * after the server went away), transactions and savepoints, migrations,
 * and the table (store_pg_backend) that names the areas' tables.  The
 * areas' statements are in the files named after them; the helpers they
 * share are in pg.c.
 *
 * The database is named by a libpq connection URI (postgresql://...,
 * postgres://...; Unix sockets with ?host=/dir; several hosts, with
 * target_session_attrs=read-write to find the primary after a failover).
 * Connections are opened when first lent, so a node holds only the
 * connections it uses, up to the pool's size (--db-pool, or
 * PG_POOL_DEFAULT); an attempt gives up after CONNECT_TIMEOUT seconds
 * unless the URI says otherwise (connect_timeout).  A connection the
 * server dropped (a restart, a failover) is reopened the next time it is
 * lent; while the server is away, lending one fails with ERR_UNAVAILABLE,
 * which the site answers with 503 and Retry-After, and after each failed
 * attempt the next waits a back-off (store.h, store_link_stats()), so a
 * crowd of requests neither waits on a dead host nor hammers a server
 * that is coming back.
 *
 * Write transactions are READ COMMITTED and begin by locking the one row
 * of write_lock, so they are ordered one after another as SQLite's single
 * writer orders them, on every node of a site at once: every rule a use
 * case checks before it writes (one active petition per petitioner, the
 * next e-number) holds as on SQLite, with no transaction left to retry
 * but the lock itself.  Taking the lock is retried on a serialization
 * failure or a deadlock (SQLSTATE 40001, 40P01) with a capped back-off.
 * Reads take no lock: a read of several statements runs in a read-only
 * REPEATABLE READ snapshot (pg.c).
 *
 * Migrations are the embedded files sql/postgresql/NNNN_name.sql, applied
 * in order, each in its own transaction with its row in
 * schema_migrations, under a lock of that table so that two nodes
 * migrating at once apply each file once.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "store/backend.h"
#include "store/pg/pg.h"
#include "lib/metrics.h"
#include "lib/banned.h"

static const char migrations_dir[] = "sql/postgresql/";

/* The pool size for stores opened after this call (--db-pool). */
static int pool_size = PG_POOL_DEFAULT;

void
store_pg_pool_size(int n)
{
    pool_size = n < 1 ? 1 : n > PG_POOL_MAX ? PG_POOL_MAX : n;
}

/* ---- connections ----------------------------------------------------------------------------- */

/* NOTICEs (a migration's "already exists, skipping") are not errors and
 * are not printed. */
static void
notice_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The cause of a failed connection, on one line. */
static void
conn_error(PGconn *db, char *out, size_t n)
{
    const char *m = db ? PQerrorMessage(db) : "out of memory";
    size_t len = 0;
    /* libpq's message spans lines with tabs: one line, single spaces. */
    for (; *m && len + 1 < n; m++) {
        bool space = *m == '\n' || *m == '\t' || *m == ' ';
        if (space && (len == 0 || out[len - 1] == ' '))
            continue;
        out[len++] = space ? ' ' : *m;
    }
    while (len && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
}

/* Settings of every connection: UTC, no NOTICEs, a name in
 * pg_stat_activity.  Statement texts are ours, in UTF-8.  Every
 * execution of a prepared statement is planned for its values: a plan
 * cached while a table was small (a new site's signatures) kept reading
 * a petition's every signature for the rate limits, and intake fell from
 * about 700 to 240 signatures a second within 24 s; planning our small
 * statements costs far less than that. */
static int
conn_setup(struct pg_conn *c, struct err *e)
{
    PQsetNoticeProcessor(c->db, notice_quiet, NULL);
    memset(c->stmts, 0, sizeof(c->stmts));
    c->write_depth = 0;
    c->broken = false;
    return pg_exec(c,
                   "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8';"
                   " SET application_name = 'petitiond'; SET client_min_messages = warning",
                   "connection settings", e);
}

/* Seconds a connection attempt may take when the URI does not say. */
static const char CONNECT_TIMEOUT[] = "5";

/* An attempt's outcome in the link's counts and back-off. */
static void
link_attempted(struct pg_store *s, bool ok)
{
    pthread_mutex_lock(&s->mu);
    if (ok) {
        s->link.connects++;
        s->link.backoff_ms = 0;
        s->retry_at_us = 0;
    } else {
        s->link.connect_failures++;
        int64_t b = s->link.backoff_ms * 2;
        s->link.backoff_ms = b < STORE_BACKOFF_MIN_MS   ? STORE_BACKOFF_MIN_MS
                             : b > STORE_BACKOFF_MAX_MS ? STORE_BACKOFF_MAX_MS
                                                        : b;
        s->retry_at_us = clock_mono_us() + s->link.backoff_ms * 1000;
    }
    pthread_mutex_unlock(&s->mu);
}

static int
conn_open(struct pg_store *s, struct pg_conn *c, struct err *e)
{
    /* The URI's own settings come after the default, so they win. */
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const values[] = {CONNECT_TIMEOUT, s->uri, NULL};
    c->db = PQconnectdbParams(keys, values, 1);
    if (!c->db || PQstatus(c->db) != CONNECTION_OK) {
        char why[200];
        conn_error(c->db, why, sizeof(why));
        PQfinish(c->db);
        c->db = NULL;
        link_attempted(s, false);
        metrics_db_error(ERR_UNAVAILABLE); /* as pg_db_error() counts the others */
        return err_set(e, ERR_UNAVAILABLE, "error.store", NULL, "PostgreSQL: %s", why);
    }
    link_attempted(s, true);
    return conn_setup(c, e);
}

/* Reopen a connection the server dropped, unless the last attempt failed
 * and its back-off is not over. */
static int
conn_revive(struct pg_store *s, struct pg_conn *c, struct err *e)
{
    if (c->db && !c->broken && PQstatus(c->db) == CONNECTION_OK)
        return 0;
    pthread_mutex_lock(&s->mu);
    int64_t wait_us = s->retry_at_us - clock_mono_us();
    if (wait_us > 0)
        s->link.backed_off++;
    pthread_mutex_unlock(&s->mu);
    if (wait_us > 0)
        return err_set(e, ERR_UNAVAILABLE, "error.store", NULL,
                       "PostgreSQL: unreachable at the last attempt; the next in %lld ms",
                       (long long)(wait_us + 999) / 1000);
    /* A connection dropped before (c->db kept, or c->lost) and opened
     * again is a reconnection for the metrics (lib/metrics.h). */
    if (c->db)
        c->lost = true;
    /* A new connection rather than PQreset(): after a failover the
     * multi-host URI must be walked again from its first host. */
    PQfinish(c->db);
    c->db = NULL;
    int r = conn_open(s, c, e);
    if (!r && c->lost) {
        c->lost = false;
        metrics_add(&metrics.db_reconnects, 1);
    }
    return r;
}

static void
pg_link_stats(struct store *base, struct store_link_stats *out)
{
    struct pg_store *s = pg_store(base);
    pthread_mutex_lock(&s->mu);
    *out = s->link;
    pthread_mutex_unlock(&s->mu);
}

static int
pg_conn_take(struct store *base, struct store_conn **out, struct err *e)
{
    struct pg_store *s = pg_store(base);
    struct pg_conn *c = NULL;
    pthread_mutex_lock(&s->mu);
    while (!c) {
        /* An open connection first; a new one only when none is free. */
        for (int i = 0; i < s->pool && !c; i++)
            if (!s->conns[i].busy && s->conns[i].db)
                c = &s->conns[i];
        for (int i = 0; i < s->pool && !c; i++)
            if (!s->conns[i].busy)
                c = &s->conns[i];
        if (!c)
            pthread_cond_wait(&s->cv, &s->mu);
    }
    c->busy = true;
    pthread_mutex_unlock(&s->mu);
    int r = conn_revive(s, c, e);
    if (r) {
        pthread_mutex_lock(&s->mu);
        c->busy = false;
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->mu);
        return r;
    }
    *out = &c->base;
    return 0;
}

static void
pg_conn_give(struct store *base, struct store_conn *conn)
{
    struct pg_store *s = pg_store(base);
    struct pg_conn *c = pg_conn(conn);
    /* A connection goes back in no transaction (a read's snapshot that
     * an error left open, say). */
    if (c->db && PQtransactionStatus(c->db) != PQTRANS_IDLE)
        pg_exec(c, "ROLLBACK", "give back", NULL);
    pthread_mutex_lock(&s->mu);
    c->busy = false;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- transactions ------------------------------------------------------------------------------
 */

enum { LOCK_TRIES = 8 };

static int
pg_begin(struct store_conn *conn, struct err *e)
{
    /* Both in one round trip (the simple query protocol runs them in
     * turn and stops at the first that fails). */
    static const char begin_sql[] = "BEGIN ISOLATION LEVEL READ COMMITTED;"
                                    " SELECT id FROM write_lock WHERE id = 1 FOR UPDATE";
    struct pg_conn *c = pg_conn(conn);
    int r = 0;
    long wait_us = 1000;
    for (int attempt = 0; attempt < LOCK_TRIES; attempt++) {
        if (!(r = pg_exec(c, begin_sql, "begin and write lock", e))) {
            c->write_depth = 0;
            return 0;
        }
        if (c->db && PQtransactionStatus(c->db) != PQTRANS_IDLE)
            pg_exec(c, "ROLLBACK", "rollback", NULL);
        if (r != ERR_CONFLICT)
            return r;
        /* A serialization failure or deadlock (an engine that gives
         * them even here): back off, capped, and try again. */
        struct timespec ts = {0, wait_us * 1000};
        nanosleep(&ts, NULL);
        if (wait_us < 64000)
            wait_us *= 2;
    }
    return r;
}

static int
pg_commit(struct store_conn *conn, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    c->write_depth = 0;
    PGresult *res = PQexec(c->db, "COMMIT");
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int r = 0;
    if (st != PGRES_COMMAND_OK)
        r = pg_db_error(e, c, res, "commit");
    else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
        /* COMMIT of a transaction a failed statement gave up: PostgreSQL
         * rolls it back and says so only in the command tag. */
        r = err_set(e, ERR_STORE, "error.store", NULL,
                    "commit: the transaction had failed and was rolled back");
    PQclear(res);
    if (r && c->db && PQtransactionStatus(c->db) != PQTRANS_IDLE)
        pg_exec(c, "ROLLBACK", "rollback", NULL);
    return r;
}

static void
pg_rollback(struct store_conn *conn)
{
    struct pg_conn *c = pg_conn(conn);
    c->write_depth = 0;
    if (c->db)
        pg_exec(c, "ROLLBACK", "rollback", NULL);
}

static int
pg_savepoint(struct store_conn *conn, enum store_savepoint_kind kind, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    int r;
    switch (kind) {
    case STORE_SAVEPOINT_BEGIN:
        return pg_exec(c, "SAVEPOINT job", "savepoint", e);
    case STORE_SAVEPOINT_RELEASE:
        return pg_exec(c, "RELEASE job", "savepoint release", e);
    case STORE_SAVEPOINT_ROLLBACK:
        if ((r = pg_exec(c, "ROLLBACK TO job", "savepoint rollback", e)))
            return r;
        return pg_exec(c, "RELEASE job", "savepoint release", e);
    }
    return err_set(e, ERR_INTERNAL, "error.internal", NULL, "savepoint kind %d", (int)kind);
}

/* ---- migrations ----------------------------------------------------------------------------- */

static int
version_read(struct pg_conn *c, int *version, struct err *e)
{
    static const char exists_sql[] = "SELECT to_regclass('schema_migrations') IS NOT NULL";
    static const char sql[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
    PGresult *res = pg_run(c, exists_sql, NULL, "schema version", e);
    if (!res)
        return e ? e->code : ERR_STORE;
    bool exists = pg_flag(res, 0, 0);
    PQclear(res);
    *version = 0;
    if (!exists)
        return 0;
    int64_t v = 0;
    int r = pg_run_id(c, sql, NULL, &v, "schema version", e);
    *version = (int)v;
    return r;
}

static int
pg_schema_version(struct store *base, int *version, struct err *e)
{
    struct store_conn *conn;
    int r;
    if ((r = pg_conn_take(base, &conn, e)))
        return r;
    r = version_read(pg_conn(conn), version, e);
    pg_conn_give(base, conn);
    return r;
}

/* Apply migration f (number n) on c in a transaction of its own, with its
 * row in schema_migrations, unless another node applied it first. */
static int
migration_apply(struct pg_conn *c, const struct embedded_file *f, int n, bool *applied,
                struct err *e)
{
    static const char done_sql[] = "SELECT count(*) FROM schema_migrations WHERE version = $1";
    static const char record_sql[] = "INSERT INTO schema_migrations (version, name, applied_at)"
                                     " VALUES ($1, $2, extract(epoch FROM now())::bigint)";
    struct pg_args a = PG_ARGS_INIT;
    int64_t done = 0;
    int r;
    *applied = false;
    if ((r = pg_exec(c, "BEGIN; LOCK TABLE schema_migrations IN EXCLUSIVE MODE", "begin migration",
                     e)))
        return r;
    pg_arg_i64(&a, n);
    if ((r = pg_run_id(c, done_sql, &a, &done, "migration done", e)))
        goto fail;
    if (done) {
        pg_exec(c, "ROLLBACK", "rollback", NULL);
        return 0;
    }
    /* The file is our own SQL, embedded; it may hold several statements.
     * The embedded data ends with a NUL (lib/embed.h). */
    if ((r = pg_exec(c, (const char *)f->data, f->path, e)))
        goto fail;
    a.n = 0;
    pg_arg_i64(&a, n);
    pg_arg_text(&a, f->path + strlen(migrations_dir));
    if ((r = pg_run_done(c, record_sql, &a, NULL, "record migration", e)))
        goto fail;
    if ((r = pg_exec(c, "COMMIT", "commit migration", e)))
        return r;
    *applied = true;
    return 0;
fail:
    pg_exec(c, "ROLLBACK", "rollback", NULL);
    return r;
}

static int
pg_migrate(struct store *base, int *applied_count, struct err *e)
{
    struct store_conn *conn;
    int current = 0, r, last = 0;
    *applied_count = 0;
    if ((r = pg_conn_take(base, &conn, e)))
        return r;
    struct pg_conn *c = pg_conn(conn);
    if ((r = pg_exec(c,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version integer PRIMARY KEY, name text NOT NULL,"
                     " applied_at bigint NOT NULL)",
                     "schema_migrations", e)))
        goto out;
    if ((r = version_read(c, &current, e)))
        goto out;
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        int n;
        bool applied;
        if (strncmp(f->path, migrations_dir, strlen(migrations_dir)) != 0)
            continue;
        if (store_migration_number(f->path, migrations_dir, &n) || n != last + 1) {
            r = err_set(e, ERR_INTERNAL, "error.internal", NULL,
                        "migration %s out of sequence after %d", f->path, last);
            goto out;
        }
        last = n;
        if (n <= current)
            continue;
        if ((r = migration_apply(c, f, n, &applied, e)))
            goto out;
        if (applied)
            (*applied_count)++;
    }
    if (current > last)
        r = err_set(e, ERR_STORE, "error.store", NULL,
                    "database schema %d is newer than this petitiond (%d)", current, last);
out:
    /* Statements prepared before the schema changed are stale. */
    if (c->db) {
        pg_exec(c, "DEALLOCATE ALL", "deallocate", NULL);
        memset(c->stmts, 0, sizeof(c->stmts));
    }
    pg_conn_give(base, conn);
    return r;
}

static int
pg_schema_latest(void)
{
    return store_migrations_count(migrations_dir);
}

/* ---- open and close ------------------------------------------------------------------------- */

static void
pg_close(struct store *base)
{
    struct pg_store *s = pg_store(base);
    if (!s)
        return;
    for (int i = 0; i < s->pool; i++) {
        if (s->conns[i].db)
            PQfinish(s->conns[i].db);
        free(s->conns[i].copy_buf);
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->conns);
    free(s->uri);
    free(s);
}

/* The database name of uri, for CREATE DATABASE; NULL when it names none. */
static char *
uri_dbname(const char *uri)
{
    PQconninfoOption *opts = PQconninfoParse(uri, NULL);
    char *name = NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "dbname") == 0 && o->val && o->val[0])
            name = strdup(o->val);
    PQconninfoFree(opts);
    return name;
}

/* Create the database uri names, connecting to the server's "postgres"
 * database with the same settings (`petitiond migrate` on a new one). */
static int
database_create(const char *uri, struct err *e)
{
    char *name = uri_dbname(uri);
    if (!name)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "PostgreSQL: the URI names no database to create");
    const char *keys[] = {"dbname", "dbname", NULL};
    const char *vals[] = {uri, "postgres", NULL};
    PGconn *db = PQconnectdbParams(keys, vals, 1);
    int r = 0;
    if (PQstatus(db) != CONNECTION_OK) {
        char why[200];
        conn_error(db, why, sizeof(why));
        r = err_set(e, ERR_UNAVAILABLE, "error.store", NULL, "PostgreSQL: %s", why);
        goto out;
    }
    char *ident = PQescapeIdentifier(db, name, strlen(name));
    if (!ident) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "PostgreSQL: bad database name");
        goto out;
    }
    /* An identifier cannot be a bound value; PQescapeIdentifier quotes it. */
    size_t n = strlen(ident) + 64;
    char *sql = malloc(n);
    if (!sql)
        die_oom();
    snprintf(sql, n, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", ident);
    PQfreemem(ident);
    PGresult *res = PQexec(db, sql);
    free(sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    /* 42P04: created meanwhile by another process: fine. */
    if (PQresultStatus(res) != PGRES_COMMAND_OK && !(state && strcmp(state, "42P04") == 0)) {
        char why[200];
        conn_error(db, why, sizeof(why));
        r = err_set(e, ERR_STORE, "error.store", NULL, "PostgreSQL: create database: %s", why);
    }
    PQclear(res);
out:
    PQfinish(db);
    free(name);
    return r;
}

static int
pg_open(const char *uri, bool create, struct store **out, struct err *e)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &msg);
    if (!opts) {
        int r = err_set(e, ERR_INVALID, "error.invalid", NULL, "PostgreSQL URI: %s",
                        msg ? msg : "does not parse");
        if (msg) {
            /* libpq's message ends with a newline. */
            char *nl = strchr(e ? e->log : "", '\n');
            if (nl)
                *nl = '\0';
        }
        PQfreemem(msg);
        return r;
    }
    PQconninfoFree(opts);

    struct pg_store *s = calloc(1, sizeof(*s));
    if (!s)
        die_oom();
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->pool = pool_size;
    if (!(s->conns = calloc((size_t)s->pool, sizeof(s->conns[0]))) || !(s->uri = strdup(uri)))
        die_oom();
    for (int i = 0; i < s->pool; i++)
        s->conns[i].base.store = &s->base;

    /* The first connection now, so a wrong URI or a server that is away
     * is said at once. */
    int r = conn_open(s, &s->conns[0], e);
    if (r && create) {
        /* Whether the database is missing: create it and try again. */
        char *name = uri_dbname(uri);
        bool missing = name && e && strstr(e->log, "does not exist");
        free(name);
        if (missing && !(r = database_create(uri, e)))
            r = conn_open(s, &s->conns[0], e);
    } else if (r && e && strstr(e->log, "does not exist")) {
        size_t len = strlen(e->log);
        snprintf(e->log + len, sizeof(e->log) - len, " (create it with 'petitiond migrate')");
    }
    if (r) {
        pg_close(&s->base);
        return r;
    }
    *out = &s->base;
    return 0;
}

const struct store_backend store_pg_backend = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .conn_take = pg_conn_take,
    .conn_give = pg_conn_give,
    .link_stats = pg_link_stats,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .migrate = pg_migrate,
    .schema_version = pg_schema_version,
    .schema_latest = pg_schema_latest,
    .accounts = &pg_accounts_ops,
    .audit = &pg_audit_ops,
    .drafts = &pg_drafts_ops,
    .house = &pg_house_ops,
    .mail = &pg_mail_ops,
    .meta = &pg_meta_ops,
    .petitions = &pg_petitions_ops,
    .retention = &pg_retention_ops,
    .search = &pg_search_ops,
    .signing = &pg_signing_ops,
    .log = &pg_log_ops,
    .copy = &pg_copy_ops,
};
