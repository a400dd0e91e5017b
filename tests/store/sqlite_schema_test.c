/*
 * sqlite_schema_test.c: what the SQLite backend's schema promises beyond
 * the store's calls, checked on the file with bare SQL (sqlite_fixture.h):
 * the audit log is append-only even to a connection that is not
 * petitiond's (its triggers, migration 0004: store/audit.h says no
 * backend lets a record be changed or deleted, even by a bare SQL
 * session), and migrating again applies nothing and records each
 * migration once in schema_migrations (what `petitiond migrate` run twice
 * leaves, tests/integration/cli_test.c).
 */
#include "sqlite_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "lib/banned.h"

static void
the_audit_log_is_append_only_even_to_a_bare_connection(void **state)
{
    struct fx *f = *state;
    struct store_txn *t = fx_begin(f);
    struct audit_entry rec = {.at = f->now,
                              .role = "clerk",
                              .action = "test.kept",
                              .target = "e-8001",
                              .reason = "kept as written"};
    FX_OK(f, store_audit_append(t, &rec, &f->e));
    fx_commit(f, t);

    sqlite3 *db = sqlite_fixture_open(f);
    int64_t records = sqlite_fixture_int(db, "SELECT count(*) FROM audit_log");
    assert_true(records >= 1);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET reason = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM audit_log"), records);
    char *reason = sqlite_fixture_text(db, "SELECT reason FROM audit_log"
                                           " WHERE action = 'test.kept'");
    assert_string_equal(reason, "kept as written");
    free(reason);
    sqlite3_close(db);
}

static void
migrating_again_applies_nothing_and_records_each_migration_once(void **state)
{
    struct fx *f = *state;
    int applied = -1, latest = store_schema_latest(f->s);
    FX_OK(f, store_migrate(f->s, &applied, &f->e));
    assert_int_equal(applied, 0);
    assert_true(latest >= 7);

    sqlite3 *db = sqlite_fixture_open(f);
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM schema_migrations"), latest);
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(DISTINCT version) FROM schema_migrations"
                                            " WHERE version BETWEEN 1 AND (SELECT max(version)"
                                            " FROM schema_migrations)"),
                     latest);
    assert_int_equal(sqlite_fixture_int(db, "SELECT max(version) FROM schema_migrations"), latest);
    sqlite3_close(db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        SQLITE_TEST(the_audit_log_is_append_only_even_to_a_bare_connection),
        SQLITE_TEST(migrating_again_applies_nothing_and_records_each_migration_once),
    };
    return cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
}
