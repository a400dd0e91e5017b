/*
 * fdlimit_test.c: the open-file limit is raised for the connections
 * allowed, never lowered, and the connections are lowered to what fits
 * with the headroom kept (http/fdlimit.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <sys/resource.h>

#include "http/fdlimit.h"
#include "lib/err.h"
#include "lib/banned.h"

static void
headroom_is_kept_for_the_rest(void **state)
{
    (void)state;
    assert_int_equal(fdlimit_headroom(2), FDLIMIT_HEADROOM + 4);
    assert_true(fdlimit_headroom(0) >= FDLIMIT_HEADROOM + 2);
    assert_int_equal(fdlimit_connections(20000, 260), 19740);
    assert_int_equal(fdlimit_connections(16644, 260), 16384);
}

static void
tiny_limits_keep_half_for_connections(void **state)
{
    (void)state;
    assert_int_equal(fdlimit_connections(520, 260), 260);
    assert_int_equal(fdlimit_connections(300, 260), 150);
    assert_int_equal(fdlimit_connections(1, 260), 1);
    assert_int_equal(fdlimit_connections(0, 260), 1);
}

static void
no_limit_lowers_nothing(void **state)
{
    (void)state;
    assert_int_equal(fdlimit_connections(RLIM_INFINITY, 260), UINT_MAX);
}

static void
fit_raises_to_the_hard_limit_at_most_and_never_lowers(void **state)
{
    struct fdlimit fl;
    struct err e = ERR_INIT;
    struct rlimit rl;
    (void)state;

    /* Few connections: nothing to raise, nothing lowered. */
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < 64 + fdlimit_headroom(1))
        skip();
    assert_int_equal(fdlimit_fit(64, 1, &fl, &e), 0);
    assert_int_equal(fl.connections, 64);
    assert_true(fl.soft == fl.before && fl.soft == rl.rlim_cur);

    /* More than any hard limit here: raised to it, the rest lowered. */
    assert_int_equal(fdlimit_fit(UINT_MAX - 1024, 1, &fl, &e), 0);
    assert_true(fl.soft >= fl.before);
    if (fl.hard != RLIM_INFINITY) {
        assert_true(fl.soft == fl.hard);
        assert_int_equal(fl.connections, fdlimit_connections(fl.hard, fdlimit_headroom(1)));
    }
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    assert_true(rl.rlim_cur == fl.soft);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headroom_is_kept_for_the_rest),
        cmocka_unit_test(tiny_limits_keep_half_for_connections),
        cmocka_unit_test(no_limit_lowers_nothing),
        cmocka_unit_test(fit_raises_to_the_hard_limit_at_most_and_never_lowers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
