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
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* Begin the source after after_id: list its petitioner and supporters,
 * or mark the mailing collected when there is none. */
static int
enter_source(const struct flow *f, struct store_txn *tx, struct arena *a, const struct mailing *m,
             int64_t after_id, int64_t now, struct err *e)
{
    struct mailing_source src;
    int r = store_mailing_source_next(f->store, tx, a, m->id, after_id, &src, e);
    if (r == ERR_NOT_FOUND)
        return store_mailing_cursor(tx, m->id, after_id, 0, now, e);
    if (r)
        return r;
    if (src.draft_id) {
        struct draft_record d;
        struct user u;
        char key[EMAIL_MAX + 1];
        if ((r = store_draft_get(f->store, tx, a, src.draft_id, &d, e)) ||
            (r = store_user_get(f->store, tx, a, d.petitioner_id, NULL, &u, e)))
            return r;
        if (email_key(u.email, strlen(u.email), key) == 0) {
            struct mailing_recipient rc = {.email_key = key,
                                           .email = u.email,
                                           .name = flow_full_name(a, u.first_name, u.last_name),
                                           .lang = u.lang,
                                           .labels = src.label};
            if ((r = store_mailing_recipient_add(tx, m->id, &rc, e)))
                return r;
        }
        if ((r = store_mailing_add_supporters(tx, m->id, src.draft_id, src.label, e)))
            return r;
    }
    return store_mailing_cursor(tx, m->id, src.id, 0, 0, e);
}

/* List the next chunk of recipients of m: the people of the source being
 * listed (collect_source), its signatories in id order after
 * collect_after, then the next source. */
static int
collect(const struct flow *f, struct store_txn *tx, struct arena *a, const struct mailing *m,
        int batch, int *did, int64_t now, struct err *e)
{
    struct mailing_source src;
    int64_t last;
    int n = 0, r;

    *did = 1;
    if (m->collect_source == 0)
        return enter_source(f, tx, a, m, 0, now, e);
    /* The source being listed: the first of this mailing from its id on. */
    if ((r = store_mailing_source_next(f->store, tx, a, m->id, m->collect_source - 1, &src, e)))
        return r;
    if (src.petition_id &&
        (r = store_mailing_add_signatures(tx, m->id, src.petition_id, src.label, m->collect_after,
                                          batch, &last, &n, e)))
        return r;
    if (n > 0)
        *did = n;
    if (n < batch)
        return enter_source(f, tx, a, m, src.id, now, e);
    return store_mailing_cursor(tx, m->id, src.id, last, 0, e);
}

/* Copy the next batch of recipients into the outbox. */
static int
queue_batch(const struct flow *f, struct store_txn *tx, struct arena *a, const struct mailing *m,
            int batch, int *did, int64_t now, struct err *e)
{
    struct mailing_recipient *list;
    int n, r = store_mailing_batch(f->store, tx, a, m->id, batch, &list, &n, e);
    if (r)
        return r;
    if (n == 0) {
        *did = 1;
        return store_mailing_done(tx, m->id, now, e);
    }
    json_error_t jerr;
    json_t *vars = json_loads(m->vars, 0, &jerr);
    if (!vars)
        vars = json_object();
    for (int i = 0; i < n && !r; i++) {
        /* Listed for a signature: the link that stops this mail. */
        const char *stop =
            list[i].signature_id ? mail_stop_url(f, a, list[i].lang, list[i].signature_id) : NULL;
        json_object_set_new(vars, "name", json_string(list[i].name));
        json_object_set_new(vars, "petitions", json_string(list[i].labels));
        json_object_set_new(vars, "stop_url", stop ? json_string(stop) : json_null());
        r = outbox_queue_mailing(f, tx, m->id, m->kind, list[i].lang, list[i].email, list[i].name,
                                 vars, stop, now, e);
        if (!r)
            r = store_mailing_queued(tx, m->id, list[i].email_key, now, e);
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
    r = store_mailing_open(f->store, tx, a, &m, e);
    if (r == ERR_NOT_FOUND) {
        /* Nothing to do: no commit, which would wake the mail thread (this
         * one) again and tell cached pages the data changed. */
        store_rollback(tx);
        r = 0;
        goto done;
    }
    if (!r)
        r = m.collected_at ? queue_batch(f, tx, a, &m, batch, did, now, e)
                           : collect(f, tx, a, &m, batch, did, now, e);
    r = flow_finish(f, tx, r, e);
done:
    arena_free(a);
    return r;
}

/* ---- stopping mail about a petition ------------------------------------------------------- */

void
mail_stop_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1])
{
    flow_link_mac(f, "stop", signature_id, out);
}

const char *
mail_stop_url(const struct flow *f, struct arena *a, enum lang lang, int64_t signature_id)
{
    char t[TOKEN_MAC_CHARS + 1];
    mail_stop_token(f, signature_id, t);
    return arena_printf(a, "%s/%s/stop/%lld/%s", f->mailer->base_url, lang_code(lang),
                        (long long)signature_id, t);
}

bool
mail_stop_token_ok(const struct flow *f, int64_t signature_id, const char *token)
{
    return flow_link_mac_ok(f, "stop", signature_id, token);
}

int
mail_stop(const struct flow *f, int64_t signature_id, const char *token, long *e_number,
          int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition_brief b;
    int64_t petition_id = 0;
    int r;

    *e_number = 0;
    if (!mail_stop_token_ok(f, signature_id, token))
        return err_set(e, ERR_NOT_FOUND, "stop.link_bad", NULL, "bad stop link");
    if ((r = flow_begin(f, &tx, e)))
        return r;
    r = store_mail_stop(tx, signature_id, now, &petition_id, e);
    struct err ignored = ERR_INIT;
    if (!r && petition_id && store_petition_brief(f->store, tx, petition_id, 0, &b, &ignored) == 0)
        *e_number = b.e_number;
    return flow_finish(f, tx, r, e);
}
