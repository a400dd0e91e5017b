/*
 * netaddr.h: IP addresses and networks, for the rate limits, the Clerk's
 * allow and block lists and trusted proxies (rulebook 11.8).
 *
 * Pure: no I/O, no allocation, thread-safe.  An IPv4-mapped IPv6 address
 * (::ffff:203.0.113.5) is read as the IPv4 address, so one person is one
 * address whichever way the socket reports it.
 */
#ifndef PETITIOND_NETADDR_H
#define PETITIOND_NETADDR_H

#include <stdbool.h>

enum { NETADDR_TEXT_MAX = 64 }; /* any formatted address or range, with its NUL */

struct netaddr {
    unsigned char b[16]; /* IPv4 in b[0..3] */
    int family;          /* 4 or 6 */
};

struct netrange {
    struct netaddr addr; /* host bits zeroed */
    int prefix;
};

/* "203.0.113.5" or "2001:db8::1", nothing around it.  0 or -1. */
int netaddr_parse(const char *s, struct netaddr *out);

/* "203.0.113.0/24", "2001:db8::/32", or one address (a full prefix).  The
 * prefix is 0..32 or 0..128 in plain decimal; host bits set in the
 * address are cleared.  0 or -1. */
int netrange_parse(const char *s, struct netrange *out);

/* a is inside r (same family only). */
bool netrange_contains(const struct netrange *r, const struct netaddr *a);

/* Dotted quad, or RFC 5952 IPv6. */
void netaddr_format(const struct netaddr *a, char out[NETADDR_TEXT_MAX]);

/* "203.0.113.0/24"; a full prefix prints the address alone. */
void netrange_format(const struct netrange *r, char out[NETADDR_TEXT_MAX]);

/* The key one person's signatures are rate-limited under: an IPv4
 * address itself; for IPv6 its /64 ("2001:db8:1:2::/64"), since one home
 * is given a whole /64. */
void netaddr_rate_key(const struct netaddr *a, char out[NETADDR_TEXT_MAX]);

/*
 * The client behind trusted proxies.  When peer is inside a trusted range
 * and xff (an X-Forwarded-For value, may be NULL) lists addresses, walk
 * the list from the right and answer the first address that is not
 * itself trusted (the leftmost when all are); an entry that does not
 * parse stops the walk at the last good address to its right (or the
 * peer).  When the peer is not trusted the header is ignored (anyone can
 * write it) and the answer is the peer.
 */
void netaddr_client(const struct netaddr *peer, const char *xff, const struct netrange *trusted,
                    int ntrusted, struct netaddr *out);

/* An e-mail domain rule: domain is rule or one of its subdomains
 * ("example.com" matches "mail.example.com", not "badexample.com"),
 * ASCII case-insensitive; empty never matches. */
bool domain_matches(const char *rule, const char *domain);

/* The part of an address after its last '@', or NULL. */
const char *email_domain(const char *address);

#endif
