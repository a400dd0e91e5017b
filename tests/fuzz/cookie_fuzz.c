/*
 * cookie_fuzz.c: libFuzzer target for what petitiond does with the values
 * of cookies and link tokens (src/lib/token.c).
 *
 * libmicrohttpd splits the Cookie header; petitiond hashes the session
 * cookie's value (token_hash), compares the CSRF cookie with the form's
 * field (token_equal) and checks a link's MAC (token_check).  The input
 * is split at its first NUL into a cookie value and a second string.
 * Invariants: token_equal() is strcmp() == 0; a token is accepted for a
 * message exactly when it is that message's MAC; equal secrets hash
 * alike; a key is read only from 64 hex digits.
 */
#include <assert.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/token.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char key[TOKEN_KEY_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static bool ready;
    if (!ready) {
        assert(sodium_init() >= 0);
        ready = true;
    }
    char *a = malloc(size + 2);
    assert(a);
    memcpy(a, data, size);
    a[size] = '\0';
    a[size + 1] = '\0';
    const char *b = a + strlen(a) + 1; /* "" when there is no NUL */

    assert(token_equal(a, b) == (strcmp(a, b) == 0));
    assert(token_equal(a, a));

    char mac[TOKEN_MAC_CHARS + 1];
    token_mac(key, b, mac);
    assert(strlen(mac) == TOKEN_MAC_CHARS);
    assert(token_check(key, b, mac));
    assert(token_check(key, b, a) == (strcmp(a, mac) == 0));

    unsigned char h1[TOKEN_HASH_BYTES], h2[TOKEN_HASH_BYTES];
    token_hash(a, h1);
    token_hash(a, h2);
    assert(memcmp(h1, h2, sizeof(h1)) == 0);

    unsigned char k[TOKEN_KEY_BYTES];
    if (token_key_from_hex(a, k) == 0)
        assert(strlen(a) == 2 * TOKEN_KEY_BYTES);
    free(a);
    return 0;
}
