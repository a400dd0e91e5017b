/*
 * lang_test.c: the two official languages, their codes and the way from
 * one to the other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/lang.h"
#include "lib/banned.h"

static void
languages_are_written_en_and_fr(void **state)
{
    (void)state;
    assert_string_equal(lang_code(LANG_EN), "en");
    assert_string_equal(lang_code(LANG_FR), "fr");
    assert_int_equal(LANG_COUNT, 2);
}

static void
codes_parse_back_to_their_language(void **state)
{
    (void)state;
    for (int i = 0; i < LANG_COUNT; i++) {
        enum lang l = lang_other((enum lang)i);
        const char *code = lang_code((enum lang)i);
        assert_int_equal(lang_from_code(code, strlen(code), &l), 0);
        assert_int_equal(l, i);
    }
}

static void
only_exact_lower_case_codes_are_languages(void **state)
{
    (void)state;
    const char *bad[] = {"", "e", "EN", "Fr", "eng", "fra", "en-CA", "de", "en ", " fr"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum lang l = LANG_FR;
        if (lang_from_code(bad[i], strlen(bad[i]), &l) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(l, LANG_FR); /* untouched on failure */
    }
    /* Only the len bytes count. */
    enum lang l;
    assert_int_equal(lang_from_code("fr-CA", 2, &l), 0);
    assert_int_equal(l, LANG_FR);
}

static void
the_other_language_of_each_is_the_other_one(void **state)
{
    (void)state;
    assert_int_equal(lang_other(LANG_EN), LANG_FR);
    assert_int_equal(lang_other(LANG_FR), LANG_EN);
    assert_int_equal(lang_other(lang_other(LANG_FR)), LANG_FR);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(languages_are_written_en_and_fr),
        cmocka_unit_test(codes_parse_back_to_their_language),
        cmocka_unit_test(only_exact_lower_case_codes_are_languages),
        cmocka_unit_test(the_other_language_of_each_is_the_other_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
