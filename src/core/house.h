/*
 * house.h: the House's side of a petition after certification, and the
 * calendar of Parliament around it (rulebook 2.2-2.3, 6, 7, 11.11-11.14),
 * decided from plain values.
 *
 * The edges read the current Parliament and session, the sitting days and
 * the petition, ask here what is allowed and when a response is due, and
 * write the answer in one transaction with the audit record and the
 * e-mails it causes.
 */
#ifndef PETITIOND_HOUSE_H
#define PETITIOND_HOUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/petition_state.h"

/* How Parliament stands now. */
enum house_phase {
    HOUSE_SITTING,   /* a session is open */
    HOUSE_PROROGUED, /* the Parliament's last session ended by prorogation */
    HOUSE_DISSOLVED, /* the last Parliament is dissolved; no new one yet */
};

/* How a session ended. */
enum session_end {
    SESSION_CURRENT,    /* still open */
    SESSION_PROROGUED,
    SESSION_DISSOLVED,
};

/* The newest Parliament and its newest session, as stored. */
struct house_status {
    int64_t parliament_id;
    int parliament;           /* 45; 0 when no Parliament is recorded */
    int64_t parliament_opened_at;
    int64_t dissolved_at;     /* 0 while the Parliament lasts */
    int64_t session_id;       /* 0 when the Parliament has no session */
    int session;              /* 1 */
    int64_t session_opened_at;
    int64_t session_ended_at; /* 0 while current */
    enum session_end session_end;
};

enum house_phase house_phase(const struct house_status *h);

/* What the calendar allows; each returns 0 or the message key of why not
 * ("house.dissolved", "house.prorogued", "house.no_parliament"). */
/* New petitions (submission, publication): not while dissolved. */
const char *house_blocks_new_petitions(const struct house_status *h);
/* Certification and presentation: only while a session sits. */
const char *house_blocks_presentation(const struct house_status *h);
/* Prorogue: a session must be open. */
const char *house_blocks_prorogation(const struct house_status *h);
/* Open the next session: the Parliament must be prorogued. */
const char *house_blocks_new_session(const struct house_status *h);
/* Dissolve: the Parliament must last (sitting or prorogued). */
const char *house_blocks_dissolution(const struct house_status *h);
/* Open the next Parliament: the last must be dissolved (or none yet). */
const char *house_blocks_new_parliament(const struct house_status *h);

/* What the administrator does to Parliament's calendar. */
enum house_move {
    HOUSE_PROROGUE,
    HOUSE_OPEN_SESSION,
    HOUSE_DISSOLVE,
    HOUSE_OPEN_PARLIAMENT,
};

/* The blocker of a move: one of the four above. */
const char *house_move_blocker(const struct house_status *h, enum house_move m);

/* Where a petition in state s goes at dissolution (rulebook 11.13):
 * CLOSED_UPON_DISSOLUTION for everything not yet presented and not final
 * (drafts included), NOT_ANSWERED_BEFORE_DISSOLUTION for PRESENTED; false
 * when s stays as it is (final states). */
bool dissolution_state(enum petition_state s, enum petition_state *to);

/* A calendar date. */
struct civil_date {
    int year, month, day;
};

/* "2026-11-23"; 0 or -1 when the text is not a real date (exactly ten
 * bytes at s, len given). */
int civil_date_parse(const char *s, size_t len, struct civil_date *out);
/* Write "2026-11-23" into out (11 bytes). */
void civil_date_format(const struct civil_date *d, char out[11]);
/* d plus days (may be negative). */
struct civil_date civil_date_add(struct civil_date d, int days);
/* <0, 0, >0 as a is before, equal to or after b. */
int civil_date_cmp(struct civil_date a, struct civil_date b);

/*
 * The day a government response is due (rulebook 11.12): days calendar
 * days after presented, or, when that day is not a sitting day, the next
 * sitting day.  sitting (sorted ascending, n entries) are the sitting
 * days the Clerk entered from some day on; when none of them is on or
 * after the 45th day (no calendar that far), the 45th day itself.
 */
struct civil_date response_due(struct civil_date presented, int days,
                               const struct civil_date *sitting, int n);

/* Overdue: no response tabled and today is after the due day. */
bool response_overdue(struct civil_date due, struct civil_date today, bool answered);

/* Whether a presentation on day `on` can be recorded: not before the
 * petition's certification day, not in the future, not before the
 * current session opened.  0, or the message key of why not
 * ("present.before_certified", "present.future", "present.before_session"). */
const char *presentation_date_blocker(struct civil_date on, struct civil_date certified,
                                      struct civil_date session_opened,
                                      struct civil_date today);

/* Whether the response of a presented petition can be tabled on `on`:
 * not before its presentation, not in the future.  0 or the key
 * ("response.before_presented", "response.future"). */
const char *tabling_date_blocker(struct civil_date on, struct civil_date presented,
                                 struct civil_date today);

/* Retention (rulebook 11.14): the personal data of a petition's people
 * is due for erasure `days` days after it reached a final state. */
bool retention_due(enum petition_state s, int64_t state_changed_at, int days, int64_t now);

#endif
