/*
 * leases.c: the jobs that run on one node at a time; see leases.h.
 */
#include "workflow/leases.h"

#include <stdio.h>

#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

int
lease_take(const struct flow *f, const char *name, const char *holder, int64_t now, int64_t until,
           bool *held, struct err *e)
{
    struct store_txn *tx = NULL;
    *held = false;
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_lease_take(tx, name, holder, now, until, held, e);
    r = flow_finish_quiet(tx, r, e);
    if (r)
        *held = false;
    return r;
}

int
lease_release(const struct flow *f, const char *name, const char *holder, struct err *e)
{
    struct store_txn *tx = NULL;
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_lease_release(tx, name, holder, e);
    return flow_finish_quiet(tx, r, e);
}

static const char *
node_of(const struct flow *f)
{
    return f->node && f->node[0] ? f->node : "petitiond";
}

bool
lease_hold(const struct flow *f, struct lease *l, int64_t now)
{
    int64_t len = l->seconds > 0 ? l->seconds : LEASE_SECONDS;
    /* More than half left by our own renewal (and the clock not moved
     * back past it): held without asking. */
    if (l->until && now < l->until - len / 2 && now >= l->until - len)
        return true;
    /* Held by another when last asked this second: not yet free. */
    if (!l->until && l->tried == now)
        return false;
    struct err e = ERR_INIT;
    bool held = false;
    bool had = l->until != 0;
    if (lease_take(f, l->name, node_of(f), now, now + len, &held, &e)) {
        fprintf(stderr, "petitiond: lease %s: %s\n", l->name, e.log);
        held = false;
    }
    l->until = held ? now + len : 0;
    l->tried = held ? 0 : now;
    if (held != had)
        fprintf(stderr, "petitiond: lease %s %s by node %s\n", l->name, held ? "taken" : "lost",
                node_of(f));
    return held;
}

void
lease_drop(const struct flow *f, struct lease *l)
{
    if (!l->until)
        return;
    struct err e = ERR_INIT;
    if (lease_release(f, l->name, node_of(f), &e))
        fprintf(stderr, "petitiond: lease %s: %s\n", l->name, e.log);
    l->until = 0;
}
