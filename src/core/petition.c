/*
 * petition.c: names of the petition enumerations, as stored and as used in
 * URLs and data files.
 */
#include "core/petition.h"

#include <string.h>

#include "lib/strbuf.h"

#include "lib/banned.h"

static const char *const addressee_names[ADDRESSEE_COUNT] = {
    [ADDRESSEE_HOUSE] = "house",
    [ADDRESSEE_HOUSE_ASSEMBLED] = "house-assembled",
    [ADDRESSEE_GOVERNMENT] = "government",
    [ADDRESSEE_MINISTER] = "minister",
    [ADDRESSEE_MEMBER] = "member",
};

const char *
addressee_type_name(enum addressee_type t)
{
    return (unsigned)t < ADDRESSEE_COUNT ? addressee_names[t] : "government";
}

int
addressee_type_from_name(const char *s, size_t len, enum addressee_type *out)
{
    for (int i = 0; i < ADDRESSEE_COUNT; i++) {
        if (strlen(addressee_names[i]) == len && memcmp(addressee_names[i], s, len) == 0) {
            *out = (enum addressee_type)i;
            return 0;
        }
    }
    return -1;
}

const char *
petition_kind_name(enum petition_kind k)
{
    return k == PETITION_PAPER ? "paper" : "electronic";
}

int
petition_kind_from_name(const char *s, size_t len, enum petition_kind *out)
{
    if (len == 10 && memcmp(s, "electronic", 10) == 0) {
        *out = PETITION_ELECTRONIC;
        return 0;
    }
    if (len == 5 && memcmp(s, "paper", 5) == 0) {
        *out = PETITION_PAPER;
        return 0;
    }
    return -1;
}

void
petition_number_of(const struct petition *p, struct petition_number *out)
{
    out->kind = p->kind == PETITION_ELECTRONIC ? PETITION_NUMBER_E : PETITION_NUMBER_PRESENTED;
    out->e_number = p->e_number;
    out->pps = p->presented_number;
}

void
petition_number_format(struct strbuf *out, const struct petition *p)
{
    if (p->kind == PETITION_ELECTRONIC)
        e_number_format(out, p->e_number);
    else
        presented_number_format(out, &p->presented_number);
}
