/*
 * routes.c: the route table and the dispatcher; see routes.h.
 */
#include "cmd/routes.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/feeds.h"
#include "api/log.h"
#include "http/cache.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/metrics.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "web/account_pages.h"
#include "web/audit_pages.h"
#include "web/auth.h"
#include "web/calendar_pages.h"
#include "web/clerk_signing_pages.h"
#include "web/dev_pages.h"
#include "web/draft_pages.h"
#include "web/health_pages.h"
#include "web/home_pages.h"
#include "web/house_pages.h"
#include "web/info_pages.h"
#include "web/keyword_pages.h"
#include "web/list_pages.h"
#include "web/metrics_pages.h"
#include "web/petition_pages.h"
#include "web/sign_pages.h"
#include "web/staff_pages.h"
#include "web/static_pages.h"
#include "web/subject_pages.h"
#include "web/forms.h"
#include "web/verify_pages.h"
#include "lib/banned.h"

enum { GET = HTTP_GET | HTTP_HEAD, FORM = HTTP_GET | HTTP_HEAD | HTTP_POST, POST = HTTP_POST };

static const struct route routes[] = {
    /* Both languages, the browser's first: Vary: Accept-Language, so not
     * kept under the URL, but public and validated (ROUTE_VARY).  A cache
     * that ignores Vary shows some visitors the other order of the same
     * two links, which is harmless; no-store would cost every first visit
     * a full answer for that. */
    {GET, "/", page_choose_language, ROUTE_VARY},
    {GET, "/healthz", page_healthz, 0},
    /* Prometheus metrics: only to --metrics-from (web/metrics_pages.h). */
    {GET, "/metrics", page_metrics, 0},
    {GET, "/static/*", page_static, ROUTE_CACHE},
    {GET, "/{lang}", page_home, ROUTE_CACHE},
    {GET, "/{lang}/petitions", page_petitions, ROUTE_CACHE},
    {GET, "/{lang}/petitions/not-accepted", page_not_accepted, ROUTE_CACHE},
    {GET, "/{lang}/petitions/overdue", page_overdue, ROUTE_CACHE},
    {GET, "/{lang}/petitions/*", page_petition, ROUTE_CACHE},
    {FORM, "/{lang}/petitions/*/sign", page_sign, ROUTE_FORM_CUT},
    /* Not cached: a workspace notice (signed-in bar, CSRF cookie). */
    {GET, "/{lang}/petitions/*/check-email", page_sign_check_email, 0},
    {GET, "/{lang}/petitions/*/certificate", page_certificate, ROUTE_CACHE},
    {GET, "/{lang}/petitions/*/badge.svg", page_petition_badge, ROUTE_CACHE},
    /* Each e-petition's public log (api/log.h): C2SP tlog-tiles.  A tile's
     * path has 2 to 9 segments after tile/ (an index of up to 21 digits in
     * groups of 3, and .p/W).  Tiles never change: kept in memory like
     * pages; the checkpoint is read each time (its signer's commit moves
     * no page's counter). */
    {GET, "/log/key", log_key_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/checkpoint", log_checkpoint_page, ROUTE_API},
    {GET, "/log/*/tile/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*/*/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*/*/*/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    {GET, "/log/*/tile/*/*/*/*/*/*/*/*/*", log_tile_page, ROUTE_API | ROUTE_CACHE},
    /* A signer's receipt: its errors as pages, for a browser. */
    {GET, "/receipts/*/*", log_receipt_page, 0},
    {FORM, "/{lang}/signatures/*", page_signature, 0},
    /* A signatory's link to stop mail about a petition (RFC 8058). */
    {FORM, "/{lang}/stop/*/*", page_mail_stop, 0},
    /* The pages every public service has (web/info_pages.h). */
    {GET, "/{lang}/privacy", page_privacy, ROUTE_CACHE},
    {GET, "/{lang}/terms", page_terms, ROUTE_CACHE},
    {GET, "/{lang}/help", page_help, ROUTE_CACHE},
    {GET, "/{lang}/accessibility", page_accessibility, ROUTE_CACHE},
    {GET, "/{lang}/contact", page_contact, ROUTE_CACHE},
    /* Checking a receipt, in the browser (web/verify_pages.h). */
    {GET, "/{lang}/verify", page_verify, ROUTE_CACHE},
    {GET, "/{lang}/keywords", page_keywords, ROUTE_CACHE},
    {GET, "/{lang}/keywords/*", page_keyword, ROUTE_CACHE},
    {GET, "/{lang}/subjects", page_subjects, ROUTE_CACHE},
    {GET, "/{lang}/subjects/*", page_subject, ROUTE_CACHE},
    /* Atom feeds (api/feeds.h).  A keyword's is /{lang}/feeds/keywords/SLUG.atom,
     * not under /{lang}/keywords/, whose route takes any one segment. */
    {GET, "/{lang}/feeds/opened.atom", feed_opened, ROUTE_CACHE},
    {GET, "/{lang}/feeds/responses.atom", feed_responses, ROUTE_CACHE},
    {GET, "/{lang}/feeds/keywords/*", feed_keyword, ROUTE_CACHE},
    {FORM, "/{lang}/register", page_register, 0},
    {GET, "/{lang}/account/activate", page_activate, 0},
    {FORM, "/{lang}/sign-in", page_sign_in, 0},
    {POST, "/{lang}/sign-out", page_sign_out, 0},
    {FORM, "/{lang}/password/forgot", page_forgot, 0},
    {FORM, "/{lang}/password/reset", page_reset, 0},
    {GET, "/{lang}/account", page_account, 0},
    {FORM, "/{lang}/account/petition", page_draft, ROUTE_FORM_CUT},
    {FORM, "/{lang}/account/petition/submit", page_draft_submit, 0},
    {POST, "/{lang}/account/petition/supporters", page_draft_supporters, 0},
    {POST, "/{lang}/account/petition/member", page_draft_member, 0},
    {FORM, "/{lang}/account/petition/withdraw", page_draft_withdraw, 0},
    {FORM, "/{lang}/support/*", page_support, 0},
    {GET, "/{lang}/member", page_member_home, 0},
    {FORM, "/{lang}/member/petitions/*", page_member_petition, 0},
    {GET, "/{lang}/clerk", page_clerk_home, 0},
    {FORM, "/{lang}/clerk/petitions/*", page_clerk_petition, 0},
    {GET, "/{lang}/clerk/signatures", page_clerk_signatures, 0},
    {FORM, "/{lang}/clerk/signatures/*", page_clerk_signature_petition, 0},
    {FORM, "/{lang}/clerk/signing-rules", page_clerk_rules, 0},
    {GET, "/{lang}/clerk/house", page_clerk_house, 0},
    {FORM, "/{lang}/clerk/house/*", page_clerk_house_petition, 0},
    {FORM, "/{lang}/clerk/calendar", page_clerk_calendar, 0},
    {FORM, "/{lang}/clerk/paper", page_clerk_paper, ROUTE_LONG_FORM},
    {FORM, "/{lang}/member/present/*", page_member_present, 0},
    {GET, "/{lang}/responder", page_responder_home, 0},
    {FORM, "/{lang}/responder/petitions/*", page_responder_petition,
     ROUTE_FORM_CUT | ROUTE_LONG_FORM},
    {FORM, "/{lang}/admin", page_admin_home, 0},
    {FORM, "/{lang}/admin/parliament", page_admin_parliament, 0},
    {GET, "/{lang}/admin/audit", page_admin_audit, 0},
    {FORM, "/{lang}/admin/remove", page_admin_remove, 0},
    {FORM, "/{lang}/admin/signing", page_admin_signing, 0},
    {GET, "/dev/mail", page_dev_mail, 0},
    {GET, "/dev/mail/*", page_dev_mail_one, 0},
    {GET, "/api/v1/openapi.json", api_openapi, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/petitions", api_petitions, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/subjects", api_subjects, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/keywords", api_keywords, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/members", api_members, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/parliaments", api_parliaments, ROUTE_API | ROUTE_CACHE},
    /* Exports (api/export.h); a petition's XML, /api/v1/petitions/e-2829.xml,
     * is answered by api_petition() for the route below. */
    {GET, "/api/v1/petitions.csv", export_csv, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/petitions.xml", export_xml, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/petitions.xsd", export_schema, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/petitions/*", api_petition, ROUTE_API | ROUTE_CACHE},
    {GET, "/api/v1/petitions/*/count", api_petition_count, ROUTE_API | ROUTE_CACHE},
};

/* What answer_error() needs to know of an unknown address under /api/. */
static const struct route api_no_route = {GET, "/api/*", NULL, ROUTE_API};

enum { ROUTE_COUNT = sizeof(routes) / sizeof(routes[0]) };
_Static_assert((int)ROUTE_COUNT < (int)METRICS_MAX_ROUTES, "every route has its metrics");

void
routes_name_metrics(void)
{
    static const char *patterns[ROUTE_COUNT];
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        patterns[i] = routes[i].pattern;
    metrics_routes(patterns, ROUTE_COUNT);
}

/* Match path against pattern, filling captures and the language. */
static bool
route_match(const char *pattern, const char *path, struct request *req)
{
    const char *p = pattern, *s = path;
    int ncap = 0;
    bool has_lang = false;
    enum lang lang = LANG_EN;

    if (strcmp(pattern, "/") == 0)
        return strcmp(path, "/") == 0;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pend = strchr(p, '/'), *send = strchr(s, '/');
        size_t plen = pend ? (size_t)(pend - p) : strlen(p);
        size_t slen = send ? (size_t)(send - s) : strlen(s);
        if (slen == 0)
            return false;
        if (plen == 6 && memcmp(p, "{lang}", 6) == 0) {
            if (lang_from_code(s, slen, &lang))
                return false;
            has_lang = true;
        } else if (plen == 1 && *p == '*') {
            if (ncap == ROUTE_MAX_CAPTURES)
                return false;
            req->captures[ncap++] = arena_strndup(req->arena, s, slen);
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
    if (*p || *s)
        return false;
    req->capture_count = ncap;
    if (has_lang) {
        req->lang = lang;
        req->lang_from_url = true;
    }
    return true;
}

static void
answer_error(struct request *req, const struct route *route, struct err *e)
{
    int status = err_http_status(e->code);
    if (status >= 500) {
        struct strbuf line;
        sb_init(&line, req->arena);
        sb_adds(&line, "petitiond: ");
        log_escape(&line, req->path, strlen(req->path));
        sb_adds(&line, ": ");
        log_escape(&line, e->log, strlen(e->log));
        sb_addch(&line, '\n');
        fwrite(line.buf, 1, line.len, stderr);
    }
    req->resp.header_count = 0;
    if (route && (route->flags & ROUTE_API))
        api_error(req, e);
    else
        site_error_page(req, status, e->key ? e->key : "error.internal");
}

void
routes_refuse(struct request *req, int status, const char *key)
{
    if (req->path && strncmp(req->path, "/api/", 5) == 0) {
        struct err e = ERR_INIT;
        err_set(&e, status == 413 ? ERR_TOO_LARGE : ERR_INVALID, key, NULL, "refused");
        api_error(req, &e);
        req->resp.status = status;
        return;
    }
    site_refuse(req, status, key);
}

void
routes_finish(struct request *req)
{
    struct err e = ERR_INIT;
    if (req->finish(req, &e))
        answer_error(req, NULL, &e);
}

size_t
routes_body_limit(struct request *req)
{
    if (req->method != HTTP_POST)
        return 0;
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        const struct route *r = &routes[i];
        req->capture_count = 0;
        if (!(r->methods & HTTP_POST) || !route_match(r->pattern, req->path, req))
            continue;
        if (!(r->flags & ROUTE_LONG_FORM))
            return 0;
        const struct user *u = auth_user(req);
        if (!u || u->role == ROLE_PETITIONER)
            return 0;
        return req->body_limit * ROUTE_LONG_FORM_FACTOR;
    }
    return 0;
}

void
routes_dispatch(struct request *req)
{
    struct err e = ERR_INIT;
    struct site *site = req->app;
    const struct route *allowed_elsewhere = NULL;
    unsigned allow = 0;
    size_t n = strlen(req->path);
    struct cache_stamp stamp = {0};
    bool readonly = (req->method & (HTTP_GET | HTTP_HEAD)) != 0;

    /*
     * The hot path: a public page kept in memory, answered before any
     * routing.  Only ROUTE_CACHE routes put answers in the cache, keyed by
     * the request target, so an entry found for this target is the answer
     * of such a route to this very target.  The stamp is taken before the
     * handler runs, so a change committed while it draws leaves the entry
     * stale at once.
     */
    if (readonly) {
        cache_stamp_take(&stamp, &site->changes, &site->clock);
        /* A refused form kept for its page (web/forms.h) is drawn for
         * this browser alone, never from the cache. */
        if (!form_state_sent(req) &&
            cache_answer(site->cache, req, &stamp, site->count_freshness_ms))
            return;
    }

    /* Until a route says otherwise, the visitor's browser language. */
    req->lang = site_accept_language(req);
    if (n > 1 && req->path[n - 1] == '/') {
        /* One URL per page: "/en/petitions/" is "/en/petitions". */
        struct strbuf to;
        sb_init(&to, req->arena);
        url_encode_path(&to, req->path, n - 1);
        site_cache_control(req, SITE_AGE_STATIC);
        resp_redirect(req, 301, to.buf);
        return;
    }
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        const struct route *r = &routes[i];
        req->capture_count = 0;
        if (!route_match(r->pattern, req->path, req))
            continue;
        if (!(r->methods & req->method)) {
            allow |= r->methods;
            allowed_elsewhere = r;
            continue;
        }
        req->resp.route = (int)i + 1; /* the metrics' label: its pattern */
        if (req->body_cut && (!(r->flags & ROUTE_FORM_CUT) || !req_form_cut(req))) {
            routes_refuse(req, 413, "error.body_too_large");
            return;
        }
        if (r->handler(req, &e)) {
            answer_error(req, r, &e);
            return;
        }
        /* A refused form: to its page with what was typed (web/forms.h). */
        if (!req->deferred)
            form_refusal_answer(req);
        if ((r->flags & ROUTE_CACHE) && readonly)
            cache_keep(site->cache, req, &stamp);
        else if ((r->flags & ROUTE_VARY) && readonly)
            cache_validate(req, &stamp);
        return;
    }
    if (req->body_cut) {
        /* Cut at the limit, for no form that shows itself again. */
        routes_refuse(req, 413, "error.body_too_large");
        return;
    }
    if (allowed_elsewhere) {
        err_set(&e, ERR_INVALID, "error.method_not_allowed", NULL, "method %s", req->method_name);
        if (allowed_elsewhere->flags & ROUTE_API)
            api_error(req, &e);
        else
            site_error_page(req, 405, e.key);
        req->resp.status = 405;
        req->resp.route = (int)(allowed_elsewhere - routes) + 1;
        resp_header(req, "Allow",
                    (allow & HTTP_POST) ? ((allow & HTTP_GET) ? "GET, HEAD, POST" : "POST")
                                        : "GET, HEAD");
        return;
    }
    /* No route: the page in the language its address names (/en/..,
     * /fr/..), else the browser's; its language link goes to the other
     * language's home, as there is no such page there either. */
    const char *p = req->path;
    if ((strncmp(p, "/en", 3) == 0 || strncmp(p, "/fr", 3) == 0) && (p[3] == '/' || !p[3]))
        req->lang = p[1] == 'f' ? LANG_FR : LANG_EN;
    err_set(&e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no route");
    /* Under /api/, the API's JSON error, as its routes answer. */
    answer_error(req, strncmp(p, "/api/", 5) == 0 ? &api_no_route : NULL, &e);
}
