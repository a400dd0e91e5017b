/*
 * crash_test.c: crash safety (issue 6, item 6).  A surge of signing runs
 * against e-6512 (open in the built-in demo) while the server is killed
 * with SIGKILL at random moments and started again on the same database.
 * After each restart, with the load paused, nothing the server
 * acknowledged may be missing: every signature answered with a 303 has
 * exactly one row, every confirmation answered with a 200 is recorded,
 * the stored counts equal the rows (petition_counts.count = base + the
 * counted signatures of the region, petitions.signature_total = their
 * sum, and 'petitiond counts check' finds no drift), and the database
 * passes the engine's own checks (fixture_database_check(): SQLite's
 * PRAGMA integrity_check and foreign_key_check; on PostgreSQL, amcheck's
 * index and heap checks and every foreign key counted).
 *
 * The test relies only on HTTP and what the store reads (fixtures.h), so
 * it holds for any intake (one transaction per signature, or a writer with group commit):
 * a 303 or a 200 is a promise, a 503 or a broken connection is not, and
 * the client may try again with the same e-mail (the server answers a
 * repeated address with the same 303 and never a second row).
 *
 * CLIENTS threads sign with fresh e-mails, each from its own address
 * (X-Forwarded-For through --trusted-proxy, so no signature is held by
 * the rate limits and the counts move), confirm three in four by POSTing
 * the token the e-mailed link carries (token_mac of "sign|ID" under the
 * database's link_key; the ID is read through the store after the 303),
 * and now and then sign again with an address already acknowledged.
 *
 * PETITIOND_CRASH_KILLS sets the number of kills: 3 by default (the short
 * form 'make test' runs), 20 in 'make crashtest'.  The figures of each
 * round and the summary are TAP comments ("# ...").
 *
 * Threads: the client threads never touch cmocka (its asserts jump); they
 * record what they saw under `mu` and the main thread judges.  No test
 * connection to the database is open while the server is killed or
 * starts (harness_kill_restart() closes the fixtures' store once no
 * client reads), so each restart recovers as after a real crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "fixtures.h"
#include "lib/arena.h"
#include "lib/parse.h"
#include "lib/token.h"
#include "lib/banned.h"

enum {
    CLIENTS = 8,
    KILLS_DEFAULT = 3, /* the short form, run by make test */
    KILLS_MAX = 10000,
    LOAD_MIN_MS = 100, /* load before each kill: random in [min, max) */
    LOAD_MAX_MS = 600,
    CONFIRM_IN_4 = 3, /* confirm three signatures in four */
    RESIGN_IN_16 = 1, /* sign again with an acknowledged address */
    EMAIL_MAX_LEN = 64,
};

#define PETITION "e-6512"
#define PETITION_E_NUMBER 6512

/* A signature the server acknowledged (303), and whether its
 * confirmation was acknowledged too (200). */
struct ack {
    char email[EMAIL_MAX_LEN];
    int64_t id; /* read through the store after the 303; 0 = no row then */
    bool confirmed;
};

/* Where the region's postal codes must match the province. */
static const struct {
    const char *province;
    const char *postal;
} places[] = {
    {"ON", "K1A 0A6"}, {"QC", "H2X 1Y4"}, {"BC", "V6B 1A1"}, {"AB", "T2P 1J9"},
    {"NS", "B3H 4R2"}, {"MB", "R3C 4T3"}, {"SK", "S4P 3Y2"}, {"NB", "E1C 4M3"},
};

static struct harness H;
static struct client *clients; /* CLIENTS of them while the load runs */
static unsigned char link_key[TOKEN_KEY_BYTES];

/* ---- what the clients and the killer share (all under mu) ---------------------------- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char base[64];   /* the server's URL; it changes at each restart */
static bool paused;     /* clients wait at the top of their loop */
static bool stopping;   /* clients return */
static int active;      /* clients between the top of the loop and its end */
static bool db_blocked; /* the server is being killed or started: no database use */
static int db_users;    /* clients reading the database now */
static struct ack *acks;
static size_t ack_count, ack_cap;
static long sign_tries, confirm_tries, resigns, busy, broken, unexpected;
static char unexpected_what[256]; /* the first unexpected answer */

/* ---- a client ------------------------------------------------------------------------------ */

struct client {
    int index;
    pthread_t thread;
    CURL *curl; /* one easy handle: connections kept alive */
    uint64_t rng;
    int next;                  /* the number of the next fresh e-mail */
    char email[EMAIL_MAX_LEN]; /* being signed, until acknowledged; "" = none */
    char ip[32];               /* its address */
    size_t confirm;            /* 1 + the ack to confirm; 0 = none */
    int64_t confirm_id;
    bool no_answer; /* the last request got no answer */
    bool started;   /* its thread runs */
};

static uint32_t
rng_next(uint64_t *s)
{
    /* xorshift64*: enough for spreading load and kills. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * 2685821657736338717ULL) >> 32);
}

static size_t
discard(char *data, size_t size, size_t n, void *cls)
{
    (void)data;
    (void)cls;
    return size * n;
}

/* POST form to url; the status, or 0 when no answer came (connection
 * refused, reset, timed out). */
static long
client_post(struct client *c, const char *url, const char *form, const char *xff)
{
    struct curl_slist *list = NULL;
    long status = 0;
    char header[80];

    list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded");
    list = curl_slist_append(list, "Expect:");
    if (xff) {
        snprintf(header, sizeof(header), "X-Forwarded-For: %s", xff);
        list = curl_slist_append(list, header);
    }
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, list);
    if (curl_easy_perform(c->curl) == CURLE_OK)
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    c->no_answer = status == 0;
    curl_slist_free_all(list);
    return status;
}

/* The id of the e-mail's signature of the petition, 0 when there is no
 * row (or it could not be read).  Waits while the server is being killed
 * or started. */
static int64_t
client_signature_id(const char *email)
{
    pthread_mutex_lock(&mu);
    while (db_blocked)
        pthread_cond_wait(&cv, &mu);
    db_users++;
    pthread_mutex_unlock(&mu);

    int64_t id = 0;
    if (fixture_signature_find(&H, PETITION_E_NUMBER, email, &id))
        id = 0; /* unread: check_acknowledged() reports it */

    pthread_mutex_lock(&mu);
    db_users--;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return id;
}

/* Note an answer that is neither an acknowledgement nor "not now". */
static void
client_unexpected(const char *what, long status)
{
    pthread_mutex_lock(&mu);
    if (!unexpected++)
        snprintf(unexpected_what, sizeof(unexpected_what), "%s answered %ld", what, status);
    pthread_mutex_unlock(&mu);
}

/* Count an answer that acknowledged nothing; true when it is one of those
 * a crash or overload may give (no answer, or 503). */
static bool
client_refused(long status)
{
    pthread_mutex_lock(&mu);
    if (status == 0)
        broken++;
    else if (status == 503)
        busy++;
    pthread_mutex_unlock(&mu);
    return status == 0 || status == 503;
}

static void
client_confirm(struct client *c, const char *url_base)
{
    char url[160], form[80], msg[64], tok[TOKEN_MAC_CHARS + 1];

    snprintf(msg, sizeof(msg), "sign|%lld", (long long)c->confirm_id);
    token_mac(link_key, msg, tok);
    snprintf(url, sizeof(url), "%s/en/signatures/%lld", url_base, (long long)c->confirm_id);
    snprintf(form, sizeof(form), "t=%s", tok);
    pthread_mutex_lock(&mu);
    confirm_tries++;
    pthread_mutex_unlock(&mu);
    long status = client_post(c, url, form, NULL);
    if (status == 303) {
        pthread_mutex_lock(&mu);
        acks[c->confirm - 1].confirmed = true;
        pthread_mutex_unlock(&mu);
        c->confirm = 0;
    } else if (!client_refused(status)) {
        client_unexpected("a confirmation", status);
        c->confirm = 0;
    }
}

/* POST the sign form for email from ip; the status (0: no answer). */
static long
client_sign_as(struct client *c, const char *url_base, const char *email, const char *ip)
{
    char url[160], form[512];
    int n = (int)(rng_next(&c->rng) % (sizeof(places) / sizeof(places[0])));

    /* The e-mails are letters, digits, '-', '.' and '@': nothing to encode
     * but the '@' and the postal code's space. */
    const char *at = strchr(email, '@');
    snprintf(form, sizeof(form),
             "first_name=Crash&last_name=Tester&email=%.*s%%40%s&country=Canada"
             "&province=%s&postal_code=%.3s+%s&phone=613-555-0100&eligible=1&terms=1",
             (int)(at - email), email, at + 1, places[n].province, places[n].postal,
             places[n].postal + 4);
    snprintf(url, sizeof(url), "%s/en/petitions/%s/sign", url_base, PETITION);
    pthread_mutex_lock(&mu);
    sign_tries++;
    pthread_mutex_unlock(&mu);
    return client_post(c, url, form, ip);
}

static void
client_sign(struct client *c, const char *url_base)
{
    if (!c->email[0]) {
        /* A fresh e-mail from a fresh address (10.x.y.z, one per e-mail). */
        int k = c->next++;
        snprintf(c->email, sizeof(c->email), "signer-%d-%d@crash.example", c->index, k);
        snprintf(c->ip, sizeof(c->ip), "10.%d.%d.%d", c->index + 1, k / 250 % 250, k % 250 + 1);
    }
    long status = client_sign_as(c, url_base, c->email, c->ip);
    if (status != 303) {
        /* Not acknowledged: try the same e-mail again later. */
        if (!client_refused(status)) {
            client_unexpected("a signature", status);
            c->email[0] = '\0';
        }
        return;
    }
    int64_t id = client_signature_id(c->email);
    pthread_mutex_lock(&mu);
    if (ack_count == ack_cap) {
        ack_cap = ack_cap ? 2 * ack_cap : 1024;
        acks = realloc(acks, ack_cap * sizeof(*acks));
        if (!acks) {
            fputs("crash_test: out of memory\n", stderr);
            abort();
        }
    }
    struct ack *a = &acks[ack_count++];
    snprintf(a->email, sizeof(a->email), "%s", c->email);
    a->id = id;
    a->confirmed = false;
    size_t index = ack_count;
    pthread_mutex_unlock(&mu);
    /* No row just after a 303 is a loss check_acknowledged() reports. */
    if (id && rng_next(&c->rng) % 4 < CONFIRM_IN_4) {
        c->confirm = index;
        c->confirm_id = id;
    }
    c->email[0] = '\0';
}

/* Sign again with an address already acknowledged, from another address:
 * the same 303, and never a second row. */
static void
client_resign(struct client *c, const char *url_base)
{
    char email[EMAIL_MAX_LEN], ip[32];

    pthread_mutex_lock(&mu);
    if (!ack_count) {
        pthread_mutex_unlock(&mu);
        return;
    }
    snprintf(email, sizeof(email), "%s", acks[rng_next(&c->rng) % ack_count].email);
    resigns++;
    pthread_mutex_unlock(&mu);
    uint32_t r = rng_next(&c->rng);
    snprintf(ip, sizeof(ip), "172.16.%u.%u", r % 250, (r >> 8) % 250 + 1);
    long status = client_sign_as(c, url_base, email, ip);
    if (status != 303 && !client_refused(status))
        client_unexpected("a repeated signature", status);
}

static void *
client_run(void *arg)
{
    struct client *c = arg;
    char url_base[sizeof(base)];

    for (;;) {
        pthread_mutex_lock(&mu);
        while (paused && !stopping)
            pthread_cond_wait(&cv, &mu);
        if (stopping) {
            pthread_mutex_unlock(&mu);
            break;
        }
        snprintf(url_base, sizeof(url_base), "%s", base);
        active++;
        pthread_mutex_unlock(&mu);
        c->no_answer = false;

        if (c->confirm)
            client_confirm(c, url_base);
        else if (rng_next(&c->rng) % 16 < RESIGN_IN_16)
            client_resign(c, url_base);
        else
            client_sign(c, url_base);

        pthread_mutex_lock(&mu);
        active--;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
        if (c->no_answer) {
            /* The server is down (or starting): do not spin on its old port. */
            struct timespec ts = {0, 20 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

/* ---- the killer and the checks -------------------------------------------------------------- */

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};
    nanosleep(&ts, NULL);
}

/* Stop the clients at the top of their loop and wait until none is busy. */
static void
clients_pause(void)
{
    pthread_mutex_lock(&mu);
    paused = true;
    while (active)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static void
clients_resume(void)
{
    pthread_mutex_lock(&mu);
    paused = false;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

/* SIGKILL the server in the middle of the load and start it again; no
 * test connection to the database is open meanwhile.  Leaves the clients
 * paused. */
static void
kill_and_restart(void)
{
    pthread_mutex_lock(&mu);
    db_blocked = true;
    while (db_users)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);

    int r = harness_kill_restart(&H);

    pthread_mutex_lock(&mu);
    snprintf(base, sizeof(base), "%s", H.base);
    db_blocked = false;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    clients_pause();
    assert_int_equal(r, 0);
}

struct tally {
    size_t acked, confirmed; /* acknowledged signatures, confirmations */
    long lost, lost_confirmations, doubled, drift;
    int64_t rows, rows_confirmed, rows_counted;
};

/* Order signature rows by e-mail, then id. */
static int
by_email(const void *x, const void *y)
{
    const struct signature_record *a = x, *b = y;
    int c = strcmp(a->email, b->email);
    return c ? c : (a->id < b->id ? -1 : a->id > b->id);
}

/* Every acknowledged signature once, every acknowledged confirmation
 * recorded, judged on rows (the petition's signature rows, sorted by
 * e-mail).  Clients are paused: acks does not move. */
static void
check_acknowledged(const struct signature_record *rows, int n, struct tally *t)
{
    for (size_t i = 0; i < ack_count; i++) {
        const struct ack *a = &acks[i];
        /* The rows of the acknowledged e-mail: their number, the highest
         * id, and whether one is confirmed. */
        struct signature_record key = {.email = a->email, .id = 0};
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (by_email(&rows[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        int64_t count = 0, id = 0;
        bool confirmed = false;
        for (int k = lo; k < n && strcmp(rows[k].email, a->email) == 0; k++) {
            count++;
            id = rows[k].id > id ? rows[k].id : id;
            confirmed = confirmed || rows[k].confirmed_at != 0;
        }
        t->confirmed += a->confirmed;
        /* No row just after the 303 (id 0) means it was answered before
         * it was written: lost, even if the row came later. */
        if (count == 0 || a->id == 0 || id != a->id) {
            printf("# lost: %s (id %lld after the 303, now %lld rows, id %lld)\n", a->email,
                   (long long)a->id, (long long)count, (long long)id);
            t->lost++;
        } else if (count > 1) {
            printf("# %s has %lld rows\n", a->email, (long long)count);
            t->doubled += count - 1;
        } else if (a->confirmed && !confirmed) {
            printf("# lost confirmation: %s (id %lld)\n", a->email, (long long)id);
            t->lost_confirmations++;
        }
    }
    t->acked = ack_count;
}

/* The whole database after a restart: acknowledged work, counts, integrity. */
static void
check_database(const char *when, struct tally *t)
{
    struct arena *ar = arena_new();
    struct signature_record *rows;
    int n = fixture_signatures(&H, ar, PETITION_E_NUMBER, &rows);
    char text[256];

    *t = (struct tally){0};
    /* No row at all when the kill came before the first signature was
     * written (a slow machine): qsort() must not see the NULL. */
    if (n > 0)
        qsort(rows, (size_t)n, sizeof(*rows), by_email);
    check_acknowledged(rows, n, t);

    /* One row per person and petition (UNIQUE says so; a broken index
     * would not). */
    t->doubled += fixture_signature_duplicates(&H);
    t->rows = n;
    for (int i = 0; i < n; i++) {
        bool confirmed = rows[i].confirmed_at != 0;
        t->rows_confirmed += confirmed;
        t->rows_counted +=
            confirmed && (rows[i].review == REVIEW_CLEAR || rows[i].review == REVIEW_VALIDATED);
    }
    arena_free(ar);

    /* The counts equal the rows: by region (count = base + the counted
     * rows of the region; a counted row in a region without a count reads
     * as a count of 0, so it is one of these), the total their sum. */
    struct petition_recount rc;
    fixture_petition_recount(&H, PETITION_E_NUMBER, &rc);
    int64_t regions_off = 0, counted_sum = 0, stored_sum = 0;
    for (int r = 0; r < REGION_COUNT; r++) {
        regions_off += rc.stored[r] != rc.base[r] + rc.rows[r];
        counted_sum += rc.stored[r] - rc.base[r];
        stored_sum += rc.stored[r];
    }
    int64_t total_off = rc.stored_total - stored_sum;
    /* Counted beyond the rows is double counting; fewer, a lost count. */
    t->drift = counted_sum - t->rows_counted;
    if (t->drift > 0)
        t->doubled += t->drift;
    else
        t->lost_confirmations -= t->drift;

    int64_t fk = fixture_database_check(&H, text, sizeof(text));

    /* The server's own recount of every e-petition agrees. */
    char *out = NULL;
    const char *counts[] = {harness_binary(), "counts", "check", "--db", H.db, NULL};
    int rc_counts = harness_run(counts, &out);
    bool counts_ok = rc_counts == 0 && out && strstr(out, ", 0 differ");

    printf("# %s: acknowledged %zu signatures, %zu confirmations; rows %lld, confirmed %lld,"
           " counted %lld; lost %ld + %ld confirmations, doubled %ld; integrity %s\n",
           when, t->acked, t->confirmed, (long long)t->rows, (long long)t->rows_confirmed,
           (long long)t->rows_counted, t->lost, t->lost_confirmations, t->doubled, text);
    if (!counts_ok) {
        printf("# counts check (exit %d):\n", rc_counts);
        for (char *line = out, *eol; line && *line; line = eol ? eol + 1 : NULL) {
            eol = strchr(line, '\n');
            printf("#   %.*s\n", eol ? (int)(eol - line) : (int)strlen(line), line);
        }
    }
    fflush(stdout);
    free(out);

    assert_int_equal(t->lost, 0);
    assert_int_equal(t->lost_confirmations, 0);
    assert_int_equal(t->doubled, 0);
    assert_true(t->rows >= (int64_t)t->acked);
    assert_int_equal(regions_off, 0);
    assert_int_equal(total_off, 0);
    assert_true(counts_ok);
    assert_string_equal(text, "ok");
    assert_int_equal(fk, 0);
}

static int
kills_wanted(void)
{
    const char *v = getenv("PETITIOND_CRASH_KILLS");
    long long n = KILLS_DEFAULT;
    if (v && v[0] && parse_llz(v, 1, KILLS_MAX, &n, NULL)) {
        fprintf(stderr, "PETITIOND_CRASH_KILLS=%s: not a number from 1 to %d\n", v, KILLS_MAX);
        n = KILLS_DEFAULT;
    }
    return (int)n;
}

/* Start the client threads on the current server. */
static void
clients_start(void)
{
    uint64_t seed = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ULL | 1;

    snprintf(base, sizeof(base), "%s", H.base);
    clients = calloc(CLIENTS, sizeof(*clients));
    assert_non_null(clients);
    for (int i = 0; i < CLIENTS; i++) {
        struct client *c = &clients[i];
        c->index = i;
        c->rng = seed + (uint64_t)(i + 1) * 0x2545F4914F6CDD1DULL;
        c->curl = curl_easy_init();
        assert_non_null(c->curl);
        curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 5L);
        curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, discard);
    }
    for (int i = 0; i < CLIENTS; i++)
        clients[i].started = pthread_create(&clients[i].thread, NULL, client_run, &clients[i]) == 0;
}

/* Stop and join the client threads (also after a failed assertion). */
static void
clients_stop(void)
{
    if (!clients)
        return;
    pthread_mutex_lock(&mu);
    stopping = true;
    db_blocked = false;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < CLIENTS; i++) {
        if (clients[i].started)
            pthread_join(clients[i].thread, NULL);
        if (clients[i].curl)
            curl_easy_cleanup(clients[i].curl);
    }
    free(clients);
    clients = NULL;
}

/* ---- the test ------------------------------------------------------------------------------ */

static void
acknowledged_signatures_survive_sigkill(void **state)
{
    (void)state;
    struct tally t = {0};
    uint64_t rng = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ULL | 3;
    int kills = kills_wanted();
    char when[32];

    printf("# %d kills, %d clients signing %s\n", kills, CLIENTS, PETITION);
    clients_start();

    for (int k = 1; k <= kills; k++) {
        sleep_ms(LOAD_MIN_MS + (long)(rng_next(&rng) % (LOAD_MAX_MS - LOAD_MIN_MS)));
        kill_and_restart();
        snprintf(when, sizeof(when), "kill %d", k);
        check_database(when, &t);
        clients_resume();
    }
    sleep_ms(LOAD_MIN_MS + (long)(rng_next(&rng) % (LOAD_MAX_MS - LOAD_MIN_MS)));
    clients_stop();
    check_database("end", &t);

    printf("# crash summary: %d kills; %zu signatures and %zu confirmations acknowledged;"
           " lost %ld, lost confirmations %ld, double-counted %ld\n",
           kills, t.acked, t.confirmed, t.lost, t.lost_confirmations, t.doubled);
    printf("# requests: %ld signing (%ld again with a known address), %ld confirming;"
           " %ld without an answer, %ld answered 503, %ld unexpected%s%s\n",
           sign_tries, resigns, confirm_tries, broken, busy, unexpected,
           unexpected ? ": first " : "", unexpected_what);
    fflush(stdout);
    assert_int_equal(unexpected, 0);
    /* The test means something only if the load got through. */
    assert_true(t.acked > 0);
    assert_true(t.confirmed > 0);
}

/* ---- the server --------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    char hex[2 * TOKEN_KEY_BYTES + 1];

    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    /* Development mode: X-Forwarded-For from 127.0.0.1 names the client.
     * The real clock: e-6512 closes weeks after the demo is loaded. */
    if (harness_start_with(&H, NULL, true))
        return -1;
    char *key = fixture_meta(&H, "link_key");
    snprintf(hex, sizeof(hex), "%s", key ? key : "");
    free(key);
    if (token_key_from_hex(hex, link_key) || !fixture_petition_exists(&H, PETITION_E_NUMBER))
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    clients_stop();
    free(acks);
    acks = NULL;
    int r = harness_stop(&H);
    sodium_memzero(link_key, sizeof(link_key));
    curl_global_cleanup();
    return r == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(acknowledged_signatures_survive_sigkill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
