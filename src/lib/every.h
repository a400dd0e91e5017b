/*
 * every.h: a thread that does one thing every so often until it is
 * stopped: the scheduler's jobs, the watch of the other nodes, the
 * signing of the public logs' checkpoints (src/jobs/).
 *
 * every_start() starts a thread that calls tick(arg) at once, then again
 * interval_ms after each call returns; every_stop() lets the call in hand
 * finish, wakes the thread from its wait and joins it.  tick() may ask
 * for a shorter or longer wait before the next call by returning it in
 * milliseconds (0: the interval).
 */
#ifndef PETITIOND_EVERY_H
#define PETITIOND_EVERY_H

struct err;
struct every;

typedef unsigned (*every_fn)(void *arg);

/* Start; what names the thread in the error when it cannot start. */
int every_start(every_fn tick, void *arg, unsigned interval_ms, const char *what,
                struct every **out, struct err *e);

/* Stop after the call in hand; NULL is fine. */
void every_stop(struct every *t);

#endif
