/*
 * site.h: what every page and API handler shares, made once at start-up.
 *
 * The site holds the store, the compiled templates, the message
 * catalogues in both languages (data/i18n/en.json and fr.json), the
 * jurisdiction's rules and the clock.  After site_init() it is read-only
 * and shared by all worker threads (the change counters and the page
 * cache are thread-safe on their own).
 */
#ifndef PETITIOND_SITE_H
#define PETITIOND_SITE_H

#include <jansson.h>
#include <stdbool.h>

#include "site/log_keys.h"
#include "core/jurisdiction.h"
#include "core/netaddr.h"
#include "lib/changes.h"
#include "lib/clock.h"
#include "lib/lang.h"
#include "lib/token.h"
#include "mail/mailer.h"
#include "workflow/flow.h"

struct cache;
struct err;
struct request;
struct store;
struct template_set;

enum { SITE_TRUSTED_MAX = 16, SITE_METRICS_FROM_MAX = 16 };

struct site {
    struct store *store;
    struct template_set *templates;
    json_t *messages[LANG_COUNT];
    struct jurisdiction rules;
    struct clock clock;
    bool dev;
    const char *base_url; /* for links in e-mails; "http://127.0.0.1:8080" */
    bool secure_cookies;  /* served over HTTPS (base_url is https://) */
    const char *mail_dir; /* development: where .eml files go (/dev/mail) */
    /* --contact-email: the operator's address; NULL: none given. */
    const char *contact_email;
    unsigned char link_key[TOKEN_KEY_BYTES]; /* MACs of e-mailed links */
    struct mailer mailer;
    struct flow flow;       /* store, mailer, rules, key, the mail thread's wake */
    struct changes changes; /* what cached pages check (lib/changes.h) */
    /* Public answers kept in memory (http/cache.h): made by site_init(),
     * freed by site_release(); thread-safe on its own. */
    struct cache *cache;
    /* How long (ms) a cached page may show counts that have since moved;
     * 0 = draw it again as soon as they move.  site_init() sets 500. */
    unsigned count_freshness_ms;
    /* Proxies whose X-Forwarded-For is believed (--trusted-proxy). */
    struct netrange trusted[SITE_TRUSTED_MAX];
    int trusted_count;
    /* Who may read /metrics (--metrics-from; web/metrics_pages.h):
     * site_init() sets loopback, 127.0.0.0/8 and ::1. */
    struct netrange metrics_from[SITE_METRICS_FROM_MAX];
    int metrics_from_count;
    /* The keys of the public logs' checkpoints (--log-key); n 0: none,
     * the logs are kept but not signed or served. */
    struct log_keys log_keys;
};

/* Compile the embedded templates, load the catalogues, make the empty
 * page cache and set count_freshness_ms to 500 (change it after, before
 * serving).  The store and rules are the caller's (set them before or
 * after).  site_release() frees all of it, also after a failure.  Returns 0 or
 * ERR_INVALID naming the template or catalogue at fault. */
int site_init(struct site *site, struct err *e);

void site_release(struct site *site);

/* The message for key ("error.not_found") in lang; the key itself when
 * the catalogue lacks it (a test checks that none is missing). */
const char *site_msg(const struct site *site, enum lang lang, const char *key);

/* The message for key in the request's language with "{}" replaced by
 * arg (plain text: whoever outputs it escapes it), from req->arena. */
const char *site_msg_with(struct request *req, const char *key, const char *arg);

/* A bilingual text in the request's language, else in the other one. */
const char *site_tr(const struct request *req, const char *const text[LANG_COUNT]);

/* The site's address (--base-url) without a trailing slash, from
 * req->arena: "https://petitions.example"; "" when none is set.  For
 * absolute URLs in feeds and exports. */
const char *site_base_url(struct request *req);

/*
 * A page context with what every template needs: lang, other_lang,
 * other_url (this page in the other language), the catalogue as "t",
 * and the page title.  The caller adds its own fields and passes it to
 * site_render(), which takes ownership.
 */
json_t *site_page(struct request *req, const char *title);

/* Render template name with ctx (owned: it is released here) and answer
 * with status.  Returns 0, or an error for the caller to turn into an
 * error page. */
int site_render(struct request *req, int status, const char *name, json_t *ctx, struct err *e);

/* Answer with the error page for status, in req->lang, with the message
 * of key. */
void site_error_page(struct request *req, int status, const char *key);

/* The standard headers of an HTML page (security policy, language,
 * caching for max_age seconds; 0 = no-store). */
void site_html_headers(struct request *req, int max_age);

enum {
    SITE_STALE_IF_ERROR = 86400, /* seconds a cache may serve a copy while we fail */
    SITE_AGE_LIVE = 5,           /* pages and answers with counts that move */
    SITE_AGE_PAGE = 60,          /* the rest of the public record */
    SITE_AGE_STATIC = 3600,      /* style sheets, scripts, images */
};

/* Cache-Control of a public answer: max_age seconds fresh, then served
 * stale while revalidating (stale-while-revalidate, at least 30 s) and
 * on errors (stale-if-error, a day); max_age 0 = no-store (forms,
 * workspaces, anything about one visitor). */
void site_cache_control(struct request *req, int max_age);

/*
 * The client's address as the rate limits and the block list see it: the
 * connection's peer, or, when the peer is a trusted proxy
 * (--trusted-proxy), the address X-Forwarded-For names (netaddr_client());
 * ip gets it as text, key its rate key (netaddr_rate_key(): an IPv6
 * address's /64).  Both "unknown" when the peer has no IP address.
 */
void site_client_address(struct request *req, char ip[NETADDR_TEXT_MAX],
                         char key[NETADDR_TEXT_MAX]);

/* A server_handlers.refuse callback: an early refusal (400, 413, 414,
 * 431) as an error page in the language of the URL or the browser. */
void site_refuse(struct request *req, int status, const char *key);

/* The language of a request without a language prefix, from
 * Accept-Language (French when it prefers fr, else English). */
enum lang site_accept_language(struct request *req);

#endif
