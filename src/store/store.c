/*
 * store.c: choosing a backend for a store specification.
 *
 * A plain path opens SQLite.  "postgresql://..." will open PostgreSQL
 * when that backend exists; until then it is refused with a clear
 * message rather than mistaken for a file name.
 */
#include <string.h>

#include "lib/embed.h"
#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

int
store_open(const char *spec, bool create, struct store **out, struct err *e)
{
    if (strncmp(spec, "postgres://", 11) == 0 || strncmp(spec, "postgresql://", 13) == 0)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "the PostgreSQL backend is not built yet; use a SQLite file path");
    if (strncmp(spec, "sqlite:", 7) == 0)
        spec += 7;
    if (!spec[0])
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "empty database path");
    return store_sqlite_open(spec, create, out, e);
}

int
store_migrations_latest(void)
{
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++)
        if (strncmp(f->path, "sql/sqlite/", 11) == 0)
            n++;
    return n;
}
