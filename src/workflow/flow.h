/*
 * flow.h: the lifecycle of a petition before publication, as use cases.
 *
 * Each function is one transaction: it reads the draft, asks the core
 * what is allowed or due (core/draft.h, core/lifecycle.h), writes the new
 * state, its event and the e-mails it causes (mail/outbox.h), and
 * commits; on any error nothing is written.  Pages (src/web) and the
 * scheduler (src/jobs) call these and nothing else to change a draft.
 *
 * Errors: ERR_NOT_FOUND (no such draft or supporter), ERR_FORBIDDEN (not
 * this person's to act on), ERR_CONFLICT (the state does not allow it;
 * key says why), ERR_INVALID (bad input; fe says which fields), or the
 * store's errors.
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
struct delivery;
struct intake;
struct err;
struct mailer;
struct store;

struct flow {
    struct store *store;
    const struct mailer *mailer;
    const struct jurisdiction *rules;
    const unsigned char *link_key; /* TOKEN_KEY_BYTES */
    struct delivery *delivery;     /* kicked after a commit that queued mail; may be NULL */
    struct changes *changes;       /* data bumped after every commit; may be NULL */
    struct intake *intake;         /* the signature writer (intake.h); NULL = write inline */
    struct count_mirror *counts;   /* counts in memory (counts.h); may be NULL */
};

/* What the Clerk enters at review. */
struct draft_clerk_input {
    const char *tr_grievances[DRAFT_GRIEVANCES_MAX]; /* in the other language */
    int tr_count;
    const char *tr_prayer;
    const char *subject_code;
    const char *keywords[32];  /* slugs of existing keywords */
    int keyword_count;
    const char *new_keywords;  /* lines "English name | nom français" */
};

/* "Petition to the Minister of Foreign Affairs": the heading of a
 * petition's text in lang (the catalogues' petition.to_* messages with
 * the Minister's title or the Member's name); arena memory. */
const char *flow_addressee_heading(const struct flow *f, struct arena *a,
                                   const struct draft_text *t, enum lang lang);

/* The token of a supporter's confirmation link for a round. */
void flow_supporter_token(const struct flow *f, int64_t supporter_id, int round,
                          char out[TOKEN_MAC_CHARS + 1]);

/* Save the petitioner's text and supporters (DRAFT or
 * RETURNED_FOR_REVISION); creates the draft when draft_id is 0 and the
 * petitioner has no active petition (ERR_CONFLICT "flow.one_active").
 * Checks what is filled in; *draft_id gets the id. */
int flow_save(const struct flow *f, struct arena *a, const struct user *petitioner,
              int64_t *draft_id, const struct draft_text *text,
              const struct draft_supporter *supporters, int n, struct field_errors *fe,
              int64_t now, struct err *e);

/* Submit: full checks, text and period frozen, supporters invited. */
int flow_submit(const struct flow *f, struct arena *a, const struct user *petitioner,
                int64_t draft_id, struct field_errors *fe, int64_t now, struct err *e);

/* Add supporters while the petition waits for them (invited at once). */
int flow_add_supporters(const struct flow *f, struct arena *a, const struct user *petitioner,
                        int64_t draft_id, const struct draft_supporter *supporters, int n,
                        struct field_errors *fe, int64_t now, struct err *e);

/* A supporter confirms (round from the link); the fifth confirmation
 * sends the request to the Member. */
int flow_supporter_confirm(const struct flow *f, struct arena *a, int64_t supporter_id,
                           int round, const struct person *p, enum lang lang,
                           struct field_errors *fe, int64_t now, struct err *e);

/* The petitioner chooses the next Member to ask. */
int flow_member_choose(const struct flow *f, struct arena *a, const struct user *petitioner,
                       int64_t draft_id, const char *member_key, struct field_errors *fe,
                       int64_t now, struct err *e);

/* The Member asked accepts (-> UNDER_REVIEW) or declines. */
int flow_member_answer(const struct flow *f, struct arena *a, const struct user *member,
                       int64_t draft_id, bool accept, int64_t now, struct err *e);

/* The Clerk saves the translation, subject and keywords (UNDER_REVIEW). */
int flow_review_save(const struct flow *f, struct arena *a, const struct user *clerk,
                     int64_t draft_id, const struct draft_clerk_input *in,
                     struct field_errors *fe, int64_t now, struct err *e);

/* Approve and publish: needs both languages and a subject.  *e_number
 * gets the new number. */
int flow_review_approve(const struct flow *f, struct arena *a, const struct user *clerk,
                        int64_t draft_id, long *e_number, struct field_errors *fe, int64_t now,
                        struct err *e);

int flow_review_return(const struct flow *f, struct arena *a, const struct user *clerk,
                       int64_t draft_id, const char *reasons, struct field_errors *fe,
                       int64_t now, struct err *e);

int flow_review_reject(const struct flow *f, struct arena *a, const struct user *clerk,
                       int64_t draft_id, const char *code, const char *text,
                       struct field_errors *fe, int64_t now, struct err *e);

/* The petitioner withdraws (before certification). */
int flow_withdraw(const struct flow *f, struct arena *a, const struct user *petitioner,
                  int64_t draft_id, int64_t now, struct err *e);

/* Apply every deadline due at now (supporters' 30 days, Members' 30
 * days).  *acted gets how many drafts changed. */
int flow_deadlines(const struct flow *f, int64_t now, int *acted, struct err *e);

/* The petitioner's current petition: newest draft, and whether it is
 * still active (not final, counting its published record's state). */
int flow_active_draft(const struct flow *f, struct arena *a, int64_t petitioner_id,
                      struct draft_record *out, bool *active, struct err *e);

#endif
