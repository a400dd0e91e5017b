/*
 * counts.h: the counts of e-petitions kept in memory (issue 6).
 *
 * Pages and the count endpoint read a petition's total and its counts by
 * province or territory from here, not from the database.  An entry is
 * read from the store the first time it is asked for; after that it moves
 * only with the intake writer's committed batches, which the writer
 * announces around its commit (count_mirror_commit_begin() and _end()).
 * Any other committed change may move counts (the Clerk's review, a
 * recount), so flow_finish() calls count_mirror_forget() and entries are
 * read again when next asked for.
 *
 * No lock is held across a read of the store or the writer's commit, so a
 * page never waits for the disk.  An entry read from the store is kept
 * only when no commit began or ended and nothing was forgotten while it
 * was read (an epoch, bumped by each, tells): otherwise the value read is
 * answered once and read again next time, so no entry ever counts a batch
 * twice or misses one.
 *
 * Several nodes share one database (issue 17): each node's writer moves
 * its own mirror only, so every node polls (jobs/watch.h, every
 * WATCH_POLL_MS) the stored totals of the entries it holds
 * (count_mirror_poll()) and drops those another node's commit moved, to
 * be read again: a confirmation committed on one node shows on every
 * node within the poll's interval.  An entry that a commit of this node
 * is moving, or moved while the totals were read, is left to the next
 * poll (its version tells), so a node never takes its own commit for
 * another's and never applies one twice.  A commit moves the total, so
 * the total alone tells.
 *
 * count_mirror_check() is the reconciliation: it compares every entry with
 * the stored counts (which counts_check() compares with the rows), each
 * only if no commit touched it while its stored counts were read.  A
 * total that differs is another node's commit (read again, no drift);
 * drift is an entry whose total agrees while its counts by province or
 * territory do not, which no commit explains.
 *
 * Thread-safe: one mutex, held for a copy of a few integers at a time.
 */
#ifndef PETITIOND_COUNTS_H
#define PETITIOND_COUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition_state.h"
#include "core/province.h"
#include "store/signing.h"

struct err;
struct store;
struct count_mirror;

/* struct count_delta (store/signing.h): a change of one petition's
 * count in one region; the intake writer's batches add them up
 * (workflow/signing.h, struct sign_txn). */

/* A petition's counts as the pages show them. */
struct count_snapshot {
    int64_t petition_id;
    long e_number;             /* 0 for a paper petition */
    enum petition_state state; /* as of the last read from the store */
    bool electronic;
    int64_t total; /* petitions.signature_total */
    int64_t regions[REGION_COUNT];
};

/* A mirror holding at most COUNT_MIRROR_MAX petitions (beyond, the least
 * recently loaded is dropped and read again when needed). */
enum { COUNT_MIRROR_MAX = 1024 };

struct count_mirror *count_mirror_new(struct store *s);
void count_mirror_free(struct count_mirror *m);

/* The counts of petition id, or (id 0) of e-petition e_number.
 * ERR_NOT_FOUND when there is no such petition; a store error otherwise. */
int count_mirror_get(struct count_mirror *m, int64_t id, long e_number, struct count_snapshot *out,
                     struct err *e);

/* The intake writer, around a commit whose count changes are d[0..n):
 * _begin before committing, _end after with whether it committed (then
 * the changes are applied to the loaded entries).  One commit at a time
 * (the writer's); m may be NULL (no counts in memory). */
void count_mirror_commit_begin(struct count_mirror *m, const struct count_delta *d, int n);
void count_mirror_commit_end(struct count_mirror *m, const struct count_delta *d, int n,
                             bool committed);

/* The poll described above: *moved entries were dropped (0 or more), to
 * be read again; returns 0 or the store's error (nothing dropped). */
int count_mirror_poll(struct count_mirror *m, int *moved, struct err *e);

/* Drop every entry (after a change the mirror did not see). */
void count_mirror_forget(struct count_mirror *m);

/* Compare every loaded entry with the stored counts: *checked entries
 * whose total agrees, *drifted of them differ by province or territory
 * (0 expected); one whose total differs is read again.  A drifted entry is dropped so it
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
