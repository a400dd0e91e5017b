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

#include "api/export.h"
#include "core/eastern_time.h"
#include "lib/embed.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "site/list_query.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
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
    json_object_set_new(o, "key", json_string(m->key));
    json_object_set_new(o, "honorific", json_string(m->honorific ? m->honorific : ""));
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
            json_object_set_new(by, region_code((enum region)i), json_integer(p->region_counts[i]));
        json_object_set_new(o, "by_region", by);
    }
    return o;
}

static json_t *
subject_json(const struct petition *p)
{
    if (!p->subject.id)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(p->subject.code));
    json_object_set_new(o, "name", bilingual(p->subject.name));
    return o;
}

/* Where a petition is: its pages in both languages and its API answers. */
static json_t *
petition_links(struct request *req, const struct petition *p, bool detail)
{
    struct strbuf num;
    sb_init(&num, req->arena);
    petition_number_format(&num, p);
    json_t *o = json_object();
    json_object_set_new(o, "self",
                        json_string(arena_printf(req->arena, "/api/v1/petitions/%s", num.buf)));
    json_object_set_new(o, "html",
                        json_pack("{s:s,s:s}", "en",
                                  arena_printf(req->arena, "/en/petitions/%s", num.buf), "fr",
                                  arena_printf(req->arena, "/fr/petitions/%s", num.buf)));
    if (detail) {
        json_object_set_new(
            o, "xml", json_string(arena_printf(req->arena, "/api/v1/petitions/%s.xml", num.buf)));
        if (p->kind == PETITION_ELECTRONIC)
            json_object_set_new(
                o, "count",
                json_string(arena_printf(req->arena, "/api/v1/petitions/%s/count", num.buf)));
    }
    return o;
}

/* Seconds a petition's answer stays fresh: short while its count moves. */
static int
petition_max_age(const struct petition *p)
{
    return p->state == PETITION_OPEN ? SITE_AGE_LIVE : SITE_AGE_PAGE;
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
    site_cache_control(req, max_age);
    resp_header(req, "Access-Control-Allow-Origin", "*");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, 200, "application/json", body, strlen(body));
    return 0;
}

/* An e-petition's public log: its checkpoint's URL, and the checkpoint
 * its certified count stands on once signed (null before). */
static int
log_json(struct request *req, const struct petition *p, json_t **out, struct err *e)
{
    struct public_certified_log c;
    int r = public_petition_certified_log(req, req->arena, p, &c, e);
    if (r)
        return r;
    json_t *o = json_object();
    json_object_set_new(o, "checkpoint",
                        json_string(arena_printf(req->arena, "%s/log/%ld/checkpoint",
                                                 site_base_url(req), p->e_number)));
    json_object_set_new(o, "certified",
                        c.checkpoint_signed
                            ? json_pack("{s:I,s:s,s:I}", "size", (json_int_t)c.size, "root", c.root,
                                        "count", (json_int_t)c.count)
                            : json_null());
    *out = o;
    return 0;
}

int
api_petition(struct request *req, struct err *e)
{
    if (export_wants_xml(req)) /* "e-2829.xml": the petition as XML (api/export.h) */
        return export_petition_xml(req, e);
    struct petition p;
    int r = public_petition_load(req, req->captures[0], &p, e);
    if (r)
        return r;
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(public_petition_number(req, &p)));
    json_object_set_new(o, "type", json_string(petition_kind_name(p.kind)));
    json_object_set_new(o, "status", json_string(petition_state_slug(p.state)));
    json_object_set_new(o, "status_label",
                        json_pack("{s:s,s:s}", "en", petition_state_label(p.state, LANG_EN), "fr",
                                  petition_state_label(p.state, LANG_FR)));
    json_object_set_new(o, "status_date", iso_time(req, p.state_changed_at));
    json_object_set_new(o, "parliament", json_integer(p.parliament));
    json_object_set_new(o, "session", json_integer(p.session));
    json_object_set_new(o, "subject", subject_json(&p));
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
        json_object_set_new(
            resp, "signed_by_fr",
            json_string(p.response.signed_by_fr ? p.response.signed_by_fr : p.response.signed_by));
        json_object_set_new(resp, "tabled_at", iso_time(req, p.response.tabled_at));
        json_object_set_new(resp, "text", bilingual(p.response.text));
        json_object_set_new(o, "response", resp);
    }
    json_object_set_new(o, "signatures", counts_json(&p));
    if (p.kind == PETITION_ELECTRONIC) {
        json_t *log;
        if ((r = log_json(req, &p, &log, e))) {
            json_decref(o);
            return r;
        }
        json_object_set_new(o, "log", log);
    }
    json_t *timeline = json_array();
    for (int i = 0; i < p.event_count; i++) {
        json_t *ev = json_object();
        json_object_set_new(ev, "status", json_string(petition_state_slug(p.events[i].state)));
        json_object_set_new(ev, "at", iso_time(req, p.events[i].at));
        json_array_append_new(timeline, ev);
    }
    json_object_set_new(o, "timeline", timeline);
    json_object_set_new(o, "links", petition_links(req, &p, true));
    return send_json(req, o, petition_max_age(&p), e);
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
        if ((r = public_petition_load(req, req->captures[0], &p, e)))
            return r;
        o = counts_json(&p);
        json_object_set_new(o, "number", json_string(public_petition_number(req, &p)));
    }
    /* Polled by the live counter (static/count.js), which revalidates
     * with If-None-Match: 304s are cheap (http/cache.h). */
    return send_json(req, o, 1, e);
}

/* ---- lists ------------------------------------------------------------------------------ */

static const char *const no_params[] = {NULL};

/* Refuse any query parameter: an index takes none. */
static int
no_query(struct request *req, struct err *e)
{
    const char *v = req_query_unknown(req, no_params);
    return v ? err_set(e, ERR_INVALID, "error.unknown_parameter", v, "parameter %s", v) : 0;
}

static json_t *
petition_summary(struct request *req, const struct petition *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(public_petition_number(req, p)));
    json_object_set_new(o, "type", json_string(petition_kind_name(p->kind)));
    json_object_set_new(o, "status", json_string(petition_state_slug(p->state)));
    json_object_set_new(o, "status_label",
                        json_pack("{s:s,s:s}", "en", petition_state_label(p->state, LANG_EN), "fr",
                                  petition_state_label(p->state, LANG_FR)));
    json_object_set_new(o, "status_date", iso_time(req, p->state_changed_at));
    json_object_set_new(o, "parliament", json_integer(p->parliament));
    json_object_set_new(o, "session", json_integer(p->session));
    json_object_set_new(o, "subject", subject_json(p));
    json_object_set_new(o, "prayer", bilingual(p->prayer));
    json_object_set_new(o, "authorizing_member",
                        p->has_authorizing_member ? member_json(&p->authorizing_member)
                                                  : json_null());
    json_object_set_new(o, "opened_at", iso_time(req, p->opened_at));
    json_object_set_new(o, "closes_at", iso_time(req, p->closes_at));
    json_object_set_new(o, "presented_at", iso_time(req, p->presented_at));
    json_object_set_new(o, "signatures", json_integer(p->signature_total));
    json_object_set_new(o, "links", petition_links(req, p, false));
    return o;
}

int
api_petitions(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct list_query l;
    struct petition_list list;
    int r;

    if ((r = list_query_read(req, true, &l, e)) ||
        (r = store_petition_list(s, NULL, req->arena, &l.q, &list, e)))
        return r;
    long long pages = list.total ? (list.total + l.per_page - 1) / l.per_page : 1;
    json_t *items = json_array();
    bool live = false;
    for (int i = 0; i < list.count; i++) {
        json_array_append_new(items, petition_summary(req, &list.items[i]));
        live |= list.items[i].state == PETITION_OPEN;
    }
    const char *path = "/api/v1/petitions";
    json_t *links = json_object();
    json_object_set_new(links, "self", json_string(list_query_url(req, path, &l, l.page)));
    json_object_set_new(links, "first", json_string(list_query_url(req, path, &l, 1)));
    json_object_set_new(links, "last", json_string(list_query_url(req, path, &l, pages)));
    json_object_set_new(links, "prev",
                        l.page > 1 && l.page <= pages
                            ? json_string(list_query_url(req, path, &l, l.page - 1))
                            : json_null());
    const char *next = l.page < pages ? list_query_url(req, path, &l, l.page + 1) : NULL;
    json_object_set_new(links, "next", next ? json_string(next) : json_null());
    json_object_set_new(links, "csv",
                        json_string(list_query_url(req, "/api/v1/petitions.csv", &l, 0)));
    json_object_set_new(links, "xml",
                        json_string(list_query_url(req, "/api/v1/petitions.xml", &l, 0)));
    json_t *o = json_object();
    json_object_set_new(o, "total", json_integer(list.total));
    json_object_set_new(o, "page", json_integer(l.page));
    json_object_set_new(o, "per_page", json_integer(l.per_page));
    json_object_set_new(o, "pages", json_integer(pages));
    json_object_set_new(o, "petitions", items);
    json_object_set_new(o, "links", links);
    if ((r = send_json(req, o, live ? SITE_AGE_LIVE : SITE_AGE_PAGE, e)))
        return r;
    if (next)
        resp_header(req, "Link", arena_printf(req->arena, "<%s>; rel=\"next\"", next));
    return 0;
}

int
api_subjects(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct subject *v;
    int n, r;
    if ((r = no_query(req, e)) ||
        (r = store_subject_list(site->store, NULL, req->arena, &v, &n, e)))
        return r;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(v[i].code));
        json_object_set_new(o, "name", bilingual(v[i].name));
        json_object_set_new(o, "petitions", json_integer(v[i].petitions));
        json_object_set_new(
            o, "list",
            json_string(arena_printf(req->arena, "/api/v1/petitions?subject=%s", v[i].code)));
        json_array_append_new(items, o);
    }
    return send_json(req, json_pack("{s:o}", "subjects", items), SITE_AGE_PAGE, e);
}

int
api_keywords(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct keyword *v;
    int n, r;
    if ((r = no_query(req, e)) ||
        (r = store_keyword_list(site->store, NULL, req->arena, &v, &n, e)))
        return r;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "slug", json_string(v[i].slug));
        json_object_set_new(o, "name", bilingual(v[i].name));
        json_object_set_new(o, "petitions", json_integer(v[i].petitions));
        json_object_set_new(
            o, "list",
            json_string(arena_printf(req->arena, "/api/v1/petitions?keyword=%s", v[i].slug)));
        json_array_append_new(items, o);
    }
    return send_json(req, json_pack("{s:o}", "keywords", items), SITE_AGE_PAGE, e);
}

int
api_members(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct member *v;
    int n, r;
    if ((r = no_query(req, e)) ||
        (r = store_member_directory(site->store, NULL, req->arena, &v, &n, e)))
        return r;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = member_json(&v[i]);
        json_object_set_new(o, "sitting", json_boolean(v[i].active));
        json_object_set_new(o, "speaker", json_boolean(v[i].is_speaker));
        json_object_set_new(o, "petitions_authorized", json_integer(v[i].petitions));
        json_object_set_new(
            o, "list",
            json_string(arena_printf(req->arena, "/api/v1/petitions?member=%s", v[i].key)));
        json_array_append_new(items, o);
    }
    return send_json(req, json_pack("{s:o}", "members", items), SITE_AGE_PAGE, e);
}

int
api_parliaments(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct parliament *par;
    struct session *ses;
    int npar, nses, r;
    if ((r = no_query(req, e)) ||
        (r = store_parliament_list(s, NULL, req->arena, &par, &npar, e)) ||
        (r = store_session_list(s, NULL, req->arena, &ses, &nses, e)))
        return r;
    json_t *items = json_array();
    for (int i = 0; i < npar; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "number", json_integer(par[i].number));
        json_object_set_new(o, "opened_at", iso_time(req, par[i].opened_at));
        json_object_set_new(o, "dissolved_at", iso_time(req, par[i].dissolved_at));
        json_object_set_new(o, "petitions", json_integer(par[i].petitions));
        json_object_set_new(o, "list",
                            json_string(arena_printf(req->arena, "/api/v1/petitions?parliament=%d",
                                                     par[i].number)));
        json_t *sessions = json_array();
        for (int j = nses - 1; j >= 0; j--) { /* oldest first within a Parliament */
            if (ses[j].parliament_id != par[i].id)
                continue;
            const char *id = arena_printf(req->arena, "%d-%d", ses[j].parliament, ses[j].number);
            json_t *so = json_object();
            json_object_set_new(so, "session", json_string(id));
            json_object_set_new(so, "number", json_integer(ses[j].number));
            json_object_set_new(so, "opened_at", iso_time(req, ses[j].opened_at));
            json_object_set_new(so, "ended_at", iso_time(req, ses[j].ended_at));
            json_object_set_new(so, "ended_by",
                                !ses[j].ended_at   ? json_null()
                                : ses[j].dissolved ? json_string("dissolution")
                                                   : json_string("prorogation"));
            json_object_set_new(so, "petitions", json_integer(ses[j].petitions));
            json_object_set_new(
                so, "list",
                json_string(arena_printf(req->arena, "/api/v1/petitions?session=%s", id)));
            json_array_append_new(sessions, so);
        }
        json_object_set_new(o, "sessions", sessions);
        json_array_append_new(items, o);
    }
    return send_json(req, json_pack("{s:o}", "parliaments", items), SITE_AGE_PAGE, e);
}

int
api_openapi(struct request *req, struct err *e)
{
    const struct embedded_file *f = embed_find("data/api/openapi.json");
    int r;
    if ((r = no_query(req, e)))
        return r;
    if (!f)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "openapi.json not embedded");
    site_cache_control(req, SITE_AGE_STATIC);
    resp_header(req, "Access-Control-Allow-Origin", "*");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, 200, "application/json", (const char *)f->data, f->len);
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
