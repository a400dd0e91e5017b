/*
 * web.c: the integration tests' browser; see web.h.
 */
#define _GNU_SOURCE
#include "web.h"

#include <curl/curl.h>
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/clock.h"
#include "lib/strbuf.h"
#include "mail/message.h"
#include "lib/banned.h"

void
browser_init(struct browser *b, struct harness *h)
{
    memset(b, 0, sizeof(*b));
    b->h = h;
}

static void
jar_set(struct browser *b, const char *name, size_t nlen, const char *value, size_t vlen, bool del)
{
    char out[sizeof(b->cookies)] = "";
    size_t used = 0;
    const char *p = b->cookies;
    while (*p) {
        const char *end = strstr(p, "; ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!(len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '='))
            used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%.*s", used ? "; " : "",
                                     (int)len, p);
        p = end ? end + 2 : p + len;
    }
    if (!del)
        snprintf(out + used, sizeof(out) - used, "%s%.*s=%.*s", used ? "; " : "", (int)nlen, name,
                 (int)vlen, value);
    snprintf(b->cookies, sizeof(b->cookies), "%s", out);
}

static void
take_cookies(struct browser *b, const struct http_result *r)
{
    const char *p = r->headers;
    while (p && (p = strcasestr(p, "\nSet-Cookie: "))) {
        p += 13;
        const char *eq = strchr(p, '='), *semi = strpbrk(p, ";\r\n");
        if (!eq || !semi || eq > semi)
            continue;
        const char *line_end = strpbrk(p, "\r\n");
        bool del = false;
        const char *ma = strstr(p, "Max-Age=0");
        if (ma && (!line_end || ma < line_end))
            del = true;
        jar_set(b, p, (size_t)(eq - p), eq + 1, (size_t)(semi - eq - 1), del);
    }
}

static void
take_csrf(struct browser *b, const struct http_result *r)
{
    const char *p = r->body ? strstr(r->body, "name=\"csrf\" value=\"") : NULL;
    if (!p)
        return;
    p += strlen("name=\"csrf\" value=\"");
    const char *end = strchr(p, '"');
    if (end && (size_t)(end - p) < sizeof(b->csrf))
        snprintf(b->csrf, sizeof(b->csrf), "%.*s", (int)(end - p), p);
}

static const char *
rel(struct browser *b, const char *path)
{
    size_t n = strlen(b->h->base);
    return strncmp(path, b->h->base, n) == 0 ? path + n : path;
}

int
web_get(struct browser *b, const char *path, struct http_result *out)
{
    char cookie[sizeof(b->cookies) + 16];
    snprintf(cookie, sizeof(cookie), "Cookie: %s", b->cookies);
    const char *headers[] = {cookie, NULL};
    if (http_request(b->h, "GET", rel(b, path), NULL, 0, b->cookies[0] ? headers : NULL, out))
        return -1;
    take_cookies(b, out);
    take_csrf(b, out);
    return 0;
}

int
web_post(struct browser *b, const char *path, const char *form, bool with_csrf,
         struct http_result *out)
{
    char cookie[sizeof(b->cookies) + 16];
    size_t n = strlen(form) + 200;
    char *body = malloc(n);
    snprintf(cookie, sizeof(cookie), "Cookie: %s", b->cookies);
    if (with_csrf)
        snprintf(body, n, "csrf=%s&%s", b->csrf, form);
    else
        snprintf(body, n, "%s", form);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             b->cookies[0] ? cookie : NULL, NULL};
    int r = http_request(b->h, "POST", rel(b, path), body, strlen(body), headers, out);
    free(body);
    b->refused_to[0] = '\0';
    if (!r) {
        take_cookies(b, out);
        take_csrf(b, out);
        /* A refusal kept for its page: follow the 303 to it. */
        const char *to = http_header(out, "Location");
        if (out->status == 303 && to && strstr(out->headers, "\nSet-Cookie: pd_form=") &&
            !strstr(out->headers, "\nSet-Cookie: pd_form=;") &&
            strlen(to) < sizeof(b->refused_to)) {
            snprintf(b->refused_to, sizeof(b->refused_to), "%s", to);
            http_result_free(out);
            r = web_get(b, b->refused_to, out);
        }
    }
    return r;
}

bool
refusal_follow(struct harness *h, struct http_result *r, const char *cookies)
{
    const char *to = http_header(r, "Location");
    const char *c = r->headers ? strstr(r->headers, "\nSet-Cookie: pd_form=") : NULL;
    if (r->status != 303 || !to || !c || c[strlen("\nSet-Cookie: pd_form=")] == ';')
        return false;
    c += strlen("\nSet-Cookie: ");
    size_t n = strcspn(c, ";\r\n");
    size_t plen = strlen(to) + 1;
    size_t clen = n + (cookies ? strlen(cookies) : 0) + 16;
    char *cookie = malloc(clen), *path = malloc(plen);
    if (!cookie || !path) {
        free(cookie);
        free(path);
        return false;
    }
    snprintf(cookie, clen, "Cookie: %.*s%s%s", (int)n, c, cookies && *cookies ? "; " : "",
             cookies ? cookies : "");
    snprintf(path, plen, "%s", to);
    const char *headers[] = {cookie, NULL};
    http_result_free(r);
    int rc = http_request(h, "GET", path, NULL, 0, headers, r);
    free(cookie);
    free(path);
    return rc == 0;
}

long
web_sign_in(struct browser *b, const char *email, const char *password)
{
    struct http_result r;
    char form[600], e[200], p[200];
    snprintf(e, sizeof(e), "%s", email);
    snprintf(p, sizeof(p), "%s", password);
    snprintf(b->email, sizeof(b->email), "%s", e);
    snprintf(b->password, sizeof(b->password), "%s", p);
    email = e;
    password = p;
    if (web_get(b, "/en/sign-in", &r))
        return -1;
    http_result_free(&r);
    snprintf(form, sizeof(form), "email=%s", form_enc(email));
    size_t n = strlen(form);
    snprintf(form + n, sizeof(form) - n, "&password=%s", form_enc(password));
    if (web_post(b, "/en/sign-in", form, true, &r))
        return -1;
    long status = r.status;
    http_result_free(&r);
    return status;
}

const char *
form_enc(const char *s)
{
    static char out[8192];
    CURL *c = curl_easy_init();
    char *e = curl_easy_escape(c, s, 0);
    snprintf(out, sizeof(out), "%s", e ? e : "");
    curl_free(e);
    curl_easy_cleanup(c);
    return out;
}

static char *
read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

char *
mail_decoded(const char *raw)
{
    struct strbuf sb;
    const char *end = strstr(raw, "\r\n\r\n");
    sb_init(&sb, NULL);
    if (end) {
        sb_add(&sb, raw, (size_t)(end - raw) + 4);
        if (mail_body_text(raw, strlen(raw), &sb) == 0)
            return sb_detach(&sb, NULL);
    }
    sb_release(&sb);
    return strdup(raw);
}

/* The newest matching mail now, or NULL. */
static char *
mail_find(struct harness *h, const char *kind, const char *to, int *count)
{
    DIR *d = opendir(h->mail);
    struct dirent *de;
    char best[256] = "";
    char *found = NULL;
    *count = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".eml") || !strstr(de->d_name, kind))
            continue;
        char path[600];
        snprintf(path, sizeof(path), "%s/%s", h->mail, de->d_name);
        char *m = read_all(path);
        if (!m)
            continue;
        char *toline = strstr(m, "\r\nTo: ");
        char *eol = toline ? strstr(toline + 2, "\r\n") : NULL;
        bool match = toline && eol &&
                     (!to || (memmem(toline, (size_t)(eol - toline), to, strlen(to)) != NULL));
        if (match) {
            (*count)++;
            if (strcmp(de->d_name, best) > 0) {
                snprintf(best, sizeof(best), "%s", de->d_name);
                free(found);
                found = mail_decoded(m);
                free(m);
                continue;
            }
        }
        free(m);
    }
    closedir(d);
    return found;
}

/* How long a wait for mail lasts: a bound, not a timing assertion; a
 * busy machine (both halves of make test at once on two cores, a
 * mailing to hundreds) may take a while to deliver. */
enum { MAIL_WAIT_US = 60 * 1000 * 1000 };

char *
mail_wait(struct harness *h, const char *kind, const char *to)
{
    for (int64_t end = clock_mono_us() + MAIL_WAIT_US; clock_mono_us() < end;) {
        int n;
        char *m = mail_find(h, kind, to, &n);
        if (m)
            return m;
        poll(NULL, 0, 50);
    }
    return NULL;
}

int
mail_count(struct harness *h, const char *kind, const char *to)
{
    int n;
    free(mail_find(h, kind, to, &n));
    return n;
}

char *
mail_link(const char *mail, const char *part)
{
    const char *p = mail;
    while ((p = strstr(p, "http://127.0.0.1:"))) {
        const char *end = p;
        while (*end && *end != '\r' && *end != '\n' && *end != ' ')
            end++;
        char *url = strndup(p, (size_t)(end - p));
        if (strstr(url, part)) {
            char *path = strchr(url + 7, '/');
            char *r = strdup(path ? path : "/");
            free(url);
            return r;
        }
        free(url);
        p = end;
    }
    return NULL;
}

bool
mail_wait_count(struct harness *h, const char *kind, const char *to, int n)
{
    for (int64_t end = clock_mono_us() + MAIL_WAIT_US; clock_mono_us() < end;) {
        if (mail_count(h, kind, to) >= n)
            return true;
        poll(NULL, 0, 50);
    }
    return mail_count(h, kind, to) >= n;
}

bool
mail_arrives(struct harness *h, const char *kind, const char *to)
{
    char *m = mail_wait(h, kind, to);
    free(m);
    return m != NULL;
}

/* ---- a refused form's page ------------------------------------------------------ */

static bool
refusal_fail(const char *why, const char *detail)
{
    fprintf(stderr, "refused form's page: %s%s%s\n", why, detail ? ": " : "", detail ? detail : "");
    return false;
}

/* The start tag of the element whose id is id (from "<" to ">"), or NULL. */
static const char *
element_with_id(const char *body, const char *id, size_t *len)
{
    char needle[240];
    snprintf(needle, sizeof(needle), " id=\"%s\"", id);
    const char *at = strstr(body, needle);
    if (!at)
        return NULL;
    const char *start = at;
    while (start > body && *start != '<')
        start--;
    const char *end = strchr(at, '>');
    *len = end ? (size_t)(end - start + 1) : strlen(start);
    return start;
}

static bool
tag_has(const char *tag, size_t len, const char *what)
{
    return memmem(tag, len, what, strlen(what)) != NULL;
}

bool
refusal_page_ok(const struct http_result *r, const char *lang)
{
    bool fr = strcmp(lang, "fr") == 0;
    const char *prefix = fr ? "<title>Erreur : " : "<title>Error: ";
    char detail[600];

    if (r->status < 400 || r->status > 499) {
        snprintf(detail, sizeof(detail), "%ld", r->status);
        return refusal_fail("the status is not 4xx", detail);
    }
    if (!strstr(r->body, prefix))
        return refusal_fail("the title lacks its prefix", prefix);
    const char *main = strstr(r->body, "<main id=\"main\"");
    if (!main)
        return refusal_fail("no <main>", NULL);
    main = strchr(main, '>') + 1;
    main += strspn(main, " \n");
    static const char summary_tag[] = "<div class=\"error-summary\" id=\"error-summary\"";
    if (strncmp(main, summary_tag, sizeof(summary_tag) - 1) != 0) {
        snprintf(detail, sizeof(detail), "%.200s", main);
        return refusal_fail("<main> does not open with the error summary", detail);
    }
    const char *tag_end = strchr(main, '>');
    size_t tag_len = (size_t)(tag_end - main);
    if (!tag_has(main, tag_len, " tabindex=\"-1\"") || !tag_has(main, tag_len, " autofocus"))
        return refusal_fail("the summary is not focused on load", NULL);
    const char *end = strstr(main, "</div>");
    if (!end)
        return refusal_fail("the summary does not end", NULL);

    /* Each link: a target on the page, a message of its own that names
     * the field, and the same message beside the field. */
    char seen[FIELD_LINKS_MAX][300];
    int n = 0;
    for (const char *a = strstr(main, "<a href=\"#"); a && a < end;
         a = strstr(a + 1, "<a href=\"#")) {
        const char *id = a + 10;
        size_t id_len = strcspn(id, "\"");
        const char *text = strchr(id, '>') + 1;
        size_t text_len = (size_t)(strstr(text, "</a>") - text);
        char idz[200], msg[300];
        snprintf(idz, sizeof(idz), "%.*s", (int)id_len, id);
        snprintf(msg, sizeof(msg), "%.*s", (int)text_len, text);
        size_t len;
        const char *target = element_with_id(end, idz, &len);
        if (!target)
            return refusal_fail("a link's target is not on the page", idz);
        if (strcmp(msg, "Fill in this field.") == 0 || strcmp(msg, "Remplissez ce champ.") == 0 ||
            strcmp(msg, "(required)") == 0 || strcmp(msg, "(obligatoire)") == 0 ||
            strcmp(msg, "This text is too long.") == 0 ||
            strcmp(msg, "Ce texte est trop long.") == 0)
            return refusal_fail("a message does not name its field", msg);
        for (int i = 0; i < n; i++)
            if (strcmp(seen[i], msg) == 0)
                return refusal_fail("two errors say the same", msg);
        if (n < FIELD_LINKS_MAX)
            snprintf(seen[n++], sizeof(seen[0]), "%s", msg);
        bool control = strncmp(target, "<input", 6) == 0 || strncmp(target, "<textarea", 9) == 0 ||
                       strncmp(target, "<select", 7) == 0;
        if (!control)
            continue;
        char beside[600];
        snprintf(beside, sizeof(beside), " id=\"%s-error\">%s</p>", idz, msg);
        if (!strstr(end, beside))
            return refusal_fail("the field does not show the same message", beside);
        if (tag_has(target, len, "type=\"radio\""))
            continue;
        char described[240];
        /* Its error first, then its hint when it has one. */
        snprintf(described, sizeof(described), "aria-describedby=\"%s-error", idz);
        if (!tag_has(target, len, "aria-invalid=\"true\"") || !tag_has(target, len, described))
            return refusal_fail("the field is not tied to its message", idz);
    }
    if (n == 0 && !strstr(main, "<p>"))
        return refusal_fail("the summary says nothing", NULL);
    return true;
}

/* ---- the question before an act that cannot be undone ------------------------------ */

static bool
confirm_fail(const char *why, const char *detail)
{
    fprintf(stderr, "confirmation page: %s%s%s\n", why, detail ? ": " : "", detail ? detail : "");
    return false;
}

bool
confirm_page_ok(const struct http_result *r, const char *lang, const char *question)
{
    bool fr = strcmp(lang, "fr") == 0;
    char want[600], detail[600];

    if (r->status != 200) {
        snprintf(detail, sizeof(detail), "%ld", r->status);
        return confirm_fail("the status is not 200", detail);
    }
    snprintf(want, sizeof(want), "<title>%s – ", question);
    if (!strstr(r->body, want))
        return confirm_fail("the title is not the question", want);
    snprintf(want, sizeof(want), "<h1>%s</h1>", question);
    if (!strstr(r->body, want))
        return confirm_fail("the heading is not the question", want);
    /* The form that holds confirm=yes: the last to open before it. */
    const char *confirm = strstr(r->body, "<input type=\"hidden\" name=\"confirm\" value=\"yes\">");
    const char *form = NULL;
    for (const char *f = strstr(r->body, "<form "); f && confirm && f < confirm;
         f = strstr(f + 1, "<form "))
        form = f;
    if (!form || strncmp(form, "<form method=\"post\"", 19) != 0)
        return confirm_fail("no form posts confirm=yes", NULL);
    const char *end = strstr(form, "</form>");
    const char *csrf = strstr(form, "<input type=\"hidden\" name=\"csrf\" value=\"");
    const char *button = strstr(form, "<button type=\"submit\" class=\"button");
    if (!end || confirm > end || !csrf || csrf > end || !button || button > end)
        return confirm_fail("the form lacks its token, confirm=yes or its button", NULL);
    snprintf(want, sizeof(want), "\">%s</a>", fr ? "Annuler" : "Cancel");
    const char *cancel = strstr(form, want);
    if (!cancel || cancel > end)
        return confirm_fail("no cancel link beside the button", want);
    if (!strstr(r->body, "<div class=\"warning-text\">"))
        return confirm_fail("it does not say what cannot be undone", NULL);
    return true;
}
