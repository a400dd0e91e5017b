/*
 * metrics_test.c: /metrics (issue 17, item 4) over HTTP.
 *
 * Every scrape is read by a strict reader of the Prometheus text format
 * (promtext.h; promtool is not installed here), which is itself shown to
 * refuse what the format forbids.  Signing moves the scrape as it
 * should: the sign route's counter (labelled by its pattern, never the
 * path) grows by exactly the signatures made, as do the signatures
 * accepted; confirmations (one of them repeated) move the confirmation
 * route's counter by those answered and the confirmations accepted by
 * those that counted; the writer's batch and commit histograms count
 * every job; nothing personal or petition-specific shows.  Only the allowed get an
 * answer: behind the trusted proxy the address X-Forwarded-For names is
 * judged (a stranger's gets 404, as does the proxy without the header),
 * and a server whose --metrics-from leaves out loopback answers even
 * 127.0.0.1 with 404.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "harness.h"
#include "promtext.h"
#include "lib/banned.h"

/* Development mode: e-mails are files to read links from, and 127.0.0.1
 * is the trusted proxy. */
static struct harness H;

static const char sign_series[] =
    "petitiond_http_requests_total{route=\"/{lang}/petitions/*/sign\",method=\"POST\","
    "code=\"303\",class=\"3xx\"}";
static const char confirm_series[] =
    "petitiond_http_requests_total{route=\"/{lang}/signatures/*\",method=\"POST\","
    "code=\"303\",class=\"3xx\"}";
static const char page_series[] =
    "petitiond_http_requests_total{route=\"/{lang}/petitions/*\",method=\"GET\",code=\"200\","
    "class=\"2xx\"}";

/* GET /metrics as from the address xff names (NULL: no header); the
 * status, and the body checked by the strict reader when 200. */
static long
scrape(struct harness *h, const char *xff, char **body)
{
    char header[96];
    snprintf(header, sizeof(header), "X-Forwarded-For: %s", xff ? xff : "");
    const char *headers[] = {header, NULL};
    struct http_result r;
    assert_int_equal(http_request(h, "GET", "/metrics", NULL, 0, xff ? headers : NULL, &r), 0);
    long status = r.status;
    if (status == 200) {
        char why[300];
        if (!promtext_check(r.body, why, sizeof(why)))
            fail_msg("the scrape is not valid: %s\n%s", why, r.body);
        const char *ct = http_header(&r, "Content-Type");
        assert_non_null(ct);
        assert_non_null(strstr(ct, "text/plain; version=0.0.4"));
        assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
    }
    if (body)
        *body = strdup(r.body);
    http_result_free(&r);
    return status;
}

static void
sign(int i)
{
    char body[512], xff[64];
    snprintf(body, sizeof(body),
             "first_name=Ada&last_name=Metric&email=metric%d%%40example.ca&country=Canada"
             "&province=ON&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
             i);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 198.51.100.%d", 10 + i);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    assert_int_equal(
        http_request(&H, "POST", "/en/petitions/e-6512/sign", body, strlen(body), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
the_reader_refuses_what_the_format_forbids(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* buckets falling: not cumulative */
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        /* no +Inf bucket */
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
        /* _count not the +Inf bucket */
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
        /* le not growing */
        "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n"
        "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        /* a counter without _total, and a negative one */
        "# TYPE c counter\nc 1\n",
        "# TYPE c_total counter\nc_total -1\n",
        /* an escape the format has not, a quote left bare */
        "# TYPE g gauge\ng{a=\"x\\ty\"} 1\n",
        "# TYPE g gauge\ng{a=\"x\"y\"} 1\n",
        /* no TYPE; TYPE twice; a family split; a series twice; a label twice */
        "g 1\n",
        "# TYPE g gauge\n# TYPE g gauge\ng 1\n",
        "# TYPE g gauge\ng{a=\"1\"} 1\n# TYPE f gauge\nf 1\ng{a=\"2\"} 1\n",
        "# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\n",
        "# TYPE g gauge\ng{a=\"1\",a=\"2\"} 1\n",
        /* a bad value, no final new line, an empty line */
        "# TYPE g gauge\ng one\n",
        "# TYPE g gauge\ng 1",
        "# TYPE g gauge\n\ng 1\n",
    };
    char why[300];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (promtext_check(bad[i], why, sizeof(why)))
            fail_msg("accepted:\n%s", bad[i]);
    assert_true(
        promtext_check("# HELP g A \\\\ and \\n.\n# TYPE g gauge\ng{a=\"q\\\"\\\\\\n\"} +Inf\n"
                       "# TYPE h histogram\nh_bucket{x=\"1\",le=\"0.5\"} 1\n"
                       "h_bucket{x=\"1\",le=\"+Inf\"} 2\nh_sum{x=\"1\"} 3.5\n"
                       "h_count{x=\"1\"} 2\n",
                       why, sizeof(why)));
}

static void
signing_moves_the_scrape_by_what_was_done(void **state)
{
    (void)state;
    enum { N = 5 };
    char *before, *after;
    assert_int_equal(scrape(&H, "127.0.0.1", &before), 200);

    for (int i = 0; i < N; i++)
        sign(i);
    /* Two confirmed from their e-mails, one of them twice. */
    char email[64];
    for (int i = 0; i < 2; i++) {
        snprintf(email, sizeof(email), "metric%d@example.ca", i);
        confirm_from_mail(&H, email);
    }
    confirm_from_mail(&H, email);
    /* The petition's page twice (usually the second from the page cache). */
    for (int i = 0; i < 2; i++) {
        struct http_result r;
        assert_int_equal(http_get(&H, "/en/petitions/e-6512", &r), 0);
        assert_int_equal(r.status, 200);
        http_result_free(&r);
    }

    assert_int_equal(scrape(&H, "127.0.0.1", &after), 200);
    /* The sign route, by its pattern, grew by exactly the signatures made. */
    assert_int_equal(
        (long)(promtext_value(after, sign_series) - promtext_value(before, sign_series)), N);
    assert_int_equal((long)(promtext_value(after, "petitiond_signatures_accepted_total") -
                            promtext_value(before, "petitiond_signatures_accepted_total")),
                     N);
    assert_int_equal(
        (long)(promtext_value(after, page_series) - promtext_value(before, page_series)), 2);
    /* Three confirmations answered, two of which counted. */
    assert_int_equal(
        (long)(promtext_value(after, confirm_series) - promtext_value(before, confirm_series)), 3);
    assert_int_equal((long)(promtext_value(after, "petitiond_confirmations_accepted_total") -
                            promtext_value(before, "petitiond_confirmations_accepted_total")),
                     2);
    /* Each of the two GETs was a cache hit or a miss (which one depends on
     * whether the e-mails' delivery changed the data in between). */
    assert_true(promtext_value(after, "petitiond_cache_hits_total") +
                    promtext_value(after, "petitiond_cache_misses_total") >=
                promtext_value(before, "petitiond_cache_hits_total") +
                    promtext_value(before, "petitiond_cache_misses_total") + 2);
    /* Their latency was measured, under the same labels. */
    assert_true(promtext_value(after, "petitiond_http_request_duration_seconds_count{route=\"/{"
                                      "lang}/petitions/*/sign\",method=\"POST\"}") >= N);
    /* The writer's batches and commits: N signatures and 3 confirmations,
     * each answered before the next was sent, so each in a batch of its
     * own. */
    double batches = promtext_value(after, "petitiond_intake_batch_size_count") -
                     promtext_value(before, "petitiond_intake_batch_size_count");
    assert_int_equal((long)batches, N + 3);
    assert_int_equal((long)(promtext_value(after, "petitiond_intake_batch_size_sum") -
                            promtext_value(before, "petitiond_intake_batch_size_sum")),
                     N + 3);
    assert_true(promtext_value(after, "petitiond_intake_commit_duration_seconds_count") >=
                promtext_value(before, "petitiond_intake_commit_duration_seconds_count") + batches);
    /* The outbox is read at each scrape; the writer's queue is empty again. */
    assert_non_null(strstr(after, "\n# TYPE petitiond_mail_waiting gauge\n"));
    assert_int_equal((long)promtext_value(after, "petitiond_intake_queue_depth"), 0);
    /* Nothing personal and nothing of one petition: no address, no e-mail,
     * no path. */
    assert_null(strstr(after, "198.51.100"));
    assert_null(strstr(after, "example.ca"));
    assert_null(strstr(after, "e-6512"));
    assert_null(strstr(after, "Metric"));
    free(before);
    free(after);
}

static void
only_the_allowed_addresses_get_an_answer(void **state)
{
    (void)state;
    char *body;
    /* Behind the trusted proxy, the forwarded address is judged. */
    assert_int_equal(scrape(&H, "203.0.113.9", &body), 404);
    assert_null(strstr(body, "petitiond_"));
    free(body);
    assert_int_equal(scrape(&H, "::1", NULL), 200);
    /* A spoofed loopback on the left does not help: the proxy's right-most
     * entry names the client. */
    assert_int_equal(scrape(&H, "127.0.0.1, 203.0.113.9", NULL), 404);
    /* The proxy itself, without naming a client, is refused. */
    assert_int_equal(scrape(&H, NULL, NULL), 404);

    /* A server that allows only 10.0.0.0/8: loopback gets 404 too. */
    struct harness h2;
    memset(&h2, 0, sizeof(h2));
    static const char *const args[] = {"--metrics-from", "10.0.0.0/8,2001:db8::/32", NULL};
    assert_int_equal(harness_start_args(&h2, NULL, args), 0);
    assert_int_equal(scrape(&h2, NULL, NULL), 404);
    assert_int_equal(harness_stop(&h2), 0);
}

static int
setup(void **state)
{
    (void)state;
    return harness_start_with(&H, NULL, true);
}

static int
teardown(void **state)
{
    (void)state;
    return harness_stop_checked(&H);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_reader_refuses_what_the_format_forbids),
        cmocka_unit_test(signing_moves_the_scrape_by_what_was_done),
        cmocka_unit_test(only_the_allowed_addresses_get_an_answer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
