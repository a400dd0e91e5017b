/*
 * retention.c: the wrappers of store/retention.h, the only callers of a
 * backend's retention table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_retention_due(struct store *s, struct store_txn *t, struct arena *a, int64_t before,
                    struct retention_item **out, int *n, struct err *e)
{
    STORE_READ(s, t, retention, retention_due, a, before, out, n, e);
}

int
store_retention_erase(struct store_txn *t, const struct retention_item *it, int64_t now,
                      struct err *e)
{
    STORE_WRITE(t, retention, retention_erase, it, now, e);
}

int
store_retention_prune_mail(struct store_txn *t, int64_t before, int64_t *n, struct err *e)
{
    STORE_WRITE(t, retention, retention_prune_mail, before, n, e);
}

int
store_retention_prune_forms(struct store_txn *t, int64_t now, int64_t *n, struct err *e)
{
    STORE_WRITE(t, retention, retention_prune_forms, now, n, e);
}
