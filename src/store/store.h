/*
 * store.h: the one interface to petitiond's database.
 *
 * Pages, the API, the command line and (later) the jobs talk to storage
 * only through these functions.  Behind them is a backend, a table of
 * function pointers (as git's refs backends): store_sqlite.c now, and
 * store_pg.c for PostgreSQL when one machine is no longer enough.  All SQL
 * lives in the backend, as constant strings with bound parameters.
 *
 * Threads: a struct store may be used from any number of threads at once;
 * the backend keeps a pool of connections.  Reads see a consistent
 * snapshot per call.
 *
 * Memory: everything a read returns is allocated from the arena the
 * caller passes and lives as long as it.
 *
 * Errors: 0 on success; ERR_NOT_FOUND when a looked-up record does not
 * exist; ERR_STORE when the database fails (details in e->log);
 * ERR_INVALID for a record the schema refuses.
 */
#ifndef PETITIOND_STORE_H
#define PETITIOND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/petition.h"

struct arena;
struct err;
struct store;

/* What a list of petitions is filtered and sorted by. */
enum petition_sort {
    SORT_RECENT,          /* latest activity first (state change) */
    SORT_OLDEST,
    SORT_MOST_SIGNATURES,
    SORT_FEWEST_SIGNATURES,
};

struct petition_query {
    bool public_only;            /* only states the public site shows */
    bool has_state;
    enum petition_state state;
    const char *subject_code;    /* NULL = any */
    const char *keyword_slug;    /* NULL = any */
    const char *text;            /* words to find in either language; NULL = any */
    bool has_kind;
    enum petition_kind kind;
    enum petition_sort sort;
    int offset;
    int limit;                   /* at most 100 */
};

struct petition_list {
    struct petition *items;      /* summaries: no grievances, prayer or response text */
    int count;
    int64_t total;               /* matching petitions, for pagination */
};

/* What the demo and import loaders write; ids are filled in on return. */
struct store_ops {
    const char *name; /* "sqlite" */

    void (*close)(struct store *s);

    /* Create or upgrade the schema to the newest migration.  *applied gets
     * how many migrations ran (0 when already current). */
    int (*migrate)(struct store *s, int *applied, struct err *e);
    /* The newest migration applied, 0 for an empty database. */
    int (*schema_version)(struct store *s, int *version, struct err *e);

    /* Writes made by the loaders run in one transaction of their own:
     * begin, any number of puts, then commit or rollback. */
    int (*begin)(struct store *s, struct err *e);
    int (*commit)(struct store *s, struct err *e);
    void (*rollback)(struct store *s);

    /* Small named settings ("demo_loaded", ...). *value is NULL when unset. */
    int (*meta_get)(struct store *s, struct arena *a, const char *key, const char **value,
                    struct err *e);
    int (*meta_set)(struct store *s, const char *key, const char *value, struct err *e);

    /* Insert or update by natural key (number, code, slug, key). */
    int (*parliament_put)(struct store *s, struct parliament *p, struct err *e);
    int (*session_put)(struct store *s, struct session *ses, struct err *e);
    int (*member_put)(struct store *s, struct member *m, struct err *e);
    int (*ministry_put)(struct store *s, struct ministry *m, struct err *e);
    int (*minister_put)(struct store *s, struct minister *m, struct err *e);
    int (*subject_put)(struct store *s, struct subject *sub, struct err *e);
    int (*keyword_put)(struct store *s, struct keyword *k, struct err *e);

    /* Insert a whole petition record: text, keywords (by slug), counts by
     * region, response and the timeline of its states.  The petition's
     * subject, members and ministries are looked up by code/key.
     * ERR_CONFLICT when its number is taken. */
    int (*petition_insert)(struct store *s, struct petition *p, struct err *e);

    /* One petition with everything the public page shows. */
    int (*petition_get)(struct store *s, struct arena *a, const struct petition_number *n,
                        struct petition *out, struct err *e);
    int (*petition_list)(struct store *s, struct arena *a, const struct petition_query *q,
                         struct petition_list *out, struct err *e);
    /* Public petitions per state: counts[state]. */
    int (*petition_state_counts)(struct store *s, int64_t counts[PETITION_STATE_COUNT],
                                 struct err *e);

    int (*subject_list)(struct store *s, struct arena *a, struct subject **out, int *n,
                        struct err *e);
    int (*keyword_list)(struct store *s, struct arena *a, struct keyword **out, int *n,
                        struct err *e);
    int (*keyword_get)(struct store *s, struct arena *a, const char *slug, struct keyword *out,
                       struct err *e);
    int (*subject_get)(struct store *s, struct arena *a, const char *code, struct subject *out,
                       struct err *e);
};

struct store {
    const struct store_ops *ops;
};

/*
 * Open the store named by spec: a file path (SQLite).  With create, a
 * missing database is created (only `petitiond migrate` does that, so a
 * mistyped path elsewhere is an error, not a new empty file).  Returns 0
 * and *out, which the caller closes with store_close().
 */
int store_open(const char *spec, bool create, struct store **out, struct err *e);

static inline void
store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

/* The newest schema migration this binary carries. */
int store_migrations_latest(void);

/* The SQLite backend (store_sqlite.c). */
int store_sqlite_open(const char *path, bool create, struct store **out, struct err *e);

#endif
