/* The calendar's rules, written once and inline: period.c builds the
 * public calendar functions on them and the record reader, which checks a
 * date in every row, calls them without a function call. */
#ifndef MJ_CALENDAR_H
#define MJ_CALENDAR_H

#include <stdint.h>
#include <string.h>

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

/* Whether the 10 bytes at t are an ISO date YYYY-MM-DD of a year from
 * 1900 to 2999 that the calendar has; if so its parts go to *y, *m, *d.
 * The record reader's fast path: the digits and dashes are checked as
 * one 8-byte word and one 2-byte word (no byte past t[9] is read), and
 * each pair of digits is made a number by one multiply. Any date it
 * refuses is read by the full date reader. */
static inline int calendar_iso_date(const char *t, int *y, int *m, int *d)
{
	uint64_t a;
	uint16_t b;
	memcpy(&a, t, 8);
	memcpy(&b, t + 8, 2);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	a = __builtin_bswap64(a);
	b = __builtin_bswap16(b);
#endif
	/* Digits become 0-9 and the two dashes 0 (bytes 0-3, 5-6 digits,
	 * 4 and 7 dashes, the first byte lowest). */
	uint64_t x = a ^ 0x2d30302d30303030ull;
	uint32_t z = (uint32_t)b ^ 0x3030u;
	/* A byte is above 9 when it has its top bit or gets it from + 0x76
	 * (with no top bits, the sum carries into no other byte). */
	if (((x | (x + 0x7676767676767676ull)) & 0x8080808080808080ull) |
	    (x & 0xff0000ff00000000ull) |
	    ((z | (z + 0x7676u)) & 0x8080u))
		return 0;
	/* Byte i becomes 10 * digit i + digit i + 1 (at most 99: no carry). */
	uint64_t pairs = x * 10 + (x >> 8);
	int year = (int)(pairs & 0xff) * 100 + (int)(pairs >> 16 & 0xff);
	int month = (int)(pairs >> 40 & 0xff);
	int day = (int)(z & 0xff) * 10 + (int)(z >> 8);
	if ((unsigned)(year - 1900) > 1099u || (unsigned)(month - 1) > 11u ||
	    (unsigned)(day - 1) >= (unsigned)calendar_days_in_month(year, month))
		return 0;
	*y = year;
	*m = month;
	*d = day;
	return 1;
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
