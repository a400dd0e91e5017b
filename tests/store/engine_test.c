/*
 * engine_test.c: choosing and keeping an engine (store.h): which specs
 * name PostgreSQL, the pool size of stores opened after it is set, and a
 * backup, which SQLite takes as one snapshot into a new file while
 * PostgreSQL refuses it (its own tools do it); and a PostgreSQL store
 * whose server went away tries again only after a back-off, then comes
 * back by itself.
 */
#include "store_fixture.h"

#include <libpq-fe.h>
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

/* Run sql on an admin connection; the first value of the first row, or
 * "" (static). */
static const char *
admin_sql(PGconn *db, const char *sql)
{
    static char value[4096];
    PGresult *res = PQexec(db, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(db));
    snprintf(value, sizeof(value), "%s",
             st == PGRES_TUPLES_OK && PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return value;
}

static void
a_lost_server_is_tried_again_after_a_backoff(void **state)
{
    struct fx *f = *state;
    struct store_link_stats st;
    if (strcmp(store_engine(f->s), "postgresql") != 0) {
        /* SQLite: no server, nothing to count. */
        store_link_stats(f->s, &st);
        assert_int_equal(st.connects + st.connect_failures + st.backed_off, 0);
        return;
    }
    /* An admin connection on another database (a database cannot turn
     * away connections while one is on it), naming this one as a quoted
     * literal. */
    const char *const keys[] = {"dbname", "dbname", NULL};
    const char *const values[] = {f->spec, "postgres", NULL};
    PGconn *admin = PQconnectdbParams(keys, values, 1);
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    PQconninfoOption *opts = PQconninfoParse(f->spec, NULL);
    assert_non_null(opts);
    char *db = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "dbname") == 0 && o->val)
            db = PQescapeLiteral(admin, o->val, strlen(o->val));
    PQconninfoFree(opts);
    assert_non_null(db);
    /* The backends on the database before s opens (the fixture's): s's
     * is the one that is new. */
    char sql[4600], before[4096];
    snprintf(sql, sizeof(sql),
             "SELECT coalesce(string_agg(pid::text, ','), '0') FROM pg_stat_activity"
             " WHERE datname = %s",
             db);
    snprintf(before, sizeof(before), "%s", admin_sql(admin, sql));
    store_pg_pool_size(1);
    struct store *s = NULL;
    FX_OK(f, store_open(f->spec, false, &s, &f->e));
    store_pg_pool_size(8);
    store_link_stats(s, &st);
    assert_int_equal(st.connects, 1);
    assert_int_equal(st.connect_failures, 0);

    /* The server turns s away: new connections refused, s's cut. */
    snprintf(sql, sizeof(sql),
             "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I ALLOW_CONNECTIONS false', %s); END $$",
             db);
    admin_sql(admin, sql);
    snprintf(sql, sizeof(sql),
             "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
             " WHERE datname = %s AND pid NOT IN (%s)",
             db, before);
    assert_string_equal(admin_sql(admin, sql), "1");

    /* The cut connection fails its next use; the attempt to reopen it
     * fails; then, within the back-off, nothing is tried: every use
     * fails at once, ERR_UNAVAILABLE (a 503 to the site). */
    struct store_txn *t = NULL;
    int r = store_begin(s, &t, &f->e);
    if (r == 0) {
        r = store_meta_set(t, "link", "cut", &f->e);
        if (r == 0)
            r = store_commit(t, &f->e);
        else
            store_rollback(t);
    }
    assert_int_equal(r, ERR_UNAVAILABLE);
    for (int i = 0; i < 20; i++)
        FX_ERR(f, ERR_UNAVAILABLE, store_begin(s, &t, &f->e));
    store_link_stats(s, &st);
    assert_true(st.connect_failures >= 1);
    assert_true(st.backed_off >= 1);
    assert_true(st.connect_failures + st.backed_off >= 20);
    assert_true(st.connect_failures < 10); /* 20 uses, far fewer attempts */
    assert_true(st.backoff_ms >= STORE_BACKOFF_MIN_MS && st.backoff_ms <= STORE_BACKOFF_MAX_MS);

    /* The server takes connections again: s comes back by itself once
     * its back-off is over (at most STORE_BACKOFF_MAX_MS). */
    snprintf(sql, sizeof(sql),
             "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I ALLOW_CONNECTIONS true', %s); END $$",
             db);
    admin_sql(admin, sql);
    int tries = 0;
    while ((r = store_begin(s, &t, &f->e)) != 0) {
        assert_int_equal(r, ERR_UNAVAILABLE);
        assert_true(++tries < 1000); /* 10 s */
        usleep(10000);
    }
    FX_OK(f, store_meta_set(t, "link", "back", &f->e));
    FX_OK(f, store_commit(t, &f->e));
    store_link_stats(s, &st);
    assert_int_equal(st.connects, 2);
    assert_int_equal(st.backoff_ms, 0);
    store_close(s);
    PQfreemem(db);
    PQfinish(admin);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(specs_name_their_engine),
        FX_TEST(one_connection_is_enough),
        FX_TEST(backup_is_one_snapshot_in_a_new_file),
        FX_TEST(a_lost_server_is_tried_again_after_a_backoff),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
