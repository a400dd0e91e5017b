/*
 * email.c: address syntax and normalised keys; see email.h.
 */
#include "core/email.h"

#include <string.h>

#include "lib/banned.h"

static bool
local_char_ok(unsigned char c)
{
    return c > ' ' && c < 127 && !strchr("<>()[],;:\\\"@", c);
}

static bool
domain_char_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.';
}

bool
email_valid(const char *s, size_t len)
{
    if (!s || len < 3 || len > EMAIL_MAX)
        return false;
    const char *at = memchr(s, '@', len);
    if (!at || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
        return false;
    size_t local = (size_t)(at - s), dlen = len - local - 1;
    if (local < 1 || local > 64 || dlen < 3)
        return false;
    for (size_t i = 0; i < local; i++)
        if (!local_char_ok((unsigned char)s[i]))
            return false;
    if (s[0] == '.' || s[local - 1] == '.')
        return false;
    const char *d = at + 1;
    int labels = 0;
    size_t start = 0;
    for (size_t i = 0; i <= dlen; i++) {
        if (i == dlen || d[i] == '.') {
            size_t n = i - start;
            if (n == 0 || n > 63 || d[start] == '-' || d[i - 1] == '-')
                return false;
            labels++;
            start = i + 1;
        } else if (!domain_char_ok((unsigned char)d[i])) {
            return false;
        }
    }
    return labels >= 2;
}

static char
lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int
email_account_key(const char *s, size_t len, char out[EMAIL_MAX + 1])
{
    if (!email_valid(s, len))
        return -1;
    for (size_t i = 0; i < len; i++)
        out[i] = lower(s[i]);
    out[len] = '\0';
    return 0;
}

int
email_key(const char *s, size_t len, char out[EMAIL_MAX + 1])
{
    if (!email_valid(s, len))
        return -1;
    const char *at = memchr(s, '@', len);
    size_t local = (size_t)(at - s), dlen = len - local - 1;
    char domain[EMAIL_MAX + 1];
    for (size_t i = 0; i < dlen; i++)
        domain[i] = lower(at[1 + i]);
    domain[dlen] = '\0';
    bool gmail = strcmp(domain, "gmail.com") == 0 || strcmp(domain, "googlemail.com") == 0;
    size_t n = 0;
    for (size_t i = 0; i < local; i++) {
        if (s[i] == '+' && i > 0)
            break;
        if (gmail && s[i] == '.')
            continue;
        out[n++] = lower(s[i]);
    }
    if (n == 0)
        return -1;
    out[n++] = '@';
    const char *dom = gmail ? "gmail.com" : domain;
    size_t dl = strlen(dom);
    memcpy(out + n, dom, dl);
    out[n + dl] = '\0';
    return 0;
}
