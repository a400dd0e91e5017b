/*
 * accounts.c: a person's account as use cases, with its passwords and
 * e-mailed links; see accounts.h.
 */
#include "workflow/accounts.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/wake.h"
#include "mail/mailer.h"
#include "store/store.h"
#include "workflow/flow_internal.h"
#include "workflow/outbox.h"
#include "lib/banned.h"

/* ---- passwords ---- */

int
accounts_password_hash(const char *pw, char out[128])
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash fits");
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

/* Every Argon2id check run, for accounts_password_checks(). */
static _Atomic unsigned long password_checks;

bool
accounts_password_verify(const char *hash, const char *pw)
{
    if (!hash || !*hash || !pw)
        return false;
    atomic_fetch_add(&password_checks, 1);
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

unsigned long
accounts_password_checks(void)
{
    return atomic_load(&password_checks);
}

/* The stand-in hash (accounts_prepare()): of a random password nobody
 * knows, made once, read-only after. */
static char standin_hash[128];
static pthread_once_t standin_once = PTHREAD_ONCE_INIT;

static void
standin_make(void)
{
    char pw[33];
    token_random_hex(pw, 16);
    if (accounts_password_hash(pw, standin_hash))
        die_oom();
    sodium_memzero(pw, sizeof(pw));
}

void
accounts_prepare(void)
{
    pthread_once(&standin_once, standin_make);
}

/* ---- links ---- */

/* What a link's MAC is of: its purpose, account, expiry and the
 * account's generation. */
static void
link_message(char *out, size_t cap, const char *purpose, int64_t id, int64_t expires,
             int64_t generation)
{
    snprintf(out, cap, "%s|%lld|%lld|%lld", purpose, (long long)id, (long long)expires,
             (long long)generation);
}

const char *
accounts_link(struct arena *a, const unsigned char key[TOKEN_KEY_BYTES], const char *base_url,
              const char *purpose, const struct user *u, int64_t expires, enum lang lang)
{
    char m[128], tok[TOKEN_MAC_CHARS + 1];
    link_message(m, sizeof(m), purpose, u->id, expires, u->generation);
    token_mac(key, m, tok);
    return arena_printf(a, "%s/%s/%s?u=%lld&x=%lld&t=%s", base_url, lang_code(lang),
                        strcmp(purpose, "activate") == 0 ? "account/activate" : "password/reset",
                        (long long)u->id, (long long)expires, tok);
}

int
accounts_link_check(const struct flow *f, struct arena *a, const char *purpose, const char *us,
                    const char *xs, const char *ts, int64_t now, struct user *u, struct err *e)
{
    long long id, x;
    char m[128];
    if (!us || !xs || !ts || parse_llz(us, 1, INT64_MAX, &id, NULL) ||
        parse_llz(xs, 0, INT64_MAX, &x, NULL))
        return err_set(e, ERR_NOT_FOUND, "account.link_bad", NULL, "link parameters");
    if (store_user_get(f->store, NULL, a, id, NULL, u, e))
        return err_set(e, ERR_NOT_FOUND, "account.link_bad", NULL, "no such user");
    link_message(m, sizeof(m), purpose, u->id, x, u->generation);
    if (!token_check(f->link_key, m, ts))
        return err_set(e, ERR_GONE, "account.link_used", NULL, "link does not verify");
    if (x < now)
        return err_set(e, ERR_GONE, "account.link_expired", NULL, "link expired");
    return 0;
}

/* ---- use cases ---- */

/* End an account's transaction: commit when r is 0, else roll back.  No
 * public page shows an account, so the cached pages' version is left as
 * it is (flow_finish() bumps it); with mail, the mail thread is woken. */
static int
accounts_finish(const struct flow *f, struct store_txn *tx, int r, bool mail, struct err *e)
{
    r = flow_finish_quiet(tx, r, e);
    if (!r && mail)
        wake_signal(f->mail_wake);
    return r;
}

/* "Jane Doe": the name an account's e-mails greet. */
static const char *
account_name(struct arena *a, const struct user *u)
{
    return arena_printf(a, "%s %s", u->first_name, u->last_name);
}

int
accounts_register(const struct flow *f, struct arena *a, const struct user *u, const char *password,
                  int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    struct user nu = *u;
    char hash[128];
    json_t *vars = NULL;
    int r;

    if (accounts_password_hash(password, hash))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "password hash: out of memory");
    nu.password_hash = hash;
    if ((r = flow_begin(f, &tx, e)))
        goto out;
    r = store_user_insert(tx, &nu, e);
    if (r == ERR_CONFLICT) {
        /* The same answer whether or not the address has an account. */
        store_rollback(tx);
        r = 0;
        goto out;
    }
    if (!r) {
        vars = json_object();
        json_object_set_new(vars, "name", json_string(account_name(a, &nu)));
        json_object_set_new(
            vars, "link",
            json_string(accounts_link(a, f->link_key, f->mailer->base_url, "activate", &nu,
                                      now + ACTIVATION_LIFETIME, nu.lang)));
        json_object_set_new(vars, "expires", json_string(""));
        r = outbox_queue(f, tx, "account-activation", nu.lang, nu.email, account_name(a, &nu), vars,
                         now, e);
    }
    r = accounts_finish(f, tx, r, true, e);
out:
    json_decref(vars);
    sodium_memzero(hash, sizeof(hash));
    return r;
}

int
accounts_activate(const struct flow *f, const struct user *u, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    int r;

    if (u->activated_at)
        return 0;
    if ((r = flow_begin(f, &tx, e)))
        return r;
    return accounts_finish(f, tx, store_user_activate(tx, u->id, now, e), false, e);
}

/* Count one failed sign-in for the network address and, when known, the
 * account, in one transaction.  A failure here is not the caller's
 * answer (the attempt failed all the same), so it is only dropped. */
static void
sign_in_failed(const struct flow *f, const char *ipkey, const char *ukey, int64_t now)
{
    struct store_txn *tx = NULL;
    struct err e = ERR_INIT;
    int failures, r;

    if (flow_begin(f, &tx, &e))
        return;
    r = store_sign_in_failure_add(tx, ipkey, now, SIGN_IN_WINDOW, &failures, &e);
    if (!r && ukey)
        r = store_sign_in_failure_add(tx, ukey, now, SIGN_IN_WINDOW, &failures, &e);
    accounts_finish(f, tx, r, false, &e);
}

int
accounts_sign_in(const struct flow *f, struct arena *a, const char *email, const char *password,
                 const char *client, int64_t now, struct user *u, struct accounts_session *ses,
                 struct err *e)
{
    struct store_txn *tx = NULL;
    unsigned char h[TOKEN_HASH_BYTES];
    char ipkey[80], ukey[40];
    int ip_failures = 0, user_failures = 0, r;

    /* Read outside any transaction: the password is checked in between,
     * and a refusal writes nothing but its failures.  A store that fails
     * is not a wrong password: it is answered as the error it is. */
    snprintf(ipkey, sizeof(ipkey), "ip:%s", client);
    if ((r = store_sign_in_failures(f->store, NULL, ipkey, now, SIGN_IN_WINDOW, &ip_failures, e)))
        return r;
    if ((r = flow_lookup(store_user_get(f->store, NULL, a, 0, email, u, e), e)) < 0)
        return r;
    bool known = r == 0;
    if (known) {
        snprintf(ukey, sizeof(ukey), "u:%lld", (long long)u->id);
        if ((r = store_sign_in_failures(f->store, NULL, ukey, now, SIGN_IN_WINDOW, &user_failures,
                                        e)))
            return r;
    }
    if (ip_failures >= SIGN_IN_IP_MAX_FAILURES || user_failures >= SIGN_IN_MAX_FAILURES)
        return err_set(e, ERR_UNAVAILABLE, "account.too_many_attempts", NULL,
                       "sign-in: too many failures");
    /* An unknown address (or an account without a password) is checked
     * against the stand-in hash: the same Argon2id work as a real one,
     * so the time of the answer does not say whether the address has an
     * account (66 ms against under 1 ms otherwise). */
    bool has_hash = known && u->password_hash && u->password_hash[0];
    accounts_prepare();
    bool right = accounts_password_verify(has_hash ? u->password_hash : standin_hash, password);
    if (!has_hash || !right) {
        sign_in_failed(f, ipkey, known ? ukey : NULL, now);
        return err_set(e, ERR_INVALID, "account.bad_credentials", NULL, "sign-in: refused");
    }
    if (!u->activated_at)
        return err_set(e, ERR_FORBIDDEN, "account.not_activated", NULL, "sign-in: not activated");

    token_random_hex(ses->secret, 32);
    token_random_hex(ses->csrf, 16);
    token_hash(ses->secret, h);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    r = store_sign_in_failures_clear(tx, ukey, e);
    if (!r)
        r = store_auth_session_insert(tx, h, u->id, ses->csrf, now, now + SESSION_LIFETIME, e);
    return accounts_finish(f, tx, r, false, e);
}

int
accounts_sign_out(const struct flow *f, const char *secret, struct err *e)
{
    struct store_txn *tx = NULL;
    unsigned char h[TOKEN_HASH_BYTES];
    int r;

    token_hash(secret, h);
    if ((r = flow_begin(f, &tx, e)))
        return r;
    return accounts_finish(f, tx, store_auth_session_delete(tx, h, e), false, e);
}

int
accounts_form_state_keep(const struct flow *f, const char *id, int64_t user_id, const char *path,
                         const char *state, int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    int r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    r = store_form_state_put(tx, id, user_id, path, state, now, now + FORM_STATE_KEEP_AGE,
                             FORM_STATE_KEEP_MAX, e);
    return accounts_finish(f, tx, r, false, e);
}

int
accounts_form_state_drop(const struct flow *f, const char *id, int64_t user_id, struct err *e)
{
    struct store_txn *tx = NULL;
    int r;

    if ((r = flow_begin(f, &tx, e)))
        return r;
    return accounts_finish(f, tx, store_form_state_delete(tx, id, user_id, e), false, e);
}

int
accounts_forgot_password(const struct flow *f, struct arena *a, const char *email, int64_t now,
                         struct err *e)
{
    struct store_txn *tx = NULL;
    struct user u;
    int r;

    /* The same answer for an unknown address; a failing store is an
     * error, not an e-mail quietly never sent. */
    if ((r = flow_lookup(store_user_get(f->store, NULL, a, 0, email, &u, e), e)))
        return r < 0 ? r : 0;
    json_t *vars = json_object();
    json_object_set_new(vars, "name", json_string(account_name(a, &u)));
    json_object_set_new(vars, "link",
                        json_string(accounts_link(a, f->link_key, f->mailer->base_url, "reset", &u,
                                                  now + RESET_LIFETIME, u.lang)));
    json_object_set_new(vars, "expires", json_string(""));
    if (!(r = flow_begin(f, &tx, e))) {
        r = outbox_queue(f, tx, "password-reset", u.lang, u.email, NULL, vars, now, e);
        r = accounts_finish(f, tx, r, true, e);
    }
    json_decref(vars);
    return r;
}

int
accounts_reset_password(const struct flow *f, const struct user *u, const char *password,
                        int64_t now, struct err *e)
{
    struct store_txn *tx = NULL;
    char hash[128];
    int r;

    if (accounts_password_hash(password, hash))
        return err_set(e, ERR_INTERNAL, "error.internal", NULL, "out of memory");
    if (!(r = flow_begin(f, &tx, e))) {
        r = store_user_set_password(tx, u->id, hash, e);
        /* The link came by e-mail: the address is proven. */
        if (!r && !u->activated_at)
            r = store_user_activate(tx, u->id, now, e);
        r = accounts_finish(f, tx, r, false, e);
    }
    sodium_memzero(hash, sizeof(hash));
    return r;
}
