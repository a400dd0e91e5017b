/*
 * weburl_test.c: petitions may hold no URL, link or other web reference
 * (rulebook 3), while ordinary prose full of full stops is left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/weburl.h"
#include "lib/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static bool
found(const char *s)
{
    return weburl_find(s, strlen(s), NULL);
}

/* Check that s holds a reference and that it is exactly want. */
static void
assert_match(const char *s, const char *want)
{
    struct weburl_match m = {0, 0};
    if (!weburl_find(s, strlen(s), &m))
        fail_msg("no reference found in \"%s\"", s);
    if (m.len != strlen(want) || memcmp(s + m.offset, want, m.len) != 0)
        fail_msg("in \"%s\": found \"%.*s\", wanted \"%s\"", s, (int)m.len, s + m.offset, want);
}

static void
assert_prose(const char *const *texts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct weburl_match m = {0, 0};
        if (weburl_find(texts[i], strlen(texts[i]), &m))
            fail_msg("false positive \"%.*s\" in \"%s\"", (int)m.len, texts[i] + m.offset,
                     texts[i]);
    }
}

static void
scheme_urls_are_web_references(void **state)
{
    (void)state;
    assert_match("http://example.org", "http://example.org");
    assert_match("see https://www.ourcommons.ca/petitions/en/Home now",
                 "https://www.ourcommons.ca/petitions/en/Home");
    assert_match("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG");
    assert_match("ftp://files", "ftp://files");
    assert_match("sftp://host/x", "sftp://host/x");
    assert_match("write to mailto:x@y.ca.", "mailto:x@y.ca");
    assert_match("http://localhost:8080/", "http://localhost:8080/");
}

static void
www_is_a_web_reference_whatever_follows(void **state)
{
    (void)state;
    assert_match("visit www.example.com", "www.example.com");
    assert_match("(www.parl.ca)", "www.parl.ca");
    assert_match("WWW.PARL.CA", "WWW.PARL.CA");
    assert_match("www.anything", "www.anything");
}

static void
bare_domains_are_web_references(void **state)
{
    (void)state;
    assert_match("go to example.ca for more", "example.ca");
    assert_match("example.ca/page", "example.ca/page");
    assert_match("Canada.ca", "Canada.ca");
    assert_match("EXAMPLE.COM", "EXAMPLE.COM");
    assert_match("see petition.gc.ca.", "petition.gc.ca");
    assert_match("my-site.online", "my-site.online");
    assert_match("host.example.org:8080/x?a=1.", "host.example.org:8080/x?a=1");
    assert_match("sign at Change.Org today", "Change.Org");
    assert_match("belarus.life", "belarus.life");
    assert_match("gov.uk and europa.eu", "gov.uk");
    assert_match("xn--d1abbgf6aiiy.xn--p1ai", "xn--d1abbgf6aiiy.xn--p1ai");
}

static void
email_addresses_are_web_references(void **state)
{
    (void)state;
    assert_match("write to someone@example.org please", "someone@example.org");
    assert_match("contact a.b@mail.example.ca today", "a.b@mail.example.ca");
    assert_match("jean_luc+petition@example.qc.ca", "jean_luc+petition@example.qc.ca");
    assert_match("SOMEONE@EXAMPLE.ORG.", "SOMEONE@EXAMPLE.ORG");
    assert_false(found("meet @ 5 p.m."));
    assert_false(found("someone@localhost"));
    assert_match("follow @canada.ca", "canada.ca");
}

static void
a_domain_ends_at_punctuation_not_at_a_letter(void **state)
{
    (void)state;
    assert_match("«\xc2\xa0"
                 "canada.ca\xc2\xa0»",
                 "canada.ca");
    assert_match("canada.ca’s site", "canada.ca");
    assert_match("\xe2\x80\x9c"
                 "canada.ca\xe2\x80\x9d",
                 "canada.ca");
    assert_match("(see canada.ca), then", "canada.ca");
    assert_false(found("exemple.caé"));
    assert_false(found("example.ca2"));
}

static void
the_first_reference_is_reported_where_it_is(void **state)
{
    (void)state;
    struct weburl_match m;
    const char *s = "Please read example.ca/page today, or www.b.ca";
    assert_true(weburl_find(s, strlen(s), &m));
    assert_int_equal(m.offset, 12);
    assert_int_equal(m.len, strlen("example.ca/page"));
    /* Only the len bytes are read. */
    assert_false(weburl_find(s, 18, &m));
    assert_false(weburl_find("", 0, &m));
    assert_false(weburl_find(NULL, 0, NULL));
}

static void
abbreviations_and_numbers_are_not_web_references(void **state)
{
    (void)state;
    static const char *const prose[] = {
        "e.g. this",
        "i.e. that",
        "the U.S. and Canada",
        "the U.S.A.",
        "at 9:30 a.m. and 2 p.m.",
        "No. 5",
        "No.5",
        "1.5 million",
        "St. John's",
        "Sept.15",
        "Mr. Smith.",
        "Ph.D., M.Sc. and B.Ed.",
        "P.E.I. and N.W.T.",
        "etc.",
        "$600,000",
        "section 36.1(b)",
        "c.-à-d. p. ex. M. Trudeau",
        "version 2.0",
        "report.pdf and controller.rb",
        "the end.of it",
    };
    assert_prose(prose, N_ELEMS(prose));
}

static void
sentences_run_together_are_not_web_references_when_capitalised(void **state)
{
    (void)state;
    static const char *const prose[] = {
        "the end.In 2020",          "Dr.Smith", "in Belarus.Life is hard", "see Canada.Ca",
        "elections.The repression",
    };
    assert_prose(prose, N_ELEMS(prose));
    /* In lower case the same run is read as a domain. */
    assert_match("the end.in 2020", "end.in");
}

/* e-2829 as published (seed 003): the whereas clauses and the prayer,
 * and a passage of the government's response full of "U.S," and "U.K.". */
static void
the_text_of_e2829_has_no_web_reference(void **state)
{
    (void)state;
    static const char *const e2829[] = {
        "The August 9, 2020, Presidential election in Belarus became one of the dirtiest rigged "
        "elections;",
        "Dictator Lukashenko’s regime brutally suppressed the ensuing nationwide peaceful "
        "protests with rubber bullets, tear gas, water cannons, and stun grenades; and",
        "The repression resulted in over 7,000 unlawful detentions, four confirmed deaths (one "
        "caused by use of fire arms), and 89 cases of missing people.",
        "We, the undersigned, Canadians and permanent residents of Canada, call upon the "
        "Government of Canada to:\n"
        "1. Demand that Belarusian officials free all political prisoners;\n"
        "2. Demand that dictator Lukashenko resign immediately;\n"
        "3. Demand that a proper investigation be conducted into the atrocities committed in the "
        "streets and in Belarusian detention centres (violent beatings, torture, rape, denial of "
        "medical care);\n"
        "4. Demand that Belarusian officials immediately stop repression against any individuals "
        "and organizations that started industrial action, and against any citizens opposed to "
        "the Lukashenko regime;\n"
        "5. Adopt the Magnitsky Act for Belarus that would include all persons involved in the "
        "repression, abductions, torture, murders, dismissals, threats of removal of children "
        "from families, as well as the persons involved in falsifying the 2020 election "
        "results;\n"
        "6. Appeal to the UN Security Council to refer Lukashenko and his regime to the "
        "International Criminal Court for crimes against humanity;\n"
        "7. Support the democratic movement and its activists within Belarus by all acceptable "
        "means, and support the democratic initiatives of Belarusians abroad; and\n"
        "8. Prevent Russia’s interference in the conflict between Belarusian society and the "
        "Lukashenko regime.",
        "The Government of Canada worked with likeminded partners including the EU, U.K., and "
        "the U.S, to address the situation. Canada with 16 other participating States pressed "
        "to invoke the Moscow Mechanism. On September 23, 2020, Canada announced $600,000 of "
        "funding.",
    };
    assert_prose(e2829, N_ELEMS(e2829));
}

static void
hostile_text_is_searched_in_linear_time(void **state)
{
    (void)state;
    /* Every "a" starts a run whose local-part scan reaches the end: were
     * each scanned afresh, 256 KiB would take minutes instead of
     * milliseconds. */
    static const char *const patterns[] = {"a_", "a.b_", "a@", ". "};
    static char text[256 * 1024];
    size_t n = sizeof(text);
    for (size_t p = 0; p < N_ELEMS(patterns); p++) {
        size_t k = strlen(patterns[p]);
        for (size_t i = 0; i < n; i++)
            text[i] = patterns[p][i % k];
        assert_false(weburl_find(text, n, NULL));
    }
    memcpy(text + n - 10, "@x.ca", 5);
    assert_true(weburl_find(text, n, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scheme_urls_are_web_references),
        cmocka_unit_test(www_is_a_web_reference_whatever_follows),
        cmocka_unit_test(bare_domains_are_web_references),
        cmocka_unit_test(email_addresses_are_web_references),
        cmocka_unit_test(a_domain_ends_at_punctuation_not_at_a_letter),
        cmocka_unit_test(the_first_reference_is_reported_where_it_is),
        cmocka_unit_test(abbreviations_and_numbers_are_not_web_references),
        cmocka_unit_test(sentences_run_together_are_not_web_references_when_capitalised),
        cmocka_unit_test(the_text_of_e2829_has_no_web_reference),
        cmocka_unit_test(hostile_text_is_searched_in_linear_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
