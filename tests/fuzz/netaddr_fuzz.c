/*
 * netaddr_fuzz.c: libFuzzer target for network addresses and
 * X-Forwarded-For (src/core/netaddr.c).
 *
 * The input is read as text (up to its first NUL).  Invariants: an
 * address or a range that parses formats as text that parses back to
 * the same value; a range contains its own address; the rate key is
 * never empty; the client read from the input as an X-Forwarded-For
 * header behind a trusted proxy is a valid address, and the header is
 * ignored when the peer is not trusted.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/netaddr.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same(const struct netaddr *a, const struct netaddr *b)
{
    return a->family == b->family && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    assert(s);
    memcpy(s, data, size);
    s[size] = '\0';
    char text[NETADDR_TEXT_MAX];

    struct netaddr a, back;
    if (netaddr_parse(s, &a) == 0) {
        assert(a.family == 4 || a.family == 6);
        netaddr_format(&a, text);
        assert(netaddr_parse(text, &back) == 0 && same(&a, &back));
        netaddr_rate_key(&a, text);
        assert(text[0]);
    }

    struct netrange r, rback;
    if (netrange_parse(s, &r) == 0) {
        assert(r.prefix >= 0 && r.prefix <= (r.addr.family == 4 ? 32 : 128));
        assert(netrange_contains(&r, &r.addr));
        netrange_format(&r, text);
        assert(netrange_parse(text, &rback) == 0);
        assert(same(&r.addr, &rback.addr) && r.prefix == rback.prefix);
    }

    struct netrange trusted[2];
    assert(netrange_parse("127.0.0.0/8", &trusted[0]) == 0);
    assert(netrange_parse("2001:db8::/32", &trusted[1]) == 0);
    struct netaddr peer, client, stranger;
    assert(netaddr_parse("127.0.0.1", &peer) == 0);
    netaddr_client(&peer, s, trusted, 2, &client);
    assert(client.family == 4 || client.family == 6);
    netaddr_format(&client, text);
    assert(netaddr_parse(text, &back) == 0 && same(&client, &back));
    assert(netaddr_parse("203.0.113.9", &stranger) == 0);
    netaddr_client(&stranger, s, trusted, 2, &client);
    assert(same(&client, &stranger));

    const char *domain = email_domain(s);
    if (domain)
        (void)domain_matches(domain, "mail.example.org");
    (void)domain_matches("example.org", s);
    free(s);
    return 0;
}
