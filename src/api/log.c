/*
 * log.c: each e-petition's public log over HTTP, and the signers'
 * receipts; see log.h.
 */
#include "api/log.h"

#include <stdio.h>
#include <string.h>

#include "core/petition_log.h"
#include "core/signature.h"
#include "core/tlog.h"
#include "http/request.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/token.h"
#include "site/site.h"
#include "store/store.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

static const char IMMUTABLE[] = "public, max-age=31536000, immutable";

static int
not_found(struct err *e, const char *what)
{
    return err_set(e, ERR_NOT_FOUND, "error.not_found", NULL, "log: %s", what);
}

/* An e-petition's number as the log's path has it: digits, no leading
 * zero. */
static int
number_arg(const char *s, long *out)
{
    long v = 0;
    size_t n = strlen(s);
    if (n == 0 || n > 7 || s[0] == '0')
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* The e-petition of the path's number and its latest checkpoint. */
static int
load(struct request *req, struct petition_brief *b, struct log_checkpoint *cp, struct err *e)
{
    const struct site *site = req->app;
    long n;
    int r;
    if (number_arg(req->captures[0], &n) != 0)
        return not_found(e, "not an e-petition's number");
    if ((r = store_petition_brief(site->store, NULL, 0, n, b, e)))
        return r;
    if (b->kind != PETITION_ELECTRONIC)
        return not_found(e, "not an e-petition");
    return store_log_checkpoint_latest(site->store, NULL, req->arena, b->id, cp, e);
}

static void
send(struct request *req, const char *type, const char *cache, const char *body, size_t len)
{
    resp_header(req, "Cache-Control", cache);
    resp_header(req, "Access-Control-Allow-Origin", "*");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_body(req, 200, type, body, len);
}

int
log_key_page(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct strbuf sb;
    if (site->log_keys.n == 0)
        return not_found(e, "the logs are not signed (no --log-key)");
    sb_init(&sb, req->arena);
    log_keys_verifiers(&sb, &site->log_keys);
    send(req, "text/plain; charset=utf-8", "public, max-age=300", sb.buf, sb.len);
    return 0;
}

int
log_checkpoint_page(struct request *req, struct err *e)
{
    struct petition_brief b;
    struct log_checkpoint cp;
    int r = load(req, &b, &cp, e);
    if (r)
        return r;
    send(req, "text/plain; charset=utf-8", "public, max-age=1", cp.note, strlen(cp.note));
    return 0;
}

/* The first want entries of a bundle's text as a C2SP entry bundle. */
static int
bundle_of(struct strbuf *out, const char *text, size_t len, int want)
{
    size_t start = 0;
    int got = 0;
    for (size_t i = 0; i < len && got < want; i++) {
        if (text[i] != '\n')
            continue;
        tlog_bundle_append(out, text + start, i - start);
        got++;
        start = i + 1;
    }
    return got == want ? 0 : -1;
}

int
log_tile_page(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct petition_brief b;
    struct log_checkpoint cp;
    struct tlog_tile t;
    struct strbuf sb;
    int r;

    /* The path after "/log/{N}/tile/", whatever its segments. */
    const char *tail = strstr(req->path + 5, "/tile/");
    if (!tail)
        return not_found(e, "no tile");
    tail += 6;
    if (tlog_tile_parse(tail, strlen(tail), &t) != 0)
        return not_found(e, "not a tile's path");
    if ((r = load(req, &b, &cp, e)))
        return r;
    if (!tlog_tile_exists(cp.size, &t))
        return not_found(e, "no such tile at the latest checkpoint");
    sb_init(&sb, req->arena);
    if (t.level < 0) {
        const char *text;
        size_t len;
        if ((r = store_log_bundle(site->store, NULL, req->arena, b.id, t.index, &text, &len, e)))
            return r;
        if (bundle_of(&sb, text, len, t.width) != 0)
            return err_set(e, ERR_STORE, "error.store", NULL, "log: bundle %lld is short",
                           (long long)t.index);
        send(req, "application/octet-stream", IMMUTABLE, sb.buf, sb.len);
        return 0;
    }
    struct store_log_reader lr;
    struct tlog_hash *h = arena_calloc(req->arena, (size_t)t.width, sizeof(*h));
    store_log_reader_init(&lr, site->store, NULL, req->arena, b.id, e);
    if ((r = tlog_tile_hashes(cp.size, &t, &lr.r, h)))
        return r < 0 ? not_found(e, "no such tile") : r;
    send(req, "application/octet-stream", IMMUTABLE, (const char *)h,
         (size_t)t.width * TLOG_HASH_BYTES);
    return 0;
}

/* ---- receipts -------------------------------------------------------------------------------- */

int
log_receipt_page(struct request *req, struct err *e)
{
    const struct site *site = req->app;
    struct signature_record g;
    struct petition_brief b;
    struct log_checkpoint cp;
    struct store_log_reader lr;
    struct tlog_proof proof;
    uint8_t nonce[PETITION_LOG_NONCE_BYTES];
    char tok[TOKEN_MAC_CHARS + 1];
    struct strbuf sb;
    int64_t id = 0;
    int r;

    /* "/receipts/{id}/{token}.tlog-proof" */
    const char *ids = req->captures[0], *file = req->captures[1];
    size_t flen = strlen(file);
    static const char ext[] = ".tlog-proof";
    if (flen != TOKEN_MAC_CHARS + sizeof(ext) - 1 || strcmp(file + TOKEN_MAC_CHARS, ext) != 0)
        return not_found(e, "not a receipt's path");
    for (const char *p = ids; *p; p++) {
        if (*p < '0' || *p > '9' || p - ids > 17)
            return not_found(e, "not a receipt's path");
        id = id * 10 + (*p - '0');
    }
    log_receipt_token(&site->flow, id, tok);
    if (!*ids || !token_equal(arena_strndup(req->arena, file, TOKEN_MAC_CHARS), tok))
        return not_found(e, "wrong receipt link");
    if ((r = store_signature_get(site->store, NULL, req->arena, id, &g, e)))
        return r;
    if (!g.logged || !signature_counted(g.confirmed_at, g.review))
        return err_set(e, ERR_NOT_FOUND, "log.receipt_none", NULL,
                       "log: signature %lld is not in the log", (long long)id);
    if ((r = store_petition_brief(site->store, NULL, g.petition_id, 0, &b, e)))
        return r;
    r = store_log_checkpoint_latest(site->store, NULL, req->arena, b.id, &cp, e);
    if (r && r != ERR_NOT_FOUND)
        return r;
    if (r || cp.size <= g.log_index)
        return err_set(e, ERR_NOT_FOUND, "log.receipt_pending", NULL,
                       "log: signature %lld is not in a checkpoint yet", (long long)id);
    memset(&proof, 0, sizeof(proof));
    store_log_reader_init(&lr, site->store, NULL, req->arena, b.id, e);
    if ((r = tlog_prove_record(cp.size, g.log_index, &lr.r, proof.hashes, &proof.n)))
        return r < 0 ? not_found(e, "no such entry") : r;
    log_nonce(&site->flow, &g, nonce);
    proof.extra = nonce;
    proof.extra_len = sizeof(nonce);
    proof.index = g.log_index;
    proof.checkpoint = cp.note;
    proof.checkpoint_len = strlen(cp.note);
    sb_init(&sb, req->arena);
    tlog_proof_format(&sb, &proof);
    resp_header(req, "Cache-Control", "private, no-store");
    resp_header(req, "X-Content-Type-Options", "nosniff");
    resp_header(req, "Content-Disposition",
                arena_printf(req->arena, "attachment; filename=\"e-%ld-signature.tlog-proof\"",
                             b.e_number));
    resp_body(req, 200, "text/plain; charset=utf-8", sb.buf, sb.len);
    return 0;
}
