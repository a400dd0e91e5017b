/*
 * watch.c: the node's watch of what other nodes commit; see watch.h.
 */
#include "jobs/watch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/changes.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/wake.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/flow.h"
#include "lib/banned.h"

struct watch {
    const struct flow *flow;
    unsigned interval_ms;
    pthread_t thread;
    struct wake stop;
    atomic_bool stopping;
    bool known;      /* version holds the last version read */
    int64_t version; /* the store's change version at the last poll */
    bool failing;    /* the last poll failed (logged once) */
};

static void
poll_once(struct watch *w)
{
    const struct flow *f = w->flow;
    struct err e = ERR_INIT;
    int64_t v;
    int moved = 0;
    int r = store_change_version(f->store, NULL, &v, &e);
    if (!r) {
        if (w->known && v != w->version) {
            changes_bump_data(f->changes);
            count_mirror_forget(f->counts);
        }
        w->known = true;
        w->version = v;
    }
    if (!r && f->counts && !(r = count_mirror_poll(f->counts, &moved, &e)) && moved)
        changes_bump_counts(f->changes);
    if (r && !w->failing)
        fprintf(stderr, "petitiond: watch: %s\n", e.log);
    w->failing = r != 0;
}

static void *
run(void *arg)
{
    struct watch *w = arg;
    while (!atomic_load(&w->stopping)) {
        poll_once(w);
        wake_wait(&w->stop, w->interval_ms);
    }
    return NULL;
}

int
watch_start(const struct flow *f, unsigned interval_ms, struct watch **out, struct err *e)
{
    struct watch *w = calloc(1, sizeof(*w));
    if (!w)
        die_oom();
    w->flow = f;
    w->interval_ms = interval_ms ? interval_ms : WATCH_POLL_MS;
    wake_init(&w->stop);
    atomic_init(&w->stopping, false);
    if (pthread_create(&w->thread, NULL, run, w)) {
        wake_release(&w->stop);
        free(w);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the watch thread");
    }
    *out = w;
    return 0;
}

void
watch_stop(struct watch *w)
{
    if (!w)
        return;
    atomic_store(&w->stopping, true);
    wake_signal(&w->stop);
    pthread_join(w->thread, NULL);
    wake_release(&w->stop);
    free(w);
}
