/*
 * mail.c: the wrappers of store/mail.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_outbox_insert(struct store_txn *t, struct outbox_mail *m, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->outbox_insert(s, m, e);
}

int
store_outbox_due(struct store *s, struct store_txn *t, struct arena *a, int64_t now, int limit,
                 struct outbox_mail **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->outbox_due(s, a, now, limit, out, n, e);
}

int
store_outbox_sent(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->outbox_sent(s, id, now, e);
}

int
store_outbox_retry(struct store_txn *t, int64_t id, int64_t next_try_at, const char *error,
                   struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->outbox_retry(s, id, next_try_at, error, e);
}

int
store_mailing_insert(struct store_txn *t, struct mailing *m, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_insert(s, m, e);
}

int
store_mailing_source_add(struct store_txn *t, int64_t mailing_id, const struct mailing_source *src,
                         struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_source_add(s, mailing_id, src, e);
}

int
store_mailing_open(struct store *s, struct store_txn *t, struct arena *a, struct mailing *out,
                   struct err *e)
{
    store_read_check(s, t);
    return s->ops->mailing_open(s, a, out, e);
}

int
store_mailing_source_next(struct store *s, struct store_txn *t, struct arena *a, int64_t mailing_id,
                          int64_t after_id, struct mailing_source *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->mailing_source_next(s, a, mailing_id, after_id, out, e);
}

int
store_mailing_recipient_add(struct store_txn *t, int64_t mailing_id,
                            const struct mailing_recipient *r, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_recipient_add(s, mailing_id, r, e);
}

int
store_mailing_add_supporters(struct store_txn *t, int64_t mailing_id, int64_t draft_id,
                             const char *label, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_add_supporters(s, mailing_id, draft_id, label, e);
}

int
store_mailing_add_signatures(struct store_txn *t, int64_t mailing_id, int64_t petition_id,
                             const char *label, int64_t after, int limit, int64_t *last, int *n,
                             struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_add_signatures(s, mailing_id, petition_id, label, after, limit, last, n,
                                          e);
}

int
store_mailing_cursor(struct store_txn *t, int64_t mailing_id, int64_t source, int64_t after,
                     int64_t collected_at, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_cursor(s, mailing_id, source, after, collected_at, e);
}

int
store_mailing_batch(struct store *s, struct store_txn *t, struct arena *a, int64_t mailing_id,
                    int limit, struct mailing_recipient **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->mailing_batch(s, a, mailing_id, limit, out, n, e);
}

int
store_mailing_queued(struct store_txn *t, int64_t mailing_id, const char *email_key, int64_t at,
                     struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_queued(s, mailing_id, email_key, at, e);
}

int
store_mailing_done(struct store_txn *t, int64_t mailing_id, int64_t at, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->mailing_done(s, mailing_id, at, e);
}

int
store_mailing_progress(struct store *s, struct store_txn *t, int64_t mailing_id,
                       struct mailing_progress *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->mailing_progress(s, mailing_id, out, e);
}
