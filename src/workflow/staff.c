/*
 * staff.c: adding a staff account; see staff.h.
 */
#include "workflow/staff.h"

#include <jansson.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "lib/wake.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/accounts.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* Queue the staff-welcome e-mail to u in the open transaction tx. */
static int
staff_welcome(const struct flow *f, struct store_txn *tx, struct arena *a, const struct user *u,
              int64_t now, struct err *e)
{
    json_t *vars = json_object();
    json_object_set_new(vars, "name",
                        json_string(arena_printf(a, "%s %s", u->first_name, u->last_name)));
    json_object_set_new(
        vars, "role",
        json_string(flow_msg(f, u->lang, arena_printf(a, "role.%s", role_name(u->role)))));
    json_object_set_new(vars, "link",
                        json_string(accounts_link(a, f->link_key, f->mailer->base_url, "reset", u,
                                                  now + SET_PASSWORD_LIFETIME, u->lang)));
    json_object_set_new(vars, "expires", json_string(""));
    int r = outbox_queue(f, tx, "staff-welcome", u->lang, u->email, NULL, vars, now, e);
    json_decref(vars);
    return r;
}

int
staff_add(const struct flow *f, struct arena *a, const struct user *actor, const char *reason,
          struct user *u, bool welcome, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    json_t *details = actor ? json_pack("{ss}", "role", role_name(u->role)) : NULL;
    int r;

    u->created_at = now;
    if ((r = flow_begin(f, &tx, e)))
        goto out;
    r = flow_audit(tx, actor, "user.add", 0, u->email, reason, details, now, e);
    if (!r)
        r = store_user_insert(tx, u, e);
    if (!r && welcome)
        r = staff_welcome(f, tx, a, u, now, e);
    /* As accounts.h says of every account: no public page shows it, so
     * the cached pages' version stays (flow_finish() would bump it). */
    if (!(r = flow_finish_quiet(tx, r, e)) && welcome)
        wake_signal(f->mail_wake);
out:
    json_decref(details);
    return r;
}
