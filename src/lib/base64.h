/*
 * base64.h: base64 as the signed-note and transparency-log formats write
 * it (RFC 4648, section 4: the standard alphabet, with padding), read
 * strictly.
 *
 * libsodium writes it (sodium_bin2base64) and, once every character is
 * known to be of the alphabet, reads it: Debian 12's libsodium 1.0.18
 * reads every byte above 0x7F as '/' (its constant-time comparisons,
 * written for 0..255, are handed the byte as a signed char), so
 * sodium_base642bin() alone would take "q\xcfL" for "q/L", and a
 * receipt or a note would have many spellings.
 */
#ifndef PETITIOND_BASE64_H
#define PETITIOND_BASE64_H

#include <stddef.h>

struct strbuf;

/* Append the base64 of the len bytes at bin. */
void base64_add(struct strbuf *out, const void *bin, size_t len);

/*
 * Decode the len characters at s into bin (room for cap bytes), *got
 * the bytes written.  Only the canonical form is read: a multiple of
 * four characters of the alphabet, '=' only as the padding the length
 * needs, the unused bits of the last character zero.  Returns 0, or -1
 * (also when the bytes need more than cap; empty input is -1).
 */
int base64_decode(const char *s, size_t len, void *bin, size_t cap, size_t *got);

#endif
