/*
 * words_test.c: the 250-word rule counted as the House counts
 * (grievances and prayer together).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/words.h"
#include "lib/banned.h"

static size_t
count(const char *s)
{
    return words_count(s, strlen(s));
}

/* Petition e-2829 as published (seed 003): its three whereas clauses and
 * its prayer with eight requests. */
static const char *const e2829[] = {
    "The August 9, 2020, Presidential election in Belarus became one of the dirtiest rigged "
    "elections;",
    "Dictator Lukashenko’s regime brutally suppressed the ensuing nationwide peaceful protests "
    "with rubber bullets, tear gas, water cannons, and stun grenades; and",
    "The repression resulted in over 7,000 unlawful detentions, four confirmed deaths (one "
    "caused by use of fire arms), and 89 cases of missing people.",
    "We, the undersigned, Canadians and permanent residents of Canada, call upon the Government "
    "of Canada to:\n"
    "1. Demand that Belarusian officials free all political prisoners;\n"
    "2. Demand that dictator Lukashenko resign immediately;\n"
    "3. Demand that a proper investigation be conducted into the atrocities committed in the "
    "streets and in Belarusian detention centres (violent beatings, torture, rape, denial of "
    "medical care);\n"
    "4. Demand that Belarusian officials immediately stop repression against any individuals and "
    "organizations that started industrial action, and against any citizens opposed to the "
    "Lukashenko regime;\n"
    "5. Adopt the Magnitsky Act for Belarus that would include all persons involved in the "
    "repression, abductions, torture, murders, dismissals, threats of removal of children from "
    "families, as well as the persons involved in falsifying the 2020 election results;\n"
    "6. Appeal to the UN Security Council to refer Lukashenko and his regime to the International "
    "Criminal Court for crimes against humanity;\n"
    "7. Support the democratic movement and its activists within Belarus by all acceptable means, "
    "and support the democratic initiatives of Belarusians abroad; and\n"
    "8. Prevent Russia’s interference in the conflict between Belarusian society and the "
    "Lukashenko regime.",
};

static void
e2829_counts_244_words_grievances_and_prayer_together(void **state)
{
    (void)state;
    size_t lens[4];
    for (int i = 0; i < 4; i++)
        lens[i] = strlen(e2829[i]);
    assert_int_equal(words_count_all(e2829, lens, 4), 244);
    assert_int_equal(count(e2829[0]) + count(e2829[1]) + count(e2829[2]) + count(e2829[3]), 244);
}

static void
a_word_is_a_run_without_spaces_holding_a_letter_or_digit(void **state)
{
    (void)state;
    assert_int_equal(count(""), 0);
    assert_int_equal(count("   \n\t "), 0);
    assert_int_equal(count("one"), 1);
    assert_int_equal(count("one two  three\nfour"), 4);
    assert_int_equal(count("well-being"), 1);
    assert_int_equal(count("Lukashenko’s"), 1);
    assert_int_equal(count("7,000 2020, 1."), 3);
    assert_int_equal(count("Québec, Montréal"), 2);
}

static void
punctuation_alone_is_not_a_word(void **state)
{
    (void)state;
    assert_int_equal(count("a - b"), 2);
    assert_int_equal(count("a — b – c"), 3);
    assert_int_equal(count("• item"), 1);
    assert_int_equal(count("( ) ; : ! ?"), 0);
    assert_int_equal(count("\"quoted\""), 1);
}

static void
no_break_and_unicode_spaces_separate_words(void **state)
{
    (void)state;
    assert_int_equal(count("a\xc2\xa0" "b"), 2);       /* U+00A0 */
    assert_int_equal(count("a\xe2\x80\xaf" "b"), 2);   /* U+202F */
    assert_int_equal(count("a\xe3\x80\x80" "b"), 2);   /* U+3000 */
    assert_int_equal(count("a\xe2\x80\x83" "b"), 2);   /* U+2003 */
}

static void
invalid_utf8_counts_as_letters(void **state)
{
    (void)state;
    assert_int_equal(count("\xff\xfe \xc0"), 2);
    assert_int_equal(count("- \xff -"), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e2829_counts_244_words_grievances_and_prayer_together),
        cmocka_unit_test(a_word_is_a_run_without_spaces_holding_a_letter_or_digit),
        cmocka_unit_test(punctuation_alone_is_not_a_word),
        cmocka_unit_test(no_break_and_unicode_spaces_separate_words),
        cmocka_unit_test(invalid_utf8_counts_as_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
