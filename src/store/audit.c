/*
 * audit.c: the wrappers of store/audit.h, the only callers of a
 * backend's audit table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_audit_append(struct store_txn *t, struct audit_entry *a, struct err *e)
{
    STORE_WRITE(t, audit, audit_append, a, e);
}

int
store_audit_list(struct store *s, struct store_txn *t, struct arena *a, const struct audit_query *q,
                 struct audit_entry **out, int *n, struct err *e)
{
    STORE_READ(s, t, audit, audit_list, a, q, out, n, e);
}
