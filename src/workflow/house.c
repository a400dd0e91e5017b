/*
 * house.c: a petition in the House, as use cases: presentation, the
 * response, removal and paper petitions; see house.h.  The calendars are
 * in house_calendar.c, mailings to many in house_mailing.c.
 */
#include "workflow/house.h"

#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/jurisdiction.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* ---- small helpers --------------------------------------------------------------------- */

/* The Eastern date of an instant. */
static struct civil_date
date_of(int64_t t)
{
    struct civil_time ct;
    eastern_from_utc(t, &ct);
    return (struct civil_date){ct.year, ct.month, ct.day};
}

/* Noon, Eastern, of a date: the instant a day's event is stored at. */
static int64_t
noon_of(struct civil_date d)
{
    return eastern_to_utc(d.year, d.month, d.day, 12, 0, 0);
}

static const char *
presented_text(struct arena *a, int parliament, int session, int sequence)
{
    struct strbuf sb;
    struct presented_number n = {parliament, session, sequence};
    sb_init(&sb, a);
    presented_number_format(&sb, &n);
    return sb.buf;
}

/* "e-6512", or the presented number of a paper petition. */
static const char *
label_of(struct arena *a, const struct petition *p)
{
    struct strbuf sb;
    sb_init(&sb, a);
    petition_number_format(&sb, p);
    return sb.buf;
}

static const char *
page_url(const struct flow *f, struct arena *a, enum lang lang, const char *label)
{
    return arena_printf(a, "%s/%s/petitions/%s", f->mailer->base_url, lang_code(lang), label);
}

/* Start a mailing of kind with vars about one petition (and its draft). */
static int
mailing_for(const struct flow *f, struct store_txn *tx, struct arena *a, const char *kind,
            json_t *vars, const struct petition *p, int64_t now, struct err *e)
{
    struct petition_brief b;
    int r = store_petition_brief(f->store, tx, p->id, 0, &b, e);
    if (r)
        return r;
    if (p->kind == PETITION_PAPER)
        return 0; /* its signatories are on paper: nobody to write to */
    char *text = json_dumps(vars, JSON_COMPACT);
    struct mailing m = {.kind = kind, .created_at = now, .vars = text};
    r = store_mailing_insert(tx, &m, e);
    free(text);
    if (r)
        return r;
    struct mailing_source src = {
        .draft_id = b.draft_id, .petition_id = p->id, .label = label_of(a, p)};
    return store_mailing_source_add(tx, m.id, &src, e);
}

static json_t *
petition_mail_vars(const struct flow *f, struct arena *a, const struct petition *p)
{
    const char *label = label_of(a, p);
    json_t *v = json_object();
    json_object_set_new(v, "number", json_string(label));
    json_object_set_new(v, "url_en", json_string(page_url(f, a, LANG_EN, label)));
    json_object_set_new(v, "url_fr", json_string(page_url(f, a, LANG_FR, label)));
    return v;
}

/* Parse a date field; adds the field error. */
static bool
date_field(const char *text, const char *field, struct civil_date *d, struct field_errors *fe)
{
    if (!text || civil_date_parse(text, strlen(text), d)) {
        field_error(fe, field, "house.date_bad");
        return false;
    }
    return true;
}

/* The Member named by key to present a petition (not the Speaker): 0
 * and *m; 1 with the field error "member" when there is none; or the
 * store's error.  tx may be NULL. */
static int
presenting_member(const struct flow *f, struct store_txn *tx, struct arena *a, const char *key,
                  struct member *m, struct field_errors *fe, struct err *e)
{
    int r = !key || !*key ? 1 : flow_lookup(store_member_get(f->store, tx, a, 0, key, m, e), e);
    if (r == 0 && m->is_speaker)
        r = 1;
    if (r == 1)
        field_error(fe, "member", "present.member_bad");
    return r;
}

/* The ministry named by code: 0 and *m; 1 with the field error (field,
 * key) when there is none; or the store's error.  tx may be NULL. */
static int
named_ministry(const struct flow *f, struct store_txn *tx, struct arena *a, const char *code,
               struct ministry *m, struct field_errors *fe, const char *field, const char *key,
               struct err *e)
{
    int r =
        !code || !*code ? 1 : flow_lookup(store_ministry_get(f->store, tx, a, 0, code, m, e), e);
    if (r == 1)
        field_error(fe, field, key);
    return r;
}

static int
house_now(const struct flow *f, struct store_txn *tx, struct house_status *h, struct err *e)
{
    return store_house_status(f->store, tx, h, e);
}

/* The due day of a response to a petition presented at presented_at. */
static int
response_due_in(const struct flow *f, struct store_txn *tx, struct arena *a, int64_t presented_at,
                struct civil_date *due, struct err *e)
{
    struct civil_date on = date_of(presented_at),
                      first = civil_date_add(on, f->rules->response_days);
    char from[11];
    sitting_day *days;
    int n;
    civil_date_format(&first, from);
    int r = store_sitting_days(f->store, tx, a, from, 1, &days, &n, e);
    if (r)
        return r;
    struct civil_date next[1];
    int have = n > 0 && civil_date_parse(days[0], 10, &next[0]) == 0;
    *due = response_due(on, f->rules->response_days, next, have);
    return 0;
}

/* ---- presentation ----------------------------------------------------------------------- */

int
house_present(const struct flow *f, struct arena *a, const struct user *actor,
              const struct petition_number *n, const struct present_input *in, const char **number,
              struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition p;
    struct house_status h;
    struct civil_date on = {0};
    struct member m;
    struct ministry min;
    int r;

    if (actor->role != ROLE_CLERK && !(actor->role == ROLE_MEMBER && actor->member_id))
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk nor a Member");
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_petition_get(f->store, tx, a, n, &p, e)) || (r = house_now(f, tx, &h, e)))
        goto out;
    if (p.state != PETITION_CERTIFIED) {
        r = flow_conflict(e, "present.not_certified");
        goto out;
    }
    const char *why = house_blocks_presentation(&h);
    if (why) {
        r = flow_conflict(e, why);
        goto out;
    }
    if (date_field(in->date, "date", &on, fe)) {
        const char *bad = presentation_date_blocker(on, date_of(p.certified_at),
                                                    date_of(h.session_opened_at), date_of(now));
        if (bad)
            field_error(fe, "date", bad);
    }
    int64_t member_id = actor->role == ROLE_MEMBER ? actor->member_id : 0;
    if (!member_id) {
        if ((r = presenting_member(f, tx, a, in->member_key, &m, fe, e)) < 0)
            goto out;
        if (r == 0)
            member_id = m.id;
    }
    const struct committee *k = jurisdiction_committee(f->rules, in->committee);
    if (!k)
        field_error(fe, "committee", "present.committee_bad");
    if ((r = named_ministry(f, tx, a, in->ministry_code, &min, fe, "ministry",
                            "present.ministry_bad", e)) < 0)
        goto out;
    r = 0;
    if (!fe->count && !in->anyway) {
        struct presentation_fit fit = jurisdiction_presentation_fit(
            f->rules, p.subject.id ? p.subject.code : NULL, k->code, min.code,
            p.addressee == ADDRESSEE_MINISTER ? p.addressee_ministry.code : NULL);
        if (fit.committee_off || fit.ministry_off)
            field_error(fe, "anyway", "present.mismatch");
    }
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    struct presentation pr = {.petition_id = p.id,
                              .at = noon_of(on),
                              .session_id = h.session_id,
                              .member_id = member_id,
                              .committee = {k->name[LANG_EN], k->name[LANG_FR]},
                              .response_ministry_id = min.id};
    if ((r = store_presentation_next(tx, h.session_id, &pr.sequence, e)))
        goto out;
    if (pr.sequence > 99999) {
        r = flow_conflict(e, "present.numbers_full");
        goto out;
    }
    *number = presented_text(a, h.parliament, h.session, pr.sequence);
    json_t *d = json_pack("{sssssssI}", "number", *number, "committee", k->code, "ministry",
                          min.code, "member", (json_int_t)member_id);
    r = flow_audit(tx, actor, "petition.present", p.id, label_of(a, &p), NULL, d, now, e);
    json_decref(d);
    if (r || (r = store_petition_present(tx, &pr, e)))
        goto out;
    if ((r = store_member_get(f->store, tx, a, member_id, NULL, &m, e)))
        goto out;
    json_t *v = petition_mail_vars(f, a, &p);
    json_object_set_new(v, "presented_number", json_string(*number));
    json_object_set_new(v, "member", json_string(flow_full_name(a, m.first_name, m.last_name)));
    flow_set_dates(v, a, "presented", pr.at);
    struct civil_date due = {0};
    if (!(r = response_due_in(f, tx, a, pr.at, &due, e))) {
        flow_set_dates(v, a, "due", noon_of(due));
        r = mailing_for(f, tx, a, "presented", v, &p, now, e);
    }
    json_decref(v);
out:
    return flow_finish(f, tx, r, e);
}

int
house_response_due(const struct flow *f, struct arena *a, int64_t presented_at,
                   struct civil_date *due, struct err *e)
{
    return response_due_in(f, NULL, a, presented_at, due, e);
}

/* ---- the response ------------------------------------------------------------------------- */

static int
check_body(struct field_errors *fe, const char *field, const char *text, size_t max)
{
    if (!text || !*text)
        field_error(fe, field, "field.required");
    else if (utf8_length(text, strlen(text)) > max)
        field_error(fe, field, "house.too_long");
    else
        check_text(fe, field, text, max, true);
    return 0;
}

int
house_response_save(const struct flow *f, struct arena *a, const struct user *responder,
                    const struct petition_number *n, const char *signed_by,
                    const char *signed_by_fr, const char *text_en, const char *text_fr, bool ready,
                    struct field_errors *fe, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition p;
    int r;

    if (responder->role != ROLE_RESPONDER || !responder->ministry_id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not a responder");
    check_line(fe, "signed_by", signed_by, HOUSE_SIGNED_BY_MAX, true);
    check_line(fe, "signed_by_fr", signed_by_fr, HOUSE_SIGNED_BY_MAX, true);
    check_body(fe, "text_en", text_en, HOUSE_RESPONSE_MAX);
    check_body(fe, "text_fr", text_fr, HOUSE_RESPONSE_MAX);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = store_petition_get(f->store, tx, a, n, &p, e)))
        goto out;
    if (p.response_ministry_id != responder->ministry_id) {
        r = err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "another ministry's petition");
        goto out;
    }
    if (p.state != PETITION_PRESENTED) {
        r = flow_conflict(e, "response.not_presented");
        goto out;
    }
    if ((r = flow_audit(tx, responder, ready ? "response.ready" : "response.draft", p.id,
                        label_of(a, &p), NULL, NULL, now, e)))
        goto out;
    struct response_draft d = {.petition_id = p.id,
                               .ministry_id = responder->ministry_id,
                               .signed_by = signed_by,
                               .signed_by_fr = signed_by_fr,
                               .text = {text_en, text_fr},
                               .ready_at = ready ? now : 0,
                               .updated_at = now,
                               .updated_by = responder->id};
    r = store_response_draft_put(tx, &d, e);
out:
    return flow_finish(f, tx, r, e);
}

/* What tabling checks, read in tx (NULL: outside a transaction): 0
 * with the petition p, its ready response d and the date on. */
static int
table_check(const struct flow *f, struct store_txn *tx, struct arena *a, const struct user *clerk,
            const struct petition_number *n, const char *date, struct petition *p,
            struct response_draft *d, struct civil_date *on, struct field_errors *fe, int64_t now,
            struct err *e)
{
    int r;
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = store_petition_get(f->store, tx, a, n, p, e)))
        return r;
    if (p->state != PETITION_PRESENTED)
        return flow_conflict(e, "response.not_presented");
    r = store_response_draft_get(f->store, tx, a, p->id, d, e);
    if (r == ERR_NOT_FOUND || (!r && !d->ready_at))
        return flow_conflict(e, "response.not_ready");
    if (r)
        return r;
    if (date_field(date, "date", on, fe)) {
        const char *bad = tabling_date_blocker(*on, date_of(p->presented_at), date_of(now));
        if (bad)
            field_error(fe, "date", bad);
    }
    return fe->count ? flow_invalid(fe, e) : 0;
}

int
house_response_table_check(const struct flow *f, struct arena *a, const struct user *clerk,
                           const struct petition_number *n, const char *date,
                           struct field_errors *fe, int64_t now, struct err *e)
{
    struct petition p;
    struct response_draft d;
    struct civil_date on;
    return table_check(f, NULL, a, clerk, n, date, &p, &d, &on, fe, now, e);
}

int
house_response_table(const struct flow *f, struct arena *a, const struct user *clerk,
                     const struct petition_number *n, const char *date, struct field_errors *fe,
                     int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition p;
    struct response_draft d;
    struct civil_date on;
    int r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = table_check(f, tx, a, clerk, n, date, &p, &d, &on, fe, now, e)))
        goto out;
    struct response rs = {.signed_by = d.signed_by,
                          .signed_by_fr = d.signed_by_fr,
                          .text = {d.text[LANG_EN], d.text[LANG_FR]},
                          .tabled_at = noon_of(on)};
    if ((r = store_ministry_get(f->store, tx, a, d.ministry_id, NULL, &rs.ministry, e)))
        goto out;
    if ((r = flow_audit(tx, clerk, "response.table", p.id, label_of(a, &p), NULL, NULL, now, e)) ||
        (r = store_response_table(tx, p.id, &rs, e)))
        goto out;
    json_t *v = petition_mail_vars(f, a, &p);
    flow_set_dates(v, a, "tabled", rs.tabled_at);
    json_object_set_new(v, "ministry", json_string(rs.ministry.title[LANG_EN]));
    json_object_set_new(v, "ministry_fr", json_string(rs.ministry.title[LANG_FR]));
    r = mailing_for(f, tx, a, "response-tabled", v, &p, now, e);
    if (!r && p.has_authorizing_member)
        r = outbox_queue_member(f, tx, a, p.authorizing_member.id, "response-tabled-member", v, now,
                                e);
    json_decref(v);
out:
    return flow_finish(f, tx, r, e);
}

/* ---- removal ------------------------------------------------------------------------------------
 */

/* What removal checks, read in tx (NULL: outside a transaction): 0
 * with the petition p. */
static int
remove_check(const struct flow *f, struct store_txn *tx, struct arena *a, const struct user *admin,
             const struct petition_number *n, const char *reason, struct petition *p,
             struct field_errors *fe, struct err *e)
{
    int r;
    if (admin->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not an admin");
    check_text(fe, "reason", reason, HOUSE_REMOVE_REASON_MAX, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = store_petition_get(f->store, tx, a, n, p, e)))
        return r;
    if (p->state == PETITION_REMOVED)
        return err_set(e, ERR_NOT_FOUND, "remove.number_bad", NULL, "already removed");
    return 0;
}

int
house_remove_check(const struct flow *f, struct arena *a, const struct user *admin,
                   const struct petition_number *n, const char *reason, struct field_errors *fe,
                   struct err *e)
{
    struct petition p;
    return remove_check(f, NULL, a, admin, n, reason, &p, fe, e);
}

int
house_remove(const struct flow *f, struct arena *a, const struct user *admin,
             const struct petition_number *n, const char *reason, struct field_errors *fe,
             int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct petition p;
    int r;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = remove_check(f, tx, a, admin, n, reason, &p, fe, e)))
        goto out;
    json_t *d = json_pack("{ss}", "from", petition_state_name(p.state));
    r = flow_audit(tx, admin, "petition.remove", p.id, label_of(a, &p), reason, d, now, e);
    json_decref(d);
    if (!r)
        r = store_petition_set_state(tx, p.id, PETITION_REMOVED, now, e);
out:
    return flow_finish(f, tx, r, e);
}

/* ---- paper petitions ------------------------------------------------------------------------- */

/* Split text into paragraphs (blank-line separated), trimmed; returns how many. */
static int
paragraphs(struct arena *a, const char *text, const char **out, int max)
{
    int n = 0;
    const char *s = text ? text : "";
    while (*s && n < max) {
        while (*s == '\n' || *s == '\r' || *s == ' ')
            s++;
        if (!*s)
            break;
        const char *end = strstr(s, "\n\n");
        const char *crlf = strstr(s, "\r\n\r\n");
        if (crlf && (!end || crlf < end))
            end = crlf;
        size_t len = end ? (size_t)(end - s) : strlen(s);
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\n'))
            len--;
        out[n++] = arena_strndup(a, s, len);
        s += end ? (size_t)(end - s) : strlen(s);
    }
    return n;
}

int
house_paper_record(const struct flow *f, struct arena *a, const struct user *clerk,
                   const struct paper_input *in, const char **number, struct field_errors *fe,
                   int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    enum { PARAS_MAX = 30 };
    struct house_status h;
    struct civil_date on = {0};
    struct member m;
    struct ministry resp, addr = {0};
    struct subject sub = {0};
    struct err e2 = ERR_INIT;
    const char *en[PARAS_MAX], *fr[PARAS_MAX];
    int r;

    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = house_now(f, NULL, &h, e)))
        return r;
    struct petition p = {.kind = PETITION_PAPER, .state = PETITION_PRESENTED};
    if (date_field(in->date, "date", &on, fe) && civil_date_cmp(on, date_of(now)) > 0)
        field_error(fe, "date", "present.future");
    if ((r = presenting_member(f, NULL, a, in->member_key, &m, fe, e)) < 0)
        return r;
    if (addressee_type_from_name(in->addressee ? in->addressee : "",
                                 in->addressee ? strlen(in->addressee) : 0, &p.addressee))
        field_error(fe, "addressee", "paper.addressee_bad");
    else if (p.addressee == ADDRESSEE_MINISTER &&
             (r = named_ministry(f, NULL, a, in->addressee_ministry, &addr, fe,
                                 "addressee_ministry", "paper.addressee_ministry_bad", e)) < 0)
        return r;
    else if (p.addressee == ADDRESSEE_MEMBER)
        field_error(fe, "addressee", "paper.addressee_bad"); /* a Member: not on this form */
    check_body(fe, "text_en", in->text_en, HOUSE_PAPER_TEXT_MAX);
    check_body(fe, "text_fr", in->text_fr, HOUSE_PAPER_TEXT_MAX);
    int nen = paragraphs(a, in->text_en, en, PARAS_MAX);
    int nfr = paragraphs(a, in->text_fr, fr, PARAS_MAX);
    if (!fe->count && nen != nfr)
        field_error(fe, "text_fr", "paper.paragraphs_differ");
    r = !in->subject_code || !*in->subject_code
            ? 1
            : flow_lookup(store_subject_get(f->store, NULL, a, in->subject_code, &sub, e), e);
    if (r < 0)
        return r;
    if (r)
        field_error(fe, "subject", "review.subject");
    long long sigs;
    if (parse_llz(in->signatures, f->rules->paper_signatures_min, 10000000, &sigs, NULL))
        field_error(fe, "signatures", "paper.signatures_bad");
    const struct committee *k = jurisdiction_committee(f->rules, in->committee);
    if (!k)
        field_error(fe, "committee", "present.committee_bad");
    if ((r = named_ministry(f, NULL, a, in->ministry_code, &resp, fe, "ministry",
                            "present.ministry_bad", e)) < 0)
        return r;
    struct presented_number pn = {0};
    bool given = in->number && *in->number;
    if (given && presented_number_parse(in->number, strlen(in->number), &pn, &e2))
        field_error(fe, "number", "paper.number_bad");
    if (!given && house_blocks_presentation(&h))
        field_error(fe, "number", house_blocks_presentation(&h));
    if (fe->count)
        return flow_invalid(fe, e);

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if (!given) {
        pn.parliament = h.parliament;
        pn.session = h.session;
        if ((r = store_presentation_next(tx, h.session_id, &pn.sequence, e)))
            goto out;
    }
    *number = presented_text(a, pn.parliament, pn.session, pn.sequence);
    p.parliament = pn.parliament;
    p.session = pn.session;
    p.has_presented_number = true;
    p.presented_number = pn;
    p.state_changed_at = noon_of(on);
    p.created_at = now;
    p.presented_at = noon_of(on);
    p.subject = sub;
    p.original_language = LANG_EN;
    p.addressee_ministry = addr;
    p.has_presenting_member = true;
    p.presenting_member = m;
    p.committee[LANG_EN] = k->name[LANG_EN];
    p.committee[LANG_FR] = k->name[LANG_FR];
    p.response_ministry_id = resp.id;
    p.signature_total = sigs;
    p.grievance_count = nen - 1;
    p.grievances = arena_calloc(a, (size_t)(nen > 1 ? nen - 1 : 1), sizeof(*p.grievances));
    for (int i = 0; i + 1 < nen; i++) {
        p.grievances[i].text[LANG_EN] = en[i];
        p.grievances[i].text[LANG_FR] = fr[i];
    }
    p.prayer[LANG_EN] = en[nen - 1];
    p.prayer[LANG_FR] = fr[nen - 1];
    /* Keywords: the existing ones named. */
    const char *kw = in->keywords ? in->keywords : "";
    p.keywords = arena_calloc(a, 32, sizeof(*p.keywords));
    while (*kw && p.keyword_count < 32) {
        size_t len = strcspn(kw, ",");
        const char *slug = arena_strndup(a, kw, len);
        while (*slug == ' ')
            slug++;
        char *end = (char *)slug + strlen(slug);
        while (end > slug && end[-1] == ' ')
            *--end = '\0';
        struct keyword kwd;
        /* A slug that names no keyword is passed over; a failing store
         * fails the record rather than drop a keyword from it. */
        if (*slug && (r = flow_lookup(store_keyword_get(f->store, tx, a, slug, &kwd, e), e)) < 0)
            goto out;
        if (*slug && r == 0)
            p.keywords[p.keyword_count++] = kwd;
        kw += len + (kw[len] != '\0');
    }
    json_t *d = json_pack("{sssI}", "member", m.key, "signatures", (json_int_t)sigs);
    r = flow_audit(tx, clerk, "paper.record", 0, *number, NULL, d, now, e);
    json_decref(d);
    if (!r)
        r = store_petition_insert(tx, &p, e);
    if (r == ERR_CONFLICT) {
        field_error(fe, "number", "paper.number_taken");
        r = flow_invalid(fe, e);
    } else if (r == ERR_NOT_FOUND) {
        field_error(fe, "number", "paper.number_session");
        r = flow_invalid(fe, e);
    }
out:
    return flow_finish(f, tx, r, e);
}
