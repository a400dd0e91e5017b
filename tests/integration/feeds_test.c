/*
 * feeds_test.c: the Atom feeds over HTTP, read back with libxml2.
 *
 * Two servers: one with the demo data (e-2829 and its response, the
 * keyword "belarus"), one with data/feeds.json, whose texts carry & < > "
 * ' and "]]>" and characters XML cannot hold (a bell, a vertical tab).
 * Every feed is parsed with xmlReadMemory (xmltest.h: no network, every
 * error counted: there must be none), then checked against RFC 4287's rules
 * with XPath: the Atom namespace and xml:lang, exactly one id, title and
 * updated on the feed and on each entry, a feed author, the self and
 * alternate links, RFC 3339 UTC times, unique entry ids, entries newest
 * first, absolute URLs.  Then what each feed must say: French titles in
 * the French feeds, e-2829's response with its tabling date, the keyword
 * feed's petitions and no others, texts that round-trip exactly, a 404
 * for an unknown keyword, the discovery links on the pages, and 304 on a
 * repeat with If-None-Match.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xmltest.h"
#include "lib/banned.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

static struct harness demo;   /* the built-in demo data */
static struct harness tricky; /* tests/integration/data/feeds.json */

static int
start(void **state)
{
    (void)state;
    xp_namespace("a", ATOM_NS);
    if (harness_start(&demo, NULL))
        return -1;
    return harness_start(&tricky, "tests/integration/data/feeds.json");
}

static int
stop(void **state)
{
    (void)state;
    /* Both must stop cleanly on SIGTERM (exit 0, no sanitizer report). */
    int a = harness_stop(&demo), b = harness_stop(&tricky);
    if (a || b)
        fprintf(stderr, "petitiond exited with %d and %d; logs in %s and %s\n", a, b, demo.dir,
                tricky.dir);
    return a == 0 && b == 0 ? 0 : -1;
}

/* ---- reading a feed -------------------------------------------------------------------------- */

/* GET path from h, expecting a 200 Atom answer. */
static struct http_result
get_feed(struct harness *h, const char *path)
{
    struct http_result r;
    assert_int_equal(http_get(h, path, &r), 0);
    if (r.status != 200)
        fail_msg("%s: status %ld", path, r.status);
    const char *type = http_header(&r, "Content-Type");
    assert_non_null(type);
    assert_string_equal(type, "application/atom+xml; charset=utf-8");
    assert_string_equal(http_header(&r, "Cache-Control"),
                        "public, max-age=300, stale-while-revalidate=1500, stale-if-error=86400");
    return r;
}

/* "2020-12-09T05:00:00Z": RFC 3339, in UTC, as the feeds write it. */
static bool
rfc3339_utc(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            return false;
    return true;
}

/*
 * What every feed must be (RFC 4287 sections 4.1.1, 4.1.2, 4.2): the
 * namespace, xml:lang, one id, title and updated on the feed and on each
 * entry, an author, self and alternate links (absolute, on h), RFC 3339
 * times, unique entry ids, the feed's updated being its newest entry's;
 * with newest_first, entries by updated descending.  Returns how many
 * entries there are.
 */
static int
check_atom(struct harness *h, xmlDocPtr doc, const char *lang, const char *self_path,
           bool newest_first)
{
    assert_xml_root(doc, "feed", lang);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, ATOM_NS);

    assert_int_equal(xp_count(doc, "/a:feed/a:id"), 1);
    assert_int_equal(xp_count(doc, "/a:feed/a:title"), 1);
    assert_int_equal(xp_count(doc, "/a:feed/a:updated"), 1);
    assert_int_equal(xp_count(doc, "/a:feed/a:author/a:name[string-length(.) > 0]"), 1);
    assert_int_equal(xp_count(doc, "/a:feed/a:link[@rel='self']"), 1);
    assert_int_equal(xp_count(doc, "/a:feed/a:link[@rel='alternate' and @type='text/html']"), 1);
    char self[512];
    snprintf(self, sizeof(self), "%s%s", h->base, self_path);
    assert_xp_equal(doc, "/a:feed/a:link[@rel='self']/@href", self);
    assert_xp_equal(doc, "/a:feed/a:id", self);
    assert_int_equal(xp_count(doc, "/a:feed/a:title[string-length(.) > 0]"), 1);

    /* Every entry has exactly one id, title, updated, and a page. */
    assert_int_equal(xp_count(doc, "/a:feed/a:entry[count(a:id) != 1 or count(a:title) != 1"
                                   " or count(a:updated) != 1 or count(a:published) > 1"
                                   " or count(a:link[@rel='alternate']) != 1"
                                   " or string-length(a:title) = 0]"),
                     0);
    /* Every link is absolute, on this server. */
    char prefix[256];
    snprintf(prefix, sizeof(prefix), "//a:link[not(starts-with(@href, '%s/'))]", h->base);
    assert_int_equal(xp_count(doc, prefix), 0);

    int n = xp_count(doc, "/a:feed/a:entry");
    assert_true(n <= 50);
    char *feed_updated = xp_string(doc, "/a:feed/a:updated");
    assert_true(rfc3339_utc(feed_updated));
    char *newest = strdup(""), *prev = NULL;
    char **ids = calloc((size_t)n + 1, sizeof(*ids));
    assert_non_null(newest);
    assert_non_null(ids);
    for (int i = 1; i <= n; i++) {
        char expr[128];
        snprintf(expr, sizeof(expr), "/a:feed/a:entry[%d]/a:updated", i);
        char *upd = xp_string(doc, expr);
        if (!rfc3339_utc(upd))
            fail_msg("entry %d: updated \"%s\" is not RFC 3339 UTC", i, upd);
        snprintf(expr, sizeof(expr), "/a:feed/a:entry[%d]/a:published", i);
        char *pub = xp_string(doc, expr);
        if (pub[0] && (!rfc3339_utc(pub) || strcmp(pub, upd) > 0))
            fail_msg("entry %d: published \"%s\" (updated %s)", i, pub, upd);
        free(pub);
        if (newest_first && prev && strcmp(upd, prev) > 0)
            fail_msg("entry %d (%s) is newer than the one before (%s)", i, upd, prev);
        if (strcmp(upd, newest) > 0) {
            free(newest);
            newest = strdup(upd);
            assert_non_null(newest);
        }
        free(prev);
        prev = upd;
        snprintf(expr, sizeof(expr), "/a:feed/a:entry[%d]/a:id", i);
        ids[i - 1] = xp_string(doc, expr);
        for (int j = 0; j < i - 1; j++)
            if (strcmp(ids[j], ids[i - 1]) == 0)
                fail_msg("entry id %s twice", ids[j]);
    }
    if (n)
        assert_string_equal(feed_updated, newest);
    for (int i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    free(prev);
    free(newest);
    free(feed_updated);
    return n;
}

/* The XPath of the entry whose id is h's base + id_path. */
static const char *
entry_at(struct harness *h, const char *id_path, const char *rest, char *buf, size_t size)
{
    snprintf(buf, size, "/a:feed/a:entry[a:id = '%s%s']%s", h->base, id_path, rest);
    return buf;
}

static bool
has_entry(struct harness *h, xmlDocPtr doc, const char *id_path)
{
    char expr[512];
    return xp_count(doc, entry_at(h, id_path, "", expr, sizeof(expr))) == 1;
}

/* ---- the feeds ------------------------------------------------------------------------------- */

static void
opened_feed_lists_open_petitions_newest_first(void **state)
{
    (void)state;
    struct http_result r = get_feed(&demo, "/en/feeds/opened.atom");
    xmlDocPtr doc = xml_parse(&r, "/en/feeds/opened.atom");
    int n = check_atom(&demo, doc, "en", "/en/feeds/opened.atom", true);
    assert_true(n >= 2);
    assert_xp_equal(doc, "/a:feed/a:title", "E-petitions opened for signature");
    assert_xp_equal(doc, "/a:feed/a:author/a:name", "House of Commons of Canada");
    char self[256];
    snprintf(self, sizeof(self), "%s/en/petitions?status=open", demo.base);
    assert_xp_equal(doc, "/a:feed/a:link[@rel='alternate' and @type='text/html']/@href", self);
    /* The two petitions open for signature, and an older opening (e-2829). */
    assert_true(has_entry(&demo, doc, "/en/petitions/e-6512#opened"));
    assert_true(has_entry(&demo, doc, "/en/petitions/e-6478#opened"));
    assert_true(has_entry(&demo, doc, "/en/petitions/e-2829#opened"));
    /* A paper petition is never opened for signature here. */
    assert_false(has_entry(&demo, doc, "/en/petitions/441-01211#opened"));
    char expr[512];
    assert_xp_equal(
        doc, entry_at(&demo, "/en/petitions/e-2829#opened", "/a:published", expr, sizeof(expr)),
        "2020-09-15T13:30:00Z"); /* 9:30 a.m. EDT */
    assert_xp_equal(doc,
                    entry_at(&demo, "/en/petitions/e-2829#opened", "/a:title", expr, sizeof(expr)),
                    "e-2829 — Foreign affairs");
    snprintf(self, sizeof(self), "%s/en/petitions/e-2829", demo.base);
    assert_xp_equal(doc,
                    entry_at(&demo, "/en/petitions/e-2829#opened",
                             "/a:link[@rel='alternate']/@href", expr, sizeof(expr)),
                    self);
    /* The summary is the prayer; keywords are categories. */
    assert_true(xp_contains(
        doc, entry_at(&demo, "/en/petitions/e-2829#opened", "/a:summary", expr, sizeof(expr)),
        "We, the undersigned"));
    assert_int_equal(xp_count(doc, entry_at(&demo, "/en/petitions/e-2829#opened",
                                            "/a:category[@term='belarus' and @label='Belarus']",
                                            expr, sizeof(expr))),
                     1);
    xmlFreeDoc(doc);
    http_result_free(&r);
}

static void
opened_feed_in_french(void **state)
{
    (void)state;
    struct http_result r = get_feed(&demo, "/fr/feeds/opened.atom");
    assert_string_equal(http_header(&r, "Content-Language"), "fr");
    xmlDocPtr doc = xml_parse(&r, "/fr/feeds/opened.atom");
    check_atom(&demo, doc, "fr", "/fr/feeds/opened.atom", true);
    assert_xp_equal(doc, "/a:feed/a:title", "Pétitions électroniques ouvertes à la signature");
    assert_xp_equal(doc, "/a:feed/a:author/a:name", "Chambre des communes du Canada");
    char expr[512];
    assert_xp_equal(doc,
                    entry_at(&demo, "/fr/petitions/e-2829#opened", "/a:title", expr, sizeof(expr)),
                    "e-2829 — Affaires étrangères");
    assert_true(xp_contains(
        doc, entry_at(&demo, "/fr/petitions/e-2829#opened", "/a:summary", expr, sizeof(expr)),
        "Nous, soussignés"));
    assert_int_equal(xp_count(doc, entry_at(&demo, "/fr/petitions/e-2829#opened",
                                            "/a:category[@term='belarus' and @label='Bélarus']",
                                            expr, sizeof(expr))),
                     1);
    /* Its entries link to the French pages. */
    assert_int_equal(xp_count(doc, "//a:entry/a:link[not(contains(@href, '/fr/'))]"), 0);
    /* And the English feed is announced as its alternate in English. */
    char other[256];
    snprintf(other, sizeof(other), "%s/en/feeds/opened.atom", demo.base);
    assert_xp_equal(doc, "/a:feed/a:link[@rel='alternate' and @hreflang='en']/@href", other);
    xmlFreeDoc(doc);
    http_result_free(&r);
}

static void
responses_feed_has_e2829_with_its_tabling_date(void **state)
{
    (void)state;
    const char *langs[] = {"en", "fr"};
    for (int l = 0; l < 2; l++) {
        char path[64], id[64], expr[512];
        snprintf(path, sizeof(path), "/%s/feeds/responses.atom", langs[l]);
        struct http_result r = get_feed(&demo, path);
        xmlDocPtr doc = xml_parse(&r, path);
        check_atom(&demo, doc, langs[l], path, true);
        snprintf(id, sizeof(id), "/%s/petitions/e-2829#response", langs[l]);
        assert_true(has_entry(&demo, doc, id));
        /* Tabled on December 9, 2020 (midnight Eastern, 05:00 UTC). */
        assert_xp_equal(doc, entry_at(&demo, id, "/a:published", expr, sizeof(expr)),
                        "2020-12-09T05:00:00Z");
        assert_xp_equal(doc, entry_at(&demo, id, "/a:updated", expr, sizeof(expr)),
                        "2020-12-09T05:00:00Z");
        /* The paper petition's response too; petitions without one never. */
        snprintf(id, sizeof(id), "/%s/petitions/441-01211#response", langs[l]);
        assert_true(has_entry(&demo, doc, id));
        assert_int_equal(xp_count(doc, "/a:feed/a:entry"), 2);
        snprintf(id, sizeof(id), "/%s/petitions/e-2829#response", langs[l]);
        if (l == 0) {
            assert_xp_equal(doc, "/a:feed/a:title", "Government responses to petitions");
            assert_xp_equal(doc, entry_at(&demo, id, "/a:title", expr, sizeof(expr)),
                            "Response to petition e-2829 — Foreign affairs");
            assert_xp_equal(doc, entry_at(&demo, id, "/a:author/a:name", expr, sizeof(expr)),
                            "Minister of Foreign Affairs");
            /* The first paragraph of the response, not the prayer. */
            assert_true(xp_contains(doc, entry_at(&demo, id, "/a:summary", expr, sizeof(expr)),
                                    "The Government of Canada is a longstanding advocate"));
            assert_false(xp_contains(doc, entry_at(&demo, id, "/a:summary", expr, sizeof(expr)),
                                     "We, the undersigned"));
        } else {
            assert_xp_equal(doc, "/a:feed/a:title", "Réponses du gouvernement aux pétitions");
            assert_xp_equal(doc, entry_at(&demo, id, "/a:title", expr, sizeof(expr)),
                            "Réponse à la pétition e-2829 — Affaires étrangères");
            assert_true(xp_contains(doc, entry_at(&demo, id, "/a:summary", expr, sizeof(expr)),
                                    "Le gouvernement du Canada"));
        }
        xmlFreeDoc(doc);
        http_result_free(&r);
    }
}

static void
keyword_feed_lists_its_petitions_and_no_others(void **state)
{
    (void)state;
    struct http_result r = get_feed(&demo, "/en/feeds/keywords/belarus.atom");
    xmlDocPtr doc = xml_parse(&r, "/en/feeds/keywords/belarus.atom");
    int n = check_atom(&demo, doc, "en", "/en/feeds/keywords/belarus.atom", true);
    assert_xp_equal(doc, "/a:feed/a:title", "Petitions under the keyword Belarus");
    char page[256];
    snprintf(page, sizeof(page), "%s/en/keywords/belarus", demo.base);
    assert_xp_equal(doc, "/a:feed/a:link[@rel='alternate' and @type='text/html']/@href", page);
    /* The demo files e-2829, e-6512 and e-6104 under Belarus. */
    assert_int_equal(n, 3);
    assert_true(has_entry(&demo, doc, "/en/petitions/e-2829"));
    assert_true(has_entry(&demo, doc, "/en/petitions/e-6512"));
    assert_true(has_entry(&demo, doc, "/en/petitions/e-6104"));
    assert_false(has_entry(&demo, doc, "/en/petitions/e-6478")); /* Belgium */
    assert_false(has_entry(&demo, doc, "/en/petitions/e-3512")); /* Russia */
    assert_false(has_entry(&demo, doc, "/en/petitions/441-01211"));
    /* Each entry is filed under it. */
    assert_int_equal(xp_count(doc, "/a:feed/a:entry[not(a:category[@term='belarus'])]"), 0);
    /* e-2829: published when it opened, updated when its response was tabled. */
    char expr[512];
    assert_xp_equal(doc,
                    entry_at(&demo, "/en/petitions/e-2829", "/a:published", expr, sizeof(expr)),
                    "2020-09-15T13:30:00Z");
    assert_xp_equal(doc, entry_at(&demo, "/en/petitions/e-2829", "/a:updated", expr, sizeof(expr)),
                    "2020-12-09T05:00:00Z");
    xmlFreeDoc(doc);
    http_result_free(&r);

    r = get_feed(&demo, "/fr/feeds/keywords/belarus.atom");
    doc = xml_parse(&r, "/fr/feeds/keywords/belarus.atom");
    assert_int_equal(check_atom(&demo, doc, "fr", "/fr/feeds/keywords/belarus.atom", true), 3);
    assert_xp_equal(doc, "/a:feed/a:title", "Pétitions sous le mot-clé Bélarus");
    assert_xp_equal(doc, entry_at(&demo, "/fr/petitions/e-6512", "/a:title", expr, sizeof(expr)),
                    "e-6512 — Immigration");
    xmlFreeDoc(doc);
    http_result_free(&r);
}

static void
unknown_keyword_feed_is_404(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(http_get(&demo, "/en/feeds/keywords/no-such-keyword.atom", &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(http_header(&r, "Content-Type"), "text/html"));
    assert_true(body_has(&r, "<html lang=\"en\">"));
    http_result_free(&r);

    assert_int_equal(http_get(&demo, "/fr/feeds/keywords/no-such-keyword.atom", &r), 0);
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "<html lang=\"fr\">"));
    http_result_free(&r);

    /* A known keyword without ".atom", ".atom" alone, another name: not feeds. */
    const char *others[] = {"/en/feeds/keywords/belarus", "/en/feeds/keywords/.atom",
                            "/en/feeds/keywords/belarus.rss", "/en/feeds/everything.atom",
                            "/en/keywords/belarus.atom"};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        assert_int_equal(http_get(&demo, others[i], &r), 0);
        if (r.status != 404)
            fail_msg("%s: %ld, not 404", others[i], r.status);
        http_result_free(&r);
    }
    /* The keyword's HTML page is still there. */
    assert_int_equal(http_get(&demo, "/en/keywords/belarus", &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
}

/* The <link rel="alternate" type="application/atom+xml"> of href sits in
 * the page's <head>, and a visible link to it in its body. */
static void
assert_offers(const struct http_result *r, const char *page, const char *href, const char *visible)
{
    const char *head_end = strstr(r->body, "</head>");
    assert_non_null(head_end);
    char want[256];
    snprintf(want, sizeof(want), "type=\"application/atom+xml\" title=\"");
    const char *link = strstr(r->body, want);
    if (!link || link > head_end)
        fail_msg("%s: no Atom discovery link in <head>", page);
    snprintf(want, sizeof(want), "href=\"%s\">", href);
    const char *at = strstr(r->body, want);
    if (!at || at > head_end)
        fail_msg("%s: no discovery link to %s in <head>", page, href);
    snprintf(want, sizeof(want), "<a href=\"%s\" type=\"application/atom+xml\">%s", href, visible);
    const char *a = strstr(head_end, want);
    if (!a)
        fail_msg("%s: no visible link \"%s\" to %s", page, visible, href);
}

static void
pages_offer_their_feeds(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(http_get(&demo, "/en", &r), 0);
    assert_int_equal(r.status, 200);
    assert_offers(&r, "/en", "/en/feeds/opened.atom", "Atom feed");
    assert_offers(&r, "/en", "/en/feeds/responses.atom", "Atom feed");
    http_result_free(&r);

    assert_int_equal(http_get(&demo, "/fr", &r), 0);
    assert_offers(&r, "/fr", "/fr/feeds/opened.atom", "Fil Atom");
    assert_offers(&r, "/fr", "/fr/feeds/responses.atom", "Fil Atom");
    assert_true(body_has(&r, "title=\"Réponses du gouvernement aux pétitions\""));
    http_result_free(&r);

    assert_int_equal(http_get(&demo, "/en/petitions?status=open", &r), 0);
    assert_offers(&r, "/en/petitions", "/en/feeds/opened.atom", "Atom feed");
    http_result_free(&r);

    /* A list filtered by keyword offers that keyword's feed too. */
    assert_int_equal(http_get(&demo, "/en/petitions?keyword=belarus", &r), 0);
    assert_offers(&r, "/en/petitions?keyword=belarus", "/en/feeds/keywords/belarus.atom",
                  "Atom feed: Belarus");
    http_result_free(&r);

    assert_int_equal(http_get(&demo, "/en/keywords/belarus", &r), 0);
    assert_offers(&r, "/en/keywords/belarus", "/en/feeds/keywords/belarus.atom",
                  "Atom feed: Belarus");
    assert_true(body_has(&r, "title=\"Petitions under the keyword Belarus\""));
    http_result_free(&r);

    assert_int_equal(http_get(&demo, "/fr/keywords/belarus", &r), 0);
    assert_offers(&r, "/fr/keywords/belarus", "/fr/feeds/keywords/belarus.atom",
                  "Fil Atom : Bélarus");
    http_result_free(&r);
}

static void
feed_answers_304_to_if_none_match(void **state)
{
    (void)state;
    struct http_result r;
    const char *path = "/en/feeds/responses.atom";
    assert_int_equal(http_get(&demo, path, &r), 0);
    assert_int_equal(r.status, 200);
    const char *tag = http_header(&r, "ETag");
    assert_non_null(tag);
    char etag[64];
    snprintf(etag, sizeof(etag), "%s", tag);
    assert_non_null(http_header(&r, "Last-Modified"));
    http_result_free(&r);

    char cond[128];
    snprintf(cond, sizeof(cond), "If-None-Match: %s", etag);
    const char *headers[] = {cond, NULL};
    assert_int_equal(http_request(&demo, "GET", path, NULL, 0, headers, &r), 0);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_string_equal(http_header(&r, "ETag"), etag);
    assert_string_equal(http_header(&r, "Cache-Control"),
                        "public, max-age=300, stale-while-revalidate=1500, stale-if-error=86400");
    http_result_free(&r);

    /* Another tag: the whole feed again. */
    const char *other[] = {"If-None-Match: \"not-this-one\"", NULL};
    assert_int_equal(http_request(&demo, "GET", path, NULL, 0, other, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<feed"));
    http_result_free(&r);

    /* HEAD answers the headers alone. */
    assert_int_equal(http_request(&demo, "HEAD", path, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 0);
    assert_string_equal(http_header(&r, "Content-Type"), "application/atom+xml; charset=utf-8");
    http_result_free(&r);
}

/* ---- escaping -------------------------------------------------------------------------------- */

static void
special_characters_keep_every_feed_well_formed(void **state)
{
    (void)state;
    const char *paths[] = {"/en/feeds/opened.atom",
                           "/fr/feeds/opened.atom",
                           "/en/feeds/responses.atom",
                           "/fr/feeds/responses.atom",
                           "/en/feeds/keywords/r-and-d.atom",
                           "/fr/feeds/keywords/r-and-d.atom",
                           "/en/feeds/keywords/libraries.atom"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct http_result r = get_feed(&tricky, paths[i]);
        xmlDocPtr doc = xml_parse(&r, paths[i]);
        assert_true(check_atom(&tricky, doc, paths[i][1] == 'f' ? "fr" : "en", paths[i], true) > 0);
        /* Nothing of the texts came through as markup. */
        assert_int_equal(xp_count(doc, "//*[local-name() = 'b' or local-name() = 'i'"
                                       " or local-name() = 'only' or local-name() = 'seul'"
                                       " or local-name() = 'Fisheries']"),
                         0);
        assert_false(body_has(&r, "<![CDATA["));
        xmlFreeDoc(doc);
        http_result_free(&r);
    }
}

static void
special_characters_round_trip_exactly(void **state)
{
    (void)state;
    char expr[512];
    struct http_result r = get_feed(&tricky, "/en/feeds/opened.atom");
    xmlDocPtr doc = xml_parse(&r, "/en/feeds/opened.atom");
    assert_xp_equal(
        doc, entry_at(&tricky, "/en/petitions/e-8001#opened", "/a:title", expr, sizeof(expr)),
        "e-8001 — Fish & Chips <\"quoted\">");
    /* The prayer as it was written, but for the bell and the vertical tab,
     * which XML 1.0 cannot carry at all. */
    assert_xp_equal(
        doc, entry_at(&tricky, "/en/petitions/e-8001#opened", "/a:summary", expr, sizeof(expr)),
        "We call upon the Government to:\n"
        "1. Treat A & B < C > D \"now\" and 'then' ]]> <![CDATA[ x;\n"
        "2. Remove a bell and a vertical tab from this text.");
    assert_xp_equal(doc,
                    entry_at(&tricky, "/en/petitions/e-8001#opened",
                             "/a:category[@term='r-and-d']/@label", expr, sizeof(expr)),
                    "R&D <b>\"lab\"</b>");
    /* A petition without a subject is titled by its prayer's first words. */
    assert_xp_equal(
        doc, entry_at(&tricky, "/en/petitions/e-8002#opened", "/a:title", expr, sizeof(expr)),
        "e-8002 — We, the undersigned, residents of Canada, call upon the House of"
        " Commons…");
    xmlFreeDoc(doc);
    http_result_free(&r);

    r = get_feed(&tricky, "/en/feeds/responses.atom");
    doc = xml_parse(&r, "/en/feeds/responses.atom");
    assert_int_equal(xp_count(doc, "/a:feed/a:entry"), 1);
    assert_xp_equal(doc, "/a:feed/a:entry/a:summary",
                    "First & <only> \"paragraph\" of the response ]]> here.");
    assert_xp_equal(doc, "/a:feed/a:entry/a:author/a:name", "Minister of <Fisheries> & \"Oceans\"");
    assert_xp_equal(doc, "/a:feed/a:entry/a:published", "2025-11-01T04:00:00Z");
    assert_false(body_has(&r, "SECOND-PARAGRAPH-MARKER"));
    xmlFreeDoc(doc);
    http_result_free(&r);

    r = get_feed(&tricky, "/fr/feeds/keywords/r-and-d.atom");
    doc = xml_parse(&r, "/fr/feeds/keywords/r-and-d.atom");
    assert_xp_equal(doc, "/a:feed/a:title", "Pétitions sous le mot-clé R-D & <i>labo</i>");
    assert_xp_equal(doc, "/a:feed/a:entry/a:title", "e-8001 — Poisson & frites <\"cité\">");
    assert_xp_equal(doc, "/a:feed/a:entry/a:summary",
                    "Nous demandons au gouvernement de :\n"
                    "1. Traiter A & B < C > D « maintenant » ]]> <![CDATA[ x;\n"
                    "2. Retirer une cloche et une tabulation de ce texte.");
    xmlFreeDoc(doc);
    http_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opened_feed_lists_open_petitions_newest_first),
        cmocka_unit_test(opened_feed_in_french),
        cmocka_unit_test(responses_feed_has_e2829_with_its_tabling_date),
        cmocka_unit_test(keyword_feed_lists_its_petitions_and_no_others),
        cmocka_unit_test(unknown_keyword_feed_is_404),
        cmocka_unit_test(pages_offer_their_feeds),
        cmocka_unit_test(feed_answers_304_to_if_none_match),
        cmocka_unit_test(special_characters_keep_every_feed_well_formed),
        cmocka_unit_test(special_characters_round_trip_exactly),
    };
    int failed = cmocka_run_group_tests(tests, start, stop);
    /* libxml2's global state, so that LeakSanitizer sees nothing left. */
    xmlCleanupParser();
    return failed;
}
