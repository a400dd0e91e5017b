/*
 * sign_rules.h: the Clerk's allow and block lists, as use cases (rulebook
 * 11.8).  A signature from a network or an e-mail domain on the block
 * list is held for the Clerk's review; one on the allow list is not
 * held for the rate limits (signing.c screens every signature against
 * both).  Each change is one transaction with the Clerk's audit record.
 */
#ifndef PETITIOND_SIGN_RULES_H
#define PETITIOND_SIGN_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fields.h"

struct err;
struct flow;
struct user;

/* The Clerk's allow and block lists.  value is checked and written in
 * canonical form (a network, or a lower-case domain); fe names "value". */
int sign_rule_add(const struct flow *f, const struct user *clerk, bool block, bool domain,
                  const char *value, const char *note, struct field_errors *fe, int64_t now,
                  struct err *e);
int sign_rule_remove(const struct flow *f, const struct user *clerk, int64_t id, int64_t now,
                     struct err *e);

#endif
