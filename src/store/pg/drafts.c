/*
 * drafts.c: the PostgreSQL backend's drafts (store/drafts.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_drafts_ops pg_drafts_ops = {0};
