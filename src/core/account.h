/*
 * account.h: people who sign in, and what each role may do.
 *
 * Petitioners register themselves; staff accounts (the Clerk, Members,
 * responders for a ministry, administrators) are made with `petitiond
 * user add`.  Each role has its own workspace and nothing else.
 */
#ifndef PETITIOND_ACCOUNT_H
#define PETITIOND_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/lang.h"

enum role {
    ROLE_PETITIONER,
    ROLE_CLERK,
    ROLE_MEMBER,
    ROLE_RESPONDER,
    ROLE_ADMIN,
    ROLE_COUNT,
};

/* "petitioner", "clerk", "member", "responder", "admin"; "" outside. */
const char *role_name(enum role r);
int role_from_name(const char *s, size_t len, enum role *out);

/* The workspace path of a role under /{lang}: "account", "clerk",
 * "member", "responder", "admin". */
const char *role_workspace(enum role r);

struct user {
    int64_t id;
    const char *email;
    enum role role;
    const char *password_hash; /* NULL until a password is set */
    const char *first_name;
    const char *last_name;
    const char *city;
    const char *province;
    const char *country;
    const char *postal_code;
    const char *phone;
    enum lang lang;
    int64_t member_id;   /* ROLE_MEMBER: the Member's record */
    int64_t ministry_id; /* ROLE_RESPONDER: the ministry */
    int64_t created_at;
    int64_t activated_at; /* 0 until the e-mailed link is followed */
    int64_t generation;   /* bumped at each password change */
};

/* Passwords: 10 to 256 bytes of valid UTF-8 without control characters.
 * Returns NULL when fine, else a message key ("field.password_short",
 * "field.password_long", "field.utf8"). */
const char *password_problem(const char *pw);

/* Sign-in attempts allowed in a window before refusing (per account and
 * per address), and the window. */
enum { SIGN_IN_MAX_FAILURES = 5, SIGN_IN_IP_MAX_FAILURES = 20, SIGN_IN_WINDOW = 15 * 60 };

/* Validity of what we hand out, in seconds. */
enum {
    SESSION_LIFETIME = 12 * 3600,
    ACTIVATION_LIFETIME = 7 * 86400,
    RESET_LIFETIME = 2 * 3600,
    SET_PASSWORD_LIFETIME = 7 * 86400,
};

#endif
