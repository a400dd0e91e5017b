/*
 * counts_check.c: the reconciliation of every e-petition's stored counts
 * with a recount of its rows, and their repair; see counts_check.h.  (The
 * counts in memory are checked against the stored ones by counts.c.)
 */
#include "workflow/counts_check.h"

#include <stdio.h>

#include "core/province.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

/* Compare a recount with the stored counts; returns the regions off and
 * the expected total. */
static int
drift_of(const struct petition_recount *rc, int64_t *expected)
{
    int off = 0;
    *expected = 0;
    for (int i = 0; i < REGION_COUNT; i++) {
        int64_t want = rc->base[i] + rc->rows[i];
        *expected += want;
        off += rc->stored[i] != want;
    }
    return off;
}

static int
fix_one(const struct flow *f, int64_t id, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition_recount rc;
    struct arena *a = arena_new();
    struct log_txn lt;
    int r = flow_begin(f, &tx, e);
    if (r)
        goto out;
    log_txn_init(&lt, a);
    if (!(r = store_petition_recount(f->store, tx, id, &rc, e)))
        r = log_txn_open(f, tx, &lt, id, e);
    /* The log moves as the counts do: a correction of its own. */
    for (int i = 0; i < REGION_COUNT && !r; i++)
        r = log_txn_import(f, tx, &lt, id, (enum region)i, rc.base[i] + rc.rows[i] - rc.stored[i],
                           e);
    if (!r)
        r = store_petition_counts_fix(tx, id, &rc, e);
    if (!r)
        r = log_txn_flush(tx, &lt, e);
    r = flow_finish(f, tx, r, e);
out:
    arena_free(a);
    return r;
}

int
counts_check(const struct flow *f, struct arena *a, bool fix, int64_t now, struct count_drift **out,
             int *n, int *checked, struct err *e)
{
    int64_t *ids;
    int count, r;

    *n = 0;
    *checked = 0;
    if ((r = store_petition_e_ids(f->store, NULL, a, &ids, &count, e)))
        return r;
    *out = arena_alloc(a, sizeof(**out) * (size_t)(count ? count : 1));
    for (int i = 0; i < count; i++) {
        struct petition_recount rc;
        struct petition_brief b;
        int64_t expected;
        if ((r = store_petition_recount(f->store, NULL, ids[i], &rc, e)) ||
            (r = store_petition_brief(f->store, NULL, ids[i], 0, &b, e)))
            return r;
        (*checked)++;
        int off = drift_of(&rc, &expected);
        int64_t sum = 0;
        for (int k = 0; k < REGION_COUNT; k++)
            sum += rc.stored[k];
        if (!off && rc.stored_total == expected && sum == expected)
            continue;
        (*out)[(*n)++] = (struct count_drift){
            .petition_id = ids[i],
            .e_number = b.e_number,
            .stored_total = rc.stored_total,
            .expected_total = expected,
            .regions_off = off,
        };
        if (fix && (r = fix_one(f, ids[i], e)))
            return r;
    }
    char summary[128];
    snprintf(summary, sizeof(summary), "{\"at\":%lld,\"petitions\":%d,\"drifted\":%d}",
             (long long)now, *checked, *n);
    /* The report: no page shows it. */
    struct store_txn *tx = NULL;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    r = store_meta_set(tx, "counts_check", summary, e);
    return flow_finish_quiet(tx, r, e);
}
