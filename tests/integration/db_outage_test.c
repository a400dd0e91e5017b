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

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"
#include "harness.h"
#include "promtext.h"
#include "lib/banned.h"

static struct harness H;
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", NULL};

enum { SIGNERS = 4, MAX_SIGNED = 20000 };

/* What the signers were told, shared with the test. */
struct outcome {
    atomic_int acknowledged; /* 303s */
    atomic_int unavailable;  /* 503s, each with Retry-After */
    atomic_int no_retry_after;
    atomic_int other; /* any other answer, or none */
    atomic_int next;  /* the next person's number */
    atomic_bool stop;
    /* The numbers of the people told 303. */
    int acked[MAX_SIGNED];
    atomic_int nacked;
};

static struct outcome O;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sign e-6512 as outage<n>; the status (0 when no answer came). */
static long
sign_as(int n)
{
    char body[512], xff[64];
    snprintf(body, sizeof(body),
             "first_name=Ada&last_name=Outage&email=outage%d%%40example.ca&country=Canada"
             "&province=QC&postal_code=H2X+1Y4&phone=514-555-0100&eligible=1&terms=1",
             n);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.%d.%d.%d", (n >> 16) & 255, (n >> 8) & 255,
             n & 255);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    long status = 0;
    if (http_request(&H, "POST", "/en/petitions/e-6512/sign", body, strlen(body), headers, &r) ==
        0) {
        status = r.status;
        if (status == 503 && !http_header(&r, "Retry-After"))
            atomic_fetch_add(&O.no_retry_after, 1);
        http_result_free(&r);
    }
    return status;
}

static void *
signer(void *arg)
{
    (void)arg;
    while (!atomic_load(&O.stop)) {
        int n = atomic_fetch_add(&O.next, 1);
        if (n >= MAX_SIGNED)
            break;
        long status = sign_as(n);
        if (status == 303) {
            atomic_fetch_add(&O.acknowledged, 1);
            O.acked[atomic_fetch_add(&O.nacked, 1)] = n;
        } else if (status == 503) {
            atomic_fetch_add(&O.unavailable, 1);
            usleep(20000); /* as a browser would not hammer: a short pause */
        } else {
            atomic_fetch_add(&O.other, 1);
            print_message("signer: answer %ld\n", status);
        }
    }
    return NULL;
}

/* Wait (bounded) until counter reaches at least want; whether it did. */
static bool
wait_for(atomic_int *counter, int want, double seconds)
{
    double end = now_s() + seconds;
    while (atomic_load(counter) < want && now_s() < end)
        usleep(5000);
    return atomic_load(counter) >= want;
}

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
    pthread_t t[SIGNERS];
    for (int i = 0; i < SIGNERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, signer, NULL), 0);
    assert_true(wait_for(&O.acknowledged, 50, 30));

    /* The database crashes: immediate shutdown, every connection cut. */
    assert_int_equal(cluster("crash"), 0);
    int unavailable = atomic_load(&O.unavailable);
    assert_true(wait_for(&O.unavailable, unavailable + 20, 30));
    int acked_while_down = atomic_load(&O.acknowledged);

    /* It comes back; petitiond takes signatures again by itself. */
    assert_int_equal(cluster("resume"), 0);
    double back = now_s();
    assert_true(wait_for(&O.acknowledged, acked_while_down + 50, 30));
    double recovered = now_s() - back;
    print_message("signatures taken again %.2f s after the database came back\n", recovered);
    assert_true(recovered < 10.0);

    atomic_store(&O.stop, true);
    for (int i = 0; i < SIGNERS; i++)
        pthread_join(t[i], NULL);

    /* petitiond never crashed, never said anything but 303 or 503 (when
     * it did, its log says why). */
    if (atomic_load(&O.other)) {
        char *log = harness_log(&H);
        for (char *line = log; line && *line;) {
            char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            if (!strstr(line, "\" 303 ") && !strstr(line, "\" 503 ") && len < 400)
                print_message("server: %.*s\n", (int)len, line);
            line = end ? end + 1 : NULL;
        }
        free(log);
    }
    assert_int_equal(kill(H.pid, 0), 0);
    assert_int_equal(atomic_load(&O.other), 0);
    assert_int_equal(atomic_load(&O.no_retry_after), 0);

    /* Every acknowledged signature is stored, once. */
    int n = atomic_load(&O.nacked);
    for (int i = 0; i < n; i++) {
        char email[64];
        int64_t id = 0;
        snprintf(email, sizeof(email), "outage%d@example.ca", O.acked[i]);
        if (fixture_signature_find(&H, 6512, email, &id) != 0)
            fail_msg("%s was acknowledged (303) but is not stored", email);
    }
    assert_int_equal(fixture_signature_duplicates(&H), 0);
    print_message("%d acknowledged, %d answered 503 while the database was away\n", n,
                  atomic_load(&O.unavailable));
    metrics_saw_the_outage(n, atomic_load(&O.unavailable));

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
