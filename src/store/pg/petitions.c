/*
 * petitions.c: the PostgreSQL backend's petitions (store/petitions.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_petitions_ops pg_petitions_ops = {0};
