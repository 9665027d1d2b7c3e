/* Unit tests for the error module. */
#include "murojaat/error.h"

#include "check.h"

static void test_strings(void)
{
	/* Every status has its own non-generic text: the table keeps in step. */
	for (int s = 0; s < MJ_STATUS_COUNT; s++) {
		CHECK(strcmp(mj_strerror(s), "unknown error") != 0);
		for (int t = 0; t < s; t++)
			CHECK(strcmp(mj_strerror(s), mj_strerror(t)) != 0);
	}
	CHECK_STR(mj_strerror(MJ_STATUS_COUNT), "unknown error");
}

static void test_format(void)
{
	struct mj_error e;
	char buf[600];
	mj_error_set(&e, MJ_E_VALUE, "a.csv", 3, 7, "column '%s': bad", "region");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "a.csv:3:7: column 'region': bad");
	mj_error_set(&e, MJ_E_IO, "b.csv", 0, 0, "cannot open");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "b.csv: cannot open");
	mj_error_set(&e, MJ_E_IO, NULL, 0, 0, "x");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "x");
	mj_error_clear(&e);
	CHECK(e.status == MJ_OK);
}

/* Places in workbooks are cells of a sheet, quoted as Excel quotes them. */
static void test_sheet(void)
{
	struct mj_error e;
	char buf[700];
	mj_error_set(&e, MJ_E_VALUE, "reg.xlsx", 5, 4, "column 'region': unknown value");
	CHECK_STR(e.sheet, "");
	snprintf(e.sheet, sizeof e.sheet, "%s", "Appeals");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "reg.xlsx:Appeals!D5: column 'region': unknown value");
	e.line = 1048576;
	e.column = 16384;
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "reg.xlsx:Appeals!XFD1048576: column 'region': unknown value");
	e.column = 27;
	snprintf(e.sheet, sizeof e.sheet, "%s", "Mom's 2023");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "reg.xlsx:'Mom''s 2023'!AA1048576: column 'region': unknown value");
	e.column = 0;
	snprintf(e.sheet, sizeof e.sheet, "%s", "Обращения");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "reg.xlsx:Обращения!row 1048576: column 'region': unknown value");
	/* Without a row the sheet adds nothing. */
	e.line = 0;
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "reg.xlsx: column 'region': unknown value");
	/* mj_error_set clears a sheet left from before. */
	mj_error_set(&e, MJ_E_VALUE, "a.csv", 3, 7, "bad");
	CHECK_STR(mj_error_format(&e, buf, sizeof buf), "a.csv:3:7: bad");
}

/* One rule for every program's exit status. */
static void test_exit_status(void)
{
	CHECK(mj_exit_status(MJ_OK, 0, 0) == 0);
	CHECK(mj_exit_status(MJ_OK, 1, 0) == 0);
	CHECK(mj_exit_status(MJ_OK, 0, 3) == 1);
	CHECK(mj_exit_status(MJ_OK, 1, 3) == 1);
	/* A rejected row that stopped a --strict run is a data problem ... */
	CHECK(mj_exit_status(MJ_E_VALUE, 1, 0) == 1);
	/* ... an invalid value anywhere else is not (a table into a chart). */
	CHECK(mj_exit_status(MJ_E_VALUE, 0, 0) == 2);
	for (int s = 1; s < MJ_STATUS_COUNT; s++)
		if (s != MJ_E_VALUE)
			CHECK(mj_exit_status((enum mj_status)s, 1, 5) == 2);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"strings", test_strings}, {"format", test_format},
		{"sheet", test_sheet}, {"exit_status", test_exit_status}, {0, 0}};
	return run_case(cases, argc, argv);
}
