/*
 * house_pages.c: the workspaces of what follows certification
 * (rulebook 7, 11.11-11.13):
 *
 *   the Clerk     /{lang}/clerk/house          certified and presented petitions
 *                 /{lang}/clerk/house/NUMBER   present one, or table its response
 *                 /{lang}/clerk/paper          record a presented paper petition
 *   a Member      /{lang}/member/present/NUMBER
 *   a responder   /{lang}/responder            and /{lang}/responder/petitions/NUMBER
 *   the public    /{lang}/petitions/overdue    responses past their deadline
 *
 * Parliament's calendar is calendar_pages.c's; the audit log and the
 * removal of a petition are audit_pages.c's.
 *
 * Each staff page checks its role first (403 for every other role) and
 * changes nothing itself: it calls the use cases of workflow/house.h.
 */
#include "web/house_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/jurisdiction.h"
#include "core/numbering.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/confirm.h"
#include "web/forms.h"
#include "web/public.h"
#include "web/workspace.h"
#include "workflow/house.h"
#include "lib/banned.h"

#define STORE(req) (((struct site *)(req)->app)->store)
#define FLOW(req) (&((struct site *)(req)->app)->flow)

/* Petitions in one state, all of them (paging the store's list). */
static int
list_state(struct request *req, enum petition_state s, int64_t ministry_id, struct petition **out,
           int *n, struct err *e)
{
    int cap = 0, r;
    *out = NULL;
    *n = 0;
    struct petition_query q = {.has_state = true,
                               .state = s,
                               .response_ministry_id = ministry_id,
                               .sort = SORT_OLDEST,
                               .limit = 100};
    for (;; q.offset += 100) {
        struct petition_list l;
        if ((r = store_petition_list(STORE(req), NULL, req->arena, &q, &l, e)))
            return r;
        if (l.count > 0 && *n + l.count > cap) {
            int ncap = (*n + l.count) * 2 + 16;
            struct petition *v = arena_calloc(req->arena, (size_t)ncap, sizeof(*v));
            if (*n)
                memcpy(v, *out, sizeof(*v) * (size_t)*n);
            *out = v;
            cap = ncap;
        }
        if (l.count > 0) {
            memcpy(*out + *n, l.items, sizeof(*l.items) * (size_t)l.count);
            *n += l.count;
        }
        if (l.count < 100)
            return 0;
    }
}

/* The due day and whether it is past, for a presented petition. */
static json_t *
presented_row(struct request *req, const struct petition *p, const char *href, struct err *e)
{
    json_t *o = json_object();
    const char *num = public_petition_number(req, p);
    json_object_set_new(o, "number", json_string(num));
    json_object_set_new(o, "url", json_string(public_petition_path(req, p)));
    if (href)
        json_object_set_new(o, "href", json_string(href));
    json_object_set_new(o, "paper", json_boolean(p->kind == PETITION_PAPER));
    if (p->has_presented_number) {
        struct strbuf sb;
        sb_init(&sb, req->arena);
        presented_number_format(&sb, &p->presented_number);
        json_object_set_new(o, "presented_number", json_string(sb.buf));
    }
    json_object_set_new(o, "presented", json_string(ws_date(req, p->presented_at)));
    json_object_set_new(o, "committee",
                        json_string(p->committee[req->lang] ? p->committee[req->lang] : ""));
    struct civil_date due, today;
    struct civil_time ct;
    if (house_response_due(FLOW(req), req->arena, p->presented_at, &due, e) == 0) {
        eastern_from_utc(ws_now(req), &ct);
        today = (struct civil_date){ct.year, ct.month, ct.day};
        json_object_set_new(
            o, "due",
            json_string(ws_date(req, eastern_to_utc(due.year, due.month, due.day, 12, 0, 0))));
        json_object_set_new(o, "overdue", json_boolean(response_overdue(due, today, false)));
    }
    struct ministry m;
    struct err e2 = ERR_INIT;
    if (p->response_ministry_id && store_ministry_get(STORE(req), NULL, req->arena,
                                                      p->response_ministry_id, NULL, &m, &e2) == 0)
        json_object_set_new(o, "ministry", json_string(m.title[req->lang]));
    struct response_draft d;
    if (store_response_draft_get(STORE(req), NULL, req->arena, p->id, &d, &e2) == 0) {
        json_object_set_new(o, d.ready_at ? "response_ready" : "response_writing", json_true());
    }
    return o;
}

/* The petition itself as the responder answers it: its title (number
 * and subject), addressee, whereas clauses and prayer, in the page's
 * language (the template escapes every one). */
static json_t *
petition_text(struct request *req, const struct petition *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "title", json_string(pub_title(req, p)));
    json_object_set_new(o, "addressee", json_string(pub_addressee(req, p)));
    json_t *whereas = json_array();
    for (int i = 0; i < p->grievance_count; i++)
        json_array_append_new(whereas, json_string(site_tr(req, p->grievances[i].text)));
    json_object_set_new(o, "whereas", whereas);
    json_object_set_new(o, "has_whereas", json_boolean(p->grievance_count > 0));
    json_object_set_new(o, "prayer", pub_lines(site_tr(req, p->prayer), false));
    return o;
}

/* A workspace path: prefix ("/clerk/house/") and a petition's number. */
static const char *
self_path(struct request *req, const char *prefix, const char *num)
{
    return ws_path(req, arena_printf(req->arena, "%s%s", prefix, num));
}

/* ---- the Clerk: certified and presented petitions ------------------------------------------ */

int
page_clerk_house(struct request *req, struct err *e)
{
    const struct user *u;
    struct house_status h;
    struct petition *list;
    int n, r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = store_house_status(STORE(req), NULL, &h, e)))
        return r;
    json_t *ctx = ws_page(req, "house.title");
    ws_done_notice(ctx, req);
    json_object_set_new(ctx, "house", ws_house_facts(req, &h));
    if ((r = list_state(req, PETITION_CERTIFIED, 0, &list, &n, e)))
        goto fail;
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        const char *num = public_petition_number(req, &list[i]);
        json_object_set_new(o, "number", json_string(num));
        json_object_set_new(o, "url", json_string(public_petition_path(req, &list[i])));
        json_object_set_new(o, "href", json_string(self_path(req, "/clerk/house/", num)));
        json_object_set_new(o, "certified", json_string(ws_date(req, list[i].certified_at)));
        json_object_set_new(o, "signatures", json_integer(list[i].signature_total));
        if (list[i].has_authorizing_member)
            json_object_set_new(o, "member",
                                json_string(ws_member_label(req, &list[i].authorizing_member)));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "certified", rows);
    json_object_set_new(ctx, "has_certified", json_boolean(n > 0));
    if ((r = list_state(req, PETITION_PRESENTED, 0, &list, &n, e)))
        goto fail;
    rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, presented_row(req, &list[i],
                                                  self_path(req, "/clerk/house/",
                                                            public_petition_number(req, &list[i])),
                                                  e));
    json_object_set_new(ctx, "presented", rows);
    json_object_set_new(ctx, "has_presented", json_boolean(n > 0));
    return site_render(req, 200, "clerk_house", ctx, e);
fail:
    json_decref(ctx);
    return r;
}

/* The title of the ministry with that code among mins, or the code. */
static const char *
ministry_title(struct request *req, const struct ministry *mins, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(mins[i].code, code) == 0)
            return mins[i].title[req->lang];
    return code;
}

/*
 * When the committee or the ministry posted does not fit the petition's
 * subject (jurisdiction_presentation_fit()), the box "present anyway",
 * with a warning that names the subject, the committee or ministry
 * chosen and those for the subject; house_present() refuses the mismatch
 * without it ("present.mismatch" on this box).
 */
static void
present_mismatch(struct request *req, json_t *fields, const struct petition *p,
                 const struct ministry *mins, int nmin, const struct field_errors *fe)
{
    const struct jurisdiction *j = FLOW(req)->rules;
    const char *com = form_value(req, "committee"), *min = form_value(req, "ministry");
    struct presentation_fit fit = jurisdiction_presentation_fit(
        j, p->subject.id ? p->subject.code : NULL, com, min,
        p->addressee == ADDRESSEE_MINISTER ? p->addressee_ministry.code : NULL);
    if (!form_posted(req) || !(fit.committee_off || fit.ministry_off))
        return;
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_adds(&sb, site_msg_with(req, "present.warn_subject", site_tr(req, p->subject.name)));
    if (fit.committee_off)
        sb_addf(&sb, " %s",
                site_msg_with(req, "present.warn_committee",
                              jurisdiction_committee(j, com)->name[req->lang]));
    if (fit.ministry_off)
        sb_addf(&sb, " %s",
                site_msg_with(req, "present.warn_ministry", ministry_title(req, mins, nmin, min)));
    const struct committee *k = fit.expected;
    const char *want = k->name[req->lang];
    if (k->ministries_count)
        want = arena_printf(req->arena, "%s; %s", want,
                            ministry_title(req, mins, nmin, k->ministries[0]));
    sb_addf(&sb, " %s", site_msg_with(req, "present.warn_expected", want));
    json_t *f = form_field(req, "anyway", "present.anyway", FIELD_CHECKBOX, false,
                           form_value(req, "anyway"), fe);
    form_hint_text(req, f, sb.buf);
    json_array_append_new(fields, f);
}

/* The presentation form (fields date, member, committee, ministry). */
static void
present_fields(struct request *req, json_t *fields, const struct petition *p, bool member,
               const struct field_errors *fe)
{
    const struct jurisdiction *j = FLOW(req)->rules;
    const char *date = form_value(req, "date");
    json_array_append_new(fields, form_field(req, "date", "house.presented_on", FIELD_TEXT, true,
                                             *date ? date : ws_iso_date(req, ws_now(req)), fe));
    form_hint(req, json_array_get(fields, json_array_size(fields) - 1), "house.date_hint");
    struct err e2 = ERR_INIT;
    if (!member) {
        json_t *f = form_field(req, "member", "house.presenting_member", FIELD_SELECT, true,
                               form_value(req, "member"), fe);
        form_option(f, "", form_msg(req, "form.choose"));
        struct member *ms;
        int nm;
        if (store_member_list(STORE(req), NULL, req->arena, false, &ms, &nm, &e2) == 0)
            for (int i = 0; i < nm; i++)
                form_option(f, ms[i].key, ws_member_label(req, &ms[i]));
        json_array_append_new(fields, f);
    }
    /* The committee and the ministry for the petition's subject, as the
     * jurisdiction file maps them, unless the form says otherwise. */
    const struct committee *k =
        jurisdiction_committee_for(j, p->subject.id ? p->subject.code : NULL);
    const char *com = form_value(req, "committee");
    if (!*com && !form_posted(req) && k)
        com = k->code;
    json_t *f = form_field(req, "committee", "house.committee", FIELD_SELECT, true, com, fe);
    form_option(f, "", form_msg(req, "form.choose"));
    for (int i = 0; i < j->committees_count; i++)
        form_option(f, j->committees[i].code, j->committees[i].name[req->lang]);
    form_hint(req, f, "house.committee_hint");
    json_array_append_new(fields, f);
    struct ministry *mins;
    int nmin;
    if (store_ministry_list(STORE(req), NULL, req->arena, &mins, &nmin, &e2))
        nmin = 0;
    const char *min = form_value(req, "ministry");
    if (!*min && !form_posted(req)) {
        if (p->addressee == ADDRESSEE_MINISTER && p->addressee_ministry.code)
            min = p->addressee_ministry.code;
        for (int m = 0; k && !*min && m < k->ministries_count; m++)
            for (int i = 0; i < nmin && !*min; i++)
                if (strcmp(mins[i].code, k->ministries[m]) == 0)
                    min = mins[i].code;
    }
    f = form_field(req, "ministry", "house.ministry", FIELD_SELECT, true, min, fe);
    form_option(f, "", form_msg(req, "form.choose"));
    for (int i = 0; i < nmin; i++)
        form_option(f, mins[i].code, mins[i].title[req->lang]);
    json_array_append_new(fields, f);
    if (p->id)
        present_mismatch(req, fields, p, mins, nmin, fe);
}

static int
present_page(struct request *req, int status, const struct petition *p, bool member,
             const char *action, const struct field_errors *fe, struct err *e)
{
    json_t *ctx = ws_form(req, "house.present_title", action, "house.present_submit");
    const char *heading = arena_printf(req->arena, "%s %s", form_msg(req, "house.present_title"),
                                       public_petition_number(req, p));
    json_object_set_new(ctx, "title", json_string(heading));
    json_object_set_new(ctx, "heading", json_string(heading));
    json_object_set_new(ctx, "intro", json_string(form_msg(req, "house.present_intro")));
    form_errors(ctx, req, fe);
    present_fields(req, json_object_get(ctx, "fields"), p, member, fe);
    ws_link(ctx, public_petition_path(req, p), form_msg(req, "signing.public_page"));
    return site_render(req, status, "form", ctx, e);
}

/* Tabling publishes the response and mails everyone concerned: asked
 * first (web/confirm.h), with the date the Clerk typed. */
static int
table_question(struct request *req, const struct petition *p, const char *self, const char *date,
               struct err *e)
{
    struct confirm_page c = confirm_page_for(req, "table", self, self);
    confirm_petition(&c, pub_title(req, p));
    confirm_fact(&c, "confirm.tabled_on", date);
    confirm_hidden(&c, "date", date);
    return confirm_render(req, 200, &c, e);
}

/* The Clerk's page of one petition: present it, or table its response. */
int
page_clerk_house_petition(struct request *req, struct err *e)
{
    const struct user *u;
    struct petition p;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    struct petition_number pn;
    petition_number_of(&p, &pn);
    const char *num = public_petition_number(req, &p);
    const char *self = self_path(req, "/clerk/house/", num);
    if (p.state == PETITION_CERTIFIED) {
        if (req->method != HTTP_POST) {
            /* After a refusal (Post/Redirect/Get, web/forms.h). */
            int kept = form_kept(req, &fe);
            return present_page(req, kept ? kept : 200, &p, false, self, kept ? &fe : NULL, e);
        }
        if ((r = auth_check_csrf(req, e)))
            return r;
        form_refusal_to(req, self);
        struct present_input in = {form_value(req, "date"), form_value(req, "member"),
                                   form_value(req, "committee"), form_value(req, "ministry"),
                                   strcmp(form_value(req, "anyway"), "1") == 0};
        const char *number;
        r = house_present(FLOW(req), req->arena, u, &pn, &in, &number, &fe, ws_now(req), e);
        if (r == ERR_INVALID && fe.count)
            return present_page(req, 422, &p, false, self, &fe, e);
        if (r)
            return r;
        ws_redirect(req, "/clerk/house?done=presented");
        return 0;
    }
    if (p.state != PETITION_PRESENTED)
        return err_set(e, ERR_CONFLICT, "house.nothing_to_do", NULL, "state %s",
                       petition_state_name(p.state));
    if (req->method != HTTP_POST)
        form_kept(req, &fe); /* after a refusal (Post/Redirect/Get, web/forms.h) */
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        form_refusal_to(req, self);
        const char *date = form_value(req, "date");
        if (!confirm_given(req)) {
            r = house_response_table_check(FLOW(req), req->arena, u, &pn, date, &fe, ws_now(req),
                                           e);
            if (r == 0)
                return table_question(req, &p, self, date, e);
        } else {
            r = house_response_table(FLOW(req), req->arena, u, &pn, date, &fe, ws_now(req), e);
        }
        if (r == 0) {
            ws_redirect(req, "/clerk/house?done=tabled");
            return 0;
        }
        if (r != ERR_INVALID || !fe.count)
            return r;
    }
    struct response_draft d;
    struct err e2 = ERR_INIT;
    bool ready =
        store_response_draft_get(STORE(req), NULL, req->arena, p.id, &d, &e2) == 0 && d.ready_at;
    json_t *ctx = ws_petition_page(req, "house.table_title", num);
    form_errors(ctx, req, &fe);
    json_object_set_new(ctx, "row", presented_row(req, &p, NULL, e));
    json_object_set_new(ctx, "ready", json_boolean(ready));
    if (ready) {
        json_object_set_new(ctx, "signed_by", json_string(d.signed_by));
        json_object_set_new(ctx, "signed_by_fr", json_string(d.signed_by_fr));
        json_object_set_new(ctx, "text_en", json_string(d.text[LANG_EN]));
        json_object_set_new(ctx, "text_fr", json_string(d.text[LANG_FR]));
        json_t *fields = json_array();
        const char *date = form_value(req, "date");
        json_array_append_new(fields,
                              form_field(req, "date", "house.tabled_on", FIELD_TEXT, true,
                                         *date ? date : ws_iso_date(req, ws_now(req)), &fe));
        form_hint(req, json_array_get(fields, 0), "house.date_hint");
        json_object_set_new(ctx, "fields", fields);
    }
    json_object_set_new(ctx, "action", json_string(self));
    return site_render(req, fe.count ? 422 : 200, "clerk_house_petition", ctx, e);
}

/* ---- the Clerk: paper petitions ------------------------------------------------------------- */

static int
paper_page(struct request *req, int status, const struct field_errors *fe, struct err *e)
{
    json_t *ctx = ws_form(req, "paper.title", ws_path(req, "/clerk/paper"), "paper.submit");
    json_object_set_new(ctx, "intro", json_string(form_msg(req, "paper.intro")));
    form_errors(ctx, req, fe);
    json_t *fields = json_object_get(ctx, "fields");
    json_t *f =
        form_field(req, "number", "paper.number", FIELD_TEXT, false, form_value(req, "number"), fe);
    form_hint(req, f, "paper.number_hint");
    json_array_append_new(fields, f);
    struct petition none = {0};
    present_fields(req, fields, &none, false, fe);
    struct err e2 = ERR_INIT;
    f = form_field(req, "addressee", "paper.addressee", FIELD_SELECT, true,
                   form_value(req, "addressee"), fe);
    static const char *const addressees[] = {"house", "house-assembled", "government", "minister"};
    for (int i = 0; i < 4; i++)
        form_option(f, addressees[i],
                    form_msg(req, arena_printf(req->arena, "paper.to_%s", addressees[i])));
    json_array_append_new(fields, f);
    f = form_field(req, "addressee_ministry", "paper.addressee_ministry", FIELD_SELECT, false,
                   form_value(req, "addressee_ministry"), fe);
    form_option(f, "", form_msg(req, "form.choose"));
    struct ministry *mins;
    int nmin;
    if (store_ministry_list(STORE(req), NULL, req->arena, &mins, &nmin, &e2) == 0)
        for (int i = 0; i < nmin; i++)
            form_option(f, mins[i].code, mins[i].title[req->lang]);
    json_array_append_new(fields, f);
    f = form_field(req, "text_en", "paper.text_en", FIELD_TEXTAREA, true,
                   form_value(req, "text_en"), fe);
    form_hint(req, f, "paper.text_hint");
    form_max_chars(req, f, HOUSE_PAPER_TEXT_MAX);
    json_array_append_new(fields, f);
    f = form_field(req, "text_fr", "paper.text_fr", FIELD_TEXTAREA, true,
                   form_value(req, "text_fr"), fe);
    form_max_chars(req, f, HOUSE_PAPER_TEXT_MAX);
    json_array_append_new(fields, f);
    f = form_field(req, "subject", "paper.subject", FIELD_SELECT, true, form_value(req, "subject"),
                   fe);
    form_option(f, "", form_msg(req, "form.choose"));
    struct subject *subs;
    int ns;
    if (store_subject_list(STORE(req), NULL, req->arena, &subs, &ns, &e2) == 0)
        for (int i = 0; i < ns; i++)
            form_option(f, subs[i].code, subs[i].name[req->lang]);
    json_array_append_new(fields, f);
    f = form_field(req, "keywords", "paper.keywords", FIELD_TEXT, false,
                   form_value(req, "keywords"), fe);
    form_hint(req, f, "paper.keywords_hint");
    json_array_append_new(fields, f);
    json_array_append_new(fields, form_field(req, "signatures", "paper.signatures", FIELD_TEXT,
                                             true, form_value(req, "signatures"), fe));
    return site_render(req, status, "form", ctx, e);
}

int
page_clerk_paper(struct request *req, struct err *e)
{
    const struct user *u;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h); one whose
         * texts do not fit a cookie is answered to the POST itself. */
        int kept = form_kept(req, &fe);
        return paper_page(req, kept ? kept : 200, kept ? &fe : NULL, e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    form_refusal_to(req, ws_path(req, "/clerk/paper"));
    struct paper_input in = {
        .number = form_value(req, "number"),
        .date = form_value(req, "date"),
        .member_key = form_value(req, "member"),
        .addressee = form_value(req, "addressee"),
        .addressee_ministry = form_value(req, "addressee_ministry"),
        .text_en = form_value(req, "text_en"),
        .text_fr = form_value(req, "text_fr"),
        .subject_code = form_value(req, "subject"),
        .keywords = form_value(req, "keywords"),
        .signatures = form_value(req, "signatures"),
        .committee = form_value(req, "committee"),
        .ministry_code = form_value(req, "ministry"),
    };
    const char *number;
    r = house_paper_record(FLOW(req), req->arena, u, &in, &number, &fe, ws_now(req), e);
    if (r == ERR_INVALID && fe.count)
        return paper_page(req, 422, &fe, e);
    if (r)
        return r;
    resp_header(req, "Cache-Control", "no-store");
    resp_redirect(req, 303,
                  arena_printf(req->arena, "/%s/petitions/%s", lang_code(req->lang), number));
    return 0;
}

/* ---- a Member presents ----------------------------------------------------------------------- */

int
page_member_present(struct request *req, struct err *e)
{
    const struct user *u;
    struct petition p;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_MEMBER, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    struct petition_number pn;
    petition_number_of(&p, &pn);
    if (p.state != PETITION_CERTIFIED)
        return err_set(e, ERR_CONFLICT, "present.not_certified", NULL, "not certified");
    const char *self = self_path(req, "/member/present/", public_petition_number(req, &p));
    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        int kept = form_kept(req, &fe);
        return present_page(req, kept ? kept : 200, &p, true, self, kept ? &fe : NULL, e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    form_refusal_to(req, self);
    struct present_input in = {form_value(req, "date"), NULL, form_value(req, "committee"),
                               form_value(req, "ministry"),
                               strcmp(form_value(req, "anyway"), "1") == 0};
    const char *number;
    r = house_present(FLOW(req), req->arena, u, &pn, &in, &number, &fe, ws_now(req), e);
    if (r == ERR_INVALID && fe.count)
        return present_page(req, 422, &p, true, self, &fe, e);
    if (r)
        return r;
    ws_redirect(req, "/member?done=presented");
    return 0;
}

/* Certified petitions any Member may present, for the Member's home page. */
json_t *
house_pages_member_certified(struct request *req, struct err *e)
{
    struct petition *list;
    int n;
    json_t *rows = json_array();
    if (list_state(req, PETITION_CERTIFIED, 0, &list, &n, e))
        return rows;
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        const char *num = public_petition_number(req, &list[i]);
        json_object_set_new(o, "number", json_string(num));
        json_object_set_new(o, "url", json_string(public_petition_path(req, &list[i])));
        json_object_set_new(o, "href", json_string(self_path(req, "/member/present/", num)));
        json_object_set_new(o, "certified", json_string(ws_date(req, list[i].certified_at)));
        json_array_append_new(rows, o);
    }
    return rows;
}

/* ---- responders ------------------------------------------------------------------------------ */

int
page_responder_home(struct request *req, struct err *e)
{
    const struct user *u;
    struct petition *list;
    int n, r;

    if ((r = auth_require(req, ROLE_RESPONDER, &u, e)))
        return r > 0 ? 0 : r;
    json_t *ctx = ws_page(req, "responder.title");
    ws_done_notice(ctx, req);
    struct ministry m;
    if (store_ministry_get(STORE(req), NULL, req->arena, u->ministry_id, NULL, &m, e) == 0)
        json_object_set_new(ctx, "ministry", json_string(m.title[req->lang]));
    if ((r = list_state(req, PETITION_PRESENTED, u->ministry_id, &list, &n, e))) {
        json_decref(ctx);
        return r;
    }
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, presented_row(req, &list[i],
                                                  self_path(req, "/responder/petitions/",
                                                            public_petition_number(req, &list[i])),
                                                  e));
    json_object_set_new(ctx, "petitions", rows);
    json_object_set_new(ctx, "has_petitions", json_boolean(n > 0));
    return site_render(req, 200, "responder_home", ctx, e);
}

int
page_responder_petition(struct request *req, struct err *e)
{
    const struct user *u;
    struct petition p;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_RESPONDER, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    struct petition_number pn;
    petition_number_of(&p, &pn);
    if (p.response_ministry_id != u->ministry_id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "another ministry's");
    if (p.state != PETITION_PRESENTED)
        return err_set(e, ERR_CONFLICT, "response.not_presented", NULL, "not presented");
    const char *self = self_path(req, "/responder/petitions/", public_petition_number(req, &p));
    /* A refusal comes back to this page (Post/Redirect/Get, web/forms.h);
     * one whose texts do not fit a cookie is answered to the POST. */
    if (req->method == HTTP_POST)
        form_refusal_to(req, self);
    else
        form_kept(req, &fe);
    if (req->method == HTTP_POST && !form_cut(req, &fe)) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        bool ready = strcmp(form_value(req, "action"), "ready") == 0;
        r = house_response_save(FLOW(req), req->arena, u, &pn, form_value(req, "signed_by"),
                                form_value(req, "signed_by_fr"), form_value(req, "text_en"),
                                form_value(req, "text_fr"), ready, &fe, ws_now(req), e);
        if (r == 0) {
            ws_redirect(req, ready ? "/responder?done=response-ready"
                                   : "/responder?done=response-saved");
            return 0;
        }
        if (r != ERR_INVALID || !fe.count)
            return r;
    }
    struct response_draft d = {0};
    struct err e2 = ERR_INIT;
    bool have = store_response_draft_get(STORE(req), NULL, req->arena, p.id, &d, &e2) == 0;
    bool posted = form_posted(req);
    json_t *ctx = ws_petition_page(req, "responder.write_title", public_petition_number(req, &p));
    form_errors(ctx, req, &fe);
    json_object_set_new(ctx, "row", presented_row(req, &p, NULL, e));
    json_object_set_new(ctx, "petition", petition_text(req, &p));
    json_object_set_new(ctx, "ready", json_boolean(have && d.ready_at));
    struct ministry m;
    if (store_ministry_get(STORE(req), NULL, req->arena, u->ministry_id, NULL, &m, e) == 0)
        json_object_set_new(ctx, "ministry", json_string(m.title[req->lang]));
    json_t *fields = json_array();
    json_t *f = form_field(req, "signed_by", "responder.signed_by", FIELD_TEXT, true,
                           posted ? form_value(req, "signed_by") : (have ? d.signed_by : ""), &fe);
    form_max_chars(req, f, HOUSE_SIGNED_BY_MAX);
    json_array_append_new(fields, f);
    f = form_field(req, "signed_by_fr", "responder.signed_by_fr", FIELD_TEXT, true,
                   posted ? form_value(req, "signed_by_fr") : (have ? d.signed_by_fr : ""), &fe);
    form_max_chars(req, f, HOUSE_SIGNED_BY_MAX);
    json_array_append_new(fields, f);
    f = form_field(req, "text_en", "responder.text_en", FIELD_TEXTAREA, true,
                   posted ? form_value(req, "text_en") : (have ? d.text[LANG_EN] : ""), &fe);
    form_max_chars(req, f, HOUSE_RESPONSE_MAX);
    json_array_append_new(fields, f);
    f = form_field(req, "text_fr", "responder.text_fr", FIELD_TEXTAREA, true,
                   posted ? form_value(req, "text_fr") : (have ? d.text[LANG_FR] : ""), &fe);
    form_max_chars(req, f, HOUSE_RESPONSE_MAX);
    json_array_append_new(fields, f);
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "action", json_string(self));
    return site_render(req, form_status(req, &fe), "responder_petition", ctx, e);
}

/* ---- the public: overdue responses -------------------------------------------------------------
 */

int
page_overdue(struct request *req, struct err *e)
{
    struct petition *list;
    int n, r;
    if ((r = list_state(req, PETITION_PRESENTED, 0, &list, &n, e)))
        return r;
    json_t *ctx = site_page(req, form_msg(req, "overdue.title"));
    json_t *rows = json_array(), *waiting = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = presented_row(req, &list[i], NULL, e);
        json_object_del(o, "response_ready");
        json_object_del(o, "response_writing");
        json_array_append_new(json_is_true(json_object_get(o, "overdue")) ? rows : waiting, o);
    }
    json_object_set_new(ctx, "overdue", rows);
    json_object_set_new(ctx, "has_overdue", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(ctx, "waiting", waiting);
    json_object_set_new(ctx, "has_waiting", json_boolean(json_array_size(waiting) > 0));
    site_html_headers(req, SITE_AGE_PAGE);
    return site_render(req, 200, "overdue", ctx, e);
}
