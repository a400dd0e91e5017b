/*
 * mailer.c: the mail templates and rendering an e-mail; see mailer.h.
 */
#include "mail/mailer.h"

#include <string.h>

#include "lib/embed.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/template.h"
#include "lib/banned.h"

int
mailer_init(struct mailer *m, struct err *e)
{
    static const char prefix[] = "templates/mail/";
    int r;
    m->texts = template_set_new_plain();
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        size_t n = strlen(f->path);
        if (strncmp(f->path, prefix, sizeof(prefix) - 1) != 0 || n < sizeof(prefix) + 4 ||
            strcmp(f->path + n - 4, ".txt") != 0)
            continue;
        char name[96];
        size_t len = n - (sizeof(prefix) - 1) - 4;
        if (len >= sizeof(name))
            return err_set(e, ERR_INVALID, "error.internal", NULL, "mail template name");
        memcpy(name, f->path + sizeof(prefix) - 1, len);
        name[len] = '\0';
        if ((r = template_set_add(m->texts, name, (const char *)f->data, f->len, e)))
            return r;
    }
    return template_set_check(m->texts, e);
}

void
mailer_release(struct mailer *m)
{
    template_set_free(m->texts);
    m->texts = NULL;
}

int
mail_render(const struct mailer *m, struct arena *a, const char *kind, enum lang lang,
            json_t *vars, const char **subject, const char **body, struct err *e)
{
    char name[96];
    struct strbuf out;
    int r;

    if (strlen(kind) > 80)
        return err_set(e, ERR_INVALID, "error.internal", NULL, "mail kind too long");
    memcpy(name, kind, strlen(kind));
    name[strlen(kind)] = '.';
    memcpy(name + strlen(kind) + 1, lang_code(lang), 3);

    json_t *ctx = vars ? json_deep_copy(vars) : json_object();
    json_object_set_new(ctx, "base_url", json_string(m->base_url));
    json_object_set_new(ctx, "lang", json_string(lang_code(lang)));
    if (m->messages[lang])
        json_object_set(ctx, "t", m->messages[lang]);
    sb_init(&out, a);
    r = template_render(m->texts, name, ctx, &out, e);
    json_decref(ctx);
    if (r)
        return r;
    /* "Subject: ...\n\nbody" */
    char *nl = out.len >= 10 && strncmp(out.buf, "Subject: ", 9) == 0 ? strstr(out.buf, "\n\n")
                                                                        : NULL;
    if (!nl || sb_failed(&out))
        return err_set(e, ERR_INVALID, "error.internal", NULL, "mail %s has no subject line", name);
    *nl = '\0';
    *subject = out.buf + 9;
    *body = nl + 2;
    return 0;
}
