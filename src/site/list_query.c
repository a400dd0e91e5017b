/*
 * list_query.c: the reading of a list's query string; see list_query.h.
 */
#include "site/list_query.h"

#include <string.h>

#include "core/petition.h"
#include "core/petition_state.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "site/site.h"
#include "lib/banned.h"

/* The filters a link to another page of the list carries, in its order. */
static const char *const filters[] = {"status", "type",     "subject", "keyword", "member",
                                      "parliament", "session", "q",   "responded", "sort",
                                      NULL};
static const char *const paged_params[] = {"status",  "type",     "subject", "keyword",
                                           "member",  "parliament", "session", "q",
                                           "responded", "sort",   "page",    "per_page",
                                           NULL};
/* An export with texts in one language: the filters and "lang". */
static const char *const lang_params[] = {"status",    "type",       "subject", "keyword",
                                          "member",    "parliament", "session", "q",
                                          "responded", "sort",       "lang",    NULL};

/* In the order of enum petition_sort. */
static const char *const sorts[] = {"recent", "oldest", "most-signatures", "fewest-signatures",
                                    "relevance"};

static int
bad(struct err *e, const char *key, const char *name)
{
    return err_set(e, ERR_INVALID, key, name, "bad query parameter %s", name);
}

/* "44-1": a Parliament and a session of it. */
static int
read_session(const char *v, int *parliament, int *session)
{
    const char *dash = strchr(v, '-');
    long long p, s;
    if (!dash || parse_ll(v, (size_t)(dash - v), 1, 99, &p, NULL) ||
        parse_llz(dash + 1, 1, 9, &s, NULL))
        return -1;
    *parliament = (int)p;
    *session = (int)s;
    return 0;
}

/* A parameter's value; NULL when absent, or empty and forgiven (a form's
 * field left blank means "any"). */
static const char *
param(struct request *req, const char *name, bool forgiving)
{
    const char *v = req_query(req, name);
    return v && forgiving && !v[0] ? NULL : v;
}

/* list_query_read() accepting the parameters in known, or with known NULL
 * (the site's list page) any parameter, unknown ones ignored, empty
 * values meaning any. */
static int
list_read(struct request *req, const char *const known[], bool paged, struct list_query *out,
          struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct petition_query *q = &out->q;
    bool forgiving = !known;
    const char *v;
    long long n;
    int r;

    memset(out, 0, sizeof(*out));
    q->public_only = true;
    out->page = 1;
    out->per_page = LIST_PER_PAGE;
    if (known && (v = req_query_unknown(req, known)))
        return bad(e, "error.unknown_parameter", v);
    if (paged) {
        if ((v = param(req, "page", forgiving)) && parse_llz(v, 1, LIST_MAX_PAGE, &out->page, NULL))
            return bad(e, "error.bad_page", "page");
        /* The site's list page has pages of its own size. */
        if (!forgiving && (v = param(req, "per_page", forgiving))) {
            if (parse_llz(v, 1, LIST_MAX_PER_PAGE, &n, NULL))
                return bad(e, "error.bad_per_page", "per_page");
            out->per_page = (int)n;
        }
    }
    q->limit = out->per_page;
    q->offset = (int)((out->page - 1) * out->per_page);
    if ((v = param(req, "status", forgiving))) {
        if (petition_state_from_slug(v, strlen(v), &q->state) ||
            !petition_state_is_public(q->state))
            return bad(e, "error.bad_status", "status");
        q->has_state = true;
    }
    if ((v = param(req, "type", forgiving))) {
        if (petition_kind_from_name(v, strlen(v), &q->kind))
            return bad(e, "error.bad_type", "type");
        q->has_kind = true;
    }
    if ((v = param(req, "subject", forgiving))) {
        struct subject sub;
        if ((r = s->ops->subject_get(s, req->arena, v, &sub, e)))
            return r == ERR_NOT_FOUND ? bad(e, "error.bad_subject", "subject") : r;
        q->subject_code = sub.code;
    }
    if ((v = param(req, "keyword", forgiving))) {
        struct keyword k;
        if ((r = s->ops->keyword_get(s, req->arena, v, &k, e)))
            return r == ERR_NOT_FOUND ? bad(e, "error.bad_keyword", "keyword") : r;
        q->keyword_slug = k.slug;
    }
    if ((v = param(req, "member", forgiving))) {
        struct member m;
        if (!v[0])
            return bad(e, "error.bad_member", "member");
        if ((r = s->ops->member_get(s, req->arena, 0, v, &m, e)))
            return r == ERR_NOT_FOUND ? bad(e, "error.bad_member", "member") : r;
        q->member_id = m.id;
    }
    if ((v = param(req, "parliament", forgiving))) {
        if (parse_llz(v, 1, 99, &n, NULL))
            return bad(e, "error.bad_parliament", "parliament");
        q->parliament = (int)n;
    }
    if ((v = param(req, "session", forgiving))) {
        int p, ses;
        if (read_session(v, &p, &ses))
            return bad(e, "error.bad_session", "session");
        if (q->parliament && q->parliament != p)
            return bad(e, "error.bad_session", "session");
        q->parliament = p;
        q->session = ses;
    }
    if ((v = param(req, "q", forgiving))) {
        if (utf8_length(v, strlen(v)) > 200)
            return bad(e, "error.bad_search", "q");
        q->text = v;
        q->sort = SORT_RELEVANCE; /* unless sort says otherwise */
    }
    if ((v = param(req, "responded", forgiving))) {
        if (strcmp(v, "true") == 0)
            q->responded = true;
        else if (strcmp(v, "false") != 0)
            return bad(e, "error.bad_responded", "responded");
    }
    if ((v = param(req, "sort", forgiving))) {
        bool found = false;
        for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
            if (strcmp(v, sorts[i]) == 0) {
                q->sort = (enum petition_sort)i;
                found = true;
            }
        if (!found)
            return bad(e, "error.bad_sort", "sort");
    }
    return 0;
}

int
list_query_read(struct request *req, bool paged, struct list_query *out, struct err *e)
{
    return list_read(req, paged ? paged_params : filters, paged, out, e);
}

int
list_query_read_forgiving(struct request *req, struct list_query *out, struct err *e)
{
    return list_read(req, NULL, true, out, e);
}

/* "lang" when present: "en" or "fr". */
static int
read_lang(struct request *req, enum lang *lang, struct err *e)
{
    const char *v = req_query(req, "lang");
    *lang = LANG_EN;
    if (v && lang_from_code(v, strlen(v), lang))
        return bad(e, "error.bad_lang", "lang");
    return 0;
}

int
list_query_read_export(struct request *req, struct list_query *out, enum lang *lang, struct err *e)
{
    int r = list_read(req, lang ? lang_params : filters, false, out, e);
    return r ? r : lang ? read_lang(req, lang, e) : 0;
}

int
list_query_read_lang(struct request *req, enum lang *lang, struct err *e)
{
    static const char *const known[] = {"lang", NULL};
    const char *v = req_query_unknown(req, known);
    return v ? bad(e, "error.unknown_parameter", v) : read_lang(req, lang, e);
}

const char *
list_query_url(struct request *req, const char *path, const struct list_query *l, long long page)
{
    struct strbuf sb;
    char sep = '?';
    sb_init(&sb, req->arena);
    sb_adds(&sb, path);
    for (int i = 0; filters[i]; i++) {
        const char *v = req_query(req, filters[i]);
        if (!v)
            continue;
        sb_addch(&sb, sep);
        sep = '&';
        sb_adds(&sb, filters[i]);
        sb_addch(&sb, '=');
        url_encode(&sb, v, strlen(v));
    }
    if (page > 1) {
        sb_addch(&sb, sep);
        sep = '&';
        sb_addf(&sb, "page=%lld", page);
    }
    if (page > 0 && l->per_page != LIST_PER_PAGE) {
        sb_addch(&sb, sep);
        sb_addf(&sb, "per_page=%d", l->per_page);
    }
    return sb.buf;
}
