/*
 * clerk_signing_pages.c: the Clerk's side of signing (rulebook 11.7,
 * 11.8, 11.10): petitions taking or awaiting signatures with their held
 * signatures, the review of those (validate or invalidate, one or all),
 * certification, and the allow and block lists.
 *
 * A petition's page also has the Clerk's validation tools (11.7): a
 * search of its signatures by e-mail domain, network, postal code prefix,
 * time window, state and a mailbox shared with another signature (what
 * migration 0010 kept apart: the page counts them and links to the
 * search; GET parameters, checked beside each field), the
 * first matches with their own buttons, and actions on every match at
 * once.  Those are previewed first: the preview's confirmation carries
 * the search and the count the Clerk saw (expected), and the review is
 * refused (409) when the count has changed since; a confirmation posted
 * without confirm=yes shows the preview again and changes nothing.
 *
 * Certifying, recording a petition as not certified, and validating or
 * invalidating every held signature are asked first on a page of their
 * own (web/confirm.h): the page's buttons are GET forms to the page with
 * ?action=NAME, which shows the question, and a POST of these actions
 * without confirm=yes is answered with the same question.
 *
 * Signers' personal data appears on these pages and nowhere else; they
 * are private (no-store) and the Clerk's alone (403 for every other role).
 */
#include "web/clerk_signing_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/email.h"
#include "core/netaddr.h"
#include "core/numbering.h"
#include "core/signature.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/escape.h"
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
#include "workflow/sign_closing.h"
#include "workflow/sign_review.h"
#include "workflow/sign_rules.h"
#include "lib/banned.h"

enum { HELD_SHOWN = 200 };

/* Where a petition stands between opening and certification. */
static const char *
stage_key(const struct closing_timers *t, int64_t now)
{
    if (t->state == PETITION_OPEN)
        return now < t->closes_at ? "signing.stage_open" : "signing.stage_closing";
    if (t->state != PETITION_WAITING_FOR_CERTIFICATION)
        return "signing.stage_done";
    if (!t->queued_at)
        return now < closing_grace_end(t->closes_at, t->grace_hours) ? "signing.stage_grace"
                                                                     : "signing.stage_due";
    return "signing.stage_queued";
}

static json_t *
petition_row(struct request *req, const struct petition *p, struct err *e)
{
    struct site *site = req->app;
    struct petition_brief b;
    struct signature_stats st;
    if (store_petition_brief(site->store, NULL, p->id, 0, &b, e) ||
        store_signature_stats(site->store, NULL, p->id, &st, e))
        return NULL;
    struct closing_timers t = sign_timers(&site->flow, &b, st.suspect_confirmed);
    const char *num = public_petition_number(req, p);
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(num));
    json_object_set_new(
        o, "href",
        json_string(ws_path(req, arena_printf(req->arena, "/clerk/signatures/%s", num))));
    json_object_set_new(o, "stage", json_string(form_msg(req, stage_key(&t, ws_now(req)))));
    json_object_set_new(o, "closes", json_string(ws_date(req, b.closes_at)));
    json_object_set_new(o, "total", json_integer(b.total));
    json_object_set_new(o, "threshold", json_integer(t.threshold));
    json_object_set_new(o, "held", json_integer(st.suspect));
    json_object_set_new(o, "pending", json_integer(st.pending));
    json_object_set_new(o, "same_mailbox", json_integer(st.same_mailbox));
    return o;
}

int
page_clerk_signatures(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    json_t *ctx = ws_page(req, "signing.title");
    static const enum petition_state states[] = {PETITION_WAITING_FOR_CERTIFICATION, PETITION_OPEN};
    static const char *const names[] = {"waiting", "open"};
    for (int k = 0; k < 2; k++) {
        json_t *rows = json_array();
        for (int page = 0;; page++) {
            struct petition_list list;
            struct petition_query q = {.has_state = true,
                                       .state = states[k],
                                       .has_kind = true,
                                       .kind = PETITION_ELECTRONIC,
                                       .sort = SORT_OLDEST,
                                       .limit = 100,
                                       .offset = page * 100};
            if ((r = store_petition_list(site->store, NULL, req->arena, &q, &list, e))) {
                json_decref(rows);
                json_decref(ctx);
                return r;
            }
            for (int i = 0; i < list.count; i++) {
                json_t *row = petition_row(req, &list.items[i], e);
                if (!row) {
                    json_decref(rows);
                    json_decref(ctx);
                    return e->code;
                }
                json_array_append_new(rows, row);
            }
            if (list.count < 100)
                break;
        }
        json_object_set_new(ctx, arena_printf(req->arena, "has_%s", names[k]),
                            json_boolean(json_array_size(rows) > 0));
        json_object_set_new(ctx, names[k], rows);
    }
    return site_render(req, 200, "clerk_signatures", ctx, e);
}

/* ---- one petition ------------------------------------------------------------------- */

static json_t *
held_row(struct request *req, const struct signature_record *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(g->id));
    json_object_set_new(
        o, "name", json_string(arena_printf(req->arena, "%s %s", g->first_name, g->last_name)));
    json_object_set_new(o, "email", json_string(g->email));
    json_object_set_new(o, "region", json_string(region_name(g->region, req->lang)));
    json_object_set_new(o, "country", json_string(g->country));
    json_object_set_new(o, "postal_code", json_string(g->postal_code));
    json_object_set_new(o, "phone", json_string(g->phone));
    json_object_set_new(o, "ip", json_string(g->ip));
    json_object_set_new(o, "created", json_string(ws_date(req, g->created_at)));
    json_object_set_new(o, "confirmed", json_boolean(g->confirmed_at != 0));
    if (g->flag)
        json_object_set_new(
            o, "flag",
            json_string(form_msg(req, arena_printf(req->arena, "signing.flag_%s", g->flag))));
    return o;
}

/* ---- the Clerk's search and review by condition (rulebook 11.7) ---------------------------- */

/* The search form's fields, in order: text fields, then the two lists. */
enum { S_DOMAIN, S_NETWORK, S_POSTAL, S_FROM, S_TO, S_STATE, S_MAILBOX, SEARCH_FIELDS };
static const char *const search_names[SEARCH_FIELDS] = {
    "domain", "network", "postal_prefix", "from", "to", "state", "mailbox"};
static const char *const state_names[] = {"pending", "clear", "suspect", "validated",
                                          "invalidated"};

enum { SEARCH_SHOWN = 200, POSTAL_PREFIX_MAX = 10 };

/* A search as sent (the query of a GET, the body of a POST) and the
 * filter read from it; fe names the fields refused. */
struct search {
    const char *value[SEARCH_FIELDS]; /* as typed, trimmed; "" when absent */
    bool asked;                       /* any search field was sent */
    struct signature_filter flt;
    struct field_errors fe;
};

/* What a bulk action's preview shows. */
struct preview {
    bool shown;
    enum signature_review to;
    int64_t count;
    struct field_errors fe; /* the reason's error, when the confirmation was refused */
};

static const char *
trimmed(struct request *req, const char *v)
{
    size_t len;
    if (!v)
        return "";
    while (*v == ' ' || *v == '\t')
        v++;
    len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    return arena_strndup(req->arena, v, len);
}

/* "2026-11-23", an Eastern date, to the UTC instant it begins; with
 * next, the instant the next day begins (the end of a window that
 * includes the day). */
static int
search_day(const char *v, bool next, int64_t *utc)
{
    if (strlen(v) != 10 || eastern_parse(v, 10, utc, NULL))
        return -1;
    if (next) {
        /* Noon of the next day is a day and a half on, whatever DST does. */
        struct civil_time t;
        eastern_from_utc(*utc + 36 * 3600, &t);
        *utc = eastern_to_utc(t.year, t.month, t.day, 0, 0, 0);
    }
    return 0;
}

/* A postal prefix without its spaces, in upper case: letters, digits and
 * '-', at most POSTAL_PREFIX_MAX of them; NULL when it is not one. */
static const char *
search_postal(struct request *req, const char *v)
{
    char out[POSTAL_PREFIX_MAX + 1];
    size_t n = 0;
    for (const char *p = v; *p; p++) {
        char ch = *p;
        if (ch == ' ')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-') ||
            n == POSTAL_PREFIX_MAX)
            return NULL;
        out[n++] = ch;
    }
    return n ? arena_strndup(req->arena, out, n) : NULL;
}

/* Read and check the search of petition_id from the request. */
static void
search_read(struct request *req, int64_t petition_id, struct search *s)
{
    memset(s, 0, sizeof(*s));
    s->flt.petition_id = petition_id;
    for (int i = 0; i < SEARCH_FIELDS; i++) {
        const char *v = req->method == HTTP_POST ? req_form(req, search_names[i])
                                                 : req_query(req, search_names[i]);
        s->asked |= v != NULL;
        s->value[i] = trimmed(req, v);
    }

    const char *domain = s->value[S_DOMAIN];
    if (*domain == '@')
        domain++;
    if (*domain) {
        char probe[EMAIL_MAX + 3];
        size_t len = strlen(domain);
        snprintf(probe, sizeof(probe), "x@%s", domain);
        if (len > EMAIL_MAX - 2 || !email_valid(probe, strlen(probe)))
            field_error(&s->fe, "domain", "review_tools.domain_bad");
        else
            s->flt.domain = domain;
    }

    if (*s->value[S_NETWORK]) {
        struct netrange net;
        char text[NETADDR_TEXT_MAX];
        if (netrange_parse(s->value[S_NETWORK], &net)) {
            field_error(&s->fe, "network", "review_tools.network_bad");
        } else {
            netrange_format(&net, text);
            s->flt.network = arena_strdup(req->arena, text);
        }
    }

    if (*s->value[S_POSTAL] && !(s->flt.postal_prefix = search_postal(req, s->value[S_POSTAL])))
        field_error(&s->fe, "postal_prefix", "review_tools.postal_bad");

    if (*s->value[S_FROM] && search_day(s->value[S_FROM], false, &s->flt.from))
        field_error(&s->fe, "from", "review_tools.date_bad");
    if (*s->value[S_TO] && search_day(s->value[S_TO], true, &s->flt.to))
        field_error(&s->fe, "to", "review_tools.date_bad");
    if (s->flt.from && s->flt.to && s->flt.to <= s->flt.from)
        field_error(&s->fe, "to", "review_tools.window_bad");

    const char *state = s->value[S_STATE];
    if (strcmp(state, "pending") == 0) {
        s->flt.pending = true;
    } else if (*state) {
        if (signature_review_from_name(state, strlen(state), &s->flt.review) == 0)
            s->flt.has_review = true;
        else
            field_error(&s->fe, "state", "review_tools.state_bad");
    }

    /* Signatures alike but for the case of their address (migration 0010). */
    const char *mailbox = s->value[S_MAILBOX];
    if (strcmp(mailbox, "same") == 0)
        s->flt.same_mailbox = true;
    else if (*mailbox)
        field_error(&s->fe, "mailbox", "review_tools.mailbox_bad");
}

/* The search as a query string to append ("&domain=...&state=..."), or
 * "" when none was made. */
static const char *
search_query(struct request *req, const struct search *s)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (int i = 0; s->asked && i < SEARCH_FIELDS; i++) {
        sb_addf(&sb, "&%s=", search_names[i]);
        url_encode(&sb, s->value[i], strlen(s->value[i]));
    }
    return sb.buf;
}

/* The search as hidden fields [{name, value}], for the forms that act on it. */
static json_t *
search_carry(const struct search *s)
{
    json_t *a = json_array();
    for (int i = 0; i < SEARCH_FIELDS; i++)
        json_array_append_new(a,
                              json_pack("{ssss}", "name", search_names[i], "value", s->value[i]));
    return a;
}

/* The message of key with its "{}" replaced by n; key + "_one" when n
 * reads as one (1 in English, 0 or 1 in French). */
static const char *
msg_count(struct request *req, const char *key, int64_t n)
{
    bool one = n == 1 || (req->lang == LANG_FR && n == 0);
    const char *m = form_msg(req, one ? arena_printf(req->arena, "%s_one", key) : key);
    const char *hole = strstr(m, "{}");
    if (!hole)
        return m;
    return arena_printf(req->arena, "%.*s%lld%s", (int)(hole - m), m, (long long)n, hole + 2);
}

static json_t *
search_fields(struct request *req, const struct search *s)
{
    static const char *const hints[SEARCH_FIELDS] = {
        "review_tools.domain_hint", "review_tools.network_hint", "review_tools.postal_hint",
        "review_tools.date_hint",   "review_tools.date_hint",    NULL};
    json_t *fields = json_array();
    for (int i = 0; i < S_STATE; i++) {
        json_t *f = form_field(req, search_names[i],
                               arena_printf(req->arena, "review_tools.%s", search_names[i]),
                               FIELD_TEXT, false, s->value[i], &s->fe);
        form_hint(req, f, hints[i]);
        json_array_append_new(fields, f);
    }
    json_t *f = form_field(req, "state", "review_tools.state", FIELD_SELECT, false,
                           s->value[S_STATE], &s->fe);
    form_option(f, "", form_msg(req, "review_tools.state_any"));
    for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
        form_option(
            f, state_names[i],
            form_msg(req, arena_printf(req->arena, "review_tools.state_%s", state_names[i])));
    json_array_append_new(fields, f);
    f = form_field(req, "mailbox", "review_tools.mailbox", FIELD_SELECT, false, s->value[S_MAILBOX],
                   &s->fe);
    form_option(f, "", form_msg(req, "review_tools.mailbox_any"));
    form_option(f, "same", form_msg(req, "review_tools.mailbox_same"));
    form_hint(req, f, "review_tools.mailbox_hint");
    json_array_append_new(fields, f);
    return fields;
}

static json_t *
result_row(struct request *req, const struct signature_record *g)
{
    struct strbuf created;
    sb_init(&created, req->arena);
    eastern_format_datetime(&created, g->created_at, req->lang);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(g->id));
    json_object_set_new(
        o, "signer", json_string(arena_printf(req->arena, "%s %s", g->first_name, g->last_name)));
    json_object_set_new(o, "email", json_string(g->email));
    json_object_set_new(o, "region", json_string(region_name(g->region, req->lang)));
    json_object_set_new(o, "postal_code", json_string(g->postal_code));
    json_object_set_new(o, "phone", json_string(g->phone));
    json_object_set_new(o, "ip", json_string(g->ip));
    json_object_set_new(o, "created", json_string(created.buf));
    json_object_set_new(o, "review",
                        json_string(form_msg(req, arena_printf(req->arena, "review_tools.state_%s",
                                                               signature_review_name(g->review)))));
    json_object_set_new(o, "confirmed", json_boolean(g->confirmed_at != 0));
    json_object_set_new(o, "note", json_string(g->review_note ? g->review_note : ""));
    json_object_set_new(
        o, "can_validate",
        json_boolean(g->review == REVIEW_SUSPECT || g->review == REVIEW_INVALIDATED));
    json_object_set_new(o, "can_invalidate", json_boolean(g->review != REVIEW_INVALIDATED));
    return o;
}

/* The results of a search: the count, the first SEARCH_SHOWN matches and
 * the bulk actions with how many each would change. */
static json_t *
search_results(struct request *req, const struct search *s, struct err *e)
{
    struct site *site = req->app;
    struct signature_record *rows;
    int64_t total, invalidate, validate;
    int n;
    if (store_signature_search_count(site->store, NULL, &s->flt, &total, e) ||
        store_signature_search(site->store, NULL, req->arena, &s->flt, 0, SEARCH_SHOWN, &rows, &n,
                               e) ||
        sign_bulk_count(&site->flow, &s->flt, REVIEW_INVALIDATED, &invalidate, e) ||
        sign_bulk_count(&site->flow, &s->flt, REVIEW_VALIDATED, &validate, e))
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "matching", json_string(msg_count(req, "review_tools.matching", total)));
    json_object_set_new(o, "total", json_integer(total));
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, result_row(req, &rows[i]));
    json_object_set_new(o, "rows", list);
    json_object_set_new(o, "has_rows", json_boolean(n > 0));
    if (total > n)
        json_object_set_new(o, "more", json_string(msg_count(req, "review_tools.shown_first", n)));
    json_object_set_new(o, "carry", search_carry(s));
    if (invalidate)
        json_object_set_new(o, "invalidate_all",
                            json_string(msg_count(req, "review_tools.invalidate_all", invalidate)));
    if (validate)
        json_object_set_new(o, "validate_all",
                            json_string(msg_count(req, "review_tools.validate_all", validate)));
    json_object_set_new(o, "has_bulk", json_boolean(invalidate || validate));
    return o;
}

static json_t *
preview_json(struct request *req, const struct search *s, const struct preview *pv)
{
    bool inv = pv->to == REVIEW_INVALIDATED;
    const char *reason = form_value(req, "reason");
    json_t *o = json_object();
    json_object_set_new(
        o, "message",
        json_string(msg_count(
            req, inv ? "review_tools.will_invalidate" : "review_tools.will_validate", pv->count)));
    json_object_set_new(o, "expected", json_integer(pv->count));
    json_object_set_new(o, "confirm_action",
                        json_string(inv ? "bulk_invalidate" : "bulk_validate"));
    json_object_set_new(o, "confirm_label",
                        json_string(form_msg(req, inv ? "review_tools.confirm_invalidate"
                                                      : "review_tools.confirm_validate")));
    json_object_set_new(o, "can_confirm", json_boolean(pv->count > 0));
    json_object_set_new(o, "carry", search_carry(s));
    json_t *fields = json_array();
    json_t *f =
        form_field(req, "reason", inv ? "review_tools.reason" : "review_tools.reason_optional",
                   FIELD_TEXTAREA, inv, reason, &pv->fe);
    form_hint(req, f, "review_tools.reason_hint");
    form_max_chars(req, f, SIGN_REASON_MAX);
    json_array_append_new(fields, f);
    json_object_set_new(o, "fields", fields);
    return o;
}

/* A bulk action: its preview, or its confirmation.  0 with pv->shown for
 * a preview to show; 0 with *done for a review made. */
static int
bulk(struct request *req, const struct user *u, const struct petition *p, struct search *s,
     const char *action, struct preview *pv, const char **done, struct err *e)
{
    struct site *site = req->app;
    long long expected;
    int changed, r;

    if (s->fe.count)
        return err_set(e, ERR_INVALID, s->fe.items[0].key, s->fe.items[0].field, "search refused");
    if (!sign_reviewable(p->state))
        return err_set(e, ERR_CONFLICT, "sign.review_closed", NULL, "not reviewable");
    if (strcmp(action, "bulk_preview") == 0) {
        const char *kind = form_value(req, "bulk");
        if (strcmp(kind, "invalidate") != 0 && strcmp(kind, "validate") != 0)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "bulk kind");
        pv->shown = true;
        pv->to = kind[0] == 'v' ? REVIEW_VALIDATED : REVIEW_INVALIDATED;
        return sign_bulk_count(&site->flow, &s->flt, pv->to, &pv->count, e);
    }
    enum signature_review to =
        strcmp(action, "bulk_validate") == 0 ? REVIEW_VALIDATED : REVIEW_INVALIDATED;
    if (!confirm_given(req)) {
        /* Not from the preview's form: the preview, and nothing done. */
        pv->shown = true;
        pv->to = to;
        return sign_bulk_count(&site->flow, &s->flt, pv->to, &pv->count, e);
    }
    if (parse_llz(form_value(req, "expected"), 0, INT64_MAX, &expected, e))
        return e->code;
    r = sign_review_bulk(&site->flow, req->arena, u, &s->flt, to, form_value(req, "reason"),
                         expected, &changed, ws_now(req), e);
    if (r == ERR_INVALID && e->field && strcmp(e->field, "reason") == 0) {
        /* Show the confirmation again, with the error beside the reason. */
        field_error(&pv->fe, "reason", e->key);
        pv->shown = true;
        pv->to = to;
        pv->count = expected;
    }
    if (!r)
        *done = to == REVIEW_VALIDATED ? "bulk-validate" : "bulk-invalidate";
    return r;
}

static bool
is_bulk(const char *action)
{
    return strcmp(action, "bulk_preview") == 0 || strcmp(action, "bulk_invalidate") == 0 ||
           strcmp(action, "bulk_validate") == 0;
}

/* The acts asked first on a page of their own (confirm.h). */
static bool
is_asked(const char *action)
{
    static const char *const asked[] = {"certify", "not_certify", "validate_all", "invalidate_all"};
    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++)
        if (strcmp(action, asked[i]) == 0)
            return true;
    return false;
}

/* The question before action (is_asked()) on petition p, whose page is
 * self: the petition by its number and title, with the count the act
 * is about. */
static int
act_question(struct request *req, const struct user *u, const struct petition *p, const char *self,
             const char *action, struct err *e)
{
    struct site *site = req->app;
    struct petition_brief b;
    struct signature_stats st;
    int r;

    bool all = strcmp(action, "validate_all") == 0 || strcmp(action, "invalidate_all") == 0;
    if (all && !sign_reviewable(p->state))
        return err_set(e, ERR_CONFLICT, "sign.review_closed", NULL, "not reviewable");
    /* Refused as the act would be (409), rather than asked in vain. */
    if (!all && (r = sign_decision_check(&site->flow, u, p->id, strcmp(action, "certify") == 0, e)))
        return r;
    if ((r = store_petition_brief(site->store, NULL, p->id, 0, &b, e)) ||
        (r = store_signature_stats(site->store, NULL, p->id, &st, e)))
        return r;
    struct confirm_page c = confirm_page_for(req, action, self, self);
    c.danger = strcmp(action, "invalidate_all") == 0 || strcmp(action, "not_certify") == 0;
    confirm_petition(&c, pub_title(req, p));
    if (all)
        confirm_fact(&c, "confirm.held", arena_printf(req->arena, "%lld", (long long)st.suspect));
    else
        confirm_fact(&c, "confirm.valid", arena_printf(req->arena, "%lld", (long long)b.total));
    confirm_hidden(&c, "action", action);
    return confirm_render(req, 200, &c, e);
}

static int
act(struct request *req, const struct user *u, const struct petition *p, struct err *e)
{
    struct site *site = req->app;
    const char *action = form_value(req, "action");
    int64_t now = ws_now(req);
    int changed, r;
    long long id;

    if (strcmp(action, "validate") == 0 || strcmp(action, "invalidate") == 0) {
        if (parse_llz(form_value(req, "id"), 1, INT64_MAX, &id, NULL))
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "signature id");
        struct signature_record g;
        if ((r = store_signature_get(site->store, NULL, req->arena, id, &g, e)))
            return r;
        if (g.petition_id != p->id)
            return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "another petition's");
        return sign_review(&site->flow, req->arena, u, id,
                           action[0] == 'v' ? REVIEW_VALIDATED : REVIEW_INVALIDATED,
                           form_value(req, "reason"), now, e);
    }
    if (strcmp(action, "validate_all") == 0 || strcmp(action, "invalidate_all") == 0)
        return sign_review_held(&site->flow, req->arena, u, p->id,
                                action[0] == 'v' ? REVIEW_VALIDATED : REVIEW_INVALIDATED, &changed,
                                now, e);
    if (strcmp(action, "certify") == 0)
        return sign_certify(&site->flow, req->arena, u, p->id, now, e);
    if (strcmp(action, "not_certify") == 0)
        return sign_not_certify(&site->flow, req->arena, u, p->id, now, e);
    return err_set(e, ERR_INVALID, "error.invalid", NULL, "unknown action");
}

int
page_clerk_signature_petition(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct petition p;
    struct petition_brief b;
    struct signature_stats st;
    struct search s;
    struct preview pv = {0};
    int status = 200;
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    if (p.kind != PETITION_ELECTRONIC)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "paper petition");
    const char *num = public_petition_number(req, &p);
    const char *self = ws_path(req, arena_printf(req->arena, "/clerk/signatures/%s", num));
    const char *problem = NULL;
    search_read(req, p.id, &s);
    const char *asked = req->method == HTTP_POST ? NULL : req_query(req, "action");
    if (asked && is_asked(asked)) {
        /* The question; when the act is refused, this page with why. */
        r = act_question(req, u, &p, self, asked, e);
        if (r != ERR_CONFLICT)
            return r;
        status = 409;
        problem = form_msg(req, e->key);
    } else if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        const char *action = form_value(req, "action");
        const char *done = action;
        if (is_asked(action) && !confirm_given(req)) {
            r = act_question(req, u, &p, self, action, e);
            if (r != ERR_CONFLICT)
                return r;
        } else {
            r = is_bulk(action) ? bulk(req, u, &p, &s, action, &pv, &done, e) : act(req, u, &p, e);
        }
        if (r == 0 && !pv.shown) {
            resp_header(req, "Cache-Control", "no-store");
            resp_redirect(
                req, 303,
                arena_printf(req->arena, "%s?done=%s%s", self, done, search_query(req, &s)));
            return 0;
        }
        if (r == ERR_INVALID && (s.fe.count || pv.fe.count)) {
            status = 422;
        } else if (r == ERR_CONFLICT) {
            status = 409;
            problem = form_msg(req, e->key);
            pv.shown = false;
            if ((r = public_petition_load(req, req->captures[0], &p, e)))
                return r;
        } else if (r) {
            return r;
        }
    } else if (s.fe.count) {
        status = 422;
    }
    if ((r = store_petition_brief(site->store, NULL, p.id, 0, &b, e)) ||
        (r = store_signature_stats(site->store, NULL, p.id, &st, e)))
        return r;

    struct closing_timers t = sign_timers(&site->flow, &b, st.suspect_confirmed);
    json_t *ctx = ws_petition_page(req, "signing.petition_title", num);
    ws_done_notice(ctx, req);
    form_errors(ctx, req, s.fe.count ? &s.fe : &pv.fe);
    if (problem)
        form_problem(ctx, problem);
    int64_t now = ws_now(req);
    json_object_set_new(ctx, "number", json_string(num));
    json_object_set_new(ctx, "self", json_string(self));
    json_object_set_new(ctx, "public_url", json_string(public_petition_path(req, &p)));
    json_object_set_new(ctx, "state", json_string(petition_state_label(p.state, req->lang)));
    json_object_set_new(ctx, "stage", json_string(form_msg(req, stage_key(&t, now))));
    json_object_set_new(ctx, "closes", json_string(ws_date(req, b.closes_at)));
    json_object_set_new(ctx, "grace_end",
                        json_string(ws_date(req, closing_grace_end(b.closes_at, t.grace_hours))));
    json_object_set_new(ctx, "total", json_integer(b.total));
    json_object_set_new(ctx, "threshold", json_integer(t.threshold));
    json_object_set_new(ctx, "rows", json_integer(st.rows));
    json_object_set_new(ctx, "pending", json_integer(st.pending));
    json_object_set_new(ctx, "counted", json_integer(st.counted));
    json_object_set_new(ctx, "held", json_integer(st.suspect));
    json_object_set_new(ctx, "held_confirmed", json_integer(st.suspect_confirmed));
    json_object_set_new(ctx, "invalidated", json_integer(st.invalidated));
    json_object_set_new(ctx, "same_mailbox", json_integer(st.same_mailbox));
    if (st.same_mailbox)
        json_object_set_new(
            ctx, "same_mailbox_url",
            json_string(arena_printf(req->arena, "%s?mailbox=same#search-count", self)));
    json_object_set_new(ctx, "imported", json_integer(b.total - st.counted));
    /* How many stopped mail about it (a number only: who, never). */
    int64_t stops = 0;
    struct err e2 = ERR_INIT;
    if (store_mail_stops_count(site->store, NULL, p.id, &stops, &e2) == 0)
        json_object_set_new(ctx, "mail_stops", json_integer(stops));
    json_object_set_new(ctx, "reviewable", json_boolean(sign_reviewable(p.state)));
    if (p.state == PETITION_WAITING_FOR_CERTIFICATION && b.queued_at) {
        json_object_set_new(ctx, "queued", json_true());
        json_object_set_new(ctx, "can_certify",
                            json_boolean(!certification_blocker(&t, st.suspect)));
        json_object_set_new(ctx, "can_refuse", json_boolean(!refusal_blocker(&t)));
    }
    if (p.certified_at)
        json_object_set_new(
            ctx, "certificate_url",
            json_string(arena_printf(req->arena, "%s/certificate", public_petition_path(req, &p))));

    /* The search, its results, and a bulk action's preview. */
    json_t *search = json_object();
    json_object_set_new(search, "fields", search_fields(req, &s));
    json_object_set_new(ctx, "search", search);
    if (s.asked && !s.fe.count) {
        json_t *results = search_results(req, &s, e);
        if (!results) {
            json_decref(ctx);
            return e->code;
        }
        json_object_set_new(ctx, "results", results);
    }
    if (pv.shown)
        json_object_set_new(ctx, "preview", preview_json(req, &s, &pv));

    struct signature_record *held;
    int n;
    struct signature_query q = {
        .petition_id = p.id, .has_review = true, .review = REVIEW_SUSPECT, .limit = HELD_SHOWN};
    if ((r = store_signature_list(site->store, NULL, req->arena, &q, &held, &n, e))) {
        json_decref(ctx);
        return r;
    }
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, held_row(req, &held[i]));
    json_object_set_new(ctx, "held_rows", rows);
    json_object_set_new(ctx, "has_held", json_boolean(n > 0));
    json_object_set_new(ctx, "held_more", json_boolean(st.suspect > n));
    return site_render(req, status, "clerk_signature_petition", ctx, e);
}

/* ---- allow and block lists -------------------------------------------------------------- */

int
page_clerk_rules(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method != HTTP_POST)
        form_kept(req, &fe); /* after a refusal (Post/Redirect/Get, web/forms.h) */
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        form_refusal_to(req, ws_path(req, "/clerk/signing-rules"));
        const char *action = form_value(req, "action");
        if (strcmp(action, "remove") == 0) {
            long long id;
            if (parse_llz(form_value(req, "id"), 1, INT64_MAX, &id, NULL))
                return err_set(e, ERR_INVALID, "error.invalid", NULL, "rule id");
            if ((r = sign_rule_remove(&site->flow, u, id, ws_now(req), e)))
                return r;
            ws_redirect(req, "/clerk/signing-rules?done=rule_removed");
            return 0;
        }
        const char *list = form_value(req, "list"), *kind = form_value(req, "kind");
        bool block = strcmp(list, "block") == 0, domain = strcmp(kind, "domain") == 0;
        if (!block && strcmp(list, "allow") != 0)
            field_error(&fe, "list", "rules.list_bad");
        if (!domain && strcmp(kind, "network") != 0)
            field_error(&fe, "kind", "rules.kind_bad");
        if (!fe.count) {
            r = sign_rule_add(&site->flow, u, block, domain, form_value(req, "value"),
                              form_value(req, "note"), &fe, ws_now(req), e);
            if (r == 0) {
                ws_redirect(req, "/clerk/signing-rules?done=rule_added");
                return 0;
            }
            if (r != ERR_INVALID)
                return r;
        }
    }

    struct signing_rule *rules;
    int n;
    if ((r = store_signing_rule_list(site->store, NULL, req->arena, &rules, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "rules.title");
    ws_done_notice(ctx, req);
    form_errors(ctx, req, &fe);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(rules[i].id));
        json_object_set_new(
            o, "list", json_string(form_msg(req, rules[i].block ? "rules.block" : "rules.allow")));
        json_object_set_new(
            o, "kind",
            json_string(form_msg(req, rules[i].domain ? "rules.domain" : "rules.network")));
        json_object_set_new(o, "value", json_string(rules[i].value));
        json_object_set_new(o, "note", json_string(rules[i].note));
        json_object_set_new(o, "added", json_string(ws_date(req, rules[i].created_at)));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "rules", rows);
    json_object_set_new(ctx, "has_rules", json_boolean(n > 0));

    json_t *fields = json_array();
    bool posted = form_posted(req);
    json_t *f = form_field(req, "list", "rules.list", FIELD_RADIO, true,
                           posted ? form_value(req, "list") : "block", &fe);
    form_option(f, "block", form_msg(req, "rules.block"));
    form_option(f, "allow", form_msg(req, "rules.allow"));
    json_array_append_new(fields, f);
    f = form_field(req, "kind", "rules.kind", FIELD_RADIO, true,
                   posted ? form_value(req, "kind") : "network", &fe);
    form_option(f, "network", form_msg(req, "rules.network"));
    form_option(f, "domain", form_msg(req, "rules.domain"));
    json_array_append_new(fields, f);
    f = form_field(req, "value", "rules.value", FIELD_TEXT, true,
                   posted ? form_value(req, "value") : NULL, &fe);
    form_hint(req, f, "rules.value_hint");
    json_array_append_new(fields, f);
    json_array_append_new(fields, form_field(req, "note", "rules.note", FIELD_TEXT, false,
                                             posted ? form_value(req, "note") : NULL, &fe));
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "rate_burst", json_integer(site->rules.rate_burst_count));
    json_object_set_new(ctx, "rate_burst_seconds", json_integer(site->rules.rate_burst_seconds));
    json_object_set_new(ctx, "rate_sustained", json_integer(site->rules.rate_sustained_count));
    json_object_set_new(ctx, "rate_sustained_seconds",
                        json_integer(site->rules.rate_sustained_seconds));
    return site_render(req, fe.count ? 422 : 200, "clerk_rules", ctx, e);
}
