/*
 * feeds.c: the Atom feeds; see feeds.h.  Their addresses and titles are
 * site/feed_links.h's, which the HTML pages offering them share.
 *
 * A handler reads its entries through the store (petition_feed: one
 * query, newest first), then writes the document with lib/xmlw.h
 * (libxml2's xmlTextWriter into memory), which is copied into the
 * request's arena.  Nothing here builds markup by hand: element and
 * attribute values go through the writer, which drops what XML 1.0
 * cannot carry at all and escapes & < > (and " in attributes).  A writer
 * failure (out of memory inside libxml2) is a 500.
 */
#include "api/feeds.h"

#include <string.h>

#include "core/eastern_time.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/xmlw.h"
#include "site/feed_links.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "lib/banned.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define ATOM_TYPE "application/atom+xml; charset=utf-8"

enum { TITLE_WORDS = 12 };

/* ---- text ------------------------------------------------------------------------------------ */

static const char *
msg(struct request *req, const char *key)
{
    return site_msg(req->app, req->lang, key);
}

/* The first n words of text on one line, with "…" when there were more. */
static const char *
first_words(struct request *req, const char *text, int n)
{
    struct strbuf sb;
    const char *p = text ? text : "";
    int words = 0;
    sb_init(&sb, req->arena);
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        if (words == n) {
            sb_adds(&sb, "…");
            break;
        }
        size_t w = strcspn(p, " \n\t\r");
        if (words++)
            sb_addch(&sb, ' ');
        sb_add(&sb, p, w);
        p += w;
    }
    return sb.buf;
}

/* The first paragraph of text (paragraphs are separated by blank lines). */
static const char *
first_paragraph(struct request *req, const char *text)
{
    const char *p = text ? text : "";
    while (*p == '\n' || *p == ' ')
        p++;
    const char *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' '))
        n--;
    return arena_strndup(req->arena, p, n);
}

/* "e-2829 — Foreign affairs", or the number and the prayer's first words
 * for a petition without a subject. */
static const char *
entry_title(struct request *req, const struct petition *p)
{
    const char *number = public_petition_number(req, p);
    const char *what = p->subject.id ? site_tr(req, p->subject.name)
                                     : first_words(req, site_tr(req, p->prayer), TITLE_WORDS);
    return arena_printf(req->arena, "%s — %s", number, what);
}

/* ---- which feed ------------------------------------------------------------------------------ */

/* The HTML page a feed follows. */
static const char *
feed_html_path(struct request *req, enum feed_kind kind, const char *slug)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_addf(&sb, "/%s/", lang_code(req->lang));
    switch (kind) {
    case FEED_OPENED:
        sb_adds(&sb, "petitions?status=open");
        break;
    case FEED_RESPONSES:
        sb_adds(&sb, "petitions?status=response-tabled");
        break;
    case FEED_KEYWORD:
        sb_adds(&sb, "keywords/");
        url_encode(&sb, slug, strlen(slug));
        break;
    }
    return sb.buf;
}

/* ---- Atom elements --------------------------------------------------------------------------- */

/* <name>2020-12-09T05:00:00Z</name> (RFC 3339, UTC). */
static void
atom_time(struct xmlw *x, const char *name, int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, x->a);
    utc_format_iso(&sb, t);
    xmlw_text(x, name, sb.buf);
}

/* <link rel= type= hreflang= href=/>; hreflang may be NULL. */
static void
atom_link(struct xmlw *x, const char *rel, const char *type, const char *hreflang, const char *href)
{
    xmlw_start(x, "link");
    xmlw_attr(x, "rel", rel);
    xmlw_attr(x, "type", type);
    if (hreflang)
        xmlw_attr(x, "hreflang", hreflang);
    xmlw_attr(x, "href", href);
    xmlw_end(x);
}

static void
atom_author(struct xmlw *x, const char *name, const char *uri)
{
    xmlw_start(x, "author");
    xmlw_text(x, "name", name);
    if (uri)
        xmlw_text(x, "uri", uri);
    xmlw_end(x);
}

/* ---- entries --------------------------------------------------------------------------------- */

/* When an entry was published and last updated, by the feed's kind. */
static void
entry_times(const struct petition *p, enum feed_kind kind, int64_t *published, int64_t *updated)
{
    switch (kind) {
    case FEED_OPENED:
        *published = *updated = p->opened_at;
        break;
    case FEED_RESPONSES:
        *published = *updated = p->response.tabled_at;
        break;
    case FEED_KEYWORD:
    default:
        /* The petition itself: out since it opened (a paper petition:
         * since it was presented), updated at each change of state. */
        *published = p->opened_at      ? p->opened_at
                     : p->presented_at ? p->presented_at
                                       : p->created_at;
        *updated = p->state_changed_at > *published ? p->state_changed_at : *published;
        break;
    }
}

static void
write_entry(struct request *req, struct xmlw *x, enum feed_kind kind, const struct petition *p)
{
    const char *base = site_base_url(req);
    const char *page = arena_printf(req->arena, "%s%s", base, public_petition_path(req, p));
    int64_t published, updated;

    entry_times(p, kind, &published, &updated);
    xmlw_start(x, "entry");
    switch (kind) {
    case FEED_OPENED:
        xmlw_text(x, "id", arena_printf(req->arena, "%s#opened", page));
        xmlw_text(x, "title", entry_title(req, p));
        break;
    case FEED_RESPONSES:
        xmlw_text(x, "id", arena_printf(req->arena, "%s#response", page));
        xmlw_text(x, "title", site_msg_with(req, "feed.response_entry", entry_title(req, p)));
        break;
    case FEED_KEYWORD:
        xmlw_text(x, "id", page);
        xmlw_text(x, "title", entry_title(req, p));
        break;
    }
    atom_time(x, "published", published);
    atom_time(x, "updated", updated);
    atom_link(x, "alternate", "text/html", NULL, page);
    if (kind == FEED_RESPONSES)
        atom_author(x, site_tr(req, p->response.ministry.title), NULL);
    const char *scheme = arena_printf(req->arena, "%s/%s/keywords/", base, lang_code(req->lang));
    for (int i = 0; i < p->keyword_count; i++) {
        xmlw_start(x, "category");
        xmlw_attr(x, "term", p->keywords[i].slug);
        xmlw_attr(x, "scheme", scheme);
        xmlw_attr(x, "label", site_tr(req, p->keywords[i].name));
        xmlw_end(x);
    }
    if (kind == FEED_RESPONSES)
        xmlw_text(x, "summary", first_paragraph(req, site_tr(req, p->response.text)));
    else
        xmlw_text(x, "summary", site_tr(req, p->prayer));
    xmlw_end(x);
}

/* ---- the feed -------------------------------------------------------------------------------- */

/* Write the feed of kind (k for FEED_KEYWORD) with the entries of list,
 * and answer with it. */
static int
feed_answer(struct request *req, enum feed_kind kind, const struct keyword *k,
            const struct petition_list *list, struct err *e)
{
    const struct site *site = req->app;
    const char *slug = k ? k->slug : NULL;
    const char *base = site_base_url(req);
    const char *self =
        arena_printf(req->arena, "%s%s", base, feed_links_path(req, req->lang, kind, slug));
    struct xmlw x;
    const char *body;
    size_t len;
    int r;

    /* The newest entry's time; an empty feed is as new as now. */
    int64_t updated = 0;
    for (int i = 0; i < list->count; i++) {
        int64_t pub, upd;
        entry_times(&list->items[i], kind, &pub, &upd);
        if (upd > updated)
            updated = upd;
    }
    if (!list->count)
        updated = clock_now(&site->clock);

    xmlw_open(&x, req->arena);
    xmlw_start_ns(&x, "feed", ATOM_NS);
    xmlw_attr(&x, "xml:lang", lang_code(req->lang));
    xmlw_text(&x, "title", feed_links_title(req, kind, k));
    xmlw_text(&x, "id", self);
    atom_time(&x, "updated", updated);
    atom_link(&x, "self", "application/atom+xml", NULL, self);
    atom_link(&x, "alternate", "text/html", NULL,
              arena_printf(req->arena, "%s%s", base, feed_html_path(req, kind, slug)));
    enum lang other = lang_other(req->lang);
    atom_link(&x, "alternate", "application/atom+xml", lang_code(other),
              arena_printf(req->arena, "%s%s", base, feed_links_path(req, other, kind, slug)));
    atom_author(&x, msg(req, "site.house"),
                arena_printf(req->arena, "%s/%s", base, lang_code(req->lang)));
    for (int i = 0; i < list->count; i++)
        write_entry(req, &x, kind, &list->items[i]);
    r = xmlw_finish(&x, req->arena, &body, &len, e);
    xmlw_release(&x);
    if (r)
        return r;
    site_cache_control(req, 300);
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_header(req, "Content-Language", lang_code(req->lang));
    resp_body(req, 200, ATOM_TYPE, body, len);
    return 0;
}

static int
feed_of(struct request *req, enum feed_kind kind, const struct keyword *k, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct feed_query q = {.kind = kind, .keyword_slug = k ? k->slug : NULL, .limit = FEED_ENTRIES};
    struct petition_list list;
    int r;

    if ((r = s->ops->petition_feed(s, req->arena, &q, &list, e)))
        return r;
    return feed_answer(req, kind, k, &list, e);
}

int
page_feed_opened(struct request *req, struct err *e)
{
    return feed_of(req, FEED_OPENED, NULL, e);
}

int
page_feed_responses(struct request *req, struct err *e)
{
    return feed_of(req, FEED_RESPONSES, NULL, e);
}

int
page_feed_keyword(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    const char *name = req->captures[0];
    size_t n = strlen(name);
    struct keyword k;
    int r;

    /* The route matches the whole segment "belarus.atom". */
    if (n <= 5 || strcmp(name + n - 5, ".atom") != 0)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "not a feed name");
    if ((r = s->ops->keyword_get(s, req->arena, arena_strndup(req->arena, name, n - 5), &k, e)))
        return r;
    return feed_of(req, FEED_KEYWORD, &k, e);
}
