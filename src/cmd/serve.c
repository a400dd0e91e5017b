/*
 * serve.c: petitiond serve, which serves the site until SIGINT or
 * SIGTERM.
 *
 * It binds its listening socket and, with --user, gives root up; loads
 * the rules, confines its files (Landlock, before any thread: the
 * sandbox, lib/sandbox.h) and opens the store, makes the site (templates,
 * catalogues, the page cache: site/site.h), then starts, in this order,
 * the counts in memory and the signature writer (workflow/intake.h), the
 * HTTP server with the route table (cmd/routes.h), the mail delivery
 * thread and the clock's jobs (jobs/scheduler.h), and confines its system
 * calls to an allow-list (seccomp, on every thread); it waits for a stop
 * signal, and stops them: the writer first (what it holds is written),
 * then the server (requests in flight finish), the jobs and the mail.
 * Each step below is one of those.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "workflow/log_checkpoint.h"
#include "jobs/log_signer.h"
#include "cmd/cmd.h"
#include "cmd/options.h"
#include "cmd/routes.h"
#include "core/account.h"
#include "core/email.h"
#include "core/netaddr.h"
#include "core/petition.h"
#include "http/fdlimit.h"
#include "http/server.h"
#include "jobs/delivery.h"
#include "jobs/scheduler.h"
#include "jobs/watch.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/err.h"
#include "lib/sandbox.h"
#include "lib/wake.h"
#include "mail/mailer.h"
#include "mail/smtp.h"
#include "site/site.h"
#include "store/store.h"
#include "workflow/accounts.h"
#include "workflow/counts.h"
#include "workflow/intake.h"
#include "workflow/jurisdiction_file.h"
#include "workflow/link_key.h"
#include "workflow/outbox.h"
#include "workflow/staff.h"
#include "lib/banned.h"

static const char usage_serve[] =
    "usage: petitiond serve --listen HOST:PORT --db DB [OPTIONS]\n"
    "\n"
    "Serve the site until SIGINT (Ctrl-C) or SIGTERM, then finish the requests in\n"
    "flight and stop.  Prints the URL it serves on standard output and one access\n"
    "log line per request on standard error.\n"
    "\n"
    "options:\n"
    "  --listen HOST:PORT    address to listen on, e.g. 127.0.0.1:8080 or [::1]:8080;\n"
    "                        port 0 picks a free port (default 127.0.0.1:8080)\n"
    "  --db DB               the database: a SQLite file, or a PostgreSQL URI\n"
    "                        (postgresql://...); migrated: run 'petitiond migrate'\n"
    "  --db-pool N           with PostgreSQL: most connections this node opens\n"
    "                        (default 8)\n"
    "  --jurisdiction FILE   the rules' JSON file (default: the built-in\n"
    "                        data/jurisdictions/canada-house-of-commons.json)\n"
    "  --threads N           worker threads (default: one per core)\n"
    "  --max-body BYTES      largest request body accepted (default 65536)\n"
    "  --max-url BYTES       longest request target accepted (default 2048)\n"
    "  --idle-timeout SECS   close connections idle this long (default 30)\n"
    "  --max-connections N   open connections at once (default 16384); more wait in\n"
    "                        the kernel's listen backlog until one closes.  The\n"
    "                        open-file limit is raised to about N + 256 when the hard\n"
    "                        limit allows it (ulimit -Hn); else N is lowered to fit,\n"
    "                        with a warning\n"
    "  --per-ip-connections N  open connections per client address, the rest closed at\n"
    "                        once (default: no limit, as many people may share one\n"
    "                        address behind a carrier's NAT or a proxy; e.g. 50 keeps\n"
    "                        one address from taking every connection)\n"
    "  --no-access-log       do not log requests\n"
    "  --clock-file PATH     for tests only: take the time from the whole number of\n"
    "                        seconds in PATH whenever it holds one (read at each use)\n"
    "  --base-url URL        the public address, for links in e-mails and Secure\n"
    "                        cookies when https:// (default http://HOST:PORT)\n"
    "  --smtp URL            send e-mail through this relay (smtp://host:port or\n"
    "                        smtps://host:port); user and password from the\n"
    "                        PETITIOND_SMTP_USER and PETITIOND_SMTP_PASSWORD variables\n"
    "  --smtp-tls POLICY     TLS with an smtp:// relay: opportunistic (default: STARTTLS\n"
    "                        when offered, the certificate not verified, as a local\n"
    "                        relay's is self-signed), required (STARTTLS, certificate\n"
    "                        and host name verified, or no delivery) or none (never\n"
    "                        STARTTLS).  smtps:// is always verified; none is refused\n"
    "  --smtp-ca-file FILE   the CA certificates (PEM) to verify the relay with, instead\n"
    "                        of the system's; with --smtp-tls required or smtps://\n"
    "  --mail-from ADDRESS   the sender of every e-mail (default\n"
    "                        petitions@petitions.invalid)\n"
    "  --contact-email ADDRESS  the operator's address, shown on the contact, privacy\n"
    "                        and accessibility pages (default: none; the pages then\n"
    "                        say \"the operator of this site\")\n"
    "  --dev                 development mode: /dev/mail lists the e-mails, and demo\n"
    "                        staff accounts are created (their passwords are printed)\n"
    "  --mail-dir DIR        with --dev: write e-mails as .eml files into DIR instead\n"
    "                        of sending them\n"
    "  --tick MS             how often deadlines are applied (default 1000)\n"
    "  --intake-queue N      signatures and confirmations waiting for the writer at\n"
    "                        most; beyond, the answer is 503 with Retry-After\n"
    "                        (default 8192)\n"
    "  --intake-batch N      most signatures written in one transaction (default 1000)\n"
    "  --count-freshness-ms N  a cached page showing counts is drawn again at most this\n"
    "                        often while they move (default 500; 0 = at once)\n"
    "  --trusted-proxy NET   a proxy in front of petitiond (an address or a network\n"
    "                        such as 10.0.0.0/8; repeat for several): from its\n"
    "                        requests the client's address is taken from\n"
    "                        X-Forwarded-For, for rate limits and the block list\n"
    "  --metrics-from NETS   who may read /metrics: addresses or networks, separated\n"
    "                        by commas (default 127.0.0.0/8,::1); through a\n"
    "                        --trusted-proxy, the address X-Forwarded-For names, and\n"
    "                        never without one; everyone else gets 404\n"
    "  --log-key PATH        the key file that signs the e-petitions' public logs\n"
    "                        (docs/verifying.md); made at first start, never served;\n"
    "                        several nodes share one.  Default: DB.log-key beside a\n"
    "                        SQLite database; with PostgreSQL, none: the logs are\n"
    "                        kept but not signed or served\n"
    "  --no-public-log       for benchmarks only (bench/surge.sh): write no entry to\n"
    "                        the logs.  Never on a site that publishes them: its counts\n"
    "                        would move without their entries\n"
    "  --user NAME           started as root: once the socket is bound, serve as user\n"
    "                        NAME (and its groups) instead; without it, serving as\n"
    "                        root is warned about\n"
    "  --no-sandbox          for debugging: do not confine the process (Landlock on its\n"
    "                        files, the allow-list of system calls: docs/operators.md)\n"
    "  --sandbox-selftest    start, confine, then try a forbidden file and a forbidden\n"
    "                        system call, say whether each was refused, and stop\n"
    "                        (status 0 when both were, or could not be, refused)\n";

/* clang-format off */
static const char allowed[] = {
    OPT_DB,           OPT_LISTEN,       OPT_JURISDICTION, OPT_THREADS,  OPT_MAX_BODY,
    OPT_MAX_URL,      OPT_IDLE,         OPT_MAX_CONN,     OPT_PER_IP,   OPT_NO_LOG,
    OPT_CLOCK_FILE,   OPT_BASE_URL,     OPT_SMTP,         OPT_SMTP_TLS, OPT_SMTP_CA_FILE,
    OPT_MAIL_FROM,    OPT_DEV,          OPT_MAIL_DIR,     OPT_TICK,     OPT_TRUSTED_PROXY,
    OPT_INTAKE_QUEUE, OPT_INTAKE_BATCH, OPT_FRESHNESS,    OPT_DB_POOL,  OPT_CONTACT_EMAIL,
    OPT_METRICS_FROM, OPT_LOG_KEY,      OPT_NO_PUBLIC_LOG, OPT_USER,     OPT_NO_SANDBOX,
    OPT_SANDBOX_SELFTEST, 0};
/* clang-format on */

/* What serve makes, starts and stops, shared by its steps. */
struct serve {
    struct options o;
    struct err e;
    struct smtp_config smtp; /* the relay, checked before anything starts */
    struct site site;
    struct server *srv;
    struct delivery *delivery;
    struct wake mail_wake; /* the use cases signal it, the mail thread waits on it */
    struct scheduler *scheduler;
    struct watch *watch;                /* what the other nodes on the database commit */
    struct log_signer *log_signer;      /* the public logs' checkpoints */
    struct log_signed_file *log_signed; /* what it signed last (site/log_keys.h) */
    struct log_memory log_memory;
    struct intake *intake;
    const char *host; /* --listen up to its last ':' (host_len bytes) */
    int host_len;
    char base_url[512]; /* the site's and the mailer's base_url */
    sigset_t sigs;      /* SIGINT and SIGTERM, blocked in every thread */
    char node[300];     /* this node's name: host/pid (struct flow's node) */
    int listen_fd;      /* bound before root is given up, then the server's */
    bool confined;      /* by Landlock (the kernel may have none) */
    struct sandbox_paths paths;
    char path_buf[3][4096]; /* folders named in paths */
};

/* Development only: staff accounts to try every workspace with. */
static int
dev_staff(struct site *site)
{
    static const struct {
        const char *email, *first, *last, *role, *member, *ministry;
    } staff[] = {
        {"clerk@petitions.test", "Claire", "Lavoie", "clerk", NULL, NULL},
        {"arya@petitions.test", "Arya", "Sharma", "member", "arya", NULL},
        {"okafor@petitions.test", "Chidi", "Okafor", "member", "okafor", NULL},
        {"responder@petitions.test", "Rosalie", "Tan", "responder", NULL, "foreign-affairs"},
        {"admin@petitions.test", "Adam", "Bouchard", "admin", NULL, NULL},
    };
    static const char password[] = "petitions-demo";
    struct store *s = site->store;
    struct arena *a = arena_new();
    struct err e = ERR_INIT;
    char hash[128];
    int r = 0;

    printf("petitiond: development mode: e-mail is listed at /dev/mail; staff accounts "
           "(password \"%s\"):\n",
           password);
    for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]) && !r; i++) {
        struct user u = {0};
        printf("petitiond:   %-26s %s\n", staff[i].email, staff[i].role);
        if (store_user_get(s, NULL, a, 0, staff[i].email, &u, &e) == 0)
            continue;
        struct member m = {0};
        struct ministry min = {0};
        if (staff[i].member && store_member_get(s, NULL, a, 0, staff[i].member, &m, &e))
            continue; /* no demo data loaded */
        if (staff[i].ministry && store_ministry_get(s, NULL, a, 0, staff[i].ministry, &min, &e))
            continue;
        if (accounts_password_hash(password, hash))
            die_oom();
        role_from_name(staff[i].role, strlen(staff[i].role), &u.role);
        u.email = staff[i].email;
        u.first_name = staff[i].first;
        u.last_name = staff[i].last;
        u.password_hash = hash;
        u.member_id = m.id;
        u.ministry_id = min.id;
        u.lang = LANG_EN;
        int64_t now = clock_now(&site->clock);
        u.activated_at = now;
        if ((r = staff_add(&site->flow, a, NULL, "command line", &u, false, now, &e)))
            r = cmd_fail(&e);
    }
    fflush(stdout);
    arena_free(a);
    return r;
}

/* The relay's TLS policy before anything starts: a mistake here would
 * otherwise fail every e-mail, quietly, hours later. */
static int
check_smtp(struct serve *sv)
{
    struct options *o = &sv->o;

    sv->smtp = (struct smtp_config){.url = o->smtp,
                                    .username = getenv("PETITIOND_SMTP_USER"),
                                    .password = getenv("PETITIOND_SMTP_PASSWORD"),
                                    .tls = o->smtp_tls,
                                    .ca_file = o->smtp_ca_file};
    if (!o->smtp && (o->given[OPT_SMTP_TLS] || o->smtp_ca_file)) {
        fprintf(stderr, "petitiond: --smtp-tls and --smtp-ca-file need --smtp URL\n");
        return 2;
    }
    if (o->smtp && smtp_config_check(&sv->smtp, &sv->e)) {
        fprintf(stderr, "petitiond: %s\n", sv->e.log);
        return sv->e.code == ERR_IO ? 1 : 2;
    }
    return 0;
}

/* Room in the open-file limit for every connection allowed; too little
 * room lowers the limit, it never stops the start (fdlimit.h). */
static void
fit_open_files(struct server_limits *limits, unsigned threads, struct err *e)
{
    struct fdlimit fl;
    if (fdlimit_fit(limits->max_connections, threads, &fl, e))
        fprintf(stderr, "petitiond: warning: %s\n", e->log);
    if (fl.soft != fl.before)
        fprintf(stderr, "petitiond: open-file limit raised from %llu to %llu\n",
                (unsigned long long)fl.before, (unsigned long long)fl.soft);
    if (fl.connections < limits->max_connections) {
        fprintf(stderr,
                "petitiond: warning: the open-file limit (%llu, hard limit %llu) holds only "
                "%u connections: --max-connections lowered from %u; raise the hard limit "
                "(ulimit -Hn, systemd LimitNOFILE=) for more\n",
                (unsigned long long)fl.soft, (unsigned long long)fl.hard, fl.connections,
                limits->max_connections);
        limits->max_connections = fl.connections;
    }
}

/*
 * The listening socket, bound while the process may still be root (a port
 * under 1024), and the open-file limit; then, with --user, the user.
 * Nothing else needs root: the database, the keys and the mail are
 * written by the running daemon, so they must be the user's anyway, and
 * opening them as the user makes every file created the user's.
 */
static int
serve_listen(struct serve *sv)
{
    sv->listen_fd = -1;
    if (server_listen(sv->o.listen, &sv->listen_fd, &sv->e))
        return cmd_fail(&sv->e);
    fit_open_files(&sv->o.limits, sv->o.threads, &sv->e);
    sv->e = (struct err)ERR_INIT;
    if (sv->o.user) {
        if (sandbox_drop_user(sv->o.user, &sv->e))
            return cmd_fail(&sv->e);
        fprintf(stderr, "petitiond: serving as user %s (uid %ld, gid %ld)\n", sv->o.user,
                (long)getuid(), (long)getgid());
    } else if (geteuid() == 0) {
        fprintf(stderr, "petitiond: warning: serving as root; give --user NAME to serve as an"
                        " ordinary user once the socket is bound\n");
    }
    return 0;
}

/* The folder SQLite makes its temporary files in (a statement's journal
 * beyond 64 KiB, a large sort), found as SQLite finds it: the first of
 * these that is a folder we may write in. */
static const char *
sqlite_temp_folder(void)
{
    const char *const dirs[] = {getenv("SQLITE_TMPDIR"), getenv("TMPDIR"), "/var/tmp", "/usr/tmp",
                                "/tmp"};
    struct stat st;
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        if (dirs[i] && stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
            access(dirs[i], W_OK | X_OK) == 0)
            return dirs[i];
    }
    return NULL;
}

/*
 * Landlock, before the first thread (the store's starts one): read-write
 * the SQLite database's folder (its -wal, -shm and journal files are made
 * beside it) and its temporary folder, the key file's folder (PATH.signed
 * is replaced through a temporary file there) and the mail directory;
 * read-only the clock
 * file's folder (replaced by a rename), the relay's CA file, and the
 * system's files (sandbox_paths_add_system()).
 */
static int
confine_files(struct serve *sv)
{
    struct options *o = &sv->o;
    struct sandbox_paths *p = &sv->paths;
    int n = (int)sizeof(sv->path_buf[0]);

    if (!store_spec_is_postgresql(o->db)) {
        sandbox_paths_add_folder_of(p, strncmp(o->db, "sqlite:", 7) ? o->db : o->db + 7,
                                    sv->path_buf[0], n, true);
        sandbox_paths_add(p, sqlite_temp_folder(), true);
    }
    if (o->log_key)
        sandbox_paths_add_folder_of(p, o->log_key, sv->path_buf[1], n, true);
    sandbox_paths_add(p, o->mail_dir, true);
    if (o->clock_file)
        sandbox_paths_add_folder_of(p, o->clock_file, sv->path_buf[2], n, false);
    sandbox_paths_add(p, o->smtp_ca_file, false);
    sandbox_paths_add_system(p);
    int r = sandbox_landlock(p, &sv->e);
    if (r < 0)
        return r;
    sv->confined = r == 0;
    return 0;
}

/* The allow-list of system calls, on every thread once all run. */
static int
confine_calls(struct serve *sv)
{
    if (sv->o.no_sandbox) {
        fprintf(stderr, "petitiond: warning: --no-sandbox: files and system calls not"
                        " confined\n");
        return 0;
    }
    if (sandbox_seccomp(&sv->e))
        return cmd_fail(&sv->e);
    fprintf(stderr, "petitiond: confined: %s, system calls to an allow-list (seccomp)\n",
            sv->confined ? "files to its own (Landlock)" : "files NOT confined (no Landlock)");
    return 0;
}

/* One attempt of the self-test, said in one line: refused when it failed
 * (fd < 0) with the error want or also; a descriptor it got is closed. */
static bool
refused(const char *what, int fd, int err, int want, int also)
{
    bool no = fd < 0 && (err == want || err == also);
    printf("selftest: %s: %s (%s)\n", what, no ? "refused" : "ALLOWED",
           fd < 0 ? strerror(err) : "done");
    if (fd >= 0 && fd != INT_MAX)
        close(fd);
    return no;
}

/*
 * --sandbox-selftest: what a confined daemon may not do, tried once it
 * runs.  Each attempt, when not refused, does no harm: /etc/passwd opened
 * for writing is closed unwritten, personality() only reads the
 * process's, a packet socket is closed at once.  One line each, then
 * "selftest: passed" or "selftest: FAILED".
 */
static int
sandbox_selftest(struct serve *sv)
{
    bool ok = true;
    const char *why = NULL;

    gid_t groups[64];
    int ngroups = getgroups(64, groups);
    printf("selftest: user: uid=%ld gid=%ld groups=", (long)getuid(), (long)getgid());
    for (int i = 0; i < ngroups; i++)
        printf("%s%ld", i ? "," : "", (long)groups[i]);
    printf("\n");
    if (getuid() != 0) {
        bool back = setuid(0) == 0 || setgid(0) == 0;
        printf("selftest: user: becoming root again: %s\n", back ? "ALLOWED" : "refused");
        ok = ok && !back;
    }
    if (sv->o.no_sandbox || !sv->confined) {
        sandbox_landlock_abi(&why);
        printf("selftest: files: skipped (%s)\n", sv->o.no_sandbox ? "--no-sandbox"
                                                  : why            ? why
                                                                   : "not confined");
    } else {
        int fd = open("/etc/passwd", O_WRONLY | O_APPEND | O_CLOEXEC);
        ok = refused("files: open /etc/passwd for writing", fd, errno, EACCES, EPERM) && ok;
        fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ok = refused("files: list /", fd, errno, EACCES, EACCES) && ok;
    }
    if (sv->o.no_sandbox) {
        printf("selftest: calls: skipped (--no-sandbox)\n");
    } else {
        /* 0xffffffff only asks for the current persona: it always works
         * where the call is allowed (and a persona is no descriptor). */
        int pr = personality(0xffffffff);
        ok = refused("calls: personality", pr == -1 ? -1 : INT_MAX, errno, EPERM, EPERM) && ok;
        int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        ok = refused("calls: socket(AF_PACKET)", fd, errno, EPERM, EPERM) && ok;
    }
    printf("selftest: %s\n", ok ? "passed" : "FAILED");
    fflush(stdout);
    return ok ? 0 : 1;
}

/* The rules and the store.  A failure here leaves nothing to release. */
static int
serve_open(struct serve *sv)
{
    struct options *o = &sv->o;

    memset(&sv->site, 0, sizeof(sv->site));
    sv->site.clock.file = o->clock_file;
    if (o->clock_file)
        fprintf(stderr,
                "petitiond: warning: the time is taken from %s when it holds one "
                "(--clock-file is for tests only)\n",
                o->clock_file);
    if (jurisdiction_load(o->jurisdiction, &sv->site.rules, &sv->e))
        return cmd_fail(&sv->e);
    if (!o->no_sandbox && confine_files(sv))
        return cmd_fail(&sv->e);
    if (o->db_pool)
        store_pg_pool_size((int)o->db_pool);
    if (cmd_open_store(o->db, true, &sv->site.store, &sv->e))
        return cmd_fail(&sv->e);
    return 0;
}

/* --metrics-from: "NET[,NET...]" into site->metrics_from.  0 or -1 (an
 * empty or bad item, too many). */
static int
parse_metrics_from(const char *s, struct site *site)
{
    int n = 0;
    for (;;) {
        size_t len = strcspn(s, ",");
        char item[NETADDR_TEXT_MAX];
        if (len == 0 || len >= sizeof(item) || n == SITE_METRICS_FROM_MAX)
            return -1;
        memcpy(item, s, len);
        item[len] = '\0';
        if (netrange_parse(item, &site->metrics_from[n++]))
            return -1;
        if (!s[len])
            break;
        s += len + 1;
    }
    site->metrics_from_count = n;
    return 0;
}

/* The site, its mailer and use cases, as the options say; with --dev,
 * the demo staff accounts. */
static int
serve_configure(struct serve *sv)
{
    struct options *o = &sv->o;
    struct site *site = &sv->site;

    wake_init(&sv->mail_wake);
    /* This node's name in the leases of the jobs shared with other nodes
     * (workflow/leases.h): the host and the process, unique while it runs. */
    char host[256] = "";
    if (gethostname(host, sizeof(host) - 1))
        snprintf(host, sizeof(host), "localhost");
    snprintf(sv->node, sizeof(sv->node), "%s/%ld", host, (long)getpid());
    if (site_init(site, &sv->e) || link_key_load(site->store, site->link_key, &sv->e))
        return cmd_fail(&sv->e);
    if (o->mail_dir && !o->dev)
        return cmd_usage_error(usage_serve, "--mail-dir needs --dev");
    for (int i = 0; i < o->trusted.count; i++) {
        if (netrange_parse(o->trusted.item[i], &site->trusted[i]))
            return cmd_usage_error(usage_serve, "--trusted-proxy wants an address or a network");
    }
    site->trusted_count = o->trusted.count;
    if (o->metrics_from && parse_metrics_from(o->metrics_from, site))
        return cmd_usage_error(usage_serve, "--metrics-from wants addresses or networks"
                                            " separated by commas, e.g. 10.0.0.0/8,::1");
    site->dev = o->dev;
    site->mail_dir = o->mail_dir;
    for (int i = 0; i < LANG_COUNT; i++)
        site->mailer.messages[i] = site->messages[i];
    if (mailer_init(&site->mailer, &sv->e))
        return cmd_fail(&sv->e);
    site->flow = (struct flow){.store = site->store,
                               .mailer = &site->mailer,
                               .rules = &site->rules,
                               .link_key = site->link_key,
                               .mail_wake = &sv->mail_wake,
                               .changes = &site->changes,
                               .mail_watch = outbox_watch_new(),
                               .node = sv->node};
    /* The stand-in hash of sign-in, before the first request. */
    accounts_prepare();
    if (o->dev)
        return dev_staff(site);
    return 0;
}

/* Block the stop signals before any thread starts, so every thread
 * inherits the mask and only sigwait() in wait_for_stop() receives them. */
static void
block_stop_signals(sigset_t *sigs)
{
    sigemptyset(sigs);
    sigaddset(sigs, SIGINT);
    sigaddset(sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The host to listen on, and the public address as far as it is known:
 * links in e-mails need it; with port 0 it is known only once bound,
 * before any e-mail can be written (start_server()). */
static int
serve_address(struct serve *sv)
{
    const char *colon = strrchr(sv->o.listen, ':');
    if (!colon)
        return cmd_usage_error(usage_serve, "--listen wants HOST:PORT");
    sv->host = sv->o.listen;
    sv->host_len = (int)(colon - sv->host);
    snprintf(sv->base_url, sizeof(sv->base_url), "%s", sv->o.base_url ? sv->o.base_url : "");
    sv->site.base_url = sv->base_url;
    sv->site.secure_cookies = strncmp(sv->base_url, "https://", 8) == 0;
    sv->site.mailer.base_url = sv->base_url;
    const char *c = sv->o.contact_email;
    if (c && !email_valid(c, strlen(c)))
        return cmd_usage_error(usage_serve, "--contact-email wants an e-mail address");
    sv->site.contact_email = c;
    return 0;
}

/* The counts in memory and the signature writer, before the first
 * request. */
static int
start_writer(struct serve *sv)
{
    struct site *site = &sv->site;

    /* Every write in a transaction of many gets SQLite's statement
     * journal, a 64 KiB buffer freed when the statement ends; glibc then
     * gives the top of the heap back to the kernel and faults it in again
     * for the next statement.  The writer does that thousands of times a
     * second: keep the memory (issue 6's profile). */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    site->flow.counts = count_mirror_new(site->store);
    if (sv->o.count_freshness_ms >= 0)
        site->count_freshness_ms = (unsigned)sv->o.count_freshness_ms;
    struct intake_config ic = {.max_queue = sv->o.intake_queue, .max_batch = sv->o.intake_batch};
    if (intake_start(&site->flow, &ic, &sv->intake, &sv->e))
        return cmd_fail(&sv->e);
    site->flow.intake = sv->intake;
    return 0;
}

/*
 * What every answer says, whatever its kind (pages add their
 * Content-Security-Policy, nosniff and Referrer-Policy: site_html_headers()):
 * no page of the site uses the browser's powerful features, so none may
 * (nor a frame, nor a script that got in); and, served over https, that
 * the browser should come back over https only, for a year.
 */
static const char permissions_policy[] =
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=()";
static const char hsts[] = "max-age=31536000";

/* The public logs' key (--log-key, or DB.log-key beside a SQLite
 * database), made at first start, named after the site's host. */
static int
load_log_keys(struct serve *sv)
{
    struct strbuf name, path;
    bool made = false;
    int r = 0;

    sb_init(&name, NULL);
    sb_init(&path, NULL);
    if (sv->o.no_public_log) {
        fprintf(stderr, "petitiond: warning: --no-public-log: the e-petitions' logs get no"
                        " entry (for benchmarks only)\n");
        sv->site.flow.log_off = true;
        goto out;
    }
    if (sv->o.log_key)
        sb_adds(&path, sv->o.log_key);
    else if (strcmp(store_engine(sv->site.store), "sqlite") == 0)
        sb_addf(&path, "%s.log-key", sv->o.db);
    if (!path.len) {
        fprintf(stderr, "petitiond: warning: no --log-key: the e-petitions' logs are kept but"
                        " not signed or served\n");
        goto out;
    }
    if (sv->o.base_url)
        log_key_name(&name, sv->o.base_url);
    else
        sb_add(&name, sv->host, sv->host_len);
    if ((r = log_keys_load(&sv->site.log_keys, path.buf, name.buf, &made, &sv->e))) {
        r = cmd_fail(&sv->e);
        goto out;
    }
    if (made)
        fprintf(stderr, "petitiond: made the logs' key %s (keep it safe: docs/verifying.md)\n",
                path.buf);
    if ((r = log_signed_open(path.buf, &sv->log_signed, &sv->e))) {
        r = cmd_fail(&sv->e);
        goto out;
    }
    log_signed_memory(sv->log_signed, &sv->log_memory);
    sv->site.flow.log_signed = true;
out:
    sb_release(&name);
    sb_release(&path);
    return r;
}

/* The HTTP server with the route table; then the base URL is known. */
static int
start_server(struct serve *sv)
{
    struct server_config cfg = {
        .listen = sv->o.listen,
        .listen_fd = sv->listen_fd,
        .threads = sv->o.threads,
        .limits = sv->o.limits,
        .handlers = {.dispatch = routes_dispatch,
                     .refuse = routes_refuse,
                     .finish = routes_finish,
                     .body_limit = routes_body_limit,
                     .app = &sv->site},
        .access_log = sv->o.access_log,
        .headers = {{"Permissions-Policy", permissions_policy}},
        .header_count = 1,
    };
    /* Only an https --base-url: over plain HTTP the header means nothing
     * to a browser, and a site on http:// must stay reachable. */
    if (sv->site.secure_cookies)
        cfg.headers[cfg.header_count++] = (struct server_header){"Strict-Transport-Security", hsts};
    routes_name_metrics();
    int r = load_log_keys(sv);
    if (r)
        return r;
    sv->listen_fd = -1; /* the server's now, even when it fails */
    if (server_start(&cfg, &sv->srv, &sv->e))
        return cmd_fail(&sv->e);
    if (!sv->o.base_url)
        snprintf(sv->base_url, sizeof(sv->base_url), "http://%.*s:%u", sv->host_len, sv->host,
                 (unsigned)server_port(sv->srv));
    return 0;
}

/* The mail delivery thread (unless e-mail has nowhere to go) and the
 * clock's jobs. */
static int
start_jobs(struct serve *sv)
{
    struct options *o = &sv->o;
    struct site *site = &sv->site;
    struct delivery_config dc = {
        .flow = &site->flow,
        .wake = &sv->mail_wake,
        .clock = &site->clock,
        .mail_dir = o->mail_dir,
        .smtp = sv->smtp,
        .from_addr = o->mail_from ? o->mail_from : "petitions@petitions.invalid",
        .from_name = "House of Commons E-petitions / Pétitions électroniques",
    };
    if (o->mail_dir || o->smtp) {
        if (delivery_start(&dc, &sv->delivery, &sv->e))
            return cmd_fail(&sv->e);
    } else {
        fprintf(stderr, "petitiond: warning: no --smtp and no --dev --mail-dir: e-mail stays "
                        "in the outbox\n");
    }
    if (scheduler_start(&site->flow, &site->clock, o->tick_ms, &sv->scheduler, &sv->e))
        return cmd_fail(&sv->e);
    if (site->log_keys.n && log_signer_start(&site->flow, &site->clock, &site->log_keys.keys[0],
                                             &sv->log_memory, 0, &sv->log_signer, &sv->e))
        return cmd_fail(&sv->e);
    if (watch_start(&site->flow, 0, &sv->watch, &sv->e))
        return cmd_fail(&sv->e);
    return 0;
}

/* Say where the site is served, and wait for SIGINT or SIGTERM. */
static int
wait_for_stop(struct serve *sv)
{
    int sig;

    printf("petitiond: serving http://%.*s:%u/ (%s rules; Ctrl-C stops)\n", sv->host_len, sv->host,
           (unsigned)server_port(sv->srv), sv->site.rules.id);
    fflush(stdout);
    sigwait(&sv->sigs, &sig);
    fprintf(stderr, "petitiond: %s: finishing requests in flight and stopping\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    return 0;
}

/* Write what the writer holds (its requests are answered; new ones get
 * 503), then finish the requests in flight; then the jobs and the mail. */
static void
serve_stop(struct serve *sv)
{
    intake_stop(sv->intake);
    server_stop(sv->srv);
    watch_stop(sv->watch);
    log_signer_stop(sv->log_signer);
    scheduler_stop(sv->scheduler);
    delivery_stop(sv->delivery);
}

/* Free what serve_open() and the steps after it made. */
static void
serve_release(struct serve *sv)
{
    intake_free(sv->intake);
    count_mirror_free(sv->site.flow.counts);
    outbox_watch_free(sv->site.flow.mail_watch);
    mailer_release(&sv->site.mailer);
    log_signed_close(sv->log_signed);
    site_release(&sv->site);
    wake_release(&sv->mail_wake);
    store_close(sv->site.store);
}

int
cmd_serve(int argc, char **argv)
{
    struct serve sv;
    int r;

    memset(&sv, 0, sizeof(sv));
    sv.e = (struct err)ERR_INIT;
    if ((r = options_parse(argc, argv, usage_serve, allowed, &sv.o)))
        return r;
    sv.listen_fd = -1;
    if ((r = check_smtp(&sv)) || (r = serve_listen(&sv)) || (r = serve_open(&sv)))
        goto out_fd;
    if ((r = serve_configure(&sv)))
        goto out;
    block_stop_signals(&sv.sigs);
    if ((r = serve_address(&sv)) || (r = start_writer(&sv)) || (r = start_server(&sv)))
        goto out;
    if ((r = start_jobs(&sv)) || (r = confine_calls(&sv)))
        goto stop;
    r = sv.o.sandbox_selftest ? sandbox_selftest(&sv) : wait_for_stop(&sv);
stop:
    serve_stop(&sv);
out:
    serve_release(&sv);
out_fd:
    if (sv.listen_fd >= 0)
        close(sv.listen_fd);
    return r;
}
