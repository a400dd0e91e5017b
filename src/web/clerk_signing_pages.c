/*
 * clerk_signing_pages.c: the Clerk's side of signing (rulebook 11.7,
 * 11.8, 11.10): petitions taking or awaiting signatures with their held
 * signatures, the review of those (validate or invalidate, one or all),
 * certification, and the allow and block lists.
 *
 * Signers' personal data appears on these pages and nowhere else; they
 * are private (no-store) and the Clerk's alone (403 for every other role).
 */
#include <stdio.h>
#include <string.h>

#include "core/numbering.h"
#include "core/signature.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "store/store.h"
#include "web/account_pages.h"
#include "web/auth.h"
#include "web/forms.h"
#include "web/pages.h"
#include "web/site.h"
#include "web/workspace.h"
#include "workflow/signing.h"
#include "lib/banned.h"

enum { HELD_SHOWN = 200 };

/* Where a petition stands between opening and certification. */
static const char *
stage_key(const struct closing_timers *t, int64_t now)
{
    if (t->state == PETITION_OPEN)
        return now < t->closes_at ? "signing.stage_open" : "signing.stage_closing";
    if (t->state != PETITION_WAITING_FOR_CERTIFICATION)
        return "signing.stage_done";
    if (!t->queued_at)
        return now < closing_grace_end(t->closes_at, t->grace_hours) ? "signing.stage_grace"
                                                                      : "signing.stage_due";
    return "signing.stage_queued";
}

static json_t *
petition_row(struct request *req, const struct petition *p, struct err *e)
{
    struct site *site = req->app;
    struct petition_brief b;
    struct signature_stats st;
    if (site->store->ops->petition_brief(site->store, p->id, 0, &b, e) ||
        site->store->ops->signature_stats(site->store, p->id, &st, e))
        return NULL;
    struct closing_timers t = sign_timers(&site->flow, &b, st.suspect_confirmed);
    const char *num = petition_number_text(req, p);
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(num));
    json_object_set_new(o, "href", json_string(ws_path(req, arena_printf(req->arena,
                                                                         "/clerk/signatures/%s",
                                                                         num))));
    json_object_set_new(o, "stage", json_string(form_msg(req, stage_key(&t, ws_now(req)))));
    json_object_set_new(o, "closes", json_string(ws_date(req, b.closes_at)));
    json_object_set_new(o, "total", json_integer(b.total));
    json_object_set_new(o, "threshold", json_integer(t.threshold));
    json_object_set_new(o, "held", json_integer(st.suspect));
    json_object_set_new(o, "pending", json_integer(st.pending));
    return o;
}

int
page_clerk_signatures(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    json_t *ctx = ws_page(req, "signing.title");
    static const enum petition_state states[] = {PETITION_WAITING_FOR_CERTIFICATION,
                                                 PETITION_OPEN};
    static const char *const names[] = {"waiting", "open"};
    for (int k = 0; k < 2; k++) {
        json_t *rows = json_array();
        for (int page = 0;; page++) {
            struct petition_list list;
            struct petition_query q = {.has_state = true, .state = states[k],
                                       .has_kind = true, .kind = PETITION_ELECTRONIC,
                                       .sort = SORT_OLDEST, .limit = 100, .offset = page * 100};
            if ((r = site->store->ops->petition_list(site->store, req->arena, &q, &list, e))) {
                json_decref(rows);
                json_decref(ctx);
                return r;
            }
            for (int i = 0; i < list.count; i++) {
                json_t *row = petition_row(req, &list.items[i], e);
                if (!row) {
                    json_decref(rows);
                    json_decref(ctx);
                    return e->code;
                }
                json_array_append_new(rows, row);
            }
            if (list.count < 100)
                break;
        }
        json_object_set_new(ctx, arena_printf(req->arena, "has_%s", names[k]),
                            json_boolean(json_array_size(rows) > 0));
        json_object_set_new(ctx, names[k], rows);
    }
    return site_render(req, 200, "clerk_signatures", ctx, e);
}

/* ---- one petition ------------------------------------------------------------------- */

static json_t *
held_row(struct request *req, const struct signature_record *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(g->id));
    json_object_set_new(o, "name", json_string(arena_printf(req->arena, "%s %s", g->first_name,
                                                            g->last_name)));
    json_object_set_new(o, "email", json_string(g->email));
    json_object_set_new(o, "region", json_string(region_name(g->region, req->lang)));
    json_object_set_new(o, "country", json_string(g->country));
    json_object_set_new(o, "postal_code", json_string(g->postal_code));
    json_object_set_new(o, "phone", json_string(g->phone));
    json_object_set_new(o, "ip", json_string(g->ip));
    json_object_set_new(o, "created", json_string(ws_date(req, g->created_at)));
    json_object_set_new(o, "confirmed", json_boolean(g->confirmed_at != 0));
    if (g->flag)
        json_object_set_new(o, "flag", json_string(form_msg(req, arena_printf(
                                                                   req->arena, "signing.flag_%s",
                                                                   g->flag))));
    return o;
}

static int
act(struct request *req, const struct user *u, const struct petition *p, struct err *e)
{
    struct site *site = req->app;
    const char *action = form_value(req, "action");
    int64_t now = ws_now(req);
    int changed, r;
    long long id;

    if (strcmp(action, "validate") == 0 || strcmp(action, "invalidate") == 0) {
        if (parse_llz(form_value(req, "id"), 1, INT64_MAX, &id, NULL))
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "signature id");
        struct signature_record g;
        if ((r = site->store->ops->signature_get(site->store, req->arena, id, &g, e)))
            return r;
        if (g.petition_id != p->id)
            return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "another petition's");
        return sign_review(&site->flow, req->arena, u, id,
                           action[0] == 'v' ? REVIEW_VALIDATED : REVIEW_INVALIDATED,
                           form_value(req, "reason"), now, e);
    }
    if (strcmp(action, "validate_all") == 0 || strcmp(action, "invalidate_all") == 0)
        return sign_review_held(&site->flow, req->arena, u, p->id,
                                action[0] == 'v' ? REVIEW_VALIDATED : REVIEW_INVALIDATED,
                                &changed, now, e);
    if (strcmp(action, "certify") == 0)
        return sign_certify(&site->flow, req->arena, u, p->id, now, e);
    if (strcmp(action, "not_certify") == 0)
        return sign_not_certify(&site->flow, req->arena, u, p->id, now, e);
    return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown action");
}

int
page_clerk_signature_petition(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct petition p;
    struct petition_brief b;
    struct signature_stats st;
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = petition_load(req, req->captures[0], &p, e)))
        return r;
    if (p.kind != PETITION_ELECTRONIC)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "paper petition");
    const char *num = petition_number_text(req, &p);
    const char *self = ws_path(req, arena_printf(req->arena, "/clerk/signatures/%s", num));
    const char *problem = NULL;
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        r = act(req, u, &p, e);
        if (r == 0) {
            resp_header(req, "Cache-Control", "no-store");
            resp_redirect(req, 303, arena_printf(req->arena, "%s?done=%s", self,
                                                 form_value(req, "action")));
            return 0;
        }
        if (r != ERR_CONFLICT)
            return r;
        problem = form_msg(req, e->key);
        if ((r = petition_load(req, req->captures[0], &p, e)))
            return r;
    }
    if ((r = site->store->ops->petition_brief(site->store, p.id, 0, &b, e)) ||
        (r = site->store->ops->signature_stats(site->store, p.id, &st, e)))
        return r;

    struct closing_timers t = sign_timers(&site->flow, &b, st.suspect_confirmed);
    json_t *ctx = ws_page(req, "signing.petition_title");
    ws_done_notice(ctx, req);
    if (problem)
        json_object_set_new(ctx, "problem", json_string(problem));
    int64_t now = ws_now(req);
    json_object_set_new(ctx, "number", json_string(num));
    json_object_set_new(ctx, "self", json_string(self));
    json_object_set_new(ctx, "public_url", json_string(petition_path(req, &p)));
    json_object_set_new(ctx, "state", json_string(petition_state_label(p.state, req->lang)));
    json_object_set_new(ctx, "stage", json_string(form_msg(req, stage_key(&t, now))));
    json_object_set_new(ctx, "closes", json_string(ws_date(req, b.closes_at)));
    json_object_set_new(ctx, "grace_end",
                        json_string(ws_date(req, closing_grace_end(b.closes_at, t.grace_hours))));
    json_object_set_new(ctx, "total", json_integer(b.total));
    json_object_set_new(ctx, "threshold", json_integer(t.threshold));
    json_object_set_new(ctx, "rows", json_integer(st.rows));
    json_object_set_new(ctx, "pending", json_integer(st.pending));
    json_object_set_new(ctx, "counted", json_integer(st.counted));
    json_object_set_new(ctx, "held", json_integer(st.suspect));
    json_object_set_new(ctx, "held_confirmed", json_integer(st.suspect_confirmed));
    json_object_set_new(ctx, "invalidated", json_integer(st.invalidated));
    json_object_set_new(ctx, "imported", json_integer(b.total - st.counted));
    bool reviewable = p.state == PETITION_OPEN || p.state == PETITION_WAITING_FOR_CERTIFICATION;
    json_object_set_new(ctx, "reviewable", json_boolean(reviewable));
    if (p.state == PETITION_WAITING_FOR_CERTIFICATION && b.queued_at) {
        json_object_set_new(ctx, "queued", json_true());
        json_object_set_new(ctx, "can_certify",
                            json_boolean(!certification_blocker(&t, st.suspect)));
        json_object_set_new(ctx, "can_refuse", json_boolean(!refusal_blocker(&t)));
    }
    if (p.certified_at)
        json_object_set_new(ctx, "certificate_url",
                            json_string(arena_printf(req->arena, "%s/certificate",
                                                     petition_path(req, &p))));

    struct signature_record *held;
    int n;
    struct signature_query q = {.petition_id = p.id, .has_review = true,
                                .review = REVIEW_SUSPECT, .limit = HELD_SHOWN};
    if ((r = site->store->ops->signature_list(site->store, req->arena, &q, &held, &n, e))) {
        json_decref(ctx);
        return r;
    }
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, held_row(req, &held[i]));
    json_object_set_new(ctx, "held_rows", rows);
    json_object_set_new(ctx, "has_held", json_boolean(n > 0));
    json_object_set_new(ctx, "held_more", json_boolean(st.suspect > n));
    return site_render(req, problem ? 409 : 200, "clerk_signature_petition", ctx, e);
}

/* ---- allow and block lists -------------------------------------------------------------- */

int
page_clerk_rules(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        const char *action = form_value(req, "action");
        if (strcmp(action, "remove") == 0) {
            long long id;
            if (parse_llz(form_value(req, "id"), 1, INT64_MAX, &id, NULL))
                return err_set(e, ERR_INVALID, "error.invalid", NULL, "rule id");
            if ((r = sign_rule_remove(&site->flow, u, id, ws_now(req), e)))
                return r;
            ws_redirect(req, "/clerk/signing-rules?done=rule_removed");
            return 0;
        }
        const char *list = form_value(req, "list"), *kind = form_value(req, "kind");
        bool block = strcmp(list, "block") == 0, domain = strcmp(kind, "domain") == 0;
        if (!block && strcmp(list, "allow") != 0)
            field_error(&fe, "list", "rules.list_bad");
        if (!domain && strcmp(kind, "network") != 0)
            field_error(&fe, "kind", "rules.kind_bad");
        if (!fe.count) {
            r = sign_rule_add(&site->flow, u, block, domain, form_value(req, "value"),
                              form_value(req, "note"), &fe, ws_now(req), e);
            if (r == 0) {
                ws_redirect(req, "/clerk/signing-rules?done=rule_added");
                return 0;
            }
            if (r != ERR_INVALID)
                return r;
        }
    }

    struct signing_rule *rules;
    int n;
    if ((r = site->store->ops->signing_rule_list(site->store, req->arena, &rules, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "rules.title");
    ws_done_notice(ctx, req);
    ws_errors(ctx, req, &fe);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(rules[i].id));
        json_object_set_new(o, "list", json_string(form_msg(req, rules[i].block ? "rules.block"
                                                                                : "rules.allow")));
        json_object_set_new(o, "kind", json_string(form_msg(req, rules[i].domain
                                                                     ? "rules.domain"
                                                                     : "rules.network")));
        json_object_set_new(o, "value", json_string(rules[i].value));
        json_object_set_new(o, "note", json_string(rules[i].note));
        json_object_set_new(o, "added", json_string(ws_date(req, rules[i].created_at)));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "rules", rows);
    json_object_set_new(ctx, "has_rules", json_boolean(n > 0));

    json_t *fields = json_array();
    bool posted = req->method == HTTP_POST;
    json_t *f = form_field(req, "list", "rules.list", FIELD_RADIO, true,
                           posted ? form_value(req, "list") : "block", &fe);
    form_option(f, "block", form_msg(req, "rules.block"));
    form_option(f, "allow", form_msg(req, "rules.allow"));
    json_array_append_new(fields, f);
    f = form_field(req, "kind", "rules.kind", FIELD_RADIO, true,
                   posted ? form_value(req, "kind") : "network", &fe);
    form_option(f, "network", form_msg(req, "rules.network"));
    form_option(f, "domain", form_msg(req, "rules.domain"));
    json_array_append_new(fields, f);
    f = form_field(req, "value", "rules.value", FIELD_TEXT, true,
                   posted ? form_value(req, "value") : NULL, &fe);
    form_hint(req, f, "rules.value_hint");
    json_array_append_new(fields, f);
    json_array_append_new(fields, form_field(req, "note", "rules.note", FIELD_TEXT, false,
                                             posted ? form_value(req, "note") : NULL, &fe));
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "rate_burst", json_integer(site->rules.rate_burst_count));
    json_object_set_new(ctx, "rate_burst_seconds", json_integer(site->rules.rate_burst_seconds));
    json_object_set_new(ctx, "rate_sustained", json_integer(site->rules.rate_sustained_count));
    json_object_set_new(ctx, "rate_sustained_seconds",
                        json_integer(site->rules.rate_sustained_seconds));
    return site_render(req, fe.count ? 422 : 200, "clerk_rules", ctx, e);
}
