/*
 * lang.h: the two official languages.  Every published text exists in
 * both; every page and e-mail is in the language the person used.  In
 * the toolbox because every layer speaks them, the request library
 * (src/http, which uses only src/lib) included: a request carries its
 * language.
 */
#ifndef PETITIOND_LANG_H
#define PETITIOND_LANG_H

#include <stddef.h>

enum lang {
    LANG_EN = 0,
    LANG_FR = 1,
};

enum { LANG_COUNT = 2 };

/* "en" or "fr" (a static string; "en" for a value outside the enum). */
const char *lang_code(enum lang lang);

/* Parse "en" or "fr": exactly the len bytes at s, lower case.  Returns 0,
 * or -1 with *out untouched ("EN", "fr-CA" and "" are refused). */
int lang_from_code(const char *s, size_t len, enum lang *out);

/* The other language. */
enum lang lang_other(enum lang lang);

#endif
