/*
 * scheduler.h: the thread that applies the lifecycle's deadlines and runs
 * the periodic jobs.
 *
 * Every interval it asks the workflow to apply what is due at the clock's
 * "now": the drafts' deadlines (drafts_deadlines(): the supporters' 30
 * days, each Member's 30 days) and the petitions' closing and
 * certification timers (sign_closing()); every minute the reconciliation
 * of the counts (counts_check()) and, once a day, the retention job
 * (retention_run()).  The clock may be a test's (--clock-file), so moving
 * that clock forward makes deadlines fall on the next tick.
 *
 * Of several nodes on one database, only the one holding the lease
 * LEASE_SCHEDULER (workflow/leases.h) runs those jobs, renewing it as it
 * ticks; the others try to take it every tick, so when its holder dies
 * another runs them within LEASE_SECONDS.  The minute's check of the
 * counts in memory (count_mirror_check()) is each node's own and runs on
 * every node.  A node that stops gives the lease up.
 */
#ifndef PETITIOND_SCHEDULER_H
#define PETITIOND_SCHEDULER_H

#include "lib/clock.h"

struct err;
struct flow;
struct scheduler;

/* Start ticking every interval_ms (0 = 1000). */
int scheduler_start(const struct flow *f, const struct clock *clock, unsigned interval_ms,
                    struct scheduler **out, struct err *e);

/* Finish the tick in hand and stop. */
void scheduler_stop(struct scheduler *s);

#endif
