/*
 * audit.c: the PostgreSQL backend's audit (store/audit.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_audit_ops pg_audit_ops = {0};
