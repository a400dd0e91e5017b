/*
 * filed_under.c: the petitions filed under a keyword or a subject; see
 * filed_under.h.
 */
#include "web/filed_under.h"

#include <jansson.h>
#include <string.h>

#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "site/list_query.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/public.h"
#include "lib/banned.h"

enum { RESPONSES_SHOWN = 10 };

/* The number by which the store finds p again. */
static struct petition_number
number_of(const struct petition *p)
{
    struct petition_number n;
    memset(&n, 0, sizeof(n));
    if (p->kind == PETITION_ELECTRONIC) {
        n.kind = PETITION_NUMBER_E;
        n.e_number = p->e_number;
    } else {
        n.kind = PETITION_NUMBER_PRESENTED;
        n.pps = p->presented_number;
    }
    return n;
}

/*
 * The "Government responses" section (templates/responses.html) of the
 * petitions of base: those with a tabled response, latest first, at most
 * RESPONSES_SHOWN of them each with the minister who answered and the
 * date it was tabled (read with petition_get: summaries lack the
 * response), their number, and a link to them all (all_url).  *out is
 * new; 0 or the store's error.
 */
static int
responses_section(struct request *req, const struct petition_query *base, const char *all_url,
                  json_t **out, struct err *e)
{
    struct store *s = ((const struct site *)req->app)->store;
    struct petition_query q = *base;
    struct petition_list list;
    int r;

    q.responded = true;
    q.sort = SORT_RECENT;
    q.offset = 0;
    q.limit = RESPONSES_SHOWN;
    if ((r = s->ops->petition_list(s, req->arena, &q, &list, e)))
        return r;
    json_t *items = json_array();
    for (int i = 0; i < list.count; i++) {
        const struct petition *p = &list.items[i];
        struct petition_number n = number_of(p);
        struct petition full;
        if ((r = s->ops->petition_get(s, req->arena, &n, &full, e))) {
            json_decref(items);
            return r;
        }
        json_t *o = json_object();
        json_object_set_new(o, "url", json_string(public_petition_path(req, p)));
        json_object_set_new(o, "title", json_string(pub_title(req, p)));
        /* Answered meanwhile and read back without it: its state's date. */
        int64_t at = full.has_response ? full.response.tabled_at : p->state_changed_at;
        if (full.has_response)
            json_object_set_new(
                o, "by",
                json_string(site_msg_with(req, "petition.response_by",
                                          site_tr(req, full.response.ministry.title))));
        json_object_set_new(o, "tabled", json_string(pub_date(req, at)));
        json_object_set_new(o, "tabled_iso", json_string(pub_iso_date(req, at)));
        json_array_append_new(items, o);
    }
    json_t *o = json_object();
    json_object_set_new(o, "total", json_string(pub_count(req, list.total)));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "has_items", json_boolean(list.count > 0));
    if (list.total > list.count) {
        json_object_set_new(o, "all_url", json_string(all_url));
        json_object_set_new(
            o, "all_text",
            json_string(site_msg_with(req, "responses.all", pub_count(req, list.total))));
    }
    *out = o;
    return 0;
}

/*
 * What a keyword's and a subject's pages share: page `page` of the
 * petitions of q (its filter set by the caller, filter=value in the list
 * page's and the API's terms), their counts, the responses section and
 * the downloads, set on a new context titled title; base is the page's
 * own URL, for pagination.  The answer may be cached for as long as the
 * counts it shows allow.  0 with *out, or the store's error.
 */
int
filed_under_page(struct request *req, struct petition_query *q, long long page, const char *filter,
                 const char *value, const char *title, const char *base, json_t **out,
                 struct err *e)
{
    struct store *s = ((const struct site *)req->app)->store;
    struct petition_list list;
    json_t *responses;
    int r;

    q->public_only = true;
    q->sort = SORT_RECENT;
    q->limit = LIST_PER_PAGE;
    q->offset = (int)((page - 1) * LIST_PER_PAGE);
    const char *qs = pub_query_string(req, &filter, &value, 1);
    const char *list_url = arena_printf(req->arena, "/%s/petitions?%s", lang_code(req->lang), qs);
    if ((r = s->ops->petition_list(s, req->arena, q, &list, e)) ||
        (r = responses_section(req, q, arena_printf(req->arena, "%s&responded=true", list_url),
                               &responses, e)))
        return r;
    json_t *ctx = site_page(req, title);
    pub_petitions(ctx, req, &list);
    json_object_set_new(ctx, "total", json_string(pub_count(req, list.total)));
    json_object_set_new(ctx, "responses", responses);
    json_object_set_new(ctx, "list_url", json_string(list_url));
    json_object_set_new(ctx, "pagination", pub_pagination(req, base, page, list.total));
    pub_downloads(ctx, req, qs);
    site_cache_control(req, pub_max_age(req, &list));
    *out = ctx;
    return 0;
}

static int
bad_param(struct err *e, const char *key, const char *name)
{
    return err_set(e, ERR_INVALID, key, name, "bad query parameter %s", name);
}

/* The ?page= of a keyword's or subject's page, 1 when absent. */
int
filed_under_read_page(struct request *req, long long *page, struct err *e)
{
    const char *v = req_query(req, "page");
    *page = 1;
    if (v && parse_llz(v, 1, LIST_MAX_PAGE, page, NULL))
        return bad_param(e, "error.bad_page", "page");
    return 0;
}
