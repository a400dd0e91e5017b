/*
 * account.c: roles and password rules; see account.h.
 */
#include "core/account.h"

#include <string.h>

#include "lib/utf8.h"
#include "lib/banned.h"

static const char *const names[ROLE_COUNT] = {"petitioner", "clerk", "member", "responder",
                                              "admin"};
static const char *const workspaces[ROLE_COUNT] = {"account", "clerk", "member", "responder",
                                                   "admin"};

const char *
role_name(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? names[r] : "";
}

const char *
role_workspace(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? workspaces[r] : "";
}

int
role_from_name(const char *s, size_t len, enum role *out)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
            *out = (enum role)i;
            return 0;
        }
    return -1;
}

const char *
password_problem(const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 10)
        return "field.password_short";
    if (n > 256)
        return "field.password_long";
    if (!utf8_valid(pw, n) || utf8_has_controls(pw, n, false))
        return "field.utf8";
    return NULL;
}
