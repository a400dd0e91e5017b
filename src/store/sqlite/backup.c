/*
 * backup.c: a consistent copy of a live SQLite site (store.h:
 * store_backup), with SQLite's online backup API.
 *
 * The source is read through a connection of its own that holds one read
 * transaction from the first page to the last: in WAL mode that is one
 * snapshot, which writers never wait for and which never changes under
 * the backup, so the backup neither blocks the site nor restarts while
 * signatures keep coming.  The pages go into PATH.partial, which becomes
 * PATH (rename) only once complete and on disk, so a backup cut short
 * leaves no file that looks like a backup.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/die.h"
#include "lib/err.h"
#include "store/sqlite/sqlite.h"
#include "lib/banned.h"

/* Pages copied in one step: about 4 MB with 4 KB pages. */
enum { BACKUP_STEP_PAGES = 1024 };

int
sq_backup(struct store *base, const char *path, store_backup_progress_fn progress, void *arg,
          struct err *e)
{
    struct sq_store *s = sq_store(base);
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *b = NULL;
    struct stat st;
    int r = 0, rc;

    if (stat(path, &st) == 0)
        return err_set(e, ERR_CONFLICT, "error.conflict", NULL, "backup: %s already exists", path);
    size_t n = strlen(path) + sizeof(".partial");
    char *partial = malloc(n);
    if (!partial)
        die_oom();
    snprintf(partial, n, "%s.partial", path);
    unlink(partial);

    if (sqlite3_open_v2(s->path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(src,
                     "PRAGMA busy_timeout = 10000; BEGIN;"
                     " SELECT count(*) FROM schema_migrations",
                     NULL, NULL, NULL) != SQLITE_OK) {
        r = sq_db_error(e, src, "backup source");
        goto out;
    }
    if (sqlite3_open_v2(partial, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK) {
        r = err_set(e, ERR_IO, "error.io", NULL, "backup: cannot create %s: %s", partial,
                    dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    if (!(b = sqlite3_backup_init(dst, "main", src, "main"))) {
        r = sq_db_error(e, dst, "backup");
        goto out;
    }
    do {
        rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
        if (progress) {
            long total = sqlite3_backup_pagecount(b);
            progress(arg, total - sqlite3_backup_remaining(b), total);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    rc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_OK) {
        r = sq_db_error(e, dst, "backup");
        goto out;
    }
    /* Into one file of its own, whatever the source's journal: a
     * backup is a plain database that opens anywhere. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        r = sq_db_error(e, dst, "backup journal");
        goto out;
    }
    if (sqlite3_close(dst) != SQLITE_OK) {
        r = err_set(e, ERR_IO, "error.io", NULL, "backup: closing %s failed", partial);
        dst = NULL;
        goto out;
    }
    dst = NULL;
    if (rename(partial, path) != 0)
        r = err_set(e, ERR_IO, "error.io", NULL, "backup: cannot rename %s to %s", partial, path);
out:
    if (b)
        sqlite3_backup_finish(b);
    sqlite3_close(dst);
    if (src) {
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(src);
    }
    if (r)
        unlink(partial);
    free(partial);
    return r;
}
