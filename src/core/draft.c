/*
 * draft.c: the rules of a petition's text and supporters; see draft.h.
 */
#include "core/draft.h"

#include <string.h>

#include "core/email.h"
#include "core/weburl.h"
#include "core/words.h"
#include "lib/banned.h"

#define N20(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) \
    X(15) X(16) X(17) X(18) X(19) X(20)
#define GRIEVANCE(n) "grievance_" #n,
#define TRANSLATION(n) "tr_grievance_" #n,
#define SUPPORTER(n) {"supporter_" #n "_first_name", "supporter_" #n "_last_name", \
                      "supporter_" #n "_email"},

static const char *const grievance_fields[DRAFT_GRIEVANCES_MAX] = {N20(GRIEVANCE)};
static const char *const translation_fields[DRAFT_GRIEVANCES_MAX] = {N20(TRANSLATION)};
static const char *const supporter_fields[DRAFT_SUPPORTERS_MAX][3] = {N20(SUPPORTER)};

const char *
draft_grievance_field(int i)
{
    return i >= 0 && i < DRAFT_GRIEVANCES_MAX ? grievance_fields[i] : "grievances";
}

const char *
draft_translation_field(int i)
{
    return i >= 0 && i < DRAFT_GRIEVANCES_MAX ? translation_fields[i] : "grievances";
}

const char *
draft_supporter_field(int i, int part)
{
    if (i < 0 || i >= DRAFT_SUPPORTERS_MAX || part < 0 || part > 2)
        return "supporters";
    return supporter_fields[i][part];
}

static void
check_block(struct field_errors *fe, const char *field, const char *v, bool required)
{
    check_text(fe, field, v, DRAFT_TEXT_MAX, required);
    if (v && !field_error_for(fe, field) && weburl_find(v, strlen(v), NULL))
        field_error(fe, field, "draft.web_reference");
}

void
draft_check(const struct draft_text *d, const struct jurisdiction *j, bool submitting,
            struct field_errors *fe, size_t *words)
{
    const char *texts[DRAFT_GRIEVANCES_MAX + 1];
    size_t lens[DRAFT_GRIEVANCES_MAX + 1];
    size_t n = 0;
    int count = d->grievance_count < DRAFT_GRIEVANCES_MAX ? d->grievance_count
                                                           : DRAFT_GRIEVANCES_MAX;

    for (int i = 0; i < count; i++) {
        check_block(fe, grievance_fields[i], d->grievances[i], false);
        if (d->grievances[i]) {
            texts[n] = d->grievances[i];
            lens[n++] = strlen(d->grievances[i]);
        }
    }
    check_block(fe, "prayer", d->prayer, submitting);
    if (d->prayer) {
        texts[n] = d->prayer;
        lens[n++] = strlen(d->prayer);
    }
    *words = words_count_all(texts, lens, n);
    if (*words > (size_t)j->words_max)
        field_error(fe, "prayer", "draft.words_over");
    check_line(fe, "keywords", d->keywords, DRAFT_KEYWORDS_MAX, false);

    if (d->addressee == ADDRESSEE_MINISTER && (!d->ministry_code || !*d->ministry_code))
        field_error(fe, "ministry", "draft.addressee_minister_missing");
    if (d->addressee == ADDRESSEE_MEMBER &&
        (!d->addressee_member_key || !*d->addressee_member_key))
        field_error(fe, "addressee_member", "draft.addressee_member_missing");
    if (submitting) {
        if (!jurisdiction_period_allowed(j, d->period_days))
            field_error(fe, "period", "draft.period_invalid");
        if (!d->member_key || !*d->member_key)
            field_error(fe, "member", "draft.member_missing");
    } else if (d->period_days && !jurisdiction_period_allowed(j, d->period_days)) {
        field_error(fe, "period", "draft.period_invalid");
    }
}

void
supporters_check(const struct draft_supporter *s, int n, const char *petitioner_email,
                 const struct jurisdiction *j, bool submitting, struct field_errors *fe)
{
    char keys[DRAFT_SUPPORTERS_MAX][EMAIL_MAX + 1];
    char own[EMAIL_MAX + 1] = "";
    int named = 0;

    if (petitioner_email)
        email_key(petitioner_email, strlen(petitioner_email), own);
    if (n > j->supporters_max || n > DRAFT_SUPPORTERS_MAX) {
        field_error(fe, "supporters", "supporter.too_many");
        return;
    }
    for (int i = 0; i < n; i++) {
        const struct draft_supporter *p = &s[i];
        keys[i][0] = '\0';
        bool any = (p->first_name && *p->first_name) || (p->last_name && *p->last_name) ||
                   (p->email && *p->email);
        if (!any)
            continue;
        named++;
        check_line(fe, supporter_fields[i][0], p->first_name, PERSON_NAME_MAX, true);
        check_line(fe, supporter_fields[i][1], p->last_name, PERSON_NAME_MAX, true);
        size_t elen = p->email ? strlen(p->email) : 0;
        if (elen == 0) {
            field_error(fe, supporter_fields[i][2], "field.required");
            continue;
        }
        if (email_key(p->email, elen, keys[i])) {
            field_error(fe, supporter_fields[i][2], "field.email");
            continue;
        }
        if (own[0] && strcmp(keys[i], own) == 0) {
            field_error(fe, supporter_fields[i][2], "supporter.petitioner");
            continue;
        }
        for (int k = 0; k < i; k++)
            if (keys[k][0] && strcmp(keys[k], keys[i]) == 0) {
                field_error(fe, supporter_fields[i][2], "supporter.duplicate");
                break;
            }
    }
    if (submitting && named < j->supporters_min)
        field_error(fe, "supporters", "supporter.too_few");
}
