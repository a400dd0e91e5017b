/*
 * home_pages.c: the choice of language and the home page; see
 * home_pages.h.
 */
#include "web/home_pages.h"

#include <jansson.h>

#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "site/feed_links.h"
#include "site/site.h"
#include "store/store.h"
#include "web/chart_pages.h"
#include "web/public.h"
#include "lib/banned.h"

int
page_choose_language(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    json_t *ctx = site_page(req, "");
    json_object_set(ctx, "en", site->messages[LANG_EN]);
    json_object_set(ctx, "fr", site->messages[LANG_FR]);
    /* Both choices on one page, in both languages; the browser's language first. */
    json_object_set_new(ctx, "french_first", json_boolean(site_accept_language(req) == LANG_FR));
    int r = site_render(req, 200, "choose", ctx, e);
    if (!r)
        resp_header(req, "Vary", "Accept-Language");
    return r;
}

static const enum petition_state home_states[] = {
    PETITION_OPEN,
    PETITION_WAITING_FOR_CERTIFICATION,
    PETITION_CERTIFIED,
    PETITION_PRESENTED,
    PETITION_RESPONSE_TABLED,
    PETITION_NOT_CERTIFIED,
    PETITION_CLOSED_UPON_DISSOLUTION,
    PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION,
};

int
page_home(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct petition_list open, responses;
    int64_t counts[PETITION_STATE_COUNT];
    int r;

    struct petition_query q = {.public_only = true, .has_state = true, .state = PETITION_OPEN,
                               .sort = SORT_RECENT, .limit = 5};
    if ((r = s->ops->petition_list(s, req->arena, &q, &open, e)))
        return r;
    q.state = PETITION_RESPONSE_TABLED;
    if ((r = s->ops->petition_list(s, req->arena, &q, &responses, e)))
        return r;
    if ((r = s->ops->petition_state_counts(s, counts, e)))
        return r;

    json_t *ctx = site_page(req, pub_msg(req, "home.title"));
    feed_links_offer(req, ctx, FEED_OPENED, NULL);
    feed_links_offer(req, ctx, FEED_RESPONSES, NULL);
    json_object_set_new(
        ctx, "open",
        pub_petitions(json_pack("{s:s}", "total", pub_count(req, open.total)), req, &open));
    json_object_set_new(ctx, "responses", pub_petitions(json_object(), req, &responses));
    json_t *by_state = json_array();
    for (size_t i = 0; i < sizeof(home_states) / sizeof(home_states[0]); i++) {
        json_t *o = json_object();
        json_object_set_new(o, "label", json_string(petition_state_label(home_states[i],
                                                                         req->lang)));
        json_object_set_new(o, "slug", json_string(petition_state_slug(home_states[i])));
        json_object_set_new(o, "count", json_string(pub_count(req, counts[home_states[i]])));
        json_array_append_new(by_state, o);
    }
    json_object_set_new(ctx, "by_state", by_state);
    /* Where this week's signatures come from (chart_pages.h). */
    if ((r = chart_pages_home(req, ctx, e))) {
        json_decref(ctx);
        return r;
    }
    /* The process in four sentences, with the jurisdiction's numbers. */
    const struct jurisdiction *j = &site->rules;
    json_t *rules = json_array();
    json_array_append_new(rules, json_string(site_msg_with(req, "home.rule_supporters",
                                                      arena_printf(req->arena, "%d",
                                                                   j->supporters_min))));
    json_array_append_new(
        rules, json_string(site_msg_with(req, "home.rule_period",
                                    arena_printf(req->arena, "%d–%d", j->periods_days[0],
                                                 j->periods_days[j->periods_count - 1]))));
    json_array_append_new(rules,
                          json_string(site_msg_with(req, "home.rule_certify",
                                                    pub_count(req, j->signatures_to_certify))));
    json_array_append_new(rules, json_string(site_msg_with(req, "home.rule_response",
                                                      arena_printf(req->arena, "%d",
                                                                   j->response_days))));
    json_object_set_new(ctx, "rules", rules);
    /* Open petitions' counts and the week's signatures move. */
    site_cache_control(req, SITE_AGE_LIVE);
    return site_render(req, 200, "home", ctx, e);
}
