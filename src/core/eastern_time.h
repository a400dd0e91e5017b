/*
 * eastern_time.h: dates and times as the House shows them.
 *
 * Times are stored as UTC seconds since the epoch (int64_t) and shown in
 * Eastern time (Ottawa): EST = UTC-5 in winter, EDT = UTC-4 in summer.
 * Canada's rule since 2007: EDT from the second Sunday of March at 2:00
 * EST until the first Sunday of November at 2:00 EDT; from 1987 to 2006:
 * first Sunday of April to last Sunday of October.  (Years before 1987
 * use the 1987 rule; petitiond has no older data.)  Pure arithmetic, no
 * TZ database, no libc time functions: thread-safe and testable.  Any
 * instant within a few million years of 1970 works.
 *
 * English: "September 15, 2020, at 9:30 a.m. (EDT)", "December 9, 2020";
 * noon is "12:00 p.m.", midnight "12:00 a.m.".
 * French:  "15 septembre 2020, à 9 h 30 (HAE)", "9 décembre 2020",
 * "1er décembre 2020"; EST is "HNE", EDT is "HAE"; minutes two digits
 * ("9 h 05"), and "0 h 00" at midnight.
 */
#ifndef PETITIOND_EASTERN_TIME_H
#define PETITIOND_EASTERN_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/lang.h"
#include "lib/civil.h" /* days_from_civil(), civil_from_days() */

struct err;
struct strbuf;

struct civil_time {
    int year, month, day; /* month 1..12, day 1..31 */
    int hour, minute, second;
    int weekday;    /* 0 = Sunday .. 6 = Saturday */
    bool dst;       /* true when EDT */
    int utc_offset; /* seconds: -18000 (EST) or -14400 (EDT) */
};

/* The Eastern civil time of a UTC instant. */
void eastern_from_utc(int64_t utc, struct civil_time *out);

/*
 * The UTC instant of an Eastern wall-clock time.  In the skipped hour of
 * spring the time is read as EST; in the repeated hour of autumn, as the
 * first (EDT) occurrence.
 */
int64_t eastern_to_utc(int year, int month, int day, int hour, int minute, int second);

/* Parse "2020-09-15 09:30" or "2020-09-15T09:30" or "2020-09-15" (00:00),
 * exactly the len bytes at s, read as Eastern time (as eastern_to_utc()
 * does); years from 1900.  Returns 0 or ERR_INVALID (key "error.date", no
 * field) with *utc untouched: a bad month or day (February 30), hour
 * 24, minute 60 and trailing bytes are all refused. */
int eastern_parse(const char *s, size_t len, int64_t *utc, struct err *e);

/* Append "September 15, 2020, at 9:30 a.m. (EDT)" / "15 septembre 2020, à 9 h 30 (HAE)". */
void eastern_format_datetime(struct strbuf *out, int64_t utc, enum lang lang);

/* Append "December 9, 2020" / "9 décembre 2020" (the Eastern date). */
void eastern_format_date(struct strbuf *out, int64_t utc, enum lang lang);

/* Append the ISO 8601 date-time in UTC: "2020-09-15T13:30:00Z". */
void utc_format_iso(struct strbuf *out, int64_t utc);

/* Append "2020-12-09" (the Eastern date), for <time datetime>. */
void eastern_format_iso_date(struct strbuf *out, int64_t utc);

/* Append the Eastern wall-clock time in ISO 8601 without an offset,
 * "2020-09-15T09:30:00", as the House's own XML export writes times.
 * (The repeated hour of autumn reads the same twice: such a time does
 * not say whether it is EDT or EST.) */
void eastern_format_iso_local(struct strbuf *out, int64_t utc);

#endif
