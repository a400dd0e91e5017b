/*
 * form.c: decoding form bodies and reading cookies; see request.h.
 */
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/escape.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

enum { FORM_MAX_FIELDS = 256 };

const char *
req_cookie(struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

/* The length of s[0..len) without a character cut at its end: a UTF-8
 * sequence that lacks bytes. */
static size_t
whole_chars(const char *s, size_t len)
{
    size_t i = len, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return len;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need > back + 1 ? i - 1 : len;
}

static const char *
decode(struct request *req, const char *s, size_t len, bool cut, bool *ok)
{
    struct strbuf out;
    sb_init(&out, req->arena);
    if (cut) {
        /* The body's last field, cut at the limit: drop a %-escape cut
         * short, and a character cut short once decoded. */
        if (len >= 1 && s[len - 1] == '%')
            len -= 1;
        else if (len >= 2 && s[len - 2] == '%')
            len -= 2;
    }
    if (url_decode(&out, s, len) || sb_failed(&out))
        goto bad;
    if (cut)
        sb_setlen(&out, whole_chars(out.buf, out.len));
    if (!utf8_valid(out.buf, out.len) || memchr(out.buf, '\0', out.len))
        goto bad;
    /* Text areas send CR LF: keep LF only; refuse other controls. */
    size_t w = 0;
    for (size_t i = 0; i < out.len; i++)
        if (out.buf[i] != '\r')
            out.buf[w++] = out.buf[i];
    sb_setlen(&out, w);
    if (utf8_has_controls(out.buf, out.len, true))
        *ok = false;
    return out.buf;
bad:
    *ok = false;
    return "";
}

static void
form_parse(struct request *req)
{
    const char *type = req_header(req, "Content-Type");
    req->form_read = true;
    req->form_count = -1;
    if (req->method != HTTP_POST || !type ||
        strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
        return;
    struct form_field *f = arena_alloc(req->arena, sizeof(*f) * FORM_MAX_FIELDS);
    int n = 0;
    bool ok = true;
    const char *p = req->body.buf, *end = req->body.buf + req->body.len;
    while (p < end && ok) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (stop > p) {
            if (n == FORM_MAX_FIELDS) {
                ok = false;
                break;
            }
            const char *kend = eq ? eq : stop;
            /* A cut body's last field: kept when its name is whole. */
            bool cut = req->body_cut && !amp;
            if (cut && !eq)
                break;
            f[n].name = decode(req, p, (size_t)(kend - p), false, &ok);
            f[n].value = eq ? decode(req, eq + 1, (size_t)(stop - eq - 1), cut, &ok) : "";
            if (cut && ok)
                req->form_cut = f[n].name;
            n++;
        }
        p = amp ? amp + 1 : end;
    }
    if (ok) {
        req->form = f;
        req->form_count = n;
    }
}

bool
req_form_ok(struct request *req)
{
    if (!req->form_read)
        form_parse(req);
    return req->form_count >= 0;
}

const char *
req_form_cut(struct request *req)
{
    if (!req->body_cut || !req_form_ok(req))
        return NULL;
    return req->form_cut;
}

const char *
req_form(struct request *req, const char *name)
{
    if (!req_form_ok(req))
        return NULL;
    for (int i = 0; i < req->form_count; i++)
        if (strcmp(req->form[i].name, name) == 0)
            return req->form[i].value;
    return NULL;
}
