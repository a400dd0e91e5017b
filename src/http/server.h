/*
 * server.h: the HTTP server, libmicrohttpd glue.
 *
 * The server owns a libmicrohttpd daemon (epoll, an internal pool of
 * worker threads), applies the limits below before any handler runs,
 * dispatches through the application's handlers (petitiond's are the
 * route table, cmd/routes.h), writes one access-log line per request
 * (method, path, status, size and time; never the client's address nor
 * the query), and stops gracefully.
 *
 * Refused before any handler runs, with the refuse handler's page: a
 * request target too long or with too many query arguments (414),
 * headers too large (431), a body over the hard cap (413), and (400) a
 * path or query that is not valid UTF-8, holds control characters or a
 * NUL (%00), and an HTTP/1.1 request without a Host header (HTTP/1.0
 * may omit it).
 *
 * A body over max_body but within the hard cap (SERVER_BODY_CAP_FACTOR
 * times max_body) is read to its end, keeping only its first max_body
 * bytes: the request is dispatched with req->body_cut set (request.h),
 * so a form can come back with what fits of the text typed and say
 * which field was too long.  A request never holds more than max_body
 * bytes of its body in memory, whatever it sends.
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
    size_t max_url;              /* request target bytes: 414 beyond (default 2048) */
    unsigned max_query_args;     /* arguments in the query: 414 beyond (64) */
    size_t max_headers;          /* bytes of request line + headers: 431 beyond (8 KiB) */
    size_t max_body;             /* request body bytes kept (64 KiB); cut beyond */
    unsigned idle_timeout;       /* seconds a connection may stay idle (30) */
    unsigned max_connections;    /* open connections at once (16384) */
    unsigned per_ip_connections; /* open connections per client address (0 = no limit) */
};

/* The application side of the server. */
struct server_handlers {
    /* Answer a routed request (petitiond: cmd/routes.h). */
    void (*dispatch)(struct request *req);
    /* Answer a request refused by a limit or with a bad URL: status is
     * 400, 413, 414 or 431; key the message catalogue key. */
    void (*refuse)(struct request *req, int status, const char *key);
    /* Answer a deferred request once resumed (request.h, req_defer). */
    void (*finish)(struct request *req);
    /* Optional: the body bytes this request may bring, when it may bring
     * more than max_body (a smaller answer changes nothing).  Called once
     * its headers are in (path, method, cookies), before any of its body;
     * the hard cap scales with it.  petitiond: a signed-in staff member's
     * long texts (cmd/routes.h, ROUTE_LONG_FORM). */
    size_t (*body_limit)(struct request *req);
    void *app;
};

/* A header sent with every answer (server_config.headers). */
struct server_header {
    const char *name;
    const char *value;
};

enum { SERVER_MAX_HEADERS = 4 };

/* The hard cap of a request body, in times max_body: 413 beyond, at once
 * when Content-Length says so. */
enum { SERVER_BODY_CAP_FACTOR = 16 };

struct server_config {
    const char *listen; /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any free port */
    /* A socket server_listen() bound and listens on, which the server then
     * owns (closes); or -1: server_start() binds to listen itself. */
    int listen_fd;
    unsigned threads; /* worker threads; 0 = one per core */
    struct server_limits limits;
    struct server_handlers handlers;
    bool access_log; /* one line per request on standard error */
    /* Headers added to every answer the handlers give: pages, files, the
     * API, errors and refusals alike (petitiond: Permissions-Policy, and
     * Strict-Transport-Security when served over https).  Name and value
     * must outlive the server. */
    struct server_header headers[SERVER_MAX_HEADERS];
    int header_count;
};

/* The default limits above. */
void server_limits_default(struct server_limits *l);

/* Bind to listen ("HOST:PORT", as server_config.listen) and listen, before
 * the server starts: e.g. as root, for a port under 1024, before giving
 * root up (petitiond serve --user).  Returns 0 and *fd (non-blocking,
 * close-on-exec), or ERR_INVALID (bad address) or ERR_IO (cannot bind;
 * an address in use is said so). */
int server_listen(const char *listen, int *fd, struct err *e);

/* Start serving.  Returns 0 and *out, or ERR_INVALID (bad listen address)
 * or ERR_IO (cannot bind). */
int server_start(const struct server_config *cfg, struct server **out, struct err *e);

/* The port actually bound (useful with port 0). */
uint16_t server_port(const struct server *s);

/* Stop accepting, finish the requests in flight, free everything. */
void server_stop(struct server *s);

#endif
