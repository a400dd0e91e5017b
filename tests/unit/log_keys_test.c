/*
 * log_keys_test.c: the public logs' key file (site/log_keys.h): made once
 * with mode 0600 and the site's host as the key's name, read back the
 * same, never overwritten; a rotation makes a new signing key and keeps
 * the old one as a verifier line; the signer's memory (PATH.signed) keeps
 * the last checkpoint of each log across a reopening; files that are not
 * key files are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "site/log_keys.h"
#include "lib/banned.h"

static char dir[64], path[128];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/log-keys-XXXXXX");
    if (sodium_init() < 0 || !mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/log.key", dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char p[160];
    snprintf(p, sizeof(p), "%s.signed", path);
    unlink(p);
    unlink(path);
    rmdir(dir);
    return 0;
}

static void
made_once_then_read_and_rotated(void **state)
{
    (void)state;
    struct log_keys k, again;
    struct err e = ERR_INIT;
    bool made;
    assert_int_equal(log_keys_load(&k, path, "petitions.example.ca", &made, &e), 0);
    assert_true(made);
    assert_int_equal(k.n, 1);
    assert_true(k.keys[0].has_secret);
    assert_string_equal(k.keys[0].name, "petitions.example.ca");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* Read again, not made again: the same key, whatever name is asked. */
    assert_int_equal(log_keys_load(&again, path, "other.example", &made, &e), 0);
    assert_false(made);
    assert_memory_equal(again.keys[0].public_key, k.keys[0].public_key, NOTE_PUBLIC_BYTES);
    assert_string_equal(again.keys[0].name, "petitions.example.ca");

    /* A note signed before the rotation stays verifiable with what
     * /log/key lists after it. */
    struct strbuf note, lines;
    const char text[] =
        "petitions.example.ca/log/1\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    sb_init(&note, NULL);
    note_sign(&note, text, strlen(text), &k.keys[0]);
    assert_int_equal(log_keys_rotate(path, "petitions.example.ca", &e), 0);
    assert_int_equal(log_keys_load(&again, path, "petitions.example.ca", &made, &e), 0);
    assert_int_equal(again.n, 2);
    assert_true(again.keys[0].has_secret);
    assert_false(again.keys[1].has_secret);
    assert_memory_not_equal(again.keys[0].public_key, k.keys[0].public_key, NOTE_PUBLIC_BYTES);
    assert_memory_equal(again.keys[1].public_key, k.keys[0].public_key, NOTE_PUBLIC_BYTES);
    sb_init(&lines, NULL);
    log_keys_verifiers(&lines, &again);
    assert_int_equal(strchr(strchr(lines.buf, '\n') + 1, '\n') - lines.buf + 1, (long)lines.len);
    size_t text_len;
    assert_true(note_verify(note.buf, note.len, again.keys, again.n, &text_len));
    assert_false(note_verify(note.buf, note.len, again.keys, 1, &text_len));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    sb_release(&note);
    sb_release(&lines);
}

static void
the_signers_memory_outlives_the_process(void **state)
{
    (void)state;
    struct log_signed_file *m;
    struct log_memory mem;
    struct err e = ERR_INIT;
    struct tlog_hash root, got;
    int64_t size;
    memset(root.b, 7, sizeof(root.b));
    assert_int_equal(log_signed_open(path, &m, &e), 0);
    log_signed_memory(m, &mem);
    assert_false(mem.recall(mem.ctx, "h/log/1", &size, &got));
    assert_int_equal(mem.remember(mem.ctx, "h/log/1", 10, &root, &e), 0);
    root.b[0] = 9;
    assert_int_equal(mem.remember(mem.ctx, "h/log/2", 3, &root, &e), 0);
    assert_int_equal(mem.remember(mem.ctx, "h/log/1", 12, &root, &e), 0);
    log_signed_close(m);
    assert_int_equal(log_signed_open(path, &m, &e), 0);
    log_signed_memory(m, &mem);
    assert_true(mem.recall(mem.ctx, "h/log/1", &size, &got));
    assert_int_equal(size, 12);
    assert_memory_equal(got.b, root.b, TLOG_HASH_BYTES);
    assert_true(mem.recall(mem.ctx, "h/log/2", &size, &got));
    assert_int_equal(size, 3);
    assert_false(mem.recall(mem.ctx, "h/log/3", &size, &got));
    log_signed_close(m);
}

static void
what_is_not_a_key_file_is_refused(void **state)
{
    (void)state;
    struct log_keys k;
    struct err e = ERR_INIT;
    bool made;
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    /* A verifier line first: it cannot sign. */
    fputs("petitions.example.ca+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", fp);
    fclose(fp);
    assert_int_equal(log_keys_load(&k, path, "x", &made, &e), ERR_INVALID);
    assert_non_null(strstr(e.log, "line 1"));
    fp = fopen(path, "w");
    fputs("not a key\n", fp);
    fclose(fp);
    e = (struct err)ERR_INIT;
    assert_int_equal(log_keys_load(&k, path, "x", &made, &e), ERR_INVALID);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(made_once_then_read_and_rotated, setup, teardown),
        cmocka_unit_test_setup_teardown(the_signers_memory_outlives_the_process, setup, teardown),
        cmocka_unit_test_setup_teardown(what_is_not_a_key_file_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
