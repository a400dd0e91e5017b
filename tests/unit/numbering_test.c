/*
 * numbering_test.c: petition numbers e-NNNN and presented numbers
 * PPS-NNNNN (rulebook 6).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/numbering.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static void
e2829_round_trips(void **state)
{
    (void)state;
    long n = 0;
    struct strbuf sb;
    assert_int_equal(e_number_parse("e-2829", 6, &n, NULL), 0);
    assert_int_equal(n, 2829);
    sb_init(&sb, NULL);
    e_number_format(&sb, n);
    assert_string_equal(sb.buf, "e-2829");
    sb_release(&sb);
}

static void
e_numbers_accept_a_capital_e_and_are_written_lower_case(void **state)
{
    (void)state;
    long n = 0;
    struct strbuf sb;
    assert_int_equal(e_number_parse("E-2829", 6, &n, NULL), 0);
    assert_int_equal(n, 2829);
    sb_init(&sb, NULL);
    e_number_format(&sb, n);
    assert_string_equal(sb.buf, "e-2829");
    sb_release(&sb);
}

static void
e_numbers_run_from_1_to_9999999(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long n;
    } ok[] = {{"e-1", 1}, {"e-983", 983}, {"e-4904", 4904}, {"e-9999999", 9999999}};
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        long n = 0;
        struct strbuf sb;
        assert_int_equal(e_number_parse(ok[i].text, strlen(ok[i].text), &n, NULL), 0);
        assert_int_equal(n, ok[i].n);
        sb_init(&sb, NULL);
        e_number_format(&sb, n);
        assert_string_equal(sb.buf, ok[i].text);
        sb_release(&sb);
    }
}

static void
e_number_refuses_what_is_not_one(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "e-",   "e-0",  "e-01", "e-12a", "2829", "e2829", "e-12345678", "e-10000000", "f-1", "e--1",
        "e- 1", "e-+1", "-1",   " e-1",  "e-1 ", "e_1",   "e-2829e",    "",           "e",   "é-1",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        long n = 42;
        struct err e = ERR_INIT;
        if (e_number_parse(bad[i], strlen(bad[i]), &n, &e) != ERR_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.key, "error.petition_number");
        assert_int_equal(n, 42); /* untouched */
    }
}

static void
presented_number_is_parliament_session_sequence(void **state)
{
    (void)state;
    struct presented_number p = {0, 0, 0};
    struct strbuf sb;
    assert_int_equal(presented_number_parse("432-00158", 9, &p, NULL), 0);
    assert_int_equal(p.parliament, 43);
    assert_int_equal(p.session, 2);
    assert_int_equal(p.sequence, 158);
    sb_init(&sb, NULL);
    presented_number_format(&sb, &p);
    assert_string_equal(sb.buf, "432-00158");
    sb_release(&sb);
}

static void
presented_numbers_restart_at_00001_and_keep_their_zeros(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        struct presented_number n;
    } ok[] = {
        {"441-00001", {44, 1, 1}}, {"421-01929", {42, 1, 1929}},  {"432-00808", {43, 2, 808}},
        {"011-00001", {1, 1, 1}},  {"999-99999", {99, 9, 99999}},
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        struct presented_number p;
        struct strbuf sb;
        assert_int_equal(presented_number_parse(ok[i].text, 9, &p, NULL), 0);
        assert_int_equal(p.parliament, ok[i].n.parliament);
        assert_int_equal(p.session, ok[i].n.session);
        assert_int_equal(p.sequence, ok[i].n.sequence);
        sb_init(&sb, NULL);
        presented_number_format(&sb, &ok[i].n);
        assert_string_equal(sb.buf, ok[i].text);
        sb_release(&sb);
    }
}

static void
presented_number_refuses_bad_forms(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "432-0158",  "43-00158",   "432-00000",  "4320-0158", "430-00158", "002-00001",
        "432_00158", "432-0015a",  "",           "432-",      "-00158",    "432-001580",
        "43200158",  " 432-00158", "432-00158 ", "e-432",     "4a2-00158", "432--0158",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct presented_number p = {7, 7, 7};
        struct err e = ERR_INIT;
        if (presented_number_parse(bad[i], strlen(bad[i]), &p, &e) != ERR_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.key, "error.petition_number");
        assert_int_equal(p.sequence, 7); /* untouched */
    }
}

static void
either_form_is_recognised(void **state)
{
    (void)state;
    struct petition_number n;
    assert_int_equal(petition_number_parse("e-2829", 6, &n, NULL), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_E);
    assert_int_equal(n.e_number, 2829);
    assert_int_equal(petition_number_parse("E-983", 5, &n, NULL), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_E);
    assert_int_equal(n.e_number, 983);
    assert_int_equal(petition_number_parse("432-00158", 9, &n, NULL), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_PRESENTED);
    assert_int_equal(n.pps.parliament, 43);
    assert_int_equal(n.pps.session, 2);
    assert_int_equal(n.pps.sequence, 158);
}

static void
what_is_neither_form_is_refused_with_its_key(void **state)
{
    (void)state;
    static const char *const bad[] = {"foo", "", "e-0", "432-00000", "2829", "e-2829 "};
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct petition_number n;
        struct err e = ERR_INIT;
        if (petition_number_parse(bad[i], strlen(bad[i]), &n, &e) != ERR_INVALID)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_string_equal(e.key, "error.petition_number");
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e2829_round_trips),
        cmocka_unit_test(e_numbers_accept_a_capital_e_and_are_written_lower_case),
        cmocka_unit_test(e_numbers_run_from_1_to_9999999),
        cmocka_unit_test(e_number_refuses_what_is_not_one),
        cmocka_unit_test(presented_number_is_parliament_session_sequence),
        cmocka_unit_test(presented_numbers_restart_at_00001_and_keep_their_zeros),
        cmocka_unit_test(presented_number_refuses_bad_forms),
        cmocka_unit_test(either_form_is_recognised),
        cmocka_unit_test(what_is_neither_form_is_refused_with_its_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
