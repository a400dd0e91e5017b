/*
 * netaddr.c: addresses and networks; see netaddr.h.
 */
#include "core/netaddr.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "lib/banned.h"

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int
netaddr_parse(const char *s, struct netaddr *out)
{
    unsigned char buf[16];
    if (!s || !*s || strlen(s) >= NETADDR_TEXT_MAX)
        return -1;
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, s, buf) == 1) {
        memcpy(out->b, buf, 4);
        out->family = 4;
        return 0;
    }
    if (inet_pton(AF_INET6, s, buf) == 1) {
        if (memcmp(buf, v4_mapped, sizeof(v4_mapped)) == 0) {
            memcpy(out->b, buf + 12, 4);
            out->family = 4;
        } else {
            memcpy(out->b, buf, 16);
            out->family = 6;
        }
        return 0;
    }
    return -1;
}

static int
bits(const struct netaddr *a)
{
    return a->family == 4 ? 32 : 128;
}

/* Clear every bit of a after the first prefix bits. */
static void
mask(struct netaddr *a, int prefix)
{
    for (int i = 0; i < 16; i++) {
        int keep = prefix - i * 8;
        if (keep >= 8)
            continue;
        a->b[i] &= keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
    }
}

int
netrange_parse(const char *s, struct netrange *out)
{
    char addr[NETADDR_TEXT_MAX];
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!s)
        return -1;
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    if (alen == 0 || alen >= sizeof(addr))
        return -1;
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    if (netaddr_parse(addr, &out->addr))
        return -1;
    int max = bits(&out->addr), prefix = max;
    if (slash) {
        const char *p = slash + 1;
        size_t n = strlen(p);
        if (n == 0 || n > 3 || (n > 1 && p[0] == '0'))
            return -1;
        prefix = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] < '0' || p[i] > '9')
                return -1;
            prefix = prefix * 10 + (p[i] - '0');
        }
        /* "::ffff:1.2.3.0/120" names IPv4 1.2.3.0/24. */
        if (out->addr.family == 4 && strchr(addr, ':')) {
            if (prefix < 96 || prefix > 128)
                return -1;
            prefix -= 96;
        }
        if (prefix > max)
            return -1;
    }
    out->prefix = prefix;
    mask(&out->addr, prefix);
    return 0;
}

bool
netrange_contains(const struct netrange *r, const struct netaddr *a)
{
    if (r->addr.family != a->family)
        return false;
    struct netaddr m = *a;
    mask(&m, r->prefix);
    return memcmp(m.b, r->addr.b, 16) == 0;
}

void
netaddr_format(const struct netaddr *a, char out[NETADDR_TEXT_MAX])
{
    if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->b, out, NETADDR_TEXT_MAX))
        memcpy(out, "?", 2);
}

void
netrange_format(const struct netrange *r, char out[NETADDR_TEXT_MAX])
{
    netaddr_format(&r->addr, out);
    if (r->prefix == bits(&r->addr))
        return;
    /* At most 45 characters of IPv6 text, then "/128". */
    size_t n = strlen(out);
    char digits[4];
    int k = 0, p = r->prefix;
    do {
        digits[k++] = (char)('0' + p % 10);
        p /= 10;
    } while (p && k < 3);
    out[n++] = '/';
    while (k)
        out[n++] = digits[--k];
    out[n] = '\0';
}

void
netaddr_rate_key(const struct netaddr *a, char out[NETADDR_TEXT_MAX])
{
    if (a->family == 4) {
        netaddr_format(a, out);
        return;
    }
    struct netrange r = {.addr = *a, .prefix = 64};
    mask(&r.addr, 64);
    netrange_format(&r, out);
}

static bool
trusted_addr(const struct netaddr *a, const struct netrange *trusted, int n)
{
    for (int i = 0; i < n; i++)
        if (netrange_contains(&trusted[i], a))
            return true;
    return false;
}

void
netaddr_client(const struct netaddr *peer, const char *xff, const struct netrange *trusted,
               int ntrusted, struct netaddr *out)
{
    *out = *peer;
    if (!xff || !trusted_addr(peer, trusted, ntrusted))
        return;
    /* From the right: each hop was added by the proxy before it. */
    const char *end = xff + strlen(xff);
    while (end > xff) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        const char *a = start, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        char one[NETADDR_TEXT_MAX];
        struct netaddr hop;
        if (b - a <= 0 || (size_t)(b - a) >= sizeof(one))
            return;
        memcpy(one, a, (size_t)(b - a));
        one[b - a] = '\0';
        if (netaddr_parse(one, &hop))
            return;
        *out = hop;
        if (!trusted_addr(&hop, trusted, ntrusted))
            return;
        end = start > xff ? start - 1 : xff;
    }
}

bool
domain_matches(const char *rule, const char *domain)
{
    if (!rule || !domain || !*rule || !*domain)
        return false;
    size_t rn = strlen(rule), dn = strlen(domain);
    if (dn < rn || strcasecmp(domain + dn - rn, rule) != 0)
        return false;
    return dn == rn || domain[dn - rn - 1] == '.';
}

const char *
email_domain(const char *address)
{
    const char *at = address ? strrchr(address, '@') : NULL;
    return at ? at + 1 : NULL;
}
