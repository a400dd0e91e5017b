/*
 * csv.h: writing CSV as RFC 4180 has it, safe to open in a spreadsheet.
 *
 * A row is cells appended one after the other with csv_cell() (text) or
 * csv_number() (a count we computed), then csv_end_row().  Each cell is
 * written followed by a comma; csv_end_row() turns the row's last comma
 * into CRLF, so callers never track whether a cell is the first.
 *
 * Text cells are quoted when they hold '"', ',', CR or LF (quotes are
 * doubled inside), and defused against formula injection (OWASP, "CSV
 * Injection"): a text cell whose first byte is '=', '+', '-', '@', tab or
 * CR is written with an apostrophe before it, which spreadsheets show as
 * text and do not evaluate.  So "=HYPERLINK(...)" arrives as
 * '=HYPERLINK(...) and "-5" typed by a person as '-5.  Numbers petitiond
 * wrote itself (never negative) go through csv_number() and are left
 * alone.
 *
 * Bytes are copied as they are: the caller hands UTF-8 text (a UTF-8 BOM
 * at the start of the file, CSV_BOM, makes Excel read it as UTF-8).
 * Errors are the strbuf's (sticky; check sb_failed() at the end).
 */
#ifndef PETITIOND_CSV_H
#define PETITIOND_CSV_H

#include <stddef.h>

struct strbuf;

/* The UTF-8 byte order mark, to write once before the header row. */
#define CSV_BOM "\xef\xbb\xbf"

/* Append the text cell of the len bytes at s (s may be NULL when len is
 * 0: an empty cell), protected and quoted as above, and a comma. */
void csv_cell(struct strbuf *out, const char *s, size_t len);

/* csv_cell() of a NUL-terminated string; NULL is an empty cell. */
void csv_cells(struct strbuf *out, const char *s);

/* Append a number petitiond computed (a count) as it is, and a comma. */
void csv_number(struct strbuf *out, long long n);

/* End the row: its last comma becomes CRLF (a row without cells is an
 * empty line). */
void csv_end_row(struct strbuf *out);

#endif
