/*
 * house.h: a petition in the House, as use cases (rulebook 2.2-2.4, 7,
 * 11.1, 11.11-11.13, 11.16): presentation with its number, the government
 * response written by the ministry's responder and tabled by the Clerk,
 * removal, and paper petitions recorded once presented.  The House's
 * calendars are in house_calendar.h; the e-mail to everyone concerned by
 * a presentation or a response, a mailing, in house_mailing.h.
 *
 * Each function is one transaction, like those of drafts.h and signing.h,
 * and each staff action appends its audit record first (the store refuses
 * the writes otherwise).
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
    bool anyway;               /* present even with a committee or ministry unrelated to the
                                * petition's subject (jurisdiction_presentation_fit()) */
};

/* The use cases below name a petition by its number (an e-number, or a
 * paper petition's presented number), as the pages do.
 *
 * Record that a certified petition (n) was presented: PRESENTED
 * with the next number of the current session, the people concerned
 * e-mailed.  actor is the Clerk, or a Member recording their own
 * presentation.  ERR_INVALID with fe ("date", "member", "committee",
 * "ministry"; "anyway" with "present.mismatch" when the committee or
 * the ministry does not fit the petition's subject, as the jurisdiction
 * file maps them, and in->anyway is false); ERR_CONFLICT "present.not_certified",
 * "house.prorogued", "house.dissolved". *number gets the number ("451-00043"). */
int house_present(const struct flow *f, struct arena *a, const struct user *actor,
                  const struct petition_number *n, const struct present_input *in,
                  const char **number, struct field_errors *fe, int64_t now, struct err *e);

/* The longest response, in characters in each language, and the longest
 * "Signed by" line. */
enum { HOUSE_RESPONSE_MAX = 40000, HOUSE_SIGNED_BY_MAX = 200 };

/* The longest text of a paper petition, in characters in each language. */
enum { HOUSE_PAPER_TEXT_MAX = 40000 };

/* The longest reason for removing a petition, in characters. */
enum { HOUSE_REMOVE_REASON_MAX = 4000 };

/* The ministry's responder saves the response to a presented petition
 * (ready: sends it to the Clerk for tabling), its signer's title in each
 * language ("The Honourable ...", "L'honorable ...").  fe: "signed_by",
 * "signed_by_fr", "text_en", "text_fr".  ERR_FORBIDDEN for another
 * ministry's petition; ERR_CONFLICT "response.not_presented". */
int house_response_save(const struct flow *f, struct arena *a, const struct user *responder,
                        const struct petition_number *n, const char *signed_by,
                        const char *signed_by_fr, const char *text_en, const char *text_fr,
                        bool ready, struct field_errors *fe, int64_t now, struct err *e);

/* The Clerk records the ready response as tabled on date: RESPONSE_TABLED,
 * published, everyone concerned and the authorizing Member e-mailed.
 * fe: "date"; ERR_CONFLICT "response.not_ready", "response.not_presented". */
int house_response_table(const struct flow *f, struct arena *a, const struct user *clerk,
                         const struct petition_number *n, const char *date, struct field_errors *fe,
                         int64_t now, struct err *e);

/* The checks house_response_table() makes, without writing anything:
 * 0 when tabling on date would go ahead, else its refusal (fe, e).  For
 * the question asked before tabling (web/confirm.h). */
int house_response_table_check(const struct flow *f, struct arena *a, const struct user *clerk,
                               const struct petition_number *n, const char *date,
                               struct field_errors *fe, int64_t now, struct err *e);

/* The due day of a presented petition's response, with the calendar. */
int house_response_due(const struct flow *f, struct arena *a, int64_t presented_at,
                       struct civil_date *due, struct err *e);

/* An administrator takes a published petition down (rulebook 11.1):
 * REMOVED, its page answers 410 with a short notice; reason (required,
 * fe "reason") goes to the audit log.  ERR_NOT_FOUND when already removed. */
int house_remove(const struct flow *f, struct arena *a, const struct user *admin,
                 const struct petition_number *n, const char *reason, struct field_errors *fe,
                 int64_t now, struct err *e);

/* The checks house_remove() makes, without writing anything: 0 when the
 * removal would go ahead, else its refusal (fe, e). */
int house_remove_check(const struct flow *f, struct arena *a, const struct user *admin,
                       const struct petition_number *n, const char *reason, struct field_errors *fe,
                       struct err *e);

/* A paper petition as the Clerk records it once presented (rulebook 7). */
struct paper_input {
    const char *number; /* "451-00012", or "" for the next of the session */
    const char *date;   /* presented on */
    const char *member_key;
    const char *addressee;          /* addressee_type_name() */
    const char *addressee_ministry; /* code, for a Minister */
    const char *text_en;            /* grievances and prayer: paragraphs; the last is the prayer */
    const char *text_fr;
    const char *subject_code;
    const char *keywords;   /* slugs separated by commas */
    const char *signatures; /* a number, at least the jurisdiction's minimum */
    const char *committee;
    const char *ministry_code; /* to respond */
};

int house_paper_record(const struct flow *f, struct arena *a, const struct user *clerk,
                       const struct paper_input *in, const char **number, struct field_errors *fe,
                       int64_t now, struct err *e);

#endif
