/*
 * meta.c: the PostgreSQL backend's meta (store/meta.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_meta_ops pg_meta_ops = {0};
