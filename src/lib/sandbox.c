/*
 * sandbox.c: dropping root, Landlock and the seccomp allow-list of
 * petitiond serve; see sandbox.h for the order and what each confines.
 *
 * Landlock is reached through its system calls (glibc has no wrappers),
 * with the constants of the newest ABI we know defined here when the
 * build machine's <linux/landlock.h> is older: a right is asked for only
 * when the running kernel's ABI has it, so an older kernel gets what it
 * knows and a newer one what we know.
 */
#define _GNU_SOURCE /* O_PATH, initgroups() */
#include "lib/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/banned.h"

/* ---- the paths -------------------------------------------------------------- */

void
sandbox_paths_add(struct sandbox_paths *p, const char *path, bool write)
{
    if (!path || !*path || p->count >= SANDBOX_PATHS_MAX)
        return;
    p->item[p->count++] = (struct sandbox_path){path, write};
}

void
sandbox_paths_add_folder_of(struct sandbox_paths *p, const char *file, char *buf, int len,
                            bool write)
{
    if (!file)
        return;
    /* The folder the file really is in: a symbolic link's target's. */
    char real[PATH_MAX];
    if (realpath(file, real))
        file = real;
    const char *slash = strrchr(file, '/');
    if (!slash)
        snprintf(buf, (size_t)len, ".");
    else if (slash == file)
        snprintf(buf, (size_t)len, "/");
    else
        snprintf(buf, (size_t)len, "%.*s", (int)(slash - file), file);
    sandbox_paths_add(p, buf, write);
}

void
sandbox_paths_add_system(struct sandbox_paths *p)
{
    /* Shared libraries loaded late (the resolver's NSS modules), time zone
     * data, the CA certificates Debian keeps under /usr/share. */
    const char *const read_only[] = {
        "/usr", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/ssl", "/etc/ca-certificates",
        "/etc/pki", "/etc/resolv.conf", "/etc/hosts", "/etc/host.conf", "/etc/nsswitch.conf",
        "/etc/gai.conf", "/etc/services", "/etc/protocols", "/etc/passwd", "/etc/group",
        "/etc/localtime", "/etc/postgresql-common", "/etc/sysconfig/postgresql",
        "/sys/devices/system/cpu", "/dev/urandom", "/dev/random", "/proc/self",
        /* libpq's files, read at each new connection. */
        getenv("PGPASSFILE"), getenv("PGSERVICEFILE"), getenv("PGSYSCONFDIR"),
        getenv("PGSSLROOTCERT"), getenv("CURL_CA_BUNDLE"), getenv("SSL_CERT_FILE"),
        getenv("SSL_CERT_DIR")};
    for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++)
        sandbox_paths_add(p, read_only[i], false);
    sandbox_paths_add(p, "/dev/null", true);
    /* $HOME/.pgpass and $HOME/.postgresql/ (client certificates). */
    static char pgpass[512], pgdir[512];
    const char *home = getenv("HOME");
    if (home && *home) {
        snprintf(pgpass, sizeof(pgpass), "%s/.pgpass", home);
        snprintf(pgdir, sizeof(pgdir), "%s/.postgresql", home);
        sandbox_paths_add(p, pgpass, false);
        sandbox_paths_add(p, pgdir, false);
    }
}

/* ---- dropping root ---------------------------------------------------------- */

int
sandbox_drop_user(const char *name, struct err *e)
{
    if (geteuid() != 0)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "--user %s: only root can change user (this is uid %ld)", name,
                       (long)geteuid());
    errno = 0;
    struct passwd *pw = getpwnam(name);
    if (!pw)
        return err_set(e, ERR_INVALID, "error.invalid", NULL, "--user %s: %s", name,
                       errno ? strerror(errno) : "no such user");
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    if (uid == 0)
        return err_set(e, ERR_INVALID, "error.invalid", NULL,
                       "--user %s: that user is root; name an ordinary one", name);
    /* Only the user's own groups (from /etc/group), none of root's; then
     * the group while we may still change it; then the user. */
    if (initgroups(name, gid) != 0)
        return err_set(e, ERR_IO, "error.io", NULL, "--user %s: initgroups: %s", name,
                       strerror(errno));
    if (setgid(gid) != 0)
        return err_set(e, ERR_IO, "error.io", NULL, "--user %s: setgid: %s", name, strerror(errno));
    if (setuid(uid) != 0)
        return err_set(e, ERR_IO, "error.io", NULL, "--user %s: setuid: %s", name, strerror(errno));
    /* Root must be out of reach for good: real, effective and saved. */
    if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0 || getuid() != uid ||
        geteuid() != uid || getgid() != gid || getegid() != gid)
        return err_set(e, ERR_IO, "error.io", NULL,
                       "--user %s: root could be had back after the change; stopping", name);
    return 0;
}

/* ---- Landlock --------------------------------------------------------------- */

/* The same numbers on every architecture; a C library older than
 * Landlock lacks the names. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

/* The rights of the ABIs after the build machine's header's. */
#define LL_FS_REFER (1ULL << 13)           /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)        /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15)       /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)        /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)        /* ABI 6 */

/* struct landlock_ruleset_attr as of ABI 6; its size tells the kernel which
 * fields we fill. */
struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

#define LL_FS_ABI1 ((1ULL << 13) - 1) /* EXECUTE ... MAKE_SYM */
#define LL_FS_FILE                                                                                 \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |   \
     LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)
#define LL_FS_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_FS_WRITE                                                                                \
    (LL_FS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_FILE |                 \
     LANDLOCK_ACCESS_FS_MAKE_REG | LL_FS_TRUNCATE)

int
sandbox_landlock_abi(const char **why)
{
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi > 0)
        return (int)abi;
    if (why)
        *why = errno == ENOSYS       ? "the kernel has no Landlock (Linux 5.13 or later has)"
               : errno == EOPNOTSUPP ? "Landlock is not enabled in this kernel (lsm= boot option)"
                                     : strerror(errno);
    return 0;
}

int
sandbox_landlock(const struct sandbox_paths *p, struct err *e)
{
    const char *why = NULL;
    int abi = sandbox_landlock_abi(&why);
    int r = 0, ruleset = -1;

    if (!abi) {
        fprintf(stderr, "petitiond: warning: files not confined: %s\n", why);
        return 1;
    }
    struct ll_ruleset_attr attr = {.handled_access_fs = LL_FS_ABI1};
    size_t size = sizeof(attr.handled_access_fs);
    if (abi >= 2)
        attr.handled_access_fs |= LL_FS_REFER;
    if (abi >= 3)
        attr.handled_access_fs |= LL_FS_TRUNCATE;
    if (abi >= 5)
        attr.handled_access_fs |= LL_FS_IOCTL_DEV;
    /* No TCP port may be bound once confined: the listening socket is. */
    if (abi >= 4) {
        attr.handled_access_net = LL_NET_BIND_TCP;
        size = offsetof(struct ll_ruleset_attr, scoped);
    }
    /* No signal to, and no abstract socket of, a process outside. */
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
        size = sizeof(attr);
    }
    ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) {
        r = err_set(e, ERR_IO, "error.io", NULL, "landlock_create_ruleset: %s", strerror(errno));
        goto out;
    }
    for (int i = 0; i < p->count; i++) {
        /* A path that does not exist here (/lib64, /etc/gai.conf...) is
         * not needed here. */
        int fd = open(p->item[i].path, O_PATH | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        uint64_t allowed = p->item[i].write ? LL_FS_WRITE : LL_FS_READ;
        if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
            allowed &= LL_FS_FILE;
        struct landlock_path_beneath_attr pb = {.allowed_access = allowed & attr.handled_access_fs,
                                                .parent_fd = fd};
        int rr = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
        int saved = errno;
        close(fd);
        if (rr) {
            r = err_set(e, ERR_IO, "error.io", NULL, "landlock_add_rule %s: %s", p->item[i].path,
                        strerror(saved));
            goto out;
        }
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_landlock_restrict_self, ruleset, 0)) {
        r = err_set(e, ERR_IO, "error.io", NULL,
                    "landlock_restrict_self: %s (--no-sandbox starts without the sandbox, for"
                    " debugging)",
                    strerror(errno));
        goto out;
    }
out:
    if (ruleset >= 0)
        close(ruleset);
    return r;
}

/* ---- seccomp ---------------------------------------------------------------- */

/* Whether this is the sanitizer build: LeakSanitizer stops the process's
 * threads with ptrace at exit to look for leaks. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

/*
 * The system calls petitiond serve makes once started: its own, those of
 * libmicrohttpd's threads, SQLite, libpq, libcurl, libsodium and glibc
 * (found with strace -f -c under the integration tests on both engines:
 * docs/operators.md).  Grouped by what needs them.
 */
static const int allowed_calls[] = {
    /* memory, threads, time, signals */
    SCMP_SYS(brk),
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(mprotect),
    SCMP_SYS(madvise),
    SCMP_SYS(clone),
    SCMP_SYS(clone3),
    SCMP_SYS(futex),
    SCMP_SYS(set_robust_list),
    SCMP_SYS(rseq),
    SCMP_SYS(set_tid_address),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(sched_yield),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(getgid),
    SCMP_SYS(getegid),
    SCMP_SYS(getgroups),
    SCMP_SYS(getppid),
    SCMP_SYS(uname),
    SCMP_SYS(getrlimit),
    SCMP_SYS(prlimit64),
    SCMP_SYS(getrusage),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_getres),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(time),
    SCMP_SYS(nanosleep),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(rt_sigtimedwait),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(tgkill),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(getrandom),
    SCMP_SYS(membarrier),
    /* files: the database, its journals, the keys, the mail, the clock */
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(preadv),
    SCMP_SYS(pwritev),
    SCMP_SYS(open),
    SCMP_SYS(openat),
    SCMP_SYS(close),
    SCMP_SYS(lseek),
    SCMP_SYS(fstat),
    SCMP_SYS(stat),
    SCMP_SYS(lstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(statx),
    SCMP_SYS(statfs),
    SCMP_SYS(fstatfs),
    SCMP_SYS(access),
    SCMP_SYS(faccessat),
    SCMP_SYS(faccessat2),
    SCMP_SYS(fcntl),
    SCMP_SYS(flock),
    SCMP_SYS(fsync),
    SCMP_SYS(fdatasync),
    SCMP_SYS(ftruncate),
    SCMP_SYS(fallocate),
    SCMP_SYS(rename),
    SCMP_SYS(renameat),
    SCMP_SYS(renameat2),
    SCMP_SYS(unlink),
    SCMP_SYS(unlinkat),
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(getdents),
    SCMP_SYS(getdents64),
    SCMP_SYS(getcwd),
    SCMP_SYS(fchown),
    SCMP_SYS(fchmod),
    SCMP_SYS(umask),
    SCMP_SYS(pipe),
    SCMP_SYS(pipe2),
    SCMP_SYS(dup),
    SCMP_SYS(dup2),
    SCMP_SYS(dup3),
    SCMP_SYS(eventfd2),
    /* waiting: libmicrohttpd's epoll, libpq's and libcurl's poll */
    SCMP_SYS(epoll_create1),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(epoll_pwait2),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(select),
    SCMP_SYS(pselect6),
    /* the network: the clients, PostgreSQL, the mail relay, the resolver
     * (socket() itself is allowed below for a few families only) */
    SCMP_SYS(accept),
    SCMP_SYS(accept4),
    SCMP_SYS(connect),
    SCMP_SYS(bind),
    SCMP_SYS(shutdown),
    SCMP_SYS(sendto),
    SCMP_SYS(recvfrom),
    SCMP_SYS(sendmsg),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmmsg),
    SCMP_SYS(recvmmsg),
    SCMP_SYS(getsockname),
    SCMP_SYS(getpeername),
    SCMP_SYS(setsockopt),
    SCMP_SYS(getsockopt),
    SCMP_SYS(socketpair),
    SCMP_SYS(sendfile),
#ifdef SANDBOX_ASAN
    /* LeakSanitizer's check at exit: a thread that stops the others */
    SCMP_SYS(ptrace),
    SCMP_SYS(wait4),
    SCMP_SYS(prctl),
    SCMP_SYS(sched_getparam),
#endif
};

int
sandbox_seccomp(struct err *e)
{
    /* EPERM, and a line in the kernel's log for each refusal. */
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    int r = 0, rc = 0;

    if (!ctx)
        return err_set(e, ERR_IO, "error.io", NULL, "seccomp_init failed");
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) ||
        (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)))
        goto fail;
    for (size_t i = 0; i < sizeof(allowed_calls) / sizeof(allowed_calls[0]); i++) {
        /* A call this architecture does not have (open on arm64...) is
         * skipped: libseccomp gives it a negative number. */
        if (allowed_calls[i] < 0)
            continue;
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed_calls[i], 0)))
            goto fail;
    }
    /* Sockets of the families petitiond speaks only: Unix (PostgreSQL's
     * socket), IPv4 and IPv6, and the route netlink the resolver asks for
     * the machine's addresses. */
    static const int families[] = {AF_UNIX, AF_INET, AF_INET6};
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
                                   SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)families[i], 0))))
            goto fail;
    }
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
                               SCMP_A0(SCMP_CMP_EQ, AF_NETLINK, 0), SCMP_A2(SCMP_CMP_EQ, 0, 0))))
        goto fail;
    /* ioctl: non-blocking mode and bytes waiting on a socket, and isatty(). */
    static const unsigned long requests[] = {FIONBIO, FIONREAD, TCGETS, TIOCGWINSZ};
    for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                                   SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)requests[i], 0))))
            goto fail;
    }
#ifndef SANDBOX_ASAN
    /* Naming a thread (pthread_setname_np on itself) and reading it. */
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
                               SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME, 0))) ||
        (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
                               SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME, 0))))
        goto fail;
#endif
    if ((rc = seccomp_load(ctx)))
        goto fail;
    goto out;
fail:
    r = err_set(e, ERR_IO, "error.io", NULL,
                "seccomp: %s (--no-sandbox starts without the sandbox, for debugging)",
                strerror(-rc));
out:
    seccomp_release(ctx);
    return r;
}
