/*
 * feed_links.c: the addresses and titles of the Atom feeds; see
 * feed_links.h.
 */
#include "site/feed_links.h"

#include <string.h>

#include "http/request.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "lib/banned.h"

static const char *
msg(struct request *req, const char *key)
{
    return site_msg(req->app, req->lang, key);
}

const char *
feed_links_path(struct request *req, enum lang lang, enum feed_kind kind, const char *slug)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_addf(&sb, "/%s/feeds/", lang_code(lang));
    switch (kind) {
    case FEED_OPENED:
        sb_adds(&sb, "opened.atom");
        break;
    case FEED_RESPONSES:
        sb_adds(&sb, "responses.atom");
        break;
    case FEED_KEYWORD:
        sb_adds(&sb, "keywords/");
        url_encode(&sb, slug, strlen(slug));
        sb_adds(&sb, ".atom");
        break;
    }
    return sb.buf;
}

const char *
feed_links_title(struct request *req, enum feed_kind kind, const struct keyword *k)
{
    switch (kind) {
    case FEED_OPENED:
        return msg(req, "feed.opened_title");
    case FEED_RESPONSES:
        return msg(req, "feed.responses_title");
    case FEED_KEYWORD:
    default:
        return site_msg_with(req, "feed.keyword_title", site_tr(req, k->name));
    }
}

void
feed_links_offer(struct request *req, json_t *ctx, enum feed_kind kind, const struct keyword *k)
{
    json_t *list = json_object_get(ctx, "atom_feeds");
    if (!list) {
        list = json_array();
        json_object_set_new(ctx, "atom_feeds", list);
    }
    const char *label;
    switch (kind) {
    case FEED_OPENED:
        label = msg(req, "feed.opened_link");
        break;
    case FEED_RESPONSES:
        label = msg(req, "feed.responses_link");
        break;
    case FEED_KEYWORD:
    default:
        label = site_msg_with(req, "feed.keyword_link", site_tr(req, k->name));
        break;
    }
    json_t *o = json_object();
    json_object_set_new(o, "url",
                        json_string(feed_links_path(req, req->lang, kind, k ? k->slug : NULL)));
    json_object_set_new(o, "title", json_string(feed_links_title(req, kind, k)));
    json_object_set_new(o, "label", json_string(label));
    json_array_append_new(list, o);
}
