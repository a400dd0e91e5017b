/*
 * weburl.c: finding URLs and other web references in petition text; see
 * weburl.h for what counts.
 *
 * Domains are recognised by their last label: a known generic top-level
 * domain, or any two letters (the country codes).  "Canada.Ca"-style
 * capitalisation (an upper-case letter then lower case) is read as two
 * sentences run together ("the end.In 2020"), not as a domain; real
 * addresses are written in lower or upper case.
 */
#include "core/weburl.h"

#include <string.h>

#include "lib/banned.h"

static const char *const generic_tlds[] = {
    "com",   "net",  "org",   "info", "biz",  "gov",    "edu",   "int",     "mil",  "io",
    "app",   "dev",  "xyz",   "online", "site", "news", "shop",  "store",   "blog", "tech",
    "name",  "pro",  "mobi",  "asia", "tel",  "travel", "jobs",  "museum",  "aero", "coop",
    "club",  "top",  "live",  "page", "link", "media",  "world", "life",    "email", "cloud",
    "space", "website", "quebec", "radio", "wiki", "social", "video", "network",
};

static char
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

static bool
domain_char(char c)
{
    return is_alnum(c) || c == '-' || c == '.';
}

/* Case-insensitive prefix match of the literal p at s. */
static bool
has_prefix(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != p[i])
            return false;
    return true;
}

static bool
is_tld(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_alpha(s[i]))
            return false;
    /* "Capitalised" is a new sentence, not a domain. */
    if (n >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z')
        return false;
    if (n == 2)
        return true;
    for (size_t k = 0; k < sizeof(generic_tlds) / sizeof(generic_tlds[0]); k++) {
        const char *t = generic_tlds[k];
        if (strlen(t) != n)
            continue;
        size_t i = 0;
        while (i < n && lower(s[i]) == t[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* Does the run s[0..n) of domain characters end in label.TLD?  The run
 * must hold at least two non-empty labels. */
static bool
run_is_domain(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == '-'))
        n--;
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.')
            dot = s + i;
    if (!dot || dot == s || dot[-1] == '.')
        return false;
    size_t tld_len = n - (size_t)(dot + 1 - s);
    return tld_len >= 2 && is_tld(dot + 1, tld_len);
}

bool
weburl_find(const char *s, size_t len, struct weburl_match *m)
{
    static const char *const schemes[] = {"http://", "https://", "ftp://", "mailto:", "www."};

    for (size_t i = 0; i < len; i++) {
        bool boundary = i == 0 || !is_alnum(s[i - 1]);
        for (size_t k = 0; boundary && k < sizeof(schemes) / sizeof(schemes[0]); k++) {
            if (has_prefix(s + i, len - i, schemes[k])) {
                size_t end = i;
                while (end < len && s[end] != ' ' && s[end] != '\n' && s[end] != '\t')
                    end++;
                if (m) {
                    m->offset = i;
                    m->len = end - i;
                }
                return true;
            }
        }
        /* A run of domain characters, possibly with a user@ before it. */
        if (!domain_char(s[i]) || (i > 0 && (domain_char(s[i - 1]) || s[i - 1] == '@')))
            continue;
        size_t end = i;
        while (end < len && domain_char(s[end]))
            end++;
        size_t start = i, dom = i;
        if (end < len && s[end] == '@') {
            /* user@domain: the domain after the @ decides. */
            dom = end + 1;
            end = dom;
            while (end < len && domain_char(s[end]))
                end++;
        }
        if (end > dom && run_is_domain(s + dom, end - dom) &&
            (end == len || !(is_alnum(s[end]) || (unsigned char)s[end] >= 0x80))) {
            if (m) {
                m->offset = start;
                m->len = end - start;
            }
            return true;
        }
        i = end > i ? end - 1 : i;
    }
    return false;
}
