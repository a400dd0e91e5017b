/*
 * log_test.c: each e-petition's public log (issue 18), checked from
 * outside as a verifier would: the key, the signed checkpoint, every entry
 * bundle and hash tile, the root recomputed, the count the entries attest
 * against the API's, a signer's receipt, an invalidation's "void" entry
 * with the old checkpoint still a prefix of the new tree, the checkpoint a
 * certified count stands on named by the certificate, the petition's page,
 * the API and the exports, and a database restored from a backup that the
 * server refuses to sign again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/petition_log.h"
#include "core/tlog.h"
#include "fixtures.h"
#include "harness.h"
#include "lib/note.h"
#include "lib/strbuf.h"
#include "web.h"
#include "xmltest.h"
#include "lib/banned.h"

static struct harness H;
static int next_ip;

/* ---- signing --------------------------------------------------------------------------------- */

/* Sign e-petition number as email, from province; 303 expected. */
static void
sign(const char *number, const char *email, const char *province)
{
    char form[1024], path[128], xff[64];
    snprintf(form, sizeof(form),
             "first_name=Log&last_name=Tester&email=%s&country=Canada&province=%s"
             "&postal_code=%s&phone=613-555-0100&eligible=1&terms=1",
             form_enc(email), province, strcmp(province, "QC") == 0 ? "H2X%201Y4" : "K1A%200A6");
    snprintf(path, sizeof(path), "/en/petitions/%s/sign", number);
    snprintf(xff, sizeof(xff), "X-Forwarded-For: 198.51.100.%d", ++next_ip % 250 + 1);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", xff, NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", path, form, strlen(form), headers, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
}

/* Confirm email's signature from its e-mail; the thanks page's link to
 * its receipt (malloc'd). */
static char *
confirm(const char *email)
{
    assert_true(mail_wait_count(&H, "signature-confirm", email, 1));
    char *m = mail_wait(&H, "signature-confirm", email);
    assert_non_null(m);
    char *link = mail_link(m, "/signatures/");
    assert_non_null(link);
    /* The e-mail gives the receipt's link too. */
    char *mailed_receipt = mail_link(m, "/receipts/");
    assert_non_null(mailed_receipt);
    free(m);
    const char *q = strchr(link, '?');
    assert_non_null(q);
    char path[256];
    snprintf(path, sizeof(path), "%.*s", (int)(q - link), link);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct http_result r;
    assert_int_equal(http_request(&H, "POST", path, q + 1, strlen(q + 1), headers, &r), 0);
    if (r.status != 303) {
        char *log = harness_log(&H);
        fprintf(stderr, "confirm %s: %ld\n%s\n", email, r.status, log ? log : "");
        free(log);
    }
    assert_int_equal(r.status, 303);
    /* Post/Redirect/Get: the thanks is the link's page. */
    char *thanks = strdup(http_header(&r, "Location"));
    http_result_free(&r);
    assert_int_equal(http_get(&H, thanks, &r), 0);
    free(thanks);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "Check my signature"));
    const char *href = strstr(r.body, "href=\"/receipts/");
    assert_non_null(href);
    href += 6;
    const char *end = strchr(href, '"');
    assert_non_null(end);
    assert_true(end - href > 11 && memcmp(end - 11, ".tlog-proof", 11) == 0);
    char *out = strndup(href, (size_t)(end - href));
    assert_non_null(strstr(mailed_receipt, out));
    free(mailed_receipt);
    http_result_free(&r);
    free(link);
    return out;
}

/* ---- reading the log as a verifier ------------------------------------------------------------
 */

struct view {
    struct note_key key;
    int64_t size;
    struct tlog_hash root;
    char *note;
    size_t note_len;
    char **entries; /* size of them */
    struct tlog_hash *leaves;
    int64_t attested;
};

static void
view_free(struct view *v)
{
    for (int64_t i = 0; v->entries && i < v->size; i++)
        free(v->entries[i]);
    free(v->entries);
    free(v->leaves);
    free(v->note);
    memset(v, 0, sizeof(*v));
}

static void
get_ok(const char *path, struct http_result *r)
{
    assert_int_equal(http_get(&H, path, r), 0);
    if (r->status != 200)
        fprintf(stderr, "GET %s: %ld %s\n", path, r->status, r->body);
    assert_int_equal(r->status, 200);
}

/* Parse a checkpoint's text: origin, size, root. */
static void
checkpoint_text(const char *note, size_t text_len, long number, int64_t *size,
                struct tlog_hash *root)
{
    char origin[128], b64[64];
    long long n;
    char *text = strndup(note, text_len);
    assert_int_equal(sscanf(text, "%127s\n%lld\n%63s\n", origin, &n, b64), 3);
    char want[128];
    snprintf(want, sizeof(want), "%s/log/%ld", H.base + strlen("http://"), number);
    assert_string_equal(origin, want);
    size_t got = 0;
    assert_int_equal(sodium_base642bin(root->b, sizeof(root->b), b64, strlen(b64), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_int_equal(got, TLOG_HASH_BYTES);
    *size = n;
    free(text);
}

struct leaves {
    const struct tlog_hash *leaf;
};

static void
subtree(const struct tlog_hash *leaf, int64_t lo, int level, struct tlog_hash *out)
{
    if (level == 0) {
        *out = leaf[lo];
        return;
    }
    struct tlog_hash l, r;
    subtree(leaf, lo, level - 1, &l);
    subtree(leaf, lo + ((int64_t)1 << (level - 1)), level - 1, &r);
    tlog_node_hash(&l, &r, out);
}

static int
read_leaves(void *ctx, int level, int64_t index, struct tlog_hash *out)
{
    const struct leaves *l = ctx;
    subtree(l->leaf, index << level, level, out);
    return 0;
}

struct bundle_read {
    struct view *v;
    int64_t first;
};

static void
bundle_entry(void *ctx, int i, const char *entry, size_t len)
{
    struct bundle_read *b = ctx;
    b->v->entries[b->first + i] = strndup(entry, len);
}

/* Read e-petition number's log from its checkpoint down to its entries,
 * check every hash and the signature, and sum what the entries attest. */
static void
view_read(long number, struct view *v)
{
    struct http_result r;
    char path[160];
    size_t text_len;

    memset(v, 0, sizeof(*v));
    get_ok("/log/key", &r);
    assert_true(strchr(r.body, '\n') != NULL);
    assert_int_equal(note_key_parse(r.body, (size_t)(strchr(r.body, '\n') - r.body), &v->key), 0);
    http_result_free(&r);
    snprintf(path, sizeof(path), "/log/%ld/checkpoint", number);
    get_ok(path, &r);
    assert_non_null(strstr(http_header(&r, "Cache-Control"), "max-age=1"));
    assert_true(note_verify(r.body, r.len, &v->key, 1, &text_len));
    v->note = strndup(r.body, r.len);
    v->note_len = r.len;
    checkpoint_text(r.body, text_len, number, &v->size, &v->root);
    http_result_free(&r);

    v->entries = calloc((size_t)v->size + 1, sizeof(*v->entries));
    v->leaves = calloc((size_t)v->size + 1, sizeof(*v->leaves));
    for (int64_t t = 0; t * 256 < v->size; t++) {
        int64_t w = v->size - t * 256 < 256 ? v->size - t * 256 : 256;
        struct strbuf tp;
        struct tlog_tile tile = {.level = -1, .index = t, .width = (int)w};
        sb_init(&tp, NULL);
        tlog_tile_format(&tp, &tile);
        snprintf(path, sizeof(path), "/log/%ld/tile/%s", number, tp.buf);
        get_ok(path, &r);
        assert_non_null(strstr(http_header(&r, "Cache-Control"), "immutable"));
        struct bundle_read br = {v, t * 256};
        assert_int_equal(tlog_bundle_each(r.body, r.len, bundle_entry, &br), w);
        http_result_free(&r);
        tile.level = 0;
        sb_reset(&tp);
        tlog_tile_format(&tp, &tile);
        snprintf(path, sizeof(path), "/log/%ld/tile/%s", number, tp.buf);
        sb_release(&tp);
        get_ok(path, &r);
        assert_int_equal(r.len, (size_t)w * TLOG_HASH_BYTES);
        for (int64_t i = 0; i < w; i++) {
            const char *e = v->entries[t * 256 + i];
            tlog_leaf_hash(e, strlen(e), &v->leaves[t * 256 + i]);
            assert_memory_equal(r.body + i * TLOG_HASH_BYTES, v->leaves[t * 256 + i].b,
                                TLOG_HASH_BYTES);
        }
        http_result_free(&r);
    }
    /* The root from the entries alone is the one signed. */
    struct leaves l = {v->leaves};
    struct tlog_reader rd = {read_leaves, &l};
    struct tlog_hash root;
    assert_int_equal(tlog_tree_hash(v->size, &rd, &root), 0);
    assert_memory_equal(root.b, v->root.b, TLOG_HASH_BYTES);
    for (int64_t i = 0; i < v->size; i++) {
        struct petition_log_entry pe;
        assert_int_equal(petition_log_parse(v->entries[i], strlen(v->entries[i]), &pe), 0);
        v->attested += petition_log_weight(&pe);
    }
    /* A tile past the checkpoint does not exist. */
    snprintf(path, sizeof(path), "/log/%ld/tile/0/%03lld", number, (long long)(v->size / 256 + 1));
    assert_int_equal(http_get(&H, path, &r), 0);
    assert_int_equal(r.status, 404);
    http_result_free(&r);
}

/* Wait (up to 20 s) until e-petition number's checkpoint has size want. */
static bool
checkpoint_reaches(long number, int64_t want)
{
    char path[64];
    snprintf(path, sizeof(path), "/log/%ld/checkpoint", number);
    for (int i = 0; i < 400; i++) {
        struct http_result r;
        if (http_get(&H, path, &r) == 0 && r.status == 200) {
            long long n = -1;
            const char *nl = strchr(r.body, '\n');
            if (nl)
                n = atoll(nl + 1);
            http_result_free(&r);
            if (n >= want)
                return n == want;
        } else if (r.body) {
            http_result_free(&r);
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

static int64_t
checkpoint_size(long number)
{
    char path[64];
    struct http_result r;
    snprintf(path, sizeof(path), "/log/%ld/checkpoint", number);
    get_ok(path, &r);
    long long n = atoll(strchr(r.body, '\n') + 1);
    http_result_free(&r);
    return n;
}

/* ---- the tests ------------------------------------------------------------------------------ */

static void
a_log_starts_from_the_count_it_finds(void **state)
{
    (void)state;
    struct view v;
    /* e-7001 had 498 signatures in Ontario before it had a log. */
    assert_true(checkpoint_reaches(7001, 1));
    view_read(7001, &v);
    assert_int_equal(v.size, 1);
    assert_string_equal(v.entries[0], "import ON 498");
    assert_int_equal(v.attested, api_count(&H, "e-7001", NULL));
    /* The key's name is the site's host; the origin names the petition. */
    assert_string_equal(v.key.name, "127.0.0.1");
    view_free(&v);
    /* No log for what is not an e-petition number. */
    struct http_result r;
    assert_int_equal(http_get(&H, "/log/e-7001/checkpoint", &r), 0);
    assert_int_equal(r.status, 404);
    http_result_free(&r);
    assert_int_equal(http_get(&H, "/log/07001/checkpoint", &r), 0);
    assert_int_equal(r.status, 404);
    http_result_free(&r);
}

/* r's header lines but Date (the clock's), each ending in '\n'; malloc'd. */
static char *
headers_but_date(const struct http_result *r)
{
    struct strbuf sb;
    sb_init(&sb, NULL);
    for (const char *p = r->headers; *p;) {
        size_t n = strcspn(p, "\r\n");
        if (n && strncasecmp(p, "Date:", 5) != 0) {
            sb_add(&sb, p, n);
            sb_addch(&sb, '\n');
        }
        p += n;
        p += strspn(p, "\r\n");
    }
    char *out = strndup(sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
    return out;
}

/*
 * A tile and an entry bundle are immutable: the server keeps the response
 * it made for them and sends it again as it is (http/cache.h, Ready
 * answers).  Every answer, the handler's, the first from memory and those
 * from the kept response, has the same bytes and the same headers (the
 * date aside); HEAD the same headers without the body; If-None-Match
 * still a 304.
 */
static void
a_tile_sent_again_is_the_same_bytes_and_headers(void **state)
{
    (void)state;
    assert_true(checkpoint_reaches(7001, 1));
    const char *paths[] = {"/log/7001/tile/0/000.p/1", "/log/7001/tile/entries/000.p/1"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct http_result first, r;
        get_ok(paths[i], &first);
        char *want = headers_but_date(&first);
        assert_string_equal(http_header(&first, "Cache-Control"),
                            "public, max-age=31536000, immutable");
        assert_string_equal(http_header(&first, "Content-Type"), "application/octet-stream");
        assert_string_equal(http_header(&first, "X-Content-Type-Options"), "nosniff");
        assert_string_equal(http_header(&first, "Access-Control-Allow-Origin"), "*");
        assert_non_null(http_header(&first, "Permissions-Policy"));
        assert_non_null(http_header(&first, "Date"));
        char *etag = strdup(http_header(&first, "ETag"));
        for (int k = 0; k < 6; k++) {
            get_ok(paths[i], &r);
            assert_int_equal(r.len, first.len);
            assert_memory_equal(r.body, first.body, first.len);
            char *got = headers_but_date(&r);
            assert_string_equal(got, want);
            assert_non_null(http_header(&r, "Date"));
            free(got);
            http_result_free(&r);
            assert_int_equal(http_request(&H, "HEAD", paths[i], NULL, 0, NULL, &r), 0);
            assert_int_equal(r.status, 200);
            assert_int_equal(r.len, 0);
            got = headers_but_date(&r);
            assert_string_equal(got, want);
            free(got);
            http_result_free(&r);
        }
        char inm[128];
        snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
        const char *h[] = {inm, NULL};
        assert_int_equal(http_request(&H, "GET", paths[i], NULL, 0, h, &r), 0);
        assert_int_equal(r.status, 304);
        assert_int_equal(r.len, 0);
        http_result_free(&r);
        free(etag);
        free(want);
        http_result_free(&first);
    }
}

/* Check a receipt as its signer would, against the key. */
static void
receipt_holds(const char *path, const struct view *v, int64_t *index)
{
    struct http_result r;
    struct tlog_proof p;
    uint8_t nonce[64];
    size_t text_len;
    get_ok(path, &r);
    assert_non_null(strstr(http_header(&r, "Cache-Control"), "no-store"));
    assert_int_equal(tlog_proof_parse(r.body, r.len, nonce, sizeof(nonce), &p), 0);
    assert_int_equal(p.extra_len, PETITION_LOG_NONCE_BYTES);
    assert_true(note_verify(p.checkpoint, p.checkpoint_len, &v->key, 1, &text_len));
    int64_t size;
    struct tlog_hash root;
    checkpoint_text(p.checkpoint, text_len, 7003, &size, &root);
    assert_true(p.index < size && size <= v->size);
    /* The entry at its index commits to its nonce. */
    struct petition_log_entry pe;
    const char *entry = v->entries[p.index];
    assert_int_equal(petition_log_parse(entry, strlen(entry), &pe), 0);
    assert_int_equal(pe.kind, PETITION_LOG_SIG);
    char c[PETITION_LOG_COMMITMENT_HEX + 1];
    petition_log_commitment(nonce, c);
    assert_string_equal(pe.commitment, c);
    struct tlog_hash leaf;
    tlog_leaf_hash(entry, strlen(entry), &leaf);
    assert_true(tlog_check_record(p.hashes, p.n, size, &root, p.index, &leaf));
    /* Another entry is not proven by it. */
    if (p.index > 0) {
        const char *other = v->entries[p.index - 1];
        tlog_leaf_hash(other, strlen(other), &leaf);
        assert_false(tlog_check_record(p.hashes, p.n, size, &root, p.index, &leaf));
    }
    *index = p.index;
    http_result_free(&r);
}

static char *receipts[3];

static void
signatures_are_logged_and_each_receipt_proves_one(void **state)
{
    (void)state;
    struct view v;
    const char *who[] = {"ada@log.example", "bea@log.example", "cy@elsewhere.example"};
    const char *where[] = {"ON", "QC", "ON"};
    assert_true(checkpoint_reaches(7003, 0));
    for (int i = 0; i < 3; i++) {
        sign("e-7003", who[i], where[i]);
        receipts[i] = confirm(who[i]);
    }
    assert_true(checkpoint_reaches(7003, 3));
    view_read(7003, &v);
    assert_int_equal(v.attested, 3);
    assert_int_equal(api_count(&H, "e-7003", NULL), 3);
    for (int i = 0; i < 3; i++) {
        /* "sig <Eastern day> <region> <commitment>", no personal data. */
        assert_int_equal(strncmp(v.entries[i], "sig 20", 6), 0);
        assert_null(strstr(v.entries[i], "log.example"));
        assert_null(strstr(v.entries[i], "Tester"));
    }
    int64_t seen = 0;
    for (int i = 0; i < 3; i++) {
        int64_t index;
        receipt_holds(receipts[i], &v, &index);
        assert_true(strstr(v.entries[index], where[i]) != NULL);
        seen |= (int64_t)1 << index;
    }
    assert_int_equal(seen, 7); /* three receipts, three entries */
    /* A receipt link with another token is refused. */
    char forged[256];
    snprintf(forged, sizeof(forged), "%s", receipts[0]);
    char *tok = strrchr(forged, '/') + 1;
    tok[0] = tok[0] == 'A' ? 'B' : 'A';
    struct http_result r;
    assert_int_equal(http_get(&H, forged, &r), 0);
    assert_int_equal(r.status, 404);
    http_result_free(&r);
    view_free(&v);
}

static void
an_invalidation_voids_its_entry_and_keeps_the_log_consistent(void **state)
{
    (void)state;
    struct view before, after;
    struct browser b;
    struct http_result r;
    char form[512];

    view_read(7003, &before);
    int64_t index;
    receipt_holds(receipts[2], &before, &index);
    browser_init(&b, &H);
    assert_int_equal(web_sign_in(&b, "clerk@petitions.test", "petitions-demo"), 303);
    assert_int_equal(web_get(&b, "/en/clerk/signatures/e-7003", &r), 0);
    http_result_free(&r);
    snprintf(form, sizeof(form),
             "action=bulk_invalidate&bulk=invalidate&confirm=yes&expected=1&reason=%s&domain="
             "elsewhere.example"
             "&network=&postal_prefix=&from=&to=&state=",
             form_enc("not an elector"));
    assert_int_equal(web_post(&b, "/en/clerk/signatures/e-7003", form, true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);
    assert_int_equal(api_count(&H, "e-7003", NULL), 2);

    assert_true(checkpoint_reaches(7003, before.size + 1));
    view_read(7003, &after);
    char want[64];
    snprintf(want, sizeof(want), "void %lld clerk", (long long)index);
    assert_string_equal(after.entries[before.size], want);
    assert_int_equal(after.attested, 2);
    /* The tree signed before is the start of today's. */
    struct leaves l = {after.leaves};
    struct tlog_reader rd = {read_leaves, &l};
    struct tlog_hash then;
    assert_int_equal(tlog_tree_hash(before.size, &rd, &then), 0);
    assert_memory_equal(then.b, before.root.b, TLOG_HASH_BYTES);
    /* And the server's own consistency proof says so too, checked
     * against both roots. */
    struct tlog_hash proof[TLOG_MAX_PROOF];
    int n;
    assert_int_equal(tlog_prove_tree(after.size, before.size, &rd, proof, &n), 0);
    assert_true(tlog_check_tree(proof, n, after.size, &after.root, before.size, &before.root));
    /* The invalidated signature has no receipt any more. */
    assert_int_equal(http_get(&H, receipts[2], &r), 0);
    assert_int_equal(r.status, 404);
    assert_true(body_has(&r, "does not count"));
    http_result_free(&r);
    view_free(&before);
    view_free(&after);
}

static void
the_command_line_checks_a_log_from_outside(void **state)
{
    (void)state;
    char saved[400], *out = NULL;
    snprintf(saved, sizeof(saved), "%s/checkpoint.txt", H.dir);
    const char *verify[] = {harness_binary(), "log",    "verify", H.base,
                            "7003",           "--save", saved,    NULL};
    assert_int_equal(harness_run(verify, &out), 0);
    assert_non_null(strstr(out, "everything holds"));
    assert_non_null(strstr(out, "3 signatures, 1 voided, 0 imports: they attest 2"));
    assert_non_null(strstr(out, "count: the API shows 2"));
    free(out);
    /* One more signature: the saved checkpoint is the start of the new. */
    sign("e-7003", "eve@log.example", "ON");
    free(confirm("eve@log.example"));
    assert_true(checkpoint_reaches(7003, 5));
    const char *since[] = {harness_binary(), "log",     "verify", H.base,
                           "e-7003",         "--since", saved,    NULL};
    assert_int_equal(harness_run(since, &out), 0);
    assert_non_null(strstr(out, "since: the checkpoint of 4 entries is the start of this one"));
    free(out);
    /* A key the site does not sign with: nothing verified. */
    struct note_key other;
    struct strbuf line;
    sb_init(&line, NULL);
    assert_int_equal(note_key_generate("127.0.0.1", &other), 0);
    note_key_verifier(&line, &other);
    const char *wrong[] = {harness_binary(), "log",   "verify", H.base,
                           "7003",           "--key", line.buf, NULL};
    assert_int_equal(harness_run(wrong, &out), 1);
    assert_non_null(strstr(out, "NOT VERIFIED"));
    free(out);
    sb_release(&line);
    /* A log that does not exist. */
    const char *none[] = {harness_binary(), "log", "verify", H.base, "99999", NULL};
    assert_int_equal(harness_run(none, &out), 1);
    free(out);
}

/* Write r's body to path. */
static void
save_body(const struct http_result *r, const char *path)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(r->body, 1, r->len, fp), r->len);
    fclose(fp);
}

static void
an_implementation_we_did_not_write_agrees(void **state)
{
    (void)state;
    /* Go's sumdb/note and sumdb/tlog, through tests/interop/tlogcheck,
     * built beside the petitiond under test when Go is installed. */
    char checker[600], receipt[400], since[400], *out = NULL;
    snprintf(checker, sizeof(checker), "%s", harness_binary());
    char *slash = strrchr(checker, '/');
    snprintf(slash ? slash + 1 : checker,
             sizeof(checker) - (size_t)(slash ? slash + 1 - checker : 0), "interop/tlogcheck");
    if (access(checker, X_OK) != 0) {
        fprintf(stderr, "no %s (Go is not installed): skipped\n", checker);
        skip();
        return;
    }
    struct http_result r;
    snprintf(receipt, sizeof(receipt), "%s/ada.tlog-proof", H.dir);
    snprintf(since, sizeof(since), "%s/checkpoint.txt", H.dir); /* saved by the test before */
    get_ok(receipts[0], &r);
    save_body(&r, receipt);
    http_result_free(&r);
    char count[32];
    snprintf(count, sizeof(count), "%lld", (long long)api_count(&H, "e-7003", NULL));
    const char *args[] = {checker,  "-receipt", receipt, "-since", since,
                          "-count", count,      H.base,  "7003",   NULL};
    int status = harness_run_program(args, &out);
    if (status != 0)
        fprintf(stderr, "%s\n", out ? out : "");
    assert_int_equal(status, 0);
    free(out);
    /* And it refuses a receipt of another signature's entry. */
    get_ok(receipts[1], &r);
    char *index = strstr(r.body, "\nindex ");
    assert_non_null(index);
    index[7] = index[7] == '0' ? '1' : '0';
    save_body(&r, receipt);
    http_result_free(&r);
    const char *bad[] = {checker, "-receipt", receipt, H.base, "7003", NULL};
    assert_int_not_equal(harness_run_program(bad, &out), 0);
    free(out);
}

/* The API's JSON of e-petition number (json_decref() it). */
static json_t *
petition_json(const char *number)
{
    char path[96];
    struct http_result r;
    snprintf(path, sizeof(path), "/api/v1/petitions/%s", number);
    get_ok(path, &r);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    http_result_free(&r);
    return j;
}

/* Fail unless the page at path names checkpoint size with root (base64),
 * links to the log's checkpoint and to the page that checks it, in lang. */
static void
page_names_checkpoint(const char *path, const char *lang, int64_t size, const char *root)
{
    struct http_result r;
    char want[160];
    get_ok(path, &r);
    snprintf(want, sizeof(want), "%s %lld</a>",
             strcmp(lang, "fr") == 0 ? "point de contrôle" : "checkpoint", (long long)size);
    if (!body_has(&r, want))
        fprintf(stderr, "%s: no \"%s\" in\n%s\n", path, want, r.body);
    assert_true(body_has(&r, want));
    assert_true(body_has(&r, strcmp(lang, "fr") == 0 ? "Le nombre certifié repose sur"
                                                     : "The certified count stands on"));
    snprintf(want, sizeof(want), "<code class=\"hash\">%s</code>", root);
    assert_true(body_has(&r, want));
    assert_true(body_has(&r, "href=\"/log/6390/checkpoint\""));
    snprintf(want, sizeof(want), "href=\"/%s/verify\"", lang);
    assert_true(body_has(&r, want));
    http_result_free(&r);
}

static void
certification_names_the_checkpoint_its_count_stands_on(void **state)
{
    (void)state;
    struct browser b;
    struct http_result r;
    struct view before, after;
    char want[256];

    /* e-6390 (812 signatures, closed two days ago) has its log, made by
     * the signer with one import per region, and is in the certification
     * queue once its grace is over. */
    browser_init(&b, &H);
    assert_int_equal(web_sign_in(&b, "clerk@petitions.test", "petitions-demo"), 303);
    bool queued = false;
    for (int i = 0; i < 400 && !queued; i++) {
        assert_int_equal(web_get(&b, "/en/clerk/signatures/e-6390", &r), 0);
        queued = body_has(&r, "Certify this petition");
        http_result_free(&r);
        struct timespec ts = {0, 50 * 1000000L};
        if (!queued)
            nanosleep(&ts, NULL);
    }
    assert_true(queued);
    assert_true(checkpoint_reaches(6390, 12));
    view_read(6390, &before);
    /* Not certified yet: the API names no certified checkpoint. */
    json_t *j = petition_json("e-6390");
    json_t *log = json_object_get(j, "log");
    snprintf(want, sizeof(want), "%s/log/6390/checkpoint", H.base);
    assert_string_equal(json_string_value(json_object_get(log, "checkpoint")), want);
    assert_true(json_is_null(json_object_get(log, "certified")));
    json_decref(j);

    assert_int_equal(
        web_post(&b, "/en/clerk/signatures/e-6390", "action=certify&confirm=yes", true, &r), 0);
    assert_int_equal(r.status, 303);
    http_result_free(&r);

    /* The API names the checkpoint once it is signed (within a second). */
    json_t *certified = NULL;
    for (int i = 0; i < 400 && !certified; i++) {
        j = petition_json("e-6390");
        assert_string_equal(json_string_value(json_object_get(j, "status")), "certified");
        certified = json_object_get(json_object_get(j, "log"), "certified");
        if (json_is_object(certified))
            json_incref(certified);
        else
            certified = NULL;
        json_decref(j);
        struct timespec ts = {0, 50 * 1000000L};
        if (!certified)
            nanosleep(&ts, NULL);
    }
    assert_non_null(certified);
    int64_t size = json_integer_value(json_object_get(certified, "size"));
    int64_t count = json_integer_value(json_object_get(certified, "count"));
    char root[64];
    snprintf(root, sizeof(root), "%s", json_string_value(json_object_get(certified, "root")));
    json_decref(certified);

    /* Its size is the log's at certification (nothing was added since);
     * the root is the one the entries give; the count the entries attest
     * is the certified count. */
    view_read(6390, &after);
    assert_int_equal(size, before.size);
    assert_int_equal(after.size, before.size);
    char b64[sodium_base64_ENCODED_LEN(TLOG_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), after.root.b, TLOG_HASH_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    assert_string_equal(root, b64);
    assert_int_equal(after.attested, 812);
    assert_int_equal(count, after.attested);
    assert_int_equal(api_count(&H, "e-6390", NULL), after.attested);

    /* The certificate and the petition's page, in both languages. */
    const char *lang[] = {"en", "fr"};
    for (int l = 0; l < 2; l++) {
        char path[96];
        snprintf(path, sizeof(path), "/%s/petitions/e-6390/certificate", lang[l]);
        page_names_checkpoint(path, lang[l], size, root);
        snprintf(path, sizeof(path), "/%s/petitions/e-6390", lang[l]);
        page_names_checkpoint(path, lang[l], size, root);
    }

    /* The CSV: the size and the root in hex, in the row of e-6390. */
    char hex[2 * TLOG_HASH_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), after.root.b, TLOG_HASH_BYTES);
    get_ok("/api/v1/petitions.csv", &r);
    assert_true(body_has(&r, ",certified_log_size,certified_log_root_hex\r\n"));
    const char *row = strstr(r.body, "\r\ne-6390,");
    assert_non_null(row);
    snprintf(want, sizeof(want), "/en/petitions/e-6390,%lld,%s\r\n", (long long)size, hex);
    const char *end = strstr(row + 2, "\r\n");
    assert_non_null(end);
    assert_true(strstr(row, want) != NULL && strstr(row, want) + strlen(want) == end + 2);
    http_result_free(&r);

    /* The XML, in both languages, valid against the schema. */
    for (int l = 0; l < 2; l++) {
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/petitions/e-6390.xml?lang=%s", lang[l]);
        get_ok(path, &r);
        assert_xml_valid(&r, "data/schema/petitions.xsd", path);
        xmlDocPtr doc = xml_parse(&r, path);
        http_result_free(&r);
        snprintf(want, sizeof(want), "%lld", (long long)size);
        assert_xp_equal(doc, "/ArrayOfPetition/Petition/CertifiedCheckpoint/@Size", want);
        assert_xp_equal(doc, "/ArrayOfPetition/Petition/CertifiedCheckpoint/@Root", root);
        assert_xp_equal(doc, "/ArrayOfPetition/Petition/CertifiedCheckpoint/@SignatureCount",
                        "812");
        snprintf(want, sizeof(want), "%s/log/6390/checkpoint", H.base);
        assert_xp_equal(doc, "/ArrayOfPetition/Petition/CertifiedCheckpoint/@Url", want);
        xmlFreeDoc(doc);
    }
    view_free(&before);
    view_free(&after);
}

static void
a_database_restored_from_a_backup_is_not_signed_again(void **state)
{
    (void)state;
    if (harness_db_is_postgresql()) {
        skip(); /* a file copy of the database: SQLite's (pg_dump's restore is the same case) */
        return;
    }
    char copy[400], path[420];
    snprintf(copy, sizeof(copy), "%s/before.db", H.dir);
    sign("e-7004", "first@restore.example", "ON");
    free(confirm("first@restore.example"));
    assert_true(checkpoint_reaches(7004, 1));
    char *out = NULL;
    const char *backup[] = {harness_binary(), "backup", "--db", H.db, "--to", copy, NULL};
    assert_int_equal(harness_run(backup, &out), 0);
    free(out);
    /* Two more, signed: the checkpoint at 3 is published. */
    sign("e-7004", "second@restore.example", "ON");
    free(confirm("second@restore.example"));
    sign("e-7004", "third@restore.example", "ON");
    free(confirm("third@restore.example"));
    assert_true(checkpoint_reaches(7004, 3));

    /* The database goes back to the backup (one entry, its checkpoint at
     * 1); the key and what it signed stay.  The site keeps its address. */
    static char base[64];
    snprintf(base, sizeof(base), "%s", H.base);
    harness_kill(&H);
    assert_int_equal(rename(copy, H.db), 0);
    snprintf(path, sizeof(path), "%s-wal", H.db);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", H.db);
    unlink(path);
    static const char *args[3];
    args[0] = "--base-url";
    args[1] = base;
    H.serve_args = args;
    assert_int_equal(harness_kill_restart(&H), 0);
    assert_int_equal(checkpoint_size(7004), 1);
    /* Three others sign: the log grows past 3 with other entries. */
    sign("e-7004", "fourth@restore.example", "ON");
    free(confirm("fourth@restore.example"));
    sign("e-7004", "fifth@restore.example", "ON");
    free(confirm("fifth@restore.example"));
    sign("e-7004", "sixth@restore.example", "ON");
    free(confirm("sixth@restore.example"));
    assert_int_equal(api_count(&H, "e-7004", NULL), 4);
    /* The server says why it signs nothing, and nothing is signed. */
    bool said = false;
    for (int i = 0; i < 400 && !said; i++) {
        char *log = harness_log(&H);
        said = log && strstr(log, "are not those signed before") != NULL;
        free(log);
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_true(said);
    assert_int_equal(checkpoint_size(7004), 1);
    /* Another log of the same database is signed as before. */
    sign("e-7003", "dee@log.example", "ON");
    free(confirm("dee@log.example"));
    assert_true(checkpoint_reaches(7003, 6));
}

/* ---- the server --------------------------------------------------------------------------- */

static int
setup(void **state)
{
    (void)state;
    if (sodium_init() < 0 || harness_start_with(&H, "tests/integration/data/signing.json", true))
        return -1;
    harness_set_clock(&H, (int64_t)time(NULL));
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        free(receipts[i]);
    return harness_stop(&H) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_log_starts_from_the_count_it_finds),
        cmocka_unit_test(a_tile_sent_again_is_the_same_bytes_and_headers),
        cmocka_unit_test(signatures_are_logged_and_each_receipt_proves_one),
        cmocka_unit_test(an_invalidation_voids_its_entry_and_keeps_the_log_consistent),
        cmocka_unit_test(the_command_line_checks_a_log_from_outside),
        cmocka_unit_test(an_implementation_we_did_not_write_agrees),
        cmocka_unit_test(certification_names_the_checkpoint_its_count_stands_on),
        cmocka_unit_test(a_database_restored_from_a_backup_is_not_signed_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
