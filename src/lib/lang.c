/*
 * lang.c: the two official languages; see lang.h.  The codes are the ones
 * in URLs (/en/..., /fr/...) and in the message catalogues
 * (data/i18n/en.json, fr.json); anything else is not a language here, so
 * a request for "EN" or "fr-CA" is answered as a bad request, not guessed
 * at.
 */
#include "lib/lang.h"

#include <string.h>

#include "lib/banned.h"

const char *
lang_code(enum lang lang)
{
    return lang == LANG_FR ? "fr" : "en";
}

int
lang_from_code(const char *s, size_t len, enum lang *out)
{
    if (len == 2 && memcmp(s, "en", 2) == 0) {
        *out = LANG_EN;
        return 0;
    }
    if (len == 2 && memcmp(s, "fr", 2) == 0) {
        *out = LANG_FR;
        return 0;
    }
    return -1;
}

enum lang
lang_other(enum lang lang)
{
    return lang == LANG_FR ? LANG_EN : LANG_FR;
}
