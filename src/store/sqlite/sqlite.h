/*
 * sqlite_internal.h: what the files of the SQLite backend share: the
 * connection pool, the statement cache and small binding helpers.  Only
 * src/store/sqlite_*.c and store_sqlite.c include it.
 */
#ifndef PETITIOND_SQLITE_INTERNAL_H
#define PETITIOND_SQLITE_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/arena.h"

#include "store/store_ops_old.h"

struct arena;
struct err;

/* Page threads, the scheduler and the mail thread share these. */
enum { POOL_SIZE = 8 };

/* Every statement has a slot in each connection's cache. */
enum stmt_id {
    Q_META_GET,
    Q_META_SET,
    Q_PARLIAMENT_PUT,
    Q_PARLIAMENT_ID,
    Q_SESSION_PUT,
    Q_SESSION_ID,
    Q_MEMBER_PUT,
    Q_MEMBER_ID,
    Q_MEMBER_BY_ID,
    Q_MINISTRY_PUT,
    Q_MINISTRY_ID,
    Q_MINISTER_PUT,
    Q_SUBJECT_PUT,
    Q_SUBJECT_ID,
    Q_KEYWORD_PUT,
    Q_KEYWORD_ID,
    Q_PETITION_INSERT,
    Q_GRIEVANCE_INSERT,
    Q_PETITION_KEYWORD_INSERT,
    Q_COUNT_INSERT,
    Q_RESPONSE_INSERT,
    Q_EVENT_INSERT,
    Q_PETITION_BY_E,
    Q_PETITION_BY_PRESENTED,
    Q_GRIEVANCES,
    Q_PETITION_KEYWORDS,
    Q_COUNTS,
    Q_RESPONSE,
    Q_EVENTS,
    Q_PARLIAMENT_LIST,
    Q_PETITION_LIST,
    Q_PETITION_LIST_TOTAL,
    Q_PETITION_SEARCH,
    Q_PETITION_SEARCH_TOTAL,
    Q_PETITION_NUMBERS,
    Q_PETITION_SEARCH_NUMBERS,
    Q_STATE_COUNTS,
    Q_SUBJECT_LIST,
    Q_KEYWORD_LIST,
    Q_KEYWORD_GET,
    Q_SUBJECT_GET,
    Q_SCHEMA_VERSION,
    /* sqlite_workflow.c */
    Q_MEMBER_LIST,
    Q_MEMBER_DIRECTORY,
    Q_MEMBER_GET,
    Q_MINISTRY_LIST,
    Q_MINISTRY_GET,
    Q_USER_INSERT,
    Q_USER_GET,
    Q_USER_BY_EMAIL,
    Q_USER_LIST,
    Q_USER_ACTIVATE,
    Q_USER_SET_PASSWORD,
    Q_USER_END_SESSIONS,
    Q_SESSION_INSERT,
    Q_SESSION_GET,
    Q_SESSION_DELETE,
    Q_FAILURES_GET,
    Q_FAILURES_SET,
    Q_FAILURES_CLEAR,
    Q_DRAFT_INSERT,
    Q_DRAFT_UPDATE,
    Q_DRAFT_GET,
    Q_DRAFT_LATEST,
    Q_DRAFT_LIST,
    Q_DRAFT_EVENT_ADD,
    Q_SUPPORTER_INSERT,
    Q_SUPPORTER_UPDATE,
    Q_SUPPORTER_DELETE,
    Q_SUPPORTER_GET,
    Q_SUPPORTER_LIST,
    Q_REQUEST_INSERT,
    Q_REQUEST_ANSWER,
    Q_REQUEST_LIST,
    Q_NEXT_E_NUMBER,
    Q_PETITION_SET_STATE,
    Q_PETITION_EVENT,
    Q_OUTBOX_INSERT,
    Q_OUTBOX_DUE,
    Q_OUTBOX_SENT,
    Q_OUTBOX_RETRY,
    Q_SESSION_CURRENT,
    Q_USER_BY_MEMBER,
    /* sqlite_signing.c */
    Q_BRIEF,
    Q_CLOSING,
    Q_E_IDS,
    Q_SET_QUEUED,
    Q_SET_CERTIFIED,
    Q_COUNT_ADD,
    Q_DAY_ADD,
    Q_PETITION_DAYS,
    Q_REGION_DAYS,
    Q_TOTAL_ADD,
    Q_RECOUNT_STORED,
    Q_COUNTS_STORED,
    Q_RECOUNT_ROWS,
    Q_COUNT_FIX,
    Q_TOTAL_FIX,
    Q_SIGNATURE_INSERT,
    Q_SIGNATURE_GET,
    Q_SIGNATURE_FIND,
    Q_SIGNATURE_UPDATE,
    Q_SIGNATURE_RECENT,
    Q_SIGNATURE_LIST,
    Q_SIGNATURE_STATS,
    Q_RULE_INSERT,
    Q_RULE_DELETE,
    Q_RULE_LIST,
    /* sqlite_audit.c */
    Q_AUDIT_APPEND,
    Q_AUDIT_MARK,
    Q_AUDIT_LIST,
    /* sqlite_house.c */
    Q_HOUSE_STATUS,
    Q_SESSION_LIST,
    Q_SESSION_END,
    Q_PARLIAMENT_DISSOLVE,
    Q_SITTING_DAYS,
    Q_SITTING_ADD,
    Q_SITTING_DELETE,
    Q_PRESENTATION_NEXT,
    Q_PRESENT,
    Q_RESPONSE_DRAFT_GET,
    Q_RESPONSE_DRAFT_PUT,
    Q_RESPONSE_TABLE,
    Q_MAILING_INSERT,
    Q_MAILING_SOURCE_ADD,
    Q_MAILING_OPEN,
    Q_MAILING_SOURCE_NEXT,
    Q_MAILING_RECIPIENT_ADD,
    Q_MAILING_ADD_SUPPORTERS,
    Q_MAILING_ADD_SIGNATURES,
    Q_MAILING_LAST_SIGNATURE,
    Q_MAILING_CURSOR,
    Q_MAILING_BATCH,
    Q_MAILING_QUEUED,
    Q_MAILING_DONE,
    Q_MAILING_PROGRESS,
    /* sqlite_retention.c */
    Q_RETENTION_DUE,
    Q_RETENTION_ERASE_SIGNATURES,
    Q_RETENTION_ERASE_SUPPORTERS,
    Q_RETENTION_MARK_PETITION,
    Q_RETENTION_MARK_DRAFT,
    Q_RETENTION_PRUNE_OUTBOX,
    Q_RETENTION_PRUNE_RECIPIENTS,
    /* sqlite_review.c */
    Q_SIGNATURE_SEARCH,
    Q_SIGNATURE_SEARCH_COUNT,
    /* store_sqlite.c: Atom feeds */
    Q_FEED_OPENED,
    Q_FEED_RESPONSES,
    Q_FEED_KEYWORD,
    Q_FEED_KEYWORDS_OF,
    Q_COUNT
};

struct conn {
    sqlite3 *db;
    sqlite3_stmt *stmts[Q_COUNT];
    bool busy;
    bool guarded; /* carries the audit guard (sqlite_audit.c) */
    bool review_fns; /* has the search functions of sqlite_review.c */
};

struct sqlite_store {
    struct store base;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct conn conns[POOL_SIZE];
    char *path;
    /* Background checkpoints (store.h, checkpoints_start): a thread with
     * its own connection, woken when the WAL grows past a threshold. */
    pthread_t ckpt_thread;
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
    bool ckpt_running, ckpt_wanted, ckpt_stopping;
    sqlite3 *ckpt_db;
};

struct sqlite_store *sq_ss(struct store *s);
int sq_db_error(struct err *e, sqlite3 *db, const char *what);

/* The connection this thread should use: its open transaction's, or one
 * from the pool (waiting while all are busy).  Release with sq_conn_put(),
 * which leaves a transaction's connection alone. */
struct conn *sq_conn_get(struct sqlite_store *s);
void sq_conn_put(struct sqlite_store *s, struct conn *c);

/* The cached statement id of c, prepared from sql the first time. */
sqlite3_stmt *sq_prep(struct conn *c, enum stmt_id id, const char *sql, struct err *e);
/* Reset a statement and clear its bindings (NULL is fine). */
void sq_done(sqlite3_stmt *st);
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);
/* The same without a copy: s must stay until the statement is reset (the
 * hot inserts of signature intake). */
void sq_bind_static(sqlite3_stmt *st, int i, const char *s);
/* Bind 0 as NULL: our times and ids are never 0 when present. */
void sq_bind_opt(sqlite3_stmt *st, int i, int64_t v);
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
/* Step a statement that returns no rows; resets it. */
int sq_step_done(struct conn *c, sqlite3_stmt *st, const char *what, struct err *e);
/* Step a statement that returns at most one row: 0 with the row current
 * (read it, then sq_done()), ERR_NOT_FOUND (the log names what) when there
 * is none, or the database's error; on an error the statement is reset. */
int sq_step_one(struct conn *c, sqlite3_stmt *st, const char *what, struct err *e);
/* Step a statement returning one integer; ERR_NOT_FOUND for no row. */
int sq_step_id(struct conn *c, sqlite3_stmt *st, int64_t *id, const char *what, struct err *e);

/* Run a statement whose id and SQL are given, with a binder; the common
 * skeleton of single writes. */
#define PREP_OR_OUT(st, c, id, sql, e)                                                        \
    do {                                                                                      \
        if (!((st) = sq_prep((c), (id), (sql), (e)))) {                                       \
            r = ERR_STORE;                                                                     \
            goto out;                                                                          \
        }                                                                                     \
    } while (0)

static inline int64_t
col_i64(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

/* A region column; REGION_OUTSIDE when empty or unknown. */
static inline enum region
col_region(sqlite3_stmt *st, int i)
{
    enum region r = REGION_OUTSIDE;
    const unsigned char *t = sqlite3_column_text(st, i);
    if (t)
        region_from_code((const char *)t, (size_t)sqlite3_column_bytes(st, i), &r);
    return r;
}

static inline enum lang
col_lang(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    enum lang l = LANG_EN;
    if (t)
        lang_from_code((const char *)t, strlen((const char *)t), &l);
    return l;
}

static inline enum petition_state
col_state(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    enum petition_state s = PETITION_DRAFT;
    if (t)
        petition_state_from_name((const char *)t, strlen((const char *)t), &s);
    return s;
}

/* Read several statements in one snapshot: begins a read transaction
 * unless the thread's write transaction is already open (then it is that
 * transaction's snapshot, and it must not be ended here).  Returns
 * whether it began one, for sq_snapshot_end(). */
static inline bool
sq_snapshot_begin(struct conn *c)
{
    return sqlite3_get_autocommit(c->db) &&
           sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static inline void
sq_snapshot_end(struct conn *c, bool began)
{
    if (began)
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

/* Collect the rows of st into an arena array with a row reader. */
#define COLLECT(type, out, n, st, a, read)                                                    \
    do {                                                                                      \
        int cap_ = 16, rc_;                                                                   \
        type *v_ = arena_alloc((a), sizeof(type) * (size_t)cap_);                             \
        *(n) = 0;                                                                             \
        while ((rc_ = sqlite3_step(st)) == SQLITE_ROW) {                                      \
            if (*(n) == cap_) {                                                               \
                type *w_ = arena_alloc((a), sizeof(type) * (size_t)cap_ * 2);                 \
                memcpy(w_, v_, sizeof(type) * (size_t)cap_);                                  \
                v_ = w_;                                                                      \
                cap_ *= 2;                                                                    \
            }                                                                                 \
            memset(&v_[*(n)], 0, sizeof(type));                                               \
            read(st, (a), &v_[*(n)]);                                                         \
            (*(n))++;                                                                         \
        }                                                                                     \
        *(out) = v_;                                                                          \
        r = rc_ == SQLITE_DONE ? 0 : sq_db_error(e, c->db, #type);                            \
    } while (0)

/* The states the public site shows, as an SQL list. */
#define PUBLIC_STATES                                                                          \
    "('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED', 'CERTIFIED',"       \
    " 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"                             \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED')"

/* The columns of a Member, in the order sq_read_member() reads them. */
#define SQ_MEMBER_COLUMNS                                                                     \
    "id, key, first_name, last_name, honorific, constituency_en, constituency_fr, province,"  \
    " caucus_en, caucus_fr, is_speaker"
void sq_read_member(sqlite3_stmt *st, struct arena *a, struct member *m);

/* The columns of a signature, in the order sq_read_signature() reads them. */
#define SQ_SIGNATURE_COLUMNS                                                                  \
    "id, petition_id, email_key, email, first_name, last_name, country, region,"              \
    " postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review, flag,"        \
    " reviewed_at, reviewed_by, mails, review_note"
void sq_read_signature(sqlite3_stmt *st, struct arena *a, struct signature_record *g);

/* The message of the audit guard's refusal, which sq_db_error() maps to
 * ERR_UNAUDITED. */
#define SQ_AUDIT_REFUSAL "staff action without an audit record"

/* sqlite_audit.c: the guard that refuses a staff write whose transaction
 * has no audit record.  sq_audit_guard() installs it on a connection once
 * the schema has the audit log (a no-op before); sq_audit_reset() forgets
 * the audit record of the transaction that just began or ended. */
void sq_audit_guard(struct conn *c);
void sq_audit_reset(struct conn *c);
int sq_audit_append(struct store *base, struct audit_entry *a, struct err *e);
int sq_audit_list(struct store *base, struct arena *a, const struct audit_query *q,
                  struct audit_entry **out, int *n, struct err *e);

/* sqlite_house.c: presentation, the response, Parliament's calendar, mailings. */
int sq_house_status(struct store *base, struct house_status *out, struct err *e);
int sq_session_list(struct store *base, struct arena *a, struct session **out, int *n, struct err *e);
int sq_session_end(struct store *base, int64_t session_id, int64_t at, bool dissolution, struct err *e);
int sq_parliament_dissolve(struct store *base, int64_t parliament_id, int64_t at, struct err *e);
int sq_sitting_days(struct store *base, struct arena *a, const char *from, int limit, sitting_day **out, int *n, struct err *e);
int sq_sitting_day_set(struct store *base, const char *day, bool sitting, struct err *e);
int sq_presentation_next(struct store *base, int64_t session_id, int *sequence, struct err *e);
int sq_petition_present(struct store *base, const struct presentation *p, struct err *e);
int sq_response_draft_get(struct store *base, struct arena *a, int64_t petition_id, struct response_draft *out, struct err *e);
int sq_response_draft_put(struct store *base, const struct response_draft *d, struct err *e);
int sq_response_table(struct store *base, int64_t petition_id, const struct response *rs, struct err *e);
int sq_state_move_all(struct store *base, enum petition_state from, enum petition_state to, bool drafts, int64_t at, int64_t mailing_id, int64_t *moved, struct err *e);
int sq_mailing_insert(struct store *base, struct mailing *m, struct err *e);
int sq_mailing_source_add(struct store *base, int64_t mailing_id, const struct mailing_source *src, struct err *e);
int sq_mailing_open(struct store *base, struct arena *a, struct mailing *out, struct err *e);
int sq_mailing_source_next(struct store *base, struct arena *a, int64_t mailing_id, int64_t after_id, struct mailing_source *out, struct err *e);
int sq_mailing_recipient_add(struct store *base, int64_t mailing_id, const struct mailing_recipient *rc, struct err *e);
int sq_mailing_add_supporters(struct store *base, int64_t mailing_id, int64_t draft_id, const char *label, struct err *e);
int sq_mailing_add_signatures(struct store *base, int64_t mailing_id, int64_t petition_id, const char *label, int64_t after, int limit, int64_t *last, int *n, struct err *e);
int sq_mailing_cursor(struct store *base, int64_t mailing_id, int64_t source, int64_t after, int64_t collected_at, struct err *e);
int sq_mailing_batch(struct store *base, struct arena *a, int64_t mailing_id, int limit, struct mailing_recipient **out, int *n, struct err *e);
int sq_mailing_queued(struct store *base, int64_t mailing_id, const char *email_key, int64_t at, struct err *e);
int sq_mailing_done(struct store *base, int64_t mailing_id, int64_t at, struct err *e);
int sq_mailing_progress(struct store *base, int64_t mailing_id, struct mailing_progress *out, struct err *e);

/* sqlite_workflow.c: the store_ops of accounts, drafts and the outbox. */
int sq_member_directory(struct store *base, struct arena *a, struct member **out, int *n,
                        struct err *e);
int sq_member_list(struct store *base, struct arena *a, bool with_speaker, struct member **out, int *n, struct err *e);
int sq_member_get(struct store *base, struct arena *a, int64_t id, const char *key, struct member *out, struct err *e);
int sq_ministry_list(struct store *base, struct arena *a, struct ministry **out, int *n, struct err *e);
int sq_ministry_get(struct store *base, struct arena *a, int64_t id, const char *code, struct ministry *out, struct err *e);
int sq_user_insert(struct store *base, struct user *u, struct err *e);
int sq_user_get(struct store *base, struct arena *a, int64_t id, const char *email, struct user *out, struct err *e);
int sq_user_list(struct store *base, struct arena *a, struct user **out, int *n, struct err *e);
int sq_user_activate(struct store *base, int64_t id, int64_t now, struct err *e);
int sq_user_set_password(struct store *base, int64_t id, const char *hash, struct err *e);
int sq_auth_session_insert(struct store *base, const unsigned char id_hash[32], int64_t user_id, const char *csrf, int64_t now, int64_t expires_at, struct err *e);
int sq_auth_session_get(struct store *base, struct arena *a, const unsigned char id_hash[32], int64_t now, struct user *u, const char **csrf, struct err *e);
int sq_auth_session_delete(struct store *base, const unsigned char id_hash[32], struct err *e);
int sq_sign_in_failures(struct store *base, const char *key, int64_t now, int window, bool add, int *failures, struct err *e);
int sq_sign_in_failures_clear(struct store *base, const char *key, struct err *e);
int sq_draft_insert(struct store *base, struct draft_record *d, struct err *e);
int sq_draft_update(struct store *base, const struct draft_record *d, int64_t now, struct err *e);
int sq_draft_get(struct store *base, struct arena *a, int64_t id, struct draft_record *out, struct err *e);
int sq_draft_latest(struct store *base, struct arena *a, int64_t petitioner_id, struct draft_record *out, struct err *e);
int sq_draft_list(struct store *base, struct arena *a, const struct draft_query *q, struct draft_record **out, int *n, struct err *e);
int sq_draft_event_add(struct store *base, int64_t draft_id, int64_t at, int64_t user_id, enum petition_state state, const char *note, struct err *e);
int sq_supporter_insert(struct store *base, struct supporter_record *rec, struct err *e);
int sq_supporter_update(struct store *base, const struct supporter_record *rec, struct err *e);
int sq_supporter_delete(struct store *base, int64_t draft_id, int64_t id, struct err *e);
int sq_supporter_get(struct store *base, struct arena *a, int64_t id, struct supporter_record *out, struct err *e);
int sq_supporter_list(struct store *base, struct arena *a, int64_t draft_id, struct supporter_record **out, int *n, struct err *e);
int sq_member_request_insert(struct store *base, struct member_request *rq, struct err *e);
int sq_member_request_answer(struct store *base, int64_t draft_id, int64_t at, const char *answer, struct err *e);
int sq_member_request_list(struct store *base, struct arena *a, int64_t draft_id, struct member_request **out, int *n, struct err *e);
int sq_petition_next_e_number(struct store *base, long *n, struct err *e);
int sq_petition_set_state(struct store *base, int64_t petition_id, enum petition_state state, int64_t now, struct err *e);
int sq_outbox_insert(struct store *base, struct outbox_mail *m, struct err *e);
int sq_outbox_due(struct store *base, struct arena *a, int64_t now, int limit, struct outbox_mail **out, int *n, struct err *e);
int sq_outbox_sent(struct store *base, int64_t id, int64_t now, struct err *e);
int sq_outbox_retry(struct store *base, int64_t id, int64_t next_try_at, const char *error, struct err *e);
int sq_session_current(struct store *base, int *parliament, int *session, struct err *e);
int sq_user_by_member(struct store *base, struct arena *a, int64_t member_id, struct user **out,
                      int *n, struct err *e);

/* sqlite_signing.c: the store_ops of signatures, counts and the lists. */
int sq_petition_brief(struct store *base, int64_t id, long e_number, struct petition_brief *out, struct err *e);
int sq_petition_closing(struct store *base, struct arena *a, int64_t now, struct petition_brief **out, int *n, struct err *e);
int sq_petition_e_ids(struct store *base, struct arena *a, int64_t **out, int *n, struct err *e);
int sq_petition_set_queued(struct store *base, int64_t id, int64_t now, struct err *e);
int sq_petition_set_certified(struct store *base, int64_t id, int64_t now, struct err *e);
int sq_petition_count_add(struct store *base, int64_t petition_id, enum region r, int delta, int64_t now, struct err *e);
int sq_petition_days(struct store *base, struct arena *a, int64_t petition_id, struct day_count **out, int *n, struct err *e);
int sq_region_days_since(struct store *base, const struct civil_date *since, int64_t out[REGION_COUNT], struct err *e);
int sq_petition_counts_stored(struct store *base, int64_t petition_id, int64_t stored[REGION_COUNT], int64_t *total, struct err *e);
int sq_petition_recount(struct store *base, int64_t petition_id, struct petition_recount *out, struct err *e);
int sq_petition_counts_fix(struct store *base, int64_t petition_id, const struct petition_recount *rc, struct err *e);
int sq_signature_insert(struct store *base, struct signature_record *rec, struct err *e);
int sq_signature_get(struct store *base, struct arena *a, int64_t id, struct signature_record *out, struct err *e);
int sq_signature_find(struct store *base, struct arena *a, int64_t petition_id, const char *email_key, struct signature_record *out, struct err *e);
int sq_signature_update(struct store *base, const struct signature_record *rec, struct err *e);
int sq_signature_recent(struct store *base, int64_t petition_id, const char *rate_key, int64_t since_burst, int64_t since_sustained, int64_t *burst, int64_t *sustained, struct err *e);
int sq_signature_list(struct store *base, struct arena *a, const struct signature_query *q, struct signature_record **out, int *n, struct err *e);
int sq_signature_stats(struct store *base, int64_t petition_id, struct signature_stats *out, struct err *e);
int sq_signing_rule_insert(struct store *base, struct signing_rule *rule, struct err *e);
int sq_signing_rule_delete(struct store *base, int64_t id, struct err *e);
int sq_signing_rule_list(struct store *base, struct arena *a, struct signing_rule **out, int *n, struct err *e);

/* sqlite_retention.c: the erasure of personal data (rulebook 11.14). */
int sq_retention_due(struct store *base, struct arena *a, int64_t before, struct retention_item **out, int *n, struct err *e);
int sq_retention_erase(struct store *base, const struct retention_item *it, int64_t now, struct err *e);
int sq_retention_prune_mail(struct store *base, int64_t before, int64_t *n, struct err *e);

/* sqlite_review.c: the Clerk's search of a petition's signatures. */
int sq_signature_search(struct store *base, struct arena *a, const struct signature_filter *f, int64_t after_id, int limit, struct signature_record **out, int *n, struct err *e);
int sq_signature_search_count(struct store *base, const struct signature_filter *f, int64_t *n, struct err *e);

#endif
