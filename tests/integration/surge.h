/*
 * surge.h: signers that keep signing one petition while a test takes the
 * database away (db_outage_test, failover_test).
 *
 * Each signer is a thread that signs e-6512 again and again, every time
 * as a new person (<who><n>@example.ca, from an address of its own in
 * X-Forwarded-For), through the test's nodes in turn.  It counts what it
 * is told: 303 (acknowledged: the person's number and the time are kept),
 * 503 (with or without Retry-After; then it pauses 20 ms, as a browser
 * would not hammer), anything else or no answer.  surge_check_stored()
 * then proves that every acknowledged signature is stored, once.
 *
 * The signers touch no cmocka assert (its asserts jump); the test
 * thread does.
 */
#ifndef PETITIOND_TEST_SURGE_H
#define PETITIOND_TEST_SURGE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "harness.h"

enum { SURGE_MAX_SIGNED = 60000, SURGE_MAX_SIGNERS = 8 };

struct surge {
    struct harness *nodes; /* the servers, signed through in turn */
    int n_nodes;
    const char *who;           /* the e-mail's local part before the number */
    atomic_int acknowledged;   /* 303s */
    atomic_int unavailable;    /* 503s */
    atomic_int no_retry_after; /* 503s without Retry-After */
    atomic_int other;          /* any other answer, or none */
    atomic_int next;           /* the next person's number */
    atomic_bool stop;
    /* The people told 303, and when (surge_now()). */
    int acked[SURGE_MAX_SIGNED];
    double acked_at[SURGE_MAX_SIGNED];
    atomic_int nacked;
    pthread_t threads[SURGE_MAX_SIGNERS];
    int n_threads;
};

/* Start signers (at most SURGE_MAX_SIGNERS) on s, which must be zeroed
 * (static). */
void surge_start(struct surge *s, struct harness *nodes, int n_nodes, const char *who, int signers);

/* Stop the signers and wait for them. */
void surge_stop(struct surge *s);

/* Seconds on the monotonic clock. */
double surge_now(void);

/* Wait (at most seconds) until counter reaches want; whether it did. */
bool surge_wait(atomic_int *counter, int want, double seconds);

/* The time of the last acknowledgement at or before t (t when none), and
 * of the first after t (0 when none). */
double surge_acked_before(struct surge *s, double t);
double surge_acked_after(struct surge *s, double t);

/* After surge_stop(): fail the test unless every acknowledged signature
 * is stored on h's database and no address is stored twice, and unless
 * every answer was 303 or 503 with Retry-After (printing the server log
 * lines of other answers). */
void surge_check_stored(struct surge *s, struct harness *h);

#endif
