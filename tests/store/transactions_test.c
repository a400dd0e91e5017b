/*
 * transactions_test.c: the parts of store.h's contract that hold for every
 * area: opening and the schema, transactions (a rolled-back write is gone,
 * a committed one is seen by every read, a transaction sees its own writes
 * before another thread does, interleaving transactions lose no update),
 * savepoints (a write that fails inside one is undone to it, and the
 * transaction commits what came before), and the mapping of what a
 * database refuses to the error codes of lib/err.h.
 */
#include "store_fixture.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "lib/banned.h"

/* ---- opening and the schema ------------------------------------------------------------- */

static void
store_names_its_engine_and_schema(void **state)
{
    struct fx *f = *state;
    const char *engine = store_engine(f->s);
    assert_non_null(engine);
    assert_true(engine[0] != '\0');
    if (strcmp(fx_backend(), "sqlite") == 0)
        assert_string_equal(engine, "sqlite");

    /* Migrated by the fixture: the newest this binary carries. */
    int version = -1, applied = -1;
    FX_OK(f, store_schema_version(f->s, &version, &f->e));
    assert_true(store_schema_latest(f->s) > 0);
    assert_int_equal(version, store_schema_latest(f->s));
    FX_OK(f, store_migrate(f->s, &applied, &f->e));
    assert_int_equal(applied, 0);
}

static void
open_without_create_refuses_a_missing_database(void **state)
{
    struct fx *f = *state;
    struct store *s = NULL;
    char *spec;
    if (strcmp(fx_backend(), "sqlite") == 0) {
        char *path = arena_printf(f->a, "%s/missing.db", f->dir);
        assert_int_not_equal(store_open(path, false, &s, &f->e), 0);
        spec = arena_printf(f->a, "sqlite:%s", path);
    } else {
        /* The suite's setting names each test's database with "{n}". */
        const char *setting = getenv("PETITIOND_TEST_STORE");
        const char *n = setting ? strstr(setting, "{n}") : NULL;
        if (!n)
            skip();
        spec = arena_printf(f->a, "%.*smissing%ld%s", (int)(n - setting), setting,
                            (long)getpid(), n + 3);
        assert_int_not_equal(store_open(spec, false, &s, &f->e), 0);
    }
    /* A fresh database is created only when asked, empty (version 0). */
    FX_OK(f, store_open(spec, true, &s, &f->e));
    int version = -1;
    FX_OK(f, store_schema_version(s, &version, &f->e));
    assert_int_equal(version, 0);
    store_close(s);
    store_close(NULL);
}

/* ---- transactions -------------------------------------------------------------------------- */

/* The store's own calls, not the fixture's, since they are what is tested
 * here (a test failing inside one leaves it open). */
static struct store_txn *
begin(struct fx *f)
{
    struct store_txn *t = NULL;
    FX_OK(f, store_begin(f->s, &t, &f->e));
    assert_non_null(t);
    return t;
}

static void
commit(struct fx *f, struct store_txn *t)
{
    FX_OK(f, store_commit(t, &f->e));
}

static const char *
meta(struct fx *f, struct store_txn *t, const char *key)
{
    const char *v = NULL;
    FX_OK(f, store_meta_get(f->s, t, f->a, key, &v, &f->e));
    return v;
}

static void
rolled_back_write_is_gone(void **state)
{
    struct fx *f = *state;
    struct store_txn *t = begin(f);
    assert_ptr_equal(store_txn_store(t), f->s);
    FX_OK(f, store_meta_set(t, "k", "v", &f->e));
    assert_string_equal(meta(f, t, "k"), "v");
    store_rollback(t);
    assert_null(meta(f, NULL, "k"));
    store_rollback(NULL);

    /* The thread may begin again after a rollback. */
    t = begin(f);
    assert_null(meta(f, t, "k"));
    store_rollback(t);
}

static void
committed_write_is_seen_without_a_transaction(void **state)
{
    struct fx *f = *state;
    struct store_txn *t = begin(f);
    FX_OK(f, store_meta_set(t, "k", "v", &f->e));
    commit(f, t);
    assert_string_equal(meta(f, NULL, "k"), "v");
    t = begin(f);
    assert_string_equal(meta(f, t, "k"), "v");
    commit(f, t);
}

/* A read with t NULL from another thread. */
struct reader {
    struct store *s;
    const char *key;
    int r;
    char value[64]; /* "(null)" when unset */
};

static void *
read_elsewhere(void *arg)
{
    struct reader *rd = arg;
    struct arena *a = arena_new();
    const char *v = NULL;
    rd->r = store_meta_get(rd->s, NULL, a, rd->key, &v, NULL);
    snprintf(rd->value, sizeof(rd->value), "%s", v ? v : "(null)");
    arena_free(a);
    return NULL;
}

static const char *
read_in_other_thread(struct fx *f, struct reader *rd, const char *key)
{
    *rd = (struct reader){.s = f->s, .key = key};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, read_elsewhere, rd), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(rd->r, 0);
    return rd->value;
}

static void
transaction_sees_its_writes_before_others_do(void **state)
{
    struct fx *f = *state;
    struct reader rd;
    FX_WRITE(f, store_meta_set(t, "k", "old", &f->e));

    struct store_txn *t = begin(f);
    FX_OK(f, store_meta_set(t, "k", "new", &f->e));
    FX_OK(f, store_meta_set(t, "k2", "new", &f->e));
    assert_string_equal(meta(f, t, "k"), "new");
    assert_string_equal(read_in_other_thread(f, &rd, "k"), "old");
    assert_string_equal(read_in_other_thread(f, &rd, "k2"), "(null)");
    commit(f, t);
    assert_string_equal(read_in_other_thread(f, &rd, "k"), "new");
    assert_string_equal(read_in_other_thread(f, &rd, "k2"), "new");
}

/* Two threads each add one to a counter in a transaction; a transaction
 * that loses to the other (ERR_CONFLICT) is tried again. */
struct adder {
    struct store *s;
    pthread_barrier_t *start;
    int r;
    int conflicts;
};

static void
pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void *
add_one(void *arg)
{
    struct adder *ad = arg;
    struct arena *a = arena_new();
    struct err e = ERR_INIT;
    pthread_barrier_wait(ad->start);
    for (int attempt = 0; attempt < 50; attempt++) {
        struct store_txn *t = NULL;
        const char *v = NULL;
        char buf[32];
        int r = store_begin(ad->s, &t, &e);
        if (r == 0)
            r = store_meta_get(ad->s, t, a, "counter", &v, &e);
        if (r == 0) {
            pause_ms(20); /* let the other thread interleave */
            snprintf(buf, sizeof(buf), "%ld", (v ? strtol(v, NULL, 10) : 0) + 1);
            r = store_meta_set(t, "counter", buf, &e);
            if (r == 0)
                r = store_commit(t, &e);
            else
                store_rollback(t);
        }
        if (r != ERR_CONFLICT) {
            ad->r = r;
            break;
        }
        ad->conflicts++;
    }
    arena_free(a);
    return NULL;
}

static void
interleaved_transactions_lose_no_update(void **state)
{
    struct fx *f = *state;
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct adder ad[2] = {{.s = f->s, .start = &start, .r = -100},
                          {.s = f->s, .start = &start, .r = -100}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, add_one, &ad[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&start);
    assert_int_equal(ad[0].r, 0);
    assert_int_equal(ad[1].r, 0);
    assert_string_equal(meta(f, NULL, "counter"), "2");
}

/* ---- savepoints ------------------------------------------------------------------------------ */

static void
savepoint_rollback_keeps_what_came_before(void **state)
{
    struct fx *f = *state;
    struct store_txn *t = begin(f);
    FX_OK(f, store_meta_set(t, "before", "1", &f->e));
    FX_OK(f, store_savepoint(t, &f->e));
    FX_OK(f, store_meta_set(t, "inside", "2", &f->e));
    FX_OK(f, store_meta_set(t, "before", "changed", &f->e));
    FX_OK(f, store_savepoint_rollback(t, &f->e));
    assert_null(meta(f, t, "inside"));
    assert_string_equal(meta(f, t, "before"), "1");
    /* Another savepoint after the first ended, released: kept. */
    FX_OK(f, store_savepoint(t, &f->e));
    FX_OK(f, store_meta_set(t, "after", "3", &f->e));
    FX_OK(f, store_savepoint_release(t, &f->e));
    FX_OK(f, store_meta_set(t, "last", "4", &f->e));
    commit(f, t);

    assert_string_equal(meta(f, NULL, "before"), "1");
    assert_null(meta(f, NULL, "inside"));
    assert_string_equal(meta(f, NULL, "after"), "3");
    assert_string_equal(meta(f, NULL, "last"), "4");
}

static void
released_savepoint_goes_with_its_transaction(void **state)
{
    struct fx *f = *state;
    struct store_txn *t = begin(f);
    FX_OK(f, store_savepoint(t, &f->e));
    FX_OK(f, store_meta_set(t, "inside", "1", &f->e));
    FX_OK(f, store_savepoint_release(t, &f->e));
    store_rollback(t);
    assert_null(meta(f, NULL, "inside"));
}

/* A write that fails (a key taken, a reference to nothing, a staff write
 * without its record) inside a savepoint: rolled back to it, the earlier
 * writes of the transaction stay and the commit keeps them. */
static void
failed_write_in_a_savepoint_keeps_the_earlier_writes(void **state)
{
    struct fx *f = *state;
    fx_user(f, "taken@example.org", ROLE_PETITIONER);
    struct store_txn *t = begin(f);
    FX_OK(f, store_meta_set(t, "before", "1", &f->e));

    FX_OK(f, store_savepoint(t, &f->e));
    FX_OK(f, store_meta_set(t, "inside", "1", &f->e));
    struct user u = fx_user_new(f, "TAKEN@example.org", ROLE_PETITIONER);
    FX_ERR(f, ERR_CONFLICT, store_user_insert(t, &u, &f->e));
    FX_OK(f, store_savepoint_rollback(t, &f->e));
    assert_string_equal(meta(f, t, "before"), "1");
    assert_null(meta(f, t, "inside"));

    FX_OK(f, store_savepoint(t, &f->e));
    FX_OK(f, store_meta_set(t, "before", "changed", &f->e));
    struct draft_record d = fx_draft_new(f, 424242);
    FX_ERR(f, ERR_INVALID, store_draft_insert(t, &d, &f->e));
    FX_OK(f, store_savepoint_rollback(t, &f->e));
    assert_string_equal(meta(f, t, "before"), "1");

    FX_OK(f, store_savepoint(t, &f->e));
    struct signing_rule r = {
        .block = true, .domain = true, .value = "spam.example", .note = "", .created_at = f->now};
    FX_ERR(f, ERR_UNAUDITED, store_signing_rule_insert(t, &r, &f->e));
    FX_OK(f, store_savepoint_rollback(t, &f->e));

    /* The transaction goes on and commits what came before and after. */
    FX_OK(f, store_meta_set(t, "after", "2", &f->e));
    commit(f, t);
    assert_string_equal(meta(f, NULL, "before"), "1");
    assert_string_equal(meta(f, NULL, "after"), "2");
    assert_null(meta(f, NULL, "inside"));
    struct user g;
    FX_OK(f, store_user_get(f->s, NULL, f->a, 0, "taken@example.org", &g, &f->e));
    assert_string_equal(g.email, "taken@example.org");
    struct draft_record *drafts;
    int n;
    struct draft_query q = {.petitioner_id = 424242, .limit = 10};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &drafts, &n, &f->e));
    assert_int_equal(n, 0);
    struct signing_rule *rules;
    FX_OK(f, store_signing_rule_list(f->s, NULL, f->a, &rules, &n, &f->e));
    assert_int_equal(n, 0);
}

/* ---- errors ------------------------------------------------------------------------------------
 */

static void
unique_key_taken_is_a_conflict(void **state)
{
    struct fx *f = *state;
    fx_user(f, "taken@example.org", ROLE_PETITIONER);
    struct user u = fx_user_new(f, "TAKEN@Example.org", ROLE_PETITIONER);
    FX_REFUSED(f, ERR_CONFLICT, store_user_insert(t, &u, &f->e));
    assert_non_null(f->e.key);
    /* A write refused leaves nothing of its transaction once rolled back. */
    struct store_txn *t = begin(f);
    FX_OK(f, store_meta_set(t, "first", "1", &f->e));
    FX_ERR(f, ERR_CONFLICT, store_user_insert(t, &u, &f->e));
    store_rollback(t);
    assert_null(meta(f, NULL, "first"));
}

static void
reference_to_nothing_is_invalid(void **state)
{
    struct fx *f = *state;
    /* A draft of an account that does not exist. */
    struct draft_record d = fx_draft_new(f, 424242);
    FX_REFUSED(f, ERR_INVALID, store_draft_insert(t, &d, &f->e));
    /* A signature of a petition that does not exist. */
    struct signature_record s = fx_signature_new(f, 424242, "a@example.org");
    FX_REFUSED(f, ERR_INVALID, store_signature_insert(t, &s, &f->e));
    /* A petition under a subject that does not exist (petitions.h). */
    struct petition p = fx_petition_new(f, 1001);
    p.subject.code = "no-such-subject";
    fx_house(f);
    FX_REFUSED_AUDITED(f, ERR_INVALID, store_petition_insert(t, &p, &f->e));
    assert_non_null(f->e.key);
}

static void
missing_required_value_is_invalid(void **state)
{
    struct fx *f = *state;
    struct member m = {.key = "nameless",
                       .last_name = "Nameless",
                       .constituency = {"A", "B"},
                       .province = REGION_ON,
                       .caucus = {"C", "D"}}; /* no first name */
    FX_REFUSED(f, ERR_INVALID, store_member_put(t, &m, &f->e));
    struct outbox_mail mail = {.created_at = f->now,
                               .kind = "test",
                               .to_name = "",
                               .subject = "s",
                               .body = "b",
                               .next_try_at = f->now}; /* no address */
    FX_REFUSED(f, ERR_INVALID, store_outbox_insert(t, &mail, &f->e));
}

static void
unknown_key_is_not_found(void **state)
{
    struct fx *f = *state;
    struct user u;
    FX_ERR(f, ERR_NOT_FOUND, store_user_get(f->s, NULL, f->a, 424242, NULL, &u, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_user_get(f->s, NULL, f->a, 0, "nobody@example.org", &u, &f->e));
    struct draft_record d;
    FX_ERR(f, ERR_NOT_FOUND, store_draft_get(f->s, NULL, f->a, 424242, &d, &f->e));
    struct petition p;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = 424242};
    FX_ERR(f, ERR_NOT_FOUND, store_petition_get(f->s, NULL, f->a, &n, &p, &f->e));
    struct member m;
    FX_ERR(f, ERR_NOT_FOUND, store_member_get(f->s, NULL, f->a, 0, "nobody", &m, &f->e));
    /* A write that says so: removing a list entry that does not exist. */
    FX_REFUSED_AUDITED(f, ERR_NOT_FOUND, store_signing_rule_delete(t, 424242, &f->e));
    /* Within a transaction too. */
    struct store_txn *t = begin(f);
    FX_ERR(f, ERR_NOT_FOUND, store_user_get(f->s, t, f->a, 424242, NULL, &u, &f->e));
    store_rollback(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(store_names_its_engine_and_schema),
        FX_TEST(open_without_create_refuses_a_missing_database),
        FX_TEST(rolled_back_write_is_gone),
        FX_TEST(committed_write_is_seen_without_a_transaction),
        FX_TEST(transaction_sees_its_writes_before_others_do),
        FX_TEST(interleaved_transactions_lose_no_update),
        FX_TEST(savepoint_rollback_keeps_what_came_before),
        FX_TEST(released_savepoint_goes_with_its_transaction),
        FX_TEST(failed_write_in_a_savepoint_keeps_the_earlier_writes),
        FX_TEST(unique_key_taken_is_a_conflict),
        FX_TEST(reference_to_nothing_is_invalid),
        FX_TEST(missing_required_value_is_invalid),
        FX_TEST(unknown_key_is_not_found),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
