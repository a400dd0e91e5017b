/*
 * store_internal.h: what the wrappers of store.h share, and nothing else
 * includes.
 *
 * XXX issue 15, in progress: the wrappers call the backend's old single
 * table (store_ops_old.h) until it is split into per-area tables.
 */
#ifndef PETITIOND_STORE_INTERNAL_H
#define PETITIOND_STORE_INTERNAL_H

#include "store/store.h"
#include "store/store_ops_old.h"

/* A read's transaction: t (held by this thread, of s) or NULL when the
 * thread holds none on s; anything else is a bug and aborts. */
void store_read_check(struct store *s, struct store_txn *t);

/* The store of a write's transaction, which this thread must hold. */
struct store *store_write_check(struct store_txn *t);

#endif
