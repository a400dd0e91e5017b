/*
 * sign_pause.h: the brake for a bad day (issue 19, item 6), as use cases:
 * an administrator pauses signing, of one e-petition or of the whole
 * site, while a bot attack is dealt with, and resumes it.
 *
 * While a pause covers a petition, the signature writer stores no new
 * signature and no confirmation of it: both are refused with
 * ERR_UNAVAILABLE "sign.paused" (signing.c: sign_write(),
 * sign_confirm_write()), which the pages answer with 503 and
 * Retry-After.  Nothing else changes: pages, lists, the API and every
 * other form keep working, the closing date does not move, and the
 * confirmation links already e-mailed stay valid and work once signing
 * resumes.  Each pause and resume is one transaction with the
 * administrator's audit record ("signing.pause", "signing.resume"), and
 * bumps the data's version, so cached pages are drawn again saying so.
 */
#ifndef PETITIOND_SIGN_PAUSE_H
#define PETITIOND_SIGN_PAUSE_H

#include <stdint.h>

#include "core/fields.h"

struct err;
struct flow;
struct user;

/* The longest reason for a pause, in characters. */
enum { SIGN_PAUSE_REASON_MAX = 500 };

/*
 * Pause signing of e-petition e_number, or of the whole site when
 * e_number is 0, by admin at now, for reason (required, at most 500
 * characters; fe names "reason").  ERR_FORBIDDEN when admin is not an
 * administrator; ERR_NOT_FOUND "pause.number_bad" when no published
 * e-petition has that number; ERR_CONFLICT "pause.already" when that
 * pause is in force already.  Else the store's errors.
 */
int sign_pause(const struct flow *f, const struct user *admin, long e_number, const char *reason,
               struct field_errors *fe, int64_t now, struct err *e);

/*
 * Resume signing of e-petition e_number, or of the whole site when
 * e_number is 0 (a petition paused on its own stays paused when the
 * whole site resumes).  ERR_FORBIDDEN as above; ERR_NOT_FOUND
 * "pause.none_there" when no such pause is in force.
 */
int sign_resume(const struct flow *f, const struct user *admin, long e_number, int64_t now,
                struct err *e);

#endif
