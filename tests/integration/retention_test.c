/*
 * retention_test.c: the erasure of personal data (rulebook 11.14): 30
 * days after a petition reaches a final state, its signatories' and
 * supporters' names, addresses, telephone numbers, postal codes and
 * network addresses are blanked, while the counts by province, the
 * public page and the counts check stay as they were; an audit record
 * says so; `petitiond retention --dry-run` lists what is due and changes
 * nothing; a second run erases nothing; a petition still open is never
 * touched; the server's daily job erases on its own.
 *
 * One server in development mode over tests/integration/data/signing.json
 * (e-7001 to e-7004 open, closing in 25 days).  e-7003 and e-7004 are
 * signed and let close without enough signatures (NOT_CERTIFIED); e-7001
 * is signed and kept open (its closing moved far away) until the last
 * test.  A draft linked to e-7003 and an abandoned draft, each with
 * supporters, are written straight into the database.  The tests run in
 * order, moving the clock forward.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

enum { DAY = 86400 };

static struct harness H;
static int64_t now_at;
static int next_ip = 1;
static int64_t final_at;       /* when e-7003 and e-7004 became NOT_CERTIFIED */
static char before_rows[4096]; /* region, confirmed_at, review of their rows */

static void
set_clock(int64_t t)
{
    now_at = t;
    harness_set_clock(&H, t);
}

static void
pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the database, read and written beside the server --------------------------------- */

/* Every row of sql, columns joined by '|' and rows by '\n', into out. */
static void
sql_text(const char *sql, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    size_t n = 0;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && n < size)
        for (int i = 0; i < sqlite3_column_count(st) && n < size; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            n += (size_t)snprintf(out + n, size - n, "%s%s", t ? (const char *)t : "NULL",
                                  i + 1 < sqlite3_column_count(st) ? "|" : "\n");
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* meta "retention_run"'s "at": when the daily job last ran (0: never). */
static int64_t
job_ran_at(void)
{
    char text[256];
    sql_text("SELECT value FROM meta WHERE key = 'retention_run'", text, sizeof(text));
    json_t *j = json_loads(text, JSON_DISABLE_EOF_CHECK, NULL);
    int64_t at = j ? (int64_t)json_integer_value(json_object_get(j, "at")) : 0;
    json_decref(j);
    return at;
}

/* Wait (a bounded number of short polls) until sql gives want. */
static bool
sql_becomes(const char *sql, int64_t want)
{
    for (int i = 0; i < 3000; i++) {
        if (db_int(&H, sql) == want)
            return true;
        pause_ms(5);
    }
    fprintf(stderr, "%s gives %lld, not %lld\n", sql, (long long)db_int(&H, sql), (long long)want);
    return false;
}

/* Wait until the daily job has run at the clock's time t. */
static bool
job_runs_at(int64_t t)
{
    for (int i = 0; i < 3000; i++) {
        if (job_ran_at() == t)
            return true;
        pause_ms(5);
    }
    fprintf(stderr, "the daily job last ran at %lld, not %lld\n", (long long)job_ran_at(),
            (long long)t);
    return false;
}

/* ---- signing ------------------------------------------------------------------------------ */

struct signer {
    const char *email;
    const char *province;
    const char *country;
    const char *postal;
};

static void
sign(const char *number, const struct signer *s)
{
    char form[1024], path[128], xff[64];
    snprintf(form, sizeof(form), "first_name=Sam&last_name=Signer&email=%s", form_enc(s->email));
    size_t n = strlen(form);
    n += (size_t)snprintf(form + n, sizeof(form) - n, "&country=%s",
                          form_enc(s->country ? s->country : "Canada"));
    n += (size_t)snprintf(form + n, sizeof(form) - n, "&province=%s",
                          form_enc(s->province ? s->province : "ON"));
    n += (size_t)snprintf(form + n, sizeof(form) - n, "&postal_code=%s",
                          form_enc(s->postal ? s->postal : "K1A 0A6"));
    snprintf(form + n, sizeof(form) - n, "&phone=613-555-0100&eligible=1&terms=1");
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 198.51.100.%d", next_ip++);
    snprintf(path, sizeof(path), "/en/petitions/%s/sign", number);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, &r), 0);
    if (r.status != 303)
        fprintf(stderr, "sign %s -> %ld\n%s\n", number, r.status, r.body);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

/* Sign and confirm from the e-mailed link. */
static void
sign_and_confirm(const char *number, const struct signer *s)
{
    sign(number, s);
    confirm_from_mail(&H, s->email);
}

/* The petition's public status ("open", "not-certified", ...; static buffer). */
static const char *
status_of(const char *number)
{
    static char out[64];
    char path[128];
    struct http_result r;
    snprintf(path, sizeof(path), "/api/v1/petitions/%s", number);
    assert_int_equal(http_get(&H, path, &r), 0);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    const char *v = json_string_value(json_object_get(j, "status"));
    snprintf(out, sizeof(out), "%s", v ? v : "");
    json_decref(j);
    http_result_free(&r);
    return out;
}

/* Wait (bounded, short polls) until the scheduler has moved the petition. */
static bool
status_becomes(const char *number, const char *want)
{
    for (int i = 0; i < 3000; i++) {
        if (strcmp(status_of(number), want) == 0)
            return true;
        pause_ms(5);
    }
    fprintf(stderr, "%s: status %s, not %s\n", number, status_of(number), want);
    return false;
}

/* Run `petitiond retention` on the server's database and clock. */
static int
retention(bool dry_run, char **out)
{
    const char *args[] = {harness_binary(),
                          "retention",
                          "--db",
                          H.db,
                          "--clock-file",
                          H.clock,
                          dry_run ? "--dry-run" : NULL,
                          NULL};
    return harness_run(args, out);
}

#define ROWS_OF(numbers)                                                                           \
    "SELECT g.id, g.region, g.confirmed_at, g.review, g.created_at FROM signatures g"              \
    " JOIN petitions p ON p.id = g.petition_id WHERE p.e_number IN " numbers " ORDER BY g.id"

/* ---- the tests -------------------------------------------------------------------------- */

static void
nothing_is_due_before_30_days(void **state)
{
    (void)state;
    /* e-7001 stays open for the whole file. */
    db_exec(&H, "UPDATE petitions SET closes_at = closes_at + 200 * 86400 WHERE e_number = 7001");
    struct signer open1 = {.email = "still.open@retention.example"};
    struct signer on = {.email = "ana@retention.example", .province = "ON"};
    struct signer qc = {.email = "benoit@retention.example", .province = "QC", .postal = "H2X 1Y4"};
    struct signer abroad = {
        .email = "chloe@retention.example", .country = "France", .province = "", .postal = "75001"};
    struct signer pending = {.email = "pending@retention.example"};
    struct signer bc = {.email = "dev@retention.example", .province = "BC", .postal = "V6B 1A1"};
    struct signer ab = {.email = "eve@retention.example", .province = "AB", .postal = "T2P 1J9"};
    sign_and_confirm("e-7001", &open1);
    sign_and_confirm("e-7003", &on);
    sign_and_confirm("e-7003", &qc);
    sign_and_confirm("e-7003", &abroad);
    sign("e-7003", &pending); /* never confirmed: a row all the same */
    sign_and_confirm("e-7004", &bc);
    sign_and_confirm("e-7004", &ab);
    assert_int_equal(api_count(&H, "e-7003", NULL), 3);
    assert_int_equal(api_count(&H, "e-7004", NULL), 2);

    /* e-7003's supporters (its draft) and a draft abandoned unpublished. */
    db_exec(&H, "INSERT INTO drafts (petitioner_id, state, state_changed_at, content,"
             " supporters_min, supporters_days, member_days, members_max, petition_id,"
             " created_at, updated_at)"
             " SELECT (SELECT min(id) FROM users), 'OPEN_FOR_SIGNATURE', 1, '{}', 5, 30, 30, 3,"
             " id, 1, 1 FROM petitions WHERE e_number = 7003");
    db_exec(&H, "INSERT INTO supporters (draft_id, first_name, last_name, email, email_key,"
             " confirmed_at, phone, postal_code, province, country, lang, created_at)"
             " SELECT d.id, 'Sup' || k.n, 'Porter', 'sup' || k.n || '@retention.example',"
             " 'sup' || k.n || '@retention.example', 1, '613-555-0101', 'K1A 0A6', 'ON',"
             " 'Canada', 'en', 1 FROM drafts d JOIN petitions p ON p.id = d.petition_id,"
             " (SELECT 1 AS n UNION ALL SELECT 2) k WHERE p.e_number = 7003");

    /* Past the closing and the grace: not certified (below 500). */
    int64_t closes = db_int(&H, "SELECT closes_at FROM petitions WHERE e_number = 7003");
    assert_true(closes > now_at);
    set_clock(closes + 24 * 3600);
    assert_true(status_becomes("e-7003", "not-certified"));
    assert_true(status_becomes("e-7004", "not-certified"));
    assert_string_equal(status_of("e-7001"), "open");
    final_at = db_int(&H, "SELECT state_changed_at FROM petitions WHERE e_number = 7003");
    assert_int_equal(db_int(&H, "SELECT state_changed_at FROM petitions WHERE e_number = 7004"),
                     final_at);
    db_exec(&H, "INSERT INTO drafts (petitioner_id, state, state_changed_at, content,"
             " supporters_min, supporters_days, member_days, members_max, created_at,"
             " updated_at)"
             " SELECT (SELECT min(id) FROM users), 'ABANDONED', state_changed_at, '{}', 5, 30,"
             " 30, 3, 1, 1 FROM petitions WHERE e_number = 7003");
    db_exec(&H, "INSERT INTO supporters (draft_id, first_name, last_name, email, email_key,"
             " confirmed_at, phone, postal_code, lang, created_at)"
             " SELECT max(id), 'Lone', 'Supporter', 'lone@retention.example',"
             " 'lone@retention.example', 1, '613-555-0102', 'K1A 0B1', 'en', 1 FROM drafts");
    sql_text(ROWS_OF("(7003, 7004)"), before_rows, sizeof(before_rows));

    /* Day 29 and a half: the daily job runs and erases nothing, nor does the command. */
    set_clock(final_at + 29 * DAY + 12 * 3600);
    assert_true(job_runs_at(now_at));
    char *out;
    assert_int_equal(retention(true, &out), 0);
    assert_null(strstr(out, "e-7003"));
    assert_null(strstr(out, "e-7004"));
    assert_null(strstr(out, "draft "));
    assert_non_null(strstr(out, "petitiond: 0 petitions due (dry run"));
    free(out);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures WHERE email = ''"), 0);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'"), 0);
}

static void
dry_run_lists_what_is_due_and_changes_nothing(void **state)
{
    (void)state;
    /* Day 30 and an hour: due.  (The daily job ran 13 hours ago: it waits.) */
    int64_t job = job_ran_at();
    set_clock(final_at + 30 * DAY + 3600);
    char *out;
    assert_int_equal(retention(true, &out), 0);
    assert_non_null(strstr(out, "e-7003  NOT_CERTIFIED since "));
    assert_non_null(strstr(out, ": 4 signatures, 2 supporters\n"));
    assert_non_null(strstr(out, "e-7004  NOT_CERTIFIED since "));
    assert_non_null(strstr(out, ": 2 signatures, 0 supporters\n"));
    assert_non_null(strstr(out, "  ABANDONED since "));
    assert_non_null(strstr(out, ": 0 signatures, 1 supporter\n"));
    assert_null(strstr(out, "e-7001"));
    assert_non_null(strstr(out, "due (dry run, nothing erased): 6 signatures, 3 supporters\n"));
    free(out);

    /* Nothing changed. */
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures WHERE email = ''"), 0);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures WHERE email LIKE"
                             " '%@retention.example'"),
                     7);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM supporters WHERE email = ''"), 0);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM petitions WHERE erased_at IS NOT NULL"), 0);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM drafts WHERE erased_at IS NOT NULL"), 0);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'"), 0);
    assert_int_equal(job_ran_at(), job);
}

static void
erasure_blanks_only_personal_columns(void **state)
{
    (void)state;
    int64_t on = api_count(&H, "e-7003", "ON"), qc = api_count(&H, "e-7003", "QC");
    int64_t xx = api_count(&H, "e-7003", "XX"), bc = api_count(&H, "e-7004", "BC");
    int64_t ab = api_count(&H, "e-7004", "AB");
    char *out;
    assert_int_equal(retention(false, &out), 0);
    assert_non_null(strstr(out, "e-7003  NOT_CERTIFIED since "));
    assert_non_null(strstr(out, "e-7004  NOT_CERTIFIED since "));
    assert_non_null(strstr(out, "petitions erased: 6 signatures, 3 supporters\n"));
    free(out);

    /* Every personal column of their signatures is blank... */
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures g JOIN petitions p"
                             " ON p.id = g.petition_id WHERE p.e_number IN (7003, 7004)"),
                     6);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures g JOIN petitions p"
                             " ON p.id = g.petition_id WHERE p.e_number IN (7003, 7004)"
                             " AND g.email = '' AND g.first_name = '' AND g.last_name = ''"
                             " AND g.postal_code = '' AND g.phone = '' AND g.ip = ''"
                             " AND g.rate_key = '' AND g.email_key = 'erased:' || g.id"),
                     6);
    /* ...and the rest is as it was. */
    char after[4096];
    sql_text(ROWS_OF("(7003, 7004)"), after, sizeof(after));
    assert_string_equal(after, before_rows);
    /* Supporters too, of the petition's draft and of the abandoned draft. */
    assert_int_equal(db_int(&H, "SELECT count(*) FROM supporters WHERE first_name = ''"
                             " AND last_name = '' AND email = '' AND email_key = 'erased:' || id"
                             " AND phone IS NULL AND postal_code IS NULL"),
                     3);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM drafts WHERE erased_at = %lld",
             (long long)now_at);
    assert_int_equal(db_int(&H, sql), 2);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM petitions WHERE erased_at = %lld AND e_number IN (7003, 7004)",
             (long long)now_at);
    assert_int_equal(db_int(&H, sql), 2);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures WHERE email LIKE"
                             " '%@retention.example'"),
                     1); /* e-7001's */

    /* The public record and its counts stay; no drift. */
    assert_int_equal(api_count(&H, "e-7003", NULL), 3);
    assert_int_equal(api_count(&H, "e-7003", "ON"), on);
    assert_int_equal(api_count(&H, "e-7003", "QC"), qc);
    assert_int_equal(api_count(&H, "e-7003", "XX"), xx);
    assert_int_equal(api_count(&H, "e-7004", "BC"), bc);
    assert_int_equal(api_count(&H, "e-7004", "AB"), ab);
    struct http_result r;
    assert_int_equal(http_get(&H, "/en/petitions/e-7003", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(
        &r, "<tr><th scope=\"row\">Quebec</th><td class=\"num\" data-region=\"QC\">1</td></tr>"));
    http_result_free(&r);
    const char *check[] = {harness_binary(), "counts", "check", "--db", H.db, NULL};
    assert_int_equal(harness_run(check, &out), 0);
    assert_non_null(strstr(out, ", 0 differ"));
    free(out);

    /* The audit log says what was erased, by petitiond itself. */
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'"
                             " AND role = 'system' AND user_id IS NULL AND target = 'e-7003'"
                             " AND json_extract(details, '$.signatures') = 4"
                             " AND json_extract(details, '$.supporters') = 2"
                             " AND petition_id = (SELECT id FROM petitions WHERE e_number = 7003)"),
                     1);
    assert_int_equal(
        db_int(&H, "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'"
                " AND target = 'e-7004' AND json_extract(details, '$.signatures') = 2"),
        1);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'"
                             " AND target LIKE 'draft %' AND petition_id IS NULL"
                             " AND json_extract(details, '$.supporters') = 1"),
                     1);

    /* A second run erases nothing. */
    int64_t audits = db_int(&H, "SELECT count(*) FROM audit_log");
    assert_int_equal(retention(false, &out), 0);
    assert_non_null(strstr(out, "petitiond: 0 petitions erased: 0 signatures, 0 supporters\n"));
    free(out);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log"), audits);
}

static void
an_open_petition_is_never_touched(void **state)
{
    (void)state;
    assert_string_equal(status_of("e-7001"), "open");
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures g JOIN petitions p"
                             " ON p.id = g.petition_id WHERE p.e_number = 7001"
                             " AND g.email = 'still.open@retention.example'"
                             " AND g.first_name = 'Sam' AND g.ip <> '' AND g.phone <> ''"),
                     1);
    assert_int_equal(db_int(&H, "SELECT erased_at IS NULL FROM petitions WHERE e_number = 7001"), 1);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log WHERE target = 'e-7001'"), 0);
    /* Nor one waiting for certification, long closed. */
    assert_int_equal(db_int(&H, "SELECT erased_at IS NULL FROM petitions WHERE e_number = 6390"), 1);
}

static void
the_daily_job_erases_when_due(void **state)
{
    (void)state;
    /* e-7001 closes now (its grace long over) and is not certified. */
    char sql[256];
    snprintf(sql, sizeof(sql), "UPDATE petitions SET closes_at = %lld WHERE e_number = 7001",
             (long long)(now_at - 25 * 3600));
    db_exec(&H, sql);
    assert_true(status_becomes("e-7001", "not-certified"));
    int64_t final7001 = db_int(&H, "SELECT state_changed_at FROM petitions WHERE e_number = 7001");
    int64_t total = api_count(&H, "e-7001", NULL);

    /* Thirty days later the server erases it by itself. */
    set_clock(final7001 + 30 * DAY + 60);
    assert_true(
        sql_becomes("SELECT erased_at IS NOT NULL FROM petitions WHERE e_number = 7001", 1));
    assert_true(job_runs_at(now_at));
    assert_int_equal(db_int(&H, "SELECT count(*) FROM signatures WHERE email LIKE"
                             " '%@retention.example'"),
                     0);
    assert_int_equal(db_int(&H, "SELECT count(*) FROM audit_log WHERE action = 'retention.erase'"
                             " AND target = 'e-7001'"),
                     1);
    assert_int_equal(api_count(&H, "e-7001", NULL), total);
    char *log = harness_log(&H);
    assert_non_null(strstr(log, "petitiond: retention: e-7001: 1 signature(s)"));
    assert_null(strstr(log, "retention.example"));
    free(log);
}

/* ---- the server --------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    if (harness_start_with(&H, "tests/integration/data/signing.json", true))
        return -1;
    set_clock((int64_t)time(NULL));
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_is_due_before_30_days),
        cmocka_unit_test(dry_run_lists_what_is_due_and_changes_nothing),
        cmocka_unit_test(erasure_blanks_only_personal_columns),
        cmocka_unit_test(an_open_petition_is_never_touched),
        cmocka_unit_test(the_daily_job_erases_when_due),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
