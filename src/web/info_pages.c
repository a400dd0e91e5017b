/*
 * info_pages.c: privacy, terms, help, accessibility and contact; see
 * info_pages.h.
 *
 * Each page is a list of sections (an id for its anchor, a heading,
 * paragraphs and an optional list), drawn by templates/info.html.  A
 * paragraph is a catalogue message whose "{}" holes are filled in order
 * with the jurisdiction's numbers, written as the language writes them.
 */
#include "web/info_pages.h"

#include <jansson.h>
#include <string.h>

#include "core/jurisdiction.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "web/public.h"
#include "lib/banned.h"

enum { INFO_ARGS_MAX = 4 };

/* The message for key with its "{}" holes filled by args in order (the
 * last one again when there are more holes than args). */
static const char *
fill(struct request *req, const char *key, const char *const *args, int n)
{
    const char *m = site_msg(req->app, req->lang, key);
    struct strbuf sb;
    int i = 0;

    sb_init(&sb, req->arena);
    for (const char *hole; (hole = strstr(m, "{}")) != NULL; m = hole + 2) {
        sb_add(&sb, m, (size_t)(hole - m));
        if (n > 0)
            sb_adds(&sb, args[i < n ? i : n - 1]);
        i++;
    }
    sb_adds(&sb, m);
    return sb.buf;
}

static const char *
num(struct request *req, int n)
{
    return pub_count(req, n);
}

/* "30, 60, 90 or 120": the signature periods the petitioner chooses from. */
static const char *
periods(struct request *req, const struct jurisdiction *j)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (int i = 0; i < j->periods_count; i++) {
        if (i > 0)
            sb_adds(&sb,
                    i == j->periods_count - 1 ? site_msg(req->app, req->lang, "info.or") : ", ");
        sb_adds(&sb, num(req, j->periods_days[i]));
    }
    return sb.buf;
}

/* A new section {id, heading, paragraphs: [], items: []} appended to ctx's "sections". */
static json_t *
section(struct request *req, json_t *ctx, const char *id, const char *heading_key)
{
    json_t *all = json_object_get(ctx, "sections");
    json_t *s = json_object();
    json_object_set_new(s, "id", json_string(id));
    json_object_set_new(s, "heading", json_string(site_msg(req->app, req->lang, heading_key)));
    json_object_set_new(s, "paragraphs", json_array());
    json_array_append_new(all, s);
    return s;
}

/* Append the message of key, filled with args, to the section's
 * paragraphs ("paragraphs") or its list ("items"). */
static void
add(struct request *req, json_t *s, const char *where, const char *key, const char *a0,
    const char *a1, const char *a2, const char *a3)
{
    const char *args[INFO_ARGS_MAX] = {a0, a1, a2, a3};
    int n = a3 ? 4 : a2 ? 3 : a1 ? 2 : a0 ? 1 : 0;
    json_t *list = json_object_get(s, where);
    if (!list) {
        list = json_array();
        json_object_set_new(s, where, list);
        json_object_set_new(s, "has_items", json_true());
    }
    json_array_append_new(list, json_string(fill(req, key, args, n)));
}

#define PARA(s, key) add(req, s, "paragraphs", key, NULL, NULL, NULL, NULL)
#define ITEM(s, key) add(req, s, "items", key, NULL, NULL, NULL, NULL)

/* The section's "link" {href, text}: a page of the site in the page's
 * language (path after "/en"), with the message of text_key. */
static void
link_to(struct request *req, json_t *s, const char *path, const char *text_key)
{
    json_t *l = json_object();
    json_object_set_new(l, "href",
                        json_string(arena_printf(req->arena, "/%s%s", lang_code(req->lang), path)));
    json_object_set_new(l, "text", json_string(site_msg(req->app, req->lang, text_key)));
    json_object_set_new(s, "link", l);
}

/* Whom to write to: the section's "contact" {email} or {operator}. */
static void
contact_line(struct request *req, json_t *s, const char *lead_key)
{
    const struct site *site = req->app;
    json_t *c = json_object();
    json_object_set_new(c, "lead", json_string(site_msg(site, req->lang, lead_key)));
    if (site->contact_email)
        json_object_set_new(c, "email", json_string(site->contact_email));
    else
        json_object_set_new(c, "operator", json_string(site_msg(site, req->lang, "info.operator")));
    json_object_set_new(s, "contact", c);
}

/* The page's context: title and heading from "info.PAGE.title", the
 * lead paragraph from "info.PAGE.intro". */
static json_t *
info_page(struct request *req, const char *page)
{
    const char *title =
        site_msg(req->app, req->lang, arena_printf(req->arena, "info.%s.title", page));
    json_t *ctx = site_page(req, title);
    json_object_set_new(ctx, "heading", json_string(title));
    json_object_set_new(ctx, "page", json_string(page));
    json_object_set_new(ctx, "intro",
                        json_string(site_msg(req->app, req->lang,
                                             arena_printf(req->arena, "info.%s.intro", page))));
    json_object_set_new(ctx, "sections", json_array());
    return ctx;
}

static int
info_render(struct request *req, json_t *ctx, struct err *e)
{
    site_cache_control(req, SITE_AGE_PAGE);
    return site_render(req, 200, "info", ctx, e);
}

int
page_privacy(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    const struct jurisdiction *j = &site->rules;
    json_t *ctx = info_page(req, "privacy");
    const char *days = num(req, j->retention_days);

    json_t *s = section(req, ctx, "collected", "info.privacy.collected");
    PARA(s, "info.privacy.collected_intro");
    ITEM(s, "info.privacy.collected_signatories");
    ITEM(s, "info.privacy.collected_supporters");
    ITEM(s, "info.privacy.collected_petitioners");
    ITEM(s, "info.privacy.collected_staff");
    ITEM(s, "info.privacy.collected_network");
    ITEM(s, "info.privacy.collected_form");
    s = section(req, ctx, "why", "info.privacy.why");
    PARA(s, "info.privacy.why_text");
    PARA(s, "info.privacy.why_no_more");
    s = section(req, ctx, "who", "info.privacy.who");
    PARA(s, "info.privacy.who_clerk");
    PARA(s, "info.privacy.who_public");
    PARA(s, "info.privacy.who_member");
    s = section(req, ctx, "how-long", "info.privacy.how_long");
    add(req, s, "paragraphs", "info.privacy.how_long_signatures", days, NULL, NULL, NULL);
    add(req, s, "paragraphs", "info.privacy.how_long_drafts", days, NULL, NULL, NULL);
    add(req, s, "paragraphs", "info.privacy.how_long_mail", days, NULL, NULL, NULL);
    PARA(s, "info.privacy.how_long_kept");
    PARA(s, "info.privacy.how_long_accounts");
    s = section(req, ctx, "rights", "info.privacy.rights");
    PARA(s, "info.privacy.rights_text");
    s = section(req, ctx, "ask", "info.privacy.ask");
    contact_line(req, s, "info.privacy.ask_text");
    return info_render(req, ctx, e);
}

int
page_terms(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    const struct jurisdiction *j = &site->rules;
    json_t *ctx = info_page(req, "terms");

    json_t *s = section(req, ctx, "everyone", "info.terms.everyone");
    PARA(s, "info.terms.everyone_accept");
    PARA(s, "info.terms.everyone_conduct");
    PARA(s, "info.terms.everyone_privacy");
    s = section(req, ctx, "signatories", "info.terms.signatories");
    ITEM(s, "info.terms.signatories_eligible");
    ITEM(s, "info.terms.signatories_once");
    add(req, s, "items", "info.terms.signatories_confirm", num(req, j->confirm_grace_hours), NULL,
        NULL, NULL);
    ITEM(s, "info.terms.signatories_clerk");
    ITEM(s, "info.terms.signatories_published");
    s = section(req, ctx, "supporters", "info.terms.supporters");
    add(req, s, "items", "info.terms.supporters_role", num(req, j->supporters_min),
        num(req, j->supporters_days), NULL, NULL);
    ITEM(s, "info.terms.supporters_eligible");
    ITEM(s, "info.terms.supporters_petitioner");
    ITEM(s, "info.terms.supporters_published");
    s = section(req, ctx, "petitioners", "info.terms.petitioners");
    ITEM(s, "info.terms.petitioners_eligible");
    add(req, s, "items", "info.terms.petitioners_text", num(req, j->words_max), NULL, NULL, NULL);
    ITEM(s, "info.terms.petitioners_one");
    ITEM(s, "info.terms.petitioners_clerk");
    ITEM(s, "info.terms.petitioners_published");
    ITEM(s, "info.terms.petitioners_member");
    return info_render(req, ctx, e);
}

int
page_help(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    const struct jurisdiction *j = &site->rules;
    json_t *ctx = info_page(req, "help");
    const char *house = req->lang == LANG_FR ? j->name_fr : j->name_en;

    json_t *s = section(req, ctx, "who", "info.help.who");
    add(req, s, "paragraphs", "info.help.who_text", house, NULL, NULL, NULL);
    s = section(req, ctx, "writing", "info.help.writing");
    add(req, s, "paragraphs", "info.help.writing_text", num(req, j->words_max), NULL, NULL, NULL);
    PARA(s, "info.help.writing_one");
    s = section(req, ctx, "supporters", "info.help.supporters");
    add(req, s, "paragraphs", "info.help.supporters_text", num(req, j->supporters_min),
        num(req, j->supporters_max), num(req, j->supporters_min), num(req, j->supporters_days));
    s = section(req, ctx, "member", "info.help.member");
    add(req, s, "paragraphs", "info.help.member_text", num(req, j->member_days),
        num(req, j->members_max), NULL, NULL);
    s = section(req, ctx, "review", "info.help.review");
    PARA(s, "info.help.review_text");
    s = section(req, ctx, "signing", "info.help.signing");
    add(req, s, "paragraphs", "info.help.signing_open", periods(req, j), NULL, NULL, NULL);
    PARA(s, "info.help.signing_confirm");
    add(req, s, "paragraphs", "info.help.signing_grace", num(req, j->confirm_grace_hours), NULL,
        NULL, NULL);
    if (site->log_keys.n) {
        PARA(s, "info.help.signing_receipt");
        link_to(req, s, "/verify", "verify.link");
    }
    s = section(req, ctx, "certification", "info.help.certification");
    add(req, s, "paragraphs", "info.help.certification_text", num(req, j->signatures_to_certify),
        NULL, NULL, NULL);
    s = section(req, ctx, "presentation", "info.help.presentation");
    PARA(s, "info.help.presentation_text");
    s = section(req, ctx, "response", "info.help.response");
    add(req, s, "paragraphs", "info.help.response_text", num(req, j->response_days), NULL, NULL,
        NULL);
    s = section(req, ctx, "dissolution", "info.help.dissolution");
    PARA(s, "info.help.dissolution_text");
    s = section(req, ctx, "paper", "info.help.paper");
    add(req, s, "paragraphs", "info.help.paper_text", num(req, j->paper_signatures_min), NULL, NULL,
        NULL);
    return info_render(req, ctx, e);
}

int
page_accessibility(struct request *req, struct err *e)
{
    json_t *ctx = info_page(req, "accessibility");

    json_t *s = section(req, ctx, "standard", "info.accessibility.standard");
    PARA(s, "info.accessibility.standard_text");
    s = section(req, ctx, "tested", "info.accessibility.tested");
    PARA(s, "info.accessibility.tested_browser");
    PARA(s, "info.accessibility.tested_errors");
    PARA(s, "info.accessibility.tested_confirm");
    PARA(s, "info.accessibility.tested_axe");
    PARA(s, "info.accessibility.tested_keyboard");
    PARA(s, "info.accessibility.tested_not");
    s = section(req, ctx, "limits", "info.accessibility.limits");
    PARA(s, "info.accessibility.limits_intro");
    ITEM(s, "info.accessibility.limit_lost");
    ITEM(s, "info.accessibility.limit_phone");
    ITEM(s, "info.accessibility.limit_targets");
    ITEM(s, "info.accessibility.limit_staff");
    s = section(req, ctx, "feedback", "info.accessibility.feedback");
    contact_line(req, s, "info.accessibility.feedback_text");
    return info_render(req, ctx, e);
}

int
page_contact(struct request *req, struct err *e)
{
    json_t *ctx = info_page(req, "contact");

    json_t *s = section(req, ctx, "operator", "info.contact.operator");
    contact_line(req, s, "info.contact.operator_text");
    s = section(req, ctx, "petition", "info.contact.petition");
    PARA(s, "info.contact.petition_text");
    PARA(s, "info.contact.petition_signature");
    return info_render(req, ctx, e);
}
