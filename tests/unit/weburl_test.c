/*
 * weburl_test.c: petitions may hold no URL, link or web reference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/weburl.h"
#include "lib/banned.h"

static bool
found(const char *s)
{
    return weburl_find(s, strlen(s), NULL);
}

static void
scheme_urls_and_www_are_web_references(void **state)
{
    (void)state;
    assert_true(found("see http://example.org now"));
    assert_true(found("HTTPS://EXAMPLE.ORG"));
    assert_true(found("ftp://files"));
    assert_true(found("write to mailto:x"));
    assert_true(found("visit www.example.com"));
    assert_true(found("(www.parl.ca)"));
}

static void
bare_domains_are_web_references(void **state)
{
    (void)state;
    assert_true(found("go to example.ca for more"));
    assert_true(found("example.ca/page"));
    assert_true(found("Canada.ca"));
    assert_true(found("see petition.gc.ca."));
    assert_true(found("EXAMPLE.COM"));
    assert_true(found("my-site.online"));
    assert_true(found("host.example.org:8080/x"));
}

static void
email_addresses_are_web_references(void **state)
{
    (void)state;
    assert_true(found("write to someone@example.org please"));
    struct weburl_match m;
    const char *s = "contact a.b@mail.example.ca today";
    assert_true(weburl_find(s, strlen(s), &m));
    assert_int_equal(m.offset, 8);
    assert_int_equal(m.len, strlen("a.b@mail.example.ca"));
}

static void
ordinary_prose_is_not_a_web_reference(void **state)
{
    (void)state;
    const char *prose[] = {
        "e.g. this", "i.e. that", "the U.S. and Canada", "at 9:30 a.m. and 2 p.m.",
        "No. 5", "1.5 million", "St. John's", "Dr.Smith", "Sept.15", "the end.In 2020",
        "over 7,000 unlawful detentions", "Lukashenko’s regime", "Mr. Smith.", "etc.",
        "The August 9, 2020, Presidential election in Belarus became one of the dirtiest rigged "
        "elections;",
    };
    for (size_t i = 0; i < sizeof(prose) / sizeof(prose[0]); i++)
        if (found(prose[i]))
            fail_msg("false positive: %s", prose[i]);
}

static void
match_reports_where_the_reference_is(void **state)
{
    (void)state;
    struct weburl_match m;
    const char *s = "Please read example.ca/page today";
    assert_true(weburl_find(s, strlen(s), &m));
    assert_int_equal(m.offset, 12);
    assert_int_equal(m.len, strlen("example.ca"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scheme_urls_and_www_are_web_references),
        cmocka_unit_test(bare_domains_are_web_references),
        cmocka_unit_test(email_addresses_are_web_references),
        cmocka_unit_test(ordinary_prose_is_not_a_web_reference),
        cmocka_unit_test(match_reports_where_the_reference_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
