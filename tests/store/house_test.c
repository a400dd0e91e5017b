/*
 * house_test.c: Parliament and its calendar, Members and ministries,
 * presentation, the government response and dissolution (store/house.h):
 * records put by their natural keys (a minister by ministry, name and
 * first day; a Member put sits), the audited ones refused without their
 * record, every list in its order with its ties and its counts of public
 * petitions, the house's status through prorogation and dissolution (a
 * session ended by dissolution, its Parliament by
 * store_parliament_dissolve()), no current session when none is open,
 * sitting days, presentation numbers, the response being written and
 * tabled, and every open petition and draft moved at once.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

/* A Parliament with its first session; the session's id. */
static int64_t
parliament(struct fx *f, int number, int64_t opened_at, int64_t *parliament_id)
{
    struct parliament p = {.number = number, .opened_at = opened_at};
    FX_AUDITED(f, store_parliament_put(t, &p, &f->e));
    struct session s = {
        .parliament_id = p.id, .parliament = number, .number = 1, .opened_at = opened_at};
    FX_AUDITED(f, store_session_put(t, &s, &f->e));
    if (parliament_id)
        *parliament_id = p.id;
    if (number == 45 && !f->session_id) { /* the fixture's petitions go here */
        f->parliament_id = p.id;
        f->session_id = s.id;
    }
    return s.id;
}

static int64_t
session(struct fx *f, int64_t parliament_id, int parliament, int number, int64_t opened_at)
{
    struct session s = {.parliament_id = parliament_id,
                        .parliament = parliament,
                        .number = number,
                        .opened_at = opened_at};
    FX_AUDITED(f, store_session_put(t, &s, &f->e));
    return s.id;
}

/* An e-petition of Parliament.session in state s. */
static int64_t
petition_in(struct fx *f, long e_number, int parl, int ses, enum petition_state s)
{
    struct petition p = fx_petition_new(f, e_number);
    p.parliament = parl;
    p.session = ses;
    p.state = s;
    return fx_petition_insert(f, &p);
}

static struct member
member_get(struct fx *f, int64_t id, const char *key)
{
    struct member m;
    FX_OK(f, store_member_get(f->s, NULL, f->a, id, key, &m, &f->e));
    return m;
}

static void
records_are_put_by_their_natural_keys(void **state)
{
    struct fx *f = *state;
    struct parliament p = {.number = 45, .opened_at = f->now};
    FX_AUDITED(f, store_parliament_put(t, &p, &f->e));
    struct parliament p2 = {.number = 45, .opened_at = f->now + 60};
    FX_AUDITED(f, store_parliament_put(t, &p2, &f->e));
    assert_int_equal(p2.id, p.id);
    struct parliament *pl;
    int n;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &pl, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(pl[0].opened_at, f->now + 60);

    int64_t s1 = session(f, p.id, 45, 1, f->now);
    assert_int_equal(session(f, p.id, 45, 1, f->now + 60), s1);
    assert_int_not_equal(session(f, p.id, 45, 2, f->now + 120), s1);

    int64_t m = fx_member(f, "arya", "Arya", "Stark");
    assert_int_equal(fx_member(f, "arya", "Arianne", "Stark-Martell"), m);
    struct member g = member_get(f, m, NULL);
    assert_string_equal(g.first_name, "Arianne");
    assert_string_equal(g.last_name, "Stark-Martell");

    struct ministry health = {.code = "health", .title = {"Minister of Health", "Ministre"}};
    FX_WRITE(f, store_ministry_put(t, &health, &f->e));
    int64_t mi = health.id;
    assert_true(mi != 0);
    health = (struct ministry){.code = "health",
                               .title = {"Minister of Health and Wellness", "Ministre"}};
    FX_WRITE(f, store_ministry_put(t, &health, &f->e));
    assert_int_equal(health.id, mi);
    struct ministry gm;
    FX_OK(f, store_ministry_get(f->s, NULL, f->a, mi, NULL, &gm, &f->e));
    assert_string_equal(gm.title[LANG_EN], "Minister of Health and Wellness");

    struct minister a = {.ministry_id = mi, .name = "Jane Doe", .from_at = f->now};
    FX_WRITE(f, store_minister_put(t, &a, &f->e));
    assert_true(a.id != 0);
    struct minister b = {
        .ministry_id = mi, .name = "Jane Doe", .from_at = f->now, .to_at = f->now + 86400};
    FX_WRITE(f, store_minister_put(t, &b, &f->e));
    assert_int_equal(b.id, a.id);
}

static void
minister_is_put_by_ministry_name_and_first_day(void **state)
{
    struct fx *f = *state;
    int64_t mi = fx_ministry(f, "health", "Minister of Health");
    int64_t other = fx_ministry(f, "fin", "Minister of Finance");
    struct minister a = {.ministry_id = mi, .name = "Jane Doe", .from_at = f->now};
    FX_WRITE(f, store_minister_put(t, &a, &f->e));
    assert_true(a.id != 0);

    /* The same key: updated in place (the last day set). */
    struct minister same = {
        .ministry_id = mi, .name = "Jane Doe", .from_at = f->now, .to_at = f->now + 86400};
    FX_WRITE(f, store_minister_put(t, &same, &f->e));
    assert_int_equal(same.id, a.id);

    /* The next minister of the ministry is another record. */
    struct minister b = {.ministry_id = mi, .name = "John Roe", .from_at = f->now + 86400};
    FX_WRITE(f, store_minister_put(t, &b, &f->e));
    assert_true(b.id != 0);
    assert_int_not_equal(b.id, a.id);
    /* So is the same person's second time in office, and the same person
     * and day in another ministry. */
    struct minister again = {
        .ministry_id = mi, .name = "Jane Doe", .from_at = f->now + 900 * 86400};
    FX_WRITE(f, store_minister_put(t, &again, &f->e));
    assert_int_not_equal(again.id, a.id);
    assert_int_not_equal(again.id, b.id);
    struct minister elsewhere = {.ministry_id = other, .name = "Jane Doe", .from_at = f->now};
    FX_WRITE(f, store_minister_put(t, &elsewhere, &f->e));
    assert_int_not_equal(elsewhere.id, a.id);
    assert_int_not_equal(elsewhere.id, again.id);

    /* Each keeps its key: put again, each finds its own. */
    struct minister b2 = b;
    b2.to_at = f->now + 800 * 86400;
    FX_WRITE(f, store_minister_put(t, &b2, &f->e));
    assert_int_equal(b2.id, b.id);
    struct minister a2 = a;
    FX_WRITE(f, store_minister_put(t, &a2, &f->e));
    assert_int_equal(a2.id, a.id);
}

static void
parliaments_and_sessions_are_audited_records(void **state)
{
    struct fx *f = *state;
    struct parliament p = {.number = 45, .opened_at = f->now};
    FX_REFUSED(f, ERR_UNAUDITED, store_parliament_put(t, &p, &f->e));
    struct parliament *pl;
    int n;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &pl, &n, &f->e));
    assert_int_equal(n, 0);

    FX_AUDITED(f, store_parliament_put(t, &p, &f->e));
    struct session s = {.parliament_id = p.id, .parliament = 45, .number = 1, .opened_at = f->now};
    FX_REFUSED(f, ERR_UNAUDITED, store_session_put(t, &s, &f->e));
    struct session *sl;
    FX_OK(f, store_session_list(f->s, NULL, f->a, &sl, &n, &f->e));
    assert_int_equal(n, 0);
}

static void
parliaments_newest_first_with_their_public_petitions(void **state)
{
    struct fx *f = *state;
    parliament(f, 43, f->now - 3000 * 86400, NULL);
    parliament(f, 45, f->now - 300 * 86400, NULL);
    parliament(f, 44, f->now - 1000 * 86400, NULL);
    petition_in(f, 1, 45, 1, PETITION_OPEN);
    petition_in(f, 2, 45, 1, PETITION_RESPONSE_TABLED);
    petition_in(f, 3, 45, 1, PETITION_REMOVED); /* not public */
    petition_in(f, 4, 44, 1, PETITION_CLOSED_UPON_DISSOLUTION);

    struct parliament *pl;
    int n;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &pl, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(pl[0].number, 45);
    assert_int_equal(pl[0].petitions, 2);
    assert_int_equal(pl[0].opened_at, f->now - 300 * 86400);
    assert_int_equal(pl[0].dissolved_at, 0);
    assert_int_equal(pl[1].number, 44);
    assert_int_equal(pl[1].petitions, 1);
    assert_int_equal(pl[2].number, 43);
    assert_int_equal(pl[2].petitions, 0);
}

static void
sessions_newest_first_with_their_public_petitions(void **state)
{
    struct fx *f = *state;
    int64_t p45, p44;
    parliament(f, 45, f->now - 300 * 86400, &p45);
    parliament(f, 44, f->now - 1000 * 86400, &p44);
    int64_t s442 = session(f, p44, 44, 2, f->now - 800 * 86400);
    int64_t s452 = session(f, p45, 45, 2, f->now - 100 * 86400);
    petition_in(f, 1, 44, 2, PETITION_OPEN);
    petition_in(f, 2, 44, 2, PETITION_PRESENTED);
    petition_in(f, 3, 44, 2, PETITION_UNDER_REVIEW); /* not public */
    petition_in(f, 4, 45, 1, PETITION_OPEN);

    struct session *sl;
    int n;
    FX_OK(f, store_session_list(f->s, NULL, f->a, &sl, &n, &f->e));
    assert_int_equal(n, 4);
    int want_parl[] = {45, 45, 44, 44};
    int want_num[] = {2, 1, 2, 1};
    int want_pet[] = {0, 1, 2, 0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(sl[i].parliament, want_parl[i]);
        assert_int_equal(sl[i].number, want_num[i]);
        assert_int_equal(sl[i].petitions, want_pet[i]);
    }
    assert_int_equal(sl[0].id, s452);
    assert_int_equal(sl[0].parliament_id, p45);
    assert_int_equal(sl[0].opened_at, f->now - 100 * 86400);
    assert_int_equal(sl[0].ended_at, 0);
    assert_false(sl[0].dissolved);
    assert_int_equal(sl[2].id, s442);
}

static void
member_round_trips(void **state)
{
    struct fx *f = *state;
    struct member m = {
        .key = "lebel",
        .first_name = "Anne-Marie",
        .last_name = "Lebel",
        .honorific = "Hon.",
        .constituency = {"Québec Centre", "Québec-Centre"},
        .province = REGION_QC,
        .caucus = {"Liberal", "Libéral"},
        .is_speaker = true,
        .active = true,
    };
    FX_WRITE(f, store_member_put(t, &m, &f->e));
    struct member g = member_get(f, m.id, NULL);
    assert_int_equal(g.id, m.id);
    assert_string_equal(g.key, "lebel");
    assert_string_equal(g.first_name, "Anne-Marie");
    assert_string_equal(g.last_name, "Lebel");
    assert_string_equal(g.honorific, "Hon.");
    assert_string_equal(g.constituency[LANG_EN], "Québec Centre");
    assert_string_equal(g.constituency[LANG_FR], "Québec-Centre");
    assert_int_equal(g.province, REGION_QC);
    assert_string_equal(g.caucus[LANG_EN], "Liberal");
    assert_string_equal(g.caucus[LANG_FR], "Libéral");
    assert_true(g.is_speaker);
    struct member h = member_get(f, 0, "lebel");
    assert_int_equal(h.id, m.id);
    FX_ERR(f, ERR_NOT_FOUND, store_member_get(f->s, NULL, f->a, m.id + 1000, NULL, &g, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_member_get(f->s, NULL, f->a, 0, "LEBEL", &g, &f->e));
}

static void
member_put_sits_whatever_active_says(void **state)
{
    struct fx *f = *state;
    struct member m = {
        .key = "gone",
        .first_name = "Gail",
        .last_name = "Gone",
        .honorific = "",
        .constituency = {"Riding", "Circonscription"},
        .province = REGION_ON,
        .caucus = {"Caucus", "Caucus"},
        .active = false, /* not written */
    };
    FX_WRITE(f, store_member_put(t, &m, &f->e));
    /* Put again, in place, still with active false. */
    m.honorific = "Hon.";
    FX_WRITE(f, store_member_put(t, &m, &f->e));

    struct member *list;
    int n;
    FX_OK(f, store_member_list(f->s, NULL, f->a, false, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, m.id);
    assert_string_equal(list[0].honorific, "Hon.");
    FX_OK(f, store_member_directory(f->s, NULL, f->a, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, m.id);
    assert_true(list[0].active);
    assert_true(member_get(f, m.id, NULL).active);
}

static int64_t
member_put(struct fx *f, const char *key, const char *first, const char *last, bool speaker)
{
    struct member m = {
        .key = key,
        .first_name = first,
        .last_name = last,
        .honorific = "",
        .constituency = {"Riding", "Circonscription"},
        .province = REGION_ON,
        .caucus = {"Caucus", "Caucus"},
        .is_speaker = speaker,
        .active = true,
    };
    FX_WRITE(f, store_member_put(t, &m, &f->e));
    return m.id;
}

/* (No function of the store makes a Member stop sitting: member_put
 * writes no `active`, which core/petition.h says only the directory
 * reads; so every Member put here sits.) */
static void
sitting_members_by_name_then_id(void **state)
{
    struct fx *f = *state;
    int64_t smith2 = member_put(f, "smith-b", "Ann", "Smith", false);
    int64_t brown = member_put(f, "brown", "Zed", "Brown", false);
    int64_t smith1 = member_put(f, "smith-a", "Ann", "Smith", false); /* tie: by id */
    int64_t speaker = member_put(f, "speaker", "Sam", "Adams", true);
    int64_t amy = member_put(f, "amy", "Amy", "Smith", false);

    struct member *list;
    int n;
    FX_OK(f, store_member_list(f->s, NULL, f->a, false, &list, &n, &f->e));
    int64_t want[] = {brown, amy, smith2, smith1};
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++) {
        assert_int_equal(list[i].id, want[i]);
        assert_false(list[i].is_speaker);
    }
    FX_OK(f, store_member_list(f->s, NULL, f->a, true, &list, &n, &f->e));
    int64_t with[] = {speaker, brown, amy, smith2, smith1};
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++)
        assert_int_equal(list[i].id, with[i]);
    assert_true(list[0].is_speaker);
}

static void
directory_counts_public_petitions_authorized(void **state)
{
    struct fx *f = *state;
    int64_t sits = member_put(f, "sits", "Sue", "Sitter", false);
    int64_t authorized = member_put(f, "auth", "Al", "Authorizer", false);
    int64_t removed = member_put(f, "removed", "Rex", "Removed", false);
    int64_t presented = member_put(f, "pres", "Pam", "Presenter", false);
    int64_t twin2 = member_put(f, "twin-2", "Tom", "Twin", false);
    int64_t twin1 = member_put(f, "twin-1", "Tom", "Twin", false);
    int64_t speaker = member_put(f, "speaker", "Sam", "Speaker", true);

    struct petition p = fx_petition_new(f, 101);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "auth";
    fx_petition_insert(f, &p);
    p = fx_petition_new(f, 102);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "auth";
    p.state = PETITION_WAITING_FOR_CERTIFICATION;
    fx_petition_insert(f, &p);
    p = fx_petition_new(f, 103);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "removed";
    p.state = PETITION_REMOVED; /* not public: not counted */
    fx_petition_insert(f, &p);
    p = fx_petition_new(f, 104);
    p.has_authorizing_member = true;
    p.authorizing_member.key = "sits";
    p.state = PETITION_UNDER_REVIEW; /* not public: not counted */
    fx_petition_insert(f, &p);
    p = fx_paper_new(f, 7, "pres"); /* presented, not authorized */
    fx_petition_insert(f, &p);

    struct member *list;
    int n;
    FX_OK(f, store_member_directory(f->s, NULL, f->a, &list, &n, &f->e));
    int64_t want[] = {authorized, presented, removed, sits, speaker, twin2, twin1};
    int want_petitions[] = {2, 0, 0, 0, 0, 0, 0};
    assert_int_equal(n, 7);
    for (int i = 0; i < n; i++) {
        assert_int_equal(list[i].id, want[i]);
        assert_int_equal(list[i].petitions, want_petitions[i]);
        assert_true(list[i].active);
    }
}

static void
ministries_by_english_title_then_id(void **state)
{
    struct fx *f = *state;
    int64_t z = fx_ministry(f, "zz", "Minister of Agriculture");
    int64_t h = fx_ministry(f, "health", "Minister of Health");
    int64_t a = fx_ministry(f, "aa", "Minister of Agriculture"); /* tie: by id */
    struct ministry *list;
    int n;
    FX_OK(f, store_ministry_list(f->s, NULL, f->a, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, z);
    assert_int_equal(list[1].id, a);
    assert_int_equal(list[2].id, h);
    assert_string_equal(list[2].code, "health");
    assert_string_equal(list[2].title[LANG_FR], "FR Minister of Health");

    struct ministry g;
    FX_OK(f, store_ministry_get(f->s, NULL, f->a, 0, "health", &g, &f->e));
    assert_int_equal(g.id, h);
    assert_string_equal(g.title[LANG_EN], "Minister of Health");
    FX_OK(f, store_ministry_get(f->s, NULL, f->a, a, NULL, &g, &f->e));
    assert_string_equal(g.code, "aa");
    FX_ERR(f, ERR_NOT_FOUND, store_ministry_get(f->s, NULL, f->a, 0, "nope", &g, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_ministry_get(f->s, NULL, f->a, h + 1000, NULL, &g, &f->e));
}

static struct house_status
status(struct fx *f)
{
    struct house_status h;
    FX_OK(f, store_house_status(f->s, NULL, &h, &f->e));
    return h;
}

static void
no_session_open_is_a_conflict(void **state)
{
    struct fx *f = *state;
    int parl = -1, ses = -1;
    /* No Parliament recorded. */
    FX_ERR(f, ERR_CONFLICT, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    /* A Parliament without a session yet. */
    struct parliament p = {.number = 45, .opened_at = f->now};
    FX_AUDITED(f, store_parliament_put(t, &p, &f->e));
    FX_ERR(f, ERR_CONFLICT, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    /* Within a transaction too. */
    struct store_txn *tx = fx_begin(f);
    FX_ERR(f, ERR_CONFLICT, store_session_current(f->s, tx, &parl, &ses, &f->e));
    fx_rollback(f, tx);
    /* Its first session opens. */
    struct session s = {.parliament_id = p.id, .parliament = 45, .number = 1, .opened_at = f->now};
    FX_AUDITED(f, store_session_put(t, &s, &f->e));
    FX_OK(f, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    assert_int_equal(parl, 45);
    assert_int_equal(ses, 1);
}

static void
status_follows_prorogation_and_dissolution(void **state)
{
    struct fx *f = *state;
    struct house_status h = status(f);
    assert_int_equal(h.parliament, 0);

    int64_t pid;
    int64_t s1 = parliament(f, 45, f->now - 100, &pid);
    h = status(f);
    assert_int_equal(h.parliament_id, pid);
    assert_int_equal(h.parliament, 45);
    assert_int_equal(h.parliament_opened_at, f->now - 100);
    assert_int_equal(h.dissolved_at, 0);
    assert_int_equal(h.session_id, s1);
    assert_int_equal(h.session, 1);
    assert_int_equal(h.session_opened_at, f->now - 100);
    assert_int_equal(h.session_ended_at, 0);
    assert_int_equal(h.session_end, SESSION_CURRENT);
    int parl = 0, ses = 0;
    FX_OK(f, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    assert_int_equal(parl, 45);
    assert_int_equal(ses, 1);

    /* Prorogation (audited). */
    FX_REFUSED(f, ERR_UNAUDITED, store_session_end(t, s1, f->now, false, &f->e));
    assert_int_equal(status(f).session_end, SESSION_CURRENT);
    FX_AUDITED(f, store_session_end(t, s1, f->now, false, &f->e));
    h = status(f);
    assert_int_equal(h.session_end, SESSION_PROROGUED);
    assert_int_equal(h.session_ended_at, f->now);
    assert_int_equal(h.dissolved_at, 0);

    /* The next session. */
    int64_t s2 = session(f, pid, 45, 2, f->now + 100);
    h = status(f);
    assert_int_equal(h.session_id, s2);
    assert_int_equal(h.session, 2);
    assert_int_equal(h.session_end, SESSION_CURRENT);
    FX_OK(f, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    assert_int_equal(parl, 45);
    assert_int_equal(ses, 2);

    /* Dissolution: the session ends, and its Parliament. */
    FX_AUDITED(f, store_session_end(t, s2, f->now + 200, true, &f->e));
    FX_AUDITED(f, store_parliament_dissolve(t, pid, f->now + 200, &f->e));
    h = status(f);
    assert_int_equal(h.session_end, SESSION_DISSOLVED);
    assert_int_equal(h.session_ended_at, f->now + 200);
    assert_int_equal(h.dissolved_at, f->now + 200);
    FX_ERR(f, ERR_CONFLICT, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    struct session *sl;
    int n;
    FX_OK(f, store_session_list(f->s, NULL, f->a, &sl, &n, &f->e));
    assert_int_equal(n, 2);
    assert_true(sl[0].dissolved);
    assert_int_equal(sl[0].ended_at, f->now + 200);
    assert_false(sl[1].dissolved);
    assert_int_equal(sl[1].ended_at, f->now);
    struct parliament *pl;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &pl, &n, &f->e));
    assert_int_equal(pl[0].dissolved_at, f->now + 200);

    /* The next Parliament. */
    parliament(f, 46, f->now + 300, NULL);
    h = status(f);
    assert_int_equal(h.parliament, 46);
    assert_int_equal(h.session_end, SESSION_CURRENT);
    FX_OK(f, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    assert_int_equal(parl, 46);
    assert_int_equal(ses, 1);
}

static void
session_end_with_dissolution_leaves_its_parliament_to_dissolve(void **state)
{
    struct fx *f = *state;
    fx_house(f);
    FX_REFUSED(f, ERR_UNAUDITED, store_session_end(t, f->session_id, f->now, true, &f->e));
    assert_int_equal(status(f).session_end, SESSION_CURRENT);

    /* The session ends by dissolution; its Parliament is not dissolved
     * until store_parliament_dissolve() says so. */
    FX_AUDITED(f, store_session_end(t, f->session_id, f->now, true, &f->e));
    struct house_status h = status(f);
    assert_int_equal(h.session_id, f->session_id);
    assert_int_equal(h.session_end, SESSION_DISSOLVED);
    assert_int_equal(h.session_ended_at, f->now);
    assert_int_equal(h.dissolved_at, 0);
    struct parliament *pl;
    int n;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &pl, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(pl[0].dissolved_at, 0);
    struct session *sl;
    FX_OK(f, store_session_list(f->s, NULL, f->a, &sl, &n, &f->e));
    assert_int_equal(n, 1);
    assert_true(sl[0].dissolved);
    assert_int_equal(sl[0].ended_at, f->now);

    FX_AUDITED(f, store_parliament_dissolve(t, f->parliament_id, f->now + 60, &f->e));
    h = status(f);
    assert_int_equal(h.session_end, SESSION_DISSOLVED);
    assert_int_equal(h.session_ended_at, f->now);
    assert_int_equal(h.dissolved_at, f->now + 60);
    int parl, ses;
    FX_ERR(f, ERR_CONFLICT, store_session_current(f->s, NULL, &parl, &ses, &f->e));
}

static void
dissolved_parliament_publishes_nothing(void **state)
{
    struct fx *f = *state;
    fx_house(f);
    FX_REFUSED(f, ERR_UNAUDITED, store_parliament_dissolve(t, f->parliament_id, f->now, &f->e));
    assert_int_equal(status(f).dissolved_at, 0);
    FX_AUDITED(f, store_parliament_dissolve(t, f->parliament_id, f->now, &f->e));
    assert_int_equal(status(f).dissolved_at, f->now);
    int parl, ses;
    FX_ERR(f, ERR_CONFLICT, store_session_current(f->s, NULL, &parl, &ses, &f->e));
    struct parliament *pl;
    int n;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &pl, &n, &f->e));
    assert_int_equal(pl[0].dissolved_at, f->now);
}

static void
sitting_days_from_a_day_on(void **state)
{
    struct fx *f = *state;
    FX_REFUSED(f, ERR_UNAUDITED, store_sitting_day_set(t, "2025-06-03", true, &f->e));
    const char *days[] = {"2025-07-01", "2025-06-05", "2025-06-03", "2025-06-04"};
    for (int i = 0; i < 4; i++)
        FX_AUDITED(f, store_sitting_day_set(t, days[i], true, &f->e));
    /* What is already so changes nothing. */
    FX_AUDITED(f, store_sitting_day_set(t, "2025-06-05", true, &f->e));
    FX_AUDITED(f, store_sitting_day_set(t, "2025-06-04", false, &f->e));
    FX_AUDITED(f, store_sitting_day_set(t, "2025-06-06", false, &f->e));

    sitting_day *list;
    int n;
    FX_OK(f, store_sitting_days(f->s, NULL, f->a, "2025-06-01", 10, &list, &n, &f->e));
    assert_int_equal(n, 3);
    assert_string_equal(list[0], "2025-06-03");
    assert_string_equal(list[1], "2025-06-05");
    assert_string_equal(list[2], "2025-07-01");
    FX_OK(f, store_sitting_days(f->s, NULL, f->a, "2025-06-05", 10, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_string_equal(list[0], "2025-06-05");
    FX_OK(f, store_sitting_days(f->s, NULL, f->a, "2025-06-01", 2, &list, &n, &f->e));
    assert_int_equal(n, 2);
    assert_string_equal(list[1], "2025-06-05");
    FX_OK(f, store_sitting_days(f->s, NULL, f->a, "2025-07-02", 10, &list, &n, &f->e));
    assert_int_equal(n, 0);
}

/* A certified e-petition ready to be presented. */
static int64_t
certified(struct fx *f, long e_number)
{
    struct petition p = fx_petition_new(f, e_number);
    p.state = PETITION_CERTIFIED;
    p.opened_at = f->now - 130 * 86400;
    p.closes_at = f->now - 10 * 86400;
    p.certified_at = f->now - 3600;
    p.state_changed_at = p.certified_at;
    return fx_petition_insert(f, &p);
}

static void
presentation_numbers_and_record(void **state)
{
    struct fx *f = *state;
    fx_house(f);
    int64_t mp = fx_member(f, "mp", "Mary", "Member");
    int64_t mi = fx_ministry(f, "health", "Minister of Health");
    int seq = 0;
    struct store_txn *tx = fx_begin(f);
    FX_OK(f, store_presentation_next(tx, f->session_id, &seq, &f->e));
    fx_rollback(f, tx);
    assert_int_equal(seq, 1);

    /* A paper petition presented as 451-00004. */
    struct petition paper = fx_paper_new(f, 4, "mp");
    fx_petition_insert(f, &paper);
    tx = fx_begin(f);
    FX_OK(f, store_presentation_next(tx, f->session_id, &seq, &f->e));
    fx_rollback(f, tx);
    assert_int_equal(seq, 5);

    int64_t id = certified(f, 6512);
    struct presentation pr = {
        .petition_id = id,
        .at = fx_at(2025, 6, 2, 12, 0),
        .session_id = f->session_id,
        .member_id = mp,
        .committee = {"Standing Committee on Health", "Comité permanent de la santé"},
        .response_ministry_id = mi,
    };
    /* Unaudited: refused, nothing written. */
    tx = fx_begin(f);
    FX_OK(f, store_presentation_next(tx, f->session_id, &pr.sequence, &f->e));
    FX_ERR(f, ERR_UNAUDITED, store_petition_present(tx, &pr, &f->e));
    fx_rollback(f, tx);
    assert_int_equal(fx_get(f, 6512).state, PETITION_CERTIFIED);

    tx = fx_begin(f);
    fx_audit(f, tx, "petition.present");
    FX_OK(f, store_presentation_next(tx, f->session_id, &pr.sequence, &f->e));
    assert_int_equal(pr.sequence, 5);
    FX_OK(f, store_petition_present(tx, &pr, &f->e));
    fx_commit(f, tx);

    struct petition g = fx_get(f, 6512);
    assert_int_equal(g.state, PETITION_PRESENTED);
    assert_int_equal(g.presented_at, pr.at);
    assert_true(g.has_presented_number);
    assert_int_equal(g.presented_number.parliament, 45);
    assert_int_equal(g.presented_number.session, 1);
    assert_int_equal(g.presented_number.sequence, 5);
    assert_true(g.has_presenting_member);
    assert_int_equal(g.presenting_member.id, mp);
    assert_string_equal(g.committee[LANG_EN], "Standing Committee on Health");
    assert_string_equal(g.committee[LANG_FR], "Comité permanent de la santé");
    assert_int_equal(g.response_ministry_id, mi);
    assert_true(g.event_count >= 1);
    assert_int_equal(g.events[g.event_count - 1].state, PETITION_PRESENTED);
    assert_int_equal(g.events[g.event_count - 1].at, pr.at);

    /* Known by its presented number too. */
    struct petition_number num = {.kind = PETITION_NUMBER_PRESENTED, .pps = {45, 1, 5}};
    struct petition h;
    FX_OK(f, store_petition_get(f->s, NULL, f->a, &num, &h, &f->e));
    assert_int_equal(h.id, id);

    tx = fx_begin(f);
    FX_OK(f, store_presentation_next(tx, f->session_id, &seq, &f->e));
    fx_rollback(f, tx);
    assert_int_equal(seq, 6);
    /* Numbering restarts in another session. */
    int64_t s2 = session(f, f->parliament_id, 45, 2, f->now);
    tx = fx_begin(f);
    FX_OK(f, store_presentation_next(tx, s2, &seq, &f->e));
    fx_rollback(f, tx);
    assert_int_equal(seq, 1);
}

static void
response_written_then_tabled(void **state)
{
    struct fx *f = *state;
    int64_t mi = fx_ministry(f, "health", "Minister of Health");
    int64_t responder = fx_user(f, "clerk@example.org", ROLE_CLERK);
    struct petition p = fx_petition_new(f, 7001);
    p.state = PETITION_PRESENTED;
    p.opened_at = f->now - 130 * 86400;
    p.closes_at = f->now - 12 * 86400;
    p.certified_at = f->now - 10 * 86400;
    p.presented_at = f->now - 5 * 86400;
    p.state_changed_at = p.presented_at;
    p.has_presented_number = true;
    p.presented_number = (struct presented_number){45, 1, 9};
    p.response_ministry_id = mi;
    int64_t id = fx_petition_insert(f, &p);

    struct response_draft d;
    FX_ERR(f, ERR_NOT_FOUND, store_response_draft_get(f->s, NULL, f->a, id, &d, &f->e));
    struct response_draft w = {
        .petition_id = id,
        .ministry_id = mi,
        .signed_by = "The Honourable Jane Doe",
        .text = {"First draft.", "Premier jet."},
        .updated_at = f->now,
        .updated_by = responder,
    };
    FX_REFUSED(f, ERR_UNAUDITED, store_response_draft_put(t, &w, &f->e));
    FX_ERR(f, ERR_NOT_FOUND, store_response_draft_get(f->s, NULL, f->a, id, &d, &f->e));
    FX_AUDITED(f, store_response_draft_put(t, &w, &f->e));
    FX_OK(f, store_response_draft_get(f->s, NULL, f->a, id, &d, &f->e));
    assert_int_equal(d.petition_id, id);
    assert_int_equal(d.ministry_id, mi);
    assert_string_equal(d.signed_by, "The Honourable Jane Doe");
    /* No French title written: read as the English one. */
    assert_string_equal(d.signed_by_fr, "The Honourable Jane Doe");
    assert_string_equal(d.text[LANG_EN], "First draft.");
    assert_string_equal(d.text[LANG_FR], "Premier jet.");
    assert_int_equal(d.ready_at, 0);
    assert_int_equal(d.updated_at, f->now);
    assert_int_equal(d.updated_by, responder);

    /* Replaced. */
    w.text[LANG_EN] = "The Government thanks the petitioners.\n\nSecond paragraph.";
    w.text[LANG_FR] = "Le gouvernement remercie les pétitionnaires.";
    w.ready_at = f->now + 60;
    w.updated_at = f->now + 60;
    w.signed_by_fr = "L’honorable Jane Doe";
    FX_AUDITED(f, store_response_draft_put(t, &w, &f->e));
    FX_OK(f, store_response_draft_get(f->s, NULL, f->a, id, &d, &f->e));
    assert_string_equal(d.signed_by, "The Honourable Jane Doe");
    assert_string_equal(d.signed_by_fr, "L’honorable Jane Doe");
    assert_string_equal(d.text[LANG_EN], w.text[LANG_EN]);
    assert_string_equal(d.text[LANG_FR], w.text[LANG_FR]);
    assert_int_equal(d.ready_at, f->now + 60);
    assert_int_equal(d.updated_at, f->now + 60);

    /* Tabled. */
    struct response r = {
        .ministry = {.id = mi, .code = "health"},
        .signed_by = "The Honourable Jane Doe",
        .signed_by_fr = "L’honorable Jane Doe",
        .text = {w.text[LANG_EN], w.text[LANG_FR]},
        .tabled_at = f->now + 86400,
    };
    FX_REFUSED(f, ERR_UNAUDITED, store_response_table(t, id, &r, &f->e));
    assert_int_equal(fx_get(f, 7001).state, PETITION_PRESENTED);
    FX_AUDITED(f, store_response_table(t, id, &r, &f->e));
    struct petition g = fx_get(f, 7001);
    assert_int_equal(g.state, PETITION_RESPONSE_TABLED);
    assert_true(g.has_response);
    assert_int_equal(g.response.ministry.id, mi);
    assert_string_equal(g.response.ministry.code, "health");
    assert_string_equal(g.response.ministry.title[LANG_EN], "Minister of Health");
    assert_string_equal(g.response.signed_by, "The Honourable Jane Doe");
    assert_string_equal(g.response.signed_by_fr, "L’honorable Jane Doe");
    assert_string_equal(g.response.text[LANG_EN], w.text[LANG_EN]);
    assert_string_equal(g.response.text[LANG_FR], w.text[LANG_FR]);
    assert_int_equal(g.response.tabled_at, f->now + 86400);
    assert_int_equal(g.events[g.event_count - 1].state, PETITION_RESPONSE_TABLED);
}

static void
dissolution_moves_every_open_petition_and_draft(void **state)
{
    struct fx *f = *state;
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t open2 = fx_petition(f, 2);
    int64_t open1 = fx_petition(f, 1);
    struct petition p = fx_petition_new(f, 3);
    p.state = PETITION_CERTIFIED;
    fx_petition_insert(f, &p);
    struct draft_record d = fx_draft_new(f, pet);
    d.state = PETITION_AWAITING_SUPPORTERS;
    int64_t draft = fx_draft_insert(f, &d);
    d = fx_draft_new(f, pet);
    int64_t writing = fx_draft_insert(f, &d);

    struct mailing m = {.kind = "dissolution", .created_at = f->now, .vars = "{}"};
    FX_WRITE(f, store_mailing_insert(t, &m, &f->e));

    /* Petitions only. */
    int64_t moved = -1;
    int64_t at = f->now + 60;
    FX_AUDITED(f, store_state_move_all(t, PETITION_OPEN, PETITION_CLOSED_UPON_DISSOLUTION, false,
                                       at, m.id, &moved, &f->e));
    assert_int_equal(moved, 2);
    struct petition g = fx_get(f, 1);
    assert_int_equal(g.state, PETITION_CLOSED_UPON_DISSOLUTION);
    assert_int_equal(g.state_changed_at, at);
    assert_int_equal(g.events[g.event_count - 1].state, PETITION_CLOSED_UPON_DISSOLUTION);
    assert_int_equal(g.events[g.event_count - 1].at, at);
    assert_int_equal(fx_get(f, 2).state, PETITION_CLOSED_UPON_DISSOLUTION);
    assert_int_equal(fx_get(f, 3).state, PETITION_CERTIFIED);
    struct draft_record gd;
    FX_OK(f, store_draft_get(f->s, NULL, f->a, draft, &gd, &f->e));
    assert_int_equal(gd.state, PETITION_AWAITING_SUPPORTERS);

    /* Drafts too. */
    FX_AUDITED(f, store_state_move_all(t, PETITION_AWAITING_SUPPORTERS,
                                       PETITION_CLOSED_UPON_DISSOLUTION, true, at, m.id, &moved,
                                       &f->e));
    assert_int_equal(moved, 1);
    FX_OK(f, store_draft_get(f->s, NULL, f->a, draft, &gd, &f->e));
    assert_int_equal(gd.state, PETITION_CLOSED_UPON_DISSOLUTION);
    assert_int_equal(gd.state_changed_at, at);
    FX_OK(f, store_draft_get(f->s, NULL, f->a, writing, &gd, &f->e));
    assert_int_equal(gd.state, PETITION_DRAFT);

    /* Each moved one became a source of the mailing, by id. */
    struct mailing_source src;
    FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m.id, 0, &src, &f->e));
    assert_int_equal(src.petition_id, open2);
    FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m.id, src.id, &src, &f->e));
    assert_int_equal(src.petition_id, open1);
    FX_OK(f, store_mailing_source_next(f->s, NULL, f->a, m.id, src.id, &src, &f->e));
    assert_int_equal(src.draft_id, draft);
    assert_int_equal(src.petition_id, 0);
    FX_ERR(f, ERR_NOT_FOUND,
           store_mailing_source_next(f->s, NULL, f->a, m.id, src.id, &src, &f->e));

    /* Nothing left in the state: nothing moves; without a mailing, no source. */
    FX_AUDITED(f, store_state_move_all(t, PETITION_OPEN, PETITION_CLOSED_UPON_DISSOLUTION, true, at,
                                       0, &moved, &f->e));
    assert_int_equal(moved, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(records_are_put_by_their_natural_keys),
        FX_TEST(minister_is_put_by_ministry_name_and_first_day),
        FX_TEST(parliaments_and_sessions_are_audited_records),
        FX_TEST(parliaments_newest_first_with_their_public_petitions),
        FX_TEST(sessions_newest_first_with_their_public_petitions),
        FX_TEST(member_round_trips),
        FX_TEST(member_put_sits_whatever_active_says),
        FX_TEST(sitting_members_by_name_then_id),
        FX_TEST(directory_counts_public_petitions_authorized),
        FX_TEST(ministries_by_english_title_then_id),
        FX_TEST(no_session_open_is_a_conflict),
        FX_TEST(status_follows_prorogation_and_dissolution),
        FX_TEST(session_end_with_dissolution_leaves_its_parliament_to_dissolve),
        FX_TEST(dissolved_parliament_publishes_nothing),
        FX_TEST(sitting_days_from_a_day_on),
        FX_TEST(presentation_numbers_and_record),
        FX_TEST(response_written_then_tabled),
        FX_TEST(dissolution_moves_every_open_petition_and_draft),
    };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
