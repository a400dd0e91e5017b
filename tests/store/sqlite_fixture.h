/*
 * sqlite_fixture.h: what the tests of the SQLite backend's own internals
 * (tests/store/sqlite_*_test.c) share: a struct fx (store_fixture.h) on a
 * new, migrated SQLite file of the test's own, whatever
 * PETITIOND_TEST_STORE names, and bare connections to that file.
 *
 * Those tests check what the contract of src/store/store.h leaves to the
 * backend (its FTS5 index, its migrations, its triggers): they use SQL
 * directly, as a second SQL session on the same file would.  Every
 * builder of store_fixture.h works on the fixture; fx_teardown() removes
 * the file.
 */
#ifndef PETITIOND_SQLITE_FIXTURE_H
#define PETITIOND_SQLITE_FIXTURE_H

#include <sqlite3.h>

#include "store_fixture.h"

/* cmocka setup: the fixture in *state, on a new migrated SQLite file. */
int sqlite_fixture_setup(void **state);

#define SQLITE_TEST(fn) cmocka_unit_test_setup_teardown(fn, sqlite_fixture_setup, fx_teardown)

/* The fixture's SQLite file. */
const char *sqlite_fixture_path(const struct fx *f);

/* A bare connection to it (no pool, no audit guard), waiting up to ten
 * seconds for a lock; sqlite3_close() it. */
sqlite3 *sqlite_fixture_open(const struct fx *f);

/* The first column of sql's first row as an integer, -1 when no row;
 * fails the test when sql fails. */
int64_t sqlite_fixture_int(sqlite3 *db, const char *sql);

/* The same as text ("" when no row or NULL); free() it. */
char *sqlite_fixture_text(sqlite3 *db, const char *sql);

/* Close the fixture's store and open it again (f->s), after its schema
 * was changed behind it. */
void sqlite_fixture_reopen(struct fx *f);

/* Load the built-in demo data (data/demo/demo.json) into the store, at
 * the real time, as `petitiond demo` does. */
void sqlite_fixture_demo(struct fx *f);

#endif
