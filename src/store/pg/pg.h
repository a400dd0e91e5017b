/*
 * pg.h: what the files of the PostgreSQL backend share, and nothing else
 * includes.
 *
 * The backend is one PostgreSQL database (any libpq connection URI:
 * postgresql://user@host/db, postgresql:///db?host=/run/postgresql) behind
 * store/backend.h.  backend.c opens it, lends the connections of its
 * pool, runs transactions and migrations; pg.c holds the helpers below.
 * Each area of store.h has a file of the same name (accounts.c, audit.c,
 * drafts.c, house.c, mail.c, meta.c, petitions.c, retention.c, search.c,
 * signing.c) that fills the area's table (pg_<area>_ops), and rows.c reads
 * the rows several areas select alike.  As in store/sqlite/, every
 * function of those tables is given a connection and runs its statements
 * on it, whatever transaction the connection is in; none of them takes a
 * connection from the pool, begins or ends a transaction (but the
 * read-only snapshot of pg_snapshot_begin()).
 *
 * STATEMENTS.  Every statement is a constant string beside the function
 * that runs it (static const char sql[] = "..."), with $1, $2, ... for its
 * values, which are only ever bound (struct pg_args).  pg_run() prepares
 * it on the connection the first time that connection runs it (the
 * string's address is its key, so two functions never share a slot by
 * accident) and reuses the prepared statement after.  The schema
 * (sql/postgresql/) keeps SQLite's tables, columns and meanings: ids and
 * times bigint, flags integer 0/1, text text, blobs bytea.  A parameter
 * whose type PostgreSQL cannot infer from its place ($1 IS NULL, a
 * CASE, a function argument) is cast in the SQL ($1::bigint).
 *
 * ERRORS.  PostgreSQL gives up a whole transaction when one of its
 * statements fails, where SQLite undoes the statement alone.  The
 * contract of store.h (a write that fails changes nothing itself, and
 * its caller may go on with the rest of its transaction, or roll back to
 * its savepoint) is kept thus: a write that may fail in a way a caller
 * handles (a unique key taken: ERR_CONFLICT) is written not to fail
 * (INSERT ... ON CONFLICT DO NOTHING RETURNING id, no row = the conflict),
 * or runs between pg_write_begin() and pg_write_end() (a savepoint that
 * restores the transaction after the failure).  A write of several
 * statements always runs between them, as in SQLite.
 */
#ifndef PETITIOND_STORE_PG_H
#define PETITIOND_STORE_PG_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/petition.h"
#include "core/province.h"
#include "lib/arena.h"
#include "lib/lang.h"
#include "lib/strbuf.h"
#include "store/backend.h"

struct err;

/* The connections of a node's pool when --db-pool does not say: page
 * threads, the scheduler, the mail thread and the intake writer share
 * them. */
enum { PG_POOL_DEFAULT = 8, PG_POOL_MAX = 64 };

/* Prepared statements one connection can hold (a power of two). */
enum { PG_STMT_SLOTS = 1024 };

/* One prepared statement of a connection: the SQL text's address and the
 * name it was prepared under ("s<slot>"). */
struct pg_stmt {
    const char *sql;
    bool prepared;
};

/* A connection of the pool: what store/backend.h calls a store_conn.  Its
 * statements and flags belong to the one thread it is lent to. */
struct pg_conn {
    struct store_conn base;
    PGconn *db;
    struct pg_stmt stmts[PG_STMT_SLOTS];
    bool busy;       /* lent (backend.c) */
    bool broken;     /* lost: reconnected before it is lent again */
    bool lost;       /* dropped and not yet open again (backend.c, the metrics) */
    int write_depth; /* pg_write_begin() nesting, for the savepoints' names */
    /* A COPY in progress (copy.c): rows not yet sent, and its columns. */
    char *copy_buf;
    size_t copy_len, copy_cap;
    int copy_ncol;
};

/* The store: what store/backend.h calls a struct store. */
struct pg_store {
    struct store base;
    pthread_mutex_t mu; /* guards conns[].busy */
    pthread_cond_t cv;  /* a connection was given back */
    struct pg_conn *conns;
    int pool;
    char *uri;
    /* The link to the server (guarded by mu): counts for
     * store_link_stats(), and the back-off after a failed attempt. */
    struct store_link_stats link;
    int64_t retry_at_us; /* monotonic: no attempt before */
};

static inline struct pg_conn *
pg_conn(struct store_conn *c)
{
    return (struct pg_conn *)c;
}

static inline struct pg_store *
pg_store(struct store *s)
{
    return (struct pg_store *)s;
}

/* The tables of the areas (one file each) that store_pg_backend names. */
extern const struct store_accounts_ops pg_accounts_ops;
extern const struct store_audit_ops pg_audit_ops;
extern const struct store_drafts_ops pg_drafts_ops;
extern const struct store_house_ops pg_house_ops;
extern const struct store_mail_ops pg_mail_ops;
extern const struct store_meta_ops pg_meta_ops;
extern const struct store_petitions_ops pg_petitions_ops;
extern const struct store_retention_ops pg_retention_ops;
extern const struct store_search_ops pg_search_ops;
extern const struct store_log_ops pg_log_ops;
extern const struct store_signing_ops pg_signing_ops;
extern const struct store_copy_ops pg_copy_ops;

/* ---- errors (pg.c) ------------------------------------------------------------------------ */

/* The SQLSTATE the audit guard raises (sql/postgresql/: its triggers), by
 * which pg_db_error() knows it. */
#define PG_AUDIT_REFUSAL_STATE "PD001"

/*
 * Map a failed result (res, or c's connection when res is NULL) to
 * store.h's codes, with what and PostgreSQL's message in e->log:
 *   PD001 (the audit guard)                       ERR_UNAUDITED
 *   23505 unique_violation                         ERR_CONFLICT
 *   40001 serialization, 40P01 deadlock            ERR_CONFLICT
 *   other class 23 (not null, foreign key, check)  ERR_INVALID
 *   class 08, 57P01-57P03, a connection gone,      ERR_UNAVAILABLE (c is
 *   or no SQLSTATE at all (libpq's own error)      marked broken)
 *   anything else                                  ERR_STORE
 * Returns the code.
 */
int pg_db_error(struct err *e, struct pg_conn *c, const PGresult *res, const char *what);

/* ---- values to bind ------------------------------------------------------------------- */

enum { PG_MAX_ARGS = 40 };

/* The values of one statement, in order ($1, $2, ...).  Text format;
 * bytea in binary.  A text value is not copied: it must live until the
 * statement has run.  Numbers are printed into num[]. */
struct pg_args {
    int n;
    const char *v[PG_MAX_ARGS];
    int len[PG_MAX_ARGS];
    int fmt[PG_MAX_ARGS];
    char num[PG_MAX_ARGS][24];
};

#define PG_ARGS_INIT                                                                               \
    {                                                                                              \
        0                                                                                          \
    }

/* Text; NULL binds NULL. */
void pg_arg_text(struct pg_args *a, const char *s);
/* A number. */
void pg_arg_i64(struct pg_args *a, int64_t v);
/* A number, 0 bound as NULL: our times and ids are never 0 when present. */
void pg_arg_opt(struct pg_args *a, int64_t v);
/* A flag as the integer 0 or 1 (the schema's flags are integers). */
void pg_arg_flag(struct pg_args *a, bool v);
/* A float. */
void pg_arg_f64(struct pg_args *a, double v);
/* Bytes, as bytea (binary; not copied). */
void pg_arg_bytes(struct pg_args *a, const void *p, size_t n);

/*
 * Arrays: many rows in one statement.  An array is built element by
 * element into the text form PostgreSQL reads ("{1,2,NULL}", every text
 * element quoted, its quotes and backslashes escaped) and bound as one
 * value, which the statement casts and unnests:
 *     INSERT INTO t (a, b) SELECT * FROM unnest($1::bigint[], $2::text[])
 * Its text lives in the arena given to pg_array_init().
 */
struct pg_array {
    struct strbuf sb;
};
void pg_array_init(struct pg_array *x, struct arena *a);
void pg_array_i64(struct pg_array *x, int64_t v);
/* 0 as NULL, as pg_arg_opt(). */
void pg_array_opt(struct pg_array *x, int64_t v);
/* NULL as NULL. */
void pg_array_text(struct pg_array *x, const char *s);
/* Close the array and bind it as the next value. */
void pg_arg_array(struct pg_args *a, struct pg_array *x);
/* The same for n arrays, the columns of many rows. */
void pg_arrays_init(struct pg_array *x, int n, struct arena *a);
void pg_arg_arrays(struct pg_args *a, struct pg_array *x, int n);

/* ---- running statements (pg.c) -------------------------------------------------------- */

/*
 * Run sql (prepared on c the first time, then reused) with args (NULL for
 * none).  Returns the result, rows or none, for the caller to PQclear();
 * NULL with e set (pg_db_error()) when it failed.  what names the
 * statement in the log.
 */
PGresult *pg_run(struct pg_conn *c, const char *sql, const struct pg_args *args, const char *what,
                 struct err *e);

/*
 * Run sql as pg_run() does, but planned for its values at every execution
 * (not prepared: libpq's unnamed statement).  For a read whose best plan
 * depends on its values and on how the tables have grown: a plan
 * PostgreSQL caches for a prepared statement is generic, and one cached
 * while a new site's signatures were few once made the rate-limit count
 * read a petition's every signature.  (Setting plan_cache_mode to
 * force_custom_plan for the session instead re-planned the foreign-key
 * checks of every inserted row: half the writer's time.)
 */
PGresult *pg_run_planned(struct pg_conn *c, const char *sql, const struct pg_args *args,
                         const char *what, struct err *e);
/* Run a statement whose rows (if any) nobody reads; *affected (NULL is
 * fine) gets the rows it changed. */
int pg_run_done(struct pg_conn *c, const char *sql, const struct pg_args *args, int64_t *affected,
                const char *what, struct err *e);

/* Run a statement that returns at most one row: 0 and *out (PQclear it)
 * with the row, ERR_NOT_FOUND (the log names what, nothing to clear) when
 * there is none, or the database's error. */
int pg_run_one(struct pg_conn *c, const char *sql, const struct pg_args *args, PGresult **out,
               const char *what, struct err *e);

/* Run a statement returning one integer (an id, a count) in its first
 * column; ERR_NOT_FOUND for no row. */
int pg_run_id(struct pg_conn *c, const char *sql, const struct pg_args *args, int64_t *id,
              const char *what, struct err *e);

/* Run SQL text without values and without preparing it (migrations,
 * BEGIN, SAVEPOINT): several statements are allowed. */
int pg_exec(struct pg_conn *c, const char *sql, const char *what, struct err *e);

/* ---- reading columns (text format) ------------------------------------------------------ */

/* A number; 0 for NULL. */
int64_t pg_i64(const PGresult *r, int row, int col);
/* A flag from an integer or boolean column; false for NULL. */
bool pg_flag(const PGresult *r, int row, int col);
/* A float; 0 for NULL. */
double pg_f64(const PGresult *r, int row, int col);
/* Whether the value is NULL. */
static inline bool
pg_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col);
}
/* Text copied into a; NULL for NULL. */
const char *pg_text(const PGresult *r, int row, int col, struct arena *a);
/* A bytea column (text format, "\x..." hex) decoded into out: the bytes
 * written (at most cap), or -1 when NULL or not hex. */
long pg_bytes(const PGresult *r, int row, int col, unsigned char *out, size_t cap);
/* A region column; REGION_OUTSIDE when NULL, empty or unknown. */
enum region pg_region(const PGresult *r, int row, int col);
/* A language column; English when NULL, empty or unknown. */
enum lang pg_lang(const PGresult *r, int row, int col);
/* A state column; PETITION_DRAFT when NULL, empty or unknown. */
enum petition_state pg_state(const PGresult *r, int row, int col);

/* Collect the rows of a result into an arena array with a row reader
 * read(res, row, a, &item); sets *out and *n. */
#define PG_COLLECT(type, out, n, res, a, read)                                                     \
    do {                                                                                           \
        int rows_ = PQntuples(res);                                                                \
        type *v_ = arena_calloc((a), (size_t)(rows_ ? rows_ : 1), sizeof(type));                   \
        for (int i_ = 0; i_ < rows_; i_++)                                                         \
            read((res), i_, (a), &v_[i_]);                                                         \
        *(out) = v_;                                                                               \
        *(n) = rows_;                                                                              \
    } while (0)

/* Run a statement listing rows and collect them with PG_COLLECT; on an
 * error, return it from the calling function (with *out NULL, *n 0). */
#define PG_LIST_OR_RETURN(type, conn, sql, args, what, a, out, n, read, e)                         \
    do {                                                                                           \
        *(out) = NULL;                                                                             \
        *(n) = 0;                                                                                  \
        PGresult *res_ = pg_run(pg_conn(conn), (sql), (args), (what), (e));                        \
        if (!res_)                                                                                 \
            return (e) ? (e)->code : ERR_STORE;                                                    \
        PG_COLLECT(type, out, n, res_, a, read);                                                   \
        PQclear(res_);                                                                             \
    } while (0)

/* ---- writes of several statements, snapshots (pg.c) -------------------------------------- */

/*
 * A write of several statements changes nothing when one of them fails
 * (store.h), and its failure leaves the caller's transaction usable:
 * pg_write_begin() marks where it starts (a savepoint, which may nest)
 * and pg_write_end(c, r, e) keeps what came after when r is 0 and undoes
 * it (the transaction usable again) otherwise; it returns r.
 */
int pg_write_begin(struct pg_conn *c, struct err *e);
int pg_write_end(struct pg_conn *c, int r, struct err *e);

/*
 * Read several statements in one snapshot: begins a read-only REPEATABLE
 * READ transaction when c is in none (a read lent its own connection),
 * and does nothing when c is in its caller's transaction.  Returns
 * whether it began one, for pg_snapshot_end().
 */
bool pg_snapshot_begin(struct pg_conn *c);
void pg_snapshot_end(struct pg_conn *c, bool began);

/* ---- what several areas read (rows.c) ------------------------------------------------------ */

/* The states the public site shows, as an SQL list. */
#define PG_PUBLIC_STATES                                                                           \
    "('OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED', 'CERTIFIED',"            \
    " 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"                                  \
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED')"

/* The columns every petition read selects, in the order pg_read_petition()
 * reads them, and their joins: the same as the SQLite backend's
 * (store/sqlite/sqlite.h: PETITION_COLUMNS, PETITION_JOINS). */
#define PG_PETITION_COLUMNS                                                                        \
    "p.id, p.kind, p.e_number, p.state, p.state_changed_at, par.number, ses.number,"               \
    " sub.id, sub.code, sub.name_en, sub.name_fr, p.original_language, p.addressee_type,"          \
    " am.id, am.code, am.title_en, am.title_fr, p.addressee_member_id,"                            \
    " p.petitioner_name, p.petitioner_city, p.petitioner_province, p.authorizing_member_id,"       \
    " p.prayer_en, p.prayer_fr, p.signature_period_days, p.created_at, p.opened_at,"               \
    " p.closes_at, p.certified_at, p.presented_at, pp.number, ps.number,"                          \
    " p.presented_sequence, p.presenting_member_id, p.committee_en, p.committee_fr,"               \
    " p.signature_total, p.is_demo, p.certify_threshold, p.grace_hours,"                           \
    " p.response_ministry_id, p.erased_at"
#define PG_PETITION_JOINS                                                                          \
    " FROM petitions p JOIN parliaments par ON par.id = p.parliament_id"                           \
    " LEFT JOIN sessions ses ON ses.id = p.session_id"                                             \
    " LEFT JOIN subjects sub ON sub.id = p.subject_id"                                             \
    " LEFT JOIN ministries am ON am.id = p.addressee_ministry_id"                                  \
    " LEFT JOIN sessions ps ON ps.id = p.presented_session_id"                                     \
    " LEFT JOIN parliaments pp ON pp.id = ps.parliament_id"

/* Fill p from row of res (selected with PG_PETITION_COLUMNS), then read
 * the Members it names with other statements of c (its keywords:
 * pg_read_petition_keywords()). */
int pg_read_petition(struct pg_conn *c, const PGresult *res, int row, struct arena *a,
                     struct petition *p, struct err *e);

/* A keyword from a row of id, slug, name_en, name_fr[, petitions]. */
void pg_read_keyword(const PGresult *res, int row, struct arena *a, void *item);

/* The keywords of petition p->id into p, by English name then id. */
int pg_read_petition_keywords(struct pg_conn *c, struct arena *a, struct petition *p,
                              struct err *e);

/* Move a petition to a state at now with an event in its timeline
 * (petitions.c; presentation and the response do it too). */
int pg_petition_set_state(struct store_conn *conn, int64_t petition_id, enum petition_state state,
                          int64_t now, struct err *e);

/* The columns of a Member, in the order pg_read_member() reads them. */
#define PG_MEMBER_COLUMNS                                                                          \
    "id, key, first_name, last_name, honorific, constituency_en, constituency_fr, province,"       \
    " caucus_en, caucus_fr, is_speaker"
void pg_read_member(const PGresult *res, int row, struct arena *a, struct member *m);

/* The columns of a signature, in the order pg_read_signature() reads them
 * (signing.c). */
#define PG_SIGNATURE_COLUMNS                                                                       \
    "id, petition_id, email_key, email, first_name, last_name, country, region,"                   \
    " postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review, flag,"             \
    " reviewed_at, reviewed_by, mails, review_note, log_index"
void pg_read_signature(const PGresult *res, int row, struct arena *a, struct signature_record *g);

#endif
