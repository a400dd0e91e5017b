/*
 * percent_fuzz.c: libFuzzer target for percent decoding and encoding and
 * the escaping of log lines (src/lib/escape.c).
 *
 * Invariants: decoding never crashes and, when it succeeds, writes no
 * more bytes than it read; what url_encode() and url_encode_path() write
 * holds only the characters they promise and decodes back to the input;
 * log_escape() writes printable ASCII without '"' (every other byte is
 * \xHH).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
unreserved(char c, bool slash)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '%' || (slash && c == '/');
}

static void
round_trip(const char *s, size_t size, bool path)
{
    struct strbuf enc, dec;
    sb_init(&enc, NULL);
    sb_init(&dec, NULL);
    if (path)
        url_encode_path(&enc, s, size);
    else
        url_encode(&enc, s, size);
    assert(!sb_failed(&enc));
    for (size_t i = 0; i < enc.len; i++)
        assert(unreserved(enc.buf[i], path));
    assert(url_decode(&dec, enc.buf, enc.len) == 0);
    assert(dec.len == size);
    assert(size == 0 || memcmp(dec.buf, s, size) == 0);
    sb_release(&enc);
    sb_release(&dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct strbuf out;
    sb_init(&out, NULL);
    if (url_decode(&out, s, size) == 0)
        assert(out.len <= size);
    sb_release(&out);

    round_trip(s, size, false);
    round_trip(s, size, true);

    sb_init(&out, NULL);
    log_escape(&out, s, size);
    for (size_t i = 0; i < out.len; i++) {
        unsigned char c = (unsigned char)out.buf[i];
        assert(c >= 0x20 && c < 0x7f && c != '"');
    }
    sb_release(&out);
    return 0;
}
