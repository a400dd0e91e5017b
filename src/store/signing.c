/*
 * signing.c: the wrappers of store/signing.h, the only callers of a
 * backend's signing table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_petition_count_add(struct store_txn *t, int64_t petition_id, enum region r, int delta,
                         int64_t now, struct err *e)
{
    STORE_WRITE(t, signing, petition_count_add, petition_id, r, delta, now, e);
}

int
store_petition_count_add_many(struct store_txn *t, const struct count_delta *d, int n, int64_t now,
                              struct err *e)
{
    if (n <= 0)
        return 0;
    STORE_WRITE(t, signing, petition_count_add_many, d, n, now, e);
}

int
store_petition_counts_stored(struct store *s, struct store_txn *t, int64_t petition_id,
                             int64_t stored[REGION_COUNT], int64_t *total, struct err *e)
{
    STORE_READ(s, t, signing, petition_counts_stored, petition_id, stored, total, e);
}

int
store_petition_recount(struct store *s, struct store_txn *t, int64_t petition_id,
                       struct petition_recount *out, struct err *e)
{
    STORE_READ(s, t, signing, petition_recount, petition_id, out, e);
}

int
store_petition_counts_fix(struct store_txn *t, int64_t petition_id,
                          const struct petition_recount *rc, struct err *e)
{
    STORE_WRITE(t, signing, petition_counts_fix, petition_id, rc, e);
}

int
store_signature_insert(struct store_txn *t, struct signature_record *r, struct err *e)
{
    STORE_WRITE(t, signing, signature_insert, r, e);
}

int
store_signature_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                    struct signature_record *out, struct err *e)
{
    STORE_READ(s, t, signing, signature_get, a, id, out, e);
}

int
store_signature_find(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                     const char *email_key, struct signature_record *out, struct err *e)
{
    STORE_READ(s, t, signing, signature_find, a, petition_id, email_key, out, e);
}

int
store_signature_update(struct store_txn *t, const struct signature_record *r, struct err *e)
{
    STORE_WRITE(t, signing, signature_update, r, e);
}

int
store_signature_recent(struct store *s, struct store_txn *t, int64_t petition_id,
                       const char *rate_key, int64_t since_burst, int64_t since_sustained,
                       int64_t *burst, int64_t *sustained, struct err *e)
{
    STORE_READ(s, t, signing, signature_recent, petition_id, rate_key, since_burst, since_sustained,
               burst, sustained, e);
}

int
store_signature_probe(struct store *s, struct store_txn *t, struct signature_probe *p, int n,
                      struct err *e)
{
    if (n <= 0)
        return 0;
    STORE_READ(s, t, signing, signature_probe, p, n, e);
}

int
store_signature_insert_many(struct store_txn *t, struct signature_record *r, int n, struct err *e)
{
    if (n <= 0)
        return 0;
    STORE_WRITE(t, signing, signature_insert_many, r, n, e);
}

int
store_signature_get_many(struct store *s, struct store_txn *t, struct arena *a, const int64_t *ids,
                         int n, struct signature_record *out, bool *found, struct err *e)
{
    if (n <= 0)
        return 0;
    STORE_READ(s, t, signing, signature_get_many, a, ids, n, out, found, e);
}

int
store_signature_confirm_many(struct store_txn *t, const int64_t *ids, const int64_t *at,
                             const int64_t *log_index, int n, struct err *e)
{
    if (n <= 0)
        return 0;
    STORE_WRITE(t, signing, signature_confirm_many, ids, at, log_index, n, e);
}

int
store_signature_list(struct store *s, struct store_txn *t, struct arena *a,
                     const struct signature_query *q, struct signature_record **out, int *n,
                     struct err *e)
{
    STORE_READ(s, t, signing, signature_list, a, q, out, n, e);
}

int
store_signature_stats(struct store *s, struct store_txn *t, int64_t petition_id,
                      struct signature_stats *out, struct err *e)
{
    STORE_READ(s, t, signing, signature_stats, petition_id, out, e);
}

int
store_signature_search(struct store *s, struct store_txn *t, struct arena *a,
                       const struct signature_filter *f, int64_t after_id, int limit,
                       struct signature_record **out, int *n, struct err *e)
{
    STORE_READ(s, t, signing, signature_search, a, f, after_id, limit, out, n, e);
}

int
store_signature_search_count(struct store *s, struct store_txn *t, const struct signature_filter *f,
                             int64_t *n, struct err *e)
{
    STORE_READ(s, t, signing, signature_search_count, f, n, e);
}

int
store_signing_rule_insert(struct store_txn *t, struct signing_rule *r, struct err *e)
{
    STORE_WRITE(t, signing, signing_rule_insert, r, e);
}

int
store_signing_rule_delete(struct store_txn *t, int64_t id, struct err *e)
{
    STORE_WRITE(t, signing, signing_rule_delete, id, e);
}

int
store_signing_rule_list(struct store *s, struct store_txn *t, struct arena *a,
                        struct signing_rule **out, int *n, struct err *e)
{
    STORE_READ(s, t, signing, signing_rule_list, a, out, n, e);
}

int
store_signing_pause_insert(struct store_txn *t, struct signing_pause *p, struct err *e)
{
    STORE_WRITE(t, signing, signing_pause_insert, p, e);
}

int
store_signing_pause_delete(struct store_txn *t, int64_t petition_id, struct err *e)
{
    STORE_WRITE(t, signing, signing_pause_delete, petition_id, e);
}

int
store_signing_pause_list(struct store *s, struct store_txn *t, struct arena *a,
                         struct signing_pause **out, int *n, struct err *e)
{
    STORE_READ(s, t, signing, signing_pause_list, a, out, n, e);
}
