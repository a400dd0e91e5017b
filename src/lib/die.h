/*
 * die.h: the only ways the program stops itself.
 *
 * die() is for start-up failures and impossible states; die_oom() for an
 * allocation that failed.  Both write one line to standard error and exit.
 * Bad input from users is never a reason to die (house style 7 and 8).
 */
#ifndef PETITIOND_DIE_H
#define PETITIOND_DIE_H

_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die_oom(void);

#endif
