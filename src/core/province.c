/*
 * province.c: codes and names of the provinces and territories; see
 * province.h.  One table holds the two-letter code (Canada Post's, also
 * what storage keeps) and the official English and French names, so the
 * counts by province and every form's list come from the same place.
 */
#include "core/province.h"

#include "lib/banned.h"

static const struct {
    const char *code;
    const char *name[LANG_COUNT];
} regions[REGION_COUNT] = {
    [REGION_AB] = {"AB", {"Alberta", "Alberta"}},
    [REGION_BC] = {"BC", {"British Columbia", "Colombie-Britannique"}},
    [REGION_MB] = {"MB", {"Manitoba", "Manitoba"}},
    [REGION_NB] = {"NB", {"New Brunswick", "Nouveau-Brunswick"}},
    [REGION_NL] = {"NL", {"Newfoundland and Labrador", "Terre-Neuve-et-Labrador"}},
    [REGION_NS] = {"NS", {"Nova Scotia", "Nouvelle-Écosse"}},
    [REGION_NT] = {"NT", {"Northwest Territories", "Territoires du Nord-Ouest"}},
    [REGION_NU] = {"NU", {"Nunavut", "Nunavut"}},
    [REGION_ON] = {"ON", {"Ontario", "Ontario"}},
    [REGION_PE] = {"PE", {"Prince Edward Island", "Île-du-Prince-Édouard"}},
    [REGION_QC] = {"QC", {"Quebec", "Québec"}},
    [REGION_SK] = {"SK", {"Saskatchewan", "Saskatchewan"}},
    [REGION_YT] = {"YT", {"Yukon", "Yukon"}},
    [REGION_OUTSIDE] = {"XX", {"Outside Canada", "Hors du Canada"}},
};

const char *
region_code(enum region r)
{
    return (unsigned)r < REGION_COUNT ? regions[r].code : "XX";
}

static char
upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int
region_from_code(const char *s, size_t len, enum region *out)
{
    if (len != 2)
        return -1;
    for (int i = 0; i < REGION_COUNT; i++) {
        if (upper(s[0]) == regions[i].code[0] && upper(s[1]) == regions[i].code[1]) {
            *out = (enum region)i;
            return 0;
        }
    }
    return -1;
}

const char *
region_name(enum region r, enum lang lang)
{
    if ((unsigned)r >= REGION_COUNT)
        r = REGION_OUTSIDE;
    return regions[r].name[lang == LANG_FR ? LANG_FR : LANG_EN];
}
