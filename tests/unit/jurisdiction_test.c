/*
 * jurisdiction_test.c: the rules' numbers are read from the jurisdiction
 * file, every one required, and checked for sense.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/jurisdiction.h"
#include "lib/err.h"
#include "store/jurisdiction_file.h"
#include "lib/banned.h"

static void
the_built_in_file_holds_the_houses_numbers(void **state)
{
    (void)state;
    struct jurisdiction j;
    assert_int_equal(jurisdiction_load(NULL, &j, NULL), 0);
    assert_string_equal(j.id, "canada-house-of-commons");
    assert_int_equal(j.supporters_min, 5);
    assert_int_equal(j.supporters_max, 20);
    assert_int_equal(j.signatures_to_certify, 500);
    assert_int_equal(j.paper_signatures_min, 25);
    assert_int_equal(j.words_max, 250);
    assert_int_equal(j.periods_count, 4);
    assert_int_equal(j.periods_days[3], 120);
    assert_int_equal(j.member_days, 30);
    assert_int_equal(j.members_max, 5);
    assert_int_equal(j.response_days, 45);
    assert_int_equal(j.retention_days, 30);
    assert_int_equal(j.confirm_grace_hours, 24);
    assert_true(jurisdiction_period_allowed(&j, 90));
    assert_false(jurisdiction_period_allowed(&j, 45));
}

static void
a_missing_number_is_an_error_naming_it(void **state)
{
    (void)state;
    struct jurisdiction j;
    struct err e = ERR_INIT;
    const char *text = "{\"id\": \"x\", \"name\": {\"en\": \"X\", \"fr\": \"X\"},"
                       " \"supporters\": {\"min\": 5, \"max\": 20}}";
    assert_int_equal(jurisdiction_parse(text, strlen(text), &j, &e), ERR_INVALID);
    assert_non_null(strstr(e.log, "supporters.days"));
    assert_int_equal(jurisdiction_parse("{", 1, &j, NULL), ERR_INVALID);
}

static void
nonsense_numbers_are_refused(void **state)
{
    (void)state;
    struct jurisdiction j;
    assert_int_equal(jurisdiction_load(NULL, &j, NULL), 0);
    struct jurisdiction bad = j;
    bad.supporters_min = 30;
    assert_int_equal(jurisdiction_check(&bad, NULL), ERR_INVALID);
    bad = j;
    bad.periods_days[1] = 20; /* not ascending */
    assert_int_equal(jurisdiction_check(&bad, NULL), ERR_INVALID);
    bad = j;
    bad.response_days = 0;
    assert_int_equal(jurisdiction_check(&bad, NULL), ERR_INVALID);
    bad = j;
    bad.review_warn_days = 20;
    assert_int_equal(jurisdiction_check(&bad, NULL), ERR_INVALID);
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_built_in_file_holds_the_houses_numbers),
        cmocka_unit_test(a_missing_number_is_an_error_naming_it),
        cmocka_unit_test(nonsense_numbers_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
