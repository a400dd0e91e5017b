/*
 * die.c: fatal exits, kept in one place so they are easy to audit.
 */
#include "lib/die.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "lib/banned.h"

void
die(const char *fmt, ...)
{
    va_list ap;
    fputs("petitiond: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(70);
}

void
die_oom(void)
{
    fputs("petitiond: fatal: out of memory\n", stderr);
    abort();
}
