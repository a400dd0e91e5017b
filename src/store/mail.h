/*
 * mail.h: the store's the outbox of e-mail and the mailings to many.
 *
 * Part of store.h, whose contract (transactions, errors, orders, memory)
 * holds for every function here.
 */
#ifndef PETITIOND_STORE_MAIL_H
#define PETITIOND_STORE_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/lang.h"

struct arena;
struct err;
struct store;
struct store_txn;

/* The next try of an e-mail that is never to be tried again (a failed
 * one): far beyond any clock. */
#define OUTBOX_NEVER (INT64_MAX / 2)

/* One e-mail in the outbox. */
struct outbox_mail {
    int64_t id;
    int64_t created_at;
    const char *kind; /* "supporter-invitation", ... */
    const char *to_addr;
    const char *to_name;
    enum lang lang;
    const char *subject;
    const char *body;
    int attempts;
    int64_t next_try_at;
    int64_t sent_at;
    const char *last_error;
    int64_t mailing_id;      /* one of a mailing to many; 0 = none */
    int64_t signature_id;    /* about this signature: subject and body are rendered
                              * when it is sent (empty until then); 0 = none */
    int64_t last_failure_at; /* its last failed attempt; 0 = none */
    int64_t failed_at;       /* when it failed for good (never tried again); 0 = not */
    int reply_code;          /* the relay's reply to its last failed attempt; 0 = none */
    const char *reply;       /* that reply's text (mail/smtp.h: addresses masked); NULL =
                              * none */
    const char *unsubscribe; /* its List-Unsubscribe link (a mailing's, to a signatory);
                              * NULL or "" = none */
};

/* A failed attempt to send an e-mail (store_outbox_failed()). */
struct outbox_failure {
    int64_t at;          /* when it failed */
    int64_t next_try_at; /* when to try again; 0 = never: the e-mail has failed for good */
    int reply_code;      /* the relay's reply; 0 = none came */
    const char *reply;   /* its text, "" or NULL for none */
    const char *error;   /* what went wrong, as the log says it */
};

/* How the outbox stands (store_outbox_health()). */
struct outbox_health {
    int64_t waiting;           /* not sent and not failed */
    int64_t oldest_waiting_at; /* when the oldest of those was queued; 0 = none */
    int64_t errors_since;      /* e-mails whose last failed attempt was at or after `since` */
    int64_t failed_since;      /* e-mails failed for good at or after `since` */
    int64_t failed;            /* every failed e-mail the outbox holds */
    int64_t last_sent_at;      /* the last delivery; 0 = none */
};

/* A message to many (mailings table). */
struct mailing {
    int64_t id;
    const char *kind;
    int64_t created_at;
    const char *vars;       /* JSON object */
    int64_t collect_source; /* mailing_sources.id being listed; 0 = none yet */
    int64_t collect_after;  /* last signature id listed of it */
    int64_t collected_at;
    int64_t done_at;
};

struct mailing_source {
    int64_t id;
    int64_t draft_id;    /* 0 = none (imported petition) */
    int64_t petition_id; /* 0 = an unpublished draft */
    const char *label;   /* "e-6512" or "" */
};

struct mailing_recipient {
    const char *email_key;
    const char *email;
    const char *name;
    enum lang lang;
    const char *labels;   /* "e-6512, e-6478" */
    int64_t signature_id; /* the signature they were listed for (the first); 0 = none
                           * (a petitioner or supporter who did not sign) */
};

struct mailing_progress {
    int64_t recipients;
    int64_t queued;
    int64_t sent; /* of the queued, delivered by the outbox */
};

/* Queue one e-mail in the transaction that causes it, due at once (its
 * attempts and next try start afresh); m->id is filled in. */
int store_outbox_insert(struct store_txn *t, struct outbox_mail *m, struct err *e);

/* Insert n mails as store_outbox_insert() each (their ids are not read
 * back), in one statement where the engine can; a failure as for
 * store_signature_insert_many(). */
int store_outbox_insert_many(struct store_txn *t, struct outbox_mail *m, int n, struct err *e);

/* Up to limit unsent e-mails due at now, the earliest due first (ties by
 * id). */
int store_outbox_due(struct store *s, struct store_txn *t, struct arena *a, int64_t now, int limit,
                     struct outbox_mail **out, int *n, struct err *e);

/*
 * Claim up to limit unsent e-mails due at now (the earliest due first,
 * ties by id) for the caller to send: each one's next try moves to until,
 * so no other caller claims it before then, and once until has passed an
 * e-mail still unsent (its sender died) is due again.  Concurrent claims
 * never get the same e-mail (PostgreSQL: FOR UPDATE SKIP LOCKED, so they
 * take the next ones instead of waiting; SQLite: the write transaction).
 * *out holds them as claimed (next_try_at = until), by id.
 */
int store_outbox_claim(struct store_txn *t, struct arena *a, int64_t now, int64_t until, int limit,
                       struct outbox_mail **out, int *n, struct err *e);

/* The e-mail was delivered at now. */
int store_outbox_sent(struct store_txn *t, int64_t id, int64_t now, struct err *e);

/* An attempt to send the e-mail failed as f says: one more attempt, the
 * failure and the relay's reply recorded, and either its next try at
 * f->next_try_at or (0) failed for good at f->at, never due again. */
int store_outbox_failed(struct store_txn *t, int64_t id, const struct outbox_failure *f,
                        struct err *e);

/* How the outbox stands, the failures counted from `since` on. */
int store_outbox_health(struct store *s, struct store_txn *t, int64_t since,
                        struct outbox_health *out, struct err *e);

/* Up to limit failed e-mails, the latest failed first (ties by id, the
 * highest first), without the address, the name, the subject or the
 * text (NULL): id, created_at, kind, lang, attempts, last_error,
 * last_failure_at, failed_at, reply_code and reply only, what a staff
 * page may show. */
int store_outbox_failures(struct store *s, struct store_txn *t, struct arena *a, int limit,
                          struct outbox_mail **out, int *n, struct err *e);

/* Open a mailing to many; m->id is filled in. */
int store_mailing_insert(struct store_txn *t, struct mailing *m, struct err *e);

/* Add a petition or draft whose people the mailing goes to. */
int store_mailing_source_add(struct store_txn *t, int64_t mailing_id,
                             const struct mailing_source *src, struct err *e);

/* The oldest mailing not done (by id); ERR_NOT_FOUND when none. */
int store_mailing_open(struct store *s, struct store_txn *t, struct arena *a, struct mailing *out,
                       struct err *e);

/* The source after after_id (by id); ERR_NOT_FOUND when none. */
int store_mailing_source_next(struct store *s, struct store_txn *t, struct arena *a,
                              int64_t mailing_id, int64_t after_id, struct mailing_source *out,
                              struct err *e);

/* Add one recipient, or add the label to the one with that e-mail key:
 * one e-mail per person, whatever the number of their petitions. */
int store_mailing_recipient_add(struct store_txn *t, int64_t mailing_id,
                                const struct mailing_recipient *r, struct err *e);

/* Add the confirmed supporters of a draft as recipients, labelled, but
 * those whose mailbox stopped mail about its petition (store_mail_stop()). */
int store_mailing_add_supporters(struct store_txn *t, int64_t mailing_id, int64_t draft_id,
                                 const char *label, struct err *e);

/*
 * Walk the next limit signatures of a petition with ids above after, by
 * id, whatever their state, and add the counted ones (confirmed, not held
 * or invalidated, not erased, whose mailbox has not stopped mail about
 * the petition: store_mail_stop()) as recipients, each with the id of
 * their signature (the first, when several are one mailbox's); *last gets the last id
 * walked (after when none) and *n how many were walked, so that the
 * caller's cursor always moves and 0 means the end.
 */
int store_mailing_add_signatures(struct store_txn *t, int64_t mailing_id, int64_t petition_id,
                                 const char *label, int64_t after, int limit, int64_t *last, int *n,
                                 struct err *e);

/* Where the listing of a mailing's recipients stands: the source being
 * listed and the last signature id of it, and when the listing ended
 * (collected_at; 0 while it goes on). */
int store_mailing_cursor(struct store_txn *t, int64_t mailing_id, int64_t source, int64_t after,
                         int64_t collected_at, struct err *e);

/* Up to limit recipients not yet queued, by e-mail key. */
int store_mailing_batch(struct store *s, struct store_txn *t, struct arena *a, int64_t mailing_id,
                        int limit, struct mailing_recipient **out, int *n, struct err *e);

/* The recipient's e-mail was queued in the outbox at `at`.  Only once:
 * ERR_CONFLICT when it was queued already (or is no recipient), so that a
 * batch two nodes queue at once (the lease's holder stalled past its
 * expiry while another took it) commits once, the other rolling back its
 * outbox rows: one e-mail per recipient, never two with two Message-IDs. */
int store_mailing_queued(struct store_txn *t, int64_t mailing_id, const char *email_key, int64_t at,
                         struct err *e);

/* Every recipient was queued: the mailing is done at `at`. */
int store_mailing_done(struct store_txn *t, int64_t mailing_id, int64_t at, struct err *e);

/*
 * Whoever signed signature_id gets no more mail about its petition: a
 * row of mail_stops (the petition, the signature's mailbox key folded)
 * unless one is there already, so stopping twice is stopping once.
 * Nothing is written for an unknown or erased signature, and the answer
 * is the same (0): *petition_id gets the signature's petition, 0 when
 * there is no such signature.  Every later store_mailing_add_signatures()
 * and store_mailing_add_supporters() of that petition skips the mailbox.
 */
int store_mail_stop(struct store_txn *t, int64_t signature_id, int64_t at, int64_t *petition_id,
                    struct err *e);

/* How many mailboxes stopped mail about the petition (a number for the
 * Clerk; the keys are never shown). */
int store_mail_stops_count(struct store *s, struct store_txn *t, int64_t petition_id, int64_t *n,
                           struct err *e);

/* How many recipients a mailing has, queued and delivered so far. */
int store_mailing_progress(struct store *s, struct store_txn *t, int64_t mailing_id,
                           struct mailing_progress *out, struct err *e);

#endif
