/*
 * nodes_test.c: what several nodes on one database share (issue 17),
 * with the time given as the site's clock gives it (a fixed `now`): the
 * leases of store/meta.h (free, held, renewed by its holder, refused to
 * another until it expires, released; two takers at once: one holds
 * it), lease_hold() of workflow/leases.h (a node killed while holding a
 * lease is replaced once it has expired, and its holder renews it before
 * then), the change version (moved by one per bump, only once
 * committed), the claims of e-mails in store/mail.h (each e-mail claimed
 * once, even by two claimers at once; a claim that passes unsent makes it
 * due again), the stored totals that the counts in memory poll
 * (store/petitions.h), and the poll itself (workflow/counts.h): another
 * node's commit read again, this node's own never taken for another's,
 * whether the poll runs while it commits or after.
 */
#include "store_fixture.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store/mail.h"
#include "workflow/counts.h"
#include "workflow/flow.h"
#include "workflow/leases.h"
#include "lib/banned.h"

/* ---- leases ---------------------------------------------------------------------------- */

static bool
take(struct fx *f, const char *name, const char *holder, int64_t now, int64_t until)
{
    bool held = true;
    FX_WRITE(f, store_lease_take(t, name, holder, now, until, &held, &f->e));
    return held;
}

static void
lease_held_until_it_expires_then_taken_by_another(void **state)
{
    struct fx *f = *state;
    int64_t now = f->now;
    const char *holder = "x";
    int64_t until = -1;

    /* Never taken: nobody. */
    FX_OK(f, store_lease_get(f->s, NULL, f->a, "scheduler", &holder, &until, &f->e));
    assert_null(holder);
    assert_int_equal(until, 0);

    /* Free: a takes it; b is refused while it lasts. */
    assert_true(take(f, "scheduler", "a", now, now + 30));
    assert_false(take(f, "scheduler", "b", now + 10, now + 40));
    /* a renews it (even with no time left to it: it is a's). */
    assert_true(take(f, "scheduler", "a", now + 20, now + 50));
    assert_false(take(f, "scheduler", "b", now + 49, now + 79));
    FX_OK(f, store_lease_get(f->s, NULL, f->a, "scheduler", &holder, &until, &f->e));
    assert_string_equal(holder, "a");
    assert_int_equal(until, now + 50);

    /* Another lease is another row. */
    assert_true(take(f, "mailing", "b", now + 49, now + 79));

    /* a stops renewing (killed): at its expiry b takes it, and a, back,
     * is refused. */
    assert_true(take(f, "scheduler", "b", now + 50, now + 80));
    assert_false(take(f, "scheduler", "a", now + 51, now + 81));
    FX_OK(f, store_lease_get(f->s, NULL, f->a, "scheduler", &holder, &until, &f->e));
    assert_string_equal(holder, "b");
    assert_int_equal(until, now + 80);

    /* Only the holder releases it; released, it is free at once. */
    FX_WRITE(f, store_lease_release(t, "scheduler", "a", &f->e));
    assert_false(take(f, "scheduler", "a", now + 52, now + 82));
    FX_WRITE(f, store_lease_release(t, "scheduler", "b", &f->e));
    assert_true(take(f, "scheduler", "a", now + 52, now + 82));

    /* A take rolled back took nothing. */
    struct store_txn *t = fx_begin(f);
    bool held = false;
    FX_OK(f, store_lease_take(t, "mailing", "a", now + 100, now + 130, &held, &f->e));
    assert_true(held);
    fx_rollback(f, t);
    FX_OK(f, store_lease_get(f->s, NULL, f->a, "mailing", &holder, &until, &f->e));
    assert_string_equal(holder, "b");
}

/* Two nodes taking the same lease at the same moment, round after round
 * (each round's lease expired by the next): exactly one holds it. */
struct taker {
    struct store *s;
    pthread_barrier_t *start;
    const char *holder;
    int64_t now;
    int rounds;
    int held; /* rounds this taker held it */
    int r;
};

static void *
take_rounds(void *arg)
{
    struct taker *tk = arg;
    struct err e = ERR_INIT;
    for (int i = 0; i < tk->rounds && !tk->r; i++) {
        struct store_txn *t = NULL;
        bool held = false;
        int64_t now = tk->now + 100 * i;
        pthread_barrier_wait(tk->start);
        int r = store_begin(tk->s, &t, &e);
        if (!r) {
            r = store_lease_take(t, "scheduler", tk->holder, now, now + 30, &held, &e);
            if (!r)
                r = store_commit(t, &e);
            else
                store_rollback(t);
        }
        if (r)
            tk->r = r;
        else if (held)
            tk->held++;
    }
    return NULL;
}

static void
two_takers_at_once_one_holds_it(void **state)
{
    struct fx *f = *state;
    enum { ROUNDS = 20 };
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct taker tk[2] = {
        {.s = f->s, .start = &start, .holder = "a", .now = f->now, .rounds = ROUNDS},
        {.s = f->s, .start = &start, .holder = "b", .now = f->now, .rounds = ROUNDS}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, take_rounds, &tk[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&start);
    assert_int_equal(tk[0].r, 0);
    assert_int_equal(tk[1].r, 0);
    /* Each round the lease of the last has expired (70 s ago): the first
     * of the two takes it and the other finds it held; never both. */
    assert_int_equal(tk[0].held + tk[1].held, ROUNDS);
    const char *holder;
    int64_t until;
    FX_OK(f, store_lease_get(f->s, NULL, f->a, "scheduler", &holder, &until, &f->e));
    assert_int_equal(until, f->now + 100 * (ROUNDS - 1) + 30);
}

/* lease_hold(), as the scheduler and the mail thread ask it, with the
 * site's clock: node a holds the lease and renews it before it expires;
 * killed, it stops asking, and node b, asking every second, gets it at
 * the second it expires, not before. */
static void
killed_holder_is_replaced_within_the_lease_time(void **state)
{
    struct fx *f = *state;
    struct flow a = {.store = f->s, .node = "node-a"}, b = {.store = f->s, .node = "node-b"};
    struct lease la = {.name = LEASE_SCHEDULER}, lb = {.name = LEASE_SCHEDULER};
    int64_t now = f->now;
    const char *holder;
    int64_t until;

    assert_true(lease_hold(&a, &la, now));
    assert_int_equal(la.until, now + LEASE_SECONDS);
    assert_false(lease_hold(&b, &lb, now));
    assert_int_equal(lb.until, 0);
    /* a asks every second for a minute: held throughout, renewed in the
     * store whenever half of it is gone, so b never gets it. */
    for (int s = 1; s <= 60; s++) {
        assert_true(lease_hold(&a, &la, now + s));
        assert_false(lease_hold(&b, &lb, now + s));
        FX_OK(f, store_lease_get(f->s, NULL, f->a, LEASE_SCHEDULER, &holder, &until, &f->e));
        assert_string_equal(holder, "node-a");
        assert_true(until - (now + s) >= LEASE_SECONDS / 2);
    }
    /* a is killed at now + 60: its last renewal stands. */
    FX_OK(f, store_lease_get(f->s, NULL, f->a, LEASE_SCHEDULER, &holder, &until, &f->e));
    assert_true(until > now + 60 && until <= now + 60 + LEASE_SECONDS);
    int64_t s = now + 61;
    for (; s < until; s++)
        assert_false(lease_hold(&b, &lb, s));
    assert_true(lease_hold(&b, &lb, s)); /* within the lease time of the kill */
    assert_true(s - (now + 60) <= LEASE_SECONDS);
    /* a, were it only paused, finds it gone at its next renewal. */
    assert_false(lease_hold(&a, &la, s + 1));
    assert_int_equal(la.until, 0);
    /* b stops and gives it up: a takes it at once. */
    lease_drop(&b, &lb);
    assert_true(lease_hold(&a, &la, s + 2));
}

/* ---- the change version ------------------------------------------------------------------ */

static int64_t
version(struct fx *f)
{
    int64_t v = -1;
    FX_OK(f, store_change_version(f->s, NULL, &v, &f->e));
    return v;
}

static void
change_version_moves_once_committed(void **state)
{
    struct fx *f = *state;
    int64_t v = version(f);
    assert_true(v >= 0);
    FX_WRITE(f, store_change_bump(t, &f->e));
    assert_int_equal(version(f), v + 1);
    /* Not seen before its commit; rolled back, not at all. */
    struct store_txn *t = fx_begin(f);
    FX_OK(f, store_change_bump(t, &f->e));
    assert_int_equal(version(f), v + 1);
    fx_rollback(f, t);
    assert_int_equal(version(f), v + 1);
    t = fx_begin(f);
    FX_OK(f, store_change_bump(t, &f->e));
    FX_OK(f, store_change_bump(t, &f->e));
    fx_commit(f, t);
    assert_int_equal(version(f), v + 3);
}

/* ---- claims of e-mails --------------------------------------------------------------------- */

static int64_t
queue(struct fx *f, const char *to, int64_t at)
{
    struct outbox_mail m = {.created_at = at,
                            .kind = "supporter-invitation",
                            .to_addr = to,
                            .to_name = "",
                            .lang = LANG_EN,
                            .subject = "Subject",
                            .body = "Body"};
    FX_WRITE(f, store_outbox_insert(t, &m, &f->e));
    return m.id;
}

static int
claim(struct fx *f, int64_t now, int64_t until, int limit, struct outbox_mail **out)
{
    int n = -1;
    FX_WRITE(f, store_outbox_claim(t, f->a, now, until, limit, out, &n, &f->e));
    return n;
}

static void
claimed_mail_is_not_due_again_until_the_claim_passes(void **state)
{
    struct fx *f = *state;
    int64_t now = f->now;
    int64_t id[5];
    /* Queued out of order: the earliest due are claimed first. */
    id[2] = queue(f, "c@example.org", now - 10);
    id[0] = queue(f, "a@example.org", now - 30);
    id[1] = queue(f, "b@example.org", now - 20);
    id[3] = queue(f, "d@example.org", now);
    id[4] = queue(f, "e@example.org", now + 60); /* not due yet */
    struct outbox_mail *m;

    int n = claim(f, now, now + 120, 3, &m);
    assert_int_equal(n, 3);
    /* The three earliest due, by id, with their next try at the claim's end. */
    int64_t want[3] = {id[0], id[1], id[2]};
    for (int i = 0, j; i < 3; i++) {
        for (j = 0; j < 3 && m[i].id != want[j]; j++)
            ;
        assert_true(j < 3);
        assert_int_equal(m[i].next_try_at, now + 120);
        assert_string_equal(m[i].subject, "Subject");
        if (i)
            assert_true(m[i].id > m[i - 1].id);
    }
    /* Another claimer gets the one left due, not those. */
    n = claim(f, now, now + 120, 3, &m);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].id, id[3]);
    assert_int_equal(claim(f, now + 30, now + 150, 10, &m), 0);

    /* One is sent; the claims pass (their claimer died): the others are
     * due again, with the one that came due meanwhile. */
    FX_WRITE(f, store_outbox_sent(t, id[1], now + 5, &f->e));
    n = claim(f, now + 120, now + 240, 10, &m);
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++)
        assert_int_not_equal(m[i].id, id[1]);
    /* A failed attempt sets its own next try, which a claim respects. */
    struct outbox_failure why = {.at = now + 121, .next_try_at = now + 181, .error = "x"};
    FX_WRITE(f, store_outbox_failed(t, id[0], &why, &f->e));
    n = claim(f, now + 180, now + 300, 10, &m);
    assert_int_equal(n, 0);
    n = claim(f, now + 181, now + 300, 10, &m);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].id, id[0]);
}

/* Two nodes claiming from one outbox at once, until it is empty: every
 * e-mail claimed once. */
struct claimer {
    struct store *s;
    pthread_barrier_t *start;
    int64_t now;
    int64_t ids[64];
    int n;
    int r;
};

static void *
claim_all(void *arg)
{
    struct claimer *c = arg;
    struct arena *a = arena_new();
    struct err e = ERR_INIT;
    pthread_barrier_wait(c->start);
    for (;;) {
        struct store_txn *t = NULL;
        struct outbox_mail *m = NULL;
        int n = 0;
        int r = store_begin(c->s, &t, &e);
        if (!r) {
            r = store_outbox_claim(t, a, c->now, c->now + 120, 3, &m, &n, &e);
            if (!r)
                r = store_commit(t, &e);
            else
                store_rollback(t);
        }
        if (r) {
            c->r = r;
            break;
        }
        if (n == 0)
            break;
        for (int i = 0; i < n && c->n < 64; i++)
            c->ids[c->n++] = m[i].id;
    }
    arena_free(a);
    return NULL;
}

static void
two_claimers_at_once_never_get_the_same_mail(void **state)
{
    struct fx *f = *state;
    enum { MAILS = 30 };
    char to[32];
    for (int i = 0; i < MAILS; i++) {
        snprintf(to, sizeof(to), "p%d@example.org", i);
        queue(f, to, f->now - i);
    }
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct claimer c[2] = {{.s = f->s, .start = &start, .now = f->now},
                           {.s = f->s, .start = &start, .now = f->now}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, claim_all, &c[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&start);
    assert_int_equal(c[0].r, 0);
    assert_int_equal(c[1].r, 0);
    assert_int_equal(c[0].n + c[1].n, MAILS);
    for (int i = 0; i < c[0].n; i++)
        for (int j = 0; j < c[1].n; j++)
            assert_int_not_equal(c[0].ids[i], c[1].ids[j]);
}

/* ---- the totals the counts in memory poll ---------------------------------------------------- */

static void
totals_in_the_order_asked(void **state)
{
    struct fx *f = *state;
    int64_t a = fx_petition(f, 6101), b = fx_petition(f, 6102);
    fx_count(f, a, REGION_ON, 3, f->now);
    fx_count(f, b, REGION_QC, 5, f->now);
    fx_count(f, b, REGION_BC, 1, f->now);
    int64_t ids[4] = {b, 999999, a, b}, totals[4] = {0};
    int64_t base_a = 0, base_b = 0, regions[REGION_COUNT];
    FX_OK(f, store_petition_counts_stored(f->s, NULL, a, regions, &base_a, &f->e));
    FX_OK(f, store_petition_counts_stored(f->s, NULL, b, regions, &base_b, &f->e));
    FX_OK(f, store_petition_totals(f->s, NULL, ids, 4, totals, &f->e));
    assert_int_equal(totals[0], base_b);
    assert_int_equal(totals[1], -1);
    assert_int_equal(totals[2], base_a);
    assert_int_equal(totals[3], base_b);
    fx_count(f, a, REGION_ON, 1, f->now);
    FX_OK(f, store_petition_totals(f->s, NULL, ids + 2, 1, totals, &f->e));
    assert_int_equal(totals[0], base_a + 1);
    /* None asked: nothing read. */
    FX_OK(f, store_petition_totals(f->s, NULL, ids, 0, totals, &f->e));
}

/* Two nodes' counts in memory on one store: node 1's writer commits
 * around count_mirror_commit_begin() and _end() as intake.c does; node 2
 * only polls. */
static int64_t
total_of(struct fx *f, struct count_mirror *m, int64_t id)
{
    struct count_snapshot snap;
    FX_OK(f, count_mirror_get(m, id, 0, &snap, &f->e));
    return snap.total;
}

static void
poll_reads_another_nodes_commit_never_its_own(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 6201);
    struct count_mirror *m1 = count_mirror_new(f->s), *m2 = count_mirror_new(f->s);
    int moved = -1;
    int64_t base = total_of(f, m1, id);
    assert_int_equal(total_of(f, m2, id), base);

    /* Node 1 commits one confirmation; node 2 polls while it commits (the
     * count stored, its end not yet announced), and after. */
    struct count_delta d = {.petition_id = id, .region = REGION_QC, .delta = 1};
    count_mirror_commit_begin(m1, &d, 1);
    fx_count(f, id, REGION_QC, 1, f->now);
    FX_OK(f, count_mirror_poll(m1, &moved, &f->e));
    assert_int_equal(moved, 0); /* its own commit in flight: left alone */
    FX_OK(f, count_mirror_poll(m2, &moved, &f->e));
    assert_int_equal(moved, 1); /* another's: read again */
    assert_int_equal(total_of(f, m2, id), base + 1);
    count_mirror_commit_end(m1, &d, 1, true);
    assert_int_equal(total_of(f, m1, id), base + 1); /* applied once */
    FX_OK(f, count_mirror_poll(m1, &moved, &f->e));
    assert_int_equal(moved, 0);
    assert_int_equal(total_of(f, m1, id), base + 1);

    /* Node 2's commits, as node 1 sees them: read again, once. */
    fx_count(f, id, REGION_ON, 2, f->now);
    FX_OK(f, count_mirror_poll(m1, &moved, &f->e));
    assert_int_equal(moved, 1);
    FX_OK(f, count_mirror_poll(m1, &moved, &f->e));
    assert_int_equal(moved, 0);
    assert_int_equal(total_of(f, m1, id), base + 3);
    FX_OK(f, count_mirror_poll(m2, &moved, &f->e));
    assert_int_equal(total_of(f, m2, id), base + 3);

    /* The minute's check on both: another node's commit is no drift. */
    int checked = 0, drifted = -1;
    fx_count(f, id, REGION_BC, 1, f->now);
    FX_OK(f, count_mirror_check(m1, f->now, &checked, &drifted, &f->e));
    assert_int_equal(drifted, 0);
    assert_int_equal(total_of(f, m1, id), base + 4);
    FX_OK(f, count_mirror_check(m1, f->now, &checked, &drifted, &f->e));
    assert_int_equal(checked, 1);
    assert_int_equal(drifted, 0);
    count_mirror_free(m1);
    count_mirror_free(m2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(lease_held_until_it_expires_then_taken_by_another),
        FX_TEST(two_takers_at_once_one_holds_it),
        FX_TEST(killed_holder_is_replaced_within_the_lease_time),
        FX_TEST(change_version_moves_once_committed),
        FX_TEST(claimed_mail_is_not_due_again_until_the_claim_passes),
        FX_TEST(two_claimers_at_once_never_get_the_same_mail),
        FX_TEST(totals_in_the_order_asked),
        FX_TEST(poll_reads_another_nodes_commit_never_its_own),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
