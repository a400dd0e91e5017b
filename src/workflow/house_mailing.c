/*
 * house_mailing.c: mailings to many: the e-mail that goes to everyone
 * concerned by a petition (its petitioner, supporters and signatories,
 * who may be a hundred thousand), or by dissolution, listed and queued
 * into the outbox a batch per transaction, resumably; see
 * house_mailing.h.
 */
#include "workflow/house_mailing.h"

#include <string.h>

#include "core/email.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* Begin the source after after_id: list its petitioner and supporters,
 * or mark the mailing collected when there is none. */
static int
enter_source(const struct flow *f, struct arena *a, const struct mailing *m, int64_t after_id,
             int64_t now, struct err *e)
{
    struct mailing_source src;
    int r = OPS(f)->mailing_source_next(f->store, a, m->id, after_id, &src, e);
    if (r == ERR_NOT_FOUND)
        return OPS(f)->mailing_cursor(f->store, m->id, after_id, 0, now, e);
    if (r)
        return r;
    if (src.draft_id) {
        struct draft_record d;
        struct user u;
        char key[EMAIL_MAX + 1];
        if ((r = OPS(f)->draft_get(f->store, a, src.draft_id, &d, e)) ||
            (r = OPS(f)->user_get(f->store, a, d.petitioner_id, NULL, &u, e)))
            return r;
        if (email_key(u.email, strlen(u.email), key) == 0) {
            struct mailing_recipient rc = {.email_key = key,
                                           .email = u.email,
                                           .name = flow_full_name(a, u.first_name, u.last_name),
                                           .lang = u.lang,
                                           .labels = src.label};
            if ((r = OPS(f)->mailing_recipient_add(f->store, m->id, &rc, e)))
                return r;
        }
        if ((r = OPS(f)->mailing_add_supporters(f->store, m->id, src.draft_id, src.label, e)))
            return r;
    }
    return OPS(f)->mailing_cursor(f->store, m->id, src.id, 0, 0, e);
}

/* List the next chunk of recipients of m: the people of the source being
 * listed (collect_source), its signatories in id order after
 * collect_after, then the next source. */
static int
collect(const struct flow *f, struct arena *a, const struct mailing *m, int batch, int *did,
        int64_t now, struct err *e)
{
    struct mailing_source src;
    int64_t last;
    int n = 0, r;

    *did = 1;
    if (m->collect_source == 0)
        return enter_source(f, a, m, 0, now, e);
    /* The source being listed: the first of this mailing from its id on. */
    if ((r = OPS(f)->mailing_source_next(f->store, a, m->id, m->collect_source - 1, &src, e)))
        return r;
    if (src.petition_id &&
        (r = OPS(f)->mailing_add_signatures(f->store, m->id, src.petition_id, src.label,
                                            m->collect_after, batch, &last, &n, e)))
        return r;
    if (n > 0)
        *did = n;
    if (n < batch)
        return enter_source(f, a, m, src.id, now, e);
    return OPS(f)->mailing_cursor(f->store, m->id, src.id, last, 0, e);
}

/* Copy the next batch of recipients into the outbox. */
static int
queue_batch(const struct flow *f, struct arena *a, const struct mailing *m, int batch, int *did,
            int64_t now, struct err *e)
{
    struct mailing_recipient *list;
    int n, r = OPS(f)->mailing_batch(f->store, a, m->id, batch, &list, &n, e);
    if (r)
        return r;
    if (n == 0) {
        *did = 1;
        return OPS(f)->mailing_done(f->store, m->id, now, e);
    }
    json_error_t jerr;
    json_t *vars = json_loads(m->vars, 0, &jerr);
    if (!vars)
        vars = json_object();
    for (int i = 0; i < n && !r; i++) {
        json_object_set_new(vars, "name", json_string(list[i].name));
        json_object_set_new(vars, "petitions", json_string(list[i].labels));
        r = mail_queue_mailing(f->mailer, m->id, m->kind, list[i].lang, list[i].email, list[i].name,
                               vars, now, e);
        if (!r)
            r = OPS(f)->mailing_queued(f->store, m->id, list[i].email_key, now, e);
    }
    json_decref(vars);
    *did = n;
    return r;
}

int
house_mailing_step(const struct flow *f, int batch, int *did, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct arena *a = arena_new();
    struct mailing m;
    int r;

    *did = 0;
    if ((r = flow_begin(f, &tx, e)))
        goto done;
    r = OPS(f)->mailing_open(f->store, a, &m, e);
    if (r == ERR_NOT_FOUND) {
        /* Nothing to do: no commit, which would wake the mail thread (this
         * one) again and tell cached pages the data changed. */
        store_rollback(tx);
        r = 0;
        goto done;
    }
    if (!r)
        r = m.collected_at ? queue_batch(f, a, &m, batch, did, now, e)
                           : collect(f, a, &m, batch, did, now, e);
    r = flow_finish(f, tx, r, e);
done:
    arena_free(a);
    return r;
}
