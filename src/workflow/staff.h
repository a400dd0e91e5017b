/*
 * staff.h: staff accounts (the Clerk, Members, responders and
 * administrators), as a use case.
 *
 * An administrator adds one on the admin page (web/staff_pages.c), the
 * operator with `petitiond user add` (cmd/user.c), and `petitiond serve
 * --dev` adds its demonstration accounts (cmd/serve.c): all through
 * staff_add(), so each new account has its audit record.  Its holder
 * sets a password through a link (workflow/accounts.h: accounts_link(),
 * purpose "reset", valid SET_PASSWORD_LIFETIME), which the welcome
 * e-mail carries or the command prints.
 */
#ifndef PETITIOND_WORKFLOW_STAFF_H
#define PETITIOND_WORKFLOW_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"

struct arena;
struct err;
struct flow;

/*
 * Add staff account u (a role other than petitioner; member_id or
 * ministry_id as its role needs; password_hash and activated_at as the
 * caller sets them, normally none) created at now, in one transaction
 * with its audit record "user.add" (target the address, reason as given,
 * may be NULL) by actor, or by petitiond itself when actor is NULL (the
 * commands, reason "command line"); an actor's record names the new
 * account's role in its details ({"role": "clerk"}).  u->created_at and
 * u->id are filled in.  With welcome, the
 * "staff-welcome" e-mail in u->lang gives the holder the link to set a
 * password (valid SET_PASSWORD_LIFETIME from now).
 *
 * ERR_CONFLICT when the address (in any case) already has an account;
 * else the store's errors or outbox_queue()'s.  Any thread.
 */
int staff_add(const struct flow *f, struct arena *a, const struct user *actor, const char *reason,
              struct user *u, bool welcome, int64_t now, struct err *e);

#endif
