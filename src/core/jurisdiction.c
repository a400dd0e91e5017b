/*
 * jurisdiction.c: sanity of the rules' numbers; see jurisdiction.h.
 */
#include "core/jurisdiction.h"

#include "lib/err.h"
#include "lib/banned.h"

static int
need_positive(int v, const char *what, struct err *e)
{
    if (v <= 0)
        return err_set(e, ERR_INVALID, "error.invalid", what,
                       "jurisdiction: %s must be positive", what);
    return 0;
}

int
jurisdiction_check(const struct jurisdiction *j, struct err *e)
{
    int r;
    if (!j->id[0])
        return err_set(e, ERR_INVALID, "error.invalid", "id", "jurisdiction: id missing");
    if ((r = need_positive(j->supporters_min, "supporters.min", e)) ||
        (r = need_positive(j->supporters_max, "supporters.max", e)) ||
        (r = need_positive(j->supporters_days, "supporters.days", e)) ||
        (r = need_positive(j->signatures_to_certify, "signatures_to_certify", e)) ||
        (r = need_positive(j->paper_signatures_min, "paper_signatures_min", e)) ||
        (r = need_positive(j->words_max, "words_max", e)) ||
        (r = need_positive(j->member_days, "members.days_each", e)) ||
        (r = need_positive(j->members_max, "members.max", e)) ||
        (r = need_positive(j->review_warn_days, "review.warn_days", e)) ||
        (r = need_positive(j->review_overdue_days, "review.overdue_days", e)) ||
        (r = need_positive(j->response_days, "response_days", e)) ||
        (r = need_positive(j->retention_days, "retention_days", e)) ||
        (r = need_positive(j->rate_burst_count, "rate_limits.burst.count", e)) ||
        (r = need_positive(j->rate_burst_seconds, "rate_limits.burst.seconds", e)) ||
        (r = need_positive(j->rate_sustained_count, "rate_limits.sustained.count", e)) ||
        (r = need_positive(j->rate_sustained_seconds, "rate_limits.sustained.seconds", e)))
        return r;
    if (j->confirm_grace_hours < 0)
        return err_set(e, ERR_INVALID, "error.invalid", "confirm_grace_hours",
                       "jurisdiction: confirm_grace_hours must not be negative");
    if (j->supporters_min > j->supporters_max)
        return err_set(e, ERR_INVALID, "error.invalid", "supporters",
                       "jurisdiction: supporters.min exceeds supporters.max");
    if (j->review_warn_days > j->review_overdue_days)
        return err_set(e, ERR_INVALID, "error.invalid", "review",
                       "jurisdiction: review.warn_days exceeds review.overdue_days");
    if (j->periods_count < 1 || j->periods_count > JURISDICTION_MAX_PERIODS)
        return err_set(e, ERR_INVALID, "error.invalid", "signature_periods_days",
                       "jurisdiction: 1 to %d signature periods", JURISDICTION_MAX_PERIODS);
    for (int i = 0; i < j->periods_count; i++)
        if (j->periods_days[i] <= 0 || (i > 0 && j->periods_days[i] <= j->periods_days[i - 1]))
            return err_set(e, ERR_INVALID, "error.invalid", "signature_periods_days",
                           "jurisdiction: signature periods must be positive and ascending");
    return 0;
}

bool
jurisdiction_period_allowed(const struct jurisdiction *j, int days)
{
    for (int i = 0; i < j->periods_count; i++)
        if (j->periods_days[i] == days)
            return true;
    return false;
}
