/*
 * promtext.h: a strict reader of the Prometheus text exposition format
 * (version 0.0.4), for the tests of /metrics where promtool is not
 * installed.
 *
 * Stricter than Prometheus itself, so that what it accepts any scraper
 * accepts: every line ends with a new line and none is empty; "# HELP"
 * and "# TYPE" at most once per family and before its samples; every
 * sample belongs to a family with a TYPE (counter, gauge, histogram),
 * and a family's samples are together; metric and label names are
 * valid, label values hold only the escapes \\, \" and \n, no label
 * twice, no series twice; values are Go floats (+Inf, -Inf, NaN); a
 * counter's name ends in _total and its values are not negative; a
 * histogram has, for each set of labels, _bucket lines with increasing
 * le ending at "+Inf" and counts that never fall, then _sum and a _count
 * equal to the +Inf bucket.
 */
#ifndef PETITIOND_PROMTEXT_H
#define PETITIOND_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Check text; false with the first fault (and its line) in why. */
bool promtext_check(const char *text, char *why, size_t why_size);

/* The value of the sample whose name and labels are series exactly as
 * written (e.g. "petitiond_cache_hits_total" or
 * "a_total{route=\"/x\",code=\"200\"}"), or 0 when there is none. */
double promtext_value(const char *text, const char *series);

#endif
