/*
 * search.c: the search box read as a petition number or as words; see
 * search.h.
 *
 * Words are cut the way SQLite's unicode61 tokenizer cuts the indexed
 * text (letters and digits make tokens, anything else separates them),
 * so each word the store looks up is one the index can hold: a run of
 * punctuation alone would become an empty phrase that matches nothing
 * and, joined with AND, would hide every result.  Letters are decided by
 * words_is_letter() (blocks, not a Unicode table), minus the pictographic
 * blocks (emoji) and variation selectors, which the tokenizer never keeps.
 */
#include "core/search.h"

#include "core/words.h"
#include "lib/err.h"
#include "lib/utf8.h"
#include "lib/banned.h"

static bool
is_term_char(unsigned cp)
{
    if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0xE0000 && cp <= 0xE007F))
        return false;
    return words_is_letter(cp);
}

void
search_terms_split(const char *s, size_t len, struct search_terms *out)
{
    size_t i = 0, start = 0;
    bool in_term = false;

    out->count = 0;
    out->truncated = false;
    while (i <= len) {
        unsigned cp = 0;
        size_t n = 0;
        bool letter = false;
        if (i < len) {
            n = utf8_decode(s + i, len - i, &cp);
            if (n == 0)
                n = 1; /* a malformed byte separates words */
            else
                letter = is_term_char(cp);
        }
        if (letter && !in_term) {
            in_term = true;
            start = i;
        } else if (!letter && in_term) {
            in_term = false;
            if (out->count == SEARCH_TERMS_MAX) {
                out->truncated = true;
                return;
            }
            out->term[out->count] = s + start;
            out->len[out->count] = i - start;
            out->count++;
        }
        if (i == len)
            break;
        i += n;
    }
}

static bool
is_ascii_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int
search_number(const char *s, size_t len, struct petition_number *out)
{
    while (len > 0 && is_ascii_space(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_ascii_space(s[len - 1]))
        len--;
    if (len == 0)
        return ERR_INVALID;
    return petition_number_parse(s, len, out, NULL);
}
