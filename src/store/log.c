/*
 * log.c: the wrappers of store/log.h, the only callers of a backend's
 * log table (store/backend.h), and what both engines do alike: the
 * splitting of entries into bundles, the hashes of the subtrees they
 * complete, and the reader that serves a tree's hashes from the store.
 */
#include "store/backend.h"

#include <string.h>

#include <sodium.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum {
    BUNDLE_SHIFT = 8, /* 256 entries to a bundle */
    PART_WIDTH = 8,   /* entries to a row of log_parts: 32 to a bundle */
    STORED_LEVEL = 8, /* hashes at this level and above are stored */
};

static void
hash_hex(const struct tlog_hash *h, char out[2 * TLOG_HASH_BYTES + 1])
{
    sodium_bin2hex(out, 2 * TLOG_HASH_BYTES + 1, h->b, TLOG_HASH_BYTES);
}

static int
hash_from_hex(const char *hex, struct tlog_hash *out, struct err *e)
{
    size_t got = 0;
    if (!hex || strlen(hex) != 2 * TLOG_HASH_BYTES ||
        sodium_hex2bin(out->b, TLOG_HASH_BYTES, hex, 2 * TLOG_HASH_BYTES, NULL, &got, NULL) != 0 ||
        got != TLOG_HASH_BYTES)
        return err_set(e, ERR_STORE, "error.store", NULL,
                       "log: a stored hash is not 64 hex digits");
    return 0;
}

int
store_log_head(struct store *s, struct store_txn *t, int64_t petition_id, struct log_head *out,
               struct err *e)
{
    STORE_READ(s, t, log, head, petition_id, out, e);
}

int
store_log_bundle(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                 int64_t n, const char **text, size_t *len, struct err *e)
{
    STORE_READ(s, t, log, bundle, a, petition_id, n, text, len, e);
}

static int
hash_read(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id, int level,
          int64_t index, const char **hex, struct err *e)
{
    STORE_READ(s, t, log, hash, a, petition_id, level, index, hex, e);
}

int
store_log_hash(struct store *s, struct store_txn *t, int64_t petition_id, int level, int64_t index,
               struct tlog_hash *out, struct err *e)
{
    struct arena *a = arena_new();
    const char *hex;
    int r = hash_read(s, t, a, petition_id, level, index, &hex, e);
    if (!r)
        r = hash_from_hex(hex, out, e);
    arena_free(a);
    return r;
}

/* ---- the leaves of a bundle ------------------------------------------------------------------ */

/* The leaf hashes of the entries of a bundle's text, in leaf[0..256);
 * how many, or -1 when the text is not entries ending in '\n'. */
static int
bundle_leaves(const char *text, size_t len, struct tlog_hash *leaf)
{
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n')
            continue;
        if (n == TLOG_TILE_WIDTH || i == start)
            return -1;
        tlog_leaf_hash(text + start, i - start, &leaf[n++]);
        start = i + 1;
    }
    return start == len ? n : -1;
}

/* The hash of the leaves leaf[lo, lo + 2^level): a complete subtree. */
static void
subtree(const struct tlog_hash *leaf, int64_t lo, int level, struct tlog_hash *out)
{
    if (level == 0) {
        *out = leaf[lo];
        return;
    }
    struct tlog_hash l, r;
    subtree(leaf, lo, level - 1, &l);
    subtree(leaf, lo + ((int64_t)1 << (level - 1)), level - 1, &r);
    tlog_node_hash(&l, &r, out);
}

static int
reader_read(void *ctx, int level, int64_t index, struct tlog_hash *out)
{
    struct store_log_reader *lr = ctx;
    if (level >= STORED_LEVEL)
        return store_log_hash(lr->s, lr->t, lr->petition_id, level, index, out, lr->e);
    int64_t first = index << level; /* the subtree's first leaf */
    int64_t bundle = first >> BUNDLE_SHIFT;
    if (bundle != lr->bundle) {
        const char *text;
        size_t len;
        struct arena *a = arena_new();
        int r = store_log_bundle(lr->s, lr->t, a, lr->petition_id, bundle, &text, &len, lr->e);
        if (!r && (lr->leaves = bundle_leaves(text, len, lr->leaf)) < 0)
            r = err_set(lr->e, ERR_STORE, "error.store", NULL, "log: bundle %lld is not entries",
                        (long long)bundle);
        arena_free(a);
        if (r) {
            lr->bundle = -1;
            return r;
        }
        lr->bundle = bundle;
    }
    int64_t lo = first - (bundle << BUNDLE_SHIFT);
    if (lo + ((int64_t)1 << level) > lr->leaves)
        return err_set(lr->e, ERR_NOT_FOUND, "error.not_found", NULL,
                       "log: hash (%d, %lld) past the bundle's %d entries", level, (long long)index,
                       lr->leaves);
    subtree(lr->leaf, lo, level, out);
    return 0;
}

void
store_log_reader_init(struct store_log_reader *lr, struct store *s, struct store_txn *t,
                      struct arena *a, int64_t petition_id, struct err *e)
{
    memset(lr, 0, sizeof(*lr));
    lr->r.read = reader_read;
    lr->r.ctx = lr;
    lr->s = s;
    lr->t = t;
    lr->a = a;
    lr->petition_id = petition_id;
    lr->e = e;
    lr->bundle = -1;
    lr->leaf = arena_calloc(a, TLOG_TILE_WIDTH, sizeof(*lr->leaf));
}

/* ---- appending ---------------------------------------------------------------------------------
 */

/* Store the hash of bundle b, just completed, and of every subtree above
 * it that it completes. */
static int
complete_bundle(struct store_conn *c, int64_t petition_id, int64_t b, struct err *e)
{
    const struct store_log_ops *ops = c->store->be->log;
    struct arena *a = arena_new();
    struct tlog_hash *leaf = arena_calloc(a, TLOG_TILE_WIDTH, sizeof(*leaf));
    struct tlog_hash h, left;
    char hex[2 * TLOG_HASH_BYTES + 1];
    const char *text, *lhex;
    size_t len;
    int r;

    if ((r = ops->bundle(c, a, petition_id, b, &text, &len, e)))
        goto out;
    if (bundle_leaves(text, len, leaf) != TLOG_TILE_WIDTH) {
        r = err_set(e, ERR_STORE, "error.store", NULL, "log: bundle %lld is not 256 entries",
                    (long long)b);
        goto out;
    }
    subtree(leaf, 0, STORED_LEVEL, &h);
    hash_hex(&h, hex);
    if ((r = ops->hash_put(c, petition_id, STORED_LEVEL, b, hex, e)))
        goto out;
    /* A right child completes its parent. */
    for (int level = STORED_LEVEL; b & 1; level++, b >>= 1) {
        if ((r = ops->hash(c, a, petition_id, level, b - 1, &lhex, e)) ||
            (r = hash_from_hex(lhex, &left, e)))
            goto out;
        tlog_node_hash(&left, &h, &h);
        hash_hex(&h, hex);
        if ((r = ops->hash_put(c, petition_id, level + 1, b >> 1, hex, e)))
            goto out;
    }
out:
    arena_free(a);
    return r;
}

int
store_log_append(struct store_txn *t, int64_t petition_id, int64_t first,
                 const char *const *entries, int n, int64_t weight, struct err *e)
{
    struct store_conn *c;
    int r;

    if (n < 0 || (n == 0 && first != 0))
        return 0;
    if ((r = store_write_conn(t, &c, e)))
        return r;
    /* The entries grouped by part: the first part may hold some already
     * (its row grows), the others are new (small rows: an append
     * rewrites a page, not a bundle). */
    struct arena *a = arena_new();
    int64_t first_part = first / PART_WIDTH;
    int nparts = n ? (int)((first + n - 1) / PART_WIDTH - first_part + 1) : 0;
    const char **texts = arena_calloc(a, (size_t)nparts + 1, sizeof(*texts));
    struct strbuf sb;
    sb_init(&sb, a);
    for (int i = 0; i < n; i++) {
        sb_adds(&sb, entries[i]);
        sb_addch(&sb, '\n');
        int64_t at = first + i;
        if (((at + 1) & (PART_WIDTH - 1)) == 0 || i == n - 1) {
            texts[at / PART_WIDTH - first_part] = arena_strndup(a, sb.buf, sb.len);
            sb_reset(&sb);
        }
    }
    r = c->store->be->log->append(c, petition_id, first, first + n, weight, first_part, texts,
                                  nparts, e);
    /* The bundles the entries complete, in order. */
    for (int64_t b = first >> BUNDLE_SHIFT; !r && b < (first + n) >> BUNDLE_SHIFT; b++)
        r = complete_bundle(c, petition_id, b, e);
    arena_free(a);
    return r;
}

/* ---- checkpoints -------------------------------------------------------------------------------
 */

int
store_log_checkpoint_insert(struct store_txn *t, const struct log_checkpoint *cp, struct err *e)
{
    char hex[2 * TLOG_HASH_BYTES + 1];
    hash_hex(&cp->root, hex);
    STORE_WRITE(t, log, checkpoint_insert, cp, hex, e);
}

static int
checkpoint_read(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                int64_t max_size, struct log_checkpoint *out, const char **hex, struct err *e)
{
    STORE_READ(s, t, log, checkpoint, a, petition_id, max_size, out, hex, e);
}

/* The checkpoint at the greatest size ≤ max_size, its root decoded. */
static int
checkpoint_upto(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                int64_t max_size, struct log_checkpoint *out, struct err *e)
{
    const char *hex;
    int r = checkpoint_read(s, t, a, petition_id, max_size, out, &hex, e);
    if (!r)
        r = hash_from_hex(hex, &out->root, e);
    return r;
}

int
store_log_checkpoint_latest(struct store *s, struct store_txn *t, struct arena *a,
                            int64_t petition_id, struct log_checkpoint *out, struct err *e)
{
    return checkpoint_upto(s, t, a, petition_id, INT64_MAX, out, e);
}

int
store_log_checkpoint_at(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                        int64_t size, struct log_checkpoint *out, struct err *e)
{
    int r = checkpoint_upto(s, t, a, petition_id, size, out, e);
    if (!r && out->size != size)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL,
                    "log of petition %lld: no checkpoint at %lld", (long long)petition_id,
                    (long long)size);
    return r;
}

int
store_log_certify(struct store_txn *t, int64_t petition_id, int64_t size, struct err *e)
{
    STORE_WRITE(t, log, certify, petition_id, size, e);
}

int
store_log_unsigned(struct store *s, struct store_txn *t, struct arena *a, int limit,
                   struct log_head **out, int *n, struct err *e)
{
    STORE_READ(s, t, log, unsigned_heads, a, limit, out, n, e);
}

int
store_log_missing(struct store *s, struct store_txn *t, struct arena *a, int limit, int64_t **ids,
                  int *n, struct err *e)
{
    STORE_READ(s, t, log, missing, a, limit, ids, n, e);
}
