/*
 * log.h: the store's part of each e-petition's public log (issue 18):
 * its entries (256 to a bundle, kept 8 to a row), the tree's hashes at level 8 and above,
 * and its signed checkpoints (sql/{sqlite,postgresql}/0012_log.sql).
 *
 * The tree arithmetic is core/tlog.h's and the entries core/
 * petition_log.h's; here they are kept.  store_log_append() writes the
 * hash of every subtree of 256 leaves or more that its entries complete,
 * so a root or a proof reads O(log n) stored hashes and one bundle
 * (store_log_reader_init()).
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_LOG_H
#define PETITIOND_STORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tlog.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* A petition's log as it stands. */
struct log_head {
    int64_t petition_id;
    int64_t size;     /* entries */
    int64_t attested; /* the count its entries attest */
    /* Whether the petition was certified with this log, and the log's
     * size then: the certified count stands on the checkpoint at that
     * size (store_log_checkpoint_at()). */
    bool certified;
    int64_t certified_size;
};

/* A signed checkpoint. */
struct log_checkpoint {
    int64_t petition_id;
    int64_t size;
    int64_t attested; /* the count at that size */
    struct tlog_hash root;
    const char *note; /* the signed note, verbatim, as served */
    int64_t signed_at;
};

/* A petition's log; ERR_NOT_FOUND when it has none yet. */
int store_log_head(struct store *s, struct store_txn *t, int64_t petition_id, struct log_head *out,
                   struct err *e);

/*
 * Append entries[0..n) (each without its newline) to petition_id's log at
 * index first, which must be its size (0 makes the log, empty when n is
 * 0), and move the
 * count it attests by weight.  ERR_CONFLICT when first is not the size.
 * Writes the hashes of the subtrees the entries complete.  An append
 * that fails leaves what it wrote undefined until the caller rolls back
 * (the writer then rolls back the whole transaction).
 */
int store_log_append(struct store_txn *t, int64_t petition_id, int64_t first,
                     const char *const *entries, int n, int64_t weight, struct err *e);

/* Bundle n of petition_id's log: its entries as stored, each ending in
 * '\n', in *text (*len bytes); ERR_NOT_FOUND when none. */
int store_log_bundle(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                     int64_t n, const char **text, size_t *len, struct err *e);

/* The stored hash at (level ≥ 8, index); ERR_NOT_FOUND when none. */
int store_log_hash(struct store *s, struct store_txn *t, int64_t petition_id, int level,
                   int64_t index, struct tlog_hash *out, struct err *e);

/*
 * A reader of petition_id's tree (core/tlog.h) through the store: a hash
 * at level 8 or above as stored, one below computed from its bundle's
 * entries (the last bundle read is kept).  Its errors are the store's,
 * with *e set.  Valid while s, t and a are.
 */
struct store_log_reader {
    struct tlog_reader r;
    struct store *s;
    struct store_txn *t;
    struct arena *a;
    int64_t petition_id;
    struct err *e;
    int64_t bundle;         /* the bundle whose leaves are kept; -1: none */
    int leaves;             /* how many */
    struct tlog_hash *leaf; /* [TLOG_TILE_WIDTH] */
};

void store_log_reader_init(struct store_log_reader *lr, struct store *s, struct store_txn *t,
                           struct arena *a, int64_t petition_id, struct err *e);

/* Store a checkpoint; ERR_CONFLICT when the log has one at that size. */
int store_log_checkpoint_insert(struct store_txn *t, const struct log_checkpoint *c, struct err *e);

/* The checkpoint of petition_id's log at the greatest size;
 * ERR_NOT_FOUND when none. */
int store_log_checkpoint_latest(struct store *s, struct store_txn *t, struct arena *a,
                                int64_t petition_id, struct log_checkpoint *out, struct err *e);

/* The checkpoint of petition_id's log at exactly size; ERR_NOT_FOUND
 * when none (not signed yet, or never at that size). */
int store_log_checkpoint_at(struct store *s, struct store_txn *t, struct arena *a,
                            int64_t petition_id, int64_t size, struct log_checkpoint *out,
                            struct err *e);

/* Record that petition_id was certified when its log had size entries
 * (its certified_size, set once: the database refuses to change it
 * after); ERR_NOT_FOUND when it has no log. */
int store_log_certify(struct store_txn *t, int64_t petition_id, int64_t size, struct err *e);

/* The logs that have grown past their latest checkpoint (or have none),
 * by petition id, up to limit. */
int store_log_unsigned(struct store *s, struct store_txn *t, struct arena *a, int limit,
                       struct log_head **out, int *n, struct err *e);

/* E-petitions opened for signature that have no log yet, by id, up to
 * limit. */
int store_log_missing(struct store *s, struct store_txn *t, struct arena *a, int limit,
                      int64_t **ids, int *n, struct err *e);

#endif
