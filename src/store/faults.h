/*
 * faults.h: making a store fail on purpose, to prove what its callers do
 * when it fails (house style 19; SQLite's do_faultsim_test).
 *
 * A plan names the next call or commit to fail: counting from the call
 * that sets it, the n-th call of any wrapper of store.h (a read, a write,
 * store_begin) fails with ERR_STORE before reaching the backend, or the
 * n-th store_commit() rolls back and fails with ERR_STORE.  One fault per
 * plan; a store without a plan never fails on purpose.  The plan is kept
 * in atomics, so it may be set while other threads use the store, but
 * which thread's call is the n-th is then theirs to decide: tests set it
 * where one thread works (tests/store/faults_test.c).
 */
#ifndef PETITIOND_STORE_FAULTS_H
#define PETITIOND_STORE_FAULTS_H

#include <stdbool.h>

struct store;

/* The n-th call from now fails (n >= 1); 0 cancels. */
void store_faults_fail_call(struct store *s, long n);

/* The n-th commit from now fails (n >= 1); 0 cancels. */
void store_faults_fail_commit(struct store *s, long n);

/* Cancel both plans. */
void store_faults_clear(struct store *s);

/* Whether a planned fault has not happened yet: after an operation run
 * with a plan, false means the operation reached the fault, true that it
 * completed without reaching it (the test's walk of fault points ends). */
bool store_faults_pending(struct store *s);

#endif
