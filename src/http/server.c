/*
 * server.c: libmicrohttpd glue; see server.h.
 *
 * The life of a request:
 *  1. uri_log(): libmicrohttpd has read the request line.  We make the
 *     request's arena and struct request here, and note an over-long URL
 *     or too many query arguments (then libmicrohttpd is kept from parsing
 *     the query: see drop_query()).
 *  2. on_request(), first call: headers are in.  We check the header size,
 *     the path and the query parameters (valid UTF-8, no control
 *     characters, no NUL), Host, the declared body size, and return
 *     without answering: answering on the
 *     first call makes libmicrohttpd close the connection (architecture.md),
 *     so we only do it when the client must be cut off (a body too large).
 *  3. further calls deliver the body, kept up to the limit.
 *  4. the last call (no more body): the handler runs, the access-log line
 *     is written and the response is queued.
 *  5. completed(): the arena is freed (and a request that got no answer,
 *     the client gone, is logged as aborted).
 *
 * libmicrohttpd 0.9.75 can drop a request without calling completed() (see
 * drop_query()), so each connection also holds its request in progress
 * (struct connection), and on_connection() frees the arena of one still
 * held when the connection closes.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdatomic.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/cache.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/metrics.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

struct server {
    struct MHD_Daemon *daemon;
    struct server_config cfg;
    uint16_t port;
};

/*
 * What a connection keeps across its requests: the request in progress,
 * from uri_log() to completed().  Made and freed by on_connection(), the
 * connection's socket context; used only on the connection's worker
 * thread.
 */
struct connection {
    struct request *req;
};

/* What libmicrohttpd 0.9.75 takes from a connection's memory pool for
 * each query argument, header or cookie it records: a struct
 * MHD_HTTP_Header, 56 bytes on 64-bit, rounded up to 16. */
enum { POOL_RECORD_BYTES = 64 };

void
server_limits_default(struct server_limits *l)
{
    l->max_url = 2048;
    /* The API's list takes 12 parameters, the largest query we make;
     * room for what other sites append to links (utm_*, fbclid...). */
    l->max_query_args = 64;
    l->max_headers = 8 * 1024;
    l->max_body = 64 * 1024;
    l->idle_timeout = 30;
    /* Enough to hold 10,000 idle or slow connections and still serve
     * (issue 6); main lowers it to what the open-file limit holds. */
    l->max_connections = 16384;
    l->per_ip_connections = 0;
}

/* ---- the request API for handlers (request.h) ------------------------------------ */

const char *
req_query(struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct query_check {
    const char *const *known;
    const char *seen[32];
    int nseen;
    const char *unknown;
};

static enum MHD_Result
check_query_name(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct query_check *qc = cls;
    (void)kind;
    (void)value;
    bool found = false;
    for (int i = 0; qc->known[i]; i++)
        if (strcmp(qc->known[i], key) == 0)
            found = true;
    for (int i = 0; i < qc->nseen; i++)
        if (strcmp(qc->seen[i], key) == 0)
            found = false; /* twice: which one was meant? */
    if (!found || qc->nseen == (int)(sizeof(qc->seen) / sizeof(qc->seen[0]))) {
        qc->unknown = key;
        return MHD_NO;
    }
    qc->seen[qc->nseen++] = key;
    return MHD_YES;
}

const char *
req_query_unknown(struct request *req, const char *const known[])
{
    struct query_check qc = {.known = known};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_query_name, &qc);
    return qc.unknown ? arena_strdup(req->arena, qc.unknown) : NULL;
}

struct query_each {
    void (*fn)(void *arg, const char *name, const char *value);
    void *arg;
};

static enum MHD_Result
each_query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct query_each *q = cls;
    (void)kind;
    q->fn(q->arg, key, value);
    return MHD_YES;
}

void
req_query_each(struct request *req, void (*fn)(void *arg, const char *name, const char *value),
               void *arg)
{
    struct query_each q = {fn, arg};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, each_query_arg, &q);
}

const char *
req_header(struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void
resp_header(struct request *req, const char *name, const char *value)
{
    /* One of each header (the last value wins), but any number of cookies. */
    if (strcasecmp(name, "Set-Cookie") != 0) {
        for (int i = 0; i < req->resp.header_count; i++) {
            if (strcasecmp(req->resp.headers[i].name, name) == 0) {
                req->resp.headers[i].value = value;
                return;
            }
        }
    }
    if (req->resp.header_count == RESP_MAX_HEADERS)
        die("resp_header: more than %d headers", RESP_MAX_HEADERS);
    req->resp.headers[req->resp.header_count].name = name;
    req->resp.headers[req->resp.header_count].value = value;
    req->resp.header_count++;
}

void
resp_body(struct request *req, int status, const char *content_type, const char *body, size_t len)
{
    req->resp.status = status;
    req->resp.content_type = content_type;
    req->resp.body = body;
    req->resp.len = len;
}

void
resp_redirect(struct request *req, int status, const char *location)
{
    resp_header(req, "Location", location);
    resp_body(req, status, "text/plain; charset=utf-8", "", 0);
}

void
req_defer(struct request *req, int (*finish)(struct request *req, struct err *e), void *arg)
{
    req->finish = finish;
    req->defer_arg = arg;
    req->deferred = true;
    /* Suspended before the work is handed over, so the resume can never
     * come first. */
    MHD_suspend_connection(req->conn);
}

void
req_resume(struct request *req)
{
    MHD_resume_connection(req->conn);
}

const char *
req_peer(struct request *req)
{
    /* Formatted when first asked for: most requests never need it. */
    if (req->peer[0])
        return req->peer;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (!sa ||
        (sa->sa_family == AF_INET &&
         !inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->peer,
                    sizeof(req->peer))) ||
        (sa->sa_family == AF_INET6 &&
         !inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                    req->peer, sizeof(req->peer))) ||
        (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
        memcpy(req->peer, "-", 2);
    return req->peer;
}

/* ---- checks before the handler ----------------------------------------------------- */

/* The connection's state (on_connection() made it), or NULL. */
static struct connection *
connection_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* How many arguments libmicrohttpd would record for the query of uri, at
 * most: one for each '&' and one more (it records empty ones too). */
static size_t
query_args(const char *uri)
{
    const char *q = strchr(uri, '?');
    size_t n = 1;
    if (!q)
        return 0;
    while (*++q)
        if (*q == '&')
            n++;
    return n;
}

/*
 * Keep libmicrohttpd from parsing the query of a request we refuse.
 *
 * Right after uri_log() returns, libmicrohttpd records each argument of
 * the query in the connection's memory pool (POOL_RECORD_BYTES each), and
 * 0.9.75 mishandles running out (src/microhttpd/connection.c): the failed
 * record queues a 431 whose headers take the pool's last bytes (2047), but
 * parse_initial_message_line() drops the failure (3036) and its caller
 * sets the connection back to reading headers (4457-4466); with no room
 * to read, a second 431 (2445-2456) finds one queued and marks the
 * connection closed (2281-2286) without MHD_connection_close_(), which
 * alone calls completed() (840).  The client gets no answer, the socket
 * is kept until the idle timeout finds it, and the arena leaked (until
 * on_connection() freed it).  Later releases check the failure.  A short
 * target can carry a thousand arguments ("?&&&..."), and no pool size is
 * enough: a longer target, which fits the larger pool, brings more.
 *
 * So a query we refuse is ended at its '?': libmicrohttpd parses from the
 * byte after it, and then records nothing.  Every other query has at most
 * max_query_args arguments, which the pool is sized for (server_start()).
 *
 * XXX: this writes into libmicrohttpd's read buffer, through the const
 * pointer uri_log() is given; the target is there, writable, and the query
 * parsed from the byte after the first '?' (0.9.75 to 1.0).  A raw NUL
 * before the '?' hides the query from us: such a request still gets no
 * answer (its connection is held until the client leaves or the idle
 * timeout), but on_connection() frees its arena.
 */
static void
drop_query(const char *uri)
{
    char *q = strchr(uri, '?');
    if (q && q[1])
        q[1] = '\0';
}

static void *
uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct arena *a = arena_new();
    struct request *req = arena_alloc(a, sizeof(*req));
    struct connection *c = connection_of(conn);

    req->arena = a;
    req->conn = conn;
    req->app = srv->cfg.handlers.app;
    req->started_us = clock_mono_us();
    req->uri = arena_strdup(a, uri);
    sb_init(&req->body, a);
    sb_set_max(&req->body, srv->cfg.limits.max_body);
    req->body_limit = srv->cfg.limits.max_body;
    if (strlen(uri) > srv->cfg.limits.max_url) {
        req->early_status = MHD_HTTP_URI_TOO_LONG;
    } else if (query_args(uri) > srv->cfg.limits.max_query_args) {
        req->early_status = MHD_HTTP_URI_TOO_LONG;
        req->early_key = "error.too_many_parameters";
    }
    if (req->early_status)
        drop_query(uri);
    if (c)
        c->req = req;
    return req;
}

struct header_tally {
    size_t bytes;
    bool bad;
};

static enum MHD_Result
tally_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
             const char *value, size_t value_size)
{
    struct header_tally *t = cls;
    (void)kind;
    (void)key;
    (void)value;
    t->bytes += key_size + value_size + 4;
    return MHD_YES;
}

static enum MHD_Result
check_argument(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
               const char *value, size_t value_size)
{
    struct header_tally *t = cls;
    (void)kind;
    /* A NUL inside (sizes disagree with strlen) is as bad as broken UTF-8. */
    if (strlen(key) != key_size || !utf8_valid(key, key_size) ||
        utf8_has_controls(key, key_size, false) ||
        (value && (strlen(value) != value_size || !utf8_valid(value, value_size) ||
                   utf8_has_controls(value, value_size, false)))) {
        t->bad = true;
        return MHD_NO;
    }
    return MHD_YES;
}

static enum http_method
method_of(const char *m)
{
    if (strcmp(m, "GET") == 0)
        return HTTP_GET;
    if (strcmp(m, "HEAD") == 0)
        return HTTP_HEAD;
    if (strcmp(m, "POST") == 0)
        return HTTP_POST;
    return HTTP_OTHER;
}

/*
 * Whether the path of the request target uri (up to its '?'), once
 * decoded, holds a NUL.  libmicrohttpd decodes the path in place and
 * hands us a C string, so "/static/style.css%00.png" reaches the
 * handlers as "/static/style.css": the undecoded target is the only
 * place the NUL can be seen.  Only "%00" decodes to a NUL (a raw NUL
 * ends the target before we see it; "%C0%80" is not valid UTF-8 and is
 * refused as such).
 */
static bool
path_has_nul(const char *uri)
{
    size_t n = strcspn(uri, "?");
    for (size_t i = 0; i + 2 < n; i++)
        if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
            return true;
    return false;
}

/* The hard cap of req's body (server.h): 413 beyond. */
static size_t
body_cap(const struct request *req)
{
    return req->body_limit * SERVER_BODY_CAP_FACTOR;
}

/* First call: everything we can check from the request line and headers. */
static void
check_request(struct server *srv, struct request *req, const char *url, const char *version)
{
    struct header_tally t = {0, false};
    size_t url_len = strlen(url);

    if (req->early_status)
        return;
    MHD_get_connection_values_n(req->conn, MHD_HEADER_KIND, tally_header, &t);
    if (t.bytes > srv->cfg.limits.max_headers) {
        req->early_status = MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE;
        return;
    }
    if (!utf8_valid(url, url_len) || utf8_has_controls(url, url_len, false) || url[0] != '/' ||
        path_has_nul(req->uri)) {
        req->early_status = MHD_HTTP_BAD_REQUEST;
        return;
    }
    /* HTTP/1.1 requires Host (RFC 9112, 3.2); HTTP/1.0 may omit it.  We
     * check it here rather than with MHD_OPTION_STRICT_FOR_CLIENT, which
     * also refuses other things and answers with a page of its own. */
    if (strcmp(version, MHD_HTTP_VERSION_1_0) != 0 &&
        !MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) {
        req->early_status = MHD_HTTP_BAD_REQUEST;
        req->early_key = "error.host_missing";
        return;
    }
    MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, check_argument, &t);
    if (t.bad) {
        req->early_status = MHD_HTTP_BAD_REQUEST;
        return;
    }
    const char *cl =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    long long n;
    if (cl && (parse_llz(cl, 0, INT64_MAX, &n, NULL) || (unsigned long long)n > body_cap(req)))
        req->early_status = MHD_HTTP_CONTENT_TOO_LARGE;
}

/* ---- answering -------------------------------------------------------------------------- */

static const char *
refusal_key(const struct request *req)
{
    if (req->early_key)
        return req->early_key;
    switch (req->early_status) {
    case MHD_HTTP_URI_TOO_LONG:
        return "error.uri_too_long";
    case MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE:
        return "error.headers_too_large";
    case MHD_HTTP_CONTENT_TOO_LARGE:
        return "error.body_too_large";
    default:
        return "error.bad_request";
    }
}

/*
 * One access-log line: - "METHOD /path" status bytes milliseconds.  No
 * query string: it may carry what people typed.  No client address
 * either (the "-" keeps the column of the common log format): beside the
 * path of a sign form or a confirmation link, or a petition's page just
 * before either, it would tie a person to a petition.  Written before
 * the response is queued, so the line exists by the time the client has
 * its answer.
 */
static void
access_log(struct server *srv, struct request *req, const char *note)
{
    req->logged = true;
    if (!srv->cfg.access_log)
        return;
    struct strbuf line;
    sb_init(&line, req->arena);
    sb_adds(&line, "- \"");
    log_escape(&line, req->method_name, strlen(req->method_name));
    sb_addch(&line, ' ');
    log_escape(&line, req->path, strlen(req->path));
    sb_addf(&line, "\" %d %zu %.1fms%s\n", req->resp.status, req->resp.len,
            (double)(clock_mono_us() - req->started_us) / 1000.0, note);
    fwrite(line.buf, 1, line.len, stderr);
}

static enum metrics_method
metrics_method_of(enum http_method m)
{
    switch (m) {
    case HTTP_GET:
        return METRICS_GET;
    case HTTP_HEAD:
        return METRICS_HEAD;
    case HTTP_POST:
        return METRICS_POST;
    default:
        return METRICS_OTHER;
    }
}

/* The response for r: its content type, its headers and the server's;
 * the body copied when it must outlive the request (mode). */
static struct MHD_Response *
make_response(struct server *srv, const struct http_response *r, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *mr = MHD_create_response_from_buffer(r->len, (void *)r->body, mode);
    if (!mr)
        return NULL;
    if (r->content_type)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    for (int i = 0; i < r->header_count; i++)
        MHD_add_response_header(mr, r->headers[i].name, r->headers[i].value);
    for (int i = 0; i < srv->cfg.header_count; i++)
        MHD_add_response_header(mr, srv->cfg.headers[i].name, srv->cfg.headers[i].value);
    return mr;
}

static void
drop_response(void *ready)
{
    MHD_destroy_response(ready);
}

/* Let go of the page cache's entry r holds, if any. */
static void
release_held(struct http_response *r)
{
    cache_release(r->held);
    r->held = NULL;
    r->ready = NULL;
}

/*
 * Send req's answer, counting it in the metrics (lib/metrics.h) by route,
 * method and status, with the time since the request line was read.  An
 * answer from an immutable entry of the page cache (http/cache.h, Ready
 * answers) is queued as the response kept with it, or, the first time,
 * built with a copy of its body and offered to the entry.  libmicrohttpd
 * counts the queues of a response, and queuing one response on many
 * connections at once is allowed.
 */
static enum MHD_Result
send_response(struct server *srv, struct request *req)
{
    struct http_response *r = &req->resp;
    if (!r->status) {
        /* A handler that answered nothing is a bug: say so, do not hang. */
        static const char msg[] = "Internal error / Erreur interne\n";
        resp_body(req, 500, "text/plain; charset=utf-8", msg, sizeof(msg) - 1);
    }
    access_log(srv, req, "");
    metrics_request(r->route, metrics_method_of(req->method), r->status,
                    clock_mono_us() - req->started_us);
    enum MHD_Result ok;
    if (r->ready) {
        ok = MHD_queue_response(req->conn, (unsigned)r->status, r->ready);
        release_held(r);
        return ok;
    }
    struct MHD_Response *mr =
        make_response(srv, r, r->held ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!mr) {
        release_held(r);
        return MHD_NO;
    }
    ok = MHD_queue_response(req->conn, (unsigned)r->status, mr);
    if (ok != MHD_YES || !cache_offer_ready(r->held, mr, drop_response))
        MHD_destroy_response(mr);
    release_held(r);
    return ok;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    struct server *srv = cls;
    struct request *req = *con_cls;
    (void)conn;

    if (!req->method_name) {
        /* First call: headers are in, the body (if any) is not. */
        req->method_name = arena_strdup(req->arena, method);
        req->method = method_of(method);
        req->path = arena_strdup(req->arena, url);
        if (srv->cfg.handlers.body_limit && !req->early_status) {
            size_t lim = srv->cfg.handlers.body_limit(req);
            if (lim > req->body_limit) {
                sb_set_max(&req->body, lim);
                req->body_limit = lim;
            }
        }
        check_request(srv, req, url, version);
        if (req->early_status == MHD_HTTP_CONTENT_TOO_LARGE) {
            /* Answer now so the client stops sending; the connection closes. */
            srv->cfg.handlers.refuse(req, req->early_status, refusal_key(req));
            return send_response(srv, req);
        }
        return MHD_YES;
    }
    if (req->deferred) {
        /* Resumed: the work handed over is done. */
        req->deferred = false;
        srv->cfg.handlers.finish(req);
        return send_response(srv, req);
    }
    if (*upload_data_size) {
        /* Keep the first max_body bytes; count the rest, up to the cap. */
        size_t len = *upload_data_size, room = req->body_limit - req->body.len;
        req->body_read += len;
        if (len > room) {
            req->body_cut = true;
            len = room;
        }
        sb_add(&req->body, upload_data, len);
        if (sb_failed(&req->body) || req->body_read > body_cap(req))
            req->body_too_large = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->body_too_large && !req->early_status)
        req->early_status = MHD_HTTP_CONTENT_TOO_LARGE;
    if (req->early_status)
        srv->cfg.handlers.refuse(req, req->early_status, refusal_key(req));
    else
        srv->cfg.handlers.dispatch(req);
    if (req->deferred)
        return MHD_YES; /* suspended until req_resume() */
    return send_response(srv, req);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct request *req = *con_cls;
    struct connection *c = connection_of(conn);
    if (!req)
        return;
    /* A request that got no response (the client left) is logged here. */
    if (!req->logged && req->method_name)
        access_log(srv, req, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    if (c && c->req == req)
        c->req = NULL;
    release_held(&req->resp);
    arena_free(req->arena);
    *con_cls = NULL;
}

/*
 * A connection opens or closes.  On closing, a request still held is one
 * libmicrohttpd dropped without calling completed() (drop_query() says
 * how): its arena is freed here.  libmicrohttpd calls this on the
 * connection's worker thread, after completed() when that runs.
 */
static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
              enum MHD_ConnectionNotificationCode code)
{
    struct connection *c = *socket_context;
    (void)cls;
    (void)conn;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        c = calloc(1, sizeof(*c));
        if (!c)
            die_oom();
        *socket_context = c;
        return;
    }
    if (!c)
        return;
    if (c->req) {
        release_held(&c->req->resp);
        arena_free(c->req->arena);
    }
    free(c);
    *socket_context = NULL;
}

/* ---- start and stop ------------------------------------------------------------------------ */

static int
parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, bool *v6,
             struct err *e)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    long long port;

    if (!colon || parse_llz(colon + 1, 0, 65535, &port, NULL))
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "--listen wants HOST:PORT, e.g. 127.0.0.1:8080, not \"%s\"", listen);
    size_t hlen = (size_t)(colon - listen);
    if (hlen >= 2 && listen[0] == '[' && listen[hlen - 1] == ']') {
        listen++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= sizeof(host))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "--listen: bad host");
    memcpy(host, listen, hlen);
    host[hlen] = '\0';
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *len = sizeof(*in4);
        *v6 = false;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*in6);
        *v6 = true;
    } else {
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "--listen: \"%s\" is not an IP address", host);
    }
    return 0;
}

/* libmicrohttpd's messages, at most 10 a second: under a flood of
 * connections over a limit it would say so for each one. */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    static _Atomic int64_t second;
    static _Atomic int lines;
    (void)cls;
    int64_t now = clock_mono_us() / 1000000;
    if (atomic_exchange(&second, now) != now)
        atomic_store(&lines, 0);
    int n = atomic_fetch_add(&lines, 1);
    if (n >= 10) {
        if (n == 10)
            fputs("petitiond: http: (more messages this second not shown)\n", stderr);
        return;
    }
    fputs("petitiond: http: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/*
 * Why listening on addr failed, as one line.  The listening socket asks
 * for SO_REUSEADDR only (libmicrohttpd's default), never SO_REUSEPORT:
 * with it a second server on the same port would start and silently take
 * some of the first one's requests.  So an address in use is refused, and
 * a bind of our own tells that case from the others.
 */
static int
listen_refused(const char *listen, const struct sockaddr_storage *ss, socklen_t len, struct err *e)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int why = fd < 0 ? errno : 0;
    if (fd >= 0) {
        int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        if (bind(fd, (const struct sockaddr *)ss, len))
            why = errno;
        close(fd);
    }
    if (why == EADDRINUSE)
        return err_set(e, ERR_IO, "error.io", NULL,
                       "cannot listen on %s: address already in use (is another server, another"
                       " petitiond perhaps, serving there?)",
                       listen);
    return err_set(e, ERR_IO, "error.io", NULL, "cannot listen on %s: %s", listen,
                   why ? strerror(why) : "the HTTP server did not start");
}

int
server_listen(const char *addr, int *fd, struct err *e)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    bool v6 = false;
    int r, on = 1;

    if ((r = parse_listen(addr, &ss, &sslen, &v6, e)))
        return r;
    /* As libmicrohttpd's own: SO_REUSEADDR (never SO_REUSEPORT, see
     * listen_refused()), IPv6 only on an IPv6 address, non-blocking since
     * every worker thread accepts from it. */
    int s = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0)
        return err_set(e, ERR_IO, "error.io", NULL, "cannot listen on %s: %s", addr,
                       strerror(errno));
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (v6)
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
    if (bind(s, (const struct sockaddr *)&ss, sslen) || listen(s, SOMAXCONN)) {
        close(s);
        return listen_refused(addr, &ss, sslen, e);
    }
    *fd = s;
    return 0;
}

int
server_start(const struct server_config *cfg, struct server **out, struct err *e)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    bool v6 = false;
    int r;

    if ((r = parse_listen(cfg->listen, &ss, &sslen, &v6, e)))
        return r;
    struct server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        die_oom();
    srv->cfg = *cfg;
    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n < 256 ? (unsigned)n : 2;
    }
    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    if (v6)
        flags |= MHD_USE_IPv6;
    /* The connection's memory pool holds the request line and headers,
     * and the records of the query's arguments (at most max_query_args
     * reach libmicrohttpd, see drop_query()): leave room beyond our own
     * header limit so we, not libmicrohttpd, answer requests that are
     * merely too large. */
    /* libmicrohttpd clears the whole pool for every request on a
     * connection, so its size is paid on every request: keep it small. */
    size_t pool = cfg->limits.max_headers + cfg->limits.max_url +
                  (size_t)cfg->limits.max_query_args * POOL_RECORD_BYTES + 8 * 1024;
    /* The socket server_listen() bound, or the address to bind. */
    struct MHD_OptionItem where[] = {
        cfg->listen_fd >= 0
            ? (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, cfg->listen_fd, NULL}
            : (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_END, 0, NULL}};
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_ARRAY, where, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_URI_LOG_CALLBACK,
        uri_log, srv, MHD_OPTION_NOTIFY_COMPLETED, completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->limits.idle_timeout, MHD_OPTION_CONNECTION_LIMIT,
        cfg->limits.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->limits.per_ip_connections, MHD_OPTION_END);
    if (!srv->daemon) {
        free(srv);
        if (cfg->listen_fd >= 0) {
            close(cfg->listen_fd);
            return err_set(e, ERR_IO, "error.io", NULL,
                           "cannot serve on %s: the HTTP server did"
                           " not start",
                           cfg->listen);
        }
        return listen_refused(cfg->listen, &ss, sslen, e);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    if (!srv->port && cfg->listen_fd >= 0) {
        struct sockaddr_storage bound;
        socklen_t blen = sizeof(bound);
        if (getsockname(cfg->listen_fd, (struct sockaddr *)&bound, &blen) == 0)
            srv->port =
                ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                  : ((struct sockaddr_in *)&bound)->sin_port);
    }
    *out = srv;
    return 0;
}

uint16_t
server_port(const struct server *s)
{
    return s->port;
}

void
server_stop(struct server *s)
{
    if (!s)
        return;
    /* No MHD_quiesce_daemon() first: in libmicrohttpd 0.9.75 it races with
     * the worker threads over the listening socket's epoll registration and
     * can abort the process ("Failed to remove listen FD from epoll set").
     * The handlers in flight finish; the threads are joined. */
    MHD_stop_daemon(s->daemon);
    free(s);
}
