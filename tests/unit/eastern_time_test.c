/*
 * eastern_time_test.c: dates and times shown in Eastern time as the
 * House shows them, EDT in summer and EST in winter, with Canada's
 * daylight-saving rules before and since 2007.
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

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char buf[128];

/* The text one of the formatters appends to an empty strbuf. */
static const char *
shown(void (*format)(struct strbuf *, int64_t, enum lang), int64_t utc, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    format(&sb, utc, lang);
    assert_false(sb_failed(&sb));
    assert_true(sb.len < sizeof(buf));
    memcpy(buf, sb.buf, sb.len + 1);
    sb_release(&sb);
    return buf;
}

static const char *
dt(int64_t utc, enum lang lang)
{
    return shown(eastern_format_datetime, utc, lang);
}

static const char *
d(int64_t utc, enum lang lang)
{
    return shown(eastern_format_date, utc, lang);
}

/* e-2829's dates (seed 003): opened 2020-09-15 09:30 EDT = 13:30 UTC,
 * closed a month later, presented October 26, response December 9. */
enum {
    E2829_OPENED = 1600176600,
    E2829_CLOSED = 1602768600,
};

static void
e2829_opening_is_shown_as_the_house_shows_it(void **state)
{
    (void)state;
    assert_int_equal(eastern_to_utc(2020, 9, 15, 9, 30, 0), E2829_OPENED);
    assert_string_equal(dt(E2829_OPENED, LANG_EN), "September 15, 2020, at 9:30 a.m. (EDT)");
    assert_string_equal(dt(E2829_OPENED, LANG_FR), "15 septembre 2020, à 9 h 30 (HAE)");
    assert_int_equal(eastern_to_utc(2020, 10, 15, 9, 30, 0), E2829_CLOSED);
    assert_string_equal(dt(E2829_CLOSED, LANG_EN), "October 15, 2020, at 9:30 a.m. (EDT)");
    assert_string_equal(d(eastern_to_utc(2020, 10, 26, 10, 0, 0), LANG_EN), "October 26, 2020");
}

static void
dates_alone_are_month_day_year_in_english_and_day_month_year_in_french(void **state)
{
    (void)state;
    int64_t tabled = eastern_to_utc(2020, 12, 9, 15, 0, 0);
    assert_string_equal(d(tabled, LANG_EN), "December 9, 2020");
    assert_string_equal(d(tabled, LANG_FR), "9 décembre 2020");
    /* The Eastern date, not the UTC one: 21:00 EST is already tomorrow in UTC. */
    assert_string_equal(d(eastern_to_utc(2020, 12, 9, 21, 0, 0), LANG_EN), "December 9, 2020");
}

static void
winter_times_are_est_and_hne(void **state)
{
    (void)state;
    int64_t t = eastern_to_utc(2020, 12, 9, 14, 5, 0);
    assert_int_equal(t, 1607540700); /* 19:05 UTC */
    assert_string_equal(dt(t, LANG_EN), "December 9, 2020, at 2:05 p.m. (EST)");
    assert_string_equal(dt(t, LANG_FR), "9 décembre 2020, à 14 h 05 (HNE)");
}

static void
noon_is_12_pm_and_midnight_is_12_am_or_0_h(void **state)
{
    (void)state;
    int64_t noon = eastern_to_utc(2021, 7, 2, 12, 0, 0);
    assert_string_equal(dt(noon, LANG_EN), "July 2, 2021, at 12:00 p.m. (EDT)");
    assert_string_equal(dt(noon, LANG_FR), "2 juillet 2021, à 12 h 00 (HAE)");
    int64_t midnight = eastern_to_utc(2021, 2, 3, 0, 0, 0);
    assert_string_equal(dt(midnight, LANG_EN), "February 3, 2021, at 12:00 a.m. (EST)");
    assert_string_equal(dt(midnight, LANG_FR), "3 février 2021, à 0 h 00 (HNE)");
    int64_t last_minute = eastern_to_utc(2021, 2, 3, 23, 59, 59);
    assert_string_equal(dt(last_minute, LANG_EN), "February 3, 2021, at 11:59 p.m. (EST)");
    assert_string_equal(dt(last_minute, LANG_FR), "3 février 2021, à 23 h 59 (HNE)");
    int64_t one_am = eastern_to_utc(2021, 2, 3, 1, 7, 0);
    assert_string_equal(dt(one_am, LANG_EN), "February 3, 2021, at 1:07 a.m. (EST)");
    assert_string_equal(dt(one_am, LANG_FR), "3 février 2021, à 1 h 07 (HNE)");
}

static void
the_first_of_the_month_is_1er_in_french(void **state)
{
    (void)state;
    int64_t t = eastern_to_utc(2021, 7, 1, 12, 0, 0);
    assert_string_equal(dt(t, LANG_FR), "1er juillet 2021, à 12 h 00 (HAE)");
    assert_string_equal(d(t, LANG_FR), "1er juillet 2021");
    assert_string_equal(d(t, LANG_EN), "July 1, 2021");
    assert_string_equal(d(eastern_to_utc(2021, 7, 11, 12, 0, 0), LANG_FR), "11 juillet 2021");
    assert_string_equal(d(eastern_to_utc(2021, 7, 21, 12, 0, 0), LANG_FR), "21 juillet 2021");
}

static void
every_month_has_its_name_in_both_languages(void **state)
{
    (void)state;
    static const char *const en[] = {
        "January 1, 2021",   "February 1, 2021", "March 1, 2021",    "April 1, 2021",
        "May 1, 2021",       "June 1, 2021",     "July 1, 2021",     "August 1, 2021",
        "September 1, 2021", "October 1, 2021",  "November 1, 2021", "December 1, 2021",
    };
    static const char *const fr[] = {
        "1er janvier 2021",   "1er février 2021", "1er mars 2021",     "1er avril 2021",
        "1er mai 2021",       "1er juin 2021",    "1er juillet 2021",  "1er août 2021",
        "1er septembre 2021", "1er octobre 2021", "1er novembre 2021", "1er décembre 2021",
    };
    for (int m = 1; m <= 12; m++) {
        int64_t t = eastern_to_utc(2021, m, 1, 12, 0, 0);
        assert_string_equal(d(t, LANG_EN), en[m - 1]);
        assert_string_equal(d(t, LANG_FR), fr[m - 1]);
    }
}

static void
dst_runs_from_the_second_sunday_of_march_to_the_first_sunday_of_november(void **state)
{
    (void)state;
    struct civil_time ct;
    /* 2020: EDT from Sunday March 8, 2:00 EST (07:00 UTC) to Sunday
     * November 1, 2:00 EDT (06:00 UTC). */
    int64_t start = 1583650800, end = 1604210400;
    eastern_from_utc(start - 1, &ct);
    assert_false(ct.dst);
    assert_int_equal(ct.utc_offset, -18000);
    assert_int_equal(ct.day, 8);
    assert_int_equal(ct.hour, 1);
    assert_int_equal(ct.minute, 59);
    assert_int_equal(ct.second, 59);
    eastern_from_utc(start, &ct);
    assert_true(ct.dst);
    assert_int_equal(ct.utc_offset, -14400);
    assert_int_equal(ct.day, 8);
    assert_int_equal(ct.hour, 3);
    assert_int_equal(ct.minute, 0);
    eastern_from_utc(end - 1, &ct);
    assert_true(ct.dst);
    assert_int_equal(ct.month, 11);
    assert_int_equal(ct.day, 1);
    assert_int_equal(ct.hour, 1);
    assert_int_equal(ct.minute, 59);
    eastern_from_utc(end, &ct);
    assert_false(ct.dst);
    assert_int_equal(ct.hour, 1);
    assert_int_equal(ct.minute, 0);
    assert_int_equal(ct.utc_offset, -18000);
    assert_string_equal(dt(start - 60, LANG_EN), "March 8, 2020, at 1:59 a.m. (EST)");
    assert_string_equal(dt(start, LANG_EN), "March 8, 2020, at 3:00 a.m. (EDT)");
    assert_string_equal(dt(end - 60, LANG_FR), "1er novembre 2020, à 1 h 59 (HAE)");
    assert_string_equal(dt(end, LANG_FR), "1er novembre 2020, à 1 h 00 (HNE)");
}

static void
dst_ran_from_the_first_sunday_of_april_to_the_last_sunday_of_october_until_2006(void **state)
{
    (void)state;
    struct civil_time ct;
    /* 2006: Sunday April 2, 07:00 UTC to Sunday October 29, 06:00 UTC. */
    int64_t start = 1143961200, end = 1162101600;
    assert_int_equal(eastern_to_utc(2006, 4, 2, 3, 0, 0), start);
    assert_int_equal(eastern_to_utc(2006, 10, 29, 1, 0, 0), end - 3600);
    eastern_from_utc(start - 1, &ct);
    assert_false(ct.dst);
    eastern_from_utc(start, &ct);
    assert_true(ct.dst);
    eastern_from_utc(end - 1, &ct);
    assert_true(ct.dst);
    eastern_from_utc(end, &ct);
    assert_false(ct.dst);
    /* The March and November Sundays of the new rule were still winter. */
    eastern_from_utc(eastern_to_utc(2006, 3, 20, 12, 0, 0), &ct);
    assert_false(ct.dst);
    eastern_from_utc(eastern_to_utc(2006, 10, 30, 12, 0, 0), &ct);
    assert_false(ct.dst);
    /* 2007, the first year of the new rule: March 11 and November 4. */
    eastern_from_utc(eastern_to_utc(2007, 3, 11, 3, 0, 0), &ct);
    assert_true(ct.dst);
    eastern_from_utc(eastern_to_utc(2007, 11, 3, 12, 0, 0), &ct);
    assert_true(ct.dst);
    eastern_from_utc(eastern_to_utc(2007, 11, 4, 12, 0, 0), &ct);
    assert_false(ct.dst);
}

static void
the_skipped_hour_reads_as_est_and_the_repeated_hour_as_its_first_edt_time(void **state)
{
    (void)state;
    /* 2:30 on 2020-03-08 does not exist: read as EST (07:30 UTC = 3:30 EDT). */
    assert_int_equal(eastern_to_utc(2020, 3, 8, 2, 30, 0), 1583652600);
    /* 1:30 on 2020-11-01 happens twice: the first, EDT (05:30 UTC). */
    assert_int_equal(eastern_to_utc(2020, 11, 1, 1, 30, 0), 1604208600);
    /* 2:30 on 2020-11-01 happens once, in EST (07:30 UTC). */
    assert_int_equal(eastern_to_utc(2020, 11, 1, 2, 30, 0), 1604215800);
}

static void
civil_dates_and_day_numbers_round_trip(void **state)
{
    (void)state;
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(1969, 12, 31), -1);
    assert_int_equal(days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(days_from_civil(2020, 9, 15), 18520);
    assert_int_equal(days_from_civil(2021, 1, 1) - days_from_civil(2020, 1, 1), 366);
    assert_int_equal(days_from_civil(2101, 1, 1) - days_from_civil(2100, 1, 1), 365);
    for (int64_t day = -800000; day <= 800000; day += 997) {
        int y, m, dd;
        civil_from_days(day, &y, &m, &dd);
        assert_int_equal(days_from_civil(y, m, dd), day);
    }
    /* Every day from 1900 to 2100 follows the one before it. */
    int64_t day = days_from_civil(1900, 1, 1);
    for (int y = 1900; y <= 2100; y++)
        for (int m = 1; m <= 12; m++)
            for (int dd = 1; dd <= 31; dd++) {
                int yy, mm, ddd;
                civil_from_days(day, &yy, &mm, &ddd);
                if (yy != y || mm != m || ddd != dd)
                    continue; /* no such day in this month */
                assert_int_equal(days_from_civil(y, m, dd), day);
                day++;
            }
    assert_int_equal(day, days_from_civil(2101, 1, 1));
}

static void
eastern_and_utc_round_trip_over_years_of_instants(void **state)
{
    (void)state;
    /* Every quarter hour of 2019-2022, then every 7 hours and 13 seconds
     * from 1990 to 2040 (both daylight-saving rules). */
    const struct {
        int64_t from, to, step;
    } spans[] = {{1546300800, 1672531200, 900}, {631152000, 2208988800, 25213}};
    for (size_t k = 0; k < N_ELEMS(spans); k++) {
        for (int64_t t = spans[k].from; t < spans[k].to; t += spans[k].step) {
            struct civil_time ct;
            eastern_from_utc(t, &ct);
            assert_int_equal(ct.utc_offset, ct.dst ? -14400 : -18000);
            int64_t local = days_from_civil(ct.year, ct.month, ct.day) * 86400 + ct.hour * 3600 +
                            ct.minute * 60 + ct.second;
            assert_int_equal(local, t + ct.utc_offset);
            int64_t back = eastern_to_utc(ct.year, ct.month, ct.day, ct.hour, ct.minute, ct.second);
            if (back == t)
                continue;
            /* Only autumn's repeated hour, seen in EST, maps back to its
             * first occurrence: the EDT instant an hour earlier that
             * shows the same wall-clock time. */
            struct civil_time first;
            eastern_from_utc(back, &first);
            if (ct.dst || back != t - 3600 || !first.dst || first.hour != ct.hour ||
                first.minute != ct.minute || first.second != ct.second)
                fail_msg("%lld came back as %lld", (long long)t, (long long)back);
        }
    }
}

static void
weekday_is_known(void **state)
{
    (void)state;
    struct civil_time ct;
    eastern_from_utc(E2829_OPENED, &ct);
    assert_int_equal(ct.weekday, 2); /* Tuesday */
    eastern_from_utc(1583650800, &ct);
    assert_int_equal(ct.weekday, 0); /* Sunday March 8, 2020 */
    eastern_from_utc(0, &ct);        /* still Wednesday Dec 31, 1969, in Ottawa */
    assert_int_equal(ct.weekday, 3);
    assert_int_equal(ct.year, 1969);
    assert_int_equal(ct.hour, 19);
}

static void
eastern_parse_accepts_dates_and_date_times_read_as_eastern(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(eastern_parse("2020-09-15 09:30", 16, &t, NULL), 0);
    assert_int_equal(t, E2829_OPENED);
    assert_int_equal(eastern_parse("2020-09-15T09:30", 16, &t, NULL), 0);
    assert_int_equal(t, E2829_OPENED);
    assert_int_equal(eastern_parse("2020-12-09", 10, &t, NULL), 0);
    assert_int_equal(t, 1607490000); /* midnight EST */
    assert_int_equal(eastern_parse("2020-02-29", 10, &t, NULL), 0);
    assert_int_equal(eastern_parse("2000-02-29 23:59", 16, &t, NULL), 0);
    assert_int_equal(eastern_parse("2020-12-31 00:00", 16, &t, NULL), 0);
    /* Only the len bytes are read. */
    assert_int_equal(eastern_parse("2020-09-15 09:30:00", 16, &t, NULL), 0);
    assert_int_equal(t, E2829_OPENED);
}

static void
eastern_parse_refuses_what_is_not_a_date(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2020-13-01", /* bad month */
        "2020-00-10",
        "2020-09-00",
        "2020-09-31",
        "2020-02-30", /* no February 30 */
        "2021-02-29", /* not a leap year */
        "1900-02-29",
        "2020-09-15 24:00",
        "2020-09-15 09:60",
        "2020-09-15 09:30x", /* trailing junk */
        "2020-09-15x",
        "2020-09-15 ",
        "2020-09-15 09:30:00",
        "2020-09-15X09:30",
        "2020-09-15 9:30",
        "2020-9-15",
        "20-09-15",
        "2020/09/15",
        "+020-09-15",
        "2020-09-1a",
        " 2020-09-15",
        "1899-12-31",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        int64_t t = 42;
        struct err e = ERR_INIT;
        if (eastern_parse(bad[i], strlen(bad[i]), &t, &e) != ERR_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.key, "error.date");
        assert_int_equal(t, 42); /* untouched */
    }
    int64_t t;
    assert_int_equal(eastern_parse("2020-13-01", 10, &t, NULL), ERR_INVALID);
}

static void
iso_forms_are_utc_date_times_and_eastern_dates(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    utc_format_iso(&sb, E2829_OPENED);
    assert_string_equal(sb.buf, "2020-09-15T13:30:00Z");
    sb_reset(&sb);
    utc_format_iso(&sb, 0);
    assert_string_equal(sb.buf, "1970-01-01T00:00:00Z");
    sb_reset(&sb);
    utc_format_iso(&sb, -1);
    assert_string_equal(sb.buf, "1969-12-31T23:59:59Z");
    sb_reset(&sb);
    /* 23:30 EST on Dec 31 is already the next day in UTC; the Eastern date stays. */
    eastern_format_iso_date(&sb, eastern_to_utc(2020, 12, 31, 23, 30, 0));
    assert_string_equal(sb.buf, "2020-12-31");
    sb_reset(&sb);
    eastern_format_iso_date(&sb, E2829_OPENED);
    assert_string_equal(sb.buf, "2020-09-15");
    sb_release(&sb);
}

static void
iso_local_times_are_eastern_wall_clock_without_offset(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    eastern_format_iso_local(&sb, E2829_OPENED); /* 13:30 UTC, EDT */
    assert_string_equal(sb.buf, "2020-09-15T09:30:00");
    sb_reset(&sb);
    eastern_format_iso_local(&sb, eastern_to_utc(2020, 12, 31, 23, 30, 5)); /* EST */
    assert_string_equal(sb.buf, "2020-12-31T23:30:05");
    sb_reset(&sb);
    eastern_format_iso_local(&sb, eastern_to_utc(2021, 3, 14, 3, 0, 0)); /* just after the jump */
    assert_string_equal(sb.buf, "2021-03-14T03:00:00");
    sb_release(&sb);
}

static void
formatters_append_to_what_is_there(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    sb_adds(&sb, "Open for signature ");
    eastern_format_datetime(&sb, E2829_OPENED, LANG_EN);
    assert_string_equal(sb.buf, "Open for signature September 15, 2020, at 9:30 a.m. (EDT)");
    sb_release(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e2829_opening_is_shown_as_the_house_shows_it),
        cmocka_unit_test(dates_alone_are_month_day_year_in_english_and_day_month_year_in_french),
        cmocka_unit_test(winter_times_are_est_and_hne),
        cmocka_unit_test(noon_is_12_pm_and_midnight_is_12_am_or_0_h),
        cmocka_unit_test(the_first_of_the_month_is_1er_in_french),
        cmocka_unit_test(every_month_has_its_name_in_both_languages),
        cmocka_unit_test(dst_runs_from_the_second_sunday_of_march_to_the_first_sunday_of_november),
        cmocka_unit_test(
            dst_ran_from_the_first_sunday_of_april_to_the_last_sunday_of_october_until_2006),
        cmocka_unit_test(the_skipped_hour_reads_as_est_and_the_repeated_hour_as_its_first_edt_time),
        cmocka_unit_test(civil_dates_and_day_numbers_round_trip),
        cmocka_unit_test(eastern_and_utc_round_trip_over_years_of_instants),
        cmocka_unit_test(weekday_is_known),
        cmocka_unit_test(eastern_parse_accepts_dates_and_date_times_read_as_eastern),
        cmocka_unit_test(eastern_parse_refuses_what_is_not_a_date),
        cmocka_unit_test(iso_forms_are_utc_date_times_and_eastern_dates),
        cmocka_unit_test(iso_local_times_are_eastern_wall_clock_without_offset),
        cmocka_unit_test(formatters_append_to_what_is_there),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
