/*
 * search.c: the PostgreSQL backend's search (store/search.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_search_ops pg_search_ops = {0};
