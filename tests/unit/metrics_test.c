/*
 * metrics_test.c: the Prometheus text format as lib/metrics.h writes it:
 * HELP and TYPE lines, label values and help texts escaped as version
 * 0.0.4 says, histograms' buckets cumulative with +Inf equal to _count,
 * values observed in microseconds written in seconds, and the process's
 * request counters labelled by route pattern, method and status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lib/metrics.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static void
assert_text(struct strbuf *sb, const char *want)
{
    assert_false(sb_failed(sb));
    if (strcmp(sb->buf, want) != 0)
        fail_msg("written:\n%s\nwanted:\n%s", sb->buf, want);
    sb_release(sb);
}

static void
family_lines_escape_the_help_text(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    metrics_family(&sb, "petitiond_x_total", "counter", "A \\ and a\nnew line, \"quoted\".");
    assert_text(&sb, "# HELP petitiond_x_total A \\\\ and a\\nnew line, \"quoted\".\n"
                     "# TYPE petitiond_x_total counter\n");
}

static void
label_values_escape_backslash_quote_and_new_line(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    struct metrics_label l[] = {{"route", "/{lang}/petitions/*"}, {"odd", "a\"b\\c\nd"}};
    metrics_sample_u64(&sb, "petitiond_x_total", l, 2, 18446744073709551615ULL);
    metrics_sample_u64(&sb, "petitiond_y", NULL, 0, 0);
    metrics_sample_i64(&sb, "petitiond_z", l, 1, -3);
    assert_text(&sb, "petitiond_x_total{route=\"/{lang}/petitions/*\",odd=\"a\\\"b\\\\c\\nd\"} "
                     "18446744073709551615\n"
                     "petitiond_y 0\n"
                     "petitiond_z{route=\"/{lang}/petitions/*\"} -3\n");
}

static void
floats_are_written_as_the_format_reads_them(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    metrics_sample_double(&sb, "a", NULL, 0, 0.25);
    metrics_sample_double(&sb, "b", NULL, 0, INFINITY);
    metrics_sample_double(&sb, "c", NULL, 0, -INFINITY);
    metrics_sample_double(&sb, "d", NULL, 0, NAN);
    metrics_sample_double(&sb, "e", NULL, 0, 1e6);
    assert_text(&sb, "a 0.25\nb +Inf\nc -Inf\nd NaN\ne 1000000\n");
}

static void
histogram_buckets_are_cumulative_and_end_with_inf_equal_to_count(void **state)
{
    (void)state;
    static const double le[] = {1, 2, 5};
    const struct metrics_bounds b = {le, 3, 1};
    static struct metrics_buckets h;
    /* 1 in le=1; 2 and 2 in le=2 (a value on a bound is in it); 3 in
     * le=5; 7 beyond every bound. */
    metrics_observe(&b, &h, 1);
    metrics_observe(&b, &h, 2);
    metrics_observe(&b, &h, 2);
    metrics_observe(&b, &h, 3);
    metrics_observe(&b, &h, 7);
    struct strbuf sb;
    sb_init(&sb, NULL);
    struct metrics_label l = {"job", "x"};
    metrics_histogram_write(&sb, "petitiond_h", &l, 1, &b, &h);
    metrics_histogram_write(&sb, "petitiond_g", NULL, 0, &b, &h);
    assert_text(&sb, "petitiond_h_bucket{job=\"x\",le=\"1\"} 1\n"
                     "petitiond_h_bucket{job=\"x\",le=\"2\"} 3\n"
                     "petitiond_h_bucket{job=\"x\",le=\"5\"} 4\n"
                     "petitiond_h_bucket{job=\"x\",le=\"+Inf\"} 5\n"
                     "petitiond_h_sum{job=\"x\"} 15\n"
                     "petitiond_h_count{job=\"x\"} 5\n"
                     "petitiond_g_bucket{le=\"1\"} 1\n"
                     "petitiond_g_bucket{le=\"2\"} 3\n"
                     "petitiond_g_bucket{le=\"5\"} 4\n"
                     "petitiond_g_bucket{le=\"+Inf\"} 5\n"
                     "petitiond_g_sum 15\n"
                     "petitiond_g_count 5\n");
}

static void
microseconds_observed_are_seconds_written(void **state)
{
    (void)state;
    static struct metrics_buckets h;
    metrics_observe(&metrics_latency_bounds, &h, 1500);     /* 1.5 ms: in le=0.0025, not 0.001 */
    metrics_observe(&metrics_latency_bounds, &h, 20000000); /* 20 s: +Inf only */
    struct strbuf sb;
    sb_init(&sb, NULL);
    metrics_histogram_write(&sb, "t", NULL, 0, &metrics_latency_bounds, &h);
    assert_non_null(strstr(sb.buf, "t_bucket{le=\"0.001\"} 0\n"));
    assert_non_null(strstr(sb.buf, "t_bucket{le=\"0.0025\"} 1\n"));
    assert_non_null(strstr(sb.buf, "t_bucket{le=\"10\"} 1\n"));
    assert_non_null(strstr(sb.buf, "t_bucket{le=\"+Inf\"} 2\n"));
    assert_non_null(strstr(sb.buf, "t_sum 20.0015\n"));
    assert_non_null(strstr(sb.buf, "t_count 2\n"));
    sb_release(&sb);
}

static void
requests_are_counted_by_route_pattern_method_and_status(void **state)
{
    (void)state;
    static const char *const patterns[] = {"/healthz", "/{lang}/petitions/*/sign"};
    metrics_routes(patterns, 2);
    metrics_request(2, METRICS_POST, 303, 2000);
    metrics_request(2, METRICS_POST, 303, 2000);
    metrics_request(2, METRICS_GET, 200, 100);
    metrics_request(0, METRICS_GET, 404, 100);
    metrics_request(1, METRICS_OTHER, 42, 100); /* no such status: counted as 500 */
    struct strbuf sb;
    sb_init(&sb, NULL);
    metrics_write(&sb, &metrics);
    assert_false(sb_failed(&sb));
    const char *want[] = {
        "petitiond_http_requests_total{route=\"/{lang}/petitions/*/sign\",method=\"POST\","
        "code=\"303\",class=\"3xx\"} 2\n",
        "petitiond_http_requests_total{route=\"/{lang}/petitions/*/sign\",method=\"GET\","
        "code=\"200\",class=\"2xx\"} 1\n",
        "petitiond_http_requests_total{route=\"none\",method=\"GET\",code=\"404\","
        "class=\"4xx\"} 1\n",
        "petitiond_http_requests_total{route=\"/healthz\",method=\"other\",code=\"500\","
        "class=\"5xx\"} 1\n",
        "petitiond_http_request_duration_seconds_count{route=\"/{lang}/petitions/*/sign\","
        "method=\"POST\"} 2\n",
        "petitiond_http_request_duration_seconds_sum{route=\"/{lang}/petitions/*/sign\","
        "method=\"POST\"} 0.004\n",
        "# TYPE petitiond_intake_batch_size histogram\n",
        "petitiond_db_errors_total{kind=\"unavailable\"} 0\n",
        "petitiond_job_last_run_timestamp_seconds{job=\"counts_check\"} 0\n",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(sb.buf, want[i]))
            fail_msg("missing %s in:\n%s", want[i], sb.buf);
    /* Routes and methods never answered have no series. */
    assert_null(strstr(sb.buf, "route=\"/healthz\",method=\"GET\""));
    assert_null(strstr(sb.buf, "method=\"HEAD\""));
    sb_release(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(family_lines_escape_the_help_text),
        cmocka_unit_test(label_values_escape_backslash_quote_and_new_line),
        cmocka_unit_test(floats_are_written_as_the_format_reads_them),
        cmocka_unit_test(histogram_buckets_are_cumulative_and_end_with_inf_equal_to_count),
        cmocka_unit_test(microseconds_observed_are_seconds_written),
        cmocka_unit_test(requests_are_counted_by_route_pattern_method_and_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
