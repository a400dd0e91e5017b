/*
 * sign_review.c: the Clerk's review of signatures: one at a time, every
 * held one of a petition, or every match of a condition (rulebook 11.7),
 * each with its audit record and its counts; see sign_review.h.
 */
#include "workflow/sign_review.h"

#include <string.h>

#include "core/account.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

/* ---- one signature, or the held ones ------------------------------------------------------- */

static bool
reviewable(enum petition_state s)
{
    return s == PETITION_OPEN || s == PETITION_WAITING_FOR_CERTIFICATION;
}

bool
sign_reviewable(enum petition_state s)
{
    return reviewable(s);
}

/* Move one signature to review `to`, with its count and its petition's
 * log (lt, flushed by the caller); inside a transaction. */
static int
apply_review(const struct flow *f, struct store_txn *tx, struct log_txn *lt,
             struct signature_record *g, const struct user *clerk, enum signature_review to,
             const char *reason, int64_t now, struct err *e)
{
    int delta = signature_count_delta(g->confirmed_at, g->review, g->confirmed_at, to);
    int r = 0;
    if (delta > 0)
        r = log_txn_sig(f, tx, lt, g, now, e);
    else if (delta < 0)
        r = log_txn_void(f, tx, lt, g, PETITION_LOG_VOID_CLERK, e);
    if (r)
        return r;
    g->review = to;
    g->review_note = reason && *reason ? reason : NULL;
    g->reviewed_at = now;
    g->reviewed_by = clerk->id;
    r = store_signature_update(tx, g, e);
    if (!r)
        r = store_petition_count_add(tx, g->petition_id, g->region, delta, now, e);
    return r;
}

static int
check_review(const struct user *clerk, enum signature_review to, struct err *e)
{
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if (to != REVIEW_VALIDATED && to != REVIEW_INVALIDATED)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "review to %d", (int)to);
    return 0;
}

/* The audit action of a review. */
static const char *
review_action(enum signature_review to, bool bulk)
{
    if (to == REVIEW_VALIDATED)
        return bulk ? "signature.validate_bulk" : "signature.validate";
    return bulk ? "signature.invalidate_bulk" : "signature.invalidate";
}

int
sign_review(const struct flow *f, struct arena *a, const struct user *clerk, int64_t id,
            enum signature_review to, const char *reason, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct signature_record g;
    struct petition_brief p;
    int r;

    if ((r = check_review(clerk, to, e)) || (r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_signature_get(f->store, tx, a, id, &g, e)) ||
        (r = store_petition_brief(f->store, tx, g.petition_id, 0, &p, e)))
        goto out;
    if (!reviewable(p.state)) {
        r = flow_conflict(e, "sign.review_closed");
        goto out;
    }
    json_t *details = json_pack("{sI}", "signature", (json_int_t)id);
    r = flow_audit(tx, clerk, review_action(to, false), p.id, flow_number_text(a, p.e_number),
                   reason, details, now, e);
    json_decref(details);
    struct log_txn lt;
    log_txn_init(&lt, a);
    if (!r)
        r = apply_review(f, tx, &lt, &g, clerk, to, reason, now, e);
    if (!r)
        r = log_txn_flush(tx, &lt, e);
out:
    return flow_finish(f, tx, r, e);
}

int
sign_review_held(const struct flow *f, struct arena *a, const struct user *clerk,
                 int64_t petition_id, enum signature_review to, int *changed, int64_t now,
                 struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition_brief p;
    int r;

    *changed = 0;
    if ((r = check_review(clerk, to, e)) || (r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_petition_brief(f->store, tx, petition_id, 0, &p, e)))
        goto out;
    if (!reviewable(p.state)) {
        r = flow_conflict(e, "sign.review_closed");
        goto out;
    }
    struct signature_stats stats;
    if ((r = store_signature_stats(f->store, tx, petition_id, &stats, e)))
        goto out;
    json_t *details = json_pack("{sssI}", "which", "held", "count", (json_int_t)stats.suspect);
    r = flow_audit(tx, clerk, review_action(to, true), p.id, flow_number_text(a, p.e_number), NULL,
                   details, now, e);
    json_decref(details);
    if (r)
        goto out;
    /* The held ones leave the list as they are reviewed: read from the top. */
    struct log_txn lt;
    log_txn_init(&lt, a);
    for (;;) {
        struct signature_record *list;
        int n;
        struct signature_query q = {
            .petition_id = petition_id, .has_review = true, .review = REVIEW_SUSPECT, .limit = 500};
        if ((r = store_signature_list(f->store, tx, a, &q, &list, &n, e)) || n == 0)
            break;
        for (int i = 0; i < n && !r; i++)
            r = apply_review(f, tx, &lt, &list[i], clerk, to, NULL, now, e);
        if (r)
            break;
        *changed += n;
    }
    if (!r)
        r = log_txn_flush(tx, &lt, e);
out:
    return flow_finish(f, tx, r, e);
}

/* ---- review by condition (rulebook 11.7) ------------------------------------------------- */

/* Rows a bulk review reads at a time, each page in an arena of its own. */
enum { BULK_PAGE = 500 };

/* The search whose rows a bulk review to `to` may change; false when none
 * can.  *minus_invalidated when the matches already invalidated must be
 * subtracted from its count (an invalidation with no state condition:
 * the filter cannot say "not invalidated"). */
static bool
bulk_filter(const struct signature_filter *flt, enum signature_review to,
            struct signature_filter *eff, bool *minus_invalidated)
{
    *eff = *flt;
    *minus_invalidated = false;
    if (to == REVIEW_VALIDATED) {
        if (flt->has_review && flt->review != REVIEW_SUSPECT)
            return false;
        eff->has_review = true;
        eff->review = REVIEW_SUSPECT;
        return true;
    }
    if (flt->has_review)
        return flt->review != REVIEW_INVALIDATED;
    /* "pending" already leaves the invalidated ones out. */
    *minus_invalidated = !flt->pending;
    return true;
}

/* Whether a bulk review to `to` changes g. */
static bool
bulk_changes(const struct signature_record *g, enum signature_review to)
{
    return to == REVIEW_VALIDATED ? g->review == REVIEW_SUSPECT : g->review != REVIEW_INVALIDATED;
}

/* How many signatures a bulk review would change, read in tx (NULL: the
 * Clerk's preview, outside any transaction). */
static int
bulk_count(const struct flow *f, struct store_txn *tx, const struct signature_filter *flt,
           enum signature_review to, int64_t *n, struct err *e)
{
    struct signature_filter eff;
    bool minus;
    int64_t gone = 0;
    int r;

    *n = 0;
    if (to != REVIEW_VALIDATED && to != REVIEW_INVALIDATED)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "review to %d", (int)to);
    if (!bulk_filter(flt, to, &eff, &minus))
        return 0;
    if ((r = store_signature_search_count(f->store, tx, &eff, n, e)))
        return r;
    if (minus) {
        eff.has_review = true;
        eff.review = REVIEW_INVALIDATED;
        if ((r = store_signature_search_count(f->store, tx, &eff, &gone, e)))
            return r;
        *n -= gone;
    }
    return 0;
}

int
sign_bulk_count(const struct flow *f, const struct signature_filter *flt, enum signature_review to,
                int64_t *n, struct err *e)
{
    return bulk_count(f, NULL, flt, to, n, e);
}

/* The filter as the audit record keeps it. */
static json_t *
filter_json(const struct signature_filter *flt)
{
    json_t *o = json_object();
    if (flt->domain && *flt->domain)
        json_object_set_new(o, "domain", json_string(flt->domain));
    if (flt->network && *flt->network)
        json_object_set_new(o, "network", json_string(flt->network));
    if (flt->postal_prefix && *flt->postal_prefix)
        json_object_set_new(o, "postal_prefix", json_string(flt->postal_prefix));
    if (flt->from)
        json_object_set_new(o, "from", json_integer(flt->from));
    if (flt->to)
        json_object_set_new(o, "to", json_integer(flt->to));
    if (flt->same_mailbox)
        json_object_set_new(o, "mailbox", json_string("same"));
    if (flt->pending)
        json_object_set_new(o, "state", json_string("pending"));
    else if (flt->has_review)
        json_object_set_new(o, "state", json_string(signature_review_name(flt->review)));
    return o;
}

/* Review every row of eff that a bulk review changes, a page at a time
 * (keyset: rows leave a state filter as they are reviewed). */
static int
bulk_apply(const struct flow *f, struct store_txn *tx, struct arena *a, const struct user *clerk,
           const struct signature_filter *eff, enum signature_review to, const char *reason,
           int *changed, int64_t now, struct err *e)
{
    struct log_txn lt;
    int64_t after = 0;
    int r = 0;
    log_txn_init(&lt, a);
    for (;;) {
        struct arena *page = arena_new();
        struct signature_record *list;
        int n;
        r = store_signature_search(f->store, tx, page, eff, after, BULK_PAGE, &list, &n, e);
        for (int i = 0; i < n && !r; i++) {
            if (!bulk_changes(&list[i], to))
                continue;
            r = apply_review(f, tx, &lt, &list[i], clerk, to, reason, now, e);
            (*changed)++;
        }
        if (n > 0)
            after = list[n - 1].id;
        arena_free(page);
        /* The page's entries are written with it. */
        if (!r)
            r = log_txn_flush(tx, &lt, e);
        if (r || n < BULK_PAGE)
            return r;
    }
}

int
sign_review_bulk(const struct flow *f, struct arena *a, const struct user *clerk,
                 const struct signature_filter *flt, enum signature_review to, const char *reason,
                 int64_t expected, int *changed, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct field_errors fe = {0};
    struct petition_brief p;
    struct signature_filter eff;
    bool minus;
    int64_t n;
    int r;

    *changed = 0;
    if ((r = check_review(clerk, to, e)))
        return r;
    check_text(&fe, "reason", reason ? reason : "", SIGN_REASON_MAX, to == REVIEW_INVALIDATED);
    if (fe.count) {
        const char *key = fe.items[0].key;
        if (strcmp(key, "field.required") == 0)
            key = "review_tools.reason_required";
        return err_set(e, ERR_INVALID, key, "reason", "bulk review: reason refused");
    }
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_petition_brief(f->store, tx, flt->petition_id, 0, &p, e)))
        goto out;
    if (!reviewable(p.state)) {
        r = flow_conflict(e, "sign.review_closed");
        goto out;
    }
    /* The count the Clerk previewed must still hold, in this transaction. */
    if ((r = bulk_count(f, tx, flt, to, &n, e)))
        goto out;
    if (n != expected) {
        r = flow_conflict(e, "review_tools.count_changed");
        goto out;
    }
    if (n == 0 || !bulk_filter(flt, to, &eff, &minus))
        goto out; /* nothing to change, nothing to record */
    json_t *details = json_object();
    json_object_set_new(details, "filter", filter_json(flt));
    json_object_set_new(details, "count", json_integer(n));
    r = flow_audit(tx, clerk, review_action(to, true), p.id, flow_number_text(a, p.e_number),
                   reason && *reason ? reason : NULL, details, now, e);
    json_decref(details);
    if (r)
        goto out;
    if ((r = bulk_apply(f, tx, a, clerk, &eff, to, reason, changed, now, e)))
        goto out;
    if (*changed != n)
        r = err_set(e, ERR_INTERNAL, "error.internal", NULL, "bulk review changed %d of %lld",
                    *changed, (long long)n);
out:
    r = flow_finish(f, tx, r, e);
    if (r)
        *changed = 0;
    return r;
}
