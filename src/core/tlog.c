/*
 * tlog.c: the arithmetic of a transparency log; see tlog.h.
 *
 * Every root and proof here is RFC 6962's recursive definition walked
 * with ranges of leaves [lo, hi): a range splits at the largest power of
 * two below its size, the left part is then a complete subtree (one hash
 * the reader gives), and the right part is either complete too or split
 * again.  A range that is not complete is made of the complete subtrees
 * of the binary decomposition of its size, largest first, whose hashes
 * are folded from the right (subtree_hash()).  The ranges met this way
 * are always aligned: lo is a multiple of the smallest power of two at
 * least as large as hi − lo, so each complete piece is the hash at
 * (level, lo >> level).
 *
 * The checks are RFC 9162's verification algorithms (2.1.3.2 and
 * 2.1.4.2), which need no reader: they walk the bits of the index and
 * the size.
 *
 * Tiles, bundles and receipts are text and bytes from outside (a URL's
 * path, a file a signer uploads): they are read strictly, every form
 * but the canonical one refused.
 */
#include "core/tlog.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

#include "lib/base64.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

/* The largest tile index N read or served: sizes and indexes are
 * int64_t, and N·256 + 256 must not overflow. */
#define TILE_INDEX_MAX ((INT64_MAX >> TLOG_TILE_HEIGHT) - 1)

static const char proof_header[] = "c2sp.org/tlog-proof@v1\n";

void
tlog_leaf_hash(const void *entry, size_t len, struct tlog_hash *out)
{
    crypto_hash_sha256_state st;
    static const unsigned char prefix = 0x00;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    crypto_hash_sha256_update(&st, entry, len);
    crypto_hash_sha256_final(&st, out->b);
}

void
tlog_node_hash(const struct tlog_hash *left, const struct tlog_hash *right, struct tlog_hash *out)
{
    unsigned char buf[1 + 2 * TLOG_HASH_BYTES];
    buf[0] = 0x01;
    memcpy(buf + 1, left->b, TLOG_HASH_BYTES);
    memcpy(buf + 1 + TLOG_HASH_BYTES, right->b, TLOG_HASH_BYTES);
    crypto_hash_sha256(out->b, buf, sizeof(buf));
}

void
tlog_empty_hash(struct tlog_hash *out)
{
    crypto_hash_sha256(out->b, NULL, 0);
}

/* The largest power of two ≤ n (n ≥ 1), and its log₂ in *level. */
static int64_t
pow2_floor(int64_t n, int *level)
{
    int l = 0;
    assert(n >= 1);
    while ((n >> l) > 1)
        l++;
    if (level)
        *level = l;
    return (int64_t)1 << l;
}

/* The largest power of two < n (n ≥ 2): where RFC 6962 splits n leaves. */
static int64_t
split_point(int64_t n)
{
    assert(n >= 2);
    return pow2_floor(n - 1, NULL);
}

/* The hash of the leaves [lo, hi) (lo < hi, aligned as the file's comment
 * says): the complete subtrees of its binary decomposition, folded from
 * the right. */
static int
subtree_hash(int64_t lo, int64_t hi, const struct tlog_reader *r, struct tlog_hash *out)
{
    struct tlog_hash parts[64];
    int n = 0;
    assert(lo < hi);
    while (lo < hi) {
        int level;
        int64_t k = pow2_floor(hi - lo, &level);
        assert((lo & (k - 1)) == 0 && n < 64);
        int rc = r->read(r->ctx, level, lo >> level, &parts[n]);
        if (rc)
            return rc;
        n++;
        lo += k;
    }
    *out = parts[n - 1];
    for (int i = n - 2; i >= 0; i--)
        tlog_node_hash(&parts[i], out, out);
    return 0;
}

int
tlog_tree_hash(int64_t size, const struct tlog_reader *r, struct tlog_hash *out)
{
    if (size < 0)
        return -1;
    if (size == 0) {
        tlog_empty_hash(out);
        return 0;
    }
    return subtree_hash(0, size, r, out);
}

/* Append the hash of [lo, hi) to proof[*n] (RFC 6962's PATH and SUBPROOF
 * never make more than TLOG_MAX_PROOF). */
static int
proof_add(int64_t lo, int64_t hi, const struct tlog_reader *r,
          struct tlog_hash proof[TLOG_MAX_PROOF], int *n)
{
    if (*n >= TLOG_MAX_PROOF)
        return -1;
    int rc = subtree_hash(lo, hi, r, &proof[*n]);
    if (rc)
        return rc;
    (*n)++;
    return 0;
}

/* RFC 6962 2.1.1, PATH(m, D[lo:hi]): the leaf's sibling first. */
static int
record_path(int64_t lo, int64_t hi, int64_t m, const struct tlog_reader *r,
            struct tlog_hash proof[TLOG_MAX_PROOF], int *n)
{
    if (hi - lo == 1)
        return 0;
    int64_t k = split_point(hi - lo);
    int rc;
    if (m < lo + k) {
        rc = record_path(lo, lo + k, m, r, proof, n);
        if (rc)
            return rc;
        return proof_add(lo + k, hi, r, proof, n);
    }
    rc = record_path(lo + k, hi, m, r, proof, n);
    if (rc)
        return rc;
    return proof_add(lo, lo + k, r, proof, n);
}

int
tlog_prove_record(int64_t size, int64_t index, const struct tlog_reader *r,
                  struct tlog_hash proof[TLOG_MAX_PROOF], int *n)
{
    *n = 0;
    if (size < 1 || index < 0 || index >= size)
        return -1;
    return record_path(0, size, index, r, proof, n);
}

/* RFC 6962 2.1.2, SUBPROOF(m, D[lo:hi], b), m counted from lo. */
static int
tree_subproof(int64_t lo, int64_t hi, int64_t m, bool whole, const struct tlog_reader *r,
              struct tlog_hash proof[TLOG_MAX_PROOF], int *n)
{
    if (m == hi - lo)
        return whole ? 0 : proof_add(lo, hi, r, proof, n);
    int64_t k = split_point(hi - lo);
    int rc;
    if (m <= k) {
        rc = tree_subproof(lo, lo + k, m, whole, r, proof, n);
        if (rc)
            return rc;
        return proof_add(lo + k, hi, r, proof, n);
    }
    rc = tree_subproof(lo + k, hi, m - k, false, r, proof, n);
    if (rc)
        return rc;
    return proof_add(lo, lo + k, r, proof, n);
}

int
tlog_prove_tree(int64_t size, int64_t old, const struct tlog_reader *r,
                struct tlog_hash proof[TLOG_MAX_PROOF], int *n)
{
    *n = 0;
    if (old < 1 || old > size)
        return -1;
    return tree_subproof(0, size, old, true, r, proof, n);
}

static bool
hash_equal(const struct tlog_hash *a, const struct tlog_hash *b)
{
    return sodium_memcmp(a->b, b->b, TLOG_HASH_BYTES) == 0;
}

bool
tlog_check_record(const struct tlog_hash *proof, int n, int64_t size, const struct tlog_hash *root,
                  int64_t index, const struct tlog_hash *leaf)
{
    if (size < 1 || index < 0 || index >= size || n < 0 || n > TLOG_MAX_PROOF)
        return false;
    uint64_t fn = (uint64_t)index, sn = (uint64_t)size - 1;
    struct tlog_hash h = *leaf;
    for (int i = 0; i < n; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            tlog_node_hash(&proof[i], &h, &h);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            tlog_node_hash(&h, &proof[i], &h);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && hash_equal(&h, root);
}

bool
tlog_check_tree(const struct tlog_hash *proof, int n, int64_t size, const struct tlog_hash *root,
                int64_t old, const struct tlog_hash *old_root)
{
    if (old < 1 || old > size || n < 0 || n > TLOG_MAX_PROOF)
        return false;
    if (old == size)
        return n == 0 && hash_equal(root, old_root);
    /* The proof's first hash, or the old root itself when the old tree is
     * a complete subtree (a power of two), which RFC 6962 leaves out. */
    uint64_t fn = (uint64_t)old - 1, sn = (uint64_t)size - 1;
    const struct tlog_hash *first;
    int i;
    if ((fn & (fn + 1)) == 0) { /* old is a power of two */
        first = old_root;
        i = 0;
    } else {
        if (n < 1)
            return false;
        first = &proof[0];
        i = 1;
    }
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    struct tlog_hash fr = *first, sr = *first;
    for (; i < n; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            tlog_node_hash(&proof[i], &fr, &fr);
            tlog_node_hash(&proof[i], &sr, &sr);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            tlog_node_hash(&sr, &proof[i], &sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && hash_equal(&fr, old_root) && hash_equal(&sr, root);
}

/* ---- tiles ------------------------------------------------------------------------------- */

/* A decimal number of len bytes at s in [min, max], without a sign or
 * leading zeros ("0" itself allowed).  Returns 0 or -1. */
static int
read_decimal(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    int64_t v = 0;
    if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        int d = s[i] - '0';
        if (v > (INT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The index N of a tile path, C2SP's groups of three digits, from *p up
 * to end or ".p/"; *p moves past it.  Returns 0 or -1. */
static int
read_tile_index(const char **p, const char *end, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    bool first = true;
    for (;;) {
        bool more = s < end && *s == 'x';
        if (more)
            s++;
        if (end - s < 3)
            return -1;
        int g = 0;
        for (int i = 0; i < 3; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            g = g * 10 + (s[i] - '0');
        }
        s += 3;
        /* No leading zeros: a first group of 000 only for the number 0. */
        if (first && g == 0 && more)
            return -1;
        if (v > (TILE_INDEX_MAX - g) / 1000)
            return -1;
        v = v * 1000 + g;
        first = false;
        if (!more)
            break;
        if (s >= end || *s != '/')
            return -1;
        s++;
    }
    *p = s;
    *out = v;
    return 0;
}

int
tlog_tile_parse(const char *path, size_t len, struct tlog_tile *out)
{
    const char *s = path, *end = path + len;
    const char *slash = memchr(s, '/', len);
    struct tlog_tile t;
    int64_t v;
    if (!slash)
        return -1;
    if (slash - s == 7 && memcmp(s, "entries", 7) == 0) {
        t.level = -1;
    } else {
        if (read_decimal(s, (size_t)(slash - s), 0, 63, &v))
            return -1;
        t.level = (int)v;
    }
    s = slash + 1;
    if (read_tile_index(&s, end, &t.index))
        return -1;
    t.width = TLOG_TILE_WIDTH;
    if (s < end) {
        if (end - s < 4 || memcmp(s, ".p/", 3) != 0)
            return -1;
        s += 3;
        if (read_decimal(s, (size_t)(end - s), 1, TLOG_TILE_WIDTH - 1, &v))
            return -1;
        t.width = (int)v;
    }
    *out = t;
    return 0;
}

void
tlog_tile_format(struct strbuf *out, const struct tlog_tile *t)
{
    char groups[8][4];
    int n = 0;
    int64_t v = t->index;
    assert(v >= 0);
    do {
        groups[n][0] = (char)('0' + v / 100 % 10);
        groups[n][1] = (char)('0' + v / 10 % 10);
        groups[n][2] = (char)('0' + v % 10);
        groups[n][3] = '\0';
        n++;
        v /= 1000;
    } while (v > 0);
    if (t->level < 0)
        sb_adds(out, "entries/");
    else
        sb_addf(out, "%d/", t->level);
    for (int i = n - 1; i > 0; i--)
        sb_addf(out, "x%s/", groups[i]);
    sb_adds(out, groups[0]);
    if (t->width < TLOG_TILE_WIDTH)
        sb_addf(out, ".p/%d", t->width);
}

bool
tlog_tile_exists(int64_t size, const struct tlog_tile *t)
{
    if (size < 0 || t->level < -1 || t->level > 63 || t->width < 1 || t->width > TLOG_TILE_WIDTH ||
        t->index < 0 || t->index > TILE_INDEX_MAX)
        return false;
    int shift = t->level < 0 ? 0 : TLOG_TILE_HEIGHT * t->level;
    /* The hashes the tree has at the tile's level (the entries for a
     * bundle). */
    int64_t have = shift >= 63 ? 0 : size >> shift;
    return t->index * TLOG_TILE_WIDTH + t->width <= have;
}

int
tlog_tile_hashes(int64_t size, const struct tlog_tile *t, const struct tlog_reader *r,
                 struct tlog_hash *out)
{
    if (t->level < 0 || !tlog_tile_exists(size, t))
        return -1;
    int level = TLOG_TILE_HEIGHT * t->level;
    for (int i = 0; i < t->width; i++) {
        int rc = r->read(r->ctx, level, t->index * TLOG_TILE_WIDTH + i, &out[i]);
        if (rc)
            return rc;
    }
    return 0;
}

void
tlog_bundle_append(struct strbuf *out, const void *entry, size_t len)
{
    assert(len <= TLOG_ENTRY_MAX);
    char prefix[2] = {(char)(len >> 8), (char)(len & 0xff)};
    sb_add(out, prefix, 2);
    sb_add(out, entry, len);
}

int
tlog_bundle_each(const void *bundle, size_t len,
                 void (*each)(void *ctx, int i, const char *entry, size_t len), void *ctx)
{
    const unsigned char *b = bundle;
    size_t at = 0;
    int n = 0;
    /* First the whole bundle's form, so that each sees only a good one. */
    while (at < len) {
        if (len - at < 2)
            return -1;
        size_t l = (size_t)b[at] << 8 | b[at + 1];
        if (len - at - 2 < l || n == INT32_MAX)
            return -1;
        at += 2 + l;
        n++;
    }
    if (!each)
        return n;
    at = 0;
    for (int i = 0; i < n; i++) {
        size_t l = (size_t)b[at] << 8 | b[at + 1];
        each(ctx, i, (const char *)b + at + 2, l);
        at += 2 + l;
    }
    return n;
}

/* ---- receipts ---------------------------------------------------------------------------- */

void
tlog_proof_format(struct strbuf *out, const struct tlog_proof *p)
{
    sb_adds(out, proof_header);
    if (p->extra && p->extra_len > 0) {
        sb_adds(out, "extra ");
        base64_add(out, p->extra, p->extra_len);
        sb_addch(out, '\n');
    }
    sb_addf(out, "index %lld\n", (long long)p->index);
    for (int i = 0; i < p->n; i++) {
        base64_add(out, p->hashes[i].b, TLOG_HASH_BYTES);
        sb_addch(out, '\n');
    }
    sb_addch(out, '\n');
    sb_add(out, p->checkpoint, p->checkpoint_len);
}

/* The line at *p (up to '\n', which must come before end), in *line and
 * *len; *p moves past the newline.  Returns 0 or -1. */
static int
next_line(const char **p, const char *end, const char **line, size_t *len)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (!nl)
        return -1;
    *line = *p;
    *len = (size_t)(nl - *p);
    *p = nl + 1;
    return 0;
}

int
tlog_proof_parse(const char *text, size_t len, uint8_t *extra, size_t extra_cap,
                 struct tlog_proof *out)
{
    const char *p = text, *end = text + len, *line;
    size_t l, got;
    int64_t index;
    size_t hl = sizeof(proof_header) - 1;
    memset(out, 0, sizeof(*out));
    if (len < hl || memcmp(text, proof_header, hl) != 0)
        return -1;
    p += hl;
    if (next_line(&p, end, &line, &l))
        return -1;
    if (l >= 6 && memcmp(line, "extra ", 6) == 0) {
        if (!extra || base64_decode(line + 6, l - 6, extra, extra_cap, &got))
            return -1;
        out->extra = extra;
        out->extra_len = got;
        if (next_line(&p, end, &line, &l))
            return -1;
    }
    if (l < 6 || memcmp(line, "index ", 6) != 0 ||
        read_decimal(line + 6, l - 6, 0, INT64_MAX, &index))
        return -1;
    out->index = index;
    for (;;) {
        if (next_line(&p, end, &line, &l))
            return -1;
        if (l == 0)
            break;
        if (out->n >= TLOG_MAX_PROOF ||
            base64_decode(line, l, out->hashes[out->n].b, TLOG_HASH_BYTES, &got) ||
            got != TLOG_HASH_BYTES)
            return -1;
        out->n++;
    }
    if (p == end || end[-1] != '\n')
        return -1;
    out->checkpoint = p;
    out->checkpoint_len = (size_t)(end - p);
    return 0;
}
