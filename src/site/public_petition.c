/*
 * public_petition.c: a petition as the public site names it; see
 * public_petition.h.
 */
#include "site/public_petition.h"

#include <string.h>

#include <sodium.h>

#include "core/numbering.h"
#include "core/petition.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/base64.h"
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
    if ((r = store_petition_get(s, NULL, req->arena, &n, p, e)))
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

int
public_petition_certified_log(struct request *req, struct arena *a, const struct petition *p,
                              struct public_certified_log *out, struct err *e)
{
    const struct site *site = req->app;
    struct log_head head;
    struct log_checkpoint cp;
    int r;

    memset(out, 0, sizeof(*out));
    if (p->kind != PETITION_ELECTRONIC || !p->certified_at)
        return 0;
    r = store_log_head(site->store, NULL, p->id, &head, e);
    if (r == ERR_NOT_FOUND || (!r && !head.certified))
        return 0;
    if (r)
        return r;
    out->certified = true;
    out->size = head.certified_size;
    out->path = arena_printf(a, "/log/%ld/checkpoint", p->e_number);
    r = store_log_checkpoint_at(site->store, NULL, a, p->id, head.certified_size, &cp, e);
    if (r == ERR_NOT_FOUND)
        return 0;
    if (r)
        return r;
    struct strbuf sb;
    sb_init(&sb, a);
    base64_add(&sb, cp.root.b, TLOG_HASH_BYTES);
    char *hex = arena_alloc(a, 2 * TLOG_HASH_BYTES + 1);
    sodium_bin2hex(hex, 2 * TLOG_HASH_BYTES + 1, cp.root.b, TLOG_HASH_BYTES);
    out->root_hex = hex;
    out->checkpoint_signed = true;
    out->count = cp.attested;
    out->root = sb.buf;
    return 0;
}
