/*
 * meta.c: the wrappers of store/meta.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_meta_get(struct store *s, struct store_txn *t, struct arena *a, const char *key,
               const char **value, struct err *e)
{
    store_read_check(s, t);
    return s->ops->meta_get(s, a, key, value, e);
}

int
store_meta_set(struct store_txn *t, const char *key, const char *value, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->meta_set(s, key, value, e);
}
