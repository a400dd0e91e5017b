/*
 * audit.h: the store's the append-only log of staff actions, and the guard
 * that refuses a staff write without its record.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_AUDIT_H
#define PETITIOND_STORE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct store;
struct store_txn;

/* One staff action (or petitiond's own, user_id 0, role "system"). */
struct audit_entry {
    int64_t id;
    int64_t at;
    int64_t user_id;
    const char *role;     /* "clerk", "admin", "responder", "member", "system" */
    const char *action;   /* "signature.invalidate", "petition.present", ... */
    int64_t petition_id;  /* 0 = none */
    const char *target;   /* "e-6512", "user 12", "45-1"; "" when none */
    const char *reason;   /* "" when none */
    const char *details;  /* a JSON object; NULL = "{}" */
    const char *user_email; /* read back: the actor's address, or NULL */
};

struct audit_query {
    int64_t petition_id;  /* 0 = any */
    int64_t user_id;      /* 0 = any */
    const char *action;   /* NULL = any; a prefix ending in '.' matches a family */
    int64_t before_id;    /* ids below this (newest first paging); 0 = from the newest */
    int limit;            /* at most 500 */
};

/*
 * Append a record of a staff action to t; a->id is filled in.  THE AUDIT
 * GUARD: in a transaction, a write that records a staff decision (each
 * function's comment says "an audited record") is refused with
 * ERR_UNAUDITED unless the transaction appended an audit record before
 * it; so a use case that forgets its record writes nothing.  The log is
 * append-only: no backend lets a record be changed or deleted, even by a
 * bare SQL session as the application's database user.
 */
int store_audit_append(struct store_txn *t, struct audit_entry *a, struct err *e);

/* The records q matches, newest first (by id), at most q->limit. */
int store_audit_list(struct store *s, struct store_txn *t, struct arena *a,
                     const struct audit_query *q, struct audit_entry **out, int *n, struct err *e);

#endif
