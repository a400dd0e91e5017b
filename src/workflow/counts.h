/*
 * counts.h: the counts of e-petitions kept in memory (issue 6).
 *
 * Pages and the count endpoint read a petition's total and its counts by
 * province or territory from here, not from the database.  An entry is
 * read from the store the first time it is asked for; after that it moves
 * only with the intake writer's committed batches (count_mirror_apply(),
 * under the lock the writer holds across its commit, so no reader ever
 * sees a batch twice or misses one).  Any other committed change may
 * move counts (the Clerk's review, a recount), so flow_finish() calls
 * count_mirror_forget() and entries are read again when next asked for.
 *
 * count_mirror_check() is the reconciliation: it compares every entry with
 * the stored counts (which counts_check() compares with the rows).
 *
 * Thread-safe: one mutex.  Readers hold it for a copy of a few integers;
 * the writer for its commit.
 */
#ifndef PETITIOND_COUNTS_H
#define PETITIOND_COUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition_state.h"
#include "core/province.h"

struct err;
struct sign_delta;
struct store;
struct count_mirror;

/* A petition's counts as the pages show them. */
struct count_snapshot {
    int64_t petition_id;
    long e_number;                /* 0 for a paper petition */
    enum petition_state state;    /* as of the last read from the store */
    bool electronic;
    int64_t total;                /* petitions.signature_total */
    int64_t regions[REGION_COUNT];
};

/* A mirror holding at most COUNT_MIRROR_MAX petitions (beyond, the least
 * recently loaded is dropped and read again when needed). */
enum { COUNT_MIRROR_MAX = 1024 };

struct count_mirror *count_mirror_new(struct store *s);
void count_mirror_free(struct count_mirror *m);

/* The counts of petition id, or (id 0) of e-petition e_number.
 * ERR_NOT_FOUND when there is no such petition; a store error otherwise. */
int count_mirror_get(struct count_mirror *m, int64_t id, long e_number,
                     struct count_snapshot *out, struct err *e);

/* The intake writer: lock, commit, apply the batch's count changes when
 * the commit succeeded, unlock.  apply touches only loaded entries. */
void count_mirror_lock(struct count_mirror *m);
void count_mirror_apply(struct count_mirror *m, const struct sign_delta *d, int n);
void count_mirror_unlock(struct count_mirror *m);

/* Drop every entry (after a change the mirror did not see). */
void count_mirror_forget(struct count_mirror *m);

/* Compare every loaded entry with the stored counts: *checked entries,
 * *drifted of them differ (0 expected).  A drifted entry is dropped so it
 * is read again.  The result is kept with the time now for
 * count_mirror_last_check(). */
int count_mirror_check(struct count_mirror *m, int64_t now, int *checked, int *drifted,
                       struct err *e);

/* The last check's time (0: none yet), entries checked and drifted, and
 * the drift found since start-up. */
struct count_check_result {
    int64_t at;
    int checked, drifted;
    int64_t drifted_since_start;
};
void count_mirror_last_check(struct count_mirror *m, struct count_check_result *out);

#endif
