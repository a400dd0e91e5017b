/*
 * house_test.c: after certification, over HTTP (issue "from certificate to
 * government response"): presentation and its numbers across sessions,
 * the e-mail to every signatory in their language, the 45-day deadline
 * moved to the next sitting day and the public overdue list, prorogation,
 * the responder's draft and the Clerk's tabling published like e-2829's,
 * paper petitions, a mailing resumed after SIGKILL, the audit guard, and
 * dissolution from every state with one e-mail per person.
 *
 * One development-mode server over tests/integration/data/house.json;
 * signatories are written into its database through the store
 * (fixture_signatures_add(): the signing path has its own tests).  The
 * tests run in order; dissolution is last.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>

#include "core/eastern_time.h"
#include "core/house.h"
#include "lib/arena.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "lib/err.h"
#include "harness.h"
#include "jobs/delivery.h"
#include "fixtures.h"
#include "web.h"
#include "lib/banned.h"

static struct harness H;
static int64_t now_at;

/* ---- the database, for fixtures and checks ------------------------------------------ */

/* One signatory as add_signatories() writes them. */
static struct signature_record
signatory(struct arena *a, const char *email, const char *first, const char *last,
          const char *phone, enum lang lang, const char *ip, int64_t created_at,
          int64_t confirmed_at, enum signature_review review)
{
    return (struct signature_record){.email_key = arena_strdup(a, email),
                                     .email = arena_strdup(a, email),
                                     .first_name = first,
                                     .last_name = arena_strdup(a, last),
                                     .country = "Canada",
                                     .region = REGION_ON,
                                     .postal_code = "K1A 0A6",
                                     .phone = phone,
                                     .lang = lang,
                                     .ip = ip,
                                     .rate_key = ip,
                                     .created_at = created_at,
                                     .confirmed_at = confirmed_at,
                                     .review = review,
                                     .mails = 1};
}

/* Counted signatories of e-number: addresses prefix1..prefixN@example.org,
 * every third one French; plus one pending and one invalidated that must
 * never be written to.  No count moves (fixture_signatures_add()). */
static void
add_signatories(long e_number, const char *prefix, int n)
{
    struct arena *a = arena_new();
    struct signature_record *rows = arena_calloc(a, (size_t)n + 2, sizeof(*rows));
    for (int i = 1; i <= n; i++)
        rows[i - 1] = signatory(a, arena_printf(a, "%s%d@example.org", prefix, i), "Sig",
                                arena_printf(a, "Natory%d", i), "613-555-0100",
                                i % 3 == 0 ? LANG_FR : LANG_EN, "192.0.2.1", now_at - 86400 * 20,
                                now_at - 86400 * 19, REVIEW_CLEAR);
    rows[n] = signatory(a, arena_printf(a, "pending-%s@example.org", prefix), "P", "P", "1",
                        LANG_EN, "192.0.2.2", 1, 0, REVIEW_CLEAR);
    rows[n + 1] = signatory(a, arena_printf(a, "invalid-%s@example.org", prefix), "I", "I", "1",
                            LANG_EN, "192.0.2.3", 1, 2, REVIEW_INVALIDATED);
    fixture_signatures_add(&H, e_number, rows, n + 2);
    arena_free(a);
}

/* Wait until every mailing is done (the mail thread works in batches);
 * a bound of two minutes, for a busy machine. */
static void
mailings_done(void)
{
    for (int i = 0; i < 2400; i++) {
        if (!fixture_mailing_open(&H) && fixture_outbox_unsent(&H) == 0)
            return;
        poll(NULL, 0, 50);
    }
    fail_msg("mailings not done");
}

/* ---- dates as the pages write them ---------------------------------------------------- */

static struct civil_date
today(void)
{
    struct civil_time ct;
    eastern_from_utc(now_at, &ct);
    return (struct civil_date){ct.year, ct.month, ct.day};
}

static const char *
iso(struct civil_date d)
{
    static char buf[4][11];
    static int k;
    k = (k + 1) % 4;
    civil_date_format(&d, buf[k]);
    return buf[k];
}

/* "January 7, 2027" */
static const char *
long_date(struct civil_date d, enum lang lang)
{
    static char buf[64];
    struct strbuf sb;
    sb_init(&sb, NULL);
    eastern_format_date(&sb, eastern_to_utc(d.year, d.month, d.day, 12, 0, 0), lang);
    snprintf(buf, sizeof(buf), "%s", sb.buf);
    sb_release(&sb);
    return buf;
}

/* ---- steps -------------------------------------------------------------------------------- */

static void
staff(struct browser *b, const char *email)
{
    browser_init(b, &H);
    assert_int_equal(web_sign_in(b, email, "petitions-demo"), 303);
}

static long
post(struct browser *b, const char *path, const char *form, struct http_result *r)
{
    struct http_result own;
    struct http_result *res = r ? r : &own;
    /* The form's page first, for its CSRF token (any staff page has one). */
    assert_int_equal(web_get(b, path, &own), 0);
    http_result_free(&own);
    assert_int_equal(web_post(b, path, form, true, res), 0);
    long status = res->status;
    if (!r)
        http_result_free(&own);
    return status;
}

/* The GET of path + "?refused=1" with cookies ("a=1; b=2"): its status
 * when it shows the long response refused (the row kept for it, 4xx), or
 * when it shows nothing of it (the page as usual); 0 when it shows only
 * part of that. */
static long
long_text_kept(const char *path, const char *cookies)
{
    char url[200];
    size_t len = strlen(cookies) + 16;
    char *cookie = malloc(len);
    assert_non_null(cookie);
    snprintf(cookie, len, "Cookie: %s", cookies);
    const char *headers[] = {cookie, NULL};
    struct http_result g;
    snprintf(url, sizeof(url), "%s?refused=1", path);
    assert_int_equal(http_request(&H, "GET", url, NULL, 0, headers, &g), 0);
    bool text = body_has(&g, "a a a a a a a a a a");
    bool error = body_has(&g, "le texte est trop long") || body_has(&g, "the text is too long");
    long status = text == error && (g.status == 200) != text ? g.status : 0;
    http_result_free(&g);
    free(cookie);
    return status;
}

static bool
page_has(const char *path, const char *needle)
{
    struct http_result r;
    assert_int_equal(http_get(&H, path, &r), 0);
    bool ok = r.status == 200 && body_has(&r, needle);
    http_result_free(&r);
    return ok;
}

static void
present(struct browser *clerk, const char *number, const char *date, const char *member, long want)
{
    char path[128], form[512];
    snprintf(path, sizeof(path), "/en/clerk/house/%s", number);
    snprintf(form, sizeof(form), "date=%s&member=%s&committee=FAAE&ministry=foreign-affairs", date,
             member);
    struct http_result r;
    long status = post(clerk, path, form, &r);
    if (status != want)
        fprintf(stderr, "present %s: %ld\n%s\n", number, status, r.body);
    assert_int_equal(status, want);
    http_result_free(&r);
}

/* ---- tests ------------------------------------------------------------------------------- */

/*
 * Issue 20, item 7: the presentation form preselects the committee and
 * the minister of the petition's subject (the jurisdiction file maps
 * them), names the petition in its <title> and <h1>, and refuses a
 * committee or a minister unrelated to the subject unless "present
 * anyway" is ticked, with a warning that names the subject and what was
 * chosen, in both languages.  e-8001 is about foreign affairs.
 */
static void
presentation_fits_the_subject(struct browser *clerk)
{
    struct http_result r;
    char form[256];
    assert_int_equal(web_get(clerk, "/en/clerk/house/e-8001", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<title>Record the presentation of e-8001 –"));
    assert_true(body_has(&r, "<h1>Record the presentation of e-8001</h1>"));
    assert_true(body_has(&r, "<option value=\"FAAE\" selected>"));
    assert_true(body_has(&r, "<option value=\"foreign-affairs\" selected>"));
    assert_false(body_has(&r, "name=\"anyway\""));
    http_result_free(&r);

    /* The Agriculture committee for a petition on foreign affairs. */
    snprintf(form, sizeof(form), "date=%s&member=okafor&committee=AGRI&ministry=foreign-affairs",
             iso(today()));
    assert_int_equal(post(clerk, "/en/clerk/house/e-8001", form, &r), 422);
    /* By Post/Redirect/Get: the warning and the choices typed, on a GET. */
    assert_string_equal(clerk->refused_to, "/en/clerk/house/e-8001?refused=1");
    assert_true(body_has(&r, "<option value=\"AGRI\" selected>"));
    assert_true(refusal_page_ok(&r, "en"));
    assert_true(body_has(&r, "Warning: this petition’s subject is Foreign affairs."));
    assert_true(body_has(&r, "The committee chosen, the Standing Committee on Agriculture and "
                             "Agri-Food, does not study it."));
    assert_true(body_has(&r, "For this subject: Standing Committee on Foreign Affairs and "
                             "International Development; Minister of Foreign Affairs."));
    assert_false(body_has(&r, "The minister chosen"));
    assert_true(body_has(&r, "name=\"anyway\""));
    assert_true(body_has(&r, "Tick “Present anyway”"));
    assert_true(body_has(&r, "<option value=\"AGRI\" selected>"));
    http_result_free(&r);
    /* A minister unrelated to it, in French. */
    snprintf(form, sizeof(form), "date=%s&member=okafor&committee=FAAE&ministry=environment",
             iso(today()));
    assert_int_equal(post(clerk, "/fr/clerk/house/e-8001", form, &r), 422);
    assert_true(refusal_page_ok(&r, "fr"));
    assert_true(body_has(&r, "Attention : le sujet de cette pétition est Affaires étrangères."));
    assert_true(body_has(&r, "Le ministre choisi, ministre de l’Environnement et du Changement "
                             "climatique, n’en répond pas."));
    assert_false(body_has(&r, "Le comité choisi"));
    assert_true(body_has(&r, "Consigner quand même"));
    http_result_free(&r);
    assert_int_equal(fixture_petition_state(&H, 8001), PETITION_CERTIFIED);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "petition.present"}),
                     0);
}

static void
presentation_numbers_and_mails_every_signatory(void **state)
{
    (void)state;
    struct browser clerk;
    add_signatories(8001, "a", 40);
    staff(&clerk, "clerk@petitions.test");
    assert_true(page_has("/en/petitions/e-8001", "Certified"));

    /* Refused beside the field, in the visitor's language. */
    struct http_result r;
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8001",
                          "date=2026-02-30&member=okafor&committee=NOPE&ministry=foreign-affairs",
                          &r),
                     422);
    assert_true(body_has(&r, "Enter the date: a real date"));
    assert_true(body_has(&r, "Choose the committee"));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);
    assert_int_equal(post(&clerk, "/fr/clerk/house/e-8001",
                          "date=2026-02-30&member=okafor&committee=FAAE&ministry=foreign-affairs",
                          &r),
                     422);
    assert_true(body_has(&r, "Saisissez la date : une date réelle"));
    assert_true(refusal_page_ok(&r, "fr"));
    http_result_free(&r);
    char tomorrow[128];
    snprintf(tomorrow, sizeof(tomorrow),
             "date=%s&member=okafor&committee=FAAE"
             "&ministry=foreign-affairs",
             iso(civil_date_add(today(), 1)));
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8001", tomorrow, NULL), 422);
    assert_int_equal(fixture_petition_state(&H, 8001), PETITION_CERTIFIED);
    presentation_fits_the_subject(&clerk);

    /* The next number of the session: 451-00007 was the last. */
    present(&clerk, "e-8001", iso(today()), "okafor", 303);
    assert_true(page_has("/en/petitions/e-8001", "451-00008"));
    assert_true(page_has("/en/petitions/e-8001", "Presented"));
    assert_true(page_has("/fr/petitions/e-8001", "Présentée"));
    assert_true(page_has("/en/petitions/e-8001", "Standing Committee on Foreign Affairs"));
    /* 45 calendar days, no calendar entered. */
    assert_true(page_has("/en/petitions/e-8001", long_date(civil_date_add(today(), 45), LANG_EN)));
    present(&clerk, "e-8001", iso(today()), "okafor", 409); /* not certified any more */

    /* Every counted signatory once, in their language; never the others. */
    mailings_done();
    assert_int_equal(mail_count(&H, "-presented.eml", "@example.org"), 40);
    assert_int_equal(mail_count(&H, "-presented.eml", "pending-a"), 0);
    assert_int_equal(mail_count(&H, "-presented.eml", "invalid-a"), 0);
    char *m = mail_wait(&H, "-presented.eml", "<a3@example.org>");
    assert_non_null(m);
    assert_non_null(strstr(m, "pr=C3=A9sent") ? m : strstr(m, "présent"));
    free(m);
    m = mail_wait(&H, "-presented.eml", "<a1@example.org>");
    assert_non_null(m);
    assert_non_null(strstr(m, "451-00008"));
    free(m);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "petition.present",
                                                                   .target = "e-8001"}),
                     1);
}

/* The path of a mail's List-Unsubscribe link ("/en/stop/ID/MAC"), after
 * checking both RFC 8058 headers and the same link in its text; free() it. */
static char *
stop_link(const char *mail, const char *lang)
{
    const char *h = strstr(mail, "\r\nList-Unsubscribe: <http://127.0.0.1:");
    assert_non_null(h);
    h += strlen("\r\nList-Unsubscribe: <");
    const char *end = strstr(h, ">\r\n");
    assert_non_null(end);
    char *url = strndup(h, (size_t)(end - h));
    assert_non_null(strstr(mail, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    /* The headers come before the blank line; the link is in the text too. */
    const char *body = strstr(mail, "\r\n\r\n");
    assert_true(body && h < body);
    char line[512];
    snprintf(line, sizeof(line), "%s %s\r\n",
             strcmp(lang, "fr") == 0 ? "suivez ce lien :" : "follow this link:", url);
    assert_non_null(strstr(body, line));
    char *path = strdup(strchr(url + strlen("http://"), '/'));
    free(url);
    char prefix[16];
    snprintf(prefix, sizeof(prefix), "/%s/stop/", lang);
    assert_true(strncmp(path, prefix, strlen(prefix)) == 0);
    return path;
}

static void
mail_to_signatories_stops_in_one_click(void **state)
{
    (void)state;
    struct http_result r;

    /* e-8001's presentation went to a1 (English) and a3 (French), each
     * with a stop link of their own in their language. */
    char *m1 = mail_wait(&H, "-presented.eml", "<a1@example.org>");
    char *m3 = mail_wait(&H, "-presented.eml", "<a3@example.org>");
    assert_non_null(m1);
    assert_non_null(m3);
    char *a1 = stop_link(m1, "en");
    char *a3 = stop_link(m3, "fr");
    assert_string_not_equal(a1, a3);
    free(m1);
    free(m3);

    /* The link shows a page with a button, in its language; nothing is
     * stopped by a GET (a mail scanner follows links). */
    assert_int_equal(http_get(&H, a3, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<html lang=\"fr\""));
    assert_true(body_has(&r, "Ne plus recevoir de courriel au sujet de cette pétition"));
    assert_true(body_has(&r, "au sujet de la pétition e-8001."));
    assert_true(body_has(&r, "<form method=\"post\""));
    http_result_free(&r);
    assert_int_equal(http_get(&H, a1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<html lang=\"en\""));
    assert_true(body_has(&r, "You will receive no more e-mail about petition e-8001."));
    assert_true(body_has(&r, "Your signature still counts."));
    http_result_free(&r);

    /* A link that was not made by the site: refused, in the page's
     * language, whether the signature exists or not, GET or POST. */
    char bad[256];
    snprintf(bad, sizeof(bad), "%.*sAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
             (int)(strrchr(a3, '/') - a3 + 1), a3);
    assert_int_equal(http_get(&H, bad, &r), 0);
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "<html lang=\"fr\""));
    assert_true(body_has(&r, "Ce lien pour ne plus recevoir de courriel n’est pas valide"));
    http_result_free(&r);
    const char *one_click[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    const char *body = "List-Unsubscribe=One-Click";
    assert_int_equal(http_request(&H, "POST",
                                  "/en/stop/999999999/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                  body, strlen(body), one_click, &r),
                     0);
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "This link to stop e-mail is not valid"));
    http_result_free(&r);

    /* RFC 8058: the mail provider's POST, no cookie, no CSRF token; twice
     * is once. */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(http_request(&H, "POST", a1, body, strlen(body), one_click, &r), 0);
        assert_int_equal(r.status, 200);
        assert_true(body_has(&r, "You will receive no more e-mail about this petition"));
        http_result_free(&r);
    }
    /* The button of the page, from a browser. */
    struct browser b;
    browser_init(&b, &H);
    assert_int_equal(web_get(&b, a3, &r), 0);
    http_result_free(&r);
    assert_int_equal(web_post(&b, a3, "", true, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Vous ne recevrez plus de courriel au sujet de cette pétition"));
    http_result_free(&r);
    free(a1);
    free(a3);

    /* The Clerk sees how many: the number, never who. */
    struct browser clerk;
    staff(&clerk, "clerk@petitions.test");
    assert_int_equal(web_get(&clerk, "/en/clerk/signatures/e-8001", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Signatories who stopped e-mail about this petition"));
    assert_true(body_has(&r, "id=\"mail-stops\">2</td>"));
    assert_false(body_has(&r, "a1@example.org"));
    http_result_free(&r);
    assert_int_equal(web_get(&clerk, "/fr/clerk/signatures/e-8001", &r), 0);
    assert_true(body_has(&r, "Signataires qui ne veulent plus recevoir de courriel"));
    http_result_free(&r);
}

static void
deadline_moves_to_next_sitting_day_and_overdue_listed(void **state)
{
    (void)state;
    struct browser clerk;
    staff(&clerk, "clerk@petitions.test");
    struct civil_date t = today();
    /* Presented 60 days ago: its 45th day was 15 days ago, not a sitting
     * day; the next sitting day is 12 days ago, so it is overdue. */
    struct civil_date p9 = civil_date_add(t, -60), due9 = civil_date_add(p9, 48);
    /* Presented 48 days ago: 45th day 3 days ago; next sitting day tomorrow. */
    struct civil_date p10 = civil_date_add(t, -48), due10 = civil_date_add(t, 1);
    char form[256];
    struct http_result r;
    assert_int_equal(post(&clerk, "/en/clerk/calendar", "action=add&days=2026-13-01", &r), 422);
    assert_true(body_has(&r, "Each line must be a date"));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);
    snprintf(form, sizeof(form), "action=add&days=%s%%0A%s", iso(due9), iso(due10));
    assert_int_equal(post(&clerk, "/en/clerk/calendar", form, NULL), 303);
    assert_int_equal(fixture_sitting_day_count(&H), 2);
    present(&clerk, "e-8009", iso(p9), "chau", 303);
    present(&clerk, "e-8010", iso(p10), "chau", 303);
    assert_true(page_has("/en/petitions/e-8009", "451-00009"));
    assert_true(page_has("/en/petitions/e-8009", long_date(due9, LANG_EN)));
    assert_true(page_has("/en/petitions/e-8010", long_date(due10, LANG_EN)));
    assert_true(page_has("/fr/petitions/e-8010", long_date(due10, LANG_FR)));
    /* Overdue: listed with its committee, and said on its page. */
    struct http_result o;
    assert_int_equal(http_get(&H, "/en/petitions/overdue", &o), 0);
    assert_int_equal(o.status, 200);
    const char *past = strstr(o.body, "Past the deadline");
    const char *within = strstr(o.body, "Within the deadline");
    assert_non_null(past);
    assert_non_null(within);
    const char *at9 = strstr(o.body, "e-8009"), *at10 = strstr(o.body, "e-8010");
    assert_true(at9 && at9 > past && at9 < within);
    assert_true(at10 && at10 > within);
    assert_non_null(strstr(past, "Standing Committee on Foreign Affairs"));
    http_result_free(&o);
    assert_true(page_has("/en/petitions/e-8009", "The government response is overdue"));
    assert_false(page_has("/en/petitions/e-8010", "The government response is overdue"));
    assert_true(page_has("/fr/petitions/overdue", "Réponses du gouvernement en retard"));
}

static void
prorogation_holds_presentation_numbers_restart(void **state)
{
    (void)state;
    struct browser admin, clerk, member;
    staff(&admin, "admin@petitions.test");
    staff(&clerk, "clerk@petitions.test");
    staff(&member, "arya@petitions.test");
    struct http_result n;
    /* Proroguing is asked first (issue 20, item 2): the button is a GET
     * form to the question, and a POST without confirm=yes is answered
     * with it, nothing done. */
    const struct audit_match moves = {.action_prefix = "parliament."};
    int64_t moved = fixture_audit_count(&H, &moves);
    assert_int_equal(web_get(&admin, "/en/admin/parliament", &n), 0);
    assert_true(body_has(&n, "<form method=\"get\" action=\"/en/admin/parliament\"><input "
                             "type=\"hidden\" name=\"action\" value=\"prorogue\">"));
    http_result_free(&n);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=prorogue", &n), 200);
    assert_true(confirm_page_ok(&n, "en", "Prorogue session 45-1?"));
    assert_true(body_has(&n, "Open petitions go on taking signatures"));
    assert_true(body_has(&n, "a prorogued session does not resume"));
    http_result_free(&n);
    assert_int_equal(web_get(&admin, "/fr/admin/parliament?action=prorogue", &n), 0);
    assert_true(confirm_page_ok(&n, "fr", "Proroger la session 45-1 ?"));
    assert_true(body_has(&n, "Les pétitions ouvertes continuent de recueillir des signatures"));
    http_result_free(&n);
    assert_int_equal(fixture_audit_count(&H, &moves), moved);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=prorogue&confirm=yes", &n), 303);
    assert_int_equal(fixture_audit_count(&H, &moves), moved + 1);
    assert_string_equal(http_header(&n, "Location"), "/en/admin/parliament?done=prorogued");
    http_result_free(&n);
    assert_int_equal(web_get(&admin, "/en/admin/parliament?done=prorogued", &n), 0);
    assert_true(body_has(&n, "The session is prorogued."));
    http_result_free(&n);
    assert_true(page_has("/en", "E-petitions")); /* the site goes on */
    struct http_result r;
    assert_int_equal(post(&member, "/en/member/present/e-8002",
                          "date=2026-01-01&committee=FAAE&ministry=foreign-affairs", &r),
                     409);
    assert_true(body_has(&r, "prorogued"));
    http_result_free(&r);
    /* Prorogued: not asked again, refused. */
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=prorogue", NULL), 409);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=prorogue&confirm=yes", NULL),
                     409);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=open_session", NULL), 303);
    /* A Member records their own presentation; numbering restarts.  A
     * committee unrelated to its subject is refused, then presented anyway. */
    char form[128];
    snprintf(form, sizeof(form), "date=%s&committee=FAAE&ministry=foreign-affairs", iso(today()));
    char agri[160];
    snprintf(agri, sizeof(agri), "date=%s&committee=AGRI&ministry=foreign-affairs", iso(today()));
    assert_int_equal(post(&member, "/en/member/present/e-8002", agri, &r), 422);
    assert_true(refusal_page_ok(&r, "en"));
    assert_true(body_has(&r, "Standing Committee on Agriculture and Agri-Food, does not study it"));
    http_result_free(&r);
    assert_int_equal(fixture_petition_state(&H, 8002), PETITION_CERTIFIED);
    snprintf(agri, sizeof(agri), "date=%s&committee=AGRI&ministry=foreign-affairs&anyway=1",
             iso(today()));
    assert_int_equal(post(&member, "/en/member/present/e-8002", agri, NULL), 303);
    assert_true(page_has("/en/petitions/e-8002", "Standing Committee on Agriculture"));
    assert_true(page_has("/en/petitions/e-8002", "452-00001"));
    assert_true(page_has("/en/petitions/e-8002", "Arya"));
    /* Other roles are refused. */
    assert_int_equal(post(&clerk, "/en/member/present/e-8003", form, NULL), 403);
    assert_int_equal(post(&member, "/en/admin/parliament", "action=prorogue", NULL), 403);
}

static void
responder_drafts_clerk_tables_response_published(void **state)
{
    (void)state;
    struct browser resp, clerk, member;
    staff(&resp, "responder@petitions.test");
    staff(&clerk, "clerk@petitions.test");
    staff(&member, "arya@petitions.test");
    struct http_result r;
    assert_int_equal(web_get(&resp, "/en/responder", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "e-8001"));
    http_result_free(&r);
    assert_int_equal(web_get(&member, "/en/responder/petitions/e-8001", &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
    /* The responder sees the petition answered (issue 20, item 7): its
     * number in the <title> and <h1>, its title, clauses and prayer. */
    assert_int_equal(web_get(&resp, "/en/responder/petitions/e-8001", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "<title>Response to e-8001 –"));
    assert_true(body_has(&r, "<h1>Response to e-8001</h1>"));
    assert_true(body_has(&r, "The petition answered: e-8001 (Foreign affairs)"));
    assert_true(body_has(&r, "<li>Since September 7, 2023, Belarusian embassies and consulates"));
    assert_true(
        body_has(&r, "<p>We, the undersigned, call upon the Government of Canada to test counts"));
    http_result_free(&r);
    assert_int_equal(web_get(&resp, "/fr/responder/petitions/e-8001", &r), 0);
    assert_true(body_has(&r, "<title>Réponse à e-8001 –"));
    assert_true(body_has(&r, "La pétition visée : e-8001 (Affaires étrangères)"));
    assert_true(body_has(&r, "Depuis le 7 septembre 2023, les ambassades"));
    assert_true(body_has(&r, "Nous, soussignés, demandons au gouvernement du Canada"));
    http_result_free(&r);
    assert_int_equal(web_get(&clerk, "/en/clerk/house/e-8001", &r), 0);
    assert_true(body_has(&r, "<title>Government response to e-8001 –"));
    assert_true(body_has(&r, "<h1>Government response to e-8001</h1>"));
    http_result_free(&r);
    /* Not ready: the Clerk cannot table it. */
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8001", "date=2026-01-01", &r), 409);
    assert_true(body_has(&r, "has not sent its response"));
    http_result_free(&r);
    assert_int_equal(post(&resp, "/en/responder/petitions/e-8001",
                          "action=ready&signed_by=&signed_by_fr=&text_en=&text_fr=", &r),
                     422);
    assert_true(refusal_page_ok(&r, "en"));
    assert_true(body_has(&r, "Enter who signed the response."));
    assert_true(body_has(&r, "Enter who signed the response, in French."));
    assert_true(body_has(&r, "Enter the text in English."));
    assert_true(body_has(&r, "Enter the text in French."));
    /* Each text's limit beside it and in the browser (issue 20, item 5). */
    assert_true(body_has(&r, "name=\"text_en\" rows=\"4\" maxlength=\"40000\""));
    assert_true(
        body_has(&r, "<p class=\"hint\" id=\"f-text_en-limit\">At most 40,000 characters.</p>"));
    assert_true(body_has(&r, "maxlength=\"200\""));
    http_result_free(&r);
    /* A response of 84,000 characters pasted: a responder's form may be
     * larger than a visitor's (ROUTE_LONG_FORM), so it all arrives and
     * the form comes back with it, the text named as too long, nothing
     * saved. */
    {
        static const char head[] = "signed_by=Rob+Oliphant&action=save&text_fr=Texte&text_en=";
        size_t n = strlen(head) + 84000;
        char *big = malloc(n + 1);
        assert_non_null(big);
        memcpy(big, head, strlen(head));
        for (size_t i = strlen(head); i < n; i += 2)
            memcpy(big + i, "a+", 2);
        big[n] = '\0';
        /* Too long for the kept refusal's cookie: kept in the database
         * for the signed-in account, the cookie naming its row, so the
         * refusal is still a redirect to the form's page (web/forms.h),
         * in either language. */
        static const char *const lang[] = {"en", "fr"};
        static const char *const too_long[] = {"Shorten the text in English: the text is too long.",
                                               "le texte est trop long."};
        char kept[2][4096] = {{0}};
        for (int l = 0; l < 2; l++) {
            char path[80], refused[96];
            snprintf(path, sizeof(path), "/%s/responder/petitions/e-8001", lang[l]);
            snprintf(refused, sizeof(refused), "%s?refused=1", path);
            assert_int_equal(post(&resp, path, big, &r), 422);
            assert_string_equal(resp.refused_to, refused);
            assert_true(refusal_page_ok(&r, lang[l]));
            assert_true(body_has(&r, too_long[l]));
            assert_true(body_has(&r, "value=\"Rob Oliphant\""));
            assert_true(body_has(&r, ">Texte</textarea>"));
            assert_true(
                body_has(&r, "a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a"));
            http_result_free(&r);
            /* The cookie holds only the row's sealed reference. */
            const char *c = strstr(resp.cookies, "pd_form=");
            assert_non_null(c);
            size_t len = strcspn(c, ";");
            assert_true(len < 400);
            memcpy(kept[l], c, len);
        }
        assert_int_equal(fixture_response_drafts_unready(&H), 0);
        /* Another account on the same page with that cookie: the page as
         * usual, nothing of the text. */
        {
            struct err e = ERR_INIT;
            struct arena *a = arena_new();
            struct user other;
            assert_int_equal(store_user_get(fixture_store(&H), NULL, a, 0,
                                            "responder@petitions.test", &other, &e),
                             0);
            other.id = 0;
            other.email = "responder2@petitions.test";
            fixture_user_add(&H, &other);
            arena_free(a);
            struct browser resp2;
            staff(&resp2, "responder2@petitions.test");
            char cookie[sizeof(resp2.cookies) + 4200];
            snprintf(cookie, sizeof(cookie), "%s; %s", resp2.cookies, kept[0]);
            assert_int_equal(long_text_kept("/en/responder/petitions/e-8001", cookie), 200);
            /* Its own account, on another page (the French page's cookie,
             * the one its jar holds now, on the English page): nothing
             * either. */
            assert_non_null(strstr(resp.cookies, kept[1]));
            assert_int_equal(long_text_kept("/en/responder/petitions/e-8001", resp.cookies), 200);
            /* The English page's own cookie, with its account: shown
             * again (a reload of the refusal). */
            snprintf(cookie, sizeof(cookie), "%s; %s", resp.cookies, kept[0]);
            char *fr = strstr(cookie, kept[1]);
            memmove(fr, fr + strlen(kept[1]) + 2, strlen(fr + strlen(kept[1]) + 2) + 1);
            assert_int_equal(long_text_kept("/en/responder/petitions/e-8001", cookie), 422);
            /* The French form then accepted: its row is gone, so the old
             * cookie shows nothing any more. */
            assert_int_equal(post(&resp, "/fr/responder/petitions/e-8001",
                                  "action=save&signed_by=Rob+Oliphant&signed_by_fr=Rob+Oliphant"
                                  "&text_en=Yes+we+do&text_fr=Oui",
                                  &r),
                             303);
            http_result_free(&r);
            snprintf(cookie, sizeof(cookie), "%s; %s", resp.cookies, kept[1]);
            assert_int_equal(long_text_kept("/fr/responder/petitions/e-8001", cookie), 200);
        }
        /* Anyone not signed in as staff is held to 64 KiB on these
         * forms: the same body to the Clerk's paper petition form (which
         * does not show itself again when cut) is cut and answered 413. */
        struct http_result anon;
        assert_int_equal(http_request(&H, "POST", "/en/clerk/paper", big, n, NULL, &anon), 0);
        assert_int_equal(anon.status, 413);
        http_result_free(&anon);
        free(big);
    }
    /* The longest response the form allows, in both languages (40,000
     * characters each, the French with accents: about 180 KB once
     * encoded: nearly three times a visitor's limit), is saved whole. */
    {
        struct strbuf sb;
        sb_init(&sb, NULL);
        sb_adds(&sb, "action=save&signed_by=Rob+Oliphant&signed_by_fr=Rob+Oliphant&text_en=");
        for (int i = 0; i < 40000; i += 4)
            sb_adds(&sb, "Yes+");
        sb_adds(&sb, "&text_fr=");
        for (int i = 0; i < 40000; i += 4)
            sb_adds(&sb, "%C3%A9t%C3%A9+");
        assert_true(sb.len > 2 * 64 * 1024);
        assert_int_equal(post(&resp, "/en/responder/petitions/e-8001", sb.buf, &r), 303);
        http_result_free(&r);
        sb_release(&sb);
        assert_int_equal(fixture_response_drafts_unready(&H), 1);
    }
    assert_int_equal(post(&resp, "/en/responder/petitions/e-8001",
                          "action=save&signed_by=Rob+Oliphant&signed_by_fr=Rob+Oliphant"
                          "&text_en=Canada+stands.&text_fr=Le"
                          "+Canada+est+solidaire.",
                          NULL),
                     303);
    assert_int_equal(fixture_response_drafts_unready(&H), 1);
    assert_int_equal(post(&resp, "/en/responder/petitions/e-8001",
                          "action=ready&signed_by=The+Honourable+Rob+Oliphant"
                          "&signed_by_fr=L%E2%80%99honorable+Rob+Oliphant"
                          "&text_en=Canada+stands+with+the+"
                          "people+of+Belarus.%0A%0AWe+act.&text_fr=Le+Canada+est+solidaire+du+"
                          "peuple+b%C3%A9larussien.%0A%0ANous+agissons.",
                          NULL),
                     303);
    /* Tabled before its presentation: refused; today: published. */
    char form[64];
    snprintf(form, sizeof(form), "date=%s", iso(civil_date_add(today(), -1)));
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8001", form, &r), 422);
    assert_true(body_has(&r, "before the petition was presented"));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);
    /* Tabling is asked first (issue 20, item 2), with the date typed;
     * without confirm=yes nothing is published or mailed. */
    const struct audit_match tabled = {.action = "response.table"};
    snprintf(form, sizeof(form), "date=%s", iso(today()));
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8001", form, &r), 200);
    assert_true(confirm_page_ok(
        &r, "en", "Record the response to petition e-8001 (Foreign affairs) as tabled?"));
    assert_true(body_has(&r, "response will be published on the petition&#39;s page"));
    assert_true(body_has(&r, "the published response stays on the public record"));
    char carried[120];
    snprintf(carried, sizeof(carried), "<input type=\"hidden\" name=\"date\" value=\"%s\">",
             iso(today()));
    assert_true(body_has(&r, carried));
    http_result_free(&r);
    assert_int_equal(post(&clerk, "/fr/clerk/house/e-8001", form, &r), 200);
    assert_true(confirm_page_ok(&r, "fr",
                                "Consigner le dépôt de la réponse à la pétition e-8001 (Affaires "
                                "étrangères) ?"));
    assert_true(body_has(&r, "La réponse du gouvernement sera publiée"));
    http_result_free(&r);
    assert_int_equal(fixture_audit_count(&H, &tabled), 0);
    assert_false(page_has("/en/petitions/e-8001", "Government response tabled"));
    snprintf(form, sizeof(form), "date=%s&confirm=yes", iso(today()));
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8001", form, NULL), 303);
    assert_true(page_has("/en/petitions/e-8001", "Government response tabled"));
    assert_true(page_has("/en/petitions/e-8001", "Response by the Minister of Foreign Affairs"));
    assert_true(
        page_has("/en/petitions/e-8001", "Signed by (Minister or Parliamentary Secretary):"));
    /* The signer's title in each language (issue 20, item 8). */
    assert_true(page_has("/en/petitions/e-8001", "The Honourable Rob Oliphant"));
    assert_false(page_has("/en/petitions/e-8001", "L’honorable"));
    assert_true(page_has("/fr/petitions/e-8001", "L’honorable Rob Oliphant"));
    assert_false(page_has("/fr/petitions/e-8001", "The Honourable"));
    assert_true(page_has("/en/petitions/e-8001", "Canada stands with the people of Belarus."));
    assert_true(page_has("/fr/petitions/e-8001", "Le Canada est solidaire du peuple bélarussien."));
    assert_true(page_has("/fr/petitions/e-8001", "Réponse du gouvernement déposée"));
    mailings_done();
    /* Of e-8001's 40, a1 and a3 stopped mail about it (above). */
    assert_int_equal(mail_count(&H, "-response-tabled.eml", "@example.org"), 38);
    assert_int_equal(mail_count(&H, "-response-tabled.eml", "<a1@example.org>"), 0);
    assert_int_equal(mail_count(&H, "-response-tabled.eml", "<a3@example.org>"), 0);
    assert_int_equal(mail_count(&H, "-response-tabled.eml", "<a2@example.org>"), 1);
    assert_true(mail_arrives(&H, "-response-tabled-member.eml", "arya@petitions.test"));
    assert_int_equal(
        fixture_audit_count(&H, &(struct audit_match){.action = "response.draft"}) +
            fixture_audit_count(&H, &(struct audit_match){.action = "response.ready"}) +
            fixture_audit_count(&H, &(struct audit_match){.action = "response.table"}),
        5); /* three saves, the one marked ready, the tabling */
}

static void
paper_petition_recorded_listed_and_answered(void **state)
{
    (void)state;
    struct browser clerk, resp;
    staff(&clerk, "clerk@petitions.test");
    staff(&resp, "responder@petitions.test");
    char bad[1100], good[1100];
    static const char text[] =
        "&member=kowalski&committee=FAAE&ministry=foreign-affairs"
        "&addressee=government&text_en=Whereas+the+regime+jails+its+critics%3B%0A%0A"
        "We+call+upon+the+Government+to+act."
        "&text_fr=Attendu+que+le+r%C3%A9gime+emprisonne+ses+critiques%3B%0A%0A"
        "Nous+demandons+au+gouvernement+d%27agir."
        "&subject=foreign-affairs&keywords=belarus";
    snprintf(bad, sizeof(bad), "number=&date=%s%s&signatures=12", iso(today()), text);
    snprintf(good, sizeof(good), "number=&date=%s%s&signatures=312", iso(today()), text);
    struct http_result r;
    assert_int_equal(post(&clerk, "/en/clerk/paper", bad, &r), 422);
    assert_true(body_has(&r, "at least 25"));
    assert_true(refusal_page_ok(&r, "en"));
    /* Staff forms state their limits too (issue 20, item 5). */
    assert_true(body_has(&r, "name=\"text_fr\" rows=\"4\" maxlength=\"40000\""));
    assert_true(body_has(&r, "id=\"f-text_fr-limit\">At most 40,000 characters.</p>"));
    http_result_free(&r);
    assert_int_equal(post(&clerk, "/en/clerk/paper", good, &r), 303);
    assert_string_equal(http_header(&r, "Location"), "/en/petitions/452-00002");
    http_result_free(&r);
    assert_true(page_has("/en/petitions/452-00002", "Paper petition"));
    assert_true(page_has("/en/petitions/452-00002", "312"));
    assert_true(page_has("/fr/petitions/452-00002", "Pétition papier"));
    assert_true(page_has("/en/petitions?type=paper", "452-00002"));
    /* Its response, like an e-petition's. */
    assert_int_equal(post(&resp, "/en/responder/petitions/452-00002",
                          "action=ready&signed_by=Rob+Oliphant&signed_by_fr=Rob+Oliphant"
                          "&text_en=Paper+answer.&text_fr="
                          "R%C3%A9ponse+papier.",
                          NULL),
                     303);
    char tf[64];
    snprintf(tf, sizeof(tf), "date=%s&confirm=yes", iso(today()));
    assert_int_equal(post(&clerk, "/en/clerk/house/452-00002", tf, NULL), 303);
    assert_true(page_has("/en/petitions/452-00002", "Paper answer."));
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "paper.record"}), 1);
}

static void
admin_removes_a_published_petition(void **state)
{
    (void)state;
    struct browser admin, clerk;
    staff(&admin, "admin@petitions.test");
    staff(&clerk, "clerk@petitions.test");
    struct http_result r;
    assert_int_equal(post(&admin, "/en/admin/remove", "number=452-00002&reason=", &r), 422);
    /* Refused by Post/Redirect/Get (web/forms.h): the page is a GET. */
    assert_string_equal(admin.refused_to, "/en/admin/remove?refused=1");
    assert_true(body_has(&r, "f-reason"));
    assert_true(body_has(&r, "id=\"f-reason-limit\">At most 4,000 characters.</p>"));
    assert_true(refusal_page_ok(&r, "en"));
    http_result_free(&r);
    assert_int_equal(post(&admin, "/fr/admin/remove", "number=e-99999&reason=x", &r), 422);
    assert_string_equal(admin.refused_to, "/fr/admin/remove?refused=1");
    assert_true(body_has(&r, "Aucune pétition publiée ne porte ce numéro."));
    assert_true(body_has(&r, "value=\"e-99999\""));
    assert_true(refusal_page_ok(&r, "fr"));
    http_result_free(&r);
    assert_int_equal(post(&clerk, "/en/admin/remove", "number=452-00002&reason=x", NULL), 403);
    /* A staff account's form, refused (issue 20, item 1). */
    assert_int_equal(post(&admin, "/en/admin", "email=nope&first_name=&last_name=&role=", &r), 422);
    assert_string_equal(admin.refused_to, "/en/admin?refused=1");
    assert_true(refusal_page_ok(&r, "en"));
    assert_true(body_has(&r, "href=\"#f-role\""));
    http_result_free(&r);
    /* Removal is asked first (issue 20, item 2): the form's fields are
     * checked, then the question names the petition and carries them;
     * nothing is removed until it is confirmed. */
    const struct audit_match removed = {.action = "petition.remove"};
    assert_int_equal(
        post(&admin, "/en/admin/remove", "number=452-00002&reason=Posted+by+mistake", &r), 200);
    assert_true(confirm_page_ok(&r, "en", "Remove petition 452-00002 (Foreign affairs)?"));
    assert_true(body_has(&r, "its page will answer 410 Gone"));
    assert_true(body_has(&r, "a removed petition cannot be put back online"));
    assert_true(body_has(&r, "<dd>Posted by mistake</dd>"));
    assert_true(
        body_has(&r, "<input type=\"hidden\" name=\"reason\" value=\"Posted by mistake\">"));
    assert_true(body_has(&r, "class=\"button button-danger\">Yes, remove the petition</button>"));
    http_result_free(&r);
    /* What was typed is shown and carried escaped. */
    assert_int_equal(
        post(&admin, "/fr/admin/remove", "number=452-00002&reason=%3Cb%3EErreur%22%3C%2Fb%3E", &r),
        200);
    assert_true(body_has(&r, "<dd>&lt;b&gt;Erreur&quot;&lt;/b&gt;</dd>"));
    assert_true(body_has(&r, "name=\"reason\" value=\"&lt;b&gt;Erreur&quot;&lt;/b&gt;\""));
    assert_false(body_has(&r, "<b>Erreur"));
    assert_true(
        confirm_page_ok(&r, "fr", "Retirer la pétition 452-00002 (Affaires étrangères) du site ?"));
    assert_true(body_has(&r, "une pétition retirée du site ne peut pas y être remise"));
    http_result_free(&r);
    assert_int_equal(fixture_audit_count(&H, &removed), 0);
    assert_true(page_has("/en/petitions/452-00002", "Paper petition"));
    assert_int_equal(post(&admin, "/en/admin/remove",
                          "number=452-00002&reason=Posted+by+mistake&confirm=yes", NULL),
                     303);
    assert_int_equal(http_get(&H, "/en/petitions/452-00002", &r), 0);
    assert_int_equal(r.status, 410);
    http_result_free(&r);
    /* Removed, it is no longer a published petition. */
    assert_int_equal(post(&admin, "/en/admin/remove", "number=452-00002&reason=again", NULL), 422);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action = "petition.remove",
                                                                   .reason = "Posted by mistake"}),
                     1);
}

static void
mailing_resumes_after_kill(void **state)
{
    (void)state;
    enum { N = 1500 };
    struct browser clerk;
    add_signatories(8008, "k", N);
    staff(&clerk, "clerk@petitions.test");
    present(&clerk, "e-8008", iso(today()), "okafor", 303);
    /* SIGKILL once the mail thread has started on the signatories. */
    assert_true(mail_wait_count(&H, "-presented.eml", "<k", 1));
    assert_int_equal(harness_kill_restart(&H), 0);
    int before = mail_count(&H, "-presented.eml", "<k");
    print_message("presented mails to e-8008's signatories when killed: %d of %d\n", before, N);
    /* The killed process's lease of the mailing and its claims of e-mails
     * hold until they expire by the clock (another node could be alive:
     * jobs/delivery.h), then the new one takes them on. */
    now_at += DELIVERY_CLAIM + 1;
    harness_set_clock(&H, now_at);
    mailings_done();
    /* Every one exactly once, whatever was sent before the kill. */
    assert_int_equal(mail_count(&H, "-presented.eml", "<k"), N);
    assert_int_equal(fixture_mailing_queued(&H, "presented", "k"), N);
    assert_int_equal(fixture_outbox_repeated(&H, "presented", "k"), 0);
}

static void
staff_write_without_audit_record_is_impossible(void **state)
{
    (void)state;
    struct store *s;
    struct store_txn *t;
    struct err e = ERR_INIT;
    struct arena *a = arena_new();
    assert_int_equal(store_open(H.db, false, &s, &e), 0);
    int64_t id = fixture_signature_id(&H, 0, "a1@example.org");
    struct signature_record g;
    assert_int_equal(store_signature_get(s, NULL, a, id, &g, &e), 0);
    assert_int_equal(g.review, REVIEW_CLEAR);

    /* Invalidating without an audit record: refused, nothing written. */
    assert_int_equal(store_begin(s, &t, &e), 0);
    g.review = REVIEW_INVALIDATED;
    assert_int_not_equal(store_signature_update(t, &g, &e), 0);
    assert_non_null(strstr(e.log, "staff action without an audit record"));
    store_rollback(t);
    /* With its record, in the same transaction: allowed. */
    assert_int_equal(store_begin(s, &t, &e), 0);
    struct audit_entry rec = {
        .at = now_at, .role = "clerk", .action = "test.invalidate", .target = "e-8001"};
    assert_int_equal(store_audit_append(t, &rec, &e), 0);
    assert_int_equal(store_signature_update(t, &g, &e), 0);
    store_rollback(t); /* leave the counts as they are */
    store_close(s);
    arena_free(a);
    assert_int_equal(
        fixture_signature_count(&H, &(struct signature_match){.email = "a1@example.org",
                                                              .has_review = true,
                                                              .review = REVIEW_CLEAR}),
        1);

    /* The log kept every record (that no engine lets anyone change or
     * delete one is tests/store/sqlite_schema_test.c's). */
    assert_true(fixture_audit_count(&H, NULL) > 5);

    /* Admins read it; nobody else. */
    struct browser admin, clerk;
    staff(&admin, "admin@petitions.test");
    staff(&clerk, "clerk@petitions.test");
    struct http_result r;
    assert_int_equal(web_get(&admin, "/en/admin/audit?petition=e-8001", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "petition.present"));
    assert_true(body_has(&r, "response.table"));
    assert_true(body_has(&r, "clerk@petitions.test"));
    /* Issue 20, item 7: each record's time once, in Eastern time; its
     * action and details in words, not JSON; the petition's number. */
    char twice[64];
    snprintf(twice, sizeof(twice), "%s %s", iso(today()), long_date(today(), LANG_EN));
    assert_false(body_has(&r, twice));
    assert_true(body_has(&r, long_date(today(), LANG_EN)));
    assert_true(body_has(&r, ", at "));
    assert_true(body_has(&r, "(EST)") || body_has(&r, "(EDT)"));
    assert_true(body_has(&r, "<time datetime=\""));
    assert_true(body_has(&r, "Presentation recorded"));
    assert_true(body_has(&r, "Response tabled and published"));
    assert_true(body_has(&r, "Committee: </span>Standing Committee on Foreign Affairs and "
                             "International Development"));
    assert_true(body_has(&r, "Ministry: </span>Minister of Foreign Affairs"));
    assert_true(body_has(&r, "Number: </span>451-00008"));
    assert_false(body_has(&r, "{&quot;"));
    assert_false(body_has(&r, "&quot;committee&quot;"));
    assert_true(body_has(&r, "<td data-label=\"On\">e-8001</td>"));
    assert_true(body_has(&r, "class=\"data audit-log\""));
    http_result_free(&r);
    assert_int_equal(web_get(&admin, "/fr/admin/audit?petition=e-8001", &r), 0);
    assert_true(body_has(&r, "Présentation consignée"));
    assert_true(body_has(&r, "Comité : </span>Comité permanent des affaires étrangères"));
    assert_true(body_has(&r, long_date(today(), LANG_FR)));
    assert_true(body_has(&r, "Greffier des pétitions"));
    http_result_free(&r);
    assert_int_equal(web_get(&clerk, "/en/admin/audit", &r), 0);
    assert_int_equal(r.status, 403);
    http_result_free(&r);
}

static void
dissolution_closes_every_state_and_mails_each_person_once(void **state)
{
    (void)state;
    struct browser admin, clerk;
    add_signatories(8003, "d", 10);
    add_signatories(8004, "d", 5); /* d1..d5 signed both */
    add_signatories(8006, "e", 4);
    /* A draft waiting for supporters, with its petitioner and a supporter. */
    struct user initiator = {.email = "initiator@example.net",
                             .role = ROLE_PETITIONER,
                             .first_name = "Dana",
                             .last_name = "Drafter",
                             .lang = LANG_FR,
                             .created_at = 1,
                             .activated_at = 1};
    struct draft_record draft = {.petitioner_id = fixture_user_add(&H, &initiator),
                                 .state = PETITION_AWAITING_SUPPORTERS,
                                 .state_changed_at = now_at,
                                 .content = "{}",
                                 .supporters_min = 5,
                                 .supporters_days = 30,
                                 .member_days = 30,
                                 .members_max = 5,
                                 .round = 1,
                                 .submitted_at = now_at,
                                 .created_at = 1,
                                 .updated_at = 1};
    struct supporter_record sam = {.draft_id = fixture_draft_add(&H, &draft),
                                   .first_name = "Sam",
                                   .last_name = "Supporter",
                                   .email = "sam@example.net",
                                   .email_key = "sam@example.net",
                                   .invited_round = 1,
                                   .confirmed_round = 1,
                                   .confirmed_at = 1,
                                   .lang = LANG_EN,
                                   .created_at = 1};
    fixture_supporter_add(&H, &sam);
    staff(&admin, "admin@petitions.test");
    staff(&clerk, "clerk@petitions.test");
    struct http_result r;
    /* Dissolving is asked first (issue 20, item 2): the old form's
     * ticked box is no confirmation, only the question's confirm=yes. */
    assert_int_equal(web_get(&admin, "/en/admin/parliament", &r), 0);
    assert_true(body_has(&r, "<form method=\"get\" action=\"/en/admin/parliament\" "
                             "class=\"form\"><input type=\"hidden\" name=\"action\" "
                             "value=\"dissolve\">"));
    http_result_free(&r);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=dissolve", &r), 200);
    assert_true(confirm_page_ok(&r, "en", "Dissolve Parliament?"));
    assert_true(body_has(&r, "<dd>45-2</dd>"));
    assert_true(body_has(&r, "Every petition not yet presented is closed upon dissolution"));
    assert_true(body_has(&r, "the petitions closed stay closed"));
    http_result_free(&r);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=dissolve&confirm=1", &r), 200);
    assert_true(confirm_page_ok(&r, "en", "Dissolve Parliament?"));
    http_result_free(&r);
    assert_int_equal(web_get(&admin, "/fr/admin/parliament?action=dissolve", &r), 0);
    assert_true(confirm_page_ok(&r, "fr", "Dissoudre le Parlement ?"));
    assert_true(body_has(&r, "Ne le faites qu’une fois le Parlement dissous."));
    http_result_free(&r);
    assert_int_equal(fixture_parliaments_sitting(&H), 1);
    assert_true(page_has("/en/petitions/e-8004", "Open for signature"));
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=dissolve&confirm=yes", NULL),
                     303);

    static const struct {
        const char *number;
        const char *en, *fr;
    } after[] = {
        {"e-8003", "Closed upon dissolution", "Close à la dissolution"}, /* certified */
        {"e-8004", "Closed upon dissolution", "Close à la dissolution"}, /* open */
        {"e-8005", "Closed upon dissolution", "Close à la dissolution"}, /* waiting */
        {"e-8006", "Not answered before dissolution", "Sans réponse avant la dissolution"},
        {"e-8009", "Not answered before dissolution", "Sans réponse avant la dissolution"},
        {"e-8001", "Government response tabled", "Réponse du gouvernement déposée"},
        {"e-8007", "Not certified", "Non certifiée"},
    };
    for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
        char p[64];
        snprintf(p, sizeof(p), "/en/petitions/%s", after[i].number);
        assert_true(page_has(p, after[i].en));
        snprintf(p, sizeof(p), "/fr/petitions/%s", after[i].number);
        assert_true(page_has(p, after[i].fr));
    }
    assert_int_equal(fixture_draft_count(&H, PETITION_CLOSED_UPON_DISSOLUTION), 1);
    /* Each person once, even with two petitions; the draft's people too. */
    mailings_done();
    assert_int_equal(mail_count(&H, "-dissolution.eml", "<d1@example.org>"), 1);
    char *m = mail_wait(&H, "-dissolution.eml", "<d1@example.org>");
    assert_non_null(m);
    assert_non_null(strstr(m, "e-8003"));
    assert_non_null(strstr(m, "e-8004"));
    free(m);
    assert_int_equal(mail_count(&H, "-dissolution.eml", "<d"), 10);
    assert_int_equal(mail_count(&H, "-dissolution.eml", "<e"), 4);
    assert_int_equal(mail_count(&H, "-dissolution.eml", "<k"), 1500); /* e-8008, presented */
    assert_int_equal(mail_count(&H, "-dissolution.eml", "<a"), 0);    /* e-8001, answered */
    assert_int_equal(mail_count(&H, "-dissolution.eml", "initiator@example.net"), 1);
    assert_int_equal(mail_count(&H, "-dissolution.eml", "sam@example.net"), 1);
    /* Nothing moves while dissolved; then the next Parliament. */
    assert_int_equal(post(&clerk, "/en/clerk/house/e-8010", "date=2026-01-01", &r), 409);
    http_result_free(&r);
    assert_int_equal(post(&admin, "/en/admin/parliament", "action=open_parliament", NULL), 303);
    assert_int_equal(web_get(&admin, "/en/admin/parliament", &r), 0);
    assert_true(body_has(&r, "Parliament 46, session 1"));
    http_result_free(&r);
    assert_int_equal(fixture_audit_count(&H, &(struct audit_match){.action_prefix = "parliament."}),
                     4);
}

static int
setup(void **state)
{
    (void)state;
    now_at = (int64_t)time(NULL);
    if (harness_start_with(&H, "tests/integration/data/house.json", true))
        return -1;
    harness_set_clock(&H, now_at);
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
        cmocka_unit_test(presentation_numbers_and_mails_every_signatory),
        cmocka_unit_test(mail_to_signatories_stops_in_one_click),
        cmocka_unit_test(deadline_moves_to_next_sitting_day_and_overdue_listed),
        cmocka_unit_test(prorogation_holds_presentation_numbers_restart),
        cmocka_unit_test(responder_drafts_clerk_tables_response_published),
        cmocka_unit_test(paper_petition_recorded_listed_and_answered),
        cmocka_unit_test(admin_removes_a_published_petition),
        cmocka_unit_test(mailing_resumes_after_kill),
        cmocka_unit_test(staff_write_without_audit_record_is_impossible),
        cmocka_unit_test(dissolution_closes_every_state_and_mails_each_person_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
