/*
 * words.c: the House's 250-word count; see words.h for what a word is.
 *
 * The text is read one code point at a time.  White space ends a run;
 * any other code point extends it; a run counts once, when its first
 * letter or digit is seen.  "Letter or digit" is decided by blocks rather
 * than by a Unicode table: every code point is a letter except ASCII
 * punctuation and symbols and the punctuation and symbol blocks a
 * petition can hold, which keeps the core free of a Unicode database and
 * errs on the side of counting (an unknown symbol counts as a word, so
 * nothing can slip under the limit).
 */
#include "core/words.h"

#include <stdbool.h>

#include "lib/utf8.h"
#include "lib/banned.h"

/* The code points Unicode calls White_Space: the ASCII spaces, U+0085 (next line),
 * U+00A0 (no-break space, which French puts before ; : ! ? and inside
 * guillemets), U+1680, U+2000..U+200A, U+2028, U+2029, U+202F (narrow
 * no-break space), U+205F and U+3000. */
static bool
is_space(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/*
 * Letters and digits: ASCII alphanumerics, the Latin-1 letters and
 * number signs (ª ² ³ µ ¹ º ¼ ½ ¾), and every other code point except the
 * punctuation and symbol blocks: Latin-1 punctuation (« » ¡ ¿ ° § and the
 * soft hyphen), × and ÷, General Punctuation (– — ‘ ’ “ ” • … and the
 * zero-width characters), currency symbols, arrows, mathematical and
 * technical symbols, box drawing to dingbats, Supplemental Punctuation,
 * CJK punctuation, the small and half-width forms and the byte-order
 * mark.
 */
static bool
is_wordish(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (cp <= 0xBF)
        return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA ||
               (cp >= 0xBC && cp <= 0xBE);
    if (cp == 0xD7 || cp == 0xF7)
        return false;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
        (cp >= 0x2190 && cp <= 0x23FF) || (cp >= 0x2500 && cp <= 0x27BF) ||
        (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFE10 && cp <= 0xFE6F) || cp == 0xFEFF)
        return false;
    return true;
}

bool
words_is_letter(unsigned cp)
{
    return is_wordish(cp);
}

size_t
words_count(const char *s, size_t len)
{
    size_t count = 0, i = 0;
    bool in_run = false, run_counted = false;

    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        bool wordish;
        if (n == 0) {
            /* A malformed byte counts as a letter: it can neither pass
             * for a space nor hide the word it sits in. */
            n = 1;
            cp = 'x';
            wordish = true;
        } else {
            wordish = is_wordish(cp);
        }
        if (is_space(cp)) {
            in_run = false;
        } else {
            if (!in_run) {
                in_run = true;
                run_counted = false;
            }
            if (wordish && !run_counted) {
                run_counted = true;
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
