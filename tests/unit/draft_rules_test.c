/*
 * draft_rules_test.c: the rules of a petition before publication, pure:
 * e-mail keys (one person counts once), form fields (rulebook 4, 11.6),
 * a draft's text (250 words, no web references; rulebook 3), supporters
 * (5 to 20, distinct, not the petitioner; 11.2), the lifecycle's timers
 * and turns (11.1-11.4), roles and passwords, and link tokens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/email.h"
#include "core/fields.h"
#include "core/lifecycle.h"
#include "lib/token.h"
#include "lib/banned.h"

static struct jurisdiction
rules(void)
{
    struct jurisdiction j = {
        .id = "test", .supporters_min = 5, .supporters_max = 20, .supporters_days = 30,
        .words_max = 250, .periods_days = {30, 60, 90, 120}, .periods_count = 4,
        .member_days = 30, .members_max = 5, .review_warn_days = 10,
        .review_overdue_days = 15,
    };
    return j;
}

static void
email_keys_count_one_person_once(void **state)
{
    (void)state;
    char a[EMAIL_MAX + 1], b[EMAIL_MAX + 1];
    assert_int_equal(email_key("Jane.Doe+petitions@GMAIL.com", 28, a), 0);
    assert_int_equal(email_key("janedoe@googlemail.com", 22, b), 0);
    assert_string_equal(a, "janedoe@gmail.com");
    assert_string_equal(a, b);
    assert_int_equal(email_key("Jane.Doe+x@Example.CA", 21, a), 0);
    assert_string_equal(a, "Jane.Doe@example.ca");
    assert_int_equal(email_account_key("Jane.Doe@Example.CA", 19, a), 0);
    assert_string_equal(a, "jane.doe@example.ca");
    static const char *const bad[] = {"", "plain", "a@@b.ca", "a@b", "a b@c.ca", "a@-b.ca",
                                      "<a@b.ca>", "a@b.ca\r\nBcc: x@y.ca", ".a@b.ca", "a@b..ca"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(email_valid(bad[i], strlen(bad[i])));
        assert_int_equal(email_key(bad[i], strlen(bad[i]), a), -1);
    }
    assert_true(email_valid("o'brien@gov.example.ca", 22));
}

static void
lines_refuse_controls_formulas_and_length(void **state)
{
    (void)state;
    struct field_errors fe = {0};
    check_line(&fe, "a", "", 10, true);
    check_line(&fe, "b", "Eve\r\nBcc: x", 100, true);
    check_line(&fe, "c", "=SUM(A1)", 100, true);
    check_line(&fe, "d", "@home", 100, true);
    check_line(&fe, "e", "\xc3\x28", 100, true);
    check_line(&fe, "f", " padded", 100, true);
    check_line(&fe, "g", "éééééééééé", 10, true); /* 10 characters, 20 bytes */
    check_line(&fe, "h", "ééééééééééé", 10, true);
    check_text(&fe, "i", "line one\nline two", 100, true);
    assert_string_equal(field_error_for(&fe, "a"), "field.required");
    assert_string_equal(field_error_for(&fe, "b"), "field.controls");
    assert_string_equal(field_error_for(&fe, "c"), "field.formula");
    assert_string_equal(field_error_for(&fe, "d"), "field.formula");
    assert_string_equal(field_error_for(&fe, "e"), "field.utf8");
    assert_string_equal(field_error_for(&fe, "f"), "field.spaces");
    assert_null(field_error_for(&fe, "g"));
    assert_string_equal(field_error_for(&fe, "h"), "field.too_long");
    assert_null(field_error_for(&fe, "i"));
}

static void
a_person_in_canada_needs_a_matching_postal_code(void **state)
{
    (void)state;
    struct person p = {"Rosa", "Tremblay", "rosa@example.ca", "Sudbury", "Canada", "ON",
                       "P3A 1A1", "705-555-0147", true, true};
    unsigned all = PERSON_NAME | PERSON_EMAIL | PERSON_CITY | PERSON_ADDRESS | PERSON_PHONE |
                   PERSON_DECLARATIONS;
    struct field_errors fe = {0};
    person_check(&p, all, &fe);
    assert_int_equal(fe.count, 0);
    assert_int_equal(person_region(&p), REGION_ON);

    p.province = "QC";
    person_check(&p, all, &fe);
    assert_string_equal(field_error_for(&fe, "postal_code"), "field.postal_code.province");

    struct field_errors fe2 = {0};
    p.province = "";
    p.phone = "12345";
    p.eligible = false;
    p.terms = false;
    person_check(&p, all, &fe2);
    assert_string_equal(field_error_for(&fe2, "province"), "field.required");
    assert_string_equal(field_error_for(&fe2, "phone"), "field.phone");
    assert_string_equal(field_error_for(&fe2, "eligible"), "field.eligible");
    assert_string_equal(field_error_for(&fe2, "terms"), "field.terms");

    struct field_errors fe3 = {0};
    struct person abroad = {"Luc", "Martin", "luc@example.fr", "Lyon", "France", "",
                            "69001", "+33 4 72 00 00 00", true, true};
    person_check(&abroad, all, &fe3);
    assert_int_equal(fe3.count, 0);
    assert_int_equal(person_region(&abroad), REGION_OUTSIDE);
    abroad.province = "ON";
    person_check(&abroad, all, &fe3);
    assert_string_equal(field_error_for(&fe3, "province"), "field.province_outside");
    assert_true(country_is_canada(" canada "));
}

static void
a_draft_over_250_words_or_with_a_web_reference_is_refused(void **state)
{
    (void)state;
    struct jurisdiction j = rules();
    char prayer[251 * 5 + 1] = "";
    size_t used = 0;
    for (int i = 0; i < 251; i++)
        used += (size_t)snprintf(prayer + used, sizeof(prayer) - used, "word ");
    struct draft_text d = {.addressee = ADDRESSEE_HOUSE, .prayer = prayer};
    struct field_errors fe = {0};
    size_t words;
    draft_check(&d, &j, false, &fe, &words);
    assert_int_equal(words, 251);
    assert_string_equal(field_error_for(&fe, "prayer"), "draft.words_over");

    /* The grievances count too: 200 + 51 words. */
    prayer[200 * 5] = '\0';
    char g[51 * 5 + 1] = "";
    used = 0;
    for (int i = 0; i < 51; i++)
        used += (size_t)snprintf(g + used, sizeof(g) - used, "more ");
    d.grievances[0] = g;
    d.grievance_count = 1;
    struct field_errors fe2 = {0};
    draft_check(&d, &j, false, &fe2, &words);
    assert_int_equal(words, 251);
    assert_string_equal(field_error_for(&fe2, "prayer"), "draft.words_over");

    struct draft_text w = {.addressee = ADDRESSEE_HOUSE, .prayer = "We ask for action.",
                           .grievances = {"Fine.", "Read petition.gc.ca first."},
                           .grievance_count = 2};
    struct field_errors fe3 = {0};
    draft_check(&w, &j, false, &fe3, &words);
    assert_null(field_error_for(&fe3, "grievance_1"));
    assert_string_equal(field_error_for(&fe3, "grievance_2"), "draft.web_reference");
}

static void
submitting_needs_prayer_period_and_member_saving_does_not(void **state)
{
    (void)state;
    struct jurisdiction j = rules();
    struct draft_text d = {.addressee = ADDRESSEE_MINISTER};
    struct field_errors save = {0}, submit = {0};
    size_t words;
    draft_check(&d, &j, false, &save, &words);
    assert_string_equal(field_error_for(&save, "ministry"), "draft.addressee_minister_missing");
    assert_null(field_error_for(&save, "prayer"));
    assert_null(field_error_for(&save, "period"));
    draft_check(&d, &j, true, &submit, &words);
    assert_string_equal(field_error_for(&submit, "prayer"), "field.required");
    assert_string_equal(field_error_for(&submit, "period"), "draft.period_invalid");
    assert_string_equal(field_error_for(&submit, "member"), "draft.member_missing");
    d.period_days = 45;
    struct field_errors fe = {0};
    draft_check(&d, &j, false, &fe, &words);
    assert_string_equal(field_error_for(&fe, "period"), "draft.period_invalid");
    assert_string_equal(draft_grievance_field(0), "grievance_1");
    assert_string_equal(draft_supporter_field(19, 2), "supporter_20_email");
}

static void
supporters_five_to_twenty_distinct_not_the_petitioner(void **state)
{
    (void)state;
    struct jurisdiction j = rules();
    struct draft_supporter s[21];
    char emails[21][40];
    for (int i = 0; i < 21; i++) {
        snprintf(emails[i], sizeof(emails[i]), "person%d@example.ca", i);
        s[i] = (struct draft_supporter){"A", "B", emails[i]};
    }
    struct field_errors fe = {0};
    supporters_check(s, 5, "me@example.ca", &j, true, &fe);
    assert_int_equal(fe.count, 0);
    supporters_check(s, 4, "me@example.ca", &j, true, &fe);
    assert_string_equal(field_error_for(&fe, "supporters"), "supporter.too_few");
    struct field_errors many = {0};
    supporters_check(s, 21, "me@example.ca", &j, false, &many);
    assert_string_equal(field_error_for(&many, "supporters"), "supporter.too_many");

    struct field_errors dup = {0};
    s[1].email = "Person.0+x@example.ca"; /* not Gmail: dots kept, tag dropped */
    s[2].email = "p.e.r.s.o.n@gmail.com";
    s[3].email = "person@googlemail.com";
    s[4].email = "ME@example.ca";
    supporters_check(s, 5, "me@example.ca", &j, true, &dup);
    assert_null(field_error_for(&dup, "supporter_2_email"));
    assert_string_equal(field_error_for(&dup, "supporter_4_email"), "supporter.duplicate");
    assert_null(field_error_for(&dup, "supporter_5_email")); /* "ME@" differs in case */
    struct field_errors own = {0};
    s[4].email = "me@EXAMPLE.ca";
    supporters_check(s, 5, "me@example.ca", &j, true, &own);
    assert_string_equal(field_error_for(&own, "supporter_5_email"), "supporter.petitioner");
    struct field_errors half = {0};
    s[0].email = "";
    supporters_check(s, 5, NULL, &j, false, &half);
    assert_string_equal(field_error_for(&half, "supporter_1_email"), "field.required");
}

static void
timers_fall_due_at_30_days(void **state)
{
    (void)state;
    const int64_t t0 = 1790000000;
    struct draft_timers t = {PETITION_AWAITING_SUPPORTERS, t0, 30, 0, 30};
    assert_int_equal(draft_due(&t, t0 + 30 * 86400 - 1), DUE_NOTHING);
    assert_int_equal(draft_due(&t, t0 + 30 * 86400), DUE_SUPPORTERS_EXPIRED);
    t.state = PETITION_AWAITING_MEMBER;
    assert_int_equal(draft_due(&t, t0 + 1000 * 86400), DUE_NOTHING); /* choosing: no timer */
    t.member_asked_at = t0;
    assert_int_equal(draft_deadline(&t), t0 + 30 * 86400);
    assert_int_equal(draft_due(&t, t0 + 30 * 86400), DUE_MEMBER_LAPSED);
    t.state = PETITION_UNDER_REVIEW;
    assert_int_equal(draft_due(&t, t0 + 1000 * 86400), DUE_NOTHING);
    assert_int_equal(after_member_refusal(4, 5), PETITION_AWAITING_MEMBER);
    assert_int_equal(after_member_refusal(5, 5), PETITION_ABANDONED);
}

static void
review_waits_and_what_the_petitioner_may_do(void **state)
{
    (void)state;
    struct jurisdiction j = rules();
    const int64_t t0 = 1790000000;
    assert_int_equal(review_wait(t0, t0 + 9 * 86400, &j), REVIEW_ON_TIME);
    assert_int_equal(review_wait(t0, t0 + 10 * 86400, &j), REVIEW_WARN);
    assert_int_equal(review_wait(t0, t0 + 15 * 86400, &j), REVIEW_OVERDUE);
    for (int s = 0; s < PETITION_STATE_COUNT; s++) {
        enum petition_state st = (enum petition_state)s;
        assert_int_equal(draft_editable(st),
                         st == PETITION_DRAFT || st == PETITION_RETURNED_FOR_REVISION);
        if (petition_state_is_final(st))
            assert_false(petition_active(st));
    }
    assert_true(petition_withdrawable(PETITION_OPEN));
    assert_true(petition_withdrawable(PETITION_WAITING_FOR_CERTIFICATION));
    assert_false(petition_withdrawable(PETITION_CERTIFIED));
    assert_false(petition_withdrawable(PETITION_PRESENTED));
    assert_false(petition_withdrawable(PETITION_REJECTED));
    assert_true(reject_reason_find("defamatory")->hidden);
    assert_false(reject_reason_find("jurisdiction")->hidden);
    assert_null(reject_reason_find("nope"));
    int n;
    const struct reject_reason *all = reject_reasons(&n);
    for (int i = 0; i < n; i++)
        assert_true(all[i].label[LANG_EN][0] && all[i].label[LANG_FR][0]);
}

static void
roles_and_passwords(void **state)
{
    (void)state;
    for (int i = 0; i < ROLE_COUNT; i++) {
        enum role r;
        const char *name = role_name((enum role)i);
        assert_int_equal(role_from_name(name, strlen(name), &r), 0);
        assert_int_equal(r, i);
    }
    enum role r;
    assert_int_equal(role_from_name("root", 4, &r), -1);
    assert_string_equal(password_problem("123456789"), "field.password_short");
    assert_null(password_problem("1234567890"));
    char longpw[258];
    memset(longpw, 'a', 257);
    longpw[257] = '\0';
    assert_string_equal(password_problem(longpw), "field.password_long");
    assert_string_equal(password_problem("abcdefghi\xff"), "field.utf8");
}

static void
link_tokens_verify_only_their_message(void **state)
{
    (void)state;
    unsigned char key[TOKEN_KEY_BYTES], other[TOKEN_KEY_BYTES];
    char t1[TOKEN_MAC_CHARS + 1], t2[TOKEN_MAC_CHARS + 1], hex[65], hex2[65];
    assert_true(sodium_init() >= 0);
    token_random_hex(hex, 32);
    token_random_hex(hex2, 32);
    assert_int_equal(strlen(hex), 64);
    assert_string_not_equal(hex, hex2);
    assert_int_equal(token_key_from_hex(hex, key), 0);
    assert_int_equal(token_key_from_hex(hex2, other), 0);
    assert_int_equal(token_key_from_hex("abc", key), -1);
    token_mac(key, "support|7|1", t1);
    token_mac(key, "support|7|1", t2);
    assert_string_equal(t1, t2);
    assert_int_equal(strlen(t1), TOKEN_MAC_CHARS);
    assert_true(token_check(key, "support|7|1", t1));
    assert_false(token_check(key, "support|7|2", t1)); /* another round */
    assert_false(token_check(other, "support|7|1", t1));
    assert_false(token_check(key, "support|7|1", NULL));
    t2[0] = t2[0] == 'A' ? 'B' : 'A';
    assert_false(token_check(key, "support|7|1", t2));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(email_keys_count_one_person_once),
        cmocka_unit_test(lines_refuse_controls_formulas_and_length),
        cmocka_unit_test(a_person_in_canada_needs_a_matching_postal_code),
        cmocka_unit_test(a_draft_over_250_words_or_with_a_web_reference_is_refused),
        cmocka_unit_test(submitting_needs_prayer_period_and_member_saving_does_not),
        cmocka_unit_test(supporters_five_to_twenty_distinct_not_the_petitioner),
        cmocka_unit_test(timers_fall_due_at_30_days),
        cmocka_unit_test(review_waits_and_what_the_petitioner_may_do),
        cmocka_unit_test(roles_and_passwords),
        cmocka_unit_test(link_tokens_verify_only_their_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
