/*
 * postal.h: Canadian postal codes (rulebook 11.6).
 *
 * Syntax: letter digit letter, an optional single space (or hyphen),
 * digit letter digit, case-insensitive: "K1A 0A6", "k1a0a6".  Letters D,
 * F, I, O, Q and U never appear; W and Z never start a code.  The first
 * letter gives the province or territory: A NL, B NS, C PE, E NB, G H J
 * QC, K L M N P ON, R MB, S SK, T AB, V BC, X NT or NU, Y YT.
 */
#ifndef PETITIOND_POSTAL_H
#define PETITIOND_POSTAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/province.h"

struct err;

/*
 * Parse a postal code.  On success writes the normalised form ("K1A 0A6",
 * upper case, one space, NUL-terminated) to out[8] and returns 0; else
 * returns ERR_INVALID with e->key "error.postal_code.syntax" and field
 * "postal_code", leaving out untouched.  Leading and trailing spaces
 * are ignored; other white space (a tab, a no-break space) is refused.
 */
int postal_code_parse(const char *s, size_t len, char out[8], struct err *e);

/*
 * The regions a valid, normalised code may belong to: writes up to 2
 * regions to out (X gives NT and NU) and returns how many (1 or 2; 0
 * when the first letter starts no code, which a parsed code never has).
 */
size_t postal_code_regions(const char *normalised, enum region out[2]);

/*
 * Check that a code fits the region the person chose.  Returns 0, or
 * ERR_INVALID with e->key "error.postal_code.province" and field
 * "postal_code".  (Parse first: this expects a normalised code.)
 */
int postal_code_check_region(const char *normalised, enum region r, struct err *e);

#endif
