/*
 * every.c: a thread that does one thing every so often; see every.h.
 */
#include "lib/every.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/die.h"
#include "lib/err.h"
#include "lib/wake.h"
#include "lib/banned.h"

struct every {
    every_fn tick;
    void *arg;
    unsigned interval_ms;
    pthread_t thread;
    struct wake stop; /* signalled by every_stop() */
    atomic_bool stopping;
};

static void *
run(void *p)
{
    struct every *t = p;
    while (!atomic_load(&t->stopping)) {
        unsigned ms = t->tick(t->arg);
        if (!atomic_load(&t->stopping))
            wake_wait(&t->stop, ms ? ms : t->interval_ms);
    }
    return NULL;
}

int
every_start(every_fn tick, void *arg, unsigned interval_ms, const char *what, struct every **out,
            struct err *e)
{
    struct every *t = calloc(1, sizeof(*t));
    if (!t)
        die_oom();
    t->tick = tick;
    t->arg = arg;
    t->interval_ms = interval_ms;
    wake_init(&t->stop);
    atomic_init(&t->stopping, false);
    if (pthread_create(&t->thread, NULL, run, t)) {
        wake_release(&t->stop);
        free(t);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start %s", what);
    }
    *out = t;
    return 0;
}

void
every_stop(struct every *t)
{
    if (!t)
        return;
    atomic_store(&t->stopping, true);
    wake_signal(&t->stop);
    pthread_join(t->thread, NULL);
    wake_release(&t->stop);
    free(t);
}
