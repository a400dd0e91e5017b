/*
 * sqlite_search_test.c: the SQLite backend's search index (migration
 * 0007: the FTS5 table petitions_fts, written from the view
 * petitions_fts_source by triggers), checked on the file with bare SQL
 * (sqlite_fixture.h) over the built-in demo data: after every kind of
 * change the store makes to what is searched (a petition published, a
 * paper petition recorded, a presentation, a response tabled, a subject,
 * keyword or Member renamed, a petition removed, a signature counted) the
 * index holds one row per petition, each exactly what its source says,
 * and passes FTS5's own integrity check; signing and counting never write
 * to it; and migration 0007 applied to a database that already holds
 * petitions indexes every one of them.
 *
 * What a search finds, whatever the engine, is tests/store/search_test.c's
 * and tests/integration/search_test.c's.
 */
#include "sqlite_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/banned.h"

/* Everything FTS5 has stored for the index (its shadow tables), to see
 * whether anything wrote to it; free() it. */
static char *
index_fingerprint(struct fx *f)
{
    sqlite3 *db = sqlite_fixture_open(f);
    char *text =
        sqlite_fixture_text(db, "SELECT (SELECT group_concat(id || ':' || hex(block), ',')"
                                " FROM (SELECT id, block FROM petitions_fts_data"
                                " ORDER BY id))"
                                " || '|' || (SELECT group_concat(id || ':' || hex(sz), ',')"
                                " FROM (SELECT id, sz FROM petitions_fts_docsize"
                                " ORDER BY id))");
    sqlite3_close(db);
    return text;
}

/* One row per petition, each exactly what the source view says now; and
 * FTS5's own check of the index against its rows. */
static void
assert_index_matches_source(struct fx *f)
{
    sqlite3 *db = sqlite_fixture_open(f);
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM petitions_fts"),
                     sqlite_fixture_int(db, "SELECT count(*) FROM petitions"));
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM petitions_fts_source s"
                                            " LEFT JOIN petitions_fts f ON f.rowid = s.id"
                                            " WHERE f.rowid IS NULL OR f.number IS NOT s.number"
                                            " OR f.title_en IS NOT s.title_en"
                                            " OR f.title_fr IS NOT s.title_fr"
                                            " OR f.keywords_en IS NOT s.keywords_en"
                                            " OR f.keywords_fr IS NOT s.keywords_fr"
                                            " OR f.text_en IS NOT s.text_en"
                                            " OR f.text_fr IS NOT s.text_fr"
                                            " OR f.response_en IS NOT s.response_en"
                                            " OR f.response_fr IS NOT s.response_fr"
                                            " OR f.members IS NOT s.members"),
                     0);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO petitions_fts (petitions_fts)"
                                  " VALUES ('integrity-check')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
}

static void
the_index_matches_its_source_after_every_change(void **state)
{
    struct fx *f = *state;
    sqlite_fixture_demo(f);
    assert_index_matches_source(f);

    /* An e-petition published, and a paper petition recorded. */
    fx_petition(f, 990001);
    int64_t member = fx_member(f, "fixture", "Fiona", "Fixture");
    struct petition paper = fx_paper_new(f, 99001, "fixture");
    paper.prayer[LANG_EN] = "We call upon the Government to protect the night sky of Kejimkujik.";
    fx_petition_insert(f, &paper);

    /* e-6277 (certified) presented; e-6104 (presented) answered. */
    struct ministry *ministries;
    int n;
    FX_OK(f, store_ministry_list(f->s, NULL, f->a, &ministries, &n, &f->e));
    assert_true(n > 0);
    struct petition certified = fx_get(f, 6277);
    struct store_txn *pt = fx_begin(f);
    fx_audit(f, pt, "test.present");
    struct presentation pr = {.petition_id = certified.id,
                              .at = f->now,
                              .session_id = f->session_id,
                              .member_id = member,
                              .committee = {"Standing Committee", "Comité permanent"},
                              .response_ministry_id = ministries[0].id};
    FX_OK(f, store_presentation_next(pt, f->session_id, &pr.sequence, &f->e));
    FX_OK(f, store_petition_present(pt, &pr, &f->e));
    fx_commit(f, pt);
    struct petition presented = fx_get(f, 6104);
    struct response rs = {
        .ministry = ministries[0],
        .signed_by = "The Honourable Fiona Fixture",
        .text = {"Canada stands with the people of Viasna.", "Le Canada est solidaire de Viasna."},
        .tabled_at = f->now};
    FX_AUDITED(f, store_response_table(t, presented.id, &rs, &f->e));

    /* A subject, a keyword and a Member renamed. */
    struct subject *subjects;
    FX_OK(f, store_subject_list(f->s, NULL, f->a, &subjects, &n, &f->e));
    assert_true(n > 0);
    subjects[0].name[LANG_EN] = "Renamed subject";
    FX_WRITE(f, store_subject_put(t, &subjects[0], &f->e));
    struct keyword *keywords;
    FX_OK(f, store_keyword_list(f->s, NULL, f->a, &keywords, &n, &f->e));
    assert_true(n > 0);
    keywords[0].name[LANG_FR] = "Mot renommé";
    FX_WRITE(f, store_keyword_put(t, &keywords[0], &f->e));
    struct member *members;
    FX_OK(f, store_member_list(f->s, NULL, f->a, true, &members, &n, &f->e));
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        members[i].last_name = arena_printf(f->a, "%s-Renamed", members[i].last_name);
        FX_WRITE(f, store_member_put(t, &members[i], &f->e));
    }

    /* e-5921 removed, and a signature counted on e-6512. */
    struct petition removed = fx_get(f, 5921);
    FX_AUDITED(f, store_petition_set_state(t, removed.id, PETITION_REMOVED, f->now, &f->e));
    struct petition open = fx_get(f, 6512);
    fx_signature(f, open.id, "sam.searcher@example.org", REGION_ON, f->now);
    fx_count(f, open.id, REGION_ON, 1, f->now);

    assert_index_matches_source(f);
}

static void
signing_never_touches_the_index(void **state)
{
    struct fx *f = *state;
    sqlite_fixture_demo(f);
    char *before = index_fingerprint(f);
    struct petition open = fx_get(f, 6512);

    /* What signing writes: a pending signature, its confirmation, and the
     * counts it moves (the region, the total and the day). */
    struct signature_record g = fx_signature_new(f, open.id, "sam.searcher@example.org");
    fx_signature_insert(f, &g);
    g.confirmed_at = f->now;
    FX_WRITE(f, store_signature_update(t, &g, &f->e));
    fx_count(f, open.id, REGION_ON, 1, f->now);
    assert_int_equal(fx_get(f, 6512).signature_total, open.signature_total + 1);

    char *after = index_fingerprint(f);
    assert_true(strlen(before) > 100);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* What each migration after 0007 adds, taken away again, the newest
 * first, so that a database is as it was before 0007: a new migration
 * adds its line at the top. */
static const char *const after_0007[] = {
    /* 0014_form_states */
    "DROP TABLE form_states;",
    /* 0013_mail_stops */
    "DROP TABLE mail_stops; ALTER TABLE mailing_recipients DROP COLUMN signature_id;"
    " ALTER TABLE outbox DROP COLUMN unsubscribe; ALTER TABLE responses DROP COLUMN signed_by_fr;"
    " ALTER TABLE response_drafts DROP COLUMN signed_by_fr;",
    /* 0012_log */
    "DROP TABLE log_checkpoints; DROP TABLE log_hashes; DROP TABLE log_parts;"
    " DROP TABLE petition_logs; ALTER TABLE signatures DROP COLUMN log_index;",
    /* 0011_nodes */
    "DROP TABLE change_version; DROP TABLE leases;",
    /* 0010_mailbox_keys (its keys folded stay folded: 0007 does not read them) */
    "DROP INDEX signatures_mailbox;",
    /* 0009_pauses */
    "DROP TABLE signing_pauses;",
    /* 0008_mail_failures */
    "DROP INDEX outbox_failures; DROP INDEX outbox_failed; DROP INDEX outbox_sent;"
    " ALTER TABLE outbox DROP COLUMN last_failure_at; ALTER TABLE outbox DROP COLUMN failed_at;"
    " ALTER TABLE outbox DROP COLUMN reply_code; ALTER TABLE outbox DROP COLUMN reply;",
};
enum { AFTER_0007 = sizeof(after_0007) / sizeof(after_0007[0]) };

static void
the_migration_indexes_the_petitions_already_there(void **state)
{
    /* A database as it was before 0007: migrated and loaded, then what
     * the later migrations added, and the index, its views and its
     * triggers taken away with the records of 0007 and the later ones. */
    struct fx *f = *state;
    sqlite_fixture_demo(f);
    store_close(f->s);
    f->s = NULL;
    sqlite3 *db = sqlite_fixture_open(f);
    /* Every migration after 0007 must be undone above. */
    assert_int_equal(sqlite_fixture_int(db, "SELECT max(version) FROM schema_migrations"),
                     7 + AFTER_0007);
    for (int i = 0; i < AFTER_0007; i++)
        assert_int_equal(sqlite3_exec(db, after_0007[i], NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                        " AND sql LIKE '%petitions_fts%'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    char drops[8192] = "BEGIN; DROP TABLE petitions_fts;"
                       " DROP VIEW petitions_fts_source;";
    int triggers = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t len = strlen(drops);
        snprintf(drops + len, sizeof(drops) - len, " DROP TRIGGER \"%s\";",
                 (const char *)sqlite3_column_text(st, 0));
        triggers++;
    }
    sqlite3_finalize(st);
    assert_true(triggers >= 10);
    size_t len = strlen(drops);
    snprintf(drops + len, sizeof(drops) - len,
             " DROP VIEW petitions_fts_refresh;"
             " DELETE FROM schema_migrations WHERE version >= 7; COMMIT;");
    assert_int_equal(sqlite3_exec(db, drops, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM sqlite_master"
                                            " WHERE name LIKE 'petitions_fts%'"),
                     0);
    sqlite3_close(db);

    /* Upgrading indexes every petition already there. */
    sqlite_fixture_reopen(f);
    int applied = 0;
    FX_OK(f, store_migrate(f->s, &applied, &f->e));
    assert_int_equal(applied, 1 + AFTER_0007);
    db = sqlite_fixture_open(f);
    assert_int_equal(sqlite_fixture_int(db, "SELECT max(version) FROM schema_migrations"),
                     7 + AFTER_0007);
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM petitions_fts"),
                     sqlite_fixture_int(db, "SELECT count(*) FROM petitions"));
    assert_int_equal(sqlite_fixture_int(db, "SELECT p.e_number FROM petitions_fts f"
                                            " JOIN petitions p ON p.id = f.rowid"
                                            " WHERE petitions_fts MATCH '\"vilnius\"'"),
                     2829);
    assert_int_equal(sqlite_fixture_int(db, "SELECT count(*) FROM petitions_fts"
                                            " WHERE petitions_fts MATCH '\"belarus\"'"),
                     3);
    sqlite3_close(db);
    assert_index_matches_source(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        SQLITE_TEST(the_index_matches_its_source_after_every_change),
        SQLITE_TEST(signing_never_touches_the_index),
        SQLITE_TEST(the_migration_indexes_the_petitions_already_there),
    };
    return cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
}
