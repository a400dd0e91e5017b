/*
 * search.c: the wrappers of store/search.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_petition_list(struct store *s, struct store_txn *t, struct arena *a,
                    const struct petition_query *q, struct petition_list *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_list(s, a, q, out, e);
}

int
store_petition_numbers(struct store *s, struct store_txn *t, struct arena *a,
                       const struct petition_query *q, struct petition_number **out, int *n,
                       struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_numbers(s, a, q, out, n, e);
}

int
store_petition_state_counts(struct store *s, struct store_txn *t,
                            int64_t counts[PETITION_STATE_COUNT], struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_state_counts(s, counts, e);
}

int
store_petition_feed(struct store *s, struct store_txn *t, struct arena *a,
                    const struct feed_query *q, struct petition_list *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_feed(s, a, q, out, e);
}
