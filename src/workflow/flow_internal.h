/*
 * flow_internal.h: what the use-case files of src/workflow share, all of
 * it defined in flow.c beside the context of flow.h: one transaction per
 * use case, the refusals every form knows, the audit record of a staff
 * action, a draft's change of state and the texts of e-mails (the people
 * they go to are found by outbox.h).
 *
 * It is flow.h's private half (as SQLite keeps sqliteInt.h beside
 * sqlite3.h): only src/workflow includes it.  The edges call the use
 * cases (drafts.h, signing.h, house.h, ...) and never open a transaction
 * or write an audit record themselves.
 */
#ifndef PETITIOND_FLOW_INTERNAL_H
#define PETITIOND_FLOW_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/draft.h"
#include "core/fields.h"
#include "lib/lang.h"
#include "lib/token.h"
#include "core/petition_state.h"
#include "workflow/flow.h"

struct arena;
struct err;
struct store_txn;
struct member;

/* ---- one transaction per use case ---- */

/* Open the use case's transaction: *tx is the use case's until
 * flow_finish(); every read and write of the use case takes it. */
int flow_begin(const struct flow *f, struct store_txn **tx, struct err *e);
/* Commit tx when r is 0, with the store's change version moved in it
 * (store_change_bump(), which every node polls: jobs/watch.h), then bump
 * the data's version, drop the counts in memory and wake the mail thread;
 * else roll it back (tx NULL, when flow_begin() failed, is fine); returns
 * r or the commit's error. */
int flow_finish(const struct flow *f, struct store_txn *tx, int r, struct err *e);
/* The same without anything after the commit: for a use case's own
 * bookkeeping that no page shows and no thread waits for (the reports of
 * the jobs, the mail thread's record of an e-mail sent). */
int flow_finish_quiet(struct store_txn *tx, int r, struct err *e);
/* An ERR_INVALID for a form whose fields are listed in fe. */
int flow_invalid(struct field_errors *fe, struct err *e);
/* The result r of a read that looks up a record a user named (a Member's
 * key, a ministry's code, a subject, a keyword): 1 when there is none
 * (ERR_NOT_FOUND: the caller says so on the form, or passes over it; e is
 * cleared), 0 when found, else r itself: a store that fails is not the
 * user's mistake, and the use case fails with its error. */
int flow_lookup(int r, struct err *e);
/* An ERR_CONFLICT whose message key is key. */
int flow_conflict(struct err *e, const char *key);

/* Append the audit record of a staff action to the open transaction tx:
 * actor NULL is petitiond itself ("system").  target, reason may be NULL;
 * details (borrowed, may be NULL) is a JSON object.  Every use case that
 * changes what staff decide calls it before its writes: the store refuses
 * those writes otherwise (store.h, audit_append). */
int flow_audit(struct store_txn *tx, const struct user *actor, const char *action,
               int64_t petition_id, const char *target, const char *reason, json_t *details,
               int64_t now, struct err *e);

/* A draft's new state and its event (user_id 0: petitiond itself), in
 * the open transaction tx. */
int flow_set_draft_state(struct store_txn *tx, struct draft_record *d, enum petition_state s,
                         int64_t user_id, const char *note, int64_t now, struct err *e);

/* ---- texts for e-mails ---- */

/* The mail catalogue's message key in lang, or key itself when missing. */
const char *flow_msg(const struct flow *f, enum lang lang, const char *key);
/* "23 November 2026" / "23 novembre 2026", Eastern time. */
const char *flow_date_text(struct arena *a, int64_t t, enum lang lang);
const char *flow_full_name(struct arena *a, const char *first, const char *last);
/* "Hon. Jane Doe": a Member with their honorific. */
const char *flow_member_name(struct arena *a, const struct member *m);
/* "e-6512": an e-petition's number. */
const char *flow_number_text(struct arena *a, long e_number);
/* The MAC of an e-mailed link for record id, "PURPOSE|ID" under the
 * site's link key (workflow/link_key.h), into out; and whether token is
 * it (in constant time; NULL is not). */
void flow_link_mac(const struct flow *f, const char *purpose, int64_t id,
                   char out[TOKEN_MAC_CHARS + 1]);
bool flow_link_mac_ok(const struct flow *f, const char *purpose, int64_t id, const char *token);
/* flow_addressee_heading() (flow.h) for an e-mail, inside the open
 * transaction tx (or NULL): *out is the heading (arena memory), the
 * general one when the Minister's or Member's record is gone.  Returns 0,
 * or the store's error (a heading read from a failing store is not sent
 * in the general form: the use case fails). */
int flow_addressee_heading_in(const struct flow *f, struct store_txn *tx, struct arena *a,
                              const struct draft_text *text, enum lang lang, const char **out,
                              struct err *e);
/* The address of an e-petition's public page in lang. */
const char *flow_petition_url(const struct flow *f, struct arena *a, enum lang lang, long e_number);
/* Set key to the date of t in English and key_fr to it in French, in the
 * variables of an e-mail that goes to both. */
void flow_set_dates(json_t *v, struct arena *a, const char *key, int64_t t);

#endif
