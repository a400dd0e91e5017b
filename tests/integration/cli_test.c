/*
 * cli_test.c: the petitiond command line: help for every command, usage
 * errors, migrate and demo run twice (the second changes nothing), and
 * serve refusing a database that is not migrated or bad options.  The
 * databases are made by harness_db_new(): SQLite files in a temporary
 * folder, or PostgreSQL databases when PETITIOND_TEST_STORE names a
 * cluster.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures.h"
#include "harness.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

static char dir[64];
static char db[300];
static struct harness cli; /* db, for the fixtures (no server runs on it) */

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/petitiond-cli-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    harness_db_new(db, sizeof(db), dir, "cli");
    snprintf(cli.db, sizeof(cli.db), "%s", db);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    harness_store_close(&cli);
    char path[160];
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    unlink(path);
    int r = fixture_database_drop(db);
    rmdir(dir);
    return r;
}

static int
run(const char *a1, const char *a2, const char *a3, const char *a4, char **out)
{
    const char *args[] = {harness_binary(), a1, a2, a3, a4, NULL};
    return harness_run(args, out);
}

static void
help_explains_every_command(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run("--help", NULL, NULL, NULL, &out), 0);
    assert_non_null(strstr(out, "migrate"));
    assert_non_null(strstr(out, "demo"));
    assert_non_null(strstr(out, "serve"));
    free(out);
    const char *cmds[] = {"migrate", "demo", "serve", "version"};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        assert_int_equal(run(cmds[i], "--help", NULL, NULL, &out), 0);
        assert_non_null(strstr(out, "usage: petitiond"));
        free(out);
    }
    assert_int_equal(run("serve", "--help", NULL, NULL, &out), 0);
    const char *opts[] = {"--listen", "--db", "--jurisdiction", "--threads", "--max-body",
                          "--max-url", "--idle-timeout", "--max-connections", "--no-access-log",
                          "--clock-file"};
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if (!strstr(out, opts[i]))
            fail_msg("serve --help does not explain %s", opts[i]);
    free(out);
}

static void
usage_errors_exit_2(void **state)
{
    (void)state;
    assert_int_equal(run("frobnicate", NULL, NULL, NULL, NULL), 2);
    assert_int_equal(run("migrate", NULL, NULL, NULL, NULL), 2);
    assert_int_equal(run("migrate", "--db", db, "--bogus", NULL), 2);
    assert_int_equal(run("serve", "--db", db, "--threads", NULL), 2);
}

static void
serve_refuses_a_database_not_migrated(void **state)
{
    (void)state;
    /* The database does not exist yet: serve says to migrate, and leaves no
     * empty database behind (neither does demo). */
    char *out = NULL;
    assert_false(fixture_database_exists(db));
    assert_int_equal(run("serve", "--db", db, NULL, NULL), 1);
    assert_int_equal(run("demo", "--db", db, NULL, &out), 1);
    free(out);
    assert_false(fixture_database_exists(db));
}

static void
migrate_twice_applies_nothing_the_second_time(void **state)
{
    (void)state;
    char *out, want[64];
    assert_int_equal(run("migrate", "--db", db, NULL, &out), 0);
    struct store *s = NULL;
    struct err e = ERR_INIT;
    assert_int_equal(store_open(db, false, &s, &e), 0);
    int latest = store_schema_latest(s);
    store_close(s);
    assert_true(latest >= 3);
    snprintf(want, sizeof(want), "%d migrations applied", latest);
    assert_non_null(strstr(out, want));
    free(out);
    assert_int_equal(run("migrate", "--db", db, NULL, &out), 0);
    assert_non_null(strstr(out, "0 migrations applied"));
    free(out);
    /* The newest is applied (that each is recorded once is
     * tests/store/sqlite_schema_test.c's). */
    assert_int_equal(store_open(db, false, &s, &e), 0);
    int version = 0;
    assert_int_equal(store_schema_version(s, &version, &e), 0);
    store_close(s);
    assert_int_equal(version, latest);
}

static void
demo_loads_once(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run("demo", "--db", db, NULL, &out), 0);
    assert_non_null(strstr(out, "demo data loaded"));
    free(out);
    struct fixture_register first, again;
    fixture_register_count(&cli, &first);
    assert_true(first.petitions >= 7);
    assert_true(fixture_petition_exists(&cli, 2829));
    harness_store_close(&cli);
    assert_int_equal(run("demo", "--db", db, NULL, &out), 0);
    assert_non_null(strstr(out, "nothing changed"));
    free(out);
    fixture_register_count(&cli, &again);
    harness_store_close(&cli);
    assert_int_equal(again.petitions, first.petitions);
    assert_int_equal(again.events, first.events);
    /* The demo marks its records as demo data. */
    assert_int_equal(again.not_demo, 0);
    /* Stored counts equal the sum of the regions for every e-petition. */
    assert_int_equal(again.totals_off, 0);
}

static void
a_bad_demo_file_writes_nothing(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    FILE *fp = fopen(path, "w");
    /* A valid first record and a broken second: the transaction must roll back. */
    fputs("{\"demo\": true, \"subjects\": [{\"code\": \"zz-new\", \"en\": \"New\", \"fr\": "
          "\"Nouveau\"}], \"petitions\": [{\"number\": \"e-1\"}]}",
          fp);
    fclose(fp);
    char other[300];
    harness_db_new(other, sizeof(other), dir, "cli2");
    assert_int_equal(run("migrate", "--db", other, NULL, NULL), 0);
    const char *args[] = {harness_binary(), "demo", "--db", other, "--file", path, NULL};
    assert_int_equal(harness_run(args, NULL), 1);
    struct store *s = NULL;
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    struct subject *subjects;
    int n = -1;
    assert_int_equal(store_open(other, false, &s, &e), 0);
    assert_int_equal(store_subject_list(s, NULL, a, &subjects, &n, &e), 0);
    store_close(s);
    arena_free(a);
    assert_int_equal(n, 0);
    assert_int_equal(fixture_database_drop(other), 0);
}

static void
serve_refuses_a_bad_jurisdiction_file(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    FILE *fp = fopen(path, "w");
    fputs("{\"id\": \"x\", \"name\": {\"en\": \"X\", \"fr\": \"X\"}}", fp);
    fclose(fp);
    const char *args[] = {harness_binary(), "serve", "--db", db, "--jurisdiction", path, NULL};
    assert_int_equal(harness_run(args, NULL), 1);
}

static void
a_second_server_on_a_port_in_use_is_refused(void **state)
{
    (void)state;
    /* A second `make run` while one serves: it must not start beside the
     * first and take some of its requests (SO_REUSEPORT), but stop and
     * say why. */
    struct harness h;
    assert_int_equal(harness_start(&h, NULL), 0);
    char cmd[1024];
    /* (timeout: before the fix, the second one served on.) */
    snprintf(cmd, sizeof(cmd), "timeout 20 '%s' serve --listen 127.0.0.1:%d --db '%s' 2>&1",
             harness_binary(), h.port, h.db);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[4096];
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    if (!strstr(out, "address already in use"))
        fail_msg("the second server said: %s", out);
    /* The first one still answers. */
    struct http_result r;
    assert_int_equal(http_get(&h, "/healthz", &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    assert_int_equal(harness_stop(&h), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_explains_every_command),
        cmocka_unit_test(usage_errors_exit_2),
        cmocka_unit_test(serve_refuses_a_database_not_migrated),
        cmocka_unit_test(migrate_twice_applies_nothing_the_second_time),
        cmocka_unit_test(demo_loads_once),
        cmocka_unit_test(a_bad_demo_file_writes_nothing),
        cmocka_unit_test(serve_refuses_a_bad_jurisdiction_file),
        cmocka_unit_test(a_second_server_on_a_port_in_use_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
