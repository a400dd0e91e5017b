/*
 * account_pages.c: registering, activating, signing in and out, and
 * resetting a password (rulebook 4; issue "draft to publication" 1).
 */
#include <string.h>

#include "core/email.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "site/site.h"
#include "web/account_pages.h"
#include "web/auth.h"
#include "web/forms.h"
#include "web/workspace.h"
#include "workflow/accounts.h"
#include "lib/banned.h"

static void
add_field(json_t *ctx, json_t *field)
{
    json_array_append_new(json_object_get(ctx, "fields"), field);
}

static void
add_hidden(json_t *ctx, const char *name, const char *value)
{
    json_t *h = json_object();
    json_object_set_new(h, "name", json_string(name));
    json_object_set_new(h, "value", json_string(value ? value : ""));
    json_array_append_new(json_object_get(ctx, "hidden"), h);
}

/* A form posted without our token (403) or unreadable (400): nothing done. */
static int
csrf_or_fail(struct request *req, struct err *e)
{
    return auth_check_csrf(req, e);
}

/* ---- registration ------------------------------------------------------------ */

static void
person_fields(struct request *req, json_t *ctx, const struct field_errors *fe, bool city)
{
    json_t *f;
    add_field(ctx, form_field(req, "first_name", "form.first_name", FIELD_TEXT, true,
                              form_value(req, "first_name"), fe));
    add_field(ctx, form_field(req, "last_name", "form.last_name", FIELD_TEXT, true,
                              form_value(req, "last_name"), fe));
    if (city)
        add_field(ctx, form_field(req, "city", "form.city", FIELD_TEXT, true,
                                  form_value(req, "city"), fe));
    const char *country = req_form(req, "country");
    add_field(ctx, form_field(req, "country", "form.country", FIELD_TEXT, true,
                              country ? country : "Canada", fe));
    f = form_field(req, "province", "form.province", FIELD_SELECT, false,
                   form_value(req, "province"), fe);
    form_hint(req, f, "form.province_hint");
    form_province_options(req, f);
    add_field(ctx, f);
    f = form_field(req, "postal_code", "form.postal_code", FIELD_TEXT, false,
                   form_value(req, "postal_code"), fe);
    form_autocomplete(f, "postal-code");
    add_field(ctx, f);
    f = form_field(req, "phone", "form.phone", FIELD_TEL, true, form_value(req, "phone"), fe);
    form_autocomplete(f, "tel");
    add_field(ctx, f);
}

static void
declaration_fields(struct request *req, json_t *ctx, const struct field_errors *fe)
{
    add_field(ctx, form_field(req, "eligible", "form.eligible", FIELD_CHECKBOX, true,
                              form_value(req, "eligible"), fe));
    json_t *terms =
        form_field(req, "terms", "form.terms", FIELD_CHECKBOX, true, form_value(req, "terms"), fe);
    form_terms_link(req, terms, "petitioners");
    add_field(ctx, terms);
}

static int
register_form(struct request *req, int status, const struct field_errors *fe, struct err *e)
{
    json_t *ctx = ws_form(req, "account.register_title", ws_path(req, "/register"),
                          "account.register_submit");
    json_object_set_new(ctx, "intro", json_string(form_msg(req, "account.register_intro")));
    form_errors(ctx, req, fe);
    person_fields(req, ctx, fe, true);
    add_field(ctx, form_field(req, "email", "form.email", FIELD_EMAIL, true,
                              form_value(req, "email"), fe));
    json_t *pw = form_field(req, "password", "form.password", FIELD_NEW_PASSWORD, true, NULL, fe);
    form_hint(req, pw, "form.password_hint");
    add_field(ctx, pw);
    declaration_fields(req, ctx, fe);
    form_person_limits(req, json_object_get(ctx, "fields"));
    ws_link(ctx, ws_path(req, "/sign-in"), form_msg(req, "account.have_account"));
    return site_render(req, status, "form", ctx, e);
}

int
page_register(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct field_errors fe = {0};
    int r;

    if (req->method != HTTP_POST) {
        /* After registering (Post/Redirect/Get): check your e-mail. */
        const char *done = req_query(req, "done");
        if (done && strcmp(done, "check-email") == 0) {
            static const char *const ps[] = {"account.check_email", "account.check_email_more"};
            return ws_notice_mail(req, 200, "account.check_email_title", ps, 2, e);
        }
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        int kept = form_kept(req, &fe);
        return register_form(req, kept ? kept : 200, kept ? &fe : NULL, e);
    }
    if ((r = csrf_or_fail(req, e)))
        return r;
    form_refusal_to(req, ws_path(req, "/register"));
    struct person p = form_person(req);
    person_check(&p,
                 PERSON_NAME | PERSON_EMAIL | PERSON_CITY | PERSON_ADDRESS | PERSON_PHONE |
                     PERSON_DECLARATIONS,
                 &fe);
    const char *pw = form_value(req, "password");
    const char *problem = password_problem(pw);
    if (problem)
        field_error(&fe, "password", problem);
    if (fe.count)
        return register_form(req, 422, &fe, e);

    int64_t now = ws_now(req);
    struct user u = {
        .email = p.email,
        .role = ROLE_PETITIONER,
        .first_name = p.first_name,
        .last_name = p.last_name,
        .city = p.city,
        .province = country_is_canada(p.country) ? p.province : "",
        .country = p.country,
        .postal_code = p.postal_code,
        .phone = p.phone,
        .lang = req->lang,
        .created_at = now,
    };
    /* The same answer whether or not the address has an account. */
    if ((r = accounts_register(&site->flow, req->arena, &u, pw, now, e)))
        return r;
    ws_redirect(req, "/register?done=check-email");
    return 0;
}

int
page_activate(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct user u;
    int r = account_link_check(req, "activate", &u, e);
    if (r)
        return ws_old_link(req, WS_LINK_ACTIVATE, NULL, e);
    if ((r = accounts_activate(&site->flow, &u, ws_now(req), e)))
        return r;
    json_t *ctx = ws_page(req, "account.activated_title");
    json_object_set_new(ctx, "heading", json_string(form_msg(req, "account.activated_title")));
    json_t *ps = json_array();
    json_array_append_new(ps, json_string(form_msg(req, "account.activated")));
    json_object_set_new(ctx, "paragraphs", ps);
    ws_link(ctx, ws_path(req, "/sign-in"), form_msg(req, "account.sign_in_title"));
    return site_render(req, 200, "notice", ctx, e);
}

/* ---- signing in and out ------------------------------------------------------- */

static int
sign_in_form(struct request *req, int status, const struct field_errors *fe,
             const char *problem_key, struct err *e)
{
    json_t *ctx =
        ws_form(req, "account.sign_in_title", ws_path(req, "/sign-in"), "account.sign_in_submit");
    form_errors(ctx, req, fe);
    ws_done_notice(ctx, req);
    if (problem_key)
        form_problem_key(ctx, req, problem_key);
    const char *next = req_form(req, "next");
    add_hidden(ctx, "next", next ? next : req_query(req, "next"));
    add_field(ctx, form_field(req, "email", "form.email", FIELD_EMAIL, true,
                              form_value(req, "email"), fe));
    add_field(ctx, form_field(req, "password", "form.password", FIELD_PASSWORD, true, NULL, fe));
    ws_link(ctx, ws_path(req, "/register"), form_msg(req, "account.register_title"));
    ws_link(ctx, ws_path(req, "/password/forgot"), form_msg(req, "account.forgot_title"));
    return site_render(req, status, "form", ctx, e);
}

/* A local path to go back to after sign-in, or NULL. */
static const char *
safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 300)
        return NULL;
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x21 || *p == 0x7f)
            return NULL;
    return next;
}

int
page_sign_in(struct request *req, struct err *e)
{
    struct site *site = req->app;
    int r;

    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        struct field_errors fe;
        int kept = form_kept(req, &fe);
        return sign_in_form(req, kept ? kept : 200, kept ? &fe : NULL, form_kept_problem(req), e);
    }
    if ((r = csrf_or_fail(req, e)))
        return r;
    form_refusal_to(req, ws_path(req, "/sign-in"));
    struct accounts_session ses;
    struct user u;
    struct err e2 = ERR_INIT;
    char ip[NETADDR_TEXT_MAX], key[NETADDR_TEXT_MAX];

    /* Failures are counted by the client's address as every rate limit
     * counts it: behind the proxy, the one X-Forwarded-For names. */
    site_client_address(req, ip, key);
    r = accounts_sign_in(&site->flow, req->arena, form_value(req, "email"),
                         form_value(req, "password"), key, ws_now(req), &u, &ses, &e2);
    switch (r) {
    case 0:
        break;
    case ERR_UNAVAILABLE:
        resp_header(req, "Retry-After", "900");
        return sign_in_form(req, 429, NULL, e2.key, e);
    case ERR_INVALID:
        return sign_in_form(req, 401, NULL, e2.key, e);
    case ERR_FORBIDDEN:
        return sign_in_form(req, 403, NULL, e2.key, e);
    default:
        *e = e2;
        return r;
    }
    auth_signed_in(req, &u, &ses);
    const char *next = safe_next(req_form(req, "next"));
    resp_header(req, "Cache-Control", "no-store");
    resp_redirect(req, 303, next ? next : ws_home(req, u.role));
    return 0;
}

int
page_sign_out(struct request *req, struct err *e)
{
    int r = csrf_or_fail(req, e);
    if (r)
        return r;
    auth_sign_out(req);
    ws_redirect(req, "/sign-in?done=signed-out");
    return 0;
}

/* ---- forgotten passwords -------------------------------------------------------- */

int
page_forgot(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct field_errors fe = {0};
    int r;

    if (req->method == HTTP_POST) {
        if ((r = csrf_or_fail(req, e)))
            return r;
        form_refusal_to(req, ws_path(req, "/password/forgot"));
        const char *email = form_value(req, "email");
        if (!email_valid(email, strlen(email)))
            field_error(&fe, "email", "field.email");
        if (!fe.count) {
            if ((r = accounts_forgot_password(&site->flow, req->arena, email, ws_now(req), e)))
                return r;
            ws_redirect(req, "/password/forgot?done=sent");
            return 0;
        }
    } else {
        /* After asking (Post/Redirect/Get): check your e-mail. */
        const char *done = req_query(req, "done");
        if (done && strcmp(done, "sent") == 0) {
            static const char *const ps[] = {"account.reset_sent"};
            return ws_notice_mail(req, 200, "account.check_email_title", ps, 1, e);
        }
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        form_kept(req, &fe);
    }
    json_t *ctx = ws_form(req, "account.forgot_title", ws_path(req, "/password/forgot"),
                          "account.forgot_submit");
    form_errors(ctx, req, &fe);
    add_field(ctx, form_field(req, "email", "form.email", FIELD_EMAIL, true,
                              form_value(req, "email"), &fe));
    return site_render(req, fe.count ? 422 : 200, "form", ctx, e);
}

int
page_reset(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct field_errors fe = {0};
    struct user u;
    int r;

    if (req->method == HTTP_POST && (r = csrf_or_fail(req, e)))
        return r;
    if (req->method == HTTP_POST)
        form_refusal_to(req, ws_path(req, "/password/reset"));
    else
        form_kept(req, &fe); /* after a refusal: its link's fields and errors */
    if ((r = account_link_check(req, "reset", &u, e)))
        return ws_old_link(req, WS_LINK_RESET, NULL, e);
    if (req->method == HTTP_POST) {
        const char *pw = form_value(req, "password");
        const char *problem = password_problem(pw);
        if (problem)
            field_error(&fe, "password", problem);
        else if (strcmp(pw, form_value(req, "password2")) != 0)
            field_error(&fe, "password2", "field.password_mismatch");
        if (!fe.count) {
            if ((r = accounts_reset_password(&site->flow, &u, pw, ws_now(req), e)))
                return r;
            ws_redirect(req, "/sign-in?done=password-changed");
            return 0;
        }
    }
    json_t *ctx = ws_form(req, "account.reset_title", ws_path(req, "/password/reset"),
                          "account.reset_submit");
    form_errors(ctx, req, &fe);
    const char *names[] = {"u", "x", "t"};
    for (int i = 0; i < 3; i++) {
        const char *v = req_query(req, names[i]);
        add_hidden(ctx, names[i], v ? v : req_form(req, names[i]));
    }
    json_t *pw =
        form_field(req, "password", "form.new_password", FIELD_NEW_PASSWORD, true, NULL, &fe);
    form_hint(req, pw, "form.password_hint");
    add_field(ctx, pw);
    add_field(ctx, form_field(req, "password2", "form.password_again", FIELD_NEW_PASSWORD, true,
                              NULL, &fe));
    return site_render(req, fe.count ? 422 : 200, "form", ctx, e);
}
