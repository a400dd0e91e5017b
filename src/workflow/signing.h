/*
 * signing.h: signing an open petition, confirming, the Clerk's review of
 * held signatures, closing and certification, as use cases (rulebook 4,
 * 11.6-11.10).
 *
 * Each function is one transaction, like those of flow.h: it reads, asks
 * the core what is allowed or due (core/signature.h), writes the new
 * state, the count it moves and the e-mails it causes, and commits; on
 * any error nothing is written.  The counts a page shows move in the very
 * transaction that confirms, validates or invalidates a signature.
 *
 * What a signer sees never depends on whether the address signed before
 * or whether the signature was held: the answer is the same, and the
 * e-mail tells the address's owner (peer study 1.6, 2).
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
struct signature_filter;
struct signature_record;
struct user;

/* A signature as submitted. */
struct sign_request {
    struct person person; /* names, e-mail, address, telephone, declarations */
    enum lang lang;       /* of the page: the e-mails follow it */
    const char *ip;       /* the client's address, as text */
    const char *rate_key; /* netaddr_rate_key() of it */
};

/* The closing timers of a petition, with the rules it runs under. */
struct closing_timers sign_timers(const struct flow *f, const struct petition_brief *b,
                                  int64_t suspect_confirmed);

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
int sign_submit(const struct flow *f, struct arena *a, long e_number,
                const struct sign_request *rq, struct field_errors *fe, int64_t now,
                struct err *e);

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
int sign_mail_render(const struct flow *f, struct arena *a, struct outbox_mail *m,
                     struct err *e);

/* The Clerk validates (REVIEW_VALIDATED) or invalidates
 * (REVIEW_INVALIDATED) one signature of a petition not yet certified;
 * the counts follow.  ERR_CONFLICT "sign.review_closed" otherwise. */
int sign_review(const struct flow *f, struct arena *a, const struct user *clerk, int64_t id,
                enum signature_review to, const char *reason, int64_t now, struct err *e);

/* The same for every held signature of a petition; *changed gets how many. */
int sign_review_held(const struct flow *f, struct arena *a, const struct user *clerk,
                     int64_t petition_id, enum signature_review to, int *changed, int64_t now,
                     struct err *e);

/* Whether the Clerk may still review a petition's signatures: open, or
 * waiting for certification (not yet certified or refused). */
bool sign_reviewable(enum petition_state s);

/* The longest reason the Clerk may give for a review. */
enum { SIGN_REASON_MAX = 1000 };

/*
 * The Clerk's review by condition (rulebook 11.7).  flt is a search of
 * one petition's signatures (store.h); a bulk review changes, among its
 * matches, every one not already invalidated (to REVIEW_INVALIDATED) or
 * every held one (to REVIEW_VALIDATED, REVIEW_SUSPECT rows only).
 *
 * sign_bulk_count() says how many that is now (a read, no transaction),
 * for the preview.  sign_review_bulk() counts again in its transaction
 * and refuses with ERR_CONFLICT "review_tools.count_changed" when the
 * count is not expected (what the Clerk previewed), then writes one audit
 * record (the filter and the count) and reviews every such row, moving
 * the counts in the same transaction; *changed gets how many.  A reason
 * is required to invalidate: ERR_INVALID with field "reason" and the key
 * "review_tools.reason_required" (or check_text()'s keys).  ERR_CONFLICT
 * "sign.review_closed" when the petition is no longer reviewable;
 * ERR_FORBIDDEN for anyone but the Clerk.
 */
int sign_bulk_count(const struct flow *f, const struct signature_filter *flt,
                    enum signature_review to, int64_t *n, struct err *e);
int sign_review_bulk(const struct flow *f, struct arena *a, const struct user *clerk,
                     const struct signature_filter *flt, enum signature_review to,
                     const char *reason, int64_t expected, int *changed, int64_t now,
                     struct err *e);

/* The Clerk certifies a petition in the certification queue (nothing
 * held, enough signatures): CERTIFIED, the authorizing Member and the
 * petitioner e-mailed.  ERR_CONFLICT with certification_blocker()'s key. */
int sign_certify(const struct flow *f, struct arena *a, const struct user *clerk,
                 int64_t petition_id, int64_t now, struct err *e);

/* The Clerk finds a queued petition short of the threshold after review:
 * NOT_CERTIFIED, the petitioner e-mailed.  ERR_CONFLICT "certify.enough"
 * when it has (or could have, with held signatures) enough. */
int sign_not_certify(const struct flow *f, struct arena *a, const struct user *clerk,
                     int64_t petition_id, int64_t now, struct err *e);

/* Apply the closing timers due at now (closing, and after the grace: the
 * queue or NOT_CERTIFIED).  *acted gets how many petitions changed. */
int sign_closing(const struct flow *f, int64_t now, int *acted, struct err *e);

/* The Clerk's allow and block lists.  value is checked and written in
 * canonical form (a network, or a lower-case domain); fe names "value". */
int sign_rule_add(const struct flow *f, const struct user *clerk, bool block, bool domain,
                  const char *value, const char *note, struct field_errors *fe,
                  int64_t now, struct err *e);
int sign_rule_remove(const struct flow *f, const struct user *clerk, int64_t id, int64_t now,
                     struct err *e);

/* A petition whose stored counts differ from a recount of its rows. */
struct count_drift {
    int64_t petition_id;
    long e_number;
    int64_t stored_total;
    int64_t expected_total; /* imported base + counted rows */
    int regions_off;        /* regions whose count differs */
};

/*
 * Recount every e-petition from its rows and compare with the stored
 * counts; with fix, set the stored counts to the recount (in one
 * transaction per petition).  *checked gets how many petitions were
 * compared; out (arena) the ones that drifted.  The result is also kept
 * in meta "counts_check" as {"at", "petitions", "drifted"}.
 */
int counts_check(const struct flow *f, struct arena *a, bool fix, int64_t now,
                 struct count_drift **out, int *n, int *checked, struct err *e);

#endif
