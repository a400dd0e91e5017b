/*
 * province.h: Canada's provinces and territories, and "outside Canada",
 * the regions by which signature counts are broken down.
 */
#ifndef PETITIOND_PROVINCE_H
#define PETITIOND_PROVINCE_H

#include <stddef.h>

#include "lib/lang.h"

/* The provinces and territories in the order of their two-letter codes
 * (close to, but not quite, the English alphabetical order: NS comes
 * before NT), then "outside Canada" last.  Storage keeps the codes, never
 * these numbers. */
enum region {
    REGION_AB,
    REGION_BC,
    REGION_MB,
    REGION_NB,
    REGION_NL,
    REGION_NS,
    REGION_NT,
    REGION_NU,
    REGION_ON,
    REGION_PE,
    REGION_QC,
    REGION_SK,
    REGION_YT,
    REGION_OUTSIDE, /* signatories who live outside Canada */
    REGION_COUNT,
};

enum { PROVINCE_COUNT = REGION_OUTSIDE }; /* the 13 provinces and territories */

/* Two-letter code ("ON"), or "XX" for REGION_OUTSIDE (and for a value
 * outside the enum).  A static string. */
const char *region_code(enum region r);

/* Parse a code as region_code() writes it ("XX" included), in any case,
 * from exactly len bytes.  Returns 0, or -1 (*out untouched). */
int region_from_code(const char *s, size_t len, enum region *out);

/* Official name in a language: "Quebec" / "Québec", "Outside Canada" /
 * "Hors du Canada" (also for a value outside the enum).  A static string. */
const char *region_name(enum region r, enum lang lang);

#endif
