/*
 * house.c: presentation, the response, Parliament's calendar, paper
 * petitions and mailings to many, as use cases; see house.h.
 */
#include "workflow/house.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eastern_time.h"
#include "core/email.h"
#include "core/numbering.h"
#include "core/petition.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
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
mailing_for(const struct flow *f, struct arena *a, const char *kind, json_t *vars,
            const struct petition *p, int64_t now, struct err *e)
{
    struct petition_brief b;
    int r = OPS(f)->petition_brief(f->store, p->id, 0, &b, e);
    if (r)
        return r;
    if (p->kind == PETITION_PAPER)
        return 0; /* its signatories are on paper: nobody to write to */
    char *text = json_dumps(vars, JSON_COMPACT);
    struct mailing m = {.kind = kind, .created_at = now, .vars = text};
    r = OPS(f)->mailing_insert(f->store, &m, e);
    free(text);
    if (r)
        return r;
    struct mailing_source src = {.draft_id = b.draft_id, .petition_id = p->id,
                                 .label = label_of(a, p)};
    return OPS(f)->mailing_source_add(f->store, m.id, &src, e);
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

static void
set_dates(json_t *v, struct arena *a, const char *key, int64_t t)
{
    json_object_set_new(v, key, json_string(flow_date_text(a, t, LANG_EN)));
    json_object_set_new(v, arena_printf(a, "%s_fr", key),
                        json_string(flow_date_text(a, t, LANG_FR)));
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

static int
house_now(const struct flow *f, struct house_status *h, struct err *e)
{
    return OPS(f)->house_status(f->store, h, e);
}

/* ---- presentation ----------------------------------------------------------------------- */

int
house_present(const struct flow *f, struct arena *a, const struct user *actor,
              const struct petition_number *n, const struct present_input *in, const char **number,
              struct field_errors *fe, int64_t now, struct err *e)
{
    struct petition p;
    struct house_status h;
    struct civil_date on = {0};
    struct member m;
    struct ministry min;
    struct err e2 = ERR_INIT;
    int r;

    if (actor->role != ROLE_CLERK && !(actor->role == ROLE_MEMBER && actor->member_id))
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk nor a Member");
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_get(f->store, a, n, &p, e)) || (r = house_now(f, &h, e)))
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
        if (!in->member_key || !*in->member_key ||
            OPS(f)->member_get(f->store, a, 0, in->member_key, &m, &e2) || m.is_speaker)
            field_error(fe, "member", "present.member_bad");
        else
            member_id = m.id;
    }
    const struct committee *k = jurisdiction_committee(f->rules, in->committee);
    if (!k)
        field_error(fe, "committee", "present.committee_bad");
    if (!in->ministry_code || !*in->ministry_code ||
        OPS(f)->ministry_get(f->store, a, 0, in->ministry_code, &min, &e2))
        field_error(fe, "ministry", "present.ministry_bad");
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
    if ((r = OPS(f)->presentation_next(f->store, h.session_id, &pr.sequence, e)))
        goto out;
    if (pr.sequence > 99999) {
        r = flow_conflict(e, "present.numbers_full");
        goto out;
    }
    *number = presented_text(a, h.parliament, h.session, pr.sequence);
    json_t *d = json_pack("{sssssssI}", "number", *number, "committee", k->code, "ministry",
                          min.code, "member", (json_int_t)member_id);
    r = flow_audit(f, actor, "petition.present", p.id, label_of(a, &p), NULL, d, now, e);
    json_decref(d);
    if (r || (r = OPS(f)->petition_present(f->store, &pr, e)))
        goto out;
    if ((r = OPS(f)->member_get(f->store, a, member_id, NULL, &m, e)))
        goto out;
    json_t *v = petition_mail_vars(f, a, &p);
    json_object_set_new(v, "presented_number", json_string(*number));
    json_object_set_new(v, "member", json_string(flow_full_name(a, m.first_name, m.last_name)));
    set_dates(v, a, "presented", pr.at);
    struct civil_date due = {0};
    if (!(r = house_response_due(f, a, pr.at, &due, e))) {
        set_dates(v, a, "due", noon_of(due));
        r = mailing_for(f, a, "presented", v, &p, now, e);
    }
    json_decref(v);
out:
    return flow_finish(f, r, e);
}

int
house_response_due(const struct flow *f, struct arena *a, int64_t presented_at,
                   struct civil_date *due, struct err *e)
{
    struct civil_date on = date_of(presented_at), first = civil_date_add(on, f->rules->response_days);
    char from[11];
    sitting_day *days;
    int n;
    civil_date_format(&first, from);
    int r = OPS(f)->sitting_days(f->store, a, from, 1, &days, &n, e);
    if (r)
        return r;
    struct civil_date next[1];
    int have = n > 0 && civil_date_parse(days[0], 10, &next[0]) == 0;
    *due = response_due(on, f->rules->response_days, next, have);
    return 0;
}

/* ---- the response ------------------------------------------------------------------------- */

static int
check_body(struct field_errors *fe, const char *field, const char *text, size_t max)
{
    if (!text || !*text)
        field_error(fe, field, "form.required");
    else if (strlen(text) > max)
        field_error(fe, field, "house.too_long");
    else
        check_text(fe, field, text, max, true);
    return 0;
}

int
house_response_save(const struct flow *f, struct arena *a, const struct user *responder,
                    const struct petition_number *n, const char *signed_by, const char *text_en,
                    const char *text_fr, bool ready, struct field_errors *fe, int64_t now,
                    struct err *e)
{
    struct petition p;
    int r;

    if (responder->role != ROLE_RESPONDER || !responder->ministry_id)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not a responder");
    check_line(fe, "signed_by", signed_by, 200, true);
    check_body(fe, "text_en", text_en, 40000);
    check_body(fe, "text_fr", text_fr, 40000);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_get(f->store, a, n, &p, e)))
        goto out;
    if (p.response_ministry_id != responder->ministry_id) {
        r = err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "another ministry's petition");
        goto out;
    }
    if (p.state != PETITION_PRESENTED) {
        r = flow_conflict(e, "response.not_presented");
        goto out;
    }
    if ((r = flow_audit(f, responder, ready ? "response.ready" : "response.draft", p.id,
                        label_of(a, &p), NULL, NULL, now, e)))
        goto out;
    struct response_draft d = {.petition_id = p.id,
                               .ministry_id = responder->ministry_id,
                               .signed_by = signed_by,
                               .text = {text_en, text_fr},
                               .ready_at = ready ? now : 0,
                               .updated_at = now,
                               .updated_by = responder->id};
    r = OPS(f)->response_draft_put(f->store, &d, e);
out:
    return flow_finish(f, r, e);
}

int
house_response_table(const struct flow *f, struct arena *a, const struct user *clerk,
                     const struct petition_number *n, const char *date, struct field_errors *fe,
                     int64_t now, struct err *e)
{
    struct petition p;
    struct response_draft d;
    struct civil_date on;
    int r;

    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_get(f->store, a, n, &p, e)))
        goto out;
    if (p.state != PETITION_PRESENTED) {
        r = flow_conflict(e, "response.not_presented");
        goto out;
    }
    r = OPS(f)->response_draft_get(f->store, a, p.id, &d, e);
    if (r == ERR_NOT_FOUND || (!r && !d.ready_at)) {
        r = flow_conflict(e, "response.not_ready");
        goto out;
    }
    if (r)
        goto out;
    if (date_field(date, "date", &on, fe)) {
        const char *bad = tabling_date_blocker(on, date_of(p.presented_at), date_of(now));
        if (bad)
            field_error(fe, "date", bad);
    }
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    struct response rs = {.signed_by = d.signed_by,
                          .text = {d.text[LANG_EN], d.text[LANG_FR]},
                          .tabled_at = noon_of(on)};
    if ((r = OPS(f)->ministry_get(f->store, a, d.ministry_id, NULL, &rs.ministry, e)))
        goto out;
    if ((r = flow_audit(f, clerk, "response.table", p.id, label_of(a, &p), NULL, NULL, now, e)) ||
        (r = OPS(f)->response_table(f->store, p.id, &rs, e)))
        goto out;
    json_t *v = petition_mail_vars(f, a, &p);
    set_dates(v, a, "tabled", rs.tabled_at);
    json_object_set_new(v, "ministry", json_string(rs.ministry.title[LANG_EN]));
    json_object_set_new(v, "ministry_fr", json_string(rs.ministry.title[LANG_FR]));
    r = mailing_for(f, a, "response-tabled", v, &p, now, e);
    if (!r && p.has_authorizing_member)
        r = flow_mail_member(f, a, p.authorizing_member.id, "response-tabled-member", v, now, e);
    json_decref(v);
out:
    return flow_finish(f, r, e);
}

/* ---- the sitting calendar ------------------------------------------------------------------- */

int
house_calendar_set(const struct flow *f, struct arena *a, const struct user *clerk,
                   const char *text, bool sitting, int *changed, struct field_errors *fe,
                   int64_t now, struct err *e)
{
    enum { DAYS_MAX = 2000 };
    struct civil_date *days = arena_alloc(a, sizeof(*days) * DAYS_MAX);
    int n = 0, r;

    *changed = 0;
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    /* Items are separated by new lines, commas or semicolons. */
    const char *s = text ? text : "";
    while (*s && !fe->count) {
        size_t len = strcspn(s, "\n,;");
        const char *item = s;
        s += len + (s[len] != '\0');
        while (len && (item[0] == ' ' || item[0] == '\t' || item[0] == '\r')) {
            item++;
            len--;
        }
        while (len && (item[len - 1] == ' ' || item[len - 1] == '\t' || item[len - 1] == '\r'))
            len--;
        if (!len)
            continue;
        struct civil_date from, to;
        if (len == 22 && item[10] == '.' && item[11] == '.') {
            if (civil_date_parse(item, 10, &from) || civil_date_parse(item + 12, 10, &to) ||
                civil_date_cmp(from, to) > 0 || civil_date_cmp(to, civil_date_add(from, 400)) > 0) {
                field_error(fe, "days", "house.days_bad");
                break;
            }
            /* A range is its weekdays. */
            for (struct civil_date d = from; civil_date_cmp(d, to) <= 0;
                 d = civil_date_add(d, 1)) {
                int64_t dn = days_from_civil(d.year, d.month, d.day);
                int wd = (int)(((dn % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
                if (wd == 0 || wd == 6)
                    continue;
                if (n == DAYS_MAX) {
                    field_error(fe, "days", "house.days_many");
                    break;
                }
                days[n++] = d;
            }
        } else if (civil_date_parse(item, len, &from) == 0) {
            if (n == DAYS_MAX)
                field_error(fe, "days", "house.days_many");
            else
                days[n++] = from;
        } else {
            field_error(fe, "days", "house.days_bad");
        }
    }
    if (!fe->count && n == 0)
        field_error(fe, "days", "form.required");
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    char first[11], last[11];
    civil_date_format(&days[0], first);
    civil_date_format(&days[n - 1], last);
    json_t *d = json_pack("{sisssss}", "days", n, "first", first, "last", last, "text",
                          text ? text : "");
    r = flow_audit(f, clerk, sitting ? "calendar.add" : "calendar.remove", 0, NULL, NULL, d, now,
                   e);
    json_decref(d);
    for (int i = 0; i < n && !r; i++) {
        char day[11];
        civil_date_format(&days[i], day);
        r = OPS(f)->sitting_day_set(f->store, day, sitting, e);
    }
    if (!r)
        *changed = n;
    return flow_finish(f, r, e);
}

/* ---- Parliament's calendar ------------------------------------------------------------------- */

/* Dissolution's writes: every state the core moves, one mailing to all
 * concerned, the session and the Parliament ended. */
static int
dissolve(const struct flow *f, struct arena *a, const struct house_status *h, int64_t *moved,
         int64_t now, struct err *e)
{
    /* "45th" / "45e" ("1st", "1re": la législature). */
    int pn = h->parliament, tens = pn % 100;
    const char *suffix = tens >= 11 && tens <= 13 ? "th"
                         : pn % 10 == 1          ? "st"
                         : pn % 10 == 2          ? "nd"
                         : pn % 10 == 3          ? "rd"
                                                 : "th";
    json_t *v = json_object();
    json_object_set_new(v, "parliament", json_string(arena_printf(a, "%d%s", pn, suffix)));
    json_object_set_new(v, "parliament_fr", json_string(arena_printf(a, "%d%s", pn,
                                                                     pn == 1 ? "re" : "e")));
    set_dates(v, a, "dissolved", now);
    char *vars = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    struct mailing m = {.kind = "dissolution", .created_at = now, .vars = vars};
    int r = OPS(f)->mailing_insert(f->store, &m, e);
    free(vars);
    for (int s = 0; s < PETITION_STATE_COUNT && !r; s++) {
        enum petition_state to;
        int64_t n = 0;
        if (!dissolution_state((enum petition_state)s, &to))
            continue;
        r = OPS(f)->state_move_all(f->store, (enum petition_state)s, to, true, now, m.id, &n, e);
        *moved += n;
    }
    if (!r && h->session_id && !h->session_ended_at)
        r = OPS(f)->session_end(f->store, h->session_id, now, true, e);
    if (!r)
        r = OPS(f)->parliament_dissolve(f->store, h->parliament_id, now, e);
    return r;
}

int
house_calendar_move(const struct flow *f, struct arena *a, const struct user *admin,
                    enum house_move move, int64_t *moved, int64_t now, struct err *e)
{
    static const char *const actions[] = {
        [HOUSE_PROROGUE] = "parliament.prorogue",
        [HOUSE_OPEN_SESSION] = "parliament.open_session",
        [HOUSE_DISSOLVE] = "parliament.dissolve",
        [HOUSE_OPEN_PARLIAMENT] = "parliament.open",
    };
    struct house_status h;
    int r;

    *moved = 0;
    if (admin->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not an admin");
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = house_now(f, &h, e)))
        goto out;
    const char *why = house_move_blocker(&h, move);
    if (why) {
        r = flow_conflict(e, why);
        goto out;
    }
    /* The session or Parliament the move is about: "45-2", "46". */
    struct session ses = {.parliament = h.parliament, .number = h.session, .opened_at = now};
    struct parliament p = {.number = h.parliament + 1, .opened_at = now};
    if (move == HOUSE_OPEN_SESSION)
        ses.number = h.session + 1;
    if (move == HOUSE_OPEN_PARLIAMENT)
        ses = (struct session){.parliament = p.number, .number = 1, .opened_at = now};
    const char *target = move == HOUSE_DISSOLVE ? arena_printf(a, "%d", h.parliament)
                                                : arena_printf(a, "%d-%d", ses.parliament,
                                                               ses.number);
    if ((r = flow_audit(f, admin, actions[move], 0, target, NULL, NULL, now, e)))
        goto out;
    switch (move) {
    case HOUSE_PROROGUE:
        r = OPS(f)->session_end(f->store, h.session_id, now, false, e);
        break;
    case HOUSE_OPEN_SESSION:
        r = OPS(f)->session_put(f->store, &ses, e);
        break;
    case HOUSE_DISSOLVE:
        r = dissolve(f, a, &h, moved, now, e);
        break;
    case HOUSE_OPEN_PARLIAMENT:
        if (!(r = OPS(f)->parliament_put(f->store, &p, e)))
            r = OPS(f)->session_put(f->store, &ses, e);
        break;
    }
out:
    return flow_finish(f, r, e);
}

/* ---- removal ------------------------------------------------------------------------------------ */

int
house_remove(const struct flow *f, struct arena *a, const struct user *admin,
             const struct petition_number *n, const char *reason, struct field_errors *fe,
             int64_t now, struct err *e)
{
    struct petition p;
    int r;
    if (admin->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not an admin");
    check_text(fe, "reason", reason, 4000, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, e)))
        return r;
    if ((r = OPS(f)->petition_get(f->store, a, n, &p, e)))
        goto out;
    if (p.state == PETITION_REMOVED) {
        r = err_set(e, ERR_NOT_FOUND, "remove.number_bad", NULL, "already removed");
        goto out;
    }
    json_t *d = json_pack("{ss}", "from", petition_state_name(p.state));
    r = flow_audit(f, admin, "petition.remove", p.id, label_of(a, &p), reason, d, now, e);
    json_decref(d);
    if (!r)
        r = OPS(f)->petition_set_state(f->store, p.id, PETITION_REMOVED, now, e);
out:
    return flow_finish(f, r, e);
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
    if ((r = house_now(f, &h, e)))
        return r;
    struct petition p = {.kind = PETITION_PAPER, .state = PETITION_PRESENTED};
    if (date_field(in->date, "date", &on, fe) && civil_date_cmp(on, date_of(now)) > 0)
        field_error(fe, "date", "present.future");
    if (!in->member_key || !*in->member_key ||
        OPS(f)->member_get(f->store, a, 0, in->member_key, &m, &e2) || m.is_speaker)
        field_error(fe, "member", "present.member_bad");
    if (addressee_type_from_name(in->addressee ? in->addressee : "",
                                 in->addressee ? strlen(in->addressee) : 0, &p.addressee))
        field_error(fe, "addressee", "paper.addressee_bad");
    else if (p.addressee == ADDRESSEE_MINISTER &&
             (!in->addressee_ministry || !*in->addressee_ministry ||
              OPS(f)->ministry_get(f->store, a, 0, in->addressee_ministry, &addr, &e2)))
        field_error(fe, "addressee_ministry", "paper.addressee_ministry_bad");
    else if (p.addressee == ADDRESSEE_MEMBER)
        field_error(fe, "addressee", "paper.addressee_bad"); /* a Member: not on this form */
    check_body(fe, "text_en", in->text_en, 40000);
    check_body(fe, "text_fr", in->text_fr, 40000);
    int nen = paragraphs(a, in->text_en, en, PARAS_MAX);
    int nfr = paragraphs(a, in->text_fr, fr, PARAS_MAX);
    if (!fe->count && nen != nfr)
        field_error(fe, "text_fr", "paper.paragraphs_differ");
    if (!in->subject_code || !*in->subject_code ||
        OPS(f)->subject_get(f->store, a, in->subject_code, &sub, &e2))
        field_error(fe, "subject", "review.subject");
    long long sigs;
    if (parse_llz(in->signatures, f->rules->paper_signatures_min, 10000000, &sigs, NULL))
        field_error(fe, "signatures", "paper.signatures_bad");
    const struct committee *k = jurisdiction_committee(f->rules, in->committee);
    if (!k)
        field_error(fe, "committee", "present.committee_bad");
    if (!in->ministry_code || !*in->ministry_code ||
        OPS(f)->ministry_get(f->store, a, 0, in->ministry_code, &resp, &e2))
        field_error(fe, "ministry", "present.ministry_bad");
    struct presented_number pn = {0};
    bool given = in->number && *in->number;
    if (given && presented_number_parse(in->number, strlen(in->number), &pn, &e2))
        field_error(fe, "number", "paper.number_bad");
    if (!given && house_blocks_presentation(&h))
        field_error(fe, "number", house_blocks_presentation(&h));
    if (fe->count)
        return flow_invalid(fe, e);

    if ((r = flow_begin(f, e)))
        return r;
    if (!given) {
        pn.parliament = h.parliament;
        pn.session = h.session;
        if ((r = OPS(f)->presentation_next(f->store, h.session_id, &pn.sequence, e)))
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
        if (*slug && OPS(f)->keyword_get(f->store, a, slug, &kwd, &e2) == 0)
            p.keywords[p.keyword_count++] = kwd;
        kw += len + (kw[len] != '\0');
    }
    json_t *d = json_pack("{sssI}", "member", m.key, "signatures", (json_int_t)sigs);
    r = flow_audit(f, clerk, "paper.record", 0, *number, NULL, d, now, e);
    json_decref(d);
    if (!r)
        r = OPS(f)->petition_insert(f->store, &p, e);
    if (r == ERR_CONFLICT) {
        field_error(fe, "number", "paper.number_taken");
        r = flow_invalid(fe, e);
    } else if (r == ERR_NOT_FOUND) {
        field_error(fe, "number", "paper.number_session");
        r = flow_invalid(fe, e);
    }
out:
    return flow_finish(f, r, e);
}

/* ---- mailings to many ---------------------------------------------------------------------- */

/* Begin the source after after_id: list its petitioner and supporters,
 * or mark the mailing collected when there is none. */
static int
enter_source(const struct flow *f, struct arena *a, const struct mailing *m, int64_t after_id,
             int64_t now, struct err *e)
{
    struct mailing_source src;
    int r = OPS(f)->mailing_source_next(f->store, a, m->id, after_id, &src, e);
    if (r == ERR_NOT_FOUND)
        return OPS(f)->mailing_cursor(f->store, m->id, after_id, 0, now, e);
    if (r)
        return r;
    if (src.draft_id) {
        struct draft_record d;
        struct user u;
        char key[EMAIL_MAX + 1];
        if ((r = OPS(f)->draft_get(f->store, a, src.draft_id, &d, e)) ||
            (r = OPS(f)->user_get(f->store, a, d.petitioner_id, NULL, &u, e)))
            return r;
        if (email_key(u.email, strlen(u.email), key) == 0) {
            struct mailing_recipient rc = {.email_key = key,
                                           .email = u.email,
                                           .name = flow_full_name(a, u.first_name, u.last_name),
                                           .lang = u.lang,
                                           .labels = src.label};
            if ((r = OPS(f)->mailing_recipient_add(f->store, m->id, &rc, e)))
                return r;
        }
        if ((r = OPS(f)->mailing_add_supporters(f->store, m->id, src.draft_id, src.label, e)))
            return r;
    }
    return OPS(f)->mailing_cursor(f->store, m->id, src.id, 0, 0, e);
}

/* List the next chunk of recipients of m: the people of the source being
 * listed (collect_source), its signatories in id order after
 * collect_after, then the next source. */
static int
collect(const struct flow *f, struct arena *a, const struct mailing *m, int batch, int *did,
        int64_t now, struct err *e)
{
    struct mailing_source src;
    int64_t last;
    int n = 0, r;

    *did = 1;
    if (m->collect_source == 0)
        return enter_source(f, a, m, 0, now, e);
    /* The source being listed: the first of this mailing from its id on. */
    if ((r = OPS(f)->mailing_source_next(f->store, a, m->id, m->collect_source - 1, &src, e)))
        return r;
    if (src.petition_id &&
        (r = OPS(f)->mailing_add_signatures(f->store, m->id, src.petition_id, src.label,
                                            m->collect_after, batch, &last, &n, e)))
        return r;
    if (n > 0)
        *did = n;
    if (n < batch)
        return enter_source(f, a, m, src.id, now, e);
    return OPS(f)->mailing_cursor(f->store, m->id, src.id, last, 0, e);
}

/* Copy the next batch of recipients into the outbox. */
static int
queue_batch(const struct flow *f, struct arena *a, const struct mailing *m, int batch, int *did,
            int64_t now, struct err *e)
{
    struct mailing_recipient *list;
    int n, r = OPS(f)->mailing_batch(f->store, a, m->id, batch, &list, &n, e);
    if (r)
        return r;
    if (n == 0) {
        *did = 1;
        return OPS(f)->mailing_done(f->store, m->id, now, e);
    }
    json_error_t jerr;
    json_t *vars = json_loads(m->vars, 0, &jerr);
    if (!vars)
        vars = json_object();
    for (int i = 0; i < n && !r; i++) {
        json_object_set_new(vars, "name", json_string(list[i].name));
        json_object_set_new(vars, "petitions", json_string(list[i].labels));
        r = mail_queue_mailing(f->mailer, m->id, m->kind, list[i].lang, list[i].email,
                               list[i].name, vars, now, e);
        if (!r)
            r = OPS(f)->mailing_queued(f->store, m->id, list[i].email_key, now, e);
    }
    json_decref(vars);
    *did = n;
    return r;
}

int
house_mailing_step(const struct flow *f, int batch, int *did, int64_t now, struct err *e)
{
    struct arena *a = arena_new();
    struct mailing m;
    int r;

    *did = 0;
    if ((r = flow_begin(f, e)))
        goto done;
    r = OPS(f)->mailing_open(f->store, a, &m, e);
    if (r == ERR_NOT_FOUND) {
        /* Nothing to do: no commit, which would wake the mail thread (this
         * one) again and tell cached pages the data changed. */
        OPS(f)->rollback(f->store);
        r = 0;
        goto done;
    }
    if (!r)
        r = m.collected_at ? queue_batch(f, a, &m, batch, did, now, e)
                           : collect(f, a, &m, batch, did, now, e);
    r = flow_finish(f, r, e);
done:
    arena_free(a);
    return r;
}
