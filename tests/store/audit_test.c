/*
 * audit_test.c: the append-only log of staff actions and the audit guard
 * (store/audit.h): a record round-trips with its actor's address, the
 * list is newest first with its filters (petition, user, an action or a
 * family of them) and its paging; an audited write in a transaction that
 * appended no record fails with ERR_UNAUDITED and writes nothing, with a
 * record it succeeds, and a record licenses only its own transaction;
 * records read again after more appends are unchanged (the store offers
 * no way to change or delete one).  Each area's test checks the guard on
 * its own audited writes.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

static struct audit_entry
entry(struct fx *f, int64_t user_id, const char *role, const char *action, int64_t petition_id)
{
    struct audit_entry a = {.at = f->now,
                            .user_id = user_id,
                            .role = role,
                            .action = action,
                            .petition_id = petition_id,
                            .target = "",
                            .reason = ""};
    return a;
}

static int64_t
append(struct fx *f, struct audit_entry *a)
{
    FX_WRITE(f, store_audit_append(t, a, &f->e));
    assert_true(a->id != 0);
    return a->id;
}

static void
assert_same_entry(const struct audit_entry *x, const struct audit_entry *y)
{
    assert_int_equal(x->id, y->id);
    assert_int_equal(x->at, y->at);
    assert_int_equal(x->user_id, y->user_id);
    assert_string_equal(x->role, y->role);
    assert_string_equal(x->action, y->action);
    assert_int_equal(x->petition_id, y->petition_id);
    assert_string_equal(x->target ? x->target : "", y->target ? y->target : "");
    assert_string_equal(x->reason ? x->reason : "", y->reason ? y->reason : "");
    assert_true(fx_json_equal(x->details, y->details));
}

static void
record_round_trips_with_its_actor(void **state)
{
    struct fx *f = *state;
    int64_t clerk = fx_user(f, "Clerk@Example.org", ROLE_CLERK);
    int64_t pid = fx_petition(f, 6512);

    struct audit_entry a = entry(f, clerk, "clerk", "signature.invalidate", pid);
    a.at = f->now + 7;
    a.target = "e-6512";
    a.reason = "Same person, two addresses « bis »";
    a.details = "{\"signatures\":[4,5],\"note\":\"é\"}";
    append(f, &a);
    struct audit_entry sys = entry(f, 0, "system", "retention.erase", pid);
    sys.details = NULL;
    append(f, &sys);
    assert_true(sys.id > a.id);

    struct audit_query q = {.petition_id = pid, .limit = 10};
    struct audit_entry *list;
    int n;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_same_entry(&list[1], &a);
    assert_string_equal(list[1].user_email, "Clerk@Example.org");
    /* petitiond's own: no actor, and no details reads as "{}". */
    assert_int_equal(list[0].id, sys.id);
    assert_int_equal(list[0].user_id, 0);
    assert_string_equal(list[0].role, "system");
    assert_null(list[0].user_email);
    assert_true(fx_json_equal(list[0].details, "{}"));
}

static void
list_newest_first_with_filters_and_paging(void **state)
{
    struct fx *f = *state;
    int64_t clerk = fx_user(f, "clerk@example.org", ROLE_CLERK);
    int64_t admin = fx_user(f, "admin@example.org", ROLE_ADMIN);
    int64_t p1 = fx_petition(f, 1001);
    int64_t p2 = fx_petition(f, 1002);
    struct audit_entry e[] = {
        entry(f, clerk, "clerk", "signature.invalidate", p1),
        entry(f, clerk, "clerk", "signature.validate", p2),
        entry(f, admin, "admin", "signatures.export", p1), /* not of the family "signature." */
        entry(f, admin, "admin", "petition.remove", p1),
        entry(f, clerk, "clerk", "signature", p1),
        entry(f, clerk, "clerk", "signature.validate", p1),
    };
    int ne = (int)(sizeof(e) / sizeof(e[0]));
    for (int i = 0; i < ne; i++)
        append(f, &e[i]);

    struct audit_entry *list;
    int n;
    /* Everything, newest first. */
    struct audit_query q = {.limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_true(n >= ne);
    for (int i = 0; i < ne; i++)
        assert_int_equal(list[i].id, e[ne - 1 - i].id);
    for (int i = 1; i < n; i++)
        assert_true(list[i - 1].id > list[i].id);

    /* One action exactly. */
    q = (struct audit_query){.action = "signature.validate", .limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, e[5].id);
    assert_int_equal(list[1].id, e[1].id);
    /* A family: the prefix ending in '.'. */
    q = (struct audit_query){.action = "signature.", .limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, e[5].id);
    assert_int_equal(list[1].id, e[1].id);
    assert_int_equal(list[2].id, e[0].id);
    /* A prefix without the '.' is an action name, not a family. */
    q = (struct audit_query){.action = "signature", .limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, e[4].id);

    /* By user, by petition, both. */
    q = (struct audit_query){.user_id = admin, .limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, e[3].id);
    assert_int_equal(list[1].id, e[2].id);
    q = (struct audit_query){.petition_id = p2, .limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, e[1].id);
    q = (struct audit_query){
        .petition_id = p1, .user_id = clerk, .action = "signature.", .limit = 500};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, e[5].id);
    assert_int_equal(list[1].id, e[0].id);

    /* Pages of two, newest first, by ids below the last seen. */
    q = (struct audit_query){.petition_id = p1, .limit = 2};
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, e[5].id);
    assert_int_equal(list[1].id, e[4].id);
    q.before_id = list[1].id;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, e[3].id);
    assert_int_equal(list[1].id, e[2].id);
    q.before_id = list[1].id;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    /* The petition's own record from its insertion may follow: only older ones. */
    assert_true(n >= 1);
    assert_int_equal(list[0].id, e[0].id);
    for (int i = 0; i < n; i++)
        assert_true(list[i].id < e[2].id);
}

/* The number of entries on the allow and block lists. */
static int
rules(struct fx *f)
{
    struct signing_rule *list;
    int n;
    FX_OK(f, store_signing_rule_list(f->s, NULL, f->a, &list, &n, &f->e));
    return n;
}

static void
audited_write_without_a_record_writes_nothing(void **state)
{
    struct fx *f = *state;
    struct signing_rule r = {
        .block = true, .domain = true, .value = "spam.example", .note = "", .created_at = f->now};

    /* Alone in its transaction: refused, nothing written. */
    FX_REFUSED(f, ERR_UNAUDITED, store_signing_rule_insert(t, &r, &f->e));
    assert_int_equal(rules(f), 0);

    /* After other writes of the same transaction: refused; the caller rolls
     * back and nothing of the transaction is kept. */
    struct store_txn *t = fx_begin(f);
    FX_OK(f, store_meta_set(t, "before", "1", &f->e));
    FX_ERR(f, ERR_UNAUDITED, store_signing_rule_insert(t, &r, &f->e));
    fx_rollback(f, t);
    const char *v;
    FX_OK(f, store_meta_get(f->s, NULL, f->a, "before", &v, &f->e));
    assert_null(v);
    assert_int_equal(rules(f), 0);

    /* With its record appended first: written, with the record. */
    t = fx_begin(f);
    struct audit_entry a = entry(f, 0, "system", "rule.add", 0);
    a.target = "spam.example";
    FX_OK(f, store_audit_append(t, &a, &f->e));
    FX_OK(f, store_signing_rule_insert(t, &r, &f->e));
    fx_commit(f, t);
    assert_int_equal(rules(f), 1);
    struct audit_query q = {.action = "rule.add", .limit = 10};
    struct audit_entry *list;
    int n;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, a.id);
}

static void
record_licenses_only_its_own_transaction(void **state)
{
    struct fx *f = *state;
    struct audit_entry a = entry(f, 0, "system", "test.earlier", 0);
    append(f, &a); /* committed in a transaction of its own */
    struct signing_rule r = {
        .block = false, .domain = false, .value = "192.0.2.0/24", .note = "", .created_at = f->now};
    FX_REFUSED(f, ERR_UNAUDITED, store_signing_rule_insert(t, &r, &f->e));

    /* A record rolled back with its transaction is gone, and licensed nothing after. */
    struct store_txn *tx = fx_begin(f);
    struct audit_entry b = entry(f, 0, "system", "test.rolled-back", 0);
    FX_OK(f, store_audit_append(tx, &b, &f->e));
    fx_rollback(f, tx);
    struct audit_query q = {.action = "test.rolled-back", .limit = 10};
    struct audit_entry *list;
    int n;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 0);
    FX_REFUSED(f, ERR_UNAUDITED, store_signing_rule_insert(t, &r, &f->e));
    assert_int_equal(rules(f), 0);
}

static void
records_read_again_are_unchanged(void **state)
{
    struct fx *f = *state;
    int64_t clerk = fx_user(f, "clerk@example.org", ROLE_CLERK);
    struct audit_entry first[3] = {
        entry(f, clerk, "clerk", "log.one", 0),
        entry(f, 0, "system", "log.two", 0),
        entry(f, clerk, "clerk", "log.three", 0),
    };
    first[0].reason = "first";
    first[1].details = "{\"k\":1}";
    first[2].target = "user 12";
    for (int i = 0; i < 3; i++)
        append(f, &first[i]);
    struct audit_query q = {.action = "log.", .limit = 500};
    struct audit_entry *before;
    int nb;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &before, &nb, &f->e));
    assert_int_equal(nb, 3);

    /* More appends, some in a transaction rolled back, some with the same
     * action, target and petition. */
    for (int i = 0; i < 3; i++) {
        struct audit_entry more = entry(f, clerk, "clerk", "log.one", 0);
        more.reason = "later";
        more.details = "{\"k\":2}";
        append(f, &more);
    }
    struct store_txn *t = fx_begin(f);
    struct audit_entry gone = entry(f, clerk, "clerk", "log.two", 0);
    FX_OK(f, store_audit_append(t, &gone, &f->e));
    fx_rollback(f, t);

    struct audit_entry *after;
    int na;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &after, &na, &f->e));
    assert_int_equal(na, 6);
    for (int i = 0; i < nb; i++) {
        assert_same_entry(&after[3 + i], &before[i]);
        assert_same_entry(&after[3 + i], &first[2 - i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(record_round_trips_with_its_actor),
        FX_TEST(list_newest_first_with_filters_and_paging),
        FX_TEST(audited_write_without_a_record_writes_nothing),
        FX_TEST(record_licenses_only_its_own_transaction),
        FX_TEST(records_read_again_are_unchanged),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
