/*
 * sign_closing.c: the end of a petition's signing: its closing timers
 * (closing, the grace for late confirmations, then the certification
 * queue or NOT_CERTIFIED) and the Clerk's decision in the queue; see
 * sign_closing.h.
 */
#include "workflow/sign_closing.h"

#include "core/account.h"
#include "core/house.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

/* ---- the rules a petition runs under ------------------------------------------------ */

struct closing_timers
sign_timers(const struct flow *f, const struct petition_brief *b, int64_t suspect_confirmed)
{
    return (struct closing_timers){
        .state = b->state,
        .closes_at = b->closes_at,
        .grace_hours = petition_grace_hours(b->grace_hours, f->rules),
        .queued_at = b->queued_at,
        .total = b->total,
        .suspect_confirmed = suspect_confirmed,
        .threshold = petition_threshold(b->certify_threshold, f->rules),
    };
}

/* ---- closing and certification -------------------------------------------------------------- */

/* The petitioner of a published petition, by its draft (none for imported records). */
static int
mail_petitioner_of(const struct flow *f, struct store_txn *tx, struct arena *a,
                   const struct petition_brief *b, const char *kind, json_t *vars, int64_t now,
                   struct err *e)
{
    struct draft_record d;
    if (!b->draft_id)
        return 0;
    int r = store_draft_get(f->store, tx, a, b->draft_id, &d, e);
    return r ? r : outbox_queue_petitioner(f, tx, a, &d, kind, vars, now, e);
}

static json_t *
closing_vars(const struct flow *f, struct arena *a, const struct petition_brief *b)
{
    json_t *vars = json_object();
    const char *num = flow_number_text(a, b->e_number);
    json_object_set_new(vars, "number", json_string(num));
    json_object_set_new(vars, "total", json_integer(b->total));
    json_object_set_new(vars, "threshold",
                        json_integer(petition_threshold(b->certify_threshold, f->rules)));
    json_object_set_new(vars, "url_en", json_string(flow_petition_url(f, a, LANG_EN, b->e_number)));
    json_object_set_new(vars, "url_fr", json_string(flow_petition_url(f, a, LANG_FR, b->e_number)));
    return vars;
}

static int
not_certified(const struct flow *f, struct store_txn *tx, struct arena *a,
              const struct petition_brief *b, int64_t now, struct err *e)
{
    int r = store_petition_set_state(tx, b->id, PETITION_NOT_CERTIFIED, now, e);
    if (r)
        return r;
    json_t *vars = closing_vars(f, a, b);
    r = mail_petitioner_of(f, tx, a, b, "not-certified", vars, now, e);
    json_decref(vars);
    return r;
}

/* One petition's due timer, in its own transaction; *acted when it changed. */
static int
apply_closing(const struct flow *f, struct arena *a, int64_t id, int64_t now, bool *acted,
              struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition_brief b;
    struct signature_stats st = {0};
    int r;

    *acted = false;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_petition_brief(f->store, tx, id, 0, &b, e)))
        goto out;
    if (b.state == PETITION_WAITING_FOR_CERTIFICATION &&
        (r = store_signature_stats(f->store, tx, id, &st, e)))
        goto out;
    struct closing_timers t = sign_timers(f, &b, st.suspect_confirmed);
    switch (closing_due(&t, now)) {
    case CLOSING_CLOSE:
        *acted = true;
        r = store_petition_set_state(tx, id, PETITION_WAITING_FOR_CERTIFICATION, b.closes_at, e);
        break;
    case CLOSING_NOT_CERTIFIED:
        *acted = true;
        r = not_certified(f, tx, a, &b, now, e);
        break;
    case CLOSING_QUEUE:
        *acted = true;
        r = store_petition_set_queued(tx, id, now, e);
        break;
    case CLOSING_NOTHING:
        break;
    }
out:
    return flow_finish(f, tx, r, e);
}

int
sign_closing(const struct flow *f, int64_t now, int *acted, struct err *e)
{
    struct arena *a = arena_new();
    struct petition_brief *list;
    int n, r;

    *acted = 0;
    r = store_petition_closing(f->store, NULL, a, now, &list, &n, e);
    for (int i = 0; i < n && !r; i++) {
        /* Closing and the end of the grace may both be due after a pause. */
        for (int step = 0; step < 2 && !r; step++) {
            bool did;
            r = apply_closing(f, a, list[i].id, now, &did, e);
            *acted += did;
            if (!did)
                break;
        }
    }
    arena_free(a);
    return r;
}

/*
 * The checkpoint the certified count stands on: petition_id's log (made
 * now, with its imports, if it has none yet) records its size at
 * certification.  No entry follows certification (the count no longer
 * moves), so the signer's next checkpoint is at exactly that size and
 * attests the certified count (workflow/log_checkpoint.h).
 */
static int
certify_log(const struct flow *f, struct store_txn *tx, struct arena *a, int64_t petition_id,
            struct err *e)
{
    struct log_txn lt;
    struct log_head head;
    int r;
    if (f->log_off)
        return 0;
    log_txn_init(&lt, a);
    if ((r = log_txn_open(f, tx, &lt, petition_id, e)) || (r = log_txn_flush(tx, &lt, e)) ||
        (r = store_log_head(f->store, tx, petition_id, &head, e)))
        return r;
    return store_log_certify(tx, petition_id, head.size, e);
}

/* The Clerk's decision on a petition in the certification queue. */
/* What certifying (certify) or refusing checks, read in tx (NULL:
 * outside a transaction): 0 with the petition's brief b. */
static int
decide_check(const struct flow *f, struct store_txn *tx, const struct user *clerk,
             int64_t petition_id, bool certify, struct petition_brief *b, struct err *e)
{
    struct signature_stats st;
    int r;

    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = store_petition_brief(f->store, tx, petition_id, 0, b, e)) ||
        (r = store_signature_stats(f->store, tx, petition_id, &st, e)))
        return r;
    struct closing_timers t = sign_timers(f, b, st.suspect_confirmed);
    const char *why = certify ? certification_blocker(&t, st.suspect) : refusal_blocker(&t);
    struct house_status h;
    if (!why && certify) {
        /* Certification waits for the next session (rulebook 11.13). */
        if ((r = store_house_status(f->store, tx, &h, e)))
            return r;
        why = house_blocks_presentation(&h);
    }
    return why ? flow_conflict(e, why) : 0;
}

int
sign_decision_check(const struct flow *f, const struct user *clerk, int64_t petition_id,
                    bool certify, struct err *e)
{
    struct petition_brief b;
    return decide_check(f, NULL, clerk, petition_id, certify, &b, e);
}

static int
decide(const struct flow *f, struct arena *a, const struct user *clerk, int64_t petition_id,
       bool certify, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition_brief b;
    int r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = decide_check(f, tx, clerk, petition_id, certify, &b, e)))
        goto out;
    if ((r = flow_audit(tx, clerk, certify ? "petition.certify" : "petition.not_certified", b.id,
                        flow_number_text(a, b.e_number), NULL, NULL, now, e)))
        goto out;
    if (!certify) {
        r = not_certified(f, tx, a, &b, now, e);
        goto out;
    }
    if ((r = store_petition_set_state(tx, b.id, PETITION_CERTIFIED, now, e)) ||
        (r = store_petition_set_certified(tx, b.id, now, e)) ||
        (r = certify_log(f, tx, a, b.id, e)))
        goto out;
    const char *num = flow_number_text(a, b.e_number);
    json_t *vars = closing_vars(f, a, &b);
    json_object_set_new(vars, "certified", json_string(flow_date_text(a, now, LANG_EN)));
    json_object_set_new(vars, "certified_fr", json_string(flow_date_text(a, now, LANG_FR)));
    for (int l = 0; l < LANG_COUNT; l++)
        json_object_set_new(
            vars, l == LANG_EN ? "certificate_en" : "certificate_fr",
            json_string(arena_printf(a, "%s/%s/petitions/%s/certificate", f->mailer->base_url,
                                     lang_code((enum lang)l), num)));
    if (b.authorizing_member_id)
        r = outbox_queue_member(f, tx, a, b.authorizing_member_id, "certificate", vars, now, e);
    if (!r)
        r = mail_petitioner_of(f, tx, a, &b, "certified", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, tx, r, e);
}

int
sign_certify(const struct flow *f, struct arena *a, const struct user *clerk, int64_t petition_id,
             int64_t now, struct err *e)
{
    return decide(f, a, clerk, petition_id, true, now, e);
}

int
sign_not_certify(const struct flow *f, struct arena *a, const struct user *clerk,
                 int64_t petition_id, int64_t now, struct err *e)
{
    return decide(f, a, clerk, petition_id, false, now, e);
}
