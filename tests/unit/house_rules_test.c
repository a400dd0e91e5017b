/*
 * house_rules_test.c: the rules after certification (rulebook 2.2-2.3,
 * 11.11-11.14), one per test: dates, the 45-day deadline and the sitting
 * calendar (with the House's own examples), overdue, what prorogation and
 * dissolution allow, where dissolution sends each state, when a
 * presentation or a tabling date is refused, when personal data is due
 * for erasure.  Pure: dates and times are plain values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/house.h"
#include "lib/banned.h"

static struct civil_date
D(const char *s)
{
    struct civil_date d;
    assert_int_equal(civil_date_parse(s, strlen(s), &d), 0);
    return d;
}

static void
assert_date(struct civil_date d, const char *want)
{
    char got[11];
    civil_date_format(&d, got);
    assert_string_equal(got, want);
}

static void
dates_parse_only_real_days(void **state)
{
    (void)state;
    struct civil_date d;
    assert_date(D("2024-02-29"), "2024-02-29");
    assert_int_equal(civil_date_parse("2023-02-29", 10, &d), -1);
    assert_int_equal(civil_date_parse("2026-13-01", 10, &d), -1);
    assert_int_equal(civil_date_parse("2026-04-31", 10, &d), -1);
    assert_int_equal(civil_date_parse("2026-4-30", 9, &d), -1);
    assert_int_equal(civil_date_parse("2026/04/30", 10, &d), -1);
    assert_int_equal(civil_date_parse("2026-04-3x", 10, &d), -1);
    assert_int_equal(civil_date_parse("2026-04-300", 11, &d), -1);
    assert_date(civil_date_add(D("2020-12-31"), 1), "2021-01-01");
    assert_date(civil_date_add(D("2021-03-01"), -1), "2021-02-28");
    assert_true(civil_date_cmp(D("2021-01-01"), D("2020-12-31")) > 0);
    assert_int_equal(civil_date_cmp(D("2021-01-01"), D("2021-01-01")), 0);
}

static void
deadline_is_45_days_without_a_calendar(void **state)
{
    (void)state;
    /* e-3023: presented 12 May 2021, 45th day 26 June. */
    assert_date(response_due(D("2021-05-12"), 45, NULL, 0), "2021-06-26");
    /* A calendar that stops before the 45th day does not move it. */
    struct civil_date early[] = {D("2021-05-13"), D("2021-06-01")};
    assert_date(response_due(D("2021-05-12"), 45, early, 2), "2021-06-26");
}

static void
deadline_moves_to_the_next_sitting_day(void **state)
{
    (void)state;
    /* 432-00808: presented 15 April 2021; day 45 was Sunday 30 May; the
     * House sat Monday 31 May: due then (the response came that day). */
    struct civil_date sitting[] = {D("2021-05-27"), D("2021-05-28"), D("2021-05-31"),
                                   D("2021-06-01")};
    assert_date(response_due(D("2021-04-15"), 45, sitting, 4), "2021-05-31");
    /* A sitting 45th day stays. */
    struct civil_date on[] = {D("2021-05-28"), D("2021-05-30"), D("2021-05-31")};
    assert_date(response_due(D("2021-04-15"), 45, on, 3), "2021-05-30");
    /* e-983: presented 1 December 2017; day 45 was 15 January 2018, during
     * the winter adjournment; the House returned 29 January. */
    struct civil_date winter[] = {D("2017-12-13"), D("2017-12-14"), D("2018-01-29"),
                                  D("2018-01-30")};
    assert_date(response_due(D("2017-12-01"), 45, winter, 4), "2018-01-29");
}

static void
overdue_only_after_the_due_day_and_unanswered(void **state)
{
    (void)state;
    struct civil_date due = D("2021-05-31");
    assert_false(response_overdue(due, D("2021-05-31"), false));
    assert_true(response_overdue(due, D("2021-06-01"), false));
    assert_false(response_overdue(due, D("2021-06-01"), true));
}

static struct house_status
status(int parliament, int64_t dissolved, int session, int64_t ended)
{
    struct house_status h = {.parliament_id = 1, .parliament = parliament,
                             .dissolved_at = dissolved, .session_id = session ? 7 : 0,
                             .session = session, .session_ended_at = ended};
    return h;
}

static void
prorogation_and_dissolution_allow_what_the_rules_say(void **state)
{
    (void)state;
    struct house_status sitting = status(45, 0, 1, 0), prorogued = status(45, 0, 1, 100),
                        dissolved = status(45, 100, 1, 100), none = status(0, 0, 0, 0);
    assert_int_equal(house_phase(&sitting), HOUSE_SITTING);
    assert_int_equal(house_phase(&prorogued), HOUSE_PROROGUED);
    assert_int_equal(house_phase(&dissolved), HOUSE_DISSOLVED);
    assert_int_equal(house_phase(&none), HOUSE_DISSOLVED);
    /* Prorogation: petitions go on; presentation and certification wait. */
    assert_null(house_blocks_new_petitions(&prorogued));
    assert_string_equal(house_blocks_presentation(&prorogued), "house.prorogued");
    assert_null(house_blocks_presentation(&sitting));
    /* Dissolution: nothing new, nothing presented. */
    assert_string_equal(house_blocks_new_petitions(&dissolved), "house.dissolved");
    assert_string_equal(house_blocks_presentation(&dissolved), "house.dissolved");
    /* The calendar's own moves. */
    assert_null(house_blocks_prorogation(&sitting));
    assert_non_null(house_blocks_prorogation(&prorogued));
    assert_null(house_blocks_new_session(&prorogued));
    assert_string_equal(house_blocks_new_session(&sitting), "house.sitting");
    struct house_status ninth = status(45, 0, 9, 100);
    assert_string_equal(house_blocks_new_session(&ninth), "house.sessions_full");
    assert_null(house_blocks_dissolution(&sitting));
    assert_null(house_blocks_dissolution(&prorogued));
    assert_non_null(house_blocks_dissolution(&dissolved));
    assert_null(house_blocks_new_parliament(&dissolved));
    assert_string_equal(house_blocks_new_parliament(&sitting), "house.not_dissolved");
}

static void
dissolution_sends_each_state_where_rulebook_says(void **state)
{
    (void)state;
    for (int s = 0; s < PETITION_STATE_COUNT; s++) {
        enum petition_state to = PETITION_STATE_COUNT;
        bool moves = dissolution_state((enum petition_state)s, &to);
        if (petition_state_is_final((enum petition_state)s)) {
            assert_false(moves);
        } else if (s == PETITION_PRESENTED) {
            assert_true(moves);
            assert_int_equal(to, PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION);
        } else {
            /* DRAFT .. CERTIFIED: not yet presented. */
            assert_true(moves);
            assert_int_equal(to, PETITION_CLOSED_UPON_DISSOLUTION);
        }
    }
}

static void
presentation_and_tabling_dates_are_checked(void **state)
{
    (void)state;
    struct civil_date cert = D("2026-11-01"), opened = D("2026-09-15"), today = D("2026-11-23");
    assert_null(presentation_date_blocker(D("2026-11-23"), cert, opened, today));
    assert_null(presentation_date_blocker(D("2026-11-01"), cert, opened, today));
    assert_string_equal(presentation_date_blocker(D("2026-11-24"), cert, opened, today),
                        "present.future");
    assert_string_equal(presentation_date_blocker(D("2026-10-31"), cert, opened, today),
                        "present.before_certified");
    assert_string_equal(presentation_date_blocker(D("2026-11-02"), cert, D("2026-11-10"), today),
                        "present.before_session");
    assert_null(tabling_date_blocker(D("2026-11-23"), D("2026-11-23"), today));
    assert_string_equal(tabling_date_blocker(D("2026-11-22"), D("2026-11-23"), today),
                        "response.before_presented");
    assert_string_equal(tabling_date_blocker(D("2026-11-24"), D("2026-11-01"), today),
                        "response.future");
}

static void
retention_is_due_days_after_a_final_state(void **state)
{
    (void)state;
    int64_t day = 86400, at = 1000 * day;
    assert_false(retention_due(PETITION_RESPONSE_TABLED, at, 30, at + 30 * day - 1));
    assert_true(retention_due(PETITION_RESPONSE_TABLED, at, 30, at + 30 * day));
    assert_true(retention_due(PETITION_NOT_CERTIFIED, at, 30, at + 31 * day));
    assert_true(retention_due(PETITION_CLOSED_UPON_DISSOLUTION, at, 30, at + 31 * day));
    /* Never while the petition can still move. */
    assert_false(retention_due(PETITION_PRESENTED, at, 30, at + 365 * day));
    assert_false(retention_due(PETITION_OPEN, at, 30, at + 365 * day));
    assert_false(retention_due(PETITION_CERTIFIED, at, 30, at + 365 * day));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_parse_only_real_days),
        cmocka_unit_test(deadline_is_45_days_without_a_calendar),
        cmocka_unit_test(deadline_moves_to_the_next_sitting_day),
        cmocka_unit_test(overdue_only_after_the_due_day_and_unanswered),
        cmocka_unit_test(prorogation_and_dissolution_allow_what_the_rules_say),
        cmocka_unit_test(dissolution_sends_each_state_where_rulebook_says),
        cmocka_unit_test(presentation_and_tabling_dates_are_checked),
        cmocka_unit_test(retention_is_due_days_after_a_final_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
