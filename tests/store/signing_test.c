/*
 * signing_test.c: signatures and the counts they move (store/signing.h):
 * count_add moves a region, the total and the day and never goes below 0;
 * the stored counts, a recount beside them and its fix; a signature
 * round-trips, is one per e-mail key on a petition, is found by key, and
 * its review is an audited record; the rate windows; the Clerk's list,
 * statistics and search with each of its conditions (signatures sharing a
 * mailbox, whose keys migration 0010 kept apart by case, among them); the
 * allow and block lists in their order.
 */
#include "store_fixture.h"

#include <stdio.h>
#include <string.h>

#include "lib/banned.h"

static void
stored_counts(struct fx *f, int64_t pid, int64_t out[REGION_COUNT], int64_t *total)
{
    FX_OK(f, store_petition_counts_stored(f->s, NULL, pid, out, total, &f->e));
}

static void
count_add_moves_region_total_and_day(void **state)
{
    struct fx *f = *state;
    struct petition p = fx_petition_new(f, 1);
    p.region_counts[REGION_QC] = 10; /* imported */
    p.signature_total = 10;
    int64_t id = fx_petition_insert(f, &p);
    int64_t other = fx_petition(f, 2);

    int64_t c[REGION_COUNT], total;
    stored_counts(f, id, c, &total);
    assert_int_equal(c[REGION_QC], 10);
    assert_int_equal(total, 10);

    int64_t day1 = fx_at(2025, 6, 2, 9, 0);
    fx_count(f, id, REGION_ON, 3, day1);
    fx_count(f, id, REGION_QC, 1, day1);
    fx_count(f, id, REGION_OUTSIDE, 1, day1 + 3600);
    fx_count(f, id, REGION_ON, -1, day1 + 86400);
    fx_count(f, other, REGION_ON, 7, day1);
    stored_counts(f, id, c, &total);
    assert_int_equal(c[REGION_ON], 2);
    assert_int_equal(c[REGION_QC], 11);
    assert_int_equal(c[REGION_OUTSIDE], 1);
    assert_int_equal(c[REGION_AB], 0);
    assert_int_equal(total, 14);
    assert_int_equal(fx_get(f, 1).signature_total, 14);
    assert_int_equal(fx_get(f, 1).region_counts[REGION_ON], 2);
    struct petition_brief b;
    FX_OK(f, store_petition_brief(f->s, NULL, id, 0, &b, &f->e));
    assert_int_equal(b.total, 14);

    struct day_count *days;
    int n;
    FX_OK(f, store_petition_days(f->s, NULL, f->a, id, &days, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(days[0].delta, 5);
    assert_int_equal(days[1].delta, -1);
    assert_int_equal(days[1].day.day, 3);

    /* Never below 0: refused, nothing moved. */
    FX_REFUSED(f, ERR_INVALID,
               store_petition_count_add(t, id, REGION_ON, -3, day1 + 2 * 86400, &f->e));
    stored_counts(f, id, c, &total);
    assert_int_equal(c[REGION_ON], 2);
    assert_int_equal(total, 14);
    FX_OK(f, store_petition_days(f->s, NULL, f->a, id, &days, &n, &f->e));
    assert_int_equal(n, 2);

    /* Read in the transaction that moves it. */
    struct store_txn *tx = fx_begin(f);
    FX_OK(f, store_petition_count_add(tx, id, REGION_ON, 1, day1, &f->e));
    FX_OK(f, store_petition_counts_stored(f->s, tx, id, c, &total, &f->e));
    assert_int_equal(total, 15);
    fx_rollback(f, tx);
    stored_counts(f, id, c, &total);
    assert_int_equal(total, 14);
}

static void
recount_beside_stored_counts_and_fix(void **state)
{
    struct fx *f = *state;
    struct petition p = fx_petition_new(f, 1);
    p.region_counts[REGION_QC] = 10;
    p.signature_total = 10;
    int64_t id = fx_petition_insert(f, &p);
    int64_t T = f->now;
    fx_signature(f, id, "a@example.org", REGION_ON, T);
    fx_signature(f, id, "b@example.org", REGION_ON, T);
    fx_signature(f, id, "c@example.org", REGION_QC, T);
    fx_signature(f, id, "pending@example.org", REGION_ON, 0);
    struct signature_record r = fx_signature_new(f, id, "held@example.org");
    r.confirmed_at = T;
    r.review = REVIEW_SUSPECT;
    fx_signature_insert(f, &r);
    r = fx_signature_new(f, id, "ok@example.org");
    r.confirmed_at = T;
    r.review = REVIEW_VALIDATED;
    r.region = REGION_BC;
    fx_signature_insert(f, &r);
    r = fx_signature_new(f, id, "no@example.org");
    r.confirmed_at = T;
    r.review = REVIEW_INVALIDATED;
    fx_signature_insert(f, &r);
    /* The stored counts moved for only some of them (drift). */
    fx_count(f, id, REGION_ON, 1, T);

    struct petition_recount rc;
    FX_OK(f, store_petition_recount(f->s, NULL, id, &rc, &f->e));
    assert_int_equal(rc.stored[REGION_ON], 1);
    assert_int_equal(rc.stored[REGION_QC], 10);
    assert_int_equal(rc.stored_total, 11);
    assert_int_equal(rc.base[REGION_QC], 10);
    assert_int_equal(rc.base[REGION_ON], 0);
    assert_int_equal(rc.rows[REGION_ON], 2);
    assert_int_equal(rc.rows[REGION_QC], 1);
    assert_int_equal(rc.rows[REGION_BC], 1);
    assert_int_equal(rc.rows[REGION_AB], 0);

    FX_WRITE(f, store_petition_counts_fix(t, id, &rc, &f->e));
    int64_t c[REGION_COUNT], total;
    stored_counts(f, id, c, &total);
    assert_int_equal(c[REGION_ON], 2);
    assert_int_equal(c[REGION_QC], 11);
    assert_int_equal(c[REGION_BC], 1);
    assert_int_equal(total, 14);
    FX_OK(f, store_petition_recount(f->s, NULL, id, &rc, &f->e));
    for (int i = 0; i < REGION_COUNT; i++)
        assert_int_equal(rc.stored[i], rc.base[i] + rc.rows[i]);
    assert_int_equal(rc.stored_total, 14);
}

static void
count_add_many_as_one_by_one(void **state)
{
    struct fx *f = *state;
    int64_t one = fx_petition(f, 1), two = fx_petition(f, 2), three = fx_petition(f, 3);
    int64_t day1 = fx_at(2025, 6, 2, 9, 0);
    fx_count(f, one, REGION_ON, 3, day1);
    fx_count(f, two, REGION_QC, 2, day1);

    /* Counts that exist and counts that do not, on several petitions. */
    struct count_delta d[] = {
        {one, REGION_ON, 2}, {one, REGION_BC, 1}, {two, REGION_QC, -2}, {three, REGION_YT, 4}};
    FX_WRITE(f, store_petition_count_add_many(t, d, 4, day1 + 86400, &f->e));
    int64_t c[REGION_COUNT], total;
    stored_counts(f, one, c, &total);
    assert_int_equal(c[REGION_ON], 5);
    assert_int_equal(c[REGION_BC], 1);
    assert_int_equal(total, 6);
    stored_counts(f, two, c, &total);
    assert_int_equal(c[REGION_QC], 0);
    assert_int_equal(total, 0);
    stored_counts(f, three, c, &total);
    assert_int_equal(c[REGION_YT], 4);
    assert_int_equal(total, 4);
    struct day_count *days;
    int n;
    FX_OK(f, store_petition_days(f->s, NULL, f->a, one, &days, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(days[0].delta, 3);
    assert_int_equal(days[1].delta, 3);
    assert_int_equal(days[1].day.day, 3);

    /* One that would go below 0, or a petition that is not: refused. */
    struct count_delta below[] = {{one, REGION_ON, 1}, {two, REGION_QC, -1}};
    FX_REFUSED(f, ERR_INVALID, store_petition_count_add_many(t, below, 2, day1, &f->e));
    struct count_delta none[] = {{three + 1000, REGION_ON, 1}};
    FX_REFUSED(f, ERR_INVALID, store_petition_count_add_many(t, none, 1, day1, &f->e));
    stored_counts(f, one, c, &total);
    assert_int_equal(c[REGION_ON], 5);
    assert_int_equal(total, 6);
}

static void
signature_round_trips_once_per_key(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    int64_t clerk = fx_user(f, "clerk@example.org", ROLE_CLERK);
    struct signature_record r = fx_signature_new(f, pid, "Jean.Tremblay+petition@Example.org");
    r.first_name = "Jean";
    r.last_name = "Tremblay-Côté";
    r.country = "CA";
    r.region = REGION_QC;
    r.postal_code = "G1R 4S9";
    r.phone = "418-555-0199";
    r.lang = LANG_FR;
    r.ip = "2001:db8::7";
    r.rate_key = "2001:db8::/64";
    r.created_at = f->now - 5;
    r.confirmed_at = f->now;
    r.review = REVIEW_SUSPECT;
    r.flag = "burst";
    r.reviewed_at = f->now + 1;
    r.reviewed_by = clerk;
    r.mails = 2;
    r.review_note = "Held";
    int64_t id = fx_signature_insert(f, &r);

    struct signature_record g;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, id, &g, &f->e));
    assert_int_equal(g.id, id);
    assert_int_equal(g.petition_id, pid);
    assert_string_equal(g.email_key, r.email_key);
    assert_string_equal(g.email, "Jean.Tremblay+petition@Example.org");
    assert_string_equal(g.first_name, "Jean");
    assert_string_equal(g.last_name, "Tremblay-Côté");
    assert_string_equal(g.country, "CA");
    assert_int_equal(g.region, REGION_QC);
    assert_string_equal(g.postal_code, "G1R 4S9");
    assert_string_equal(g.phone, "418-555-0199");
    assert_int_equal(g.lang, LANG_FR);
    assert_string_equal(g.ip, "2001:db8::7");
    assert_string_equal(g.rate_key, "2001:db8::/64");
    assert_int_equal(g.created_at, f->now - 5);
    assert_int_equal(g.confirmed_at, f->now);
    assert_int_equal(g.review, REVIEW_SUSPECT);
    assert_string_equal(g.flag, "burst");
    assert_int_equal(g.mails, 2);
    FX_ERR(f, ERR_NOT_FOUND, store_signature_get(f->s, NULL, f->a, id + 1000, &g, &f->e));

    /* One per e-mail key on a petition; the same person on another is another. */
    struct signature_record dup = fx_signature_new(f, pid, "Jean.Tremblay@EXAMPLE.org");
    assert_string_equal(dup.email_key, r.email_key);
    FX_REFUSED(f, ERR_CONFLICT, store_signature_insert(t, &dup, &f->e));
    dup.petition_id = other;
    fx_signature_insert(f, &dup);

    FX_OK(f, store_signature_find(f->s, NULL, f->a, pid, r.email_key, &g, &f->e));
    assert_int_equal(g.id, id);
    FX_OK(f, store_signature_find(f->s, NULL, f->a, other, r.email_key, &g, &f->e));
    assert_int_equal(g.id, dup.id);
    FX_ERR(f, ERR_NOT_FOUND,
           store_signature_find(f->s, NULL, f->a, pid, "nobody@example.org", &g, &f->e));
}

static void
update_writes_what_may_change_and_review_is_audited(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t clerk = fx_user(f, "clerk@example.org", ROLE_CLERK);
    int64_t id = fx_signature(f, pid, "a@example.org", REGION_ON, 0);
    struct signature_record g;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, id, &g, &f->e));

    /* The signer confirms, a second e-mail went: no audit record. */
    g.confirmed_at = f->now + 10;
    g.mails = 2;
    FX_WRITE(f, store_signature_update(t, &g, &f->e));
    struct signature_record h;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, id, &h, &f->e));
    assert_int_equal(h.confirmed_at, f->now + 10);
    assert_int_equal(h.mails, 2);
    assert_int_equal(h.review, REVIEW_CLEAR);

    /* Held by a limit (flag) is not a review... the Clerk invalidates: audited. */
    h.review = REVIEW_INVALIDATED;
    h.reviewed_at = f->now + 20;
    h.reviewed_by = clerk;
    h.review_note = "Duplicate person";
    FX_REFUSED(f, ERR_UNAUDITED, store_signature_update(t, &h, &f->e));
    struct signature_record k;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, id, &k, &f->e));
    assert_int_equal(k.review, REVIEW_CLEAR);
    assert_int_equal(k.reviewed_at, 0);
    FX_AUDITED(f, store_signature_update(t, &h, &f->e));
    FX_OK(f, store_signature_get(f->s, NULL, f->a, id, &k, &f->e));
    assert_int_equal(k.review, REVIEW_INVALIDATED);
    assert_int_equal(k.reviewed_at, f->now + 20);
    assert_int_equal(k.reviewed_by, clerk);
    assert_string_equal(k.review_note, "Duplicate person");
    assert_int_equal(k.confirmed_at, f->now + 10);
    /* The personal data is not what an update writes. */
    assert_string_equal(k.email, "a@example.org");
}

static void
recent_signatures_in_both_windows(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    int64_t T = f->now;
    int64_t times[] = {T - 7200, T - 3000, T - 600, T - 60, T};
    const char *emails[] = {"s0@example.org", "s1@example.org", "s2@example.org", "s3@example.org",
                            "s4@example.org"};
    for (int i = 0; i < 5; i++) {
        struct signature_record r = fx_signature_new(f, pid, emails[i]);
        r.rate_key = "203.0.113.9";
        r.created_at = times[i];
        fx_signature_insert(f, &r);
    }
    struct signature_record r = fx_signature_new(f, pid, "x@example.org");
    r.rate_key = "198.51.100.1";
    fx_signature_insert(f, &r);
    r = fx_signature_new(f, other, "s0@example.org");
    r.rate_key = "203.0.113.9";
    fx_signature_insert(f, &r);

    int64_t burst = -1, sustained = -1;
    FX_OK(f, store_signature_recent(f->s, NULL, pid, "203.0.113.9", T - 600, T - 3600, &burst,
                                    &sustained, &f->e));
    assert_int_equal(burst, 3);     /* at or after T - 600 */
    assert_int_equal(sustained, 4); /* at or after T - 3600 */
    FX_OK(f, store_signature_recent(f->s, NULL, pid, "192.0.2.200", T - 600, T - 3600, &burst,
                                    &sustained, &f->e));
    assert_int_equal(burst, 0);
    assert_int_equal(sustained, 0);
}

static void
many_at_once_as_one_by_one(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    int64_t T = f->now;
    int64_t times[] = {T - 7200, T - 3000, T - 60};
    const char *emails[] = {"s0@example.org", "s1@example.org", "s2@example.org"};
    int64_t old[3];
    for (int i = 0; i < 3; i++) {
        struct signature_record r = fx_signature_new(f, pid, emails[i]);
        r.rate_key = "203.0.113.9";
        r.created_at = times[i];
        old[i] = fx_signature_insert(f, &r);
    }

    /* Probes: keys taken or free, on this petition only; the rates as
     * store_signature_recent() counts them; none asked, none given. */
    struct signature_probe p[] = {
        {pid, "s1@example.org", "203.0.113.9", T - 600, T - 3600, 0, 0, 0},
        {pid, "new@example.org", "203.0.113.9", T - 600, T - 3600, 0, 0, 0},
        {other, "s1@example.org", "203.0.113.9", T - 600, T - 3600, 0, 0, 0},
        {pid, "s2@example.org", NULL, T - 600, T - 3600, 0, 0, 0},
        {pid, "new@example.org", "198.51.100.1", T - 600, T - 3600, 0, 0, 0},
    };
    FX_OK(f, store_signature_probe(f->s, NULL, p, 5, &f->e));
    int64_t taken[] = {old[1], 0, 0, old[2], 0};
    int64_t burst[] = {1, 1, 0, 0, 0}, sustained[] = {2, 2, 0, 0, 0};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(p[i].taken, taken[i]);
        assert_int_equal(p[i].burst, burst[i]);
        assert_int_equal(p[i].sustained, sustained[i]);
    }

    /* Inserted with their ids, every value intact, the characters an
     * array's text form quotes included. */
    struct signature_record r[3];
    const char *names[] = {"O'Brien \"Bob\" {x}, \\ y", "NULL", "Zoé, «x»"};
    for (int i = 0; i < 3; i++) {
        char email[40];
        snprintf(email, sizeof(email), "m%d@example.org", i);
        r[i] = fx_signature_new(f, i == 2 ? other : pid, arena_strdup(f->a, email));
        r[i].first_name = names[i];
        r[i].last_name = names[2 - i];
        r[i].postal_code = i == 1 ? NULL : "K1A 0A6";
        r[i].flag = i == 0 ? "burst" : NULL;
        r[i].review = i == 0 ? REVIEW_SUSPECT : REVIEW_CLEAR;
        r[i].region = i == 2 ? REGION_QC : REGION_ON;
        r[i].lang = i == 2 ? LANG_FR : LANG_EN;
        r[i].created_at = T + i;
    }
    FX_WRITE(f, store_signature_insert_many(t, r, 3, &f->e));
    for (int i = 0; i < 3; i++) {
        struct signature_record g;
        assert_true(r[i].id > old[2]);
        FX_OK(f, store_signature_get(f->s, NULL, f->a, r[i].id, &g, &f->e));
        assert_int_equal(g.petition_id, r[i].petition_id);
        assert_string_equal(g.email_key, r[i].email_key);
        assert_string_equal(g.first_name, names[i]);
        assert_string_equal(g.last_name, names[2 - i]);
        assert_string_equal(g.postal_code, i == 1 ? "" : "K1A 0A6");
        assert_int_equal(g.review, r[i].review);
        assert_int_equal(g.region, r[i].region);
        assert_int_equal(g.lang, r[i].lang);
        assert_int_equal(g.created_at, T + i);
        assert_int_equal(g.confirmed_at, 0);
        if (i == 0)
            assert_string_equal(g.flag, "burst");
        else
            assert_null(g.flag);
    }
    /* A key taken after all: a conflict (the caller rolls back). */
    struct signature_record again[2] = {fx_signature_new(f, pid, "fresh@example.org"),
                                        fx_signature_new(f, pid, "s0@example.org")};
    FX_REFUSED(f, ERR_CONFLICT, store_signature_insert_many(t, again, 2, &f->e));
    FX_ERR(f, ERR_NOT_FOUND,
           store_signature_find(f->s, NULL, f->a, pid, "fresh@example.org", &again[0], &f->e));

    /* Read many: in the order asked, twice if asked twice, none for none. */
    int64_t ids[] = {r[1].id, old[0], r[1].id + 1000, r[1].id};
    struct signature_record g[4];
    bool found[4];
    FX_OK(f, store_signature_get_many(f->s, NULL, f->a, ids, 4, g, found, &f->e));
    assert_true(found[0] && found[1] && !found[2] && found[3]);
    assert_int_equal(g[0].id, r[1].id);
    assert_string_equal(g[0].first_name, "NULL");
    assert_int_equal(g[1].id, old[0]);
    assert_string_equal(g[1].email_key, "s0@example.org");
    assert_int_equal(g[3].id, r[1].id);

    /* Confirm many: each at its time; one confirmed already is a conflict. */
    int64_t confirm[] = {r[0].id, r[2].id}, at[] = {T + 10, T + 20};
    FX_WRITE(f, store_signature_confirm_many(t, confirm, at, NULL, 2, &f->e));
    FX_OK(f, store_signature_get_many(f->s, NULL, f->a, confirm, 2, g, found, &f->e));
    assert_int_equal(g[0].confirmed_at, T + 10);
    assert_int_equal(g[1].confirmed_at, T + 20);
    int64_t mixed[] = {r[1].id, r[2].id}, at2[] = {T + 30, T + 30};
    FX_REFUSED(f, ERR_CONFLICT, store_signature_confirm_many(t, mixed, at2, NULL, 2, &f->e));
    FX_OK(f, store_signature_get_many(f->s, NULL, f->a, mixed, 2, g, found, &f->e));
    assert_int_equal(g[0].confirmed_at, 0);
    assert_int_equal(g[1].confirmed_at, T + 20);
}

static int64_t
signature(struct fx *f, int64_t pid, const char *email, int64_t confirmed_at,
          enum signature_review review)
{
    struct signature_record r = fx_signature_new(f, pid, email);
    r.confirmed_at = confirmed_at;
    r.review = review;
    return fx_signature_insert(f, &r);
}

static void
clerk_list_by_id_with_review_filter(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    int64_t T = f->now;
    int64_t a = signature(f, pid, "a@example.org", T, REVIEW_SUSPECT);
    int64_t b = signature(f, pid, "b@example.org", T, REVIEW_CLEAR);
    signature(f, other, "c@example.org", T, REVIEW_SUSPECT);
    int64_t d = signature(f, pid, "d@example.org", 0, REVIEW_SUSPECT);
    int64_t e = signature(f, pid, "e@example.org", T, REVIEW_SUSPECT);

    struct signature_record *list;
    int n;
    struct signature_query q = {.petition_id = pid, .limit = 500};
    FX_OK(f, store_signature_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 4);
    assert_int_equal(list[0].id, a);
    assert_int_equal(list[1].id, b);
    assert_int_equal(list[2].id, d);
    assert_int_equal(list[3].id, e);
    assert_string_equal(list[1].email, "b@example.org");

    q = (struct signature_query){
        .petition_id = pid, .has_review = true, .review = REVIEW_SUSPECT, .limit = 2};
    FX_OK(f, store_signature_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, a);
    assert_int_equal(list[1].id, d);
    q.after_id = list[1].id;
    FX_OK(f, store_signature_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, e);
    q.after_id = e;
    FX_OK(f, store_signature_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 0);
}

static void
stats_count_rows_by_state(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    int64_t T = f->now;
    signature(f, pid, "p1@example.org", 0, REVIEW_CLEAR);     /* pending */
    signature(f, pid, "p2@example.org", 0, REVIEW_CLEAR);     /* pending */
    signature(f, pid, "c1@example.org", T, REVIEW_CLEAR);     /* counted */
    signature(f, pid, "c2@example.org", T, REVIEW_VALIDATED); /* counted */
    signature(f, pid, "h1@example.org", 0, REVIEW_SUSPECT);   /* held, pending */
    signature(f, pid, "h2@example.org", T, REVIEW_SUSPECT);   /* held, confirmed */
    signature(f, pid, "i1@example.org", T, REVIEW_INVALIDATED);
    signature(f, pid, "i2@example.org", 0, REVIEW_INVALIDATED);
    signature(f, other, "c1@example.org", T, REVIEW_CLEAR);

    struct signature_stats st;
    FX_OK(f, store_signature_stats(f->s, NULL, pid, &st, &f->e));
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.pending, 3); /* not confirmed, not invalidated */
    assert_int_equal(st.counted, 2);
    assert_int_equal(st.suspect, 2);
    assert_int_equal(st.suspect_confirmed, 1);
    assert_int_equal(st.invalidated, 2);
}

static int64_t
search_count(struct fx *f, const struct signature_filter *sf)
{
    int64_t n = -1;
    FX_OK(f, store_signature_search_count(f->s, NULL, sf, &n, &f->e));
    return n;
}

/* The ids sf finds, in order, as a count and an array. */
static int
search(struct fx *f, const struct signature_filter *sf, int64_t after, int limit, int64_t *ids)
{
    struct signature_record *list;
    int n;
    FX_OK(f, store_signature_search(f->s, NULL, f->a, sf, after, limit, &list, &n, &f->e));
    for (int i = 0; i < n; i++) {
        ids[i] = list[i].id;
        if (i)
            assert_true(list[i - 1].id < list[i].id);
    }
    return n;
}

static void
clerk_search_by_each_condition(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    int64_t T = f->now;
    struct {
        const char *email, *ip, *postal;
        int64_t created, confirmed;
        enum signature_review review;
    } rows[] = {
        {"a@example.org", "203.0.113.5", "K1A 0A6", T - 300, T, REVIEW_CLEAR},
        {"b@mail.example.org", "203.0.113.77", "k1a0b1", T - 200, 0, REVIEW_CLEAR},
        {"c@notexample.org", "198.51.100.1", "H2X 1Y4", T - 100, T, REVIEW_SUSPECT},
        {"d@Example.ORG", "2001:db8::1", "K1B 2C3", T, T, REVIEW_INVALIDATED},
        {"e@other.net", "203.0.114.1", "K1A 9Z9", T + 100, 0, REVIEW_SUSPECT},
    };
    int64_t id[5];
    for (int i = 0; i < 5; i++) {
        struct signature_record r = fx_signature_new(f, pid, rows[i].email);
        r.ip = rows[i].ip;
        r.rate_key = rows[i].ip;
        r.postal_code = rows[i].postal;
        r.created_at = rows[i].created;
        r.confirmed_at = rows[i].confirmed;
        r.review = rows[i].review;
        id[i] = fx_signature_insert(f, &r);
    }
    struct signature_record r = fx_signature_new(f, other, "a@example.org");
    r.ip = "203.0.113.5";
    fx_signature_insert(f, &r);

    int64_t got[16];
    int n;
    struct signature_filter sf = {.petition_id = pid};
    assert_int_equal(search_count(f, &sf), 5);
    assert_int_equal(search(f, &sf, 0, 100, got), 5);

    /* An e-mail domain with its subdomains, in any case; not a longer name. */
    sf = (struct signature_filter){.petition_id = pid, .domain = "example.org"};
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 3);
    assert_int_equal(got[0], id[0]);
    assert_int_equal(got[1], id[1]);
    assert_int_equal(got[2], id[3]);
    assert_int_equal(search_count(f, &sf), 3);

    /* A network, or one address. */
    sf = (struct signature_filter){.petition_id = pid, .network = "203.0.113.0/24"};
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], id[0]);
    assert_int_equal(got[1], id[1]);
    sf.network = "198.51.100.1";
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 1);
    assert_int_equal(got[0], id[2]);
    sf.network = "2001:db8::/32";
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 1);
    assert_int_equal(got[0], id[3]);

    /* A postal prefix (upper case, no spaces, as the caller gives it),
     * matched against the codes read without spaces in any case (see the
     * next test). */
    sf = (struct signature_filter){.petition_id = pid, .postal_prefix = "K1A"};
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 3);
    assert_int_equal(got[0], id[0]);
    assert_int_equal(got[1], id[1]);
    assert_int_equal(got[2], id[4]);
    sf.postal_prefix = "K1A0";
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 2);
    assert_int_equal(search_count(f, &sf), 2);

    /* Created at or after `from`, before `to`. */
    sf = (struct signature_filter){.petition_id = pid, .from = T - 200, .to = T};
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], id[1]);
    assert_int_equal(got[1], id[2]);

    /* A review; only pending ones. */
    sf =
        (struct signature_filter){.petition_id = pid, .has_review = true, .review = REVIEW_SUSPECT};
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], id[2]);
    assert_int_equal(got[1], id[4]);
    sf = (struct signature_filter){.petition_id = pid, .pending = true};
    n = search(f, &sf, 0, 100, got);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], id[1]);
    assert_int_equal(got[1], id[4]);

    /* Conditions together; pages by id; the count ignores the page. */
    sf = (struct signature_filter){.petition_id = pid, .postal_prefix = "K1", .from = T - 300};
    assert_int_equal(search_count(f, &sf), 4);
    n = search(f, &sf, 0, 2, got);
    assert_int_equal(n, 2);
    assert_int_equal(got[1], id[1]);
    n = search(f, &sf, got[1], 2, got);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], id[3]);
    assert_int_equal(got[1], id[4]);
    sf.domain = "example.org";
    sf.pending = true;
    assert_int_equal(search_count(f, &sf), 1);
}

static void
same_mailbox_lists_keys_alike_but_for_case(void **state)
{
    /* Keys as migration 0010 leaves them: in each group alike but for
     * case, one lower-case key and the others kept with their capitals. */
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    struct {
        const char *email, *key;
    } rows[] = {
        {"zoe@example.org", "zoe@example.org"}, /* the group's lower-case key */
        {"Zoe@example.org", "Zoe@example.org"}, /* kept apart */
        {"max@example.org", "max@example.org"}, /* alone */
        {"ZOE@example.org", "ZOE@example.org"}, /* kept apart */
        {"Ann@example.org", "Ann@example.org"}, /* capitals, but alone */
        {"Bob@example.org", "Bob@example.org"}, /* two with capitals, none lower */
        {"BOB@example.org", "BOB@example.org"},
    };
    int64_t id[7];
    for (int i = 0; i < 7; i++) {
        struct signature_record r = fx_signature_new(f, pid, rows[i].email);
        r.email_key = rows[i].key;
        id[i] = fx_signature_insert(f, &r);
    }
    /* The same mailbox on another petition is no duplicate of these. */
    struct signature_record r = fx_signature_new(f, other, "ZOE@example.org");
    r.email_key = "ZOE@example.org";
    fx_signature_insert(f, &r);
    r = fx_signature_new(f, other, "max@example.org");
    fx_signature_insert(f, &r);

    struct signature_stats st;
    FX_OK(f, store_signature_stats(f->s, NULL, pid, &st, &f->e));
    assert_int_equal(st.rows, 7);
    assert_int_equal(st.same_mailbox, 5);
    FX_OK(f, store_signature_stats(f->s, NULL, other, &st, &f->e));
    assert_int_equal(st.same_mailbox, 0);

    int64_t got[16];
    struct signature_filter sf = {.petition_id = pid, .same_mailbox = true};
    assert_int_equal(search_count(f, &sf), 5);
    assert_int_equal(search(f, &sf, 0, 100, got), 5);
    assert_int_equal(got[0], id[0]);
    assert_int_equal(got[1], id[1]);
    assert_int_equal(got[2], id[3]);
    assert_int_equal(got[3], id[5]);
    assert_int_equal(got[4], id[6]);
    /* Paged by id like every search. */
    assert_int_equal(search(f, &sf, id[1], 2, got), 2);
    assert_int_equal(got[0], id[3]);
    assert_int_equal(got[1], id[5]);

    /* A new signature's key is in lower case: any spelling meets the
     * group's lower-case row, whatever the state of the others. */
    struct signature_record g;
    FX_OK(f, store_signature_find(f->s, NULL, f->a, pid, "zoe@example.org", &g, &f->e));
    assert_int_equal(g.id, id[0]);
    struct signature_record again = fx_signature_new(f, pid, "ZoE@Example.Org");
    assert_string_equal(again.email_key, "zoe@example.org");
    FX_REFUSED(f, ERR_CONFLICT, store_signature_insert(t, &again, &f->e));

    /* Invalidated or not, a row stays in its group (the Clerk sees the
     * decision); with a state condition, only those in that state. */
    g.review = REVIEW_INVALIDATED;
    FX_AUDITED(f, store_signature_update(t, &g, &f->e));
    assert_int_equal(search_count(f, &sf), 5);
    sf.has_review = true;
    sf.review = REVIEW_INVALIDATED;
    assert_int_equal(search(f, &sf, 0, 100, got), 1);
    assert_int_equal(got[0], id[0]);
    FX_OK(f, store_signature_stats(f->s, NULL, pid, &st, &f->e));
    assert_int_equal(st.same_mailbox, 5);
}

static void
postal_prefix_matches_codes_written_any_way(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 1);
    /* Codes as signers write them: with or without the space, any case. */
    const char *codes[] = {"K1A 0A6", "k1a 0b1", "K1a0a7", "  k1A  0a8 ", "K1B 0A6", "H2X 1Y4"};
    const char *emails[] = {"a@example.org", "b@example.org", "c@example.org",
                            "d@example.org", "e@example.org", "f@example.org"};
    int64_t id[6];
    for (int i = 0; i < 6; i++) {
        struct signature_record r = fx_signature_new(f, pid, emails[i]);
        r.postal_code = codes[i];
        id[i] = fx_signature_insert(f, &r);
    }
    /* The prefix as the caller gives it: upper case, no spaces. */
    int64_t got[8];
    struct signature_filter sf = {.petition_id = pid, .postal_prefix = "K1A"};
    assert_int_equal(search_count(f, &sf), 4);
    assert_int_equal(search(f, &sf, 0, 100, got), 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(got[i], id[i]);
    sf.postal_prefix = "K1A0A";
    assert_int_equal(search_count(f, &sf), 3);
    assert_int_equal(search(f, &sf, 0, 100, got), 3);
    assert_int_equal(got[0], id[0]);
    assert_int_equal(got[1], id[2]);
    assert_int_equal(got[2], id[3]);
    sf.postal_prefix = "K1A0B1";
    assert_int_equal(search(f, &sf, 0, 100, got), 1);
    assert_int_equal(got[0], id[1]);
    sf.postal_prefix = "K1";
    assert_int_equal(search_count(f, &sf), 5);
    sf.postal_prefix = "H2X1Y4";
    assert_int_equal(search(f, &sf, 0, 100, got), 1);
    assert_int_equal(got[0], id[5]);
    sf.postal_prefix = "K1C";
    assert_int_equal(search_count(f, &sf), 0);
}

static void
allow_and_block_lists(void **state)
{
    struct fx *f = *state;
    int64_t clerk = fx_user(f, "clerk@example.org", ROLE_CLERK);
    struct signing_rule rules[] = {
        {.block = true, .domain = false, .value = "203.0.113.0/24", .note = "bots"},
        {.block = false, .domain = true, .value = "parl.gc.ca", .note = ""},
        {.block = true, .domain = true, .value = "spam.example", .note = "spam"},
        {.block = false, .domain = false, .value = "192.0.2.0/24", .note = "office"},
        {.block = true, .domain = true, .value = "junk.example", .note = ""},
        {.block = false, .domain = true, .value = "example.org", .note = ""},
    };
    for (int i = 0; i < 6; i++) {
        rules[i].created_at = f->now + i;
        rules[i].created_by = clerk;
    }
    FX_REFUSED(f, ERR_UNAUDITED, store_signing_rule_insert(t, &rules[0], &f->e));
    for (int i = 0; i < 6; i++) {
        FX_AUDITED(f, store_signing_rule_insert(t, &rules[i], &f->e));
        assert_true(rules[i].id != 0);
    }
    struct signing_rule same = rules[2];
    same.note = "again";
    FX_REFUSED_AUDITED(f, ERR_CONFLICT, store_signing_rule_insert(t, &same, &f->e));

    struct signing_rule *list;
    int n;
    FX_OK(f, store_signing_rule_list(f->s, NULL, f->a, &list, &n, &f->e));
    int want[] = {5, 1, 3, 4, 2, 0}; /* allows, then blocks; domains, then networks; value */
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++)
        assert_int_equal(list[i].id, rules[want[i]].id);
    assert_true(list[4].block);
    assert_true(list[4].domain);
    assert_string_equal(list[4].value, "spam.example");
    assert_string_equal(list[4].note, "spam");
    assert_int_equal(list[4].created_at, f->now + 2);
    assert_int_equal(list[4].created_by, clerk);

    FX_REFUSED(f, ERR_UNAUDITED, store_signing_rule_delete(t, rules[2].id, &f->e));
    FX_AUDITED(f, store_signing_rule_delete(t, rules[2].id, &f->e));
    FX_REFUSED_AUDITED(f, ERR_NOT_FOUND, store_signing_rule_delete(t, rules[2].id, &f->e));
    FX_OK(f, store_signing_rule_list(f->s, NULL, f->a, &list, &n, &f->e));
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++)
        assert_int_not_equal(list[i].id, rules[2].id);
}

static bool
paused(struct fx *f, int64_t petition_id)
{
    struct petition_brief b;
    FX_OK(f, store_petition_brief(f->s, NULL, petition_id, 0, &b, &f->e));
    return b.signing_paused;
}

static void
pauses_of_a_petition_and_of_the_site(void **state)
{
    struct fx *f = *state;
    int64_t admin = fx_user(f, "admin@example.org", ROLE_ADMIN);
    int64_t a = fx_petition(f, 6512), b = fx_petition(f, 6513), c = fx_petition(f, 6400);
    assert_false(paused(f, a));

    /* One petition: its brief says so, the others' do not. */
    struct signing_pause pa = {
        .petition_id = b, .paused_at = f->now, .paused_by = admin, .reason = "bots on e-6513"};
    FX_REFUSED(f, ERR_UNAUDITED, store_signing_pause_insert(t, &pa, &f->e));
    assert_false(paused(f, b));
    FX_AUDITED(f, store_signing_pause_insert(t, &pa, &f->e));
    assert_true(pa.id != 0);
    assert_true(paused(f, b));
    assert_false(paused(f, a));
    struct signing_pause again = pa;
    FX_REFUSED_AUDITED(f, ERR_CONFLICT, store_signing_pause_insert(t, &again, &f->e));
    /* Another petition, then the whole site: every brief says so. */
    struct signing_pause pc = {.petition_id = c, .paused_at = f->now + 1, .reason = ""};
    FX_AUDITED(f, store_signing_pause_insert(t, &pc, &f->e));
    struct signing_pause site = {
        .petition_id = 0, .paused_at = f->now + 2, .paused_by = admin, .reason = "a bad day"};
    FX_AUDITED(f, store_signing_pause_insert(t, &site, &f->e));
    struct signing_pause site2 = site;
    FX_REFUSED_AUDITED(f, ERR_CONFLICT, store_signing_pause_insert(t, &site2, &f->e));
    assert_true(paused(f, a));

    /* Listed: the site's first, then by e-number. */
    struct signing_pause *list;
    int n;
    FX_OK(f, store_signing_pause_list(f->s, NULL, f->a, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, site.id);
    assert_int_equal(list[0].petition_id, 0);
    assert_int_equal(list[0].e_number, 0);
    assert_int_equal(list[0].paused_at, f->now + 2);
    assert_int_equal(list[0].paused_by, admin);
    assert_string_equal(list[0].reason, "a bad day");
    assert_int_equal(list[1].petition_id, c);
    assert_int_equal(list[1].e_number, 6400);
    assert_int_equal(list[1].paused_by, 0);
    assert_int_equal(list[2].petition_id, b);
    assert_int_equal(list[2].e_number, 6513);
    assert_string_equal(list[2].reason, "bots on e-6513");

    /* The site resumes: a petition paused on its own stays paused. */
    FX_REFUSED(f, ERR_UNAUDITED, store_signing_pause_delete(t, 0, &f->e));
    FX_AUDITED(f, store_signing_pause_delete(t, 0, &f->e));
    FX_REFUSED_AUDITED(f, ERR_NOT_FOUND, store_signing_pause_delete(t, 0, &f->e));
    assert_false(paused(f, a));
    assert_true(paused(f, b));
    FX_AUDITED(f, store_signing_pause_delete(t, b, &f->e));
    FX_REFUSED_AUDITED(f, ERR_NOT_FOUND, store_signing_pause_delete(t, a, &f->e));
    assert_false(paused(f, b));
    FX_OK(f, store_signing_pause_list(f->s, NULL, f->a, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].petition_id, c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(count_add_moves_region_total_and_day),
        FX_TEST(recount_beside_stored_counts_and_fix),
        FX_TEST(count_add_many_as_one_by_one),
        FX_TEST(signature_round_trips_once_per_key),
        FX_TEST(update_writes_what_may_change_and_review_is_audited),
        FX_TEST(recent_signatures_in_both_windows),
        FX_TEST(many_at_once_as_one_by_one),
        FX_TEST(clerk_list_by_id_with_review_filter),
        FX_TEST(stats_count_rows_by_state),
        FX_TEST(same_mailbox_lists_keys_alike_but_for_case),
        FX_TEST(clerk_search_by_each_condition),
        FX_TEST(postal_prefix_matches_codes_written_any_way),
        FX_TEST(allow_and_block_lists),
        FX_TEST(pauses_of_a_petition_and_of_the_site),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
