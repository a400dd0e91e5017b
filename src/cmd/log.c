/*
 * log.c: petitiond log, the public logs from the outside (docs/verifying.md):
 *
 *   log verify URL NUMBER   read e-petition NUMBER's log from the site at URL
 *                           as anyone can, and check all of it: the
 *                           checkpoint's signature, every entry bundle and
 *                           hash tile against the entries, the root, the
 *                           count the entries attest against the API's, and
 *                           (--since) that an older checkpoint is a prefix
 *   log rotate-key          a new signing key in the key file, the old one
 *                           kept as a verifier line
 *
 * The verifier reads the log once, in order, keeping O(log n) hashes (the
 * roots of the complete subtrees so far), so a log of millions of entries
 * is checked in the memory of a few tiles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cmd/cmd.h"
#include "core/petition_log.h"
#include "core/tlog.h"
#include "lib/base64.h"
#include "lib/err.h"
#include "lib/fetch.h"
#include "lib/note.h"
#include "lib/strbuf.h"
#include "site/log_keys.h"
#include "workflow/log_checkpoint.h"
#include "lib/banned.h"

static const char usage_log[] =
    "usage: petitiond log verify URL NUMBER [--key KEY] [--since FILE] [--save FILE]\n"
    "       petitiond log rotate-key --log-key PATH --base-url URL\n"
    "\n"
    "verify: read e-petition NUMBER's public log from the site at URL (e.g.\n"
    "https://petitions.example.ca 2829) and check all of it: the checkpoint's\n"
    "signature, every entry and hash tile, the root, and that the entries attest\n"
    "the count the site's API shows.  Exit status 0 when everything holds.\n"
    "  --key KEY     trust this verifier key (\"name+id+key\", as /log/key lists\n"
    "                it) instead of the one the site serves\n"
    "  --since FILE  a checkpoint saved before: check that it is signed and that\n"
    "                the log today still begins with it\n"
    "  --save FILE   write the checkpoint checked, for a later --since\n"
    "\n"
    "rotate-key: make a new signing key in the key file (a temporary file renamed\n"
    "over it); the old key stays as a verifier line, so /log/key keeps listing it\n"
    "and checkpoints it signed stay verifiable.  Restart the nodes afterwards.\n";

/* ---- fetching ------------------------------------------------------------------------------ */

/* GET base + path into out; 0, or 1 with a message. */
static int
fetch(struct fetcher *curl, const char *base, const char *path, struct strbuf *out)
{
    struct strbuf url;
    const char *why;
    sb_init(&url, NULL);
    sb_addf(&url, "%s%s", base, path);
    long status = fetch_get(curl, url.buf, out, &why);
    if (status != 200)
        fprintf(stderr, "petitiond: GET %s: %s%ld\n", url.buf, why ? why : "status ",
                why ? 0 : status);
    sb_release(&url);
    return status == 200 ? 0 : 1;
}

/* ---- checkpoints ---------------------------------------------------------------------------- */

struct checkpoint {
    char origin[256];
    int64_t size;
    struct tlog_hash root;
};

/* Check note's signature by keys and read its text. */
static int
checkpoint_read(const char *what, const char *note, size_t len, const struct note_key *keys,
                int nkeys, struct checkpoint *out)
{
    size_t text_len;
    char b64[64];
    long long size;
    if (!note_verify(note, len, keys, nkeys, &text_len)) {
        fprintf(stderr, "petitiond: %s: not signed by the log's key\n", what);
        return 1;
    }
    char *text = strndup(note, text_len);
    int n = sscanf(text, "%255s\n%lld\n%63s\n", out->origin, &size, b64);
    free(text);
    size_t got = 0;
    if (n != 3 || size < 0 ||
        base64_decode(b64, strlen(b64), out->root.b, sizeof(out->root.b), &got) != 0 ||
        got != TLOG_HASH_BYTES) {
        fprintf(stderr, "petitiond: %s: not a checkpoint\n", what);
        return 1;
    }
    out->size = size;
    return 0;
}

/* ---- the stream of leaves ---------------------------------------------------------------- */

/* The roots of the complete subtrees of the leaves so far, largest first
 * (a binary counter of subtrees), and the higher tiles they are checked
 * against. */
struct stream {
    struct tlog_hash stack[64];
    int height[64];
    int depth;
    int64_t leaves;
    int64_t since; /* the old size to take a root at (0: none) */
    struct tlog_hash since_root;
    /* The hash tile of each level ≥ 1 in hand. */
    struct strbuf tile[8];
    int64_t tile_index[8];
    struct fetcher *curl;
    const char *base;
    long number;
    int64_t size;
    int64_t tiles_checked;
    int bad;
};

/* The root of the leaves so far: the stack folded from the right. */
static void
stream_root(const struct stream *s, struct tlog_hash *out)
{
    if (s->depth == 0) {
        tlog_empty_hash(out);
        return;
    }
    *out = s->stack[s->depth - 1];
    for (int i = s->depth - 2; i >= 0; i--)
        tlog_node_hash(&s->stack[i], out, out);
}

/* A complete subtree of height h (a multiple of 8) at index: its hash
 * must be the one the site's tile of level h / 8 holds. */
static void
check_high(struct stream *s, int h, int64_t index, const struct tlog_hash *hash)
{
    int level = h / 8;
    if (level >= 8)
        return;
    int64_t tile = index / TLOG_TILE_WIDTH;
    struct strbuf *t = &s->tile[level - 1];
    if (!t->buf || s->tile_index[level - 1] != tile) {
        /* The tile as the checkpoint's tree has it: full, or the width
         * that tree reaches. */
        int64_t have = s->size >> h; /* hashes at this height in the tree */
        int64_t w = have - tile * TLOG_TILE_WIDTH;
        struct tlog_tile tt = {level, tile, w >= TLOG_TILE_WIDTH ? TLOG_TILE_WIDTH : (int)w};
        struct strbuf path;
        sb_init(&path, NULL);
        sb_addf(&path, "/log/%ld/tile/", s->number);
        tlog_tile_format(&path, &tt);
        if (!t->buf)
            sb_init(t, NULL);
        if (fetch(s->curl, s->base, path.buf, t) || t->len != (size_t)tt.width * TLOG_HASH_BYTES) {
            fprintf(stderr, "petitiond: %s: not a tile of %d hashes\n", path.buf, tt.width);
            s->bad++;
        }
        s->tile_index[level - 1] = tile;
        s->tiles_checked++;
        sb_release(&path);
    }
    size_t at = (size_t)(index % TLOG_TILE_WIDTH) * TLOG_HASH_BYTES;
    if (at + TLOG_HASH_BYTES > t->len || memcmp(t->buf + at, hash->b, TLOG_HASH_BYTES) != 0) {
        if (!s->bad)
            fprintf(stderr, "petitiond: the hash at level %d, index %lld is not the tile's\n", h,
                    (long long)index);
        s->bad++;
    }
}

static void
stream_add(struct stream *s, const struct tlog_hash *leaf)
{
    struct tlog_hash h = *leaf;
    int height = 0;
    /* Merge equal heights: a binary counter. */
    while (s->depth > 0 && s->height[s->depth - 1] == height) {
        tlog_node_hash(&s->stack[s->depth - 1], &h, &h);
        s->depth--;
        height++;
        if (height % 8 == 0)
            check_high(s, height, (s->leaves + 1 - ((int64_t)1 << height)) >> height, &h);
    }
    s->stack[s->depth] = h;
    s->height[s->depth++] = height;
    s->leaves++;
    if (s->leaves == s->since)
        stream_root(s, &s->since_root);
}

/* ---- verify ----------------------------------------------------------------------------- */

struct tally {
    struct stream *s;
    int64_t first;       /* the bundle's first index */
    const uint8_t *tile; /* its level-0 tile */
    int64_t attested, sigs, voids, imports;
    int bad;
};

static void
tally_entry(void *arg, int i, const char *entry, size_t len)
{
    struct tally *t = arg;
    struct petition_log_entry pe;
    struct tlog_hash leaf;
    tlog_leaf_hash(entry, len, &leaf);
    if (memcmp(t->tile + (size_t)i * TLOG_HASH_BYTES, leaf.b, TLOG_HASH_BYTES) != 0) {
        if (!t->bad)
            fprintf(stderr, "petitiond: entry %lld: its hash is not the tile's\n",
                    (long long)(t->first + i));
        t->bad++;
    }
    if (petition_log_parse(entry, len, &pe) != 0) {
        if (!t->bad)
            fprintf(stderr, "petitiond: entry %lld: not an entry: %.*s\n",
                    (long long)(t->first + i), (int)(len < 80 ? len : 80), entry);
        t->bad++;
    } else {
        t->attested += petition_log_weight(&pe);
        t->sigs += pe.kind == PETITION_LOG_SIG;
        t->voids += pe.kind == PETITION_LOG_VOID;
        t->imports += pe.kind == PETITION_LOG_IMPORT;
    }
    stream_add(t->s, &leaf);
}

/* The verifier keys: the one given, or every line /log/key lists. */
static int
keys_read(struct fetcher *curl, const char *base, const char *given, struct note_key *keys, int *n)
{
    struct strbuf sb;
    *n = 0;
    if (given) {
        if (note_key_parse(given, strlen(given), &keys[0]) != 0) {
            fprintf(stderr, "petitiond: --key: not a verifier key\n");
            return 1;
        }
        *n = 1;
        return 0;
    }
    sb_init(&sb, NULL);
    if (fetch(curl, base, "/log/key", &sb)) {
        sb_release(&sb);
        return 1;
    }
    for (size_t at = 0; at < sb.len && *n < LOG_KEYS_MAX;) {
        const char *line = sb.buf + at, *nl = memchr(line, '\n', sb.len - at);
        size_t len = nl ? (size_t)(nl - line) : sb.len - at;
        at += len + 1;
        if (len && note_key_parse(line, len, &keys[*n]) == 0)
            (*n)++;
    }
    sb_release(&sb);
    if (!*n)
        fprintf(stderr, "petitiond: %s/log/key lists no key\n", base);
    return *n ? 0 : 1;
}

/* The API's count of e-petition number; -1 when it cannot be read. */
static int64_t
api_total(struct fetcher *curl, const char *base, long number)
{
    struct strbuf sb, path;
    int64_t total = -1;
    sb_init(&sb, NULL);
    sb_init(&path, NULL);
    sb_addf(&path, "/api/v1/petitions/e-%ld/count", number);
    if (!fetch(curl, base, path.buf, &sb)) {
        json_t *j = json_loads(sb.buf, 0, NULL);
        json_t *t = json_object_get(j, "total");
        if (json_is_integer(t))
            total = json_integer_value(t);
        json_decref(j);
    }
    sb_release(&sb);
    sb_release(&path);
    return total;
}

static int
read_file(const char *path, struct strbuf *out)
{
    FILE *fp = fopen(path, "rb");
    char buf[4096];
    size_t n;
    if (!fp) {
        fprintf(stderr, "petitiond: %s: cannot read\n", path);
        return 1;
    }
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_add(out, buf, n);
    fclose(fp);
    return 0;
}

/* One reading of the whole log; 0 when everything holds, 1 when
 * something does not, 2 when only the count moved meanwhile. */
static int
verify_once(struct fetcher *curl, const char *base, long number, const struct note_key *keys,
            int nkeys, const struct checkpoint *since, const char *save)
{
    struct strbuf note, bundle, tile, path, origin;
    struct checkpoint cp;
    struct stream s;
    struct tally t = {0};
    int r = 1;

    sb_init(&note, NULL);
    sb_init(&bundle, NULL);
    sb_init(&tile, NULL);
    sb_init(&path, NULL);
    sb_init(&origin, NULL);
    memset(&s, 0, sizeof(s));
    sb_addf(&path, "/log/%ld/checkpoint", number);
    if (fetch(curl, base, path.buf, &note) ||
        checkpoint_read("the checkpoint", note.buf, note.len, keys, nkeys, &cp))
        goto out;
    log_origin(&origin, base, number);
    if (strcmp(cp.origin, origin.buf) != 0) {
        fprintf(stderr, "petitiond: the checkpoint is of %s, not %s\n", cp.origin, origin.buf);
        goto out;
    }
    if (since && since->size > cp.size) {
        fprintf(stderr, "petitiond: the log has %lld entries, fewer than the %lld of --since\n",
                (long long)cp.size, (long long)since->size);
        goto out;
    }
    s = (struct stream){.curl = curl,
                        .base = base,
                        .number = number,
                        .size = cp.size,
                        .since = since ? since->size : 0};
    t.s = &s;
    int64_t bundles = 0;
    for (int64_t b = 0; b * TLOG_TILE_WIDTH < cp.size; b++, bundles++) {
        int64_t w = cp.size - b * TLOG_TILE_WIDTH;
        struct tlog_tile tt = {-1, b, w >= TLOG_TILE_WIDTH ? TLOG_TILE_WIDTH : (int)w};
        sb_reset(&path);
        sb_addf(&path, "/log/%ld/tile/", number);
        tlog_tile_format(&path, &tt);
        if (fetch(curl, base, path.buf, &bundle))
            goto out;
        tt.level = 0;
        sb_reset(&path);
        sb_addf(&path, "/log/%ld/tile/", number);
        tlog_tile_format(&path, &tt);
        if (fetch(curl, base, path.buf, &tile))
            goto out;
        if (tile.len != (size_t)tt.width * TLOG_HASH_BYTES) {
            fprintf(stderr, "petitiond: %s: not %d hashes\n", path.buf, tt.width);
            goto out;
        }
        t.first = b * TLOG_TILE_WIDTH;
        t.tile = (const uint8_t *)tile.buf;
        if (tlog_bundle_each(bundle.buf, bundle.len, tally_entry, &t) != tt.width) {
            fprintf(stderr, "petitiond: entry bundle %lld: not %d entries\n", (long long)b,
                    tt.width);
            goto out;
        }
    }
    struct tlog_hash root;
    stream_root(&s, &root);
    if (t.bad || s.bad)
        goto out;
    if (sodium_memcmp(root.b, cp.root.b, TLOG_HASH_BYTES) != 0) {
        fprintf(stderr, "petitiond: the entries' root is not the checkpoint's\n");
        goto out;
    }
    printf("checkpoint: %s, %lld entries, signed by %s+%08x: good\n", cp.origin, (long long)cp.size,
           keys[0].name, keys[0].id);
    printf("tiles: %lld entry bundles, %lld hash tiles of level 0 and %lld above match the"
           " entries and the root\n",
           (long long)bundles, (long long)bundles, (long long)s.tiles_checked);
    printf("entries: %lld signatures, %lld voided, %lld imports: they attest %lld\n",
           (long long)t.sigs, (long long)t.voids, (long long)t.imports, (long long)t.attested);
    if (since) {
        if (sodium_memcmp(s.since_root.b, since->root.b, TLOG_HASH_BYTES) != 0 && since->size > 0) {
            fprintf(stderr,
                    "petitiond: the log no longer begins with the --since checkpoint"
                    " (%lld entries): it was rewritten\n",
                    (long long)since->size);
            goto out;
        }
        printf("since: the checkpoint of %lld entries is the start of this one\n",
               (long long)since->size);
    }
    int64_t total = api_total(curl, base, number);
    if (total != t.attested) {
        fprintf(stderr, "petitiond: the API shows %lld, the log attests %lld\n", (long long)total,
                (long long)t.attested);
        r = total < 0 ? 1 : 2;
        goto out;
    }
    printf("count: the API shows %lld, the count the log attests\n", (long long)total);
    if (save) {
        FILE *fp = fopen(save, "wb");
        if (!fp || fwrite(note.buf, 1, note.len, fp) != note.len) {
            fprintf(stderr, "petitiond: %s: cannot write\n", save);
            if (fp)
                fclose(fp);
            goto out;
        }
        fclose(fp);
        printf("saved: %s\n", save);
    }
    r = 0;
out:
    for (int i = 0; i < 8; i++)
        sb_release(&s.tile[i]);
    sb_release(&note);
    sb_release(&bundle);
    sb_release(&tile);
    sb_release(&path);
    sb_release(&origin);
    return r;
}

static int
log_verify(int argc, char **argv)
{
    const char *base = NULL, *number_arg = NULL, *key = NULL, *since_file = NULL, *save = NULL;
    struct note_key keys[LOG_KEYS_MAX];
    struct checkpoint since;
    int nkeys, r = 1;

    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **opt = strcmp(a, "--key") == 0     ? &key
                           : strcmp(a, "--since") == 0 ? &since_file
                           : strcmp(a, "--save") == 0  ? &save
                                                       : NULL;
        if (opt) {
            if (++i == argc)
                return cmd_usage_error(usage_log, "an option without its value");
            *opt = argv[i];
        } else if (a[0] == '-') {
            return cmd_usage_error(usage_log, "an unknown option");
        } else if (!base) {
            base = a;
        } else if (!number_arg) {
            number_arg = a;
        } else {
            return cmd_usage_error(usage_log, "too many arguments");
        }
    }
    if (!base || !number_arg)
        return cmd_usage_error(usage_log, "log verify wants a URL and an e-petition's number");
    if (strncmp(number_arg, "e-", 2) == 0)
        number_arg += 2;
    char *end;
    long number = strtol(number_arg, &end, 10);
    if (*end || number <= 0)
        return cmd_usage_error(usage_log, "not an e-petition's number");
    /* The site's address without a trailing slash. */
    char *site = strdup(base);
    size_t bl = strlen(site);
    while (bl && site[bl - 1] == '/')
        site[--bl] = '\0';

    struct fetcher *curl = fetcher_new(60, "petitiond-log-verify");
    if (keys_read(curl, site, key, keys, &nkeys))
        goto out;
    if (since_file) {
        struct strbuf sb;
        sb_init(&sb, NULL);
        int bad = read_file(since_file, &sb) ||
                  checkpoint_read(since_file, sb.buf, sb.len, keys, nkeys, &since);
        sb_release(&sb);
        if (bad)
            goto out;
    }
    /* The count may move between reading the log and the API: try again
     * a few times before calling it a difference. */
    for (int attempt = 0; attempt < 5; attempt++) {
        r = verify_once(curl, site, number, keys, nkeys, since_file ? &since : NULL, save);
        if (r != 2)
            break;
        sleep(2);
    }
    if (r == 2)
        r = 1;
    printf("petitiond: %s/log/%ld: %s\n", site, number,
           r == 0 ? "everything holds" : "NOT VERIFIED");
out:
    fetcher_free(curl);
    free(site);
    return r;
}

/* ---- rotate-key ----------------------------------------------------------------------------- */

static int
log_rotate(int argc, char **argv)
{
    const char *path = NULL, *base = NULL;
    struct err e = ERR_INIT;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--log-key") == 0)
            path = argv[i + 1];
        else if (strcmp(argv[i], "--base-url") == 0)
            base = argv[i + 1];
        else
            return cmd_usage_error(usage_log, "an unknown option");
    }
    if (!path || !base || argc % 2)
        return cmd_usage_error(usage_log, "rotate-key wants --log-key PATH --base-url URL");
    struct strbuf name;
    sb_init(&name, NULL);
    log_key_name(&name, base);
    int r = log_keys_rotate(path, name.buf, &e);
    sb_release(&name);
    if (r)
        return cmd_fail(&e);
    printf("petitiond: %s: a new signing key; the old one is kept as a verifier line\n", path);
    return 0;
}

int
cmd_log(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return log_verify(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "rotate-key") == 0)
        return log_rotate(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage_log, stdout);
        return 0;
    }
    return cmd_usage_error(usage_log, "the log command is 'log verify' or 'log rotate-key'");
}
