/*
 * drafts.c: the SQLite backend's petitions before publication
 * (store/drafts.h): drafts and their history, the supporters a
 * petitioner names, and the requests to Members to authorize one.  A
 * draft's content (its texts as the petitioner wrote them) is one JSON
 * column that the workflow reads; the columns beside it are what lists
 * and timers select by.
 */
#include <sqlite3.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- drafts ------------------------------------------------------------------------------ */

#define DRAFT_COLUMNS                                                                              \
    "d.id, d.petitioner_id, d.state, d.state_changed_at, d.content, d.supporters_min,"             \
    " d.supporters_days, d.member_days, d.members_max, d.round, d.submitted_at, d.member_id,"      \
    " d.member_asked_at, d.authorizing_member_id, d.review_reasons, d.reject_code,"                \
    " d.reject_text, d.petition_id, p.e_number, d.created_at, d.updated_at"                        \
    " FROM drafts d LEFT JOIN petitions p ON p.id = d.petition_id"

static void
read_draft(sqlite3_stmt *st, struct arena *a, struct draft_record *d)
{
    d->id = col_i64(st, 0);
    d->petitioner_id = col_i64(st, 1);
    d->state = col_state(st, 2);
    d->state_changed_at = col_i64(st, 3);
    d->content = sq_col_text(st, 4, a);
    d->supporters_min = sqlite3_column_int(st, 5);
    d->supporters_days = sqlite3_column_int(st, 6);
    d->member_days = sqlite3_column_int(st, 7);
    d->members_max = sqlite3_column_int(st, 8);
    d->round = sqlite3_column_int(st, 9);
    d->submitted_at = col_i64(st, 10);
    d->member_id = col_i64(st, 11);
    d->member_asked_at = col_i64(st, 12);
    d->authorizing_member_id = col_i64(st, 13);
    d->review_reasons = sq_col_text(st, 14, a);
    d->reject_code = sq_col_text(st, 15, a);
    d->reject_text = sq_col_text(st, 16, a);
    d->petition_id = col_i64(st, 17);
    d->e_number = (long)col_i64(st, 18);
    d->created_at = col_i64(st, 19);
    d->updated_at = col_i64(st, 20);
}

/* Bind the writable fields of d at 1..18 (the update adds the id at 19). */
static void
bind_draft(sqlite3_stmt *st, const struct draft_record *d)
{
    sqlite3_bind_int64(st, 1, d->petitioner_id);
    sq_bind_text(st, 2, petition_state_name(d->state));
    sqlite3_bind_int64(st, 3, d->state_changed_at);
    sq_bind_text(st, 4, d->content ? d->content : "{}");
    sqlite3_bind_int(st, 5, d->supporters_min);
    sqlite3_bind_int(st, 6, d->supporters_days);
    sqlite3_bind_int(st, 7, d->member_days);
    sqlite3_bind_int(st, 8, d->members_max);
    sqlite3_bind_int(st, 9, d->round);
    sq_bind_opt(st, 10, d->submitted_at);
    sq_bind_opt(st, 11, d->member_id);
    sq_bind_opt(st, 12, d->member_asked_at);
    sq_bind_opt(st, 13, d->authorizing_member_id);
    sq_bind_text(st, 14, d->review_reasons);
    sq_bind_text(st, 15, d->reject_code);
    sq_bind_text(st, 16, d->reject_text);
    sq_bind_opt(st, 17, d->petition_id);
    sqlite3_bind_int64(st, 18, d->updated_at ? d->updated_at : d->created_at);
}

static int
sq_draft_insert(struct store_conn *conn, struct draft_record *d, struct err *e)
{
    static const char sql[] =
        "INSERT INTO drafts (petitioner_id, state, state_changed_at, content, supporters_min,"
        " supporters_days, member_days, members_max, round, submitted_at, member_id,"
        " member_asked_at, authorizing_member_id, review_reasons, reject_code, reject_text,"
        " petition_id, updated_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
        " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_INSERT, sql, e);
    bind_draft(st, d);
    sqlite3_bind_int64(st, 19, d->created_at);
    if ((r = sq_step_done(c, st, "draft insert", e)))
        goto out;
    d->id = sqlite3_last_insert_rowid(c->db);
out:
    return r;
}

static int
sq_draft_update(struct store_conn *conn, const struct draft_record *d, int64_t now, struct err *e)
{
    static const char sql[] =
        "UPDATE drafts SET petitioner_id = ?1, state = ?2, state_changed_at = ?3, content = ?4,"
        " supporters_min = ?5, supporters_days = ?6, member_days = ?7, members_max = ?8,"
        " round = ?9, submitted_at = ?10, member_id = ?11, member_asked_at = ?12,"
        " authorizing_member_id = ?13, review_reasons = ?14, reject_code = ?15,"
        " reject_text = ?16, petition_id = ?17, updated_at = ?18 WHERE id = ?19";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_UPDATE, sql, e);
    bind_draft(st, d);
    sqlite3_bind_int64(st, 18, now);
    sqlite3_bind_int64(st, 19, d->id);
    r = sq_step_done(c, st, "draft update", e);
out:
    return r;
}

static int
one_draft(struct sq_conn *c, sqlite3_stmt *st, struct arena *a, struct draft_record *out,
          struct err *e)
{
    int r;
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "draft", e)) == 0) {
        read_draft(st, a, out);
        sq_done(st);
    }
    return r;
}

static int
sq_draft_get(struct store_conn *conn, struct arena *a, int64_t id, struct draft_record *out,
             struct err *e)
{
    static const char sql[] = "SELECT " DRAFT_COLUMNS " WHERE d.id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_GET, sql, e);
    sqlite3_bind_int64(st, 1, id);
    r = one_draft(c, st, a, out, e);
out:
    return r;
}

static int
sq_draft_latest(struct store_conn *conn, struct arena *a, int64_t petitioner_id,
                struct draft_record *out, struct err *e)
{
    static const char sql[] = "SELECT " DRAFT_COLUMNS " WHERE d.petitioner_id = ?1"
                              " ORDER BY d.created_at DESC, d.id DESC LIMIT 1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_LATEST, sql, e);
    sqlite3_bind_int64(st, 1, petitioner_id);
    r = one_draft(c, st, a, out, e);
out:
    return r;
}

static int
sq_draft_list(struct store_conn *conn, struct arena *a, const struct draft_query *q,
              struct draft_record **out, int *n, struct err *e)
{
    static const char sql[] =
        "SELECT " DRAFT_COLUMNS " WHERE (?1 IS NULL OR d.state = ?1)"
        " AND (?2 = 0 OR (d.member_id = ?2 AND d.member_asked_at IS NOT NULL))"
        " AND (?3 = 0 OR d.petitioner_id = ?3)"
        " AND (?4 = 0 OR d.state = 'AWAITING_SUPPORTERS'"
        "      OR (d.state = 'AWAITING_MEMBER' AND d.member_asked_at IS NOT NULL))"
        " ORDER BY d.state_changed_at, d.id LIMIT ?5";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_LIST, sql, e);
    if (q->has_state)
        sq_bind_text(st, 1, petition_state_name(q->state));
    sqlite3_bind_int64(st, 2, q->member_id);
    sqlite3_bind_int64(st, 3, q->petitioner_id);
    sqlite3_bind_int(st, 4, q->timed);
    sqlite3_bind_int(st, 5, q->limit > 0 && q->limit <= 500 ? q->limit : 500);
    COLLECT(struct draft_record, out, n, st, a, read_draft);
    sq_done(st);
out:
    return r;
}

static int
sq_draft_event_add(struct store_conn *conn, int64_t draft_id, int64_t at, int64_t user_id,
                   enum petition_state state, const char *note, struct err *e)
{
    static const char sql[] = "INSERT INTO draft_events (draft_id, at, user_id, state, note)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_DRAFT_EVENT_ADD, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, at);
    sq_bind_opt(st, 3, user_id);
    sq_bind_text(st, 4, petition_state_name(state));
    sq_bind_text(st, 5, note);
    r = sq_step_done(c, st, "draft event", e);
out:
    return r;
}

/* ---- supporters --------------------------------------------------------------------------- */

#define SUPPORTER_COLUMNS                                                                          \
    "id, draft_id, first_name, last_name, email, email_key, invited_round, confirmed_round,"       \
    " confirmed_at, confirm_order, phone, country, province, postal_code, lang, created_at"

static void
read_supporter(sqlite3_stmt *st, struct arena *a, struct supporter_record *r)
{
    r->id = col_i64(st, 0);
    r->draft_id = col_i64(st, 1);
    r->first_name = sq_col_text(st, 2, a);
    r->last_name = sq_col_text(st, 3, a);
    r->email = sq_col_text(st, 4, a);
    r->email_key = sq_col_text(st, 5, a);
    r->invited_round = sqlite3_column_int(st, 6);
    r->confirmed_round = sqlite3_column_int(st, 7);
    r->confirmed_at = col_i64(st, 8);
    r->confirm_order = sqlite3_column_int(st, 9);
    r->phone = sq_col_text(st, 10, a);
    r->country = sq_col_text(st, 11, a);
    r->province = sq_col_text(st, 12, a);
    r->postal_code = sq_col_text(st, 13, a);
    r->lang = col_lang(st, 14);
    r->created_at = col_i64(st, 15);
}

static int
sq_supporter_insert(struct store_conn *conn, struct supporter_record *rec, struct err *e)
{
    static const char sql[] = "INSERT INTO supporters (draft_id, first_name, last_name, email,"
                              " email_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, rec->draft_id);
    sq_bind_text(st, 2, rec->first_name);
    sq_bind_text(st, 3, rec->last_name);
    sq_bind_text(st, 4, rec->email);
    sq_bind_text(st, 5, rec->email_key);
    sqlite3_bind_int64(st, 6, rec->created_at);
    if ((r = sq_step_done(c, st, "supporter insert", e)))
        goto out;
    rec->id = sqlite3_last_insert_rowid(c->db);
out:
    return r;
}

static int
sq_supporter_update(struct store_conn *conn, const struct supporter_record *rec, struct err *e)
{
    static const char sql[] =
        "UPDATE supporters SET first_name = ?2, last_name = ?3, invited_round = ?4,"
        " confirmed_round = ?5, confirmed_at = ?6, confirm_order = ?7, phone = ?8,"
        " country = ?9, province = ?10, postal_code = ?11, lang = ?12 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_UPDATE, sql, e);
    sqlite3_bind_int64(st, 1, rec->id);
    sq_bind_text(st, 2, rec->first_name);
    sq_bind_text(st, 3, rec->last_name);
    sqlite3_bind_int(st, 4, rec->invited_round);
    sqlite3_bind_int(st, 5, rec->confirmed_round);
    sq_bind_opt(st, 6, rec->confirmed_at);
    sq_bind_opt(st, 7, rec->confirm_order);
    sq_bind_text(st, 8, rec->phone);
    sq_bind_text(st, 9, rec->country);
    sq_bind_text(st, 10, rec->province);
    sq_bind_text(st, 11, rec->postal_code);
    sq_bind_text(st, 12, rec->confirmed_at ? lang_code(rec->lang) : NULL);
    r = sq_step_done(c, st, "supporter update", e);
out:
    return r;
}

static int
sq_supporter_delete(struct store_conn *conn, int64_t draft_id, int64_t id, struct err *e)
{
    static const char sql[] = "DELETE FROM supporters WHERE draft_id = ?1 AND id = ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_DELETE, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, id);
    r = sq_step_done(c, st, "supporter delete", e);
out:
    return r;
}

static int
sq_supporter_get(struct store_conn *conn, struct arena *a, int64_t id, struct supporter_record *out,
                 struct err *e)
{
    static const char sql[] = "SELECT " SUPPORTER_COLUMNS " FROM supporters WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_GET, sql, e);
    sqlite3_bind_int64(st, 1, id);
    memset(out, 0, sizeof(*out));
    if ((r = sq_step_one(c, st, "supporter", e)) == 0) {
        read_supporter(st, a, out);
        sq_done(st);
    }
out:
    return r;
}

static int
sq_supporter_list(struct store_conn *conn, struct arena *a, int64_t draft_id,
                  struct supporter_record **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " SUPPORTER_COLUMNS " FROM supporters"
                              " WHERE draft_id = ?1 ORDER BY id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_SUPPORTER_LIST, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    COLLECT(struct supporter_record, out, n, st, a, read_supporter);
    sq_done(st);
out:
    return r;
}

/* ---- Members' requests ------------------------------------------------------------------- */

static int
sq_member_request_insert(struct store_conn *conn, struct member_request *rq, struct err *e)
{
    static const char sql[] = "INSERT INTO member_requests (draft_id, member_id, asked_at)"
                              " VALUES (?1, ?2, ?3)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_REQUEST_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, rq->draft_id);
    sqlite3_bind_int64(st, 2, rq->member_id);
    sqlite3_bind_int64(st, 3, rq->asked_at);
    if ((r = sq_step_done(c, st, "request insert", e)))
        goto out;
    rq->id = sqlite3_last_insert_rowid(c->db);
out:
    return r;
}

static int
sq_member_request_answer(struct store_conn *conn, int64_t draft_id, int64_t at, const char *answer,
                         struct err *e)
{
    static const char sql[] = "UPDATE member_requests SET answered_at = ?2, answer = ?3"
                              " WHERE draft_id = ?1 AND answered_at IS NULL";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_REQUEST_ANSWER, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    sqlite3_bind_int64(st, 2, at);
    sq_bind_text(st, 3, answer);
    r = sq_step_done(c, st, "request answer", e);
out:
    return r;
}

static void
read_request(sqlite3_stmt *st, struct arena *a, struct member_request *rq)
{
    rq->id = col_i64(st, 0);
    rq->draft_id = col_i64(st, 1);
    rq->member_id = col_i64(st, 2);
    rq->asked_at = col_i64(st, 3);
    rq->answered_at = col_i64(st, 4);
    rq->answer = sq_col_text(st, 5, a);
}

static int
sq_member_request_list(struct store_conn *conn, struct arena *a, int64_t draft_id,
                       struct member_request **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT id, draft_id, member_id, asked_at, answered_at, answer"
                              " FROM member_requests WHERE draft_id = ?1 ORDER BY asked_at, id";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_REQUEST_LIST, sql, e);
    sqlite3_bind_int64(st, 1, draft_id);
    COLLECT(struct member_request, out, n, st, a, read_request);
    sq_done(st);
out:
    return r;
}

const struct store_drafts_ops sq_drafts_ops = {
    .draft_insert = sq_draft_insert,
    .draft_update = sq_draft_update,
    .draft_get = sq_draft_get,
    .draft_latest = sq_draft_latest,
    .draft_list = sq_draft_list,
    .draft_event_add = sq_draft_event_add,
    .supporter_insert = sq_supporter_insert,
    .supporter_update = sq_supporter_update,
    .supporter_delete = sq_supporter_delete,
    .supporter_get = sq_supporter_get,
    .supporter_list = sq_supporter_list,
    .member_request_insert = sq_member_request_insert,
    .member_request_answer = sq_member_request_answer,
    .member_request_list = sq_member_request_list,
};
