/*
 * store.h: the one interface to petitiond's database.
 *
 * Pages, the API, the command line and (later) the jobs talk to storage
 * only through these functions.  Behind them is a backend, a table of
 * function pointers (as git's refs backends): store_sqlite.c now, and
 * store_pg.c for PostgreSQL when one machine is no longer enough.  All SQL
 * lives in the backend, as constant strings with bound parameters.
 *
 * Threads: a struct store may be used from any number of threads at once;
 * the backend keeps a pool of connections.  Reads see a consistent
 * snapshot per call.
 *
 * Memory: everything a read returns is allocated from the arena the
 * caller passes and lives as long as it.
 *
 * Errors: 0 on success; ERR_NOT_FOUND when a looked-up record does not
 * exist; ERR_STORE when the database fails (details in e->log);
 * ERR_INVALID for a record the schema refuses.
 */
#ifndef PETITIOND_STORE_H
#define PETITIOND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/account.h"
#include "core/draft.h"
#include "core/house.h"
#include "core/petition.h"
#include "core/signature.h"

struct arena;
struct err;
struct store;

/* What a list of petitions is filtered and sorted by. */
enum petition_sort {
    SORT_RECENT,          /* latest activity first (state change) */
    SORT_OLDEST,
    SORT_MOST_SIGNATURES,
    SORT_FEWEST_SIGNATURES,
    SORT_RELEVANCE,       /* best match of text first (bm25); without text, as recent */
};

struct petition_query {
    bool public_only;            /* only states the public site shows */
    bool has_state;
    enum petition_state state;
    const char *subject_code;    /* NULL = any */
    const char *keyword_slug;    /* NULL = any */
    const char *text;            /* words to find in either language (core/search.h),
                                  * in the public texts of public petitions only; NULL,
                                  * or text without a word = any */
    bool has_kind;
    enum petition_kind kind;
    int64_t member_id;           /* authorized by this Member; 0 = any */
    int64_t response_ministry_id; /* answered by this ministry; 0 = any */
    int parliament;              /* of this Parliament (44); 0 = any */
    int session;                 /* of this session of it (1); 0 = any (with parliament) */
    bool responded;              /* only those with a tabled government response */
    enum petition_sort sort;
    int offset;
    int limit;                   /* at most 100 */
};

struct petition_list {
    struct petition *items;      /* summaries: no grievances, prayer or response text */
    int count;
    int64_t total;               /* matching petitions, for pagination */
};

/* What an Atom feed lists (web/feeds.h): public petitions, newest first. */
enum feed_kind {
    FEED_OPENED,    /* e-petitions by their opening for signature (opened_at) */
    FEED_RESPONSES, /* petitions by the tabling of their response */
    FEED_KEYWORD,   /* petitions filed under a keyword, latest state change first */
};

struct feed_query {
    enum feed_kind kind;
    const char *keyword_slug; /* FEED_KEYWORD */
    int limit;                /* at most 100 */
};

/* Drafts a workspace lists. */
struct draft_query {
    bool has_state;
    enum petition_state state;
    int64_t member_id;      /* asked of this Member now; 0 = any */
    int64_t petitioner_id;  /* 0 = any */
    bool timed;             /* only those with a running timer (scheduler) */
    int limit;              /* at most 500 */
};

/* A day's net change of a petition's counted signatures (petition_days). */
struct day_count {
    struct civil_date day; /* Eastern */
    int64_t delta;
};

/* One e-mail in the outbox. */
struct outbox_mail {
    int64_t id;
    int64_t created_at;
    const char *kind;       /* "supporter-invitation", ... */
    const char *to_addr;
    const char *to_name;
    enum lang lang;
    const char *subject;
    const char *body;
    int attempts;
    int64_t next_try_at;
    int64_t sent_at;
    const char *last_error;
    int64_t mailing_id;     /* one of a mailing to many; 0 = none */
    int64_t signature_id;   /* about this signature: subject and body are rendered
                             * when it is sent (empty until then); 0 = none */
};

/* A past event of a draft, for the petitioner and the Clerk. */
struct draft_event {
    int64_t at;
    int64_t user_id;
    enum petition_state state;
    const char *note;
};

/* What signing needs of a published petition, read on every signature. */
struct petition_brief {
    int64_t id;
    enum petition_kind kind;
    long e_number;
    enum petition_state state;
    int64_t closes_at;
    int64_t certified_at;
    int64_t queued_at;             /* entered the certification queue; 0 = not yet */
    int certify_threshold;         /* 0 = the jurisdiction's */
    int grace_hours;               /* -1 = the jurisdiction's */
    int64_t total;                 /* counted signatures (with imported counts) */
    int64_t authorizing_member_id; /* 0 = none */
    int64_t draft_id;              /* the draft it was published from; 0 = imported */
    enum lang original_language;
    bool is_demo;
};

/* Signatures the Clerk lists. */
struct signature_query {
    int64_t petition_id;
    bool has_review;
    enum signature_review review;
    int64_t after_id; /* ids above this (keyset paging); 0 = from the first */
    int limit;        /* at most 500 */
};

/* A petition's signature rows by state, for the Clerk's workspace. */
struct signature_stats {
    int64_t rows;
    int64_t pending;           /* not confirmed, not invalidated */
    int64_t counted;
    int64_t suspect;           /* held, confirmed or not */
    int64_t suspect_confirmed;
    int64_t invalidated;
};

/* Stored counts of a petition beside a recount of its rows. */
struct petition_recount {
    int64_t stored[REGION_COUNT]; /* petition_counts.count */
    int64_t base[REGION_COUNT];   /* imported, not backed by rows */
    int64_t rows[REGION_COUNT];   /* counted signature rows */
    int64_t stored_total;         /* petitions.signature_total */
};

/* An entry of the Clerk's allow and block lists (rulebook 11.8). */
struct signing_rule {
    int64_t id;
    bool block;       /* else allow */
    bool domain;      /* else network */
    const char *value; /* "203.0.113.0/24", "2001:db8::/32", "example.com" */
    const char *note;
    int64_t created_at;
    int64_t created_by;
};


/* ---- issue "after certification": audit, House, mail to many, retention ---- */

/* One staff action (or petitiond's own, user_id 0, role "system"). */
struct audit_entry {
    int64_t id;
    int64_t at;
    int64_t user_id;
    const char *role;     /* "clerk", "admin", "responder", "member", "system" */
    const char *action;   /* "signature.invalidate", "petition.present", ... */
    int64_t petition_id;  /* 0 = none */
    const char *target;   /* "e-6512", "user 12", "45-1"; "" when none */
    const char *reason;   /* "" when none */
    const char *details;  /* a JSON object; NULL = "{}" */
    const char *user_email; /* read back: the actor's address, or NULL */
};

struct audit_query {
    int64_t petition_id;  /* 0 = any */
    int64_t user_id;      /* 0 = any */
    const char *action;   /* NULL = any; a prefix ending in '.' matches a family */
    int64_t before_id;    /* ids below this (newest first paging); 0 = from the newest */
    int limit;            /* at most 500 */
};

/* A day of the sitting calendar, "2026-11-23". */
typedef char sitting_day[11];

/* Recording a presentation (rulebook 11.11). */
struct presentation {
    int64_t petition_id;
    int64_t at;                    /* the day presented (Eastern noon) */
    int64_t session_id;
    int sequence;                  /* next in the session */
    int64_t member_id;             /* presenting Member */
    const char *committee[LANG_COUNT];
    int64_t response_ministry_id;
};

/* A response being written by a ministry's responder. */
struct response_draft {
    int64_t petition_id;
    int64_t ministry_id;
    const char *signed_by;
    const char *text[LANG_COUNT];
    int64_t ready_at;              /* 0 = still being written */
    int64_t updated_at;
    int64_t updated_by;
};

/* A message to many (mailings table). */
struct mailing {
    int64_t id;
    const char *kind;
    int64_t created_at;
    const char *vars;              /* JSON object */
    int64_t collect_source;        /* mailing_sources.id being listed; 0 = none yet */
    int64_t collect_after;         /* last signature id listed of it */
    int64_t collected_at;
    int64_t done_at;
};

struct mailing_source {
    int64_t id;
    int64_t draft_id;              /* 0 = none (imported petition) */
    int64_t petition_id;           /* 0 = an unpublished draft */
    const char *label;             /* "e-6512" or "" */
};

struct mailing_recipient {
    const char *email_key;
    const char *email;
    const char *name;
    enum lang lang;
    const char *labels;            /* "e-6512, e-6478" */
};

struct mailing_progress {
    int64_t recipients;
    int64_t queued;
    int64_t sent;                  /* of the queued, delivered by the outbox */
};

/* A petition (or an unpublished draft) whose people's data is due for
 * erasure, with what would be erased. */
struct retention_item {
    int64_t petition_id;           /* 0 for a draft never published */
    int64_t draft_id;              /* 0 for an imported petition */
    const char *label;             /* "e-6512", or "draft 12" */
    enum petition_state state;
    int64_t final_at;
    int64_t signatures;            /* rows whose personal columns would be blanked */
    int64_t supporters;
};

/* The Clerk's search of a petition's signatures (rulebook 11.7). */
struct signature_filter {
    int64_t petition_id;
    const char *domain;            /* e-mail domain, with its subdomains; NULL = any */
    const char *network;           /* "203.0.113.0/24" or one address; NULL = any */
    const char *postal_prefix;     /* "K1A", compared without spaces, any case; NULL = any */
    int64_t from;                  /* created at or after; 0 = any */
    int64_t to;                    /* created before; 0 = any */
    bool has_review;
    enum signature_review review;
    bool pending;                  /* only unconfirmed ones */
};

/* What the demo and import loaders write; ids are filled in on return. */
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
    int (*draft_events)(struct store *s, struct arena *a, int64_t draft_id,
                        struct draft_event **out, int *n, struct err *e);

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
    int (*mailing_get)(struct store *s, struct arena *a, int64_t id, struct mailing *out,
                       struct err *e);
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
    /* Unsent mail in the outbox (for pacing). */
    int (*outbox_backlog)(struct store *s, int64_t *n, struct err *e);

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

/*
 * Open the store named by spec: a file path (SQLite).  With create, a
 * missing database is created (only `petitiond migrate` does that, so a
 * mistyped path elsewhere is an error, not a new empty file).  Returns 0
 * and *out, which the caller closes with store_close().
 */
int store_open(const char *spec, bool create, struct store **out, struct err *e);

static inline void
store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

/* The newest schema migration this binary carries. */
int store_migrations_latest(void);

/* The SQLite backend (store_sqlite.c). */
int store_sqlite_open(const char *path, bool create, struct store **out, struct err *e);

#endif
