/*
 * wake.h: one thread telling another that waits for work that there is
 * some, with a timeout for the work nobody announced.
 *
 * A struct wake is a flag under a mutex, and a condition variable.
 * wake_signal() raises the flag and wakes the waiter; wake_wait() returns
 * as soon as the flag is up (at once when it already was) or when its
 * time has passed, and lowers the flag.  A signal given while nobody
 * waits is kept for the next wait, so none is lost; several signals
 * before a wait end it once.
 *
 * The mail thread (jobs/delivery.h) waits on one; the use cases signal it
 * after a commit that may have queued e-mail (workflow/flow.h).
 *
 * Threads: any number may signal at once; one waits.  The owner of the
 * struct calls wake_init() before any thread uses it and wake_release()
 * after all have stopped.
 */
#ifndef PETITIOND_WAKE_H
#define PETITIOND_WAKE_H

#include <pthread.h>
#include <stdbool.h>

struct wake {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool signalled;
};

void wake_init(struct wake *w);
void wake_release(struct wake *w);

/* Raise the flag and wake the waiter; cheap.  NULL is fine: nobody waits. */
void wake_signal(struct wake *w);

/*
 * Wait until the flag is up or ms milliseconds have passed, whichever
 * comes first, and lower the flag.  Returns true when a signal ended the
 * wait, false when the time did.  ms 0 does not wait: it only takes a
 * signal already given.
 */
bool wake_wait(struct wake *w, unsigned ms);

#endif
