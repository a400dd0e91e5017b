/*
 * clock.h: where "now" comes from.
 *
 * The core never reads a clock: it is handed `now`.  The edges take it
 * from a struct clock, which reads the system's real time unless a test
 * has fixed it, so deadlines can be tested without waiting.
 */
#ifndef PETITIOND_CLOCK_H
#define PETITIOND_CLOCK_H

#include <stdint.h>

struct clock {
    int64_t fixed;    /* UTC seconds; 0 = the real time */
    const char *file; /* for tests: a file holding the time, or NULL */
};

/*
 * UTC seconds now, by this clock: the fixed time when set; else, when a
 * file is named and holds a whole number of seconds, that number (the file
 * is read at every call, so a test moves time by rewriting it); else the
 * system's real time.
 */
int64_t clock_now(const struct clock *c);

/* Microseconds on the monotonic clock, for measuring how long something
 * took (never a date; no test fixes it). */
int64_t clock_mono_us(void);

#endif
