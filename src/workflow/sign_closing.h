/*
 * sign_closing.h: the end of a petition's signing, as use cases (rulebook
 * 11.6, 11.10, 11.13): the closing timers that the scheduler applies
 * (closing, then after the grace for late confirmations the Clerk's
 * certification queue or NOT_CERTIFIED), and the Clerk's decision on a
 * queued petition.  Each is one transaction, like those of signing.h.
 */
#ifndef PETITIOND_SIGN_CLOSING_H
#define PETITIOND_SIGN_CLOSING_H

#include <stdint.h>

#include "core/signature.h"

struct arena;
struct err;
struct flow;
struct petition_brief;
struct user;

/* The closing timers of a petition, with the rules it runs under. */
struct closing_timers sign_timers(const struct flow *f, const struct petition_brief *b,
                                  int64_t suspect_confirmed);

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

/* The checks sign_certify() (certify) or sign_not_certify() makes,
 * without writing anything: 0 when it would go ahead, else its refusal
 * (ERR_CONFLICT with the blocker's key).  For the question asked before
 * either (web/confirm.h). */
int sign_decision_check(const struct flow *f, const struct user *clerk, int64_t petition_id,
                        bool certify, struct err *e);

/* Apply the closing timers due at now (closing, and after the grace: the
 * queue or NOT_CERTIFIED).  *acted gets how many petitions changed. */
int sign_closing(const struct flow *f, int64_t now, int *acted, struct err *e);

#endif
