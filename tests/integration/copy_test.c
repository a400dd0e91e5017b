/*
 * copy_test.c: petitiond copy (issue 16, item 5), a SQLite site moved
 * into PostgreSQL.
 *
 * The demo site and signatures taken over HTTP on SQLite are copied into
 * a database just migrated: the copy says it verified every table and
 * that the counts check is clean, the target then holds every signature,
 * and a second copy into it is refused (it holds a site now), as is a copy
 * the wrong way round.  Then scripts/compare-answers serves the demo
 * copied into PostgreSQL beside the same binary on SQLite and asks both
 * the 1,646 public and development requests: every answer identical apart
 * from dates and validators (searches by relevance compared as the
 * petitions they found).  PostgreSQL's half only: on SQLite there is
 * nowhere to copy to, and the test says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "harness.h"
#include "lib/banned.h"

static const char *
store_setting(void)
{
    const char *s = getenv("PETITIOND_TEST_STORE");
    return s ? s : "";
}

/* Sign e-6512 on h as copy<n>; the status. */
static long
sign_as(struct harness *h, int n)
{
    char body[512], xff[64];
    snprintf(body, sizeof(body),
             "first_name=Ada&last_name=Copy&email=copy%d%%40example.ca&country=Canada"
             "&province=MB&postal_code=R3C+4T3&phone=204-555-0100&eligible=1&terms=1",
             n);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.9.0.%d", n + 1);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    long status = -1;
    if (http_request(h, "POST", "/en/petitions/e-6512/sign", body, strlen(body), headers, &r) ==
        0) {
        status = r.status;
        http_result_free(&r);
    }
    return status;
}

static void
site_moves_with_every_row_and_is_verified(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql()) {
        print_message("PostgreSQL's half only: copy goes from SQLite into PostgreSQL\n");
        skip();
    }
    /* The source: a SQLite site, whatever this half's engine. */
    char *saved = strdup(store_setting());
    setenv("PETITIOND_TEST_STORE", "sqlite", 1);
    static const char *const args[] = {"--trusted-proxy", "127.0.0.1", NULL};
    struct harness src;
    assert_int_equal(harness_start_args(&src, NULL, args), 0);
    setenv("PETITIOND_TEST_STORE", saved, 1);
    free(saved);
    for (int i = 0; i < 25; i++)
        assert_int_equal(sign_as(&src, i), 303);
    int64_t signatures =
        fixture_signature_count(&src, &(struct signature_match){.email_prefix = "copy"});
    assert_int_equal(signatures, 25);

    /* The target: a PostgreSQL database just migrated. */
    char target[300], *out = NULL;
    harness_db_new(target, sizeof(target), src.dir, "target");
    const char *migrate[] = {harness_binary(), "migrate", "--db", target, NULL};
    assert_int_equal(harness_run(migrate, &out), 0);
    free(out);
    const char *copy[] = {harness_binary(), "copy", "--from", src.db, "--to", target, NULL};
    assert_int_equal(harness_run(copy, &out), 0);
    assert_non_null(strstr(out, "each table's rows counted again on both sides: equal"));
    assert_non_null(strstr(out, "counts check on the copy"));
    assert_non_null(strstr(out, "0 differ"));
    free(out);

    struct harness dst = {0};
    snprintf(dst.db, sizeof(dst.db), "%s", target);
    assert_int_equal(
        fixture_signature_count(&dst, &(struct signature_match){.email_prefix = "copy"}), 25);
    assert_int_equal(fixture_signature_duplicates(&dst), 0);
    harness_store_close(&dst);

    /* It holds a site now: a second copy is refused, and changes nothing. */
    assert_int_equal(harness_run(copy, &out), 1);
    free(out);
    assert_int_equal(
        fixture_signature_count(&dst, &(struct signature_match){.email_prefix = "copy"}), 25);
    harness_store_close(&dst);
    /* The wrong way round is a usage error. */
    const char *back[] = {harness_binary(), "copy", "--from", target, "--to", src.db, NULL};
    assert_int_equal(harness_run(back, &out), 2);
    free(out);

    fixture_database_drop(target);
    assert_int_equal(harness_stop(&src), 0);
}

static void
copied_site_answers_as_its_original(void **state)
{
    (void)state;
    if (!harness_db_is_postgresql()) {
        print_message("PostgreSQL's half only\n");
        skip();
    }
    /* compare-answers fixes the clock of migrate and demo with a
     * preloaded library, which AddressSanitizer's runtime must then let
     * come before it. */
    const char *asan = getenv("ASAN_OPTIONS");
    char cmd[1400];
    snprintf(cmd, sizeof(cmd),
             "ASAN_OPTIONS='%s%sverify_asan_link_order=0' scripts/compare-answers '%s' '%s'"
             " --copy-to '%s' --context 10 2>&1 | tail -n 40",
             asan ? asan : "", asan && asan[0] ? ":" : "", harness_binary(), harness_binary(),
             store_setting());
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024];
    bool same = false;
    while (fgets(line, sizeof(line), p)) {
        print_message("%s", line);
        if (strstr(line, " answers compared, 0 differ"))
            same = true;
    }
    assert_int_equal(pclose(p), 0);
    assert_true(same);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(site_moves_with_every_row_and_is_verified),
        cmocka_unit_test(copied_site_answers_as_its_original),
    };
    return cmocka_run_group_tests_name("copy", tests, NULL, NULL);
}
