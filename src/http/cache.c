/*
 * cache.c: public answers kept in memory; see cache.h.
 *
 * The table is a chained hash of entries (FNV-1a of the key; twice as many
 * buckets as entries allowed) plus an array of every entry, scanned for
 * the least recently used one when room must be made.  That scan is
 * O(entries), but it runs only when a freshly drawn page is inserted into
 * a full cache, and drawing the page cost far more.
 *
 * An entry is one allocation: the struct, its key, then its "blob": the
 * header strings (name NUL value NUL ...), ETag and Last-Modified among
 * them, the content type, and the body last.  A hit copies the blob into
 * the request's arena in one memcpy and points the response at the copy;
 * a 304 copies only the part before the body.  Entries never change once
 * in the table; the table holds one reference, each reader another while
 * it copies, and whoever drops the last one frees it.
 */
#include "http/cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/changes.h"
#include "lib/civil.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/metrics.h"
#include "lib/banned.h"

enum { DIGEST_BYTES = 16, HTTP_DATE_LEN = 29 };

struct cache_entry {
    struct cache_entry *next; /* in its bucket */
    uint64_t hash;
    atomic_uint refs; /* the table's, and one per reader copying */
    unsigned index;   /* in cache.all */
    int64_t used_ms;  /* last answered (monotonic), under the lock */
    struct cache_stamp made;
    unsigned char digest[DIGEST_BYTES];
    int64_t last_modified;
    size_t size; /* what counts against max_bytes */
    const char *key;
    size_t key_len;
    const char *blob;
    size_t head_len; /* blob bytes before the body */
    size_t body_len;
    int header_count;
    uint32_t name_off[RESP_MAX_HEADERS];
    uint32_t value_off[RESP_MAX_HEADERS];
    int etag_header; /* index of the ETag header */
    int route;       /* http_response.route */
    long ctype_off;  /* -1: no content type */
    bool immutable;  /* Cache-Control: immutable: may keep a ready answer */
    /* The server's response for this answer, made once and queued as is
     * (cache.h, Ready answers); NULL until offered.  Dropped with ready_drop
     * when the last reference goes. */
    _Atomic(void *) ready;
    void (*ready_drop)(void *ready);
    char mem[]; /* key NUL, then the blob */
};

struct cache {
    pthread_mutex_t lock;
    struct cache_limits lim;
    struct cache_entry **buckets;
    size_t bucket_mask;
    struct cache_entry **all;
    unsigned count;
    size_t bytes;
    uint64_t evictions;
    /* max_body zero bytes, never written: the body of a 304 (below). */
    const char *unsent;
};

/* ---- the table ------------------------------------------------------------------------- */

struct cache *
cache_new(const struct cache_limits *lim)
{
    struct cache *c = calloc(1, sizeof(*c));
    if (!c)
        die_oom();
    c->lim = lim ? *lim : (struct cache_limits){CACHE_MAX_ENTRIES, CACHE_MAX_BYTES, CACHE_MAX_BODY};
    if (c->lim.max_entries == 0)
        c->lim.max_entries = 1;
    size_t n = 16;
    while (n < 2 * (size_t)c->lim.max_entries)
        n *= 2;
    c->buckets = calloc(n, sizeof(*c->buckets));
    c->all = calloc(c->lim.max_entries, sizeof(*c->all));
    if (!c->buckets || !c->all)
        die_oom();
    c->bucket_mask = n - 1;
    /* Pages are mapped when touched, and nobody touches these. */
    c->unsent = calloc(1, c->lim.max_body + 1);
    if (!c->unsent)
        die_oom();
    if (pthread_mutex_init(&c->lock, NULL))
        die("cache: pthread_mutex_init failed");
    return c;
}

static void
entry_unref(struct cache_entry *e)
{
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    void *ready = atomic_load_explicit(&e->ready, memory_order_acquire);
    if (ready)
        e->ready_drop(ready);
    free(e);
}

void
cache_free(struct cache *c)
{
    if (!c)
        return;
    for (unsigned i = 0; i < c->count; i++)
        entry_unref(c->all[i]);
    free(c->all);
    free(c->buckets);
    free((void *)c->unsent);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static uint64_t
key_hash(const char *key, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Under the lock. */
static struct cache_entry *
table_find(struct cache *c, const char *key, size_t len, uint64_t hash)
{
    for (struct cache_entry *e = c->buckets[hash & c->bucket_mask]; e; e = e->next)
        if (e->hash == hash && e->key_len == len && memcmp(e->key, key, len) == 0)
            return e;
    return NULL;
}

/* Under the lock: take e out of the table and drop the table's reference. */
static void
table_remove(struct cache *c, struct cache_entry *e)
{
    struct cache_entry **p = &c->buckets[e->hash & c->bucket_mask];
    while (*p != e)
        p = &(*p)->next;
    *p = e->next;
    c->count--;
    if (e->index != c->count) {
        c->all[e->index] = c->all[c->count];
        c->all[e->index]->index = e->index;
    }
    c->all[c->count] = NULL;
    c->bytes -= e->size;
    entry_unref(e);
}

/* Under the lock: drop the least recently used entry. */
static void
table_evict(struct cache *c)
{
    struct cache_entry *victim = c->all[0];
    for (unsigned i = 1; i < c->count; i++)
        if (c->all[i]->used_ms < victim->used_ms)
            victim = c->all[i];
    table_remove(c, victim);
    c->evictions++;
}

static void
table_insert(struct cache *c, struct cache_entry *e)
{
    struct cache_entry **b = &c->buckets[e->hash & c->bucket_mask];
    e->next = *b;
    *b = e;
    e->index = c->count;
    c->all[c->count++] = e;
    c->bytes += e->size;
}

void
cache_stats(struct cache *c, struct cache_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    out->entries = c->count;
    out->bytes = c->bytes;
    out->evictions = c->evictions;
    pthread_mutex_unlock(&c->lock);
}

/* ---- stamps ---------------------------------------------------------------------------- */

void
cache_stamp_take(struct cache_stamp *s, const struct changes *ch, const struct clock *clk)
{
    struct timespec ts;
    s->data = changes_data(ch);
    s->counts = changes_counts(ch);
    s->clock = clock_now(clk);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s->mono_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool
cache_stamp_fresh(const struct cache_stamp *made, const struct cache_stamp *now,
                  unsigned count_freshness_ms)
{
    if (made->data != now->data)
        return false;
    int64_t drift = now->clock - made->clock;
    if (drift <= -CACHE_CLOCK_WINDOW || drift >= CACHE_CLOCK_WINDOW)
        return false;
    if (made->counts == now->counts)
        return true;
    int64_t age = now->mono_ms - made->mono_ms;
    return age >= 0 && age < (int64_t)count_freshness_ms;
}

/* Whether a is of later generations than b (generations only grow). */
static bool
stamp_later(const struct cache_stamp *a, const struct cache_stamp *b)
{
    return a->data > b->data || (a->data == b->data && a->counts > b->counts);
}

/* ---- HTTP-dates and entity tags ------------------------------------------------------------ */

static const char day_names[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void
cache_http_date(int64_t t, char out[CACHE_DATE_MAX])
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int year, month, day;
    civil_from_days(days, &year, &month, &day);
    int weekday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    snprintf(out, CACHE_DATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d GMT", day_names[weekday], day,
             month_names[month - 1], year, (int)(secs / 3600), (int)(secs / 60 % 60),
             (int)(secs % 60));
}

/* The n decimal digits at s, or -1. */
static int
digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int
cache_http_date_parse(const char *s, size_t len, int64_t *t, struct err *e)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    /* "Sun, 06 Nov 1994 08:49:37 GMT" */
    if (len != HTTP_DATE_LEN || memcmp(s + 3, ", ", 2) != 0 || s[7] != ' ' || s[11] != ' ' ||
        s[16] != ' ' || s[19] != ':' || s[22] != ':' || memcmp(s + 25, " GMT", 4) != 0)
        return err_set(e, ERR_INVALID, "error.date", NULL, "not an IMF-fixdate");
    int wd = -1, month = 0;
    for (int i = 0; i < 7; i++)
        if (memcmp(s, day_names[i], 3) == 0)
            wd = i;
    for (int i = 0; i < 12; i++)
        if (memcmp(s + 8, month_names[i], 3) == 0)
            month = i + 1;
    int day = digits(s + 5, 2), year = digits(s + 12, 4);
    int hour = digits(s + 17, 2), minute = digits(s + 20, 2), second = digits(s + 23, 2);
    if (wd < 0 || month == 0 || day < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 60)
        return err_set(e, ERR_INVALID, "error.date", NULL, "bad HTTP-date field");
    int64_t days = days_from_civil(year, month, day);
    int y2, m2, d2;
    civil_from_days(days, &y2, &m2, &d2);
    if (y2 != year || m2 != month || d2 != day)
        return err_set(e, ERR_INVALID, "error.date", NULL, "no such day");
    *t = days * 86400 + hour * 3600 + minute * 60 + second;
    return 0;
}

bool
cache_etag_listed(const char *if_none_match, const char *etag)
{
    const char *p = if_none_match;
    size_t want = strlen(etag);
    if (!p)
        return false;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            return false;
        if (*p == '*') {
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p || *p == ',')
                return true;
            return false;
        }
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (*p != '"')
            return false;
        const char *end = strchr(p + 1, '"');
        if (!end)
            return false;
        size_t n = (size_t)(end - p) + 1;
        if (n == want && memcmp(p, etag, n) == 0)
            return true;
        p = end + 1;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != ',')
            return false;
    }
}

bool
cache_not_modified(const char *if_none_match, const char *if_modified_since, const char *etag,
                   int64_t last_modified)
{
    int64_t since;
    if (if_none_match)
        return cache_etag_listed(if_none_match, etag);
    return if_modified_since &&
           cache_http_date_parse(if_modified_since, strlen(if_modified_since), &since, NULL) == 0 &&
           since >= last_modified;
}

/* ---- looking up ---------------------------------------------------------------------------- */

/* The headers a 304 repeats (RFC 9110, 15.4.5), besides the validators. */
static bool
kept_in_304(const char *name)
{
    static const char *const names[] = {"Cache-Control", "ETag",    "Last-Modified",
                                        "Vary",          "Expires", "Content-Location"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

/* The valid entry for key at now, with a reference the caller drops
 * (entry_unref), or NULL. */
static struct cache_entry *
lookup(struct cache *c, const char *key, const struct cache_stamp *now, unsigned count_freshness_ms)
{
    if (!c || !key)
        return NULL;
    size_t len = strlen(key);
    uint64_t hash = key_hash(key, len);

    pthread_mutex_lock(&c->lock);
    struct cache_entry *e = table_find(c, key, len, hash);
    if (!e || !cache_stamp_fresh(&e->made, now, count_freshness_ms)) {
        pthread_mutex_unlock(&c->lock);
        return NULL;
    }
    e->used_ms = now->mono_ms;
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&c->lock);
    return e;
}

/* Fill *out with e's answer, copied into a: the 304 when the request's
 * conditions say so, else the 200. */
static enum cache_result
fill(struct cache *c, struct cache_entry *e, struct arena *a, const char *if_none_match,
     const char *if_modified_since, struct http_response *out)
{
    bool not_modified = cache_not_modified(
        if_none_match, if_modified_since, e->blob + e->value_off[e->etag_header], e->last_modified);
    /* The body is copied with the NUL the blob keeps after it. */
    size_t n = e->head_len + (not_modified ? 0 : e->body_len + 1);
    char *copy = arena_alloc(a, n);
    memcpy(copy, e->blob, n);
    out->header_count = 0;
    for (int i = 0; i < e->header_count; i++) {
        const char *name = copy + e->name_off[i];
        if (not_modified && !kept_in_304(name))
            continue;
        out->headers[out->header_count].name = name;
        out->headers[out->header_count].value = copy + e->value_off[i];
        out->header_count++;
    }
    if (not_modified) {
        /* libmicrohttpd sends no body with a 304 but a Content-Length of
         * the buffer it is given, which must then be the 200's (RFC 9110,
         * 8.6): hand it that many bytes it will not read. */
        out->status = 304;
        out->content_type = NULL;
        out->body = c->unsent;
        out->len = e->body_len;
    } else {
        out->status = 200;
        out->content_type = e->ctype_off >= 0 ? copy + e->ctype_off : NULL;
        out->body = copy + e->head_len;
        out->len = e->body_len;
    }
    out->route = e->route;
    return not_modified ? CACHE_NOT_MODIFIED : CACHE_HIT;
}

enum cache_result
cache_get(struct cache *c, struct arena *a, const char *key, const struct cache_stamp *now,
          unsigned count_freshness_ms, const char *if_none_match, const char *if_modified_since,
          struct http_response *out)
{
    struct cache_entry *e = lookup(c, key, now, count_freshness_ms);
    if (!e)
        return CACHE_MISS;
    enum cache_result r = fill(c, e, a, if_none_match, if_modified_since, out);
    entry_unref(e);
    return r;
}

/* ---- ready answers ------------------------------------------------------------------------ */

enum cache_result
cache_get_held(struct cache *c, struct arena *a, const char *key, const struct cache_stamp *now,
               unsigned count_freshness_ms, const char *if_none_match,
               const char *if_modified_since, struct http_response *out)
{
    struct cache_entry *e = lookup(c, key, now, count_freshness_ms);
    if (!e)
        return CACHE_MISS;
    if (!e->immutable || if_none_match || if_modified_since) {
        enum cache_result r = fill(c, e, a, if_none_match, if_modified_since, out);
        entry_unref(e);
        return r;
    }
    out->held = e;
    out->ready = atomic_load_explicit(&e->ready, memory_order_acquire);
    if (!out->ready)
        return fill(c, e, a, NULL, NULL, out);
    /* The ready answer has it all: only what the access log and the
     * metrics read. */
    out->status = 200;
    out->content_type = NULL;
    out->body = NULL;
    out->len = e->body_len;
    out->header_count = 0;
    out->route = e->route;
    return CACHE_HIT;
}

bool
cache_offer_ready(struct cache_entry *e, void *ready, void (*drop)(void *ready))
{
    void *none = NULL;
    if (!e || !ready)
        return false;
    /* Set before it can be seen: whoever drops the last reference reads
     * it, after the reference this caller holds. */
    if (!atomic_compare_exchange_strong_explicit(&e->ready, &none, ready, memory_order_acq_rel,
                                                 memory_order_acquire))
        return false;
    e->ready_drop = drop;
    return true;
}

void
cache_release(struct cache_entry *e)
{
    if (e)
        entry_unref(e);
}

/* ---- keeping ------------------------------------------------------------------------------- */

/* Whether the header value s holds word, in any case. */
static bool
has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

/* Append the n bytes at s and a NUL at *at in blob; returns their offset. */
static uint32_t
blob_add(char *blob, size_t *at, const char *s, size_t n)
{
    size_t off = *at;
    memcpy(blob + off, s, n);
    blob[off + n] = '\0';
    *at = off + n + 1;
    return (uint32_t)off;
}

/*
 * Whether resp may be cached at all (cache.h, Bounds): a 200 whose body
 * is there, no cookie, no Cache-Control no-store or private, and room for
 * our two headers.  Fills keep[] with the indexes of the headers an entry keeps
 * (all but ETag and Last-Modified, which ours replace) and *strings with
 * their size.
 */
static bool
cacheable(const struct http_response *resp, int keep[RESP_MAX_HEADERS], int *nkeep, size_t *strings)
{
    *nkeep = 0;
    *strings = 0;
    if (resp->status != 200 || (!resp->body && resp->len))
        return false;
    for (int i = 0; i < resp->header_count; i++) {
        const char *name = resp->headers[i].name, *value = resp->headers[i].value;
        if (strcasecmp(name, "Set-Cookie") == 0)
            return false;
        if (strcasecmp(name, "Cache-Control") == 0 &&
            (has_word(value, "no-store") || has_word(value, "private")))
            return false;
        if (strcasecmp(name, "ETag") == 0 || strcasecmp(name, "Last-Modified") == 0)
            continue;
        keep[(*nkeep)++] = i;
        *strings += strlen(name) + strlen(value) + 2;
    }
    return *nkeep <= RESP_MAX_HEADERS - 2;
}

/* The strong ETag of a body: its BLAKE2b hash, base64url, quoted. */
static void
body_etag(const struct http_response *resp, unsigned char digest[DIGEST_BYTES],
          struct cache_validators *v)
{
    char b64[sodium_base64_ENCODED_LEN(DIGEST_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    crypto_generichash(digest, DIGEST_BYTES, (const unsigned char *)resp->body, resp->len, NULL, 0);
    sodium_bin2base64(b64, sizeof(b64), digest, DIGEST_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(v->etag, sizeof(v->etag), "\"%s\"", b64);
}

/* The Last-Modified of an answer that is not kept: nothing tells when
 * its body last changed, so it is the time the answer was drawn. */
static void
drawn_at(const struct cache_stamp *made, struct cache_validators *v)
{
    v->last_modified = made->clock;
    cache_http_date(made->clock, v->last_modified_text);
}

enum cache_put_result
cache_put(struct cache *c, const char *key, const struct http_response *resp,
          const struct cache_stamp *made, struct cache_validators *v)
{
    int keep[RESP_MAX_HEADERS], nkeep;
    size_t strings;

    if (!c || !key || !cacheable(resp, keep, &nkeep, &strings))
        return CACHE_PUT_REFUSED;

    /* The validators: a hash of the body, and a place for the date. */
    unsigned char digest[DIGEST_BYTES];
    body_etag(resp, digest, v);

    size_t key_len = strlen(key);
    size_t ctype_len = resp->content_type ? strlen(resp->content_type) + 1 : 0;
    size_t head = strings + sizeof("ETag") + strlen(v->etag) + 1 + sizeof("Last-Modified") +
                  CACHE_DATE_MAX + ctype_len;
    size_t blob_len = head + resp->len + 1;
    bool immutable = false;
    for (int i = 0; i < resp->header_count; i++)
        if (strcasecmp(resp->headers[i].name, "Cache-Control") == 0)
            immutable = has_word(resp->headers[i].value, "immutable");
    /* An immutable answer may come to keep a ready one beside it, a copy
     * of its blob and the server's own: counted from the start. */
    size_t size = key_len + 1 + blob_len + (immutable ? blob_len + CACHE_READY_OVERHEAD : 0);
    if (resp->len > c->lim.max_body || size > c->lim.max_bytes) {
        /* Too large to keep, not to validate.  An entry kept for key from
         * an earlier, smaller answer is wrong now: drop it. */
        drawn_at(made, v);
        uint64_t hash = key_hash(key, key_len);
        pthread_mutex_lock(&c->lock);
        struct cache_entry *old = table_find(c, key, key_len, hash);
        if (old && !stamp_later(&old->made, made))
            table_remove(c, old);
        pthread_mutex_unlock(&c->lock);
        return CACHE_PUT_TOO_LARGE;
    }
    struct cache_entry *e = malloc(sizeof(*e) + size);
    if (!e)
        die_oom();
    memset(e, 0, sizeof(*e));
    atomic_init(&e->refs, 1);
    atomic_init(&e->ready, NULL);
    e->immutable = immutable;
    e->hash = key_hash(key, key_len);
    e->made = *made;
    e->used_ms = made->mono_ms;
    memcpy(e->digest, digest, sizeof(digest));
    e->size = size;
    memcpy(e->mem, key, key_len + 1);
    e->key = e->mem;
    e->key_len = key_len;
    char *blob = e->mem + key_len + 1;
    e->blob = blob;
    size_t at = 0;
    for (int k = 0; k < nkeep; k++) {
        const struct resp_header *h = &resp->headers[keep[k]];
        e->name_off[k] = blob_add(blob, &at, h->name, strlen(h->name));
        e->value_off[k] = blob_add(blob, &at, h->value, strlen(h->value));
    }
    e->etag_header = nkeep;
    e->route = resp->route;
    e->name_off[nkeep] = blob_add(blob, &at, "ETag", 4);
    e->value_off[nkeep] = blob_add(blob, &at, v->etag, strlen(v->etag));
    e->name_off[nkeep + 1] = blob_add(blob, &at, "Last-Modified", 13);
    e->value_off[nkeep + 1] = (uint32_t)at; /* filled under the lock */
    size_t date_at = at;
    at += CACHE_DATE_MAX;
    e->header_count = nkeep + 2;
    e->ctype_off = -1;
    if (resp->content_type)
        e->ctype_off = (long)blob_add(blob, &at, resp->content_type, ctype_len - 1);
    e->head_len = at;
    if (resp->len)
        memcpy(blob + at, resp->body, resp->len);
    blob[at + resp->len] = '\0';
    e->body_len = resp->len;

    pthread_mutex_lock(&c->lock);
    struct cache_entry *old = table_find(c, key, key_len, e->hash);
    /* Last-Modified moves only when the body does, and never backwards. */
    int64_t lm = made->clock;
    if (old && memcmp(old->digest, digest, sizeof(digest)) == 0)
        lm = old->last_modified;
    else if (old && lm <= old->last_modified)
        lm = old->last_modified + 1;
    e->last_modified = lm;
    v->last_modified = lm;
    cache_http_date(lm, v->last_modified_text);
    memcpy(blob + date_at, v->last_modified_text, strlen(v->last_modified_text) + 1);
    if (old && stamp_later(&old->made, made)) {
        /* Drawn later by another thread while we drew: that one stays. */
        pthread_mutex_unlock(&c->lock);
        free(e);
        return CACHE_PUT_KEPT;
    }
    if (old)
        table_remove(c, old);
    while (c->count > 0 && (c->count >= c->lim.max_entries || c->bytes + size > c->lim.max_bytes))
        table_evict(c);
    table_insert(c, e);
    pthread_mutex_unlock(&c->lock);
    return CACHE_PUT_KEPT;
}

/* ---- the dispatcher's side ------------------------------------------------------------------ */

bool
cache_answer(struct cache *c, struct request *req, const struct cache_stamp *now,
             unsigned count_freshness_ms)
{
    if (!c)
        return false;
    if (cache_get_held(c, req->arena, req->uri, now, count_freshness_ms,
                       req_header(req, "If-None-Match"), req_header(req, "If-Modified-Since"),
                       &req->resp) == CACHE_MISS)
        return false;
    metrics_add(&metrics.cache_hits, 1);
    return true;
}

/*
 * Add v to req's answer, and turn it into a 304 when the request's
 * conditions say so.  If-Modified-Since counts only when kept: the
 * Last-Modified of an answer not kept is the time it was drawn, which
 * says nothing of when its body changed (cache.h, Validators).
 */
static void
answer_with_validators(struct request *req, const struct cache_validators *v, bool kept)
{
    resp_header(req, "ETag", arena_strdup(req->arena, v->etag));
    resp_header(req, "Last-Modified", arena_strdup(req->arena, v->last_modified_text));
    if (!cache_not_modified(req_header(req, "If-None-Match"),
                            kept ? req_header(req, "If-Modified-Since") : NULL, v->etag,
                            v->last_modified))
        return;
    struct http_response *r = &req->resp;
    int n = 0;
    for (int i = 0; i < r->header_count; i++)
        if (kept_in_304(r->headers[i].name))
            r->headers[n++] = r->headers[i];
    r->header_count = n;
    r->status = 304;
    r->content_type = NULL;
    /* The body stays: libmicrohttpd does not send it with a 304, and its
     * length is the Content-Length a 304 may carry (cache_get). */
}

void
cache_keep(struct cache *c, struct request *req, const struct cache_stamp *made)
{
    struct cache_validators v;
    enum cache_put_result k = cache_put(c, req->uri, &req->resp, made, &v);
    if (c)
        metrics_add(&metrics.cache_misses, 1);
    if (k != CACHE_PUT_REFUSED)
        answer_with_validators(req, &v, k == CACHE_PUT_KEPT);
}

void
cache_validate(struct request *req, const struct cache_stamp *made)
{
    struct cache_validators v;
    unsigned char digest[DIGEST_BYTES];
    int keep[RESP_MAX_HEADERS], nkeep;
    size_t strings;
    if (!cacheable(&req->resp, keep, &nkeep, &strings))
        return;
    body_etag(&req->resp, digest, &v);
    drawn_at(made, &v);
    answer_with_validators(req, &v, false);
}
