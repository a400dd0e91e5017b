/*
 * audit_pages.c: the administrator's record of staff acts and the acts
 * an administrator takes on petitions:
 *
 *   /{lang}/admin/audit     the audit log, newest first, by petition or action
 *   /{lang}/admin/remove    remove a petition from the public record, with a reason
 *   /{lang}/admin/signing   pause signing of one petition or the whole site, and resume
 *
 * Each page checks the role first (403 for every other role); removal is
 * a use case of workflow/house.h, the pauses of workflow/sign_pause.h,
 * audited there.  Removal is asked first (web/confirm.h): the form's
 * POST, once its fields pass the use case's checks, is answered with the
 * question, which posts them again with confirm=yes.
 */
#include "web/audit_pages.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/draft.h"
#include "core/jurisdiction.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "core/petition_state.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
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
#include "workflow/sign_pause.h"
#include "lib/banned.h"

#define STORE(req) (((struct site *)(req)->app)->store)
#define FLOW(req) (&((struct site *)(req)->app)->flow)

static int
remove_page(struct request *req, int status, const struct field_errors *fe, struct err *e)
{
    json_t *ctx = ws_form(req, "remove.title", ws_path(req, "/admin/remove"), "remove.submit");
    json_object_set_new(ctx, "intro", json_string(form_msg(req, "remove.intro")));
    form_errors(ctx, req, fe);
    json_t *fields = json_object_get(ctx, "fields");
    json_t *f =
        form_field(req, "number", "remove.number", FIELD_TEXT, true, form_value(req, "number"), fe);
    form_hint(req, f, "remove.number_hint");
    json_array_append_new(fields, f);
    f = form_field(req, "reason", "remove.reason", FIELD_TEXTAREA, true, form_value(req, "reason"),
                   fe);
    form_max_chars(req, f, HOUSE_REMOVE_REASON_MAX);
    json_array_append_new(fields, f);
    return site_render(req, status, "form", ctx, e);
}

/* Removal takes a petition off the public record: asked first, with
 * the number and reason typed, carried to the confirmed POST. */
static int
remove_question(struct request *req, const struct petition *p, const char *number,
                const char *reason, struct err *e)
{
    const char *self = ws_path(req, "/admin/remove");
    struct confirm_page c = confirm_page_for(req, "remove", self, self);
    c.danger = true;
    confirm_petition(&c, pub_title(req, p));
    confirm_fact(&c, "confirm.reason", reason);
    confirm_hidden(&c, "number", number);
    confirm_hidden(&c, "reason", reason);
    return confirm_render(req, 200, &c, e);
}

int
page_admin_remove(struct request *req, struct err *e)
{
    const struct user *u;
    struct field_errors fe = {0};
    struct petition p;
    int r;

    if ((r = auth_require(req, ROLE_ADMIN, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        int kept = form_kept(req, &fe);
        return remove_page(req, kept ? kept : 200, kept ? &fe : NULL, e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    form_refusal_to(req, ws_path(req, "/admin/remove"));
    struct err e2 = ERR_INIT;
    const char *number = form_value(req, "number");
    if (!*number || public_petition_load(req, number, &p, &e2)) {
        field_error(&fe, "number", "remove.number_bad");
        return remove_page(req, 422, &fe, e);
    }
    struct petition_number pn;
    petition_number_of(&p, &pn);
    const char *reason = form_value(req, "reason");
    if (!confirm_given(req)) {
        r = house_remove_check(FLOW(req), req->arena, u, &pn, reason, &fe, e);
        if (r == 0)
            return remove_question(req, &p, number, reason, e);
    } else {
        r = house_remove(FLOW(req), req->arena, u, &pn, reason, &fe, ws_now(req), e);
    }
    if (r == ERR_INVALID && fe.count)
        return remove_page(req, 422, &fe, e);
    if (r)
        return r;
    ws_redirect(req, "/admin?done=removed");
    return 0;
}

/* ---- the audit log ----------------------------------------------------------------------------
 */

/* The message of key in the page's language, or NULL when the catalogue
 * has none. */
static const char *
msg_or_null(struct request *req, const char *key)
{
    const char *m = form_msg(req, key);
    return strcmp(m, key) == 0 ? NULL : m;
}

/* "2026-12-07T20:35:51Z", for the <time> element. */
static const char *
iso_utc(struct request *req, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(req->arena, buf);
}

/* A role as pages name it ("role.clerk"); petitiond's own acts are
 * "system" ("audit.system"). */
static const char *
role_label(struct request *req, const char *role)
{
    const char *m = msg_or_null(req, arena_printf(req->arena, "role.%s", role));
    if (!m && strcmp(role, "system") == 0)
        m = form_msg(req, "audit.system");
    return m ? m : role;
}

/* An action's words in the page's language (catalogue audit.act.CODE:
 * Presentation recorded for petition.present); the code itself when
 * the catalogue has none. */
static const char *
action_label(struct request *req, const char *action)
{
    const char *m = msg_or_null(req, arena_printf(req->arena, "audit.act.%s", action));
    return m ? m : action;
}

/*
 * What a record is about, as staff know it: a petition by its number
 * (its e-number, or its presented number for a paper one), a draft by
 * its e-number once it was published ("draft 12" is e-6513 then), else
 * by its label in the page's language; any other target as recorded.
 */
static const char *
target_label(struct request *req, const struct audit_entry *a)
{
    struct err e2 = ERR_INIT;
    if (a->petition_id) {
        struct petition_brief b;
        if (store_petition_brief(STORE(req), NULL, a->petition_id, 0, &b, &e2) == 0 &&
            b.e_number > 0)
            return arena_printf(req->arena, "e-%ld", b.e_number);
        return a->target;
    }
    long long id;
    static const char draft[] = "draft ";
    if (a->target && strncmp(a->target, draft, sizeof(draft) - 1) == 0 &&
        parse_llz(a->target + sizeof(draft) - 1, 1, INT64_MAX, &id, NULL) == 0) {
        struct draft_record d;
        if (store_draft_get(STORE(req), NULL, req->arena, id, &d, &e2) == 0)
            return ws_draft_label(req, &d);
        return site_msg_with(req, "staff.draft", a->target + sizeof(draft) - 1);
    }
    return a->target;
}

/* One value of a record's details as text: names for codes the
 * catalogue or the jurisdiction knows, dates for times, nested objects
 * as "key: value; ...". */
static const char *detail_value(struct request *req, const char *key, json_t *v);

static const char *
detail_key(struct request *req, const char *key)
{
    const char *m = msg_or_null(req, arena_printf(req->arena, "audit.key.%s", key));
    return m ? m : key;
}

static const char *
detail_value(struct request *req, const char *key, json_t *v)
{
    if (json_is_string(v)) {
        const char *t = json_string_value(v);
        enum petition_state st;
        if (strcmp(key, "committee") == 0) {
            const struct committee *k = jurisdiction_committee(FLOW(req)->rules, t);
            if (k)
                return k->name[req->lang];
        }
        if (strcmp(key, "ministry") == 0) {
            struct ministry m;
            struct err e2 = ERR_INIT;
            if (store_ministry_get(STORE(req), NULL, req->arena, 0, t, &m, &e2) == 0)
                return m.title[req->lang];
        }
        if (strcmp(key, "role") == 0)
            return role_label(req, t);
        if (petition_state_from_name(t, strlen(t), &st) == 0)
            return petition_state_label(st, req->lang);
        const char *m = msg_or_null(req, arena_printf(req->arena, "audit.value.%s", t));
        return m ? m : t;
    }
    if (json_is_integer(v)) {
        /* Times (a search's from and to) are seconds since 1970. */
        if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0)
            return pub_datetime(req, (int64_t)json_integer_value(v));
        return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
    }
    if (json_is_boolean(v))
        return form_msg(req, json_is_true(v) ? "audit.yes" : "audit.no");
    if (json_is_object(v)) {
        struct strbuf sb;
        const char *k;
        json_t *x;
        sb_init(&sb, req->arena);
        json_object_foreach(v, k, x)
        {
            if (sb.len)
                sb_adds(&sb, "; ");
            sb_adds(&sb, detail_key(req, k));
            sb_adds(&sb, form_msg(req, "audit.colon"));
            sb_adds(&sb, detail_value(req, k, x));
        }
        return sb.len ? sb.buf : "—";
    }
    if (json_is_array(v)) {
        struct strbuf sb;
        size_t i;
        json_t *x;
        sb_init(&sb, req->arena);
        json_array_foreach(v, i, x)
        {
            if (i)
                sb_adds(&sb, ", ");
            sb_adds(&sb, detail_value(req, key, x));
        }
        return sb.buf;
    }
    if (json_is_real(v))
        return arena_printf(req->arena, "%g", json_real_value(v));
    return "—";
}

/* A record's details (a JSON object) as [{key, value}] in the page's
 * language; the text itself when it is not an object. */
static json_t *
details_lines(struct request *req, const char *details)
{
    json_t *arr = json_array();
    if (!details || !*details)
        return arr;
    json_t *root = json_loads(details, 0, NULL);
    if (!json_is_object(root)) {
        json_array_append_new(arr, json_pack("{ssss}", "key", "", "value", details));
        json_decref(root);
        return arr;
    }
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        json_array_append_new(
            arr, json_pack("{ssss}", "key", detail_key(req, k), "value", detail_value(req, k, v)));
    }
    json_decref(root);
    return arr;
}

int
page_admin_audit(struct request *req, struct err *e)
{
    const struct user *u;
    int r;

    if ((r = auth_require(req, ROLE_ADMIN, &u, e)))
        return r > 0 ? 0 : r;
    struct audit_query q = {.limit = 100};
    const char *number = req_query(req, "petition");
    const char *action = req_query(req, "action");
    const char *before = req_query(req, "before");
    long long b;
    if (before && *before) {
        if (parse_llz(before, 1, INT64_MAX, &b, NULL))
            return err_set(e, ERR_INVALID, "error.invalid", "before", "before");
        q.before_id = b;
    }
    if (number && *number) {
        struct petition p;
        if ((r = public_petition_load(req, number, &p, e)))
            return r;
        q.petition_id = p.id;
    }
    if (action && *action)
        q.action = action;
    struct audit_entry *list;
    int n;
    if ((r = store_audit_list(STORE(req), NULL, req->arena, &q, &list, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "audit.title");
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(list[i].id));
        json_object_set_new(o, "at", json_string(pub_datetime(req, list[i].at)));
        json_object_set_new(o, "at_iso", json_string(iso_utc(req, list[i].at)));
        json_object_set_new(o, "who",
                            json_string(list[i].user_email ? list[i].user_email : "petitiond"));
        json_object_set_new(o, "role", json_string(role_label(req, list[i].role)));
        json_object_set_new(o, "action", json_string(list[i].action));
        json_object_set_new(o, "action_label", json_string(action_label(req, list[i].action)));
        json_object_set_new(o, "target", json_string(target_label(req, &list[i])));
        json_object_set_new(o, "reason", json_string(list[i].reason));
        json_object_set_new(o, "details", details_lines(req, list[i].details));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "entries", rows);
    json_object_set_new(ctx, "has_entries", json_boolean(n > 0));
    json_object_set_new(ctx, "petition", json_string(number ? number : ""));
    json_object_set_new(ctx, "filter_action", json_string(action ? action : ""));
    if (n == q.limit)
        json_object_set_new(
            ctx, "older",
            json_string(
                arena_printf(req->arena, "%s?before=%lld%s%s%s%s", ws_path(req, "/admin/audit"),
                             (long long)list[n - 1].id, number && *number ? "&petition=" : "",
                             number && *number ? number : "", action && *action ? "&action=" : "",
                             action && *action ? action : "")));
    return site_render(req, 200, "admin_audit", ctx, e);
}

/* ---- pausing signing ------------------------------------------------------------------------- */

/* The pauses in force and the form to add one. */
static int
signing_page(struct request *req, int status, const struct field_errors *fe, const char *problem,
             struct err *e)
{
    struct signing_pause *list;
    int n, r;

    if ((r = store_signing_pause_list(STORE(req), NULL, req->arena, &list, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "pause.title");
    ws_done_notice(ctx, req);
    form_errors(ctx, req, fe);
    if (problem)
        form_problem_key(ctx, req, problem);
    json_object_set_new(ctx, "action", json_string(ws_path(req, "/admin/signing")));
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        if (list[i].petition_id)
            json_object_set_new(o, "number",
                                json_string(arena_printf(req->arena, "e-%ld", list[i].e_number)));
        json_object_set_new(o, "since", json_string(pub_datetime(req, list[i].paused_at)));
        json_object_set_new(o, "reason", json_string(list[i].reason));
        json_object_set_new(o, "action", json_string(ws_path(req, "/admin/signing")));
        json_object_set_new(o, "csrf", json_string(auth_csrf(req)));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "pauses", rows);
    json_object_set_new(ctx, "has_pauses", json_boolean(n > 0));
    bool posted = form_posted(req) && status != 200;
    json_t *fields = json_array();
    json_t *f = form_field(req, "number", "pause.number", FIELD_TEXT, false,
                           posted ? form_value(req, "number") : NULL, fe);
    form_hint(req, f, "pause.number_hint");
    json_array_append_new(fields, f);
    f = form_field(req, "reason", "pause.reason", FIELD_TEXTAREA, true,
                   posted ? form_value(req, "reason") : NULL, fe);
    form_max_chars(req, f, SIGN_PAUSE_REASON_MAX);
    json_array_append_new(fields, f);
    json_object_set_new(ctx, "fields", fields);
    return site_render(req, status, "admin_signing", ctx, e);
}

int
page_admin_signing(struct request *req, struct err *e)
{
    const struct user *u;
    struct field_errors fe = {0};
    struct petition_number pn = {0};
    int r;

    if ((r = auth_require(req, ROLE_ADMIN, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        int kept = form_kept(req, &fe);
        return signing_page(req, kept ? kept : 200, kept ? &fe : NULL, form_kept_problem(req), e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    form_refusal_to(req, ws_path(req, "/admin/signing"));
    /* An e-petition's number, or nothing for the whole site. */
    const char *number = form_value(req, "number");
    if (*number && (petition_number_parse(number, strlen(number), &pn, NULL) ||
                    pn.kind != PETITION_NUMBER_E)) {
        field_error(&fe, "number", "pause.number_bad");
        return signing_page(req, 422, &fe, NULL, e);
    }
    long e_number = *number ? pn.e_number : 0;
    bool resume = strcmp(form_value(req, "action"), "resume") == 0;
    struct err e2 = ERR_INIT;
    r = resume
            ? sign_resume(FLOW(req), u, e_number, ws_now(req), &e2)
            : sign_pause(FLOW(req), u, e_number, form_value(req, "reason"), &fe, ws_now(req), &e2);
    if (r == ERR_INVALID && fe.count)
        return signing_page(req, 422, &fe, NULL, e);
    if (r == ERR_NOT_FOUND && e2.field) {
        field_error(&fe, "number", e2.key);
        return signing_page(req, 422, &fe, NULL, e);
    }
    if (r == ERR_CONFLICT || r == ERR_NOT_FOUND)
        return signing_page(req, r == ERR_CONFLICT ? 409 : 404, NULL, e2.key, e);
    if (r) {
        *e = e2;
        return r;
    }
    ws_redirect(req, resume ? "/admin/signing?done=signing-resumed"
                            : "/admin/signing?done=signing-paused");
    return 0;
}
