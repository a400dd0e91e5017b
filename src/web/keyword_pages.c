/*
 * keyword_pages.c: the keywords' index and pages; see keyword_pages.h.
 */
#include "web/keyword_pages.h"

#include <jansson.h>

#include "http/request.h"
#include "lib/err.h"
#include "site/feed_links.h"
#include "site/site.h"
#include "store/store.h"
#include "web/filed_under.h"
#include "web/public.h"
#include "lib/banned.h"

int
page_keywords(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct keyword *keywords;
    int n, r;
    if ((r = site->store->ops->keyword_list(site->store, req->arena, &keywords, &n, e)))
        return r;
    json_t *ctx = site_page(req, pub_msg(req, "keywords.title"));
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        if (keywords[i].petitions == 0)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(site_tr(req, keywords[i].name)));
        json_object_set_new(o, "url", json_string(pub_keyword_url(req, keywords[i].slug)));
        json_object_set_new(o, "count", json_integer(keywords[i].petitions));
        json_array_append_new(list, o);
    }
    json_object_set_new(ctx, "keywords", list);
    return site_render(req, 200, "keywords", ctx, e);
}

int
page_keyword(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct keyword k;
    long long page;
    json_t *ctx;
    int r;

    if ((r = s->ops->keyword_get(s, req->arena, req->captures[0], &k, e)) ||
        (r = filed_under_read_page(req, &page, e)))
        return r;
    const char *name = site_tr(req, k.name);
    struct petition_query q = {.keyword_slug = k.slug};
    if ((r = filed_under_page(req, &q, page, "keyword", k.slug,
                              site_msg_with(req, "keyword.title", name),
                              pub_keyword_url(req, k.slug), &ctx, e)))
        return r;
    feed_links_offer(req, ctx, FEED_KEYWORD, &k);
    json_object_set_new(ctx, "keyword", json_string(name));
    return site_render(req, 200, "keyword", ctx, e);
}
