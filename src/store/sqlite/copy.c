/*
 * copy.c: the SQLite backend as the source of a copy (store/copy.h): its
 * tables' columns and rows, read in one snapshot, as text.  (A SQLite
 * file is not a copy's target: the copy goes from the embedded default
 * to a server.)
 *
 * Table names come from the target's list and are used only when they
 * are plain lower-case identifiers, quoted; column names come from
 * SQLite's own table_info.  Values are never part of the SQL.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* Whether name is a plain identifier ([a-z0-9_]+): the only kind our
 * schema has, and the only kind put into a statement's text. */
static bool
plain_name(const char *name)
{
    if (!name || !name[0])
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static int
bad_name(const char *name, struct err *e)
{
    return err_set(e, ERR_INVALID, "error.invalid", NULL, "copy: bad table or column name %.60s",
                   name ? name : "(null)");
}

static int
sqlite_copy_read_begin(struct store_conn *conn, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    /* A deferred transaction takes its snapshot at its first read. */
    if (sqlite3_exec(c->db, "BEGIN; SELECT count(*) FROM schema_migrations", NULL, NULL, NULL) !=
        SQLITE_OK)
        return sq_db_error(e, c->db, "copy snapshot");
    return 0;
}

static void
sqlite_copy_read_end(struct store_conn *conn)
{
    sqlite3_exec(sq_conn(conn)->db, "COMMIT", NULL, NULL, NULL);
}

static int
sqlite_copy_columns(struct store_conn *conn, struct arena *a, const char *table, const char ***out,
                    int *n, struct err *e)
{
    static const char sql[] = "SELECT name FROM pragma_table_info(?1) ORDER BY cid";
    struct sq_conn *c = sq_conn(conn);
    sqlite3_stmt *st;
    int r, rc, cap = 16;
    *n = 0;
    PREP_OR_OUT(st, c, Q_COPY_COLUMNS, sql, e);
    sq_bind_text(st, 1, table);
    const char **v = arena_calloc(a, (size_t)cap, sizeof(char *));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            v = arena_realloc(a, v, sizeof(char *) * (size_t)cap, sizeof(char *) * (size_t)cap * 2);
            cap *= 2;
        }
        v[(*n)++] = sq_col_text(st, 0, a);
    }
    r = rc == SQLITE_DONE ? 0 : sq_db_error(e, c->db, "copy columns");
    sq_done(st);
    *out = v;
out:
    return r;
}

static int
sqlite_copy_count(struct store_conn *conn, const char *table, int64_t *n, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    struct arena *a = arena_new();
    struct strbuf sb;
    sqlite3_stmt *st = NULL;
    int r;
    if (!plain_name(table)) {
        r = bad_name(table, e);
        goto out;
    }
    sb_init(&sb, a);
    sb_adds(&sb, "SELECT count(*) FROM \"");
    sb_adds(&sb, table);
    sb_adds(&sb, "\"");
    if (sqlite3_prepare_v2(c->db, sb.buf, -1, &st, NULL) != SQLITE_OK) {
        r = sq_db_error(e, c->db, "copy count");
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        r = sq_db_error(e, c->db, "copy count");
        goto out;
    }
    *n = sqlite3_column_int64(st, 0);
    r = 0;
out:
    sqlite3_finalize(st);
    arena_free(a);
    return r;
}

static const char hex[] = "0123456789abcdef";

/* More columns than any table of ours has. */
enum { COPY_COLUMNS_MAX = 96 };

static int
sqlite_copy_read(struct store_conn *conn, const struct store_copy_table *t, store_copy_row_fn row,
                 void *arg, struct err *e)
{
    struct sq_conn *c = sq_conn(conn);
    struct arena *a = arena_new();
    struct strbuf sb, blob;
    sqlite3_stmt *st = NULL;
    int r = 0, rc;
    if (!plain_name(t->name)) {
        r = bad_name(t->name, e);
        goto out;
    }
    if (t->ncolumns > COPY_COLUMNS_MAX) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "copy: %s has too many columns",
                    t->name);
        goto out;
    }
    sb_init(&sb, a);
    sb_adds(&sb, "SELECT ");
    for (int i = 0; i < t->ncolumns; i++) {
        if (!plain_name(t->columns[i])) {
            r = bad_name(t->columns[i], e);
            goto out;
        }
        sb_adds(&sb, i ? ", \"" : "\"");
        sb_adds(&sb, t->columns[i]);
        sb_addch(&sb, '"');
    }
    sb_adds(&sb, " FROM \"");
    sb_adds(&sb, t->name);
    sb_addch(&sb, '"');
    if (sqlite3_prepare_v2(c->db, sb.buf, -1, &st, NULL) != SQLITE_OK) {
        r = sq_db_error(e, c->db, "copy read");
        goto out;
    }
    const char **values = arena_calloc(a, (size_t)t->ncolumns + 1, sizeof(char *));
    sb_init(&blob, a);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sb_reset(&blob);
        /* Blobs as "\x" and hex, in one buffer: its offsets first, as it
         * may move while it grows. */
        size_t at[COPY_COLUMNS_MAX];
        for (int i = 0; i < t->ncolumns; i++) {
            int type = sqlite3_column_type(st, i);
            values[i] = NULL;
            at[i] = (size_t)-1;
            if (type == SQLITE_BLOB) {
                const unsigned char *b = sqlite3_column_blob(st, i);
                int len = sqlite3_column_bytes(st, i);
                at[i] = blob.len;
                sb_adds(&blob, "\\x");
                for (int k = 0; k < len; k++) {
                    sb_addch(&blob, hex[b[k] >> 4]);
                    sb_addch(&blob, hex[b[k] & 15]);
                }
                sb_addch(&blob, '\0');
            } else if (type != SQLITE_NULL) {
                values[i] = (const char *)sqlite3_column_text(st, i);
            }
        }
        for (int i = 0; i < t->ncolumns; i++)
            if (at[i] != (size_t)-1)
                values[i] = blob.buf + at[i];
        if ((r = row(arg, values, e)))
            goto out;
    }
    if (rc != SQLITE_DONE)
        r = sq_db_error(e, c->db, "copy read");
out:
    sqlite3_finalize(st);
    arena_free(a);
    return r;
}

const struct store_copy_ops sq_copy_ops = {
    .copy_read_begin = sqlite_copy_read_begin,
    .copy_read_end = sqlite_copy_read_end,
    .copy_columns = sqlite_copy_columns,
    .copy_count = sqlite_copy_count,
    .copy_read = sqlite_copy_read,
};
