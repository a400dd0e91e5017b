/*
 * smtp_tls_test.c: the relay's TLS policy (issue 21, item 1), against
 * real TLS: tests/integration/fake_smtp.py, a small SMTP server with a
 * self-signed certificate made by openssl for each run, as a stock Debian
 * Exim has.
 *
 * smtp_send() with each policy: opportunistic (the default) delivers over
 * STARTTLS to the self-signed relay and logs, once per change, that the
 * certificate was not verified; required refuses that certificate, a
 * certificate for another name and a relay without STARTTLS, and delivers
 * once --smtp-ca-file names the certificate; none never starts TLS;
 * smtps:// always verifies.  smtp_config_check() refuses what would fail
 * every e-mail.  Then the whole path: petitiond serve --smtp with the
 * default policy sends a signer's confirmation through the relay, and the
 * link in the delivered message confirms; bad options stop serve with
 * one line that names the option.
 *
 * Four relays for the whole file (relay.h), each in its own folder
 * (certificate, key and wire.txt, the transcript the tests read):
 * STARTTLS with a certificate for 127.0.0.1, no STARTTLS, STARTTLS with a
 * certificate for another name, and smtps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "relay.h"
#include "web.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "mail/smtp.h"
#include "lib/banned.h"

enum { STARTTLS_RELAY, PLAIN_RELAY, OTHER_NAME_RELAY, SMTPS_RELAY, RELAYS };
static struct relay relays[RELAYS];
static struct harness H; /* petitiond serve; stopped by teardown if a test failed */

static void
pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- smtp_send() --------------------------------------------------------- */

static const char message[] = "From: petitions@example.org\r\n"
                              "To: jane@example.com\r\n"
                              "Subject: TLS policy test\r\n"
                              "\r\n"
                              "Hello over the relay.\r\n";

/* Send message with cfg; the relay's transcript of that connection comes
 * back through session (free() it). */
static int
send_via(const struct relay *r, struct smtp_config *cfg, struct err *e, char **session)
{
    size_t from = relay_wire_len(r);
    cfg->url = r->url;
    cfg->timeout_seconds = 10;
    int rc = smtp_send(cfg, "petitions@example.org", "jane@example.com", message, strlen(message),
                       NULL, e);
    /* Each connection ends with "END" in the transcript. */
    *session = relay_wait(r, from, "END\n");
    assert_non_null(*session);
    return rc;
}

/* Run fn(arg) with standard error going to a file; what it wrote comes
 * back (free() it).  fn must not fail the test: stderr is ours again
 * only when it returns. */
static char *
capture_stderr(void (*fn)(void *), void *arg)
{
    char path[] = "/tmp/petitiond-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct strbuf sb;
    char buf[4096];
    ssize_t n;
    sb_init(&sb, NULL);
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        sb_add(&sb, buf, (size_t)n);
    close(fd);
    unlink(path);
    return sb_detach(&sb, NULL);
}

/* One send with the default policy, for capture_stderr(). */
struct default_send {
    const struct relay *relay;
    int rc;
    struct err e;
};

static void
send_default(void *arg)
{
    struct default_send *d = arg;
    struct smtp_config cfg = {.url = d->relay->url, .timeout_seconds = 10};
    d->e = (struct err)ERR_INIT;
    d->rc = smtp_send(&cfg, "petitions@example.org", "jane@example.com", message, strlen(message),
                      NULL, &d->e);
}

/* send_default() to r, which must deliver; what it logged (free() it). */
static char *
log_of_default_send(const struct relay *r)
{
    struct default_send d = {.relay = r};
    char *log = capture_stderr(send_default, &d);
    if (d.rc)
        fail_msg("smtp_send: %d %s", d.rc, d.e.log);
    return log;
}

static void
opportunistic_starttls_delivers_to_a_self_signed_relay(void **state)
{
    (void)state;
    struct smtp_config cfg = {0}; /* the default policy */
    struct err e = ERR_INIT;
    char *session = NULL;
    int rc = send_via(&relays[STARTTLS_RELAY], &cfg, &e, &session);
    if (rc)
        fail_msg("smtp_send: %d %s\n%s", rc, e.log, session);
    /* Encrypted before the envelope, and the message went. */
    const char *tls = strstr(session, "TLS: on\n");
    assert_non_null(strstr(session, "C: STARTTLS\n"));
    assert_non_null(tls);
    assert_true(tls < strstr(session, "C: MAIL FROM:<petitions@example.org>"));
    assert_non_null(strstr(session, "C: RCPT TO:<jane@example.com>\n"));
    assert_non_null(strstr(session, "Subject: TLS policy test\r\n\r\nHello over the relay.\r\n"));
    free(session);
}

static void
opportunistic_logs_once_per_change(void **state)
{
    (void)state;
    /* A relay without STARTTLS first, so what the process logged last is
     * known, whatever ran before. */
    free(log_of_default_send(&relays[PLAIN_RELAY]));

    char *log = log_of_default_send(&relays[STARTTLS_RELAY]);
    assert_int_equal(relay_count(log, "\n"), 1);
    assert_non_null(strstr(log, "petitiond: smtp: STARTTLS with the relay, its certificate not "
                                "verified (--smtp-tls opportunistic"));
    free(log);

    log = log_of_default_send(&relays[STARTTLS_RELAY]);
    assert_string_equal(log, ""); /* nothing changed, nothing said */
    free(log);

    log = log_of_default_send(&relays[PLAIN_RELAY]);
    assert_int_equal(relay_count(log, "\n"), 1);
    assert_non_null(strstr(log, "the relay offers no STARTTLS: e-mail goes to it unencrypted"));
    free(log);
}

static void
required_refuses_a_self_signed_certificate(void **state)
{
    (void)state;
    struct smtp_config cfg = {.tls = SMTP_TLS_REQUIRED};
    struct err e = ERR_INIT;
    char *session = NULL;
    assert_int_equal(send_via(&relays[STARTTLS_RELAY], &cfg, &e, &session), ERR_IO);
    assert_non_null(strstr(e.log, "certificate"));
    assert_non_null(strstr(e.log, "--smtp-ca-file"));
    assert_non_null(strstr(session, "TLS: failed"));
    assert_null(strstr(session, "C: MAIL"));
    free(session);
}

static void
required_with_the_ca_file_delivers(void **state)
{
    (void)state;
    struct smtp_config cfg = {.tls = SMTP_TLS_REQUIRED, .ca_file = relays[STARTTLS_RELAY].cert};
    struct err e = ERR_INIT;
    char *session = NULL;
    int rc = send_via(&relays[STARTTLS_RELAY], &cfg, &e, &session);
    if (rc)
        fail_msg("smtp_send: %d %s\n%s", rc, e.log, session);
    assert_non_null(strstr(session, "TLS: on\n"));
    assert_non_null(strstr(session, "Hello over the relay."));
    free(session);
}

static void
required_checks_the_name_in_the_certificate(void **state)
{
    (void)state;
    /* Trusted (its own CA file) but made for relay.invalid, not 127.0.0.1. */
    struct relay *r = &relays[OTHER_NAME_RELAY];
    struct smtp_config cfg = {.tls = SMTP_TLS_REQUIRED, .ca_file = r->cert};
    struct err e = ERR_INIT;
    char *session = NULL;
    assert_int_equal(send_via(r, &cfg, &e, &session), ERR_IO);
    assert_non_null(strstr(e.log, "127.0.0.1"));
    assert_non_null(strstr(e.log, "must name the host in --smtp"));
    assert_null(strstr(session, "C: MAIL"));
    free(session);
}

static void
required_refuses_a_relay_without_starttls(void **state)
{
    (void)state;
    struct smtp_config cfg = {.tls = SMTP_TLS_REQUIRED};
    struct err e = ERR_INIT;
    char *session = NULL;
    assert_int_equal(send_via(&relays[PLAIN_RELAY], &cfg, &e, &session), ERR_IO);
    assert_non_null(strstr(e.log, "--smtp-tls required wants a relay that offers STARTTLS"));
    assert_null(strstr(session, "C: MAIL"));
    free(session);
}

static void
none_never_starts_tls(void **state)
{
    (void)state;
    struct smtp_config cfg = {.tls = SMTP_TLS_NONE};
    struct err e = ERR_INIT;
    char *session = NULL;
    int rc = send_via(&relays[STARTTLS_RELAY], &cfg, &e, &session);
    if (rc)
        fail_msg("smtp_send: %d %s\n%s", rc, e.log, session);
    assert_null(strstr(session, "STARTTLS"));
    assert_null(strstr(session, "TLS: on"));
    assert_non_null(strstr(session, "Hello over the relay."));
    free(session);
}

static void
smtps_always_verifies(void **state)
{
    (void)state;
    struct relay *r = &relays[SMTPS_RELAY];
    struct err e = ERR_INIT;
    char *session = NULL;

    /* The default policy is opportunistic, which never applies to smtps. */
    struct smtp_config cfg = {0};
    assert_int_equal(send_via(r, &cfg, &e, &session), ERR_IO);
    assert_non_null(strstr(e.log, "certificate"));
    assert_null(strstr(session, "C: "));
    free(session);

    cfg = (struct smtp_config){.ca_file = r->cert};
    e = (struct err)ERR_INIT;
    int rc = send_via(r, &cfg, &e, &session);
    if (rc)
        fail_msg("smtp_send: %d %s\n%s", rc, e.log, session);
    assert_non_null(strstr(session, "Hello over the relay."));
    free(session);

    /* none and smtps:// contradict each other: refused before connecting. */
    cfg = (struct smtp_config){.url = r->url, .tls = SMTP_TLS_NONE};
    size_t before = relay_wire_len(r);
    assert_int_equal(smtp_send(&cfg, "a@b.example", "c@d.example", "x\r\n", 3, NULL, &e),
                     ERR_INVALID);
    assert_int_equal(relay_wire_len(r), before);
}

static void
config_check_refuses_what_would_fail_every_mail(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    const char *ca = relays[STARTTLS_RELAY].cert;
    struct {
        struct smtp_config cfg;
        int rc;
        const char *says;
    } cases[] = {
        {{.url = "smtp://127.0.0.1:25"}, 0, ""},
        {{.url = "smtp://127.0.0.1:25", .tls = SMTP_TLS_NONE}, 0, ""},
        {{.url = "smtp://127.0.0.1:25", .tls = SMTP_TLS_REQUIRED, .ca_file = ca}, 0, ""},
        {{.url = "smtps://127.0.0.1:465", .ca_file = ca}, 0, ""},
        {{.url = "127.0.0.1:25"}, ERR_INVALID, "--smtp wants smtp://"},
        {{.url = "smtps://127.0.0.1:465", .tls = SMTP_TLS_NONE}, ERR_INVALID, "--smtp-tls none"},
        {{.url = "smtp://127.0.0.1:25", .ca_file = ca}, ERR_INVALID, "--smtp-tls required"},
        {{.url = "smtp://127.0.0.1:25", .tls = SMTP_TLS_REQUIRED, .ca_file = "/nonexistent.pem"},
         ERR_IO,
         "--smtp-ca-file /nonexistent.pem"},
        {{.url = "smtps://127.0.0.1:465", .ca_file = "/tmp"}, ERR_IO, "--smtp-ca-file /tmp"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        e = (struct err)ERR_INIT;
        int rc = smtp_config_check(&cases[i].cfg, &e);
        if (rc != cases[i].rc || !strstr(e.log, cases[i].says))
            fail_msg("case %zu: %d \"%s\"", i, rc, e.log);
    }

    enum smtp_tls tls = SMTP_TLS_NONE;
    assert_int_equal(smtp_tls_parse("required", &tls), 0);
    assert_int_equal(tls, SMTP_TLS_REQUIRED);
    assert_int_equal(smtp_tls_parse("opportunistic", &tls), 0);
    assert_int_equal(tls, SMTP_TLS_OPPORTUNISTIC);
    assert_int_equal(smtp_tls_parse("Required", &tls), ERR_INVALID);
    assert_int_equal(smtp_tls_parse("", &tls), ERR_INVALID);
    assert_int_equal(tls, SMTP_TLS_OPPORTUNISTIC);
}

/* ---- petitiond serve ----------------------------------------------------- */

static void
serve_sends_the_confirmation_through_a_self_signed_relay(void **state)
{
    (void)state;
    struct relay *r = &relays[STARTTLS_RELAY];
    const char *const args[] = {"--smtp", r->url, "--mail-from", "petitions@petitions.test", NULL};
    size_t from = relay_wire_len(r);
    assert_int_equal(harness_start_args(&H, NULL, args), 0);

    const char form[] = "first_name=Zo%C3%A9&last_name=Relay&email=zoe.relay%40petitions.test"
                        "&country=Canada&province=ON&postal_code=K1A+0A6&phone=613-555-0100"
                        "&eligible=1&terms=1";
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_result res;
    assert_int_equal(
        http_request(&H, "POST", "/en/petitions/e-6512/sign", form, strlen(form), headers, &res),
        0);
    assert_int_equal(res.status, 303);
    http_result_free(&res);

    /* The delivery thread sends it over STARTTLS; the relay has it. */
    char *session = relay_wait(r, from, "DATA-END\n");
    if (!session) {
        char *log = harness_log(&H);
        fail_msg("no mail reached the relay; petitiond's log:\n%s", log);
    }
    const char *tls = strstr(session, "TLS: on\n");
    assert_non_null(tls);
    const char *rcpt = strstr(session, "C: RCPT TO:<zoe.relay@petitions.test>\n");
    assert_non_null(rcpt);
    assert_true(tls < rcpt);

    /* The link in the delivered message confirms the signature. */
    char *text = relay_message(session);
    assert_non_null(text);
    char *link = mail_link(text, "/signatures/");
    free(text);
    assert_non_null(link);
    const char *q = strchr(link, '?');
    assert_non_null(q);
    char path[256];
    snprintf(path, sizeof(path), "%.*s", (int)(q - link), link);
    assert_int_equal(http_request(&H, "POST", path, q + 1, strlen(q + 1), headers, &res), 0);
    assert_int_equal(res.status, 303);
    http_result_free(&res);

    /* And the log says the certificate was not verified, once. */
    char *log = NULL;
    for (int i = 0; i < 300; i++) {
        free(log);
        log = harness_log(&H);
        if (strstr(log, "its certificate not verified"))
            break;
        pause_ms(50);
    }
    assert_int_equal(relay_count(log, "its certificate not verified"), 1);
    assert_null(strstr(log, "not delivered"));
    free(log);
    free(link);
    free(session);
    assert_int_equal(harness_stop_checked(&H), 0);
}

/* Run petitiond with args; its exit status, and its standard error
 * through err (free() it). */
static int
run_capturing_stderr(const char *const *args, char **err)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execv(harness_binary(), (char *const *)args);
        _exit(127);
    }
    close(fds[1]);
    struct strbuf sb;
    char buf[4096];
    ssize_t n;
    sb_init(&sb, NULL);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
        sb_add(&sb, buf, (size_t)n);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    *err = sb_detach(&sb, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
serve_refuses_bad_tls_options_in_one_line(void **state)
{
    (void)state;
    const char *bin = harness_binary();
    const char *ca = relays[STARTTLS_RELAY].cert;
    struct {
        const char *argv[12];
        const char *says;
    } cases[] = {
        {{bin, "serve", "--db", "/nonexistent.db", "--smtp", "smtp://127.0.0.1:25", "--smtp-tls",
          "strict", NULL},
         "--smtp-tls wants none, opportunistic or required, not \"strict\""},
        {{bin, "serve", "--db", "/nonexistent.db", "--smtp", "smtps://127.0.0.1:465", "--smtp-tls",
          "none", NULL},
         "--smtp-tls none does not apply to smtps://"},
        {{bin, "serve", "--db", "/nonexistent.db", "--smtp", "smtp://127.0.0.1:25", "--smtp-tls",
          "required", "--smtp-ca-file", "/nonexistent.pem", NULL},
         "--smtp-ca-file /nonexistent.pem"},
        {{bin, "serve", "--db", "/nonexistent.db", "--smtp", "smtp://127.0.0.1:25",
          "--smtp-ca-file", ca, NULL},
         "--smtp-ca-file is used only when the certificate is verified"},
        {{bin, "serve", "--db", "/nonexistent.db", "--smtp-tls", "required", NULL},
         "--smtp-tls and --smtp-ca-file need --smtp"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *err = NULL;
        int status = run_capturing_stderr(cases[i].argv, &err);
        if (status == 0 || relay_count(err, "\n") != 1 || !strstr(err, cases[i].says))
            fail_msg("case %zu: exit %d, said:\n%s", i, status, err);
        free(err);
    }
}

static int teardown(void **state);

static int
setup(void **state)
{
    (void)state;
    static const char *const other_name[] = {"--san", "DNS:relay.invalid", NULL};
    static const char *const no_starttls[] = {"--no-starttls", NULL};
    static const char *const smtps[] = {"--smtps", NULL};
    /* A proxy set in the environment must not catch our loopback tests. */
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    if (relay_start(&relays[STARTTLS_RELAY], "smtp", NULL) ||
        relay_start(&relays[PLAIN_RELAY], "smtp", no_starttls) ||
        relay_start(&relays[OTHER_NAME_RELAY], "smtp", other_name) ||
        relay_start(&relays[SMTPS_RELAY], "smtps", smtps)) {
        teardown(state);
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    if (H.pid > 0)
        harness_stop(&H);
    for (int i = 0; i < RELAYS; i++)
        relay_stop(&relays[i]);
    curl_global_cleanup();
    return 0;
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opportunistic_starttls_delivers_to_a_self_signed_relay),
        cmocka_unit_test(opportunistic_logs_once_per_change),
        cmocka_unit_test(required_refuses_a_self_signed_certificate),
        cmocka_unit_test(required_with_the_ca_file_delivers),
        cmocka_unit_test(required_checks_the_name_in_the_certificate),
        cmocka_unit_test(required_refuses_a_relay_without_starttls),
        cmocka_unit_test(none_never_starts_tls),
        cmocka_unit_test(smtps_always_verifies),
        cmocka_unit_test(config_check_refuses_what_would_fail_every_mail),
        cmocka_unit_test(serve_sends_the_confirmation_through_a_self_signed_relay),
        cmocka_unit_test(serve_refuses_bad_tls_options_in_one_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
