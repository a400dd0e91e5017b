/*
 * metrics_pages.h: /metrics, the node's metrics in the Prometheus text
 * exposition format (version 0.0.4) for a monitoring server to scrape:
 * what lib/metrics.h records (answers by route and status, latencies,
 * the signature writer's batches and commits, signatures and
 * confirmations, e-mail failures, database errors and reconnections, the
 * page cache, the scheduler's jobs) and what is read when scraped (the
 * writer's queue, the outbox, the counts' last check).
 * docs/operators.md#metrics lists every metric.
 *
 * Not public.  Served only to the networks of --metrics-from (the site's
 * metrics_from; loopback by default); everyone else gets the 404 page, as
 * for a page that does not exist.  The address judged is the
 * connection's peer; when the peer is a --trusted-proxy, it is the
 * address X-Forwarded-For names (netaddr_client(), as the rate limits
 * read it), and a request from a trusted proxy without X-Forwarded-For
 * is refused: a proxy that does not name its client cannot be told from
 * the client, and the proxy's own address (often loopback) would
 * otherwise open the metrics to everyone behind it.
 */
#ifndef PETITIOND_METRICS_PAGES_H
#define PETITIOND_METRICS_PAGES_H

struct err;
struct request;

int page_metrics(struct request *req, struct err *e); /* GET /metrics */

#endif
