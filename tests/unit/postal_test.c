/*
 * postal_test.c: Canadian postal codes, their syntax and their province
 * or territory (rulebook 11.6).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/postal.h"
#include "lib/err.h"
#include "lib/banned.h"

static int
parse(const char *s, char out[8])
{
    return postal_code_parse(s, strlen(s), out, NULL);
}

static void
postal_code_is_normalised(void **state)
{
    (void)state;
    char out[8];
    const char *ok[] = {"K1A 0A6", "k1a0a6", "K1A-0A6", "  k1a 0a6  ", "K1a0A6"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(parse(ok[i], out), 0);
        assert_string_equal(out, "K1A 0A6");
    }
}

static void
postal_code_syntax_is_letter_digit_letter_digit_letter_digit(void **state)
{
    (void)state;
    char out[8];
    struct err e = ERR_INIT;
    const char *bad[] = {"", "K1A", "K1A 0A", "K1A 0A66", "11A 0A6", "KAA 0A6", "K1A  0A6",
                         "K1A_0A6", "K1A 0A6 X", "ÉÉÉ ÉÉÉ"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (postal_code_parse(bad[i], strlen(bad[i]), out, &e) != ERR_INVALID)
            fail_msg("accepted %s", bad[i]);
    assert_string_equal(e.key, "error.postal_code.syntax");
    assert_string_equal(e.field, "postal_code");
}

static void
letters_d_f_i_o_q_u_never_appear_and_w_z_never_start(void **state)
{
    (void)state;
    char out[8];
    const char *bad[] = {"D1A 0A6", "K1D 0A6", "K1A 0F6", "K1I 0A6", "K1O 0A6", "K1Q 0A6",
                         "K1U 0A6", "W1A 0A6", "Z1A 0A6"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], out) == 0)
            fail_msg("accepted %s", bad[i]);
    assert_int_equal(parse("K1W 0Z6", out), 0);
}

static void
postal_code_first_letter_gives_province(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        enum region region;
    } cases[] = {
        {"A1A 1A1", REGION_NL}, {"B3H 1A1", REGION_NS}, {"C1A 1A1", REGION_PE},
        {"E1A 1A1", REGION_NB}, {"G1R 1A1", REGION_QC}, {"H2X 1A1", REGION_QC},
        {"J4K 1A1", REGION_QC}, {"K1A 0A6", REGION_ON}, {"L5B 1A1", REGION_ON},
        {"M5V 1A1", REGION_ON}, {"N2L 1A1", REGION_ON}, {"P3E 1A1", REGION_ON},
        {"R3C 1A1", REGION_MB}, {"S4P 1A1", REGION_SK}, {"T2P 1A1", REGION_AB},
        {"V6B 1A1", REGION_BC}, {"Y1A 1A1", REGION_YT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum region r[2];
        assert_int_equal(postal_code_regions(cases[i].code, r), 1);
        assert_int_equal(r[0], cases[i].region);
        assert_int_equal(postal_code_check_region(cases[i].code, cases[i].region, NULL), 0);
    }
}

static void
x_codes_belong_to_northwest_territories_and_nunavut(void **state)
{
    (void)state;
    enum region r[2];
    assert_int_equal(postal_code_regions("X1A 0A1", r), 2);
    assert_int_equal(r[0], REGION_NT);
    assert_int_equal(r[1], REGION_NU);
    assert_int_equal(postal_code_check_region("X0A 0H0", REGION_NU, NULL), 0);
    assert_int_equal(postal_code_check_region("X1A 0A1", REGION_NT, NULL), 0);
}

static void
a_code_of_another_province_is_refused_with_its_key(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(postal_code_check_region("K1A 0A6", REGION_QC, &e), ERR_INVALID);
    assert_string_equal(e.key, "error.postal_code.province");
    assert_string_equal(e.field, "postal_code");
    assert_int_equal(postal_code_check_region("H2X 1A1", REGION_OUTSIDE, NULL), ERR_INVALID);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(postal_code_is_normalised),
        cmocka_unit_test(postal_code_syntax_is_letter_digit_letter_digit_letter_digit),
        cmocka_unit_test(letters_d_f_i_o_q_u_never_appear_and_w_z_never_start),
        cmocka_unit_test(postal_code_first_letter_gives_province),
        cmocka_unit_test(x_codes_belong_to_northwest_territories_and_nunavut),
        cmocka_unit_test(a_code_of_another_province_is_refused_with_its_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
