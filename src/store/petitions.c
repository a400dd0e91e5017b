/*
 * petitions.c: the wrappers of store/petitions.h, the only callers of a
 * backend's petitions table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_petition_insert(struct store_txn *t, struct petition *p, struct err *e)
{
    STORE_WRITE(t, petitions, petition_insert, p, e);
}

int
store_petition_get(struct store *s, struct store_txn *t, struct arena *a,
                   const struct petition_number *n, struct petition *out, struct err *e)
{
    STORE_READ(s, t, petitions, petition_get, a, n, out, e);
}

int
store_petition_totals(struct store *s, struct store_txn *t, const int64_t *ids, int n,
                      int64_t *totals, struct err *e)
{
    STORE_READ(s, t, petitions, petition_totals, ids, n, totals, e);
}

int
store_petition_brief(struct store *s, struct store_txn *t, int64_t id, long e_number,
                     struct petition_brief *out, struct err *e)
{
    STORE_READ(s, t, petitions, petition_brief, id, e_number, out, e);
}

int
store_petition_next_e_number(struct store_txn *t, long *n, struct err *e)
{
    STORE_WRITE(t, petitions, petition_next_e_number, n, e);
}

int
store_petition_set_state(struct store_txn *t, int64_t petition_id, enum petition_state state,
                         int64_t now, struct err *e)
{
    STORE_WRITE(t, petitions, petition_set_state, petition_id, state, now, e);
}

int
store_petition_set_queued(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    STORE_WRITE(t, petitions, petition_set_queued, id, now, e);
}

int
store_petition_set_certified(struct store_txn *t, int64_t id, int64_t now, struct err *e)
{
    STORE_WRITE(t, petitions, petition_set_certified, id, now, e);
}

int
store_petition_closing(struct store *s, struct store_txn *t, struct arena *a, int64_t now,
                       struct petition_brief **out, int *n, struct err *e)
{
    STORE_READ(s, t, petitions, petition_closing, a, now, out, n, e);
}

int
store_petition_e_ids(struct store *s, struct store_txn *t, struct arena *a, int64_t **out, int *n,
                     struct err *e)
{
    STORE_READ(s, t, petitions, petition_e_ids, a, out, n, e);
}

int
store_petition_days(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                    struct day_count **out, int *n, struct err *e)
{
    STORE_READ(s, t, petitions, petition_days, a, petition_id, out, n, e);
}

int
store_region_days_since(struct store *s, struct store_txn *t, const struct civil_date *since,
                        int64_t out[REGION_COUNT], struct err *e)
{
    STORE_READ(s, t, petitions, region_days_since, since, out, e);
}

int
store_subject_put(struct store_txn *t, struct subject *sub, struct err *e)
{
    STORE_WRITE(t, petitions, subject_put, sub, e);
}

int
store_subject_list(struct store *s, struct store_txn *t, struct arena *a, struct subject **out,
                   int *n, struct err *e)
{
    STORE_READ(s, t, petitions, subject_list, a, out, n, e);
}

int
store_subject_get(struct store *s, struct store_txn *t, struct arena *a, const char *code,
                  struct subject *out, struct err *e)
{
    STORE_READ(s, t, petitions, subject_get, a, code, out, e);
}

int
store_keyword_put(struct store_txn *t, struct keyword *k, struct err *e)
{
    STORE_WRITE(t, petitions, keyword_put, k, e);
}

int
store_keyword_list(struct store *s, struct store_txn *t, struct arena *a, struct keyword **out,
                   int *n, struct err *e)
{
    STORE_READ(s, t, petitions, keyword_list, a, out, n, e);
}

int
store_keyword_get(struct store *s, struct store_txn *t, struct arena *a, const char *slug,
                  struct keyword *out, struct err *e)
{
    STORE_READ(s, t, petitions, keyword_get, a, slug, out, e);
}
