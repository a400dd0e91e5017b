/*
 * intake.h: the signature writer, one per database (issue 6).
 *
 * Request threads check a signature (sign_check(), pure) or a
 * confirmation link's MAC, then hand it to the writer and stop working on
 * it: the HTTP connection is suspended, not a thread.  The writer takes
 * whatever is queued, up to max_batch jobs, and writes them in one
 * transaction (signature rows, their outbox rows, the batch's count
 * changes; synchronous=FULL), then tells each job its result.  So an
 * answer is sent only after the commit that holds it, a lone signature is
 * committed at once, and under load batches grow by themselves while the
 * commit of the previous one is on disk.  When the last batch was large
 * (8 or more), the writer waits up to 0.5 ms for half as many to gather
 * before writing, so a round of requests takes one commit, not two.
 *
 * Back-pressure: at most max_queue jobs wait or are being written.  A
 * request that finds no room (intake_reserve() false) is answered 503 with
 * Retry-After at once: the queue never grows without bound and nothing is
 * half-written.
 *
 * Each job runs under a savepoint of its own: a job that fails, for a
 * refusal (the petition is closed or unknown, a confirmation too late) or
 * after writing part of itself (the disk, a bug), is rolled back to it and
 * fails alone, having provably written nothing, count changes included;
 * the others go on.  A failed commit fails the whole batch; none of it is
 * stored, and each job says so (ERR_UNAVAILABLE).
 *
 * Around its commit the writer tells the counts in memory (counts.h),
 * which apply the batch's count changes once it is committed; no lock is
 * held across the disk's flush.  Then it bumps changes.counts.
 */
#ifndef PETITIOND_INTAKE_H
#define PETITIOND_INTAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/email.h"
#include "lib/err.h"
#include "workflow/signing.h"

struct flow;
struct intake;

enum intake_kind { INTAKE_SIGN, INTAKE_CONFIRM };

struct intake_job {
    enum intake_kind kind;
    /* INTAKE_SIGN: the petition, the checked request (its strings stay
     * the submitter's and must live until done) and its e-mail key. */
    long e_number;
    struct sign_request rq;
    char key[EMAIL_MAX + 1];
    /* INTAKE_CONFIRM: the signature (its token already checked). */
    int64_t signature_id;
    int64_t now;
    /* The outcome, set before done() is called: 0 or an error code with
     * err; already for a confirmation made before. */
    int result;
    struct err err;
    bool already;
    /* Called once on the writer's thread after the outcome is known.  It
     * owns the job from then on (it may free it or wake its request). */
    void (*done)(struct intake_job *job);
    void *arg;
    struct intake_job *next; /* the writer's */
};

struct intake_config {
    unsigned max_queue; /* jobs waiting or being written (0 = 8192) */
    unsigned max_batch; /* jobs per transaction (0 = 1000) */
};

/* Start the writer thread.  ERR_IO when the thread cannot start. */
int intake_start(const struct flow *f, const struct intake_config *cfg, struct intake **out,
                 struct err *e);

/* Take a place in the queue: false when it is full or stopping (answer
 * 503).  Every true must be followed by intake_submit(). */
bool intake_reserve(struct intake *in);

/* Queue a job in a reserved place. */
void intake_submit(struct intake *in, struct intake_job *job);

/* How the writer has done since it started. */
struct intake_stats {
    uint64_t jobs;       /* written (whatever their outcome) */
    uint64_t batches;    /* transactions committed or failed */
    uint64_t refused;    /* intake_reserve() said no */
    unsigned largest;    /* the largest batch */
    unsigned pending;    /* waiting or being written now */
    uint64_t write_ms;   /* time spent writing batches, commits included */
    uint64_t commit_ms;  /* of which committing (the disk's flush) */
    uint64_t commit_max_ms; /* the longest commit */
};
void intake_stats(struct intake *in, struct intake_stats *out);

/* Refuse new jobs (intake_reserve() says no from now on), write every
 * queued one, stop the thread.  Request threads may still call
 * intake_reserve() until intake_free(), after the server has stopped. */
void intake_stop(struct intake *in);
void intake_free(struct intake *in);

#endif
