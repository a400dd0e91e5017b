/*
 * postal_test.c: Canadian postal codes, their syntax, their normal form
 * and their province or territory (rulebook 11.6).
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

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int
parse(const char *s, char out[8])
{
    return postal_code_parse(s, strlen(s), out, NULL);
}

static void
postal_code_is_normalised_to_upper_case_with_one_space(void **state)
{
    (void)state;
    static const char *const ok[] = {"K1A 0A6",     "k1a0a6", "K1A-0A6", "k1a-0a6",
                                     "  k1a 0a6  ", "K1a0A6", "K1A0A6 "};
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        char out[8] = "garbage";
        if (parse(ok[i], out) != 0)
            fail_msg("refused \"%s\"", ok[i]);
        assert_string_equal(out, "K1A 0A6");
    }
    /* Only the len bytes are read. */
    char out[8];
    assert_int_equal(postal_code_parse("H2X 1Y4 Montréal", 7, out, NULL), 0);
    assert_string_equal(out, "H2X 1Y4");
}

static void
postal_code_syntax_is_letter_digit_letter_digit_letter_digit(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "   ",
        "K1A",
        "K1A 0A",
        "K1A 0A66",
        "11A 0A6",
        "KAA 0A6",
        "K1A  0A6",
        "K1A--0A6",
        "K1A -0A6",
        "K1A_0A6",
        "K1A.0A6",
        "K1A 0A6 X",
        "K 1A0A6",
        "K1A0 A6",
        "K1A\t0A6",
        "ÉÉÉ ÉÉÉ",
        "K1A 0A6-",
        "-K1A 0A6",
        "K1A 0\xc2\xa0"
        "A6",
        "K1A\xc2\xa0"
        "0A6",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        char out[8] = "unset";
        struct err e = ERR_INIT;
        if (postal_code_parse(bad[i], strlen(bad[i]), out, &e) != ERR_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.key, "error.postal_code.syntax");
        assert_string_equal(e.field, "postal_code");
        assert_string_equal(out, "unset"); /* untouched */
    }
}

static void
letters_d_f_i_o_q_u_never_appear(void **state)
{
    (void)state;
    static const char forbidden[] = "DFIOQU";
    for (size_t k = 0; forbidden[k]; k++) {
        for (int pos = 0; pos < 3; pos++) {
            char code[8] = "K1A 0A6";
            code[pos == 0 ? 0 : pos == 1 ? 2 : 5] = forbidden[k];
            char out[8];
            if (parse(code, out) != ERR_INVALID)
                fail_msg("accepted \"%s\"", code);
            code[pos == 0 ? 0 : pos == 1 ? 2 : 5] = (char)(forbidden[k] - 'A' + 'a');
            if (parse(code, out) != ERR_INVALID)
                fail_msg("accepted \"%s\"", code);
        }
    }
}

static void
w_and_z_never_start_a_code_but_may_appear_later(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(parse("W1A 0A6", out), ERR_INVALID);
    assert_int_equal(parse("Z1A 0A6", out), ERR_INVALID);
    assert_int_equal(parse("w1a 0a6", out), ERR_INVALID);
    assert_int_equal(parse("K1W 0Z6", out), 0);
    assert_string_equal(out, "K1W 0Z6");
    assert_int_equal(parse("M5W 1E6", out), 0);
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
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char out[8];
        enum region r[2];
        assert_int_equal(parse(cases[i].code, out), 0);
        assert_int_equal(postal_code_regions(out, r), 1);
        assert_int_equal(r[0], cases[i].region);
        assert_int_equal(postal_code_check_region(out, cases[i].region, NULL), 0);
    }
}

static void
every_letter_that_may_start_a_code_belongs_somewhere(void **state)
{
    (void)state;
    int starters = 0;
    for (char c = 'A'; c <= 'Z'; c++) {
        char code[8] = "?1A 1A1", out[8];
        code[0] = c;
        enum region r[2];
        if (parse(code, out) != 0)
            continue;
        starters++;
        size_t n = postal_code_regions(out, r);
        if (n < 1 || n > 2)
            fail_msg("%c gives %zu regions", c, n);
        for (size_t k = 0; k < n; k++)
            assert_true((int)r[k] < (int)PROVINCE_COUNT);
    }
    assert_int_equal(starters, 18); /* 26 letters less D F I O Q U W Z */
}

static void
x_codes_belong_to_northwest_territories_and_nunavut(void **state)
{
    (void)state;
    enum region r[2];
    assert_int_equal(postal_code_regions("X1A 0A1", r), 2);
    assert_int_equal(r[0], REGION_NT);
    assert_int_equal(r[1], REGION_NU);
    assert_int_equal(postal_code_check_region("X0A 0H0", REGION_NU, NULL), 0); /* Iqaluit */
    assert_int_equal(postal_code_check_region("X1A 2N5", REGION_NT, NULL), 0); /* Yellowknife */
    assert_int_equal(postal_code_check_region("X1A 2N5", REGION_YT, NULL), ERR_INVALID);
}

static void
a_code_of_another_province_is_refused_with_its_key(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(postal_code_check_region("K1A 0A6", REGION_QC, &e), ERR_INVALID);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.key, "error.postal_code.province");
    assert_string_equal(e.field, "postal_code");
    assert_int_equal(postal_code_check_region("H2X 1A1", REGION_ON, NULL), ERR_INVALID);
    assert_int_equal(postal_code_check_region("Y1A 1A1", REGION_NT, NULL), ERR_INVALID);
    /* Someone outside Canada has no Canadian postal code to match. */
    assert_int_equal(postal_code_check_region("H2X 1A1", REGION_OUTSIDE, NULL), ERR_INVALID);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(postal_code_is_normalised_to_upper_case_with_one_space),
        cmocka_unit_test(postal_code_syntax_is_letter_digit_letter_digit_letter_digit),
        cmocka_unit_test(letters_d_f_i_o_q_u_never_appear),
        cmocka_unit_test(w_and_z_never_start_a_code_but_may_appear_later),
        cmocka_unit_test(postal_code_first_letter_gives_province),
        cmocka_unit_test(every_letter_that_may_start_a_code_belongs_somewhere),
        cmocka_unit_test(x_codes_belong_to_northwest_territories_and_nunavut),
        cmocka_unit_test(a_code_of_another_province_is_refused_with_its_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
