/*
 * retention_test.c: the erasure of personal data (store/retention.h):
 * what is due (petitions and never-published drafts final since the
 * cut-off, not yet erased) in its order with what would be erased; the
 * erasure blanking the personal data of signatures and supporters while
 * the counts stay; and the pruning of e-mail sent or failed for good and of
 * the recipients of mailings done before the cut-off.
 */
#include "store_fixture.h"

#include <stdio.h>
#include <string.h>

#include "lib/banned.h"

/* A petition in final state s since `since`, with n counted signatures. */
static int64_t
final_petition(struct fx *f, long e_number, enum petition_state s, int64_t since, int n)
{
    struct petition p = fx_petition_new(f, e_number);
    p.state = s;
    p.opened_at = since - 130 * 86400;
    p.closes_at = since - 10 * 86400;
    p.state_changed_at = since;
    int64_t id = fx_petition_insert(f, &p);
    for (int i = 0; i < n; i++) {
        char email[64];
        snprintf(email, sizeof(email), "s%d-%ld@example.org", i, e_number);
        fx_signature(f, id, arena_strdup(f->a, email), REGION_ON, p.opened_at + 60);
        fx_count(f, id, REGION_ON, 1, p.opened_at + 60);
    }
    return id;
}

static int64_t
final_draft(struct fx *f, int64_t pet, enum petition_state s, int64_t since, int supporters)
{
    struct draft_record d = fx_draft_new(f, pet);
    d.state = s;
    d.state_changed_at = since;
    d.created_at = since - 86400;
    int64_t id = fx_draft_insert(f, &d);
    for (int i = 0; i < supporters; i++) {
        char email[64];
        snprintf(email, sizeof(email), "sup%d-%lld@example.org", i, (long long)id);
        struct supporter_record r = fx_supporter_new(f, id, arena_strdup(f->a, email));
        fx_supporter_insert(f, &r);
    }
    return id;
}

static struct retention_item *
due(struct fx *f, int64_t before, int *n)
{
    struct retention_item *list;
    FX_OK(f, store_retention_due(f->s, NULL, f->a, before, &list, n, &f->e));
    return list;
}

static void
due_items_oldest_first_with_what_would_go(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t cut = f->now - 30 * 86400;
    int64_t T1 = cut - 10 * 86400, T2 = cut - 5 * 86400;
    int64_t pa = final_petition(f, 10, PETITION_NOT_CERTIFIED, T2, 2);
    int64_t da = final_draft(f, pet, PETITION_ABANDONED, T1 + 1, 3);
    int64_t pb = final_petition(f, 11, PETITION_RESPONSE_TABLED, T1, 1);
    int64_t db = final_draft(f, pet, PETITION_REJECTED, T2 + 1, 0);
    int64_t pc = final_petition(f, 12, PETITION_CLOSED_UPON_DISSOLUTION, T1, 0); /* tie: id */
    final_petition(f, 13, PETITION_NOT_CERTIFIED, cut + 60, 1);     /* final too recently */
    final_petition(f, 14, PETITION_OPEN, T1, 1);                    /* not final */
    final_draft(f, pet, PETITION_AWAITING_SUPPORTERS, T1, 1);       /* not final */
    int64_t edge = final_petition(f, 15, PETITION_EXPIRED, cut, 0); /* since `before` */

    /* A published draft is erased with its petition, not as a draft. */
    struct draft_record d = fx_draft_new(f, pet);
    d.state = PETITION_UNDER_REVIEW;
    int64_t published = fx_draft_insert(f, &d);
    struct supporter_record r = fx_supporter_new(f, published, "pub@example.org");
    fx_supporter_insert(f, &r);
    d.state = PETITION_OPEN;
    d.state_changed_at = T1;
    d.petition_id = pa;
    FX_AUDITED(f, store_draft_update(t, &d, T1, &f->e));

    int n;
    struct retention_item *list = due(f, cut, &n);
    assert_int_equal(n, 6);
    /* Oldest final state first; drafts before petitions at the same time,
     * then ids, is the next test's. */
    assert_int_equal(list[0].petition_id, pb);
    assert_int_equal(list[1].petition_id, pc);
    assert_int_equal(list[2].draft_id, da);
    assert_int_equal(list[2].petition_id, 0);
    assert_int_equal(list[3].petition_id, pa);
    assert_int_equal(list[4].draft_id, db);
    assert_int_equal(list[5].petition_id, edge);

    assert_string_equal(list[0].label, "e-11");
    assert_int_equal(list[0].state, PETITION_RESPONSE_TABLED);
    assert_int_equal(list[0].final_at, T1);
    assert_int_equal(list[0].signatures, 1);
    assert_int_equal(list[0].supporters, 0);
    assert_int_equal(list[0].draft_id, 0); /* imported */
    char label[32];
    snprintf(label, sizeof(label), "draft %lld", (long long)da);
    assert_string_equal(list[2].label, label);
    assert_int_equal(list[2].state, PETITION_ABANDONED);
    assert_int_equal(list[2].supporters, 3);
    assert_int_equal(list[2].signatures, 0);
    assert_int_equal(list[3].draft_id, published);
    assert_int_equal(list[3].signatures, 2);
    assert_int_equal(list[3].supporters, 1);
}

static void
due_drafts_before_petitions_at_the_same_time(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t cut = f->now - 30 * 86400;
    int64_t T = cut - 86400;
    int64_t p2 = final_petition(f, 2, PETITION_NOT_CERTIFIED, T, 1);
    int64_t d2 = final_draft(f, pet, PETITION_REJECTED, T, 0);
    int64_t p1 = final_petition(f, 1, PETITION_NOT_CERTIFIED, T, 1);
    int64_t d1 = final_draft(f, pet, PETITION_ABANDONED, T, 1);
    int64_t older = final_petition(f, 3, PETITION_EXPIRED, T - 1, 0);
    int n;
    struct retention_item *list = due(f, cut, &n);
    assert_int_equal(n, 5);
    /* The oldest final state first, whatever it is. */
    assert_int_equal(list[0].petition_id, older);
    /* At the same time: the drafts, then the petitions, each by id. */
    assert_int_equal(list[1].draft_id, d2);
    assert_int_equal(list[1].petition_id, 0);
    assert_int_equal(list[2].draft_id, d1);
    assert_int_equal(list[2].petition_id, 0);
    assert_int_equal(list[3].petition_id, p2);
    assert_int_equal(list[4].petition_id, p1);
}

static void
erasure_blanks_people_and_keeps_counts(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t cut = f->now - 30 * 86400;
    int64_t pid = final_petition(f, 20, PETITION_NOT_CERTIFIED, cut - 86400, 3);
    int64_t keep = final_petition(f, 21, PETITION_NOT_CERTIFIED, cut - 86400, 1);
    int64_t did = final_draft(f, pet, PETITION_ABANDONED, cut - 86400, 2);

    int64_t before[REGION_COUNT], total_before;
    FX_OK(f, store_petition_counts_stored(f->s, NULL, pid, before, &total_before, &f->e));
    struct petition_recount rc_before;
    FX_OK(f, store_petition_recount(f->s, NULL, pid, &rc_before, &f->e));
    struct signature_record *sigs;
    int ns;
    struct signature_query q = {.petition_id = pid, .limit = 500};
    FX_OK(f, store_signature_list(f->s, NULL, f->a, &q, &sigs, &ns, &f->e));
    assert_int_equal(ns, 3);

    int n;
    struct retention_item *list = due(f, cut, &n);
    assert_int_equal(n, 3);
    int64_t at = f->now;
    for (int i = 0; i < n; i++)
        if (list[i].petition_id == pid || list[i].draft_id == did)
            FX_WRITE(f, store_retention_erase(t, &list[i], at, &f->e));

    /* Each signature: its personal data gone, its region and review kept. */
    for (int i = 0; i < ns; i++) {
        struct signature_record g;
        FX_OK(f, store_signature_get(f->s, NULL, f->a, sigs[i].id, &g, &f->e));
        assert_true(!g.email || strcmp(g.email, sigs[i].email) != 0);
        assert_true(!g.first_name || strcmp(g.first_name, sigs[i].first_name) != 0);
        assert_true(!g.last_name || strcmp(g.last_name, sigs[i].last_name) != 0);
        assert_true(!g.postal_code || strcmp(g.postal_code, sigs[i].postal_code) != 0);
        assert_true(!g.ip || strcmp(g.ip, sigs[i].ip) != 0);
        assert_true(!g.email_key || strcmp(g.email_key, sigs[i].email_key) != 0);
        assert_int_equal(g.region, sigs[i].region);
        assert_int_equal(g.review, sigs[i].review);
        assert_int_equal(g.confirmed_at != 0, sigs[i].confirmed_at != 0);
    }
    int64_t after[REGION_COUNT], total_after;
    FX_OK(f, store_petition_counts_stored(f->s, NULL, pid, after, &total_after, &f->e));
    assert_int_equal(total_after, total_before);
    assert_memory_equal(after, before, sizeof(after));
    struct petition_recount rc;
    FX_OK(f, store_petition_recount(f->s, NULL, pid, &rc, &f->e));
    assert_memory_equal(rc.rows, rc_before.rows, sizeof(rc.rows));
    assert_int_equal(fx_get(f, 20).erased_at, at);
    assert_int_equal(fx_get(f, 20).signature_total, total_before);

    /* The draft's supporters. */
    struct supporter_record *sups;
    FX_OK(f, store_supporter_list(f->s, NULL, f->a, did, &sups, &ns, &f->e));
    assert_int_equal(ns, 2);
    for (int i = 0; i < ns; i++) {
        assert_true(!sups[i].email || strstr(sups[i].email, "@example.org") == NULL);
        assert_true(!sups[i].first_name || strcmp(sups[i].first_name, "Sam") != 0);
        assert_true(!sups[i].last_name || strcmp(sups[i].last_name, "Supporter") != 0);
    }

    /* Erased: due no more; the other petition untouched. */
    list = due(f, cut, &n);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].petition_id, keep);
    FX_OK(f, store_signature_list(f->s, NULL, f->a,
                                  &(struct signature_query){.petition_id = keep, .limit = 10},
                                  &sigs, &ns, &f->e));
    assert_int_equal(ns, 1);
    assert_string_equal(sigs[0].email, "s0-21@example.org");
    assert_int_equal(fx_get(f, 21).erased_at, 0);
}

static void
sent_and_failed_mail_and_done_mailings_pruned(void **state)
{
    struct fx *f = *state;
    int64_t cut = f->now - 30 * 86400;
    struct outbox_mail old = {.created_at = cut - 100,
                              .kind = "k",
                              .to_addr = "old@example.org",
                              .lang = LANG_EN,
                              .subject = "s",
                              .body = "b",
                              .next_try_at = cut - 100};
    struct outbox_mail recent = old, unsent = old, failed = old, failed_late = old;
    recent.to_addr = "recent@example.org";
    unsent.to_addr = "unsent@example.org";
    failed.to_addr = "failed@example.org";
    failed_late.to_addr = "failed-late@example.org";
    FX_WRITE(f, store_outbox_insert(t, &old, &f->e));
    FX_WRITE(f, store_outbox_insert(t, &recent, &f->e));
    FX_WRITE(f, store_outbox_insert(t, &unsent, &f->e));
    FX_WRITE(f, store_outbox_insert(t, &failed, &f->e));
    FX_WRITE(f, store_outbox_insert(t, &failed_late, &f->e));
    FX_WRITE(f, store_outbox_sent(t, old.id, cut - 50, &f->e));
    FX_WRITE(f, store_outbox_sent(t, recent.id, cut + 50, &f->e));
    /* Failed for good: gone after the same time as sent mail. */
    struct outbox_failure refused = {.at = cut - 50, .reply_code = 550, .reply = "550 no"};
    FX_WRITE(f, store_outbox_failed(t, failed.id, &refused, &f->e));
    refused.at = cut + 50;
    FX_WRITE(f, store_outbox_failed(t, failed_late.id, &refused, &f->e));

    struct mailing done = {.kind = "presented", .created_at = cut - 200, .vars = "{}"};
    struct mailing later = {.kind = "presented", .created_at = cut - 200, .vars = "{}"};
    FX_WRITE(f, store_mailing_insert(t, &done, &f->e));
    FX_WRITE(f, store_mailing_insert(t, &later, &f->e));
    struct mailing_recipient r = {.email_key = "a@example.org",
                                  .email = "a@example.org",
                                  .name = "A",
                                  .lang = LANG_EN,
                                  .labels = "e-1"};
    FX_WRITE(f, store_mailing_recipient_add(t, done.id, &r, &f->e));
    FX_WRITE(f, store_mailing_recipient_add(t, later.id, &r, &f->e));
    struct mailing_recipient r2 = r;
    r2.email_key = r2.email = "b@example.org";
    FX_WRITE(f, store_mailing_recipient_add(t, done.id, &r2, &f->e));
    FX_WRITE(f, store_mailing_queued(t, done.id, "a@example.org", cut - 150, &f->e));
    FX_WRITE(f, store_mailing_queued(t, done.id, "b@example.org", cut - 150, &f->e));
    FX_WRITE(f, store_mailing_queued(t, later.id, "a@example.org", cut - 150, &f->e));
    FX_WRITE(f, store_mailing_done(t, done.id, cut - 100, &f->e));
    FX_WRITE(f, store_mailing_done(t, later.id, cut + 100, &f->e));

    int64_t n = -1;
    FX_WRITE(f, store_retention_prune_mail(t, cut, &n, &f->e));
    /* rows: the old sent and failed e-mails and the done mailing's two recipients */
    assert_int_equal(n, 4);
    struct outbox_health h;
    FX_OK(f, store_outbox_health(f->s, NULL, 0, &h, &f->e));
    assert_int_equal(h.failed, 1); /* failed_late stays */
    struct mailing_progress pg;
    FX_OK(f, store_mailing_progress(f->s, NULL, done.id, &pg, &f->e));
    assert_int_equal(pg.recipients, 0);
    FX_OK(f, store_mailing_progress(f->s, NULL, later.id, &pg, &f->e));
    assert_int_equal(pg.recipients, 1);
    /* Unsent e-mail stays whatever its age. */
    struct outbox_mail *list;
    int nm;
    FX_OK(f, store_outbox_due(f->s, NULL, f->a, f->now, 10, &list, &nm, &f->e));
    assert_int_equal(nm, 1);
    assert_int_equal(list[0].id, unsent.id);

    /* Nothing more to prune. */
    FX_WRITE(f, store_retention_prune_mail(t, cut, &n, &f->e));
    assert_int_equal(n, 0);
}

/* Refused forms' states expired at now go; the others stay. */
static void
expired_form_states_pruned(void **state)
{
    struct fx *f = *state;
    int64_t u = fx_user(f, "forms@example.org", ROLE_PETITIONER);
    const char *s = NULL;
    int64_t n = -1;
    FX_WRITE(f, store_form_state_put(t, "old", u, "/en/x", "S1", f->now, f->now + 10, 3, &f->e));
    FX_WRITE(f, store_form_state_put(t, "new", u, "/en/x", "S2", f->now, f->now + 600, 3, &f->e));
    FX_WRITE(f, store_retention_prune_forms(t, f->now + 10, &n, &f->e));
    assert_int_equal(n, 1);
    /* Gone even when read as if before its expiry. */
    FX_ERR(f, ERR_NOT_FOUND,
           store_form_state_get(f->s, NULL, f->a, "old", u, "/en/x", f->now, &s, &f->e));
    FX_OK(f, store_form_state_get(f->s, NULL, f->a, "new", u, "/en/x", f->now, &s, &f->e));
    FX_WRITE(f, store_retention_prune_forms(t, f->now + 10, &n, &f->e));
    assert_int_equal(n, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(due_items_oldest_first_with_what_would_go),
        FX_TEST(due_drafts_before_petitions_at_the_same_time),
        FX_TEST(erasure_blanks_people_and_keeps_counts),
        FX_TEST(sent_and_failed_mail_and_done_mailings_pruned),
        FX_TEST(expired_form_states_pruned),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
