/*
 * charts.h: the pictures of the public pages, drawn by the server as SVG.
 *
 * Three charts: bars (a petition's signatures by province or territory,
 * largest first), a line (a petition's total signatures day by day) and a
 * tile map (where this week's signatures come from, one square per
 * province or territory laid out roughly as on a map).  None needs
 * JavaScript; each sits beside a table of the same numbers.
 *
 * This module does the arithmetic: nice round axis ticks, the position
 * and size of every bar, point and tile, the numbers written the site's
 * way ("1,234" / "1 234"), and the chart's words (<title>, <desc>).  It
 * returns them as a jansson object, the context of the chart's template
 * (templates/chart_bars.html, chart_line.html, chart_tiles.html), which
 * writes the SVG markup.  So a chart reaches the page as every other
 * piece of a page does: markup from our own template files, values
 * escaped by the renderer (lib/template.h).  No string is ever written
 * unescaped, and no chart needs a way around the escaping.
 *
 * Every template draws an <svg role="img" aria-labelledby="ID-title
 * ID-desc"> with its <title> and <desc> in the page's language, a viewBox
 * and width 100% (static/style.css sizes it).  Coordinates are in the
 * viewBox's units, written with at most one decimal.
 *
 * Memory: the strings of a chart come from the arena a given, the
 * returned json_t is a new reference the caller owns (json_decref, or
 * hand it to a template context with json_object_set_new).  The labels
 * given are borrowed and copied.  Pure: no I/O, no clock, thread-safe.
 */
#ifndef PETITIOND_CHARTS_H
#define PETITIOND_CHARTS_H

#include <jansson.h>
#include <stdint.h>

#include "core/house.h"
#include "core/province.h"
#include "lib/lang.h"

struct arena;
struct day_count;
struct strbuf;

enum {
    CHART_MAX_DAYS = 3660, /* a line covers at most ten years */
};

/* What the caller says about a chart, already in the page's language. */
struct chart_text {
    const char *id;    /* prefix of the chart's element ids, unique in the page */
    const char *title; /* the <title>: "Signatures by province and territory" */
    const char *desc;  /* the <desc>; NULL = made from the data (bars, tiles) */
};

/* One bar: its label (plain text, escaped by the template) and value. */
struct chart_bar {
    const char *label;
    int64_t value;
};

/* Round axis ticks: 0, step, 2 step, ... up to max (count ticks, 0 included). */
struct chart_ticks {
    int64_t step;
    int64_t max;
    int count;
};

/* Append n the site's way: "1,234" in English, "1 234" (no-break space)
 * in French; negative numbers with a minus sign ("−12", U+2212). */
void chart_format_count(struct strbuf *out, int64_t n, enum lang lang);

/*
 * Nice ticks for values from 0 to max (max >= 0), at most intervals
 * intervals (>= 1): the step is 1, 2 or 5 times a power of ten, the
 * smallest that covers max in that many steps; max becomes a multiple of
 * the step.  For max 0 (nothing to show): one tick, 0, with step and max 1.
 */
void chart_ticks_nice(int64_t max, int intervals, struct chart_ticks *out);

/*
 * Bars for n items (labels copied), drawn largest first (ties keep their
 * order), with a round axis below.  The desc, unless text->desc is set,
 * is the title and every item: "Signatures by province and territory:
 * Ontario 164, Quebec 42, ..." (" : " in French).
 */
json_t *chart_bars(struct arena *a, enum lang lang, const struct chart_text *text,
                   const struct chart_bar *items, int n);

/*
 * A line of totals[0..ndays-1], the total at the end of each day from
 * first (ndays >= 1), over an area, with a round axis from 0 and a few
 * dates below ("Sep 15" / "15 sept.").  The last point is marked with its
 * number.  text->desc is needed (the caller says it in words).
 */
json_t *chart_line(struct arena *a, enum lang lang, const struct chart_text *text,
                   struct civil_date first, const int64_t *totals, int ndays);

/*
 * A tile map of counts by region: one square per province and territory
 * at its place, named by its code and showing its number, shaded by the
 * number (darker is more; the text keeps enough contrast on each shade),
 * and a wide tile for outside Canada.  The desc, unless given, is the
 * title and every region, largest first.
 */
json_t *chart_tiles(struct arena *a, enum lang lang, const struct chart_text *text,
                    const int64_t counts[REGION_COUNT]);

/*
 * The totals a line shows, from the days a petition's count changed
 * (days[0..n-1], oldest first, each day at most once) and the total shown
 * now: one value per day from `from` to `to` (both included), each the
 * total at the end of its day; days without change repeat the day before.
 * The days start at the earlier of from and the first changed day and end
 * at the later of to and the last; at most CHART_MAX_DAYS (the oldest
 * fall into the first value).  Counts not backed by days (an imported
 * base) are there from the start: the line begins at total minus the sum
 * of the changes, so it ends at total.
 *
 * Returns the number of days (0 when n is 0: no line), with *first the
 * first day and *out the totals (arena).
 */
int chart_days_totals(struct arena *a, const struct day_count *days, int n, int64_t total,
                      struct civil_date from, struct civil_date to, struct civil_date *first,
                      int64_t **out);

/* Append "Sep 15" / "15 sept." for d (the x axis of the line). */
void chart_format_short_date(struct strbuf *out, struct civil_date d, enum lang lang);

#endif
