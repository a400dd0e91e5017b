/*
 * export.c: the CSV and XML exports of the open data; see export.h.
 *
 * A list export reads the numbers of every petition the filters match in
 * one query, in the list's order (petition_numbers: sorting numbers only,
 * so the whole register costs one cheap sort, not a sort of full rows per
 * page), then each petition in full (petition_get: keywords, grievances,
 * response), and writes it at once.  Each petition gets an arena of its
 * own, freed as soon as it is written, so memory holds the output and one
 * petition, not the whole register.  Each number comes once; a petition
 * read after its state changed shows its new state (the numbers and the
 * petitions are not read in one snapshot), and one removed meanwhile is
 * left out.
 *
 * The XML is written with lib/xmlw.h (libxml2's xmlTextWriter into a
 * memory buffer), copied into the request's arena at the end, as feeds.c
 * does.  Every text goes through xml_clean_text() first and the writer
 * escapes & < > (and " in attributes); a writer failure (out of memory
 * inside libxml2) is sticky and answered as a 500.  Cleaned copies of a
 * petition's texts come from the petition's own arena.
 */
#include "api/export.h"

#include <string.h>

#include "core/eastern_time.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/csv.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/xmlw.h"
#include "site/list_query.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "lib/banned.h"

#define XSD_PATH "data/schema/petitions.xsd"
#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

/* ---- reading every match --------------------------------------------------------------------- */

/* What to do with each petition: write it, with a (the petition's arena). */
typedef int (*export_fn)(void *ctx, struct arena *a, const struct petition *p, struct err *e);

/*
 * Call fn(ctx, a, p, e) for every public petition that l's filters match,
 * in the list's order, each read in full from an arena a freed after the
 * call.  A petition removed or made private since the numbers were read
 * is left out.  Returns 0, the store's error, or fn's.
 */
static int
export_each(struct request *req, struct list_query *l, export_fn fn, void *ctx, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct petition_number *numbers;
    int n, r;

    if ((r = store_petition_numbers(s, NULL, req->arena, &l->q, &numbers, &n, e)))
        return r;
    for (int i = 0; i < n && !r; i++) {
        struct arena *one = arena_new();
        struct petition p;
        r = store_petition_get(s, NULL, one, &numbers[i], &p, e);
        if (r == ERR_NOT_FOUND || (!r && !petition_state_is_public(p.state)))
            r = 0; /* gone since the numbers were read */
        else if (!r)
            r = fn(ctx, one, &p, e);
        arena_free(one);
    }
    return r;
}

/* ---- shared pieces --------------------------------------------------------------------------- */

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
    "certified_log_size",
    "certified_log_root_hex",
    NULL,
};

struct csv_export {
    struct request *req;
    struct strbuf *out;
    const char *base; /* site_base_url() */
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
    struct public_certified_log c;
    int r = public_petition_certified_log(x->req, a, p, &c, e);
    if (r)
        return r;
    csv_cells(out, c.checkpoint_signed ? arena_printf(a, "%lld", (long long)c.size) : NULL);
    /* In hex: a base64 root may begin with '+', which a spreadsheet
     * takes for a formula (lib/csv.h would put an apostrophe before it). */
    csv_cells(out, c.checkpoint_signed ? c.root_hex : NULL);
    csv_end_row(out);
    return 0;
}

int
export_csv(struct request *req, struct err *e)
{
    struct list_query l;
    struct strbuf out;
    struct csv_export x = {.req = req, .out = &out, .base = site_base_url(req)};
    int r;

    if ((r = list_query_read(req, false, &l, e)))
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

/* ---- XML elements ---------------------------------------------------------------------------- */

/* A document being written, with the language of its texts. */
struct xml_export {
    struct request *req;
    struct xmlw x;
    enum lang lang;
    const char *base; /* site_base_url() */
};

static void
write_number_attr(struct xmlw *x, const char *name, long long n)
{
    xmlw_attr(x, name, arena_printf(x->a, "%lld", n));
}

/* <name>text</name> only when text is not empty once cleaned. */
static void
write_text_opt(struct xmlw *x, const char *name, const char *text)
{
    const char *clean = xmlw_clean(x, text);
    if (clean[0])
        xmlw_text(x, name, clean);
}

/* <name>2020-09-15T09:30:00</name> (Eastern), absent when t is 0. */
static void
write_time(struct xmlw *x, const char *name, int64_t t)
{
    struct strbuf sb;
    if (!t)
        return;
    sb_init(&sb, x->a);
    eastern_format_iso_local(&sb, t);
    xmlw_text(x, name, sb.buf);
}

/* One <name> per piece of text between separators sep, so that the
 * pieces joined with sep give the text back (NULL or "": one empty
 * element). */
static void
write_pieces(struct xmlw *x, const char *name, const char *text, const char *sep)
{
    const char *p = xmlw_clean(x, text);
    size_t seplen = strlen(sep);
    for (;;) {
        const char *end = strstr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        xmlw_text(x, name, arena_strndup(x->a, p, n));
        if (!end)
            break;
        p = end + seplen;
    }
}

/* ---- a petition in XML ----------------------------------------------------------------------- */

static void
write_member(struct xmlw *x, enum lang lang, const char *element, const struct member *m)
{
    xmlw_start(x, element);
    write_text_opt(x, "ShortHonorific", m->honorific);
    xmlw_text(x, "FirstName", m->first_name);
    xmlw_text(x, "LastName", m->last_name);
    xmlw_text(x, "Constituency", tr(m->constituency, lang));
    xmlw_text(x, "Caucus", tr(m->caucus, lang));
    xmlw_text(x, "ProvinceCode", region_code(m->province));
    xmlw_end(x);
}

/* The Petition element, in the order of data/schema/petitions.xsd. */
static int
write_petition(void *ctx, struct arena *a, const struct petition *p, struct err *e)
{
    struct xml_export *xe = ctx;
    struct xmlw *x = &xe->x;
    enum lang lang = xe->lang;
    const char *number = number_text(a, p);
    int house_code = petition_state_house_code(p->state);
    const struct member *sponsor = NULL;
    struct public_certified_log c;
    int r;

    if ((r = public_petition_certified_log(xe->req, a, p, &c, e)))
        return r;
    x->a = a;
    if (p->has_authorizing_member)
        sponsor = &p->authorizing_member;
    else if (p->kind == PETITION_PAPER && p->has_presenting_member)
        sponsor = &p->presenting_member;

    xmlw_start(x, "Petition");
    if (p->subject.id && xmlw_clean(x, tr(p->subject.name, lang))[0])
        xmlw_attr(x, "Title", tr(p->subject.name, lang));
    xmlw_attr(x, "TypeId", petition_kind_name(p->kind));
    xmlw_attr(x, "Status", petition_state_slug(p->state));
    write_number_attr(x, "ParliamentNumber", p->parliament);
    write_number_attr(x, "Session", p->session);
    write_number_attr(x, "SignatureCount", p->signature_total);
    xmlw_attr(x, "Url", arena_printf(a, "%s/%s/petitions/%s", xe->base, lang_code(lang), number));

    xmlw_text(x, "PetitionNumber", number);
    if (house_code)
        xmlw_text(x, "StatusId", arena_printf(a, "%d", house_code));
    xmlw_text(x, "StatusName", petition_state_label(p->state, lang));
    write_time(x, "StatusReachedDateTime", p->state_changed_at);
    if (p->subject.id) {
        xmlw_start(x, "Subject");
        xmlw_attr(x, "Code", p->subject.code);
        xmlw_string(x, tr(p->subject.name, lang));
        xmlw_end(x);
    }
    if (p->kind == PETITION_ELECTRONIC && p->petitioner_name) {
        xmlw_start(x, "Petitioner");
        xmlw_text(x, "Name", p->petitioner_name);
        xmlw_text(x, "City", p->petitioner_city);
        xmlw_text(x, "ProvinceCode", region_code(p->petitioner_province));
        xmlw_end(x);
    }
    if (sponsor)
        write_member(x, lang, "Sponsor", sponsor);
    write_time(x, "SignatureOpeningDateTime", p->opened_at);
    write_time(x, "SignatureClosingDateTime", p->closes_at);
    write_time(x, "CertificationDateTime", p->certified_at);
    if (c.checkpoint_signed) {
        xmlw_start(x, "CertifiedCheckpoint");
        write_number_attr(x, "Size", c.size);
        xmlw_attr(x, "Root", c.root);
        write_number_attr(x, "SignatureCount", c.count);
        xmlw_attr(x, "Url", arena_printf(a, "%s%s", xe->base, c.path));
        xmlw_end(x);
    }
    write_time(x, "PresentedDateTime", p->presented_at);
    if (p->has_presented_number) {
        struct strbuf sb;
        sb_init(&sb, a);
        presented_number_format(&sb, &p->presented_number);
        xmlw_text(x, "PresentedNumber", sb.buf);
    }
    if (p->has_response)
        write_time(x, "GovernmentResponseDateTime", p->response.tabled_at);
    if (p->kind == PETITION_ELECTRONIC) {
        for (int i = 0; i < REGION_COUNT; i++) {
            xmlw_start(x, "ProvinceSignatures");
            xmlw_attr(x, "Province", region_code((enum region)i));
            write_number_attr(x, "SignatureCount", p->region_counts[i]);
            xmlw_end(x);
        }
    }
    xmlw_start(x, "Prayer");
    xmlw_start(x, "Grievances");
    for (int i = 0; i < p->grievance_count; i++)
        xmlw_text(x, "WhereAs", tr(p->grievances[i].text, lang));
    xmlw_end(x);
    write_pieces(x, "Para", tr(p->prayer, lang), "\n");
    xmlw_end(x);
    if (p->has_response) {
        xmlw_start(x, "Response");
        xmlw_text(x, "Minister", tr(p->response.ministry.title, lang));
        xmlw_text(x, "SignedBy",
                  lang == LANG_FR && p->response.signed_by_fr ? p->response.signed_by_fr
                                                              : p->response.signed_by);
        write_pieces(x, "para", tr(p->response.text, lang), "\n\n");
        xmlw_end(x);
    }
    xmlw_start(x, "IndexTerms");
    for (int i = 0; i < p->keyword_count; i++) {
        xmlw_start(x, "Term");
        xmlw_attr(x, "Slug", p->keywords[i].slug);
        xmlw_string(x, tr(p->keywords[i].name, lang));
        xmlw_end(x);
    }
    xmlw_end(x);
    xmlw_end(x); /* Petition */
    return 0;
}

/* ---- XML documents --------------------------------------------------------------------------- */

/*
 * Answer with an ArrayOfPetition in lang: the petitions of l (every
 * match), or the one petition one when l is NULL.
 */
static int
xml_answer(struct request *req, enum lang lang, struct list_query *l, const struct petition *one,
           struct err *e)
{
    struct xml_export xe = {.req = req, .lang = lang, .base = site_base_url(req)};
    struct xmlw *x = &xe.x;
    const char *body;
    size_t len;
    int r;

    xmlw_open(x, req->arena);
    xmlw_start(x, "ArrayOfPetition");
    xmlw_attr(x, "xmlns:xsi", XSI_NS);
    xmlw_attr(x, "xsi:noNamespaceSchemaLocation",
              arena_printf(req->arena, "%s/api/v1/petitions.xsd", xe.base));
    xmlw_attr(x, "xml:lang", lang_code(lang));
    if (l)
        r = export_each(req, l, write_petition, &xe, e);
    else
        r = write_petition(&xe, req->arena, one, e);
    x->a = req->arena; /* a petition's arena is gone */
    if (!r) {
        xmlw_end(x);
        r = xmlw_finish(x, req->arena, &body, &len, e);
    }
    xmlw_release(x);
    if (r)
        return r;
    export_headers(req, SITE_AGE_PAGE);
    resp_header(req, "Content-Language", lang_code(lang));
    resp_body(req, 200, "application/xml; charset=utf-8", body, len);
    return 0;
}

int
export_xml(struct request *req, struct err *e)
{
    struct list_query l;
    enum lang lang;
    int r;
    if ((r = list_query_read_export(req, &l, &lang, e)))
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
    if ((r = list_query_read_lang(req, &lang, e)))
        return r;
    if (petition_number_parse(arg, n - 4, &num, NULL))
        return err_set(e, ERR_INVALID, "error.petition_number", "number", "bad number");
    if ((r = store_petition_get(s, NULL, req->arena, &num, &p, e)))
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
