/*
 * copy.c: the PostgreSQL backend as the target of a copy (store/copy.h):
 * its tables in the order of their foreign keys, emptied of what the
 * migrations put in them, filled with COPY ... FROM STDIN (text format),
 * then every identity sequence set past the copied ids.  It also counts
 * rows, to verify a copy.
 *
 * Table and column names come from PostgreSQL's catalog and reach a
 * statement's text only quoted by PQescapeIdentifier(); values travel in
 * COPY's data, escaped as its text format wants.  Statements with a
 * table's name in them are not prepared (pg_run() keys statements by
 * their text's address): they run with PQexecParams().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/pg/pg.h"
#include "lib/banned.h"

/* Flush the rows of a COPY to the server past this many bytes. */
enum { COPY_FLUSH = 256 * 1024 };

/* Append name, quoted as an identifier, to sb; ERR_INVALID when it
 * cannot be. */
static int
add_ident(struct pg_conn *c, struct strbuf *sb, const char *name, struct err *e)
{
    char *q = PQescapeIdentifier(c->db, name, strlen(name));
    if (!q)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "copy: bad name %.60s", name);
    sb_adds(sb, q);
    PQfreemem(q);
    return 0;
}

/* Run SQL text made here (a quoted table name in it), no values. */
static PGresult *
run_text(struct pg_conn *c, const char *sql, ExecStatusType want, const char *what, struct err *e)
{
    PGresult *res = PQexecParams(c->db, sql, 0, NULL, NULL, NULL, NULL, 0);
    if (res && PQresultStatus(res) == want)
        return res;
    pg_db_error(e, c, res, what);
    PQclear(res);
    return NULL;
}

/* ---- the tables, parents first ------------------------------------------------------------ */

static int
table_index(const struct store_copy_table *t, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return i;
    return -1;
}

static int
pg_copy_tables(struct store_conn *conn, struct arena *a, struct store_copy_table **out, int *n,
               bool *used, struct err *e)
{
    static const char tables_sql[] =
        "SELECT c.relname, a.attname FROM pg_class c"
        " JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        "  AND a.attgenerated = ''"
        " WHERE c.relkind = 'r' AND c.relname NOT IN ('schema_migrations', 'write_lock')"
        " ORDER BY c.relname, a.attnum";
    static const char keys_sql[] =
        "SELECT ch.relname, pa.relname FROM pg_constraint k"
        " JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid"
        " JOIN pg_namespace ns ON ns.oid = ch.relnamespace AND ns.nspname = current_schema()"
        " WHERE k.contype = 'f' AND k.conrelid <> k.confrelid";
    static const char used_sql[] =
        "SELECT EXISTS (SELECT 1 FROM petitions) OR EXISTS (SELECT 1 FROM users)"
        " OR EXISTS (SELECT 1 FROM drafts) OR EXISTS (SELECT 1 FROM signatures)";
    struct pg_conn *c = pg_conn(conn);
    PGresult *res = NULL, *keys = NULL;
    int r = 0;

    if ((r = pg_run_one(c, used_sql, NULL, &res, "copy target", e)))
        return r;
    *used = pg_flag(res, 0, 0);
    PQclear(res);
    if (!(res = pg_run(c, tables_sql, NULL, "copy tables", e)))
        return e ? e->code : ERR_STORE;
    if (!(keys = pg_run(c, keys_sql, NULL, "copy keys", e))) {
        PQclear(res);
        return e ? e->code : ERR_STORE;
    }

    /* The tables with their columns, by name. */
    int rows = PQntuples(res), count = 0;
    struct store_copy_table *t = arena_calloc(a, (size_t)rows + 1, sizeof(*t));
    for (int i = 0; i < rows; i++) {
        const char *name = PQgetvalue(res, i, 0);
        if (!count || strcmp(t[count - 1].name, name) != 0) {
            t[count].name = arena_strdup(a, name);
            t[count].columns = arena_calloc(a, (size_t)rows, sizeof(char *));
            count++;
        }
        struct store_copy_table *cur = &t[count - 1];
        cur->columns[cur->ncolumns++] = pg_text(res, i, 1, a);
    }

    /* Parents first (Kahn's order; by name among the ready ones). */
    int *parents = arena_calloc(a, (size_t)count + 1, sizeof(int));
    bool *placed = arena_calloc(a, (size_t)count + 1, sizeof(bool));
    int nkeys = PQntuples(keys);
    for (int k = 0; k < nkeys; k++) {
        int ch = table_index(t, count, PQgetvalue(keys, k, 0));
        if (ch >= 0 && table_index(t, count, PQgetvalue(keys, k, 1)) >= 0)
            parents[ch]++;
    }
    struct store_copy_table *sorted = arena_calloc(a, (size_t)count + 1, sizeof(*sorted));
    int done = 0;
    while (done < count) {
        int next = -1;
        for (int i = 0; i < count && next < 0; i++)
            if (!placed[i] && parents[i] == 0)
                next = i;
        if (next < 0) {
            r = err_set(e, ERR_STORE, "error.store", NULL, "copy: the foreign keys form a circle");
            goto out;
        }
        placed[next] = true;
        sorted[done++] = t[next];
        for (int k = 0; k < nkeys; k++)
            if (strcmp(PQgetvalue(keys, k, 1), t[next].name) == 0) {
                int ch = table_index(t, count, PQgetvalue(keys, k, 0));
                if (ch >= 0)
                    parents[ch]--;
            }
    }
    *out = sorted;
    *n = count;
out:
    PQclear(res);
    PQclear(keys);
    return r;
}

/* ---- counting and emptying ------------------------------------------------------------------- */

static int
pg_copy_count(struct store_conn *conn, const char *table, int64_t *n, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    struct arena *a = arena_new();
    struct strbuf sb;
    int r;
    sb_init(&sb, a);
    sb_adds(&sb, "SELECT count(*) FROM ");
    if (!(r = add_ident(c, &sb, table, e))) {
        PGresult *res = run_text(c, sb.buf, PGRES_TUPLES_OK, "copy count", e);
        if (res)
            *n = pg_i64(res, 0, 0);
        else
            r = e ? e->code : ERR_STORE;
        PQclear(res);
    }
    arena_free(a);
    return r;
}

static int
pg_copy_prepare(struct store_conn *conn, const struct store_copy_table *tables, int n,
                struct err *e)
{
    /* The copy brings the audit log's own records: its writes to the
     * guarded tables are the copied site's, audited there. */
    static const char audited_sql[] = "SELECT set_config('petitiond.audited', 'on', true)";
    struct pg_conn *c = pg_conn(conn);
    int r = pg_run_done(c, audited_sql, NULL, NULL, "copy audited", e);
    /* Children before parents. */
    for (int i = n - 1; i >= 0 && !r; i--) {
        int64_t rows = 0;
        if ((r = pg_copy_count(conn, tables[i].name, &rows, e)) || !rows)
            continue;
        struct arena *a = arena_new();
        struct strbuf sb;
        sb_init(&sb, a);
        sb_adds(&sb, "DELETE FROM ");
        if (!(r = add_ident(c, &sb, tables[i].name, e))) {
            PGresult *res = run_text(c, sb.buf, PGRES_COMMAND_OK, "copy empty", e);
            r = res ? 0 : (e ? e->code : ERR_STORE);
            PQclear(res);
        }
        arena_free(a);
    }
    return r;
}

/* ---- COPY --------------------------------------------------------------------------------------
 */

static void
buf_add(struct pg_conn *c, const char *s, size_t n)
{
    if (c->copy_len + n > c->copy_cap) {
        size_t cap = c->copy_cap ? c->copy_cap : COPY_FLUSH * 2;
        while (cap < c->copy_len + n)
            cap *= 2;
        if (!(c->copy_buf = realloc(c->copy_buf, cap)))
            die_oom();
        c->copy_cap = cap;
    }
    memcpy(c->copy_buf + c->copy_len, s, n);
    c->copy_len += n;
}

static int
buf_flush(struct pg_conn *c, struct err *e)
{
    if (c->copy_len && PQputCopyData(c->db, c->copy_buf, (int)c->copy_len) != 1)
        return pg_db_error(e, c, NULL, "copy data");
    c->copy_len = 0;
    return 0;
}

static int
pg_copy_write_begin(struct store_conn *conn, const struct store_copy_table *t, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    struct arena *a = arena_new();
    struct strbuf sb;
    int r = 0;
    sb_init(&sb, a);
    sb_adds(&sb, "COPY ");
    r = add_ident(c, &sb, t->name, e);
    sb_adds(&sb, " (");
    for (int i = 0; i < t->ncolumns && !r; i++) {
        if (i)
            sb_adds(&sb, ", ");
        r = add_ident(c, &sb, t->columns[i], e);
    }
    sb_adds(&sb, ") FROM STDIN");
    if (!r) {
        PGresult *res = run_text(c, sb.buf, PGRES_COPY_IN, "copy begin", e);
        r = res ? 0 : (e ? e->code : ERR_STORE);
        PQclear(res);
    }
    c->copy_len = 0;
    c->copy_ncol = t->ncolumns;
    arena_free(a);
    return r;
}

static int
pg_copy_write_row(struct store_conn *conn, const char *const *values, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    for (int i = 0; i < c->copy_ncol; i++) {
        if (i)
            buf_add(c, "\t", 1);
        const char *v = values[i];
        if (!v) {
            buf_add(c, "\\N", 2);
            continue;
        }
        /* COPY's text format: a backslash, a tab, a newline or a
         * carriage return in a value is escaped. */
        const char *run = v;
        for (; *v; v++) {
            const char *esc = *v == '\\'   ? "\\\\"
                              : *v == '\t' ? "\\t"
                              : *v == '\n' ? "\\n"
                              : *v == '\r' ? "\\r"
                                           : NULL;
            if (!esc)
                continue;
            buf_add(c, run, (size_t)(v - run));
            buf_add(c, esc, 2);
            run = v + 1;
        }
        buf_add(c, run, (size_t)(v - run));
    }
    buf_add(c, "\n", 1);
    return c->copy_len >= COPY_FLUSH ? buf_flush(c, e) : 0;
}

static int
pg_copy_write_end(struct store_conn *conn, struct err *e)
{
    struct pg_conn *c = pg_conn(conn);
    int r = buf_flush(c, e);
    if (PQputCopyEnd(c->db, r ? "copy abandoned" : NULL) != 1 && !r)
        r = pg_db_error(e, c, NULL, "copy end");
    PGresult *res;
    while ((res = PQgetResult(c->db))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && !r)
            r = pg_db_error(e, c, res, "copy");
        PQclear(res);
    }
    return r;
}

static int
pg_copy_finish(struct store_conn *conn, struct err *e)
{
    /* Constant SQL: the names come from the catalog inside the server. */
    static const char sql[] =
        "DO $$ DECLARE r record; m bigint; BEGIN"
        " FOR r IN SELECT c.relname, a.attname FROM pg_attribute a"
        "  JOIN pg_class c ON c.oid = a.attrelid"
        "  JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()"
        "  WHERE a.attidentity <> '' AND c.relkind = 'r' LOOP"
        "  EXECUTE format('SELECT max(%I) FROM %I', r.attname, r.relname) INTO m;"
        "  IF m IS NOT NULL THEN"
        "   PERFORM setval(pg_get_serial_sequence(quote_ident(r.relname), r.attname), m);"
        "  END IF;"
        " END LOOP; END $$";
    return pg_exec(pg_conn(conn), sql, "copy sequences", e);
}

const struct store_copy_ops pg_copy_ops = {
    .copy_tables = pg_copy_tables,
    .copy_count = pg_copy_count,
    .copy_prepare = pg_copy_prepare,
    .copy_write_begin = pg_copy_write_begin,
    .copy_write_row = pg_copy_write_row,
    .copy_write_end = pg_copy_write_end,
    .copy_finish = pg_copy_finish,
};
