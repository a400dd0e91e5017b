/*
 * tlog_proof_fuzz.c: libFuzzer target for receipts, C2SP tlog-proof
 * files (src/core/tlog.c: tlog_proof_parse()), which a signer uploads or
 * pastes into the "Check my signature" page.
 *
 * Invariants: any bytes are read without a crash or undefined behaviour;
 * a receipt that is accepted has at most TLOG_MAX_PROOF hashes, an index
 * ≥ 0, its extra within the buffer it was given and its checkpoint a
 * non-empty tail of the input ending in a newline; and, the reading being
 * strict, formatted again it gives the input byte for byte.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/tlog.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t extra[64];
    static struct tlog_proof p;
    const char *text = (const char *)data;
    if (tlog_proof_parse(text, size, extra, sizeof(extra), &p) != 0)
        return 0;
    assert(p.n >= 0 && p.n <= TLOG_MAX_PROOF);
    assert(p.index >= 0);
    assert(p.extra == NULL ||
           (p.extra == extra && p.extra_len >= 1 && p.extra_len <= sizeof(extra)));
    assert(p.checkpoint > text && p.checkpoint_len > 0);
    assert(p.checkpoint + p.checkpoint_len == text + size);
    assert(p.checkpoint[p.checkpoint_len - 1] == '\n');
    struct strbuf sb;
    sb_init(&sb, NULL);
    tlog_proof_format(&sb, &p);
    assert(!sb_failed(&sb));
    assert(sb.len == size && memcmp(sb.buf, data, size) == 0);
    sb_release(&sb);
    return 0;
}
