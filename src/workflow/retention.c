/*
 * retention.c: the erasure of personal data; see retention.h.
 */
#include "workflow/retention.h"

#include <jansson.h>
#include <stdio.h>

#include "core/house.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* Erase one item with its audit record, in one transaction. */
static int
erase_one(const struct flow *f, const struct retention_item *it, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    json_t *details = json_pack("{sIsI}", "signatures", (json_int_t)it->signatures, "supporters",
                                (json_int_t)it->supporters);
    int r = flow_begin(f, &tx, e);
    if (r)
        goto out;
    r = flow_audit(tx, NULL, "retention.erase", it->petition_id, it->label, NULL, details, now, e);
    if (!r)
        r = store_retention_erase(tx, it, now, e);
    r = flow_finish(f, tx, r, e);
out:
    json_decref(details);
    return r;
}

int
retention_run(const struct flow *f, struct arena *a, bool dry_run, int64_t now,
              struct retention_item **out, int *n, struct err *e)
{
    int days = f->rules->retention_days;
    int64_t before = now - (int64_t)days * 86400, pruned = 0;
    struct retention_item *due;
    int count, r;

    *out = NULL;
    *n = 0;
    if ((r = store_retention_due(f->store, NULL, a, before, &due, &count, e)))
        return r;
    *out = arena_alloc(a, sizeof(**out) * (size_t)(count ? count : 1));
    for (int i = 0; i < count; i++) {
        /* The store chose by date and state; the rule is the core's. */
        if (!retention_due(due[i].state, due[i].final_at, days, now))
            continue;
        if (!dry_run) {
            r = erase_one(f, &due[i], now, e);
            if (r == ERR_CONFLICT) /* erased by another run meanwhile */
                continue;
            if (r)
                return r;
        }
        (*out)[(*n)++] = due[i];
    }
    if (dry_run)
        return 0;
    /* The mail kept past its time, and the report: no page shows either. */
    struct store_txn *tx = NULL;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    int64_t forms = 0;
    r = store_retention_prune_mail(tx, before, &pruned, e);
    /* Refused forms' states kept past their ten minutes. */
    if (!r && !(r = store_retention_prune_forms(tx, now, &forms, e))) {
        pruned += forms;
        char summary[128];
        snprintf(summary, sizeof(summary), "{\"at\":%lld,\"erased\":%d,\"pruned\":%lld}",
                 (long long)now, *n, (long long)pruned);
        r = store_meta_set(tx, "retention_run", summary, e);
    }
    return flow_finish_quiet(tx, r, e);
}

int
retention_last_run(const struct flow *f, int64_t *at, struct err *e)
{
    struct arena *a = arena_new();
    const char *value;
    int r;

    *at = 0;
    if (!(r = store_meta_get(f->store, NULL, a, "retention_run", &value, e)) && value) {
        json_t *j = json_loads(value, 0, NULL);
        json_t *v = json_object_get(j, "at");
        if (json_is_integer(v))
            *at = (int64_t)json_integer_value(v);
        json_decref(j);
    }
    arena_free(a);
    return r;
}
