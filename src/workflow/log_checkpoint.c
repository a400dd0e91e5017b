/*
 * log_checkpoint.c: signing the checkpoints of the e-petitions' public
 * logs; see log_checkpoint.h.
 */
#include "workflow/log_checkpoint.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/tlog.h"
#include "lib/arena.h"
#include "lib/base64.h"
#include "lib/err.h"
#include "lib/note.h"
#include "mail/mailer.h"
#include "lib/strbuf.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/petition_log.h"
#include "lib/banned.h"

enum { RUN_LIMIT = 1000 };

/* The host[:port] of base_url: what comes after "scheme://" and before
 * a path. */
static const char *
authority(const char *base_url, size_t *len)
{
    const char *h = strstr(base_url, "://");
    h = h ? h + 3 : base_url;
    *len = strcspn(h, "/?#");
    return h;
}

void
log_key_name(struct strbuf *out, const char *base_url)
{
    size_t n;
    const char *h = authority(base_url, &n);
    /* Without the port: "[::1]:8080" is "[::1]", "example.ca:443" "example.ca". */
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (h[i] == ':')
            colon = h + i;
    if (colon && (h[0] != '[' || colon[-1] == ']'))
        n = (size_t)(colon - h);
    sb_add(out, h, n);
}

void
log_origin(struct strbuf *out, const char *base_url, long e_number)
{
    size_t n;
    const char *h = authority(base_url, &n);
    sb_add(out, h, n);
    sb_addf(out, "/log/%ld", e_number);
}

/* Make the log of petition_id (with its imports), in a transaction of
 * its own. */
static int
make_log(const struct flow *f, int64_t petition_id, struct err *e)
{
    struct store_txn *tx = NULL;
    struct arena *a = arena_new();
    struct log_txn lt;
    int r = flow_begin(f, &tx, e);
    if (!r) {
        log_txn_init(&lt, a);
        if (!(r = log_txn_open(f, tx, &lt, petition_id, e)))
            r = log_txn_flush(tx, &lt, e);
        r = flow_finish_quiet(tx, r, e);
    }
    arena_free(a);
    return r;
}

/* Whether the tree read by r begins with the tree (size, root). */
static int
begins_with(const struct tlog_reader *r, int64_t size, const struct tlog_hash *root, bool *yes)
{
    struct tlog_hash then;
    int rc = tlog_tree_hash(size, r, &then);
    *yes = !rc && sodium_memcmp(then.b, root->b, TLOG_HASH_BYTES) == 0;
    return rc;
}

/* The count the first size entries of petition_id's log attest: its
 * bundles read from the first (only for a checkpoint signed at a size
 * the log has passed, which is rare). */
static int
attested_at(const struct flow *f, struct store_txn *tx, int64_t petition_id, int64_t size,
            int64_t *out, struct err *e)
{
    struct arena *a = arena_new();
    int r = 0;
    *out = 0;
    for (int64_t b = 0, at = 0; at < size && !r; b++) {
        const char *text;
        size_t len;
        if ((r = store_log_bundle(f->store, tx, a, petition_id, b, &text, &len, e)))
            break;
        for (size_t i = 0, start = 0; i < len && at < size; i++) {
            if (text[i] != '\n')
                continue;
            struct petition_log_entry pe;
            if (petition_log_parse(text + start, i - start, &pe) != 0) {
                r = err_set(e, ERR_STORE, "error.store", NULL, "log: entry %lld is not one",
                            (long long)at);
                break;
            }
            *out += petition_log_weight(&pe);
            at++;
            start = i + 1;
        }
    }
    arena_free(a);
    return r;
}

/* The checkpoint of the first size entries read through rd, signed by key
 * (arena memory), for the log of origin. */
static int
make_checkpoint(const struct note_key *key, const struct tlog_reader *rd, const char *origin,
                int64_t petition_id, int64_t size, int64_t attested, int64_t now, struct arena *a,
                struct log_checkpoint *out)
{
    struct strbuf text, note;
    int r;
    memset(out, 0, sizeof(*out));
    if ((r = tlog_tree_hash(size, rd, &out->root)))
        return r;
    sb_init(&text, a);
    sb_init(&note, a);
    sb_addf(&text, "%s\n%lld\n", origin, (long long)size);
    base64_add(&text, out->root.b, TLOG_HASH_BYTES);
    sb_addch(&text, '\n');
    note_sign(&note, text.buf, text.len, key);
    out->petition_id = petition_id;
    out->size = size;
    out->attested = attested;
    out->note = note.buf;
    out->signed_at = now;
    return 0;
}

/*
 * Sign a checkpoint of petition_id's log as it stands.  The checks and
 * the signing read the log outside any transaction (it only grows: what
 * is below the size read first never changes); the signer's memory is
 * written (an fsync) with no lock held; then one short write transaction
 * stores the checkpoints, so the intake writer never waits for a disk.
 */
static int
sign_one(const struct flow *f, const struct note_key *key, const struct log_memory *memory,
         int64_t petition_id, int64_t now, int *signed_count, struct err *e)
{
    struct store_txn *tx = NULL;
    struct arena *a = arena_new();
    struct store_log_reader lr;
    struct log_head head;
    struct log_checkpoint last, cps[2];
    struct petition_brief b;
    struct strbuf origin;
    bool certified = false;
    int ncps = 0, r;

    sb_init(&origin, a);
    if ((r = store_log_head(f->store, NULL, petition_id, &head, e)) ||
        (r = store_petition_brief(f->store, NULL, petition_id, 0, &b, e)))
        goto out;
    r = store_log_checkpoint_latest(f->store, NULL, a, petition_id, &last, e);
    if (r && r != ERR_NOT_FOUND)
        goto out;
    bool have_last = r == 0;
    r = 0;
    if (have_last && last.size >= head.size)
        goto out; /* signed already (by another node, say) */
    store_log_reader_init(&lr, f->store, NULL, a, petition_id, e);
    log_origin(&origin, f->mailer->base_url, b.e_number);
    /* The trees signed before, as the database and as the signer's own
     * memory have them, must still be the start of this one. */
    int64_t size_then = last.size;
    struct tlog_hash root_then = last.root;
    bool known = have_last, same = true;
    for (int pass = 0; pass < 2 && same; pass++) {
        if (pass == 1)
            known = memory && memory->recall(memory->ctx, origin.buf, &size_then, &root_then);
        if (!known)
            continue;
        if (size_then > head.size) {
            same = false;
            break;
        }
        if ((r = begins_with(&lr.r, size_then, &root_then, &same)))
            goto out;
    }
    if (!same) {
        r = err_set(e, ERR_INTERNAL, "error.internal", NULL,
                    "log of e-%ld: its first %lld entries are not those signed before (a"
                    " database restored from an older backup, or changed by hand?); no"
                    " checkpoint is signed",
                    b.e_number, (long long)size_then);
        goto out;
    }
    /* A certified count stands on the checkpoint at the certified size:
     * should the log have grown past it before one was signed there (an
     * entry of the reconciliation within the second), sign it too; it is
     * the start of the tree checked above. */
    if (head.certified && head.certified_size < head.size && head.certified_size > 0) {
        r = store_log_checkpoint_at(f->store, NULL, a, petition_id, head.certified_size, &cps[0],
                                    e);
        if (r == ERR_NOT_FOUND) {
            int64_t attested;
            if ((r = attested_at(f, NULL, petition_id, head.certified_size, &attested, e)) ||
                (r = make_checkpoint(key, &lr.r, origin.buf, petition_id, head.certified_size,
                                     attested, now, a, &cps[ncps])))
                goto out;
            ncps++;
            certified = true;
        } else if (r) {
            goto out;
        }
    }
    if ((r = make_checkpoint(key, &lr.r, origin.buf, petition_id, head.size, head.attested, now, a,
                             &cps[ncps])))
        goto out;
    /* Remembered before it can be served. */
    if (memory && (r = memory->remember(memory->ctx, origin.buf, head.size, &cps[ncps].root, e)))
        goto out;
    ncps++;
    /* The checkpoint a certified count stands on shows on the petition's
     * pages, the API and the exports: their data's version moves. */
    certified = certified || (head.certified && head.certified_size == head.size);
    if ((r = flow_begin(f, &tx, e)))
        goto out;
    for (int i = 0; i < ncps && !r; i++) {
        r = store_log_checkpoint_insert(tx, &cps[i], e);
        if (r == ERR_CONFLICT) /* another node signed that size meanwhile: the same tree */
            r = 0;
        else if (!r)
            (*signed_count)++;
    }
    r = certified ? flow_finish(f, tx, r, e) : flow_finish_quiet(tx, r, e);
out:
    arena_free(a);
    return r;
}

int
log_checkpoint_run(const struct flow *f, const struct note_key *key,
                   const struct log_memory *memory, int64_t now, int *signed_count, struct err *e)
{
    struct arena *a = arena_new();
    struct log_head *heads;
    int64_t *ids;
    int n, first = 0, r;

    *signed_count = 0;
    if ((r = store_log_missing(f->store, NULL, a, RUN_LIMIT, &ids, &n, e)))
        goto out;
    for (int i = 0; i < n; i++) {
        struct err e2 = ERR_INIT;
        if ((r = make_log(f, ids[i], &e2)) && !first) {
            first = r;
            *e = e2;
        }
    }
    if ((r = store_log_unsigned(f->store, NULL, a, RUN_LIMIT, &heads, &n, e)))
        goto out;
    for (int i = 0; i < n; i++) {
        struct err e2 = ERR_INIT;
        if ((r = sign_one(f, key, memory, heads[i].petition_id, now, signed_count, &e2)) &&
            !first) {
            first = r;
            *e = e2;
        }
    }
    r = first;
out:
    arena_free(a);
    return r;
}
