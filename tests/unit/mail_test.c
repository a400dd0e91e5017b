/*
 * mail_test.c: e-mails petitiond sends.  No user text can add a header
 * (CR/LF in names and subjects never reach the wire), non-ASCII text goes
 * out as RFC 2047 encoded-words that fit 78-byte lines, end at spaces and
 * decode back, the body goes out quoted-printable (7-bit, lines of at
 * most 76 bytes) and decodes back byte for byte with a strict reader of
 * this file's own, the Message-ID's right side is the site's domain,
 * every e-mail's footer opens with the "-- " separator, bad addresses and
 * bad UTF-8 are refused, and smtp_send() talks to a fake SMTP server on
 * 127.0.0.1 (a thread in this file).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "lib/arena.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "mail/mailer.h"
#include "mail/message.h"
#include "mail/smtp.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const int64_t fixed_date = 1795442700; /* Mon, 23 Nov 2026 14:05:00 UTC */

static struct mail_message
plain_message(void)
{
    struct mail_message m = {
        .from_addr = "petitions@example.org",
        .from_name = "House of Commons",
        .to_addr = "jane@example.com",
        .to_name = "Jane Doe",
        .subject = "Confirm your signature",
        .body = "Hello,\n\nPlease confirm.\n",
        .lang = "en",
        .message_id = "42.1700000000@example.org",
        .date = fixed_date,
    };
    return m;
}

/* Format m, which must succeed; the caller releases out. */
static void
format_ok(const struct mail_message *m, struct strbuf *out)
{
    struct err e = ERR_INIT;
    sb_init(out, NULL);
    int rc = mail_format(m, out, &e);
    if (rc != 0)
        fail_msg("mail_format: %d %s", rc, e.log);
}

/* Format m, which must fail with ERR_INVALID and append nothing. */
static void
format_fails(const struct mail_message *m, const char *key)
{
    struct err e = ERR_INIT;
    struct strbuf out;
    sb_init(&out, NULL);
    sb_adds(&out, "kept");
    assert_int_equal(mail_format(m, &out, &e), ERR_INVALID);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.key, key);
    assert_string_equal(out.buf, "kept");
    sb_release(&out);
}

/*
 * The wire-format rules that make injection impossible: every CR is
 * followed by LF and every LF preceded by CR; in the header block, every
 * line either starts a header ("Name: ") or is a fold starting with one
 * space then an encoded-word or "<"; no physical header line exceeds 78
 * bytes.  Returns the number of header lines starting with prefix.
 */
static int
check_headers(const struct strbuf *msg, const char *prefix)
{
    const char *s = msg->buf;
    for (size_t i = 0; i < msg->len; i++) {
        if (s[i] == '\r' && (i + 1 == msg->len || s[i + 1] != '\n'))
            fail_msg("bare CR at %zu", i);
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            fail_msg("bare LF at %zu", i);
    }
    const char *end = strstr(s, "\r\n\r\n");
    assert_non_null(end);
    int count = 0;
    for (const char *line = s; line <= end;) {
        const char *eol = strstr(line, "\r\n");
        size_t len = (size_t)(eol - line);
        if (len > 78)
            fail_msg("header line of %zu bytes: %.*s", len, (int)len, line);
        if (line[0] == ' ' || line[0] == '\t') {
            if (strncmp(line, " =?UTF-8?B?", 11) != 0 && strncmp(line, " <", 2) != 0)
                fail_msg("unexpected continuation: %.*s", (int)len, line);
        } else {
            const char *colon = memchr(line, ':', len);
            if (colon == NULL || colon == line || colon[1] != ' ')
                fail_msg("not a header: %.*s", (int)len, line);
            for (const char *p = line; p < colon; p++)
                if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-'))
                    fail_msg("odd header name: %.*s", (int)len, line);
        }
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            count++;
        line = eol + 2;
    }
    return count;
}

/* The value of header name (with "Name: "), unfolded, into out. */
static void
header_value(const struct strbuf *msg, const char *name, struct strbuf *out)
{
    const char *end = strstr(msg->buf, "\r\n\r\n");
    sb_init(out, NULL);
    for (const char *line = msg->buf; line < end;) {
        if (strncmp(line, name, strlen(name)) == 0) {
            const char *p = line + strlen(name);
            for (;;) {
                const char *eol = strstr(p, "\r\n");
                sb_add(out, p, (size_t)(eol - p));
                if (eol[2] != ' ' && eol[2] != '\t')
                    return;
                p = eol + 2; /* unfold: drop the CRLF, keep the space */
            }
        }
        line = strstr(line, "\r\n") + 2;
    }
    fail_msg("no header %s", name);
}

/* Decode a value made only of encoded-words separated by spaces; each
 * word must be at most 75 bytes. */
static void
decode_words(const char *v, struct strbuf *out)
{
    sb_init(out, NULL);
    while (*v) {
        while (*v == ' ')
            v++;
        if (*v == '\0')
            break;
        if (strncmp(v, "=?UTF-8?B?", 10) != 0)
            fail_msg("not an encoded-word: %s", v);
        const char *b = v + 10;
        const char *close = strstr(b, "?=");
        assert_non_null(close);
        assert_true((size_t)(close + 2 - v) <= 75);
        unsigned char bin[64];
        size_t bin_len;
        if (sodium_base642bin(bin, sizeof(bin), b, (size_t)(close - b), NULL, &bin_len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            fail_msg("bad base64 in %s", v);
        sb_add(out, bin, bin_len);
        v = close + 2;
    }
}

static void
plain_message_formats_exactly(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    struct strbuf out;
    format_ok(&m, &out);
    assert_string_equal(out.buf, "Date: Mon, 23 Nov 2026 14:05:00 +0000\r\n"
                                 "From: \"House of Commons\" <petitions@example.org>\r\n"
                                 "To: \"Jane Doe\" <jane@example.com>\r\n"
                                 "Subject: Confirm your signature\r\n"
                                 "Message-ID: <42.1700000000@example.org>\r\n"
                                 "MIME-Version: 1.0\r\n"
                                 "Content-Type: text/plain; charset=UTF-8\r\n"
                                 "Content-Transfer-Encoding: quoted-printable\r\n"
                                 "Content-Language: en\r\n"
                                 "Auto-Submitted: auto-generated\r\n"
                                 "\r\n"
                                 "Hello,\r\n"
                                 "\r\n"
                                 "Please confirm.\r\n");
    assert_int_equal(check_headers(&out, "To:"), 1);
    sb_release(&out);
}

static void
optional_parts_may_be_left_out(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    m.from_name = NULL;
    m.to_name = "";
    m.message_id = NULL;
    m.body = "no final newline";
    m.date = 0;
    m.lang = "fr";
    struct strbuf out;
    format_ok(&m, &out);
    assert_string_equal(out.buf, "Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n"
                                 "From: petitions@example.org\r\n"
                                 "To: jane@example.com\r\n"
                                 "Subject: Confirm your signature\r\n"
                                 "MIME-Version: 1.0\r\n"
                                 "Content-Type: text/plain; charset=UTF-8\r\n"
                                 "Content-Transfer-Encoding: quoted-printable\r\n"
                                 "Content-Language: fr\r\n"
                                 "Auto-Submitted: auto-generated\r\n"
                                 "\r\n"
                                 "no final newline\r\n");
    sb_release(&out);
}

static void
names_are_quoted_with_backslashes(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    m.to_name = "Jane \"JD\" Doe \\ Co";
    struct strbuf out, v;
    format_ok(&m, &out);
    header_value(&out, "To: ", &v);
    assert_string_equal(v.buf, "\"Jane \\\"JD\\\" Doe \\\\ Co\" <jane@example.com>");
    sb_release(&v);
    sb_release(&out);
}

static void
crlf_in_names_and_subject_cannot_add_headers(void **state)
{
    (void)state;
    static const char *const evil[] = {
        "x\r\nBcc: x@evil.example",
        "x\nBcc: x@evil.example",
        "x\rBcc: x@evil.example",
        "\r\nBcc: x@evil.example\r\n\r\nbody",
        "x\r\n\tBcc: x@evil.example",
        "\xc3\xa9\r\nBcc: x@evil.example", /* non-ASCII: encoded-words */
        "a\x01\x1f\x7f\tb",
    };
    for (size_t i = 0; i < N_ELEMS(evil); i++) {
        struct mail_message m = plain_message();
        m.from_name = evil[i];
        m.to_name = evil[i];
        m.subject = evil[i];
        struct strbuf out;
        format_ok(&m, &out);
        assert_int_equal(check_headers(&out, "To:"), 1);
        assert_int_equal(check_headers(&out, "From:"), 1);
        assert_int_equal(check_headers(&out, "Subject:"), 1);
        assert_int_equal(check_headers(&out, "Bcc:"), 0);
        assert_null(strstr(out.buf, "\nBcc:"));
        assert_null(strstr(out.buf, "\n Bcc:"));
        assert_null(strstr(out.buf, "\n\tBcc:"));
        /* the body is still the real one */
        const char *body = strstr(out.buf, "\r\n\r\n") + 4;
        assert_string_equal(body, "Hello,\r\n\r\nPlease confirm.\r\n");
        sb_release(&out);
    }

    /* Controls become spaces, the rest is kept. */
    struct mail_message m = plain_message();
    m.subject = "x\r\nBcc: x@evil.example";
    struct strbuf out, v;
    format_ok(&m, &out);
    header_value(&out, "Subject: ", &v);
    assert_string_equal(v.buf, "x  Bcc: x@evil.example");
    sb_release(&v);
    sb_release(&out);
}

static void
french_subject_is_encoded_and_decodes_back(void **state)
{
    (void)state;
    const char *subject = "P\xc3\xa9tition e-1234 : confirmez";
    struct mail_message m = plain_message();
    m.subject = subject;
    m.to_name = "Fran\xc3\xa7oise B\xc3\xa9langer";
    m.lang = "fr";
    struct strbuf out, v, d;
    format_ok(&m, &out);
    check_headers(&out, "");
    header_value(&out, "Subject: ", &v);
    assert_memory_equal(v.buf, "=?UTF-8?B?", 10);
    decode_words(v.buf, &d);
    assert_string_equal(d.buf, subject);
    sb_release(&v);
    sb_release(&d);

    header_value(&out, "To: ", &v);
    char *lt = strstr(v.buf, " <jane@example.com>");
    assert_non_null(lt);
    assert_string_equal(lt, " <jane@example.com>");
    *lt = '\0';
    decode_words(v.buf, &d);
    assert_string_equal(d.buf, m.to_name);
    sb_release(&v);
    sb_release(&d);
    sb_release(&out);
}

static void
long_non_ascii_subject_is_folded_within_78_bytes(void **state)
{
    (void)state;
    struct strbuf subject;
    sb_init(&subject, NULL);
    for (int i = 0; i < 20; i++)
        sb_adds(&subject, "P\xc3\xa9tition \xc3\xa9lectronique \xe2\x82\xac \xf0\x9f\x98\x80 ");
    struct mail_message m = plain_message();
    m.subject = subject.buf;
    m.to_name = subject.buf;
    m.from_name = subject.buf;
    struct strbuf out, v, d;
    format_ok(&m, &out);
    check_headers(&out, ""); /* every physical line <= 78 */
    assert_true(out.len > 1000);
    header_value(&out, "Subject: ", &v);
    decode_words(v.buf, &d); /* every word <= 75, whole characters */
    assert_string_equal(d.buf, subject.buf);
    sb_release(&v);
    sb_release(&d);

    /* A long ASCII subject has no room on one line: encoded-words too. */
    sb_reset(&subject);
    for (int i = 0; i < 30; i++)
        sb_adds(&subject, "word ");
    m = plain_message();
    m.subject = subject.buf;
    sb_release(&out);
    format_ok(&m, &out);
    check_headers(&out, "");
    header_value(&out, "Subject: ", &v);
    decode_words(v.buf, &d);
    assert_string_equal(d.buf, subject.buf);
    sb_release(&v);
    sb_release(&d);
    sb_release(&out);
    sb_release(&subject);
}

static void
ascii_text_that_looks_encoded_is_encoded(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    m.subject = "=?UTF-8?B?QmNjOiB4?=";
    struct strbuf out, v, d;
    format_ok(&m, &out);
    header_value(&out, "Subject: ", &v);
    decode_words(v.buf, &d);
    assert_string_equal(d.buf, m.subject);
    sb_release(&v);
    sb_release(&d);
    sb_release(&out);
}

static void
bad_addresses_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",          "a@b.c\r\nBcc: x@evil.example",
        "a@b.c\n",   "a\r@b.c",
        "a@@b.c",    "a@b@c.d",
        "a b@c.d",   " a@b.c",
        "a@b.c ",    "<a@b.c>",
        "\"a\"@b.c", "a,b@c.d",
        "a;b@c.d",   "a:b@c.d",
        "a(b)@c.d",  "a\\b@c.d",
        "@b.c",      "a@",
        "a@b",       "a@.b.c",
        "a@b.c.",    ".a@b.c",
        "a.@b.c",    "a..b@c.d",
        "a@b..c",    "caf\xc3\xa9@b.c",
        "a\tb@c.d",  "a\x7f@b.c",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        if (mail_addr_ok(bad[i]))
            fail_msg("accepted bad address #%zu", i);
        struct mail_message m = plain_message();
        m.to_addr = bad[i];
        format_fails(&m, "error.email");
        m = plain_message();
        m.from_addr = bad[i];
        format_fails(&m, "error.email");
    }
    assert_false(mail_addr_ok(NULL));

    char local[66], longest[260];
    memset(local, 'a', 65);
    local[65] = '\0';
    snprintf(longest, sizeof(longest), "%s@b.c", local);
    assert_false(mail_addr_ok(longest)); /* local part of 65 */
    local[64] = '\0';
    snprintf(longest, sizeof(longest), "%s@b.c", local);
    assert_true(mail_addr_ok(longest));
    memset(longest, 'd', sizeof(longest) - 1);
    longest[sizeof(longest) - 1] = '\0';
    longest[0] = 'a';
    longest[1] = '@';
    longest[10] = '.';
    longest[254] = '\0';
    assert_true(mail_addr_ok(longest)); /* 254 bytes */
    longest[254] = 'd';
    longest[255] = '\0';
    assert_false(mail_addr_ok(longest)); /* 255 bytes */

    static const char *const good[] = {"a@b.c", "jane.doe+petitions@mail.example.org",
                                       "o'brien@example.ca", "x_y-z@a-b.c"};
    for (size_t i = 0; i < N_ELEMS(good); i++)
        if (!mail_addr_ok(good[i]))
            fail_msg("refused good address %s", good[i]);
}

static void
invalid_utf8_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xc3",             /* truncated */
        "\xc0\xaf",         /* overlong '/' */
        "\xed\xa0\x80",     /* surrogate */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "ok \xff",
        "\xc3\r\nBcc: x@evil.example",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct mail_message m = plain_message();
        m.subject = bad[i];
        format_fails(&m, "error.invalid");
        m = plain_message();
        m.to_name = bad[i];
        format_fails(&m, "error.invalid");
        m = plain_message();
        m.from_name = bad[i];
        format_fails(&m, "error.invalid");
        m = plain_message();
        m.body = bad[i];
        format_fails(&m, "error.invalid");
    }
}

static void
bad_lang_and_message_id_are_refused(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    m.lang = "en\r\nBcc: x@evil.example";
    format_fails(&m, "error.invalid");
    m.lang = NULL;
    format_fails(&m, "error.invalid");
    m = plain_message();
    m.message_id = "1@x>\r\nBcc: x@evil.example";
    format_fails(&m, "error.invalid");
    m.message_id = "no-at-sign";
    format_fails(&m, "error.invalid");
    m.message_id = "<1@x>";
    format_fails(&m, "error.invalid");
}

static int
upper_hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * Read msg as a strict reader would (this file's own, not the decoder of
 * mail/message.h) and put its body's text in out (the caller releases
 * it): CRLF only and header lines within 78 bytes (check_headers());
 * "Content-Transfer-Encoding: quoted-printable"; every body line at most
 * 76 bytes of printable ASCII (tab allowed), none ending in a space or a
 * tab, "=" only before two upper-case hex digits or as a line's last byte
 * (a soft break); and what each line decodes to is whole UTF-8
 * characters (a soft break never cuts one).  The text has CRLF line ends.
 */
static void
strict_body(const struct strbuf *msg, struct strbuf *out)
{
    struct strbuf v;
    check_headers(msg, "");
    header_value(msg, "Content-Transfer-Encoding: ", &v);
    assert_string_equal(v.buf, "quoted-printable");
    sb_release(&v);
    sb_init(out, NULL);
    const char *line = strstr(msg->buf, "\r\n\r\n") + 4;
    while (*line) {
        const char *eol = strstr(line, "\r\n");
        assert_non_null(eol);
        size_t len = (size_t)(eol - line), start = out->len;
        if (len > 76)
            fail_msg("body line of %zu bytes: %.*s", len, (int)len, line);
        if (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            fail_msg("white space ends a body line: %.*s", (int)len, line);
        bool soft = false;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)line[i];
            if ((c < 0x20 && c != '\t') || c >= 0x7f)
                fail_msg("byte 0x%02x in a body line: %.*s", c, (int)len, line);
            if (c != '=') {
                sb_addch(out, (char)c);
                continue;
            }
            if (i + 1 == len) {
                soft = true;
                break;
            }
            if (i + 2 >= len || upper_hex(line[i + 1]) < 0 || upper_hex(line[i + 2]) < 0)
                fail_msg("a bare = in: %.*s", (int)len, line);
            sb_addch(out, (char)(upper_hex(line[i + 1]) << 4 | upper_hex(line[i + 2])));
            i += 2;
        }
        if (!utf8_valid(out->buf + start, out->len - start))
            fail_msg("a character cut at the end of: %.*s", (int)len, line);
        if (!soft)
            sb_adds(out, "\r\n");
        line = eol + 2;
    }
}

/* text with every LF as CRLF and a CRLF at the end, as the body reads. */
static void
crlf_text(const char *text, struct strbuf *out)
{
    sb_init(out, NULL);
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            sb_addch(out, '\r');
        sb_addch(out, *p);
    }
    if (out->len == 0 || out->buf[out->len - 1] != '\n')
        sb_adds(out, "\r\n");
}

static void
body_is_quoted_printable_and_decodes_back_exactly(void **state)
{
    (void)state;
    struct strbuf body, want, out, text;
    sb_init(&body, NULL);
    sb_adds(&body,
            "Bonjour Zo\xc3\xa9,\n\n"
            "Vous avez demand\xc3\xa9 \xc3\xa0 signer la p\xc3\xa9tition e-6512 : "
            "\xc2\xab Acc\xc3\xa8s \xc3\xa0 l\xe2\x80\x99"
            "eau \xc2\xbb.\n"
            "https://petitions.example.ca/fr/signatures/42?t=0123456789abcdef0123456789abcdef"
            "&lang=fr&x=1\n"
            "a = b, 50 % \n"
            "tab at the end\t\n"
            "From here on, a line an mbox reader would mangle\n"
            "not From here\n"
            ".hidden\n"
            "\n"
            "-- \n"
            "Chambre des communes du Canada \xe2\x80\x94 P\xc3\xa9"
            "titions \xc3\xa9"
            "lectroniques\n");
    /* A line of exactly 76 bytes stays whole; 77 is cut. */
    for (int i = 0; i < 76; i++)
        sb_addch(&body, 'x');
    sb_adds(&body, "\n");
    for (int i = 0; i < 77; i++)
        sb_addch(&body, 'y');
    sb_adds(&body, "\n");
    /* Long lines of characters of 2, 3 and 4 bytes, at every offset. */
    for (int shift = 0; shift < 4; shift++) {
        for (int i = 0; i < shift; i++)
            sb_addch(&body, 'a');
        for (int i = 0; i < 40; i++)
            sb_adds(&body, "\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80 ");
        sb_adds(&body, "\n");
    }
    /* 3,000 bytes on one line: fine now, where 8bit stopped at 998. */
    for (int i = 0; i < 300; i++)
        sb_adds(&body, "0123456789");
    sb_adds(&body, "\nno final newline \xc3\xa9");

    struct mail_message m = plain_message();
    m.body = body.buf;
    format_ok(&m, &out);
    strict_body(&out, &text);
    crlf_text(body.buf, &want);
    assert_int_equal(text.len, want.len);
    assert_memory_equal(text.buf, want.buf, want.len);

    /* The separator's space and the "F" of "From " are written =XX, the
     * 76-byte line whole, the 77-byte one cut once. */
    const char *b = strstr(out.buf, "\r\n\r\n") + 4;
    assert_non_null(strstr(b, "\r\n--=20\r\n"));
    assert_non_null(strstr(b, "\r\n=46rom here on"));
    assert_non_null(strstr(b, "\r\nnot From here\r\n"));
    assert_non_null(strstr(b, "\r\n.hidden\r\n"));
    assert_non_null(strstr(b, "a =3D b, 50 %=20\r\n"));
    char x76[80], y75[80];
    memset(x76, 'x', 76);
    x76[76] = '\0';
    memset(y75, 'y', 75);
    y75[75] = '\0';
    assert_non_null(strstr(b, x76));
    assert_null(strstr(b, "xxxxxxxxxx="));
    char *cut = strstr(b, y75);
    assert_non_null(cut);
    assert_memory_equal(cut + 75, "=\r\nyy\r\n", 7);

    /* mail/message.h's own decoder, which /dev/mail and the integration
     * tests use, reads it back alike. */
    struct strbuf mine;
    sb_init(&mine, NULL);
    assert_int_equal(mail_body_text(out.buf, out.len, &mine), 0);
    assert_int_equal(mine.len, want.len);
    assert_memory_equal(mine.buf, want.buf, want.len);
    sb_reset(&mine);
    static const char qp[] = "a=3Db=\r\nc=C3=A9";
    assert_int_equal(mail_qp_decode(qp, strlen(qp), &mine), 0);
    assert_string_equal(mine.buf, "a=bc\xc3\xa9");
    sb_reset(&mine);
    assert_int_equal(mail_qp_decode("a=3", 3, &mine), ERR_INVALID);
    assert_int_equal(mail_qp_decode("a=G0", 4, &mine), ERR_INVALID);
    sb_release(&mine);

    sb_release(&body);
    sb_release(&want);
    sb_release(&out);
    sb_release(&text);
}

static void
body_line_ends_become_crlf(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    m.body = "a\nb\r\nc\rd\n\n.hidden\n";
    struct strbuf out;
    format_ok(&m, &out);
    assert_string_equal(strstr(out.buf, "\r\n\r\n") + 4, "a\r\nb\r\nc\r\nd\r\n\r\n.hidden\r\n");
    sb_release(&out);
    m.body = "";
    format_ok(&m, &out);
    assert_string_equal(strstr(out.buf, "\r\n\r\n") + 4, "\r\n");
    sb_release(&out);
}

/* The encoded-words of a header value, each decoded on its own (each must
 * be whole UTF-8 characters), into words[] (malloc'd); how many. */
static int
split_words(const char *v, char **words, int max)
{
    int n = 0;
    while (*v) {
        while (*v == ' ')
            v++;
        if (*v == '\0')
            break;
        assert_true(n < max);
        struct strbuf one;
        const char *close = strstr(v + 10, "?=");
        assert_non_null(close);
        char word[128];
        snprintf(word, sizeof(word), "%.*s", (int)(close + 2 - v), v);
        decode_words(word, &one);
        if (!utf8_valid(one.buf, one.len))
            fail_msg("an encoded-word that cuts a character: %s", word);
        words[n++] = sb_detach(&one, NULL);
        v = close + 2;
    }
    return n;
}

static void
encoded_words_end_at_spaces(void **state)
{
    (void)state;
    const char *subject = "P\xc3\xa9tition \xc3\xa9lectronique e-6512 : acc\xc3\xa8s "
                          "\xc3\xa0 l\xe2\x80\x99"
                          "eau potable dans les communaut\xc3\xa9s "
                          "autochtones du Nord canadien et des territoires, r\xc3\xa9ponse "
                          "du gouvernement d\xc3\xa9"
                          "pos\xc3\xa9"
                          "e";
    const char *name = "Marie-\xc3\x89lisabeth Fran\xc3\xa7oise de la Cr\xc3\xa9maill\xc3\xa8re "
                       "B\xc3\xa9langer-Qu\xc3\xa9villon";
    struct mail_message m = plain_message();
    m.subject = subject;
    m.to_name = name;
    struct strbuf out, v;
    format_ok(&m, &out);
    check_headers(&out, "");
    const char *headers[] = {"Subject: ", "To: "};
    const char *texts[] = {subject, name};
    for (int h = 0; h < 2; h++) {
        header_value(&out, headers[h], &v);
        char *lt = strstr(v.buf, " <jane@example.com>");
        if (lt)
            *lt = '\0';
        char *words[32];
        int n = split_words(v.buf, words, 32);
        assert_true(n >= 2);
        struct strbuf all;
        sb_init(&all, NULL);
        for (int i = 0; i < n; i++) {
            size_t len = strlen(words[i]);
            if (i < n - 1 && words[i][len - 1] != ' ')
                fail_msg("%s word %d ends inside a word: \"%s\"", headers[h], i, words[i]);
            sb_adds(&all, words[i]);
            free(words[i]);
        }
        assert_string_equal(all.buf, texts[h]);
        sb_release(&all);
        sb_release(&v);
    }
    sb_release(&out);

    /* One word longer than an encoded-word holds is cut, between two
     * characters. */
    struct strbuf longword;
    sb_init(&longword, NULL);
    for (int i = 0; i < 60; i++)
        sb_adds(&longword, "\xc3\xa9");
    sb_adds(&longword, " fin");
    m = plain_message();
    m.subject = longword.buf;
    format_ok(&m, &out);
    check_headers(&out, "");
    header_value(&out, "Subject: ", &v);
    char *words[8];
    int n = split_words(v.buf, words, 8);
    assert_true(n >= 3);
    struct strbuf all;
    sb_init(&all, NULL);
    for (int i = 0; i < n; i++) {
        sb_adds(&all, words[i]);
        free(words[i]);
    }
    assert_string_equal(all.buf, longword.buf);
    sb_release(&all);
    sb_release(&v);
    sb_release(&out);
    sb_release(&longword);
}

static void
message_id_is_on_the_sites_domain(void **state)
{
    (void)state;
    static const struct {
        const char *base_url, *from, *want;
    } cases[] = {
        {"https://petitions.example.ca", "petitions@house.example", "petitions.example.ca"},
        {"https://Petitions.Example.CA:8443/fr/x?y#z", "petitions@house.example",
         "petitions.example.ca"},
        {"http://127.0.0.1:8080", "petitions@house.example", "house.example"},
        {"http://[::1]:8080", "petitions@house.example", "house.example"},
        {"http://localhost:8080", "petitions@House.Example", "house.example"},
        {"http://user@evil.example/", "petitions@house.example", "house.example"},
        {"https://-bad-.example", "petitions@house.example", "house.example"},
        {NULL, "petitions@petitions.invalid", "petitions.invalid"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char d[256] = "";
        if (mail_id_domain(cases[i].base_url, cases[i].from, d, sizeof(d)) != 0 ||
            strcmp(d, cases[i].want) != 0)
            fail_msg("case %zu: \"%s\"", i, d);
    }
    char d[8];
    assert_int_equal(mail_id_domain("http://127.0.0.1", "no-address", d, sizeof(d)), ERR_INVALID);
    assert_int_equal(mail_id_domain("https://petitions.example.ca", "a@b.c", d, sizeof(d)), 0);
    assert_string_equal(d, "b.c"); /* too long for out: the next one */

    /* mail_format() takes an id on a domain, and no other. */
    struct mail_message m = plain_message();
    m.message_id = "42.1796615920@petitions.example.ca";
    struct strbuf out;
    format_ok(&m, &out);
    assert_non_null(strstr(out.buf, "\r\nMessage-ID: <42.1796615920@petitions.example.ca>\r\n"));
    sb_release(&out);
    m.message_id = "1.1796615920@petitiond";
    format_fails(&m, "error.invalid");
}

/* RFC 2369 and 8058: a stop link gives both headers, after the
 * Message-ID; none gives neither; a link that could break the header out
 * of its angle brackets is refused. */
static void
stop_link_gives_list_unsubscribe_one_click(void **state)
{
    (void)state;
    struct mail_message m = plain_message();
    struct strbuf out;
    format_ok(&m, &out);
    assert_null(strstr(out.buf, "List-Unsubscribe"));
    sb_release(&out);
    m.message_id = "42.1796615920@petitions.example.ca";
    m.unsubscribe = "https://petitions.example.ca/fr/stop/42/abc-_DEF";
    format_ok(&m, &out);
    assert_non_null(strstr(out.buf, "\r\nMessage-ID: <42.1796615920@petitions.example.ca>\r\n"
                                    "List-Unsubscribe: <https://petitions.example.ca/fr/stop/42/"
                                    "abc-_DEF>\r\n"
                                    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                                    "MIME-Version: 1.0\r\n"));
    sb_release(&out);
    const char *bad[] = {"mailto:stop@example.ca",
                         "https://a.example/x>, <mailto:x@y.z",
                         "https://a.example/x\r\nBcc: x@y.z",
                         "https://a.example/ x",
                         "https://a.example/\xc3\xa9",
                         "ftp://a.example/x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        m.unsubscribe = bad[i];
        format_fails(&m, "error.invalid");
    }
}

/* Every e-mail template, rendered in its language, ends with the footer
 * that the standard separator "-- " (with its space) opens, once, and
 * the separator reaches the wire as "--=20".  Partials (footer, and the
 * texts named "_...") are parts of those. */
static void
every_mail_opens_its_footer_with_the_separator(void **state)
{
    (void)state;
    static const char prefix[] = "templates/mail/";
    struct mailer mailer = {.base_url = "https://petitions.example.ca"};
    struct err e = ERR_INIT;
    if (mailer_init(&mailer, &e))
        fail_msg("mailer_init: %s", e.log);
    int kinds = 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        size_t n = strlen(f->path);
        if (strncmp(f->path, prefix, sizeof(prefix) - 1) != 0 || strcmp(f->path + n - 4, ".txt"))
            continue;
        char kind[96];
        snprintf(kind, sizeof(kind), "%.*s", (int)(n - (sizeof(prefix) - 1) - 7),
                 f->path + sizeof(prefix) - 1);
        enum lang lang = strcmp(f->path + n - 7, ".fr.txt") == 0 ? LANG_FR : LANG_EN;
        if (strcmp(kind, "footer") == 0 || kind[0] == '_') /* partials */
            continue;
        struct arena *a = arena_new();
        const char *subject, *body;
        if (mail_render(&mailer, a, kind, lang, NULL, &subject, &body, &e))
            fail_msg("%s: %s", f->path, e.log);
        const char *sep = strstr(body, "\n-- \n");
        if (!sep || strstr(sep + 1, "\n-- \n") || strstr(body, "\n--\n"))
            fail_msg("%s: no single \"-- \" separator line", f->path);
        assert_non_null(strstr(sep, lang == LANG_FR ? "Chambre des communes du Canada"
                                                    : "House of Commons of Canada"));
        struct mail_message m = plain_message();
        m.subject = subject;
        m.body = body;
        struct strbuf out, text;
        format_ok(&m, &out);
        assert_non_null(strstr(out.buf, "\r\n--=20\r\n"));
        strict_body(&out, &text);
        assert_non_null(strstr(text.buf, "\r\n-- \r\n"));
        sb_release(&out);
        sb_release(&text);
        arena_free(a);
        kinds++;
    }
    assert_true(kinds >= 50); /* 25 kinds, two languages */
    mailer_release(&mailer);
}

/* ---- a fake SMTP server ------------------------------------------------ */

struct fake_smtp {
    int listen_fd;
    int port;
    int mail_code;    /* reply to MAIL FROM */
    int rcpt_code;    /* reply to RCPT TO */
    int data_code;    /* reply to the message, after its final dot */
    char wire[65536]; /* everything the client sent, NUL-terminated */
    size_t len;
    pthread_t thread;
};

static void
send_str(int fd, const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

static const char *
find(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= hay_len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static void *
fake_smtp_run(void *arg)
{
    struct fake_smtp *f = arg;
    int fd = accept(f->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    send_str(fd, "220 fake.example ESMTP\r\n");
    size_t pos = 0;
    bool in_data = false;
    for (;;) {
        const char *eol;
        if (in_data && (eol = find(f->wire + pos - 2, f->len - pos + 2, "\r\n.\r\n"))) {
            pos = (size_t)(eol - f->wire) + 5;
            in_data = false;
            send_str(fd, f->data_code == 554 ? "554 5.7.1 message refused\r\n"
                                             : "250 2.0.0 queued\r\n");
            continue;
        }
        if (!in_data && (eol = find(f->wire + pos, f->len - pos, "\r\n"))) {
            const char *cmd = f->wire + pos;
            pos = (size_t)(eol - f->wire) + 2;
            if (strncmp(cmd, "EHLO", 4) == 0) {
                send_str(fd, "250-fake.example\r\n250 8BITMIME\r\n");
            } else if (strncmp(cmd, "MAIL", 4) == 0) {
                send_str(fd, f->mail_code == 553 ? "553 5.7.1 <petitions@example.org>: sender "
                                                   "not allowed\r\n"
                                                 : "250 2.1.0 ok\r\n");
            } else if (strncmp(cmd, "RSET", 4) == 0 || strncmp(cmd, "NOOP", 4) == 0 ||
                       strncmp(cmd, "HELO", 4) == 0) {
                send_str(fd, "250 2.0.0 ok\r\n");
            } else if (strncmp(cmd, "RCPT", 4) == 0) {
                /* The refusals quote the recipient, as real relays do. */
                send_str(fd, f->rcpt_code == 550
                                 ? "550-5.1.1 The e-mail account <nobody@example.com> does\r\n"
                                   "550 5.1.1 not exist: no such user\r\n"
                             : f->rcpt_code == 451 ? "451 4.7.1 <nobody@example.com>: greylisted, "
                                                     "try again later\r\n"
                                                   : "250 2.1.5 ok\r\n");
            } else if (strncmp(cmd, "DATA", 4) == 0) {
                send_str(fd, "354 go ahead\r\n");
                in_data = true;
            } else if (strncmp(cmd, "QUIT", 4) == 0) {
                send_str(fd, "221 bye\r\n");
                break;
            } else {
                send_str(fd, "500 what?\r\n");
            }
            continue;
        }
        if (f->len + 1 >= sizeof(f->wire))
            break;
        ssize_t n = recv(fd, f->wire + f->len, sizeof(f->wire) - f->len - 1, 0);
        if (n <= 0)
            break;
        f->len += (size_t)n;
        f->wire[f->len] = '\0';
    }
    close(fd);
    return NULL;
}

/* Start a server that answers mail_code to MAIL FROM (250 or 553),
 * rcpt_code to RCPT TO (250, 451 or 550) and data_code to the message
 * (250 or 554). */
static void
fake_smtp_start(struct fake_smtp *f, int mail_code, int rcpt_code, int data_code)
{
    memset(f, 0, sizeof(*f));
    f->mail_code = mail_code;
    f->rcpt_code = rcpt_code;
    f->data_code = data_code;
    f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(f->listen_fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(f->listen_fd, 1), 0);
    socklen_t sl = sizeof(sa);
    assert_int_equal(getsockname(f->listen_fd, (struct sockaddr *)&sa, &sl), 0);
    f->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&f->thread, NULL, fake_smtp_run, f), 0);
}

static void
fake_smtp_stop(struct fake_smtp *f)
{
    pthread_join(f->thread, NULL);
    close(f->listen_fd);
}

static int
send_to_fake(struct fake_smtp *f, const char *to, struct smtp_reply *reply, struct err *e)
{
    struct mail_message m = plain_message();
    m.to_addr = mail_addr_ok(to) ? to : "jane@example.com";
    m.body = "Hello,\n.hidden\nbye\n";
    struct strbuf msg;
    format_ok(&m, &msg);
    char url[64];
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", f->port);
    struct smtp_config cfg = {.url = url, .timeout_seconds = 5};
    int rc = smtp_send(&cfg, m.from_addr, to, msg.buf, msg.len, reply, e);
    sb_release(&msg);
    return rc;
}

static void
smtp_send_delivers_to_the_server(void **state)
{
    (void)state;
    struct fake_smtp *f = malloc(sizeof(*f));
    assert_non_null(f);
    fake_smtp_start(f, 250, 250, 250);
    struct err e = ERR_INIT;
    struct smtp_reply reply;
    int rc = send_to_fake(f, "jane@example.com", &reply, &e);
    fake_smtp_stop(f);
    if (rc != 0)
        fail_msg("smtp_send: %d %s", rc, e.log);
    assert_int_equal(reply.code, 0);
    assert_string_equal(reply.text, "");
    assert_non_null(strstr(f->wire, "\r\nMAIL FROM:<petitions@example.org>"));
    assert_non_null(strstr(f->wire, "\r\nRCPT TO:<jane@example.com>\r\n"));
    assert_non_null(strstr(f->wire, "\r\nDATA\r\nDate: Mon, 23 Nov 2026 14:05:00 +0000\r\n"));
    assert_non_null(strstr(f->wire, "\r\nSubject: Confirm your signature\r\n"));
    /* libcurl dot-stuffs; the message ends with CRLF . CRLF */
    assert_non_null(strstr(f->wire, "\r\n\r\nHello,\r\n..hidden\r\nbye\r\n.\r\n"));
    assert_null(strstr(f->wire, "\r\n.hidden"));
    free(f);
}

/* Send to a fake server answering as given; what smtp_send() said. */
static int
send_refused(int mail_code, int rcpt_code, int data_code, struct smtp_reply *reply, struct err *e,
             bool *data_sent)
{
    struct fake_smtp *f = malloc(sizeof(*f));
    assert_non_null(f);
    fake_smtp_start(f, mail_code, rcpt_code, data_code);
    *e = (struct err)ERR_INIT;
    int rc = send_to_fake(f, "nobody@example.com", reply, e);
    fake_smtp_stop(f);
    *data_sent = strstr(f->wire, "\r\nDATA\r\n") != NULL;
    free(f);
    return rc;
}

static void
smtp_send_reports_a_refused_recipient(void **state)
{
    (void)state;
    struct err e;
    struct smtp_reply reply;
    bool data_sent;
    assert_int_equal(send_refused(250, 550, 250, &reply, &e, &data_sent), ERR_IO);
    assert_int_equal(e.code, ERR_IO);
    assert_false(data_sent);
    assert_int_equal(reply.code, 550);
    assert_true(reply.permanent);
    /* Both lines of the reply, the recipient's address masked. */
    assert_string_equal(reply.text, "550-5.1.1 The e-mail account <***@example.com> does 550 "
                                    "5.1.1 not exist: no such user");
    assert_non_null(strstr(e.log, "550"));
    assert_non_null(strstr(e.log, "no such user"));
    assert_null(strstr(e.log, "nobody"));
}

static void
smtp_send_tells_permanent_refusals_from_temporary_failures(void **state)
{
    (void)state;
    struct err e;
    struct smtp_reply reply;
    bool data_sent;

    /* 451 to RCPT TO: greylisting, try again. */
    assert_int_equal(send_refused(250, 451, 250, &reply, &e, &data_sent), ERR_IO);
    assert_int_equal(reply.code, 451);
    assert_false(reply.permanent);
    assert_string_equal(reply.text, "451 4.7.1 <***@example.com>: greylisted, try again later");

    /* 5xx to the message itself: permanent. */
    assert_int_equal(send_refused(250, 250, 554, &reply, &e, &data_sent), ERR_IO);
    assert_true(data_sent);
    assert_int_equal(reply.code, 554);
    assert_true(reply.permanent);
    assert_string_equal(reply.text, "554 5.7.1 message refused");

    /* 5xx to MAIL FROM refuses every message alike: the operator's to
     * fix, so tried again, not dropped. */
    assert_int_equal(send_refused(553, 250, 250, &reply, &e, &data_sent), ERR_IO);
    assert_int_equal(reply.code, 553);
    assert_false(reply.permanent);
    assert_string_equal(reply.text, "553 5.7.1 <***@example.org>: sender not allowed");

    /* No relay at all: nothing said, temporary. */
    struct smtp_config cfg = {.url = "smtp://127.0.0.1:1", .timeout_seconds = 2};
    e = (struct err)ERR_INIT;
    assert_int_equal(smtp_send(&cfg, "a@b.c", "x@y.z", "x\r\n", 3, &reply, &e), ERR_IO);
    assert_int_equal(reply.code, 0);
    assert_false(reply.permanent);
    assert_string_equal(reply.text, "");
}

static void
smtp_send_refuses_bad_envelopes_and_dead_servers(void **state)
{
    (void)state;
    struct smtp_config cfg = {.url = "smtp://127.0.0.1:1", .timeout_seconds = 2};
    struct err e = ERR_INIT;
    assert_int_equal(
        smtp_send(&cfg, "a@b.c", "x@y.z>\r\nRCPT TO:<evil@e.example", "x\r\n", 3, NULL, &e),
        ERR_INVALID);
    assert_string_equal(e.key, "error.email");
    assert_int_equal(smtp_send(&cfg, "a@b.c\r\n", "x@y.z", "x\r\n", 3, NULL, &e), ERR_INVALID);

    /* Port 1 on loopback: nobody listens, the connection is refused. */
    e = (struct err)ERR_INIT;
    assert_int_equal(smtp_send(&cfg, "a@b.c", "x@y.z", "x\r\n", 3, NULL, &e), ERR_IO);
    assert_true(e.log[0] != '\0');
}

static int
setup(void **state)
{
    (void)state;
    /* A proxy set in the environment must not catch our loopback tests. */
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_message_formats_exactly),
        cmocka_unit_test(optional_parts_may_be_left_out),
        cmocka_unit_test(names_are_quoted_with_backslashes),
        cmocka_unit_test(crlf_in_names_and_subject_cannot_add_headers),
        cmocka_unit_test(french_subject_is_encoded_and_decodes_back),
        cmocka_unit_test(long_non_ascii_subject_is_folded_within_78_bytes),
        cmocka_unit_test(ascii_text_that_looks_encoded_is_encoded),
        cmocka_unit_test(bad_addresses_are_refused),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(bad_lang_and_message_id_are_refused),
        cmocka_unit_test(body_is_quoted_printable_and_decodes_back_exactly),
        cmocka_unit_test(body_line_ends_become_crlf),
        cmocka_unit_test(encoded_words_end_at_spaces),
        cmocka_unit_test(message_id_is_on_the_sites_domain),
        cmocka_unit_test(stop_link_gives_list_unsubscribe_one_click),
        cmocka_unit_test(every_mail_opens_its_footer_with_the_separator),
        cmocka_unit_test(smtp_send_delivers_to_the_server),
        cmocka_unit_test(smtp_send_reports_a_refused_recipient),
        cmocka_unit_test(smtp_send_tells_permanent_refusals_from_temporary_failures),
        cmocka_unit_test(smtp_send_refuses_bad_envelopes_and_dead_servers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
