/*
 * chart_pages.h: the charts of the public pages, with their data tables.
 *
 * The petition page shows its signatures by province or territory as bars
 * beside the regions table, and, once it has opened and when its count has
 * moved on known days, a line of its total day by day with a table of
 * those days.  The home page shows where the signatures of the last seven
 * Eastern days come from, as a tile map with its table.  The drawing is
 * web/charts.h's and the templates'; this file reads the store, picks the
 * days and says it all in the page's language.
 *
 * Both run on the request's thread and allocate from req->arena.
 */
#ifndef PETITIOND_CHART_PAGES_H
#define PETITIOND_CHART_PAGES_H

#include <jansson.h>

struct err;
struct petition;
struct request;

/*
 * Set on ctx (the petition template's context) "region_chart" for an
 * e-petition, and "days_chart" when it has opened and its count moved on
 * known days: {chart, rows (the days that changed, oldest first: date,
 * iso, change, total), base_note (counts before the days, or absent)}.
 * p's counts are the ones the page shows.  Paper petitions get neither.
 * Returns 0 or the store's error.
 */
int chart_pages_petition(struct request *req, const struct petition *p, json_t *ctx, struct err *e);

/*
 * Set "week" on ctx (the home template's context) when signatures were
 * counted in the last seven Eastern days, by the site's clock: {summary,
 * chart, rows (every region: region, code, count), total}.  Returns 0 or
 * the store's error.
 */
int chart_pages_home(struct request *req, json_t *ctx, struct err *e);

#endif
