/*
 * note_test.c: signed notes and their keys (lib/note.h, issue 18): Go's
 * sumdb/note key and note of its documentation read and made byte for
 * byte alike, C2SP signed-note's example, our own keys and notes round
 * trip, and what must be refused: a changed text or signature, another
 * key, malformed notes and keys; lines of other keys skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "lib/note.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define DASH "\xe2\x80\x94 "

/* golang.org/x/mod/sumdb/note: the key and note of its documentation. */
static const char go_signer[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char go_verifier[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char go_text[] = "If you think cryptography is the answer to your problem,\n"
                              "then you don't know what your problem is.\n";
static const char go_note[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n" DASH "PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

static struct note_key
key(const char *line)
{
    struct note_key k;
    if (note_key_parse(line, strlen(line), &k))
        fail_msg("refused key %s", line);
    return k;
}

/* The strbuf's text, in a heap copy the caller frees. */
static char *
text_of(struct strbuf *sb)
{
    assert_false(sb_failed(sb));
    size_t len;
    return sb_detach(sb, &len);
}

static char *
verifier_line(const struct note_key *k)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    note_key_verifier(&sb, k);
    return text_of(&sb);
}

static char *
signer_line(const struct note_key *k)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    note_key_signer(&sb, k);
    return text_of(&sb);
}

static char *
sign(const char *text, const struct note_key *k)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    note_sign(&sb, text, strlen(text), k);
    return text_of(&sb);
}

static bool
verify(const char *note, const struct note_key *keys, int n)
{
    size_t tl = 0;
    return note_verify(note, strlen(note), keys, n, &tl);
}

static void
go_keys_read_and_write_alike(void **state)
{
    (void)state;
    struct note_key s = key(go_signer), v = key(go_verifier);
    assert_string_equal(s.name, "PeterNeumann");
    assert_true(s.id == 0xc74f20a3);
    assert_true(s.has_secret);
    assert_string_equal(v.name, "PeterNeumann");
    assert_true(v.id == 0xc74f20a3);
    assert_false(v.has_secret);
    assert_memory_equal(s.public_key, v.public_key, NOTE_PUBLIC_BYTES);
    char *line = verifier_line(&s);
    assert_string_equal(line, go_verifier);
    free(line);
    line = signer_line(&s);
    assert_string_equal(line, go_signer);
    free(line);
    line = verifier_line(&v);
    assert_string_equal(line, go_verifier);
    free(line);
    /* A trailing newline, as in a key file. */
    char with_nl[128];
    snprintf(with_nl, sizeof(with_nl), "%s\n", go_verifier);
    struct note_key k;
    assert_int_equal(note_key_parse(with_nl, strlen(with_nl), &k), 0);
    assert_true(k.id == 0xc74f20a3);
}

static void
go_note_verifies_and_is_signed_alike(void **state)
{
    (void)state;
    struct note_key s = key(go_signer), v = key(go_verifier);
    size_t tl = 0;
    assert_true(note_verify(go_note, strlen(go_note), &v, 1, &tl));
    assert_int_equal(tl, strlen(go_text));
    /* Ed25519 is deterministic: the same key signs the same bytes. */
    char *note = sign(go_text, &s);
    assert_string_equal(note, go_note);
    free(note);
}

static void
spec_example_verifies(void **state)
{
    (void)state;
    /* C2SP signed-note, "Example". */
    struct note_key v =
        key("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    static const char note[] = "This is an example message.\n"
                               "\n" DASH "example.com/foo "
                               "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH"
                               "3mFXmRKuwHjG1Yu72IneyaQM="
                               "\n";
    assert_true(verify(note, &v, 1));
}

static void
generated_keys_round_trip(void **state)
{
    (void)state;
    struct note_key k;
    assert_int_equal(note_key_generate("petitions.example", &k), 0);
    assert_true(k.has_secret);
    char *s = signer_line(&k), *v = verifier_line(&k);
    assert_true(strncmp(s, "PRIVATE+KEY+petitions.example+", 30) == 0);
    assert_true(strncmp(v, "petitions.example+", 18) == 0);
    struct note_key ks = key(s), kv = key(v);
    assert_true(ks.id == k.id && kv.id == k.id);
    assert_memory_equal(ks.secret_key, k.secret_key, NOTE_SECRET_BYTES);
    assert_memory_equal(kv.public_key, k.public_key, NOTE_PUBLIC_BYTES);
    free(s);
    free(v);

    static const char text[] = "petitions.example/log/e-1234\n1000\n"
                               "Xcnaeaz2WamtVZy3Ad7Zoqudgjqtr0lgz+Nw7/RgQyg=\n";
    char *note = sign(text, &ks);
    size_t tl = 0;
    assert_true(note_verify(note, strlen(note), &kv, 1, &tl));
    assert_int_equal(tl, strlen(text));
    assert_memory_equal(note, text, tl);
    free(note);
}

static void
names_are_checked(void **state)
{
    (void)state;
    struct note_key k;
    char long_name[NOTE_NAME_MAX + 2];
    memset(long_name, 'a', sizeof(long_name));
    long_name[NOTE_NAME_MAX] = '\0';
    assert_int_equal(note_key_generate(long_name, &k), 0);
    long_name[NOTE_NAME_MAX] = 'a';
    long_name[NOTE_NAME_MAX + 1] = '\0';
    assert_int_equal(note_key_generate(long_name, &k), -1);
    static const char *const bad[] = {
        "",
        "a b",
        "a+b",
        "a\tb",
        "a\nb",
        "a\xc2\xa0"
        "b",
        "a\xe3\x80\x80"
        "b",
        "a\x01"
        "b",
        "\xff",
        "a\xe2\x80\x8a"
        "b",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++)
        if (note_key_generate(bad[i], &k) != -1)
            fail_msg("accepted name %zu", i);
    assert_int_equal(note_key_generate("\xc3\xa9lections.example/log", &k), 0);
}

static void
mangled_keys_are_refused(void **state)
{
    (void)state;
    /* As Go's own tests: every part of a key but the whole, and the key
     * with any byte changed. */
    const char *keys[] = {go_verifier, go_signer};
    for (size_t n = 0; n < N_ELEMS(keys); n++) {
        char b[128];
        size_t len = strlen(keys[n]);
        memcpy(b, keys[n], len + 1);
        struct note_key k;
        for (size_t i = 0; i <= len; i++)
            for (size_t j = i + 1; j <= len; j++)
                if (!(i == 0 && j == len) && note_key_parse(b + i, j - i, &k) != -1)
                    fail_msg("accepted %.*s", (int)(j - i), b + i);
        for (size_t i = 0; i < len; i++) {
            b[i]++;
            if (note_key_parse(b, len, &k) != -1)
                fail_msg("accepted %s", b);
            b[i]--;
        }
    }
    static const char *const bad[] = {
        /* Go's: a key of the wrong length, an unknown algorithm (each with
         * its id adjusted). */
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        /* Capital hex digits (Go writes them small). */
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n\n",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "",
        "\n",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct note_key k;
        if (note_key_parse(bad[i], strlen(bad[i]), &k) != -1)
            fail_msg("accepted %s", bad[i]);
    }
}

static void
base64_beyond_ascii_is_refused(void **state)
{
    (void)state;
    /* Debian's libsodium reads any byte above 0x7F as '/': the key with
     * its '/' so spelt must not be Go's key. */
    char k[sizeof(go_verifier)];
    memcpy(k, go_verifier, sizeof(k));
    char *slash = strchr(k + 22, '/');
    assert_non_null(slash);
    for (int c = 0x80; c <= 0xff; c++) {
        struct note_key key;
        *slash = (char)c;
        if (note_key_parse(k, strlen(k), &key) != -1)
            fail_msg("accepted the key with \\x%02x for '/'", c);
    }
    /* The same in a signature line: a note by Go's key whose signature
     * has "//", spelt with the two bytes of a UTF-8 character. */
    struct note_key s = key(go_signer), v = key(go_verifier);
    char *note = NULL, *at = NULL;
    for (int i = 0; i < 10000 && !at; i++) {
        char text[64];
        snprintf(text, sizeof(text), "text %d\n", i);
        free(note);
        note = sign(text, &s);
        at = strstr(strstr(note, DASH), "//");
    }
    assert_non_null(at);
    assert_true(verify(note, &v, 1));
    at[0] = (char)0xcf;
    at[1] = (char)0x9b;
    assert_false(verify(note, &v, 1));
    free(note);
}

static void
changed_notes_are_refused(void **state)
{
    (void)state;
    struct note_key v = key(go_verifier);
    char note[sizeof(go_note)];
    size_t len = strlen(go_note);
    /* Any byte of the text or of the signature changed. */
    for (size_t i = 0; i < len - 1; i++) {
        memcpy(note, go_note, sizeof(note));
        note[i] ^= 0x01;
        size_t tl;
        if (note_verify(note, len, &v, 1, &tl))
            fail_msg("accepted a note changed at %zu", i);
    }
    /* Cut short, or with more after it. */
    for (size_t l = 0; l < len; l++)
        assert_false(note_verify(go_note, l, &v, 1, NULL));
    char longer[sizeof(go_note) + 8];
    snprintf(longer, sizeof(longer), "%sx", go_note);
    assert_false(verify(longer, &v, 1));
    /* No keys, or another key. */
    assert_false(verify(go_note, &v, 0));
    struct note_key other;
    assert_int_equal(note_key_generate("PeterNeumann", &other), 0);
    assert_false(verify(go_note, &other, 1));
    /* A key of the same name and id but another public key: its
     * signature is checked, and fails. */
    other.id = v.id;
    assert_false(verify(go_note, &other, 1));
    struct note_key both[2] = {other, v};
    assert_true(verify(go_note, both, 2));
}

static void
other_keys_lines_are_skipped(void **state)
{
    (void)state;
    struct note_key a, b, c;
    assert_int_equal(note_key_generate("log.example", &a), 0);
    assert_int_equal(note_key_generate("witness.example", &b), 0);
    assert_int_equal(note_key_generate("log.example", &c), 0); /* rotated */
    static const char text[] = "log.example\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    char *na = sign(text, &a), *nb = sign(text, &b), *nc = sign(text, &c);
    /* A note signed by all three: the signature lines of b and c after
     * a's, and before it. */
    struct strbuf sb;
    sb_init(&sb, NULL);
    sb_adds(&sb, na);
    sb_adds(&sb, nb + strlen(text) + 1);
    sb_adds(&sb, nc + strlen(text) + 1);
    char *all = text_of(&sb);
    sb_init(&sb, NULL);
    sb_adds(&sb, text);
    sb_adds(&sb, "\n");
    sb_adds(&sb, nc + strlen(text) + 1);
    sb_adds(&sb, nb + strlen(text) + 1);
    sb_adds(&sb, na + strlen(text) + 1);
    /* A line of a key we do not know, a post-quantum size. */
    sb_adds(&sb, DASH "pq.example ");
    for (int i = 0; i < 1000; i++)
        sb_adds(&sb, "AAAA");
    sb_adds(&sb, "\n");
    char *rev = text_of(&sb);
    assert_true(verify(all, &a, 1));
    assert_true(verify(all, &b, 1));
    assert_true(verify(all, &c, 1));
    assert_true(verify(rev, &a, 1));
    assert_true(verify(rev, &c, 1));
    struct note_key ab[2] = {a, b};
    assert_true(verify(rev, ab, 2));
    /* Only a rotated key's signature: the old key alone refuses it. */
    assert_false(verify(nc, &a, 1));
    /* A known key's bad signature spoils the note even beside a good one. */
    char *bad = strdup(all);
    char *second = strstr(bad, DASH "witness.example ") + strlen(DASH "witness.example ");
    second[10] = second[10] == 'A' ? 'B' : 'A';
    assert_true(verify(bad, &a, 1));
    assert_false(verify(bad, ab, 2));
    free(bad);
    free(na);
    free(nb);
    free(nc);
    free(all);
    free(rev);
}

static void
malformed_notes_are_refused(void **state)
{
    (void)state;
    struct note_key v = key(go_verifier);
    const char *sig = strstr(go_note, DASH);
    char buf[4096];
    static const char *const bad_lines[] = {
        "- PeterNeumann AAAAAAAAAAAA\n", /* no em dash */
        DASH "PeterNeumann\n",           /* no signature */
        DASH "PeterNeumann \n",
        DASH " AAAAAAAAAAAA\n", /* no name */
        DASH "Peter Neumann AAAAAAAAAAAA\n",
        DASH "PeterNeumann AAAAAAA\n", /* not base64 */
        DASH "PeterNeumann AAAAAAAAAAA\n",
        DASH "PeterNeumann AAAAAA==\n", /* four bytes: no signature */
        DASH "PeterNeumann AAAAAAAAAAAA \n",
        "\n", /* a blank signature line */
    };
    for (size_t i = 0; i < N_ELEMS(bad_lines); i++) {
        /* The bad line after the good signature, and before it. */
        snprintf(buf, sizeof(buf), "%s%s", go_note, bad_lines[i]);
        if (verify(buf, &v, 1))
            fail_msg("accepted a note with line %zu after", i);
        snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(sig - go_note), go_note, bad_lines[i], sig);
        if (verify(buf, &v, 1))
            fail_msg("accepted a note with line %zu before", i);
    }
    /* No blank line; control characters; not UTF-8. */
    assert_false(verify("no signatures\n", &v, 1));
    snprintf(buf, sizeof(buf), "a\rb\n\n%s", sig);
    assert_false(verify(buf, &v, 1));
    snprintf(buf, sizeof(buf), "a\tb\n\n%s", sig);
    assert_false(verify(buf, &v, 1));
    snprintf(buf, sizeof(buf),
             "a\xff"
             "b\n\n%s",
             sig);
    assert_false(verify(buf, &v, 1));
    /* More than 100 signature lines. */
    struct strbuf sb;
    sb_init(&sb, NULL);
    sb_adds(&sb, go_note);
    for (int i = 0; i < 100; i++)
        sb_adds(&sb, DASH "other.example AAAAAAAAAAAA\n");
    char *many = text_of(&sb);
    assert_false(verify(many, &v, 1));
    many[strlen(many) - strlen(DASH "other.example AAAAAAAAAAAA\n")] = '\0';
    assert_true(verify(many, &v, 1));
    free(many);
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(go_keys_read_and_write_alike),
        cmocka_unit_test(go_note_verifies_and_is_signed_alike),
        cmocka_unit_test(spec_example_verifies),
        cmocka_unit_test(generated_keys_round_trip),
        cmocka_unit_test(names_are_checked),
        cmocka_unit_test(mangled_keys_are_refused),
        cmocka_unit_test(base64_beyond_ascii_is_refused),
        cmocka_unit_test(changed_notes_are_refused),
        cmocka_unit_test(other_keys_lines_are_skipped),
        cmocka_unit_test(malformed_notes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
