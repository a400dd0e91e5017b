/*
 * jurisdiction_test.c: the numbers of the rules (rulebook 11) must make
 * sense together before the daemon uses them, and a petition's signature
 * period must be one the jurisdiction allows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/jurisdiction.h"
#include "lib/err.h"
#include "workflow/jurisdiction_file.h"
#include "lib/banned.h"

/* The House's numbers, as rulebook 11 sets them. */
static struct jurisdiction
house(void)
{
    struct jurisdiction j = {
        .id = "canada-house-of-commons",
        .name_en = "House of Commons of Canada",
        .name_fr = "Chambre des communes du Canada",
        .supporters_min = 5,
        .supporters_max = 20,
        .supporters_days = 30,
        .signatures_to_certify = 500,
        .paper_signatures_min = 25,
        .words_max = 250,
        .periods_days = {30, 60, 90, 120},
        .periods_count = 4,
        .member_days = 30,
        .members_max = 5,
        .review_warn_days = 10,
        .review_overdue_days = 15,
        .confirm_grace_hours = 24,
        .response_days = 45,
        .retention_days = 30,
        .rate_burst_count = 1,
        .rate_burst_seconds = 60,
        .rate_sustained_count = 5,
        .rate_sustained_seconds = 300,
    };
    return j;
}

/* Check that j is refused, naming field in the error and its log text. */
static void
assert_refused(const struct jurisdiction *j, const char *field)
{
    struct err e = ERR_INIT;
    assert_int_equal(jurisdiction_check(j, &e), ERR_INVALID);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.key, "error.invalid");
    assert_non_null(e.field);
    assert_string_equal(e.field, field);
    assert_non_null(strstr(e.log, field));
    assert_int_equal(jurisdiction_check(j, NULL), ERR_INVALID);
}

static void
the_houses_numbers_make_sense(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct err e = ERR_INIT;
    assert_int_equal(jurisdiction_check(&j, &e), 0);
    assert_int_equal(e.code, ERR_OK);
}

static void
a_jurisdiction_needs_an_id(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    j.id[0] = '\0';
    assert_refused(&j, "id");
}

static void
every_number_must_be_positive(void **state)
{
    (void)state;
    static const struct {
        size_t offset;
        const char *field;
    } fields[] = {
        {offsetof(struct jurisdiction, supporters_min), "supporters.min"},
        {offsetof(struct jurisdiction, supporters_max), "supporters.max"},
        {offsetof(struct jurisdiction, supporters_days), "supporters.days"},
        {offsetof(struct jurisdiction, signatures_to_certify), "signatures_to_certify"},
        {offsetof(struct jurisdiction, paper_signatures_min), "paper_signatures_min"},
        {offsetof(struct jurisdiction, words_max), "words_max"},
        {offsetof(struct jurisdiction, member_days), "members.days_each"},
        {offsetof(struct jurisdiction, members_max), "members.max"},
        {offsetof(struct jurisdiction, review_warn_days), "review.warn_days"},
        {offsetof(struct jurisdiction, review_overdue_days), "review.overdue_days"},
        {offsetof(struct jurisdiction, response_days), "response_days"},
        {offsetof(struct jurisdiction, retention_days), "retention_days"},
        {offsetof(struct jurisdiction, rate_burst_count), "rate_limits.burst.count"},
        {offsetof(struct jurisdiction, rate_burst_seconds), "rate_limits.burst.seconds"},
        {offsetof(struct jurisdiction, rate_sustained_count), "rate_limits.sustained.count"},
        {offsetof(struct jurisdiction, rate_sustained_seconds), "rate_limits.sustained.seconds"},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        static const int bad[] = {0, -1};
        for (size_t k = 0; k < 2; k++) {
            struct jurisdiction j = house();
            memcpy((char *)&j + fields[i].offset, &bad[k], sizeof(int));
            assert_refused(&j, fields[i].field);
        }
    }
}

static void
confirmation_grace_may_be_zero_but_not_negative(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    j.confirm_grace_hours = 0;
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
    j.confirm_grace_hours = -1;
    assert_refused(&j, "confirm_grace_hours");
}

static void
minimum_supporters_may_not_exceed_the_maximum(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    j.supporters_min = 21;
    assert_refused(&j, "supporters.min");
    j.supporters_min = 20; /* equal is allowed: exactly 20 */
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
}

static void
review_warns_before_it_is_overdue(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    j.review_warn_days = 16;
    assert_refused(&j, "review.warn_days");
    j.review_warn_days = 15;
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
}

static void
signature_periods_are_one_to_eight_positive_ascending_days(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    j.periods_count = 0;
    assert_refused(&j, "signature_periods_days");
    j = house();
    j.periods_count = JURISDICTION_MAX_PERIODS + 1;
    assert_refused(&j, "signature_periods_days");
    j = house();
    j.periods_days[1] = 20; /* 30, 20: not ascending */
    assert_refused(&j, "signature_periods_days");
    j = house();
    j.periods_days[2] = 60; /* 30, 60, 60: a duplicate */
    assert_refused(&j, "signature_periods_days");
    j = house();
    j.periods_days[0] = 0;
    assert_refused(&j, "signature_periods_days");
    j = house();
    j.periods_days[0] = -30;
    assert_refused(&j, "signature_periods_days");
    j = house();
    j.periods_days[0] = 120;
    j.periods_count = 1;
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
    j = house();
    for (int i = 0; i < JURISDICTION_MAX_PERIODS; i++)
        j.periods_days[i] = 15 * (i + 1);
    j.periods_count = JURISDICTION_MAX_PERIODS;
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
}

static void
only_the_listed_signature_periods_are_allowed(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    assert_true(jurisdiction_period_allowed(&j, 30));
    assert_true(jurisdiction_period_allowed(&j, 60));
    assert_true(jurisdiction_period_allowed(&j, 90));
    assert_true(jurisdiction_period_allowed(&j, 120));
    static const int bad[] = {0, -30, 1, 29, 31, 45, 119, 121, 150, 365};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(jurisdiction_period_allowed(&j, bad[i]));
    /* Periods past the count are not allowed, whatever the array holds. */
    j.periods_count = 2;
    assert_false(jurisdiction_period_allowed(&j, 90));
    j.periods_count = 0;
    assert_false(jurisdiction_period_allowed(&j, 30));
}

/* XXX: the two tests below exercise workflow/jurisdiction_file.c, not the
 * core; they live here until that reader has a test file of its own. */
static void
the_built_in_file_holds_the_houses_numbers(void **state)
{
    (void)state;
    struct jurisdiction j, want = house();
    assert_int_equal(jurisdiction_load(NULL, &j, NULL), 0);
    assert_string_equal(j.id, want.id);
    assert_int_equal(j.supporters_min, want.supporters_min);
    assert_int_equal(j.supporters_max, want.supporters_max);
    assert_int_equal(j.supporters_days, want.supporters_days);
    assert_int_equal(j.signatures_to_certify, want.signatures_to_certify);
    assert_int_equal(j.paper_signatures_min, want.paper_signatures_min);
    assert_int_equal(j.words_max, want.words_max);
    assert_int_equal(j.periods_count, want.periods_count);
    assert_memory_equal(j.periods_days, want.periods_days, sizeof(int) * 4);
    assert_int_equal(j.member_days, want.member_days);
    assert_int_equal(j.members_max, want.members_max);
    assert_int_equal(j.review_warn_days, want.review_warn_days);
    assert_int_equal(j.review_overdue_days, want.review_overdue_days);
    assert_int_equal(j.confirm_grace_hours, want.confirm_grace_hours);
    assert_int_equal(j.response_days, want.response_days);
    assert_int_equal(j.retention_days, want.retention_days);
    assert_int_equal(jurisdiction_check(&j, NULL), 0);
}

static void
a_missing_number_in_the_file_is_an_error_naming_it(void **state)
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

/* Issue 20, item 7: the committees' subjects and ministries, read from
 * the built-in file, and the check of a presentation against them. */
static void
presentations_fit_the_subject_as_the_file_maps_it(void **state)
{
    (void)state;
    static struct jurisdiction j;
    assert_int_equal(jurisdiction_load(NULL, &j, NULL), 0);
    assert_string_equal(jurisdiction_committee_for(&j, "foreign-affairs")->code, "FAAE");
    assert_string_equal(jurisdiction_committee_for(&j, "agriculture")->code, "AGRI");
    assert_string_equal(jurisdiction_committee_for(&j, "human-rights")->code, "FAAE");
    assert_string_equal(jurisdiction_committee_for(&j, "transportation")->code, "TRAN");
    assert_null(jurisdiction_committee_for(&j, "no-such-subject"));
    assert_null(jurisdiction_committee_for(&j, ""));
    assert_null(jurisdiction_committee_for(&j, NULL));

    struct presentation_fit f =
        jurisdiction_presentation_fit(&j, "foreign-affairs", "FAAE", "foreign-affairs", NULL);
    assert_false(f.committee_off || f.ministry_off);
    assert_string_equal(f.expected->code, "FAAE");
    f = jurisdiction_presentation_fit(&j, "foreign-affairs", "AGRI", "foreign-affairs", NULL);
    assert_true(f.committee_off);
    assert_false(f.ministry_off);
    f = jurisdiction_presentation_fit(&j, "foreign-affairs", "FAAE", "environment", NULL);
    assert_false(f.committee_off);
    assert_true(f.ministry_off);
    /* The ministry the petition is addressed to always fits. */
    f = jurisdiction_presentation_fit(&j, "foreign-affairs", "FAAE", "environment", "environment");
    assert_false(f.ministry_off);
    /* A subject two committees study: either fits, with either's ministry. */
    f = jurisdiction_presentation_fit(&j, "human-rights", "JUST", "justice", NULL);
    assert_false(f.committee_off || f.ministry_off);
    f = jurisdiction_presentation_fit(&j, "human-rights", "FAAE", "justice", NULL);
    assert_false(f.committee_off || f.ministry_off);
    /* A subject no committee lists, no subject, or nothing chosen: never off. */
    f = jurisdiction_presentation_fit(&j, "no-such-subject", "AGRI", "environment", NULL);
    assert_false(f.committee_off || f.ministry_off);
    assert_null(f.expected);
    f = jurisdiction_presentation_fit(&j, NULL, "AGRI", "environment", NULL);
    assert_false(f.committee_off || f.ministry_off);
    f = jurisdiction_presentation_fit(&j, "foreign-affairs", "", "", NULL);
    assert_false(f.committee_off || f.ministry_off);
}

static void
a_committees_codes_are_a_short_list(void **state)
{
    (void)state;
    static struct jurisdiction j;
    struct err e = ERR_INIT;
    char text[1024];
    static const char head[] =
        "{\"id\": \"x\", \"name\": {\"en\": \"X\", \"fr\": \"X\"},"
        " \"supporters\": {\"min\": 5, \"max\": 20, \"days\": 30},"
        " \"signatures_to_certify\": 500, \"paper_signatures_min\": 25, \"words_max\": 250,"
        " \"signature_periods_days\": [30], \"members\": {\"days_each\": 30, \"max\": 5},"
        " \"review\": {\"warn_days\": 10, \"overdue_days\": 15}, \"confirm_grace_hours\": 24,"
        " \"response_days\": 45, \"retention_days\": 30, \"rate_limits\": {\"burst\":"
        " {\"count\": 1, \"seconds\": 60}, \"sustained\": {\"count\": 5, \"seconds\": 300}},"
        " \"committees\": [{\"code\": \"K\", \"en\": \"K\", \"fr\": \"K\", ";
    snprintf(text, sizeof(text), "%s\"subjects\": [\"a\", \"b\"], \"ministries\": [\"m\"]}]}",
             head);
    assert_int_equal(jurisdiction_parse(text, strlen(text), &j, &e), 0);
    assert_int_equal(j.committees[0].subjects_count, 2);
    assert_string_equal(j.committees[0].subjects[1], "b");
    assert_int_equal(j.committees[0].ministries_count, 1);
    snprintf(text, sizeof(text), "%s\"subjects\": [\"\"]}]}", head);
    assert_int_equal(jurisdiction_parse(text, strlen(text), &j, &e), ERR_INVALID);
    assert_non_null(strstr(e.log, "committees[0].subjects[0]"));
    snprintf(text, sizeof(text),
             "%s\"ministries\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"]}]}",
             head);
    assert_int_equal(jurisdiction_parse(text, strlen(text), &j, &e), ERR_INVALID);
    assert_non_null(strstr(e.log, "committees[0].ministries"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_houses_numbers_make_sense),
        cmocka_unit_test(a_jurisdiction_needs_an_id),
        cmocka_unit_test(every_number_must_be_positive),
        cmocka_unit_test(confirmation_grace_may_be_zero_but_not_negative),
        cmocka_unit_test(minimum_supporters_may_not_exceed_the_maximum),
        cmocka_unit_test(review_warns_before_it_is_overdue),
        cmocka_unit_test(signature_periods_are_one_to_eight_positive_ascending_days),
        cmocka_unit_test(only_the_listed_signature_periods_are_allowed),
        cmocka_unit_test(the_built_in_file_holds_the_houses_numbers),
        cmocka_unit_test(a_missing_number_in_the_file_is_an_error_naming_it),
        cmocka_unit_test(presentations_fit_the_subject_as_the_file_maps_it),
        cmocka_unit_test(a_committees_codes_are_a_short_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
