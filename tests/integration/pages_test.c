/*
 * pages_test.c: the public site over HTTP, against a real petitiond with
 * the demo data: both languages, e-2829 as published, lists, keywords,
 * subjects (their index, their pages with counts, responses and the
 * downloads of the list, as keywords' and the list's have them), the
 * JSON API, errors (404, 400, 405) and the server's limits (invalid
 * UTF-8, a NUL in the path, HTTP/1.1 without Host, over-long URL,
 * over-large headers and body), the access log (no query, no client
 * address) and the graceful shutdown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "fixtures.h"
#include "lib/banned.h"

static struct harness server;

static int
start(void **state)
{
    (void)state;
    return harness_start(&server, NULL);
}

static int
stop(void **state)
{
    (void)state;
    /* The server must stop cleanly on SIGTERM (exit 0, no sanitizer report). */
    return harness_stop_checked(&server);
}

static struct http_result
get(const char *path)
{
    struct http_result r;
    assert_int_equal(http_get(&server, path, &r), 0);
    return r;
}

/* Send req as it is on a connection of its own and read the whole answer
 * (the request says Connection: close); malloc'd. */
static char *
raw_exchange(const char *req)
{
    char *out = harness_raw_exchange(&server, req);
    assert_non_null(out);
    return out;
}

static void
healthz_answers_ok(void **state)
{
    (void)state;
    struct http_result r = get("/healthz");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "ok schema="));
    http_result_free(&r);
}

static void
root_offers_both_languages(void **state)
{
    (void)state;
    struct http_result r = get("/");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/en\""));
    assert_true(body_has(&r, "href=\"/fr\""));
    assert_true(body_has(&r, "Chambre des communes du Canada"));
    assert_true(body_has(&r, "House of Commons of Canada"));
    assert_string_equal(http_header(&r, "Vary"), "Accept-Language");
    http_result_free(&r);

    /* A French browser sees Français first. */
    r = get_with(&server, "/", "Accept-Language: fr-CA,fr;q=0.9,en;q=0.5");
    const char *main_part = strstr(r.body, "<main");
    assert_non_null(main_part);
    const char *fr = strstr(main_part, "href=\"/fr\"");
    const char *en = strstr(main_part, "href=\"/en\"");
    assert_non_null(fr);
    assert_non_null(en);
    assert_true(fr < en);
    http_result_free(&r);
}

static void
home_lists_open_petitions_and_responses_in_english(void **state)
{
    (void)state;
    struct http_result r = get("/en");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<html lang=\"en\">"));
    assert_true(body_has(&r, "Open for signature"));
    assert_true(body_has(&r, "Recent government responses"));
    assert_true(body_has(&r, "href=\"/en/petitions/e-2829\""));
    assert_true(body_has(&r, "href=\"/fr\""));
    assert_true(body_has(&r, "Petitions by status"));
    assert_string_equal(http_header(&r, "Content-Language"), "en");
    assert_non_null(strstr(http_header(&r, "Content-Type"), "text/html"));
    http_result_free(&r);
}

static void
home_in_french(void **state)
{
    (void)state;
    struct http_result r = get("/fr");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<html lang=\"fr\">"));
    assert_true(body_has(&r, "Ouvertes à la signature"));
    assert_true(body_has(&r, "Réponses récentes du gouvernement"));
    assert_true(body_has(&r, "href=\"/fr/petitions/e-2829\""));
    assert_true(body_has(&r, "href=\"/en\""));
    http_result_free(&r);
}

/* Every element of the published page of e-2829 (seed 003). */
static void
petition_e2829_in_english_as_published(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/e-2829");
    assert_int_equal(r.status, 200);
    const char *expect[] = {
        "e-2829 (Foreign affairs)",
        "E-petition",
        "Initiated by Siarhei Mazgavoi from Nepean, Ontario",
        "Original language of petition: English",
        "Petition to the Government of Canada",
        "Whereas:",
        "The August 9, 2020, Presidential election in Belarus became one of the dirtiest rigged "
        "elections;",
        "Dictator Lukashenko’s regime brutally suppressed the ensuing nationwide peaceful protests "
        "with rubber bullets, tear gas, water cannons, and stun grenades; and",
        "We, the undersigned, Canadians and permanent residents of Canada, call upon the "
        "Government of Canada to:",
        "1. Demand that Belarusian officials free all political prisoners;",
        "8. Prevent Russia’s interference in the conflict between Belarusian society and the "
        "Lukashenko regime.",
        "Response by the Minister of Foreign Affairs",
        "Signed by (Minister or Parliamentary Secretary): The Honourable François-Philippe "
        "Champagne",
        "The Government of Canada will continue to closely monitor developments in Belarus",
        "Open for signature",
        "September 15, 2020, at 9:30 a.m. (EDT)",
        "Closed for signature",
        "October 15, 2020, at 9:30 a.m. (EDT)",
        "Presented to the House of Commons",
        "Chandra Arya (Nepean)",
        "October 26, 2020",
        "Petition No. 432-00158",
        "Government response tabled",
        "December 9, 2020",
        "Liberal",
        "Government response tabled</span>",
        "Signatures by province and territory",
        "Only validated signatures are counted towards the total.",
        "href=\"/en/keywords/belarus\"",
        "href=\"/fr/petitions/e-2829\"",
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        if (!body_has(&r, expect[i]))
            fail_msg("e-2829 page lacks: %s", expect[i]);
    }
    http_result_free(&r);
}

static void
petition_e2829_in_french(void **state)
{
    (void)state;
    struct http_result r = get("/fr/petitions/e-2829");
    assert_int_equal(r.status, 200);
    const char *expect[] = {
        "<html lang=\"fr\">",
        "e-2829 (Affaires étrangères)",
        "Pétition électronique",
        "Lancée par Siarhei Mazgavoi de Nepean, Ontario",
        "Langue originale de la pétition : anglais",
        "Pétition au gouvernement du Canada",
        "Attendu que :",
        "Réponse du ministre des Affaires étrangères",
        "Signée par (ministre ou secrétaire parlementaire) : L’honorable François-Philippe",
        "15 septembre 2020, à 9 h 30 (HAE)",
        "15 octobre 2020, à 9 h 30 (HAE)",
        "26 octobre 2020",
        "432-00158",
        "9 décembre 2020",
        "Seules les signatures validées sont comptées dans le total.",
        "href=\"/en/petitions/e-2829\"",
        "href=\"/fr/keywords/belarus\"",
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        if (!body_has(&r, expect[i]))
            fail_msg("French e-2829 page lacks: %s", expect[i]);
    }
    /* The English text must not leak into the French page. */
    assert_false(body_has(&r, "Petition to the Government of Canada"));
    assert_false(body_has(&r, "The Honourable"));
    http_result_free(&r);
}

static void
presented_number_redirects_to_the_e_number(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/432-00158");
    assert_int_equal(r.status, 301);
    assert_string_equal(http_header(&r, "Location"), "/en/petitions/e-2829");
    http_result_free(&r);
}

static void
unknown_petition_is_404_in_the_visitors_language(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/e-999999");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "There is no published petition with this number."));
    http_result_free(&r);
    r = get("/fr/petitions/e-999999");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "Aucune pétition publiée ne porte ce numéro."));
    http_result_free(&r);
}

static void
malformed_petition_number_is_400(void **state)
{
    (void)state;
    const char *bad[] = {"/en/petitions/e-abc", "/en/petitions/foo", "/en/petitions/e-0",
                         "/fr/petitions/432-158"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct http_result r = get(bad[i]);
        if (r.status != 400)
            fail_msg("%s gave %ld", bad[i], r.status);
        assert_true(body_has(&r, "e-2829"));
        http_result_free(&r);
    }
}

static void
unknown_page_is_404_in_the_browsers_language(void **state)
{
    (void)state;
    struct http_result r = get_with(&server, "/nowhere", "Accept-Language: fr");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "<html lang=\"fr\">"));
    assert_true(body_has(&r, "Nous n’avons pas trouvé cette page"));
    http_result_free(&r);
    r = get("/en/nowhere");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "We could not find that page"));
    http_result_free(&r);
    /* Under /fr/ the address says the language, whatever the browser
     * prefers (issue 19, finding 7). */
    r = get_with(&server, "/fr/nulle-part", "Accept-Language: en");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "<html lang=\"fr\">"));
    assert_true(body_has(&r, "Nous n’avons pas trouvé cette page"));
    http_result_free(&r);
    r = get_with(&server, "/en/nowhere/at/all", "Accept-Language: fr");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "<html lang=\"en\">"));
    http_result_free(&r);
}

static void
list_filters_by_status_subject_keyword_and_words(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions?status=open");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "status-open"));
    assert_false(body_has(&r, "href=\"/en/petitions/e-2829\""));
    http_result_free(&r);

    r = get("/en/petitions?status=response-tabled&subject=foreign-affairs");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/en/petitions/e-2829\""));
    http_result_free(&r);

    r = get("/en/petitions?keyword=sanctions");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/en/petitions/e-2829\""));
    http_result_free(&r);

    r = get("/en/petitions?q=Lukashenko");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/en/petitions/e-2829\""));
    http_result_free(&r);

    r = get("/en/petitions?q=zzzznotawordzzzz");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "No petition matches."));
    http_result_free(&r);

    /* Every public state of the demo data appears in the full list. */
    r = get("/en/petitions");
    assert_int_equal(r.status, 200);
    const char *states[] = {
        "status-open",      "status-waiting-for-certification", "status-not-certified",
        "status-presented", "status-response-tabled",           "status-closed-upon-dissolution",
        "Paper petition"};
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (!body_has(&r, states[i]))
            fail_msg("list lacks %s", states[i]);
    http_result_free(&r);
}

static void
a_petition_number_in_the_search_goes_to_its_page(void **state)
{
    (void)state;
    struct http_result r = get("/fr/petitions?q=432-00158");
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/fr/petitions/e-2829");
    http_result_free(&r);
    r = get("/en/petitions?q=e-6512");
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/en/petitions/e-6512");
    http_result_free(&r);
    /* A number nobody published is searched as words: nothing found. */
    r = get("/en/petitions?q=e-999999");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "No petition matches."));
    http_result_free(&r);
}

static void
list_shows_the_requests_not_only_the_formula(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions?status=open");
    assert_true(body_has(&r, "Minister of Immigration, Refugees and Citizenship to: 1. Issue"));
    http_result_free(&r);
}

static void
list_refuses_unknown_values(void **state)
{
    (void)state;
    const char *bad[] = {
        "/en/petitions?status=bogus", "/en/petitions?page=0",        "/en/petitions?page=abc",
        "/en/petitions?sort=random",  "/en/petitions?subject=nope",  "/en/petitions?keyword=nope",
        "/en/petitions?type=stone",   "/en/petitions?member=nobody", "/en/petitions?session=44"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct http_result r = get(bad[i]);
        if (r.status != 400)
            fail_msg("%s gave %ld", bad[i], r.status);
        http_result_free(&r);
    }

    /* Unlike the API, the page forgives blank fields (its form sends
     * them all) and parameters it does not know; the API's filters work
     * on it too, and its next-page and download links keep them. */
    struct http_result r =
        get("/en/petitions?status=&type=&q=&utm_source=mail&per_page=1&member=okafor");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "/en/petitions/e-6390"));
    assert_false(body_has(&r, "/en/petitions/e-2829\""));
    assert_true(body_has(&r, "href=\"/api/v1/petitions.csv?member=okafor\""));
    http_result_free(&r);
}

static void
keyword_page_lists_its_petitions(void **state)
{
    (void)state;
    struct http_result r = get("/en/keywords/belarus");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Keyword: Belarus"));
    assert_true(body_has(&r, "href=\"/en/petitions/e-2829\""));
    http_result_free(&r);
    r = get("/fr/keywords/belarus");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Mot-clé : Bélarus"));
    http_result_free(&r);
    r = get("/en/keywords");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/en/keywords/belarus\""));
    http_result_free(&r);
    r = get("/en/keywords/no-such-keyword");
    assert_int_equal(r.status, 404);
    http_result_free(&r);
}

static void
keyword_page_has_counts_responses_and_downloads(void **state)
{
    (void)state;
    struct http_result r = get("/en/keywords/sanctions");
    assert_int_equal(r.status, 200);
    const char *expect[] = {
        "Petitions filed under this keyword: 3",
        "With a government response: 1",
        "<h2 id=\"responses-heading\">Government responses</h2>",
        "Petitions with a government response tabled: 1",
        "<li><a href=\"/en/petitions/e-2829\">e-2829 (Foreign affairs)</a> <span "
        "class=\"response-by\">Response by the Minister of Foreign Affairs</span>",
        "Tabled <time datetime=\"2020-12-09\">December 9, 2020</time>",
        "<h2 id=\"downloads-heading\">Download this list</h2>",
        "href=\"/api/v1/petitions?keyword=sanctions\" type=\"application/json\"",
        "href=\"/api/v1/petitions.csv?keyword=sanctions\" type=\"text/csv\"",
        "href=\"/api/v1/petitions.xml?keyword=sanctions\" type=\"application/xml\"",
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        if (!body_has(&r, expect[i]))
            fail_msg("/en/keywords/sanctions lacks: %s", expect[i]);
    http_result_free(&r);

    /* Without any response: said so. */
    r = get("/fr/keywords/wetlands");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Avec une réponse du gouvernement : 0"));
    assert_true(body_has(&r, "Aucune réponse du gouvernement n’a encore été déposée"));
    assert_true(body_has(&r, "href=\"/api/v1/petitions.csv?keyword=wetlands\""));
    /* The XML export in the page's language. */
    assert_true(body_has(&r, "href=\"/api/v1/petitions.xml?keyword=wetlands&amp;lang=fr\""));
    http_result_free(&r);
}

static void
subject_page_lists_petitions_and_responses(void **state)
{
    (void)state;
    struct http_result r = get("/en/subjects/foreign-affairs");
    assert_int_equal(r.status, 200);
    const char *expect[] = {
        "<title>Subject: Foreign affairs – ",
        "<li><a href=\"/en/subjects\">Subjects</a></li><li aria-current=\"page\">Foreign "
        "affairs</li>",
        "Petitions filed under this subject: 5",
        "With a government response: 1",
        "href=\"/en/petitions?subject=foreign-affairs\"",
        /* e-2829 in the list with its signatures, and among the responses. */
        "<a href=\"/en/petitions/e-2829\">e-2829 (Foreign affairs)</a></h3>",
        "Response by the Minister of Foreign Affairs",
        "<time datetime=\"2020-12-09\">December 9, 2020</time>",
        "href=\"/api/v1/petitions?subject=foreign-affairs\"",
        "href=\"/api/v1/petitions.csv?subject=foreign-affairs\"",
        "href=\"/api/v1/petitions.xml?subject=foreign-affairs\"",
        "href=\"/fr/subjects/foreign-affairs\"",
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        if (!body_has(&r, expect[i]))
            fail_msg("/en/subjects/foreign-affairs lacks: %s", expect[i]);
    /* Newest first: e-2829 (2020) after e-6104 (presented this Parliament). */
    assert_true(strstr(r.body, "/en/petitions/e-6104") < strstr(r.body, "/en/petitions/e-2829"));
    /* Only its subject's petitions. */
    assert_false(body_has(&r, "/en/petitions/e-6512"));
    http_result_free(&r);

    /* e-2829's signature count as its own page gives it. */
    r = get("/api/v1/petitions/e-2829");
    assert_int_equal(r.status, 200);
    json_error_t jerr;
    json_t *o = json_loads(r.body, 0, &jerr);
    assert_non_null(o);
    json_int_t total =
        json_integer_value(json_object_get(json_object_get(o, "signatures"), "total"));
    json_decref(o);
    http_result_free(&r);
    char want[120];
    assert_true(total >= 1000 && total < 1000000);
    snprintf(want, sizeof(want), "<dt>Signatures</dt><dd>%lld,%03lld</dd>", (long long)total / 1000,
             (long long)total % 1000);
    r = get("/en/subjects/foreign-affairs");
    if (!body_has(&r, want))
        fail_msg("the subject page lacks %s", want);
    http_result_free(&r);

    r = get("/fr/subjects/foreign-affairs");
    assert_int_equal(r.status, 200);
    const char *expect_fr[] = {
        "<html lang=\"fr\">",
        "<h1>Sujet : Affaires étrangères</h1>",
        "Pétitions classées sous ce sujet : 5",
        "Avec une réponse du gouvernement : 1",
        "<a href=\"/fr/petitions/e-2829\">e-2829 (Affaires étrangères)</a>",
        "Réponse du ministre des Affaires étrangères",
        "Déposée le <time datetime=\"2020-12-09\">9 décembre 2020</time>",
        "Télécharger cette liste",
        "href=\"/api/v1/petitions.csv?subject=foreign-affairs\"",
    };
    for (size_t i = 0; i < sizeof(expect_fr) / sizeof(expect_fr[0]); i++)
        if (!body_has(&r, expect_fr[i]))
            fail_msg("/fr/subjects/foreign-affairs lacks: %s", expect_fr[i]);
    http_result_free(&r);

    /* A page past the last: empty, not an error; a bad page number: 400. */
    r = get("/en/subjects/foreign-affairs?page=2");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "No petition matches."));
    http_result_free(&r);
    r = get("/en/subjects/foreign-affairs?page=zero");
    assert_int_equal(r.status, 400);
    http_result_free(&r);
}

static void
subject_index_counts_petitions(void **state)
{
    (void)state;
    struct http_result r = get("/en/subjects");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<h1>Subjects</h1>"));
    assert_true(body_has(&r, "<a href=\"/en/subjects/foreign-affairs\">Foreign affairs</a> <span "
                             "class=\"count\">(5)</span>"));
    assert_true(body_has(&r, "<a href=\"/en/subjects/immigration\">Immigration</a> <span "
                             "class=\"count\">(2)</span>"));
    /* A subject without petitions is listed, unlinked. */
    assert_true(body_has(&r, "<li>Health <span class=\"count\">(0)</span></li>"));
    assert_false(body_has(&r, "href=\"/en/subjects/health\""));
    http_result_free(&r);
    r = get("/fr/subjects");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<a href=\"/fr/subjects/foreign-affairs\">Affaires étrangères</a>"));
    http_result_free(&r);
    /* Every page links the index beside the keywords; a petition, its subject. */
    r = get("/en");
    assert_true(body_has(&r, "<li><a href=\"/en/keywords\">Keywords</a></li>\n"
                             "      <li><a href=\"/en/subjects\">Subjects</a></li>"));
    http_result_free(&r);
    r = get("/fr/petitions/e-2829");
    assert_true(body_has(&r, "<a href=\"/fr/subjects/foreign-affairs\">Affaires étrangères</a>"));
    assert_true(body_has(&r, "<a href=\"/fr/subjects\">Sujets</a>"));
    http_result_free(&r);
}

static void
unknown_subject_is_404_in_the_visitors_language(void **state)
{
    (void)state;
    struct http_result r = get("/en/subjects/no-such-subject");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "There is no subject with this name."));
    http_result_free(&r);
    r = get("/fr/subjects/no-such-subject");
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "<html lang=\"fr\">"));
    assert_true(body_has(&r, "Aucun sujet ne porte ce nom."));
    http_result_free(&r);
}

static void
list_offers_its_filters_as_downloads(void **state)
{
    (void)state;
    /* The filters as given, in the API's names; no page, no empty value. */
    struct http_result r =
        get("/en/petitions?status=open&subject=immigration&q=&type=&sort=oldest&page=1");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/api/v1/petitions?status=open&amp;sort=oldest&amp;"
                             "subject=immigration\""));
    assert_true(body_has(&r, "href=\"/api/v1/petitions.csv?status=open&amp;sort=oldest&amp;"
                             "subject=immigration\""));
    assert_true(body_has(&r, "href=\"/api/v1/petitions.xml?status=open&amp;sort=oldest&amp;"
                             "subject=immigration\""));
    http_result_free(&r);
    r = get("/fr/petitions?keyword=belarus&q=Lukashenko&type=electronic");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "href=\"/api/v1/petitions.csv?type=electronic&amp;keyword=belarus"
                             "&amp;q=Lukashenko\""));
    http_result_free(&r);
    /* Unfiltered: the whole list. */
    r = get("/en/petitions");
    assert_true(body_has(&r, "href=\"/api/v1/petitions\" type=\"application/json\""));
    assert_true(body_has(&r, "href=\"/api/v1/petitions.csv\" type=\"text/csv\""));
    http_result_free(&r);
    /* Only petitions with a response, as on a keyword's page. */
    r = get("/en/petitions?keyword=sanctions&responded=true");
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Petitions found: 1"));
    assert_true(body_has(&r, "href=\"/en/petitions/e-2829\""));
    assert_true(body_has(&r, "value=\"true\" checked>"));
    assert_true(body_has(&r, "href=\"/api/v1/petitions.xml?keyword=sanctions&amp;"
                             "responded=true\""));
    http_result_free(&r);
    r = get("/en/petitions?responded=maybe");
    assert_int_equal(r.status, 400);
    http_result_free(&r);
}

static void
api_gives_the_public_record_and_counts(void **state)
{
    (void)state;
    struct http_result r = get("/api/v1/petitions/e-2829");
    assert_int_equal(r.status, 200);
    assert_string_equal(http_header(&r, "Content-Type"), "application/json");
    json_error_t jerr;
    json_t *o = json_loads(r.body, 0, &jerr);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "number")), "e-2829");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "response-tabled");
    json_t *resp = json_object_get(o, "response");
    assert_string_equal(json_string_value(json_object_get(resp, "signed_by")),
                        "The Honourable François-Philippe Champagne");
    assert_string_equal(json_string_value(json_object_get(resp, "signed_by_fr")),
                        "L’honorable François-Philippe Champagne");
    json_t *pres = json_object_get(o, "presentation");
    assert_string_equal(json_string_value(json_object_get(pres, "number")), "432-00158");
    assert_string_equal(json_string_value(json_object_get(o, "opened_at")), "2020-09-15T13:30:00Z");
    json_t *sig = json_object_get(o, "signatures");
    json_int_t total = json_integer_value(json_object_get(sig, "total")), sum = 0;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(sig, "by_region"), k, v) sum += json_integer_value(v);
    assert_true(total >= 500);
    assert_int_equal(sum, total);
    json_decref(o);
    http_result_free(&r);

    r = get("/api/v1/petitions/e-2829/count");
    assert_int_equal(r.status, 200);
    o = json_loads(r.body, 0, &jerr);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), total);
    json_decref(o);
    http_result_free(&r);

    r = get("/api/v1/petitions/e-999999");
    assert_int_equal(r.status, 404);
    o = json_loads(r.body, 0, &jerr);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "error"), "code")),
                        "not_found");
    json_decref(o);
    http_result_free(&r);
}

static void
invalid_utf8_in_query_is_400(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions?q=%ff%fe");
    assert_int_equal(r.status, 400);
    assert_true(body_has(&r, "valid UTF-8"));
    http_result_free(&r);
    r = get("/fr/petitions?q=abc%00def");
    assert_int_equal(r.status, 400);
    assert_true(body_has(&r, "UTF-8 valide"));
    http_result_free(&r);
}

static void
nul_in_the_path_is_400(void **state)
{
    (void)state;
    /* The NUL once cut the path: the style sheet was served for it. */
    struct http_result r = get("/static/style.css%00.png");
    assert_int_equal(r.status, 400);
    assert_false(body_has(&r, "font-family"));
    assert_true(body_has(&r, "characters that are not allowed"));
    http_result_free(&r);
    r = get("/en/petitions/e-2829%00/certificate");
    assert_int_equal(r.status, 400);
    http_result_free(&r);
    r = get("/fr/petitions%00?q=x");
    assert_int_equal(r.status, 400);
    assert_true(body_has(&r, "caractères non permis"));
    http_result_free(&r);
    /* An escaped percent sign before 00 is no NUL. */
    r = get("/en/keywords/a%2500");
    assert_int_equal(r.status, 404);
    http_result_free(&r);
}

static void
http11_without_host_is_400(void **state)
{
    (void)state;
    char *a = raw_exchange("GET /en HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 400 "));
    assert_non_null(strstr(a, "no Host header"));
    free(a);
    a = raw_exchange("GET /fr/petitions HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 400 "));
    assert_non_null(strstr(a, "pas d’en-tête Host"));
    free(a);
    /* With Host, and HTTP/1.0 without it, as before. */
    a = raw_exchange("GET /en HTTP/1.1\r\nHost: petitions.example\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a, "HTTP/1.1 200 "));
    free(a);
    a = raw_exchange("GET /en HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(a, " 200 "));
    free(a);
}

static void
over_long_url_is_414(void **state)
{
    (void)state;
    char path[5000];
    memcpy(path, "/en/petitions?q=", 16);
    memset(path + 16, 'a', sizeof(path) - 17);
    path[sizeof(path) - 1] = '\0';
    struct http_result r = get(path);
    assert_int_equal(r.status, 414);
    assert_true(body_has(&r, "The address is too long."));
    http_result_free(&r);
}

static void
over_large_headers_are_431(void **state)
{
    (void)state;
    size_t n = 40 * 1024;
    char *h = malloc(n + 16);
    memcpy(h, "X-Big: ", 7);
    memset(h + 7, 'b', n);
    h[7 + n] = '\0';
    struct http_result r = get_with(&server, "/en", h);
    assert_int_equal(r.status, 431);
    http_result_free(&r);
    free(h);
}

static void
over_large_body_is_413(void **state)
{
    (void)state;
    size_t n = 200 * 1024;
    char *body = malloc(n);
    memset(body, 'x', n);
    struct http_result r;
    assert_int_equal(http_request(&server, "POST", "/en", body, n, NULL, &r), 0);
    assert_int_equal(r.status, 413);
    assert_true(body_has(&r, "too large"));
    http_result_free(&r);
    free(body);
}

static void
wrong_method_is_405_with_allow(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(http_request(&server, "POST", "/en/petitions", "a=b", 3, NULL, &r), 0);
    assert_int_equal(r.status, 405);
    assert_string_equal(http_header(&r, "Allow"), "GET, HEAD");
    http_result_free(&r);
}

static void
head_and_static_and_trailing_slash(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(http_request(&server, "HEAD", "/en/petitions/e-2829", NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 0);
    http_result_free(&r);
    r = get("/static/style.css");
    assert_int_equal(r.status, 200);
    assert_string_equal(http_header(&r, "Content-Type"), "text/css; charset=utf-8");
    http_result_free(&r);
    r = get("/en/petitions/");
    assert_int_equal(r.status, 301);
    assert_string_equal(http_header(&r, "Location"), "/en/petitions");
    http_result_free(&r);
}

static void
pages_carry_security_headers(void **state)
{
    (void)state;
    struct http_result r = get("/en/petitions/e-2829");
    assert_non_null(http_header(&r, "Content-Security-Policy"));
    assert_string_equal(http_header(&r, "X-Content-Type-Options"), "nosniff");
    http_result_free(&r);
}

static void
closing_time_follows_the_servers_clock(void **state)
{
    (void)state;
    /* e-6512 opened 12 days before the demo was loaded, for 60 days. */
    struct http_result r = get("/en/petitions/e-6512");
    assert_true(body_has(&r, "Closes for signature"));
    assert_false(body_has(&r, "Closed for signature"));
    http_result_free(&r);

    harness_set_clock(&server, (int64_t)time(NULL) + 100 * 86400);
    r = get("/en/petitions/e-6512");
    assert_true(body_has(&r, "Closed for signature"));
    assert_false(body_has(&r, "Closes for signature"));
    http_result_free(&r);
    r = get("/fr/petitions/e-6512");
    assert_true(body_has(&r, "Fermée à la signature"));
    http_result_free(&r);

    harness_set_clock(&server, 0);
    r = get("/en/petitions/e-6512");
    assert_true(body_has(&r, "Closes for signature"));
    http_result_free(&r);
}

static void
access_log_has_a_line_per_request(void **state)
{
    (void)state;
    struct http_result r = get("/en/keywords/sanctions?secret=1");
    http_result_free(&r);
    /* A visitor reads an open petition, signs it and opens a
     * confirmation link (refused: the fields, the token). */
    r = get("/en/petitions/e-6512");
    http_result_free(&r);
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    assert_int_equal(
        http_request(&server, "POST", "/en/petitions/e-6512/sign", "first_name=", 11, form, &r), 0);
    /* Refused: back to the petition's page by GET (web/forms.h). */
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_int_equal(http_request(&server, "POST", "/fr/signatures/1", "t=x", 3, form, &r), 0);
    http_result_free(&r);
    char *log = harness_log(&server);
    assert_non_null(strstr(log, "- \"GET /en/keywords/sanctions\" 200 "));
    assert_non_null(strstr(log, "- \"POST /en/petitions/e-6512/sign\" 303 "));
    assert_non_null(strstr(log, "- \"POST /fr/signatures/1\" 404 "));
    /* No query strings in the log: they may hold what people typed. */
    assert_null(strstr(log, "secret=1"));
    /* No client address on any line: beside a sign form, a confirmation
     * link or the petition's page read just before, it would tie a person
     * to a petition (issue 19, finding 5). */
    assert_null(strstr(log, "127.0.0.1 \""));
    free(log);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthz_answers_ok),
        cmocka_unit_test(root_offers_both_languages),
        cmocka_unit_test(home_lists_open_petitions_and_responses_in_english),
        cmocka_unit_test(home_in_french),
        cmocka_unit_test(petition_e2829_in_english_as_published),
        cmocka_unit_test(petition_e2829_in_french),
        cmocka_unit_test(presented_number_redirects_to_the_e_number),
        cmocka_unit_test(unknown_petition_is_404_in_the_visitors_language),
        cmocka_unit_test(malformed_petition_number_is_400),
        cmocka_unit_test(unknown_page_is_404_in_the_browsers_language),
        cmocka_unit_test(list_filters_by_status_subject_keyword_and_words),
        cmocka_unit_test(a_petition_number_in_the_search_goes_to_its_page),
        cmocka_unit_test(list_shows_the_requests_not_only_the_formula),
        cmocka_unit_test(list_refuses_unknown_values),
        cmocka_unit_test(keyword_page_lists_its_petitions),
        cmocka_unit_test(keyword_page_has_counts_responses_and_downloads),
        cmocka_unit_test(subject_page_lists_petitions_and_responses),
        cmocka_unit_test(subject_index_counts_petitions),
        cmocka_unit_test(unknown_subject_is_404_in_the_visitors_language),
        cmocka_unit_test(list_offers_its_filters_as_downloads),
        cmocka_unit_test(api_gives_the_public_record_and_counts),
        cmocka_unit_test(invalid_utf8_in_query_is_400),
        cmocka_unit_test(nul_in_the_path_is_400),
        cmocka_unit_test(http11_without_host_is_400),
        cmocka_unit_test(over_long_url_is_414),
        cmocka_unit_test(over_large_headers_are_431),
        cmocka_unit_test(over_large_body_is_413),
        cmocka_unit_test(wrong_method_is_405_with_allow),
        cmocka_unit_test(head_and_static_and_trailing_slash),
        cmocka_unit_test(pages_carry_security_headers),
        cmocka_unit_test(closing_time_follows_the_servers_clock),
        cmocka_unit_test(access_log_has_a_line_per_request),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
