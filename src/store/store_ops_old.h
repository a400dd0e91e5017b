/*
 * store_ops_old.h: TEMPORARY.  The table of the SQLite backend as it was
 * before store.h's wrappers (issue 15); the wrappers call it until the
 * backend is split into per-area tables in store/sqlite/.  Nothing new may
 * use it.
 */
#ifndef PETITIOND_STORE_OPS_OLD_H
#define PETITIOND_STORE_OPS_OLD_H

#include "store/store.h"

enum store_savepoint_kind {
    STORE_SAVEPOINT_BEGIN,
    STORE_SAVEPOINT_RELEASE,
    STORE_SAVEPOINT_ROLLBACK,
};

struct store_ops {
    const char *name; /* "sqlite" */

    void (*close)(struct store *s);
    /* Move the database's maintenance (SQLite: WAL checkpoints) to a
     * thread of its own, so that committing transactions never waits for
     * it; stopped by close.  Without it, commits checkpoint as needed. */
    int (*checkpoints_start)(struct store *s, struct err *e);

    /* Create or upgrade the schema to the newest migration.  *applied gets
     * how many migrations ran (0 when already current). */
    int (*migrate)(struct store *s, int *applied, struct err *e);
    /* The newest migration applied, 0 for an empty database. */
    int (*schema_version)(struct store *s, int *version, struct err *e);

    /* Writes made by the loaders run in one transaction of their own:
     * begin, any number of puts, then commit or rollback. */
    int (*begin)(struct store *s, struct err *e);
    /* A savepoint in the thread's transaction: begin, release or roll
     * back to it (store_savepoint_kind). */
    int (*savepoint)(struct store *s, int kind, struct err *e);
    int (*commit)(struct store *s, struct err *e);
    void (*rollback)(struct store *s);

    /* Small named settings ("demo_loaded", ...). *value is NULL when unset. */
    int (*meta_get)(struct store *s, struct arena *a, const char *key, const char **value,
                    struct err *e);
    int (*meta_set)(struct store *s, const char *key, const char *value, struct err *e);

    /* Insert or update by natural key (number, code, slug, key). */
    int (*parliament_put)(struct store *s, struct parliament *p, struct err *e);
    int (*session_put)(struct store *s, struct session *ses, struct err *e);
    int (*member_put)(struct store *s, struct member *m, struct err *e);
    int (*ministry_put)(struct store *s, struct ministry *m, struct err *e);
    int (*minister_put)(struct store *s, struct minister *m, struct err *e);
    int (*subject_put)(struct store *s, struct subject *sub, struct err *e);
    int (*keyword_put)(struct store *s, struct keyword *k, struct err *e);

    /* Insert a whole petition record: text, keywords (by slug), counts by
     * region, response and the timeline of its states.  The petition's
     * subject, members and ministries are looked up by code/key.
     * ERR_CONFLICT when its number is taken. */
    int (*petition_insert)(struct store *s, struct petition *p, struct err *e);

    /* One petition with everything the public page shows. */
    int (*petition_get)(struct store *s, struct arena *a, const struct petition_number *n,
                        struct petition *out, struct err *e);
    int (*petition_list)(struct store *s, struct arena *a, const struct petition_query *q,
                         struct petition_list *out, struct err *e);
    /* The numbers of every petition q matches (offset and limit ignored),
     * in q's order, read at once: what an export walks before reading
     * each petition in full.  Sorting only numbers keeps it cheap for the
     * whole register. */
    int (*petition_numbers)(struct store *s, struct arena *a, const struct petition_query *q,
                            struct petition_number **out, int *n, struct err *e);
    /* Public petitions per state: counts[state]. */
    int (*petition_state_counts)(struct store *s, int64_t counts[PETITION_STATE_COUNT],
                                 struct err *e);
    /* The entries of an Atom feed: summaries as petition_list gives them,
     * each with its keywords, and for FEED_RESPONSES its response
     * (has_response); out->total is out->count.  An unknown keyword gives
     * an empty list (look it up first for a 404). */
    int (*petition_feed)(struct store *s, struct arena *a, const struct feed_query *q,
                         struct petition_list *out, struct err *e);

    int (*subject_list)(struct store *s, struct arena *a, struct subject **out, int *n,
                        struct err *e);
    /* Every Parliament, newest first, each with its public petitions
     * counted (petitions). */
    int (*parliament_list)(struct store *s, struct arena *a, struct parliament **out, int *n,
                           struct err *e);
    /* Every Member who sits now or authorized or presented a public
     * petition, by name, each with the public petitions it authorized
     * counted (petitions) and whether it sits (active). */
    int (*member_directory)(struct store *s, struct arena *a, struct member **out, int *n,
                            struct err *e);
    int (*keyword_list)(struct store *s, struct arena *a, struct keyword **out, int *n,
                        struct err *e);
    int (*keyword_get)(struct store *s, struct arena *a, const char *slug, struct keyword *out,
                       struct err *e);
    int (*subject_get)(struct store *s, struct arena *a, const char *code, struct subject *out,
                       struct err *e);

    /* ---- Members and ministries, for forms ---- */
    /* Sitting Members (not the Speaker unless with_speaker), by name. */
    int (*member_list)(struct store *s, struct arena *a, bool with_speaker, struct member **out,
                       int *n, struct err *e);
    int (*member_get)(struct store *s, struct arena *a, int64_t id, const char *key,
                      struct member *out, struct err *e);
    int (*ministry_list)(struct store *s, struct arena *a, struct ministry **out, int *n,
                         struct err *e);
    int (*ministry_get)(struct store *s, struct arena *a, int64_t id, const char *code,
                        struct ministry *out, struct err *e);

    /* ---- accounts and sessions ----
     * Writes below join the calling thread's transaction when one is open
     * (begin/commit), else commit on their own. */
    /* ERR_CONFLICT when the address (case-insensitive) has an account. */
    int (*user_insert)(struct store *s, struct user *u, struct err *e);
    /* By id, or by address when id is 0 (any case). */
    int (*user_get)(struct store *s, struct arena *a, int64_t id, const char *email,
                    struct user *out, struct err *e);
    /* Staff accounts (every role but petitioner). */
    int (*user_list)(struct store *s, struct arena *a, struct user **out, int *n,
                     struct err *e);
    /* The accounts of a Member (role member). */
    int (*user_by_member)(struct store *s, struct arena *a, int64_t member_id,
                          struct user **out, int *n, struct err *e);
    int (*user_activate)(struct store *s, int64_t id, int64_t now, struct err *e);
    /* Set the password hash, bump the generation, end every session. */
    int (*user_set_password)(struct store *s, int64_t id, const char *hash, struct err *e);

    int (*auth_session_insert)(struct store *s, const unsigned char id_hash[32], int64_t user_id,
                               const char *csrf, int64_t now, int64_t expires_at,
                               struct err *e);
    /* The user and CSRF token of a live session; ERR_NOT_FOUND otherwise. */
    int (*auth_session_get)(struct store *s, struct arena *a, const unsigned char id_hash[32],
                            int64_t now, struct user *u, const char **csrf, struct err *e);
    int (*auth_session_delete)(struct store *s, const unsigned char id_hash[32], struct err *e);

    /* Failed sign-ins under key within the window ending now; add one
     * more when add is true.  *failures gets the count after. */
    int (*sign_in_failures)(struct store *s, const char *key, int64_t now, int window,
                            bool add, int *failures, struct err *e);
    int (*sign_in_failures_clear)(struct store *s, const char *key, struct err *e);

    /* ---- petitions before publication ---- */
    int (*draft_insert)(struct store *s, struct draft_record *d, struct err *e);
    /* Write every field of d (by d->id); updated_at is set to now. */
    int (*draft_update)(struct store *s, const struct draft_record *d, int64_t now,
                        struct err *e);
    int (*draft_get)(struct store *s, struct arena *a, int64_t id, struct draft_record *out,
                     struct err *e);
    /* The petitioner's newest draft (any state); ERR_NOT_FOUND when none. */
    int (*draft_latest)(struct store *s, struct arena *a, int64_t petitioner_id,
                        struct draft_record *out, struct err *e);
    /* Oldest state change first. */
    int (*draft_list)(struct store *s, struct arena *a, const struct draft_query *q,
                      struct draft_record **out, int *n, struct err *e);
    int (*draft_event_add)(struct store *s, int64_t draft_id, int64_t at, int64_t user_id,
                           enum petition_state state, const char *note, struct err *e);

    /* ERR_CONFLICT when the draft already has that e-mail key. */
    int (*supporter_insert)(struct store *s, struct supporter_record *r, struct err *e);
    /* Every field of r that may change: invitation, confirmation, contact. */
    int (*supporter_update)(struct store *s, const struct supporter_record *r, struct err *e);
    int (*supporter_delete)(struct store *s, int64_t draft_id, int64_t id, struct err *e);
    int (*supporter_get)(struct store *s, struct arena *a, int64_t id,
                         struct supporter_record *out, struct err *e);
    /* In the order they were named. */
    int (*supporter_list)(struct store *s, struct arena *a, int64_t draft_id,
                          struct supporter_record **out, int *n, struct err *e);

    int (*member_request_insert)(struct store *s, struct member_request *r, struct err *e);
    /* Answer the open request of the draft (answered_at, answer). */
    int (*member_request_answer)(struct store *s, int64_t draft_id, int64_t at,
                                 const char *answer, struct err *e);
    int (*member_request_list)(struct store *s, struct arena *a, int64_t draft_id,
                               struct member_request **out, int *n, struct err *e);

    /* ---- publication ---- */
    /* The next unused e-petition number. */
    int (*petition_next_e_number)(struct store *s, long *n, struct err *e);
    int (*petition_set_state)(struct store *s, int64_t petition_id, enum petition_state state,
                              int64_t now, struct err *e);

    /* The current session of the sitting Parliament; ERR_CONFLICT when
     * Parliament is dissolved (nothing can be published then). */
    int (*session_current)(struct store *s, int *parliament, int *session, struct err *e);

    /* ---- signing (rulebook 4, 11.6-11.10) ----
     * Writes join the calling thread's transaction like those above. */
    /* By id, or by e-number when id is 0. */
    int (*petition_brief)(struct store *s, int64_t id, long e_number,
                          struct petition_brief *out, struct err *e);
    /* Petitions whose closing timers may be due at now: open ones past
     * closing, and closed ones not yet in the certification queue. */
    int (*petition_closing)(struct store *s, struct arena *a, int64_t now,
                            struct petition_brief **out, int *n, struct err *e);
    /* Every e-petition's id, for the reconciliation. */
    int (*petition_e_ids)(struct store *s, struct arena *a, int64_t **out, int *n,
                          struct err *e);
    int (*petition_set_queued)(struct store *s, int64_t id, int64_t now, struct err *e);
    int (*petition_set_certified)(struct store *s, int64_t id, int64_t now, struct err *e);
    /* Move a region's count and the total by delta, in one statement each,
     * and the day's change (petition_days) for the Eastern day of now. */
    int (*petition_count_add)(struct store *s, int64_t petition_id, enum region r, int delta,
                              int64_t now, struct err *e);
    /* A petition's net change of counted signatures per Eastern day, oldest
     * first (every region summed); days without change are absent. */
    int (*petition_days)(struct store *s, struct arena *a, int64_t petition_id,
                         struct day_count **out, int *n, struct err *e);
    /* The net change by province or territory of every public e-petition's
     * counted signatures on Eastern days from since (inclusive). */
    int (*region_days_since)(struct store *s, const struct civil_date *since,
                             int64_t out[REGION_COUNT], struct err *e);
    /* The stored counts and a recount of the rows, in one snapshot. */
    /* The stored counts (petition_counts by region) and signature_total. */
    int (*petition_counts_stored)(struct store *s, int64_t petition_id,
                                  int64_t stored[REGION_COUNT], int64_t *total, struct err *e);
    int (*petition_recount)(struct store *s, int64_t petition_id, struct petition_recount *out,
                            struct err *e);
    /* Set the stored counts to base + rows and the total to their sum. */
    int (*petition_counts_fix)(struct store *s, int64_t petition_id,
                               const struct petition_recount *rc, struct err *e);

    /* ERR_CONFLICT when the petition has that e-mail key already. */
    int (*signature_insert)(struct store *s, struct signature_record *r, struct err *e);
    int (*signature_get)(struct store *s, struct arena *a, int64_t id,
                         struct signature_record *out, struct err *e);
    int (*signature_find)(struct store *s, struct arena *a, int64_t petition_id,
                          const char *email_key, struct signature_record *out, struct err *e);
    /* Write what may change: confirmation, review, flag, reviewer, mails. */
    int (*signature_update)(struct store *s, const struct signature_record *r, struct err *e);
    /* Signatures from rate_key on a petition created at or after
     * since_burst (*burst) and since_sustained (*sustained), in one read. */
    int (*signature_recent)(struct store *s, int64_t petition_id, const char *rate_key,
                            int64_t since_burst, int64_t since_sustained, int64_t *burst,
                            int64_t *sustained, struct err *e);
    int (*signature_list)(struct store *s, struct arena *a, const struct signature_query *q,
                          struct signature_record **out, int *n, struct err *e);
    int (*signature_stats)(struct store *s, int64_t petition_id, struct signature_stats *out,
                           struct err *e);

    /* ERR_CONFLICT when the same entry exists. */
    int (*signing_rule_insert)(struct store *s, struct signing_rule *r, struct err *e);
    int (*signing_rule_delete)(struct store *s, int64_t id, struct err *e);
    int (*signing_rule_list)(struct store *s, struct arena *a, struct signing_rule **out,
                             int *n, struct err *e);

    /* ---- the audit log (append-only) ----
     * audit_append only inside a transaction (begin/commit); a staff write
     * in a transaction with no audit record is refused by the database. */
    int (*audit_append)(struct store *s, struct audit_entry *a, struct err *e);
    /* Newest first. */
    int (*audit_list)(struct store *s, struct arena *a, const struct audit_query *q,
                      struct audit_entry **out, int *n, struct err *e);

    /* ---- Parliament's calendar ---- */
    int (*house_status)(struct store *s, struct house_status *out, struct err *e);
    /* Every session, newest first, with its Parliament's number and its
     * public petitions counted (petitions). */
    int (*session_list)(struct store *s, struct arena *a, struct session **out, int *n,
                        struct err *e);
    /* End the current session (prorogation), or the Parliament and its
     * session (dissolution), at `at`. */
    int (*session_end)(struct store *s, int64_t session_id, int64_t at, bool dissolution,
                       struct err *e);
    int (*parliament_dissolve)(struct store *s, int64_t parliament_id, int64_t at,
                               struct err *e);
    /* Sitting days from `from` on, ascending, at most limit. */
    int (*sitting_days)(struct store *s, struct arena *a, const char *from, int limit,
                        sitting_day **out, int *n, struct err *e);
    int (*sitting_day_set)(struct store *s, const char *day, bool sitting, struct err *e);

    /* ---- presentation and the response ---- */
    /* The next presented-petition number of a session (1 for the first). */
    int (*presentation_next)(struct store *s, int64_t session_id, int *sequence,
                             struct err *e);
    /* PRESENTED with its number, Member, committee and ministry; an event. */
    int (*petition_present)(struct store *s, const struct presentation *p, struct err *e);
    int (*response_draft_get)(struct store *s, struct arena *a, int64_t petition_id,
                              struct response_draft *out, struct err *e);
    int (*response_draft_put)(struct store *s, const struct response_draft *d,
                              struct err *e);
    /* Insert the response and move the petition to RESPONSE_TABLED. */
    int (*response_table)(struct store *s, int64_t petition_id, const struct response *r,
                          struct err *e);
    /* Move every petition in state `from` to `to` at `at` (with an event),
     * and every draft in `from` when drafts is true; each moved one is
     * added to mailing mailing_id's sources when that is not 0.  *moved
     * gets how many. */
    int (*state_move_all)(struct store *s, enum petition_state from, enum petition_state to,
                          bool drafts, int64_t at, int64_t mailing_id, int64_t *moved,
                          struct err *e);

    /* ---- mail to many ---- */
    int (*mailing_insert)(struct store *s, struct mailing *m, struct err *e);
    int (*mailing_source_add)(struct store *s, int64_t mailing_id,
                              const struct mailing_source *src, struct err *e);
    /* The oldest mailing not done; ERR_NOT_FOUND when none. */
    int (*mailing_open)(struct store *s, struct arena *a, struct mailing *out, struct err *e);
    /* The source after after_id (by id); ERR_NOT_FOUND when none. */
    int (*mailing_source_next)(struct store *s, struct arena *a, int64_t mailing_id,
                               int64_t after_id, struct mailing_source *out, struct err *e);
    /* Add (or merge the label of) one recipient. */
    int (*mailing_recipient_add)(struct store *s, int64_t mailing_id,
                                 const struct mailing_recipient *r, struct err *e);
    /* List the confirmed supporters of a draft as recipients. */
    int (*mailing_add_supporters)(struct store *s, int64_t mailing_id, int64_t draft_id,
                                  const char *label, struct err *e);
    /* List up to limit counted signatures of a petition with ids above
     * after; *last gets the last id listed (after when none), *n how many. */
    int (*mailing_add_signatures)(struct store *s, int64_t mailing_id, int64_t petition_id,
                                  const char *label, int64_t after, int limit, int64_t *last,
                                  int *n, struct err *e);
    int (*mailing_cursor)(struct store *s, int64_t mailing_id, int64_t source, int64_t after,
                          int64_t collected_at, struct err *e);
    /* Up to limit recipients not yet in the outbox, by key. */
    int (*mailing_batch)(struct store *s, struct arena *a, int64_t mailing_id, int limit,
                         struct mailing_recipient **out, int *n, struct err *e);
    int (*mailing_queued)(struct store *s, int64_t mailing_id, const char *email_key,
                          int64_t at, struct err *e);
    int (*mailing_done)(struct store *s, int64_t mailing_id, int64_t at, struct err *e);
    int (*mailing_progress)(struct store *s, int64_t mailing_id, struct mailing_progress *out,
                            struct err *e);

    /* ---- retention (rulebook 11.14) ---- */
    /* Petitions and unpublished drafts in a final state since before
     * `before`, not yet erased. */
    int (*retention_due)(struct store *s, struct arena *a, int64_t before,
                         struct retention_item **out, int *n, struct err *e);
    /* Blank the personal columns of its signatures and supporters and
     * mark it erased at now. */
    int (*retention_erase)(struct store *s, const struct retention_item *it, int64_t now,
                           struct err *e);
    /* Delete sent outbox mail and listed recipients of finished mailings
     * older than before; *n gets how many rows went. */
    int (*retention_prune_mail)(struct store *s, int64_t before, int64_t *n, struct err *e);

    /* ---- the Clerk's search of signatures (rulebook 11.7) ---- */
    int (*signature_search)(struct store *s, struct arena *a, const struct signature_filter *f,
                            int64_t after_id, int limit, struct signature_record **out, int *n,
                            struct err *e);
    int (*signature_search_count)(struct store *s, const struct signature_filter *f,
                                  int64_t *n, struct err *e);

    /* ---- the outbox ---- */
    int (*outbox_insert)(struct store *s, struct outbox_mail *m, struct err *e);
    /* Unsent mail due at now, oldest first. */
    int (*outbox_due)(struct store *s, struct arena *a, int64_t now, int limit,
                      struct outbox_mail **out, int *n, struct err *e);
    int (*outbox_sent)(struct store *s, int64_t id, int64_t now, struct err *e);
    int (*outbox_retry)(struct store *s, int64_t id, int64_t next_try_at, const char *error,
                        struct err *e);
};

struct store {
    const struct store_ops *ops;
};

/* The SQLite backend (store_sqlite.c). */
int store_sqlite_open(const char *path, bool create, struct store **out, struct err *e);

#endif
