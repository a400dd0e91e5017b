/*
 * meta.c: the wrappers of store/meta.h, the only callers of a
 * backend's meta table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_meta_get(struct store *s, struct store_txn *t, struct arena *a, const char *key,
               const char **value, struct err *e)
{
    STORE_READ(s, t, meta, meta_get, a, key, value, e);
}

int
store_meta_set(struct store_txn *t, const char *key, const char *value, struct err *e)
{
    STORE_WRITE(t, meta, meta_set, key, value, e);
}
