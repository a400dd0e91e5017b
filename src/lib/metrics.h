/*
 * metrics.h: the process's counters and histograms, and the Prometheus
 * text exposition format (version 0.0.4) they are read in.
 *
 * Two halves.  The writer (metrics_family(), metrics_sample_*(),
 * metrics_histogram_write()) appends a metric family's "# HELP" and
 * "# TYPE" lines and its samples to a strbuf, escaping label values
 * (backslash, double quote, new line) and help texts (backslash, new
 * line) as the format says; a histogram's buckets come out cumulative,
 * ending with le="+Inf", then _sum and _count, _count always equal to the
 * +Inf bucket.  It keeps no state and may be used from any thread.
 *
 * The registry is one struct metrics for the whole process, the global
 * `metrics` below, zero at start.  The layers record into it where things
 * happen (the server each answer, the signature writer each batch, the
 * mail thread each failure, the store each error, the scheduler each
 * run); the metrics page (web/metrics_pages.h) writes it with
 * metrics_write() and adds the figures it reads when scraped (queues,
 * the counts' last check).  Every field is a relaxed atomic: recording
 * is an atomic add, never a lock, from any thread.  A scrape reads the
 * fields one by one, so figures recorded during it may show in one
 * family and not yet in another; each histogram is read so that its
 * buckets, _count and the +Inf bucket agree.
 *
 * Nothing personal is recorded: the labels are route patterns (never the
 * path), methods, status codes and fixed names.
 */
#ifndef PETITIOND_METRICS_H
#define PETITIOND_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

struct strbuf;

/* ---- the writer -------------------------------------------------------------------------- */

struct metrics_label {
    const char *name;  /* [a-zA-Z_][a-zA-Z0-9_]*, not checked */
    const char *value; /* any UTF-8; escaped on output */
};

/* "# HELP name help" and "# TYPE name type" (type: "counter", "gauge",
 * "histogram"). */
void metrics_family(struct strbuf *sb, const char *name, const char *type, const char *help);

/* One sample line: name{labels} value.  nlabels may be 0 (no braces). */
void metrics_sample_u64(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                        int nlabels, uint64_t value);
void metrics_sample_i64(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                        int nlabels, int64_t value);
void metrics_sample_double(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                           int nlabels, double value);

/*
 * A histogram's shape: n upper bounds (le) in the unit exported,
 * ascending, at most METRICS_MAX_BOUNDS; +Inf is implied.  Values are
 * observed as integers in a unit scale times smaller (scale 1e6:
 * microseconds observed, seconds exported; scale 1: counts).
 */
enum { METRICS_MAX_BOUNDS = 16 };
struct metrics_bounds {
    const double *le;
    int n;
    double scale;
};

/* One histogram's figures: per-bucket counts (not cumulative; the last
 * is +Inf) and the sum of the values observed, in the observed unit.
 * Zero is empty. */
struct metrics_buckets {
    _Atomic uint64_t n[METRICS_MAX_BOUNDS + 1];
    _Atomic uint64_t sum;
};

/* Record value v (in the observed unit). */
void metrics_observe(const struct metrics_bounds *b, struct metrics_buckets *h, uint64_t v);

/* name_bucket{labels,le="..."} for each bound and +Inf (cumulative),
 * name_sum{labels} (in the exported unit) and name_count{labels}. */
void metrics_histogram_write(struct strbuf *sb, const char *name,
                             const struct metrics_label *labels, int nlabels,
                             const struct metrics_bounds *b, struct metrics_buckets *h);

/* ---- the process's metrics ------------------------------------------------------------- */

enum {
    METRICS_MAX_ROUTES = 96, /* route 0 is "none"; 1.. those metrics_routes() names */
    METRICS_METHODS = 4,     /* GET, HEAD, POST, other */
    METRICS_STATUSES = 500,  /* 100..599 */
};

enum metrics_method { METRICS_GET, METRICS_HEAD, METRICS_POST, METRICS_OTHER };

/* What the store's errors were (metrics_db_error()). */
enum metrics_db_error_kind {
    METRICS_DB_UNAVAILABLE, /* the database went away (ERR_UNAVAILABLE) */
    METRICS_DB_CONFLICT,    /* a unique key, a serialization failure, a deadlock */
    METRICS_DB_CONSTRAINT,  /* another constraint */
    METRICS_DB_OTHER,       /* anything else: the disk, a busy database, a bug */
    METRICS_DB_KINDS
};

/* The scheduler's jobs (jobs/scheduler.c), each with the time of its
 * last run.  When the scheduler's jobs come to run under leases shared
 * by the nodes, the lease holder is the node whose last run moves. */
enum metrics_job {
    METRICS_JOB_DEADLINES,     /* drafts' deadlines */
    METRICS_JOB_CLOSING,       /* petitions closing, certification */
    METRICS_JOB_COUNTS_CHECK,  /* the hourly reconciliation of counts with rows */
    METRICS_JOB_COUNTS_MEMORY, /* the counts in memory against the stored counts */
    METRICS_JOB_RETENTION,     /* the daily erasure */
    METRICS_JOBS
};

struct metrics {
    /* The route labels, set once before serving (metrics_routes()). */
    const char *routes[METRICS_MAX_ROUTES];
    int route_count;
    /* Answers by route, method and status; their latency. */
    _Atomic uint64_t requests[METRICS_MAX_ROUTES][METRICS_METHODS][METRICS_STATUSES];
    struct metrics_buckets latency[METRICS_MAX_ROUTES][METRICS_METHODS];
    /* The signature writer (workflow/intake.c). */
    struct metrics_buckets batch_size;
    struct metrics_buckets commit_seconds;
    _Atomic uint64_t signatures;    /* signing jobs written without error */
    _Atomic uint64_t confirmations; /* confirmations that counted a signature */
    /* The mail thread (jobs/delivery.c): attempts that failed. */
    _Atomic uint64_t mail_failures_temporary;
    _Atomic uint64_t mail_failures_permanent;
    /* The store. */
    _Atomic uint64_t db_errors[METRICS_DB_KINDS];
    _Atomic uint64_t db_reconnects;
    /* The page cache (http/cache.c). */
    _Atomic uint64_t cache_hits;
    _Atomic uint64_t cache_misses;
    /* The reconciliation (jobs/scheduler.c): petitions whose stored counts
     * differed from their rows. */
    _Atomic uint64_t counts_drift;
    /* Each job's last run, on the site's clock (Unix seconds; 0: never). */
    _Atomic int64_t job_last_run[METRICS_JOBS];
};

/* The process's metrics. */
extern struct metrics metrics;

/* Name the routes: route i + 1 is patterns[i] (which must outlive the
 * process; at most METRICS_MAX_ROUTES - 1, more are ignored).  Call once,
 * before serving. */
void metrics_routes(const char *const *patterns, int n);

/* An answer of the given route (0: none), method and status (100..599;
 * anything else is recorded as 500), after us microseconds. */
void metrics_request(int route, enum metrics_method method, int status, int64_t us);

/* An error the store reported, by its enum err_code (lib/err.h). */
void metrics_db_error(int code);

/* Add n to a counter. */
static inline void
metrics_add(_Atomic uint64_t *counter, uint64_t n)
{
    atomic_fetch_add_explicit(counter, n, memory_order_relaxed);
}

/* Set a job's last run. */
static inline void
metrics_job_ran(enum metrics_job job, int64_t now)
{
    atomic_store_explicit(&metrics.job_last_run[job], now, memory_order_relaxed);
}

/* The observed bounds of the histograms above. */
extern const struct metrics_bounds metrics_latency_bounds; /* seconds, observed in us */
extern const struct metrics_bounds metrics_batch_bounds;   /* jobs */
extern const struct metrics_bounds metrics_commit_bounds;  /* seconds, observed in us */

/* Write every family of m (those that are zero too, but for the series of
 * routes never answered). */
void metrics_write(struct strbuf *sb, struct metrics *m);

#endif
