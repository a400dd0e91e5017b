/*
 * options.c: the table of every option and the one loop that reads them;
 * see options.h.
 *
 * getopt_long() does the reading (long options, "--name=value" or
 * "--name value", unique abbreviations); its table of long options is
 * made from ours.  An option's kind says how its value is checked and
 * stored at its offset in struct options.
 */
#include "cmd/options.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/err.h"
#include "lib/parse.h"
#include "mail/smtp.h"
#include "lib/banned.h"

/* What an option takes.  The kinds from OPTION_TEXT on take a value;
 * those from OPTION_UNSIGNED on are numbers, checked against min and max. */
enum option_kind {
    OPTION_HELP,     /* print the usage, exit 0 */
    OPTION_FLAG,     /* no value: the bool becomes true */
    OPTION_FLAG_OFF, /* no value: the bool becomes false */
    OPTION_TEXT,     /* const char *: the value as given */
    OPTION_LIST,     /* struct option_list: one more value, at most max */
    OPTION_SMTP_TLS, /* enum smtp_tls: none, opportunistic or required */
    OPTION_UNSIGNED, /* unsigned: a number from min to max */
    OPTION_SIZE,     /* size_t: a number from min to max */
    OPTION_LONG,     /* long: a number from min to max */
};

struct option_spec {
    const char *name; /* without the leading "--" */
    enum option_id id;
    enum option_kind kind;
    size_t at; /* offsetof(struct options, ...) */
    long long min, max;
};

#define AT(field) offsetof(struct options, field)

static const struct option_spec specs[] = {
    {"db", OPT_DB, OPTION_TEXT, AT(db), 0, 0},
    {"listen", OPT_LISTEN, OPTION_TEXT, AT(listen), 0, 0},
    {"jurisdiction", OPT_JURISDICTION, OPTION_TEXT, AT(jurisdiction), 0, 0},
    {"threads", OPT_THREADS, OPTION_UNSIGNED, AT(threads), 1, 256},
    {"max-body", OPT_MAX_BODY, OPTION_SIZE, AT(limits.max_body), 1024, 64 * 1024 * 1024},
    {"max-url", OPT_MAX_URL, OPTION_SIZE, AT(limits.max_url), 256, 16384},
    {"idle-timeout", OPT_IDLE, OPTION_UNSIGNED, AT(limits.idle_timeout), 1, 3600},
    {"max-connections", OPT_MAX_CONN, OPTION_UNSIGNED, AT(limits.max_connections), 1, 1000000},
    {"per-ip-connections", OPT_PER_IP, OPTION_UNSIGNED, AT(limits.per_ip_connections), 1, 1000000},
    {"no-access-log", OPT_NO_LOG, OPTION_FLAG_OFF, AT(access_log), 0, 0},
    {"file", OPT_FILE, OPTION_TEXT, AT(file), 0, 0},
    {"clock-file", OPT_CLOCK_FILE, OPTION_TEXT, AT(clock_file), 0, 0},
    {"base-url", OPT_BASE_URL, OPTION_TEXT, AT(base_url), 0, 0},
    {"smtp", OPT_SMTP, OPTION_TEXT, AT(smtp), 0, 0},
    {"smtp-tls", OPT_SMTP_TLS, OPTION_SMTP_TLS, AT(smtp_tls), 0, 0},
    {"smtp-ca-file", OPT_SMTP_CA_FILE, OPTION_TEXT, AT(smtp_ca_file), 0, 0},
    {"mail-from", OPT_MAIL_FROM, OPTION_TEXT, AT(mail_from), 0, 0},
    {"contact-email", OPT_CONTACT_EMAIL, OPTION_TEXT, AT(contact_email), 0, 0},
    {"metrics-from", OPT_METRICS_FROM, OPTION_TEXT, AT(metrics_from), 0, 0},
    {"log-key", OPT_LOG_KEY, OPTION_TEXT, AT(log_key), 0, 0},
    {"no-public-log", OPT_NO_PUBLIC_LOG, OPTION_FLAG, AT(no_public_log), 0, 0},
    {"user", OPT_USER, OPTION_TEXT, AT(user), 0, 0},
    {"no-sandbox", OPT_NO_SANDBOX, OPTION_FLAG, AT(no_sandbox), 0, 0},
    {"sandbox-selftest", OPT_SANDBOX_SELFTEST, OPTION_FLAG, AT(sandbox_selftest), 0, 0},
    {"dev", OPT_DEV, OPTION_FLAG, AT(dev), 0, 0},
    {"mail-dir", OPT_MAIL_DIR, OPTION_TEXT, AT(mail_dir), 0, 0},
    {"tick", OPT_TICK, OPTION_UNSIGNED, AT(tick_ms), 10, 3600000},
    {"email", OPT_EMAIL, OPTION_TEXT, AT(email), 0, 0},
    {"role", OPT_ROLE, OPTION_TEXT, AT(role), 0, 0},
    {"member", OPT_MEMBER, OPTION_TEXT, AT(member), 0, 0},
    {"ministry", OPT_MINISTRY, OPTION_TEXT, AT(ministry), 0, 0},
    {"first-name", OPT_FIRST_NAME, OPTION_TEXT, AT(first_name), 0, 0},
    {"last-name", OPT_LAST_NAME, OPTION_TEXT, AT(last_name), 0, 0},
    {"lang", OPT_LANG, OPTION_TEXT, AT(lang), 0, 0},
    {"trusted-proxy", OPT_TRUSTED_PROXY, OPTION_LIST, AT(trusted), 0, OPTION_LIST_MAX},
    {"intake-queue", OPT_INTAKE_QUEUE, OPTION_UNSIGNED, AT(intake_queue), 1, 1000000},
    {"intake-batch", OPT_INTAKE_BATCH, OPTION_UNSIGNED, AT(intake_batch), 1, 100000},
    {"count-freshness-ms", OPT_FRESHNESS, OPTION_LONG, AT(count_freshness_ms), 0, 3600000},
    {"fix", OPT_FIX, OPTION_FLAG, AT(fix), 0, 0},
    {"dry-run", OPT_DRY_RUN, OPTION_FLAG, AT(dry_run), 0, 0},
    {"db-pool", OPT_DB_POOL, OPTION_UNSIGNED, AT(db_pool), 1, 64},
    {"from", OPT_FROM, OPTION_TEXT, AT(from), 0, 0},
    {"to", OPT_TO, OPTION_TEXT, AT(to), 0, 0},
    {"help", OPT_HELP, OPTION_HELP, 0, 0, 0},
};

enum { SPEC_COUNT = sizeof(specs) / sizeof(specs[0]) };
_Static_assert(OPT_COUNT < ':' && OPT_COUNT < '?' && OPT_COUNT < 'h',
               "an option's number must not be one getopt_long() returns for itself");

/* Check and store the value of one option; returns 0 or the exit status. */
static int
option_set(const struct option_spec *spec, const char *value, const char *usage, struct options *o)
{
    void *field = (char *)o + spec->at;
    struct option_list *list = field;
    struct err e = ERR_INIT;
    long long n = 0;
    char what[64];

    if (spec->kind >= OPTION_UNSIGNED && parse_llz(value, spec->min, spec->max, &n, &e)) {
        fprintf(stderr, "petitiond: --%s wants a number from %lld to %lld, not \"%s\"\n",
                spec->name, spec->min, spec->max, value);
        return 2;
    }
    switch (spec->kind) {
    case OPTION_HELP:
        fputs(usage, stdout);
        exit(0);
    case OPTION_FLAG:
    case OPTION_FLAG_OFF:
        *(bool *)field = spec->kind == OPTION_FLAG;
        break;
    case OPTION_TEXT:
        *(const char **)field = value;
        break;
    case OPTION_LIST:
        if (list->count == spec->max) {
            snprintf(what, sizeof(what), "too many --%s", spec->name);
            return cmd_usage_error(usage, what);
        }
        list->item[list->count++] = value;
        break;
    case OPTION_SMTP_TLS:
        if (smtp_tls_parse(value, field)) {
            fprintf(stderr, "petitiond: --%s wants none, opportunistic or required, not \"%s\"\n",
                    spec->name, value);
            return 2;
        }
        break;
    case OPTION_UNSIGNED:
        *(unsigned *)field = (unsigned)n;
        break;
    case OPTION_SIZE:
        *(size_t *)field = (size_t)n;
        break;
    case OPTION_LONG:
        *(long *)field = (long)n;
        break;
    }
    return 0;
}

int
options_parse(int argc, char **argv, const char *usage, const char *allowed, struct options *o)
{
    struct option longopts[SPEC_COUNT + 1];
    int c, r;

    for (size_t i = 0; i < SPEC_COUNT; i++) {
        bool takes_value = specs[i].kind >= OPTION_TEXT;
        longopts[i] = (struct option){specs[i].name, takes_value ? required_argument : no_argument,
                                      NULL, specs[i].id};
    }
    longopts[SPEC_COUNT] = (struct option){NULL, 0, NULL, 0};

    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->access_log = true;
    server_limits_default(&o->limits);
    o->count_freshness_ms = -1;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h')
            c = OPT_HELP;
        if (c == '?' || c == ':')
            return cmd_usage_error(usage, "unknown option or missing value");
        if (c != OPT_HELP && !strchr(allowed, c))
            return cmd_usage_error(usage, "that option does not apply to this command");
        const struct option_spec *spec = specs;
        while ((int)spec->id != c)
            spec++;
        if ((r = option_set(spec, optarg, usage, o)))
            return r;
        o->given[c] = true;
    }
    if (optind < argc)
        return cmd_usage_error(usage, "unexpected argument");
    if (strchr(allowed, OPT_DB) && !o->db)
        return cmd_usage_error(usage, "--db DB is required");
    return 0;
}
