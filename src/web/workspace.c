/*
 * workspace.c: shared pieces of the signed-in pages; see workspace.h.
 */
#include "web/workspace.h"

#include <string.h>

#include "core/draft.h"
#include "core/eastern_time.h"
#include "core/house.h"
#include "lib/strbuf.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "site/site.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/forms.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

int64_t
ws_now(struct request *req)
{
    const struct site *site = req->app;
    return clock_now(&site->clock);
}

const char *
ws_path(struct request *req, const char *p)
{
    return arena_printf(req->arena, "/%s%s", lang_code(req->lang), p);
}

const char *
ws_date(struct request *req, int64_t t)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    eastern_format_date(&sb, t, req->lang);
    return sb.buf;
}

static const char *
msg(struct request *req, const char *key)
{
    return site_msg(req->app, req->lang, key);
}

json_t *
ws_page(struct request *req, const char *title_key)
{
    json_t *ctx = site_page(req, msg(req, title_key));
    const struct user *u = auth_user(req);
    json_object_set_new(ctx, "csrf", json_string(auth_csrf(req)));
    if (u) {
        json_t *me = json_object();
        json_object_set_new(
            me, "name",
            json_string(arena_printf(req->arena, "%s %s", u->first_name, u->last_name)));
        json_object_set_new(me, "email", json_string(u->email));
        json_object_set_new(
            me, "role",
            json_string(msg(req, arena_printf(req->arena, "role.%s", role_name(u->role)))));
        json_object_set_new(me, "home", json_string(ws_home(req, u->role)));
        json_object_set_new(ctx, "me", me);
    }
    site_html_headers(req, 0);
    return ctx;
}

json_t *
ws_petition_page(struct request *req, const char *title_key, const char *number)
{
    json_t *ctx = ws_page(req, title_key);
    const char *heading = arena_printf(req->arena, "%s %s", msg(req, title_key), number);
    json_object_set_new(ctx, "title", json_string(heading));
    json_object_set_new(ctx, "heading", json_string(heading));
    return ctx;
}

const char *
ws_draft_label(struct request *req, const struct draft_record *d)
{
    if (d->e_number > 0)
        return arena_printf(req->arena, "e-%ld", d->e_number);
    return site_msg_with(req, "staff.draft", arena_printf(req->arena, "%lld", (long long)d->id));
}

void
ws_link(json_t *ctx, const char *href, const char *text)
{
    json_t *links = json_object_get(ctx, "links");
    if (!links) {
        links = json_array();
        json_object_set_new(ctx, "links", links);
    }
    json_t *l = json_object();
    json_object_set_new(l, "href", json_string(href));
    json_object_set_new(l, "text", json_string(text));
    json_array_append_new(links, l);
    json_object_set_new(ctx, "has_links", json_true());
}

json_t *
ws_form(struct request *req, const char *title_key, const char *action, const char *submit_key)
{
    json_t *ctx = ws_page(req, title_key);
    json_object_set_new(ctx, "heading", json_string(msg(req, title_key)));
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "submit", json_string(msg(req, submit_key)));
    json_object_set_new(ctx, "fields", json_array());
    json_object_set_new(ctx, "hidden", json_array());
    return ctx;
}

json_t *
ws_notice_page(struct request *req, const char *heading_key, const char *const *paragraph_keys,
               int n)
{
    json_t *ctx = ws_page(req, heading_key);
    json_object_set_new(ctx, "heading", json_string(msg(req, heading_key)));
    json_t *ps = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(ps, json_string(msg(req, paragraph_keys[i])));
    json_object_set_new(ctx, "paragraphs", ps);
    return ctx;
}

int
ws_notice(struct request *req, int status, const char *heading_key,
          const char *const *paragraph_keys, int n, struct err *e)
{
    json_t *ctx = ws_notice_page(req, heading_key, paragraph_keys, n);
    return site_render(req, status, "notice", ctx, e);
}

void
ws_mail_delayed(json_t *ctx, struct request *req)
{
    const struct site *site = req->app;
    if (outbox_delayed(&site->flow, ws_now(req)))
        json_object_set_new(ctx, "mail_delayed", json_string(msg(req, "mail.delayed")));
}

int
ws_notice_mail(struct request *req, int status, const char *heading_key,
               const char *const *paragraph_keys, int n, struct err *e)
{
    json_t *ctx = ws_notice_page(req, heading_key, paragraph_keys, n);
    ws_mail_delayed(ctx, req);
    return site_render(req, status, "notice", ctx, e);
}

static bool
key_says(const char *key, const char *what)
{
    return key && strstr(key, what) != NULL;
}

int
ws_old_link(struct request *req, enum ws_link_kind kind, const char *petition_path, struct err *e)
{
    static const char *const kinds[] = {"activate", "reset", "support", "sign", "stop"};
    const char *what;
    int status;

    if (e->code == ERR_NOT_FOUND) {
        what = "unknown";
        status = 404;
    } else if (e->code == ERR_GONE) {
        what = key_says(e->key, "expired") || key_says(e->key, "too_late") ||
                       key_says(e->key, "support_closed")
                   ? "expired"
                   : "used";
        status = 410;
    } else {
        return e->code;
    }
    const char *base = arena_printf(req->arena, "old_link.%s.%s", kinds[kind], what);
    json_t *ctx = ws_page(req, arena_printf(req->arena, "%s_title", base));
    json_object_set_new(ctx, "heading",
                        json_string(msg(req, arena_printf(req->arena, "%s_title", base))));
    json_t *ps = json_array();
    json_array_append_new(ps, json_string(msg(req, base)));
    json_array_append_new(
        ps, json_string(msg(req, arena_printf(req->arena, "old_link.%s.again", kinds[kind]))));
    json_object_set_new(ctx, "paragraphs", ps);
    switch (kind) {
    case WS_LINK_ACTIVATE:
        ws_link(ctx, ws_path(req, "/password/forgot"), msg(req, "old_link.activate.new_link"));
        ws_link(ctx, ws_path(req, "/sign-in"), msg(req, "account.sign_in_title"));
        break;
    case WS_LINK_RESET:
        ws_link(ctx, ws_path(req, "/password/forgot"), msg(req, "old_link.reset.new_link"));
        ws_link(ctx, ws_path(req, "/sign-in"), msg(req, "account.sign_in_title"));
        break;
    case WS_LINK_SUPPORT:
        ws_link(ctx, ws_path(req, "/help#supporters"), msg(req, "old_link.support.new_link"));
        break;
    case WS_LINK_SIGN:
        if (petition_path)
            ws_link(ctx, ws_path(req, petition_path), msg(req, "old_link.sign.petition"));
        ws_link(ctx, ws_path(req, "/petitions?status=open"), msg(req, "old_link.sign.new_link"));
        break;
    case WS_LINK_STOP:
        break;
    }
    /* Answered here: the refusal is no longer an error for the dispatcher. */
    *e = (struct err)ERR_INIT;
    return site_render(req, status, "notice", ctx, e);
}

const char *
ws_home(struct request *req, enum role role)
{
    return arena_printf(req->arena, "/%s/%s", lang_code(req->lang), role_workspace(role));
}

void
ws_redirect(struct request *req, const char *path)
{
    resp_header(req, "Cache-Control", "no-store");
    resp_redirect(req, 303, arena_printf(req->arena, "/%s%s", lang_code(req->lang), path));
}

void
ws_done_notice(json_t *ctx, struct request *req)
{
    const char *done = req_query(req, "done");
    if (!done || strlen(done) > 40)
        return;
    for (const char *p = done; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_'))
            return;
    const char *key = arena_printf(req->arena, "done.%s", done);
    const char *text = msg(req, key);
    if (strcmp(text, key) != 0)
        json_object_set_new(ctx, "notice", json_string(text));
    /* The notices after which someone waits for our e-mail to act. */
    static const char *const mailed[] = {"submitted", "supporters-added", "member-asked",
                                         "user-added"};
    for (size_t i = 0; i < sizeof(mailed) / sizeof(mailed[0]); i++)
        if (strcmp(done, mailed[i]) == 0)
            ws_mail_delayed(ctx, req);
}

const char *
ws_member_label(struct request *req, const struct member *m)
{
    const char *c = m->constituency[req->lang] ? m->constituency[req->lang] : "";
    return arena_printf(req->arena, "%s%s%s %s (%s)",
                        m->honorific && *m->honorific ? m->honorific : "",
                        m->honorific && *m->honorific ? " " : "", m->first_name, m->last_name, c);
}

json_t *
ws_preview(struct request *req, const struct draft_text *t, const char *petitioner)
{
    const struct site *site = req->app;
    json_t *p = json_object();
    json_object_set_new(p, "lang", json_string(lang_code(t->lang)));
    json_object_set_new(p, "addressee",
                        json_string(flow_addressee_heading(&site->flow, req->arena, t, t->lang)));
    json_object_set_new(p, "whereas", json_string(site_msg(site, t->lang, "petition.whereas")));
    json_t *g = json_array();
    for (int i = 0; i < t->grievance_count; i++)
        if (t->grievances[i] && *t->grievances[i])
            json_array_append_new(g, json_string(t->grievances[i]));
    json_object_set_new(p, "has_grievances", json_boolean(json_array_size(g) > 0));
    json_object_set_new(p, "grievances", g);
    json_object_set_new(p, "prayer", json_string(t->prayer ? t->prayer : ""));
    if (petitioner)
        json_object_set_new(p, "petitioner", json_string(petitioner));
    return p;
}

/* "2024-05-17", the Eastern date of t. */
const char *
ws_iso_date(struct request *req, int64_t t)
{
    struct civil_time ct;
    eastern_from_utc(t, &ct);
    return arena_printf(req->arena, "%04d-%02d-%02d", ct.year, ct.month, ct.day);
}

/* "Parliament 45, session 1: sitting" and the phase's key. */
json_t *
ws_house_facts(struct request *req, const struct house_status *h)
{
    static const char *const keys[] = {"house.sitting_now", "house.prorogued_now",
                                       "house.dissolved_now"};
    json_t *o = json_object();
    enum house_phase ph = house_phase(h);
    json_object_set_new(o, "parliament", json_integer(h->parliament));
    json_object_set_new(o, "session", json_integer(h->session));
    json_object_set_new(o, "phase", json_string(form_msg(req, keys[ph])));
    json_object_set_new(o, "sitting", json_boolean(ph == HOUSE_SITTING));
    json_object_set_new(o, "prorogued", json_boolean(ph == HOUSE_PROROGUED));
    json_object_set_new(o, "dissolved", json_boolean(ph == HOUSE_DISSOLVED));
    return o;
}
