/*
 * postal_fuzz.c: libFuzzer target for postal codes (src/core/postal.c).
 *
 * Invariants: a code that parses is written "A9A 9A9" in upper case, is
 * its own normalised form when parsed again, and belongs to one or two
 * regions, each of which it passes the region check for.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/postal.h"
#include "lib/err.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = ERR_INIT;
    char code[8], again[8];
    if (postal_code_parse((const char *)data, size, code, &e) != 0)
        return 0;
    assert(strlen(code) == 7 && code[3] == ' ');
    for (int i = 0; i < 7; i++) {
        if (i == 3)
            continue;
        bool digit = i == 1 || i == 4 || i == 6;
        assert(digit ? (code[i] >= '0' && code[i] <= '9') : (code[i] >= 'A' && code[i] <= 'Z'));
    }
    assert(postal_code_parse(code, 7, again, &e) == 0 && strcmp(code, again) == 0);
    enum region regions[2];
    size_t n = postal_code_regions(code, regions);
    assert(n == 1 || n == 2);
    for (size_t i = 0; i < n; i++)
        assert(postal_code_check_region(code, regions[i], &e) == 0);
    return 0;
}
