/* Periods and calendar days, read and written in one place for every
 * program: tables, comparisons, charts and reports agree on them. */
#include <stdio.h>
#include <string.h>

#include "murojaat/period.h"
#include "murojaat/record.h"
#include "calendar.h"

int mj_days_in_month(int y, int m)
{
	return calendar_days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian
 * date, with no table and no library time zone. */
long mj_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void mj_civil_from_days(long z, int *y, int *m, int *d)
{
	calendar_civil_from_days(z, y, m, d);
}

static long ymd(int y, int m, int d)
{
	return y * 10000L + m * 100 + d;
}

/* One end of a period: YYYY, YYYY-MM, YYYY-Qn or a date, as its first and
 * last day. */
static int parse_part(const char *text, long *first, long *last)
{
	int y, m, d, q;
	char tail;
	size_t len = strlen(text);
	if (mj_parse_date(text, len, &y, &m, &d) == 0) {
		*first = *last = ymd(y, m, d);
		return 0;
	}
	if (len == 7 && sscanf(text, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4 &&
	    y >= 1900) {
		*first = ymd(y, q * 3 - 2, 1);
		*last = ymd(y, q * 3, mj_days_in_month(y, q * 3));
		return 0;
	}
	if (len == 7 && sscanf(text, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12 &&
	    y >= 1900) {
		*first = ymd(y, m, 1);
		*last = ymd(y, m, mj_days_in_month(y, m));
		return 0;
	}
	if (len == 4 && sscanf(text, "%4d%c", &y, &tail) == 1 && y >= 1900) {
		*first = ymd(y, 1, 1);
		*last = ymd(y, 12, 31);
		return 0;
	}
	return -1;
}

enum mj_status mj_period_parse(const char *text, long *first, long *last,
			       struct mj_error *err)
{
	const char *dots = strstr(text, "..");
	long lo, hi, l2, h2;
	if (dots) {
		char a[32];
		if ((size_t)(dots - text) >= sizeof a)
			goto bad;
		snprintf(a, sizeof a, "%.*s", (int)(dots - text), text);
		if (parse_part(a, &lo, &hi) != 0 || parse_part(dots + 2, &l2, &h2) != 0)
			goto bad;
		hi = h2;
	} else if (parse_part(text, &lo, &hi) != 0) {
		goto bad;
	}
	if (lo > hi)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "period \"%s\" ends before it starts", text);
	*first = lo;
	*last = hi;
	return MJ_OK;
bad:
	return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
		"cannot read period \"%s\" (expected e.g. 2023-08, 2023-01..2023-08, 2023-Q2, 2023 or 2023-01-15..2023-02-14)",
		text);
}

void mj_period_whole_months(long first, long last, long *from, long *to)
{
	int y = (int)(last / 10000), m = (int)(last / 100 % 100);
	*from = first / 100 * 100 + 1;
	*to = ymd(y, m, mj_days_in_month(y, m));
}

void mj_period_iso(long day, char *buf, size_t len)
{
	snprintf(buf, len, "%04ld-%02ld-%02ld", day / 10000 % 10000, day / 100 % 100,
		 day % 100);
}

void mj_period_format(long first, long last, char *buf, size_t len)
{
	int y0 = (int)(first / 10000), m0 = (int)(first / 100 % 100), d0 = (int)(first % 100);
	int y1 = (int)(last / 10000), m1 = (int)(last / 100 % 100), d1 = (int)(last % 100);
	if (d0 == 1 && d1 == mj_days_in_month(y1, m1)) {
		if (y0 == y1 && m0 == 1 && m1 == 12)
			snprintf(buf, len, "%04d", y0);
		else if (y0 == y1 && m0 == m1)
			snprintf(buf, len, "%04d-%02d", y0, m0);
		else if (y0 == y1 && m0 % 3 == 1 && m1 == m0 + 2)
			snprintf(buf, len, "%04d-Q%d", y0, m0 / 3 + 1);
		else
			snprintf(buf, len, "%04d-%02d..%04d-%02d", y0, m0, y1, m1);
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d..%04d-%02d-%02d", y0, m0, d0, y1, m1, d1);
}

/* Comparison periods ------------------------------------------------------------------- */

/* Comparisons count in days since 1970-01-01 (epoch days). */
static long epoch_day(long day)
{
	return mj_days_from_civil((int)(day / 10000), (int)(day / 100 % 100), (int)(day % 100));
}

/* A period as --period takes it, as its first and last epoch day. */
static int period_range(const char *text, long *lo, long *hi)
{
	long first, last;
	if (mj_period_parse(text, &first, &last, NULL) != MJ_OK)
		return -1;
	*lo = epoch_day(first);
	*hi = epoch_day(last);
	return 0;
}

/* Writes [lo, hi] (epoch days) in the shortest form --period reads. */
static void period_format(long lo, long hi, char *buf, size_t len)
{
	int y0, m0, d0, y1, m1, d1;
	mj_civil_from_days(lo, &y0, &m0, &d0);
	mj_civil_from_days(hi, &y1, &m1, &d1);
	mj_period_format(y0 * 10000L + m0 * 100 + d0, y1 * 10000L + m1 * 100 + d1, buf, len);
}

/* The same day a year earlier (29 February becomes the 28th). */
static long year_back(long day)
{
	int y, m, d;
	mj_civil_from_days(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return mj_days_from_civil(y - 1, m, d);
}

static enum mj_status period_compare(const char *period, const char *how,
				     char *buf, size_t len, struct mj_error *err);

/* The whole calendar months from day lo to day hi, or 0 when they do not
 * start on a month's first day and end on a last. */
static int whole_months(long lo, long hi)
{
	int y0, m0, d0, y1, m1, d1;
	mj_civil_from_days(lo, &y0, &m0, &d0);
	mj_civil_from_days(hi, &y1, &m1, &d1);
	if (d0 != 1 || d1 != mj_days_in_month(y1, m1))
		return 0;
	return (y1 * 12 + m1) - (y0 * 12 + m0) + 1;
}

enum mj_status mj_period_compare(const char *period, const char *how,
				 char *buf, size_t len, struct mj_error *err)
{
	enum mj_status st = period_compare(period, how, buf, len, err);
	long lo, hi, clo, chi;
	if (st != MJ_OK || period_range(period, &lo, &hi) != 0 ||
	    period_range(buf, &clo, &chi) != 0)
		return st;
	/* A period compared with itself, or with one that shares days with
	 * it, says nothing about change. */
	if (clo <= hi && lo <= chi)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare %s: the period %s shares days with --period %s; compare with another period (previous, year, or e.g. 2023-07)",
			how, buf, period);
	/* Nor does one of another length: a quarter counts more than a
	 * month, and its "fall" is no fall (previous and year are the same
	 * length by their making). Months count as months, of any days. */
	int months = whole_months(lo, hi);
	if (strcmp(how, "previous") != 0 && strcmp(how, "year") != 0 &&
	    (months ? whole_months(clo, chi) != months : chi - clo != hi - lo))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare %s: the period %s is not as long as --period %s, and a longer period counts more; compare periods of the same length (previous, year, or e.g. 2023-07 with 2023-08)",
			how, buf, period);
	return st;
}

static enum mj_status period_compare(const char *period, const char *how,
				     char *buf, size_t len, struct mj_error *err)
{
	long lo, hi;
	if (!period)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare needs the period it compares: give --period (e.g. --period 2023-08 --compare previous)");
	if (period_range(period, &lo, &hi) != 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "cannot read period \"%s\"", period);
	if (strcmp(how, "year") == 0) {
		int y, m, d;
		mj_civil_from_days(hi, &y, &m, &d);
		long nhi = d == mj_days_in_month(y, m) ? mj_days_from_civil(y - 1, m, mj_days_in_month(y - 1, m))
			: year_back(hi);
		period_format(year_back(lo), nhi, buf, len);
		return MJ_OK;
	}
	if (strcmp(how, "previous") == 0) {
		int y0, m0, d0, y1, m1, d1;
		mj_civil_from_days(lo, &y0, &m0, &d0);
		mj_civil_from_days(hi, &y1, &m1, &d1);
		if (d0 == 1 && d1 == mj_days_in_month(y1, m1)) {
			/* Whole months: the same number of months before. */
			int months = (y1 * 12 + m1) - (y0 * 12 + m0) + 1;
			int start = y0 * 12 + (m0 - 1) - months;
			int ys = start / 12, ms = start % 12 + 1;
			int end = y0 * 12 + (m0 - 1) - 1;
			int ye = end / 12, me = end % 12 + 1;
			period_format(mj_days_from_civil(ys, ms, 1),
				      mj_days_from_civil(ye, me, mj_days_in_month(ye, me)), buf, len);
		} else {
			long n = hi - lo + 1;
			period_format(lo - n, lo - 1, buf, len);
		}
		return MJ_OK;
	}
	long l2, h2;
	if (period_range(how, &l2, &h2) != 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare: expected previous, year or a period (e.g. 2023-07), got \"%s\"", how);
	snprintf(buf, len, "%s", how);
	return MJ_OK;
}
