/*
 * house.c: the PostgreSQL backend's house (store/house.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_house_ops pg_house_ops = {0};
