/*
 * sign_pause.c: an administrator's pause of signing and its end; see
 * sign_pause.h.
 */
#include "workflow/sign_pause.h"

#include <jansson.h>
#include <stdio.h>

#include "core/account.h"
#include "core/petition.h"
#include "core/petition_state.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* The petition e_number names, in tx, for a pause: its id and the
 * audit record's target ("e-6512"); the whole site (0, "site") when
 * e_number is 0. */
static int
pause_scope(const struct flow *f, struct store_txn *tx, long e_number, int64_t *id, char target[32],
            struct err *e)
{
    struct petition_brief b;
    *id = 0;
    snprintf(target, 32, "site");
    if (!e_number)
        return 0;
    int r = store_petition_brief(f->store, tx, 0, e_number, &b, e);
    if (r == ERR_NOT_FOUND ||
        (!r && (b.kind != PETITION_ELECTRONIC || !petition_state_is_public(b.state))))
        return err_set(e, ERR_NOT_FOUND, "pause.number_bad", "number", "no e-%ld", e_number);
    if (r)
        return r;
    *id = b.id;
    snprintf(target, 32, "e-%ld", e_number);
    return 0;
}

int
sign_pause(const struct flow *f, const struct user *admin, long e_number, const char *reason,
           struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    char target[32];
    int r;

    if (admin->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not an admin");
    check_text(fe, "reason", reason, SIGN_PAUSE_REASON_MAX, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    struct signing_pause p = {.paused_at = now, .paused_by = admin->id, .reason = reason};
    if ((r = pause_scope(f, tx, e_number, &p.petition_id, target, e)))
        goto out;
    if ((r = flow_audit(tx, admin, "signing.pause", p.petition_id, target, reason, NULL, now, e)))
        goto out;
    r = store_signing_pause_insert(tx, &p, e);
    if (r == ERR_CONFLICT)
        r = flow_conflict(e, "pause.already");
out:
    return flow_finish(f, tx, r, e);
}

int
sign_resume(const struct flow *f, const struct user *admin, long e_number, int64_t now,
            struct err *e)
{
    struct store_txn *tx = NULL;
    char target[32];
    int64_t id;
    int r;

    if (admin->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not an admin");
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = pause_scope(f, tx, e_number, &id, target, e)))
        goto out;
    if ((r = flow_audit(tx, admin, "signing.resume", id, target, NULL, NULL, now, e)))
        goto out;
    r = store_signing_pause_delete(tx, id, e);
    if (r == ERR_NOT_FOUND)
        r = err_set(e, ERR_NOT_FOUND, "pause.none_there", NULL, "no pause of %s", target);
out:
    return flow_finish(f, tx, r, e);
}
