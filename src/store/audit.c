/*
 * audit.c: the wrappers of store/audit.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_audit_append(struct store_txn *t, struct audit_entry *a, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->audit_append(s, a, e);
}

int
store_audit_list(struct store *s, struct store_txn *t, struct arena *a, const struct audit_query *q,
                 struct audit_entry **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->audit_list(s, a, q, out, n, e);
}
