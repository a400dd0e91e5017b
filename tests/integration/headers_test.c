/*
 * headers_test.c: what every answer says about caching (issue 7 item 2),
 * walked over tables of URLs against a real petitiond with the demo data.
 *
 * Every public page and API answer: 200, Cache-Control public with a
 * max-age over zero (the one site.h gives its kind where the table names
 * it), stale-while-revalidate and stale-if-error, an ETag or a
 * Last-Modified, and a repeat with If-None-Match gets 304 without a body.
 * Every form, workspace and page about one visitor, signed out or in:
 * Cache-Control no-store and no validators.  Every answer of every kind,
 * refusals included, says Permissions-Policy; Strict-Transport-Security
 * only when --base-url is https; pages keep their security policy
 * (issue 19, item 5).
 *
 * One server in development mode (for the e-mail that activates an
 * account).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;

/* A public GET and the max-age its kind has (site.h), 0 = any above zero. */
struct public_url {
    const char *path;
    int max_age;
};

enum { LIVE = 5, PAGE = 60, STATIC = 3600, FEED = 300 };

static const struct public_url public_urls[] = {
    /* The language chooser: public, but by Accept-Language (Vary). */
    {"/", PAGE},
    /* Pages with counts that move: open petitions, the week's signatures. */
    {"/en", LIVE},
    {"/fr", LIVE},
    {"/en/petitions", LIVE},
    {"/en/petitions?status=open&subject=immigration", LIVE},
    {"/en/petitions/e-6512", LIVE},
    {"/en/keywords/belarus", LIVE}, /* e-6512 is open under it */
    /* The rest of the public record. */
    {"/fr/petitions?keyword=sanctions&sort=oldest", 0},
    {"/en/petitions?status=response-tabled", PAGE},
    {"/en/petitions?responded=true", PAGE},
    {"/en/petitions/e-2829", PAGE},
    {"/fr/petitions/e-2829", PAGE},
    {"/en/petitions/e-6277/certificate", PAGE},
    {"/en/petitions/not-accepted", PAGE},
    {"/en/petitions/overdue", PAGE},
    {"/en/keywords", PAGE},
    {"/fr/keywords/russia", 0},
    {"/en/subjects", PAGE},
    {"/fr/subjects", PAGE},
    {"/en/subjects/foreign-affairs", 0},
    {"/en/subjects/environment", PAGE},
    /* Atom feeds. */
    {"/en/feeds/opened.atom", FEED},
    {"/fr/feeds/responses.atom", FEED},
    {"/en/feeds/keywords/belarus.atom", FEED},
    /* Static files. */
    {"/static/style.css", STATIC},
    {"/static/count.js", STATIC},
    /* The API (src/api/api.c) and its open-data exports (src/api/export.c). */
    {"/api/v1/petitions/e-2829", 0},
    {"/api/v1/petitions/e-2829/count", 0},
    {"/api/v1/petitions/e-6512/count", 0},
    {"/api/v1/openapi.json", 0},
    {"/api/v1/petitions", 0},
    {"/api/v1/petitions?subject=foreign-affairs&sort=oldest", 0},
    {"/api/v1/subjects", 0},
    {"/api/v1/keywords", 0},
    {"/api/v1/members", 0},
    {"/api/v1/parliaments", 0},
    {"/api/v1/petitions.csv?keyword=belarus", 0},
    {"/api/v1/petitions.xml?subject=foreign-affairs", 0},
};

/* ---- helpers ---------------------------------------------------------------------------- */

/* The number after "name=" in a Cache-Control value, or -1. */
static long
directive(const char *cc, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = cc; (p = strstr(p, name)); p += n) {
        bool starts = p == cc || p[-1] == ' ' || p[-1] == ',';
        if (starts && p[n] == '=')
            return strtol(p + n + 1, NULL, 10);
    }
    return -1;
}

/* The problems of one public URL's answers, written into why; true when none. */
static bool
public_answer_ok(const struct public_url *u, char *why, size_t size)
{
    struct http_result r = get_with(&H, u->path, NULL);
    char *cc = NULL, *etag = NULL, *lm = NULL;
    bool ok = false;

    if (r.status != 200) {
        snprintf(why, size, "status %ld", r.status);
        goto out;
    }
    cc = header_copy(&r, "Cache-Control");
    etag = header_copy(&r, "ETag");
    lm = header_copy(&r, "Last-Modified");
    if (!cc || !strstr(cc, "public")) {
        snprintf(why, size, "Cache-Control %s", cc ? cc : "none");
        goto out;
    }
    long age = directive(cc, "max-age");
    if (age <= 0 || (u->max_age && age != u->max_age)) {
        snprintf(why, size, "max-age in \"%s\", want %d", cc, u->max_age);
        goto out;
    }
    if (directive(cc, "stale-while-revalidate") <= 0 || directive(cc, "stale-if-error") <= 0) {
        snprintf(why, size, "no stale-while-revalidate or stale-if-error in \"%s\"", cc);
        goto out;
    }
    if (!etag && !lm) {
        snprintf(why, size, "neither ETag nor Last-Modified");
        goto out;
    }
    if (!etag) {
        ok = true; /* Last-Modified only: nothing to send If-None-Match with */
        goto out;
    }
    char inm[200];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    http_result_free(&r);
    r = get_with(&H, u->path, inm);
    if (r.status != 304 || r.len != 0) {
        snprintf(why, size, "with If-None-Match %s: status %ld, %zu bytes", etag, r.status, r.len);
        goto out;
    }
    const char *cc304 = http_header(&r, "Cache-Control");
    if (!cc304 || strcmp(cc304, cc) != 0) {
        snprintf(why, size, "the 304 says Cache-Control %s", cc304 ? cc304 : "none");
        goto out;
    }
    ok = true;
out:
    http_result_free(&r);
    free(cc);
    free(etag);
    free(lm);
    return ok;
}

/* A form's or workspace's answer: no-store, and nothing to revalidate. */
static void
assert_no_store(const char *what, const struct http_result *r)
{
    const char *cc = http_header(r, "Cache-Control");
    if (!cc || strcmp(cc, "no-store") != 0)
        fail_msg("%s (%ld): Cache-Control %s", what, r->status, cc ? cc : "none");
    if (http_header(r, "ETag") || http_header(r, "Last-Modified"))
        fail_msg("%s (%ld): validators on a no-store answer", what, r->status);
}

/* ---- the tests -------------------------------------------------------------------------- */

static void
public_answers_say_how_long_and_revalidate(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(public_urls) / sizeof(public_urls[0]); i++) {
        char why[400] = "";
        if (!public_answer_ok(&public_urls[i], why, sizeof(why))) {
            fprintf(stderr, "# %s: %s\n", public_urls[i].path, why);
            failures++;
        }
    }
    if (failures)
        fail_msg("%d public URLs lack the caching headers (listed above)", failures);
}

static void
language_chooser_varies_by_accept_language(void **state)
{
    (void)state;
    struct http_result en = get_with(&H, "/", "Accept-Language: en-CA");
    struct http_result fr = get_with(&H, "/", "Accept-Language: fr-CA");
    assert_int_equal(en.status, 200);
    assert_int_equal(fr.status, 200);
    assert_string_equal(http_header(&en, "Vary"), "Accept-Language");
    char *en_etag = header_copy(&en, "ETag");
    assert_non_null(en_etag);
    /* Another order of the two links: another body, another tag. */
    assert_string_not_equal(http_header(&fr, "ETag"), en_etag);
    /* The English variant's tag does not validate the French one. */
    char inm[200];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", en_etag);
    const char *headers[] = {"Accept-Language: fr-CA", inm, NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "GET", "/", NULL, 0, headers, &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    /* Drawn each time, its Last-Modified is when it was drawn: that says
     * nothing of a change, so If-Modified-Since alone never gets a 304. */
    char ims[100];
    snprintf(ims, sizeof(ims), "If-Modified-Since: %s", http_header(&en, "Last-Modified"));
    const char *since[] = {"Accept-Language: en-CA", ims, NULL};
    assert_int_equal(http_request(&H, "GET", "/", NULL, 0, since, &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    http_result_free(&en);
    http_result_free(&fr);
    free(en_etag);
}

static void
static_files_have_a_strong_etag_of_their_bytes(void **state)
{
    (void)state;
    struct http_result a = get_with(&H, "/static/style.css", NULL);
    assert_int_equal(a.status, 200);
    char *etag = header_copy(&a, "ETag");
    assert_non_null(etag);
    assert_true(etag[0] == '"'); /* strong: no W/ */
    /* The same bytes, the same tag, also after the data changed. */
    struct http_result b = get_with(&H, "/static/style.css?v=2", NULL);
    assert_int_equal(b.status, 200);
    assert_string_equal(http_header(&b, "ETag"), etag);
    assert_int_equal(b.len, a.len);
    struct http_result c = get_with(&H, "/static/count.js", NULL);
    assert_string_not_equal(http_header(&c, "ETag"), etag);
    http_result_free(&a);
    http_result_free(&b);
    http_result_free(&c);
    free(etag);
}

static void
forms_and_workspaces_are_no_store(void **state)
{
    (void)state;
    static const char *const signed_out[] = {
        "/en/petitions/e-6512/sign", /* a redirect to the form on the page */
        "/fr/petitions/e-6512/sign",
        "/en/petitions/e-6512/check-email",
        "/en/register",
        "/fr/register",
        "/en/sign-in",
        "/en/password/forgot",
        "/en/password/reset",
        "/en/account", /* a redirect to sign in */
        "/en/account/petition",
        "/en/clerk",
        "/en/admin",
    };
    for (size_t i = 0; i < sizeof(signed_out) / sizeof(signed_out[0]); i++) {
        struct http_result r = get_with(&H, signed_out[i], NULL);
        assert_no_store(signed_out[i], &r);
        http_result_free(&r);
    }

    /* The answers to forms: a failed sign-in, a signature refused. */
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    assert_int_equal(web_get(&b, "/en/sign-in", &r), 0);
    http_result_free(&r);
    assert_int_equal(
        web_post(&b, "/en/sign-in", "email=nobody%40example.org&password=wrong", true, &r), 0);
    assert_int_equal(r.status, 401);
    assert_no_store("POST /en/sign-in", &r);
    http_result_free(&r);
    const char *form_headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    assert_int_equal(
        http_request(&H, "POST", "/en/petitions/e-6512/sign", "first_name=", 11, form_headers, &r),
        0);
    /* Refused: a redirect to the petition's page, whose GET with the
     * kept refusal is no-store too (web/forms.h). */
    assert_int_equal(r.status, 303);
    assert_no_store("POST /en/petitions/e-6512/sign", &r);
    assert_true(refusal_follow(&H, &r, NULL));
    assert_int_equal(r.status, 422);
    assert_no_store("GET /en/petitions/e-6512 after a refusal", &r);
    http_result_free(&r);

    /* A petitioner registers, activates and signs in. */
    const char *email = "headers.test@petitions.example";
    char form[600];
    snprintf(form, sizeof(form),
             "first_name=Header&last_name=Tester&city=Ottawa&country=Canada&province=ON"
             "&postal_code=K1A+0A6&phone=613-555-0100&email=%s&password=%s&eligible=1&terms=1",
             form_enc(email), "a+long+enough+password");
    assert_int_equal(web_get(&b, "/en/register", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/en/register", form, true, &r), 0);
    assert_int_equal(r.status, 303);
    assert_no_store("POST /en/register", &r);
    http_result_free(&r);
    char *mail = mail_wait(&H, "account-activation", email);
    assert_non_null(mail);
    char *link = mail_link(mail, "/account/activate");
    assert_non_null(link);
    assert_int_equal(web_get(&b, link, &r), 0);
    assert_int_equal(r.status, 200);
    assert_no_store("the activation link", &r);
    http_result_free(&r);
    free(link);
    free(mail);
    assert_int_equal(web_sign_in(&b, email, "a long enough password"), 303);

    static const char *const signed_in[] = {"/en/account", "/fr/account", "/en/account/petition",
                                            "/en/sign-in", "/en/register"};
    for (size_t i = 0; i < sizeof(signed_in) / sizeof(signed_in[0]); i++) {
        assert_int_equal(web_get(&b, signed_in[i], &r), 0);
        if (r.status != 200 && r.status != 303)
            fail_msg("%s signed in: %ld", signed_in[i], r.status);
        assert_no_store(signed_in[i], &r);
        http_result_free(&r);
    }

    /* Staff workspaces. */
    struct browser clerk;
    browser_init(&clerk, &H);
    assert_int_equal(web_sign_in(&clerk, "clerk@petitions.test", "petitions-demo"), 303);
    static const char *const staff[] = {"/en/clerk", "/en/clerk/signatures", "/en/account"};
    for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++) {
        assert_int_equal(web_get(&clerk, staff[i], &r), 0);
        assert_no_store(staff[i], &r);
        http_result_free(&r);
    }
    /* A public page read while signed in is the public page. */
    assert_int_equal(web_get(&clerk, "/en/subjects", &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(http_header(&r, "Cache-Control"), "public"));
    http_result_free(&r);
}

static void
errors_are_not_cached(void **state)
{
    (void)state;
    static const char *const errors[] = {"/en/subjects/no-such-subject", "/en/nowhere",
                                         "/en/petitions?page=0", "/static/nothing.css"};
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        struct http_result r = get_with(&H, errors[i], NULL);
        assert_true(r.status == 404 || r.status == 400);
        assert_no_store(errors[i], &r);
        http_result_free(&r);
    }
}

/* ---- security headers (issue 19, item 5) -------------------------------------------------- */

/* An answer of every kind: the language chooser, pages (kept in memory
 * or not), a static file, a feed, the API and an export, health, a
 * redirect, errors from a handler, from the router and from the API, and
 * refusals made before any handler runs (a bad query, too many query
 * parameters). */
static const char *const every_kind[] = {
    "/",
    "/en",
    "/fr/petitions/e-2829",
    "/en/sign-in",
    "/static/style.css",
    "/en/feeds/opened.atom",
    "/api/v1/petitions/e-2829",
    "/api/v1/petitions.csv?keyword=belarus",
    "/healthz",
    "/en/petitions/",
    "/en/petitions/e-999999",
    "/en/nowhere",
    "/api/v1/petitions/e-999999",
    "/en/petitions?q=%ff",
    "/en/petitions?a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1"
    "&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1"
    "&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1"
    "&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1&a=1", /* 73 parameters: 414 */
};

/* Every kind of answer of h, asked twice (the second from memory where
 * it is kept), says Permissions-Policy, denying the powerful features;
 * and Strict-Transport-Security as hsts says (NULL: none). */
static void
every_answer_says(struct harness *h, const char *hsts)
{
    for (size_t i = 0; i < sizeof(every_kind) / sizeof(every_kind[0]); i++) {
        for (int pass = 0; pass < 2; pass++) {
            struct http_result r = get_with(h, every_kind[i], NULL);
            const char *pp = http_header(&r, "Permissions-Policy");
            if (!pp || !strstr(pp, "camera=()") || !strstr(pp, "geolocation=()") ||
                !strstr(pp, "microphone=()") || !strstr(pp, "payment=()"))
                fail_msg("%s (%ld): Permissions-Policy %s", every_kind[i], r.status,
                         pp ? pp : "missing");
            const char *sts = http_header(&r, "Strict-Transport-Security");
            if (hsts ? !sts || strcmp(sts, hsts) != 0 : sts != NULL)
                fail_msg("%s (%ld): Strict-Transport-Security %s, want %s", every_kind[i], r.status,
                         sts ? sts : "none", hsts ? hsts : "none");
            http_result_free(&r);
        }
    }
}

static void
every_answer_says_permissions_policy_and_no_hsts_over_http(void **state)
{
    (void)state;
    /* The development server's --base-url is http://127.0.0.1:PORT. */
    every_answer_says(&H, NULL);
}

/* A second server, served over https as far as it knows; stopped by
 * stop_tls() even when a check fails. */
static struct harness tls;

static void
hsts_when_the_base_url_is_https(void **state)
{
    (void)state;
    static const char *const args[] = {"--base-url", "https://petitions.example", NULL};
    assert_int_equal(harness_start_args(&tls, NULL, args), 0);
    every_answer_says(&tls, "max-age=31536000");
}

static int
stop_tls(void **state)
{
    (void)state;
    return tls.pid ? harness_stop_checked(&tls) : 0;
}

static void
pages_keep_their_security_policy(void **state)
{
    (void)state;
    static const char *const pages[] = {"/en", "/fr/petitions/e-2829", "/en/sign-in", "/en/nowhere",
                                        "/en/petitions?q=%ff"};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        struct http_result r = get_with(&H, pages[i], NULL);
        char *csp = header_copy(&r, "Content-Security-Policy");
        assert_non_null(csp);
        assert_non_null(strstr(csp, "default-src 'none'"));
        assert_non_null(strstr(csp, "frame-ancestors 'none'"));
        assert_non_null(strstr(csp, "form-action 'self'"));
        free(csp);
        assert_string_equal(http_header(&r, "X-Content-Type-Options"), "nosniff");
        assert_string_equal(http_header(&r, "Referrer-Policy"), "same-origin");
        http_result_free(&r);
    }
}

/* ---- the server ------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    return harness_start_with(&H, NULL, true);
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
        cmocka_unit_test(public_answers_say_how_long_and_revalidate),
        cmocka_unit_test(language_chooser_varies_by_accept_language),
        cmocka_unit_test(static_files_have_a_strong_etag_of_their_bytes),
        cmocka_unit_test(forms_and_workspaces_are_no_store),
        cmocka_unit_test(errors_are_not_cached),
        cmocka_unit_test(every_answer_says_permissions_policy_and_no_hsts_over_http),
        cmocka_unit_test_teardown(hsts_when_the_base_url_is_https, stop_tls),
        cmocka_unit_test(pages_keep_their_security_policy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
