/*
 * sign_in_test.c: the sign-in use case (workflow/accounts.h) against the
 * suite's store, on each engine: an address without an account costs the
 * same password check as one with an account (issue 19, finding 2).
 *
 * Not a timing test: the time of an Argon2id check on a shared machine
 * varies too much to assert on.  The proof is structural instead: every
 * sign-in that reaches the password, whether the address has an account,
 * has one without a password, or has none, runs exactly one Argon2id
 * check (accounts_password_checks() counts them), and the stand-in hash
 * an unknown address is checked against is made by
 * accounts_password_hash(), the function that makes every stored hash,
 * with the same limits: the same work.
 */
#include "faults_fixture.h"

#include <sodium.h>
#include <string.h>

#include "workflow/accounts.h"
#include "lib/banned.h"

static const char RIGHT[] = "the right password";
static const char WRONG[] = "a wrong password";

/* One sign-in from its own address; its result, and the Argon2id checks
 * it ran in *checks. */
static int
sign_in(struct world *w, const char *email, const char *password, const char *client,
        unsigned long *checks)
{
    struct user u;
    struct accounts_session ses;
    struct err e = ERR_INIT;
    unsigned long before = accounts_password_checks();
    int r = accounts_sign_in(&w->flow, w->fx->a, email, password, client, w->now, &u, &ses, &e);
    *checks = accounts_password_checks() - before;
    if (r == ERR_INVALID)
        assert_string_equal(e.key, "account.bad_credentials");
    return r;
}

static void
every_address_costs_one_password_check(void **state)
{
    (void)state;
    struct world *w = world_new();
    char hash[128];
    unsigned long checks;

    assert_int_equal(accounts_password_hash(RIGHT, hash), 0);
    struct user u = fx_user_new(w->fx, "known@accounts.test", ROLE_PETITIONER);
    u.password_hash = hash;
    fx_user_insert(w->fx, &u);
    struct user bare = fx_user_new(w->fx, "no-password@accounts.test", ROLE_PETITIONER);
    fx_user_insert(w->fx, &bare);

    /* An account, the wrong password: one check. */
    assert_int_equal(sign_in(w, "known@accounts.test", WRONG, "198.51.100.1", &checks),
                     ERR_INVALID);
    assert_int_equal(checks, 1);
    /* No account: the same answer after the same check (before the fix,
     * none: under 1 ms against 66). */
    assert_int_equal(sign_in(w, "nobody@accounts.test", WRONG, "198.51.100.2", &checks),
                     ERR_INVALID);
    assert_int_equal(checks, 1);
    /* Whatever the password, an empty one too, account or not. */
    assert_int_equal(sign_in(w, "nobody@accounts.test", RIGHT, "198.51.100.3", &checks),
                     ERR_INVALID);
    assert_int_equal(checks, 1);
    assert_int_equal(sign_in(w, "nobody@accounts.test", "", "198.51.100.4", &checks), ERR_INVALID);
    assert_int_equal(checks, 1);
    assert_int_equal(sign_in(w, "known@accounts.test", "", "198.51.100.5", &checks), ERR_INVALID);
    assert_int_equal(checks, 1);
    /* An account without a password: checked against the stand-in too. */
    assert_int_equal(sign_in(w, "no-password@accounts.test", WRONG, "198.51.100.6", &checks),
                     ERR_INVALID);
    assert_int_equal(checks, 1);
    /* The right password still signs in, after its one check. */
    assert_int_equal(sign_in(w, "known@accounts.test", RIGHT, "198.51.100.7", &checks), 0);
    assert_int_equal(checks, 1);
    world_free(w);
}

static void
unknown_addresses_count_failures_by_the_client_address(void **state)
{
    (void)state;
    struct world *w = world_new();
    unsigned long checks;
    char email[64];

    /* SIGN_IN_IP_MAX_FAILURES failures from one client, each with another
     * unknown address, lock that client out, and no other. */
    for (int i = 0; i < SIGN_IN_IP_MAX_FAILURES; i++) {
        snprintf(email, sizeof(email), "nobody-%d@accounts.test", i);
        assert_int_equal(sign_in(w, email, WRONG, "203.0.113.9", &checks), ERR_INVALID);
        assert_int_equal(checks, 1);
    }
    assert_int_equal(sign_in(w, "nobody@accounts.test", WRONG, "203.0.113.9", &checks),
                     ERR_UNAVAILABLE);
    assert_int_equal(checks, 0); /* refused before the password */
    assert_int_equal(sign_in(w, "nobody@accounts.test", WRONG, "203.0.113.10", &checks),
                     ERR_INVALID);
    world_free(w);
}

static int
group_setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    /* The stand-in hash, made once here rather than in the first sign-in. */
    accounts_prepare();
    return faults_group_setup(state);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FAULT_TEST(every_address_costs_one_password_check),
        FAULT_TEST(unknown_addresses_count_failures_by_the_client_address),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, group_setup, faults_group_teardown);
}
