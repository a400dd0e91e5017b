/*
 * log_entry_fuzz.c: libFuzzer target for the entries of an e-petition's
 * public log (src/core/petition_log.c: petition_log_parse()): a verifier
 * (petitiond log verify, a signer's browser) reads them from a site.
 *
 * Invariants: any bytes are read without a crash or undefined behaviour;
 * an entry that is accepted is written again byte for byte by the
 * function that makes its kind (petition_log_void, petition_log_import;
 * a "sig" entry is rebuilt from its parsed fields), its region is a
 * region, and its weight is +1, -1 or its n.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/petition_log.h"
#include "core/province.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct petition_log_entry e;
    struct strbuf sb;
    if (petition_log_parse((const char *)data, size, &e) != 0)
        return 0;
    sb_init(&sb, NULL);
    switch (e.kind) {
    case PETITION_LOG_SIG:
        assert(e.region >= 0 && e.region < REGION_COUNT);
        sb_addf(&sb, "sig %04d-%02d-%02d %s %s", e.year, e.month, e.day, region_code(e.region),
                e.commitment);
        assert(petition_log_weight(&e) == 1);
        break;
    case PETITION_LOG_VOID:
        petition_log_void(&sb, e.index, e.reason);
        assert(petition_log_weight(&e) == -1);
        break;
    case PETITION_LOG_IMPORT:
        assert(e.region >= 0 && e.region < REGION_COUNT);
        petition_log_import(&sb, e.region, e.n);
        assert(petition_log_weight(&e) == e.n);
        break;
    }
    assert(sb.len == size && memcmp(sb.buf, data, size) == 0);
    sb_release(&sb);
    return 0;
}
