/*
 * request.h: one HTTP request as handlers see it, and how they answer.
 *
 * A struct request lives from libmicrohttpd's first call for a request to
 * its completion callback; everything in it, and everything a handler
 * allocates from req->arena, is freed then.  Handlers run on the server's
 * worker threads and must not keep pointers into the request afterwards.
 *
 * A handler fills req->resp (usually through the resp_* helpers) and
 * returns 0; or returns a negative enum err_code with details in the
 * struct err, and the site's error page for that code is sent instead.
 */
#ifndef PETITIOND_REQUEST_H
#define PETITIOND_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/lang.h"
#include "lib/strbuf.h"

struct MHD_Connection;
struct cache_entry;
struct arena;
struct err;

enum http_method {
    HTTP_GET = 1 << 0,
    HTTP_HEAD = 1 << 1,
    HTTP_POST = 1 << 2,
    HTTP_OTHER = 1 << 3,
};

enum { RESP_MAX_HEADERS = 16, ROUTE_MAX_CAPTURES = 12 };

struct resp_header {
    const char *name;
    const char *value;
};

struct http_response {
    int status; /* 0 until a handler answers */
    const char *content_type;
    const char *body; /* arena or static memory */
    size_t len;
    struct resp_header headers[RESP_MAX_HEADERS];
    int header_count;
    /* Which route made the answer, for the metrics (lib/metrics.h): an
     * index into the route table plus one, 0 for none.  Kept with an
     * answer in the page cache. */
    int route;
    /* An answer from the page cache's entry held (http/cache.h, Ready
     * answers): the server lets it go once the answer is queued, and
     * queues ready, the response made earlier, when there is one. */
    struct cache_entry *held;
    void *ready;
};

struct request {
    struct MHD_Connection *conn;
    struct arena *arena;
    void *app; /* the site: store, templates, catalogues */
    enum http_method method;
    const char *method_name;
    const char *path; /* decoded path, without the query */
    const char *uri;  /* the request target as sent: path and query, undecoded */
    enum lang lang;   /* from the URL prefix, else Accept-Language */
    bool lang_from_url;
    const char *captures[ROUTE_MAX_CAPTURES]; /* the '*' segments of the route */
    int capture_count;
    struct strbuf body; /* the request body, up to the limit */
    size_t body_limit;  /* the limit: max_body, or the body_limit handler's */
    size_t body_read;   /* bytes of body received, kept or not */
    /* The body was over body_limit (but within the server's hard cap) and
     * only its first body_limit bytes are kept: see req_form_cut(). */
    bool body_cut;
    bool body_too_large;   /* over the hard cap: refused with 413 */
    int early_status;      /* a limit tripped before the handler ran */
    const char *early_key; /* its message key, when not the status's usual one */
    int64_t started_us;    /* monotonic, for the access log */
    bool logged;           /* its access-log line is written */
    char peer[64];         /* the client's address: use req_peer() */
    struct http_response resp;
    struct form_field *form; /* the decoded form body, once read */
    int form_count;          /* -1: the body is not a valid form */
    bool form_read;
    const char *form_cut; /* the field a cut body ended in (req_form_cut) */
    void *auth;           /* the signed-in session (src/web/auth.c) */
    /* A refused form's kept state, going out or coming back
     * (src/web/forms.c, form_refusal_to and form_kept). */
    void *form_state;
    /* An answer deferred to another thread (req_defer). */
    int (*finish)(struct request *req, struct err *e);
    void *defer_arg;
    bool deferred;
};

struct form_field {
    const char *name;
    const char *value;
};

/* A query-string parameter, decoded; NULL when absent.  Values are
 * checked to be valid UTF-8 without control characters before any
 * handler runs. */
const char *req_query(struct request *req, const char *name);

/* The name of the first query-string parameter that is not in known (a
 * NULL-terminated list) or that comes twice, or NULL when there is none:
 * for interfaces that refuse what they do not understand. */
const char *req_query_unknown(struct request *req, const char *const known[]);

/* Call fn(arg, name, value) for each query-string parameter in the order
 * sent (value NULL for a name without '='), decoded. */
void req_query_each(struct request *req, void (*fn)(void *arg, const char *name, const char *value),
                    void *arg);

/* A cookie sent by the client, or NULL. */
const char *req_cookie(struct request *req, const char *name);

/*
 * A field of an application/x-www-form-urlencoded POST body, decoded; NULL
 * when absent.  The first occurrence wins.  When the body is not such a
 * form (another content type, a bad %-escape, invalid UTF-8 or control
 * characters other than tab and new lines in a value) every field is
 * absent and req_form_ok() is false.  Decoding happens once.
 */
const char *req_form(struct request *req, const char *name);
bool req_form_ok(struct request *req);

/*
 * When the body was cut at the limit (req->body_cut), the name of the
 * field it ended in, else NULL.  The fields before it are whole; its value
 * is what arrived of it, ended on a whole character; the fields after it
 * are absent.  A handler that accepts cut bodies (routes.h,
 * ROUTE_FORM_CUT) must not act on such a form, only show it again.
 */
const char *req_form_cut(struct request *req);

/* The client's address as text ("203.0.113.7", "2001:db8::1"; "-" when
 * unknown): the peer of the connection, not X-Forwarded-For. */
const char *req_peer(struct request *req);

/* A request header, or NULL. */
const char *req_header(struct request *req, const char *name);

/* Set a response header, replacing one of the same name (Set-Cookie
 * adds another).  Name and value must outlive the response: use string
 * literals or req->arena. */
void resp_header(struct request *req, const char *name, const char *value);

/* Answer with a body (borrowed: arena or static memory). */
void resp_body(struct request *req, int status, const char *content_type, const char *body,
               size_t len);

/* Answer with a redirect to location (303 See Other or 302 Found). */
void resp_redirect(struct request *req, int status, const char *location);

/*
 * Answer later.  A handler that hands its work to another thread (the
 * signature writer) calls req_defer() before handing it over and returns
 * 0 without answering: the connection is suspended, and no server thread
 * waits.  The other thread calls req_resume() once the work is done (and
 * touches nothing of the request after); then finish(req, e) runs on a
 * server thread and answers like a handler (0, or an error for the error
 * page).  arg is kept in req->defer_arg.
 */
void req_defer(struct request *req, int (*finish)(struct request *req, struct err *e), void *arg);
void req_resume(struct request *req);

#endif
