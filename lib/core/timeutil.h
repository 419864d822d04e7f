/*
 * timeutil.h - UTC instants without the C library's time zone.
 */
#ifndef BWC_TIMEUTIL_H
#define BWC_TIMEUTIL_H

#include <time.h>

struct tm;

/* struct tm in UTC to seconds since the epoch (no TZ, no normalisation). */
time_t time_from_utc_tm(const struct tm *);

/* Days since 1970-01-01 of a civil date. */
long time_days_from_civil(long y, unsigned m, unsigned d);

/*
 * Parse --at: RFC 3339 ("2027-01-31T00:00:00Z", "...+02:00", fractional
 * seconds ignored, "2027-01-31" alone is midnight UTC) or "@EPOCH".
 * Returns 0, or -1 if s is not such a time.
 */
int time_parse(const char *s, time_t *out);

/* Whole days from now until t, rounded down (negative once t is past). */
long time_days_until(time_t now, time_t t);

/* "2026-11-27T23:00:00Z" into buf (at least 21 bytes). */
void time_format(time_t t, char *buf, size_t len);

#endif
