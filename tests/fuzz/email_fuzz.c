/*
 * email_fuzz.c: libFuzzer target for e-mail addresses and their keys
 * (src/core/email.c).
 *
 * Invariants: only a valid address has a key; the key of a valid address
 * is in lower case, and its own key (idempotent) when it is itself a
 * valid address; the
 * account key is the address in lower case, its own account key, and has
 * the same e-mail key as the address.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/email.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
lower(const char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            return false;
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char key[EMAIL_MAX + 1], key2[EMAIL_MAX + 1], acct[EMAIL_MAX + 1], acct2[EMAIL_MAX + 1];
    bool valid = email_valid(s, size);
    int k = email_key(s, size, key);
    int a = email_account_key(s, size, acct);
    if (!valid) {
        assert(k != 0 && a != 0);
        return 0;
    }
    assert(k == 0 && a == 0);

    /* The key is in lower case with one '@', and its own key when it is
     * an address we accept.  It need not be one: the key of
     * "a.+tag@example.org" is "a.@example.org" (a local part ending in a
     * dot; found by this target), a key that only that mailbox has. */
    assert(lower(key));
    const char *at = strchr(key, '@');
    assert(at && at > key && !strchr(at + 1, '@'));
    if (email_valid(key, strlen(key)))
        assert(email_key(key, strlen(key), key2) == 0 && strcmp(key, key2) == 0);

    assert(lower(acct) && strlen(acct) == size);
    assert(email_account_key(acct, size, acct2) == 0 && strcmp(acct, acct2) == 0);
    assert(email_key(acct, size, key2) == 0 && strcmp(key, key2) == 0);
    return 0;
}
