/*
 * weburl.c: finding URLs and other web references in petition text; see
 * weburl.h for what counts and what does not.
 *
 * The text is scanned once, left to right.  At each boundary (the start,
 * or after a character that is not an ASCII letter or digit) two things
 * are tried in turn:
 *
 *  - a scheme ("http://", "mailto:", any "letters://") or "www.": a
 *    reference whatever follows;
 *  - a run of domain characters (letters, digits, '-', '.'), possibly the
 *    local part of an e-mail address before '@': a reference when its
 *    last label is a top-level domain and no letter follows it.
 *
 * A top-level domain is a country code (".ca" first among them) or a
 * known generic one.  Capitalisation tells prose
 * from addresses: a label written as a capitalised word ("In", "Sc",
 * "Life") after a full stop is the next sentence or an abbreviation run
 * together ("the end.In 2020", "M.Sc.", "Belarus.Life is hard"), while
 * addresses are written in lower case or all capitals ("canada.ca",
 * "EXAMPLE.COM").  Only the generic labels that are not English words
 * ("Com", "Org", "Net", "Gov"...) count when capitalised, so
 * "Change.Org" is still found.
 *
 * The match covers the reference as a reader would copy it: the scheme
 * or e-mail address, the domain, a ":port" and a "/path", less trailing
 * punctuation such as the full stop that ends the sentence.
 */
#include "core/weburl.h"

#include <string.h>

#include "lib/utf8.h"
#include "lib/banned.h"

/* The two-letter country-code top-level domains delegated by IANA (".uk"
 * and ".eu" included), each followed by a space. */
static const char country_tlds[] =
    "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj "
    "bm bn bo bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv "
    "cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb gd "
    "ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im "
    "in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk "
    "lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx "
    "my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps "
    "pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st "
    "su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy "
    "uz va vc ve vg vi vn vu wf ws ye yt za zm zw ";

/* Generic top-level domains that are not English words: found in any
 * case, "Example.Com" included. */
static const char *const technical_tlds[] = {
    "com", "net", "org", "gov", "edu", "int", "mil", "biz", "info", "io", "xyz", "mobi",
};

/* Generic top-level domains that are also words: found only in lower
 * case or all capitals, so "Belarus.Life" stays prose. */
static const char *const word_tlds[] = {
    "app",    "dev",   "online", "site",   "news",  "shop",    "store", "blog",  "tech",  "name",
    "pro",    "asia",  "tel",    "travel", "jobs",  "museum",  "aero",  "coop",  "club",  "top",
    "live",   "page",  "link",   "media",  "world", "life",    "email", "cloud", "space", "website",
    "quebec", "radio", "wiki",   "social", "video", "network", "art",   "eco",   "ngo",
};

static bool
is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool
is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool
is_alpha(char c)
{
    return is_upper(c) || is_lower(c);
}

static bool
is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

static char
lower(char c)
{
    return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static bool
domain_char(char c)
{
    return is_alnum(c) || c == '-' || c == '.';
}

/* The characters an e-mail address's local part may hold ("jean_luc+x"). */
static bool
local_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Case-insensitive: do the n bytes at s spell the lower-case word w? */
static bool
equals_word(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != w[i])
            return false;
    return true;
}

static bool
is_country_tld(const char *s, size_t n)
{
    if (n != 2)
        return false;
    for (const char *c = country_tlds; *c; c += 3)
        if (lower(s[0]) == c[0] && lower(s[1]) == c[1])
            return true;
    return false;
}

static bool
in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (equals_word(s, n, list[k]))
            return true;
    return false;
}

/* Case-insensitive prefix match of the lower-case literal p at s. */
static bool
has_prefix(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && equals_word(s, n, p);
}

/* Is the label s[0..n) a top-level domain as this file reads them? */
static bool
is_tld(const char *s, size_t n)
{
    if (n >= 5 && has_prefix(s, n, "xn--"))
        return true; /* an internationalised TLD in its ASCII form */
    for (size_t i = 0; i < n; i++)
        if (!is_alpha(s[i]))
            return false;
    bool capitalised = n >= 2 && is_upper(s[0]) && is_lower(s[1]);
    if (in_list(s, n, technical_tlds, sizeof(technical_tlds) / sizeof(technical_tlds[0])))
        return true;
    if (capitalised)
        return false; /* a word starting a sentence, or "M.Sc." */
    return is_country_tld(s, n) ||
           in_list(s, n, word_tlds, sizeof(word_tlds) / sizeof(word_tlds[0]));
}

/* Does the run s[0..n) of domain characters, less its trailing dots and
 * dashes, end in label.TLD with a non-empty label before the TLD? */
static bool
run_is_domain(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == '-'))
        n--;
    size_t dot = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.')
            dot = i;
    if (dot == n || dot == 0 || s[dot - 1] == '.' || s[dot - 1] == '-')
        return false;
    size_t tld_len = n - dot - 1;
    return tld_len >= 2 && is_tld(s + dot + 1, tld_len);
}

/* True when the text at s[i..len) starts with a letter (ASCII or not) or
 * a digit: a domain run followed by one is part of a longer word
 * ("example.café"), not a domain.  Punctuation, white space and the end of
 * the text are not. */
static bool
letter_follows(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return false;
    if ((unsigned char)s[i] < 0x80)
        return is_alnum(s[i]);
    unsigned cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (n == 0)
        return true; /* malformed: take it as a letter, as words.c does */
    /* Latin-1 punctuation and symbols (« » ’ NBSP...), × ÷, General
     * Punctuation (– — ’ ” …), CJK punctuation: not letters. */
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
        (cp >= 0x3000 && cp <= 0x303F))
        return false;
    return true;
}

/* The end of a URL's tail (":port", "/path", "?query") starting at i: up
 * to white space, a non-ASCII byte or a quote or angle bracket, less the
 * punctuation that more likely ends the sentence. */
static size_t
tail_end(const char *s, size_t len, size_t i)
{
    size_t end = i;
    while (end < len && (unsigned char)s[end] > ' ' && (unsigned char)s[end] < 0x7F &&
           s[end] != '"' && s[end] != '<' && s[end] != '>')
        end++;
    while (end > i && strchr(".,;:!?)]}'", s[end - 1]))
        end--;
    return end;
}

/* A scheme at s[i]: "http://", "https://", "ftp://", "mailto:", "www." or
 * any two or more letters then "://".  Returns its length, or 0. */
static size_t
scheme_at(const char *s, size_t len, size_t i)
{
    static const char *const fixed[] = {"mailto:", "www."};
    for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
        if (has_prefix(s + i, len - i, fixed[k]))
            return strlen(fixed[k]);
    size_t n = 0;
    while (i + n < len && is_alpha(s[i + n]))
        n++;
    if (n >= 2 && has_prefix(s + i + n, len - i - n, "://"))
        return n + 3;
    return 0;
}

bool
weburl_find(const char *s, size_t len, struct weburl_match *m)
{
    /* The end of the last run of local-part characters scanned: every
     * scan starting inside it ends there too, so it is scanned once and
     * the search stays linear ("a_a_a_a..." cannot make it quadratic). */
    size_t local_end = 0;

    for (size_t i = 0; i < len; i++) {
        if (i > 0 && is_alnum(s[i - 1]))
            continue; /* not at a boundary */

        size_t scheme = scheme_at(s, len, i);
        if (scheme) {
            size_t end = tail_end(s, len, i + scheme);
            if (m) {
                m->offset = i;
                m->len = end - i;
            }
            return true;
        }

        /* A run of domain characters, not the middle of one already
         * tried.  (After an '@' it is tried again: "@canada.ca" is a
         * reference even with no local part before it.) */
        if (!domain_char(s[i]) || (i > 0 && domain_char(s[i - 1])))
            continue;
        size_t start = i, end = i;
        while (end < len && domain_char(s[end]))
            end++;
        size_t dom = start, at = end > local_end ? end : local_end;
        while (at < len && local_char(s[at]))
            at++;
        local_end = at;
        if (at < len && s[at] == '@') {
            /* user@domain: the domain after the @ decides. */
            dom = at + 1;
            end = dom;
            while (end < len && domain_char(s[end]))
                end++;
        }
        if (end > dom && run_is_domain(s + dom, end - dom) && !letter_follows(s, len, end)) {
            /* Drop the dots and dashes that end the run ("see x.ca."). */
            while (s[end - 1] == '.' || s[end - 1] == '-')
                end--;
            if (end < len && (s[end] == '/' || s[end] == ':' || s[end] == '?'))
                end = tail_end(s, len, end);
            if (m) {
                m->offset = start;
                m->len = end - start;
            }
            return true;
        }
        if (end > i + 1)
            i = end - 1; /* the rest of this run is not a boundary */
    }
    return false;
}
