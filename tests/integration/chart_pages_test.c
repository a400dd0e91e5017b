/*
 * chart_pages_test.c: the charts of the public pages over HTTP, against a
 * real petitiond with the demo data and a few days of signatures written
 * into its database (fixture_petition_day_add()) before the first page is
 * drawn: the bars beside the regions table on every e-petition (open
 * e-6512, imported e-2829), the line of an open petition's days with its
 * table, no chart for a paper petition nor a line without days, the home
 * page's map of the week, and the same in French.  Each chart is an <svg role="img"> labelled by
 * its <title> and <desc>.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"
#include "lib/banned.h"

#define NBSP "\xc2\xa0"

static struct harness server;

/*
 * e-6512 (336 signatures in the demo, none of them on known days) gets 52
 * of them on the last four days: 25 three days ago (20 from Ontario, 5
 * from Quebec), 12 two days ago, 9 yesterday, 6 today; the other 284
 * count as counted before.  The days are Eastern Standard Time's (UTC
 * less five hours, all year round), as they always were here.
 */
static const struct {
    int ago; /* days before today */
    const char *region;
    int delta;
} days[] = {{3, "ON", 20}, {3, "QC", 5}, {2, "ON", 12}, {1, "BC", 9}, {0, "XX", 2}, {0, "ON", 4}};

static int
start(void **state)
{
    (void)state;
    if (harness_start(&server, NULL))
        return -1;
    for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
        time_t t = time(NULL) - 5 * 3600 - (time_t)days[i].ago * 86400;
        struct tm tm;
        char day[16];
        gmtime_r(&t, &tm);
        strftime(day, sizeof(day), "%Y-%m-%d", &tm);
        fixture_petition_day_add(&server, 6512, day, days[i].region, days[i].delta);
    }
    return 0;
}

static int
stop(void **state)
{
    (void)state;
    return harness_stop_checked(&server);
}

static struct http_result
get(const char *path)
{
    struct http_result r;
    assert_int_equal(http_get(&server, path, &r), 0);
    assert_int_equal(r.status, 200);
    return r;
}

static void
has(const struct http_result *r, const char *needle)
{
    if (!body_has(r, needle))
        fail_msg("the page lacks: %s", needle);
}

static void
lacks(const struct http_result *r, const char *needle)
{
    if (body_has(r, needle))
        fail_msg("the page has: %s", needle);
}

/* How many times needle occurs in the body. */
static int
occurrences(const struct http_result *r, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(r->body, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void
open_petition_draws_bars_beside_its_regions_table(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/e-6512");
    has(&r, "<svg class=\"chart chart-bars\"");
    has(&r, "role=\"img\" aria-labelledby=\"chart-regions-title chart-regions-desc\"");
    has(&r, "<title id=\"chart-regions-title\">Signatures by province and territory</title>");
    has(&r, "<desc id=\"chart-regions-desc\">Signatures by province and territory: Ontario 164, "
            "British Columbia 52, Quebec 41, Alberta 38, Outside Canada 19,");
    /* The table stays, with its caption, right after the chart. */
    const char *svg_end = strstr(r.body, "</svg>");
    const char *table = strstr(r.body, "<table class=\"regions\">");
    assert_true(svg_end && table && svg_end < table);
    has(&r, "<caption>Signatures by province and territory</caption>");
    has(&r, "<td class=\"num\" data-region=\"ON\">164</td>");
    /* One bar per region. */
    assert_int_equal(occurrences(&r, "<rect class=\"chart-bar\""), 14);
    http_result_free(&r);
}

static void
open_petition_draws_the_line_of_its_days_with_their_table(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/e-6512");
    has(&r, "<h3 class=\"chart-heading\" id=\"days-heading\">Signatures over time</h3>");
    has(&r, "<svg class=\"chart chart-line\"");
    has(&r, "aria-labelledby=\"chart-days-title chart-days-desc\"");
    has(&r, "<title id=\"chart-days-title\">Signatures over time</title>");
    /* From the opening day (284: counted before) to today (336). */
    has(&r, "<desc id=\"chart-days-desc\">Total signatures at the end of each day, from 284 on ");
    has(&r, " to 336 on ");
    has(&r, "The most in one day: 25 on ");
    has(&r, "<text class=\"chart-value\"");
    has(&r, ">336</text>");
    has(&r, "284 signatures counted before daily figures were kept are shown from the first day.");
    /* The days that changed, with the total each evening. */
    has(&r, "<summary>Signatures per day</summary>");
    has(&r, "<td class=\"num\">+25</td><td class=\"num\">309</td>");
    has(&r, "<td class=\"num\">+12</td><td class=\"num\">321</td>");
    has(&r, "<td class=\"num\">+9</td><td class=\"num\">330</td>");
    has(&r, "<td class=\"num\">+6</td><td class=\"num\">336</td>");
    assert_int_equal(occurrences(&r, "<tr><th scope=\"row\"><time datetime=\""), 4);
    /* A point a day from the opening, twelve days ago, to today. */
    const char *d = strstr(r.body, "class=\"chart-path\" d=\"M");
    assert_non_null(d);
    int points = 1;
    for (const char *p = d + 23; *p && *p != '"'; p++)
        points += *p == 'L';
    assert_int_equal(points, 13);
    http_result_free(&r);
}

static void
imported_petition_has_bars_but_no_line(void **state)
{
    (void)state;
    /* e-2829: closed, its 1,098 signatures imported without days. */
    struct http_result r = get("/en/petitions/e-2829");
    has(&r, "<svg class=\"chart chart-bars\"");
    has(&r, "Signatures by province and territory: Ontario 512, British Columbia 163, "
            "Quebec 142, Alberta 118,");
    has(&r, ">1,098<");
    lacks(&r, "chart-line");
    lacks(&r, "Signatures per day");
    lacks(&r, "Signatures over time");
    assert_int_equal(occurrences(&r, "<svg"), 1);
    http_result_free(&r);
}

static void
paper_petition_has_no_chart(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/441-01211");
    lacks(&r, "<svg");
    http_result_free(&r);
}

static void
french_petition_page_draws_in_french(void **state)
{
    (void)state;
    struct http_result r = get("/fr/petitions/e-6512");
    has(&r, "<title id=\"chart-regions-title\">Signatures par province et territoire</title>");
    has(&r, "Signatures par province et territoire" NBSP ": Ontario 164, Colombie-Britannique 52, "
            "Québec 41,");
    has(&r, ">Hors du Canada</text>");
    has(&r, "<title id=\"chart-days-title\">Signatures au fil du temps</title>");
    has(&r, "Nombre total de signatures à la fin de chaque jour, de 284 le ");
    has(&r, "<summary>Signatures par jour</summary>");
    has(&r, "Les 284 signatures comptées avant la tenue des chiffres quotidiens");
    http_result_free(&r);
}

static void
home_maps_where_this_weeks_signatures_come_from(void **state)
{
    (void)state;
    struct http_result r = get("/en");
    has(&r, "<h2 id=\"week-heading\">Where this week’s signatures come from</h2>");
    has(&r, "52 signatures were counted in the last 7 days, from ");
    has(&r, "<svg class=\"chart chart-tiles\"");
    has(&r, "role=\"img\" aria-labelledby=\"chart-week-title chart-week-desc\"");
    has(&r, "<title id=\"chart-week-title\">Signatures of the last 7 days by province and "
            "territory</title>");
    has(&r, "<desc id=\"chart-week-desc\">Signatures of the last 7 days by province and territory: "
            "Ontario 36, British Columbia 9, Quebec 5, Outside Canada 2, Alberta 0,");
    has(&r, "<title>Ontario: 36</title>");
    /* A tile per province and territory, and one for outside Canada. */
    assert_int_equal(occurrences(&r, "<g class=\"chart-tile"), 14);
    /* Its table. */
    has(&r, "<caption>Signatures of the last 7 days by province and territory</caption>");
    has(&r, "<td class=\"num\" data-week-region=\"ON\">36</td>");
    has(&r, "<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">52</td></tr></tfoot>");
    http_result_free(&r);

    r = get("/fr");
    has(&r, "D’où viennent les signatures de la semaine");
    has(&r, "52 signatures ont été comptées au cours des 7 derniers jours, du ");
    has(&r, "<title id=\"chart-week-title\">Signatures des 7 derniers jours par province et "
            "territoire</title>");
    has(&r, "<title>Ontario" NBSP ": 36</title>");
    has(&r, ">Hors du Canada</text>");
    http_result_free(&r);
}

static void
home_says_when_no_signature_came_this_week(void **state)
{
    (void)state;
    /* A month on, by the site's clock: the four days are out of the week. */
    harness_set_clock(&server, (int64_t)time(NULL) + 30 * 86400);
    struct http_result r = get("/en");
    has(&r, "No signatures were counted in the last 7 days.");
    lacks(&r, "chart-tiles");
    http_result_free(&r);
    harness_set_clock(&server, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_petition_draws_bars_beside_its_regions_table),
        cmocka_unit_test(open_petition_draws_the_line_of_its_days_with_their_table),
        cmocka_unit_test(imported_petition_has_bars_but_no_line),
        cmocka_unit_test(paper_petition_has_no_chart),
        cmocka_unit_test(french_petition_page_draws_in_french),
        cmocka_unit_test(home_maps_where_this_weeks_signatures_come_from),
        cmocka_unit_test(home_says_when_no_signature_came_this_week),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
