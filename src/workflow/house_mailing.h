/*
 * house_mailing.h: mailings to many.  E-mail to the signatories of a
 * petition, who may be a hundred thousand, is a mailing: the use case
 * that causes it (a presentation, a tabled response, dissolution) writes
 * one row and its sources in its own transaction; the mail thread then
 * lists the recipients and queues their messages into the outbox in
 * batches (house_mailing_step), resumably, each batch one transaction.
 */
#ifndef PETITIOND_HOUSE_MAILING_H
#define PETITIOND_HOUSE_MAILING_H

#include <stdint.h>

struct err;
struct flow;

/* One step of the oldest unfinished mailing: list up to `batch`
 * recipients, or queue up to `batch` messages into the outbox, in one
 * transaction.  *did gets how many rows it handled (0: nothing to do).
 * The mail thread calls it while the outbox is nearly empty. */
int house_mailing_step(const struct flow *f, int batch, int *did, int64_t now, struct err *e);

#endif
