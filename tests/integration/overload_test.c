/*
 * overload_test.c: overload (issue 6, item 7): with 10,000 idle or slow
 * connections open, slowloris style, a fresh client is still answered,
 * and the connection and per-address limits do what the help says.
 *
 *  - hold_10000_idle_and_slow_and_serve_a_fresh_client: 10,000
 *    connections that sent a request line and a header but never the
 *    blank line, and 300 that trickle a header one byte at a time, all
 *    held by the server at its default limits; then a fresh client GETs
 *    e-2829's page and signs e-6512 (open in the demo).
 *  - per_ip_limit_closes_the_rest_and_serves_other_addresses: with
 *    --per-ip-connections 50, 500 connections from 127.0.0.1: the server
 *    keeps 50 and closes 450 at once; another fresh client from 127.0.0.1
 *    is closed unanswered, one from 127.0.0.2 is answered.
 *  - connection_limit_queues_the_rest_until_one_closes: with
 *    --max-connections 200, 200 idle connections are held; 20 more
 *    complete requests are neither accepted nor refused but wait in the
 *    listen backlog (libmicrohttpd stops accepting, see http/fdlimit.h);
 *    once the client closes the idle ones they are answered, and so is a
 *    fresh client.
 *
 * What the server holds is read from /proc/PID/fd (its sockets, less the
 * listening one); the listen backlog from /proc/net/tcp.  Every wait is
 * a bounded number of polls, and no assertion compares an elapsed time
 * with a bound: the fresh client's time is only reported, as a TAP
 * comment ("# ..."); bench/overload.sh measures latency.  Each test
 * closes all its sockets and checks the server stops cleanly with the
 * connections open.
 *
 * The test process needs a descriptor per connection too: it raises its
 * own RLIMIT_NOFILE with fdlimit_fit() and, when the hard limit is too
 * low for 10,000, holds as many as fit and says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "http/fdlimit.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum {
    N_IDLE = 10000,    /* the number */
    N_SLOW = 300,      /* trickling a byte now and then */
    POLL_MS = 20,      /* between two looks at the server */
    POLL_TRIES = 3000, /* 60 s of polls at most for anything to happen */
};

/* The partial request idle connections send: no blank line, ever. */
static const char partial[] = "GET /en/petitions HTTP/1.1\r\nHost: x\r\n";

static struct harness H;

static void
pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- raw connections ------------------------------------------------------------ */

/* A connection to the server from the address from (NULL: the default),
 * or -1.  connect() waits at most 10 s (a full backlog drops SYNs). */
static int
dial(const char *from)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)H.port)};
    struct timeval tv = {10, 0};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (from) {
        struct sockaddr_in local = {.sin_family = AF_INET};
        inet_pton(AF_INET, from, &local.sin_addr);
        if (bind(fd, (struct sockaddr *)&local, sizeof(local))) {
            close(fd);
            return -1;
        }
    }
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send s; a connection the server has closed is not an error here. */
static void
send_str(int fd, const char *s)
{
    (void)!send(fd, s, strlen(s), MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Open n connections that each send payload; returns how many opened. */
static int
open_many(int *fds, int n, const char *from, const char *payload)
{
    int opened = 0;
    for (int i = 0; i < n; i++) {
        fds[i] = dial(from);
        if (fds[i] < 0)
            break;
        send_str(fds[i], payload);
        opened++;
    }
    return opened;
}

static void
close_all(int *fds, int n)
{
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

enum peer { PEER_OPEN, PEER_CLOSED, PEER_ANSWERED };

/* What the server did with a connection, without waiting: nothing yet,
 * closed it (EOF or a reset), or sent something. */
static enum peer
peer_state(int fd)
{
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0)
        return PEER_ANSWERED;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        return PEER_CLOSED;
    return PEER_OPEN;
}

static int
count_peers(const int *fds, int n, enum peer state)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += peer_state(fds[i]) == state;
    return k;
}

/* ---- the server seen from /proc --------------------------------------------------------- */

/* The inodes of every TCP socket of the machine (/proc/net/tcp and
 * tcp6), sorted, into *out (malloc'd); how many.  The server's
 * connections to PostgreSQL go over a Unix socket: not among them. */
static int
cmp_inode(const void *x, const void *y)
{
    unsigned long a = *(const unsigned long *)x, b = *(const unsigned long *)y;
    return (a > b) - (a < b);
}

static size_t
tcp_inodes(unsigned long **out)
{
    static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    size_t n = 0, cap = 1024;
    unsigned long *v = malloc(cap * sizeof(*v));
    char line[512];
    assert_non_null(v);
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        FILE *f = fopen(tables[t], "r");
        if (!f)
            continue;
        while (fgets(line, sizeof(line), f)) {
            /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
            char *p = line;
            for (int field = 0; field < 9 && p; field++) {
                p += strspn(p, " ");
                p = strchr(p, ' ');
            }
            if (!p)
                continue;
            if (n == cap) {
                cap *= 2;
                v = realloc(v, cap * sizeof(*v));
                assert_non_null(v);
            }
            v[n++] = strtoul(p, NULL, 10);
        }
        fclose(f);
    }
    qsort(v, n, sizeof(*v), cmp_inode);
    *out = v;
    return n;
}

/* TCP sockets the server process has open (the listening one included). */
static int
server_sockets(void)
{
    char dir[64], path[400], link[64];
    snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)H.pid);
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    if (!d)
        return -1;
    unsigned long *tcp;
    size_t ntcp = tcp_inodes(&tcp);
    while ((de = readdir(d))) {
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        ssize_t len = readlink(path, link, sizeof(link) - 1);
        if (len > 0) {
            link[len] = '\0';
            if (strncmp(link, "socket:[", 8) != 0)
                continue;
            unsigned long inode = strtoul(link + 8, NULL, 10);
            if (bsearch(&inode, tcp, ntcp, sizeof(*tcp), cmp_inode))
                n++;
        }
    }
    closedir(d);
    free(tcp);
    return n;
}

/* Connections the server holds: its sockets less the listening one. */
static int
held(void)
{
    return server_sockets() - 1;
}

/* Wait (bounded) until the server holds at least want connections;
 * returns what it holds at the end. */
static int
wait_held(int want)
{
    int n = held();
    for (int i = 0; i < POLL_TRIES && n < want; i++) {
        pause_ms(POLL_MS);
        n = held();
    }
    return n;
}

/* Connections waiting in the kernel's accept queue of the listening
 * socket (rx_queue of its LISTEN row in /proc/net/tcp), or -1. */
static int
listen_backlog(void)
{
    FILE *fp = fopen("/proc/net/tcp", "r");
    char line[512];
    int found = -1;
    if (!fp)
        return -1;
    while (fgets(line, sizeof(line), fp)) {
        unsigned port, state, txq, rxq;
        if (sscanf(line, " %*d: %*x:%x %*x:%*x %x %x:%x", &port, &state, &txq, &rxq) == 4 &&
            (int)port == H.port && state == 0x0A)
            found = (int)rxq;
    }
    fclose(fp);
    return found;
}

/* ---- a fresh client ------------------------------------------------------------------- */

static size_t
collect(char *data, size_t size, size_t n, void *cls)
{
    sb_add(cls, data, size * n);
    return size * n;
}

/*
 * A fresh client (libcurl, a new connection) from the address from (NULL:
 * the default): GET path, or POST form when not NULL.  Fills *out
 * (status 0 when nothing came back) and *ms, the time curl took.
 */
static void
fresh(const char *path, const char *form, const char *from, struct http_result *out, double *ms)
{
    CURL *c = curl_easy_init();
    struct curl_slist *list = NULL;
    struct strbuf b, hd;
    char url[256], iface[64];
    double secs = 0;

    assert_non_null(c);
    memset(out, 0, sizeof(*out));
    sb_init(&b, NULL);
    sb_init(&hd, NULL);
    snprintf(url, sizeof(url), "%s%s", H.base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hd);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (from) {
        snprintf(iface, sizeof(iface), "host!%s", from);
        curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
    }
    list = curl_slist_append(list, "Expect:");
    if (form) {
        list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
    if (rc != CURLE_OK)
        printf("# %s %s: %s\n", form ? "POST" : "GET", path, curl_easy_strerror(rc));
    *ms = secs * 1000;
    out->body = sb_detach(&b, &out->len);
    out->headers = sb_detach(&hd, NULL);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
}

/* GET path from from; the status.  Reported as a TAP comment. */
static long
fresh_get(const char *path, const char *from, const char *must_hold)
{
    struct http_result r;
    double ms;
    fresh(path, NULL, from, &r, &ms);
    printf("# fresh client%s%s: GET %s -> %ld in %.0f ms\n", from ? " from " : "", from ? from : "",
           path, r.status, ms);
    long status = r.status;
    if (status == 200 && must_hold)
        assert_true(body_has(&r, must_hold));
    http_result_free(&r);
    return status;
}

/* ---- slowloris: a header one byte at a time ----------------------------------------------- */

struct trickle {
    int *fds;
    int n;
    atomic_bool stop;
    atomic_int bytes;
};

/* Every 10 ms, one byte to the next few connections: each gets a byte
 * about every second, forever growing an "X-Slow: aaaa..." header. */
static void *
trickle_run(void *arg)
{
    struct trickle *t = arg;
    int next = 0;
    int per_tick = t->n / 100 + 1;
    while (!atomic_load(&t->stop)) {
        for (int i = 0; i < per_tick && t->n; i++) {
            send_str(t->fds[next], "a");
            next = (next + 1) % t->n;
            atomic_fetch_add(&t->bytes, 1);
        }
        pause_ms(10);
    }
    return NULL;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
hold_10000_idle_and_slow_and_serve_a_fresh_client(void **state)
{
    static const char *const args[] = {"--idle-timeout", "600", NULL};
    static int idle[N_IDLE], slow[N_SLOW];
    struct fdlimit fl;
    (void)state;

    /* Room for every connection in this process too. */
    fdlimit_fit(N_IDLE + N_SLOW, 1, &fl, NULL);
    int n_idle = N_IDLE;
    if (fl.connections < N_IDLE + N_SLOW) {
        /* The server has the same hard limit: leave it room to serve. */
        n_idle = (int)fl.connections - N_SLOW - 64;
        printf("# only %d idle connections: RLIMIT_NOFILE hard limit %llu\n", n_idle,
               (unsigned long long)fl.hard);
    }
    assert_true(n_idle > 0);
    assert_int_equal(harness_start_args(&H, NULL, args), 0);
    int base = held();

    int n_slow = open_many(slow, N_SLOW, NULL, "GET /en/petitions HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    assert_int_equal(n_slow, N_SLOW);
    struct trickle t = {.fds = slow, .n = n_slow};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, trickle_run, &t), 0);
    int opened = open_many(idle, n_idle, NULL, partial);
    assert_int_equal(opened, n_idle);

    /* Every one accepted and held, not waiting in the backlog. */
    int total = n_idle + n_slow;
    int now = wait_held(base + total) - base;
    printf("# the server holds %d connections (%d idle, %d slow)\n", now, n_idle, n_slow);
    assert_true(now >= total);
    /* The slow ones are at it: a few bytes each so far. */
    for (int i = 0; i < POLL_TRIES && atomic_load(&t.bytes) < 3 * n_slow; i++)
        pause_ms(POLL_MS);

    assert_int_equal(fresh_get("/en/petitions/e-2829", NULL, "e-2829"), 200);
    struct http_result r;
    double ms;
    fresh("/en/petitions/e-6512/sign",
          "first_name=Sam&last_name=Signer&email=overload%40example.org&country=Canada"
          "&province=ON&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
          NULL, &r, &ms);
    printf("# fresh client: POST /en/petitions/e-6512/sign -> %ld in %.0f ms\n", r.status, ms);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/en/petitions/e-6512/check-email");
    http_result_free(&r);

    /* And the crowd is still there: nothing was dropped to make room. */
    atomic_store(&t.stop, true);
    pthread_join(th, NULL);
    printf("# %d header bytes trickled meanwhile\n", atomic_load(&t.bytes));
    assert_int_equal(count_peers(idle, n_idle, PEER_OPEN), n_idle);
    assert_int_equal(count_peers(slow, n_slow, PEER_OPEN), n_slow);

    close_all(idle, n_idle);
    close_all(slow, n_slow);
    assert_int_equal(harness_stop(&H), 0);
}

static void
per_ip_limit_closes_the_rest_and_serves_other_addresses(void **state)
{
    static const char *const args[] = {"--per-ip-connections", "50", "--idle-timeout", "600", NULL};
    enum { N = 500, LIMIT = 50 };
    int fds[N];
    (void)state;

    assert_int_equal(harness_start_args(&H, NULL, args), 0);
    int base = held();
    assert_int_equal(open_many(fds, N, "127.0.0.1", partial), N);

    /* The server accepts and closes what is over the limit at once. */
    int closed = count_peers(fds, N, PEER_CLOSED);
    for (int i = 0; i < POLL_TRIES && closed < N - LIMIT; i++) {
        pause_ms(POLL_MS);
        closed = count_peers(fds, N, PEER_CLOSED);
    }
    int open = count_peers(fds, N, PEER_OPEN);
    printf("# from 127.0.0.1: %d held, %d closed by the server\n", open, closed);
    assert_int_equal(closed, N - LIMIT);
    assert_int_equal(open, LIMIT);
    assert_true(held() - base <= LIMIT);

    /* 127.0.0.1 gets nothing more; another address is served. */
    assert_int_equal(fresh_get("/en/petitions/e-2829", "127.0.0.1", NULL), 0);
    assert_int_equal(fresh_get("/en/petitions/e-2829", "127.0.0.2", "e-2829"), 200);

    close_all(fds, N);
    assert_int_equal(harness_stop(&H), 0);
}

static void
connection_limit_queues_the_rest_until_one_closes(void **state)
{
    static const char *const args[] = {"--max-connections", "200", "--idle-timeout", "600", NULL};
    enum { LIMIT = 200, WAITING = 20 };
    static const char whole[] =
        "GET /en/petitions/e-2829 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    int idle[LIMIT], waiting[WAITING];
    (void)state;

    assert_int_equal(harness_start_args(&H, NULL, args), 0);
    int base = held();
    assert_int_equal(open_many(idle, LIMIT, NULL, partial), LIMIT);
    assert_int_equal(wait_held(base + LIMIT) - base, LIMIT);

    /* Beyond the limit: connected by the kernel, not accepted, not closed. */
    assert_int_equal(open_many(waiting, WAITING, NULL, whole), WAITING);
    int backlog = listen_backlog();
    for (int i = 0; i < 50 && backlog >= 0 && backlog < WAITING; i++) {
        pause_ms(POLL_MS);
        backlog = listen_backlog();
    }
    printf("# at the limit: the server holds %d, %d wait in the listen backlog\n", held() - base,
           backlog);
    if (backlog >= 0)
        assert_int_equal(backlog, WAITING);
    assert_int_equal(held() - base, LIMIT);
    assert_int_equal(count_peers(waiting, WAITING, PEER_OPEN), WAITING);

    /* The idle ones leave: the waiting requests are accepted and answered. */
    close_all(idle, LIMIT);
    int answered = count_peers(waiting, WAITING, PEER_ANSWERED);
    for (int i = 0; i < POLL_TRIES && answered < WAITING; i++) {
        pause_ms(POLL_MS);
        answered = count_peers(waiting, WAITING, PEER_ANSWERED);
    }
    assert_int_equal(answered, WAITING);
    for (int i = 0; i < WAITING; i++) {
        char head[16] = {0};
        assert_true(recv(waiting[i], head, sizeof(head) - 1, 0) >= 12);
        assert_memory_equal(head, "HTTP/1.1 200", 12);
    }
    assert_int_equal(fresh_get("/en/petitions/e-2829", NULL, "e-2829"), 200);

    close_all(waiting, WAITING);
    assert_int_equal(harness_stop(&H), 0);
}

/* After a failed test: do not leave its server running. */
static int
stop_server(void **state)
{
    (void)state;
    if (H.pid > 0)
        harness_stop(&H);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(hold_10000_idle_and_slow_and_serve_a_fresh_client, stop_server),
        cmocka_unit_test_teardown(per_ip_limit_closes_the_rest_and_serves_other_addresses,
                                  stop_server),
        cmocka_unit_test_teardown(connection_limit_queues_the_rest_until_one_closes, stop_server),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return r;
}
