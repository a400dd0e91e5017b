/*
 * pages.c: the public pages; see pages.h.
 *
 * Each handler reads what it needs from the store (never a COUNT(*) of
 * signatures: counts are stored with the petition), turns the records into
 * a jansson context of plain strings, and renders a template, which
 * escapes every value.  Texts shown are chosen by req->lang; dates are
 * formatted the House's way by the core.
 */
#include "web/pages.h"

#include <jansson.h>
#include <string.h>

#include "api/query.h"
#include "core/eastern_time.h"
#include "core/house.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "core/search.h"
#include "core/signature.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "store/store.h"
#include "web/feeds.h"
#include "web/chart_pages.h"
#include "web/charts.h"
#include "web/site.h"
#include "workflow/counts.h"
#include "workflow/intake.h"
#include "workflow/house.h"
#include "lib/banned.h"

enum { PAGE_SIZE = API_PER_PAGE, MAX_PAGE = API_MAX_PAGE, SNIPPET_BYTES = 220 };

/* ---- small formatting helpers -------------------------------------------------------- */

static const char *
msg(struct request *req, const char *key)
{
    return site_msg(req->app, req->lang, key);
}

/* "1,234" in English, "1 234" (no-break space) in French. */
static const char *
format_count(struct request *req, int64_t n)
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

static const char *
fmt_datetime(struct request *req, int64_t t)
{
    return fmt_time(req, eastern_format_datetime, t);
}

static const char *
fmt_date(struct request *req, int64_t t)
{
    return fmt_time(req, eastern_format_date, t);
}

static const char *
fmt_iso_date(struct request *req, int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    eastern_format_iso_date(&sb, t);
    return sb.buf;
}

/* "e-2829" or "432-00158" (a paper petition's only number). */
const char *
petition_number_text(struct request *req, const struct petition *p)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    petition_number_format(&sb, p);
    return sb.buf;
}

/* "/en/keywords/belarus", the slug percent-encoded. */
static const char *
keyword_url(struct request *req, const char *slug)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_addf(&sb, "/%s/keywords/", lang_code(req->lang));
    url_encode(&sb, slug, strlen(slug));
    return sb.buf;
}

/* "/en/subjects/foreign-affairs", the code percent-encoded. */
static const char *
subject_url(struct request *req, const char *code)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_addf(&sb, "/%s/subjects/", lang_code(req->lang));
    url_encode(&sb, code, strlen(code));
    return sb.buf;
}

const char *
petition_path(struct request *req, const struct petition *p)
{
    return arena_printf(req->arena, "/%s/petitions/%s", lang_code(req->lang),
                        petition_number_text(req, p));
}

/* "e-2829 (Foreign affairs)", the House's title of a petition page. */
static const char *
petition_title(struct request *req, const struct petition *p)
{
    const char *number = petition_number_text(req, p);
    if (!p->subject.id)
        return number;
    return arena_printf(req->arena, "%s (%s)", number, site_tr(req, p->subject.name));
}

static const char *
member_name(struct request *req, const struct member *m)
{
    if (m->honorific && m->honorific[0])
        return arena_printf(req->arena, "%s %s %s", m->honorific, m->first_name, m->last_name);
    return arena_printf(req->arena, "%s %s", m->first_name, m->last_name);
}

/* "Petition to the Government of Canada" and its kin. */
static const char *
addressee_heading(struct request *req, const struct petition *p)
{
    switch (p->addressee) {
    case ADDRESSEE_HOUSE:
        return msg(req, "petition.to_house");
    case ADDRESSEE_HOUSE_ASSEMBLED:
        return msg(req, "petition.to_house_assembled");
    case ADDRESSEE_MINISTER:
        return site_msg_with(req, "petition.to_minister",
                             site_tr(req, p->addressee_ministry.title));
    case ADDRESSEE_MEMBER:
        return site_msg_with(req, "petition.to_member",
                        arena_printf(req->arena, "%s (%s)",
                                     member_name(req, &p->addressee_member),
                                     site_tr(req, p->addressee_member.constituency)));
    case ADDRESSEE_GOVERNMENT:
    default:
        return msg(req, "petition.to_government");
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

/* Split text into non-empty lines (or paragraphs, at blank lines). */
static json_t *
split_lines(const char *text, bool paragraphs)
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

static bool
petition_is_open(struct request *req, const struct petition *p)
{
    const struct site *site = req->app;
    return p->state == PETITION_OPEN && clock_now(&site->clock) < p->closes_at;
}

/* What a list row shows of a petition. */
static json_t *
petition_summary(struct request *req, const struct petition *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(petition_number_text(req, p)));
    json_object_set_new(o, "url", json_string(petition_path(req, p)));
    json_object_set_new(o, "title", json_string(petition_title(req, p)));
    json_object_set_new(o, "addressee", json_string(addressee_heading(req, p)));
    json_object_set_new(o, "snippet", json_string(snippet(req, site_tr(req, p->prayer))));
    json_object_set_new(o, "state", json_string(petition_state_label(p->state, req->lang)));
    json_object_set_new(o, "state_slug", json_string(petition_state_slug(p->state)));
    json_object_set_new(o, "state_date", json_string(fmt_date(req, p->state_changed_at)));
    json_object_set_new(o, "state_iso", json_string(fmt_iso_date(req, p->state_changed_at)));
    json_object_set_new(o, "paper", json_boolean(p->kind == PETITION_PAPER));
    json_object_set_new(o, "signatures", json_string(format_count(req, p->signature_total)));
    if (petition_is_open(req, p))
        json_object_set_new(o, "closes", json_string(fmt_datetime(req, p->closes_at)));
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
static int
list_max_age(struct request *req, const struct petition_list *list)
{
    for (int i = 0; i < list->count; i++)
        if (counts_move(req, &list->items[i]))
            return SITE_AGE_LIVE;
    return SITE_AGE_PAGE;
}

/* "keyword=belarus&status=open": the n names with their values that are
 * set and not empty, percent-encoded; "" when none is. */
static const char *
query_string(struct request *req, const char *const names[], const char *const values[], size_t n)
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
 * query_string(): the API takes the page's names and values), set as
 * "downloads" on ctx. */
static void
set_downloads(json_t *ctx, struct request *req, const char *qs)
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
        json_object_set_new(o, "label", json_string(msg(req, kinds[i].label)));
        json_object_set_new(o, "type", json_string(kinds[i].type));
        json_array_append_new(links, o);
    }
    json_object_set_new(ctx, "downloads", json_pack("{s:o}", "links", links));
}

/* Set "petitions" (the rows) and "has_petitions" on o, for the
 * petition_list template; returns o. */
static json_t *
set_petitions(json_t *o, struct request *req, const struct petition_list *list)
{
    json_t *a = json_array();
    for (int i = 0; i < list->count; i++)
        json_array_append_new(a, petition_summary(req, &list->items[i]));
    json_object_set_new(o, "petitions", a);
    json_object_set_new(o, "has_petitions", json_boolean(list->count > 0));
    return o;
}

/* ---- / and /healthz and /static -------------------------------------------------------- */

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

int
page_healthz(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    int version;
    int r = site->store->ops->schema_version(site->store, &version, e);
    if (r)
        return r;
    const char *body = arena_printf(req->arena, "ok schema=%d\n", version);
    if (site->flow.intake) {
        /* How the signature writer is doing (intake.h). */
        struct intake_stats st;
        intake_stats(site->flow.intake, &st);
        body = arena_printf(req->arena, "%sintake jobs=%llu batches=%llu largest=%u pending=%u"
                            " refused=%llu write_ms=%llu commit_ms=%llu commit_max_ms=%llu\n",
                            body,
                            (unsigned long long)st.jobs, (unsigned long long)st.batches,
                            st.largest, st.pending, (unsigned long long)st.refused,
                            (unsigned long long)st.write_ms, (unsigned long long)st.commit_ms,
                            (unsigned long long)st.commit_max_ms);
    }
    body = arena_printf(req->arena, "%schanges data=%llu counts=%llu\n", body,
                        (unsigned long long)changes_data(&site->changes),
                        (unsigned long long)changes_counts(&site->changes));
    if (site->flow.counts) {
        /* The last reconciliation of the counts in memory (counts.h). */
        struct count_check_result c;
        count_mirror_last_check(site->flow.counts, &c);
        body = arena_printf(req->arena, "%scounts checked_at=%lld petitions=%d drifted=%d"
                            " drifted_since_start=%lld\n", body, (long long)c.at, c.checked,
                            c.drifted, (long long)c.drifted_since_start);
    }
    resp_header(req, "Cache-Control", "no-store");
    resp_body(req, 200, "text/plain; charset=utf-8", body, strlen(body));
    return 0;
}

static const char *
static_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    if (strcmp(dot, ".ico") == 0)
        return "image/x-icon";
    if (strcmp(dot, ".txt") == 0)
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

int
page_static(struct request *req, struct err *e)
{
    const char *name = req->captures[0];
    if (strchr(name, '/') || name[0] == '.')
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "static name");
    const struct embedded_file *f = embed_find(arena_printf(req->arena, "static/%s", name));
    if (!f)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no static file");
    /* A long age: the files change only with petitiond itself.  Their
     * ETag is the hash of these bytes (the route is ROUTE_CACHE), so a
     * browser revalidates them with a 304 after an upgrade too. */
    site_cache_control(req, SITE_AGE_STATIC);
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, 200, static_type(name), (const char *)f->data, f->len);
    return 0;
}

/* ---- home --------------------------------------------------------------------------------- */

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

    json_t *ctx = site_page(req, msg(req, "home.title"));
    feed_offer(req, ctx, FEED_OPENED, NULL);
    feed_offer(req, ctx, FEED_RESPONSES, NULL);
    json_object_set_new(ctx, "open", set_petitions(json_pack("{s:s}", "total",
                                                             format_count(req, open.total)),
                                                   req, &open));
    json_object_set_new(ctx, "responses", set_petitions(json_object(), req, &responses));
    json_t *by_state = json_array();
    for (size_t i = 0; i < sizeof(home_states) / sizeof(home_states[0]); i++) {
        json_t *o = json_object();
        json_object_set_new(o, "label", json_string(petition_state_label(home_states[i],
                                                                         req->lang)));
        json_object_set_new(o, "slug", json_string(petition_state_slug(home_states[i])));
        json_object_set_new(o, "count", json_string(format_count(req, counts[home_states[i]])));
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
                                                    format_count(req, j->signatures_to_certify))));
    json_array_append_new(rules, json_string(site_msg_with(req, "home.rule_response",
                                                      arena_printf(req->arena, "%d",
                                                                   j->response_days))));
    json_object_set_new(ctx, "rules", rules);
    /* Open petitions' counts and the week's signatures move. */
    site_cache_control(req, SITE_AGE_LIVE);
    return site_render(req, 200, "home", ctx, e);
}

/* ---- the list of petitions ------------------------------------------------------------------- */

static int
bad_param(struct err *e, const char *key, const char *name)
{
    return err_set(e, ERR_INVALID, key, name, "bad query parameter %s", name);
}

/* Read the list's filters and page from the query string, as the API
 * reads them but forgiving blank fields (api/query.h); refuse values we
 * do not know. */
static int
read_filters(struct request *req, struct petition_query *q, long long *page, struct err *e)
{
    struct api_list l;
    int r = api_list_read_forgiving(req, &l, e);
    *q = l.q;
    *page = l.page;
    return r;
}

/* The list's filters, by the names the page and the API share. */
static const char *const list_filters[] = {"status", "type",       "sort",    "subject",
                                           "keyword", "member",   "parliament", "session",
                                           "q",      "responded"};

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

static json_t *
pagination(struct request *req, const char *base, long long page, int64_t total)
{
    long long pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
    json_t *o = json_object();
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "pages", json_integer(pages));
    json_object_set_new(o, "text",
                        json_string(arena_printf(req->arena, "%s %lld / %lld",
                                                 msg(req, "list.page"), page, pages)));
    if (page > 1)
        json_object_set_new(o, "prev", json_string(page_url(req, base, page - 1)));
    if (page < pages)
        json_object_set_new(o, "next", json_string(page_url(req, base, page + 1)));
    return o;
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
            resp_redirect(req, 303, petition_path(req, &found));
            return 0;
        }
    }
    if ((r = read_filters(req, &q, &page, e)) ||
        (r = s->ops->petition_list(s, req->arena, &q, &list, e)) ||
        (r = s->ops->subject_list(s, req->arena, &subjects, &nsub, e)) ||
        (r = s->ops->keyword_list(s, req->arena, &keywords, &nkw, e)))
        return r;

    json_t *ctx = site_page(req, msg(req, "list.title"));
    feed_offer(req, ctx, FEED_OPENED, NULL);
    feed_offer(req, ctx, FEED_RESPONSES, NULL);
    struct keyword feed_kw;
    if (q.keyword_slug && !s->ops->keyword_get(s, req->arena, q.keyword_slug, &feed_kw, NULL))
        feed_offer(req, ctx, FEED_KEYWORD, &feed_kw);
    const char *base = arena_printf(req->arena, "/%s/petitions", lang_code(req->lang));
    set_petitions(ctx, req, &list);
    json_object_set_new(ctx, "total", json_string(format_count(req, list.total)));
    json_object_set_new(ctx, "pagination", pagination(req, base, page, list.total));
    json_object_set_new(ctx, "q", json_string(q.text ? q.text : ""));
    json_object_set_new(ctx, "responded", json_boolean(q.responded));
    /* The same list as open data: the filters as the visitor gave them,
     * without page (the exports take every petition; the API starts at
     * its first page). */
    enum { NFILTERS = sizeof(list_filters) / sizeof(list_filters[0]) };
    const char *values[NFILTERS];
    for (size_t i = 0; i < NFILTERS; i++)
        values[i] = req_query(req, list_filters[i]);
    set_downloads(ctx, req, query_string(req, list_filters, values, NFILTERS));

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
    add_option(types, "electronic", msg(req, "petition.kind_electronic"), cur);
    add_option(types, "paper", msg(req, "petition.kind_paper"), cur);
    json_object_set_new(ctx, "types", types);

    json_t *sorts = json_array();
    cur = req_query(req, "sort");
    if (q.text) /* first, so it shows as the default of a search */
        add_option(sorts, "relevance", msg(req, "list.sort_relevance"), cur);
    add_option(sorts, "recent", msg(req, "list.sort_recent"), cur);
    add_option(sorts, "oldest", msg(req, "list.sort_oldest"), cur);
    add_option(sorts, "most-signatures", msg(req, "list.sort_most"), cur);
    add_option(sorts, "fewest-signatures", msg(req, "list.sort_fewest"), cur);
    json_object_set_new(ctx, "sorts", sorts);
    site_cache_control(req, list_max_age(req, &list));
    return site_render(req, 200, "petitions", ctx, e);
}

/* ---- one petition ------------------------------------------------------------------------------
 */

static json_t *
member_block(struct request *req, const struct member *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(member_name(req, m)));
    json_object_set_new(o, "constituency", json_string(site_tr(req, m->constituency)));
    json_object_set_new(o, "caucus", json_string(site_tr(req, m->caucus)));
    json_object_set_new(o, "province", json_string(region_name(m->province, req->lang)));
    return o;
}

static json_t *
counts_table(struct request *req, const struct petition *p)
{
    json_t *rows = json_array();
    for (int i = 0; i < REGION_COUNT; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "region", json_string(region_name((enum region)i, req->lang)));
        json_object_set_new(o, "code", json_string(region_code((enum region)i)));
        json_object_set_new(o, "count", json_string(format_count(req, p->region_counts[i])));
        json_array_append_new(rows, o);
    }
    return rows;
}

int
petition_load(struct request *req, const char *arg, struct petition *p, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct petition_number n;
    int r;

    if (petition_number_parse(arg, strlen(arg), &n, NULL))
        return err_set(e, ERR_INVALID, "error.petition_number", "number", "bad number");
    if ((r = s->ops->petition_get(s, req->arena, &n, p, e)))
        return r;
    if (p->state == PETITION_REMOVED)
        return err_set(e, ERR_GONE, "error.petition_removed", NULL, "removed");
    if (!petition_state_is_public(p->state))
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not public");
    return 0;
}

int
page_petition(struct request *req, struct err *e)
{
    struct petition p;
    int r;

    if ((r = petition_load(req, req->captures[0], &p, e)))
        return r;
    const char *canonical = petition_path(req, &p);
    if (strcmp(canonical, req->path) != 0) {
        /* "432-00158" or "E-2829" for an e-petition: its own address. */
        site_cache_control(req, SITE_AGE_STATIC); /* a number's address never changes */
        resp_redirect(req, 301, canonical);
        return 0;
    }
    return petition_render(req, &p, 200, NULL, e);
}

int
petition_render(struct request *req, const struct petition *pp, int status,
                const struct field_errors *fe, struct err *e)
{
    const struct site *site = req->app;
    struct petition p = *pp;
    struct count_snapshot counts;
    struct err ce = ERR_INIT;
    /* The counts as the signature writer last committed them (counts.h). */
    if (p.kind == PETITION_ELECTRONIC && site->flow.counts &&
        count_mirror_get(site->flow.counts, p.id, 0, &counts, &ce) == 0) {
        p.signature_total = counts.total;
        memcpy(p.region_counts, counts.regions, sizeof(p.region_counts));
    }
    json_t *ctx = site_page(req, petition_title(req, &p));
    json_object_set_new(ctx, "number", json_string(petition_number_text(req, &p)));
    json_object_set_new(ctx, "paper", json_boolean(p.kind == PETITION_PAPER));
    json_object_set_new(ctx, "state", json_string(petition_state_label(p.state, req->lang)));
    json_object_set_new(ctx, "state_slug", json_string(petition_state_slug(p.state)));
    json_object_set_new(ctx, "state_date", json_string(fmt_date(req, p.state_changed_at)));
    json_object_set_new(ctx, "demo", json_boolean(p.is_demo));
    if (p.petitioner_name)
        json_object_set_new(ctx, "initiated_by",
                            json_string(arena_printf(
                                req->arena, "%s %s %s %s, %s", msg(req, "petition.initiated_by"),
                                p.petitioner_name, msg(req, "petition.from"), p.petitioner_city,
                                region_name(p.petitioner_province, req->lang))));
    json_object_set_new(ctx, "original_language",
                        json_string(msg(req, p.original_language == LANG_FR ? "lang.fr"
                                                                             : "lang.en")));
    json_object_set_new(ctx, "addressee", json_string(addressee_heading(req, &p)));
    json_t *whereas = json_array();
    for (int i = 0; i < p.grievance_count; i++)
        json_array_append_new(whereas, json_string(site_tr(req, p.grievances[i].text)));
    json_object_set_new(ctx, "whereas", whereas);
    json_object_set_new(ctx, "has_whereas", json_boolean(p.grievance_count > 0));
    json_object_set_new(ctx, "prayer", split_lines(site_tr(req, p.prayer), false));

    if (p.has_response) {
        json_t *resp = json_object();
        json_object_set_new(resp, "heading",
                            json_string(site_msg_with(req, "petition.response_by",
                                                 site_tr(req, p.response.ministry.title))));
        json_object_set_new(resp, "signed_by", json_string(p.response.signed_by));
        json_object_set_new(resp, "paragraphs", split_lines(site_tr(req, p.response.text), true));
        json_object_set_new(ctx, "response", resp);
    }

    /* The dates panel, in the House's order. */
    if (p.opened_at) {
        json_object_set_new(ctx, "opened", json_string(fmt_datetime(req, p.opened_at)));
        json_object_set_new(ctx, "opened_iso", json_string(fmt_iso_date(req, p.opened_at)));
    }
    if (p.closes_at) {
        bool open = petition_is_open(req, &p);
        json_object_set_new(ctx, open ? "closes" : "closed",
                            json_string(fmt_datetime(req, p.closes_at)));
        json_object_set_new(ctx, "closes_iso", json_string(fmt_iso_date(req, p.closes_at)));
        json_object_set_new(ctx, "is_open", json_boolean(open));
    }
    if (p.presented_at) {
        json_t *pres = json_object();
        struct strbuf num;
        sb_init(&num, req->arena);
        presented_number_format(&num, &p.presented_number);
        json_object_set_new(pres, "date", json_string(fmt_date(req, p.presented_at)));
        json_object_set_new(pres, "iso", json_string(fmt_iso_date(req, p.presented_at)));
        json_object_set_new(pres, "number", json_string(num.buf));
        if (p.has_presenting_member)
            json_object_set_new(
                pres, "presenter",
                json_string(arena_printf(req->arena, "%s (%s)",
                                         member_name(req, &p.presenting_member),
                                         site_tr(req, p.presenting_member.constituency))));
        if (p.committee[req->lang])
            json_object_set_new(pres, "committee", json_string(site_tr(req, p.committee)));
        json_object_set_new(ctx, "presented", pres);
    }
    if (p.state == PETITION_PRESENTED) {
        /* The response deadline (rulebook 11.12), and overdue past it. */
        struct civil_date due;
        struct err e2 = ERR_INIT;
        if (house_response_due(&site->flow, req->arena, p.presented_at, &due, &e2) == 0) {
            int64_t due_at = eastern_to_utc(due.year, due.month, due.day, 12, 0, 0);
            struct civil_time now;
            eastern_from_utc(clock_now(&site->clock), &now);
            struct civil_date today = {now.year, now.month, now.day};
            json_object_set_new(ctx, "due", json_string(fmt_date(req, due_at)));
            json_object_set_new(ctx, "due_iso", json_string(fmt_iso_date(req, due_at)));
            if (response_overdue(due, today, false))
                json_object_set_new(ctx, "overdue_committee",
                                    json_string(p.committee[req->lang] ? site_tr(req, p.committee)
                                                                       : ""));
        }
    }
    if (p.has_response) {
        json_object_set_new(ctx, "tabled", json_string(fmt_date(req, p.response.tabled_at)));
        json_object_set_new(ctx, "tabled_iso",
                            json_string(fmt_iso_date(req, p.response.tabled_at)));
    }
    if (p.has_authorizing_member) {
        json_object_set_new(ctx, "member", member_block(req, &p.authorizing_member));
        json_object_set_new(ctx, "member_role",
                            json_string(msg(req, "petition.member_authorized")));
    } else if (p.kind == PETITION_PAPER && p.has_presenting_member) {
        json_object_set_new(ctx, "member", member_block(req, &p.presenting_member));
        json_object_set_new(ctx, "member_role", json_string(msg(req, "petition.member_presented")));
    }

    json_t *kws = json_array();
    for (int i = 0; i < p.keyword_count; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(site_tr(req, p.keywords[i].name)));
        json_object_set_new(o, "url", json_string(keyword_url(req, p.keywords[i].slug)));
        json_array_append_new(kws, o);
    }
    json_object_set_new(ctx, "keywords", kws);
    json_object_set_new(ctx, "has_keywords", json_boolean(p.keyword_count > 0));
    if (p.subject.id) {
        json_object_set_new(ctx, "subject", json_string(site_tr(req, p.subject.name)));
        json_object_set_new(ctx, "subject_url", json_string(subject_url(req, p.subject.code)));
    }
    json_object_set_new(ctx, "signatures", json_string(format_count(req, p.signature_total)));
    if (p.kind == PETITION_ELECTRONIC)
        json_object_set_new(ctx, "regions", counts_table(req, &p));
    /* The bars beside the regions table, the line of the days (chart_pages.h). */
    int rc = chart_pages_petition(req, &p, ctx, e);
    if (rc) {
        json_decref(ctx);
        return rc;
    }
    json_object_set_new(ctx, "count_url",
                        json_string(arena_printf(req->arena, "/api/v1/petitions/%s/count",
                                                 petition_number_text(req, &p))));
    /* While it takes signatures (or confirmations), counts move: short caching. */
    int64_t now = clock_now(&site->clock);
    int grace = petition_grace_hours(p.grace_hours, &site->rules);
    if (signature_confirmable(p.state, p.closes_at, grace, now)) {
        site_cache_control(req, status == 200 ? SITE_AGE_LIVE : 0);
        /* static/count.js keeps the counts shown up to date. */
        json_object_set_new(ctx, "live_count", json_boolean(p.kind == PETITION_ELECTRONIC));
    }
    if (petition_signable(p.state, p.closes_at, now))
        json_object_set_new(ctx, "sign", sign_form(req, &p, fe));
    else if (p.state == PETITION_WAITING_FOR_CERTIFICATION &&
             now < closing_grace_end(p.closes_at, grace))
        json_object_set_new(ctx, "grace_until",
                            json_string(fmt_datetime(req, closing_grace_end(p.closes_at, grace))));
    if (p.certified_at && p.kind == PETITION_ELECTRONIC)
        json_object_set_new(ctx, "certificate_url",
                            json_string(arena_printf(req->arena, "%s/certificate",
                                                     petition_path(req, &p))));
    return site_render(req, status, "petition", ctx, e);
}

/* ---- keywords and subjects -------------------------------------------------------------------
 *
 * A keyword's page and a subject's list the petitions filed under it,
 * newest first, page by page, with their number and the number with a
 * government response; then the responses themselves, the link to the
 * list page with the same filter, and the same list as open data.
 */

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
        json_object_set_new(o, "url", json_string(petition_path(req, p)));
        json_object_set_new(o, "title", json_string(petition_title(req, p)));
        /* Answered meanwhile and read back without it: its state's date. */
        int64_t at = full.has_response ? full.response.tabled_at : p->state_changed_at;
        if (full.has_response)
            json_object_set_new(
                o, "by",
                json_string(site_msg_with(req, "petition.response_by",
                                          site_tr(req, full.response.ministry.title))));
        json_object_set_new(o, "tabled", json_string(fmt_date(req, at)));
        json_object_set_new(o, "tabled_iso", json_string(fmt_iso_date(req, at)));
        json_array_append_new(items, o);
    }
    json_t *o = json_object();
    json_object_set_new(o, "total", json_string(format_count(req, list.total)));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "has_items", json_boolean(list.count > 0));
    if (list.total > list.count) {
        json_object_set_new(o, "all_url", json_string(all_url));
        json_object_set_new(
            o, "all_text",
            json_string(site_msg_with(req, "responses.all", format_count(req, list.total))));
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
static int
filed_under(struct request *req, struct petition_query *q, long long page, const char *filter,
            const char *value, const char *title, const char *base, json_t **out, struct err *e)
{
    struct store *s = ((const struct site *)req->app)->store;
    struct petition_list list;
    json_t *responses;
    int r;

    q->public_only = true;
    q->sort = SORT_RECENT;
    q->limit = PAGE_SIZE;
    q->offset = (int)((page - 1) * PAGE_SIZE);
    const char *qs = query_string(req, &filter, &value, 1);
    const char *list_url = arena_printf(req->arena, "/%s/petitions?%s", lang_code(req->lang), qs);
    if ((r = s->ops->petition_list(s, req->arena, q, &list, e)) ||
        (r = responses_section(req, q, arena_printf(req->arena, "%s&responded=true", list_url),
                               &responses, e)))
        return r;
    json_t *ctx = site_page(req, title);
    set_petitions(ctx, req, &list);
    json_object_set_new(ctx, "total", json_string(format_count(req, list.total)));
    json_object_set_new(ctx, "responses", responses);
    json_object_set_new(ctx, "list_url", json_string(list_url));
    json_object_set_new(ctx, "pagination", pagination(req, base, page, list.total));
    set_downloads(ctx, req, qs);
    site_cache_control(req, list_max_age(req, &list));
    *out = ctx;
    return 0;
}

/* The ?page= of a keyword's or subject's page, 1 when absent. */
static int
read_page(struct request *req, long long *page, struct err *e)
{
    const char *v = req_query(req, "page");
    *page = 1;
    if (v && parse_llz(v, 1, MAX_PAGE, page, NULL))
        return bad_param(e, "error.bad_page", "page");
    return 0;
}

int
page_keywords(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct keyword *keywords;
    int n, r;
    if ((r = site->store->ops->keyword_list(site->store, req->arena, &keywords, &n, e)))
        return r;
    json_t *ctx = site_page(req, msg(req, "keywords.title"));
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        if (keywords[i].petitions == 0)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(site_tr(req, keywords[i].name)));
        json_object_set_new(o, "url", json_string(keyword_url(req, keywords[i].slug)));
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
        (r = read_page(req, &page, e)))
        return r;
    const char *name = site_tr(req, k.name);
    struct petition_query q = {.keyword_slug = k.slug};
    if ((r = filed_under(req, &q, page, "keyword", k.slug,
                         site_msg_with(req, "keyword.title", name), keyword_url(req, k.slug), &ctx,
                         e)))
        return r;
    feed_offer(req, ctx, FEED_KEYWORD, &k);
    json_object_set_new(ctx, "keyword", json_string(name));
    return site_render(req, 200, "keyword", ctx, e);
}

/* Every subject, each with its number of public petitions; those without
 * any are listed too (the House's subjects are few and fixed), unlinked. */
int
page_subjects(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct subject *subjects;
    int n, r;
    if ((r = site->store->ops->subject_list(site->store, req->arena, &subjects, &n, e)))
        return r;
    json_t *ctx = site_page(req, msg(req, "subjects.title"));
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(site_tr(req, subjects[i].name)));
        if (subjects[i].petitions > 0)
            json_object_set_new(o, "url", json_string(subject_url(req, subjects[i].code)));
        json_object_set_new(o, "count", json_string(format_count(req, subjects[i].petitions)));
        json_array_append_new(list, o);
    }
    json_object_set_new(ctx, "subjects", list);
    return site_render(req, 200, "subjects", ctx, e);
}

int
page_subject(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct subject sub;
    long long page;
    json_t *ctx;
    int r;

    if ((r = s->ops->subject_get(s, req->arena, req->captures[0], &sub, e)) ||
        (r = read_page(req, &page, e)))
        return r;
    const char *name = site_tr(req, sub.name);
    struct petition_query q = {.subject_code = sub.code};
    if ((r = filed_under(req, &q, page, "subject", sub.code,
                         site_msg_with(req, "subject.title", name), subject_url(req, sub.code),
                         &ctx, e)))
        return r;
    json_object_set_new(ctx, "subject", json_string(name));
    return site_render(req, 200, "subject", ctx, e);
}
