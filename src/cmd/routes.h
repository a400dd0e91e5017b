/*
 * routes.h: the one table of every URL the server answers.
 *
 * The top of the program, beside the serve command that hands it to the
 * server (server.h's handlers): it points at every web and api handler,
 * and nothing below it includes it.
 *
 * Each route names the methods it accepts, a pattern and its handler.  A
 * pattern is a path of segments: a literal ("petitions"), "{lang}" (en or
 * fr, which sets req->lang), or "*" (any one segment, captured in order
 * into req->captures).  HEAD is accepted wherever GET is.  A path that
 * matches a pattern with another method gets 405 with an Allow header; a
 * path that matches none gets the 404 page.
 *
 * A handler answers through req->resp and returns 0, or returns a
 * negative enum err_code with e filled, and the error page (or, for API
 * routes, a JSON error) for that code is sent.
 *
 * A GET or HEAD is first looked up in the site's cache of public answers
 * (http/cache.h); the 200 answers of ROUTE_CACHE routes are kept there and
 * carry ETag and Last-Modified, so a repeat is answered from memory (or
 * with 304) without running the handler.  Those of ROUTE_VARY routes carry
 * an ETag and get 304 too, but are drawn each time.
 */
#ifndef PETITIOND_ROUTES_H
#define PETITIOND_ROUTES_H

#include <stddef.h>

struct err;
struct request;

typedef int (*route_handler)(struct request *req, struct err *e);

enum route_flags {
    ROUTE_API = 1 << 0, /* errors as JSON, not HTML */
    /* The answer is the same for every visitor (no session, cookie or
     * Accept-Language: only the URL decides), so its 200 answers are kept
     * in the site's cache (http/cache.h) and repeated with ETag and
     * Last-Modified, or 304.  GET routes only. */
    ROUTE_CACHE = 1 << 1,
    /* The answer is public but differs by a request header it names in
     * Vary (the language chooser at /, by Accept-Language), so it cannot
     * be kept under its URL: its 200 answers get an ETag from their body
     * and a 304 on If-None-Match (http/cache.h, cache_validate), but the
     * handler runs every time.  GET routes only. */
    ROUTE_VARY = 1 << 2,
    /* A form that shows itself again when its body was over the limit
     * and cut (http/server.h): the handler gets the cut body and answers
     * with the form, what arrived of the text and an error naming the
     * field it ended in (web/forms.h, form_cut).  Any other route answers
     * such a request with the 413 page, as one over the hard cap. */
    ROUTE_FORM_CUT = 1 << 3,
    /* A staff form of long texts (a government response, a paper
     * petition: two of 40,000 characters, more than max_body once
     * encoded): a signed-in member of staff may send a body of
     * ROUTE_LONG_FORM_FACTOR times max_body.  Anyone else keeps
     * max_body, so no visitor can make the server hold more. */
    ROUTE_LONG_FORM = 1 << 4,
};

enum { ROUTE_LONG_FORM_FACTOR = 8 };

struct route {
    unsigned methods; /* enum http_method bits */
    const char *pattern;
    route_handler handler;
    unsigned flags;
};

/* The server_handlers.dispatch callback: route req and answer it. */
void routes_dispatch(struct request *req);

/* The server_handlers.body_limit callback: ROUTE_LONG_FORM_FACTOR times
 * req's limit for a POST to a ROUTE_LONG_FORM route by a signed-in member
 * of staff, else 0 (the server's max_body). */
size_t routes_body_limit(struct request *req);

/* Name the routes in the metrics (lib/metrics.h, metrics_routes()): each
 * by its pattern.  Call once before serving. */
void routes_name_metrics(void);

/* The server_handlers.finish callback: answer a deferred request
 * (request.h, req_defer) with its finish function, or its error page. */
void routes_finish(struct request *req);

/* The server's refusal of a request before any handler (an over-long
 * target, invalid UTF-8 or a NUL in it, too large a body: the server's
 * refuse handler): the API's JSON error under /api/, the error page in
 * the page's language elsewhere (site_refuse()).  The status is kept. */
void routes_refuse(struct request *req, int status, const char *key);

#endif
