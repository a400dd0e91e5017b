/*
 * public_petition.c: a petition as the public site names it; see
 * public_petition.h.
 */
#include "site/public_petition.h"

#include <string.h>

#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "site/site.h"
#include "store/store.h"
#include "lib/banned.h"

int
public_petition_load(struct request *req, const char *arg, struct petition *p, struct err *e)
{
    const struct site *site = req->app;
    struct store *s = site->store;
    struct petition_number n;
    int r;

    if (petition_number_parse(arg, strlen(arg), &n, NULL))
        return err_set(e, ERR_INVALID, "error.petition_number", "number", "bad number");
    if ((r = s->ops->petition_get(s, req->arena, &n, p, e)))
        return r;
    if (p->state == PETITION_REMOVED)
        return err_set(e, ERR_GONE, "error.petition_removed", NULL, "removed");
    if (!petition_state_is_public(p->state))
        return err_set(e, ERR_NOT_FOUND, "error.petition_not_found", NULL, "not public");
    return 0;
}

const char *
public_petition_number(struct request *req, const struct petition *p)
{
    struct strbuf sb;
    sb_init(&sb, req->arena);
    petition_number_format(&sb, p);
    return sb.buf;
}

const char *
public_petition_path(struct request *req, const struct petition *p)
{
    return arena_printf(req->arena, "/%s/petitions/%s", lang_code(req->lang),
                        public_petition_number(req, p));
}
