/*
 * sandbox_test.c: petitiond serve confined (issue 19, item 4).  The
 * binary's --sandbox-selftest starts the whole server, confines it as
 * serve does, then tries a file outside what Landlock leaves it (writing
 * /etc/passwd, listing /) and system calls outside the seccomp allow-list
 * (personality, a packet socket): each must be refused, or the file part
 * skipped with the kernel's reason when it has no Landlock.  --no-sandbox
 * turns both off.  Started as root, --user drops to an ordinary user
 * (nobody) that cannot become root again, and the files it makes are
 * that user's; not root, that test is skipped and says why.  Every other
 * integration test runs its server confined (the harness never passes
 * --no-sandbox), which the last test checks in the server's log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"
#include "harness.h"
#include "lib/banned.h"

static char dir[64];
static char db[300];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/petitiond-sandbox-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    harness_db_new(db, sizeof(db), dir, "sandbox");
    const char *args[] = {harness_binary(), "migrate", "--db", db, NULL};
    return harness_run(args, NULL);
}

static int
teardown(void **state)
{
    (void)state;
    const char *rm[] = {"/bin/rm", "-rf", dir, NULL};
    harness_run_program(rm, NULL);
    return fixture_database_drop(db);
}

/* petitiond serve --sandbox-selftest with more arguments; its standard
 * output and error in *out (free()); its exit status. */
static int
selftest(const char *a1, const char *a2, char **out)
{
    const char *args[] = {harness_binary(),     "serve", "--listen", "127.0.0.1:0", "--db", db,
                          "--sandbox-selftest", a1,      a2,         NULL};
    return harness_run_program(args, out);
}

static void
forbidden_file_and_call_refused(void **state)
{
    (void)state;
    char *out = NULL;
    int r = selftest(NULL, NULL, &out);
    print_message("%s", out);
    assert_int_equal(r, 0);
    assert_non_null(strstr(out, "selftest: passed"));
    assert_non_null(strstr(out, "selftest: calls: personality: refused (Operation not permitted)"));
    assert_non_null(strstr(out, "selftest: calls: socket(AF_PACKET): refused"));
    if (strstr(out, "selftest: files: skipped")) {
        /* A kernel without Landlock: said, with its reason, on both streams. */
        assert_non_null(strstr(out, "warning: files not confined: "));
        print_message("files part skipped: the kernel has no Landlock\n");
    } else {
        assert_non_null(strstr(
            out, "selftest: files: open /etc/passwd for writing: refused (Permission denied)"));
        assert_non_null(strstr(out, "selftest: files: list /: refused (Permission denied)"));
        assert_non_null(strstr(out, "petitiond: confined: files to its own (Landlock), system"
                                    " calls to an allow-list (seccomp)"));
    }
    free(out);
}

static void
no_sandbox_confines_nothing(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(selftest("--no-sandbox", NULL, &out), 0);
    assert_non_null(strstr(out, "warning: --no-sandbox: files and system calls not confined"));
    assert_non_null(strstr(out, "selftest: files: skipped (--no-sandbox)"));
    assert_non_null(strstr(out, "selftest: calls: skipped (--no-sandbox)"));
    free(out);
}

static void
user_drop(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        print_message("skipped: --user needs the tests to run as root (this is uid %ld)\n",
                      (long)geteuid());
        skip();
    }
    struct passwd *pw = getpwnam("nobody");
    if (!pw) {
        print_message("skipped: no user named nobody on this machine\n");
        skip();
    }
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    /* The user's folder: the database's, with its journals; the keys
     * the tests before made as root are made again, by the user. */
    char key[400], owner[64];
    snprintf(key, sizeof(key), "%s.log-key", db);
    unlink(key);
    snprintf(key, sizeof(key), "%s.log-key.signed", db);
    unlink(key);
    snprintf(owner, sizeof(owner), "%ld:%ld", (long)uid, (long)gid);
    const char *chown_r[] = {"/bin/chown", "-R", owner, dir, NULL};
    assert_int_equal(harness_run_program(chown_r, NULL), 0);
    char *out = NULL;
    int r = selftest("--user", "nobody", &out);
    print_message("%s", out);
    assert_int_equal(r, 0);
    char want[160];
    snprintf(want, sizeof(want), "petitiond: serving as user nobody (uid %ld, gid %ld)", (long)uid,
             (long)gid);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof(want), "selftest: user: uid=%ld gid=%ld groups=", (long)uid, (long)gid);
    const char *groups = strstr(out, want);
    assert_non_null(groups);
    /* None of root's groups: not 0 among them. */
    groups += strlen(want);
    for (const char *g = groups; *g && *g != '\n'; g += strcspn(g, ",\n"), g += *g == ',')
        assert_false(g[0] == '0' && (g[1] == ',' || g[1] == '\n'));
    assert_non_null(strstr(out, "selftest: user: becoming root again: refused"));
    assert_non_null(strstr(out, "selftest: passed"));
    assert_null(strstr(out, "warning: serving as root"));
    if (!harness_db_is_postgresql()) {
        /* What it made, it made as the user. */
        char made[400];
        struct stat st;
        snprintf(made, sizeof(made), "%s.log-key", db);
        assert_int_equal(stat(made, &st), 0);
        assert_int_equal(st.st_uid, uid);
    }
    free(out);
    /* An unknown user stops the start. */
    assert_int_equal(selftest("--user", "no-such-user-petitiond", &out), 1);
    assert_non_null(strstr(out, "--user no-such-user-petitiond: no such user"));
    free(out);
}

static void
root_without_user_is_warned_about(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(selftest(NULL, NULL, &out), 0);
    if (geteuid() == 0)
        assert_non_null(strstr(out, "petitiond: warning: serving as root; give --user NAME"));
    else
        assert_null(strstr(out, "serving as root"));
    free(out);
}

/* The harness's server, which every integration test uses, is confined. */
static void
every_test_server_is_confined(void **state)
{
    (void)state;
    struct harness h;
    assert_int_equal(harness_start(&h, NULL), 0);
    struct http_result res;
    assert_int_equal(http_get(&h, "/en/petitions", &res), 0);
    assert_int_equal(res.status, 200);
    http_result_free(&res);
    char *log = harness_log(&h);
    assert_true(strstr(log, "petitiond: confined: files to its own (Landlock)") ||
                strstr(log, "petitiond: confined: files NOT confined (no Landlock)"));
    assert_non_null(strstr(log, "system calls to an allow-list (seccomp)"));
    free(log);
    assert_int_equal(harness_stop(&h), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forbidden_file_and_call_refused),
        cmocka_unit_test(no_sandbox_confines_nothing),
        cmocka_unit_test(root_without_user_is_warned_about),
        cmocka_unit_test(user_drop),
        cmocka_unit_test(every_test_server_is_confined),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
