/*
 * cache.h: public answers kept in memory, with ETag, Last-Modified and 304.
 *
 * Under a surge most requests are for a few public pages that are the same
 * for every visitor.  The cache keeps such answers (status 200, body,
 * content type and the headers the handler set) keyed by the request
 * target as sent (req->uri: path and query), so a repeat is answered by a
 * copy into the request's arena, without the handler, the store or a
 * template.  It knows nothing of pages: what is cacheable is the caller's
 * choice (cmd/routes.c sets ROUTE_CACHE on visitor-independent GET routes),
 * and when an answer is still right is told by a stamp the caller takes.
 *
 * Validity.  An entry was rendered at a stamp: the two change counters of
 * lib/changes.h, the site clock and the monotonic clock.  It answers a
 * later request whose stamp is `now` while all of these hold:
 *   - the same data generation (nothing published, closed, answered...);
 *   - the site clocks differ by less than CACHE_CLOCK_WINDOW (60) seconds
 *     either way, for text that depends on the time ("closes", "overdue")
 *     and for changes another process made (another node, `petitiond
 *     counts check --fix`): nothing is older than that;
 *   - the same counts generation, or less than count_freshness_ms of
 *     monotonic time since the render (0 = draw again as soon as a count
 *     moves): while signatures pour in, a page is drawn at most once per
 *     window, not once per confirmation.
 * An entry that is no longer valid stays until it is drawn again or
 * replaced.  Requests arriving together for an invalid entry each render
 * (at most one per worker thread); the last to finish is kept unless an
 * entry rendered at a later generation is already there.
 *
 * Validators.  Every kept answer carries a strong ETag, the quoted 22
 * characters of base64url of a 16-byte BLAKE2b hash of the body, and a
 * Last-Modified, the site-clock time at which the body last changed: a
 * render that gives the same body keeps the ETag and Last-Modified of the
 * entry it replaces.  A request whose If-None-Match lists that ETag (weak
 * comparison: W/ is ignored; "*" matches) gets 304 Not Modified with no
 * body and only ETag, Last-Modified, Cache-Control, Vary, Expires and
 * Content-Location (the answer's len is still the 200's, for the
 * Content-Length libmicrohttpd writes, but its bytes are never sent and
 * may be zeros); without If-None-Match, an If-Modified-Since (an
 * IMF-fixdate; other forms are ignored, which costs only a full answer) at
 * or after Last-Modified gets the same 304.
 *
 * Answers not kept.  A cacheable answer too large to keep (a body over
 * max_body, as the CSV and XML exports may be), and one that differs by
 * request headers and so cannot be kept under its URL alone (the language
 * chooser at /, Vary: Accept-Language; cache_validate()), still carry a
 * strong ETag, the hash of their body, and get a 304 when If-None-Match
 * lists it; the handler has run, only the bytes are spared.  Nothing
 * tells when such a body last changed, so their Last-Modified is the site
 * clock when they were drawn, and If-Modified-Since alone never gets them
 * a 304.
 *
 * Bounds.  At most max_entries answers and max_bytes of them (body and
 * header strings); a body over max_body is not kept (an entry kept
 * earlier for its URL is dropped).  When full, the least recently used
 * entries make room.  An answer is never kept nor given validators when
 * it is not 200, sets a cookie, or says Cache-Control: no-store or
 * private.
 *
 * Ready answers.  An answer whose Cache-Control says immutable (the log's
 * tiles and entry bundles, today the only ones) is the same bytes for as long
 * as it is kept, so the server need not build its response again for
 * every request: the first hit after it is kept hands the entry, held, to
 * the server (http_response.held), which builds its response with a copy
 * of the body and offers it to the entry (cache_offer_ready); later hits
 * without If-None-Match or If-Modified-Since get that response
 * (http_response.ready) and the server queues it as it is, with no copy
 * of the body and no header added.  A conditional request takes the usual
 * path (its 304 is built as ever).  The entry owns the ready response and
 * drops it with its last reference: one evicted or replaced while a
 * request still holds it lives until that request lets it go
 * (cache_release), and the server's library keeps a response it is still
 * sending.  Its bytes count against max_bytes from the start (the blob
 * twice, and CACHE_READY_OVERHEAD), so the bounds hold with every entry
 * ready.
 *
 * Threads.  Every function may be called from any thread at once, except
 * cache_new() and cache_free().  One mutex guards the table for a lookup
 * or an insertion; entries are immutable and reference-counted, so a body
 * is copied into the request's arena outside the lock and an entry
 * replaced meanwhile is freed only when its last reader is done.
 */
#ifndef PETITIOND_CACHE_H
#define PETITIOND_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct cache_entry;
struct changes;
struct clock;
struct err;
struct http_response;
struct request;

enum {
    CACHE_MAX_ENTRIES = 4096, /* default bounds */
    CACHE_MAX_BYTES = 64 * 1024 * 1024,
    CACHE_MAX_BODY = 1024 * 1024,
    CACHE_CLOCK_WINDOW = 60, /* seconds of site clock an entry lives at most */
    CACHE_ETAG_MAX = 32,     /* "\"" 22 characters "\"" and the NUL */
    CACHE_DATE_MAX = 32,     /* "Sun, 06 Nov 1994 08:49:37 GMT" and the NUL */
    /* What a ready answer takes beyond its copy of the blob: the server
     * library's response and header records, counted against max_bytes. */
    CACHE_READY_OVERHEAD = 1024,
};

/* When an answer was drawn (or when a request arrives). */
struct cache_stamp {
    uint64_t data;   /* changes_data() */
    uint64_t counts; /* changes_counts() */
    int64_t clock;   /* the site clock, UTC seconds */
    int64_t mono_ms; /* CLOCK_MONOTONIC, milliseconds */
};

struct cache_limits {
    unsigned max_entries; /* at least 1 */
    size_t max_bytes;
    size_t max_body;
};

/* The validators of one answer. */
struct cache_validators {
    char etag[CACHE_ETAG_MAX];               /* with its quotes */
    int64_t last_modified;                   /* UTC seconds */
    char last_modified_text[CACHE_DATE_MAX]; /* as an HTTP-date */
};

enum cache_result {
    CACHE_MISS = 0,     /* no valid entry: run the handler */
    CACHE_HIT,          /* out holds the 200 answer */
    CACHE_NOT_MODIFIED, /* out holds the 304 answer */
};

enum cache_put_result {
    CACHE_PUT_REFUSED = 0, /* not cacheable (Bounds): no validators */
    CACHE_PUT_KEPT,        /* kept, with its validators */
    CACHE_PUT_TOO_LARGE,   /* cacheable but too large to keep: validators only */
};

struct cache_stats {
    unsigned entries;
    size_t bytes;
    uint64_t evictions; /* entries dropped to make room */
};

/* ---- the cache ------------------------------------------------------------------------ */

/* An empty cache with lim (NULL: the defaults above).  The caller owns it
 * and frees it with cache_free() once no thread uses it; aborts when
 * memory runs out.  NULL is accepted as an empty cache that keeps nothing
 * by every function below. */
struct cache *cache_new(const struct cache_limits *lim);
void cache_free(struct cache *c);

/* Take a stamp now: the counters of ch, the time by clk, the monotonic
 * clock.  Take it before rendering, so that a change committed while a
 * page is drawn makes the entry stale at once. */
void cache_stamp_take(struct cache_stamp *s, const struct changes *ch, const struct clock *clk);

/* Whether an answer drawn at made may still answer at now (rules above). */
bool cache_stamp_fresh(const struct cache_stamp *made, const struct cache_stamp *now,
                       unsigned count_freshness_ms);

/*
 * Look key up.  On CACHE_HIT, *out is the 200 answer with its headers
 * (ETag and Last-Modified among them), every string and the body copied
 * into a; on CACHE_NOT_MODIFIED (if_none_match or if_modified_since, the
 * request's headers or NULL, say the client has it), the 304 answer with
 * no body.  On CACHE_MISS *out is untouched.
 */
enum cache_result cache_get(struct cache *c, struct arena *a, const char *key,
                            const struct cache_stamp *now, unsigned count_freshness_ms,
                            const char *if_none_match, const char *if_modified_since,
                            struct http_response *out);

/*
 * Keep resp (its strings and body are copied; the caller keeps resp) as
 * the answer for key, drawn at made, when it may be kept (above).
 * Returns CACHE_PUT_KEPT and fills *v with its validators when it may;
 * CACHE_PUT_TOO_LARGE and fills *v with the validators of an answer not
 * kept (its hash, and made->clock as Last-Modified) when it is cacheable
 * but over max_body or max_bytes; CACHE_PUT_REFUSED when it is not
 * cacheable, or c or key is NULL (then the answer carries no validators).
 */
enum cache_put_result cache_put(struct cache *c, const char *key, const struct http_response *resp,
                                const struct cache_stamp *made, struct cache_validators *v);

/*
 * cache_get() for the dispatcher (Ready answers): when the entry for key
 * is immutable and neither condition is given, out->held is the entry,
 * held until cache_release(), and out->ready its ready answer if it has
 * one (then out says only the status, length and route: nothing is
 * copied), else out is filled as cache_get() fills it, for the server to
 * build its response and offer it.  Otherwise as cache_get().
 */
enum cache_result cache_get_held(struct cache *c, struct arena *a, const char *key,
                                 const struct cache_stamp *now, unsigned count_freshness_ms,
                                 const char *if_none_match, const char *if_modified_since,
                                 struct http_response *out);

/* Offer ready, the server's response for the held entry e's answer, to
 * be kept with it and handed to later requests.  Returns true when e
 * takes it (and will call drop(ready) once, when its last reference
 * goes), false when e already has one (or e or ready is NULL): the
 * caller keeps ready. */
bool cache_offer_ready(struct cache_entry *e, void *ready, void (*drop)(void *ready));

/* Let go of an entry held by cache_get_held() (NULL: nothing). */
void cache_release(struct cache_entry *e);

/* Sizes now, and evictions so far. */
void cache_stats(struct cache *c, struct cache_stats *out);

/* ---- for the dispatcher ----------------------------------------------------------------- */

/* A GET or HEAD of a cacheable route: answer req (200 or 304) from a
 * valid entry for req->uri and return true, or return false and let the
 * handler run. */
bool cache_answer(struct cache *c, struct request *req, const struct cache_stamp *now,
                  unsigned count_freshness_ms);

/* After the handler of a cacheable route answered req: keep the answer
 * (drawn at made) when it may be kept, add its ETag and Last-Modified
 * (also when it is too large to keep), and turn it into a 304 when the
 * request's conditions say so (If-None-Match only when not kept). */
void cache_keep(struct cache *c, struct request *req, const struct cache_stamp *made);

/* After the handler of a public route whose answer differs by request
 * headers answered req: when cacheable, add an ETag (the hash of this
 * body) and Last-Modified (made->clock) without keeping it, and turn it
 * into a 304 when If-None-Match lists the ETag. */
void cache_validate(struct request *req, const struct cache_stamp *made);

/* ---- pure parts (tested alone) ---------------------------------------------------------- */

/* Write t (UTC seconds) as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT". */
void cache_http_date(int64_t t, char out[CACHE_DATE_MAX]);

/* Read the len bytes at s as an IMF-fixdate (surrounding spaces allowed).
 * Returns 0 and *t, or ERR_INVALID (any other form, a bad field). */
int cache_http_date_parse(const char *s, size_t len, int64_t *t, struct err *e);

/* Whether an If-None-Match value ("*" or a list of entity tags, W/
 * allowed) matches etag (quoted) by weak comparison.  A malformed list
 * matches nothing after the fault. */
bool cache_etag_listed(const char *if_none_match, const char *etag);

/* Whether the request's conditions (either may be NULL) let a 304 answer
 * for an answer with these validators: If-None-Match decides when
 * present; else If-Modified-Since at or after last_modified. */
bool cache_not_modified(const char *if_none_match, const char *if_modified_since, const char *etag,
                        int64_t last_modified);

#endif
