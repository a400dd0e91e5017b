/*
 * eastern_time.c: Eastern time (Ottawa) by arithmetic, and the House's
 * ways of writing dates in English and French; see eastern_time.h.
 *
 * The calendar conversions are lib/civil.h's (proleptic Gregorian, any
 * int64 day).  The daylight-saving rule is Canada's: since 2007 from the
 * second Sunday of March to the first Sunday of November, before that
 * from the first Sunday of April to the last Sunday of October, changing
 * at 2:00 local.
 */
#include "core/eastern_time.h"

#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

enum { EST = -5 * 3600, EDT = -4 * 3600, DAY = 86400 };

static const char *const month_en[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
static const char *const month_fr[12] = {"janvier",   "février", "mars",     "avril",
                                         "mai",       "juin",    "juillet",  "août",
                                         "septembre", "octobre", "novembre", "décembre"};

static int
weekday_of(int64_t days)
{
    /* 1970-01-01 was a Thursday (4). */
    int64_t w = (days % 7 + 7 + 4) % 7;
    return (int)w;
}

static int
days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* The day (days since the epoch) of the n-th Sunday of a month (n >= 1),
 * or of its last Sunday when n is 0. */
static int64_t
sunday_of(int year, int month, int n)
{
    if (n == 0) {
        int64_t last = days_from_civil(year, month, days_in_month(year, month));
        return last - weekday_of(last);
    }
    int64_t first = days_from_civil(year, month, 1);
    int64_t first_sunday = first + (7 - weekday_of(first)) % 7;
    return first_sunday + 7 * (n - 1);
}

/* The UTC instants at which EDT starts and ends in a year. */
static void
dst_bounds(int year, int64_t *start, int64_t *end)
{
    int64_t s, e;
    if (year >= 2007) {
        s = sunday_of(year, 3, 2);
        e = sunday_of(year, 11, 1);
    } else {
        s = sunday_of(year, 4, 1);
        e = sunday_of(year, 10, 0);
    }
    /* 2:00 EST = 07:00 UTC; 2:00 EDT = 06:00 UTC. */
    *start = s * DAY + 7 * 3600;
    *end = e * DAY + 6 * 3600;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void
eastern_from_utc(int64_t utc, struct civil_time *out)
{
    int y, m, d;
    int64_t start, end;
    civil_from_days(floor_div(utc + EST, DAY), &y, &m, &d);
    dst_bounds(y, &start, &end);
    out->dst = utc >= start && utc < end;
    out->utc_offset = out->dst ? EDT : EST;
    int64_t local = utc + out->utc_offset;
    int64_t days = floor_div(local, DAY);
    int64_t secs = local - days * DAY;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs % 3600 / 60);
    out->second = (int)(secs % 60);
    out->weekday = weekday_of(days);
}

int64_t
eastern_to_utc(int year, int month, int day, int hour, int minute, int second)
{
    int64_t local = days_from_civil(year, month, day) * DAY + (int64_t)hour * 3600 +
                    (int64_t)minute * 60 + second;
    struct civil_time ct;

    /* Read as EDT first: if that instant is in summer time, the reading
     * holds (and, in autumn's repeated hour, is the first occurrence).
     * Otherwise the time is EST; spring's skipped hour lands here too,
     * as the header promises. */
    int64_t as_edt = local - EDT;
    eastern_from_utc(as_edt, &ct);
    if (ct.dst)
        return as_edt;
    return local - EST;
}

static int
digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int
eastern_parse(const char *s, size_t len, int64_t *utc, struct err *e)
{
    int y, m, d, h = 0, mi = 0;
    if ((len != 10 && len != 16) || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
        digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
        return err_set(e, ERR_INVALID, "error.date", NULL, "date needs YYYY-MM-DD[ HH:MM]");
    if (len == 16 && ((s[10] != ' ' && s[10] != 'T') || s[13] != ':' || digits(s + 11, 2, &h) ||
                      digits(s + 14, 2, &mi)))
        return err_set(e, ERR_INVALID, "error.date", NULL, "time needs HH:MM");
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || h > 23 || mi > 59)
        return err_set(e, ERR_INVALID, "error.date", NULL, "no such date or time");
    *utc = eastern_to_utc(y, m, d, h, mi, 0);
    return 0;
}

static void
format_date(struct strbuf *out, const struct civil_time *ct, enum lang lang)
{
    if (lang == LANG_FR)
        sb_addf(out, "%d%s %s %d", ct->day, ct->day == 1 ? "er" : "", month_fr[ct->month - 1],
                ct->year);
    else
        sb_addf(out, "%s %d, %d", month_en[ct->month - 1], ct->day, ct->year);
}

void
eastern_format_datetime(struct strbuf *out, int64_t utc, enum lang lang)
{
    struct civil_time ct;
    eastern_from_utc(utc, &ct);
    format_date(out, &ct, lang);
    if (lang == LANG_FR) {
        sb_addf(out, ", à %d h %02d (%s)", ct.hour, ct.minute, ct.dst ? "HAE" : "HNE");
    } else {
        int h12 = ct.hour % 12 == 0 ? 12 : ct.hour % 12;
        sb_addf(out, ", at %d:%02d %s (%s)", h12, ct.minute, ct.hour < 12 ? "a.m." : "p.m.",
                ct.dst ? "EDT" : "EST");
    }
}

void
eastern_format_date(struct strbuf *out, int64_t utc, enum lang lang)
{
    struct civil_time ct;
    eastern_from_utc(utc, &ct);
    format_date(out, &ct, lang);
}

void
utc_format_iso(struct strbuf *out, int64_t utc)
{
    int y, m, d;
    int64_t days = floor_div(utc, DAY), secs = utc - days * DAY;
    civil_from_days(days, &y, &m, &d);
    sb_addf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
            (int)(secs % 3600 / 60), (int)(secs % 60));
}

void
eastern_format_iso_date(struct strbuf *out, int64_t utc)
{
    struct civil_time ct;
    eastern_from_utc(utc, &ct);
    sb_addf(out, "%04d-%02d-%02d", ct.year, ct.month, ct.day);
}

void
eastern_format_iso_local(struct strbuf *out, int64_t utc)
{
    struct civil_time ct;
    eastern_from_utc(utc, &ct);
    sb_addf(out, "%04d-%02d-%02dT%02d:%02d:%02d", ct.year, ct.month, ct.day, ct.hour, ct.minute,
            ct.second);
}
