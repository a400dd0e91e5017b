/*
 * forms.h: building the fields of a form page and reading them back.
 *
 * Every form on the site is rendered by the "fields" partial from a JSON
 * array built here, so each field has a <label for>, its hint, its error
 * message beside it (aria-invalid, aria-describedby) and the value the
 * person typed, escaped by the renderer like everything else.
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
void form_label_text(json_t *field, const char *label);
void form_autocomplete(json_t *field, const char *token);

/* Under a terms box, a link to the part of the terms of use it accepts:
 * part is "signatories", "supporters" or "petitioners" (the anchors of
 * /LANG/terms, web/info_pages.h). */
void form_terms_link(struct request *req, json_t *field, const char *part);

/* Add a choice to a select or radio field; selected when value equals
 * the field's value. */
void form_option(json_t *field, const char *value, const char *label);

/* The errors of fe as [{"field", "message"}], for the summary at the top
 * of a form. */
json_t *form_error_summary(struct request *req, const struct field_errors *fe);

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
