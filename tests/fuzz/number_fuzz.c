/*
 * number_fuzz.c: libFuzzer target for petition numbers (src/core/numbering.c)
 * and the search box read as one (src/core/search.c, search_number()).
 *
 * Invariants: a number that parses is in its range, and its formatted
 * form parses back to the same number; search_number() agrees with
 * petition_number_parse() on a number without spaces around it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/numbering.h"
#include "core/search.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct err e = ERR_INIT;
    struct strbuf out;
    long n;

    if (e_number_parse(s, size, &n, &e) == 0) {
        assert(n >= 1 && n <= 9999999);
        sb_init(&out, NULL);
        e_number_format(&out, n);
        long again;
        assert(e_number_parse(out.buf, out.len, &again, &e) == 0 && again == n);
        sb_release(&out);
    }

    struct presented_number pn;
    if (presented_number_parse(s, size, &pn, &e) == 0) {
        assert(pn.parliament >= 1 && pn.parliament <= 99);
        assert(pn.session >= 1 && pn.session <= 9);
        assert(pn.sequence >= 1 && pn.sequence <= 99999);
        sb_init(&out, NULL);
        presented_number_format(&out, &pn);
        struct presented_number again;
        assert(presented_number_parse(out.buf, out.len, &again, &e) == 0);
        assert(memcmp(&again, &pn, sizeof(pn)) == 0);
        sb_release(&out);
    }

    struct petition_number a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    int parsed = petition_number_parse(s, size, &a, &e);
    int searched = search_number(s, size, &b);
    if (parsed == 0) {
        assert(searched == 0);
        assert(memcmp(&a, &b, sizeof(a)) == 0);
    }
    return 0;
}
