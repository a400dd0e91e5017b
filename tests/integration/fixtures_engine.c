/*
 * fixtures_engine.c: the fixture helpers marked ENGINE in fixtures.h,
 * each handed to the table of the harness's engine (fixtures_engine.h),
 * found by the name store_engine() gives for the fixtures' store (for a
 * database as a whole, by the form of its spec).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fixtures.h"
#include "fixtures_engine.h"
#include "lib/banned.h"

static const struct fixture_engine *const engines[] = {&fixture_engine_sqlite, &fixture_engine_pg};

static const struct fixture_engine *
engine(struct harness *h)
{
    const char *name = store_engine(fixture_store(h));
    for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
        if (strcmp(engines[i]->name, name) == 0)
            return engines[i];
    fail_msg("no fixtures for the %s engine (tests/integration/fixtures_%s.c)", name, name);
    return NULL;
}

/* The engine of a store spec, by its form, as store_open() chooses:
 * SQLite for any spec no other engine claims. */
static const struct fixture_engine *
spec_engine(const char *db)
{
    for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
        for (const char *const *p = engines[i]->spec_prefixes; p && *p; p++)
            if (strncmp(db, *p, strlen(*p)) == 0)
                return engines[i];
    return &fixture_engine_sqlite;
}

bool
fixture_database_exists(const char *db)
{
    return spec_engine(db)->database_exists(db);
}

int
fixture_database_drop(const char *db)
{
    return spec_engine(db)->database_drop(db);
}

int64_t
fixture_drafts_erased(struct harness *h, int64_t at)
{
    return engine(h)->drafts_erased(h, at);
}

int64_t
fixture_outbox_for_signatures(struct harness *h, const char *email_prefix)
{
    return engine(h)->outbox_for_signatures(h, email_prefix);
}

int64_t
fixture_outbox_repeated(struct harness *h, const char *kind, const char *to_prefix)
{
    return engine(h)->outbox_repeated(h, kind, to_prefix);
}

int64_t
fixture_mailing_queued(struct harness *h, const char *kind, const char *email_prefix)
{
    return engine(h)->mailing_queued(h, kind, email_prefix);
}

void
fixture_petition_city_set(struct harness *h, long e_number, const char *city)
{
    engine(h)->petition_city_set(h, e_number, city);
}

void
fixture_petition_total_shift(struct harness *h, long e_number, int64_t delta)
{
    engine(h)->petition_total_shift(h, e_number, delta);
}

long
fixture_region_count_shift(struct harness *h, long e_number, const char *region, int64_t delta)
{
    return engine(h)->region_count_shift(h, e_number, region, delta);
}

void
fixture_petition_closes_at_set(struct harness *h, long e_number, int64_t at)
{
    engine(h)->petition_closes_at_set(h, e_number, at);
}

void
fixture_migration_forget(struct harness *h, int version)
{
    engine(h)->migration_forget(h, version);
}

void
fixture_log_schema_drop(struct harness *h)
{
    engine(h)->log_schema_drop(h);
}

void
fixture_petition_day_add(struct harness *h, long e_number, const char *day, const char *region,
                         int64_t delta)
{
    engine(h)->petition_day_add(h, e_number, day, region, delta);
}

int64_t
fixture_petition_days_sum(struct harness *h, long e_number, const char *region)
{
    return engine(h)->petition_days_sum(h, e_number, region);
}

void
fixture_writes_block(struct harness *h)
{
    engine(h)->writes_block(h);
}

void
fixture_writes_resume(struct harness *h)
{
    engine(h)->writes_resume(h);
}

int64_t
fixture_database_check(struct harness *h, char *report, size_t size)
{
    return engine(h)->database_check(h, report, size);
}

uint64_t
fixture_hash(uint64_t hash, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        hash = (hash ^ b[i]) * 1099511628211ULL;
    return hash;
}

void
fixture_tables_snapshot(struct harness *h, struct fixture_tables *out)
{
    memset(out, 0, sizeof(*out));
    engine(h)->tables_snapshot(h, out);
}

int
fixture_tables_diff(const struct fixture_tables *before, const struct fixture_tables *after,
                    char *buf, size_t size)
{
    size_t used = 0;
    int changed = 0;
    buf[0] = '\0';
    for (int i = 0; i < after->n; i++) {
        int j = 0;
        while (j < before->n && strcmp(before->table[j].name, after->table[i].name) != 0)
            j++;
        int64_t was = j < before->n ? before->table[j].rows : 0;
        if (j < before->n && was == after->table[i].rows &&
            before->table[j].digest == after->table[i].digest)
            continue;
        changed++;
        if (used < size)
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%s (%+" PRId64 ")", used ? " " : "",
                                 after->table[i].name, after->table[i].rows - was);
    }
    return changed;
}
