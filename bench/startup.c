/*
 * startup.c: how long a server takes from exec to its first answer, for
 * the surge benchmark (bench/surge.sh).
 *
 *   startup [--keep] PORT COMMAND [ARG...]
 *   startup --free-port
 *
 * Runs COMMAND (which should listen on 127.0.0.1:PORT) and asks
 * GET /healthz on that port every quarter millisecond until the answer is
 * a 200.  Prints one line: startup_ms, pid, and the child's VmRSS and
 * VmHWM (kB) at that moment.  Then stops the child with SIGTERM and waits
 * for it, or with --keep leaves it running (the caller stops it by pid).
 * Gives up after 30 s.  The child's output goes to our standard error.
 * --free-port prints a TCP port of 127.0.0.1 free at the moment (for
 * nginx and the start-up runs).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* 1 when GET /healthz on port answers 200, 0 when it answers something
 * else or nothing yet. */
static int
healthy(int port)
{
    static const char req[] = "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    char buf[64];
    size_t got = 0;
    int ok = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
        goto out;
    while (got < 12) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 2000) <= 0)
            goto out;
        ssize_t k = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (k <= 0)
            goto out;
        got += (size_t)k;
    }
    buf[got] = '\0';
    ok = strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0;
out:
    close(fd);
    return ok;
}

/* The value in kB of field (e.g. "VmRSS:") in /proc/PID/status, or -1. */
static long
proc_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    long v = -1;
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, field, strlen(field)) == 0) {
            v = strtol(line + strlen(field), NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

static int
free_port(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        perror("startup: free port");
        return 1;
    }
    printf("%u\n", (unsigned)ntohs(sa.sin_port));
    close(fd);
    return 0;
}

int
main(int argc, char **argv)
{
    int keep = 0, i = 1;
    if (argc == 2 && strcmp(argv[1], "--free-port") == 0)
        return free_port();
    if (argc > 1 && strcmp(argv[1], "--keep") == 0) {
        keep = 1;
        i++;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: startup [--keep] PORT COMMAND [ARG...] | startup --free-port\n");
        return 2;
    }
    int port = atoi(argv[i]);
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "startup: bad port %s\n", argv[i]);
        return 2;
    }
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("startup: fork");
        return 1;
    }
    if (pid == 0) {
        /* Our standard output is the report (often a pipe the caller reads
         * to its end): the child writes to our standard error instead. */
        dup2(2, 1);
        execv(argv[i + 1], argv + i + 1);
        fprintf(stderr, "startup: %s: %s\n", argv[i + 1], strerror(errno));
        _exit(127);
    }
    double ms = -1;
    while (now_ms() - t0 < 30000) {
        if (healthy(port)) {
            ms = now_ms() - t0;
            break;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            fprintf(stderr, "startup: the server exited before answering\n");
            return 1;
        }
        struct timespec nap = {0, 250000};
        nanosleep(&nap, NULL);
    }
    long rss = proc_kb(pid, "VmRSS:"), hwm = proc_kb(pid, "VmHWM:");
    printf("startup_ms=%.1f pid=%d rss_kb=%ld hwm_kb=%ld\n", ms, (int)pid, rss, hwm);
    fflush(stdout);
    if (!keep || ms < 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    return ms < 0;
}
