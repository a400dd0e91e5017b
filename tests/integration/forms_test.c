/*
 * forms_test.c: work is never lost (issue 20, item 5), over HTTP.
 *
 * The sign form states each field's limit beside it (a hint its control's
 * aria-describedby names) and gives the browser the same limit
 * (maxlength), in both languages.  A form over the 64 KiB body limit but
 * within the hard cap comes back as the form, 413, with what arrived of
 * the text typed, an error naming the field it was cut in, and the limit;
 * nothing is stored or sent; a character or a %-escape cut in two at the
 * limit is dropped, not refused.  A body over the hard cap is answered at
 * once with the 413 page in the page's language, saying the limit and
 * that nothing was saved.  A successful registration and a forgotten
 * password answer with a redirect (Post/Redirect/Get), so Back never
 * sends them again.
 *
 * So does a refused form (web/forms.h): the sign form refused answers
 * 303 to the petition's page with "?refused=1" and the refusal sealed in
 * the cookie pd_form (HttpOnly, SameSite=Strict, Path of the page,
 * Max-Age 600); that GET with the cookie is the refusal as it was drawn
 * (error summary, messages in the page's language, values kept, no-store)
 * as often as it is reloaded; without the cookie, with it on the plain
 * page, on another petition's or language's page, tampered with or
 * expired, nothing of it shows; the form taken removes the cookie, so
 * Back shows the form empty.  Registration, sign-in and a forgotten
 * password do the same in both languages (never keeping a password), and
 * the privacy notice names the cookie.
 *
 * After signing (item 10), "check your e-mail" and the thanks for a
 * confirmed signature (reached by Post/Redirect/Get) follow the
 * confirmation-page pattern in both languages: a panel naming the
 * petition, what happens next with the jurisdiction's threshold (500)
 * and deadline (45 days), and the petition page's share section (its
 * link, copy button and badge).
 *
 * One server in development mode over tests/integration/data/signing.json
 * (open petition e-7003).
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

#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;

static const char *const form_type[] = {"Content-Type: application/x-www-form-urlencoded", NULL};

/* A sign form's fields as a valid signatory types them, then last_name
 * (its value appended by the caller). */
static const char sign_head[] = "first_name=Ann&email=ann%40cut.example&country=Canada&province=ON"
                                "&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1"
                                "&last_name=";

/* sign_head, then `count` times `unit`.  malloc'd. */
static char *
sign_body(const char *unit, size_t count, size_t *len)
{
    size_t head = strlen(sign_head), u = strlen(unit);
    char *b = malloc(head + u * count + 1);
    assert_non_null(b);
    memcpy(b, sign_head, head);
    for (size_t i = 0; i < count; i++)
        memcpy(b + head + i * u, unit, u);
    *len = head + u * count;
    b[*len] = '\0';
    return b;
}

static void
sign_form_states_its_limits(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(http_get(&H, "/en/petitions/e-7003", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(
        body_has(&r, "id=\"f-first_name\" name=\"first_name\" value=\"\" maxlength=\"100\""));
    assert_true(
        body_has(&r, "<p class=\"hint\" id=\"f-first_name-limit\">At most 100 characters.</p>"));
    assert_true(body_has(&r, "aria-describedby=\"f-first_name-limit\""));
    assert_true(body_has(&r, "name=\"email\" value=\"\" maxlength=\"254\""));
    assert_true(body_has(&r, "aria-describedby=\"f-email-hint f-email-limit\""));
    assert_true(body_has(&r, "name=\"phone\" value=\"\" maxlength=\"25\""));
    assert_true(body_has(&r, "name=\"country\" value=\"Canada\" maxlength=\"60\""));
    http_result_free(&r);
    assert_int_equal(http_get(&H, "/fr/petitions/e-7003", &r), 0);
    assert_true(body_has(&r, "id=\"f-last_name-limit\">Au plus 100 caractères.</p>"));
    http_result_free(&r);
}

static void
oversized_form_comes_back_with_its_text(void **state)
{
    (void)state;
    struct http_result r;
    size_t len;

    /* 70,000 characters of last name: over 64 KiB, within the cap. */
    char *body = sign_body("L", 70000, &len);
    assert_int_equal(
        http_request(&H, "POST", "/en/petitions/e-7003/sign", body, len, form_type, &r), 0);
    free(body);
    assert_int_equal(r.status, 413);
    assert_true(body_has(&r, "<title>Error: "));
    assert_true(body_has(&r, "id=\"error-summary\""));
    assert_true(body_has(&r, "larger than 64 KB, the most this site takes, so nothing was saved"));
    assert_true(
        body_has(&r, "<a href=\"#f-last_name\">Shorten your last name: the form was larger"));
    /* What was typed is there: the fields before the cut whole, the cut
     * one up to the limit. */
    assert_true(body_has(&r, "name=\"first_name\" value=\"Ann\""));
    assert_true(body_has(&r, "value=\"ann@cut.example\""));
    char many[2001];
    memset(many, 'L', 2000);
    many[2000] = '\0';
    assert_true(body_has(&r, many));
    http_result_free(&r);
    assert_int_equal(fixture_signature_id(&H, 7003, "ann@cut.example"), 0);
    assert_int_equal(mail_count(&H, "signature-confirm", "ann@cut.example"), 0);

    /* In French, é as %C3%A9 (6 bytes a character): the limit falls in an
     * escape or between a character's two bytes; what is whole is kept. */
    for (int shift = 0; shift < 6; shift++) {
        char *b = sign_body("%C3%A9", 12000, &len);
        /* Move where the limit falls by padding the first name. */
        char *padded = malloc(len + 8);
        assert_non_null(padded);
        snprintf(padded, len + 8, "first_name=%.*sAnn%s", shift, "AAAAAA",
                 b + strlen("first_name=Ann"));
        free(b);
        assert_int_equal(http_request(&H, "POST", "/fr/petitions/e-7003/sign", padded,
                                      strlen(padded), form_type, &r),
                         0);
        free(padded);
        assert_int_equal(r.status, 413);
        assert_true(body_has(&r, "<html lang=\"fr\""));
        assert_true(body_has(&r, "Raccourcissez votre nom de famille"));
        assert_true(body_has(&r, "dépassait 64 Ko"));
        assert_true(body_has(&r, "éééééééééé"));
        http_result_free(&r);
    }
    assert_int_equal(fixture_signature_id(&H, 7003, "ann@cut.example"), 0);

    /* A form with no way to show itself again (sign-in): the 413 page. */
    body = sign_body("L", 70000, &len);
    assert_int_equal(http_request(&H, "POST", "/fr/sign-in", body, len, form_type, &r), 0);
    free(body);
    assert_int_equal(r.status, 413);
    assert_true(body_has(&r, "<html lang=\"fr\""));
    assert_true(body_has(&r, "dépassait 64 Ko"));
    assert_true(body_has(&r, "rien n&#39;a été enregistré"));
    http_result_free(&r);
}

/* A request with a Content-Length over the hard cap, sent by hand with
 * no body: the answer (malloc'd), read until the server closes. */
static char *
raw_over_cap(const char *path)
{
    char req[512];
    snprintf(req, sizeof(req),
             "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
             "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n",
             path, 2 * 1024 * 1024);
    char *out = harness_raw_exchange(&H, req);
    assert_non_null(out);
    return out;
}

static void
body_over_the_cap_is_413_in_the_page_language(void **state)
{
    (void)state;
    char *a = raw_over_cap("/fr/petitions/e-7003/sign");
    assert_non_null(strstr(a, "HTTP/1.1 413"));
    assert_non_null(strstr(a, "<html lang=\"fr\""));
    assert_non_null(strstr(a, "dépassait 64 Ko"));
    assert_non_null(strstr(a, "rien n&#39;a été enregistré"));
    free(a);
    a = raw_over_cap("/en/petitions/e-7003/sign");
    assert_non_null(strstr(a, "HTTP/1.1 413"));
    assert_non_null(strstr(a, "larger than 64 KB, the most this site takes, so nothing was saved"));
    free(a);
}

static void
successful_posts_redirect(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    assert_int_equal(web_get(&b, "/en/register", &r), 0);
    http_result_free(&r);
    assert_int_equal(
        web_post(&b, "/en/register",
                 "first_name=Pat&last_name=Redirect&city=Ottawa&country=Canada&province=ON"
                 "&postal_code=K1A+0A6&phone=613-555-0100&email=pat%40prg.example"
                 "&password=a+long+enough+password&eligible=1&terms=1",
                 true, &r),
        0);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/en/register?done=check-email");
    http_result_free(&r);
    assert_int_equal(web_get(&b, "/en/register?done=check-email", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Check your e-mail"));
    http_result_free(&r);

    assert_int_equal(web_get(&b, "/fr/password/forgot", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/fr/password/forgot", "email=pat%40prg.example", true, &r), 0);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/fr/password/forgot?done=sent");
    http_result_free(&r);
}

/* The value of the kept state's cookie set by r ("pd_form=VALUE; ..."),
 * into out; asserts it is set with the attributes the site promises, for
 * path. */
static void
state_cookie_of(const struct http_result *r, const char *path, char *out, size_t size)
{
    const char *c = strstr(r->headers, "\nSet-Cookie: pd_form=");
    assert_non_null(c);
    c += strlen("\nSet-Cookie: pd_form=");
    const char *end = strpbrk(c, "\r\n");
    assert_non_null(end);
    char line[4200];
    assert_true((size_t)(end - c) < sizeof(line));
    snprintf(line, sizeof(line), "%.*s", (int)(end - c), c);
    char want[200];
    snprintf(want, sizeof(want), "; Path=%s; Max-Age=600; HttpOnly; SameSite=Strict", path);
    assert_non_null(strstr(line, want));
    size_t n = strcspn(line, ";");
    assert_true(n > 40 && n < size && n <= 3800);
    snprintf(out, size, "%.*s", (int)n, line);
}

/* GET path with the state cookie value (NULL: none). */
static void
get_with_state(const char *path, const char *value, struct http_result *r)
{
    char cookie[8200];
    snprintf(cookie, sizeof(cookie), "Cookie: pd_form=%s", value ? value : "");
    const char *headers[] = {cookie, NULL};
    assert_int_equal(http_request(&H, "GET", path, NULL, 0, value ? headers : NULL, r), 0);
}

/* The sign form of e-7003 refused in lang: empty but for a first name,
 * a telephone number and a wrong postal code.  The POST is answered with
 * a 303 to the petition's page and the sealed state; that page, with the
 * cookie, is the refusal as it was drawn before (errors first, in the
 * page's language, values kept), not cached, as often as it is loaded. */
static void
sign_refusal_redirects(const char *lang, char *cookie, size_t size)
{
    char path[100], post[120], shown[120];
    snprintf(path, sizeof(path), "/%s/petitions/e-7003", lang);
    snprintf(post, sizeof(post), "%s/sign", path);
    snprintf(shown, sizeof(shown), "%s?refused=1", path);
    static const char body[] = "first_name=Zo%C3%A9&last_name=&email=&country=Canada&province=ON"
                               "&postal_code=ZZZ&phone=613-555-0199";
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", post, body, strlen(body), form_type, &r), 0);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), shown);
    assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
    /* Nothing of what was typed in the answer to the POST. */
    assert_false(body_has(&r, "Zo"));
    assert_null(strstr(r.headers, "555-0199"));
    state_cookie_of(&r, path, cookie, size);
    http_result_free(&r);

    for (int reload = 0; reload < 2; reload++) {
        get_with_state(shown, cookie, &r);
        assert_int_equal(r.status, 422);
        assert_true(refusal_page_ok(&r, lang));
        assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
        assert_true(body_has(&r, "name=\"first_name\" value=\"Zoé\""));
        assert_true(body_has(&r, "name=\"phone\" value=\"613-555-0199\""));
        assert_true(body_has(&r, "name=\"postal_code\" value=\"ZZZ\""));
        assert_true(body_has(&r, lang[0] == 'e' ? "<a href=\"#f-last_name\">"
                                                : "<a href=\"#f-last_name\">"));
        assert_true(body_has(&r, lang[0] == 'e' ? "your last name" : "votre nom de famille"));
        http_result_free(&r);
    }
}

static void
refused_sign_form_comes_back_by_get(void **state)
{
    (void)state;
    char en[4000], fr[4000];
    struct http_result r;
    sign_refusal_redirects("en", en, sizeof(en));
    sign_refusal_redirects("fr", fr, sizeof(fr));

    /* Without the cookie, nothing of it. */
    for (int i = 0; i < 2; i++) {
        get_with_state(i ? "/en/petitions/e-7003?refused=1" : "/en/petitions/e-7003", NULL, &r);
        assert_int_equal(r.status, 200);
        assert_false(body_has(&r, "Zoé"));
        assert_false(body_has(&r, "613-555-0199"));
        assert_false(body_has(&r, "id=\"error-summary\""));
        http_result_free(&r);
    }
    /* With it, the page reached by a link (no "refused") is the page. */
    get_with_state("/en/petitions/e-7003", en, &r);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "613-555-0199"));
    assert_false(body_has(&r, "id=\"error-summary\""));
    assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
    http_result_free(&r);

    /* Another petition's page, or another language's, does not open it. */
    get_with_state("/en/petitions/e-7004?refused=1", en, &r);
    assert_false(body_has(&r, "613-555-0199"));
    assert_false(body_has(&r, "id=\"error-summary\""));
    http_result_free(&r);
    get_with_state("/fr/petitions/e-7003?refused=1", en, &r);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "613-555-0199"));
    http_result_free(&r);
    get_with_state("/en/register?refused=1", en, &r);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "613-555-0199"));
    http_result_free(&r);

    /* Another page's cookie alone is left alone; beside this page's (a
     * browser sends one per Path that matches), this page's is shown. */
    get_with_state("/en/petitions/e-7003?refused=1", fr, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.headers, "Set-Cookie: pd_form="));
    http_result_free(&r);
    char both[8100];
    snprintf(both, sizeof(both), "%s; pd_form=%s", fr, en);
    get_with_state("/en/petitions/e-7003?refused=1", both, &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "value=\"613-555-0199\""));
    http_result_free(&r);

    /* Tampered: one character changed, or cut short; the empty form, and
     * the browser told to forget the cookie. */
    char bad[4000];
    snprintf(bad, sizeof(bad), "%s", en);
    bad[30] = bad[30] == 'A' ? 'B' : 'A';
    get_with_state("/en/petitions/e-7003?refused=1", bad, &r);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "613-555-0199"));
    assert_false(body_has(&r, "id=\"error-summary\""));
    assert_non_null(
        strstr(r.headers, "Set-Cookie: pd_form=; Path=/en/petitions/e-7003; Max-Age=0"));
    assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
    http_result_free(&r);
    bad[20] = '\0';
    get_with_state("/en/petitions/e-7003?refused=1", bad, &r);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "id=\"error-summary\""));
    http_result_free(&r);
    get_with_state("/en/petitions/e-7003?refused=1", "not*base64", &r);
    assert_int_equal(r.status, 200);
    http_result_free(&r);

    /* Expired: ten minutes later, the empty form. */
    harness_set_clock(&H, (int64_t)time(NULL) + 601);
    get_with_state("/en/petitions/e-7003?refused=1", en, &r);
    harness_set_clock(&H, (int64_t)time(NULL));
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "613-555-0199"));
    assert_false(body_has(&r, "id=\"error-summary\""));
    http_result_free(&r);
    /* Still good within them. */
    get_with_state("/fr/petitions/e-7003?refused=1", fr, &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "<title>Erreur : "));
    http_result_free(&r);

    /* The privacy notice names the cookie, in both languages. */
    assert_int_equal(http_get(&H, "/en/privacy", &r), 0);
    assert_true(body_has(&r, "a cookie named pd_form"));
    http_result_free(&r);
    assert_int_equal(http_get(&H, "/fr/privacy", &r), 0);
    assert_true(body_has(&r, "un témoin (cookie) nommé pd_form"));
    http_result_free(&r);
}

/* The browser's journey: refused, corrected, signed; the state is gone
 * after the form succeeds, so Back shows the form empty. */
static void
corrected_form_forgets_its_state(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    assert_int_equal(web_get(&b, "/en/petitions/e-7003", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/en/petitions/e-7003/sign", "first_name=Back", false, &r), 0);
    assert_string_equal(b.refused_to, "/en/petitions/e-7003?refused=1");
    assert_int_equal(r.status, 422);
    assert_true(refusal_page_ok(&r, "en"));
    assert_true(body_has(&r, "value=\"Back\""));
    http_result_free(&r);
    assert_non_null(strstr(b.cookies, "pd_form="));
    assert_int_equal(web_post(&b, "/en/petitions/e-7003/sign",
                              "first_name=Back&last_name=Button&email=back%40prg.example"
                              "&country=Canada&province=ON&postal_code=K1A+0A6"
                              "&phone=613-555-0100&eligible=1&terms=1",
                              false, &r),
                     0);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/en/petitions/e-7003/check-email");
    assert_non_null(
        strstr(r.headers, "Set-Cookie: pd_form=; Path=/en/petitions/e-7003; Max-Age=0"));
    http_result_free(&r);
    assert_null(strstr(b.cookies, "pd_form="));
    /* Back: the refusal's address, a GET, the form empty. */
    assert_int_equal(web_get(&b, "/en/petitions/e-7003?refused=1", &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "value=\"Back\""));
    http_result_free(&r);
}

/* Every public form refused comes back by GET, in both languages. */
static void
public_refusals_come_back_by_get(void **state)
{
    (void)state;
    static const struct {
        const char *page, *form, *kept;
    } forms[] = {
        {"/register", "first_name=Kept&email=nope", "value=\"Kept\""},
        {"/password/forgot", "email=not-an-address", "value=\"not-an-address\""},
        {"/sign-in", "email=kept%40nobody.example&password=wrong+password+here",
         "value=\"kept@nobody.example\""},
    };
    for (int l = 0; l < 2; l++) {
        const char *lang = l ? "fr" : "en";
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
            struct browser b;
            struct http_result r;
            char path[100];
            browser_init(&b, &H);
            snprintf(path, sizeof(path), "/%s%s", lang, forms[i].page);
            assert_int_equal(web_get(&b, path, &r), 0);
            http_result_free(&r);
            assert_int_equal(web_post(&b, path, forms[i].form, true, &r), 0);
            char shown[120];
            snprintf(shown, sizeof(shown), "%s?refused=1", path);
            assert_string_equal(b.refused_to, shown);
            assert_true(r.status == 422 || r.status == 401);
            assert_true(refusal_page_ok(&r, lang));
            assert_true(body_has(&r, forms[i].kept));
            /* Never a password. */
            assert_false(body_has(&r, "wrong password here"));
            assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
            http_result_free(&r);
        }
    }
}

/* The pages after signing (issue 20, item 10): the confirmation-page
 * pattern in lang, for e-7003. */
static void
after_signing_page_ok(const struct http_result *r, const char *lang)
{
    bool en = lang[0] == 'e';
    assert_true(body_has(r, "<div class=\"panel panel-confirmation\">"));
    assert_true(body_has(r, en ? "<a href=\"/en/petitions/e-7003\">e-7003"
                               : "<a href=\"/fr/petitions/e-7003\">e-7003"));
    assert_true(body_has(r, en ? "<h2>What happens next</h2>" : "<h2>La suite</h2>"));
    /* The jurisdiction's threshold and deadline. */
    assert_true(
        body_has(r, en ? "at least 500 validated signatures" : "au moins 500 signatures validées"));
    assert_true(body_has(r, en ? "within 45 calendar days" : "dans les 45 jours civils"));
    /* The petition page's share section: its link, copy button and badge. */
    assert_true(body_has(r, "<section class=\"share\" aria-labelledby=\"share-heading\">"));
    assert_true(body_has(r, en ? "/en/petitions/e-7003\">" : "/fr/petitions/e-7003\">"));
    assert_true(body_has(r, "data-copy=\"share-link\""));
    assert_true(body_has(r, en ? "src=\"/en/petitions/e-7003/badge.svg\""
                               : "src=\"/fr/petitions/e-7003/badge.svg\""));
    assert_true(body_has(r, "<script src=\"/static/share.js\" defer></script>"));
}

static void
pages_after_signing_follow_the_confirmation_pattern(void **state)
{
    (void)state;
    static const char *const langs[] = {"en", "fr"};
    for (int i = 0; i < 2; i++) {
        char form[400], path[64], email[64];
        struct http_result r;
        snprintf(email, sizeof(email), "after-%s@signing.example", langs[i]);
        snprintf(form, sizeof(form),
                 "first_name=Al&last_name=After&email=after-%s%%40signing.example&country=Canada"
                 "&province=ON&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
                 langs[i]);
        snprintf(path, sizeof(path), "/%s/petitions/e-7003/sign", langs[i]);
        const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                                 i ? "X-Forwarded-For: 192.0.2.31" : "X-Forwarded-For: 192.0.2.30",
                                 NULL};
        assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, &r), 0);
        assert_int_equal(r.status, 303);
        char *check = strdup(http_header(&r, "Location"));
        http_result_free(&r);
        assert_int_equal(http_get(&H, check, &r), 0);
        free(check);
        assert_int_equal(r.status, 200);
        assert_true(
            body_has(&r, i ? "<h1>Consultez vos courriels</h1>" : "<h1>Check your e-mail</h1>"));
        after_signing_page_ok(&r, langs[i]);
        http_result_free(&r);

        /* Confirmed: Post/Redirect/Get to the thanks, the same pattern. */
        assert_true(mail_wait_count(&H, "signature-confirm", email, 1));
        char *m = mail_wait(&H, "signature-confirm", email);
        char *link = mail_link(m, "/signatures/");
        free(m);
        const char *q = strchr(link, '?');
        snprintf(path, sizeof(path), "%.*s", (int)(q - link), link);
        assert_int_equal(http_request(&H, "POST", path, q + 1, strlen(q + 1), form_type, &r), 0);
        assert_int_equal(r.status, 303);
        char *thanks = strdup(http_header(&r, "Location"));
        http_result_free(&r);
        assert_non_null(strstr(thanks, "&done=1"));
        assert_int_equal(http_get(&H, thanks, &r), 0);
        free(thanks);
        free(link);
        assert_int_equal(r.status, 200);
        assert_true(
            body_has(&r, i ? "<h1>Merci d’avoir signé</h1>" : "<h1>Thank you for signing</h1>"));
        assert_true(
            body_has(&r, i ? "Votre signature est confirmée." : "Your signature is confirmed."));
        after_signing_page_ok(&r, langs[i]);
        http_result_free(&r);
    }
}

/* ---- the server --------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    if (harness_start_with(&H, "tests/integration/data/signing.json", true))
        return -1;
    harness_set_clock(&H, (int64_t)time(NULL));
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sign_form_states_its_limits),
        cmocka_unit_test(oversized_form_comes_back_with_its_text),
        cmocka_unit_test(body_over_the_cap_is_413_in_the_page_language),
        cmocka_unit_test(successful_posts_redirect),
        cmocka_unit_test(refused_sign_form_comes_back_by_get),
        cmocka_unit_test(corrected_form_forgets_its_state),
        cmocka_unit_test(public_refusals_come_back_by_get),
        cmocka_unit_test(pages_after_signing_follow_the_confirmation_pattern),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
