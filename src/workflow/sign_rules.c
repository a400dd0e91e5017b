/*
 * sign_rules.c: the Clerk's allow and block lists of networks and e-mail
 * domains, which signing screens every signature against (rulebook
 * 11.8); see sign_rules.h.
 */
#include "workflow/sign_rules.h"

#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "core/email.h"
#include "core/netaddr.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

int
sign_rule_add(const struct flow *f, const struct user *clerk, bool block, bool domain,
              const char *value, const char *note, struct field_errors *fe, int64_t now,
              struct err *e)
{
    struct store_txn *tx = NULL;
    char canon[EMAIL_MAX + 1];
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    const char *v = value ? value : "";
    if (domain) {
        /* A domain is what may follow the @ of an address we accept. */
        char probe[EMAIL_MAX + 3];
        snprintf(probe, sizeof(probe), "x@%s", v);
        if (!*v || strlen(v) > EMAIL_MAX - 2 || !email_valid(probe, strlen(probe)) ||
            email_account_key(probe, strlen(probe), canon))
            field_error(fe, "value", "rules.domain_bad");
    } else {
        struct netrange net;
        if (netrange_parse(v, &net))
            field_error(fe, "value", "rules.network_bad");
        else
            netrange_format(&net, canon);
    }
    check_line(fe, "note", note, 200, false);
    if (fe->count)
        return flow_invalid(fe, e);
    struct signing_rule rule = {
        .block = block,
        .domain = domain,
        .value = domain ? canon + 2 : canon,
        .note = note,
        .created_at = now,
        .created_by = clerk->id,
    };
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    json_t *details = json_pack("{ssss}", "list", block ? "block" : "allow", "value", rule.value);
    r = flow_audit(f, clerk, "rule.add", 0, rule.value, note, details, now, e);
    json_decref(details);
    if (!r)
        r = OPS(f)->signing_rule_insert(f->store, &rule, e);
    r = flow_finish(f, tx, r, e);
    if (r == ERR_CONFLICT) {
        field_error(fe, "value", "rules.duplicate");
        return flow_invalid(fe, e);
    }
    return r;
}

int
sign_rule_remove(const struct flow *f, const struct user *clerk, int64_t id, int64_t now,
                 struct err *e)
{
    struct store_txn *tx = NULL;
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    int r = flow_begin(f, &tx, e);
    if (r)
        return r;
    json_t *details = json_pack("{sI}", "rule", (json_int_t)id);
    r = flow_audit(f, clerk, "rule.remove", 0, NULL, NULL, details, now, e);
    json_decref(details);
    if (!r)
        r = OPS(f)->signing_rule_delete(f->store, id, e);
    return flow_finish(f, tx, r, e);
}
