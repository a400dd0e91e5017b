/*
 * fixtures_engine.h: the table of the fixture helpers that need the
 * database engine itself (those marked ENGINE in fixtures.h), one table
 * per engine, each in its own file: fixtures_sqlite.c and fixtures_pg.c.
 * fixtures_engine.c picks the table whose name is store_engine()'s for
 * the harness's store, or for a database as a whole the table whose
 * spec_prefixes the spec starts with (SQLite: any other), and calls
 * through it (a new engine's table joins its list); each entry does what
 * the fixtures.h function of the same name says, and fails the current
 * cmocka test on an error (but database_drop, which says why on stderr
 * and returns -1).
 */
#ifndef PETITIOND_FIXTURES_ENGINE_H
#define PETITIOND_FIXTURES_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

struct fixture_tables;

struct fixture_engine {
    const char *name;                 /* store_engine()'s: "sqlite" */
    const char *const *spec_prefixes; /* the specs that select it (NULL-terminated), or NULL */
    bool (*database_exists)(const char *db);
    int (*database_drop)(const char *db);
    int64_t (*drafts_erased)(struct harness *h, int64_t at);
    int64_t (*outbox_for_signatures)(struct harness *h, const char *email_prefix);
    int64_t (*outbox_repeated)(struct harness *h, const char *kind, const char *to_prefix);
    int64_t (*mailing_queued)(struct harness *h, const char *kind, const char *email_prefix);
    void (*petition_city_set)(struct harness *h, long e_number, const char *city);
    void (*petition_total_shift)(struct harness *h, long e_number, int64_t delta);
    long (*region_count_shift)(struct harness *h, long e_number, const char *region, int64_t delta);
    void (*petition_closes_at_set)(struct harness *h, long e_number, int64_t at);
    void (*petition_day_add)(struct harness *h, long e_number, const char *day, const char *region,
                             int64_t delta);
    int64_t (*petition_days_sum)(struct harness *h, long e_number, const char *region);
    void (*writes_block)(struct harness *h);
    void (*writes_resume)(struct harness *h);
    int64_t (*database_check)(struct harness *h, char *report, size_t size);
    void (*migration_forget)(struct harness *h, int version);
    void (*log_schema_drop)(struct harness *h);
    void (*tables_snapshot)(struct harness *h, struct fixture_tables *out);
};

/* FNV-1a (64 bits) of n bytes, continuing from hash (FIXTURE_HASH_INIT
 * to start): how both engines' tables_snapshot hash a row. */
#define FIXTURE_HASH_INIT 14695981039346656037ULL
uint64_t fixture_hash(uint64_t hash, const void *p, size_t n);

extern const struct fixture_engine fixture_engine_sqlite;
extern const struct fixture_engine fixture_engine_pg;

#endif
