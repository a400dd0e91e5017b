/*
 * token.h: secrets in links and cookies (libsodium).
 *
 * Links we e-mail carry a MAC of what they authorise (purpose, record id,
 * expiry, ...) under the server's key, so nothing about them is stored
 * and a leaked database holds no live link.  Session cookies are random;
 * only their hash is stored.  sodium_init() must have run (main does).
 */
#ifndef PETITIOND_TOKEN_H
#define PETITIOND_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

enum {
    TOKEN_KEY_BYTES = 32,
    TOKEN_MAC_CHARS = 43, /* base64url of 32 bytes, no padding */
    TOKEN_HASH_BYTES = 32,
};

/* The MAC (HMAC-SHA-512/256) of msg under key, base64url without padding,
 * in out[TOKEN_MAC_CHARS + 1]. */
void token_mac(const unsigned char key[TOKEN_KEY_BYTES], const char *msg,
               char out[TOKEN_MAC_CHARS + 1]);

/* The same MAC as raw bytes, in out[TOKEN_KEY_BYTES]: a secret derived
 * from the key (the nonce of a signer's log receipt). */
void token_mac_bytes(const unsigned char key[TOKEN_KEY_BYTES], const char *msg,
                     unsigned char out[TOKEN_KEY_BYTES]);

/* True when token is the MAC of msg (compared in constant time). */
bool token_check(const unsigned char key[TOKEN_KEY_BYTES], const char *msg, const char *token);

/* nbytes random bytes as lower-case hex in out[2 * nbytes + 1]. */
void token_random_hex(char *out, size_t nbytes);

/* A hash of a secret (a session id) for storage. */
void token_hash(const char *secret, unsigned char out[TOKEN_HASH_BYTES]);

/* Decode 2 * TOKEN_KEY_BYTES hex characters into key.  Returns 0 or -1. */
int token_key_from_hex(const char *hex, unsigned char key[TOKEN_KEY_BYTES]);

/* Equal strings, compared in time independent of where they differ
 * (lengths are not secret). */
bool token_equal(const char *a, const char *b);

#endif
