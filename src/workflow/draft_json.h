/*
 * draft_json.h: a draft's content document (drafts.content) to and from
 * struct draft_text, with the Clerk's part beside it.
 *
 *   {"lang": "en", "addressee": "minister", "ministry": "foreign-affairs",
 *    "addressee_member": "", "grievances": ["..."], "prayer": "...",
 *    "period": 120, "subject": "foreign-affairs", "keywords": "Belarus",
 *    "member": "arya",
 *    "tr_grievances": ["..."], "tr_prayer": "...",          (the Clerk's translation)
 *    "clerk_subject": "foreign-affairs", "clerk_keywords": ["belarus"]}
 */
#ifndef PETITIOND_DRAFT_JSON_H
#define PETITIOND_DRAFT_JSON_H

#include <jansson.h>

#include "core/draft.h"

struct arena;

/* The Clerk's additions. */
struct draft_clerk {
    const char *tr_grievances[DRAFT_GRIEVANCES_MAX];
    int tr_count;
    const char *tr_prayer;
    const char *subject_code;
    const char *keywords[32];      /* slugs */
    int keyword_count;
};

/* Parse content (a JSON text); strings are copied into a.  A document
 * that does not parse gives an empty draft (content is always written by
 * draft_json_write, so that is a bug, not user input). */
void draft_json_read(const char *content, struct arena *a, struct draft_text *d,
                     struct draft_clerk *c);

/* The JSON text (arena) of d and c. */
const char *draft_json_write(const struct draft_text *d, const struct draft_clerk *c,
                             struct arena *a);

#endif
