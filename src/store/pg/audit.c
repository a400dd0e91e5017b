/*
 * audit.c: the PostgreSQL backend's audit log of staff actions
 * (store/audit.h).  The translation of store/sqlite/audit.c.
 *
 * The guard lives in the schema (sql/postgresql/), not here: triggers on
 * the tables staff change refuse a write (SQLSTATE PD001, ERR_UNAUDITED
 * by pg_db_error()) unless the transaction's setting petitiond.audited
 * is 'on', which an AFTER INSERT trigger on audit_log sets, local to the
 * transaction (and undone with a savepoint the record was appended
 * after).  So appending the record is all this file does to satisfy the
 * guard, and nothing is installed on a connection.  Triggers also keep
 * the log append-only, even for a bare psql session as the application's
 * role.
 */
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

static int
pg_audit_append(struct store_conn *conn, struct audit_entry *a, struct err *e)
{
    /* details is checked as JSON by the schema. */
    static const char sql[] =
        "INSERT INTO audit_log (at, user_id, role, action, petition_id, target, reason, details)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    struct pg_conn *c = pg_conn(conn);
    struct pg_args args = PG_ARGS_INIT;

    /* Outside a transaction the record would mark nothing. */
    if (PQtransactionStatus(c->db) == PQTRANS_IDLE)
        return err_set(e, ERR_INTERNAL, "error.internal", NULL,
                       "an audit record belongs in its action's transaction");
    pg_arg_i64(&args, a->at);
    pg_arg_opt(&args, a->user_id);
    pg_arg_text(&args, a->role ? a->role : "system");
    pg_arg_text(&args, a->action);
    pg_arg_opt(&args, a->petition_id);
    pg_arg_text(&args, a->target ? a->target : "");
    pg_arg_text(&args, a->reason ? a->reason : "");
    pg_arg_text(&args, a->details ? a->details : "{}");
    return pg_run_id(c, sql, &args, &a->id, "audit append", e);
}

static void
read_entry(const PGresult *res, int row, struct arena *a, struct audit_entry *x)
{
    x->id = pg_i64(res, row, 0);
    x->at = pg_i64(res, row, 1);
    x->user_id = pg_i64(res, row, 2);
    x->role = pg_text(res, row, 3, a);
    x->action = pg_text(res, row, 4, a);
    x->petition_id = pg_i64(res, row, 5);
    x->target = pg_text(res, row, 6, a);
    x->reason = pg_text(res, row, 7, a);
    x->details = pg_text(res, row, 8, a);
    x->user_email = pg_text(res, row, 9, a);
}

static int
pg_audit_list(struct store_conn *conn, struct arena *a, const struct audit_query *q,
              struct audit_entry **out, int *n, struct err *e)
{
    /* An action ending in '.' is a family: "signature." matches every
     * signature action (compared by prefix, not LIKE, so '_' is literal). */
    static const char sql[] =
        "SELECT l.id, l.at, l.user_id, l.role, l.action, l.petition_id, l.target, l.reason,"
        " l.details, u.email FROM audit_log l LEFT JOIN users u ON u.id = l.user_id"
        " WHERE ($1::bigint IS NULL OR l.petition_id = $1::bigint)"
        " AND ($2::bigint IS NULL OR l.user_id = $2::bigint)"
        " AND ($3::text IS NULL OR l.action = $3::text OR (right($3::text, 1) = '.'"
        "      AND left(l.action, length($3::text)) = $3::text))"
        " AND ($4::bigint IS NULL OR l.id < $4::bigint) ORDER BY l.id DESC LIMIT $5";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;

    *out = NULL;
    *n = 0;
    pg_arg_opt(&args, q->petition_id);
    pg_arg_opt(&args, q->user_id);
    pg_arg_text(&args, q->action && *q->action ? q->action : NULL);
    pg_arg_opt(&args, q->before_id);
    pg_arg_i64(&args, q->limit > 0 && q->limit <= 500 ? q->limit : 500);
    if (!(res = pg_run(pg_conn(conn), sql, &args, "audit list", e)))
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct audit_entry, out, n, res, a, read_entry);
    PQclear(res);
    return 0;
}

const struct store_audit_ops pg_audit_ops = {
    .audit_append = pg_audit_append,
    .audit_list = pg_audit_list,
};
