/*
 * jurisdiction.c: the sanity of the rules' numbers; see jurisdiction.h.
 *
 * The file reader (src/workflow/jurisdiction_file.c) checks that every
 * number is present; this checks that together they make sense, so a
 * typing mistake in a jurisdiction file stops the daemon at start-up
 * instead of, say, certifying every petition.  Fields are named as in
 * the file ("supporters.min"), so the log line points at the line to fix.
 */
#include "core/jurisdiction.h"

#include <string.h>

#include <stddef.h>

#include "lib/err.h"
#include "lib/banned.h"

static int
invalid(struct err *e, const char *field, const char *why)
{
    return err_set(e, ERR_INVALID, "error.invalid", field, "jurisdiction: %s %s", field, why);
}

int
jurisdiction_check(const struct jurisdiction *j, struct err *e)
{
    const struct {
        int value;
        const char *field;
    } positive[] = {
        {j->supporters_min, "supporters.min"},
        {j->supporters_max, "supporters.max"},
        {j->supporters_days, "supporters.days"},
        {j->signatures_to_certify, "signatures_to_certify"},
        {j->paper_signatures_min, "paper_signatures_min"},
        {j->words_max, "words_max"},
        {j->member_days, "members.days_each"},
        {j->members_max, "members.max"},
        {j->review_warn_days, "review.warn_days"},
        {j->review_overdue_days, "review.overdue_days"},
        {j->response_days, "response_days"},
        {j->retention_days, "retention_days"},
        {j->rate_burst_count, "rate_limits.burst.count"},
        {j->rate_burst_seconds, "rate_limits.burst.seconds"},
        {j->rate_sustained_count, "rate_limits.sustained.count"},
        {j->rate_sustained_seconds, "rate_limits.sustained.seconds"},
    };

    if (!j->id[0])
        return invalid(e, "id", "is missing");
    for (size_t i = 0; i < sizeof(positive) / sizeof(positive[0]); i++)
        if (positive[i].value <= 0)
            return invalid(e, positive[i].field, "must be positive");
    /* No grace period at all is a choice; a negative one is a typo. */
    if (j->confirm_grace_hours < 0)
        return invalid(e, "confirm_grace_hours", "must not be negative");
    if (j->supporters_min > j->supporters_max)
        return invalid(e, "supporters.min", "exceeds supporters.max");
    if (j->review_warn_days > j->review_overdue_days)
        return invalid(e, "review.warn_days", "exceeds review.overdue_days");
    if (j->periods_count < 1 || j->periods_count > JURISDICTION_MAX_PERIODS)
        return err_set(e, ERR_INVALID, "error.invalid", "signature_periods_days",
                       "jurisdiction: signature_periods_days must hold 1 to %d periods",
                       JURISDICTION_MAX_PERIODS);
    for (int i = 0; i < j->periods_count; i++)
        if (j->periods_days[i] <= 0 || (i > 0 && j->periods_days[i] <= j->periods_days[i - 1]))
            return invalid(e, "signature_periods_days", "must be positive and ascending");
    return 0;
}

bool
jurisdiction_period_allowed(const struct jurisdiction *j, int days)
{
    for (int i = 0; i < j->periods_count && i < JURISDICTION_MAX_PERIODS; i++)
        if (j->periods_days[i] == days)
            return true;
    return false;
}

const struct committee *
jurisdiction_committee(const struct jurisdiction *j, const char *code)
{
    for (int i = 0; code && i < j->committees_count; i++)
        if (strcmp(j->committees[i].code, code) == 0)
            return &j->committees[i];
    return NULL;
}

static bool
listed(const char (*codes)[COMMITTEE_CODE_MAX], int n, const char *code)
{
    for (int i = 0; code && *code && i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return true;
    return false;
}

const struct committee *
jurisdiction_committee_for(const struct jurisdiction *j, const char *subject)
{
    for (int i = 0; i < j->committees_count; i++)
        if (listed(j->committees[i].subjects, j->committees[i].subjects_count, subject))
            return &j->committees[i];
    return NULL;
}

struct presentation_fit
jurisdiction_presentation_fit(const struct jurisdiction *j, const char *subject,
                              const char *committee, const char *ministry, const char *addressed)
{
    struct presentation_fit fit = {.expected = jurisdiction_committee_for(j, subject)};
    if (!fit.expected)
        return fit;
    const struct committee *k = jurisdiction_committee(j, committee);
    fit.committee_off = k && !listed(k->subjects, k->subjects_count, subject);
    if (!ministry || !*ministry || (addressed && strcmp(addressed, ministry) == 0))
        return fit;
    bool found = false;
    for (int i = 0; i < j->committees_count && !found; i++) {
        const struct committee *c = &j->committees[i];
        found = listed(c->subjects, c->subjects_count, subject) &&
                listed(c->ministries, c->ministries_count, ministry);
    }
    fit.ministry_off = !found;
    return fit;
}
