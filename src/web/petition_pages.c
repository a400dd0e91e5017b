/*
 * petition_pages.c: a petition's public page and its sign form; see
 * petition_pages.h.
 */
#include "web/petition_pages.h"

#include <jansson.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "core/province.h"
#include "core/signature.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/template.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/chart_pages.h"
#include "web/forms.h"
#include "web/public.h"
#include "workflow/counts.h"
#include "workflow/house.h"
#include "lib/banned.h"

/* ---- the sign form ----------------------------------------------------------------- */

static const char *
submitted(struct request *req, const struct field_errors *fe, const char *name, const char *dflt)
{
    return fe ? form_value(req, name) : dflt;
}

/* The sign form of a petition page, for its template: fe's errors and the
 * submitted values, or a blank form when fe is NULL. */
static json_t *
sign_form(struct request *req, const struct petition *p, const struct field_errors *fe)
{
    json_t *o = json_object();
    json_t *fields = json_array();
    json_t *f;

    json_object_set_new(
        o, "action",
        json_string(arena_printf(req->arena, "%s/sign", public_petition_path(req, p))));

    f = form_field(req, "first_name", "form.first_name", FIELD_TEXT, true,
                   submitted(req, fe, "first_name", NULL), fe);
    form_autocomplete(f, "given-name");
    json_array_append_new(fields, f);
    f = form_field(req, "last_name", "form.last_name", FIELD_TEXT, true,
                   submitted(req, fe, "last_name", NULL), fe);
    form_autocomplete(f, "family-name");
    json_array_append_new(fields, f);
    f = form_field(req, "email", "form.email", FIELD_EMAIL, true, submitted(req, fe, "email", NULL),
                   fe);
    form_hint(req, f, "sign.email_hint");
    form_autocomplete(f, "email");
    json_array_append_new(fields, f);
    f = form_field(req, "country", "form.country", FIELD_TEXT, true,
                   submitted(req, fe, "country", "Canada"), fe);
    form_autocomplete(f, "country-name");
    json_array_append_new(fields, f);
    f = form_field(req, "province", "form.province", FIELD_SELECT, false,
                   submitted(req, fe, "province", NULL), fe);
    form_hint(req, f, "form.province_hint");
    form_province_options(req, f);
    json_array_append_new(fields, f);
    f = form_field(req, "postal_code", "form.postal_code", FIELD_TEXT, false,
                   submitted(req, fe, "postal_code", NULL), fe);
    form_hint(req, f, "sign.postal_code_hint");
    form_autocomplete(f, "postal-code");
    json_array_append_new(fields, f);
    f = form_field(req, "phone", "form.phone", FIELD_TEL, true, submitted(req, fe, "phone", NULL),
                   fe);
    form_autocomplete(f, "tel");
    json_array_append_new(fields, f);
    json_array_append_new(fields, form_field(req, "eligible", "form.eligible", FIELD_CHECKBOX, true,
                                             submitted(req, fe, "eligible", NULL), fe));
    json_t *terms = form_field(req, "terms", "form.terms_signatory", FIELD_CHECKBOX, true,
                               submitted(req, fe, "terms", NULL), fe);
    form_terms_link(req, terms, "signatories");
    json_array_append_new(fields, terms);
    form_person_limits(req, fields);
    json_object_set_new(o, "fields", fields);
    return o;
}

/* ---- the page ---------------------------------------------------------------------- */

static json_t *
member_block(struct request *req, const struct member *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pub_member_name(req, m)));
    json_object_set_new(o, "constituency", json_string(site_tr(req, m->constituency)));
    json_object_set_new(o, "caucus", json_string(site_tr(req, m->caucus)));
    json_object_set_new(o, "province", json_string(region_name(m->province, req->lang)));
    return o;
}

static json_t *
counts_table(struct request *req, const struct petition *p)
{
    json_t *rows = json_array();
    for (int i = 0; i < REGION_COUNT; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "region", json_string(region_name((enum region)i, req->lang)));
        json_object_set_new(o, "code", json_string(region_code((enum region)i)));
        json_object_set_new(o, "count", json_string(pub_count(req, p->region_counts[i])));
        json_array_append_new(rows, o);
    }
    return rows;
}

json_t *
petition_share_json(struct request *req, const struct petition *p)
{
    const char *base = site_base_url(req);
    const char *number = public_petition_number(req, p);
    const char *lang = lang_code(req->lang);
    const char *url = arena_printf(req->arena, "%s/%s/petitions/%s", base, lang, number);
    const char *badge = arena_printf(req->arena, "/%s/petitions/%s/badge.svg", lang, number);
    const char *alt = site_msg_with(req, "petition.badge_alt", number);
    json_t *o = json_object();
    json_object_set_new(o, "url", json_string(url));
    json_object_set_new(o, "badge", json_string(badge));
    json_object_set_new(o, "badge_alt", json_string(alt));
    json_object_set_new(
        o, "embed",
        json_string(arena_printf(req->arena, "<a href=\"%s\"><img src=\"%s%s\" alt=\"%s\"></a>",
                                 url, base, badge, alt)));
    return o;
}

int
page_petition(struct request *req, struct err *e)
{
    struct petition p;
    int r;

    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    const char *canonical = public_petition_path(req, &p);
    if (strcmp(canonical, req->path) != 0) {
        /* "432-00158" or "E-2829" for an e-petition: its own address. */
        site_cache_control(req, SITE_AGE_STATIC); /* a number's address never changes */
        resp_redirect(req, 301, canonical);
        return 0;
    }
    /* After a refused signature (Post/Redirect/Get, web/forms.h): the
     * form again with what was typed and its errors, for this browser. */
    struct field_errors fe;
    int kept = form_kept(req, &fe);
    return petition_pages_render(req, &p, kept ? kept : 200, kept ? &fe : NULL, e);
}

int
petition_pages_render(struct request *req, const struct petition *pp, int status,
                      const struct field_errors *fe, struct err *e)
{
    const struct site *site = req->app;
    struct petition p = *pp;
    struct count_snapshot counts;
    struct err ce = ERR_INIT;
    /* The counts as the signature writer last committed them (counts.h). */
    if (p.kind == PETITION_ELECTRONIC && site->flow.counts &&
        count_mirror_get(site->flow.counts, p.id, 0, &counts, &ce) == 0) {
        p.signature_total = counts.total;
        memcpy(p.region_counts, counts.regions, sizeof(p.region_counts));
    }
    json_t *ctx = site_page(req, pub_title(req, &p));
    json_object_set_new(ctx, "number", json_string(public_petition_number(req, &p)));
    json_object_set_new(ctx, "paper", json_boolean(p.kind == PETITION_PAPER));
    json_object_set_new(ctx, "state", json_string(petition_state_label(p.state, req->lang)));
    json_object_set_new(ctx, "state_slug", json_string(petition_state_slug(p.state)));
    json_object_set_new(ctx, "state_date", json_string(pub_date(req, p.state_changed_at)));
    json_object_set_new(ctx, "demo", json_boolean(p.is_demo));
    if (p.petitioner_name)
        json_object_set_new(
            ctx, "initiated_by",
            json_string(arena_printf(req->arena, "%s %s %s %s, %s",
                                     pub_msg(req, "petition.initiated_by"), p.petitioner_name,
                                     pub_msg(req, "petition.from"), p.petitioner_city,
                                     region_name(p.petitioner_province, req->lang))));
    json_object_set_new(
        ctx, "original_language",
        json_string(pub_msg(req, p.original_language == LANG_FR ? "lang.fr" : "lang.en")));
    json_object_set_new(ctx, "addressee", json_string(pub_addressee(req, &p)));
    json_t *whereas = json_array();
    for (int i = 0; i < p.grievance_count; i++)
        json_array_append_new(whereas, json_string(site_tr(req, p.grievances[i].text)));
    json_object_set_new(ctx, "whereas", whereas);
    json_object_set_new(ctx, "has_whereas", json_boolean(p.grievance_count > 0));
    json_object_set_new(ctx, "prayer", pub_lines(site_tr(req, p.prayer), false));

    if (p.has_response) {
        json_t *resp = json_object();
        json_object_set_new(resp, "heading",
                            json_string(site_msg_with(req, "petition.response_by",
                                                      site_tr(req, p.response.ministry.title))));
        json_object_set_new(resp, "signed_by",
                            json_string(req->lang == LANG_FR && p.response.signed_by_fr
                                            ? p.response.signed_by_fr
                                            : p.response.signed_by));
        json_object_set_new(resp, "paragraphs", pub_lines(site_tr(req, p.response.text), true));
        json_object_set_new(ctx, "response", resp);
    }

    /* The dates panel, in the House's order. */
    if (p.opened_at) {
        json_object_set_new(ctx, "opened", json_string(pub_datetime(req, p.opened_at)));
        json_object_set_new(ctx, "opened_iso", json_string(pub_iso_date(req, p.opened_at)));
    }
    if (p.closes_at) {
        bool open = pub_is_open(req, &p);
        json_object_set_new(ctx, open ? "closes" : "closed",
                            json_string(pub_datetime(req, p.closes_at)));
        json_object_set_new(ctx, "closes_iso", json_string(pub_iso_date(req, p.closes_at)));
        json_object_set_new(ctx, "is_open", json_boolean(open));
    }
    if (p.presented_at) {
        json_t *pres = json_object();
        struct strbuf num;
        sb_init(&num, req->arena);
        presented_number_format(&num, &p.presented_number);
        json_object_set_new(pres, "date", json_string(pub_date(req, p.presented_at)));
        json_object_set_new(pres, "iso", json_string(pub_iso_date(req, p.presented_at)));
        json_object_set_new(pres, "number", json_string(num.buf));
        if (p.has_presenting_member)
            json_object_set_new(
                pres, "presenter",
                json_string(arena_printf(req->arena, "%s (%s)",
                                         pub_member_name(req, &p.presenting_member),
                                         site_tr(req, p.presenting_member.constituency))));
        if (p.committee[req->lang])
            json_object_set_new(pres, "committee", json_string(site_tr(req, p.committee)));
        json_object_set_new(ctx, "presented", pres);
    }
    if (p.state == PETITION_PRESENTED) {
        /* The response deadline (rulebook 11.12), and overdue past it. */
        struct civil_date due;
        struct err e2 = ERR_INIT;
        if (house_response_due(&site->flow, req->arena, p.presented_at, &due, &e2) == 0) {
            int64_t due_at = eastern_to_utc(due.year, due.month, due.day, 12, 0, 0);
            struct civil_time now;
            eastern_from_utc(clock_now(&site->clock), &now);
            struct civil_date today = {now.year, now.month, now.day};
            json_object_set_new(ctx, "due", json_string(pub_date(req, due_at)));
            json_object_set_new(ctx, "due_iso", json_string(pub_iso_date(req, due_at)));
            if (response_overdue(due, today, false))
                json_object_set_new(
                    ctx, "overdue_committee",
                    json_string(p.committee[req->lang] ? site_tr(req, p.committee) : ""));
        }
    }
    if (p.has_response) {
        json_object_set_new(ctx, "tabled", json_string(pub_date(req, p.response.tabled_at)));
        json_object_set_new(ctx, "tabled_iso",
                            json_string(pub_iso_date(req, p.response.tabled_at)));
    }
    if (p.has_authorizing_member) {
        json_object_set_new(ctx, "member", member_block(req, &p.authorizing_member));
        json_object_set_new(ctx, "member_role",
                            json_string(pub_msg(req, "petition.member_authorized")));
    } else if (p.kind == PETITION_PAPER && p.has_presenting_member) {
        json_object_set_new(ctx, "member", member_block(req, &p.presenting_member));
        json_object_set_new(ctx, "member_role",
                            json_string(pub_msg(req, "petition.member_presented")));
    }

    json_t *kws = json_array();
    for (int i = 0; i < p.keyword_count; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(site_tr(req, p.keywords[i].name)));
        json_object_set_new(o, "url", json_string(pub_keyword_url(req, p.keywords[i].slug)));
        json_array_append_new(kws, o);
    }
    json_object_set_new(ctx, "keywords", kws);
    json_object_set_new(ctx, "has_keywords", json_boolean(p.keyword_count > 0));
    if (p.subject.id) {
        json_object_set_new(ctx, "subject", json_string(site_tr(req, p.subject.name)));
        json_object_set_new(ctx, "subject_url", json_string(pub_subject_url(req, p.subject.code)));
    }
    json_object_set_new(ctx, "signatures", json_string(pub_count(req, p.signature_total)));
    if (p.kind == PETITION_ELECTRONIC)
        json_object_set_new(ctx, "regions", counts_table(req, &p));
    /* The bars beside the regions table, the line of the days (chart_pages.h). */
    int rc = chart_pages_petition(req, &p, ctx, e);
    if (rc) {
        json_decref(ctx);
        return rc;
    }
    json_object_set_new(ctx, "count_url",
                        json_string(arena_printf(req->arena, "/api/v1/petitions/%s/count",
                                                 public_petition_number(req, &p))));
    if (p.kind == PETITION_ELECTRONIC)
        json_object_set_new(ctx, "share", petition_share_json(req, &p));
    /* While it takes signatures (or confirmations), counts move: short caching. */
    int64_t now = clock_now(&site->clock);
    int grace = petition_grace_hours(p.grace_hours, &site->rules);
    if (signature_confirmable(p.state, p.closes_at, grace, now)) {
        site_cache_control(req, status == 200 ? SITE_AGE_LIVE : 0);
        /* static/count.js keeps the counts shown up to date. */
        json_object_set_new(ctx, "live_count", json_boolean(p.kind == PETITION_ELECTRONIC));
    }
    /* An administrator's pause (sign_pause.h): the page says so instead
     * of offering the form; a page drawn before the pause or its end is
     * drawn again (the pause bumps the data's version). */
    struct petition_brief b = {0};
    struct err e2 = ERR_INIT; /* a failed read shows the form; signing says the rest */
    bool paused =
        p.kind == PETITION_ELECTRONIC && signature_confirmable(p.state, p.closes_at, grace, now) &&
        store_petition_brief(site->store, NULL, p.id, 0, &b, &e2) == 0 && b.signing_paused;
    if (paused)
        json_object_set_new(ctx, "paused", json_true());
    else if (petition_signable(p.state, p.closes_at, now)) {
        json_object_set_new(ctx, "sign", sign_form(req, &p, fe));
        form_errors(ctx, req, fe);
    } else if (p.state == PETITION_WAITING_FOR_CERTIFICATION &&
               now < closing_grace_end(p.closes_at, grace))
        json_object_set_new(ctx, "grace_until",
                            json_string(pub_datetime(req, closing_grace_end(p.closes_at, grace))));
    if (p.certified_at && p.kind == PETITION_ELECTRONIC) {
        json_object_set_new(
            ctx, "certificate_url",
            json_string(arena_printf(req->arena, "%s/certificate", public_petition_path(req, &p))));
        /* The checkpoint its certified count stands on; a failed read
         * leaves the line out, as the pause's does its note. */
        json_t *log = NULL;
        struct err e3 = ERR_INIT;
        if (pub_certified_log(req, &p, &log, &e3) == 0 && log)
            json_object_set_new(ctx, "certified_log", log);
    }
    return site_render(req, status, "petition", ctx, e);
}

/* ---- the badge -------------------------------------------------------------------------- */

/* Pixels a text of n characters takes at 11 px Verdana, roughly, with a
 * margin on each side. */
static int
badge_width(const char *text)
{
    int n = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        n += (*c & 0xC0) != 0x80; /* characters, not bytes */
    return n * 7 + 12;
}

int
page_petition_badge(struct request *req, struct err *e)
{
    struct petition p;
    int r;
    if ((r = public_petition_load(req, req->captures[0], &p, e)))
        return r;
    if (p.kind != PETITION_ELECTRONIC)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no badge: paper");
    const char *number = public_petition_number(req, &p);
    const char *count = pub_count(req, p.signature_total);
    const char *unit = pub_msg(req, "petition.signatures_unit");
    int left = badge_width(number);
    int right = badge_width(arena_printf(req->arena, "%s %s", count, unit));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "number", json_string(number));
    json_object_set_new(ctx, "count", json_string(count));
    json_object_set_new(ctx, "unit", json_string(unit));
    json_object_set_new(ctx, "width", json_integer(left + right));
    json_object_set_new(ctx, "left", json_integer(left));
    json_object_set_new(ctx, "right", json_integer(right));
    json_object_set_new(ctx, "left_x", json_integer(left / 2));
    json_object_set_new(ctx, "right_x", json_integer(left + right / 2));
    struct site *site = req->app;
    struct strbuf out;
    sb_init(&out, req->arena);
    r = template_render(site->templates, "badge", ctx, &out, e);
    json_decref(ctx);
    if (r || sb_failed(&out))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "render badge");
    /* As fresh as the count endpoint; embeddable anywhere (an image). */
    site_cache_control(req, SITE_AGE_LIVE);
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_header(req, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    resp_body(req, 200, "image/svg+xml; charset=utf-8", out.buf, out.len);
    return 0;
}
