/*
 * drafts_test.c: petitions before publication (store/drafts.h): a draft
 * round-trips and is rewritten whole, a change of state decided by the
 * Clerk or a Member is an audited record while the petitioner's is not,
 * the petitioner's latest draft, the workspaces' list with each filter and
 * its order, the history's events, supporters (one per e-mail key on a
 * draft, updated, removed, in the order named) and the requests to Members
 * with their answers.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

static struct draft_record
get(struct fx *f, int64_t id)
{
    struct draft_record d;
    FX_OK(f, store_draft_get(f->s, NULL, f->a, id, &d, &f->e));
    return d;
}

static void
draft_round_trips(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    int64_t mp2 = fx_member(f, "mp2", "Max", "Member");
    struct draft_record d = fx_draft_new(f, pet);
    d.state = PETITION_AWAITING_MEMBER;
    d.state_changed_at = f->now + 1;
    d.content = "{\"lang\":\"fr\",\"prayer\":\"Gardez les phares « ouverts ».\"}";
    d.supporters_min = 6;
    d.supporters_days = 31;
    d.member_days = 29;
    d.members_max = 4;
    d.round = 2;
    d.submitted_at = f->now - 50;
    d.member_id = mp;
    d.member_asked_at = f->now - 40;
    d.authorizing_member_id = mp2;
    d.review_reasons = "Too long";
    d.reject_code = "r1";
    d.reject_text = "Outside federal jurisdiction";
    d.created_at = f->now - 100;
    d.updated_at = f->now - 30;
    int64_t id = fx_draft_insert(f, &d);

    struct draft_record g = get(f, id);
    assert_int_equal(g.id, id);
    assert_int_equal(g.petitioner_id, pet);
    assert_int_equal(g.state, PETITION_AWAITING_MEMBER);
    assert_int_equal(g.state_changed_at, f->now + 1);
    assert_true(fx_json_equal(g.content, d.content));
    assert_int_equal(g.supporters_min, 6);
    assert_int_equal(g.supporters_days, 31);
    assert_int_equal(g.member_days, 29);
    assert_int_equal(g.members_max, 4);
    assert_int_equal(g.round, 2);
    assert_int_equal(g.submitted_at, f->now - 50);
    assert_int_equal(g.member_id, mp);
    assert_int_equal(g.member_asked_at, f->now - 40);
    assert_int_equal(g.authorizing_member_id, mp2);
    assert_string_equal(g.review_reasons, "Too long");
    assert_string_equal(g.reject_code, "r1");
    assert_string_equal(g.reject_text, "Outside federal jurisdiction");
    assert_int_equal(g.petition_id, 0);
    assert_int_equal(g.e_number, 0);
    assert_int_equal(g.created_at, f->now - 100);
    FX_ERR(f, ERR_NOT_FOUND, store_draft_get(f->s, NULL, f->a, id + 1000, &g, &f->e));
}

static void
update_writes_every_field_at_now(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    int64_t id = fx_draft(f, pet);

    /* The petitioner submits: no audit record. */
    struct draft_record d = get(f, id);
    d.state = PETITION_AWAITING_SUPPORTERS;
    d.state_changed_at = f->now + 10;
    d.content = "{\"lang\":\"en\",\"prayer\":\"Changed.\"}";
    d.round = 1;
    d.submitted_at = f->now + 10;
    d.member_id = mp;
    d.supporters_min = 7;
    FX_WRITE(f, store_draft_update(t, &d, f->now + 10, &f->e));
    struct draft_record g = get(f, id);
    assert_int_equal(g.state, PETITION_AWAITING_SUPPORTERS);
    assert_int_equal(g.state_changed_at, f->now + 10);
    assert_true(fx_json_equal(g.content, "{\"lang\":\"en\",\"prayer\":\"Changed.\"}"));
    assert_int_equal(g.round, 1);
    assert_int_equal(g.submitted_at, f->now + 10);
    assert_int_equal(g.member_id, mp);
    assert_int_equal(g.supporters_min, 7);
    assert_int_equal(g.updated_at, f->now + 10);

    /* Fields set back to none. */
    g.member_id = 0;
    g.submitted_at = 0;
    FX_WRITE(f, store_draft_update(t, &g, f->now + 20, &f->e));
    struct draft_record h = get(f, id);
    assert_int_equal(h.member_id, 0);
    assert_int_equal(h.submitted_at, 0);
    assert_int_equal(h.updated_at, f->now + 20);
    assert_int_equal(h.created_at, g.created_at);
}

static void
clerk_or_member_decision_is_audited(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    struct draft_record d = fx_draft_new(f, pet);
    d.state = PETITION_UNDER_REVIEW;
    int64_t id = fx_draft_insert(f, &d);

    /* The Clerk rejects (rulebook 11.1). */
    d = get(f, id);
    d.state = PETITION_REJECTED;
    d.state_changed_at = f->now + 5;
    d.reject_code = "r2";
    FX_REFUSED(f, ERR_UNAUDITED, store_draft_update(t, &d, f->now + 5, &f->e));
    struct draft_record g = get(f, id);
    assert_int_equal(g.state, PETITION_UNDER_REVIEW);
    assert_null(g.reject_code);
    FX_AUDITED(f, store_draft_update(t, &d, f->now + 5, &f->e));
    assert_int_equal(get(f, id).state, PETITION_REJECTED);

    /* A Member authorizes: the draft goes to the Clerk's review. */
    d = fx_draft_new(f, pet);
    d.state = PETITION_AWAITING_MEMBER;
    d.member_id = mp;
    d.member_asked_at = f->now;
    id = fx_draft_insert(f, &d);
    d.state = PETITION_UNDER_REVIEW;
    d.authorizing_member_id = mp;
    FX_REFUSED(f, ERR_UNAUDITED, store_draft_update(t, &d, f->now + 5, &f->e));
    assert_int_equal(get(f, id).state, PETITION_AWAITING_MEMBER);
    FX_AUDITED(f, store_draft_update(t, &d, f->now + 5, &f->e));
    assert_int_equal(get(f, id).state, PETITION_UNDER_REVIEW);
}

static void
latest_draft_is_the_last_made(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t other = fx_user(f, "o@example.org", ROLE_PETITIONER);
    struct draft_record g;
    FX_ERR(f, ERR_NOT_FOUND, store_draft_latest(f->s, NULL, f->a, pet, &g, &f->e));

    struct draft_record d = fx_draft_new(f, pet);
    d.created_at = f->now;
    fx_draft_insert(f, &d);
    d = fx_draft_new(f, pet);
    d.created_at = f->now + 10;
    d.state = PETITION_WITHDRAWN; /* any state */
    fx_draft_insert(f, &d);
    d = fx_draft_new(f, pet);
    d.created_at = f->now + 10; /* the same time: the higher id */
    d.state = PETITION_ABANDONED;
    int64_t want = fx_draft_insert(f, &d);
    d = fx_draft_new(f, pet);
    d.created_at = f->now - 100; /* made earlier, inserted later */
    fx_draft_insert(f, &d);
    d = fx_draft_new(f, other);
    d.created_at = f->now + 1000;
    fx_draft_insert(f, &d);

    FX_OK(f, store_draft_latest(f->s, NULL, f->a, pet, &g, &f->e));
    assert_int_equal(g.id, want);
    assert_int_equal(g.state, PETITION_ABANDONED);
}

static int64_t
draft_in(struct fx *f, int64_t pet, enum petition_state s, int64_t changed, int64_t member)
{
    struct draft_record d = fx_draft_new(f, pet);
    d.state = s;
    d.state_changed_at = changed;
    if (s != PETITION_DRAFT) {
        d.round = 1;
        d.submitted_at = changed;
    }
    if (member) {
        d.member_id = member;
        d.member_asked_at = changed;
    }
    return fx_draft_insert(f, &d);
}

static void
list_filters_and_order(void **state)
{
    struct fx *f = *state;
    int64_t p1 = fx_user(f, "p1@example.org", ROLE_PETITIONER);
    int64_t p2 = fx_user(f, "p2@example.org", ROLE_PETITIONER);
    int64_t m1 = fx_member(f, "m1", "Ann", "One");
    int64_t m2 = fx_member(f, "m2", "Bob", "Two");
    int64_t T = f->now;
    int64_t a = draft_in(f, p1, PETITION_AWAITING_SUPPORTERS, T + 30, 0);
    int64_t b = draft_in(f, p2, PETITION_AWAITING_SUPPORTERS, T + 10, 0);
    int64_t c = draft_in(f, p1, PETITION_AWAITING_MEMBER, T + 20, m1);
    int64_t d = draft_in(f, p2, PETITION_AWAITING_MEMBER, T + 20, m2); /* tie with c */
    int64_t e = draft_in(f, p1, PETITION_DRAFT, T + 5, 0);
    int64_t g = draft_in(f, p2, PETITION_AWAITING_SUPPORTERS, T + 10, 0); /* tie with b */
    int64_t h = draft_in(f, p1, PETITION_REJECTED, T + 1, 0);

    struct draft_record *list;
    int n;
    struct draft_query q = {.limit = 500};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    int64_t all[] = {h, e, b, g, c, d, a};
    assert_int_equal(n, 7);
    for (int i = 0; i < n; i++)
        assert_int_equal(list[i].id, all[i]);

    q = (struct draft_query){
        .has_state = true, .state = PETITION_AWAITING_SUPPORTERS, .limit = 500};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, b);
    assert_int_equal(list[1].id, g);
    assert_int_equal(list[2].id, a);

    q = (struct draft_query){.member_id = m1, .limit = 500};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, c);

    q = (struct draft_query){.petitioner_id = p2, .limit = 500};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, b);
    assert_int_equal(list[1].id, g);
    assert_int_equal(list[2].id, d);

    q = (struct draft_query){.has_state = true,
                             .state = PETITION_AWAITING_SUPPORTERS,
                             .petitioner_id = p1,
                             .limit = 500};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, a);

    /* The scheduler's: timers run while supporters or a Member are awaited,
     * never for a draft being written nor a final one. */
    q = (struct draft_query){.timed = true, .limit = 500};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    bool seen_a = false, seen_c = false;
    for (int i = 0; i < n; i++) {
        assert_int_not_equal(list[i].id, e);
        assert_int_not_equal(list[i].id, h);
        seen_a |= list[i].id == a;
        seen_c |= list[i].id == c;
        if (i)
            assert_true(list[i - 1].state_changed_at < list[i].state_changed_at ||
                        (list[i - 1].state_changed_at == list[i].state_changed_at &&
                         list[i - 1].id < list[i].id));
    }
    assert_true(seen_a && seen_c);

    q = (struct draft_query){.limit = 3};
    FX_OK(f, store_draft_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[2].id, b);
}

static void
history_events_are_added(void **state)
{
    struct fx *f = *state;
    int64_t clerk = fx_user(f, "clerk@example.org", ROLE_CLERK);
    int64_t id = fx_draft(f, fx_user(f, "p@example.org", ROLE_PETITIONER));
    FX_WRITE(f, store_draft_event_add(t, id, f->now, clerk, PETITION_RETURNED_FOR_REVISION,
                                      "Please shorten it", &f->e));
    FX_WRITE(f, store_draft_event_add(t, id, f->now + 1, 0, PETITION_WITHDRAWN, NULL, &f->e));
    /* Of a draft that does not exist: a reference to nothing. */
    FX_REFUSED(f, ERR_INVALID,
               store_draft_event_add(t, id + 1000, f->now, 0, PETITION_DRAFT, NULL, &f->e));
}

static void
supporters_one_per_key_in_the_order_named(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t d1 = fx_draft(f, pet);
    int64_t d2 = fx_draft(f, pet);
    struct supporter_record r = fx_supporter_new(f, d1, "Zoe@Example.org");
    r.first_name = "Zoé";
    r.last_name = "Zed";
    int64_t z = fx_supporter_insert(f, &r);
    struct supporter_record r2 = fx_supporter_new(f, d1, "amy@example.org");
    int64_t a = fx_supporter_insert(f, &r2);
    /* The same person on another draft is another supporter. */
    struct supporter_record r3 = fx_supporter_new(f, d2, "zoe@example.org");
    fx_supporter_insert(f, &r3);
    /* Twice on one draft: refused. */
    struct supporter_record dup = fx_supporter_new(f, d1, "Zoe@EXAMPLE.org");
    FX_REFUSED(f, ERR_CONFLICT, store_supporter_insert(t, &dup, &f->e));

    struct supporter_record g;
    FX_OK(f, store_supporter_get(f->s, NULL, f->a, z, &g, &f->e));
    assert_int_equal(g.id, z);
    assert_int_equal(g.draft_id, d1);
    assert_string_equal(g.first_name, "Zoé");
    assert_string_equal(g.last_name, "Zed");
    assert_string_equal(g.email, "Zoe@Example.org");
    assert_string_equal(g.email_key, r.email_key);
    assert_int_equal(g.confirmed_round, 0);
    assert_int_equal(g.confirmed_at, 0);
    assert_int_equal(g.created_at, f->now);
    struct supporter_record none;
    FX_ERR(f, ERR_NOT_FOUND, store_supporter_get(f->s, NULL, f->a, z + 1000, &none, &f->e));

    struct supporter_record *list;
    int n;
    FX_OK(f, store_supporter_list(f->s, NULL, f->a, d1, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, z);
    assert_int_equal(list[1].id, a);

    /* Invited, then confirmed with a contact (naming writes the name only). */
    g.confirmed_round = 1;
    g.confirmed_at = f->now + 60;
    g.confirm_order = 1;
    g.invited_round = 2;
    g.phone = "613-555-0101";
    g.country = "CA";
    g.province = "QC";
    g.postal_code = "H2X 1Y4";
    g.lang = LANG_FR;
    FX_WRITE(f, store_supporter_update(t, &g, &f->e));
    struct supporter_record h;
    FX_OK(f, store_supporter_get(f->s, NULL, f->a, z, &h, &f->e));
    assert_int_equal(h.confirmed_round, 1);
    assert_int_equal(h.confirmed_at, f->now + 60);
    assert_int_equal(h.confirm_order, 1);
    assert_int_equal(h.invited_round, 2);
    assert_string_equal(h.phone, "613-555-0101");
    assert_string_equal(h.country, "CA");
    assert_string_equal(h.province, "QC");
    assert_string_equal(h.postal_code, "H2X 1Y4");
    assert_int_equal(h.lang, LANG_FR);

    /* Removed from its own draft only; removing what is not there changes nothing. */
    FX_WRITE(f, store_supporter_delete(t, d2, z, &f->e));
    FX_OK(f, store_supporter_get(f->s, NULL, f->a, z, &h, &f->e));
    FX_WRITE(f, store_supporter_delete(t, d1, z, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_supporter_get(f->s, NULL, f->a, z, &h, &f->e));
    FX_WRITE(f, store_supporter_delete(t, d1, z, &f->e));
    FX_OK(f, store_supporter_list(f->s, NULL, f->a, d1, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, a);
}

static void
member_requests_oldest_first_and_answered(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t m1 = fx_member(f, "m1", "Ann", "One");
    int64_t m2 = fx_member(f, "m2", "Bob", "Two");
    int64_t m3 = fx_member(f, "m3", "Cy", "Three");
    int64_t d = fx_draft(f, pet);
    int64_t other = fx_draft(f, pet);

    struct member_request r1 = {.draft_id = d, .member_id = m1, .asked_at = f->now};
    FX_WRITE(f, store_member_request_insert(t, &r1, &f->e));
    assert_true(r1.id != 0);
    /* The first lapses after its 30 days (the scheduler's, not a staff decision). */
    FX_WRITE(f, store_member_request_answer(t, d, f->now + 30 * 86400, "lapsed", &f->e));
    struct member_request r2 = {.draft_id = d, .member_id = m2, .asked_at = f->now + 30 * 86400};
    FX_WRITE(f, store_member_request_insert(t, &r2, &f->e));
    struct member_request r0 = {.draft_id = other, .member_id = m3, .asked_at = f->now};
    FX_WRITE(f, store_member_request_insert(t, &r0, &f->e));

    struct member_request *list;
    int n;
    FX_OK(f, store_member_request_list(f->s, NULL, f->a, d, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, r1.id);
    assert_int_equal(list[0].member_id, m1);
    assert_int_equal(list[0].asked_at, f->now);
    assert_int_equal(list[0].answered_at, f->now + 30 * 86400);
    assert_string_equal(list[0].answer, "lapsed");
    assert_int_equal(list[1].id, r2.id);
    assert_int_equal(list[1].answered_at, 0);
    assert_null(list[1].answer);

    /* The Member's answer (with its record, as a Member's decision). */
    FX_AUDITED(f, store_member_request_answer(t, d, f->now + 31 * 86400, "declined", &f->e));
    /* None open now: nothing changes. */
    FX_WRITE(f, store_member_request_answer(t, d, f->now + 40 * 86400, "lapsed", &f->e));
    FX_OK(f, store_member_request_list(f->s, NULL, f->a, d, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_string_equal(list[0].answer, "lapsed");
    assert_int_equal(list[0].answered_at, f->now + 30 * 86400);
    assert_string_equal(list[1].answer, "declined");
    assert_int_equal(list[1].answered_at, f->now + 31 * 86400);

    /* Ties on the time asked: by id. */
    struct member_request r4 = {.draft_id = other, .member_id = m1, .asked_at = f->now};
    FX_WRITE(f, store_member_request_insert(t, &r4, &f->e));
    FX_OK(f, store_member_request_list(f->s, NULL, f->a, other, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, r0.id);
    assert_int_equal(list[1].id, r4.id);
    FX_OK(f, store_member_request_list(f->s, NULL, f->a, other + 1000, &list, &n, &f->e));
    assert_int_equal(n, 0);
}

static void
member_request_expires(void **state)
{
    struct fx *f = *state;
    fx_known_disagreement("drafts.h names the answers \"accepted\", \"declined\", \"expired\"; "
                          "core/draft.h and the SQLite schema say \"lapsed\" and refuse "
                          "\"expired\"");
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    int64_t d = fx_draft(f, pet);
    struct member_request r = {.draft_id = d, .member_id = mp, .asked_at = f->now};
    FX_WRITE(f, store_member_request_insert(t, &r, &f->e));
    FX_WRITE(f, store_member_request_answer(t, d, f->now + 30 * 86400, "expired", &f->e));
    struct member_request *list;
    int n;
    FX_OK(f, store_member_request_list(f->s, NULL, f->a, d, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].answer, "expired");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(draft_round_trips),
        FX_TEST(update_writes_every_field_at_now),
        FX_TEST(clerk_or_member_decision_is_audited),
        FX_TEST(latest_draft_is_the_last_made),
        FX_TEST(list_filters_and_order),
        FX_TEST(history_events_are_added),
        FX_TEST(supporters_one_per_key_in_the_order_named),
        FX_TEST(member_requests_oldest_first_and_answered),
        FX_TEST(member_request_expires),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
