/*
 * parse.c: bounded integer parsing; see parse.h.
 */
#include "lib/parse.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "lib/err.h"
#include "lib/banned.h"

int
parse_ll(const char *s, size_t len, long long min, long long max, long long *out, struct err *e)
{
    size_t i = 0;
    bool neg = false;
    unsigned long long v = 0, limit;

    if (len > 0 && (s[0] == '-' || s[0] == '+') && min < 0) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return err_set(e, ERR_INVALID, "error.number", NULL, "empty number");
    limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return err_set(e, ERR_INVALID, "error.number", NULL, "not a number");
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10)
            return err_set(e, ERR_INVALID, "error.number", NULL, "number out of range");
        v = v * 10 + d;
    }
    long long r = neg ? (v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v)
                      : (long long)v;
    if (r < min || r > max)
        return err_set(e, ERR_INVALID, "error.number", NULL, "number %lld not in [%lld, %lld]",
                       r, min, max);
    *out = r;
    return 0;
}

int
parse_llz(const char *s, long long min, long long max, long long *out, struct err *e)
{
    return parse_ll(s, strlen(s), min, max, out, e);
}
