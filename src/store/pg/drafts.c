/*
 * drafts.c: the PostgreSQL backend's petitions before publication
 * (store/drafts.h): drafts and their history, the supporters a
 * petitioner names, and the requests to Members to authorize one.  The
 * same statements as store/sqlite/drafts.c, in PostgreSQL's words: a
 * draft's content (its texts as the petitioner wrote them) is one JSON
 * column that the workflow reads; the columns beside it are what lists
 * and timers select by.  A supporter whose key the draft already has is
 * refused without a failed statement (ON CONFLICT DO NOTHING), so the
 * caller's transaction goes on.
 */
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* The rows of sql run with args into *out, *n with the row reader read
 * (the same in mail.c: a candidate for pg.h). */
#define LIST_OR_RETURN(type, conn, sql, args, what, a, out, n, read, e)                            \
    do {                                                                                           \
        *(out) = NULL;                                                                             \
        *(n) = 0;                                                                                  \
        PGresult *res_ = pg_run(pg_conn(conn), (sql), (args), (what), (e));                        \
        if (!res_)                                                                                 \
            return (e) ? (e)->code : ERR_STORE;                                                    \
        PG_COLLECT(type, out, n, res_, a, read);                                                   \
        PQclear(res_);                                                                             \
    } while (0)

/* ---- drafts ------------------------------------------------------------------------------ */

#define DRAFT_COLUMNS                                                                              \
    "d.id, d.petitioner_id, d.state, d.state_changed_at, d.content, d.supporters_min,"             \
    " d.supporters_days, d.member_days, d.members_max, d.round, d.submitted_at, d.member_id,"      \
    " d.member_asked_at, d.authorizing_member_id, d.review_reasons, d.reject_code,"                \
    " d.reject_text, d.petition_id, p.e_number, d.created_at, d.updated_at"                        \
    " FROM drafts d LEFT JOIN petitions p ON p.id = d.petition_id"

static void
read_draft(const PGresult *res, int row, struct arena *a, struct draft_record *d)
{
    memset(d, 0, sizeof(*d));
    d->id = pg_i64(res, row, 0);
    d->petitioner_id = pg_i64(res, row, 1);
    d->state = pg_state(res, row, 2);
    d->state_changed_at = pg_i64(res, row, 3);
    d->content = pg_text(res, row, 4, a);
    d->supporters_min = (int)pg_i64(res, row, 5);
    d->supporters_days = (int)pg_i64(res, row, 6);
    d->member_days = (int)pg_i64(res, row, 7);
    d->members_max = (int)pg_i64(res, row, 8);
    d->round = (int)pg_i64(res, row, 9);
    d->submitted_at = pg_i64(res, row, 10);
    d->member_id = pg_i64(res, row, 11);
    d->member_asked_at = pg_i64(res, row, 12);
    d->authorizing_member_id = pg_i64(res, row, 13);
    d->review_reasons = pg_text(res, row, 14, a);
    d->reject_code = pg_text(res, row, 15, a);
    d->reject_text = pg_text(res, row, 16, a);
    d->petition_id = pg_i64(res, row, 17);
    d->e_number = (long)pg_i64(res, row, 18);
    d->created_at = pg_i64(res, row, 19);
    d->updated_at = pg_i64(res, row, 20);
}

/* Bind the writable fields of d as $1..$18 (the insert adds created_at,
 * the update the id, at $19). */
static void
bind_draft(struct pg_args *args, const struct draft_record *d, int64_t updated_at)
{
    pg_arg_i64(args, d->petitioner_id);
    pg_arg_text(args, petition_state_name(d->state));
    pg_arg_i64(args, d->state_changed_at);
    pg_arg_text(args, d->content ? d->content : "{}");
    pg_arg_i64(args, d->supporters_min);
    pg_arg_i64(args, d->supporters_days);
    pg_arg_i64(args, d->member_days);
    pg_arg_i64(args, d->members_max);
    pg_arg_i64(args, d->round);
    pg_arg_opt(args, d->submitted_at);
    pg_arg_opt(args, d->member_id);
    pg_arg_opt(args, d->member_asked_at);
    pg_arg_opt(args, d->authorizing_member_id);
    pg_arg_text(args, d->review_reasons);
    pg_arg_text(args, d->reject_code);
    pg_arg_text(args, d->reject_text);
    pg_arg_opt(args, d->petition_id);
    pg_arg_i64(args, updated_at);
}

static int
pg_draft_insert(struct store_conn *conn, struct draft_record *d, struct err *e)
{
    static const char sql[] =
        "INSERT INTO drafts (petitioner_id, state, state_changed_at, content, supporters_min,"
        " supporters_days, member_days, members_max, round, submitted_at, member_id,"
        " member_asked_at, authorizing_member_id, review_reasons, reject_code, reject_text,"
        " petition_id, updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    bind_draft(&args, d, d->updated_at ? d->updated_at : d->created_at);
    pg_arg_i64(&args, d->created_at);
    return pg_run_id(pg_conn(conn), sql, &args, &d->id, "draft insert", e);
}

static int
pg_draft_update(struct store_conn *conn, const struct draft_record *d, int64_t now, struct err *e)
{
    static const char sql[] =
        "UPDATE drafts SET petitioner_id = $1, state = $2, state_changed_at = $3, content = $4,"
        " supporters_min = $5, supporters_days = $6, member_days = $7, members_max = $8,"
        " round = $9, submitted_at = $10, member_id = $11, member_asked_at = $12,"
        " authorizing_member_id = $13, review_reasons = $14, reject_code = $15,"
        " reject_text = $16, petition_id = $17, updated_at = $18 WHERE id = $19";
    struct pg_args args = PG_ARGS_INIT;
    bind_draft(&args, d, now);
    pg_arg_i64(&args, d->id);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "draft update", e);
}

/* The one draft sql selects with args into out; ERR_NOT_FOUND when none. */
static int
one_draft(struct store_conn *conn, const char *sql, const struct pg_args *args, struct arena *a,
          struct draft_record *out, struct err *e)
{
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    if ((r = pg_run_one(pg_conn(conn), sql, args, &res, "draft", e)))
        return r;
    read_draft(res, 0, a, out);
    PQclear(res);
    return 0;
}

static int
pg_draft_get(struct store_conn *conn, struct arena *a, int64_t id, struct draft_record *out,
             struct err *e)
{
    static const char sql[] = "SELECT " DRAFT_COLUMNS " WHERE d.id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, id);
    return one_draft(conn, sql, &args, a, out, e);
}

static int
pg_draft_latest(struct store_conn *conn, struct arena *a, int64_t petitioner_id,
                struct draft_record *out, struct err *e)
{
    static const char sql[] = "SELECT " DRAFT_COLUMNS " WHERE d.petitioner_id = $1"
                              " ORDER BY d.created_at DESC, d.id DESC LIMIT 1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, petitioner_id);
    return one_draft(conn, sql, &args, a, out, e);
}

static int
pg_draft_list(struct store_conn *conn, struct arena *a, const struct draft_query *q,
              struct draft_record **out, int *n, struct err *e)
{
    static const char sql[] =
        "SELECT " DRAFT_COLUMNS " WHERE ($1::text IS NULL OR d.state = $1::text)"
        " AND ($2::bigint = 0 OR (d.member_id = $2::bigint AND d.member_asked_at IS NOT NULL))"
        " AND ($3::bigint = 0 OR d.petitioner_id = $3::bigint)"
        " AND ($4::integer = 0 OR d.state = 'AWAITING_SUPPORTERS'"
        "      OR (d.state = 'AWAITING_MEMBER' AND d.member_asked_at IS NOT NULL))"
        " ORDER BY d.state_changed_at, d.id LIMIT $5::bigint";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_text(&args, q->has_state ? petition_state_name(q->state) : NULL);
    pg_arg_i64(&args, q->member_id);
    pg_arg_i64(&args, q->petitioner_id);
    pg_arg_flag(&args, q->timed);
    pg_arg_i64(&args, q->limit > 0 && q->limit <= 500 ? q->limit : 500);
    LIST_OR_RETURN(struct draft_record, conn, sql, &args, "draft list", a, out, n, read_draft, e);
    return 0;
}

static int
pg_draft_event_add(struct store_conn *conn, int64_t draft_id, int64_t at, int64_t user_id,
                   enum petition_state state, const char *note, struct err *e)
{
    static const char sql[] = "INSERT INTO draft_events (draft_id, at, user_id, state, note)"
                              " VALUES ($1, $2, $3, $4, $5)";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, draft_id);
    pg_arg_i64(&args, at);
    pg_arg_opt(&args, user_id);
    pg_arg_text(&args, petition_state_name(state));
    pg_arg_text(&args, note);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "draft event", e);
}

/* ---- supporters --------------------------------------------------------------------------- */

#define SUPPORTER_COLUMNS                                                                          \
    "id, draft_id, first_name, last_name, email, email_key, invited_round, confirmed_round,"       \
    " confirmed_at, confirm_order, phone, country, province, postal_code, lang, created_at"

static void
read_supporter(const PGresult *res, int row, struct arena *a, struct supporter_record *r)
{
    memset(r, 0, sizeof(*r));
    r->id = pg_i64(res, row, 0);
    r->draft_id = pg_i64(res, row, 1);
    r->first_name = pg_text(res, row, 2, a);
    r->last_name = pg_text(res, row, 3, a);
    r->email = pg_text(res, row, 4, a);
    r->email_key = pg_text(res, row, 5, a);
    r->invited_round = (int)pg_i64(res, row, 6);
    r->confirmed_round = (int)pg_i64(res, row, 7);
    r->confirmed_at = pg_i64(res, row, 8);
    r->confirm_order = (int)pg_i64(res, row, 9);
    r->phone = pg_text(res, row, 10, a);
    r->country = pg_text(res, row, 11, a);
    r->province = pg_text(res, row, 12, a);
    r->postal_code = pg_text(res, row, 13, a);
    r->lang = pg_lang(res, row, 14);
    r->created_at = pg_i64(res, row, 15);
}

static int
pg_supporter_insert(struct store_conn *conn, struct supporter_record *rec, struct err *e)
{
    /* The draft's supporter with that key already there: no row, and the
     * transaction goes on (the caller tells the petitioner). */
    static const char sql[] = "INSERT INTO supporters (draft_id, first_name, last_name, email,"
                              " email_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
                              " ON CONFLICT (draft_id, email_key) DO NOTHING RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, rec->draft_id);
    pg_arg_text(&args, rec->first_name);
    pg_arg_text(&args, rec->last_name);
    pg_arg_text(&args, rec->email);
    pg_arg_text(&args, rec->email_key);
    pg_arg_i64(&args, rec->created_at);
    PGresult *res = pg_run(pg_conn(conn), sql, &args, "supporter insert", e);
    if (!res)
        return e ? e->code : ERR_STORE;
    int r = 0;
    if (PQntuples(res) == 0)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "supporter insert: the draft already has a supporter with that key");
    else
        rec->id = pg_i64(res, 0, 0);
    PQclear(res);
    return r;
}

static int
pg_supporter_update(struct store_conn *conn, const struct supporter_record *rec, struct err *e)
{
    static const char sql[] =
        "UPDATE supporters SET first_name = $2, last_name = $3, invited_round = $4,"
        " confirmed_round = $5, confirmed_at = $6, confirm_order = $7, phone = $8,"
        " country = $9, province = $10, postal_code = $11, lang = $12 WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, rec->id);
    pg_arg_text(&args, rec->first_name);
    pg_arg_text(&args, rec->last_name);
    pg_arg_i64(&args, rec->invited_round);
    pg_arg_i64(&args, rec->confirmed_round);
    pg_arg_opt(&args, rec->confirmed_at);
    pg_arg_opt(&args, rec->confirm_order);
    pg_arg_text(&args, rec->phone);
    pg_arg_text(&args, rec->country);
    pg_arg_text(&args, rec->province);
    pg_arg_text(&args, rec->postal_code);
    pg_arg_text(&args, rec->confirmed_at ? lang_code(rec->lang) : NULL);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "supporter update", e);
}

static int
pg_supporter_delete(struct store_conn *conn, int64_t draft_id, int64_t id, struct err *e)
{
    static const char sql[] = "DELETE FROM supporters WHERE draft_id = $1 AND id = $2";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, draft_id);
    pg_arg_i64(&args, id);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "supporter delete", e);
}

static int
pg_supporter_get(struct store_conn *conn, struct arena *a, int64_t id, struct supporter_record *out,
                 struct err *e)
{
    static const char sql[] = "SELECT " SUPPORTER_COLUMNS " FROM supporters WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, id);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "supporter", e)))
        return r;
    read_supporter(res, 0, a, out);
    PQclear(res);
    return 0;
}

static int
pg_supporter_list(struct store_conn *conn, struct arena *a, int64_t draft_id,
                  struct supporter_record **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " SUPPORTER_COLUMNS " FROM supporters"
                              " WHERE draft_id = $1 ORDER BY id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, draft_id);
    LIST_OR_RETURN(struct supporter_record, conn, sql, &args, "supporter list", a, out, n,
                   read_supporter, e);
    return 0;
}

/* ---- Members' requests ------------------------------------------------------------------- */

static int
pg_member_request_insert(struct store_conn *conn, struct member_request *rq, struct err *e)
{
    static const char sql[] = "INSERT INTO member_requests (draft_id, member_id, asked_at)"
                              " VALUES ($1, $2, $3) RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, rq->draft_id);
    pg_arg_i64(&args, rq->member_id);
    pg_arg_i64(&args, rq->asked_at);
    return pg_run_id(pg_conn(conn), sql, &args, &rq->id, "request insert", e);
}

static int
pg_member_request_answer(struct store_conn *conn, int64_t draft_id, int64_t at, const char *answer,
                         struct err *e)
{
    static const char sql[] = "UPDATE member_requests SET answered_at = $2, answer = $3"
                              " WHERE draft_id = $1 AND answered_at IS NULL";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, draft_id);
    pg_arg_i64(&args, at);
    pg_arg_text(&args, answer);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "request answer", e);
}

static void
read_request(const PGresult *res, int row, struct arena *a, struct member_request *rq)
{
    memset(rq, 0, sizeof(*rq));
    rq->id = pg_i64(res, row, 0);
    rq->draft_id = pg_i64(res, row, 1);
    rq->member_id = pg_i64(res, row, 2);
    rq->asked_at = pg_i64(res, row, 3);
    rq->answered_at = pg_i64(res, row, 4);
    rq->answer = pg_text(res, row, 5, a);
}

static int
pg_member_request_list(struct store_conn *conn, struct arena *a, int64_t draft_id,
                       struct member_request **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT id, draft_id, member_id, asked_at, answered_at, answer"
                              " FROM member_requests WHERE draft_id = $1 ORDER BY asked_at, id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, draft_id);
    LIST_OR_RETURN(struct member_request, conn, sql, &args, "request list", a, out, n, read_request,
                   e);
    return 0;
}

const struct store_drafts_ops pg_drafts_ops = {
    .draft_insert = pg_draft_insert,
    .draft_update = pg_draft_update,
    .draft_get = pg_draft_get,
    .draft_latest = pg_draft_latest,
    .draft_list = pg_draft_list,
    .draft_event_add = pg_draft_event_add,
    .supporter_insert = pg_supporter_insert,
    .supporter_update = pg_supporter_update,
    .supporter_delete = pg_supporter_delete,
    .supporter_get = pg_supporter_get,
    .supporter_list = pg_supporter_list,
    .member_request_insert = pg_member_request_insert,
    .member_request_answer = pg_member_request_answer,
    .member_request_list = pg_member_request_list,
};
