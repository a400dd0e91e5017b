/*
 * demo_fuzz.c: libFuzzer target for the demo JSON loader
 * (src/workflow/demo.c, demo_load()): Parliaments, subjects, Members,
 * ministries and petitions read from a file (petitiond demo --file FILE)
 * and written into the store as they are read, in one transaction.
 *
 * Each input gets a fresh SQLite store in memory: a copy, on /dev/shm (a
 * memory file system; TMPDIR where there is none), of a database
 * migrated once at start, removed after the input.  (Migrating for each
 * input would cost about half a second of the fuzzer's time.)
 *
 * Invariants: any bytes are read without a crash, a leak or undefined
 * behaviour; a refusal says why, is not a bug's error (ERR_INTERNAL,
 * ERR_UNAUDITED) and leaves nothing behind (no "demo_loaded" mark: the
 * transaction was rolled back); what is accepted is marked loaded, and a
 * second load of the same bytes changes nothing.
 */
#include <assert.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/meta.h"
#include "store/store.h"
#include "workflow/demo.h"
#include "lib/banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2025-12-01 12:00 UTC: the relative dates of the demo data ("-12d") from there. */
static const int64_t now = 1764590400;

static char template_db[128], input_db[128];

/* Copy the file from into to (made afresh); 0 or -1. */
static int
copy_file(const char *from, const char *to)
{
    char buf[65536];
    ssize_t n;
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int r = in < 0 || out < 0 ? -1 : 0;
    while (!r && (n = read(in, buf, sizeof(buf))) > 0)
        r = write(out, buf, (size_t)n) == n ? 0 : -1;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return r;
}

static void
remove_db(const char *path)
{
    char side[160];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static void
remove_all(void)
{
    remove_db(input_db);
    remove_db(template_db);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct stat st;
    const char *dir =
        stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : getenv("TMPDIR");
    if (!dir)
        dir = "/tmp";
    snprintf(template_db, sizeof(template_db), "%s/demo-fuzz-%ld.db", dir, (long)getpid());
    snprintf(input_db, sizeof(input_db), "%s/demo-fuzz-%ld-input.db", dir, (long)getpid());
    struct store *s = NULL;
    struct err e = ERR_INIT;
    int applied = 0;
    remove_db(template_db);
    assert(store_open(template_db, true, &s, &e) == 0);
    assert(store_migrate(s, &applied, &e) == 0 && applied > 0);
    store_close(s); /* the last connection checkpoints: one file holds it all */
    atexit(remove_all);
    return 0;
}

static const char *
demo_mark(struct store *s, struct arena *a)
{
    const char *mark = NULL;
    struct err e = ERR_INIT;
    assert(store_meta_get(s, NULL, a, "demo_loaded", &mark, &e) == 0);
    return mark;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct store *s = NULL;
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    bool loaded = false;

    remove_db(input_db);
    assert(copy_file(template_db, input_db) == 0);
    assert(store_open(input_db, false, &s, &e) == 0);
    assert(demo_mark(s, a) == NULL);
    int r = demo_load(s, (const char *)data, size, now, &loaded, &e);
    if (r) {
        assert(r != ERR_INTERNAL && r != ERR_UNAUDITED);
        assert(e.log[0] != '\0');
        assert(!loaded);
        assert(demo_mark(s, a) == NULL);
    } else {
        /* A fresh store has no mark: 0 means loaded. */
        assert(loaded);
        assert(demo_mark(s, a) != NULL);
        bool again = true;
        assert(demo_load(s, (const char *)data, size, now, &again, &e) == 0 && !again);
    }
    store_close(s);
    remove_db(input_db);
    arena_free(a);
    return 0;
}
