/*
 * house.h: after certification and around it, as use cases (rulebook
 * 2.2-2.4, 7, 11.11-11.13): presentation with its number, the government
 * response written by the ministry's responder and tabled by the Clerk,
 * the sitting calendar, prorogation, dissolution and the next Parliament,
 * paper petitions, and the e-mail that goes to everyone concerned.
 *
 * Each function is one transaction, like those of flow.h and signing.h,
 * and each staff action appends its audit record first (the store refuses
 * the writes otherwise).  E-mail to the signatories of a petition, who
 * may be a hundred thousand, is a mailing: written here as one row and
 * its sources, listed and sent by the mail thread in batches
 * (house_mailing_step), resumably.
 */
#ifndef PETITIOND_HOUSE_FLOW_H
#define PETITIOND_HOUSE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fields.h"
#include "core/house.h"
#include "workflow/flow.h"

struct arena;
struct err;
struct user;

/* What the Clerk or a Member enters to record a presentation. */
struct present_input {
    const char *date;          /* "2026-11-23" (Eastern); the day it was presented */
    const char *member_key;    /* the presenting Member (ignored when a Member records it) */
    const char *committee;     /* code of the committee designated, e.g. "FAAE" */
    const char *ministry_code; /* the ministry to respond */
};

/* The use cases below name a petition by its number (an e-number, or a
 * paper petition's presented number), as the pages do.
 *
 * Record that a certified petition (n) was presented: PRESENTED
 * with the next number of the current session, the people concerned
 * e-mailed.  actor is the Clerk, or a Member recording their own
 * presentation.  ERR_INVALID with fe ("date", "member", "committee",
 * "ministry"); ERR_CONFLICT "present.not_certified", "house.prorogued",
 * "house.dissolved". *number gets the number ("451-00043"). */
int house_present(const struct flow *f, struct arena *a, const struct user *actor,
                  const struct petition_number *n, const struct present_input *in, const char **number,
                  struct field_errors *fe, int64_t now, struct err *e);

/* The ministry's responder saves the response to a presented petition
 * (ready: sends it to the Clerk for tabling).  fe: "signed_by",
 * "text_en", "text_fr".  ERR_FORBIDDEN for another ministry's petition;
 * ERR_CONFLICT "response.not_presented". */
int house_response_save(const struct flow *f, struct arena *a, const struct user *responder,
                        const struct petition_number *n, const char *signed_by, const char *text_en,
                        const char *text_fr, bool ready, struct field_errors *fe, int64_t now,
                        struct err *e);

/* The Clerk records the ready response as tabled on date: RESPONSE_TABLED,
 * published, everyone concerned and the authorizing Member e-mailed.
 * fe: "date"; ERR_CONFLICT "response.not_ready", "response.not_presented". */
int house_response_table(const struct flow *f, struct arena *a, const struct user *clerk,
                         const struct petition_number *n, const char *date, struct field_errors *fe,
                         int64_t now, struct err *e);

/* The Clerk adds or removes sitting days: text holds dates ("2026-11-23")
 * and ranges ("2026-09-15..2026-12-12", Monday to Friday), one per line
 * or separated by commas.  *changed gets how many days changed. fe: "days". */
int house_calendar_set(const struct flow *f, struct arena *a, const struct user *clerk,
                       const char *text, bool sitting, int *changed, struct field_errors *fe,
                       int64_t now, struct err *e);

/* The due day of a presented petition's response, with the calendar. */
int house_response_due(const struct flow *f, struct arena *a, int64_t presented_at,
                       struct civil_date *due, struct err *e);

/* The administrator moves Parliament's calendar (house.h's enum
 * house_move): prorogue, open the next session, dissolve, open the next
 * Parliament.  Dissolution moves every petition and draft not yet
 * presented to CLOSED_UPON_DISSOLUTION and every presented one without a
 * response to NOT_ANSWERED_BEFORE_DISSOLUTION, and starts one mailing to
 * everyone concerned; *moved gets how many changed.  ERR_CONFLICT with
 * house_move_blocker()'s key. */
int house_calendar_move(const struct flow *f, struct arena *a, const struct user *admin,
                        enum house_move move, int64_t *moved, int64_t now, struct err *e);

/* An administrator takes a published petition down (rulebook 11.1):
 * REMOVED, its page answers 410 with a short notice; reason (required,
 * fe "reason") goes to the audit log.  ERR_NOT_FOUND when already removed. */
int house_remove(const struct flow *f, struct arena *a, const struct user *admin,
                 const struct petition_number *n, const char *reason, struct field_errors *fe,
                 int64_t now, struct err *e);

/* A paper petition as the Clerk records it once presented (rulebook 7). */
struct paper_input {
    const char *number;        /* "451-00012", or "" for the next of the session */
    const char *date;          /* presented on */
    const char *member_key;
    const char *addressee;     /* addressee_type_name() */
    const char *addressee_ministry; /* code, for a Minister */
    const char *text_en;       /* grievances and prayer: paragraphs; the last is the prayer */
    const char *text_fr;
    const char *subject_code;
    const char *keywords;      /* slugs separated by commas */
    const char *signatures;    /* a number, at least the jurisdiction's minimum */
    const char *committee;
    const char *ministry_code; /* to respond */
};

int house_paper_record(const struct flow *f, struct arena *a, const struct user *clerk,
                       const struct paper_input *in, const char **number,
                       struct field_errors *fe, int64_t now, struct err *e);

/* One step of the oldest unfinished mailing: list up to `batch`
 * recipients, or queue up to `batch` messages into the outbox, in one
 * transaction.  *did gets how many rows it handled (0: nothing to do).
 * The mail thread calls it while the outbox is nearly empty. */
int house_mailing_step(const struct flow *f, int batch, int *did, int64_t now, struct err *e);

#endif
