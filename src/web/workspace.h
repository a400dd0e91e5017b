/*
 * workspace.h: what the signed-in pages share (handlers in
 * account_pages.c, draft_pages.c, staff_pages.c, house_pages.c,
 * calendar_pages.c, audit_pages.c, clerk_signing_pages.c and
 * dev_pages.c, and the notices of sign_pages.c).
 *
 * Every one of these pages is private: Cache-Control no-store, and the
 * bar at the top says who is signed in, with a sign-out button.
 */
#ifndef PETITIOND_WORKSPACE_H
#define PETITIOND_WORKSPACE_H

#include <jansson.h>
#include <stdint.h>

#include "core/account.h"
#include "core/fields.h"

struct err;
struct request;

/* A private page context: site_page() plus csrf, and "me" when signed in. */
json_t *ws_page(struct request *req, const char *title_key);

/* A private page about one petition: ws_page() whose <title> and
 * "heading" (the template's <h1>) are the title's words followed by the
 * petition's number, "Response to e-6513" (ws_draft_label() for a draft
 * that has none yet). */
json_t *ws_petition_page(struct request *req, const char *title_key, const char *number);

/* How staff pages name a draft: its e-number once it has one
 * ("e-6513"), else its label ("draft 12", "projet 12": "staff.draft"). */
struct draft_record;
const char *ws_draft_label(struct request *req, const struct draft_record *d);

/* Append a link {href, text} to "links" (and set "has_links"). */
void ws_link(json_t *ctx, const char *href, const char *text);

/* A form page (template "form"): heading, action, submit label, fields. */
json_t *ws_form(struct request *req, const char *title_key, const char *action,
                const char *submit_key);

/* The context of a notice page (template "notice"): a heading and
 * paragraphs (message keys); add links with ws_link(). */
json_t *ws_notice_page(struct request *req, const char *heading_key,
                       const char *const *paragraph_keys, int n);

/* Render a notice page with a heading and paragraphs (message keys). */
int ws_notice(struct request *req, int status, const char *heading_key,
              const char *const *paragraph_keys, int n, struct err *e);

/* The same for a page that tells someone to wait for an e-mail ("check
 * your e-mail"): when e-mail is delayed (outbox_delayed() in
 * workflow/outbox.h), it says so too, in the page's language. */
int ws_notice_mail(struct request *req, int status, const char *heading_key,
                   const char *const *paragraph_keys, int n, struct err *e);

/* Set "mail_delayed" in ctx to the warning that e-mail is delayed (shown
 * by the errors and notice templates), when it is. */
void ws_mail_delayed(json_t *ctx, struct request *req);

/* The kinds of e-mailed link, for ws_old_link(). */
enum ws_link_kind {
    WS_LINK_ACTIVATE, /* an account's activation */
    WS_LINK_RESET,    /* a new password */
    WS_LINK_SUPPORT,  /* a supporter's invitation */
    WS_LINK_SIGN,     /* a signature's confirmation */
    WS_LINK_STOP,     /* a signatory's link to stop mail about a petition */
};

/*
 * Answer an e-mailed link that no longer works, from the refusal in e
 * that checking it gave: a page of its own, in the request's language,
 * saying what happened to that kind of link and how to get a new one
 * (catalogue "old_link.KIND.WHAT" and "_title").  ERR_NOT_FOUND is an
 * unknown link (404); ERR_GONE is an expired one (410) when its key says
 * so ("...expired", "sign.too_late", "flow.support_closed"), else one
 * already used or replaced (410).  petition_path ("/petitions/e-2829",
 * without the language) is where to go next for WS_LINK_SIGN, or NULL.
 * Any other error is returned as it is, for the error page.
 */
int ws_old_link(struct request *req, enum ws_link_kind kind, const char *petition_path,
                struct err *e);

/* "/en" + p (arena). */
const char *ws_path(struct request *req, const char *p);

/* A date as the House writes it, in Eastern time, in the page's language. */
const char *ws_date(struct request *req, int64_t t);

/* The same as ISO 8601, "2024-05-17" (for form fields and the audit log). */
const char *ws_iso_date(struct request *req, int64_t t);

/* The site's clock. */
int64_t ws_now(struct request *req);

/* "/en/account", "/fr/clerk"...: where a role lands after sign-in. */
const char *ws_home(struct request *req, enum role role);

/* Redirect (303) to path with the request's language: ws_redirect(req,
 * "/account?done=saved") goes to /en/account?done=saved. */
void ws_redirect(struct request *req, const char *path);

/* A "done" query value turned into the notice of a workspace page
 * (message key "done.VALUE" when it exists); for a notice that says
 * e-mail went to someone who must act on it (supporters invited, a
 * Member asked, a staff account's link), with ws_mail_delayed(). */
void ws_done_notice(json_t *ctx, struct request *req);

/* The petition as the draft preview partial shows it ("preview"). */
struct draft_text;
json_t *ws_preview(struct request *req, const struct draft_text *t, const char *petitioner);

/* The name of a Member as pages show it: "Hon. Arya Sharma (Ottawa
 * Centre)". */
struct member;
const char *ws_member_label(struct request *req, const struct member *m);

/* The House's state for a workspace ("house"): parliament, session, the
 * phase's words, and which of sitting, prorogued or dissolved it is. */
struct house_status;
json_t *ws_house_facts(struct request *req, const struct house_status *h);

#endif
