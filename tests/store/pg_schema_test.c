/*
 * pg_schema_test.c: what the PostgreSQL schema itself guarantees, seen
 * from a bare libpq session that is not petitiond (store/audit.h: "no
 * backend lets a record be changed or deleted, even by a bare SQL session
 * as the application's database user"; docs/postgresql.md).
 *
 * As the tests' superuser, the audit log refuses UPDATE, DELETE and
 * TRUNCATE, and the audit guard refuses a staff write (a sitting day)
 * with SQLSTATE PD001 until the transaction has appended its record, and
 * again after a rollback to a savepoint past that record.  As an
 * application role made as docs/postgresql.md says (rows only, the
 * tables owned by another role), the audit log can be read and appended
 * to, never changed, deleted, truncated, nor its triggers disabled or
 * dropped.  PostgreSQL only (run by scripts/run-tests on that half).
 */
#include "store_fixture.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/banned.h"

/* NOTICEs ("role does not exist, skipping") are not the test's output. */
static void
quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *
connect_as(struct fx *f, const char *user)
{
    char *spec = (char *)f->spec;
    if (user) {
        /* The suite's spec names user=petitiond: another role instead. */
        const char *u = strstr(f->spec, "user=");
        assert_non_null(u);
        spec = arena_printf(f->a, "%.*suser=%s%s", (int)(u - f->spec), f->spec, user,
                            u + 5 + strcspn(u + 5, "&"));
    }
    PGconn *db = PQconnectdb(spec);
    if (PQstatus(db) != CONNECTION_OK)
        fail_msg("connect %s: %s", spec, PQerrorMessage(db));
    PQsetNoticeProcessor(db, quiet, NULL);
    return db;
}

/* Run sql; its SQLSTATE ("" when it succeeded). */
static const char *
run(struct fx *f, PGconn *db, const char *sql)
{
    PGresult *r = PQexec(db, sql);
    ExecStatusType st = PQresultStatus(r);
    const char *state = "";
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        state = arena_strdup(f->a, s ? s : "?????");
    }
    PQclear(r);
    return state;
}

static void
ok(struct fx *f, PGconn *db, const char *sql)
{
    const char *state = run(f, db, sql);
    if (state[0])
        fail_msg("%s: refused (%s): %s", sql, state, PQerrorMessage(db));
}

static void
refused(struct fx *f, PGconn *db, const char *sql)
{
    if (!run(f, db, sql)[0])
        fail_msg("%s: not refused", sql);
}

static int
setup(void **state)
{
    int r = fx_setup(state);
    struct fx *f = *state;
    if (!r && strcmp(store_engine(f->s), "postgresql") != 0) {
        fx_teardown(state);
        *state = NULL;
    }
    return r;
}

#define PG_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, fx_teardown)
#define NEED_PG(f)                                                                                 \
    do {                                                                                           \
        if (!(f))                                                                                  \
            skip();                                                                                \
    } while (0)

static const char audit_row[] =
    "INSERT INTO audit_log (at, role, action) VALUES (1, 'system', 'test.bare')";

static void
audit_log_is_append_only_to_a_bare_session(void **state)
{
    struct fx *f = *state;
    NEED_PG(f);
    PGconn *db = connect_as(f, NULL);
    ok(f, db, audit_row);
    refused(f, db, "UPDATE audit_log SET reason = 'rewritten'");
    refused(f, db, "DELETE FROM audit_log");
    refused(f, db, "TRUNCATE audit_log");
    /* Not even inside a transaction that appended a record of its own. */
    ok(f, db, "BEGIN");
    ok(f, db, audit_row);
    refused(f, db, "DELETE FROM audit_log");
    ok(f, db, "ROLLBACK");
    PGresult *r = PQexec(db, "SELECT count(*) FROM audit_log WHERE action = 'test.bare'");
    assert_string_equal(PQgetvalue(r, 0, 0), "1");
    PQclear(r);
    PQfinish(db);
}

static void
guard_refuses_a_staff_write_without_its_record(void **state)
{
    struct fx *f = *state;
    NEED_PG(f);
    PGconn *db = connect_as(f, NULL);
    assert_string_equal(run(f, db, "INSERT INTO sitting_days (day) VALUES ('2026-01-05')"),
                        "PD001");
    ok(f, db, "BEGIN");
    ok(f, db, audit_row);
    ok(f, db, "INSERT INTO sitting_days (day) VALUES ('2026-01-05')");
    ok(f, db, "COMMIT");
    /* A rollback to a savepoint past the record takes the record's mark
     * with it. */
    ok(f, db, "BEGIN");
    ok(f, db, "SAVEPOINT s");
    ok(f, db, audit_row);
    ok(f, db, "ROLLBACK TO s");
    assert_string_equal(run(f, db, "INSERT INTO sitting_days (day) VALUES ('2026-01-06')"),
                        "PD001");
    ok(f, db, "ROLLBACK");
    /* The mark never outlives its transaction. */
    assert_string_equal(run(f, db, "DELETE FROM sitting_days"), "PD001");
    PQfinish(db);
}

static void
application_role_cannot_rewrite_the_audit_log(void **state)
{
    struct fx *f = *state;
    NEED_PG(f);
    PGconn *admin = connect_as(f, NULL);
    char role[48], sql[512];
    snprintf(role, sizeof(role), "petitiond_app_%ld", (long)getpid());
    snprintf(sql, sizeof(sql), "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN", role, role);
    ok(f, admin, sql);
    /* The grants of docs/postgresql.md: rows only, never the audit log's
     * change; the tables stay the migrating role's. */
    snprintf(sql, sizeof(sql),
             "GRANT USAGE ON SCHEMA public TO %s;"
             " GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s;"
             " REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %s;"
             " GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %s",
             role, role, role, role);
    ok(f, admin, sql);

    PGconn *app = connect_as(f, role);
    ok(f, app, audit_row);
    ok(f, app, "SELECT count(*) FROM audit_log");
    refused(f, app, "UPDATE audit_log SET reason = 'rewritten'");
    refused(f, app, "DELETE FROM audit_log");
    refused(f, app, "TRUNCATE audit_log");
    refused(f, app, "ALTER TABLE audit_log DISABLE TRIGGER ALL");
    refused(f, app, "DROP TRIGGER IF EXISTS audit_log_append_only_update ON audit_log");
    refused(f, app, "DROP TABLE audit_log");
    /* And the guard holds for it as for petitiond. */
    assert_string_equal(run(f, app, "INSERT INTO sitting_days (day) VALUES ('2026-01-07')"),
                        "PD001");
    PQfinish(app);

    snprintf(sql, sizeof(sql), "DROP OWNED BY %s; DROP ROLE %s", role, role);
    ok(f, admin, sql);
    PQfinish(admin);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        PG_TEST(audit_log_is_append_only_to_a_bare_session),
        PG_TEST(guard_refuses_a_staff_write_without_its_record),
        PG_TEST(application_role_cannot_rewrite_the_audit_log),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
