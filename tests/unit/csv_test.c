/*
 * csv_test.c: CSV cells (lib/csv.h): RFC 4180 quoting, CRLF rows, and the
 * apostrophe that keeps a spreadsheet from evaluating a text cell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/csv.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

/* The row of one text cell s, as csv_cell() and csv_end_row() write it. */
static void
assert_cell(const char *s, const char *want)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    csv_cells(&sb, s);
    csv_end_row(&sb);
    if (strcmp(sb.buf, want) != 0)
        fail_msg("cell \"%s\" is written \"%s\", not \"%s\"", s, sb.buf, want);
    sb_release(&sb);
}

static void
plain_cells_are_not_quoted(void **state)
{
    (void)state;
    assert_cell("e-2829", "e-2829\r\n");
    assert_cell("Affaires étrangères", "Affaires étrangères\r\n");
    assert_cell("it's", "it's\r\n");
    assert_cell("", "\r\n");
    assert_cell(NULL, "\r\n");
}

static void
cells_with_quotes_commas_or_line_ends_are_quoted(void **state)
{
    (void)state;
    assert_cell("a,b", "\"a,b\"\r\n");
    assert_cell("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
    assert_cell("\"", "\"\"\"\"\r\n");
    assert_cell("line\nnext", "\"line\nnext\"\r\n");
    assert_cell("line\r\nnext", "\"line\r\nnext\"\r\n");
    assert_cell("end\r", "\"end\r\"\r\n");
}

static void
formula_starts_get_an_apostrophe(void **state)
{
    (void)state;
    assert_cell("=1+2", "'=1+2\r\n");
    assert_cell("+1", "'+1\r\n");
    assert_cell("-1", "'-1\r\n");
    assert_cell("@SUM(A1)", "'@SUM(A1)\r\n");
    assert_cell("\t=1", "'\t=1\r\n");
    /* CR first: protected, and quoted for the CR. */
    assert_cell("\r=1", "\"'\r=1\"\r\n");
    /* Protected, then quoted because of the quotes and comma. */
    assert_cell("=HYPERLINK(\"http://x.test\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"y\"\")\"\r\n");
    /* Only the first byte counts. */
    assert_cell("a=1", "a=1\r\n");
    assert_cell("44-1", "44-1\r\n");
    assert_cell(" =1", " =1\r\n");
}

static void
numbers_are_written_as_they_are(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    csv_number(&sb, 0);
    csv_number(&sb, 3712);
    csv_number(&sb, 9000000000LL);
    csv_end_row(&sb);
    assert_string_equal(sb.buf, "0,3712,9000000000\r\n");
    sb_release(&sb);
}

static void
rows_are_comma_separated_and_end_with_crlf(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    sb_adds(&sb, CSV_BOM);
    csv_cells(&sb, "number");
    csv_cells(&sb, "signatures");
    csv_end_row(&sb);
    csv_cells(&sb, "e-2829");
    csv_number(&sb, 12);
    csv_cells(&sb, "");
    csv_end_row(&sb);
    csv_cells(&sb, "");
    csv_cells(&sb, "");
    csv_end_row(&sb);
    csv_end_row(&sb); /* no cells: an empty line */
    assert_string_equal(sb.buf, "\xef\xbb\xbfnumber,signatures\r\ne-2829,12,\r\n,\r\n\r\n");
    /* A comma inside the last cell is quoted, so only the separator goes. */
    sb_reset(&sb);
    csv_cells(&sb, "a");
    csv_cells(&sb, "b,");
    csv_end_row(&sb);
    assert_string_equal(sb.buf, "a,\"b,\"\r\n");
    sb_release(&sb);
}

static void
cells_are_binary_safe_by_length(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    csv_cell(&sb, "ab\0c", 4);
    csv_cell(&sb, "=xyz", 2);
    csv_end_row(&sb);
    assert_int_equal(sb.len, 10);
    assert_memory_equal(sb.buf, "ab\0c,'=x\r\n", 10);
    sb_release(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_cells_are_not_quoted),
        cmocka_unit_test(cells_with_quotes_commas_or_line_ends_are_quoted),
        cmocka_unit_test(formula_starts_get_an_apostrophe),
        cmocka_unit_test(numbers_are_written_as_they_are),
        cmocka_unit_test(rows_are_comma_separated_and_end_with_crlf),
        cmocka_unit_test(cells_are_binary_safe_by_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
