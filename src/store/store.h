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
};

struct petition_query {
    bool public_only;            /* only states the public site shows */
    bool has_state;
    enum petition_state state;
    const char *subject_code;    /* NULL = any */
    const char *keyword_slug;    /* NULL = any */
    const char *text;            /* words to find in either language; NULL = any */
    bool has_kind;
    enum petition_kind kind;
    int64_t member_id;           /* authorized by this Member; 0 = any */
    enum petition_sort sort;
    int offset;
    int limit;                   /* at most 100 */
};

struct petition_list {
    struct petition *items;      /* summaries: no grievances, prayer or response text */
    int count;
    int64_t total;               /* matching petitions, for pagination */
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

/* What the demo and import loaders write; ids are filled in on return. */
struct store_ops {
    const char *name; /* "sqlite" */

    void (*close)(struct store *s);

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
    /* Public petitions per state: counts[state]. */
    int (*petition_state_counts)(struct store *s, int64_t counts[PETITION_STATE_COUNT],
                                 struct err *e);

    int (*subject_list)(struct store *s, struct arena *a, struct subject **out, int *n,
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
    /* Move a region's count and the total by delta, in one statement each. */
    int (*petition_count_add)(struct store *s, int64_t petition_id, enum region r, int delta,
                              struct err *e);
    /* The stored counts and a recount of the rows, in one snapshot. */
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
    /* Signatures from rate_key on a petition created at or after since. */
    int (*signature_recent)(struct store *s, int64_t petition_id, const char *rate_key,
                            int64_t since, int64_t *n, struct err *e);
    int (*signature_list)(struct store *s, struct arena *a, const struct signature_query *q,
                          struct signature_record **out, int *n, struct err *e);
    int (*signature_stats)(struct store *s, int64_t petition_id, struct signature_stats *out,
                           struct err *e);

    /* ERR_CONFLICT when the same entry exists. */
    int (*signing_rule_insert)(struct store *s, struct signing_rule *r, struct err *e);
    int (*signing_rule_delete)(struct store *s, int64_t id, struct err *e);
    int (*signing_rule_list)(struct store *s, struct arena *a, struct signing_rule **out,
                             int *n, struct err *e);

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
