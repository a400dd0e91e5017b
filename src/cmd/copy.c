/*
 * copy.c: petitiond copy, which moves a whole site from a SQLite file
 * into an empty PostgreSQL database (store/copy.h), shows its progress on
 * a terminal, then verifies the copy: each table's rows counted again on
 * both sides, and the counts check (workflow/counts_check.h) run on the
 * target.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "core/jurisdiction.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "store/copy.h"
#include "store/store.h"
#include "workflow/counts_check.h"
#include "workflow/flow.h"
#include "workflow/jurisdiction_file.h"
#include "lib/banned.h"

static const char usage_copy[] =
    "usage: petitiond copy --from DB --to DB\n"
    "\n"
    "Copy a whole site (every table: petitions, signatures, accounts, the audit\n"
    "log, the outbox and mail in progress) from a SQLite file into a PostgreSQL\n"
    "database that was just migrated ('petitiond migrate --db URI') and holds no\n"
    "site yet.  The source may keep serving: it is read in one snapshot, and what\n"
    "it takes after that is not copied (stop it first for the final move).  The\n"
    "copy is one transaction: if it fails, the target is left as it was.  Then\n"
    "each table's rows are counted on both sides and the counts are checked.\n"
    "Shows its progress on a terminal.\n"
    "\n"
    "options:\n"
    "  --from DB   the site to copy: a SQLite file\n"
    "  --to DB     the database to fill: a PostgreSQL URI (postgresql://...)\n";

static double
seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct copy_view {
    bool tty;
    double started;
};

/* One line, redrawn: the table, its rows, the rate and the time left. */
static void
copy_progress(void *arg, const struct store_copy_progress *p)
{
    struct copy_view *v = arg;
    if (!v->tty)
        return;
    double spent = seconds_now() - v->started;
    double rate = spent > 0 ? (double)p->done / spent : 0;
    double left = rate > 0 ? (double)(p->rows - p->done) / rate : 0;
    fprintf(stderr, "\r\033[Kcopy: %s %lld/%lld rows; all %lld/%lld, %.0f rows/s, %.0f s left",
            p->table, (long long)p->table_done, (long long)p->table_rows, (long long)p->done,
            (long long)p->rows, rate, left);
}

int
cmd_copy(int argc, char **argv)
{
    static const char allowed[] = {OPT_FROM, OPT_TO, OPT_JURISDICTION, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *from = NULL, *to = NULL;
    struct jurisdiction rules;
    struct store_copy_result res;
    int r;

    if ((r = options_parse(argc, argv, usage_copy, allowed, &o)))
        return r;
    if (!o.from || !o.to)
        return cmd_usage_error(usage_copy, "--from and --to are both required");
    if (store_spec_is_postgresql(o.from) || !store_spec_is_postgresql(o.to))
        return cmd_usage_error(usage_copy, "copy goes from a SQLite file to a PostgreSQL URI");
    if (jurisdiction_load(o.jurisdiction, &rules, &e) || cmd_open_store(o.from, true, &from, &e) ||
        cmd_open_store(o.to, true, &to, &e)) {
        r = cmd_fail(&e);
        goto out;
    }
    struct copy_view view = {.tty = isatty(2) == 1, .started = seconds_now()};
    r = store_copy(from, to, copy_progress, &view, &res, &e);
    if (view.tty)
        fputs("\r\033[K", stderr);
    if (r) {
        r = cmd_fail(&e);
        goto out;
    }
    double spent = seconds_now() - view.started;
    printf("petitiond: copied %d tables, %lld rows in %.1f s (%.0f rows/s); each table's rows "
           "counted again on both sides: equal\n",
           res.tables, (long long)res.rows, spent, spent > 0 ? (double)res.rows / spent : 0);

    struct flow f = {.store = to, .rules = &rules};
    struct arena *a = arena_new();
    struct clock clk = {0};
    struct count_drift *drift;
    int n, checked;
    if (counts_check(&f, a, false, clock_now(&clk), &drift, &n, &checked, &e)) {
        r = cmd_fail(&e);
    } else {
        printf("petitiond: counts check on the copy: %d e-petition%s checked, %d differ%s\n",
               checked, checked == 1 ? "" : "s", n, n == 1 ? "s" : "");
        r = n ? 1 : 0;
    }
    arena_free(a);
out:
    store_close(from);
    store_close(to);
    return r;
}
