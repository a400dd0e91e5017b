/*
 * demo.c: petitiond demo, which loads the demo data (built in, or a file
 * of the same format) into a migrated database, once.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "lib/clock.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "workflow/demo.h"
#include "lib/banned.h"

static const char usage_demo[] =
    "usage: petitiond demo --db DB [--file FILE]\n"
    "\n"
    "Load the demo data (data/demo/demo.json, built into the binary): Parliaments,\n"
    "Members, subjects, keywords, and petitions in every public state, starting\n"
    "with e-2829 as the House published it.  Loads once: a second run changes\n"
    "nothing.  Run 'petitiond migrate' first.\n"
    "\n"
    "options:\n"
    "  --db DB       the database: a SQLite file or a PostgreSQL URI\n"
    "  --file FILE   load this file (same format, \"demo\": true) instead of the\n"
    "                built-in demo data\n";

/* Read a whole file (at most 16 MiB) into a heap buffer. */
static int
read_file(const char *path, char **out, size_t *len, struct err *e)
{
    FILE *fp = fopen(path, "rb");
    struct strbuf sb;
    char buf[8192];
    size_t n;

    if (!fp)
        return err_set(e, ERR_IO, "error.io", NULL, "cannot open %s", path);
    sb_init(&sb, NULL);
    sb_set_max(&sb, 16 * 1024 * 1024);
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_add(&sb, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || sb_failed(&sb)) {
        sb_release(&sb);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot read %s (or larger than 16 MiB)", path);
    }
    *out = sb_detach(&sb, len);
    return 0;
}

int
cmd_demo(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_FILE, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    struct clock clk = {0};
    bool loaded = false;
    char *owned = NULL; /* the --file contents; the built-in data is not copied */
    const char *text;
    size_t len;
    int r;

    if ((r = options_parse(argc, argv, usage_demo, allowed, &o)))
        return r;
    if (o.file) {
        if (read_file(o.file, &owned, &len, &e))
            return cmd_fail(&e);
        text = owned;
    } else {
        const struct embedded_file *f = embed_find(DEMO_DEFAULT);
        if (!f) {
            fprintf(stderr, "petitiond: no demo data built in\n");
            return 1;
        }
        text = (const char *)f->data;
        len = f->len;
    }
    r = cmd_open_store(o.db, true, &s, &e);
    if (!r)
        r = demo_load(s, text, len, clock_now(&clk), &loaded, &e);
    store_close(s);
    free(owned);
    if (r)
        return cmd_fail(&e);
    printf(loaded ? "petitiond: %s: demo data loaded\n"
                  : "petitiond: %s: demo data already loaded; nothing changed\n",
           o.db);
    return 0;
}
