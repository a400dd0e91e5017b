/*
 * audited_writes_test.c: the audit guard (store/audit.h) on every write
 * the area headers call "an audited record", one test each, named for
 * the write: refused with ERR_UNAUDITED in a transaction that appended no
 * audit record (alone, or after other writes of the transaction and a
 * record committed in another), with nothing of it written; accepted
 * after a record appended in its own transaction.  And the writes the
 * headers do not call audited (the petitioner's, the clock's) need none.
 */
#include "store_fixture.h"

#include <string.h>

#include "lib/banned.h"

static struct audit_entry
entry(struct fx *f, const char *action)
{
    struct audit_entry a = {
        .at = f->now, .role = "system", .action = action, .target = "", .reason = ""};
    return a;
}

/*
 * Each write the area headers call "an audited record", one row each: the
 * row's setup makes (and commits) what the write works on; its write is
 * refused with ERR_UNAUDITED in a transaction that appended no record,
 * alone or after other writes, and nothing of it is written; after an
 * audit record in its transaction it succeeds and is written.
 */
struct audited_write;

/* What a row's write works on, made by its setup. */
struct target {
    const struct audited_write *row;
    int64_t petition_id;
    int64_t draft_id;
    int64_t signature_id;
    int64_t rule_id;
    int64_t member_id;
    int64_t ministry_id;
};

/*
 * A row.  from and to: the states (petitions, drafts) or reviews moved
 * between, the role of an account; a Parliament's or session's put
 * opens it at now + from; to is true for a session ended by dissolution
 * and a day made a sitting day.  text: an answer, a day; not NULL for
 * drafts moved all at once, and for a session or response draft put in
 * place (the row's setup makes the first).
 */
struct audited_write {
    const char *name; /* the test's */
    int from, to;
    const char *text;
    void (*setup)(struct fx *f, struct target *g);                     /* commits what it makes */
    int (*write)(struct fx *f, struct target *g, struct store_txn *t); /* the audited write */
    bool (*written)(struct fx *f, const struct target *g);             /* read back committed */
};

/* Accounts. */

static void
staff_setup(struct fx *f, struct target *g)
{
    g->member_id = fx_member(f, "mp", "Mary", "Member");
    g->ministry_id = fx_ministry(f, "health", "Minister of Health");
}

static int
staff_insert(struct fx *f, struct target *g, struct store_txn *t)
{
    struct user u = fx_user_new(f, "staff@example.org", (enum role)g->row->to);
    u.member_id = g->member_id;
    u.ministry_id = g->ministry_id;
    return store_user_insert(t, &u, &f->e);
}

static bool
staff_written(struct fx *f, const struct target *g)
{
    (void)g;
    struct user u;
    int r = store_user_get(f->s, NULL, f->a, 0, "staff@example.org", &u, &f->e);
    assert_true(r == 0 || r == ERR_NOT_FOUND);
    return r == 0;
}

/* Petitions. */

static void
house_setup(struct fx *f, struct target *g)
{
    (void)g;
    fx_house(f);
}

static int
petition_insert(struct fx *f, struct target *g, struct store_txn *t)
{
    (void)g;
    struct petition p = fx_petition_new(f, 7001);
    return store_petition_insert(t, &p, &f->e);
}

static bool
petition_inserted(struct fx *f, const struct target *g)
{
    (void)g;
    struct petition p;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = 7001};
    int r = store_petition_get(f->s, NULL, f->a, &n, &p, &f->e);
    assert_true(r == 0 || r == ERR_NOT_FOUND);
    return r == 0;
}

/* e-7002 in the row's `from` state. */
static void
petition_setup(struct fx *f, struct target *g)
{
    struct petition p = fx_petition_new(f, 7002);
    p.state = (enum petition_state)g->row->from;
    g->petition_id = fx_petition_insert(f, &p);
}

static int
petition_set_state(struct fx *f, struct target *g, struct store_txn *t)
{
    return store_petition_set_state(t, g->petition_id, (enum petition_state)g->row->to, f->now + 60,
                                    &f->e);
}

static bool
petition_in_state(struct fx *f, const struct target *g)
{
    return fx_get(f, 7002).state == (enum petition_state)g->row->to;
}

static int
petition_certify(struct fx *f, struct target *g, struct store_txn *t)
{
    return store_petition_set_certified(t, g->petition_id, f->now + 60, &f->e);
}

static bool
petition_certified(struct fx *f, const struct target *g)
{
    (void)g;
    return fx_get(f, 7002).certified_at == f->now + 60;
}

static void
presentation_setup(struct fx *f, struct target *g)
{
    petition_setup(f, g);
    g->member_id = fx_member(f, "mp", "Mary", "Member");
    g->ministry_id = fx_ministry(f, "health", "Minister of Health");
}

static int
petition_present(struct fx *f, struct target *g, struct store_txn *t)
{
    struct presentation pr = {
        .petition_id = g->petition_id,
        .at = f->now + 60,
        .session_id = f->session_id,
        .member_id = g->member_id,
        .committee = {"Standing Committee on Health", "Comité permanent de la santé"},
        .response_ministry_id = g->ministry_id,
    };
    int r = store_presentation_next(t, f->session_id, &pr.sequence, &f->e);
    return r ? r : store_petition_present(t, &pr, &f->e);
}

static bool
petition_presented(struct fx *f, const struct target *g)
{
    (void)g;
    struct petition p = fx_get(f, 7002);
    assert_true(p.state == PETITION_CERTIFIED || p.state == PETITION_PRESENTED);
    return p.state == PETITION_PRESENTED && p.has_presented_number;
}

static struct response_draft
response_draft(struct fx *f, const struct target *g, const char *en)
{
    struct response_draft d = {
        .petition_id = g->petition_id,
        .ministry_id = g->ministry_id,
        .signed_by = "The Honourable Jane Doe",
        .text = {en, "Réponse."},
        .updated_at = f->now,
    };
    return d;
}

static void
response_setup(struct fx *f, struct target *g)
{
    presentation_setup(f, g);
    if (g->row->text) { /* one being written already */
        struct response_draft d = response_draft(f, g, g->row->text);
        FX_AUDITED(f, store_response_draft_put(t, &d, &f->e));
    }
}

static int
response_draft_put(struct fx *f, struct target *g, struct store_txn *t)
{
    struct response_draft d = response_draft(f, g, "The Government thanks the petitioners.");
    return store_response_draft_put(t, &d, &f->e);
}

static bool
response_draft_written(struct fx *f, const struct target *g)
{
    struct response_draft d;
    int r = store_response_draft_get(f->s, NULL, f->a, g->petition_id, &d, &f->e);
    assert_true(r == 0 || r == ERR_NOT_FOUND);
    return r == 0 && strcmp(d.text[LANG_EN], "The Government thanks the petitioners.") == 0;
}

static int
response_table(struct fx *f, struct target *g, struct store_txn *t)
{
    struct response r = {
        .ministry = {.id = g->ministry_id, .code = "health"},
        .signed_by = "The Honourable Jane Doe",
        .text = {"The Government thanks the petitioners.", "Le gouvernement remercie."},
        .tabled_at = f->now + 60,
    };
    return store_response_table(t, g->petition_id, &r, &f->e);
}

static bool
response_tabled(struct fx *f, const struct target *g)
{
    (void)g;
    struct petition p = fx_get(f, 7002);
    assert_true(p.has_response == (p.state == PETITION_RESPONSE_TABLED));
    return p.has_response;
}

/* Signatures and the signing lists. */

static void
signature_setup(struct fx *f, struct target *g)
{
    g->petition_id = fx_petition(f, 7003);
    struct signature_record r = fx_signature_new(f, g->petition_id, "a@example.org");
    r.confirmed_at = f->now;
    r.review = (enum signature_review)g->row->from;
    g->signature_id = fx_signature_insert(f, &r);
}

static int
signature_review(struct fx *f, struct target *g, struct store_txn *t)
{
    struct signature_record r;
    int rc = store_signature_get(f->s, t, f->a, g->signature_id, &r, &f->e);
    if (rc)
        return rc;
    r.review = (enum signature_review)g->row->to;
    r.reviewed_at = f->now + 60;
    r.review_note = "Checked";
    return store_signature_update(t, &r, &f->e);
}

static bool
signature_reviewed(struct fx *f, const struct target *g)
{
    struct signature_record r;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, g->signature_id, &r, &f->e));
    return r.review == (enum signature_review)g->row->to;
}

static struct signing_rule
rule(struct fx *f)
{
    struct signing_rule r = {
        .block = true, .domain = true, .value = "spam.example", .note = "", .created_at = f->now};
    return r;
}

static void
rule_setup(struct fx *f, struct target *g)
{
    struct signing_rule r = rule(f);
    FX_AUDITED(f, store_signing_rule_insert(t, &r, &f->e));
    g->rule_id = r.id;
}

static int
rule_insert(struct fx *f, struct target *g, struct store_txn *t)
{
    (void)g;
    struct signing_rule r = rule(f);
    return store_signing_rule_insert(t, &r, &f->e);
}

static int
rule_delete(struct fx *f, struct target *g, struct store_txn *t)
{
    return store_signing_rule_delete(t, g->rule_id, &f->e);
}

static bool
rule_listed(struct fx *f, const struct target *g)
{
    (void)g;
    return fx_signing_rule_count(f) == 1;
}

static bool
rule_gone(struct fx *f, const struct target *g)
{
    (void)g;
    return fx_signing_rule_count(f) == 0;
}

/* An administrator's pause of signing (the whole site's). */

static void
pause_setup(struct fx *f, struct target *g)
{
    (void)g;
    struct signing_pause p = {.paused_at = f->now, .reason = "bots"};
    FX_AUDITED(f, store_signing_pause_insert(t, &p, &f->e));
}

static int
pause_insert(struct fx *f, struct target *g, struct store_txn *t)
{
    (void)g;
    struct signing_pause p = {.paused_at = f->now, .reason = "bots"};
    return store_signing_pause_insert(t, &p, &f->e);
}

static int
pause_delete(struct fx *f, struct target *g, struct store_txn *t)
{
    (void)g;
    return store_signing_pause_delete(t, 0, &f->e);
}

static int
pause_count(struct fx *f)
{
    struct signing_pause *list;
    int n;
    FX_OK(f, store_signing_pause_list(f->s, NULL, f->a, &list, &n, &f->e));
    return n;
}

static bool
pause_listed(struct fx *f, const struct target *g)
{
    (void)g;
    return pause_count(f) == 1;
}

static bool
pause_gone(struct fx *f, const struct target *g)
{
    (void)g;
    return pause_count(f) == 0;
}

/* Drafts and the requests to Members. */

static void
draft_setup(struct fx *f, struct target *g)
{
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    g->member_id = fx_member(f, "mp", "Mary", "Member");
    struct draft_record d = fx_draft_new(f, pet);
    d.state = (enum petition_state)g->row->from;
    d.round = 1;
    d.submitted_at = f->now;
    d.member_id = g->member_id;
    d.member_asked_at = f->now;
    g->draft_id = fx_draft_insert(f, &d);
}

/* A draft and its request to the Member, to be answered. */
static void
request_setup(struct fx *f, struct target *g)
{
    draft_setup(f, g);
    struct member_request r = {
        .draft_id = g->draft_id, .member_id = g->member_id, .asked_at = f->now};
    FX_WRITE(f, store_member_request_insert(t, &r, &f->e));
}

static int
draft_decide(struct fx *f, struct target *g, struct store_txn *t)
{
    struct draft_record d;
    int r = store_draft_get(f->s, t, f->a, g->draft_id, &d, &f->e);
    if (r)
        return r;
    d.state = (enum petition_state)g->row->to;
    d.state_changed_at = f->now + 60;
    if (d.state == PETITION_UNDER_REVIEW)
        d.authorizing_member_id = g->member_id;
    return store_draft_update(t, &d, f->now + 60, &f->e);
}

static bool
draft_decided(struct fx *f, const struct target *g)
{
    struct draft_record d;
    FX_OK(f, store_draft_get(f->s, NULL, f->a, g->draft_id, &d, &f->e));
    return d.state == (enum petition_state)g->row->to;
}

static int
member_answer(struct fx *f, struct target *g, struct store_txn *t)
{
    return store_member_request_answer(t, g->draft_id, f->now + 60, g->row->text, &f->e);
}

static bool
member_answered(struct fx *f, const struct target *g)
{
    struct member_request *list;
    int n;
    FX_OK(f, store_member_request_list(f->s, NULL, f->a, g->draft_id, &list, &n, &f->e));
    assert_int_equal(n, 1);
    return list[0].answer && strcmp(list[0].answer, g->row->text) == 0;
}

/* Parliament's calendar. */

static void
nothing(struct fx *f, struct target *g)
{
    (void)f;
    (void)g;
}

/* Parliament 46, opened at now + row->from. */
static int
parliament_put(struct fx *f, struct target *g, struct store_txn *t)
{
    struct parliament p = {.number = 46, .opened_at = f->now + g->row->from};
    return store_parliament_put(t, &p, &f->e);
}

static void
parliament_setup(struct fx *f, struct target *g)
{
    struct parliament p = {.number = 46, .opened_at = f->now};
    FX_AUDITED(f, store_parliament_put(t, &p, &f->e));
    (void)g;
}

static bool
parliament_written(struct fx *f, const struct target *g)
{
    struct parliament *list;
    int n;
    FX_OK(f, store_parliament_list(f->s, NULL, f->a, &list, &n, &f->e));
    return n == 1 && list[0].opened_at == f->now + g->row->from;
}

/* Session 2 of Parliament 45, opened at now + row->from. */
static int
session_put(struct fx *f, struct target *g, struct store_txn *t)
{
    struct session s = {.parliament_id = f->parliament_id,
                        .parliament = 45,
                        .number = 2,
                        .opened_at = f->now + g->row->from};
    return store_session_put(t, &s, &f->e);
}

static void
session_setup(struct fx *f, struct target *g)
{
    fx_house(f);
    if (g->row->text) { /* session 2 exists already */
        struct session s = {
            .parliament_id = f->parliament_id, .parliament = 45, .number = 2, .opened_at = f->now};
        FX_AUDITED(f, store_session_put(t, &s, &f->e));
    }
}

static bool
session_written(struct fx *f, const struct target *g)
{
    struct session *list;
    int n;
    FX_OK(f, store_session_list(f->s, NULL, f->a, &list, &n, &f->e));
    return list[0].number == 2 && list[0].opened_at == f->now + g->row->from;
}

static int
session_end(struct fx *f, struct target *g, struct store_txn *t)
{
    return store_session_end(t, f->session_id, f->now + 60, g->row->to != 0, &f->e);
}

static bool
session_ended(struct fx *f, const struct target *g)
{
    (void)g;
    struct house_status h;
    FX_OK(f, store_house_status(f->s, NULL, &h, &f->e));
    return h.session_ended_at == f->now + 60;
}

static int
parliament_dissolve(struct fx *f, struct target *g, struct store_txn *t)
{
    (void)g;
    return store_parliament_dissolve(t, f->parliament_id, f->now + 60, &f->e);
}

static bool
parliament_dissolved(struct fx *f, const struct target *g)
{
    (void)g;
    struct house_status h;
    FX_OK(f, store_house_status(f->s, NULL, &h, &f->e));
    return h.dissolved_at == f->now + 60;
}

static void
sitting_setup(struct fx *f, struct target *g)
{
    if (!g->row->to) /* the day sits already, to be taken off */
        FX_AUDITED(f, store_sitting_day_set(t, g->row->text, true, &f->e));
}

static int
sitting_day_set(struct fx *f, struct target *g, struct store_txn *t)
{
    return store_sitting_day_set(t, g->row->text, g->row->to != 0, &f->e);
}

static bool
sitting_day_written(struct fx *f, const struct target *g)
{
    sitting_day *list;
    int n;
    FX_OK(f, store_sitting_days(f->s, NULL, f->a, g->row->text, 1, &list, &n, &f->e));
    bool sits = n == 1 && strcmp(list[0], g->row->text) == 0;
    return sits == (g->row->to != 0);
}

/* Dissolution's move of every petition (and draft) in a state. */

static void
move_all_setup(struct fx *f, struct target *g)
{
    if (g->row->text) { /* drafts */
        draft_setup(f, g);
        return;
    }
    petition_setup(f, g);
}

static int
move_all(struct fx *f, struct target *g, struct store_txn *t)
{
    int64_t moved = 0;
    int r =
        store_state_move_all(t, (enum petition_state)g->row->from, (enum petition_state)g->row->to,
                             g->row->text != NULL, f->now + 60, 0, &moved, &f->e);
    if (r == 0)
        assert_int_equal(moved, 1);
    return r;
}

static bool
moved_all(struct fx *f, const struct target *g)
{
    return g->row->text ? draft_decided(f, g) : petition_in_state(f, g);
}

#define SET_STATE(from, to)                                                                        \
    {                                                                                              \
        "store_petition_set_state " #from " to " #to, PETITION_##from, PETITION_##to, NULL,        \
            petition_setup, petition_set_state, petition_in_state                                  \
    }
#define DRAFT_UPDATE(from, to)                                                                     \
    {                                                                                              \
        "store_draft_update " #from " to " #to, PETITION_##from, PETITION_##to, NULL, draft_setup, \
            draft_decide, draft_decided                                                            \
    }
#define REVIEW(from, to)                                                                           \
    {                                                                                              \
        "store_signature_update review " #from " to " #to, REVIEW_##from, REVIEW_##to, NULL,       \
            signature_setup, signature_review, signature_reviewed                                  \
    }
#define STAFF(role)                                                                                \
    {                                                                                              \
        "store_user_insert of a staff account: " #role, 0, ROLE_##role, NULL, staff_setup,         \
            staff_insert, staff_written                                                            \
    }

static const struct audited_write audited_writes[] = {
    /* accounts.h */
    STAFF(CLERK),
    STAFF(ADMIN),
    STAFF(RESPONDER),
    STAFF(MEMBER),
    /* petitions.h */
    {"store_petition_insert", 0, 0, NULL, house_setup, petition_insert, petition_inserted},
    SET_STATE(WAITING_FOR_CERTIFICATION, CERTIFIED),
    SET_STATE(CERTIFIED, PRESENTED),
    SET_STATE(PRESENTED, RESPONSE_TABLED),
    SET_STATE(OPEN, CLOSED_UPON_DISSOLUTION),
    SET_STATE(PRESENTED, NOT_ANSWERED_BEFORE_DISSOLUTION),
    SET_STATE(OPEN, REMOVED),
    SET_STATE(RESPONSE_TABLED, REMOVED),
    {"store_petition_set_certified", PETITION_WAITING_FOR_CERTIFICATION, 0, NULL, petition_setup,
     petition_certify, petition_certified},
    /* signing.h */
    REVIEW(CLEAR, INVALIDATED),
    REVIEW(CLEAR, VALIDATED),
    REVIEW(SUSPECT, VALIDATED),
    REVIEW(INVALIDATED, CLEAR),
    {"store_signing_rule_insert", 0, 0, NULL, nothing, rule_insert, rule_listed},
    {"store_signing_rule_delete", 0, 0, NULL, rule_setup, rule_delete, rule_gone},
    {"store_signing_pause_insert", 0, 0, NULL, nothing, pause_insert, pause_listed},
    {"store_signing_pause_delete", 0, 0, NULL, pause_setup, pause_delete, pause_gone},
    /* drafts.h */
    DRAFT_UPDATE(AWAITING_MEMBER, UNDER_REVIEW),
    DRAFT_UPDATE(UNDER_REVIEW, RETURNED_FOR_REVISION),
    DRAFT_UPDATE(UNDER_REVIEW, REJECTED),
    DRAFT_UPDATE(UNDER_REVIEW, OPEN),
    DRAFT_UPDATE(AWAITING_SUPPORTERS, CLOSED_UPON_DISSOLUTION),
    {"store_member_request_answer accepted", PETITION_AWAITING_MEMBER, 0, "accepted", request_setup,
     member_answer, member_answered},
    {"store_member_request_answer declined", PETITION_AWAITING_MEMBER, 0, "declined", request_setup,
     member_answer, member_answered},
    /* house.h */
    {"store_parliament_put of a new Parliament", 0, 0, NULL, nothing, parliament_put,
     parliament_written},
    {"store_parliament_put in place", 3600, 0, NULL, parliament_setup, parliament_put,
     parliament_written},
    {"store_session_put of a new session", 0, 0, NULL, session_setup, session_put, session_written},
    {"store_session_put in place", 3600, 0, "again", session_setup, session_put, session_written},
    {"store_session_end by prorogation", 0, 0, NULL, house_setup, session_end, session_ended},
    {"store_session_end by dissolution", 0, 1, NULL, house_setup, session_end, session_ended},
    {"store_parliament_dissolve", 0, 0, NULL, house_setup, parliament_dissolve,
     parliament_dissolved},
    {"store_sitting_day_set sitting", 0, 1, "2025-06-03", sitting_setup, sitting_day_set,
     sitting_day_written},
    {"store_sitting_day_set not sitting", 0, 0, "2025-06-03", sitting_setup, sitting_day_set,
     sitting_day_written},
    {"store_petition_present", PETITION_CERTIFIED, 0, NULL, presentation_setup, petition_present,
     petition_presented},
    {"store_response_draft_put of a new one", PETITION_PRESENTED, 0, NULL, response_setup,
     response_draft_put, response_draft_written},
    {"store_response_draft_put replacing one", PETITION_PRESENTED, 0, "First draft.",
     response_setup, response_draft_put, response_draft_written},
    {"store_response_table", PETITION_PRESENTED, 0, NULL, response_setup, response_table,
     response_tabled},
    {"store_state_move_all of petitions OPEN to CLOSED_UPON_DISSOLUTION", PETITION_OPEN,
     PETITION_CLOSED_UPON_DISSOLUTION, NULL, move_all_setup, move_all, moved_all},
    {"store_state_move_all of petitions PRESENTED to NOT_ANSWERED_BEFORE_DISSOLUTION",
     PETITION_PRESENTED, PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION, NULL, move_all_setup, move_all,
     moved_all},
    {"store_state_move_all of drafts AWAITING_SUPPORTERS to CLOSED_UPON_DISSOLUTION",
     PETITION_AWAITING_SUPPORTERS, PETITION_CLOSED_UPON_DISSOLUTION, "drafts", move_all_setup,
     move_all, moved_all},
};

#define N_AUDITED (sizeof(audited_writes) / sizeof(audited_writes[0]))

/* The row of the test cmocka runs now (its initial state, which fx_setup()
 * replaces with the fixture). */
static const struct audited_write *current;

static int
audited_setup(void **state)
{
    current = *state;
    return fx_setup(state);
}

static const char *
meta(struct fx *f, const char *key)
{
    const char *v = NULL;
    FX_OK(f, store_meta_get(f->s, NULL, f->a, key, &v, &f->e));
    return v;
}

static void
audited_write_needs_its_record(void **state)
{
    struct fx *f = *state;
    const struct audited_write *w = current;
    struct target g = {.row = w};
    w->setup(f, &g);
    assert_false(w->written(f, &g));

    /* Alone in its transaction: refused, nothing written. */
    struct store_txn *t = fx_begin(f);
    FX_ERR(f, ERR_UNAUDITED, w->write(f, &g, t));
    fx_rollback(f, t);
    assert_false(w->written(f, &g));

    /* After a record committed in a transaction of its own, and other
     * writes of its transaction: refused; rolled back, nothing is kept. */
    struct audit_entry earlier = entry(f, "test.earlier");
    t = fx_begin(f);
    FX_OK(f, store_audit_append(t, &earlier, &f->e));
    fx_commit(f, t);
    t = fx_begin(f);
    FX_OK(f, store_meta_set(t, "before", "1", &f->e));
    FX_ERR(f, ERR_UNAUDITED, w->write(f, &g, t));
    fx_rollback(f, t);
    assert_false(w->written(f, &g));
    assert_null(meta(f, "before"));

    /* With its record appended first: written, with the record. */
    t = fx_begin(f);
    struct audit_entry a = entry(f, "test.audited");
    FX_OK(f, store_audit_append(t, &a, &f->e));
    FX_OK(f, w->write(f, &g, t));
    fx_commit(f, t);
    assert_true(w->written(f, &g));
    struct audit_query q = {.action = "test.audited", .limit = 10};
    struct audit_entry *list;
    int n;
    FX_OK(f, store_audit_list(f->s, NULL, f->a, &q, &list, &n, &f->e));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, a.id);
}

/* What the headers do not call audited needs no record: the petitioner's
 * and the clock's moves. */
static void
other_writes_need_no_record(void **state)
{
    struct fx *f = *state;
    int64_t pid = fx_petition(f, 7001);
    FX_WRITE(f,
             store_petition_set_state(t, pid, PETITION_WAITING_FOR_CERTIFICATION, f->now, &f->e));
    FX_WRITE(f, store_petition_set_queued(t, pid, f->now, &f->e));
    FX_WRITE(f, store_petition_set_state(t, pid, PETITION_NOT_CERTIFIED, f->now, &f->e));
    assert_int_equal(fx_get(f, 7001).state, PETITION_NOT_CERTIFIED);
    int64_t other = fx_petition(f, 7002);
    FX_WRITE(f, store_petition_set_state(t, other, PETITION_EXPIRED, f->now, &f->e));
    assert_int_equal(fx_get(f, 7002).state, PETITION_EXPIRED);

    /* A signature confirmed, its mails counted: no change of review. */
    int64_t sig = fx_signature(f, pid, "a@example.org", REGION_ON, 0);
    struct signature_record r;
    FX_OK(f, store_signature_get(f->s, NULL, f->a, sig, &r, &f->e));
    r.confirmed_at = f->now;
    r.mails = 2;
    FX_WRITE(f, store_signature_update(t, &r, &f->e));

    /* A petitioner's account, a draft submitted and withdrawn. */
    int64_t pet = fx_user(f, "p@example.org", ROLE_PETITIONER);
    int64_t d = fx_draft(f, pet);
    struct draft_record dr;
    FX_OK(f, store_draft_get(f->s, NULL, f->a, d, &dr, &f->e));
    dr.state = PETITION_AWAITING_SUPPORTERS;
    FX_WRITE(f, store_draft_update(t, &dr, f->now, &f->e));
    dr.state = PETITION_WITHDRAWN;
    FX_WRITE(f, store_draft_update(t, &dr, f->now, &f->e));
    FX_OK(f, store_draft_get(f->s, NULL, f->a, d, &dr, &f->e));
    assert_int_equal(dr.state, PETITION_WITHDRAWN);
}

int
main(void)
{
    static const struct CMUnitTest fixed[] = {
        FX_TEST(other_writes_need_no_record),
    };
#define N_FIXED (sizeof(fixed) / sizeof(fixed[0]))
    struct CMUnitTest tests[N_FIXED + N_AUDITED];
    for (size_t i = 0; i < N_FIXED; i++)
        tests[i] = fixed[i];
    /* One test per audited write, named for it. */
    for (size_t i = 0; i < N_AUDITED; i++)
        tests[N_FIXED + i] = (struct CMUnitTest){
            .name = audited_writes[i].name,
            .test_func = audited_write_needs_its_record,
            .setup_func = audited_setup,
            .teardown_func = fx_teardown,
            .initial_state = (void *)&audited_writes[i],
        };
    return cmocka_run_group_tests_name(fx_backend(), tests, NULL, NULL);
}
