/*
 * house.c: the wrappers of store/house.h, the only callers of a
 * backend's house table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_parliament_put(struct store_txn *t, struct parliament *p, struct err *e)
{
    STORE_WRITE(t, house, parliament_put, p, e);
}

int
store_session_put(struct store_txn *t, struct session *ses, struct err *e)
{
    STORE_WRITE(t, house, session_put, ses, e);
}

int
store_member_put(struct store_txn *t, struct member *m, struct err *e)
{
    STORE_WRITE(t, house, member_put, m, e);
}

int
store_ministry_put(struct store_txn *t, struct ministry *m, struct err *e)
{
    STORE_WRITE(t, house, ministry_put, m, e);
}

int
store_minister_put(struct store_txn *t, struct minister *m, struct err *e)
{
    STORE_WRITE(t, house, minister_put, m, e);
}

int
store_parliament_list(struct store *s, struct store_txn *t, struct arena *a, struct parliament **out,
                      int *n, struct err *e)
{
    STORE_READ(s, t, house, parliament_list, a, out, n, e);
}

int
store_member_directory(struct store *s, struct store_txn *t, struct arena *a, struct member **out,
                       int *n, struct err *e)
{
    STORE_READ(s, t, house, member_directory, a, out, n, e);
}

int
store_member_list(struct store *s, struct store_txn *t, struct arena *a, bool with_speaker,
                  struct member **out, int *n, struct err *e)
{
    STORE_READ(s, t, house, member_list, a, with_speaker, out, n, e);
}

int
store_member_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id, const char *key,
                 struct member *out, struct err *e)
{
    STORE_READ(s, t, house, member_get, a, id, key, out, e);
}

int
store_ministry_list(struct store *s, struct store_txn *t, struct arena *a, struct ministry **out,
                    int *n, struct err *e)
{
    STORE_READ(s, t, house, ministry_list, a, out, n, e);
}

int
store_ministry_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                   const char *code, struct ministry *out, struct err *e)
{
    STORE_READ(s, t, house, ministry_get, a, id, code, out, e);
}

int
store_session_current(struct store *s, struct store_txn *t, int *parliament, int *session,
                      struct err *e)
{
    STORE_READ(s, t, house, session_current, parliament, session, e);
}

int
store_house_status(struct store *s, struct store_txn *t, struct house_status *out, struct err *e)
{
    STORE_READ(s, t, house, house_status, out, e);
}

int
store_session_list(struct store *s, struct store_txn *t, struct arena *a, struct session **out,
                   int *n, struct err *e)
{
    STORE_READ(s, t, house, session_list, a, out, n, e);
}

int
store_session_end(struct store_txn *t, int64_t session_id, int64_t at, bool dissolution,
                  struct err *e)
{
    STORE_WRITE(t, house, session_end, session_id, at, dissolution, e);
}

int
store_parliament_dissolve(struct store_txn *t, int64_t parliament_id, int64_t at, struct err *e)
{
    STORE_WRITE(t, house, parliament_dissolve, parliament_id, at, e);
}

int
store_sitting_days(struct store *s, struct store_txn *t, struct arena *a, const char *from,
                   int limit, sitting_day **out, int *n, struct err *e)
{
    STORE_READ(s, t, house, sitting_days, a, from, limit, out, n, e);
}

int
store_sitting_day_set(struct store_txn *t, const char *day, bool sitting, struct err *e)
{
    STORE_WRITE(t, house, sitting_day_set, day, sitting, e);
}

int
store_presentation_next(struct store_txn *t, int64_t session_id, int *sequence, struct err *e)
{
    STORE_WRITE(t, house, presentation_next, session_id, sequence, e);
}

int
store_petition_present(struct store_txn *t, const struct presentation *p, struct err *e)
{
    STORE_WRITE(t, house, petition_present, p, e);
}

int
store_response_draft_get(struct store *s, struct store_txn *t, struct arena *a, int64_t petition_id,
                         struct response_draft *out, struct err *e)
{
    STORE_READ(s, t, house, response_draft_get, a, petition_id, out, e);
}

int
store_response_draft_put(struct store_txn *t, const struct response_draft *d, struct err *e)
{
    STORE_WRITE(t, house, response_draft_put, d, e);
}

int
store_response_table(struct store_txn *t, int64_t petition_id, const struct response *r,
                     struct err *e)
{
    STORE_WRITE(t, house, response_table, petition_id, r, e);
}

int
store_state_move_all(struct store_txn *t, enum petition_state from, enum petition_state to,
                     bool drafts, int64_t at, int64_t mailing_id, int64_t *moved, struct err *e)
{
    STORE_WRITE(t, house, state_move_all, from, to, drafts, at, mailing_id, moved, e);
}
