/*
 * lifecycle.c: timers and turns before publication; see lifecycle.h.
 */
#include "core/lifecycle.h"

#include <string.h>

#include "lib/banned.h"

int64_t
draft_deadline(const struct draft_timers *t)
{
    switch (t->state) {
    case PETITION_AWAITING_SUPPORTERS:
        return t->submitted_at + (int64_t)t->supporters_days * DAY_SECONDS;
    case PETITION_AWAITING_MEMBER:
        return t->member_asked_at ? t->member_asked_at + (int64_t)t->member_days * DAY_SECONDS
                                  : 0;
    default:
        return 0;
    }
}

enum draft_due
draft_due(const struct draft_timers *t, int64_t now)
{
    int64_t deadline = draft_deadline(t);
    if (!deadline || now < deadline)
        return DUE_NOTHING;
    return t->state == PETITION_AWAITING_SUPPORTERS ? DUE_SUPPORTERS_EXPIRED
                                                    : DUE_MEMBER_LAPSED;
}

enum petition_state
after_member_refusal(int asked, int members_max)
{
    return asked >= members_max ? PETITION_ABANDONED : PETITION_AWAITING_MEMBER;
}

bool
draft_editable(enum petition_state s)
{
    return s == PETITION_DRAFT || s == PETITION_RETURNED_FOR_REVISION;
}

bool
petition_withdrawable(enum petition_state s)
{
    switch (s) {
    case PETITION_DRAFT:
    case PETITION_AWAITING_SUPPORTERS:
    case PETITION_AWAITING_MEMBER:
    case PETITION_UNDER_REVIEW:
    case PETITION_RETURNED_FOR_REVISION:
    case PETITION_OPEN:
    case PETITION_WAITING_FOR_CERTIFICATION:
        return true;
    default:
        return false;
    }
}

bool
petition_active(enum petition_state s)
{
    return (unsigned)s < PETITION_STATE_COUNT && !petition_state_is_final(s);
}

int
days_waited(int64_t since, int64_t now)
{
    return now > since ? (int)((now - since) / DAY_SECONDS) : 0;
}

enum review_wait
review_wait(int64_t since, int64_t now, const struct jurisdiction *j)
{
    int d = days_waited(since, now);
    if (d >= j->review_overdue_days)
        return REVIEW_OVERDUE;
    if (d >= j->review_warn_days)
        return REVIEW_WARN;
    return REVIEW_ON_TIME;
}

static const struct reject_reason reasons[] = {
    {"jurisdiction", false,
     {"Not within the authority of the Parliament of Canada, the House or the Government of "
      "Canada",
      "Ne relève pas de la compétence du Parlement du Canada, de la Chambre ou du gouvernement "
      "du Canada"}},
    {"no-request", false,
     {"Does not ask for a concrete action", "Ne demande pas de mesure concrète"}},
    {"duplicate", false,
     {"Substantially the same as a petition open for signature",
      "Essentiellement identique à une pétition ouverte à la signature"}},
    {"form", false,
     {"Not in the form the rules require", "N’est pas dans la forme exigée par les règles"}},
    {"defamatory", true, {"Defamatory or libellous content", "Contenu diffamatoire"}},
    {"offensive", true,
     {"Disrespectful or offensive language", "Langage irrespectueux ou offensant"}},
    {"sub-judice", true,
     {"A matter before the courts", "Une affaire dont les tribunaux sont saisis"}},
    {"personal-data", true,
     {"Personal information about others", "Renseignements personnels sur des tiers"}},
};

const struct reject_reason *
reject_reasons(int *n)
{
    *n = (int)(sizeof(reasons) / sizeof(reasons[0]));
    return reasons;
}

const struct reject_reason *
reject_reason_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(reasons[i].code, code) == 0)
            return &reasons[i];
    return NULL;
}
