/*
 * netaddr_test.c: IP addresses and networks for the rate limits, the
 * allow and block lists and trusted proxies; e-mail domain rules
 * (rulebook 11.8).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/netaddr.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static struct netaddr
addr(const char *s)
{
    struct netaddr a;
    if (netaddr_parse(s, &a) != 0)
        fail_msg("refused address \"%s\"", s);
    return a;
}

static struct netrange
range(const char *s)
{
    struct netrange r;
    if (netrange_parse(s, &r) != 0)
        fail_msg("refused range \"%s\"", s);
    return r;
}

static bool
in(const char *r, const char *a)
{
    struct netrange nr = range(r);
    struct netaddr na = addr(a);
    return netrange_contains(&nr, &na);
}

/* The canonical text of s, which must parse. */
static void
canonical(const char *s, char out[NETADDR_TEXT_MAX])
{
    struct netaddr a = addr(s);
    netaddr_format(&a, out);
}

static void
ipv4_addresses_parse_to_their_four_bytes(void **state)
{
    (void)state;
    static const unsigned char want[4] = {203, 0, 113, 5};
    struct netaddr a = addr("203.0.113.5");
    assert_int_equal(a.family, 4);
    assert_memory_equal(a.b, want, 4);
    a = addr("0.0.0.0");
    assert_int_equal(a.family, 4);
    a = addr("255.255.255.255");
    assert_int_equal(a.b[0], 255);
    assert_int_equal(a.b[3], 255);
}

static void
ipv6_addresses_parse_to_their_sixteen_bytes(void **state)
{
    (void)state;
    static const unsigned char want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                           0,    0,    0,    0,    0, 0, 0, 1};
    struct netaddr a = addr("2001:db8::1");
    assert_int_equal(a.family, 6);
    assert_memory_equal(a.b, want, 16);
    a = addr("2001:DB8:0:0:0:0:0:1");
    assert_int_equal(a.family, 6);
    assert_memory_equal(a.b, want, 16);
    a = addr("::");
    assert_int_equal(a.family, 6);
    a = addr("::1");
    assert_int_equal(a.family, 6);
    assert_int_equal(a.b[15], 1);
}

static void
things_that_are_not_addresses_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",           " ",          "1.2.3",        "1.2.3.4.5",    "256.1.1.1",         "1.2.3.-1",
        " 1.2.3.4",   "1.2.3.4 ",   "1.2.3.4\n",    "010.0.0.1", /* octal to inet_aton, so refused
                                                                    rather than guessed */
        "1.2.3.4/32", "1.2.3.4:80", "::g",          "2001:db8:::1", "1:2:3:4:5:6:7:8:9", " ::1",
        "::1 ",       "[::1]",      "fe80::1%eth0", "example.com",  "1.2.3.4, 5.6.7.8",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct netaddr a;
        if (netaddr_parse(bad[i], &a) != -1)
            fail_msg("accepted address \"%s\"", bad[i]);
    }
}

static void
an_ipv4_mapped_ipv6_address_is_the_ipv4_address(void **state)
{
    (void)state;
    char out[NETADDR_TEXT_MAX];
    struct netaddr mapped = addr("::ffff:203.0.113.5"), plain = addr("203.0.113.5");
    assert_int_equal(mapped.family, 4);
    assert_memory_equal(mapped.b, plain.b, 4);
    netaddr_format(&mapped, out);
    assert_string_equal(out, "203.0.113.5");
    mapped = addr("::FFFF:cb00:7105"); /* the same, written in hex */
    assert_int_equal(mapped.family, 4);
    assert_memory_equal(mapped.b, plain.b, 4);
    assert_true(in("203.0.113.0/24", "::ffff:203.0.113.5"));
    /* Other IPv6 addresses ending in those bytes stay IPv6. */
    assert_int_equal(addr("::fffe:203.0.113.5").family, 6);
    assert_int_equal(addr("64:ff9b::203.0.113.5").family, 6);
}

static void
range_prefixes_are_plain_decimal_within_the_family(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "/24",
        "1.2.3.4/33",
        "1.2.3.4/-1",
        "1.2.3.4/+8",
        "1.2.3.4/",
        "1.2.3.4/08",
        "1.2.3.4/00",
        "1.2.3.4/2x",
        "1.2.3.4/ 8",
        "1.2.3.4/8 ",
        "1.2.3.4 /8",
        " 1.2.3.4/8",
        "1.2.3.4/8/8",
        "1.2.3.4/1000",
        "1.2.3/24",
        "::1/129",
        "2001:db8::/0128",
        "2001:db8::/-0",
        "2001:db8::/",
        "::g/64",
        "1.2.3.4/4294967304",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        struct netrange r;
        if (netrange_parse(bad[i], &r) != -1)
            fail_msg("accepted range \"%s\"", bad[i]);
    }
    assert_int_equal(range("1.2.3.4/0").prefix, 0);
    assert_int_equal(range("1.2.3.4/32").prefix, 32);
    assert_int_equal(range("1.2.3.0/24").prefix, 24);
    assert_int_equal(range("::/0").prefix, 0);
    assert_int_equal(range("::1/128").prefix, 128);
    assert_int_equal(range("2001:db8::/32").prefix, 32);
    /* One address is a full-length range. */
    struct netrange r = range("198.51.100.7");
    assert_int_equal(r.addr.family, 4);
    assert_int_equal(r.prefix, 32);
    r = range("2001:db8::1");
    assert_int_equal(r.addr.family, 6);
    assert_int_equal(r.prefix, 128);
}

static void
host_bits_of_a_range_are_cleared(void **state)
{
    (void)state;
    char out[NETADDR_TEXT_MAX];
    struct netrange r = range("203.0.113.7/24");
    struct netaddr net = addr("203.0.113.0");
    assert_memory_equal(r.addr.b, net.b, 4);
    netrange_format(&r, out);
    assert_string_equal(out, "203.0.113.0/24");

    r = range("203.0.113.255/25");
    netrange_format(&r, out);
    assert_string_equal(out, "203.0.113.128/25");
    r = range("255.255.255.255/1");
    netrange_format(&r, out);
    assert_string_equal(out, "128.0.0.0/1");
    r = range("255.255.255.255/0");
    netrange_format(&r, out);
    assert_string_equal(out, "0.0.0.0/0");

    r = range("2001:db8:ffff:1::1/32");
    net = addr("2001:db8::");
    assert_memory_equal(r.addr.b, net.b, 16);
    netrange_format(&r, out);
    assert_string_equal(out, "2001:db8::/32");
    r = range("2001:db8:1:2:3:4:5:ff/121");
    netrange_format(&r, out);
    assert_string_equal(out, "2001:db8:1:2:3:4:5:80/121");
}

static void
a_range_contains_its_first_and_last_address_only(void **state)
{
    (void)state;
    assert_false(in("203.0.113.0/24", "203.0.112.255"));
    assert_true(in("203.0.113.0/24", "203.0.113.0"));
    assert_true(in("203.0.113.0/24", "203.0.113.255"));
    assert_false(in("203.0.113.0/24", "203.0.114.0"));

    assert_false(in("10.0.0.0/8", "9.255.255.255"));
    assert_true(in("10.0.0.0/8", "10.0.0.0"));
    assert_true(in("10.0.0.0/8", "10.255.255.255"));
    assert_false(in("10.0.0.0/8", "11.0.0.0"));

    /* A prefix that is not a whole number of bytes. */
    assert_false(in("192.0.2.64/26", "192.0.2.63"));
    assert_true(in("192.0.2.64/26", "192.0.2.64"));
    assert_true(in("192.0.2.64/26", "192.0.2.127"));
    assert_false(in("192.0.2.64/26", "192.0.2.128"));
    assert_false(in("172.16.0.0/12", "172.15.255.255"));
    assert_true(in("172.16.0.0/12", "172.31.255.255"));
    assert_false(in("172.16.0.0/12", "172.32.0.0"));

    /* One address. */
    assert_true(in("198.51.100.7", "198.51.100.7"));
    assert_false(in("198.51.100.7", "198.51.100.6"));
    assert_false(in("198.51.100.7", "198.51.100.8"));
    assert_true(in("198.51.100.7/32", "198.51.100.7"));

    assert_false(in("2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_true(in("2001:db8::/32", "2001:db8::"));
    assert_true(in("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_false(in("2001:db8::/32", "2001:db9::"));
    assert_false(in("2001:db8:0:2::/63", "2001:db8:0:1:ffff:ffff:ffff:ffff"));
    assert_true(in("2001:db8:0:2::/63", "2001:db8:0:2::"));
    assert_true(in("2001:db8:0:2::/63", "2001:db8:0:3:ffff:ffff:ffff:ffff"));
    assert_false(in("2001:db8:0:2::/63", "2001:db8:0:4::"));
    assert_true(in("2001:db8::1", "2001:db8::1"));
    assert_false(in("2001:db8::1", "2001:db8::2"));
    assert_false(in("2001:db8::1/128", "2001:db8::"));
}

static void
a_zero_prefix_contains_its_whole_family(void **state)
{
    (void)state;
    assert_true(in("0.0.0.0/0", "0.0.0.0"));
    assert_true(in("0.0.0.0/0", "203.0.113.5"));
    assert_true(in("0.0.0.0/0", "255.255.255.255"));
    assert_true(in("1.2.3.4/0", "255.255.255.255"));
    assert_false(in("0.0.0.0/0", "2001:db8::1"));
    assert_true(in("::/0", "::"));
    assert_true(in("::/0", "2001:db8::1"));
    assert_true(in("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_false(in("::/0", "203.0.113.5"));
    assert_false(in("::/0", "::ffff:203.0.113.5")); /* that is IPv4 */
}

static void
a_range_never_contains_the_other_family(void **state)
{
    (void)state;
    assert_false(in("203.0.113.0/24", "2001:db8::1"));
    /* ::cb00:7100 has the bytes 203.0.113.0 at its end, :: has zeros at its start. */
    assert_false(in("203.0.113.0/24", "::cb00:7100"));
    assert_false(in("0.0.0.0/8", "::"));
    assert_false(in("::/96", "0.0.0.1"));
    assert_false(in("2001:db8::/32", "32.1.13.184")); /* 0x20 0x01 0x0d 0xb8 */
}

static void
only_the_four_bytes_of_an_ipv4_address_count(void **state)
{
    (void)state;
    struct netrange r = range("203.0.113.0/24");
    struct netaddr a;
    memset(a.b, 0xa5, sizeof(a.b)); /* b[4..15] are not used */
    a.b[0] = 203;
    a.b[1] = 0;
    a.b[2] = 113;
    a.b[3] = 9;
    a.family = 4;
    assert_true(netrange_contains(&r, &a));
    r = range("203.0.113.9");
    assert_true(netrange_contains(&r, &a));
    char out[NETADDR_TEXT_MAX];
    netaddr_format(&a, out);
    assert_string_equal(out, "203.0.113.9");
    netaddr_rate_key(&a, out);
    assert_string_equal(out, "203.0.113.9");
}

static void
addresses_are_printed_in_canonical_text(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"203.0.113.5", "203.0.113.5"},
        {"0.0.0.0", "0.0.0.0"},
        {"255.255.255.255", "255.255.255.255"},
        {"::ffff:10.0.0.1", "10.0.0.1"},
        {"::", "::"},
        {"::1", "::1"},
        {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},    /* the first of equal runs */
        {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},      /* the longest run */
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, /* never :: for one zero */
        {"fe80:0:0:0:0:0:0:0", "fe80::"},
        {"FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char out[NETADDR_TEXT_MAX];
        memset(out, 'x', sizeof(out));
        canonical(cases[i].in, out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("\"%s\" printed as \"%s\", not \"%s\"", cases[i].in, out, cases[i].out);
        /* The text reads back as the same address. */
        struct netaddr a = addr(cases[i].in), b = addr(out);
        assert_int_equal(a.family, b.family);
        assert_memory_equal(a.b, b.b, a.family == 4 ? 4 : 16);
    }
}

static void
ranges_are_printed_with_their_prefix_unless_full(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"203.0.113.0/24", "203.0.113.0/24"},
        {"0.0.0.0/0", "0.0.0.0/0"},
        {"10.0.0.0/8", "10.0.0.0/8"},
        {"198.51.100.7/32", "198.51.100.7"},
        {"198.51.100.7", "198.51.100.7"},
        {"2001:DB8::/32", "2001:db8::/32"},
        {"::/0", "::/0"},
        {"2001:db8::1/128", "2001:db8::1"},
        {"2001:db8:1:2::/64", "2001:db8:1:2::/64"},
        {"2001:db8::/100", "2001:db8::/100"},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127",
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char out[NETADDR_TEXT_MAX];
        struct netrange r = range(cases[i].in);
        memset(out, 'x', sizeof(out));
        netrange_format(&r, out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("\"%s\" printed as \"%s\", not \"%s\"", cases[i].in, out, cases[i].out);
        /* The text reads back as the same range. */
        struct netrange back = range(out);
        assert_int_equal(back.prefix, r.prefix);
        assert_int_equal(back.addr.family, r.addr.family);
        assert_memory_equal(back.addr.b, r.addr.b, r.addr.family == 4 ? 4 : 16);
    }
}

static void
an_ipv6_rate_key_is_its_64_and_an_ipv4_one_the_address(void **state)
{
    (void)state;
    char a[NETADDR_TEXT_MAX], b[NETADDR_TEXT_MAX], c[NETADDR_TEXT_MAX], d[NETADDR_TEXT_MAX];
    struct netaddr x = addr("2001:db8:1:2::10"), y = addr("2001:db8:1:2:ffff:ffff:ffff:ffff");
    struct netaddr z = addr("2001:db8:1:3::"), w = addr("2001:db8:1:1:ffff:ffff:ffff:ffff");
    netaddr_rate_key(&x, a);
    netaddr_rate_key(&y, b);
    netaddr_rate_key(&z, c);
    netaddr_rate_key(&w, d);
    assert_string_equal(a, "2001:db8:1:2::/64");
    assert_string_equal(b, a); /* one home */
    assert_string_equal(c, "2001:db8:1:3::/64");
    assert_string_equal(d, "2001:db8:1:1::/64");
    x = addr("2001:db8::1");
    netaddr_rate_key(&x, a);
    assert_string_equal(a, "2001:db8::/64");
    x = addr("::1");
    netaddr_rate_key(&x, a);
    assert_string_equal(a, "::/64");

    x = addr("198.51.100.7");
    y = addr("198.51.100.8");
    z = addr("::ffff:198.51.100.7");
    netaddr_rate_key(&x, a);
    netaddr_rate_key(&y, b);
    netaddr_rate_key(&z, c);
    assert_string_equal(a, "198.51.100.7");
    assert_string_equal(b, "198.51.100.8");
    assert_string_equal(c, a); /* the same person however the socket reports it */
}

/* The client netaddr_client finds, as text. */
static const char *
client(const char *peer, const char *xff, const struct netrange *trusted, int n)
{
    static char out[NETADDR_TEXT_MAX];
    struct netaddr p = addr(peer), c;
    memset(&c, 0x5a, sizeof(c));
    netaddr_client(&p, xff, trusted, n, &c);
    netaddr_format(&c, out);
    return out;
}

static void
forwarded_for_is_ignored_from_an_untrusted_peer(void **state)
{
    (void)state;
    struct netrange t[1] = {range("10.0.0.0/8")};
    assert_string_equal(client("198.51.100.7", "1.1.1.1", t, 1), "198.51.100.7");
    assert_string_equal(client("198.51.100.7", "1.1.1.1, 10.0.0.2", t, 1), "198.51.100.7");
    assert_string_equal(client("11.0.0.1", "1.1.1.1", t, 1), "11.0.0.1");
    assert_string_equal(client("2001:db8::1", "1.1.1.1", t, 1), "2001:db8::1");
    assert_string_equal(client("10.0.0.2", "1.1.1.1", NULL, 0), "10.0.0.2"); /* none trusted */
    assert_string_equal(client("10.0.0.2", "1.1.1.1", t, 0), "10.0.0.2");
}

static void
forwarded_for_is_walked_from_the_right_behind_trusted_proxies(void **state)
{
    (void)state;
    struct netrange t[3] = {range("10.0.0.0/8"), range("127.0.0.1"), range("2001:db8:f::/48")};
    assert_string_equal(client("10.0.0.1", "1.1.1.1", t, 3), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1, 10.0.0.2", t, 3), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1,10.0.0.2", t, 3), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "  1.1.1.1  ,  10.0.0.2  ", t, 3), "1.1.1.1");
    assert_string_equal(client("127.0.0.1", "1.1.1.1, 10.0.0.2, 127.0.0.1", t, 3), "1.1.1.1");
    /* Anyone can put anything on the left: the first untrusted hop from the right wins. */
    assert_string_equal(client("10.0.0.1", "6.6.6.6, 1.1.1.1", t, 3), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "6.6.6.6, 1.1.1.1, 10.0.0.2", t, 3), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "10.9.9.9, 1.1.1.1, 10.0.0.2", t, 3), "1.1.1.1");
    /* IPv6 hops and proxies; a mapped hop is its IPv4 address. */
    assert_string_equal(client("2001:db8:f::1", "2001:db8::5", t, 3), "2001:db8::5");
    assert_string_equal(client("10.0.0.1", "2001:db8::5, 2001:db8:f:1::1", t, 3), "2001:db8::5");
    assert_string_equal(client("10.0.0.1", "::ffff:1.1.1.1", t, 3), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1, ::ffff:10.0.0.9", t, 3), "1.1.1.1");
    /* The trusted ranges are each consulted, not only the first. */
    assert_string_equal(client("2001:db8:f:ffff::1", "1.1.1.1, 127.0.0.1", t, 3), "1.1.1.1");
}

static void
forwarded_for_stops_at_a_bad_hop(void **state)
{
    (void)state;
    struct netrange t[1] = {range("10.0.0.0/8")};
    /* Nothing good to the right of the bad hop: the peer. */
    assert_string_equal(client("10.0.0.1", "garbage", t, 1), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1, garbage", t, 1), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1:443", t, 1), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "[2001:db8::5]", t, 1), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1, unknown", t, 1), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1,", t, 1), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "1.1.1.1, 10.0.0.2 x", t, 1), "10.0.0.1");
    /* A good, trusted hop to its right: that hop (the walk goes no further left). */
    assert_string_equal(client("10.0.0.1", "1.1.1.1, garbage, 10.0.0.2", t, 1), "10.0.0.2");
    assert_string_equal(client("10.0.0.1", "1.1.1.1,,10.0.0.2", t, 1), "10.0.0.2");
    assert_string_equal(client("10.0.0.1", "1.1.1.1, 10.0.0.3, 10.0.0.2 1", t, 1), "10.0.0.1");
    /* A bad hop left of the answer does not matter. */
    assert_string_equal(client("10.0.0.1", "garbage, 1.1.1.1", t, 1), "1.1.1.1");
    assert_string_equal(client("10.0.0.1", "garbage, 1.1.1.1, 10.0.0.2", t, 1), "1.1.1.1");
    /* An entry too long to be an address. */
    char long_xff[300];
    memset(long_xff, '1', sizeof(long_xff) - 1);
    long_xff[sizeof(long_xff) - 1] = '\0';
    assert_string_equal(client("10.0.0.1", long_xff, t, 1), "10.0.0.1");
}

static void
forwarded_for_empty_or_all_trusted(void **state)
{
    (void)state;
    struct netrange t[2] = {range("10.0.0.0/8"), range("::1")};
    assert_string_equal(client("10.0.0.1", NULL, t, 2), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "", t, 2), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "   ", t, 2), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", ",", t, 2), "10.0.0.1");
    /* Every hop trusted: the leftmost. */
    assert_string_equal(client("10.0.0.1", "10.1.1.1,10.2.2.2", t, 2), "10.1.1.1");
    assert_string_equal(client("10.0.0.1", "10.1.1.1, ::1, 10.2.2.2", t, 2), "10.1.1.1");
    assert_string_equal(client("::1", "10.3.3.3", t, 2), "10.3.3.3");
}

static void
domain_rules_match_the_domain_and_its_subdomains(void **state)
{
    (void)state;
    assert_true(domain_matches("example.com", "example.com"));
    assert_true(domain_matches("example.com", "mail.example.com"));
    assert_true(domain_matches("example.com", "a.b.mail.example.com"));
    assert_true(domain_matches("Example.COM", "MAIL.example.Com"));
    assert_true(domain_matches("example.com", "EXAMPLE.COM"));
    assert_true(domain_matches("com", "example.com"));
    assert_false(domain_matches("example.com", "badexample.com"));
    assert_false(domain_matches("example.com", "xample.com"));
    assert_false(domain_matches("mail.example.com", "example.com"));
    assert_false(domain_matches("example.com", "example.com.evil.test"));
    assert_false(domain_matches("example.com", "example.co"));
    assert_false(domain_matches("example.com", "example.comm"));
    assert_false(domain_matches("example.com", "exampleXcom"));
    assert_false(domain_matches("example.com", "example.org"));
    assert_false(domain_matches("", "example.com"));
    assert_false(domain_matches("example.com", ""));
    assert_false(domain_matches("", ""));
    /* ASCII case folding only: no byte beyond it is folded. */
    assert_false(domain_matches("\xc3\xa9xample.com", "\xc3\x89xample.com"));
    assert_true(domain_matches("\xc3\xa9xample.com", "\xc3\xa9xample.com"));
}

static void
an_email_domain_is_after_the_last_at_sign(void **state)
{
    (void)state;
    const char *a = "alice@example.com";
    assert_ptr_equal(email_domain(a), a + 6);
    assert_string_equal(email_domain("a@b@c.example"), "c.example");
    assert_string_equal(email_domain("\"a@b\"@example.org"), "example.org");
    assert_string_equal(email_domain("@example.com"), "example.com");
    assert_string_equal(email_domain("alice@"), "");
    assert_null(email_domain("no-at-sign"));
    assert_null(email_domain(""));
    assert_true(domain_matches("example.com", email_domain("bob@Mail.Example.com")));
    assert_false(domain_matches("example.com", email_domain("bob@example.com@")));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_addresses_parse_to_their_four_bytes),
        cmocka_unit_test(ipv6_addresses_parse_to_their_sixteen_bytes),
        cmocka_unit_test(things_that_are_not_addresses_are_refused),
        cmocka_unit_test(an_ipv4_mapped_ipv6_address_is_the_ipv4_address),
        cmocka_unit_test(range_prefixes_are_plain_decimal_within_the_family),
        cmocka_unit_test(host_bits_of_a_range_are_cleared),
        cmocka_unit_test(a_range_contains_its_first_and_last_address_only),
        cmocka_unit_test(a_zero_prefix_contains_its_whole_family),
        cmocka_unit_test(a_range_never_contains_the_other_family),
        cmocka_unit_test(only_the_four_bytes_of_an_ipv4_address_count),
        cmocka_unit_test(addresses_are_printed_in_canonical_text),
        cmocka_unit_test(ranges_are_printed_with_their_prefix_unless_full),
        cmocka_unit_test(an_ipv6_rate_key_is_its_64_and_an_ipv4_one_the_address),
        cmocka_unit_test(forwarded_for_is_ignored_from_an_untrusted_peer),
        cmocka_unit_test(forwarded_for_is_walked_from_the_right_behind_trusted_proxies),
        cmocka_unit_test(forwarded_for_stops_at_a_bad_hop),
        cmocka_unit_test(forwarded_for_empty_or_all_trusted),
        cmocka_unit_test(domain_rules_match_the_domain_and_its_subdomains),
        cmocka_unit_test(an_email_domain_is_after_the_last_at_sign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
