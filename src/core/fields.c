/*
 * fields.c: form field checks; see fields.h.
 */
#include "core/fields.h"

#include <string.h>

#include "core/email.h"
#include "core/postal.h"
#include "lib/utf8.h"
#include "lib/banned.h"

void
field_error(struct field_errors *fe, const char *field, const char *key)
{
    if (field_error_for(fe, field))
        return;
    if (fe->count == FIELD_ERRORS_MAX)
        return;
    fe->items[fe->count].field = field;
    fe->items[fe->count].key = key;
    fe->count++;
}

const char *
field_error_for(const struct field_errors *fe, const char *field)
{
    for (int i = 0; i < fe->count; i++)
        if (strcmp(fe->items[i].field, field) == 0)
            return fe->items[i].key;
    return NULL;
}

static void
check_any(struct field_errors *fe, const char *field, const char *v, size_t max_chars,
          bool required, bool multiline)
{
    size_t len = v ? strlen(v) : 0;
    if (len == 0) {
        if (required)
            field_error(fe, field, "field.required");
        return;
    }
    if (!utf8_valid(v, len)) {
        field_error(fe, field, "field.utf8");
        return;
    }
    /* A tab may indent a block of text, never sit inside a name or a code. */
    if (utf8_has_controls(v, len, multiline) || (!multiline && memchr(v, '\t', len))) {
        field_error(fe, field, "field.controls");
        return;
    }
    if (utf8_length(v, len) > max_chars) {
        field_error(fe, field, "field.too_long");
        return;
    }
    if (!multiline && (v[0] == ' ' || v[len - 1] == ' ')) {
        field_error(fe, field, "field.spaces");
        return;
    }
    if (strchr("=+-@", v[0]))
        field_error(fe, field, "field.formula");
}

void
check_line(struct field_errors *fe, const char *field, const char *v, size_t max_chars,
           bool required)
{
    check_any(fe, field, v, max_chars, required, false);
}

void
check_text(struct field_errors *fe, const char *field, const char *v, size_t max_chars,
           bool required)
{
    check_any(fe, field, v, max_chars, required, true);
}

bool
country_is_canada(const char *country)
{
    if (!country)
        return false;
    while (*country == ' ')
        country++;
    size_t n = strlen(country);
    while (n && country[n - 1] == ' ')
        n--;
    static const char canada[] = "canada";
    if (n != 6)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = country[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != canada[i])
            return false;
    }
    return true;
}

static void
check_phone(struct field_errors *fe, const char *v)
{
    int digits = 0;
    if (!v || !*v) {
        field_error(fe, "phone", "field.required");
        return;
    }
    for (const char *p = v; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-().", *p)) {
            field_error(fe, "phone", "field.phone");
            return;
        }
    }
    if (digits < 7 || digits > 15 || strlen(v) > PERSON_PHONE_MAX || v[0] == '-' || v[0] == '=')
        field_error(fe, "phone", "field.phone");
}

void
person_check(const struct person *p, unsigned which, struct field_errors *fe)
{
    if (which & PERSON_NAME) {
        check_line(fe, "first_name", p->first_name, PERSON_NAME_MAX, true);
        check_line(fe, "last_name", p->last_name, PERSON_NAME_MAX, true);
    }
    if (which & PERSON_EMAIL) {
        size_t n = p->email ? strlen(p->email) : 0;
        if (n == 0)
            field_error(fe, "email", "field.required");
        else if (!email_valid(p->email, n))
            field_error(fe, "email", "field.email");
    }
    if (which & PERSON_CITY)
        check_line(fe, "city", p->city, PERSON_NAME_MAX, true);
    if (which & PERSON_ADDRESS) {
        check_line(fe, "country", p->country, PERSON_COUNTRY_MAX, true);
        bool canada = country_is_canada(p->country);
        size_t plen = p->province ? strlen(p->province) : 0;
        enum region r = REGION_OUTSIDE;
        if (canada) {
            if (plen == 0)
                field_error(fe, "province", "field.required");
            else if (region_from_code(p->province, plen, &r) || r == REGION_OUTSIDE)
                field_error(fe, "province", "field.province");
            size_t clen = p->postal_code ? strlen(p->postal_code) : 0;
            char code[8];
            if (clen == 0)
                field_error(fe, "postal_code", "field.required");
            else if (postal_code_parse(p->postal_code, clen, code, NULL))
                field_error(fe, "postal_code", "field.postal_code.syntax");
            else if (r != REGION_OUTSIDE && postal_code_check_region(code, r, NULL))
                field_error(fe, "postal_code", "field.postal_code.province");
        } else {
            if (plen)
                field_error(fe, "province", "field.province_outside");
            check_line(fe, "postal_code", p->postal_code, PERSON_POSTAL_MAX, false);
        }
    }
    if (which & PERSON_PHONE)
        check_phone(fe, p->phone);
    if (which & PERSON_DECLARATIONS) {
        if (!p->eligible)
            field_error(fe, "eligible", "field.eligible");
        if (!p->terms)
            field_error(fe, "terms", "field.terms");
    }
}

enum region
person_region(const struct person *p)
{
    enum region r = REGION_OUTSIDE;
    if (country_is_canada(p->country) && p->province)
        region_from_code(p->province, strlen(p->province), &r);
    return r;
}
