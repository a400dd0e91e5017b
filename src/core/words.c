/*
 * words.c: the House's 250-word count; see words.h for what a word is.
 */
#include "core/words.h"

#include <stdbool.h>

#include "lib/utf8.h"
#include "lib/banned.h"

static bool
is_space(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* Letters and digits: ASCII alphanumerics, and every other code point but
 * the punctuation and symbol blocks a petition may hold (Latin-1
 * punctuation, general punctuation such as – — ’ •, currency, arrows and
 * mathematical and technical symbols, box drawing and dingbats, CJK
 * punctuation). */
static bool
is_wordish(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (cp >= 0x80 && cp <= 0xBF)
        return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 ||
               cp == 0xBA || (cp >= 0xBC && cp <= 0xBE);
    if (cp == 0xD7 || cp == 0xF7)
        return false;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
        (cp >= 0x2190 && cp <= 0x23FF) || (cp >= 0x2500 && cp <= 0x27BF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F))
        return false;
    return true;
}

size_t
words_count(const char *s, size_t len)
{
    size_t count = 0, i = 0;
    bool in_token = false, token_counts = false;

    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        bool wordish;
        if (n == 0) {
            /* A malformed byte counts as a letter: it cannot hide words. */
            n = 1;
            wordish = true;
            cp = 'x';
        } else {
            wordish = is_wordish(cp);
        }
        if (is_space(cp)) {
            in_token = false;
        } else {
            if (!in_token) {
                in_token = true;
                token_counts = false;
            }
            if (wordish && !token_counts) {
                token_counts = true;
                count++;
            }
        }
        i += n;
    }
    return count;
}

size_t
words_count_all(const char *const *texts, const size_t *lens, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += words_count(texts[i], lens[i]);
    return total;
}
