/*
 * link_key.h: the site's key of e-mailed links, as a use case.
 *
 * Every link petitiond sends by e-mail (a supporter's or a signer's
 * confirmation, an account's activation or new password) carries a MAC
 * under one key per database, kept in the store's meta "link_key" (64
 * hex digits), so links stay good across restarts and across the
 * commands.
 */
#ifndef PETITIOND_WORKFLOW_LINK_KEY_H
#define PETITIOND_WORKFLOW_LINK_KEY_H

#include "lib/token.h"

struct err;
struct store;

/*
 * The key of s into key: the one kept, or, when none is kept or it is
 * unreadable, a new random one, kept in one transaction (where one kept
 * meanwhile by another process wins).  Returns 0 or the store's error.
 * Called at start-up, before the struct flow that carries the key exists.
 */
int link_key_load(struct store *s, unsigned char key[TOKEN_KEY_BYTES], struct err *e);

#endif
