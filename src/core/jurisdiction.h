/*
 * jurisdiction.h: the numbers of the rules (rulebook 11), as data.
 *
 * They come from data/jurisdictions/<name>.json, read once at start-up
 * (src/workflow/jurisdiction_file.c), and are fixed on each petition when
 * it is submitted so later changes are not retroactive.  Another
 * parliament is another file.
 */
#ifndef PETITIOND_JURISDICTION_H
#define PETITIOND_JURISDICTION_H

#include <stdbool.h>

struct err;

enum {
    JURISDICTION_MAX_PERIODS = 8,
    JURISDICTION_MAX_COMMITTEES = 40,
    COMMITTEE_MAX_CODES = 8, /* subjects, and ministries, of one committee */
    COMMITTEE_CODE_MAX = 40, /* bytes of such a code, with its NUL */
};

/* A standing committee a presenting Member may designate (rulebook 11.12),
 * with the subjects it studies and the ministries that answer for them
 * (the register's codes: "foreign-affairs"), from which the presentation
 * form preselects and warns (jurisdiction_presentation_fit()). */
struct committee {
    char code[8];      /* "FAAE" */
    char name[2][200]; /* by enum lang */
    char subjects[COMMITTEE_MAX_CODES][COMMITTEE_CODE_MAX];
    int subjects_count;
    char ministries[COMMITTEE_MAX_CODES][COMMITTEE_CODE_MAX];
    int ministries_count;
};

struct jurisdiction {
    char id[64]; /* "canada-house-of-commons" */
    char name_en[128];
    char name_fr[128];
    int supporters_min;                         /* 5 */
    int supporters_max;                         /* 20 */
    int supporters_days;                        /* 30 */
    int signatures_to_certify;                  /* 500 */
    int paper_signatures_min;                   /* 25 */
    int words_max;                              /* 250 */
    int periods_days[JURISDICTION_MAX_PERIODS]; /* 30, 60, 90, 120 */
    int periods_count;
    int member_days;            /* 30 */
    int members_max;            /* 5 */
    int review_warn_days;       /* 10 */
    int review_overdue_days;    /* 15 */
    int confirm_grace_hours;    /* 24 */
    int response_days;          /* 45 */
    int retention_days;         /* 30 */
    int rate_burst_count;       /* 1 */
    int rate_burst_seconds;     /* 60 */
    int rate_sustained_count;   /* 5 */
    int rate_sustained_seconds; /* 300 */
    struct committee committees[JURISDICTION_MAX_COMMITTEES];
    int committees_count;
};

/* The committee with that code, or NULL. */
const struct committee *jurisdiction_committee(const struct jurisdiction *j, const char *code);

/* The first committee that studies the subject (by its code), or NULL
 * when none does (or subject is NULL or ""). */
const struct committee *jurisdiction_committee_for(const struct jurisdiction *j,
                                                   const char *subject);

/* Whether a presentation's committee and ministry fit the petition's
 * subject. */
struct presentation_fit {
    const struct committee *expected; /* jurisdiction_committee_for(subject), or NULL */
    bool committee_off;               /* the committee chosen studies other subjects */
    bool ministry_off;                /* the ministry chosen answers for other subjects */
};

/*
 * Check the committee and ministry chosen (codes; NULL or "" = none)
 * against a petition's subject: the committee must be one that lists
 * the subject, the ministry one listed by any committee that lists the
 * subject, or addressed (the ministry the petition is addressed to, when
 * it is addressed to a Minister; NULL = none).  A subject no committee
 * lists, or a choice left empty, is never off.  Pure.
 */
struct presentation_fit jurisdiction_presentation_fit(const struct jurisdiction *j,
                                                      const char *subject, const char *committee,
                                                      const char *ministry, const char *addressed);

/* Check that the id is set and every number is sensible: positive (the
 * confirmation grace may be 0), supporters.min <= supporters.max,
 * review.warn_days <= review.overdue_days, 1 to JURISDICTION_MAX_PERIODS
 * signature periods, positive and strictly ascending.  Returns 0 or
 * ERR_INVALID (key "error.invalid") with e->field and the log text naming
 * the field as the file does ("supporters.min"). */
int jurisdiction_check(const struct jurisdiction *j, struct err *e);

/* True when days is one of the first periods_count signature periods. */
bool jurisdiction_period_allowed(const struct jurisdiction *j, int days);

#endif
