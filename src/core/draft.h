/*
 * draft.h: a petition before publication, and the rules of its text.
 *
 * The petitioner writes in one language: an addressee (rulebook 3),
 * "whereas" clauses (grievances), a prayer, a signature period, a
 * suggested subject and keywords, the Member to ask, and 5 to 20
 * supporters.  The Clerk adds the translation, the subject and keywords.
 * Pure data and pure checks: the store keeps it, pages fill it.
 */
#ifndef PETITIOND_DRAFT_H
#define PETITIOND_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fields.h"
#include "core/jurisdiction.h"
#include "lib/lang.h"
#include "core/petition.h"

enum { DRAFT_GRIEVANCES_MAX = 20, DRAFT_SUPPORTERS_MAX = 20, DRAFT_TEXT_MAX = 4000 };

/* The longest keywords line a petitioner may suggest, in characters. */
enum { DRAFT_KEYWORDS_MAX = 200 };

struct draft_text {
    enum lang lang;                   /* the language the petitioner wrote in */
    enum addressee_type addressee;
    const char *ministry_code;        /* ADDRESSEE_MINISTER: the Minister's ministry */
    const char *addressee_member_key; /* ADDRESSEE_MEMBER */
    const char *grievances[DRAFT_GRIEVANCES_MAX];
    int grievance_count;
    const char *prayer;
    int period_days;
    const char *subject_code;         /* suggested; may be NULL */
    const char *keywords;             /* suggested, free text; may be NULL */
    const char *member_key;           /* the Member to ask first */
};

struct draft_supporter {
    const char *first_name;
    const char *last_name;
    const char *email;
};

/* A draft as stored: the text and choices are the JSON document content
 * (src/web/draft_form.c reads and writes it); the rest drives the
 * lifecycle. */
struct draft_record {
    int64_t id;
    int64_t petitioner_id;
    enum petition_state state;
    int64_t state_changed_at;
    const char *content;           /* JSON text */
    int supporters_min;            /* rules fixed at submission */
    int supporters_days;
    int member_days;
    int members_max;
    int round;                     /* submissions so far (revisions add one) */
    int64_t submitted_at;          /* start of the current supporters' round */
    int64_t member_id;             /* the Member asked, or to be asked; 0 = choose */
    int64_t member_asked_at;       /* 0 while no Member is asked */
    int64_t authorizing_member_id; /* who authorized publication */
    const char *review_reasons;    /* why the Clerk returned it */
    const char *reject_code;
    const char *reject_text;
    int64_t petition_id;           /* its public record once published */
    long e_number;                 /* read only: the published number */
    int64_t created_at;
    int64_t updated_at;
};

struct supporter_record {
    int64_t id;
    int64_t draft_id;
    const char *first_name;
    const char *last_name;
    const char *email;
    const char *email_key;
    int invited_round;
    int confirmed_round;   /* the round of the last confirmation; 0 = none */
    int64_t confirmed_at;
    int confirm_order;     /* 1.. within its round */
    const char *phone;
    const char *country;
    const char *province;
    const char *postal_code;
    enum lang lang;
    int64_t created_at;
};

struct member_request {
    int64_t id;
    int64_t draft_id;
    int64_t member_id;
    int64_t asked_at;
    int64_t answered_at;
    const char *answer;    /* "accepted", "declined", "lapsed" or NULL */
};

/* Field names used by the drafting form and these checks:
 * "grievance_1".."grievance_20" and "supporter_N_first_name",
 * "supporter_N_last_name", "supporter_N_email" (N from 1). */
const char *draft_grievance_field(int i);
/* The Clerk's translation of clause i on the review form:
 * "tr_grievance_1".."tr_grievance_20". */
const char *draft_translation_field(int i);
const char *draft_supporter_field(int i, int part); /* part 0 first, 1 last, 2 email */

/*
 * Check the text.  Saving a draft checks only what is filled in (lengths,
 * characters, web references, the word limit); submitting also requires
 * the addressee, a prayer, an allowed period and a Member.  *words gets
 * the House's count of grievances and prayer together.  Keys:
 * draft.words_over (on "prayer"), draft.web_reference (on the field that
 * holds it), draft.period_invalid, draft.addressee_minister_missing,
 * draft.addressee_member_missing, draft.member_missing, plus the field.*
 * keys of check_text().
 */
void draft_check(const struct draft_text *d, const struct jurisdiction *j, bool submitting,
                 struct field_errors *fe, size_t *words);

/*
 * Check the supporters: each named one needs both names and a valid
 * address; no address twice (by email_key()); not the petitioner's own
 * address; at most supporters_max.  Submitting needs at least
 * supporters_min.  Keys: supporter.duplicate, supporter.petitioner,
 * supporter.too_few (field "supporters"), supporter.too_many.
 */
void supporters_check(const struct draft_supporter *s, int n, const char *petitioner_email,
                      const struct jurisdiction *j, bool submitting, struct field_errors *fe);

#endif
