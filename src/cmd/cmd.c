/*
 * cmd.c: what the commands share: their error messages and opening the
 * store; see cmd.h.
 */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

int
cmd_fail(const struct err *e)
{
    fprintf(stderr, "petitiond: %s\n", e->log[0] ? e->log : err_code_name(e->code));
    return 1;
}

int
cmd_usage_error(const char *usage, const char *what)
{
    fprintf(stderr, "petitiond: %s\n\n%s", what, usage);
    return 2;
}

int
cmd_subcommand(int argc, char **argv, const char *word, const char *usage, const char *what)
{
    if (argc >= 2 && strcmp(argv[1], word) == 0)
        return 0;
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        exit(0);
    }
    return cmd_usage_error(usage, what);
}

int
cmd_open_store(const char *db, bool must_be_current, struct store **s, struct err *e)
{
    /* Only migrate (which does not ask for the current schema) creates. */
    int r = store_open(db, !must_be_current, s, e), version;
    if (r)
        return r;
    if (!must_be_current)
        return 0;
    int latest = store_schema_latest(*s);
    if (!(r = store_schema_version(*s, &version, e)) && version != latest)
        r = err_set(e, ERR_STORE, "error.store", NULL,
                    "%s has schema %d, this petitiond needs %d: run 'petitiond migrate --db %s'",
                    db, version, latest, db);
    if (r) {
        store_close(*s);
        *s = NULL;
    }
    return r;
}
