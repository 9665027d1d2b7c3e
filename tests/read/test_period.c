/* Unit tests for the period module: reading --period, whole months, the
 * calendar. */
#include "murojaat/period.h"

#include "check.h"

static void test_parse(void)
{
	static const struct {
		const char *text;
		long first, last;
	} ok[] = {
		{"2023-08", 20230801, 20230831},
		{"2024-02", 20240201, 20240229},
		{"2023-02", 20230201, 20230228},
		{"2023-Q2", 20230401, 20230630},
		{"2023-Q4", 20231001, 20231231},
		{"2023", 20230101, 20231231},
		{"2023-01..2023-08", 20230101, 20230831},
		{"2023-01-15..2023-02-14", 20230115, 20230214},
		{"15.01.2023..2023-02", 20230115, 20230228},
		{"2023-08-15", 20230815, 20230815},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		long a = 0, b = 0;
		struct mj_error e;
		CHECK(mj_period_parse(ok[i].text, &a, &b, &e) == MJ_OK);
		if (a != ok[i].first || b != ok[i].last)
			fprintf(stderr, "%s: got %ld..%ld\n", ok[i].text, a, b);
		CHECK(a == ok[i].first && b == ok[i].last);
	}
	static const char *const bad[] = {
		"2023-13", "2023-Q5", "23", "August", "2023-08..", "..2023-08",
		"2023-02-30", "1899", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long a = 0, b = 0;
		struct mj_error e;
		CHECK(mj_period_parse(bad[i], &a, &b, &e) == MJ_E_USAGE);
		CHECK(strstr(e.message, "cannot read period") != NULL);
	}
	struct mj_error e;
	long a, b;
	CHECK(mj_period_parse("2023-08..2023-02", &a, &b, &e) == MJ_E_USAGE);
	CHECK_STR(e.message, "period \"2023-08..2023-02\" ends before it starts");
	CHECK(mj_period_parse("2023-08", &a, &b, NULL) == MJ_OK);
}

/* A register's first and last records give the whole months they fall in. */
static void test_whole_months(void)
{
	long from, to;
	char a[11], b[11];
	mj_period_whole_months(20230115, 20230825, &from, &to);
	mj_period_iso(from, a, sizeof a);
	mj_period_iso(to, b, sizeof b);
	CHECK_STR(a, "2023-01-01");
	CHECK_STR(b, "2023-08-31");
	mj_period_whole_months(20231215, 20240210, &from, &to);
	CHECK(from == 20231201 && to == 20240229);
	mj_period_whole_months(21000201, 21000201, &from, &to);
	CHECK(from == 21000201 && to == 21000228);
}

static void test_calendar(void)
{
	CHECK(mj_days_in_month(2024, 2) == 29);
	CHECK(mj_days_in_month(2000, 2) == 29);
	CHECK(mj_days_in_month(1900, 2) == 28);
	CHECK(mj_days_in_month(2023, 4) == 30);
	CHECK(mj_days_in_month(2023, 13) == 0);
	CHECK(mj_days_from_civil(1970, 1, 1) == 0);
	CHECK(mj_days_from_civil(2000, 3, 1) == 11017);
	for (long d = -800000; d < 800000; d += 97) {
		int y, m, dd;
		mj_civil_from_days(d, &y, &m, &dd);
		CHECK(dd >= 1 && dd <= mj_days_in_month(y, m));
		CHECK(mj_days_from_civil(y, m, dd) == d);
	}
	char buf[32];
	mj_period_format(20230101, 20231231, buf, sizeof buf);
	CHECK_STR(buf, "2023");
	mj_period_format(20230401, 20230630, buf, sizeof buf);
	CHECK_STR(buf, "2023-Q2");
	mj_period_format(20230801, 20230831, buf, sizeof buf);
	CHECK_STR(buf, "2023-08");
	mj_period_format(20230101, 20230831, buf, sizeof buf);
	CHECK_STR(buf, "2023-01..2023-08");
	mj_period_format(20230115, 20230214, buf, sizeof buf);
	CHECK_STR(buf, "2023-01-15..2023-02-14");
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"parse", test_parse}, {"whole_months", test_whole_months},
		{"calendar", test_calendar}, {0, 0}};
	return run_case(cases, argc, argv);
}
