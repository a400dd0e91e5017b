/*
 * house.c: the wrappers of store/house.h.
 */
#include "store/store_internal.h"
#include "lib/banned.h"

int
store_parliament_put(struct store_txn *t, struct parliament *p, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->parliament_put(s, p, e);
}

int
store_session_put(struct store_txn *t, struct session *ses, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->session_put(s, ses, e);
}

int
store_member_put(struct store_txn *t, struct member *m, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->member_put(s, m, e);
}

int
store_ministry_put(struct store_txn *t, struct ministry *m, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->ministry_put(s, m, e);
}

int
store_minister_put(struct store_txn *t, struct minister *m, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->minister_put(s, m, e);
}

int
store_parliament_list(struct store *s, struct store_txn *t, struct arena *a, struct parliament **out,
                      int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->parliament_list(s, a, out, n, e);
}

int
store_member_directory(struct store *s, struct store_txn *t, struct arena *a, struct member **out,
                       int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->member_directory(s, a, out, n, e);
}

int
store_member_list(struct store *s, struct store_txn *t, struct arena *a, bool with_speaker,
                  struct member **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->member_list(s, a, with_speaker, out, n, e);
}

int
store_member_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id, const char *key,
                 struct member *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->member_get(s, a, id, key, out, e);
}

int
store_ministry_list(struct store *s, struct store_txn *t, struct arena *a, struct ministry **out,
                    int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->ministry_list(s, a, out, n, e);
}

int
store_ministry_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                   const char *code, struct ministry *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->ministry_get(s, a, id, code, out, e);
}

int
store_session_current(struct store *s, struct store_txn *t, int *parliament, int *session,
                      struct err *e)
{
    store_read_check(s, t);
    return s->ops->session_current(s, parliament, session, e);
}

int
store_house_status(struct store *s, struct store_txn *t, struct house_status *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->house_status(s, out, e);
}

int
store_session_list(struct store *s, struct store_txn *t, struct arena *a, struct session **out,
                   int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->session_list(s, a, out, n, e);
}

int
store_session_end(struct store_txn *t, int64_t session_id, int64_t at, bool dissolution,
                  struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->session_end(s, session_id, at, dissolution, e);
}

int
store_parliament_dissolve(struct store_txn *t, int64_t parliament_id, int64_t at, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->parliament_dissolve(s, parliament_id, at, e);
}

int
store_sitting_days(struct store *s, struct store_txn *t, struct arena *a, const char *from,
                   int limit, sitting_day **out, int *n, struct err *e)
{
    store_read_check(s, t);
    return s->ops->sitting_days(s, a, from, limit, out, n, e);
}

int
store_sitting_day_set(struct store_txn *t, const char *day, bool sitting, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->sitting_day_set(s, day, sitting, e);
}

int
store_presentation_next(struct store_txn *t, int64_t session_id, int *sequence, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->presentation_next(s, session_id, sequence, e);
}

int
store_petition_present(struct store_txn *t, const struct presentation *p, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->petition_present(s, p, e);
}

int
store_response_draft_get(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                         struct response_draft *out, struct err *e)
{
    store_read_check(s, t);
    return s->ops->response_draft_get(s, a, petition_id, out, e);
}

int
store_response_draft_put(struct store_txn *t, const struct response_draft *d, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->response_draft_put(s, d, e);
}

int
store_response_table(struct store_txn *t, int64_t petition_id, const struct response *r,
                     struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->response_table(s, petition_id, r, e);
}

int
store_state_move_all(struct store_txn *t, enum petition_state from, enum petition_state to,
                     bool drafts, int64_t at, int64_t mailing_id, int64_t *moved, struct err *e)
{
    struct store *s = store_write_check(t);
    return s->ops->state_move_all(s, from, to, drafts, at, mailing_id, moved, e);
}
