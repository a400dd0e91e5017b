/*
 * retention.c: petitiond retention, which erases the personal data that
 * is due (or, with --dry-run, lists it), as the server does daily, and
 * prints one line per petition and a total.
 */
#include <stdint.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "core/eastern_time.h"
#include "core/jurisdiction.h"
#include "core/petition_state.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "workflow/flow.h"
#include "workflow/jurisdiction_file.h"
#include "workflow/retention.h"
#include "lib/banned.h"

static const char usage_retention[] =
    "usage: petitiond retention --db DB [--dry-run]\n"
    "\n"
    "Erase the personal data (names, e-mail addresses, telephone numbers, postal\n"
    "codes, network addresses) of the signatories and supporters of every petition\n"
    "that reached a final state more than retention_days (30) days ago, and of the\n"
    "supporters of drafts that ended unpublished; delete sent e-mail and finished\n"
    "mailing lists as old.  The counts by province and the public record stay.\n"
    "Prints one line per petition and a total.  The server does the same daily.\n"
    "\n"
    "options:\n"
    "  --db DB              the database: a SQLite file or a PostgreSQL URI\n"
    "  --dry-run            only list what would be erased; change nothing\n"
    "  --jurisdiction FILE  the jurisdiction's rules (default: the built-in file)\n"
    "  --clock-file PATH    for tests only: take the time from this file\n";

/* "1,234,567": a count with thousands separators (static buffer). */
static const char *
grouped(int64_t v)
{
    static char out[32];
    char digits[24];
    int n = snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? 0 : v)), k = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return out;
}

int
cmd_retention(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_DRY_RUN, OPT_JURISDICTION, OPT_CLOCK_FILE, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    struct jurisdiction rules;
    struct retention_item *items;
    int n, r;

    if ((r = options_parse(argc, argv, usage_retention, allowed, &o)))
        return r;
    if (o.clock_file)
        fprintf(stderr, "petitiond: the time is read from %s (--clock-file is for tests only)\n",
                o.clock_file);
    if (jurisdiction_load(o.jurisdiction, &rules, &e) || cmd_open_store(o.db, true, &s, &e))
        return cmd_fail(&e);
    struct flow f = {.store = s, .rules = &rules};
    struct arena *a = arena_new();
    struct clock clk = {.file = o.clock_file};
    r = retention_run(&f, a, o.dry_run, clock_now(&clk), &items, &n, &e);
    /* On an error, what was erased before it is still listed. */
    int64_t signatures = 0, supporters = 0;
    for (int i = 0; i < n; i++) {
        struct strbuf since;
        sb_init(&since, a);
        eastern_format_iso_date(&since, items[i].final_at);
        printf("%s  %s since %s: %s signature%s, ", items[i].label,
               petition_state_name(items[i].state), since.buf, grouped(items[i].signatures),
               items[i].signatures == 1 ? "" : "s");
        printf("%s supporter%s\n", grouped(items[i].supporters),
               items[i].supporters == 1 ? "" : "s");
        signatures += items[i].signatures;
        supporters += items[i].supporters;
    }
    printf("petitiond: %d petition%s %s: %s signature%s, ", n, n == 1 ? "" : "s",
           o.dry_run ? "due (dry run, nothing erased)" : "erased", grouped(signatures),
           signatures == 1 ? "" : "s");
    printf("%s supporter%s\n", grouped(supporters), supporters == 1 ? "" : "s");
    r = r ? cmd_fail(&e) : 0;
    arena_free(a);
    store_close(s);
    return r;
}
