/*
 * cache_test.c: the response cache (src/http/cache.h) without a server:
 * HTTP-dates, If-None-Match lists, the conditions for a 304, when a stamp
 * is still valid, what is kept and what is not, validators of answers too
 * large to keep, validators kept across
 * identical renders, replacement when full, and readers racing writers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/cache.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/banned.h"

enum { T0 = 784111777 }; /* Sun, 06 Nov 1994 08:49:37 GMT */

static struct cache_stamp
stamp(uint64_t data, uint64_t counts, int64_t clock, int64_t mono_ms)
{
    struct cache_stamp s = {data, counts, clock, mono_ms};
    return s;
}

/* A 200 answer as a handler leaves it. */
static struct http_response
page(const char *body)
{
    struct http_response r;
    memset(&r, 0, sizeof(r));
    r.status = 200;
    r.content_type = "text/html; charset=utf-8";
    r.body = body;
    r.len = strlen(body);
    r.headers[0].name = "Cache-Control";
    r.headers[0].value = "public, max-age=60";
    r.headers[1].name = "Content-Language";
    r.headers[1].value = "en";
    r.header_count = 2;
    return r;
}

static const char *
header(const struct http_response *r, const char *name)
{
    for (int i = 0; i < r->header_count; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

static unsigned
entries(struct cache *c)
{
    struct cache_stats st;
    cache_stats(c, &st);
    return st.entries;
}

/* ---- the pure parts --------------------------------------------------------------------- */

static void
http_date_is_imf_fixdate_in_gmt(void **state)
{
    (void)state;
    char d[CACHE_DATE_MAX];
    cache_http_date(T0, d);
    assert_string_equal(d, "Sun, 06 Nov 1994 08:49:37 GMT");
    cache_http_date(0, d);
    assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT");
    cache_http_date(951782400, d); /* a leap day */
    assert_string_equal(d, "Tue, 29 Feb 2000 00:00:00 GMT");
    cache_http_date(-1, d);
    assert_string_equal(d, "Wed, 31 Dec 1969 23:59:59 GMT");
    cache_http_date(1798761599, d);
    assert_string_equal(d, "Thu, 31 Dec 2026 23:59:59 GMT");
}

static void
http_date_parse_reads_imf_fixdate_only(void **state)
{
    (void)state;
    int64_t t = 0;
    struct err e = ERR_INIT;
    const char *ok = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_int_equal(cache_http_date_parse(ok, strlen(ok), &t, &e), 0);
    assert_int_equal(t, T0);
    const char *spaced = "  Thu, 01 Jan 1970 00:00:01 GMT ";
    assert_int_equal(cache_http_date_parse(spaced, strlen(spaced), &t, NULL), 0);
    assert_int_equal(t, 1);
    /* Every date written reads back. */
    for (int64_t x = -86400 * 400; x < 86400LL * 365 * 200; x += 86400 * 37 + 3607) {
        char d[CACHE_DATE_MAX];
        cache_http_date(x, d);
        assert_int_equal(cache_http_date_parse(d, strlen(d), &t, NULL), 0);
        assert_int_equal(t, x);
    }
    const char *bad[] = {
        "Sunday, 06-Nov-94 08:49:37 GMT", /* RFC 850: ignored, not misread */
        "Sun Nov  6 08:49:37 1994",       /* asctime */
        "Sun, 30 Feb 1994 08:49:37 GMT",  /* no such day */
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Now 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 0x Nov 1994 08:49:37 GMT",
        "",
        "Sun, 06 Nov 1994 08:49:37 GMT trailing",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        t = 42;
        assert_int_equal(cache_http_date_parse(bad[i], strlen(bad[i]), &t, &e), ERR_INVALID);
        assert_int_equal(t, 42);
    }
    /* The length is the caller's: a NUL-less slice is read as given. */
    assert_int_equal(cache_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMTxx", 29, &t, NULL), 0);
}

static void
if_none_match_lists_compare_weakly(void **state)
{
    (void)state;
    const char *tag = "\"abc\"";
    assert_true(cache_etag_listed("\"abc\"", tag));
    assert_true(cache_etag_listed("W/\"abc\"", tag));
    assert_true(cache_etag_listed("\"x\", \"y\" ,W/\"abc\"", tag));
    assert_true(cache_etag_listed("*", tag));
    assert_true(cache_etag_listed("  * ", tag));
    assert_false(cache_etag_listed("\"abcd\"", tag));
    assert_false(cache_etag_listed("\"ab\"", tag));
    assert_false(cache_etag_listed("abc", tag));                 /* unquoted */
    assert_false(cache_etag_listed("\"x\", abc, \"abc\"", tag)); /* nothing after a fault */
    assert_false(cache_etag_listed("\"abc", tag));
    assert_false(cache_etag_listed("*x", tag));
    assert_false(cache_etag_listed("", tag));
    assert_false(cache_etag_listed(NULL, tag));
    assert_false(cache_etag_listed("w/\"abc\"", tag)); /* W/ is case-sensitive */
}

static void
if_none_match_decides_before_if_modified_since(void **state)
{
    (void)state;
    const char *tag = "\"abc\"";
    const char *at = "Sun, 06 Nov 1994 08:49:37 GMT";
    const char *later = "Sun, 06 Nov 1994 08:49:38 GMT";
    const char *earlier = "Sun, 06 Nov 1994 08:49:36 GMT";
    assert_true(cache_not_modified(tag, NULL, tag, T0));
    assert_false(cache_not_modified("\"old\"", later, tag, T0));
    assert_true(cache_not_modified(NULL, at, tag, T0));
    assert_true(cache_not_modified(NULL, later, tag, T0));
    assert_false(cache_not_modified(NULL, earlier, tag, T0));
    assert_false(cache_not_modified(NULL, "yesterday", tag, T0));
    assert_false(cache_not_modified(NULL, NULL, tag, T0));
}

static void
stamp_valid_while_data_clock_and_counts_allow(void **state)
{
    (void)state;
    struct cache_stamp made = stamp(5, 7, T0, 100000);
    struct cache_stamp now = made;
    assert_true(cache_stamp_fresh(&made, &now, 1000));
    /* Any data change: stale. */
    now.data = 6;
    assert_false(cache_stamp_fresh(&made, &now, 1000));
    /* The site clock, within 60 s either way. */
    now = made;
    now.clock = T0 + 59;
    assert_true(cache_stamp_fresh(&made, &now, 1000));
    now.clock = T0 + 60;
    assert_false(cache_stamp_fresh(&made, &now, 1000));
    now.clock = T0 - 59;
    assert_true(cache_stamp_fresh(&made, &now, 1000));
    now.clock = T0 - 60;
    assert_false(cache_stamp_fresh(&made, &now, 1000));
    /* Counts moved: valid for the freshness window, then stale. */
    now = made;
    now.counts = 8;
    now.mono_ms = 100999;
    assert_true(cache_stamp_fresh(&made, &now, 1000));
    now.mono_ms = 101000;
    assert_false(cache_stamp_fresh(&made, &now, 1000));
    now.mono_ms = 100000;
    assert_false(cache_stamp_fresh(&made, &now, 0)); /* 0: at once */
    now.mono_ms = 99999;
    assert_false(cache_stamp_fresh(&made, &now, 1000)); /* never from the future */
    /* Counts unchanged: the window does not matter. */
    now = made;
    now.mono_ms = 100000 + 3600 * 1000;
    assert_true(cache_stamp_fresh(&made, &now, 0));
}

/* ---- the table -------------------------------------------------------------------------- */

static void
too_large_answer_gets_validators_without_being_kept(void **state)
{
    (void)state;
    struct cache *c = cache_new(&(struct cache_limits){16, 1 << 20, 100});
    struct arena *a = arena_new();
    struct cache_stamp s1 = stamp(1, 1, T0, 0), s2 = stamp(2, 1, T0 + 5, 0);
    struct cache_validators v, v2, small_v;
    struct http_response r, out;
    char big[200];

    /* A small answer is kept first; the same URL then grows too large. */
    r = page("<p>small</p>");
    assert_int_equal(cache_put(c, "/export.csv", &r, &s1, &small_v), CACHE_PUT_KEPT);
    assert_int_equal(entries(c), 1);
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    r = page(big); /* over max_body (100) */
    assert_int_equal(cache_put(c, "/export.csv", &r, &s2, &v), CACHE_PUT_TOO_LARGE);
    /* Not kept, and the smaller answer kept before is gone. */
    assert_int_equal(entries(c), 0);
    memset(&out, 0, sizeof(out));
    assert_int_equal(cache_get(c, a, "/export.csv", &s2, 0, NULL, NULL, &out), CACHE_MISS);
    /* Its validators: the body's hash, and the time it was drawn. */
    assert_int_equal(strlen(v.etag), 24);
    assert_string_not_equal(v.etag, small_v.etag);
    assert_int_equal(v.last_modified, T0 + 5);
    assert_string_equal(v.last_modified_text, "Sun, 06 Nov 1994 08:49:42 GMT");
    /* The same bytes drawn again: the same ETag (strong, from the body). */
    assert_int_equal(cache_put(c, "/export.csv", &r, &s2, &v2), CACHE_PUT_TOO_LARGE);
    assert_string_equal(v2.etag, v.etag);
    /* Over max_bytes is too large as well. */
    struct cache *tiny = cache_new(&(struct cache_limits){16, 64, 1 << 20});
    r = page("<p>a body that does not fit in sixty-four bytes with its headers</p>");
    assert_int_equal(cache_put(tiny, "/x", &r, &s1, &v), CACHE_PUT_TOO_LARGE);
    assert_int_equal(entries(tiny), 0);
    /* What may not be cached gets no validators, whatever its size. */
    r = page(big);
    r.headers[0].value = "no-store";
    assert_int_equal(cache_put(c, "/export.csv", &r, &s2, &v), CACHE_PUT_REFUSED);
    cache_free(tiny);
    arena_free(a);
    cache_free(c);
}

static void
kept_answer_comes_back_with_validators(void **state)
{
    (void)state;
    struct cache *c = cache_new(NULL);
    struct arena *a = arena_new();
    struct cache_stamp s = stamp(1, 1, T0, 1000);
    struct http_response r = page("<p>hello</p>"), out;
    struct cache_validators v;

    memset(&out, 0, sizeof(out));
    assert_int_equal(cache_get(c, a, "/en/petitions/e-1", &s, 1000, NULL, NULL, &out), CACHE_MISS);
    assert_int_equal(cache_put(c, "/en/petitions/e-1", &r, &s, &v), CACHE_PUT_KEPT);
    assert_int_equal(strlen(v.etag), 24);
    assert_int_equal(v.etag[0], '"');
    assert_int_equal(v.etag[23], '"');
    assert_int_equal(v.last_modified, T0);
    assert_string_equal(v.last_modified_text, "Sun, 06 Nov 1994 08:49:37 GMT");

    assert_int_equal(cache_get(c, a, "/en/petitions/e-1", &s, 1000, NULL, NULL, &out), CACHE_HIT);
    assert_int_equal(out.status, 200);
    assert_int_equal(out.len, r.len);
    assert_memory_equal(out.body, r.body, r.len);
    assert_true(out.body != r.body);
    assert_string_equal(out.content_type, "text/html; charset=utf-8");
    assert_string_equal(header(&out, "Cache-Control"), "public, max-age=60");
    assert_string_equal(header(&out, "Content-Language"), "en");
    assert_string_equal(header(&out, "ETag"), v.etag);
    assert_string_equal(header(&out, "Last-Modified"), v.last_modified_text);
    /* Another target is another entry; the query counts. */
    assert_int_equal(cache_get(c, a, "/en/petitions/e-1?x=1", &s, 1000, NULL, NULL, &out),
                     CACHE_MISS);

    /* The client has it: a 304 with the validators and Cache-Control only,
     * its length the 200's (for Content-Length). */
    memset(&out, 0, sizeof(out));
    assert_int_equal(cache_get(c, a, "/en/petitions/e-1", &s, 1000, v.etag, NULL, &out),
                     CACHE_NOT_MODIFIED);
    assert_int_equal(out.status, 304);
    assert_int_equal(out.len, r.len);
    assert_null(out.content_type);
    assert_string_equal(header(&out, "ETag"), v.etag);
    assert_string_equal(header(&out, "Last-Modified"), v.last_modified_text);
    assert_string_equal(header(&out, "Cache-Control"), "public, max-age=60");
    assert_null(header(&out, "Content-Language"));
    assert_int_equal(
        cache_get(c, a, "/en/petitions/e-1", &s, 1000, NULL, "Sun, 06 Nov 1994 08:49:37 GMT", &out),
        CACHE_NOT_MODIFIED);
    assert_int_equal(
        cache_get(c, a, "/en/petitions/e-1", &s, 1000, NULL, "Sun, 06 Nov 1994 08:49:36 GMT", &out),
        CACHE_HIT);

    /* Stale once the data moves. */
    struct cache_stamp later = stamp(2, 1, T0, 1000);
    assert_int_equal(cache_get(c, a, "/en/petitions/e-1", &later, 1000, NULL, NULL, &out),
                     CACHE_MISS);
    arena_free(a);
    cache_free(c);
}

static void
same_body_keeps_etag_and_last_modified(void **state)
{
    (void)state;
    struct cache *c = cache_new(NULL);
    struct http_response a = page("<p>336 signatures</p>"), b = page("<p>337 signatures</p>");
    struct cache_validators v1, v2, v3, v4;
    struct cache_stamp s1 = stamp(1, 1, T0, 0), s2 = stamp(2, 1, T0 + 30, 0),
                       s3 = stamp(2, 2, T0 + 40, 0), s4 = stamp(3, 2, T0 - 100, 0);

    assert_int_equal(cache_put(c, "/k", &a, &s1, &v1), CACHE_PUT_KEPT);
    /* Drawn again, the same bytes. */
    assert_int_equal(cache_put(c, "/k", &a, &s2, &v2), CACHE_PUT_KEPT);
    assert_string_equal(v2.etag, v1.etag);
    assert_int_equal(v2.last_modified, T0);
    assert_int_equal(cache_put(c, "/k", &b, &s3, &v3), CACHE_PUT_KEPT); /* the count moved */
    assert_string_not_equal(v3.etag, v1.etag);
    assert_int_equal(v3.last_modified, T0 + 40);
    /* A clock set back never makes Last-Modified go back. */
    assert_int_equal(cache_put(c, "/k", &a, &s4, &v4), CACHE_PUT_KEPT);
    assert_string_equal(v4.etag, v1.etag);
    assert_int_equal(v4.last_modified, T0 + 41);
    assert_int_equal(entries(c), 1);
    cache_free(c);
}

static void
only_plain_public_200s_are_kept(void **state)
{
    (void)state;
    struct cache *c = cache_new(&(struct cache_limits){16, 1 << 20, 100});
    struct cache_stamp s = stamp(1, 1, T0, 0);
    struct cache_validators v;
    struct http_response r = page("not found");
    r.status = 404;
    assert_int_equal(cache_put(c, "/a", &r, &s, &v), CACHE_PUT_REFUSED);
    r = page("with a cookie");
    r.headers[2].name = "Set-Cookie";
    r.headers[2].value = "pd_csrf=00; Path=/";
    r.header_count = 3;
    assert_int_equal(cache_put(c, "/b", &r, &s, &v), CACHE_PUT_REFUSED);
    r = page("private");
    r.headers[0].value = "no-store";
    assert_int_equal(cache_put(c, "/c", &r, &s, &v), CACHE_PUT_REFUSED);
    r.headers[0].value = "Private, max-age=5";
    assert_int_equal(cache_put(c, "/c", &r, &s, &v), CACHE_PUT_REFUSED);
    assert_int_equal(entries(c), 0);
    r = page("");
    r.content_type = NULL;
    /* An empty body is a body. */
    assert_int_equal(cache_put(c, "/e", &r, &s, &v), CACHE_PUT_KEPT);
    assert_int_equal(entries(c), 1);
    /* NULL is a cache that keeps nothing. */
    assert_int_equal(cache_put(NULL, "/e", &r, &s, &v), CACHE_PUT_REFUSED);
    assert_int_equal(cache_get(NULL, NULL, "/e", &s, 0, NULL, NULL, &r), CACHE_MISS);
    cache_free(c);
}

static void
full_cache_drops_least_recently_used(void **state)
{
    (void)state;
    struct cache *c = cache_new(&(struct cache_limits){4, 1 << 20, 1 << 16});
    struct arena *a = arena_new();
    struct cache_validators v;
    struct http_response r = page("body"), out;
    char key[16];

    for (int i = 0; i < 4; i++) {
        struct cache_stamp s = stamp(1, 1, T0, 1000 + i);
        snprintf(key, sizeof(key), "/k%d", i);
        assert_int_equal(cache_put(c, key, &r, &s, &v), CACHE_PUT_KEPT);
    }
    /* /k0 is used again, so /k1 is now the least recently used. */
    struct cache_stamp s = stamp(1, 1, T0, 2000);
    assert_int_equal(cache_get(c, a, "/k0", &s, 1000, NULL, NULL, &out), CACHE_HIT);
    assert_int_equal(cache_put(c, "/k4", &r, &s, &v), CACHE_PUT_KEPT);
    struct cache_stats st;
    cache_stats(c, &st);
    assert_int_equal(st.entries, 4);
    assert_int_equal(st.evictions, 1);
    assert_int_equal(cache_get(c, a, "/k1", &s, 1000, NULL, NULL, &out), CACHE_MISS);
    assert_int_equal(cache_get(c, a, "/k0", &s, 1000, NULL, NULL, &out), CACHE_HIT);
    assert_int_equal(cache_get(c, a, "/k4", &s, 1000, NULL, NULL, &out), CACHE_HIT);
    cache_free(c);

    /* The byte bound: two big answers do not fit with a third. */
    c = cache_new(&(struct cache_limits){100, 5000, 4000});
    char big[2001];
    memset(big, 'y', 2000);
    big[2000] = '\0';
    r = page(big);
    for (int i = 0; i < 3; i++) {
        struct cache_stamp si = stamp(1, 1, T0, 1000 + i);
        snprintf(key, sizeof(key), "/b%d", i);
        assert_int_equal(cache_put(c, key, &r, &si, &v), CACHE_PUT_KEPT);
        cache_stats(c, &st);
        assert_true(st.bytes <= 5000);
    }
    assert_int_equal(st.entries, 2);
    assert_int_equal(st.evictions, 1);
    assert_int_equal(cache_get(c, a, "/b0", &s, 1000, NULL, NULL, &out), CACHE_MISS);
    assert_int_equal(cache_get(c, a, "/b2", &s, 1000, NULL, NULL, &out), CACHE_HIT);
    assert_int_equal(out.len, 2000);
    arena_free(a);
    cache_free(c);
}

static void
older_render_does_not_replace_newer(void **state)
{
    (void)state;
    struct cache *c = cache_new(NULL);
    struct arena *a = arena_new();
    struct cache_validators v;
    struct http_response newer = page("new"), older = page("old"), out;
    struct cache_stamp s2 = stamp(2, 1, T0, 0), s1 = stamp(1, 9, T0, 0);
    assert_int_equal(cache_put(c, "/p", &newer, &s2, &v), CACHE_PUT_KEPT);
    /* A thread that began drawing before the change finishes last. */
    assert_int_equal(cache_put(c, "/p", &older, &s1, &v), CACHE_PUT_KEPT);
    assert_int_equal(cache_get(c, a, "/p", &s2, 0, NULL, NULL, &out), CACHE_HIT);
    assert_memory_equal(out.body, "new", 3);
    arena_free(a);
    cache_free(c);
}

/* ---- ready answers ------------------------------------------------------------------------ */

/* What a server's response would be: counted while alive. */
static int ready_live;

static void *
ready_make(void)
{
    ready_live++;
    return malloc(1);
}

static void
ready_drop(void *ready)
{
    ready_live--;
    free(ready);
}

static struct http_response
immutable_page(const char *body)
{
    struct http_response r = page(body);
    r.headers[0].value = "public, max-age=31536000, immutable";
    return r;
}

static void
immutable_answers_keep_a_ready_response_within_bounds(void **state)
{
    (void)state;
    struct cache *c = cache_new(&(struct cache_limits){4, 1 << 20, 1 << 16});
    struct arena *a = arena_new();
    struct cache_validators v;
    struct cache_stats st;
    struct http_response out;
    char key[16], body[32];
    ready_live = 0;

    for (int i = 0; i < 40; i++) {
        struct cache_stamp s = stamp(1, 1, T0, 1000 + i);
        snprintf(key, sizeof(key), "/t%d", i);
        snprintf(body, sizeof(body), "tile %d", i);
        struct http_response r = immutable_page(body);
        assert_int_equal(cache_put(c, key, &r, &s, &v), CACHE_PUT_KEPT);
        /* The first hit: the answer copied, the entry held to be offered one. */
        memset(&out, 0, sizeof(out));
        assert_int_equal(cache_get_held(c, a, key, &s, 0, NULL, NULL, &out), CACHE_HIT);
        assert_non_null(out.held);
        assert_null(out.ready);
        assert_int_equal(out.len, strlen(body));
        assert_memory_equal(out.body, body, out.len);
        assert_string_equal(header(&out, "ETag"), v.etag);
        void *ready = ready_make();
        assert_true(cache_offer_ready(out.held, ready, ready_drop));
        void *late = ready_make(); /* another thread's, too late */
        assert_false(cache_offer_ready(out.held, late, ready_drop));
        ready_drop(late);
        cache_release(out.held);
        /* Later hits: the ready one, nothing copied. */
        memset(&out, 0, sizeof(out));
        assert_int_equal(cache_get_held(c, a, key, &s, 0, NULL, NULL, &out), CACHE_HIT);
        assert_ptr_equal(out.ready, ready);
        assert_null(out.body);
        assert_int_equal(out.status, 200);
        assert_int_equal(out.len, strlen(body));
        cache_release(out.held);
        /* A conditional request takes the usual way. */
        memset(&out, 0, sizeof(out));
        assert_int_equal(cache_get_held(c, a, key, &s, 0, v.etag, NULL, &out), CACHE_NOT_MODIFIED);
        assert_null(out.held);
        assert_null(out.ready);
        /* Evicted entries drop theirs: never more than the entries. */
        cache_stats(c, &st);
        assert_true(ready_live <= (int)st.entries);
        assert_true(st.entries <= 4);
    }
    cache_stats(c, &st);
    assert_int_equal(st.evictions, 36);

    /* An entry held while it is evicted keeps its ready response until let go. */
    struct cache_stamp s = stamp(1, 1, T0, 5000);
    memset(&out, 0, sizeof(out));
    assert_int_equal(cache_get_held(c, a, "/t39", &s, 0, NULL, NULL, &out), CACHE_HIT);
    void *held_ready = out.ready;
    assert_non_null(held_ready);
    struct cache_entry *held = out.held;
    for (int i = 0; i < 8; i++) {
        struct cache_stamp si = stamp(1, 1, T0, 6000 + i);
        snprintf(key, sizeof(key), "/u%d", i);
        struct http_response r = immutable_page("u");
        assert_int_equal(cache_put(c, key, &r, &si, &v), CACHE_PUT_KEPT);
    }
    assert_int_equal(ready_live, 1); /* /t39's, held */
    cache_release(held);
    assert_int_equal(ready_live, 0);

    /* Not immutable: copied as ever, nothing held. */
    struct http_response r = page("count");
    assert_int_equal(cache_put(c, "/count", &r, &s, &v), CACHE_PUT_KEPT);
    memset(&out, 0, sizeof(out));
    assert_int_equal(cache_get_held(c, a, "/count", &s, 0, NULL, NULL, &out), CACHE_HIT);
    assert_null(out.held);
    assert_null(out.ready);
    assert_memory_equal(out.body, "count", 5);
    assert_false(cache_offer_ready(NULL, &r, ready_drop));

    /* The bytes of a ready response count from the start: an immutable
     * answer takes its blob twice against max_bytes. */
    struct cache *b = cache_new(&(struct cache_limits){100, 1 << 20, 1 << 16});
    struct http_response plain = page("0123456789"), still = immutable_page("0123456789");
    struct cache_stats sp, si;
    assert_int_equal(cache_put(b, "/p", &plain, &s, &v), CACHE_PUT_KEPT);
    cache_stats(b, &sp);
    assert_int_equal(cache_put(b, "/i", &still, &s, &v), CACHE_PUT_KEPT);
    cache_stats(b, &si);
    assert_true(si.bytes - sp.bytes >= 2 * sp.bytes);
    cache_free(b);

    /* Freeing the cache drops the ready ones it holds. */
    memset(&out, 0, sizeof(out));
    assert_int_equal(cache_get_held(c, a, "/u7", &s, 0, NULL, NULL, &out), CACHE_HIT);
    assert_true(cache_offer_ready(out.held, ready_make(), ready_drop));
    cache_release(out.held);
    assert_int_equal(ready_live, 1);
    cache_free(c);
    assert_int_equal(ready_live, 0);
    arena_free(a);
}

/* Readers copy while writers replace and evict: under AddressSanitizer a
 * read of a freed entry would fail the run. */
struct racer {
    struct cache *c;
    int id;
    int wrong; /* hits whose body was not the key's (cmocka asserts stay on the main thread) */
};

static void *
race(void *arg)
{
    struct racer *rc = arg;
    char body[600], key[16];
    struct http_response out;
    for (int i = 0; i < 20000; i++) {
        struct arena *a = arena_new();
        struct cache_stamp s = stamp((uint64_t)(i / 50), 1, T0, i);
        snprintf(key, sizeof(key), "/r%d", i % 12);
        if (cache_get(rc->c, a, key, &s, 0, NULL, NULL, &out) == CACHE_HIT) {
            bool same = out.len >= 100 && out.body[out.len] == '\0';
            for (size_t k = 0; same && k < out.len; k++)
                same = out.body[k] == key[2];
            if (!same)
                rc->wrong++;
        } else {
            size_t n = (size_t)(100 + (i * 7 + rc->id) % 400);
            memset(body, key[2], n);
            body[n] = '\0';
            struct http_response r = page(body);
            struct cache_validators v;
            cache_put(rc->c, key, &r, &s, &v);
        }
        arena_free(a);
    }
    return NULL;
}

static void
readers_never_see_freed_entries(void **state)
{
    (void)state;
    struct cache *c = cache_new(&(struct cache_limits){8, 4000, 1000});
    pthread_t t[4];
    struct racer rc[4];
    for (int i = 0; i < 4; i++) {
        rc[i] = (struct racer){c, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, race, &rc[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(rc[i].wrong, 0);
    }
    struct cache_stats st;
    cache_stats(c, &st);
    assert_true(st.entries <= 8);
    assert_true(st.bytes <= 4000);
    cache_free(c);
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(http_date_is_imf_fixdate_in_gmt),
        cmocka_unit_test(http_date_parse_reads_imf_fixdate_only),
        cmocka_unit_test(if_none_match_lists_compare_weakly),
        cmocka_unit_test(if_none_match_decides_before_if_modified_since),
        cmocka_unit_test(stamp_valid_while_data_clock_and_counts_allow),
        cmocka_unit_test(kept_answer_comes_back_with_validators),
        cmocka_unit_test(same_body_keeps_etag_and_last_modified),
        cmocka_unit_test(only_plain_public_200s_are_kept),
        cmocka_unit_test(too_large_answer_gets_validators_without_being_kept),
        cmocka_unit_test(full_cache_drops_least_recently_used),
        cmocka_unit_test(older_render_does_not_replace_newer),
        cmocka_unit_test(readers_never_see_freed_entries),
        cmocka_unit_test(immutable_answers_keep_a_ready_response_within_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
