/*
 * retention.h: the store's the erasure of personal data once its time is
 * over (rulebook 11.14).
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_RETENTION_H
#define PETITIOND_STORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* A petition (or an unpublished draft) whose people's data is due for
 * erasure, with what would be erased. */
struct retention_item {
    int64_t petition_id; /* 0 for a draft never published */
    int64_t draft_id;    /* 0 for an imported petition */
    const char *label;   /* "e-6512", or "draft 12" */
    enum petition_state state;
    int64_t final_at;
    int64_t signatures; /* rows whose personal columns would be blanked */
    int64_t supporters;
};

/* Petitions and never-published drafts in a final state since `before` or
 * earlier, not yet erased: the oldest final state first, then drafts
 * before petitions, then by id. */
int store_retention_due(struct store *s, struct store_txn *t, struct arena *a, int64_t before,
                        struct retention_item **out, int *n, struct err *e);

/* Blank the personal data of its signatures and supporters and mark it
 * erased at now; counts are kept.  ERR_CONFLICT when it was erased
 * already (by another run). */
int store_retention_erase(struct store_txn *t, const struct retention_item *it, int64_t now,
                          struct err *e);

/* Delete e-mail sent, or failed for good, before `before` and the
 * recipients of mailings done before it; *n gets how many rows went
 * (e-mails and recipients). */
int store_retention_prune_mail(struct store_txn *t, int64_t before, int64_t *n, struct err *e);

/* Delete the refused forms' states (store_form_state_put()) expired at
 * now; *n gets how many went. */
int store_retention_prune_forms(struct store_txn *t, int64_t now, int64_t *n, struct err *e);

#endif
