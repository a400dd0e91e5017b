/*
 * delivery.h: the thread that sends the outbox.
 *
 * It wakes when told (delivery_kick(), after a commit that queued mail)
 * or every poll interval, takes the mail that is due, formats each one
 * (message.h) and either writes it as NNNN-KIND.eml into a directory
 * (development: `serve --dev --mail-dir DIR`) or sends it over SMTP
 * (smtp.h).  A sent mail is marked sent; a failure is retried with
 * growing waits (1 min, 2, 4 ... up to 6 h); after 12 attempts it stays
 * in the outbox with its last error, for an administrator to see.
 */
#ifndef PETITIOND_DELIVERY_H
#define PETITIOND_DELIVERY_H

#include <stdbool.h>

#include "lib/clock.h"
#include "mail/smtp.h"

struct arena;
struct delivery;
struct outbox_mail;
struct err;
struct store;

struct delivery_config {
    struct store *store;
    const struct clock *clock;
    const char *mail_dir;       /* write .eml files here; or NULL for SMTP */
    struct smtp_config smtp;    /* when mail_dir is NULL */
    const char *from_addr;      /* "petitions@example.org" */
    const char *from_name;      /* "House of Commons e-petitions" */
    unsigned poll_ms;           /* 0 = 1000 */
    /* Mail to many (workflow/house.h): while the outbox is nearly empty,
     * the thread calls more(more_arg, batch, &did, now) to move the next
     * batch of a mailing into the outbox; NULL = none. */
    int (*more)(void *arg, int batch, int *did, int64_t now, struct err *e);
    void *more_arg;
    /* Mail queued with a signature id and no text (outbox.h,
     * mail_queue_later): render(render_arg, a, m, e) fills m->subject and
     * m->body from a; ERR_GONE when there is nothing left to send (the
     * personal data was erased), and the mail is then marked sent unsent.
     * NULL = such mail fails. */
    int (*render)(void *arg, struct arena *a, struct outbox_mail *m, struct err *e);
    void *render_arg;
};

enum { DELIVERY_MAX_ATTEMPTS = 12, DELIVERY_BATCH = 200 };

int delivery_start(const struct delivery_config *cfg, struct delivery **out, struct err *e);

/* Send what is due now, soon (thread-safe, cheap). */
void delivery_kick(struct delivery *d);

/* Finish the batch in hand and stop. */
void delivery_stop(struct delivery *d);

#endif
