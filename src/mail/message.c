/*
 * message.c: RFC 5322 messages with RFC 2047 encoded-words for non-ASCII
 * header text and a quoted-printable body (RFC 2045).  See message.h for
 * the rules; the comments here say why.
 *
 * Every header is built so that no user byte can end a line: control
 * bytes are turned into spaces before anything else, and the only CRLFs
 * in the header block are the ones this file writes (line ends and
 * folds, a fold always being CRLF followed by a space).
 */
#include "mail/message.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/eastern_time.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

enum {
    MAIL_LINE_SOFT = 78, /* RFC 5322 2.1.1: SHOULD, header lines */
    MAIL_LINE_QP = 76,   /* RFC 2045 6.7 (5): an encoded body line, its soft break's "=" too */
    MAIL_WORD_MAX = 75,  /* RFC 2047 2: one encoded-word */
    MAIL_WORD_B64 = 60,  /* base64 bytes that fit in a 75-byte word, whole quads */
};

static const char ew_open[] = "=?UTF-8?B?";
static const char ew_close[] = "?=";
#define EW_OVERHEAD (sizeof(ew_open) - 1 + sizeof(ew_close) - 1)
_Static_assert(EW_OVERHEAD + MAIL_WORD_B64 <= MAIL_WORD_MAX, "encoded-words fit in 75 bytes");

static bool
addr_char_ok(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f)
        return false;
    return strchr("<>()[],;:\\\"", c) == NULL;
}

static bool
dots_ok(const char *s, size_t len)
{
    if (len == 0 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 1; i < len; i++)
        if (s[i] == '.' && s[i - 1] == '.')
            return false;
    return true;
}

bool
mail_addr_ok(const char *addr)
{
    if (addr == NULL)
        return false;
    size_t len = strlen(addr);
    if (len < 1 || len > 254)
        return false;
    const char *at = NULL;
    for (size_t i = 0; i < len; i++) {
        if (!addr_char_ok((unsigned char)addr[i]))
            return false;
        if (addr[i] == '@') {
            if (at)
                return false;
            at = addr + i;
        }
    }
    if (at == NULL)
        return false;
    size_t local_len = (size_t)(at - addr);
    const char *domain = at + 1;
    size_t domain_len = len - local_len - 1;
    if (local_len > 64 || !dots_ok(addr, local_len) || !dots_ok(domain, domain_len))
        return false;
    return memchr(domain, '.', domain_len) != NULL;
}

/*
 * Copy s into a heap strbuf with every C0 control and DEL replaced by a
 * space.  Multi-byte UTF-8 sequences have no byte below 0x80, so this
 * keeps valid UTF-8 valid.
 */
static void
sanitize(struct strbuf *out, const char *s, size_t len)
{
    sb_grow(out, len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        sb_addch(out, (c < 0x20 || c == 0x7f) ? ' ' : (char)c);
    }
}

static bool
is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/*
 * How many of the len bytes at s go into one encoded-word of at most
 * max_bytes bytes: whole UTF-8 characters only (RFC 2047 5), and, unless
 * the rest fits, up to and with the last space, so a word is never cut
 * in two.  *cut says that no space was found and the split falls inside
 * a word (between two of its characters); 0 when not even one character
 * fits.
 */
static size_t
word_bytes(const char *s, size_t len, size_t max_bytes, bool *cut)
{
    size_t n = 0, after_space = 0;
    *cut = false;
    while (n < len) {
        unsigned cp;
        size_t k = utf8_decode(s + n, len - n, &cp);
        if (k == 0) /* the caller checked validity; never loop forever */
            k = 1;
        if (n + k > max_bytes)
            break;
        n += k;
        if (s[n - 1] == ' ')
            after_space = n;
    }
    if (n == len || n == 0)
        return n;
    if (after_space > 0)
        return after_space;
    *cut = true;
    return n;
}

/*
 * Append s as encoded-words.  col is the length of the current line so
 * far; each word is sized so that its line stays within 78 bytes, holds
 * whole UTF-8 characters and ends after a space (word_bytes()).  Returns
 * the new col.
 */
static size_t
add_encoded_words(struct strbuf *out, const char *s, size_t len, size_t col)
{
    size_t i = 0;
    do {
        size_t room = MAIL_LINE_SOFT - col;
        size_t b64 = room > EW_OVERHEAD ? (room - EW_OVERHEAD) / 4 * 4 : 0;
        if (b64 > MAIL_WORD_B64)
            b64 = MAIL_WORD_B64;
        bool cut = false;
        size_t n = b64 >= 8 ? word_bytes(s + i, len - i, b64 / 4 * 3, &cut) : 0;
        /* Fold before every word but the first, and before the first too
         * when the rest of its line holds no character, or would cut a
         * word that a whole line might hold uncut. */
        if (i > 0 || n == 0 || (cut && b64 < MAIL_WORD_B64)) {
            sb_adds(out, "\r\n ");
            col = 1;
            b64 = MAIL_WORD_B64;
            n = word_bytes(s + i, len - i, b64 / 4 * 3, &cut);
        }
        char enc[MAIL_WORD_B64 + 1];
        sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)s + i, n,
                          sodium_base64_VARIANT_ORIGINAL);
        sb_adds(out, ew_open);
        sb_adds(out, enc);
        sb_adds(out, ew_close);
        col += EW_OVERHEAD + strlen(enc);
        i += n;
    } while (i < len);
    return col;
}

/*
 * Append a display name (or, when is_subject, the subject) at column col:
 * as a quoted string or plain text when that is safe and fits on the
 * line, otherwise as encoded-words.  Returns 0 and sets *col to the new
 * column, or -1 when s is not valid UTF-8.
 */
static int
add_phrase(struct strbuf *out, const char *s, size_t *col, bool is_subject)
{
    size_t len = strlen(s);
    if (!utf8_valid(s, len))
        return -1;
    struct strbuf clean;
    sb_init(&clean, NULL);
    sanitize(&clean, s, len);

    size_t width = clean.len;
    if (!is_subject) {
        width += 2;
        for (size_t i = 0; i < clean.len; i++)
            if (clean.buf[i] == '"' || clean.buf[i] == '\\')
                width++;
    }
    /* "=?" could be taken for an encoded-word by the reader's mail program
     * (a spoof, not an injection): encode such text rather than send it. */
    bool plain = is_ascii(clean.buf, clean.len) && strstr(clean.buf, "=?") == NULL &&
                 *col + width <= MAIL_LINE_SOFT;
    if (plain && is_subject) {
        sb_add(out, clean.buf, clean.len);
        *col += width;
    } else if (plain) {
        sb_addch(out, '"');
        for (size_t i = 0; i < clean.len; i++) {
            if (clean.buf[i] == '"' || clean.buf[i] == '\\')
                sb_addch(out, '\\');
            sb_addch(out, clean.buf[i]);
        }
        sb_addch(out, '"');
        *col += width;
    } else {
        *col = add_encoded_words(out, clean.buf, clean.len, *col);
    }
    sb_release(&clean);
    return 0;
}

/* Append "From: " or "To: " with the name and address, and CRLF. */
static int
add_mailbox(struct strbuf *out, const char *header, const char *name, const char *addr)
{
    size_t col = strlen(header);
    sb_adds(out, header);
    if (name == NULL || name[0] == '\0') {
        sb_adds(out, addr);
        sb_adds(out, "\r\n");
        return 0;
    }
    if (add_phrase(out, name, &col, false) < 0)
        return -1;
    /* A long address goes on a folded line of its own. */
    sb_adds(out, col + 3 + strlen(addr) <= MAIL_LINE_SOFT ? " <" : "\r\n <");
    sb_adds(out, addr);
    sb_adds(out, ">\r\n");
    return 0;
}

/* Append "Mon, 23 Nov 2026 14:05:00 +0000": English names whatever the
 * locale, and no libc time functions (banned.h). */
static void
add_date(struct strbuf *out, int64_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t day = t / 86400, sec = t % 86400;
    if (sec < 0) {
        sec += 86400;
        day--;
    }
    int year, month, mday;
    civil_from_days(day, &year, &month, &mday);
    int wday = (int)(((day % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    sb_addf(out, "%s, %d %s %04d %02d:%02d:%02d +0000", days[wday], mday, months[month - 1], year,
            (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

/* The bytes of the UTF-8 character whose first byte is c (1 for any
 * other byte: the body was checked, this only keeps a character whole). */
static size_t
char_bytes(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* True when the body's line ends at i (the end, or CR or LF next). */
static bool
line_ends(const char *body, size_t len, size_t i)
{
    return i >= len || body[i] == '\r' || body[i] == '\n';
}

/*
 * Append the body as quoted-printable (message.h): hard line breaks as
 * CRLF, lines of at most 76 bytes with soft breaks that never fall inside
 * a character's bytes.  What is written =XX: anything but printable
 * ASCII, "=" itself, a space or tab at the end of a line (a relay may
 * strip trailing white space: "-- " must stay "-- "), and the "F" of
 * "From " at a line's start (mbox readers would turn it into ">From ").
 */
static void
add_body(struct strbuf *out, const char *body, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)body[i];
        if (c == '\r' || c == '\n') {
            i += c == '\r' && i + 1 < len && body[i + 1] == '\n' ? 2 : 1;
            sb_adds(out, "\r\n");
            col = 0;
            continue;
        }
        size_t k = char_bytes(c);
        if (i + k > len)
            k = len - i;
        bool blank_at_end = (c == ' ' || c == '\t') && line_ends(body, len, i + 1);
        bool from = c == 'F' && col == 0 && len - i >= 5 && memcmp(body + i, "From ", 5) == 0;
        bool literal = k == 1 && c >= 0x20 && c < 0x7f && c != '=' && !blank_at_end && !from;
        size_t width = literal ? 1 : 3 * k;
        /* Room for it on this line: a line's last character may take the
         * 76th byte, any other leaves it to the soft break's "=". */
        size_t limit = line_ends(body, len, i + k) ? MAIL_LINE_QP : MAIL_LINE_QP - 1;
        if (col > 0 && col + width > limit) {
            sb_adds(out, "=\r\n");
            col = 0;
        }
        for (size_t j = 0; j < k; j++) {
            unsigned char b = (unsigned char)body[i + j];
            if (literal) {
                sb_addch(out, (char)b);
            } else {
                sb_addch(out, '=');
                sb_addch(out, hex[b >> 4]);
                sb_addch(out, hex[b & 15]);
            }
        }
        col += width;
        i += k;
    }
    if (col > 0 || len == 0)
        sb_adds(out, "\r\n");
}

int
mail_qp_decode(const char *qp, size_t len, struct strbuf *out)
{
    for (size_t i = 0; i < len; i++) {
        if (qp[i] != '=') {
            sb_addch(out, qp[i]);
            continue;
        }
        if (i + 2 < len && qp[i + 1] == '\r' && qp[i + 2] == '\n') {
            i += 2; /* a soft break */
            continue;
        }
        if (i + 1 < len && qp[i + 1] == '\n') {
            i += 1; /* a soft break with a bare LF */
            continue;
        }
        int hi = i + 2 < len ? hex_value(qp[i + 1]) : -1;
        int lo = hi >= 0 ? hex_value(qp[i + 2]) : -1;
        if (lo < 0)
            return ERR_INVALID;
        sb_addch(out, (char)(hi << 4 | lo));
        i += 2;
    }
    return 0;
}

/* The value of header name (with its colon) in the header block [msg,
 * end), or NULL: a line's start, the name in any case. */
static const char *
header_at(const char *msg, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = msg; p && p + n <= end; p = memchr(p, '\n', (size_t)(end - p))) {
        if (*p == '\n')
            p++;
        if ((size_t)(end - p) >= n && strncasecmp(p, name, n) == 0)
            return p + n;
    }
    return NULL;
}

/* The first needle in the len bytes at s, or NULL. */
static const char *
find_bytes(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0)
            return s + i;
    return NULL;
}

int
mail_body_text(const char *msg, size_t len, struct strbuf *out)
{
    const char *end = find_bytes(msg, len, "\r\n\r\n");
    size_t skip = 4;
    if (end == NULL) {
        end = find_bytes(msg, len, "\n\n");
        skip = 2;
    }
    if (end == NULL)
        return ERR_INVALID;
    const char *body = end + skip;
    size_t n = len - (size_t)(body - msg);
    const char *v = header_at(msg, end, "Content-Transfer-Encoding:");
    while (v && v < end && (*v == ' ' || *v == '\t'))
        v++;
    if (!v || (size_t)(end - v) < 16 || strncasecmp(v, "quoted-printable", 16) != 0) {
        sb_add(out, body, n);
        return 0;
    }
    return mail_qp_decode(body, n, out);
}

/* A domain name we put in a Message-ID: at least two labels of letters,
 * digits and hyphens (not at a label's ends), the last holding a letter
 * (so no IPv4 address), at most 253 bytes. */
static bool
domain_ok(const char *d, size_t len)
{
    size_t label = 0, labels = 1;
    bool letter = false;
    if (len == 0 || len > 253)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = d[i];
        if (c == '.') {
            if (label == 0 || d[i - 1] == '-')
                return false;
            labels++;
            label = 0;
            letter = false;
            continue;
        }
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alpha && !(c >= '0' && c <= '9') && c != '-')
            return false;
        if (c == '-' && label == 0)
            return false;
        letter = letter || alpha;
        if (++label > 63)
            return false;
    }
    return labels >= 2 && label > 0 && d[len - 1] != '-' && letter;
}

/* Copy the len bytes at d into out (size bytes), lower case; 0 or -1. */
static int
copy_domain(const char *d, size_t len, char *out, size_t size)
{
    if (!domain_ok(d, len) || len >= size)
        return -1;
    for (size_t i = 0; i < len; i++)
        out[i] = (d[i] >= 'A' && d[i] <= 'Z') ? (char)(d[i] - 'A' + 'a') : d[i];
    out[len] = '\0';
    return 0;
}

int
mail_id_domain(const char *base_url, const char *from_addr, char *out, size_t size)
{
    const char *host = base_url ? strstr(base_url, "://") : NULL;
    if (host) {
        host += 3;
        size_t n = strcspn(host, ":/?#");
        /* userinfo@host is no site address of ours; an IPv6 literal
         * ("[::1]") fails domain_ok() at its bracket. */
        if (memchr(host, '@', n) == NULL && copy_domain(host, n, out, size) == 0)
            return 0;
    }
    if (mail_addr_ok(from_addr)) {
        const char *at = strchr(from_addr, '@') + 1;
        if (copy_domain(at, strlen(at), out, size) == 0)
            return 0;
    }
    return ERR_INVALID;
}

/* A URL that fits between < and > in a List-Unsubscribe header. */
static bool
unsubscribe_ok(const char *u)
{
    if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
        return false;
    size_t n = strlen(u);
    if (n > 900)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)u[i];
        if (ch <= ' ' || ch >= 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',')
            return false;
    }
    return true;
}

int
mail_format(const struct mail_message *m, struct strbuf *out, struct err *e)
{
    size_t start = out->len;
    const char *subject = m->subject ? m->subject : "";
    const char *body = m->body ? m->body : "";
    size_t body_len = strlen(body);
    int rc = ERR_INVALID;

    if (!mail_addr_ok(m->from_addr) || !mail_addr_ok(m->to_addr))
        return err_set(e, ERR_INVALID, "error.email", "email", "bad e-mail address");
    if (m->lang == NULL || (strcmp(m->lang, "en") != 0 && strcmp(m->lang, "fr") != 0))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: bad language");
    /* A Message-ID is written like an address (RFC 5322 3.6.4: id-left
     * "@" id-right), and ours has a domain on the right. */
    if (m->message_id && !mail_addr_ok(m->message_id))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: bad Message-ID");
    if (!utf8_valid(body, body_len))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: body is not UTF-8");
    bool unsubscribe = m->unsubscribe && m->unsubscribe[0];
    if (unsubscribe && !unsubscribe_ok(m->unsubscribe))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: bad List-Unsubscribe URL");

    sb_adds(out, "Date: ");
    add_date(out, m->date);
    sb_adds(out, "\r\n");
    if (add_mailbox(out, "From: ", m->from_name, m->from_addr) < 0) {
        err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: sender name is not UTF-8");
        goto out;
    }
    if (add_mailbox(out, "To: ", m->to_name, m->to_addr) < 0) {
        err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: recipient name is not UTF-8");
        goto out;
    }
    size_t col = strlen("Subject: ");
    sb_adds(out, "Subject: ");
    if (add_phrase(out, subject, &col, true) < 0) {
        err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: subject is not UTF-8");
        goto out;
    }
    sb_adds(out, "\r\n");
    if (m->message_id)
        sb_addf(out, "Message-ID: <%s>\r\n", m->message_id);
    if (unsubscribe)
        sb_addf(out,
                "List-Unsubscribe: <%s>\r\n"
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                m->unsubscribe);
    sb_adds(out, "MIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n");
    sb_addf(out, "Content-Language: %s\r\n", m->lang);
    sb_adds(out, "Auto-Submitted: auto-generated\r\n"
                 "\r\n");
    add_body(out, body, body_len);
    if (sb_failed(out)) {
        rc = err_set(e, ERR_INTERNAL, "error.internal", NULL, "mail: message too large");
        goto out;
    }
    rc = 0;
out:
    if (rc != 0) /* nothing half-written: drop what we appended */
        sb_setlen(out, start);
    return rc;
}
