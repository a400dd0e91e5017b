/*
 * drafts.h: the lifecycle of a petition before publication, as use
 * cases: the petitioner saves and submits a draft, invites supporters,
 * who confirm; the Member asked accepts or declines; the petitioner
 * chooses another Member or withdraws; deadlines lapse.  The Clerk's
 * review and the publication that ends it are in draft_review.h.
 *
 * Each function is one transaction: it reads the draft, asks the core
 * what is allowed or due (core/draft.h, core/lifecycle.h), writes the new
 * state, its event and the e-mails it causes (outbox.h), and commits; on
 * any error nothing is written.  Pages (src/web) and the
 * scheduler (src/jobs) call these and nothing else to change a draft.
 *
 * Errors: ERR_NOT_FOUND (no such draft or supporter), ERR_FORBIDDEN (not
 * this person's to act on), ERR_CONFLICT (the state does not allow it;
 * key says why), ERR_INVALID (bad input; fe says which fields), or the
 * store's errors.
 */
#ifndef PETITIOND_DRAFTS_H
#define PETITIOND_DRAFTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/fields.h"
#include "lib/lang.h"
#include "lib/token.h"

struct arena;
struct err;
struct flow;

/* The token of a supporter's confirmation link for a round. */
void drafts_supporter_token(const struct flow *f, int64_t supporter_id, int round,
                            char out[TOKEN_MAC_CHARS + 1]);

/* Save the petitioner's text and supporters (DRAFT or
 * RETURNED_FOR_REVISION); creates the draft when draft_id is 0 and the
 * petitioner has no active petition (ERR_CONFLICT "flow.one_active").
 * Checks what is filled in; *draft_id gets the id. */
int drafts_save(const struct flow *f, struct arena *a, const struct user *petitioner,
                int64_t *draft_id, const struct draft_text *text,
                const struct draft_supporter *supporters, int n, struct field_errors *fe,
                int64_t now, struct err *e);

/* Submit: full checks, text and period frozen, supporters invited. */
int drafts_submit(const struct flow *f, struct arena *a, const struct user *petitioner,
                  int64_t draft_id, struct field_errors *fe, int64_t now, struct err *e);

/* Add supporters while the petition waits for them (invited at once). */
int drafts_add_supporters(const struct flow *f, struct arena *a, const struct user *petitioner,
                          int64_t draft_id, const struct draft_supporter *supporters, int n,
                          struct field_errors *fe, int64_t now, struct err *e);

/* A supporter confirms (round from the link); the fifth confirmation
 * sends the request to the Member. */
int drafts_supporter_confirm(const struct flow *f, struct arena *a, int64_t supporter_id, int round,
                             const struct person *p, enum lang lang, struct field_errors *fe,
                             int64_t now, struct err *e);

/* The petitioner chooses the next Member to ask. */
int drafts_member_choose(const struct flow *f, struct arena *a, const struct user *petitioner,
                         int64_t draft_id, const char *member_key, struct field_errors *fe,
                         int64_t now, struct err *e);

/* The Member asked accepts (-> UNDER_REVIEW) or declines. */
int drafts_member_answer(const struct flow *f, struct arena *a, const struct user *member,
                         int64_t draft_id, bool accept, int64_t now, struct err *e);

/* The petitioner withdraws (before certification). */
int drafts_withdraw(const struct flow *f, struct arena *a, const struct user *petitioner,
                    int64_t draft_id, int64_t now, struct err *e);

/* Apply every deadline due at now (supporters' 30 days, Members' 30
 * days).  *acted gets how many drafts changed. */
int drafts_deadlines(const struct flow *f, int64_t now, int *acted, struct err *e);

/* The petitioner's current petition: newest draft, and whether it is
 * still active (not final, counting its published record's state). */
int drafts_active(const struct flow *f, struct arena *a, int64_t petitioner_id,
                  struct draft_record *out, bool *active, struct err *e);

#endif
