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
 *    "=?UTF-8?B?...?=", at most 75 bytes each, folded with CRLF + space.
 *    Words are split only after a space (each word but the last ends with
 *    one), so no mail program can show a word cut in two; only a single
 *    word longer than an encoded-word holds (about 45 bytes) is split
 *    inside, and then between two characters, never inside one;
 *  - lang must be "en" or "fr", and message_id a plain id@domain that
 *    passes mail_addr_ok() (mail_id_domain() gives the site's domain).
 *
 * The body is UTF-8 text sent as quoted-printable (RFC 2045 6.7), so that
 * the message is 7-bit ASCII on the wire and no relay needs 8BITMIME:
 * LF, CRLF and lone CR all become CRLF (hard line breaks); every byte
 * outside printable ASCII, "=", a space or tab ending a line (the "-- "
 * of a signature separator) and the "F" of a line beginning "From " are
 * written =XX; lines longer than 76 bytes are cut with soft breaks ("="
 * at the end of the line), never inside a character's bytes or an =XX.
 * The message always ends with CRLF.  SMTP dot-stuffing is smtp_send()'s
 * (libcurl's) business, not ours.
 */
#ifndef PETITIOND_MAIL_MESSAGE_H
#define PETITIOND_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct strbuf;

struct mail_message {
    const char *from_addr; /* "petitions@example.org" */
    const char *from_name; /* UTF-8 display name, or NULL / "" for none */
    const char *to_addr;
    const char *to_name;     /* UTF-8, or NULL / ""; user-supplied: may hold anything */
    const char *subject;     /* UTF-8, may hold anything (CR/LF included); NULL = "" */
    const char *body;        /* UTF-8 plain text, lines separated by \n; NULL = "" */
    const char *lang;        /* "en" or "fr": Content-Language */
    const char *message_id;  /* without <>, e.g. "42.1700000000@petitions.example.ca"; NULL =
                              * none */
    int64_t date;            /* Unix seconds; the Date header is in UTC */
    const char *unsubscribe; /* an http(s) URL that stops this mail (RFC 8058 one-click:
                              * it takes a POST), or NULL / "" for none */
};

/*
 * Append the whole message (headers, blank line, body) to out.  The
 * headers come in this order: Date, From, To, Subject, Message-ID (when
 * given), List-Unsubscribe and List-Unsubscribe-Post (when unsubscribe is
 * given: "<URL>" and "List-Unsubscribe=One-Click", RFC 2369 and 8058),
 * MIME-Version, Content-Type, Content-Transfer-Encoding,
 * Content-Language, Auto-Submitted.
 *
 * Returns 0, or ERR_INVALID with out left as it was: key "error.email"
 * (field "email") for an address that fails mail_addr_ok(); key
 * "error.invalid" for invalid UTF-8 in a name, the subject or the body, a
 * bad lang or message_id, or an unsubscribe URL that is not "http://" or
 * "https://" and printable ASCII without space, '<', '>', '"' or ','.  ERR_INTERNAL when out has
 * failed (hit its max).  Thread-safe; m is only read.
 */
int mail_format(const struct mail_message *m, struct strbuf *out, struct err *e);

/*
 * The right side of the site's Message-IDs, lower case, into out (size
 * bytes): the host of base_url ("https://Petitions.example.ca:8443/x"
 * gives "petitions.example.ca") when it is a domain name, else (an
 * address such as 127.0.0.1 or [::1], a single label such as localhost,
 * no base_url) the domain of from_addr.  A Message-ID "ID.CREATED@DOMAIN"
 * made of an outbox e-mail's id and creation time is then unique: ids
 * are never reused by a site, and after a restore from a backup an id
 * used again comes with a later time.  Returns 0, or ERR_INVALID when
 * neither gives a domain that fits (from_addr fails mail_addr_ok()).
 */
int mail_id_domain(const char *base_url, const char *from_addr, char *out, size_t size);

/*
 * Decode the len bytes of quoted-printable text at qp (what mail_format()
 * makes of a body) and append the text to out: soft breaks removed, =XX
 * turned back into its byte, CRLF kept.  Returns 0, or ERR_INVALID at the
 * first "=" followed by neither two hexadecimal digits nor a line end (out
 * then holds what came before it).  Strict on purpose: the tests read our
 * messages back with it, and /dev/mail shows their text.
 */
int mail_qp_decode(const char *qp, size_t len, struct strbuf *out);

/*
 * The body of a whole message (headers, blank line, body: what
 * mail_format() made, or an .eml file) appended to out as text: decoded
 * when its Content-Transfer-Encoding is quoted-printable, else as it is.
 * Returns 0, or ERR_INVALID when msg has no blank line after its headers
 * or its quoted-printable does not decode.
 */
int mail_body_text(const char *msg, size_t len, struct strbuf *out);

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
