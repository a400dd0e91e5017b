/*
 * mail.c: the PostgreSQL backend's outbox and mailings to many
 * (store/mail.h), the same statements as store/sqlite/mail.c in
 * PostgreSQL's words.  An e-mail is queued in the outbox by the
 * transaction that causes it and sent later by the mail thread.  A mailing
 * to many (dissolution's notices) lists its sources (petitions and
 * drafts), then collects their people as recipients, one per e-mail key
 * whatever the number of their petitions (ON CONFLICT merges the labels),
 * then queues them in the outbox in batches, by e-mail key in byte order
 * (COLLATE "C", SQLite's order whatever the database's collation).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* A LIMIT as SQLite reads it: a negative one is none (NULL here). */
static void
arg_limit(struct pg_args *args, int limit)
{
    if (limit < 0)
        pg_arg_text(args, NULL);
    else
        pg_arg_i64(args, limit);
}

/* ---- the outbox ------------------------------------------------------------------------------ */

static int
pg_outbox_insert(struct store_conn *conn, struct outbox_mail *m, struct err *e)
{
    static const char sql[] = "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang,"
                              " subject, body, next_try_at, mailing_id, signature_id, unsubscribe)"
                              " VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $8, $9, $10) RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, m->created_at);
    pg_arg_text(&args, m->kind);
    pg_arg_text(&args, m->to_addr);
    pg_arg_text(&args, m->to_name ? m->to_name : "");
    pg_arg_text(&args, lang_code(m->lang));
    pg_arg_text(&args, m->subject);
    pg_arg_text(&args, m->body);
    pg_arg_opt(&args, m->mailing_id);
    pg_arg_opt(&args, m->signature_id);
    pg_arg_text(&args, m->unsubscribe && m->unsubscribe[0] ? m->unsubscribe : NULL);
    return pg_run_id(pg_conn(conn), sql, &args, &m->id, "outbox insert", e);
}

static int
pg_outbox_insert_many(struct store_conn *conn, struct outbox_mail *m, int n, struct err *e)
{
    static const char sql[] =
        "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang, subject, body, next_try_at,"
        " mailing_id, signature_id)"
        " SELECT v.c, v.k, v.a, v.nm, v.l, v.su, v.b, v.c, v.m, v.g"
        " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
        "  $7::text[], $8::bigint[], $9::bigint[]) WITH ORDINALITY AS v(c, k, a, nm, l, su, b, m, "
        "g, i)"
        " ORDER BY v.i";
    enum { COLS = 9 };
    struct arena *a = arena_new();
    struct pg_array col[COLS];
    struct pg_args args = PG_ARGS_INIT;
    int r;

    pg_arrays_init(col, COLS, a);
    for (int i = 0; i < n; i++) {
        pg_array_i64(&col[0], m[i].created_at);
        pg_array_text(&col[1], m[i].kind);
        pg_array_text(&col[2], m[i].to_addr);
        pg_array_text(&col[3], m[i].to_name ? m[i].to_name : "");
        pg_array_text(&col[4], lang_code(m[i].lang));
        pg_array_text(&col[5], m[i].subject);
        pg_array_text(&col[6], m[i].body);
        pg_array_opt(&col[7], m[i].mailing_id);
        pg_array_opt(&col[8], m[i].signature_id);
    }
    pg_arg_arrays(&args, col, COLS);
    r = pg_run_done(pg_conn(conn), sql, &args, NULL, "outbox insert many", e);
    arena_free(a);
    return r;
}

#define OUTBOX_COLUMNS                                                                             \
    "id, created_at, kind, to_addr, to_name, lang, subject, body, attempts, next_try_at,"          \
    " sent_at, last_error, signature_id, mailing_id, last_failure_at, failed_at, reply_code,"      \
    " reply, unsubscribe"

static void
read_mail(const PGresult *res, int row, struct arena *a, struct outbox_mail *m)
{
    memset(m, 0, sizeof(*m));
    m->id = pg_i64(res, row, 0);
    m->created_at = pg_i64(res, row, 1);
    m->kind = pg_text(res, row, 2, a);
    m->to_addr = pg_text(res, row, 3, a);
    m->to_name = pg_text(res, row, 4, a);
    m->lang = pg_lang(res, row, 5);
    m->subject = pg_text(res, row, 6, a);
    m->body = pg_text(res, row, 7, a);
    m->attempts = (int)pg_i64(res, row, 8);
    m->next_try_at = pg_i64(res, row, 9);
    m->sent_at = pg_i64(res, row, 10);
    m->last_error = pg_text(res, row, 11, a);
    m->signature_id = pg_i64(res, row, 12);
    m->mailing_id = pg_i64(res, row, 13);
    m->last_failure_at = pg_i64(res, row, 14);
    m->failed_at = pg_i64(res, row, 15);
    m->reply_code = (int)pg_i64(res, row, 16);
    m->reply = pg_text(res, row, 17, a);
    m->unsubscribe = pg_text(res, row, 18, a);
}

static int
pg_outbox_due(struct store_conn *conn, struct arena *a, int64_t now, int limit,
              struct outbox_mail **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT " OUTBOX_COLUMNS " FROM outbox"
                              " WHERE sent_at IS NULL AND next_try_at <= $1"
                              " ORDER BY next_try_at, id LIMIT $2::bigint";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, now);
    arg_limit(&args, limit);
    PG_LIST_OR_RETURN(struct outbox_mail, conn, sql, &args, "outbox due", a, out, n, read_mail, e);
    return 0;
}

static int
by_id(const void *x, const void *y)
{
    int64_t a = ((const struct outbox_mail *)x)->id, b = ((const struct outbox_mail *)y)->id;
    return (a > b) - (a < b);
}

/* SKIP LOCKED: a claim running at the same time takes the next e-mails
 * instead of waiting for these; one that committed meanwhile moved their
 * next try, which the choice sees (a row is read again once locked).  The
 * choice is MATERIALIZED: as a subquery of IN it may be run again for
 * each row, each run locking further rows past the limit. */
static int
pg_outbox_claim(struct store_conn *conn, struct arena *a, int64_t now, int64_t until, int limit,
                struct outbox_mail **out, int *n, struct err *e)
{
    static const char sql[] =
        "WITH c AS MATERIALIZED (SELECT id FROM outbox WHERE sent_at IS NULL AND next_try_at <= $1"
        " ORDER BY next_try_at, id LIMIT $3::bigint FOR UPDATE SKIP LOCKED)"
        " UPDATE outbox SET next_try_at = $2 FROM c WHERE outbox.id = c.id"
        " RETURNING outbox.id, created_at, kind, to_addr, to_name, lang, subject, body, attempts,"
        " next_try_at, sent_at, last_error, signature_id, mailing_id, last_failure_at, failed_at,"
        " reply_code, reply, unsubscribe";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, now);
    pg_arg_i64(&args, until);
    arg_limit(&args, limit);
    PG_LIST_OR_RETURN(struct outbox_mail, conn, sql, &args, "outbox claim", a, out, n, read_mail,
                      e);
    if (*n > 1)
        qsort(*out, (size_t)*n, sizeof(**out), by_id);
    return 0;
}

static int
pg_outbox_sent(struct store_conn *conn, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] = "UPDATE outbox SET sent_at = $2, attempts = attempts + 1"
                              " WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, id);
    pg_arg_i64(&args, now);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "outbox sent", e);
}

static int
pg_outbox_failed(struct store_conn *conn, int64_t id, const struct outbox_failure *f, struct err *e)
{
    static const char sql[] =
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, last_failure_at = $3,"
        " reply_code = $4, reply = $5, next_try_at = $6, failed_at = $7 WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, id);
    pg_arg_text(&args, f->error ? f->error : "");
    pg_arg_i64(&args, f->at);
    pg_arg_opt(&args, f->reply_code);
    pg_arg_text(&args, f->reply && f->reply[0] ? f->reply : NULL);
    pg_arg_i64(&args, f->next_try_at ? f->next_try_at : OUTBOX_NEVER);
    pg_arg_opt(&args, f->next_try_at ? 0 : f->at);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "outbox failed", e);
}

static int
pg_outbox_health(struct store_conn *conn, int64_t since, struct outbox_health *out, struct err *e)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL),"
        " (SELECT min(created_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL),"
        " (SELECT count(*) FROM outbox WHERE last_failure_at >= $1),"
        " (SELECT count(*) FROM outbox WHERE failed_at >= $1),"
        " (SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL),"
        " (SELECT max(sent_at) FROM outbox WHERE sent_at IS NOT NULL)";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, since);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "outbox health", e)))
        return r;
    out->waiting = pg_i64(res, 0, 0);
    out->oldest_waiting_at = pg_i64(res, 0, 1);
    out->errors_since = pg_i64(res, 0, 2);
    out->failed_since = pg_i64(res, 0, 3);
    out->failed = pg_i64(res, 0, 4);
    out->last_sent_at = pg_i64(res, 0, 5);
    PQclear(res);
    return 0;
}

/* A failed e-mail as a staff page may see it (store/mail.h). */
static void
read_failure(const PGresult *res, int row, struct arena *a, struct outbox_mail *m)
{
    memset(m, 0, sizeof(*m));
    m->id = pg_i64(res, row, 0);
    m->created_at = pg_i64(res, row, 1);
    m->kind = pg_text(res, row, 2, a);
    m->lang = pg_lang(res, row, 3);
    m->attempts = (int)pg_i64(res, row, 4);
    m->last_error = pg_text(res, row, 5, a);
    m->last_failure_at = pg_i64(res, row, 6);
    m->failed_at = pg_i64(res, row, 7);
    m->reply_code = (int)pg_i64(res, row, 8);
    m->reply = pg_text(res, row, 9, a);
}

static int
pg_outbox_failures(struct store_conn *conn, struct arena *a, int limit, struct outbox_mail **out,
                   int *n, struct err *e)
{
    static const char sql[] =
        "SELECT id, created_at, kind, lang, attempts, last_error, last_failure_at, failed_at,"
        " reply_code, reply FROM outbox WHERE failed_at IS NOT NULL"
        " ORDER BY failed_at DESC, id DESC LIMIT $1::bigint";
    struct pg_args args = PG_ARGS_INIT;
    arg_limit(&args, limit);
    PG_LIST_OR_RETURN(struct outbox_mail, conn, sql, &args, "outbox failures", a, out, n,
                      read_failure, e);
    return 0;
}

/* ---- mailings to many ----------------------------------------------------------------------- */

static int
pg_mailing_insert(struct store_conn *conn, struct mailing *m, struct err *e)
{
    /* As SQLite's json(?3): text that is not JSON is refused. */
    static const char sql[] = "INSERT INTO mailings (kind, created_at, vars)"
                              " VALUES ($1, $2, $3::json) RETURNING id";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_text(&args, m->kind);
    pg_arg_i64(&args, m->created_at);
    pg_arg_text(&args, m->vars ? m->vars : "{}");
    return pg_run_id(pg_conn(conn), sql, &args, &m->id, "mailing insert", e);
}

static int
pg_mailing_source_add(struct store_conn *conn, int64_t mailing_id, const struct mailing_source *src,
                      struct err *e)
{
    static const char sql[] = "INSERT INTO mailing_sources (mailing_id, draft_id, petition_id,"
                              " label) VALUES ($1, $2, $3, $4)";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, mailing_id);
    pg_arg_opt(&args, src->draft_id);
    pg_arg_opt(&args, src->petition_id);
    pg_arg_text(&args, src->label ? src->label : "");
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "mailing source", e);
}

static void
read_mailing(const PGresult *res, int row, struct arena *a, struct mailing *m)
{
    memset(m, 0, sizeof(*m));
    m->id = pg_i64(res, row, 0);
    m->kind = pg_text(res, row, 1, a);
    m->created_at = pg_i64(res, row, 2);
    m->vars = pg_text(res, row, 3, a);
    m->collect_source = pg_i64(res, row, 4);
    m->collect_after = pg_i64(res, row, 5);
    m->collected_at = pg_i64(res, row, 6);
    m->done_at = pg_i64(res, row, 7);
}

static int
pg_mailing_open(struct store_conn *conn, struct arena *a, struct mailing *out, struct err *e)
{
    static const char sql[] =
        "SELECT id, kind, created_at, vars, collect_source, collect_after, collected_at,"
        " done_at FROM mailings WHERE done_at IS NULL ORDER BY id LIMIT 1";
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    if ((r = pg_run_one(pg_conn(conn), sql, NULL, &res, "mailing", e)))
        return r;
    read_mailing(res, 0, a, out);
    PQclear(res);
    return 0;
}

static int
pg_mailing_source_next(struct store_conn *conn, struct arena *a, int64_t mailing_id,
                       int64_t after_id, struct mailing_source *out, struct err *e)
{
    static const char sql[] = "SELECT id, draft_id, petition_id, label FROM mailing_sources"
                              " WHERE mailing_id = $1 AND id > $2 ORDER BY id LIMIT 1";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, mailing_id);
    pg_arg_i64(&args, after_id);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "mailing source", e)))
        return r;
    out->id = pg_i64(res, 0, 0);
    out->draft_id = pg_i64(res, 0, 1);
    out->petition_id = pg_i64(res, 0, 2);
    out->label = pg_text(res, 0, 3, a);
    PQclear(res);
    return 0;
}

/* Merge a new label into a recipient's list, once (SQLite's instr() is
 * strpos() here; the row already there is named by its table). */
#define MERGE_LABELS                                                                               \
    " ON CONFLICT (mailing_id, email_key) DO UPDATE SET labels = CASE"                             \
    " WHEN excluded.labels = '' OR strpos(', ' || mailing_recipients.labels || ', ',"              \
    " ', ' || excluded.labels || ', ') > 0 THEN mailing_recipients.labels"                         \
    " WHEN mailing_recipients.labels = '' THEN excluded.labels"                                    \
    " ELSE mailing_recipients.labels || ', ' || excluded.labels END,"                              \
    " signature_id = coalesce(mailing_recipients.signature_id, excluded.signature_id)"

static int
pg_mailing_recipient_add(struct store_conn *conn, int64_t mailing_id,
                         const struct mailing_recipient *rc, struct err *e)
{
    static const char sql[] = "INSERT INTO mailing_recipients (mailing_id, email_key, email,"
                              " name, lang, labels) VALUES ($1, $2, $3, $4, $5, $6)" MERGE_LABELS;
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, mailing_id);
    pg_arg_text(&args, rc->email_key);
    pg_arg_text(&args, rc->email);
    pg_arg_text(&args, rc->name ? rc->name : "");
    pg_arg_text(&args, lang_code(rc->lang));
    pg_arg_text(&args, rc->labels ? rc->labels : "");
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "mailing recipient", e);
}

static int
pg_mailing_add_supporters(struct store_conn *conn, int64_t mailing_id, int64_t draft_id,
                          const char *label, struct err *e)
{
    /* One recipient per mailbox: the key folded (keys a migration kept
     * apart by case, sql/postgresql/0010, are one mailbox), the first
     * supporter of each, so that no row of the SELECT meets another of
     * the same command (which ON CONFLICT DO UPDATE refuses). */
    static const char sql[] =
        "INSERT INTO mailing_recipients (mailing_id, email_key, email, name, lang, labels)"
        " SELECT DISTINCT ON (lower(email_key)) $1::bigint, lower(email_key), email,"
        " trim(first_name || ' ' || last_name), coalesce(lang, 'en'), $3::text FROM supporters"
        " WHERE draft_id = $2::bigint AND confirmed_at IS NOT NULL AND email <> ''"
        " AND NOT EXISTS (SELECT 1 FROM mail_stops s JOIN drafts d ON d.petition_id = s.petition_id"
        " WHERE d.id = $2::bigint AND s.email_key = lower(supporters.email_key))"
        " ORDER BY lower(email_key), id" MERGE_LABELS;
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, mailing_id);
    pg_arg_i64(&args, draft_id);
    pg_arg_text(&args, label ? label : "");
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "mailing supporters", e);
}

static int
pg_mailing_add_signatures(struct store_conn *conn, int64_t mailing_id, int64_t petition_id,
                          const char *label, int64_t after, int limit, int64_t *last, int *n,
                          struct err *e)
{
    /* The chunk is the next `limit` rows of the petition, whatever their
     * state, so the cursor always moves; the counted ones are listed, one
     * per mailbox (the folded key: signatures a migration kept apart by
     * case, sql/postgresql/0010, are one mailbox; the first of each, so
     * that no row of the SELECT meets another of the same command). */
    static const char last_sql[] =
        "SELECT count(*), coalesce(max(id), $2::bigint) FROM (SELECT id FROM signatures"
        " WHERE petition_id = $1::bigint AND id > $2::bigint ORDER BY id LIMIT $3::bigint)"
        " AS chunk";
    static const char sql[] =
        "INSERT INTO mailing_recipients (mailing_id, email_key, email, name, lang, labels,"
        " signature_id)"
        " SELECT DISTINCT ON (lower(email_key)) $1::bigint, lower(email_key), email,"
        " trim(first_name || ' ' || last_name), lang, $3::text, id FROM signatures"
        " WHERE petition_id = $2::bigint AND id > $4::bigint"
        " AND id <= $5::bigint AND confirmed_at IS NOT NULL"
        " AND review IN ('clear', 'validated') AND email <> ''"
        " AND NOT EXISTS (SELECT 1 FROM mail_stops s WHERE s.petition_id = $2::bigint"
        " AND s.email_key = lower(signatures.email_key))"
        " ORDER BY lower(email_key), id" MERGE_LABELS;
    struct pg_conn *c = pg_conn(conn);
    struct pg_args count_args = PG_ARGS_INIT;
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    *n = 0;
    *last = after;
    if ((r = pg_write_begin(c, e)))
        return r;
    pg_arg_i64(&count_args, petition_id);
    pg_arg_i64(&count_args, after);
    arg_limit(&count_args, limit);
    if ((r = pg_run_one(c, last_sql, &count_args, &res, "mailing chunk", e)))
        goto out;
    int walked = (int)pg_i64(res, 0, 0);
    int64_t chunk_last = pg_i64(res, 0, 1);
    PQclear(res);
    if (walked == 0)
        goto out;
    pg_arg_i64(&args, mailing_id);
    pg_arg_i64(&args, petition_id);
    pg_arg_text(&args, label ? label : "");
    pg_arg_i64(&args, after);
    pg_arg_i64(&args, chunk_last);
    if ((r = pg_run_done(c, sql, &args, NULL, "mailing signatures", e)))
        goto out;
    *n = walked;
    *last = chunk_last;
out:
    return pg_write_end(c, r, e);
}

static int
pg_mailing_cursor(struct store_conn *conn, int64_t mailing_id, int64_t source, int64_t after,
                  int64_t collected_at, struct err *e)
{
    static const char sql[] = "UPDATE mailings SET collect_source = $2, collect_after = $3,"
                              " collected_at = $4 WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, mailing_id);
    pg_arg_i64(&args, source);
    pg_arg_i64(&args, after);
    pg_arg_opt(&args, collected_at);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "mailing cursor", e);
}

static void
read_recipient(const PGresult *res, int row, struct arena *a, struct mailing_recipient *x)
{
    memset(x, 0, sizeof(*x));
    x->email_key = pg_text(res, row, 0, a);
    x->email = pg_text(res, row, 1, a);
    x->name = pg_text(res, row, 2, a);
    x->lang = pg_lang(res, row, 3);
    x->labels = pg_text(res, row, 4, a);
    x->signature_id = pg_i64(res, row, 5);
}

static int
pg_mailing_batch(struct store_conn *conn, struct arena *a, int64_t mailing_id, int limit,
                 struct mailing_recipient **out, int *n, struct err *e)
{
    static const char sql[] = "SELECT email_key, email, name, lang, labels, signature_id"
                              " FROM mailing_recipients WHERE mailing_id = $1"
                              " AND queued_at IS NULL ORDER BY email_key COLLATE \"C\""
                              " LIMIT $2::bigint";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, mailing_id);
    arg_limit(&args, limit);
    PG_LIST_OR_RETURN(struct mailing_recipient, conn, sql, &args, "mailing batch", a, out, n,
                      read_recipient, e);
    return 0;
}

static int
pg_mailing_queued(struct store_conn *conn, int64_t mailing_id, const char *email_key, int64_t at,
                  struct err *e)
{
    /* Only a recipient not yet queued (store/mail.h): at READ COMMITTED,
     * a second writer of the same row waits for the first to commit, then
     * finds it queued. */
    static const char sql[] = "UPDATE mailing_recipients SET queued_at = $3"
                              " WHERE mailing_id = $1 AND email_key = $2 AND queued_at IS NULL";
    struct pg_args args = PG_ARGS_INIT;
    int64_t n = 0;
    int r;
    pg_arg_i64(&args, mailing_id);
    pg_arg_text(&args, email_key);
    pg_arg_i64(&args, at);
    if (!(r = pg_run_done(pg_conn(conn), sql, &args, &n, "mailing queued", e)) && n != 1)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "mailing %lld: recipient already queued", (long long)mailing_id);
    return r;
}

static int
pg_mailing_done(struct store_conn *conn, int64_t mailing_id, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE mailings SET done_at = $2 WHERE id = $1";
    struct pg_args args = PG_ARGS_INIT;
    pg_arg_i64(&args, mailing_id);
    pg_arg_i64(&args, at);
    return pg_run_done(pg_conn(conn), sql, &args, NULL, "mailing done", e);
}

static int
pg_mailing_progress(struct store_conn *conn, int64_t mailing_id, struct mailing_progress *out,
                    struct err *e)
{
    /* One statement: its three counts see one snapshot. */
    static const char sql[] =
        "SELECT (SELECT count(*) FROM mailing_recipients WHERE mailing_id = $1::bigint),"
        " (SELECT count(queued_at) FROM mailing_recipients WHERE mailing_id = $1::bigint),"
        " (SELECT count(*) FROM outbox WHERE mailing_id = $1::bigint AND sent_at IS NOT NULL)";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    memset(out, 0, sizeof(*out));
    pg_arg_i64(&args, mailing_id);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "mailing progress", e)))
        return r;
    out->recipients = pg_i64(res, 0, 0);
    out->queued = pg_i64(res, 0, 1);
    out->sent = pg_i64(res, 0, 2);
    PQclear(res);
    return 0;
}

/* ---- who stopped mail about a petition ------------------------------------------------------ */

static int
pg_mail_stop(struct store_conn *conn, int64_t signature_id, int64_t at, int64_t *petition_id,
             struct err *e)
{
    static const char sql[] =
        "WITH g AS (SELECT petition_id, lower(email_key) AS k, email FROM signatures"
        " WHERE id = $1::bigint),"
        " ins AS (INSERT INTO mail_stops (petition_id, email_key, stopped_at)"
        " SELECT petition_id, k, $2::bigint FROM g WHERE email <> ''"
        " ON CONFLICT (petition_id, email_key) DO NOTHING)"
        " SELECT coalesce((SELECT petition_id FROM g), 0)";
    struct pg_args args = PG_ARGS_INIT;
    struct pg_conn *c = pg_conn(conn);
    PGresult *res;
    int r;
    *petition_id = 0;
    pg_arg_i64(&args, signature_id);
    pg_arg_i64(&args, at);
    if ((r = pg_run_one(c, sql, &args, &res, "mail stop", e)))
        return r;
    *petition_id = pg_i64(res, 0, 0);
    PQclear(res);
    return 0;
}

static int
pg_mail_stops_count(struct store_conn *conn, int64_t petition_id, int64_t *n, struct err *e)
{
    static const char sql[] = "SELECT count(*) FROM mail_stops WHERE petition_id = $1::bigint";
    struct pg_args args = PG_ARGS_INIT;
    PGresult *res;
    int r;
    *n = 0;
    pg_arg_i64(&args, petition_id);
    if ((r = pg_run_one(pg_conn(conn), sql, &args, &res, "mail stops count", e)))
        return r;
    *n = pg_i64(res, 0, 0);
    PQclear(res);
    return 0;
}

const struct store_mail_ops pg_mail_ops = {
    .outbox_insert = pg_outbox_insert,
    .outbox_insert_many = pg_outbox_insert_many,
    .outbox_due = pg_outbox_due,
    .outbox_claim = pg_outbox_claim,
    .outbox_sent = pg_outbox_sent,
    .outbox_failed = pg_outbox_failed,
    .outbox_health = pg_outbox_health,
    .outbox_failures = pg_outbox_failures,
    .mailing_insert = pg_mailing_insert,
    .mailing_source_add = pg_mailing_source_add,
    .mailing_open = pg_mailing_open,
    .mailing_source_next = pg_mailing_source_next,
    .mailing_recipient_add = pg_mailing_recipient_add,
    .mailing_add_supporters = pg_mailing_add_supporters,
    .mailing_add_signatures = pg_mailing_add_signatures,
    .mailing_cursor = pg_mailing_cursor,
    .mailing_batch = pg_mailing_batch,
    .mailing_queued = pg_mailing_queued,
    .mailing_done = pg_mailing_done,
    .mailing_progress = pg_mailing_progress,
    .mail_stop = pg_mail_stop,
    .mail_stops_count = pg_mail_stops_count,
};
