/*
 * drafts.h: the store's petitions before publication: drafts, their
 * supporters and the requests to Members.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_DRAFTS_H
#define PETITIOND_STORE_DRAFTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/draft.h"
#include "core/petition.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* Drafts a workspace lists. */
struct draft_query {
    bool has_state;
    enum petition_state state;
    int64_t member_id;      /* asked of this Member now; 0 = any */
    int64_t petitioner_id;  /* 0 = any */
    bool timed;             /* only those with a running timer (scheduler) */
    int limit;              /* at most 500 */
};

/* Insert a draft; d->id is filled in. */
int store_draft_insert(struct store_txn *t, struct draft_record *d, struct err *e);

/* Write every field of d (by d->id); updated_at is set to now.  A change
 * of state to one that a Member, the Clerk or dissolution decides
 * (UNDER_REVIEW, RETURNED_FOR_REVISION, REJECTED, OPEN_FOR_SIGNATURE,
 * CLOSED_UPON_DISSOLUTION) is an audited record. */
int store_draft_update(struct store_txn *t, const struct draft_record *d, int64_t now,
                       struct err *e);

/* A draft by id; ERR_NOT_FOUND when none. */
int store_draft_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                    struct draft_record *out, struct err *e);

/* The petitioner's newest draft (any state; the latest made, ties by
 * higher id); ERR_NOT_FOUND when none. */
int store_draft_latest(struct store *s, struct store_txn *t, struct arena *a, int64_t petitioner_id,
                       struct draft_record *out, struct err *e);

/* The drafts q matches, oldest change of state first (ties by id), at most
 * q->limit. */
int store_draft_list(struct store *s, struct store_txn *t, struct arena *a,
                     const struct draft_query *q, struct draft_record **out, int *n, struct err *e);

/* Add an event to a draft's history. */
int store_draft_event_add(struct store_txn *t, int64_t draft_id, int64_t at, int64_t user_id,
                          enum petition_state state, const char *note, struct err *e);

/* Name a supporter (its draft, name, e-mail and key, and when; the rest
 * is written by store_supporter_update()); r->id is filled in.
 * ERR_CONFLICT when the draft already has a supporter with that key. */
int store_supporter_insert(struct store_txn *t, struct supporter_record *r, struct err *e);

/* Every field of r that may change: invitation, confirmation, contact. */
int store_supporter_update(struct store_txn *t, const struct supporter_record *r, struct err *e);

/* Remove a supporter of a draft (none such: nothing changes). */
int store_supporter_delete(struct store_txn *t, int64_t draft_id, int64_t id, struct err *e);

/* A supporter by id; ERR_NOT_FOUND when none. */
int store_supporter_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                        struct supporter_record *out, struct err *e);

/* A draft's supporters in the order they were named (by id). */
int store_supporter_list(struct store *s, struct store_txn *t, struct arena *a, int64_t draft_id,
                         struct supporter_record **out, int *n, struct err *e);

/* Ask a Member to authorize a draft's publication; r->id is filled in. */
int store_member_request_insert(struct store_txn *t, struct member_request *r, struct err *e);

/* Answer the draft's open request (answered_at, answer: "accepted",
 * "declined", "lapsed"); none open: nothing changes.  Accepting or
 * declining is an audited record. */
int store_member_request_answer(struct store_txn *t, int64_t draft_id, int64_t at,
                                const char *answer, struct err *e);

/* A draft's requests to Members, oldest first (ties by id). */
int store_member_request_list(struct store *s, struct store_txn *t, struct arena *a,
                              int64_t draft_id, struct member_request **out, int *n, struct err *e);

#endif
