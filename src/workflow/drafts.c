/*
 * drafts.c: the use cases of a petition before publication, from the
 * petitioner's first save to the Member's answer, withdrawal and the
 * deadlines that lapse; see drafts.h.  The Clerk's review is in
 * draft_review.c; what every use case shares is in flow.c.
 */
#include "workflow/drafts.h"

#include <stdio.h>
#include <string.h>

#include "core/email.h"
#include "core/house.h"
#include "core/lifecycle.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/draft_json.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* ---- texts and invitations -------------------------------------------------------------- */

/* The petition as plain text, as supporters and Members read it: *out,
 * or the store's error. */
static int
petition_text(const struct flow *f, struct store_txn *tx, struct arena *a,
              const struct draft_text *t, const char **out, struct err *e)
{
    struct strbuf sb;
    const char *heading;
    int r = flow_addressee_heading_in(f, tx, a, t, t->lang, &heading, e);
    if (r)
        return r;
    sb_init(&sb, a);
    sb_adds(&sb, heading);
    sb_adds(&sb, "\n\n");
    if (t->grievance_count) {
        sb_adds(&sb, flow_msg(f, t->lang, "petition.whereas"));
        sb_adds(&sb, "\n\n");
        for (int i = 0; i < t->grievance_count; i++) {
            if (!t->grievances[i] || !*t->grievances[i])
                continue;
            sb_adds(&sb, "  - ");
            sb_adds(&sb, t->grievances[i]);
            sb_adds(&sb, "\n\n");
        }
    }
    sb_adds(&sb, t->prayer ? t->prayer : "");
    sb_addch(&sb, '\n');
    *out = sb.buf;
    return 0;
}

void
drafts_supporter_token(const struct flow *f, int64_t supporter_id, int round,
                       char out[TOKEN_MAC_CHARS + 1])
{
    char m[96];
    snprintf(m, sizeof(m), "support|%lld|%d", (long long)supporter_id, round);
    token_mac(f->link_key, m, out);
}

static int
invite(const struct flow *f, struct store_txn *tx, struct arena *a, const struct draft_record *d,
       const struct draft_text *t, struct supporter_record *s, const char *petitioner, int64_t now,
       struct err *e)
{
    char tok[TOKEN_MAC_CHARS + 1];
    const char *text;
    int r;
    s->invited_round = d->round;
    if ((r = store_supporter_update(tx, s, e)) || (r = petition_text(f, tx, a, t, &text, e)))
        return r;
    drafts_supporter_token(f, s->id, d->round, tok);
    json_t *vars = json_object();
    const char *name = flow_full_name(a, s->first_name, s->last_name);
    json_object_set_new(vars, "name", json_string(name));
    json_object_set_new(vars, "petitioner", json_string(petitioner));
    json_object_set_new(vars, "petition_text", json_string(text));
    json_object_set_new(vars, "revised", json_boolean(d->round > 1));
    /* The deadline and the link in each language: in an object per
     * language ("en", "fr") for the text in both, at the top for one. */
    int64_t deadline = d->submitted_at + (int64_t)d->supporters_days * DAY_SECONDS;
    for (int l = 0; l < LANG_COUNT; l++) {
        json_t *in = json_object();
        json_object_set_new(in, "deadline", json_string(flow_date_text(a, deadline, (enum lang)l)));
        json_object_set_new(
            in, "link",
            json_string(arena_printf(a, "%s/%s/support/%lld?r=%d&t=%s", f->mailer->base_url,
                                     lang_code((enum lang)l), (long long)s->id, d->round, tok)));
        json_object_set_new(vars, lang_code((enum lang)l), in);
    }
    /* A supporter who confirmed in an earlier round chose a language:
     * theirs.  Otherwise nobody knows it yet: both, English then French
     * (as the Government of Canada writes to the public), in one e-mail. */
    if (s->confirmed_at) {
        json_object_update(vars, json_object_get(vars, lang_code(s->lang)));
        r = outbox_queue(f, tx, "supporter-invitation", s->lang, s->email, name, vars, now, e);
    } else {
        r = outbox_queue_text(f, tx, "supporter-invitation", "supporter-invitation-both", LANG_EN,
                              s->email, name, vars, now, e);
    }
    json_decref(vars);
    return r;
}

/* ---- reading a draft --------------------------------------------------------------- */

static int
load_own(const struct flow *f, struct store_txn *tx, struct arena *a, const struct user *petitioner,
         int64_t id, struct draft_record *d, struct err *e)
{
    int r = store_draft_get(f->store, tx, a, id, d, e);
    if (r)
        return r;
    if (d->petitioner_id != petitioner->id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the petitioner's");
    return 0;
}

static int
active_draft(const struct flow *f, struct store_txn *tx, struct arena *a, int64_t petitioner_id,
             struct draft_record *out, bool *active, struct err *e)
{
    int r = store_draft_latest(f->store, tx, a, petitioner_id, out, e);
    *active = false;
    if (r)
        return r;
    if (out->state != PETITION_OPEN) {
        *active = petition_active(out->state);
        return 0;
    }
    /* Published: its public record's state decides. */
    struct petition p;
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = out->e_number};
    if ((r = store_petition_get(f->store, tx, a, &n, &p, e)))
        return r;
    *active = petition_active(p.state);
    return 0;
}

int
drafts_active(const struct flow *f, struct arena *a, int64_t petitioner_id,
              struct draft_record *out, bool *active, struct err *e)
{
    return active_draft(f, NULL, a, petitioner_id, out, active, e);
}

/* ---- saving and submitting ---------------------------------------------------------- */

static int
check_supporters(const struct flow *f, const struct user *petitioner,
                 const struct draft_supporter *s, int n, bool submitting, struct field_errors *fe)
{
    supporters_check(s, n, petitioner->email, f->rules, submitting, fe);
    return fe->count;
}

/* The Member chosen must exist and not be the Speaker (rulebook 11.3):
 * when not, a field error on field and 1.  tx is the use case's
 * transaction, or NULL before it begins.  0 when fine or when no Member
 * is named; the store's error when it cannot tell (a failing store is
 * not the petitioner's mistake). */
static int
check_member(const struct flow *f, struct store_txn *tx, struct arena *a, const char *key,
             const char *field, struct field_errors *fe, struct member *out, struct err *e)
{
    if (!key || !*key)
        return 0;
    int r = flow_lookup(store_member_get(f->store, tx, a, 0, key, out, e), e);
    if (r < 0)
        return r;
    if (r || out->is_speaker) {
        field_error(fe, field, "draft.member_missing");
        return 1;
    }
    return 0;
}

static int
replace_supporters(const struct flow *f, struct store_txn *tx, struct arena *a, int64_t draft_id,
                   const struct draft_supporter *s, int n, int64_t now, struct err *e)
{
    struct supporter_record *old;
    int count, r = store_supporter_list(f->store, tx, a, draft_id, &old, &count, e);
    for (int i = 0; i < count && !r; i++)
        r = store_supporter_delete(tx, draft_id, old[i].id, e);
    for (int i = 0; i < n && !r; i++) {
        if (!s[i].email || !*s[i].email)
            continue;
        char key[EMAIL_MAX + 1];
        if (email_key(s[i].email, strlen(s[i].email), key))
            continue;
        struct supporter_record rec = {
            .draft_id = draft_id,
            .first_name = s[i].first_name,
            .last_name = s[i].last_name,
            .email = s[i].email,
            .email_key = key,
            .created_at = now,
        };
        r = store_supporter_insert(tx, &rec, e);
    }
    return r;
}

int
drafts_save(const struct flow *f, struct arena *a, const struct user *petitioner, int64_t *draft_id,
            const struct draft_text *text, const struct draft_supporter *supporters, int n,
            struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    struct draft_clerk clerk;
    struct member m;
    size_t words;
    int r;

    draft_check(text, f->rules, false, fe, &words);
    check_supporters(f, petitioner, supporters, n, false, fe);
    if ((r = check_member(f, NULL, a, text->member_key, "member", fe, &m, e)) < 0 ||
        (r = check_member(f, NULL, a,
                          text->addressee == ADDRESSEE_MEMBER ? text->addressee_member_key : NULL,
                          "addressee_member", fe, &m, e)) < 0)
        return r;
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if (*draft_id) {
        if ((r = load_own(f, tx, a, petitioner, *draft_id, &d, e)))
            goto out;
        if (!draft_editable(d.state)) {
            r = flow_conflict(e, "flow.not_editable");
            goto out;
        }
        draft_json_read(d.content, a, &(struct draft_text){0}, &clerk);
        d.content = draft_json_write(text, &clerk, a);
        if ((r = store_draft_update(tx, &d, now, e)))
            goto out;
    } else {
        bool active;
        struct draft_record cur;
        struct err e2 = ERR_INIT;
        r = active_draft(f, tx, a, petitioner->id, &cur, &active, &e2);
        if (r == 0 && active) {
            r = flow_conflict(e, "flow.one_active");
            goto out;
        }
        if (r && r != ERR_NOT_FOUND) {
            *e = e2;
            goto out;
        }
        memset(&d, 0, sizeof(d));
        d.petitioner_id = petitioner->id;
        d.state = PETITION_DRAFT;
        d.state_changed_at = now;
        d.content = draft_json_write(text, NULL, a);
        d.created_at = now;
        d.updated_at = now;
        if ((r = store_draft_insert(tx, &d, e)) ||
            (r = store_draft_event_add(tx, d.id, now, petitioner->id, PETITION_DRAFT, NULL, e)))
            goto out;
        *draft_id = d.id;
    }
    r = replace_supporters(f, tx, a, d.id, supporters, n, now, e);
out:
    return flow_finish(f, tx, r, e);
}

int
drafts_submit(const struct flow *f, struct arena *a, const struct user *petitioner,
              int64_t draft_id, struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    struct draft_text t;
    struct supporter_record *list;
    struct member m;
    int n, r;
    size_t words;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_own(f, tx, a, petitioner, draft_id, &d, e)))
        goto out;
    if (!draft_editable(d.state)) {
        r = flow_conflict(e, "flow.not_editable");
        goto out;
    }
    /* While Parliament is dissolved no new petition starts (rulebook 11.13). */
    struct house_status h;
    if ((r = store_house_status(f->store, tx, &h, e)))
        goto out;
    if (house_blocks_new_petitions(&h)) {
        r = flow_conflict(e, house_blocks_new_petitions(&h));
        goto out;
    }
    draft_json_read(d.content, a, &t, NULL);
    if ((r = store_supporter_list(f->store, tx, a, d.id, &list, &n, e)))
        goto out;
    struct draft_supporter named[DRAFT_SUPPORTERS_MAX];
    int count = n < DRAFT_SUPPORTERS_MAX ? n : DRAFT_SUPPORTERS_MAX;
    for (int i = 0; i < count; i++)
        named[i] = (struct draft_supporter){list[i].first_name, list[i].last_name, list[i].email};
    draft_check(&t, f->rules, true, fe, &words);
    check_supporters(f, petitioner, named, n, true, fe);
    if ((r = check_member(f, tx, a, t.member_key, "member", fe, &m, e)) < 0)
        goto out;
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    /* The rules of this petition are those of the day it is submitted. */
    if (d.round == 0) {
        d.supporters_min = f->rules->supporters_min;
        d.supporters_days = f->rules->supporters_days;
        d.member_days = f->rules->member_days;
        d.members_max = f->rules->members_max;
        d.member_id = m.id;
    } else if (!d.member_id) {
        d.member_id = m.id;
    }
    d.round++;
    d.submitted_at = now;
    d.member_asked_at = 0;
    d.review_reasons = d.round > 1 ? d.review_reasons : NULL;
    if ((r = flow_set_draft_state(tx, &d, PETITION_AWAITING_SUPPORTERS, petitioner->id, NULL, now,
                                  e)))
        goto out;
    const char *who = flow_full_name(a, petitioner->first_name, petitioner->last_name);
    for (int i = 0; i < n && !r; i++) {
        list[i].confirmed_round = list[i].confirmed_round == d.round ? d.round : 0;
        list[i].confirm_order = 0;
        r = invite(f, tx, a, &d, &t, &list[i], who, now, e);
    }
out:
    return flow_finish(f, tx, r, e);
}

int
drafts_add_supporters(const struct flow *f, struct arena *a, const struct user *petitioner,
                      int64_t draft_id, const struct draft_supporter *supporters, int n,
                      struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    struct draft_text t;
    struct supporter_record *list;
    int count, r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_own(f, tx, a, petitioner, draft_id, &d, e)))
        goto out;
    if (d.state != PETITION_AWAITING_SUPPORTERS) {
        r = flow_conflict(e, "flow.not_awaiting_supporters");
        goto out;
    }
    if ((r = store_supporter_list(f->store, tx, a, d.id, &list, &count, e)))
        goto out;
    /* Check the old and new together: duplicates and the maximum. */
    struct draft_supporter all[DRAFT_SUPPORTERS_MAX * 2];
    int total = 0;
    for (int i = 0; i < n && total < DRAFT_SUPPORTERS_MAX * 2; i++)
        all[total++] = supporters[i];
    for (int i = 0; i < count && total < DRAFT_SUPPORTERS_MAX * 2; i++)
        all[total++] =
            (struct draft_supporter){list[i].first_name, list[i].last_name, list[i].email};
    int named = 0;
    for (int i = 0; i < n; i++)
        named += supporters[i].email && *supporters[i].email;
    if (named == 0)
        field_error(fe, "supporters", "supporter.none_added");
    else if (count + named > f->rules->supporters_max)
        field_error(fe, "supporters", "supporter.too_many");
    else
        check_supporters(f, petitioner, all, total, false, fe);
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    draft_json_read(d.content, a, &t, NULL);
    const char *who = flow_full_name(a, petitioner->first_name, petitioner->last_name);
    for (int i = 0; i < n && !r; i++) {
        char key[EMAIL_MAX + 1];
        if (!supporters[i].email ||
            email_key(supporters[i].email, strlen(supporters[i].email), key))
            continue;
        struct supporter_record rec = {
            .draft_id = d.id,
            .first_name = supporters[i].first_name,
            .last_name = supporters[i].last_name,
            .email = supporters[i].email,
            .email_key = key,
            .created_at = now,
        };
        if (!(r = store_supporter_insert(tx, &rec, e)))
            r = invite(f, tx, a, &d, &t, &rec, who, now, e);
    }
out:
    return flow_finish(f, tx, r, e);
}

/* ---- supporters and Members ------------------------------------------------------------ */

/* Ask the draft's Member (member_id) now. */
static int
ask_member(const struct flow *f, struct store_txn *tx, struct arena *a, struct draft_record *d,
           int64_t now, struct err *e)
{
    struct draft_text t;
    struct user petitioner;
    struct member_request rq = {.draft_id = d->id, .member_id = d->member_id, .asked_at = now};
    const char *text;
    int r;

    d->member_asked_at = now;
    draft_json_read(d->content, a, &t, NULL);
    if ((r = flow_set_draft_state(tx, d, PETITION_AWAITING_MEMBER, 0, NULL, now, e)) ||
        (r = store_member_request_insert(tx, &rq, e)) ||
        (r = store_user_get(f->store, tx, a, d->petitioner_id, NULL, &petitioner, e)) ||
        (r = petition_text(f, tx, a, &t, &text, e)))
        return r;
    json_t *vars = json_object();
    json_object_set_new(
        vars, "petitioner",
        json_string(flow_full_name(a, petitioner.first_name, petitioner.last_name)));
    json_object_set_new(vars, "petitioner_city", json_string(petitioner.city));
    json_object_set_new(vars, "petitioner_province", json_string(petitioner.province));
    json_object_set_new(vars, "petition_text", json_string(text));
    json_object_set_new(
        vars, "deadline",
        json_string(flow_date_text(a, now + (int64_t)d->member_days * DAY_SECONDS, t.lang)));
    r = outbox_queue_member(f, tx, a, d->member_id, "member-request", vars, now, e);
    json_decref(vars);
    if (r)
        return r;
    struct member m;
    if ((r = store_member_get(f->store, tx, a, d->member_id, NULL, &m, e)))
        return r;
    vars = json_object();
    json_object_set_new(vars, "member", json_string(flow_member_name(a, &m)));
    r = outbox_queue_petitioner(f, tx, a, d, "member-asked", vars, now, e);
    json_decref(vars);
    return r;
}

int
drafts_supporter_confirm(const struct flow *f, struct arena *a, int64_t supporter_id, int round,
                         const struct person *p, enum lang lang, struct field_errors *fe,
                         int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct supporter_record s, *list;
    struct draft_record d;
    int n, r;

    person_check(p, PERSON_ADDRESS | PERSON_PHONE | PERSON_DECLARATIONS, fe);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_supporter_get(f->store, tx, a, supporter_id, &s, e)) ||
        (r = store_draft_get(f->store, tx, a, s.draft_id, &d, e)))
        goto out;
    if (round != d.round || s.invited_round != d.round) {
        r = flow_conflict(e, "flow.link_outdated");
        goto out;
    }
    if (s.confirmed_round == d.round) /* confirming twice is harmless */
        goto out;
    if (d.state != PETITION_AWAITING_SUPPORTERS && d.state != PETITION_AWAITING_MEMBER &&
        d.state != PETITION_UNDER_REVIEW) {
        r = flow_conflict(e, "flow.support_closed");
        goto out;
    }
    if ((r = store_supporter_list(f->store, tx, a, d.id, &list, &n, e)))
        goto out;
    int confirmed = 0;
    for (int i = 0; i < n; i++)
        confirmed += list[i].confirmed_round == d.round;
    s.confirmed_round = d.round;
    s.confirmed_at = now;
    s.confirm_order = confirmed + 1;
    s.phone = p->phone;
    s.country = p->country;
    s.province = p->province && *p->province ? p->province : NULL;
    s.postal_code = p->postal_code;
    s.lang = lang;
    if ((r = store_supporter_update(tx, &s, e)))
        goto out;
    if (d.state == PETITION_AWAITING_SUPPORTERS && confirmed + 1 >= d.supporters_min) {
        if (d.round > 1 && d.authorizing_member_id)
            d.member_id = d.authorizing_member_id; /* a revision goes back to its Member */
        r = ask_member(f, tx, a, &d, now, e);
    }
out:
    return flow_finish(f, tx, r, e);
}

/* The Member asked declined or let the time pass. */
static int
member_refused(const struct flow *f, struct store_txn *tx, struct arena *a, struct draft_record *d,
               bool lapsed, int64_t now, struct err *e)
{
    struct member_request *reqs;
    int n, r;
    struct member m;

    if ((r = store_member_request_answer(tx, d->id, now, lapsed ? "lapsed" : "declined", e)) ||
        (r = store_member_request_list(f->store, tx, a, d->id, &reqs, &n, e)) ||
        (r = store_member_get(f->store, tx, a, d->member_id, NULL, &m, e)))
        return r;
    /* Distinct Members asked so far. */
    int asked = 0;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen |= reqs[k].member_id == reqs[i].member_id;
        asked += !seen;
    }
    enum petition_state next = after_member_refusal(asked, d->members_max);
    json_t *vars = json_object();
    json_object_set_new(vars, "member", json_string(flow_member_name(a, &m)));
    json_object_set_new(vars, "lapsed", json_boolean(lapsed));
    json_object_set_new(vars, "asked", json_integer(asked));
    json_object_set_new(vars, "remaining", json_integer(d->members_max - asked));
    d->member_id = 0;
    d->member_asked_at = 0;
    if (next == PETITION_ABANDONED) {
        if (!(r = flow_set_draft_state(tx, d, PETITION_ABANDONED, 0, lapsed ? "lapsed" : "declined",
                                       now, e)))
            r = outbox_queue_petitioner(f, tx, a, d, "abandoned", vars, now, e);
    } else {
        if (!(r = flow_set_draft_state(tx, d, PETITION_AWAITING_MEMBER, 0,
                                       lapsed ? "lapsed" : "declined", now, e)))
            r = outbox_queue_petitioner(f, tx, a, d, "member-refused", vars, now, e);
    }
    json_decref(vars);
    return r;
}

int
drafts_member_choose(const struct flow *f, struct arena *a, const struct user *petitioner,
                     int64_t draft_id, const char *member_key, struct field_errors *fe, int64_t now,
                     struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    struct member m;
    struct member_request *reqs;
    int n, r;

    if ((r = check_member(f, NULL, a, member_key, "member", fe, &m, e)) < 0)
        return r;
    if (r || !member_key || !*member_key) {
        field_error(fe, "member", "draft.member_missing");
        return flow_invalid(fe, e);
    }
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_own(f, tx, a, petitioner, draft_id, &d, e)))
        goto out;
    if (d.state != PETITION_AWAITING_MEMBER || d.member_asked_at) {
        r = flow_conflict(e, "flow.no_member_to_choose");
        goto out;
    }
    if ((r = store_member_request_list(f->store, tx, a, d.id, &reqs, &n, e)))
        goto out;
    for (int i = 0; i < n; i++)
        if (reqs[i].member_id == m.id) {
            field_error(fe, "member", "draft.member_asked");
            r = flow_invalid(fe, e);
            goto out;
        }
    d.member_id = m.id;
    r = ask_member(f, tx, a, &d, now, e);
out:
    return flow_finish(f, tx, r, e);
}

int
drafts_member_answer(const struct flow *f, struct arena *a, const struct user *member,
                     int64_t draft_id, bool accept, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    int r;

    if (member->role != ROLE_MEMBER || !member->member_id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not a Member");
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_draft_get(f->store, tx, a, draft_id, &d, e)))
        goto out;
    if (d.state != PETITION_AWAITING_MEMBER || !d.member_asked_at ||
        d.member_id != member->member_id) {
        r = d.member_id == member->member_id || d.state != PETITION_AWAITING_MEMBER
                ? flow_conflict(e, "flow.not_asked")
                : err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "asked of another Member");
        goto out;
    }
    if ((r = flow_audit(tx, member, accept ? "draft.authorize" : "draft.decline", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), NULL, NULL, now, e)))
        goto out;
    if (!accept) {
        r = member_refused(f, tx, a, &d, false, now, e);
        goto out;
    }
    struct member m;
    if ((r = store_member_request_answer(tx, d.id, now, "accepted", e)) ||
        (r = store_member_get(f->store, tx, a, d.member_id, NULL, &m, e)))
        goto out;
    d.authorizing_member_id = d.member_id;
    d.member_asked_at = 0;
    if ((r = flow_set_draft_state(tx, &d, PETITION_UNDER_REVIEW, member->id, NULL, now, e)))
        goto out;
    json_t *vars = json_object();
    json_object_set_new(vars, "member", json_string(flow_member_name(a, &m)));
    if (!(r = outbox_queue_petitioner(f, tx, a, &d, "authorized", vars, now, e)))
        r = outbox_queue_first_supporters(f, tx, a, &d, "authorized-supporter", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, tx, r, e);
}

int
drafts_withdraw(const struct flow *f, struct arena *a, const struct user *petitioner,
                int64_t draft_id, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    int r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_own(f, tx, a, petitioner, draft_id, &d, e)))
        goto out;
    if (d.state == PETITION_OPEN) {
        struct petition p;
        struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = d.e_number};
        if ((r = store_petition_get(f->store, tx, a, &n, &p, e)))
            goto out;
        if (!petition_withdrawable(p.state)) {
            r = flow_conflict(e, "flow.not_withdrawable");
            goto out;
        }
        if ((r = store_petition_set_state(tx, p.id, PETITION_WITHDRAWN, now, e)) ||
            (r = store_draft_event_add(tx, d.id, now, petitioner->id, PETITION_WITHDRAWN, NULL, e)))
            goto out;
    } else {
        if (!petition_withdrawable(d.state)) {
            r = flow_conflict(e, "flow.not_withdrawable");
            goto out;
        }
        if (d.state == PETITION_AWAITING_MEMBER && d.member_asked_at &&
            (r = store_member_request_answer(tx, d.id, now, "withdrawn", e)))
            goto out;
        d.member_asked_at = 0;
        if ((r = flow_set_draft_state(tx, &d, PETITION_WITHDRAWN, petitioner->id, NULL, now, e)))
            goto out;
    }
    json_t *vars = json_object();
    r = outbox_queue_petitioner(f, tx, a, &d, "withdrawn", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, tx, r, e);
}

/* ---- deadlines ---------------------------------------------------------------------------- */

static int
apply_due(const struct flow *f, struct arena *a, int64_t id, int64_t now, bool *acted,
          struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    int r;

    *acted = false;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_draft_get(f->store, tx, a, id, &d, e)))
        goto out;
    struct draft_timers t = {d.state, d.submitted_at, d.supporters_days, d.member_asked_at,
                             d.member_days};
    switch (draft_due(&t, now)) {
    case DUE_SUPPORTERS_EXPIRED: {
        *acted = true;
        if ((r = flow_set_draft_state(tx, &d, PETITION_EXPIRED, 0, NULL, now, e)))
            goto out;
        json_t *vars = json_object();
        json_object_set_new(vars, "needed", json_integer(d.supporters_min));
        json_object_set_new(vars, "days", json_integer(d.supporters_days));
        r = outbox_queue_petitioner(f, tx, a, &d, "expired", vars, now, e);
        json_decref(vars);
        break;
    }
    case DUE_MEMBER_LAPSED:
        *acted = true;
        r = member_refused(f, tx, a, &d, true, now, e);
        break;
    case DUE_NOTHING:
        break;
    }
out:
    return flow_finish(f, tx, r, e);
}

int
drafts_deadlines(const struct flow *f, int64_t now, int *acted, struct err *e)
{
    struct arena *a = arena_new();
    struct draft_record *list;
    struct draft_query q = {.timed = true, .limit = 500};
    int n, r;

    *acted = 0;
    r = store_draft_list(f->store, NULL, a, &q, &list, &n, e);
    for (int i = 0; i < n && !r; i++) {
        struct draft_timers t = {list[i].state, list[i].submitted_at, list[i].supporters_days,
                                 list[i].member_asked_at, list[i].member_days};
        if (draft_due(&t, now) == DUE_NOTHING)
            continue;
        bool did;
        if (!(r = apply_due(f, a, list[i].id, now, &did, e)))
            *acted += did;
    }
    arena_free(a);
    return r;
}
