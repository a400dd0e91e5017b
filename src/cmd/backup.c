/*
 * backup.c: petitiond backup, a consistent copy of a live SQLite site
 * into a new file while it serves (store.h: store_backup), with its
 * progress on a terminal.  For PostgreSQL it says to use pg_dump or a
 * base backup (docs/postgresql.md).
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

static const char usage_backup[] =
    "usage: petitiond backup --db DB --to FILE\n"
    "\n"
    "Copy a SQLite site, as one consistent snapshot, into FILE (which must not\n"
    "exist) while it keeps serving: signatures taken during the backup are not\n"
    "in it, and nothing waits for it.  FILE is written as FILE.partial and renamed\n"
    "when complete.  To restore, stop petitiond and put FILE in place of the\n"
    "database (removing its -wal and -shm files).  A PostgreSQL site is backed up\n"
    "with pg_dump or a base backup (docs/postgresql.md).\n"
    "\n"
    "options:\n"
    "  --db DB     the site's database: a SQLite file\n"
    "  --to FILE   the backup to write\n";

static void
backup_progress(void *arg, long done, long total)
{
    (void)arg;
    fprintf(stderr, "\r\033[Kbackup: %ld of %ld pages (%ld%%)", done, total,
            total ? done * 100 / total : 100);
}

int
cmd_backup(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_TO, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    int r;

    if ((r = options_parse(argc, argv, usage_backup, allowed, &o)))
        return r;
    if (!o.to)
        return cmd_usage_error(usage_backup, "--to FILE is required");
    if (cmd_open_store(o.db, true, &s, &e))
        return cmd_fail(&e);
    bool tty = isatty(2) == 1;
    r = store_backup(s, o.to, tty ? backup_progress : NULL, NULL, &e);
    if (tty)
        fputs("\r\033[K", stderr);
    if (r)
        r = cmd_fail(&e);
    else
        printf("petitiond: %s backed up to %s\n", o.db, o.to);
    store_close(s);
    return r;
}
