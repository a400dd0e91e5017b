/*
 * health_pages.h: /healthz, for operators and load balancers: plain text,
 * never cached, saying the schema version, how the signature writer is
 * doing, the change counters and the last check of the counts in memory.
 */
#ifndef PETITIOND_HEALTH_PAGES_H
#define PETITIOND_HEALTH_PAGES_H

struct err;
struct request;

int page_healthz(struct request *req, struct err *e); /* GET /healthz */

#endif
