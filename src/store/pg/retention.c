/*
 * retention.c: the PostgreSQL backend's retention (store/retention.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_retention_ops pg_retention_ops = {0};
