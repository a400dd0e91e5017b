/*
 * site.c: the shared state of the web and API handlers, page contexts,
 * rendering and error pages; see site.h.
 */
#include "site/site.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "http/cache.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/json_path.h"
#include "lib/strbuf.h"
#include "lib/template.h"
#include "lib/banned.h"

static const char *const catalogue_paths[LANG_COUNT] = {
    [LANG_EN] = "data/i18n/en.json",
    [LANG_FR] = "data/i18n/fr.json",
};

int
site_init(struct site *site, struct err *e)
{
    int r;
    site->cache = cache_new(NULL);
    site->count_freshness_ms = 500;
    netrange_parse("127.0.0.0/8", &site->metrics_from[0]);
    netrange_parse("::1", &site->metrics_from[1]);
    site->metrics_from_count = 2;
    site->templates = template_set_new();
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        const char *base = f->path + strlen("templates/");
        size_t n = strlen(f->path);
        if (strncmp(f->path, "templates/", 10) != 0 || n < 15 ||
            strcmp(f->path + n - 5, ".html") != 0)
            continue;
        char name[64];
        size_t len = strlen(base) - 5;
        if (len >= sizeof(name))
            return err_set(e, ERR_INVALID, "error.internal", NULL, "template name too long");
        memcpy(name, base, len);
        name[len] = '\0';
        if ((r = template_set_add(site->templates, name, (const char *)f->data, f->len, e)))
            return r;
    }
    if ((r = template_set_check(site->templates, e)))
        return r;
    for (int i = 0; i < LANG_COUNT; i++) {
        const struct embedded_file *f = embed_find(catalogue_paths[i]);
        json_error_t jerr;
        if (!f)
            return err_set(e, ERR_INVALID, "error.internal", NULL, "no catalogue %s",
                           catalogue_paths[i]);
        site->messages[i] = json_loadb((const char *)f->data, f->len, 0, &jerr);
        if (!json_is_object(site->messages[i]))
            return err_set(e, ERR_INVALID, "error.internal", NULL, "%s:%d: %s", catalogue_paths[i],
                           jerr.line, jerr.text);
    }
    return 0;
}

void
site_release(struct site *site)
{
    sodium_memzero(&site->log_keys, sizeof(site->log_keys));
    cache_free(site->cache);
    site->cache = NULL;
    template_set_free(site->templates);
    site->templates = NULL;
    for (int i = 0; i < LANG_COUNT; i++) {
        json_decref(site->messages[i]);
        site->messages[i] = NULL;
    }
}

const char *
site_msg(const struct site *site, enum lang lang, const char *key)
{
    json_t *v = json_path_get(site->messages[lang], key);
    return json_is_string(v) ? json_string_value(v) : key;
}

/* True when an Accept-Language entry's parameters say q=0 (refused). */
static bool
q_is_zero(const char *params, size_t len)
{
    const char *q = NULL;
    for (size_t i = 0; i + 2 <= len; i++)
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=')
            q = params + i + 2;
    if (!q)
        return false;
    size_t n = len - (size_t)(q - params);
    /* "0", "0.", "0.0", "0.00", "0.000" are zero; anything else is not. */
    if (n == 0 || q[0] != '0')
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(q[i] == '0' || (i == 1 && q[i] == '.') || q[i] == ' '))
            return false;
    return true;
}

enum lang
site_accept_language(struct request *req)
{
    /* The first of en or fr in the header's order (browsers list languages
     * by preference), skipping any refused with q=0. */
    const char *h = req_header(req, "Accept-Language");
    const char *p = h;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tag = p;
        size_t n = strcspn(p, ",;");
        const char *params = p + n;
        size_t plen = strcspn(params, ",");
        p = params + plen;
        while (n > 0 && tag[n - 1] == ' ')
            n--;
        if (n < 2 || (n > 2 && tag[2] != '-') || q_is_zero(params, plen))
            continue;
        if (strncasecmp(tag, "fr", 2) == 0)
            return LANG_FR;
        if (strncasecmp(tag, "en", 2) == 0)
            return LANG_EN;
    }
    return LANG_EN;
}

struct query_rebuild {
    struct strbuf *sb;
    bool first;
};

static void
add_query_arg(void *arg, const char *key, const char *value)
{
    struct query_rebuild *q = arg;
    sb_addch(q->sb, q->first ? '?' : '&');
    q->first = false;
    url_encode(q->sb, key, strlen(key));
    if (value) {
        sb_addch(q->sb, '=');
        url_encode(q->sb, value, strlen(value));
    }
}

/* This page's URL in the other language: the prefix swapped, the query kept. */
static const char *
other_language_url(struct request *req)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    enum lang other = lang_other(req->lang);
    sb_addch(&sb, '/');
    sb_adds(&sb, lang_code(other));
    if (req->lang_from_url) {
        const char *rest = req->path + 3;
        url_encode_path(&sb, rest, strlen(rest));
        struct query_rebuild q = {&sb, true};
        req_query_each(req, add_query_arg, &q);
    }
    return sb.buf;
}

const char *
site_msg_with(struct request *req, const char *key, const char *arg)
{
    const char *m = site_msg(req->app, req->lang, key);
    const char *hole = strstr(m, "{}");
    if (!hole)
        return m;
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_add(&sb, m, (size_t)(hole - m));
    sb_adds(&sb, arg ? arg : "");
    sb_adds(&sb, hole + 2);
    return sb.buf;
}

const char *
site_tr(const struct request *req, const char *const text[LANG_COUNT])
{
    const char *t = text[req->lang];
    return t ? t : text[lang_other(req->lang)];
}

const char *
site_base_url(struct request *req)
{
    const struct site *site = req->app;
    const char *b = site->base_url ? site->base_url : "";
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == '/')
        n--;
    return arena_strndup(req->arena, b, n);
}

json_t *
site_page(struct request *req, const char *title)
{
    const struct site *site = req->app;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "lang", json_string(lang_code(req->lang)));
    json_object_set_new(ctx, "other_lang", json_string(lang_code(lang_other(req->lang))));
    json_object_set_new(ctx, "other_url", json_string(other_language_url(req)));
    json_object_set(ctx, "t", site->messages[req->lang]);
    json_object_set_new(ctx, "title", json_string(title ? title : ""));
    if (site->dev)
        json_object_set_new(ctx, "dev", json_true());
    /* The logs are signed: the footer links to "Check my signature". */
    if (site->log_keys.n)
        json_object_set_new(ctx, "logs", json_true());
    return ctx;
}

void
site_html_headers(struct request *req, int max_age)
{
    resp_header(req, "Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self';"
                " connect-src 'self'; form-action 'self'; base-uri 'none';"
                " frame-ancestors 'none'");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_header(req, "Referrer-Policy", "same-origin");
    resp_header(req, "Content-Language", lang_code(req->lang));
    /* A handler that chose its own caching (an open petition's page) keeps it. */
    for (int i = 0; i < req->resp.header_count; i++)
        if (strcasecmp(req->resp.headers[i].name, "Cache-Control") == 0)
            return;
    site_cache_control(req, max_age);
}

void
site_cache_control(struct request *req, int max_age)
{
    if (max_age <= 0) {
        resp_header(req, "Cache-Control", "no-store");
        return;
    }
    /* A shared cache may answer with a copy up to swr seconds past its
     * age while it fetches a fresh one, and with any copy of the last day
     * while petitiond cannot answer: a surge or an outage shows slightly
     * old counts instead of an error. */
    int swr = max_age * 5 < 30 ? 30 : max_age * 5;
    resp_header(req, "Cache-Control",
                arena_printf(req->arena,
                             "public, max-age=%d, stale-while-revalidate=%d,"
                             " stale-if-error=%d",
                             max_age, swr, SITE_STALE_IF_ERROR));
}

int
site_render(struct request *req, int status, const char *name, json_t *ctx, struct err *e)
{
    const struct site *site = req->app;
    struct strbuf out;
    int r;

    sb_init(&out, req->arena);
    r = template_render(site->templates, name, ctx, &out, e);
    json_decref(ctx);
    if (r) {
        /* Whatever the renderer says, a page that cannot be drawn is our
         * fault, not the visitor's: 500, never 400 or 404. */
        char why[sizeof(e->log)] = "";
        if (e)
            memcpy(why, e->log, sizeof(why));
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "render %s: %s", name, why);
    }
    if (sb_failed(&out))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "render %s failed", name);
    site_html_headers(req, status == 200 ? SITE_AGE_PAGE : 0);
    resp_body(req, status, "text/html; charset=utf-8", out.buf, out.len);
    return 0;
}

void
site_error_page(struct request *req, int status, const char *key)
{
    const struct site *site = req->app;
    struct err e = ERR_INIT;
    const char *title_key;

    switch (status) {
    case 404:
        title_key = "error.title_404";
        break;
    case 410:
        title_key = "error.title_410";
        break;
    case 413:
    case 414:
    case 431:
        title_key = "error.title_too_large";
        break;
    case 403:
        title_key = "error.title_403";
        break;
    case 409:
        title_key = "error.title_409";
        break;
    case 400:
    case 405:
        title_key = "error.title_400";
        break;
    case 503:
        title_key = "error.title_503";
        break;
    default:
        title_key = status >= 500 ? "error.title_500" : "error.title_400";
    }
    /* Resetting what a failed handler may have set. */
    req->resp.header_count = 0;
    json_t *ctx = site_page(req, site_msg(site, req->lang, title_key));
    const char *message = site_msg(site, req->lang, key);
    if (strcmp(key, "error.body_too_large") == 0)
        /* A page's form too large: its limit, and that nothing was kept. */
        message = site_msg_with(req, "error.form_too_large",
                                arena_printf(req->arena, "%zu", req->body_limit / 1024));
    json_object_set_new(ctx, "message", json_string(message));
    json_object_set_new(ctx, "status", json_integer(status));
    if (site_render(req, status, "error", ctx, &e)) {
        static const char plain[] = "Error / Erreur\n";
        req->resp.header_count = 0;
        resp_body(req, status, "text/plain; charset=utf-8", plain, sizeof(plain) - 1);
    }
    /* Seconds: overloaded, not broken; or paused by an administrator
     * (sign_pause.h), for longer: no use asking again at once. */
    if (status == 503)
        resp_header(req, "Retry-After", strcmp(key, "sign.paused") == 0 ? "300" : "2");
}

void
site_client_address(struct request *req, char ip[NETADDR_TEXT_MAX], char key[NETADDR_TEXT_MAX])
{
    const struct site *site = req->app;
    struct netaddr peer, client;
    if (netaddr_parse(req_peer(req), &peer)) {
        snprintf(ip, NETADDR_TEXT_MAX, "%s", "unknown");
        snprintf(key, NETADDR_TEXT_MAX, "%s", "unknown");
        return;
    }
    netaddr_client(&peer, req_header(req, "X-Forwarded-For"), site->trusted, site->trusted_count,
                   &client);
    netaddr_format(&client, ip);
    netaddr_rate_key(&client, key);
}

void
site_refuse(struct request *req, int status, const char *key)
{
    const char *p = req->path;
    if (p && (strncmp(p, "/en", 3) == 0 || strncmp(p, "/fr", 3) == 0) && (p[3] == '/' || !p[3])) {
        req->lang = p[1] == 'f' ? LANG_FR : LANG_EN;
        req->lang_from_url = true;
    } else {
        req->lang = site_accept_language(req);
    }
    if (!p)
        req->path = "/";
    site_error_page(req, status, key);
}
