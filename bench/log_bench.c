/*
 * log_bench.c: the public log's costs at a million entries (issue 18,
 * item 8), for bench/log.sh.
 *
 *   log_bench DB E-NUMBER ENTRIES
 *
 * Appends ENTRIES "sig" entries (the size and shape the writer appends)
 * to e-petition E-NUMBER's log through the store (store_log_append, in
 * transactions of 1,000), then times, each 200 times with a fresh reader
 * (no bundle kept from the last): the root of the whole tree (what a
 * checkpoint costs), the root at a random size, an inclusion proof of a
 * random entry and a consistency proof from a random size.  Prints one
 * line of key=value figures (microseconds).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/petition_log.h"
#include "core/tlog.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "lib/banned.h"

enum { BATCH = 1000, RUNS = 200 };

static double
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* p50, p99 and max of v[0..n), sorted in place. */
static void
report(const char *name, double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), by_value);
    printf(" %s_p50_us=%.0f %s_p99_us=%.0f %s_max_us=%.0f", name, v[n / 2], name,
           v[(n * 99) / 100], name, v[n - 1]);
}

static int
fail(const struct err *e)
{
    fprintf(stderr, "log_bench: %s\n", e->log);
    return 1;
}

int
main(int argc, char **argv)
{
    struct err e = ERR_INIT;
    struct store *s;
    struct petition_brief b;
    struct log_head head;

    if (argc != 4) {
        fprintf(stderr, "usage: log_bench DB E-NUMBER ENTRIES\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    long number = atol(argv[2]);
    int64_t want = atoll(argv[3]);
    if (store_open(argv[1], false, &s, &e) ||
        store_petition_brief(s, NULL, 0, number, &b, &e))
        return fail(&e);
    int r = store_log_head(s, NULL, b.id, &head, &e);
    if (r && r != ERR_NOT_FOUND)
        return fail(&e);
    int64_t size = r ? 0 : head.size;

    /* The entries, as the writer makes them. */
    double t0 = now_us();
    char (*text)[PETITION_LOG_ENTRY_MAX] = calloc(BATCH, PETITION_LOG_ENTRY_MAX);
    const char *v[BATCH];
    while (size < want) {
        int n = want - size < BATCH ? (int)(want - size) : BATCH;
        for (int i = 0; i < n; i++) {
            uint8_t nonce[PETITION_LOG_NONCE_BYTES];
            struct strbuf sb;
            randombytes_buf(nonce, sizeof(nonce));
            sb_init(&sb, NULL);
            petition_log_sig(&sb, 1780000000 + size + i, (enum region)(i % REGION_COUNT), nonce);
            snprintf(text[i], PETITION_LOG_ENTRY_MAX, "%s", sb.buf);
            sb_release(&sb);
            v[i] = text[i];
        }
        struct store_txn *t;
        if (store_begin(s, &t, &e) || store_log_append(t, b.id, size, v, n, n, &e) ||
            store_commit(t, &e))
            return fail(&e);
        size += n;
    }
    double append_us = now_us() - t0;
    free(text);

    double root[RUNS], at[RUNS], incl[RUNS], cons[RUNS];
    struct tlog_hash h, proof[TLOG_MAX_PROOF];
    int k;
    for (int i = 0; i < RUNS; i++) {
        struct arena *a = arena_new();
        struct store_log_reader lr;
        int64_t x = 1 + (int64_t)randombytes_uniform((uint32_t)(size > 1 ? size - 1 : 1));
        store_log_reader_init(&lr, s, NULL, a, b.id, &e);
        t0 = now_us();
        if (tlog_tree_hash(size, &lr.r, &h))
            return fail(&e);
        root[i] = now_us() - t0;
        store_log_reader_init(&lr, s, NULL, a, b.id, &e);
        t0 = now_us();
        if (tlog_tree_hash(x, &lr.r, &h))
            return fail(&e);
        at[i] = now_us() - t0;
        store_log_reader_init(&lr, s, NULL, a, b.id, &e);
        t0 = now_us();
        if (tlog_prove_record(size, x - 1, &lr.r, proof, &k))
            return fail(&e);
        incl[i] = now_us() - t0;
        store_log_reader_init(&lr, s, NULL, a, b.id, &e);
        t0 = now_us();
        if (tlog_prove_tree(size, x, &lr.r, proof, &k))
            return fail(&e);
        cons[i] = now_us() - t0;
        arena_free(a);
    }
    printf("BENCH entries=%lld petition_id=%lld append_per_s=%.0f", (long long)size,
           (long long)b.id, append_us > 0 ? (double)want / append_us * 1e6 : 0);
    report("root", root, RUNS);
    report("root_at", at, RUNS);
    report("inclusion", incl, RUNS);
    report("consistency", cons, RUNS);
    printf("\n");
    store_close(s);
    return 0;
}
