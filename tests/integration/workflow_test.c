/*
 * workflow_test.c: the first half of the lifecycle over HTTP, as people
 * go through it (issue "draft to publication"): a petitioner registers
 * and activates the account from the e-mailed link, drafts (refused with
 * a URL or over 250 words), submits; five supporters confirm from their
 * e-mails; the Member accepts; the Clerk cannot approve without the
 * translation, then approves; the petition is published.  Then each
 * other branch: expiry, five refusals, return for revision, rejection,
 * withdrawal, CSRF refusals, role isolation, sign-in limits (counted by
 * the address X-Forwarded-For names), unreadable forms refused for what
 * they hold, and the clock-driven deadlines.
 *
 * One server in development mode for the whole file (e-mails are .eml
 * files read for their links); each test uses its own petitioner.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;
static int64_t now_at; /* the server's clock */
static const char PASSWORD[] = "a long enough password";

static void
set_clock(int64_t t)
{
    now_at = t;
    harness_set_clock(&H, t);
}

static void
advance_days(int days)
{
    set_clock(now_at + (int64_t)days * 86400 + 60);
}

/* ---- steps ------------------------------------------------------------------------ */

static void
post_ok(struct browser *b, const char *path, const char *form, long want)
{
    struct http_result r;
    assert_int_equal(web_post(b, path, form, true, &r), 0);
    if (r.status != want)
        fprintf(stderr, "POST %s -> %ld\n%s\n", path, r.status, r.body);
    assert_int_equal(r.status, want);
    http_result_free(&r);
}

static void
get_page(struct browser *b, const char *path, struct http_result *r, long want)
{
    assert_int_equal(web_get(b, path, r), 0);
    if (r->status != want)
        fprintf(stderr, "GET %s -> %ld\n%s\n", path, r->status, r->body);
    assert_int_equal(r->status, want);
}

/* Register name@petitions.example and activate from the e-mail; signed in. */
static void
petitioner(struct browser *b, const char *name)
{
    struct http_result r;
    char form[1200], email[200];
    snprintf(email, sizeof(email), "%s@petitions.example", name);
    browser_init(b, &H);
    get_page(b, "/en/register", &r, 200);
    assert_true(body_has(&r, "<label for=\"f-first_name\">"));
    http_result_free(&r);
    snprintf(form, sizeof(form),
             "first_name=%s&last_name=Petitioner&city=Ottawa&country=Canada&province=ON"
             "&postal_code=K1A+0A6&phone=613-555-0100&email=%s&password=%s&eligible=1&terms=1",
             name, email, "a+long+enough+password");
    post_ok(b, "/en/register", form, 303);
    char *mail = mail_wait(&H, "account-activation", email);
    assert_non_null(mail);
    char *link = mail_link(mail, "/account/activate");
    assert_non_null(link);
    get_page(b, link, &r, 200);
    http_result_free(&r);
    free(link);
    free(mail);
    assert_int_equal(web_sign_in(b, email, PASSWORD), 303);
}

static const char *PRAYER =
    "We, the undersigned, citizens and residents of Canada, call upon the Government of "
    "Canada to fund rural broadband in every province.";

enum { DRAFT_FORM_MAX = 6000 };

/* The drafting form's fields for a draft with n supporters
 * name-1..name-n and the given Member, into form. */
static void
draft_body(char form[DRAFT_FORM_MAX], const char *name, int n, const char *member)
{
    int len = snprintf(form, DRAFT_FORM_MAX, "lang=en&addressee=government&grievance_1=%s",
                       form_enc("Many rural households have no broadband."));
    len += snprintf(form + len, DRAFT_FORM_MAX - (size_t)len, "&prayer=%s", form_enc(PRAYER));
    len += snprintf(form + len, DRAFT_FORM_MAX - (size_t)len,
                    "&period=30&subject=&keywords=Broadband&member=%s", member);
    for (int i = 1; i <= n; i++)
        len += snprintf(form + len, DRAFT_FORM_MAX - (size_t)len,
                        "&supporter_%d_first_name=S%d&supporter_%d_last_name=%s"
                        "&supporter_%d_email=%s-s%d%%40support.example",
                        i, i, i, name, i, name, i);
}

/* Save a draft with n supporters name-1..name-n and the given Member. */
static void
draft(struct browser *b, const char *name, int n, const char *member)
{
    struct http_result r;
    char form[DRAFT_FORM_MAX];
    get_page(b, "/en/account/petition", &r, 200);
    http_result_free(&r);
    draft_body(form, name, n, member);
    post_ok(b, "/en/account/petition", form, 303);
}

static void account_page(struct browser *b, struct http_result *r);

static void
submit(struct browser *b)
{
    struct http_result r;
    account_page(b, &r);
    http_result_free(&r);
    post_ok(b, "/en/account/petition/submit", "confirm=yes", 303);
}

/* Supporter i of name confirms from the latest invitation, from its
 * link in lang ("en" or "fr"): the language they choose. */
static void
support_in(const char *name, int i, const char *lang)
{
    struct browser s;
    struct http_result r;
    char to[200], part[16];
    browser_init(&s, &H);
    snprintf(to, sizeof(to), "%s-s%d@support.example", name, i);
    snprintf(part, sizeof(part), "/%s/support/", lang);
    char *mail = mail_wait(&H, "supporter-invitation", to);
    assert_non_null(mail);
    char *link = mail_link(mail, part);
    assert_non_null(link);
    get_page(&s, link, &r, 200);
    assert_true(body_has(&r, "rural broadband"));
    http_result_free(&r);
    char *q = strchr(link, '?');
    *q = '\0';
    char form[600];
    snprintf(form, sizeof(form),
             "%s&country=Canada&province=QC&postal_code=H2X+1Y4&phone=514-555-0101&eligible=1"
             "&terms=1",
             q + 1);
    post_ok(&s, link, form, 303);
    free(link);
    free(mail);
}

/* The same from the English link. */
static void
support(const char *name, int i)
{
    support_in(name, i, "en");
}

static void
staff(struct browser *b, const char *email)
{
    browser_init(b, &H);
    assert_int_equal(web_sign_in(b, email, "petitions-demo"), 303);
}

/* The id of the first draft listed in a workspace page. */
static long
first_id(const char *body, const char *prefix)
{
    const char *p = strstr(body, prefix);
    return p ? strtol(p + strlen(prefix), NULL, 10) : 0;
}

/* The petitioner's account page holds text. */
/* The account page, signing in again when the session has expired. */
static void
account_page(struct browser *b, struct http_result *r)
{
    assert_int_equal(web_get(b, "/en/account", r), 0);
    if (r->status == 303) {
        http_result_free(r);
        assert_int_equal(web_sign_in(b, b->email, b->password), 303);
        assert_int_equal(web_get(b, "/en/account", r), 0);
    }
    assert_int_equal(r->status, 200);
}

static bool
account_says(struct browser *b, const char *text)
{
    struct http_result r;
    account_page(b, &r);
    bool yes = body_has(&r, text);
    if (!yes)
        fprintf(stderr, "account page lacks \"%s\":\n%s\n", text, r.body);
    http_result_free(&r);
    return yes;
}

/* Wait for the scheduler (ticking every 100 ms) to act. */
static bool
account_becomes(struct browser *b, const char *text)
{
    for (int i = 0; i < 200; i++) {
        struct http_result r;
        account_page(b, &r);
        bool yes = body_has(&r, text);
        http_result_free(&r);
        if (yes)
            return true;
        poll(NULL, 0, 50);
    }
    return account_says(b, text);
}

/* The Member named by email signs in as m and opens the first request
 * of their workspace: its id, its page's path into path. */
static long
member_request(struct browser *m, const char *email, char path[80])
{
    struct http_result r;
    staff(m, email);
    get_page(m, "/en/member", &r, 200);
    long id = first_id(r.body, "/en/member/petitions/");
    http_result_free(&r);
    assert_true(id > 0);
    snprintf(path, 80, "/en/member/petitions/%ld", id);
    return id;
}

static void
member_answers(const char *email, const char *action)
{
    struct browser m;
    struct http_result r;
    char path[80], form[40];
    member_request(&m, email, path);
    get_page(&m, path, &r, 200);
    http_result_free(&r);
    /* Declining is confirmed (member_declines() checks the question). */
    snprintf(form, sizeof(form), "action=%s&confirm=yes", action);
    post_ok(&m, path, form, 303);
}

/* The Member named by email declines as people do: the button leads to
 * the question (GET), a POST without confirm=yes is answered with it and
 * changes nothing, it is asked in both languages, and the confirmed
 * answer is audited once. */
static void
member_declines(const char *email)
{
    struct browser m;
    struct http_result r;
    char path[80], fr[80];
    const struct audit_match declined = {.action = "draft.decline"};
    long id = member_request(&m, email, path);
    snprintf(fr, sizeof(fr), "/fr/member/petitions/%ld?action=decline", id);
    get_page(&m, path, &r, 200);
    assert_true(body_has(&r, "<form method=\"get\" action=\"/en/member/petitions/"));
    int64_t before = fixture_audit_count(&H, &declined);
    /* The page and its question name the draft (issue 20, item 7). */
    char want[96];
    snprintf(want, sizeof(want), "<title>Authorize the publication of draft %ld –", id);
    assert_true(body_has(&r, want));
    snprintf(want, sizeof(want), "<h1>Authorize the publication of draft %ld</h1>", id);
    assert_true(body_has(&r, want));
    http_result_free(&r);
    assert_int_equal(web_post(&m, path, "action=decline", true, &r), 0);
    snprintf(want, sizeof(want), "Decline to authorize draft %ld?", id);
    assert_true(confirm_page_ok(&r, "en", want));
    assert_true(body_has(&r, "The petitioner will be told by e-mail that you declined"));
    assert_true(body_has(&r, "you will not be asked to authorize this petition again"));
    assert_true(body_has(&r, "fund rural broadband"));
    assert_true(body_has(&r, "<input type=\"hidden\" name=\"action\" value=\"decline\">"));
    http_result_free(&r);
    assert_int_equal(fixture_audit_count(&H, &declined), before);
    get_page(&m, "/en/member", &r, 200);
    assert_int_equal(first_id(r.body, "/en/member/petitions/"), id);
    http_result_free(&r);
    get_page(&m, fr, &r, 200);
    snprintf(want, sizeof(want), "Refuser d’autoriser le projet %ld ?", id);
    assert_true(confirm_page_ok(&r, "fr", want));
    assert_true(body_has(&r, "Le pétitionnaire sera informé par courriel de votre refus"));
    assert_true(body_has(&r, "\">Annuler</a>"));
    http_result_free(&r);
    post_ok(&m, path, "action=decline&confirm=yes", 303);
    assert_int_equal(fixture_audit_count(&H, &declined), before + 1);
}

/* Up to the Clerk's queue: registered, five supporters, Member accepted. */
static void
to_review(struct browser *b, const char *name)
{
    petitioner(b, name);
    draft(b, name, 5, "arya");
    submit(b);
    for (int i = 1; i <= 5; i++)
        support(name, i);
    assert_true(mail_arrives(&H, "member-request", "arya@petitions.test"));
    member_answers("arya@petitions.test", "accept");
    assert_true(account_says(b, "Under review"));
}

static long
clerk_open(struct browser *c, const char *needle)
{
    struct http_result r;
    staff(c, "clerk@petitions.test");
    get_page(c, "/en/clerk", &r, 200);
    /* The queue lists the oldest first; find the row for this petition. */
    const char *row = strstr(r.body, needle);
    long id = 0;
    if (row) {
        const char *start = row;
        while (start > r.body && strncmp(start, "/en/clerk/petitions/", 20) != 0)
            start--;
        id = strtol(start + 20, NULL, 10);
    }
    http_result_free(&r);
    return id;
}

enum { APPROVE_FORM_MAX = 2000 };

/* The Clerk's approval of the test's petition, with its translation. */
static void
approve_body(char form[APPROVE_FORM_MAX])
{
    snprintf(form, APPROVE_FORM_MAX,
             "action=approve&subject=foreign-affairs&keyword=belarus"
             "&tr_grievance_1=%s",
             form_enc("Beaucoup de ménages ruraux n’ont pas d’accès Internet."));
    size_t n = strlen(form);
    snprintf(form + n, APPROVE_FORM_MAX - n, "&tr_prayer=%s",
             form_enc("Nous, soussignés, prions le gouvernement du Canada de financer "
                      "l’Internet rural."));
    n = strlen(form);
    snprintf(form + n, APPROVE_FORM_MAX - n, "&new_keywords=%s",
             form_enc("Rural broadband | Internet rural"));
}

/* ---- the tests -------------------------------------------------------------------- */

static void
happy_path_to_publication(void **state)
{
    (void)state;
    struct browser b, c;
    struct http_result r;
    char path[80];

    petitioner(&b, "alice");
    /* Refusals beside the field: a web reference, and more than 250 words. */
    get_page(&b, "/en/account/petition", &r, 200);
    assert_true(body_has(&r, "<label for=\"f-prayer\">"));
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/en/account/petition",
                              "lang=en&addressee=house&grievance_1=See+www.example.ca+now"
                              "&prayer=We+ask&period=30&member=arya",
                              true, &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "id=\"f-grievance_1-error\""));
    assert_true(body_has(&r, "web address"));
    http_result_free(&r);
    char *many = malloc(4000);
    int used = snprintf(many, 4000, "lang=en&addressee=house&period=30&member=arya&prayer=");
    for (int i = 0; i < 251; i++)
        used += snprintf(many + used, 4000 - (size_t)used, "word+");
    assert_int_equal(web_post(&b, "/en/account/petition", many, true, &r), 0);
    free(many);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "more than 250 words"));
    http_result_free(&r);

    draft(&b, "alice", 6, "arya");
    assert_true(account_says(&b, "Draft"));
    /* The draft is resumed with its text. */
    get_page(&b, "/en/account/petition", &r, 200);
    assert_true(body_has(&r, "rural broadband"));
    assert_true(body_has(&r, "alice-s6@support.example"));
    http_result_free(&r);
    submit(&b);
    assert_true(account_says(&b, "Waiting for supporters"));
    assert_true(mail_wait_count(&H, "supporter-invitation", "alice-s", 6));
    assert_int_equal(mail_count(&H, "supporter-invitation", "alice-s"), 6);
    /* Nobody knows a supporter's language yet: one invitation in both,
     * English then French, each with its link in its language. */
    char *inv = mail_wait(&H, "supporter-invitation", "alice-s2@support.example");
    assert_non_null(inv);
    const char *inv_en = strstr(inv, "named you as one of the supporters");
    const char *inv_fr = strstr(inv, "vous a nommé comme appuyeur");
    assert_true(inv_en && inv_fr && inv_en < inv_fr);
    assert_non_null(strstr(inv, "(Le français suit l’anglais.)"));
    const char *link_en = strstr(inv, "/en/support/"), *link_fr = strstr(inv, "/fr/support/");
    assert_true(link_en && link_fr && inv_en < link_en && link_en < inv_fr && inv_fr < link_fr);
    assert_non_null(strstr(inv, "Pour l’appuyer, ouvrez ce lien d’ici le"));
    free(inv);
    /* Submission froze the text. */
    assert_int_equal(web_post(&b, "/en/account/petition", "lang=en&prayer=changed", true, &r), 0);
    assert_int_equal(r.status, 409);
    http_result_free(&r);

    for (int i = 1; i <= 4; i++)
        support("alice", i);
    assert_int_equal(mail_count(&H, "member-request", "arya@"), 0);
    support_in("alice", 5, "fr");
    char *req = mail_wait(&H, "member-request", "arya@petitions.test");
    assert_non_null(req);
    assert_non_null(strstr(req, "rural broadband"));
    free(req);
    assert_true(account_says(&b, "Waiting for the answer of"));

    member_answers("arya@petitions.test", "accept");
    assert_true(mail_arrives(&H, "authorized", "alice@petitions.example"));
    assert_true(mail_wait_count(&H, "authorized-supporter", "alice-s", 5));
    /* Only the first five to confirm get progress e-mails. */
    assert_int_equal(mail_count(&H, "authorized-supporter", "alice-s"), 5);
    /* Each in the language they chose: s5 confirmed in French. */
    char *fr5 = mail_wait(&H, "authorized-supporter", "alice-s5@support.example");
    char *en1 = mail_wait(&H, "authorized-supporter", "alice-s1@support.example");
    assert_non_null(fr5);
    assert_non_null(en1);
    assert_non_null(strstr(fr5, "La publication de la pétition que vous avez appuyée"));
    assert_non_null(strstr(en1, "The petition you supported was authorized"));
    free(fr5);
    free(en1);

    long id = clerk_open(&c, "alice");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    get_page(&c, path, &r, 200);
    assert_true(body_has(&r, "rural broadband"));
    http_result_free(&r);
    /* Both languages are needed. */
    assert_int_equal(web_post(&c, path, "action=approve&subject=foreign-affairs", true, &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "both languages"));
    http_result_free(&r);
    char form[APPROVE_FORM_MAX];
    approve_body(form);
    post_ok(&c, path, form, 303);

    char *pub = mail_wait(&H, "published", "alice@petitions.example");
    assert_non_null(pub);
    char *url = mail_link(pub, "/en/petitions/e-");
    assert_non_null(url);
    get_page(&b, url, &r, 200);
    assert_true(body_has(&r, "rural broadband"));
    assert_true(body_has(&r, "Open for signature"));
    assert_true(body_has(&r, "alice Petitioner"));
    http_result_free(&r);
    char *fr = strdup(url);
    memcpy(fr + 1, "fr", 2);
    get_page(&b, fr, &r, 200);
    assert_true(body_has(&r, "Internet rural"));
    http_result_free(&r);
    free(fr);
    free(url);
    free(pub);
    assert_true(account_says(&b, "Your petition is published"));
    assert_true(mail_arrives(&H, "published-supporter", "alice-s5@"));
}

/* The part of body between from and to (both found), copied, or NULL. */
static char *
section(const char *body, const char *from, const char *to)
{
    const char *a = strstr(body, from);
    const char *b = a ? strstr(a, to) : NULL;
    return b ? strndup(a, (size_t)(b - a)) : NULL;
}

/* How many times needle is in hay. */
static int
occurrences(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/*
 * Issue 20, item 7: the Clerk's review names the draft in its <title>
 * and <h1>, and its "similar petitions" come from the search index: the
 * open petition about rural broadband published by the happy path
 * (shares "broadband", "rural", "households"...), not every open
 * petition (the demo's e-6512 and e-6478 share only the House's
 * formulas), at most five, never the draft itself.  Once approved, the
 * audit log names the record by its e-number, not "draft N".
 */
static void
similar_petitions_come_from_the_search_index(void **state)
{
    (void)state;
    struct browser b, c, admin;
    struct http_result r;
    char path[80], want[96];
    to_review(&b, "simon");
    long id = clerk_open(&c, "simon");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    get_page(&c, path, &r, 200);
    snprintf(want, sizeof(want), "<title>Review of draft %ld –", id);
    assert_true(body_has(&r, want));
    snprintf(want, sizeof(want), "<h1>Review of draft %ld</h1>", id);
    assert_true(body_has(&r, want));
    char *similar = section(r.body, "<ol class=\"similar\">", "</ol>");
    assert_non_null(similar);
    assert_int_equal(occurrences(similar, "<li>"), 1);
    assert_non_null(strstr(similar, "(shares Broadband, rural, households"));
    assert_null(strstr(similar, "e-6512"));
    assert_null(strstr(similar, "e-6478"));
    free(similar);
    http_result_free(&r);
    snprintf(path, sizeof(path), "/fr/clerk/petitions/%ld", id);
    get_page(&c, path, &r, 200);
    snprintf(want, sizeof(want), "<h1>Examen du projet %ld</h1>", id);
    assert_true(body_has(&r, want));
    assert_true(body_has(&r, "mots en commun"));
    http_result_free(&r);

    /* Approved: the audit log says which petition it became. */
    char form[APPROVE_FORM_MAX];
    approve_body(form);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    post_ok(&c, path, form, 303);
    staff(&admin, "admin@petitions.test");
    get_page(&admin, "/en/admin/audit?action=draft.approve", &r, 200);
    assert_true(body_has(&r, "Petition approved and published"));
    snprintf(want, sizeof(want), ">draft %ld<", id);
    assert_false(body_has(&r, want));
    assert_true(body_has(&r, "<td data-label=\"On\">e-"));
    http_result_free(&r);
}

static void
supporters_expire_after_30_days(void **state)
{
    (void)state;
    struct browser b;
    petitioner(&b, "bob");
    draft(&b, "bob", 5, "arya");
    submit(&b);
    support("bob", 1);
    support("bob", 2);
    advance_days(29);
    assert_true(account_says(&b, "Waiting for supporters"));
    advance_days(2);
    assert_true(account_becomes(&b, "Expired"));
    char *m = mail_wait(&H, "expired", "bob@petitions.example");
    assert_non_null(m);
    free(m);
    /* A new petition may be started. */
    assert_true(account_says(&b, "Start a petition"));
}

static void
five_members_refuse_then_abandoned(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    static const char *const next[] = {"okafor", "chau", "macisaac", "rahman"};
    petitioner(&b, "carol");
    draft(&b, "carol", 5, "arya");
    submit(&b);
    for (int i = 1; i <= 5; i++)
        support("carol", i);
    assert_true(mail_arrives(&H, "member-request", "arya@"));
    member_declines("arya@petitions.test");
    for (int k = 0; k < 4; k++) {
        char want[8];
        snprintf(want, sizeof(want), "%d", k + 1);
        assert_true(account_becomes(&b, "Choose another Member"));
        /* A Member already asked cannot be asked again. */
        if (k == 0) {
            account_page(&b, &r);
            http_result_free(&r);
            assert_int_equal(web_post(&b, "/en/account/petition/member", "member=arya", true, &r),
                             0);
            assert_int_equal(r.status, 422);
            assert_true(body_has(&r, "already asked"));
            assert_true(refusal_page_ok(&r, "en"));
            http_result_free(&r);
        }
        account_page(&b, &r);
        http_result_free(&r);
        char form[64];
        snprintf(form, sizeof(form), "member=%s", next[k]);
        post_ok(&b, "/en/account/petition/member", form, 303);
        if (k == 0) {
            member_answers("okafor@petitions.test", "decline");
        } else {
            /* The others never answer: 30 days lapse. */
            advance_days(31);
        }
    }
    assert_true(account_becomes(&b, "Abandoned"));
    char *m = mail_wait(&H, "abandoned", "carol@petitions.example");
    assert_non_null(m);
    free(m);
    assert_true(mail_wait_count(&H, "member-refused", "carol@", 4));
    assert_int_equal(mail_count(&H, "member-refused", "carol@"), 4);
}

static void
return_for_revision_then_supporters_confirm_again(void **state)
{
    (void)state;
    struct browser b, c;
    struct http_result r;
    char path[80];
    to_review(&b, "dave");
    char *old = mail_wait(&H, "supporter-invitation", "dave-s1@");
    char *old_link = mail_link(old, "/support/");
    free(old);
    long id = clerk_open(&c, "dave");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    get_page(&c, path, &r, 200);
    http_result_free(&r);
    assert_int_equal(web_post(&c, path, "action=return&reasons=", true, &r), 0);
    assert_int_equal(r.status, 422);
    http_result_free(&r);
    post_ok(&c, path, "action=return&reasons=Say+which+department+should+act.", 303);
    char *m = mail_wait(&H, "returned", "dave@petitions.example");
    assert_non_null(m);
    assert_non_null(strstr(m, "Say which department should act."));
    free(m);
    assert_true(account_says(&b, "returned your petition for revision"));
    /* The petitioner edits and resubmits; supporters must confirm again. */
    draft(&b, "dave", 5, "arya");
    submit(&b);
    assert_true(account_says(&b, "Waiting for supporters"));
    /* The first round's link no longer works. */
    struct browser s;
    browser_init(&s, &H);
    assert_int_equal(web_get(&s, old_link, &r), 0);
    assert_int_equal(r.status, 410);
    http_result_free(&r);
    free(old_link);
    for (int i = 1; i <= 5; i++) {
        /* Wait for this round's invitation (the newest one). */
        for (int k = 0; k < 200 && mail_count(&H, "supporter-invitation", "dave-s") < 10; k++)
            poll(NULL, 0, 50);
        support("dave", i);
    }
    /* Back to the Member who authorized it. */
    for (int k = 0; k < 200 && mail_count(&H, "member-request", "arya@") < 2; k++)
        poll(NULL, 0, 50);
    member_answers("arya@petitions.test", "accept");
    assert_true(account_says(&b, "Under review"));
}

static void
rejection_with_reason(void **state)
{
    (void)state;
    struct browser b, c;
    char path[80];
    to_review(&b, "erin");
    long id = clerk_open(&c, "erin");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    struct http_result r;
    get_page(&c, path, &r, 200);
    http_result_free(&r);
    post_ok(&c, path, "action=reject&reason=jurisdiction&reason_text=A+provincial+matter.", 303);
    char *m = mail_wait(&H, "rejected", "erin@petitions.example");
    assert_non_null(m);
    assert_non_null(strstr(m, "A provincial matter."));
    free(m);
    assert_true(account_says(&b, "did not accept your petition"));
    assert_true(account_says(&b, "Start a petition"));
    /* A public reason: the text and the reason are listed publicly. */
    get_page(&b, "/en/petitions/not-accepted", &r, 200);
    assert_true(body_has(&r, "rural broadband"));
    assert_true(body_has(&r, "Not within the authority of the Parliament of Canada"));
    assert_false(body_has(&r, "A provincial matter.")); /* the note to the petitioner is not */
    assert_false(body_has(&r, "erin"));                 /* nor who wrote it */
    http_result_free(&r);
    /* A hidden reason keeps it off the list. */
    struct browser b2, c2;
    to_review(&b2, "jill");
    id = clerk_open(&c2, "jill");
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    get_page(&c2, path, &r, 200);
    http_result_free(&r);
    post_ok(&c2, path, "action=reject&reason=offensive&reason_text=Offensive+words.", 303);
    assert_true(mail_arrives(&H, "rejected", "jill@petitions.example"));
    get_page(&b, "/fr/petitions/not-accepted", &r, 200);
    assert_true(body_has(&r, "Ne relève pas de la compétence"));
    assert_false(body_has(&r, "Langage irrespectueux"));
    http_result_free(&r);
}

static void
withdrawal_and_one_active_petition(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    petitioner(&b, "fay");
    draft(&b, "fay", 5, "arya");
    submit(&b);
    /* One active petition: no second draft while this one is active. */
    account_page(&b, &r);
    assert_false(body_has(&r, "href=\"/en/account/petition\">Start a petition"));
    /* Withdrawing is asked first (issue 20, item 2): the button leads
     * to the question, and a POST without confirm=yes does nothing. */
    assert_true(body_has(&r, "<form method=\"get\" action=\"/en/account/petition/withdraw\""));
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/en/account/petition/withdraw", "", true, &r), 0);
    assert_true(confirm_page_ok(&r, "en", "Withdraw your petition?"));
    assert_true(body_has(&r, "its supporters and the Member can no longer answer"));
    assert_true(body_has(&r, "You cannot undo this: a withdrawn petition cannot be reopened."));
    assert_true(body_has(&r, "<button type=\"submit\" class=\"button button-danger\">Yes, withdraw "
                             "my petition</button>"));
    http_result_free(&r);
    assert_true(account_says(&b, "<strong>Waiting for supporters</strong>"));
    get_page(&b, "/fr/account/petition/withdraw", &r, 200);
    assert_true(confirm_page_ok(&r, "fr", "Retirer votre pétition ?"));
    assert_true(body_has(&r, "une pétition retirée ne peut pas être rouverte"));
    http_result_free(&r);
    assert_int_equal(mail_count(&H, "withdrawn", "fay@petitions.example"), 0);
    post_ok(&b, "/en/account/petition/withdraw", "confirm=yes", 303);
    assert_true(account_says(&b, "You withdrew this petition."));
    char *m = mail_wait(&H, "withdrawn", "fay@petitions.example");
    assert_non_null(m);
    free(m);
    /* A supporter's link now says the petition takes no supporters. */
    struct browser s;
    browser_init(&s, &H);
    m = mail_wait(&H, "supporter-invitation", "fay-s1@");
    char *link = mail_link(m, "/support/");
    assert_int_equal(web_get(&s, link, &r), 0);
    assert_int_equal(r.status, 410);
    http_result_free(&r);
    free(link);
    free(m);
    assert_true(account_says(&b, "Start a petition"));
}

/* Submitting freezes the text (issue 20, item 2): asked first, in both
 * languages, from the account page's button and from the drafting
 * form's; only the confirmed POST submits. */
static void
submission_is_asked_first(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    char form[DRAFT_FORM_MAX + 20];
    petitioner(&b, "hal");
    draft(&b, "hal", 5, "arya");
    account_page(&b, &r);
    assert_true(body_has(&r, "<form method=\"get\" action=\"/en/account/petition/submit\">"));
    assert_false(body_has(&r, "<form method=\"post\" action=\"/en/account/petition/submit\""));
    http_result_free(&r);
    get_page(&b, "/en/account/petition/submit", &r, 200);
    assert_true(confirm_page_ok(&r, "en", "Submit your petition?"));
    assert_true(
        body_has(&r, "Your supporters will be e-mailed and asked to confirm their support."));
    assert_true(body_has(&r, "Once submitted, the text of your petition is frozen"));
    assert_true(body_has(&r, "fund rural broadband in every province"));
    assert_true(body_has(&r, "<a class=\"confirm-cancel\" href=\"/en/account\">Cancel</a>"));
    http_result_free(&r);
    get_page(&b, "/fr/account/petition/submit", &r, 200);
    assert_true(confirm_page_ok(&r, "fr", "Soumettre votre pétition ?"));
    assert_true(body_has(&r, "Une fois votre pétition soumise, son texte est figé"));
    http_result_free(&r);
    /* An old form or a crafted request: the question, nothing done. */
    assert_int_equal(web_post(&b, "/en/account/petition/submit", "", true, &r), 0);
    assert_true(confirm_page_ok(&r, "en", "Submit your petition?"));
    http_result_free(&r);
    /* The drafting form's Submit saves the draft, then asks. */
    draft_body(form, "hal", 5, "arya");
    size_t used = strlen(form);
    snprintf(form + used, sizeof(form) - used, "&action=submit");
    assert_int_equal(web_post(&b, "/en/account/petition", form, true, &r), 0);
    assert_int_equal(r.status, 303);
    assert_string_equal(http_header(&r, "Location"), "/en/account/petition/submit");
    http_result_free(&r);
    assert_true(account_says(&b, "<strong>Draft</strong>"));
    assert_int_equal(mail_count(&H, "supporter-invitation", "hal-s"), 0);
    post_ok(&b, "/en/account/petition/submit", "confirm=yes", 303);
    assert_true(account_says(&b, "<strong>Waiting for supporters</strong>"));
    assert_true(mail_wait_count(&H, "supporter-invitation", "hal-s", 5));
    /* Submitted: nothing to ask any more. */
    assert_int_equal(web_get(&b, "/en/account/petition/submit", &r), 0);
    assert_int_equal(r.status, 409);
    http_result_free(&r);
}

/* A published petition withdrawn: the question names it by number and
 * title, and afterwards the account page's status is the public
 * record's ("Withdrawn"), not the draft's "Published". */
static void
withdrawing_a_published_petition(void **state)
{
    (void)state;
    struct browser b, c;
    struct http_result r;
    char path[80], form[APPROVE_FORM_MAX], question[120];
    to_review(&b, "ivy");
    long id = clerk_open(&c, "ivy");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    approve_body(form);
    post_ok(&c, path, form, 303);
    char *pub = mail_wait(&H, "published", "ivy@petitions.example");
    assert_non_null(pub);
    char *url = mail_link(pub, "/en/petitions/e-");
    assert_non_null(url);
    const char *number = strstr(url, "e-");
    assert_true(account_says(&b, "<strong>Open for signature</strong>"));

    snprintf(question, sizeof(question), "Withdraw petition %s (Foreign affairs)?", number);
    assert_int_equal(web_post(&b, "/en/account/petition/withdraw", "", true, &r), 0);
    assert_true(confirm_page_ok(&r, "en", question));
    assert_true(body_has(&r, "It will stop taking signatures at once"));
    http_result_free(&r);
    get_page(&b, url, &r, 200);
    assert_true(body_has(&r, "Open for signature"));
    http_result_free(&r);
    snprintf(question, sizeof(question), "Retirer la pétition %s (Affaires étrangères) ?", number);
    get_page(&b, "/fr/account/petition/withdraw", &r, 200);
    assert_true(confirm_page_ok(&r, "fr", question));
    assert_true(body_has(&r, "Elle cessera aussitôt de recueillir des signatures"));
    http_result_free(&r);

    post_ok(&b, "/en/account/petition/withdraw", "confirm=yes", 303);
    account_page(&b, &r);
    assert_true(body_has(&r, "Status: <strong>Withdrawn</strong>"));
    assert_false(body_has(&r, "<strong>Published</strong>"));
    assert_false(body_has(&r, "account/petition/withdraw"));
    http_result_free(&r);
    get_page(&b, url, &r, 200);
    assert_true(body_has(&r, "Withdrawn"));
    http_result_free(&r);
    free(url);
    free(pub);
}

static void
forms_without_the_token_are_refused(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    assert_int_equal(web_post(&b, "/en/sign-in",
                              "email=clerk%40petitions.test&password=petitions-demo", false, &r),
                     0);
    assert_int_equal(r.status, 403);
    assert_null(http_header(&r, "Set-Cookie") && strstr(http_header(&r, "Set-Cookie"), "pd_session")
                    ? "session"
                    : NULL);
    http_result_free(&r);
    petitioner(&b, "gus");
    assert_int_equal(web_post(&b, "/en/account/petition",
                              "csrf=00000000000000000000000000000000&lang=en&prayer=x", false, &r),
                     0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    assert_true(account_says(&b, "Start a petition")); /* nothing was saved */
    /* Signing out needs the token too. */
    assert_int_equal(web_post(&b, "/en/sign-out", "", false, &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    assert_true(account_says(&b, "Your account"));

    /* An empty cookie and an empty field are no token (issue 19,
     * finding 4: an account was made that way). */
    static const char form[] =
        "csrf=&first_name=Hal&last_name=Empty&city=Ottawa&country=Canada&province=ON"
        "&postal_code=K1A+0A6&phone=613-555-0100&email=hal-empty%40petitions.example"
        "&password=a+long+enough+password&eligible=1&terms=1";
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Cookie: pd_csrf=", NULL};
    assert_int_equal(http_request(&H, "POST", "/en/register", form, strlen(form), headers, &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    /* Nothing was queued for it: the outbox goes in order, so once a later
     * registration's mail is out, an earlier one would be too. */
    struct browser later;
    petitioner(&later, "ivy");
    assert_int_equal(mail_count(&H, "account-activation", "hal-empty@"), 0);
}

static void
each_role_sees_only_its_workspace(void **state)
{
    (void)state;
    struct browser p, m, anon;
    struct http_result r;
    static const char *const staff_pages[] = {"/en/clerk",
                                              "/en/member",
                                              "/en/responder",
                                              "/en/admin",
                                              "/en/clerk/petitions/1",
                                              "/en/member/petitions/1"};
    petitioner(&p, "hal");
    for (size_t i = 0; i < sizeof(staff_pages) / sizeof(staff_pages[0]); i++) {
        get_page(&p, staff_pages[i], &r, 403);
        http_result_free(&r);
    }
    staff(&m, "okafor@petitions.test");
    get_page(&m, "/en/member", &r, 200);
    http_result_free(&r);
    get_page(&m, "/en/clerk", &r, 403);
    http_result_free(&r);
    get_page(&m, "/en/admin", &r, 403);
    http_result_free(&r);
    /* A Member cannot act as the Clerk, even posting directly. */
    assert_int_equal(web_post(&m, "/en/clerk/petitions/1", "action=approve", true, &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    browser_init(&anon, &H);
    get_page(&anon, "/en/clerk", &r, 303);
    assert_non_null(strstr(http_header(&r, "Location"), "/en/sign-in?next="));
    http_result_free(&r);
    /* Workspaces are never cached. */
    get_page(&m, "/en/member", &r, 200);
    assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
    http_result_free(&r);
}

static void
sign_in_attempts_are_limited(void **state)
{
    (void)state;
    struct browser b;
    browser_init(&b, &H);
    for (int i = 0; i < 5; i++)
        assert_int_equal(web_sign_in(&b, "responder@petitions.test", "wrong password!"), 401);
    /* Even the right password is refused for a while. */
    assert_int_equal(web_sign_in(&b, "responder@petitions.test", "petitions-demo"), 429);
    advance_days(1);
    assert_int_equal(web_sign_in(&b, "responder@petitions.test", "petitions-demo"), 303);
}

/* POST a signed-out form with a CSRF cookie and field of our own making
 * (as a browser holding the form's token sends it) and extra headers;
 * the status, the answer in *r. */
static long
post_signed_out(const char *path, const char *fields, const char *extra, struct http_result *r)
{
    static const char token[] = "0123456789abcdef0123456789abcdef";
    char body[1200];
    snprintf(body, sizeof(body), "csrf=%s&%s", token, fields);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Cookie: pd_csrf=0123456789abcdef0123456789abcdef", extra, NULL};
    assert_int_equal(http_request(&H, "POST", path, body, strlen(body), headers, r), 0);
    /* A refusal comes back by GET (web/forms.h): the page a browser shows. */
    refusal_follow(&H, r, "pd_csrf=0123456789abcdef0123456789abcdef");
    return r->status;
}

/* A failed sign-in with an unknown address from the client that
 * X-Forwarded-For names (the server trusts the proxy 127.0.0.1). */
static long
fail_sign_in_from(const char *client, int k)
{
    struct http_result r;
    char fields[200], xff[100];
    snprintf(fields, sizeof(fields), "email=nobody-%d%%40petitions.example&password=wrong", k);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: %s", client);
    long status = post_signed_out("/en/sign-in", fields, xff, &r);
    http_result_free(&r);
    return status;
}

static void
sign_in_failures_count_by_the_forwarded_address(void **state)
{
    (void)state;
    char client[64];
    /* Behind the proxy every visitor's socket is the proxy's: 20 failures
     * by 20 people must not lock out the 21st (issue 19, finding 3). */
    for (int i = 0; i < 20; i++) {
        snprintf(client, sizeof(client), "198.51.100.%d", i + 1);
        assert_int_equal(fail_sign_in_from(client, i), 401);
    }
    assert_int_equal(fail_sign_in_from("198.51.100.99", 99), 401);
    /* 20 from one forwarded address lock that address out, and only it. */
    for (int i = 0; i < 20; i++)
        assert_int_equal(fail_sign_in_from("203.0.113.5", 100 + i), 401);
    assert_int_equal(fail_sign_in_from("203.0.113.5", 120), 429);
    assert_int_equal(fail_sign_in_from("203.0.113.6", 121), 401);
    /* The proxy's own requests (no header) are another client again. */
    struct browser b;
    browser_init(&b, &H);
    assert_int_equal(web_sign_in(&b, "clerk@petitions.test", "petitions-demo"), 303);
}

static void
unreadable_signed_out_forms_are_400_about_the_input(void **state)
{
    (void)state;
    struct http_result r;
    /* Invalid UTF-8 or a NUL in a field, with the right token: the
     * answer is about the input, not the token (issue 19, finding 10). */
    assert_int_equal(post_signed_out("/en/register",
                                     "first_name=%ff%fe&last_name=Doe&email=x%40petitions.example"
                                     "&password=a+long+enough+password",
                                     NULL, &r),
                     400);
    assert_true(body_has(&r, "The form holds characters that are not allowed"));
    assert_false(body_has(&r, "CSRF"));
    http_result_free(&r);
    assert_int_equal(
        post_signed_out("/fr/sign-in", "email=a%00b%40petitions.example&password=x", NULL, &r),
        400);
    assert_true(body_has(&r, "Le formulaire contient des caractères non permis"));
    http_result_free(&r);
    assert_int_equal(post_signed_out("/en/password/forgot", "email=%c0%80", NULL, &r), 400);
    assert_true(body_has(&r, "Nothing was saved"));
    http_result_free(&r);
    /* A readable form with a wrong token is still refused for the token. */
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Cookie: pd_csrf=0123456789abcdef0123456789abcdef", NULL};
    static const char wrong[] = "csrf=ffffffffffffffffffffffffffffffff&email=a%40b.example";
    assert_int_equal(
        http_request(&H, "POST", "/en/password/forgot", wrong, strlen(wrong), headers, &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
}

static void
registration_refuses_bad_fields_in_french(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    get_page(&b, "/fr/register", &r, 200);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/fr/register",
                              "first_name=Eve%0D%0ABcc%3A+x%40evil.example&last_name=%3DSUM(A1)"
                              "&city=Gatineau&country=Canada&province=ON&postal_code=J8X+1A1"
                              "&phone=12&email=nope&password=short",
                              true, &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_true(body_has(&r, "caractères de contrôle"));    /* CR LF in a name */
    assert_true(body_has(&r, "ne peut pas commencer par")); /* formula */
    assert_true(body_has(&r, "pas dans la province"));      /* J is Quebec */
    assert_true(body_has(&r, "courriel dans le bon format"));
    assert_true(body_has(&r, "au moins 10 caractères"));
    assert_true(body_has(&r, "citoyens et résidents"));
    assert_true(refusal_page_ok(&r, "fr"));
    http_result_free(&r);
}

static void
password_reset_by_email(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    petitioner(&b, "ivy");
    struct browser o;
    browser_init(&o, &H);
    get_page(&o, "/en/password/forgot", &r, 200);
    http_result_free(&r);
    post_ok(&o, "/en/password/forgot", "email=ivy%40petitions.example", 303);
    /* The same answer for an unknown address. */
    post_ok(&o, "/en/password/forgot", "email=nobody%40petitions.example", 303);
    char *m = mail_wait(&H, "password-reset", "ivy@petitions.example");
    assert_non_null(m);
    char *link = mail_link(m, "/password/reset");
    assert_non_null(link);
    get_page(&o, link, &r, 200);
    http_result_free(&r);
    const char *q = strchr(link, '?') + 1;
    char form[600];
    snprintf(form, sizeof(form), "%s&password=brand+new+password&password2=brand+new+password", q);
    post_ok(&o, "/en/password/reset", form, 303);
    /* The link works once. */
    assert_int_equal(web_post(&o, "/en/password/reset", form, true, &r), 0);
    assert_int_equal(r.status, 410);
    http_result_free(&r);
    free(link);
    free(m);
    assert_int_equal(web_sign_in(&o, "ivy@petitions.example", PASSWORD), 401);
    assert_int_equal(web_sign_in(&o, "ivy@petitions.example", "brand new password"), 303);
    /* The old session ended with the password change. */
    get_page(&b, "/en/account", &r, 303);
    http_result_free(&r);
}

/* POST form to path and expect a refusal as the site promises it
 * (refusal_page_ok(): the error summary first in <main>, focused, the
 * title's prefix, each error naming its field and linked to it); the
 * answer in *r, for the caller's own checks. */
static void
refused(struct browser *b, const char *path, const char *form, struct http_result *r)
{
    assert_int_equal(web_post(b, path, form, true, r), 0);
    bool ok = refusal_page_ok(r, strncmp(path, "/fr/", 4) == 0 ? "fr" : "en");
    if (!ok)
        fprintf(stderr, "POST %s -> %ld\n%s\n", path, r->status, r->body);
    assert_true(ok);
}

/* Each of body's needles is there. */
static void
says_all(const struct http_result *r, const char *const *needles, int n)
{
    for (int i = 0; i < n; i++) {
        if (!body_has(r, needles[i]))
            fprintf(stderr, "the page lacks \"%s\"\n", needles[i]);
        assert_true(body_has(r, needles[i]));
    }
}

/* Issue 20, item 1: every form of the petitioner's and the Clerk's,
 * refused, opens its main content with the error summary, focused, with
 * "Error: " / "Erreur : " in the title and one message per field that
 * names it, beside the field and linked to it: registration, sign-in,
 * a forgotten and a new password, the draft (its clauses and its
 * supporters), a supporter's confirmation, and the Clerk's approval
 * (one message per missing translation, where there were four alike),
 * return and rejection. */
static void
every_refused_form_opens_with_the_error_summary(void **state)
{
    (void)state;
    struct browser b, c, o;
    struct http_result r;
    char path[80], form[6000];

    /* Registration, empty: not "Fill in this field." seven times. */
    static const char empty_person[] = "first_name=&last_name=&city=&country=Canada&province="
                                       "&postal_code=&phone=&email=&password=";
    browser_init(&o, &H);
    get_page(&o, "/en/register", &r, 200);
    http_result_free(&r);
    refused(&o, "/en/register", empty_person, &r);
    static const char *const reg_en[] = {"Enter your first name.",
                                         "Enter your last name.",
                                         "Enter your city.",
                                         "Choose your province or territory from the list.",
                                         "Enter your telephone number.",
                                         "Enter your e-mail address.",
                                         "href=\"#f-password\"",
                                         "href=\"#f-terms\""};
    says_all(&r, reg_en, 8);
    http_result_free(&r);
    get_page(&o, "/fr/register", &r, 200);
    http_result_free(&r);
    refused(&o, "/fr/register", empty_person, &r);
    static const char *const reg_fr[] = {"<title>Erreur : ", "Entrez votre prénom.",
                                         "Entrez votre ville.", "Entrez votre adresse courriel."};
    says_all(&r, reg_fr, 4);
    http_result_free(&r);

    /* Signing in: a wrong password is a refusal of the whole form. */
    get_page(&o, "/en/sign-in", &r, 200);
    http_result_free(&r);
    refused(&o, "/en/sign-in", "email=nobody-summary%40petitions.example&password=wrong+one", &r);
    assert_int_equal(r.status, 401);
    http_result_free(&r);
    get_page(&o, "/fr/sign-in", &r, 200);
    http_result_free(&r);
    refused(&o, "/fr/sign-in", "email=nobody-summary%40petitions.example&password=wrong+one", &r);
    http_result_free(&r);

    /* A forgotten password, and the new one. */
    get_page(&o, "/en/password/forgot", &r, 200);
    http_result_free(&r);
    refused(&o, "/en/password/forgot", "email=nope", &r);
    assert_true(body_has(&r, "Enter your e-mail address in the correct format"));
    http_result_free(&r);
    refused(&o, "/fr/password/forgot", "email=nope", &r);
    assert_true(body_has(&r, "Entrez votre adresse courriel dans le bon format"));
    http_result_free(&r);

    petitioner(&b, "nora");
    post_ok(&o, "/en/password/forgot", "email=nora%40petitions.example", 303);
    char *m = mail_wait(&H, "password-reset", "nora@petitions.example");
    assert_non_null(m);
    char *link = mail_link(m, "/password/reset");
    assert_non_null(link);
    free(m);
    get_page(&o, link, &r, 200);
    http_result_free(&r);
    snprintf(form, sizeof(form), "%s&password=brand+new+password&password2=another+password",
             strchr(link, '?') + 1);
    refused(&o, "/en/password/reset", form, &r);
    assert_true(body_has(&r, "href=\"#f-password2\""));
    http_result_free(&r);
    free(link);

    /* The draft: two clauses with web addresses, two supporters' bad
     * addresses: four messages, each naming its own field. */
    get_page(&b, "/en/account/petition", &r, 200);
    http_result_free(&r);
    snprintf(form, sizeof(form),
             "action=save&lang=en&addressee=house&grievance_1=See+www.example.ca"
             "&grievance_2=Write+to+someone%%40example.ca&prayer=We+ask&period=30&member=arya"
             "&supporter_1_first_name=Ann&supporter_1_last_name=One&supporter_1_email=nope"
             "&supporter_2_first_name=Bob&supporter_2_last_name=Two&supporter_2_email=nope2");
    refused(&b, "/en/account/petition", form, &r);
    static const char *const draft_en[] = {"from whereas clause 1", "from whereas clause 2",
                                           "the e-mail address of supporter 1",
                                           "the e-mail address of supporter 2"};
    says_all(&r, draft_en, 4);
    http_result_free(&r);
    refused(&b, "/fr/account/petition", form, &r);
    static const char *const draft_fr[] = {"de l’attendu 1", "de l’attendu 2",
                                           "l’adresse courriel de l’appuyeur 1",
                                           "l’adresse courriel de l’appuyeur 2"};
    says_all(&r, draft_fr, 4);
    http_result_free(&r);

    /* Three clauses, five supporters, the Member's yes: the Clerk's turn. */
    int len = snprintf(form, sizeof(form),
                       "lang=en&addressee=government&grievance_1=First+clause."
                       "&grievance_2=Second+clause.&grievance_3=Third+clause.&prayer=%s"
                       "&period=30&subject=&keywords=&member=arya",
                       form_enc(PRAYER));
    for (int i = 1; i <= 5; i++)
        len += snprintf(form + len, sizeof(form) - (size_t)len,
                        "&supporter_%d_first_name=S%d&supporter_%d_last_name=nora"
                        "&supporter_%d_email=nora-s%d%%40support.example",
                        i, i, i, i, i);
    post_ok(&b, "/en/account/petition", form, 303);
    submit(&b);

    /* Supporters added later: none, then a bad address. */
    account_page(&b, &r);
    http_result_free(&r);
    refused(&b, "/en/account/petition/supporters", "supporter_1_first_name=", &r);
    assert_true(body_has(&r, "href=\"#f-supporters\""));
    http_result_free(&r);
    refused(&b, "/en/account/petition/supporters",
            "supporter_1_first_name=Zed&supporter_1_last_name=Late&supporter_1_email=nope", &r);
    assert_true(body_has(&r, "the e-mail address of supporter 1"));
    assert_true(body_has(&r, "value=\"Zed\""));
    http_result_free(&r);

    /* A supporter's confirmation, refused before it is given. */
    m = mail_wait(&H, "supporter-invitation", "nora-s1@support.example");
    assert_non_null(m);
    link = mail_link(m, "/support/");
    assert_non_null(link);
    free(m);
    struct browser s;
    browser_init(&s, &H);
    get_page(&s, link, &r, 200);
    http_result_free(&r);
    char *q = strchr(link, '?');
    *q = '\0';
    snprintf(form, sizeof(form), "%s&country=Canada&province=&postal_code=&phone=", q + 1);
    refused(&s, link, form, &r);
    static const char *const support_en[] = {"Choose your province or territory from the list.",
                                             "Enter your telephone number.", "href=\"#f-terms\"",
                                             "href=\"#f-eligible\""};
    says_all(&r, support_en, 4);
    http_result_free(&r);
    free(link);

    for (int i = 1; i <= 5; i++)
        support("nora", i);
    assert_true(mail_arrives(&H, "member-request", "arya@petitions.test"));
    member_answers("arya@petitions.test", "accept");
    assert_true(account_says(&b, "Under review"));

    long id = clerk_open(&c, "nora");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    get_page(&c, path, &r, 200);
    http_result_free(&r);
    refused(&c, path, "action=approve&subject=", &r);
    static const char *const approve_en[] = {
        "href=\"#f-tr_grievance_1\">Enter the translation of clause 1",
        "href=\"#f-tr_grievance_2\">Enter the translation of clause 2",
        "href=\"#f-tr_grievance_3\">Enter the translation of clause 3",
        "href=\"#f-tr_prayer\">Enter the translation of the prayer", "href=\"#f-subject\""};
    says_all(&r, approve_en, 5);
    http_result_free(&r);
    snprintf(path, sizeof(path), "/fr/clerk/petitions/%ld", id);
    refused(&c, path, "action=approve&subject=", &r);
    static const char *const approve_fr[] = {"Entrez la traduction du paragraphe 3",
                                             "Entrez la traduction de la demande"};
    says_all(&r, approve_fr, 2);
    http_result_free(&r);
    snprintf(path, sizeof(path), "/en/clerk/petitions/%ld", id);
    refused(&c, path, "action=save&new_keywords=No+French+name", &r);
    assert_true(body_has(&r, "id=\"f-new_keywords-error\""));
    assert_true(body_has(&r, ">No French name</textarea>"));
    http_result_free(&r);
    refused(&c, path, "action=return&reasons=", &r);
    assert_true(body_has(&r, "href=\"#f-reasons\""));
    http_result_free(&r);
    refused(&c, path, "action=reject&reason=&reason_text=", &r);
    assert_true(body_has(&r, "href=\"#f-reason\""));
    http_result_free(&r);
}

static void
dev_mailbox_lists_mail(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    browser_init(&b, &H);
    get_page(&b, "/dev/mail", &r, 200);
    assert_true(body_has(&r, "account-activation") || body_has(&r, "Activate"));
    http_result_free(&r);
}

static int
setup(void **state)
{
    (void)state;
    if (harness_start_with(&H, NULL, true))
        return -1;
    set_clock((int64_t)time(NULL));
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
        cmocka_unit_test(happy_path_to_publication),
        cmocka_unit_test(similar_petitions_come_from_the_search_index),
        cmocka_unit_test(supporters_expire_after_30_days),
        cmocka_unit_test(five_members_refuse_then_abandoned),
        cmocka_unit_test(return_for_revision_then_supporters_confirm_again),
        cmocka_unit_test(rejection_with_reason),
        cmocka_unit_test(withdrawal_and_one_active_petition),
        cmocka_unit_test(submission_is_asked_first),
        cmocka_unit_test(withdrawing_a_published_petition),
        cmocka_unit_test(forms_without_the_token_are_refused),
        cmocka_unit_test(each_role_sees_only_its_workspace),
        cmocka_unit_test(sign_in_attempts_are_limited),
        cmocka_unit_test(sign_in_failures_count_by_the_forwarded_address),
        cmocka_unit_test(unreadable_signed_out_forms_are_400_about_the_input),
        cmocka_unit_test(registration_refuses_bad_fields_in_french),
        cmocka_unit_test(password_reset_by_email),
        cmocka_unit_test(every_refused_form_opens_with_the_error_summary),
        cmocka_unit_test(dev_mailbox_lists_mail),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
