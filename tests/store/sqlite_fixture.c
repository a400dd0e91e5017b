/*
 * sqlite_fixture.c: the SQLite file and bare connections of the tests of
 * the SQLite backend's own internals; see sqlite_fixture.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/embed.h"
#include "sqlite_fixture.h"
#include "workflow/demo.h"
#include "lib/banned.h"

int
sqlite_fixture_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->a = arena_new();
    f->e = (struct err)ERR_INIT;
    f->now = fx_at(2025, 6, 2, 12, 0);
    const char *tmp = getenv("TMPDIR");
    f->dir = arena_printf(f->a, "%s/petitiond-sqlite-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    int applied = 0;
    FX_OK(f, store_open(sqlite_fixture_path(f), true, &f->s, &f->e));
    FX_OK(f, store_migrate(f->s, &applied, &f->e));
    assert_int_equal(applied, store_schema_latest(f->s));
    *state = f;
    return 0;
}

const char *
sqlite_fixture_path(const struct fx *f)
{
    return arena_printf(f->a, "%s/store.db", f->dir);
}

sqlite3 *
sqlite_fixture_open(const struct fx *f)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(sqlite_fixture_path(f), &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

/* sql prepared on db, stepped once: SQLITE_ROW or SQLITE_DONE. */
static sqlite3_stmt *
step(sqlite3 *db, const char *sql, int *rc)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    *rc = sqlite3_step(st);
    if (*rc != SQLITE_ROW && *rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    }
    return st;
}

int64_t
sqlite_fixture_int(sqlite3 *db, const char *sql)
{
    int rc;
    sqlite3_stmt *st = step(db, sql, &rc);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

char *
sqlite_fixture_text(sqlite3 *db, const char *sql)
{
    int rc;
    sqlite3_stmt *st = step(db, sql, &rc);
    const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    char *out = strdup(v ? v : "");
    assert_non_null(out);
    sqlite3_finalize(st);
    return out;
}

void
sqlite_fixture_reopen(struct fx *f)
{
    assert_null(f->open);
    store_close(f->s);
    f->s = NULL;
    FX_OK(f, store_open(sqlite_fixture_path(f), false, &f->s, &f->e));
}

void
sqlite_fixture_demo(struct fx *f)
{
    const struct embedded_file *demo = embed_find(DEMO_DEFAULT);
    bool loaded = false;
    assert_non_null(demo);
    FX_OK(f, demo_load(f->s, (const char *)demo->data, demo->len, (int64_t)time(NULL), &loaded,
                       &f->e));
    assert_true(loaded);
}
