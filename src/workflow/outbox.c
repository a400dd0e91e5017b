/*
 * outbox.c: e-mail queued in a use case's transaction, the mail thread's
 * record of each, and the outbox watch; see outbox.h.
 */
#include "workflow/outbox.h"

#include <pthread.h>
#include <stdlib.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* Write one e-mail to the outbox in tx: rendered now, or (signature_id
 * not 0) with its text left for the mail thread to render as it sends. */
static int
queue_text(const struct flow *f, struct store_txn *tx, int64_t mailing_id, int64_t signature_id,
           const char *kind, const char *text, enum lang lang, const char *to_addr,
           const char *to_name, json_t *vars, const char *unsubscribe, int64_t now, struct err *e)
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
        .unsubscribe = unsubscribe,
    };
    int r = 0;
    if (!signature_id) {
        a = arena_new();
        r = mail_render(f->mailer, a, text, lang, vars, &mail.subject, &mail.body, e);
    }
    if (!r)
        r = store_outbox_insert(tx, &mail, e);
    arena_free(a);
    return r;
}

/* queue_text() of the template named as the e-mail. */
static int
queue(const struct flow *f, struct store_txn *tx, int64_t mailing_id, int64_t signature_id,
      const char *kind, enum lang lang, const char *to_addr, const char *to_name, json_t *vars,
      const char *unsubscribe, int64_t now, struct err *e)
{
    return queue_text(f, tx, mailing_id, signature_id, kind, kind, lang, to_addr, to_name, vars,
                      unsubscribe, now, e);
}

int
outbox_queue(const struct flow *f, struct store_txn *tx, const char *kind, enum lang lang,
             const char *to_addr, const char *to_name, json_t *vars, int64_t now, struct err *e)
{
    return queue(f, tx, 0, 0, kind, lang, to_addr, to_name, vars, NULL, now, e);
}

int
outbox_queue_text(const struct flow *f, struct store_txn *tx, const char *kind, const char *text,
                  enum lang lang, const char *to_addr, const char *to_name, json_t *vars,
                  int64_t now, struct err *e)
{
    return queue_text(f, tx, 0, 0, kind, text, lang, to_addr, to_name, vars, NULL, now, e);
}

int
outbox_queue_mailing(const struct flow *f, struct store_txn *tx, int64_t mailing_id,
                     const char *kind, enum lang lang, const char *to_addr, const char *to_name,
                     json_t *vars, const char *unsubscribe, int64_t now, struct err *e)
{
    return queue(f, tx, mailing_id, 0, kind, lang, to_addr, to_name, vars, unsubscribe, now, e);
}

int
outbox_queue_later(const struct flow *f, struct store_txn *tx, const char *kind, enum lang lang,
                   const char *to_addr, const char *to_name, int64_t signature_id, int64_t now,
                   struct err *e)
{
    return queue(f, tx, 0, signature_id, kind, lang, to_addr, to_name, NULL, NULL, now, e);
}

int
outbox_queue_later_many(struct store_txn *tx, struct outbox_mail *m, int n, struct err *e)
{
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
outbox_claim(const struct flow *f, struct arena *a, int64_t now, int claim_seconds, int limit,
             struct outbox_mail **out, int *n, struct err *e)
{
    struct store_txn *tx = NULL;
    struct outbox_mail *due;
    *out = NULL;
    *n = 0;
    /* Nothing due, no write transaction: the mail thread asks after every
     * commit that may have queued mail. */
    int r = store_outbox_due(f->store, NULL, a, now, 1, &due, n, e);
    if (r || *n == 0)
        return r;
    *n = 0;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    r = store_outbox_claim(tx, a, now, now + claim_seconds, limit, out, n, e);
    if ((r = flow_finish_quiet(tx, r, e))) {
        *out = NULL;
        *n = 0;
    }
    return r;
}

int
outbox_delivered(const struct flow *f, int64_t id, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_outbox_sent(tx, id, now, e);
    if ((r = flow_finish_quiet(tx, r, e)) == 0)
        outbox_watch_delivered(f->mail_watch);
    return r;
}

int
outbox_dropped(const struct flow *f, int64_t id, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_outbox_sent(tx, id, now, e);
    return flow_finish_quiet(tx, r, e);
}

int
outbox_failed(const struct flow *f, int64_t id, const struct outbox_failure *why, bool permanent,
              struct err *e)
{
    struct store_txn *tx = NULL;
    /* The watch notes the failure even should the record fail: the
     * attempt failed all the same. */
    outbox_watch_failed(f->mail_watch, why->at, permanent);
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    r = store_outbox_failed(tx, id, why, e);
    return flow_finish_quiet(tx, r, e);
}

/* ---- how delivery is going ---------------------------------------------------------- */

struct outbox_watch {
    pthread_mutex_t mu;
    int64_t first_failure; /* the first failed attempt since the last delivery; 0 = none */
    int temporary;         /* failed attempts since then that were no refusal */
    int refused;           /* permanent refusals since then */
};

struct outbox_watch *
outbox_watch_new(void)
{
    struct outbox_watch *w = calloc(1, sizeof(*w));
    if (!w)
        die_oom();
    pthread_mutex_init(&w->mu, NULL);
    return w;
}

void
outbox_watch_free(struct outbox_watch *w)
{
    if (!w)
        return;
    pthread_mutex_destroy(&w->mu);
    free(w);
}

void
outbox_watch_delivered(struct outbox_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->first_failure = 0;
    w->temporary = 0;
    w->refused = 0;
    pthread_mutex_unlock(&w->mu);
}

void
outbox_watch_failed(struct outbox_watch *w, int64_t now, bool permanent)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    if (w->first_failure == 0 || now < w->first_failure)
        w->first_failure = now;
    if (permanent)
        w->refused++;
    else
        w->temporary++;
    pthread_mutex_unlock(&w->mu);
}

bool
outbox_watch_delayed(struct outbox_watch *w, int64_t now)
{
    if (!w)
        return false;
    pthread_mutex_lock(&w->mu);
    bool delayed = w->first_failure != 0 && now - w->first_failure >= OUTBOX_DELAY_SECONDS &&
                   (w->temporary > 0 || w->refused >= OUTBOX_DELAY_REFUSALS);
    pthread_mutex_unlock(&w->mu);
    return delayed;
}

bool
outbox_delayed(const struct flow *f, int64_t now)
{
    return outbox_watch_delayed(f->mail_watch, now);
}

int
outbox_status(const struct flow *f, struct arena *a, int64_t now, struct outbox_status *out,
              struct err *e)
{
    int r;
    out->delayed = outbox_delayed(f, now);
    out->failures = NULL;
    out->nfailures = 0;
    if ((r = store_outbox_health(f->store, NULL, now - 3600, &out->health, e)))
        return r;
    if (a)
        r = store_outbox_failures(f->store, NULL, a, OUTBOX_FAILURES_LISTED, &out->failures,
                                  &out->nfailures, e);
    return r;
}
