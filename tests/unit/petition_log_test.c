/*
 * petition_log_test.c: the public log's entries as the intake writer
 * formats them (core/petition_log.h) and the nonce a signer's commitment
 * hides (workflow/petition_log.h), both written without printf for speed
 * (issue 18, item 8): the same bytes as the formats they stand for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/petition_log.h"
#include "core/province.h"
#include "core/signature.h"
#include "lib/civil.h"
#include "lib/strbuf.h"
#include "lib/token.h"
#include "workflow/flow.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

static void
sig_entries_read_as_their_format(void **state)
{
    (void)state;
    uint8_t nonce[PETITION_LOG_NONCE_BYTES];
    /* Eastern midnights, daylight saving's changes, the years' ends. */
    const int64_t times[] = {0,           1704085199, 1704085200, 1710054000, 1710054000 + 7200,
                             1730613600,  1735707599, 1735707600, 1798761599, 4102462800,
                             253402300799};
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        for (int region = 0; region < REGION_COUNT; region++) {
            randombytes_buf(nonce, sizeof(nonce));
            struct strbuf got, want;
            struct civil_time t;
            char c[PETITION_LOG_COMMITMENT_HEX + 1];
            sb_init(&got, NULL);
            sb_init(&want, NULL);
            petition_log_sig(&got, times[i], (enum region)region, nonce);
            eastern_from_utc(times[i], &t);
            petition_log_commitment(nonce, c);
            sb_addf(&want, "sig %04d-%02d-%02d %s %s", t.year, t.month, t.day,
                    region_code((enum region)region), c);
            assert_int_equal(got.len, want.len);
            assert_memory_equal(got.buf, want.buf, want.len);
            struct petition_log_entry pe;
            assert_int_equal(petition_log_parse(got.buf, got.len, &pe), 0);
            assert_int_equal(pe.kind, PETITION_LOG_SIG);
            sb_release(&got);
            sb_release(&want);
        }
    }
}

static void
nonce_is_the_mac_of_its_message(void **state)
{
    (void)state;
    unsigned char key[TOKEN_KEY_BYTES];
    randombytes_buf(key, sizeof(key));
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.link_key = key;
    const int64_t ids[] = {0, 1, 9, 10, 4711, 1234567890123LL, INT64_MAX};
    const char *keys[] = {NULL, "", "signer@example.ca", "a.much.longer.address@example.ca"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            struct signature_record g;
            memset(&g, 0, sizeof(g));
            g.id = ids[i];
            g.email_key = keys[k];
            uint8_t got[PETITION_LOG_NONCE_BYTES], want[TOKEN_KEY_BYTES];
            char msg[128];
            snprintf(msg, sizeof(msg), "log-nonce|%lld|%s", (long long)ids[i],
                     keys[k] ? keys[k] : "");
            token_mac_bytes(key, msg, want);
            log_nonce(&f, &g, got);
            assert_memory_equal(got, want, sizeof(got));
        }
    }
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sig_entries_read_as_their_format),
        cmocka_unit_test(nonce_is_the_mac_of_its_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
