/*
 * log_signer.c: the thread that signs the public logs' checkpoints; see
 * log_signer.h.
 */
#include "jobs/log_signer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/clock.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/every.h"
#include "workflow/log_checkpoint.h"
#include "lib/banned.h"

struct log_signer {
    const struct flow *flow;
    const struct clock *clock;
    const struct note_key *key;
    const struct log_memory *memory;
    struct every *thread;
    bool failing; /* the last round failed (logged once) */
};

static unsigned
tick(void *arg)
{
    struct log_signer *s = arg;
    struct err e = ERR_INIT;
    int n = 0;
    int r = log_checkpoint_run(s->flow, s->key, s->memory, clock_now(s->clock), &n, &e);
    if (r && !s->failing)
        fprintf(stderr, "petitiond: log: %s\n", e.log);
    s->failing = r != 0;
    return 0;
}

int
log_signer_start(const struct flow *f, const struct clock *clock, const struct note_key *key,
                 const struct log_memory *memory, unsigned interval_ms, struct log_signer **out,
                 struct err *e)
{
    struct log_signer *s = calloc(1, sizeof(*s));
    if (!s)
        die_oom();
    *s = (struct log_signer){.flow = f, .clock = clock, .key = key, .memory = memory};
    if (every_start(tick, s, interval_ms ? interval_ms : LOG_SIGNER_MS, "the log's signer",
                    &s->thread, e)) {
        free(s);
        return e->code;
    }
    *out = s;
    return 0;
}

void
log_signer_stop(struct log_signer *s)
{
    if (!s)
        return;
    every_stop(s->thread);
    free(s);
}
