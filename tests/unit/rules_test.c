/*
 * rules_test.c: the domain's rules as the rulebook states them, one rule
 * per test: e-mail syntax and the normalised key that makes one person
 * count once (11.6), form fields (4, 11.6), a draft's text (250 words
 * counted together, no web references, period and Member; 3), supporters
 * (5 to 20, distinct, not the petitioner; 11.2), the lifecycle's timers
 * and turns (11.1-11.4), roles and passwords, and link tokens.  Pure: no
 * clock (times are plain numbers), no disk, no network.
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
#include "core/jurisdiction.h"
#include "core/lifecycle.h"
#include "lib/token.h"
#include "lib/banned.h"

/* The House of Commons' numbers (rulebook 11). */
static struct jurisdiction
house(void)
{
    struct jurisdiction j = {
        .id = "test",
        .supporters_min = 5,
        .supporters_max = 20,
        .supporters_days = 30,
        .words_max = 250,
        .periods_days = {30, 60, 90, 120},
        .periods_count = 4,
        .member_days = 30,
        .members_max = 5,
        .review_warn_days = 10,
        .review_overdue_days = 15,
    };
    return j;
}

static bool
valid(const char *s)
{
    return email_valid(s, strlen(s));
}

/* The key recorded for field, or NULL; a fresh field_errors is zeroed. */
static const char *
key_of(const struct field_errors *fe, const char *field)
{
    return field_error_for(fe, field);
}

/* n copies of "word " (the last without its space) in buf. */
static const char *
words(char *buf, size_t size, int n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        int w = snprintf(buf + used, size - used, i ? " word" : "word");
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
    return buf;
}

/* ---- e-mail addresses (11.6) ---- */

static void
email_valid_accepts_ordinary_addresses(void **state)
{
    (void)state;
    assert_true(valid("jane@example.ca"));
    assert_true(valid("Jane.Doe+petitions@gmail.com"));
    assert_true(valid("o'brien@gov.example.ca"));
    assert_true(valid("a@b.c"));
    assert_true(valid("x_y-z@sub-domain.example.org"));
}

static void
email_valid_refuses_malformed_addresses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "jane.example.ca",        /* no @ */
        "jane@doe@example.ca",    /* two @ */
        "@example.ca",            /* empty local part */
        "jane@",                  /* empty domain */
        "jane doe@example.ca",    /* space */
        "jane@exa mple.ca",       /* space in the domain */
        "jane@example.ca\r\nBcc: x@y.ca",
        "jane\n@example.ca",
        "<a@b.c>",
        "jane@localhost",         /* one label */
        "jane@-example.ca",       /* label starts with '-' */
        "jane@example-.ca",       /* label ends with '-' */
        "jane@example..ca",       /* empty label */
        ".jane@example.ca",
        "jane.@example.ca",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (valid(bad[i]))
            fail_msg("accepted \"%s\"", bad[i]);
    }
}

static void
email_valid_stops_at_254_bytes(void **state)
{
    (void)state;
    char s[300];
    /* 64-byte local part, '@', labels of 63 + 63 + 61 or 62 bytes. */
    memset(s, 'a', 64);
    s[64] = '@';
    memset(s + 65, 'b', 63);
    s[128] = '.';
    memset(s + 129, 'c', 63);
    s[192] = '.';
    memset(s + 193, 'd', 61);
    s[254] = '\0';
    assert_int_equal(strlen(s), 254);
    assert_true(email_valid(s, 254));

    s[254] = 'd';
    s[255] = '\0';
    assert_int_equal(strlen(s), 255);
    assert_false(email_valid(s, 255));

    char key[EMAIL_MAX + 1];
    assert_int_equal(email_key(s, 255, key), -1);
    assert_int_equal(email_account_key(s, 255, key), -1);
}

static void
email_key_counts_one_gmail_person_once(void **state)
{
    (void)state;
    char a[EMAIL_MAX + 1], b[EMAIL_MAX + 1];
    const char *x = "Jane.Doe+petitions@GMAIL.com", *y = "janedoe@googlemail.com";
    assert_int_equal(email_key(x, strlen(x), a), 0);
    assert_int_equal(email_key(y, strlen(y), b), 0);
    assert_string_equal(a, "janedoe@gmail.com");
    assert_string_equal(b, "janedoe@gmail.com");
}

static void
email_key_keeps_local_part_outside_gmail(void **state)
{
    (void)state;
    char k[EMAIL_MAX + 1];
    const char *x = "Jane.Doe+x@Example.CA";
    assert_int_equal(email_key(x, strlen(x), k), 0);
    assert_string_equal(k, "jane.doe@example.ca");
    /* Another local part is another person outside Gmail: its dots count. */
    char other[EMAIL_MAX + 1];
    const char *y = "janedoe@example.ca";
    assert_int_equal(email_key(y, strlen(y), other), 0);
    assert_string_not_equal(k, other);
}

static void
email_key_folds_the_case_of_the_whole_address(void **state)
{
    /* One mailbox, one signature (issue 21): real providers ignore the
     * case of the local part, so the House counts one person. */
    (void)state;
    char a[EMAIL_MAX + 1], b[EMAIL_MAX + 1], c[EMAIL_MAX + 1];
    const char *x = "zoe@petitions.test", *y = "Zoe@Petitions.Test", *z = "ZOE+news@PETITIONS.TEST";
    assert_int_equal(email_key(x, strlen(x), a), 0);
    assert_int_equal(email_key(y, strlen(y), b), 0);
    assert_int_equal(email_key(z, strlen(z), c), 0);
    assert_string_equal(a, "zoe@petitions.test");
    assert_string_equal(b, "zoe@petitions.test");
    assert_string_equal(c, "zoe@petitions.test");
}

static void
email_key_refuses_invalid_addresses(void **state)
{
    (void)state;
    char k[EMAIL_MAX + 1];
    assert_int_equal(email_key("", 0, k), -1);
    assert_int_equal(email_key("jane", 4, k), -1);
    assert_int_equal(email_key("a@@b.ca", 7, k), -1);
    assert_int_equal(email_account_key("a b@c.ca", 8, k), -1);
}

static void
email_account_key_lower_cases_everything(void **state)
{
    (void)state;
    char k[EMAIL_MAX + 1];
    const char *x = "Jane.Doe+Tag@GMAIL.Com";
    assert_int_equal(email_account_key(x, strlen(x), k), 0);
    assert_string_equal(k, "jane.doe+tag@gmail.com");
}

/* ---- lines and texts people type (4) ---- */

static void
check_line_requires_only_when_asked(void **state)
{
    (void)state;
    struct field_errors fe = {0};
    check_line(&fe, "a", "", 10, true);
    check_line(&fe, "b", NULL, 10, true);
    check_line(&fe, "c", "", 10, false);
    check_line(&fe, "d", NULL, 10, false);
    assert_string_equal(key_of(&fe, "a"), "field.required");
    assert_string_equal(key_of(&fe, "b"), "field.required");
    assert_null(key_of(&fe, "c"));
    assert_null(key_of(&fe, "d"));
    assert_int_equal(fe.count, 2);
}

static void
check_line_counts_characters_not_bytes(void **state)
{
    (void)state;
    char s[256];
    for (int i = 0; i < 100; i++)
        memcpy(s + 2 * i, "\xc3\xa9", 2); /* é */
    s[200] = '\0';
    struct field_errors fe = {0};
    check_line(&fe, "name", s, 100, true);
    assert_int_equal(fe.count, 0);

    memcpy(s + 200, "\xc3\xa9", 3); /* 101 é */
    check_line(&fe, "name", s, 100, true);
    assert_string_equal(key_of(&fe, "name"), "field.too_long");

    struct field_errors fe2 = {0};
    check_text(&fe2, "text", "abcdef", 5, true);
    assert_string_equal(key_of(&fe2, "text"), "field.too_long");
}

static void
check_line_refuses_invalid_utf8(void **state)
{
    (void)state;
    struct field_errors fe = {0};
    check_line(&fe, "a", "caf\xc3", 100, true);       /* truncated */
    check_line(&fe, "b", "\xc0\xaf", 100, true);      /* overlong '/' */
    check_text(&fe, "c", "x\xed\xa0\x80y", 100, true); /* surrogate */
    assert_string_equal(key_of(&fe, "a"), "field.utf8");
    assert_string_equal(key_of(&fe, "b"), "field.utf8");
    assert_string_equal(key_of(&fe, "c"), "field.utf8");
}

static void
check_text_allows_new_lines_check_line_does_not(void **state)
{
    (void)state;
    struct field_errors fe = {0};
    check_text(&fe, "text", "first line\nsecond line", 100, true);
    assert_null(key_of(&fe, "text"));
    check_line(&fe, "line", "first line\nsecond line", 100, true);
    assert_string_equal(key_of(&fe, "line"), "field.controls");
    check_line(&fe, "cr", "a\rb", 100, true);
    assert_string_equal(key_of(&fe, "cr"), "field.controls");
    /* Other controls are refused in both. */
    check_text(&fe, "bell", "a\ab", 100, true);
    check_text(&fe, "del", "a\x7f" "b", 100, true);
    check_text(&fe, "c1", "a\xc2\x85" "b", 100, true);
    assert_string_equal(key_of(&fe, "bell"), "field.controls");
    assert_string_equal(key_of(&fe, "del"), "field.controls");
    assert_string_equal(key_of(&fe, "c1"), "field.controls");
}

static void
check_line_refuses_spreadsheet_formulas(void **state)
{
    (void)state;
    static const char *const bad[] = {"=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct field_errors fe = {0};
        check_line(&fe, "city", bad[i], 100, true);
        assert_non_null(key_of(&fe, "city"));
        assert_string_equal(key_of(&fe, "city"), "field.formula");
        struct field_errors ft = {0};
        check_text(&ft, "prayer", bad[i], 100, true);
        assert_string_equal(key_of(&ft, "prayer"), "field.formula");
    }
    /* Inside the value they are harmless. */
    struct field_errors fe = {0};
    check_line(&fe, "city", "Saint-Jean-sur-Richelieu", 100, true);
    check_line(&fe, "name", "A+B=C", 100, true);
    assert_int_equal(fe.count, 0);
}

static void
check_line_refuses_spaces_around(void **state)
{
    (void)state;
    struct field_errors fe = {0};
    check_line(&fe, "a", " Ottawa", 100, true);
    check_line(&fe, "b", "Ottawa ", 100, true);
    check_line(&fe, "c", "North Bay", 100, true);
    assert_non_null(key_of(&fe, "a"));
    assert_non_null(key_of(&fe, "b"));
    assert_null(key_of(&fe, "c"));
    assert_int_equal(fe.count, 2);
}

/* ---- petitioners, supporters and signatories (4, 11.6) ---- */

static struct person
canadian(void)
{
    struct person p = {
        .first_name = "Jane",
        .last_name = "Doe",
        .email = "jane.doe@example.ca",
        .city = "Ottawa",
        .country = "Canada",
        .province = "ON",
        .postal_code = "K1A 0A6",
        .phone = "+1 (613) 555-0100",
        .eligible = true,
        .terms = true,
    };
    return p;
}

enum {
    PETITIONER = PERSON_NAME | PERSON_EMAIL | PERSON_CITY | PERSON_ADDRESS | PERSON_PHONE |
                 PERSON_DECLARATIONS,
};

static void
person_check_accepts_a_complete_canadian_petitioner(void **state)
{
    (void)state;
    struct person p = canadian();
    struct field_errors fe = {0};
    person_check(&p, PETITIONER, &fe);
    assert_int_equal(fe.count, 0);
    assert_int_equal(person_region(&p), REGION_ON);
}

static void
person_check_requires_province_in_canada(void **state)
{
    (void)state;
    struct person p = canadian();
    p.province = "";
    struct field_errors fe = {0};
    person_check(&p, PETITIONER, &fe);
    assert_string_equal(key_of(&fe, "province"), "field.required");

    struct person q = canadian();
    q.province = NULL;
    struct field_errors fq = {0};
    person_check(&q, PETITIONER, &fq);
    assert_string_equal(key_of(&fq, "province"), "field.required");
}

static void
person_check_postal_code_must_fit_province(void **state)
{
    (void)state;
    struct person p = canadian();
    p.province = "QC";
    struct field_errors fe = {0};
    person_check(&p, PETITIONER, &fe);
    assert_string_equal(key_of(&fe, "postal_code"), "field.postal_code.province");
    assert_int_equal(fe.count, 1);

    p.province = "ON";
    p.postal_code = "k1a0a6";
    struct field_errors ok = {0};
    person_check(&p, PETITIONER, &ok);
    assert_int_equal(ok.count, 0);

    p.postal_code = "K1A 0A";
    struct field_errors syn = {0};
    person_check(&p, PETITIONER, &syn);
    assert_string_equal(key_of(&syn, "postal_code"), "field.postal_code.syntax");
}

static void
person_check_outside_canada_has_no_province_and_free_postal_code(void **state)
{
    (void)state;
    struct person p = canadian();
    p.country = "France";
    p.province = "";
    p.postal_code = "75001";
    p.phone = "+33 1 23 45 67 89";
    struct field_errors fe = {0};
    person_check(&p, PETITIONER, &fe);
    assert_int_equal(fe.count, 0);
    assert_int_equal(person_region(&p), REGION_OUTSIDE);

    p.province = "ON";
    struct field_errors fp = {0};
    person_check(&p, PETITIONER, &fp);
    assert_non_null(key_of(&fp, "province"));
    assert_null(key_of(&fp, "postal_code"));
}

static void
person_check_phone_needs_seven_to_fifteen_digits(void **state)
{
    (void)state;
    static const char *const bad[] = {"555-010", "613 555 O1OO", "1234567890123456",
                                      "call me"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct person p = canadian();
        p.phone = bad[i];
        struct field_errors fe = {0};
        person_check(&p, PETITIONER, &fe);
        if (!key_of(&fe, "phone"))
            fail_msg("accepted phone \"%s\"", bad[i]);
        assert_string_equal(key_of(&fe, "phone"), "field.phone");
    }
    struct person p = canadian();
    p.phone = "555-0100";
    struct field_errors fe = {0};
    person_check(&p, PETITIONER, &fe);
    assert_null(key_of(&fe, "phone"));
}

static void
person_check_needs_both_declarations(void **state)
{
    (void)state;
    struct person p = canadian();
    p.eligible = false;
    p.terms = false;
    struct field_errors fe = {0};
    person_check(&p, PETITIONER, &fe);
    assert_string_equal(key_of(&fe, "eligible"), "field.eligible");
    assert_string_equal(key_of(&fe, "terms"), "field.terms");
    assert_int_equal(fe.count, 2);

    /* A form that does not ask for them does not check them. */
    struct field_errors none = {0};
    person_check(&p, PETITIONER & ~(unsigned)PERSON_DECLARATIONS, &none);
    assert_int_equal(none.count, 0);
}

static void
country_is_canada_in_any_case_with_spaces(void **state)
{
    (void)state;
    assert_true(country_is_canada(" canada "));
    assert_true(country_is_canada("CANADA"));
    assert_true(country_is_canada("Canada"));
    assert_false(country_is_canada("Canadas"));
    assert_false(country_is_canada("Can ada"));
    assert_false(country_is_canada(""));
    assert_false(country_is_canada(NULL));
}

/* ---- a draft's text (3) ---- */

static struct draft_text
complete_draft(void)
{
    struct draft_text d = {
        .addressee = ADDRESSEE_GOVERNMENT,
        .grievances = {"Canadians deserve clean drinking water;"},
        .grievance_count = 1,
        .prayer = "We, the undersigned, call upon the Government of Canada to act.",
        .period_days = 120,
        .member_key = "doe-jane",
    };
    return d;
}

static void
draft_check_accepts_a_complete_draft(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_text d = complete_draft();
    struct field_errors fe = {0};
    size_t w = 0;
    draft_check(&d, &j, true, &fe, &w);
    assert_int_equal(fe.count, 0);
    assert_int_equal(w, 5 + 11);
}

static void
draft_check_refuses_251_words_on_the_prayer(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    static char prayer[2048];
    struct draft_text d = complete_draft();
    d.grievance_count = 0;
    d.prayer = words(prayer, sizeof(prayer), 251);
    struct field_errors fe = {0};
    size_t w = 0;
    draft_check(&d, &j, true, &fe, &w);
    assert_int_equal(w, 251);
    assert_string_equal(key_of(&fe, "prayer"), "draft.words_over");

    d.prayer = words(prayer, sizeof(prayer), 250);
    struct field_errors ok = {0};
    draft_check(&d, &j, true, &ok, &w);
    assert_int_equal(w, 250);
    assert_int_equal(ok.count, 0);
}

static void
draft_check_counts_grievances_and_prayer_together(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    static char g[3][1024], prayer[1024];
    struct draft_text d = complete_draft();
    d.grievances[0] = words(g[0], sizeof(g[0]), 50);
    d.grievances[1] = words(g[1], sizeof(g[1]), 50);
    d.grievances[2] = words(g[2], sizeof(g[2]), 50);
    d.grievance_count = 3;
    d.prayer = words(prayer, sizeof(prayer), 101);
    struct field_errors fe = {0};
    size_t w = 0;
    draft_check(&d, &j, true, &fe, &w);
    assert_int_equal(w, 251);
    assert_string_equal(key_of(&fe, "prayer"), "draft.words_over");
    /* Only the prayer carries it; each grievance is fine on its own. */
    assert_null(key_of(&fe, "grievance_1"));

    d.prayer = words(prayer, sizeof(prayer), 100);
    struct field_errors ok = {0};
    draft_check(&d, &j, true, &ok, &w);
    assert_int_equal(w, 250);
    assert_int_equal(ok.count, 0);
}

static void
draft_check_refuses_web_references_where_they_are(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_text d = complete_draft();
    d.grievances[0] = "Water is scarce;";
    d.grievances[1] = "For details see www.example.ca today;";
    d.grievances[2] = "The House publishes them on petition.gc.ca as well;";
    d.grievance_count = 3;
    struct field_errors fe = {0};
    size_t w = 0;
    draft_check(&d, &j, true, &fe, &w);
    assert_null(key_of(&fe, "grievance_1"));
    assert_string_equal(key_of(&fe, "grievance_2"), "draft.web_reference");
    assert_string_equal(key_of(&fe, "grievance_3"), "draft.web_reference");
    assert_null(key_of(&fe, "prayer"));

    struct draft_text p = complete_draft();
    p.prayer = "We ask the Government to act, see https://example.org/x.";
    struct field_errors fp = {0};
    draft_check(&p, &j, false, &fp, &w);
    assert_string_equal(key_of(&fp, "prayer"), "draft.web_reference");
}

static void
draft_check_submitting_needs_prayer_period_and_member(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_text d = complete_draft();
    d.prayer = NULL;
    d.period_days = 0;
    d.member_key = NULL;
    struct field_errors fe = {0};
    size_t w = 0;
    draft_check(&d, &j, true, &fe, &w);
    assert_string_equal(key_of(&fe, "prayer"), "field.required");
    assert_string_equal(key_of(&fe, "period"), "draft.period_invalid");
    assert_string_equal(key_of(&fe, "member"), "draft.member_missing");
    assert_int_equal(fe.count, 3);
}

static void
draft_check_saving_allows_missing_parts(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_text d = complete_draft();
    d.prayer = NULL;
    d.period_days = 0;
    d.member_key = "";
    d.grievance_count = 0;
    struct field_errors fe = {0};
    size_t w = 99;
    draft_check(&d, &j, false, &fe, &w);
    assert_int_equal(fe.count, 0);
    assert_int_equal(w, 0);
}

static void
draft_check_period_must_be_allowed(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    static const int allowed[] = {30, 60, 90, 120};
    size_t w;
    for (size_t i = 0; i < 4; i++) {
        struct draft_text d = complete_draft();
        d.period_days = allowed[i];
        struct field_errors fe = {0};
        draft_check(&d, &j, true, &fe, &w);
        assert_null(key_of(&fe, "period"));
    }
    struct draft_text d = complete_draft();
    d.period_days = 45;
    struct field_errors sub = {0}, save = {0};
    draft_check(&d, &j, true, &sub, &w);
    draft_check(&d, &j, false, &save, &w);
    assert_string_equal(key_of(&sub, "period"), "draft.period_invalid");
    assert_string_equal(key_of(&save, "period"), "draft.period_invalid");
}

static void
draft_check_minister_addressee_needs_ministry(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_text d = complete_draft();
    d.addressee = ADDRESSEE_MINISTER;
    d.ministry_code = NULL;
    struct field_errors fe = {0};
    size_t w;
    draft_check(&d, &j, true, &fe, &w);
    assert_string_equal(key_of(&fe, "ministry"), "draft.addressee_minister_missing");

    d.ministry_code = "";
    struct field_errors fe2 = {0};
    draft_check(&d, &j, false, &fe2, &w);
    assert_string_equal(key_of(&fe2, "ministry"), "draft.addressee_minister_missing");

    d.ministry_code = "health";
    struct field_errors ok = {0};
    draft_check(&d, &j, true, &ok, &w);
    assert_int_equal(ok.count, 0);

    struct draft_text m = complete_draft();
    m.addressee = ADDRESSEE_MEMBER;
    struct field_errors fm = {0};
    draft_check(&m, &j, true, &fm, &w);
    assert_string_equal(key_of(&fm, "addressee_member"), "draft.addressee_member_missing");
}

static void
draft_field_names_count_from_one(void **state)
{
    (void)state;
    assert_string_equal(draft_grievance_field(0), "grievance_1");
    assert_string_equal(draft_grievance_field(19), "grievance_20");
    assert_string_equal(draft_supporter_field(0, 0), "supporter_1_first_name");
    assert_string_equal(draft_supporter_field(4, 1), "supporter_5_last_name");
    assert_string_equal(draft_supporter_field(19, 2), "supporter_20_email");
}

/* ---- supporters (11.2) ---- */

static char supporter_emails[DRAFT_SUPPORTERS_MAX + 1][32];

/* n distinct supporters in s. */
static void
fill_supporters(struct draft_supporter *s, int n)
{
    for (int i = 0; i < n; i++) {
        snprintf(supporter_emails[i], sizeof(supporter_emails[i]), "supporter%d@example.ca",
                 i + 1);
        s[i].first_name = "Sam";
        s[i].last_name = "Lee";
        s[i].email = supporter_emails[i];
    }
}

static void
supporters_check_needs_five_at_submission(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_supporter s[DRAFT_SUPPORTERS_MAX + 1] = {{0}};
    fill_supporters(s, 5);
    struct field_errors fe = {0};
    supporters_check(s, 5, "jane@example.ca", &j, true, &fe);
    assert_int_equal(fe.count, 0);

    struct field_errors four = {0};
    supporters_check(s, 4, "jane@example.ca", &j, true, &four);
    assert_string_equal(key_of(&four, "supporters"), "supporter.too_few");

    /* Empty rows are not supporters. */
    s[4].first_name = s[4].last_name = s[4].email = "";
    struct field_errors blank = {0};
    supporters_check(s, 5, "jane@example.ca", &j, true, &blank);
    assert_string_equal(key_of(&blank, "supporters"), "supporter.too_few");

    /* Saving a draft with fewer is fine. */
    struct field_errors save = {0};
    supporters_check(s, 4, "jane@example.ca", &j, false, &save);
    assert_int_equal(save.count, 0);
}

static void
supporters_check_refuses_a_duplicate_by_normalised_key(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_supporter s[DRAFT_SUPPORTERS_MAX + 1] = {{0}};
    fill_supporters(s, 6);
    s[1].email = "Sam.Lee@gmail.com";
    s[4].email = "samlee+petition@GoogleMail.com";
    struct field_errors fe = {0};
    supporters_check(s, 6, "jane@example.ca", &j, true, &fe);
    assert_null(key_of(&fe, "supporter_2_email"));
    assert_string_equal(key_of(&fe, "supporter_5_email"), "supporter.duplicate");
    assert_int_equal(fe.count, 1);
}

static void
supporters_check_refuses_the_petitioner(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_supporter s[DRAFT_SUPPORTERS_MAX + 1] = {{0}};
    fill_supporters(s, 5);
    s[2].email = "Jane.Doe+me@gmail.com";
    struct field_errors fe = {0};
    supporters_check(s, 5, "janedoe@gmail.com", &j, true, &fe);
    assert_string_equal(key_of(&fe, "supporter_3_email"), "supporter.petitioner");
}

static void
supporters_check_refuses_more_than_twenty(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_supporter s[DRAFT_SUPPORTERS_MAX + 1] = {{0}};
    fill_supporters(s, 21);
    struct field_errors ok = {0};
    supporters_check(s, 20, "jane@example.ca", &j, true, &ok);
    assert_int_equal(ok.count, 0);

    struct field_errors fe = {0};
    supporters_check(s, 21, "jane@example.ca", &j, true, &fe);
    assert_string_equal(key_of(&fe, "supporters"), "supporter.too_many");

    struct field_errors save = {0};
    supporters_check(s, 21, "jane@example.ca", &j, false, &save);
    assert_string_equal(key_of(&save, "supporters"), "supporter.too_many");
}

static void
supporters_check_a_named_supporter_needs_names_and_address(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    struct draft_supporter s[DRAFT_SUPPORTERS_MAX + 1] = {{0}};
    fill_supporters(s, 5);
    s[3].email = NULL;
    s[1].last_name = "";
    s[0].email = "not an address";
    struct field_errors fe = {0};
    supporters_check(s, 5, "jane@example.ca", &j, false, &fe);
    assert_string_equal(key_of(&fe, "supporter_4_email"), "field.required");
    assert_string_equal(key_of(&fe, "supporter_2_last_name"), "field.required");
    assert_string_equal(key_of(&fe, "supporter_1_email"), "field.email");
    assert_int_equal(fe.count, 3);
}

/* ---- the lifecycle's timers and turns (11.1-11.4) ---- */

static void
supporters_expire_thirty_days_after_submission(void **state)
{
    (void)state;
    const int64_t t0 = 1700000000;
    struct draft_timers t = {
        .state = PETITION_AWAITING_SUPPORTERS,
        .submitted_at = t0,
        .supporters_days = 30,
    };
    int64_t end = t0 + 30 * (int64_t)DAY_SECONDS;
    assert_int_equal(draft_deadline(&t), end);
    assert_int_equal(draft_due(&t, t0), DUE_NOTHING);
    assert_int_equal(draft_due(&t, end - 1), DUE_NOTHING);
    assert_int_equal(draft_due(&t, end), DUE_SUPPORTERS_EXPIRED);
    assert_int_equal(draft_due(&t, end + 86400), DUE_SUPPORTERS_EXPIRED);

    /* Other states run no supporters' timer. */
    t.state = PETITION_UNDER_REVIEW;
    assert_int_equal(draft_due(&t, end + 1), DUE_NOTHING);
    assert_int_equal(draft_deadline(&t), 0);
}

static void
member_lapses_thirty_days_after_being_asked(void **state)
{
    (void)state;
    const int64_t asked = 1700000000;
    struct draft_timers t = {
        .state = PETITION_AWAITING_MEMBER,
        .submitted_at = asked - 40 * (int64_t)DAY_SECONDS,
        .supporters_days = 30,
        .member_asked_at = 0,
        .member_days = 30,
    };
    /* While the petitioner chooses, nothing runs. */
    assert_int_equal(draft_due(&t, asked + 1000 * (int64_t)DAY_SECONDS), DUE_NOTHING);
    assert_int_equal(draft_deadline(&t), 0);

    t.member_asked_at = asked;
    int64_t end = asked + 30 * (int64_t)DAY_SECONDS;
    assert_int_equal(draft_due(&t, end - 1), DUE_NOTHING);
    assert_int_equal(draft_due(&t, end), DUE_MEMBER_LAPSED);
}

static void
fifth_member_refusal_abandons(void **state)
{
    (void)state;
    for (int asked = 1; asked <= 4; asked++)
        assert_int_equal(after_member_refusal(asked, 5), PETITION_AWAITING_MEMBER);
    assert_int_equal(after_member_refusal(5, 5), PETITION_ABANDONED);
    assert_int_equal(after_member_refusal(6, 5), PETITION_ABANDONED);
}

static void
review_warns_at_ten_days_overdue_at_fifteen(void **state)
{
    (void)state;
    struct jurisdiction j = house();
    const int64_t since = 1700000000, day = DAY_SECONDS;
    assert_int_equal(review_wait(since, since, &j), REVIEW_ON_TIME);
    assert_int_equal(review_wait(since, since + 9 * day, &j), REVIEW_ON_TIME);
    assert_int_equal(review_wait(since, since + 10 * day - 1, &j), REVIEW_ON_TIME);
    assert_int_equal(review_wait(since, since + 10 * day, &j), REVIEW_WARN);
    assert_int_equal(review_wait(since, since + 14 * day, &j), REVIEW_WARN);
    assert_int_equal(review_wait(since, since + 15 * day, &j), REVIEW_OVERDUE);
    assert_int_equal(days_waited(since, since - day), 0);
    assert_int_equal(days_waited(since, since + 15 * day + 5), 15);
}

static void
only_drafts_and_returned_drafts_are_editable(void **state)
{
    (void)state;
    for (int s = 0; s < PETITION_STATE_COUNT; s++) {
        bool want = s == PETITION_DRAFT || s == PETITION_RETURNED_FOR_REVISION;
        if (draft_editable((enum petition_state)s) != want)
            fail_msg("draft_editable(%s) != %d", petition_state_name((enum petition_state)s),
                     want);
    }
}

static void
withdrawal_only_before_certification(void **state)
{
    (void)state;
    assert_true(petition_withdrawable(PETITION_DRAFT));
    assert_true(petition_withdrawable(PETITION_AWAITING_SUPPORTERS));
    assert_true(petition_withdrawable(PETITION_UNDER_REVIEW));
    assert_true(petition_withdrawable(PETITION_OPEN));
    assert_true(petition_withdrawable(PETITION_WAITING_FOR_CERTIFICATION));
    assert_false(petition_withdrawable(PETITION_CERTIFIED));
    assert_false(petition_withdrawable(PETITION_PRESENTED));
    assert_false(petition_withdrawable(PETITION_REJECTED));
    /* Nothing final can be withdrawn. */
    for (int s = 0; s < PETITION_STATE_COUNT; s++)
        if (petition_state_is_final((enum petition_state)s) &&
            petition_withdrawable((enum petition_state)s))
            fail_msg("final %s withdrawable", petition_state_name((enum petition_state)s));
}

static void
final_states_are_not_active(void **state)
{
    (void)state;
    int active = 0;
    for (int s = 0; s < PETITION_STATE_COUNT; s++) {
        enum petition_state st = (enum petition_state)s;
        assert_int_equal(petition_active(st), !petition_state_is_final(st));
        active += petition_active(st);
    }
    assert_true(active > 0);
    assert_true(petition_active(PETITION_OPEN));
    assert_false(petition_active(PETITION_WITHDRAWN));
    assert_false(petition_active(PETITION_EXPIRED));
    assert_false(petition_active(PETITION_ABANDONED));
    assert_false(petition_active((enum petition_state)PETITION_STATE_COUNT));
}

static void
hidden_reject_reasons_and_labels(void **state)
{
    (void)state;
    const struct reject_reason *r = reject_reason_find("defamatory");
    assert_non_null(r);
    assert_true(r->hidden);
    r = reject_reason_find("jurisdiction");
    assert_non_null(r);
    assert_false(r->hidden);
    assert_null(reject_reason_find("no-such-reason"));
    assert_null(reject_reason_find(NULL));
    static const char *const hidden[] = {"defamatory", "offensive", "sub-judice",
                                         "personal-data"};
    for (size_t i = 0; i < 4; i++) {
        r = reject_reason_find(hidden[i]);
        assert_non_null(r);
        assert_true(r->hidden);
    }

    int n = 0;
    const struct reject_reason *all = reject_reasons(&n);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        assert_ptr_equal(reject_reason_find(all[i].code), &all[i]);
        for (int l = 0; l < LANG_COUNT; l++) {
            assert_non_null(all[i].label[l]);
            assert_true(strlen(all[i].label[l]) > 0);
        }
    }
}

/* ---- accounts ---- */

static void
role_names_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *name = role_name((enum role)r);
        assert_true(strlen(name) > 0);
        enum role back = ROLE_COUNT;
        assert_int_equal(role_from_name(name, strlen(name), &back), 0);
        assert_int_equal(back, r);
    }
    enum role out = ROLE_ADMIN;
    assert_int_equal(role_from_name("root", 4, &out), -1);
    assert_int_equal(role_from_name("Admin", 5, &out), -1);
    assert_int_equal(role_from_name("admi", 4, &out), -1);
    assert_int_equal(role_from_name("", 0, &out), -1);
    assert_int_equal(out, ROLE_ADMIN);
    assert_string_equal(role_name(ROLE_COUNT), "");
}

static void
passwords_are_ten_to_256_bytes_of_utf8(void **state)
{
    (void)state;
    char pw[300];
    memset(pw, 'x', sizeof(pw));
    pw[9] = '\0';
    assert_string_equal(password_problem(pw), "field.password_short");
    assert_string_equal(password_problem(""), "field.password_short");
    assert_string_equal(password_problem(NULL), "field.password_short");
    memset(pw, 'x', sizeof(pw));
    pw[10] = '\0';
    assert_null(password_problem(pw));
    memset(pw, 'x', sizeof(pw));
    pw[256] = '\0';
    assert_null(password_problem(pw));
    memset(pw, 'x', sizeof(pw));
    pw[257] = '\0';
    assert_string_equal(password_problem(pw), "field.password_long");
    assert_string_equal(password_problem("correct horse \xff battery"), "field.utf8");
    assert_null(password_problem("mot de passe été"));
}

/* ---- link tokens ---- */

static int
setup_sodium(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void
token_mac_verifies_only_its_message_and_key(void **state)
{
    (void)state;
    unsigned char k1[TOKEN_KEY_BYTES], k2[TOKEN_KEY_BYTES];
    memset(k1, 0x11, sizeof(k1));
    memset(k2, 0x11, sizeof(k2));
    k2[31] = 0x12;
    char a[TOKEN_MAC_CHARS + 1], b[TOKEN_MAC_CHARS + 1];

    token_mac(k1, "confirm:42:1700000000", a);
    token_mac(k1, "confirm:42:1700000000", b);
    assert_int_equal(strlen(a), TOKEN_MAC_CHARS);
    assert_string_equal(a, b);

    token_mac(k1, "confirm:43:1700000000", b);
    assert_string_not_equal(a, b);
    token_mac(k2, "confirm:42:1700000000", b);
    assert_string_not_equal(a, b);

    assert_true(token_check(k1, "confirm:42:1700000000", a));
    assert_false(token_check(k2, "confirm:42:1700000000", a));
    assert_false(token_check(k1, "confirm:42:1700000001", a));
    assert_false(token_check(k1, "confirm:42:1700000000", NULL));
    assert_false(token_check(k1, "confirm:42:1700000000", ""));

    char changed[TOKEN_MAC_CHARS + 1];
    memcpy(changed, a, sizeof(changed));
    changed[10] = changed[10] == 'A' ? 'B' : 'A';
    assert_false(token_check(k1, "confirm:42:1700000000", changed));
    changed[10] = a[10];
    changed[TOKEN_MAC_CHARS - 1] = '\0'; /* one character short */
    assert_false(token_check(k1, "confirm:42:1700000000", changed));
}

static void
token_random_hex_is_lower_case_and_fresh(void **state)
{
    (void)state;
    char a[65], b[65];
    token_random_hex(a, 32);
    token_random_hex(b, 32);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strlen(b), 64);
    for (int i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", a[i]));
    assert_string_not_equal(a, b);
}

static void
token_key_from_hex_round_trips_and_refuses_bad_hex(void **state)
{
    (void)state;
    unsigned char key[TOKEN_KEY_BYTES];
    for (int i = 0; i < TOKEN_KEY_BYTES; i++)
        key[i] = (unsigned char)(i * 7 + 3);
    char hex[2 * TOKEN_KEY_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));

    unsigned char back[TOKEN_KEY_BYTES];
    assert_int_equal(token_key_from_hex(hex, back), 0);
    assert_memory_equal(back, key, sizeof(key));

    char upper[2 * TOKEN_KEY_BYTES + 1];
    for (size_t i = 0; i < sizeof(upper); i++)
        upper[i] = (hex[i] >= 'a' && hex[i] <= 'f') ? (char)(hex[i] - 'a' + 'A') : hex[i];
    assert_int_equal(token_key_from_hex(upper, back), 0);
    assert_memory_equal(back, key, sizeof(key));

    char short63[2 * TOKEN_KEY_BYTES];
    memcpy(short63, hex, 63);
    short63[63] = '\0';
    assert_int_equal(token_key_from_hex(short63, back), -1);

    char nonhex[2 * TOKEN_KEY_BYTES + 1];
    memcpy(nonhex, hex, sizeof(nonhex));
    nonhex[17] = 'g';
    assert_int_equal(token_key_from_hex(nonhex, back), -1);
    assert_int_equal(token_key_from_hex(NULL, back), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(email_valid_accepts_ordinary_addresses),
        cmocka_unit_test(email_valid_refuses_malformed_addresses),
        cmocka_unit_test(email_valid_stops_at_254_bytes),
        cmocka_unit_test(email_key_counts_one_gmail_person_once),
        cmocka_unit_test(email_key_keeps_local_part_outside_gmail),
        cmocka_unit_test(email_key_folds_the_case_of_the_whole_address),
        cmocka_unit_test(email_key_refuses_invalid_addresses),
        cmocka_unit_test(email_account_key_lower_cases_everything),
        cmocka_unit_test(check_line_requires_only_when_asked),
        cmocka_unit_test(check_line_counts_characters_not_bytes),
        cmocka_unit_test(check_line_refuses_invalid_utf8),
        cmocka_unit_test(check_text_allows_new_lines_check_line_does_not),
        cmocka_unit_test(check_line_refuses_spreadsheet_formulas),
        cmocka_unit_test(check_line_refuses_spaces_around),
        cmocka_unit_test(person_check_accepts_a_complete_canadian_petitioner),
        cmocka_unit_test(person_check_requires_province_in_canada),
        cmocka_unit_test(person_check_postal_code_must_fit_province),
        cmocka_unit_test(person_check_outside_canada_has_no_province_and_free_postal_code),
        cmocka_unit_test(person_check_phone_needs_seven_to_fifteen_digits),
        cmocka_unit_test(person_check_needs_both_declarations),
        cmocka_unit_test(country_is_canada_in_any_case_with_spaces),
        cmocka_unit_test(draft_check_accepts_a_complete_draft),
        cmocka_unit_test(draft_check_refuses_251_words_on_the_prayer),
        cmocka_unit_test(draft_check_counts_grievances_and_prayer_together),
        cmocka_unit_test(draft_check_refuses_web_references_where_they_are),
        cmocka_unit_test(draft_check_submitting_needs_prayer_period_and_member),
        cmocka_unit_test(draft_check_saving_allows_missing_parts),
        cmocka_unit_test(draft_check_period_must_be_allowed),
        cmocka_unit_test(draft_check_minister_addressee_needs_ministry),
        cmocka_unit_test(draft_field_names_count_from_one),
        cmocka_unit_test(supporters_check_needs_five_at_submission),
        cmocka_unit_test(supporters_check_refuses_a_duplicate_by_normalised_key),
        cmocka_unit_test(supporters_check_refuses_the_petitioner),
        cmocka_unit_test(supporters_check_refuses_more_than_twenty),
        cmocka_unit_test(supporters_check_a_named_supporter_needs_names_and_address),
        cmocka_unit_test(supporters_expire_thirty_days_after_submission),
        cmocka_unit_test(member_lapses_thirty_days_after_being_asked),
        cmocka_unit_test(fifth_member_refusal_abandons),
        cmocka_unit_test(review_warns_at_ten_days_overdue_at_fifteen),
        cmocka_unit_test(only_drafts_and_returned_drafts_are_editable),
        cmocka_unit_test(withdrawal_only_before_certification),
        cmocka_unit_test(final_states_are_not_active),
        cmocka_unit_test(hidden_reject_reasons_and_labels),
        cmocka_unit_test(role_names_round_trip),
        cmocka_unit_test(passwords_are_ten_to_256_bytes_of_utf8),
        cmocka_unit_test(token_mac_verifies_only_its_message_and_key),
        cmocka_unit_test(token_random_hex_is_lower_case_and_fresh),
        cmocka_unit_test(token_key_from_hex_round_trips_and_refuses_bad_hex),
    };
    return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
