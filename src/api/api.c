/*
 * api.c: the public JSON data API; see api.h.
 *
 * Answers are built with jansson and carry only the public record and
 * counts.  Field names are stable English identifiers; texts come in both
 * languages ({"en": ..., "fr": ...}); times are ISO 8601 UTC.
 */
#include "api/api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "web/site.h"
#include "workflow/counts.h"
#include "lib/banned.h"

static json_t *
bilingual(const char *const text[LANG_COUNT])
{
    json_t *o = json_object();
    json_object_set_new(o, "en", text[LANG_EN] ? json_string(text[LANG_EN]) : json_null());
    json_object_set_new(o, "fr", text[LANG_FR] ? json_string(text[LANG_FR]) : json_null());
    return o;
}

static json_t *
iso_time(struct request *req, int64_t t)
{
    if (!t)
        return json_null();
    struct strbuf sb;
    sb_init(&sb, req->arena);
    utc_format_iso(&sb, t);
    return json_string(sb.buf);
}

static json_t *
member_json(const struct member *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "first_name", json_string(m->first_name));
    json_object_set_new(o, "last_name", json_string(m->last_name));
    json_object_set_new(o, "constituency", bilingual(m->constituency));
    json_object_set_new(o, "caucus", bilingual(m->caucus));
    json_object_set_new(o, "province", json_string(region_code(m->province)));
    return o;
}

static json_t *
counts_json(const struct petition *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "total", json_integer(p->signature_total));
    if (p->kind == PETITION_ELECTRONIC) {
        json_t *by = json_object();
        for (int i = 0; i < REGION_COUNT; i++)
            json_object_set_new(by, region_code((enum region)i),
                                json_integer(p->region_counts[i]));
        json_object_set_new(o, "by_region", by);
    }
    return o;
}

/* Look up the petition named by the first capture; public ones only. */
static int
find_petition(struct request *req, struct petition *p, struct err *e)
{
    const struct site *site = req->app;
    struct petition_number n;
    const char *arg = req->captures[0];
    int r;
    if (petition_number_parse(arg, strlen(arg), &n, NULL))
        return err_set(e, ERR_INVALID, "error.petition_number", "number", "bad number");
    if ((r = site->store->ops->petition_get(site->store, req->arena, &n, p, e)))
        return r;
    if (p->state == PETITION_REMOVED)
        return err_set(e, ERR_GONE, "error.petition_removed", NULL, "removed");
    if (!petition_state_is_public(p->state))
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not public");
    return 0;
}

static int
send_json(struct request *req, json_t *o, int max_age, struct err *e)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    if (!text)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "json_dumps failed");
    const char *body = arena_strdup(req->arena, text);
    free(text);
    resp_header(req, "Cache-Control", arena_printf(req->arena, "public, max-age=%d", max_age));
    resp_header(req, "Access-Control-Allow-Origin", "*");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, 200, "application/json", body, strlen(body));
    return 0;
}

static const char *
number_text(struct request *req, const struct petition *p)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    petition_number_format(&sb, p);
    return sb.buf;
}

int
api_petition(struct request *req, struct err *e)
{
    struct petition p;
    int r = find_petition(req, &p, e);
    if (r)
        return r;
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(number_text(req, &p)));
    json_object_set_new(o, "type", json_string(petition_kind_name(p.kind)));
    json_object_set_new(o, "status", json_string(petition_state_slug(p.state)));
    json_object_set_new(o, "status_label", json_pack("{s:s,s:s}", "en",
                                                     petition_state_label(p.state, LANG_EN), "fr",
                                                     petition_state_label(p.state, LANG_FR)));
    json_object_set_new(o, "status_date", iso_time(req, p.state_changed_at));
    json_object_set_new(o, "parliament", json_integer(p.parliament));
    json_object_set_new(o, "session", json_integer(p.session));
    json_object_set_new(o, "subject", p.subject.id ? bilingual(p.subject.name) : json_null());
    json_t *kws = json_array();
    for (int i = 0; i < p.keyword_count; i++) {
        json_t *k = bilingual(p.keywords[i].name);
        json_object_set_new(k, "slug", json_string(p.keywords[i].slug));
        json_array_append_new(kws, k);
    }
    json_object_set_new(o, "keywords", kws);
    json_object_set_new(o, "original_language", json_string(lang_code(p.original_language)));
    json_object_set_new(o, "addressee", json_string(addressee_type_name(p.addressee)));
    if (p.addressee == ADDRESSEE_MINISTER)
        json_object_set_new(o, "addressee_minister", bilingual(p.addressee_ministry.title));
    if (p.petitioner_name) {
        json_object_set_new(o, "petitioner",
                            json_pack("{s:s,s:s,s:s}", "name", p.petitioner_name, "city",
                                      p.petitioner_city, "province",
                                      region_code(p.petitioner_province)));
    }
    if (p.has_authorizing_member)
        json_object_set_new(o, "authorizing_member", member_json(&p.authorizing_member));
    json_t *whereas = json_array();
    for (int i = 0; i < p.grievance_count; i++)
        json_array_append_new(whereas, bilingual(p.grievances[i].text));
    json_object_set_new(o, "grievances", whereas);
    json_object_set_new(o, "prayer", bilingual(p.prayer));
    json_object_set_new(o, "opened_at", iso_time(req, p.opened_at));
    json_object_set_new(o, "closes_at", iso_time(req, p.closes_at));
    json_object_set_new(o, "certified_at", iso_time(req, p.certified_at));
    if (p.presented_at) {
        struct strbuf num;
        sb_init(&num, req->arena);
        presented_number_format(&num, &p.presented_number);
        json_t *pres = json_object();
        json_object_set_new(pres, "at", iso_time(req, p.presented_at));
        json_object_set_new(pres, "number", json_string(num.buf));
        if (p.has_presenting_member)
            json_object_set_new(pres, "member", member_json(&p.presenting_member));
        if (p.committee[LANG_EN])
            json_object_set_new(pres, "committee", bilingual(p.committee));
        json_object_set_new(o, "presentation", pres);
    }
    if (p.has_response) {
        json_t *resp = json_object();
        json_object_set_new(resp, "minister", bilingual(p.response.ministry.title));
        json_object_set_new(resp, "signed_by", json_string(p.response.signed_by));
        json_object_set_new(resp, "tabled_at", iso_time(req, p.response.tabled_at));
        json_object_set_new(resp, "text", bilingual(p.response.text));
        json_object_set_new(o, "response", resp);
    }
    json_object_set_new(o, "signatures", counts_json(&p));
    return send_json(req, o, 60, e);
}

/* The count of an e-petition from the counts in memory (workflow/counts.h):
 * no database read once it is loaded.  1 when there is no mirror. */
static int
count_from_memory(struct request *req, json_t **out, struct err *e)
{
    const struct site *site = req->app;
    const char *arg = req->captures[0];
    struct petition_number n;
    struct count_snapshot c;
    int r;
    if (!site->flow.counts || petition_number_parse(arg, strlen(arg), &n, NULL) ||
        n.kind != PETITION_NUMBER_E)
        return 1;
    if ((r = count_mirror_get(site->flow.counts, 0, n.e_number, &c, e)))
        return r == ERR_NOT_FOUND
                   ? err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no petition")
                   : r;
    if (c.state == PETITION_REMOVED)
        return err_set(e, ERR_GONE, "error.petition_removed", NULL, "removed");
    if (!petition_state_is_public(c.state) || !c.electronic)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not public");
    json_t *o = json_object();
    json_object_set_new(o, "total", json_integer(c.total));
    json_t *by = json_object();
    for (int i = 0; i < REGION_COUNT; i++)
        json_object_set_new(by, region_code((enum region)i), json_integer(c.regions[i]));
    json_object_set_new(o, "by_region", by);
    struct strbuf num;
    sb_init(&num, req->arena);
    e_number_format(&num, c.e_number);
    json_object_set_new(o, "number", json_string(num.buf));
    *out = o;
    return 0;
}

int
api_petition_count(struct request *req, struct err *e)
{
    struct petition p;
    json_t *o = NULL;
    int r = count_from_memory(req, &o, e);
    if (r < 0)
        return r;
    if (r > 0) {
        if ((r = find_petition(req, &p, e)))
            return r;
        o = counts_json(&p);
        json_object_set_new(o, "number", json_string(number_text(req, &p)));
    }
    if ((r = send_json(req, o, 1, e)))
        return r;
    /* Polled by the live counter (static/count.js), which revalidates
     * with If-None-Match: 304s are cheap (http/cache.h). */
    resp_header(req, "Cache-Control", "public, max-age=1, stale-while-revalidate=5");
    return 0;
}

void
api_error(struct request *req, const struct err *e)
{
    const struct site *site = req->app;
    const char *key = e->key ? e->key : "error.internal";
    json_t *o = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", err_code_name(e->code), "message",
                          site_msg(site, LANG_EN, key), "message_fr", site_msg(site, LANG_FR, key));
    if (e->field)
        json_object_set_new(json_object_get(o, "error"), "parameter", json_string(e->field));
    char *text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    const char *body = text ? arena_strdup(req->arena, text) : "{}";
    free(text);
    req->resp.header_count = 0;
    resp_header(req, "Cache-Control", "no-store");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, err_http_status(e->code), "application/json", body, strlen(body));
}
