/*
 * house_calendar.h: the House's calendars, as use cases (rulebook 2.3,
 * 11.12-11.13): the sitting days the Clerk keeps (the response deadline
 * follows them), and Parliament's calendar the administrator moves:
 * prorogation, a new session, dissolution and a new Parliament.
 *
 * Each function is one transaction with its audit record, like those of
 * house.h.
 */
#ifndef PETITIOND_HOUSE_CALENDAR_H
#define PETITIOND_HOUSE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fields.h"
#include "core/house.h"

struct arena;
struct err;
struct flow;
struct user;

/* The Clerk adds or removes sitting days: text holds dates ("2026-11-23")
 * and ranges ("2026-09-15..2026-12-12", Monday to Friday), one per line
 * or separated by commas.  *changed gets how many days changed. fe: "days". */
int house_calendar_set(const struct flow *f, struct arena *a, const struct user *clerk,
                       const char *text, bool sitting, int *changed, struct field_errors *fe,
                       int64_t now, struct err *e);

/* The administrator moves Parliament's calendar (core/house.h's enum
 * house_move): prorogue, open the next session, dissolve, open the next
 * Parliament.  Dissolution moves every petition and draft not yet
 * presented to CLOSED_UPON_DISSOLUTION and every presented one without a
 * response to NOT_ANSWERED_BEFORE_DISSOLUTION, and starts one mailing to
 * everyone concerned; *moved gets how many changed.  ERR_CONFLICT with
 * house_move_blocker()'s key. */
int house_calendar_move(const struct flow *f, struct arena *a, const struct user *admin,
                        enum house_move move, int64_t *moved, int64_t now, struct err *e);

#endif
