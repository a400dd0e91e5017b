/*
 * exports_test.c: the CSV and XML exports over HTTP (api/export.h).
 *
 * Three servers: one with the demo data (e-2829 and its response, the
 * keyword "belarus"); one with tests/integration/data/exports.json, whose
 * names start like spreadsheet formulas (= + - @ tab) and whose texts
 * carry & < > and characters XML cannot hold (a bell, a vertical tab);
 * and one with 230 generated petitions, more than two pages of the
 * store's reading, to show that an export has every match.
 *
 * The CSV is read back with a strict RFC 4180 reader (below): CRLF line
 * ends, quoted cells, doubled quotes, the same number of cells on every
 * row.  Every XML answer is validated against data/schema/petitions.xsd
 * by xmllint (libxml2-utils), run as a subprocess, then parsed with
 * libxml2 (xmltest.h) and its fields compared with XPath to the JSON API's answer for
 * the same petition: number, status, Member, dates, each province's
 * count, the grievances, the prayer and the response, in English and in
 * French.  Then the refusals: unknown parameters and unknown petitions
 * are the API's JSON errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "xmltest.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define XSD "data/schema/petitions.xsd"
#define BOM "\xef\xbb\xbf"

enum { MANY = 230 }; /* petitions on the third server: pages of 100, 100 and 30 */

static struct harness demo;   /* the built-in demo data */
static struct harness tricky; /* tests/integration/data/exports.json */
static struct harness many;   /* MANY generated petitions */
static char many_dir[64];     /* where their demo file is written */
static char many_file[128];

static const char *const columns[] = {
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
};
enum { NCOLUMNS = sizeof(columns) / sizeof(columns[0]) };

/* A demo file with MANY open e-petitions, e-9001 onwards. */
static int
write_many(const char *path)
{
    json_t *root = json_pack(
        "{s:b,s:s,s:[{s:i,s:s,s:[{s:i,s:s}]}],s:[{s:s,s:s,s:s}],s:[{s:s,s:s,s:s}],"
        "s:[{s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:{s:s,s:s}}]}",
        "demo", 1, "notice", "TEST DATA: many petitions, for exports_test.c.", "parliaments",
        "number", 45, "opened", "2025-05-26", "sessions", "number", 1, "opened", "2025-05-26",
        "subjects", "code", "bulk", "en", "Bulk", "fr", "En vrac", "keywords", "slug", "bulk", "en",
        "Bulk", "fr", "En vrac", "members", "key", "okafor", "first_name", "Ada", "last_name",
        "Okafor", "honorific", "", "constituency", "en", "Ottawa Centre", "fr", "Ottawa-Centre",
        "province", "ON", "caucus", "en", "Independent", "fr", "Indépendant");
    json_t *list = json_array();
    if (!root)
        return -1;
    for (int i = 0; i < MANY; i++) {
        char number[16];
        snprintf(number, sizeof(number), "e-%d", 9001 + i);
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:[s],s:s,s:{s:s,s:s,s:s},s:{s:s},s:s,"
                            "s:[{s:s,s:s}],s:{s:s,s:s},s:i,s:s,s:s,s:{s:i,s:{s:i}}}",
                            "number", number, "type", "electronic", "state", "OPEN_FOR_SIGNATURE",
                            "parliament", 45, "session", 1, "subject", "bulk", "keywords", "bulk",
                            "original_language", "en", "petitioner", "name", "Pat Bulk", "city",
                            "Ottawa", "province", "ON", "addressee", "type", "house",
                            "authorizing_member", "okafor", "grievances", "en", "Whereas;", "fr",
                            "Attendu que;", "prayer", "en", "We call.", "fr", "Nous demandons.",
                            "signature_period_days", 30, "opened", "-2d 10:00", "closes",
                            "+28d 10:00", "signatures", "total", i, "by_region", "ON", i));
    }
    json_object_set_new(root, "petitions", list);
    int r = json_dump_file(root, path, 0);
    json_decref(root);
    return r;
}

static int
start(void **state)
{
    (void)state;
    snprintf(many_dir, sizeof(many_dir), "/tmp/petitiond-exports-XXXXXX");
    if (!mkdtemp(many_dir))
        return -1;
    snprintf(many_file, sizeof(many_file), "%s/many.json", many_dir);
    if (write_many(many_file))
        return -1;
    if (harness_start(&demo, NULL) || harness_start(&tricky, "tests/integration/data/exports.json"))
        return -1;
    return harness_start(&many, many_file);
}

static int
stop(void **state)
{
    (void)state;
    /* Each must stop cleanly on SIGTERM (exit 0, no sanitizer report). */
    int a = harness_stop(&demo), b = harness_stop(&tricky), c = harness_stop(&many);
    if (a || b || c)
        fprintf(stderr, "petitiond exited with %d, %d and %d; logs in %s, %s and %s\n", a, b, c,
                demo.dir, tricky.dir, many.dir);
    unlink(many_file);
    rmdir(many_dir);
    return a == 0 && b == 0 && c == 0 ? 0 : -1;
}

/* ---- answers --------------------------------------------------------------------------------- */

/* GET path, expecting status. */
static struct http_result
get(struct harness *h, const char *path, long status)
{
    struct http_result r;
    assert_int_equal(http_get(h, path, &r), 0);
    if (r.status != status)
        fail_msg("%s: status %ld, not %ld: %.300s", path, r.status, status, r.body);
    return r;
}

/* GET path as JSON (200), parsed. */
static json_t *
get_json(struct harness *h, const char *path)
{
    struct http_result r = get(h, path, 200);
    json_t *o = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    if (!o)
        fail_msg("%s: not JSON", path);
    return o;
}

/* path answers the API's JSON error with code and (when not NULL) parameter. */
static void
assert_json_error(struct harness *h, const char *path, long status, const char *code,
                  const char *parameter)
{
    struct http_result r = get(h, path, status);
    assert_string_equal(http_header(&r, "Content-Type"), "application/json");
    json_t *o = json_loadb(r.body, r.len, 0, NULL);
    if (!o)
        fail_msg("%s: the error is not JSON", path);
    json_t *err = json_object_get(o, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")), code);
    assert_non_null(json_string_value(json_object_get(err, "message")));
    assert_non_null(json_string_value(json_object_get(err, "message_fr")));
    if (parameter)
        assert_string_equal(json_string_value(json_object_get(err, "parameter")), parameter);
    json_decref(o);
    http_result_free(&r);
}

/* ---- a strict RFC 4180 reader ---------------------------------------------------------------- */

struct csv_table {
    char ***rows; /* rows[i][j], malloc'd */
    int *widths;  /* cells in rows[i] */
    int count;
};

static void
csv_free(struct csv_table *t)
{
    for (int i = 0; i < t->count; i++) {
        for (int j = 0; j < t->widths[i]; j++)
            free(t->rows[i][j]);
        free(t->rows[i]);
    }
    free(t->rows);
    free(t->widths);
    memset(t, 0, sizeof(*t));
}

/* Append a cell of n bytes at s to the table's last row. */
static void
csv_push(struct csv_table *t, const char *s, size_t n)
{
    int i = t->count - 1;
    char *cell = malloc(n + 1);
    assert_non_null(cell);
    memcpy(cell, s, n);
    cell[n] = '\0';
    t->rows[i] = realloc(t->rows[i], (size_t)(t->widths[i] + 1) * sizeof(char *));
    assert_non_null(t->rows[i]);
    t->rows[i][t->widths[i]++] = cell;
}

static void
csv_new_row(struct csv_table *t)
{
    t->rows = realloc(t->rows, (size_t)(t->count + 1) * sizeof(*t->rows));
    t->widths = realloc(t->widths, (size_t)(t->count + 1) * sizeof(*t->widths));
    assert_non_null(t->rows);
    assert_non_null(t->widths);
    t->rows[t->count] = NULL;
    t->widths[t->count++] = 0;
}

/*
 * Read RFC 4180 text into t: records end with CRLF (the last one too); a
 * field is either quoted ("..." with "" for a quote, any byte inside) or
 * holds no quote, CR or LF at all.  Returns NULL, or what is wrong.
 */
static const char *
csv_read(const char *s, size_t len, struct csv_table *t)
{
    size_t i = 0;
    char *cell = malloc(len + 1);
    assert_non_null(cell);
    memset(t, 0, sizeof(*t));
    while (i < len) {
        csv_new_row(t);
        for (;;) { /* one field, then its separator */
            size_t n = 0;
            if (s[i] == '"') {
                for (i++;; i++) {
                    if (i >= len) {
                        free(cell);
                        return "unterminated quoted field";
                    }
                    if (s[i] == '"') {
                        if (i + 1 < len && s[i + 1] == '"')
                            i++;
                        else
                            break;
                    }
                    cell[n++] = s[i];
                }
                i++; /* the closing quote */
            } else {
                while (i < len && s[i] != ',' && s[i] != '\r') {
                    if (s[i] == '"' || s[i] == '\n') {
                        free(cell);
                        return "quote or bare LF in an unquoted field";
                    }
                    cell[n++] = s[i++];
                }
            }
            csv_push(t, cell, n);
            if (i < len && s[i] == ',') {
                i++;
                continue;
            }
            if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                break;
            }
            free(cell);
            return "a record does not end with CRLF";
        }
    }
    free(cell);
    return NULL;
}

/* GET a CSV export (200, with its headers), read strictly; the header row
 * is checked and every row has as many cells. */
static struct csv_table
get_csv(struct harness *h, const char *path)
{
    struct http_result r = get(h, path, 200);
    assert_string_equal(http_header(&r, "Content-Type"), "text/csv; charset=utf-8");
    assert_string_equal(http_header(&r, "Content-Disposition"),
                        "attachment; filename=\"petitions.csv\"");
    assert_non_null(strstr(http_header(&r, "Cache-Control"), "max-age=60"));
    assert_string_equal(http_header(&r, "Access-Control-Allow-Origin"), "*");
    if (r.len < 3 || memcmp(r.body, BOM, 3) != 0)
        fail_msg("%s: no UTF-8 BOM first", path);
    struct csv_table t;
    const char *bad = csv_read(r.body + 3, r.len - 3, &t);
    if (bad)
        fail_msg("%s is not RFC 4180: %s", path, bad);
    http_result_free(&r);
    assert_true(t.count >= 1);
    assert_int_equal(t.widths[0], NCOLUMNS);
    for (int j = 0; j < NCOLUMNS; j++)
        assert_string_equal(t.rows[0][j], columns[j]);
    for (int i = 1; i < t.count; i++)
        if (t.widths[i] != NCOLUMNS)
            fail_msg("%s: row %d has %d cells, not %d", path, i, t.widths[i], NCOLUMNS);
    return t;
}

static int
column(const char *name)
{
    for (int j = 0; j < NCOLUMNS; j++)
        if (strcmp(columns[j], name) == 0)
            return j;
    fail_msg("no column %s", name);
    return -1;
}

/* The row of petition number, or NULL. */
static char **
csv_row(const struct csv_table *t, const char *number)
{
    for (int i = 1; i < t->count; i++)
        if (strcmp(t->rows[i][0], number) == 0)
            return t->rows[i];
    return NULL;
}

static const char *
cell(char **row, const char *name)
{
    return row[column(name)];
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* names (n of them) sorted and joined by spaces into out. */
static void
join_sorted(const char **names, size_t n, char *out, size_t size)
{
    struct strbuf sb;
    qsort(names, n, sizeof(*names), compare_strings);
    sb_init(&sb, NULL);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addch(&sb, ' ');
        sb_adds(&sb, names[i]);
    }
    snprintf(out, size, "%s", sb.buf);
    sb_release(&sb);
}

/* The sorted numbers of a JSON list's petitions, joined by spaces. */
static void
json_numbers(json_t *list, char *out, size_t size)
{
    json_t *items = json_object_get(list, "petitions");
    size_t n = json_array_size(items);
    const char **names = calloc(n + 1, sizeof(*names));
    assert_non_null(names);
    for (size_t i = 0; i < n; i++)
        names[i] = json_string_value(json_object_get(json_array_get(items, i), "number"));
    join_sorted(names, n, out, size);
    free(names);
}

static void
csv_numbers(const struct csv_table *t, char *out, size_t size)
{
    const char **names = calloc((size_t)t->count + 1, sizeof(*names));
    assert_non_null(names);
    for (int i = 1; i < t->count; i++)
        names[i - 1] = t->rows[i][0];
    join_sorted(names, (size_t)(t->count - 1), out, size);
    free(names);
}

/* ---- reading XML ----------------------------------------------------------------------------- */

/* GET an XML export (200), validate it, and parse it without network. */
static xmlDocPtr
get_xml(struct harness *h, const char *path, const char *lang)
{
    struct http_result r = get(h, path, 200);
    assert_string_equal(http_header(&r, "Content-Type"), "application/xml; charset=utf-8");
    assert_string_equal(http_header(&r, "Content-Language"), lang);
    assert_non_null(strstr(http_header(&r, "Cache-Control"), "max-age=60"));
    assert_xml_valid(&r, XSD, path);
    xmlDocPtr doc = xml_parse(&r, path);
    http_result_free(&r);
    assert_xml_root(doc, "ArrayOfPetition", lang);
    return doc;
}

/* A JSON value by a path of keys (and array indexes as numbers in text). */
static const char *
js(json_t *o, const char *k1, const char *k2, const char *k3)
{
    json_t *v = json_object_get(o, k1);
    if (k2)
        v = json_object_get(v, k2);
    if (k3)
        v = json_object_get(v, k3);
    const char *s = json_string_value(v);
    if (!s)
        fail_msg("no JSON string at %s.%s.%s", k1, k2 ? k2 : "", k3 ? k3 : "");
    return s;
}

/*
 * The XML of e-2829 in lang against the JSON API's answer for it: every
 * text in that language, and the numbers.
 */
static void
assert_e2829_matches_json(xmlDocPtr doc, json_t *p, const char *lang)
{
    char expr[256], want[64];
    const char *P = "/ArrayOfPetition/Petition";
    assert_int_equal(xp_count(doc, P), 1);
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/PetitionNumber", "e-2829");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@Status", js(p, "status", NULL, NULL));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@TypeId", "electronic");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/StatusId", "223");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/StatusName", js(p, "status_label", lang, NULL));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@Title", js(p, "subject", "name", lang));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Subject/@Code", "foreign-affairs");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@ParliamentNumber", "43");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@Session", "2");
    /* The Member who authorized it. */
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/FirstName",
                    js(p, "authorizing_member", "first_name", NULL));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/LastName",
                    js(p, "authorizing_member", "last_name", NULL));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/Constituency",
                    js(p, "authorizing_member", "constituency", lang));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/Caucus",
                    js(p, "authorizing_member", "caucus", lang));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/ProvinceCode", "ON");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/Sponsor/ShortHonorific"), 0);
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Petitioner/Name",
                    js(p, "petitioner", "name", NULL));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Petitioner/City",
                    js(p, "petitioner", "city", NULL));
    /* Dates: the JSON's UTC instants as the House writes them, Eastern. */
    assert_string_equal(js(p, "opened_at", NULL, NULL), "2020-09-15T13:30:00Z");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/SignatureOpeningDateTime",
                    "2020-09-15T09:30:00");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/SignatureClosingDateTime",
                    "2020-10-15T09:30:00");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/CertificationDateTime", "2020-10-19T00:00:00");
    assert_string_equal(js(p, "presentation", "at", NULL), "2020-10-26T04:00:00Z");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/PresentedDateTime", "2020-10-26T00:00:00");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/PresentedNumber",
                    js(p, "presentation", "number", NULL));
    assert_string_equal(js(p, "response", "tabled_at", NULL), "2020-12-09T05:00:00Z");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/GovernmentResponseDateTime",
                    "2020-12-09T00:00:00");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/StatusReachedDateTime", "2020-12-09T00:00:00");
    /* Counts: the total and every province's, as the JSON has them. */
    json_t *sig = json_object_get(p, "signatures");
    snprintf(want, sizeof(want), "%lld",
             (long long)json_integer_value(json_object_get(sig, "total")));
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@SignatureCount", want);
    json_t *by = json_object_get(sig, "by_region");
    assert_int_equal(json_object_size(by), 14);
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/ProvinceSignatures"), 14);
    const char *code;
    json_t *count;
    json_object_foreach(by, code, count)
    {
        snprintf(expr, sizeof(expr),
                 "/ArrayOfPetition/Petition/ProvinceSignatures[@Province='%s']/@SignatureCount",
                 code);
        snprintf(want, sizeof(want), "%lld", (long long)json_integer_value(count));
        assert_xp_equal(doc, expr, want);
    }
    /* The texts in the document's language, each exactly. */
    json_t *grievances = json_object_get(p, "grievances");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/Prayer/Grievances/WhereAs"),
                     (int)json_array_size(grievances));
    for (size_t i = 0; i < json_array_size(grievances); i++) {
        snprintf(expr, sizeof(expr), "/ArrayOfPetition/Petition/Prayer/Grievances/WhereAs[%zu]",
                 i + 1);
        assert_xp_equal(doc, expr,
                        json_string_value(json_object_get(json_array_get(grievances, i), lang)));
    }
    assert_join_equal(doc, "/ArrayOfPetition/Petition/Prayer/Para", "\n",
                      js(p, "prayer", lang, NULL));
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/Prayer/Para"), 9);
    assert_join_equal(doc, "/ArrayOfPetition/Petition/Response/para", "\n\n",
                      js(p, "response", "text", lang));
    assert_true(xp_count(doc, "/ArrayOfPetition/Petition/Response/para") > 1);
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Response/Minister",
                    js(p, "response", "minister", lang));
    /* The signer's title in the export's language (the API's signed_by
     * and signed_by_fr). */
    assert_xp_equal(
        doc, "/ArrayOfPetition/Petition/Response/SignedBy",
        js(p, "response", strcmp(lang, "fr") == 0 ? "signed_by_fr" : "signed_by", NULL));
    /* The keywords, by name and slug. */
    json_t *kws = json_object_get(p, "keywords");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/IndexTerms/Term"),
                     (int)json_array_size(kws));
    for (size_t i = 0; i < json_array_size(kws); i++) {
        json_t *k = json_array_get(kws, i);
        snprintf(expr, sizeof(expr), "/ArrayOfPetition/Petition/IndexTerms/Term[@Slug='%s']",
                 json_string_value(json_object_get(k, "slug")));
        assert_xp_equal(doc, expr, json_string_value(json_object_get(k, lang)));
    }
    snprintf(expr, sizeof(expr), "/%s/petitions/e-2829", lang);
    char *url = xp_string(doc, "/ArrayOfPetition/Petition/@Url");
    size_t n = strlen(url), m = strlen(expr);
    if (n < m || strcmp(url + n - m, expr) != 0 || strncmp(url, "http://", 7) != 0)
        fail_msg("Url %s is not absolute or does not end with %s", url, expr);
    free(url);
}

/* ---- the CSV export -------------------------------------------------------------------------- */

static void
csv_of_a_keyword_holds_its_petitions_with_their_fields(void **state)
{
    (void)state;
    struct csv_table t = get_csv(&demo, "/api/v1/petitions.csv?keyword=belarus");
    json_t *list = get_json(&demo, "/api/v1/petitions?keyword=belarus&per_page=100");
    char want[512], got[512];
    json_numbers(list, want, sizeof(want));
    csv_numbers(&t, got, sizeof(got));
    assert_string_equal(got, want);
    assert_string_equal(got, "e-2829 e-6104 e-6512");
    json_decref(list);

    json_t *p = get_json(&demo, "/api/v1/petitions/e-2829");
    char **row = csv_row(&t, "e-2829");
    assert_non_null(row);
    assert_string_equal(cell(row, "type"), "electronic");
    assert_string_equal(cell(row, "status"), "response-tabled");
    assert_string_equal(cell(row, "status_date"), "2020-12-09");
    assert_string_equal(cell(row, "parliament"), "43");
    assert_string_equal(cell(row, "session"), "43-2");
    assert_string_equal(cell(row, "subject_en"), "Foreign affairs");
    assert_string_equal(cell(row, "subject_fr"), "Affaires étrangères");
    assert_string_equal(cell(row, "keywords_en"),
                        "Belarus; Elections; Human rights; International Criminal Court; "
                        "Political prisoners; Russia; Sanctions");
    assert_non_null(strstr(cell(row, "keywords_fr"), "Bélarus; "));
    assert_string_equal(cell(row, "petitioner"), js(p, "petitioner", "name", NULL));
    assert_string_equal(cell(row, "petitioner_province"), "ON");
    assert_string_equal(cell(row, "authorizing_member"), "Chandra Arya");
    assert_string_equal(cell(row, "opened_at"), js(p, "opened_at", NULL, NULL));
    assert_string_equal(cell(row, "closes_at"), js(p, "closes_at", NULL, NULL));
    assert_string_equal(cell(row, "certified_at"), js(p, "certified_at", NULL, NULL));
    assert_string_equal(cell(row, "presented_at"), js(p, "presentation", "at", NULL));
    assert_string_equal(cell(row, "presented_number"), "432-00158");
    assert_string_equal(cell(row, "response_tabled_at"), js(p, "response", "tabled_at", NULL));
    snprintf(
        want, sizeof(want), "%lld",
        (long long)json_integer_value(json_object_get(json_object_get(p, "signatures"), "total")));
    assert_string_equal(cell(row, "signatures"), want);
    snprintf(want, sizeof(want), "%s/en/petitions/e-2829", demo.base);
    assert_string_equal(cell(row, "url"), want);
    json_decref(p);

    /* An open petition: not yet certified, presented or answered. */
    row = csv_row(&t, "e-6512");
    assert_non_null(row);
    assert_string_equal(cell(row, "status"), "open");
    assert_string_equal(cell(row, "certified_at"), "");
    assert_string_equal(cell(row, "presented_number"), "");
    assert_string_equal(cell(row, "response_tabled_at"), "");
    csv_free(&t);
}

static void
csv_has_every_petition_and_no_one_twice(void **state)
{
    (void)state;
    /* The demo: every public petition, paper ones included. */
    struct csv_table t = get_csv(&demo, "/api/v1/petitions.csv");
    json_t *list = get_json(&demo, "/api/v1/petitions?per_page=100");
    char want[1024], got[1024];
    json_numbers(list, want, sizeof(want));
    csv_numbers(&t, got, sizeof(got));
    assert_string_equal(got, want);
    char **paper = csv_row(&t, "441-01211");
    assert_non_null(paper);
    assert_string_equal(cell(paper, "type"), "paper");
    assert_string_equal(cell(paper, "petitioner"), "");
    assert_string_equal(cell(paper, "presented_number"), "441-01211");
    json_decref(list);
    csv_free(&t);

    /* 230 petitions: more than two of the store's pages of 100. */
    t = get_csv(&many, "/api/v1/petitions.csv?sort=oldest");
    assert_int_equal(t.count - 1, MANY);
    for (int i = 0; i < MANY; i++) {
        char number[16];
        snprintf(number, sizeof(number), "e-%d", 9001 + i);
        if (!csv_row(&t, number))
            fail_msg("%s is missing from the export", number);
    }
    for (int i = 1; i < t.count; i++)
        for (int j = i + 1; j < t.count; j++)
            if (strcmp(t.rows[i][0], t.rows[j][0]) == 0)
                fail_msg("%s twice", t.rows[i][0]);
    csv_free(&t);

    /* The XML too. */
    xmlDocPtr doc = get_xml(&many, "/api/v1/petitions.xml?sort=most-signatures", "en");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition"), MANY);
    char expr[128];
    snprintf(expr, sizeof(expr), "/ArrayOfPetition/Petition[1]/@SignatureCount");
    assert_xp_equal(doc, expr, "229");
    xmlFreeDoc(doc);
}

static void
csv_answers_304_to_its_etag(void **state)
{
    (void)state;
    struct http_result r = get(&demo, "/api/v1/petitions.csv?status=open", 200);
    const char *tag = http_header(&r, "ETag");
    assert_non_null(tag);
    char cond[128];
    snprintf(cond, sizeof(cond), "If-None-Match: %s", tag);
    http_result_free(&r);
    const char *headers[] = {cond, NULL};
    assert_int_equal(
        http_request(&demo, "GET", "/api/v1/petitions.csv?status=open", NULL, 0, headers, &r), 0);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    http_result_free(&r);
}

static void
formula_cells_get_an_apostrophe(void **state)
{
    (void)state;
    struct csv_table t = get_csv(&tricky, "/api/v1/petitions.csv");
    assert_int_equal(t.count - 1, 2);
    char **row = csv_row(&t, "e-8101");
    assert_non_null(row);
    /* =, +, -, @ and tab first: the apostrophe, then the text as stored. */
    assert_string_equal(cell(row, "subject_en"), "'=HYPERLINK(\"http://evil.test/\",\"Click me\")");
    assert_string_equal(cell(row, "subject_fr"), "'+SOMME(1;2)");
    assert_string_equal(cell(row, "petitioner"), "'-Sam, \"the\" Tester");
    assert_string_equal(cell(row, "authorizing_member"), "'=Eve Mallory");
    assert_string_equal(cell(row, "keywords_en"),
                        "'\tTabbed; -2+3; @SUM(A1:A2); Plain, \"quoted\"");
    assert_string_equal(cell(row, "keywords_fr"),
                        "'\tTabulé; -2+3 moins; @SOMME(A1:A2); Simple, « cité »");
    /* Numbers we wrote are left alone. */
    assert_string_equal(cell(row, "parliament"), "45");
    assert_string_equal(cell(row, "signatures"), "7");
    row = csv_row(&t, "e-8102");
    assert_non_null(row);
    assert_string_equal(cell(row, "keywords_en"), "'@SUM(A1:A2); Plain, \"quoted\"");
    assert_string_equal(cell(row, "subject_en"), "Fish & <Chips> \"quoted\"");
    assert_string_equal(cell(row, "petitioner"), "Lee <Reader> & Co");
    /* No cell anywhere starts as a formula would. */
    for (int i = 1; i < t.count; i++)
        for (int j = 0; j < NCOLUMNS; j++) {
            char c = t.rows[i][j][0];
            if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r')
                fail_msg("row %d, %s starts with a formula character: %s", i, columns[j],
                         t.rows[i][j]);
        }
    csv_free(&t);
}

/* ---- the XML exports ------------------------------------------------------------------------- */

static void
petition_xml_validates_and_matches_the_json(void **state)
{
    (void)state;
    json_t *p = get_json(&demo, "/api/v1/petitions/e-2829");
    xmlDocPtr doc = get_xml(&demo, "/api/v1/petitions/e-2829.xml", "en");
    assert_e2829_matches_json(doc, p, "en");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/StatusName", "Government response tabled");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Response/Minister",
                    "Minister of Foreign Affairs");
    xmlFreeDoc(doc);

    /* The JSON links to it. */
    char link[128];
    snprintf(link, sizeof(link), "%s", js(p, "links", "xml", NULL));
    assert_string_equal(link, "/api/v1/petitions/e-2829.xml");
    json_decref(p);

    /* By its presented number, the same petition. */
    doc = get_xml(&demo, "/api/v1/petitions/432-00158.xml", "en");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/PetitionNumber", "e-2829");
    xmlFreeDoc(doc);
}

static void
french_xml_has_the_french_texts(void **state)
{
    (void)state;
    json_t *p = get_json(&demo, "/api/v1/petitions/e-2829");
    xmlDocPtr doc = get_xml(&demo, "/api/v1/petitions/e-2829.xml?lang=fr", "fr");
    assert_e2829_matches_json(doc, p, "fr");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/StatusName", "Réponse du gouvernement déposée");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@Title", "Affaires étrangères");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/IndexTerms/Term[@Slug='belarus']", "Bélarus");
    char *prayer = xp_string(doc, "/ArrayOfPetition/Petition/Prayer/Para[1]");
    assert_non_null(strstr(prayer, "Nous, soussignés"));
    free(prayer);
    xmlFreeDoc(doc);
    json_decref(p);
}

static void
list_xml_holds_only_the_matching_petitions(void **state)
{
    (void)state;
    json_t *list = get_json(&demo, "/api/v1/petitions?keyword=belarus&per_page=100");
    char want[512];
    json_numbers(list, want, sizeof(want));
    /* The JSON list links to both exports of the same filters. */
    assert_string_equal(js(list, "links", "xml", NULL), "/api/v1/petitions.xml?keyword=belarus");
    assert_string_equal(js(list, "links", "csv", NULL), "/api/v1/petitions.csv?keyword=belarus");
    json_decref(list);

    const char *paths[] = {"/api/v1/petitions.xml?keyword=belarus",
                           "/api/v1/petitions.xml?keyword=belarus&lang=fr"};
    for (size_t k = 0; k < 2; k++) {
        xmlDocPtr doc = get_xml(&demo, paths[k], k ? "fr" : "en");
        int n = xp_count(doc, "/ArrayOfPetition/Petition");
        const char **names = calloc((size_t)n + 1, sizeof(*names));
        char **owned = calloc((size_t)n + 1, sizeof(*owned));
        assert_non_null(names);
        assert_non_null(owned);
        for (int i = 0; i < n; i++) {
            char expr[128];
            snprintf(expr, sizeof(expr), "/ArrayOfPetition/Petition[%d]/PetitionNumber", i + 1);
            names[i] = owned[i] = xp_string(doc, expr);
        }
        char got[512];
        join_sorted(names, (size_t)n, got, sizeof(got));
        assert_string_equal(got, want);
        for (int i = 0; i < n; i++)
            free(owned[i]);
        free(owned);
        free(names);
        /* Each is filed under the keyword. */
        assert_int_equal(
            xp_count(doc, "/ArrayOfPetition/Petition[not(IndexTerms/Term[@Slug='belarus'])]"), 0);
        xmlFreeDoc(doc);
    }

    /* Every public petition, in both languages, validates. */
    xmlDocPtr doc = get_xml(&demo, "/api/v1/petitions.xml", "en");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition"), 10);
    /* A paper petition: its presenting Member as sponsor, no petitioner,
     * no counts by province. */
    const char *paper = "/ArrayOfPetition/Petition[PetitionNumber='441-01211']";
    char expr[256];
    snprintf(expr, sizeof(expr), "%s/@TypeId", paper);
    assert_xp_equal(doc, expr, "paper");
    snprintf(expr, sizeof(expr), "%s/Sponsor/LastName", paper);
    assert_xp_equal(doc, expr, "Kowalski");
    snprintf(expr, sizeof(expr), "%s/Petitioner | %s/ProvinceSignatures", paper, paper);
    assert_int_equal(xp_count(doc, expr), 0);
    xmlFreeDoc(doc);
    doc = get_xml(&demo, "/api/v1/petitions.xml?lang=fr&sort=oldest", "fr");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition"), 10);
    xmlFreeDoc(doc);
}

static void
control_characters_are_dropped_and_markup_round_trips(void **state)
{
    (void)state;
    xmlDocPtr doc = get_xml(&tricky, "/api/v1/petitions/e-8102.xml", "en");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@Title", "Fish & <Chips> \"quoted\"");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Subject", "Fish & <Chips> \"quoted\"");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Petitioner/Name", "Lee <Reader> & Co");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Prayer/Grievances/WhereAs[1]",
                    "Whereas A & B < C > D \"now\";");
    /* The bell and the vertical tab are gone; nothing else is. */
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Prayer/Grievances/WhereAs[2]",
                    "Whereas a bell and a vertical tab are not text;");
    assert_join_equal(doc, "/ArrayOfPetition/Petition/Prayer/Para", "\n",
                      "We call upon the House to:\n1. Keep A & B < C > D ]]> <![CDATA[ x;\n\n"
                      "2. Remove a bell here.");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/Prayer/Para"), 4);
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Response/Minister",
                    "Minister of <Fisheries> & \"Oceans\"");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Response/SignedBy",
                    "The Honourable A. & B. <Minister>");
    assert_join_equal(doc, "/ArrayOfPetition/Petition/Response/para", "\n\n",
                      "First & <only> \"paragraph\" ]]> here.\nSame paragraph, next line.\n\n"
                      "Second paragraph.");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition/Response/para"), 2);
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/ShortHonorific", "Hon.");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/Sponsor/Constituency", "Ottawa & <Vanier>");
    /* Nothing of the texts came through as markup. */
    assert_int_equal(xp_count(doc, "//*[local-name() = 'Chips' or local-name() = 'only'"
                                   " or local-name() = 'Fisheries' or local-name() = 'Reader']"),
                     0);
    xmlFreeDoc(doc);

    doc = get_xml(&tricky, "/api/v1/petitions/e-8102.xml?lang=fr", "fr");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition/@Title", "Poisson & <frites> « cité »");
    assert_join_equal(doc, "/ArrayOfPetition/Petition/Response/para", "\n\n",
                      "Premier & <seul> « paragraphe ».\n\nDeuxième paragraphe.");
    xmlFreeDoc(doc);

    /* The whole list, formula-like texts and all, validates; XML keeps
     * texts as they are (no apostrophe: that is for spreadsheets). */
    doc = get_xml(&tricky, "/api/v1/petitions.xml", "en");
    assert_int_equal(xp_count(doc, "/ArrayOfPetition/Petition"), 2);
    assert_xp_equal(doc, "/ArrayOfPetition/Petition[PetitionNumber='e-8101']/@Title",
                    "=HYPERLINK(\"http://evil.test/\",\"Click me\")");
    assert_xp_equal(doc, "/ArrayOfPetition/Petition[PetitionNumber='e-8101']/Sponsor/FirstName",
                    "=Eve");
    assert_xp_equal(doc,
                    "/ArrayOfPetition/Petition[PetitionNumber='e-8101']/IndexTerms/"
                    "Term[@Slug='tab']",
                    "\tTabbed");
    xmlFreeDoc(doc);
}

static void
schema_is_served_as_it_is_in_the_repository(void **state)
{
    (void)state;
    struct http_result r = get(&demo, "/api/v1/petitions.xsd", 200);
    assert_string_equal(http_header(&r, "Content-Type"), "application/xml; charset=utf-8");
    FILE *fp = fopen(XSD, "rb");
    assert_non_null(fp);
    struct stat st;
    assert_int_equal(fstat(fileno(fp), &st), 0);
    char *want = malloc((size_t)st.st_size + 1);
    assert_non_null(want);
    assert_int_equal(fread(want, 1, (size_t)st.st_size, fp), (size_t)st.st_size);
    fclose(fp);
    assert_int_equal(r.len, (size_t)st.st_size);
    assert_memory_equal(r.body, want, r.len);
    free(want);
    http_result_free(&r);
}

/* ---- refusals -------------------------------------------------------------------------------- */

static void
unknown_parameters_and_petitions_are_json_errors(void **state)
{
    (void)state;
    assert_json_error(&demo, "/api/v1/petitions.csv?colour=red", 400, "invalid", "colour");
    assert_json_error(&demo, "/api/v1/petitions.csv?page=2", 400, "invalid", "page");
    assert_json_error(&demo, "/api/v1/petitions.csv?lang=fr", 400, "invalid", "lang");
    assert_json_error(&demo, "/api/v1/petitions.csv?keyword=no-such", 400, "invalid", "keyword");
    assert_json_error(&demo, "/api/v1/petitions.csv?status=open&status=closed", 400, "invalid",
                      "status");
    assert_json_error(&demo, "/api/v1/petitions.xml?per_page=5", 400, "invalid", "per_page");
    assert_json_error(&demo, "/api/v1/petitions.xml?lang=de", 400, "invalid", "lang");
    assert_json_error(&demo, "/api/v1/petitions.xml?lang=EN", 400, "invalid", "lang");
    assert_json_error(&demo, "/api/v1/petitions/e-2829.xml?keyword=belarus", 400, "invalid",
                      "keyword");
    assert_json_error(&demo, "/api/v1/petitions/e-2829.xml?lang=", 400, "invalid", "lang");
    assert_json_error(&demo, "/api/v1/petitions.xsd?lang=fr", 400, "invalid", "lang");
    assert_json_error(&demo, "/api/v1/petitions/e-999999.xml", 404, "not_found", NULL);
    assert_json_error(&demo, "/api/v1/petitions/e-999999.xml?lang=fr", 404, "not_found", NULL);
    assert_json_error(&demo, "/api/v1/petitions/nonsense.xml", 400, "invalid", "number");
    assert_json_error(&demo, "/api/v1/petitions/.xml", 400, "invalid", "number");
    /* Another suffix is not an export. */
    assert_json_error(&demo, "/api/v1/petitions/e-2829.csv", 400, "invalid", "number");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_of_a_keyword_holds_its_petitions_with_their_fields),
        cmocka_unit_test(csv_has_every_petition_and_no_one_twice),
        cmocka_unit_test(csv_answers_304_to_its_etag),
        cmocka_unit_test(formula_cells_get_an_apostrophe),
        cmocka_unit_test(petition_xml_validates_and_matches_the_json),
        cmocka_unit_test(french_xml_has_the_french_texts),
        cmocka_unit_test(list_xml_holds_only_the_matching_petitions),
        cmocka_unit_test(control_characters_are_dropped_and_markup_round_trips),
        cmocka_unit_test(schema_is_served_as_it_is_in_the_repository),
        cmocka_unit_test(unknown_parameters_and_petitions_are_json_errors),
    };
    int failed = cmocka_run_group_tests(tests, start, stop);
    /* libxml2's global state, so that LeakSanitizer sees nothing left. */
    xmlCleanupParser();
    return failed;
}
