/*
 * petitions.h: the store's the register of petitions: whole records, what
 * signing needs of one, their states and timers, subjects and keywords,
 * and the day-by-day counts of the charts.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_PETITIONS_H
#define PETITIOND_STORE_PETITIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "core/province.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* A day's net change of a petition's counted signatures (petition_days). */
struct day_count {
    struct civil_date day; /* Eastern */
    int64_t delta;
};

/* What signing needs of a published petition, read on every signature. */
struct petition_brief {
    int64_t id;
    enum petition_kind kind;
    long e_number;
    enum petition_state state;
    int64_t closes_at;
    int64_t certified_at;
    int64_t queued_at;             /* entered the certification queue; 0 = not yet */
    int certify_threshold;         /* 0 = the jurisdiction's */
    int grace_hours;               /* -1 = the jurisdiction's */
    int64_t total;                 /* counted signatures (with imported counts) */
    int64_t authorizing_member_id; /* 0 = none */
    int64_t draft_id;              /* the draft it was published from; 0 = imported */
    enum lang original_language;
    bool is_demo;
    bool signing_paused; /* an administrator paused signing of it, or of the whole site */
};

/*
 * Insert a whole petition record: its texts, keywords (by slug), counts by
 * region, response and the timeline of its states; p->id is filled in.
 * The subject, Members and ministries are looked up by code or key
 * (ERR_INVALID when one does not exist), its sessions by their
 * Parliament's and their own numbers (ERR_NOT_FOUND when one does not
 * exist).  ERR_CONFLICT when its number (e-number, or presented number)
 * is taken.  An audited record.
 */
int store_petition_insert(struct store_txn *t, struct petition *p, struct err *e);

/* One petition by number with everything its public page shows, in any
 * state; ERR_NOT_FOUND when no petition has that number. */
int store_petition_get(struct store *s, struct store_txn *t, struct arena *a,
                       const struct petition_number *n, struct petition *out, struct err *e);

/* What signing needs of an e-petition, by id, or by e-number when id is
 * 0; ERR_NOT_FOUND when none. */
int store_petition_brief(struct store *s, struct store_txn *t, int64_t id, long e_number,
                         struct petition_brief *out, struct err *e);

/* The stored totals of petitions ids[0..n) (petitions.signature_total,
 * what store_petition_counts_stored() reads as the total), totals[i] for
 * ids[i]; -1 for an id no petition has.  One statement where the engine
 * can: the nodes sharing a database poll it (workflow/counts.h). */
int store_petition_totals(struct store *s, struct store_txn *t, const int64_t *ids, int n,
                          int64_t *totals, struct err *e);

/* The next unused e-petition number: above every number used, so unique
 * in the transaction that publishes with it. */
int store_petition_next_e_number(struct store_txn *t, long *n, struct err *e);

/* Move a petition to state at now, with an event in its timeline.  A move
 * to CERTIFIED, PRESENTED, RESPONSE_TABLED, CLOSED_UPON_DISSOLUTION,
 * NOT_ANSWERED_BEFORE_DISSOLUTION or REMOVED is an audited record. */
int store_petition_set_state(struct store_txn *t, int64_t petition_id, enum petition_state state,
                             int64_t now, struct err *e);

/* The petition entered the certification queue at now. */
int store_petition_set_queued(struct store_txn *t, int64_t id, int64_t now, struct err *e);

/* The petition was certified at now (an audited record). */
int store_petition_set_certified(struct store_txn *t, int64_t id, int64_t now, struct err *e);

/*
 * E-petitions whose closing timers may be due at now: open ones past
 * closing, and closed ones not yet in the certification queue; earliest
 * closing first (ties by id), at most 500.
 */
int store_petition_closing(struct store *s, struct store_txn *t, struct arena *a, int64_t now,
                           struct petition_brief **out, int *n, struct err *e);

/* Every e-petition's id, ascending: what the reconciliation walks. */
int store_petition_e_ids(struct store *s, struct store_txn *t, struct arena *a, int64_t **out,
                         int *n, struct err *e);

/*
 * A petition's net change of counted signatures per Eastern day, oldest
 * first (every region summed); days without change are absent.
 */
int store_petition_days(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                        struct day_count **out, int *n, struct err *e);

/*
 * The net change by province or territory of every public e-petition's
 * counted signatures on Eastern days from since (inclusive).
 */
int store_region_days_since(struct store *s, struct store_txn *t, const struct civil_date *since,
                            int64_t out[REGION_COUNT], struct err *e);

/* Insert, or update in place, by code (subjects) or slug (keywords); the
 * id is filled in. */
int store_subject_put(struct store_txn *t, struct subject *sub, struct err *e);
int store_keyword_put(struct store_txn *t, struct keyword *k, struct err *e);

/* Every subject, by English name (ties by id), each with its public
 * petitions counted (petitions). */
int store_subject_list(struct store *s, struct store_txn *t, struct arena *a, struct subject **out,
                       int *n, struct err *e);

/* A subject by code; ERR_NOT_FOUND when none. */
int store_subject_get(struct store *s, struct store_txn *t, struct arena *a, const char *code,
                      struct subject *out, struct err *e);

/* Every keyword, by English name (ties by id), each with its public
 * petitions counted (petitions). */
int store_keyword_list(struct store *s, struct store_txn *t, struct arena *a, struct keyword **out,
                       int *n, struct err *e);

/* A keyword by slug; ERR_NOT_FOUND when none. */
int store_keyword_get(struct store *s, struct store_txn *t, struct arena *a, const char *slug,
                      struct keyword *out, struct err *e);

#endif
