/*
 * words.h: the 250-word rule, counted as the House counts.
 *
 * The House counts the grievances ("whereas" clauses) and the prayer
 * together.  A word is a maximal run of characters that are not white
 * space (ASCII white space, U+0085, U+00A0 no-break space, U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+202F narrow no-break space, U+205F,
 * U+3000) and that holds at least one letter or digit; a run of
 * punctuation alone ("-", "–", "—", "•", "«", "»") is not a word.  So
 * "Lukashenko’s" is one word, "2020," is one, "1." is one, "well-being"
 * is one, and so is "this—that" (no space around the dash); "a — b" is
 * two.  Published petition e-2829 counts 244.
 *
 * Its functions are pure and thread-safe; they keep no pointer.
 */
#ifndef PETITIOND_WORDS_H
#define PETITIOND_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* Words in the len bytes of UTF-8 text at s (s may be NULL when len is
 * 0).  Each malformed byte counts as a letter, so malformed text cannot
 * slip under the limit. */
size_t words_count(const char *s, size_t len);

/* Words in all n texts together (grievances then prayer): the sum of
 * words_count() over texts[i], lens[i].  The end of one text always ends
 * a word. */
size_t words_count_all(const char *const *texts, const size_t *lens, size_t n);

/* True when words_count() takes the code point cp for a letter or a digit
 * (decided by blocks; see words.c).  The search box (search.h) cuts words
 * with it too. */
bool words_is_letter(unsigned cp);

#endif
