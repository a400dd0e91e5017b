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

int
store_lease_take(struct store_txn *t, const char *name, const char *holder, int64_t now,
                 int64_t until, bool *held, struct err *e)
{
    STORE_WRITE(t, meta, lease_take, name, holder, now, until, held, e);
}

int
store_lease_release(struct store_txn *t, const char *name, const char *holder, struct err *e)
{
    STORE_WRITE(t, meta, lease_release, name, holder, e);
}

int
store_lease_get(struct store *s, struct store_txn *t, struct arena *a, const char *name,
                const char **holder, int64_t *until, struct err *e)
{
    STORE_READ(s, t, meta, lease_get, a, name, holder, until, e);
}

int
store_change_bump(struct store_txn *t, struct err *e)
{
    STORE_WRITE(t, meta, change_bump, e);
}

int
store_change_version(struct store *s, struct store_txn *t, int64_t *version, struct err *e)
{
    STORE_READ(s, t, meta, change_version, version, e);
}
