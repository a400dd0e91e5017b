/*
 * sqlite.h: what the files of the SQLite backend share, and nothing else
 * includes (but tests/unit/search_test.c, for sq_fts5_query_build).
 *
 * The backend is one database file in WAL mode behind store/backend.h.
 * backend.c opens it, lends the connections of its pool, runs
 * transactions and migrations; sqlite.c holds the helpers below.  Each
 * area of store.h has a file of the same name (accounts.c, audit.c,
 * drafts.c, house.c, mail.c, meta.c, petitions.c, retention.c, search.c,
 * signing.c) that fills the area's table (sq_<area>_ops), and rows.c
 * reads the rows several areas select alike.  Every function of those
 * tables is given a connection and runs its statements on it, whatever
 * transaction the connection is in: none of them takes a connection from
 * the pool, begins or ends a transaction (but the read-only snapshot of
 * sq_snapshot_begin()).
 *
 * Every statement is a constant string beside the function that runs it,
 * prepared once per connection into a slot of its statement cache
 * (sq_prep(), enum sq_stmt) and reused; values are only ever bound.
 */
#ifndef PETITIOND_STORE_SQLITE_H
#define PETITIOND_STORE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/search.h"
#include "lib/arena.h"
#include "store/backend.h"

struct err;
struct strbuf;

/* Page threads, the scheduler and the mail thread share these. */
enum { SQ_POOL_SIZE = 8 };

/* Every statement has a slot in each connection's cache, listed by the
 * file that runs it.  A slot holds one SQL text: two functions that run
 * the same text still have a slot each. */
enum sq_stmt {
    /* backend.c */
    Q_SCHEMA_VERSION,
    Q_JOB_BEGIN,
    Q_JOB_RELEASE,
    Q_JOB_UNDO,
    /* copy.c */
    Q_COPY_COLUMNS,
    /* sqlite.c */
    Q_WRITE_BEGIN,
    Q_WRITE_RELEASE,
    Q_WRITE_UNDO,
    /* rows.c */
    Q_MEMBER_BY_ID,
    Q_PETITION_KEYWORDS,
    Q_PETITION_TOTAL,
    /* meta.c */
    Q_META_GET,
    Q_META_SET,
    Q_LEASE_TAKE,
    Q_LEASE_RELEASE,
    Q_LEASE_GET,
    Q_CHANGE_BUMP,
    Q_CHANGE_VERSION,
    /* petitions.c */
    Q_SUBJECT_PUT,
    Q_KEYWORD_PUT,
    Q_PETITION_SUBJECT_ID,
    Q_PETITION_MINISTRY_ID,
    Q_PETITION_MEMBER_ID,
    Q_PETITION_SESSION_ID,
    Q_PETITION_INSERT,
    Q_GRIEVANCE_INSERT,
    Q_PETITION_KEYWORD_INSERT,
    Q_COUNT_INSERT,
    Q_RESPONSE_INSERT,
    Q_EVENT_INSERT,
    Q_PETITION_BY_E,
    Q_PETITION_BY_PRESENTED,
    Q_GRIEVANCES,
    Q_COUNTS,
    Q_RESPONSE,
    Q_EVENTS,
    Q_SUBJECT_LIST,
    Q_KEYWORD_LIST,
    Q_KEYWORD_GET,
    Q_SUBJECT_GET,
    Q_NEXT_E_NUMBER,
    Q_PETITION_SET_STATE,
    Q_PETITION_EVENT,
    Q_BRIEF,
    Q_CLOSING,
    Q_E_IDS,
    Q_SET_QUEUED,
    Q_SET_CERTIFIED,
    Q_PETITION_DAYS,
    Q_REGION_DAYS,
    /* search.c */
    Q_PETITION_LIST,
    Q_PETITION_LIST_TOTAL,
    Q_PETITION_SEARCH,
    Q_PETITION_SEARCH_TOTAL,
    Q_PETITION_NUMBERS,
    Q_PETITION_SEARCH_NUMBERS,
    Q_STATE_COUNTS,
    Q_FEED_OPENED,
    Q_FEED_RESPONSES,
    Q_FEED_KEYWORD,
    /* house.c */
    Q_PARLIAMENT_PUT,
    Q_PARLIAMENT_ID,
    Q_SESSION_PUT,
    Q_SESSION_ID,
    Q_MEMBER_PUT,
    Q_MEMBER_ID,
    Q_MINISTRY_PUT,
    Q_MINISTRY_ID,
    Q_MINISTER_PUT,
    Q_PARLIAMENT_LIST,
    Q_MEMBER_DIRECTORY,
    Q_MEMBER_LIST,
    Q_MEMBER_GET,
    Q_MINISTRY_LIST,
    Q_MINISTRY_GET,
    Q_SESSION_CURRENT,
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
    /* accounts.c */
    Q_USER_INSERT,
    Q_USER_GET,
    Q_USER_BY_EMAIL,
    Q_USER_LIST,
    Q_USER_BY_MEMBER,
    Q_USER_ACTIVATE,
    Q_USER_SET_PASSWORD,
    Q_USER_END_SESSIONS,
    Q_SESSION_INSERT,
    Q_SESSION_GET,
    Q_SESSION_DELETE,
    Q_FORM_STATE_PUT,
    Q_FORM_STATE_TRIM,
    Q_FORM_STATE_GET,
    Q_FORM_STATE_DELETE,
    Q_FAILURES_GET,
    Q_FAILURES_SET,
    Q_FAILURES_CLEAR,
    /* drafts.c */
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
    /* mail.c */
    Q_OUTBOX_INSERT,
    Q_OUTBOX_DUE,
    Q_OUTBOX_CLAIM,
    Q_OUTBOX_SENT,
    Q_OUTBOX_FAILED,
    Q_OUTBOX_HEALTH,
    Q_OUTBOX_FAILURES,
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
    Q_MAIL_STOP,
    Q_MAIL_STOP_PETITION,
    Q_MAIL_STOPS_COUNT,
    /* signing.c */
    Q_COUNT_ADD,
    Q_TOTAL_ADD,
    Q_DAY_ADD,
    Q_COUNTS_STORED,
    Q_RECOUNT_STORED,
    Q_RECOUNT_ROWS,
    Q_COUNT_FIX,
    Q_TOTAL_FIX,
    Q_SIGNATURE_INSERT,
    Q_SIGNATURE_GET,
    Q_SIGNATURE_FIND,
    Q_SIGNATURE_UPDATE,
    Q_SIGNATURE_RECENT,
    Q_SIGNATURE_TAKEN,
    Q_SIGNATURE_CONFIRM,
    Q_SIGNATURE_LIST,
    Q_SIGNATURE_STATS,
    Q_SIGNATURE_SEARCH,
    Q_SIGNATURE_SEARCH_COUNT,
    Q_RULE_INSERT,
    Q_RULE_DELETE,
    Q_RULE_LIST,
    Q_PAUSE_INSERT,
    Q_PAUSE_DELETE,
    Q_PAUSE_LIST,
    /* audit.c */
    Q_AUDIT_APPEND,
    Q_AUDIT_MARK,
    Q_AUDIT_LIST,
    /* retention.c */
    Q_RETENTION_DUE,
    Q_RETENTION_ERASE_SIGNATURES,
    Q_RETENTION_ERASE_SUPPORTERS,
    Q_RETENTION_ERASE_MAIL_STOPS,
    Q_RETENTION_MARK_PETITION,
    Q_RETENTION_MARK_DRAFT,
    Q_RETENTION_PRUNE_OUTBOX,
    Q_RETENTION_PRUNE_RECIPIENTS,
    Q_RETENTION_PRUNE_FORMS,
    /* log.c */
    Q_LOG_HEAD,
    Q_LOG_HEAD_MAKE,
    Q_LOG_HEAD_MOVE,
    Q_LOG_BUNDLE_ADD,
    Q_LOG_BUNDLE,
    Q_LOG_HASH_PUT,
    Q_LOG_HASH,
    Q_LOG_CHECKPOINT_INSERT,
    Q_LOG_CHECKPOINT,
    Q_LOG_CERTIFY,
    Q_LOG_UNSIGNED,
    Q_LOG_MISSING,
    Q_COUNT
};

/* A connection of the pool: what store/backend.h calls a store_conn.  Its
 * statements and flags belong to the one thread it is lent to. */
struct sq_conn {
    struct store_conn base;
    sqlite3 *db;
    sqlite3_stmt *stmts[Q_COUNT];
    bool busy;           /* lent (backend.c) */
    bool guarded;        /* carries the audit guard (audit.c) */
    bool pauses_guarded; /* and its triggers on signing_pauses (migration 0009) */
    bool review_fns;     /* has the functions of the Clerk's search (signing.c) */
};

/* The store: what store/backend.h calls a struct store. */
struct sq_store {
    struct store base;
    pthread_mutex_t mu; /* guards conns[].busy */
    pthread_cond_t cv;  /* a connection was given back */
    struct sq_conn conns[SQ_POOL_SIZE];
    char *path;
    /* Background checkpoints: a thread with its own connection, woken
     * when the WAL grows past a threshold (backend.c). */
    pthread_t ckpt_thread;
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
    bool ckpt_running, ckpt_wanted, ckpt_stopping;
    sqlite3 *ckpt_db;
};

/* The backend's own structs behind the interface's. */
static inline struct sq_conn *
sq_conn(struct store_conn *c)
{
    return (struct sq_conn *)c;
}

static inline struct sq_store *
sq_store(struct store *s)
{
    return (struct sq_store *)s;
}

/* The tables of the areas (one file each) that store_sqlite_backend names. */
extern const struct store_accounts_ops sq_accounts_ops;
extern const struct store_audit_ops sq_audit_ops;
extern const struct store_drafts_ops sq_drafts_ops;
extern const struct store_house_ops sq_house_ops;
extern const struct store_mail_ops sq_mail_ops;
extern const struct store_meta_ops sq_meta_ops;
extern const struct store_petitions_ops sq_petitions_ops;
extern const struct store_retention_ops sq_retention_ops;
extern const struct store_search_ops sq_search_ops;
extern const struct store_log_ops sq_log_ops;
extern const struct store_signing_ops sq_signing_ops;
extern const struct store_copy_ops sq_copy_ops;

/* store_backup() (backup.c). */
int sq_backup(struct store *base, const char *path, store_backup_progress_fn progress, void *arg,
              struct err *e);

/* ---- errors (sqlite.c) ---------------------------------------------------------------- */

/* The message of the audit guard's refusal (audit.c: RAISE in its
 * triggers), by which sq_db_error() knows it. */
#define SQ_AUDIT_REFUSAL "staff action without an audit record"

/*
 * Map db's last error to store.h's codes, with what (and SQLite's message)
 * in e->log: the audit guard's refusal is ERR_UNAUDITED; a UNIQUE or
 * PRIMARY KEY constraint ERR_CONFLICT; any other constraint (NOT NULL,
 * CHECK, FOREIGN KEY) ERR_INVALID; anything else ERR_STORE.  Returns the
 * code.
 */
int sq_db_error(struct err *e, sqlite3 *db, const char *what);

/* ---- the statement cache and steps (sqlite.c) ------------------------------------------ */

/* The cached statement id of c, prepared from sql the first time.  NULL
 * (with e set) when the SQL does not prepare: a bug, or a schema the
 * binary does not know (migrate first). */
sqlite3_stmt *sq_prep(struct sq_conn *c, enum sq_stmt id, const char *sql, struct err *e);

/* Reset a statement and clear its bindings (NULL is fine). */
void sq_done(sqlite3_stmt *st);

/* Bind text, copied; NULL binds NULL. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *s);

/* The same without a copy: s must stay until the statement is reset (the
 * hot inserts of signature intake). */
void sq_bind_static(sqlite3_stmt *st, int i, const char *s);

/* Bind 0 as NULL: our times and ids are never 0 when present. */
void sq_bind_opt(sqlite3_stmt *st, int i, int64_t v);

/* Column i as text copied into a (NULL for NULL). */
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);

/* Step a statement that returns no rows; resets it. */
int sq_step_done(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct err *e);

/* Step a statement that returns at most one row: 0 with the row current
 * (read it, then sq_done()), ERR_NOT_FOUND (the log names what) when there
 * is none, or the database's error; on an error the statement is reset. */
int sq_step_one(struct sq_conn *c, sqlite3_stmt *st, const char *what, struct err *e);

/* Step a statement returning one integer (an id), and reset it;
 * ERR_NOT_FOUND for no row. */
int sq_step_id(struct sq_conn *c, sqlite3_stmt *st, int64_t *id, const char *what, struct err *e);

/*
 * A write of several statements changes nothing when one of them fails
 * (store.h), whatever its transaction holds besides: sq_write_begin()
 * marks where it starts (a savepoint, which may nest in the caller's),
 * and sq_write_end(c, r, e) keeps what came after when r is 0 and undoes
 * it otherwise; it returns r (or the error of keeping it, in e).  Single statements need neither:
 * SQLite undoes a failed statement by itself.
 */
int sq_write_begin(struct sq_conn *c, struct err *e);
int sq_write_end(struct sq_conn *c, int r, struct err *e);

/* Prepare a cached statement or set r = ERR_STORE and goto out: the
 * common opening of a function's statement. */
#define PREP_OR_OUT(st, c, id, sql, e)                                                             \
    do {                                                                                           \
        if (!((st) = sq_prep((c), (id), (sql), (e)))) {                                            \
            r = ERR_STORE;                                                                         \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* Collect the rows of st into an arena array with a row reader
 * read(st, a, &item); sets r (0, or the database's error) and *n. */
#define COLLECT(type, out, n, st, a, read)                                                         \
    do {                                                                                           \
        int cap_ = 16, rc_;                                                                        \
        type *v_ = arena_alloc((a), sizeof(type) * (size_t)cap_);                                  \
        *(n) = 0;                                                                                  \
        while ((rc_ = sqlite3_step(st)) == SQLITE_ROW) {                                           \
            if (*(n) == cap_) {                                                                    \
                type *w_ = arena_alloc((a), sizeof(type) * (size_t)cap_ * 2);                      \
                memcpy(w_, v_, sizeof(type) * (size_t)cap_);                                       \
                v_ = w_;                                                                           \
                cap_ *= 2;                                                                         \
            }                                                                                      \
            memset(&v_[*(n)], 0, sizeof(type));                                                    \
            read(st, (a), &v_[*(n)]);                                                              \
            (*(n))++;                                                                              \
        }                                                                                          \
        *(out) = v_;                                                                               \
        r = rc_ == SQLITE_DONE ? 0 : sq_db_error(e, c->db, #type);                                 \
    } while (0)

/* ---- columns --------------------------------------------------------------------------- */

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

/* A language column; English when empty or unknown. */
static inline enum lang
col_lang(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    enum lang l = LANG_EN;
    if (t)
        lang_from_code((const char *)t, strlen((const char *)t), &l);
    return l;
}

/* A state column; PETITION_DRAFT when empty or unknown. */
static inline enum petition_state
col_state(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    enum petition_state s = PETITION_DRAFT;
    if (t)
        petition_state_from_name((const char *)t, strlen((const char *)t), &s);
    return s;
}

/* ---- snapshots ----------------------------------------------------------------------- */

/*
 * Read several statements in one snapshot: begins a read transaction when
 * c is in none (a read lent its own connection), and does nothing when c
 * is in its caller's transaction (then that transaction's snapshot is
 * the one, and it must not be ended here).  Returns whether it began one,
 * for sq_snapshot_end().
 */
static inline bool
sq_snapshot_begin(struct sq_conn *c)
{
    return sqlite3_get_autocommit(c->db) &&
           sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static inline void
sq_snapshot_end(struct sq_conn *c, bool began)
{
    if (began)
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

/* ---- what several areas read ------------------------------------------------------------ */

/* The states the public site shows, as an SQL list. */
#define PUBLIC_STATES                                                                              \
    "('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED', 'CERTIFIED',"            \
    " 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"                                  \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED')"

/* The columns every petition read selects, in the order sq_read_petition()
 * reads them (rows.c).  p = petitions, ses/par = its session and
 * Parliament, sub = subject, am = addressee ministry, ps/pp = presented
 * session/Parliament. */
#define PETITION_COLUMNS                                                                           \
    "p.id, p.kind, p.e_number, p.state, p.state_changed_at, par.number, ses.number,"               \
    " sub.id, sub.code, sub.name_en, sub.name_fr, p.original_language, p.addressee_type,"          \
    " am.id, am.code, am.title_en, am.title_fr, p.addressee_member_id,"                            \
    " p.petitioner_name, p.petitioner_city, p.petitioner_province, p.authorizing_member_id,"       \
    " p.prayer_en, p.prayer_fr, p.signature_period_days, p.created_at, p.opened_at,"               \
    " p.closes_at, p.certified_at, p.presented_at, pp.number, ps.number,"                          \
    " p.presented_sequence, p.presenting_member_id, p.committee_en, p.committee_fr,"               \
    " p.signature_total, p.is_demo, p.certify_threshold, p.grace_hours,"                           \
    " p.response_ministry_id, p.erased_at"
#define PETITION_JOINS                                                                             \
    " FROM petitions p JOIN parliaments par ON par.id = p.parliament_id"                           \
    " LEFT JOIN sessions ses ON ses.id = p.session_id"                                             \
    " LEFT JOIN subjects sub ON sub.id = p.subject_id"                                             \
    " LEFT JOIN ministries am ON am.id = p.addressee_ministry_id"                                  \
    " LEFT JOIN sessions ps ON ps.id = p.presented_session_id"                                     \
    " LEFT JOIN parliaments pp ON pp.id = ps.parliament_id"

/* Fill p from the current row of st (selected with PETITION_COLUMNS), then
 * read the Members it names with another statement of c (rows.c). */
int sq_read_petition(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, struct petition *p,
                     struct err *e);

/* A keyword from a row of id, slug, name_en, name_fr[, petitions]
 * (rows.c). */
void sq_read_keyword(void *item, sqlite3_stmt *st, struct arena *a);

/* The keywords of petition p->id into p, by English name then id
 * (rows.c). */
int sq_read_petition_keywords(struct sq_conn *c, struct arena *a, struct petition *p,
                              struct err *e);

/* Move a petition to a state at now with an event in its timeline
 * (petitions.c; presentation and the response do it too). */
int sq_petition_set_state(struct store_conn *conn, int64_t petition_id, enum petition_state state,
                          int64_t now, struct err *e);

/* The columns of a Member, in the order sq_read_member() reads them
 * (rows.c). */
#define SQ_MEMBER_COLUMNS                                                                          \
    "id, key, first_name, last_name, honorific, constituency_en, constituency_fr, province,"       \
    " caucus_en, caucus_fr, is_speaker"
void sq_read_member(sqlite3_stmt *st, struct arena *a, struct member *m);

/* The columns of a signature, in the order sq_read_signature() reads them
 * (signing.c). */
#define SQ_SIGNATURE_COLUMNS                                                                       \
    "id, petition_id, email_key, email, first_name, last_name, country, region,"                   \
    " postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review, flag,"             \
    " reviewed_at, reviewed_by, mails, review_note, log_index"
void sq_read_signature(sqlite3_stmt *st, struct arena *a, struct signature_record *g);

/* ---- the audit guard (audit.c) ------------------------------------------------------------- */

/* Install the guard that refuses a staff write whose transaction has no
 * audit record on c, once the schema has the audit log (a no-op before,
 * and once installed). */
void sq_audit_guard(struct sq_conn *c);

/* Forget the audit record of the transaction that just began or ended on
 * c. */
void sq_audit_reset(struct sq_conn *c);

/* ---- search words (search.c) --------------------------------------------------------------- */

/*
 * Append to out the words of a search (core/search.h) as an FTS5 query:
 * '"w1" AND "w2" AND "w3"*'.  Each word becomes an FTS5 string, so
 * nothing in it is read as FTS5 syntax (operators, column filters, NEAR,
 * prefixes); the words are joined with AND, and the last one is a prefix,
 * as a visitor may not have finished typing it.  A '"' inside a word is
 * doubled (search_terms_split never keeps one, but this does not rely on
 * it).  Appends nothing when t has no words: the caller then leaves the
 * text out of its query.  Errors are out's (sticky).  The query goes to
 * MATCH as a bound parameter.
 */
void sq_fts5_query_build(struct strbuf *out, const struct search_terms *t);

#endif
