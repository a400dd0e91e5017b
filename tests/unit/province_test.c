/*
 * province_test.c: the provinces and territories of Canada, and
 * "outside Canada", with their codes and official names in both
 * languages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/province.h"
#include "lib/banned.h"

static const struct {
    enum region region;
    const char *code;
    const char *en;
    const char *fr;
} expected[] = {
    {REGION_AB, "AB", "Alberta", "Alberta"},
    {REGION_BC, "BC", "British Columbia", "Colombie-Britannique"},
    {REGION_MB, "MB", "Manitoba", "Manitoba"},
    {REGION_NB, "NB", "New Brunswick", "Nouveau-Brunswick"},
    {REGION_NL, "NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"},
    {REGION_NS, "NS", "Nova Scotia", "Nouvelle-Écosse"},
    {REGION_NT, "NT", "Northwest Territories", "Territoires du Nord-Ouest"},
    {REGION_NU, "NU", "Nunavut", "Nunavut"},
    {REGION_ON, "ON", "Ontario", "Ontario"},
    {REGION_PE, "PE", "Prince Edward Island", "Île-du-Prince-Édouard"},
    {REGION_QC, "QC", "Quebec", "Québec"},
    {REGION_SK, "SK", "Saskatchewan", "Saskatchewan"},
    {REGION_YT, "YT", "Yukon", "Yukon"},
    {REGION_OUTSIDE, "XX", "Outside Canada", "Hors du Canada"},
};

static void
there_are_thirteen_provinces_and_territories_then_outside_canada(void **state)
{
    (void)state;
    assert_int_equal(PROVINCE_COUNT, 13);
    assert_int_equal(REGION_OUTSIDE, PROVINCE_COUNT);
    assert_int_equal(REGION_COUNT, 14);
    assert_int_equal(sizeof(expected) / sizeof(expected[0]), REGION_COUNT);
}

static void
provinces_and_territories_are_in_the_order_of_their_codes(void **state)
{
    (void)state;
    for (int i = 1; i < PROVINCE_COUNT; i++)
        assert_true(strcmp(region_code((enum region)(i - 1)), region_code((enum region)i)) < 0);
}

static void
every_region_has_its_code_and_official_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        assert_int_equal(expected[i].region, (enum region)i);
        assert_string_equal(region_code(expected[i].region), expected[i].code);
        assert_string_equal(region_name(expected[i].region, LANG_EN), expected[i].en);
        assert_string_equal(region_name(expected[i].region, LANG_FR), expected[i].fr);
    }
}

static void
codes_parse_back_in_either_case(void **state)
{
    (void)state;
    for (int i = 0; i < REGION_COUNT; i++) {
        enum region r = REGION_COUNT;
        const char *code = region_code((enum region)i);
        char lower[3] = {(char)(code[0] - 'A' + 'a'), (char)(code[1] - 'A' + 'a'), '\0'};
        char mixed[3] = {code[0], lower[1], '\0'};
        assert_int_equal(region_from_code(code, 2, &r), 0);
        assert_int_equal(r, i);
        assert_int_equal(region_from_code(lower, 2, &r), 0);
        assert_int_equal(r, i);
        assert_int_equal(region_from_code(mixed, 2, &r), 0);
        assert_int_equal(r, i);
    }
}

static void
unknown_codes_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"", "Q", "QUE", "PQ", "NF", "YK", "QQ", "O N", "ONT", "xy", "É"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum region r = REGION_YT;
        if (region_from_code(bad[i], strlen(bad[i]), &r) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(r, REGION_YT); /* untouched on failure */
    }
}

static void
a_value_outside_the_enum_reads_as_outside_canada(void **state)
{
    (void)state;
    assert_string_equal(region_code(REGION_COUNT), "XX");
    assert_string_equal(region_name(REGION_COUNT, LANG_EN), "Outside Canada");
    assert_string_equal(region_name(REGION_COUNT, LANG_FR), "Hors du Canada");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(there_are_thirteen_provinces_and_territories_then_outside_canada),
        cmocka_unit_test(provinces_and_territories_are_in_the_order_of_their_codes),
        cmocka_unit_test(every_region_has_its_code_and_official_names),
        cmocka_unit_test(codes_parse_back_in_either_case),
        cmocka_unit_test(unknown_codes_are_refused),
        cmocka_unit_test(a_value_outside_the_enum_reads_as_outside_canada),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
