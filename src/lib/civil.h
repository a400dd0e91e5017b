/*
 * civil.h: calendar arithmetic, days since 1970-01-01 to and from a
 * year, month and day of the proleptic Gregorian calendar.
 *
 * No time zone and no libc time functions: pure arithmetic, thread-safe,
 * for any int64 day.  Eastern time (core/eastern_time.h) and HTTP-dates
 * (http/cache.h) are built on it.
 */
#ifndef PETITIOND_CIVIL_H
#define PETITIOND_CIVIL_H

#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (may be negative). */
int64_t days_from_civil(int year, int month, int day);

/* The inverse of days_from_civil(). */
void civil_from_days(int64_t days, int *year, int *month, int *day);

#endif
