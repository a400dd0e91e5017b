/*
 * wake.c: a flag, a mutex and a condition variable; see wake.h.
 */
#include "lib/wake.h"

#include <errno.h>
#include <time.h>

#include "lib/banned.h"

void
wake_init(struct wake *w)
{
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->signalled = false;
}

void
wake_release(struct wake *w)
{
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
}

void
wake_signal(struct wake *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->signalled = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

bool
wake_wait(struct wake *w, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->mu);
    while (!w->signalled && ms)
        if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT)
            break;
    bool woken = w->signalled;
    w->signalled = false;
    pthread_mutex_unlock(&w->mu);
    return woken;
}
