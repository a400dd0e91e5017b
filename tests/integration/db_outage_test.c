/*
 * db_outage_test.c: the database lost in the middle of a surge and back
 * (issue 16, item 4), on PostgreSQL.
 *
 * Signers keep signing while the test stops the tests' PostgreSQL
 * cluster at once (immediate shutdown: no checkpoint, every connection
 * cut, as a crash) and starts it again.  While it is away petitiond
 * answers 503 with Retry-After and never a 2xx for a signature it has
 * not stored, and never crashes; once the database is back it takes
 * signatures again by itself, without a restart, within seconds.  Every
 * signature acknowledged (303) before, during and after is stored once,
 * and the counts check finds no drift.  On SQLite the database is a file
 * inside the process, with no server to lose: the test says so and skips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "harness.h"
#include "promtext.h"
#include "surge.h"
#include "lib/banned.h"

static struct harness H;
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", NULL};
static struct surge O;

/* Run scripts/pg-cluster VERB on the tests' cluster (its folder is the
 * host= of PETITIOND_TEST_STORE). */
static int
cluster(const char *verb)
{
    const char *spec = getenv("PETITIOND_TEST_STORE");
    const char *host = spec ? strstr(spec, "host=") : NULL;
    assert_non_null(host);
    char dir[256];
    snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(host + 5, "&"), host + 5);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "scripts/pg-cluster %s '%s' >/dev/null", verb, dir);
    return system(cmd);
}

static int
setup(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql())
        return 0;
    return harness_start_args(&H, NULL, serve_args);
}

static int
teardown(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql())
        return 0;
    return harness_stop(&H);
}

/* The node's metrics (/metrics, read as from loopback through the
 * trusted proxy) saw the outage: the connections lost and opened again,
 * the database's errors, and every 303 and 503 of the sign route. */
static void
metrics_saw_the_outage(int acknowledged, int unavailable)
{
    static const char sign[] = "petitiond_http_requests_total{route=\"/{lang}/petitions/*/sign\","
                               "method=\"POST\",code=\"%d\",class=\"%dxx\"}";
    const char *headers[] = {"X-Forwarded-For: 127.0.0.1", NULL};
    struct http_result r;
    char why[300], series[200];
    assert_int_equal(http_request(&H, "GET", "/metrics", NULL, 0, headers, &r), 0);
    assert_int_equal(r.status, 200);
    if (!promtext_check(r.body, why, sizeof(why)))
        fail_msg("the scrape is not valid: %s", why);
    assert_true(promtext_value(r.body, "petitiond_db_reconnects_total") >= 1);
    assert_true(promtext_value(r.body, "petitiond_db_errors_total{kind=\"unavailable\"}") >= 1);
    /* The link: attempts that failed while the server was away, uses
     * refused at once during the back-off, and the back-off over now
     * that it answers again. */
    assert_true(promtext_value(r.body, "petitiond_db_connect_failures_total") >= 1);
    assert_true(promtext_value(r.body, "petitiond_db_backed_off_total") >= 1);
    assert_true(promtext_value(r.body, "petitiond_db_connects_total") >= 2);
    assert_true(promtext_value(r.body, "petitiond_db_backoff_seconds") == 0);
    snprintf(series, sizeof(series), sign, 303, 3);
    assert_true(promtext_value(r.body, series) >= acknowledged);
    snprintf(series, sizeof(series), sign, 503, 5);
    assert_true(promtext_value(r.body, series) >= unavailable);
    http_result_free(&r);
}

static void
database_lost_mid_surge_then_back(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql()) {
        print_message("PostgreSQL only: SQLite is a file inside petitiond, no server to lose\n");
        skip();
    }
    surge_start(&O, &H, 1, "outage", 4);
    assert_true(surge_wait(&O.acknowledged, 50, 30));

    /* The database crashes: immediate shutdown, every connection cut. */
    assert_int_equal(cluster("crash"), 0);
    int unavailable = atomic_load(&O.unavailable);
    assert_true(surge_wait(&O.unavailable, unavailable + 20, 30));
    int acked_while_down = atomic_load(&O.acknowledged);

    /* It comes back; petitiond takes signatures again by itself. */
    assert_int_equal(cluster("resume"), 0);
    double back = surge_now();
    assert_true(surge_wait(&O.acknowledged, acked_while_down + 50, 30));
    double recovered = surge_now() - back;
    print_message("signatures taken again %.2f s after the database came back\n", recovered);
    assert_true(recovered < 10.0);
    surge_stop(&O);

    /* petitiond never crashed, never said anything but 303 or 503 with
     * Retry-After; every acknowledged signature is stored, once. */
    assert_int_equal(kill(H.pid, 0), 0);
    surge_check_stored(&O, &H);
    print_message("%d acknowledged, %d answered 503 while the database was away\n",
                  atomic_load(&O.nacked), atomic_load(&O.unavailable));
    metrics_saw_the_outage(atomic_load(&O.nacked), atomic_load(&O.unavailable));

    char *out = NULL;
    const char *check[] = {harness_binary(), "counts", "check", "--db", H.db, NULL};
    assert_int_equal(harness_run(check, &out), 0);
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(database_lost_mid_surge_then_back, setup, teardown),
    };
    return cmocka_run_group_tests_name("db_outage", tests, NULL, NULL);
}
