/*
 * verify_pages.c: the "Check my signature" page; see verify_pages.h.
 *
 * The page's text is in the catalogues ("verify"); templates/verify.html
 * writes it, escaped, with the messages of static/verify.js in a hidden
 * list and the names of the provinces and territories, so that the
 * script speaks the page's language without a catalogue of its own.
 */
#include "web/verify_pages.h"

#include <jansson.h>

#include "core/province.h"
#include "http/request.h"
#include "lib/err.h"
#include "site/site.h"
#include "lib/banned.h"

int
page_verify(struct request *req, struct err *e)
{
    json_t *ctx = site_page(req, site_msg(req->app, req->lang, "verify.title"));
    json_t *regions = json_array();
    for (int r = 0; r < REGION_COUNT; r++) {
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(region_code((enum region)r)));
        json_object_set_new(o, "name", json_string(region_name((enum region)r, req->lang)));
        json_array_append_new(regions, o);
    }
    json_object_set_new(ctx, "regions", regions);
    site_cache_control(req, SITE_AGE_PAGE);
    return site_render(req, 200, "verify", ctx, e);
}
