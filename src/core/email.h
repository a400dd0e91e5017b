/*
 * email.h: e-mail addresses as the domain sees them.
 *
 * One person, one signature and one supporter's confirmation: addresses
 * are compared by a normalised key, the "e-mail key" (rulebook 11.6 as
 * docs/process.md amends it): the whole address in lower case (the local
 * part too: Zoe@Example.CA and zoe@example.ca are one mailbox, as every
 * real provider delivers them), a "+tag" after the local part removed,
 * and for gmail.com and googlemail.com the dots of the local part removed
 * (and googlemail.com read as gmail.com).  Accounts are keyed by the
 * whole address in lower case, tags and dots kept.  Keys stored before
 * this rule folded the local part's case are kept by migration 0010 when
 * folding them would make two rows one (store/signing.h, "same mailbox").
 * Pure and thread-safe.
 */
#ifndef PETITIOND_EMAIL_H
#define PETITIOND_EMAIL_H

#include <stdbool.h>
#include <stddef.h>

enum { EMAIL_MAX = 254 };

/* True for an address we accept: local@domain, at most 254 bytes,
 * printable ASCII without spaces or any of <>()[],;:\" , a local part of
 * 1..64 bytes, a domain of dot-separated labels of letters, digits and
 * '-' (not at either end of a label) with at least two labels, and no
 * empty label or part. */
bool email_valid(const char *s, size_t len);

/* Write the normalised key of a valid address to out (at least
 * EMAIL_MAX + 1 bytes): only lower-case ASCII letters, whatever the
 * address's case.  Returns 0, or -1 when the address is invalid. */
int email_key(const char *s, size_t len, char out[EMAIL_MAX + 1]);

/* Write the address in lower case to out (sign-in key).  Returns 0 or
 * -1 when invalid. */
int email_account_key(const char *s, size_t len, char out[EMAIL_MAX + 1]);

#endif
