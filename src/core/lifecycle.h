/*
 * lifecycle.h: the timers and turns of a petition before publication
 * (rulebook 2.2 and 11.1-11.4), decided from plain values and `now`.
 *
 * The edges read a draft, ask here what is due or allowed, and write the
 * answer in one transaction with the e-mails it causes.
 */
#ifndef PETITIOND_LIFECYCLE_H
#define PETITIOND_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/jurisdiction.h"
#include "lib/lang.h"
#include "core/petition_state.h"

enum { DAY_SECONDS = 86400 };

/* What a draft's timers say. */
struct draft_timers {
    enum petition_state state;
    int64_t submitted_at;      /* start of the supporters' round */
    int supporters_days;       /* fixed at submission */
    int64_t member_asked_at;   /* 0 while the petitioner chooses a Member */
    int member_days;
};

enum draft_due {
    DUE_NOTHING,
    DUE_SUPPORTERS_EXPIRED, /* -> EXPIRED */
    DUE_MEMBER_LAPSED,      /* the Member did not answer in time */
};

/* What is due at now. */
enum draft_due draft_due(const struct draft_timers *t, int64_t now);

/* When the current timer of t runs out (0 when none runs). */
int64_t draft_deadline(const struct draft_timers *t);

/* After a Member declined or let the time lapse, with asked distinct
 * Members asked so far: AWAITING_MEMBER (the petitioner chooses the
 * next) or ABANDONED after the last allowed one. */
enum petition_state after_member_refusal(int asked, int members_max);

/* The petitioner may edit the text (DRAFT, RETURNED_FOR_REVISION). */
bool draft_editable(enum petition_state s);

/* The petitioner may withdraw: anything before certification that is
 * not final (rulebook 11.1), published or not. */
bool petition_withdrawable(enum petition_state s);

/* Counts as the petitioner's one active petition (rulebook 1): every
 * state that is not final. */
bool petition_active(enum petition_state s);

/* How long a petition has waited for the Clerk's review (11.4). */
enum review_wait { REVIEW_ON_TIME, REVIEW_WARN, REVIEW_OVERDUE };
enum review_wait review_wait(int64_t since, int64_t now, const struct jurisdiction *j);

/* Whole days from since to now (0 when now is earlier). */
int days_waited(int64_t since, int64_t now);

/* Why the Clerk rejects a petition (11.1).  Hidden reasons are not
 * shown to the public. */
struct reject_reason {
    const char *code;       /* "jurisdiction", "duplicate", ... */
    bool hidden;
    const char *label[LANG_COUNT];
};

/* The reasons, in the order the Clerk's form lists them; *n gets how many. */
const struct reject_reason *reject_reasons(int *n);
const struct reject_reason *reject_reason_find(const char *code);

#endif
