/*
 * search_test.c: searching the petitions over HTTP (issue 7, item 4):
 * words in either language found in the text, response, keywords, title
 * and Members' names, with accents and case ignored; ranking; a petition
 * number straight to its page; FTS5 syntax typed by a visitor never a
 * 500; removed petitions never found; and the search following the
 * register when the Clerk records a paper petition or tables a response.
 * (SQLite's own index, its integrity, its being left alone by signing
 * and its migration are tests/store/sqlite_search_test.c's.)
 *
 * Two servers: the built-in demo data in development mode (staff
 * accounts, e-mail as files) for e-2829 and its kin, and
 * tests/integration/data/search.json for the cases the demo lacks
 * (Québec, a word only in a title against one only in a response, a
 * Member's name with accents, a removed petition loaded as such).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness demo; /* the built-in demo data, development mode */
static struct harness data; /* tests/integration/data/search.json */

/* ---- helpers ------------------------------------------------------------------------------ */

/* GET /LANG/petitions?q=WORDS[&EXTRA]; the words are percent-encoded here. */
static struct http_result
search(struct harness *h, const char *lang, const char *words, const char *extra)
{
    char path[1024];
    snprintf(path, sizeof(path), "/%s/petitions?q=%s%s%s", lang, form_enc(words), extra ? "&" : "",
             extra ? extra : "");
    struct http_result r;
    assert_int_equal(http_get(h, path, &r), 0);
    return r;
}

/* Where the result list links petition number (in lang), or -1. */
static long
position(const struct http_result *r, const char *lang, const char *number)
{
    char needle[128];
    snprintf(needle, sizeof(needle), "href=\"/%s/petitions/%s\"", lang, number);
    const char *at = strstr(r->body, needle);
    return at ? at - r->body : -1;
}

/* True when searching words (in lang) answers 200 and lists number. */
static bool
finds(struct harness *h, const char *lang, const char *words, const char *number)
{
    struct http_result r = search(h, lang, words, NULL);
    if (r.status != 200)
        fail_msg("q=%s gave %ld", words, r.status);
    bool ok = position(&r, lang, number) >= 0;
    http_result_free(&r);
    return ok;
}

/* True when searching words answers 200 with no result at all. */
static bool
finds_nothing(struct harness *h, const char *lang, const char *words)
{
    struct http_result r = search(h, lang, words, NULL);
    if (r.status != 200)
        fail_msg("q=%s gave %ld", words, r.status);
    bool ok =
        !strstr(r.body, "class=\"petition-item\"") &&
        (body_has(&r, "No petition matches.") || body_has(&r, "Aucune pétition ne correspond."));
    http_result_free(&r);
    return ok;
}

static void
staff(struct browser *b, const char *email)
{
    browser_init(b, &demo);
    assert_int_equal(web_sign_in(b, email, "petitions-demo"), 303);
}

/* GET the form's page (for its CSRF token), then POST form; the status. */
static long
post(struct browser *b, const char *path, const char *form)
{
    struct http_result r;
    assert_int_equal(web_get(b, path, &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(b, path, form, true, &r), 0);
    long status = r.status;
    if (status >= 400)
        fprintf(stderr, "POST %s -> %ld\n%s\n", path, status, r.body);
    http_result_free(&r);
    return status;
}

/* Today in Ottawa, "2026-01-31", as the staff forms take dates. */
static const char *
today_iso(void)
{
    static char buf[11];
    struct civil_time ct;
    eastern_from_utc((int64_t)time(NULL), &ct);
    struct civil_date d = {ct.year, ct.month, ct.day};
    civil_date_format(&d, buf);
    return buf;
}

/* ---- the built-in demo data -------------------------------------------------------------- */

static int
start_demo(void **state)
{
    (void)state;
    return harness_start_with(&demo, NULL, true);
}

static int
stop_demo(void **state)
{
    (void)state;
    return harness_stop_checked(&demo);
}

static void
a_french_search_with_accents_finds_the_french_text(void **state)
{
    (void)state;
    /* "contre" is only in e-2829's French text: the French was searched. */
    struct http_result r = search(&demo, "fr", "sanctions contre le Bélarus", NULL);
    assert_int_equal(r.status, 200);
    assert_true(position(&r, "fr", "e-2829") >= 0);
    assert_true(body_has(&r, "e-2829 (Affaires étrangères)"));
    http_result_free(&r);
    /* A result shows the number, title, status and signatures as the list does. */
    r = search(&demo, "en", "Sanctions against the Belarusian officials", NULL);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "e-2829 (Foreign affairs)"));
    assert_true(body_has(&r, "Government response tabled"));
    assert_true(body_has(&r, "1,098"));
    http_result_free(&r);
    /* Without accents, and French words alone (Loukachenko is the French spelling). */
    assert_true(finds(&demo, "fr", "sanctions contre le belarus", "e-2829"));
    assert_true(finds(&demo, "fr", "loukachenko", "e-2829"));
    assert_true(finds(&demo, "fr", "prisonniers bélarusses", "e-2829"));
    /* The index holds both languages whatever the page's language. */
    assert_true(finds(&demo, "en", "Loukachenko", "e-2829"));
    assert_true(finds(&demo, "fr", "Lukashenko", "e-2829"));
}

static void
accents_and_case_are_ignored(void **state)
{
    (void)state;
    const char *forms[] = {"LUKASHENKO", "lukashenko", "LuKaShEnKo", "BÉLARUS",
                           "belarus",    "Bélarus",    "BELARUS"};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        if (!finds(&demo, "en", forms[i], "e-2829"))
            fail_msg("%s did not find e-2829", forms[i]);
    /* "Élections" (a keyword of e-2829 in French) without its accent. */
    assert_true(finds(&demo, "fr", "elections", "e-2829"));
}

static void
a_word_only_in_the_response_finds_the_petition(void **state)
{
    (void)state;
    /* Vilnius and Tsikhanouskaya are in e-2829's response, not in its text. */
    char *text = fixture_petition_text(&demo, 2829, LANG_EN);
    assert_null(strstr(text, "Vilnius"));
    free(text);
    assert_true(finds(&demo, "en", "Vilnius", "e-2829"));
    assert_true(finds(&demo, "fr", "Tsikhanouskaïa", "e-2829"));
    assert_true(finds(&demo, "en", "Tsikhanouskaya", "e-2829"));
    /* The response's signer too. */
    assert_true(finds(&demo, "en", "Champagne", "e-2829"));
}

static void
a_members_name_finds_the_petitions_they_authorized(void **state)
{
    (void)state;
    /* Daniel Okafor authorized e-6390, e-6277 and e-6104, and nothing else. */
    struct http_result r = search(&demo, "en", "Okafor", NULL);
    assert_int_equal(r.status, 200);
    assert_true(position(&r, "en", "e-6390") >= 0);
    assert_true(position(&r, "en", "e-6277") >= 0);
    assert_true(position(&r, "en", "e-6104") >= 0);
    assert_int_equal(position(&r, "en", "e-2829"), -1);
    assert_int_equal(position(&r, "en", "e-6512"), -1);
    http_result_free(&r);
    /* The full name, and the riding in French. */
    assert_true(finds(&demo, "en", "Daniel Okafor", "e-6104"));
    assert_true(finds(&demo, "fr", "Edmonton-Centre", "e-6277"));
    /* Mei Lin Chau presented e-6104 (authorized by Okafor); Élise
     * Tremblay-Moreau authorized e-6478 and e-3512. */
    assert_true(finds(&demo, "en", "Chau", "e-6104"));
    assert_true(finds(&demo, "fr", "elise tremblay-moreau", "e-6478"));
    assert_true(finds(&demo, "fr", "elise tremblay-moreau", "e-3512"));
}

static void
titles_and_keywords_are_searched(void **state)
{
    (void)state;
    /* e-6478's subject is Youth (Jeunesse), a word not in its text. */
    assert_true(finds(&demo, "fr", "jeunesse", "e-6478"));
    /* e-5921 is filed under Wetlands (Milieux humides). */
    assert_true(finds(&demo, "fr", "milieux humides", "e-5921"));
    /* A prefix of the last word: "belar" finds Belarus. */
    assert_true(finds(&demo, "en", "belar", "e-2829"));
}

static void
a_petition_number_goes_straight_to_its_page(void **state)
{
    (void)state;
    static const struct {
        const char *lang, *q, *to;
    } go[] = {
        {"en", "e-2829", "/en/petitions/e-2829"},
        {"en", "E-2829", "/en/petitions/e-2829"},
        {"fr", "  e-2829  ", "/fr/petitions/e-2829"},
        {"en", "432-00158", "/en/petitions/e-2829"}, /* e-2829 as presented */
        {"fr", " 432-00158", "/fr/petitions/e-2829"},
        {"en", "441-01211", "/en/petitions/441-01211"}, /* a paper petition */
        {"en", "e-6512", "/en/petitions/e-6512"},
    };
    for (size_t i = 0; i < sizeof(go) / sizeof(go[0]); i++) {
        struct http_result r = search(&demo, go[i].lang, go[i].q, NULL);
        if (r.status != 303)
            fail_msg("q=\"%s\" gave %ld", go[i].q, r.status);
        assert_string_equal(http_header(&r, "Location"), go[i].to);
        http_result_free(&r);
    }
    /* Numbers nobody published: the list, with no results (not a 404 or a 500). */
    const char *unknown[] = {"e-99999", "e-9999999", "999-99999", "451-09999"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        if (!finds_nothing(&demo, "en", unknown[i]))
            fail_msg("q=\"%s\" found something", unknown[i]);
}

static void
fts5_syntax_typed_never_causes_a_500(void **state)
{
    (void)state;
    const char *hostile[] = {"\"",
                             "*",
                             "NEAR(",
                             "-",
                             ":",
                             "^",
                             "(",
                             ")",
                             "{",
                             "}",
                             "+",
                             "\"\"",
                             "***",
                             "belarus\"",
                             "\"belarus",
                             "NEAR(belarus russia, 2)",
                             "title_en:belarus",
                             "-belarus",
                             "belarus AND",
                             "OR",
                             "NOT belarus",
                             "belarus OR russia",
                             "belarus NOT russia",
                             "{title_en text_fr}: belarus",
                             "belarus*",
                             "* belarus",
                             "\"belarus russia\"*",
                             "e-",
                             "e-2829 belarus",
                             "e-2829\"",
                             "« »",
                             "— …",
                             "🙂",
                             "l’ONU",
                             "'; DROP TABLE x; --",
                             "%",
                             "\\",
                             "belarus:",
                             ":belarus",
                             "a:b:c",
                             "NEAR",
                             "AND AND AND",
                             "((((((((((("};
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        for (int l = 0; l < 2; l++) {
            struct http_result r = search(&demo, l ? "fr" : "en", hostile[i], NULL);
            if (r.status != 200)
                fail_msg("q=%s gave %ld", hostile[i], r.status);
            http_result_free(&r);
        }
    }
    /* Syntax is read as separators: the words around it are still found. */
    assert_true(finds(&demo, "en", "\"belarus\"", "e-2829"));
    assert_true(finds(&demo, "en", "belarus*", "e-2829"));
    assert_true(finds(&demo, "en", "-Lukashenko-", "e-2829"));
    assert_true(finds(&demo, "en", "(Lukashenko) {Belarus}: ^russia", "e-2829"));
    /* Only punctuation: no word to look for, so every public petition. */
    struct http_result r = search(&demo, "en", "*** : -", NULL);
    assert_int_equal(r.status, 200);
    assert_true(position(&r, "en", "e-2829") >= 0);
    http_result_free(&r);
    /* No request so far answered a server error. */
    char *log = harness_log(&demo);
    assert_null(strstr(log, "\" 500 "));
    free(log);
}

static void
a_search_keeps_the_filters_and_the_other_orders(void **state)
{
    (void)state;
    /* Belarus: e-2829 (response tabled), e-6512 (open), e-6104 (presented). */
    struct http_result r = search(&demo, "en", "belarus", "status=open");
    assert_int_equal(r.status, 200);
    assert_true(position(&r, "en", "e-6512") >= 0);
    assert_int_equal(position(&r, "en", "e-2829"), -1);
    assert_int_equal(position(&r, "en", "e-6104"), -1);
    http_result_free(&r);

    r = search(&demo, "en", "belarus", "subject=foreign-affairs&keyword=political-prisoners");
    assert_true(position(&r, "en", "e-2829") >= 0);
    assert_true(position(&r, "en", "e-6104") >= 0);
    assert_int_equal(position(&r, "en", "e-6512"), -1);
    http_result_free(&r);

    r = search(&demo, "en", "belarus", "type=paper");
    assert_true(body_has(&r, "No petition matches."));
    http_result_free(&r);

    /* Best match is the default order of a search, and offered first. */
    r = search(&demo, "en", "belarus", NULL);
    assert_true(body_has(&r, "<option value=\"relevance\">Best match</option>"));
    http_result_free(&r);
    r = search(&demo, "fr", "belarus", "sort=relevance");
    assert_true(body_has(&r, "<option value=\"relevance\" selected>Pertinence</option>"));
    http_result_free(&r);

    /* The other orders still apply: most signatures puts e-6104 (1,583)
     * before e-2829 (1,098) before e-6512 (336); fewest the reverse. */
    r = search(&demo, "en", "belarus", "sort=most-signatures");
    long a = position(&r, "en", "e-6104"), b = position(&r, "en", "e-2829"),
         c = position(&r, "en", "e-6512");
    assert_true(a >= 0 && b > a && c > b);
    http_result_free(&r);
    r = search(&demo, "en", "belarus", "sort=fewest-signatures");
    a = position(&r, "en", "e-6104"), b = position(&r, "en", "e-2829"),
    c = position(&r, "en", "e-6512");
    assert_true(c >= 0 && b > c && a > b);
    http_result_free(&r);

    /* Without words, "relevance" is the most recent order, not an error. */
    r = search(&demo, "en", "", "sort=relevance");
    assert_int_equal(r.status, 200);
    http_result_free(&r);
}

static void
removed_petitions_are_never_found(void **state)
{
    (void)state;
    /* e-6390 and e-6277 share their text; the administrator removes e-6390. */
    assert_true(finds(&demo, "en", "prosecutors", "e-6390"));
    struct browser admin;
    staff(&admin, "admin@petitions.test");
    assert_int_equal(
        post(&admin, "/en/admin/remove", "number=e-6390&reason=Test+of+search&confirm=yes"), 303);
    struct http_result r = search(&demo, "en", "prosecutors", NULL);
    assert_int_equal(r.status, 200);
    assert_true(position(&r, "en", "e-6277") >= 0);
    assert_int_equal(position(&r, "en", "e-6390"), -1);
    http_result_free(&r);
    /* Its number is no way in either: no redirect to a 410. */
    assert_true(finds_nothing(&demo, "en", "e-6390"));
    assert_true(finds_nothing(&demo, "fr", " E-6390 "));
}

static void
the_index_follows_a_response_tabled(void **state)
{
    (void)state;
    /* e-6104 is presented and awaits the response of Foreign Affairs.
     * Viasna is in none of the demo's texts. */
    assert_true(finds_nothing(&demo, "en", "Viasna"));
    struct browser resp, clerk;
    staff(&resp, "responder@petitions.test");
    staff(&clerk, "clerk@petitions.test");
    assert_int_equal(post(&resp, "/en/responder/petitions/e-6104",
                          "action=ready&signed_by=Rob+Oliphant&signed_by_fr=Rob+Oliphant"
                          "&text_en=Canada+supports+the+"
                          "Viasna+Human+Rights+Centre.&text_fr=Le+Canada+appuie+le+Centre+de+"
                          "d%C3%A9fense+des+droits+humains+Viasna."),
                     303);
    /* A draft, even ready, is not public: not searched. */
    assert_true(finds_nothing(&demo, "en", "Viasna"));
    char form[64];
    snprintf(form, sizeof(form), "date=%s&confirm=yes", today_iso());
    assert_int_equal(post(&clerk, "/en/clerk/house/e-6104", form), 303);
    assert_true(finds(&demo, "en", "Viasna", "e-6104"));
    assert_true(finds(&demo, "fr", "défense des droits humains viasna", "e-6104"));
    assert_true(finds(&demo, "en", "Oliphant", "e-6104"));
}

static void
the_index_follows_a_paper_petition_recorded(void **state)
{
    (void)state;
    assert_true(finds_nothing(&demo, "en", "Kejimkujik"));
    struct browser clerk;
    staff(&clerk, "clerk@petitions.test");
    char form[1200];
    snprintf(form, sizeof(form),
             "number=&date=%s&signatures=64&member=macisaac&committee=ENVI"
             "&ministry=environment&addressee=government"
             "&text_en=Whereas+the+night+sky+of+Kejimkujik+is+a+dark-sky+preserve%%3B%%0A%%0A"
             "We+call+upon+the+Government+to+limit+light+pollution+around+it."
             "&text_fr=Attendu+que+le+ciel+nocturne+de+Kejimkujik+est+une+r%%C3%%A9serve+"
             "de+ciel+%%C3%%A9toil%%C3%%A9%%3B%%0A%%0ANous+demandons+au+gouvernement+de+"
             "limiter+la+pollution+lumineuse+autour.&subject=environment&keywords=wetlands",
             today_iso());
    assert_int_equal(post(&clerk, "/en/clerk/paper", form), 303);
    char number[32];
    fixture_paper_number(&demo, "light pollution", number, sizeof(number));
    assert_int_equal(strlen(number), 9);
    assert_true(finds(&demo, "en", "Kejimkujik", number));
    assert_true(finds(&demo, "fr", "ciel etoile", number));
    /* MacIsaac, the presenting Member, finds it as well as e-5921 he authorized. */
    assert_true(finds(&demo, "en", "MacIsaac", number));
    assert_true(finds(&demo, "en", "MacIsaac", "e-5921"));
    /* Its number goes to its page. */
    struct http_result r = search(&demo, "en", number, NULL);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

/* ---- tests/integration/data/search.json ----------------------------------------------------- */

static int
start_data(void **state)
{
    (void)state;
    return harness_start(&data, "tests/integration/data/search.json");
}

static int
stop_data(void **state)
{
    (void)state;
    return harness_stop_checked(&data);
}

static void
quebec_finds_quebec(void **state)
{
    (void)state;
    const char *forms[] = {"quebec",       "Quebec",       "QUÉBEC",           "québec",
                           "quebec levis", "Québec Lévis", "traversier quebec"};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        for (int l = 0; l < 2; l++)
            if (!finds(&data, l ? "fr" : "en", forms[i], "e-9103"))
                fail_msg("%s did not find e-9103", forms[i]);
    struct http_result r = search(&data, "en", "quebec", NULL);
    assert_int_equal(position(&r, "en", "e-9101"), -1);
    assert_int_equal(position(&r, "en", "e-9102"), -1);
    http_result_free(&r);
}

static void
a_members_name_with_accents_finds_their_petitions(void **state)
{
    (void)state;
    assert_true(finds(&data, "en", "Genevieve Cote", "e-9103"));
    assert_true(finds(&data, "fr", "GENEVIÈVE CÔTÉ", "e-9103"));
    assert_true(finds(&data, "en", "levis lotbiniere", "e-9103"));
    struct http_result r = search(&data, "en", "cote", NULL);
    assert_int_equal(position(&r, "en", "e-9101"), -1);
    http_result_free(&r);
}

static void
a_word_in_the_title_ranks_before_one_only_in_the_response(void **state)
{
    (void)state;
    /* e-9101 is titled Fisheries (Pêches); e-9102 has the word only in
     * its response; e-9104, also titled Fisheries, was removed. */
    struct http_result r = search(&data, "en", "fisheries", NULL);
    long title = position(&r, "en", "e-9101"), response = position(&r, "en", "e-9102");
    assert_true(title >= 0);
    assert_true(response > title);
    assert_int_equal(position(&r, "en", "e-9104"), -1);
    http_result_free(&r);

    r = search(&data, "fr", "pêches", NULL);
    title = position(&r, "fr", "e-9101"), response = position(&r, "fr", "e-9102");
    assert_true(title >= 0);
    assert_true(response > title);
    http_result_free(&r);

    /* Asked for, the oldest first: e-9102 (tabled 75 days ago) leads. */
    r = search(&data, "en", "fisheries", "sort=oldest");
    title = position(&r, "en", "e-9101"), response = position(&r, "en", "e-9102");
    assert_true(response >= 0);
    assert_true(title > response);
    http_result_free(&r);
}

static void
a_petition_loaded_as_removed_is_never_found(void **state)
{
    (void)state;
    assert_true(finds_nothing(&data, "en", "scallop"));
    assert_true(finds_nothing(&data, "fr", "pétoncle Fundy"));
    assert_true(finds_nothing(&data, "en", "e-9104"));
    struct http_result r;
    assert_int_equal(http_get(&data, "/en/petitions/e-9104", &r), 0);
    assert_int_equal(r.status, 410);
    http_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest demo_tests[] = {
        cmocka_unit_test(a_french_search_with_accents_finds_the_french_text),
        cmocka_unit_test(accents_and_case_are_ignored),
        cmocka_unit_test(a_word_only_in_the_response_finds_the_petition),
        cmocka_unit_test(a_members_name_finds_the_petitions_they_authorized),
        cmocka_unit_test(titles_and_keywords_are_searched),
        cmocka_unit_test(a_petition_number_goes_straight_to_its_page),
        cmocka_unit_test(fts5_syntax_typed_never_causes_a_500),
        cmocka_unit_test(a_search_keeps_the_filters_and_the_other_orders),
        cmocka_unit_test(removed_petitions_are_never_found),
        cmocka_unit_test(the_index_follows_a_response_tabled),
        cmocka_unit_test(the_index_follows_a_paper_petition_recorded),
    };
    const struct CMUnitTest data_tests[] = {
        cmocka_unit_test(quebec_finds_quebec),
        cmocka_unit_test(a_members_name_with_accents_finds_their_petitions),
        cmocka_unit_test(a_word_in_the_title_ranks_before_one_only_in_the_response),
        cmocka_unit_test(a_petition_loaded_as_removed_is_never_found),
    };
    int failed = cmocka_run_group_tests_name("demo", demo_tests, start_demo, stop_demo);
    failed += cmocka_run_group_tests_name("search.json", data_tests, start_data, stop_data);
    return failed;
}
