/*
 * csv_fuzz.c: libFuzzer target for the CSV writer (src/lib/csv.c), round
 * trip through a strict reader.
 *
 * The input is a row of cells separated by NUL bytes.  They are written
 * with csv_cell() and csv_end_row(), then read back by the strict RFC
 * 4180 reader below (quoted or bare cells, doubled quotes, the row ended
 * by CRLF, nothing after).  Invariant: it reads as many cells as were
 * written, each the text given, with the apostrophe before a cell that
 * starts with = + - @ tab or CR.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { CELLS_MAX = 64 };

/* Read one cell at *p into cell (which the writer's output bounds);
 * returns the byte after it: ',' or '\r' (then '\n' follows), or -1. */
static int
read_cell(const char **p, const char *end, struct strbuf *cell)
{
    const char *s = *p;
    sb_reset(cell);
    if (s < end && *s == '"') {
        s++;
        for (;;) {
            assert(s < end); /* a quoted cell is closed */
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    sb_addch(cell, '"');
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            sb_addch(cell, *s++);
        }
    } else {
        while (s < end && *s != ',' && *s != '\r') {
            assert(*s != '"' && *s != '\n'); /* a bare cell holds neither */
            sb_addch(cell, *s++);
        }
    }
    assert(s < end);
    int stop = *s;
    if (stop == '\r') {
        assert(s + 1 < end && s[1] == '\n');
        s++;
    } else {
        assert(stop == ',');
    }
    *p = s + 1;
    return stop;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *cells[CELLS_MAX];
    size_t lens[CELLS_MAX];
    int n = 0;
    const char *s = (const char *)data, *end = s + size;
    while (n < CELLS_MAX) {
        const char *nul = memchr(s, '\0', (size_t)(end - s));
        cells[n] = s;
        lens[n] = nul ? (size_t)(nul - s) : (size_t)(end - s);
        n++;
        if (!nul)
            break;
        s = nul + 1;
    }

    struct strbuf out, cell, want;
    sb_init(&out, NULL);
    sb_init(&cell, NULL);
    sb_init(&want, NULL);
    for (int i = 0; i < n; i++)
        csv_cell(&out, lens[i] ? cells[i] : NULL, lens[i]);
    csv_end_row(&out);
    assert(!sb_failed(&out));

    const char *p = out.buf, *oend = out.buf + out.len;
    for (int i = 0; i < n; i++) {
        int stop = read_cell(&p, oend, &cell);
        assert(stop == (i == n - 1 ? '\r' : ','));
        sb_reset(&want);
        if (lens[i] && strchr("=+-@\t\r", cells[i][0]) && cells[i][0] != '\0')
            sb_addch(&want, '\'');
        sb_add(&want, cells[i], lens[i]);
        assert(cell.len == want.len && (!want.len || memcmp(cell.buf, want.buf, want.len) == 0));
    }
    assert(p == oend);
    sb_release(&out);
    sb_release(&cell);
    sb_release(&want);
    return 0;
}
