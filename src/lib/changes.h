/*
 * changes.h: two counters that say when what the public sees has changed,
 * so cached pages know when to be drawn again.
 *
 * data moves after every committed change other than signature intake
 * (a petition published, closed, presented, answered, a review, a staff
 * decision); counts moves whenever a count a page shows has moved (a
 * batch of confirmations committed).  Both only grow.  Any thread may
 * read or bump them; they need no lock.
 */
#ifndef PETITIOND_CHANGES_H
#define PETITIOND_CHANGES_H

#include <stdatomic.h>
#include <stdint.h>

struct changes {
    _Atomic uint64_t data;
    _Atomic uint64_t counts;
};

static inline void
changes_bump_data(struct changes *c)
{
    if (c)
        atomic_fetch_add_explicit(&c->data, 1, memory_order_release);
}

static inline void
changes_bump_counts(struct changes *c)
{
    if (c)
        atomic_fetch_add_explicit(&c->counts, 1, memory_order_release);
}

static inline uint64_t
changes_data(const struct changes *c)
{
    return atomic_load_explicit(&c->data, memory_order_acquire);
}

static inline uint64_t
changes_counts(const struct changes *c)
{
    return atomic_load_explicit(&c->counts, memory_order_acquire);
}

#endif
