/*
 * utf8.c: UTF-8 validation and decoding (RFC 3629 table 3-7 ranges).
 */
#include "lib/utf8.h"

#include "lib/banned.h"

size_t
utf8_decode(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    unsigned v, lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned b = p[i];
        if (b < lo || b > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        v = v << 6 | (b & 0x3F);
    }
    *cp = v;
    return n;
}

bool
utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

bool
utf8_has_controls(const char *s, size_t len, bool allow_newlines)
{
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return true;
        if (cp < 0x20) {
            if (!(cp == '\t' || (allow_newlines && (cp == '\n' || cp == '\r'))))
                return true;
        } else if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            return true;
        }
        i += n;
    }
    return false;
}

size_t
utf8_length(const char *s, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}
