/*
 * mail.c: the SQLite backend's outbox and mailings to many
 * (store/mail.h).  An e-mail is queued in the outbox by the transaction
 * that causes it and sent later by the mail thread.  A mailing to many
 * (dissolution's notices) lists its sources (petitions and drafts), then
 * collects their people as recipients, one per e-mail key whatever the
 * number of their petitions, then queues them in the outbox in batches.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* ---- the outbox ------------------------------------------------------------------------------ */

static int
sq_outbox_insert(struct store_conn *conn, struct outbox_mail *m, struct err *e)
{
    static const char sql[] = "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang,"
                              " subject, body, next_try_at, mailing_id, signature_id, unsubscribe)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, ?8, ?9, ?10)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, m->created_at);
    sq_bind_text(st, 2, m->kind);
    sq_bind_text(st, 3, m->to_addr);
    sq_bind_text(st, 4, m->to_name ? m->to_name : "");
    sq_bind_text(st, 5, lang_code(m->lang));
    sq_bind_text(st, 6, m->subject);
    sq_bind_text(st, 7, m->body);
    sq_bind_opt(st, 8, m->mailing_id);
    sq_bind_opt(st, 9, m->signature_id);
    if (m->unsubscribe && m->unsubscribe[0])
        sq_bind_text(st, 10, m->unsubscribe);
    else
        sqlite3_bind_null(st, 10);
    if ((r = sq_step_done(c, st, "outbox insert", e)))
        goto out;
    m->id = sqlite3_last_insert_rowid(c->db);
out:
    return r;
}

static int
sq_outbox_insert_many(struct store_conn *conn, struct outbox_mail *m, int n, struct err *e)
{
    int r = 0;
    for (int i = 0; i < n && !r; i++)
        r = sq_outbox_insert(conn, &m[i], e);
    return r;
}

#define OUTBOX_COLUMNS                                                                             \
    "id, created_at, kind, to_addr, to_name, lang, subject, body, attempts, next_try_at,"          \
    " sent_at, last_error, signature_id, mailing_id, last_failure_at, failed_at, reply_code,"      \
    " reply, unsubscribe"

static void
read_mail(sqlite3_stmt *st, struct arena *a, struct outbox_mail *m)
{
    m->id = col_i64(st, 0);
    m->created_at = col_i64(st, 1);
    m->kind = sq_col_text(st, 2, a);
    m->to_addr = sq_col_text(st, 3, a);
    m->to_name = sq_col_text(st, 4, a);
    m->lang = col_lang(st, 5);
    m->subject = sq_col_text(st, 6, a);
    m->body = sq_col_text(st, 7, a);
    m->attempts = sqlite3_column_int(st, 8);
    m->next_try_at = col_i64(st, 9);
    m->sent_at = col_i64(st, 10);
    m->last_error = sq_col_text(st, 11, a);
    m->signature_id = col_i64(st, 12);
    m->mailing_id = col_i64(st, 13);
    m->last_failure_at = col_i64(st, 14);
    m->failed_at = col_i64(st, 15);
    m->reply_code = sqlite3_column_int(st, 16);
    m->reply = sq_col_text(st, 17, a);
    m->unsubscribe = sq_col_text(st, 18, a);
}

static int
sq_outbox_due(struct store_conn *conn, struct arena *a, int64_t now, int limit,
              struct outbox_mail **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " OUTBOX_COLUMNS " FROM outbox"
                              " WHERE sent_at IS NULL AND next_try_at <= ?1"
                              " ORDER BY next_try_at, id LIMIT ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_DUE, sql, e);
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, limit);
    COLLECT(struct outbox_mail, out, n, st, a, read_mail);
    sq_done(st);
out:
    return r;
}

static int
by_id(const void *x, const void *y)
{
    int64_t a = ((const struct outbox_mail *)x)->id, b = ((const struct outbox_mail *)y)->id;
    return (a > b) - (a < b);
}

/* In the caller's write transaction (BEGIN IMMEDIATE): no other
 * connection claims between the choice and the update. */
static int
sq_outbox_claim(struct store_conn *conn, struct arena *a, int64_t now, int64_t until, int limit,
                struct outbox_mail **out, int *n, struct err *e)
{
    static const char sql[] = "UPDATE outbox SET next_try_at = ?2 WHERE id IN"
                              " (SELECT id FROM outbox WHERE sent_at IS NULL AND next_try_at <= ?1"
                              " ORDER BY next_try_at, id LIMIT ?3)"
                              " RETURNING " OUTBOX_COLUMNS;
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_OUTBOX_CLAIM, sql, e);
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, until);
    sqlite3_bind_int(st, 3, limit);
    COLLECT(struct outbox_mail, out, n, st, a, read_mail);
    sq_done(st);
    if (!r && *n > 1)
        qsort(*out, (size_t)*n, sizeof(**out), by_id);
out:
    return r;
}

static int
sq_outbox_sent(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1"
                              " WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_SENT, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    r = sq_step_done(c, st, "outbox sent", e);
out:
    return r;
}

static int
sq_outbox_failed(struct store_conn *conn, int64_t id, const struct outbox_failure *f, struct err *e)
{
    static const char sql[] =
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, last_failure_at = ?3,"
        " reply_code = ?4, reply = ?5, next_try_at = ?6, failed_at = ?7 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_OUTBOX_FAILED, sql, e);
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, f->error ? f->error : "");
    sqlite3_bind_int64(st, 3, f->at);
    sq_bind_opt(st, 4, f->reply_code);
    sq_bind_text(st, 5, f->reply && f->reply[0] ? f->reply : NULL);
    sqlite3_bind_int64(st, 6, f->next_try_at ? f->next_try_at : OUTBOX_NEVER);
    sq_bind_opt(st, 7, f->next_try_at ? 0 : f->at);
    r = sq_step_done(c, st, "outbox failed", e);
out:
    return r;
}

static int
sq_outbox_health(struct store_conn *conn, int64_t since, struct outbox_health *out, struct err *e)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL),"
        " (SELECT min(created_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL),"
        " (SELECT count(*) FROM outbox WHERE last_failure_at >= ?1),"
        " (SELECT count(*) FROM outbox WHERE failed_at >= ?1),"
        " (SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL),"
        " (SELECT max(sent_at) FROM outbox WHERE sent_at IS NOT NULL)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_OUTBOX_HEALTH, sql, e);
    sqlite3_bind_int64(st, 1, since);
    if ((r = sq_step_one(c, st, "outbox health", e)))
        goto out;
    out->waiting = col_i64(st, 0);
    out->oldest_waiting_at = col_i64(st, 1);
    out->errors_since = col_i64(st, 2);
    out->failed_since = col_i64(st, 3);
    out->failed = col_i64(st, 4);
    out->last_sent_at = col_i64(st, 5);
    sq_done(st);
out:
    return r;
}

/* A failed e-mail as a staff page may see it (store/mail.h). */
static void
read_failure(sqlite3_stmt *st, struct arena *a, struct outbox_mail *m)
{
    memset(m, 0, sizeof(*m));
    m->id = col_i64(st, 0);
    m->created_at = col_i64(st, 1);
    m->kind = sq_col_text(st, 2, a);
    m->lang = col_lang(st, 3);
    m->attempts = sqlite3_column_int(st, 4);
    m->last_error = sq_col_text(st, 5, a);
    m->last_failure_at = col_i64(st, 6);
    m->failed_at = col_i64(st, 7);
    m->reply_code = sqlite3_column_int(st, 8);
    m->reply = sq_col_text(st, 9, a);
}

static int
sq_outbox_failures(struct store_conn *conn, struct arena *a, int limit, struct outbox_mail **out,
                   int *n, struct err *e)
{
    static const char sql[] =
        "SELECT id, created_at, kind, lang, attempts, last_error, last_failure_at, failed_at,"
        " reply_code, reply FROM outbox WHERE failed_at IS NOT NULL"
        " ORDER BY failed_at DESC, id DESC LIMIT ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_OUTBOX_FAILURES, sql, e);
    sqlite3_bind_int(st, 1, limit);
    COLLECT(struct outbox_mail, out, n, st, a, read_failure);
    sq_done(st);
out:
    return r;
}

/* ---- mailings to many ----------------------------------------------------------------------- */

static int
sq_mailing_insert(struct store_conn *conn, struct mailing *m, struct err *e)
{
    static const char sql[] = "INSERT INTO mailings (kind, created_at, vars)"
                              " VALUES (?1, ?2, json(?3))";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_INSERT, sql, e);
    sq_bind_text(st, 1, m->kind);
    sqlite3_bind_int64(st, 2, m->created_at);
    sq_bind_text(st, 3, m->vars ? m->vars : "{}");
    if (!(r = sq_step_done(c, st, "mailing insert", e)))
        m->id = sqlite3_last_insert_rowid(c->db);
out:
    return r;
}

static int
sq_mailing_source_add(struct store_conn *conn, int64_t mailing_id, const struct mailing_source *src,
                      struct err *e)
{
    static const char sql[] = "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id,"
                              " label) VALUES (?1, ?2, ?3, ?4)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_SOURCE_ADD, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sq_bind_opt(st, 2, src->draft_id);
    sq_bind_opt(st, 3, src->petition_id);
    sq_bind_text(st, 4, src->label ? src->label : "");
    r = sq_step_done(c, st, "mailing source", e);
out:
    return r;
}

#define MAILING_COLUMNS                                                                            \
    "id, kind, created_at, vars, collect_source, collect_after, collected_at, done_at"

static void
read_mailing(sqlite3_stmt *st, struct arena *a, struct mailing *m)
{
    m->id = col_i64(st, 0);
    m->kind = sq_col_text(st, 1, a);
    m->created_at = col_i64(st, 2);
    m->vars = sq_col_text(st, 3, a);
    m->collect_source = col_i64(st, 4);
    m->collect_after = col_i64(st, 5);
    m->collected_at = col_i64(st, 6);
    m->done_at = col_i64(st, 7);
}

static int
mailing_one(struct store_conn *conn, struct arena *a, enum sq_stmt id, const char *sql, int64_t key,
            struct mailing *out, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, id, sql, e);
    if (key)
        sqlite3_bind_int64(st, 1, key);
    if ((r = sq_step_one(c, st, "mailing", e)))
        goto out;
    read_mailing(st, a, out);
    sq_done(st);
out:
    return r;
}

static int
sq_mailing_open(struct store_conn *conn, struct arena *a, struct mailing *out, struct err *e)
{
    static const char sql[] = "SELECT " MAILING_COLUMNS " FROM mailings WHERE done_at IS NULL"
                              " ORDER BY id LIMIT 1";
    return mailing_one(conn, a, Q_MAILING_OPEN, sql, 0, out, e);
}

static int
sq_mailing_source_next(struct store_conn *conn, struct arena *a, int64_t mailing_id,
                       int64_t after_id, struct mailing_source *out, struct err *e)
{
    static const char sql[] = "SELECT id, draft_id, petition_id, label FROM mailing_sources"
                              " WHERE mailing_id = ?1 AND id > ?2 ORDER BY id LIMIT 1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_MAILING_SOURCE_NEXT, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, after_id);
    if ((r = sq_step_one(c, st, "mailing source", e)))
        goto out;
    out->id = col_i64(st, 0);
    out->draft_id = col_i64(st, 1);
    out->petition_id = col_i64(st, 2);
    out->label = sq_col_text(st, 3, a);
    sq_done(st);
out:
    return r;
}

/* Merge a new label into a recipient's list, once. */
#define MERGE_LABELS                                                                               \
    " ON CONFLICT (mailing_id, email_key) DO UPDATE SET labels = CASE"                             \
    " WHEN excluded.labels = '' OR instr(', ' || labels || ', ', ', ' || excluded.labels"          \
    " || ', ') > 0 THEN labels WHEN labels = '' THEN excluded.labels"                              \
    " ELSE labels || ', ' || excluded.labels END,"                                                 \
    " signature_id = coalesce(signature_id, excluded.signature_id)"

static int
sq_mailing_recipient_add(struct store_conn *conn, int64_t mailing_id,
                         const struct mailing_recipient *rc, struct err *e)
{
    static const char sql[] = "INSERT INTO mailing_recipients (mailing_id, email_key, email,"
                              " name, lang, labels) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" MERGE_LABELS;
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_RECIPIENT_ADD, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sq_bind_text(st, 2, rc->email_key);
    sq_bind_text(st, 3, rc->email);
    sq_bind_text(st, 4, rc->name ? rc->name : "");
    sq_bind_text(st, 5, lang_code(rc->lang));
    sq_bind_text(st, 6, rc->labels ? rc->labels : "");
    r = sq_step_done(c, st, "mailing recipient", e);
out:
    return r;
}

static int
sq_mailing_add_supporters(struct store_conn *conn, int64_t mailing_id, int64_t draft_id,
                          const char *label, struct err *e)
{
    /* One recipient per mailbox: the key folded (keys migration 0010
     * kept apart by case are one mailbox), the first supporter of each. */
    static const char sql[] =
        "INSERT INTO mailing_recipients (mailing_id, email_key, email, name, lang, labels)"
        " SELECT ?1, lower(email_key), email, trim(first_name || ' ' || last_name),"
        " coalesce(lang, 'en'), ?3 FROM supporters"
        " WHERE draft_id = ?2 AND confirmed_at IS NOT NULL AND email <> ''"
        " AND NOT EXISTS (SELECT 1 FROM mail_stops s JOIN drafts d ON d.petition_id = s.petition_id"
        " WHERE d.id = ?2 AND s.email_key = lower(supporters.email_key))"
        " ORDER BY id" MERGE_LABELS;
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_ADD_SUPPORTERS, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, draft_id);
    sq_bind_text(st, 3, label ? label : "");
    r = sq_step_done(c, st, "mailing supporters", e);
out:
    return r;
}

static int
sq_mailing_add_signatures(struct store_conn *conn, int64_t mailing_id, int64_t petition_id,
                          const char *label, int64_t after, int limit, int64_t *last, int *n,
                          struct err *e)
{
    /* The chunk is the next `limit` rows of the petition, whatever their
     * state, so the cursor always moves; the counted ones are listed, one
     * per mailbox (the folded key, as for supporters), the first of each. */
    static const char last_sql[] =
        "SELECT count(*), coalesce(max(id), ?2) FROM (SELECT id FROM signatures"
        " WHERE petition_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3)";
    static const char sql[] =
        "INSERT INTO mailing_recipients (mailing_id, email_key, email, name, lang, labels,"
        " signature_id)"
        " SELECT ?1, lower(email_key), email, trim(first_name || ' ' || last_name), lang, ?3, id"
        " FROM signatures WHERE petition_id = ?2 AND id > ?4 AND id <= ?5"
        " AND confirmed_at IS NOT NULL AND review IN ('clear', 'validated') AND email <> ''"
        " AND NOT EXISTS (SELECT 1 FROM mail_stops s WHERE s.petition_id = ?2"
        " AND s.email_key = lower(signatures.email_key))"
        " ORDER BY id" MERGE_LABELS;
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *n = 0;
    *last = after;
    PREP_OR_OUT(st, c, Q_MAILING_LAST_SIGNATURE, last_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, after);
    sqlite3_bind_int(st, 3, limit);
    if ((r = sq_step_one(c, st, "mailing chunk", e)))
        goto out;
    *n = sqlite3_column_int(st, 0);
    *last = col_i64(st, 1);
    sq_done(st);
    if (*n == 0)
        goto out;
    PREP_OR_OUT(st, c, Q_MAILING_ADD_SIGNATURES, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, petition_id);
    sq_bind_text(st, 3, label ? label : "");
    sqlite3_bind_int64(st, 4, after);
    sqlite3_bind_int64(st, 5, *last);
    r = sq_step_done(c, st, "mailing signatures", e);
out:
    return r;
}

static int
sq_mailing_cursor(struct store_conn *conn, int64_t mailing_id, int64_t source, int64_t after,
                  int64_t collected_at, struct err *e)
{
    static const char sql[] = "UPDATE mailings SET collect_source = ?2, collect_after = ?3,"
                              " collected_at = ?4 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_CURSOR, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, source);
    sqlite3_bind_int64(st, 3, after);
    sq_bind_opt(st, 4, collected_at);
    r = sq_step_done(c, st, "mailing cursor", e);
out:
    return r;
}

static void
read_recipient(sqlite3_stmt *st, struct arena *a, struct mailing_recipient *x)
{
    x->email_key = sq_col_text(st, 0, a);
    x->email = sq_col_text(st, 1, a);
    x->name = sq_col_text(st, 2, a);
    x->lang = col_lang(st, 3);
    x->labels = sq_col_text(st, 4, a);
    x->signature_id = col_i64(st, 5);
}

static int
sq_mailing_batch(struct store_conn *conn, struct arena *a, int64_t mailing_id, int limit,
                 struct mailing_recipient **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT email_key, email, name, lang, labels, signature_id"
                              " FROM mailing_recipients WHERE mailing_id = ?1"
                              " AND queued_at IS NULL ORDER BY email_key LIMIT ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r = 0;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_MAILING_BATCH, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int(st, 2, limit);
    COLLECT(struct mailing_recipient, out, n, st, a, read_recipient);
    sq_done(st);
out:
    return r;
}

static int
sq_mailing_queued(struct store_conn *conn, int64_t mailing_id, const char *email_key, int64_t at,
                  struct err *e)
{
    /* Only a recipient not yet queued (store/mail.h). */
    static const char sql[] = "UPDATE mailing_recipients SET queued_at = ?3"
                              " WHERE mailing_id = ?1 AND email_key = ?2 AND queued_at IS NULL";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_QUEUED, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sq_bind_text(st, 2, email_key);
    sqlite3_bind_int64(st, 3, at);
    if (!(r = sq_step_done(c, st, "mailing queued", e)) && sqlite3_changes(c->db) != 1)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "mailing %lld: recipient already queued", (long long)mailing_id);
out:
    return r;
}

static int
sq_mailing_done(struct store_conn *conn, int64_t mailing_id, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE mailings SET done_at = ?2 WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_MAILING_DONE, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    sqlite3_bind_int64(st, 2, at);
    r = sq_step_done(c, st, "mailing done", e);
out:
    return r;
}

static int
sq_mailing_progress(struct store_conn *conn, int64_t mailing_id, struct mailing_progress *out,
                    struct err *e)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM mailing_recipients WHERE mailing_id = ?1),"
        " (SELECT count(queued_at) FROM mailing_recipients WHERE mailing_id = ?1),"
        " (SELECT count(*) FROM outbox WHERE mailing_id = ?1 AND sent_at IS NOT NULL)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    PREP_OR_OUT(st, c, Q_MAILING_PROGRESS, sql, e);
    sqlite3_bind_int64(st, 1, mailing_id);
    if ((r = sq_step_one(c, st, "mailing progress", e)))
        goto out;
    out->recipients = col_i64(st, 0);
    out->queued = col_i64(st, 1);
    out->sent = col_i64(st, 2);
    sq_done(st);
out:
    return r;
}

/* ---- who stopped mail about a petition ------------------------------------------------------ */

static int
sq_mail_stop(struct store_conn *conn, int64_t signature_id, int64_t at, int64_t *petition_id,
             struct err *e)
{
    static const char sql[] =
        "INSERT INTO mail_stops (petition_id, email_key, stopped_at)"
        " SELECT petition_id, lower(email_key), ?2 FROM signatures WHERE id = ?1 AND email <> ''"
        " ON CONFLICT (petition_id, email_key) DO NOTHING";
    static const char which[] = "SELECT petition_id FROM signatures WHERE id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *petition_id = 0;
    PREP_OR_OUT(st, c, Q_MAIL_STOP, sql, e);
    sqlite3_bind_int64(st, 1, signature_id);
    sqlite3_bind_int64(st, 2, at);
    if ((r = sq_step_done(c, st, "mail stop", e)))
        goto out;
    PREP_OR_OUT(st, c, Q_MAIL_STOP_PETITION, which, e);
    sqlite3_bind_int64(st, 1, signature_id);
    r = sq_step_one(c, st, "mail stop petition", e);
    if (r == ERR_NOT_FOUND) {
        r = 0;
        goto out;
    }
    if (r)
        goto out;
    *petition_id = col_i64(st, 0);
    sq_done(st);
out:
    return r;
}

static int
sq_mail_stops_count(struct store_conn *conn, int64_t petition_id, int64_t *n, struct err *e)
{
    static const char sql[] = "SELECT count(*) FROM mail_stops WHERE petition_id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *n = 0;
    PREP_OR_OUT(st, c, Q_MAIL_STOPS_COUNT, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    if ((r = sq_step_one(c, st, "mail stops count", e)))
        goto out;
    *n = col_i64(st, 0);
    sq_done(st);
out:
    return r;
}

const struct store_mail_ops sq_mail_ops = {
    .outbox_insert = sq_outbox_insert,
    .outbox_insert_many = sq_outbox_insert_many,
    .outbox_due = sq_outbox_due,
    .outbox_claim = sq_outbox_claim,
    .outbox_sent = sq_outbox_sent,
    .outbox_failed = sq_outbox_failed,
    .outbox_health = sq_outbox_health,
    .outbox_failures = sq_outbox_failures,
    .mailing_insert = sq_mailing_insert,
    .mailing_source_add = sq_mailing_source_add,
    .mailing_open = sq_mailing_open,
    .mailing_source_next = sq_mailing_source_next,
    .mailing_recipient_add = sq_mailing_recipient_add,
    .mailing_add_supporters = sq_mailing_add_supporters,
    .mailing_add_signatures = sq_mailing_add_signatures,
    .mailing_cursor = sq_mailing_cursor,
    .mailing_batch = sq_mailing_batch,
    .mailing_queued = sq_mailing_queued,
    .mailing_done = sq_mailing_done,
    .mailing_progress = sq_mailing_progress,
    .mail_stop = sq_mail_stop,
    .mail_stops_count = sq_mail_stops_count,
};
