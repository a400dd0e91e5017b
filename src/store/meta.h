/*
 * meta.h: the store's small named settings of the site (its link key, the
 * demo mark, the last job reports).
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_META_H
#define PETITIOND_STORE_META_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct store;
struct store_txn;

/* A named setting ("link_key", "demo_loaded", ...); *value is NULL when
 * unset. */
int store_meta_get(struct store *s, struct store_txn *t, struct arena *a, const char *key,
                   const char **value, struct err *e);

/* Set a named setting, replacing its value. */
int store_meta_set(struct store_txn *t, const char *key, const char *value, struct err *e);

#endif
