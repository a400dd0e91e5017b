/*
 * house_mailing.h: mailings to many.  E-mail to the signatories of a
 * petition, who may be a hundred thousand, is a mailing: the use case
 * that causes it (a presentation, a tabled response, dissolution) writes
 * one row and its sources in its own transaction; the mail thread then
 * lists the recipients and queues their messages into the outbox in
 * batches (house_mailing_step), resumably, each batch one transaction.
 */
#ifndef PETITIOND_HOUSE_MAILING_H
#define PETITIOND_HOUSE_MAILING_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/lang.h"
#include "lib/token.h"

struct arena;
struct err;
struct flow;

/* One step of the oldest unfinished mailing: list up to `batch`
 * recipients, or queue up to `batch` messages into the outbox, in one
 * transaction.  *did gets how many rows it handled (0: nothing to do).
 * The mail thread calls it while the outbox is nearly empty. */
int house_mailing_step(const struct flow *f, int batch, int *did, int64_t now, struct err *e);

/*
 * Stopping mail about a petition (RFC 8058).  Every e-mail of a mailing
 * to someone listed for their signature carries a link that stops it:
 * base_url/{lang}/stop/ID/MAC, ID the signature's id and MAC its MAC
 * under the site's link key (workflow/link_key.h) for "stop|ID", in its
 * List-Unsubscribe header and in its text ("stop_url").  Nothing is
 * stored about the link; it does not expire.
 */

/* The MAC of the stop link of signature id. */
void mail_stop_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1]);

/* The whole stop link of signature id, in lang (arena). */
const char *mail_stop_url(const struct flow *f, struct arena *a, enum lang lang,
                          int64_t signature_id);

/* True when token is the MAC of signature id's stop link. */
bool mail_stop_token_ok(const struct flow *f, int64_t signature_id, const char *token);

/*
 * Whoever signed signature id gets no more mail about its petition
 * (store_mail_stop()), when token is its link's MAC: one transaction,
 * no audit (a citizen's own choice), idempotent.  *e_number gets the
 * petition's number (0 when it is not an e-petition or the signature is
 * gone).  ERR_NOT_FOUND (key "stop.link_bad") for a wrong token; a
 * signature erased or unknown with a right token is no error, so the
 * answer never says whether an address signed.
 */
int mail_stop(const struct flow *f, int64_t signature_id, const char *token, long *e_number,
              int64_t now, struct err *e);

#endif
