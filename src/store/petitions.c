/*
 * petitions.c: the wrappers of store/petitions.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_petition_insert(struct store_txn *t, struct petition *p, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->petition_insert(s, p, e);
}

int
store_petition_get(struct store *s, struct store_txn *t, struct arena *a,
                   const struct petition_number *n, struct petition *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_get(s, a, n, out, e);
}

int
store_petition_brief(struct store *s, struct store_txn *t, int64_t id, long e_number,
                     struct petition_brief *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_brief(s, id, e_number, out, e);
}

int
store_petition_next_e_number(struct store_txn *t, long *n, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->petition_next_e_number(s, n, e);
}

int
store_petition_set_state(struct store_txn *t, int64_t petition_id, enum petition_state state,
                         int64_t now, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->petition_set_state(s, petition_id, state, now, e);
}

int
store_petition_set_queued(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->petition_set_queued(s, id, now, e);
}

int
store_petition_set_certified(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->petition_set_certified(s, id, now, e);
}

int
store_petition_closing(struct store *s, struct store_txn *t, struct arena *a, int64_t now,
                       struct petition_brief **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_closing(s, a, now, out, n, e);
}

int
store_petition_e_ids(struct store *s, struct store_txn *t, struct arena *a, int64_t **out, int *n,
                     struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_e_ids(s, a, out, n, e);
}

int
store_petition_days(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                    struct day_count **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->petition_days(s, a, petition_id, out, n, e);
}

int
store_region_days_since(struct store *s, struct store_txn *t, const struct civil_date *since,
                        int64_t out[REGION_COUNT], struct err *e)
{
    store_read_check(s, t);
    return s->ops->region_days_since(s, since, out, e);
}

int
store_subject_put(struct store_txn *t, struct subject *sub, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->subject_put(s, sub, e);
}

int
store_subject_list(struct store *s, struct store_txn *t, struct arena *a, struct subject **out,
                   int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->subject_list(s, a, out, n, e);
}

int
store_subject_get(struct store *s, struct store_txn *t, struct arena *a, const char *code,
                  struct subject *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->subject_get(s, a, code, out, e);
}

int
store_keyword_put(struct store_txn *t, struct keyword *k, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->keyword_put(s, k, e);
}

int
store_keyword_list(struct store *s, struct store_txn *t, struct arena *a, struct keyword **out,
                   int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->keyword_list(s, a, out, n, e);
}

int
store_keyword_get(struct store *s, struct store_txn *t, struct arena *a, const char *slug,
                  struct keyword *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->keyword_get(s, a, slug, out, e);
}
