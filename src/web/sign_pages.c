/*
 * sign_pages.c: the public side of signing (rulebook 4, 11.6-11.10): the
 * answer to the sign form of an open petition's page (the form itself is
 * petition_pages.c's), "check your e-mail", the confirmation page with
 * its button, and the printable certificate.
 *
 * The answer to a valid signature never says whether the address had
 * signed or whether the signature was held; the e-mail does, to the
 * address's owner.  Confirming takes a POST, so a mail scanner that opens
 * the link confirms nothing.
 *
 * The sign form carries no CSRF token: it acts for no signed-in person,
 * and a petition page is the same for every visitor (so it can be cached);
 * a browser's Sec-Fetch-Site: cross-site, a foreign Origin or the opaque
 * Origin "null" is refused.
 * The confirmation form is authorised by the MAC in its link.
 *
 * So is the form that stops mail about a petition (page_mail_stop): a
 * mail provider's one-click POST (RFC 8058: body
 * "List-Unsubscribe=One-Click", no cookie) must work, and it changes
 * nothing but that signatory's own opt-out, so it takes no CSRF token;
 * any POST to a good link stops, whatever its body.
 */
#include "web/sign_pages.h"

#include <string.h>

#include "core/netaddr.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "core/signature.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/forms.h"
#include "web/petition_pages.h"
#include "web/public.h"
#include "web/workspace.h"
#include "workflow/draft_json.h"
#include "workflow/house_mailing.h"
#include "workflow/intake.h"
#include "workflow/signing.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

/* ---- signing ----------------------------------------------------------------------- */

/* A form posted from another site's page (a browser says so). */
static bool
cross_site(struct request *req)
{
    const struct site *site = req->app;
    const char *fetch = req_header(req, "Sec-Fetch-Site");
    if (fetch && strcmp(fetch, "cross-site") == 0)
        return true;
    const char *origin = req_header(req, "Origin");
    const char *host = req_header(req, "Host");
    if (!origin)
        return false;
    /* "null" is an opaque origin (a sandboxed frame, a data: or file:
     * page, a redirect from elsewhere): never this site's own page. */
    if (strcmp(origin, "null") == 0)
        return true;
    /* Same origin: the site's own address, or scheme://Host of this request. */
    if (site->base_url && strcmp(origin, site->base_url) == 0)
        return false;
    const char *sep = strstr(origin, "://");
    return !host || !sep || strcmp(sep + 3, host) != 0;
}

static bool
is_e_petition(const struct petition *p)
{
    return p->kind == PETITION_ELECTRONIC && p->e_number > 0;
}

/* A signature or confirmation handed to the writer (intake.h), in the
 * request's arena while the connection is suspended. */
struct intake_wait {
    struct intake_job job;
    struct request *req;
    const char *path;  /* the petition's page, for the answer */
    const char *token; /* a confirmation's token (checked), for its page */
};

/* The writer's thread: the outcome is in; wake the request. */
static void
intake_woken(struct intake_job *job)
{
    struct intake_wait *w = job->arg;
    req_resume(w->req);
}

/* Queue w's job, or 503 at once when the writer is full. */
static int
intake_hand_over(struct request *req, struct intake_wait *w,
                 int (*finish)(struct request *req, struct err *e), struct err *e)
{
    const struct site *site = req->app;
    struct intake *in = site->flow.intake;
    if (!intake_reserve(in))
        return err_set(e, ERR_UNAVAILABLE, "error.busy", NULL, "signature queue full");
    w->req = req;
    w->job.arg = w;
    w->job.done = intake_woken;
    req_defer(req, finish, w);
    intake_submit(in, &w->job);
    return 0;
}

/* The writer's refusal of w's job, for the error page; 0 when it went in. */
static int
job_refusal(const struct intake_wait *w, struct err *e)
{
    if (w->job.result)
        *e = w->job.err;
    return w->job.result;
}

static int
signed_finish(struct request *req, struct err *e)
{
    struct intake_wait *w = req->defer_arg;
    if (job_refusal(w, e))
        return w->job.result;
    resp_header(req, "Cache-Control", "no-store");
    resp_redirect(req, 303, arena_printf(req->arena, "%s/check-email", w->path));
    /* Signed: a refusal kept from an earlier try is forgotten. */
    form_refusal_answer(req);
    return 0;
}

int
page_sign(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct petition_number n;
    struct petition p;
    struct field_errors fe = {0};
    char ip[NETADDR_TEXT_MAX], key[NETADDR_TEXT_MAX];
    int r;

    /* The petition itself is read by the writer, in the transaction. */
    const char *arg = req->captures[0];
    if (petition_number_parse(arg, strlen(arg), &n, NULL))
        return err_set(e, ERR_INVALID, "error.petition_number", "number", "bad number");
    if (n.kind != PETITION_NUMBER_E)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "paper petition");
    struct strbuf path;
    sb_init(&path, req->arena);
    sb_addf(&path, "/%s/petitions/", lang_code(req->lang));
    e_number_format(&path, n.e_number);
    if (req->method != HTTP_POST) {
        /* The form is on the petition's page; this address is the form's. */
        resp_header(req, "Cache-Control", "no-store");
        resp_redirect(req, 303, arena_printf(req->arena, "%s#sign", path.buf));
        return 0;
    }
    /* A refusal goes back to the petition's page with what was typed. */
    form_refusal_to(req, path.buf);
    if (form_cut(req, &fe)) {
        /* Over the limit: the form again with what arrived, nothing sent. */
        if ((r = public_petition_load(req, arg, &p, e)))
            return r;
        if (!is_e_petition(&p))
            return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "paper");
        return petition_pages_render(req, &p, 413, &fe, e);
    }
    if (cross_site(req))
        return err_set(e, ERR_FORBIDDEN, "sign.cross_site", NULL, "cross-site form");
    if (!req_form_ok(req))
        return err_set(e, ERR_INVALID, "error.form_invalid", NULL, "not a form");

    site_client_address(req, ip, key);
    struct intake_wait *w = arena_alloc(req->arena, sizeof(*w));
    memset(w, 0, sizeof(*w));
    w->path = path.buf;
    w->job.kind = INTAKE_SIGN;
    w->job.e_number = n.e_number;
    w->job.now = ws_now(req);
    w->job.rq = (struct sign_request){
        .person = form_person(req),
        .lang = req->lang,
        .ip = arena_strdup(req->arena, ip),
        .rate_key = arena_strdup(req->arena, key),
    };
    r = sign_check(&w->job.rq, w->job.key, &fe, e);
    if (r == ERR_INVALID && fe.count) {
        /* The form again with its errors, on the petition's page. */
        if ((r = public_petition_load(req, arg, &p, e)))
            return r;
        if (!is_e_petition(&p))
            return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "paper");
        return petition_pages_render(req, &p, 422, &fe, e);
    }
    if (r)
        return r;
    if (site->flow.intake)
        return intake_hand_over(req, w, signed_finish, e);
    /* No writer (not serving): one transaction here. */
    if ((r = sign_submit(&site->flow, req->arena, n.e_number, &w->job.rq, &fe, w->job.now, e)))
        return r;
    w->job.result = 0;
    req->defer_arg = w;
    return signed_finish(req, e);
}

/*
 * The pages after signing follow the confirmation-page pattern (issue 20,
 * item 10): a panel naming the petition, what was asked of the signer,
 * what happens next with the jurisdiction's threshold and deadline (the
 * same words as the help page's), and the petition's share section.
 */
static json_t *
signed_page(struct request *req, const struct petition *p, const char *heading_key,
            const char *const *ps, int n)
{
    const struct site *site = req->app;
    json_t *ctx = ws_notice_page(req, heading_key, ps, n);
    json_object_set_new(ctx, "petition_title", json_string(pub_title(req, p)));
    json_object_set_new(ctx, "petition_addressee", json_string(pub_addressee(req, p)));
    json_object_set_new(ctx, "petition_url", json_string(public_petition_path(req, p)));
    json_t *next = json_array();
    json_array_append_new(
        next, json_string(site_msg_with(req, "info.help.certification_text",
                                        pub_count(req, site->rules.signatures_to_certify))));
    json_array_append_new(next, json_string(form_msg(req, "info.help.presentation_text")));
    json_array_append_new(next,
                          json_string(site_msg_with(req, "info.help.response_text",
                                                    pub_count(req, site->rules.response_days))));
    json_object_set_new(ctx, "next", next);
    json_object_set_new(ctx, "share", petition_share_json(req, p));
    return ctx;
}

int
page_sign_check_email(struct request *req, struct err *e)
{
    struct petition p;
    int r = public_petition_load(req, req->captures[0], &p, e);
    if (r)
        return r;
    static const char *const ps[] = {"sign.check_sent", "sign.check_link", "sign.check_spam"};
    json_t *ctx = signed_page(req, &p, "sign.check_title", ps, 3);
    ws_mail_delayed(ctx, req);
    return site_render(req, 200, "signed", ctx, e);
}

/* ---- confirming --------------------------------------------------------------------- */

/* The petition as the preview partial shows it, in the page's language. */
static json_t *
preview_of(struct request *req, const struct petition *p)
{
    struct draft_text t = {
        .lang = req->lang,
        .addressee = p->addressee,
        .ministry_code = p->addressee_ministry.code,
        .addressee_member_key = p->addressee_member.key,
        .prayer = p->prayer[req->lang],
    };
    for (int i = 0; i < p->grievance_count && i < DRAFT_GRIEVANCES_MAX; i++)
        t.grievances[t.grievance_count++] = p->grievances[i].text[req->lang];
    return ws_preview(req, &t, NULL);
}

/* The thanks for a confirmed signature of p, with the links to its
 * receipt and to the page that checks one when the logs are signed. */
static int
confirmed_page(struct request *req, const struct petition *p, int64_t id, const char *first_key,
               struct err *e)
{
    const struct site *site = req->app;
    const char *const ps[] = {first_key, "sign.counted_note", "sign.receipt_note"};
    json_t *ctx = signed_page(req, p, "sign.confirmed_title", ps, site->log_keys.n ? 3 : 2);
    if (site->log_keys.n) {
        ws_link(ctx, log_receipt_path(&site->flow, req->arena, id),
                form_msg(req, "sign.receipt_link"));
        ws_link(ctx, ws_path(req, "/verify"), form_msg(req, "sign.check_receipt_link"));
    }
    return site_render(req, 200, "signed", ctx, e);
}

/* A confirmation taken: Post/Redirect/Get to the link's page, which
 * thanks (done=1), so Back and reload never send the form again. */
static int
confirmed_finish(struct request *req, struct err *e)
{
    struct intake_wait *w = req->defer_arg;
    if (job_refusal(w, e))
        return ws_old_link(req, WS_LINK_SIGN, NULL, e);
    resp_header(req, "Cache-Control", "no-store");
    resp_redirect(req, 303,
                  arena_printf(req->arena, "/%s/signatures/%lld?t=%s&done=1", lang_code(req->lang),
                               (long long)w->job.signature_id, w->token));
    return 0;
}

int
page_signature(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct signature_record g;
    struct petition_brief b;
    struct petition p;
    long long id;
    int r;

    const char *t = req->method == HTTP_POST ? req_form(req, "t") : req_query(req, "t");
    if (parse_llz(req->captures[0], 1, INT64_MAX, &id, NULL) || !t) {
        err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "bad signature link");
        return ws_old_link(req, WS_LINK_SIGN, NULL, e);
    }
    if (req->method == HTTP_POST) {
        if (!sign_token_ok(&site->flow, id, t)) {
            err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "bad signature link");
            return ws_old_link(req, WS_LINK_SIGN, NULL, e);
        }
        struct intake_wait *w = arena_alloc(req->arena, sizeof(*w));
        memset(w, 0, sizeof(*w));
        w->job.kind = INTAKE_CONFIRM;
        w->job.signature_id = id;
        w->token = t;
        w->job.now = ws_now(req);
        if (site->flow.intake)
            return intake_hand_over(req, w, confirmed_finish, e);
        w->job.result =
            sign_confirm(&site->flow, req->arena, id, t, &w->job.already, w->job.now, &w->job.err);
        req->defer_arg = w;
        return confirmed_finish(req, e);
    }

    if ((r = sign_link(&site->flow, req->arena, id, t, &g, &b, e)))
        return ws_old_link(req, WS_LINK_SIGN, NULL, e);
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = b.e_number};
    if ((r = store_petition_get(site->store, NULL, req->arena, &n, &p, e)))
        return r;
    if (g.confirmed_at) {
        const char *done = req_query(req, "done");
        bool just = done && strcmp(done, "1") == 0;
        return confirmed_page(req, &p, id, just ? "sign.confirmed" : "sign.already_confirmed", e);
    }
    if (!signature_confirmable(b.state, b.closes_at,
                               petition_grace_hours(b.grace_hours, &site->rules), ws_now(req))) {
        err_set(e, ERR_GONE, "sign.too_late", NULL, "confirmation after the grace");
        return ws_old_link(req, WS_LINK_SIGN,
                           arena_printf(req->arena, "/petitions/e-%ld", (long)b.e_number), e);
    }

    json_t *ctx = ws_form(req, "sign.confirm_title",
                          ws_path(req, arena_printf(req->arena, "/signatures/%lld", id)),
                          "sign.confirm_button");
    json_object_set_new(
        ctx, "intro",
        json_string(arena_printf(req->arena, "%s %s", form_msg(req, "sign.confirm_intro"),
                                 public_petition_number(req, &p))));
    json_object_set_new(ctx, "signatory_name",
                        json_string(arena_printf(req->arena, "%s %s", g.first_name, g.last_name)));
    json_object_set_new(ctx, "preview", preview_of(req, &p));
    json_t *h = json_array();
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string("t"));
    json_object_set_new(o, "value", json_string(t));
    json_array_append_new(h, o);
    json_object_set_new(ctx, "hidden", h);
    return site_render(req, 200, "form", ctx, e);
}

/* ---- stopping mail about a petition --------------------------------------------------------- */

/* "You will receive no more e-mail about petition e-2829.", or without
 * the number when the signature is gone (erased). */
static const char *
stop_intro(struct request *req, long e_number)
{
    if (!e_number)
        return form_msg(req, "stop.intro_any");
    return arena_printf(req->arena, "%s e-%ld.", form_msg(req, "stop.intro"), e_number);
}

int
page_mail_stop(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const char *t = req->captures[1];
    long long id;
    long number = 0;
    int r;

    if (parse_llz(req->captures[0], 1, INT64_MAX, &id, NULL) ||
        !mail_stop_token_ok(&site->flow, id, t)) {
        err_set(e, ERR_NOT_FOUND, "stop.link_bad", NULL, "bad stop link");
        return ws_old_link(req, WS_LINK_STOP, NULL, e);
    }
    if (req->method == HTTP_POST) {
        if ((r = mail_stop(&site->flow, id, t, &number, ws_now(req), e)))
            return r;
        static const char *const done[] = {"stop.done"};
        json_t *ctx = ws_notice_page(req, "stop.done_title", done, 1);
        return site_render(req, 200, "notice", ctx, e);
    }
    /* The petition's number, when the signature is still there (the link
     * is good: its holder had the e-mail). */
    struct signature_record g;
    struct petition_brief b;
    struct err ignored = ERR_INIT;
    if (store_signature_get(site->store, NULL, req->arena, id, &g, &ignored) == 0 &&
        store_petition_brief(site->store, NULL, g.petition_id, 0, &b, &ignored) == 0)
        number = b.e_number;
    json_t *ctx =
        ws_form(req, "stop.title", ws_path(req, arena_printf(req->arena, "/stop/%lld/%s", id, t)),
                "stop.button");
    json_object_set_new(ctx, "intro", json_string(stop_intro(req, number)));
    json_object_set_new(ctx, "what", json_string(form_msg(req, "stop.what")));
    return site_render(req, 200, "form", ctx, e);
}

/* ---- the certificate ----------------------------------------------------------------------- */

int
page_certificate(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct petition p;
    int r;

    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    if (!is_e_petition(&p) || !p.certified_at)
        return err_set(e, ERR_NOT_FOUND, "certificate.none", NULL, "not certified");
    struct petition_brief b;
    if ((r = store_petition_brief(site->store, NULL, p.id, 0, &b, e)))
        return r;
    json_t *ctx =
        site_page(req, arena_printf(req->arena, "%s %s", form_msg(req, "certificate.title"),
                                    public_petition_number(req, &p)));
    json_object_set_new(ctx, "number", json_string(public_petition_number(req, &p)));
    json_object_set_new(ctx, "petition_url", json_string(public_petition_path(req, &p)));
    json_object_set_new(ctx, "preview", preview_of(req, &p));
    json_object_set_new(ctx, "total", json_integer(p.signature_total));
    json_object_set_new(ctx, "certified", json_string(ws_date(req, p.certified_at)));
    json_object_set_new(ctx, "opened", json_string(ws_date(req, p.opened_at)));
    json_object_set_new(ctx, "closed", json_string(ws_date(req, p.closes_at)));
    if (p.has_authorizing_member)
        json_object_set_new(ctx, "member",
                            json_string(ws_member_label(req, &p.authorizing_member)));
    json_t *rows = json_array();
    for (int i = 0; i < REGION_COUNT; i++) {
        if (!p.region_counts[i])
            continue;
        json_t *row = json_object();
        json_object_set_new(row, "region", json_string(region_name((enum region)i, req->lang)));
        json_object_set_new(row, "count", json_integer(p.region_counts[i]));
        json_array_append_new(rows, row);
    }
    json_object_set_new(ctx, "regions", rows);
    json_t *log;
    if ((r = pub_certified_log(req, &p, &log, e))) {
        json_decref(ctx);
        return r;
    }
    if (log)
        json_object_set_new(ctx, "certified_log", log);
    return site_render(req, 200, "certificate", ctx, e);
}
