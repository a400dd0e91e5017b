/*
 * list_pages.c: the list of petitions; see list_pages.h.
 */
#include "web/list_pages.h"

#include <jansson.h>
#include <string.h>

#include "core/petition.h"
#include "core/search.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "site/feed_links.h"
#include "site/list_query.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/public.h"
#include "lib/banned.h"

/* Read the list's filters and page from the query string, as the API
 * reads them but forgiving blank fields (site/list_query.h); refuse
 * values we do not know. */
static int
read_filters(struct request *req, struct petition_query *q, long long *page, struct err *e)
{
    struct list_query l;
    int r = list_query_read_forgiving(req, &l, e);
    *q = l.q;
    *page = l.page;
    return r;
}

/* Options of a <select>, the current value marked. */
static void
add_option(json_t *a, const char *value, const char *label, const char *current)
{
    json_t *o = json_object();
    json_object_set_new(o, "value", json_string(value));
    json_object_set_new(o, "label", json_string(label));
    if (current && strcmp(current, value) == 0)
        json_object_set_new(o, "selected", json_true());
    json_array_append_new(a, o);
}

int
page_petitions(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct petition_query q;
    struct petition_list list;
    struct subject *subjects;
    struct keyword *keywords;
    int nsub, nkw, r;
    long long page;

    /* A petition number in the search box (spaces around it allowed) goes
     * straight to its page when it is public; otherwise it is searched as
     * words like any other text (a removed petition is never listed). */
    const char *words = req_query(req, "q");
    struct petition_number n;
    if (words && !search_number(words, strlen(words), &n)) {
        struct petition found;
        if (!s->ops->petition_get(s, req->arena, &n, &found, NULL) &&
            petition_state_is_public(found.state)) {
            resp_header(req, "Cache-Control", "no-store");
            resp_redirect(req, 303, public_petition_path(req, &found));
            return 0;
        }
    }
    if ((r = read_filters(req, &q, &page, e)) ||
        (r = s->ops->petition_list(s, req->arena, &q, &list, e)) ||
        (r = s->ops->subject_list(s, req->arena, &subjects, &nsub, e)) ||
        (r = s->ops->keyword_list(s, req->arena, &keywords, &nkw, e)))
        return r;

    json_t *ctx = site_page(req, pub_msg(req, "list.title"));
    feed_links_offer(req, ctx, FEED_OPENED, NULL);
    feed_links_offer(req, ctx, FEED_RESPONSES, NULL);
    struct keyword feed_kw;
    if (q.keyword_slug && !s->ops->keyword_get(s, req->arena, q.keyword_slug, &feed_kw, NULL))
        feed_links_offer(req, ctx, FEED_KEYWORD, &feed_kw);
    const char *base = arena_printf(req->arena, "/%s/petitions", lang_code(req->lang));
    pub_petitions(ctx, req, &list);
    json_object_set_new(ctx, "total", json_string(pub_count(req, list.total)));
    json_object_set_new(ctx, "pagination", pub_pagination(req, base, page, list.total));
    json_object_set_new(ctx, "q", json_string(q.text ? q.text : ""));
    json_object_set_new(ctx, "responded", json_boolean(q.responded));
    /* The same list as open data: the filters as the visitor gave them,
     * without page (the exports take every petition; the API starts at
     * its first page). */
    pub_downloads(ctx, req, pub_list_query_string(req));

    json_t *states = json_array();
    const char *cur = req_query(req, "status");
    for (int i = 0; i < PETITION_STATE_COUNT; i++)
        if (petition_state_is_public((enum petition_state)i) && i != PETITION_CLOSED)
            add_option(states, petition_state_slug((enum petition_state)i),
                       petition_state_label((enum petition_state)i, req->lang), cur);
    json_object_set_new(ctx, "states", states);

    json_t *subj = json_array();
    for (int i = 0; i < nsub; i++)
        add_option(subj, subjects[i].code, site_tr(req, subjects[i].name), q.subject_code);
    json_object_set_new(ctx, "subjects", subj);

    json_t *kws = json_array();
    for (int i = 0; i < nkw; i++)
        if (keywords[i].petitions > 0)
            add_option(kws, keywords[i].slug, site_tr(req, keywords[i].name), q.keyword_slug);
    json_object_set_new(ctx, "keywords", kws);

    json_t *types = json_array();
    cur = req_query(req, "type");
    add_option(types, "electronic", pub_msg(req, "petition.kind_electronic"), cur);
    add_option(types, "paper", pub_msg(req, "petition.kind_paper"), cur);
    json_object_set_new(ctx, "types", types);

    json_t *sorts = json_array();
    cur = req_query(req, "sort");
    if (q.text) /* first, so it shows as the default of a search */
        add_option(sorts, "relevance", pub_msg(req, "list.sort_relevance"), cur);
    add_option(sorts, "recent", pub_msg(req, "list.sort_recent"), cur);
    add_option(sorts, "oldest", pub_msg(req, "list.sort_oldest"), cur);
    add_option(sorts, "most-signatures", pub_msg(req, "list.sort_most"), cur);
    add_option(sorts, "fewest-signatures", pub_msg(req, "list.sort_fewest"), cur);
    json_object_set_new(ctx, "sorts", sorts);
    site_cache_control(req, pub_max_age(req, &list));
    return site_render(req, 200, "petitions", ctx, e);
}
