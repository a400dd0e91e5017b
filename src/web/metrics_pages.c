/*
 * metrics_pages.c: /metrics; see metrics_pages.h.
 */
#include "web/metrics_pages.h"

#include <stdbool.h>

#include "core/netaddr.h"
#include "http/request.h"
#include "lib/err.h"
#include "lib/metrics.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "store/store.h"
#include "workflow/counts.h"
#include "workflow/intake.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* Whether req may read the metrics (metrics_pages.h says who). */
static bool
allowed(struct request *req)
{
    const struct site *site = req->app;
    struct netaddr peer, client;
    if (netaddr_parse(req_peer(req), &peer))
        return false;
    client = peer;
    for (int i = 0; i < site->trusted_count; i++) {
        if (netrange_contains(&site->trusted[i], &peer)) {
            const char *xff = req_header(req, "X-Forwarded-For");
            if (!xff)
                return false;
            netaddr_client(&peer, xff, site->trusted, site->trusted_count, &client);
            break;
        }
    }
    for (int i = 0; i < site->metrics_from_count; i++)
        if (netrange_contains(&site->metrics_from[i], &client))
            return true;
    return false;
}

int
page_metrics(struct request *req, struct err *e)
{
    struct site *site = req->app;
    if (!allowed(req))
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no route");

    struct strbuf sb;
    sb_init(&sb, req->arena);
    metrics_write(&sb, &metrics);

    if (site->flow.intake) {
        struct intake_stats st;
        intake_stats(site->flow.intake, &st);
        metrics_family(&sb, "petitiond_intake_queue_depth", "gauge",
                       "Signatures and confirmations waiting for the signature writer or"
                       " being written.");
        metrics_sample_u64(&sb, "petitiond_intake_queue_depth", NULL, 0, st.pending);
        metrics_family(&sb, "petitiond_intake_refused_total", "counter",
                       "Signatures and confirmations answered 503 because the writer's queue"
                       " was full.");
        metrics_sample_u64(&sb, "petitiond_intake_refused_total", NULL, 0, st.refused);
    }

    static const char drift[] = "petitiond_counts_drift_total";
    metrics_family(&sb, drift, "counter",
                   "Petitions whose counts were found to differ: check=\"rows\", the stored"
                   " counts from the signatures (the hourly reconciliation); check=\"memory\","
                   " the counts in memory from the stored counts (read again).");
    struct metrics_label rows = {"check", "rows"}, memory = {"check", "memory"};
    metrics_sample_u64(&sb, drift, &rows, 1, atomic_load(&metrics.counts_drift));
    struct count_check_result c = {0};
    if (site->flow.counts)
        count_mirror_last_check(site->flow.counts, &c);
    metrics_sample_u64(&sb, drift, &memory, 1,
                       c.drifted_since_start > 0 ? (uint64_t)c.drifted_since_start : 0);

    /* The outbox is read from the database: when it cannot be, the mail
     * gauges are left out (the error is counted in petitiond_db_errors_total)
     * and the rest is still served. */
    struct outbox_status ms;
    struct err e2 = ERR_INIT;
    int64_t now = clock_now(&site->clock);
    if (outbox_status(&site->flow, NULL, now, &ms, &e2) == 0) {
        metrics_family(&sb, "petitiond_mail_waiting", "gauge",
                       "E-mails waiting to be delivered (due now or to be tried again).");
        metrics_sample_i64(&sb, "petitiond_mail_waiting", NULL, 0, ms.health.waiting);
        metrics_family(&sb, "petitiond_mail_failed", "gauge",
                       "E-mails that failed for good and will not be tried again.");
        metrics_sample_i64(&sb, "petitiond_mail_failed", NULL, 0, ms.health.failed);
        int64_t oldest = ms.health.oldest_waiting_at;
        metrics_family(&sb, "petitiond_mail_oldest_waiting_seconds", "gauge",
                       "How long the oldest waiting e-mail has waited (0: none waits).");
        metrics_sample_i64(&sb, "petitiond_mail_oldest_waiting_seconds", NULL, 0,
                           oldest && now > oldest ? now - oldest : 0);
    }
    /* The link to the database server (store.h; all zero on SQLite). */
    struct store_link_stats link;
    store_link_stats(site->store, &link);
    metrics_family(&sb, "petitiond_db_connects_total", "counter",
                   "Connections to the database server opened, the first included.");
    metrics_sample_u64(&sb, "petitiond_db_connects_total", NULL, 0, link.connects);
    metrics_family(&sb, "petitiond_db_connect_failures_total", "counter",
                   "Attempts to connect to the database server that failed.");
    metrics_sample_u64(&sb, "petitiond_db_connect_failures_total", NULL, 0, link.connect_failures);
    metrics_family(&sb, "petitiond_db_backed_off_total", "counter",
                   "Uses refused at once (503) while the next connection attempt waited its "
                   "back-off.");
    metrics_sample_u64(&sb, "petitiond_db_backed_off_total", NULL, 0, link.backed_off);
    metrics_family(&sb, "petitiond_db_backoff_seconds", "gauge",
                   "The back-off before the next connection attempt (0: the server answers).");
    metrics_sample_double(&sb, "petitiond_db_backoff_seconds", NULL, 0,
                          (double)link.backoff_ms / 1000.0);
    if (sb_failed(&sb))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "metrics: out of memory");
    resp_header(req, "Cache-Control", "no-store");
    resp_body(req, 200, "text/plain; version=0.0.4; charset=utf-8", sb.buf, sb.len);
    return 0;
}
