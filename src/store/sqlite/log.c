/*
 * log.c: the SQLite backend's part of the e-petitions' public logs
 * (store/log.h, the table of store/backend.h; migration 0012_log).
 */
#include <sqlite3.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

static int
sq_log_head(struct store_conn *conn, int64_t petition_id, struct log_head *out, struct err *e)
{
    static const char sql[] =
        "SELECT size, attested, certified_size FROM petition_logs WHERE petition_id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    out->petition_id = petition_id;
    PREP_OR_OUT(st, c, Q_LOG_HEAD, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    if ((r = sq_step_one(c, st, "log head", e)))
        goto out;
    out->size = col_i64(st, 0);
    out->attested = col_i64(st, 1);
    out->certified = sqlite3_column_type(st, 2) != SQLITE_NULL;
    out->certified_size = col_i64(st, 2);
    sq_done(st);
out:
    return r;
}

static int
sq_log_head_move(struct store_conn *conn, int64_t petition_id, int64_t old_size, int64_t new_size,
                 int64_t weight, struct err *e)
{
    static const char make_sql[] =
        "INSERT INTO petition_logs (petition_id, size, attested) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (petition_id) DO NOTHING";
    static const char move_sql[] = "UPDATE petition_logs SET size = ?3, attested = attested + ?4"
                                   " WHERE petition_id = ?1 AND size = ?2";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if (old_size == 0) {
        PREP_OR_OUT(st, c, Q_LOG_HEAD_MAKE, make_sql, e);
        sqlite3_bind_int64(st, 1, petition_id);
        sqlite3_bind_int64(st, 2, new_size);
        sqlite3_bind_int64(st, 3, weight);
        if ((r = sq_step_done(c, st, "log make", e)))
            goto out;
        if (sqlite3_changes(c->db) == 1)
            return 0;
    }
    PREP_OR_OUT(st, c, Q_LOG_HEAD_MOVE, move_sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, old_size);
    sqlite3_bind_int64(st, 3, new_size);
    sqlite3_bind_int64(st, 4, weight);
    if ((r = sq_step_done(c, st, "log move", e)))
        goto out;
    if (sqlite3_changes(c->db) != 1)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "log of petition %lld: its size is not %lld", (long long)petition_id,
                    (long long)old_size);
out:
    return r;
}

/* In process, each statement costs a call: the move, then a statement
 * per part. */
static int
sq_log_append(struct store_conn *conn, int64_t petition_id, int64_t old_size, int64_t new_size,
              int64_t weight, int64_t first_part, const char *const *texts, int nparts,
              struct err *e)
{
    static const char sql[] =
        "INSERT INTO log_parts (petition_id, part, entries) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (petition_id, part) DO UPDATE"
        " SET entries = entries || excluded.entries";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    if ((r = sq_log_head_move(conn, petition_id, old_size, new_size, weight, e)))
        return r;
    for (int k = 0; k < nparts && !r; k++) {
        PREP_OR_OUT(st, c, Q_LOG_BUNDLE_ADD, sql, e);
        sqlite3_bind_int64(st, 1, petition_id);
        sqlite3_bind_int64(st, 2, first_part + k);
        sq_bind_static(st, 3, texts[k]);
        r = sq_step_done(c, st, "log part add", e);
    }
out:
    return r;
}

static int
sq_log_bundle(struct store_conn *conn, struct arena *a, int64_t petition_id, int64_t n,
              const char **text, size_t *len, struct err *e)
{
    static const char sql[] = "SELECT entries FROM log_parts WHERE petition_id = ?1"
                              " AND part BETWEEN ?2 AND ?2 + 31 ORDER BY part";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    struct strbuf sb;
    int r = 0, rc, parts = 0;
    *text = NULL;
    *len = 0;
    PREP_OR_OUT(st, c, Q_LOG_BUNDLE, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, n * 32);
    sb_init(&sb, a);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sb_add(&sb, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        parts++;
    }
    if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "log bundle");
    else if (!parts)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "log bundle %lld: none",
                    (long long)n);
    sq_done(st);
    if (!r) {
        sb_addch(&sb, '\0');
        *text = sb.buf;
        *len = sb.len - 1;
    }
out:
    return r;
}

static int
sq_log_hash_put(struct store_conn *conn, int64_t petition_id, int level, int64_t index,
                const char *hex, struct err *e)
{
    static const char sql[] =
        "INSERT INTO log_hashes (petition_id, level, idx, hash) VALUES (?1, ?2, ?3, ?4)";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_LOG_HASH_PUT, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int(st, 2, level);
    sqlite3_bind_int64(st, 3, index);
    sq_bind_static(st, 4, hex);
    r = sq_step_done(c, st, "log hash put", e);
out:
    return r;
}

static int
sq_log_hash(struct store_conn *conn, struct arena *a, int64_t petition_id, int level, int64_t index,
            const char **hex, struct err *e)
{
    static const char sql[] =
        "SELECT hash FROM log_hashes WHERE petition_id = ?1 AND level = ?2 AND idx = ?3";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *hex = NULL;
    PREP_OR_OUT(st, c, Q_LOG_HASH, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int(st, 2, level);
    sqlite3_bind_int64(st, 3, index);
    if ((r = sq_step_one(c, st, "log hash", e)))
        goto out;
    *hex = sq_col_text(st, 0, a);
    sq_done(st);
out:
    return r;
}

static int
sq_log_checkpoint_insert(struct store_conn *conn, const struct log_checkpoint *cp,
                         const char *root_hex, struct err *e)
{
    static const char sql[] =
        "INSERT INTO log_checkpoints (petition_id, size, attested, root, note, signed_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (petition_id, size) DO NOTHING";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_LOG_CHECKPOINT_INSERT, sql, e);
    sqlite3_bind_int64(st, 1, cp->petition_id);
    sqlite3_bind_int64(st, 2, cp->size);
    sqlite3_bind_int64(st, 3, cp->attested);
    sq_bind_static(st, 4, root_hex);
    sq_bind_static(st, 5, cp->note);
    sqlite3_bind_int64(st, 6, cp->signed_at);
    if ((r = sq_step_done(c, st, "log checkpoint insert", e)))
        goto out;
    if (sqlite3_changes(c->db) != 1)
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "log of petition %lld: a checkpoint at %lld exists", (long long)cp->petition_id,
                    (long long)cp->size);
out:
    return r;
}

static int
sq_log_checkpoint(struct store_conn *conn, struct arena *a, int64_t petition_id, int64_t max_size,
                  struct log_checkpoint *out, const char **root_hex, struct err *e)
{
    static const char sql[] = "SELECT size, attested, root, note, signed_at FROM log_checkpoints"
                              " WHERE petition_id = ?1 AND size <= ?2 ORDER BY size DESC LIMIT 1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    memset(out, 0, sizeof(*out));
    *root_hex = NULL;
    PREP_OR_OUT(st, c, Q_LOG_CHECKPOINT, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, max_size);
    if ((r = sq_step_one(c, st, "log checkpoint", e)))
        goto out;
    out->petition_id = petition_id;
    out->size = col_i64(st, 0);
    out->attested = col_i64(st, 1);
    *root_hex = sq_col_text(st, 2, a);
    out->note = sq_col_text(st, 3, a);
    out->signed_at = col_i64(st, 4);
    sq_done(st);
out:
    return r;
}

static int
sq_log_certify(struct store_conn *conn, int64_t petition_id, int64_t size, struct err *e)
{
    static const char sql[] = "UPDATE petition_logs SET certified_size = ?2 WHERE petition_id = ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    PREP_OR_OUT(st, c, Q_LOG_CERTIFY, sql, e);
    sqlite3_bind_int64(st, 1, petition_id);
    sqlite3_bind_int64(st, 2, size);
    if ((r = sq_step_done(c, st, "log certify", e)))
        goto out;
    if (sqlite3_changes(c->db) != 1)
        r = err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "petition %lld has no log",
                    (long long)petition_id);
out:
    return r;
}

static void
read_head(sqlite3_stmt *st, struct arena *a, struct log_head *h)
{
    (void)a;
    h->petition_id = col_i64(st, 0);
    h->size = col_i64(st, 1);
    h->attested = col_i64(st, 2);
    h->certified = false;
    h->certified_size = 0;
}

static int
sq_log_unsigned(struct store_conn *conn, struct arena *a, int limit, struct log_head **out, int *n,
                struct err *e)
{
    static const char sql[] = "SELECT l.petition_id, l.size, l.attested FROM petition_logs l"
                              " WHERE l.size > coalesce((SELECT max(k.size) FROM log_checkpoints k"
                              "  WHERE k.petition_id = l.petition_id), -1)"
                              " ORDER BY l.petition_id LIMIT ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *out = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_LOG_UNSIGNED, sql, e);
    sqlite3_bind_int(st, 1, limit);
    COLLECT(struct log_head, out, n, st, a, read_head);
    sq_done(st);
out:
    return r;
}

static void
read_id(sqlite3_stmt *st, struct arena *a, int64_t *id)
{
    (void)a;
    *id = col_i64(st, 0);
}

static int
sq_log_missing(struct store_conn *conn, struct arena *a, int limit, int64_t **ids, int *n,
               struct err *e)
{
    static const char sql[] =
        "SELECT p.id FROM petitions p WHERE p.kind = 'electronic' AND p.opened_at IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM petition_logs l WHERE l.petition_id = p.id)"
        " ORDER BY p.id LIMIT ?1";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r;
    *ids = NULL;
    *n = 0;
    PREP_OR_OUT(st, c, Q_LOG_MISSING, sql, e);
    sqlite3_bind_int(st, 1, limit);
    COLLECT(int64_t, ids, n, st, a, read_id);
    sq_done(st);
out:
    return r;
}

const struct store_log_ops sq_log_ops = {
    .head = sq_log_head,
    .append = sq_log_append,
    .bundle = sq_log_bundle,
    .hash_put = sq_log_hash_put,
    .hash = sq_log_hash,
    .checkpoint_insert = sq_log_checkpoint_insert,
    .checkpoint = sq_log_checkpoint,
    .certify = sq_log_certify,
    .unsigned_heads = sq_log_unsigned,
    .missing = sq_log_missing,
};
