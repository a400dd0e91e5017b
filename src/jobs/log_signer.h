/*
 * log_signer.h: the thread that signs the public logs' checkpoints
 * (issue 18): once a second it makes the logs opened petitions lack and
 * signs a checkpoint of every log that has grown
 * (workflow/log_checkpoint.h), so a count that moves is attested within
 * about a second and no more than once a second.  Several nodes may run
 * it: each checkpoint is signed in a write transaction that first reads
 * the last one, so two nodes never sign the same size twice.  A store
 * that fails is logged once per outage and tried again.
 */
#ifndef PETITIOND_LOG_SIGNER_H
#define PETITIOND_LOG_SIGNER_H

struct clock;
struct err;
struct flow;
struct log_memory;
struct log_signer;
struct note_key;

enum { LOG_SIGNER_MS = 1000 };

/* Start signing every interval_ms (0 = LOG_SIGNER_MS) with key at the
 * clock's time, remembering what it signed in memory (NULL: the database
 * alone); f, clock, key and memory must outlive log_signer_stop(). */
int log_signer_start(const struct flow *f, const struct clock *clock, const struct note_key *key,
                     const struct log_memory *memory, unsigned interval_ms, struct log_signer **out,
                     struct err *e);

/* Stop after the round in hand; NULL is fine. */
void log_signer_stop(struct log_signer *s);

#endif
