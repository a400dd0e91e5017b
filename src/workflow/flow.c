/*
 * flow.c: the use-case context and what every use case of src/workflow
 * shares: one transaction per use case, the audit record of a staff
 * action, the two refusals every form knows, a draft's change of state,
 * the texts of e-mails (catalogue messages, names, dates, numbers, links,
 * a petition's heading).  The use cases themselves live in files named
 * for their subject (drafts.c, draft_review.c, signing.c, house.c, ...);
 * the people their e-mails go to are found by outbox.c.  flow.h declares
 * the context for the edges; flow_internal.h the rest, for the use-case
 * files only.
 */
#include "workflow/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/numbering.h"
#include "lib/arena.h"
#include "lib/changes.h"
#include "lib/err.h"
#include "lib/json_path.h"
#include "lib/strbuf.h"
#include "lib/wake.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* ---- transactions ---------------------------------------------------------- */

int
flow_begin(const struct flow *f, struct store_txn **tx, struct err *e)
{
    return store_begin(f->store, tx, e);
}

int
flow_finish_quiet(struct store_txn *tx, int r, struct err *e)
{
    if (r) {
        store_rollback(tx);
        return r;
    }
    return store_commit(tx, e);
}

/* Commit when r is 0 (and wake the mail thread), else roll back.  The
 * change version moves last, in the same transaction, so the other nodes
 * see the change (jobs/watch.h) exactly when it is committed; on
 * PostgreSQL its row stays locked only for the commit itself. */
int
flow_finish(const struct flow *f, struct store_txn *tx, int r, struct err *e)
{
    if (!r)
        r = store_change_bump(tx, e);
    r = flow_finish_quiet(tx, r, e);
    if (!r) {
        changes_bump_data(f->changes);
        count_mirror_forget(f->counts);
        wake_signal(f->mail_wake);
    }
    return r;
}

int
flow_audit(struct store_txn *tx, const struct user *actor, const char *action, int64_t petition_id,
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
    int r = store_audit_append(tx, &a, e);
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
flow_lookup(int r, struct err *e)
{
    if (r != ERR_NOT_FOUND)
        return r;
    *e = (struct err)ERR_INIT;
    return 1;
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

int
flow_addressee_heading_in(const struct flow *f, struct store_txn *tx, struct arena *a,
                          const struct draft_text *t, enum lang lang, const char **out,
                          struct err *e)
{
    int r = 0;
    switch (t->addressee) {
    case ADDRESSEE_HOUSE_ASSEMBLED:
        *out = flow_msg(f, lang, "petition.to_house_assembled");
        return 0;
    case ADDRESSEE_GOVERNMENT:
        *out = flow_msg(f, lang, "petition.to_government");
        return 0;
    case ADDRESSEE_MINISTER: {
        struct ministry m;
        if ((r = store_ministry_get(f->store, tx, a, 0, t->ministry_code, &m, e)) == 0) {
            *out = flow_msg_with(f, a, lang, "petition.to_minister", m.title[lang]);
            return 0;
        }
        *out = flow_msg(f, lang, "petition.to_government");
        break;
    }
    case ADDRESSEE_MEMBER: {
        struct member m;
        if ((r = store_member_get(f->store, tx, a, 0, t->addressee_member_key, &m, e)) == 0) {
            *out = flow_msg_with(f, a, lang, "petition.to_member", flow_member_name(a, &m));
            return 0;
        }
        *out = flow_msg(f, lang, "petition.to_house");
        break;
    }
    default:
        *out = flow_msg(f, lang, "petition.to_house");
        return 0;
    }
    /* A Minister or Member no longer on record: the general heading.  A
     * store that failed is the caller's error, not a heading to send. */
    if (r != ERR_NOT_FOUND)
        return r;
    *e = (struct err)ERR_INIT;
    return 0;
}

const char *
flow_addressee_heading(const struct flow *f, struct arena *a, const struct draft_text *t,
                       enum lang lang)
{
    struct err e = ERR_INIT;
    const char *heading;
    /* For a page: should the store fail, it shows the general heading. */
    flow_addressee_heading_in(f, NULL, a, t, lang, &heading, &e);
    return heading;
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

void
flow_link_mac(const struct flow *f, const char *purpose, int64_t id, char out[TOKEN_MAC_CHARS + 1])
{
    char m[96];
    snprintf(m, sizeof(m), "%s|%lld", purpose, (long long)id);
    token_mac(f->link_key, m, out);
}

bool
flow_link_mac_ok(const struct flow *f, const char *purpose, int64_t id, const char *token)
{
    char want[TOKEN_MAC_CHARS + 1];
    flow_link_mac(f, purpose, id, want);
    return token && token_equal(want, token);
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

/* ---- a draft's state ---------------------------------------------------------------- */

int
flow_set_draft_state(struct store_txn *tx, struct draft_record *d, enum petition_state s,
                     int64_t user_id, const char *note, int64_t now, struct err *e)
{
    int r;
    d->state = s;
    d->state_changed_at = now;
    if ((r = store_draft_update(tx, d, now, e)))
        return r;
    return store_draft_event_add(tx, d->id, now, user_id, s, note, e);
}
