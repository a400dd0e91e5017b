/*
 * fields.h: what people type into forms, checked by the domain's rules.
 *
 * Checks never stop at the first problem: every field at fault gets its
 * own message key (looked up in data/i18n), shown beside the field.
 * Values are the bytes as received; nothing is changed here.
 */
#ifndef PETITIOND_FIELDS_H
#define PETITIOND_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/province.h"

enum { FIELD_ERRORS_MAX = 48 };

struct field_error {
    const char *field; /* form field name, e.g. "postal_code", "supporter_3_email" */
    const char *key;   /* message key, e.g. "field.postal_code.syntax" */
};

struct field_errors {
    struct field_error items[FIELD_ERRORS_MAX];
    int count;
};

/* Record an error (the first for each field wins; beyond the maximum,
 * errors are counted in the last slot's field "form"). field must outlive
 * fe (a literal, or the caller's memory). */
void field_error(struct field_errors *fe, const char *field, const char *key);

/* The message key for field, or NULL. */
const char *field_error_for(const struct field_errors *fe, const char *field);

/*
 * One line of text a person typed (a name, a city): valid UTF-8, no
 * control characters (a tab included), no leading or trailing space, at most max_chars
 * characters, and not starting with = + - @ (a spreadsheet would run
 * it as a formula).  Empty is an error only when required.  Keys:
 * field.required, field.utf8, field.controls, field.too_long,
 * field.formula.
 */
void check_line(struct field_errors *fe, const char *field, const char *v, size_t max_chars,
                bool required);

/* A block of text (whereas clauses, the prayer, the Clerk's reasons): as
 * check_line but new lines are allowed. */
void check_text(struct field_errors *fe, const char *field, const char *v, size_t max_chars,
                bool required);

/* The fields the House collects from petitioners, supporters and
 * signatories (rulebook 4).  NULL means not on this form. */
struct person {
    const char *first_name;
    const char *last_name;
    const char *email;
    const char *city;       /* petitioners only */
    const char *country;    /* a name; "Canada" (any case) means in Canada */
    const char *province;   /* two-letter code; required in Canada */
    const char *postal_code;
    const char *phone;
    bool eligible;          /* "I am a citizen or resident of Canada" */
    bool terms;             /* accepted the terms of use */
};

/* The longest values person_check() accepts, in characters (a telephone
 * number's are ASCII); forms state them beside their fields. */
enum {
    PERSON_NAME_MAX = 100,   /* a first or last name, a city */
    PERSON_COUNTRY_MAX = 60, /* a country's name */
    PERSON_POSTAL_MAX = 20,  /* a postal code outside Canada */
    PERSON_PHONE_MAX = 25,   /* a telephone number */
};

/* Which fields a form asks for. */
enum {
    PERSON_NAME = 1 << 0,
    PERSON_EMAIL = 1 << 1,
    PERSON_CITY = 1 << 2,
    PERSON_ADDRESS = 1 << 3, /* country, province or territory, postal code */
    PERSON_PHONE = 1 << 4,
    PERSON_DECLARATIONS = 1 << 5,
};

/* Check the fields of p that `which` names.  In Canada the province is
 * required and the postal code must parse and fit it (rulebook 11.6);
 * outside Canada the province must be empty and the postal code is free
 * text.  A telephone number has 7 to 15 digits and only + - ( ) . and
 * spaces besides.  Both declarations must be ticked. */
void person_check(const struct person *p, unsigned which, struct field_errors *fe);

/* True when country names Canada ("Canada", any case, spaces around). */
bool country_is_canada(const char *country);

/* The region of a checked person: their province, or REGION_OUTSIDE. */
enum region person_region(const struct person *p);

#endif
