/*
 * main.c: the petitiond command line.
 *
 *   petitiond migrate --db PATH        create or upgrade a database
 *   petitiond demo --db PATH           load the demo data (once)
 *   petitiond serve --listen HOST:PORT --db PATH [options]
 *   petitiond version
 *   petitiond --help, petitiond COMMAND --help
 *
 * Exit status: 0 on success, 1 on a failure the message explains, 2 on
 * bad usage.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jurisdiction.h"
#include "http/routes.h"
#include "http/server.h"
#include "lib/clock.h"
#include "lib/die.h"
#include "lib/embed.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "lib/strbuf.h"
#include "store/demo_load.h"
#include "store/jurisdiction_file.h"
#include "store/store.h"
#include "web/site.h"
#include "lib/banned.h"

#define PETITIOND_VERSION "0.1.0"

static const char usage_main[] =
    "usage: petitiond COMMAND [OPTIONS]\n"
    "\n"
    "petitiond serves the House of Commons e-petition site (English and French),\n"
    "its public data API, and keeps its database.\n"
    "\n"
    "commands:\n"
    "  migrate   create the database, or upgrade it to this version's schema\n"
    "  demo      load the demo petitions (e-2829 and others) into a database, once\n"
    "  serve     serve the site over HTTP\n"
    "  version   print the version\n"
    "\n"
    "Run 'petitiond COMMAND --help' for the options of a command.\n";

static const char usage_migrate[] =
    "usage: petitiond migrate --db PATH\n"
    "\n"
    "Create the SQLite database at PATH if it does not exist, and apply every\n"
    "schema migration it lacks (each in its own transaction).  Safe to run again.\n"
    "\n"
    "options:\n"
    "  --db PATH   the database file (e.g. var/petitiond.db)\n";

static const char usage_demo[] =
    "usage: petitiond demo --db PATH [--file FILE]\n"
    "\n"
    "Load the demo data (data/demo/demo.json, built into the binary): Parliaments,\n"
    "Members, subjects, keywords, and petitions in every public state, starting\n"
    "with e-2829 as the House published it.  Loads once: a second run changes\n"
    "nothing.  Run 'petitiond migrate' first.\n"
    "\n"
    "options:\n"
    "  --db PATH     the database file\n"
    "  --file FILE   load this file (same format, \"demo\": true) instead of the\n"
    "                built-in demo data\n";

static const char usage_serve[] =
    "usage: petitiond serve --listen HOST:PORT --db PATH [OPTIONS]\n"
    "\n"
    "Serve the site until SIGINT (Ctrl-C) or SIGTERM, then finish the requests in\n"
    "flight and stop.  Prints the URL it serves on standard output and one access\n"
    "log line per request on standard error.\n"
    "\n"
    "options:\n"
    "  --listen HOST:PORT    address to listen on, e.g. 127.0.0.1:8080 or [::1]:8080;\n"
    "                        port 0 picks a free port (default 127.0.0.1:8080)\n"
    "  --db PATH             the database file (migrated: run 'petitiond migrate')\n"
    "  --jurisdiction FILE   the rules' JSON file (default: the built-in\n"
    "                        data/jurisdictions/canada-house-of-commons.json)\n"
    "  --threads N           worker threads (default: one per core)\n"
    "  --max-body BYTES      largest request body accepted (default 65536)\n"
    "  --max-url BYTES       longest request target accepted (default 2048)\n"
    "  --idle-timeout SECS   close connections idle this long (default 30)\n"
    "  --max-connections N   open connections at once (default 4096)\n"
    "  --per-ip-connections N  open connections per client address (default: no limit)\n"
    "  --no-access-log       do not log requests\n"
    "  --clock-file PATH     for tests only: take the time from the whole number of\n"
    "                        seconds in PATH whenever it holds one (read at each use)\n";

static const char usage_version[] = "usage: petitiond version\n\nPrint the version.\n";

enum {
    OPT_DB = 1,
    OPT_LISTEN,
    OPT_JURISDICTION,
    OPT_THREADS,
    OPT_MAX_BODY,
    OPT_MAX_URL,
    OPT_IDLE,
    OPT_MAX_CONN,
    OPT_PER_IP,
    OPT_NO_LOG,
    OPT_FILE,
    OPT_CLOCK_FILE,
    OPT_HELP,
};

struct options {
    const char *db;
    const char *listen;
    const char *jurisdiction;
    const char *file;
    const char *clock_file;
    struct server_limits limits;
    unsigned threads;
    bool access_log;
};

static int
fail(const struct err *e)
{
    fprintf(stderr, "petitiond: %s\n", e->log[0] ? e->log : err_code_name(e->code));
    return 1;
}

static int
usage_error(const char *usage, const char *what)
{
    fprintf(stderr, "petitiond: %s\n\n%s", what, usage);
    return 2;
}

static int
number_option(const char *name, const char *v, long long min, long long max, long long *out)
{
    struct err e = ERR_INIT;
    if (parse_llz(v, min, max, out, &e)) {
        fprintf(stderr, "petitiond: %s wants a number from %lld to %lld, not \"%s\"\n", name, min,
                max, v);
        return 2;
    }
    return 0;
}

/* Parse the options of one command; only those in allowed are accepted. */
static int
parse_options(int argc, char **argv, const char *usage, const char *allowed,
              struct options *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"jurisdiction", required_argument, NULL, OPT_JURISDICTION},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"max-body", required_argument, NULL, OPT_MAX_BODY},
        {"max-url", required_argument, NULL, OPT_MAX_URL},
        {"idle-timeout", required_argument, NULL, OPT_IDLE},
        {"max-connections", required_argument, NULL, OPT_MAX_CONN},
        {"per-ip-connections", required_argument, NULL, OPT_PER_IP},
        {"no-access-log", no_argument, NULL, OPT_NO_LOG},
        {"file", required_argument, NULL, OPT_FILE},
        {"clock-file", required_argument, NULL, OPT_CLOCK_FILE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    int c;
    long long n;

    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->access_log = true;
    server_limits_default(&o->limits);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h' || c == OPT_HELP) {
            fputs(usage, stdout);
            exit(0);
        }
        if (c == '?' || c == ':')
            return usage_error(usage, "unknown option or missing value");
        if (!strchr(allowed, c))
            return usage_error(usage, "that option does not apply to this command");
        switch (c) {
        case OPT_DB:
            o->db = optarg;
            break;
        case OPT_LISTEN:
            o->listen = optarg;
            break;
        case OPT_JURISDICTION:
            o->jurisdiction = optarg;
            break;
        case OPT_FILE:
            o->file = optarg;
            break;
        case OPT_CLOCK_FILE:
            o->clock_file = optarg;
            break;
        case OPT_THREADS:
            if (number_option("--threads", optarg, 1, 256, &n))
                return 2;
            o->threads = (unsigned)n;
            break;
        case OPT_MAX_BODY:
            if (number_option("--max-body", optarg, 1024, 64 * 1024 * 1024, &n))
                return 2;
            o->limits.max_body = (size_t)n;
            break;
        case OPT_MAX_URL:
            if (number_option("--max-url", optarg, 256, 16384, &n))
                return 2;
            o->limits.max_url = (size_t)n;
            break;
        case OPT_IDLE:
            if (number_option("--idle-timeout", optarg, 1, 3600, &n))
                return 2;
            o->limits.idle_timeout = (unsigned)n;
            break;
        case OPT_MAX_CONN:
            if (number_option("--max-connections", optarg, 1, 1000000, &n))
                return 2;
            o->limits.max_connections = (unsigned)n;
            break;
        case OPT_PER_IP:
            if (number_option("--per-ip-connections", optarg, 1, 1000000, &n))
                return 2;
            o->limits.per_ip_connections = (unsigned)n;
            break;
        case OPT_NO_LOG:
            o->access_log = false;
            break;
        }
    }
    if (optind < argc)
        return usage_error(usage, "unexpected argument");
    if (strchr(allowed, OPT_DB) && !o->db)
        return usage_error(usage, "--db PATH is required");
    return 0;
}

/* Read a whole file (at most 16 MiB) into a heap buffer. */
static int
read_file(const char *path, char **out, size_t *len, struct err *e)
{
    FILE *fp = fopen(path, "rb");
    struct strbuf sb;
    char buf[8192];
    size_t n;

    if (!fp)
        return err_set(e, ERR_IO, "error.io", NULL, "cannot open %s", path);
    sb_init(&sb, NULL);
    sb_set_max(&sb, 16 * 1024 * 1024);
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_add(&sb, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || sb_failed(&sb)) {
        sb_release(&sb);
        return err_set(e, ERR_IO, "error.io", NULL, "cannot read %s (or larger than 16 MiB)",
                       path);
    }
    *out = sb_detach(&sb, len);
    return 0;
}

/* Open the store and check its schema is this binary's. */
static int
open_store(const char *db, bool must_be_current, struct store **s, struct err *e)
{
    /* Only migrate (which does not ask for the current schema) creates. */
    int r = store_open(db, !must_be_current, s, e), version;
    if (r)
        return r;
    if (!must_be_current)
        return 0;
    int latest = store_migrations_latest();
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

static int
cmd_migrate(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    int r, applied = 0, version = 0;

    if ((r = parse_options(argc, argv, usage_migrate, allowed, &o)))
        return r;
    if (open_store(o.db, false, &s, &e) || s->ops->migrate(s, &applied, &e) ||
        s->ops->schema_version(s, &version, &e)) {
        store_close(s);
        return fail(&e);
    }
    store_close(s);
    printf("petitiond: %s: %d migration%s applied, schema version %d\n", o.db, applied,
           applied == 1 ? "" : "s", version);
    return 0;
}

static int
cmd_demo(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_FILE, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    struct clock clk = {0};
    bool loaded = false;
    char *owned = NULL; /* the --file contents; the built-in data is not copied */
    const char *text;
    size_t len;
    int r;

    if ((r = parse_options(argc, argv, usage_demo, allowed, &o)))
        return r;
    if (o.file) {
        if (read_file(o.file, &owned, &len, &e))
            return fail(&e);
        text = owned;
    } else {
        const struct embedded_file *f = embed_find(DEMO_DEFAULT);
        if (!f) {
            fprintf(stderr, "petitiond: no demo data built in\n");
            return 1;
        }
        text = (const char *)f->data;
        len = f->len;
    }
    r = open_store(o.db, true, &s, &e);
    if (!r)
        r = demo_load(s, text, len, clock_now(&clk), &loaded, &e);
    store_close(s);
    free(owned);
    if (r)
        return fail(&e);
    printf(loaded ? "petitiond: %s: demo data loaded\n"
                  : "petitiond: %s: demo data already loaded; nothing changed\n",
           o.db);
    return 0;
}

static int
cmd_serve(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB,      OPT_LISTEN,   OPT_JURISDICTION, OPT_THREADS,
                                   OPT_MAX_BODY, OPT_MAX_URL, OPT_IDLE,         OPT_MAX_CONN,
                                   OPT_PER_IP,  OPT_NO_LOG,   OPT_CLOCK_FILE, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct site site;
    struct server *srv = NULL;
    sigset_t sigs;
    int r, sig;

    if ((r = parse_options(argc, argv, usage_serve, allowed, &o)))
        return r;
    memset(&site, 0, sizeof(site));
    site.clock.file = o.clock_file;
    if (o.clock_file)
        fprintf(stderr, "petitiond: warning: the time is taken from %s when it holds one "
                        "(--clock-file is for tests only)\n",
                o.clock_file);
    if (jurisdiction_load(o.jurisdiction, &site.rules, &e))
        return fail(&e);
    if (open_store(o.db, true, &site.store, &e))
        return fail(&e);
    if (site_init(&site, &e)) {
        r = fail(&e);
        goto out;
    }

    /* Block the stop signals before any thread starts, so every thread
     * inherits the mask and only sigwait() below receives them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server_config cfg = {
        .listen = o.listen,
        .threads = o.threads,
        .limits = o.limits,
        .handlers = {.dispatch = routes_dispatch, .refuse = site_refuse, .app = &site},
        .access_log = o.access_log,
    };
    if (server_start(&cfg, &srv, &e)) {
        r = fail(&e);
        goto out;
    }
    const char *host = o.listen;
    const char *colon = strrchr(host, ':');
    printf("petitiond: serving http://%.*s:%u/ (%s rules; Ctrl-C stops)\n",
           (int)(colon - host), host, (unsigned)server_port(srv), site.rules.id);
    fflush(stdout);

    sigwait(&sigs, &sig);
    fprintf(stderr, "petitiond: %s: finishing requests in flight and stopping\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(srv);
    r = 0;
out:
    site_release(&site);
    store_close(site.store);
    return r;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(argc - 1, argv + 1);
    if (strcmp(cmd, "demo") == 0)
        return cmd_demo(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        if (argc > 2 && strcmp(argv[2], "--help") == 0) {
            fputs(usage_version, stdout);
            return 0;
        }
        printf("petitiond %s\n", PETITIOND_VERSION);
        return 0;
    }
    fprintf(stderr, "petitiond: unknown command \"%s\"\n\n%s", cmd, usage_main);
    return 2;
}
