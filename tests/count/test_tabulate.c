/* Unit tests for tabulation: several tables in one pass over the 2023
 * sample, one of them summing a column, agree with the published figures. */
#include <stdlib.h>

#include "murojaat/tab.h"

#include "check.h"

static const char *sample(void)
{
	const char *src = getenv("MJ_SOURCE_ROOT");
	static char path[4096];
	snprintf(path, sizeof path, "%s/samples/appeals-2023.csv", src ? src : "..");
	return path;
}

static double value_of(const struct mj_table *t, const char *code)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(t->rows[r].codes[0], code) == 0)
			return t->rows[r].values[t->ncols - 1];
	return -1;
}

static void test_one_pass(void)
{
	struct mj_run_opts o;
	mj_run_opts_init(&o);
	struct mj_tab_spec specs[] = {
		{.by = "outcome"}, {.by = "outcome", .sum = "children"}, {.by = "group"},
		{.by = "place,relationship"}, {.by = "region", .cols = "violence"}};
	struct mj_table *t[5];
	struct mj_run_stats st;
	struct mj_error err;
	const char *files[] = {sample()};
	CHECK(mj_tabulate(&o, files, 1, specs, 5, t, &st, &err) == MJ_OK);
	if (!t[0])
		return;
	CHECK(st.read == 10927 && st.counted == 10927 && st.rejected == 0);
	CHECK_NUM(value_of(t[0], "shelter"), 700);
	CHECK_NUM(value_of(t[1], "shelter"), 604);
	CHECK_STR(t[1]->measure, "children");
	CHECK_STR(t[0]->measure, "count");
	CHECK_NUM(value_of(t[2], "woman"), 10696);
	CHECK_NUM(value_of(t[2], "girl"), 70);
	CHECK_NUM(value_of(t[2], "man"), 161);
	CHECK_NUM(value_of(t[3], "domestic"), 7362);
	CHECK_NUM(value_of(t[4], "UZ-SU"), 899);
	CHECK_NUM(value_of(t[4], MJ_CODE_TOTAL), 10927);
	for (int i = 0; i < 5; i++)
		mj_table_destroy(t[i]);
	/* Only whole-number columns of the schema can be summed. */
	struct mj_tab_spec bad = {.by = "region", .sum = "region"};
	struct mj_table *none;
	CHECK(mj_tabulate(&o, files, 1, &bad, 1, &none, &st, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "whole-number column") != NULL);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {{"one_pass", test_one_pass}, {0, 0}};
	return run_case(cases, argc, argv);
}
