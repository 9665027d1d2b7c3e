/* Periods and calendar days: the one reading of --period and --month, the
 * whole calendar months a register spans, and the day arithmetic that the
 * comparisons with another period need. */
#ifndef MUROJAAT_PERIOD_H
#define MUROJAAT_PERIOD_H

#include <stddef.h>

#include "murojaat/error.h"

/* Days in month m (1..12) of year y, leap years included. */
int mj_days_in_month(int y, int m);

/* Days since 1970-01-01 of a civil date, and back. */
long mj_days_from_civil(int y, int m, int d);
void mj_civil_from_days(long days, int *y, int *m, int *d);

/* Reads a period as --period takes it: 2023-08, 2023-Q2, 2023, a date
 * (2023-08-15 or 15.08.2023), or two of them joined by ".." (2023-01..2023-08).
 * Sets its first and last day as yyyymmdd (2023-08 is 20230801..20230831).
 * Fails with MJ_E_USAGE and a message that shows the forms read. */
enum mj_status mj_period_parse(const char *text, long *first, long *last,
			       struct mj_error *err);

/* The whole calendar months that the days first..last (yyyymmdd) fall in:
 * 20230115..20230825 becomes 20230101..20230831. */
void mj_period_whole_months(long first, long last, long *from, long *to);

/* A yyyymmdd day as ISO "2023-08-31" into buf (11 bytes at least). */
void mj_period_iso(long ymd, char *buf, size_t len);

/* Writes first..last (yyyymmdd) in the shortest form mj_period_parse()
 * reads: "2023", "2023-Q2", "2023-08", "2023-01..2023-08", or two dates. */
void mj_period_format(long first, long last, char *buf, size_t len);

/* The period to compare a period with: how is "previous" (the period of
 * equal length just before), "year" (the same period a year earlier) or a
 * period itself. Periods as --period takes them (2023-08, 2023-Q2, 2023,
 * 2023-01..2023-08, dates). Writes the period into buf. */
enum mj_status mj_period_compare(const char *period, const char *how,
				 char *buf, size_t len, struct mj_error *err);

#endif
