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
#include "lib/banned.h"

struct entry {
    struct count_snapshot snap;
    uint64_t ver; /* bumped whenever a commit that moves it begins or ends */
    int busy;     /* commits that move it, begun and not ended */
};

struct count_mirror {
    struct store *store;
    pthread_mutex_t mu;
    struct entry entries[COUNT_MIRROR_MAX];
    int n;
    int next_out;   /* the slot to reuse when full */
    uint64_t epoch; /* bumped by every commit's begin and end, and by forget */
    int inflight;   /* commits begun and not ended */
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

static struct entry *
find(struct count_mirror *m, int64_t id, long e_number)
{
    for (int i = 0; i < m->n; i++)
        if ((id && m->entries[i].snap.petition_id == id) ||
            (!id && e_number && m->entries[i].snap.e_number == e_number))
            return &m->entries[i];
    return NULL;
}

/* Read one petition's counts from the store (the lock NOT held), outside any
 * transaction: its callers (pages, the API, the scheduler) hold none, and
 * the intake writer, which holds one, only applies what it committed. */
static int
load(struct count_mirror *m, int64_t id, long e_number, struct count_snapshot *out, struct err *e)
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
    pthread_mutex_lock(&m->mu);
    struct entry *c = find(m, id, e_number);
    if (c) {
        *out = c->snap;
        pthread_mutex_unlock(&m->mu);
        return 0;
    }
    uint64_t epoch = m->epoch;
    bool quiet = m->inflight == 0;
    pthread_mutex_unlock(&m->mu);

    int r = load(m, id, e_number, out, e);
    if (r)
        return r;

    /* Keep it only if nothing moved counts while it was read: then it is
     * what every later batch will be applied to.  Otherwise it is still a
     * committed state, good for this answer. */
    pthread_mutex_lock(&m->mu);
    if (quiet && m->epoch == epoch && !find(m, out->petition_id, 0)) {
        int slot = m->n;
        if (slot == COUNT_MIRROR_MAX) {
            slot = m->next_out;
            m->next_out = (m->next_out + 1) % COUNT_MIRROR_MAX;
        } else {
            m->n++;
        }
        m->entries[slot] = (struct entry){.snap = *out};
    }
    pthread_mutex_unlock(&m->mu);
    return 0;
}

void
count_mirror_commit_begin(struct count_mirror *m, const struct count_delta *d, int n)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    m->epoch++;
    m->inflight++;
    for (int i = 0; i < n; i++) {
        struct entry *c = find(m, d[i].petition_id, 0);
        if (c) {
            c->ver++;
            c->busy++;
        }
    }
    pthread_mutex_unlock(&m->mu);
}

void
count_mirror_commit_end(struct count_mirror *m, const struct count_delta *d, int n, bool committed)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    /* Nothing was loaded meanwhile (inflight), and forget() may have
     * dropped entries: each one found was there at begin. */
    for (int i = 0; i < n; i++) {
        struct entry *c = find(m, d[i].petition_id, 0);
        if (!c)
            continue;
        if (committed) {
            c->snap.regions[d[i].region] += d[i].delta;
            c->snap.total += d[i].delta;
        }
        c->ver++;
        if (c->busy > 0)
            c->busy--;
    }
    m->inflight--;
    m->epoch++;
    pthread_mutex_unlock(&m->mu);
}

/* Drop entry c (the lock held), so it is read again; the epoch moves, so
 * a read of the store begun before is not kept. */
static void
drop(struct count_mirror *m, struct entry *c)
{
    *c = m->entries[--m->n];
    if (m->next_out >= m->n)
        m->next_out = 0;
    m->epoch++;
}

int
count_mirror_poll(struct count_mirror *m, int *moved, struct err *e)
{
    int64_t *ids = calloc(COUNT_MIRROR_MAX, sizeof(*ids));
    int64_t *totals = calloc(COUNT_MIRROR_MAX, sizeof(*totals));
    uint64_t *vers = calloc(COUNT_MIRROR_MAX, sizeof(*vers));
    int n = 0, r = 0;
    if (!ids || !totals || !vers)
        die_oom();
    *moved = 0;
    /* Each entry no commit of this node is moving, with its version. */
    pthread_mutex_lock(&m->mu);
    for (int i = 0; i < m->n; i++) {
        if (m->entries[i].busy)
            continue;
        ids[n] = m->entries[i].snap.petition_id;
        vers[n] = m->entries[i].ver;
        n++;
    }
    pthread_mutex_unlock(&m->mu);

    if (n && !(r = store_petition_totals(m->store, NULL, ids, n, totals, e))) {
        pthread_mutex_lock(&m->mu);
        for (int i = 0; i < n; i++) {
            struct entry *c = find(m, ids[i], 0);
            /* A commit of this node began or ended on it meanwhile: what
             * was read may be either side of it; the next poll looks again. */
            if (!c || c->ver != vers[i] || c->busy || totals[i] == c->snap.total)
                continue;
            /* Moved by a commit this node did not make: read it again. */
            drop(m, c);
            (*moved)++;
        }
        pthread_mutex_unlock(&m->mu);
    }
    free(ids);
    free(totals);
    free(vers);
    return r;
}

void
count_mirror_forget(struct count_mirror *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    m->n = 0;
    m->next_out = 0;
    m->epoch++;
    pthread_mutex_unlock(&m->mu);
}

int
count_mirror_check(struct count_mirror *m, int64_t now, int *checked, int *drifted, struct err *e)
{
    /* What to check, copied: each entry's id and version. */
    struct {
        int64_t id;
        uint64_t ver;
    } *todo = calloc(COUNT_MIRROR_MAX, sizeof(*todo));
    int n = 0, r = 0;
    if (!todo)
        die_oom();
    *checked = *drifted = 0;
    pthread_mutex_lock(&m->mu);
    for (int i = 0; i < m->n; i++) {
        if (m->entries[i].busy)
            continue;
        todo[n].id = m->entries[i].snap.petition_id;
        todo[n].ver = m->entries[i].ver;
        n++;
    }
    pthread_mutex_unlock(&m->mu);

    for (int i = 0; i < n; i++) {
        int64_t stored[REGION_COUNT], total;
        if ((r = store_petition_counts_stored(m->store, NULL, todo[i].id, stored, &total, e)))
            break;
        pthread_mutex_lock(&m->mu);
        struct entry *c = find(m, todo[i].id, 0);
        /* A commit that moved it began or ended meanwhile: what was read
         * may be either side of it; the next check looks again. */
        if (c && c->ver == todo[i].ver && !c->busy) {
            if (total != c->snap.total) {
                /* Another node's commit (count_mirror_poll() would have
                 * seen it next): read again, no drift. */
                drop(m, c);
            } else {
                (*checked)++;
                if (memcmp(stored, c->snap.regions, sizeof(stored))) {
                    (*drifted)++;
                    /* Read again next time: the rows are the truth. */
                    drop(m, c);
                }
            }
        }
        pthread_mutex_unlock(&m->mu);
    }
    free(todo);

    pthread_mutex_lock(&m->mu);
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
