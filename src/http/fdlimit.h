/*
 * fdlimit.h: room in the open-file limit for every connection we allow.
 *
 * Each client connection costs petitiond one file descriptor, so
 * --max-connections means nothing when the process may open fewer files:
 * the soft RLIMIT_NOFILE is often 1024.  Before the server starts,
 * fdlimit_fit() raises the soft limit towards the connections asked for
 * plus a headroom for everything else, up to the hard limit (which only
 * root, systemd's LimitNOFILE= or /etc/security/limits.conf can raise),
 * and says how many connections fit in what it got.  The serve command
 * lowers --max-connections to that and warns; it never refuses to start.
 *
 * The headroom (fdlimit_headroom()): standard streams, the listening
 * socket, the SQLite pool (8 connections, each with the database and its
 * WAL open), the SMTP socket and the .eml files of development mode, the
 * clock file, plus an epoll descriptor and an eventfd per worker thread.
 *
 * What libmicrohttpd 0.9.75 does at its limits (read in its daemon.c,
 * and checked by tests/integration/overload_test.c):
 *
 *  - The connection limit (MHD_OPTION_CONNECTION_LIMIT) is split between
 *    the worker threads of the pool: each gets limit / threads, the first
 *    limit % threads one more.  The workers share one listening socket;
 *    a worker that holds its share takes the socket out of its epoll set
 *    and accepts nothing until one of its connections closes, while the
 *    others go on accepting.
 *  - So when every worker is full, nobody calls accept(): new connections
 *    are NOT refused or closed.  The kernel completes their handshake and
 *    queues them in the listen backlog (SOMAXCONN, capped by
 *    net.core.somaxconn: 4096 on current Linux); clients see a connected
 *    socket that is not answered yet.  As soon as a connection closes
 *    (the client leaves, or --idle-timeout passes) the worker accepts from
 *    the backlog and those requests are answered.  With the backlog full
 *    too, the kernel drops new SYNs and clients retry (connect() waits).
 *  - The per-address limit (MHD_OPTION_PER_IP_CONNECTION_LIMIT) is one
 *    count for the whole daemon, not split.  A connection over it IS
 *    accepted and closed at once, before anything is read (the client
 *    reads end-of-file, or a reset once it sends), and libmicrohttpd logs
 *    "Server reached connection limit" for each one.
 *  - Out of descriptors (EMFILE), a worker stops accepting until one of
 *    its connections closes and logs "Hit process or system resource
 *    limit": the same backlog behaviour, but with a worse log; fitting
 *    --max-connections under the limit avoids it.
 *  - --idle-timeout is an inactivity timeout: any byte received restarts
 *    it.  XXX: libmicrohttpd 0.9.75 has no deadline for a whole request,
 *    so a slowloris client sending a byte every few seconds keeps its
 *    connection until its headers outgrow the connection's memory pool
 *    (then it is answered 431 and closed).  The defence is a connection
 *    limit well above what such clients hold, and --per-ip-connections.
 */
#ifndef PETITIOND_FDLIMIT_H
#define PETITIOND_FDLIMIT_H

#include <sys/resource.h>

struct err;

/* Descriptors kept for everything but connections, besides 2 per thread. */
enum { FDLIMIT_HEADROOM = 256 };

struct fdlimit {
    rlim_t before;        /* the soft limit found */
    rlim_t soft;          /* the soft limit now */
    rlim_t hard;          /* the hard limit (RLIM_INFINITY: none) */
    unsigned connections; /* the connections that fit in soft */
};

/*
 * The descriptors a serving petitiond needs besides its connections with
 * threads worker threads (0 = one per core, as server_start() counts):
 * FDLIMIT_HEADROOM plus 2 per thread.
 */
rlim_t fdlimit_headroom(unsigned threads);

/*
 * The connections that fit in limit descriptors when headroom of them
 * are kept for the rest: limit - headroom, or half of limit when the
 * limit is too small for the headroom; at least 1, at most UINT_MAX.
 */
unsigned fdlimit_connections(rlim_t limit, rlim_t headroom);

/*
 * Make room for connections client connections and the headroom for
 * threads worker threads: raise the soft RLIMIT_NOFILE to that sum, or to
 * the hard limit when it is lower (never lower the soft limit), and fill
 * *out, out->connections being min(connections, what fits).  Returns 0,
 * or ERR_IO when getrlimit() or setrlimit() fails (e->log says why; *out
 * then describes the limit in force, which is unchanged).  Call it at
 * start-up, from the main thread, before the server starts: the limit is
 * the whole process's.
 */
int fdlimit_fit(unsigned connections, unsigned threads, struct fdlimit *out, struct err *e);

#endif
