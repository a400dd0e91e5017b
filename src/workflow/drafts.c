/*
 * flow.c: the use cases of a petition before publication; see flow.h.
 */
#include "workflow/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/email.h"
#include "core/eastern_time.h"
#include "core/house.h"
#include "core/lifecycle.h"
#include "core/numbering.h"
#include "lib/arena.h"
#include "lib/changes.h"
#include "lib/err.h"
#include "lib/json_path.h"
#include "lib/strbuf.h"
#include "mail/delivery.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/draft_json.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* ---- transactions ---------------------------------------------------------- */

int
flow_begin(const struct flow *f, struct err *e)
{
    return OPS(f)->begin(f->store, e);
}

/* Commit when r is 0 (and wake the mail thread), else roll back. */
int
flow_finish(const struct flow *f, int r, struct err *e)
{
    if (r) {
        OPS(f)->rollback(f->store);
        return r;
    }
    r = OPS(f)->commit(f->store, e);
    if (!r) {
        changes_bump_data(f->changes);
        count_mirror_forget(f->counts);
        delivery_kick(f->delivery);
    }
    return r;
}

int
flow_audit(const struct flow *f, const struct user *actor, const char *action,
           int64_t petition_id, const char *target, const char *reason, json_t *details,
           int64_t now, struct err *e)
{
    char *text = details ? json_dumps(details, JSON_COMPACT) : NULL;
    struct audit_entry a = {.at = now,
                            .user_id = actor ? actor->id : 0,
                            .role = actor ? role_name(actor->role) : "system",
                            .action = action,
                            .petition_id = petition_id,
                            .target = target,
                            .reason = reason,
                            .details = text};
    int r = OPS(f)->audit_append(f->store, &a, e);
    free(text);
    return r;
}

/* An ERR_INVALID for a form whose fields are listed in fe. */
int
flow_invalid(struct field_errors *fe, struct err *e)
{
    return err_set(e, ERR_INVALID, fe->count ? fe->items[0].key : "error.invalid",
                   fe->count ? fe->items[0].field : NULL, "%d field(s) refused", fe->count);
}

int
flow_conflict(struct err *e, const char *key)
{
    return err_set(e, ERR_CONFLICT, key, NULL, "%s", key);
}

/* ---- texts for e-mails --------------------------------------------------------- */

static const char *
flow_msg(const struct flow *f, enum lang lang, const char *key)
{
    const char *s = json_string_value(json_path_get(f->mailer->messages[lang], key));
    return s ? s : key;
}

static const char *
flow_msg_with(const struct flow *f, struct arena *a, enum lang lang, const char *key,
         const char *arg)
{
    const char *m = flow_msg(f, lang, key);
    const char *hole = strstr(m, "{}");
    if (!hole)
        return m;
    struct strbuf sb;
    sb_init(&sb, a);
    sb_add(&sb, m, (size_t)(hole - m));
    sb_adds(&sb, arg ? arg : "");
    sb_adds(&sb, hole + 2);
    return sb.buf;
}

static const char *
member_name(struct arena *a, const struct member *m)
{
    return arena_printf(a, "%s%s%s %s", m->honorific && *m->honorific ? m->honorific : "",
                        m->honorific && *m->honorific ? " " : "", m->first_name, m->last_name);
}

const char *
flow_addressee_heading(const struct flow *f, struct arena *a, const struct draft_text *t,
                       enum lang lang)
{
    struct err e = ERR_INIT;
    switch (t->addressee) {
    case ADDRESSEE_HOUSE_ASSEMBLED:
        return flow_msg(f, lang, "petition.to_house_assembled");
    case ADDRESSEE_GOVERNMENT:
        return flow_msg(f, lang, "petition.to_government");
    case ADDRESSEE_MINISTER: {
        struct ministry m;
        if (OPS(f)->ministry_get(f->store, a, 0, t->ministry_code, &m, &e) == 0)
            return flow_msg_with(f, a, lang, "petition.to_minister", m.title[lang]);
        return flow_msg(f, lang, "petition.to_government");
    }
    case ADDRESSEE_MEMBER: {
        struct member m;
        if (OPS(f)->member_get(f->store, a, 0, t->addressee_member_key, &m, &e) == 0)
            return flow_msg_with(f, a, lang, "petition.to_member", member_name(a, &m));
        return flow_msg(f, lang, "petition.to_house");
    }
    default:
        return flow_msg(f, lang, "petition.to_house");
    }
}

/* The petition as plain text, as supporters and Members read it. */
static const char *
petition_text(const struct flow *f, struct arena *a, const struct draft_text *t)
{
    struct strbuf sb;
    sb_init(&sb, a);
    sb_adds(&sb, flow_addressee_heading(f, a, t, t->lang));
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
    return sb.buf;
}

const char *
flow_date_text(struct arena *a, int64_t t, enum lang lang)
{
    struct strbuf sb;
    sb_init(&sb, a);
    eastern_format_date(&sb, t, lang);
    return sb.buf;
}

const char *
flow_full_name(struct arena *a, const char *first, const char *last)
{
    return arena_printf(a, "%s %s", first ? first : "", last ? last : "");
}

/* ---- recipients ------------------------------------------------------------------ */

int
flow_mail_petitioner(const struct flow *f, struct arena *a, const struct draft_record *d,
                const char *kind, json_t *vars, int64_t now, struct err *e)
{
    struct user u;
    int r = OPS(f)->user_get(f->store, a, d->petitioner_id, NULL, &u, e);
    if (r)
        return r;
    json_object_set_new(vars, "name", json_string(flow_full_name(a, u.first_name, u.last_name)));
    json_object_set_new(vars, "account_url",
                        json_string(arena_printf(a, "%s/%s/account", f->mailer->base_url,
                                                 lang_code(u.lang))));
    return mail_queue(f->mailer, kind, u.lang, u.email, flow_full_name(a, u.first_name, u.last_name),
                      vars, now, e);
}

/* The supporters who confirmed first in the current round (rulebook 2.4:
 * "first five to confirm only"). */
static int
flow_mail_first_supporters(const struct flow *f, struct arena *a, const struct draft_record *d,
                      const char *kind, json_t *vars, int64_t now, struct err *e)
{
    struct supporter_record *list;
    int n, r = OPS(f)->supporter_list(f->store, a, d->id, &list, &n, e);
    for (int i = 0; i < n && !r; i++) {
        const struct supporter_record *s = &list[i];
        if (s->confirmed_round != d->round || s->confirm_order > d->supporters_min)
            continue;
        const char *name = flow_full_name(a, s->first_name, s->last_name);
        json_object_set_new(vars, "name", json_string(name));
        r = mail_queue(f->mailer, kind, s->lang, s->email, name, vars, now, e);
    }
    return r;
}

/* Every account of a Member. */
int
flow_mail_member(const struct flow *f, struct arena *a, int64_t member_id, const char *kind,
            json_t *vars, int64_t now, struct err *e)
{
    struct user *users;
    int n, r = OPS(f)->user_by_member(f->store, a, member_id, &users, &n, e);
    for (int i = 0; i < n && !r; i++) {
        const char *name = flow_full_name(a, users[i].first_name, users[i].last_name);
        json_object_set_new(vars, "name", json_string(name));
        json_object_set_new(vars, "workspace_url",
                            json_string(arena_printf(a, "%s/%s/member", f->mailer->base_url,
                                                     lang_code(users[i].lang))));
        r = mail_queue(f->mailer, kind, users[i].lang, users[i].email, name, vars, now, e);
    }
    return r;
}

void
flow_supporter_token(const struct flow *f, int64_t supporter_id, int round,
                     char out[TOKEN_MAC_CHARS + 1])
{
    char m[96];
    snprintf(m, sizeof(m), "support|%lld|%d", (long long)supporter_id, round);
    token_mac(f->link_key, m, out);
}

static int
invite(const struct flow *f, struct arena *a, const struct draft_record *d,
       const struct draft_text *t, struct supporter_record *s, const char *petitioner,
       int64_t now, struct err *e)
{
    char tok[TOKEN_MAC_CHARS + 1];
    int r;
    s->invited_round = d->round;
    if ((r = OPS(f)->supporter_update(f->store, s, e)))
        return r;
    flow_supporter_token(f, s->id, d->round, tok);
    json_t *vars = json_object();
    const char *name = flow_full_name(a, s->first_name, s->last_name);
    json_object_set_new(vars, "name", json_string(name));
    json_object_set_new(vars, "petitioner", json_string(petitioner));
    json_object_set_new(vars, "petition_text", json_string(petition_text(f, a, t)));
    json_object_set_new(vars, "revised", json_boolean(d->round > 1));
    json_object_set_new(
        vars, "deadline",
        json_string(flow_date_text(a, d->submitted_at + (int64_t)d->supporters_days * DAY_SECONDS,
                              t->lang)));
    json_object_set_new(vars, "link",
                        json_string(arena_printf(a, "%s/%s/support/%lld?r=%d&t=%s",
                                                 f->mailer->base_url, lang_code(t->lang),
                                                 (long long)s->id, d->round, tok)));
    r = mail_queue(f->mailer, "supporter-invitation", t->lang, s->email, name, vars, now, e);
    json_decref(vars);
    return r;
}

/* ---- reading a draft --------------------------------------------------------------- */

static int
load_own(const struct flow *f, struct arena *a, const struct user *petitioner, int64_t id,
         struct draft_record *d, struct err *e)
{
    int r = OPS(f)->draft_get(f->store, a, id, d, e);
    if (r)
        return r;
    if (d->petitioner_id != petitioner->id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the petitioner's");
    return 0;
}

static int
set_state(const struct flow *f, struct draft_record *d, enum petition_state s,
          int64_t user_id, const char *note, int64_t now, struct err *e)
{
    int r;
    d->state = s;
    d->state_changed_at = now;
    if ((r = OPS(f)->draft_update(f->store, d, now, e)))
        return r;
    return OPS(f)->draft_event_add(f->store, d->id, now, user_id, s, note, e);
}

int
flow_active_draft(const struct flow *f, struct arena *a, int64_t petitioner_id,
                  struct draft_record *out, bool *active, struct err *e)
{
    int r = OPS(f)->draft_latest(f->store, a, petitioner_id, out, e);
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
    if ((r = OPS(f)->petition_get(f->store, a, &n, &p, e)))
        return r;
    *active = petition_active(p.state);
    return 0;
}

/* ---- saving and submitting ---------------------------------------------------------- */

static int
check_supporters(const struct flow *f, const struct user *petitioner,
                 const struct draft_supporter *s, int n, bool submitting,
                 struct field_errors *fe)
{
    supporters_check(s, n, petitioner->email, f->rules, submitting, fe);
    return fe->count;
}

/* The Member chosen must exist and not be the Speaker (rulebook 11.3). */
static int
check_member(const struct flow *f, struct arena *a, const char *key, const char *field,
             struct field_errors *fe, struct member *out)
{
    struct err e = ERR_INIT;
    if (!key || !*key)
        return 0;
    if (OPS(f)->member_get(f->store, a, 0, key, out, &e) || out->is_speaker) {
        field_error(fe, field, "draft.member_missing");
        return -1;
    }
    return 0;
}

static int
replace_supporters(const struct flow *f, struct arena *a, int64_t draft_id,
                   const struct draft_supporter *s, int n, int64_t now, struct err *e)
{
    struct supporter_record *old;
    int count, r = OPS(f)->supporter_list(f->store, a, draft_id, &old, &count, e);
    for (int i = 0; i < count && !r; i++)
        r = OPS(f)->supporter_delete(f->store, draft_id, old[i].id, e);
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
        r = OPS(f)->supporter_insert(f->store, &rec, e);
    }
    return r;
}

int
flow_save(const struct flow *f, struct arena *a, const struct user *petitioner,
          int64_t *draft_id, const struct draft_text *text,
          const struct draft_supporter *supporters, int n, struct field_errors *fe,
          int64_t now, struct err *e)
{
    struct draft_record d;
    struct draft_clerk clerk;
    struct member m;
    size_t words;
    int r;

    draft_check(text, f->rules, false, fe, &words);
    check_supporters(f, petitioner, supporters, n, false, fe);
    check_member(f, a, text->member_key, "member", fe, &m);
    check_member(f, a, text->addressee == ADDRESSEE_MEMBER ? text->addressee_member_key : NULL,
                 "addressee_member", fe, &m);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if (*draft_id) {
        if ((r = load_own(f, a, petitioner, *draft_id, &d, e)))
            goto out;
        if (!draft_editable(d.state)) {
            r = flow_conflict(e, "flow.not_editable");
            goto out;
        }
        draft_json_read(d.content, a, &(struct draft_text){0}, &clerk);
        d.content = draft_json_write(text, &clerk, a);
        if ((r = OPS(f)->draft_update(f->store, &d, now, e)))
            goto out;
    } else {
        bool active;
        struct draft_record cur;
        struct err e2 = ERR_INIT;
        r = flow_active_draft(f, a, petitioner->id, &cur, &active, &e2);
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
        if ((r = OPS(f)->draft_insert(f->store, &d, e)) ||
            (r = OPS(f)->draft_event_add(f->store, d.id, now, petitioner->id, PETITION_DRAFT,
                                         NULL, e)))
            goto out;
        *draft_id = d.id;
    }
    r = replace_supporters(f, a, d.id, supporters, n, now, e);
out:
    return flow_finish(f, r, e);
}

int
flow_submit(const struct flow *f, struct arena *a, const struct user *petitioner,
            int64_t draft_id, struct field_errors *fe, int64_t now, struct err *e)
{
    struct draft_record d;
    struct draft_text t;
    struct supporter_record *list;
    struct member m;
    int n, r;
    size_t words;

    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_own(f, a, petitioner, draft_id, &d, e)))
        goto out;
    if (!draft_editable(d.state)) {
        r = flow_conflict(e, "flow.not_editable");
        goto out;
    }
    /* While Parliament is dissolved no new petition starts (rulebook 11.13). */
    struct house_status h;
    if ((r = OPS(f)->house_status(f->store, &h, e)))
        goto out;
    if (house_blocks_new_petitions(&h)) {
        r = flow_conflict(e, house_blocks_new_petitions(&h));
        goto out;
    }
    draft_json_read(d.content, a, &t, NULL);
    if ((r = OPS(f)->supporter_list(f->store, a, d.id, &list, &n, e)))
        goto out;
    struct draft_supporter named[DRAFT_SUPPORTERS_MAX];
    int count = n < DRAFT_SUPPORTERS_MAX ? n : DRAFT_SUPPORTERS_MAX;
    for (int i = 0; i < count; i++)
        named[i] = (struct draft_supporter){list[i].first_name, list[i].last_name,
                                            list[i].email};
    draft_check(&t, f->rules, true, fe, &words);
    check_supporters(f, petitioner, named, n, true, fe);
    check_member(f, a, t.member_key, "member", fe, &m);
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
    if ((r = set_state(f, &d, PETITION_AWAITING_SUPPORTERS, petitioner->id, NULL, now, e)))
        goto out;
    const char *who = flow_full_name(a, petitioner->first_name, petitioner->last_name);
    for (int i = 0; i < n && !r; i++) {
        list[i].confirmed_round = list[i].confirmed_round == d.round ? d.round : 0;
        list[i].confirm_order = 0;
        r = invite(f, a, &d, &t, &list[i], who, now, e);
    }
out:
    return flow_finish(f, r, e);
}

int
flow_add_supporters(const struct flow *f, struct arena *a, const struct user *petitioner,
                    int64_t draft_id, const struct draft_supporter *supporters, int n,
                    struct field_errors *fe, int64_t now, struct err *e)
{
    struct draft_record d;
    struct draft_text t;
    struct supporter_record *list;
    int count, r;

    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_own(f, a, petitioner, draft_id, &d, e)))
        goto out;
    if (d.state != PETITION_AWAITING_SUPPORTERS) {
        r = flow_conflict(e, "flow.not_awaiting_supporters");
        goto out;
    }
    if ((r = OPS(f)->supporter_list(f->store, a, d.id, &list, &count, e)))
        goto out;
    /* Check the old and new together: duplicates and the maximum. */
    struct draft_supporter all[DRAFT_SUPPORTERS_MAX * 2];
    int total = 0;
    for (int i = 0; i < n && total < DRAFT_SUPPORTERS_MAX * 2; i++)
        all[total++] = supporters[i];
    for (int i = 0; i < count && total < DRAFT_SUPPORTERS_MAX * 2; i++)
        all[total++] = (struct draft_supporter){list[i].first_name, list[i].last_name,
                                                list[i].email};
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
        if (!supporters[i].email || email_key(supporters[i].email,
                                              strlen(supporters[i].email), key))
            continue;
        struct supporter_record rec = {
            .draft_id = d.id,
            .first_name = supporters[i].first_name,
            .last_name = supporters[i].last_name,
            .email = supporters[i].email,
            .email_key = key,
            .created_at = now,
        };
        if (!(r = OPS(f)->supporter_insert(f->store, &rec, e)))
            r = invite(f, a, &d, &t, &rec, who, now, e);
    }
out:
    return flow_finish(f, r, e);
}

/* ---- supporters and Members ------------------------------------------------------------ */

/* Ask the draft's Member (member_id) now. */
static int
ask_member(const struct flow *f, struct arena *a, struct draft_record *d, int64_t now,
           struct err *e)
{
    struct draft_text t;
    struct user petitioner;
    struct member_request rq = {.draft_id = d->id, .member_id = d->member_id, .asked_at = now};
    int r;

    d->member_asked_at = now;
    if ((r = set_state(f, d, PETITION_AWAITING_MEMBER, 0, NULL, now, e)) ||
        (r = OPS(f)->member_request_insert(f->store, &rq, e)) ||
        (r = OPS(f)->user_get(f->store, a, d->petitioner_id, NULL, &petitioner, e)))
        return r;
    draft_json_read(d->content, a, &t, NULL);
    json_t *vars = json_object();
    json_object_set_new(vars, "petitioner",
                        json_string(flow_full_name(a, petitioner.first_name, petitioner.last_name)));
    json_object_set_new(vars, "petitioner_city", json_string(petitioner.city));
    json_object_set_new(vars, "petitioner_province", json_string(petitioner.province));
    json_object_set_new(vars, "petition_text", json_string(petition_text(f, a, &t)));
    json_object_set_new(
        vars, "deadline",
        json_string(flow_date_text(a, now + (int64_t)d->member_days * DAY_SECONDS, t.lang)));
    r = flow_mail_member(f, a, d->member_id, "member-request", vars, now, e);
    json_decref(vars);
    if (r)
        return r;
    struct member m;
    if ((r = OPS(f)->member_get(f->store, a, d->member_id, NULL, &m, e)))
        return r;
    vars = json_object();
    json_object_set_new(vars, "member", json_string(member_name(a, &m)));
    r = flow_mail_petitioner(f, a, d, "member-asked", vars, now, e);
    json_decref(vars);
    return r;
}

int
flow_supporter_confirm(const struct flow *f, struct arena *a, int64_t supporter_id,
                       int round, const struct person *p, enum lang lang,
                       struct field_errors *fe, int64_t now, struct err *e)
{
    struct supporter_record s, *list;
    struct draft_record d;
    int n, r;

    person_check(p, PERSON_ADDRESS | PERSON_PHONE | PERSON_DECLARATIONS, fe);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->supporter_get(f->store, a, supporter_id, &s, e)) ||
        (r = OPS(f)->draft_get(f->store, a, s.draft_id, &d, e)))
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
    if ((r = OPS(f)->supporter_list(f->store, a, d.id, &list, &n, e)))
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
    if ((r = OPS(f)->supporter_update(f->store, &s, e)))
        goto out;
    if (d.state == PETITION_AWAITING_SUPPORTERS && confirmed + 1 >= d.supporters_min) {
        if (d.round > 1 && d.authorizing_member_id)
            d.member_id = d.authorizing_member_id; /* a revision goes back to its Member */
        r = ask_member(f, a, &d, now, e);
    }
out:
    return flow_finish(f, r, e);
}

/* The Member asked declined or let the time pass. */
static int
member_refused(const struct flow *f, struct arena *a, struct draft_record *d, bool lapsed,
               int64_t now, struct err *e)
{
    struct member_request *reqs;
    int n, r;
    struct member m;

    if ((r = OPS(f)->member_request_answer(f->store, d->id, now, lapsed ? "lapsed" : "declined",
                                           e)) ||
        (r = OPS(f)->member_request_list(f->store, a, d->id, &reqs, &n, e)) ||
        (r = OPS(f)->member_get(f->store, a, d->member_id, NULL, &m, e)))
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
    json_object_set_new(vars, "member", json_string(member_name(a, &m)));
    json_object_set_new(vars, "lapsed", json_boolean(lapsed));
    json_object_set_new(vars, "asked", json_integer(asked));
    json_object_set_new(vars, "remaining", json_integer(d->members_max - asked));
    d->member_id = 0;
    d->member_asked_at = 0;
    if (next == PETITION_ABANDONED) {
        if (!(r = set_state(f, d, PETITION_ABANDONED, 0, lapsed ? "lapsed" : "declined", now, e)))
            r = flow_mail_petitioner(f, a, d, "abandoned", vars, now, e);
    } else {
        if (!(r = set_state(f, d, PETITION_AWAITING_MEMBER, 0, lapsed ? "lapsed" : "declined",
                            now, e)))
            r = flow_mail_petitioner(f, a, d, "member-refused", vars, now, e);
    }
    json_decref(vars);
    return r;
}

int
flow_member_choose(const struct flow *f, struct arena *a, const struct user *petitioner,
                   int64_t draft_id, const char *member_key, struct field_errors *fe,
                   int64_t now, struct err *e)
{
    struct draft_record d;
    struct member m;
    struct member_request *reqs;
    int n, r;

    if (check_member(f, a, member_key, "member", fe, &m) || !member_key || !*member_key) {
        field_error(fe, "member", "draft.member_missing");
        return flow_invalid(fe, e);
    }
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_own(f, a, petitioner, draft_id, &d, e)))
        goto out;
    if (d.state != PETITION_AWAITING_MEMBER || d.member_asked_at) {
        r = flow_conflict(e, "flow.no_member_to_choose");
        goto out;
    }
    if ((r = OPS(f)->member_request_list(f->store, a, d.id, &reqs, &n, e)))
        goto out;
    for (int i = 0; i < n; i++)
        if (reqs[i].member_id == m.id) {
            field_error(fe, "member", "draft.member_asked");
            r = flow_invalid(fe, e);
            goto out;
        }
    d.member_id = m.id;
    r = ask_member(f, a, &d, now, e);
out:
    return flow_finish(f, r, e);
}

int
flow_member_answer(const struct flow *f, struct arena *a, const struct user *member,
                   int64_t draft_id, bool accept, int64_t now, struct err *e)
{
    struct draft_record d;
    int r;

    if (member->role != ROLE_MEMBER || !member->member_id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not a Member");
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->draft_get(f->store, a, draft_id, &d, e)))
        goto out;
    if (d.state != PETITION_AWAITING_MEMBER || !d.member_asked_at ||
        d.member_id != member->member_id) {
        r = d.member_id == member->member_id || d.state != PETITION_AWAITING_MEMBER
                ? flow_conflict(e, "flow.not_asked")
                : err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "asked of another Member");
        goto out;
    }
    if ((r = flow_audit(f, member, accept ? "draft.authorize" : "draft.decline", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), NULL, NULL, now, e)))
        goto out;
    if (!accept) {
        r = member_refused(f, a, &d, false, now, e);
        goto out;
    }
    struct member m;
    if ((r = OPS(f)->member_request_answer(f->store, d.id, now, "accepted", e)) ||
        (r = OPS(f)->member_get(f->store, a, d.member_id, NULL, &m, e)))
        goto out;
    d.authorizing_member_id = d.member_id;
    d.member_asked_at = 0;
    if ((r = set_state(f, &d, PETITION_UNDER_REVIEW, member->id, NULL, now, e)))
        goto out;
    json_t *vars = json_object();
    json_object_set_new(vars, "member", json_string(member_name(a, &m)));
    if (!(r = flow_mail_petitioner(f, a, &d, "authorized", vars, now, e)))
        r = flow_mail_first_supporters(f, a, &d, "authorized-supporter", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, r, e);
}

/* ---- the Clerk's review ---------------------------------------------------------------- */

static int
load_review(const struct flow *f, struct arena *a, const struct user *clerk, int64_t id,
            struct draft_record *d, struct err *e)
{
    int r;
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = OPS(f)->draft_get(f->store, a, id, d, e)))
        return r;
    if (d->state != PETITION_UNDER_REVIEW)
        return flow_conflict(e, "flow.not_under_review");
    return 0;
}

/* A keyword slug from its English name: lower-case ASCII letters and
 * digits, anything else one '-'. */
static const char *
slugify(struct arena *a, const char *name)
{
    struct strbuf sb;
    sb_init(&sb, a);
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && sb.len)
                sb_addch(&sb, '-');
            sb_addch(&sb, (char)c);
            dash = false;
        } else {
            dash = true;
        }
    }
    return sb.buf;
}

/* Lines "English | français" become keywords (created when new); their
 * slugs are appended to c. */
static int
add_new_keywords(const struct flow *f, struct arena *a, const char *lines,
                 struct draft_clerk *c, struct field_errors *fe, struct err *e)
{
    const char *p = lines;
    int r = 0;
    while (p && *p && !r) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = arena_strndup(a, p, len);
        p = nl ? nl + 1 : NULL;
        char *bar = strchr(line, '|');
        if (!*line || strspn(line, " \t") == strlen(line))
            continue;
        if (!bar) {
            field_error(fe, "new_keywords", "review.keyword_format");
            return 0;
        }
        *bar = '\0';
        char *en = line, *fr = bar + 1;
        while (*en == ' ')
            en++;
        while (*fr == ' ')
            fr++;
        for (char *q = en + strlen(en); q > en && q[-1] == ' ';)
            *--q = '\0';
        for (char *q = fr + strlen(fr); q > fr && q[-1] == ' ';)
            *--q = '\0';
        const char *slug = slugify(a, en);
        if (!*en || !*fr || !*slug || strlen(en) > 80 || strlen(fr) > 80) {
            field_error(fe, "new_keywords", "review.keyword_format");
            return 0;
        }
        struct keyword k = {.slug = slug, .name = {en, fr}};
        if ((r = OPS(f)->keyword_put(f->store, &k, e)))
            return r;
        if (c->keyword_count < 32)
            c->keywords[c->keyword_count++] = slug;
    }
    return r;
}

int
flow_review_save(const struct flow *f, struct arena *a, const struct user *clerk,
                 int64_t draft_id, const struct draft_clerk_input *in,
                 struct field_errors *fe, int64_t now, struct err *e)
{
    struct draft_record d;
    struct draft_text t;
    struct draft_clerk c;
    int r;

    for (int i = 0; i < in->tr_count; i++)
        check_text(fe, draft_grievance_field(i), in->tr_grievances[i], DRAFT_TEXT_MAX, false);
    check_text(fe, "tr_prayer", in->tr_prayer, DRAFT_TEXT_MAX, false);
    check_text(fe, "new_keywords", in->new_keywords, 2000, false);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_review(f, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(f, clerk, "draft.translate", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), NULL, NULL, now, e)))
        goto out;
    draft_json_read(d.content, a, &t, &c);
    memset(&c, 0, sizeof(c));
    c.tr_count = in->tr_count;
    for (int i = 0; i < in->tr_count && i < DRAFT_GRIEVANCES_MAX; i++)
        c.tr_grievances[i] = in->tr_grievances[i];
    c.tr_prayer = in->tr_prayer;
    if (in->subject_code && *in->subject_code) {
        struct subject sub;
        struct err e2 = ERR_INIT;
        if (OPS(f)->subject_get(f->store, a, in->subject_code, &sub, &e2))
            field_error(fe, "subject", "review.subject");
        else
            c.subject_code = in->subject_code;
    }
    for (int i = 0; i < in->keyword_count && c.keyword_count < 32; i++) {
        struct keyword k;
        struct err e2 = ERR_INIT;
        if (OPS(f)->keyword_get(f->store, a, in->keywords[i], &k, &e2) == 0)
            c.keywords[c.keyword_count++] = k.slug;
    }
    if ((r = add_new_keywords(f, a, in->new_keywords, &c, fe, e)))
        goto out;
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    d.content = draft_json_write(&t, &c, a);
    r = OPS(f)->draft_update(f->store, &d, now, e);
out:
    return flow_finish(f, r, e);
}

static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

int
flow_review_approve(const struct flow *f, struct arena *a, const struct user *clerk,
                    int64_t draft_id, long *e_number, struct field_errors *fe, int64_t now,
                    struct err *e)
{
    struct draft_record d;
    struct draft_text t;
    struct draft_clerk c;
    struct user petitioner;
    struct member authorizing;
    int r;

    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_review(f, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(f, clerk, "draft.approve", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), NULL, NULL, now, e)))
        goto out;
    draft_json_read(d.content, a, &t, &c);
    /* Both languages for every clause and the prayer (rulebook 11.4). */
    int filled = 0;
    for (int i = 0; i < t.grievance_count; i++)
        filled += nonempty(t.grievances[i]) != NULL;
    int k = 0;
    for (int i = 0; i < t.grievance_count; i++) {
        if (!nonempty(t.grievances[i]))
            continue;
        if (k >= c.tr_count || !nonempty(c.tr_grievances[k]))
            field_error(fe, draft_grievance_field(k), "review.translation");
        k++;
    }
    if (!nonempty(c.tr_prayer))
        field_error(fe, "tr_prayer", "review.translation");
    if (!nonempty(c.subject_code))
        field_error(fe, "subject", "review.subject");
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    int parliament, session;
    long number;
    if ((r = OPS(f)->session_current(f->store, &parliament, &session, e)) ||
        (r = OPS(f)->petition_next_e_number(f->store, &number, e)) ||
        (r = OPS(f)->user_get(f->store, a, d.petitioner_id, NULL, &petitioner, e)) ||
        (r = OPS(f)->member_get(f->store, a, d.authorizing_member_id, NULL, &authorizing, e)))
        goto out;

    enum lang orig = t.lang, other = lang_other(t.lang);
    struct petition p = {
        .kind = PETITION_ELECTRONIC,
        .e_number = number,
        .state = PETITION_OPEN,
        .state_changed_at = now,
        .parliament = parliament,
        .session = session,
        .original_language = orig,
        .addressee = t.addressee,
        .petitioner_name = flow_full_name(a, petitioner.first_name, petitioner.last_name),
        .petitioner_city = petitioner.city,
        .petitioner_province = REGION_OUTSIDE,
        .has_authorizing_member = true,
        .authorizing_member = authorizing,
        .signature_period_days = t.period_days,
        .created_at = d.created_at,
        .opened_at = now,
        .closes_at = now + (int64_t)t.period_days * DAY_SECONDS,
        .rules_fixed = true,
        .certify_threshold = f->rules->signatures_to_certify,
        .grace_hours = f->rules->confirm_grace_hours,
    };
    if (petitioner.province)
        region_from_code(petitioner.province, strlen(petitioner.province),
                         &p.petitioner_province);
    p.subject.code = c.subject_code;
    p.addressee_ministry.code = t.ministry_code;
    p.addressee_member.key = t.addressee_member_key;
    p.prayer[orig] = t.prayer;
    p.prayer[other] = c.tr_prayer;
    p.grievances = arena_alloc(a, sizeof(struct grievance) * (size_t)(filled ? filled : 1));
    k = 0;
    for (int i = 0; i < t.grievance_count; i++) {
        if (!nonempty(t.grievances[i]))
            continue;
        p.grievances[k].text[orig] = t.grievances[i];
        p.grievances[k].text[other] = c.tr_grievances[k];
        k++;
    }
    p.grievance_count = k;
    p.keywords = arena_alloc(a, sizeof(struct keyword) * (size_t)(c.keyword_count + 1));
    for (int i = 0; i < c.keyword_count; i++)
        p.keywords[i].slug = c.keywords[i];
    p.keyword_count = c.keyword_count;
    if ((r = OPS(f)->petition_insert(f->store, &p, e)))
        goto out;
    d.petition_id = p.id;
    if ((r = set_state(f, &d, PETITION_OPEN, clerk->id, NULL, now, e)))
        goto out;
    d.e_number = number;
    *e_number = number;

    struct strbuf num;
    sb_init(&num, a);
    e_number_format(&num, number);
    json_t *vars = json_object();
    json_object_set_new(vars, "number", json_string(num.buf));
    json_object_set_new(vars, "closes", json_string(flow_date_text(a, p.closes_at, orig)));
    json_object_set_new(vars, "url_en", json_string(arena_printf(a, "%s/en/petitions/%s",
                                                                 f->mailer->base_url, num.buf)));
    json_object_set_new(vars, "url_fr", json_string(arena_printf(a, "%s/fr/petitions/%s",
                                                                 f->mailer->base_url, num.buf)));
    if (!(r = flow_mail_petitioner(f, a, &d, "published", vars, now, e)))
        r = flow_mail_first_supporters(f, a, &d, "published-supporter", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, r, e);
}

int
flow_review_return(const struct flow *f, struct arena *a, const struct user *clerk,
                   int64_t draft_id, const char *reasons, struct field_errors *fe,
                   int64_t now, struct err *e)
{
    struct draft_record d;
    int r;

    check_text(fe, "reasons", reasons, 4000, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_review(f, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(f, clerk, "draft.return", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), reasons, NULL, now, e)))
        goto out;
    d.review_reasons = reasons;
    if ((r = set_state(f, &d, PETITION_RETURNED_FOR_REVISION, clerk->id, reasons, now, e)))
        goto out;
    json_t *vars = json_object();
    json_object_set_new(vars, "reasons", json_string(reasons));
    r = flow_mail_petitioner(f, a, &d, "returned", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, r, e);
}

int
flow_review_reject(const struct flow *f, struct arena *a, const struct user *clerk,
                   int64_t draft_id, const char *code, const char *text,
                   struct field_errors *fe, int64_t now, struct err *e)
{
    struct draft_record d;
    const struct reject_reason *why = reject_reason_find(code);
    int r;

    if (!why)
        field_error(fe, "reason", "review.reason");
    check_text(fe, "reason_text", text, 4000, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_review(f, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(f, clerk, "draft.reject", 0,
                        arena_printf(a, "draft %lld", (long long)d.id),
                        arena_printf(a, "%s: %s", why->code, text), NULL, now, e)))
        goto out;
    d.reject_code = why->code;
    d.reject_text = text;
    if ((r = set_state(f, &d, PETITION_REJECTED, clerk->id, why->code, now, e)))
        goto out;
    struct user u;
    if ((r = OPS(f)->user_get(f->store, a, d.petitioner_id, NULL, &u, e)))
        goto out;
    json_t *vars = json_object();
    json_object_set_new(vars, "reason", json_string(why->label[u.lang]));
    json_object_set_new(vars, "text", json_string(text));
    json_object_set_new(vars, "hidden", json_boolean(why->hidden));
    r = flow_mail_petitioner(f, a, &d, "rejected", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, r, e);
}

int
flow_withdraw(const struct flow *f, struct arena *a, const struct user *petitioner,
              int64_t draft_id, int64_t now, struct err *e)
{
    struct draft_record d;
    int r;

    if ((r = flow_begin(f, e)))
        return r;
    if ((r = load_own(f, a, petitioner, draft_id, &d, e)))
        goto out;
    if (d.state == PETITION_OPEN) {
        struct petition p;
        struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = d.e_number};
        if ((r = OPS(f)->petition_get(f->store, a, &n, &p, e)))
            goto out;
        if (!petition_withdrawable(p.state)) {
            r = flow_conflict(e, "flow.not_withdrawable");
            goto out;
        }
        if ((r = OPS(f)->petition_set_state(f->store, p.id, PETITION_WITHDRAWN, now, e)) ||
            (r = OPS(f)->draft_event_add(f->store, d.id, now, petitioner->id,
                                         PETITION_WITHDRAWN, NULL, e)))
            goto out;
    } else {
        if (!petition_withdrawable(d.state)) {
            r = flow_conflict(e, "flow.not_withdrawable");
            goto out;
        }
        if (d.state == PETITION_AWAITING_MEMBER && d.member_asked_at &&
            (r = OPS(f)->member_request_answer(f->store, d.id, now, "withdrawn", e)))
            goto out;
        d.member_asked_at = 0;
        if ((r = set_state(f, &d, PETITION_WITHDRAWN, petitioner->id, NULL, now, e)))
            goto out;
    }
    json_t *vars = json_object();
    r = flow_mail_petitioner(f, a, &d, "withdrawn", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, r, e);
}

/* ---- deadlines ---------------------------------------------------------------------------- */

static int
apply_due(const struct flow *f, struct arena *a, int64_t id, int64_t now, bool *acted,
          struct err *e)
{
    struct draft_record d;
    int r;

    *acted = false;
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->draft_get(f->store, a, id, &d, e)))
        goto out;
    struct draft_timers t = {d.state, d.submitted_at, d.supporters_days, d.member_asked_at,
                             d.member_days};
    switch (draft_due(&t, now)) {
    case DUE_SUPPORTERS_EXPIRED: {
        *acted = true;
        if ((r = set_state(f, &d, PETITION_EXPIRED, 0, NULL, now, e)))
            goto out;
        json_t *vars = json_object();
        json_object_set_new(vars, "needed", json_integer(d.supporters_min));
        json_object_set_new(vars, "days", json_integer(d.supporters_days));
        r = flow_mail_petitioner(f, a, &d, "expired", vars, now, e);
        json_decref(vars);
        break;
    }
    case DUE_MEMBER_LAPSED:
        *acted = true;
        r = member_refused(f, a, &d, true, now, e);
        break;
    case DUE_NOTHING:
        break;
    }
out:
    return flow_finish(f, r, e);
}

int
flow_deadlines(const struct flow *f, int64_t now, int *acted, struct err *e)
{
    struct arena *a = arena_new();
    struct draft_record *list;
    struct draft_query q = {.timed = true, .limit = 500};
    int n, r;

    *acted = 0;
    r = OPS(f)->draft_list(f->store, a, &q, &list, &n, e);
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
