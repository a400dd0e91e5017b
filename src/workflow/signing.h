/*
 * signing.h: signing an open petition and confirming a signature, as use
 * cases (rulebook 4, 11.6, 11.8), with the transaction the intake writer
 * batches them in and the e-mails they cause.
 *
 * Each function is one transaction, like those of drafts.h: it reads,
 * asks the core what is allowed or due (core/signature.h), writes the new
 * state, the count it moves and the e-mails it causes, and commits; on
 * any error nothing is written.  The counts a page shows move in the very
 * transaction that confirms, validates or invalidates a signature.
 *
 * What a signer sees never depends on whether the address signed before
 * or whether the signature was held: the answer is the same, and the
 * e-mail tells the address's owner (peer study 1.6, 2).
 *
 * The rest of a signature's life has its own files: the Clerk's review
 * (sign_review.h), closing and certification (sign_closing.h), the allow
 * and block lists (sign_rules.h) and the reconciliation of the counts
 * (counts_check.h).
 */
#ifndef PETITIOND_SIGNING_H
#define PETITIOND_SIGNING_H

#include <stdbool.h>
#include <stdint.h>

#include "core/email.h"
#include "core/fields.h"
#include "core/province.h"
#include "core/signature.h"
#include "lib/token.h"
#include "store/store.h"
#include "workflow/flow.h"

struct arena;
struct outbox_mail;
struct signing_rule;
struct err;
struct petition_brief;
struct signature_record;

/* A signature as submitted. */
struct sign_request {
    struct person person; /* names, e-mail, address, telephone, declarations */
    enum lang lang;       /* of the page: the e-mails follow it */
    const char *ip;       /* the client's address, as text */
    const char *rate_key; /* netaddr_rate_key() of it */
};

/* The token of a signature's confirmation link. */
void sign_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1]);

/* The kinds of e-mail a signature causes (outbox rows rendered when sent). */
#define SIGN_MAIL_CONFIRM "signature-confirm" /* the confirmation link */
#define SIGN_MAIL_AGAIN "signature-again"     /* the link again, for a repeat */
#define SIGN_MAIL_ALREADY "signature-already" /* "you have already signed" */

/*
 * What one transaction of signing reads once and writes last: the briefs
 * of the petitions it touched, the Clerk's lists, and the count changes.
 * The intake writer (intake.h) keeps one per batch, so a batch of a
 * thousand signatures reads its petition and the lists once and moves
 * each count with one statement.  Everything lives in the arena a.
 */
enum { SIGN_TXN_BRIEFS = 8 };

struct sign_delta {
    int64_t petition_id;
    enum region region;
    int delta;
};

struct sign_txn {
    struct arena *a;
    struct petition_brief briefs[SIGN_TXN_BRIEFS];
    int brief_count;
    struct signing_rule *rules;
    int rule_count;
    bool rules_read;
    int64_t now;               /* when: the day the count changes fall on */
    struct sign_delta *deltas; /* count changes not yet written */
    int delta_count, delta_cap;
};

void sign_txn_init(struct sign_txn *t, struct arena *a, int64_t now);

/* Write t's count changes (petition_counts and the totals), inside the
 * transaction; they stay in t->deltas for the counts in memory. */
int sign_txn_flush(const struct flow *f, struct sign_txn *t, struct err *e);

/*
 * Check a signature's fields (fe) and make its e-mail key, before any
 * transaction: pure, on the request's thread.  ERR_INVALID with fe.
 */
int sign_check(const struct sign_request *rq, char key[EMAIL_MAX + 1], struct field_errors *fe,
               struct err *e);

/*
 * Take a checked signature (key from sign_check) for e-petition e_number
 * inside an open transaction t.  Returns 0 for every valid submission,
 * whatever became of it: a new pending signature (confirmation e-mailed),
 * a repeat of a known address (its owner e-mailed, at most
 * SIGNATURE_MAILS_MAX mails per signature), or a held one.
 * ERR_NOT_FOUND for a petition that is not published; ERR_CONFLICT
 * "sign.closed" when it no longer takes signatures.  Those two write
 * nothing; any other error leaves the transaction to be rolled back.
 */
int sign_write(const struct flow *f, struct sign_txn *t, long e_number,
               const struct sign_request *rq, const char *key, int64_t now, struct err *e);

/* sign_check() and sign_write() in a transaction of their own. */
int sign_submit(const struct flow *f, struct arena *a, long e_number, const struct sign_request *rq,
                struct field_errors *fe, int64_t now, struct err *e);

/* Whether token is the MAC of signature id's confirmation link (pure). */
bool sign_token_ok(const struct flow *f, int64_t id, const char *token);

/* The signature and petition a confirmation link names; ERR_NOT_FOUND
 * ("sign.link_bad") when the token does not match. */
int sign_link(const struct flow *f, struct arena *a, int64_t id, const char *token,
              struct signature_record *g, struct petition_brief *p, struct err *e);

/*
 * Confirm signature id (its link's token already checked) inside an open
 * transaction t; the count change waits in t for sign_txn_flush().
 * Confirming again is harmless (*already is then true).  ERR_NOT_FOUND
 * "sign.link_bad" for no such signature; ERR_GONE "sign.too_late" once the
 * grace after closing is over or the petition no longer takes signatures.
 */
int sign_confirm_write(const struct flow *f, struct sign_txn *t, int64_t id, bool *already,
                       int64_t now, struct err *e);

/* The token check and sign_confirm_write() in a transaction of their own. */
int sign_confirm(const struct flow *f, struct arena *a, int64_t id, const char *token,
                 bool *already, int64_t now, struct err *e);

/*
 * The delivery thread's render hook (delivery.h): the subject and body of
 * an e-mail queued about a signature, in its language, from the signature
 * and its petition as they are now (a signature confirmed meanwhile gets
 * "you have already signed" instead of a link).  ERR_GONE when its
 * personal data is erased.
 */
int sign_mail_render(const struct flow *f, struct arena *a, struct outbox_mail *m, struct err *e);

/* XXX Temporary forwarding: the callers outside src/workflow still find
 * these use cases through this header.  Remove once they include the
 * headers of the files they call. */
#include "workflow/sign_review.h"
#include "workflow/sign_closing.h"
#include "workflow/sign_rules.h"
#include "workflow/counts_check.h"

#endif
