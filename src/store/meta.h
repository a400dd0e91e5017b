/*
 * meta.h: the store's small named settings of the site (its link key, the
 * demo mark, the last job reports), and what the nodes sharing one
 * database share beside the data: the leases of the jobs that run on one
 * node at a time, and the change version their cached pages follow.
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

/*
 * Take or renew the lease called name for holder until `until` (UTC
 * seconds), in one statement: *held is true when the lease was free (no
 * row), expired (its expiry at or before now), or already holder's; else
 * another holder has it and nothing changes.  Two transactions taking the
 * same lease at once: one holds it, the other waits for it and then sees
 * it held (both engines lock the row).
 */
int store_lease_take(struct store_txn *t, const char *name, const char *holder, int64_t now,
                     int64_t until, bool *held, struct err *e);

/* Give up the lease if holder holds it (it expires at once); nothing
 * when another holds it. */
int store_lease_release(struct store_txn *t, const char *name, const char *holder, struct err *e);

/* Who holds (or last held) the lease, and until when; *holder NULL and
 * *until 0 when it was never taken. */
int store_lease_get(struct store *s, struct store_txn *t, struct arena *a, const char *name,
                    const char **holder, int64_t *until, struct err *e);

/* Move the change version by one (in the transaction of the change). */
int store_change_bump(struct store_txn *t, struct err *e);

/* The change version: it only grows, and moves with every change that
 * store_change_bump() marks, once its transaction commits. */
int store_change_version(struct store *s, struct store_txn *t, int64_t *version, struct err *e);

#endif
