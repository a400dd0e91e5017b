/*
 * retention.h: the erasure of personal data (rulebook 11.14), as a use
 * case.
 *
 * The personal data of a petition's supporters and signatories (names,
 * e-mail addresses, telephone numbers, postal codes, network addresses)
 * is erased retention_days (the jurisdiction's, 30) after the petition
 * reached a final state (core/petition_state.h, petition_state_is_final:
 * response tabled, not certified, rejected, withdrawn, expired,
 * abandoned, closed or not answered upon dissolution, removed, closed);
 * so is that of the supporters of a draft that ended without being
 * published.  The counts by province and the public record stay forever:
 * the rows are blanked, not deleted, and keep their region and review.
 * Sent e-mail and the recipient lists of finished mailings older than
 * the same period are deleted.
 *
 * The scheduler (src/jobs) runs it daily; `petitiond retention` runs it
 * now or, with --dry-run, lists what it would erase.
 */
#ifndef PETITIOND_RETENTION_H
#define PETITIOND_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "workflow/flow.h"

struct arena;
struct err;
struct retention_item;

/*
 * Erase what is due at now: each petition (or unpublished draft) in its
 * own transaction with its audit record ("retention.erase", by petitiond
 * itself, details {"signatures": N, "supporters": M}), then prune old
 * mail and refused forms' states expired at now, and keep {"at",
 * "erased", "pruned"} in meta "retention_run".  With dry_run, only list
 * what is due and write nothing.
 *
 * *out (arena memory) gets the items erased (or due), oldest final state
 * first, *n how many.  A petition another run erased meanwhile is left
 * out.  On an error the items already erased stay erased (each was its
 * own transaction) and are in *out; the rest is untouched.  Errors: the
 * store's.  Any thread (one transaction at a time per thread).
 */
int retention_run(const struct flow *f, struct arena *a, bool dry_run, int64_t now,
                  struct retention_item **out, int *n, struct err *e);

/* When retention_run() last ran for real (meta "retention_run"), or 0
 * when never (or unreadable). */
int retention_last_run(const struct flow *f, int64_t *at, struct err *e);

#endif
