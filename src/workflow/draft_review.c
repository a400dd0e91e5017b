/*
 * draft_review.c: the Clerk's review of a draft and its publication as
 * an e-petition; see draft_review.h.
 */
#include "workflow/draft_review.h"

#include <string.h>

#include "core/lifecycle.h"
#include "core/numbering.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/draft_json.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

static int
load_review(const struct flow *f, struct store_txn *tx, struct arena *a, const struct user *clerk,
            int64_t id, struct draft_record *d, struct err *e)
{
    int r;
    if (clerk->role != ROLE_CLERK)
        return err_set(e, ERR_FORBIDDEN, "error.forbidden", NULL, "not the Clerk");
    if ((r = store_draft_get(f->store, tx, a, id, d, e)))
        return r;
    if (d->state != PETITION_UNDER_REVIEW)
        return flow_conflict(e, "flow.not_under_review");
    return 0;
}

/* A keyword slug from its English name: lower-case ASCII letters and
 * digits, anything else one '-'. */
static const char *
slugify(struct arena *a, const char *name)
{
    struct strbuf sb;
    sb_init(&sb, a);
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && sb.len)
                sb_addch(&sb, '-');
            sb_addch(&sb, (char)c);
            dash = false;
        } else {
            dash = true;
        }
    }
    return sb.buf;
}

/* Lines "English | français" become keywords (created when new); their
 * slugs are appended to c. */
static int
add_new_keywords(struct store_txn *tx, struct arena *a, const char *lines, struct draft_clerk *c,
                 struct field_errors *fe, struct err *e)
{
    const char *p = lines;
    int r = 0;
    while (p && *p && !r) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = arena_strndup(a, p, len);
        p = nl ? nl + 1 : NULL;
        char *bar = strchr(line, '|');
        if (!*line || strspn(line, " \t") == strlen(line))
            continue;
        if (!bar) {
            field_error(fe, "new_keywords", "review.keyword_format");
            return 0;
        }
        *bar = '\0';
        char *en = line, *fr = bar + 1;
        while (*en == ' ')
            en++;
        while (*fr == ' ')
            fr++;
        for (char *q = en + strlen(en); q > en && q[-1] == ' ';)
            *--q = '\0';
        for (char *q = fr + strlen(fr); q > fr && q[-1] == ' ';)
            *--q = '\0';
        const char *slug = slugify(a, en);
        if (!*en || !*fr || !*slug || strlen(en) > 80 || strlen(fr) > 80) {
            field_error(fe, "new_keywords", "review.keyword_format");
            return 0;
        }
        struct keyword k = {.slug = slug, .name = {en, fr}};
        if ((r = store_keyword_put(tx, &k, e)))
            return r;
        if (c->keyword_count < 32)
            c->keywords[c->keyword_count++] = slug;
    }
    return r;
}

int
draft_review_save(const struct flow *f, struct arena *a, const struct user *clerk, int64_t draft_id,
                  const struct draft_clerk_input *in, struct field_errors *fe, int64_t now,
                  struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    struct draft_text t;
    struct draft_clerk c;
    int r;

    for (int i = 0; i < in->tr_count; i++)
        check_text(fe, draft_translation_field(i), in->tr_grievances[i], DRAFT_TEXT_MAX, false);
    check_text(fe, "tr_prayer", in->tr_prayer, DRAFT_TEXT_MAX, false);
    check_text(fe, "new_keywords", in->new_keywords, 2000, false);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_review(f, tx, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(tx, clerk, "draft.translate", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), NULL, NULL, now, e)))
        goto out;
    draft_json_read(d.content, a, &t, &c);
    memset(&c, 0, sizeof(c));
    c.tr_count = in->tr_count;
    for (int i = 0; i < in->tr_count && i < DRAFT_GRIEVANCES_MAX; i++)
        c.tr_grievances[i] = in->tr_grievances[i];
    c.tr_prayer = in->tr_prayer;
    if (in->subject_code && *in->subject_code) {
        struct subject sub;
        if ((r = flow_lookup(store_subject_get(f->store, tx, a, in->subject_code, &sub, e), e)) < 0)
            goto out;
        if (r)
            field_error(fe, "subject", "review.subject");
        else
            c.subject_code = in->subject_code;
    }
    /* A keyword that does not exist is passed over; a failing store fails
     * the save rather than drop a keyword from it. */
    for (int i = 0; i < in->keyword_count && c.keyword_count < 32; i++) {
        struct keyword k;
        if ((r = flow_lookup(store_keyword_get(f->store, tx, a, in->keywords[i], &k, e), e)) < 0)
            goto out;
        if (r == 0)
            c.keywords[c.keyword_count++] = k.slug;
    }
    r = 0;
    if ((r = add_new_keywords(tx, a, in->new_keywords, &c, fe, e)))
        goto out;
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    d.content = draft_json_write(&t, &c, a);
    r = store_draft_update(tx, &d, now, e);
out:
    return flow_finish(f, tx, r, e);
}

static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

int
draft_review_approve(const struct flow *f, struct arena *a, const struct user *clerk,
                     int64_t draft_id, long *e_number, struct field_errors *fe, int64_t now,
                     struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    struct draft_text t;
    struct draft_clerk c;
    struct user petitioner;
    struct member authorizing;
    int r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_review(f, tx, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(tx, clerk, "draft.approve", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), NULL, NULL, now, e)))
        goto out;
    draft_json_read(d.content, a, &t, &c);
    /* Both languages for every clause and the prayer (rulebook 11.4). */
    int filled = 0;
    for (int i = 0; i < t.grievance_count; i++)
        filled += nonempty(t.grievances[i]) != NULL;
    int k = 0;
    for (int i = 0; i < t.grievance_count; i++) {
        if (!nonempty(t.grievances[i]))
            continue;
        if (k >= c.tr_count || !nonempty(c.tr_grievances[k]))
            field_error(fe, draft_translation_field(k), "review.translation");
        k++;
    }
    if (!nonempty(c.tr_prayer))
        field_error(fe, "tr_prayer", "review.translation");
    if (!nonempty(c.subject_code))
        field_error(fe, "subject", "review.subject");
    if (fe->count) {
        r = flow_invalid(fe, e);
        goto out;
    }
    int parliament, session;
    long number;
    if ((r = store_session_current(f->store, tx, &parliament, &session, e)) ||
        (r = store_petition_next_e_number(tx, &number, e)) ||
        (r = store_user_get(f->store, tx, a, d.petitioner_id, NULL, &petitioner, e)) ||
        (r = store_member_get(f->store, tx, a, d.authorizing_member_id, NULL, &authorizing, e)))
        goto out;

    enum lang orig = t.lang, other = lang_other(t.lang);
    struct petition p = {
        .kind = PETITION_ELECTRONIC,
        .e_number = number,
        .state = PETITION_OPEN,
        .state_changed_at = now,
        .parliament = parliament,
        .session = session,
        .original_language = orig,
        .addressee = t.addressee,
        .petitioner_name = flow_full_name(a, petitioner.first_name, petitioner.last_name),
        .petitioner_city = petitioner.city,
        .petitioner_province = REGION_OUTSIDE,
        .has_authorizing_member = true,
        .authorizing_member = authorizing,
        .signature_period_days = t.period_days,
        .created_at = d.created_at,
        .opened_at = now,
        .closes_at = now + (int64_t)t.period_days * DAY_SECONDS,
        .rules_fixed = true,
        .certify_threshold = f->rules->signatures_to_certify,
        .grace_hours = f->rules->confirm_grace_hours,
    };
    if (petitioner.province)
        region_from_code(petitioner.province, strlen(petitioner.province), &p.petitioner_province);
    p.subject.code = c.subject_code;
    p.addressee_ministry.code = t.ministry_code;
    p.addressee_member.key = t.addressee_member_key;
    p.prayer[orig] = t.prayer;
    p.prayer[other] = c.tr_prayer;
    p.grievances = arena_alloc(a, sizeof(struct grievance) * (size_t)(filled ? filled : 1));
    k = 0;
    for (int i = 0; i < t.grievance_count; i++) {
        if (!nonempty(t.grievances[i]))
            continue;
        p.grievances[k].text[orig] = t.grievances[i];
        p.grievances[k].text[other] = c.tr_grievances[k];
        k++;
    }
    p.grievance_count = k;
    p.keywords = arena_alloc(a, sizeof(struct keyword) * (size_t)(c.keyword_count + 1));
    for (int i = 0; i < c.keyword_count; i++)
        p.keywords[i].slug = c.keywords[i];
    p.keyword_count = c.keyword_count;
    if ((r = store_petition_insert(tx, &p, e)))
        goto out;
    d.petition_id = p.id;
    if ((r = flow_set_draft_state(tx, &d, PETITION_OPEN, clerk->id, NULL, now, e)))
        goto out;
    d.e_number = number;
    *e_number = number;

    struct strbuf num;
    sb_init(&num, a);
    e_number_format(&num, number);
    json_t *vars = json_object();
    json_object_set_new(vars, "number", json_string(num.buf));
    json_object_set_new(vars, "closes", json_string(flow_date_text(a, p.closes_at, orig)));
    json_object_set_new(
        vars, "url_en",
        json_string(arena_printf(a, "%s/en/petitions/%s", f->mailer->base_url, num.buf)));
    json_object_set_new(
        vars, "url_fr",
        json_string(arena_printf(a, "%s/fr/petitions/%s", f->mailer->base_url, num.buf)));
    if (!(r = outbox_queue_petitioner(f, tx, a, &d, "published", vars, now, e)))
        r = outbox_queue_first_supporters(f, tx, a, &d, "published-supporter", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, tx, r, e);
}

int
draft_review_return(const struct flow *f, struct arena *a, const struct user *clerk,
                    int64_t draft_id, const char *reasons, struct field_errors *fe, int64_t now,
                    struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    int r;

    check_text(fe, "reasons", reasons, DRAFT_REVIEW_REASONS_MAX, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_review(f, tx, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(tx, clerk, "draft.return", 0,
                        arena_printf(a, "draft %lld", (long long)d.id), reasons, NULL, now, e)))
        goto out;
    d.review_reasons = reasons;
    if ((r = flow_set_draft_state(tx, &d, PETITION_RETURNED_FOR_REVISION, clerk->id, reasons, now,
                                  e)))
        goto out;
    json_t *vars = json_object();
    json_object_set_new(vars, "reasons", json_string(reasons));
    r = outbox_queue_petitioner(f, tx, a, &d, "returned", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, tx, r, e);
}

int
draft_review_reject(const struct flow *f, struct arena *a, const struct user *clerk,
                    int64_t draft_id, const char *code, const char *text, struct field_errors *fe,
                    int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct draft_record d;
    const struct reject_reason *why = reject_reason_find(code);
    int r;

    if (!why)
        field_error(fe, "reason", "review.reason");
    check_text(fe, "reason_text", text, DRAFT_REVIEW_REASONS_MAX, true);
    if (fe->count)
        return flow_invalid(fe, e);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    if ((r = load_review(f, tx, a, clerk, draft_id, &d, e)) ||
        (r = flow_audit(tx, clerk, "draft.reject", 0,
                        arena_printf(a, "draft %lld", (long long)d.id),
                        arena_printf(a, "%s: %s", why->code, text), NULL, now, e)))
        goto out;
    d.reject_code = why->code;
    d.reject_text = text;
    if ((r = flow_set_draft_state(tx, &d, PETITION_REJECTED, clerk->id, why->code, now, e)))
        goto out;
    struct user u;
    if ((r = store_user_get(f->store, tx, a, d.petitioner_id, NULL, &u, e)))
        goto out;
    json_t *vars = json_object();
    json_object_set_new(vars, "reason", json_string(why->label[u.lang]));
    json_object_set_new(vars, "text", json_string(text));
    json_object_set_new(vars, "hidden", json_boolean(why->hidden));
    r = outbox_queue_petitioner(f, tx, a, &d, "rejected", vars, now, e);
    json_decref(vars);
out:
    return flow_finish(f, tx, r, e);
}
