/*
 * draft_pages.c: the petitioner's account page, the drafting form, the
 * petitioner's actions (submit, add supporters, choose the next Member,
 * withdraw) and the supporters' confirmation page (rulebook 2.2, 3, 4).
 */
#include "web/draft_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/draft.h"
#include "core/eastern_time.h"
#include "core/email.h"
#include "core/lifecycle.h"
#include "core/numbering.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "store/store.h"
#include "site/public_petition.h"
#include "web/auth.h"
#include "web/confirm.h"
#include "web/forms.h"
#include "web/public.h"
#include "web/workspace.h"
#include "workflow/draft_json.h"
#include "workflow/drafts.h"
#include "lib/banned.h"

static json_t *
group(void)
{
    json_t *g = json_object();
    json_object_set_new(g, "fields", json_array());
    return g;
}

static void
add(json_t *g, json_t *field)
{
    json_array_append_new(json_object_get(g, "fields"), field);
}

/* The fields of supporter i (0-based), filled from p when not NULL. */
static json_t *
supporter_row(struct request *req, int i, const struct draft_supporter *p,
              const struct field_errors *fe)
{
    json_t *row = group();
    json_object_set_new(row, "number", json_integer(i + 1));
    json_t *f = form_field(req, draft_supporter_field(i, 0), "form.first_name", FIELD_TEXT, false,
                           p ? p->first_name : "", fe);
    form_max_chars(req, f, PERSON_NAME_MAX);
    add(row, f);
    f = form_field(req, draft_supporter_field(i, 1), "form.last_name", FIELD_TEXT, false,
                   p ? p->last_name : "", fe);
    form_max_chars(req, f, PERSON_NAME_MAX);
    add(row, f);
    f = form_field(req, draft_supporter_field(i, 2), "form.email", FIELD_EMAIL, false,
                   p ? p->email : "", fe);
    form_max_chars(req, f, EMAIL_MAX);
    add(row, f);
    return row;
}

/* ---- reading the drafting form ------------------------------------------------------ */

static void
read_text(struct request *req, struct draft_text *t)
{
    memset(t, 0, sizeof(*t));
    const char *lang = form_value(req, "lang");
    t->lang = req->lang;
    lang_from_code(lang, strlen(lang), &t->lang);
    const char *addr = form_value(req, "addressee");
    t->addressee = ADDRESSEE_HOUSE;
    addressee_type_from_name(addr, strlen(addr), &t->addressee);
    t->ministry_code = form_value(req, "ministry");
    t->addressee_member_key = form_value(req, "addressee_member");
    for (int i = 0; i < DRAFT_GRIEVANCES_MAX; i++) {
        const char *g = req_form(req, draft_grievance_field(i));
        if (g && *g)
            t->grievances[t->grievance_count++] = g;
    }
    t->prayer = form_value(req, "prayer");
    long long days = 0;
    parse_llz(form_value(req, "period"), 0, 365, &days, NULL);
    t->period_days = (int)days;
    t->subject_code = form_value(req, "subject");
    t->keywords = form_value(req, "keywords");
    t->member_key = form_value(req, "member");
}

static int
read_supporters(struct request *req, struct draft_supporter *s, int max)
{
    int n = 0;
    for (int i = 0; i < max; i++) {
        struct draft_supporter p = {
            .first_name = form_value(req, draft_supporter_field(i, 0)),
            .last_name = form_value(req, draft_supporter_field(i, 1)),
            .email = form_value(req, draft_supporter_field(i, 2)),
        };
        if (*p.first_name || *p.last_name || *p.email)
            s[n++] = p;
    }
    return n;
}

/* ---- the drafting form ---------------------------------------------------------------- */

static void
member_options(struct request *req, json_t *field)
{
    const struct site *site = req->app;
    struct member *list;
    int n;
    struct err e = ERR_INIT;
    form_option(field, "", form_msg(req, "form.choose"));
    if (store_member_list(site->store, NULL, req->arena, false, &list, &n, &e))
        return;
    for (int i = 0; i < n; i++)
        form_option(field, list[i].key, ws_member_label(req, &list[i]));
}

static int
draft_form(struct request *req, int status, const struct draft_text *t,
           const struct draft_supporter *sup, int nsup, const struct field_errors *fe,
           struct err *e)
{
    const struct site *site = req->app;
    json_t *ctx = ws_page(req, "draft.title");
    json_t *f;
    char num[16];

    json_object_set_new(ctx, "action", json_string(ws_path(req, "/account/petition")));
    form_errors(ctx, req, fe);

    json_t *about = group();
    f = form_field(req, "lang", "draft.lang", FIELD_RADIO, true, lang_code(t->lang), fe);
    form_option(f, "en", form_msg(req, "lang.en"));
    form_option(f, "fr", form_msg(req, "lang.fr"));
    add(about, f);
    f = form_field(req, "addressee", "draft.addressee", FIELD_RADIO, true,
                   addressee_type_name(t->addressee), fe);
    form_hint(req, f, "draft.addressee_hint");
    for (int i = 0; i < ADDRESSEE_COUNT; i++) {
        const char *name = addressee_type_name((enum addressee_type)i);
        form_option(f, name, form_msg(req, arena_printf(req->arena, "addressee.%s", name)));
    }
    add(about, f);
    f = form_field(req, "ministry", "draft.ministry", FIELD_SELECT, false, t->ministry_code, fe);
    form_option(f, "", form_msg(req, "form.choose"));
    struct ministry *ms;
    int nm;
    struct err e2 = ERR_INIT;
    if (store_ministry_list(site->store, NULL, req->arena, &ms, &nm, &e2) == 0)
        for (int i = 0; i < nm; i++)
            form_option(f, ms[i].code, ms[i].title[req->lang]);
    add(about, f);
    f = form_field(req, "addressee_member", "draft.addressee_member", FIELD_SELECT, false,
                   t->addressee_member_key, fe);
    member_options(req, f);
    add(about, f);
    json_object_set_new(ctx, "about", about);

    json_t *text = group();
    int shown = t->grievance_count + 1 < 3 ? 3 : t->grievance_count + 1;
    if (shown > DRAFT_GRIEVANCES_MAX)
        shown = DRAFT_GRIEVANCES_MAX;
    for (int i = 0; i < shown; i++) {
        f = form_field(req, draft_grievance_field(i), "draft.grievance", FIELD_TEXTAREA, false,
                       i < t->grievance_count ? t->grievances[i] : "", fe);
        snprintf(num, sizeof(num), "%d", i + 1);
        form_label_text(f,
                        arena_printf(req->arena, "%s %s", form_msg(req, "draft.grievance"), num));
        form_max_chars(req, f, DRAFT_TEXT_MAX);
        add(text, f);
    }
    f = form_field(req, "prayer", "draft.prayer", FIELD_TEXTAREA, true, t->prayer, fe);
    form_hint(req, f, "draft.prayer_hint");
    form_max_chars(req, f, DRAFT_TEXT_MAX);
    add(text, f);
    json_object_set_new(ctx, "text", text);
    json_object_set_new(ctx, "words_max", json_integer(site->rules.words_max));

    json_t *choices = group();
    f = form_field(req, "period", "draft.period", FIELD_RADIO, true,
                   t->period_days ? arena_printf(req->arena, "%d", t->period_days) : "", fe);
    for (int i = 0; i < site->rules.periods_count; i++) {
        const char *d = arena_printf(req->arena, "%d", site->rules.periods_days[i]);
        form_option(f, d, arena_printf(req->arena, "%s %s", d, form_msg(req, "draft.days")));
    }
    add(choices, f);
    f = form_field(req, "subject", "draft.subject", FIELD_SELECT, false, t->subject_code, fe);
    form_hint(req, f, "draft.subject_hint");
    form_option(f, "", form_msg(req, "form.choose"));
    struct subject *subs;
    int ns;
    if (store_subject_list(site->store, NULL, req->arena, &subs, &ns, &e2) == 0)
        for (int i = 0; i < ns; i++)
            form_option(f, subs[i].code, subs[i].name[req->lang]);
    add(choices, f);
    f = form_field(req, "keywords", "draft.keywords", FIELD_TEXT, false, t->keywords, fe);
    form_hint(req, f, "draft.keywords_hint");
    form_max_chars(req, f, DRAFT_KEYWORDS_MAX);
    add(choices, f);
    f = form_field(req, "member", "draft.member", FIELD_SELECT, true, t->member_key, fe);
    form_hint(req, f, "draft.member_hint");
    member_options(req, f);
    add(choices, f);
    json_object_set_new(ctx, "choices", choices);

    json_t *rows = json_array();
    int nrows = nsup + 2 < site->rules.supporters_min ? site->rules.supporters_min : nsup + 2;
    if (nrows > site->rules.supporters_max)
        nrows = site->rules.supporters_max;
    for (int i = 0; i < nrows; i++)
        json_array_append_new(rows, supporter_row(req, i, i < nsup ? &sup[i] : NULL, fe));
    json_object_set_new(ctx, "supporters", rows);
    const char *sup_err = fe ? field_error_for(fe, "supporters") : NULL;
    if (sup_err)
        json_object_set_new(ctx, "supporters_error", json_string(form_msg(req, sup_err)));
    json_object_set_new(ctx, "supporters_min", json_integer(site->rules.supporters_min));
    json_object_set_new(ctx, "supporters_max", json_integer(site->rules.supporters_max));
    return site_render(req, status, "draft", ctx, e);
}

/* The petitioner's editable draft, or 0 (a new one may be started). */
static int
editable_draft(struct request *req, const struct user *u, struct draft_record *d, bool *exists,
               struct err *e)
{
    struct site *site = req->app;
    bool active;
    int r = drafts_active(&site->flow, req->arena, u->id, d, &active, e);
    *exists = false;
    if (r == ERR_NOT_FOUND)
        return 0;
    if (r)
        return r;
    if (active && !draft_editable(d->state))
        return err_set(e, ERR_CONFLICT, "flow.not_editable", NULL, "not editable");
    *exists = active;
    return 0;
}

int
page_draft(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    struct draft_text t;
    struct draft_supporter sup[DRAFT_SUPPORTERS_MAX];
    struct field_errors fe = {0};
    bool exists;
    int r, nsup = 0;

    if ((r = auth_require(req, ROLE_PETITIONER, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = editable_draft(req, u, &d, &exists, e)))
        return r;
    if (req->method != HTTP_POST) {
        memset(&t, 0, sizeof(t));
        t.lang = req->lang;
        if (exists) {
            struct supporter_record *list;
            draft_json_read(d.content, req->arena, &t, NULL);
            if ((r = store_supporter_list(site->store, NULL, req->arena, d.id, &list, &nsup, e)))
                return r;
            if (nsup > DRAFT_SUPPORTERS_MAX)
                nsup = DRAFT_SUPPORTERS_MAX;
            for (int i = 0; i < nsup; i++)
                sup[i] =
                    (struct draft_supporter){list[i].first_name, list[i].last_name, list[i].email};
        }
        /* After a refusal (Post/Redirect/Get, web/forms.h): its errors,
         * and the text as typed when the refused form was this one (not
         * the submit button's, which sends no text). */
        int kept = form_kept(req, &fe);
        if (kept && req_form(req, "prayer")) {
            read_text(req, &t);
            nsup = read_supporters(req, sup, DRAFT_SUPPORTERS_MAX);
        }
        return draft_form(req, kept ? kept : 200, &t, sup, nsup, kept ? &fe : NULL, e);
    }
    form_refusal_to(req, ws_path(req, "/account/petition"));
    if (form_cut(req, &fe)) {
        /* Over the limit: the form again with what arrived, nothing saved. */
        read_text(req, &t);
        nsup = read_supporters(req, sup, DRAFT_SUPPORTERS_MAX);
        return draft_form(req, 413, &t, sup, nsup, &fe, e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    read_text(req, &t);
    nsup = read_supporters(req, sup, DRAFT_SUPPORTERS_MAX);
    int64_t id = exists ? d.id : 0, now = ws_now(req);
    r = drafts_save(&site->flow, req->arena, u, &id, &t, sup, nsup, &fe, now, e);
    if (r == ERR_INVALID)
        return draft_form(req, 422, &t, sup, nsup, &fe, e);
    if (r)
        return r;
    if (strcmp(form_value(req, "action"), "submit") == 0) {
        /* Saved; submitting freezes the text, so it is asked first. */
        ws_redirect(req, "/account/petition/submit");
        return 0;
    }
    ws_redirect(req, "/account?done=saved");
    return 0;
}

/* ---- the account page ------------------------------------------------------------------- */

static json_t *
supporter_list_json(struct request *req, const struct draft_record *d, int *confirmed)
{
    const struct site *site = req->app;
    struct supporter_record *list;
    int n;
    struct err e = ERR_INIT;
    json_t *arr = json_array();
    *confirmed = 0;
    if (store_supporter_list(site->store, NULL, req->arena, d->id, &list, &n, &e))
        return arr;
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        bool ok = list[i].confirmed_round == d->round && d->round > 0;
        *confirmed += ok;
        json_object_set_new(
            o, "name",
            json_string(arena_printf(req->arena, "%s %s", list[i].first_name, list[i].last_name)));
        json_object_set_new(o, "email", json_string(list[i].email));
        json_object_set_new(o, "confirmed", json_boolean(ok));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *
member_history(struct request *req, const struct draft_record *d)
{
    const struct site *site = req->app;
    struct member_request *reqs;
    int n;
    struct err e = ERR_INIT;
    json_t *arr = json_array();
    if (store_member_request_list(site->store, NULL, req->arena, d->id, &reqs, &n, &e))
        return arr;
    for (int i = 0; i < n; i++) {
        struct member m;
        if (store_member_get(site->store, NULL, req->arena, reqs[i].member_id, NULL, &m, &e))
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "member", json_string(ws_member_label(req, &m)));
        json_object_set_new(o, "asked", json_string(ws_date(req, reqs[i].asked_at)));
        const char *ans = reqs[i].answer ? reqs[i].answer : "waiting";
        json_object_set_new(o, "answer",
                            json_string(form_msg(req, arena_printf(req->arena, "answer.%s", ans))));
        json_array_append_new(arr, o);
    }
    return arr;
}

static int
account_render(struct request *req, int status, const struct field_errors *fe, struct err *e)
{
    struct site *site = req->app;
    const struct user *u = auth_user(req);
    struct draft_record d;
    bool active;
    int r;

    json_t *ctx = ws_page(req, "account.title");
    ws_done_notice(ctx, req);
    form_errors(ctx, req, fe);
    r = drafts_active(&site->flow, req->arena, u->id, &d, &active, e);
    if (r && r != ERR_NOT_FOUND) {
        json_decref(ctx);
        return r;
    }
    json_object_set_new(ctx, "can_start", json_boolean(r == ERR_NOT_FOUND || !active));
    if (r == ERR_NOT_FOUND)
        return site_render(req, status, "account", ctx, e);

    struct draft_text t;
    draft_json_read(d.content, req->arena, &t, NULL);
    json_t *p = json_object();
    json_object_set_new(p, "state", json_string(petition_state_slug(d.state)));
    json_object_set_new(p, "state_label",
                        json_string(form_msg(req, arena_printf(req->arena, "draft_state.%s",
                                                               petition_state_slug(d.state)))));
    json_object_set_new(p, "created", json_string(ws_date(req, d.created_at)));
    json_object_set_new(ctx, "preview", ws_preview(req, &t, NULL));
    int confirmed = 0;
    json_object_set_new(p, "supporters", supporter_list_json(req, &d, &confirmed));
    json_object_set_new(p, "confirmed", json_integer(confirmed));
    json_object_set_new(
        p, "needed",
        json_integer(d.supporters_min ? d.supporters_min : site->rules.supporters_min));
    json_object_set_new(p, "members", member_history(req, &d));
    json_object_set_new(p, "editable", json_boolean(draft_editable(d.state)));
    json_object_set_new(p, "withdrawable", json_boolean(active && petition_withdrawable(d.state)));
    struct draft_timers tm = {d.state, d.submitted_at, d.supporters_days, d.member_asked_at,
                              d.member_days};
    int64_t deadline = draft_deadline(&tm);
    if (deadline)
        json_object_set_new(p, "deadline", json_string(ws_date(req, deadline)));
    switch (d.state) {
    case PETITION_AWAITING_SUPPORTERS: {
        json_object_set_new(p, "awaiting_supporters", json_true());
        json_t *rows = json_array();
        /* After a refusal, what was typed, each field with its error. */
        struct draft_supporter typed[3];
        int ntyped = fe && fe->count ? read_supporters(req, typed, 3) : 0;
        for (int i = 0; i < 3; i++)
            json_array_append_new(rows, supporter_row(req, i, i < ntyped ? &typed[i] : NULL, fe));
        json_object_set_new(ctx, "add_rows", rows);
        break;
    }
    case PETITION_AWAITING_MEMBER:
        if (d.member_asked_at) {
            struct member m;
            if (store_member_get(site->store, NULL, req->arena, d.member_id, NULL, &m, e) == 0)
                json_object_set_new(p, "asked_member", json_string(ws_member_label(req, &m)));
        } else {
            json_t *g = group();
            json_t *f = form_field(req, "member", "draft.next_member", FIELD_SELECT, true,
                                   form_value(req, "member"), fe);
            member_options(req, f);
            add(g, f);
            json_object_set_new(ctx, "choose_member", g);
        }
        break;
    case PETITION_RETURNED_FOR_REVISION:
        json_object_set_new(p, "reasons", json_string(d.review_reasons ? d.review_reasons : ""));
        break;
    case PETITION_REJECTED: {
        const struct reject_reason *why = reject_reason_find(d.reject_code);
        json_object_set_new(p, "reject_reason", json_string(why ? why->label[req->lang] : ""));
        json_object_set_new(p, "reject_text", json_string(d.reject_text ? d.reject_text : ""));
        break;
    }
    case PETITION_OPEN: {
        struct strbuf num;
        sb_init(&num, req->arena);
        e_number_format(&num, d.e_number);
        json_object_set_new(p, "number", json_string(num.buf));
        json_object_set_new(
            p, "url",
            json_string(ws_path(req, arena_printf(req->arena, "/petitions/%s", num.buf))));
        /* Counts only: the petitioner never sees who signed. */
        struct petition_brief b;
        struct err e2 = ERR_INIT;
        if (store_petition_brief(site->store, NULL, 0, d.e_number, &b, &e2) == 0) {
            /* Its status is the public record's, which moves on after
             * publication (withdrawn, closed, presented...), not the
             * draft's "Published". */
            const char *label = petition_state_label(b.state, req->lang);
            json_object_set_new(p, "state_label", json_string(label));
            json_object_set_new(p, "public_state", json_string(label));
            json_object_set_new(p, "withdrawable",
                                json_boolean(active && petition_withdrawable(b.state)));
            json_object_set_new(p, "signatures", json_integer(b.total));
            if (b.state == PETITION_OPEN)
                json_object_set_new(p, "closes", json_string(ws_date(req, b.closes_at)));
        }
        break;
    }
    default:
        break;
    }
    json_object_set_new(p, arena_printf(req->arena, "is_%s", petition_state_name(d.state)),
                        json_true());
    json_object_set_new(ctx, "petition", p);
    return site_render(req, status, "account", ctx, e);
}

int
page_account(struct request *req, struct err *e)
{
    const struct user *u = auth_user(req);
    int r;
    if (u && u->role != ROLE_PETITIONER) {
        resp_header(req, "Cache-Control", "no-store");
        resp_redirect(req, 303, ws_home(req, u->role));
        return 0;
    }
    if ((r = auth_require(req, ROLE_PETITIONER, &u, e)))
        return r > 0 ? 0 : r;
    /* After a refused action (Post/Redirect/Get, web/forms.h). */
    struct field_errors fe;
    int kept = form_kept(req, &fe);
    return account_render(req, kept ? kept : 200, kept ? &fe : NULL, e);
}

/* ---- the petitioner's actions -------------------------------------------------------------- */

/* The petitioner's current draft for an action (its question with GET,
 * the form's token checked with POST). */
static int
current(struct request *req, const struct user **u, struct draft_record *d, struct err *e)
{
    struct site *site = req->app;
    bool active;
    int r;
    if ((r = auth_require(req, ROLE_PETITIONER, u, e)))
        return r;
    if (req->method == HTTP_POST && (r = auth_check_csrf(req, e)))
        return r;
    r = drafts_active(&site->flow, req->arena, (*u)->id, d, &active, e);
    if (r == ERR_NOT_FOUND || (!r && !active))
        return err_set(e, ERR_CONFLICT, "flow.no_petition", NULL, "no active petition");
    return r;
}

/* Show the account page again with the problems of a refused action. */
static int
refused(struct request *req, const struct field_errors *fe, struct err *e)
{
    return account_render(req, 422, fe, e);
}

/* The words a question quotes from the petitioner's draft: its prayer. */
static const char *
draft_excerpt(struct request *req, const struct draft_record *d)
{
    struct draft_text t;
    draft_json_read(d->content, req->arena, &t, NULL);
    return t.prayer;
}

/* Submitting freezes the text (confirm.h). */
static int
submit_question(struct request *req, const struct draft_record *d, struct err *e)
{
    if (!draft_editable(d->state))
        return err_set(e, ERR_CONFLICT, "flow.not_editable", NULL, "not editable");
    struct confirm_page c = confirm_page_for(
        req, "submit", ws_path(req, "/account/petition/submit"), ws_path(req, "/account"));
    c.excerpt = draft_excerpt(req, d);
    return confirm_render(req, 200, &c, e);
}

int
page_draft_submit(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    struct field_errors fe = {0};
    int r = current(req, &u, &d, e);
    if (r)
        return r > 0 ? 0 : r;
    if (!confirm_given(req))
        return submit_question(req, &d, e);
    form_refusal_to(req, ws_path(req, "/account/petition"));
    r = drafts_submit(&site->flow, req->arena, u, d.id, &fe, ws_now(req), e);
    if (r == ERR_INVALID) {
        /* Show the form with every problem beside its field. */
        struct draft_text t;
        struct supporter_record *list;
        struct draft_supporter sup[DRAFT_SUPPORTERS_MAX];
        int n = 0;
        draft_json_read(d.content, req->arena, &t, NULL);
        if (store_supporter_list(site->store, NULL, req->arena, d.id, &list, &n, e) == 0)
            for (int i = 0; i < n && i < DRAFT_SUPPORTERS_MAX; i++)
                sup[i] =
                    (struct draft_supporter){list[i].first_name, list[i].last_name, list[i].email};
        return draft_form(req, 422, &t, sup, n < DRAFT_SUPPORTERS_MAX ? n : DRAFT_SUPPORTERS_MAX,
                          &fe, e);
    }
    if (r)
        return r;
    ws_redirect(req, "/account?done=submitted");
    return 0;
}

int
page_draft_supporters(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    struct draft_supporter sup[3];
    struct field_errors fe = {0};
    int r = current(req, &u, &d, e);
    if (r)
        return r > 0 ? 0 : r;
    form_refusal_to(req, ws_path(req, "/account"));
    int n = read_supporters(req, sup, 3);
    r = drafts_add_supporters(&site->flow, req->arena, u, d.id, sup, n, &fe, ws_now(req), e);
    if (r == ERR_INVALID)
        return refused(req, &fe, e);
    if (r)
        return r;
    ws_redirect(req, "/account?done=supporters-added");
    return 0;
}

int
page_draft_member(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    struct field_errors fe = {0};
    int r = current(req, &u, &d, e);
    if (r)
        return r > 0 ? 0 : r;
    form_refusal_to(req, ws_path(req, "/account"));
    r = drafts_member_choose(&site->flow, req->arena, u, d.id, form_value(req, "member"), &fe,
                             ws_now(req), e);
    if (r == ERR_INVALID)
        return refused(req, &fe, e);
    if (r)
        return r;
    ws_redirect(req, "/account?done=member-asked");
    return 0;
}

/* Withdrawing ends the petition (confirm.h): a published one is named
 * by its number and title. */
static int
withdraw_question(struct request *req, const struct draft_record *d, struct err *e)
{
    struct confirm_page c = confirm_page_for(
        req, "withdraw", ws_path(req, "/account/petition/withdraw"), ws_path(req, "/account"));
    c.excerpt = draft_excerpt(req, d);
    c.danger = true;
    /* Not yet published: the draft's own words (confirm.withdraw_draft). */
    c.title_key = "confirm.withdraw_draft.title";
    c.what_key = "confirm.withdraw_draft.what";
    enum petition_state state = d->state;
    if (d->state == PETITION_OPEN) {
        struct strbuf num;
        struct petition p;
        int r;
        sb_init(&num, req->arena);
        e_number_format(&num, d->e_number);
        if ((r = public_petition_load(req, num.buf, &p, e)))
            return r;
        state = p.state;
        c.title_key = "confirm.withdraw.title";
        c.what_key = "confirm.withdraw.what";
        confirm_petition(&c, pub_title(req, &p));
    }
    if (!petition_withdrawable(state))
        return err_set(e, ERR_CONFLICT, "flow.not_withdrawable", NULL, "not withdrawable");
    return confirm_render(req, 200, &c, e);
}

int
page_draft_withdraw(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    int r = current(req, &u, &d, e);
    if (r)
        return r > 0 ? 0 : r;
    if (!confirm_given(req))
        return withdraw_question(req, &d, e);
    if ((r = drafts_withdraw(&site->flow, req->arena, u, d.id, ws_now(req), e)))
        return r;
    ws_redirect(req, "/account?done=withdrawn");
    return 0;
}

/* ---- supporters ------------------------------------------------------------------------------ */

int
page_support(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct store *s = site->store;
    struct supporter_record sup;
    struct draft_record d;
    struct field_errors fe = {0};
    long long id, round;
    char want[TOKEN_MAC_CHARS + 1];
    int r;

    const char *rs = req_query(req, "r"), *t = req_query(req, "t");
    /* After a refusal (Post/Redirect/Get, web/forms.h), the link's r and
     * t come back with what was typed. */
    int kept = 0;
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        rs = req_form(req, "r");
        t = req_form(req, "t");
    } else if (!rs && (kept = form_kept(req, &fe))) {
        rs = req_form(req, "r");
        t = req_form(req, "t");
    }
    if (parse_llz(req->captures[0], 1, INT64_MAX, &id, NULL) || !rs ||
        parse_llz(rs, 1, 1000, &round, NULL) || !t) {
        err_set(e, ERR_NOT_FOUND, "support.link_bad", NULL, "bad supporter link");
        return ws_old_link(req, WS_LINK_SUPPORT, NULL, e);
    }
    drafts_supporter_token(&site->flow, id, (int)round, want);
    if (!token_equal(want, t)) {
        err_set(e, ERR_NOT_FOUND, "support.link_bad", NULL, "supporter link");
        return ws_old_link(req, WS_LINK_SUPPORT, NULL, e);
    }
    /* A link we made whose supporter is gone: the petitioner replaced the
     * supporters when the petition came back for revision (new records,
     * new ids), so the invitation belongs to an earlier round. */
    if ((r = store_supporter_get(s, NULL, req->arena, id, &sup, e)) == ERR_NOT_FOUND) {
        err_set(e, ERR_GONE, "flow.link_outdated", NULL, "supporter of an older round");
        return ws_old_link(req, WS_LINK_SUPPORT, NULL, e);
    }
    if (r || (r = store_draft_get(s, NULL, req->arena, sup.draft_id, &d, e)))
        return r;
    if (round != d.round) {
        err_set(e, ERR_GONE, "flow.link_outdated", NULL, "an older round");
        return ws_old_link(req, WS_LINK_SUPPORT, NULL, e);
    }

    struct person p = {
        .country = form_value(req, "country"),
        .province = form_value(req, "province"),
        .postal_code = form_value(req, "postal_code"),
        .phone = form_value(req, "phone"),
        .eligible = strcmp(form_value(req, "eligible"), "1") == 0,
        .terms = strcmp(form_value(req, "terms"), "1") == 0,
    };
    if (req->method == HTTP_POST) {
        form_refusal_to(req, ws_path(req, arena_printf(req->arena, "/support/%lld", id)));
        r = drafts_supporter_confirm(&site->flow, req->arena, id, (int)round, &p, req->lang, &fe,
                                     ws_now(req), e);
        if (r == 0) {
            /* Post/Redirect/Get: the invitation's address says thanks. */
            resp_header(req, "Cache-Control", "no-store");
            resp_redirect(req, 303,
                          arena_printf(req->arena, "/%s/support/%lld?r=%lld&t=%s&done=1",
                                       lang_code(req->lang), id, round, want));
            return 0;
        }
        if (r == ERR_GONE)
            return ws_old_link(req, WS_LINK_SUPPORT, NULL, e);
        if (r != ERR_INVALID)
            return r;
    }
    if (sup.confirmed_round == d.round) {
        static const char *const thanks[] = {"support.thanks", "support.thanks_more"};
        static const char *const already[] = {"support.already"};
        const char *done = req_query(req, "done");
        if (done && strcmp(done, "1") == 0)
            return ws_notice(req, 200, "support.thanks_title", thanks, 2, e);
        return ws_notice(req, 200, "support.thanks_title", already, 1, e);
    }
    if (d.state != PETITION_AWAITING_SUPPORTERS && d.state != PETITION_AWAITING_MEMBER &&
        d.state != PETITION_UNDER_REVIEW) {
        err_set(e, ERR_GONE, "flow.support_closed", NULL, "support closed");
        return ws_old_link(req, WS_LINK_SUPPORT, NULL, e);
    }

    struct draft_text text;
    struct user petitioner;
    draft_json_read(d.content, req->arena, &text, NULL);
    if ((r = store_user_get(s, NULL, req->arena, d.petitioner_id, NULL, &petitioner, e)))
        return r;
    json_t *ctx =
        ws_form(req, "support.title", ws_path(req, arena_printf(req->arena, "/support/%lld", id)),
                "support.submit");
    json_object_set_new(ctx, "intro", json_string(form_msg(req, "support.intro")));
    json_object_set_new(ctx, "preview",
                        ws_preview(req, &text,
                                   arena_printf(req->arena, "%s %s, %s", petitioner.first_name,
                                                petitioner.last_name, petitioner.city)));
    form_errors(ctx, req, &fe);
    json_t *h = json_array();
    const char *names[] = {"r", "t"}, *vals[] = {rs, t};
    for (int i = 0; i < 2; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(names[i]));
        json_object_set_new(o, "value", json_string(vals[i]));
        json_array_append_new(h, o);
    }
    json_object_set(ctx, "hidden", h);
    json_decref(h);
    json_t *fields = json_object_get(ctx, "fields");
    json_object_set_new(
        ctx, "supporter_name",
        json_string(arena_printf(req->arena, "%s %s", sup.first_name, sup.last_name)));
    json_t *f;
    json_array_append_new(fields,
                          form_field(req, "country", "form.country", FIELD_TEXT, true,
                                     req->method == HTTP_POST || kept ? p.country : "Canada", &fe));
    f = form_field(req, "province", "form.province", FIELD_SELECT, false, p.province, &fe);
    form_hint(req, f, "form.province_hint");
    form_province_options(req, f);
    json_array_append_new(fields, f);
    json_array_append_new(fields, form_field(req, "postal_code", "form.postal_code", FIELD_TEXT,
                                             false, p.postal_code, &fe));
    json_array_append_new(fields,
                          form_field(req, "phone", "form.phone", FIELD_TEL, true, p.phone, &fe));
    json_array_append_new(fields, form_field(req, "eligible", "form.eligible", FIELD_CHECKBOX, true,
                                             form_value(req, "eligible"), &fe));
    json_t *terms = form_field(req, "terms", "form.terms_supporter", FIELD_CHECKBOX, true,
                               form_value(req, "terms"), &fe);
    form_terms_link(req, terms, "supporters");
    json_array_append_new(fields, terms);
    form_person_limits(req, fields);
    return site_render(req, fe.count ? 422 : 200, "form", ctx, e);
}

/* ---- petitions not accepted (rulebook 11.1) ------------------------------------------------ */

int
page_not_accepted(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct draft_record *list;
    int n, r;
    struct draft_query q = {.has_state = true, .state = PETITION_REJECTED, .limit = 500};
    if ((r = store_draft_list(site->store, NULL, req->arena, &q, &list, &n, e)))
        return r;
    json_t *ctx = site_page(req, form_msg(req, "not_accepted.title"));
    json_t *rows = json_array();
    /* Newest first; a hidden reason keeps the petition off this page. */
    for (int i = n - 1; i >= 0; i--) {
        const struct reject_reason *why = reject_reason_find(list[i].reject_code);
        if (!why || why->hidden)
            continue;
        struct draft_text t;
        draft_json_read(list[i].content, req->arena, &t, NULL);
        json_t *o = json_object();
        json_object_set_new(o, "date", json_string(ws_date(req, list[i].state_changed_at)));
        json_object_set_new(o, "reason", json_string(why->label[req->lang]));
        json_object_set_new(o, "preview", ws_preview(req, &t, NULL));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "has_rows", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(ctx, "rows", rows);
    site_html_headers(req, SITE_AGE_PAGE);
    return site_render(req, 200, "not_accepted", ctx, e);
}
