/*
 * public.c: what the public pages share; see public.h.
 */
#include "web/public.h"

#include <jansson.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/petition.h"
#include "core/signature.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "site/list_query.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/charts.h"
#include "lib/banned.h"

enum { SNIPPET_BYTES = 220 };

const char *
pub_msg(struct request *req, const char *key)
{
    return site_msg(req->app, req->lang, key);
}

/* "1,234" in English, "1 234" (no-break space) in French. */
const char *
pub_count(struct request *req, int64_t n)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    chart_format_count(&sb, n < 0 ? 0 : n, req->lang);
    return sb.buf;
}

/* A time formatted by one of the core's Eastern-time writers. */
static const char *
fmt_time(struct request *req, void (*writer)(struct strbuf *, int64_t, enum lang), int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    writer(&sb, t, req->lang);
    return sb.buf;
}

const char *
pub_datetime(struct request *req, int64_t t)
{
    return fmt_time(req, eastern_format_datetime, t);
}

const char *
pub_date(struct request *req, int64_t t)
{
    return fmt_time(req, eastern_format_date, t);
}

const char *
pub_iso_date(struct request *req, int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    eastern_format_iso_date(&sb, t);
    return sb.buf;
}

/* "/en/keywords/belarus", the slug percent-encoded. */
const char *
pub_keyword_url(struct request *req, const char *slug)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_addf(&sb, "/%s/keywords/", lang_code(req->lang));
    url_encode(&sb, slug, strlen(slug));
    return sb.buf;
}

/* "/en/subjects/foreign-affairs", the code percent-encoded. */
const char *
pub_subject_url(struct request *req, const char *code)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_addf(&sb, "/%s/subjects/", lang_code(req->lang));
    url_encode(&sb, code, strlen(code));
    return sb.buf;
}

/* "e-2829 (Foreign affairs)", the House's title of a petition page. */
const char *
pub_title(struct request *req, const struct petition *p)
{
    const char *number = public_petition_number(req, p);
    if (!p->subject.id)
        return number;
    return arena_printf(req->arena, "%s (%s)", number, site_tr(req, p->subject.name));
}

const char *
pub_member_name(struct request *req, const struct member *m)
{
    if (m->honorific && m->honorific[0])
        return arena_printf(req->arena, "%s %s %s", m->honorific, m->first_name, m->last_name);
    return arena_printf(req->arena, "%s %s", m->first_name, m->last_name);
}

/* "Petition to the Government of Canada" and its kin. */
const char *
pub_addressee(struct request *req, const struct petition *p)
{
    switch (p->addressee) {
    case ADDRESSEE_HOUSE:
        return pub_msg(req, "petition.to_house");
    case ADDRESSEE_HOUSE_ASSEMBLED:
        return pub_msg(req, "petition.to_house_assembled");
    case ADDRESSEE_MINISTER:
        return site_msg_with(req, "petition.to_minister",
                             site_tr(req, p->addressee_ministry.title));
    case ADDRESSEE_MEMBER:
        return site_msg_with(req, "petition.to_member",
                             arena_printf(req->arena, "%s (%s)",
                                          pub_member_name(req, &p->addressee_member),
                                          site_tr(req, p->addressee_member.constituency)));
    case ADDRESSEE_GOVERNMENT:
    default:
        return pub_msg(req, "petition.to_government");
    }
}

/* The prayer on one line, cut at a word boundary: for lists.  Its first
 * line is usually the formula "We, the undersigned, ... call upon ... to:",
 * so the requests after it must show too. */
static const char *
snippet(struct request *req, const char *text)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (const char *p = text ? text : ""; *p && sb.len < SNIPPET_BYTES + 4; p++)
        sb_addch(&sb, *p == '\n' ? ' ' : *p);
    if (sb.len <= SNIPPET_BYTES)
        return sb.buf;
    size_t cut = SNIPPET_BYTES;
    while (cut > 0 && sb.buf[cut] != ' ')
        cut--;
    if (cut == 0)
        for (cut = SNIPPET_BYTES; ((unsigned char)sb.buf[cut] & 0xC0) == 0x80; cut--)
            ;
    sb_setlen(&sb, cut);
    sb_adds(&sb, "…");
    return sb.buf;
}

bool
pub_is_open(struct request *req, const struct petition *p)
{
    const struct site *site = req->app;
    return p->state == PETITION_OPEN && clock_now(&site->clock) < p->closes_at;
}

/* What a list row shows of a petition. */
static json_t *
petition_summary(struct request *req, const struct petition *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(public_petition_number(req, p)));
    json_object_set_new(o, "url", json_string(public_petition_path(req, p)));
    json_object_set_new(o, "title", json_string(pub_title(req, p)));
    json_object_set_new(o, "addressee", json_string(pub_addressee(req, p)));
    json_object_set_new(o, "snippet", json_string(snippet(req, site_tr(req, p->prayer))));
    json_object_set_new(o, "state", json_string(petition_state_label(p->state, req->lang)));
    json_object_set_new(o, "state_slug", json_string(petition_state_slug(p->state)));
    json_object_set_new(o, "state_date", json_string(pub_date(req, p->state_changed_at)));
    json_object_set_new(o, "state_iso", json_string(pub_iso_date(req, p->state_changed_at)));
    json_object_set_new(o, "paper", json_boolean(p->kind == PETITION_PAPER));
    json_object_set_new(o, "signatures", json_string(pub_count(req, p->signature_total)));
    if (pub_is_open(req, p))
        json_object_set_new(o, "closes", json_string(pub_datetime(req, p->closes_at)));
    return o;
}

/* Whether the counts of p may still move: it takes signatures, or
 * confirmations of signatures during the grace after it closed. */
static bool
counts_move(struct request *req, const struct petition *p)
{
    const struct site *site = req->app;
    return signature_confirmable(p->state, p->closes_at,
                                 petition_grace_hours(p->grace_hours, &site->rules),
                                 clock_now(&site->clock));
}

/* How long others may cache a list (site.h): a few seconds when one of
 * its petitions has counts that move, else as the rest of the record. */
int
pub_max_age(struct request *req, const struct petition_list *list)
{
    for (int i = 0; i < list->count; i++)
        if (counts_move(req, &list->items[i]))
            return SITE_AGE_LIVE;
    return SITE_AGE_PAGE;
}

/* "keyword=belarus&status=open": the n names with their values that are
 * set and not empty, percent-encoded; "" when none is. */
const char *
pub_query_string(struct request *req, const char *const names[], const char *const values[],
                 size_t n)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (size_t i = 0; i < n; i++) {
        if (!values[i] || !values[i][0])
            continue;
        if (sb.len)
            sb_addch(&sb, '&');
        sb_adds(&sb, names[i]);
        sb_addch(&sb, '=');
        url_encode(&sb, values[i], strlen(values[i]));
    }
    return sb.len ? sb.buf : "";
}

/* The "Download this list" block (templates/downloads.html): the API's
 * list and its CSV and XML exports with the list's filters (qs, from
 * pub_query_string(): the API takes the page's names and values), set as
 * "downloads" on ctx. */
void
pub_downloads(json_t *ctx, struct request *req, const char *qs)
{
    static const struct {
        const char *path, *label, *type;
    } kinds[] = {
        {"/api/v1/petitions", "download.json", "application/json"},
        {"/api/v1/petitions.csv", "download.csv", "text/csv"},
        {"/api/v1/petitions.xml", "download.xml", "application/xml"},
    };
    json_t *links = json_array();
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        json_t *o = json_object();
        const char *url = arena_printf(req->arena, "%s%s%s", kinds[i].path, qs[0] ? "?" : "", qs);
        /* The XML export has one language's texts (English unless asked):
         * a French page asks for French. */
        if (req->lang == LANG_FR && strcmp(kinds[i].type, "application/xml") == 0)
            url = arena_printf(req->arena, "%s%slang=fr", url, qs[0] ? "&" : "?");
        json_object_set_new(o, "url", json_string(url));
        json_object_set_new(o, "label", json_string(pub_msg(req, kinds[i].label)));
        json_object_set_new(o, "type", json_string(kinds[i].type));
        json_array_append_new(links, o);
    }
    json_object_set_new(ctx, "downloads", json_pack("{s:o}", "links", links));
}

/* Set "petitions" (the rows) and "has_petitions" on o, for the
 * petition_list template; returns o. */
json_t *
pub_petitions(json_t *o, struct request *req, const struct petition_list *list)
{
    json_t *a = json_array();
    for (int i = 0; i < list->count; i++)
        json_array_append_new(a, petition_summary(req, &list->items[i]));
    json_object_set_new(o, "petitions", a);
    json_object_set_new(o, "has_petitions", json_boolean(list->count > 0));
    return o;
}

/* The list's filters, by the names the page and the API share. */
static const char *const list_filters[] = {"status", "type",       "sort",    "subject",
                                           "keyword", "member",   "parliament", "session",
                                           "q",      "responded"};

const char *
pub_list_query_string(struct request *req)
{
    enum { NFILTERS = sizeof(list_filters) / sizeof(list_filters[0]) };
    const char *values[NFILTERS];
    for (size_t i = 0; i < NFILTERS; i++)
        values[i] = req_query(req, list_filters[i]);
    return pub_query_string(req, list_filters, values, NFILTERS);
}

/* The URL of page n of this list, keeping the filters. */
static const char *
page_url(struct request *req, const char *base, long long n)
{
    struct strbuf sb;
    char sep = '?';
    sb_init(&sb, req->arena);
    sb_adds(&sb, base);
    for (size_t i = 0; i < sizeof(list_filters) / sizeof(list_filters[0]); i++) {
        const char *v = req_query(req, list_filters[i]);
        if (!v || !v[0])
            continue;
        sb_addch(&sb, sep);
        sep = '&';
        sb_adds(&sb, list_filters[i]);
        sb_addch(&sb, '=');
        url_encode(&sb, v, strlen(v));
    }
    if (n > 1) {
        sb_addch(&sb, sep);
        sb_addf(&sb, "page=%lld", n);
    }
    return sb.buf;
}

json_t *
pub_pagination(struct request *req, const char *base, long long page, int64_t total)
{
    long long pages = total ? (total + LIST_PER_PAGE - 1) / LIST_PER_PAGE : 1;
    json_t *o = json_object();
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "pages", json_integer(pages));
    json_object_set_new(o, "text",
                        json_string(arena_printf(req->arena, "%s %lld / %lld",
                                                 pub_msg(req, "list.page"), page, pages)));
    if (page > 1)
        json_object_set_new(o, "prev", json_string(page_url(req, base, page - 1)));
    if (page < pages)
        json_object_set_new(o, "next", json_string(page_url(req, base, page + 1)));
    return o;
}

int
pub_certified_log(struct request *req, const struct petition *p, json_t **out, struct err *e)
{
    struct public_certified_log c;
    int r = public_petition_certified_log(req, req->arena, p, &c, e);
    *out = NULL;
    if (r || !c.certified)
        return r;
    json_t *o = json_object();
    json_object_set_new(o, "size", json_integer(c.size));
    json_object_set_new(o, "path", json_string(c.path));
    json_object_set_new(o, "verify",
                        json_string(arena_printf(req->arena, "/%s/verify", lang_code(req->lang))));
    if (c.checkpoint_signed)
        json_object_set_new(o, "root", json_string(c.root));
    *out = o;
    return 0;
}

json_t *
pub_lines(const char *text, bool paragraphs)
{
    json_t *a = json_array();
    const char *p = text ? text : "";
    while (*p) {
        const char *end = paragraphs ? strstr(p, "\n\n") : strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t b = 0;
        while (b < n && (p[b] == ' ' || p[b] == '\n'))
            b++;
        if (n > b)
            json_array_append_new(a, json_stringn(p + b, n - b));
        p += n;
        while (*p == '\n')
            p++;
    }
    return a;
}
