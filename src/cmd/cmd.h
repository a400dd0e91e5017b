/*
 * cmd.h: the commands of petitiond, one file each in src/cmd, and what
 * they share.
 *
 * main.c's table of commands calls an entry point below with the
 * command's arguments (argv[0] is the command's name) and exits with the
 * status it returns: 0 on success, 1 on a failure the message explains,
 * 2 on bad usage.  Each command file holds its usage text and reads its
 * options with options_parse() (options.h).  Messages go to standard
 * error, prefixed "petitiond: "; results go to standard output.
 */
#ifndef PETITIOND_CMD_H
#define PETITIOND_CMD_H

#include <stdbool.h>

struct err;
struct store;

int cmd_migrate(int argc, char **argv);   /* migrate.c */
int cmd_demo(int argc, char **argv);      /* demo.c */
int cmd_serve(int argc, char **argv);     /* serve.c */
int cmd_user(int argc, char **argv);      /* user.c */
int cmd_counts(int argc, char **argv);    /* counts.c */
int cmd_retention(int argc, char **argv); /* retention.c */
int cmd_version(int argc, char **argv);   /* version.c */
int cmd_copy(int argc, char **argv);      /* copy.c */
int cmd_backup(int argc, char **argv);    /* backup.c */
int cmd_log(int argc, char **argv);       /* log.c */

/* Print e's log text (else its code's name) and return the exit status 1. */
int cmd_fail(const struct err *e);

/* Print what went wrong, then the command's usage; return the exit status 2. */
int cmd_usage_error(const char *usage, const char *what);

/* For a command of one subcommand word ("user add", "counts check"):
 * returns 0 when argv[1] is word; prints usage and exits with status 0
 * when it is "--help"; else prints what and usage and returns 2. */
int cmd_subcommand(int argc, char **argv, const char *word, const char *usage, const char *what);

/* Open the store at db.  With must_be_current, the database must exist
 * and have this binary's schema (else ERR_STORE telling to run migrate);
 * without it (migrate alone), a missing database is created.  Returns 0
 * and *s (the caller's, store_close()), or an error with *s NULL. */
int cmd_open_store(const char *db, bool must_be_current, struct store **s, struct err *e);

#endif
