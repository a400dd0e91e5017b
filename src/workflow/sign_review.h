/*
 * sign_review.h: the Clerk's review of signatures, as use cases (rulebook
 * 11.7): validate or invalidate one signature, every held one of a
 * petition, or every match of a condition after a preview of the count.
 *
 * Each review is one transaction, like those of signing.h: it writes the
 * Clerk's audit record first, then the reviews and the counts they move;
 * on any error nothing is written.  Only the Clerk may review, and only
 * while the petition is open or waits for certification.
 */
#ifndef PETITIOND_SIGN_REVIEW_H
#define PETITIOND_SIGN_REVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/petition_state.h"
#include "core/signature.h"

struct arena;
struct err;
struct flow;
struct signature_filter;
struct user;

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

#endif
