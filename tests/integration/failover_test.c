/*
 * failover_test.c: the primary database lost in the middle of a surge, a
 * synchronous standby promoted, and not one acknowledged signature lost
 * (issue 17, item 3), on PostgreSQL.
 *
 * The test makes a site of its own: a primary cluster and its
 * synchronous standby (scripts/pg-cluster standby: every commit the
 * primary acknowledges is flushed on both), and two petitiond nodes whose
 * --db is libpq's multi-host URI naming both, with
 * target_session_attrs=read-write, so a connection goes to whichever
 * takes writes.  Signers sign through both nodes while the test kills the
 * primary with SIGKILL (the server and every process it started, as when
 * its machine is lost) and promotes the standby (pg_ctl promote).  The
 * nodes carry on against the new primary by themselves.  Then:
 *
 *  - every signature acknowledged (303) before, during and after is on
 *    the new primary, once, and the counts check finds no drift;
 *  - meanwhile the signers got only 303 or 503, each 503 with
 *    Retry-After: never a 2xx for a signature that is not stored;
 *  - the nodes never crashed;
 *  - the time without service (from the last acknowledgement before the
 *    kill to the first after the promotion) is printed, with its parts:
 *    from the kill to the promotion, and from the promotion to the next
 *    acknowledgement, which must come within 10 s.
 *
 * PETITIOND_FAILOVER_ROUNDS (default 1; `make failovertest` runs more)
 * fails over again and again: after each round the lost primary's folder
 * gets a new standby of the new primary, and that primary is the next
 * one killed.  On SQLite there is no server to fail over: the test says
 * so and skips.
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
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"
#include "harness.h"
#include "surge.h"
#include "lib/banned.h"

enum { NODES = 2, SIGNERS = 4, MAX_ROUNDS = 20 };

static struct harness H[NODES];
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", NULL};
static char site_dir[128];     /* the test's folder: a/ and b/ are the clusters */
static char saved_store[1024]; /* PETITIOND_TEST_STORE as the test found it */
static struct surge O;

/* scripts/pg-cluster VERB on the cluster name (a folder under site_dir),
 * and other's when not NULL (standby: name is the primary). */
static int
cluster(const char *verb, const char *name, const char *other)
{
    char cmd[600];
    if (other)
        snprintf(cmd, sizeof(cmd), "scripts/pg-cluster %s '%s/%s' '%s/%s' >/dev/null", verb,
                 site_dir, name, site_dir, other);
    else
        snprintf(cmd, sizeof(cmd), "scripts/pg-cluster %s '%s/%s' >/dev/null", verb, site_dir,
                 name);
    return system(cmd);
}

static int
setup(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql())
        return 0;
    snprintf(site_dir, sizeof(site_dir), "/tmp/petitiond-failover-XXXXXX");
    if (!mkdtemp(site_dir) || chmod(site_dir, 0755))
        return -1;
    /* The primary a, its synchronous standby b, the site's database. */
    if (cluster("start", "a", NULL) || cluster("standby", "a", "b"))
        return -1;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "scripts/pg-cluster createdb '%s/a' site >/dev/null", site_dir);
    if (system(cmd))
        return -1;
    /* The harness takes the database from PETITIOND_TEST_STORE: one URI
     * naming both clusters, for every node (and the fixtures). */
    const char *was = getenv("PETITIOND_TEST_STORE");
    snprintf(saved_store, sizeof(saved_store), "%s", was ? was : "");
    char uri[512];
    snprintf(uri, sizeof(uri),
             "postgresql:///site?host=%s/a,%s/b&user=petitiond&target_session_attrs=read-write"
             "&connect_timeout=2",
             site_dir, site_dir);
    setenv("PETITIOND_TEST_STORE", uri, 1);
    if (harness_start_args(&H[0], NULL, serve_args))
        return -1;
    for (int i = 1; i < NODES; i++)
        if (harness_start_node(&H[i], &H[0], serve_args))
            return -1;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql())
        return 0;
    int r = 0;
    for (int i = NODES - 1; i >= 0; i--)
        if (H[i].pid > 0 && harness_stop(&H[i]))
            r = -1;
    setenv("PETITIOND_TEST_STORE", saved_store, 1);
    if (cluster("stop", "a", NULL) || cluster("stop", "b", NULL))
        r = -1;
    rmdir(site_dir);
    return r;
}

static int
rounds(void)
{
    const char *v = getenv("PETITIOND_FAILOVER_ROUNDS");
    long n = v ? strtol(v, NULL, 10) : 1;
    return n < 1 ? 1 : n > MAX_ROUNDS ? MAX_ROUNDS : (int)n;
}

static void
primary_lost_mid_surge_standby_promoted(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql()) {
        print_message(
            "PostgreSQL only: SQLite is a file inside petitiond, no server to fail over\n");
        skip();
    }
    surge_start(&O, H, NODES, "failover", SIGNERS);
    assert_true(surge_wait(&O.acknowledged, 100, 60));

    const char *primary = "a", *standby = "b";
    int n_rounds = rounds();
    double worst = 0;
    for (int round = 1; round <= n_rounds; round++) {
        /* The primary's machine is lost: SIGKILL to all of it. */
        double killed = surge_now();
        assert_int_equal(cluster("kill", primary, NULL), 0);
        int unavailable = atomic_load(&O.unavailable);
        assert_true(surge_wait(&O.unavailable, unavailable + 10, 30));

        /* The standby becomes the primary; the nodes find it. */
        assert_int_equal(cluster("promote", standby, NULL), 0);
        double promoted = surge_now();
        int acked = atomic_load(&O.acknowledged);
        assert_true(surge_wait(&O.acknowledged, acked + 100, 60));
        /* Without service: from the last acknowledgement before the
         * kill to the first after the promotion. */
        double back_at = surge_acked_after(&O, promoted);
        assert_true(back_at > 0);
        double gap = back_at - surge_acked_before(&O, killed);
        print_message("round %d: without service %.2f s (kill to promotion %.2f s, promotion to "
                      "the next acknowledgement %.2f s)\n",
                      round, gap, promoted - killed, back_at - promoted);
        if (gap > worst)
            worst = gap;
        assert_true(back_at - promoted < 10.0);

        if (round < n_rounds) {
            /* The lost primary's folder gets a standby of the new one. */
            assert_int_equal(cluster("stop", primary, NULL), 0);
            assert_int_equal(cluster("standby", standby, primary), 0);
            const char *was = primary;
            primary = standby;
            standby = was;
        }
    }
    surge_stop(&O);

    /* The nodes never crashed and said nothing but 303 or 503 with
     * Retry-After; every acknowledged signature is on the new primary,
     * once. */
    for (int i = 0; i < NODES; i++)
        assert_int_equal(kill(H[i].pid, 0), 0);
    surge_check_stored(&O, &H[0]);
    print_message("%d round(s): %d acknowledged, all stored; %d answered 503 during the "
                  "switches; the longest time without service %.2f s\n",
                  n_rounds, atomic_load(&O.nacked), atomic_load(&O.unavailable), worst);

    char *out = NULL;
    const char *check[] = {harness_binary(), "counts", "check", "--db", H[0].db, NULL};
    assert_int_equal(harness_run(check, &out), 0);
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(primary_lost_mid_surge_standby_promoted, setup, teardown),
    };
    return cmocka_run_group_tests_name("failover", tests, NULL, NULL);
}
