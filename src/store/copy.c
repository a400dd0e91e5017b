/*
 * copy.c: copying a whole site from one store into another; see copy.h.
 *
 * The target names the tables (parents first) and their columns; the
 * source gives the columns it has of each, and the rows travel in the
 * columns both have (a column only the target has takes its default, as
 * a derived one filled by the target's triggers does).  One transaction
 * of the target holds the whole copy; the source is read in one
 * snapshot on a connection of its own.
 */
#include "store/copy.h"

#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/backend.h"
#include "lib/banned.h"

enum { PROGRESS_EVERY = 10000 };

/* A table as it travels: the target's table, the columns both have. */
struct copy_job {
    struct store_copy_table t;
    int64_t rows;
};

struct copy_run {
    struct store_conn *to;
    store_copy_progress_fn progress;
    void *arg;
    struct store_copy_progress p;
};

static int
copy_row(void *arg, const char *const *values, struct err *e)
{
    struct copy_run *run = arg;
    int r = run->to->store->be->copy->copy_write_row(run->to, values, e);
    if (r)
        return r;
    run->p.table_done++;
    run->p.done++;
    if (run->progress && run->p.table_done % PROGRESS_EVERY == 0)
        run->progress(run->arg, &run->p);
    return 0;
}

/* The columns of target table t that the source has too. */
static int
columns_shared(const struct store_copy_ops *src, struct store_conn *sc, struct arena *a,
               const struct store_copy_table *t, struct store_copy_table *out, struct err *e)
{
    const char **have;
    int nhave, r;
    if ((r = src->copy_columns(sc, a, t->name, &have, &nhave, e)))
        return r;
    out->name = t->name;
    out->columns = arena_calloc(a, (size_t)t->ncolumns + 1, sizeof(char *));
    out->ncolumns = 0;
    for (int i = 0; i < t->ncolumns; i++)
        for (int j = 0; j < nhave; j++)
            if (strcmp(t->columns[i], have[j]) == 0) {
                out->columns[out->ncolumns++] = t->columns[i];
                break;
            }
    return 0;
}

/* Each table's rows on both sides, after the copy. */
static int
copy_verify(struct store *to, const struct copy_job *jobs, int n, struct err *e)
{
    struct store_conn *tc;
    int r = store_read_conn(to, NULL, &tc, e);
    if (r)
        return r;
    for (int i = 0; i < n && !r; i++) {
        int64_t there = 0;
        if ((r = to->be->copy->copy_count(tc, jobs[i].t.name, &there, e)))
            break;
        if (there != jobs[i].rows)
            r = err_set(e, ERR_STORE, "error.store", NULL,
                        "copy: table %s has %lld rows in the source, %lld in the target",
                        jobs[i].t.name, (long long)jobs[i].rows, (long long)there);
    }
    store_read_done(to, NULL, tc);
    return r;
}

int
store_copy(struct store *from, struct store *to, store_copy_progress_fn progress, void *arg,
           struct store_copy_result *out, struct err *e)
{
    const struct store_copy_ops *src = from->be->copy, *dst = to->be->copy;
    struct store_copy_table *tables;
    struct copy_job *jobs = NULL;
    struct store_conn *sc = NULL;
    struct store_txn *t = NULL;
    struct store_conn *tc;
    struct arena *a = arena_new();
    int n = 0, njobs = 0, r;
    bool used = false, reading = false;

    memset(out, 0, sizeof(*out));
    if (!src || !src->copy_read || !dst || !dst->copy_write_row) {
        r = err_set(e, ERR_INVALID, "error.invalid", NULL, "copy from %s into %s is not supported",
                    from->be->name, to->be->name);
        goto out;
    }
    if ((r = store_begin(to, &t, e)) || (r = store_write_conn(t, &tc, e)))
        goto out;
    if ((r = dst->copy_tables(tc, a, &tables, &n, &used, e)))
        goto out;
    if (used) {
        r = err_set(e, ERR_CONFLICT, "error.conflict", NULL,
                    "copy: the target already holds a site (petitions, users, drafts or "
                    "signatures); copy into a database just migrated");
        goto out;
    }
    if ((r = store_read_conn(from, NULL, &sc, e)))
        goto out;
    if ((r = src->copy_read_begin(sc, e)))
        goto out;
    reading = true;

    /* What travels, and how many rows in all (for the progress). */
    struct copy_run run = {.to = tc, .progress = progress, .arg = arg};
    jobs = arena_calloc(a, (size_t)n + 1, sizeof(*jobs));
    for (int i = 0; i < n; i++) {
        struct copy_job *j = &jobs[njobs];
        if ((r = columns_shared(src, sc, a, &tables[i], &j->t, e)))
            goto out;
        if (!j->t.ncolumns)
            continue; /* a table of the target alone: derived, or new */
        if ((r = src->copy_count(sc, j->t.name, &j->rows, e)))
            goto out;
        run.p.rows += j->rows;
        njobs++;
    }
    if ((r = dst->copy_prepare(tc, tables, n, e)))
        goto out;
    for (int i = 0; i < njobs; i++) {
        run.p.table = jobs[i].t.name;
        run.p.table_done = 0;
        run.p.table_rows = jobs[i].rows;
        if ((r = dst->copy_write_begin(tc, &jobs[i].t, e)))
            goto out;
        r = src->copy_read(sc, &jobs[i].t, copy_row, &run, e);
        int end = dst->copy_write_end(tc, r ? NULL : e);
        if (r || (r = end))
            goto out;
        if (progress)
            progress(arg, &run.p);
    }
    if ((r = dst->copy_finish(tc, e)))
        goto out;
    r = store_commit(t, e);
    t = NULL;
    if (r)
        goto out;
    if ((r = copy_verify(to, jobs, njobs, e)))
        goto out;
    out->tables = njobs;
    out->rows = run.p.done;
out:
    if (reading)
        src->copy_read_end(sc);
    if (sc)
        store_read_done(from, NULL, sc);
    store_rollback(t);
    arena_free(a);
    return r;
}
