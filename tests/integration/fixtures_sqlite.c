/*
 * fixtures_sqlite.c: the fixture helpers that need SQLite itself (ENGINE
 * in fixtures.h), for a harness whose store is SQLite; the only SQL of
 * the integration tests.  Each opens the database file with a connection
 * of its own for one statement (so none is open while the server is
 * killed), and needs SQL for one of these reasons:
 *
 *  - no store function reads it: when a draft's supporters were erased
 *    (drafts_erased: drafts.erased_at is written by the erasure and never
 *    read back), the outbox beyond its unsent e-mails (outbox_for_signatures,
 *    outbox_repeated: what was sent, and about which signature), and the
 *    recipients of a mailing by address (mailing_queued: the store gives
 *    a mailing's progress, not who), and one region's changes of a
 *    petition day by day (petition_days_sum: the store sums the regions);
 *  - a change behind petitiond's back, which no use case makes, so that a
 *    test sees what notices it: the petitioner's city under a kept page
 *    (petition_city_set: the cache), the stored total beside the counts in
 *    memory (petition_total_shift: the reconciliation), one region's
 *    stored count (region_count_shift: `petitiond counts check`);
 *  - a time moved rather than the clock (petition_closes_at_set), and a
 *    day's count for the charts without signatures or counts behind it
 *    (petition_day_add: the store moves the day only with the counts);
 *  - a database as it was before a migration that may run twice
 *    (migration_forget: its record in schema_migrations, which only the
 *    backends' migrate reads and writes);
 *  - the engine's own machinery: its write lock held from outside
 *    (writes_block, writes_resume: BEGIN IMMEDIATE on a second
 *    connection) and its integrity checks (database_check: PRAGMA
 *    integrity_check and foreign_key_check);
 *  - every table at once, whatever it holds (tables_snapshot: the proof
 *    that a refused request wrote nothing anywhere), read by statements
 *    made from the catalogue's table names, quoted as identifiers, never
 *    from a value.
 *
 * A test's database as a whole (database_exists, database_drop) is the
 * file and the files SQLite keeps beside it: no SQL.
 *
 * Every statement is a constant with bound values (house style 14).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "fixtures_engine.h"
#include "lib/banned.h"

/* The file of a store spec: a path, or "sqlite:PATH". */
static const char *
spec_path(const char *db)
{
    return strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
}

static const char *
db_path(const struct harness *h)
{
    return spec_path(h->db);
}

static sqlite3 *
db_open(struct harness *h)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(db_path(h), &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("open %s: %s", db_path(h), db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_busy_timeout(db, 10000);
    return db;
}

/* A value bound to a statement: an integer, or (text set) a text. */
struct value {
    const char *text;
    int64_t n;
};

static sqlite3_stmt *
prepare(sqlite3 *db, const char *sql, const struct value *v, int nv)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    for (int i = 0; i < nv; i++)
        if (v[i].text)
            sqlite3_bind_text(st, i + 1, v[i].text, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(st, i + 1, v[i].n);
    return st;
}

/* The integer of sql's first row (0 when none). */
static int64_t
query_int(struct harness *h, const char *sql, const struct value *v, int nv)
{
    sqlite3 *db = db_open(h);
    sqlite3_stmt *st = prepare(db, sql, v, nv);
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db));
        sqlite3_close(db);
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
    return n;
}

/* Run a statement that changes rows; how many it changed. */
static long
change(struct harness *h, const char *sql, const struct value *v, int nv)
{
    sqlite3 *db = db_open(h);
    sqlite3_stmt *st = prepare(db, sql, v, nv);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    long changed = sqlite3_changes(db);
    if (rc != SQLITE_DONE) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db));
        sqlite3_close(db);
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
    return changed;
}

/* ---- a database as a whole ------------------------------------------------------------- */

static bool
sqlite_database_exists(const char *db)
{
    return access(spec_path(db), F_OK) == 0;
}

static int
sqlite_database_drop(const char *db)
{
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[4096];
    int r = 0;
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", spec_path(db), suffix[i]);
        if (unlink(path) && errno != ENOENT) {
            fprintf(stderr, "fixtures: cannot remove %s: %s\n", path, strerror(errno));
            r = -1;
        }
    }
    return r;
}

/* ---- what the store never reads --------------------------------------------------------- */

static int64_t
sqlite_drafts_erased(struct harness *h, int64_t at)
{
    static const char sql[] = "SELECT count(*) FROM drafts WHERE CASE WHEN ?1 = 0"
                              " THEN erased_at IS NOT NULL ELSE erased_at = ?1 END";
    struct value v[] = {{.n = at}};
    return query_int(h, sql, v, 1);
}

static int64_t
sqlite_outbox_for_signatures(struct harness *h, const char *email_prefix)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE signature_id IN"
                              " (SELECT id FROM signatures WHERE email LIKE ?1 || '%')";
    struct value v[] = {{.text = email_prefix}};
    return query_int(h, sql, v, 1);
}

static int64_t
sqlite_outbox_repeated(struct harness *h, const char *kind, const char *to_prefix)
{
    static const char sql[] = "SELECT count(*) FROM (SELECT to_addr FROM outbox"
                              " WHERE kind = ?1 AND to_addr LIKE ?2 || '%'"
                              " GROUP BY to_addr HAVING count(*) > 1)";
    struct value v[] = {{.text = kind}, {.text = to_prefix}};
    return query_int(h, sql, v, 2);
}

static int64_t
sqlite_mailing_queued(struct harness *h, const char *kind, const char *email_prefix)
{
    static const char sql[] = "SELECT count(*) FROM mailing_recipients r JOIN mailings m"
                              " ON m.id = r.mailing_id WHERE m.kind = ?1"
                              " AND r.email LIKE ?2 || '%' AND r.queued_at IS NOT NULL";
    struct value v[] = {{.text = kind}, {.text = email_prefix}};
    return query_int(h, sql, v, 2);
}

static int64_t
sqlite_petition_days_sum(struct harness *h, long e_number, const char *region)
{
    static const char sql[] = "SELECT coalesce(sum(d.delta), 0) FROM petition_days d"
                              " JOIN petitions p ON p.id = d.petition_id"
                              " WHERE p.e_number = ?1 AND d.region = ?2";
    struct value v[] = {{.n = e_number}, {.text = region}};
    return query_int(h, sql, v, 2);
}

/* ---- behind petitiond's back ------------------------------------------------------------- */

static void
sqlite_petition_city_set(struct harness *h, long e_number, const char *city)
{
    static const char sql[] = "UPDATE petitions SET petitioner_city = ?2 WHERE e_number = ?1";
    struct value v[] = {{.n = e_number}, {.text = city}};
    change(h, sql, v, 2);
}

static void
sqlite_petition_total_shift(struct harness *h, long e_number, int64_t delta)
{
    static const char sql[] = "UPDATE petitions SET signature_total = signature_total + ?2"
                              " WHERE e_number = ?1";
    struct value v[] = {{.n = e_number}, {.n = delta}};
    change(h, sql, v, 2);
}

static long
sqlite_region_count_shift(struct harness *h, long e_number, const char *region, int64_t delta)
{
    static const char sql[] = "UPDATE petition_counts SET count = count + ?3 WHERE region = ?2"
                              " AND petition_id = (SELECT id FROM petitions WHERE e_number = ?1)";
    struct value v[] = {{.n = e_number}, {.text = region}, {.n = delta}};
    return change(h, sql, v, 3);
}

/* What migrations 0012 to 0014 made, dropped (their tables' triggers
 * with them), the newest first. */
static void
sqlite_log_schema_drop(struct harness *h)
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
sqlite_migration_forget(struct harness *h, int version)
{
    static const char sql[] = "DELETE FROM schema_migrations WHERE version = ?1";
    struct value v[] = {{.n = version}};
    if (change(h, sql, v, 1) != 1)
        fail_msg("migration %d was not applied", version);
}

static void
sqlite_petition_closes_at_set(struct harness *h, long e_number, int64_t at)
{
    static const char sql[] = "UPDATE petitions SET closes_at = ?2 WHERE e_number = ?1";
    struct value v[] = {{.n = e_number}, {.n = at}};
    change(h, sql, v, 2);
}

static void
sqlite_petition_day_add(struct harness *h, long e_number, const char *day, const char *region,
                        int64_t delta)
{
    static const char sql[] = "INSERT INTO petition_days (petition_id, day, region, delta)"
                              " SELECT id, ?2, ?3, ?4 FROM petitions WHERE e_number = ?1";
    struct value v[] = {{.n = e_number}, {.text = day}, {.text = region}, {.n = delta}};
    change(h, sql, v, 4);
}

/* ---- the engine's machinery -------------------------------------------------------------- */

static sqlite3 *lock_db; /* the connection holding the write lock, or NULL */

static void
sqlite_writes_block(struct harness *h)
{
    assert_null(lock_db);
    lock_db = db_open(h);
    sqlite3_busy_timeout(lock_db, 5000); /* the server's scheduler may be writing */
    if (sqlite3_exec(lock_db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(lock_db));
        sqlite3_close(lock_db);
        lock_db = NULL;
        fail_msg("BEGIN IMMEDIATE: %s", msg);
    }
}

static void
sqlite_writes_resume(struct harness *h)
{
    (void)h;
    assert_non_null(lock_db);
    int rc = sqlite3_exec(lock_db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(lock_db);
    lock_db = NULL;
    assert_int_equal(rc, SQLITE_OK);
}

static int64_t
sqlite_database_check(struct harness *h, char *report, size_t size)
{
    sqlite3 *db = db_open(h);
    sqlite3_stmt *st = prepare(db, "PRAGMA integrity_check", NULL, 0);
    report[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(report, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return query_int(h, "SELECT count(*) FROM pragma_foreign_key_check", NULL, 0);
}

static void
sqlite_tables_snapshot(struct harness *h, struct fixture_tables *out)
{
    /* The application's tables: not SQLite's own, not the record of
     * migrations, not the search index (a virtual table and its shadow
     * tables, derived from the petitions). */
    static const char tables[] =
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        " AND name <> 'schema_migrations' AND name NOT LIKE 'petitions_fts%' ORDER BY name";
    sqlite3 *db = db_open(h);
    sqlite3_stmt *list = prepare(db, tables, NULL, 0);
    while (sqlite3_step(list) == SQLITE_ROW && out->n < FIXTURE_TABLES_MAX) {
        const char *name = (const char *)sqlite3_column_text(list, 0);
        char sql[200];
        size_t used = (size_t)snprintf(sql, sizeof(sql), "SELECT * FROM \"");
        for (const char *c = name; *c && used < sizeof(sql) - 4; c++) {
            if (*c == '"')
                sql[used++] = '"';
            sql[used++] = *c;
        }
        snprintf(sql + used, sizeof(sql) - used, "\"");
        sqlite3_stmt *st = prepare(db, sql, NULL, 0);
        int64_t rows = 0;
        uint64_t digest = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            uint64_t row = FIXTURE_HASH_INIT;
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                unsigned char type = (unsigned char)sqlite3_column_type(st, i);
                const void *v = sqlite3_column_blob(st, i);
                row = fixture_hash(row, &type, 1);
                row = fixture_hash(row, v ? v : "", (size_t)sqlite3_column_bytes(st, i));
            }
            digest += row;
            rows++;
        }
        if (rc != SQLITE_DONE)
            fail_msg("%s: %s", sql, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        snprintf(out->table[out->n].name, sizeof(out->table[out->n].name), "%s", name);
        out->table[out->n].rows = rows;
        out->table[out->n].digest = digest;
        out->n++;
    }
    sqlite3_finalize(list);
    sqlite3_close(db);
}

const struct fixture_engine fixture_engine_sqlite = {
    .name = "sqlite",
    .spec_prefixes = NULL,
    .database_exists = sqlite_database_exists,
    .database_drop = sqlite_database_drop,
    .drafts_erased = sqlite_drafts_erased,
    .outbox_for_signatures = sqlite_outbox_for_signatures,
    .outbox_repeated = sqlite_outbox_repeated,
    .mailing_queued = sqlite_mailing_queued,
    .petition_city_set = sqlite_petition_city_set,
    .petition_total_shift = sqlite_petition_total_shift,
    .region_count_shift = sqlite_region_count_shift,
    .petition_closes_at_set = sqlite_petition_closes_at_set,
    .petition_day_add = sqlite_petition_day_add,
    .petition_days_sum = sqlite_petition_days_sum,
    .writes_block = sqlite_writes_block,
    .writes_resume = sqlite_writes_resume,
    .database_check = sqlite_database_check,
    .migration_forget = sqlite_migration_forget,
    .log_schema_drop = sqlite_log_schema_drop,
    .tables_snapshot = sqlite_tables_snapshot,
};
