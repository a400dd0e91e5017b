/*
 * metrics.c: the process's metrics and the Prometheus text format; see
 * metrics.h.
 */
#include "lib/metrics.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

struct metrics metrics;

/* Request latency: 1 ms to 10 s.  A page from memory takes well under
 * 1 ms; a signature waits for its batch's commit. */
static const double latency_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                    0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const struct metrics_bounds metrics_latency_bounds = {
    latency_le, (int)(sizeof(latency_le) / sizeof(latency_le[0])), 1e6};

/* Jobs per batch: 1 (a lone signature) to the default bound, 1000. */
static const double batch_le[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
const struct metrics_bounds metrics_batch_bounds = {
    batch_le, (int)(sizeof(batch_le) / sizeof(batch_le[0])), 1};

/* A commit: the disk's flush or the database's round trip (with a
 * synchronous standby, two). */
static const double commit_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,   0.25,   0.5,   1,    2.5};
const struct metrics_bounds metrics_commit_bounds = {
    commit_le, (int)(sizeof(commit_le) / sizeof(commit_le[0])), 1e6};

/* ---- the writer ------------------------------------------------------------------------------ */

/* A HELP text (quote false: backslash and new line escaped) or a label
 * value (quote true: the double quote too). */
static void
escape(struct strbuf *sb, const char *s, bool quote)
{
    for (; *s; s++) {
        if (*s == '\\')
            sb_adds(sb, "\\\\");
        else if (*s == '\n')
            sb_adds(sb, "\\n");
        else if (*s == '"' && quote)
            sb_adds(sb, "\\\"");
        else
            sb_addch(sb, *s);
    }
}

void
metrics_family(struct strbuf *sb, const char *name, const char *type, const char *help)
{
    sb_adds(sb, "# HELP ");
    sb_adds(sb, name);
    sb_addch(sb, ' ');
    escape(sb, help, false);
    sb_adds(sb, "\n# TYPE ");
    sb_adds(sb, name);
    sb_addch(sb, ' ');
    sb_adds(sb, type);
    sb_addch(sb, '\n');
}

/* name{labels[,extra="value"]} and a space. */
static void
sample_head(struct strbuf *sb, const char *name, const char *suffix,
            const struct metrics_label *labels, int nlabels, const char *extra_name,
            const char *extra_value)
{
    sb_adds(sb, name);
    sb_adds(sb, suffix);
    if (nlabels > 0 || extra_name) {
        sb_addch(sb, '{');
        for (int i = 0; i < nlabels; i++) {
            if (i)
                sb_addch(sb, ',');
            sb_adds(sb, labels[i].name);
            sb_adds(sb, "=\"");
            escape(sb, labels[i].value, true);
            sb_addch(sb, '"');
        }
        if (extra_name) {
            if (nlabels > 0)
                sb_addch(sb, ',');
            sb_adds(sb, extra_name);
            sb_adds(sb, "=\"");
            escape(sb, extra_value, true);
            sb_addch(sb, '"');
        }
        sb_addch(sb, '}');
    }
    sb_addch(sb, ' ');
}

/* A float as the format writes it: Go's ParseFloat reads %.17g back
 * exactly; +Inf, -Inf and NaN by name. */
static void
add_double(struct strbuf *sb, double v)
{
    if (isnan(v))
        sb_adds(sb, "NaN");
    else if (isinf(v))
        sb_adds(sb, v > 0 ? "+Inf" : "-Inf");
    else
        sb_addf(sb, "%.15g", v);
}

void
metrics_sample_u64(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                   int nlabels, uint64_t value)
{
    sample_head(sb, name, "", labels, nlabels, NULL, NULL);
    sb_addf(sb, "%llu\n", (unsigned long long)value);
}

void
metrics_sample_i64(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                   int nlabels, int64_t value)
{
    sample_head(sb, name, "", labels, nlabels, NULL, NULL);
    sb_addf(sb, "%lld\n", (long long)value);
}

void
metrics_sample_double(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                      int nlabels, double value)
{
    sample_head(sb, name, "", labels, nlabels, NULL, NULL);
    add_double(sb, value);
    sb_addch(sb, '\n');
}

void
metrics_observe(const struct metrics_bounds *b, struct metrics_buckets *h, uint64_t v)
{
    int i = 0;
    while (i < b->n && (double)v > b->le[i] * b->scale)
        i++;
    atomic_fetch_add_explicit(&h->n[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum, v, memory_order_relaxed);
}

void
metrics_histogram_write(struct strbuf *sb, const char *name, const struct metrics_label *labels,
                        int nlabels, const struct metrics_bounds *b, struct metrics_buckets *h)
{
    /* Each bucket read once, and _count made from the same reads, so the
     * buckets only grow and the last equals _count however the writers
     * run meanwhile.  _sum is read apart and may hold a value or two more. */
    uint64_t cumulative = 0;
    char le[40];
    for (int i = 0; i <= b->n; i++) {
        cumulative += atomic_load_explicit(&h->n[i], memory_order_relaxed);
        if (i < b->n)
            snprintf(le, sizeof(le), "%.15g", b->le[i]);
        else
            snprintf(le, sizeof(le), "+Inf");
        sample_head(sb, name, "_bucket", labels, nlabels, "le", le);
        sb_addf(sb, "%llu\n", (unsigned long long)cumulative);
    }
    sample_head(sb, name, "_sum", labels, nlabels, NULL, NULL);
    add_double(sb, (double)atomic_load_explicit(&h->sum, memory_order_relaxed) / b->scale);
    sb_addch(sb, '\n');
    sample_head(sb, name, "_count", labels, nlabels, NULL, NULL);
    sb_addf(sb, "%llu\n", (unsigned long long)cumulative);
}

/* ---- the process's metrics ------------------------------------------------------------------- */

void
metrics_routes(const char *const *patterns, int n)
{
    if (n > METRICS_MAX_ROUTES - 1)
        n = METRICS_MAX_ROUTES - 1;
    metrics.routes[0] = "none";
    for (int i = 0; i < n; i++)
        metrics.routes[i + 1] = patterns[i];
    metrics.route_count = n + 1;
}

void
metrics_request(int route, enum metrics_method method, int status, int64_t us)
{
    if (route < 0 || route >= METRICS_MAX_ROUTES)
        route = 0;
    if (status < 100 || status > 599)
        status = 500;
    atomic_fetch_add_explicit(&metrics.requests[route][method][status - 100], 1,
                              memory_order_relaxed);
    metrics_observe(&metrics_latency_bounds, &metrics.latency[route][method],
                    us > 0 ? (uint64_t)us : 0);
}

void
metrics_db_error(int code)
{
    enum metrics_db_error_kind k = code == ERR_UNAVAILABLE ? METRICS_DB_UNAVAILABLE
                                   : code == ERR_CONFLICT  ? METRICS_DB_CONFLICT
                                   : code == ERR_INVALID   ? METRICS_DB_CONSTRAINT
                                                           : METRICS_DB_OTHER;
    metrics_add(&metrics.db_errors[k], 1);
}

static const char *const method_names[METRICS_METHODS] = {"GET", "HEAD", "POST", "other"};
static const char *const db_kind_names[METRICS_DB_KINDS] = {"unavailable", "conflict", "constraint",
                                                            "other"};
static const char *const job_names[METRICS_JOBS] = {"deadlines", "closing", "counts_check",
                                                    "counts_memory", "retention"};

static uint64_t
load(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

static const char *
route_name(const struct metrics *m, int route)
{
    return route < m->route_count && m->routes[route] ? m->routes[route] : "none";
}

static void
write_requests(struct strbuf *sb, struct metrics *m)
{
    static const char name[] = "petitiond_http_requests_total";
    metrics_family(sb, name, "counter",
                   "HTTP requests answered, by route pattern, method and status.");
    int routes = m->route_count > 0 ? m->route_count : 1;
    for (int r = 0; r < routes; r++) {
        for (int k = 0; k < METRICS_METHODS; k++) {
            for (int s = 0; s < METRICS_STATUSES; s++) {
                uint64_t n = load(&m->requests[r][k][s]);
                if (!n)
                    continue;
                char code[16], class[16];
                snprintf(code, sizeof(code), "%d", s + 100);
                snprintf(class, sizeof(class), "%dxx", (s + 100) / 100);
                struct metrics_label l[] = {{"route", route_name(m, r)},
                                            {"method", method_names[k]},
                                            {"code", code},
                                            {"class", class}};
                metrics_sample_u64(sb, name, l, 4, n);
            }
        }
    }
    static const char lat[] = "petitiond_http_request_duration_seconds";
    metrics_family(sb, lat, "histogram",
                   "Time from the request line read to the answer queued, by route pattern"
                   " and method.");
    for (int r = 0; r < routes; r++) {
        for (int k = 0; k < METRICS_METHODS; k++) {
            struct metrics_buckets *h = &m->latency[r][k];
            uint64_t any = 0;
            for (int i = 0; i <= metrics_latency_bounds.n && !any; i++)
                any = load(&h->n[i]);
            if (!any)
                continue;
            struct metrics_label l[] = {{"route", route_name(m, r)}, {"method", method_names[k]}};
            metrics_histogram_write(sb, lat, l, 2, &metrics_latency_bounds, h);
        }
    }
}

static void
counter(struct strbuf *sb, const char *name, const char *help, _Atomic uint64_t *c)
{
    metrics_family(sb, name, "counter", help);
    metrics_sample_u64(sb, name, NULL, 0, load(c));
}

void
metrics_write(struct strbuf *sb, struct metrics *m)
{
    write_requests(sb, m);

    metrics_family(sb, "petitiond_intake_batch_size", "histogram",
                   "Signatures and confirmations written in one transaction by the"
                   " signature writer.");
    metrics_histogram_write(sb, "petitiond_intake_batch_size", NULL, 0, &metrics_batch_bounds,
                            &m->batch_size);
    metrics_family(sb, "petitiond_intake_commit_duration_seconds", "histogram",
                   "Time the signature writer's commits took.");
    metrics_histogram_write(sb, "petitiond_intake_commit_duration_seconds", NULL, 0,
                            &metrics_commit_bounds, &m->commit_seconds);
    counter(sb, "petitiond_signatures_accepted_total",
            "Signatures the writer stored or found stored already (each answered"
            " \"check your e-mail\").",
            &m->signatures);
    counter(sb, "petitiond_confirmations_accepted_total", "Confirmations that counted a signature.",
            &m->confirmations);

    static const char mail[] = "petitiond_mail_delivery_failures_total";
    metrics_family(sb, mail, "counter",
                   "Attempts to deliver an e-mail that failed: temporary (tried again) or"
                   " permanent (refused for good, or the last attempt).");
    struct metrics_label temporary = {"kind", "temporary"}, permanent = {"kind", "permanent"};
    metrics_sample_u64(sb, mail, &temporary, 1, load(&m->mail_failures_temporary));
    metrics_sample_u64(sb, mail, &permanent, 1, load(&m->mail_failures_permanent));

    static const char dbe[] = "petitiond_db_errors_total";
    metrics_family(sb, dbe, "counter", "Errors the database reported, by kind.");
    for (int k = 0; k < METRICS_DB_KINDS; k++) {
        struct metrics_label l = {"kind", db_kind_names[k]};
        metrics_sample_u64(sb, dbe, &l, 1, load(&m->db_errors[k]));
    }
    counter(sb, "petitiond_db_reconnects_total",
            "Connections to the database opened again after the server dropped them.",
            &m->db_reconnects);
    counter(sb, "petitiond_cache_hits_total", "Requests answered from the page cache.",
            &m->cache_hits);
    counter(sb, "petitiond_cache_misses_total",
            "Answers of cacheable routes drawn because the page cache did not hold them.",
            &m->cache_misses);

    static const char job[] = "petitiond_job_last_run_timestamp_seconds";
    metrics_family(sb, job, "gauge",
                   "When each scheduler job last ran on this node, on the site's clock"
                   " (0: not yet).");
    for (int j = 0; j < METRICS_JOBS; j++) {
        struct metrics_label l = {"job", job_names[j]};
        metrics_sample_i64(sb, job, &l, 1,
                           atomic_load_explicit(&m->job_last_run[j], memory_order_relaxed));
    }
}
