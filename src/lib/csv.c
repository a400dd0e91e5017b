/*
 * csv.c: RFC 4180 cells with formula-injection protection; see csv.h.
 */
#include "lib/csv.h"

#include <stdbool.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

/* The first bytes that make a spreadsheet read a cell as a formula (or,
 * for tab and CR, hide such a first byte after whitespace). */
static bool
formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void
csv_cell(struct strbuf *out, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == '"' || s[i] == ',' || s[i] == '\r' || s[i] == '\n';
    if (quote)
        sb_addch(out, '"');
    if (len > 0 && formula_start(s[0]))
        sb_addch(out, '\'');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '"')
            continue;
        /* Up to and with this quote, then the quote once more. */
        sb_add(out, s + start, i + 1 - start);
        sb_addch(out, '"');
        start = i + 1;
    }
    if (len > start)
        sb_add(out, s + start, len - start);
    if (quote)
        sb_addch(out, '"');
    sb_addch(out, ',');
}

void
csv_cells(struct strbuf *out, const char *s)
{
    csv_cell(out, s, s ? strlen(s) : 0);
}

void
csv_number(struct strbuf *out, long long n)
{
    sb_addf(out, "%lld,", n);
}

void
csv_end_row(struct strbuf *out)
{
    if (out->len > 0 && out->buf[out->len - 1] == ',')
        sb_setlen(out, out->len - 1);
    sb_add(out, "\r\n", 2);
}
