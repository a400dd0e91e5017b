/*
 * message.c: RFC 5322 messages with RFC 2047 encoded-words for non-ASCII
 * header text.  See message.h for the rules; the comments here say why.
 *
 * Every header is built so that no user byte can end a line: control
 * bytes are turned into spaces before anything else, and the only CRLFs
 * in the header block are the ones this file writes (line ends and
 * folds, a fold always being CRLF followed by a space).
 */
#include "mail/message.h"

#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "core/eastern_time.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

enum {
    MAIL_LINE_SOFT = 78,  /* RFC 5322 2.1.1: SHOULD, header lines */
    MAIL_LINE_HARD = 998, /* RFC 5322 2.1.1: MUST, body lines */
    MAIL_WORD_MAX = 75,   /* RFC 2047 2: one encoded-word */
    MAIL_WORD_B64 = 60,   /* base64 bytes that fit in a 75-byte word, whole quads */
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

/* A Message-ID right side need not hold a dot ("@petitiond"), so it has
 * its own, equally strict, check. */
static bool
message_id_ok(const char *id)
{
    size_t len = strlen(id);
    if (len < 3 || len > 250)
        return false;
    const char *at = NULL;
    for (size_t i = 0; i < len; i++) {
        if (!addr_char_ok((unsigned char)id[i]))
            return false;
        if (id[i] == '@') {
            if (at)
                return false;
            at = id + i;
        }
    }
    return at != NULL && at != id && at != id + len - 1;
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
 * Append s as encoded-words.  col is the length of the current line so
 * far; each word is sized so that its line stays within 78 bytes, and
 * holds whole UTF-8 characters only (RFC 2047 5).  Returns the new col.
 */
static size_t
add_encoded_words(struct strbuf *out, const char *s, size_t len, size_t col)
{
    size_t i = 0;
    do {
        size_t room = MAIL_LINE_SOFT - col;
        size_t b64 = room > EW_OVERHEAD ? (room - EW_OVERHEAD) / 4 * 4 : 0;
        /* Fold before every word but the first, and before the first too
         * when its line has no room for one 4-byte character. */
        if (i > 0 || b64 < 8) {
            sb_adds(out, "\r\n ");
            col = 1;
            b64 = MAIL_WORD_B64;
        }
        if (b64 > MAIL_WORD_B64)
            b64 = MAIL_WORD_B64;
        size_t max_bytes = b64 / 4 * 3;
        size_t n = 0;
        while (i + n < len) {
            unsigned cp;
            size_t k = utf8_decode(s + i + n, len - i - n, &cp);
            if (k == 0) /* the caller checked validity; never loop forever */
                k = 1;
            if (n + k > max_bytes)
                break;
            n += k;
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

/* Append the body with CRLF line ends.  Returns 0 or -1 for a line
 * longer than 998 bytes. */
static int
add_body(struct strbuf *out, const char *body, size_t len)
{
    size_t line = 0;
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < len && body[i + 1] == '\n')
                i++;
            sb_adds(out, "\r\n");
            line = 0;
            continue;
        }
        if (++line > MAIL_LINE_HARD)
            return -1;
        sb_addch(out, c);
    }
    if (line > 0 || len == 0)
        sb_adds(out, "\r\n");
    return 0;
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
    if (m->message_id && !message_id_ok(m->message_id))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: bad Message-ID");
    if (!utf8_valid(body, body_len))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: body is not UTF-8");

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
    sb_adds(out, "MIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n");
    sb_addf(out, "Content-Language: %s\r\n", m->lang);
    sb_adds(out, "Auto-Submitted: auto-generated\r\n"
                 "\r\n");
    if (add_body(out, body, body_len) < 0) {
        err_set(e, ERR_INVALID, "error.invalid", NULL, "mail: body line longer than 998 bytes");
        goto out;
    }
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
