/*
 * house.c: presentation, the response deadline and Parliament's calendar,
 * decided from plain values; see house.h.
 */
#include "core/house.h"


#include "core/eastern_time.h"
#include "lib/banned.h"

enum house_phase
house_phase(const struct house_status *h)
{
    if (h->parliament == 0 || h->dissolved_at)
        return HOUSE_DISSOLVED;
    if (h->session_id == 0 || h->session_ended_at)
        return HOUSE_PROROGUED;
    return HOUSE_SITTING;
}

static const char *
phase_key(enum house_phase p)
{
    return p == HOUSE_DISSOLVED ? "house.dissolved" : "house.prorogued";
}

const char *
house_blocks_new_petitions(const struct house_status *h)
{
    return house_phase(h) == HOUSE_DISSOLVED ? "house.dissolved" : NULL;
}

const char *
house_blocks_presentation(const struct house_status *h)
{
    enum house_phase p = house_phase(h);
    return p == HOUSE_SITTING ? NULL : phase_key(p);
}

const char *
house_blocks_prorogation(const struct house_status *h)
{
    return house_blocks_presentation(h);
}

const char *
house_blocks_new_session(const struct house_status *h)
{
    switch (house_phase(h)) {
    case HOUSE_PROROGUED:
        return h->session >= 9 ? "house.sessions_full" : NULL;
    case HOUSE_SITTING:
        return "house.sitting";
    default:
        return "house.dissolved";
    }
}

const char *
house_blocks_dissolution(const struct house_status *h)
{
    return house_phase(h) == HOUSE_DISSOLVED ? "house.dissolved" : NULL;
}

const char *
house_blocks_new_parliament(const struct house_status *h)
{
    if (house_phase(h) != HOUSE_DISSOLVED)
        return "house.not_dissolved";
    return h->parliament >= 99 ? "house.parliaments_full" : NULL;
}

const char *
house_move_blocker(const struct house_status *h, enum house_move m)
{
    switch (m) {
    case HOUSE_PROROGUE:
        return house_blocks_prorogation(h);
    case HOUSE_OPEN_SESSION:
        return house_blocks_new_session(h);
    case HOUSE_DISSOLVE:
        return house_blocks_dissolution(h);
    case HOUSE_OPEN_PARLIAMENT:
        return house_blocks_new_parliament(h);
    }
    return "house.no_parliament";
}

bool
dissolution_state(enum petition_state s, enum petition_state *to)
{
    if (petition_state_is_final(s))
        return false;
    *to = s == PETITION_PRESENTED ? PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION
                                  : PETITION_CLOSED_UPON_DISSOLUTION;
    return true;
}

/* ---- dates ------------------------------------------------------------------------ */

static int64_t
date_days(struct civil_date d)
{
    return days_from_civil(d.year, d.month, d.day);
}

static struct civil_date
days_date(int64_t days)
{
    struct civil_date d;
    civil_from_days(days, &d.year, &d.month, &d.day);
    return d;
}

int
civil_date_parse(const char *s, size_t len, struct civil_date *out)
{
    int v[3] = {0, 0, 0};
    static const int widths[3] = {4, 2, 2};
    size_t i = 0;
    if (len != 10)
        return -1;
    for (int part = 0; part < 3; part++) {
        for (int k = 0; k < widths[part]; k++, i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v[part] = v[part] * 10 + (s[i] - '0');
        }
        if (part < 2 && s[i++] != '-')
            return -1;
    }
    if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1)
        return -1;
    /* A real day: it survives the round trip through a day count. */
    struct civil_date d = {v[0], v[1], v[2]}, back = days_date(date_days(d));
    if (back.month != d.month || back.day != d.day)
        return -1;
    *out = d;
    return 0;
}

void
civil_date_format(const struct civil_date *d, char out[11])
{
    unsigned v[3] = {(unsigned)d->year % 10000u, (unsigned)d->month % 100u,
                     (unsigned)d->day % 100u};
    static const int widths[3] = {4, 2, 2};
    int i = 0;
    for (int part = 0; part < 3; part++) {
        for (int k = widths[part] - 1; k >= 0; k--) {
            out[i + k] = (char)('0' + v[part] % 10);
            v[part] /= 10;
        }
        i += widths[part];
        if (part < 2)
            out[i++] = '-';
    }
    out[10] = '\0';
}

struct civil_date
civil_date_add(struct civil_date d, int days)
{
    return days_date(date_days(d) + days);
}

int
civil_date_cmp(struct civil_date a, struct civil_date b)
{
    int64_t x = date_days(a), y = date_days(b);
    return x < y ? -1 : x > y;
}

struct civil_date
response_due(struct civil_date presented, int days, const struct civil_date *sitting, int n)
{
    struct civil_date due = civil_date_add(presented, days);
    /* The first sitting day on or after the 45th day (the list is sorted). */
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (civil_date_cmp(sitting[mid], due) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? sitting[lo] : due;
}

bool
response_overdue(struct civil_date due, struct civil_date today, bool answered)
{
    return !answered && civil_date_cmp(today, due) > 0;
}

const char *
presentation_date_blocker(struct civil_date on, struct civil_date certified,
                          struct civil_date session_opened, struct civil_date today)
{
    if (civil_date_cmp(on, today) > 0)
        return "present.future";
    if (civil_date_cmp(on, certified) < 0)
        return "present.before_certified";
    if (civil_date_cmp(on, session_opened) < 0)
        return "present.before_session";
    return NULL;
}

const char *
tabling_date_blocker(struct civil_date on, struct civil_date presented, struct civil_date today)
{
    if (civil_date_cmp(on, today) > 0)
        return "response.future";
    if (civil_date_cmp(on, presented) < 0)
        return "response.before_presented";
    return NULL;
}

bool
retention_due(enum petition_state s, int64_t state_changed_at, int days, int64_t now)
{
    return petition_state_is_final(s) &&
           now - state_changed_at >= (int64_t)days * 86400;
}
