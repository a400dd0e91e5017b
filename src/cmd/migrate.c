/*
 * migrate.c: petitiond migrate, which creates a database or brings its
 * schema up to this binary's (the store applies each missing migration in
 * its own transaction).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

static const char usage_migrate[] =
    "usage: petitiond migrate --db DB\n"
    "\n"
    "Create the SQLite database at PATH if it does not exist, and apply every\n"
    "schema migration it lacks (each in its own transaction).  Safe to run again.\n"
    "\n"
    "options:\n"
    "  --db DB     the database: a SQLite file (e.g. var/petitiond.db), created\n"
    "              when missing, or a PostgreSQL URI (postgresql://user@host/name,\n"
    "              postgresql:///name?host=/run/postgresql); a missing database\n"
    "              is created when the role may\n";

int
cmd_migrate(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    int r, applied = 0, version = 0;

    if ((r = options_parse(argc, argv, usage_migrate, allowed, &o)))
        return r;
    if (cmd_open_store(o.db, false, &s, &e) || store_migrate(s, &applied, &e) ||
        store_schema_version(s, &version, &e)) {
        store_close(s);
        return cmd_fail(&e);
    }
    store_close(s);
    printf("petitiond: %s: %d migration%s applied, schema version %d\n", o.db, applied,
           applied == 1 ? "" : "s", version);
    return 0;
}
