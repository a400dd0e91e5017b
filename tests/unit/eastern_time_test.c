/*
 * eastern_time_test.c: dates and times shown in Eastern time as the
 * House shows them, EDT in summer and EST in winter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/eastern_time.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static char buf[128];

static const char *
dt(int64_t utc, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    eastern_format_datetime(&sb, utc, lang);
    memcpy(buf, sb.buf, sb.len + 1);
    sb_release(&sb);
    return buf;
}

static const char *
d(int64_t utc, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    eastern_format_date(&sb, utc, lang);
    memcpy(buf, sb.buf, sb.len + 1);
    sb_release(&sb);
    return buf;
}

/* 2020-09-15 13:30 UTC, e-2829's opening. */
enum { E2829_OPENED = 1600176600 };

static void
e2829_opening_is_shown_as_the_house_shows_it(void **state)
{
    (void)state;
    assert_string_equal(dt(E2829_OPENED, LANG_EN), "September 15, 2020, at 9:30 a.m. (EDT)");
    assert_string_equal(dt(E2829_OPENED, LANG_FR), "15 septembre 2020, à 9 h 30 (HAE)");
    assert_int_equal(eastern_to_utc(2020, 9, 15, 9, 30, 0), E2829_OPENED);
}

static void
winter_times_are_est(void **state)
{
    (void)state;
    int64_t t = eastern_to_utc(2020, 12, 9, 14, 5, 0);
    assert_int_equal(t, 1607540700); /* 19:05 UTC */
    assert_string_equal(dt(t, LANG_EN), "December 9, 2020, at 2:05 p.m. (EST)");
    assert_string_equal(dt(t, LANG_FR), "9 décembre 2020, à 14 h 05 (HNE)");
    assert_string_equal(d(t, LANG_EN), "December 9, 2020");
    assert_string_equal(d(t, LANG_FR), "9 décembre 2020");
}

static void
noon_midnight_and_the_first_of_the_month(void **state)
{
    (void)state;
    int64_t noon = eastern_to_utc(2021, 7, 1, 12, 0, 0);
    assert_string_equal(dt(noon, LANG_EN), "July 1, 2021, at 12:00 p.m. (EDT)");
    assert_string_equal(dt(noon, LANG_FR), "1er juillet 2021, à 12 h 00 (HAE)");
    int64_t midnight = eastern_to_utc(2021, 2, 1, 0, 0, 0);
    assert_string_equal(dt(midnight, LANG_EN), "February 1, 2021, at 12:00 a.m. (EST)");
    assert_string_equal(dt(midnight, LANG_FR), "1er février 2021, à 0 h 00 (HNE)");
}

static void
dst_changes_on_canadas_dates_since_2007(void **state)
{
    (void)state;
    struct civil_time ct;
    /* 2020: EDT from Sunday March 8, 2:00 EST (07:00 UTC) to Sunday November 1, 2:00 EDT
     * (06:00 UTC). */
    int64_t start = 1583650800, end = 1604210400;
    eastern_from_utc(start - 1, &ct);
    assert_false(ct.dst);
    assert_int_equal(ct.hour, 1);
    assert_int_equal(ct.minute, 59);
    eastern_from_utc(start, &ct);
    assert_true(ct.dst);
    assert_int_equal(ct.hour, 3);
    eastern_from_utc(end - 1, &ct);
    assert_true(ct.dst);
    assert_int_equal(ct.hour, 1);
    eastern_from_utc(end, &ct);
    assert_false(ct.dst);
    assert_int_equal(ct.hour, 1);
    assert_int_equal(ct.utc_offset, -18000);
}

static void
dst_followed_the_april_october_rule_before_2007(void **state)
{
    (void)state;
    struct civil_time ct;
    /* 2006: first Sunday of April (April 2) to last Sunday of October (October 29). */
    eastern_from_utc(eastern_to_utc(2006, 3, 20, 12, 0, 0), &ct);
    assert_false(ct.dst);
    eastern_from_utc(eastern_to_utc(2006, 4, 2, 3, 0, 0), &ct);
    assert_true(ct.dst);
    eastern_from_utc(eastern_to_utc(2006, 10, 28, 12, 0, 0), &ct);
    assert_true(ct.dst);
    eastern_from_utc(eastern_to_utc(2006, 10, 30, 12, 0, 0), &ct);
    assert_false(ct.dst);
}

static void
skipped_and_repeated_hours_are_resolved(void **state)
{
    (void)state;
    /* 2:30 on 2020-03-08 does not exist: read as EST (07:30 UTC = 3:30 EDT). */
    assert_int_equal(eastern_to_utc(2020, 3, 8, 2, 30, 0), 1583652600);
    /* 1:30 on 2020-11-01 happens twice: the first, EDT (05:30 UTC). */
    assert_int_equal(eastern_to_utc(2020, 11, 1, 1, 30, 0), 1604208600);
}

static void
conversions_round_trip(void **state)
{
    (void)state;
    for (int64_t day = -800000; day <= 800000; day += 997) {
        int y, m, dd;
        civil_from_days(day, &y, &m, &dd);
        assert_int_equal(days_from_civil(y, m, dd), day);
    }
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(2000, 3, 1), 11017);
    /* Every quarter hour over three years, away from the skipped hour. */
    for (int64_t t = 1577836800; t < 1672531200; t += 900) {
        struct civil_time ct;
        eastern_from_utc(t, &ct);
        int64_t back = eastern_to_utc(ct.year, ct.month, ct.day, ct.hour, ct.minute, ct.second);
        /* Only the repeated autumn hour maps back to its first (EDT) occurrence. */
        assert_true(back == t || back == t - 3600);
    }
}

static void
weekday_is_known(void **state)
{
    (void)state;
    struct civil_time ct;
    eastern_from_utc(E2829_OPENED, &ct);
    assert_int_equal(ct.weekday, 2); /* Tuesday */
}

static void
eastern_parse_accepts_dates_and_refuses_nonsense(void **state)
{
    (void)state;
    int64_t t;
    struct err e = ERR_INIT;
    assert_int_equal(eastern_parse("2020-09-15 09:30", 16, &t, NULL), 0);
    assert_int_equal(t, E2829_OPENED);
    assert_int_equal(eastern_parse("2020-09-15T09:30", 16, &t, NULL), 0);
    assert_int_equal(t, E2829_OPENED);
    assert_int_equal(eastern_parse("2020-12-09", 10, &t, NULL), 0);
    assert_int_equal(t, 1607490000);
    const char *bad[] = {"2020-13-01", "2021-02-29", "2020-02-30", "2020-09-15 24:00",
                         "2020-09-15 09:60", "2020-09-15 09:30x", "20-09-15", "2020/09/15",
                         "", "2020-09-15 9:30"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (eastern_parse(bad[i], strlen(bad[i]), &t, &e) != ERR_INVALID)
            fail_msg("accepted %s", bad[i]);
    assert_string_equal(e.key, "error.date");
    assert_int_equal(eastern_parse("2020-02-29", 10, &t, NULL), 0);
}

static void
iso_forms(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    utc_format_iso(&sb, E2829_OPENED);
    assert_string_equal(sb.buf, "2020-09-15T13:30:00Z");
    sb_reset(&sb);
    /* 23:30 EST on Dec 31 is already the next day in UTC; the Eastern date stays. */
    eastern_format_iso_date(&sb, eastern_to_utc(2020, 12, 31, 23, 30, 0));
    assert_string_equal(sb.buf, "2020-12-31");
    sb_release(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e2829_opening_is_shown_as_the_house_shows_it),
        cmocka_unit_test(winter_times_are_est),
        cmocka_unit_test(noon_midnight_and_the_first_of_the_month),
        cmocka_unit_test(dst_changes_on_canadas_dates_since_2007),
        cmocka_unit_test(dst_followed_the_april_october_rule_before_2007),
        cmocka_unit_test(skipped_and_repeated_hours_are_resolved),
        cmocka_unit_test(conversions_round_trip),
        cmocka_unit_test(weekday_is_known),
        cmocka_unit_test(eastern_parse_accepts_dates_and_refuses_nonsense),
        cmocka_unit_test(iso_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
