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

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"strings", test_strings}, {"format", test_format}, {0, 0}};
	return run_case(cases, argc, argv);
}
