/* The calendar's rules, written once and inline: period.c builds the
 * public calendar functions on them and the record reader, which checks a
 * date in every row, calls them without a function call. */
#ifndef MJ_CALENDAR_H
#define MJ_CALENDAR_H

/* Whether year y of the proleptic Gregorian calendar is a leap year. */
static inline int calendar_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m (1..12) of year y; 0 for another m. */
static inline int calendar_days_in_month(int y, int m)
{
	static const unsigned char days[] = {31, 28, 31, 30, 31, 30,
					     31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && calendar_leap(y));
}

/* Howard Hinnant's civil_from_days: the date of z days since 1970-01-01,
 * exact for every proleptic Gregorian date. */
static inline void calendar_civil_from_days(long z, int *y, int *m, int *d)
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

#endif
