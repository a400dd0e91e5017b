/*
 * fixtures_pg.c: the fixture helpers that need PostgreSQL itself (ENGINE
 * in fixtures.h), for a harness whose store is PostgreSQL; with
 * fixtures_sqlite.c, the only SQL of the integration tests.  Each helper
 * does what its SQLite twin does, for the same reason (fixtures_sqlite.c
 * says which), on the same tables and columns (the PostgreSQL schema keeps
 * SQLite's): it connects with libpq to h->db, the harness's URI, for one
 * statement (so no connection is left while the server is killed), with
 * every value bound as a parameter.  Where the engines differ:
 *
 *  - LIKE is case-sensitive in PostgreSQL: ILIKE matches an address
 *    prefix with case ignored, as SQLite's LIKE does (for ASCII);
 *  - the write lock (writes_block, writes_resume) is the backend's own:
 *    the row of write_lock that every write transaction locks first
 *    (SELECT ... FOR UPDATE), held by a second connection in an open
 *    transaction;
 *  - the integrity check (database_check) is amcheck's (the extension,
 *    made in a schema of its own, fixture_check, so the application's
 *    schema is left alone): every B-tree index of the schema checked
 *    against its table (bt_index_check with heapallindexed) and every
 *    table's heap (verify_heapam); the broken references are counted as
 *    SQLite's foreign_key_check counts them, over every foreign key of the
 *    schema (PostgreSQL enforces them, but a load with triggers off would
 *    not), by statements made from the catalogue with identifiers quoted
 *    by format('%I'), never from a value.
 *
 *  - every table at once (tables_snapshot) is read as each row's text
 *    (SELECT t::text), hashed here as SQLite's twin hashes its values,
 *    by statements whose table name comes from the catalogue, quoted by
 *    PQescapeIdentifier(); the backend's write lock and the search table
 *    (petitions_search, derived from the petitions) are left out, as
 *    SQLite's index is.
 *
 * A test's database as a whole: database_exists reads pg_database, and
 * database_drop drops it (WITH (FORCE): a connection of a killed server
 * may linger), both on the cluster's maintenance database, postgres,
 * reached with the rest of the URI (host, user).  A database's name is
 * an identifier, which no parameter can hold: drop quotes it with
 * PQescapeIdentifier().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "fixtures_engine.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

/* ---- connections and statements --------------------------------------------------------- */

/* PostgreSQL's notices ("... already exists, skipping") are not news. */
static void
ignore_notice(void *cls, const char *message)
{
    (void)cls;
    (void)message;
}

/* A connection to the database of spec uri, or (maintenance set) to the
 * postgres database of the same cluster; NULL after saying why in msg. */
static PGconn *
connect_to(const char *uri, bool maintenance, char *msg, size_t size)
{
    /* The first "dbname" is the whole URI (expand_dbname); a later one
     * overrides the database it names. */
    const char *keys[] = {"dbname", maintenance ? "dbname" : NULL, NULL};
    const char *values[] = {uri, "postgres", NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (c && PQstatus(c) == CONNECTION_OK) {
        PQsetNoticeProcessor(c, ignore_notice, NULL);
        return c;
    }
    snprintf(msg, size, "%s", c ? PQerrorMessage(c) : "out of memory");
    PQfinish(c);
    return NULL;
}

static PGconn *
db_open(struct harness *h)
{
    char msg[512];
    PGconn *c = connect_to(h->db, false, msg, sizeof(msg));
    if (!c)
        fail_msg("connect to %s: %s", h->db, msg);
    return c;
}

/* A value bound to a statement: an integer, or (text set) a text. */
struct value {
    const char *text;
    int64_t n;
};

enum { VALUES_MAX = 4 };

/* Run sql with v bound (as text: the statement casts where PostgreSQL
 * cannot tell a type from the place); fails the test on an error, and
 * its result (PQclear() it) on success. */
static PGresult *
run(PGconn *c, const char *sql, const struct value *v, int nv)
{
    char numbers[VALUES_MAX][24];
    const char *params[VALUES_MAX];
    assert_true(nv <= VALUES_MAX);
    for (int i = 0; i < nv; i++) {
        if (v[i].text) {
            params[i] = v[i].text;
        } else {
            snprintf(numbers[i], sizeof(numbers[i]), "%" PRId64, v[i].n);
            params[i] = numbers[i];
        }
    }
    PGresult *res = PQexecParams(c, sql, nv, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
        PQclear(res);
        PQfinish(c);
        fail_msg("%s: %s", sql, msg);
    }
    return res;
}

/* The integer of sql's first row (0 when none or NULL). */
static int64_t
query_int(struct harness *h, const char *sql, const struct value *v, int nv)
{
    PGconn *c = db_open(h);
    PGresult *res = run(c, sql, v, nv);
    int64_t n = PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)
                    ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                    : 0;
    PQclear(res);
    PQfinish(c);
    return n;
}

/* Run a statement that changes rows; how many it changed. */
static long
change(struct harness *h, const char *sql, const struct value *v, int nv)
{
    PGconn *c = db_open(h);
    PGresult *res = run(c, sql, v, nv);
    long changed = strtol(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    PQfinish(c);
    return changed;
}

/* ---- a database as a whole ------------------------------------------------------------- */

/* The database that uri names, in out; false when it names none. */
static bool
db_name(const char *uri, char *out, size_t size)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &msg);
    bool found = false;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "dbname") == 0 && o->val && o->val[0]) {
            snprintf(out, size, "%s", o->val);
            found = true;
        }
    if (!opts)
        fprintf(stderr, "fixtures: %s: %s", uri, msg ? msg : "not a connection URI\n");
    PQfreemem(msg);
    PQconninfoFree(opts);
    return found;
}

static bool
pg_database_exists(const char *db)
{
    static const char sql[] = "SELECT count(*) FROM pg_database WHERE datname = $1";
    char name[256], msg[512];
    if (!db_name(db, name, sizeof(name)))
        fail_msg("%s names no database", db);
    PGconn *c = connect_to(db, true, msg, sizeof(msg));
    if (!c)
        fail_msg("connect to the postgres database of %s: %s", db, msg);
    struct value v[] = {{.text = name}};
    PGresult *res = run(c, sql, v, 1);
    bool exists = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
    PQclear(res);
    PQfinish(c);
    return exists;
}

static int
pg_database_drop(const char *db)
{
    char name[256], msg[512];
    if (!db_name(db, name, sizeof(name))) {
        fprintf(stderr, "fixtures: %s names no database to drop\n", db);
        return -1;
    }
    PGconn *c = connect_to(db, true, msg, sizeof(msg));
    if (!c) {
        fprintf(stderr, "fixtures: connect to the postgres database of %s: %s", db, msg);
        return -1;
    }
    int r = -1;
    char *quoted = PQescapeIdentifier(c, name, strlen(name));
    if (quoted) {
        struct strbuf sql;
        sb_init(&sql, NULL);
        sb_adds(&sql, "DROP DATABASE IF EXISTS ");
        sb_adds(&sql, quoted);
        sb_adds(&sql, " WITH (FORCE)");
        char *text = sb_detach(&sql, NULL);
        PGresult *res = PQexec(c, text);
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            r = 0;
        else
            fprintf(stderr, "fixtures: drop database %s: %s", name, PQresultErrorMessage(res));
        PQclear(res);
        free(text);
        PQfreemem(quoted);
    } else {
        fprintf(stderr, "fixtures: quote %s: %s", name, PQerrorMessage(c));
    }
    PQfinish(c);
    return r;
}

/* ---- what the store never reads --------------------------------------------------------- */

static int64_t
pg_drafts_erased(struct harness *h, int64_t at)
{
    static const char sql[] = "SELECT count(*) FROM drafts WHERE CASE WHEN $1::bigint = 0"
                              " THEN erased_at IS NOT NULL ELSE erased_at = $1::bigint END";
    struct value v[] = {{.n = at}};
    return query_int(h, sql, v, 1);
}

static int64_t
pg_outbox_for_signatures(struct harness *h, const char *email_prefix)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE signature_id IN"
                              " (SELECT id FROM signatures WHERE email ILIKE $1::text || '%')";
    struct value v[] = {{.text = email_prefix}};
    return query_int(h, sql, v, 1);
}

static int64_t
pg_outbox_repeated(struct harness *h, const char *kind, const char *to_prefix)
{
    static const char sql[] = "SELECT count(*) FROM (SELECT to_addr FROM outbox"
                              " WHERE kind = $1 AND to_addr ILIKE $2::text || '%'"
                              " GROUP BY to_addr HAVING count(*) > 1) AS repeated";
    struct value v[] = {{.text = kind}, {.text = to_prefix}};
    return query_int(h, sql, v, 2);
}

static int64_t
pg_mailing_queued(struct harness *h, const char *kind, const char *email_prefix)
{
    static const char sql[] = "SELECT count(*) FROM mailing_recipients r JOIN mailings m"
                              " ON m.id = r.mailing_id WHERE m.kind = $1"
                              " AND r.email ILIKE $2::text || '%' AND r.queued_at IS NOT NULL";
    struct value v[] = {{.text = kind}, {.text = email_prefix}};
    return query_int(h, sql, v, 2);
}

static int64_t
pg_petition_days_sum(struct harness *h, long e_number, const char *region)
{
    static const char sql[] = "SELECT coalesce(sum(d.delta), 0) FROM petition_days d"
                              " JOIN petitions p ON p.id = d.petition_id"
                              " WHERE p.e_number = $1 AND d.region = $2";
    struct value v[] = {{.n = e_number}, {.text = region}};
    return query_int(h, sql, v, 2);
}

/* ---- behind petitiond's back ------------------------------------------------------------- */

static void
pg_petition_city_set(struct harness *h, long e_number, const char *city)
{
    static const char sql[] = "UPDATE petitions SET petitioner_city = $2 WHERE e_number = $1";
    struct value v[] = {{.n = e_number}, {.text = city}};
    change(h, sql, v, 2);
}

static void
pg_petition_total_shift(struct harness *h, long e_number, int64_t delta)
{
    static const char sql[] = "UPDATE petitions SET signature_total = signature_total + $2::bigint"
                              " WHERE e_number = $1";
    struct value v[] = {{.n = e_number}, {.n = delta}};
    change(h, sql, v, 2);
}

static long
pg_region_count_shift(struct harness *h, long e_number, const char *region, int64_t delta)
{
    static const char sql[] = "UPDATE petition_counts SET count = count + $3::bigint"
                              " WHERE region = $2"
                              " AND petition_id = (SELECT id FROM petitions WHERE e_number = $1)";
    struct value v[] = {{.n = e_number}, {.text = region}, {.n = delta}};
    return change(h, sql, v, 3);
}

/* What migrations 0012 to 0014 made, dropped (their tables' triggers
 * with them), the newest first. */
static void
pg_log_schema_drop(struct harness *h)
{
    static const char *const sql[] = {"DROP TABLE form_states",
                                      "DROP TABLE mail_stops",
                                      "ALTER TABLE mailing_recipients DROP COLUMN signature_id",
                                      "ALTER TABLE outbox DROP COLUMN unsubscribe",
                                      "ALTER TABLE responses DROP COLUMN signed_by_fr",
                                      "ALTER TABLE response_drafts DROP COLUMN signed_by_fr",
                                      "DROP TABLE log_checkpoints",
                                      "DROP TABLE log_hashes",
                                      "DROP TABLE log_parts",
                                      "DROP TABLE petition_logs",
                                      "ALTER TABLE signatures DROP COLUMN log_index"};
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        change(h, sql[i], NULL, 0);
}

static void
pg_migration_forget(struct harness *h, int version)
{
    static const char sql[] = "DELETE FROM schema_migrations WHERE version = $1";
    struct value v[] = {{.n = version}};
    if (change(h, sql, v, 1) != 1)
        fail_msg("migration %d was not applied", version);
}

static void
pg_petition_closes_at_set(struct harness *h, long e_number, int64_t at)
{
    static const char sql[] = "UPDATE petitions SET closes_at = $2 WHERE e_number = $1";
    struct value v[] = {{.n = e_number}, {.n = at}};
    change(h, sql, v, 2);
}

static void
pg_petition_day_add(struct harness *h, long e_number, const char *day, const char *region,
                    int64_t delta)
{
    static const char sql[] = "INSERT INTO petition_days (petition_id, day, region, delta)"
                              " SELECT id, $2::text, $3::text, $4::bigint FROM petitions"
                              " WHERE e_number = $1";
    struct value v[] = {{.n = e_number}, {.text = day}, {.text = region}, {.n = delta}};
    change(h, sql, v, 4);
}

/* ---- the engine's machinery -------------------------------------------------------------- */

static PGconn *lock_conn; /* the connection holding the write lock, or NULL */

static void
pg_writes_block(struct harness *h)
{
    /* The server's writers may hold the row a moment: wait up to 5 s. */
    static const char begin[] = "BEGIN";
    static const char wait[] = "SET LOCAL lock_timeout = '5s'";
    static const char lock[] = "SELECT id FROM write_lock WHERE id = 1 FOR UPDATE";
    assert_null(lock_conn);
    lock_conn = db_open(h);
    PGconn *c = lock_conn;
    lock_conn = NULL; /* run() closes it on a failure */
    PQclear(run(c, begin, NULL, 0));
    PQclear(run(c, wait, NULL, 0));
    PGresult *res = run(c, lock, NULL, 0);
    int rows = PQntuples(res);
    PQclear(res);
    if (rows != 1) {
        PQfinish(c);
        fail_msg("write_lock holds no row 1");
    }
    lock_conn = c;
}

static void
pg_writes_resume(struct harness *h)
{
    static const char commit[] = "COMMIT";
    (void)h;
    assert_non_null(lock_conn);
    PGconn *c = lock_conn;
    lock_conn = NULL;
    PQclear(run(c, commit, NULL, 0));
    PQfinish(c);
}

static int64_t
pg_database_check(struct harness *h, char *report, size_t size)
{
    static const char schema[] = "CREATE SCHEMA IF NOT EXISTS fixture_check";
    static const char extension[] = "CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA fixture_check";
    /* Every B-tree index of the schema, with its table's rows all found in
     * it; then the first corruption of any table's heap. */
    static const char indexes[] =
        "SELECT count(fixture_check.bt_index_check(c.oid, true)::text) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
        " WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace";
    static const char heaps[] =
        "SELECT c.relname || ' block ' || v.blkno || ': ' || v.msg"
        " FROM pg_class c, fixture_check.verify_heapam(c.oid) v"
        " WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace LIMIT 1";
    /* One counting statement per foreign key, made from the catalogue: the
     * rows whose key columns are all set and match no row they refer to
     * (MATCH SIMPLE, as SQLite's foreign_key_check). */
    static const char checks[] =
        "SELECT format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS"
        " (SELECT 1 FROM %s p WHERE %s)', k.conrelid::regclass,"
        " (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ')"
        "    FROM unnest(k.conkey) AS u(n)"
        "    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n),"
        " k.confrelid::regclass,"
        " (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')"
        "    FROM unnest(k.conkey, k.confkey) AS u(mine, theirs)"
        "    JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.mine"
        "    JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.theirs))"
        " FROM pg_constraint k WHERE k.contype = 'f'"
        " AND k.connamespace = 'public'::regnamespace ORDER BY k.conname";

    PGconn *c = db_open(h);
    PQclear(run(c, schema, NULL, 0));
    PQclear(run(c, extension, NULL, 0));
    snprintf(report, size, "ok");
    PGresult *res = PQexec(c, indexes);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        snprintf(report, size, "%s", PQresultErrorMessage(res));
    PQclear(res);
    res = run(c, heaps, NULL, 0);
    if (strcmp(report, "ok") == 0 && PQntuples(res) > 0)
        snprintf(report, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);

    int64_t broken = 0;
    PGresult *list = run(c, checks, NULL, 0);
    for (int i = 0; i < PQntuples(list); i++) {
        res = run(c, PQgetvalue(list, i, 0), NULL, 0);
        broken += strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        PQclear(res);
    }
    PQclear(list);
    PQfinish(c);
    return broken;
}

static void
pg_tables_snapshot(struct harness *h, struct fixture_tables *out)
{
    static const char tables[] =
        "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r'"
        " AND c.relnamespace = 'public'::regnamespace"
        " AND c.relname NOT IN ('schema_migrations', 'write_lock', 'petitions_search')"
        " ORDER BY c.relname";
    PGconn *c = db_open(h);
    PGresult *list = run(c, tables, NULL, 0);
    for (int i = 0; i < PQntuples(list) && out->n < FIXTURE_TABLES_MAX; i++) {
        const char *name = PQgetvalue(list, i, 0);
        char *quoted = PQescapeIdentifier(c, name, strlen(name));
        assert_non_null(quoted);
        struct strbuf sql;
        sb_init(&sql, NULL);
        sb_adds(&sql, "SELECT t::text FROM ");
        sb_adds(&sql, quoted);
        sb_adds(&sql, " t");
        PQfreemem(quoted);
        PGresult *res = run(c, sql.buf, NULL, 0);
        sb_release(&sql);
        uint64_t digest = 0;
        for (int r = 0; r < PQntuples(res); r++)
            digest += fixture_hash(FIXTURE_HASH_INIT, PQgetvalue(res, r, 0),
                                   (size_t)PQgetlength(res, r, 0));
        snprintf(out->table[out->n].name, sizeof(out->table[out->n].name), "%s", name);
        out->table[out->n].rows = PQntuples(res);
        out->table[out->n].digest = digest;
        out->n++;
        PQclear(res);
    }
    PQclear(list);
    PQfinish(c);
}

static const char *const pg_spec_prefixes[] = {"postgresql://", "postgres://", NULL};

const struct fixture_engine fixture_engine_pg = {
    .name = "postgresql",
    .spec_prefixes = pg_spec_prefixes,
    .database_exists = pg_database_exists,
    .database_drop = pg_database_drop,
    .drafts_erased = pg_drafts_erased,
    .outbox_for_signatures = pg_outbox_for_signatures,
    .outbox_repeated = pg_outbox_repeated,
    .mailing_queued = pg_mailing_queued,
    .petition_city_set = pg_petition_city_set,
    .petition_total_shift = pg_petition_total_shift,
    .region_count_shift = pg_region_count_shift,
    .petition_closes_at_set = pg_petition_closes_at_set,
    .petition_day_add = pg_petition_day_add,
    .petition_days_sum = pg_petition_days_sum,
    .writes_block = pg_writes_block,
    .writes_resume = pg_writes_resume,
    .database_check = pg_database_check,
    .migration_forget = pg_migration_forget,
    .log_schema_drop = pg_log_schema_drop,
    .tables_snapshot = pg_tables_snapshot,
};
