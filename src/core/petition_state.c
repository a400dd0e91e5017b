/*
 * petition_state.c: the names, labels, House codes and classes of the
 * petition states; see petition_state.h.
 *
 * Everything about a state sits in one row of one table, so a state
 * cannot be added without its storage name, its slug, its labels in both
 * languages and its classes.  The public labels are the House's own
 * ("Open for signature" / "Ouverte à la signature"); the labels of the
 * states the House does not publish are ours, written the same way.
 * French labels agree with "la pétition" (feminine) and use the
 * typographic apostrophe, as the French catalogue does; English ones use
 * the straight apostrophe, as the English catalogue does.
 */
#include "core/petition_state.h"

#include <string.h>

#include "lib/banned.h"

static const struct {
    const char *name; /* storage name */
    const char *slug; /* lower-case storage name with '-' ("open" for OPEN) */
    const char *label[LANG_COUNT];
    int house_code; /* the House's public status code, or 0 */
    bool is_public;
    bool is_final;
} states[PETITION_STATE_COUNT] = {
    [PETITION_DRAFT] = {"DRAFT", "draft", {"Draft", "Brouillon"}, 0, false, false},
    [PETITION_AWAITING_SUPPORTERS] = {"AWAITING_SUPPORTERS",
                                      "awaiting-supporters",
                                      {"Awaiting supporters", "En attente d’appuyeurs"},
                                      0,
                                      false,
                                      false},
    [PETITION_AWAITING_MEMBER] = {"AWAITING_MEMBER",
                                  "awaiting-member",
                                  {"Awaiting a Member's authorization",
                                   "En attente de l’autorisation d’un député"},
                                  0,
                                  false,
                                  false},
    [PETITION_UNDER_REVIEW] = {"UNDER_REVIEW",
                               "under-review",
                               {"Under review by the Clerk", "À l’examen du greffier"},
                               0,
                               false,
                               false},
    [PETITION_RETURNED_FOR_REVISION] = {"RETURNED_FOR_REVISION",
                                        "returned-for-revision",
                                        {"Returned for revision", "Renvoyée pour révision"},
                                        0,
                                        false,
                                        false},
    [PETITION_OPEN] = {"OPEN_FOR_SIGNATURE",
                       "open",
                       {"Open for signature", "Ouverte à la signature"},
                       207,
                       true,
                       false},
    [PETITION_WAITING_FOR_CERTIFICATION] = {"WAITING_FOR_CERTIFICATION",
                                            "waiting-for-certification",
                                            {"Waiting for certification",
                                             "En attente de certification"},
                                            226,
                                            true,
                                            false},
    [PETITION_NOT_CERTIFIED] =
        {"NOT_CERTIFIED", "not-certified", {"Not certified", "Non certifiée"}, 229, true, true},
    [PETITION_CERTIFIED] = {"CERTIFIED", "certified", {"Certified", "Certifiée"}, 0, true, false},
    [PETITION_PRESENTED] = {"PRESENTED", "presented", {"Presented", "Présentée"}, 0, true, false},
    [PETITION_RESPONSE_TABLED] = {"RESPONSE_TABLED",
                                  "response-tabled",
                                  {"Government response tabled", "Réponse du gouvernement déposée"},
                                  223,
                                  true,
                                  true},
    [PETITION_CLOSED_UPON_DISSOLUTION] = {"CLOSED_UPON_DISSOLUTION",
                                          "closed-upon-dissolution",
                                          {"Closed upon dissolution", "Close à la dissolution"},
                                          289,
                                          true,
                                          true},
    [PETITION_NOT_ANSWERED_BEFORE_DISSOLUTION] = {"NOT_ANSWERED_BEFORE_DISSOLUTION",
                                                  "not-answered-before-dissolution",
                                                  {"Not answered before dissolution",
                                                   "Sans réponse avant la dissolution"},
                                                  291,
                                                  true,
                                                  true},
    [PETITION_ABANDONED] = {"ABANDONED", "abandoned", {"Abandoned", "Abandonnée"}, 0, false, true},
    [PETITION_REJECTED] = {"REJECTED", "rejected", {"Rejected", "Rejetée"}, 0, false, true},
    [PETITION_WITHDRAWN] = {"WITHDRAWN", "withdrawn", {"Withdrawn", "Retirée"}, 0, true, true},
    [PETITION_EXPIRED] = {"EXPIRED", "expired", {"Expired", "Expirée"}, 0, false, true},
    [PETITION_REMOVED] = {"REMOVED", "removed", {"Removed", "Supprimée"}, 0, false, true},
    [PETITION_CLOSED] = {"CLOSED", "closed", {"Closed", "Fermée"}, 224, true, true},
};

static bool
valid(enum petition_state s)
{
    return (unsigned)s < PETITION_STATE_COUNT;
}

/* The state whose name or slug (as chosen by slug) is the len bytes at s. */
static int
lookup(const char *s, size_t len, bool slug, enum petition_state *out)
{
    for (int i = 0; i < PETITION_STATE_COUNT; i++) {
        const char *t = slug ? states[i].slug : states[i].name;
        if (strlen(t) == len && memcmp(t, s, len) == 0) {
            *out = (enum petition_state)i;
            return 0;
        }
    }
    return -1;
}

const char *
petition_state_name(enum petition_state s)
{
    /* "" for a value outside the enum: it never parses back, so a bug
     * cannot be stored as a real state. */
    return valid(s) ? states[s].name : "";
}

int
petition_state_from_name(const char *s, size_t len, enum petition_state *out)
{
    return lookup(s, len, false, out);
}

const char *
petition_state_label(enum petition_state s, enum lang lang)
{
    return valid(s) ? states[s].label[lang == LANG_FR ? LANG_FR : LANG_EN] : "";
}

int
petition_state_house_code(enum petition_state s)
{
    return valid(s) ? states[s].house_code : 0;
}

bool
petition_state_is_public(enum petition_state s)
{
    return valid(s) && states[s].is_public;
}

bool
petition_state_is_final(enum petition_state s)
{
    return valid(s) && states[s].is_final;
}

const char *
petition_state_slug(enum petition_state s)
{
    return valid(s) ? states[s].slug : "";
}

int
petition_state_from_slug(const char *s, size_t len, enum petition_state *out)
{
    return lookup(s, len, true, out);
}
