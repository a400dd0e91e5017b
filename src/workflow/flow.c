/*
 * flow.c: the use-case context and what every use case of src/workflow
 * shares: one transaction per use case, the audit record of a staff
 * action, the two refusals every form knows, a draft's change of state,
 * the texts of e-mails (catalogue messages, names, dates, numbers, links,
 * a petition's heading) and the people they go to (a draft's petitioner,
 * its first supporters, a Member's accounts).  The use cases themselves
 * live in files named for their subject (drafts.c, draft_review.c,
 * signing.c, house.c, ...).  flow.h declares the context for the edges;
 * flow_internal.h the rest, for the use-case files only.
 */
#include "workflow/flow.h"

#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
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
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* ---- transactions ---------------------------------------------------------- */

int
flow_begin(const struct flow *f, struct store_txn **t, struct err *e)
{
    return store_begin(f->store, t, e);
}

/* Commit when r is 0 (and wake the mail thread), else roll back. */
int
flow_finish(const struct flow *f, struct store_txn *t, int r, struct err *e)
{
    if (r) {
        store_rollback(t);
        return r;
    }
    r = store_commit(t, e);
    if (!r) {
        changes_bump_data(f->changes);
        count_mirror_forget(f->counts);
        delivery_kick(f->delivery);
    }
    return r;
}

int
flow_audit(const struct flow *f, const struct user *actor, const char *action, int64_t petition_id,
           const char *target, const char *reason, json_t *details, int64_t now, struct err *e)
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

const char *
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

const char *
flow_member_name(struct arena *a, const struct member *m)
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
            return flow_msg_with(f, a, lang, "petition.to_member", flow_member_name(a, &m));
        return flow_msg(f, lang, "petition.to_house");
    }
    default:
        return flow_msg(f, lang, "petition.to_house");
    }
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

const char *
flow_number_text(struct arena *a, long e_number)
{
    struct strbuf sb;
    sb_init(&sb, a);
    e_number_format(&sb, e_number);
    return sb.buf;
}

const char *
flow_petition_url(const struct flow *f, struct arena *a, enum lang lang, long e_number)
{
    return arena_printf(a, "%s/%s/petitions/%s", f->mailer->base_url, lang_code(lang),
                        flow_number_text(a, e_number));
}

void
flow_set_dates(json_t *v, struct arena *a, const char *key, int64_t t)
{
    json_object_set_new(v, key, json_string(flow_date_text(a, t, LANG_EN)));
    json_object_set_new(v, arena_printf(a, "%s_fr", key),
                        json_string(flow_date_text(a, t, LANG_FR)));
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
    json_object_set_new(
        vars, "account_url",
        json_string(arena_printf(a, "%s/%s/account", f->mailer->base_url, lang_code(u.lang))));
    return mail_queue(f->mailer, kind, u.lang, u.email,
                      flow_full_name(a, u.first_name, u.last_name), vars, now, e);
}

/* The supporters who confirmed first in the current round (rulebook 2.4:
 * "first five to confirm only"). */
int
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

/* ---- a draft's state ---------------------------------------------------------------- */

int
flow_set_draft_state(const struct flow *f, struct draft_record *d, enum petition_state s,
                     int64_t user_id, const char *note, int64_t now, struct err *e)
{
    int r;
    d->state = s;
    d->state_changed_at = now;
    if ((r = OPS(f)->draft_update(f->store, d, now, e)))
        return r;
    return OPS(f)->draft_event_add(f->store, d->id, now, user_id, s, note, e);
}
