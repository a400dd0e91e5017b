/*
 * chart_pages.c: the charts of the petition and home pages; see
 * chart_pages.h.
 *
 * Which days a line covers is decided here, by the House's dates: from
 * the Eastern day the petition opened to the day it closed or today,
 * whichever comes first (a confirmation counted in the grace after
 * closing extends it to that day).  A petition whose count never moved on
 * a known day (a paper petition, or one imported with its totals only)
 * gets no line at all rather than an empty one.
 */
#include "web/chart_pages.h"

#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/petition.h"
#include "core/province.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "store/store.h"
#include "web/charts.h"
#include "lib/banned.h"

enum { WEEK_DAYS = 7 };

static const char *
msg(struct request *req, const char *key)
{
    const struct site *site = req->app;
    return site_msg(site, req->lang, key);
}

/* The message key with each "{}" replaced by the next of args (plain
 * text: templates escape the result). */
static const char *
msg_fill(struct request *req, const char *key, const char *const *args, int n)
{
    const char *m = msg(req, key);
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (int i = 0;; i++) {
        const char *hole = strstr(m, "{}");
        if (!hole || i == n) {
            sb_adds(&sb, m);
            break;
        }
        sb_add(&sb, m, (size_t)(hole - m));
        sb_adds(&sb, args[i] ? args[i] : "");
        m = hole + 2;
    }
    return sb.buf;
}

static const char *
count(struct request *req, int64_t n)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    chart_format_count(&sb, n, req->lang);
    return sb.buf;
}

/* "+12", "0", "−3": a day's change. */
static const char *
change(struct request *req, int64_t n)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    if (n > 0)
        sb_addch(&sb, '+');
    chart_format_count(&sb, n, req->lang);
    return sb.buf;
}

/* "September 15, 2020" / "15 septembre 2020". */
static const char *
long_date(struct request *req, struct civil_date d)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    eastern_format_date(&sb, eastern_to_utc(d.year, d.month, d.day, 12, 0, 0), req->lang);
    return sb.buf;
}

static const char *
iso_date(struct request *req, struct civil_date d)
{
    char buf[11];
    civil_date_format(&d, buf);
    return arena_strdup(req->arena, buf);
}

static struct civil_date
eastern_day(int64_t utc)
{
    struct civil_time t;
    eastern_from_utc(utc, &t);
    return (struct civil_date){t.year, t.month, t.day};
}

static struct civil_date
today(struct request *req)
{
    const struct site *site = req->app;
    return eastern_day(clock_now(&site->clock));
}

/* ---- the petition page ------------------------------------------------------------------- */

static json_t *
region_chart(struct request *req, const struct petition *p)
{
    struct chart_bar items[REGION_COUNT];
    for (int i = 0; i < REGION_COUNT; i++) {
        items[i].label = region_name((enum region)i, req->lang);
        items[i].value = p->region_counts[i];
    }
    struct chart_text text = {.id = "chart-regions", .title = msg(req, "petition.by_region")};
    return chart_bars(req->arena, req->lang, &text, items, REGION_COUNT);
}

/* The line's words: where it starts and ends, and its busiest day. */
static const char *
days_desc(struct request *req, struct civil_date first, const int64_t *totals, int ndays,
          const struct day_count *days, int n)
{
    struct civil_date last = civil_date_add(first, ndays - 1);
    const char *args[] = {count(req, totals[0]), long_date(req, first),
                          count(req, totals[ndays - 1]), long_date(req, last)};
    const char *desc = msg_fill(req, "petition.days_desc", args, 4);
    int busiest = -1;
    for (int i = 0; i < n; i++)
        if (days[i].delta > 0 && (busiest < 0 || days[i].delta > days[busiest].delta))
            busiest = i;
    if (busiest < 0)
        return desc;
    const char *more[] = {count(req, days[busiest].delta), long_date(req, days[busiest].day)};
    return arena_printf(req->arena, "%s %s", desc, msg_fill(req, "petition.days_busiest", more, 2));
}

int
chart_pages_petition(struct request *req, const struct petition *p, json_t *ctx, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct day_count *days;
    int n, r;

    if (p->kind != PETITION_ELECTRONIC)
        return 0;
    json_object_set_new(ctx, "region_chart", region_chart(req, p));
    if (!p->opened_at)
        return 0;
    if ((r = s->ops->petition_days(s, req->arena, p->id, &days, &n, e)))
        return r;

    /* From the opening day to the closing day or today, whichever is first. */
    struct civil_date from = eastern_day(p->opened_at), to = today(req);
    if (p->closes_at && civil_date_cmp(eastern_day(p->closes_at), to) < 0)
        to = eastern_day(p->closes_at);
    struct civil_date first;
    int64_t *totals;
    int ndays =
        chart_days_totals(req->arena, days, n, p->signature_total, from, to, &first, &totals);
    if (ndays == 0)
        return 0;

    struct chart_text text = {.id = "chart-days", .title = msg(req, "petition.days_heading")};
    text.desc = days_desc(req, first, totals, ndays, days, n);
    json_t *o = json_object();
    json_object_set_new(o, "chart", chart_line(req->arena, req->lang, &text, first, totals, ndays));

    /* The table: the days that changed, each with the total that evening. */
    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += days[i].delta;
    int64_t running = p->signature_total - sum;
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        running += days[i].delta;
        json_t *row = json_object();
        json_object_set_new(row, "date", json_string(long_date(req, days[i].day)));
        json_object_set_new(row, "iso", json_string(iso_date(req, days[i].day)));
        json_object_set_new(row, "change", json_string(change(req, days[i].delta)));
        json_object_set_new(row, "total", json_string(count(req, running)));
        json_array_append_new(rows, row);
    }
    json_object_set_new(o, "rows", rows);
    /* Counts from before the days were kept (an import) are drawn from
     * the first day: say so. */
    if (p->signature_total != sum) {
        const char *arg[] = {count(req, p->signature_total - sum)};
        json_object_set_new(o, "base_note",
                            json_string(msg_fill(req, "petition.days_base_note", arg, 1)));
    }
    json_object_set_new(ctx, "days_chart", o);
    return 0;
}

/* ---- the home page ----------------------------------------------------------------------- */

int
chart_pages_home(struct request *req, json_t *ctx, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    int64_t counts[REGION_COUNT];
    int r;

    struct civil_date end = today(req), since = civil_date_add(end, -(WEEK_DAYS - 1));
    if ((r = s->ops->region_days_since(s, &since, counts, e)))
        return r;
    int64_t total = 0;
    for (int i = 0; i < REGION_COUNT; i++)
        total += counts[i];
    if (total <= 0)
        return 0;

    json_t *o = json_object();
    const char *args[] = {count(req, total), long_date(req, since), long_date(req, end)};
    json_object_set_new(o, "summary", json_string(msg_fill(req, "home.week_summary", args, 3)));
    struct chart_text text = {.id = "chart-week", .title = msg(req, "home.week_title")};
    json_object_set_new(o, "chart", chart_tiles(req->arena, req->lang, &text, counts));
    json_t *rows = json_array();
    for (int i = 0; i < REGION_COUNT; i++) {
        json_t *row = json_object();
        json_object_set_new(row, "region", json_string(region_name((enum region)i, req->lang)));
        json_object_set_new(row, "code", json_string(region_code((enum region)i)));
        json_object_set_new(row, "count", json_string(count(req, counts[i])));
        json_array_append_new(rows, row);
    }
    json_object_set_new(o, "rows", rows);
    json_object_set_new(o, "total", json_string(count(req, total)));
    json_object_set_new(ctx, "week", o);
    return 0;
}
