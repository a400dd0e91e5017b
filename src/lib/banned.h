/*
 * banned.h: functions we do not call, as git's banned.h.
 *
 * Included last by every .c file of the project, after the system headers
 * (`make lint`, run by `make test`, checks that it is), so a use of one of
 * these fails to compile.  Use
 * struct strbuf instead of the string functions, snprintf for bounded
 * formatting, and src/core/eastern_time.h instead of the libc time
 * conversions (they depend on the process's TZ and are not thread-safe).
 */
#ifndef PETITIOND_BANNED_H
#define PETITIOND_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)

#undef sprintf
#undef vsprintf
#define sprintf(...) BANNED(sprintf)
#define vsprintf(...) BANNED(vsprintf)

#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef gets
#define gets(s) BANNED(gets)
#undef atoi
#define atoi(s) BANNED(atoi)

#endif
