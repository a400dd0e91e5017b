/*
 * dev_pages.c: /dev/mail, the development mailbox.  With `serve --dev
 * --mail-dir DIR` every e-mail is written to DIR as an .eml file instead
 * of being sent; these pages list them and show one, its headers as they
 * are and its body as text (decoded from quoted-printable: the file holds
 * what a relay would get).  Without --dev the routes answer 404 like any
 * unknown page.
 */
#include "web/dev_pages.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "mail/message.h"
#include "site/site.h"
#include "web/workspace.h"
#include "lib/banned.h"

enum { MAIL_LIST_MAX = 500, MAIL_FILE_MAX = 256 * 1024 };

static bool
name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len < 5 || len > 200 || strcmp(n + len - 4, ".eml") != 0)
        return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            return false;
    return n[0] != '.';
}

/* The file's bytes (arena), or NULL. */
static char *
read_mail(struct request *req, const char *dir, const char *name, size_t *len)
{
    char *p = arena_printf(req->arena, "%s/%s", dir, name);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct strbuf sb;
    sb_init(&sb, req->arena);
    sb_set_max(&sb, MAIL_FILE_MAX);
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        sb_add(&sb, buf, (size_t)n);
    close(fd);
    if (n < 0 || sb_failed(&sb))
        return NULL;
    *len = sb.len;
    return sb.buf;
}

/* A header's value, unfolded, with =?UTF-8?B?...?= words decoded. */
static const char *
header(struct request *req, const char *msg, const char *name)
{
    size_t nl = strlen(name);
    const char *p = msg;
    while (*p && !(p[0] == '\r' && p[1] == '\n')) {
        if (strncmp(p, name, nl) == 0 && p[nl] == ':') {
            struct strbuf raw;
            sb_init(&raw, req->arena);
            const char *v = p + nl + 1;
            for (;;) {
                const char *end = strstr(v, "\r\n");
                if (!end)
                    break;
                sb_add(&raw, v, (size_t)(end - v));
                if (end[2] != ' ' && end[2] != '\t')
                    break;
                v = end + 2;
            }
            struct strbuf out;
            sb_init(&out, req->arena);
            const char *s = raw.buf;
            while (*s) {
                const char *w = strstr(s, "=?UTF-8?B?");
                if (!w) {
                    sb_adds(&out, s);
                    break;
                }
                sb_add(&out, s, (size_t)(w - s));
                const char *b = w + 10, *end = strstr(b, "?=");
                if (!end) {
                    sb_adds(&out, w);
                    break;
                }
                unsigned char bin[512];
                size_t blen = 0;
                if (sodium_base642bin(bin, sizeof(bin), b, (size_t)(end - b), NULL, &blen, NULL,
                                      sodium_base64_VARIANT_ORIGINAL) == 0)
                    sb_add(&out, bin, blen);
                s = end + 2;
                while (*s == ' ' && strncmp(s + 1, "=?UTF-8?B?", 10) == 0)
                    s++;
            }
            while (out.len && out.buf[0] == ' ') {
                memmove(out.buf, out.buf + 1, out.len);
                out.len--;
            }
            return out.buf;
        }
        const char *next = strstr(p, "\r\n");
        if (!next)
            break;
        p = next + 2;
    }
    return "";
}

static int
cmp_desc(const void *a, const void *b)
{
    return strcmp(*(const char *const *)b, *(const char *const *)a);
}

int
page_dev_mail(struct request *req, struct err *e)
{
    struct site *site = req->app;
    if (!site->dev || !site->mail_dir)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "not in development");
    DIR *d = opendir(site->mail_dir);
    if (!d)
        return err_set(e, ERR_IO, "error.io", NULL, "cannot open the mail directory");
    const char **names = arena_alloc(req->arena, sizeof(char *) * MAIL_LIST_MAX);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < MAIL_LIST_MAX)
        if (name_ok(de->d_name))
            names[n++] = arena_strdup(req->arena, de->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof(char *), cmp_desc);
    json_t *ctx = ws_page(req, "dev.mail_title");
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        size_t len;
        char *msg = read_mail(req, site->mail_dir, names[i], &len);
        if (!msg)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(names[i]));
        json_object_set_new(o, "to", json_string(header(req, msg, "To")));
        json_object_set_new(o, "subject", json_string(header(req, msg, "Subject")));
        json_object_set_new(o, "date", json_string(header(req, msg, "Date")));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "mails", rows);
    json_object_set_new(ctx, "dir", json_string(site->mail_dir));
    return site_render(req, 200, "dev_mail", ctx, e);
}

int
page_dev_mail_one(struct request *req, struct err *e)
{
    struct site *site = req->app;
    size_t len;
    if (!site->dev || !site->mail_dir)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "not in development");
    if (!name_ok(req->captures[0]))
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "bad mail name");
    char *msg = read_mail(req, site->mail_dir, req->captures[0], &len);
    if (!msg)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no such mail");
    /* The headers as written, then the body as text. */
    struct strbuf out;
    sb_init(&out, req->arena);
    const char *end = strstr(msg, "\r\n\r\n");
    if (end)
        sb_add(&out, msg, (size_t)(end - msg) + 4);
    if (!end || mail_body_text(msg, len, &out))
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "mail %s does not parse",
                       req->captures[0]);
    resp_header(req, "Cache-Control", "no-store");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_header(req, "Content-Security-Policy", "default-src 'none'");
    resp_body(req, 200, "text/plain; charset=utf-8", out.buf, out.len);
    return 0;
}
