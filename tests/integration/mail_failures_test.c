/*
 * mail_failures_test.c: e-mail that cannot be delivered is handled and
 * seen (issue 21, item 2), through a real petitiond sending to a fake
 * relay (relay.h) that refuses one recipient for good (550) and greylists
 * another (451, three times, then accepts), under the server's clock
 * (--clock-file): nothing here waits for time to pass, only for the mail
 * thread to have done what the moved clock made due.
 *
 * The 550 e-mail fails after one attempt, with the relay's reply kept
 * (its address masked) and never tried again; the 451 one is tried again
 * after 1 and 2 minutes and stays waiting; /healthz counts them; the
 * Clerk's workspace shows the failure and why, in English and French,
 * without the address; after 10 minutes without a delivery the "check
 * your e-mail" pages say that e-mail is delayed (sign and forgotten
 * password, English and French); the greylisted e-mail's fourth attempt
 * goes through, and the warning is gone at once.  The e-mail delivered is
 * quoted-printable and reads back whole, its Message-ID on the domain of
 * --mail-from (the site's --base-url here names no domain).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"
#include "promtext.h"
#include "relay.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;
static struct relay R;
static int64_t t0;

#define GONE "gone@petitions.test"
#define GREY "grey@petitions.test"

static void
pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The value of name on /healthz's "mail" line, or -1. */
static long long
mail_health(const char *name)
{
    return healthz_value(&H, "mail", name);
}

/* The value of series on the node's /metrics (read from loopback, and
 * checked by the strict reader). */
static long long
metric(const char *series)
{
    struct http_result r;
    char why[300];
    assert_int_equal(http_get(&H, "/metrics", &r), 0);
    assert_int_equal(r.status, 200);
    if (!promtext_check(r.body, why, sizeof(why)))
        fail_msg("the scrape is not valid: %s", why);
    long long v = (long long)promtext_value(r.body, series);
    http_result_free(&r);
    return v;
}

/* Wait (polling, at most 15 s) until mail_health(name) is want. */
static void
wait_health(const char *name, long long want)
{
    long long v = -1;
    for (int i = 0; i < 600 && (v = mail_health(name)) != want; i++)
        pause_ms(25);
    if (v != want) {
        char *log = harness_log(&H);
        fail_msg("/healthz mail %s=%lld, not %lld; the log:\n%s", name, v, want, log);
    }
}

/* Wait (at most 15 s) until the outbox says the e-mail to addr was tried
 * attempts times; its record in *m. */
static void
wait_attempts(const char *addr, int attempts, struct fixture_mail *m)
{
    for (int i = 0; i < 600; i++) {
        if (fixture_outbox_mail(&H, addr, m) && m->attempts >= attempts)
            break;
        pause_ms(25);
    }
    if (m->attempts != attempts)
        fail_msg("%s: %d attempts, not %d", addr, m->attempts, attempts);
}

static void
sign(const char *lang, const char *first, const char *email)
{
    char form[512], path[64];
    snprintf(form, sizeof(form),
             "first_name=%s&last_name=B%%C3%%A9langer&email=%s&country=Canada&province=ON"
             "&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
             first, email);
    snprintf(path, sizeof(path), "/%s/petitions/e-6512/sign", lang);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

static const char delayed_en[] = "E-mail from this site is delayed";
static const char delayed_fr[] = "Les courriels de ce site sont retard\xc3\xa9s";

/* Whether the "check your e-mail" page after signing warns, in lang. */
static bool
check_page_warns(const char *lang)
{
    char path[64];
    struct http_result r;
    snprintf(path, sizeof(path), "/%s/petitions/e-6512/check-email", lang);
    assert_int_equal(http_get(&H, path, &r), 0);
    assert_int_equal(r.status, 200);
    bool en = body_has(&r, delayed_en), fr = body_has(&r, delayed_fr);
    assert_true(strcmp(lang, "en") == 0 ? !fr : !en); /* never the other language */
    http_result_free(&r);
    return en || fr;
}

static void
failures_are_handled_and_seen(void **state)
{
    (void)state;
    struct fixture_mail m;
    harness_set_clock(&H, t0);
    assert_int_equal(mail_health("waiting"), 0);
    assert_int_equal(mail_health("failed"), 0);
    assert_int_equal(mail_health("delayed"), 0);
    assert_false(check_page_warns("en"));

    /* Two signers whose e-mail the relay refuses: for good, and for now. */
    sign("en", "Gaston", "gone%40petitions.test");
    sign("fr", "Gis%C3%A8le", "grey%40petitions.test");

    /* The 550: one attempt, failed, the relay's reply kept, masked. */
    wait_attempts(GONE, 1, &m);
    assert_string_equal(m.kind, "signature-confirm");
    assert_int_equal(m.failed_at, t0);
    assert_int_equal(m.last_failure_at, t0);
    assert_int_equal(m.reply_code, 550);
    assert_string_equal(m.reply, "550-5.1.1 <***@petitions.test>: Recipient address rejected: "
                                 "550 5.1.1 User unknown");
    assert_non_null(strstr(m.last_error, "User unknown"));
    assert_null(strstr(m.last_error, "gone"));

    /* The 451: tried again after a minute. */
    wait_attempts(GREY, 1, &m);
    assert_int_equal(m.failed_at, 0);
    assert_int_equal(m.reply_code, 451);
    assert_int_equal(m.next_try_at, t0 + 60);
    assert_non_null(strstr(m.reply, "Greylisted"));
    wait_health("failed", 1);
    assert_int_equal(mail_health("errors_last_hour"), 2);
    assert_int_equal(mail_health("failed_last_hour"), 1);
    assert_int_equal(mail_health("waiting"), 1);
    assert_int_equal(mail_health("last_sent_at"), 0);

    harness_set_clock(&H, t0 + 61);
    wait_attempts(GREY, 2, &m);
    assert_int_equal(m.failed_at, 0);
    assert_int_equal(m.next_try_at, t0 + 61 + 120);
    assert_int_equal(mail_health("waiting"), 1);
    assert_int_equal(mail_health("oldest_waiting_s"), 61);
    /* A minute of failures is no delay yet. */
    assert_int_equal(mail_health("delayed"), 0);
    assert_false(check_page_warns("en"));
    assert_false(check_page_warns("fr"));

    /* Ten minutes after the first failure, with nothing delivered: the
     * greylisted e-mail's third attempt fails too, and the pages warn. */
    harness_set_clock(&H, t0 + 600);
    wait_attempts(GREY, 3, &m);
    wait_health("delayed", 1);
    assert_true(check_page_warns("en"));
    assert_true(check_page_warns("fr"));

    /* The 550 was never tried again. */
    char *wire = relay_wire(&R);
    assert_int_equal(relay_count(wire, "C: RCPT TO:<" GONE ">"), 1);
    assert_int_equal(relay_count(wire, "C: RCPT TO:<" GREY ">"), 3);
    assert_null(strstr(wire, "DATA-BEGIN"));
    free(wire);
    assert_true(fixture_outbox_mail(&H, GONE, &m));
    assert_int_equal(m.attempts, 1);

    /* A forgotten password's "check your e-mail" warns too (no account:
     * no e-mail is queued, the answer is the same). */
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    assert_int_equal(web_get(&b, "/fr/password/forgot", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/fr/password/forgot", "email=nobody%40example.org", true, &r),
                     0);
    assert_int_equal(r.status, 303); /* Post/Redirect/Get */
    http_result_free(&r);
    assert_int_equal(web_get(&b, "/fr/password/forgot?done=sent", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, delayed_fr));
    http_result_free(&r);

    /* The Clerk sees how many failed and why, never the address. */
    assert_int_equal(web_sign_in(&b, "clerk@petitions.test", "petitions-demo"), 303);
    assert_int_equal(web_get(&b, "/en/clerk", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<strong>1</strong> e-mail(s) could not be delivered"));
    assert_true(body_has(&r, "<td>Signature confirmation (to a signatory)</td><td>1</td>"));
    assert_true(body_has(&r, "<code>550-5.1.1 &lt;***@petitions.test&gt;: Recipient address "
                             "rejected: 550 5.1.1 User unknown</code>"));
    assert_true(body_has(&r, "E-mail is not getting through"));
    assert_true(
        body_has(&r, "1 e-mail(s) waiting to be sent; the oldest has waited 10 minute(s)."));
    assert_false(body_has(&r, GONE));
    assert_false(body_has(&r, GREY));
    http_result_free(&r);
    assert_int_equal(web_get(&b, "/fr/clerk", &r), 0);
    assert_true(body_has(&r, "<td>Confirmation de signature (\xc3\xa0 un signataire)</td>"));
    assert_true(body_has(&r, "Les courriels ne passent plus"));
    http_result_free(&r);

    /* The fourth attempt goes through: no longer delayed, at once. */
    size_t from = relay_wire_len(&R);
    harness_set_clock(&H, t0 + 600 + 240);
    char *session = relay_wait(&R, from, "DATA-END\n");
    assert_non_null(session);
    wait_health("last_sent_at", t0 + 840);
    assert_int_equal(mail_health("delayed"), 0);
    assert_int_equal(mail_health("waiting"), 0);
    assert_int_equal(mail_health("failed"), 1);
    /* The node's metrics count the same: three temporary failures of the
     * 451 one, the 550 one failed for good. */
    assert_int_equal(metric("petitiond_mail_delivery_failures_total{kind=\"temporary\"}"), 3);
    assert_int_equal(metric("petitiond_mail_delivery_failures_total{kind=\"permanent\"}"), 1);
    assert_int_equal(metric("petitiond_mail_failed"), 1);
    assert_int_equal(metric("petitiond_mail_waiting"), 0);
    assert_false(check_page_warns("en"));
    assert_false(fixture_outbox_mail(&H, GREY, &m)); /* sent */

    /* What went is quoted-printable, on the --mail-from domain, and reads
     * back whole: French words, the signer's name, the separator. */
    assert_non_null(strstr(session, "Content-Transfer-Encoding: quoted-printable\r\n"));
    assert_non_null(strstr(session, "\r\nMessage-ID: <"));
    const char *mid = strstr(session, "\r\nMessage-ID: <");
    const char *mid_end = strstr(mid + 2, "\r\n");
    char want_mid[64];
    snprintf(want_mid, sizeof(want_mid), ".%lld@petitions.test>", (long long)t0);
    assert_true((size_t)(mid_end - mid) > strlen(want_mid));
    assert_memory_equal(mid_end - strlen(want_mid), want_mid, strlen(want_mid));
    char *text = relay_message(session);
    assert_non_null(text);
    assert_non_null(strstr(text, "Gis\xc3\xa8le B\xc3\xa9langer"));
    assert_non_null(strstr(text, "\r\n-- \r\nChambre des communes du Canada"));
    char *link = mail_link(text, "/signatures/");
    assert_non_null(link);
    free(link);
    free(text);
    free(session);

    /* No signer's address reached the log. */
    char *log = harness_log(&H);
    assert_non_null(strstr(log, "not delivered (attempt 1)"));
    assert_non_null(strstr(log, "refused for good: failed"));
    assert_null(strstr(log, GONE));
    assert_null(strstr(log, GREY));
    free(log);
}

static int teardown(void **state);

static int
setup(void **state)
{
    static const char *const refuse[] = {"--no-starttls", "--refuse",    GONE "=550",
                                         "--refuse",      GREY "=451/3", NULL};
    static const char *args[8];
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    if (relay_start(&R, "smtp", refuse))
        return teardown(state), -1;
    /* Development mode for the demo staff accounts (the Clerk), with the
     * relay for the e-mail (no --mail-dir). */
    args[0] = "--dev";
    args[1] = "--smtp";
    args[2] = R.url;
    args[3] = "--mail-from";
    args[4] = "petitions@petitions.test";
    args[5] = NULL;
    t0 = (int64_t)time(NULL);
    if (harness_start_args(&H, NULL, args))
        return teardown(state), -1;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    int r = H.pid > 0 ? harness_stop_checked(&H) : 0;
    relay_stop(&R);
    curl_global_cleanup();
    return r;
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failures_are_handled_and_seen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
