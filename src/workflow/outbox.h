/*
 * outbox.h: e-mail queued in the transaction of the use case that causes
 * it, the mail thread's record of what became of each, and how delivery
 * is going.
 *
 * A use case queues its e-mails with outbox_queue() (or the variants
 * below, which find the people too) in its own transaction, so an e-mail exists exactly when the
 * event it tells of was committed; a rolled-back event sends nothing.
 * The mail thread (jobs/delivery.h) sends them after the commit and
 * records each outcome with outbox_delivered(), outbox_dropped() or
 * outbox_failed(), each a transaction of its own.
 *
 * The same records tell the flow's outbox watch (struct flow's
 * mail_watch) how delivery is going, so that the pages that say "check
 * your e-mail" can say too when e-mail is not getting through:
 * outbox_delayed() holds when
 *
 *   the first failed attempt since the last delivery (or since the
 *   server started) is at least 10 minutes old (OUTBOX_DELAY_SECONDS),
 *   so nothing was delivered for 10 minutes while attempts failed, and
 *   among those failures is a temporary one (the relay unreachable or
 *   answering 4xx: mail is waiting) or at least 3 permanent refusals
 *   (OUTBOX_DELAY_REFUSALS: a relay refusing everything, not one
 *   mistyped address).
 *
 * A delivery ends it at once.  The watch lives in memory: after a restart
 * it starts again from the first failure.  outbox_status() adds what the
 * outbox holds (store_outbox_health()) for /healthz and the Clerk.
 */
#ifndef PETITIOND_WORKFLOW_OUTBOX_H
#define PETITIOND_WORKFLOW_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/lang.h"
#include "store/mail.h"

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
int outbox_queue_later_many(struct store_txn *tx, struct outbox_mail *m, int n, struct err *e);

/* outbox_queue() of the template text ("supporter-invitation-both") for
 * an e-mail of kind ("supporter-invitation"): the kind names its outbox
 * row and file, whatever text it has. */
int outbox_queue_text(const struct flow *f, struct store_txn *tx, const char *kind,
                      const char *text, enum lang lang, const char *to_addr, const char *to_name,
                      json_t *vars, int64_t now, struct err *e);

/* outbox_queue() for one recipient of a mailing to many (its progress
 * counts it), with its List-Unsubscribe link (NULL for none). */
int outbox_queue_mailing(const struct flow *f, struct store_txn *tx, int64_t mailing_id,
                         const char *kind, enum lang lang, const char *to_addr, const char *to_name,
                         json_t *vars, const char *unsubscribe, int64_t now, struct err *e);

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

/*
 * The mail thread's records, each in a transaction of its own: e-mail id
 * was delivered at now; or it has nobody left to go to (its signature was
 * erased) and is done with, which is no delivery; or an attempt failed as
 * why says (store/mail.h: tried again at why->next_try_at, or failed for
 * good when that is 0), permanent telling a refusal of this e-mail from
 * a failure to reach the relay (the outbox watch counts them apart).
 */
int outbox_delivered(const struct flow *f, int64_t id, int64_t now, struct err *e);
int outbox_dropped(const struct flow *f, int64_t id, int64_t now, struct err *e);
int outbox_failed(const struct flow *f, int64_t id, const struct outbox_failure *why,
                  bool permanent, struct err *e);

/*
 * Claim up to limit e-mails due at now for this node to send, in a
 * transaction of its own (store_outbox_claim()): none of them is due for
 * any other node until now + claim_seconds, by which time this node has
 * recorded what became of each; *out (arena memory) by id.
 */
int outbox_claim(const struct flow *f, struct arena *a, int64_t now, int claim_seconds, int limit,
                 struct outbox_mail **out, int *n, struct err *e);

/* ---- how delivery is going ------------------------------------------------------- */

enum {
    OUTBOX_DELAY_SECONDS = 600, /* failing this long without a delivery: delayed */
    OUTBOX_DELAY_REFUSALS = 3,  /* permanent refusals that alone make it delayed */
    OUTBOX_FAILURES_LISTED = 20 /* the failed e-mails outbox_status() lists */
};

/* The outbox watch: a mutex and a few numbers, fed by outbox_delivered()
 * and outbox_failed(), read by outbox_delayed() from any thread.  The
 * program makes one (serve) and frees it after the mail thread stops. */
struct outbox_watch;
struct outbox_watch *outbox_watch_new(void);
void outbox_watch_free(struct outbox_watch *w);

/* Note one outcome at now (what outbox_delivered() and outbox_failed()
 * do; NULL w is fine). */
void outbox_watch_delivered(struct outbox_watch *w);
void outbox_watch_failed(struct outbox_watch *w, int64_t now, bool permanent);

/* Whether e-mail is delayed at now by the rule above; false without a
 * watch (no mail thread). */
bool outbox_watch_delayed(struct outbox_watch *w, int64_t now);
bool outbox_delayed(const struct flow *f, int64_t now);

/* How e-mail stands at now, for /healthz and the Clerk's workspace. */
struct outbox_status {
    struct outbox_health health;  /* the outbox; its *_since counts are of the last hour */
    bool delayed;                 /* outbox_delayed() */
    struct outbox_mail *failures; /* the latest OUTBOX_FAILURES_LISTED failed e-mails
                                   * (store_outbox_failures(): no address, no text), when
                                   * asked for; else NULL */
    int nfailures;
};

/* Fill *out; the failed e-mails too when a is not NULL (arena memory).
 * Returns 0 or the store's error. */
int outbox_status(const struct flow *f, struct arena *a, int64_t now, struct outbox_status *out,
                  struct err *e);

#endif
