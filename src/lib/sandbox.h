/*
 * sandbox.h: the daemon's confinement (issue 19, item 4): dropping root
 * for an ordinary user, then Landlock on the file system and a seccomp
 * allow-list of system calls.
 *
 * petitiond serve uses it in this order (src/cmd/serve.c):
 *
 *  1. As root, it binds its listening socket and raises its open-file
 *     limit, then sandbox_drop_user() becomes --user NAME: its groups
 *     (initgroups, so only NAME's own), its group, its user, in that
 *     order, and checks that root cannot be had back.
 *  2. Before its first thread (Landlock confines the calling thread and
 *     the threads it starts later, never those already running),
 *     sandbox_landlock() keeps the file system to the paths a struct
 *     sandbox_paths lists: read-write the database's folder (SQLite makes
 *     its -wal, -shm and journal files beside the file) and SQLite's
 *     temporary folder, the key file's
 *     folder (its memory, PATH.signed, is replaced through a temporary
 *     file renamed in that folder), the mail directory; read-only the
 *     system files a running daemon still reads (shared libraries, the
 *     resolver's and TLS's files, the clock file of the tests).  Where
 *     the kernel has no Landlock it says so on standard error and goes on.
 *  3. Once every thread runs, sandbox_seccomp() installs the allow-list on
 *     all of them (SECCOMP_FILTER_FLAG_TSYNC): any other system call fails
 *     with EPERM, and the kernel logs it (the audit log, or dmesg: "audit:
 *     type=1326 ... syscall=N").  EPERM rather than killing the process:
 *     a rare path that makes a call the list misses fails as an error the
 *     daemon reports, instead of stopping every request in flight.
 *
 * In the sanitizer build (ASan), the list also allows what
 * LeakSanitizer's check at exit needs (ptrace of the process's own
 * threads, wait4, prctl); the release build does not.
 */
#ifndef PETITIOND_SANDBOX_H
#define PETITIOND_SANDBOX_H

#include <stdbool.h>

struct err;

#define SANDBOX_PATHS_MAX 48

/* The paths left to a confined process. */
struct sandbox_paths {
    struct sandbox_path {
        const char *path; /* a file or a folder (and everything under it) */
        bool write;       /* read-write, else read-only */
    } item[SANDBOX_PATHS_MAX];
    int count;
};

/* Add path (kept as given: it must live as long as *p).  NULL, or beyond
 * SANDBOX_PATHS_MAX paths, ignored. */
void sandbox_paths_add(struct sandbox_paths *p, const char *path, bool write);

/* Add the folder that holds file (its dirname), for a file that is
 * replaced by a rename or made beside others.  buf (len bytes) holds the
 * folder's name and must live as long as *p. */
void sandbox_paths_add_folder_of(struct sandbox_paths *p, const char *file, char *buf, int len,
                                 bool write);

/* Add what every confined petitiond reads: shared libraries and the
 * system's data (/usr), the resolver's files, TLS certificates,
 * PostgreSQL's client files ($HOME/.pgpass, PGPASSFILE...), /dev/null and
 * /dev/urandom. */
void sandbox_paths_add_system(struct sandbox_paths *p);

/* Become user name (and its groups) for good.  Must run as root;
 * ERR_INVALID (no such user, or not root) or ERR_IO (a call failed, or
 * root could be had back). */
int sandbox_drop_user(const char *name, struct err *e);

/* The Landlock ABI version of the running kernel, or 0 when it has none
 * (*why then says why, e.g. "the kernel has no Landlock"). */
int sandbox_landlock_abi(const char **why);

/*
 * Confine the calling thread (and the threads it starts afterwards) to
 * p.  Sets no_new_privs.  0 when confined, 1 when the kernel has no
 * Landlock (said on standard error), or ERR_IO.
 */
int sandbox_landlock(const struct sandbox_paths *p, struct err *e);

/* Install the allow-list of system calls on every thread of the process.
 * 0 or ERR_IO. */
int sandbox_seccomp(struct err *e);

#endif
