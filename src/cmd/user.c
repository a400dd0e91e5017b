/*
 * user.c: petitiond user add, which creates a staff account (with its
 * audit record) and prints the one-time link where its holder sets a
 * password.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "core/account.h"
#include "core/email.h"
#include "core/petition.h"
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/lang.h"
#include "lib/parse.h"
#include "store/store.h"
#include "workflow/accounts.h"
#include "workflow/flow.h"
#include "workflow/link_key.h"
#include "workflow/staff.h"
#include "lib/banned.h"

static const char usage_user[] =
    "usage: petitiond user add --db DB --email ADDRESS --role ROLE [OPTIONS]\n"
    "\n"
    "Create a staff account and print a one-time link (valid 7 days) where its\n"
    "holder sets a password.  ROLE is clerk, member, responder or admin.\n"
    "\n"
    "options:\n"
    "  --db DB               the database: a SQLite file or a PostgreSQL URI\n"
    "  --email ADDRESS       the holder's e-mail address (they sign in with it)\n"
    "  --role ROLE           clerk, member, responder or admin\n"
    "  --member KEY          role member: the Member's key or id (e.g. arya)\n"
    "  --ministry CODE       role responder: the ministry (e.g. foreign-affairs)\n"
    "  --first-name NAME, --last-name NAME   the holder's name\n"
    "  --lang en|fr          the language of their e-mails (default en)\n"
    "  --base-url URL        the site's public address (default http://127.0.0.1:8080)\n";

int
cmd_user(int argc, char **argv)
{
    static const char allowed[] = {
        OPT_DB,         OPT_EMAIL,     OPT_ROLE, OPT_MEMBER,   OPT_MINISTRY,
        OPT_FIRST_NAME, OPT_LAST_NAME, OPT_LANG, OPT_BASE_URL, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    unsigned char key[TOKEN_KEY_BYTES];
    struct arena *a;
    enum role role;
    int r;

    if ((r = cmd_subcommand(argc, argv, "add", usage_user, "the only user command is 'user add'")))
        return r;
    if ((r = options_parse(argc - 1, argv + 1, usage_user, allowed, &o)))
        return r;
    if (!o.email || !email_valid(o.email, strlen(o.email)))
        return cmd_usage_error(usage_user, "--email wants a valid e-mail address");
    if (!o.role || role_from_name(o.role, strlen(o.role), &role) || role == ROLE_PETITIONER)
        return cmd_usage_error(usage_user, "--role is clerk, member, responder or admin");
    enum lang lang = LANG_EN;
    if (o.lang && lang_from_code(o.lang, strlen(o.lang), &lang))
        return cmd_usage_error(usage_user, "--lang is en or fr");
    if (cmd_open_store(o.db, true, &s, &e) || link_key_load(s, key, &e)) {
        store_close(s);
        return cmd_fail(&e);
    }
    a = arena_new();
    struct flow f = {.store = s, .link_key = key};
    struct user u = {.email = o.email,
                     .role = role,
                     .lang = lang,
                     .first_name = o.first_name ? o.first_name : "",
                     .last_name = o.last_name ? o.last_name : ""};
    r = 1;
    if (role == ROLE_MEMBER) {
        struct member m;
        long long id = 0;
        if (!o.member) {
            cmd_usage_error(usage_user, "role member needs --member KEY");
            r = 2;
            goto out;
        }
        parse_llz(o.member, 1, INT64_MAX, &id, NULL);
        if (store_member_get(s, NULL, a, id, o.member, &m, &e)) {
            fprintf(stderr, "petitiond: no Member \"%s\"\n", o.member);
            goto out;
        }
        u.member_id = m.id;
    }
    if (role == ROLE_RESPONDER) {
        struct ministry m;
        if (!o.ministry || store_ministry_get(s, NULL, a, 0, o.ministry, &m, &e)) {
            fprintf(stderr, "petitiond: role responder needs --ministry CODE of a ministry\n");
            r = 2;
            goto out;
        }
        u.ministry_id = m.id;
    }
    if (staff_add(&f, a, NULL, "command line", &u, false, (int64_t)time(NULL), &e)) {
        if (e.code == ERR_CONFLICT)
            fprintf(stderr, "petitiond: %s already has an account\n", o.email);
        else
            cmd_fail(&e);
        goto out;
    }
    printf("petitiond: %s account created for %s\n"
           "petitiond: one-time link to set the password (valid 7 days):\n%s\n",
           role_name(role), o.email,
           accounts_link(a, key, o.base_url ? o.base_url : "http://127.0.0.1:8080", "reset", &u,
                         u.created_at + SET_PASSWORD_LIFETIME, lang));
    r = 0;
out:
    arena_free(a);
    store_close(s);
    return r;
}
