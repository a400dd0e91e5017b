/*
 * escaping_test.c: HTML is escaped by construction.  A petition whose
 * every text (petitioner, whereas clauses, prayer, Member, keyword,
 * subject, ministry, response) carries markup is loaded from
 * data/hostile.json; its pages must show that text escaped and never as
 * markup, in both languages and in the lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "harness.h"
#include "lib/banned.h"

static struct harness server;

static int
start(void **state)
{
    (void)state;
    return harness_start(&server, "tests/integration/data/hostile.json");
}

static int
stop(void **state)
{
    (void)state;
    return harness_stop(&server) == 0 ? 0 : -1;
}

/* Markup that must never appear raw, whatever the page. */
static void
assert_no_raw_markup(const struct http_result *r, const char *path)
{
    const char *raw[] = {"<script>alert", "<script>x()", "<iframe", "<img src=x",
                         "\"onmouseover=alert", "<b>", "<i>", "<u>", "<em>", "<Health>",
                         "<Someone>", "</p></section><script>"};
    for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
        if (body_has(r, raw[i]))
            fail_msg("%s shows raw markup: %s", path, raw[i]);
}

static void
petition_page_escapes_every_text(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(http_get(&server, "/en/petitions/e-7777", &r), 0);
    assert_int_equal(r.status, 200);
    assert_no_raw_markup(&r, "/en/petitions/e-7777");
    assert_true(body_has(&r, "Text with &lt;script&gt;alert(1)&lt;/script&gt; inside;"));
    assert_true(body_has(&r, "&quot;onmouseover=alert(1) and an apostrophe &#39; and &amp; "
                             "ampersand;"));
    assert_true(body_has(&r, "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"));
    assert_true(body_has(&r, "1. Stop &lt;iframe src=javascript:alert(1)&gt;;"));
    assert_true(body_has(&r, "Response &lt;script&gt;alert(&#39;r&#39;)&lt;/script&gt;"));
    assert_true(body_has(&r, "Petition to the Minister of &lt;Health&gt;"));
    assert_true(body_has(&r, "O&#39;Hara &amp; Sons"));
    http_result_free(&r);
}

static void
french_page_and_lists_escape_too(void **state)
{
    (void)state;
    const char *paths[] = {"/fr/petitions/e-7777", "/en", "/fr", "/en/petitions",
                           "/fr/petitions?q=script", "/en/keywords", "/en/keywords/xss",
                           "/fr/keywords/xss"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct http_result r;
        assert_int_equal(http_get(&server, paths[i], &r), 0);
        if (r.status != 200)
            fail_msg("%s gave %ld", paths[i], r.status);
        assert_no_raw_markup(&r, paths[i]);
        http_result_free(&r);
    }
}

static void
search_words_are_escaped_back_into_the_form(void **state)
{
    (void)state;
    struct http_result r;
    assert_int_equal(
        http_get(&server, "/en/petitions?q=%22%3E%3Cscript%3Ealert(9)%3C%2Fscript%3E", &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(body_has(&r, "<script>alert(9)"));
    assert_true(body_has(&r, "value=\"&quot;&gt;&lt;script&gt;alert(9)&lt;/script&gt;\""));
    http_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(petition_page_escapes_every_text),
        cmocka_unit_test(french_page_and_lists_escape_too),
        cmocka_unit_test(search_words_are_escaped_back_into_the_form),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
