/*
 * review_test.c: the Clerk's validation tools over HTTP (rulebook 11.7):
 * the search of one petition's signatures by e-mail domain (with its
 * subdomains), network (IPv4 and IPv6), postal code prefix, time window
 * (Eastern dates) and state returns exactly the matching rows; a bulk
 * invalidation is previewed, then confirmed with the previewed count, and
 * the public counts (total and by province) drop by exactly that many at
 * once; a stale count is refused (409) and changes nothing; a bulk
 * validation of held signatures counts them; each bulk action leaves one
 * audit record; bad filters are refused beside their field (422) in the
 * page's language; only the Clerk, and only while the petition may be
 * reviewed.  Signatures whose addresses differ only by case, from before
 * the e-mail key folded the local part (migration 0010 run again on such
 * rows of e-7002): nothing merged, counted on the Clerk's pages, listed by
 * the search "same mailbox", a new spelling of one "already signed", and
 * one invalidated by the Clerk moving the count.
 *
 * One server in development mode over tests/integration/data/signing.json
 * (e-7003 and e-7004: open, nothing counted).  The signatures are made
 * once, by the first test that needs them: two of them three days
 * earlier (the server's clock set back), one never confirmed, two held
 * by the burst limit (three from one address within a minute).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/eastern_time.h"
#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;
static int64_t t_now, t_early;
static char early_day[11]; /* the Eastern date of t_early, "2026-11-20" */

/* ---- steps ---------------------------------------------------------------------- */

struct signer {
    const char *email;
    const char *province;
    const char *postal;
    const char *ip; /* X-Forwarded-For */
};

static void
sign(const char *number, const struct signer *s)
{
    char form[1024], path[128], xff[128];
    snprintf(form, sizeof(form),
             "first_name=Sam&last_name=Signer&email=%s&country=Canada&province=%s"
             "&postal_code=%s&phone=613-555-0100&eligible=1&terms=1",
             s->email, s->province, s->postal);
    for (char *p = form; *p; p++)
        if (*p == ' ')
            *p = '+';
    snprintf(xff, sizeof(xff), "X-Forwarded-For: %s", s->ip);
    snprintf(path, sizeof(path), "/en/petitions/%s/sign", number);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, &r), 0);
    if (r.status != 303)
        fprintf(stderr, "sign %s -> %ld\n%s\n", s->email, r.status, r.body);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

static void
clerk(struct browser *b)
{
    browser_init(b, &H);
    assert_int_equal(web_sign_in(b, "clerk@petitions.test", "petitions-demo"), 303);
}

/* The signatures every test searches, made once (see the top). */
static void
ensure_signatures(void)
{
    static bool made;
    if (made)
        return;
    made = true;
    struct signer early[] = {
        {"a1@alpha.example", "ON", "K1A 0A6", "203.0.113.5"},
        {"b1@badalpha.example", "QC", "H2X 1Y4", "198.51.100.20"},
    };
    struct signer later[] = {
        {"a2@mail.alpha.example", "ON", "K2P 1L4", "203.0.113.77"},
        {"c1@other.example", "BC", "V6B 1A1", "2001:db8:0:1::5"},
        {"c2@other.example", "ON", "K1A 0B1", "2001:db8:0:2::9"}, /* never confirmed */
        {"h1@held.example", "ON", "M5V 2T6", "192.0.2.200"},
        {"h2@held.example", "ON", "M5V 2T7", "192.0.2.200"}, /* held: burst */
        {"h3@held.example", "ON", "M5V 2T8", "192.0.2.200"}, /* held: burst */
    };
    harness_set_clock(&H, t_early);
    for (size_t i = 0; i < 2; i++) {
        sign("e-7003", &early[i]);
        confirm_from_mail(&H, early[i].email);
    }
    harness_set_clock(&H, t_now);
    for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
        sign("e-7003", &later[i]);
        if (strcmp(later[i].email, "c2@other.example") != 0)
            confirm_from_mail(&H, later[i].email);
    }
    /* Counted: a1, b1, a2, c1, h1. */
    assert_int_equal(api_count(&H, "e-7003", NULL), 5);
    assert_int_equal(api_count(&H, "e-7003", "ON"), 3);
}

/* The table of matches on a search page (malloc'd; "" when there is none). */
static char *
matches_of(const struct http_result *r)
{
    const char *t = strstr(r->body, "<table class=\"data matches\">");
    if (!t)
        return strdup("");
    const char *end = strstr(t, "</table>");
    assert_non_null(end);
    return strndup(t, (size_t)(end - t));
}

static int
rows_in(const char *table)
{
    int n = 0;
    for (const char *p = table; (p = strstr(p, "<tr id=\"sig-")); p++)
        n++;
    return n;
}

static void
search(struct browser *b, const char *lang, const char *number, const char *query,
       struct http_result *r)
{
    char path[512];
    snprintf(path, sizeof(path), "/%s/clerk/signatures/%s?%s", lang, number, query);
    assert_int_equal(web_get(b, path, r), 0);
}

/* A search of e-7003 finds exactly these addresses. */
static void
expect_matches(struct browser *b, const char *query, const char *const *emails, int n)
{
    struct http_result r;
    char want[64];
    search(b, "en", "e-7003", query, &r);
    assert_int_equal(r.status, 200);
    char *table = matches_of(&r);
    if (rows_in(table) != n)
        fprintf(stderr, "search %s: %d rows, not %d\n%s\n", query, rows_in(table), n, table);
    assert_int_equal(rows_in(table), n);
    for (int i = 0; i < n; i++)
        assert_non_null(strstr(table, emails[i]));
    snprintf(want, sizeof(want), "<strong>%d matching signature%s</strong>", n, n == 1 ? "" : "s");
    assert_true(body_has(&r, want));
    free(table);
    http_result_free(&r);
}

/* The search fields every bulk form carries, with values. */
static const char *
filters(const char *domain, const char *network, const char *state)
{
    static char out[256];
    snprintf(out, sizeof(out), "domain=%s&network=%s&postal_prefix=&from=&to=&state=%s", domain,
             network, state);
    return out;
}

static void
post(struct browser *b, const char *number, const char *form, struct http_result *r)
{
    char path[128];
    struct http_result page;
    snprintf(path, sizeof(path), "/en/clerk/signatures/%s", number);
    assert_int_equal(web_get(b, path, &page), 0); /* a fresh CSRF token */
    http_result_free(&page);
    assert_int_equal(web_post(b, path, form, true, r), 0);
}

/* ---- the tests ---------------------------------------------------------------------- */

static void
search_returns_exactly_the_matching_signatures(void **state)
{
    (void)state;
    struct browser b;
    ensure_signatures();
    clerk(&b);

    /* The page without a search shows the form and no results. */
    struct http_result r;
    assert_int_equal(web_get(&b, "/en/clerk/signatures/e-7003", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<label for=\"f-domain\">E-mail domain</label>"));
    assert_true(body_has(&r, "<label for=\"f-network\">"));
    assert_true(body_has(&r, "<select id=\"f-state\" name=\"state\">"));
    assert_false(body_has(&r, "matching signature"));
    http_result_free(&r);

    /* A domain covers its subdomains, never a longer name; any case. */
    const char *alpha[] = {"a1@alpha.example", "a2@mail.alpha.example"};
    expect_matches(&b, "domain=alpha.example", alpha, 2);
    expect_matches(&b, "domain=ALPHA.Example", alpha, 2);
    const char *bad[] = {"b1@badalpha.example"};
    expect_matches(&b, "domain=badalpha.example", bad, 1);

    /* Networks, IPv4 and IPv6, or one address. */
    expect_matches(&b, "network=203.0.113.0%2F24", alpha, 2);
    const char *a1[] = {"a1@alpha.example"};
    expect_matches(&b, "network=203.0.113.5", a1, 1);
    const char *v6[] = {"c1@other.example", "c2@other.example"};
    expect_matches(&b, "network=2001%3Adb8%3A%3A%2F32", v6, 2);
    const char *c1[] = {"c1@other.example"};
    expect_matches(&b, "network=2001%3Adb8%3A0%3A1%3A%3A%2F64", c1, 1);

    /* Postal prefixes, without spaces, in any case. */
    const char *k1a[] = {"a1@alpha.example", "c2@other.example"};
    expect_matches(&b, "postal_prefix=k1a", k1a, 2);
    expect_matches(&b, "postal_prefix=K1A+0A", a1, 1);
    expect_matches(&b, "postal_prefix=k+1+a0a6", a1, 1);

    /* The time window: Eastern dates, the end day included. */
    char q[128];
    const char *early[] = {"a1@alpha.example", "b1@badalpha.example"};
    snprintf(q, sizeof(q), "from=%s&to=%s", early_day, early_day);
    expect_matches(&b, q, early, 2);
    snprintf(q, sizeof(q), "to=%s", early_day);
    expect_matches(&b, q, early, 2);
    const char *later[] = {"a2@mail.alpha.example", "c1@other.example", "c2@other.example",
                           "h1@held.example",       "h2@held.example",  "h3@held.example"};
    char day[11];
    struct civil_time ct;
    eastern_from_utc(t_early + 86400, &ct);
    snprintf(day, sizeof(day), "%04d-%02d-%02d", ct.year, ct.month, ct.day);
    snprintf(q, sizeof(q), "from=%s", day);
    expect_matches(&b, q, later, 6);

    /* States. */
    const char *pending[] = {"c2@other.example"};
    expect_matches(&b, "state=pending", pending, 1);
    const char *held[] = {"h2@held.example", "h3@held.example"};
    expect_matches(&b, "state=suspect", held, 2);
    expect_matches(&b, "state=invalidated", NULL, 0);

    /* Conditions add up; an empty search lists every signature. */
    expect_matches(&b, "domain=other.example&state=pending", pending, 1);
    expect_matches(&b, "domain=other.example&network=203.0.113.0%2F24", NULL, 0);
    const char *all[] = {"a1@alpha.example", "b1@badalpha.example", "a2@mail.alpha.example",
                         "c1@other.example", "c2@other.example",    "h1@held.example",
                         "h2@held.example",  "h3@held.example"};
    expect_matches(&b, "domain=&network=&postal_prefix=&from=&to=&state=", all, 8);

    /* The matches show the Clerk what to judge, escaped. */
    search(&b, "en", "e-7003", "domain=alpha.example", &r);
    char *table = matches_of(&r);
    assert_non_null(strstr(table, "<td>Sam Signer</td>"));
    assert_non_null(strstr(table, "<td>K1A 0A6</td>"));
    assert_non_null(strstr(table, "<td>203.0.113.5</td>"));
    assert_non_null(strstr(table, "<td>Ontario</td>"));
    assert_non_null(strstr(table, "613-555-0100"));
    assert_non_null(strstr(table, "value=\"invalidate\""));
    assert_non_null(strstr(table, "name=\"reason\""));
    free(table);
    /* The bulk buttons name how many they would change. */
    assert_true(body_has(&r, "Invalidate all 2 matching signatures"));
    assert_false(body_has(&r, "matching held (suspect)"));
    http_result_free(&r);
    search(&b, "en", "e-7003", "state=suspect", &r);
    assert_true(body_has(&r, "Validate all 2 matching held (suspect) signatures"));
    http_result_free(&r);
}

static void
invalid_filters_are_refused_beside_their_field(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    ensure_signatures();
    clerk(&b);
    struct {
        const char *query, *field, *message;
    } cases[] = {
        {"domain=not+a+domain", "domain", "Enter a domain such as example.com."},
        {"domain=example", "domain", "Enter a domain such as example.com."},
        {"network=300.1.1.1", "network", "Enter an address or a network"},
        {"network=203.0.113.0%2F33", "network", "Enter an address or a network"},
        {"postal_prefix=K1A%25", "postal_prefix", "Enter the beginning of a postal code"},
        {"postal_prefix=K1A0A6K1A0A6", "postal_prefix", "Enter the beginning of a postal code"},
        {"from=2026-02-30", "from", "as YYYY-MM-DD, such as"},
        {"to=23%2F11%2F2026", "to", "as YYYY-MM-DD, such as"},
        {"from=2026-11-23&to=2026-11-22", "to", "must not come before its start"},
        {"state=lost", "state", "Choose a state from the list."},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char id[64];
        search(&b, "en", "e-7003", cases[i].query, &r);
        if (r.status != 422 || !body_has(&r, cases[i].message))
            fprintf(stderr, "case %s: %ld\n", cases[i].query, r.status);
        assert_int_equal(r.status, 422);
        snprintf(id, sizeof(id), "id=\"f-%s-error\"", cases[i].field);
        assert_true(body_has(&r, id));
        assert_true(body_has(&r, cases[i].message));
        assert_true(refusal_page_ok(&r, "en"));
        assert_false(body_has(&r, "matching signature"));
        assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
        http_result_free(&r);
    }
    /* What was typed is kept, escaped. */
    search(&b, "en", "e-7003", "domain=%3Cb%3Ex", &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "value=\"&lt;b&gt;x\""));
    http_result_free(&r);

    /* In French, the messages are French. */
    search(&b, "fr", "e-7003", "domain=pas+un+domaine&network=1.2.3&from=hier", &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "Entrez un domaine comme example.com."));
    assert_true(body_has(&r, "Entrez une adresse ou un réseau comme 203.0.113.0/24."));
    assert_true(body_has(&r, "Entrez le premier jour (signée à partir du) au format AAAA-MM-JJ"));
    assert_true(body_has(&r, "Domaine de courriel"));
    assert_true(refusal_page_ok(&r, "fr"));
    http_result_free(&r);

    /* A bulk action with a bad filter is refused the same way, and does nothing. */
    post(&b, "e-7003",
         "action=bulk_preview&bulk=invalidate&domain=&network=300.1.1.1&postal_prefix=&from="
         "&to=&state=",
         &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "id=\"f-network-error\""));
    assert_false(body_has(&r, "This will invalidate"));
    http_result_free(&r);
    post(&b, "e-7003",
         "action=bulk_invalidate&confirm=yes&expected=1&reason=x&domain=&network=300.1.1.1&postal_"
         "prefix="
         "&from=&to=&state=",
         &r);
    assert_int_equal(r.status, 422);
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), 5);
}

static void
bulk_validation_counts_the_held_signatures(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    char form[512];
    ensure_signatures();
    clerk(&b);
    int64_t total = api_count(&H, "e-7003", NULL), on = api_count(&H, "e-7003", "ON");

    /* A search with no held signature offers nothing to validate. */
    snprintf(form, sizeof(form), "action=bulk_preview&bulk=validate&%s",
             filters("alpha.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "This will validate 0 held signatures."));
    assert_false(body_has(&r, "value=\"bulk_validate\""));
    http_result_free(&r);

    snprintf(form, sizeof(form), "action=bulk_preview&bulk=validate&%s",
             filters("held.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "This will validate 2 held signatures."));
    assert_true(body_has(&r, "name=\"action\" value=\"bulk_validate\""));
    assert_true(body_has(&r, "name=\"expected\" value=\"2\""));
    assert_true(body_has(&r, "name=\"domain\" value=\"held.example\""));
    assert_int_equal(api_count(&H, "e-7003", NULL), total); /* a preview changes nothing */
    /* The preview's form confirms (issue 20, item 2); the act posted
     * without confirm=yes (an old form, a crafted request) is answered
     * with the preview, and changes nothing. */
    assert_true(body_has(&r, "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"));
    http_result_free(&r);
    snprintf(form, sizeof(form), "action=bulk_validate&expected=2&reason=&%s",
             filters("held.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "This will validate 2 held signatures."));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total);
    assert_int_equal(
        fixture_audit_count(&H, &(struct audit_match){.action = "signature.validate_bulk"}), 0);

    snprintf(form, sizeof(form), "action=bulk_validate&confirm=yes&expected=2&reason=&%s",
             filters("held.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 303);
    const char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    assert_non_null(strstr(loc, "done=bulk-validate&domain=held.example"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total + 2);
    assert_int_equal(api_count(&H, "e-7003", "ON"), on + 2);
    assert_int_equal(fixture_audit_count(
                         &H, &(struct audit_match){.action = "signature.validate_bulk",
                                                   .details = {{"count", NULL, 2},
                                                               {"filter.domain", "held.example"}}}),
                     1);
    assert_int_equal(
        fixture_signature_count(
            &H, &(struct signature_match){.has_review = true, .review = REVIEW_SUSPECT}),
        0);

    search(&b, "en", "e-7003", "state=validated", &r);
    assert_true(body_has(&r, "<strong>2 matching signatures</strong>"));
    http_result_free(&r);
    assert_int_equal(web_get(&b, "/en/clerk/signatures/e-7003?done=bulk-validate", &r), 0);
    assert_true(body_has(&r, "The matching held signatures are validated"));
    http_result_free(&r);
}

static void
bulk_invalidation_previews_then_corrects_the_counts_at_once(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    char form[512];
    ensure_signatures();
    clerk(&b);
    int64_t total = api_count(&H, "e-7003", NULL), on = api_count(&H, "e-7003", "ON");
    int64_t audits = fixture_audit_count(&H, NULL);

    /* The preview says how many, and its confirmation carries the search. */
    snprintf(form, sizeof(form), "action=bulk_preview&bulk=invalidate&%s",
             filters("alpha.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "This will invalidate 2 signatures."));
    assert_true(body_has(&r, "name=\"action\" value=\"bulk_invalidate\""));
    assert_true(body_has(&r, "name=\"expected\" value=\"2\""));
    assert_true(body_has(&r, "name=\"domain\" value=\"alpha.example\""));
    assert_true(body_has(&r, "<textarea id=\"f-reason\" name=\"reason\""));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total);

    /* Without confirm=yes: the preview again, nothing invalidated. */
    snprintf(form, sizeof(form), "action=bulk_invalidate&expected=2&reason=x&%s",
             filters("alpha.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "This will invalidate 2 signatures."));
    http_result_free(&r);
    assert_int_equal(fixture_audit_count(&H, NULL), audits);

    /* A reason is required. */
    snprintf(form, sizeof(form), "action=bulk_invalidate&confirm=yes&expected=2&reason=&%s",
             filters("alpha.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "id=\"f-reason-error\""));
    assert_true(body_has(&r, "Give the reason for invalidating these signatures."));
    assert_true(body_has(&r, "This will invalidate 2 signatures."));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);

    /* A count that is not the one previewed is refused, and nothing changes. */
    snprintf(form, sizeof(form),
             "action=bulk_invalidate&confirm=yes&expected=3&reason=duplicates&%s",
             filters("alpha.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 409);
    assert_true(body_has(&r, "The matching signatures changed: review the new count."));
    assert_true(body_has(&r, "<strong>2 matching signatures</strong>"));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total);
    assert_int_equal(fixture_audit_count(&H, NULL), audits);
    assert_int_equal(
        fixture_signature_count(
            &H, &(struct signature_match){.has_review = true, .review = REVIEW_INVALIDATED}),
        0);

    /* The confirmation: the counts drop by exactly two at once, Ontario's too. */
    snprintf(form, sizeof(form), "action=bulk_invalidate&confirm=yes&expected=2&reason=%s&%s",
             form_enc("bulk sign-ups"), filters("alpha.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 303);
    char loc[512];
    snprintf(loc, sizeof(loc), "%s", http_header(&r, "Location"));
    assert_non_null(strstr(loc, "done=bulk-invalidate&domain=alpha.example"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total - 2);
    assert_int_equal(api_count(&H, "e-7003", "ON"), on - 2);
    assert_int_equal(fixture_petition_total(&H, 7003), total - 2);
    assert_int_equal(
        fixture_audit_count(&H,
                            &(struct audit_match){.action = "signature.invalidate_bulk",
                                                  .reason = "bulk sign-ups",
                                                  .details = {{"count", NULL, 2},
                                                              {"filter.domain", "alpha.example"}}}),
        1);
    assert_int_equal(
        fixture_signature_count(&H, &(struct signature_match){.has_review = true,
                                                              .review = REVIEW_INVALIDATED,
                                                              .review_note = "bulk sign-ups"}),
        2);
    /* The public page shows the new total. */
    char want[64];
    assert_int_equal(http_get(&H, "/en/petitions/e-7003", &r), 0);
    snprintf(want, sizeof(want), "<td class=\"num\">%lld</td>", (long long)(total - 2));
    assert_true(body_has(&r, want));
    http_result_free(&r);

    /* Back on the search: invalidated, with the reason, nothing left to invalidate. */
    assert_int_equal(web_get(&b, loc, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "The matching signatures are invalidated"));
    char *table = matches_of(&r);
    assert_int_equal(rows_in(table), 2);
    assert_non_null(strstr(table, "<td>bulk sign-ups</td>"));
    assert_non_null(strstr(table, "Invalidated"));
    free(table);
    assert_false(body_has(&r, "value=\"bulk_preview\""));
    http_result_free(&r);

    /* A signature arriving between the preview and the confirmation. */
    snprintf(form, sizeof(form), "action=bulk_preview&bulk=invalidate&%s",
             filters("", "198.51.100.0%2F24", ""));
    post(&b, "e-7003", form, &r);
    assert_true(body_has(&r, "This will invalidate 1 signature."));
    http_result_free(&r);
    struct signer d1 = {"d1@late.example", "QC", "H3Z 2Y7", "198.51.100.21"};
    sign("e-7003", &d1);
    confirm_from_mail(&H, d1.email);
    total = api_count(&H, "e-7003", NULL);
    int64_t qc = api_count(&H, "e-7003", "QC");
    audits = fixture_audit_count(&H, NULL);
    snprintf(form, sizeof(form), "action=bulk_invalidate&confirm=yes&expected=1&reason=range&%s",
             filters("", "198.51.100.0%2F24", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 409);
    assert_true(body_has(&r, "The matching signatures changed"));
    assert_true(body_has(&r, "Invalidate all 2 matching signatures"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total);
    assert_int_equal(api_count(&H, "e-7003", "QC"), qc);
    assert_int_equal(fixture_audit_count(&H, NULL), audits);
    snprintf(form, sizeof(form), "action=bulk_invalidate&confirm=yes&expected=2&reason=range&%s",
             filters("", "198.51.100.0%2F24", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total - 2);
    assert_int_equal(api_count(&H, "e-7003", "QC"), qc - 2);
    assert_int_equal(
        fixture_audit_count(&H, &(struct audit_match){.action = "signature.invalidate_bulk"}), 2);

    /* One signature from the results, with a reason; then validated again. */
    int64_t c1 = fixture_signature_id(&H, 0, "c1@other.example");
    total = api_count(&H, "e-7003", NULL);
    snprintf(form, sizeof(form), "action=invalidate&id=%lld&reason=%s&%s", (long long)c1,
             form_enc("typo in the name"), filters("other.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(http_header(&r, "Location"), "done=invalidate&domain=other.example"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total - 1);
    assert_int_equal(
        fixture_signature_count(&H, &(struct signature_match){.email = "c1@other.example",
                                                              .review_note = "typo in the name"}),
        1);
    snprintf(form, sizeof(form), "action=validate&id=%lld&%s", (long long)c1,
             filters("other.example", "", ""));
    post(&b, "e-7003", form, &r);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), total);
}

static void
only_the_clerk_and_only_while_reviewable(void **state)
{
    (void)state;
    struct http_result r;
    ensure_signatures();
    const char *staff[] = {"arya@petitions.test", "admin@petitions.test",
                           "responder@petitions.test"};
    int64_t total = api_count(&H, "e-7003", NULL);
    for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++) {
        struct browser m;
        browser_init(&m, &H);
        assert_int_equal(web_sign_in(&m, staff[i], "petitions-demo"), 303);
        search(&m, "en", "e-7003", "domain=alpha.example", &r);
        assert_int_equal(r.status, 403);
        assert_false(body_has(&r, "a1@alpha.example"));
        http_result_free(&r);
        assert_int_equal(
            web_post(&m, "/en/clerk/signatures/e-7003",
                     "action=bulk_invalidate&confirm=yes&expected=0&reason=x&domain=&network="
                     "&postal_prefix=&from=&to=&state=",
                     true, &r),
            0);
        assert_int_equal(r.status, 403);
        http_result_free(&r);
    }
    assert_int_equal(api_count(&H, "e-7003", NULL), total);

    /* Once certified, the search still reads but nothing can be reviewed. */
    struct browser b;
    clerk(&b);
    fixture_petition_state_set(&H, 7004, PETITION_CERTIFIED, t_now);
    search(&b, "en", "e-7004", "state=", &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<strong>0 matching signatures</strong>"));
    assert_false(body_has(&r, "value=\"bulk_preview\""));
    http_result_free(&r);
    post(
        &b, "e-7004",
        "action=bulk_preview&bulk=invalidate&domain=&network=&postal_prefix=&from=&to=&state=", &r);
    assert_int_equal(r.status, 409);
    assert_true(body_has(&r, "The signatures of this petition can no longer be reviewed."));
    http_result_free(&r);
    post(&b, "e-7004",
         "action=bulk_invalidate&confirm=yes&expected=0&reason=x&domain=&network=&postal_prefix=&"
         "from="
         "&to=&state=",
         &r);
    assert_int_equal(r.status, 409);
    assert_true(body_has(&r, "can no longer be reviewed"));
    http_result_free(&r);
    fixture_petition_state_set(&H, 7004, PETITION_OPEN, t_now);
}

/* ---- one mailbox, one signature (issue 21, item 3) ----------------------------------------- */

/* A signature as a database made before migration 0010 held it: its key
 * kept the case of the local part (the old rule). */
static struct signature_record
old_signature(const char *email, const char *key, enum region region, bool confirmed)
{
    return (struct signature_record){
        .email_key = key,
        .email = email,
        .first_name = "Old",
        .last_name = "Signer",
        .country = "Canada",
        .region = region,
        .postal_code = "K1A 0A6",
        .phone = "613-555-0100",
        .lang = LANG_EN,
        .ip = "192.0.2.10",
        .rate_key = "192.0.2.10",
        .created_at = t_now - 7200,
        .confirmed_at = confirmed ? t_now - 7000 : 0,
        .review = REVIEW_CLEAR,
        .mails = 1,
    };
}

static void
signatures_alike_but_for_case_are_listed_not_merged(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;

    /* e-7002 before the upgrade: zoe and Zoe (one lower-case key), Max
     * and MAX (none), Solo alone; all counted but MAX (unconfirmed). */
    int64_t base = api_count(&H, "e-7002", NULL), base_qc = api_count(&H, "e-7002", "QC");
    struct signature_record rows[] = {
        old_signature("zoe@petitions.test", "zoe@petitions.test", REGION_ON, true),
        old_signature("Zoe@Petitions.Test", "Zoe@petitions.test", REGION_QC, true),
        old_signature("Max@Example.CA", "Max@example.ca", REGION_ON, true),
        old_signature("MAX@example.ca", "MAX@example.ca", REGION_ON, false),
        old_signature("Solo@Example.CA", "Solo@example.ca", REGION_BC, true),
    };
    /* Added before the schema is taken back: the store's reads (of the
     * petition the rows go to) are this binary's, at the newest schema. */
    fixture_signatures_add(&H, 7002, rows, 5);
    /* Migration 0010 and the newer 0011 to 0014: migrate applies what
     * is above the newest recorded, so forgetting them runs them again (a
     * newer one must be forgotten and be able to run twice too, or be
     * undone first, as 0012's to 0014's are). */
    fixture_log_schema_drop(&H);
    fixture_migration_forget(&H, 14);
    fixture_migration_forget(&H, 13);
    fixture_migration_forget(&H, 12);
    fixture_migration_forget(&H, 11);
    fixture_migration_forget(&H, 10);
    harness_store_close(&H);
    char *out = NULL;
    const char *migrate[] = {harness_binary(), "migrate", "--db", H.db, NULL};
    assert_int_equal(harness_run(migrate, &out), 0);
    assert_non_null(strstr(out, " 5 migrations applied"));
    free(out);
    /* The counts as the rows say (the rows were written behind them),
     * and a server that reads them afresh. */
    const char *fix[] = {harness_binary(), "counts", "check", "--db", H.db, "--fix", NULL};
    harness_run(fix, NULL);
    assert_int_equal(harness_kill_restart(&H), 0);
    assert_int_equal(api_count(&H, "e-7002", NULL), base + 4);

    /* Nothing merged: five rows, four counted.  Solo's key is folded
     * (nothing else folds alike); of Max and MAX the first took the
     * lower-case key; Zoe and MAX keep theirs, beside zoe and Max. */
    assert_int_equal(fixture_signature_count(&H, &(struct signature_match){.e_number = 7002}), 5);
    assert_int_equal(fixture_signature_duplicates(&H), 0);
    assert_int_equal(fixture_signature_id(&H, 7002, "Solo@Example.CA"), rows[4].id);
    assert_int_equal(fixture_signature_id(&H, 7002, "Max@Example.CA"), rows[2].id);
    assert_int_equal(fixture_signature_id(&H, 7002, "MAX@example.ca"), 0);
    assert_int_equal(fixture_signature_id(&H, 7002, "zoe@petitions.test"), rows[0].id);
    assert_int_equal(fixture_signature_id(&H, 7002, "Zoe@Petitions.Test"), 0);

    /* The Clerk's page counts them, in both lists and on the petition's
     * page, and lists them: the four, not Solo. */
    clerk(&b);
    assert_int_equal(web_get(&b, "/en/clerk/signatures", &r), 0);
    assert_true(body_has(&r, "Same mailbox</th>"));
    const char *row = strstr(r.body, "<a href=\"/en/clerk/signatures/e-7002\">");
    assert_non_null(row);
    char *cells = strndup(row, strcspn(row, "\n"));
    assert_non_null(strstr(cells, "<td class=\"num\">4</td></tr>")); /* the last column */
    free(cells);
    http_result_free(&r);
    assert_int_equal(web_get(&b, "/en/clerk/signatures/e-7002", &r), 0);
    assert_true(body_has(&r, "id=\"same-mailbox\">4 <a href=\"/en/clerk/signatures/e-7002"
                             "?mailbox=same#search-count\">List them</a>"));
    http_result_free(&r);
    search(&b, "en", "e-7002", "mailbox=same", &r);
    assert_int_equal(r.status, 200);
    char *table = matches_of(&r);
    assert_int_equal(rows_in(table), 4);
    const char *listed[] = {"zoe@petitions.test", "Zoe@Petitions.Test", "Max@Example.CA",
                            "MAX@example.ca"};
    for (int i = 0; i < 4; i++)
        assert_non_null(strstr(table, listed[i]));
    assert_null(strstr(table, "Solo@Example.CA"));
    assert_true(body_has(&r, "<strong>4 matching signatures</strong>"));
    free(table);
    http_result_free(&r);
    search(&b, "fr", "e-7002", "mailbox=same", &r);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Même boîte de courriel qu’une autre signature"));
    assert_true(body_has(&r, "<strong>4 signatures correspondantes</strong>"));
    http_result_free(&r);
    search(&b, "en", "e-7002", "mailbox=twice", &r);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "Choose from the list."));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);

    /* Any spelling of a listed mailbox is the row with the lower-case
     * key: "already signed", no third row. */
    struct signer zoe = {"ZOE%40PETITIONS.TEST", "ON", "K1A 0A6", "192.0.2.11"};
    sign("e-7002", &zoe);
    assert_true(mail_arrives(&H, "signature-already", "zoe@petitions.test"));
    assert_int_equal(fixture_signature_count(&H, &(struct signature_match){.e_number = 7002}), 5);

    /* The Clerk decides with the review there was: one invalidated, the
     * count down by one at once; both stay listed, with their states. */
    char form[512];
    snprintf(form, sizeof(form),
             "action=invalidate&id=%lld&reason=Same+mailbox+as+zoe&domain=&network="
             "&postal_prefix=&from=&to=&state=&mailbox=same",
             (long long)rows[1].id);
    post(&b, "e-7002", form, &r);
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(http_header(&r, "Location"), "mailbox=same"));
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7002", NULL), base + 3);
    assert_int_equal(api_count(&H, "e-7002", "QC"), base_qc);
    search(&b, "en", "e-7002", "mailbox=same&state=invalidated", &r);
    table = matches_of(&r);
    assert_int_equal(rows_in(table), 1);
    assert_non_null(strstr(table, "Zoe@Petitions.Test"));
    free(table);
    http_result_free(&r);
}

/* ---- the server --------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    if (harness_start_with(&H, "tests/integration/data/signing.json", true))
        return -1;
    t_now = (int64_t)time(NULL);
    t_early = t_now - 3 * 86400;
    struct civil_time ct;
    eastern_from_utc(t_early, &ct);
    snprintf(early_day, sizeof(early_day), "%04d-%02d-%02d", ct.year, ct.month, ct.day);
    harness_set_clock(&H, t_now);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return harness_stop(&H) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(search_returns_exactly_the_matching_signatures),
        cmocka_unit_test(invalid_filters_are_refused_beside_their_field),
        cmocka_unit_test(bulk_validation_counts_the_held_signatures),
        cmocka_unit_test(bulk_invalidation_previews_then_corrects_the_counts_at_once),
        cmocka_unit_test(only_the_clerk_and_only_while_reviewable),
        cmocka_unit_test(signatures_alike_but_for_case_are_listed_not_merged),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
