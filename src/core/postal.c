/*
 * postal.c: Canadian postal codes and their province or territory; see
 * postal.h.  Signatures are checked with it (rulebook 11.6): a code that
 * does not parse is refused, and a code whose first letter belongs to
 * another province or territory than the one chosen is refused too, with
 * its own message, so a slip of the hand is caught before the signature
 * is stored.
 */
#include "core/postal.h"

#include <stdbool.h>

#include "lib/err.h"
#include "lib/banned.h"

static char
upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool
letter_ok(char c, bool first)
{
    /* D F I O Q U never appear; W and Z never start a code. */
    if (c < 'A' || c > 'Z' || c == 'D' || c == 'F' || c == 'I' || c == 'O' || c == 'Q' || c == 'U')
        return false;
    return !(first && (c == 'W' || c == 'Z'));
}

static bool
digit_ok(char c)
{
    return c >= '0' && c <= '9';
}

int
postal_code_parse(const char *s, size_t len, char out[8], struct err *e)
{
    char c[6];
    size_t n = 0, i = 0;

    while (i < len && s[i] == ' ')
        i++;
    while (len > i && s[len - 1] == ' ')
        len--;
    for (; i < len; i++) {
        char ch = upper(s[i]);
        if ((ch == ' ' || ch == '-') && n == 3 && i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '-')
            continue;
        if (n == 6)
            goto bad;
        c[n++] = ch;
    }
    if (n != 6 || !letter_ok(c[0], true) || !digit_ok(c[1]) || !letter_ok(c[2], false) ||
        !digit_ok(c[3]) || !letter_ok(c[4], false) || !digit_ok(c[5]))
        goto bad;
    out[0] = c[0];
    out[1] = c[1];
    out[2] = c[2];
    out[3] = ' ';
    out[4] = c[3];
    out[5] = c[4];
    out[6] = c[5];
    out[7] = '\0';
    return 0;
bad:
    return err_set(e, ERR_INVALID, "error.postal_code.syntax", "postal_code",
                   "not a Canadian postal code");
}

size_t
postal_code_regions(const char *normalised, enum region out[2])
{
    switch (normalised[0]) {
    case 'A':
        out[0] = REGION_NL;
        return 1;
    case 'B':
        out[0] = REGION_NS;
        return 1;
    case 'C':
        out[0] = REGION_PE;
        return 1;
    case 'E':
        out[0] = REGION_NB;
        return 1;
    case 'G':
    case 'H':
    case 'J':
        out[0] = REGION_QC;
        return 1;
    case 'K':
    case 'L':
    case 'M':
    case 'N':
    case 'P':
        out[0] = REGION_ON;
        return 1;
    case 'R':
        out[0] = REGION_MB;
        return 1;
    case 'S':
        out[0] = REGION_SK;
        return 1;
    case 'T':
        out[0] = REGION_AB;
        return 1;
    case 'V':
        out[0] = REGION_BC;
        return 1;
    case 'X':
        out[0] = REGION_NT;
        out[1] = REGION_NU;
        return 2;
    case 'Y':
        out[0] = REGION_YT;
        return 1;
    default:
        return 0;
    }
}

int
postal_code_check_region(const char *normalised, enum region r, struct err *e)
{
    enum region found[2];
    size_t n = postal_code_regions(normalised, found);
    for (size_t i = 0; i < n; i++)
        if (found[i] == r)
            return 0;
    return err_set(e, ERR_INVALID, "error.postal_code.province", "postal_code",
                   "postal code does not match the province or territory");
}
