/*
 * watch.c: the node's watch of what other nodes commit; see watch.h.
 */
#include "jobs/watch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/changes.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/every.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/flow.h"
#include "lib/banned.h"

struct watch {
    const struct flow *flow;
    struct every *thread;
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

static unsigned
tick(void *arg)
{
    poll_once(arg);
    return 0;
}

int
watch_start(const struct flow *f, unsigned interval_ms, struct watch **out, struct err *e)
{
    struct watch *w = calloc(1, sizeof(*w));
    if (!w)
        die_oom();
    w->flow = f;
    if (every_start(tick, w, interval_ms ? interval_ms : WATCH_POLL_MS, "the watch thread",
                    &w->thread, e)) {
        free(w);
        return e->code;
    }
    *out = w;
    return 0;
}

void
watch_stop(struct watch *w)
{
    if (!w)
        return;
    every_stop(w->thread);
    free(w);
}
