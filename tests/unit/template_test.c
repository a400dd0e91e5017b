/*
 * template_test.c: the template renderer escapes every value by
 * construction, follows the Mustache subset of template.h (sections,
 * inverted sections, partials, dotted names, @index/@number), and refuses
 * templates it cannot render safely with a "NAME:LINE: message" log text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/template.h"
#include "lib/banned.h"

static char result[8192];
static char log_text[sizeof(((struct err *)0)->log)];

static json_t *
parse(const char *ctx_text)
{
    json_error_t jerr;
    json_t *ctx = json_loads(ctx_text, 0, &jerr);
    if (!ctx)
        fail_msg("bad test JSON: %s: %s", ctx_text, jerr.text);
    return ctx;
}

/*
 * Render template name of ts with the JSON context ctx_text into result;
 * returns the error code and leaves the log text in log_text.
 */
static int
render_set(const struct template_set *ts, const char *name, const char *ctx_text)
{
    struct strbuf sb;
    struct err e = ERR_INIT;
    json_t *ctx = parse(ctx_text);
    int r;

    sb_init(&sb, NULL);
    r = template_render(ts, name, ctx, &sb, &e);
    result[0] = '\0';
    memcpy(log_text, e.log, sizeof(log_text));
    if (!r) {
        assert_true(sb.len < sizeof(result));
        memcpy(result, sb.buf, sb.len + 1);
    }
    sb_release(&sb);
    json_decref(ctx);
    return r;
}

/* Compile src as the template "t" and render it with ctx_text. */
static int
render(const char *src, const char *ctx_text)
{
    struct template_set *ts = template_set_new();
    struct err e = ERR_INIT;
    int r = template_set_add(ts, "t", src, strlen(src), &e);

    memcpy(log_text, e.log, sizeof(log_text));
    if (!r)
        r = render_set(ts, "t", ctx_text);
    template_set_free(ts);
    return r;
}

/* Compile src as the template "bad"; returns the code, log in log_text. */
static int
compile(const char *src, size_t len)
{
    struct template_set *ts = template_set_new();
    struct err e = ERR_INIT;
    int r = template_set_add(ts, "bad", src, len, &e);

    memcpy(log_text, e.log, sizeof(log_text));
    if (r) {
        assert_int_equal(e.code, r);
        assert_string_equal(e.key, "error.template");
    }
    template_set_free(ts);
    return r;
}

static void
add(struct template_set *ts, const char *name, const char *src)
{
    struct err e = ERR_INIT;
    if (template_set_add(ts, name, src, strlen(src), &e))
        fail_msg("%s does not compile: %s", name, e.log);
}

/* Every '&' in s starts a character reference that html_escape() writes. */
static bool
ampersands_are_references(const char *s)
{
    static const char *const refs[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    for (const char *p = strchr(s, '&'); p; p = strchr(p + 1, '&')) {
        bool ok = false;
        for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
            ok = ok || strncmp(p, refs[i], strlen(refs[i])) == 0;
        if (!ok)
            return false;
    }
    return true;
}

/* ---- escaping by construction ------------------------------------------------ */

static void
petition_text_is_escaped_in_content_and_attributes(void **state)
{
    (void)state;
    const char *ctx = "{\"text\": \"<script>alert(1)</script> \\\"onmouseover=alert(1) ' &\"}";
    const char *escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) "
                          "&#39; &amp;";
    char want[1024];

    assert_int_equal(render("<p>{{text}}</p><a title=\"{{text}}\">x</a>", ctx), 0);
    snprintf(want, sizeof(want), "<p>%s</p><a title=\"%s\">x</a>", escaped, escaped);
    assert_string_equal(result, want);
    assert_non_null(strstr(result, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(result, "&quot;onmouseover=alert(1)"));
    assert_non_null(strstr(result, "&#39;"));
    assert_non_null(strstr(result, "&amp;"));
    /* Never as raw markup: no tag, no way out of the attribute, no bare quote or '&'. */
    assert_null(strstr(result, "<script"));
    assert_null(strstr(result, "</script"));
    assert_null(strstr(result, "\"onmouseover"));
    assert_null(strchr(result, '\''));
    assert_true(ampersands_are_references(result));
}

static void
every_way_of_reaching_a_value_escapes_it(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    /* Top level, dotted, {{.}} over strings and over a scalar section, in
     * an object section, an array of objects, and a partial. */
    add(ts, "page",
        "{{x}}|{{o.x}}|{{#list}}{{.}}{{/list}}|{{#x}}{{.}}{{/x}}|{{#o}}{{x}}{{/o}}|"
        "{{#rows}}{{x}}{{/rows}}|{{> part}}");
    add(ts, "part", "{{x}}");
    const char *ctx = "{\"x\": \"<i a='1'>&\", \"o\": {\"x\": \"<i a='1'>&\"},"
                      " \"list\": [\"<i a='1'>&\"], \"rows\": [{\"x\": \"<i a='1'>&\"}]}";
    assert_int_equal(render_set(ts, "page", ctx), 0);
    const char *v = "&lt;i a=&#39;1&#39;&gt;&amp;";
    char want[1024];
    snprintf(want, sizeof(want), "%s|%s|%s|%s|%s|%s|%s", v, v, v, v, v, v, v);
    assert_string_equal(result, want);
    assert_null(strchr(result, '<'));
    template_set_free(ts);
}

static void
url_values_are_percent_encoded(void **state)
{
    (void)state;
    assert_int_equal(render("<a href=\"/k/{{%slug}}\">", "{\"slug\": \"a b/c?d\"}"), 0);
    assert_string_equal(result, "<a href=\"/k/a%20b%2Fc%3Fd\">");
    assert_int_equal(
        render("<a href=\"?q={{%q}}&amp;n={{%n}}\">", "{\"q\": \"\\\"><script>'&x=1\", \"n\": 42}"),
        0);
    assert_string_equal(result, "<a href=\"?q=%22%3E%3Cscript%3E%27%26x%3D1&amp;n=42\">");
    assert_int_equal(render("{{#rows}}{{%.}},{{/rows}}", "{\"rows\": [\"\\u00e9\", \"~-._\"]}"), 0);
    assert_string_equal(result, "%C3%A9,~-._,");
}

/* ---- values ------------------------------------------------------------------ */

static void
scalars_print_and_missing_values_print_nothing(void **state)
{
    (void)state;
    assert_int_equal(render("[{{i}}|{{neg}}|{{r}}|{{big}}|{{t}}|{{f}}|{{n}}|{{missing}}]",
                            "{\"i\": 42, \"neg\": -9007199254740993, \"r\": 1.5,"
                            " \"big\": 1e20, \"t\": true, \"f\": false, \"n\": null}"),
                     0);
    assert_string_equal(result, "[42|-9007199254740993|1.5|1e+20|true|false||]");
}

static void
text_outside_tags_is_copied_byte_for_byte(void **state)
{
    (void)state;
    const char *src = "<p>\n  caf\xc3\xa9 { } }} {x} \n</p>\n{{! gone }}\n";
    assert_int_equal(render(src, "{}"), 0);
    assert_string_equal(result, "<p>\n  caf\xc3\xa9 { } }} {x} \n</p>\n\n");
    assert_int_equal(render("", "{}"), 0);
    assert_string_equal(result, "");
}

static void
objects_and_arrays_cannot_be_printed(void **state)
{
    (void)state;
    assert_int_equal(render("{{o}}", "{\"o\": {\"a\": 1}}"), ERR_INVALID);
    assert_non_null(strstr(log_text, "t:1:"));
    assert_non_null(strstr(log_text, "object"));
    assert_int_equal(render("\n{{%a}}", "{\"a\": [1]}"), ERR_INVALID);
    assert_non_null(strstr(log_text, "t:2:"));
    assert_non_null(strstr(log_text, "array"));
}

static void
spaces_around_names_are_trimmed(void **state)
{
    (void)state;
    assert_int_equal(render("{{ a }}{{# list }}{{ . }}{{/ list }}{{^ no }}-{{/no}}{{% u }}",
                            "{\"a\": 1, \"list\": [2, 3], \"u\": \"x y\"}"),
                     0);
    assert_string_equal(result, "123-x%20y");
}

/* ---- sections ---------------------------------------------------------------- */

static void
sections_iterate_arrays_of_objects_and_of_strings(void **state)
{
    (void)state;
    assert_int_equal(render("{{#items}}<li>{{name}}</li>{{/items}}",
                            "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}"),
                     0);
    assert_string_equal(result, "<li>a</li><li>&lt;b&gt;</li>");
    assert_int_equal(render("{{#list}}({{.}}){{/list}}", "{\"list\": [\"x\", \"y&z\", 3]}"), 0);
    assert_string_equal(result, "(x)(y&amp;z)(3)");
}

static void
sections_push_objects_and_truthy_scalars(void **state)
{
    (void)state;
    assert_int_equal(render("{{#o}}{{a}}-{{b}}{{/o}}", "{\"o\": {\"a\": 1}, \"b\": 2}"), 0);
    assert_string_equal(result, "1-2");
    assert_int_equal(render("{{#s}}[{{.}}|{{s}}|{{b}}]{{/s}}{{#n}}<{{.}}>{{/n}}{{#t}}{{.}}{{/t}}",
                            "{\"s\": \"str\", \"b\": \"B\", \"n\": 7, \"t\": true}"),
                     0);
    assert_string_equal(result, "[str|str|B]<7>true");
}

static void
sections_nest(void **state)
{
    (void)state;
    const char *ctx =
        "{\"groups\": [{\"name\": \"A\", \"rows\": [{\"v\": 1}, {\"v\": 2}]},"
        " {\"name\": \"B\", \"rows\": []}, {\"name\": \"C\", \"rows\": [{\"v\": 3}]}]}";
    assert_int_equal(render("{{#groups}}{{name}}:{{#rows}}{{name}}{{v}};{{/rows}}"
                            "{{^rows}}none{{/rows}} {{/groups}}",
                            ctx),
                     0);
    assert_string_equal(result, "A:A1;A2; B:none C:C3; ");
    assert_int_equal(
        render("{{#m}}{{#.}}{{#.}}{{.}}{{/.}}{{/.}}{{/m}}", "{\"m\": [[[\"x\", \"y\"], [\"z\"]]]}"),
        0);
    assert_string_equal(result, "xyz");
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
    assert_int_equal(render("{{^n}}1{{/n}}{{^f}}2{{/f}}{{^s}}3{{/s}}{{^z}}4{{/z}}{{^r}}5{{/r}}"
                            "{{^a}}6{{/a}}{{^o}}7{{/o}}{{^none}}8{{/none}}{{^yes}}Y{{/yes}}",
                            ctx),
                     0);
    assert_string_equal(result, "12345678");
    assert_int_equal(render("{{#t}}T{{/t}}{{#one}}1{{/one}}{{#h}}H{{/h}}",
                            "{\"t\": true, \"one\": 0.5, \"h\": {\"k\": null}}"),
                     0);
    assert_string_equal(result, "T1H");
}

static void
index_and_number_count_the_innermost_array(void **state)
{
    (void)state;
    assert_int_equal(render("{{#items}}<li>{{name}} {{@index}}/{{@number}}</li>{{/items}}",
                            "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}"),
                     0);
    assert_string_equal(result, "<li>a 0/1</li><li>b 1/2</li>");
    /* Inner arrays count on their own; an object section keeps the array's. */
    assert_int_equal(render("{{#g}}{{#r}}{{@index}}{{/r}}{{#o}}{{@number}}{{/o}},{{/g}}",
                            "{\"g\": [{\"r\": [\"x\", \"y\"], \"o\": {\"k\": 1}},"
                            " {\"r\": [\"z\"], \"o\": {\"k\": 1}}]}"),
                     0);
    assert_string_equal(result, "011,02,");
    /* As section names they are numbers: @index is falsy for the first. */
    assert_int_equal(render("{{#l}}{{^@index}}first:{{/@index}}{{#@index}}, {{/@index}}{{.}}{{/l}}",
                            "{\"l\": [\"a\", \"b\", \"c\"]}"),
                     0);
    assert_string_equal(result, "first:a, b, c");
    /* Outside any array they are missing. */
    assert_int_equal(render("[{{@index}}{{@number}}{{#@number}}x{{/@number}}]", "{}"), 0);
    assert_string_equal(result, "[]");
}

/* ---- names ------------------------------------------------------------------- */

static void
dotted_names_resolve_inside_objects(void **state)
{
    (void)state;
    assert_int_equal(
        render("{{t.nav.home}}|{{#t.nav}}{{home}}{{/t.nav}}|{{a.b.c}}|{{a.x.y}}",
               "{\"t\": {\"nav\": {\"home\": \"Home\"}}, \"a\": {\"b\": {}, \"x\": 1}}"),
        0);
    assert_string_equal(result, "Home|Home||");
    /* Keys longer than 63 bytes work too. */
    char src[256], ctx[256], key[101];
    memset(key, 'k', 100);
    key[100] = '\0';
    snprintf(src, sizeof(src), "{{%s.%s}}", key, key);
    snprintf(ctx, sizeof(ctx), "{\"%s\": {\"%s\": \"deep\"}}", key, key);
    assert_int_equal(render(src, ctx), 0);
    assert_string_equal(result, "deep");
}

static void
lookup_falls_back_to_outer_contexts(void **state)
{
    (void)state;
    assert_int_equal(render("{{#rows}}{{t.nav.home}}{{v}}{{title}};{{/rows}}",
                            "{\"t\": {\"nav\": {\"home\": \"H\"}}, \"title\": \"T\","
                            " \"rows\": [{\"v\": 1}, {\"v\": 2, \"title\": \"own\"}]}"),
                     0);
    assert_string_equal(result, "H1T;H2own;");
    /* Strings on the stack are skipped, not searched. */
    assert_int_equal(render("{{#l}}{{.}}{{sep}}{{/l}}", "{\"l\": [\"a\", \"b\"], \"sep\": \",\"}"),
                     0);
    assert_string_equal(result, "a,b,");
    /* A null found in an inner object hides the outer value (Mustache). */
    assert_int_equal(render("{{#o}}[{{x}}]{{/o}}", "{\"x\": \"outer\", \"o\": {\"x\": null}}"), 0);
    assert_string_equal(result, "[]");
}

static void
dotted_names_do_not_fall_back_once_the_first_part_is_found(void **state)
{
    (void)state;
    assert_int_equal(
        render("{{#o}}[{{a.b}}]{{/o}}", "{\"a\": {\"b\": \"outer\"}, \"o\": {\"a\": {\"c\": 1}}}"),
        0);
    assert_string_equal(result, "[]");
}

/* ---- partials ---------------------------------------------------------------- */

static void
partials_share_the_context(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct err e = ERR_INIT;
    add(ts, "page", "<h1>{{title}}</h1>\n{{#items}}{{> item}}{{/items}}");
    assert_int_equal(template_set_check(ts, &e), ERR_INVALID);
    assert_string_equal(e.key, "error.template");
    assert_non_null(strstr(e.log, "page:2:"));
    assert_non_null(strstr(e.log, "item"));
    add(ts, "item", "<i>{{name}}/{{title}}/{{@number}}</i>");
    assert_int_equal(template_set_check(ts, &e), 0);
    assert_int_equal(render_set(ts, "page", "{\"title\": \"T<\", \"items\": [{\"name\": \"n&\"}]}"),
                     0);
    assert_string_equal(result, "<h1>T&lt;</h1>\n<i>n&amp;/T&lt;/1</i>");
    assert_int_equal(render_set(ts, "nope", "{}"), ERR_NOT_FOUND);
    template_set_free(ts);
}

static void
a_partial_missing_at_render_is_not_found(void **state)
{
    (void)state;
    assert_int_equal(render("a{{> nowhere}}", "{}"), ERR_NOT_FOUND);
    assert_non_null(strstr(log_text, "t:1:"));
    assert_non_null(strstr(log_text, "nowhere"));
}

static void
partials_nest_at_most_16_deep(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    char name[16], src[64];

    /* p0 includes p1 ... p15 includes p16: 16 partials deep. */
    for (int i = 0; i <= 17; i++) {
        snprintf(name, sizeof(name), "p%d", i);
        snprintf(src, sizeof(src), "%d{{> p%d}}", i, i + 1);
        add(ts, name, i == 16 ? "16" : src);
    }
    assert_int_equal(render_set(ts, "p0", "{}"), 0);
    assert_string_equal(result, "012345678910111213141516");
    /* Now p16 includes p17: from p1 that is 16 deep, from p0 17. */
    add(ts, "p16", "16{{> p17}}");
    add(ts, "p17", "17");
    assert_int_equal(render_set(ts, "p1", "{}"), 0);
    assert_int_equal(render_set(ts, "p0", "{}"), ERR_INVALID);
    assert_non_null(strstr(log_text, "p16:1:"));
    assert_non_null(strstr(log_text, "deeper than 16"));
    template_set_free(ts);
}

static void
recursive_partials_stop_at_the_limit(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct err e = ERR_INIT;
    add(ts, "loop", "x{{> loop}}");
    assert_int_equal(template_set_check(ts, &e), 0);
    assert_int_equal(render_set(ts, "loop", "{}"), ERR_INVALID);
    assert_non_null(strstr(log_text, "loop:1:"));
    template_set_free(ts);
}

static void
the_context_stack_is_limited_to_32_frames(void **state)
{
    (void)state;
    struct strbuf sb;
    struct template_set *ts = template_set_new();

    /* One template, 32 object sections deep: fine. */
    sb_init(&sb, NULL);
    for (int i = 0; i < 32; i++)
        sb_adds(&sb, "{{#a}}");
    sb_adds(&sb, "{{x}}");
    for (int i = 0; i < 32; i++)
        sb_adds(&sb, "{{/a}}");
    add(ts, "deep", sb.buf);
    sb_release(&sb);
    assert_int_equal(render_set(ts, "deep", "{\"a\": {\"k\": 1}, \"x\": \"ok\"}"), 0);
    assert_string_equal(result, "ok");

    /* Three frames per partial: the context overflows before the partials do. */
    add(ts, "p", "{{#a}}{{#a}}{{#a}}{{> p}}{{/a}}{{/a}}{{/a}}");
    assert_int_equal(render_set(ts, "p", "{\"a\": {\"k\": 1}}"), ERR_INVALID);
    assert_non_null(strstr(log_text, "deeper than 32"));
    template_set_free(ts);
}

/* ---- compiling --------------------------------------------------------------- */

static void
templates_that_could_print_raw_or_are_malformed_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        const char *log; /* expected in the log text */
    } bad[] = {
        {"{{{raw}}}", "bad:1: {{{ is unescaped output"},
        {"a\n{{&raw}}", "bad:2: {{& is unescaped output"},
        {"{{ {raw} }}", "bad:1: bad character '{'"},
        {"\n\n{{#a}}x", "bad:3: {{#a}} is never closed"},
        {"{{^a}}{{#b}}{{/b}}", "bad:1: {{^a}} is never closed"},
        {"x\n{{/a}}", "bad:2: {{/a}} closes no section"},
        {"{{#a}}\n{{/b}}", "bad:2: {{/b}} closes {{#a}} of line 1"},
        {"{{#a}}{{#b}}{{/a}}{{/b}}", "bad:1: {{/a}} closes {{#b}}"},
        {"{{name", "bad:1: unterminated tag"},
        {"{{name}", "bad:1: unterminated tag"},
        {"{{a\n{{b}}", "bad:1: unterminated tag"},
        {"{{! comment", "bad:1: unterminated tag"},
        {"{{}}", "bad:1: empty tag name"},
        {"{{#  }}{{/}}", "bad:1: empty tag name"},
        {"{{> }}", "bad:1: empty tag name"},
        {"{{a b}}", "bad:1: bad character ' '"},
        {"{{a\tb}}", "bad:1: bad character"},
        {"{{a/b}}", "bad:1: bad character '/'"},
        {"{{=<% %>=}}", "bad:1: unknown tag type {{="},
        {"{{<p}}", "bad:1: unknown tag type {{<"},
        {"{{$block}}", "bad:1: unknown tag type {{$"},
        {"{{a..b}}", "bad:1: bad tag name a..b"},
        {"{{.a}}", "bad:1: bad tag name .a"},
        {"{{a.}}", "bad:1: bad tag name a."},
        {"{{@foo}}", "bad:1: bad tag name @foo"},
        {"{{a.@index}}", "bad:1: bad tag name a.@index"},
        {"{{#@ind}}{{/@ind}}", "bad:1: bad tag name @ind"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (compile(bad[i].src, strlen(bad[i].src)) != ERR_INVALID)
            fail_msg("compiled: %s", bad[i].src);
        if (!strstr(log_text, bad[i].log))
            fail_msg("%s: log \"%s\", want \"%s\"", bad[i].src, log_text, bad[i].log);
    }
}

static void
a_nul_byte_is_refused(void **state)
{
    (void)state;
    assert_int_equal(compile("a\n{{x}}\0b", 9), ERR_INVALID);
    assert_non_null(strstr(log_text, "bad:2: NUL byte"));
}

static void
line_numbers_count_newlines_in_text_and_tags(void **state)
{
    (void)state;
    const char *src = "l1\n{{! a\ncomment\n}}l4 {{x}}\n{{#s}}\nl6{{{raw}}}";
    assert_int_equal(compile(src, strlen(src)), ERR_INVALID);
    assert_non_null(strstr(log_text, "bad:6:"));
}

static void
sections_nest_at_most_32_deep(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    for (int i = 0; i < 32; i++)
        sb_adds(&sb, "{{#a}}");
    for (int i = 0; i < 32; i++)
        sb_adds(&sb, "{{/a}}");
    assert_int_equal(compile(sb.buf, sb.len), 0);
    sb_reset(&sb);
    for (int i = 0; i < 33; i++)
        sb_adds(&sb, "{{^a}}");
    for (int i = 0; i < 33; i++)
        sb_adds(&sb, "{{/a}}");
    assert_int_equal(compile(sb.buf, sb.len), ERR_INVALID);
    assert_non_null(strstr(log_text, "deeper than 32"));
    sb_release(&sb);
}

/* ---- the set ----------------------------------------------------------------- */

static void
adding_a_name_again_replaces_the_template_and_failures_keep_the_old(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct err e = ERR_INIT;
    add(ts, "t", "one");
    add(ts, "u", "{{> t}}");
    add(ts, "t", "two");
    assert_int_equal(render_set(ts, "u", "{}"), 0);
    assert_string_equal(result, "two");
    assert_int_equal(template_set_add(ts, "t", "{{#x}}", 6, &e), ERR_INVALID);
    assert_int_equal(render_set(ts, "u", "{}"), 0);
    assert_string_equal(result, "two");
    template_set_free(ts);
    template_set_free(NULL);
}

static void
an_unknown_template_is_not_found(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    assert_int_equal(render_set(ts, "home", "{}"), ERR_NOT_FOUND);
    assert_non_null(strstr(log_text, "home"));
    template_set_free(ts);
}

static void
output_over_its_limit_is_an_error(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct strbuf sb;
    struct err e = ERR_INIT;
    json_t *ctx = parse("{\"l\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
    add(ts, "t", "{{#l}}0123456789{{.}}{{/l}}");
    sb_init(&sb, NULL);
    sb_set_max(&sb, 50);
    assert_int_equal(template_render(ts, "t", ctx, &sb, &e), ERR_INTERNAL);
    assert_true(sb_failed(&sb));
    sb_release(&sb);
    json_decref(ctx);
    template_set_free(ts);
}

static void
rendering_leaves_the_context_unchanged(void **state)
{
    (void)state;
    struct template_set *ts = template_set_new();
    struct strbuf sb;
    struct err e = ERR_INIT;
    json_t *ctx = parse("{\"l\": [{\"a\": 1}], \"o\": {\"b\": \"x\"}, \"s\": \"y\"}");
    char *before = json_dumps(ctx, JSON_SORT_KEYS);
    add(ts, "t", "{{#l}}{{a}}{{missing}}{{/l}}{{#o}}{{b}}{{/o}}{{#s}}{{.}}{{/s}}{{o.c.d}}");
    sb_init(&sb, NULL);
    assert_int_equal(template_render(ts, "t", ctx, &sb, &e), 0);
    char *after = json_dumps(ctx, JSON_SORT_KEYS);
    assert_string_equal(before, after);
    assert_int_equal(ctx->refcount, 1);
    free(before);
    free(after);
    sb_release(&sb);
    json_decref(ctx);
    template_set_free(ts);
}

/* ---- threads ----------------------------------------------------------------- */

struct worker {
    const struct template_set *ts;
    json_t *ctx;
    const char *want;
    int mismatches;
};

static void *
worker_run(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) {
        struct strbuf sb;
        struct err e = ERR_INIT;
        sb_init(&sb, NULL);
        if (template_render(w->ts, "page", w->ctx, &sb, &e) || strcmp(sb.buf, w->want) != 0)
            w->mismatches++;
        sb_release(&sb);
    }
    return NULL;
}

static void
one_set_renders_from_many_threads_at_once(void **state)
{
    (void)state;
    enum { THREADS = 8 };
    struct template_set *ts = template_set_new();
    pthread_t tid[THREADS];
    struct worker w[THREADS];

    add(ts, "page", "{{#rows}}{{> row}}{{/rows}}");
    add(ts, "row", "<tr><td>{{@number}}</td><td>{{name}}</td><td>{{%name}}</td></tr>");
    json_t *ctx = parse("{\"rows\": [{\"name\": \"a&b\"}, {\"name\": \"<c d>\"}]}");
    const char *want = "<tr><td>1</td><td>a&amp;b</td><td>a%26b</td></tr>"
                       "<tr><td>2</td><td>&lt;c d&gt;</td><td>%3Cc%20d%3E</td></tr>";
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){ts, ctx, want, 0};
        assert_int_equal(pthread_create(&tid[i], NULL, worker_run, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(tid[i], NULL), 0);
        assert_int_equal(w[i].mismatches, 0);
    }
    json_decref(ctx);
    template_set_free(ts);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(petition_text_is_escaped_in_content_and_attributes),
        cmocka_unit_test(every_way_of_reaching_a_value_escapes_it),
        cmocka_unit_test(url_values_are_percent_encoded),
        cmocka_unit_test(scalars_print_and_missing_values_print_nothing),
        cmocka_unit_test(text_outside_tags_is_copied_byte_for_byte),
        cmocka_unit_test(objects_and_arrays_cannot_be_printed),
        cmocka_unit_test(spaces_around_names_are_trimmed),
        cmocka_unit_test(sections_iterate_arrays_of_objects_and_of_strings),
        cmocka_unit_test(sections_push_objects_and_truthy_scalars),
        cmocka_unit_test(sections_nest),
        cmocka_unit_test(falsy_values_skip_sections_and_run_inverted_ones),
        cmocka_unit_test(index_and_number_count_the_innermost_array),
        cmocka_unit_test(dotted_names_resolve_inside_objects),
        cmocka_unit_test(lookup_falls_back_to_outer_contexts),
        cmocka_unit_test(dotted_names_do_not_fall_back_once_the_first_part_is_found),
        cmocka_unit_test(partials_share_the_context),
        cmocka_unit_test(a_partial_missing_at_render_is_not_found),
        cmocka_unit_test(partials_nest_at_most_16_deep),
        cmocka_unit_test(recursive_partials_stop_at_the_limit),
        cmocka_unit_test(the_context_stack_is_limited_to_32_frames),
        cmocka_unit_test(templates_that_could_print_raw_or_are_malformed_are_refused),
        cmocka_unit_test(a_nul_byte_is_refused),
        cmocka_unit_test(line_numbers_count_newlines_in_text_and_tags),
        cmocka_unit_test(sections_nest_at_most_32_deep),
        cmocka_unit_test(adding_a_name_again_replaces_the_template_and_failures_keep_the_old),
        cmocka_unit_test(an_unknown_template_is_not_found),
        cmocka_unit_test(output_over_its_limit_is_an_error),
        cmocka_unit_test(rendering_leaves_the_context_unchanged),
        cmocka_unit_test(one_set_renders_from_many_threads_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
