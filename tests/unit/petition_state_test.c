/*
 * petition_state_test.c: every state of rulebook 2.1 and 11.1, with its
 * storage name, its slug, its public labels in both languages, the
 * House's status codes, and which states are public and which final.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/petition.h"
#include "core/petition_state.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The whole table as the rulebook and the House write it. */
static const struct {
    enum petition_state state;
    const char *name;
    const char *slug;
    const char *en;
    const char *fr;
    int house_code;
} expected[] = {
    {PETITION_DRAFT, "DRAFT", "draft", "Draft", "Brouillon", 0},
    {PETITION_AWAITING_SUPPORTERS, "AWAITING_SUPPORTERS", "awaiting-supporters",
     "Awaiting supporters", "En attente d’appuyeurs", 0},
    {PETITION_AWAITING_MEMBER, "AWAITING_MEMBER", "awaiting-member",
     "Awaiting a Member's authorization", "En attente de l’autorisation d’un député", 0},
    {PETITION_UNDER_REVIEW, "UNDER_REVIEW", "under-review", "Under review by the Clerk",
     "À l’examen du greffier", 0},
    {PETITION_RETURNED_FOR_REVISION, "RETURNED_FOR_REVISION", "returned-for-revision",
     "Returned for revision", "Renvoyée pour révision", 0},
    {PETITION_OPEN, "OPEN_FOR_SIGNATURE", "open", "Open for signature", "Ouverte à la signature",
     207},
    {PETITION_WAITING_FOR_CERTIFICATION, "WAITING_FOR_CERTIFICATION", "waiting-for-certification",
     "Waiting for certification", "En attente de certification", 226},
    {PETITION_NOT_CERTIFIED, "NOT_CERTIFIED", "not-certified", "Not certified", "Non certifiée",
     229},
    {PETITION_CERTIFIED, "CERTIFIED", "certified", "Certified", "Certifiée", 0},
    {PETITION_PRESENTED, "PRESENTED", "presented", "Presented", "Présentée", 0},
    {PETITION_RESPONSE_TABLED, "RESPONSE_TABLED", "response-tabled", "Government response tabled",
     "Réponse du gouvernement déposée", 223},
    {PETITION_CLOSED_UPON_DISSOLUTION, "CLOSED_UPON_DISSOLUTION", "closed-upon-dissolution",
     "Closed upon dissolution", "Close à la dissolution", 289},
    {PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION, "NOT_ANSWERED_BEFORE_DISSOLUTION",
     "not-answered-before-dissolution", "Not answered before dissolution",
     "Sans réponse avant la dissolution", 291},
    {PETITION_ABANDONED, "ABANDONED", "abandoned", "Abandoned", "Abandonnée", 0},
    {PETITION_REJECTED, "REJECTED", "rejected", "Rejected", "Rejetée", 0},
    {PETITION_WITHDRAWN, "WITHDRAWN", "withdrawn", "Withdrawn", "Retirée", 0},
    {PETITION_EXPIRED, "EXPIRED", "expired", "Expired", "Expirée", 0},
    {PETITION_REMOVED, "REMOVED", "removed", "Removed", "Supprimée", 0},
    {PETITION_CLOSED, "CLOSED", "closed", "Closed", "Fermée", 224},
};

static bool
member_of(enum petition_state s, const enum petition_state *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == s)
            return true;
    return false;
}

static void
every_state_is_in_the_table_once(void **state)
{
    (void)state;
    assert_int_equal(N_ELEMS(expected), PETITION_STATE_COUNT);
    for (size_t i = 0; i < N_ELEMS(expected); i++)
        assert_int_equal(expected[i].state, (enum petition_state)i);
}

static void
storage_names_are_the_enum_names_and_open_is_open_for_signature(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(expected); i++) {
        enum petition_state back;
        assert_string_equal(petition_state_name(expected[i].state), expected[i].name);
        assert_int_equal(
            petition_state_from_name(expected[i].name, strlen(expected[i].name), &back), 0);
        assert_int_equal(back, expected[i].state);
    }
    assert_string_equal(petition_state_name(PETITION_OPEN), "OPEN_FOR_SIGNATURE");
}

static void
slugs_are_lower_case_storage_names_with_dashes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(expected); i++) {
        const char *name = petition_state_name(expected[i].state);
        const char *slug = petition_state_slug(expected[i].state);
        enum petition_state back;
        assert_string_equal(slug, expected[i].slug);
        assert_int_equal(petition_state_from_slug(slug, strlen(slug), &back), 0);
        assert_int_equal(back, expected[i].state);
        if (expected[i].state == PETITION_OPEN)
            continue; /* "open", not "open-for-signature" */
        assert_int_equal(strlen(slug), strlen(name));
        for (size_t k = 0; name[k]; k++) {
            char c = name[k] == '_' ? '-' : (char)(name[k] - 'A' + 'a');
            assert_int_equal(slug[k], c);
        }
    }
    assert_string_equal(petition_state_slug(PETITION_OPEN), "open");
}

static void
labels_are_the_houses_in_english_and_french(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(expected); i++) {
        assert_string_equal(petition_state_label(expected[i].state, LANG_EN), expected[i].en);
        assert_string_equal(petition_state_label(expected[i].state, LANG_FR), expected[i].fr);
    }
}

static void
house_codes_are_those_seen_in_the_houses_search_output(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(expected); i++)
        assert_int_equal(petition_state_house_code(expected[i].state), expected[i].house_code);
    assert_int_equal(petition_state_house_code(PETITION_OPEN), 207);
    assert_int_equal(petition_state_house_code(PETITION_RESPONSE_TABLED), 223);
    assert_int_equal(petition_state_house_code(PETITION_CLOSED), 224);
    assert_int_equal(petition_state_house_code(PETITION_WAITING_FOR_CERTIFICATION), 226);
    assert_int_equal(petition_state_house_code(PETITION_NOT_CERTIFIED), 229);
    assert_int_equal(petition_state_house_code(PETITION_CLOSED_UPON_DISSOLUTION), 289);
    assert_int_equal(petition_state_house_code(PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION), 291);
}

static void
public_states_run_from_open_to_closed_and_exclude_removed(void **state)
{
    (void)state;
    static const enum petition_state public[] = {
        PETITION_OPEN,
        PETITION_WAITING_FOR_CERTIFICATION,
        PETITION_NOT_CERTIFIED,
        PETITION_CERTIFIED,
        PETITION_PRESENTED,
        PETITION_RESPONSE_TABLED,
        PETITION_CLOSED_UPON_DISSOLUTION,
        PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION,
        PETITION_CLOSED,
        PETITION_WITHDRAWN, /* published, then withdrawn by its petitioner */
    };
    for (int i = 0; i < PETITION_STATE_COUNT; i++) {
        enum petition_state s = (enum petition_state)i;
        if (petition_state_is_public(s) != member_of(s, public, N_ELEMS(public)))
            fail_msg("%s: public is %d", petition_state_name(s), petition_state_is_public(s));
    }
    assert_false(petition_state_is_public(PETITION_DRAFT));
    assert_false(petition_state_is_public(PETITION_REMOVED));
}

static void
final_states_are_those_no_transition_leaves(void **state)
{
    (void)state;
    static const enum petition_state final[] = {
        PETITION_NOT_CERTIFIED,
        PETITION_RESPONSE_TABLED,
        PETITION_CLOSED_UPON_DISSOLUTION,
        PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION,
        PETITION_ABANDONED,
        PETITION_REJECTED,
        PETITION_WITHDRAWN,
        PETITION_EXPIRED,
        PETITION_REMOVED,
        PETITION_CLOSED,
    };
    for (int i = 0; i < PETITION_STATE_COUNT; i++) {
        enum petition_state s = (enum petition_state)i;
        if (petition_state_is_final(s) != member_of(s, final, N_ELEMS(final)))
            fail_msg("%s: final is %d", petition_state_name(s), petition_state_is_final(s));
    }
    assert_false(petition_state_is_final(PETITION_CERTIFIED));
    assert_false(petition_state_is_final(PETITION_PRESENTED));
}

static void
unknown_names_and_slugs_are_refused(void **state)
{
    (void)state;
    enum petition_state s = PETITION_CLOSED;
    const char *bad_names[] = {"OPEN", "open", "Draft", "DRAFT ", "", "OPEN_FOR_SIGNATUREX"};
    for (size_t i = 0; i < N_ELEMS(bad_names); i++)
        assert_int_equal(petition_state_from_name(bad_names[i], strlen(bad_names[i]), &s), -1);
    const char *bad_slugs[] = {"Open", "OPEN", "open-for-signature", "response_tabled",
                               "",     "opens"};
    for (size_t i = 0; i < N_ELEMS(bad_slugs); i++)
        assert_int_equal(petition_state_from_slug(bad_slugs[i], strlen(bad_slugs[i]), &s), -1);
    assert_int_equal(s, PETITION_CLOSED); /* untouched on failure */
    /* Only the len bytes count: "draft" is a prefix here, not the whole. */
    assert_int_equal(petition_state_from_slug("drafts", 5, &s), 0);
    assert_int_equal(s, PETITION_DRAFT);
}

static void
a_value_outside_the_enum_has_no_name_and_no_class(void **state)
{
    (void)state;
    enum petition_state bad = PETITION_STATE_COUNT;
    assert_string_equal(petition_state_name(bad), "");
    assert_string_equal(petition_state_slug(bad), "");
    assert_string_equal(petition_state_label(bad, LANG_FR), "");
    assert_int_equal(petition_state_house_code(bad), 0);
    assert_false(petition_state_is_public(bad));
    assert_false(petition_state_is_final(bad));
}

/* XXX: addressee types and petition kinds belong to core/petition.c; this
 * test lives here until that module has its own petition_test.c. */
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
        cmocka_unit_test(every_state_is_in_the_table_once),
        cmocka_unit_test(storage_names_are_the_enum_names_and_open_is_open_for_signature),
        cmocka_unit_test(slugs_are_lower_case_storage_names_with_dashes),
        cmocka_unit_test(labels_are_the_houses_in_english_and_french),
        cmocka_unit_test(house_codes_are_those_seen_in_the_houses_search_output),
        cmocka_unit_test(public_states_run_from_open_to_closed_and_exclude_removed),
        cmocka_unit_test(final_states_are_those_no_transition_leaves),
        cmocka_unit_test(unknown_names_and_slugs_are_refused),
        cmocka_unit_test(a_value_outside_the_enum_has_no_name_and_no_class),
        cmocka_unit_test(addressees_and_kinds_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
