/*
 * backend.h: what a storage backend provides, and what the wrappers of
 * store.h use of it.  Only src/store/ includes this file.
 *
 * A backend is a folder (store/sqlite/, later store/pg/) with files named
 * like the areas of store.h (petitions.c, signing.c, ...), each filling the
 * table of its area below, and one struct store_backend that names them
 * with what every backend does: open and close a store, lend connections
 * from its pool, begin and end transactions, migrate (as git keeps one
 * refs interface with files and reftable backends behind it).
 *
 * The wrappers (store/<area>.c) are the only callers of these tables: a
 * read runs on its transaction's connection, or on one lent from the pool
 * for the call; a write on its transaction's.  So a backend function is
 * given a connection and never thinks about pools or transactions: every
 * statement it runs belongs to whatever transaction the connection is in
 * (none, for a read: it then reads several statements in one snapshot
 * by beginning a read of its own when it needs to).
 *
 * Errors follow store.h; a backend maps its engine's errors to those
 * codes (which constraint is a conflict, the audit guard's refusal) and
 * never lets an engine's message text be the contract.
 */
#ifndef PETITIOND_STORE_BACKEND_H
#define PETITIOND_STORE_BACKEND_H

#include <stdatomic.h>
#include <stdbool.h>

#include "lib/err.h"
#include "store/store.h"

/* The part of a backend's connection that the wrappers see: a backend's
 * own connection struct begins with it. */
struct store_conn {
    struct store *store;
};

/* The part of a backend's store that the wrappers see: a backend's own
 * store struct begins with it. */
struct store {
    const struct store_backend *be;
    /* Faults to inject (store/faults.h): 0 = none.  The next call or
     * commit whose number reaches the plan fails with ERR_STORE. */
    atomic_long fail_call_at, fail_commit_at;
    atomic_long calls, commits;
};

enum store_savepoint_kind {
    STORE_SAVEPOINT_BEGIN,
    STORE_SAVEPOINT_RELEASE,
    STORE_SAVEPOINT_ROLLBACK, /* back to it, and release it */
};

/* store/meta.h */
struct store_meta_ops {
    int (*meta_get)(struct store_conn *c, struct arena *a, const char *key, const char **value,
                    struct err *e);
    int (*meta_set)(struct store_conn *c, const char *key, const char *value, struct err *e);
    int (*lease_take)(struct store_conn *c, const char *name, const char *holder, int64_t now,
                      int64_t until, bool *held, struct err *e);
    int (*lease_release)(struct store_conn *c, const char *name, const char *holder, struct err *e);
    int (*lease_get)(struct store_conn *c, struct arena *a, const char *name, const char **holder,
                     int64_t *until, struct err *e);
    int (*change_bump)(struct store_conn *c, struct err *e);
    int (*change_version)(struct store_conn *c, int64_t *version, struct err *e);
};

/* store/petitions.h */
struct store_petitions_ops {
    int (*petition_insert)(struct store_conn *c, struct petition *p, struct err *e);
    int (*petition_get)(struct store_conn *c, struct arena *a, const struct petition_number *n,
                        struct petition *out, struct err *e);
    int (*petition_totals)(struct store_conn *c, const int64_t *ids, int n, int64_t *totals,
                           struct err *e);
    int (*petition_brief)(struct store_conn *c, int64_t id, long e_number,
                          struct petition_brief *out, struct err *e);
    int (*petition_next_e_number)(struct store_conn *c, long *n, struct err *e);
    int (*petition_set_state)(struct store_conn *c, int64_t petition_id, enum petition_state state,
                              int64_t now, struct err *e);
    int (*petition_set_queued)(struct store_conn *c, int64_t id, int64_t now, struct err *e);
    int (*petition_set_certified)(struct store_conn *c, int64_t id, int64_t now, struct err *e);
    int (*petition_closing)(struct store_conn *c, struct arena *a, int64_t now,
                            struct petition_brief **out, int *n, struct err *e);
    int (*petition_e_ids)(struct store_conn *c, struct arena *a, int64_t **out, int *n,
                          struct err *e);
    int (*petition_days)(struct store_conn *c, struct arena *a, int64_t petition_id,
                         struct day_count **out, int *n, struct err *e);
    int (*region_days_since)(struct store_conn *c, const struct civil_date *since,
                             int64_t out[REGION_COUNT], struct err *e);
    int (*subject_put)(struct store_conn *c, struct subject *sub, struct err *e);
    int (*subject_list)(struct store_conn *c, struct arena *a, struct subject **out, int *n,
                        struct err *e);
    int (*subject_get)(struct store_conn *c, struct arena *a, const char *code, struct subject *out,
                       struct err *e);
    int (*keyword_put)(struct store_conn *c, struct keyword *k, struct err *e);
    int (*keyword_list)(struct store_conn *c, struct arena *a, struct keyword **out, int *n,
                        struct err *e);
    int (*keyword_get)(struct store_conn *c, struct arena *a, const char *slug, struct keyword *out,
                       struct err *e);
};

/* store/search.h */
struct store_search_ops {
    int (*petition_list)(struct store_conn *c, struct arena *a, const struct petition_query *q,
                         struct petition_list *out, struct err *e);
    int (*petition_numbers)(struct store_conn *c, struct arena *a, const struct petition_query *q,
                            struct petition_number **out, int *n, struct err *e);
    int (*petition_state_counts)(struct store_conn *c, int64_t counts[PETITION_STATE_COUNT],
                                 struct err *e);
    int (*petition_feed)(struct store_conn *c, struct arena *a, const struct feed_query *q,
                         struct petition_list *out, struct err *e);
};

/* store/house.h */
struct store_house_ops {
    int (*parliament_put)(struct store_conn *c, struct parliament *p, struct err *e);
    int (*session_put)(struct store_conn *c, struct session *ses, struct err *e);
    int (*member_put)(struct store_conn *c, struct member *m, struct err *e);
    int (*ministry_put)(struct store_conn *c, struct ministry *m, struct err *e);
    int (*minister_put)(struct store_conn *c, struct minister *m, struct err *e);
    int (*parliament_list)(struct store_conn *c, struct arena *a, struct parliament **out, int *n,
                           struct err *e);
    int (*member_directory)(struct store_conn *c, struct arena *a, struct member **out, int *n,
                            struct err *e);
    int (*member_list)(struct store_conn *c, struct arena *a, bool with_speaker,
                       struct member **out, int *n, struct err *e);
    int (*member_get)(struct store_conn *c, struct arena *a, int64_t id, const char *key,
                      struct member *out, struct err *e);
    int (*ministry_list)(struct store_conn *c, struct arena *a, struct ministry **out, int *n,
                         struct err *e);
    int (*ministry_get)(struct store_conn *c, struct arena *a, int64_t id, const char *code,
                        struct ministry *out, struct err *e);
    int (*session_current)(struct store_conn *c, int *parliament, int *session, struct err *e);
    int (*house_status)(struct store_conn *c, struct house_status *out, struct err *e);
    int (*session_list)(struct store_conn *c, struct arena *a, struct session **out, int *n,
                        struct err *e);
    int (*session_end)(struct store_conn *c, int64_t session_id, int64_t at, bool dissolution,
                       struct err *e);
    int (*parliament_dissolve)(struct store_conn *c, int64_t parliament_id, int64_t at,
                               struct err *e);
    int (*sitting_days)(struct store_conn *c, struct arena *a, const char *from, int limit,
                        sitting_day **out, int *n, struct err *e);
    int (*sitting_day_set)(struct store_conn *c, const char *day, bool sitting, struct err *e);
    int (*presentation_next)(struct store_conn *c, int64_t session_id, int *sequence,
                             struct err *e);
    int (*petition_present)(struct store_conn *c, const struct presentation *p, struct err *e);
    int (*response_draft_get)(struct store_conn *c, struct arena *a, int64_t petition_id,
                              struct response_draft *out, struct err *e);
    int (*response_draft_put)(struct store_conn *c, const struct response_draft *d, struct err *e);
    int (*response_table)(struct store_conn *c, int64_t petition_id, const struct response *r,
                          struct err *e);
    int (*state_move_all)(struct store_conn *c, enum petition_state from, enum petition_state to,
                          bool drafts, int64_t at, int64_t mailing_id, int64_t *moved,
                          struct err *e);
};

/* store/signing.h */
struct store_signing_ops {
    int (*petition_count_add)(struct store_conn *c, int64_t petition_id, enum region r, int delta,
                              int64_t now, struct err *e);
    int (*petition_count_add_many)(struct store_conn *c, const struct count_delta *d, int n,
                                   int64_t now, struct err *e);
    int (*petition_counts_stored)(struct store_conn *c, int64_t petition_id,
                                  int64_t stored[REGION_COUNT], int64_t *total, struct err *e);
    int (*petition_recount)(struct store_conn *c, int64_t petition_id, struct petition_recount *out,
                            struct err *e);
    int (*petition_counts_fix)(struct store_conn *c, int64_t petition_id,
                               const struct petition_recount *rc, struct err *e);
    int (*signature_insert)(struct store_conn *c, struct signature_record *r, struct err *e);
    int (*signature_get)(struct store_conn *c, struct arena *a, int64_t id,
                         struct signature_record *out, struct err *e);
    int (*signature_find)(struct store_conn *c, struct arena *a, int64_t petition_id,
                          const char *email_key, struct signature_record *out, struct err *e);
    int (*signature_update)(struct store_conn *c, const struct signature_record *r, struct err *e);
    int (*signature_recent)(struct store_conn *c, int64_t petition_id, const char *rate_key,
                            int64_t since_burst, int64_t since_sustained, int64_t *burst,
                            int64_t *sustained, struct err *e);
    int (*signature_probe)(struct store_conn *c, struct signature_probe *p, int n, struct err *e);
    int (*signature_insert_many)(struct store_conn *c, struct signature_record *r, int n,
                                 struct err *e);
    int (*signature_get_many)(struct store_conn *c, struct arena *a, const int64_t *ids, int n,
                              struct signature_record *out, bool *found, struct err *e);
    int (*signature_confirm_many)(struct store_conn *c, const int64_t *ids, const int64_t *at,
                                  const int64_t *log_index, int n, struct err *e);
    int (*signature_list)(struct store_conn *c, struct arena *a, const struct signature_query *q,
                          struct signature_record **out, int *n, struct err *e);
    int (*signature_stats)(struct store_conn *c, int64_t petition_id, struct signature_stats *out,
                           struct err *e);
    int (*signature_search)(struct store_conn *c, struct arena *a, const struct signature_filter *f,
                            int64_t after_id, int limit, struct signature_record **out, int *n,
                            struct err *e);
    int (*signature_search_count)(struct store_conn *c, const struct signature_filter *f,
                                  int64_t *n, struct err *e);
    int (*signing_rule_insert)(struct store_conn *c, struct signing_rule *r, struct err *e);
    int (*signing_rule_delete)(struct store_conn *c, int64_t id, struct err *e);
    int (*signing_rule_list)(struct store_conn *c, struct arena *a, struct signing_rule **out,
                             int *n, struct err *e);
    int (*signing_pause_insert)(struct store_conn *c, struct signing_pause *p, struct err *e);
    int (*signing_pause_delete)(struct store_conn *c, int64_t petition_id, struct err *e);
    int (*signing_pause_list)(struct store_conn *c, struct arena *a, struct signing_pause **out,
                              int *n, struct err *e);
};

/* store/accounts.h */
struct store_accounts_ops {
    int (*user_insert)(struct store_conn *c, struct user *u, struct err *e);
    int (*user_get)(struct store_conn *c, struct arena *a, int64_t id, const char *email,
                    struct user *out, struct err *e);
    int (*user_list)(struct store_conn *c, struct arena *a, struct user **out, int *n,
                     struct err *e);
    int (*user_by_member)(struct store_conn *c, struct arena *a, int64_t member_id,
                          struct user **out, int *n, struct err *e);
    int (*user_activate)(struct store_conn *c, int64_t id, int64_t now, struct err *e);
    int (*user_set_password)(struct store_conn *c, int64_t id, const char *hash, struct err *e);
    int (*auth_session_insert)(struct store_conn *c, const unsigned char id_hash[32],
                               int64_t user_id, const char *csrf, int64_t now, int64_t expires_at,
                               struct err *e);
    int (*auth_session_get)(struct store_conn *c, struct arena *a, const unsigned char id_hash[32],
                            int64_t now, struct user *u, const char **csrf, struct err *e);
    int (*auth_session_delete)(struct store_conn *c, const unsigned char id_hash[32],
                               struct err *e);
    int (*form_state_put)(struct store_conn *c, const char *id, int64_t user_id, const char *path,
                          const char *state, int64_t now, int64_t expires_at, int keep,
                          struct err *e);
    int (*form_state_get)(struct store_conn *c, struct arena *a, const char *id, int64_t user_id,
                          const char *path, int64_t now, const char **state, struct err *e);
    int (*form_state_delete)(struct store_conn *c, const char *id, int64_t user_id, struct err *e);
    int (*sign_in_failures)(struct store_conn *c, const char *key, int64_t now, int window,
                            int *failures, struct err *e);
    int (*sign_in_failure_add)(struct store_conn *c, const char *key, int64_t now, int window,
                               int *failures, struct err *e);
    int (*sign_in_failures_clear)(struct store_conn *c, const char *key, struct err *e);
};

/* store/drafts.h */
struct store_drafts_ops {
    int (*draft_insert)(struct store_conn *c, struct draft_record *d, struct err *e);
    int (*draft_update)(struct store_conn *c, const struct draft_record *d, int64_t now,
                        struct err *e);
    int (*draft_get)(struct store_conn *c, struct arena *a, int64_t id, struct draft_record *out,
                     struct err *e);
    int (*draft_latest)(struct store_conn *c, struct arena *a, int64_t petitioner_id,
                        struct draft_record *out, struct err *e);
    int (*draft_list)(struct store_conn *c, struct arena *a, const struct draft_query *q,
                      struct draft_record **out, int *n, struct err *e);
    int (*draft_event_add)(struct store_conn *c, int64_t draft_id, int64_t at, int64_t user_id,
                           enum petition_state state, const char *note, struct err *e);
    int (*supporter_insert)(struct store_conn *c, struct supporter_record *r, struct err *e);
    int (*supporter_update)(struct store_conn *c, const struct supporter_record *r, struct err *e);
    int (*supporter_delete)(struct store_conn *c, int64_t draft_id, int64_t id, struct err *e);
    int (*supporter_get)(struct store_conn *c, struct arena *a, int64_t id,
                         struct supporter_record *out, struct err *e);
    int (*supporter_list)(struct store_conn *c, struct arena *a, int64_t draft_id,
                          struct supporter_record **out, int *n, struct err *e);
    int (*member_request_insert)(struct store_conn *c, struct member_request *r, struct err *e);
    int (*member_request_answer)(struct store_conn *c, int64_t draft_id, int64_t at,
                                 const char *answer, struct err *e);
    int (*member_request_list)(struct store_conn *c, struct arena *a, int64_t draft_id,
                               struct member_request **out, int *n, struct err *e);
};

/* store/mail.h */
struct store_mail_ops {
    int (*outbox_insert)(struct store_conn *c, struct outbox_mail *m, struct err *e);
    int (*outbox_insert_many)(struct store_conn *c, struct outbox_mail *m, int n, struct err *e);
    int (*outbox_due)(struct store_conn *c, struct arena *a, int64_t now, int limit,
                      struct outbox_mail **out, int *n, struct err *e);
    int (*outbox_claim)(struct store_conn *c, struct arena *a, int64_t now, int64_t until,
                        int limit, struct outbox_mail **out, int *n, struct err *e);
    int (*outbox_sent)(struct store_conn *c, int64_t id, int64_t now, struct err *e);
    int (*outbox_failed)(struct store_conn *c, int64_t id, const struct outbox_failure *f,
                         struct err *e);
    int (*outbox_health)(struct store_conn *c, int64_t since, struct outbox_health *out,
                         struct err *e);
    int (*outbox_failures)(struct store_conn *c, struct arena *a, int limit,
                           struct outbox_mail **out, int *n, struct err *e);
    int (*mailing_insert)(struct store_conn *c, struct mailing *m, struct err *e);
    int (*mailing_source_add)(struct store_conn *c, int64_t mailing_id,
                              const struct mailing_source *src, struct err *e);
    int (*mailing_open)(struct store_conn *c, struct arena *a, struct mailing *out, struct err *e);
    int (*mailing_source_next)(struct store_conn *c, struct arena *a, int64_t mailing_id,
                               int64_t after_id, struct mailing_source *out, struct err *e);
    int (*mailing_recipient_add)(struct store_conn *c, int64_t mailing_id,
                                 const struct mailing_recipient *r, struct err *e);
    int (*mailing_add_supporters)(struct store_conn *c, int64_t mailing_id, int64_t draft_id,
                                  const char *label, struct err *e);
    int (*mailing_add_signatures)(struct store_conn *c, int64_t mailing_id, int64_t petition_id,
                                  const char *label, int64_t after, int limit, int64_t *last,
                                  int *n, struct err *e);
    int (*mailing_cursor)(struct store_conn *c, int64_t mailing_id, int64_t source, int64_t after,
                          int64_t collected_at, struct err *e);
    int (*mailing_batch)(struct store_conn *c, struct arena *a, int64_t mailing_id, int limit,
                         struct mailing_recipient **out, int *n, struct err *e);
    int (*mailing_queued)(struct store_conn *c, int64_t mailing_id, const char *email_key,
                          int64_t at, struct err *e);
    int (*mailing_done)(struct store_conn *c, int64_t mailing_id, int64_t at, struct err *e);
    int (*mailing_progress)(struct store_conn *c, int64_t mailing_id, struct mailing_progress *out,
                            struct err *e);
    int (*mail_stop)(struct store_conn *c, int64_t signature_id, int64_t at, int64_t *petition_id,
                     struct err *e);
    int (*mail_stops_count)(struct store_conn *c, int64_t petition_id, int64_t *n, struct err *e);
};

/* store/audit.h */
struct store_audit_ops {
    int (*audit_append)(struct store_conn *c, struct audit_entry *a, struct err *e);
    int (*audit_list)(struct store_conn *c, struct arena *a, const struct audit_query *q,
                      struct audit_entry **out, int *n, struct err *e);
};

/* store/retention.h */
struct store_retention_ops {
    int (*retention_due)(struct store_conn *c, struct arena *a, int64_t before,
                         struct retention_item **out, int *n, struct err *e);
    int (*retention_erase)(struct store_conn *c, const struct retention_item *it, int64_t now,
                           struct err *e);
    int (*retention_prune_mail)(struct store_conn *c, int64_t before, int64_t *n, struct err *e);
    int (*retention_prune_forms)(struct store_conn *c, int64_t now, int64_t *n, struct err *e);
};

/* store/copy.h: copying a whole site from one store into another.  A
 * table's rows travel as text (NULL as NULL, a blob as "\\x" and hex),
 * in the columns the target names.  A backend fills what it can be: a
 * source (copy_count, copy_read), a target (all of them), or neither
 * (NULL: the copy says the pair is not supported). */
struct store_copy_table {
    const char *name;
    const char **columns; /* the target's stored columns, generated ones left out */
    int ncolumns;
};
typedef int (*store_copy_row_fn)(void *arg, const char *const *values, struct err *e);
struct store_copy_ops {
    /* The tables a copy fills, parents before children, and whether
     * the store holds anything of a site (a petition, a user, a draft or
     * a signature) in *used. */
    int (*copy_tables)(struct store_conn *c, struct arena *a, struct store_copy_table **out, int *n,
                       bool *used, struct err *e);
    /* Read in one snapshot from here to copy_read_end() (a source). */
    int (*copy_read_begin)(struct store_conn *c, struct err *e);
    void (*copy_read_end)(struct store_conn *c);
    /* The stored columns of a table in the source (*n = 0 when it has
     * no such table). */
    int (*copy_columns)(struct store_conn *c, struct arena *a, const char *table, const char ***out,
                        int *n, struct err *e);
    /* The rows of a table. */
    int (*copy_count)(struct store_conn *c, const char *table, int64_t *n, struct err *e);
    /* Call row() with every row of table, in the order of its primary
     * key, its columns in t's order, in one snapshot. */
    int (*copy_read)(struct store_conn *c, const struct store_copy_table *t, store_copy_row_fn row,
                     void *arg, struct err *e);
    /* In the target's transaction: empty the tables a migration filled
     * (the copy brings its own rows of them), audited as the copy. */
    int (*copy_prepare)(struct store_conn *c, const struct store_copy_table *tables, int n,
                        struct err *e);
    /* Write rows into table t: begin, a row at a time, end. */
    int (*copy_write_begin)(struct store_conn *c, const struct store_copy_table *t, struct err *e);
    int (*copy_write_row)(struct store_conn *c, const char *const *values, struct err *e);
    int (*copy_write_end)(struct store_conn *c, struct err *e);
    /* After the rows: every id sequence past the ids copied. */
    int (*copy_finish)(struct store_conn *c, struct err *e);
};

/* store/log.h; hashes as 64 lowercase hex digits. */
struct store_log_ops {
    int (*head)(struct store_conn *c, int64_t petition_id, struct log_head *out, struct err *e);
    /* Make the log (old_size 0 and none) or move its size from old_size
     * to new_size and its attested count by weight, and append texts[i]
     * (entries, each ending in '\n') to part first_part + i (entries
     * 8k .. 8k + 7 in part k), made if none, for i < nparts; ERR_CONFLICT
     * (nothing appended) when its size is not old_size.  The intake
     * writer's batch calls it once per log: on a server, one round trip. */
    int (*append)(struct store_conn *c, int64_t petition_id, int64_t old_size, int64_t new_size,
                  int64_t weight, int64_t first_part, const char *const *texts, int nparts,
                  struct err *e);
    /* Bundle n: its parts 32n .. 32n + 31 in order, concatenated;
     * ERR_NOT_FOUND when it has none. */
    int (*bundle)(struct store_conn *c, struct arena *a, int64_t petition_id, int64_t n,
                  const char **text, size_t *len, struct err *e);
    int (*hash_put)(struct store_conn *c, int64_t petition_id, int level, int64_t index,
                    const char *hex, struct err *e);
    int (*hash)(struct store_conn *c, struct arena *a, int64_t petition_id, int level,
                int64_t index, const char **hex, struct err *e);
    int (*checkpoint_insert)(struct store_conn *c, const struct log_checkpoint *cp,
                             const char *root_hex, struct err *e);
    /* The checkpoint at the greatest size ≤ max_size; cp->root is left
     * for the wrapper to decode from *root_hex. */
    int (*checkpoint)(struct store_conn *c, struct arena *a, int64_t petition_id, int64_t max_size,
                      struct log_checkpoint *out, const char **root_hex, struct err *e);
    /* Set certified_size; ERR_NOT_FOUND when no log. */
    int (*certify)(struct store_conn *c, int64_t petition_id, int64_t size, struct err *e);
    int (*unsigned_heads)(struct store_conn *c, struct arena *a, int limit, struct log_head **out,
                          int *n, struct err *e);
    int (*missing)(struct store_conn *c, struct arena *a, int limit, int64_t **ids, int *n,
                   struct err *e);
};

struct store_backend {
    const char *name; /* "sqlite", "postgresql" */

    /* Open spec (the part after any "sqlite:" prefix), creating the
     * database when create is true; start whatever maintenance the
     * backend runs while open (SQLite's WAL checkpoints).  close stops it
     * and frees everything; no connection may be lent then. */
    int (*open)(const char *spec, bool create, struct store **out, struct err *e);
    void (*close)(struct store *s);

    /* Lend a connection of the pool (waiting while every one is lent) and
     * take it back.  A lent connection is in no transaction. */
    int (*conn_take)(struct store *s, struct store_conn **out, struct err *e);
    void (*conn_give)(struct store *s, struct store_conn *c);

    /* A write transaction on c, ended by commit (rolled back on its
     * error) or rollback; savepoints inside it. */
    int (*begin)(struct store_conn *c, struct err *e);
    int (*commit)(struct store_conn *c, struct err *e);
    void (*rollback)(struct store_conn *c);
    int (*savepoint)(struct store_conn *c, enum store_savepoint_kind kind, struct err *e);

    /* store.h: store_migrate, store_schema_version, store_schema_latest. */
    int (*migrate)(struct store *s, int *applied, struct err *e);
    int (*schema_version)(struct store *s, int *version, struct err *e);
    int (*schema_latest)(void);

    /* store.h: store_link_stats; NULL when there is no server (zeros). */
    void (*link_stats)(struct store *s, struct store_link_stats *out);

    /* store.h: store_backup; NULL when the engine has tools of its own
     * (PostgreSQL: pg_dump, base backups). */
    int (*backup)(struct store *s, const char *path, store_backup_progress_fn progress, void *arg,
                  struct err *e);

    const struct store_accounts_ops *accounts;
    const struct store_audit_ops *audit;
    const struct store_drafts_ops *drafts;
    const struct store_house_ops *house;
    const struct store_mail_ops *mail;
    const struct store_meta_ops *meta;
    const struct store_petitions_ops *petitions;
    const struct store_retention_ops *retention;
    const struct store_search_ops *search;
    const struct store_signing_ops *signing;
    const struct store_log_ops *log;
    const struct store_copy_ops *copy;
};

/* The SQLite backend (store/sqlite/). */
extern const struct store_backend store_sqlite_backend;
/* The PostgreSQL backend (store/pg/). */
extern const struct store_backend store_pg_backend;

/* ---- what both backends do alike (store/backend.c) ---- */

/* The key of an e-mail address as the store keeps it (the unique key of
 * accounts): ASCII letters lowered, nothing else changed, cut to cap - 1
 * bytes.  Both engines must key alike, so a copied site finds the same
 * accounts. */
void store_email_key(char *out, size_t cap, const char *email);

/* The final states of core/petition_state.h, each quoted, between open
 * and close, comma-separated: '[' ']' gives a JSON array (SQLite's
 * json_each), '{' '}' an array value (PostgreSQL's text[]). */
const char *store_final_states(struct arena *a, char open, char close);

/* The label of a retention item (store/retention.h): "draft 12" for a
 * draft, else its e-number, else its presented number, else "petition
 * 7".  e_number 0 and pn NULL mean none. */
const char *store_retention_label(struct arena *a, bool draft, int64_t draft_id,
                                  int64_t petition_id, long e_number,
                                  const struct presented_number *pn);

/* The number of the embedded migration path ("DIR0001_name.sql" with DIR
 * its folder, ending in '/'): 0 and *n, or -1 when the name has no
 * four-digit number and '_'. */
int store_migration_number(const char *path, const char *dir, int *n);

/* How many embedded migrations dir holds (store_schema_latest()). */
int store_migrations_count(const char *dir);

/* ---- for the wrappers (store.c) ---- */

/* The connection a read of s runs on: t's, or one lent from the pool;
 * ERR_STORE when a fault is planned for this call. */
int store_read_conn(struct store *s, struct store_txn *t, struct store_conn **out, struct err *e);
/* Give back what store_read_conn() lent (nothing when t was given). */
void store_read_done(struct store *s, struct store_txn *t, struct store_conn *c);
/* The connection of a write's transaction t; ERR_STORE when a fault is
 * planned for this call. */
int store_write_conn(struct store_txn *t, struct store_conn **out, struct err *e);

/* The body of every read wrapper: `e` is the wrapper's last parameter. */
#define STORE_READ(s, t, area, op, ...)                                                            \
    do {                                                                                           \
        struct store_conn *c_;                                                                     \
        int r_ = store_read_conn((s), (t), &c_, e);                                                \
        if (r_)                                                                                    \
            return r_;                                                                             \
        r_ = (s)->be->area->op(c_, __VA_ARGS__);                                                   \
        store_read_done((s), (t), c_);                                                             \
        return r_;                                                                                 \
    } while (0)

/* The body of every write wrapper. */
#define STORE_WRITE(t, area, op, ...)                                                              \
    do {                                                                                           \
        struct store_conn *c_;                                                                     \
        int r_ = store_write_conn((t), &c_, e);                                                    \
        if (r_)                                                                                    \
            return r_;                                                                             \
        return c_->store->be->area->op(c_, __VA_ARGS__);                                           \
    } while (0)

#endif
