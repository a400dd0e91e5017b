/*
 * mail.c: the PostgreSQL backend's mail (store/mail.h).  NOT WRITTEN YET:
 * an empty table, to be filled.
 */
#include "store/pg/pg.h"
#include "lib/banned.h"

const struct store_mail_ops pg_mail_ops = {0};
