/*
 * flow.h: the use-case context.  struct flow is what every use case of
 * src/workflow is given: the store, the mailer, the jurisdiction's rules,
 * the key of signed links, and what to wake or bump after a commit.  The
 * program builds one at start-up and the edges (pages, the API, the
 * scheduler, the commands) pass it to the use cases, which are declared
 * by subject beside their files: drafts.h (a petition before
 * publication), draft_review.h (the Clerk's review and publication),
 * signing.h (signatures, with sign_review.h, sign_closing.h, sign_rules.h
 * and counts_check.h), house.h (with house_calendar.h and
 * house_mailing.h), retention.h, outbox.h (the mail thread's records),
 * demo.h and intake.h.
 *
 * What the use-case files share (the transaction of a use case, the audit
 * record, e-mail texts and recipients) is defined in flow.c beside this
 * context but declared apart, in flow_internal.h, which only src/workflow
 * includes: an edge that holds a struct flow can call use cases, never
 * open a transaction of its own.
 */
#ifndef PETITIOND_FLOW_H
#define PETITIOND_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/fields.h"
#include "core/jurisdiction.h"
#include "lib/token.h"

struct arena;
struct changes;
struct count_mirror;
struct intake;
struct err;
struct outbox_watch;
struct mailer;
struct store;
struct wake;

struct flow {
    struct store *store;
    const struct mailer *mailer;
    const struct jurisdiction *rules;
    const unsigned char *link_key;   /* TOKEN_KEY_BYTES */
    struct wake *mail_wake;          /* signalled after a commit that may have queued mail, for
                                      * the mail thread (jobs/delivery.h); may be NULL */
    struct changes *changes;         /* data bumped after every commit; may be NULL */
    struct intake *intake;           /* the signature writer (intake.h); NULL = write inline */
    struct count_mirror *counts;     /* counts in memory (counts.h); may be NULL */
    struct outbox_watch *mail_watch; /* how delivery is going (outbox.h); NULL = not watched */
    const char *node;                /* this node's name among the nodes sharing the database
                                      * (leases.h); NULL = "petitiond" */
    bool log_off;                    /* keep no public log (--no-public-log, for
                                      * measurement): petition_log.h adds nothing */
    bool log_signed;                 /* the logs are signed (a --log-key): e-mails link to
                                      * receipts */
};

/* "Petition to the Minister of Foreign Affairs": the heading of a
 * petition's text in lang (the catalogues' petition.to_* messages with
 * the Minister's title or the Member's name, read outside any
 * transaction); arena memory.  The staff's pages show it as the e-mails
 * of every use case do; should the store fail, a page shows the general
 * heading ("Petition to the Government of Canada"), which an e-mail never
 * does (flow_internal.h: flow_addressee_heading_in()). */
const char *flow_addressee_heading(const struct flow *f, struct arena *a,
                                   const struct draft_text *t, enum lang lang);

#endif
