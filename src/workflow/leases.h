/*
 * leases.h: the jobs that run on one node at a time when several
 * petitiond nodes share one database (issue 17).
 *
 * A lease is a row of the store (store/meta.h: store_lease_take()) naming
 * its holder, a node (struct flow's node), and when it expires, by the
 * site's clock.  A node runs a lease's job only while it holds the lease;
 * it renews it as it works, and another node takes it only once it has
 * expired, so a job runs on one node at a time and a node that dies (a
 * kill, a crash, a lost network) is replaced within the lease's length.
 *
 * lease_hold() is what a job's thread asks before each run: it renews the
 * lease in the store (one short write transaction) when less than half of
 * its length is left by this node's last renewal, and otherwise answers
 * from that renewal, so a thread that asks often writes at most about
 * twice per length; a node that does not hold it tries at most once per
 * second of the clock, however often it asks.  What is left of the lease when it answers "held" (at
 * least half its length) is the time a run may take; a run that may take
 * longer renews on its way.  The nodes' clocks must agree to within a few
 * seconds (NTP), as they must for every deadline of the site.
 */
#ifndef PETITIOND_LEASES_H
#define PETITIOND_LEASES_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct flow;

/* The leases petitiond takes, with their length (seconds). */
#define LEASE_SCHEDULER "scheduler" /* the scheduler's jobs (jobs/scheduler.h) */
#define LEASE_MAILING "mailing"     /* moving mailings to many into the outbox */
enum { LEASE_SECONDS = 30 };

/* One lease as this node sees it. */
struct lease {
    const char *name;
    int seconds;   /* its length; 0 = LEASE_SECONDS */
    int64_t until; /* held until, by this node's last renewal; 0 = not held */
    int64_t tried; /* when this node last tried and failed to take it */
};

/*
 * Take or renew the lease called name for holder until `until`, in a
 * transaction of its own (store_lease_take()): *held tells whether holder
 * now holds it.  lease_release() gives it up at once (a node stopping,
 * so another need not wait for its expiry).
 */
int lease_take(const struct flow *f, const char *name, const char *holder, int64_t now,
               int64_t until, bool *held, struct err *e);
int lease_release(const struct flow *f, const char *name, const char *holder, struct err *e);

/*
 * Whether this node (f->node) holds l at now, renewing it as said above;
 * false when the store fails (logged): a job is skipped rather than run
 * twice.
 */
bool lease_hold(const struct flow *f, struct lease *l, int64_t now);

/* Give l up if this node holds it (logged on failure). */
void lease_drop(const struct flow *f, struct lease *l);

#endif
