/*
 * drafts.c: the wrappers of store/drafts.h, the only callers of a
 * backend's drafts table (store/backend.h).
 */
#include "store/backend.h"
#include "lib/banned.h"

int
store_draft_insert(struct store_txn *t, struct draft_record *d, struct err *e)
{
    STORE_WRITE(t, drafts, draft_insert, d, e);
}

int
store_draft_update(struct store_txn *t, const struct draft_record *d, int64_t now, struct err *e)
{
    STORE_WRITE(t, drafts, draft_update, d, now, e);
}

int
store_draft_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                struct draft_record *out, struct err *e)
{
    STORE_READ(s, t, drafts, draft_get, a, id, out, e);
}

int
store_draft_latest(struct store *s, struct store_txn *t, struct arena *a, int64_t petitioner_id,
                   struct draft_record *out, struct err *e)
{
    STORE_READ(s, t, drafts, draft_latest, a, petitioner_id, out, e);
}

int
store_draft_list(struct store *s, struct store_txn *t, struct arena *a, const struct draft_query *q,
                 struct draft_record **out, int *n, struct err *e)
{
    STORE_READ(s, t, drafts, draft_list, a, q, out, n, e);
}

int
store_draft_event_add(struct store_txn *t, int64_t draft_id, int64_t at, int64_t user_id,
                      enum petition_state state, const char *note, struct err *e)
{
    STORE_WRITE(t, drafts, draft_event_add, draft_id, at, user_id, state, note, e);
}

int
store_supporter_insert(struct store_txn *t, struct supporter_record *r, struct err *e)
{
    STORE_WRITE(t, drafts, supporter_insert, r, e);
}

int
store_supporter_update(struct store_txn *t, const struct supporter_record *r, struct err *e)
{
    STORE_WRITE(t, drafts, supporter_update, r, e);
}

int
store_supporter_delete(struct store_txn *t, int64_t draft_id, int64_t id, struct err *e)
{
    STORE_WRITE(t, drafts, supporter_delete, draft_id, id, e);
}

int
store_supporter_get(struct store *s, struct store_txn *t, struct arena *a, int64_t id,
                    struct supporter_record *out, struct err *e)
{
    STORE_READ(s, t, drafts, supporter_get, a, id, out, e);
}

int
store_supporter_list(struct store *s, struct store_txn *t, struct arena *a, int64_t draft_id,
                     struct supporter_record **out, int *n, struct err *e)
{
    STORE_READ(s, t, drafts, supporter_list, a, draft_id, out, n, e);
}

int
store_member_request_insert(struct store_txn *t, struct member_request *r, struct err *e)
{
    STORE_WRITE(t, drafts, member_request_insert, r, e);
}

int
store_member_request_answer(struct store_txn *t, int64_t draft_id, int64_t at, const char *answer,
                            struct err *e)
{
    STORE_WRITE(t, drafts, member_request_answer, draft_id, at, answer, e);
}

int
store_member_request_list(struct store *s, struct store_txn *t, struct arena *a, int64_t draft_id,
                          struct member_request **out, int *n, struct err *e)
{
    STORE_READ(s, t, drafts, member_request_list, a, draft_id, out, n, e);
}
