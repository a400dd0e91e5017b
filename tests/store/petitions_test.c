/*
 * petitions_test.c: the register of petitions (store/petitions.h): a whole
 * record round-trips with its texts, keywords, counts, response and
 * timeline; its references are looked up by code or key and its numbers
 * are unique; its insertion is an audited record; what signing needs of
 * it; the next e-number, one of its own for each of publishers running at
 * once; states, the queue and certification; the closing timers' list;
 * every e-petition's id; the day-by-day counts and the week's by region;
 * subjects and keywords with their public petitions.
 */
#include "store_fixture.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "lib/banned.h"

static void
whole_petition_round_trips(void **state)
{
    struct fx *f = *state;
    fx_subject(f, "foreign-affairs", "Foreign affairs");
    fx_keyword(f, "belarus", "Belarus");
    fx_keyword(f, "sanctions", "Sanctions");
    int64_t auth = fx_member(f, "arya", "Arya", "Stark");
    int64_t pres = fx_member(f, "ned", "Ned", "Stark");
    int64_t mi = fx_ministry(f, "foreign-affairs", "Minister of Foreign Affairs");

    struct petition p = fx_petition_new(f, 2829);
    p.state = PETITION_RESPONSE_TABLED;
    p.opened_at = fx_at(2020, 9, 15, 9, 30);
    p.closes_at = fx_at(2021, 1, 13, 9, 30);
    p.certified_at = fx_at(2021, 1, 14, 10, 0);
    p.presented_at = fx_at(2021, 2, 1, 12, 0);
    p.created_at = fx_at(2020, 9, 1, 8, 0);
    p.state_changed_at = fx_at(2021, 3, 17, 12, 0);
    p.signature_period_days = 120;
    p.subject.code = "foreign-affairs";
    const char *slugs[] = {"belarus", "sanctions"};
    fx_petition_keywords(f, &p, 2, slugs);
    p.original_language = LANG_FR;
    p.addressee = ADDRESSEE_MINISTER;
    p.addressee_ministry.code = "foreign-affairs";
    p.petitioner_name = "Élise Tremblay";
    p.petitioner_city = "Québec";
    p.petitioner_province = REGION_QC;
    p.has_authorizing_member = true;
    p.authorizing_member.key = "arya";
    p.has_presented_number = true;
    p.presented_number = (struct presented_number){45, 1, 158};
    p.has_presenting_member = true;
    p.presenting_member.key = "ned";
    p.committee[LANG_EN] = "Foreign Affairs";
    p.committee[LANG_FR] = "Affaires étrangères";
    p.response_ministry_id = mi;
    p.has_response = true;
    p.response.ministry.code = "foreign-affairs";
    p.response.signed_by = "The Honourable François-Philippe Champagne";
    p.response.text[LANG_EN] = "The Government thanks the petitioners.\n\nIt acts.";
    p.response.text[LANG_FR] = "Le gouvernement remercie les pétitionnaires.";
    p.response.tabled_at = p.state_changed_at;
    p.signature_total = 1400;
    p.region_counts[REGION_QC] = 1000;
    p.region_counts[REGION_ON] = 300;
    p.region_counts[REGION_OUTSIDE] = 100;
    p.is_demo = true;
    p.rules_fixed = true;
    p.certify_threshold = 500;
    p.grace_hours = 24;
    int64_t id = fx_petition_insert(f, &p);

    struct petition g = fx_get(f, 2829);
    assert_int_equal(g.id, id);
    assert_int_equal(g.kind, PETITION_ELECTRONIC);
    assert_int_equal(g.e_number, 2829);
    assert_int_equal(g.state, PETITION_RESPONSE_TABLED);
    assert_int_equal(g.state_changed_at, p.state_changed_at);
    assert_int_equal(g.parliament, 45);
    assert_int_equal(g.session, 1);
    assert_true(g.subject.id != 0);
    assert_string_equal(g.subject.code, "foreign-affairs");
    assert_string_equal(g.subject.name[LANG_EN], "Foreign affairs");
    assert_string_equal(g.subject.name[LANG_FR], "FR Foreign affairs");
    assert_int_equal(g.keyword_count, 2);
    bool belarus = false, sanctions = false;
    for (int i = 0; i < g.keyword_count; i++) {
        if (strcmp(g.keywords[i].slug, "belarus") == 0) {
            belarus = true;
            assert_string_equal(g.keywords[i].name[LANG_EN], "Belarus");
            assert_string_equal(g.keywords[i].name[LANG_FR], "FR Belarus");
        }
        sanctions |= strcmp(g.keywords[i].slug, "sanctions") == 0;
    }
    assert_true(belarus && sanctions);
    assert_int_equal(g.original_language, LANG_FR);
    assert_int_equal(g.addressee, ADDRESSEE_MINISTER);
    assert_int_equal(g.addressee_ministry.id, mi);
    assert_string_equal(g.addressee_ministry.title[LANG_EN], "Minister of Foreign Affairs");
    assert_string_equal(g.petitioner_name, "Élise Tremblay");
    assert_string_equal(g.petitioner_city, "Québec");
    assert_int_equal(g.petitioner_province, REGION_QC);
    assert_true(g.has_authorizing_member);
    assert_int_equal(g.authorizing_member.id, auth);
    assert_string_equal(g.authorizing_member.key, "arya");
    assert_string_equal(g.authorizing_member.constituency[LANG_EN], "Riding of Stark");
    assert_int_equal(g.grievance_count, 2);
    assert_string_equal(g.grievances[0].text[LANG_EN], p.grievances[0].text[LANG_EN]);
    assert_string_equal(g.grievances[0].text[LANG_FR], p.grievances[0].text[LANG_FR]);
    assert_string_equal(g.grievances[1].text[LANG_EN], p.grievances[1].text[LANG_EN]);
    assert_string_equal(g.prayer[LANG_EN], p.prayer[LANG_EN]);
    assert_string_equal(g.prayer[LANG_FR], p.prayer[LANG_FR]);
    assert_int_equal(g.signature_period_days, 120);
    assert_int_equal(g.created_at, p.created_at);
    assert_int_equal(g.opened_at, p.opened_at);
    assert_int_equal(g.closes_at, p.closes_at);
    assert_int_equal(g.certified_at, p.certified_at);
    assert_int_equal(g.presented_at, p.presented_at);
    assert_true(g.has_presented_number);
    assert_int_equal(g.presented_number.parliament, 45);
    assert_int_equal(g.presented_number.session, 1);
    assert_int_equal(g.presented_number.sequence, 158);
    assert_true(g.has_presenting_member);
    assert_int_equal(g.presenting_member.id, pres);
    assert_string_equal(g.committee[LANG_EN], "Foreign Affairs");
    assert_string_equal(g.committee[LANG_FR], "Affaires étrangères");
    assert_int_equal(g.response_ministry_id, mi);
    assert_true(g.has_response);
    assert_int_equal(g.response.ministry.id, mi);
    assert_string_equal(g.response.signed_by, p.response.signed_by);
    /* None in French (a response recorded before there was one): the English. */
    assert_string_equal(g.response.signed_by_fr, p.response.signed_by);
    assert_string_equal(g.response.text[LANG_EN], p.response.text[LANG_EN]);
    assert_string_equal(g.response.text[LANG_FR], p.response.text[LANG_FR]);
    assert_int_equal(g.response.tabled_at, p.response.tabled_at);
    assert_int_equal(g.signature_total, 1400);
    assert_int_equal(g.region_counts[REGION_QC], 1000);
    assert_int_equal(g.region_counts[REGION_ON], 300);
    assert_int_equal(g.region_counts[REGION_OUTSIDE], 100);
    assert_int_equal(g.region_counts[REGION_AB], 0);
    assert_true(g.is_demo);
    assert_true(g.rules_fixed);
    assert_int_equal(g.certify_threshold, 500);
    assert_int_equal(g.grace_hours, 24);
    assert_int_equal(g.erased_at, 0);
    /* The timeline, oldest first, ends with the state it is in. */
    assert_true(g.event_count >= 1);
    for (int i = 1; i < g.event_count; i++)
        assert_true(g.events[i - 1].at <= g.events[i].at);
    assert_int_equal(g.events[g.event_count - 1].state, PETITION_RESPONSE_TABLED);
    assert_int_equal(g.events[g.event_count - 1].at, p.state_changed_at);

    /* Known by its presented number as well. */
    struct petition_number n = {.kind = PETITION_NUMBER_PRESENTED, .pps = {45, 1, 158}};
    struct petition h;
    FX_OK(f, store_petition_get(f->s, NULL, f->a, &n, &h, &f->e));
    assert_int_equal(h.id, id);
}

static void
addressed_to_a_member_and_in_any_state(void **state)
{
    struct fx *f = *state;
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    struct petition p = fx_petition_new(f, 77);
    p.addressee = ADDRESSEE_MEMBER;
    p.addressee_member.key = "mp";
    p.state = PETITION_REMOVED;
    p.rules_fixed = false;
    fx_petition_insert(f, &p);
    struct petition g = fx_get(f, 77);
    assert_int_equal(g.state, PETITION_REMOVED);
    assert_int_equal(g.addressee, ADDRESSEE_MEMBER);
    assert_int_equal(g.addressee_member.id, mp);
    assert_string_equal(g.addressee_member.last_name, "Member");
    assert_int_equal(g.subject.id, 0);
    assert_int_equal(g.keyword_count, 0);
    assert_false(g.has_authorizing_member);
    assert_false(g.has_presented_number);
    assert_false(g.has_response);
    assert_int_equal(g.response_ministry_id, 0);
    /* Rules not fixed read back as none (older records). */
    assert_false(g.rules_fixed);
    assert_int_equal(g.grace_hours, -1);
    assert_int_equal(g.certify_threshold, 0);

    /* A paper petition by its presented number. */
    struct petition paper = fx_paper_new(f, 12, "mp");
    int64_t id = fx_petition_insert(f, &paper);
    struct petition_number n = {.kind = PETITION_NUMBER_PRESENTED, .pps = {45, 1, 12}};
    FX_OK(f, store_petition_get(f->s, NULL, f->a, &n, &g, &f->e));
    assert_int_equal(g.id, id);
    assert_int_equal(g.kind, PETITION_PAPER);
    assert_int_equal(g.e_number, 0);
    assert_int_equal(g.signature_total, 30);
    assert_int_equal(g.presenting_member.id, mp);
    n.pps.sequence = 13;
    FX_ERR(f, ERR_NOT_FOUND, store_petition_get(f->s, NULL, f->a, &n, &g, &f->e));
}

static void
references_and_numbers_are_checked(void **state)
{
    struct fx *f = *state;
    fx_house(f);
    fx_member(f, "mp", "Mary", "Member");
    fx_petition(f, 100);

    /* Numbers are unique: an e-number, a presented number. */
    struct petition p = fx_petition_new(f, 100);
    FX_REFUSED_AUDITED(f, ERR_CONFLICT, store_petition_insert(t, &p, &f->e));
    struct petition paper = fx_paper_new(f, 3, "mp");
    fx_petition_insert(f, &paper);
    paper = fx_paper_new(f, 3, "mp");
    FX_REFUSED_AUDITED(f, ERR_CONFLICT, store_petition_insert(t, &paper, &f->e));

    /* References by code or key that name nothing. */
    p = fx_petition_new(f, 101);
    p.subject.code = "nope";
    FX_REFUSED_AUDITED(f, ERR_INVALID, store_petition_insert(t, &p, &f->e));
    p = fx_petition_new(f, 101);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "nobody";
    FX_REFUSED_AUDITED(f, ERR_INVALID, store_petition_insert(t, &p, &f->e));
    p = fx_petition_new(f, 101);
    p.addressee = ADDRESSEE_MINISTER;
    p.addressee_ministry.code = "nowhere";
    FX_REFUSED_AUDITED(f, ERR_INVALID, store_petition_insert(t, &p, &f->e));
    p = fx_petition_new(f, 101);
    p.has_presenting_member = true;
    p.presenting_member.key = "nobody";
    FX_REFUSED_AUDITED(f, ERR_INVALID, store_petition_insert(t, &p, &f->e));

    struct petition g;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = 101};
    FX_ERR(f, ERR_NOT_FOUND, store_petition_get(f->s, NULL, f->a, &n, &g, &f->e));
}

static void
insertion_is_an_audited_record(void **state)
{
    struct fx *f = *state;
    fx_house(f);
    struct petition p = fx_petition_new(f, 5);
    FX_REFUSED(f, ERR_UNAUDITED, store_petition_insert(t, &p, &f->e));
    struct petition g;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = 5};
    FX_ERR(f, ERR_NOT_FOUND, store_petition_get(f->s, NULL, f->a, &n, &g, &f->e));
    FX_AUDITED(f, store_petition_insert(t, &p, &f->e));
    FX_OK(f, store_petition_get(f->s, NULL, f->a, &n, &g, &f->e));
}

static void
brief_holds_what_signing_needs(void **state)
{
    struct fx *f = *state;
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    struct petition p = fx_petition_new(f, 6512);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "mp";
    p.original_language = LANG_FR;
    p.signature_total = 42;
    p.region_counts[REGION_ON] = 42;
    p.certify_threshold = 400;
    p.grace_hours = 12;
    p.is_demo = true;
    int64_t id = fx_petition_insert(f, &p);

    struct petition_brief b;
    FX_OK(f, store_petition_brief(f->s, NULL, id, 0, &b, &f->e));
    assert_int_equal(b.id, id);
    assert_int_equal(b.kind, PETITION_ELECTRONIC);
    assert_int_equal(b.e_number, 6512);
    assert_int_equal(b.state, PETITION_OPEN);
    assert_int_equal(b.closes_at, p.closes_at);
    assert_int_equal(b.certified_at, 0);
    assert_int_equal(b.queued_at, 0);
    assert_int_equal(b.certify_threshold, 400);
    assert_int_equal(b.grace_hours, 12);
    assert_int_equal(b.total, 42);
    assert_int_equal(b.authorizing_member_id, mp);
    assert_int_equal(b.draft_id, 0); /* imported */
    assert_int_equal(b.original_language, LANG_FR);
    assert_true(b.is_demo);
    struct petition_brief c;
    FX_OK(f, store_petition_brief(f->s, NULL, 0, 6512, &c, &f->e));
    assert_int_equal(c.id, id);
    FX_ERR(f, ERR_NOT_FOUND, store_petition_brief(f->s, NULL, 0, 6513, &c, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_petition_brief(f->s, NULL, id + 1000, 0, &c, &f->e));

    /* Rules not fixed: the jurisdiction's. */
    p = fx_petition_new(f, 6513);
    p.rules_fixed = false;
    int64_t old = fx_petition_insert(f, &p);
    FX_OK(f, store_petition_brief(f->s, NULL, old, 0, &c, &f->e));
    assert_int_equal(c.certify_threshold, 0);
    assert_int_equal(c.grace_hours, -1);

    /* Published from a draft: the draft it came from. */
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    struct draft_record d = fx_draft_new(f, pet);
    d.state = PETITION_UNDER_REVIEW;
    int64_t did = fx_draft_insert(f, &d);
    d.state = PETITION_OPEN;
    d.petition_id = old;
    FX_AUDITED(f, store_draft_update(t, &d, f->now, &f->e));
    FX_OK(f, store_petition_brief(f->s, NULL, old, 0, &c, &f->e));
    assert_int_equal(c.draft_id, did);
    struct draft_record gd;
    FX_OK(f, store_draft_get(f->s, NULL, f->a, did, &gd, &f->e));
    assert_int_equal(gd.petition_id, old);
    assert_int_equal(gd.e_number, 6513);
}

static void
next_e_number_is_above_every_number_used(void **state)
{
    struct fx *f = *state;
    long n = 0;
    struct store_txn *tx = fx_begin(f);
    FX_OK(f, store_petition_next_e_number(tx, &n, &f->e));
    fx_rollback(f, tx);
    assert_true(n >= 1);

    fx_petition(f, 5000);
    fx_petition(f, 12);
    struct petition removed = fx_petition_new(f, 7000);
    removed.state = PETITION_REMOVED;
    fx_petition_insert(f, &removed);
    tx = fx_begin(f);
    FX_OK(f, store_petition_next_e_number(tx, &n, &f->e));
    assert_true(n > 7000);
    /* Unique in the transaction that publishes with it. */
    struct petition p = fx_petition_new(f, n);
    fx_audit(f, tx, "petition.publish");
    FX_OK(f, store_petition_insert(tx, &p, &f->e));
    long next = 0;
    FX_OK(f, store_petition_next_e_number(tx, &next, &f->e));
    assert_true(next > n);
    fx_commit(f, tx);
}

/* A publisher of its own thread: next e-number, then the insert with it,
 * in one transaction, the whole of it tried again on ERR_CONFLICT (as
 * store.h tells a caller to). */
struct publisher {
    struct store *s;
    pthread_barrier_t *start;
    struct petition p;
    int64_t now;
    int r, conflicts;
};

static void *
publish(void *arg)
{
    struct publisher *pb = arg;
    struct err e = ERR_INIT;
    pthread_barrier_wait(pb->start);
    for (int attempt = 0; attempt < 50; attempt++) {
        struct store_txn *t = NULL;
        struct audit_entry a = {.at = pb->now, .role = "system", .action = "petition.publish"};
        long n = 0;
        int r = store_begin(pb->s, &t, &e);
        if (r)
            goto next;
        r = store_petition_next_e_number(t, &n, &e);
        /* Let the other publishers read their number too. */
        nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
        pb->p.e_number = n;
        if (!r && !(r = store_audit_append(t, &a, &e)) &&
            !(r = store_petition_insert(t, &pb->p, &e))) {
            r = store_commit(t, &e); /* ends t, kept or not */
            goto next;
        }
        store_rollback(t);
    next:
        if (r != ERR_CONFLICT) {
            pb->r = r;
            break;
        }
        pb->conflicts++;
    }
    return NULL;
}

static void
publishers_at_once_each_get_a_number_of_their_own(void **state)
{
    struct fx *f = *state;
    enum { N = 4 };
    fx_petition(f, 41);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    struct publisher pb[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        pb[i] = (struct publisher){
            .s = f->s, .start = &start, .p = fx_petition_new(f, 0), .now = f->now, .r = -100};
        assert_int_equal(pthread_create(&th[i], NULL, publish, &pb[i]), 0);
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&start);
    /* Every publisher published, each with a number above the ones used
     * before, no two alike. */
    for (int i = 0; i < N; i++) {
        assert_int_equal(pb[i].r, 0);
        assert_true(pb[i].p.e_number > 41 && pb[i].p.e_number <= 41 + N);
        for (int j = 0; j < i; j++)
            assert_true(pb[i].p.e_number != pb[j].p.e_number);
        struct petition g = fx_get(f, pb[i].p.e_number);
        assert_int_equal(g.id, pb[i].p.id);
    }
    long n = 0;
    struct store_txn *tx = fx_begin(f);
    FX_OK(f, store_petition_next_e_number(tx, &n, &f->e));
    fx_rollback(f, tx);
    assert_int_equal(n, 41 + N + 1);
}

static struct petition_event
last_event(const struct petition *p)
{
    assert_true(p->event_count > 0);
    return p->events[p->event_count - 1];
}

static void
state_queue_and_certification(void **state)
{
    struct fx *f = *state;
    struct petition p = fx_petition_new(f, 300);
    p.opened_at = f->now - 130 * 86400;
    p.closes_at = f->now - 2 * 86400;
    p.state_changed_at = p.opened_at;
    int64_t id = fx_petition_insert(f, &p);

    /* Closed by its timer. */
    int64_t at = f->now - 86400;
    FX_WRITE(f, store_petition_set_state(t, id, PETITION_WAITING_FOR_CERTIFICATION, at, &f->e));
    struct petition g = fx_get(f, 300);
    assert_int_equal(g.state, PETITION_WAITING_FOR_CERTIFICATION);
    assert_int_equal(g.state_changed_at, at);
    assert_int_equal(last_event(&g).state, PETITION_WAITING_FOR_CERTIFICATION);
    assert_int_equal(last_event(&g).at, at);

    /* Into the certification queue. */
    FX_WRITE(f, store_petition_set_queued(t, id, f->now, &f->e));
    struct petition_brief b;
    FX_OK(f, store_petition_brief(f->s, NULL, id, 0, &b, &f->e));
    assert_int_equal(b.queued_at, f->now);
    assert_int_equal(b.state, PETITION_WAITING_FOR_CERTIFICATION);

    /* Certified (audited). */
    FX_REFUSED(f, ERR_UNAUDITED, store_petition_set_certified(t, id, f->now + 60, &f->e));
    FX_OK(f, store_petition_brief(f->s, NULL, id, 0, &b, &f->e));
    assert_int_equal(b.certified_at, 0);
    FX_AUDITED(f, store_petition_set_certified(t, id, f->now + 60, &f->e));
    FX_OK(f, store_petition_brief(f->s, NULL, id, 0, &b, &f->e));
    assert_int_equal(b.certified_at, f->now + 60);
    assert_int_equal(fx_get(f, 300).certified_at, f->now + 60);
}

static int64_t
closing_petition(struct fx *f, long e, enum petition_state s, int64_t closes_at, bool queued)
{
    struct petition p = fx_petition_new(f, e);
    p.state = s;
    p.opened_at = closes_at - 120 * 86400;
    p.closes_at = closes_at;
    p.state_changed_at = s == PETITION_OPEN ? p.opened_at : closes_at;
    int64_t id = fx_petition_insert(f, &p);
    if (queued)
        FX_WRITE(f, store_petition_set_queued(t, id, closes_at + 86400, &f->e));
    return id;
}

static void
closing_lists_timers_that_may_be_due(void **state)
{
    struct fx *f = *state;
    int64_t T = f->now;
    int64_t late = closing_petition(f, 1, PETITION_OPEN, T - 100, false);
    closing_petition(f, 2, PETITION_OPEN, T + 100, false); /* still open */
    int64_t waiting = closing_petition(f, 3, PETITION_WAITING_FOR_CERTIFICATION, T - 200, false);
    closing_petition(f, 4, PETITION_WAITING_FOR_CERTIFICATION, T - 300, true); /* queued */
    closing_petition(f, 5, PETITION_CERTIFIED, T - 400, false);
    int64_t tie = closing_petition(f, 6, PETITION_OPEN, T - 100, false); /* tie with late */
    closing_petition(f, 7, PETITION_NOT_CERTIFIED, T - 500, false);
    struct petition paper = fx_paper_new(f, 9, "mp");
    fx_member(f, "mp", "Mary", "Member");
    fx_petition_insert(f, &paper);

    struct petition_brief *list;
    int n;
    FX_OK(f, store_petition_closing(f->s, NULL, f->a, T, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, waiting);
    assert_int_equal(list[1].id, late);
    assert_int_equal(list[2].id, tie);
    assert_int_equal(list[0].state, PETITION_WAITING_FOR_CERTIFICATION);
    assert_int_equal(list[1].closes_at, T - 100);
    assert_int_equal(list[1].e_number, 1);
}

static void
e_petition_ids_ascending(void **state)
{
    struct fx *f = *state;
    fx_member(f, "mp", "Mary", "Member");
    int64_t b = fx_petition(f, 20);
    struct petition paper = fx_paper_new(f, 1, "mp");
    fx_petition_insert(f, &paper);
    int64_t a = fx_petition(f, 10);
    struct petition removed = fx_petition_new(f, 30);
    removed.state = PETITION_REMOVED;
    int64_t c = fx_petition_insert(f, &removed);
    int64_t *ids;
    int n;
    FX_OK(f, store_petition_e_ids(f->s, NULL, f->a, &ids, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], b);
    assert_int_equal(ids[1], a);
    assert_int_equal(ids[2], c);
}

static void
counts_day_by_day_in_eastern_time(void **state)
{
    struct fx *f = *state;
    int64_t id = fx_petition(f, 1);
    int64_t other = fx_petition(f, 2);
    /* June 2 (EDT): 10:00 and 23:30 Eastern (03:30 UTC on June 3). */
    fx_count(f, id, REGION_ON, 3, fx_at(2025, 6, 2, 10, 0));
    fx_count(f, id, REGION_QC, 2, fx_at(2025, 6, 2, 23, 30));
    /* June 4: 00:30 Eastern (still June 4 04:30 UTC), then one lost. */
    fx_count(f, id, REGION_ON, 4, fx_at(2025, 6, 4, 0, 30));
    fx_count(f, id, REGION_ON, -1, fx_at(2025, 6, 4, 20, 0));
    /* June 6: a loss only. */
    fx_count(f, id, REGION_QC, -1, fx_at(2025, 6, 6, 9, 0));
    fx_count(f, other, REGION_ON, 9, fx_at(2025, 6, 3, 12, 0));

    struct day_count *days;
    int n;
    FX_OK(f, store_petition_days(f->s, NULL, f->a, id, &days, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(days[0].day.year, 2025);
    assert_int_equal(days[0].day.month, 6);
    assert_int_equal(days[0].day.day, 2);
    assert_int_equal(days[0].delta, 5);
    assert_int_equal(days[1].day.day, 4);
    assert_int_equal(days[1].delta, 3);
    assert_int_equal(days[2].day.day, 6);
    assert_int_equal(days[2].delta, -1);
    FX_OK(f, store_petition_days(f->s, NULL, f->a, fx_petition(f, 3), &days, &n, &f->e));
    assert_int_equal(n, 0);
}

static void
week_by_region_of_public_petitions(void **state)
{
    struct fx *f = *state;
    int64_t a = fx_petition(f, 1);
    int64_t b = fx_petition(f, 2);
    struct petition p = fx_petition_new(f, 3);
    p.state = PETITION_REMOVED;
    int64_t removed = fx_petition_insert(f, &p);
    fx_count(f, a, REGION_ON, 5, fx_at(2025, 5, 31, 12, 0)); /* before the week */
    fx_count(f, a, REGION_ON, 2, fx_at(2025, 6, 1, 0, 30));  /* its first day */
    fx_count(f, b, REGION_ON, 3, fx_at(2025, 6, 2, 12, 0));
    fx_count(f, b, REGION_OUTSIDE, 1, fx_at(2025, 6, 2, 12, 0));
    fx_count(f, a, REGION_BC, 4, fx_at(2025, 6, 3, 12, 0));
    fx_count(f, a, REGION_BC, -1, fx_at(2025, 6, 3, 13, 0));
    fx_count(f, removed, REGION_ON, 50, fx_at(2025, 6, 2, 12, 0));

    int64_t out[REGION_COUNT];
    struct civil_date since = {2025, 6, 1};
    FX_OK(f, store_region_days_since(f->s, NULL, &since, out, &f->e));
    assert_int_equal(out[REGION_ON], 5);
    assert_int_equal(out[REGION_BC], 3);
    assert_int_equal(out[REGION_OUTSIDE], 1);
    assert_int_equal(out[REGION_QC], 0);
    since = (struct civil_date){2025, 6, 3};
    FX_OK(f, store_region_days_since(f->s, NULL, &since, out, &f->e));
    assert_int_equal(out[REGION_ON], 0);
    assert_int_equal(out[REGION_BC], 3);
}

static void
subjects_and_keywords_with_their_public_petitions(void **state)
{
    struct fx *f = *state;
    int64_t health = fx_subject(f, "health", "Health");
    int64_t arts2 = fx_subject(f, "arts-2", "Arts");
    int64_t arts1 = fx_subject(f, "arts-1", "Arts"); /* tie: by id */
    struct subject care = {.code = "health", .name = {"Health care", "FR Health care"}};
    FX_WRITE(f, store_subject_put(t, &care, &f->e));
    assert_int_equal(care.id, health);
    int64_t kz = fx_keyword(f, "zebra", "Zebras");
    struct keyword apple = {.slug = "apple", .name = {"Apples", "Pommes"}};
    FX_WRITE(f, store_keyword_put(t, &apple, &f->e));
    int64_t ka = apple.id;
    assert_true(ka != 0);
    apple = (struct keyword){.slug = "apple", .name = {"Apple trees", "Pommiers"}};
    FX_WRITE(f, store_keyword_put(t, &apple, &f->e));
    assert_int_equal(apple.id, ka);

    struct petition p = fx_petition_new(f, 1);
    p.subject.code = "health";
    const char *both[] = {"apple", "zebra"};
    fx_petition_keywords(f, &p, 2, both);
    fx_petition_insert(f, &p);
    p = fx_petition_new(f, 2);
    p.subject.code = "health";
    fx_petition_keywords(f, &p, 1, both);
    p.state = PETITION_NOT_CERTIFIED;
    fx_petition_insert(f, &p);
    p = fx_petition_new(f, 3);
    p.subject.code = "health";
    fx_petition_keywords(f, &p, 1, both);
    p.state = PETITION_REMOVED; /* not public: not counted */
    fx_petition_insert(f, &p);

    struct subject *sl;
    int n;
    FX_OK(f, store_subject_list(f->s, NULL, f->a, &sl, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(sl[0].id, arts2);
    assert_int_equal(sl[1].id, arts1);
    assert_int_equal(sl[2].id, health);
    assert_int_equal(sl[2].petitions, 2);
    assert_int_equal(sl[0].petitions, 0);
    assert_string_equal(sl[2].name[LANG_EN], "Health care");
    assert_string_equal(sl[2].name[LANG_FR], "FR Health care");
    struct subject s;
    FX_OK(f, store_subject_get(f->s, NULL, f->a, "health", &s, &f->e));
    assert_int_equal(s.id, health);
    assert_string_equal(s.code, "health");
    assert_string_equal(s.name[LANG_EN], "Health care");
    FX_ERR(f, ERR_NOT_FOUND, store_subject_get(f->s, NULL, f->a, "nope", &s, &f->e));

    struct keyword *kl;
    FX_OK(f, store_keyword_list(f->s, NULL, f->a, &kl, &n, &f->e));
    assert_int_equal(n, 2);
    assert_int_equal(kl[0].id, ka);
    assert_int_equal(kl[0].petitions, 2);
    assert_string_equal(kl[0].name[LANG_EN], "Apple trees");
    assert_int_equal(kl[1].id, kz);
    assert_int_equal(kl[1].petitions, 1);
    struct keyword k;
    FX_OK(f, store_keyword_get(f->s, NULL, f->a, "zebra", &k, &f->e));
    assert_int_equal(k.id, kz);
    assert_string_equal(k.slug, "zebra");
    assert_string_equal(k.name[LANG_FR], "FR Zebras");
    FX_ERR(f, ERR_NOT_FOUND, store_keyword_get(f->s, NULL, f->a, "nope", &k, &f->e));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(whole_petition_round_trips),
        FX_TEST(addressed_to_a_member_and_in_any_state),
        FX_TEST(references_and_numbers_are_checked),
        FX_TEST(insertion_is_an_audited_record),
        FX_TEST(brief_holds_what_signing_needs),
        FX_TEST(next_e_number_is_above_every_number_used),
        FX_TEST(publishers_at_once_each_get_a_number_of_their_own),
        FX_TEST(state_queue_and_certification),
        FX_TEST(closing_lists_timers_that_may_be_due),
        FX_TEST(e_petition_ids_ascending),
        FX_TEST(counts_day_by_day_in_eastern_time),
        FX_TEST(week_by_region_of_public_petitions),
        FX_TEST(subjects_and_keywords_with_their_public_petitions),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
