/*
 * lib_test.c: the small edge pieces every layer relies on: strbuf's
 * sticky error, HTML/URL/JSON/log escaping, UTF-8 checks, bounded number
 * parsing, the arena, and the wake-up one thread gives another.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/wake.h"
#include "lib/banned.h"

static void
strbuf_grows_and_stays_nul_terminated(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    assert_string_equal(sb.buf, "");
    for (int i = 0; i < 1000; i++)
        sb_addf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.buf));
    assert_memory_equal(sb.buf, "0,1,2,", 6);
    size_t len;
    char *p = sb_detach(&sb, &len);
    assert_int_equal(len, strlen(p));
    assert_string_equal(sb.buf, "");
    free(p);
}

static void
strbuf_error_is_sticky_past_its_limit(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct strbuf sb;
    sb_init(&sb, a);
    sb_set_max(&sb, 8);
    sb_adds(&sb, "12345");
    assert_false(sb_failed(&sb));
    sb_adds(&sb, "6789");
    assert_true(sb_failed(&sb));
    sb_adds(&sb, "x");
    assert_string_equal(sb.buf, "12345");
    arena_free(a);
}

static void
html_escape_replaces_the_five_characters(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    const char *in = "<script>alert(\"x\" & 'y')</script>";
    html_escape(&sb, in, strlen(in));
    assert_string_equal(sb.buf,
                        "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    sb_release(&sb);
}

static void
url_encode_keeps_only_unreserved_bytes(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    url_encode(&sb, "a b/c?d=é~", strlen("a b/c?d=é~"));
    assert_string_equal(sb.buf, "a%20b%2Fc%3Fd%3D%C3%A9~");
    sb_reset(&sb);
    url_encode_path(&sb, "/en/x y", 7);
    assert_string_equal(sb.buf, "/en/x%20y");
    sb_release(&sb);
}

static void
url_decode_refuses_truncated_escapes(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    assert_int_equal(url_decode(&sb, "a+b%41", 6), 0);
    assert_string_equal(sb.buf, "a bA");
    sb_reset(&sb);
    assert_int_equal(url_decode(&sb, "%4", 2), -1);
    sb_reset(&sb);
    assert_int_equal(url_decode(&sb, "%zz", 3), -1);
    sb_release(&sb);
}

static void
log_escape_hides_control_and_quote_bytes(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    log_escape(&sb, "a\"b\n\xff", 5);
    assert_string_equal(sb.buf, "a\\x22b\\x0A\\xFF");
    sb_release(&sb);
}

static void
json_escape_is_safe_inside_script(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    json_escape(&sb, "</script>\"\n", 11);
    assert_string_equal(sb.buf, "\\u003C/script\\u003E\\\"\\n");
    sb_release(&sb);
}

static void
utf8_validation_follows_rfc3629(void **state)
{
    (void)state;
    assert_true(utf8_valid("Québec €😀", strlen("Québec €😀")));
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(utf8_valid("\xe2\x82", 2));         /* truncated */
    assert_int_equal(utf8_length("é€😀", strlen("é€😀")), 3);
}

static void
control_characters_are_found(void **state)
{
    (void)state;
    assert_false(utf8_has_controls("tab\tok", 6, false));
    assert_true(utf8_has_controls("nl\n", 3, false));
    assert_false(utf8_has_controls("nl\n", 3, true));
    assert_true(utf8_has_controls("bell\a", 5, true));
    assert_true(utf8_has_controls("c1\xc2\x85", 4, true));
    assert_true(utf8_has_controls("del\x7f", 4, true));
}

static void
parse_ll_checks_range_and_syntax(void **state)
{
    (void)state;
    long long v;
    struct err e = ERR_INIT;
    assert_int_equal(parse_llz("42", 1, 100, &v, &e), 0);
    assert_int_equal(v, 42);
    assert_int_equal(parse_llz("0", 1, 100, &v, &e), ERR_INVALID);
    assert_string_equal(e.key, "error.number");
    assert_int_equal(parse_llz("101", 1, 100, &v, NULL), ERR_INVALID);
    assert_int_equal(parse_llz("", 0, 100, &v, NULL), ERR_INVALID);
    assert_int_equal(parse_llz("1a", 0, 100, &v, NULL), ERR_INVALID);
    assert_int_equal(parse_llz(" 1", 0, 100, &v, NULL), ERR_INVALID);
    assert_int_equal(parse_llz("-5", 0, 100, &v, NULL), ERR_INVALID);
    assert_int_equal(parse_llz("-5", -10, 100, &v, NULL), 0);
    assert_int_equal(v, -5);
    assert_int_equal(parse_llz("9223372036854775807", 0, LLONG_MAX, &v, NULL), 0);
    assert_int_equal(parse_llz("9223372036854775808", 0, LLONG_MAX, &v, NULL), ERR_INVALID);
    assert_int_equal(parse_llz("-9223372036854775808", LLONG_MIN, 0, &v, NULL), 0);
    assert_true(v == LLONG_MIN);
}

static void
xml_clean_drops_what_xml_cannot_carry(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb, NULL);
    const char in[] = "a\x07"
                      "b\x0b"
                      "\x00"
                      "c\td\ne\rf & <g> \"h\" \xc3\xa9"
                      "\xef\xbf\xbe"
                      "\xef\xbf\xbf"
                      "i\xff"
                      "j";
    xml_clean_text(&sb, in, sizeof(in) - 1);
    /* Bell, vertical tab, NUL, U+FFFE and U+FFFF gone; a bad byte is U+FFFD;
     * markup is left for the writer. */
    assert_string_equal(sb.buf, "abc\td\ne\rf & <g> \"h\" \xc3\xa9i\xef\xbf\xbdj");
    sb_release(&sb);
}

static void
arena_allocations_are_aligned_and_zeroed(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    for (int i = 1; i < 200; i++) {
        unsigned char *p = arena_alloc(a, (size_t)i * 37);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int j = 0; j < i * 37; j++)
            assert_int_equal(p[j], 0);
        memset(p, 0xAB, (size_t)i * 37);
    }
    char *s = arena_printf(a, "%s-%d", "e", 2829);
    assert_string_equal(s, "e-2829");
    assert_true(arena_used(a) > 0);
    arena_free(a);
}

static void
errors_map_to_http_statuses(void **state)
{
    (void)state;
    assert_int_equal(err_http_status(ERR_INVALID), 400);
    assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
    assert_int_equal(err_http_status(ERR_GONE), 410);
    assert_int_equal(err_http_status(ERR_TOO_LARGE), 413);
    assert_int_equal(err_http_status(ERR_STORE), 500);
    struct err e = ERR_INIT;
    assert_int_equal(err_set(&e, ERR_CONFLICT, "error.conflict", "f", "n=%d", 3), ERR_CONFLICT);
    assert_string_equal(e.log, "n=3");
    assert_string_equal(e.field, "f");
}

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
wake_keeps_a_signal_given_before_the_wait(void **state)
{
    (void)state;
    struct wake w;
    wake_init(&w);
    wake_signal(&w);
    wake_signal(&w); /* several signals end one wait */
    int64_t t0 = mono_ms();
    assert_true(wake_wait(&w, 10000));
    assert_true(mono_ms() - t0 < 5000);
    assert_false(wake_wait(&w, 0)); /* the flag went down */
    wake_signal(NULL);              /* nobody to wake: harmless */
    wake_release(&w);
}

static void
wake_wait_ends_when_its_time_has_passed(void **state)
{
    (void)state;
    struct wake w;
    wake_init(&w);
    int64_t t0 = mono_ms();
    assert_false(wake_wait(&w, 50));
    assert_true(mono_ms() - t0 >= 45);
    assert_false(wake_wait(&w, 0));
    wake_release(&w);
}

static void *
signal_later(void *arg)
{
    struct timespec ts = {0, 30 * 1000000L};
    nanosleep(&ts, NULL);
    wake_signal(arg);
    return NULL;
}

static void
wake_signal_from_another_thread_ends_the_wait(void **state)
{
    (void)state;
    struct wake w;
    pthread_t th;
    wake_init(&w);
    int64_t t0 = mono_ms();
    assert_int_equal(pthread_create(&th, NULL, signal_later, &w), 0);
    assert_true(wake_wait(&w, 20000));
    assert_true(mono_ms() - t0 < 10000);
    pthread_join(th, NULL);
    wake_release(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strbuf_grows_and_stays_nul_terminated),
        cmocka_unit_test(strbuf_error_is_sticky_past_its_limit),
        cmocka_unit_test(html_escape_replaces_the_five_characters),
        cmocka_unit_test(url_encode_keeps_only_unreserved_bytes),
        cmocka_unit_test(url_decode_refuses_truncated_escapes),
        cmocka_unit_test(log_escape_hides_control_and_quote_bytes),
        cmocka_unit_test(json_escape_is_safe_inside_script),
        cmocka_unit_test(utf8_validation_follows_rfc3629),
        cmocka_unit_test(control_characters_are_found),
        cmocka_unit_test(parse_ll_checks_range_and_syntax),
        cmocka_unit_test(xml_clean_drops_what_xml_cannot_carry),
        cmocka_unit_test(arena_allocations_are_aligned_and_zeroed),
        cmocka_unit_test(errors_map_to_http_statuses),
        cmocka_unit_test(wake_keeps_a_signal_given_before_the_wait),
        cmocka_unit_test(wake_wait_ends_when_its_time_has_passed),
        cmocka_unit_test(wake_signal_from_another_thread_ends_the_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
