/*
 * surge.c: signers that keep signing while a test takes the database
 * away; see surge.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "surge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"
#include "lib/banned.h"

double
surge_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sign e-6512 as <who><n> through node n mod n_nodes; the status (0 when
 * no answer came). */
static long
sign_as(struct surge *s, int n)
{
    char body[512], xff[64];
    snprintf(body, sizeof(body),
             "first_name=Ada&last_name=Surge&email=%s%d%%40example.ca&country=Canada"
             "&province=QC&postal_code=H2X+1Y4&phone=514-555-0100&eligible=1&terms=1",
             s->who, n);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.%d.%d.%d", (n >> 16) & 255, (n >> 8) & 255,
             n & 255);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    long status = 0;
    if (http_request(&s->nodes[n % s->n_nodes], "POST", "/en/petitions/e-6512/sign", body,
                     strlen(body), headers, &r) == 0) {
        status = r.status;
        if (status == 503 && !http_header(&r, "Retry-After"))
            atomic_fetch_add(&s->no_retry_after, 1);
        http_result_free(&r);
    }
    return status;
}

static void *
signer(void *arg)
{
    struct surge *s = arg;
    while (!atomic_load(&s->stop)) {
        int n = atomic_fetch_add(&s->next, 1);
        if (n >= SURGE_MAX_SIGNED)
            break;
        long status = sign_as(s, n);
        if (status == 303) {
            int k = atomic_fetch_add(&s->nacked, 1);
            s->acked[k] = n;
            s->acked_at[k] = surge_now();
            atomic_fetch_add(&s->acknowledged, 1);
        } else if (status == 503) {
            atomic_fetch_add(&s->unavailable, 1);
            usleep(20000);
        } else {
            atomic_fetch_add(&s->other, 1);
            print_message("signer: answer %ld\n", status);
        }
    }
    return NULL;
}

void
surge_start(struct surge *s, struct harness *nodes, int n_nodes, const char *who, int signers)
{
    s->nodes = nodes;
    s->n_nodes = n_nodes;
    s->who = who;
    s->n_threads = signers < SURGE_MAX_SIGNERS ? signers : SURGE_MAX_SIGNERS;
    for (int i = 0; i < s->n_threads; i++)
        assert_int_equal(pthread_create(&s->threads[i], NULL, signer, s), 0);
}

void
surge_stop(struct surge *s)
{
    atomic_store(&s->stop, true);
    for (int i = 0; i < s->n_threads; i++)
        pthread_join(s->threads[i], NULL);
    s->n_threads = 0;
}

bool
surge_wait(atomic_int *counter, int want, double seconds)
{
    double end = surge_now() + seconds;
    while (atomic_load(counter) < want && surge_now() < end)
        usleep(2000);
    return atomic_load(counter) >= want;
}

double
surge_acked_before(struct surge *s, double t)
{
    double best = 0;
    for (int k = 0, n = atomic_load(&s->nacked); k < n; k++)
        if (s->acked_at[k] <= t && s->acked_at[k] > best)
            best = s->acked_at[k];
    return best ? best : t;
}

double
surge_acked_after(struct surge *s, double t)
{
    double best = 0;
    for (int k = 0, n = atomic_load(&s->nacked); k < n; k++)
        if (s->acked_at[k] > t && (!best || s->acked_at[k] < best))
            best = s->acked_at[k];
    return best;
}

/* The server's log lines of answers other than 303 and 503. */
static void
print_other_answers(struct harness *h)
{
    char *log = harness_log(h);
    for (char *line = log; line && *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (!strstr(line, "\" 303 ") && !strstr(line, "\" 503 ") && len < 400)
            print_message("server: %.*s\n", (int)len, line);
        line = end ? end + 1 : NULL;
    }
    free(log);
}

void
surge_check_stored(struct surge *s, struct harness *h)
{
    if (atomic_load(&s->other))
        for (int i = 0; i < s->n_nodes; i++)
            print_other_answers(&s->nodes[i]);
    assert_int_equal(atomic_load(&s->other), 0);
    assert_int_equal(atomic_load(&s->no_retry_after), 0);
    int n = atomic_load(&s->nacked);
    for (int i = 0; i < n; i++) {
        char email[64];
        int64_t id = 0;
        snprintf(email, sizeof(email), "%s%d@example.ca", s->who, s->acked[i]);
        if (fixture_signature_find(h, 6512, email, &id) != 0 || id == 0)
            fail_msg("%s was acknowledged (303) but is not stored", email);
    }
    assert_int_equal(fixture_signature_duplicates(h), 0);
}
