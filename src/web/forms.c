/*
 * forms.c: form fields for the "fields" partial; see forms.h.
 */
#include "web/forms.h"

#include <stdio.h>
#include <string.h>

#include "core/email.h"
#include "core/province.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "lib/banned.h"

const char *
form_msg(struct request *req, const char *key)
{
    return site_msg(req->app, req->lang, key);
}

const char *
form_value(struct request *req, const char *name)
{
    const char *v = req_form(req, name);
    return v ? v : "";
}

json_t *
form_field(struct request *req, const char *name, const char *label_key, enum field_kind kind,
           bool required, const char *value, const struct field_errors *fe)
{
    static const char *const inputs[] = {
        [FIELD_TEXT] = "text",         [FIELD_EMAIL] = "email",
        [FIELD_PASSWORD] = "password", [FIELD_NEW_PASSWORD] = "password",
        [FIELD_TEL] = "tel",
    };
    json_t *f = json_object();
    json_object_set_new(f, "name", json_string(name));
    json_object_set_new(f, "label", json_string(form_msg(req, label_key)));
    json_object_set_new(f, "required", json_boolean(required));
    if (kind != FIELD_PASSWORD && kind != FIELD_NEW_PASSWORD)
        json_object_set_new(f, "value", json_string(value ? value : ""));
    switch (kind) {
    case FIELD_TEXTAREA:
        json_object_set_new(f, "textarea", json_true());
        break;
    case FIELD_SELECT:
        json_object_set_new(f, "select", json_true());
        json_object_set_new(f, "options", json_array());
        break;
    case FIELD_RADIO:
        json_object_set_new(f, "radio", json_true());
        json_object_set_new(f, "options", json_array());
        break;
    case FIELD_CHECKBOX:
        json_object_set_new(f, "checkbox", json_true());
        json_object_set_new(f, "checked", json_boolean(value && strcmp(value, "1") == 0));
        break;
    default:
        json_object_set_new(f, "input", json_string(inputs[kind]));
        if (kind == FIELD_NEW_PASSWORD)
            form_autocomplete(f, "new-password");
        else if (kind == FIELD_PASSWORD)
            form_autocomplete(f, "current-password");
        else if (kind == FIELD_EMAIL)
            form_autocomplete(f, "email");
        break;
    }
    const char *err = fe ? field_error_for(fe, name) : NULL;
    if (err) {
        json_object_set_new(f, "error", json_string(form_error_text(req, name, err)));
        json_object_set_new(f, "describedby",
                            json_string(arena_printf(req->arena, "f-%s-error", name)));
    }
    return f;
}

void
form_hint(struct request *req, json_t *field, const char *hint_key)
{
    form_hint_text(req, field, form_msg(req, hint_key));
}

void
form_hint_text(struct request *req, json_t *field, const char *text)
{
    bool had = json_object_get(field, "hint") != NULL;
    json_object_set_new(field, "hint", json_string(text));
    if (had)
        return;
    /* The control is described by its error, then its hint (the partial
     * gives the hint the id "f-NAME-hint"). */
    const char *name = json_string_value(json_object_get(field, "name"));
    const char *before = json_string_value(json_object_get(field, "describedby"));
    json_object_set_new(field, "describedby",
                        json_string(arena_printf(req->arena, "%s%sf-%s-hint", before ? before : "",
                                                 before ? " " : "", name)));
}

/* n with its thousands grouped as the language writes them: 40,000 and
 * 40 000 (a no-break space). */
static const char *
grouped(struct request *req, size_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%zu", n);
    const char *sep = req->lang == LANG_FR ? "\xc2\xa0" : ",";
    struct strbuf sb;
    sb_init(&sb, req->arena);
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            sb_adds(&sb, sep);
        sb_addch(&sb, digits[i]);
    }
    return sb.buf;
}

void
form_max_chars(struct request *req, json_t *field, size_t max)
{
    json_object_set_new(field, "maxlength", json_integer((json_int_t)max));
    json_object_set_new(field, "limit",
                        json_string(site_msg_with(req, "form.max_chars", grouped(req, max))));
    const char *name = json_string_value(json_object_get(field, "name"));
    const char *before = json_string_value(json_object_get(field, "describedby"));
    json_object_set_new(field, "describedby",
                        json_string(arena_printf(req->arena, "%s%sf-%s-limit", before ? before : "",
                                                 before ? " " : "", name)));
}

void
form_person_limits(struct request *req, json_t *fields)
{
    static const struct {
        const char *name;
        size_t max;
    } limits[] = {
        {"first_name", PERSON_NAME_MAX},
        {"last_name", PERSON_NAME_MAX},
        {"city", PERSON_NAME_MAX},
        {"country", PERSON_COUNTRY_MAX},
        {"postal_code", PERSON_POSTAL_MAX},
        {"phone", PERSON_PHONE_MAX},
        {"email", EMAIL_MAX},
    };
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        for (size_t k = 0; name && k < sizeof(limits) / sizeof(limits[0]); k++)
            if (strcmp(name, limits[k].name) == 0)
                form_max_chars(req, f, limits[k].max);
    }
}

bool
form_cut(struct request *req, struct field_errors *fe)
{
    const char *field = req_form_cut(req);
    if (!field)
        return false;
    field_error(fe, field, "field.cut");
    return true;
}

int
form_status(struct request *req, const struct field_errors *fe)
{
    if (req->body_cut)
        return 413;
    return fe && fe->count ? 422 : 200;
}

void
form_label_text(json_t *field, const char *label)
{
    json_object_set_new(field, "label", json_string(label));
}

void
form_terms_link(struct request *req, json_t *field, const char *part)
{
    json_object_set_new(
        field, "terms_link",
        json_pack("{s:s,s:s}", "href",
                  arena_printf(req->arena, "/%s/terms#%s", lang_code(req->lang), part), "text",
                  form_msg(req, arena_printf(req->arena, "info.terms.read_%s", part))));
}

void
form_autocomplete(json_t *field, const char *token)
{
    json_object_set_new(field, "autocomplete", json_string(token));
}

void
form_option(json_t *field, const char *value, const char *label)
{
    json_t *o = json_object();
    const char *cur = json_string_value(json_object_get(field, "value"));
    json_object_set_new(o, "value", json_string(value));
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "selected", json_boolean(cur && strcmp(cur, value) == 0));
    json_object_set_new(o, "id", json_string(value));
    /* The first radio button is "f-NAME", where the error summary links. */
    json_object_set_new(o, "first",
                        json_boolean(json_array_size(json_object_get(field, "options")) == 0));
    json_array_append_new(json_object_get(field, "options"), o);
}

/* The message of key with its "{}" filled by arg (site_msg_with()), or
 * NULL when the catalogue lacks key. */
static const char *
msg_if_any(struct request *req, const char *key, const char *arg)
{
    const char *m = form_msg(req, key);
    return strcmp(m, key) == 0 ? NULL : site_msg_with(req, key, arg);
}

/* A field's name as the catalogue files it: "supporter_3_email" is
 * "supporter_N_email" with *number "3" (else ""). */
static const char *
field_base(struct request *req, const char *field, const char **number)
{
    size_t lead = strcspn(field, "0123456789");
    size_t digits = strspn(field + lead, "0123456789");
    *number = "";
    if (digits == 0)
        return field;
    *number = arena_strndup(req->arena, field + lead, digits);
    return arena_printf(req->arena, "%.*sN%s", (int)lead, field, field + lead + digits);
}

const char *
form_field_phrase(struct request *req, const char *field)
{
    const char *number;
    const char *base = field_base(req, field, &number);
    return msg_if_any(req, arena_printf(req->arena, "field_name.%s", base), number);
}

const char *
form_error_text(struct request *req, const char *field, const char *key)
{
    if (!field)
        return form_msg(req, key);
    const char *number;
    const char *base = field_base(req, field, &number);
    const char *own =
        msg_if_any(req, arena_printf(req->arena, "field_message.%s.%s", base, key), number);
    if (own)
        return own;
    const char *phrase = form_field_phrase(req, field);
    const char *named =
        phrase ? msg_if_any(req, arena_printf(req->arena, "named.%s", key), phrase) : NULL;
    return named ? named : form_msg(req, key);
}

json_t *
form_error_summary(struct request *req, const struct field_errors *fe)
{
    json_t *arr = json_array();
    for (int i = 0; fe && i < fe->count; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "field", json_string(fe->items[i].field));
        json_object_set_new(
            o, "message", json_string(form_error_text(req, fe->items[i].field, fe->items[i].key)));
        json_array_append_new(arr, o);
    }
    return arr;
}

void
form_errors(json_t *ctx, struct request *req, const struct field_errors *fe)
{
    json_object_set_new(ctx, "errors", form_error_summary(req, fe));
    if (fe && fe->count > 0) {
        json_object_set_new(ctx, "has_errors", json_true());
        json_object_set_new(ctx, "has_field_errors", json_true());
    }
    if (req->body_cut)
        form_problem(ctx, site_msg_with(req, "form.cut", grouped(req, req->body_limit / 1024)));
}

void
form_problem(json_t *ctx, const char *text)
{
    json_object_set_new(ctx, "problem", json_string(text));
    json_object_set_new(ctx, "has_errors", json_true());
}

void
form_province_options(struct request *req, json_t *field)
{
    form_option(field, "", form_msg(req, "form.choose"));
    for (int r = 0; r < PROVINCE_COUNT; r++)
        form_option(field, region_code((enum region)r), region_name((enum region)r, req->lang));
}

struct person
form_person(struct request *req)
{
    struct person p = {
        .first_name = form_value(req, "first_name"),
        .last_name = form_value(req, "last_name"),
        .email = form_value(req, "email"),
        .city = form_value(req, "city"),
        .country = form_value(req, "country"),
        .province = form_value(req, "province"),
        .postal_code = form_value(req, "postal_code"),
        .phone = form_value(req, "phone"),
        .eligible = strcmp(form_value(req, "eligible"), "1") == 0,
        .terms = strcmp(form_value(req, "terms"), "1") == 0,
    };
    return p;
}
