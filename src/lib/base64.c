/*
 * base64.c: strict standard base64; see base64.h.
 */
#include "lib/base64.h"

#include <sodium.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

void
base64_add(struct strbuf *out, const void *bin, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    sb_grow(out, cap);
    if (sb_failed(out))
        return;
    sodium_bin2base64(out->buf + out->len, cap, bin, len, sodium_base64_VARIANT_ORIGINAL);
    out->len += cap - 1;
}

static int
in_alphabet(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

int
base64_decode(const char *s, size_t len, void *bin, size_t cap, size_t *got)
{
    size_t pad = 0, n = 0;
    const char *end = NULL;
    if (len == 0 || len % 4 != 0)
        return -1;
    while (pad < 2 && s[len - 1 - pad] == '=')
        pad++;
    for (size_t i = 0; i < len - pad; i++)
        if (!in_alphabet(s[i]))
            return -1;
    /* libsodium checks the padding's length and the unused bits. */
    if (sodium_base642bin(bin, cap, s, len, NULL, &n, &end, sodium_base64_VARIANT_ORIGINAL) ||
        end != s + len)
        return -1;
    *got = n;
    return 0;
}
