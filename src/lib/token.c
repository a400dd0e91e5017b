/*
 * token.c: link MACs, random ids and their hashes; see token.h.
 */
#include "lib/token.h"

#include <sodium.h>
#include <string.h>

#include "lib/banned.h"

void
token_mac(const unsigned char key[TOKEN_KEY_BYTES], const char *msg, char out[TOKEN_MAC_CHARS + 1])
{
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
    sodium_bin2base64(out, TOKEN_MAC_CHARS + 1, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
token_mac_bytes(const unsigned char key[TOKEN_KEY_BYTES], const char *msg,
                unsigned char out[TOKEN_KEY_BYTES])
{
    crypto_auth(out, (const unsigned char *)msg, strlen(msg), key);
}

bool
token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

bool
token_check(const unsigned char key[TOKEN_KEY_BYTES], const char *msg, const char *token)
{
    char want[TOKEN_MAC_CHARS + 1];
    if (!token)
        return false;
    token_mac(key, msg, want);
    return token_equal(want, token);
}

void
token_random_hex(char *out, size_t nbytes)
{
    unsigned char buf[64];
    if (nbytes > sizeof(buf))
        nbytes = sizeof(buf);
    randombytes_buf(buf, nbytes);
    sodium_bin2hex(out, 2 * nbytes + 1, buf, nbytes);
}

void
token_hash(const char *secret, unsigned char out[TOKEN_HASH_BYTES])
{
    crypto_generichash(out, TOKEN_HASH_BYTES, (const unsigned char *)secret, strlen(secret), NULL,
                       0);
}

int
token_key_from_hex(const char *hex, unsigned char key[TOKEN_KEY_BYTES])
{
    size_t n = 0;
    if (!hex || strlen(hex) != 2 * TOKEN_KEY_BYTES)
        return -1;
    if (sodium_hex2bin(key, TOKEN_KEY_BYTES, hex, 2 * TOKEN_KEY_BYTES, NULL, &n, NULL) != 0 ||
        n != TOKEN_KEY_BYTES)
        return -1;
    return 0;
}
