/*
 * outbox.c: e-mail queued in a use case's transaction; see outbox.h.
 *
 * XXX issue 15, in progress: queues through mail_queue() until the
 * outbox's writes move here from src/mail.
 */
#include "workflow/outbox.h"

#include "mail/outbox.h"
#include "workflow/flow.h"
#include "lib/banned.h"

int
outbox_queue(const struct flow *f, struct store_txn *t, const char *kind, enum lang lang,
             const char *to_addr, const char *to_name, json_t *vars, int64_t now, struct err *e)
{
    (void)t;
    return mail_queue(f->mailer, kind, lang, to_addr, to_name, vars, now, e);
}
