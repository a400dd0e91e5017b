/*
 * note.c: signed notes with Ed25519 keys; see note.h.
 *
 * What is read here comes from outside (a checkpoint fetched from a
 * server, a receipt a signer uploads, a key an operator pastes), so it is
 * read strictly, as C2SP signed-note says and as Go's sumdb/note reads
 * it: valid UTF-8 without control characters but the newline, the text
 * split from the signatures at the last blank line, every signature line
 * well-formed (even those of keys we do not know), at most 100 of them,
 * and a signature of a known key that fails rejects the whole note.
 */
#include "lib/note.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

#include "lib/base64.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/banned.h"

enum {
    ALG_ED25519 = 0x01,
    MAX_SIGNATURES = 100,
    /* The longest signature line's signature read (decoded): room for
     * post-quantum signatures of other keys, which are skipped. */
    SIG_BYTES_MAX = 8192,
};

static const char signer_prefix[] = "PRIVATE+KEY+";
static const char dash[] = "\xe2\x80\x94 "; /* U+2014 and a space */

/* Go's unicode.IsSpace: the ASCII spaces, U+0085, U+00A0 and Unicode's
 * other White_Space characters. */
static bool
is_space(unsigned cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200a;
    }
}

/* Whether the len bytes at s are a key name: non-empty UTF-8 of at most
 * NOTE_NAME_MAX bytes, without spaces, '+' or control characters. */
static bool
name_valid(const char *s, size_t len)
{
    if (len == 0 || len > NOTE_NAME_MAX || !utf8_valid(s, len) || utf8_has_controls(s, len, false))
        return false;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0 || cp == '+' || cp < 0x20 || is_space(cp))
            return false;
        i += n;
    }
    return true;
}

/* The key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), first four bytes
 * big-endian. */
static uint32_t
key_id(const char *name, const uint8_t pub[NOTE_PUBLIC_BYTES])
{
    crypto_hash_sha256_state st;
    unsigned char sum[crypto_hash_sha256_BYTES];
    static const unsigned char sep[2] = {'\n', ALG_ED25519};
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
    crypto_hash_sha256_update(&st, sep, 2);
    crypto_hash_sha256_update(&st, pub, NOTE_PUBLIC_BYTES);
    crypto_hash_sha256_final(&st, sum);
    return (uint32_t)sum[0] << 24 | (uint32_t)sum[1] << 16 | (uint32_t)sum[2] << 8 | sum[3];
}

int
note_key_generate(const char *name, struct note_key *out)
{
    size_t len = strlen(name);
    memset(out, 0, sizeof(*out));
    if (!name_valid(name, len))
        return -1;
    memcpy(out->name, name, len + 1);
    crypto_sign_keypair(out->public_key, out->secret_key);
    out->has_secret = true;
    out->id = key_id(out->name, out->public_key);
    return 0;
}

/* "<name>+<id>+<base64(0x01 ‖ key)>", key the public key or the seed. */
static void
add_key(struct strbuf *out, const struct note_key *k, const uint8_t key[32])
{
    uint8_t buf[1 + 32];
    buf[0] = ALG_ED25519;
    memcpy(buf + 1, key, 32);
    sb_addf(out, "%s+%08x+", k->name, (unsigned)k->id);
    base64_add(out, buf, sizeof(buf));
    sodium_memzero(buf, sizeof(buf));
}

void
note_key_verifier(struct strbuf *out, const struct note_key *k)
{
    add_key(out, k, k->public_key);
}

void
note_key_signer(struct strbuf *out, const struct note_key *k)
{
    assert(k->has_secret);
    sb_adds(out, signer_prefix);
    add_key(out, k, k->secret_key); /* libsodium's secret key opens with the seed */
}

/* Eight lowercase hex digits, as Go writes them. */
static int
read_hex32(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        int d;
        if (s[i] >= '0' && s[i] <= '9')
            d = s[i] - '0';
        else if (s[i] >= 'a' && s[i] <= 'f')
            d = s[i] - 'a' + 10;
        else
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

int
note_key_parse(const char *line, size_t len, struct note_key *out)
{
    struct note_key k;
    uint8_t bin[1 + 32];
    size_t n = 0;
    int rc = -1;
    bool secret = false;
    memset(&k, 0, sizeof(k));
    memset(out, 0, sizeof(*out));
    if (len > 0 && line[len - 1] == '\n')
        len--;
    if (len >= sizeof(signer_prefix) - 1 &&
        memcmp(line, signer_prefix, sizeof(signer_prefix) - 1) == 0) {
        secret = true;
        line += sizeof(signer_prefix) - 1;
        len -= sizeof(signer_prefix) - 1;
    }
    const char *plus = memchr(line, '+', len);
    if (!plus || !name_valid(line, (size_t)(plus - line)))
        goto out;
    size_t name_len = (size_t)(plus - line);
    memcpy(k.name, line, name_len);
    const char *rest = plus + 1;
    size_t rest_len = len - name_len - 1;
    /* 8 hex digits, '+', then 44 characters of base64 for 33 bytes. */
    if (rest_len != 8 + 1 + 44 || rest[8] != '+' || read_hex32(rest, &k.id))
        goto out;
    if (base64_decode(rest + 9, 44, bin, sizeof(bin), &n) || n != sizeof(bin) ||
        bin[0] != ALG_ED25519)
        goto out;
    if (secret) {
        if (crypto_sign_seed_keypair(k.public_key, k.secret_key, bin + 1))
            goto out;
        k.has_secret = true;
    } else {
        memcpy(k.public_key, bin + 1, NOTE_PUBLIC_BYTES);
    }
    if (key_id(k.name, k.public_key) != k.id)
        goto out;
    *out = k;
    rc = 0;
out:
    sodium_memzero(bin, sizeof(bin));
    sodium_memzero(&k, sizeof(k));
    return rc;
}

void
note_sign(struct strbuf *out, const char *text, size_t len, const struct note_key *k)
{
    uint8_t sig[4 + NOTE_SIGNATURE_BYTES];
    assert(k->has_secret && len > 0 && text[len - 1] == '\n');
    sig[0] = (uint8_t)(k->id >> 24);
    sig[1] = (uint8_t)(k->id >> 16);
    sig[2] = (uint8_t)(k->id >> 8);
    sig[3] = (uint8_t)k->id;
    crypto_sign_detached(sig + 4, NULL, (const unsigned char *)text, len, k->secret_key);
    sb_add(out, text, len);
    sb_addch(out, '\n');
    sb_adds(out, dash);
    sb_adds(out, k->name);
    sb_addch(out, ' ');
    base64_add(out, sig, sizeof(sig));
    sb_addch(out, '\n');
}

/* Where the last "\n\n" of the len bytes at s starts, or -1. */
static long long
last_blank_line(const char *s, size_t len)
{
    for (size_t i = len; i >= 2; i--)
        if (s[i - 1] == '\n' && s[i - 2] == '\n')
            return (long long)(i - 2);
    return -1;
}

bool
note_verify(const char *note, size_t len, const struct note_key *keys, int nkeys, size_t *text_len)
{
    static const size_t dash_len = sizeof(dash) - 1;
    if (!utf8_valid(note, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)note[i] < 0x20 && note[i] != '\n')
            return false;
    long long split = last_blank_line(note, len);
    if (split < 0)
        return false;
    size_t tlen = (size_t)split + 1;
    const char *p = note + tlen + 1, *end = note + len;
    if (p == end || end[-1] != '\n')
        return false;

    bool verified = false;
    int count = 0;
    uint8_t sig[SIG_BYTES_MAX];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line = p;
        size_t l = (size_t)(nl - p);
        p = nl + 1;
        if (++count > MAX_SIGNATURES || l < dash_len || memcmp(line, dash, dash_len) != 0)
            return false;
        line += dash_len;
        l -= dash_len;
        const char *sp = memchr(line, ' ', l);
        if (!sp)
            return false;
        size_t name_len = (size_t)(sp - line);
        const char *b64 = sp + 1;
        size_t b64_len = l - name_len - 1;
        size_t n = 0;
        if (!name_valid(line, name_len) || base64_decode(b64, b64_len, sig, sizeof(sig), &n) ||
            n < 5)
            return false;
        uint32_t id =
            (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 | (uint32_t)sig[2] << 8 | sig[3];
        /* A known key's signature (name and id both match) must verify;
         * any other line is skipped. */
        bool known = false, good = false;
        for (int i = 0; i < nkeys; i++) {
            if (keys[i].id != id || strlen(keys[i].name) != name_len ||
                memcmp(keys[i].name, line, name_len) != 0)
                continue;
            known = true;
            if (n == 4 + NOTE_SIGNATURE_BYTES &&
                crypto_sign_verify_detached(sig + 4, (const unsigned char *)note, tlen,
                                            keys[i].public_key) == 0)
                good = true;
        }
        if (known && !good)
            return false;
        verified = verified || good;
    }
    if (verified && text_len)
        *text_len = tlen;
    return verified;
}
