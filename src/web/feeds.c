/*
 * feeds.c: the Atom feeds; see feeds.h.
 *
 * A handler reads its entries through the store (petition_feed: one
 * query, newest first), then writes the document with libxml2's
 * xmlTextWriter into a memory buffer, which is copied into the request's
 * arena.  Nothing here builds markup by hand: element and attribute
 * values go through the writer, which escapes & < > (and " in
 * attributes), after xml_clean() has removed what XML 1.0 cannot carry
 * at all.  A writer failure (out of memory inside libxml2) is a 500; the
 * writer's calls are checked through a sticky flag (struct atom), as a
 * strbuf's are.
 */
#include "web/feeds.h"

#include <libxml/xmlwriter.h>
#include <pthread.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "web/pages.h"
#include "web/site.h"
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

/*
 * text as XML 1.0 can carry it: C0 controls other than tab, LF and CR, and
 * U+FFFE and U+FFFF, are dropped (no character reference can stand for
 * them); a malformed UTF-8 byte becomes U+FFFD.  Markup characters are
 * left for the writer to escape.  NULL reads as "".
 */
static const char *
xml_clean(struct request *req, const char *text)
{
    size_t len = text ? strlen(text) : 0;
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(text + i, len - i, &cp);
        if (n == 0) {
            sb_adds(&sb, "\xef\xbf\xbd");
            i++;
            continue;
        }
        bool allowed =
            cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF : cp == '\t' || cp == '\n' || cp == '\r';
        if (allowed)
            sb_add(&sb, text + i, n);
        i += n;
    }
    return sb.buf;
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
    const char *number = petition_number_text(req, p);
    const char *what = p->subject.id ? site_tr(req, p->subject.name)
                                     : first_words(req, site_tr(req, p->prayer), TITLE_WORDS);
    return arena_printf(req->arena, "%s — %s", number, what);
}

static const char *
iso_time(struct request *req, int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    utc_format_iso(&sb, t);
    return sb.buf;
}

/* The site's address without a trailing slash: "https://petitions.example". */
static const char *
base_url(struct request *req)
{
    const struct site *site = req->app;
    const char *b = site->base_url ? site->base_url : "";
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == '/')
        n--;
    return arena_strndup(req->arena, b, n);
}

/* ---- which feed ------------------------------------------------------------------------------ */

/* "/en/feeds/opened.atom", "/fr/feeds/keywords/belarus.atom". */
static const char *
feed_path(struct request *req, enum lang lang, enum feed_kind kind, const char *slug)
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

static const char *
feed_title(struct request *req, enum feed_kind kind, const struct keyword *k)
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
feed_offer(struct request *req, json_t *ctx, enum feed_kind kind, const struct keyword *k)
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
    json_object_set_new(o, "url", json_string(feed_path(req, req->lang, kind, k ? k->slug : NULL)));
    json_object_set_new(o, "title", json_string(feed_title(req, kind, k)));
    json_object_set_new(o, "label", json_string(label));
    json_array_append_new(list, o);
}

/* ---- the writer ------------------------------------------------------------------------------ */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 sets up its globals once, before threads use it. */
static void
xml_init(void)
{
    xmlInitParser();
}

/* An Atom document being written: the writer, its buffer and a sticky
 * failure (once set, later calls do nothing). */
struct atom {
    struct request *req;
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    bool failed;
};

static void
atom_check(struct atom *x, int rc)
{
    if (rc < 0)
        x->failed = true;
}

static void
atom_start(struct atom *x, const char *name)
{
    if (!x->failed)
        atom_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
atom_end(struct atom *x)
{
    if (!x->failed)
        atom_check(x, xmlTextWriterEndElement(x->w));
}

static void
atom_attr(struct atom *x, const char *name, const char *value)
{
    if (!x->failed)
        atom_check(
            x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST xml_clean(x->req, value)));
}

/* <name>text</name>, text escaped by the writer. */
static void
atom_text(struct atom *x, const char *name, const char *text)
{
    if (!x->failed)
        atom_check(
            x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST xml_clean(x->req, text)));
}

static void
atom_time(struct atom *x, const char *name, int64_t t)
{
    atom_text(x, name, iso_time(x->req, t));
}

/* <link rel= type= hreflang= href=/>; hreflang may be NULL. */
static void
atom_link(struct atom *x, const char *rel, const char *type, const char *hreflang, const char *href)
{
    atom_start(x, "link");
    atom_attr(x, "rel", rel);
    atom_attr(x, "type", type);
    if (hreflang)
        atom_attr(x, "hreflang", hreflang);
    atom_attr(x, "href", href);
    atom_end(x);
}

static void
atom_author(struct atom *x, const char *name, const char *uri)
{
    atom_start(x, "author");
    atom_text(x, "name", name);
    if (uri)
        atom_text(x, "uri", uri);
    atom_end(x);
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
write_entry(struct atom *x, enum feed_kind kind, const struct petition *p)
{
    struct request *req = x->req;
    const char *base = base_url(req);
    const char *page = arena_printf(req->arena, "%s%s", base, petition_path(req, p));
    int64_t published, updated;

    entry_times(p, kind, &published, &updated);
    atom_start(x, "entry");
    switch (kind) {
    case FEED_OPENED:
        atom_text(x, "id", arena_printf(req->arena, "%s#opened", page));
        atom_text(x, "title", entry_title(req, p));
        break;
    case FEED_RESPONSES:
        atom_text(x, "id", arena_printf(req->arena, "%s#response", page));
        atom_text(x, "title", site_msg_with(req, "feed.response_entry", entry_title(req, p)));
        break;
    case FEED_KEYWORD:
        atom_text(x, "id", page);
        atom_text(x, "title", entry_title(req, p));
        break;
    }
    atom_time(x, "published", published);
    atom_time(x, "updated", updated);
    atom_link(x, "alternate", "text/html", NULL, page);
    if (kind == FEED_RESPONSES)
        atom_author(x, site_tr(req, p->response.ministry.title), NULL);
    const char *scheme = arena_printf(req->arena, "%s/%s/keywords/", base, lang_code(req->lang));
    for (int i = 0; i < p->keyword_count; i++) {
        atom_start(x, "category");
        atom_attr(x, "term", p->keywords[i].slug);
        atom_attr(x, "scheme", scheme);
        atom_attr(x, "label", site_tr(req, p->keywords[i].name));
        atom_end(x);
    }
    if (kind == FEED_RESPONSES)
        atom_text(x, "summary", first_paragraph(req, site_tr(req, p->response.text)));
    else
        atom_text(x, "summary", site_tr(req, p->prayer));
    atom_end(x);
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
    const char *base = base_url(req);
    const char *self =
        arena_printf(req->arena, "%s%s", base, feed_path(req, req->lang, kind, slug));
    struct atom x = {.req = req};
    int r = ERR_INTERNAL;

    pthread_once(&xml_once, xml_init);
    if (!(x.buf = xmlBufferCreate()) || !(x.w = xmlNewTextWriterMemory(x.buf, 0)))
        die_oom();

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

    atom_check(&x, xmlTextWriterSetIndent(x.w, 1));
    atom_check(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
    if (!x.failed)
        atom_check(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
    if (!x.failed)
        atom_check(&x, xmlTextWriterStartElementNS(x.w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS));
    atom_attr(&x, "xml:lang", lang_code(req->lang));
    atom_text(&x, "title", feed_title(req, kind, k));
    atom_text(&x, "id", self);
    atom_time(&x, "updated", updated);
    atom_link(&x, "self", "application/atom+xml", NULL, self);
    atom_link(&x, "alternate", "text/html", NULL,
              arena_printf(req->arena, "%s%s", base, feed_html_path(req, kind, slug)));
    enum lang other = lang_other(req->lang);
    atom_link(&x, "alternate", "application/atom+xml", lang_code(other),
              arena_printf(req->arena, "%s%s", base, feed_path(req, other, kind, slug)));
    atom_author(&x, msg(req, "site.house"),
                arena_printf(req->arena, "%s/%s", base, lang_code(req->lang)));
    for (int i = 0; i < list->count; i++)
        write_entry(&x, kind, &list->items[i]);
    if (!x.failed)
        atom_check(&x, xmlTextWriterEndDocument(x.w));
    /* Freeing the writer flushes it into the buffer. */
    xmlFreeTextWriter(x.w);
    x.w = NULL;
    if (x.failed) {
        r = err_set(e, ERR_INTERNAL, "error.internal", NULL, "atom writer failed");
        goto out;
    }
    size_t len = (size_t)xmlBufferLength(x.buf);
    const char *body = arena_strndup(req->arena, (const char *)xmlBufferContent(x.buf), len);
    site_cache_control(req, 300);
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_header(req, "Content-Language", lang_code(req->lang));
    resp_body(req, 200, ATOM_TYPE, body, len);
    r = 0;
out:
    xmlBufferFree(x.buf);
    return r;
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
