/*
 * delivery.h: the mail thread, which sends the outbox.
 *
 * It wakes when a use case signals the flow's wake (lib/wake.h, after a
 * commit that may have queued mail) or every poll interval, takes the
 * mail that is due, formats each one (mail/message.h) and either writes
 * it as NNNN-KIND.eml into a directory (development: `serve --dev
 * --mail-dir DIR`) or sends it over SMTP (mail/smtp.h), with a
 * Message-ID "ID.CREATED@DOMAIN" on the site's domain (mail_id_domain()
 * in mail/message.h).  E-mail queued about a signature without its text
 * is rendered first (sign_mail_render() in workflow/signing.h).  A sent
 * mail is marked sent (outbox_delivered()).  A temporary failure (the
 * relay unreachable, a 4xx, a 5xx before the recipient: smtp.h) is
 * retried with growing waits (1 min, 2, 4 ... up to 6 h,
 * outbox_failed()); a permanent refusal (5xx to the recipient or the
 * message), a message that cannot be formatted and the 12th failed
 * attempt fail it for good, with the relay's reply kept, for /healthz and
 * the Clerk to see.  While the outbox is nearly empty it moves the next
 * batch of a mailing to many into it (house_mailing_step() in
 * workflow/house_mailing.h).
 *
 * Several nodes on one database each run a mail thread: each claims the
 * e-mails it sends (outbox_claim(): their next try moved DELIVERY_CLAIM
 * seconds on, in one transaction), so no two nodes send the same one;
 * should a node die with e-mails claimed, they are due again once the
 * claim has passed, and another node sends them.  A node whose relay is
 * so slow that a batch would outlast its claim stops DELIVERY_CLAIM_MARGIN
 * seconds before the claim ends and leaves the rest to the next claim.
 * Each e-mail is marked sent right after the relay's 250 to it, one at a
 * time.  An e-mail whose sender died after the relay took it and before it
 * was marked sent is sent again, with the same Message-ID (at least once,
 * never lost); a relay with the rule of deploy/exim/petitiond-once.acl
 * answers 250 to that copy and drops it, so its recipient gets it once
 * (docs/operators.md, "E-mail once across nodes").  Mailings to
 * many are moved into the outbox by the one node holding the lease
 * LEASE_MAILING (workflow/leases.h).
 */
#ifndef PETITIOND_DELIVERY_H
#define PETITIOND_DELIVERY_H

#include "lib/clock.h"
#include "mail/smtp.h"

struct delivery;
struct err;
struct flow;
struct wake;

struct delivery_config {
    const struct flow *flow; /* its store, and the use cases that record each outcome */
    struct wake *wake;       /* signalled when mail may be due (the flow's mail_wake) */
    const struct clock *clock;
    const char *mail_dir;    /* write .eml files here; or NULL for SMTP */
    struct smtp_config smtp; /* when mail_dir is NULL */
    const char *from_addr;   /* "petitions@example.org" */
    const char *from_name;   /* "House of Commons e-petitions" */
    unsigned poll_ms;        /* 0 = 1000 */
};

enum {
    DELIVERY_MAX_ATTEMPTS = 12,
    DELIVERY_BATCH = 200,
    DELIVERY_CLAIM = 120,      /* seconds an e-mail claimed by a node is not due for another */
    DELIVERY_CLAIM_MAX = 50,   /* e-mails claimed at once */
    DELIVERY_CLAIM_MARGIN = 30 /* seconds of a claim left unused: sending stops before */
};

/* Start the thread; cfg's pointers must outlive delivery_stop().
 * ERR_INVALID when from_addr is no plain address (mail_addr_ok()). */
int delivery_start(const struct delivery_config *cfg, struct delivery **out, struct err *e);

/* Finish the batch in hand and stop; NULL is fine. */
void delivery_stop(struct delivery *d);

#endif
