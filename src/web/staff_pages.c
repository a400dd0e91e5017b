/*
 * staff_pages.c: the workspaces of Members (authorize publication), the
 * Clerk of Petitions (review and translation), responders and
 * administrators.  Each checks its role first: a page of one role is 403
 * for every other role (rulebook 1; issue "draft to publication" 2).
 */
#include "web/staff_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/eastern_time.h"
#include "core/lifecycle.h"
#include "core/numbering.h"
#include "core/search.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "site/public_petition.h"
#include "site/site.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/confirm.h"
#include "web/forms.h"
#include "web/house_pages.h"
#include "web/public.h"
#include "web/workspace.h"
#include "workflow/draft_json.h"
#include "workflow/draft_review.h"
#include "workflow/drafts.h"
#include "workflow/outbox.h"
#include "workflow/staff.h"
#include "lib/banned.h"

static int64_t
captured_id(struct request *req)
{
    long long id;
    if (req->capture_count < 1 || parse_llz(req->captures[0], 1, INT64_MAX, &id, NULL))
        return 0;
    return id;
}

/* A draft's summary for workspace lists. */
static json_t *
draft_row(struct request *req, const struct draft_record *d, const char *href)
{
    const struct site *site = req->app;
    struct draft_text t;
    struct user u;
    struct err e = ERR_INIT;
    draft_json_read(d->content, req->arena, &t, NULL);
    json_t *o = json_object();
    json_object_set_new(o, "href", json_string(href));
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "prayer", json_string(t.prayer ? t.prayer : ""));
    json_object_set_new(o, "lang", json_string(lang_code(t.lang)));
    json_object_set_new(o, "since", json_string(ws_date(req, d->state_changed_at)));
    if (store_user_get(site->store, NULL, req->arena, d->petitioner_id, NULL, &u, &e) == 0)
        json_object_set_new(
            o, "petitioner",
            json_string(arena_printf(req->arena, "%s %s, %s", u.first_name, u.last_name, u.city)));
    return o;
}

/* ---- Members -------------------------------------------------------------------------- */

int
page_member_home(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record *list;
    int n, r;

    if ((r = auth_require(req, ROLE_MEMBER, &u, e)))
        return r > 0 ? 0 : r;
    struct draft_query q = {.has_state = true,
                            .state = PETITION_AWAITING_MEMBER,
                            .member_id = u->member_id,
                            .limit = 200};
    if ((r = store_draft_list(site->store, NULL, req->arena, &q, &list, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "member.title");
    ws_done_notice(ctx, req);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *row = draft_row(req, &list[i],
                                ws_path(req, arena_printf(req->arena, "/member/petitions/%lld",
                                                          (long long)list[i].id)));
        struct draft_timers t = {list[i].state, list[i].submitted_at, list[i].supporters_days,
                                 list[i].member_asked_at, list[i].member_days};
        json_object_set_new(row, "deadline", json_string(ws_date(req, draft_deadline(&t))));
        json_array_append_new(rows, row);
    }
    json_object_set_new(ctx, "requests", rows);
    json_object_set_new(ctx, "has_requests", json_boolean(n > 0));
    struct member m;
    if (store_member_get(site->store, NULL, req->arena, u->member_id, NULL, &m, e) == 0)
        json_object_set_new(ctx, "member", json_string(ws_member_label(req, &m)));
    /* The petitions this Member authorized, with their counts (never signers). */
    struct petition_list mine;
    struct petition_query pq = {
        .public_only = true, .member_id = u->member_id, .sort = SORT_RECENT, .limit = 100};
    if ((r = store_petition_list(site->store, NULL, req->arena, &pq, &mine, e))) {
        json_decref(ctx);
        return r;
    }
    json_t *auth = json_array();
    for (int i = 0; i < mine.count; i++) {
        const struct petition *p = &mine.items[i];
        json_t *o = json_object();
        json_object_set_new(o, "number", json_string(public_petition_number(req, p)));
        json_object_set_new(o, "url", json_string(public_petition_path(req, p)));
        json_object_set_new(o, "state", json_string(petition_state_label(p->state, req->lang)));
        json_object_set_new(o, "signatures", json_integer(p->signature_total));
        if (p->certified_at)
            json_object_set_new(o, "certificate_url",
                                json_string(arena_printf(req->arena, "%s/certificate",
                                                         public_petition_path(req, p))));
        json_array_append_new(auth, o);
    }
    json_object_set_new(ctx, "has_authorized", json_boolean(mine.count > 0));
    json_t *cert = house_pages_member_certified(req, e);
    json_object_set_new(ctx, "has_certified", json_boolean(json_array_size(cert) > 0));
    json_object_set_new(ctx, "certified", cert);
    json_object_set_new(ctx, "authorized", auth);
    return site_render(req, 200, "member_home", ctx, e);
}

/* Declining cannot be taken back (confirm.h): the Member is not asked
 * about this petition again.  self is the petition's page. */
static int
decline_question(struct request *req, const struct draft_record *d, const char *self, struct err *e)
{
    struct draft_text t;
    draft_json_read(d->content, req->arena, &t, NULL);
    struct confirm_page c = confirm_page_for(req, "decline", self, self);
    confirm_petition(&c, ws_draft_label(req, d));
    c.excerpt = t.prayer;
    c.danger = true;
    confirm_hidden(&c, "action", "decline");
    return confirm_render(req, 200, &c, e);
}

int
page_member_petition(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    int r;

    if ((r = auth_require(req, ROLE_MEMBER, &u, e)))
        return r > 0 ? 0 : r;
    int64_t id = captured_id(req);
    if (!id || store_draft_get(site->store, NULL, req->arena, id, &d, e))
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no draft");
    /* A Member sees only what was asked of them. */
    if (d.state != PETITION_AWAITING_MEMBER || d.member_id != u->member_id || !d.member_asked_at)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not asked of this Member");
    const char *self =
        ws_path(req, arena_printf(req->arena, "/member/petitions/%lld", (long long)id));
    const char *asked = req_query(req, "action");
    if (req->method != HTTP_POST && asked && strcmp(asked, "decline") == 0)
        return decline_question(req, &d, self, e);
    if (req->method == HTTP_POST) {
        if ((r = auth_check_csrf(req, e)))
            return r;
        const char *action = form_value(req, "action");
        bool accept = strcmp(action, "accept") == 0;
        if (!accept && strcmp(action, "decline") != 0)
            return err_set(e, ERR_INVALID, "error.invalid", NULL, "action");
        if (!accept && !confirm_given(req))
            return decline_question(req, &d, self, e);
        if ((r = drafts_member_answer(&site->flow, req->arena, u, id, accept, ws_now(req), e)))
            return r;
        ws_redirect(req, accept ? "/member?done=accepted" : "/member?done=declined");
        return 0;
    }
    struct draft_text t;
    struct user p;
    draft_json_read(d.content, req->arena, &t, NULL);
    if ((r = store_user_get(site->store, NULL, req->arena, d.petitioner_id, NULL, &p, e)))
        return r;
    json_t *ctx = ws_petition_page(req, "member.review_title", ws_draft_label(req, &d));
    json_object_set_new(ctx, "preview", ws_preview(req, &t, NULL));
    json_t *who = json_object();
    json_object_set_new(who, "name",
                        json_string(arena_printf(req->arena, "%s %s", p.first_name, p.last_name)));
    json_object_set_new(who, "city", json_string(p.city));
    json_object_set_new(who, "province", json_string(p.province));
    json_object_set_new(who, "email", json_string(p.email));
    json_object_set_new(who, "phone", json_string(p.phone));
    json_object_set_new(ctx, "petitioner", who);
    struct draft_timers tm = {d.state, d.submitted_at, d.supporters_days, d.member_asked_at,
                              d.member_days};
    json_object_set_new(ctx, "deadline", json_string(ws_date(req, draft_deadline(&tm))));
    json_object_set_new(ctx, "action", json_string(self));
    return site_render(req, 200, "member_petition", ctx, e);
}

/* ---- the Clerk ------------------------------------------------------------------------------- */

/*
 * How e-mail is going, for the Clerk: how many e-mails failed for good
 * and why (the latest, with the relay's reply, whose addresses smtp.h
 * masked: the Clerk sees no recipient here), how many wait and since
 * when, and whether the sign and register pages now warn that e-mail is
 * delayed (workflow/outbox.h).
 */
static int
clerk_mail(struct request *req, json_t *ctx, struct err *e)
{
    const struct site *site = req->app;
    struct outbox_status ms;
    int64_t now = ws_now(req);
    int r = outbox_status(&site->flow, req->arena, now, &ms, e);
    if (r)
        return r;
    json_t *o = json_object();
    json_object_set_new(o, "failed", json_integer(ms.health.failed));
    json_object_set_new(o, "failed_last_hour", json_integer(ms.health.failed_since));
    json_object_set_new(o, "waiting", json_integer(ms.health.waiting));
    int64_t oldest = ms.health.oldest_waiting_at;
    json_object_set_new(o, "oldest_minutes",
                        json_integer(oldest && now > oldest ? (now - oldest) / 60 : 0));
    json_object_set_new(o, "delayed", json_boolean(ms.delayed));
    json_t *rows = json_array();
    for (int i = 0; i < ms.nfailures; i++) {
        const struct outbox_mail *m = &ms.failures[i];
        struct strbuf when;
        sb_init(&when, req->arena);
        eastern_format_datetime(&when, m->failed_at, req->lang);
        const char *key = arena_printf(req->arena, "mail_kind.%s", m->kind);
        const char *kind = site_msg(site, req->lang, key);
        json_t *row = json_object();
        json_object_set_new(row, "when", json_string(when.buf));
        json_object_set_new(row, "kind", json_string(strcmp(kind, key) ? kind : m->kind));
        json_object_set_new(row, "attempts", json_integer(m->attempts));
        json_object_set_new(row, "code", json_integer(m->reply_code));
        json_object_set_new(row, "reply",
                            json_string(m->reply && m->reply[0] ? m->reply
                                        : m->last_error         ? m->last_error
                                                                : ""));
        json_array_append_new(rows, row);
    }
    json_object_set_new(o, "failures", rows);
    json_object_set_new(o, "has_failures", json_boolean(ms.nfailures > 0));
    json_object_set_new(ctx, "mail", o);
    return 0;
}

int
page_clerk_home(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record *list;
    int n, r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    struct draft_query q = {.has_state = true, .state = PETITION_UNDER_REVIEW, .limit = 500};
    if ((r = store_draft_list(site->store, NULL, req->arena, &q, &list, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "clerk.title");
    ws_done_notice(ctx, req);
    json_t *rows = json_array();
    int64_t now = ws_now(req);
    for (int i = 0; i < n; i++) {
        json_t *row = draft_row(
            req, &list[i],
            ws_path(req, arena_printf(req->arena, "/clerk/petitions/%lld", (long long)list[i].id)));
        int days = days_waited(list[i].state_changed_at, now);
        enum review_wait w = review_wait(list[i].state_changed_at, now, &site->rules);
        json_object_set_new(row, "days", json_integer(days));
        json_object_set_new(row, "warn", json_boolean(w == REVIEW_WARN));
        json_object_set_new(row, "overdue", json_boolean(w == REVIEW_OVERDUE));
        json_array_append_new(rows, row);
    }
    json_object_set_new(ctx, "queue", rows);
    json_object_set_new(ctx, "has_queue", json_boolean(n > 0));
    json_object_set_new(ctx, "warn_days", json_integer(site->rules.review_warn_days));
    json_object_set_new(ctx, "overdue_days", json_integer(site->rules.review_overdue_days));
    if ((r = clerk_mail(req, ctx, e)))
        return r;
    return site_render(req, 200, "clerk_home", ctx, e);
}

static void
read_clerk_input(struct request *req, struct draft_clerk_input *in)
{
    memset(in, 0, sizeof(*in));
    if (!req_form_ok(req))
        return;
    for (int i = 0; i < DRAFT_GRIEVANCES_MAX; i++) {
        const char *v = req_form(req, arena_printf(req->arena, "tr_grievance_%d", i + 1));
        if (!v)
            break;
        in->tr_grievances[in->tr_count++] = v;
    }
    in->tr_prayer = form_value(req, "tr_prayer");
    in->subject_code = form_value(req, "subject");
    for (int i = 0; i < req->form_count && in->keyword_count < 32; i++)
        if (strcmp(req->form[i].name, "keyword") == 0)
            in->keywords[in->keyword_count++] = req->form[i].value;
    in->new_keywords = form_value(req, "new_keywords");
}

/* ---- similar petitions ------------------------------------------------------------------- */

enum {
    SIMILAR_TERMS_MAX = 16, /* words of a draft looked up */
    SIMILAR_PER_TERM = 20,  /* petitions read per word */
    SIMILAR_SHOWN = 5,      /* a handful, best first */
};

/* Words most petitions have (the House's formulas and the commonest
 * words), in either language: looked up, they would find nearly every
 * petition. */
static bool
formula_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "government",     "canada",     "canadian",   "canadians",    "house",    "commons",
        "undersigned",    "citizens",   "residents",  "call",         "calls",    "upon",
        "that",           "this",       "with",       "from",         "have",     "which",
        "their",          "there",      "these",      "those",        "whereas",  "petition",
        "petitioners",    "would",      "should",     "will",         "into",     "they",
        "been",           "were",       "also",       "such",         "more",     "many",
        "every",          "each",       "some",       "other",        "only",     "must",
        "make",           "than",       "them",       "gouvernement", "nous",     "soussignés",
        "citoyens",       "citoyennes", "résidents",  "demandons",    "attendu",  "dans",
        "pour",           "avec",       "sont",       "chambre",      "communes", "pétition",
        "pétitionnaires", "leur",       "leurs",      "cette",        "ainsi",    "plus",
        "être",           "canadiens",  "canadiennes"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && strncasecmp(words[i], w, n) == 0)
            return true;
    return false;
}

/* Add the words of text worth looking up to terms (no duplicates: case
 * is ignored), up to SIMILAR_TERMS_MAX. */
static void
similar_words(struct request *req, const char *text, const char **terms, int *n)
{
    struct search_terms t;
    search_terms_split(text, text ? strlen(text) : 0, &t);
    for (int i = 0; i < t.count && *n < SIMILAR_TERMS_MAX; i++) {
        size_t len = t.len[i];
        if (len < 4 || strspn(t.term[i], "0123456789") >= len || formula_word(t.term[i], len))
            continue;
        bool dup = false;
        for (int k = 0; k < *n && !dup; k++)
            dup = strlen(terms[k]) == len && strncasecmp(terms[k], t.term[i], len) == 0;
        if (!dup)
            terms[(*n)++] = arena_strndup(req->arena, t.term[i], len);
    }
}

struct similar {
    struct petition p;
    double score; /* the sum, over the words it shares, of 1 / petitions with the word */
    int shared;
    const char *words;
};

static int
similar_cmp(const void *a, const void *b)
{
    const struct similar *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->shared != y->shared)
        return y->shared - x->shared;
    return x->p.e_number < y->p.e_number ? 1 : (x->p.e_number > y->p.e_number ? -1 : 0);
}

/*
 * Open petitions like this draft (rulebook 11.5), found with the search
 * index: each word of its subject, keywords, clauses and prayer (but the
 * House's formulas) is searched on its own among open petitions, and a
 * petition scores 1/N for each word it shares, N being how many open
 * petitions have that word, so rare words count most and a word most
 * petitions have (more than half, or more than SIMILAR_PER_TERM) counts
 * for nothing.  The best SIMILAR_SHOWN, never the draft's own petition,
 * each with its number, title and the words it shares.
 */
static json_t *
similar_open(struct request *req, const struct draft_record *d, const struct draft_text *t,
             const char *subject)
{
    const struct site *site = req->app;
    json_t *arr = json_array();
    const char *terms[SIMILAR_TERMS_MAX];
    int nt = 0;
    similar_words(req, subject, terms, &nt);
    similar_words(req, t->keywords, terms, &nt);
    for (int i = 0; i < t->grievance_count; i++)
        similar_words(req, t->grievances[i], terms, &nt);
    similar_words(req, t->prayer, terms, &nt);

    struct petition_query all = {
        .public_only = true, .has_state = true, .state = PETITION_OPEN, .limit = 1};
    struct petition_list list;
    struct err e = ERR_INIT;
    if (nt == 0 || store_petition_list(site->store, NULL, req->arena, &all, &list, &e))
        return arr;
    int64_t open = list.total;
    struct similar *found =
        arena_calloc(req->arena, SIMILAR_TERMS_MAX * SIMILAR_PER_TERM, sizeof(*found));
    int nf = 0;
    for (int k = 0; k < nt; k++) {
        struct petition_query q = all;
        q.text = terms[k];
        q.sort = SORT_RELEVANCE;
        q.limit = SIMILAR_PER_TERM;
        if (store_petition_list(site->store, NULL, req->arena, &q, &list, &e) ||
            list.total > SIMILAR_PER_TERM || (open >= 4 && list.total * 2 > open))
            continue;
        for (int i = 0; i < list.count; i++) {
            const struct petition *p = &list.items[i];
            if (p->id == d->petition_id)
                continue;
            int j = 0;
            while (j < nf && found[j].p.id != p->id)
                j++;
            if (j == nf)
                found[nf++] = (struct similar){.p = *p, .words = ""};
            found[j].score += 1.0 / (double)list.total;
            found[j].shared++;
            found[j].words = *found[j].words
                                 ? arena_printf(req->arena, "%s, %s", found[j].words, terms[k])
                                 : terms[k];
        }
    }
    qsort(found, (size_t)nf, sizeof(*found), similar_cmp);
    for (int i = 0; i < nf && i < SIMILAR_SHOWN; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "number", json_string(public_petition_number(req, &found[i].p)));
        json_object_set_new(o, "title", json_string(pub_title(req, &found[i].p)));
        json_object_set_new(o, "href", json_string(public_petition_path(req, &found[i].p)));
        json_object_set_new(o, "words", json_string(found[i].words));
        json_array_append_new(arr, o);
    }
    return arr;
}

static int
clerk_review_page(struct request *req, int status, const struct draft_record *d,
                  const struct field_errors *fe, struct err *e)
{
    struct site *site = req->app;
    struct store *s = site->store;
    struct draft_text t;
    struct draft_clerk c;
    struct user p;
    int r;

    draft_json_read(d->content, req->arena, &t, &c);
    if ((r = store_user_get(s, NULL, req->arena, d->petitioner_id, NULL, &p, e)))
        return r;
    json_t *ctx = ws_petition_page(req, "clerk.review_title", ws_draft_label(req, d));
    form_errors(ctx, req, fe);
    json_object_set_new(ctx, "action",
                        json_string(ws_path(req, arena_printf(req->arena, "/clerk/petitions/%lld",
                                                              (long long)d->id))));
    json_object_set_new(ctx, "preview",
                        ws_preview(req, &t,
                                   arena_printf(req->arena, "%s %s, %s, %s", p.first_name,
                                                p.last_name, p.city, p.province)));
    enum lang other = lang_other(t.lang);
    json_object_set_new(
        ctx, "to_lang",
        json_string(form_msg(req, arena_printf(req->arena, "lang.%s", lang_code(other)))));
    json_object_set_new(ctx, "to_lang_code", json_string(lang_code(other)));
    json_object_set_new(ctx, "days", json_integer(days_waited(d->state_changed_at, ws_now(req))));

    /* Translation: one box per clause, and the prayer. */
    json_t *tr = json_object();
    json_object_set_new(tr, "fields", json_array());
    int k = 0;
    for (int i = 0; i < t.grievance_count; i++) {
        if (!t.grievances[i] || !*t.grievances[i])
            continue;
        json_t *f = form_field(req, draft_translation_field(k), "clerk.tr_grievance",
                               FIELD_TEXTAREA, true, k < c.tr_count ? c.tr_grievances[k] : "", fe);
        form_label_text(
            f, arena_printf(req->arena, "%s %d", form_msg(req, "clerk.tr_grievance"), k + 1));
        form_hint_text(req, f, t.grievances[i]);
        json_array_append_new(json_object_get(tr, "fields"), f);
        k++;
    }
    json_t *f =
        form_field(req, "tr_prayer", "clerk.tr_prayer", FIELD_TEXTAREA, true, c.tr_prayer, fe);
    form_hint_text(req, f, t.prayer ? t.prayer : "");
    json_array_append_new(json_object_get(tr, "fields"), f);
    json_object_set_new(ctx, "translation", tr);

    /* Subject and keywords. */
    json_t *idx = json_object();
    json_object_set_new(idx, "fields", json_array());
    f = form_field(req, "subject", "clerk.subject", FIELD_SELECT, true,
                   c.subject_code && *c.subject_code ? c.subject_code : t.subject_code, fe);
    form_option(f, "", form_msg(req, "form.choose"));
    struct subject *subs = NULL;
    int ns = 0;
    if (store_subject_list(s, NULL, req->arena, &subs, &ns, e))
        ns = 0;
    for (int i = 0; i < ns; i++)
        form_option(f, subs[i].code, subs[i].name[req->lang]);
    json_array_append_new(json_object_get(idx, "fields"), f);
    json_object_set_new(ctx, "index", idx);
    json_t *kws = json_array();
    struct keyword *kw;
    int nk;
    if (store_keyword_list(s, NULL, req->arena, &kw, &nk, e) == 0)
        for (int i = 0; i < nk; i++) {
            json_t *o = json_object();
            bool on = false;
            for (int j = 0; j < c.keyword_count; j++)
                on |= strcmp(c.keywords[j], kw[i].slug) == 0;
            json_object_set_new(o, "slug", json_string(kw[i].slug));
            json_object_set_new(o, "name", json_string(kw[i].name[req->lang]));
            json_object_set_new(o, "checked", json_boolean(on));
            json_array_append_new(kws, o);
        }
    json_object_set_new(ctx, "keywords", kws);
    json_t *nk_group = json_object();
    json_t *nk_field = form_field(req, "new_keywords", "clerk.new_keywords", FIELD_TEXTAREA, false,
                                  form_value(req, "new_keywords"), fe);
    form_hint(req, nk_field, "clerk.new_keywords_hint");
    json_object_set_new(nk_group, "fields", json_pack("[o]", nk_field));
    json_object_set_new(ctx, "new_keywords", nk_group);
    json_object_set_new(ctx, "suggested_keywords", json_string(t.keywords ? t.keywords : ""));
    const char *subject_code = c.subject_code && *c.subject_code ? c.subject_code : t.subject_code;
    const char *subject_name = NULL;
    for (int i = 0; i < ns && subject_code; i++)
        if (strcmp(subs[i].code, subject_code) == 0)
            subject_name = subs[i].name[t.lang];
    json_t *similar = similar_open(req, d, &t, subject_name);
    json_object_set_new(ctx, "has_similar", json_boolean(json_array_size(similar) > 0));
    json_object_set_new(ctx, "similar", similar);

    /* Return and reject. */
    json_t *ret = json_object();
    json_object_set_new(ret, "fields", json_array());
    f = form_field(req, "reasons", "clerk.reasons", FIELD_TEXTAREA, false,
                   form_value(req, "reasons"), fe);
    form_max_chars(req, f, DRAFT_REVIEW_REASONS_MAX);
    json_array_append_new(json_object_get(ret, "fields"), f);
    json_object_set_new(ctx, "return_form", ret);
    json_t *rej = json_object();
    json_object_set_new(rej, "fields", json_array());
    f = form_field(req, "reason", "clerk.reason", FIELD_SELECT, false, form_value(req, "reason"),
                   fe);
    form_option(f, "", form_msg(req, "form.choose"));
    int nr;
    const struct reject_reason *rr = reject_reasons(&nr);
    for (int i = 0; i < nr; i++)
        form_option(f, rr[i].code,
                    arena_printf(req->arena, "%s%s", rr[i].label[req->lang],
                                 rr[i].hidden ? form_msg(req, "clerk.hidden_suffix") : ""));
    json_array_append_new(json_object_get(rej, "fields"), f);
    f = form_field(req, "reason_text", "clerk.reason_text", FIELD_TEXTAREA, false,
                   form_value(req, "reason_text"), fe);
    form_max_chars(req, f, DRAFT_REVIEW_REASONS_MAX);
    json_array_append_new(json_object_get(rej, "fields"), f);
    json_object_set_new(ctx, "reject_form", rej);
    return site_render(req, status, "clerk_review", ctx, e);
}

int
page_clerk_petition(struct request *req, struct err *e)
{
    struct site *site = req->app;
    const struct user *u;
    struct draft_record d;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_CLERK, &u, e)))
        return r > 0 ? 0 : r;
    int64_t id = captured_id(req);
    if (!id || store_draft_get(site->store, NULL, req->arena, id, &d, e))
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no draft");
    if (d.state != PETITION_UNDER_REVIEW)
        return err_set(e, ERR_CONFLICT, "flow.not_under_review", NULL, "not under review");
    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        int kept = form_kept(req, &fe);
        return clerk_review_page(req, kept ? kept : 200, &d, kept ? &fe : NULL, e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    form_refusal_to(req,
                    ws_path(req, arena_printf(req->arena, "/clerk/petitions/%lld", (long long)id)));
    const char *action = form_value(req, "action");
    int64_t now = ws_now(req);
    if (strcmp(action, "return") == 0) {
        r = draft_review_return(&site->flow, req->arena, u, id, form_value(req, "reasons"), &fe,
                                now, e);
    } else if (strcmp(action, "reject") == 0) {
        r = draft_review_reject(&site->flow, req->arena, u, id, form_value(req, "reason"),
                                form_value(req, "reason_text"), &fe, now, e);
    } else if (strcmp(action, "save") == 0 || strcmp(action, "approve") == 0) {
        struct draft_clerk_input in;
        read_clerk_input(req, &in);
        r = draft_review_save(&site->flow, req->arena, u, id, &in, &fe, now, e);
        long number = 0;
        if (!r && strcmp(action, "approve") == 0) {
            r = draft_review_approve(&site->flow, req->arena, u, id, &number, &fe, now, e);
            if (!r) {
                ws_redirect(req, "/clerk?done=approved");
                return 0;
            }
        }
        if (!r) {
            ws_redirect(
                req, arena_printf(req->arena, "/clerk/petitions/%lld?done=saved", (long long)id));
            return 0;
        }
    } else {
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "action");
    }
    if (r == ERR_INVALID) {
        store_draft_get(site->store, NULL, req->arena, id, &d, e);
        return clerk_review_page(req, 422, &d, &fe, e);
    }
    if (r)
        return r;
    ws_redirect(req,
                strcmp(action, "return") == 0 ? "/clerk?done=returned" : "/clerk?done=rejected");
    return 0;
}

/* ---- administrators ----------------------------------------------------------------------------
 */

static int
admin_page(struct request *req, int status, const struct field_errors *fe, struct err *e)
{
    struct site *site = req->app;
    struct store *s = site->store;
    struct user *users;
    int n, r;

    if ((r = store_user_list(s, NULL, req->arena, &users, &n, e)))
        return r;
    json_t *ctx = ws_page(req, "admin.title");
    ws_done_notice(ctx, req);
    form_errors(ctx, req, fe);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "email", json_string(users[i].email));
        json_object_set_new(o, "name",
                            json_string(arena_printf(req->arena, "%s %s", users[i].first_name,
                                                     users[i].last_name)));
        json_object_set_new(o, "role",
                            json_string(form_msg(req, arena_printf(req->arena, "role.%s",
                                                                   role_name(users[i].role)))));
        json_object_set_new(o, "active", json_boolean(users[i].password_hash != NULL));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "users", rows);
    json_t *g = json_object();
    json_object_set_new(g, "fields", json_array());
    json_t *fields = json_object_get(g, "fields");
    json_array_append_new(fields, form_field(req, "email", "form.email", FIELD_EMAIL, true,
                                             form_value(req, "email"), fe));
    json_array_append_new(fields, form_field(req, "first_name", "form.first_name", FIELD_TEXT, true,
                                             form_value(req, "first_name"), fe));
    json_array_append_new(fields, form_field(req, "last_name", "form.last_name", FIELD_TEXT, true,
                                             form_value(req, "last_name"), fe));
    json_t *f =
        form_field(req, "role", "admin.role", FIELD_SELECT, true, form_value(req, "role"), fe);
    for (int i = ROLE_CLERK; i < ROLE_COUNT; i++)
        form_option(f, role_name((enum role)i),
                    form_msg(req, arena_printf(req->arena, "role.%s", role_name((enum role)i))));
    json_array_append_new(fields, f);
    f = form_field(req, "member", "admin.member", FIELD_SELECT, false, form_value(req, "member"),
                   fe);
    form_option(f, "", form_msg(req, "form.choose"));
    struct member *ms;
    int nm;
    if (store_member_list(s, NULL, req->arena, true, &ms, &nm, e) == 0)
        for (int i = 0; i < nm; i++)
            form_option(f, ms[i].key, ws_member_label(req, &ms[i]));
    json_array_append_new(fields, f);
    f = form_field(req, "ministry", "admin.ministry", FIELD_SELECT, false,
                   form_value(req, "ministry"), fe);
    form_option(f, "", form_msg(req, "form.choose"));
    struct ministry *mins;
    int nmin;
    if (store_ministry_list(s, NULL, req->arena, &mins, &nmin, e) == 0)
        for (int i = 0; i < nmin; i++)
            form_option(f, mins[i].code, mins[i].title[req->lang]);
    json_array_append_new(fields, f);
    json_object_set_new(ctx, "add", g);
    json_object_set_new(ctx, "action", json_string(ws_path(req, "/admin")));
    return site_render(req, status, "admin_home", ctx, e);
}

int
page_admin_home(struct request *req, struct err *e)
{
    struct site *site = req->app;
    struct store *s = site->store;
    const struct user *u;
    struct field_errors fe = {0};
    int r;

    if ((r = auth_require(req, ROLE_ADMIN, &u, e)))
        return r > 0 ? 0 : r;
    if (req->method != HTTP_POST) {
        /* After a refusal (Post/Redirect/Get, web/forms.h). */
        int kept = form_kept(req, &fe);
        return admin_page(req, kept ? kept : 200, kept ? &fe : NULL, e);
    }
    if ((r = auth_check_csrf(req, e)))
        return r;
    form_refusal_to(req, ws_path(req, "/admin"));
    struct person p = {.first_name = form_value(req, "first_name"),
                       .last_name = form_value(req, "last_name"),
                       .email = form_value(req, "email")};
    person_check(&p, PERSON_NAME | PERSON_EMAIL, &fe);
    enum role role;
    const char *rn = form_value(req, "role");
    struct user nu = {
        .email = p.email, .first_name = p.first_name, .last_name = p.last_name, .lang = req->lang};
    if (role_from_name(rn, strlen(rn), &role) || role == ROLE_PETITIONER) {
        field_error(&fe, "role", "admin.role_required");
    } else {
        nu.role = role;
        struct member m;
        struct ministry min;
        struct err e2 = ERR_INIT;
        if (role == ROLE_MEMBER) {
            if (store_member_get(s, NULL, req->arena, 0, form_value(req, "member"), &m, &e2))
                field_error(&fe, "member", "admin.member_required");
            else
                nu.member_id = m.id;
        }
        if (role == ROLE_RESPONDER) {
            if (store_ministry_get(s, NULL, req->arena, 0, form_value(req, "ministry"), &min, &e2))
                field_error(&fe, "ministry", "admin.ministry_required");
            else
                nu.ministry_id = min.id;
        }
    }
    if (fe.count)
        return admin_page(req, 422, &fe, e);
    r = staff_add(&site->flow, req->arena, u, NULL, &nu, true, ws_now(req), e);
    if (r == ERR_CONFLICT) {
        field_error(&fe, "email", "admin.email_taken");
        return admin_page(req, 422, &fe, e);
    }
    if (r)
        return r;
    ws_redirect(req, "/admin?done=user-added");
    return 0;
}
