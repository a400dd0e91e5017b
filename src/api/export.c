/*
 * export.c: the CSV and XML exports of the open data; see export.h.
 *
 * A list export reads the petitions the filters match a page of
 * EXPORT_PAGE at a time (petition_list, by offset, in the list's order),
 * then each one in full (petition_get: keywords, grievances, response),
 * and writes it at once.  Each page and each petition get an arena of
 * their own, freed as soon as the petition is written, so memory holds
 * the output and one petition, not the whole register.  The store has no
 * snapshot across calls: a petition that changes state while an export
 * runs moves in the order, so a number already written is skipped if it
 * comes again (the XML schema requires each number once), and one that
 * moves ahead of the reading is missed; the next export has it.
 *
 * The XML is written by libxml2's xmlTextWriter into a memory buffer,
 * copied into the request's arena at the end, as feeds.c does.  Every
 * text goes through xml_clean_text() first and the writer escapes & < > (and
 * " in attributes); a writer failure (out of memory inside libxml2) is
 * sticky (struct xw) and answered as a 500.
 */
#include "api/export.h"

#include <libxml/xmlwriter.h>
#include <pthread.h>
#include <string.h>

#include "api/query.h"
#include "core/eastern_time.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/csv.h"
#include "lib/die.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "web/site.h"
#include "lib/banned.h"

#define XSD_PATH "data/schema/petitions.xsd"
#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

enum { EXPORT_PAGE = 100 };

/* ---- reading every match --------------------------------------------------------------------- */

/* What to do with each petition: write it, with a (the petition's arena). */
typedef int (*export_fn)(void *ctx, struct arena *a, const struct petition *p, struct err *e);

/* Whether id is among the n in seen. */
static bool
seen_before(const int64_t *seen, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (seen[i] == id)
            return true;
    return false;
}

/*
 * Call fn(ctx, a, p, e) for every public petition that l's filters match,
 * in the list's order, each read in full from an arena a freed after the
 * call.  A petition removed or made private since the list was read is
 * left out.  Returns 0, the store's error, or fn's.
 */
static int
export_each(struct request *req, struct api_list *l, export_fn fn, void *ctx, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct arena *page = NULL, *one = NULL;
    struct petition_list list;
    int64_t *seen = NULL;
    int nseen = 0, cap = 0, r = 0;

    l->q.limit = EXPORT_PAGE;
    for (l->q.offset = 0;; l->q.offset += EXPORT_PAGE) {
        page = arena_new();
        if ((r = s->ops->petition_list(s, page, &l->q, &list, e)))
            goto out;
        for (int i = 0; i < list.count; i++) {
            const struct petition *item = &list.items[i];
            struct petition_number n;
            struct petition p;
            if (seen_before(seen, nseen, item->id))
                continue;
            if (nseen == cap) {
                int more = cap ? cap * 2 : EXPORT_PAGE;
                seen = arena_realloc(req->arena, seen, (size_t)cap * sizeof(*seen),
                                     (size_t)more * sizeof(*seen));
                cap = more;
            }
            seen[nseen++] = item->id;
            one = arena_new();
            petition_number_of(item, &n);
            r = s->ops->petition_get(s, one, &n, &p, e);
            if (r == ERR_NOT_FOUND || (!r && !petition_state_is_public(p.state)))
                r = 0; /* gone since the list was read */
            else if (!r)
                r = fn(ctx, one, &p, e);
            arena_free(one);
            one = NULL;
            if (r)
                goto out;
        }
        arena_free(page);
        page = NULL;
        if (list.count < EXPORT_PAGE || l->q.offset + list.count >= list.total)
            break;
    }
out:
    arena_free(one);
    arena_free(page);
    return r;
}

/* ---- shared pieces --------------------------------------------------------------------------- */

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

static const char *
number_text(struct arena *a, const struct petition *p)
{
    struct strbuf sb;
    sb_init(&sb, a);
    petition_number_format(&sb, p);
    return sb.buf;
}

/* A bilingual text in lang, else in the other language (as the site). */
static const char *
tr(const char *const text[LANG_COUNT], enum lang lang)
{
    return text[lang] ? text[lang] : text[lang_other(lang)];
}

/* The common headers of an export: cacheable, readable from any origin. */
static void
export_headers(struct request *req, int max_age)
{
    site_cache_control(req, max_age);
    resp_header(req, "Access-Control-Allow-Origin", "*");
    resp_header(req, "X-Content-Type-Options", "nosniff");
}

/* ---- CSV ------------------------------------------------------------------------------------- */

static const char *const csv_columns[] = {
    "number",
    "type",
    "status",
    "status_date",
    "parliament",
    "session",
    "subject_en",
    "subject_fr",
    "keywords_en",
    "keywords_fr",
    "petitioner",
    "petitioner_province",
    "authorizing_member",
    "opened_at",
    "closes_at",
    "certified_at",
    "presented_at",
    "presented_number",
    "response_tabled_at",
    "signatures",
    "url",
    NULL,
};

struct csv_export {
    struct strbuf *out;
    const char *base; /* base_url() */
};

/* A time as the JSON API writes it (ISO 8601 UTC); 0 = an empty cell. */
static void
csv_time(struct strbuf *out, struct arena *a, int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, a);
    if (t)
        utc_format_iso(&sb, t);
    csv_cell(out, sb.buf, sb.len);
}

/* The keywords' names in lang, "; " between them. */
static const char *
keyword_names(struct arena *a, const struct petition *p, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, a);
    for (int i = 0; i < p->keyword_count; i++) {
        if (i)
            sb_adds(&sb, "; ");
        const char *name = tr(p->keywords[i].name, lang);
        sb_adds(&sb, name ? name : "");
    }
    return sb.buf;
}

static int
csv_row(void *ctx, struct arena *a, const struct petition *p, struct err *e)
{
    struct csv_export *x = ctx;
    struct strbuf *out = x->out;
    const char *number = number_text(a, p);
    bool electronic = p->kind == PETITION_ELECTRONIC;
    struct strbuf sb;
    (void)e;

    csv_cells(out, number);
    csv_cells(out, petition_kind_name(p->kind));
    csv_cells(out, petition_state_slug(p->state));
    sb_init(&sb, a);
    if (p->state_changed_at)
        eastern_format_iso_date(&sb, p->state_changed_at);
    csv_cell(out, sb.buf, sb.len);
    csv_number(out, p->parliament);
    csv_cells(out, arena_printf(a, "%d-%d", p->parliament, p->session));
    csv_cells(out, p->subject.id ? p->subject.name[LANG_EN] : NULL);
    csv_cells(out, p->subject.id ? p->subject.name[LANG_FR] : NULL);
    csv_cells(out, keyword_names(a, p, LANG_EN));
    csv_cells(out, keyword_names(a, p, LANG_FR));
    csv_cells(out, electronic ? p->petitioner_name : NULL);
    csv_cells(out, electronic && p->petitioner_name ? region_code(p->petitioner_province) : NULL);
    csv_cells(out, p->has_authorizing_member
                       ? arena_printf(a, "%s %s", p->authorizing_member.first_name,
                                      p->authorizing_member.last_name)
                       : NULL);
    csv_time(out, a, p->opened_at);
    csv_time(out, a, p->closes_at);
    csv_time(out, a, p->certified_at);
    csv_time(out, a, p->presented_at);
    sb_init(&sb, a);
    if (p->has_presented_number)
        presented_number_format(&sb, &p->presented_number);
    csv_cell(out, sb.buf, sb.len);
    csv_time(out, a, p->has_response ? p->response.tabled_at : 0);
    csv_number(out, p->signature_total);
    csv_cells(out, arena_printf(a, "%s/en/petitions/%s", x->base, number));
    csv_end_row(out);
    return 0;
}

int
export_csv(struct request *req, struct err *e)
{
    struct api_list l;
    struct strbuf out;
    struct csv_export x = {.out = &out, .base = base_url(req)};
    int r;

    if ((r = api_list_read(req, false, &l, e)))
        return r;
    sb_init(&out, req->arena);
    sb_adds(&out, CSV_BOM);
    for (int i = 0; csv_columns[i]; i++)
        csv_cells(&out, csv_columns[i]);
    csv_end_row(&out);
    if ((r = export_each(req, &l, csv_row, &x, e)))
        return r;
    if (sb_failed(&out))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "csv export failed");
    export_headers(req, SITE_AGE_PAGE);
    resp_header(req, "Content-Disposition", "attachment; filename=\"petitions.csv\"");
    resp_body(req, 200, "text/csv; charset=utf-8", out.buf, out.len);
    return 0;
}

/* ---- the XML writer -------------------------------------------------------------------------- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 sets up its globals once, before threads use it. */
static void
xml_init(void)
{
    xmlInitParser();
}

/* A document being written: the writer, the arena for cleaned copies of
 * texts (the current petition's), the language of the texts, and a
 * sticky failure (once set, later calls do nothing). */
struct xw {
    xmlTextWriterPtr w;
    struct arena *a;
    enum lang lang;
    const char *base; /* base_url() */
    bool failed;
};

static void
xw_check(struct xw *x, int rc)
{
    if (rc < 0)
        x->failed = true;
}

/* text as XML can carry it (NULL reads as ""). */
static const char *
xw_clean(struct xw *x, const char *text)
{
    struct strbuf sb;
    sb_init(&sb, x->a);
    if (text)
        xml_clean_text(&sb, text, strlen(text));
    return sb.buf;
}

static void
xw_start(struct xw *x, const char *name)
{
    if (!x->failed)
        xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
xw_end(struct xw *x)
{
    if (!x->failed)
        xw_check(x, xmlTextWriterEndElement(x->w));
}

static void
xw_attr(struct xw *x, const char *name, const char *value)
{
    if (!x->failed)
        xw_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST xw_clean(x, value)));
}

static void
xw_attr_number(struct xw *x, const char *name, long long n)
{
    xw_attr(x, name, arena_printf(x->a, "%lld", n));
}

/* <name>text</name>; NULL is an empty element. */
static void
xw_text(struct xw *x, const char *name, const char *text)
{
    if (!x->failed)
        xw_check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST xw_clean(x, text)));
}

/* <name>text</name> only when text is not empty once cleaned. */
static void
xw_text_opt(struct xw *x, const char *name, const char *text)
{
    const char *clean = xw_clean(x, text);
    if (clean[0] && !x->failed)
        xw_check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST clean));
}

/* <name>2020-09-15T09:30:00</name> (Eastern), absent when t is 0. */
static void
xw_time(struct xw *x, const char *name, int64_t t)
{
    struct strbuf sb;
    if (!t)
        return;
    sb_init(&sb, x->a);
    eastern_format_iso_local(&sb, t);
    xw_text(x, name, sb.buf);
}

/* One <name> per piece of text between separators sep, so that the
 * pieces joined with sep give the text back (NULL or "": one empty
 * element). */
static void
xw_pieces(struct xw *x, const char *name, const char *text, const char *sep)
{
    const char *p = xw_clean(x, text);
    size_t seplen = strlen(sep);
    for (;;) {
        const char *end = strstr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        xw_text(x, name, arena_strndup(x->a, p, n));
        if (!end)
            break;
        p = end + seplen;
    }
}

/* ---- a petition in XML ----------------------------------------------------------------------- */

static void
write_member(struct xw *x, const char *element, const struct member *m)
{
    xw_start(x, element);
    xw_text_opt(x, "ShortHonorific", m->honorific);
    xw_text(x, "FirstName", m->first_name);
    xw_text(x, "LastName", m->last_name);
    xw_text(x, "Constituency", tr(m->constituency, x->lang));
    xw_text(x, "Caucus", tr(m->caucus, x->lang));
    xw_text(x, "ProvinceCode", region_code(m->province));
    xw_end(x);
}

/* The Petition element, in the order of data/schema/petitions.xsd. */
static int
write_petition(void *ctx, struct arena *a, const struct petition *p, struct err *e)
{
    struct xw *x = ctx;
    enum lang lang = x->lang;
    const char *number = number_text(a, p);
    int house_code = petition_state_house_code(p->state);
    const struct member *sponsor = NULL;
    (void)e;

    x->a = a;
    if (p->has_authorizing_member)
        sponsor = &p->authorizing_member;
    else if (p->kind == PETITION_PAPER && p->has_presenting_member)
        sponsor = &p->presenting_member;

    xw_start(x, "Petition");
    if (p->subject.id && xw_clean(x, tr(p->subject.name, lang))[0])
        xw_attr(x, "Title", tr(p->subject.name, lang));
    xw_attr(x, "TypeId", petition_kind_name(p->kind));
    xw_attr(x, "Status", petition_state_slug(p->state));
    xw_attr_number(x, "ParliamentNumber", p->parliament);
    xw_attr_number(x, "Session", p->session);
    xw_attr_number(x, "SignatureCount", p->signature_total);
    xw_attr(x, "Url", arena_printf(a, "%s/%s/petitions/%s", x->base, lang_code(lang), number));

    xw_text(x, "PetitionNumber", number);
    if (house_code)
        xw_text(x, "StatusId", arena_printf(a, "%d", house_code));
    xw_text(x, "StatusName", petition_state_label(p->state, lang));
    xw_time(x, "StatusReachedDateTime", p->state_changed_at);
    if (p->subject.id) {
        xw_start(x, "Subject");
        xw_attr(x, "Code", p->subject.code);
        if (!x->failed)
            xw_check(
                x, xmlTextWriterWriteString(x->w, BAD_CAST xw_clean(x, tr(p->subject.name, lang))));
        xw_end(x);
    }
    if (p->kind == PETITION_ELECTRONIC && p->petitioner_name) {
        xw_start(x, "Petitioner");
        xw_text(x, "Name", p->petitioner_name);
        xw_text(x, "City", p->petitioner_city);
        xw_text(x, "ProvinceCode", region_code(p->petitioner_province));
        xw_end(x);
    }
    if (sponsor)
        write_member(x, "Sponsor", sponsor);
    xw_time(x, "SignatureOpeningDateTime", p->opened_at);
    xw_time(x, "SignatureClosingDateTime", p->closes_at);
    xw_time(x, "CertificationDateTime", p->certified_at);
    xw_time(x, "PresentedDateTime", p->presented_at);
    if (p->has_presented_number) {
        struct strbuf sb;
        sb_init(&sb, a);
        presented_number_format(&sb, &p->presented_number);
        xw_text(x, "PresentedNumber", sb.buf);
    }
    if (p->has_response)
        xw_time(x, "GovernmentResponseDateTime", p->response.tabled_at);
    if (p->kind == PETITION_ELECTRONIC) {
        for (int i = 0; i < REGION_COUNT; i++) {
            xw_start(x, "ProvinceSignatures");
            xw_attr(x, "Province", region_code((enum region)i));
            xw_attr_number(x, "SignatureCount", p->region_counts[i]);
            xw_end(x);
        }
    }
    xw_start(x, "Prayer");
    xw_start(x, "Grievances");
    for (int i = 0; i < p->grievance_count; i++)
        xw_text(x, "WhereAs", tr(p->grievances[i].text, lang));
    xw_end(x);
    xw_pieces(x, "Para", tr(p->prayer, lang), "\n");
    xw_end(x);
    if (p->has_response) {
        xw_start(x, "Response");
        xw_text(x, "Minister", tr(p->response.ministry.title, lang));
        xw_text(x, "SignedBy", p->response.signed_by);
        xw_pieces(x, "para", tr(p->response.text, lang), "\n\n");
        xw_end(x);
    }
    xw_start(x, "IndexTerms");
    for (int i = 0; i < p->keyword_count; i++) {
        xw_start(x, "Term");
        xw_attr(x, "Slug", p->keywords[i].slug);
        if (!x->failed)
            xw_check(x, xmlTextWriterWriteString(
                            x->w, BAD_CAST xw_clean(x, tr(p->keywords[i].name, lang))));
        xw_end(x);
    }
    xw_end(x);
    xw_end(x); /* Petition */
    return 0;
}

/* ---- XML documents --------------------------------------------------------------------------- */

/*
 * Answer with an ArrayOfPetition in lang: the petitions of l (every
 * match), or the one petition one when l is NULL.
 */
static int
xml_answer(struct request *req, enum lang lang, struct api_list *l, const struct petition *one,
           struct err *e)
{
    xmlBufferPtr buf;
    struct xw x = {.a = req->arena, .lang = lang, .base = base_url(req)};
    int r = ERR_INTERNAL;

    pthread_once(&xml_once, xml_init);
    if (!(buf = xmlBufferCreate()) || !(x.w = xmlNewTextWriterMemory(buf, 0)))
        die_oom();
    xw_check(&x, xmlTextWriterSetIndent(x.w, 1));
    xw_check(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
    if (!x.failed)
        xw_check(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
    xw_start(&x, "ArrayOfPetition");
    xw_attr(&x, "xmlns:xsi", XSI_NS);
    xw_attr(&x, "xsi:noNamespaceSchemaLocation",
            arena_printf(req->arena, "%s/api/v1/petitions.xsd", x.base));
    xw_attr(&x, "xml:lang", lang_code(lang));
    if (l)
        r = export_each(req, l, write_petition, &x, e);
    else
        r = write_petition(&x, req->arena, one, e);
    x.a = req->arena;
    if (r)
        goto out;
    xw_end(&x);
    if (!x.failed)
        xw_check(&x, xmlTextWriterEndDocument(x.w));
    /* Freeing the writer flushes it into the buffer. */
    xmlFreeTextWriter(x.w);
    x.w = NULL;
    if (x.failed) {
        r = err_set(e, ERR_INTERNAL, "error.internal", NULL, "xml writer failed");
        goto out;
    }
    size_t len = (size_t)xmlBufferLength(buf);
    const char *body = arena_strndup(req->arena, (const char *)xmlBufferContent(buf), len);
    export_headers(req, SITE_AGE_PAGE);
    resp_header(req, "Content-Language", lang_code(lang));
    resp_body(req, 200, "application/xml; charset=utf-8", body, len);
    r = 0;
out:
    if (x.w)
        xmlFreeTextWriter(x.w);
    xmlBufferFree(buf);
    return r;
}

int
export_xml(struct request *req, struct err *e)
{
    struct api_list l;
    enum lang lang;
    int r;
    if ((r = api_list_read_export(req, &l, &lang, e)))
        return r;
    return xml_answer(req, lang, &l, NULL, e);
}

bool
export_wants_xml(const struct request *req)
{
    const char *c = req->capture_count > 0 ? req->captures[0] : "";
    size_t n = strlen(c);
    return n > 4 && strcmp(c + n - 4, ".xml") == 0;
}

int
export_petition_xml(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    const char *arg = req->captures[0];
    size_t n = strlen(arg);
    struct petition_number num;
    struct petition p;
    enum lang lang;
    int r;

    if (n <= 4 || strcmp(arg + n - 4, ".xml") != 0)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "not an xml name");
    if ((r = api_lang_read(req, &lang, e)))
        return r;
    if (petition_number_parse(arg, n - 4, &num, NULL))
        return err_set(e, ERR_INVALID, "error.petition_number", "number", "bad number");
    if ((r = s->ops->petition_get(s, req->arena, &num, &p, e)))
        return r;
    if (p.state == PETITION_REMOVED)
        return err_set(e, ERR_GONE, "error.petition_removed", NULL, "removed");
    if (!petition_state_is_public(p.state))
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not public");
    return xml_answer(req, lang, NULL, &p, e);
}

/* ---- the schema ------------------------------------------------------------------------------ */

int
export_schema(struct request *req, struct err *e)
{
    static const char *const none[] = {NULL};
    const struct embedded_file *f = embed_find(XSD_PATH);
    const char *v = req_query_unknown(req, none);
    if (v)
        return err_set(e, ERR_INVALID, "error.unknown_parameter", v, "parameter %s", v);
    if (!f)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, XSD_PATH " not embedded");
    export_headers(req, SITE_AGE_STATIC);
    resp_body(req, 200, "application/xml; charset=utf-8", (const char *)f->data, f->len);
    return 0;
}
