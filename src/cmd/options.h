/*
 * options.h: the options of every command, read through one table.
 *
 * options.c holds one table of every option any command takes: its name
 * (--db), what it takes (nothing, a text, a number within a range, one
 * more entry of a list) and where its value goes in struct options.  A
 * command names the options it accepts; any other option is a usage
 * error, as is a positional argument.  Each value is checked when its
 * option is read, in the order given.  "-h" and "--help" print the
 * command's usage on standard output and exit with status 0 at once.
 *
 * Every error is printed on standard error ("petitiond: ..."), followed
 * by the command's usage except for a number out of range, and gives exit
 * status 2:
 *
 *   unknown option or missing value
 *   that option does not apply to this command
 *   --threads wants a number from 1 to 256, not "abc"
 *   --smtp-tls wants none, opportunistic or required, not "tls"
 *   too many --trusted-proxy
 *   unexpected argument
 *   --db PATH is required        (when the command accepts --db)
 */
#ifndef PETITIOND_OPTIONS_H
#define PETITIOND_OPTIONS_H

#include <stdbool.h>

#include "http/server.h"
#include "mail/smtp.h"
#include "site/site.h" /* SITE_TRUSTED_MAX */

/* Every option, by the number getopt_long() returns for it.  A command's
 * list of accepted options is a string of these ending in 0, so each is
 * a nonzero char. */
enum option_id {
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
    OPT_DB_POOL,
    OPT_FROM,
    OPT_TO,
    OPT_CONTACT_EMAIL,
    OPT_METRICS_FROM,
    OPT_LOG_KEY,
    OPT_NO_PUBLIC_LOG,
    OPT_USER,
    OPT_NO_SANDBOX,
    OPT_SANDBOX_SELFTEST,
    OPT_HELP,
    OPT_COUNT
};

enum { OPTION_LIST_MAX = SITE_TRUSTED_MAX };

/* The values of a repeatable option, in the order given. */
struct option_list {
    const char *item[OPTION_LIST_MAX];
    int count;
};

/* What the options said; NULL, 0 or false for an option not given,
 * except the defaults options_parse() sets. */
struct options {
    const char *db;
    const char *listen; /* default "127.0.0.1:8080" */
    const char *jurisdiction;
    const char *file;
    const char *clock_file;
    const char *base_url;
    const char *smtp;
    enum smtp_tls smtp_tls;
    const char *smtp_ca_file;
    const char *mail_from;
    const char *contact_email;
    const char *metrics_from; /* --metrics-from: NET[,NET...] */
    const char *log_key;      /* --log-key: the public logs' key file */
    bool no_public_log;       /* --no-public-log: for benchmarks only */
    const char *user;         /* --user: serve as this user (started as root) */
    bool no_sandbox;          /* --no-sandbox: no Landlock, no seccomp */
    bool sandbox_selftest;    /* --sandbox-selftest: confine, try what is refused, stop */
    bool dev;
    const char *mail_dir;
    unsigned tick_ms;
    unsigned db_pool;      /* 0 = the backend's default */
    const char *from, *to; /* copy, backup */
    unsigned intake_queue, intake_batch;
    long count_freshness_ms; /* -1 = the default */
    struct option_list trusted;
    bool fix;
    bool dry_run;
    const char *email, *role, *member, *ministry, *first_name, *last_name, *lang;
    struct server_limits limits; /* default server_limits_default() */
    unsigned threads;
    bool access_log;       /* default true */
    bool given[OPT_COUNT]; /* which options were given */
};

/* Read the options of one command: argv[0] is the command's name, then
 * its options.  allowed is the command's options, a string of enum
 * option_id ending in 0; usage is the command's usage text.  The values
 * point into argv.  Returns 0, or the exit status 2 after printing the
 * error; does not return after printing the usage for -h or --help. */
int options_parse(int argc, char **argv, const char *usage, const char *allowed, struct options *o);

#endif
