/*
 * web.h: a tiny browser for integration tests: a cookie jar, forms posted
 * with the page's CSRF token, and the development mailbox (.eml files)
 * read for links.  Builds on harness.h.
 */
#ifndef PETITIOND_WEB_H
#define PETITIOND_WEB_H

#include <stdbool.h>

#include "harness.h"

struct browser {
    struct harness *h;
    char cookies[8192];   /* "a=1; b=2" (a refused form's state is up to 3,800) */
    char csrf[80];        /* the token of the last page that had a form */
    char email[200];      /* who signed in last, to sign in again when the */
    char password[200];   /* session has expired (the tests move the clock) */
    char refused_to[300]; /* web_post(): where a refusal was redirected */
};

void browser_init(struct browser *b, struct harness *h);

/* GET path (absolute URL or path) keeping cookies; remembers the page's
 * CSRF token.  Returns 0 or -1. */
int web_get(struct browser *b, const char *path, struct http_result *out);

/* POST an urlencoded form body; "csrf=<token>&" is put first unless
 * with_csrf is false.  A refusal answered with Post/Redirect/Get (a 303
 * that sets the kept state's cookie "pd_form", web/forms.h) is followed
 * as a browser does: out is the GET's page (the refusal, 422...), and
 * refused_to the address it came from ("" when the POST's answer was
 * not such a redirect). */
int web_post(struct browser *b, const char *path, const char *form, bool with_csrf,
             struct http_result *out);

/* When r answers a POST with a refusal kept for its page (a 303 that sets
 * the cookie "pd_form", web/forms.h), replace it with the GET of its
 * Location carrying that cookie (and cookies, "a=1; b=2", or NULL), as a
 * browser does, and return true; else leave r and return false. */
bool refusal_follow(struct harness *h, struct http_result *r, const char *cookies);

/* Sign in (GET the page for a token, then POST); returns the status of
 * the POST (303 on success). */
long web_sign_in(struct browser *b, const char *email, const char *password);

/* A whole message (as written into an .eml file or received by a relay)
 * with its body decoded to text (quoted-printable: mail/message.h), the
 * headers as they are; malloc'd.  A message that does not parse comes
 * back as it is. */
char *mail_decoded(const char *raw);

/* The newest e-mail whose file name holds kind and whose To holds to,
 * waiting up to 60 s for the delivery thread; malloc'd text (its body
 * decoded: mail_decoded()) or NULL. */
char *mail_wait(struct harness *h, const char *kind, const char *to);

/* Wait (up to 60 s) until at least n e-mails of kind to exist. */
bool mail_wait_count(struct harness *h, const char *kind, const char *to, int n);

/* True when an e-mail of kind to arrives within 60 s. */
bool mail_arrives(struct harness *h, const char *kind, const char *to);

/* How many e-mails of kind to (substring) exist now. */
int mail_count(struct harness *h, const char *kind, const char *to);

/* The first link in the mail that contains part (e.g. "/support/"),
 * made relative to the server ("/en/support/3?r=1&t=..."); malloc'd or
 * NULL. */
char *mail_link(const char *mail, const char *part);

/*
 * Whether r is a form refused as the site promises (issue 20, item 1),
 * in lang ("en" or "fr"): a 4xx whose <title> opens with "Error: " /
 * "Erreur : "; whose <main> opens with the error summary, focused on
 * load (tabindex="-1", autofocus); each of whose links leads to an id on
 * the page, with a message of its own (no two alike, none of the
 * messages that name no field); and, when the link leads to a form
 * control, the same message beside it (id "ID-error"), the control
 * tied to it (aria-invalid, aria-describedby; radio buttons by their
 * fieldset).  Says on stderr what is wrong.
 */
enum { FIELD_LINKS_MAX = 64 };
bool refusal_page_ok(const struct http_result *r, const char *lang);

/*
 * Whether r is the question asked before an act that cannot be undone
 * (issue 20, item 2; web/confirm.h) in lang ("en" or "fr"): a 200 whose
 * <title> and <h1> are question (as the page writes it, escaped), with
 * a warning of what cannot be undone and a form that posts the act with
 * the CSRF token and confirm=yes, its button and a "Cancel" / "Annuler"
 * link beside it.  Says on stderr what is wrong.
 */
bool confirm_page_ok(const struct http_result *r, const char *lang, const char *question);

/* x-www-form-urlencoded value of s (static buffer, one at a time). */
const char *form_enc(const char *s);

#endif
