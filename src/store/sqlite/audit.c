/*
 * audit.c: the SQLite backend's audit log of staff actions
 * (store/audit.h), and the guard that makes a staff action without an
 * audit record impossible.
 *
 * The log itself is append-only by triggers of migration 0004.  The guard
 * is a set of TEMP triggers each petitiond connection installs on the
 * tables staff change (signature reviews, certification, presentation,
 * responses, Parliament's calendar, the signing lists, the Clerk's and
 * Members' decisions on drafts, staff accounts, an administrator's pause
 * of signing): each refuses its write
 * unless the connection's current transaction has appended an audit
 * record (temp.audit_mark, emptied whenever a transaction begins or
 * ends: backend.c).  A refusal is ERR_UNAUDITED (sq_db_error()).  So a
 * use case that forgets its audit record fails and writes nothing,
 * whatever code path it takes; tests/integration/house_test.c proves it.
 * The guard is installed when a connection is lent (backend.c), once the
 * schema has the audit log.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

#define REFUSE " BEGIN SELECT RAISE(ABORT, '" SQ_AUDIT_REFUSAL "'); END;"
#define UNAUDITED "NOT EXISTS (SELECT 1 FROM temp.audit_mark)"

static const char guard_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS audit_mark (one INTEGER PRIMARY KEY);"
    /* Validation and invalidation of signatures. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_signature_review BEFORE UPDATE OF review"
    " ON main.signatures WHEN OLD.review IS NOT NEW.review AND " UNAUDITED REFUSE
    /* Publication, paper petitions and imports create register records. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_petition_insert BEFORE INSERT"
    " ON main.petitions WHEN " UNAUDITED REFUSE
    /* Certification, presentation, the response, dissolution, removal. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_petition_state BEFORE UPDATE OF state"
    " ON main.petitions WHEN OLD.state IS NOT NEW.state AND NEW.state IN ('CERTIFIED',"
    " 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION',"
    " 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'REMOVED') AND " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_petition_house BEFORE UPDATE OF certified_at,"
    " presented_at, presented_session_id, presented_sequence, presenting_member_id,"
    " committee_en, committee_fr, response_ministry_id ON main.petitions"
    " WHEN (OLD.certified_at IS NOT NEW.certified_at OR OLD.presented_at IS NOT NEW.presented_at"
    " OR OLD.presented_sequence IS NOT NEW.presented_sequence"
    " OR OLD.presented_session_id IS NOT NEW.presented_session_id"
    " OR OLD.presenting_member_id IS NOT NEW.presenting_member_id"
    " OR OLD.committee_en IS NOT NEW.committee_en OR OLD.committee_fr IS NOT NEW.committee_fr"
    " OR OLD.response_ministry_id IS NOT NEW.response_ministry_id) AND " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_response_insert BEFORE INSERT"
    " ON main.responses WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_response_update BEFORE UPDATE"
    " ON main.responses WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_response_delete BEFORE DELETE"
    " ON main.responses WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_response_draft_insert BEFORE INSERT"
    " ON main.response_drafts WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_response_draft_update BEFORE UPDATE"
    " ON main.response_drafts WHEN " UNAUDITED REFUSE
    /* Parliament's calendar. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_parliament_insert BEFORE INSERT"
    " ON main.parliaments WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_parliament_update BEFORE UPDATE"
    " ON main.parliaments WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_session_insert BEFORE INSERT"
    " ON main.sessions WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_session_update BEFORE UPDATE"
    " ON main.sessions WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_sitting_insert BEFORE INSERT"
    " ON main.sitting_days WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_sitting_delete BEFORE DELETE"
    " ON main.sitting_days WHEN " UNAUDITED REFUSE
    /* The Clerk's allow and block lists. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_rule_insert BEFORE INSERT"
    " ON main.signing_rules WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_rule_delete BEFORE DELETE"
    " ON main.signing_rules WHEN " UNAUDITED REFUSE
    /* Decisions on drafts: the Member's, the Clerk's, dissolution. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_draft_decision BEFORE UPDATE OF state"
    " ON main.drafts WHEN OLD.state IS NOT NEW.state AND NEW.state IN ('UNDER_REVIEW',"
    " 'RETURNED_FOR_REVISION', 'REJECTED', 'OPEN_FOR_SIGNATURE', 'CLOSED_UPON_DISSOLUTION')"
    " AND " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_member_answer BEFORE UPDATE OF answer"
    " ON main.member_requests WHEN NEW.answer IN ('accepted', 'declined')"
    " AND OLD.answer IS NOT NEW.answer AND " UNAUDITED REFUSE
    /* Staff accounts. */
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_staff_insert BEFORE INSERT"
    " ON main.users WHEN NEW.role <> 'petitioner' AND " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_role_update BEFORE UPDATE OF role"
    " ON main.users WHEN OLD.role IS NOT NEW.role AND " UNAUDITED REFUSE;

/* An administrator's pause of signing and its end (migration 0009). */
static const char pause_guard_sql[] =
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_pause_insert BEFORE INSERT"
    " ON main.signing_pauses WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_pause_update BEFORE UPDATE"
    " ON main.signing_pauses WHEN " UNAUDITED REFUSE
    "CREATE TEMP TRIGGER IF NOT EXISTS guard_pause_delete BEFORE DELETE"
    " ON main.signing_pauses WHEN " UNAUDITED REFUSE;

/* Whether the schema has table name (its column id). */
static bool
has_table(struct sq_conn *c, const char *name)
{
    return sqlite3_table_column_metadata(c->db, "main", name, "id", NULL, NULL, NULL, NULL, NULL) ==
           SQLITE_OK;
}

void
sq_audit_guard(struct sq_conn *c)
{
    /* Before migration 0004 there is no log to require; before 0009 no
     * pauses to guard (a connection of a database still being migrated
     * tries again when next lent). */
    if (!c->guarded && has_table(c, "audit_log") &&
        sqlite3_exec(c->db, guard_sql, NULL, NULL, NULL) == SQLITE_OK)
        c->guarded = true;
    if (c->guarded && !c->pauses_guarded && has_table(c, "signing_pauses") &&
        sqlite3_exec(c->db, pause_guard_sql, NULL, NULL, NULL) == SQLITE_OK)
        c->pauses_guarded = true;
}

void
sq_audit_reset(struct sq_conn *c)
{
    if (c->guarded)
        sqlite3_exec(c->db, "DELETE FROM temp.audit_mark", NULL, NULL, NULL);
}

static int
sq_audit_append(struct store_conn *conn, struct audit_entry *a, struct err *e)
{
    static const char sql[] =
        "INSERT INTO audit_log (at, user_id, role, action, petition_id, target, reason, details)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, json(?8))";
    static const char mark[] = "INSERT OR IGNORE INTO temp.audit_mark (one) VALUES (1)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;

    if (sqlite3_get_autocommit(c->db))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL,
                       "an audit record belongs in its action's transaction");
    sq_audit_guard(c);
    if ((r = sq_write_begin(c, e)))
        return r;
    PREP_OR_OUT(st, c, Q_AUDIT_APPEND, sql, e);
    sqlite3_bind_int64(st, 1, a->at);
    sq_bind_opt(st, 2, a->user_id);
    sq_bind_text(st, 3, a->role ? a->role : "system");
    sq_bind_text(st, 4, a->action);
    sq_bind_opt(st, 5, a->petition_id);
    sq_bind_text(st, 6, a->target ? a->target : "");
    sq_bind_text(st, 7, a->reason ? a->reason : "");
    sq_bind_text(st, 8, a->details ? a->details : "{}");
    if ((r = sq_step_done(c, st, "audit append", e)))
        goto out;
    a->id = sqlite3_last_insert_rowid(c->db);
    PREP_OR_OUT(st, c, Q_AUDIT_MARK, mark, e);
    r = sq_step_done(c, st, "audit mark", e);
out:
    return sq_write_end(c, r, e);
}

static void
read_entry(sqlite3_stmt *st, struct arena *a, struct audit_entry *x)
{
    x->id = col_i64(st, 0);
    x->at = col_i64(st, 1);
    x->user_id = col_i64(st, 2);
    x->role = sq_col_text(st, 3, a);
    x->action = sq_col_text(st, 4, a);
    x->petition_id = col_i64(st, 5);
    x->target = sq_col_text(st, 6, a);
    x->reason = sq_col_text(st, 7, a);
    x->details = sq_col_text(st, 8, a);
    x->user_email = sqlite3_column_type(st, 9) == SQLITE_NULL ? NULL : sq_col_text(st, 9, a);
}

static int
sq_audit_list(struct store_conn *conn, struct arena *a, const struct audit_query *q,
              struct audit_entry **out, int *n, struct err *e)
{
    /* An action ending in '.' is a family: "signature." matches every
     * signature action (compared by prefix, not LIKE, so '_' is literal). */
    static const char sql[] =
        "SELECT l.id, l.at, l.user_id, l.role, l.action, l.petition_id, l.target, l.reason,"
        " l.details, u.email FROM audit_log l LEFT JOIN users u ON u.id = l.user_id"
        " WHERE (?1 IS NULL OR l.petition_id = ?1) AND (?2 IS NULL OR l.user_id = ?2)"
        " AND (?3 IS NULL OR l.action = ?3 OR (substr(?3, -1) = '.'"
        "      AND substr(l.action, 1, length(?3)) = ?3))"
        " AND (?4 IS NULL OR l.id < ?4) ORDER BY l.id DESC LIMIT ?5";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;
    int limit = q->limit > 0 && q->limit <= 500 ? q->limit : 500;

    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_AUDIT_LIST, sql, e);
    sq_bind_opt(st, 1, q->petition_id);
    sq_bind_opt(st, 2, q->user_id);
    if (q->action && *q->action)
        sq_bind_text(st, 3, q->action);
    sq_bind_opt(st, 4, q->before_id);
    sqlite3_bind_int(st, 5, limit);
    COLLECT(struct audit_entry, out, n, st, a, read_entry);
    sq_done(st);
out:
    return r;
}

const struct store_audit_ops sq_audit_ops = {
    .audit_append = sq_audit_append,
    .audit_list = sq_audit_list,
};
