/*
 * search.h: what a visitor types into the search box, read as the House's
 * numbers or as the words to look for.
 *
 * The search box takes either a petition number ("e-2829", "E-2829",
 * "432-00158", with spaces around it) that leads straight to its page, or
 * words found in any public text of a petition, in either language.  A
 * word here is what the store's index keeps as a token: a run of letters
 * and digits (words.h decides which code points are letters, by blocks);
 * everything else (spaces, punctuation, quotes, symbols, emoji, malformed
 * bytes) only separates words.  So no character typed can carry a
 * meaning of its own into a query language: "NEAR(", "-", ":", "*" and
 * '"' are separators like a space.  Case and accents are left as typed;
 * the index ignores both.
 *
 * Both functions are pure and thread-safe; search_terms points into the
 * text it was given and lives as long as that text.
 */
#ifndef PETITIOND_SEARCH_H
#define PETITIOND_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/numbering.h"

/* More words than any petition title needs; the rest of a longer text is
 * not searched (the search box also stops at 200 characters). */
enum { SEARCH_TERMS_MAX = 32 };

struct search_terms {
    const char *term[SEARCH_TERMS_MAX]; /* not NUL-terminated: term[i], len[i] */
    size_t len[SEARCH_TERMS_MAX];
    int count;      /* 0: nothing to look for */
    bool truncated; /* words after the SEARCH_TERMS_MAX-th were dropped */
};

/* Split the len bytes at s (UTF-8; may be NULL when len is 0) into its
 * words, in order, into *out.  Never fails. */
void search_terms_split(const char *s, size_t len, struct search_terms *out);

/* The petition number the text is, ignoring ASCII white space around it:
 * 0 with *out set, or ERR_INVALID when the text is anything else (words,
 * a malformed number, nothing). */
int search_number(const char *s, size_t len, struct petition_number *out);

#endif
