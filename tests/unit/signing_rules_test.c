/*
 * signing_rules_test.c: the rules of signing, one per test (rulebook 4,
 * 11.6-11.10): who is one person (normalised addresses), what a signer
 * may type, what is counted, when a signature is held (burst, sustained,
 * block beats allow), when a petition takes signatures and confirmations,
 * what its closing timers say, when the Clerk may certify.  The addresses
 * and networks behind the limits are tested in netaddr_test.c.  Pure:
 * times are plain numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/email.h"
#include "core/fields.h"
#include "core/jurisdiction.h"
#include "core/signature.h"
#include "lib/banned.h"

enum { HOUR = 3600, DAY = 86400 };

static struct jurisdiction
house(void)
{
    struct jurisdiction j = {
        .id = "test",
        .signatures_to_certify = 500,
        .confirm_grace_hours = 24,
        .rate_burst_count = 1,
        .rate_burst_seconds = 60,
        .rate_sustained_count = 5,
        .rate_sustained_seconds = 300,
    };
    return j;
}

/* ---- one person, one signature ------------------------------------------------------ */

static void
same_key(const char *a, const char *b, bool want)
{
    char ka[EMAIL_MAX + 1], kb[EMAIL_MAX + 1];
    assert_int_equal(email_key(a, strlen(a), ka), 0);
    assert_int_equal(email_key(b, strlen(b), kb), 0);
    if (want != (strcmp(ka, kb) == 0))
        fail_msg("%s ~ %s: keys %s / %s", a, b, ka, kb);
}

static void
aliases_of_one_address_are_one_signer(void **state)
{
    (void)state;
    same_key("Jo.Smith+news@GoogleMail.com", "josmith@gmail.com", true);
    same_key("j.o.s.m.i.t.h@gmail.com", "JOSMITH@GMAIL.COM", true);
    same_key("ann+petitions@Example.ORG", "ann@example.org", true);
    /* Dots count outside Gmail; case counts nowhere (one mailbox). */
    same_key("Ann@Example.org", "ann@example.org", true);
    same_key("ANN+x@example.ORG", "ann@example.org", true);
    same_key("a.nn@example.org", "ann@example.org", false);
    same_key("ann@example.org", "ann@example.com", false);
}

static void
a_signatory_is_checked_field_by_field(void **state)
{
    (void)state;
    unsigned all = PERSON_NAME | PERSON_EMAIL | PERSON_ADDRESS | PERSON_PHONE |
                   PERSON_DECLARATIONS;
    struct person ok = {"Léa", "Tremblay", "lea@example.ca", NULL, "Canada", "QC",
                        "h2x 1y4", "514-555-0199", true, true};
    struct field_errors fe = {0};
    person_check(&ok, all, &fe);
    assert_int_equal(fe.count, 0);

    struct person bad = ok;
    bad.first_name = "-1+1";
    bad.postal_code = "K1A 0A6"; /* Ontario's, not Quebec's */
    bad.phone = "12";
    bad.eligible = false;
    memset(&fe, 0, sizeof(fe));
    person_check(&bad, all, &fe);
    assert_string_equal(field_error_for(&fe, "first_name"), "field.formula");
    assert_string_equal(field_error_for(&fe, "postal_code"), "field.postal_code.province");
    assert_string_equal(field_error_for(&fe, "phone"), "field.phone");
    assert_string_equal(field_error_for(&fe, "eligible"), "field.eligible");
    assert_null(field_error_for(&fe, "terms"));

    /* A tab inside a name is a control character; abroad, no province. */
    struct person tab = ok;
    tab.last_name = "Trem\tblay";
    tab.country = "Belgique";
    tab.province = "";
    tab.postal_code = "1000";
    memset(&fe, 0, sizeof(fe));
    person_check(&tab, all, &fe);
    assert_string_equal(field_error_for(&fe, "last_name"), "field.controls");
    assert_null(field_error_for(&fe, "postal_code"));
    assert_int_equal(person_region(&tab), REGION_OUTSIDE);
}

/* ---- counting ------------------------------------------------------------------------ */

static void
only_confirmed_and_unheld_signatures_count(void **state)
{
    (void)state;
    assert_false(signature_counted(0, REVIEW_CLEAR));
    assert_true(signature_counted(100, REVIEW_CLEAR));
    assert_false(signature_counted(100, REVIEW_SUSPECT));
    assert_true(signature_counted(100, REVIEW_VALIDATED));
    assert_false(signature_counted(100, REVIEW_INVALIDATED));
    assert_false(signature_counted(0, REVIEW_VALIDATED));

    /* Confirming a clear one: +1; a held one: 0; validating it then: +1. */
    assert_int_equal(signature_count_delta(0, REVIEW_CLEAR, 100, REVIEW_CLEAR), 1);
    assert_int_equal(signature_count_delta(0, REVIEW_SUSPECT, 100, REVIEW_SUSPECT), 0);
    assert_int_equal(signature_count_delta(100, REVIEW_SUSPECT, 100, REVIEW_VALIDATED), 1);
    assert_int_equal(signature_count_delta(100, REVIEW_CLEAR, 100, REVIEW_INVALIDATED), -1);
    assert_int_equal(signature_count_delta(0, REVIEW_SUSPECT, 0, REVIEW_VALIDATED), 0);
    assert_int_equal(signature_count_delta(100, REVIEW_VALIDATED, 100, REVIEW_VALIDATED), 0);

    enum signature_review r;
    for (int i = 0; i < REVIEW_COUNT; i++) {
        const char *name = signature_review_name((enum signature_review)i);
        assert_int_equal(signature_review_from_name(name, strlen(name), &r), 0);
        assert_int_equal(r, i);
    }
    assert_int_equal(signature_review_from_name("pending", 7, &r), -1);
}

static void
limits_and_lists_hold_a_signature(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct sign_screen s = {0};
    assert_int_equal(sign_screen_flag(&s, &j), SIGN_FLAG_NONE);
    s.burst_seen = 1; /* 1 per 60 s: the second trips it */
    assert_int_equal(sign_screen_flag(&s, &j), SIGN_FLAG_BURST);
    s = (struct sign_screen){.sustained_seen = 4};
    assert_int_equal(sign_screen_flag(&s, &j), SIGN_FLAG_NONE);
    s.sustained_seen = 5; /* 5 per 300 s: the sixth trips it */
    assert_int_equal(sign_screen_flag(&s, &j), SIGN_FLAG_SUSTAINED);
    s.allowed = true; /* allowed: no limits */
    assert_int_equal(sign_screen_flag(&s, &j), SIGN_FLAG_NONE);
    s.blocked = true; /* block beats allow */
    assert_int_equal(sign_screen_flag(&s, &j), SIGN_FLAG_BLOCKED);
    assert_string_equal(sign_flag_name(SIGN_FLAG_BURST), "burst");
    assert_null(sign_flag_name(SIGN_FLAG_NONE));
}

/* ---- closing --------------------------------------------------------------------------- */

static void
signing_stops_at_closing_and_confirming_after_the_grace(void **state)
{
    (void)state;
    int64_t closes = 1000 * DAY;
    assert_true(petition_signable(PETITION_OPEN, closes, closes - 1));
    assert_false(petition_signable(PETITION_OPEN, closes, closes));
    assert_false(petition_signable(PETITION_WAITING_FOR_CERTIFICATION, closes, closes - 1));
    assert_false(petition_signable(PETITION_CERTIFIED, closes, 0));

    assert_true(signature_confirmable(PETITION_OPEN, closes, 24, closes + 10));
    assert_true(signature_confirmable(PETITION_WAITING_FOR_CERTIFICATION, closes, 24,
                                      closes + 24 * HOUR - 1));
    assert_false(signature_confirmable(PETITION_WAITING_FOR_CERTIFICATION, closes, 24,
                                       closes + 24 * HOUR));
    assert_false(signature_confirmable(PETITION_WITHDRAWN, closes, 24, closes - DAY));
    assert_false(signature_confirmable(PETITION_NOT_CERTIFIED, closes, 24, closes + 1));
    assert_int_equal(closing_grace_end(closes, 0), closes);
}

static void
a_petition_keeps_the_rules_it_was_published_under(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    assert_int_equal(petition_grace_hours(-1, &j), 24); /* older record: the file's */
    assert_int_equal(petition_grace_hours(0, &j), 0);   /* fixed at no grace */
    assert_int_equal(petition_grace_hours(48, &j), 48);
    assert_int_equal(petition_threshold(0, &j), 500);
    assert_int_equal(petition_threshold(250, &j), 250);
}

static void
closing_timers_queue_or_refuse_certification(void **state)
{
    (void)state;
    int64_t closes = 1000 * DAY;
    struct closing_timers t = {.state = PETITION_OPEN, .closes_at = closes, .grace_hours = 24,
                               .total = 499, .threshold = 500};
    assert_int_equal(closing_due(&t, closes - 1), CLOSING_NOTHING);
    assert_int_equal(closing_due(&t, closes), CLOSING_CLOSE);

    t.state = PETITION_WAITING_FOR_CERTIFICATION;
    assert_int_equal(closing_due(&t, closes + 24 * HOUR - 1), CLOSING_NOTHING);
    assert_int_equal(closing_due(&t, closes + 24 * HOUR), CLOSING_NOT_CERTIFIED);
    t.total = 500; /* exactly the threshold */
    assert_int_equal(closing_due(&t, closes + 24 * HOUR), CLOSING_QUEUE);
    t.total = 499;
    t.suspect_confirmed = 1; /* the Clerk may still count it: queue, do not refuse */
    assert_int_equal(closing_due(&t, closes + 24 * HOUR), CLOSING_QUEUE);
    t.queued_at = closes + 24 * HOUR;
    assert_int_equal(closing_due(&t, closes + 30 * DAY), CLOSING_NOTHING);
}

static void
the_clerk_certifies_only_a_decided_petition_with_enough(void **state)
{
    (void)state;
    struct closing_timers t = {.state = PETITION_WAITING_FOR_CERTIFICATION, .closes_at = DAY,
                               .grace_hours = 24, .total = 500, .threshold = 500};
    assert_string_equal(certification_blocker(&t, 0), "certify.in_grace");
    assert_string_equal(refusal_blocker(&t), "certify.in_grace");
    t.queued_at = 2 * DAY;
    assert_null(certification_blocker(&t, 0));
    assert_string_equal(certification_blocker(&t, 1), "certify.suspect_left");
    assert_string_equal(refusal_blocker(&t), "certify.enough");
    t.total = 499;
    assert_string_equal(certification_blocker(&t, 0), "certify.too_few");
    assert_null(refusal_blocker(&t));
    t.suspect_confirmed = 1;
    assert_string_equal(refusal_blocker(&t), "certify.enough");
    t.state = PETITION_CERTIFIED;
    assert_string_equal(certification_blocker(&t, 0), "certify.not_waiting");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aliases_of_one_address_are_one_signer),
        cmocka_unit_test(a_signatory_is_checked_field_by_field),
        cmocka_unit_test(only_confirmed_and_unheld_signatures_count),
        cmocka_unit_test(limits_and_lists_hold_a_signature),
        cmocka_unit_test(signing_stops_at_closing_and_confirming_after_the_grace),
        cmocka_unit_test(a_petition_keeps_the_rules_it_was_published_under),
        cmocka_unit_test(closing_timers_queue_or_refuse_certification),
        cmocka_unit_test(the_clerk_certifies_only_a_decided_petition_with_enough),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
