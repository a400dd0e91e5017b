/*
 * sqlite_baseline.c: the raw SQLite baseline of the surge benchmark
 * (bench/surge.sh), and its database loader.
 *
 *   sqlite_baseline MODE DB N [E-NUMBER]
 *
 * DB is a database made by `petitiond migrate` (and `demo`), so it has the
 * server's schema and indexes; E-NUMBER (default e-6512) is the petition
 * the rows go to.  The connection is opened as the server opens its own
 * (src/store/sqlite/backend.c, conn_open): WAL, synchronous=FULL,
 * foreign_keys=ON, busy_timeout.  One prepared INSERT per table, bound
 * per row, the columns the server writes (sq_signature_insert in
 * src/store/sqlite/signing.c).  Every row has its own e-mail address,
 * client address (10.0.0.0/8) and a province chosen as bench/sign.lua
 * chooses them.
 *
 * MODE:
 *   rows     N pending signature rows in transactions of 100: the baseline
 *            the server's intake is compared with.
 *   outbox   the same, plus per signature the outbox row of its
 *            confirmation e-mail (kind 'signature-confirm', subject and body
 *            left empty, signature_id when the column exists).
 *   pending  like rows, into a live server's database (more pending
 *            signatures for the confirmation benchmark).
 *   load     N confirmed, cleared signatures in transactions of 10,000 with
 *            synchronous=OFF (set-up, not measured); the petition's
 *            petition_counts and signature_total grow by them in the
 *            transaction of the last rows, so `petitiond counts check`
 *            finds no drift.
 *
 * Prints one line of name=value pairs: rows, seconds, rows_per_s and the
 * p50/p99/max of COMMIT in milliseconds.  Links only SQLite.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum mode {
    MODE_ROWS,
    MODE_OUTBOX,
    MODE_PENDING,
    MODE_LOAD,
};

/* Provinces and territories weighted roughly by population, as in
 * bench/sign.lua, each with a postal code the server accepts. */
static const char *const regions[][2] = {
    {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"},
    {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"}, {"ON", "K1A 0A6"},
    {"QC", "H2X 1Y4"}, {"QC", "H2X 1Y4"}, {"QC", "H2X 1Y4"}, {"QC", "H2X 1Y4"}, {"QC", "H2X 1Y4"},
    {"QC", "H2X 1Y4"}, {"BC", "V6B 1A1"}, {"BC", "V6B 1A1"}, {"BC", "V6B 1A1"}, {"BC", "V6B 1A1"},
    {"AB", "T2P 1J9"}, {"AB", "T2P 1J9"}, {"AB", "T2P 1J9"}, {"MB", "R3C 4T3"}, {"SK", "S4P 3Y2"},
    {"NS", "B3H 4R2"}, {"NB", "E1C 4M3"}, {"NL", "A1C 5M2"}, {"PE", "C1A 7N8"}, {"YT", "Y1A 2C6"},
    {"NT", "X1A 2L9"}, {"NU", "X0A 0H0"},
};
enum { REGION_CHOICES = sizeof(regions) / sizeof(regions[0]) };

static sqlite3 *db;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Noreturn void
fail(const char *what)
{
    fprintf(stderr, "sqlite_baseline: %s: %s\n", what, db ? sqlite3_errmsg(db) : "no database");
    exit(1);
}

static void
exec(const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail(sql);
}

static sqlite3_stmt *
prepare(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail(sql);
    return st;
}

static void
step_done(sqlite3_stmt *st, const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        fail(what);
    sqlite3_reset(st);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Whether table has a column named col. */
static bool
has_column(const char *table, const char *col)
{
    sqlite3_stmt *st = prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
    bind_text(st, 1, table);
    bind_text(st, 2, col);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The petitions.id of e-number, or exit. */
static int64_t
petition_id(long e_number)
{
    sqlite3_stmt *st = prepare("SELECT id FROM petitions WHERE e_number = ?1");
    sqlite3_bind_int64(st, 1, e_number);
    if (sqlite3_step(st) != SQLITE_ROW) {
        fprintf(stderr, "sqlite_baseline: no petition e-%ld in the database\n", e_number);
        exit(1);
    }
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* After a load: each region's count grows by its new rows (all confirmed
 * and cleared, so all counted), and the total by their sum, as the server
 * moves them; `petitiond counts check` then finds no drift. */
static void
add_counts(int64_t pid, const long long *added)
{
    sqlite3_stmt *st =
        prepare("INSERT INTO petition_counts (petition_id, region, count) VALUES (?1, ?2, ?3)"
                " ON CONFLICT (petition_id, region) DO UPDATE SET count = count + excluded.count");
    long long total = 0;
    for (int i = 0; i < REGION_CHOICES; i++) {
        if (!added[i])
            continue;
        sqlite3_bind_int64(st, 1, pid);
        bind_text(st, 2, regions[i][0]);
        sqlite3_bind_int64(st, 3, added[i]);
        step_done(st, "counts");
        total += added[i];
    }
    sqlite3_finalize(st);
    st = prepare("UPDATE petitions SET signature_total = signature_total + ?2 WHERE id = ?1");
    sqlite3_bind_int64(st, 1, pid);
    sqlite3_bind_int64(st, 2, total);
    step_done(st, "total");
    sqlite3_finalize(st);
}

int
main(int argc, char **argv)
{
    static const char sig_sql[] =
        "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
        " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
        " flag, mails) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17)";
    static const char outbox_sql[] =
        "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang, subject, body,"
        " next_try_at) VALUES (?1, 'signature-confirm', ?2, ?3, ?4, '', '', ?1)";
    static const char outbox_id_sql[] =
        "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang, subject, body,"
        " next_try_at, signature_id) VALUES (?1, 'signature-confirm', ?2, ?3, ?4, '', '', ?1,"
        " ?5)";
    enum mode mode;
    long e_number = 6512;
    long long n;
    int batch = 100;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: sqlite_baseline rows|outbox|pending|load DB N [E-NUMBER]\n");
        return 2;
    }
    if (strcmp(argv[1], "rows") == 0)
        mode = MODE_ROWS;
    else if (strcmp(argv[1], "outbox") == 0)
        mode = MODE_OUTBOX;
    else if (strcmp(argv[1], "pending") == 0)
        mode = MODE_PENDING;
    else if (strcmp(argv[1], "load") == 0)
        mode = MODE_LOAD;
    else {
        fprintf(stderr, "sqlite_baseline: unknown mode %s\n", argv[1]);
        return 2;
    }
    n = atoll(argv[3]);
    if (argc == 5)
        e_number = atol(argv[4][0] == 'e' || argv[4][0] == 'E' ? argv[4] + 2 : argv[4]);
    if (n <= 0 || e_number <= 0) {
        fprintf(stderr, "sqlite_baseline: N and E-NUMBER must be positive\n");
        return 2;
    }

    /* As conn_open, and WAL as the server sets it once. */
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        fail(argv[2]);
    sqlite3_extended_result_codes(db, 1);
    exec("PRAGMA foreign_keys = ON;"
         "PRAGMA synchronous = FULL;"
         "PRAGMA busy_timeout = 10000;");
    exec("PRAGMA journal_mode = WAL");
    if (mode == MODE_LOAD) {
        exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144");
        batch = 10000;
    }

    int64_t pid = petition_id(e_number);
    bool with_outbox = mode == MODE_OUTBOX;
    bool outbox_has_sig = with_outbox && has_column("outbox", "signature_id");
    sqlite3_stmt *sig = prepare(sig_sql);
    sqlite3_stmt *out = with_outbox ? prepare(outbox_has_sig ? outbox_id_sql : outbox_sql) : NULL;
    sqlite3_stmt *begin = prepare("BEGIN IMMEDIATE");
    sqlite3_stmt *commit = prepare("COMMIT");
    long long batches = (n + batch - 1) / batch;
    double *commit_ms = malloc((size_t)batches * sizeof(double));
    if (!commit_ms)
        fail("out of memory");

    /* A prefix unique to this process, so several runs can share a database. */
    char run[48];
    snprintf(run, sizeof(run), "b%lx%x", (unsigned long)time(NULL), (unsigned)getpid());
    int64_t created = (int64_t)time(NULL);
    double t0 = now_s();
    long long done = 0, nb = 0, added[REGION_CHOICES] = {0};
    while (done < n) {
        step_done(begin, "begin");
        for (int k = 0; k < batch && done < n; k++, done++) {
            char email[96], ip[32];
            int ri = (int)((done * 7) % REGION_CHOICES);
            const char *const *r = regions[ri];
            const char *lang = done % 4 == 3 ? "fr" : "en";
            uint32_t a = (uint32_t)(done % (1u << 24));
            /* Loaded keys sort in insertion order (appends to the index: a
             * faster set-up); measured ones are as scattered as real ones. */
            if (mode == MODE_LOAD)
                snprintf(email, sizeof(email), "%s-%010lld@example.ca", run, done);
            else
                snprintf(email, sizeof(email), "%s-%lld@example.ca", run, done);
            snprintf(ip, sizeof(ip), "10.%u.%u.%u", a >> 16, (a >> 8) & 255, a & 255);
            sqlite3_bind_int64(sig, 1, pid);
            bind_text(sig, 2, email);
            bind_text(sig, 3, email);
            bind_text(sig, 4, "Ada");
            bind_text(sig, 5, "Baseline");
            bind_text(sig, 6, "Canada");
            bind_text(sig, 7, r[0]);
            bind_text(sig, 8, r[1]);
            bind_text(sig, 9, "613-555-0100");
            bind_text(sig, 10, lang);
            bind_text(sig, 11, ip);
            bind_text(sig, 12, ip);
            sqlite3_bind_int64(sig, 13, created);
            if (mode == MODE_LOAD) {
                sqlite3_bind_int64(sig, 14, created + 60);
                added[ri]++;
            } else
                sqlite3_bind_null(sig, 14);
            bind_text(sig, 15, "clear");
            sqlite3_bind_null(sig, 16);
            sqlite3_bind_int(sig, 17, 1);
            step_done(sig, "signature insert");
            if (out) {
                sqlite3_bind_int64(out, 1, created);
                bind_text(out, 2, email);
                bind_text(out, 3, "Ada Baseline");
                bind_text(out, 4, lang);
                if (outbox_has_sig)
                    sqlite3_bind_int64(out, 5, sqlite3_last_insert_rowid(db));
                step_done(out, "outbox insert");
            }
        }
        if (mode == MODE_LOAD && done == n)
            add_counts(pid, added);
        double c0 = now_s();
        step_done(commit, "commit");
        commit_ms[nb++] = (now_s() - c0) * 1000;
    }
    double secs = now_s() - t0;

    qsort(commit_ms, (size_t)nb, sizeof(double), cmp_double);
    printf("mode=%s rows=%lld batch=%d outbox_signature_id=%s seconds=%.3f rows_per_s=%.0f "
           "commit_p50_ms=%.2f commit_p99_ms=%.2f commit_max_ms=%.2f\n",
           argv[1], n, batch, outbox_has_sig ? "yes" : "no", secs, (double)n / secs,
           commit_ms[nb / 2], commit_ms[(size_t)((double)nb * 0.99)], commit_ms[nb - 1]);
    free(commit_ms);
    sqlite3_finalize(sig);
    sqlite3_finalize(out);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    return 0;
}
