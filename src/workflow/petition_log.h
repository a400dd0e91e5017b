/*
 * petition_log.h: what a transaction adds to the public logs of the
 * petitions whose counts it moves (issue 18; core/petition_log.h says
 * what an entry is, store/log.h how a log is kept).
 *
 * Every use case that moves a count moves the log alike, in the same
 * transaction: a signature that starts to count gains a "sig" entry (its
 * index kept on the signature, for its receipt), one that stops a "void"
 * entry naming that index.  A petition's log is made the first time one
 * of its counts moves, or by the checkpointer (workflow/log_checkpoint.h),
 * with one "import" entry per region for the counts it had before.
 *
 * The entries wait in a struct log_txn until log_txn_flush() writes them
 * (the intake writer flushes once per batch, beside the counts).
 */
#ifndef PETITIOND_WORKFLOW_PETITION_LOG_H
#define PETITIOND_WORKFLOW_PETITION_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition_log.h"
#include "core/province.h"
#include "lib/token.h"

struct arena;
struct err;
struct flow;
struct signature_record;
struct store_txn;

/* One petition's log within a transaction. */
struct log_txn_log {
    int64_t petition_id;
    int64_t size;         /* as stored when the transaction first touched it */
    int64_t next;         /* the index the next entry gets */
    int64_t weight;       /* what the waiting entries move the attested count by */
    const char **entries; /* next - size of them */
    int cap;
};

struct log_txn {
    struct arena *a;
    struct log_txn_log *logs;
    int nlogs, cap;
    /* Between log_txn_job_begin() and _end(): the logs as they were. */
    struct log_txn_log *mark;
    int nmark;
};

void log_txn_init(struct log_txn *lt, struct arena *a);

/* The nonce of signature g's commitment: a MAC of its id and e-mail key
 * under the site's link key, so nothing secret is stored, its receipt can
 * be made again, and two signatures never share one (not even under the
 * same id, in a database restored from a backup). */
void log_nonce(const struct flow *f, const struct signature_record *g,
               uint8_t out[PETITION_LOG_NONCE_BYTES]);

/* The token of signature_id's receipt link, and the link's path
 * ("/receipts/12/TOKEN.tlog-proof", in a): a MAC under the link key, so
 * only the signer, who was given it, can fetch the receipt. */
void log_receipt_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1]);
const char *log_receipt_path(const struct flow *f, struct arena *a, int64_t signature_id);

/* Signature g (of petition g->petition_id) starts to count at now: its
 * "sig" entry waits in lt, and g->logged, g->log_index say where it will
 * be (for the caller to store with the signature). */
int log_txn_sig(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
                struct signature_record *g, int64_t now, struct err *e);

/* Signature g stops counting: "void <its index> reason", or, for one
 * counted before the log existed, "import <region> -1"; g->logged is
 * cleared. */
int log_txn_void(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
                 struct signature_record *g, const char *reason, struct err *e);

/* A change of n in region's count with no signature of its own (the
 * reconciliation's correction): "import <region> <n>". */
int log_txn_import(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
                   int64_t petition_id, enum region region, int64_t n, struct err *e);

/* Make petition_id's log if it has none (its imports wait in lt). */
int log_txn_open(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
                 int64_t petition_id, struct err *e);

/* A job of a batch, under a savepoint of its own (workflow/signing.h):
 * what it adds is dropped with it when end's keep is false. */
void log_txn_job_begin(struct log_txn *lt);
void log_txn_job_end(struct log_txn *lt, bool keep);

/* Write what waits in lt, in tx; lt is empty after. */
int log_txn_flush(struct store_txn *tx, struct log_txn *lt, struct err *e);

#endif
