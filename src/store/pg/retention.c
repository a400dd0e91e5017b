/*
 * retention.c: the PostgreSQL backend's erasure of personal data once its
 * time is over (rulebook 11.14; store/retention.h).  The translation of
 * store/sqlite/retention.c, whose opening paragraphs say what is erased,
 * what stays (the rows, their region, review and times, so the counts
 * reconcile forever) and how an erased row is marked (email_key
 * "erased:ID").
 *
 * Which states are final is the core's decision
 * (petition_state_is_final() in core/petition_state.h), not a list
 * repeated here: retention_due binds the names of the final states as a
 * text array made from the core, and checks each row read against the
 * core again.
 */
#include <string.h>

#include "core/numbering.h"
#include "core/petition_state.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* A row not blanked yet. */
#define NOT_ERASED "email_key NOT LIKE 'erased:%'"

/* One row of the due query: kind ('p' or 'd'), petition id, draft id,
 * state, state_changed_at, e_number, presented Parliament, session and
 * sequence, signatures, supporters. */
static void
read_item(const PGresult *res, int row, struct arena *a, struct retention_item *it)
{
    bool draft = PQgetvalue(res, row, 0)[0] == 'd';
    it->petition_id = pg_i64(res, row, 1);
    it->draft_id = pg_i64(res, row, 2);
    it->state = pg_state(res, row, 3);
    it->final_at = pg_i64(res, row, 4);
    it->signatures = pg_i64(res, row, 9);
    it->supporters = pg_i64(res, row, 10);
    struct presented_number pn = {.parliament = (int)pg_i64(res, row, 6),
                                  .session = (int)pg_i64(res, row, 7),
                                  .sequence = (int)pg_i64(res, row, 8)};
    it->label = store_retention_label(a, draft, it->draft_id, it->petition_id,
                                      pg_null(res, row, 5) ? 0 : (long)pg_i64(res, row, 5),
                                      pg_null(res, row, 8) ? NULL : &pn);
}

static int
pg_retention_due(struct store_conn *conn, struct arena *a, int64_t before,
                 struct retention_item **out, int *n, struct err *e)
{
    /* Published petitions (with the supporters of their draft) and drafts
     * never published: oldest final state first, then drafts (petition id
     * 0) before petitions, then by id. */
    static const char sql[] =
        "SELECT 'p', p.id, d.id, p.state, p.state_changed_at, p.e_number, pp.number,"
        " ps.number, p.presented_sequence,"
        " (SELECT count(*) FROM signatures g WHERE g.petition_id = p.id AND g." NOT_ERASED "),"
        " (SELECT count(*) FROM supporters u WHERE u.draft_id = d.id AND u." NOT_ERASED ")"
        " FROM petitions p LEFT JOIN drafts d ON d.petition_id = p.id"
        " LEFT JOIN sessions ps ON ps.id = p.presented_session_id"
        " LEFT JOIN parliaments pp ON pp.id = ps.parliament_id"
        " WHERE p.erased_at IS NULL AND p.state_changed_at <= $1::bigint"
        " AND p.state = ANY ($2::text[])"
        " UNION ALL"
        " SELECT 'd', 0, d.id, d.state, d.state_changed_at, NULL, NULL, NULL, NULL, 0,"
        " (SELECT count(*) FROM supporters u WHERE u.draft_id = d.id AND u." NOT_ERASED ")"
        " FROM drafts d"
        " WHERE d.petition_id IS NULL AND d.erased_at IS NULL"
        " AND d.state_changed_at <= $1::bigint AND d.state = ANY ($2::text[])"
        " ORDER BY 5, 2, 3";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;

    *out = NULL;
    *n = 0;
    pg_arg_i64(&args, before);
    pg_arg_text(&args, store_final_states(a, '{', '}'));
    if (!(res = pg_run(pg_conn(conn), sql, &args, "retention due", e)))
        return e ? e->code : ERR_STORE;
    PG_COLLECT(struct retention_item, out, n, res, a, read_item);
    PQclear(res);
    /* The core has the last word on what is final. */
    int kept = 0;
    for (int i = 0; i < *n; i++)
        if (petition_state_is_final((*out)[i].state))
            (*out)[kept++] = (*out)[i];
    *n = kept;
    return 0;
}

/* Run one of the erasing statements with $1 = id and $2 = now (when it
 * has a $2); *changed (NULL is fine) gets how many rows it changed. */
static int
erase_step(struct pg_conn *c, const char *sql, int64_t row, bool with_now, int64_t now,
           int64_t *changed, const char *what, struct err *e)
{
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, row);
    if (with_now)
        pg_arg_i64(&args, now);
    return pg_run_done(c, sql, &args, changed, what, e);
}

static int
pg_retention_erase(struct store_conn *conn, const struct retention_item *it, int64_t now,
                   struct err *e)
{
    /* The mark first: when another run erased it meanwhile, nothing is
     * changed and the caller hears ERR_CONFLICT. */
    static const char mark_petition[] =
        "UPDATE petitions SET erased_at = $2 WHERE id = $1 AND erased_at IS NULL";
    static const char mark_draft[] =
        "UPDATE drafts SET erased_at = $2 WHERE id = $1 AND erased_at IS NULL";
    /* Region, country, lang, review, times and flags stay: the counts
     * reconcile with them. */
    static const char signatures[] =
        "UPDATE signatures SET email = '', email_key = 'erased:' || id, first_name = '',"
        " last_name = '', postal_code = '', phone = '', ip = '', rate_key = ''"
        " WHERE petition_id = $1 AND " NOT_ERASED;
    static const char supporters[] =
        "UPDATE supporters SET first_name = '', last_name = '', email = '',"
        " email_key = 'erased:' || id, phone = NULL, postal_code = NULL"
        " WHERE draft_id = $1 AND " NOT_ERASED;
    /* Who stopped mail about it: keys of its signatures' mailboxes. */
    static const char stops[] = "DELETE FROM mail_stops WHERE petition_id = $1";
    struct pg_conn *c = pg_conn(conn);
    int64_t marked = 0;
    int r;

    if ((r = pg_write_begin(c, e)))
        return r;
    if (it->petition_id) {
        if ((r = erase_step(c, mark_petition, it->petition_id, true, now, &marked,
                            "retention mark petition", e)))
            goto out;
        if (!marked) {
            r = err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: already erased",
                        it->label ? it->label : "petition");
            goto out;
        }
        if ((r = erase_step(c, signatures, it->petition_id, false, 0, NULL, "retention signatures",
                            e)) ||
            (r = erase_step(c, stops, it->petition_id, false, 0, NULL, "retention mail stops", e)))
            goto out;
    }
    if (it->draft_id) {
        if ((r = erase_step(c, mark_draft, it->draft_id, true, now, &marked, "retention mark draft",
                            e)))
            goto out;
        /* A published petition's draft is marked with it, or was already. */
        if (!marked && !it->petition_id) {
            r = err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: already erased",
                        it->label ? it->label : "draft");
            goto out;
        }
        if ((r = erase_step(c, supporters, it->draft_id, false, 0, NULL, "retention supporters",
                            e)))
            goto out;
    }
out:
    return pg_write_end(c, r, e);
}

static int
pg_retention_prune_mail(struct store_conn *conn, int64_t before, int64_t *n, struct err *e)
{
    /* Both deletions in one statement: nothing to undo should one fail. */
    static const char sql[] =
        "WITH o AS (DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1)"
        " OR (failed_at IS NOT NULL AND failed_at < $1) RETURNING 1),"
        " m AS (DELETE FROM mailing_recipients WHERE mailing_id IN"
        " (SELECT id FROM mailings WHERE done_at IS NOT NULL AND done_at < $1) RETURNING 1)"
        " SELECT (SELECT count(*) FROM o) + (SELECT count(*) FROM m)";
    struct pg_args args = PG_ARGS_INIT;
    int r;

    *n = 0;
    pg_arg_i64(&args, before);
    if ((r = pg_run_id(pg_conn(conn), sql, &args, n, "retention prune mail", e)))
        *n = 0;
    return r;
}

static int
pg_retention_prune_forms(struct store_conn *conn, int64_t now, int64_t *n, struct err *e)
{
    static const char sql[] = "DELETE FROM form_states WHERE expires_at <= $1";
    struct pg_args args = PG_ARGS_INIT;
    *n = 0;
    pg_arg_i64(&args, now);
    return pg_run_done(pg_conn(conn), sql, &args, n, "retention prune forms", e);
}

const struct store_retention_ops pg_retention_ops = {
    .retention_due = pg_retention_due,
    .retention_erase = pg_retention_erase,
    .retention_prune_mail = pg_retention_prune_mail,
    .retention_prune_forms = pg_retention_prune_forms,
};
