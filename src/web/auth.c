/*
 * auth.c: sessions, CSRF tokens, passwords and account links; see auth.h.
 */
#include "web/auth.h"

#include <string.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/token.h"
#include "site/site.h"
#include "store/store.h"
#include "workflow/accounts.h"
#include "lib/banned.h"

static const char SESSION_COOKIE[] = "pd_session";
static const char CSRF_COOKIE[] = "pd_csrf";

struct auth {
    bool signed_in;
    struct user user;
    const char *csrf;
    const char *secret; /* the session cookie's value */
};

static bool
hex_ok(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static struct auth *
auth_load(struct request *req)
{
    if (req->auth)
        return req->auth;
    struct site *site = req->app;
    struct auth *au = arena_alloc(req->arena, sizeof(*au));
    memset(au, 0, sizeof(*au));
    req->auth = au;
    const char *secret = req_cookie(req, SESSION_COOKIE);
    if (hex_ok(secret, 64)) {
        unsigned char h[TOKEN_HASH_BYTES];
        const char *csrf = NULL;
        struct err e = ERR_INIT;
        token_hash(secret, h);
        if (store_auth_session_get(site->store, NULL, req->arena, h, clock_now(&site->clock),
                                   &au->user, &csrf, &e) == 0) {
            au->signed_in = true;
            au->csrf = csrf;
            au->secret = secret;
        }
    }
    return au;
}

const struct user *
auth_user(struct request *req)
{
    struct auth *au = auth_load(req);
    return au->signed_in ? &au->user : NULL;
}

static const char *
cookie_attrs(struct request *req)
{
    const struct site *site = req->app;
    return site->secure_cookies ? "; Path=/; HttpOnly; SameSite=Lax; Secure"
                                : "; Path=/; HttpOnly; SameSite=Lax";
}

const char *
auth_csrf(struct request *req)
{
    struct auth *au = auth_load(req);
    if (au->csrf)
        return au->csrf;
    const char *c = req_cookie(req, CSRF_COOKIE);
    if (hex_ok(c, 32)) {
        au->csrf = c;
        return c;
    }
    char *fresh = arena_alloc(req->arena, 33);
    token_random_hex(fresh, 16);
    au->csrf = fresh;
    resp_header(req, "Set-Cookie",
                arena_printf(req->arena, "%s=%s%s", CSRF_COOKIE, fresh, cookie_attrs(req)));
    return fresh;
}

int
auth_check_csrf(struct request *req, struct err *e)
{
    struct auth *au = auth_load(req);
    const char *want = au->csrf ? au->csrf : req_cookie(req, CSRF_COOKIE);
    /* A body we cannot read has no fields, the token's neither: say what
     * is wrong with it rather than blame the token. */
    if (!req_form_ok(req))
        return err_set(e, ERR_INVALID, "error.form_invalid", NULL, "form body not readable");
    const char *got = req_form(req, "csrf");
    /* Both are 32 hex digits (auth_csrf(), the session's): an empty
     * cookie with an empty field is no token. */
    if (!want || !got || !hex_ok(want, 32) || !token_equal(want, got))
        return err_set(e, ERR_FORBIDDEN, "error.csrf", NULL, "CSRF token missing or wrong");
    return 0;
}

int
auth_require(struct request *req, enum role role, const struct user **out, struct err *e)
{
    const struct user *u = auth_user(req);
    if (!u) {
        struct strbuf to;
        sb_init(&to, req->arena);
        sb_addf(&to, "/%s/sign-in?next=", lang_code(req->lang));
        url_encode(&to, req->path, strlen(req->path));
        resp_header(req, "Cache-Control", "no-store");
        resp_redirect(req, 303, to.buf);
        return 1;
    }
    if (u->role != role)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "role %s may not see %s",
                       role_name(u->role), req->path);
    *out = u;
    return 0;
}

void
auth_signed_in(struct request *req, const struct user *u, const struct accounts_session *ses)
{
    struct auth *au = auth_load(req);
    au->signed_in = true;
    au->user = *u;
    au->csrf = arena_strdup(req->arena, ses->csrf);
    resp_header(req, "Set-Cookie",
                arena_printf(req->arena, "%s=%s%s; Max-Age=%d", SESSION_COOKIE, ses->secret,
                             cookie_attrs(req), SESSION_LIFETIME));
}

void
auth_sign_out(struct request *req)
{
    struct site *site = req->app;
    struct auth *au = auth_load(req);
    if (au->signed_in) {
        struct err e = ERR_INIT;
        accounts_sign_out(&site->flow, au->secret, &e);
    }
    au->signed_in = false;
    au->csrf = NULL;
    resp_header(req, "Set-Cookie",
                arena_printf(req->arena, "%s=%s; Max-Age=0", SESSION_COOKIE, cookie_attrs(req)));
}

int
account_link_check(struct request *req, const char *purpose, struct user *u, struct err *e)
{
    struct site *site = req->app;
    const char *us = req_query(req, "u"), *xs = req_query(req, "x"), *t = req_query(req, "t");
    if (!us || !xs || !t)
        us = req_form(req, "u"), xs = req_form(req, "x"), t = req_form(req, "t");
    return accounts_link_check(&site->flow, req->arena, purpose, us, xs, t, clock_now(&site->clock),
                               u, e);
}
