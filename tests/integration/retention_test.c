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
 * supporters, are written straight into the database (fixtures.h).  The tests run in
 * order, moving the clock forward.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "fixtures.h"
#include "lib/arena.h"
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

/* meta "retention_run"'s "at": when the daily job last ran (0: never). */
static int64_t
job_ran_at(void)
{
    char *text = fixture_meta(&H, "retention_run");
    json_t *j = text ? json_loads(text, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
    int64_t at = j ? (int64_t)json_integer_value(json_object_get(j, "at")) : 0;
    json_decref(j);
    free(text);
    return at;
}

/* Wait (a bounded number of short polls) until e-petition e_number is
 * erased. */
static bool
erased_soon(long e_number)
{
    for (int i = 0; i < 3000; i++) {
        if (fixture_petition_erased_at(&H, e_number) != 0)
            return true;
        pause_ms(5);
    }
    fprintf(stderr, "e-%ld is not erased\n", e_number);
    return false;
}

/* What erasure must keep of the signatures of e-7003 and e-7004: each
 * row's id, region, confirmation, review and creation, by id, one line
 * each ("12|ON|1767000000|clear|1766990000"), into out. */
static void
rows_kept(char *out, size_t size)
{
    struct arena *a = arena_new();
    struct signature_record *g[2];
    int n[2] = {fixture_signatures(&H, a, 7003, &g[0]), fixture_signatures(&H, a, 7004, &g[1])};
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0, k = 0; (i < n[0] || k < n[1]) && at < size;) {
        /* Merge the two lists, each by id. */
        const struct signature_record *r =
            k >= n[1] || (i < n[0] && g[0][i].id < g[1][k].id) ? &g[0][i++] : &g[1][k++];
        char confirmed[24] = "NULL";
        if (r->confirmed_at)
            snprintf(confirmed, sizeof(confirmed), "%lld", (long long)r->confirmed_at);
        at += (size_t)snprintf(out + at, size - at, "%lld|%s|%s|%s|%lld\n", (long long)r->id,
                               region_code(r->region), confirmed, signature_review_name(r->review),
                               (long long)r->created_at);
    }
    arena_free(a);
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

/* ---- drafts and supporters, written straight into the database ------------------------- */

/* A draft of the first account (development mode's clerk: any account
 * will do) in state, changed at changed_at. */
static struct draft_record
draft_of(enum petition_state state, int64_t changed_at)
{
    return (struct draft_record){.petitioner_id = fixture_user_id(&H, "clerk@petitions.test"),
                                 .state = state,
                                 .state_changed_at = changed_at,
                                 .content = "{}",
                                 .supporters_min = 5,
                                 .supporters_days = 30,
                                 .member_days = 30,
                                 .members_max = 3,
                                 .created_at = 1,
                                 .updated_at = 1};
}

/* A supporter of draft, confirmed, English, with a telephone and postal
 * code (and province and country, or none when NULL). */
static void
supporter_add(int64_t draft, const char *first, const char *last, const char *email,
              const char *phone, const char *postal, const char *province, const char *country)
{
    struct supporter_record r = {.draft_id = draft,
                                 .first_name = first,
                                 .last_name = last,
                                 .email = email,
                                 .email_key = email,
                                 .confirmed_at = 1,
                                 .phone = phone,
                                 .country = country,
                                 .province = province,
                                 .postal_code = postal,
                                 .lang = LANG_EN,
                                 .created_at = 1};
    fixture_supporter_add(&H, &r);
}

/* ---- the tests -------------------------------------------------------------------------- */

static void
nothing_is_due_before_30_days(void **state)
{
    (void)state;
    /* e-7001 stays open for the whole file. */
    fixture_petition_closes_at_set(&H, 7001, fixture_petition_closes_at(&H, 7001) + 200 * 86400);
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
    struct draft_record published = draft_of(PETITION_OPEN, 1);
    published.petition_id = fixture_petition_id(&H, 7003);
    int64_t draft = fixture_draft_add(&H, &published);
    supporter_add(draft, "Sup1", "Porter", "sup1@retention.example", "613-555-0101", "K1A 0A6",
                  "ON", "Canada");
    supporter_add(draft, "Sup2", "Porter", "sup2@retention.example", "613-555-0101", "K1A 0A6",
                  "ON", "Canada");

    /* Past the closing and the grace: not certified (below 500). */
    int64_t closes = fixture_petition_closes_at(&H, 7003);
    assert_true(closes > now_at);
    set_clock(closes + 24 * 3600);
    assert_true(status_becomes("e-7003", "not-certified"));
    assert_true(status_becomes("e-7004", "not-certified"));
    assert_string_equal(status_of("e-7001"), "open");
    final_at = fixture_petition_state_changed_at(&H, 7003);
    assert_int_equal(fixture_petition_state_changed_at(&H, 7004), final_at);
    struct draft_record abandoned = draft_of(PETITION_ABANDONED, final_at);
    supporter_add(fixture_draft_add(&H, &abandoned), "Lone", "Supporter", "lone@retention.example",
                  "613-555-0102", "K1A 0B1", NULL, NULL);
    rows_kept(before_rows, sizeof(before_rows));

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
    assert_int_equal(fixture_signature_count(&H, &(struct signature_match){.email = ""}), 0);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "retention.erase"}),
                     0);
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
    struct fixture_register reg;
    fixture_register_count(&H, &reg);
    assert_int_equal(fixture_signature_count(&H, &(struct signature_match){.email = ""}), 0);
    assert_int_equal(fixture_signature_count(
                         &H, &(struct signature_match){.email_suffix = "@retention.example"}),
                     7);
    assert_int_equal(fixture_supporter_count(&H, &(struct supporter_match){.email = ""}), 0);
    assert_int_equal(reg.erased, 0);
    assert_int_equal(fixture_drafts_erased(&H, 0), 0);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "retention.erase"}),
                     0);
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
    assert_int_equal(fixture_signature_count(&H, &(struct signature_match){.e_number = 7003}) +
                         fixture_signature_count(&H, &(struct signature_match){.e_number = 7004}),
                     6);
    assert_int_equal(
        fixture_signature_count(&H, &(struct signature_match){.e_number = 7003, .erased = true}) +
            fixture_signature_count(&H,
                                    &(struct signature_match){.e_number = 7004, .erased = true}),
        6);
    /* ...and the rest is as it was. */
    char after[4096];
    rows_kept(after, sizeof(after));
    assert_string_equal(after, before_rows);
    /* Supporters too, of the petition's draft and of the abandoned draft. */
    assert_int_equal(fixture_supporter_count(&H, &(struct supporter_match){.erased = true}), 3);
    assert_int_equal(fixture_drafts_erased(&H, now_at), 2);
    assert_int_equal((fixture_petition_erased_at(&H, 7003) == now_at) +
                         (fixture_petition_erased_at(&H, 7004) == now_at),
                     2);
    assert_int_equal(fixture_signature_count(
                         &H, &(struct signature_match){.email_suffix = "@retention.example"}),
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
    assert_int_equal(
        fixture_audit_count(&H, &(struct audit_match){.action = "retention.erase",
                                                      .role = "system",
                                                      .by_system = true,
                                                      .target = "e-7003",
                                                      .e_number = 7003,
                                                      .details = {{"signatures", NULL, 4},
                                                                  {"supporters", NULL, 2}}}),
        1);
    assert_int_equal(
        fixture_audit_count(&H, &(struct audit_match){.action = "retention.erase",
                                                      .target = "e-7004",
                                                      .details = {{"signatures", NULL, 2}}}),
        1);
    assert_int_equal(
        fixture_audit_count(&H, &(struct audit_match){.action = "retention.erase",
                                                      .target_prefix = "draft ",
                                                      .no_petition = true,
                                                      .details = {{"supporters", NULL, 1}}}),
        1);

    /* A second run erases nothing. */
    int64_t audits = fixture_audit_count(&H, NULL);
    assert_int_equal(retention(false, &out), 0);
    assert_non_null(strstr(out, "petitiond: 0 petitions erased: 0 signatures, 0 supporters\n"));
    free(out);
    assert_int_equal(fixture_audit_count(&H, NULL), audits);
}

static void
an_open_petition_is_never_touched(void **state)
{
    (void)state;
    assert_string_equal(status_of("e-7001"), "open");
    assert_int_equal(fixture_signature_count(
                         &H, &(struct signature_match){.e_number = 7001,
                                                       .email = "still.open@retention.example",
                                                       .first_name = "Sam",
                                                       .reachable = true}),
                     1);
    assert_int_equal(fixture_petition_erased_at(&H, 7001), 0);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.target = "e-7001"}), 0);
    /* Nor one waiting for certification, long closed. */
    assert_int_equal(fixture_petition_erased_at(&H, 6390), 0);
}

static void
the_daily_job_erases_when_due(void **state)
{
    (void)state;
    /* e-7001 closes now (its grace long over) and is not certified. */
    fixture_petition_closes_at_set(&H, 7001, now_at - 25 * 3600);
    assert_true(status_becomes("e-7001", "not-certified"));
    int64_t final7001 = fixture_petition_state_changed_at(&H, 7001);
    int64_t total = api_count(&H, "e-7001", NULL);

    /* Thirty days later the server erases it by itself. */
    set_clock(final7001 + 30 * DAY + 60);
    assert_true(erased_soon(7001));
    assert_true(job_runs_at(now_at));
    assert_int_equal(fixture_signature_count(
                         &H, &(struct signature_match){.email_suffix = "@retention.example"}),
                     0);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "retention.erase",
                                                                   .target = "e-7001"}),
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
