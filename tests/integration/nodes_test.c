/*
 * nodes_test.c: two `petitiond serve` nodes on one database behave as one
 * site (issue 17, item 1), on SQLite (two processes on one file in WAL
 * mode) and on PostgreSQL alike.
 *
 * Node A is started as every test starts its server (the test register
 * tests/integration/data/house.json, development mode); node B on the
 * same database and clock (harness_start_node()), with a mail folder of
 * its own so the e-mails each node sent are told apart.  Then:
 *
 *  - the scheduler's jobs run on the one node holding the lease
 *    "scheduler": it renews it as the clock moves, the other never takes
 *    it; killed with SIGKILL, it is replaced once the lease time has
 *    passed by the site's clock;
 *  - the same address signing through both nodes at the same moment is
 *    stored once (both told to check their e-mail);
 *  - every e-mail is sent once across the nodes: signatures made through
 *    both nodes get one confirmation e-mail each, from one node or the
 *    other; a mailing to 300 signatories goes on when the node moving it
 *    is killed in the middle: every signatory is mailed, the e-mails the
 *    dead node had claimed are sent by the other once the claim passes;
 *  - a presentation by the Clerk on one node shows on the other's
 *    (cached) petition page within a second, and the Clerk's session made
 *    on one node is valid on the other, where the next presentation takes
 *    the next number;
 *  - a form refused on one node comes back, by GET, on the other (the
 *    refusal's state is sealed in a cookie both nodes can open);
 *  - a confirmation on one node shows on the other's count endpoint
 *    within a second, both ways, and after the minute's check neither
 *    node's counts in memory drifted, nor do the stored counts differ
 *    from the rows (`petitiond counts check`).
 *
 * Every wait polls for its condition up to a bound; the times measured
 * are printed.  The bounds of "within a second" are 2 s, for the shared
 * machine under the sanitizers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/eastern_time.h"
#include "harness.h"
#include "fixtures.h"
#include "jobs/delivery.h"
#include "lib/token.h"
#include "web.h"
#include "workflow/leases.h"
#include "lib/banned.h"

static struct harness A, B;
static int64_t clock_at; /* the site's clock, moved by the tests */

/* ---- helpers ------------------------------------------------------------------------------ */

static long
ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
move_clock(int64_t seconds)
{
    clock_at += seconds;
    harness_set_clock(&A, clock_at);
}

/* The pid of the scheduler's lease holder once one holds it (up to 10 s). */
static long
wait_holder(const char *lease, long not_this, int64_t *until)
{
    long pid = 0;
    for (int i = 0; i < 200; i++) {
        pid = fixture_lease_holder(&A, lease, until);
        if (pid && pid != not_this && *until > clock_at)
            return pid;
        poll(NULL, 0, 50);
    }
    return pid;
}

static int
mails(const char *kind, const char *to)
{
    return mail_count(&A, kind, to) + mail_count(&B, kind, to);
}

/* Sign e-8004 through node h as addr from address ip; the status, 0 when
 * no answer came (no cmocka assert: threads call it). */
static long
sign_quiet(struct harness *h, const char *addr, const char *ip)
{
    char body[512], xff[64];
    /* Encoded here, not by form_enc() (one static buffer for every
     * thread). */
    CURL *c = curl_easy_init();
    char *email = c ? curl_easy_escape(c, addr, 0) : NULL;
    snprintf(body, sizeof(body),
             "first_name=Ada&last_name=Nodes&email=%s&country=Canada&province=ON"
             "&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1",
             email ? email : "");
    curl_free(email);
    curl_easy_cleanup(c);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: %s", ip);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    if (http_request(h, "POST", "/en/petitions/e-8004/sign", body, strlen(body), headers, &r))
        return 0;
    long status = r.status;
    http_result_free(&r);
    return status;
}

/* The same, failing the test when no answer came. */
static long
sign(struct harness *h, const char *addr, const char *ip)
{
    long status = sign_quiet(h, addr, ip);
    assert_int_not_equal(status, 0);
    return status;
}

/* Confirm signature id through node h with the token its e-mail carries. */
static void
confirm(struct harness *h, int64_t id)
{
    unsigned char key[TOKEN_KEY_BYTES];
    size_t len = 0;
    char tok[TOKEN_MAC_CHARS + 1], msg[64], body[128], path[64];
    char *hex = fixture_meta(&A, "link_key");
    assert_non_null(hex);
    assert_int_equal(sodium_hex2bin(key, sizeof(key), hex, strlen(hex), NULL, &len, NULL), 0);
    free(hex);
    snprintf(msg, sizeof(msg), "sign|%lld", (long long)id);
    token_mac(key, msg, tok);
    snprintf(body, sizeof(body), "t=%s", tok);
    snprintf(path, sizeof(path), "/en/signatures/%lld", (long long)id);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_result r;
    assert_int_equal(http_request(h, "POST", path, body, strlen(body), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

/* Wait until node h's count endpoint shows want for e-8004; the ms taken,
 * or -1. */
static long
count_shows(struct harness *h, int64_t want)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 400; i++) {
        if (api_count(h, "e-8004", NULL) == want)
            return ms_since(&t0);
        poll(NULL, 0, 10);
    }
    return -1;
}

static void
staff(struct browser *b, struct harness *h, const char *email)
{
    browser_init(b, h);
    assert_int_equal(web_sign_in(b, email, "petitions-demo"), 303);
}

static long
present(struct browser *clerk, const char *number)
{
    char path[128], form[256];
    struct civil_time ct;
    eastern_from_utc(clock_at, &ct);
    snprintf(path, sizeof(path), "/en/clerk/house/%s", number);
    snprintf(form, sizeof(form),
             "date=%04d-%02d-%02d&member=okafor&committee=FAAE&ministry=foreign-affairs", ct.year,
             ct.month, ct.day);
    struct http_result r;
    assert_int_equal(web_get(clerk, path, &r), 0);
    long got = r.status;
    http_result_free(&r);
    if (got != 200)
        return got;
    assert_int_equal(web_post(clerk, path, form, true, &r), 0);
    got = r.status;
    http_result_free(&r);
    return got;
}

/* The presentation number a petition page shows ("451-00008"), or "". */
static void
number_on(struct harness *h, const char *number, char out[16])
{
    char path[64];
    struct http_result r;
    snprintf(path, sizeof(path), "/en/petitions/%s", number);
    assert_int_equal(http_get(h, path, &r), 0);
    const char *p = strstr(r.body, "451-0");
    snprintf(out, 16, "%.9s", p ? p : "");
    http_result_free(&r);
}

/* How many e-mail files of kind both nodes wrote (the same outbox row,
 * so the same name: NNNNNN-KIND.eml). */
static int
in_both(const char *kind)
{
    int n = 0;
    DIR *d = opendir(A.mail);
    struct dirent *de;
    char path[700];
    while (d && (de = readdir(d))) {
        if (!strstr(de->d_name, kind))
            continue;
        snprintf(path, sizeof(path), "%s/%s", B.mail, de->d_name);
        if (access(path, F_OK) == 0)
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

/* Every mailing done and every e-mail sent (up to 120 s). */
static bool
mail_done(void)
{
    for (int i = 0; i < 2400; i++) {
        if (!fixture_mailing_open(&A) && fixture_outbox_unsent(&A) == 0)
            return true;
        poll(NULL, 0, 50);
    }
    return false;
}

/* ---- the scheduler's jobs ---------------------------------------------------------------- */

static void
scheduler_runs_on_one_node_and_moves_on_when_it_is_killed(void **state)
{
    (void)state;
    int64_t until = 0;
    long holder = wait_holder(LEASE_SCHEDULER, 0, &until);
    assert_true(holder == A.pid || holder == B.pid);
    struct harness *h1 = holder == A.pid ? &A : &B, *h2 = holder == A.pid ? &B : &A;

    /* Two lease times by the clock: the holder renews it before it
     * expires, and the other node, trying every tick, never gets it. */
    for (int step = 0; step < 6; step++) {
        move_clock(10);
        int i;
        for (i = 0; i < 200; i++) {
            holder = fixture_lease_holder(&A, LEASE_SCHEDULER, &until);
            if (until >= clock_at + LEASE_SECONDS / 2)
                break;
            poll(NULL, 0, 50);
        }
        assert_true(i < 200);
        assert_int_equal(holder, h1->pid);
    }
    char *log = harness_log(h2);
    assert_null(strstr(log, "lease scheduler taken"));
    free(log);

    /* Killed: once its last renewal has expired by the clock, the other
     * node takes the jobs on the next tick. */
    pid_t dead = h1->pid;
    harness_kill(h1);
    move_clock(LEASE_SECONDS);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    holder = wait_holder(LEASE_SCHEDULER, dead, &until);
    assert_int_equal(holder, h2->pid);
    print_message("the scheduler's lease moved %ld ms after it expired\n", ms_since(&t0));
    log = harness_log(h2);
    assert_non_null(strstr(log, "lease scheduler taken"));
    free(log);

    /* Back to two nodes. */
    assert_int_equal(harness_kill_restart(h1), 0);
}

/* ---- e-mail ---------------------------------------------------------------------------------- */

static void
every_email_is_sent_once_across_the_nodes(void **state)
{
    (void)state;
    enum { N = 12 };
    char addr[64], ip[32];
    for (int i = 0; i < N; i++) {
        snprintf(addr, sizeof(addr), "once%d@example.ca", i);
        snprintf(ip, sizeof(ip), "198.51.100.%d", i + 1);
        assert_int_equal(sign(i % 2 ? &B : &A, addr, ip), 303);
    }
    assert_true(mail_done());
    assert_int_equal(mails("signature-confirm", "<once"), N);
    for (int i = 0; i < N; i++) {
        snprintf(addr, sizeof(addr), "<once%d@example.ca>", i);
        assert_int_equal(mails("signature-confirm", addr), 1);
    }
    print_message("confirmation e-mails sent by node A: %d, by node B: %d\n",
                  mail_count(&A, "signature-confirm", "<once"),
                  mail_count(&B, "signature-confirm", "<once"));
}

/* One signer of a pair signing at once through two nodes (no cmocka
 * assert in a thread: the status, 0 when no answer came). */
struct pair_signer {
    struct harness *h;
    const char *addr;
    const char *ip;
    pthread_barrier_t *go;
    long status;
};

static void *
pair_sign(void *arg)
{
    struct pair_signer *p = arg;
    pthread_barrier_wait(p->go);
    p->status = sign_quiet(p->h, p->addr, p->ip);
    return NULL;
}

static void
the_same_address_through_two_nodes_at_once_is_stored_once(void **state)
{
    (void)state;
    /* Each address signs through A and through B at the same moment (from
     * two networks): both are told to check their e-mail, as anyone who
     * signs twice is, and one signature is stored. */
    enum { N = 10 };
    char addr[N][64];
    for (int i = 0; i < N; i++) {
        snprintf(addr[i], sizeof(addr[i]), "twice%d@example.ca", i);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 2);
        struct pair_signer p[2] = {{&A, addr[i], "203.0.113.10", &go, 0},
                                   {&B, addr[i], "198.51.100.200", &go, 0}};
        pthread_t t[2];
        for (int k = 0; k < 2; k++)
            assert_int_equal(pthread_create(&t[k], NULL, pair_sign, &p[k]), 0);
        for (int k = 0; k < 2; k++)
            pthread_join(t[k], NULL);
        pthread_barrier_destroy(&go);
        assert_int_equal(p[0].status, 303);
        assert_int_equal(p[1].status, 303);
    }
    for (int i = 0; i < N; i++) {
        struct signature_match m = {.e_number = 8004, .email = addr[i]};
        assert_int_equal(fixture_signature_count(&A, &m), 1);
    }
    assert_int_equal(fixture_signature_duplicates(&A), 0);
}

static void
a_mailing_goes_on_when_its_node_is_killed(void **state)
{
    (void)state;
    enum { N = 300 };
    struct browser clerk;
    fixture_signatories_add(&A, 8008, "k", N, clock_at);
    staff(&clerk, &A, "clerk@petitions.test");
    assert_int_equal(present(&clerk, "e-8008"), 303);

    /* Killed once the e-mails to the signatories have begun: the node
     * moving the mailing into the outbox (it may be sending too). */
    for (int i = 0; i < 600 && mails("-presented.eml", "<k") == 0; i++)
        poll(NULL, 0, 10);
    int64_t until;
    long holder = fixture_lease_holder(&A, LEASE_MAILING, &until);
    struct harness *dead = holder == B.pid ? &B : &A;
    harness_kill(dead);
    int before = mails("-presented.eml", "<k");
    print_message("e-mails to e-8008's signatories when node %s was killed: %d of %d\n",
                  dead == &A ? "A" : "B", before, N);

    /* The lease and the claims of the dead node pass by the clock: the
     * other node moves the rest of the mailing and sends what the dead
     * one had claimed. */
    move_clock(DELIVERY_CLAIM + 1);
    assert_true(mail_done());
    int total = mails("-presented.eml", "<k"), twice = in_both("-presented.eml");
    print_message("e-mails to e-8008's signatories in all: %d of %d (%d sent by both)\n", total, N,
                  twice);
    /* Every one sent; the one the dead node handed over and had not yet
     * recorded as sent when it was killed is sent again by the other, the
     * same message (its file name, like its Message-ID, is the outbox
     * row's): at least once, never lost (jobs/delivery.h). */
    assert_int_equal(total - twice, N);
    assert_true(twice <= 1);
    assert_int_equal(fixture_mailing_queued(&A, "presented", "k"), N);
    assert_int_equal(fixture_outbox_repeated(&A, "presented", "k"), 0);
    assert_int_equal(harness_kill_restart(dead), 0);
}

/* ---- cached pages, sessions, numbers --------------------------------------------------------- */

static void
a_presentation_on_one_node_shows_on_the_other_within_a_second(void **state)
{
    (void)state;
    struct browser clerk;
    struct http_result r;
    /* B has drawn and cached the page. */
    assert_int_equal(http_get(&B, "/en/petitions/e-8001", &r), 0);
    assert_true(body_has(&r, "Certified"));
    http_result_free(&r);
    assert_int_equal(http_get(&B, "/en/petitions/e-8001", &r), 0);
    http_result_free(&r);

    staff(&clerk, &A, "clerk@petitions.test");
    assert_int_equal(present(&clerk, "e-8001"), 303);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool shown = false;
    long took = -1;
    for (int i = 0; i < 400 && !shown; i++) {
        assert_int_equal(http_get(&B, "/en/petitions/e-8001", &r), 0);
        shown = body_has(&r, "Presented");
        http_result_free(&r);
        if (!shown)
            poll(NULL, 0, 10);
        else
            took = ms_since(&t0);
    }
    assert_true(shown);
    print_message("the presentation showed on the other node after %ld ms\n", took);
    assert_true(took <= 2000);

    /* The session made on A is valid on B, which takes the next number. */
    clerk.h = &B;
    assert_int_equal(present(&clerk, "e-8002"), 303);
    char n1[16], n2[16];
    number_on(&A, "e-8002", n2);
    number_on(&B, "e-8001", n1);
    assert_int_equal(strlen(n1), 9);
    assert_int_equal(strlen(n2), 9);
    assert_true(strcmp(n2, n1) > 0);
}

/* ---- counts ---------------------------------------------------------------------------------- */

static void
a_confirmation_on_one_node_shows_on_the_other_within_a_second(void **state)
{
    (void)state;
    int64_t base = api_count(&A, "e-8004", NULL);
    assert_int_equal(api_count(&B, "e-8004", NULL), base); /* held in both nodes' memory */

    /* Signed and confirmed on A: B shows it. */
    assert_int_equal(sign(&A, "count-a@example.ca", "203.0.113.21"), 303);
    confirm(&A, fixture_signature_id(&A, 8004, "count-a@example.ca"));
    assert_int_equal(api_count(&A, "e-8004", NULL), base + 1);
    long took = count_shows(&B, base + 1);
    print_message("node B showed node A's confirmation after %ld ms\n", took);
    assert_true(took >= 0 && took <= 2000);

    /* And the other way, several, through both at once. */
    char addr[64], ip[32];
    for (int i = 0; i < 6; i++) {
        snprintf(addr, sizeof(addr), "count-b%d@example.ca", i);
        snprintf(ip, sizeof(ip), "203.0.113.%d", 30 + i);
        assert_int_equal(sign(i % 2 ? &A : &B, addr, ip), 303);
        confirm(i % 3 ? &B : &A, fixture_signature_id(&A, 8004, addr));
    }
    took = count_shows(&A, base + 7);
    assert_true(took >= 0 && took <= 2000);
    took = count_shows(&B, base + 7);
    assert_true(took >= 0 && took <= 2000);

    /* The minute's check of the counts in memory on both nodes: no drift;
     * the stored counts agree with the rows. */
    long long at_a = healthz_value(&A, "counts", "checked_at");
    long long at_b = healthz_value(&B, "counts", "checked_at");
    move_clock(120);
    for (int i = 0; i < 400 && (healthz_value(&A, "counts", "checked_at") == at_a ||
                                healthz_value(&B, "counts", "checked_at") == at_b);
         i++)
        poll(NULL, 0, 25);
    assert_true(healthz_value(&A, "counts", "checked_at") != at_a);
    assert_true(healthz_value(&B, "counts", "checked_at") != at_b);
    assert_int_equal(healthz_value(&A, "counts", "drifted_since_start"), 0);
    assert_int_equal(healthz_value(&B, "counts", "drifted_since_start"), 0);
    assert_int_equal(fixture_petition_total(&A, 8004), base + 7);
    char *out = NULL;
    const char *check[] = {harness_binary(), "counts", "check", "--db", A.db, NULL};
    harness_store_close(&A);
    int rc = harness_run(check, &out);
    /* e-8008's signatories were written behind the counts (no count
     * moves with fixture_signatures_add()): only it may differ. */
    bool clean = out && strstr(out, "e-petitions checked") && !strstr(out, "e-8004") &&
                 (rc == 0 || strstr(out, "1 differs"));
    if (!clean)
        print_message("counts check: %d\n%s\n", rc, out ? out : "");
    free(out);
    assert_true(clean);
}

/* A refused form on one node comes back on the other: the refusal's GET
 * carries its state in a cookie sealed under a key both nodes derive
 * from the database's link key (web/forms.h), so it may land anywhere. */
static void
a_refused_form_comes_back_on_the_other_node(void **state)
{
    (void)state;
    static const char body[] = "csrf=0123456789abcdef0123456789abcdef&first_name=Nodal"
                               "&last_name=&email=nodal%40nodes.example";
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Cookie: pd_csrf=0123456789abcdef0123456789abcdef", NULL};
    struct http_result r;
    assert_int_equal(http_request(&A, "POST", "/fr/register", body, strlen(body), headers, &r), 0);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/fr/register?refused=1");
    /* Followed on node B. */
    assert_true(refusal_follow(&B, &r, NULL));
    assert_int_equal(r.status, 422);
    assert_true(refusal_page_ok(&r, "fr"));
    assert_true(body_has(&r, "value=\"Nodal\""));
    assert_true(body_has(&r, "value=\"nodal@nodes.example\""));
    http_result_free(&r);
}

static int
setup(void **state)
{
    (void)state;
    clock_at = (int64_t)time(NULL);
    if (harness_start_with(&A, "tests/integration/data/house.json", true))
        return -1;
    harness_set_clock(&A, clock_at);
    return harness_start_node(&B, &A);
}

static int
teardown(void **state)
{
    (void)state;
    int b = harness_stop_checked(&B);
    int a = harness_stop_checked(&A);
    return a == 0 && b == 0 ? 0 : -1;
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scheduler_runs_on_one_node_and_moves_on_when_it_is_killed),
        cmocka_unit_test(every_email_is_sent_once_across_the_nodes),
        cmocka_unit_test(the_same_address_through_two_nodes_at_once_is_stored_once),
        cmocka_unit_test(a_mailing_goes_on_when_its_node_is_killed),
        cmocka_unit_test(a_presentation_on_one_node_shows_on_the_other_within_a_second),
        cmocka_unit_test(a_confirmation_on_one_node_shows_on_the_other_within_a_second),
        cmocka_unit_test(a_refused_form_comes_back_on_the_other_node),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
