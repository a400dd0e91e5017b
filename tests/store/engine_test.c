/*
 * engine_test.c: choosing and keeping an engine (store.h): which specs
 * name PostgreSQL, the pool size of stores opened after it is set, and a
 * backup, which SQLite takes as one snapshot into a new file while
 * PostgreSQL refuses it (its own tools do it).
 */
#include "store_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/banned.h"

static void
specs_name_their_engine(void **state)
{
    (void)state;
    assert_true(store_spec_is_postgresql("postgresql://u@h/db"));
    assert_true(store_spec_is_postgresql("postgres:///db?host=/run/postgresql"));
    assert_false(store_spec_is_postgresql("var/petitiond.db"));
    assert_false(store_spec_is_postgresql("sqlite:postgresql://x"));
    assert_false(store_spec_is_postgresql("postgresql:x"));
    assert_false(store_spec_is_postgresql(""));
}

static void
one_connection_is_enough(void **state)
{
    struct fx *f = *state;
    /* A store opened with a pool of one (PostgreSQL; SQLite keeps its
     * own) still reads and writes, one use at a time. */
    store_pg_pool_size(1);
    struct store *s = NULL;
    FX_OK(f, store_open(f->spec, false, &s, &f->e));
    store_pg_pool_size(8);
    struct store_txn *t = NULL;
    FX_OK(f, store_begin(s, &t, &f->e));
    FX_OK(f, store_meta_set(t, "pool", "one", &f->e));
    FX_OK(f, store_commit(t, &f->e));
    const char *v = NULL;
    FX_OK(f, store_meta_get(s, NULL, f->a, "pool", &v, &f->e));
    assert_string_equal(v, "one");
    store_close(s);
}

static void
backup_is_one_snapshot_in_a_new_file(void **state)
{
    struct fx *f = *state;
    char dir[] = "/tmp/petitiond-backup-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof(path), "%s/copy.db", dir);
    FX_WRITE(f, store_meta_set(t, "before", "kept", &f->e));

    int r = store_backup(f->s, path, NULL, NULL, &f->e);
    if (strcmp(store_engine(f->s), "sqlite") != 0) {
        /* PostgreSQL: pg_dump or a base backup, not petitiond. */
        assert_int_equal(r, ERR_INVALID);
        assert_int_equal(access(path, F_OK), -1);
        rmdir(dir);
        return;
    }
    FX_OK(f, r);
    FX_WRITE(f, store_meta_set(t, "after", "not in the backup", &f->e));
    /* A second backup into the same file is refused. */
    FX_ERR(f, ERR_CONFLICT, store_backup(f->s, path, NULL, NULL, &f->e));

    struct store *copy = NULL;
    const char *v = NULL;
    FX_OK(f, store_open(path, false, &copy, &f->e));
    FX_OK(f, store_meta_get(copy, NULL, f->a, "before", &v, &f->e));
    assert_string_equal(v, "kept");
    FX_OK(f, store_meta_get(copy, NULL, f->a, "after", &v, &f->e));
    assert_null(v);
    store_close(copy);
    unlink(path);
    char extra[80];
    snprintf(extra, sizeof(extra), "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof(extra), "%s-shm", path);
    unlink(extra);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(specs_name_their_engine),
        FX_TEST(one_connection_is_enough),
        FX_TEST(backup_is_one_snapshot_in_a_new_file),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
