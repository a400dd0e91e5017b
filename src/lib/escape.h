/*
 * escape.h: encoding at output.
 *
 * Every byte that reaches a page, a URL or a log line goes through one of
 * these, chosen by where it lands (house style 13 and 15).  Escape at
 * output, never at input: the store keeps what the user typed.
 */
#ifndef PETITIOND_ESCAPE_H
#define PETITIOND_ESCAPE_H

#include <stddef.h>

struct strbuf;

/* Append s with & < > " ' replaced by their character references. */
void html_escape(struct strbuf *out, const char *s, size_t len);

/*
 * Append s percent-encoded for a URL path segment or query value: every
 * byte except A-Z a-z 0-9 - . _ ~ becomes %XX.
 */
void url_encode(struct strbuf *out, const char *s, size_t len);

/* As url_encode(), but '/' is kept: for a whole path. */
void url_encode_path(struct strbuf *out, const char *s, size_t len);

/*
 * Decode a query-string component in place semantics: '+' is a space and
 * %XX a byte.  Returns 0, or -1 when a % is not followed by two hex digits.
 */
int url_decode(struct strbuf *out, const char *s, size_t len);

/* The value of hexadecimal digit c (either case), or -1. */
int hex_value(char c);

/*
 * Append s made safe for a log line (as OpenBSD stravis): printable ASCII
 * is kept except backslash and double quote; everything else is \xHH.
 */
void log_escape(struct strbuf *out, const char *s, size_t len);

/* Append s as the inside of a JSON string (without the quotes). */
void json_escape(struct strbuf *out, const char *s, size_t len);

/*
 * Append s as XML 1.0 can carry it, for a writer that escapes markup
 * itself (libxml2's xmlTextWriter): C0 controls other than tab, LF and
 * CR, and U+FFFE and U+FFFF, are dropped (no character reference can
 * stand for them); a malformed UTF-8 byte becomes U+FFFD.  & < > " are
 * left for the writer to escape.
 */
void xml_clean_text(struct strbuf *out, const char *s, size_t len);

#endif
