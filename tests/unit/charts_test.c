/*
 * charts_test.c: the charts' arithmetic (round ticks, the days of a line,
 * numbers the site's way) and their SVG as the real templates draw it:
 * well-formed XML, role="img" labelled by its <title> and <desc>, every
 * label escaped, the data stated in words, nothing drawn out of nothing.
 * The SVG is checked by a small XML reader below (elements balanced,
 * attributes quoted and not repeated, '&' only in references, '<' only in
 * tags).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "lib/arena.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/template.h"
#include "store/store.h"
#include "web/charts.h"
#include "lib/banned.h"

#define NBSP "\xc2\xa0"
#define MINUS "\xe2\x88\x92" /* U+2212 */

static struct template_set *templates;
static struct arena *arena;

static int
setup(void **state)
{
    (void)state;
    static const char *const names[] = {"chart_bars", "chart_line", "chart_tiles"};
    templates = template_set_new();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[64];
        snprintf(path, sizeof(path), "templates/%s.html", names[i]);
        const struct embedded_file *f = embed_find(path);
        struct err e = ERR_INIT;
        if (!f || template_set_add(templates, names[i], (const char *)f->data, f->len, &e))
            return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    template_set_free(templates);
    return 0;
}

static int
new_arena(void **state)
{
    (void)state;
    arena = arena_new();
    return 0;
}

static int
free_arena(void **state)
{
    (void)state;
    arena_free(arena);
    arena = NULL;
    return 0;
}

/* ---- a small XML reader -------------------------------------------------------------- */

static bool
name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == ':' || c == '.';
}

/* A reference at p ("&amp;", "&#39;"): its length, or 0. */
static size_t
reference(const char *p)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (strncmp(p, named[i], strlen(named[i])) == 0)
            return strlen(named[i]);
    if (p[1] == '#') {
        size_t n = 2;
        while (p[n] >= '0' && p[n] <= '9')
            n++;
        if (n > 2 && p[n] == ';')
            return n + 1;
    }
    return 0;
}

/*
 * Check that svg is one well-formed element; on failure, say why in why.
 * Counts the elements named count_name into *count (may be NULL).
 */
static bool
well_formed(const char *svg, char *why, size_t why_len, const char *count_name, int *count)
{
    const char *stack[64];
    size_t stack_len[64];
    int depth = 0, roots = 0;
    const char *p = svg;
    if (count)
        *count = 0;
    while (*p == ' ' || *p == '\n')
        p++;
    while (*p) {
        if (*p == '&') {
            if (!reference(p)) {
                snprintf(why, why_len, "bare & at %.20s", p);
                return false;
            }
            p += reference(p);
            continue;
        }
        if (*p == '>') {
            snprintf(why, why_len, "bare > at %.20s", p);
            return false;
        }
        if (*p != '<') {
            if (depth == 0 && *p != ' ' && *p != '\n') {
                snprintf(why, why_len, "text outside the root at %.20s", p);
                return false;
            }
            p++;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t len = 0;
        while (name_char(name[len]))
            len++;
        if (!len) {
            snprintf(why, why_len, "bad tag at %.20s", p);
            return false;
        }
        p = name + len;
        if (closing) {
            if (*p != '>' || depth == 0 || stack_len[depth - 1] != len ||
                strncmp(stack[depth - 1], name, len) != 0) {
                snprintf(why, why_len, "mismatched </%.*s>", (int)len, name);
                return false;
            }
            depth--;
            p++;
            continue;
        }
        if (count_name && strlen(count_name) == len && strncmp(name, count_name, len) == 0)
            (*count)++;
        /* Attributes: name="value", each name once. */
        const char *attrs[32];
        size_t attr_len[32];
        int nattr = 0;
        for (;;) {
            while (*p == ' ' || *p == '\n')
                p++;
            if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                break;
            const char *an = p;
            size_t al = 0;
            while (name_char(an[al]))
                al++;
            if (!al || an[al] != '=' || an[al + 1] != '"') {
                snprintf(why, why_len, "bad attribute in <%.*s> at %.20s", (int)len, name, p);
                return false;
            }
            for (int i = 0; i < nattr; i++)
                if (attr_len[i] == al && strncmp(attrs[i], an, al) == 0) {
                    snprintf(why, why_len, "attribute %.*s twice in <%.*s>", (int)al, an, (int)len,
                             name);
                    return false;
                }
            if (nattr < 32) {
                attrs[nattr] = an;
                attr_len[nattr++] = al;
            }
            p = an + al + 2;
            while (*p && *p != '"') {
                if (*p == '<' || (*p == '&' && !reference(p))) {
                    snprintf(why, why_len, "bad character in attribute %.*s", (int)al, an);
                    return false;
                }
                p++;
            }
            if (!*p) {
                snprintf(why, why_len, "unterminated attribute %.*s", (int)al, an);
                return false;
            }
            p++;
        }
        if (depth == 0)
            roots++;
        if (*p == '/') {
            p += 2;
            continue;
        }
        if (depth == 64) {
            snprintf(why, why_len, "too deep");
            return false;
        }
        stack[depth] = name;
        stack_len[depth++] = len;
        p++;
    }
    if (depth != 0 || roots != 1) {
        snprintf(why, why_len, "%d elements left open, %d roots", depth, roots);
        return false;
    }
    return true;
}

/* Render a chart context with its template; the SVG (arena), checked
 * well-formed. */
static const char *
draw(const char *template_name, json_t *chart)
{
    struct strbuf out;
    struct err e = ERR_INIT;
    char why[160] = "";
    sb_init(&out, arena);
    assert_int_equal(template_render(templates, template_name, chart, &out, &e), 0);
    json_decref(chart);
    if (!well_formed(out.buf, why, sizeof(why), NULL, NULL))
        fail_msg("%s is not well-formed: %s\n%s", template_name, why, out.buf);
    return out.buf;
}

static int
count_elements(const char *svg, const char *name)
{
    char why[160];
    int n = 0;
    assert_true(well_formed(svg, why, sizeof(why), name, &n));
    return n;
}

/* The reader itself: it must refuse what a browser would not read as XML. */
static void
the_xml_reader_refuses_what_is_not_well_formed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "<svg><g></svg>",
        "<svg><line x1=\"1\" x1=\"2\"/></svg>",
        "<svg><text>a & b</text></svg>",
        "<svg><text>a < b</text></svg>",
        "<svg a=1/>",
        "<svg a=\"<\"/>",
        "<svg/><svg/>",
        "<svg>",
        "x<svg/>",
    };
    char why[160];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (well_formed(bad[i], why, sizeof(why), NULL, NULL))
            fail_msg("accepted %s", bad[i]);
    assert_true(well_formed("<svg a=\"&amp;&#39;\"><g/><text>&lt;x&gt;</text></svg>", why,
                            sizeof(why), NULL, NULL));
}

/* ---- numbers ----------------------------------------------------------------------------- */

static const char *
formatted(int64_t n, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, arena);
    chart_format_count(&sb, n, lang);
    return sb.buf;
}

static void
counts_are_written_the_sites_way_in_both_languages(void **state)
{
    (void)state;
    assert_string_equal(formatted(0, LANG_EN), "0");
    assert_string_equal(formatted(999, LANG_EN), "999");
    assert_string_equal(formatted(1234, LANG_EN), "1,234");
    assert_string_equal(formatted(1234567, LANG_EN), "1,234,567");
    assert_string_equal(formatted(1234567, LANG_FR), "1" NBSP "234" NBSP "567");
    assert_string_equal(formatted(-1200, LANG_EN), MINUS "1,200");
    assert_string_equal(formatted(INT64_MIN, LANG_EN), MINUS "9,223,372,036,854,775,808");
}

static void
ticks_are_one_two_or_five_times_a_power_of_ten(void **state)
{
    (void)state;
    static const struct {
        int64_t max;
        int64_t step, top;
        int count;
    } cases[] = {
        {164, 50, 200, 5},  {512, 200, 600, 4},   {1098, 500, 1500, 4},
        {7, 2, 8, 5},       {1, 1, 1, 2},         {4, 1, 4, 5},
        {20, 5, 20, 5},     {21, 10, 30, 4},      {100000, 50000, 100000, 3},
        {336, 100, 400, 5}, {1874, 500, 2000, 5}, {999999, 500000, 1000000, 3},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct chart_ticks t;
        chart_ticks_nice(cases[i].max, 4, &t);
        if (t.step != cases[i].step || t.max != cases[i].top || t.count != cases[i].count)
            fail_msg("max %lld: step %lld max %lld count %d, expected %lld %lld %d",
                     (long long)cases[i].max, (long long)t.step, (long long)t.max, t.count,
                     (long long)cases[i].step, (long long)cases[i].top, cases[i].count);
        assert_true(t.max >= cases[i].max);
        assert_true((t.count - 1) * t.step == t.max);
    }
    /* Nothing to show: one tick at 0. */
    struct chart_ticks t;
    chart_ticks_nice(0, 4, &t);
    assert_int_equal(t.count, 1);
    assert_int_equal(t.max, 1);
    /* The largest count there can be still gets an axis. */
    chart_ticks_nice(INT64_MAX, 4, &t);
    assert_true(t.max >= INT64_MAX / 2 && t.count >= 2);
}

static void
short_dates_are_written_in_each_language(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, arena);
    chart_format_short_date(&sb, (struct civil_date){2020, 9, 15}, LANG_EN);
    assert_string_equal(sb.buf, "Sep" NBSP "15");
    sb_reset(&sb);
    chart_format_short_date(&sb, (struct civil_date){2020, 9, 15}, LANG_FR);
    assert_string_equal(sb.buf, "15" NBSP "sept.");
    sb_reset(&sb);
    chart_format_short_date(&sb, (struct civil_date){2020, 12, 1}, LANG_FR);
    assert_string_equal(sb.buf, "1er" NBSP "déc.");
}

/* ---- bars ---------------------------------------------------------------------------------- */

static const struct chart_bar three[] = {
    {"Alberta", 7},
    {"Ontario", 164},
    {"Quebec", 42},
};

static void
bars_are_an_accessible_well_formed_svg(void **state)
{
    (void)state;
    struct chart_text text = {.id = "chart-regions", .title = "Signatures by province"};
    const char *svg = draw("chart_bars", chart_bars(arena, LANG_EN, &text, three, 3));
    assert_non_null(strstr(svg, "<svg "));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-labelledby=\"chart-regions-title chart-regions-desc\""));
    assert_non_null(
        strstr(svg, "<title id=\"chart-regions-title\">Signatures by province</title>"));
    assert_non_null(strstr(svg, "<desc id=\"chart-regions-desc\">"));
    assert_non_null(strstr(svg, "viewBox=\"0 0 340 "));
    assert_non_null(strstr(svg, "width=\"100%\""));
    assert_int_equal(count_elements(svg, "rect"), 3);
    /* Largest first: Ontario's row comes before Quebec's, Quebec's before Alberta's. */
    const char *on = strstr(svg, ">Ontario<"), *qc = strstr(svg, ">Quebec<"),
               *ab = strstr(svg, ">Alberta<");
    assert_true(on && qc && ab && on < qc && qc < ab);
    /* The largest bar spans 164/200 of the axis; the ticks are 0, 50, ... 200. */
    assert_non_null(strstr(svg, "width=\"278\""));
    for (int v = 0; v <= 200; v += 50) {
        char tick[32];
        snprintf(tick, sizeof(tick), ">%d</text>", v);
        assert_non_null(strstr(svg, tick));
    }
}

static void
bars_desc_states_the_data_in_words(void **state)
{
    (void)state;
    struct chart_text text = {.id = "c", .title = "Signatures by province"};
    const char *svg = draw("chart_bars", chart_bars(arena, LANG_EN, &text, three, 3));
    assert_non_null(strstr(svg, "<desc id=\"c-desc\">Signatures by province: Ontario 164, "
                                "Quebec 42, Alberta 7.</desc>"));
    struct chart_bar big[] = {{"Ontario", 1234}, {"Québec", 42}};
    text.title = "Signatures par province";
    svg = draw("chart_bars", chart_bars(arena, LANG_FR, &text, big, 2));
    assert_non_null(strstr(svg, "<desc id=\"c-desc\">Signatures par province" NBSP
                                ": Ontario 1" NBSP "234, Québec 42.</desc>"));
    assert_non_null(strstr(svg, ">1" NBSP "234</text>"));
}

static void
bars_escape_every_label(void **state)
{
    (void)state;
    struct chart_bar evil[] = {{"<script>alert(\"x\")</script> & 'co'", 5}, {"B&B", 1}};
    struct chart_text text = {.id = "x\"><svg onload=\"1", .title = "<b>Title</b> & \"more\""};
    const char *svg = draw("chart_bars", chart_bars(arena, LANG_EN, &text, evil, 2));
    assert_null(strstr(svg, "<script"));
    assert_null(strstr(svg, "<b>"));
    assert_null(strstr(svg, "onload=\""));
    assert_non_null(strstr(svg, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                                "&#39;co&#39;"));
    assert_non_null(strstr(svg, ">B&amp;B<"));
    assert_non_null(strstr(svg, "&lt;b&gt;Title&lt;/b&gt; &amp; &quot;more&quot;"));
    assert_int_equal(count_elements(svg, "svg"), 1);
}

static void
bars_of_zeros_draw_no_bar_and_one_tick(void **state)
{
    (void)state;
    struct chart_bar zeros[] = {{"Ontario", 0}, {"Quebec", 0}};
    struct chart_text text = {.id = "z", .title = "Nothing yet"};
    const char *svg = draw("chart_bars", chart_bars(arena, LANG_EN, &text, zeros, 2));
    assert_int_equal(count_elements(svg, "rect"), 2);
    assert_null(strstr(svg, "width=\"0."));
    assert_non_null(strstr(svg, "width=\"0\""));
    assert_int_equal(count_elements(svg, "line"), 1); /* the 0 gridline alone */
    assert_non_null(strstr(svg, "Nothing yet: Ontario 0, Quebec 0."));
    /* No items at all still makes a valid (empty) chart. */
    svg = draw("chart_bars", chart_bars(arena, LANG_EN, &text, NULL, 0));
    assert_int_equal(count_elements(svg, "rect"), 0);
}

static void
one_signature_still_shows_a_bar(void **state)
{
    (void)state;
    struct chart_bar items[] = {{"Ontario", 100000}, {"Yukon", 1}};
    struct chart_text text = {.id = "t", .title = "T"};
    const char *svg = draw("chart_bars", chart_bars(arena, LANG_EN, &text, items, 2));
    assert_non_null(strstr(svg, "width=\"1.5\""));
}

/* ---- line ----------------------------------------------------------------------------------- */

static void
line_is_an_accessible_well_formed_svg_ending_at_the_total(void **state)
{
    (void)state;
    int64_t totals[] = {10, 10, 25, 40, 40, 41, 60, 75, 90, 98, 98, 120};
    struct chart_text text = {.id = "chart-days",
                              .title = "Signatures over time",
                              .desc = "From 10 on September 3 to 120 on September 14."};
    const char *svg = draw("chart_line", chart_line(arena, LANG_EN, &text,
                                                    (struct civil_date){2025, 9, 3}, totals, 12));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-labelledby=\"chart-days-title chart-days-desc\""));
    assert_non_null(strstr(svg, ">From 10 on September 3 to 120 on September 14.</desc>"));
    assert_int_equal(count_elements(svg, "path"), 2);   /* the area and the line */
    assert_int_equal(count_elements(svg, "circle"), 1); /* the last point */
    assert_non_null(strstr(svg, ">120</text>"));
    /* The y axis: 0, 50, 100, 150; the dates every three days from the first. */
    assert_non_null(strstr(svg, ">150</text>"));
    assert_non_null(strstr(svg, ">Sep" NBSP "3</text>"));
    assert_non_null(strstr(svg, ">Sep" NBSP "6</text>"));
    assert_non_null(strstr(svg, ">Sep" NBSP "12</text>"));
    /* Twelve points: M and eleven L. */
    const char *d = strstr(svg, "class=\"chart-path\" d=\"");
    assert_non_null(d);
    int l = 0;
    for (const char *p = d + 22; *p != '"'; p++)
        l += *p == 'L';
    assert_int_equal(l, 11);
}

static void
line_of_one_day_is_a_point(void **state)
{
    (void)state;
    int64_t totals[] = {3};
    struct chart_text text = {.id = "d", .title = "T", .desc = "D"};
    const char *svg = draw("chart_line", chart_line(arena, LANG_FR, &text,
                                                    (struct civil_date){2025, 9, 1}, totals, 1));
    assert_int_equal(count_elements(svg, "circle"), 1);
    assert_non_null(strstr(svg, ">1er" NBSP "sept.</text>"));
}

static void
line_of_zeros_stays_on_the_axis(void **state)
{
    (void)state;
    int64_t totals[] = {0, 0, 0};
    struct chart_text text = {.id = "d", .title = "T", .desc = "D"};
    const char *svg = draw("chart_line", chart_line(arena, LANG_EN, &text,
                                                    (struct civil_date){2025, 9, 1}, totals, 3));
    assert_non_null(strstr(svg, ">0</text>"));
    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "inf"));
}

/* ---- the days of a line ---------------------------------------------------------------- */

static struct day_count
day(int y, int m, int d, int64_t delta)
{
    return (struct day_count){{y, m, d}, delta};
}

static void
days_are_filled_and_start_at_the_imported_base(void **state)
{
    (void)state;
    /* 10 shown; 5 of them came on known days, 5 before. */
    struct day_count days[] = {day(2025, 9, 2, 3), day(2025, 9, 4, 2)};
    struct civil_date first;
    int64_t *v;
    int n = chart_days_totals(arena, days, 2, 10, (struct civil_date){2025, 9, 1},
                              (struct civil_date){2025, 9, 5}, &first, &v);
    assert_int_equal(n, 5);
    assert_int_equal(civil_date_cmp(first, (struct civil_date){2025, 9, 1}), 0);
    int64_t expected[] = {5, 8, 8, 10, 10};
    for (int i = 0; i < n; i++)
        assert_int_equal(v[i], expected[i]);
}

static void
days_without_changes_make_no_line(void **state)
{
    (void)state;
    struct civil_date first;
    int64_t *v;
    assert_int_equal(chart_days_totals(arena, NULL, 0, 1098, (struct civil_date){2020, 9, 15},
                                       (struct civil_date){2020, 10, 15}, &first, &v),
                     0);
    assert_null(v);
}

static void
days_reach_a_change_after_closing_and_invalidations_go_down(void **state)
{
    (void)state;
    /* Closed on the 3rd, a confirmation in the grace on the 4th, one
     * invalidated on the 5th: the line goes on to the 5th, down at the end. */
    struct day_count days[] = {day(2025, 9, 1, 4), day(2025, 9, 4, 1), day(2025, 9, 5, -1)};
    struct civil_date first;
    int64_t *v;
    int n = chart_days_totals(arena, days, 3, 4, (struct civil_date){2025, 9, 1},
                              (struct civil_date){2025, 9, 3}, &first, &v);
    assert_int_equal(n, 5);
    int64_t expected[] = {4, 4, 4, 5, 4};
    for (int i = 0; i < n; i++)
        assert_int_equal(v[i], expected[i]);
}

static void
days_are_at_most_ten_years_the_oldest_in_the_first(void **state)
{
    (void)state;
    struct day_count days[] = {day(2000, 1, 1, 7), day(2025, 1, 1, 3)};
    struct civil_date first;
    int64_t *v;
    int n = chart_days_totals(arena, days, 2, 10, (struct civil_date){2000, 1, 1},
                              (struct civil_date){2025, 1, 1}, &first, &v);
    assert_int_equal(n, CHART_MAX_DAYS);
    assert_int_equal(v[0], 7);
    assert_int_equal(v[n - 1], 10);
    assert_int_equal(days_from_civil(first.year, first.month, first.day),
                     days_from_civil(2025, 1, 1) - CHART_MAX_DAYS + 1);
}

/* ---- tiles -------------------------------------------------------------------------------- */

static void
tiles_show_every_region_with_readable_shades(void **state)
{
    (void)state;
    int64_t counts[REGION_COUNT] = {0};
    counts[REGION_ON] = 93;
    counts[REGION_QC] = 41;
    counts[REGION_NS] = 9;
    counts[REGION_OUTSIDE] = 7;
    struct chart_text text = {.id = "chart-week", .title = "This week"};
    const char *svg = draw("chart_tiles", chart_tiles(arena, LANG_EN, &text, counts));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_int_equal(count_elements(svg, "rect"), REGION_COUNT);
    assert_non_null(strstr(svg, "<desc id=\"chart-week-desc\">This week: Ontario 93, Quebec 41, "
                                "Nova Scotia 9, Outside Canada 7, Alberta 0,"));
    /* The most is darkest with white text; none is grey with dark grey text. */
    assert_non_null(strstr(svg, "fill=\"#0b5c3b\"/><text class=\"chart-code\" x=\"268.5\" "
                                "y=\"81.5\" text-anchor=\"middle\" fill=\"#ffffff\">ON</text>"));
    assert_non_null(strstr(svg, "fill=\"#4d4d4d\">YT</text>"));
    assert_non_null(strstr(svg, ">Outside Canada</text>"));
    assert_non_null(strstr(svg, "<title>Ontario: 93</title>"));

    svg = draw("chart_tiles", chart_tiles(arena, LANG_FR, &text, counts));
    assert_non_null(strstr(svg, ">Hors du Canada</text>"));
    assert_non_null(strstr(svg, "<title>Québec" NBSP ": 41</title>"));
}

static void
tiles_of_nothing_are_all_grey(void **state)
{
    (void)state;
    int64_t counts[REGION_COUNT] = {0};
    struct chart_text text = {.id = "w", .title = "T"};
    const char *svg = draw("chart_tiles", chart_tiles(arena, LANG_EN, &text, counts));
    assert_null(strstr(svg, "#0b5c3b"));
    assert_null(strstr(svg, "#ffffff"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, new_arena, free_arena)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_xml_reader_refuses_what_is_not_well_formed),
        T(counts_are_written_the_sites_way_in_both_languages),
        T(ticks_are_one_two_or_five_times_a_power_of_ten),
        T(short_dates_are_written_in_each_language),
        T(bars_are_an_accessible_well_formed_svg),
        T(bars_desc_states_the_data_in_words),
        T(bars_escape_every_label),
        T(bars_of_zeros_draw_no_bar_and_one_tick),
        T(one_signature_still_shows_a_bar),
        T(line_is_an_accessible_well_formed_svg_ending_at_the_total),
        T(line_of_one_day_is_a_point),
        T(line_of_zeros_stays_on_the_axis),
        T(days_are_filled_and_start_at_the_imported_base),
        T(days_without_changes_make_no_line),
        T(days_reach_a_change_after_closing_and_invalidations_go_down),
        T(days_are_at_most_ten_years_the_oldest_in_the_first),
        T(tiles_show_every_region_with_readable_shades),
        T(tiles_of_nothing_are_all_grey),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
