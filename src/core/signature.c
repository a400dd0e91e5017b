/*
 * signature.c: the rules of signing; see signature.h.
 */
#include "core/signature.h"

#include <string.h>

#include "lib/banned.h"

static const char *const review_names[REVIEW_COUNT] = {
    [REVIEW_CLEAR] = "clear",
    [REVIEW_SUSPECT] = "suspect",
    [REVIEW_VALIDATED] = "validated",
    [REVIEW_INVALIDATED] = "invalidated",
};

const char *
signature_review_name(enum signature_review r)
{
    return (unsigned)r < REVIEW_COUNT ? review_names[r] : "clear";
}

int
signature_review_from_name(const char *s, size_t len, enum signature_review *out)
{
    for (int i = 0; i < REVIEW_COUNT; i++) {
        if (strlen(review_names[i]) == len && memcmp(review_names[i], s, len) == 0) {
            *out = (enum signature_review)i;
            return 0;
        }
    }
    return -1;
}

const char *
sign_flag_name(enum sign_flag f)
{
    switch (f) {
    case SIGN_FLAG_BLOCKED:
        return "blocked";
    case SIGN_FLAG_BURST:
        return "burst";
    case SIGN_FLAG_SUSTAINED:
        return "sustained";
    default:
        return NULL;
    }
}

bool
signature_counted(int64_t confirmed_at, enum signature_review r)
{
    return confirmed_at != 0 && (r == REVIEW_CLEAR || r == REVIEW_VALIDATED);
}

int
signature_count_delta(int64_t confirmed_before, enum signature_review before,
                      int64_t confirmed_after, enum signature_review after)
{
    return (int)signature_counted(confirmed_after, after) -
           (int)signature_counted(confirmed_before, before);
}

enum sign_flag
sign_screen_flag(const struct sign_screen *s, const struct jurisdiction *j)
{
    if (s->blocked)
        return SIGN_FLAG_BLOCKED;
    if (s->allowed)
        return SIGN_FLAG_NONE;
    if (s->burst_seen >= j->rate_burst_count)
        return SIGN_FLAG_BURST;
    if (s->sustained_seen >= j->rate_sustained_count)
        return SIGN_FLAG_SUSTAINED;
    return SIGN_FLAG_NONE;
}

bool
petition_signable(enum petition_state s, int64_t closes_at, int64_t now)
{
    return s == PETITION_OPEN && now < closes_at;
}

int
petition_grace_hours(int fixed, const struct jurisdiction *j)
{
    return fixed >= 0 ? fixed : j->confirm_grace_hours;
}

int
petition_threshold(int fixed, const struct jurisdiction *j)
{
    return fixed > 0 ? fixed : j->signatures_to_certify;
}

int64_t
closing_grace_end(int64_t closes_at, int grace_hours)
{
    return closes_at + (int64_t)grace_hours * 3600;
}

bool
signature_confirmable(enum petition_state s, int64_t closes_at, int grace_hours, int64_t now)
{
    if (s != PETITION_OPEN && s != PETITION_WAITING_FOR_CERTIFICATION)
        return false;
    return now < closing_grace_end(closes_at, grace_hours);
}

enum closing_due
closing_due(const struct closing_timers *t, int64_t now)
{
    if (t->state == PETITION_OPEN)
        return now >= t->closes_at ? CLOSING_CLOSE : CLOSING_NOTHING;
    if (t->state != PETITION_WAITING_FOR_CERTIFICATION || t->queued_at ||
        now < closing_grace_end(t->closes_at, t->grace_hours))
        return CLOSING_NOTHING;
    return t->total + t->suspect_confirmed >= t->threshold ? CLOSING_QUEUE
                                                           : CLOSING_NOT_CERTIFIED;
}

const char *
certification_blocker(const struct closing_timers *t, int64_t suspect_left)
{
    if (t->state != PETITION_WAITING_FOR_CERTIFICATION)
        return "certify.not_waiting";
    if (!t->queued_at)
        return "certify.in_grace";
    if (suspect_left > 0)
        return "certify.suspect_left";
    if (t->total < t->threshold)
        return "certify.too_few";
    return NULL;
}

const char *
refusal_blocker(const struct closing_timers *t)
{
    if (t->state != PETITION_WAITING_FOR_CERTIFICATION)
        return "certify.not_waiting";
    if (!t->queued_at)
        return "certify.in_grace";
    if (t->total + t->suspect_confirmed >= t->threshold)
        return "certify.enough";
    return NULL;
}
