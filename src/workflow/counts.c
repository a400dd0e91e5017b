/*
 * counts.c: the counts of e-petitions kept in memory; see counts.h.
 *
 * A small array searched linearly: a national site has at most a few
 * hundred petitions open at once, and under a surge the same one or two
 * are asked for again and again.
 */
#include "workflow/counts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/die.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/signing.h"
#include "lib/banned.h"

struct count_mirror {
    struct store *store;
    pthread_mutex_t mu;
    struct count_snapshot entries[COUNT_MIRROR_MAX];
    int n;
    int next_out; /* the slot to reuse when full */
    struct count_check_result last;
};

struct count_mirror *
count_mirror_new(struct store *s)
{
    struct count_mirror *m = calloc(1, sizeof(*m));
    if (!m)
        die_oom();
    m->store = s;
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

void
count_mirror_free(struct count_mirror *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static struct count_snapshot *
find(struct count_mirror *m, int64_t id, long e_number)
{
    for (int i = 0; i < m->n; i++)
        if ((id && m->entries[i].petition_id == id) ||
            (!id && e_number && m->entries[i].e_number == e_number))
            return &m->entries[i];
    return NULL;
}

/* Read one petition's counts from the store (the lock held), outside any
 * transaction: its callers (pages, the API, the scheduler) hold none, and
 * the intake writer, which holds one, only applies what it committed. */
static int
load(struct count_mirror *m, int64_t id, long e_number, struct count_snapshot *out,
     struct err *e)
{
    struct petition_brief b;
    int r = store_petition_brief(m->store, NULL, id, e_number, &b, e);
    if (!r)
        r = store_petition_counts_stored(m->store, NULL, b.id, out->regions, &out->total, e);
    if (r)
        return r;
    out->petition_id = b.id;
    out->e_number = b.kind == PETITION_ELECTRONIC ? b.e_number : 0;
    out->electronic = b.kind == PETITION_ELECTRONIC;
    out->state = b.state;
    return 0;
}

int
count_mirror_get(struct count_mirror *m, int64_t id, long e_number, struct count_snapshot *out,
                 struct err *e)
{
    int r = 0;
    pthread_mutex_lock(&m->mu);
    struct count_snapshot *c = find(m, id, e_number);
    if (c) {
        *out = *c;
        goto out;
    }
    if ((r = load(m, id, e_number, out, e)))
        goto out;
    int slot = m->n;
    if (slot == COUNT_MIRROR_MAX) {
        slot = m->next_out;
        m->next_out = (m->next_out + 1) % COUNT_MIRROR_MAX;
    } else {
        m->n++;
    }
    m->entries[slot] = *out;
out:
    pthread_mutex_unlock(&m->mu);
    return r;
}

void
count_mirror_lock(struct count_mirror *m)
{
    pthread_mutex_lock(&m->mu);
}

void
count_mirror_unlock(struct count_mirror *m)
{
    pthread_mutex_unlock(&m->mu);
}

void
count_mirror_apply(struct count_mirror *m, const struct sign_delta *d, int n)
{
    for (int i = 0; i < n; i++) {
        struct count_snapshot *c = find(m, d[i].petition_id, 0);
        if (!c)
            continue;
        c->regions[d[i].region] += d[i].delta;
        c->total += d[i].delta;
    }
}

void
count_mirror_forget(struct count_mirror *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    m->n = 0;
    m->next_out = 0;
    pthread_mutex_unlock(&m->mu);
}

int
count_mirror_check(struct count_mirror *m, int64_t now, int *checked, int *drifted,
                   struct err *e)
{
    int r = 0;
    *checked = *drifted = 0;
    pthread_mutex_lock(&m->mu);
    for (int i = 0; i < m->n; i++) {
        struct count_snapshot *c = &m->entries[i];
        int64_t stored[REGION_COUNT], total;
        if ((r = store_petition_counts_stored(m->store, NULL, c->petition_id, stored, &total, e)))
            break;
        (*checked)++;
        if (total == c->total && memcmp(stored, c->regions, sizeof(stored)) == 0)
            continue;
        (*drifted)++;
        /* Read again next time: the rows are the truth. */
        m->entries[i] = m->entries[--m->n];
        i--;
    }
    if (!r) {
        m->last.at = now;
        m->last.checked = *checked;
        m->last.drifted = *drifted;
        m->last.drifted_since_start += *drifted;
    }
    pthread_mutex_unlock(&m->mu);
    return r;
}

void
count_mirror_last_check(struct count_mirror *m, struct count_check_result *out)
{
    pthread_mutex_lock(&m->mu);
    *out = m->last;
    pthread_mutex_unlock(&m->mu);
}
