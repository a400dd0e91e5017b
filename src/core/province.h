/*
 * province.h: Canada's provinces and territories, and "outside Canada",
 * the regions by which signature counts are broken down.
 */
#ifndef PETITIOND_PROVINCE_H
#define PETITIOND_PROVINCE_H

#include <stddef.h>

#include "core/lang.h"

/* Order is the House's usual order (alphabetical by English name), then
 * "outside Canada" last. */
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

/* Two-letter code ("ON"), or "XX" for REGION_OUTSIDE. */
const char *region_code(enum region r);

/* Parse a code as region_code() writes it, case-insensitive.  0 or -1. */
int region_from_code(const char *s, size_t len, enum region *out);

/* Name in a language: "Quebec" / "Québec", "Outside Canada" / "Hors du Canada". */
const char *region_name(enum region r, enum lang lang);

#endif
