/*
 * cache_test.c: public pages answered from memory (src/http/cache.h) over
 * HTTP: ETag and Last-Modified on the cacheable routes, 304 for
 * If-None-Match and If-Modified-Since, HEAD, answers kept until the data
 * changes (a change written behind the server's back stays unseen; an
 * administrator's removal shows at once), counts reaching the count
 * endpoint after a confirmation, errors and signed-in pages never cached,
 * the live counter's script and markup, and the scheduler closing a
 * petition when the clock passes its deadline.
 *
 * One server in development mode over the built-in demo data, its clock
 * fixed at the start (so the 60-second clock rule never fires by itself);
 * the test that moves the clock runs last.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;
static int64_t now_at;

enum { POLL_TRIES = 400, POLL_MS = 50 }; /* at most 20 s for the server to catch up */

/* ---- steps ------------------------------------------------------------------------------ */

static void
pause_briefly(void)
{
    struct timespec ts = {0, POLL_MS * 1000000L};
    nanosleep(&ts, NULL);
}

/* A strong ETag as the cache makes them: 22 characters of base64url, quoted. */
static bool
etag_shaped(const char *etag)
{
    if (!etag || strlen(etag) != 24 || etag[0] != '"' || etag[23] != '"')
        return false;
    for (int i = 1; i < 23; i++) {
        char c = etag[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* An IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
static bool
date_shaped(const char *d)
{
    return d && strlen(d) == 29 && d[3] == ',' && strcmp(d + 25, " GMT") == 0;
}

/* The ETag of path (200 expected), malloc'd. */
static char *
etag_of(const char *path)
{
    struct http_result r = get_with(&H, path, NULL);
    assert_int_equal(r.status, 200);
    char *etag = header_copy(&r, "ETag");
    http_result_free(&r);
    assert_true(etag_shaped(etag));
    return etag;
}

/* Poll path until its body has (or, with present false, lacks) needle. */
static bool
body_becomes(const char *path, const char *needle, bool present)
{
    for (int i = 0; i < POLL_TRIES; i++) {
        struct http_result r = get_with(&H, path, NULL);
        bool has = r.status == 200 && body_has(&r, needle);
        http_result_free(&r);
        if (has == present)
            return true;
        pause_briefly();
    }
    return false;
}

static void
staff(struct browser *b, const char *email)
{
    browser_init(b, &H);
    assert_int_equal(web_sign_in(b, email, "petitions-demo"), 303);
}

/* ---- the tests -------------------------------------------------------------------------- */

static void
public_pages_carry_etag_and_last_modified(void **state)
{
    (void)state;
    const char *paths[] = {"/en",
                           "/fr",
                           "/en/petitions",
                           "/en/petitions?status=open&sort=most-signatures",
                           "/en/petitions/not-accepted",
                           "/en/petitions/overdue",
                           "/en/petitions/e-6512",
                           "/fr/petitions/e-6512",
                           "/en/petitions/e-6277/certificate",
                           "/en/keywords",
                           "/en/keywords/human-rights",
                           "/api/v1/petitions/e-6512",
                           "/api/v1/petitions/e-6512/count"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct http_result r = get_with(&H, paths[i], NULL);
        if (r.status != 200)
            fail_msg("%s: %ld", paths[i], r.status);
        char *etag = header_copy(&r, "ETag");
        char *lm = header_copy(&r, "Last-Modified");
        if (!etag_shaped(etag) || !date_shaped(lm))
            fail_msg("%s: ETag %s, Last-Modified %s", paths[i], etag ? etag : "none",
                     lm ? lm : "none");
        http_result_free(&r);
        /* Asked again (from memory now), the same validators. */
        r = get_with(&H, paths[i], NULL);
        assert_int_equal(r.status, 200);
        assert_string_equal(http_header(&r, "ETag"), etag);
        assert_string_equal(http_header(&r, "Last-Modified"), lm);
        assert_true(r.len > 0);
        http_result_free(&r);
        free(etag);
        free(lm);
    }
}

static void
if_none_match_gets_304_without_body(void **state)
{
    (void)state;
    const char *path = "/en/petitions/e-6512";
    struct http_result full = get_with(&H, path, NULL);
    assert_int_equal(full.status, 200);
    char *etag = header_copy(&full, "ETag");
    char *lm = header_copy(&full, "Last-Modified");
    char *cc = header_copy(&full, "Cache-Control");
    /* The handler's (counts move: site.h SITE_AGE_LIVE), kept. */
    assert_string_equal(cc, "public, max-age=5, stale-while-revalidate=30, stale-if-error=86400");
    char inm[200];

    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    struct http_result r = get_with(&H, path, inm);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_string_equal(http_header(&r, "ETag"), etag);
    assert_string_equal(http_header(&r, "Last-Modified"), lm);
    assert_string_equal(http_header(&r, "Cache-Control"), cc);
    assert_null(http_header(&r, "Content-Type"));
    assert_null(http_header(&r, "Content-Security-Policy"));
    http_result_free(&r);

    /* A list, a weak tag, or "*" match too. */
    snprintf(inm, sizeof(inm), "If-None-Match: \"stale\", W/%s", etag);
    r = get_with(&H, path, inm);
    assert_int_equal(r.status, 304);
    http_result_free(&r);
    r = get_with(&H, path, "If-None-Match: *");
    assert_int_equal(r.status, 304);
    http_result_free(&r);
    /* Another tag: the page. */
    r = get_with(&H, path, "If-None-Match: \"AAAAAAAAAAAAAAAAAAAAAA\"");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, full.len);
    http_result_free(&r);

    /* The count endpoint, as the live counter asks it. */
    char *count_etag = etag_of("/api/v1/petitions/e-6512/count");
    snprintf(inm, sizeof(inm), "If-None-Match: %s", count_etag);
    r = get_with(&H, "/api/v1/petitions/e-6512/count", inm);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_string_equal(http_header(&r, "Cache-Control"),
                        "public, max-age=1, stale-while-revalidate=30, stale-if-error=86400");
    http_result_free(&r);
    free(count_etag);
    http_result_free(&full);
    free(etag);
    free(lm);
    free(cc);
}

static void
if_modified_since_gets_304(void **state)
{
    (void)state;
    const char *path = "/en/petitions";
    struct http_result full = get_with(&H, path, NULL);
    assert_int_equal(full.status, 200);
    char *lm = header_copy(&full, "Last-Modified");
    char ims[100];

    snprintf(ims, sizeof(ims), "If-Modified-Since: %s", lm);
    struct http_result r = get_with(&H, path, ims);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_string_equal(http_header(&r, "Last-Modified"), lm);
    http_result_free(&r);
    /* Earlier than the page: the page.  A date we cannot read: the page. */
    r = get_with(&H, path, "If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, full.len);
    http_result_free(&r);
    r = get_with(&H, path, "If-Modified-Since: yesterday");
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    /* If-None-Match decides when both are sent. */
    const char *both[] = {"If-None-Match: \"AAAAAAAAAAAAAAAAAAAAAA\"", ims, NULL};
    assert_int_equal(http_request(&H, "GET", path, NULL, 0, both, &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    http_result_free(&full);
    free(lm);
}

static void
head_answers_headers_without_body(void **state)
{
    (void)state;
    const char *paths[] = {"/en/keywords", "/en/keywords/human-rights"};
    for (int i = 0; i < 2; i++) {
        /* HEAD first (drawn for it), then GET from memory, then HEAD again. */
        struct http_result h1, h2;
        assert_int_equal(http_request(&H, "HEAD", paths[i], NULL, 0, NULL, &h1), 0);
        assert_int_equal(h1.status, 200);
        assert_int_equal(h1.len, 0);
        char *etag = header_copy(&h1, "ETag");
        assert_true(etag_shaped(etag));
        struct http_result g = get_with(&H, paths[i], NULL);
        assert_int_equal(g.status, 200);
        assert_string_equal(http_header(&g, "ETag"), etag);
        assert_int_equal(h1.len, 0);
        char length[32];
        snprintf(length, sizeof(length), "%zu", g.len);
        assert_string_equal(http_header(&h1, "Content-Length"), length);
        assert_int_equal(http_request(&H, "HEAD", paths[i], NULL, 0, NULL, &h2), 0);
        assert_int_equal(h2.status, 200);
        assert_int_equal(h2.len, 0);
        assert_string_equal(http_header(&h2, "ETag"), etag);
        assert_string_equal(http_header(&h2, "Content-Length"), length);
        http_result_free(&h1);
        http_result_free(&h2);
        http_result_free(&g);
        free(etag);
    }
}

/* The server's count of committed changes (/healthz "changes data="):
 * any of them may draw every kept answer again. */
static long
data_changes(void)
{
    struct http_result r;
    assert_int_equal(http_get(&H, "/healthz", &r), 0);
    const char *at = strstr(r.body, "changes data=");
    assert_non_null(at);
    long n = strtol(at + strlen("changes data="), NULL, 10);
    http_result_free(&r);
    return n;
}

static void
answers_stay_in_memory_until_the_data_changes(void **state)
{
    (void)state;
    char *page = NULL, *list = NULL, *other = NULL;
    /* The server's own jobs commit real changes now and then (its first
     * pass of deadlines, closing and retention, soon after it starts),
     * and each may draw the kept answers again: a try counts only when
     * no change was committed from the first validator to the last
     * request. */
    bool quiet = false;
    for (int attempt = 0; attempt < 20 && !quiet; attempt++) {
        free(page);
        free(list);
        free(other);
        long before = data_changes();
        page = etag_of("/en/petitions/e-5921");
        list = etag_of("/en/petitions");
        other = etag_of("/en/petitions/e-6478");
        assert_true(body_becomes("/en/petitions", "href=\"/en/petitions/e-5921\"", true));

        /* Written behind the server's back: the kept answer does not see
         * it (the handler does not run), whatever the number of
         * requests. */
        char city[32];
        snprintf(city, sizeof(city), "Sneakyville%d", attempt);
        fixture_petition_city_set(&H, 6478, city);
        bool kept = true;
        for (int i = 0; i < 5; i++) {
            struct http_result r = get_with(&H, "/en/petitions/e-6478", NULL);
            assert_int_equal(r.status, 200);
            kept = kept && !body_has(&r, city) && strcmp(http_header(&r, "ETag"), other) == 0;
            http_result_free(&r);
            pause_briefly();
        }
        quiet = data_changes() == before;
        if (quiet)
            assert_true(kept);
        else
            print_message("attempt %d: the server committed a change meanwhile; again\n", attempt);
    }
    assert_true(quiet);

    /* An administrator removes e-5921: every kept page is drawn again. */
    struct browser admin;
    staff(&admin, "admin@petitions.test");
    struct http_result r;
    assert_int_equal(web_get(&admin, "/en/admin/remove", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&admin, "/en/admin/remove",
                              "number=e-5921&reason=Cache+test&confirm=yes", true, &r),
                     0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);

    r = get_with(&H, "/en/petitions/e-5921", NULL);
    assert_int_equal(r.status, 410);
    assert_null(http_header(&r, "ETag"));
    http_result_free(&r);
    r = get_with(&H, "/en/petitions", NULL);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "href=\"/en/petitions/e-5921\""));
    assert_true(etag_shaped(http_header(&r, "ETag")));
    assert_string_not_equal(http_header(&r, "ETag"), list);
    http_result_free(&r);
    r = get_with(&H, "/en/petitions/e-6478", NULL);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Sneakyville"));
    assert_string_not_equal(http_header(&r, "ETag"), other);
    http_result_free(&r);
    /* The old validators no longer get a 304. */
    char inm[200];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", list);
    r = get_with(&H, "/en/petitions", inm);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    free(page);
    free(list);
    free(other);
}

static void
a_confirmed_signature_reaches_the_count_endpoint(void **state)
{
    (void)state;
    int64_t before = api_count(&H, "e-6512", NULL);
    int64_t before_bc = api_count(&H, "e-6512", "BC");
    char *count_etag = etag_of("/api/v1/petitions/e-6512/count");
    char *page_etag = etag_of("/en/petitions/e-6512");

    const char *form = "first_name=Cache&last_name=Tester&email=cache.tester%40example.org"
                       "&country=Canada&province=BC&postal_code=V6B+1A1&phone=604-555-0100"
                       "&eligible=1&terms=1";
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "X-Forwarded-For: 198.51.100.77", NULL};
    struct http_result r;
    assert_int_equal(
        http_request(&H, "POST", "/en/petitions/e-6512/sign", form, strlen(form), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    /* Signed, not confirmed: nothing counted. */
    assert_int_equal(api_count(&H, "e-6512", NULL), before);
    confirm_from_mail(&H, "cache.tester@example.org");

    /* Counts may be shown up to the freshness window after they move (the
     * harness serves with 0, petitiond's default is 1 s): wait, boundedly. */
    int64_t total = before;
    for (int i = 0; i < POLL_TRIES && total != before + 1; i++) {
        total = api_count(&H, "e-6512", NULL);
        if (total != before + 1)
            pause_briefly();
    }
    assert_int_equal(total, before + 1);
    assert_int_equal(api_count(&H, "e-6512", "BC"), before_bc + 1);
    char *new_count = etag_of("/api/v1/petitions/e-6512/count");
    assert_string_not_equal(new_count, count_etag);
    /* The old tag gets the new count, not a 304. */
    char inm[200];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", count_etag);
    r = get_with(&H, "/api/v1/petitions/e-6512/count", inm);
    assert_int_equal(r.status, 200);
    http_result_free(&r);

    /* The page follows. */
    char want[64];
    snprintf(want, sizeof(want), "data-count-total>%lld<", (long long)(before + 1));
    assert_true(body_becomes("/en/petitions/e-6512", want, true));
    char *new_page = etag_of("/en/petitions/e-6512");
    assert_string_not_equal(new_page, page_etag);
    free(count_etag);
    free(page_etag);
    free(new_count);
    free(new_page);
}

static void
errors_and_signed_in_pages_are_not_kept(void **state)
{
    (void)state;
    const char *missing[] = {"/en/petitions/e-99999", "/en/keywords/no-such-keyword",
                             "/api/v1/petitions/e-99999/count", "/en/petitions?page=0"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        for (int k = 0; k < 2; k++) {
            struct http_result r = get_with(&H, missing[i], NULL);
            assert_true(r.status == 404 || r.status == 400);
            assert_null(http_header(&r, "ETag"));
            assert_null(http_header(&r, "Last-Modified"));
            http_result_free(&r);
        }
    }

    /* Signed-in workspaces: no validators, never stored. */
    struct browser clerk;
    staff(&clerk, "clerk@petitions.test");
    const char *mine[] = {"/en/clerk", "/en/account", "/en/clerk/signatures"};
    for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
        for (int k = 0; k < 2; k++) {
            struct http_result r;
            assert_int_equal(web_get(&clerk, mine[i], &r), 0);
            assert_null(http_header(&r, "ETag"));
            assert_null(http_header(&r, "Last-Modified"));
            if (r.status == 200)
                assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
            http_result_free(&r);
        }
    }
    /* Nor the anonymous answer of a workspace URL (a redirect to sign in),
     * nor "check your e-mail" (it may set the CSRF cookie). */
    struct http_result r = get_with(&H, "/en/account", NULL);
    assert_null(http_header(&r, "ETag"));
    http_result_free(&r);
    r = get_with(&H, "/en/petitions/e-6512/check-email", NULL);
    assert_int_equal(r.status, 200);
    assert_null(http_header(&r, "ETag"));
    http_result_free(&r);

    /* A signed-in visitor gets the very page everyone gets. */
    char *anon = etag_of("/en/petitions/e-6478");
    assert_int_equal(web_get(&clerk, "/en/petitions/e-6478", &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(http_header(&r, "ETag"), anon);
    assert_false(body_has(&r, "clerk@petitions.test"));
    http_result_free(&r);
    free(anon);
}

static void
live_counter_only_where_counts_move(void **state)
{
    (void)state;
    struct http_result r = get_with(&H, "/en/petitions/e-6512", NULL);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<script src=\"/static/count.js\" defer></script>"));
    assert_true(body_has(&r, "data-count-url=\"/api/v1/petitions/e-6512/count\""));
    assert_true(body_has(&r, "<td class=\"num\" data-region=\"ON\">"));
    assert_true(body_has(&r, "id=\"signature-total\" data-count-total>"));
    assert_false(body_has(&r, "<script>")); /* nothing inline: the CSP forbids it */
    http_result_free(&r);
    const char *still[] = {"/en/petitions/e-2829", "/en/petitions/e-6277", "/fr/petitions/e-6104"};
    for (size_t i = 0; i < sizeof(still) / sizeof(still[0]); i++) {
        r = get_with(&H, still[i], NULL);
        assert_int_equal(r.status, 200);
        assert_false(body_has(&r, "count.js"));
        assert_false(body_has(&r, "data-count-url"));
        http_result_free(&r);
    }
    r = get_with(&H, "/static/count.js", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(http_header(&r, "Content-Type"), "javascript"));
    assert_true(body_has(&r, "visibilitychange"));
    assert_true(body_has(&r, "cache: \"no-cache\""));
    http_result_free(&r);
}

static void
closing_by_the_clock_draws_the_page_again(void **state)
{
    (void)state;
    char *before = etag_of("/en/petitions/e-6478");
    assert_true(body_becomes("/en/petitions/e-6478", "id=\"sign\"", true));
    int64_t closes = fixture_petition_closes_at(&H, 6478);
    assert_true(closes > now_at);
    now_at = closes + 3600;
    harness_set_clock(&H, now_at);
    /* The scheduler closes it on its next tick; the page shows it. */
    assert_true(body_becomes("/en/petitions/e-6478", "id=\"sign\"", false));
    assert_true(body_becomes("/en/petitions/e-6478", "status-waiting-for-certification", true));
    assert_int_equal(fixture_petition_state(&H, 6478), PETITION_WAITING_FOR_CERTIFICATION);
    char *after = etag_of("/en/petitions/e-6478");
    assert_string_not_equal(after, before);
    free(before);
    free(after);
}

/* ---- the server ------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    if (harness_start_with(&H, NULL, true))
        return -1;
    now_at = (int64_t)time(NULL);
    harness_set_clock(&H, now_at);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return harness_stop_checked(&H);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(public_pages_carry_etag_and_last_modified),
        cmocka_unit_test(if_none_match_gets_304_without_body),
        cmocka_unit_test(if_modified_since_gets_304),
        cmocka_unit_test(head_answers_headers_without_body),
        cmocka_unit_test(answers_stay_in_memory_until_the_data_changes),
        cmocka_unit_test(a_confirmed_signature_reaches_the_count_endpoint),
        cmocka_unit_test(errors_and_signed_in_pages_are_not_kept),
        cmocka_unit_test(live_counter_only_where_counts_move),
        cmocka_unit_test(closing_by_the_clock_draws_the_page_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
