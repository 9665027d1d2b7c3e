/* Periods and calendar days, read and written in one place for every
 * program: tables, comparisons, charts and reports agree on them. */
#include <stdio.h>
#include <string.h>

#include "murojaat/period.h"
#include "murojaat/record.h"

int mj_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
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
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
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
