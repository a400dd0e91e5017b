/*
 * copy.h: copying a whole site from one store into another (petitiond
 * copy: a live SQLite site onto PostgreSQL).
 *
 * Not part of store.h's everyday contract: an operator's tool, run once
 * when a site moves.  Every table of the site travels, row for row with
 * its ids (the audit log, the outbox and mail in progress included), in
 * one transaction of the target, so a copy that fails leaves the target
 * as it was; the target's id sequences are then set past the copied ids.
 * The source is read in one snapshot, so a site may go on serving while
 * it is copied (what it takes after that snapshot is not copied).
 */
#ifndef PETITIOND_STORE_COPY_H
#define PETITIOND_STORE_COPY_H

#include <stdint.h>

struct err;
struct store;

/* Where a copy is, for a progress line. */
struct store_copy_progress {
    const char *table;
    int64_t table_done, table_rows; /* rows of this table */
    int64_t done, rows;             /* rows of every table */
};

typedef void (*store_copy_progress_fn)(void *arg, const struct store_copy_progress *p);

/* What a copy did, each table's rows counted again on both sides after it
 * committed. */
struct store_copy_result {
    int tables;
    int64_t rows;
};

/*
 * Copy every table of from into to, which must hold no site yet (no
 * petition, user, draft or signature: a database just migrated), both at
 * this binary's newest schema.  progress (NULL for none) is called as
 * rows go, at most every 10,000 rows and after each table.  Errors:
 * ERR_CONFLICT when to already holds a site; ERR_INVALID when the pair of
 * backends cannot be copied (say, into SQLite); ERR_STORE when a table's
 * rows differ in number after the copy, or the database failed.
 */
int store_copy(struct store *from, struct store *to, store_copy_progress_fn progress, void *arg,
               struct store_copy_result *out, struct err *e);

#endif
