/*
 * signing.c: signing an open petition and confirming a signature, with
 * the transaction the intake writer batches them in and the e-mails they
 * cause; see signing.h.
 */
#include "workflow/signing.h"

#include <stdio.h>
#include <string.h>

#include "core/email.h"
#include "core/netaddr.h"
#include "core/petition.h"
#include "core/postal.h"
#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* ---- e-mail ------------------------------------------------------------------------ */

void
sign_token(const struct flow *f, int64_t signature_id, char out[TOKEN_MAC_CHARS + 1])
{
    flow_link_mac(f, "sign", signature_id, out);
}

/* The values every e-mail about a published petition has, in lang:
 * number, subject, heading, prayer, url; *out is the caller's to release.
 * Returns 0 or the store's error (reading the heading). */
static int
petition_vars(const struct flow *f, struct arena *a, const struct petition *p, enum lang lang,
              json_t **out, struct err *e)
{
    struct draft_text t = {
        .addressee = p->addressee,
        .ministry_code = p->addressee_ministry.code,
        .addressee_member_key = p->addressee_member.key,
    };
    const char *heading;
    int r = flow_addressee_heading_in(f, NULL, a, &t, lang, &heading, e);
    if (r)
        return r;
    json_t *vars = json_object();
    json_object_set_new(vars, "number", json_string(flow_number_text(a, p->e_number)));
    if (p->subject.id)
        json_object_set_new(vars, "subject", json_string(p->subject.name[lang]));
    json_object_set_new(vars, "heading", json_string(heading));
    json_object_set_new(vars, "prayer", json_string(p->prayer[lang] ? p->prayer[lang] : ""));
    json_object_set_new(vars, "url", json_string(flow_petition_url(f, a, lang, p->e_number)));
    *out = vars;
    return 0;
}

/* An e-petition as its e-mails show it, read outside any transaction. */
static int
load_petition(const struct flow *f, struct arena *a, long e_number, struct petition *p,
              struct err *e)
{
    struct petition_number n = {.kind = PETITION_NUMBER_E, .e_number = e_number};
    return store_petition_get(f->store, NULL, a, &n, p, e);
}

/* Queue the e-mail about g (its text is rendered when it is sent). */
static int
mail_signer(const struct flow *f, struct store_txn *tx, struct arena *a,
            const struct signature_record *g, const char *kind, enum lang lang, int64_t now,
            struct err *e)
{
    return outbox_queue_later(f, tx, kind, lang, g->email,
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

    r = store_signature_get(f->store, NULL, a, m->signature_id, &g, e);
    if (r == ERR_NOT_FOUND || (!r && (!g.email || !g.email[0]))) {
        *e = (struct err)ERR_INIT;
        return err_set(e, ERR_GONE, "error.gone", NULL, "signature %lld erased",
                       (long long)m->signature_id);
    }
    if (r)
        return r;
    if ((r = store_petition_brief(f->store, NULL, g.petition_id, 0, &b, e)) ||
        (r = load_petition(f, a, b.e_number, &p, e)))
        return r;
    enum lang lang = m->lang;
    json_t *vars;
    if ((r = petition_vars(f, a, &p, lang, &vars, e)))
        return r;
    const char *kind = "signature-confirm";
    json_object_set_new(vars, "name", json_string(m->to_name ? m->to_name : ""));
    if (g.confirmed_at) {
        /* Confirmed by the time it goes: say so rather than send a link. */
        kind = "signature-already";
        json_object_set_new(vars, "signed", json_string(flow_date_text(a, g.confirmed_at, lang)));
    } else {
        sign_token(f, g.id, tok);
        json_object_set_new(vars, "again", json_boolean(strcmp(m->kind, SIGN_MAIL_AGAIN) == 0));
        json_object_set_new(vars, "closes", json_string(flow_date_text(a, p.closes_at, lang)));
        json_object_set_new(
            vars, "link",
            json_string(arena_printf(a, "%s/%s/signatures/%lld?t=%s", f->mailer->base_url,
                                     lang_code(lang), (long long)g.id, tok)));
        if (f->log_signed)
            json_object_set_new(vars, "receipt",
                                json_string(arena_printf(a, "%s%s", f->mailer->base_url,
                                                         log_receipt_path(f, a, g.id))));
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
    log_txn_init(&t->log, a);
}

/* The brief of a petition by id, or by e-number when id is 0. */
static int
txn_brief(const struct flow *f, struct store_txn *tx, struct sign_txn *t, int64_t id, long e_number,
          const struct petition_brief **out, struct err *e)
{
    for (int i = 0; i < t->brief_count; i++) {
        if ((id && t->briefs[i].id == id) || (!id && t->briefs[i].e_number == e_number)) {
            *out = &t->briefs[i];
            return 0;
        }
    }
    struct petition_brief b;
    int r = store_petition_brief(f->store, tx, id, e_number, &b, e);
    if (r)
        return r;
    if (t->brief_count == SIGN_TXN_BRIEFS)
        t->brief_count = 0; /* a batch over many petitions: forget the oldest */
    t->briefs[t->brief_count] = b;
    *out = &t->briefs[t->brief_count++];
    return 0;
}

/* Move petition_id's count in region by delta in the batch's changes. */
static void
add_delta(struct sign_txn *t, int64_t petition_id, enum region region, int delta)
{
    for (int i = 0; i < t->delta_count; i++) {
        if (t->deltas[i].petition_id == petition_id && t->deltas[i].region == region) {
            t->deltas[i].delta += delta;
            return;
        }
    }
    if (t->delta_count == t->delta_cap) {
        int cap = t->delta_cap ? 2 * t->delta_cap : 16;
        struct count_delta *d = arena_alloc(t->a, (size_t)cap * sizeof(*d));
        if (t->delta_count)
            memcpy(d, t->deltas, (size_t)t->delta_count * sizeof(*d));
        t->deltas = d;
        t->delta_cap = cap;
    }
    t->deltas[t->delta_count++] = (struct count_delta){petition_id, region, delta};
}

/* Move petition_id's count in region by delta, written by sign_txn_flush();
 * inside a job, once the job is kept. */
static void
txn_delta(struct sign_txn *t, int64_t petition_id, enum region region, int delta)
{
    if (!delta)
        return;
    if (!t->in_job) {
        add_delta(t, petition_id, region, delta);
        return;
    }
    if (t->job_count == SIGN_JOB_DELTAS)
        die("sign_txn: more than %d count changes in one job", SIGN_JOB_DELTAS);
    t->job[t->job_count++] = (struct count_delta){petition_id, region, delta};
}

void
sign_txn_job_begin(struct sign_txn *t)
{
    t->in_job = true;
    t->job_count = 0;
    log_txn_job_begin(&t->log);
}

void
sign_txn_job_end(struct sign_txn *t, bool keep)
{
    t->in_job = false;
    for (int i = 0; keep && i < t->job_count; i++)
        add_delta(t, t->job[i].petition_id, t->job[i].region, t->job[i].delta);
    t->job_count = 0;
    log_txn_job_end(&t->log, keep);
}

int
sign_txn_flush(struct store_txn *tx, struct sign_txn *t, struct err *e)
{
    /* Changes that add up to nothing move nothing. */
    int n = 0;
    for (int i = 0; i < t->delta_count; i++)
        if (t->deltas[i].delta)
            t->deltas[n++] = t->deltas[i];
    t->delta_count = n;
    int r = store_petition_count_add_many(tx, t->deltas, n, t->now, e);
    if (!r)
        r = log_txn_flush(tx, &t->log, e);
    return r;
}

/* ---- signing ------------------------------------------------------------------------ */

/* Whether the client's address or the e-mail's domain is on the lists. */
static int
screen_lists(const struct flow *f, struct store_txn *tx, struct sign_txn *t,
             const struct sign_request *rq, struct sign_screen *sc, struct err *e)
{
    struct netaddr ip;
    int r;
    if (!t->rules_read) {
        if ((r = store_signing_rule_list(f->store, tx, t->a, &t->rules, &t->rule_count, e)))
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
screen_rates(const struct flow *f, struct store_txn *tx, int64_t petition_id,
             const struct sign_request *rq, int64_t now, struct sign_screen *sc, struct err *e)
{
    const struct jurisdiction *j = f->rules;
    return store_signature_recent(
        f->store, tx, petition_id, rq->rate_key, now - j->rate_burst_seconds + 1,
        now - j->rate_sustained_seconds + 1, &sc->burst_seen, &sc->sustained_seen, e);
}

/* Another attempt with a known address: a fresh confirmation while it is
 * pending, else "you have already signed"; nothing past the cap. */
static int
repeat(const struct flow *f, struct store_txn *tx, struct arena *a, int64_t petition_id,
       const char *key, enum lang lang, int64_t now, struct err *e)
{
    struct signature_record g;
    int r = store_signature_find(f->store, tx, a, petition_id, key, &g, e);
    if (r || g.mails >= SIGNATURE_MAILS_MAX)
        return r;
    g.mails++;
    if ((r = store_signature_update(tx, &g, e)))
        return r;
    /* In the language of this attempt's page. */
    return mail_signer(f, tx, a, &g, g.confirmed_at ? SIGN_MAIL_ALREADY : SIGN_MAIL_AGAIN, lang,
                       now, e);
}

int
sign_check(const struct sign_request *rq, char key[EMAIL_MAX + 1], struct field_errors *fe,
           struct err *e)
{
    const struct person *who = &rq->person;
    person_check(
        who, PERSON_NAME | PERSON_EMAIL | PERSON_ADDRESS | PERSON_PHONE | PERSON_DECLARATIONS, fe);
    if (fe->count)
        return flow_invalid(fe, e);
    if (email_key(who->email, strlen(who->email), key))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "checked address has no key");
    return 0;
}

/* The refusal of a pause: nothing is written, and a confirmation link
 * stays good for later. */
static int
sign_paused(const struct petition_brief *p, struct err *e)
{
    return err_set(e, ERR_UNAVAILABLE, "sign.paused", NULL, "signing of e-%ld paused", p->e_number);
}

/* Whether petition p takes a signature now: 0, or the refusal
 * (ERR_NOT_FOUND, ERR_CONFLICT "sign.closed", ERR_UNAVAILABLE
 * "sign.paused"). */
static int
sign_open(const struct petition_brief *p, int64_t now, struct err *e)
{
    if (!petition_state_is_public(p->state) || p->kind != PETITION_ELECTRONIC)
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not published");
    if (!petition_signable(p->state, p->closes_at, now))
        return flow_conflict(e, "sign.closed");
    if (p->signing_paused)
        return sign_paused(p, e);
    return 0;
}

/* The brief of e-petition e_number; ERR_NOT_FOUND (a refusal) when none. */
static int
sign_brief(const struct flow *f, struct store_txn *tx, struct sign_txn *t, long e_number,
           const struct petition_brief **out, struct err *e)
{
    int r = txn_brief(f, tx, t, 0, e_number, out, e);
    if (r == ERR_NOT_FOUND)
        err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "no such petition");
    return r;
}

/* The row of a new signature to petition_id, held when flag says so;
 * postal keeps the House's form of a Canadian code ("K1A 0A6"). */
static void
sign_record(int64_t petition_id, const struct sign_request *rq, const char *key, int64_t now,
            enum sign_flag flag, char postal[8], struct signature_record *g)
{
    const struct person *who = &rq->person;
    bool canada = country_is_canada(who->country);
    *g = (struct signature_record){
        .petition_id = petition_id,
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
    if (canada && postal_code_parse(who->postal_code, strlen(who->postal_code), postal, NULL) == 0)
        g->postal_code = postal;
}

int
sign_write(const struct flow *f, struct store_txn *tx, struct sign_txn *t, long e_number,
           const struct sign_request *rq, const char *key, int64_t now, struct err *e)
{
    const struct petition_brief *p = NULL;
    struct signature_record g;
    char postal[8];
    int r;

    if ((r = sign_brief(f, tx, t, e_number, &p, e)) || (r = sign_open(p, now, e)))
        return r;
    struct sign_screen sc = {0};
    if ((r = screen_lists(f, tx, t, rq, &sc, e)) ||
        (!sc.allowed && !sc.blocked && (r = screen_rates(f, tx, p->id, rq, now, &sc, e))))
        return r;
    sign_record(p->id, rq, key, now, sign_screen_flag(&sc, f->rules), postal, &g);
    r = store_signature_insert(tx, &g, e);
    if (r == ERR_CONFLICT) {
        *e = (struct err)ERR_INIT;
        return repeat(f, tx, t->a, p->id, key, rq->lang, now, e);
    }
    if (r)
        return r;
    return mail_signer(f, tx, t->a, &g, SIGN_MAIL_CONFIRM, g.lang, now, e);
}

int
sign_submit(const struct flow *f, struct arena *a, long e_number, const struct sign_request *rq,
            struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    char key[EMAIL_MAX + 1];
    struct sign_txn t;
    int r;

    if ((r = sign_check(rq, key, fe, e)))
        return r;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    sign_txn_init(&t, a, now);
    r = sign_write(f, tx, &t, e_number, rq, key, now, e);
    return flow_finish(f, tx, r, e);
}

/* ---- confirming ------------------------------------------------------------------------ */

bool
sign_token_ok(const struct flow *f, int64_t id, const char *token)
{
    return flow_link_mac_ok(f, "sign", id, token);
}

int
sign_link(const struct flow *f, struct arena *a, int64_t id, const char *token,
          struct signature_record *g, struct petition_brief *p, struct err *e)
{
    if (!sign_token_ok(f, id, token) || store_signature_get(f->store, NULL, a, id, g, e) ||
        store_petition_brief(f->store, NULL, g->petition_id, 0, p, e))
        return err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "bad signature link");
    return 0;
}

int
sign_confirm_write(const struct flow *f, struct store_txn *tx, struct sign_txn *t, int64_t id,
                   bool *already, int64_t now, struct err *e)
{
    struct signature_record g;
    const struct petition_brief *p;
    int r;

    *already = false;
    if ((r = store_signature_get(f->store, tx, t->a, id, &g, e))) {
        if (r == ERR_NOT_FOUND)
            err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "no signature %lld", (long long)id);
        return r;
    }
    if ((r = txn_brief(f, tx, t, g.petition_id, 0, &p, e)))
        return r;
    if (p->signing_paused)
        return sign_paused(p, e);
    if (g.confirmed_at) {
        *already = true;
        return 0;
    }
    if (!signature_confirmable(p->state, p->closes_at,
                               petition_grace_hours(p->grace_hours, f->rules), now))
        return err_set(e, ERR_GONE, "sign.too_late", NULL, "confirmation after the grace");
    int delta = signature_count_delta(0, g.review, now, g.review);
    g.confirmed_at = now;
    if (delta > 0 && (r = log_txn_sig(f, tx, &t->log, &g, now, e)))
        return r;
    if ((r = store_signature_update(tx, &g, e)))
        return r;
    txn_delta(t, p->id, g.region, delta);
    return 0;
}

int
sign_confirm(const struct flow *f, struct arena *a, int64_t id, const char *token, bool *already,
             int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct sign_txn t;
    int r;

    *already = false;
    if (!sign_token_ok(f, id, token))
        return err_set(e, ERR_NOT_FOUND, "sign.link_bad", NULL, "bad signature link");
    if ((r = flow_begin(f, &tx, e)))
        return r;
    sign_txn_init(&t, a, now);
    if (!(r = sign_confirm_write(f, tx, &t, id, already, now, e)))
        r = sign_txn_flush(tx, &t, e);
    return flow_finish(f, tx, r, e);
}

/* ---- many at once ------------------------------------------------------------------------ */

/* An item's place in an order of (petition, text, position): the key of
 * a signature, or the address it came from. */
struct batch_key {
    int64_t petition_id;
    const char *text;
    int pos;
};

static int
batch_key_order(const void *x, const void *y)
{
    const struct batch_key *a = x, *b = y;
    if (a->petition_id != b->petition_id)
        return a->petition_id < b->petition_id ? -1 : 1;
    int c = strcmp(a->text, b->text);
    return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* Sort keys[0..n) and give each position the number of its group (alike
 * petition and text) in group[], and whether an earlier position has the
 * same (first[pos] false). */
static void
batch_group(struct batch_key *keys, int n, int *group, bool *first)
{
    qsort(keys, (size_t)n, sizeof(*keys), batch_key_order);
    int g = -1;
    for (int i = 0; i < n; i++) {
        bool same = i > 0 && keys[i].petition_id == keys[i - 1].petition_id &&
                    strcmp(keys[i].text, keys[i - 1].text) == 0;
        if (!same)
            g++;
        if (group)
            group[keys[i].pos] = g;
        if (first)
            first[keys[i].pos] = !same;
    }
}

static void
item_refused(struct sign_item *it, int r, const struct err *why)
{
    it->result = r;
    it->err = *why;
}

/* The signatures of a batch: refusals, then one probe for the keys and
 * the rates of the rest, one insert, one statement for their e-mails. */
static int
batch_signatures(const struct flow *f, struct store_txn *tx, struct sign_txn *t,
                 struct sign_item *items, int n, int64_t *repeat_of, struct err *e)
{
    const struct jurisdiction *j = f->rules;
    struct arena *a = t->a;
    struct signature_probe *probe = arena_calloc(a, (size_t)n, sizeof(*probe));
    struct sign_screen *screen = arena_calloc(a, (size_t)n, sizeof(*screen));
    struct sign_item **item = arena_calloc(a, (size_t)n, sizeof(*item));
    int m = 0, r;

    for (int i = 0; i < n; i++) {
        struct sign_item *it = &items[i];
        const struct petition_brief *p = NULL;
        struct err why = ERR_INIT;
        if (it->confirm)
            continue;
        /* No such petition, or one that takes no signature now: the
         * job's refusal alone; any other failure is the batch's. */
        r = sign_brief(f, tx, t, it->e_number, &p, &why);
        if (r && r != ERR_NOT_FOUND) {
            *e = why;
            return r;
        }
        if (r || (r = sign_open(p, it->now, &why))) {
            item_refused(it, r, &why);
            continue;
        }
        struct sign_screen *sc = &screen[m];
        if ((r = screen_lists(f, tx, t, it->rq, sc, e)))
            return r;
        probe[m] = (struct signature_probe){
            .petition_id = p->id,
            .email_key = it->key,
            .rate_key = !sc->allowed && !sc->blocked ? it->rq->rate_key : NULL,
            .since_burst = it->now - j->rate_burst_seconds + 1,
            .since_sustained = it->now - j->rate_sustained_seconds + 1,
        };
        item[m++] = it;
    }
    if (!m)
        return 0;
    if ((r = store_signature_probe(f->store, tx, probe, m, e)))
        return r;

    /* A key twice in the batch: the first is written here, the others
     * alone after it (they find it and are repeats).  Rates count the
     * signatures written earlier in the batch from the same address. */
    struct batch_key *keys = arena_calloc(a, (size_t)m, sizeof(*keys));
    bool *first = arena_calloc(a, (size_t)m, sizeof(*first));
    int *group = arena_calloc(a, (size_t)m, sizeof(*group));
    int *prev = arena_calloc(a, (size_t)m, sizeof(*prev)); /* the last one written of a group */
    int *before = arena_calloc(a, (size_t)m, sizeof(*before));
    int nrate = 0;
    for (int i = 0; i < m; i++)
        keys[i] = (struct batch_key){probe[i].petition_id, probe[i].email_key, i};
    batch_group(keys, m, NULL, first);
    for (int i = 0; i < m; i++) {
        group[i] = -1;
        if (probe[i].rate_key)
            keys[nrate++] = (struct batch_key){probe[i].petition_id, probe[i].rate_key, i};
    }
    batch_group(keys, nrate, group, NULL);
    for (int i = 0; i < m; i++)
        prev[i] = -1;

    struct signature_record *rec = arena_calloc(a, (size_t)m, sizeof(*rec));
    struct outbox_mail *mail = arena_calloc(a, (size_t)m, sizeof(*mail));
    int w = 0;
    for (int i = 0; i < m; i++) {
        struct sign_item *it = item[i];
        struct signature_probe *pr = &probe[i];
        if (!first[i] || pr->taken) {
            it->alone = true;
            repeat_of[it - items] = pr->taken;
            continue;
        }
        if (pr->rate_key) {
            int64_t since =
                pr->since_burst < pr->since_sustained ? pr->since_burst : pr->since_sustained;
            /* before[] chains the ones written of a group, latest first. */
            for (int k = prev[group[i]]; k >= 0; k = before[k]) {
                pr->burst += item[k]->now >= pr->since_burst;
                pr->sustained += item[k]->now >= since;
            }
            before[i] = prev[group[i]];
            prev[group[i]] = i;
            screen[i].burst_seen = pr->burst;
            screen[i].sustained_seen = pr->sustained;
        }
        sign_record(pr->petition_id, it->rq, it->key, it->now, sign_screen_flag(&screen[i], j),
                    arena_alloc(a, 8), &rec[w++]);
    }
    if ((r = store_signature_insert_many(tx, rec, w, e)))
        return r;
    for (int k = 0; k < w; k++)
        mail[k] = (struct outbox_mail){
            .created_at = rec[k].created_at,
            .kind = SIGN_MAIL_CONFIRM,
            .lang = rec[k].lang,
            .to_addr = rec[k].email,
            .to_name = flow_full_name(a, rec[k].first_name, rec[k].last_name),
            .signature_id = rec[k].id,
        };
    return outbox_queue_later_many(tx, mail, w, e);
}

/* The confirmations of a batch: one read of their signatures, one update. */
static int
batch_confirmations(const struct flow *f, struct store_txn *tx, struct sign_txn *t,
                    struct sign_item *items, int n, const int64_t *repeat_of,
                    struct count_delta **deltas, int *ndeltas, struct err *e)
{
    struct arena *a = t->a;
    struct sign_item **item = arena_calloc(a, (size_t)n, sizeof(*item));
    int64_t *ids = arena_calloc(a, (size_t)n, sizeof(*ids));
    int64_t *at = arena_calloc(a, (size_t)n, sizeof(*at));
    struct signature_record *g = arena_calloc(a, (size_t)n, sizeof(*g));
    bool *found = arena_calloc(a, (size_t)n, sizeof(*found));
    bool *first = arena_calloc(a, (size_t)n, sizeof(*first));
    struct batch_key *keys = arena_calloc(a, (size_t)n, sizeof(*keys));
    struct count_delta *d = arena_calloc(a, (size_t)n, sizeof(*d));
    int64_t *log_index = arena_calloc(a, (size_t)n, sizeof(*log_index));
    int m = 0, w = 0, r;

    for (int i = 0; i < n; i++) {
        if (!items[i].confirm)
            continue;
        /* A repeat of its address earlier in the batch (written alone)
         * must find it as it was: it waits its turn, alone too. */
        bool after_repeat = false;
        for (int k = 0; k < i && !after_repeat; k++)
            after_repeat = repeat_of[k] == items[i].signature_id;
        if (after_repeat) {
            items[i].alone = true;
            continue;
        }
        keys[m] = (struct batch_key){items[i].signature_id, "", m};
        ids[m] = items[i].signature_id;
        item[m++] = &items[i];
    }
    *deltas = d;
    *ndeltas = 0;
    if (!m)
        return 0;
    if ((r = store_signature_get_many(f->store, tx, a, ids, m, g, found, e)))
        return r;
    /* A signature twice in the batch: the others are confirmed alone
     * after the first (and find it confirmed). */
    batch_group(keys, m, NULL, first);
    for (int i = 0; i < m; i++) {
        struct sign_item *it = item[i];
        const struct petition_brief *p;
        if (!first[i]) {
            it->alone = true;
            continue;
        }
        if (!found[i]) {
            err_set(&it->err, ERR_NOT_FOUND, "sign.link_bad", NULL, "no signature %lld",
                    (long long)ids[i]);
            it->result = ERR_NOT_FOUND;
            continue;
        }
        if ((r = txn_brief(f, tx, t, g[i].petition_id, 0, &p, e)))
            return r;
        if (p->signing_paused) {
            it->result = sign_paused(p, &it->err);
            continue;
        }
        if (g[i].confirmed_at) {
            it->already = true;
            continue;
        }
        if (!signature_confirmable(p->state, p->closes_at,
                                   petition_grace_hours(p->grace_hours, f->rules), it->now)) {
            err_set(&it->err, ERR_GONE, "sign.too_late", NULL, "confirmation after the grace");
            it->result = ERR_GONE;
            continue;
        }
        d[*ndeltas] = (struct count_delta){
            p->id, g[i].region, signature_count_delta(0, g[i].review, it->now, g[i].review)};
        log_index[w] = -1;
        if (d[*ndeltas].delta > 0) {
            if ((r = log_txn_sig(f, tx, &t->log, &g[i], it->now, e)))
                return r;
            log_index[w] = g[i].log_index;
        }
        *ndeltas += d[*ndeltas].delta != 0;
        ids[w] = ids[i];
        at[w++] = it->now;
    }
    return store_signature_confirm_many(tx, ids, at, log_index, w, e);
}

int
sign_write_batch(const struct flow *f, struct store_txn *tx, struct sign_txn *t,
                 struct sign_item *items, int n, struct err *e)
{
    int64_t *repeat_of = arena_calloc(t->a, (size_t)n, sizeof(*repeat_of));
    struct count_delta *d;
    int nd, r;
    for (int i = 0; i < n; i++) {
        items[i].alone = false;
        items[i].already = false;
        items[i].result = 0;
        items[i].err = (struct err)ERR_INIT;
    }
    if ((r = batch_signatures(f, tx, t, items, n, repeat_of, e)) ||
        (r = batch_confirmations(f, tx, t, items, n, repeat_of, &d, &nd, e)))
        return r;
    /* Counted once every statement has been written. */
    for (int i = 0; i < nd; i++)
        txn_delta(t, d[i].petition_id, d[i].region, d[i].delta);
    return 0;
}
