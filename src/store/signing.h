/*
 * signing.h: the store's signatures, the counts they move, the Clerk's
 * review and search of them, and the allow and block lists.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_SIGNING_H
#define PETITIOND_STORE_SIGNING_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition.h"
#include "core/province.h"
#include "core/signature.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* Signatures the Clerk lists. */
struct signature_query {
    int64_t petition_id;
    bool has_review;
    enum signature_review review;
    int64_t after_id; /* ids above this (keyset paging); 0 = from the first */
    int limit;        /* at most 500 */
};

/* A petition's signature rows by state, for the Clerk's workspace. */
struct signature_stats {
    int64_t rows;
    int64_t pending; /* not confirmed, not invalidated */
    int64_t counted;
    int64_t suspect; /* held, confirmed or not */
    int64_t suspect_confirmed;
    int64_t invalidated;
    /* sharing their mailbox with another (signature_filter.same_mailbox) */
    int64_t same_mailbox;
};

/* A change of one petition's count in one region. */
struct count_delta {
    int64_t petition_id;
    enum region region;
    int delta;
};

/* Stored counts of a petition beside a recount of its rows. */
struct petition_recount {
    int64_t stored[REGION_COUNT]; /* petition_counts.count */
    int64_t base[REGION_COUNT];   /* imported, not backed by rows */
    int64_t rows[REGION_COUNT];   /* counted signature rows */
    int64_t stored_total;         /* petitions.signature_total */
};

/* An entry of the Clerk's allow and block lists (rulebook 11.8). */
struct signing_rule {
    int64_t id;
    bool block;        /* else allow */
    bool domain;       /* else network */
    const char *value; /* "203.0.113.0/24", "2001:db8::/32", "example.com" */
    const char *note;
    int64_t created_at;
    int64_t created_by;
};

/* An administrator's pause of signing in force: of one petition, or of
 * every petition when petition_id is 0 (issue 19, item 6). */
struct signing_pause {
    int64_t id;
    int64_t petition_id; /* 0: the whole site */
    long e_number;       /* the petition's (read only); 0 for the site */
    int64_t paused_at;
    int64_t paused_by; /* the administrator's account; 0 = none */
    const char *reason;
};

/* The Clerk's search of a petition's signatures (rulebook 11.7). */
struct signature_filter {
    int64_t petition_id;
    const char *domain;        /* e-mail domain, with its subdomains; NULL = any */
    const char *network;       /* "203.0.113.0/24" or one address; NULL = any */
    const char *postal_prefix; /* "K1A": upper case, no spaces (the caller
                                * normalizes it), matched against codes
                                * read without spaces in any case; NULL = any */
    int64_t from;              /* created at or after; 0 = any */
    int64_t to;                /* created before; 0 = any */
    bool has_review;
    enum signature_review review;
    bool pending; /* only unconfirmed ones */
    /* Only those that share their mailbox with another signature of the
     * petition, whatever the state of either: their keys differ only by
     * case (one keeps capitals), which is possible only for rows that
     * migration 0010 kept apart (core/email.h). */
    bool same_mailbox;
};

/*
 * Move a petition's count of a region and its total by delta, and the
 * day's change (store_petition_days) for the Eastern day of now, in the
 * transaction that adds, confirms or invalidates the signatures that move
 * them.  A count never goes below 0 (ERR_INVALID).
 */
int store_petition_count_add(struct store_txn *t, int64_t petition_id, enum region r, int delta,
                             int64_t now, struct err *e);

/* store_petition_count_add() for each of d[0..n) (a petition and region
 * at most once), all on the Eastern day of now, in one statement where
 * the engine can.  ERR_INVALID when a count would go below 0 (what was
 * written is then undefined until the caller rolls back). */
int store_petition_count_add_many(struct store_txn *t, const struct count_delta *d, int n,
                                  int64_t now, struct err *e);

/* The stored counts of a petition by region and its stored total, in one
 * snapshot: what pages show and counts in memory start from. */
int store_petition_counts_stored(struct store *s, struct store_txn *t, int64_t petition_id,
                                 int64_t stored[REGION_COUNT], int64_t *total, struct err *e);

/* The stored counts beside a recount of the counted signature rows and
 * the imported base, in one snapshot: what the reconciliation compares. */
int store_petition_recount(struct store *s, struct store_txn *t, int64_t petition_id,
                           struct petition_recount *out, struct err *e);

/* Set the stored counts to base + rows and the total to their sum. */
int store_petition_counts_fix(struct store_txn *t, int64_t petition_id,
                              const struct petition_recount *rc, struct err *e);

/* Insert a signature; r->id is filled in.  ERR_CONFLICT when the petition
 * has a signature with that e-mail key already. */
int store_signature_insert(struct store_txn *t, struct signature_record *r, struct err *e);

/*
 * Many signatures at once: what the intake writer (workflow/intake.h)
 * uses to write a batch with a few statements instead of a few per
 * signature.  Each behaves as the same single operation called for every
 * element in order, and may take one round trip to the database for all.
 * A write of many that fails leaves what it wrote undefined until the
 * caller rolls back to a savepoint taken before it (a single write would
 * have written nothing); the caller then writes the batch one by one.
 */

/* What the writer asks of a signature before writing it. */
struct signature_probe {
    int64_t petition_id;
    const char *email_key;
    const char *rate_key; /* NULL: no counts wanted (0 back) */
    int64_t since_burst, since_sustained;
    int64_t taken;            /* out: the petition's signature with email_key; 0 = none */
    int64_t burst, sustained; /* out: as store_signature_recent() */
};

/* Answer n probes in one read. */
int store_signature_probe(struct store *s, struct store_txn *t, struct signature_probe *p, int n,
                          struct err *e);

/* Insert n signatures whose keys are free (store_signature_probe() and
 * no two alike), each r[i].id filled in.  ERR_CONFLICT when a key was
 * taken after all. */
int store_signature_insert_many(struct store_txn *t, struct signature_record *r, int n,
                                struct err *e);

/* The signatures ids[0..n) in one read: out[i] and found[i] for ids[i]
 * (an id may come twice). */
int store_signature_get_many(struct store *s, struct store_txn *t, struct arena *a,
                             const int64_t *ids, int n, struct signature_record *out, bool *found,
                             struct err *e);

/* Confirm n pending signatures, ids[i] at at[i] (the ids distinct), each
 * with the index of its log entry log_index[i] (-1: none; log_index NULL:
 * none for any).  ERR_CONFLICT when one is gone or confirmed already. */
int store_signature_confirm_many(struct store_txn *t, const int64_t *ids, const int64_t *at,
                                 const int64_t *log_index, int n, struct err *e);

/* A signature by id; ERR_NOT_FOUND when none. */
int store_signature_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                        struct signature_record *out, struct err *e);

/* A petition's signature by e-mail key; ERR_NOT_FOUND when none. */
int store_signature_find(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                         const char *email_key, struct signature_record *out, struct err *e);

/* Write what may change of r (by r->id): confirmation, review, flag,
 * reviewer, note, mails.  A change of review is an audited record. */
int store_signature_update(struct store_txn *t, const struct signature_record *r, struct err *e);

/* How many signatures from rate_key on a petition were made at or after
 * since_burst (*burst) and at or after since_sustained (*sustained), in
 * one read. */
int store_signature_recent(struct store *s, struct store_txn *t, int64_t petition_id,
                           const char *rate_key, int64_t since_burst, int64_t since_sustained,
                           int64_t *burst, int64_t *sustained, struct err *e);

/* Up to q->limit signatures of q's petition with ids above q->after_id,
 * by id (keyset paging). */
int store_signature_list(struct store *s, struct store_txn *t, struct arena *a,
                         const struct signature_query *q, struct signature_record **out, int *n,
                         struct err *e);

/* A petition's signature rows counted by state, in one snapshot. */
int store_signature_stats(struct store *s, struct store_txn *t, int64_t petition_id,
                          struct signature_stats *out, struct err *e);

/* Up to limit signatures f matches with ids above after_id, by id; and
 * how many f matches in all (store_signature_search_count). */
int store_signature_search(struct store *s, struct store_txn *t, struct arena *a,
                           const struct signature_filter *f, int64_t after_id, int limit,
                           struct signature_record **out, int *n, struct err *e);

int store_signature_search_count(struct store *s, struct store_txn *t,
                                 const struct signature_filter *f, int64_t *n, struct err *e);

/* Add an entry to the allow and block lists (an audited record); r->id is
 * filled in.  ERR_CONFLICT when the same entry exists. */
int store_signing_rule_insert(struct store_txn *t, struct signing_rule *r, struct err *e);

/* Remove an entry (an audited record); ERR_NOT_FOUND when none. */
int store_signing_rule_delete(struct store_txn *t, int64_t id, struct err *e);

/* Every entry: allows before blocks, domains before networks, then by
 * value (an entry is unique). */
int store_signing_rule_list(struct store *s, struct store_txn *t, struct arena *a,
                            struct signing_rule **out, int *n, struct err *e);

/* Pause signing of p->petition_id, or of the whole site when it is 0 (an
 * audited record); p->id is filled in.  ERR_CONFLICT when that pause is
 * in force already.  store_petition_brief() says signing_paused from the
 * commit on. */
int store_signing_pause_insert(struct store_txn *t, struct signing_pause *p, struct err *e);

/* End the pause of petition_id, or the whole site's when it is 0 (an
 * audited record); ERR_NOT_FOUND when none is in force. */
int store_signing_pause_delete(struct store_txn *t, int64_t petition_id, struct err *e);

/* Every pause in force: the whole site's first, then by e-number. */
int store_signing_pause_list(struct store *s, struct store_txn *t, struct arena *a,
                             struct signing_pause **out, int *n, struct err *e);

#endif
