/*
 * weburl_fuzz.c: libFuzzer target for the detector of web references in
 * a petition's text (src/core/weburl.c, rulebook 3).
 *
 * Invariants: a reference found lies inside the text and is not empty,
 * and the answer does not depend on whether the match is asked for.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "core/weburl.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct weburl_match m = {0, 0};
    bool found = weburl_find(s, size, &m);
    assert(found == weburl_find(s, size, NULL));
    if (found) {
        assert(m.len > 0);
        assert(m.offset <= size && m.len <= size - m.offset);
    }
    return 0;
}
