/*
 * mta_test.c: e-mail through a real mail server (issue 21, item 5):
 * Debian's Exim 4, configured by scripts/test-mta to listen on a loopback
 * port, offer STARTTLS with a self-signed certificate as a stock install
 * does, refuse the local part "refused" with 550 and deliver everything
 * else into a Maildir, which these tests read.
 *
 * petitiond serve sends with its default TLS policy (opportunistic) to
 * that server.  Signatories sign e-6512 in English and in French with
 * accented names; each message arrives once, over STARTTLS, with the
 * name and subject decoded as written and the body in the signatory's
 * language, and the link in the delivered message confirms (the count
 * moves).  With the server stopped (scripts/test-mta pause), signatures
 * are still taken and their mail waits in the outbox; started again and
 * the retry due (the server's clock moved), every message arrives, once
 * (the outbox has nothing left to send).  A recipient the server refuses
 * with 550 is not delivered: petitiond logs the server's code, marks it
 * failed after that one attempt and never tries it again.
 *
 * E-mail once across nodes (issue 17): the server accepts each of
 * petitiond's Message-IDs once, as deploy/exim/petitiond-once.acl makes a
 * site's relay do (scripts/test-mta).  A site of two nodes on e-8008 of
 * tests/integration/data/house.json (both engines, as PETITIOND_TEST_STORE
 * says): the Clerk presents e-8008 and its signatories are mailed; the
 * node sending is killed (the test build's hook, jobs/delivery.c) right
 * after the server accepted one of those e-mails and before it recorded
 * it sent.  The other node, once the dead node's claims have passed by
 * the site's clock, sends what the dead one had claimed, that one again
 * with it: the server drops the second copy (its log says so), every
 * signatory holds exactly one message, and the outbox has nothing left to
 * send.  With TEST_MTA_ONCE=0 (a relay that takes every copy) that
 * signatory gets two, and the test fails.
 *
 * The server is the run's (scripts/run-tests starts one when this test is
 * to run, and names its folder in PETITIOND_TEST_MTA), or, with that
 * unset (the binary run by hand), one of this file's own, stopped at the
 * end.  Without Exim installed, every test is skipped, saying why.  The
 * tests run in order on one petitiond, the refusal last.
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "core/eastern_time.h"
#include "jobs/delivery.h"
#include "lib/strbuf.h"
#include "workflow/leases.h"
#include "lib/banned.h"

#define TEST_MTA "scripts/test-mta"

static struct harness H;
static char mta_dir[128]; /* the mail server's folder ("" when there is none) */
static bool mta_own;      /* started by this file (stopped by its teardown) */
static char smtp_url[64];
static int64_t t_now; /* the server's clock */
static int next_ip = 1;

/* ---- small helpers ------------------------------------------------------------------------ */

static void
pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The whole of a file, NUL-terminated; NULL when it cannot be read. */
static char *
file_read(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb;
    char buf[4096];
    size_t n;
    sb_init(&sb, NULL);
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_add(&sb, buf, n);
    fclose(fp);
    return sb_detach(&sb, NULL);
}

/* Run scripts/test-mta with a command on mta_dir; its exit status. */
static int
test_mta(const char *cmd)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* Its output (the port) is not the test's: only its errors. */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 1);
        execl(TEST_MTA, TEST_MTA, cmd, mta_dir, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* How many times needle occurs in s. */
static int
count_of(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The mail server's log so far (what it received, refused, delivered);
 * free() it. */
static char *
mta_log_read(void)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/log", mta_dir);
    char *log = file_read(path);
    return log ? log : strdup("");
}

static char *
server_log_read(void)
{
    return harness_log(&H);
}

/* Wait up to 30 s until the log read_log() reads holds needle n times or
 * more (the mail server's, or petitiond's: server_log_read). */
static bool
log_wait(char *(*read_log)(void), const char *needle, int n)
{
    for (int i = 0; i < 600; i++) {
        char *log = read_log();
        int k = count_of(log, needle);
        free(log);
        if (k >= n)
            return true;
        pause_ms(50);
    }
    return false;
}

/* ---- reading a delivered message ---------------------------------------------------------- */

/* The unfolded value of header name of msg (the first one), or NULL;
 * free() it.  Exim writes the Maildir with LF line ends; CRLF is read too. */
static char *
header_get(const char *msg, const char *name)
{
    size_t nlen = strlen(name);
    struct strbuf sb;
    for (const char *p = msg; *p && *p != '\n' && !(p[0] == '\r' && p[1] == '\n');) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            return NULL;
        if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            sb_init(&sb, NULL);
            const char *v = p + nlen + 1;
            for (;;) {
                while (*v == ' ' || *v == '\t')
                    v++;
                size_t len = (size_t)(eol - v);
                if (len && v[len - 1] == '\r')
                    len--;
                sb_add(&sb, v, len);
                if (eol[1] != ' ' && eol[1] != '\t')
                    break;
                sb_addch(&sb, ' ');
                v = eol + 1;
                eol = strchr(v, '\n');
                if (!eol)
                    break;
            }
            return sb_detach(&sb, NULL);
        }
        p = eol + 1;
    }
    return NULL;
}

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Quoted-printable text of len bytes decoded into sb (q: the "Q" form of
 * RFC 2047, where '_' is a space). */
static void
qp_decode(struct strbuf *sb, const char *s, size_t len, bool q)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '=' && i + 1 < len && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            i += s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n' ? 2 : 1; /* soft break */
        } else if (s[i] == '=' && i + 2 < len && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            sb_addch(sb, (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            sb_addch(sb, q && s[i] == '_' ? ' ' : s[i]);
        }
    }
}

/* Base64 of len bytes decoded into sb (line ends ignored). */
static void
base64_decode(struct strbuf *sb, const char *s, size_t len)
{
    unsigned char *out = malloc(len + 1);
    size_t n = 0;
    assert_non_null(out);
    assert_int_equal(
        sodium_base642bin(out, len + 1, s, len, "\r\n", &n, NULL, sodium_base64_VARIANT_ORIGINAL),
        0);
    sb_add(sb, (const char *)out, n);
    free(out);
}

/* A header's value with its RFC 2047 encoded-words ("=?UTF-8?B?...?=",
 * "=?UTF-8?Q?...?=") decoded; the space between two words dropped, as
 * the RFC says.  free() it. */
static char *
words_decode(const char *v)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    bool after_word = false;
    while (*v) {
        const char *w = strstr(v, "=?");
        const char *q1 = w ? strchr(w + 2, '?') : NULL;
        const char *q2 = q1 ? strchr(q1 + 1, '?') : NULL;
        const char *end = q2 ? strstr(q2 + 1, "?=") : NULL;
        if (!end) {
            sb_adds(&sb, v);
            break;
        }
        bool gap_blank = true;
        for (const char *p = v; p < w; p++)
            gap_blank &= *p == ' ' || *p == '\t';
        if (!(after_word && gap_blank))
            sb_add(&sb, v, (size_t)(w - v));
        char enc = q1[1];
        assert_true(q2 == q1 + 2); /* one letter: B or Q */
        if (enc == 'B' || enc == 'b')
            base64_decode(&sb, q2 + 1, (size_t)(end - q2 - 1));
        else
            qp_decode(&sb, q2 + 1, (size_t)(end - q2 - 1), true);
        after_word = true;
        v = end + 2;
    }
    return sb_detach(&sb, NULL);
}

/* The body of msg decoded as its Content-Transfer-Encoding says (7bit,
 * 8bit, quoted-printable or base64), with LF line ends.  free() it. */
static char *
body_decode(const char *msg)
{
    const char *b = strstr(msg, "\n\n");
    const char *crlf = strstr(msg, "\r\n\r\n");
    if (crlf && (!b || crlf < b))
        b = crlf + 4;
    else if (b)
        b += 2;
    assert_non_null(b);
    char *cte = header_get(msg, "Content-Transfer-Encoding");
    struct strbuf raw, sb;
    sb_init(&raw, NULL);
    for (const char *p = b; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
            sb_addch(&raw, *p);
    sb_init(&sb, NULL);
    if (cte && strcasecmp(cte, "quoted-printable") == 0)
        qp_decode(&sb, raw.buf, raw.len, false);
    else if (cte && strcasecmp(cte, "base64") == 0)
        base64_decode(&sb, raw.buf, raw.len);
    else
        sb_add(&sb, raw.buf, raw.len);
    sb_release(&raw);
    free(cte);
    return sb_detach(&sb, NULL);
}

/* The messages the server delivered to `to` (its Envelope-to, ASCII case
 * ignored) so far: how many, and the newest (by file name) in *newest
 * when newest is not NULL (free() it; NULL when none). */
static int
maildir_find(const char *to, char **newest)
{
    static const char *const subs[] = {"new", "cur"};
    char best[512] = "";
    int n = 0;
    if (newest)
        *newest = NULL;
    for (size_t k = 0; k < 2; k++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/Maildir/%s", mta_dir, subs[k]);
        DIR *d = opendir(path);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            char file[1024];
            snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
            char *m = file_read(file);
            char *env = m ? header_get(m, "Envelope-to") : NULL;
            if (env && strcasecmp(env, to) == 0) {
                n++;
                if (newest && strcmp(de->d_name, best) > 0) {
                    snprintf(best, sizeof(best), "%s", de->d_name);
                    free(*newest);
                    *newest = m;
                    m = NULL;
                }
            }
            free(env);
            free(m);
        }
        closedir(d);
    }
    return n;
}

/* How many delivered messages carry the Message-ID id ("<...>"). */
static int
maildir_count_id(const char *id)
{
    static const char *const subs[] = {"new", "cur"};
    int n = 0;
    for (size_t k = 0; k < 2; k++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/Maildir/%s", mta_dir, subs[k]);
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            char file[1024];
            snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
            char *m = de->d_name[0] == '.' ? NULL : file_read(file);
            char *v = m ? header_get(m, "Message-ID") : NULL;
            n += v && strcmp(v, id) == 0;
            free(v);
            free(m);
        }
        if (d)
            closedir(d);
    }
    return n;
}

/* The message delivered to `to`, waiting up to 30 s for it; free() it. */
static char *
delivered_wait(const char *to)
{
    char *m = NULL;
    for (int i = 0; i < 600; i++) {
        if (maildir_find(to, &m) > 0)
            return m;
        pause_ms(50);
    }
    char *log = harness_log(&H);
    char *mta_log = mta_log_read();
    fail_msg("nothing delivered to %s within 30 s\npetitiond's log:\n%s\nthe server's log:\n%s", to,
             log, mta_log);
    return NULL;
}

/* ---- signing ------------------------------------------------------------------------------ */

struct signer {
    const char *lang;  /* "en" or "fr" */
    const char *first; /* UTF-8 */
    const char *last;
    const char *email;
    const char *province;
    const char *postal;
};

/* Sign e-6512 from an address of its own (X-Forwarded-For from the
 * trusted proxy, so no rate limit holds it); expects the usual 303. */
static void
sign(const struct signer *s)
{
    char form[1024], path[64], xff[64];
    size_t n = 0;
    const char *names[] = {"first_name", "last_name", "email", "province", "postal_code"};
    const char *vals[] = {s->first, s->last, s->email, s->province, s->postal};
    for (int i = 0; i < 5; i++)
        n += (size_t)snprintf(form + n, sizeof(form) - n, "%s=%s&", names[i], form_enc(vals[i]));
    snprintf(form + n, sizeof(form) - n, "country=Canada&phone=613-555-0100&eligible=1&terms=1");
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 203.0.113.%d", next_ip++);
    snprintf(path, sizeof(path), "/%s/petitions/e-6512/sign", s->lang);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

/* Skip the test when there is no mail server (setup said why). */
#define NEED_MTA()                                                                                 \
    do {                                                                                           \
        if (!mta_dir[0])                                                                           \
            skip();                                                                                \
    } while (0)

/* ---- the tests ---------------------------------------------------------------------------- */

static void
signing_in_both_languages_is_delivered_and_confirmed_from_the_mail(void **state)
{
    (void)state;
    NEED_MTA();
    const struct signer en = {"en", "Zoé",    "Lévesque-Côté", "zoe.levesque@mta.test",
                              "ON", "K1A 0A6"};
    const struct signer fr = {"fr", "Hélène", "Bélanger", "Helene.Belanger@mta.test",
                              "QC", "H2X 1Y4"};
    int64_t before = api_count(&H, "e-6512", NULL), before_qc = api_count(&H, "e-6512", "QC");
    sign(&en);
    sign(&fr);

    /* English: the name as typed, over STARTTLS, from petitiond's address. */
    char *m = delivered_wait(en.email);
    char *to = header_get(m, "To"), *subject = header_get(m, "Subject");
    char *received = header_get(m, "Received"), *rp = header_get(m, "Return-path");
    char *lang = header_get(m, "Content-Language"), *ctype = header_get(m, "Content-Type");
    char *to_text = words_decode(to), *subject_text = words_decode(subject);
    char *body = body_decode(m);
    assert_string_equal(to_text, "Zoé Lévesque-Côté <zoe.levesque@mta.test>");
    assert_string_equal(subject_text, "Confirm your signature on petition e-6512");
    assert_non_null(strstr(received, " with esmtps "));
    assert_string_equal(rp, "<petitions@petitions.test>");
    assert_string_equal(lang, "en");
    assert_non_null(strcasestr(ctype, "charset=utf-8"));
    assert_non_null(strstr(body, "Hello Zoé Lévesque-Côté,"));
    confirm_from_text(&H, body);
    assert_int_equal(api_count(&H, "e-6512", NULL), before + 1);
    free(to);
    free(subject);
    free(received);
    free(rp);
    free(lang);
    free(ctype);
    free(to_text);
    free(subject_text);
    free(body);
    free(m);

    /* French: the French message, to the address as typed. */
    m = delivered_wait(fr.email);
    to = header_get(m, "To");
    subject = header_get(m, "Subject");
    lang = header_get(m, "Content-Language");
    to_text = words_decode(to);
    subject_text = words_decode(subject);
    body = body_decode(m);
    assert_string_equal(to_text, "Hélène Bélanger <Helene.Belanger@mta.test>");
    assert_string_equal(subject_text, "Confirmez votre signature de la pétition e-6512");
    assert_string_equal(lang, "fr");
    assert_non_null(strstr(body, "Bonjour Hélène Bélanger,"));
    assert_non_null(strstr(body, "« Confirmer ma signature »"));
    assert_non_null(strstr(body, "/fr/signatures/"));
    confirm_from_text(&H, body);
    assert_int_equal(api_count(&H, "e-6512", NULL), before + 2);
    assert_int_equal(api_count(&H, "e-6512", "QC"), before_qc + 1);
    free(to);
    free(subject);
    free(lang);
    free(to_text);
    free(subject_text);
    free(body);
    free(m);

    /* One message each. */
    assert_int_equal(maildir_find(en.email, NULL), 1);
    assert_int_equal(maildir_find(fr.email, NULL), 1);
}

static void
mail_queued_while_the_relay_is_away_is_delivered_once(void **state)
{
    (void)state;
    NEED_MTA();
    const struct signer away[] = {
        {"en", "Émile", "Ouellet", "emile.ouellet@mta.test", "NB", "E1C 4M3"},
        {"fr", "Noémie", "Tremblay", "noemie.tremblay@mta.test", "QC", "G1R 4P5"},
        {"en", "Åsa", "Nørgaard", "asa.norgaard@mta.test", "BC", "V6B 1A1"},
    };
    enum { N = sizeof(away) / sizeof(away[0]) };
    /* Whatever went before is sent and marked so. */
    for (int i = 0; i < 600 && fixture_outbox_unsent(&H) > 0; i++)
        pause_ms(50);
    assert_int_equal(fixture_outbox_unsent(&H), 0);
    char *log = harness_log(&H);
    int failed_before = count_of(log, "not delivered");
    free(log);

    /* The relay goes away: signing still answers, the mail waits. */
    assert_int_equal(test_mta("pause"), 0);
    for (int i = 0; i < N; i++)
        sign(&away[i]);
    assert_true(log_wait(server_log_read, "not delivered", failed_before + N));
    assert_int_equal(fixture_outbox_unsent(&H), N);
    for (int i = 0; i < N; i++)
        assert_int_equal(maildir_find(away[i].email, NULL), 0);

    /* Back, and the retry due (a minute on): everything arrives, once;
     * the outbox has nothing left to send, so nothing goes twice. */
    assert_int_equal(test_mta("resume"), 0);
    t_now += 5 * 60;
    harness_set_clock(&H, t_now);
    for (int i = 0; i < N; i++) {
        char *m = delivered_wait(away[i].email);
        char *body = body_decode(m);
        char want[128];
        snprintf(want, sizeof(want), "%s %s %s,", strcmp(away[i].lang, "fr") ? "Hello" : "Bonjour",
                 away[i].first, away[i].last);
        assert_non_null(strstr(body, want));
        free(body);
        free(m);
    }
    for (int i = 0; i < 600 && fixture_outbox_unsent(&H) > 0; i++)
        pause_ms(50);
    assert_int_equal(fixture_outbox_unsent(&H), 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(maildir_find(away[i].email, NULL), 1);
}

static void
a_recipient_the_server_refuses_is_not_delivered(void **state)
{
    (void)state;
    NEED_MTA();
    const struct signer refused = {"en", "Réjean", "Refusé", "refused@mta.test", "ON", "K2P 1L4"};
    sign(&refused);

    /* The server refuses it at RCPT with 550; petitiond logs the code
     * and marks it failed for good after that one attempt, the server's
     * reply kept. */
    assert_true(log_wait(mta_log_read, "rejected RCPT <refused@mta.test>: 5.1.1", 1));
    assert_true(log_wait(server_log_read, "refused for good: failed", 1));
    assert_int_equal(maildir_find(refused.email, NULL), 0);
    struct fixture_mail m;
    for (int i = 0; i < 600; i++) {
        if (fixture_outbox_mail(&H, refused.email, &m) && m.failed_at)
            break;
        pause_ms(50);
    }
    assert_true(fixture_outbox_mail(&H, refused.email, &m));
    assert_int_equal(m.attempts, 1);
    assert_true(m.failed_at != 0);
    assert_int_equal(m.reply_code, 550);

    /* Never tried again: past its would-be retry, another signer's mail
     * goes through (the mail thread has run since), and the server has
     * still refused the first only once. */
    t_now += 2 * 60;
    harness_set_clock(&H, t_now);
    const struct signer after = {"en", "Alma", "After", "after.refusal@mta.test", "ON", "K2P 1L5"};
    sign(&after);
    free(delivered_wait(after.email));
    char *log = mta_log_read();
    assert_int_equal(count_of(log, "rejected RCPT <refused@mta.test>"), 1);
    free(log);
    assert_true(fixture_outbox_mail(&H, refused.email, &m));
    assert_int_equal(m.attempts, 1);
    assert_int_equal(maildir_find(refused.email, NULL), 0);
}

/* ---- e-mail once across nodes ------------------------------------------------------------- */

/* A site of two nodes (tests/integration/data/house.json, development
 * mode for its staff, e-mail through the server), its Message-IDs on
 * once.petitions.test, apart from H's. */
static struct harness N1, N2;
static int64_t n_now; /* the site's clock */
static const char *node_args[] = {
    "--smtp",    smtp_url, "--mail-from", "petitions@once.petitions.test",
    "--dev",     "--tick", "100",         "--trusted-proxy",
    "127.0.0.1", NULL};

static void
n_clock(int64_t seconds)
{
    n_now += seconds;
    harness_set_clock(&N1, n_now);
}

/* The Clerk presents e-8008 through node h; the POST's status. */
static long
present_e8008(struct harness *h)
{
    struct browser clerk;
    struct civil_time ct;
    struct http_result r;
    char form[256];
    browser_init(&clerk, h);
    assert_int_equal(web_sign_in(&clerk, "clerk@petitions.test", "petitions-demo"), 303);
    eastern_from_utc(n_now, &ct);
    snprintf(form, sizeof(form),
             "date=%04d-%02d-%02d&member=okafor&committee=FAAE&ministry=foreign-affairs", ct.year,
             ct.month, ct.day);
    assert_int_equal(web_get(&clerk, "/en/clerk/house/e-8008", &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    assert_int_equal(web_post(&clerk, "/en/clerk/house/e-8008", form, true, &r), 0);
    long status = r.status;
    http_result_free(&r);
    return status;
}

/* Wait (up to 60 s) until node h has died; whether it was by SIGKILL. */
static bool
died_by_sigkill(struct harness *h)
{
    for (int i = 0; i < 1200; i++) {
        int st;
        pid_t p = waitpid(h->pid, &st, WNOHANG);
        if (p == h->pid) {
            h->pid = 0;
            return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
        }
        pause_ms(50);
    }
    return false;
}

/* Wait (up to 30 s) until the server's queue is empty: every message it
 * accepted delivered into the Maildir (or dropped). */
static bool
mta_queue_empty(void)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/spool/input", mta_dir);
    for (int i = 0; i < 600; i++) {
        int n = 0;
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)))
            n += de->d_name[0] != '.';
        if (d)
            closedir(d);
        if (n == 0)
            return true;
        pause_ms(50);
    }
    return false;
}

/* Every mailing done and every e-mail sent (up to 120 s). */
static bool
site_mail_done(struct harness *h)
{
    for (int i = 0; i < 2400; i++) {
        if (!fixture_mailing_open(h) && fixture_outbox_unsent(h) == 0)
            return true;
        pause_ms(50);
    }
    return false;
}

static void
a_mailing_reaches_everyone_once_when_its_node_dies_after_a_250(void **state)
{
    (void)state;
    NEED_MTA();
    enum { N = 40, KILL_AFTER = 10 };
    char who[64];

    /* Node 1, whatever it had to send sent, started again with the test
     * build's hook: it kills itself with SIGKILL right after the server
     * accepted its 10th e-mail, before recording it sent.  (The restart
     * leaves the killed process's leases: the clock passes them.) */
    assert_int_equal(harness_start_args(&N1, "tests/integration/data/house.json", node_args), 0);
    n_now = (int64_t)time(NULL);
    n_clock(0);
    assert_true(site_mail_done(&N1));
    assert_int_equal(setenv("PETITIOND_TEST_KILL_AFTER_SENT", "10", 1), 0);
    int restarted = harness_kill_restart(&N1);
    unsetenv("PETITIOND_TEST_KILL_AFTER_SENT");
    assert_int_equal(restarted, 0);
    n_clock(LEASE_SECONDS + 1);

    fixture_signatories_add(&N1, 8008, "once", N, n_now);
    char *mta_log = mta_log_read();
    int dropped_before = count_of(mta_log, "petitiond: duplicate of <");
    free(mta_log);
    assert_int_equal(present_e8008(&N1), 303);

    /* It dies in the middle of the mailing. */
    assert_true(died_by_sigkill(&N1));
    char *log = harness_log(&N1);
    assert_non_null(strstr(log, "killed before the e-mail is recorded sent"));
    free(log);
    int before = 0;
    for (int i = 1; i <= N; i++) {
        snprintf(who, sizeof(who), "once%d@example.org", i);
        before += maildir_find(who, NULL);
    }
    print_message("e-mails to e-8008's signatories when node 1 died: %d of %d\n", before, N);
    assert_true(before >= 1 && before <= KILL_AFTER);
    assert_true(fixture_outbox_unsent(&N1) > 0);

    /* Node 2 on the same database, once the dead node's claims have
     * passed: it sends everything left, the e-mail the server took last
     * from node 1 again with it. */
    assert_int_equal(harness_start_node(&N2, &N1), 0);
    n_clock(DELIVERY_CLAIM + 1);
    assert_true(site_mail_done(&N2));

    /* Everyone holds exactly one e-mail: the server dropped the second
     * copy (answering 250, so it is recorded sent), and said so. */
    assert_true(mta_queue_empty());
    for (int i = 1; i <= N; i++) {
        snprintf(who, sizeof(who), "once%d@example.org", i);
        int got = maildir_find(who, NULL);
        if (got != 1)
            fail_msg("%s received %d copies", who, got);
    }
    mta_log = mta_log_read();
    assert_int_equal(count_of(mta_log, "petitiond: duplicate of <"), dropped_before + 1);
    const char *dup = strstr(mta_log, "petitiond: duplicate of <");
    for (int k = 0; k < dropped_before; k++)
        dup = strstr(dup + 1, "petitiond: duplicate of <");
    char id[128] = "";
    sscanf(dup, "petitiond: duplicate of %127[^ ]", id);
    print_message("the server dropped the second copy of %s\n", id);
    assert_non_null(strstr(id, "@once.petitions.test>"));
    free(mta_log);
    assert_int_equal(maildir_count_id(id), 1);
    assert_int_equal(fixture_outbox_unsent(&N2), 0);
    assert_int_equal(fixture_mailing_queued(&N2, "presented", "once"), N);
    assert_int_equal(fixture_outbox_repeated(&N2, "presented", "once"), 0);
}

/* ---- the servers -------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    const char *env = getenv("PETITIOND_TEST_MTA");
    if (env && *env) {
        snprintf(mta_dir, sizeof(mta_dir), "%s", env);
    } else if (access("/usr/sbin/exim4", X_OK) != 0) {
        fprintf(stderr, "mta_test: no Exim (/usr/sbin/exim4): install exim4-daemon-light"
                        " (scripts/install-deps); every test is skipped\n");
        return 0;
    } else {
        /* Run by hand: a server of our own, in a folder test-mta makes. */
        snprintf(mta_dir, sizeof(mta_dir), "/tmp/petitiond-mta-test.%d", (int)getpid());
        if (test_mta("start") != 0) {
            fprintf(stderr, "mta_test: scripts/test-mta start %s failed\n", mta_dir);
            mta_dir[0] = '\0';
            return -1;
        }
        mta_own = true;
    }
    char path[256];
    snprintf(path, sizeof(path), "%s/port", mta_dir);
    char *port = file_read(path);
    long p = port ? strtol(port, NULL, 10) : 0;
    free(port);
    if (p <= 0 || p > 65535) {
        fprintf(stderr, "mta_test: no port in %s\n", path);
        return -1;
    }
    snprintf(smtp_url, sizeof(smtp_url), "smtp://127.0.0.1:%ld", p);
    static const char *args[] = {
        "--smtp",          NULL,        "--mail-from", "petitions@petitions.test",
        "--trusted-proxy", "127.0.0.1", NULL};
    args[1] = smtp_url;
    if (harness_start_args(&H, NULL, args))
        return -1;
    t_now = (int64_t)time(NULL);
    harness_set_clock(&H, t_now);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    int r = 0;
    if (H.pid > 0)
        r = harness_stop_checked(&H);
    /* The site of two nodes: the second, then the first (started again if
     * it died), which drops the database. */
    if (N2.pid > 0 && harness_stop_checked(&N2))
        r = -1;
    if (N1.dir[0] && N1.pid == 0 && harness_kill_restart(&N1))
        r = -1;
    if (N1.pid > 0 && harness_stop_checked(&N1))
        r = -1;
    if (mta_own && test_mta("stop") != 0)
        r = -1;
    return r;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signing_in_both_languages_is_delivered_and_confirmed_from_the_mail),
        cmocka_unit_test(mail_queued_while_the_relay_is_away_is_delivered_once),
        cmocka_unit_test(a_recipient_the_server_refuses_is_not_delivered),
        cmocka_unit_test(a_mailing_reaches_everyone_once_when_its_node_dies_after_a_250),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
