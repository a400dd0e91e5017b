/*
 * signing.c: signatures, their confirmation and review, closing and
 * certification; see signing.h.
 */
#include "workflow/signing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/email.h"
#include "core/house.h"
#include "core/netaddr.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "core/postal.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "lib/banned.h"

/* ---- the rules a petition runs under ------------------------------------------------ */

struct closing_timers
sign_timers(const struct flow *f, const struct petition_brief *b, int64_t suspect_confirmed)
{
    return (struct closing_timers){
        .state = b->state,
        .closes_at = b->closes_at,
        .grace_hours = petition_grace_hours(b->grace_hours, f->rules),
        .queued_at = b->queued_at,
        .total = b->total,
        .suspect_confirmed = suspect_confirmed,
        .threshold = petition_threshold(b->certify_threshold, f->rules),
    };
}

/* ---- e-mail ------------------------------------------------------------------------ */

void
sign_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1])
{
    char m[64];
    snprintf(m, sizeof(m), "sign|%lld", (long long)signature_id);
    token_mac(f->link_key, m, out);
}

static const char *
number_text(struct arena *a, long e_number)
{
    struct strbuf sb;
    sb_init(&sb, a);
    e_number_format(&sb, e_number);
    return sb.buf;
}

static const char *
petition_url(const struct flow *f, struct arena *a, enum lang lang, long e_number)
{
    return arena_printf(a, "%s/%s/petitions/%s", f->mailer->base_url, lang_code(lang),
                        number_text(a, e_number));
}

/* The values every e-mail about a published petition has, in lang:
 * number, subject, heading, prayer, url. */
static json_t *
petition_vars(const struct flow *f, struct arena *a, const struct petition *p, enum lang lang)
{
    json_t *vars = json_object();
    struct draft_text t = {
        .addressee = p->addressee,
        .ministry_code = p->addressee_ministry.code,
        .addressee_member_key = p->addressee_member.key,
    };
    json_object_set_new(vars, "number", json_string(number_text(a, p->e_number)));
    if (p->subject.id)
        json_object_set_new(vars, "subject", json_string(p->subject.name[lang]));
    json_object_set_new(vars, "heading", json_string(flow_addressee_heading(f, a, &t, lang)));
    json_object_set_new(vars, "prayer", json_string(p->prayer[lang] ? p->prayer[lang] : ""));
    json_object_set_new(vars, "url", json_string(petition_url(f, a, lang, p->e_number)));
    return vars;
}

static int
load_petition(const struct flow *f, struct arena *a, long e_number, struct petition *p,
              struct err *e)
{
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = e_number};
    return OPS(f)->petition_get(f->store, a, &n, p, e);
}

/* Queue the e-mail about g (its text is rendered when it is sent). */
static int
mail_signer(const struct flow *f, struct arena *a, const struct signature_record *g,
            const char *kind, enum lang lang, int64_t now, struct err *e)
{
    return mail_queue_later(f->mailer, kind, lang, g->email,
                            flow_full_name(a, g->first_name, g->last_name), g->id, now, e);
}

int
sign_mail_render(const struct flow *f, struct arena *a, struct outbox_mail *m, struct err *e)
{
    struct signature_record g;
    struct petition_brief b;
    struct petition p;
    char tok[TOKEN_MAC_CHARS + 1];
    int r;

    r = OPS(f)->signature_get(f->store, a, m->signature_id, &g, e);
    if (r == ERR_NOT_FOUND || (!r && (!g.email || !g.email[0]))) {
        *e = (struct err)ERR_INIT;
        return err_set(e, ERR_GONE, "error.gone", NULL, "signature %lld erased",
                       (long long)m->signature_id);
    }
    if (r)
        return r;
    if ((r = OPS(f)->petition_brief(f->store, g.petition_id, 0, &b, e)) ||
        (r = load_petition(f, a, b.e_number, &p, e)))
        return r;
    enum lang lang = m->lang;
    json_t *vars = petition_vars(f, a, &p, lang);
    const char *kind = "signature-confirm";
    json_object_set_new(vars, "name", json_string(m->to_name ? m->to_name : ""));
    if (g.confirmed_at) {
        /* Confirmed by the time it goes: say so rather than send a link. */
        kind = "signature-already";
        json_object_set_new(vars, "signed", json_string(flow_date_text(a, g.confirmed_at,
                                                                       lang)));
    } else {
        sign_token(f, g.id, tok);
        json_object_set_new(vars, "again",
                            json_boolean(strcmp(m->kind, SIGN_MAIL_AGAIN) == 0));
        json_object_set_new(vars, "closes", json_string(flow_date_text(a, p.closes_at, lang)));
        json_object_set_new(vars, "link",
                            json_string(arena_printf(a, "%s/%s/signatures/%lld?t=%s",
                                                     f->mailer->base_url, lang_code(lang),
                                                     (long long)g.id, tok)));
    }
    r = mail_render(f->mailer, a, kind, lang, vars, &m->subject, &m->body, e);
    json_decref(vars);
    m->kind = kind; /* what it turned out to be, for the log and .eml names */
    return r;
}

/* ---- one transaction's reads, kept for its length ------------------------------------ */

void
sign_txn_init(struct sign_txn *t, struct arena *a, int64_t now)
{
    memset(t, 0, sizeof(*t));
    t->a = a;
    t->now = now;
}

/* The brief of a petition by id, or by e-number when id is 0. */
static int
txn_brief(const struct flow *f, struct sign_txn *t, int64_t id, long e_number,
          const struct petition_brief **out, struct err *e)
{
    for (int i = 0; i < t->brief_count; i++) {
        if ((id && t->briefs[i].id == id) || (!id && t->briefs[i].e_number == e_number)) {
            *out = &t->briefs[i];
            return 0;
        }
    }
    struct petition_brief b;
    int r = OPS(f)->petition_brief(f->store, id, e_number, &b, e);
    if (r)
        return r;
    if (t->brief_count == SIGN_TXN_BRIEFS)
        t->brief_count = 0; /* a batch over many petitions: forget the oldest */
    t->briefs[t->brief_count] = b;
    *out = &t->briefs[t->brief_count++];
    return 0;
}

/* Move petition_id's count in region by delta, written by sign_txn_flush(). */
static void
txn_delta(struct sign_txn *t, int64_t petition_id, enum region region, int delta)
{
    if (!delta)
        return;
    for (int i = 0; i < t->delta_count; i++) {
        if (t->deltas[i].petition_id == petition_id && t->deltas[i].region == region) {
            t->deltas[i].delta += delta;
            return;
        }
    }
    if (t->delta_count == t->delta_cap) {
        int cap = t->delta_cap ? 2 * t->delta_cap : 16;
        struct sign_delta *d = arena_alloc(t->a, (size_t)cap * sizeof(*d));
        if (t->delta_count)
            memcpy(d, t->deltas, (size_t)t->delta_count * sizeof(*d));
        t->deltas = d;
        t->delta_cap = cap;
    }
    t->deltas[t->delta_count++] = (struct sign_delta){petition_id, region, delta};
}

int
sign_txn_flush(const struct flow *f, struct sign_txn *t, struct err *e)
{
    for (int i = 0; i < t->delta_count; i++) {
        int r = OPS(f)->petition_count_add(f->store, t->deltas[i].petition_id,
                                           t->deltas[i].region, t->deltas[i].delta, t->now, e);
        if (r)
            return r;
    }
    return 0;
}

/* ---- signing ------------------------------------------------------------------------ */

/* Whether the client's address or the e-mail's domain is on the lists. */
static int
screen_lists(const struct flow *f, struct sign_txn *t, const struct sign_request *rq,
             struct sign_screen *sc, struct err *e)
{
    struct netaddr ip;
    int r;
    if (!t->rules_read) {
        if ((r = OPS(f)->signing_rule_list(f->store, t->a, &t->rules, &t->rule_count, e)))
            return r;
        t->rules_read = true;
    }
    if (!t->rule_count)
        return 0;
    bool have_ip = netaddr_parse(rq->ip, &ip) == 0;
    const char *domain = email_domain(rq->person.email);
    for (int i = 0; i < t->rule_count; i++) {
        const struct signing_rule *rule = &t->rules[i];
        bool hit = false;
        if (rule->domain) {
            hit = domain && domain_matches(rule->value, domain);
        } else if (have_ip) {
            struct netrange net;
            hit = netrange_parse(rule->value, &net) == 0 && netrange_contains(&net, &ip);
        }
        if (hit && rule->block)
            sc->blocked = true;
        else if (hit)
            sc->allowed = true;
    }
    return 0;
}

static int
screen_rates(const struct flow *f, int64_t petition_id, const struct sign_request *rq,
             int64_t now, struct sign_screen *sc, struct err *e)
{
    const struct jurisdiction *j = f->rules;
    return OPS(f)->signature_recent(f->store, petition_id, rq->rate_key,
                                    now - j->rate_burst_seconds + 1,
                                    now - j->rate_sustained_seconds + 1, &sc->burst_seen,
                                    &sc->sustained_seen, e);
}

/* Another attempt with a known address: a fresh confirmation while it is
 * pending, else "you have already signed"; nothing past the cap. */
static int
repeat(const struct flow *f, struct arena *a, int64_t petition_id, const char *key,
       enum lang lang, int64_t now, struct err *e)
{
    struct signature_record g;
    int r = OPS(f)->signature_find(f->store, a, petition_id, key, &g, e);
    if (r || g.mails >= SIGNATURE_MAILS_MAX)
        return r;
    g.mails++;
    if ((r = OPS(f)->signature_update(f->store, &g, e)))
        return r;
    /* In the language of this attempt's page. */
    return mail_signer(f, a, &g, g.confirmed_at ? SIGN_MAIL_ALREADY : SIGN_MAIL_AGAIN, lang,
                       now, e);
}

int
sign_check(const struct sign_request *rq, char key[EMAIL_MAX + 1], struct field_errors *fe,
           struct err *e)
{
    const struct person *who = &rq->person;
    person_check(who, PERSON_NAME | PERSON_EMAIL | PERSON_ADDRESS | PERSON_PHONE |
                          PERSON_DECLARATIONS,
                 fe);
    if (fe->count)
        return flow_invalid(fe, e);
    if (email_key(who->email, strlen(who->email), key))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "checked address has no key");
    return 0;
}

int
sign_write(const struct flow *f, struct sign_txn *t, long e_number, const struct sign_request *rq,
           const char *key, int64_t now, struct err *e)
{
    const struct person *who = &rq->person;
    const struct petition_brief *p;
    int r;

    if ((r = txn_brief(f, t, 0, e_number, &p, e))) {
        if (r == ERR_NOT_FOUND)
            err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no such petition");
        return r;
    }
    if (!petition_state_is_public(p->state) || p->kind != PETITION_ELECTRONIC)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not published");
    if (!petition_signable(p->state, p->closes_at, now))
        return flow_conflict(e, "sign.closed");

    struct sign_screen sc = {0};
    if ((r = screen_lists(f, t, rq, &sc, e)) ||
        (!sc.allowed && !sc.blocked && (r = screen_rates(f, p->id, rq, now, &sc, e))))
        return r;
    enum sign_flag flag = sign_screen_flag(&sc, f->rules);
    char postal[8];
    bool canada = country_is_canada(who->country);
    struct signature_record g = {
        .petition_id = p->id,
        .email_key = key,
        .email = who->email,
        .first_name = who->first_name,
        .last_name = who->last_name,
        .country = canada ? "Canada" : who->country,
        .region = person_region(who),
        .postal_code = who->postal_code,
        .phone = who->phone,
        .lang = rq->lang,
        .ip = rq->ip,
        .rate_key = rq->rate_key,
        .created_at = now,
        .review = flag == SIGN_FLAG_NONE ? REVIEW_CLEAR : REVIEW_SUSPECT,
        .flag = sign_flag_name(flag),
        .mails = 1,
    };
    /* The House's form of a Canadian code ("K1A 0A6"). */
    if (canada && postal_code_parse(who->postal_code, strlen(who->postal_code), postal, NULL) == 0)
        g.postal_code = postal;
    r = OPS(f)->signature_insert(f->store, &g, e);
    if (r == ERR_CONFLICT) {
        *e = (struct err)ERR_INIT;
        return repeat(f, t->a, p->id, key, rq->lang, now, e);
    }
    if (r)
        return r;
    return mail_signer(f, t->a, &g, SIGN_MAIL_CONFIRM, g.lang, now, e);
}

int
sign_submit(const struct flow *f, struct arena *a, long e_number,
            const struct sign_request *rq, struct field_errors *fe, int64_t now,
            struct err *e)
{
    char key[EMAIL_MAX + 1];
    struct sign_txn t;
    int r;

    if ((r = sign_check(rq, key, fe, e)))
        return r;
    if ((r = flow_begin(f, e)))
        return r;
    sign_txn_init(&t, a, now);
    r = sign_write(f, &t, e_number, rq, key, now, e);
    return flow_finish(f, r, e);
}

/* ---- confirming ------------------------------------------------------------------------ */

bool
sign_token_ok(const struct flow *f, int64_t id, const char *token)
{
    char want[TOKEN_MAC_CHARS + 1];
    sign_token(f, id, want);
    return token && token_equal(want, token);
}

int
sign_link(const struct flow *f, struct arena *a, int64_t id, const char *token,
          struct signature_record *g, struct petition_brief *p, struct err *e)
{
    if (!sign_token_ok(f, id, token) ||
        OPS(f)->signature_get(f->store, a, id, g, e) ||
        OPS(f)->petition_brief(f->store, g->petition_id, 0, p, e))
        return err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "bad signature link");
    return 0;
}

int
sign_confirm_write(const struct flow *f, struct sign_txn *t, int64_t id, bool *already,
                   int64_t now, struct err *e)
{
    struct signature_record g;
    const struct petition_brief *p;
    int r;

    *already = false;
    if ((r = OPS(f)->signature_get(f->store, t->a, id, &g, e))) {
        if (r == ERR_NOT_FOUND)
            err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "no signature %lld", (long long)id);
        return r;
    }
    if (g.confirmed_at) {
        *already = true;
        return 0;
    }
    if ((r = txn_brief(f, t, g.petition_id, 0, &p, e)))
        return r;
    if (!signature_confirmable(p->state, p->closes_at,
                               petition_grace_hours(p->grace_hours, f->rules), now))
        return err_set(e, ERR_GONE, "sign.too_late", NULL, "confirmation after the grace");
    int delta = signature_count_delta(0, g.review, now, g.review);
    g.confirmed_at = now;
    if ((r = OPS(f)->signature_update(f->store, &g, e)))
        return r;
    txn_delta(t, p->id, g.region, delta);
    return 0;
}

int
sign_confirm(const struct flow *f, struct arena *a, int64_t id, const char *token,
             bool *already, int64_t now, struct err *e)
{
    struct sign_txn t;
    int r;

    *already = false;
    if (!sign_token_ok(f, id, token))
        return err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "bad signature link");
    if ((r = flow_begin(f, e)))
        return r;
    sign_txn_init(&t, a, now);
    if (!(r = sign_confirm_write(f, &t, id, already, now, e)))
        r = sign_txn_flush(f, &t, e);
    return flow_finish(f, r, e);
}

/* ---- the Clerk's review ------------------------------------------------------------------ */

static bool
reviewable(enum petition_state s)
{
    return s == PETITION_OPEN || s == PETITION_WAITING_FOR_CERTIFICATION;
}

bool
sign_reviewable(enum petition_state s)
{
    return reviewable(s);
}

/* Move one signature to review `to`, with its count; inside a transaction. */
static int
apply_review(const struct flow *f, struct signature_record *g, const struct user *clerk,
             enum signature_review to, const char *reason, int64_t now, struct err *e)
{
    int delta = signature_count_delta(g->confirmed_at, g->review, g->confirmed_at, to);
    g->review = to;
    g->review_note = reason && *reason ? reason : NULL;
    g->reviewed_at = now;
    g->reviewed_by = clerk->id;
    int r = OPS(f)->signature_update(f->store, g, e);
    if (!r)
        r = OPS(f)->petition_count_add(f->store, g->petition_id, g->region, delta, now, e);
    return r;
}

static int
check_review(const struct user *clerk, enum signature_review to, struct err *e)
{
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if (to != REVIEW_VALIDATED && to != REVIEW_INVALIDATED)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "review to %d", (int)to);
    return 0;
}

/* The audit action of a review. */
static const char *
review_action(enum signature_review to, bool bulk)
{
    if (to == REVIEW_VALIDATED)
        return bulk ? "signature.validate_bulk" : "signature.validate";
    return bulk ? "signature.invalidate_bulk" : "signature.invalidate";
}

int
sign_review(const struct flow *f, struct arena *a, const struct user *clerk, int64_t id,
            enum signature_review to, const char *reason, int64_t now, struct err *e)
{
    struct signature_record g;
    struct petition_brief p;
    int r;

    if ((r = check_review(clerk, to, e)) || (r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->signature_get(f->store, a, id, &g, e)) ||
        (r = OPS(f)->petition_brief(f->store, g.petition_id, 0, &p, e)))
        goto out;
    if (!reviewable(p.state)) {
        r = flow_conflict(e, "sign.review_closed");
        goto out;
    }
    json_t *details = json_pack("{sI}", "signature", (json_int_t)id);
    r = flow_audit(f, clerk, review_action(to, false), p.id, number_text(a, p.e_number), reason,
                   details, now, e);
    json_decref(details);
    if (!r)
        r = apply_review(f, &g, clerk, to, reason, now, e);
out:
    return flow_finish(f, r, e);
}

int
sign_review_held(const struct flow *f, struct arena *a, const struct user *clerk,
                 int64_t petition_id, enum signature_review to, int *changed, int64_t now,
                 struct err *e)
{
    struct petition_brief p;
    int r;

    *changed = 0;
    if ((r = check_review(clerk, to, e)) || (r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_brief(f->store, petition_id, 0, &p, e)))
        goto out;
    if (!reviewable(p.state)) {
        r = flow_conflict(e, "sign.review_closed");
        goto out;
    }
    struct signature_stats stats;
    if ((r = OPS(f)->signature_stats(f->store, petition_id, &stats, e)))
        goto out;
    json_t *details = json_pack("{sssI}", "which", "held", "count", (json_int_t)stats.suspect);
    r = flow_audit(f, clerk, review_action(to, true), p.id, number_text(a, p.e_number), NULL,
                   details, now, e);
    json_decref(details);
    if (r)
        goto out;
    /* The held ones leave the list as they are reviewed: read from the top. */
    for (;;) {
        struct signature_record *list;
        int n;
        struct signature_query q = {.petition_id = petition_id, .has_review = true,
                                    .review = REVIEW_SUSPECT, .limit = 500};
        if ((r = OPS(f)->signature_list(f->store, a, &q, &list, &n, e)) || n == 0)
            break;
        for (int i = 0; i < n && !r; i++)
            r = apply_review(f, &list[i], clerk, to, NULL, now, e);
        if (r)
            break;
        *changed += n;
    }
out:
    return flow_finish(f, r, e);
}

/* ---- review by condition (rulebook 11.7) ------------------------------------------------- */

/* Rows a bulk review reads at a time, each page in an arena of its own. */
enum { BULK_PAGE = 500 };

/* The search whose rows a bulk review to `to` may change; false when none
 * can.  *minus_invalidated when the matches already invalidated must be
 * subtracted from its count (an invalidation with no state condition:
 * the filter cannot say "not invalidated"). */
static bool
bulk_filter(const struct signature_filter *flt, enum signature_review to,
            struct signature_filter *eff, bool *minus_invalidated)
{
    *eff = *flt;
    *minus_invalidated = false;
    if (to == REVIEW_VALIDATED) {
        if (flt->has_review && flt->review != REVIEW_SUSPECT)
            return false;
        eff->has_review = true;
        eff->review = REVIEW_SUSPECT;
        return true;
    }
    if (flt->has_review)
        return flt->review != REVIEW_INVALIDATED;
    /* "pending" already leaves the invalidated ones out. */
    *minus_invalidated = !flt->pending;
    return true;
}

/* Whether a bulk review to `to` changes g. */
static bool
bulk_changes(const struct signature_record *g, enum signature_review to)
{
    return to == REVIEW_VALIDATED ? g->review == REVIEW_SUSPECT : g->review != REVIEW_INVALIDATED;
}

int
sign_bulk_count(const struct flow *f, const struct signature_filter *flt, enum signature_review to,
                int64_t *n, struct err *e)
{
    struct signature_filter eff;
    bool minus;
    int64_t gone = 0;
    int r;

    *n = 0;
    if (to != REVIEW_VALIDATED && to != REVIEW_INVALIDATED)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "review to %d", (int)to);
    if (!bulk_filter(flt, to, &eff, &minus))
        return 0;
    if ((r = OPS(f)->signature_search_count(f->store, &eff, n, e)))
        return r;
    if (minus) {
        eff.has_review = true;
        eff.review = REVIEW_INVALIDATED;
        if ((r = OPS(f)->signature_search_count(f->store, &eff, &gone, e)))
            return r;
        *n -= gone;
    }
    return 0;
}

/* The filter as the audit record keeps it. */
static json_t *
filter_json(const struct signature_filter *flt)
{
    json_t *o = json_object();
    if (flt->domain && *flt->domain)
        json_object_set_new(o, "domain", json_string(flt->domain));
    if (flt->network && *flt->network)
        json_object_set_new(o, "network", json_string(flt->network));
    if (flt->postal_prefix && *flt->postal_prefix)
        json_object_set_new(o, "postal_prefix", json_string(flt->postal_prefix));
    if (flt->from)
        json_object_set_new(o, "from", json_integer(flt->from));
    if (flt->to)
        json_object_set_new(o, "to", json_integer(flt->to));
    if (flt->pending)
        json_object_set_new(o, "state", json_string("pending"));
    else if (flt->has_review)
        json_object_set_new(o, "state", json_string(signature_review_name(flt->review)));
    return o;
}

/* Review every row of eff that a bulk review changes, a page at a time
 * (keyset: rows leave a state filter as they are reviewed). */
static int
bulk_apply(const struct flow *f, const struct user *clerk, const struct signature_filter *eff,
           enum signature_review to, const char *reason, int *changed, int64_t now, struct err *e)
{
    int64_t after = 0;
    int r = 0;
    for (;;) {
        struct arena *page = arena_new();
        struct signature_record *list;
        int n;
        r = OPS(f)->signature_search(f->store, page, eff, after, BULK_PAGE, &list, &n, e);
        for (int i = 0; i < n && !r; i++) {
            if (!bulk_changes(&list[i], to))
                continue;
            r = apply_review(f, &list[i], clerk, to, reason, now, e);
            (*changed)++;
        }
        if (n > 0)
            after = list[n - 1].id;
        arena_free(page);
        if (r || n < BULK_PAGE)
            return r;
    }
}

int
sign_review_bulk(const struct flow *f, struct arena *a, const struct user *clerk,
                 const struct signature_filter *flt, enum signature_review to, const char *reason,
                 int64_t expected, int *changed, int64_t now, struct err *e)
{
    struct field_errors fe = {0};
    struct petition_brief p;
    struct signature_filter eff;
    bool minus;
    int64_t n;
    int r;

    *changed = 0;
    if ((r = check_review(clerk, to, e)))
        return r;
    check_text(&fe, "reason", reason ? reason : "", SIGN_REASON_MAX, to == REVIEW_INVALIDATED);
    if (fe.count) {
        const char *key = fe.items[0].key;
        if (strcmp(key, "field.required") == 0)
            key = "review_tools.reason_required";
        return err_set(e, ERR_INVALID, key, "reason", "bulk review: reason refused");
    }
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_brief(f->store, flt->petition_id, 0, &p, e)))
        goto out;
    if (!reviewable(p.state)) {
        r = flow_conflict(e, "sign.review_closed");
        goto out;
    }
    /* The count the Clerk previewed must still hold, in this transaction. */
    if ((r = sign_bulk_count(f, flt, to, &n, e)))
        goto out;
    if (n != expected) {
        r = flow_conflict(e, "review_tools.count_changed");
        goto out;
    }
    if (n == 0 || !bulk_filter(flt, to, &eff, &minus))
        goto out; /* nothing to change, nothing to record */
    json_t *details = json_object();
    json_object_set_new(details, "filter", filter_json(flt));
    json_object_set_new(details, "count", json_integer(n));
    r = flow_audit(f, clerk, review_action(to, true), p.id, number_text(a, p.e_number),
                   reason && *reason ? reason : NULL, details, now, e);
    json_decref(details);
    if (r)
        goto out;
    if ((r = bulk_apply(f, clerk, &eff, to, reason, changed, now, e)))
        goto out;
    if (*changed != n)
        r = err_set(e, ERR_INTERNAL, "error.internal", NULL, "bulk review changed %d of %lld",
                    *changed, (long long)n);
out:
    r = flow_finish(f, r, e);
    if (r)
        *changed = 0;
    return r;
}

/* ---- closing and certification -------------------------------------------------------------- */

/* The petitioner of a published petition, by its draft (none for imported records). */
static int
mail_petitioner_of(const struct flow *f, struct arena *a, const struct petition_brief *b,
                   const char *kind, json_t *vars, int64_t now, struct err *e)
{
    struct draft_record d;
    if (!b->draft_id)
        return 0;
    int r = OPS(f)->draft_get(f->store, a, b->draft_id, &d, e);
    return r ? r : flow_mail_petitioner(f, a, &d, kind, vars, now, e);
}

static json_t *
closing_vars(const struct flow *f, struct arena *a, const struct petition_brief *b)
{
    json_t *vars = json_object();
    const char *num = number_text(a, b->e_number);
    json_object_set_new(vars, "number", json_string(num));
    json_object_set_new(vars, "total", json_integer(b->total));
    json_object_set_new(vars, "threshold", json_integer(petition_threshold(b->certify_threshold, f->rules)));
    json_object_set_new(vars, "url_en", json_string(petition_url(f, a, LANG_EN, b->e_number)));
    json_object_set_new(vars, "url_fr", json_string(petition_url(f, a, LANG_FR, b->e_number)));
    return vars;
}

static int
not_certified(const struct flow *f, struct arena *a, const struct petition_brief *b,
              int64_t now, struct err *e)
{
    int r = OPS(f)->petition_set_state(f->store, b->id, PETITION_NOT_CERTIFIED, now, e);
    if (r)
        return r;
    json_t *vars = closing_vars(f, a, b);
    r = mail_petitioner_of(f, a, b, "not-certified", vars, now, e);
    json_decref(vars);
    return r;
}

/* One petition's due timer, in its own transaction; *acted when it changed. */
static int
apply_closing(const struct flow *f, struct arena *a, int64_t id, int64_t now, bool *acted,
              struct err *e)
{
    struct petition_brief b;
    struct signature_stats st = {0};
    int r;

    *acted = false;
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_brief(f->store, id, 0, &b, e)))
        goto out;
    if (b.state == PETITION_WAITING_FOR_CERTIFICATION &&
        (r = OPS(f)->signature_stats(f->store, id, &st, e)))
        goto out;
    struct closing_timers t = sign_timers(f, &b, st.suspect_confirmed);
    switch (closing_due(&t, now)) {
    case CLOSING_CLOSE:
        *acted = true;
        r = OPS(f)->petition_set_state(f->store, id, PETITION_WAITING_FOR_CERTIFICATION,
                                       b.closes_at, e);
        break;
    case CLOSING_NOT_CERTIFIED:
        *acted = true;
        r = not_certified(f, a, &b, now, e);
        break;
    case CLOSING_QUEUE:
        *acted = true;
        r = OPS(f)->petition_set_queued(f->store, id, now, e);
        break;
    case CLOSING_NOTHING:
        break;
    }
out:
    return flow_finish(f, r, e);
}

int
sign_closing(const struct flow *f, int64_t now, int *acted, struct err *e)
{
    struct arena *a = arena_new();
    struct petition_brief *list;
    int n, r;

    *acted = 0;
    r = OPS(f)->petition_closing(f->store, a, now, &list, &n, e);
    for (int i = 0; i < n && !r; i++) {
        /* Closing and the end of the grace may both be due after a pause. */
        for (int step = 0; step < 2 && !r; step++) {
            bool did;
            r = apply_closing(f, a, list[i].id, now, &did, e);
            *acted += did;
            if (!did)
                break;
        }
    }
    arena_free(a);
    return r;
}

/* The Clerk's decision on a petition in the certification queue. */
static int
decide(const struct flow *f, struct arena *a, const struct user *clerk, int64_t petition_id,
       bool certify, int64_t now, struct err *e)
{
    struct petition_brief b;
    struct signature_stats st;
    int r;

    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_brief(f->store, petition_id, 0, &b, e)) ||
        (r = OPS(f)->signature_stats(f->store, petition_id, &st, e)))
        goto out;
    struct closing_timers t = sign_timers(f, &b, st.suspect_confirmed);
    const char *why = certify ? certification_blocker(&t, st.suspect) : refusal_blocker(&t);
    struct house_status h;
    if (!why && certify) {
        /* Certification waits for the next session (rulebook 11.13). */
        if ((r = OPS(f)->house_status(f->store, &h, e)))
            goto out;
        why = house_blocks_presentation(&h);
    }
    if (why) {
        r = flow_conflict(e, why);
        goto out;
    }
    if ((r = flow_audit(f, clerk, certify ? "petition.certify" : "petition.not_certified", b.id,
                        number_text(a, b.e_number), NULL, NULL, now, e)))
        goto out;
    if (!certify) {
        r = not_certified(f, a, &b, now, e);
        goto out;
    }
    if ((r = OPS(f)->petition_set_state(f->store, b.id, PETITION_CERTIFIED, now, e)) ||
        (r = OPS(f)->petition_set_certified(f->store, b.id, now, e)))
        goto out;
    const char *num = number_text(a, b.e_number);
    json_t *vars = closing_vars(f, a, &b);
    json_object_set_new(vars, "certified", json_string(flow_date_text(a, now, LANG_EN)));
    json_object_set_new(vars, "certified_fr", json_string(flow_date_text(a, now, LANG_FR)));
    for (int l = 0; l < LANG_COUNT; l++)
        json_object_set_new(vars, l == LANG_EN ? "certificate_en" : "certificate_fr",
                            json_string(arena_printf(a, "%s/%s/petitions/%s/certificate",
                                                     f->mailer->base_url,
                                                     lang_code((enum lang)l), num)));
    if (b.authorizing_member_id)
        r = flow_mail_member(f, a, b.authorizing_member_id, "certificate", vars, now, e);
    if (!r)
        r = mail_petitioner_of(f, a, &b, "certified", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, r, e);
}

int
sign_certify(const struct flow *f, struct arena *a, const struct user *clerk,
             int64_t petition_id, int64_t now, struct err *e)
{
    return decide(f, a, clerk, petition_id, true, now, e);
}

int
sign_not_certify(const struct flow *f, struct arena *a, const struct user *clerk,
                 int64_t petition_id, int64_t now, struct err *e)
{
    return decide(f, a, clerk, petition_id, false, now, e);
}

/* ---- allow and block lists --------------------------------------------------------------- */

int
sign_rule_add(const struct flow *f, const struct user *clerk, bool block, bool domain,
              const char *value, const char *note, struct field_errors *fe, int64_t now,
              struct err *e)
{
    char canon[EMAIL_MAX + 1];
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    const char *v = value ? value : "";
    if (domain) {
        /* A domain is what may follow the @ of an address we accept. */
        char probe[EMAIL_MAX + 3];
        snprintf(probe, sizeof(probe), "x@%s", v);
        if (!*v || strlen(v) > EMAIL_MAX - 2 || !email_valid(probe, strlen(probe)) ||
            email_account_key(probe, strlen(probe), canon))
            field_error(fe, "value", "rules.domain_bad");
    } else {
        struct netrange net;
        if (netrange_parse(v, &net))
            field_error(fe, "value", "rules.network_bad");
        else
            netrange_format(&net, canon);
    }
    check_line(fe, "note", note, 200, false);
    if (fe->count)
        return flow_invalid(fe, e);
    struct signing_rule rule = {
        .block = block,
        .domain = domain,
        .value = domain ? canon + 2 : canon,
        .note = note,
        .created_at = now,
        .created_by = clerk->id,
    };
    int r = flow_begin(f, e);
    if (r)
        return r;
    json_t *details = json_pack("{ssss}", "list", block ? "block" : "allow", "value", rule.value);
    r = flow_audit(f, clerk, "rule.add", 0, rule.value, note, details, now, e);
    json_decref(details);
    if (!r)
        r = OPS(f)->signing_rule_insert(f->store, &rule, e);
    r = flow_finish(f, r, e);
    if (r == ERR_CONFLICT) {
        field_error(fe, "value", "rules.duplicate");
        return flow_invalid(fe, e);
    }
    return r;
}

int
sign_rule_remove(const struct flow *f, const struct user *clerk, int64_t id, int64_t now,
                 struct err *e)
{
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    int r = flow_begin(f, e);
    if (r)
        return r;
    json_t *details = json_pack("{sI}", "rule", (json_int_t)id);
    r = flow_audit(f, clerk, "rule.remove", 0, NULL, NULL, details, now, e);
    json_decref(details);
    if (!r)
        r = OPS(f)->signing_rule_delete(f->store, id, e);
    return flow_finish(f, r, e);
}

/* ---- reconciliation ------------------------------------------------------------------------ */

/* Compare a recount with the stored counts; returns the regions off and
 * the expected total. */
static int
drift_of(const struct petition_recount *rc, int64_t *expected)
{
    int off = 0;
    *expected = 0;
    for (int i = 0; i < REGION_COUNT; i++) {
        int64_t want = rc->base[i] + rc->rows[i];
        *expected += want;
        off += rc->stored[i] != want;
    }
    return off;
}

static int
fix_one(const struct flow *f, int64_t id, struct err *e)
{
    struct petition_recount rc;
    int r = flow_begin(f, e);
    if (r)
        return r;
    if (!(r = OPS(f)->petition_recount(f->store, id, &rc, e)))
        r = OPS(f)->petition_counts_fix(f->store, id, &rc, e);
    return flow_finish(f, r, e);
}

int
counts_check(const struct flow *f, struct arena *a, bool fix, int64_t now,
             struct count_drift **out, int *n, int *checked, struct err *e)
{
    int64_t *ids;
    int count, r;

    *n = 0;
    *checked = 0;
    if ((r = OPS(f)->petition_e_ids(f->store, a, &ids, &count, e)))
        return r;
    *out = arena_alloc(a, sizeof(**out) * (size_t)(count ? count : 1));
    for (int i = 0; i < count; i++) {
        struct petition_recount rc;
        struct petition_brief b;
        int64_t expected;
        if ((r = OPS(f)->petition_recount(f->store, ids[i], &rc, e)) ||
            (r = OPS(f)->petition_brief(f->store, ids[i], 0, &b, e)))
            return r;
        (*checked)++;
        int off = drift_of(&rc, &expected);
        int64_t sum = 0;
        for (int k = 0; k < REGION_COUNT; k++)
            sum += rc.stored[k];
        if (!off && rc.stored_total == expected && sum == expected)
            continue;
        (*out)[(*n)++] = (struct count_drift){
            .petition_id = ids[i],
            .e_number = b.e_number,
            .stored_total = rc.stored_total,
            .expected_total = expected,
            .regions_off = off,
        };
        if (fix && (r = fix_one(f, ids[i], e)))
            return r;
    }
    char summary[128];
    snprintf(summary, sizeof(summary), "{\"at\":%lld,\"petitions\":%d,\"drifted\":%d}",
             (long long)now, *checked, *n);
    return OPS(f)->meta_set(f->store, "counts_check", summary, e);
}
