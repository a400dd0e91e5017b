/*
 * pg.c: the helpers every file of the PostgreSQL backend uses (pg.h,
 * which is their manual): the mapping of PostgreSQL's errors to store.h's
 * codes, the prepared statements of a connection, binding values and
 * reading columns, savepoints around a write and read snapshots.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/metrics.h"
#include "lib/banned.h"

/* ---- errors ------------------------------------------------------------------------------- */

static int db_error(struct err *e, struct pg_conn *c, const PGresult *res, const char *what);

/* Every error is counted in the metrics by kind (lib/metrics.h). */
int
pg_db_error(struct err *e, struct pg_conn *c, const PGresult *res, const char *what)
{
    int r = db_error(e, c, res, what);
    metrics_db_error(r);
    return r;
}

static int
db_error(struct err *e, struct pg_conn *c, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !msg[0])
        msg = c && c->db ? PQerrorMessage(c->db) : "no connection";
    /* PostgreSQL's messages end with a newline: the log line must not. */
    char text[200];
    snprintf(text, sizeof(text), "%s", msg);
    text[strcspn(text, "\n")] = '\0';

    /* Every error the server reports carries an SQLSTATE; one without is
     * libpq's own: the connection was lost (the server crashed, restarted
     * or was cut off), even while PQstatus() still says it is open. */
    bool gone = !state || (c && (!c->db || PQstatus(c->db) == CONNECTION_BAD));
    if (gone || (state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
                           strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0))) {
        if (c)
            c->broken = true;
        return err_set(e, ERR_UNAVAILABLE, "error.store", NULL, "%s: database unavailable: %s",
                       what, text);
    }
    if (state && strcmp(state, PG_AUDIT_REFUSAL_STATE) == 0)
        return err_set(e, ERR_UNAUDITED, "error.internal", NULL, "%s: %s", what, text);
    if (state &&
        (strcmp(state, "23505") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        return err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: [%s] %s", what, state, text);
    if (state && strncmp(state, "23", 2) == 0)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "%s: [%s] %s", what, state, text);
    return err_set(e, ERR_STORE, "error.store", NULL, "%s: [%s] %s", what, state ? state : "-",
                   text);
}

/* ---- values ------------------------------------------------------------------------------- */

static int
arg_slot(struct pg_args *a)
{
    /* More values than a statement of ours binds is a bug: abort loudly
     * rather than bind the wrong ones. */
    if (a->n >= PG_MAX_ARGS)
        abort();
    int i = a->n++;
    a->fmt[i] = 0;
    a->len[i] = 0;
    return i;
}

void
pg_arg_text(struct pg_args *a, const char *s)
{
    int i = arg_slot(a);
    a->v[i] = s;
}

void
pg_arg_i64(struct pg_args *a, int64_t v)
{
    int i = arg_slot(a);
    snprintf(a->num[i], sizeof(a->num[i]), "%" PRId64, v);
    a->v[i] = a->num[i];
}

void
pg_arg_opt(struct pg_args *a, int64_t v)
{
    if (v)
        pg_arg_i64(a, v);
    else
        pg_arg_text(a, NULL);
}

void
pg_arg_flag(struct pg_args *a, bool v)
{
    pg_arg_text(a, v ? "1" : "0");
}

void
pg_arg_f64(struct pg_args *a, double v)
{
    int i = arg_slot(a);
    snprintf(a->num[i], sizeof(a->num[i]), "%.17g", v);
    a->v[i] = a->num[i];
}

void
pg_arg_bytes(struct pg_args *a, const void *p, size_t n)
{
    int i = arg_slot(a);
    a->v[i] = p;
    a->len[i] = (int)n;
    a->fmt[i] = 1;
}

/* ---- arrays ------------------------------------------------------------------------------ */

void
pg_array_init(struct pg_array *x, struct arena *a)
{
    sb_init(&x->sb, a);
    sb_addch(&x->sb, '{');
}

static void
array_sep(struct pg_array *x)
{
    if (x->sb.len > 1)
        sb_addch(&x->sb, ',');
}

void
pg_array_i64(struct pg_array *x, int64_t v)
{
    array_sep(x);
    sb_addf(&x->sb, "%" PRId64, v);
}

void
pg_array_opt(struct pg_array *x, int64_t v)
{
    if (v)
        pg_array_i64(x, v);
    else
        pg_array_text(x, NULL);
}

void
pg_array_text(struct pg_array *x, const char *s)
{
    array_sep(x);
    if (!s) {
        sb_adds(&x->sb, "NULL");
        return;
    }
    sb_addch(&x->sb, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_addch(&x->sb, '\\');
        sb_addch(&x->sb, *s);
    }
    sb_addch(&x->sb, '"');
}

void
pg_arg_array(struct pg_args *a, struct pg_array *x)
{
    sb_addch(&x->sb, '}');
    pg_arg_text(a, x->sb.buf);
}

void
pg_arrays_init(struct pg_array *x, int n, struct arena *a)
{
    for (int i = 0; i < n; i++)
        pg_array_init(&x[i], a);
}

void
pg_arg_arrays(struct pg_args *a, struct pg_array *x, int n)
{
    for (int i = 0; i < n; i++)
        pg_arg_array(a, &x[i]);
}

/* ---- prepared statements -------------------------------------------------------------------- */

/* The slot of sql in c's table: found by the text's address, or a free
 * one for it.  NULL when the table is full (a bug: more statements than
 * PG_STMT_SLOTS). */
static struct pg_stmt *
stmt_slot(struct pg_conn *c, const char *sql, int *index)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9e3779b97f4a7c15u;
    for (int probe = 0; probe < PG_STMT_SLOTS; probe++) {
        int i = (int)((h + (uintptr_t)probe) & (PG_STMT_SLOTS - 1));
        struct pg_stmt *s = &c->stmts[i];
        if (s->sql == sql || !s->sql) {
            s->sql = sql;
            *index = i;
            return s;
        }
    }
    return NULL;
}

PGresult *
pg_run(struct pg_conn *c, const char *sql, const struct pg_args *args, const char *what,
       struct err *e)
{
    int i;
    struct pg_stmt *s = stmt_slot(c, sql, &i);
    char name[16];
    if (!s) {
        err_set(e, ERR_INTERNAL, "error.internal", NULL, "%s: statement table full", what);
        return NULL;
    }
    snprintf(name, sizeof(name), "s%d", i);
    int n = args ? args->n : 0;
    if (!s->prepared) {
        PGresult *p = PQprepare(c->db, name, sql, n, NULL);
        if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
            pg_db_error(e, c, p, what);
            PQclear(p);
            return NULL;
        }
        PQclear(p);
        s->prepared = true;
    }
    PGresult *res = PQexecPrepared(c->db, name, n, args ? args->v : NULL, args ? args->len : NULL,
                                   args ? args->fmt : NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return res;
    pg_db_error(e, c, res, what);
    PQclear(res);
    return NULL;
}

PGresult *
pg_run_planned(struct pg_conn *c, const char *sql, const struct pg_args *args, const char *what,
               struct err *e)
{
    int n = args ? args->n : 0;
    PGresult *res = PQexecParams(c->db, sql, n, NULL, args ? args->v : NULL,
                                 args ? args->len : NULL, args ? args->fmt : NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return res;
    pg_db_error(e, c, res, what);
    PQclear(res);
    return NULL;
}

int
pg_run_done(struct pg_conn *c, const char *sql, const struct pg_args *args, int64_t *affected,
            const char *what, struct err *e)
{
    PGresult *res = pg_run(c, sql, args, what, e);
    if (!res)
        return e ? e->code : ERR_STORE;
    if (affected) {
        const char *t = PQcmdTuples(res);
        *affected = t && t[0] ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(res);
    return 0;
}

int
pg_run_one(struct pg_conn *c, const char *sql, const struct pg_args *args, PGresult **out,
           const char *what, struct err *e)
{
    *out = NULL;
    PGresult *res = pg_run(c, sql, args, what, e);
    if (!res)
        return e ? e->code : ERR_STORE;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "%s: not found", what);
    }
    *out = res;
    return 0;
}

int
pg_run_id(struct pg_conn *c, const char *sql, const struct pg_args *args, int64_t *id,
          const char *what, struct err *e)
{
    PGresult *res;
    int r = pg_run_one(c, sql, args, &res, what, e);
    if (r)
        return r;
    *id = pg_i64(res, 0, 0);
    PQclear(res);
    return 0;
}

int
pg_exec(struct pg_conn *c, const char *sql, const char *what, struct err *e)
{
    PGresult *res = PQexec(c->db, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int r = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        r = pg_db_error(e, c, res, what);
    PQclear(res);
    return r;
}

/* ---- columns ------------------------------------------------------------------------------ */

int64_t
pg_i64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool
pg_flag(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return false;
    const char *v = PQgetvalue(r, row, col);
    return v[0] == 't' || (v[0] >= '1' && v[0] <= '9') || (v[0] == '-' && v[1]);
}

double
pg_f64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtod(PQgetvalue(r, row, col), NULL);
}

const char *
pg_text(const PGresult *r, int row, int col, struct arena *a)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

static int
hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

long
pg_bytes(const PGresult *r, int row, int col, unsigned char *out, size_t cap)
{
    if (PQgetisnull(r, row, col))
        return -1;
    const char *v = PQgetvalue(r, row, col);
    if (v[0] != '\\' || v[1] != 'x')
        return -1;
    v += 2;
    size_t n = 0;
    while (v[0] && v[1] && n < cap) {
        int hi = hex_digit(v[0]), lo = hex_digit(v[1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[n++] = (unsigned char)(hi << 4 | lo);
        v += 2;
    }
    return (long)n;
}

enum region
pg_region(const PGresult *r, int row, int col)
{
    enum region g = REGION_OUTSIDE;
    if (!PQgetisnull(r, row, col))
        region_from_code(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col), &g);
    return g;
}

enum lang
pg_lang(const PGresult *r, int row, int col)
{
    enum lang l = LANG_EN;
    if (!PQgetisnull(r, row, col))
        lang_from_code(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col), &l);
    return l;
}

enum petition_state
pg_state(const PGresult *r, int row, int col)
{
    enum petition_state s = PETITION_DRAFT;
    if (!PQgetisnull(r, row, col))
        petition_state_from_name(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col), &s);
    return s;
}

/* ---- writes of several statements, snapshots ------------------------------------------------ */

/* Savepoint names by nesting depth: constant SQL, never printed from
 * values. */
static const char *const write_begin_sql[] = {"SAVEPOINT pg_write_0", "SAVEPOINT pg_write_1",
                                              "SAVEPOINT pg_write_2", "SAVEPOINT pg_write_3"};
static const char *const write_release_sql[] = {"RELEASE pg_write_0", "RELEASE pg_write_1",
                                                "RELEASE pg_write_2", "RELEASE pg_write_3"};
static const char *const write_undo_sql[] = {"ROLLBACK TO pg_write_0", "ROLLBACK TO pg_write_1",
                                             "ROLLBACK TO pg_write_2", "ROLLBACK TO pg_write_3"};
enum { WRITE_DEPTH_MAX = 4 };

int
pg_write_begin(struct pg_conn *c, struct err *e)
{
    if (c->write_depth >= WRITE_DEPTH_MAX)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "writes nested too deep");
    int r = pg_exec(c, write_begin_sql[c->write_depth], "write begin", e);
    if (!r)
        c->write_depth++;
    return r;
}

int
pg_write_end(struct pg_conn *c, int r, struct err *e)
{
    if (c->write_depth <= 0)
        return r ? r : err_set(e, ERR_INTERNAL, "error.internal", NULL, "write end without begin");
    int d = --c->write_depth;
    if (r) {
        /* e holds the write's error; undoing it must not replace it.  When
         * the connection itself is gone these fail harmlessly. */
        pg_exec(c, write_undo_sql[d], "write undo", NULL);
        pg_exec(c, write_release_sql[d], "write release", NULL);
        return r;
    }
    return pg_exec(c, write_release_sql[d], "write release", e);
}

bool
pg_snapshot_begin(struct pg_conn *c)
{
    if (PQtransactionStatus(c->db) != PQTRANS_IDLE)
        return false;
    return pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "snapshot", NULL) == 0;
}

void
pg_snapshot_end(struct pg_conn *c, bool began)
{
    if (began)
        pg_exec(c, "COMMIT", "snapshot end", NULL);
}
