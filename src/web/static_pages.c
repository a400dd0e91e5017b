/*
 * static_pages.c: the files under /static/; see static_pages.h.
 */
#include "web/static_pages.h"

#include <string.h>

#include "http/request.h"
#include "lib/arena.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "site/site.h"
#include "lib/banned.h"

static const char *
static_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    if (strcmp(dot, ".ico") == 0)
        return "image/x-icon";
    if (strcmp(dot, ".txt") == 0)
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

int
page_static(struct request *req, struct err *e)
{
    const char *name = req->captures[0];
    if (strchr(name, '/') || name[0] == '.')
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "static name");
    const struct embedded_file *f = embed_find(arena_printf(req->arena, "static/%s", name));
    if (!f)
        return err_set(e, ERR_NOT_FOUND, "error.page_not_found", NULL, "no static file");
    /* A long age: the files change only with petitiond itself.  Their
     * ETag is the hash of these bytes (the route is ROUTE_CACHE), so a
     * browser revalidates them with a 304 after an upgrade too. */
    site_cache_control(req, SITE_AGE_STATIC);
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, 200, static_type(name), (const char *)f->data, f->len);
    return 0;
}
