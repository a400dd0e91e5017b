/*
 * calendar_pages.c: Parliament's calendar (rulebook 2.2-2.4):
 *
 *   the Clerk     /{lang}/clerk/calendar       the sitting days
 *   the admin     /{lang}/admin/parliament     prorogue, dissolve, open; mailings
 *
 * Each page checks its role first (403 for every other role) and changes
 * nothing itself: it calls the use cases of workflow/house.h.
 */
#include "web/calendar_pages.h"

#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "site/site.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/confirm.h"
#include "web/forms.h"
#include "web/workspace.h"
#include "workflow/house_calendar.h"
#include "lib/banned.h"

#define STORE(req) (((struct site *)(req)->app)->store)
#define FLOW(req) (&((struct site *)(req)->app)->flow)

/* ---- the Clerk: sitting calendar ------------------------------------------------------------ */

int
page_clerk_calendar(struct request *req, struct err *e)
{
    const struct user *u;
    struct field_errors fe = {0};
    int r, changed;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method != HTTP_POST)
        form_kept(req, &fe); /* after a refusal (Post/Redirect/Get, web/forms.h) */
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        form_refusal_to(req, ws_path(req, "/clerk/calendar"));
        bool add = strcmp(form_value(req, "action"), "remove") != 0;
        r = house_calendar_set(FLOW(req), req->arena, u, form_value(req, "days"), add, &changed,
                               &fe, ws_now(req), e);
        if (r == 0) {
            ws_redirect(req, add ? "/clerk/calendar?done=days-added"
                                 : "/clerk/calendar?done=days-removed");
            return 0;
        }
        if (r != ERR_INVALID || !fe.count)
            return r;
    }
    sitting_day *days;
    int n;
    /* From a month ago: the days that still matter for deadlines. */
    const char *from = ws_iso_date(req, ws_now(req) - 31 * 86400);
    if ((r = store_sitting_days(STORE(req), NULL, req->arena, from, 400, &days, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "house.calendar_title");
    ws_done_notice(ctx, req);
    form_errors(ctx, req, &fe);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        struct civil_date d;
        civil_date_parse(days[i], 10, &d);
        json_t *o = json_object();
        json_object_set_new(o, "iso", json_string(days[i]));
        json_object_set_new(
            o, "text", json_string(ws_date(req, eastern_to_utc(d.year, d.month, d.day, 12, 0, 0))));
        json_array_append_new(list, o);
    }
    json_object_set_new(ctx, "days", list);
    json_object_set_new(ctx, "has_days", json_boolean(n > 0));
    json_t *fields = json_array();
    json_array_append_new(fields, form_field(req, "days", "house.days", FIELD_TEXTAREA, true,
                                             form_value(req, "days"), &fe));
    form_hint(req, json_array_get(fields, 0), "house.days_hint");
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "action", json_string(ws_path(req, "/clerk/calendar")));
    return site_render(req, fe.count ? 422 : 200, "clerk_calendar", ctx, e);
}

/* ---- the administrator: Parliament's calendar -------------------------------------------- */

/* The moves of the calendar, as the forms name them. */
static const char *const moves[] = {
    [HOUSE_PROROGUE] = "prorogue",
    [HOUSE_OPEN_SESSION] = "open_session",
    [HOUSE_DISSOLVE] = "dissolve",
    [HOUSE_OPEN_PARLIAMENT] = "open_parliament",
};

/* The move named action, or -1. */
static int
move_named(const char *action)
{
    for (int i = 0; i < (int)(sizeof(moves) / sizeof(moves[0])); i++)
        if (action && strcmp(action, moves[i]) == 0)
            return i;
    return -1;
}

/* Proroguing and dissolving cannot be undone: they are asked first
 * (web/confirm.h), and refused as the move itself would be (409) when
 * the House's state does not allow them. */
static bool
move_asked(int move)
{
    return move == HOUSE_PROROGUE || move == HOUSE_DISSOLVE;
}

static int
move_question(struct request *req, int move, struct err *e)
{
    struct house_status h;
    int r;
    if ((r = store_house_status(STORE(req), NULL, &h, e)))
        return r;
    const char *blocked = house_move_blocker(&h, (enum house_move)move);
    if (blocked)
        return err_set(e, ERR_CONFLICT, blocked, NULL, "house move %s", moves[move]);
    const char *self = ws_path(req, "/admin/parliament");
    const char *session = arena_printf(req->arena, "%d-%d", h.parliament, h.session);
    struct confirm_page c = confirm_page_for(req, moves[move], self, self);
    c.name = session;
    c.danger = true;
    confirm_fact(&c, "confirm.parliament", session);
    confirm_hidden(&c, "action", moves[move]);
    return confirm_render(req, 200, &c, e);
}

int
page_admin_parliament(struct request *req, struct err *e)
{
    const struct user *u;
    struct house_status h;
    int r;

    if ((r = auth_require(req, ROLE_ADMIN, &u, e)))
        return r > 0 ? 0 : r;
    int asked = move_named(req_query(req, "action"));
    if (req->method != HTTP_POST && move_asked(asked))
        return move_question(req, asked, e);
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        int move = move_named(form_value(req, "action"));
        if (move < 0)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown action");
        if (move_asked(move) && !confirm_given(req))
            return move_question(req, move, e);
        int64_t moved;
        if ((r = house_calendar_move(FLOW(req), req->arena, u, (enum house_move)move, &moved,
                                     ws_now(req), e)))
            return r;
        /* Notices are named with '-' (ws_done_notice). */
        static const char *const done[] = {
            [HOUSE_PROROGUE] = "prorogued",
            [HOUSE_OPEN_SESSION] = "session-opened",
            [HOUSE_DISSOLVE] = "dissolved",
            [HOUSE_OPEN_PARLIAMENT] = "parliament-opened",
        };
        ws_redirect(req, arena_printf(req->arena, "/admin/parliament?done=%s", done[move]));
        return 0;
    }
    if ((r = store_house_status(STORE(req), NULL, &h, e)))
        return r;
    json_t *ctx = ws_page(req, "house.parliament_title");
    ws_done_notice(ctx, req);
    json_object_set_new(ctx, "house", ws_house_facts(req, &h));
    struct session *ses;
    int n;
    if ((r = store_session_list(STORE(req), NULL, req->arena, &ses, &n, e))) {
        json_decref(ctx);
        return r;
    }
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(
            o, "name",
            json_string(arena_printf(req->arena, "%d-%d", ses[i].parliament, ses[i].number)));
        json_object_set_new(o, "opened", json_string(ws_date(req, ses[i].opened_at)));
        if (ses[i].ended_at) {
            json_object_set_new(o, "ended", json_string(ws_date(req, ses[i].ended_at)));
            json_object_set_new(
                o, "how",
                json_string(form_msg(req, ses[i].dissolved ? "house.by_dissolution"
                                                           : "house.by_prorogation")));
        }
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "sessions", rows);
    json_object_set_new(ctx, "can_prorogue", json_boolean(!house_move_blocker(&h, HOUSE_PROROGUE)));
    json_object_set_new(ctx, "can_open_session",
                        json_boolean(!house_move_blocker(&h, HOUSE_OPEN_SESSION)));
    json_object_set_new(ctx, "can_dissolve", json_boolean(!house_move_blocker(&h, HOUSE_DISSOLVE)));
    json_object_set_new(ctx, "can_open_parliament",
                        json_boolean(!house_move_blocker(&h, HOUSE_OPEN_PARLIAMENT)));
    json_object_set_new(ctx, "next_session", json_integer(h.session + 1));
    json_object_set_new(ctx, "next_parliament", json_integer(h.parliament + 1));
    /* The mailing being sent, if any. */
    struct mailing m;
    struct err e2 = ERR_INIT;
    if (store_mailing_open(STORE(req), NULL, req->arena, &m, &e2) == 0) {
        struct mailing_progress pg;
        if (store_mailing_progress(STORE(req), NULL, m.id, &pg, &e2) == 0) {
            json_t *o = json_object();
            json_object_set_new(o, "kind", json_string(m.kind));
            json_object_set_new(o, "recipients", json_integer(pg.recipients));
            json_object_set_new(o, "queued", json_integer(pg.queued));
            json_object_set_new(o, "sent", json_integer(pg.sent));
            json_object_set_new(o, "listing", json_boolean(!m.collected_at));
            json_object_set_new(ctx, "mailing", o);
        }
    }
    json_object_set_new(ctx, "action", json_string(ws_path(req, "/admin/parliament")));
    return site_render(req, 200, "admin_parliament", ctx, e);
}
