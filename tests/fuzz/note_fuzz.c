/*
 * note_fuzz.c: libFuzzer target for signed notes and their keys
 * (src/lib/note.c: note_key_parse(), note_verify()): a key is read from
 * a key file or a server's /log/key, a note from a server's checkpoint or
 * a receipt a signer uploads.
 *
 * The input's first line is read as a key, the whole input as a note.
 * Invariants: any bytes are read without a crash or undefined behaviour;
 * a key that is accepted is written back, as a signer or a verifier line,
 * exactly as it was read; a note that verifies has its text end in a
 * newline before the blank line; and when the input could be a note's
 * text (UTF-8, no control character but newlines, ending in one newline),
 * signing it gives a note that verifies with the signer's key, to exactly
 * that text, and not with another key of the same name.
 */
#include <assert.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/note.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char signer[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

static bool
could_be_text(const char *s, size_t len)
{
    if (len == 0 || s[len - 1] != '\n' || (len >= 2 && s[len - 2] == '\n'))
        return false;
    if (!utf8_valid(s, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
            return false;
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct note_key keys[2], other;
    static bool ready;
    if (!ready) {
        assert(sodium_init() >= 0);
        assert(note_key_parse(signer, strlen(signer), &keys[0]) == 0);
        assert(note_key_generate("PeterNeumann", &other) == 0);
        ready = true;
    }
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t line = nl ? (size_t)(nl - s) : size;
    int nkeys = 1;
    if (note_key_parse(s, nl ? line + 1 : line, &keys[1]) == 0) {
        struct strbuf sb;
        sb_init(&sb, NULL);
        if (keys[1].has_secret)
            note_key_signer(&sb, &keys[1]);
        else
            note_key_verifier(&sb, &keys[1]);
        assert(!sb_failed(&sb));
        assert(sb.len == line && memcmp(sb.buf, s, line) == 0);
        sb_release(&sb);
        nkeys = 2;
    }
    size_t text_len = 0;
    if (note_verify(s, size, keys, nkeys, &text_len)) {
        assert(text_len >= 1 && text_len + 1 < size);
        assert(s[text_len - 1] == '\n' && s[text_len] == '\n');
    }
    if (could_be_text(s, size)) {
        struct strbuf sb;
        sb_init(&sb, NULL);
        note_sign(&sb, s, size, &keys[0]);
        assert(!sb_failed(&sb));
        text_len = 0;
        assert(note_verify(sb.buf, sb.len, &keys[0], 1, &text_len));
        assert(text_len == size);
        assert(!note_verify(sb.buf, sb.len, &other, 1, NULL));
        sb_release(&sb);
    }
    return 0;
}
