/*
 * outbox.h: e-mail queued in the transaction of the use case that causes
 * it, and the mail thread's record of what became of each.
 *
 * A use case queues its e-mails with outbox_queue() (or the variants
 * below, which find the people too) in its own transaction, so an e-mail exists exactly when the
 * event it tells of was committed; a rolled-back event sends nothing.
 * The mail thread (jobs/delivery.h) sends them after the commit and
 * records each outcome with outbox_delivered() or outbox_failed(), each a
 * transaction of its own.
 */
#ifndef PETITIOND_WORKFLOW_OUTBOX_H
#define PETITIOND_WORKFLOW_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "lib/lang.h"

struct arena;
struct draft_record;
struct err;
struct outbox_mail;
struct flow;
struct store_txn;

/*
 * Queue one e-mail of kind ("supporter-invitation") in lang to to_addr
 * (to_name may be NULL) in the transaction tx, rendered now.  vars
 * (borrowed) are the template's values (mail/mailer.h: mail_render);
 * "base_url", "lang" and "t" are added.  Returns 0, ERR_INVALID when the
 * template is missing or has no subject line, or the store's error.
 */
int outbox_queue(const struct flow *f, struct store_txn *tx, const char *kind, enum lang lang,
                 const char *to_addr, const char *to_name, json_t *vars, int64_t now,
                 struct err *e);

/*
 * Queue an e-mail about a signature whose text is rendered when it is
 * sent (sign_mail_render() in workflow/signing.h): only kind, address,
 * name, language and the signature's id are written now.  This is what
 * the intake writer queues for every signature, so a surge writes a few
 * dozen bytes per e-mail.
 */
int outbox_queue_later(const struct flow *f, struct store_txn *tx, const char *kind, enum lang lang,
                       const char *to_addr, const char *to_name, int64_t signature_id, int64_t now,
                       struct err *e);

/* Many e-mails as outbox_queue_later() each, in one statement where the
 * store can: m[i] gives created_at, kind, lang, to_addr, to_name and
 * signature_id; the rest is filled in here. */
int outbox_queue_later_many(const struct flow *f, struct store_txn *tx, struct outbox_mail *m,
                            int n, struct err *e);

/* outbox_queue() for one recipient of a mailing to many (its progress
 * counts it). */
int outbox_queue_mailing(const struct flow *f, struct store_txn *tx, int64_t mailing_id,
                         const char *kind, enum lang lang, const char *to_addr, const char *to_name,
                         json_t *vars, int64_t now, struct err *e);

/*
 * Queue mail of kind in tx to the petitioner of d, or to every account of
 * a Member (whose workspace address is added to vars), or to the
 * supporters of d who confirmed first in its current round,
 * d->supporters_min of them (rulebook 2.4); each in the person's
 * language, with "name" (and the petitioner's account address) added to
 * vars.
 */
int outbox_queue_petitioner(const struct flow *f, struct store_txn *tx, struct arena *a,
                            const struct draft_record *d, const char *kind, json_t *vars,
                            int64_t now, struct err *e);
int outbox_queue_member(const struct flow *f, struct store_txn *tx, struct arena *a,
                        int64_t member_id, const char *kind, json_t *vars, int64_t now,
                        struct err *e);
int outbox_queue_first_supporters(const struct flow *f, struct store_txn *tx, struct arena *a,
                                  const struct draft_record *d, const char *kind, json_t *vars,
                                  int64_t now, struct err *e);

/* The mail thread's records, each in a transaction of its own: e-mail id
 * was delivered (or has nobody left to go to) at now; or it failed with
 * the error why (kept for the log) and is tried again at next_try_at. */
int outbox_delivered(const struct flow *f, int64_t id, int64_t now, struct err *e);
int outbox_failed(const struct flow *f, int64_t id, int64_t next_try_at, const char *why,
                  struct err *e);

#endif
