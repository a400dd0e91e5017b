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

#include "workflow/petition_log.h"
#include "core/email.h"
#include "core/fields.h"
#include "core/province.h"
#include "core/signature.h"
#include "lib/err.h"
#include "lib/token.h"
#include "workflow/counts.h"
#include "store/store.h"
#include "workflow/flow.h"

struct arena;
struct outbox_mail;
struct signing_rule;
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
/* Petitions a batch keeps the briefs of; count changes one job makes at
 * most (a confirmation makes one). */
enum { SIGN_TXN_BRIEFS = 8, SIGN_JOB_DELTAS = 4 };

struct sign_txn {
    struct arena *a;
    struct petition_brief briefs[SIGN_TXN_BRIEFS];
    int brief_count;
    struct signing_rule *rules;
    int rule_count;
    bool rules_read;
    int64_t now;                /* when: the day the count changes fall on */
    struct count_delta *deltas; /* count changes not yet written */
    int delta_count, delta_cap;
    /* Between sign_txn_job_begin() and _end(): the job's own changes. */
    bool in_job;
    struct count_delta job[SIGN_JOB_DELTAS];
    int job_count;
    struct log_txn log; /* the public logs' entries, written with the counts */
};

void sign_txn_init(struct sign_txn *t, struct arena *a, int64_t now);

/* One job of a batch (the intake writer runs each under a savepoint of
 * its own): the count changes it makes wait apart until
 * sign_txn_job_end() keeps them (the job's writes were kept) or drops
 * them (they were rolled back), so t never counts a refused job. */
void sign_txn_job_begin(struct sign_txn *t);
void sign_txn_job_end(struct sign_txn *t, bool keep);

/* Write t's count changes (petition_counts and the totals) in the open
 * transaction tx; they stay in t->deltas for the counts in memory. */
int sign_txn_flush(struct store_txn *tx, struct sign_txn *t, struct err *e);

/*
 * Check a signature's fields (fe) and make its e-mail key, before any
 * transaction: pure, on the request's thread.  ERR_INVALID with fe.
 */
int sign_check(const struct sign_request *rq, char key[EMAIL_MAX + 1], struct field_errors *fe,
               struct err *e);

/*
 * Take a checked signature (key from sign_check) for e-petition e_number
 * inside the open transaction tx, whose reads and count changes t keeps.  Returns 0 for every valid
 * submission, whatever became of it: a new pending signature (confirmation e-mailed), a repeat of a
 * known address (its owner e-mailed, at most SIGNATURE_MAILS_MAX mails per signature), or a held
 * one. ERR_NOT_FOUND for a petition that is not published; ERR_CONFLICT "sign.closed" when it no
 * longer takes signatures; ERR_UNAVAILABLE "sign.paused" while an administrator has paused signing
 * of it or of the site (sign_pause.h).  Those write nothing; any other error leaves the transaction
 * to be rolled back.
 */
int sign_write(const struct flow *f, struct store_txn *tx, struct sign_txn *t, long e_number,
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
 * Confirm signature id (its link's token already checked) inside the open
 * transaction tx; the count change waits in t for sign_txn_flush().
 * Confirming again is harmless (*already is then true).  ERR_NOT_FOUND
 * "sign.link_bad" for no such signature; ERR_GONE "sign.too_late" once the
 * grace after closing is over or the petition no longer takes signatures;
 * ERR_UNAVAILABLE "sign.paused", writing nothing, while signing of its
 * petition is paused (the link works again once it resumes).
 */
int sign_confirm_write(const struct flow *f, struct store_txn *tx, struct sign_txn *t, int64_t id,
                       bool *already, int64_t now, struct err *e);

/* The token check and sign_confirm_write() in a transaction of their own. */
int sign_confirm(const struct flow *f, struct arena *a, int64_t id, const char *token,
                 bool *already, int64_t now, struct err *e);

/* One signature or confirmation of a batch (sign_write_batch()). */
struct sign_item {
    bool confirm;
    long e_number;                 /* a signature: its petition, */
    const struct sign_request *rq; /* the checked request */
    const char *key;               /* and its e-mail key (sign_check()) */
    int64_t signature_id;          /* a confirmation: its signature (token checked) */
    int64_t now;
    /* The outcome, as sign_write() or sign_confirm_write() give it. */
    int result;
    struct err err;
    bool already;
    bool alone; /* not written: to write alone after the batch, in order */
};

/*
 * Write items[0..n) in the open transaction tx with a few statements for
 * the lot instead of a few for each: the petitions and the Clerk's lists
 * read once (t keeps them), one read of the keys and rates of every new
 * signature, one insert of them, one of their e-mails; one read of the
 * signatures to confirm, one update.  Each item gets the outcome
 * sign_write() or sign_confirm_write() would give it, or is left alone:
 * a repeat of a known address, or an item about the same key or
 * signature as an earlier one; the caller writes those alone after, in
 * order (then they find what the batch wrote, as if written in turn).
 * A refusal writes nothing.  The count changes are added to t when
 * everything is written.  Returns 0, or the error after which what it
 * wrote is undefined: the caller rolls back (the transaction, or to a savepoint taken before)
 * and writes every item alone.
 */
int sign_write_batch(const struct flow *f, struct store_txn *tx, struct sign_txn *t,
                     struct sign_item *items, int n, struct err *e);

/*
 * The subject and body of an e-mail queued about a signature
 * (outbox_queue_later()), in its language, from the signature and its
 * petition as they are now (a signature confirmed meanwhile gets "you
 * have already signed" instead of a link); the mail thread
 * (jobs/delivery.h) calls it as it sends, outside any transaction.
 * ERR_GONE when its personal data is erased.
 */
int sign_mail_render(const struct flow *f, struct arena *a, struct outbox_mail *m, struct err *e);

#endif
