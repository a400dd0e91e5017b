/*
 * backup_test.c: petitiond backup (issue 16, item 7): a consistent copy
 * of a live SQLite site taken while people sign, and restored.
 *
 * Signatures acknowledged before the backup began are all in it; those
 * taken during it may or may not be (one snapshot), never more than were
 * acknowledged; the backup passes the counts check; the site restored
 * from it serves and takes signatures again.  A second backup to the
 * same file is refused.  SQLite only: PostgreSQL is backed up with
 * pg_dump or a base backup (docs/postgresql.md), and the test says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures.h"
#include "harness.h"
#include "lib/banned.h"

static struct harness H;
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", NULL};

/* Sign e-6512 as prefix+n from a forwarded address of its own; the
 * status. */
static long
sign_as(const char *prefix, int n)
{
    char body[512], xff[64];
    snprintf(body, sizeof(body),
             "first_name=Ada&last_name=Backup&email=%s%d%%40example.ca&country=Canada"
             "&province=ON&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
             prefix, n);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.%d.%d.%d", (n >> 16) & 255, (n >> 8) & 255,
             n & 255);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    long status = -1;
    if (http_request(&H, "POST", "/en/petitions/e-6512/sign", body, strlen(body), headers, &r) ==
        0) {
        status = r.status;
        http_result_free(&r);
    }
    return status;
}

struct signer {
    pthread_t thread;
    atomic_bool stop;
    int acknowledged;
    int other;
};

static void *
sign_until_stopped(void *arg)
{
    struct signer *s = arg;
    for (int n = 1; !atomic_load(&s->stop); n++) {
        if (sign_as("during", n) == 303)
            s->acknowledged++;
        else
            s->other++;
    }
    return NULL;
}

static int
setup(void **state)
{
    (void)state;
    if (harness_db_is_postgresql())
        return 0;
    return harness_start_args(&H, NULL, serve_args);
}

static int
teardown(void **state)
{
    (void)state;
    if (harness_db_is_postgresql())
        return 0;
    return harness_stop(&H);
}

static void
backup_while_signing_then_restore(void **state)
{
    (void)state;
    if (harness_db_is_postgresql()) {
        print_message("SQLite only: PostgreSQL sites use pg_dump or base backups\n");
        skip();
    }
    enum { BEFORE = 20 };
    for (int i = 0; i < BEFORE; i++)
        assert_int_equal(sign_as("before", i), 303);

    struct signer s = {0};
    atomic_init(&s.stop, false);
    assert_int_equal(pthread_create(&s.thread, NULL, sign_until_stopped, &s), 0);
    /* The backup starts once signing is under way. */
    while (s.acknowledged < 5)
        usleep(1000);

    char backup[290], *out = NULL;
    snprintf(backup, sizeof(backup), "%s/backup.db", H.dir);
    const char *args[] = {harness_binary(), "backup", "--db", H.db, "--to", backup, NULL};
    int rc = harness_run(args, &out);
    atomic_store(&s.stop, true);
    pthread_join(s.thread, NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "backed up"));
    free(out);
    assert_int_equal(s.other, 0);
    assert_true(s.acknowledged >= 5);

    /* What the backup holds: everything acknowledged before it, and no
     * more of what came during it than was acknowledged. */
    struct harness copy = {0};
    snprintf(copy.db, sizeof(copy.db), "%s", backup);
    int64_t before =
        fixture_signature_count(&copy, &(struct signature_match){.email_prefix = "before"});
    int64_t during =
        fixture_signature_count(&copy, &(struct signature_match){.email_prefix = "during"});
    harness_store_close(&copy);
    assert_int_equal(before, BEFORE);
    assert_true(during >= 5 && during <= s.acknowledged);
    const char *check[] = {harness_binary(), "counts", "check", "--db", backup, NULL};
    assert_int_equal(harness_run(check, &out), 0);
    free(out);

    /* A second backup to the same file is refused; the first is intact. */
    assert_int_equal(harness_run(args, &out), 1);
    free(out);
    assert_int_equal(
        fixture_signature_count(&copy, &(struct signature_match){.email_prefix = "during"}), during);
    harness_store_close(&copy);

    /* Restore: the server stops, the backup takes the database's place. */
    harness_store_close(&H);
    kill(H.pid, SIGTERM);
    int status;
    waitpid(H.pid, &status, 0);
    H.pid = 0;
    char path[400];
    snprintf(path, sizeof(path), "%s-wal", H.db);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", H.db);
    unlink(path);
    assert_int_equal(rename(backup, H.db), 0);
    assert_int_equal(harness_kill_restart(&H), 0);
    assert_int_equal(
        fixture_signature_count(&H, &(struct signature_match){.email_prefix = "before"}), BEFORE);
    assert_int_equal(
        fixture_signature_count(&H, &(struct signature_match){.email_prefix = "during"}), during);
    assert_int_equal(sign_as("after", 1), 303);
    struct http_result r;
    assert_int_equal(http_get(&H, "/en/petitions/e-6512", &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(backup_while_signing_then_restore, setup, teardown),
    };
    return cmocka_run_group_tests_name("backup", tests, NULL, NULL);
}
