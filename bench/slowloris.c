/*
 * slowloris.c: hold many idle and slow connections open against a server,
 * for the overload benchmark (bench/overload.sh).  Links nothing but libc.
 *
 *   slowloris PORT IDLE SLOW
 *
 * Opens IDLE connections to 127.0.0.1:PORT that each send a request line
 * and one header but never the blank line that ends the headers, then
 * SLOW connections that start the same way and then trickle an
 * "X-Slow: aaaa..." header one byte at a time, each about once a second.
 * Raises its own open-file limit first (up to the hard limit).  Prints
 * "ready IDLE SLOW" once every connection is open, and holds them until
 * SIGTERM or SIGINT; then closes them all and exits 0.  Exits 1, saying
 * why on standard error, when it cannot open them all (connect() gives up
 * after 10 s).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib/banned.h"

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static int
dial(int port, const char *payload)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {10, 0};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
        send(fd, payload, strlen(payload), MSG_NOSIGNAL) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* A whole decimal number in [0, max], or -1. */
static int
number(const char *s, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || end == s || *end || v < 0 || v > max ? -1 : (int)v;
}

int
main(int argc, char **argv)
{
    static const char partial[] = "GET /en/petitions HTTP/1.1\r\nHost: x\r\n";
    static const char slow_start[] = "GET /en/petitions HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    struct rlimit rl;
    int *fds;
    int port, idle, slow, n = 0;

    if (argc != 4 || (port = number(argv[1], 65535)) <= 0 ||
        (idle = number(argv[2], 1000000)) < 0 || (slow = number(argv[3], 1000000)) < 0) {
        fputs("usage: slowloris PORT IDLE SLOW\n", stderr);
        return 2;
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    fds = calloc((size_t)idle + (size_t)slow + 1, sizeof(*fds));
    if (!fds)
        return 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    for (; n < idle + slow && !stopping; n++) {
        fds[n] = dial(port, n < idle ? partial : slow_start);
        if (fds[n] < 0) {
            fprintf(stderr, "slowloris: connection %d of %d: %s\n", n + 1, idle + slow,
                    strerror(errno));
            break;
        }
    }
    if (n == idle + slow) {
        printf("ready %d %d\n", idle, slow);
        fflush(stdout);
    }
    /* Every 10 ms a byte to the next slow connections: each gets one
     * about every second. */
    int next = 0, per_tick = slow / 100 + 1;
    while (n == idle + slow && !stopping) {
        for (int i = 0; i < per_tick && slow; i++) {
            (void)!send(fds[idle + next], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            next = (next + 1) % slow;
        }
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    int ok = n == idle + slow;
    while (n > 0)
        close(fds[--n]);
    free(fds);
    return ok ? 0 : 1;
}
