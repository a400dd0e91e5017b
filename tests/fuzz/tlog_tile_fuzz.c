/*
 * tlog_tile_fuzz.c: libFuzzer target for the transparency log's tile
 * paths and entry bundles (src/core/tlog.c: tlog_tile_parse(),
 * tlog_bundle_each()): a path comes from a URL (GET
 * /log/{number}/tile/...), a bundle from a server a verifier reads.
 *
 * Invariants: any bytes are read without a crash or undefined behaviour;
 * a path that is accepted is in range (level -1..63, a width of 1..256,
 * an index ≥ 0) and is the canonical form: formatted again it gives the
 * input byte for byte; whether the tile exists in trees of a few sizes
 * is answered, and the answer is monotonic in the size.  A bundle that
 * is accepted has as many entries as were seen, whose lengths and
 * prefixes add up to the input's size exactly.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/tlog.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    int count;
    size_t bytes;
};

static void
see(void *ctx, int i, const char *entry, size_t len)
{
    struct seen *s = ctx;
    assert(i == s->count);
    assert(entry != NULL || len == 0);
    s->count++;
    s->bytes += 2 + len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tlog_tile t;
    if (tlog_tile_parse((const char *)data, size, &t) == 0) {
        assert(t.level >= -1 && t.level <= 63);
        assert(t.width >= 1 && t.width <= TLOG_TILE_WIDTH);
        assert(t.index >= 0);
        struct strbuf sb;
        sb_init(&sb, NULL);
        tlog_tile_format(&sb, &t);
        assert(!sb_failed(&sb));
        assert(sb.len == size && memcmp(sb.buf, data, size) == 0);
        sb_release(&sb);
        static const int64_t sizes[] = {0, 1, 255, 256, 70000, INT64_MAX / 2, INT64_MAX};
        bool before = false;
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            bool now = tlog_tile_exists(sizes[i], &t);
            assert(now || !before);
            before = now;
        }
    }
    struct seen s = {0};
    int n = tlog_bundle_each(data, size, see, &s);
    if (n >= 0) {
        assert(n == s.count);
        assert(s.bytes == size);
    } else {
        assert(n == -1 && s.count == 0);
    }
    return 0;
}
