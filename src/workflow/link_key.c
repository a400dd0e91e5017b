/*
 * link_key.c: the site's key of e-mailed links; see link_key.h.
 */
#include "workflow/link_key.h"

#include <stdbool.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

static const char LINK_KEY[] = "link_key";

/* The kept key into key: 0 and true when there is a readable one. */
static int
link_key_read(struct store *s, struct store_txn *tx, struct arena *a,
              unsigned char key[TOKEN_KEY_BYTES], bool *found, struct err *e)
{
    const char *hex = NULL;
    int r = store_meta_get(s, tx, a, LINK_KEY, &hex, e);
    *found = !r && hex && token_key_from_hex(hex, key) == 0;
    return r;
}

int
link_key_load(struct store *s, unsigned char key[TOKEN_KEY_BYTES], struct err *e)
{
    struct arena *a = arena_new();
    struct store_txn *tx = NULL;
    bool found;
    int r;

    if ((r = link_key_read(s, NULL, a, key, &found, e)) || found)
        goto out;
    if ((r = store_begin(s, &tx, e)))
        goto out;
    if (!(r = link_key_read(s, tx, a, key, &found, e)) && !found) {
        char fresh[2 * TOKEN_KEY_BYTES + 1];
        token_random_hex(fresh, TOKEN_KEY_BYTES);
        if (!(r = store_meta_set(tx, LINK_KEY, fresh, e)))
            token_key_from_hex(fresh, key);
    }
    if (r)
        store_rollback(tx);
    else
        r = store_commit(tx, e);
out:
    arena_free(a);
    return r;
}
