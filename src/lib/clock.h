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
    int64_t fixed; /* UTC seconds; 0 = the real time */
};

/* UTC seconds now, by this clock. */
int64_t clock_now(const struct clock *c);

#endif
