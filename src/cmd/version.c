/*
 * version.c: petitiond version (also petitiond --version).
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/banned.h"

#define PETITIOND_VERSION "0.1.0"

static const char usage_version[] = "usage: petitiond version\n\nPrint the version.\n";

int
cmd_version(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        fputs(usage_version, stdout);
        return 0;
    }
    printf("petitiond %s\n", PETITIOND_VERSION);
    return 0;
}
