/*
 * signing.c: the PostgreSQL backend's signing (store/signing.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_signing_ops pg_signing_ops = {0};
