/*
 * petition_state.h: every state a petition can be in (rulebook 2.1 and
 * 11.1), with the names used in storage, the labels the public sees in
 * both languages, and the House's public status codes where known.
 */
#ifndef PETITIOND_PETITION_STATE_H
#define PETITIOND_PETITION_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/lang.h"

enum petition_state {
    PETITION_DRAFT,                           /* S1 */
    PETITION_AWAITING_SUPPORTERS,             /* S2 */
    PETITION_AWAITING_MEMBER,                 /* S3(n); n is kept on the petition */
    PETITION_UNDER_REVIEW,                    /* S4 */
    PETITION_RETURNED_FOR_REVISION,           /* 11.1 */
    PETITION_OPEN,                            /* S5, "Open for signature" (207) */
    PETITION_WAITING_FOR_CERTIFICATION,       /* S6 (226) */
    PETITION_NOT_CERTIFIED,                   /* S7a (229), final */
    PETITION_CERTIFIED,                       /* S7b */
    PETITION_PRESENTED,                       /* S8 */
    PETITION_RESPONSE_TABLED,                 /* S9 (223), final */
    PETITION_CLOSED_UPON_DISSOLUTION,         /* S10 (289), final */
    PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION, /* S11 (291), final */
    PETITION_ABANDONED,                       /* S12, final */
    PETITION_REJECTED,                        /* 11.1, final */
    PETITION_WITHDRAWN,                       /* 11.1, final */
    PETITION_EXPIRED,                         /* 11.1, final */
    PETITION_REMOVED,                         /* 11.1, page answers 410 */
    PETITION_CLOSED,                          /* "Closed" (224), meaning unconfirmed */
    PETITION_STATE_COUNT,
};

/* The storage name, upper case as above without the prefix:
 * "OPEN_FOR_SIGNATURE" for PETITION_OPEN, "DRAFT", "RESPONSE_TABLED"...
 * A static string; "" for a value outside the enum, which never parses
 * back, so a bug cannot be stored as a real state. */
const char *petition_state_name(enum petition_state s);

/* Parse a storage name: exactly the len bytes at s, case-sensitive.
 * Returns 0, or -1 with *out untouched when unknown. */
int petition_state_from_name(const char *s, size_t len, enum petition_state *out);

/* The label shown to the public, e.g. "Open for signature" /
 * "Ouverte à la signature", "Government response tabled" /
 * "Réponse du gouvernement déposée": the House's own labels for the
 * states it publishes, ours for the others ("Draft" / "Brouillon").  A
 * static string, never empty for a valid state. */
const char *petition_state_label(enum petition_state s, enum lang lang);

/* The House's public status code (207, 223, 224, 226, 229, 289, 291), or 0
 * for the states the House shows no code for. */
int petition_state_house_code(enum petition_state s);

/* True when the public site shows petitions in this state (published
 * onwards, and paper petitions' states): OPEN, WAITING_FOR_CERTIFICATION,
 * NOT_CERTIFIED, CERTIFIED, PRESENTED, RESPONSE_TABLED,
 * CLOSED_UPON_DISSOLUTION, NOT_ANSWERED_BEFORE_DISSOLUTION, CLOSED and
 * WITHDRAWN (the register holds only published petitions, so a withdrawn
 * one there was published: its page says it was withdrawn); never REMOVED (which answers 410) nor anything before publication. */
bool petition_state_is_public(enum petition_state s);

/* True for states no transition leaves (rulebook 11.14's list, with
 * REMOVED and CLOSED): NOT_CERTIFIED, RESPONSE_TABLED,
 * CLOSED_UPON_DISSOLUTION, NOT_ANSWERED_BEFORE_DISSOLUTION, ABANDONED,
 * REJECTED, WITHDRAWN, EXPIRED, REMOVED, CLOSED. */
bool petition_state_is_final(enum petition_state s);

/* A URL-friendly slug for filters: the storage name in lower case with
 * '-' for '_', except "open" for PETITION_OPEN: "open",
 * "waiting-for-certification", "not-certified", "certified", "presented",
 * "response-tabled", "closed-upon-dissolution",
 * "not-answered-before-dissolution", ...  "" outside the enum. */
const char *petition_state_slug(enum petition_state s);

/* Parse a slug: exactly the len bytes at s, case-sensitive.  Returns 0,
 * or -1 with *out untouched. */
int petition_state_from_slug(const char *s, size_t len, enum petition_state *out);

#endif
