/*
 * retention.c: the wrappers of store/retention.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_retention_due(struct store *s, struct store_txn *t, struct arena *a, int64_t before,
                    struct retention_item **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->retention_due(s, a, before, out, n, e);
}

int
store_retention_erase(struct store_txn *t, const struct retention_item *it, int64_t now,
                      struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->retention_erase(s, it, now, e);
}

int
store_retention_prune_mail(struct store_txn *t, int64_t before, int64_t *n, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->retention_prune_mail(s, before, n, e);
}
