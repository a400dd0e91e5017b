/*
 * parse.h: the one way numbers from outside become integers (as OpenBSD
 * strtonum): the whole text must be a decimal integer within [min, max].
 */
#ifndef PETITIOND_PARSE_H
#define PETITIOND_PARSE_H

#include <stddef.h>

struct err;

/*
 * Parse the len bytes at s as a decimal integer in [min, max] into *out.
 * Leading '+' or '-' is allowed only when min < 0; no spaces.  Returns 0,
 * or ERR_INVALID with e->key "error.number" and a log text naming what.
 */
int parse_ll(const char *s, size_t len, long long min, long long max, long long *out,
             struct err *e);

/* parse_ll() on a NUL-terminated string. */
int parse_llz(const char *s, long long min, long long max, long long *out, struct err *e);

#endif
