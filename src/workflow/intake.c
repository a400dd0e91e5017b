/*
 * intake.c: the signature writer; see intake.h.
 */
#include "workflow/intake.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/changes.h"
#include "lib/die.h"
#include "lib/metrics.h"
#include "lib/wake.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/flow.h"
#include "lib/banned.h"

struct intake {
    const struct flow *f;
    struct intake_config cfg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    struct intake_job *head, *tail; /* queued, not yet taken */
    unsigned pending;               /* reserved: queued, being written, or about to be */
    unsigned queued;                /* in the list now */
    unsigned last_batch;            /* jobs in the last batch taken */
    bool gathering;                 /* the writer waits for more (gather()) */
    bool stopping;
    struct intake_stats stats;
    int64_t commit_us;     /* time spent committing */
    int64_t commit_max_us; /* the longest commit */
    int64_t write_us;      /* time spent writing batches, commits included */
};

/* One job under a savepoint of its own: whatever it returns, what it
 * wrote is kept only when it succeeded (its count changes too), so a
 * refusal writes nothing, whatever path it took.  Returns 0, or the
 * error that lost the whole transaction (then every job fails). */
static int
write_job(const struct flow *f, struct store_txn *tx, struct sign_txn *t, struct intake_job *job,
          struct err *e)
{
    int r;
    job->err = (struct err)ERR_INIT;
    job->already = false;
    if ((r = store_savepoint(tx, e)))
        return r;
    sign_txn_job_begin(t);
    if (job->kind == INTAKE_SIGN)
        job->result = sign_write(f, tx, t, job->e_number, &job->rq, job->key, job->now, &job->err);
    else
        job->result =
            sign_confirm_write(f, tx, t, job->signature_id, &job->already, job->now, &job->err);
    if (!job->result && (r = store_savepoint_release(tx, &job->err)))
        job->result = r;
    sign_txn_job_end(t, job->result == 0);
    if (job->result)
        return store_savepoint_rollback(tx, e);
    return 0;
}

static void
fail_all(struct intake_job *batch, int r, const struct err *why)
{
    for (struct intake_job *j = batch; j; j = j->next) {
        j->result = r;
        j->err = *why;
    }
}

/* The batch's jobs as sign_write_batch() takes them. */
static struct sign_item *
batch_items(struct arena *a, struct intake_job *batch, int *n)
{
    int count = 0;
    for (struct intake_job *j = batch; j; j = j->next)
        count++;
    struct sign_item *items = arena_calloc(a, (size_t)count, sizeof(*items));
    int i = 0;
    for (struct intake_job *j = batch; j; j = j->next, i++)
        items[i] = (struct sign_item){
            .confirm = j->kind == INTAKE_CONFIRM,
            .e_number = j->e_number,
            .rq = &j->rq,
            .key = j->key,
            .signature_id = j->signature_id,
            .now = j->now,
        };
    *n = count;
    return items;
}

/*
 * Write the jobs together (sign_write_batch()), then those it left alone
 * one by one, in order, in the transaction *tx begins.  When writing
 * together fails but the database is there (a value one engine refuses,
 * a fault), the transaction is rolled back and begun again, and every
 * job is written alone, so one bad job fails alone.  (A rollback rather
 * than a savepoint around the lot: two round trips fewer in every batch
 * on PostgreSQL, for what should never happen.)  Returns 0, or the error
 * that lost the whole transaction.
 */
static int
write_jobs(const struct flow *f, struct store_txn **tx, struct sign_txn *t, struct arena *a,
           struct intake_job *batch, struct err *e)
{
    struct err why = ERR_INIT;
    int n, r;
    struct sign_item *items = batch_items(a, batch, &n);

    if ((r = store_begin(f->store, tx, e)))
        return r;
    sign_txn_init(t, a, batch->now);
    if ((r = sign_write_batch(f, *tx, t, items, n, &why))) {
        if (r == ERR_UNAVAILABLE) {
            *e = why;
            return r;
        }
        store_rollback(*tx);
        *tx = NULL;
        if ((r = store_begin(f->store, tx, e)))
            return r;
        sign_txn_init(t, a, batch->now);
        for (int i = 0; i < n; i++)
            items[i].alone = true;
    }
    int i = 0;
    for (struct intake_job *j = batch; j; j = j->next, i++) {
        if (items[i].alone) {
            if ((r = write_job(f, *tx, t, j, e)))
                return r;
            continue;
        }
        j->result = items[i].result;
        j->err = items[i].err;
        j->already = items[i].already;
    }
    return 0;
}

/* Write one batch in one transaction; every job gets its outcome. */
static void
write_batch(struct intake *in, struct intake_job *batch)
{
    const struct flow *f = in->f;
    struct arena *a = arena_new();
    struct store_txn *tx = NULL;
    struct sign_txn t;
    struct err e = ERR_INIT;
    int r;

    if ((r = write_jobs(f, &tx, &t, a, batch, &e)) || (r = sign_txn_flush(tx, &t, &e)))
        goto failed;

    /* The counts in memory learn of the commit around it, without a lock
     * held across the disk's flush (counts.h). */
    count_mirror_commit_begin(f->counts, t.deltas, t.delta_count);
    int64_t t0 = clock_mono_us();
    r = store_commit(tx, &e);
    int64_t took = clock_mono_us() - t0;
    tx = NULL;
    count_mirror_commit_end(f->counts, t.deltas, t.delta_count, r == 0);
    pthread_mutex_lock(&in->mu);
    in->commit_us += took;
    if (took > in->commit_max_us)
        in->commit_max_us = took;
    pthread_mutex_unlock(&in->mu);
    metrics_observe(&metrics_commit_bounds, &metrics.commit_seconds, (uint64_t)took);
    if (r)
        goto failed;
    if (t.delta_count)
        changes_bump_counts(f->changes);
    wake_signal(f->mail_wake);
    goto out;

failed:
    store_rollback(tx);
    fail_all(batch, ERR_UNAVAILABLE, &e);
out:
    arena_free(a);
}

/*
 * Under load, wait a moment for the rest of a round of requests before
 * writing (the lock held).  When the last batch was large, the requests
 * it answered are coming back: a few hundred microseconds gathers them
 * into one transaction instead of two, and a commit's flush is the
 * dearest part of a batch.  A lone signature (last batch under
 * GATHER_MIN) never waits.
 */
enum { GATHER_MIN = 8, GATHER_MAX_US = 500 };

static void
gather(struct intake *in)
{
    unsigned want = in->last_batch / 2;
    if (in->last_batch < GATHER_MIN || in->queued >= want || in->stopping)
        return;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += GATHER_MAX_US * 1000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    in->gathering = true;
    while (in->queued < want && !in->stopping)
        if (pthread_cond_timedwait(&in->cv, &in->mu, &until))
            break;
    in->gathering = false;
}

static void *
run(void *arg)
{
    struct intake *in = arg;
    pthread_mutex_lock(&in->mu);
    for (;;) {
        while (!in->head && !in->stopping)
            pthread_cond_wait(&in->cv, &in->mu);
        if (!in->head)
            break;
        gather(in);
        /* Everything queued, up to the bound. */
        struct intake_job *batch = in->head, *last = batch;
        unsigned n = 1;
        while (last->next && n < in->cfg.max_batch) {
            last = last->next;
            n++;
        }
        in->head = last->next;
        if (!in->head)
            in->tail = NULL;
        last->next = NULL;
        in->queued -= n;
        in->last_batch = n;
        pthread_mutex_unlock(&in->mu);

        int64_t t0 = clock_mono_us();
        write_batch(in, batch);
        int64_t took = clock_mono_us() - t0;
        metrics_observe(&metrics_batch_bounds, &metrics.batch_size, n);
        for (struct intake_job *j = batch, *next; j; j = next) {
            next = j->next;
            if (!j->result && (j->kind == INTAKE_SIGN || !j->already))
                metrics_add(j->kind == INTAKE_SIGN ? &metrics.signatures : &metrics.confirmations,
                            1);
            j->done(j); /* j may be gone after this */
        }

        pthread_mutex_lock(&in->mu);
        in->write_us += took;
        in->pending -= n;
        in->stats.jobs += n;
        in->stats.batches++;
        if (n > in->stats.largest)
            in->stats.largest = n;
    }
    pthread_mutex_unlock(&in->mu);
    return NULL;
}

int
intake_start(const struct flow *f, const struct intake_config *cfg, struct intake **out,
             struct err *e)
{
    struct intake *in = calloc(1, sizeof(*in));
    if (!in)
        die_oom();
    in->f = f;
    in->cfg = *cfg;
    if (!in->cfg.max_queue)
        in->cfg.max_queue = 8192;
    if (!in->cfg.max_batch)
        in->cfg.max_batch = 1000;
    pthread_mutex_init(&in->mu, NULL);
    pthread_cond_init(&in->cv, NULL);
    if (pthread_create(&in->thread, NULL, run, in)) {
        pthread_mutex_destroy(&in->mu);
        pthread_cond_destroy(&in->cv);
        free(in);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot start the signature writer");
    }
    *out = in;
    return 0;
}

bool
intake_reserve(struct intake *in)
{
    bool ok;
    pthread_mutex_lock(&in->mu);
    ok = !in->stopping && in->pending < in->cfg.max_queue;
    if (ok)
        in->pending++;
    else
        in->stats.refused++;
    pthread_mutex_unlock(&in->mu);
    return ok;
}

void
intake_submit(struct intake *in, struct intake_job *job)
{
    job->next = NULL;
    job->result = 0;
    pthread_mutex_lock(&in->mu);
    if (in->tail)
        in->tail->next = job;
    else
        in->head = job;
    in->tail = job;
    in->queued++;
    /* A gathering writer only wants to know when enough have come. */
    if (!in->gathering || in->queued >= in->last_batch / 2)
        pthread_cond_signal(&in->cv);
    pthread_mutex_unlock(&in->mu);
}

void
intake_stats(struct intake *in, struct intake_stats *out)
{
    pthread_mutex_lock(&in->mu);
    *out = in->stats;
    out->pending = in->pending;
    out->commit_ms = (uint64_t)(in->commit_us / 1000);
    out->commit_max_ms = (uint64_t)(in->commit_max_us / 1000);
    out->write_ms = (uint64_t)(in->write_us / 1000);
    pthread_mutex_unlock(&in->mu);
}

void
intake_stop(struct intake *in)
{
    if (!in)
        return;
    pthread_mutex_lock(&in->mu);
    bool was = in->stopping;
    in->stopping = true;
    pthread_cond_signal(&in->cv);
    pthread_mutex_unlock(&in->mu);
    if (!was)
        pthread_join(in->thread, NULL);
}

void
intake_free(struct intake *in)
{
    if (!in)
        return;
    intake_stop(in);
    pthread_mutex_destroy(&in->mu);
    pthread_cond_destroy(&in->cv);
    free(in);
}
