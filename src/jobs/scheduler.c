/*
 * scheduler.c: the deadlines thread; see scheduler.h.
 */
#include "jobs/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/die.h"
#include "lib/err.h"
#include "lib/arena.h"
#include "store/store.h"
#include "workflow/flow.h"
#include "workflow/retention.h"
#include "workflow/signing.h"
#include "workflow/counts.h"
#include "lib/banned.h"

enum { COUNTS_CHECK_SECONDS = 3600, MEMORY_CHECK_SECONDS = 60, RETENTION_SECONDS = 86400 };

struct scheduler {
    const struct flow *flow;
    const struct clock *clock;
    unsigned interval_ms;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    int64_t counts_checked_at; /* the last reconciliation (0: not yet) */
    int64_t memory_checked_at; /* the last check of the counts in memory */
    int64_t retention_ran_at;  /* the last erasure (0: not read from meta yet) */
};

/* Hourly: recount every e-petition and report drift (0 expected). */
static void
reconcile(struct scheduler *s, int64_t now)
{
    if (s->counts_checked_at && now - s->counts_checked_at < COUNTS_CHECK_SECONDS)
        return;
    s->counts_checked_at = now;
    struct arena *a = arena_new();
    struct count_drift *drift;
    struct err e = ERR_INIT;
    int n, checked;
    if (counts_check(s->flow, a, false, now, &drift, &n, &checked, &e))
        fprintf(stderr, "petitiond: counts check: %s\n", e.log);
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
    struct err e = ERR_INIT;
    int checked, drifted;
    if (count_mirror_check(s->flow->counts, now, &checked, &drifted, &e))
        fprintf(stderr, "petitiond: counts in memory: %s\n", e.log);
    else if (drifted)
        fprintf(stderr, "petitiond: counts in memory: %d of %d petition(s) drifted from the"
                        " stored counts (read again)\n", drifted, checked);
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

static void *
run(void *arg)
{
    struct scheduler *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->mu);
        struct err e = ERR_INIT;
        int acted = 0;
        int64_t now = clock_now(s->clock);
        if (flow_deadlines(s->flow, now, &acted, &e))
            fprintf(stderr, "petitiond: deadlines: %s\n", e.log);
        else if (acted)
            fprintf(stderr, "petitiond: deadlines: %d petition(s) moved on\n", acted);
        acted = 0;
        if (sign_closing(s->flow, now, &acted, &e))
            fprintf(stderr, "petitiond: closing: %s\n", e.log);
        else if (acted)
            fprintf(stderr, "petitiond: closing: %d petition(s) moved on\n", acted);
        reconcile(s, now);
        reconcile_memory(s, now);
        retain(s, now);
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->interval_ms / 1000;
        until.tv_nsec += (long)(s->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!s->stopping)
            if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
                break;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
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
    s->interval_ms = interval_ms ? interval_ms : 1000;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, run, s)) {
        free(s);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the scheduler");
    }
    *out = s;
    return 0;
}

void
scheduler_stop(struct scheduler *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
