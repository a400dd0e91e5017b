/*
 * tlog_test.c: the transparency log's arithmetic (core/tlog.h, issue 18):
 * RFC 6962 roots and proofs against Certificate Transparency's reference
 * vectors and against a naive recursive tree for every size up to 100;
 * every proof checked, and refused once altered; the C2SP tile paths,
 * which tiles exist, their hashes; entry bundles; tlog-proof receipts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/tlog.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum {
    MAX_LEAVES = 70000,
};

static struct tlog_hash
hex_hash(const char *hex)
{
    struct tlog_hash h;
    size_t n = 0;
    if (sodium_hex2bin(h.b, sizeof(h.b), hex, strlen(hex), NULL, &n, NULL) || n != 32)
        fail_msg("bad hex %s", hex);
    return h;
}

static bool
same(const struct tlog_hash *a, const struct tlog_hash *b)
{
    return memcmp(a->b, b->b, TLOG_HASH_BYTES) == 0;
}

/* ---- a naive tree: RFC 6962's definitions, word for word ------------------------------------ */

static struct tlog_hash *leaves; /* leaf hashes */

/* The complete subtrees' hashes, level by level (levels[0] = leaves),
 * so that the reader below answers at once. */
static struct tlog_hash *levels[18];

static int64_t
split(int64_t n)
{
    int64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

/* MTH(D[lo:hi]) */
static struct tlog_hash
mth(int64_t lo, int64_t hi)
{
    struct tlog_hash h;
    if (hi - lo == 1)
        return leaves[lo];
    int64_t k = split(hi - lo);
    struct tlog_hash l = mth(lo, lo + k), r = mth(lo + k, hi);
    tlog_node_hash(&l, &r, &h);
    return h;
}

/* PATH(m, D[lo:hi]) */
static void
path(int64_t m, int64_t lo, int64_t hi, struct tlog_hash *out, int *n)
{
    if (hi - lo == 1)
        return;
    int64_t k = split(hi - lo);
    if (m < lo + k) {
        path(m, lo, lo + k, out, n);
        out[(*n)++] = mth(lo + k, hi);
    } else {
        path(m, lo + k, hi, out, n);
        out[(*n)++] = mth(lo, lo + k);
    }
}

/* SUBPROOF(m, D[lo:hi], b) */
static void
subproof(int64_t m, int64_t lo, int64_t hi, bool b, struct tlog_hash *out, int *n)
{
    if (m == hi - lo) {
        if (!b)
            out[(*n)++] = mth(lo, hi);
        return;
    }
    int64_t k = split(hi - lo);
    if (m <= k) {
        subproof(m, lo, lo + k, b, out, n);
        out[(*n)++] = mth(lo + k, hi);
    } else {
        subproof(m - k, lo + k, hi, false, out, n);
        out[(*n)++] = mth(lo, lo + k);
    }
}

/* The reader over the naive tree: checks that what is asked for is a
 * complete subtree inside the tree of ctx->size leaves, and counts. */
struct naive {
    int64_t size;
    int reads;
    int fail_at; /* fail the n-th read (1-based) with error 7; 0: never */
};

static int
naive_read(void *ctx, int level, int64_t index, struct tlog_hash *out)
{
    struct naive *t = ctx;
    assert_true(level >= 0 && level < 63 && index >= 0);
    int64_t lo = index << level, hi = (index + 1) << level;
    assert_true(hi <= t->size);
    if (++t->reads == t->fail_at)
        return 7;
    *out = hi <= MAX_LEAVES && leaves == levels[0] ? levels[level][index] : mth(lo, hi);
    return 0;
}

static void
make_leaves(int64_t n)
{
    char entry[128];
    for (int64_t i = 0; i < n; i++) {
        int len = snprintf(entry, sizeof(entry), "sig 2026-12-07 ON %064lld", (long long)i);
        tlog_leaf_hash(entry, (size_t)len, &leaves[i]);
    }
}

static int
setup(void **state)
{
    (void)state;
    leaves = calloc(MAX_LEAVES, sizeof(*leaves));
    assert_non_null(leaves);
    make_leaves(MAX_LEAVES);
    levels[0] = leaves;
    for (int l = 1; l < 18; l++) {
        int64_t n = MAX_LEAVES >> l;
        levels[l] = calloc((size_t)n + 1, sizeof(struct tlog_hash));
        assert_non_null(levels[l]);
        for (int64_t i = 0; i < n; i++)
            tlog_node_hash(&levels[l - 1][2 * i], &levels[l - 1][2 * i + 1], &levels[l][i]);
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    for (int l = 1; l < 18; l++)
        free(levels[l]);
    free(leaves);
    return 0;
}

static int
ilog2_ceil(int64_t n)
{
    int l = 0;
    while (((int64_t)1 << l) < n)
        l++;
    return l;
}

/* ---- Certificate Transparency's reference vectors -------------------------------------------- */

/* The leaves and roots of the reference tree of Certificate Transparency's
 * merkle_tree_test (certificate-transparency, RFC 6962). */
static const char *const ct_leaves[8] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};
static const char *const ct_roots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* The reference tree's leaves in place of the usual ones (until
 * leaves = levels[0] again). */
static struct naive
ct_tree(int64_t size)
{
    static struct tlog_hash ct[8];
    for (int i = 0; i < 8; i++) {
        unsigned char bin[16];
        size_t n = 0;
        sodium_hex2bin(bin, sizeof(bin), ct_leaves[i], strlen(ct_leaves[i]), NULL, &n, NULL);
        tlog_leaf_hash(bin, n, &ct[i]);
    }
    leaves = ct;
    return (struct naive){.size = size};
}

static void
roots_match_certificate_transparency_vectors(void **state)
{
    (void)state;
    struct tlog_hash root, want;
    tlog_empty_hash(&root);
    want = hex_hash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_true(same(&root, &want));
    for (int size = 1; size <= 8; size++) {
        struct naive t = ct_tree(size);
        struct tlog_reader r = {naive_read, &t};
        assert_int_equal(tlog_tree_hash(size, &r, &root), 0);
        want = hex_hash(ct_roots[size - 1]);
        assert_true(same(&root, &want));
    }
    struct naive t = ct_tree(0);
    struct tlog_reader r = {naive_read, &t};
    assert_int_equal(tlog_tree_hash(0, &r, &root), 0);
    assert_int_equal(t.reads, 0);
    tlog_empty_hash(&want);
    assert_true(same(&root, &want));
    leaves = levels[0];
}

static void
expect_proof(const struct tlog_hash *proof, int n, const char *const *want, int nwant)
{
    assert_int_equal(n, nwant);
    for (int i = 0; i < n; i++) {
        struct tlog_hash w = hex_hash(want[i]);
        assert_true(same(&proof[i], &w));
    }
}

static void
proofs_match_certificate_transparency_vectors(void **state)
{
    (void)state;
    struct tlog_hash proof[TLOG_MAX_PROOF];
    int n;
    struct naive t = ct_tree(8);
    struct tlog_reader r = {naive_read, &t};
    static const char *const incl0[] = {
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    };
    static const char *const incl5[] = {
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    };
    static const char *const cons1[] = {
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    };
    static const char *const cons3[] = {
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    };
    assert_int_equal(tlog_prove_record(8, 0, &r, proof, &n), 0);
    expect_proof(proof, n, incl0, 3);
    assert_int_equal(tlog_prove_record(8, 5, &r, proof, &n), 0);
    expect_proof(proof, n, incl5, 3);
    assert_int_equal(tlog_prove_tree(8, 1, &r, proof, &n), 0);
    expect_proof(proof, n, cons1, 3);
    assert_int_equal(tlog_prove_tree(8, 3, &r, proof, &n), 0);
    expect_proof(proof, n, cons3, 4);
    struct tlog_hash root8 = hex_hash(ct_roots[7]), root3 = hex_hash(ct_roots[2]);
    assert_true(tlog_check_tree(proof, n, 8, &root8, 3, &root3));
    leaves = levels[0];
}

/* ---- every size up to 100 ------------------------------------------------------------------- */

static void
roots_equal_the_naive_tree_for_every_size_to_100(void **state)
{
    (void)state;
    for (int64_t size = 1; size <= 100; size++) {
        struct naive t = {.size = size};
        struct tlog_reader r = {naive_read, &t};
        struct tlog_hash root, want = mth(0, size);
        assert_int_equal(tlog_tree_hash(size, &r, &root), 0);
        assert_true(same(&root, &want));
        /* O(log n): one hash per bit of the size. */
        assert_true(t.reads == __builtin_popcountll((unsigned long long)size));
    }
}

static void
flip(struct tlog_hash *h, int bit)
{
    h->b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

static void
inclusion_proofs_verify_and_fail_when_altered(void **state)
{
    (void)state;
    for (int64_t size = 1; size <= 100; size++) {
        struct tlog_hash root = mth(0, size);
        for (int64_t i = 0; i < size; i++) {
            struct naive t = {.size = size};
            struct tlog_reader r = {naive_read, &t};
            struct tlog_hash proof[TLOG_MAX_PROOF], want[TLOG_MAX_PROOF];
            int n, nwant = 0;
            assert_int_equal(tlog_prove_record(size, i, &r, proof, &n), 0);
            path(i, 0, size, want, &nwant);
            assert_int_equal(n, nwant);
            assert_true(n <= ilog2_ceil(size));
            for (int j = 0; j < n; j++)
                assert_true(same(&proof[j], &want[j]));
            assert_true(tlog_check_record(proof, n, size, &root, i, &leaves[i]));

            /* Any bit of any hash flipped: every bit for the small trees,
             * one bit per hash (each a different one) for the others. */
            for (int j = 0; j < n; j++) {
                for (int bit = 0; bit < 256; bit++) {
                    if (size > 20 && bit != (int)((i * 7 + j * 31) % 256))
                        continue;
                    flip(&proof[j], bit);
                    assert_false(tlog_check_record(proof, n, size, &root, i, &leaves[i]));
                    flip(&proof[j], bit);
                }
            }
            for (int bit = 0; bit<256; bit += size> 20 ? 37 : 1) {
                struct tlog_hash leaf = leaves[i], bad_root = root;
                flip(&leaf, bit);
                flip(&bad_root, bit);
                assert_false(tlog_check_record(proof, n, size, &root, i, &leaf));
                assert_false(tlog_check_record(proof, n, size, &bad_root, i, &leaves[i]));
            }
            /* Another index, the leaf the same. */
            for (int64_t k = 0; k < size + 2; k++) {
                if (k != i && (size <= 40 || k == i - 1 || k == i + 1 || k == size))
                    assert_false(tlog_check_record(proof, n, size, &root, k, &leaves[i]));
            }
            assert_false(tlog_check_record(proof, n, size, &root, -1, &leaves[i]));
            /* Another size, the root the same: refused whenever the proof
             * for that size and index has another length (with the same
             * length and the same path the check cannot tell the sizes
             * apart: the root binds the size, which is why a checkpoint
             * signs both). */
            for (int64_t s = 0; s <= size + 8; s++) {
                if (s == size)
                    continue;
                int ns = -1;
                if (i < s) {
                    struct naive ts = {.size = s};
                    struct tlog_reader rs = {naive_read, &ts};
                    assert_int_equal(tlog_prove_record(s, i, &rs, want, &ns), 0);
                }
                if (ns != n)
                    assert_false(tlog_check_record(proof, n, s, &root, i, &leaves[i]));
            }
            /* A hash more, a hash less. */
            if (n < TLOG_MAX_PROOF) {
                proof[n] = root;
                assert_false(tlog_check_record(proof, n + 1, size, &root, i, &leaves[i]));
            }
            if (n > 0)
                assert_false(tlog_check_record(proof, n - 1, size, &root, i, &leaves[i]));
        }
    }
}

static void
consistency_proofs_verify_and_fail_when_altered(void **state)
{
    (void)state;
    for (int64_t size = 1; size <= 100; size++) {
        struct tlog_hash root = mth(0, size);
        for (int64_t old = 1; old <= size; old++) {
            struct tlog_hash old_root = mth(0, old);
            struct naive t = {.size = size};
            struct tlog_reader r = {naive_read, &t};
            struct tlog_hash proof[TLOG_MAX_PROOF], want[TLOG_MAX_PROOF];
            int n, nwant = 0;
            assert_int_equal(tlog_prove_tree(size, old, &r, proof, &n), 0);
            if (old < size)
                subproof(old, 0, size, true, want, &nwant);
            assert_int_equal(n, nwant);
            for (int j = 0; j < n; j++)
                assert_true(same(&proof[j], &want[j]));
            assert_true(tlog_check_tree(proof, n, size, &root, old, &old_root));

            for (int j = 0; j < n; j++) {
                for (int bit = 0; bit < 256; bit++) {
                    if (size > 16 && bit != (int)((old * 5 + j * 29) % 256))
                        continue;
                    flip(&proof[j], bit);
                    assert_false(tlog_check_tree(proof, n, size, &root, old, &old_root));
                    flip(&proof[j], bit);
                }
            }
            for (int bit = 0; bit<256; bit += size> 16 ? 41 : 1) {
                struct tlog_hash a = root, b = old_root;
                flip(&a, bit);
                flip(&b, bit);
                assert_false(tlog_check_tree(proof, n, size, &a, old, &old_root));
                assert_false(tlog_check_tree(proof, n, size, &root, old, &b));
            }
            /* Another old size, the roots the same: refused. */
            for (int64_t o = 0; o <= size + 1; o++)
                if (o != old)
                    assert_false(tlog_check_tree(proof, n, size, &root, o, &old_root));
            /* Another new size: refused whenever its proof has another
             * length (as for inclusion, the same length and path cannot
             * tell the sizes apart; the checkpoint signs size and root). */
            for (int64_t s = 0; s <= size + 8; s++) {
                if (s == size)
                    continue;
                int ns = -1;
                if (s >= old) {
                    struct naive ts = {.size = s};
                    struct tlog_reader rs = {naive_read, &ts};
                    assert_int_equal(tlog_prove_tree(s, old, &rs, want, &ns), 0);
                }
                if (ns != n)
                    assert_false(tlog_check_tree(proof, n, s, &root, old, &old_root));
            }
            if (n > 0)
                assert_false(tlog_check_tree(proof, n - 1, size, &root, old, &old_root));
            if (n < TLOG_MAX_PROOF) {
                proof[n] = root;
                assert_false(tlog_check_tree(proof, n + 1, size, &root, old, &old_root));
            }
        }
    }
}

static void
bad_arguments_are_refused(void **state)
{
    (void)state;
    struct naive t = {.size = 10};
    struct tlog_reader r = {naive_read, &t};
    struct tlog_hash proof[TLOG_MAX_PROOF], h = leaves[0];
    int n = 99;
    assert_int_equal(tlog_prove_record(10, 10, &r, proof, &n), -1);
    assert_int_equal(n, 0);
    assert_int_equal(tlog_prove_record(10, -1, &r, proof, &n), -1);
    assert_int_equal(tlog_prove_record(0, 0, &r, proof, &n), -1);
    assert_int_equal(tlog_prove_tree(10, 0, &r, proof, &n), -1);
    assert_int_equal(tlog_prove_tree(10, 11, &r, proof, &n), -1);
    assert_int_equal(tlog_tree_hash(-1, &r, &h), -1);
    assert_false(tlog_check_record(proof, -1, 10, &h, 0, &h));
    assert_false(tlog_check_record(proof, TLOG_MAX_PROOF + 1, 10, &h, 0, &h));
    assert_false(tlog_check_tree(proof, 0, 0, &h, 0, &h));
    /* The one leaf of a tree of one: its hash is the root. */
    assert_true(tlog_check_record(proof, 0, 1, &h, 0, &h));
    assert_true(tlog_check_tree(proof, 0, 5, &h, 5, &h));
    assert_false(tlog_check_tree(proof, 1, 5, &h, 5, &h));
}

static void
reader_errors_are_returned_as_they_are(void **state)
{
    (void)state;
    struct tlog_hash proof[TLOG_MAX_PROOF], h;
    int n;
    for (int at = 1; at <= 3; at++) {
        struct naive t = {.size = 100, .fail_at = at};
        struct tlog_reader r = {naive_read, &t};
        assert_int_equal(tlog_tree_hash(100, &r, &h), 7);
        t.reads = 0;
        assert_int_equal(tlog_prove_record(100, 37, &r, proof, &n), 7);
        t.reads = 0;
        assert_int_equal(tlog_prove_tree(100, 37, &r, proof, &n), 7);
    }
}

/* A reader for trees too large to hold: every hash zero. */
static int
zero_read(void *ctx, int level, int64_t index, struct tlog_hash *out)
{
    (void)ctx;
    assert_true(level >= 0 && level <= 62 && index >= 0);
    memset(out, 0, sizeof(*out));
    return 0;
}

static void
the_longest_proofs_fit(void **state)
{
    (void)state;
    struct tlog_reader r = {zero_read, NULL};
    struct tlog_hash proof[TLOG_MAX_PROOF], h;
    int n;
    const int64_t size = INT64_MAX;
    assert_int_equal(tlog_tree_hash(size, &r, &h), 0);
    assert_int_equal(tlog_prove_record(size, 0, &r, proof, &n), 0);
    assert_int_equal(n, 63);
    /* From 2^62 + 1: to the right of the first split, then down to a
     * leaf, which is itself part of the proof: 64 hashes. */
    assert_int_equal(tlog_prove_tree(size, ((int64_t)1 << 62) + 1, &r, proof, &n), 0);
    assert_int_equal(n, TLOG_MAX_PROOF);
}

/* ---- tiles ----------------------------------------------------------------------------------- */

static char *
tile_text(const struct tlog_tile *t)
{
    static char buf[128];
    struct strbuf sb;
    sb_init(&sb, NULL);
    tlog_tile_format(&sb, t);
    assert_false(sb_failed(&sb));
    assert_true(sb.len < sizeof(buf));
    memcpy(buf, sb.buf, sb.len + 1);
    sb_release(&sb);
    return buf;
}

static void
tile_paths_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int level;
        int64_t index;
        int width;
    } cases[] = {
        {"0/000", 0, 0, 256},
        {"0/001", 0, 1, 256},
        {"0/999", 0, 999, 256},
        {"0/x001/000", 0, 1000, 256},
        {"3/x001/x234/067", 3, 1234067, 256},
        {"63/000", 63, 0, 256},
        {"1/x001/000.p/17", 1, 1000, 17},
        {"0/273.p/112", 0, 273, 112},
        {"0/000.p/1", 0, 0, 1},
        {"0/000.p/255", 0, 0, 255},
        {"entries/000", -1, 0, 256},
        {"entries/x999/x999/999.p/9", -1, 999999999, 9},
        {"entries/x036/x028/x797/x018/x963/966", -1, 36028797018963966, 256},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        struct tlog_tile t = {.level = 99};
        const char *p = cases[i].path;
        if (tlog_tile_parse(p, strlen(p), &t) != 0)
            fail_msg("refused %s", p);
        assert_int_equal(t.level, cases[i].level);
        assert_true(t.index == cases[i].index);
        assert_int_equal(t.width, cases[i].width);
        assert_string_equal(tile_text(&t), p);
    }
    /* Every index to 3,000 and across each group's edge. */
    for (int64_t v = 0; v < 3000000; v += v < 3000 ? 1 : 997) {
        struct tlog_tile t = {.level = 2, .index = v, .width = 256}, back;
        const char *s = tile_text(&t);
        assert_int_equal(tlog_tile_parse(s, strlen(s), &back), 0);
        assert_true(back.index == v && back.level == 2 && back.width == 256);
    }
}

static void
tile_paths_refuse_every_other_form(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "0",
        "0/",
        "/000",
        "0/0",
        "0/00",
        "0/1",
        "0/01",
        "0/0000",
        "0/1000",
        "0/x000/001",  /* a leading group of zeros */
        "0/x001",      /* "x" on the last group */
        "0/x001/x002", /* "x" on the last group */
        "0/001/002",   /* no "x" on a group before the last */
        "0/x1/000",
        "0/x0001/000",
        "0/x001//000",
        "0/x001/000/",
        "0/000/",
        "0/000.p/0",   /* a width of 0 */
        "0/000.p/256", /* a full tile has no .p/ */
        "0/000.p/01",
        "0/000.p/",
        "0/000.p",
        "0/000.p/1/",
        "0/000.p/1x",
        "0/000p/1",
        "0/000.q/1",
        "0/000 ",
        " 0/000",
        "00/000",
        "01/000",
        "64/000",
        "-1/000",
        "+1/000",
        "entry/000",
        "Entries/000",
        "entries/",
        "entries/0",
        "entries/000.p/0",
        "0/abc",
        "0/X001/000",
        "0/x999/x999/x999/x999/x999/x999/x999/999", /* beyond int64_t */
        "0/x036/x028/x797/x018/x963/967",           /* N·256 + 256 would overflow */
        "0/000\n",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct tlog_tile t = {.level = 5, .index = 5, .width = 5};
        if (tlog_tile_parse(bad[i], strlen(bad[i]), &t) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(t.level, 5);
    }
    /* A NUL byte inside the length. */
    struct tlog_tile t;
    assert_int_equal(tlog_tile_parse("0/000\0", 6, &t), -1);
    assert_int_equal(tlog_tile_parse("0/000.p/1", 8, &t), -1);
}

static bool
exists(int64_t size, const char *path)
{
    struct tlog_tile t;
    if (tlog_tile_parse(path, strlen(path), &t))
        fail_msg("refused %s", path);
    return tlog_tile_exists(size, &t);
}

static void
tiles_exist_as_the_spec_counts_them(void **state)
{
    (void)state;
    /* tlog-tiles: a tree of 70,000 has 273 full level 0 tiles, a partial
     * one of width 112, one full level 1 tile, a partial one of width
     * 17 and a partial level 2 tile of width 1. */
    assert_true(exists(70000, "0/000"));
    assert_true(exists(70000, "0/272"));
    assert_false(exists(70000, "0/273"));
    assert_true(exists(70000, "0/273.p/112"));
    assert_false(exists(70000, "0/273.p/113"));
    assert_true(exists(70000, "0/273.p/1")); /* widths the tree has passed */
    assert_true(exists(70000, "0/272.p/200"));
    assert_false(exists(70000, "0/274.p/1"));
    assert_true(exists(70000, "1/000"));
    assert_false(exists(70000, "1/001"));
    assert_true(exists(70000, "1/001.p/17"));
    assert_false(exists(70000, "1/001.p/18"));
    assert_true(exists(70000, "2/000.p/1"));
    assert_false(exists(70000, "2/000.p/2"));
    assert_false(exists(70000, "2/000"));
    assert_false(exists(70000, "3/000.p/1"));
    assert_true(exists(70000, "entries/272"));
    assert_true(exists(70000, "entries/273.p/112"));
    assert_false(exists(70000, "entries/273"));
    assert_false(exists(70000, "entries/273.p/113"));
    /* A tree of 256: a full level 0 tile and a level 1 tile of width 1. */
    assert_true(exists(256, "0/000"));
    assert_true(exists(256, "1/000.p/1"));
    assert_false(exists(256, "0/001.p/1"));
    assert_false(exists(0, "0/000.p/1"));
    assert_false(exists(0, "entries/000.p/1"));
    assert_false(exists(INT64_MAX, "63/000.p/1"));
    assert_true(exists(INT64_MAX, "7/000.p/127"));
    assert_false(exists(INT64_MAX, "7/000.p/128"));
    struct tlog_tile t = {.level = 0, .index = 0, .width = 0};
    assert_false(tlog_tile_exists(10, &t));
    t.width = 257;
    assert_false(tlog_tile_exists(1000, &t));
    t = (struct tlog_tile){.level = 0, .index = -1, .width = 1};
    assert_false(tlog_tile_exists(1000, &t));
}

static void
tile_hashes_are_the_subtrees_at_their_level(void **state)
{
    (void)state;
    const int64_t size = 70000;
    struct naive t = {.size = size};
    struct tlog_reader r = {naive_read, &t};
    struct tlog_hash hashes[TLOG_TILE_WIDTH];
    struct tlog_tile tile = {.level = 0, .index = 5, .width = 256};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, hashes), 0);
    for (int i = 0; i < 256; i++)
        assert_true(same(&hashes[i], &leaves[5 * 256 + i]));
    /* Level 1: each hash is a full level 0 tile's subtree... */
    tile = (struct tlog_tile){.level = 1, .index = 1, .width = 17};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, hashes), 0);
    for (int i = 0; i < 17; i++) {
        struct tlog_hash want = mth((256 + i) * 256, (256 + i + 1) * 256);
        assert_true(same(&hashes[i], &want));
    }
    /* ...the tree of the 256 hashes of that tile. */
    struct tlog_hash level0[TLOG_TILE_WIDTH];
    tile = (struct tlog_tile){.level = 0, .index = 256 + 3, .width = 256};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, level0), 0);
    struct tlog_hash *saved = leaves;
    leaves = level0;
    struct tlog_hash folded = mth(0, 256);
    leaves = saved;
    assert_true(same(&folded, &hashes[3]));
    tile = (struct tlog_tile){.level = 2, .index = 0, .width = 1};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, hashes), 0);
    struct tlog_hash want = mth(0, 65536);
    assert_true(same(&hashes[0], &want));
    /* Tiles that do not exist, and entry bundles, are refused. */
    tile = (struct tlog_tile){.level = 1, .index = 1, .width = 18};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, hashes), -1);
    tile = (struct tlog_tile){.level = -1, .index = 0, .width = 256};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, hashes), -1);
    t.fail_at = t.reads + 2;
    tile = (struct tlog_tile){.level = 0, .index = 0, .width = 256};
    assert_int_equal(tlog_tile_hashes(size, &tile, &r, hashes), 7);
}

/* ---- entry bundles --------------------------------------------------------------------------- */

struct seen {
    int count;
    size_t lens[8];
    char first[8];
};

static void
see(void *ctx, int i, const char *entry, size_t len)
{
    struct seen *s = ctx;
    assert_int_equal(i, s->count);
    s->lens[s->count] = len;
    s->first[s->count] = len ? entry[0] : 0;
    s->count++;
}

static void
bundles_round_trip(void **state)
{
    (void)state;
    static char big[TLOG_ENTRY_MAX];
    memset(big, 'b', sizeof(big));
    struct strbuf sb;
    sb_init(&sb, NULL);
    tlog_bundle_append(&sb, "sig 2026-12-07 ON 00", 20);
    tlog_bundle_append(&sb, "", 0);
    tlog_bundle_append(&sb, big, sizeof(big));
    tlog_bundle_append(&sb, "void 0 dup", 10);
    assert_int_equal(sb.len, 2 + 20 + 2 + 2 + TLOG_ENTRY_MAX + 2 + 10);
    assert_memory_equal(sb.buf, "\x00\x14sig", 5);
    assert_memory_equal(sb.buf + 22, "\x00\x00\xff\xff", 4);
    struct seen s = {0};
    assert_int_equal(tlog_bundle_each(sb.buf, sb.len, see, &s), 4);
    assert_int_equal(s.count, 4);
    assert_int_equal(s.lens[0], 20);
    assert_int_equal(s.lens[1], 0);
    assert_int_equal(s.lens[2], TLOG_ENTRY_MAX);
    assert_int_equal(s.first[2], 'b');
    assert_int_equal(s.lens[3], 10);
    assert_int_equal(s.first[3], 'v');
    assert_int_equal(tlog_bundle_each(sb.buf, sb.len, NULL, NULL), 4);
    assert_int_equal(tlog_bundle_each("", 0, see, &s), 0);
    sb_release(&sb);
}

static void
malformed_bundles_are_refused_before_any_entry(void **state)
{
    (void)state;
    static const struct {
        const char *b;
        size_t len;
    } bad[] = {
        {"\x00", 1}, /* half a length */
        {"\x00\x03"
         "ab",
         4},                       /* a length past the end */
        {"\x00\x01a\x00", 4},      /* a good entry, then half a length */
        {"\x00\x01a\x00\x02x", 6}, /* a good entry, then one cut short */
        {"\xff\xff", 2},
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct seen s = {0};
        assert_int_equal(tlog_bundle_each(bad[i].b, bad[i].len, see, &s), -1);
        assert_int_equal(s.count, 0);
    }
}

/* ---- receipts -------------------------------------------------------------------------------- */

static const char checkpoint[] = "petitions.example/log/e-1234\n"
                                 "8\n"
                                 "Xcnaeaz2WamtVZy3Ad7Zoqudgjqtr0lgz+Nw7/RgQyg=\n"
                                 "\n"
                                 "\xe2\x80\x94 petitions.example AAAAAAxyz=\n";

static char *
format_proof(const struct tlog_proof *p, size_t *len)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    tlog_proof_format(&sb, p);
    assert_false(sb_failed(&sb));
    return sb_detach(&sb, len);
}

static void
receipts_round_trip(void **state)
{
    (void)state;
    uint8_t nonce[32], extra[64];
    for (int i = 0; i < 32; i++)
        nonce[i] = (uint8_t)(i * 7);
    struct tlog_proof p = {.extra = nonce, .extra_len = 32, .index = 5, .n = 3};
    p.hashes[0] = leaves[0];
    p.hashes[1] = leaves[1];
    p.hashes[2] = leaves[2];
    p.checkpoint = checkpoint;
    p.checkpoint_len = strlen(checkpoint);
    size_t len;
    char *text = format_proof(&p, &len);
    char b64[45];
    sodium_bin2base64(b64, sizeof(b64), leaves[1].b, 32, sodium_base64_VARIANT_ORIGINAL);
    assert_true(
        strncmp(
            text,
            "c2sp.org/tlog-proof@v1\nextra AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tk=\nindex 5\n",
            82) == 0);
    assert_non_null(strstr(text, b64));
    assert_non_null(strstr(text, "=\n\npetitions.example/log/e-1234\n8\n"));

    struct tlog_proof q;
    assert_int_equal(tlog_proof_parse(text, len, extra, sizeof(extra), &q), 0);
    assert_int_equal(q.extra_len, 32);
    assert_ptr_equal(q.extra, extra);
    assert_memory_equal(q.extra, nonce, 32);
    assert_true(q.index == 5);
    assert_int_equal(q.n, 3);
    for (int i = 0; i < 3; i++)
        assert_true(same(&q.hashes[i], &leaves[i]));
    assert_int_equal(q.checkpoint_len, strlen(checkpoint));
    assert_memory_equal(q.checkpoint, checkpoint, q.checkpoint_len);
    assert_true(q.checkpoint >= text && q.checkpoint < text + len);
    free(text);

    /* No extra, no hashes (a tree of one), the largest index; and the
     * most hashes a proof has. */
    p = (struct tlog_proof){
        .index = INT64_MAX, .checkpoint = checkpoint, .checkpoint_len = strlen(checkpoint)};
    text = format_proof(&p, &len);
    assert_true(
        strncmp(text, "c2sp.org/tlog-proof@v1\nindex 9223372036854775807\n\npetitions", 59) == 0);
    assert_int_equal(tlog_proof_parse(text, len, NULL, 0, &q), 0);
    assert_null(q.extra);
    assert_int_equal(q.n, 0);
    assert_true(q.index == INT64_MAX);
    free(text);
    p.n = TLOG_MAX_PROOF;
    for (int i = 0; i < p.n; i++)
        p.hashes[i] = leaves[i];
    text = format_proof(&p, &len);
    assert_int_equal(tlog_proof_parse(text, len, NULL, 0, &q), 0);
    assert_int_equal(q.n, TLOG_MAX_PROOF);
    assert_true(same(&q.hashes[63], &leaves[63]));
    free(text);
}

static void
receipts_are_read_strictly(void **state)
{
    (void)state;
    static const char *const h = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    static const char *const cp =
        "\nlog.example\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    char good[512];
    snprintf(good, sizeof(good), "c2sp.org/tlog-proof@v1\nextra AQID\nindex 12\n%s%s", h, cp);
    uint8_t extra[8];
    struct tlog_proof q;
    assert_int_equal(tlog_proof_parse(good, strlen(good), extra, sizeof(extra), &q), 0);
    assert_int_equal(q.extra_len, 3);
    assert_int_equal(q.n, 1);
    assert_true(q.index == 12);
    /* Too little room for the extra, or none. */
    assert_int_equal(tlog_proof_parse(good, strlen(good), extra, 2, &q), -1);
    assert_int_equal(tlog_proof_parse(good, strlen(good), NULL, 0, &q), -1);

    static const char *const bad[] = {
        "",
        "c2sp.org/tlog-proof@v1\n",
        "c2sp.org/tlog-proof@v2\nindex 1\n\nlog.example\n1\nAAAA\n",
        "c2sp.org/tlog-proof@v1\r\nindex 1\n\nlog.example\n",
        "C2SP.org/tlog-proof@v1\nindex 1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nextra \nindex 1\n\nlog.example\n",     /* empty extra */
        "c2sp.org/tlog-proof@v1\nextra AQI\nindex 1\n\nlog.example\n",  /* unpadded */
        "c2sp.org/tlog-proof@v1\nextra AQJ=\nindex 1\n\nlog.example\n", /* not canonical */
        "c2sp.org/tlog-proof@v1\nextra A-_=\nindex 1\n\nlog.example\n", /* URL alphabet */
        "c2sp.org/tlog-proof@v1\nextra AQID \nindex 1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nextra  AQID\nindex 1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex 1\nextra AQID\n\nlog.example\n", /* out of order */
        "c2sp.org/tlog-proof@v1\nextra AQID\nextra AQID\nindex 1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex 01\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex -1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex +1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex \n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex 1 \n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex  1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex 9223372036854775808\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex1\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\n\nlog.example\n", /* no index */
        "c2sp.org/tlog-proof@v1\nindex "
        "1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex "
        "1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex "
        "1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex "
        "1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n\nlog.example\n",
        "c2sp.org/tlog-proof@v1\nindex 1\n "
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nlog.example\n",
        /* No blank line. */
        "c2sp.org/tlog-proof@v1\nindex 1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "c2sp.org/tlog-proof@v1\nindex 1\n\n",            /* no checkpoint */
        "c2sp.org/tlog-proof@v1\nindex 1\n\nlog.example", /* no newline */
        "c2sp.org/tlog-proof@v1\nindex 1",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        if (tlog_proof_parse(bad[i], strlen(bad[i]), extra, sizeof(extra), &q) != -1)
            fail_msg("accepted case %zu: %s", i, bad[i]);
    }
    /* Bytes beyond ASCII where base64 is (Debian's libsodium reads them
     * as '/'): the fuzzer's find, a hash with "If" spelt "\xcf\x9b". */
    for (int c = 0x80; c <= 0xff; c++) {
        char bad_hash[512];
        snprintf(bad_hash, sizeof(bad_hash),
                 "c2sp.org/tlog-proof@v1\nextra AQID\nindex 12\n"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%cA=\n%s",
                 c, cp);
        assert_int_equal(tlog_proof_parse(bad_hash, strlen(bad_hash), extra, sizeof(extra), &q),
                         -1);
        snprintf(bad_hash, sizeof(bad_hash), "c2sp.org/tlog-proof@v1\nextra AQ%cD\nindex 12\n%s%s",
                 c, h, cp);
        assert_int_equal(tlog_proof_parse(bad_hash, strlen(bad_hash), extra, sizeof(extra), &q),
                         -1);
    }
    /* One hash more than a proof has. */
    struct strbuf sb;
    sb_init(&sb, NULL);
    sb_adds(&sb, "c2sp.org/tlog-proof@v1\nindex 1\n");
    for (int i = 0; i <= TLOG_MAX_PROOF; i++)
        sb_adds(&sb, h);
    sb_adds(&sb, cp);
    assert_int_equal(tlog_proof_parse(sb.buf, sb.len, NULL, 0, &q), -1);
    sb_release(&sb);
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roots_match_certificate_transparency_vectors),
        cmocka_unit_test(proofs_match_certificate_transparency_vectors),
        cmocka_unit_test(roots_equal_the_naive_tree_for_every_size_to_100),
        cmocka_unit_test(inclusion_proofs_verify_and_fail_when_altered),
        cmocka_unit_test(consistency_proofs_verify_and_fail_when_altered),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(reader_errors_are_returned_as_they_are),
        cmocka_unit_test(the_longest_proofs_fit),
        cmocka_unit_test(tile_paths_round_trip),
        cmocka_unit_test(tile_paths_refuse_every_other_form),
        cmocka_unit_test(tiles_exist_as_the_spec_counts_them),
        cmocka_unit_test(tile_hashes_are_the_subtrees_at_their_level),
        cmocka_unit_test(bundles_round_trip),
        cmocka_unit_test(malformed_bundles_are_refused_before_any_entry),
        cmocka_unit_test(receipts_round_trip),
        cmocka_unit_test(receipts_are_read_strictly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
