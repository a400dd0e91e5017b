/*
 * auth.c: sessions, CSRF tokens, passwords and account links; see auth.h.
 */
#include "web/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/parse.h"
#include "lib/token.h"
#include "site/site.h"
#include "store/store.h"
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
        if (site->store->ops->auth_session_get(site->store, req->arena, h,
                                               clock_now(&site->clock), &au->user, &csrf,
                                               &e) == 0) {
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
    const char *got = req_form(req, "csrf");
    if (!want || !got || !hex_ok(want, strlen(want)) || !token_equal(want, got))
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

int
auth_sign_in(struct request *req, const struct user *u, struct err *e)
{
    struct site *site = req->app;
    char secret[65], csrf[33];
    unsigned char h[TOKEN_HASH_BYTES];
    int64_t now = clock_now(&site->clock);
    int r;

    token_random_hex(secret, 32);
    token_random_hex(csrf, 16);
    token_hash(secret, h);
    if ((r = site->store->ops->auth_session_insert(site->store, h, u->id, csrf, now,
                                                   now + SESSION_LIFETIME, e)))
        return r;
    struct auth *au = auth_load(req);
    au->signed_in = true;
    au->user = *u;
    au->csrf = arena_strdup(req->arena, csrf);
    resp_header(req, "Set-Cookie",
                arena_printf(req->arena, "%s=%s%s; Max-Age=%d", SESSION_COOKIE, secret,
                             cookie_attrs(req), SESSION_LIFETIME));
    return 0;
}

void
auth_sign_out(struct request *req)
{
    struct site *site = req->app;
    struct auth *au = auth_load(req);
    if (au->signed_in) {
        unsigned char h[TOKEN_HASH_BYTES];
        struct err e = ERR_INIT;
        token_hash(au->secret, h);
        site->store->ops->auth_session_delete(site->store, h, &e);
    }
    au->signed_in = false;
    au->csrf = NULL;
    resp_header(req, "Set-Cookie",
                arena_printf(req->arena, "%s=%s; Max-Age=0", SESSION_COOKIE, cookie_attrs(req)));
}

int
password_hash(const char *pw, char out[128])
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash fits");
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

bool
password_verify(const char *hash, const char *pw)
{
    if (!hash || !*hash || !pw)
        return false;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static void
link_message(char *out, size_t cap, const char *purpose, int64_t id, int64_t expires,
             int64_t generation)
{
    snprintf(out, cap, "%s|%lld|%lld|%lld", purpose, (long long)id, (long long)expires,
             (long long)generation);
}

const char *
account_link_make(struct arena *a, const unsigned char key[TOKEN_KEY_BYTES],
                  const char *base_url, const char *purpose, const struct user *u,
                  int64_t expires, enum lang lang)
{
    char m[128], tok[TOKEN_MAC_CHARS + 1];
    link_message(m, sizeof(m), purpose, u->id, expires, u->generation);
    token_mac(key, m, tok);
    return arena_printf(a, "%s/%s/%s?u=%lld&x=%lld&t=%s", base_url,
                        lang_code(lang),
                        strcmp(purpose, "activate") == 0 ? "account/activate" : "password/reset",
                        (long long)u->id, (long long)expires, tok);
}

const char *
account_link(struct request *req, const char *purpose, const struct user *u, int64_t expires,
             enum lang lang)
{
    const struct site *site = req->app;
    return account_link_make(req->arena, site->link_key, site->base_url, purpose, u, expires,
                             lang);
}

int
account_link_check(struct request *req, const char *purpose, struct user *u, struct err *e)
{
    struct site *site = req->app;
    const char *us = req_query(req, "u"), *xs = req_query(req, "x"), *t = req_query(req, "t");
    if (!us || !xs || !t)
        us = req_form(req, "u"), xs = req_form(req, "x"), t = req_form(req, "t");
    long long id, x;
    char m[128];
    if (!us || !xs || !t || parse_llz(us, 1, INT64_MAX, &id, NULL) || parse_llz(xs, 0, INT64_MAX, &x, NULL))
        return err_set(e, ERR_NOT_FOUND, "account.link_bad", NULL, "link parameters");
    int r = site->store->ops->user_get(site->store, req->arena, id, NULL, u, e);
    if (r)
        return err_set(e, ERR_NOT_FOUND, "account.link_bad", NULL, "no such user");
    link_message(m, sizeof(m), purpose, u->id, x, u->generation);
    if (!token_check(site->link_key, m, t))
        return err_set(e, ERR_GONE, "account.link_used", NULL, "link does not verify");
    if (x < clock_now(&site->clock))
        return err_set(e, ERR_GONE, "account.link_expired", NULL, "link expired");
    return 0;
}
