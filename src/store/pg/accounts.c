/*
 * accounts.c: the PostgreSQL backend's accounts (store/accounts.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_accounts_ops pg_accounts_ops = {0};
