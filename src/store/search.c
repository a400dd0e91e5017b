/*
 * search.c: the wrappers of store/search.h, the only callers of a
 * backend's search table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_petition_list(struct store *s, struct store_txn *t, struct arena *a,
                    const struct petition_query *q, struct petition_list *out, struct err *e)
{
    STORE_READ(s, t, search, petition_list, a, q, out, e);
}

int
store_petition_numbers(struct store *s, struct store_txn *t, struct arena *a,
                       const struct petition_query *q, struct petition_number **out, int *n,
                       struct err *e)
{
    STORE_READ(s, t, search, petition_numbers, a, q, out, n, e);
}

int
store_petition_state_counts(struct store *s, struct store_txn *t,
                            int64_t counts[PETITION_STATE_COUNT], struct err *e)
{
    STORE_READ(s, t, search, petition_state_counts, counts, e);
}

int
store_petition_feed(struct store *s, struct store_txn *t, struct arena *a,
                    const struct feed_query *q, struct petition_list *out, struct err *e)
{
    STORE_READ(s, t, search, petition_feed, a, q, out, e);
}
