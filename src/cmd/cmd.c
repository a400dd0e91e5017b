/*
 * cmd.c: what the commands share: their error messages, opening the
 * store, the key of e-mailed links and adding a staff account; see cmd.h.
 */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "store/store.h"
#include "lib/banned.h"

int
cmd_fail(const struct err *e)
{
    fprintf(stderr, "petitiond: %s\n", e->log[0] ? e->log : err_code_name(e->code));
    return 1;
}

int
cmd_usage_error(const char *usage, const char *what)
{
    fprintf(stderr, "petitiond: %s\n\n%s", what, usage);
    return 2;
}

int
cmd_subcommand(int argc, char **argv, const char *word, const char *usage, const char *what)
{
    if (argc >= 2 && strcmp(argv[1], word) == 0)
        return 0;
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        exit(0);
    }
    return cmd_usage_error(usage, what);
}

int
cmd_open_store(const char *db, bool must_be_current, struct store **s, struct err *e)
{
    /* Only migrate (which does not ask for the current schema) creates. */
    int r = store_open(db, !must_be_current, s, e), version;
    if (r)
        return r;
    if (!must_be_current)
        return 0;
    int latest = store_schema_latest(*s);
    if (!(r = (*s)->ops->schema_version(*s, &version, e)) && version != latest)
        r = err_set(e, ERR_STORE, "error.store", NULL,
                    "%s has schema %d, this petitiond needs %d: run 'petitiond migrate --db %s'",
                    db, version, latest, db);
    if (r) {
        store_close(*s);
        *s = NULL;
    }
    return r;
}

int
cmd_link_key(struct store *s, unsigned char key[TOKEN_KEY_BYTES], struct err *e)
{
    struct arena *a = arena_new();
    const char *hex = NULL;
    int r = s->ops->meta_get(s, a, "link_key", &hex, e);
    if (!r && (!hex || token_key_from_hex(hex, key))) {
        char fresh[2 * TOKEN_KEY_BYTES + 1];
        token_random_hex(fresh, TOKEN_KEY_BYTES);
        if (!(r = s->ops->meta_set(s, "link_key", fresh, e)))
            token_key_from_hex(fresh, key);
    }
    arena_free(a);
    return r;
}

int
cmd_staff_insert(struct store *s, struct user *u, struct err *e)
{
    struct audit_entry a = {.at = u->created_at,
                            .role = "system",
                            .action = "user.add",
                            .target = u->email,
                            .reason = "command line"};
    int r = s->ops->begin(s, e);
    if (r)
        return r;
    if ((r = s->ops->audit_append(s, &a, e)) || (r = s->ops->user_insert(s, u, e))) {
        s->ops->rollback(s);
        return r;
    }
    return s->ops->commit(s, e);
}
