/*
 * fdlimit.c: raise the open-file limit for the connections we allow; see
 * fdlimit.h for why and for what libmicrohttpd does at its limits.
 */
#include "http/fdlimit.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/banned.h"

rlim_t
fdlimit_headroom(unsigned threads)
{
    if (!threads) {
        /* As server_start() counts them. */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n < 256 ? (unsigned)n : 2;
    }
    return (rlim_t)FDLIMIT_HEADROOM + 2 * (rlim_t)threads;
}

unsigned
fdlimit_connections(rlim_t limit, rlim_t headroom)
{
    rlim_t n = limit > 2 * headroom ? limit - headroom : limit / 2;
    if (limit == RLIM_INFINITY || n > UINT_MAX)
        return UINT_MAX;
    return n ? (unsigned)n : 1;
}

int
fdlimit_fit(unsigned connections, unsigned threads, struct fdlimit *out, struct err *e)
{
    rlim_t headroom = fdlimit_headroom(threads);
    rlim_t want = (rlim_t)connections + headroom;
    struct rlimit rl;
    int r = 0;

    memset(out, 0, sizeof(*out));
    out->connections = connections;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        /* Nothing known: leave the limit and the connections alone. */
        return err_set(e, ERR_IO, "error.io", NULL, "getrlimit(RLIMIT_NOFILE): %s",
                       strerror(errno));
    out->before = rl.rlim_cur;
    out->soft = rl.rlim_cur;
    out->hard = rl.rlim_max;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
        if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
            out->soft = rl.rlim_cur;
        else
            r = err_set(e, ERR_IO, "error.io", NULL, "setrlimit(RLIMIT_NOFILE) to %llu: %s",
                        (unsigned long long)rl.rlim_cur, strerror(errno));
    }
    unsigned fit = fdlimit_connections(out->soft, headroom);
    if (fit < connections)
        out->connections = fit;
    return r;
}
