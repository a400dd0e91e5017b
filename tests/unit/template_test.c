/*
 * template_test.c: the template renderer escapes every value by
 * construction, and refuses templates it cannot render safely.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "web/template.h"
#include "lib/banned.h"

static char result[4096];

/* Render src with the JSON context ctx_text; returns the error code. */
static int
render(const char *src, const char *ctx_text)
{
    struct template_set *ts = template_set_new();
    struct strbuf sb;
    struct err e = ERR_INIT;
    json_error_t jerr;
    json_t *ctx = json_loads(ctx_text, 0, &jerr);
    int r;

    assert_non_null(ctx);
    sb_init(&sb, NULL);
    r = template_set_add(ts, "t", src, strlen(src), &e);
    if (!r)
        r = template_render(ts, "t", ctx, &sb, &e);
    result[0] = '\0';
    if (!r) {
        assert_true(sb.len < sizeof(result));
        memcpy(result, sb.buf, sb.len + 1);
    }
    sb_release(&sb);
    json_decref(ctx);
    template_set_free(ts);
    return r;
}

static void
values_are_html_escaped_in_text_and_attributes(void **state)
{
    (void)state;
    const char *ctx = "{\"text\": \"<script>alert(1)</script> \\\"onmouseover=alert(1) ' &\"}";
    assert_int_equal(render("<p>{{text}}</p><a title=\"{{text}}\">x</a>", ctx), 0);
    assert_string_equal(result,
                        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) &#39; "
                        "&amp;</p><a title=\"&lt;script&gt;alert(1)&lt;/script&gt; "
                        "&quot;onmouseover=alert(1) &#39; &amp;\">x</a>");
    assert_null(strstr(result, "<script>"));
}

static void
url_values_are_percent_encoded(void **state)
{
    (void)state;
    assert_int_equal(render("<a href=\"/k/{{%slug}}\">", "{\"slug\": \"a b/c?d\"}"), 0);
    assert_string_equal(result, "<a href=\"/k/a%20b%2Fc%3Fd\">");
}

static void
scalars_print_and_missing_values_print_nothing(void **state)
{
    (void)state;
    assert_int_equal(render("[{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|{{missing}}]",
                            "{\"i\": 42, \"r\": 1.5, \"t\": true, \"f\": false, \"n\": null}"),
                     0);
    assert_string_equal(result, "[42|1.5|true|false||]");
}

static void
objects_and_arrays_cannot_be_printed(void **state)
{
    (void)state;
    assert_int_equal(render("{{o}}", "{\"o\": {\"a\": 1}}"), ERR_INVALID);
    assert_int_equal(render("{{a}}", "{\"a\": [1]}"), ERR_INVALID);
}

static void
sections_iterate_arrays_and_push_objects(void **state)
{
    (void)state;
    assert_int_equal(render("{{#items}}<li>{{name}} {{@index}}/{{@number}}</li>{{/items}}",
                            "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}"),
                     0);
    assert_string_equal(result, "<li>a 0/1</li><li>&lt;b&gt; 1/2</li>");
    assert_int_equal(render("{{#list}}({{.}}){{/list}}", "{\"list\": [\"x\", \"y&z\"]}"), 0);
    assert_string_equal(result, "(x)(y&amp;z)");
    assert_int_equal(render("{{#o}}{{a}}-{{b}}{{/o}}", "{\"o\": {\"a\": 1}, \"b\": 2}"), 0);
    assert_string_equal(result, "1-2");
}

static void
dotted_names_and_outer_lookups(void **state)
{
    (void)state;
    assert_int_equal(render("{{t.nav.home}}|{{#rows}}{{t.nav.home}}{{v}}{{/rows}}",
                            "{\"t\": {\"nav\": {\"home\": \"Home\"}}, \"rows\": [{\"v\": 1}]}"),
                     0);
    assert_string_equal(result, "Home|Home1");
    assert_int_equal(render("[{{a.b.c}}]", "{\"a\": {\"b\": {}}}"), 0);
    assert_string_equal(result, "[]");
}

static void
falsy_values_skip_sections_and_run_inverted_ones(void **state)
{
    (void)state;
    const char *ctx = "{\"n\": null, \"f\": false, \"s\": \"\", \"z\": 0, \"r\": 0.0,"
                      " \"a\": [], \"o\": {}, \"yes\": \"y\"}";
    assert_int_equal(render("{{#n}}1{{/n}}{{#f}}2{{/f}}{{#s}}3{{/s}}{{#z}}4{{/z}}{{#r}}5{{/r}}"
                            "{{#a}}6{{/a}}{{#o}}7{{/o}}{{#none}}8{{/none}}{{#yes}}Y{{yes}}{{/yes}}",
                            ctx),
                     0);
    assert_string_equal(result, "Yy");
    assert_int_equal(render("{{^n}}a{{/n}}{{^a}}b{{/a}}{{^yes}}c{{/yes}}", ctx), 0);
    assert_string_equal(result, "ab");
}

static void
comments_print_nothing(void **state)
{
    (void)state;
    assert_int_equal(render("a{{! a comment }}b", "{}"), 0);
    assert_string_equal(result, "ab");
}

static void
partials_share_the_context(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct strbuf sb;
    struct err e = ERR_INIT;
    const char *page = "<h1>{{title}}</h1>{{#items}}{{> item}}{{/items}}";
    const char *item = "<i>{{name}}/{{title}}</i>";
    assert_int_equal(template_set_add(ts, "page", page, strlen(page), &e), 0);
    assert_int_equal(template_set_check(ts, &e), ERR_INVALID);
    assert_non_null(strstr(e.log, "item"));
    assert_int_equal(template_set_add(ts, "item", item, strlen(item), &e), 0);
    assert_int_equal(template_set_check(ts, &e), 0);
    json_t *ctx = json_pack("{s:s,s:[{s:s}]}", "title", "T<", "items", "name", "n&");
    sb_init(&sb, NULL);
    assert_int_equal(template_render(ts, "page", ctx, &sb, &e), 0);
    assert_string_equal(sb.buf, "<h1>T&lt;</h1><i>n&amp;/T&lt;</i>");
    sb_reset(&sb);
    assert_int_equal(template_render(ts, "nope", ctx, &sb, &e), ERR_NOT_FOUND);
    sb_release(&sb);
    json_decref(ctx);
    template_set_free(ts);
}

static void
recursive_partials_stop_at_the_limit(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct strbuf sb;
    struct err e = ERR_INIT;
    assert_int_equal(template_set_add(ts, "loop", "x{{> loop}}", 11, &e), 0);
    json_t *ctx = json_object();
    sb_init(&sb, NULL);
    assert_int_equal(template_render(ts, "loop", ctx, &sb, &e), ERR_INVALID);
    sb_release(&sb);
    json_decref(ctx);
    template_set_free(ts);
}

static void
templates_that_could_print_raw_or_are_malformed_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "{{{raw}}}",          /* unescaped output */
        "{{&raw}}",           /* unescaped output */
        "{{#a}}x",            /* never closed */
        "x{{/a}}",            /* closes nothing */
        "{{#a}}{{/b}}",       /* mismatched */
        "{{name",             /* unterminated */
        "{{}}",               /* empty name */
        "{{a b}}",            /* bad character */
        "{{=<% %>=}}",        /* delimiter changes are not supported */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct template_set *ts = template_set_new();
        struct err e = ERR_INIT;
        if (template_set_add(ts, "bad", bad[i], strlen(bad[i]), &e) != ERR_INVALID)
            fail_msg("compiled: %s", bad[i]);
        assert_non_null(strstr(e.log, "bad:1:"));
        template_set_free(ts);
    }
}

static void
nesting_is_limited(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    for (int i = 0; i < 40; i++)
        sb_adds(&sb, "{{#a}}");
    for (int i = 0; i < 40; i++)
        sb_adds(&sb, "{{/a}}");
    struct template_set *ts = template_set_new();
    struct err e = ERR_INIT;
    assert_int_equal(template_set_add(ts, "deep", sb.buf, sb.len, &e), ERR_INVALID);
    template_set_free(ts);
    sb_release(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_html_escaped_in_text_and_attributes),
        cmocka_unit_test(url_values_are_percent_encoded),
        cmocka_unit_test(scalars_print_and_missing_values_print_nothing),
        cmocka_unit_test(objects_and_arrays_cannot_be_printed),
        cmocka_unit_test(sections_iterate_arrays_and_push_objects),
        cmocka_unit_test(dotted_names_and_outer_lookups),
        cmocka_unit_test(falsy_values_skip_sections_and_run_inverted_ones),
        cmocka_unit_test(comments_print_nothing),
        cmocka_unit_test(partials_share_the_context),
        cmocka_unit_test(recursive_partials_stop_at_the_limit),
        cmocka_unit_test(templates_that_could_print_raw_or_are_malformed_are_refused),
        cmocka_unit_test(nesting_is_limited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
