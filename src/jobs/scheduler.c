/*
 * scheduler.c: the deadlines thread; see scheduler.h.
 */
#include "jobs/scheduler.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/die.h"
#include "lib/err.h"
#include "lib/arena.h"
#include "lib/metrics.h"
#include "lib/every.h"
#include "store/store.h"
#include "workflow/flow.h"
#include "workflow/retention.h"
#include "workflow/signing.h"
#include "workflow/counts.h"
#include "workflow/counts_check.h"
#include "workflow/drafts.h"
#include "workflow/leases.h"
#include "workflow/sign_closing.h"
#include "lib/banned.h"

enum { COUNTS_CHECK_SECONDS = 3600, MEMORY_CHECK_SECONDS = 60, RETENTION_SECONDS = 86400 };

struct scheduler {
    const struct flow *flow;
    const struct clock *clock;
    struct every *thread;
    int64_t counts_checked_at; /* the last reconciliation (0: not yet) */
    int64_t memory_checked_at; /* the last check of the counts in memory */
    int64_t retention_ran_at;  /* the last erasure (0: not read from meta yet) */
    struct lease lease;        /* the jobs that run on one node at a time */
};

/* Hourly: recount every e-petition and report drift (0 expected). */
static void
reconcile(struct scheduler *s, int64_t now)
{
    if (s->counts_checked_at && now - s->counts_checked_at < COUNTS_CHECK_SECONDS)
        return;
    s->counts_checked_at = now;
    metrics_job_ran(METRICS_JOB_COUNTS_CHECK, now);
    struct arena *a = arena_new();
    struct count_drift *drift;
    struct err e = ERR_INIT;
    int n = 0, checked;
    if (counts_check(s->flow, a, false, now, &drift, &n, &checked, &e))
        fprintf(stderr, "petitiond: counts check: %s\n", e.log);
    metrics_add(&metrics.counts_drift, (uint64_t)n);
    for (int i = 0; i < n; i++)
        fprintf(stderr, "petitiond: counts check: e-%ld shows %lld, its rows give %lld\n",
                drift[i].e_number, (long long)drift[i].stored_total,
                (long long)drift[i].expected_total);
    arena_free(a);
}

/* Every minute: the counts in memory against the stored counts (which
 * reconcile() checks against the rows); 0 drift expected. */
static void
reconcile_memory(struct scheduler *s, int64_t now)
{
    if (!s->flow->counts ||
        (s->memory_checked_at && now - s->memory_checked_at < MEMORY_CHECK_SECONDS &&
         now >= s->memory_checked_at))
        return;
    s->memory_checked_at = now;
    metrics_job_ran(METRICS_JOB_COUNTS_MEMORY, now);
    struct err e = ERR_INIT;
    int checked, drifted;
    if (count_mirror_check(s->flow->counts, now, &checked, &drifted, &e))
        fprintf(stderr, "petitiond: counts in memory: %s\n", e.log);
    else if (drifted)
        fprintf(stderr,
                "petitiond: counts in memory: %d of %d petition(s) drifted from the"
                " stored counts (read again)\n",
                drifted, checked);
}

/* Daily: erase the personal data due (rulebook 11.14).  The last run is
 * kept in meta "retention_run", so a restart does not run it again early. */
static void
retain(struct scheduler *s, int64_t now)
{
    struct err e = ERR_INIT;
    if (!s->retention_ran_at && retention_last_run(s->flow, &s->retention_ran_at, &e))
        fprintf(stderr, "petitiond: retention: %s\n", e.log);
    if (s->retention_ran_at && now - s->retention_ran_at < RETENTION_SECONDS)
        return;
    s->retention_ran_at = now;
    metrics_job_ran(METRICS_JOB_RETENTION, now);
    struct arena *a = arena_new();
    struct retention_item *items;
    int n;
    if (retention_run(s->flow, a, false, now, &items, &n, &e))
        fprintf(stderr, "petitiond: retention: %s\n", e.log);
    for (int i = 0; i < n; i++)
        fprintf(stderr, "petitiond: retention: %s: %lld signature(s), %lld supporter(s) erased\n",
                items[i].label, (long long)items[i].signatures, (long long)items[i].supporters);
    arena_free(a);
}

static unsigned
tick(void *arg)
{
    struct scheduler *s = arg;
    struct err e = ERR_INIT;
    int acted = 0;
    int64_t now = clock_now(s->clock);
    /* This node's own counts in memory, whoever runs the rest. */
    reconcile_memory(s, now);
    /* The site's jobs, on the one node that holds the lease. */
    if (lease_hold(s->flow, &s->lease, now)) {
        metrics_job_ran(METRICS_JOB_DEADLINES, now);
        if (drafts_deadlines(s->flow, now, &acted, &e))
            fprintf(stderr, "petitiond: deadlines: %s\n", e.log);
        else if (acted)
            fprintf(stderr, "petitiond: deadlines: %d petition(s) moved on\n", acted);
        acted = 0;
        metrics_job_ran(METRICS_JOB_CLOSING, now);
        if (sign_closing(s->flow, now, &acted, &e))
            fprintf(stderr, "petitiond: closing: %s\n", e.log);
        else if (acted)
            fprintf(stderr, "petitiond: closing: %d petition(s) moved on\n", acted);
        reconcile(s, now);
        retain(s, now);
    }
    return 0;
}

int
scheduler_start(const struct flow *f, const struct clock *clock, unsigned interval_ms,
                struct scheduler **out, struct err *e)
{
    struct scheduler *s = calloc(1, sizeof(*s));
    if (!s)
        die_oom();
    s->flow = f;
    s->clock = clock;
    s->lease.name = LEASE_SCHEDULER;
    if (every_start(tick, s, interval_ms ? interval_ms : 1000, "the scheduler", &s->thread, e)) {
        free(s);
        return e->code;
    }
    *out = s;
    return 0;
}

void
scheduler_stop(struct scheduler *s)
{
    if (!s)
        return;
    every_stop(s->thread);
    /* Stopping: another node may take the jobs at once. */
    lease_drop(s->flow, &s->lease);
    free(s);
}
