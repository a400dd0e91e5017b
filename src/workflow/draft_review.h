/*
 * draft_review.h: the Clerk's review of a petition authorized by its
 * Member (UNDER_REVIEW), as use cases: the translation, subject and
 * keywords saved (rulebook 11.15); then approval, which publishes it as an
 * e-petition open for signature with the next number, or its return to
 * the petitioner for revision, or its rejection (rulebook 11.1, 11.4).
 *
 * Each function is one transaction, like those of drafts.h, and appends
 * the Clerk's audit record before its writes.  Errors: ERR_FORBIDDEN for
 * anyone but the Clerk, ERR_NOT_FOUND (no such draft), ERR_CONFLICT
 * "flow.not_under_review", ERR_INVALID (fe says which fields), or the
 * store's errors.
 */
#ifndef PETITIOND_DRAFT_REVIEW_H
#define PETITIOND_DRAFT_REVIEW_H

#include <stdint.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/fields.h"

struct arena;
struct err;
struct flow;

/* The longest reasons the Clerk gives for returning or rejecting a draft,
 * in characters. */
enum { DRAFT_REVIEW_REASONS_MAX = 4000 };

/* What the Clerk enters at review. */
struct draft_clerk_input {
    const char *tr_grievances[DRAFT_GRIEVANCES_MAX]; /* in the other language */
    int tr_count;
    const char *tr_prayer;
    const char *subject_code;
    const char *keywords[32]; /* slugs of existing keywords */
    int keyword_count;
    const char *new_keywords; /* lines "English name | nom français" */
};

/* The Clerk saves the translation, subject and keywords (UNDER_REVIEW). */
int draft_review_save(const struct flow *f, struct arena *a, const struct user *clerk,
                      int64_t draft_id, const struct draft_clerk_input *in, struct field_errors *fe,
                      int64_t now, struct err *e);

/* Approve and publish: needs both languages and a subject.  *e_number
 * gets the new number. */
int draft_review_approve(const struct flow *f, struct arena *a, const struct user *clerk,
                         int64_t draft_id, long *e_number, struct field_errors *fe, int64_t now,
                         struct err *e);

/* Return the draft to the petitioner for revision, with the reasons
 * (required, fe "reasons"), which are e-mailed to them. */
int draft_review_return(const struct flow *f, struct arena *a, const struct user *clerk,
                        int64_t draft_id, const char *reasons, struct field_errors *fe, int64_t now,
                        struct err *e);

/* Reject the draft for one of the reasons of core (code, fe "reason")
 * with a text (required, fe "reason_text"); the petitioner is e-mailed. */
int draft_review_reject(const struct flow *f, struct arena *a, const struct user *clerk,
                        int64_t draft_id, const char *code, const char *text,
                        struct field_errors *fe, int64_t now, struct err *e);

#endif
