/*
 * main.c: the petitiond command line.
 *
 *   petitiond migrate --db PATH        create or upgrade a database
 *   petitiond demo --db PATH           load the demo data (once)
 *   petitiond serve --listen HOST:PORT --db PATH [options]
 *   petitiond retention --db PATH [--dry-run]   erase personal data due
 *   petitiond version
 *   petitiond --help, petitiond COMMAND --help
 *
 * Exit status: 0 on success, 1 on a failure the message explains, 2 on
 * bad usage.
 */
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/account.h"
#include "core/eastern_time.h"
#include "core/email.h"
#include "core/jurisdiction.h"
#include "core/netaddr.h"
#include "jobs/scheduler.h"
#include "lib/arena.h"
#include "lib/token.h"
#include "mail/delivery.h"
#include "mail/outbox.h"
#include "mail/smtp.h"
#include "web/auth.h"
#include "http/routes.h"
#include "http/fdlimit.h"
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
#include "site/site.h"
#include "workflow/counts.h"
#include "workflow/house.h"
#include "workflow/intake.h"
#include "workflow/retention.h"
#include "workflow/signing.h"
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
    "  user      create staff accounts (user add)\n"
    "  counts    recount signatures and report any drift (counts check)\n"
    "  retention erase the personal data of signers and supporters that is due\n"
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
    "                        X-Forwarded-For, for rate limits and the block list\n";

static const char usage_counts[] =
    "usage: petitiond counts check --db PATH [--fix]\n"
    "\n"
    "Recount the validated signatures of every e-petition from its rows and compare\n"
    "them with the counts the pages show (by province or territory and in total).\n"
    "Prints one line per petition that differs and a summary; exit status 1 when\n"
    "any differs.  The server runs the same check every hour.\n"
    "\n"
    "options:\n"
    "  --db PATH   the database file\n"
    "  --fix       set the shown counts to the recount (each petition in one\n"
    "              transaction)\n";

static const char usage_retention[] =
    "usage: petitiond retention --db PATH [--dry-run]\n"
    "\n"
    "Erase the personal data (names, e-mail addresses, telephone numbers, postal\n"
    "codes, network addresses) of the signatories and supporters of every petition\n"
    "that reached a final state more than retention_days (30) days ago, and of the\n"
    "supporters of drafts that ended unpublished; delete sent e-mail and finished\n"
    "mailing lists as old.  The counts by province and the public record stay.\n"
    "Prints one line per petition and a total.  The server does the same daily.\n"
    "\n"
    "options:\n"
    "  --db PATH            the database file\n"
    "  --dry-run            only list what would be erased; change nothing\n"
    "  --jurisdiction FILE  the jurisdiction's rules (default: the built-in file)\n"
    "  --clock-file PATH    for tests only: take the time from this file\n";

static const char usage_user[] =
    "usage: petitiond user add --db PATH --email ADDRESS --role ROLE [OPTIONS]\n"
    "\n"
    "Create a staff account and print a one-time link (valid 7 days) where its\n"
    "holder sets a password.  ROLE is clerk, member, responder or admin.\n"
    "\n"
    "options:\n"
    "  --db PATH             the database file\n"
    "  --email ADDRESS       the holder's e-mail address (they sign in with it)\n"
    "  --role ROLE           clerk, member, responder or admin\n"
    "  --member KEY          role member: the Member's key or id (e.g. arya)\n"
    "  --ministry CODE       role responder: the ministry (e.g. foreign-affairs)\n"
    "  --first-name NAME, --last-name NAME   the holder's name\n"
    "  --lang en|fr          the language of their e-mails (default en)\n"
    "  --base-url URL        the site's public address (default http://127.0.0.1:8080)\n";

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
    OPT_BASE_URL,
    OPT_SMTP,
    OPT_SMTP_TLS,
    OPT_SMTP_CA_FILE,
    OPT_MAIL_FROM,
    OPT_DEV,
    OPT_MAIL_DIR,
    OPT_TICK,
    OPT_EMAIL,
    OPT_ROLE,
    OPT_MEMBER,
    OPT_MINISTRY,
    OPT_FIRST_NAME,
    OPT_LAST_NAME,
    OPT_LANG,
    OPT_TRUSTED_PROXY,
    OPT_INTAKE_QUEUE,
    OPT_INTAKE_BATCH,
    OPT_FRESHNESS,
    OPT_FIX,
    OPT_DRY_RUN,
    OPT_HELP,
};

struct options {
    const char *db;
    const char *listen;
    const char *jurisdiction;
    const char *file;
    const char *clock_file;
    const char *base_url;
    const char *smtp;
    enum smtp_tls smtp_tls;
    bool smtp_tls_given;
    const char *smtp_ca_file;
    const char *mail_from;
    bool dev;
    const char *mail_dir;
    unsigned tick_ms;
    unsigned intake_queue, intake_batch;
    long count_freshness_ms; /* -1 = the default */
    const char *trusted[SITE_TRUSTED_MAX];
    int trusted_count;
    bool fix;
    bool dry_run;
    const char *email, *role, *member, *ministry, *first_name, *last_name, *lang;
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
        {"base-url", required_argument, NULL, OPT_BASE_URL},
        {"smtp", required_argument, NULL, OPT_SMTP},
        {"smtp-tls", required_argument, NULL, OPT_SMTP_TLS},
        {"smtp-ca-file", required_argument, NULL, OPT_SMTP_CA_FILE},
        {"mail-from", required_argument, NULL, OPT_MAIL_FROM},
        {"dev", no_argument, NULL, OPT_DEV},
        {"mail-dir", required_argument, NULL, OPT_MAIL_DIR},
        {"tick", required_argument, NULL, OPT_TICK},
        {"email", required_argument, NULL, OPT_EMAIL},
        {"role", required_argument, NULL, OPT_ROLE},
        {"member", required_argument, NULL, OPT_MEMBER},
        {"ministry", required_argument, NULL, OPT_MINISTRY},
        {"first-name", required_argument, NULL, OPT_FIRST_NAME},
        {"last-name", required_argument, NULL, OPT_LAST_NAME},
        {"lang", required_argument, NULL, OPT_LANG},
        {"trusted-proxy", required_argument, NULL, OPT_TRUSTED_PROXY},
        {"intake-queue", required_argument, NULL, OPT_INTAKE_QUEUE},
        {"intake-batch", required_argument, NULL, OPT_INTAKE_BATCH},
        {"count-freshness-ms", required_argument, NULL, OPT_FRESHNESS},
        {"fix", no_argument, NULL, OPT_FIX},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    int c;
    long long n;

    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->access_log = true;
    server_limits_default(&o->limits);
    o->count_freshness_ms = -1;
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
        case OPT_BASE_URL:
            o->base_url = optarg;
            break;
        case OPT_SMTP:
            o->smtp = optarg;
            break;
        case OPT_SMTP_TLS:
            if (smtp_tls_parse(optarg, &o->smtp_tls)) {
                fprintf(stderr,
                        "petitiond: --smtp-tls wants none, opportunistic or required, not "
                        "\"%s\"\n",
                        optarg);
                return 2;
            }
            o->smtp_tls_given = true;
            break;
        case OPT_SMTP_CA_FILE:
            o->smtp_ca_file = optarg;
            break;
        case OPT_MAIL_FROM:
            o->mail_from = optarg;
            break;
        case OPT_DEV:
            o->dev = true;
            break;
        case OPT_MAIL_DIR:
            o->mail_dir = optarg;
            break;
        case OPT_TICK:
            if (number_option("--tick", optarg, 10, 3600000, &n))
                return 2;
            o->tick_ms = (unsigned)n;
            break;
        case OPT_INTAKE_QUEUE:
            if (number_option("--intake-queue", optarg, 1, 1000000, &n))
                return 2;
            o->intake_queue = (unsigned)n;
            break;
        case OPT_FRESHNESS:
            if (number_option("--count-freshness-ms", optarg, 0, 3600000, &n))
                return 2;
            o->count_freshness_ms = (long)n;
            break;
        case OPT_INTAKE_BATCH:
            if (number_option("--intake-batch", optarg, 1, 100000, &n))
                return 2;
            o->intake_batch = (unsigned)n;
            break;
        case OPT_TRUSTED_PROXY:
            if (o->trusted_count == SITE_TRUSTED_MAX)
                return usage_error(usage, "too many --trusted-proxy");
            o->trusted[o->trusted_count++] = optarg;
            break;
        case OPT_FIX:
            o->fix = true;
            break;
        case OPT_DRY_RUN:
            o->dry_run = true;
            break;
        case OPT_EMAIL:
            o->email = optarg;
            break;
        case OPT_ROLE:
            o->role = optarg;
            break;
        case OPT_MEMBER:
            o->member = optarg;
            break;
        case OPT_MINISTRY:
            o->ministry = optarg;
            break;
        case OPT_FIRST_NAME:
            o->first_name = optarg;
            break;
        case OPT_LAST_NAME:
            o->last_name = optarg;
            break;
        case OPT_LANG:
            o->lang = optarg;
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

/* The mail thread's source of mail to many. */
/* The delivery thread's render hook (delivery.h): e-mail about a signature. */
static int
signature_mail(void *arg, struct arena *a, struct outbox_mail *m, struct err *e)
{
    return sign_mail_render(arg, a, m, e);
}

static int
mailing_more(void *arg, int batch, int *did, int64_t now, struct err *e)
{
    return house_mailing_step(arg, batch, did, now, e);
}

/* Create a staff account from the command line, with its audit record. */
static int
staff_insert(struct store *s, struct user *u, struct err *e)
{
    struct audit_entry a = {.at = u->created_at, .role = "system", .action = "user.add",
                            .target = u->email, .reason = "command line"};
    int r = s->ops->begin(s, e);
    if (r)
        return r;
    if ((r = s->ops->audit_append(s, &a, e)) || (r = s->ops->user_insert(s, u, e))) {
        s->ops->rollback(s);
        return r;
    }
    return s->ops->commit(s, e);
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

/* The key of e-mailed links, made once per database and kept in meta. */
static int
link_key(struct store *s, unsigned char key[TOKEN_KEY_BYTES], struct err *e)
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
           "(password \"%s\"):\n", password);
    for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]) && !r; i++) {
        struct user u = {0};
        printf("petitiond:   %-26s %s\n", staff[i].email, staff[i].role);
        if (s->ops->user_get(s, a, 0, staff[i].email, &u, &e) == 0)
            continue;
        struct member m = {0};
        struct ministry min = {0};
        if (staff[i].member && s->ops->member_get(s, a, 0, staff[i].member, &m, &e))
            continue; /* no demo data loaded */
        if (staff[i].ministry && s->ops->ministry_get(s, a, 0, staff[i].ministry, &min, &e))
            continue;
        if (password_hash(password, hash))
            die_oom();
        role_from_name(staff[i].role, strlen(staff[i].role), &u.role);
        u.email = staff[i].email;
        u.first_name = staff[i].first;
        u.last_name = staff[i].last;
        u.password_hash = hash;
        u.member_id = m.id;
        u.ministry_id = min.id;
        u.lang = LANG_EN;
        u.created_at = clock_now(&site->clock);
        u.activated_at = u.created_at;
        if ((r = staff_insert(s, &u, &e)))
            r = fail(&e);
    }
    fflush(stdout);
    arena_free(a);
    return r;
}

static int
cmd_user(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB,       OPT_EMAIL,     OPT_ROLE,      OPT_MEMBER,
                                   OPT_MINISTRY, OPT_FIRST_NAME, OPT_LAST_NAME, OPT_LANG,
                                   OPT_BASE_URL, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    unsigned char key[TOKEN_KEY_BYTES];
    struct arena *a;
    enum role role;
    int r;

    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
            fputs(usage_user, stdout);
            return 0;
        }
        return usage_error(usage_user, "the only user command is 'user add'");
    }
    if ((r = parse_options(argc - 1, argv + 1, usage_user, allowed, &o)))
        return r;
    if (!o.email || !email_valid(o.email, strlen(o.email)))
        return usage_error(usage_user, "--email wants a valid e-mail address");
    if (!o.role || role_from_name(o.role, strlen(o.role), &role) || role == ROLE_PETITIONER)
        return usage_error(usage_user, "--role is clerk, member, responder or admin");
    enum lang lang = LANG_EN;
    if (o.lang && lang_from_code(o.lang, strlen(o.lang), &lang))
        return usage_error(usage_user, "--lang is en or fr");
    if (open_store(o.db, true, &s, &e) || link_key(s, key, &e))
        return fail(&e);
    a = arena_new();
    struct user u = {.email = o.email, .role = role, .lang = lang,
                     .first_name = o.first_name ? o.first_name : "",
                     .last_name = o.last_name ? o.last_name : "",
                     .created_at = (int64_t)time(NULL)};
    r = 1;
    if (role == ROLE_MEMBER) {
        struct member m;
        long long id = 0;
        if (!o.member) {
            usage_error(usage_user, "role member needs --member KEY");
            r = 2;
            goto out;
        }
        parse_llz(o.member, 1, INT64_MAX, &id, NULL);
        if (s->ops->member_get(s, a, id, o.member, &m, &e)) {
            fprintf(stderr, "petitiond: no Member \"%s\"\n", o.member);
            goto out;
        }
        u.member_id = m.id;
    }
    if (role == ROLE_RESPONDER) {
        struct ministry m;
        if (!o.ministry || s->ops->ministry_get(s, a, 0, o.ministry, &m, &e)) {
            fprintf(stderr, "petitiond: role responder needs --ministry CODE of a ministry\n");
            r = 2;
            goto out;
        }
        u.ministry_id = m.id;
    }
    if (staff_insert(s, &u, &e)) {
        if (e.code == ERR_CONFLICT)
            fprintf(stderr, "petitiond: %s already has an account\n", o.email);
        else
            fail(&e);
        goto out;
    }
    printf("petitiond: %s account created for %s\n"
           "petitiond: one-time link to set the password (valid 7 days):\n%s\n",
           role_name(role), o.email,
           account_link_make(a, key, o.base_url ? o.base_url : "http://127.0.0.1:8080", "reset",
                             &u, u.created_at + SET_PASSWORD_LIFETIME, lang));
    r = 0;
out:
    arena_free(a);
    store_close(s);
    return r;
}

static int
cmd_counts(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_FIX, OPT_JURISDICTION, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    struct jurisdiction rules;
    struct count_drift *drift;
    int n, checked, r;

    if (argc < 2 || strcmp(argv[1], "check") != 0) {
        if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
            fputs(usage_counts, stdout);
            return 0;
        }
        return usage_error(usage_counts, "the counts command is 'counts check'");
    }
    if ((r = parse_options(argc - 1, argv + 1, usage_counts, allowed, &o)))
        return r;
    if (jurisdiction_load(o.jurisdiction, &rules, &e) || open_store(o.db, true, &s, &e))
        return fail(&e);
    struct flow f = {.store = s, .rules = &rules};
    struct arena *a = arena_new();
    struct clock clk = {0};
    if (counts_check(&f, a, o.fix, clock_now(&clk), &drift, &n, &checked, &e)) {
        r = fail(&e);
    } else {
        for (int i = 0; i < n; i++)
            printf("e-%ld: shown %lld, recount %lld (%d region%s differ)%s\n", drift[i].e_number,
                   (long long)drift[i].stored_total, (long long)drift[i].expected_total,
                   drift[i].regions_off, drift[i].regions_off == 1 ? "" : "s",
                   o.fix ? ": fixed" : "");
        printf("petitiond: %d e-petition%s checked, %d differ%s%s\n", checked,
               checked == 1 ? "" : "s", n, n == 1 ? "s" : "", n && o.fix ? " (fixed)" : "");
        r = n && !o.fix ? 1 : 0;
    }
    arena_free(a);
    store_close(s);
    return r;
}

/* "1,234,567": a count with thousands separators (static buffer). */
static const char *
grouped(int64_t v)
{
    static char out[32];
    char digits[24];
    int n = snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? 0 : v)), k = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return out;
}

static int
cmd_retention(int argc, char **argv)
{
    static const char allowed[] = {OPT_DB, OPT_DRY_RUN, OPT_JURISDICTION, OPT_CLOCK_FILE, 0};
    struct options o;
    struct err e = ERR_INIT;
    struct store *s = NULL;
    struct jurisdiction rules;
    struct retention_item *items;
    int n, r;

    if ((r = parse_options(argc, argv, usage_retention, allowed, &o)))
        return r;
    if (o.clock_file)
        fprintf(stderr, "petitiond: the time is read from %s (--clock-file is for tests only)\n",
                o.clock_file);
    if (jurisdiction_load(o.jurisdiction, &rules, &e) || open_store(o.db, true, &s, &e))
        return fail(&e);
    struct flow f = {.store = s, .rules = &rules};
    struct arena *a = arena_new();
    struct clock clk = {.file = o.clock_file};
    r = retention_run(&f, a, o.dry_run, clock_now(&clk), &items, &n, &e);
    /* On an error, what was erased before it is still listed. */
    int64_t signatures = 0, supporters = 0;
    for (int i = 0; i < n; i++) {
        struct strbuf since;
        sb_init(&since, a);
        eastern_format_iso_date(&since, items[i].final_at);
        printf("%s  %s since %s: %s signature%s, ", items[i].label,
               petition_state_name(items[i].state), since.buf, grouped(items[i].signatures),
               items[i].signatures == 1 ? "" : "s");
        printf("%s supporter%s\n", grouped(items[i].supporters),
               items[i].supporters == 1 ? "" : "s");
        signatures += items[i].signatures;
        supporters += items[i].supporters;
    }
    printf("petitiond: %d petition%s %s: %s signature%s, ", n, n == 1 ? "" : "s",
           o.dry_run ? "due (dry run, nothing erased)" : "erased", grouped(signatures),
           signatures == 1 ? "" : "s");
    printf("%s supporter%s\n", grouped(supporters), supporters == 1 ? "" : "s");
    r = r ? fail(&e) : 0;
    arena_free(a);
    store_close(s);
    return r;
}

static int
cmd_serve(int argc, char **argv)
{
    static const char allowed[] = {
        OPT_DB,           OPT_LISTEN,       OPT_JURISDICTION, OPT_THREADS,
        OPT_MAX_BODY,     OPT_MAX_URL,      OPT_IDLE,         OPT_MAX_CONN,
        OPT_PER_IP,       OPT_NO_LOG,       OPT_CLOCK_FILE,   OPT_BASE_URL,
        OPT_SMTP,         OPT_SMTP_TLS,     OPT_SMTP_CA_FILE, OPT_MAIL_FROM,
        OPT_DEV,          OPT_MAIL_DIR,     OPT_TICK,         OPT_TRUSTED_PROXY,
        OPT_INTAKE_QUEUE, OPT_INTAKE_BATCH, OPT_FRESHNESS,    0};
    struct options o;
    struct err e = ERR_INIT;
    struct site site;
    struct server *srv = NULL;
    struct delivery *delivery = NULL;
    struct scheduler *scheduler = NULL;
    struct intake *intake = NULL;
    char base_url[512];
    sigset_t sigs;
    int r, sig;

    if ((r = parse_options(argc, argv, usage_serve, allowed, &o)))
        return r;
    /* The relay's TLS policy before anything starts: a mistake here would
     * otherwise fail every e-mail, quietly, hours later. */
    struct smtp_config smtp = {.url = o.smtp,
                               .username = getenv("PETITIOND_SMTP_USER"),
                               .password = getenv("PETITIOND_SMTP_PASSWORD"),
                               .tls = o.smtp_tls,
                               .ca_file = o.smtp_ca_file};
    if (!o.smtp && (o.smtp_tls_given || o.smtp_ca_file)) {
        fprintf(stderr, "petitiond: --smtp-tls and --smtp-ca-file need --smtp URL\n");
        return 2;
    }
    if (o.smtp && smtp_config_check(&smtp, &e)) {
        fprintf(stderr, "petitiond: %s\n", e.log);
        return e.code == ERR_IO ? 1 : 2;
    }
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
    if (site_init(&site, &e) || link_key(site.store, site.link_key, &e)) {
        r = fail(&e);
        goto out;
    }
    if (o.mail_dir && !o.dev) {
        r = usage_error(usage_serve, "--mail-dir needs --dev");
        goto out;
    }
    for (int i = 0; i < o.trusted_count; i++) {
        if (netrange_parse(o.trusted[i], &site.trusted[i])) {
            r = usage_error(usage_serve, "--trusted-proxy wants an address or a network");
            goto out;
        }
    }
    site.trusted_count = o.trusted_count;
    site.dev = o.dev;
    site.mail_dir = o.mail_dir;
    site.mailer.store = site.store;
    for (int i = 0; i < LANG_COUNT; i++)
        site.mailer.messages[i] = site.messages[i];
    if (mailer_init(&site.mailer, &e)) {
        r = fail(&e);
        goto out;
    }
    site.flow = (struct flow){.store = site.store, .mailer = &site.mailer, .rules = &site.rules,
                              .link_key = site.link_key, .changes = &site.changes};
    if (o.dev && (r = dev_staff(&site)))
        goto out;

    /* Block the stop signals before any thread starts, so every thread
     * inherits the mask and only sigwait() below receives them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Room in the open-file limit for every connection allowed; too little
     * room lowers the limit, it never stops the start (fdlimit.h). */
    struct fdlimit fl;
    if (fdlimit_fit(o.limits.max_connections, o.threads, &fl, &e))
        fprintf(stderr, "petitiond: warning: %s\n", e.log);
    if (fl.soft != fl.before)
        fprintf(stderr, "petitiond: open-file limit raised from %llu to %llu\n",
                (unsigned long long)fl.before, (unsigned long long)fl.soft);
    if (fl.connections < o.limits.max_connections) {
        fprintf(stderr,
                "petitiond: warning: the open-file limit (%llu, hard limit %llu) holds only "
                "%u connections: --max-connections lowered from %u; raise the hard limit "
                "(ulimit -Hn, systemd LimitNOFILE=) for more\n",
                (unsigned long long)fl.soft, (unsigned long long)fl.hard, fl.connections,
                o.limits.max_connections);
        o.limits.max_connections = fl.connections;
    }
    e = (struct err)ERR_INIT;
    struct server_config cfg = {
        .listen = o.listen,
        .threads = o.threads,
        .limits = o.limits,
        .handlers = {.dispatch = routes_dispatch, .refuse = site_refuse,
                     .finish = routes_finish, .app = &site},
        .access_log = o.access_log,
    };
    const char *host = o.listen;
    const char *colon = strrchr(host, ':');
    if (!colon) {
        r = usage_error(usage_serve, "--listen wants HOST:PORT");
        goto out;
    }
    /* Links in e-mails need the public address; with port 0 it is known
     * only once bound, before any e-mail can be written. */
    snprintf(base_url, sizeof(base_url), "%s", o.base_url ? o.base_url : "");
    site.base_url = base_url;
    site.secure_cookies = strncmp(base_url, "https://", 8) == 0;
    site.mailer.base_url = base_url;
    /* The counts in memory and the signature writer, before the first
     * request. */
    /* Every write in a transaction of many gets SQLite's statement
     * journal, a 64 KiB buffer freed when the statement ends; glibc then
     * gives the top of the heap back to the kernel and faults it in again
     * for the next statement.  The writer does that thousands of times a
     * second: keep the memory (issue 6's profile). */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    site.flow.counts = count_mirror_new(site.store);
    if (o.count_freshness_ms >= 0)
        site.count_freshness_ms = (unsigned)o.count_freshness_ms;
    if (site.store->ops->checkpoints_start(site.store, &e)) {
        r = fail(&e);
        goto out;
    }
    struct intake_config ic = {.max_queue = o.intake_queue, .max_batch = o.intake_batch};
    if (intake_start(&site.flow, &ic, &intake, &e)) {
        r = fail(&e);
        goto out;
    }
    site.flow.intake = intake;
    if (server_start(&cfg, &srv, &e)) {
        r = fail(&e);
        goto out;
    }
    if (!o.base_url)
        snprintf(base_url, sizeof(base_url), "http://%.*s:%u", (int)(colon - host), host,
                 (unsigned)server_port(srv));
    struct delivery_config dc = {
        .store = site.store,
        .clock = &site.clock,
        .mail_dir = o.mail_dir,
        .smtp = smtp,
        .from_addr = o.mail_from ? o.mail_from : "petitions@petitions.invalid",
        .from_name = "House of Commons E-petitions / Pétitions électroniques",
        .more = mailing_more,
        .more_arg = &site.flow,
        .render = signature_mail,
        .render_arg = &site.flow,
    };
    if (o.mail_dir || o.smtp) {
        if (delivery_start(&dc, &delivery, &e)) {
            r = fail(&e);
            goto stop;
        }
        site.flow.delivery = delivery;
    } else {
        fprintf(stderr, "petitiond: warning: no --smtp and no --dev --mail-dir: e-mail stays "
                        "in the outbox\n");
    }
    if (scheduler_start(&site.flow, &site.clock, o.tick_ms, &scheduler, &e)) {
        r = fail(&e);
        goto stop;
    }
    printf("petitiond: serving http://%.*s:%u/ (%s rules; Ctrl-C stops)\n",
           (int)(colon - host), host, (unsigned)server_port(srv), site.rules.id);
    fflush(stdout);

    sigwait(&sigs, &sig);
    fprintf(stderr, "petitiond: %s: finishing requests in flight and stopping\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    r = 0;
stop:
    /* Write what the writer holds (its requests are answered; new ones
     * get 503), then finish the requests in flight. */
    intake_stop(intake);
    server_stop(srv);
    scheduler_stop(scheduler);
    delivery_stop(delivery);
out:
    intake_free(intake);
    count_mirror_free(site.flow.counts);
    mailer_release(&site.mailer);
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
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("petitiond: cannot initialise libsodium or libcurl\n", stderr);
        return 1;
    }
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
    if (strcmp(cmd, "user") == 0)
        return cmd_user(argc - 1, argv + 1);
    if (strcmp(cmd, "counts") == 0)
        return cmd_counts(argc - 1, argv + 1);
    if (strcmp(cmd, "retention") == 0)
        return cmd_retention(argc - 1, argv + 1);
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
