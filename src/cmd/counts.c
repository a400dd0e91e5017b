/*
 * counts.c: petitiond counts check, which recounts every e-petition's
 * signatures from their rows and reports (or, with --fix, repairs) the
 * shown counts that differ, as the server's hourly job does.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "core/jurisdiction.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/counts_check.h"
#include "workflow/flow.h"
#include "workflow/jurisdiction_file.h"
#include "lib/banned.h"

static const char usage_counts[] =
    "usage: petitiond counts check --db DB [--fix]\n"
    "\n"
    "Recount the validated signatures of every e-petition from its rows and compare\n"
    "them with the counts the pages show (by province or territory and in total).\n"
    "Prints one line per petition that differs and a summary; exit status 1 when\n"
    "any differs.  The server runs the same check every hour.\n"
    "\n"
    "options:\n"
    "  --db DB     the database: a SQLite file or a PostgreSQL URI\n"
    "  --fix       set the shown counts to the recount (each petition in one\n"
    "              transaction)\n";

int
cmd_counts(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_FIX, OPT_JURISDICTION, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    struct jurisdiction rules;
    struct count_drift *drift;
    int n, checked, r;

    if ((r = cmd_subcommand(argc, argv, "check", usage_counts,
                            "the counts command is 'counts check'")))
        return r;
    if ((r = options_parse(argc - 1, argv + 1, usage_counts, allowed, &o)))
        return r;
    if (jurisdiction_load(o.jurisdiction, &rules, &e) || cmd_open_store(o.db, true, &s, &e))
        return cmd_fail(&e);
    struct flow f = {.store = s, .rules = &rules};
    struct arena *a = arena_new();
    struct clock clk = {0};
    if (counts_check(&f, a, o.fix, clock_now(&clk), &drift, &n, &checked, &e)) {
        r = cmd_fail(&e);
    } else {
        for (int i = 0; i < n; i++)
            printf("e-%ld: shown %lld, recount %lld (%d region%s differ)%s\n", drift[i].e_number,
                   (long long)drift[i].stored_total, (long long)drift[i].expected_total,
                   drift[i].regions_off, drift[i].regions_off == 1 ? "" : "s",
                   o.fix ? ": fixed" : "");
        printf("petitiond: %d e-petition%s checked, %d differ%s%s\n", checked,
               checked == 1 ? "" : "s", n, n == 1 ? "s" : "", n && o.fix ? " (fixed)" : "");
        r = n && !o.fix ? 1 : 0;
    }
    arena_free(a);
    store_close(s);
    return r;
}
