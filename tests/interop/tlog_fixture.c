/*
 * tlog_fixture.c: writes one petition's transparency log as static files,
 * in exactly the layout petitiond serves (issue 18: C2SP tlog-tiles under
 * /log/), for tests/interop/go_test, which checks it with Go's sumdb/note
 * and sumdb/tlog.  Made with core/tlog.h and lib/note.h alone, so what Go
 * checks is our arithmetic and our signatures, not a server's.
 *
 * usage: tlog_fixture DIR [NUMBER] (NUMBER: e-1234 unless given)
 *
 * A log of 1,000 entries: an import ("import ON 25"), a void of an
 * earlier signature every hundredth entry, the others signatures ("sig
 * DATE REGION COMMITMENT", the commitment the SHA-256 of a nonce made
 * from the entry's index).  DIR gets:
 *
 *   log/key                          the verifier key, one line
 *   log/NUMBER/checkpoint            signed, at 1,000
 *   log/NUMBER/tile/L/N[.p/W]        every hash tile of the trees at 700
 *   log/NUMBER/tile/entries/N[.p/W]  and 1,000, and every entry bundle
 *   checkpoint-700                   an older checkpoint, signed
 *   receipt-5.tlog-proof             entry 5's receipt, on checkpoint-700
 *   proof-700-1000                   our consistency proof, 700 to 1,000
 *   count                            the count the log attests
 *   checkpoint-other-key             the checkpoint at 1,000 signed by
 *                                    another key of the same name
 *   checkpoint-700-forked            a checkpoint at 700 signed by the
 *                                    log's key, of another tree
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "core/tlog.h"
#include "lib/note.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum {
    SIZE = 1000,
    OLD_SIZE = 700,
    RECEIPT_INDEX = 5,
    LEVELS = 11, /* 2^10 > SIZE */
};

static const char host[] = "petitions.example";
static const char *dir;
static const char *number = "e-1234";
static struct tlog_hash *levels[LEVELS];

static void
die(const char *what)
{
    fprintf(stderr, "tlog_fixture: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

/* Write len bytes to DIR/path, making its folders. */
static void
put(const char *path, const void *data, size_t len)
{
    char full[4096];
    if (snprintf(full, sizeof(full), "%s/%s", dir, path) >= (int)sizeof(full))
        die(path);
    for (char *p = full + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        if (mkdir(full, 0755) && errno != EEXIST)
            die(full);
        *p = '/';
    }
    FILE *f = fopen(full, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        die(full);
}

static void
put_sb(const char *path, struct strbuf *sb)
{
    if (sb_failed(sb))
        die(path);
    put(path, sb->buf, sb->len);
}

static void
nonce(int64_t i, uint8_t out[32])
{
    char seed[64];
    int n = snprintf(seed, sizeof(seed), "petitiond tlog fixture nonce %lld", (long long)i);
    crypto_hash_sha256(out, (const unsigned char *)seed, (unsigned long long)n);
}

static const char *const regions[] = {"AB", "BC", "MB", "NB", "NL", "NS", "NT",
                                      "NU", "ON", "PE", "QC", "SK", "YT", "XX"};

/* Entry i, and the count the entries 0..i attest so far. */
static void
entry(int64_t i, struct strbuf *out, long long *count)
{
    sb_reset(out);
    if (i == 0) {
        sb_adds(out, "import ON 25");
        *count += 25;
    } else if (i % 100 == 99) {
        sb_addf(out, "void %lld duplicate", (long long)(i - 2));
        *count -= 1;
    } else {
        uint8_t n[32], c[32];
        char hex[65];
        nonce(i, n);
        crypto_hash_sha256(c, n, sizeof(n));
        sodium_bin2hex(hex, sizeof(hex), c, sizeof(c));
        sb_addf(out, "sig 2026-12-%02d %s %s", (int)(1 + i / 200),
                regions[i % (int64_t)(sizeof(regions) / sizeof(regions[0]))], hex);
        *count += 1;
    }
}

struct tree {
    int64_t size;
};

static int
tree_read(void *ctx, int level, int64_t index, struct tlog_hash *out)
{
    const struct tree *t = ctx;
    if (level < 0 || level >= LEVELS || index < 0 || ((index + 1) << level) > t->size)
        return -1;
    *out = levels[level][index];
    return 0;
}

static void
signed_checkpoint(struct strbuf *out, int64_t size, const struct tlog_hash *root,
                  const struct note_key *k)
{
    char b64[64];
    struct strbuf text;
    sb_init(&text, NULL);
    sodium_bin2base64(b64, sizeof(b64), root->b, TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
    sb_addf(&text, "%s/log/%s\n%lld\n%s\n", host, number, (long long)size, b64);
    note_sign(out, text.buf, text.len, k);
    sb_release(&text);
}

/* Every tile and bundle of the tree of size leaves. */
static void
put_tiles(int64_t size, char **entries, size_t *entry_lens)
{
    struct tree t = {size};
    struct tlog_reader r = {tree_read, &t};
    struct tlog_hash hashes[TLOG_TILE_WIDTH];
    struct strbuf path, data;
    sb_init(&path, NULL);
    sb_init(&data, NULL);
    for (int level = -1; level < 8; level++) {
        int64_t have = level < 0 ? size : size >> (TLOG_TILE_HEIGHT * level);
        for (int64_t n = 0; n * TLOG_TILE_WIDTH < have; n++) {
            int64_t w = have - n * TLOG_TILE_WIDTH;
            struct tlog_tile tile = {level, n, w > TLOG_TILE_WIDTH ? TLOG_TILE_WIDTH : (int)w};
            if (!tlog_tile_exists(size, &tile))
                die("a tile that should exist");
            sb_reset(&path);
            sb_addf(&path, "log/%s/tile/", number);
            tlog_tile_format(&path, &tile);
            sb_reset(&data);
            if (level < 0) {
                for (int i = 0; i < tile.width; i++) {
                    int64_t e = n * TLOG_TILE_WIDTH + i;
                    tlog_bundle_append(&data, entries[e], entry_lens[e]);
                }
            } else {
                if (tlog_tile_hashes(size, &tile, &r, hashes))
                    die("tile hashes");
                sb_add(&data, hashes, (size_t)tile.width * TLOG_HASH_BYTES);
            }
            put_sb(path.buf, &data);
        }
    }
    sb_release(&path);
    sb_release(&data);
}

int
main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: tlog_fixture DIR [NUMBER]\n");
        return 2;
    }
    dir = argv[1];
    if (argc == 3)
        number = argv[2];
    if (sodium_init() < 0)
        die("sodium_init");
    if (mkdir(dir, 0755) && errno != EEXIST)
        die(dir);

    /* The entries, their leaf hashes, and every complete subtree's hash. */
    static char *entries[SIZE];
    static size_t entry_lens[SIZE];
    long long count = 0;
    struct strbuf sb;
    sb_init(&sb, NULL);
    for (int l = 0; l < LEVELS; l++)
        if (!(levels[l] = calloc((SIZE >> l) + 1, sizeof(struct tlog_hash))))
            die("calloc");
    for (int64_t i = 0; i < SIZE; i++) {
        entry(i, &sb, &count);
        entries[i] = strdup(sb.buf);
        entry_lens[i] = sb.len;
        tlog_leaf_hash(sb.buf, sb.len, &levels[0][i]);
    }
    for (int l = 1; l < LEVELS; l++)
        for (int64_t i = 0; i < (SIZE >> l); i++)
            tlog_node_hash(&levels[l - 1][2 * i], &levels[l - 1][2 * i + 1], &levels[l][i]);

    struct note_key key, other;
    if (note_key_generate(host, &key) || note_key_generate(host, &other))
        die("note_key_generate");
    sb_reset(&sb);
    note_key_verifier(&sb, &key);
    sb_addch(&sb, '\n');
    put_sb("log/key", &sb);

    struct tree t = {SIZE}, t_old = {OLD_SIZE};
    struct tlog_reader r = {tree_read, &t}, r_old = {tree_read, &t_old};
    struct tlog_hash root, old_root;
    if (tlog_tree_hash(SIZE, &r, &root) || tlog_tree_hash(OLD_SIZE, &r_old, &old_root))
        die("tlog_tree_hash");

    struct strbuf path;
    sb_init(&path, NULL);
    sb_addf(&path, "log/%s/checkpoint", number);
    sb_reset(&sb);
    signed_checkpoint(&sb, SIZE, &root, &key);
    put_sb(path.buf, &sb);
    sb_reset(&sb);
    signed_checkpoint(&sb, SIZE, &root, &other);
    put_sb("checkpoint-other-key", &sb);
    struct strbuf old_cp;
    sb_init(&old_cp, NULL);
    signed_checkpoint(&old_cp, OLD_SIZE, &old_root, &key);
    put_sb("checkpoint-700", &old_cp);
    /* Another tree of 700: the root of 699 entries, passed off as 700. */
    struct tree t_fork = {OLD_SIZE - 1};
    struct tlog_reader r_fork = {tree_read, &t_fork};
    struct tlog_hash fork_root;
    if (tlog_tree_hash(OLD_SIZE - 1, &r_fork, &fork_root))
        die("tlog_tree_hash");
    sb_reset(&sb);
    signed_checkpoint(&sb, OLD_SIZE, &fork_root, &key);
    put_sb("checkpoint-700-forked", &sb);

    put_tiles(OLD_SIZE, entries, entry_lens);
    put_tiles(SIZE, entries, entry_lens);

    /* Entry 5's receipt, on the checkpoint at 700. */
    uint8_t n5[32];
    nonce(RECEIPT_INDEX, n5);
    struct tlog_proof p = {.extra = n5,
                           .extra_len = sizeof(n5),
                           .index = RECEIPT_INDEX,
                           .checkpoint = old_cp.buf,
                           .checkpoint_len = old_cp.len};
    if (tlog_prove_record(OLD_SIZE, RECEIPT_INDEX, &r_old, p.hashes, &p.n))
        die("tlog_prove_record");
    sb_reset(&sb);
    tlog_proof_format(&sb, &p);
    put_sb("receipt-5.tlog-proof", &sb);

    /* Our consistency proof from 700 to 1,000. */
    struct tlog_hash proof[TLOG_MAX_PROOF];
    int np;
    if (tlog_prove_tree(SIZE, OLD_SIZE, &r, proof, &np))
        die("tlog_prove_tree");
    sb_reset(&sb);
    for (int i = 0; i < np; i++) {
        char b64[64];
        sodium_bin2base64(b64, sizeof(b64), proof[i].b, TLOG_HASH_BYTES,
                          sodium_base64_VARIANT_ORIGINAL);
        sb_addf(&sb, "%s\n", b64);
    }
    put_sb("proof-700-1000", &sb);

    sb_reset(&sb);
    sb_addf(&sb, "%lld\n", count);
    put_sb("count", &sb);

    printf("tlog_fixture: %s: log %s of %d entries, count %lld, key %s+%08x\n", dir, number, SIZE,
           count, key.name, (unsigned)key.id);
    sodium_memzero(&key, sizeof(key));
    sodium_memzero(&other, sizeof(other));
    for (int64_t i = 0; i < SIZE; i++)
        free(entries[i]);
    for (int l = 0; l < LEVELS; l++)
        free(levels[l]);
    sb_release(&sb);
    sb_release(&path);
    sb_release(&old_cp);
    return 0;
}
