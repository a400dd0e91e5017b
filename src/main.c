/*
 * main.c: the petitiond command line: the top usage text, the table of
 * commands and the dispatch.  Each command is a file of src/cmd (cmd.h)
 * with its own usage text and options:
 *
 *   petitiond migrate --db DB        create or upgrade a database
 *   petitiond demo --db DB           load the demo data (once)
 *   petitiond serve --listen HOST:PORT --db DB [options]
 *   petitiond user add --db DB --email ADDRESS --role ROLE [options]
 *   petitiond counts check --db DB [--fix]    recount signatures
 *   petitiond retention --db DB [--dry-run]   erase personal data due
 *   petitiond copy --from FILE --to URI        move a site onto PostgreSQL
 *   petitiond backup --db FILE --to FILE       back up a live SQLite site
 *   petitiond version
 *   petitiond --help, petitiond COMMAND --help
 *
 * Exit status: 0 on success, 1 on a failure the message explains, 2 on
 * bad usage.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "cmd/cmd.h"
#include "lib/banned.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    const char *help;                  /* its line in the usage text */
} commands[] = {
    {"migrate", cmd_migrate, "create the database, or upgrade it to this version's schema"},
    {"demo", cmd_demo, "load the demo petitions (e-2829 and others) into a database, once"},
    {"serve", cmd_serve, "serve the site over HTTP"},
    {"user", cmd_user, "create staff accounts (user add)"},
    {"counts", cmd_counts, "recount signatures and report any drift (counts check)"},
    {"retention", cmd_retention, "erase the personal data of signers and supporters that is due"},
    {"copy", cmd_copy, "copy a whole site from a SQLite file into PostgreSQL"},
    {"backup", cmd_backup, "back up a SQLite site while it serves"},
    {"log", cmd_log, "check an e-petition's public log from outside (log verify), rotate its key"},
    {"version", cmd_version, "print the version"},
};

static void
usage(FILE *out)
{
    fputs("usage: petitiond COMMAND [OPTIONS]\n"
          "\n"
          "petitiond serves the House of Commons e-petition site (English and French),\n"
          "its public data API, and keeps its database.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
    fputs("\n"
          "Run 'petitiond COMMAND --help' for the options of a command.\n",
          out);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("petitiond: cannot initialise libsodium or libcurl\n", stderr);
        return 1;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0)
        cmd = "version";
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "petitiond: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return 2;
}
