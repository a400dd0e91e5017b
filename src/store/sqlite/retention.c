/*
 * retention.c: the SQLite backend's erasure of personal data once its
 * time is over (rulebook 11.14; store/retention.h).
 *
 * Thirty days (the jurisdiction's retention_days) after a petition
 * reaches a final state, the people who supported or signed it are
 * forgotten: their names, addresses, telephone numbers, postal codes and
 * network addresses are blanked, in place.  The rows stay, with their
 * region, review and times, so the counts by province and `petitiond
 * counts check` still reconcile with them forever.  An erased row's
 * email_key becomes "erased:ID", which keeps the (petition, email_key)
 * uniqueness and marks it as done; petitions.erased_at and
 * drafts.erased_at record when.
 *
 * Which states are final is the core's decision (petition_state_is_final()
 * in core/petition_state.h), not a list repeated here: retention_due binds
 * the names of the final states, as a JSON array made from the core, and
 * checks each row read against the core again.
 *
 * Sent e-mail and the recipient lists of finished mailings also hold
 * addresses; retention_prune_mail deletes them once they are old.
 */
#include <sqlite3.h>
#include <string.h>

#include "core/numbering.h"
#include "core/petition_state.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* A row not blanked yet. */
#define NOT_ERASED "email_key NOT GLOB 'erased:*'"

/* One row of the due query: kind ('p' or 'd'), petition id, draft id,
 * state, state_changed_at, e_number, presented Parliament, session and
 * sequence, signatures, supporters. */
static void
read_item(sqlite3_stmt *st, struct arena *a, struct retention_item *it)
{
    bool draft = sqlite3_column_text(st, 0)[0] == 'd';
    it->petition_id = col_i64(st, 1);
    it->draft_id = col_i64(st, 2);
    it->state = col_state(st, 3);
    it->final_at = col_i64(st, 4);
    it->signatures = col_i64(st, 9);
    it->supporters = col_i64(st, 10);
    struct presented_number pn = {.parliament = sqlite3_column_int(st, 6),
                                  .session = sqlite3_column_int(st, 7),
                                  .sequence = sqlite3_column_int(st, 8)};
    it->label =
        store_retention_label(a, draft, it->draft_id, it->petition_id,
                              sqlite3_column_type(st, 5) == SQLITE_NULL ? 0 : (long)col_i64(st, 5),
                              sqlite3_column_type(st, 8) == SQLITE_NULL ? NULL : &pn);
}

static int
sq_retention_due(struct store_conn *conn, struct arena *a, int64_t before,
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
        " WHERE p.erased_at IS NULL AND p.state_changed_at <= ?1"
        " AND p.state IN (SELECT value FROM json_each(?2))"
        " UNION ALL"
        " SELECT 'd', 0, d.id, d.state, d.state_changed_at, NULL, NULL, NULL, NULL, 0,"
        " (SELECT count(*) FROM supporters u WHERE u.draft_id = d.id AND u." NOT_ERASED ")"
        " FROM drafts d"
        " WHERE d.petition_id IS NULL AND d.erased_at IS NULL AND d.state_changed_at <= ?1"
        " AND d.state IN (SELECT value FROM json_each(?2))"
        " ORDER BY 5, 2, 3";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;

    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_RETENTION_DUE, sql, e);
    sqlite3_bind_int64(st, 1, before);
    sq_bind_text(st, 2, store_final_states(a, '[', ']'));
    COLLECT(struct retention_item, out, n, st, a, read_item);
    sq_done(st);
    if (r)
        goto out;
    /* The core has the last word on what is final. */
    int kept = 0;
    for (int i = 0; i < *n; i++)
        if (petition_state_is_final((*out)[i].state))
            (*out)[kept++] = (*out)[i];
    *n = kept;
out:
    return r;
}

/* Run one of the erasing statements with ?1 = id and ?2 = now; *changed
 * gets how many rows it changed. */
static int
erase_step(struct sq_conn *c, enum sq_stmt id, const char *sql, int64_t row, int64_t now,
           int64_t *changed, const char *what, struct err *e)
{
    sqlite3_stmt *st = sq_prep(c, id, sql, e);
    if (!st)
        return ERR_STORE;
    sqlite3_bind_int64(st, 1, row);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, now);
    int r = sq_step_done(c, st, what, e);
    if (!r && changed)
        *changed = sqlite3_changes(c->db);
    return r;
}

static int
sq_retention_erase(struct store_conn *conn, const struct retention_item *it, int64_t now,
                   struct err *e)
{
    /* The mark first: when another run erased it meanwhile, nothing is
     * changed and the caller hears ERR_CONFLICT. */
    static const char mark_petition[] =
        "UPDATE petitions SET erased_at = ?2 WHERE id = ?1 AND erased_at IS NULL";
    static const char mark_draft[] =
        "UPDATE drafts SET erased_at = ?2 WHERE id = ?1 AND erased_at IS NULL";
    /* Region, country, lang, review, times and flags stay: the counts
     * reconcile with them. */
    static const char signatures[] =
        "UPDATE signatures SET email = '', email_key = 'erased:' || id, first_name = '',"
        " last_name = '', postal_code = '', phone = '', ip = '', rate_key = ''"
        " WHERE petition_id = ?1 AND " NOT_ERASED;
    static const char supporters[] =
        "UPDATE supporters SET first_name = '', last_name = '', email = '',"
        " email_key = 'erased:' || id, phone = NULL, postal_code = NULL"
        " WHERE draft_id = ?1 AND " NOT_ERASED;
    /* Who stopped mail about it: keys of its signatures' mailboxes. */
    static const char stops[] = "DELETE FROM mail_stops WHERE petition_id = ?1";
    struct sq_conn *c = sq_conn(conn);
    int64_t marked = 0;
    int r = 0;

    if ((r = sq_write_begin(c, e)))
        return r;
    if (it->petition_id) {
        if ((r = erase_step(c, Q_RETENTION_MARK_PETITION, mark_petition, it->petition_id, now,
                            &marked, "retention mark petition", e)))
            goto out;
        if (!marked) {
            r = err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: already erased",
                        it->label ? it->label : "petition");
            goto out;
        }
        if ((r = erase_step(c, Q_RETENTION_ERASE_SIGNATURES, signatures, it->petition_id, now, NULL,
                            "retention signatures", e)) ||
            (r = erase_step(c, Q_RETENTION_ERASE_MAIL_STOPS, stops, it->petition_id, now, NULL,
                            "retention mail stops", e)))
            goto out;
    }
    if (it->draft_id) {
        if ((r = erase_step(c, Q_RETENTION_MARK_DRAFT, mark_draft, it->draft_id, now, &marked,
                            "retention mark draft", e)))
            goto out;
        /* A published petition's draft is marked with it, or was already. */
        if (!marked && !it->petition_id) {
            r = err_set(e, ERR_CONFLICT, "error.conflict", NULL, "%s: already erased",
                        it->label ? it->label : "draft");
            goto out;
        }
        if ((r = erase_step(c, Q_RETENTION_ERASE_SUPPORTERS, supporters, it->draft_id, now, NULL,
                            "retention supporters", e)))
            goto out;
    }
out:
    return sq_write_end(c, r, e);
}

static int
sq_retention_prune_mail(struct store_conn *conn, int64_t before, int64_t *n, struct err *e)
{
    static const char outbox[] = "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?1)"
                                 " OR (failed_at IS NOT NULL AND failed_at < ?1)";
    static const char recipients[] =
        "DELETE FROM mailing_recipients WHERE mailing_id IN"
        " (SELECT id FROM mailings WHERE done_at IS NOT NULL AND done_at < ?1)";
    struct sq_conn *c = sq_conn(conn);
    int64_t sent = 0, listed = 0;
    int r;

    *n = 0;
    if ((r = sq_write_begin(c, e)))
        return r;
    if ((r = erase_step(c, Q_RETENTION_PRUNE_OUTBOX, outbox, before, 0, &sent, "retention outbox",
                        e)) ||
        (r = erase_step(c, Q_RETENTION_PRUNE_RECIPIENTS, recipients, before, 0, &listed,
                        "retention recipients", e)))
        goto out;
    *n = sent + listed;
out:
    return sq_write_end(c, r, e);
}

static int
sq_retention_prune_forms(struct store_conn *conn, int64_t now, int64_t *n, struct err *e)
{
    static const char sql[] = "DELETE FROM form_states WHERE expires_at <= ?1";
    *n = 0;
    return erase_step(sq_conn(conn), Q_RETENTION_PRUNE_FORMS, sql, now, 0, n,
                      "retention prune forms", e);
}

const struct store_retention_ops sq_retention_ops = {
    .retention_due = sq_retention_due,
    .retention_erase = sq_retention_erase,
    .retention_prune_mail = sq_retention_prune_mail,
    .retention_prune_forms = sq_retention_prune_forms,
};
