/*
 * mail.c: the wrappers of store/mail.h, the only callers of a
 * backend's mail table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_outbox_insert(struct store_txn *t, struct outbox_mail *m, struct err *e)
{
    STORE_WRITE(t, mail, outbox_insert, m, e);
}

int
store_outbox_insert_many(struct store_txn *t, struct outbox_mail *m, int n, struct err *e)
{
    if (n <= 0)
        return 0;
    STORE_WRITE(t, mail, outbox_insert_many, m, n, e);
}

int
store_outbox_due(struct store *s, struct store_txn *t, struct arena *a, int64_t now, int limit,
                 struct outbox_mail **out, int *n, struct err *e)
{
    STORE_READ(s, t, mail, outbox_due, a, now, limit, out, n, e);
}

int
store_outbox_claim(struct store_txn *t, struct arena *a, int64_t now, int64_t until, int limit,
                   struct outbox_mail **out, int *n, struct err *e)
{
    STORE_WRITE(t, mail, outbox_claim, a, now, until, limit, out, n, e);
}

int
store_outbox_sent(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    STORE_WRITE(t, mail, outbox_sent, id, now, e);
}

int
store_outbox_failed(struct store_txn *t, int64_t id, const struct outbox_failure *f, struct err *e)
{
    STORE_WRITE(t, mail, outbox_failed, id, f, e);
}

int
store_outbox_health(struct store *s, struct store_txn *t, int64_t since, struct outbox_health *out,
                    struct err *e)
{
    STORE_READ(s, t, mail, outbox_health, since, out, e);
}

int
store_outbox_failures(struct store *s, struct store_txn *t, struct arena *a, int limit,
                      struct outbox_mail **out, int *n, struct err *e)
{
    STORE_READ(s, t, mail, outbox_failures, a, limit, out, n, e);
}

int
store_mailing_insert(struct store_txn *t, struct mailing *m, struct err *e)
{
    STORE_WRITE(t, mail, mailing_insert, m, e);
}

int
store_mailing_source_add(struct store_txn *t, int64_t mailing_id, const struct mailing_source *src,
                         struct err *e)
{
    STORE_WRITE(t, mail, mailing_source_add, mailing_id, src, e);
}

int
store_mailing_open(struct store *s, struct store_txn *t, struct arena *a, struct mailing *out,
                   struct err *e)
{
    STORE_READ(s, t, mail, mailing_open, a, out, e);
}

int
store_mailing_source_next(struct store *s, struct store_txn *t, struct arena *a, int64_t mailing_id,
                          int64_t after_id, struct mailing_source *out, struct err *e)
{
    STORE_READ(s, t, mail, mailing_source_next, a, mailing_id, after_id, out, e);
}

int
store_mailing_recipient_add(struct store_txn *t, int64_t mailing_id,
                            const struct mailing_recipient *r, struct err *e)
{
    STORE_WRITE(t, mail, mailing_recipient_add, mailing_id, r, e);
}

int
store_mailing_add_supporters(struct store_txn *t, int64_t mailing_id, int64_t draft_id,
                             const char *label, struct err *e)
{
    STORE_WRITE(t, mail, mailing_add_supporters, mailing_id, draft_id, label, e);
}

int
store_mailing_add_signatures(struct store_txn *t, int64_t mailing_id, int64_t petition_id,
                             const char *label, int64_t after, int limit, int64_t *last, int *n,
                             struct err *e)
{
    STORE_WRITE(t, mail, mailing_add_signatures, mailing_id, petition_id, label, after, limit, last,
                n, e);
}

int
store_mailing_cursor(struct store_txn *t, int64_t mailing_id, int64_t source, int64_t after,
                     int64_t collected_at, struct err *e)
{
    STORE_WRITE(t, mail, mailing_cursor, mailing_id, source, after, collected_at, e);
}

int
store_mailing_batch(struct store *s, struct store_txn *t, struct arena *a, int64_t mailing_id,
                    int limit, struct mailing_recipient **out, int *n, struct err *e)
{
    STORE_READ(s, t, mail, mailing_batch, a, mailing_id, limit, out, n, e);
}

int
store_mailing_queued(struct store_txn *t, int64_t mailing_id, const char *email_key, int64_t at,
                     struct err *e)
{
    STORE_WRITE(t, mail, mailing_queued, mailing_id, email_key, at, e);
}

int
store_mailing_done(struct store_txn *t, int64_t mailing_id, int64_t at, struct err *e)
{
    STORE_WRITE(t, mail, mailing_done, mailing_id, at, e);
}

int
store_mailing_progress(struct store *s, struct store_txn *t, int64_t mailing_id,
                       struct mailing_progress *out, struct err *e)
{
    STORE_READ(s, t, mail, mailing_progress, mailing_id, out, e);
}

int
store_mail_stop(struct store_txn *t, int64_t signature_id, int64_t at, int64_t *petition_id,
                struct err *e)
{
    STORE_WRITE(t, mail, mail_stop, signature_id, at, petition_id, e);
}

int
store_mail_stops_count(struct store *s, struct store_txn *t, int64_t petition_id, int64_t *n,
                       struct err *e)
{
    STORE_READ(s, t, mail, mail_stops_count, petition_id, n, e);
}
