/*
 * outbox.c: e-mail queued in a use case's transaction, and the mail
 * thread's record of each; see outbox.h.
 */
#include "workflow/outbox.h"

#include "lib/arena.h"
#include "lib/err.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* Write one e-mail to the outbox in tx: rendered now, or (signature_id
 * not 0) with its text left for the mail thread to render as it sends. */
static int
queue(const struct flow *f, struct store_txn *tx, int64_t mailing_id, int64_t signature_id,
      const char *kind, enum lang lang, const char *to_addr, const char *to_name, json_t *vars,
      int64_t now, struct err *e)
{
    struct arena *a = NULL;
    struct outbox_mail mail = {
        .created_at = now,
        .kind = kind,
        .to_addr = to_addr,
        .to_name = to_name,
        .lang = lang,
        .subject = "",
        .body = "",
        .mailing_id = mailing_id,
        .signature_id = signature_id,
    };
    int r = 0;
    if (!signature_id) {
        a = arena_new();
        r = mail_render(f->mailer, a, kind, lang, vars, &mail.subject, &mail.body, e);
    }
    if (!r)
        r = store_outbox_insert(tx, &mail, e);
    arena_free(a);
    return r;
}

int
outbox_queue(const struct flow *f, struct store_txn *tx, const char *kind, enum lang lang,
             const char *to_addr, const char *to_name, json_t *vars, int64_t now, struct err *e)
{
    return queue(f, tx, 0, 0, kind, lang, to_addr, to_name, vars, now, e);
}

int
outbox_queue_mailing(const struct flow *f, struct store_txn *tx, int64_t mailing_id,
                     const char *kind, enum lang lang, const char *to_addr, const char *to_name,
                     json_t *vars, int64_t now, struct err *e)
{
    return queue(f, tx, mailing_id, 0, kind, lang, to_addr, to_name, vars, now, e);
}

int
outbox_queue_later(const struct flow *f, struct store_txn *tx, const char *kind, enum lang lang,
                   const char *to_addr, const char *to_name, int64_t signature_id, int64_t now,
                   struct err *e)
{
    return queue(f, tx, 0, signature_id, kind, lang, to_addr, to_name, NULL, now, e);
}

int
outbox_queue_later_many(const struct flow *f, struct store_txn *tx, struct outbox_mail *m, int n,
                        struct err *e)
{
    (void)f;
    for (int i = 0; i < n; i++) {
        m[i].subject = "";
        m[i].body = "";
        m[i].mailing_id = 0;
    }
    return store_outbox_insert_many(tx, m, n, e);
}

/* ---- the people a petition's news goes to ---------------------------------------- */

int
outbox_queue_petitioner(const struct flow *f, struct store_txn *tx, struct arena *a,
                        const struct draft_record *d, const char *kind, json_t *vars, int64_t now,
                        struct err *e)
{
    struct user u;
    int r = store_user_get(f->store, tx, a, d->petitioner_id, NULL, &u, e);
    if (r)
        return r;
    json_object_set_new(vars, "name", json_string(flow_full_name(a, u.first_name, u.last_name)));
    json_object_set_new(
        vars, "account_url",
        json_string(arena_printf(a, "%s/%s/account", f->mailer->base_url, lang_code(u.lang))));
    return outbox_queue(f, tx, kind, u.lang, u.email, flow_full_name(a, u.first_name, u.last_name),
                        vars, now, e);
}

/* The supporters who confirmed first in the current round (rulebook 2.4:
 * "first five to confirm only"). */
int
outbox_queue_first_supporters(const struct flow *f, struct store_txn *tx, struct arena *a,
                              const struct draft_record *d, const char *kind, json_t *vars,
                              int64_t now, struct err *e)
{
    struct supporter_record *list;
    int n, r = store_supporter_list(f->store, tx, a, d->id, &list, &n, e);
    for (int i = 0; i < n && !r; i++) {
        const struct supporter_record *s = &list[i];
        if (s->confirmed_round != d->round || s->confirm_order > d->supporters_min)
            continue;
        const char *name = flow_full_name(a, s->first_name, s->last_name);
        json_object_set_new(vars, "name", json_string(name));
        r = outbox_queue(f, tx, kind, s->lang, s->email, name, vars, now, e);
    }
    return r;
}

/* Every account of a Member. */
int
outbox_queue_member(const struct flow *f, struct store_txn *tx, struct arena *a, int64_t member_id,
                    const char *kind, json_t *vars, int64_t now, struct err *e)
{
    struct user *users;
    int n, r = store_user_by_member(f->store, tx, a, member_id, &users, &n, e);
    for (int i = 0; i < n && !r; i++) {
        const char *name = flow_full_name(a, users[i].first_name, users[i].last_name);
        json_object_set_new(vars, "name", json_string(name));
        json_object_set_new(vars, "workspace_url",
                            json_string(arena_printf(a, "%s/%s/member", f->mailer->base_url,
                                                     lang_code(users[i].lang))));
        r = outbox_queue(f, tx, kind, users[i].lang, users[i].email, name, vars, now, e);
    }
    return r;
}

/* The mail thread's records are its own bookkeeping: no page shows them
 * and nobody waits for them, so they commit quietly (flow_finish() would
 * tell cached pages the data changed and wake the mail thread itself). */

int
outbox_delivered(const struct flow *f, int64_t id, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_outbox_sent(tx, id, now, e);
    return flow_finish_quiet(tx, r, e);
}

int
outbox_failed(const struct flow *f, int64_t id, int64_t next_try_at, const char *why, struct err *e)
{
    struct store_txn *tx = NULL;
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_outbox_retry(tx, id, next_try_at, why, e);
    return flow_finish_quiet(tx, r, e);
}
