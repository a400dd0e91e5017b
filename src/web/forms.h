/*
 * forms.h: building the fields of a form page and reading them back.
 *
 * Every form on the site is rendered by the "fields" partial from a JSON
 * array built here, so each field has a <label for>, its hint, its error
 * message beside it (aria-invalid, aria-describedby) and the value the
 * person typed, escaped by the renderer like everything else.
 *
 * After a refusal, form_errors() puts the errors into the page's context
 * as "errors" and "has_errors"; templates/header.html then draws the
 * error summary (templates/error_summary.html) as the first thing in
 * <main>, focused when the page loads (autofocus, no script needed), each
 * error a link to its field (#f-NAME), and prefixes the page's <title>
 * with "Error: " / "Erreur : ".  A page needs nothing else: every page
 * that has the header has the summary.
 *
 * Each error names its field, in the summary and beside the field alike
 * (form_error_text()): a message that could fit any field has a "named"
 * form in the catalogue, "named.KEY" with a "{}" hole ("Enter {}."), and
 * the hole takes the field's phrase, "field_name.NAME" ("your postal
 * code"; a field numbered like supporter_3_email uses
 * "field_name.supporter_N_email" with the number in its own "{}").  A
 * field that needs a named message but has no phrase shows the plain
 * message: add the phrase (both languages) with the field.
 */
#ifndef PETITIOND_FORMS_H
#define PETITIOND_FORMS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/fields.h"

struct request;

enum field_kind {
    FIELD_TEXT,
    FIELD_EMAIL,
    FIELD_PASSWORD,
    FIELD_NEW_PASSWORD,
    FIELD_TEL,
    FIELD_TEXTAREA,
    FIELD_SELECT,
    FIELD_CHECKBOX,
    FIELD_RADIO,
};

/* One field: name, the catalogue key of its label, kind, whether it is
 * required, its current value (NULL = empty; "1" ticks a checkbox) and
 * its error from fe (may be NULL). */
json_t *form_field(struct request *req, const char *name, const char *label_key,
                   enum field_kind kind, bool required, const char *value,
                   const struct field_errors *fe);

/* Add a hint (catalogue key) or a literal label to a field. */
void form_hint(struct request *req, json_t *field, const char *hint_key);
/* The same with the hint's text itself (e.g. the original of a text to
 * translate).  Either way the control's aria-describedby names the hint
 * (after the error, when there is one). */
void form_hint_text(struct request *req, json_t *field, const char *text);
void form_label_text(json_t *field, const char *label);

/* The server's limit of a field, max characters (the same constant its
 * check uses): stated beside the field ("At most 40,000 characters.", a
 * hint the control's aria-describedby names) and enforced by the browser
 * (maxlength, which counts UTF-16 units: never more than the server's
 * count of characters). */
void form_max_chars(struct request *req, json_t *field, size_t max);

/* form_max_chars() on each field of fields (a JSON array) that is one of
 * a person's (form_person()), with person_check()'s limits. */
void form_person_limits(struct request *req, json_t *fields);

/*
 * A form whose body was over the server's limit and cut (http/request.h,
 * req_form_cut(); the route has ROUTE_FORM_CUT): true, with an error for
 * the field the body ended in added to fe; the page then shows the form
 * with what arrived, and form_errors() adds the summary's sentence giving
 * the limit and saying nothing was saved.  The handler must act on
 * nothing and answer 413 (form_status()).  False for any other request.
 */
bool form_cut(struct request *req, struct field_errors *fe);

/* The status of a form page drawn after a POST: 200 without errors, 413
 * for a cut body, else 422. */
int form_status(struct request *req, const struct field_errors *fe);
void form_autocomplete(json_t *field, const char *token);

/* Under a terms box, a link to the part of the terms of use it accepts:
 * part is "signatories", "supporters" or "petitioners" (the anchors of
 * /LANG/terms, web/info_pages.h). */
void form_terms_link(struct request *req, json_t *field, const char *part);

/* Add a choice to a select or radio field; selected when value equals
 * the field's value. */
void form_option(json_t *field, const char *value, const char *label);

/* The errors of fe as [{"field", "message"}], for the summary at the top
 * of a form (messages as form_error_text() writes them). */
json_t *form_error_summary(struct request *req, const struct field_errors *fe);

/* Set "errors" (form_error_summary()) in a page's context ctx, and
 * "has_errors" when fe holds any: the error summary, the title's prefix.
 * fe may be NULL (no errors). */
void form_errors(json_t *ctx, struct request *req, const struct field_errors *fe);

/* A refusal that belongs to no field (text in the page's language, e.g.
 * "The e-mail address or password is wrong."): shown in the error
 * summary, with the title's prefix, like field errors. */
void form_problem(json_t *ctx, const char *text);

/* The same from a catalogue key, which a refusal kept for the page's GET
 * (form_refusal_to()) carries to be written in that page's language. */
void form_problem_key(json_t *ctx, struct request *req, const char *key);

/*
 * Post/Redirect/Get for refused forms, so that Back after a corrected
 * form never asks to send a form again (issue 20, item 5).
 *
 * A handler of a form's POST names, before it may refuse, the page that
 * shows the form (path with the language, e.g. "/en/register"; the form's
 * own path or another, as "/en/petitions/e-2829" for its sign form).
 * When the POST is then answered with a refusal drawn through
 * form_errors() or form_problem_key() (any 4xx), form_refusal_answer()
 * turns that answer into a 303 to path + "?refused=1" (the refusal's own
 * address: a reload shows it again, while a link to the plain page shows
 * the page as usual) and gives the browser what was
 * typed (every field but the CSRF token and passwords), the errors'
 * field names and message keys (never their text), the problem's key and
 * the refusal's status, sealed (XChaCha20-Poly1305 under a key derived
 * from the site's link key, so every node can open it) in the cookie
 * "pd_form": HttpOnly, SameSite=Strict, Secure over HTTPS, Path=path,
 * Max-Age=600, with path and the expiry inside the sealed data.  Nothing
 * is held on the server, but for a state that does not fit a cookie
 * (over FORM_STATE_MAX characters once sealed: long texts) sent by a
 * signed-in account: that state, sealed the same way and at most what
 * the route's body limit lets through (a quote or backslash escaped
 * once), is kept in the database for that account and path for
 * FORM_STATE_AGE seconds (workflow/accounts.h,
 * accounts_form_state_keep(): the newest 3 of an account), and the
 * cookie carries only its row's id, sealed with path and expiry.
 * Anyone else's state that does not fit is answered as before, the
 * refused page to the POST itself.  A POST to a form that
 * names path and is not refused removes the cookie (and the row it
 * names).
 */
enum { FORM_STATE_AGE = 600, FORM_STATE_MAX = 3800 };
void form_refusal_to(struct request *req, const char *path);

/*
 * On the GET of a form's page with "?refused=1": when the request
 * carries a kept refusal of this very path (req->path), not expired and
 * intact, its fields
 * become the request's form fields (form_value() reads them), its errors
 * go into fe, and the refusal's status is returned: the handler draws the
 * page as it drew the refusal, with that status (never cached:
 * Cache-Control no-store).  Else 0 and fe is left empty: the page as
 * usual (a tampered, expired or foreign state shows nothing of itself;
 * one sealed for another page is not opened; a row in the database only
 * for its own signed-in account and path, before its expiry).
 */
int form_kept(struct request *req, struct field_errors *fe);

/* Whether the form's fields are what someone typed: a POST, or a GET
 * showing a kept refusal (form_kept()).  Pages that fill blank fields
 * with defaults do so only when this is false. */
bool form_posted(struct request *req);

/* The kept refusal's problem key (form_problem_key()), or NULL; after
 * form_kept(). */
const char *form_kept_problem(struct request *req);

/* Whether the request carries a kept refusal at all (the cookie): such a
 * GET is not answered from the page cache, and its answer (whichever
 * page it is) says Cache-Control: no-store.  For cmd/routes.c. */
bool form_state_sent(struct request *req);

/* After the handler: the refusal redirected with its state, or the state
 * removed after a form that was not refused (see form_refusal_to()).
 * For cmd/routes.c, on every answer. */
void form_refusal_answer(struct request *req);

/* The message of key for field, in the request's language, naming the
 * field: the field's own message for key when the catalogue has one
 * ("field_message.NAME.KEY": "Choose your province or territory."), else
 * "named.KEY" with "{}" filled by form_field_phrase(field) when both
 * exist, else the plain message of key.  From req->arena. */
const char *form_error_text(struct request *req, const char *field, const char *key);

/* How messages name a field ("your postal code", "the e-mail address of
 * supporter 3"), or NULL when the catalogue has no phrase for it. */
const char *form_field_phrase(struct request *req, const char *field);

/* A submitted field, or "" when absent. */
const char *form_value(struct request *req, const char *name);

/* The House's fields of a person as submitted (first_name, last_name,
 * email, city, country, province, postal_code, phone; eligible and terms
 * ticked when "1"); absent fields are "". */
struct person form_person(struct request *req);

/* The message of a catalogue key in the request's language. */
const char *form_msg(struct request *req, const char *key);

/* Options for a province or territory select (codes, names in the
 * page's language, with an empty first choice). */
void form_province_options(struct request *req, json_t *field);

#endif
