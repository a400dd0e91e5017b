/*
 * utf8.h: checks on text from outside.  Every form value and query
 * parameter is checked before it reaches the core or the store.
 */
#ifndef PETITIOND_UTF8_H
#define PETITIOND_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when the len bytes at s are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/* True when s holds a C0 control character other than tab, LF and CR, or
 * DEL, or a C1 control (U+0080..U+009F).  s must be valid UTF-8. */
bool utf8_has_controls(const char *s, size_t len, bool allow_newlines);

/*
 * Decode one code point at s (at most len bytes); return the number of
 * bytes used, or 0 when the sequence is malformed.  s must not be empty.
 */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);

/* Number of code points in valid UTF-8 text. */
size_t utf8_length(const char *s, size_t len);

#endif
