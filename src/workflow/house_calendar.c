/*
 * house_calendar.c: the House's calendars, as use cases: the sitting days
 * the Clerk keeps, and Parliament's own (prorogation, a new session,
 * dissolution and its consequences, a new Parliament); see
 * house_calendar.h.
 */
#include "workflow/house_calendar.h"

#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/petition_state.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* ---- the sitting calendar ------------------------------------------------------------------- */

int
house_calendar_set(const struct flow *f, struct arena *a, const struct user *clerk,
                   const char *text, bool sitting, int *changed, struct field_errors *fe,
                   int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    enum { DAYS_MAX = 2000 };
    struct civil_date *days = arena_alloc(a, sizeof(*days) * DAYS_MAX);
    int n = 0, r;

    *changed = 0;
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    /* Items are separated by new lines, commas or semicolons. */
    const char *s = text ? text : "";
    while (*s && !fe->count) {
        size_t len = strcspn(s, "\n,;");
        const char *item = s;
        s += len + (s[len] != '\0');
        while (len && (item[0] == ' ' || item[0] == '\t' || item[0] == '\r')) {
            item++;
            len--;
        }
        while (len && (item[len - 1] == ' ' || item[len - 1] == '\t' || item[len - 1] == '\r'))
            len--;
        if (!len)
            continue;
        struct civil_date from, to;
        if (len == 22 && item[10] == '.' && item[11] == '.') {
            if (civil_date_parse(item, 10, &from) || civil_date_parse(item + 12, 10, &to) ||
                civil_date_cmp(from, to) > 0 || civil_date_cmp(to, civil_date_add(from, 400)) > 0) {
                field_error(fe, "days", "house.days_bad");
                break;
            }
            /* A range is its weekdays. */
            for (struct civil_date d = from; civil_date_cmp(d, to) <= 0; d = civil_date_add(d, 1)) {
                int64_t dn = days_from_civil(d.year, d.month, d.day);
                int wd = (int)(((dn % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
                if (wd == 0 || wd == 6)
                    continue;
                if (n == DAYS_MAX) {
                    field_error(fe, "days", "house.days_many");
                    break;
                }
                days[n++] = d;
            }
        } else if (civil_date_parse(item, len, &from) == 0) {
            if (n == DAYS_MAX)
                field_error(fe, "days", "house.days_many");
            else
                days[n++] = from;
        } else {
            field_error(fe, "days", "house.days_bad");
        }
    }
    if (!fe->count && n == 0)
        field_error(fe, "days", "field.required");
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    char first[11], last[11];
    civil_date_format(&days[0], first);
    civil_date_format(&days[n - 1], last);
    json_t *d =
        json_pack("{sisssss}", "days", n, "first", first, "last", last, "text", text ? text : "");
    r = flow_audit(tx, clerk, sitting ? "calendar.add" : "calendar.remove", 0, NULL, NULL, d, now,
                   e);
    json_decref(d);
    for (int i = 0; i < n && !r; i++) {
        char day[11];
        civil_date_format(&days[i], day);
        r = store_sitting_day_set(tx, day, sitting, e);
    }
    if (!r)
        *changed = n;
    return flow_finish(f, tx, r, e);
}

/* ---- Parliament's calendar ------------------------------------------------------------------- */

/* Dissolution's writes: every state the core moves, one mailing to all
 * concerned, the session and the Parliament ended. */
static int
dissolve(struct store_txn *tx, struct arena *a, const struct house_status *h, int64_t *moved,
         int64_t now, struct err *e)
{
    /* "45th" / "45e" ("1st", "1re": la législature). */
    int pn = h->parliament, tens = pn % 100;
    const char *suffix = tens >= 11 && tens <= 13 ? "th"
                         : pn % 10 == 1           ? "st"
                         : pn % 10 == 2           ? "nd"
                         : pn % 10 == 3           ? "rd"
                                                  : "th";
    json_t *v = json_object();
    json_object_set_new(v, "parliament", json_string(arena_printf(a, "%d%s", pn, suffix)));
    json_object_set_new(v, "parliament_fr",
                        json_string(arena_printf(a, "%d%s", pn, pn == 1 ? "re" : "e")));
    flow_set_dates(v, a, "dissolved", now);
    char *vars = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    struct mailing m = {.kind = "dissolution", .created_at = now, .vars = vars};
    int r = store_mailing_insert(tx, &m, e);
    free(vars);
    for (int s = 0; s < PETITION_STATE_COUNT && !r; s++) {
        enum petition_state to;
        int64_t n = 0;
        if (!dissolution_state((enum petition_state)s, &to))
            continue;
        r = store_state_move_all(tx, (enum petition_state)s, to, true, now, m.id, &n, e);
        *moved += n;
    }
    if (!r && h->session_id && !h->session_ended_at)
        r = store_session_end(tx, h->session_id, now, true, e);
    if (!r)
        r = store_parliament_dissolve(tx, h->parliament_id, now, e);
    return r;
}

int
house_calendar_move(const struct flow *f, struct arena *a, const struct user *admin,
                    enum house_move move, int64_t *moved, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    static const char *const actions[] = {
        [HOUSE_PROROGUE] = "parliament.prorogue",
        [HOUSE_OPEN_SESSION] = "parliament.open_session",
        [HOUSE_DISSOLVE] = "parliament.dissolve",
        [HOUSE_OPEN_PARLIAMENT] = "parliament.open",
    };
    struct house_status h;
    int r;

    *moved = 0;
    if (admin->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not an admin");
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_house_status(f->store, tx, &h, e)))
        goto out;
    const char *why = house_move_blocker(&h, move);
    if (why) {
        r = flow_conflict(e, why);
        goto out;
    }
    /* The session or Parliament the move is about: "45-2", "46". */
    struct session ses = {.parliament = h.parliament, .number = h.session, .opened_at = now};
    struct parliament p = {.number = h.parliament + 1, .opened_at = now};
    if (move == HOUSE_OPEN_SESSION)
        ses.number = h.session + 1;
    if (move == HOUSE_OPEN_PARLIAMENT)
        ses = (struct session){.parliament = p.number, .number = 1, .opened_at = now};
    const char *target = move == HOUSE_DISSOLVE
                             ? arena_printf(a, "%d", h.parliament)
                             : arena_printf(a, "%d-%d", ses.parliament, ses.number);
    if ((r = flow_audit(tx, admin, actions[move], 0, target, NULL, NULL, now, e)))
        goto out;
    switch (move) {
    case HOUSE_PROROGUE:
        r = store_session_end(tx, h.session_id, now, false, e);
        break;
    case HOUSE_OPEN_SESSION:
        r = store_session_put(tx, &ses, e);
        break;
    case HOUSE_DISSOLVE:
        r = dissolve(tx, a, &h, moved, now, e);
        break;
    case HOUSE_OPEN_PARLIAMENT:
        if (!(r = store_parliament_put(tx, &p, e)))
            r = store_session_put(tx, &ses, e);
        break;
    }
out:
    return flow_finish(f, tx, r, e);
}
