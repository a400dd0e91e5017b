/*
 * search_test.c: the search box read as a petition number or as words
 * (core/search.h), and the words written as an FTS5 query by the SQLite
 * backend (sq_fts5_query_build, store/sqlite/sqlite.h): accents and case
 * kept for the index to fold, punctuation and FTS5 syntax only separating
 * words, every word a quoted string, the last a prefix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/search.h"
#include "lib/strbuf.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

static struct search_terms
split(const char *s)
{
    struct search_terms t;
    search_terms_split(s, strlen(s), &t);
    return t;
}

/* The FTS5 query of s, heap-allocated; free() it. */
static char *
fts(const char *s)
{
    struct search_terms t = split(s);
    struct strbuf sb;
    sb_init(&sb, NULL);
    sq_fts5_query_build(&sb, &t);
    assert_false(sb_failed(&sb));
    return sb_detach(&sb, NULL);
}

static void
assert_fts(const char *typed, const char *want)
{
    char *got = fts(typed);
    assert_string_equal(got, want);
    free(got);
}

static void
words_are_runs_of_letters_and_digits(void **state)
{
    (void)state;
    struct search_terms t = split("  sanctions contre le Bélarus ");
    assert_int_equal(t.count, 4);
    assert_false(t.truncated);
    assert_int_equal(t.len[0], strlen("sanctions"));
    assert_memory_equal(t.term[0], "sanctions", t.len[0]);
    assert_memory_equal(t.term[3], "Bélarus", t.len[3]); /* accents kept for the index */
    assert_int_equal(t.len[3], strlen("Bélarus"));

    /* Hyphens, apostrophes (straight and curly) and dashes separate. */
    t = split("Tremblay-Moreau l’ONU l'ONU this—that");
    assert_int_equal(t.count, 8);
    assert_memory_equal(t.term[1], "Moreau", 6);
    assert_memory_equal(t.term[3], "ONU", 3);
    assert_memory_equal(t.term[7], "that", 4);

    /* Digits are words: a number not published is searched as words. */
    t = split("e-999999");
    assert_int_equal(t.count, 2);
    assert_memory_equal(t.term[1], "999999", 6);
}

static void
punctuation_alone_is_no_word(void **state)
{
    (void)state;
    const char *empty[] = {"",        "   ",    "\"", "*",    "-",  ":",     "()",
                           "« » — …", "\"\"\"", "^+", "🙂", "🇨🇦", "❤️"};
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        struct search_terms t = split(empty[i]);
        if (t.count != 0)
            fail_msg("\"%s\" gave %d words", empty[i], t.count);
    }
    struct search_terms t = split("belarus 🙂 *");
    assert_int_equal(t.count, 1);
    /* A malformed byte separates words too. */
    t = split("bel\377arus");
    assert_int_equal(t.count, 2);
}

static void
fts5_syntax_is_only_a_separator(void **state)
{
    (void)state;
    assert_fts("NEAR(belarus russia, 2)", "\"NEAR\" AND \"belarus\" AND \"russia\" AND \"2\"*");
    assert_fts("title_en:belarus", "\"title\" AND \"en\" AND \"belarus\"*");
    assert_fts("-russia", "\"russia\"*");
    assert_fts("\"unbalanced", "\"unbalanced\"*");
    assert_fts("a OR b NOT c AND d",
               "\"a\" AND \"OR\" AND \"b\" AND \"NOT\" AND \"c\" AND \"AND\" AND \"d\"*");
    assert_fts("{number title} : x^", "\"number\" AND \"title\" AND \"x\"*");
    assert_fts("***", "");
}

static void
every_word_is_a_string_and_the_last_a_prefix(void **state)
{
    (void)state;
    assert_fts("quebec", "\"quebec\"*");
    assert_fts("Sanctions contre le Bélarus",
               "\"Sanctions\" AND \"contre\" AND \"le\" AND \"Bélarus\"*");
    /* A '"' in a word (search_terms_split never makes one) is doubled. */
    struct search_terms t = {.count = 1, .term = {"a\"b"}, .len = {3}};
    struct strbuf sb;
    sb_init(&sb, NULL);
    sq_fts5_query_build(&sb, &t);
    assert_string_equal(sb.buf, "\"a\"\"b\"*");
    sb_release(&sb);
}

static void
at_most_32_words_are_searched(void **state)
{
    (void)state;
    char text[40 * 5 + 1];
    for (int i = 0; i < 40; i++)
        memcpy(text + i * 5, "word ", 5);
    text[40 * 5] = '\0';
    struct search_terms t = split(text);
    assert_int_equal(t.count, SEARCH_TERMS_MAX);
    assert_true(t.truncated);
}

static void
a_petition_number_with_spaces_around_it(void **state)
{
    (void)state;
    struct petition_number n;
    assert_int_equal(search_number("e-2829", 6, &n), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_E);
    assert_int_equal(n.e_number, 2829);
    assert_int_equal(search_number("  E-2829\t", 9, &n), 0);
    assert_int_equal(n.e_number, 2829);
    assert_int_equal(search_number(" 432-00158 ", 11, &n), 0);
    assert_int_equal(n.kind, PETITION_NUMBER_PRESENTED);
    assert_int_equal(n.pps.parliament, 43);
    assert_int_equal(n.pps.session, 2);
    assert_int_equal(n.pps.sequence, 158);

    const char *words[] = {"",        "   ",     "e-",  "e-2829 belarus", "belarus", "e 2829",
                           "e-02829", "432-158", "2829"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (search_number(words[i], strlen(words[i]), &n) == 0)
            fail_msg("\"%s\" read as a number", words[i]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_are_runs_of_letters_and_digits),
        cmocka_unit_test(punctuation_alone_is_no_word),
        cmocka_unit_test(fts5_syntax_is_only_a_separator),
        cmocka_unit_test(every_word_is_a_string_and_the_last_a_prefix),
        cmocka_unit_test(at_most_32_words_are_searched),
        cmocka_unit_test(a_petition_number_with_spaces_around_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
