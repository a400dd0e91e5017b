/*
 * search_fuzz.c: libFuzzer target for the search box (src/core/search.c):
 * the words a visitor types, from which the store writes its full-text
 * query.
 *
 * Invariants: at most SEARCH_TERMS_MAX terms, in order, each non-empty,
 * inside the input and apart from the others; no term holds an ASCII
 * byte that is not a letter or a digit, so nothing typed carries a
 * meaning of its own into the query language (quotes, '*', '-', ':',
 * parentheses, spaces).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "core/search.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
ascii_alnum(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct search_terms t;
    search_terms_split(s, size, &t);
    assert(t.count >= 0 && t.count <= SEARCH_TERMS_MAX);
    const char *after = s;
    for (int i = 0; i < t.count; i++) {
        assert(t.len[i] > 0);
        assert(t.term[i] >= after && t.term[i] + t.len[i] <= s + size);
        for (size_t j = 0; j < t.len[i]; j++) {
            unsigned char c = (unsigned char)t.term[i][j];
            assert(c >= 0x80 || ascii_alnum(c));
        }
        after = t.term[i] + t.len[i];
    }
    struct petition_number n;
    (void)search_number(s, size, &n);
    return 0;
}
