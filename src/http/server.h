/*
 * server.h: the HTTP server, libmicrohttpd glue.
 *
 * The server owns a libmicrohttpd daemon (epoll, an internal pool of
 * worker threads), applies the limits below before any handler runs,
 * dispatches through the route table (routes.h), writes one access-log
 * line per request, and stops gracefully.
 */
#ifndef PETITIOND_SERVER_H
#define PETITIOND_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct request;
struct server;

struct server_limits {
    size_t max_url;          /* request target bytes: 414 beyond (default 2048) */
    unsigned max_query_args; /* arguments in the query: 414 beyond (64) */
    size_t max_headers;      /* bytes of request line + headers: 431 beyond (8 KiB) */
    size_t max_body;         /* request body bytes: 413 beyond (64 KiB) */
    unsigned idle_timeout;   /* seconds a connection may stay idle (30) */
    unsigned max_connections;/* open connections at once (16384) */
    unsigned per_ip_connections; /* open connections per client address (0 = no limit) */
};

/* The application side of the server. */
struct server_handlers {
    /* Answer a routed request (see routes.h). */
    void (*dispatch)(struct request *req);
    /* Answer a request refused by a limit or with a bad URL: status is
     * 400, 413, 414 or 431; key the message catalogue key. */
    void (*refuse)(struct request *req, int status, const char *key);
    /* Answer a deferred request once resumed (request.h, req_defer). */
    void (*finish)(struct request *req);
    void *app;
};

struct server_config {
    const char *listen;      /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any free port */
    unsigned threads;        /* worker threads; 0 = one per core */
    struct server_limits limits;
    struct server_handlers handlers;
    bool access_log;         /* one line per request on standard error */
};

/* The default limits above. */
void server_limits_default(struct server_limits *l);

/* Start serving.  Returns 0 and *out, or ERR_INVALID (bad listen address)
 * or ERR_IO (cannot bind). */
int server_start(const struct server_config *cfg, struct server **out, struct err *e);

/* The port actually bound (useful with port 0). */
uint16_t server_port(const struct server *s);

/* Stop accepting, finish the requests in flight, free everything. */
void server_stop(struct server *s);

#endif
