/*
 * signature.h: signing an open petition (rulebook 4, 11.6-11.10),
 * decided from plain values and `now`.
 *
 * A signature is counted when the signer confirmed it from the e-mailed
 * link and nothing holds it: its review is clear (no limit or list
 * tripped) or the Clerk validated it.  A signature that trips a rate
 * limit or the block list is stored as suspect: the signer sees and
 * receives exactly what everyone does, and it is not counted until the
 * Clerk validates it (11.8).  After closing, a pending signature may be
 * confirmed during the grace (24 hours); then the petition goes to the
 * Clerk's certification queue or, short of the threshold, is not
 * certified (11.10).
 */
#ifndef PETITIOND_SIGNATURE_H
#define PETITIOND_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/jurisdiction.h"
#include "lib/lang.h"
#include "core/petition_state.h"
#include "core/province.h"

/* E-mails one signature may cause in all: its confirmation, then the
 * answers to repeated attempts with the same address (11.6). */
enum { SIGNATURE_MAILS_MAX = 5 };

enum signature_review {
    REVIEW_CLEAR,       /* nothing tripped */
    REVIEW_SUSPECT,     /* held for the Clerk */
    REVIEW_VALIDATED,   /* the Clerk cleared it */
    REVIEW_INVALIDATED, /* the Clerk refused it */
    REVIEW_COUNT
};

/* "clear", "suspect", "validated", "invalidated". */
const char *signature_review_name(enum signature_review r);
int signature_review_from_name(const char *s, size_t len, enum signature_review *out);

/* Why a signature was held. */
enum sign_flag {
    SIGN_FLAG_NONE,
    SIGN_FLAG_BLOCKED,   /* its address or e-mail domain is on the block list */
    SIGN_FLAG_BURST,     /* too many from its address in the burst window */
    SIGN_FLAG_SUSTAINED, /* too many in the sustained window */
};

/* "blocked", "burst", "sustained"; NULL for none. */
const char *sign_flag_name(enum sign_flag f);

struct signature_record {
    int64_t id;
    int64_t petition_id;
    const char *email_key;
    const char *email;
    const char *first_name;
    const char *last_name;
    const char *country;
    enum region region;
    const char *postal_code;
    const char *phone;
    enum lang lang;
    const char *ip;
    const char *rate_key;
    int64_t created_at;
    int64_t confirmed_at; /* 0 while pending */
    enum signature_review review;
    const char *flag; /* sign_flag_name(), or NULL */
    int64_t reviewed_at;
    int64_t reviewed_by;
    int mails;               /* e-mails sent about it */
    const char *review_note; /* the Clerk's reason, or NULL */
    /* While it counts, the index of its "sig" entry in the petition's log
     * (core/petition_log.h); logged is false for a signature counted
     * before the log existed, or not counted. */
    bool logged;
    int64_t log_index;
};

/* Counted in the petition's totals. */
bool signature_counted(int64_t confirmed_at, enum signature_review r);

/* What a change from (confirmed, review) before to after does to the
 * count: -1, 0 or +1. */
int signature_count_delta(int64_t confirmed_before, enum signature_review before,
                          int64_t confirmed_after, enum signature_review after);

/* What a new signature's checks found (11.8). */
struct sign_screen {
    bool blocked;       /* address or domain on the block list (beats allow) */
    bool allowed;       /* on the allow list: no rate limits */
    int64_t burst_seen; /* earlier signatures from its rate key on this petition within
                           the burst window */
    int64_t sustained_seen;
};

/* The flag a new signature gets: blocked first, then the limits (a
 * window allows count signatures; the next one trips it). */
enum sign_flag sign_screen_flag(const struct sign_screen *s, const struct jurisdiction *j);

/* The petition takes new signatures: open and before closing. */
bool petition_signable(enum petition_state s, int64_t closes_at, int64_t now);

/* A pending signature may still be confirmed: open, or closed and
 * waiting for certification within grace_hours of closing. */
bool signature_confirmable(enum petition_state s, int64_t closes_at, int grace_hours, int64_t now);

/* The timers of a published petition around its closing. */
struct closing_timers {
    enum petition_state state;
    int64_t closes_at;
    int grace_hours;
    int64_t queued_at;         /* 0 until it entered the certification queue */
    int64_t total;             /* counted signatures */
    int64_t suspect_confirmed; /* held but confirmed: the Clerk may still count them */
    int threshold;             /* signatures to certify */
};

enum closing_due {
    CLOSING_NOTHING,
    CLOSING_CLOSE,         /* OPEN_FOR_SIGNATURE -> WAITING_FOR_CERTIFICATION */
    CLOSING_NOT_CERTIFIED, /* the grace is over and too few signatures even with the held ones */
    CLOSING_QUEUE,         /* the grace is over: into the Clerk's certification queue */
};

enum closing_due closing_due(const struct closing_timers *t, int64_t now);

/* The rules a petition closes under: those fixed on it at publication,
 * else (older records: grace_hours < 0, threshold 0) the jurisdiction's. */
int petition_grace_hours(int fixed, const struct jurisdiction *j);
int petition_threshold(int fixed, const struct jurisdiction *j);

/* When the grace after closing ends. */
int64_t closing_grace_end(int64_t closes_at, int grace_hours);

/* Why the Clerk cannot certify now (a message key), or NULL when the
 * petition may be certified: queued, nothing held, enough signatures. */
const char *certification_blocker(const struct closing_timers *t, int64_t suspect_left);

/* Why the Clerk cannot record a queued petition as not certified, or
 * NULL: it must be queued, and short of the threshold even if every held
 * but confirmed signature were validated. */
const char *refusal_blocker(const struct closing_timers *t);

#endif
