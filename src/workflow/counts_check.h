/*
 * counts_check.h: the reconciliation of the stored counts (the hourly
 * job and `petitiond counts check`): every e-petition's total and counts by
 * province or territory recounted from its rows and compared, and on
 * request repaired.  The counts in memory are compared with the stored
 * ones by count_mirror_check() (counts.h).
 */
#ifndef PETITIOND_COUNTS_CHECK_H
#define PETITIOND_COUNTS_CHECK_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct flow;

/* A petition whose stored counts differ from a recount of its rows. */
struct count_drift {
    int64_t petition_id;
    long e_number;
    int64_t stored_total;
    int64_t expected_total; /* imported base + counted rows */
    int regions_off;        /* regions whose count differs */
};

/*
 * Recount every e-petition from its rows and compare with the stored
 * counts; with fix, set the stored counts to the recount (in one
 * transaction per petition).  *checked gets how many petitions were
 * compared; out (arena) the ones that drifted.  The result is also kept
 * in meta "counts_check" as {"at", "petitions", "drifted"}.
 */
int counts_check(const struct flow *f, struct arena *a, bool fix, int64_t now,
                 struct count_drift **out, int *n, int *checked, struct err *e);

#endif
