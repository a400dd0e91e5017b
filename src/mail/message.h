/*
 * message.h: the e-mails petitiond sends, as RFC 5322 text.
 *
 * mail_format() turns a struct mail_message into the bytes handed to
 * smtp_send(): headers, a blank line and the body, every line ending in
 * CRLF.  It is pure (no clock, no I/O) and the one place that decides how
 * user text reaches a header, so header injection is stopped here:
 *
 *  - addresses must pass mail_addr_ok() (a plain local@domain);
 *  - in display names and the subject every C0 control and DEL (CR, LF,
 *    TAB included) becomes a space; ASCII names then go out as a quoted
 *    string, ASCII subjects as they are, and anything else (or anything
 *    too long for a 78-byte line, or holding "=?") as RFC 2047 encoded-words
 *    "=?UTF-8?B?...?=", at most 75 bytes each, folded with CRLF + space;
 *  - lang must be "en" or "fr", and message_id a plain id@host.
 *
 * The body is UTF-8 text sent as 8bit: LF, CRLF and lone CR all become
 * CRLF, and the message always ends with CRLF.  SMTP dot-stuffing is
 * smtp_send()'s (libcurl's) business, not ours.
 */
#ifndef PETITIOND_MAIL_MESSAGE_H
#define PETITIOND_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct strbuf;

struct mail_message {
    const char *from_addr; /* "petitions@example.org" */
    const char *from_name; /* UTF-8 display name, or NULL / "" for none */
    const char *to_addr;
    const char *to_name;    /* UTF-8, or NULL / ""; user-supplied: may hold anything */
    const char *subject;    /* UTF-8, may hold anything (CR/LF included); NULL = "" */
    const char *body;       /* UTF-8 plain text, lines separated by \n; NULL = "" */
    const char *lang;       /* "en" or "fr": Content-Language */
    const char *message_id; /* without <>, e.g. "42.1700000000@petitiond"; NULL = none */
    int64_t date;           /* Unix seconds; the Date header is in UTC */
};

/*
 * Append the whole message (headers, blank line, body) to out.  The
 * headers come in this order: Date, From, To, Subject, Message-ID (when
 * given), MIME-Version, Content-Type, Content-Transfer-Encoding,
 * Content-Language, Auto-Submitted.
 *
 * Returns 0, or ERR_INVALID with out left as it was: key "error.email"
 * (field "email") for an address that fails mail_addr_ok(); key
 * "error.invalid" for invalid UTF-8 in a name, the subject or the body, a
 * body line longer than 998 bytes, a bad lang or message_id.  ERR_INTERNAL
 * when out has failed (hit its max).  Thread-safe; m is only read.
 */
int mail_format(const struct mail_message *m, struct strbuf *out, struct err *e);

/*
 * True when addr (may be NULL) is a plain addr-spec we accept:
 * local@domain, 1..254 bytes of printable ASCII without spaces or any of
 * <>()[],;:\" characters, exactly one '@', a local part of 1..64 bytes and
 * a domain holding a dot; neither part begins or ends with a dot or holds
 * "..".  Stricter than RFC 5321 on purpose: no quoted local parts, no
 * address literals.
 */
bool mail_addr_ok(const char *addr);

#endif
