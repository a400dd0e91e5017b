/*
 * pause_test.c: the brake for a bad day (issue 19, item 6).  An
 * administrator pauses signing for the whole site, then for one
 * petition, and resumes: while paused the petition pages say so in both
 * languages, sign and confirm POSTs are 503 with Retry-After and store
 * nothing, reading and every other form keep working; a confirmation
 * link e-mailed before the pause works once signing resumes; each pause
 * and resume is on the audit log; only an administrator may do it.
 *
 * One server in development mode (its administrator account) over
 * tests/integration/data/signing.json: e-7003 and e-7004 open with no
 * signatures.
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
static struct browser admin;

/* POST the sign form of e-petition number in lang as email (from an
 * address of its own); the answer is the caller's to free. */
static void
sign_raw(const char *lang, const char *number, const char *email, struct http_result *r)
{
    static int ip = 1;
    char form[1024], path[128], xff[64];
    snprintf(form, sizeof(form),
             "first_name=Pat&last_name=Pause&email=%s&country=Canada&province=ON"
             "&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
             form_enc(email));
    snprintf(path, sizeof(path), "/%s/petitions/%s/sign", lang, number);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 198.51.100.%d", ip++);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, r), 0);
}

static long
sign_status(const char *number, const char *email)
{
    struct http_result r;
    sign_raw("en", number, email, &r);
    long status = r.status;
    http_result_free(&r);
    return status;
}

/* The confirmation link e-mailed to addr, split into its path and body. */
static void
confirm_link(const char *addr, char path[256], char body[128])
{
    char *m = mail_wait(&H, "signature-confirm", addr);
    assert_non_null(m);
    char *link = mail_link(m, "/signatures/");
    assert_non_null(link);
    const char *q = strchr(link, '?');
    assert_non_null(q);
    snprintf(path, 256, "%.*s", (int)(q - link), link);
    snprintf(body, 128, "%s", q + 1);
    free(link);
    free(m);
}

static void
confirm_raw(const char *path, const char *body, struct http_result *r)
{
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    assert_int_equal(http_request(&H, "POST", path, body, strlen(body), headers, r), 0);
}

/* The administrator's form; the status. */
static long
admin_post(const char *form)
{
    struct http_result r;
    assert_int_equal(web_get(&admin, "/en/admin/signing", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&admin, "/en/admin/signing", form, true, &r), 0);
    long status = r.status;
    /* A refusal opens with the error summary (issue 20, item 1). */
    if (status == 422 || status == 409)
        assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);
    return status;
}

static bool
page_has(const char *path, const char *text)
{
    struct http_result r;
    assert_int_equal(http_get(&H, path, &r), 0);
    assert_int_equal(r.status, 200);
    bool has = body_has(&r, text);
    http_result_free(&r);
    return has;
}

static int64_t
rows_of(const char *email)
{
    struct signature_match m = {.email = email};
    return fixture_signature_count(&H, &m);
}

static int64_t
audited(const char *action, const char *target)
{
    struct audit_match m = {.action = action, .target = target, .role = "admin"};
    return fixture_audit_count(&H, &m);
}

static void
site_pause_stores_nothing_and_early_links_work_after(void **state)
{
    (void)state;
    struct http_result r;
    char path[256], body[128];

    /* Signed before the pause; its link arrives. */
    assert_int_equal(sign_status("e-7003", "early@pause.example"), 303);
    confirm_link("early@pause.example", path, body);

    /* The reason is required; then the whole site is paused. */
    assert_int_equal(admin_post("action=pause&number=&reason="), 422);
    assert_int_equal(audited("signing.pause", "site"), 0);
    assert_int_equal(admin_post("action=pause&number=&reason=Bots+on+every+petition"), 303);
    assert_int_equal(audited("signing.pause", "site"), 1);
    assert_int_equal(admin_post("action=pause&number=&reason=again"), 409);

    /* The pages say so in both languages, with no form to send. */
    assert_true(page_has("/en/petitions/e-7003", "Signing is paused"));
    assert_false(page_has("/en/petitions/e-7003", "action=\"/en/petitions/e-7003/sign\""));
    assert_true(page_has("/fr/petitions/e-7004", "La signature est suspendue"));
    assert_false(page_has("/fr/petitions/e-7004", "action=\"/fr/petitions/e-7004/sign\""));

    /* A signature: 503, Retry-After, the message in the page's
     * language, nothing stored and nothing e-mailed. */
    sign_raw("en", "e-7004", "paused@pause.example", &r);
    assert_int_equal(r.status, 503);
    assert_string_equal(http_header(&r, "Retry-After"), "300");
    assert_true(body_has(&r, "Signing is paused for the moment: nothing was recorded."));
    http_result_free(&r);
    sign_raw("fr", "e-7004", "pause-fr@pause.example", &r);
    assert_int_equal(r.status, 503);
    assert_non_null(http_header(&r, "Retry-After"));
    assert_true(body_has(&r, "La signature est suspendue pour le moment"));
    http_result_free(&r);
    assert_int_equal(rows_of("paused@pause.example"), 0);
    assert_int_equal(rows_of("pause-fr@pause.example"), 0);

    /* The early link: 503 and nothing confirmed. */
    confirm_raw(path, body, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(http_header(&r, "Retry-After"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), 0);
    /* Its page (the GET a mail scanner makes) still reads. */
    char get[400];
    snprintf(get, sizeof(get), "%s?%s", path, body);
    assert_int_equal(http_get(&H, get, &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);

    /* Reading and the other forms keep working. */
    assert_true(page_has("/en/petitions", "e-7003"));
    assert_true(page_has("/fr", "e-7004"));
    assert_int_equal(http_get(&H, "/api/v1/petitions/e-7003/count", &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    struct browser clerk;
    browser_init(&clerk, &H);
    assert_int_equal(web_sign_in(&clerk, "clerk@petitions.test", "petitions-demo"), 303);

    /* The audit log shows the pause. */
    assert_int_equal(web_get(&admin, "/en/admin/audit?action=signing.pause", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Bots on every petition"));
    http_result_free(&r);

    /* Resumed: the early link confirms and counts, signing works. */
    assert_int_equal(admin_post("action=resume&number="), 303);
    assert_int_equal(audited("signing.resume", "site"), 1);
    assert_int_equal(admin_post("action=resume&number="), 404);
    assert_true(page_has("/en/petitions/e-7003", "action=\"/en/petitions/e-7003/sign\""));
    confirm_raw(path, body, &r);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), 1);
    assert_int_equal(sign_status("e-7004", "paused@pause.example"), 303);
    assert_int_equal(rows_of("paused@pause.example"), 1);
}

static void
petition_pause_leaves_the_others_signing(void **state)
{
    (void)state;
    struct http_result r;

    assert_int_equal(admin_post("action=pause&number=e-9999&reason=x"), 422);
    assert_int_equal(admin_post("action=pause&number=432-00001&reason=x"), 422);
    assert_int_equal(admin_post("action=pause&number=e-7003&reason=A+bot+on+e-7003"), 303);
    assert_int_equal(audited("signing.pause", "e-7003"), 1);
    assert_int_equal(web_get(&admin, "/fr/admin/signing", &r), 0);
    assert_true(body_has(&r, "e-7003"));
    assert_true(body_has(&r, "A bot on e-7003"));
    assert_true(body_has(&r, "Reprendre la signature"));
    http_result_free(&r);

    assert_int_equal(sign_status("e-7003", "one@pause.example"), 503);
    assert_int_equal(rows_of("one@pause.example"), 0);
    assert_true(page_has("/en/petitions/e-7003", "Signing is paused"));
    assert_int_equal(sign_status("e-7004", "other@pause.example"), 303);
    assert_false(page_has("/en/petitions/e-7004", "Signing is paused"));

    assert_int_equal(admin_post("action=resume&number=e-7004"), 404);
    assert_int_equal(admin_post("action=resume&number=e-7003"), 303);
    assert_int_equal(audited("signing.resume", "e-7003"), 1);
    assert_int_equal(sign_status("e-7003", "one@pause.example"), 303);
    assert_int_equal(rows_of("one@pause.example"), 1);
}

static void
only_an_administrator_pauses(void **state)
{
    (void)state;
    struct browser clerk, anon;
    struct http_result r;
    browser_init(&clerk, &H);
    assert_int_equal(web_sign_in(&clerk, "clerk@petitions.test", "petitions-demo"), 303);
    assert_int_equal(web_get(&clerk, "/en/admin/signing", &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    assert_int_equal(
        web_post(&clerk, "/en/admin/signing", "action=pause&number=&reason=mine", true, &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    browser_init(&anon, &H);
    assert_int_equal(web_get(&anon, "/en/admin/signing", &r), 0);
    assert_int_equal(r.status, 303); /* to sign in */
    http_result_free(&r);
    assert_int_equal(audited("signing.pause", "site"), 1); /* the first test's only */
    assert_int_equal(sign_status("e-7004", "still@pause.example"), 303);
}

static int
setup(void **state)
{
    (void)state;
    if (harness_start_with(&H, "tests/integration/data/signing.json", true))
        return -1;
    browser_init(&admin, &H);
    return web_sign_in(&admin, "admin@petitions.test", "petitions-demo") == 303 ? 0 : -1;
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
        cmocka_unit_test(site_pause_stores_nothing_and_early_links_work_after),
        cmocka_unit_test(petition_pause_leaves_the_others_signing),
        cmocka_unit_test(only_an_administrator_pauses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
