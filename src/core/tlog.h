/*
 * tlog.h: the arithmetic of a transparency log (issue 18): an append-only
 * Merkle tree with RFC 6962 hashing, the C2SP tlog-tiles layout it is
 * served in, inclusion and consistency proofs, and the C2SP tlog-proof
 * file a signer keeps as a receipt.
 *
 * Hashing (RFC 6962, section 2.1): a leaf's hash is SHA-256(0x00 ‖
 * entry), an inner node's SHA-256(0x01 ‖ left ‖ right); a tree of n
 * leaves splits at the largest power of two below n.
 *
 * Hashes are named as Go's golang.org/x/mod/sumdb/tlog names them: the
 * hash at (level L, index i) is the root of the complete subtree of the
 * 2^L leaves i·2^L .. (i+1)·2^L − 1 (level 0: the leaves' hashes).  The
 * tree's root and every proof are made of such complete subtrees, so the
 * functions here read hashes through a reader the caller provides (the
 * store keeps some levels, computes the others from the entries), and
 * reading O(log n) of them makes a root or a proof.
 *
 * Tiles (C2SP tlog-tiles, height 8): the tile (L, N) holds the hashes at
 * tree level 8·L with indexes N·256 .. N·256 + W − 1, W = 256 for a full
 * tile, 1..255 for the partial tile at the right edge of a tree.  Entry
 * bundles are the same for the entries: "entries/N" holds the entries
 * N·256 .. N·256 + W − 1, each a big-endian uint16 length and the bytes.
 *
 * Pure: no I/O; SHA-256 from libsodium.
 */
#ifndef PETITIOND_TLOG_H
#define PETITIOND_TLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum {
    TLOG_HASH_BYTES = 32,
    TLOG_TILE_HEIGHT = 8,
    TLOG_TILE_WIDTH = 256,
    /* Hashes in any proof of a tree below 2^63 leaves: 63 in an
     * inclusion proof, 64 in a consistency proof (from 2^62 + 1 leaves). */
    TLOG_MAX_PROOF = 64,
    TLOG_ENTRY_MAX = 65535,
};

struct tlog_hash {
    uint8_t b[TLOG_HASH_BYTES];
};

/* RFC 6962 leaf and node hashes. */
void tlog_leaf_hash(const void *entry, size_t len, struct tlog_hash *out);
void tlog_node_hash(const struct tlog_hash *left, const struct tlog_hash *right,
                    struct tlog_hash *out);

/* The root of the empty tree: SHA-256 of nothing (RFC 6962). */
void tlog_empty_hash(struct tlog_hash *out);

/*
 * The caller's hashes: read(ctx, level, index, out) sets *out to the hash
 * at (level, index), a complete subtree inside the tree being read, and
 * returns 0, or an error code (non-zero) that the functions below return
 * as it is.
 */
struct tlog_reader {
    int (*read)(void *ctx, int level, int64_t index, struct tlog_hash *out);
    void *ctx;
};

/* The root hash of the tree of the first size leaves (size ≥ 0). */
int tlog_tree_hash(int64_t size, const struct tlog_reader *r, struct tlog_hash *out);

/* The inclusion proof of leaf index in the tree of size leaves (0 ≤ index
 * < size): the hashes from the leaf's sibling up to the root's child, in
 * proof[0..*n) (RFC 6962, 2.1.1).  Returns 0, a reader's error, or -1 for
 * an index out of range. */
int tlog_prove_record(int64_t size, int64_t index, const struct tlog_reader *r,
                      struct tlog_hash proof[TLOG_MAX_PROOF], int *n);

/* The consistency proof from the tree of old leaves to the tree of size
 * (0 < old ≤ size), RFC 6962 2.1.2, in proof[0..*n).  Returns 0, a
 * reader's error, or -1 for sizes out of range.  old = size gives an
 * empty proof. */
int tlog_prove_tree(int64_t size, int64_t old, const struct tlog_reader *r,
                    struct tlog_hash proof[TLOG_MAX_PROOF], int *n);

/* Whether proof[0..n) proves that leaf is the leaf index of the tree of
 * size leaves whose root is root (RFC 9162 2.1.3.2). */
bool tlog_check_record(const struct tlog_hash *proof, int n, int64_t size,
                       const struct tlog_hash *root, int64_t index, const struct tlog_hash *leaf);

/* Whether proof[0..n) proves that the tree (old, old_root) is a prefix of
 * the tree (size, root) (RFC 9162 2.1.4.2).  old = size: n must be 0 and
 * the roots equal; old < 1 or old > size: false. */
bool tlog_check_tree(const struct tlog_hash *proof, int n, int64_t size,
                     const struct tlog_hash *root, int64_t old, const struct tlog_hash *old_root);

/* ---- tiles ------------------------------------------------------------------------------- */

struct tlog_tile {
    int level;     /* 0..; -1 for an entry bundle ("entries/N") */
    int64_t index; /* N */
    int width;     /* 1..256; 256 is a full tile */
};

/*
 * Parse a tile's path after "tile/": "L/N" or "L/N.p/W", "entries/N" or
 * "entries/N.p/W", with N in C2SP's form: groups of three digits, every
 * group but the last prefixed "x" ("x001/x234/067" for 1234067; "000" for
 * 0; a value below 1000 is one group).  Only the canonical form is
 * accepted: no other leading zeros, no empty group, W of 1..255 (a full
 * tile has no ".p/"), L of 0..63.  Returns 0 or -1 (the caller answers
 * 404).
 */
int tlog_tile_parse(const char *path, size_t len, struct tlog_tile *out);

/* Append the path of t after "tile/", canonical as above. */
void tlog_tile_format(struct strbuf *out, const struct tlog_tile *t);

/* Whether tile t exists in a tree of size leaves: its hashes (or
 * entries) all lie inside the tree, and a partial tile is exactly the
 * tree's right edge at its level (C2SP: a partial tile of width W is
 * served only while the tree has that many, and a client asks for the
 * full tile once it exists; this server answers both the full tile and
 * every partial width the tree has passed, as the spec allows, so
 * "exists" means W ≤ what the tree has at that position). */
bool tlog_tile_exists(int64_t size, const struct tlog_tile *t);

/* The hashes of hash tile t (level ≥ 0) of a tree of size leaves, in
 * out[0..t->width), read through r.  Returns 0, a reader's error, or -1
 * when the tile does not exist. */
int tlog_tile_hashes(int64_t size, const struct tlog_tile *t, const struct tlog_reader *r,
                     struct tlog_hash *out);

/* Append one entry to a bundle: its length as a big-endian uint16, then
 * the bytes (len ≤ TLOG_ENTRY_MAX). */
void tlog_bundle_append(struct strbuf *out, const void *entry, size_t len);

/* The entries of a bundle: calls each(ctx, i, entry, len) for every one,
 * in order, once the whole bundle is known to be well-formed (each may be
 * NULL: only count).  Returns the number of entries (0 for no bytes), or
 * -1, each never called, when the bytes are not a well-formed bundle (a
 * length cut short or running past the end). */
int tlog_bundle_each(const void *bundle, size_t len,
                     void (*each)(void *ctx, int i, const char *entry, size_t len), void *ctx);

/* ---- receipts (C2SP tlog-proof) ------------------------------------------------------------ */

struct tlog_proof {
    const uint8_t *extra; /* NULL: no extra line */
    size_t extra_len;
    int64_t index;
    struct tlog_hash hashes[TLOG_MAX_PROOF];
    int n;
    const char *checkpoint; /* the signed note, verbatim, ending in '\n' */
    size_t checkpoint_len;
};

/* Append the tlog-proof file: "c2sp.org/tlog-proof@v1", "extra <base64>"
 * when p->extra and p->extra_len > 0 (an empty extra is no line), "index
 * N", one base64 hash per line, a blank line, the checkpoint. */
void tlog_proof_format(struct strbuf *out, const struct tlog_proof *p);

/* Parse a tlog-proof file of len bytes (strictly: the lines above, the
 * base64 standard with padding and canonical, a decimal index without
 * leading zeros, at most TLOG_MAX_PROOF hashes, a non-empty checkpoint
 * ending in '\n', whose signature the caller checks with note_verify()).
 * out->checkpoint points into text, out->extra into extra, where the
 * decoded extra is written (at most extra_cap bytes: a longer one, or an
 * extra line when extra is NULL, is refused).  Returns 0 or -1. */
int tlog_proof_parse(const char *text, size_t len, uint8_t *extra, size_t extra_cap,
                     struct tlog_proof *out);

#endif
