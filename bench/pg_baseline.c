/*
 * pg_baseline.c: the raw PostgreSQL ceiling of the surge benchmark
 * (bench/surge.sh), and its database loader (bench/big_petition.sh): what
 * PostgreSQL itself does with the rows petitiond's intake writes, with
 * nothing of petitiond in between.
 *
 *   pg_baseline [-b BATCH] [-c CONNS] [-s] [-m] [-l] MODE URI N [E-NUMBER]
 *
 * URI is a database made by `petitiond migrate --db URI` (and `demo`), so
 * it has the server's schema, indexes and triggers; E-NUMBER (default
 * e-6512) is the petition the rows go to.  Each connection is set up as
 * the server sets up its own (src/store/pg/backend.c: UTC, UTF8) and
 * leaves synchronous_commit as the server has it (on, the default).  The
 * signature rows are the server's: its INSERT statement verbatim
 * (pg_signature_insert in src/store/pg/signing.c, ON CONFLICT DO NOTHING
 * RETURNING id), prepared once per connection, one statement per row;
 * every row has its own e-mail address, client address (10.0.0.0/8) and
 * a province chosen as bench/sign.lua chooses them.
 *
 * MODE:
 *   rows     N pending signature rows in transactions of BATCH (100),
 *            from CONNS connections (1) at once, each writing its share:
 *            the ceiling the server's intake is compared with.  The
 *            statements of a transaction (BEGIN, the inserts, COMMIT) go
 *            in libpq's pipeline mode, so a row costs the server its work
 *            and no round trip of its own; -s sends them one at a time,
 *            waiting for each answer, as the server's store does.
 *   outbox   the same, plus per signature the outbox row of its
 *            confirmation e-mail (as src/store/pg/mail.c inserts it: kind
 *            'signature-confirm', subject and body empty, signature_id the
 *            row just inserted).
 *   pending  like rows, into a live server's database (more pending
 *            signatures for the confirmation benchmark).
 *   load     N confirmed, cleared signatures with COPY (one connection,
 *            transactions of 1,000,000 rows, synchronous_commit off for
 *            its session: set-up, not measured); the petition's
 *            petition_counts, signature_total and today's petition_days
 *            row grow by them in the transaction of the last rows, so
 *            `petitiond counts check` finds no drift.
 *
 * -m (rows and pending) sends each transaction's rows as one multi-row
 * INSERT of the same columns, ON CONFLICT and RETURNING (what batching the
 * intake's inserts into one statement would give; not the server's way).
 *
 * -l begins every transaction as the server's write transactions begin
 * (SELECT ... FROM write_lock WHERE id = 1 FOR UPDATE), so the
 * connections write one after another as petitiond's writers do.
 *
 * Prints one line of name=value pairs: rows, seconds, rows_per_s and the
 * p50/p99/max of a whole transaction (BEGIN to COMMIT's answer) in
 * milliseconds.  Links only libpq.
 */
#include <libpq-fe.h>
#include <pthread.h>
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

enum { MAX_CONNS = 64, MAX_BATCH = 100000, LOAD_TXN = 1000000, COPY_FLUSH = 256 * 1024 };

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

/* The server's statements (src/store/pg/signing.c, src/store/pg/mail.c). */
static const char sig_sql[] =
    "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
    " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
    " flag, mails) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " $15, $16, $17) ON CONFLICT (petition_id, email_key) DO NOTHING RETURNING id";
/* The signature's id is the identity sequence's current value: in a
 * pipeline the statement is sent before the insert's answer is read. */
static const char outbox_sql[] =
    "INSERT INTO outbox (created_at, kind, to_addr, to_name, lang, subject, body, next_try_at,"
    " mailing_id, signature_id) VALUES ($1, 'signature-confirm', $2, $3, $4, '', '', $1, NULL,"
    " currval(pg_get_serial_sequence('signatures', 'id'))) RETURNING id";
static const char lock_sql[] = "SELECT id FROM write_lock WHERE id = 1 FOR UPDATE";

/* What every connection shares. */
static struct {
    const char *uri;
    enum mode mode;
    int batch;
    bool sync;     /* -s: one statement at a time */
    bool multi;    /* -m: one INSERT per transaction */
    bool lock;     /* -l: the write_lock row first */
    int64_t pid;   /* petitions.id */
    int64_t created;
    char run[48];  /* e-mail prefix unique to this process */
} g;

/* One connection's work and what it measured. */
struct worker {
    pthread_t thread;
    int index;
    long long first, n; /* its rows: first .. first + n - 1 of the run */
    double *txn_ms;     /* per transaction */
    long long ntxn;
    const char *error;  /* NULL when it went well */
    char message[512];
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Noreturn void
die(const char *what, PGconn *db)
{
    fprintf(stderr, "pg_baseline: %s: %s\n", what, db ? PQerrorMessage(db) : "out of memory");
    exit(1);
}

/* Keep a worker's error (the first) and return -1. */
static int
worker_fail(struct worker *w, const char *what, PGconn *db, const PGresult *res)
{
    if (!w->error) {
        const char *msg = res ? PQresultErrorMessage(res) : "";
        snprintf(w->message, sizeof(w->message), "%s", *msg ? msg : PQerrorMessage(db));
        w->error = what;
    }
    return -1;
}

static PGconn *
connect_db(void)
{
    PGconn *db = PQconnectdb(g.uri);
    if (PQstatus(db) != CONNECTION_OK)
        die(g.uri, db);
    PGresult *res = PQexec(db, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8';"
                               " SET application_name = 'pg_baseline'");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        die("session settings", db);
    PQclear(res);
    return db;
}

static void
exec_ok(PGconn *db, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        die(sql, db);
    PQclear(res);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The petitions.id of e-number, or exit. */
static int64_t
petition_id(PGconn *db, long e_number)
{
    char num[32];
    const char *v[1] = {num};
    snprintf(num, sizeof(num), "%ld", e_number);
    PGresult *res =
        PQexecParams(db, "SELECT id FROM petitions WHERE e_number = $1::bigint", 1, NULL, v,
                     NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die("petition", db);
    if (PQntuples(res) != 1) {
        fprintf(stderr, "pg_baseline: no petition e-%ld in the database\n", e_number);
        exit(1);
    }
    int64_t id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return id;
}

/* The values of row i of the run (its e-mail, address, region, language). */
struct row {
    char email[96], ip[32];
    int region;
    const char *lang;
};

static void
make_row(struct row *r, long long i)
{
    uint32_t a = (uint32_t)(i % (1u << 24));
    r->region = (int)((i * 7) % REGION_CHOICES);
    r->lang = i % 4 == 3 ? "fr" : "en";
    /* Loaded keys sort in insertion order (appends to the index: a faster
     * set-up); measured ones are as scattered as real ones. */
    if (g.mode == MODE_LOAD)
        snprintf(r->email, sizeof(r->email), "%s-%010lld@example.ca", g.run, i);
    else
        snprintf(r->email, sizeof(r->email), "%s-%lld@example.ca", g.run, i);
    snprintf(r->ip, sizeof(r->ip), "10.%u.%u.%u", a >> 16, (a >> 8) & 255, a & 255);
}

/* Send (or, with -s, run) a statement of the transaction. */
static int
send_sql(struct worker *w, PGconn *db, const char *sql)
{
    if (g.sync) {
        PGresult *res = PQexec(db, sql);
        ExecStatusType st = PQresultStatus(res);
        int r = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : worker_fail(w, sql, db, res);
        PQclear(res);
        return r;
    }
    if (!PQsendQueryParams(db, sql, 0, NULL, NULL, NULL, NULL, 0))
        return worker_fail(w, sql, db, NULL);
    return 0;
}

static int
send_prepared(struct worker *w, PGconn *db, const char *name, int n, const char *const *v)
{
    if (g.sync) {
        PGresult *res = PQexecPrepared(db, name, n, v, NULL, NULL, 0);
        int r = PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : worker_fail(w, name, db, res);
        PQclear(res);
        return r;
    }
    if (!PQsendQueryPrepared(db, name, n, v, NULL, NULL, 0))
        return worker_fail(w, name, db, NULL);
    return 0;
}

/* In pipeline mode: read the answers of a transaction's statements up to
 * the sync; -1 when one of them failed. */
static int
read_pipeline(struct worker *w, PGconn *db)
{
    int r = 0;
    for (;;) {
        PGresult *res = PQgetResult(db);
        if (!res) /* the end of one statement's results */
            continue;
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            return r;
        }
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !r)
            r = worker_fail(w, "pipeline", db, res);
        PQclear(res);
        if (PQstatus(db) != CONNECTION_OK)
            return worker_fail(w, "connection", db, NULL);
    }
}

/* The multi-row INSERT of n rows: sig_sql with n tuples of values. */
static char *
multi_sql(int n)
{
    static const char head[] =
        "INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country,"
        " region, postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review,"
        " flag, mails) VALUES ";
    static const char tail[] = " ON CONFLICT (petition_id, email_key) DO NOTHING RETURNING id";
    size_t cap = sizeof(head) + sizeof(tail) + (size_t)n * 17 * 8 + 16, len;
    char *sql = malloc(cap);
    if (!sql)
        die("out of memory", NULL);
    len = (size_t)snprintf(sql, cap, "%s", head);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 17; j++)
            len += (size_t)snprintf(sql + len, cap - len, "%s$%d%s", j ? "" : i ? ",(" : "(",
                                    i * 17 + j + 1, j == 16 ? ")" : ", ");
    snprintf(sql + len, cap - len, "%s", tail);
    return sql;
}

/* Prepare statement name as sql, or exit. */
static void
prepare(PGconn *db, const char *name, const char *sql, int nparams)
{
    PGresult *res = PQprepare(db, name, sql, nparams, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        die(name, db);
    PQclear(res);
}

/* One connection writes its share of the rows, a transaction at a time. */
static void *
worker_run(void *arg)
{
    struct worker *w = arg;
    PGconn *db = connect_db();
    /* -m: a statement for a whole batch and one for the last rows. */
    int tail = (int)(w->n % g.batch);
    struct row *rows = NULL;
    const char **mv = NULL;
    prepare(db, "sig", sig_sql, 17);
    if (g.mode == MODE_OUTBOX)
        prepare(db, "out", outbox_sql, 4);
    if (g.multi) {
        char *sql = multi_sql(g.batch);
        prepare(db, "sigm", sql, 17 * g.batch);
        free(sql);
        if (tail) {
            sql = multi_sql(tail);
            prepare(db, "sigt", sql, 17 * tail);
            free(sql);
        }
        rows = malloc((size_t)g.batch * sizeof(*rows));
        mv = malloc((size_t)g.batch * 17 * sizeof(*mv));
        if (!rows || !mv)
            die("out of memory", NULL);
    }
    if (!g.sync && !PQenterPipelineMode(db))
        die("pipeline mode", db);

    char created[24], pid[24];
    snprintf(created, sizeof(created), "%lld", (long long)g.created);
    snprintf(pid, sizeof(pid), "%lld", (long long)g.pid);
    long long done = 0;
    while (done < w->n && !w->error) {
        double t0 = now_s();
        if (send_sql(w, db, "BEGIN ISOLATION LEVEL READ COMMITTED") ||
            (g.lock && send_sql(w, db, lock_sql)))
            break;
        int k;
        for (k = 0; k < g.batch && done < w->n; k++, done++) {
            struct row one, *rp = g.multi ? &rows[k] : &one;
            make_row(rp, w->first + done);
            const char *const *reg = regions[rp->region];
            const char *v[17] = {pid,    rp->email, rp->email, "Ada",  "Baseline", "Canada",
                                 reg[0], reg[1],    "613-555-0100",    rp->lang,   rp->ip,
                                 rp->ip, created,   NULL,      "clear", NULL,       "1"};
            if (g.multi) {
                memcpy(mv + 17 * k, v, sizeof(v));
                continue;
            }
            if (send_prepared(w, db, "sig", 17, v))
                break;
            if (g.mode == MODE_OUTBOX) {
                const char *o[4] = {created, rp->email, "Ada Baseline", rp->lang};
                if (send_prepared(w, db, "out", 4, o))
                    break;
            }
        }
        if (g.multi && !w->error && send_prepared(w, db, k == g.batch ? "sigm" : "sigt", 17 * k, mv))
            break;
        if (w->error || send_sql(w, db, "COMMIT"))
            break;
        if (!g.sync) {
            if (!PQpipelineSync(db)) {
                worker_fail(w, "sync", db, NULL);
                break;
            }
            if (read_pipeline(w, db))
                break;
        }
        w->txn_ms[w->ntxn++] = (now_s() - t0) * 1000;
    }
    free(rows);
    free(mv);
    PQfinish(db);
    return NULL;
}

/* Rows of a COPY in its text format: no value here needs escaping. */
static void
copy_put(PGconn *db, const char *buf, size_t len)
{
    if (PQputCopyData(db, buf, (int)len) != 1)
        die("COPY data", db);
}

/* load: n confirmed, cleared rows, then the counts they move. */
static void
load(PGconn *db, long long n)
{
    static const char counts_sql[] =
        "INSERT INTO petition_counts AS k (petition_id, region, count) VALUES ($1, $2, $3)"
        " ON CONFLICT (petition_id, region) DO UPDATE SET count = k.count + excluded.count";
    static const char total_sql[] =
        "UPDATE petitions SET signature_total = signature_total + $2::bigint WHERE id = $1";
    /* As migration 0006 dates a confirmation: Eastern Standard Time. */
    static const char day_sql[] =
        "INSERT INTO petition_days AS y (petition_id, day, region, delta) VALUES ($1,"
        " to_char(to_timestamp($4::bigint - 5 * 3600) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), $2, $3)"
        " ON CONFLICT (petition_id, day, region) DO UPDATE SET delta = y.delta + excluded.delta";
    long long added[REGION_CHOICES] = {0};
    size_t cap = COPY_FLUSH + 1024, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        die("buffer", NULL);
    exec_ok(db, "SET synchronous_commit = off");
    for (long long done = 0; done < n;) {
        exec_ok(db, "BEGIN");
        PGresult *res = PQexec(db, "COPY signatures (petition_id, email_key, email, first_name,"
                                   " last_name, country, region, postal_code, phone, lang, ip,"
                                   " rate_key, created_at, confirmed_at, review, flag, mails)"
                                   " FROM STDIN");
        if (PQresultStatus(res) != PGRES_COPY_IN)
            die("COPY", db);
        PQclear(res);
        long long end = done + LOAD_TXN < n ? done + LOAD_TXN : n;
        for (; done < end; done++) {
            struct row r;
            make_row(&r, done);
            const char *const *reg = regions[r.region];
            added[r.region]++;
            len += (size_t)snprintf(buf + len, cap - len,
                                    "%lld\t%s\t%s\tAda\tBaseline\tCanada\t%s\t%s\t613-555-0100"
                                    "\t%s\t%s\t%s\t%lld\t%lld\tclear\t\\N\t1\n",
                                    (long long)g.pid, r.email, r.email, reg[0], reg[1], r.lang,
                                    r.ip, r.ip, (long long)g.created, (long long)g.created + 60);
            if (len >= COPY_FLUSH) {
                copy_put(db, buf, len);
                len = 0;
            }
        }
        if (len)
            copy_put(db, buf, len);
        len = 0;
        if (PQputCopyEnd(db, NULL) != 1)
            die("COPY end", db);
        while ((res = PQgetResult(db))) {
            if (PQresultStatus(res) != PGRES_COMMAND_OK)
                die("COPY", db);
            PQclear(res);
        }
        if (done == n) {
            /* Each region's count and today's change grow by its new rows
             * (all confirmed and cleared, so all counted), the total by
             * their sum, as the server moves them. */
            char pid[24], cnt[24], when[24], tot[24];
            long long total = 0;
            snprintf(pid, sizeof(pid), "%lld", (long long)g.pid);
            snprintf(when, sizeof(when), "%lld", (long long)g.created + 60);
            for (int i = 0; i < REGION_CHOICES; i++) {
                if (!added[i])
                    continue;
                snprintf(cnt, sizeof(cnt), "%lld", added[i]);
                const char *v[4] = {pid, regions[i][0], cnt, when};
                total += added[i];
                res = PQexecParams(db, counts_sql, 3, NULL, v, NULL, NULL, 0);
                if (PQresultStatus(res) != PGRES_COMMAND_OK)
                    die("counts", db);
                PQclear(res);
                res = PQexecParams(db, day_sql, 4, NULL, v, NULL, NULL, 0);
                if (PQresultStatus(res) != PGRES_COMMAND_OK)
                    die("days", db);
                PQclear(res);
                added[i] = 0;
            }
            snprintf(tot, sizeof(tot), "%lld", total);
            const char *v[2] = {pid, tot};
            res = PQexecParams(db, total_sql, 2, NULL, v, NULL, NULL, 0);
            if (PQresultStatus(res) != PGRES_COMMAND_OK)
                die("total", db);
            PQclear(res);
        }
        exec_ok(db, "COMMIT");
    }
    free(buf);
    /* The planner's statistics for the rows just loaded. */
    exec_ok(db, "ANALYZE signatures");
}

static void
usage(void)
{
    fprintf(stderr, "usage: pg_baseline [-b BATCH] [-c CONNS] [-s] [-m] [-l] rows|outbox|pending|load"
                    " URI N [E-NUMBER]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    enum mode mode;
    long e_number = 6512;
    long long n;
    int conns = 1, opt;

    g.batch = 100;
    while ((opt = getopt(argc, argv, "b:c:sml")) != -1) {
        switch (opt) {
        case 'b':
            g.batch = atoi(optarg);
            break;
        case 'c':
            conns = atoi(optarg);
            break;
        case 's':
            g.sync = true;
            break;
        case 'm':
            g.multi = true;
            break;
        case 'l':
            g.lock = true;
            break;
        default:
            usage();
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 3 || argc > 4)
        usage();
    if (strcmp(argv[0], "rows") == 0)
        mode = MODE_ROWS;
    else if (strcmp(argv[0], "outbox") == 0)
        mode = MODE_OUTBOX;
    else if (strcmp(argv[0], "pending") == 0)
        mode = MODE_PENDING;
    else if (strcmp(argv[0], "load") == 0)
        mode = MODE_LOAD;
    else {
        fprintf(stderr, "pg_baseline: unknown mode %s\n", argv[0]);
        return 2;
    }
    n = atoll(argv[2]);
    if (argc == 4)
        e_number = atol(argv[3][0] == 'e' || argv[3][0] == 'E' ? argv[3] + 2 : argv[3]);
    if (n <= 0 || e_number <= 0 || g.batch <= 0 || g.batch > MAX_BATCH || conns <= 0 ||
        conns > MAX_CONNS) {
        fprintf(stderr, "pg_baseline: N, E-NUMBER, BATCH (at most %d) and CONNS (at most %d)"
                        " must be positive\n",
                MAX_BATCH, MAX_CONNS);
        return 2;
    }
    g.uri = argv[1];
    g.mode = mode;
    if (g.multi && (mode == MODE_OUTBOX || mode == MODE_LOAD || g.batch > 65535 / 17)) {
        fprintf(stderr, "pg_baseline: -m is for rows and pending, batches of at most %d\n",
                65535 / 17);
        return 2;
    }

    PGconn *db = connect_db();
    g.pid = petition_id(db, e_number);
    g.created = (int64_t)time(NULL);
    /* A prefix unique to this process, so several runs can share a database. */
    snprintf(g.run, sizeof(g.run), "p%lx%x", (unsigned long)time(NULL), (unsigned)getpid());

    if (mode == MODE_LOAD) {
        double t0 = now_s();
        load(db, n);
        double secs = now_s() - t0;
        printf("mode=load rows=%lld seconds=%.3f rows_per_s=%.0f\n", n, secs, (double)n / secs);
        PQfinish(db);
        return 0;
    }
    PQfinish(db);

    /* The connections, each with its share of the rows. */
    struct worker w[MAX_CONNS];
    memset(w, 0, sizeof(w));
    long long first = 0;
    for (int i = 0; i < conns; i++) {
        w[i].index = i;
        w[i].first = first;
        w[i].n = n / conns + (i < n % conns);
        first += w[i].n;
        w[i].txn_ms = malloc((size_t)(w[i].n / g.batch + 2) * sizeof(double));
        if (!w[i].txn_ms)
            die("out of memory", NULL);
    }
    double t0 = now_s();
    for (int i = 0; i < conns; i++)
        if (pthread_create(&w[i].thread, NULL, worker_run, &w[i]) != 0)
            die("thread", NULL);
    for (int i = 0; i < conns; i++)
        pthread_join(w[i].thread, NULL);
    double secs = now_s() - t0;

    long long ntxn = 0;
    int status = 0;
    for (int i = 0; i < conns; i++) {
        ntxn += w[i].ntxn;
        if (w[i].error) {
            fprintf(stderr, "pg_baseline: connection %d: %s: %s", i, w[i].error, w[i].message);
            status = 1;
        }
    }
    if (status || !ntxn)
        return 1;
    double *all = malloc((size_t)ntxn * sizeof(double));
    if (!all)
        die("out of memory", NULL);
    long long k = 0;
    for (int i = 0; i < conns; i++) {
        memcpy(all + k, w[i].txn_ms, (size_t)w[i].ntxn * sizeof(double));
        k += w[i].ntxn;
        free(w[i].txn_ms);
    }
    qsort(all, (size_t)ntxn, sizeof(double), cmp_double);
    printf("mode=%s rows=%lld batch=%d conns=%d send=%s insert=%s write_lock=%s seconds=%.3f"
           " rows_per_s=%.0f txn_p50_ms=%.2f txn_p99_ms=%.2f txn_max_ms=%.2f\n",
           argv[0], n, g.batch, conns, g.sync ? "one-by-one" : "pipeline",
           g.multi ? "multi-row" : "row", g.lock ? "yes" : "no",
           secs, (double)n / secs, all[ntxn / 2], all[(size_t)((double)ntxn * 0.99)],
           all[ntxn - 1]);
    free(all);
    return 0;
}
