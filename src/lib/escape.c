/*
 * escape.c: HTML, URL, JSON and log encodings; see escape.h.
 */
#include "lib/escape.h"

#include <stdbool.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

static const char hex[] = "0123456789ABCDEF";

void
html_escape(struct strbuf *out, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        sb_add(out, s + start, i - start);
        sb_adds(out, rep);
        start = i + 1;
    }
    sb_add(out, s + start, len - start);
}

static bool
url_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

void
url_encode(struct strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (url_unreserved(c)) {
            sb_addch(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_add(out, e, 3);
        }
    }
}

void
url_encode_path(struct strbuf *out, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '/') {
            url_encode(out, s + start, i - start);
            if (i < len)
                sb_addch(out, '/');
            start = i + 1;
        }
    }
}

int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
url_decode(struct strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            sb_addch(out, ' ');
        } else if (s[i] == '%') {
            int hi, lo;
            if (len - i < 3)
                return -1;
            hi = hex_value(s[i + 1]);
            lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            sb_addch(out, (char)(hi << 4 | lo));
            i += 2;
        } else {
            sb_addch(out, s[i]);
        }
    }
    return 0;
}

void
log_escape(struct strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
            sb_addch(out, (char)c);
        } else {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            sb_add(out, e, 4);
        }
    }
}

void
json_escape(struct strbuf *out, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
            continue;
        sb_add(out, s + start, i - start);
        switch (c) {
        case '"':
            sb_adds(out, "\\\"");
            break;
        case '\\':
            sb_adds(out, "\\\\");
            break;
        case '\n':
            sb_adds(out, "\\n");
            break;
        case '\r':
            sb_adds(out, "\\r");
            break;
        case '\t':
            sb_adds(out, "\\t");
            break;
        default: {
            /* Control bytes, and < > & so JSON is safe inside <script>. */
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_add(out, e, 6);
        }
        }
        start = i + 1;
    }
    sb_add(out, s + start, len - start);
}

void
xml_clean_text(struct strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            sb_adds(out, "\xef\xbf\xbd"); /* U+FFFD */
            i++;
            continue;
        }
        bool allowed =
            cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF : cp == '\t' || cp == '\n' || cp == '\r';
        if (allowed)
            sb_add(out, s + i, n);
        i += n;
    }
}
