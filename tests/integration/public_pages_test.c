/*
 * public_pages_test.c: the pages every public service has and the
 * answers to old e-mailed links (issue 20, items 3 and 4), over HTTP
 * against a real petitiond with the demo data, on either engine.
 *
 * The privacy notice, terms of use, help, accessibility statement and
 * contact page answer 200 in English and French with their title, the
 * other language's page as the language switch, a public Cache-Control,
 * and the numbers of the jurisdiction: the built-in file's, and those of
 * another file given with --jurisdiction (a second server, which also
 * shows the --contact-email address).  Every page's footer links to them,
 * and each terms box links to its part of the terms.  "Check my
 * signature" (issue 18) has its form and script in both languages, and
 * the footer and the help page link to it.
 *
 * Each kind of e-mailed link (an account's activation, a new password, a
 * supporter's invitation, a signature's confirmation), unknown, expired
 * or already used, says what happened in its own words and in the
 * page's language, never "This petition has been removed", and offers
 * the way to a new one.  The server runs in development mode (e-mails
 * are .eml files read for their links); the tests that move its clock
 * put it back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;
static const char PASSWORD[] = "a long enough password";

static int
start(void **state)
{
    (void)state;
    return harness_start_with(&H, NULL, true);
}

static int
stop(void **state)
{
    (void)state;
    return harness_stop_checked(&H);
}

static void
get_status(struct harness *h, const char *path, struct http_result *r, long want)
{
    assert_int_equal(http_get(h, path, r), 0);
    if (r->status != want)
        fprintf(stderr, "GET %s -> %ld\n%s\n", path, r->status, r->body);
    assert_int_equal(r->status, want);
}

static void
has(const struct http_result *r, const char *needle)
{
    if (!body_has(r, needle))
        fprintf(stderr, "missing: %s\n", needle);
    assert_true(body_has(r, needle));
}

/* An answer about an old link: the status, the heading, and never the
 * removed petition's words in either language. */
static void
old_link_says(struct harness *h, const char *path, long status, const char *heading)
{
    struct http_result r;
    get_status(h, path, &r, status);
    char h1[300];
    snprintf(h1, sizeof(h1), "<h1>%s</h1>", heading);
    has(&r, h1);
    assert_false(body_has(&r, "removed"));
    assert_false(body_has(&r, "supprimée"));
    assert_false(body_has(&r, "retirée de"));
    assert_non_null(strstr(http_header(&r, "Cache-Control"), "no-store"));
    http_result_free(&r);
}

/* path with its language prefix "/en/" replaced by "/fr/" (a copy). */
static char *
in_french(const char *path)
{
    char *p = strdup(path);
    assert_non_null(p);
    assert_int_equal(strncmp(p, "/en/", 4), 0);
    memcpy(p + 1, "fr", 2);
    return p;
}

/* ---- the pages ---------------------------------------------------------------------- */

struct info_page {
    const char *path, *other, *title;
    const char *numbers[4]; /* the jurisdiction's, as the page writes them */
};

static const struct info_page pages[] = {
    {"/en/privacy", "/fr/privacy", "Privacy notice", {"erased 30 days after", "after 30 days"}},
    {"/fr/privacy", "/en/privacy", "Avis de confidentialité", {"effacés 30 jours après"}},
    {"/en/terms",
     "/fr/terms",
     "Terms of use",
     {"at most 250 words", "24 hours after", "at least 5 supporters must confirm within 30 days"}},
    {"/fr/terms", "/en/terms", "Conditions d’utilisation", {"au plus 250 mots", "24 heures après"}},
    {"/en/help",
     "/fr/help",
     "How petitions work",
     {"between 5 and 20 supporters", "30, 60, 90 or 120 days", "at least 500 validated signatures",
      "within 45 calendar days"}},
    {"/fr/help",
     "/en/help",
     "Le fonctionnement des pétitions",
     {"de 5 à 20 appuyeurs", "30, 60, 90 ou 120 jours", "au moins 500 signatures validées",
      "dans les 45 jours civils"}},
    {"/en/accessibility",
     "/fr/accessibility",
     "Accessibility statement",
     {"WCAG", "2.1", "level AA", "Known limits"}},
    {"/fr/accessibility",
     "/en/accessibility",
     "Déclaration d’accessibilité",
     {"WCAG", "2.1", "niveau AA", "Limites connues"}},
    {"/en/contact", "/fr/contact", "Contact", {"write to the operator of this site."}},
    {"/fr/contact", "/en/contact", "Nous joindre", {"écrivez à l’exploitant de ce site."}},
};

static void
info_pages_in_both_languages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        const struct info_page *p = &pages[i];
        struct http_result r;
        char want[300];
        get_status(&H, p->path, &r, 200);
        snprintf(want, sizeof(want), "<title>%s – ", p->title);
        has(&r, want);
        snprintf(want, sizeof(want), "<h1 id=\"info-heading\">%s</h1>", p->title);
        has(&r, want);
        snprintf(want, sizeof(want), "class=\"lang-toggle\" href=\"%s\"", p->other);
        has(&r, want);
        for (int k = 0; k < 4 && p->numbers[k]; k++)
            has(&r, p->numbers[k]);
        /* Public, cached as the rest of the record is. */
        const char *cc = http_header(&r, "Cache-Control");
        assert_non_null(cc);
        assert_non_null(strstr(cc, "public"));
        assert_non_null(strstr(cc, "max-age=60"));
        assert_false(body_has(&r, "mailto:"));
        http_result_free(&r);
    }
}

static void
footer_links_on_every_page(void **state)
{
    (void)state;
    static const char *const paths[] = {"/en",          "/fr/petitions", "/en/petitions/e-6512",
                                        "/fr/keywords", "/en/register",  "/en/nothing-here"};
    static const char *const info[] = {"help",          "privacy", "terms",
                                       "accessibility", "contact", "verify"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct http_result r;
        assert_int_equal(http_get(&H, paths[i], &r), 0);
        char lang[3] = {paths[i][1], paths[i][2], 0};
        const char *footer = strstr(r.body, "<footer");
        assert_non_null(footer);
        for (size_t k = 0; k < sizeof(info) / sizeof(info[0]); k++) {
            char href[80];
            snprintf(href, sizeof(href), "<a href=\"/%s/%s\">", lang, info[k]);
            if (!strstr(footer, href))
                fprintf(stderr, "%s: no %s in the footer\n", paths[i], href);
            assert_non_null(strstr(footer, href));
        }
        http_result_free(&r);
    }
}

static void
terms_boxes_link_to_their_part(void **state)
{
    (void)state;
    struct http_result r;
    get_status(&H, "/en/petitions/e-6512", &r, 200);
    has(&r, "<a href=\"/en/terms#signatories\">Read the terms of use for signatories</a>");
    http_result_free(&r);
    get_status(&H, "/fr/petitions/e-6512", &r, 200);
    has(&r,
        "<a href=\"/fr/terms#signatories\">Lire les conditions d’utilisation des signataires</a>");
    http_result_free(&r);
    get_status(&H, "/en/register", &r, 200);
    has(&r, "<a href=\"/en/terms#petitioners\">");
    http_result_free(&r);
    /* The anchors exist on the terms page. */
    get_status(&H, "/en/terms", &r, 200);
    has(&r, "<section id=\"signatories\"");
    has(&r, "<section id=\"supporters\"");
    has(&r, "<section id=\"petitioners\"");
    http_result_free(&r);
    /* The supporter's form: supporter_links_old_and_new. */
}

/* "Check my signature" (issue 18, item 4): in both languages, with its
 * form (a file or pasted text, and the button), the script that checks
 * in the browser and nothing inline (the CSP forbids it), every message
 * the script shows and the names of the regions in the page's language,
 * the way without JavaScript, and the help page's section on signing
 * linking to it (the footer: footer_links_on_every_page). */
static void
check_my_signature_page(void **state)
{
    (void)state;
    static const struct {
        const char *path, *other, *title, *button, *file, *paste, *msg, *region, *help;
    } verify[] = {
        {"/en/verify", "/fr/verify", "Check my signature", "Check",
         "Your receipt (a .tlog-proof file)", "Or paste the text of your receipt",
         "The proof in the receipt does not lead to the log as this site signed it",
         "<li data-region=\"QC\">Quebec</li>", "/en/help"},
        {"/fr/verify", "/en/verify", "Vérifier ma signature", "Vérifier",
         "Votre reçu (un fichier .tlog-proof)", "Ou collez le texte de votre reçu",
         "La preuve du reçu ne mène pas au registre tel que ce site l’a signé",
         "<li data-region=\"QC\">Québec</li>", "/fr/help"},
    };
    for (size_t i = 0; i < sizeof(verify) / sizeof(verify[0]); i++) {
        struct http_result r;
        char want[400];
        get_status(&H, verify[i].path, &r, 200);
        snprintf(want, sizeof(want), "<title>%s – ", verify[i].title);
        has(&r, want);
        snprintf(want, sizeof(want), "<h1 id=\"verify-heading\">%s</h1>", verify[i].title);
        has(&r, want);
        snprintf(want, sizeof(want), "class=\"lang-toggle\" href=\"%s\"", verify[i].other);
        has(&r, want);
        has(&r, "<form id=\"verify-form\"");
        snprintf(want, sizeof(want), "<label for=\"verify-file\">%s</label>", verify[i].file);
        has(&r, want);
        has(&r, "<input type=\"file\" id=\"verify-file\" accept=\".tlog-proof,text/plain\">");
        snprintf(want, sizeof(want), "<label for=\"verify-text\">%s</label>", verify[i].paste);
        has(&r, want);
        has(&r, "<textarea id=\"verify-text\"");
        snprintf(want, sizeof(want), "<button type=\"submit\" class=\"button\">%s</button>",
                 verify[i].button);
        has(&r, want);
        /* The check is the script's; no script inline (lang.js, on every
         * page, keeps typed values across the language link). */
        has(&r, "<script src=\"/static/verify.js\" defer></script>");
        has(&r, "<script src=\"/static/lang.js\" defer></script>");
        int scripts = 0;
        for (const char *p = r.body; (p = strstr(p, "<script")) != NULL; p++) {
            assert_int_equal(strncmp(p, "<script src=\"/static/", 21), 0);
            scripts++;
        }
        assert_int_equal(scripts, 2);
        has(&r, verify[i].msg);
        has(&r, verify[i].region);
        /* Without JavaScript: the command line. */
        has(&r, "<noscript>");
        has(&r, "<code>petitiond log verify</code>");
        const char *cc = http_header(&r, "Cache-Control");
        assert_non_null(cc);
        assert_non_null(strstr(cc, "public"));
        http_result_free(&r);
        /* The help page's section on signing links to it. */
        get_status(&H, verify[i].help, &r, 200);
        const char *signing = strstr(r.body, "<section id=\"signing\"");
        assert_non_null(signing);
        const char *end = strstr(signing, "</section>");
        snprintf(want, sizeof(want), "<a href=\"%s\">%s</a>", verify[i].path, verify[i].title);
        const char *at = strstr(signing, want);
        assert_true(at && at < end);
        http_result_free(&r);
    }
    /* What the address carries is escaped, as on every page. */
    struct http_result r;
    get_status(&H, "/en/verify?x=%3Cscript%3Ealert(1)%3C/script%3E&y=%22%3E", &r, 200);
    assert_false(body_has(&r, "<script>alert"));
    assert_false(body_has(&r, "\">\""));
    http_result_free(&r);
    /* The script itself. */
    get_status(&H, "/static/verify.js", &r, 200);
    assert_non_null(strstr(http_header(&r, "Content-Type"), "text/javascript"));
    has(&r, "crypto.subtle.verify");
    http_result_free(&r);
}

/* Another parliament's file and an operator's address change the text. */
static void
another_jurisdiction_changes_the_text(void **state)
{
    (void)state;
    char path[] = "/tmp/petitiond-rules-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char rules[] =
        "{\"id\": \"test-assembly\","
        " \"name\": {\"en\": \"Test Assembly\", \"fr\": \"Assemblée d’essai\"},"
        " \"supporters\": {\"min\": 3, \"max\": 12, \"days\": 21},"
        " \"signatures_to_certify\": 1234, \"paper_signatures_min\": 17, \"words_max\": 333,"
        " \"signature_periods_days\": [14, 28],"
        " \"members\": {\"days_each\": 19, \"max\": 4},"
        " \"review\": {\"warn_days\": 10, \"overdue_days\": 15},"
        " \"confirm_grace_hours\": 36, \"response_days\": 52, \"retention_days\": 41,"
        " \"rate_limits\": {\"burst\": {\"count\": 1, \"seconds\": 60},"
        "                  \"sustained\": {\"count\": 5, \"seconds\": 300}},"
        " \"committees\": [{\"code\": \"AGRI\", \"en\": \"Agriculture\", \"fr\": "
        "\"Agriculture\"}]}";
    assert_int_equal(write(fd, rules, sizeof(rules) - 1), (ssize_t)(sizeof(rules) - 1));
    close(fd);
    static const char *args[] = {"--jurisdiction", NULL, "--contact-email",
                                 "petitions@assembly.example", NULL};
    args[1] = path;
    struct harness other;
    assert_int_equal(harness_start_args(&other, NULL, args), 0);

    struct http_result r;
    get_status(&other, "/en/help", &r, 200);
    has(&r, "petitions to the Test Assembly.");
    has(&r, "between 3 and 12 supporters");
    has(&r, "at least 3 must confirm their support within 21 days");
    has(&r, "has 19 days to answer; you may ask up to 4 Members");
    has(&r, "for 14 or 28 days");
    has(&r, "at least 1,234 validated signatures");
    has(&r, "within 52 calendar days");
    has(&r, "up to 36 hours after");
    has(&r, "at least 17 signatures");
    assert_false(body_has(&r, "500 validated"));
    http_result_free(&r);
    get_status(&other, "/fr/help", &r, 200);
    has(&r, "pendant 14 ou 28 jours");
    has(&r, "de 3 à 12 appuyeurs");
    http_result_free(&r);
    get_status(&other, "/en/privacy", &r, 200);
    has(&r, "erased 41 days after");
    has(&r, "<a href=\"mailto:petitions@assembly.example\">petitions@assembly.example</a>.");
    http_result_free(&r);
    get_status(&other, "/en/terms", &r, 200);
    has(&r, "in at most 333 words");
    http_result_free(&r);
    get_status(&other, "/fr/contact", &r, 200);
    has(&r, "écrivez à <a href=\"mailto:petitions@assembly.example\">");
    assert_false(body_has(&r, "l’exploitant de ce site."));
    http_result_free(&r);
    get_status(&other, "/en/accessibility", &r, 200);
    has(&r, "mailto:petitions@assembly.example");
    http_result_free(&r);

    assert_int_equal(harness_stop_checked(&other), 0);
    unlink(path);
}

/* ---- old links ---------------------------------------------------------------------- */

/* Register name@links.example in lang and return the activation link's path. */
static char *
register_account(struct browser *b, const char *name, const char *lang)
{
    struct http_result r;
    char form[1200], email[200], path[40];
    snprintf(email, sizeof(email), "%s@links.example", name);
    browser_init(b, &H);
    snprintf(path, sizeof(path), "/%s/register", lang);
    assert_int_equal(web_get(b, path, &r), 0);
    http_result_free(&r);
    snprintf(form, sizeof(form),
             "first_name=%s&last_name=Linker&city=Ottawa&country=Canada&province=ON"
             "&postal_code=K1A+0A6&phone=613-555-0100&email=%s&password=%s&eligible=1&terms=1",
             name, email, "a+long+enough+password");
    assert_int_equal(web_post(b, path, form, true, &r), 0);
    assert_int_equal(r.status, 303); /* Post/Redirect/Get */
    http_result_free(&r);
    char *mail = mail_wait(&H, "account-activation", email);
    assert_non_null(mail);
    char *link = mail_link(mail, "/account/activate");
    assert_non_null(link);
    free(mail);
    return link;
}

static void
activation_links_old_and_new(void **state)
{
    (void)state;
    struct browser b;
    char *link = register_account(&b, "ada", "en");
    char *fr = in_french(link);

    /* Unknown: no such account, or the link cut short. */
    old_link_says(&H, "/en/account/activate?u=999999999&x=1&t=AAAA", 404,
                  "This activation link is not valid");
    old_link_says(&H, "/fr/account/activate?u=1", 404, "Ce lien d’activation n’est pas valide");
    /* Altered: no longer works, whatever changed it. */
    char *bad = strdup(link);
    char *t = strstr(bad, "t=");
    assert_non_null(t);
    t[2] = t[2] == 'A' ? 'B' : 'A';
    old_link_says(&H, bad, 410, "This activation link can no longer be used");
    free(bad);

    /* Expired: eight days later, the seven-day link. */
    harness_set_clock(&H, (int64_t)time(NULL) + 8 * 86400);
    old_link_says(&H, link, 410, "This activation link has expired");
    old_link_says(&H, fr, 410, "Ce lien d’activation a expiré");
    struct http_result r;
    get_status(&H, link, &r, 410);
    has(&r, "ask for a password reset");
    has(&r, "<a href=\"/en/password/forgot\">Get a new link</a>");
    http_result_free(&r);
    get_status(&H, fr, &r, 410);
    has(&r, "<a href=\"/fr/password/forgot\">Obtenir un nouveau lien</a>");
    http_result_free(&r);
    harness_set_clock(&H, 0);

    /* Still valid today: it activates. */
    get_status(&H, link, &r, 200);
    has(&r, "Your account is active");
    http_result_free(&r);
    free(fr);
    free(link);
}

/* Ask for a new password for email in lang; the link's path. */
static char *
reset_link(const char *email, int nth)
{
    struct browser b;
    struct http_result r;
    char form[300];
    browser_init(&b, &H);
    assert_int_equal(web_get(&b, "/en/password/forgot", &r), 0);
    http_result_free(&r);
    snprintf(form, sizeof(form), "email=%s", form_enc(email));
    assert_int_equal(web_post(&b, "/en/password/forgot", form, true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_true(mail_wait_count(&H, "password-reset", email, nth));
    char *mail = mail_wait(&H, "password-reset", email);
    assert_non_null(mail);
    char *link = mail_link(mail, "/password/reset");
    assert_non_null(link);
    free(mail);
    return link;
}

static void
reset_links_old_and_new(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    char *act = register_account(&b, "bea", "en");
    get_status(&H, act, &r, 200);
    http_result_free(&r);
    free(act);

    /* Unknown: the link cut short. */
    old_link_says(&H, "/en/password/reset?u=1&x=1", 404, "This password link is not valid");
    old_link_says(&H, "/fr/password/reset", 404, "Ce lien de mot de passe n’est pas valide");

    /* Expired: three hours later, the two-hour link. */
    char *link = reset_link("bea@links.example", 1);
    char *fr = in_french(link);
    harness_set_clock(&H, (int64_t)time(NULL) + 3 * 3600);
    old_link_says(&H, link, 410, "This password link has expired");
    old_link_says(&H, fr, 410, "Ce lien de mot de passe a expiré");
    get_status(&H, link, &r, 410);
    has(&r, "<a href=\"/en/password/forgot\">Ask for a new link to choose a password</a>");
    http_result_free(&r);
    harness_set_clock(&H, 0);
    free(fr);
    free(link);

    /* Used: the password set with it, then the link opened again. */
    link = reset_link("bea@links.example", 2);
    fr = in_french(link);
    browser_init(&b, &H);
    get_status(&H, link, &r, 200);
    http_result_free(&r);
    assert_int_equal(web_get(&b, link, &r), 0);
    assert_int_equal(r.status, 200);
    http_result_free(&r);
    const char *q = strchr(link, '?');
    assert_non_null(q);
    char form[600];
    snprintf(form, sizeof(form), "%s&password=%s&password2=%s", q + 1, "another+long+password",
             "another+long+password");
    char path[200];
    snprintf(path, sizeof(path), "%.*s", (int)(q - link), link);
    assert_int_equal(web_post(&b, path, form, true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    old_link_says(&H, link, 410, "This password link has already been used");
    old_link_says(&H, fr, 410, "Ce lien de mot de passe a déjà servi");
    get_status(&H, fr, &r, 410);
    has(&r, "<a href=\"/fr/password/forgot\">");
    http_result_free(&r);
    free(fr);
    free(link);
}

static void
supporter_links_old_and_new(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    char *act = register_account(&b, "cyd", "en");
    get_status(&H, act, &r, 200);
    http_result_free(&r);
    free(act);
    assert_int_equal(web_sign_in(&b, "cyd@links.example", PASSWORD), 303);
    assert_int_equal(web_get(&b, "/en/account/petition", &r), 0);
    http_result_free(&r);
    char form[4000];
    int len = snprintf(form, sizeof(form),
                       "lang=en&addressee=government&grievance_1=%s&prayer=%s&period=30"
                       "&subject=&keywords=Links&member=arya",
                       form_enc("Old links say the wrong thing."),
                       form_enc("We ask the Government of Canada to explain old links."));
    for (int i = 1; i <= 5; i++)
        len += snprintf(form + len, sizeof(form) - (size_t)len,
                        "&supporter_%d_first_name=S%d&supporter_%d_last_name=Cyd"
                        "&supporter_%d_email=cyd-s%d%%40links.example",
                        i, i, i, i, i);
    assert_int_equal(web_post(&b, "/en/account/petition", form, true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_int_equal(web_get(&b, "/en/account", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/en/account/petition/submit", "confirm=yes", true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);

    char *mail = mail_wait(&H, "supporter-invitation", "cyd-s1@links.example");
    assert_non_null(mail);
    char *link = mail_link(mail, "/support/");
    assert_non_null(link);
    free(mail);
    char *fr = in_french(link);
    /* The form today, with its terms box linking to the supporters' part. */
    get_status(&H, link, &r, 200);
    has(&r, "<a href=\"/en/terms#supporters\">Read the terms of use for supporters</a>");
    http_result_free(&r);

    /* Unknown: the token altered. */
    char *bad = strdup(link);
    char *t = strstr(bad, "t=");
    assert_non_null(t);
    t[2] = t[2] == 'A' ? 'B' : 'A';
    old_link_says(&H, bad, 404, "This invitation link is not valid");
    free(bad);

    /* Expired: the petitioner withdrew the petition. */
    assert_int_equal(web_get(&b, "/en/account", &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, "/en/account/petition/withdraw", "confirm=yes", true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    old_link_says(&H, link, 410, "This petition no longer takes supporters");
    old_link_says(&H, fr, 410, "Cette pétition n’accepte plus d’appuyeurs");
    get_status(&H, link, &r, 410);
    has(&r, "Ask the petitioner to send you a new invitation");
    http_result_free(&r);
    get_status(&H, fr, &r, 410);
    has(&r, "Demandez au pétitionnaire de vous envoyer une nouvelle invitation");
    http_result_free(&r);
    free(fr);
    free(link);
}

static void
signature_links_old_and_new(void **state)
{
    (void)state;
    const char *form = "first_name=Dee&last_name=Signer&email=dee.signer%40links.example"
                       "&country=Canada&province=ON&postal_code=K1A+0A6&phone=613-555-0199"
                       "&eligible=1&terms=1";
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "X-Forwarded-For: 198.51.100.201", NULL};
    struct http_result r;
    assert_int_equal(
        http_request(&H, "POST", "/en/petitions/e-6478/sign", form, strlen(form), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_true(mail_wait_count(&H, "signature-confirm", "dee.signer@links.example", 1));
    char *mail = mail_wait(&H, "signature-confirm", "dee.signer@links.example");
    assert_non_null(mail);
    char *link = mail_link(mail, "/signatures/");
    assert_non_null(link);
    free(mail);
    char *fr = in_french(link);

    /* Unknown: the token altered. */
    char *bad = strdup(link);
    char *t = strstr(bad, "t=");
    assert_non_null(t);
    t[2] = t[2] == 'A' ? 'B' : 'A';
    old_link_says(&H, bad, 404, "This confirmation link is not valid");
    free(bad);
    /* Unknown, in French: a signature that does not exist. */
    old_link_says(&H, "/fr/signatures/999999999?t=AAAA", 404,
                  "Ce lien de confirmation n’est pas valide");

    /* Expired: the petition closed and its grace passed. */
    fixture_petition_state_set(&H, 6478, PETITION_NOT_CERTIFIED, (int64_t)time(NULL));
    old_link_says(&H, link, 410, "The time to confirm this signature has passed");
    old_link_says(&H, fr, 410, "Le délai pour confirmer cette signature est passé");
    get_status(&H, link, &r, 410);
    has(&r, "<a href=\"/en/petitions/e-6478\">See the petition</a>");
    has(&r, "<a href=\"/en/petitions?status=open\">Petitions open for signature</a>");
    http_result_free(&r);
    free(fr);
    free(link);
}

/* The text of the petition page's total (id="signature-total"), into out. */
static void
page_total(const struct http_result *r, char *out, size_t n)
{
    const char *at = strstr(r->body, "id=\"signature-total\"");
    assert_non_null(at);
    at = strchr(at, '>');
    assert_non_null(at);
    at++;
    size_t len = strcspn(at, "<");
    assert_true(len > 0 && len < n);
    memcpy(out, at, len);
    out[len] = '\0';
}

static void
badge_and_share_link(void **state)
{
    (void)state;
    const char *const langs[] = {"en", "fr"};
    const char *const alts[] = {"e-6512: signatures", "e-6512 : signatures"};
    for (int i = 0; i < 2; i++) {
        char path[80], total[40], want[200];
        struct http_result page, badge;
        snprintf(path, sizeof(path), "/%s/petitions/e-6512", langs[i]);
        get_status(&H, path, &page, 200);
        page_total(&page, total, sizeof(total));

        /* The badge: an SVG image of the same count, cacheable like the
         * count endpoint, with its text for screen readers. */
        snprintf(path, sizeof(path), "/%s/petitions/e-6512/badge.svg", langs[i]);
        get_status(&H, path, &badge, 200);
        assert_non_null(strstr(http_header(&badge, "Content-Type"), "image/svg+xml"));
        assert_non_null(strstr(http_header(&badge, "Cache-Control"), "max-age=5"));
        assert_int_equal(strncmp(badge.body, "<svg ", 5), 0);
        snprintf(want, sizeof(want), "aria-label=\"e-6512: %s signatures\"", total);
        has(&badge, want);
        snprintf(want, sizeof(want), ">%s signatures</text>", total);
        has(&badge, want);
        http_result_free(&badge);

        /* The page's share section: the link, the badge, and the code to
         * embed it, escaped. */
        snprintf(want, sizeof(want), "value=\"%s/%s/petitions/e-6512\"", H.base, langs[i]);
        has(&page, want);
        snprintf(want, sizeof(want), "<img src=\"/%s/petitions/e-6512/badge.svg\" alt=\"%s\">",
                 langs[i], alts[i]);
        has(&page, want);
        snprintf(want, sizeof(want), "&lt;a href=&quot;%s/%s/petitions/e-6512&quot;&gt;&lt;img",
                 H.base, langs[i]);
        has(&page, want);
        has(&page, "<script src=\"/static/share.js\" defer></script>");
        http_result_free(&page);
    }
    /* No badge for what is not an e-petition, nor for none. */
    struct http_result r;
    get_status(&H, "/en/petitions/e-99999/badge.svg", &r, 404);
    http_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(info_pages_in_both_languages),
        cmocka_unit_test(footer_links_on_every_page),
        cmocka_unit_test(terms_boxes_link_to_their_part),
        cmocka_unit_test(check_my_signature_page),
        cmocka_unit_test(another_jurisdiction_changes_the_text),
        cmocka_unit_test(activation_links_old_and_new),
        cmocka_unit_test(reset_links_old_and_new),
        cmocka_unit_test(supporter_links_old_and_new),
        cmocka_unit_test(signature_links_old_and_new),
        cmocka_unit_test(badge_and_share_link),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
