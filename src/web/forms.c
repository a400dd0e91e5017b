/*
 * forms.c: form fields for the "fields" partial; see forms.h.
 */
#include "web/forms.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/email.h"
#include "core/province.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/token.h"
#include "site/site.h"
#include "store/store.h"
#include "web/auth.h"
#include "workflow/accounts.h"
#include "lib/banned.h"

static const char STATE_COOKIE[] = "pd_form";
/* The associated data of every sealed state (the page's path and the
 * expiry are inside it). */
static const char STATE_AD[] = "pd_form 1";
/* Where a refusal is shown: the form's page with this query. */
static const char REFUSED_QUERY[] = "refused=1";

/* req->form_state. */
struct form_state {
    const char *target; /* the form's page, for a POST (form_refusal_to) */
    bool refused;       /* drawn with errors or a problem */
    struct field_errors fe;
    const char *problem; /* its key */
    bool kept;           /* a GET showing a kept refusal */
    bool cut;            /* that refusal was of a cut body */
    long long cut_kib;   /* at that limit */
};

static struct form_state *
state_of(struct request *req)
{
    if (!req->form_state) {
        struct form_state *st = arena_alloc(req->arena, sizeof(*st));
        memset(st, 0, sizeof(*st));
        req->form_state = st;
    }
    return req->form_state;
}

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
    const struct form_state *st = req->form_state;
    if (req->body_cut || (st && st->kept && st->cut))
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

/* ---- refusals kept for the form's GET ------------------------------------------------ */

void
form_errors(json_t *ctx, struct request *req, const struct field_errors *fe)
{
    struct form_state *st = req->form_state;
    json_object_set_new(ctx, "errors", form_error_summary(req, fe));
    if (fe && fe->count > 0) {
        json_object_set_new(ctx, "has_errors", json_true());
        json_object_set_new(ctx, "has_field_errors", json_true());
        if (req->method == HTTP_POST) {
            st = state_of(req);
            st->refused = true;
            st->fe = *fe;
        }
    }
    if (req->body_cut) {
        form_problem(ctx, site_msg_with(req, "form.cut", grouped(req, req->body_limit / 1024)));
        state_of(req)->refused = true;
    } else if (st && st->kept && st->cut) {
        form_problem(ctx, site_msg_with(req, "form.cut", grouped(req, (size_t)st->cut_kib)));
    }
}

void
form_problem_key(json_t *ctx, struct request *req, const char *key)
{
    form_problem(ctx, form_msg(req, key));
    if (req->method == HTTP_POST) {
        struct form_state *st = state_of(req);
        st->refused = true;
        st->problem = key;
    }
}

void
form_refusal_to(struct request *req, const char *path)
{
    state_of(req)->target = arena_strdup(req->arena, path);
}

/* The key that seals kept refusals: derived from the site's link key, so
 * that every node of a site opens what another sealed. */
static void
state_key(struct request *req, unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES])
{
    const struct site *site = req->app;
    _Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == TOKEN_KEY_BYTES, "key size");
    token_mac_bytes(site->link_key, "form-state key 1", key);
}

/* A path that can be a cookie's Path and a Location as it is. */
static bool
path_ok(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 300)
        return false;
    for (; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == ';' || *p == ',' || *p == '?' ||
            *p == '#' || *p == '\\' || *p == '"')
            return false;
    return true;
}

static const char *
state_cookie(struct request *req, const char *path, const char *value, int max_age)
{
    const struct site *site = req->app;
    return arena_printf(req->arena, "%s=%s; Path=%s; Max-Age=%d; HttpOnly; SameSite=Strict%s",
                        STATE_COOKIE, value, path, max_age, site->secure_cookies ? "; Secure" : "");
}

/* Whether a field's value is kept: never the CSRF token nor a password. */
static bool
field_kept(const char *name)
{
    return strcmp(name, "csrf") != 0 && !strstr(name, "password");
}

/* plen bytes at plain sealed, base64url, or NULL when that is over max
 * characters. */
static const char *
seal_text(struct request *req, const char *plain, size_t plen, size_t max)
{
    /* Sealed: nonce, then ciphertext with its tag; base64url is 4/3 of it. */
    size_t clen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plen +
                  crypto_aead_xchacha20poly1305_ietf_ABYTES;
    size_t blen = sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (blen > max)
        return NULL;
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    unsigned char *c = arena_alloc(req->arena, clen);
    unsigned long long got;
    state_key(req, key);
    randombytes_buf(c, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        c + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &got, (const unsigned char *)plain, plen,
        (const unsigned char *)STATE_AD, sizeof(STATE_AD) - 1, NULL, c, key);
    sodium_memzero(key, sizeof(key));
    char *b = arena_alloc(req->arena, blen);
    sodium_bin2base64(b, blen, c, clen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return b;
}

/* A JSON object sealed (seal_text()), or NULL over max characters. */
static const char *
seal_json(struct request *req, json_t *o, size_t max)
{
    char *plain = json_dumps(o, JSON_COMPACT);
    if (!plain)
        return NULL;
    size_t plen = strlen(plain);
    const char *out = seal_text(req, plain, plen, max);
    sodium_memzero(plain, plen);
    free(plain);
    return out;
}

/* The longest state kept in the database for a signed-in account: what
 * the route's body limit lets through, each byte escaped at most once
 * (a quote or backslash), with room for the errors. */
static size_t
state_db_max(const struct request *req)
{
    return (req->body_limit * 2 + 16384) / 3 * 4 + 64;
}

/* The sealed state of this refused POST, base64url, or NULL when it does
 * not fit a cookie; then, for a signed-in account, *big gets it sealed
 * for the database (NULL when over state_db_max()). */
static const char *
state_seal(struct request *req, const struct form_state *st, const char *target, const char **big)
{
    const struct site *site = req->app;
    json_t *o = json_object();
    json_t *fields = json_array();
    for (int i = 0; req_form_ok(req) && i < req->form_count; i++)
        if (field_kept(req->form[i].name))
            json_array_append_new(fields, json_pack("[ss]", req->form[i].name, req->form[i].value));
    json_t *errs = json_array();
    for (int i = 0; i < st->fe.count; i++)
        json_array_append_new(errs, json_pack("[ss]", st->fe.items[i].field, st->fe.items[i].key));
    json_object_set_new(o, "p", json_string(target));
    json_object_set_new(o, "x", json_integer(clock_now(&site->clock) + FORM_STATE_AGE));
    json_object_set_new(o, "s", json_integer(req->resp.status));
    json_object_set_new(o, "f", fields);
    json_object_set_new(o, "e", errs);
    if (st->problem)
        json_object_set_new(o, "k", json_string(st->problem));
    if (req->body_cut)
        json_object_set_new(o, "c", json_integer((json_int_t)(req->body_limit / 1024)));
    char *plain = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    *big = NULL;
    if (!plain)
        return NULL;
    size_t plen = strlen(plain);
    const char *out = seal_text(req, plain, plen, FORM_STATE_MAX);
    /* A cut body (413) writes nothing anywhere: answered to the POST. */
    if (!out && !req->body_cut && auth_user(req))
        *big = seal_text(req, plain, plen, state_db_max(req));
    sodium_memzero(plain, plen);
    free(plain);
    return out;
}

/* A state too long for a cookie kept in the database for the signed-in
 * account (workflow/accounts.h): the cookie's value, sealed, naming the
 * row; NULL when it could not be kept. */
static const char *
state_keep_row(struct request *req, const char *target, const char *big)
{
    struct site *site = req->app;
    const struct user *u = auth_user(req);
    int64_t now = clock_now(&site->clock);
    char id[33];
    struct err e = ERR_INIT;
    token_random_hex(id, 16);
    if (!u || accounts_form_state_keep(&site->flow, id, u->id, target, big, now, &e))
        return NULL; /* the refused page answered to the POST, as for anyone else */
    json_t *o =
        json_pack("{sssIss}", "p", target, "x", (json_int_t)(now + FORM_STATE_AGE), "r", id);
    const char *out = o ? seal_json(req, o, FORM_STATE_MAX) : NULL;
    json_decref(o);
    return out;
}

static json_t *state_open(struct request *req, const char *path_wanted, bool *stale);

/* The form of target was accepted: a state of it kept in the database
 * for this account is done with. */
static void
state_row_drop(struct request *req, const char *target)
{
    struct site *site = req->app;
    const struct user *u = auth_user(req);
    bool stale;
    json_t *o = u ? state_open(req, target, &stale) : NULL;
    const char *id = json_string_value(json_object_get(o, "r"));
    struct err e = ERR_INIT;
    if (id)
        accounts_form_state_drop(&site->flow, id, u->id, &e);
    json_decref(o);
}

bool
form_state_sent(struct request *req)
{
    return req_cookie(req, STATE_COOKIE) != NULL;
}

void
form_refusal_answer(struct request *req)
{
    struct form_state *st = req->form_state;
    /* A page asked for with a kept refusal, whatever it showed, is this
     * browser's alone (and may tell it to forget the cookie). */
    if ((req->method & (HTTP_GET | HTTP_HEAD)) && form_state_sent(req) && req->resp.status)
        resp_header(req, "Cache-Control", "no-store");
    if (req->method != HTTP_POST || !st || !st->target || !path_ok(st->target))
        return;
    int status = req->resp.status;
    const char *target = st->target;
    st->target = NULL; /* answered once */
    if (!st->refused || status < 400 || status > 499) {
        /* Not refused: a state kept from an earlier try is done with. */
        if (status < 400 && req_cookie(req, STATE_COOKIE)) {
            state_row_drop(req, target);
            resp_header(req, "Set-Cookie", state_cookie(req, target, "", 0));
        }
        return;
    }
    const char *big;
    const char *sealed = state_seal(req, st, target, &big);
    if (!sealed && big)
        sealed = state_keep_row(req, target, big);
    if (!sealed)
        return; /* too long for a cookie, and no account's row: the refused page as it is */
    /* The answer becomes the redirect; only the cookies it set stay. */
    struct http_response *resp = &req->resp;
    int kept = 0;
    for (int i = 0; i < resp->header_count; i++)
        if (strcasecmp(resp->headers[i].name, "Set-Cookie") == 0)
            resp->headers[kept++] = resp->headers[i];
    resp->header_count = kept;
    resp_header(req, "Set-Cookie", state_cookie(req, target, sealed, FORM_STATE_AGE));
    resp_header(req, "Cache-Control", "no-store");
    resp_redirect(req, 303, arena_printf(req->arena, "%s?%s", target, REFUSED_QUERY));
}

/* One sealed value (len characters at v, at most max) opened: its JSON,
 * or NULL when it is not one we sealed (or was changed). */
static json_t *
state_value_open(struct request *req, const char *v, size_t vlen, size_t max)
{
    if (!vlen || vlen > max)
        return NULL;
    /* Only the alphabet (libsodium's decoder is lax about other bytes). */
    for (size_t i = 0; i < vlen; i++)
        if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
              (v[i] >= '0' && v[i] <= '9') || v[i] == '-' || v[i] == '_'))
            return NULL;
    unsigned char *c = arena_alloc(req->arena, vlen);
    size_t clen;
    if (sodium_base642bin(c, vlen, v, vlen, NULL, &clen, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
        clen < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                   crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return NULL;
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    char *plain = arena_alloc(req->arena, clen + 1);
    unsigned long long plen;
    state_key(req, key);
    int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
        (unsigned char *)plain, &plen, NULL, c + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
        clen - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)STATE_AD,
        sizeof(STATE_AD) - 1, c, key);
    sodium_memzero(key, sizeof(key));
    if (bad)
        return NULL;
    plain[plen] = '\0';
    json_t *o = json_loads(plain, 0, NULL);
    sodium_memzero(plain, plen);
    return o;
}

/* The kept refusal of page path sent with this request, opened, or NULL;
 * then *stale says whether a pd_form sent should be forgotten (changed,
 * or this page's and expired).  A browser sends one pd_form per Path that
 * matches (the account page's and its draft form's): each is tried.  One
 * kept in the database is its row's reference ({"p", "x", "r": the
 * row's id}: state_row_open()). */
static json_t *
state_open(struct request *req, const char *path_wanted, bool *stale)
{
    const struct site *site = req->app;
    const char *header = req_header(req, "Cookie");
    const char *one = req_cookie(req, STATE_COOKIE);
    size_t name = strlen(STATE_COOKIE);
    *stale = false;
    for (const char *p = header ? header : ""; one;) {
        /* The next "pd_form=" in the header, else the one libmicrohttpd
         * gave, once. */
        const char *v;
        size_t vlen;
        const char *at = NULL;
        for (const char *q = p; (q = strstr(q, STATE_COOKIE)); q += name)
            if ((q == header || q[-1] == ' ' || q[-1] == ';') && q[name] == '=') {
                at = q;
                break;
            }
        if (at) {
            v = at + name + 1;
            vlen = strcspn(v, "; ");
            p = v + vlen;
        } else if (!header) {
            v = one;
            vlen = strlen(one);
            one = NULL;
        } else {
            break;
        }
        json_t *o = state_value_open(req, v, vlen, FORM_STATE_MAX);
        if (!o) {
            *stale = true;
            continue;
        }
        const char *path = json_string_value(json_object_get(o, "p"));
        json_int_t x = json_integer_value(json_object_get(o, "x"));
        if (path && strcmp(path, path_wanted) == 0) {
            if (x > clock_now(&site->clock))
                return o;
            *stale = true;
        }
        json_decref(o);
    }
    return NULL;
}

/* The state a reference o names (state_open()), from its row: only the
 * signed-in account's own, for this page, not expired; NULL otherwise. */
static json_t *
state_row_open(struct request *req, json_t *o)
{
    struct site *site = req->app;
    const struct user *u = auth_user(req);
    const char *id = json_string_value(json_object_get(o, "r"));
    const char *sealed;
    int64_t now = clock_now(&site->clock);
    struct err e = ERR_INIT;
    if (!u || !id ||
        store_form_state_get(site->store, NULL, req->arena, id, u->id, req->path, now, &sealed,
                             &e) ||
        !sealed)
        return NULL;
    json_t *s = state_value_open(req, sealed, strlen(sealed), strlen(sealed));
    const char *path = json_string_value(json_object_get(s, "p"));
    if (!s || !path || strcmp(path, req->path) != 0 ||
        json_integer_value(json_object_get(s, "x")) <= now) {
        json_decref(s);
        return NULL;
    }
    return s;
}

int
form_kept(struct request *req, struct field_errors *fe)
{
    memset(fe, 0, sizeof(*fe));
    /* Only the refusal's own address, the page with "?refused=1": a
     * reload shows it again, a link to the page shows the page. */
    if (!(req->method & (HTTP_GET | HTTP_HEAD)) || !form_state_sent(req) ||
        !req_query(req, "refused"))
        return 0;
    /* Whatever it holds, this answer is this browser's alone. */
    resp_header(req, "Cache-Control", "no-store");
    bool stale;
    json_t *o = state_open(req, req->path, &stale);
    if (o && json_object_get(o, "r")) {
        json_t *kept = state_row_open(req, o);
        json_decref(o);
        o = kept;
        stale = !o; /* another account's, gone or expired: forget it */
    }
    if (!o) {
        /* Tampered, expired or another page's: the page as usual, and
         * the browser told to forget a cookie that will never open. */
        if (stale)
            resp_header(req, "Set-Cookie", state_cookie(req, req->path, "", 0));
        return 0;
    }
    json_int_t status = json_integer_value(json_object_get(o, "s"));
    json_t *fields = json_object_get(o, "f"), *errs = json_object_get(o, "e");
    if (status < 400 || status > 499 || !json_is_array(fields) || json_array_size(fields) > 256 ||
        !json_is_array(errs)) {
        json_decref(o);
        return 0;
    }
    struct form_state *st = state_of(req);
    struct form_field *f = arena_alloc(req->arena, sizeof(*f) * (json_array_size(fields) + 1));
    int n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(fields, i, item)
    {
        const char *name = json_string_value(json_array_get(item, 0));
        const char *value = json_string_value(json_array_get(item, 1));
        if (!name || !value)
            continue;
        f[n].name = arena_strdup(req->arena, name);
        f[n].value = arena_strdup(req->arena, value);
        n++;
    }
    req->form = f;
    req->form_count = n;
    req->form_read = true;
    json_array_foreach(errs, i, item)
    {
        const char *field = json_string_value(json_array_get(item, 0));
        const char *key = json_string_value(json_array_get(item, 1));
        if (field && key)
            field_error(fe, arena_strdup(req->arena, field), arena_strdup(req->arena, key));
    }
    const char *problem = json_string_value(json_object_get(o, "k"));
    st->problem = problem ? arena_strdup(req->arena, problem) : NULL;
    json_t *cut = json_object_get(o, "c");
    st->cut = json_is_integer(cut);
    st->cut_kib = st->cut ? (long long)json_integer_value(cut) : 0;
    st->kept = true;
    json_decref(o);
    return (int)status;
}

bool
form_posted(struct request *req)
{
    const struct form_state *st = req->form_state;
    return req->method == HTTP_POST || (st && st->kept);
}

const char *
form_kept_problem(struct request *req)
{
    const struct form_state *st = req->form_state;
    return st && st->kept ? st->problem : NULL;
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
