/*
 * query_args_test.c: a query with hundreds of short arguments (issue 19,
 * finding 1).  libmicrohttpd 0.9.75 records each argument in the
 * connection's memory pool and, when the pool runs out, sent nothing, held
 * the connection until the idle timeout and never called the completion
 * callback, so the request's arena leaked (src/http/server.c, drop_query()).
 *
 *  - many_arguments_are_refused_at_once: 300 arguments as the issue sent
 *    them, 600 on a French page, 1,030 and 2,030 empty ones (a target
 *    under 2,048 bytes holds that many), and 5,000 in an over-long target:
 *    each answered 414 with the page's message in its language, and the
 *    server answers normally afterwards.
 *  - the_largest_real_queries_are_served: the API's list with all its 12
 *    parameters, and the list page with 64 arguments (the limit), are
 *    200; 65 are 414.
 *  - nothing_is_left_behind: 200 such requests sent and dropped by the
 *    client at once, and 20 whose query hides behind a raw NUL (they still
 *    get no answer: see drop_query()), then a wait past the idle timeout;
 *    the server still answers, and stops with LeakSanitizer silent (the
 *    teardown checks its exit status: a leak report makes it non-zero).
 *
 * The server runs with --idle-timeout 3: a request libmicrohttpd drops is
 * closed unanswered after 3 s, so a hang fails the test as no answer (the
 * client's limit is 10 s, well below the default 30 s), and its
 * connection is gone before the server stops, so a leaked arena is
 * unreachable at exit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum { IDLE_TIMEOUT_S = 3, CLIENT_TIMEOUT_MS = 10000 };

static struct harness H;

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* path, then n arguments joined by '&', each key, its number when
 * numbered, and value: ("k", true, "=1") makes k0=1&k1=1...; ("", false,
 * "") empty ones.  free() it. */
static char *
target(const char *path, int n, const char *key, bool numbered, const char *value)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    sb_adds(&sb, path);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_addch(&sb, '&');
        sb_adds(&sb, key);
        if (numbered)
            sb_addf(&sb, "%d", i);
        sb_adds(&sb, value);
    }
    return sb_detach(&sb, NULL);
}

/* GET t and expect status with needle in the body; the time taken is
 * reported as a TAP comment. */
static void
expect(const char *t, long status, const char *needle)
{
    struct http_result r;
    int64_t t0 = now_ms();
    int rc = http_get(&H, t, &r);
    printf("# %zu-byte target: %ld in %lld ms\n", strlen(t), r.status, (long long)(now_ms() - t0));
    assert_int_equal(rc, 0); /* an answer, not a connection closed unanswered */
    assert_int_equal(r.status, status);
    if (needle && !body_has(&r, needle))
        fail_msg("no \"%s\" in the answer to a %zu-byte target", needle, strlen(t));
    http_result_free(&r);
}

static void
many_arguments_are_refused_at_once(void **state)
{
    (void)state;
    static const char en[] = "The address has too many parameters.";
    static const char fr[] = "L’adresse contient trop de paramètres.";
    struct {
        const char *path;
        int n;
        const char *key;
        bool numbered;
        const char *value;
        const char *needle;
    } cases[] = {
        {"/healthz?", 300, "k", true, "=1", en},     /* the issue's, 1,998 bytes */
        {"/fr/petitions?", 600, "k", false, "", fr}, /* 1,213 bytes */
        {"/en/petitions?", 1030, "", false, "", en}, /* "?&&&...": empty arguments */
        {"/healthz?", 2030, "", false, "", en},      /* near the 2,048-byte limit */
        {"/healthz?", 5000, "", false, "", "The address is too long."}, /* over it */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *t =
            target(cases[i].path, cases[i].n, cases[i].key, cases[i].numbered, cases[i].value);
        expect(t, 414, cases[i].needle);
        free(t);
    }
    expect("/healthz", 200, NULL);
    expect("/en/petitions?q=sanctions", 200, NULL);
}

static void
the_largest_real_queries_are_served(void **state)
{
    (void)state;
    expect("/api/v1/petitions?status=open&type=electronic&subject=foreign-affairs"
           "&keyword=sanctions&member=okafor&parliament=44&session=44-1&q=sanctions"
           "&responded=false&sort=recent&page=1&per_page=10",
           200, NULL);
    /* The list page ignores what it does not know, as links from other
     * sites carry (utm_source...). */
    char *t = target("/en/petitions?q=sanctions&", 63, "utm_", true, "=x");
    expect(t, 200, NULL);
    free(t);
    t = target("/en/petitions?q=sanctions&", 64, "utm_", true, "=x");
    expect(t, 414, "The address has too many parameters.");
    free(t);
}

/* Send n bytes on a new connection and close it without reading. */
static void
send_and_drop(const char *req, size_t n)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)H.port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
    close(fd);
}

static void
nothing_is_left_behind(void **state)
{
    (void)state;
    struct strbuf req;
    char *t = target("/healthz?", 300, "k", true, "=1");
    sb_init(&req, NULL);
    sb_addf(&req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", t);
    for (int i = 0; i < 200; i++)
        send_and_drop(req.buf, req.len);
    free(t);

    /* A raw NUL ends the target where the server looks for the query,
     * but libmicrohttpd finds the '?' after it. */
    t = target("/healthz", 2000, "", false, "");
    sb_reset(&req);
    sb_addf(&req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", t);
    char *nul = strchr(req.buf, '&');
    nul[0] = '\0';
    nul[1] = '?';
    for (int i = 0; i < 20; i++)
        send_and_drop(req.buf, req.len);
    free(t);
    sb_release(&req);

    sleep(IDLE_TIMEOUT_S + 2);
    expect("/healthz", 200, NULL);
}

static int
start(void **state)
{
    (void)state;
    static const char *const args[] = {"--idle-timeout", "3", NULL};
    if (harness_start_args(&H, NULL, args))
        return -1;
    H.timeout_ms = CLIENT_TIMEOUT_MS;
    return 0;
}

static int
stop(void **state)
{
    (void)state;
    /* Exit 0: a clean stop, and no leak report from LeakSanitizer. */
    return harness_stop_checked(&H);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_arguments_are_refused_at_once),
        cmocka_unit_test(the_largest_real_queries_are_served),
        cmocka_unit_test(nothing_is_left_behind),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
