/*
 * charts.c: the geometry and the words of the site's charts; see charts.h.
 *
 * Each chart is laid out in a viewBox of fixed width (about the width of
 * the column it sits in, so its text is drawn near the size of the page's
 * text) and a height that follows from its rows.  The numbers are turned
 * into strings here: coordinates with at most one decimal, counts the
 * site's way.  The templates only place them, so what a screen reader
 * says (<title>, <desc>), what the eye reads (the labels) and the table
 * beside the chart come from the same numbers.
 */
#include "web/charts.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "lib/arena.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "lib/banned.h"

/* The bars: one row per item, the label and number on a line, the bar
 * under them; the axis below the last row. */
enum {
    BARS_WIDTH = 340,
    BARS_TOP = 4,
    BARS_ROW = 31,    /* a row's height */
    BARS_TEXT_Y = 13, /* the label's baseline in its row */
    BARS_BAR_Y = 17,  /* the bar's top in its row */
    BARS_BAR_H = 10,
    BARS_AXIS_TEXT = 15, /* the ticks' baseline below the last row */
    BARS_BOTTOM = 21,    /* the height below the last row */
    BARS_INTERVALS = 4,
};

/* The line: the plot inside margins, the y axis's numbers on its left,
 * the dates below. */
enum {
    LINE_WIDTH = 340,
    LINE_HEIGHT = 200,
    LINE_TOP = 24, /* room for the last point's number above the plot */
    LINE_RIGHT = 10,
    LINE_BOTTOM = 26,
    LINE_INTERVALS = 4,
    LINE_DATE_TICKS = 4, /* intervals between dates, at most */
};

/* The tiles: a square per province or territory on a grid. */
enum {
    TILE = 56,
    TILE_GAP = 4,
    TILE_COLS = 7,
    TILE_ROWS = 4,
};

/* ---- numbers ------------------------------------------------------------------------ */

void
chart_format_count(struct strbuf *out, int64_t n, enum lang lang)
{
    char digits[32];
    int len = 0;
    /* Through uint64_t, so INT64_MIN has a magnitude too. */
    uint64_t v = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    do {
        digits[len++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (n < 0)
        sb_adds(out, "\xe2\x88\x92"); /* U+2212 MINUS SIGN */
    for (int i = len - 1; i >= 0; i--) {
        sb_addch(out, digits[i]);
        if (i > 0 && i % 3 == 0)
            sb_adds(out, lang == LANG_FR ? "\xc2\xa0" : ",");
    }
}

static const char *
count_text(struct arena *a, int64_t n, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, a);
    chart_format_count(&sb, n, lang);
    return sb.buf;
}

void
chart_ticks_nice(int64_t max, int intervals, struct chart_ticks *out)
{
    static const int64_t mults[] = {1, 2, 5};
    if (intervals < 1)
        intervals = 1;
    if (max <= 0) {
        *out = (struct chart_ticks){.step = 1, .max = 1, .count = 1};
        return;
    }
    for (int64_t mag = 1;; mag *= 10) {
        for (size_t i = 0; i < sizeof(mults) / sizeof(mults[0]); i++) {
            int64_t step = mults[i] * mag;
            int64_t steps = max / step + (max % step != 0);
            if (steps <= intervals) {
                *out = (struct chart_ticks){
                    .step = step, .max = steps * step, .count = (int)steps + 1};
                return;
            }
        }
        if (mag > INT64_MAX / 100) {
            /* Past any count there can be: one interval to max. */
            *out = (struct chart_ticks){.step = max, .max = max, .count = 2};
            return;
        }
    }
}

/* A coordinate: one decimal at most, "12" rather than "12.0". */
static const char *
coord(struct arena *a, double v)
{
    char buf[48];
    double r = round(v * 10.0) / 10.0;
    if (r == 0.0)
        r = 0.0; /* no "-0" */
    if (r == floor(r))
        snprintf(buf, sizeof(buf), "%.0f", r);
    else
        snprintf(buf, sizeof(buf), "%.1f", r);
    return arena_strdup(a, buf);
}

static void
set_str(json_t *o, const char *key, const char *value)
{
    json_object_set_new(o, key, json_string(value ? value : ""));
}

static void
set_coord(json_t *o, struct arena *a, const char *key, double v)
{
    set_str(o, key, coord(a, v));
}

/* The object every chart template starts from: ids, words, viewBox. */
static json_t *
chart_frame(struct arena *a, const struct chart_text *text, const char *desc, int width,
            double height)
{
    json_t *c = json_object();
    set_str(c, "id", text->id);
    set_str(c, "title", text->title);
    set_str(c, "desc", desc);
    set_coord(c, a, "width", width);
    set_coord(c, a, "height", height);
    return c;
}

/* "Title: A 1, B 2" (" : " before a list in French). */
static const char *
list_desc(struct arena *a, enum lang lang, const char *title, const struct chart_bar *items,
          const int *order, int n)
{
    struct strbuf sb;
    sb_init(&sb, a);
    sb_adds(&sb, title ? title : "");
    sb_adds(&sb, lang == LANG_FR ? "\xc2\xa0: " : ": ");
    for (int i = 0; i < n; i++) {
        const struct chart_bar *it = &items[order[i]];
        if (i)
            sb_adds(&sb, ", ");
        sb_adds(&sb, it->label ? it->label : "");
        sb_addch(&sb, ' ');
        chart_format_count(&sb, it->value, lang);
    }
    sb_addch(&sb, '.');
    return sb.buf;
}

/* order[0..n-1] = the items' indexes, largest value first, ties in order
 * (an insertion sort: charts have a few dozen items at most). */
static int *
largest_first(struct arena *a, const struct chart_bar *items, int n)
{
    int *order = arena_calloc(a, (size_t)(n > 0 ? n : 1), sizeof(*order));
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && items[order[j - 1]].value < items[i].value) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    return order;
}

/* The ticks of an axis as {x or y, label, anchor} objects. */
static json_t *
axis_ticks(struct arena *a, enum lang lang, const struct chart_ticks *t, double from, double to,
           const char *pos_key, double other, const char *other_key, bool anchor_ends)
{
    json_t *ticks = json_array();
    for (int i = 0; i < t->count; i++) {
        int64_t v = (int64_t)i * t->step;
        double pos = from + (to - from) * ((double)v / (double)t->max);
        json_t *o = json_object();
        set_coord(o, a, pos_key, pos);
        set_coord(o, a, other_key, other);
        set_str(o, "label", count_text(a, v, lang));
        const char *anchor = "middle";
        if (anchor_ends && i == 0)
            anchor = "start";
        else if (anchor_ends && i == t->count - 1 && t->count > 1)
            anchor = "end";
        set_str(o, "anchor", anchor);
        json_array_append_new(ticks, o);
    }
    return ticks;
}

/* ---- bars ----------------------------------------------------------------------------- */

json_t *
chart_bars(struct arena *a, enum lang lang, const struct chart_text *text,
           const struct chart_bar *items, int n)
{
    int *order = largest_first(a, items, n);
    int64_t max = 0;
    for (int i = 0; i < n; i++)
        if (items[i].value > max)
            max = items[i].value;
    struct chart_ticks t;
    chart_ticks_nice(max, BARS_INTERVALS, &t);

    double left = 0.5, right = BARS_WIDTH - 0.5;
    double rows_end = BARS_TOP + (double)n * BARS_ROW;
    const char *desc = text->desc ? text->desc : list_desc(a, lang, text->title, items, order, n);
    json_t *c = chart_frame(a, text, desc, BARS_WIDTH, rows_end + BARS_BOTTOM);

    json_t *bars = json_array();
    for (int k = 0; k < n; k++) {
        const struct chart_bar *it = &items[order[k]];
        double y = BARS_TOP + (double)k * BARS_ROW;
        double w = it->value > 0 ? (right - left) * ((double)it->value / (double)t.max) : 0;
        if (it->value > 0 && w < 1.5)
            w = 1.5; /* a few signatures still show */
        json_t *o = json_object();
        set_str(o, "label", it->label);
        set_str(o, "value", count_text(a, it->value, lang));
        set_coord(o, a, "text_y", y + BARS_TEXT_Y);
        set_coord(o, a, "bar_x", left);
        set_coord(o, a, "bar_y", y + BARS_BAR_Y);
        set_coord(o, a, "bar_w", w);
        set_coord(o, a, "bar_h", BARS_BAR_H);
        json_array_append_new(bars, o);
    }
    json_object_set_new(c, "bars", bars);
    set_coord(c, a, "value_x", BARS_WIDTH);
    set_coord(c, a, "grid_top", BARS_TOP + BARS_BAR_Y - 4);
    set_coord(c, a, "grid_bottom", rows_end);
    json_object_set_new(
        c, "ticks",
        axis_ticks(a, lang, &t, left, right, "x", rows_end + BARS_AXIS_TEXT, "y", true));
    return c;
}

/* ---- line ------------------------------------------------------------------------------- */

static const char *const months_short[LANG_COUNT][12] = {
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.", "oct.", "nov.",
     "déc."},
};

void
chart_format_short_date(struct strbuf *out, struct civil_date d, enum lang lang)
{
    int m = d.month >= 1 && d.month <= 12 ? d.month - 1 : 0;
    if (lang == LANG_FR)
        sb_addf(out, "%d%s\xc2\xa0%s", d.day, d.day == 1 ? "er" : "", months_short[LANG_FR][m]);
    else
        sb_addf(out, "%s\xc2\xa0%d", months_short[LANG_EN][m], d.day);
}

/* Days between date ticks: the smallest of these that needs at most
 * LINE_DATE_TICKS intervals over span days. */
static int
date_step(int span)
{
    static const int steps[] = {1, 2, 3, 7, 14, 28, 56, 91, 182, 364, 728, 1820};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (span <= steps[i] * LINE_DATE_TICKS)
            return steps[i];
    return span / LINE_DATE_TICKS + 1;
}

json_t *
chart_line(struct arena *a, enum lang lang, const struct chart_text *text, struct civil_date first,
           const int64_t *totals, int ndays)
{
    int64_t max = 0;
    for (int i = 0; i < ndays; i++)
        if (totals[i] > max)
            max = totals[i];
    struct chart_ticks t;
    chart_ticks_nice(max, LINE_INTERVALS, &t);

    /* The y axis's numbers decide the left margin (about 6.5 units a
     * character at the ticks' size). */
    size_t widest = strlen(count_text(a, t.max, lang));
    double left = 10 + 6.5 * (double)widest;
    double right = LINE_WIDTH - LINE_RIGHT;
    double top = LINE_TOP, bottom = LINE_HEIGHT - LINE_BOTTOM;
    json_t *c = chart_frame(a, text, text->desc, LINE_WIDTH, LINE_HEIGHT);

    /* y: ticks with gridlines across the plot. */
    json_t *yticks = axis_ticks(a, lang, &t, bottom, top, "y", left - 6, "x", false);
    json_object_set_new(c, "yticks", yticks);
    set_coord(c, a, "plot_left", left);
    set_coord(c, a, "plot_right", right);
    set_coord(c, a, "plot_bottom", bottom);

    /* x: the days, a date every few days from the first. */
    int span = ndays > 1 ? ndays - 1 : 0;
    double day_w = span ? (right - left) / span : 0;
    json_t *xticks = json_array();
    int step = date_step(span);
    for (int d = 0; d <= span; d += step) {
        double x = left + day_w * d;
        struct strbuf sb;
        sb_init(&sb, a);
        chart_format_short_date(&sb, civil_date_add(first, d), lang);
        json_t *o = json_object();
        set_coord(o, a, "x", x);
        set_coord(o, a, "y", LINE_HEIGHT - 8);
        set_coord(o, a, "tick_y", bottom + 4);
        set_str(o, "label", sb.buf);
        /* The first date starts at the axis; one near the right edge ends there. */
        set_str(o, "anchor", d == 0 ? "start" : x > right - 30 ? "end" : "middle");
        json_array_append_new(xticks, o);
    }
    json_object_set_new(c, "xticks", xticks);

    /* The line and the area under it. */
    struct strbuf line, area;
    sb_init(&line, a);
    sb_init(&area, a);
    double x = left, y = bottom;
    for (int i = 0; i < ndays; i++) {
        int64_t v = totals[i] < 0 ? 0 : totals[i];
        x = left + day_w * i;
        y = bottom - (bottom - top) * ((double)v / (double)t.max);
        sb_adds(&line, i ? " L" : "M");
        sb_adds(&line, coord(a, x));
        sb_addch(&line, ' ');
        sb_adds(&line, coord(a, y));
    }
    sb_add(&area, line.buf, line.len);
    sb_addf(&area, " L%s %s L%s %s Z", coord(a, x), coord(a, bottom), coord(a, left),
            coord(a, bottom));
    set_str(c, "line", line.buf);
    set_str(c, "area", area.buf);

    /* The last point, with its number above it. */
    json_t *end = json_object();
    set_coord(end, a, "x", x);
    set_coord(end, a, "y", y);
    set_coord(end, a, "label_x", x > right - 40 ? LINE_WIDTH - 2 : x);
    set_coord(end, a, "label_y", y - 9);
    set_str(end, "anchor", x > right - 40 ? "end" : "middle");
    set_str(end, "label", count_text(a, ndays ? totals[ndays - 1] : 0, lang));
    json_object_set_new(c, "end", end);
    return c;
}

int
chart_days_totals(struct arena *a, const struct day_count *days, int n, int64_t total,
                  struct civil_date from, struct civil_date to, struct civil_date *first,
                  int64_t **out)
{
    *out = NULL;
    *first = from;
    if (n <= 0)
        return 0;
    int64_t start = days_from_civil(from.year, from.month, from.day);
    int64_t stop = days_from_civil(to.year, to.month, to.day);
    int64_t d0 = days_from_civil(days[0].day.year, days[0].day.month, days[0].day.day);
    int64_t dn = days_from_civil(days[n - 1].day.year, days[n - 1].day.month, days[n - 1].day.day);
    if (d0 < start)
        start = d0;
    if (dn > stop)
        stop = dn;
    if (stop - start + 1 > CHART_MAX_DAYS)
        start = stop - CHART_MAX_DAYS + 1;
    int count = (int)(stop - start + 1);

    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += days[i].delta;
    int64_t *v = arena_calloc(a, (size_t)count, sizeof(*v));
    int64_t running = total - sum; /* counted before the first day we know */
    int k = 0;
    for (int i = 0; i < count; i++) {
        /* Every change on or before this day (the oldest, beyond the
         * limit, on the first). */
        while (k < n &&
               days_from_civil(days[k].day.year, days[k].day.month, days[k].day.day) <= start + i)
            running += days[k++].delta;
        v[i] = running;
    }
    int y, m, d;
    civil_from_days(start, &y, &m, &d);
    *first = (struct civil_date){y, m, d};
    *out = v;
    return count;
}

/* ---- tiles ------------------------------------------------------------------------------- */

/* Where each region's tile goes: column, row, and width in columns. */
static const struct {
    enum region region;
    int col, row, span;
} tile_places[] = {
    /* clang-format off */
    {REGION_YT, 0, 0, 1}, {REGION_NT, 1, 0, 1}, {REGION_NU, 2, 0, 1},
    {REGION_BC, 0, 1, 1}, {REGION_AB, 1, 1, 1}, {REGION_SK, 2, 1, 1},
    {REGION_MB, 3, 1, 1}, {REGION_ON, 4, 1, 1}, {REGION_QC, 5, 1, 1},
    {REGION_NL, 6, 1, 1}, {REGION_NB, 5, 2, 1}, {REGION_PE, 6, 2, 1},
    {REGION_NS, 6, 3, 1}, {REGION_OUTSIDE, 0, 3, 3},
    /* clang-format on */
};

/* The shades, from none to the most, each with a text colour that keeps
 * a contrast of at least 4.5:1 on it. */
static const struct {
    const char *fill, *ink;
} tile_shades[] = {
    {"#f2f2f2", "#4d4d4d"}, {"#dcefe4", "#1c1c1c"}, {"#a8d5bb", "#1c1c1c"},
    {"#237a4f", "#ffffff"}, {"#0b5c3b", "#ffffff"},
};

static int
tile_shade(int64_t v, int64_t max)
{
    if (v <= 0 || max <= 0)
        return 0;
    /* Quarters of the largest: 1 to 4. */
    int64_t q = (v * 4 + max - 1) / max;
    return q < 1 ? 1 : q > 4 ? 4 : (int)q;
}

json_t *
chart_tiles(struct arena *a, enum lang lang, const struct chart_text *text,
            const int64_t counts[REGION_COUNT])
{
    struct chart_bar items[REGION_COUNT];
    int64_t max = 0;
    for (int r = 0; r < REGION_COUNT; r++) {
        items[r].label = region_name((enum region)r, lang);
        items[r].value = counts[r];
        if (counts[r] > max)
            max = counts[r];
    }
    int *order = largest_first(a, items, REGION_COUNT);
    const char *desc =
        text->desc ? text->desc : list_desc(a, lang, text->title, items, order, REGION_COUNT);
    const int pitch = TILE + TILE_GAP;
    json_t *c =
        chart_frame(a, text, desc, TILE_COLS * pitch - TILE_GAP, TILE_ROWS * pitch - TILE_GAP + 1);

    json_t *tiles = json_array();
    for (size_t i = 0; i < sizeof(tile_places) / sizeof(tile_places[0]); i++) {
        enum region r = tile_places[i].region;
        double x = tile_places[i].col * pitch + 0.5;
        double y = tile_places[i].row * pitch + 0.5;
        double w = tile_places[i].span * pitch - TILE_GAP;
        int shade = tile_shade(counts[r], max);
        json_t *o = json_object();
        set_coord(o, a, "x", x);
        set_coord(o, a, "y", y);
        set_coord(o, a, "w", w);
        set_coord(o, a, "h", TILE);
        set_coord(o, a, "cx", x + w / 2);
        set_coord(o, a, "code_y", y + 21);
        set_coord(o, a, "value_y", y + 43);
        set_str(o, "fill", tile_shades[shade].fill);
        set_str(o, "ink", tile_shades[shade].ink);
        /* Outside Canada is no place on the map: its own name, a dashed edge. */
        set_str(o, "code", r == REGION_OUTSIDE ? region_name(r, lang) : region_code(r));
        json_object_set_new(o, "outside", json_boolean(r == REGION_OUTSIDE));
        set_str(o, "tip",
                arena_printf(a, "%s%s%s", region_name(r, lang),
                             lang == LANG_FR ? "\xc2\xa0: " : ": ",
                             count_text(a, counts[r], lang)));
        set_str(o, "value", count_text(a, counts[r], lang));
        json_array_append_new(tiles, o);
    }
    json_object_set_new(c, "tiles", tiles);
    return c;
}
