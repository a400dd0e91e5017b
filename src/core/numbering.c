/*
 * numbering.c: petition numbers e-NNNN and PPS-NNNNN; see numbering.h.
 * Numbers arrive from URLs and the search box, so parsing is strict (no
 * spaces, signs or leading zeros where the House writes none) and each
 * number has exactly one written form, which keeps URLs canonical.
 */
#include "core/numbering.h"

#include <stdbool.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static bool
all_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static long
digits_value(const char *s, size_t len)
{
    long v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int
e_number_parse(const char *s, size_t len, long *out, struct err *e)
{
    /* "e-" then 1 to 7 digits, no leading zero. */
    if (len < 3 || len > 9 || (s[0] != 'e' && s[0] != 'E') || s[1] != '-' ||
        !all_digits(s + 2, len - 2) || s[2] == '0')
        return err_set(e, ERR_INVALID, "error.petition_number", "number",
                       "not an e-petition number");
    *out = digits_value(s + 2, len - 2);
    return 0;
}

void
e_number_format(struct strbuf *out, long n)
{
    sb_addf(out, "e-%ld", n);
}

int
presented_number_parse(const char *s, size_t len, struct presented_number *out, struct err *e)
{
    /* PPS-NNNNN: exactly 3 digits, a dash, 5 digits; parliament 1..99,
     * session 1..9, sequence 1..99999. */
    if (len != 9 || s[3] != '-' || !all_digits(s, 3) || !all_digits(s + 4, 5))
        return err_set(e, ERR_INVALID, "error.petition_number", "number",
                       "not a presented-petition number");
    int parliament = (int)digits_value(s, 2);
    int session = s[2] - '0';
    int sequence = (int)digits_value(s + 4, 5);
    if (parliament < 1 || session < 1 || sequence < 1)
        return err_set(e, ERR_INVALID, "error.petition_number", "number",
                       "presented number out of range");
    out->parliament = parliament;
    out->session = session;
    out->sequence = sequence;
    return 0;
}

void
presented_number_format(struct strbuf *out, const struct presented_number *n)
{
    sb_addf(out, "%02d%d-%05d", n->parliament, n->session, n->sequence);
}

int
petition_number_parse(const char *s, size_t len, struct petition_number *out, struct err *e)
{
    if (len > 0 && (s[0] == 'e' || s[0] == 'E')) {
        out->kind = PETITION_NUMBER_E;
        return e_number_parse(s, len, &out->e_number, e);
    }
    out->kind = PETITION_NUMBER_PRESENTED;
    return presented_number_parse(s, len, &out->pps, e);
}
