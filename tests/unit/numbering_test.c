/*
 * numbering_test.c: petition numbers e-NNNN and presented numbers
 * PPS-NNNNN (rulebook 6).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/numbering.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static void
e_number_round_trips(void **state)
{
    (void)state;
    long n;
    struct strbuf sb;
    assert_int_equal(e_number_parse("e-2829", 6, &n, NULL), 0);
    assert_int_equal(n, 2829);
    assert_int_equal(e_number_parse("E-2829", 6, &n, NULL), 0);
    assert_int_equal(n, 2829);
    sb_init(&sb, NULL);
    e_number_format(&sb, 2829);
    assert_string_equal(sb.buf, "e-2829");
    sb_release(&sb);
}

static void
e_number_refuses_what_is_not_one(void **state)
{
    (void)state;
    long n;
    struct err e = ERR_INIT;
    const char *bad[] = {"e-", "e-0", "e-01", "e-12a", "2829", "e2829", "e-12345678", "f-1",
                         "e--1", "e- 1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (e_number_parse(bad[i], strlen(bad[i]), &n, &e) != ERR_INVALID)
            fail_msg("accepted %s", bad[i]);
    assert_string_equal(e.key, "error.petition_number");
}

static void
presented_number_is_parliament_session_sequence(void **state)
{
    (void)state;
    struct presented_number p;
    struct strbuf sb;
    assert_int_equal(presented_number_parse("432-00158", 9, &p, NULL), 0);
    assert_int_equal(p.parliament, 43);
    assert_int_equal(p.session, 2);
    assert_int_equal(p.sequence, 158);
    sb_init(&sb, NULL);
    presented_number_format(&sb, &p);
    assert_string_equal(sb.buf, "432-00158");
    sb_reset(&sb);
    struct presented_number first = {44, 1, 1};
    presented_number_format(&sb, &first);
    assert_string_equal(sb.buf, "441-00001");
    sb_release(&sb);
}

static void
presented_number_refuses_bad_forms(void **state)
{
    (void)state;
    struct presented_number p;
    const char *bad[] = {"432-0158", "43-00158", "432-00000", "4320-0158", "430-00158",
                         "002-00001", "432_00158", "432-0015a", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (presented_number_parse(bad[i], strlen(bad[i]), &p, NULL) != ERR_INVALID)
            fail_msg("accepted %s", bad[i]);
}

static void
either_form_is_recognised(void **state)
{
    (void)state;
    struct petition_number n;
    assert_int_equal(petition_number_parse("e-2829", 6, &n, NULL), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_E);
    assert_int_equal(n.e_number, 2829);
    assert_int_equal(petition_number_parse("441-01211", 9, &n, NULL), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_PRESENTED);
    assert_int_equal(n.pps.sequence, 1211);
    assert_int_equal(petition_number_parse("foo", 3, &n, NULL), ERR_INVALID);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e_number_round_trips),
        cmocka_unit_test(e_number_refuses_what_is_not_one),
        cmocka_unit_test(presented_number_is_parliament_session_sequence),
        cmocka_unit_test(presented_number_refuses_bad_forms),
        cmocka_unit_test(either_form_is_recognised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
