/*
 * words.h: the 250-word rule, counted as the House counts.
 *
 * The House counts the grievances ("whereas" clauses) and the prayer
 * together.  A word is a maximal run of characters that are not white
 * space (ASCII white space, U+00A0 no-break space, U+2000..U+200A,
 * U+2028, U+2029, U+202F, U+205F, U+3000) and that holds at least one
 * letter or digit; a run of punctuation alone ("-", "–", "•") is not a
 * word.  So "Lukashenko’s" is one word, "2020," is one, "1." is one and
 * "well-being" is one.  Published petition e-2829 counts 244.
 */
#ifndef PETITIOND_WORDS_H
#define PETITIOND_WORDS_H

#include <stddef.h>

/* Words in the len bytes of UTF-8 text at s (invalid bytes count as
 * letters, so malformed text cannot slip under the limit). */
size_t words_count(const char *s, size_t len);

/* Words in all n texts together (grievances then prayer). */
size_t words_count_all(const char *const *texts, const size_t *lens, size_t n);

#endif
