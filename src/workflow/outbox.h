/*
 * outbox.h: e-mail queued in the transaction of the use case that causes
 * it, and the delivery's record of what became of each.
 *
 * A use case queues its e-mails with outbox_queue() in its own
 * transaction, so an e-mail exists exactly when the event it tells of was
 * committed; the mail thread (jobs) delivers them afterwards.
 */
#ifndef PETITIOND_WORKFLOW_OUTBOX_H
#define PETITIOND_WORKFLOW_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "core/lang.h"

struct err;
struct flow;
struct store_txn;

/*
 * Queue one e-mail of kind ("supporter-invitation") in lang to to_addr
 * (to_name may be NULL) in the transaction t.  vars (borrowed) are the
 * template's values (mail/outbox.h: mail_render); "base_url", "lang" and
 * "t" are added.  Returns 0, ERR_INVALID when the template is missing or
 * has no subject line, or the store's error.
 */
int outbox_queue(const struct flow *f, struct store_txn *t, const char *kind, enum lang lang,
                 const char *to_addr, const char *to_name, json_t *vars, int64_t now,
                 struct err *e);

#endif
