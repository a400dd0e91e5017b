/*
 * petition_state_test.c: every state of rulebook 2.1 and 11.1, with its
 * stored name, its labels in both languages and the House's codes; the
 * provinces and territories with their names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/petition.h"
#include "core/petition_state.h"
#include "core/province.h"
#include "lib/banned.h"

static void
every_state_has_a_name_slug_and_labels_in_both_languages(void **state)
{
    (void)state;
    for (int i = 0; i < PETITION_STATE_COUNT; i++) {
        enum petition_state s = (enum petition_state)i, back;
        const char *name = petition_state_name(s), *slug = petition_state_slug(s);
        assert_int_equal(petition_state_from_name(name, strlen(name), &back), 0);
        assert_int_equal(back, s);
        assert_int_equal(petition_state_from_slug(slug, strlen(slug), &back), 0);
        assert_int_equal(back, s);
        assert_true(strlen(petition_state_label(s, LANG_EN)) > 0);
        assert_true(strlen(petition_state_label(s, LANG_FR)) > 0);
        assert_string_not_equal(petition_state_label(s, LANG_EN),
                                petition_state_label(s, LANG_FR));
        for (int j = 0; j < i; j++)
            assert_string_not_equal(name, petition_state_name((enum petition_state)j));
    }
}

static void
public_labels_and_codes_are_the_houses(void **state)
{
    (void)state;
    assert_string_equal(petition_state_label(PETITION_OPEN, LANG_EN), "Open for signature");
    assert_string_equal(petition_state_label(PETITION_OPEN, LANG_FR), "Ouverte à la signature");
    assert_string_equal(petition_state_label(PETITION_RESPONSE_TABLED, LANG_EN),
                        "Government response tabled");
    assert_string_equal(petition_state_label(PETITION_CLOSED_UPON_DISSOLUTION, LANG_EN),
                        "Closed upon dissolution");
    assert_int_equal(petition_state_house_code(PETITION_OPEN), 207);
    assert_int_equal(petition_state_house_code(PETITION_RESPONSE_TABLED), 223);
    assert_int_equal(petition_state_house_code(PETITION_CLOSED), 224);
    assert_int_equal(petition_state_house_code(PETITION_WAITING_FOR_CERTIFICATION), 226);
    assert_int_equal(petition_state_house_code(PETITION_NOT_CERTIFIED), 229);
    assert_int_equal(petition_state_house_code(PETITION_CLOSED_UPON_DISSOLUTION), 289);
    assert_int_equal(petition_state_house_code(PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION), 291);
    assert_int_equal(petition_state_house_code(PETITION_DRAFT), 0);
    assert_string_equal(petition_state_name(PETITION_OPEN), "OPEN_FOR_SIGNATURE");
}

static void
drafts_and_pre_publication_states_are_never_public(void **state)
{
    (void)state;
    enum petition_state hidden[] = {PETITION_DRAFT, PETITION_AWAITING_SUPPORTERS,
                                    PETITION_AWAITING_MEMBER, PETITION_UNDER_REVIEW,
                                    PETITION_RETURNED_FOR_REVISION, PETITION_REJECTED,
                                    PETITION_WITHDRAWN, PETITION_EXPIRED, PETITION_ABANDONED,
                                    PETITION_REMOVED};
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
        assert_false(petition_state_is_public(hidden[i]));
    assert_true(petition_state_is_public(PETITION_OPEN));
    assert_true(petition_state_is_public(PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION));
}

static void
final_states_are_those_of_rule_11_14(void **state)
{
    (void)state;
    enum petition_state final[] = {PETITION_RESPONSE_TABLED, PETITION_NOT_CERTIFIED,
                                   PETITION_REJECTED, PETITION_WITHDRAWN, PETITION_EXPIRED,
                                   PETITION_ABANDONED, PETITION_CLOSED_UPON_DISSOLUTION,
                                   PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION};
    for (size_t i = 0; i < sizeof(final) / sizeof(final[0]); i++)
        assert_true(petition_state_is_final(final[i]));
    assert_false(petition_state_is_final(PETITION_OPEN));
    assert_false(petition_state_is_final(PETITION_PRESENTED));
    assert_false(petition_state_is_final(PETITION_CERTIFIED));
}

static void
unknown_names_are_refused(void **state)
{
    (void)state;
    enum petition_state s;
    assert_int_equal(petition_state_from_name("OPEN", 4, &s), -1);
    assert_int_equal(petition_state_from_slug("Open", 4, &s), -1);
    assert_int_equal(petition_state_from_slug("", 0, &s), -1);
}

static void
regions_have_codes_and_names_in_both_languages(void **state)
{
    (void)state;
    for (int i = 0; i < REGION_COUNT; i++) {
        enum region r;
        const char *code = region_code((enum region)i);
        assert_int_equal(region_from_code(code, 2, &r), 0);
        assert_int_equal(r, i);
    }
    enum region r;
    assert_int_equal(region_from_code("qc", 2, &r), 0);
    assert_int_equal(r, REGION_QC);
    assert_int_equal(region_from_code("QQ", 2, &r), -1);
    assert_string_equal(region_name(REGION_QC, LANG_FR), "Québec");
    assert_string_equal(region_name(REGION_NL, LANG_EN), "Newfoundland and Labrador");
    assert_string_equal(region_name(REGION_OUTSIDE, LANG_FR), "Hors du Canada");
    assert_int_equal(PROVINCE_COUNT, 13);
}

static void
addressees_and_kinds_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < ADDRESSEE_COUNT; i++) {
        enum addressee_type t;
        const char *n = addressee_type_name((enum addressee_type)i);
        assert_int_equal(addressee_type_from_name(n, strlen(n), &t), 0);
        assert_int_equal(t, i);
    }
    enum petition_kind k;
    assert_int_equal(petition_kind_from_name("paper", 5, &k), 0);
    assert_int_equal(k, PETITION_PAPER);
    assert_int_equal(petition_kind_from_name("stone", 5, &k), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_has_a_name_slug_and_labels_in_both_languages),
        cmocka_unit_test(public_labels_and_codes_are_the_houses),
        cmocka_unit_test(drafts_and_pre_publication_states_are_never_public),
        cmocka_unit_test(final_states_are_those_of_rule_11_14),
        cmocka_unit_test(unknown_names_are_refused),
        cmocka_unit_test(regions_have_codes_and_names_in_both_languages),
        cmocka_unit_test(addressees_and_kinds_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
