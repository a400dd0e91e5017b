/*
 * words_test.c: the 250-word rule counted as the House counts
 * (grievances and prayer together; a word is a run without white space
 * that holds a letter or a digit).
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

/* Petition e-2829 as published (seed 003_64bb1be8ca733b70.txt): the three
 * clauses after "Whereas:" without their bullets, then the prayer from
 * "We, the undersigned" through item 8, quoted exactly. */
static const char *const e2829[] = {
    "The August 9, 2020, Presidential election in Belarus became one of the dirtiest rigged "
    "elections;",
    "Dictator Lukashenko’s regime brutally suppressed the ensuing nationwide peaceful protests "
    "with rubber bullets, tear gas, water cannons, and stun grenades; and",
    "The repression resulted in over 7,000 unlawful detentions, four confirmed deaths (one caused "
    "by use of fire arms), and 89 cases of missing people.",
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
    /* 15 + 21 + 24 words of grievance, 184 of prayer (its item numbers
     * "1." to "8." count as words). */
    assert_int_equal(count(e2829[0]), 15);
    assert_int_equal(count(e2829[1]), 21);
    assert_int_equal(count(e2829[2]), 24);
    assert_int_equal(count(e2829[3]), 184);
}

static void
e2829_counts_the_same_with_its_bullets(void **state)
{
    (void)state;
    /* The clauses as shown, bullets included; a bullet is not a word. */
    char shown[1024] = "";
    size_t used = 0;
    for (int i = 0; i < 3; i++) {
        const char *parts[] = {"  \xe2\x80\xa2 ", e2829[i], "\n"};
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(parts[k]);
            assert_true(used + n < sizeof(shown));
            memcpy(shown + used, parts[k], n + 1);
            used += n;
        }
    }
    assert_int_equal(count(shown), 15 + 21 + 24);
}

static void
empty_and_blank_texts_have_no_words(void **state)
{
    (void)state;
    assert_int_equal(words_count(NULL, 0), 0);
    assert_int_equal(count(""), 0);
    assert_int_equal(count("   \n\t\r\n "), 0);
    assert_int_equal(count("\xc2\xa0\xe2\x80\xaf\xe3\x80\x80"), 0);
    assert_int_equal(words_count_all(NULL, NULL, 0), 0);
}

static void
a_word_is_a_run_without_white_space_holding_a_letter_or_digit(void **state)
{
    (void)state;
    assert_int_equal(count("one"), 1);
    assert_int_equal(count("  one  "), 1);
    assert_int_equal(count("one two  three\nfour\tfive"), 5);
    assert_int_equal(count("Lukashenko’s"), 1);
    assert_int_equal(count("7,000 2020, 1. 89"), 4);
    assert_int_equal(count("Québec, Montréal, Île-du-Prince-Édouard"), 3);
    assert_int_equal(count("(one) \"two\" «trois»"), 3);
    assert_int_equal(count("U.S. e.g. $600,000 50%"), 4);
    assert_int_equal(count("½ ² µ"), 3);
}

static void
hyphenated_words_are_one_word(void **state)
{
    (void)state;
    assert_int_equal(count("well-being"), 1);
    assert_int_equal(count("co-operation gender-based"), 2);
    assert_int_equal(count("Terre-Neuve-et-Labrador"), 1);
    assert_int_equal(count("well- being"), 2);
    assert_int_equal(count("mother-in-law’s"), 1);
}

static void
a_dash_or_bullet_standing_alone_is_not_a_word(void **state)
{
    (void)state;
    assert_int_equal(count("\xe2\x80\x94"), 0);     /* em dash alone */
    assert_int_equal(count("a \xe2\x80\x94 b"), 2); /* a — b */
    assert_int_equal(count("a \xe2\x80\x93 b"), 2); /* a – b */
    assert_int_equal(count("a - b -- c"), 3);
    assert_int_equal(count("\xe2\x80\xa2 item"), 1); /* • item */
    assert_int_equal(count("( ) ; : ! ? ... \xe2\x80\xa6 *"), 0);
    assert_int_equal(count("« » \xe2\x80\x9c \xe2\x80\x9d"), 0);
}

static void
words_joined_by_a_dash_without_spaces_are_one_word(void **state)
{
    (void)state;
    assert_int_equal(count("this\xe2\x80\x94that"), 1); /* this—that */
    assert_int_equal(count("this \xe2\x80\x94that"), 2);
    assert_int_equal(count("\xe2\x80\x94that"), 1);
}

static void
no_break_and_other_unicode_spaces_separate_words(void **state)
{
    (void)state;
    assert_int_equal(count("a\xc2\xa0"
                           "b"),
                     2); /* U+00A0 no-break space */
    assert_int_equal(count("a\xe2\x80\xaf"
                           "b"),
                     2); /* U+202F narrow no-break space */
    assert_int_equal(count("a\xe2\x80\x83"
                           "b"),
                     2); /* U+2003 em space */
    assert_int_equal(count("a\xe2\x80\xa8"
                           "b"),
                     2); /* U+2028 line separator */
    assert_int_equal(count("a\xe3\x80\x80"
                           "b"),
                     2); /* U+3000 ideographic space */
    /* French spacing: a no-break space before ; and inside guillemets. */
    assert_int_equal(count("la pétition\xc2\xa0; «\xc2\xa0"
                           "oui\xc2\xa0»"),
                     3);
    /* A zero-width space is not white space: the run goes on. */
    assert_int_equal(count("a\xe2\x80\x8b"
                           "b"),
                     1);
}

static void
invalid_utf8_counts_as_letters(void **state)
{
    (void)state;
    assert_int_equal(count("\xff"), 1);
    assert_int_equal(count("\xff\xfe \xc0"), 2);
    assert_int_equal(count("- \xff -"), 1);
    assert_int_equal(count("\xe2\x80"), 1); /* a truncated dash is not a dash */
    assert_int_equal(count("\xc0\xa0"), 1); /* an overlong space is not a space */
    assert_int_equal(count("a\xc0\xa0"
                           "b"),
                     1);
    assert_int_equal(count("\xed\xa0\x80"), 1); /* a surrogate */
    assert_int_equal(count("\x80 \xbf"), 2);    /* stray continuation bytes */
}

static void
each_text_ends_its_last_word(void **state)
{
    (void)state;
    const char *texts[] = {"grievance", "prayer", "", "- \xe2\x80\x94"};
    size_t lens[] = {9, 6, 0, 5};
    assert_int_equal(words_count_all(texts, lens, 4), 2);
    /* Only the len bytes are read. */
    assert_int_equal(words_count("one two three", 7), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(e2829_counts_244_words_grievances_and_prayer_together),
        cmocka_unit_test(e2829_counts_the_same_with_its_bullets),
        cmocka_unit_test(empty_and_blank_texts_have_no_words),
        cmocka_unit_test(a_word_is_a_run_without_white_space_holding_a_letter_or_digit),
        cmocka_unit_test(hyphenated_words_are_one_word),
        cmocka_unit_test(a_dash_or_bullet_standing_alone_is_not_a_word),
        cmocka_unit_test(words_joined_by_a_dash_without_spaces_are_one_word),
        cmocka_unit_test(no_break_and_other_unicode_spaces_separate_words),
        cmocka_unit_test(invalid_utf8_counts_as_letters),
        cmocka_unit_test(each_text_ends_its_last_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
