/*
 * house.h: the store's Parliament, its sessions, sitting days, Members and
 * ministries; presentation, the government response and dissolution.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_HOUSE_H
#define PETITIOND_STORE_HOUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/house.h"
#include "lib/lang.h"
#include "core/petition.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* A day of the sitting calendar, "2026-11-23". */
typedef char sitting_day[11];

/* Recording a presentation (rulebook 11.11). */
struct presentation {
    int64_t petition_id;
    int64_t at; /* the day presented (Eastern noon) */
    int64_t session_id;
    int sequence;      /* next in the session */
    int64_t member_id; /* presenting Member */
    const char *committee[LANG_COUNT];
    int64_t response_ministry_id;
};

/* A response being written by a ministry's responder. */
struct response_draft {
    int64_t petition_id;
    int64_t ministry_id;
    const char *signed_by;    /* the signer's title in English */
    const char *signed_by_fr; /* in French; read as signed_by when none was written */
    const char *text[LANG_COUNT];
    int64_t ready_at; /* 0 = still being written */
    int64_t updated_at;
    int64_t updated_by;
};

/*
 * Insert, or update in place, a record by its natural key: a Parliament by
 * its number, a session by its Parliament and number, a Member by key, a
 * ministry by code, a minister by ministry, name and first day in office
 * (an update sets the last day).  The record's id is filled in.  A
 * Member's `active` is not written: a Member put sits.
 * What the loaders (demo data, imports) and Parliament's calendar write.
 * Parliaments and sessions are audited records (store/audit.h).
 */
int store_parliament_put(struct store_txn *t, struct parliament *p, struct err *e);
int store_session_put(struct store_txn *t, struct session *ses, struct err *e);
int store_member_put(struct store_txn *t, struct member *m, struct err *e);
int store_ministry_put(struct store_txn *t, struct ministry *m, struct err *e);
int store_minister_put(struct store_txn *t, struct minister *m, struct err *e);

/* Every Parliament, newest (highest number) first, each with its public
 * petitions counted (petitions). */
int store_parliament_list(struct store *s, struct store_txn *t, struct arena *a,
                          struct parliament **out, int *n, struct err *e);

/*
 * Every Member who sits now or authorized or presented a public petition,
 * by last name, first name, then id, each with the public petitions it
 * authorized counted (petitions) and whether it sits (active).
 */
int store_member_directory(struct store *s, struct store_txn *t, struct arena *a,
                           struct member **out, int *n, struct err *e);

/* Sitting Members (not the Speaker unless with_speaker), by last name,
 * first name, then id. */
int store_member_list(struct store *s, struct store_txn *t, struct arena *a, bool with_speaker,
                      struct member **out, int *n, struct err *e);

/* A Member by id, or by key when id is 0; ERR_NOT_FOUND when none. */
int store_member_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                     const char *key, struct member *out, struct err *e);

/* Every ministry, by English title, then id. */
int store_ministry_list(struct store *s, struct store_txn *t, struct arena *a,
                        struct ministry **out, int *n, struct err *e);

/* A ministry by id, or by code when id is 0; ERR_NOT_FOUND when none. */
int store_ministry_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                       const char *code, struct ministry *out, struct err *e);

/* The numbers of the current session and its Parliament; ERR_CONFLICT
 * when none is open (Parliament dissolved, or none recorded): nothing can
 * be published then. */
int store_session_current(struct store *s, struct store_txn *t, int *parliament, int *session,
                          struct err *e);

/* The latest Parliament and session with their states (core/house.h). */
int store_house_status(struct store *s, struct store_txn *t, struct house_status *out,
                       struct err *e);

/* Every session, newest first (by Parliament, then session number), with
 * its Parliament's number and its public petitions counted (petitions). */
int store_session_list(struct store *s, struct store_txn *t, struct arena *a, struct session **out,
                       int *n, struct err *e);

/* End a session at `at`, by prorogation or, with dissolution true, by the
 * dissolution of its Parliament (which store_parliament_dissolve()
 * records); an audited record. */
int store_session_end(struct store_txn *t, int64_t session_id, int64_t at, bool dissolution,
                      struct err *e);

/* Mark a Parliament dissolved at `at` (an audited record). */
int store_parliament_dissolve(struct store_txn *t, int64_t parliament_id, int64_t at,
                              struct err *e);

/* Sitting days ("2026-11-23") from `from` on, earliest first, at most
 * limit. */
int store_sitting_days(struct store *s, struct store_txn *t, struct arena *a, const char *from,
                       int limit, sitting_day **out, int *n, struct err *e);

/* Make a day a sitting day or not (an audited record); setting what is
 * already so changes nothing. */
int store_sitting_day_set(struct store_txn *t, const char *day, bool sitting, struct err *e);

/* The next presented-petition number of a session (1 for the first).  In
 * the transaction that records the presentation, it is unique. */
int store_presentation_next(struct store_txn *t, int64_t session_id, int *sequence, struct err *e);

/* Record a presentation: the petition becomes PRESENTED with its number,
 * Member, committee and ministry, and its timeline an event (audited).
 * ERR_CONFLICT when the session's number is taken. */
int store_petition_present(struct store_txn *t, const struct presentation *p, struct err *e);

/* The response being written for a petition; ERR_NOT_FOUND when none. */
int store_response_draft_get(struct store *s, struct store_txn *t, struct arena *a,
                             int64_t petition_id, struct response_draft *out, struct err *e);

/* Insert or replace the response being written for d->petition_id
 * (an audited record). */
int store_response_draft_put(struct store_txn *t, const struct response_draft *d, struct err *e);

/* Table the response: insert it and move the petition to RESPONSE_TABLED
 * with an event (audited).  ERR_CONFLICT when the petition has a response
 * already. */
int store_response_table(struct store_txn *t, int64_t petition_id, const struct response *r,
                         struct err *e);

/*
 * Move every petition in state `from` to `to` at `at` (with an event), and
 * every draft in `from` when drafts is true; each moved one is added to
 * mailing mailing_id's sources, by id, when that is not 0.  *moved gets
 * how many.  What dissolution does to every open petition: an audited
 * record.
 */
int store_state_move_all(struct store_txn *t, enum petition_state from, enum petition_state to,
                         bool drafts, int64_t at, int64_t mailing_id, int64_t *moved,
                         struct err *e);

#endif
