/*
 * health_pages.h: /healthz, for operators and load balancers: plain text,
 * never cached, saying the schema version, how the signature writer is
 * doing, the change counters, the last check of the counts in memory and
 * how e-mail is going (docs/operators.md#health lists every field).
 */
#ifndef PETITIOND_HEALTH_PAGES_H
#define PETITIOND_HEALTH_PAGES_H

struct err;
struct request;

int page_healthz(struct request *req, struct err *e); /* GET /healthz */

#endif
