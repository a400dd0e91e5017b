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
