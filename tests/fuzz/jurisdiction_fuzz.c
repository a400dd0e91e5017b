/*
 * jurisdiction_fuzz.c: libFuzzer target for the jurisdiction file's reader
 * (src/workflow/jurisdiction_file.c, jurisdiction_parse()): the rules of a
 * parliament, read from JSON that an operator supplies (serve
 * --jurisdiction FILE).
 *
 * Invariants: any bytes are read without a crash, a leak or undefined
 * behaviour; what is accepted passes the rules' own check
 * (jurisdiction_check()) again, its texts are NUL-terminated within their
 * fields, and its count of committees (and of each one's subjects and
 * ministries) is within their array; what is
 * refused says why.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/jurisdiction.h"
#include "lib/err.h"
#include "workflow/jurisdiction_file.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct jurisdiction j;
    struct err e = ERR_INIT;
    int r = jurisdiction_parse((const char *)data, size, &j, &e);
    if (r) {
        assert(r == ERR_INVALID);
        assert(e.log[0] != '\0');
        return 0;
    }
    assert(jurisdiction_check(&j, &e) == 0);
    assert(memchr(j.id, '\0', sizeof(j.id)) && j.id[0]);
    assert(memchr(j.name_en, '\0', sizeof(j.name_en)));
    assert(memchr(j.name_fr, '\0', sizeof(j.name_fr)));
    assert(j.committees_count >= 0 && j.committees_count <= JURISDICTION_MAX_COMMITTEES);
    for (int i = 0; i < j.committees_count; i++) {
        const struct committee *k = &j.committees[i];
        assert(k->subjects_count >= 0 && k->subjects_count <= COMMITTEE_MAX_CODES);
        assert(k->ministries_count >= 0 && k->ministries_count <= COMMITTEE_MAX_CODES);
        for (int c = 0; c < k->subjects_count; c++)
            assert(memchr(k->subjects[c], '\0', COMMITTEE_CODE_MAX) && k->subjects[c][0]);
        for (int c = 0; c < k->ministries_count; c++)
            assert(memchr(k->ministries[c], '\0', COMMITTEE_CODE_MAX) && k->ministries[c][0]);
    }
    return 0;
}
