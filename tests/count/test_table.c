/* Unit tests for the table module: numbers, percents, rounding, small-cell
 * suppression and reading tables back. */
#include <stdlib.h>

#include "murojaat/table.h"
#include "suppress.h"

#include "check.h"

static void test_numbers(void)
{
	char buf[64];
	CHECK_STR(mj_format_number(10927, 0, MJ_LANG_EN, buf, sizeof buf), "10,927");
	CHECK_STR(mj_format_number(10927, 0, MJ_LANG_RU, buf, sizeof buf), "10\xc2\xa0" "927");
	CHECK_STR(mj_format_number(24.8, 1, MJ_LANG_UZ, buf, sizeof buf), "24,8");
	CHECK_STR(mj_format_number(1234567.25, 2, MJ_LANG_EN, buf, sizeof buf), "1,234,567.25");
	CHECK_STR(mj_format_number(-0.04, 1, MJ_LANG_EN, buf, sizeof buf), "0.0");
	CHECK_STR(mj_format_number(-1500, 0, MJ_LANG_EN, buf, sizeof buf), "-1,500");
	CHECK_STR(mj_format_number(999, 0, MJ_LANG_EN, buf, sizeof buf), "999");
}

/* A one-way table with the given counts and its total. */
static struct mj_table *oneway(const double *v, size_t n)
{
	const char *dims[] = {"x"};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		char code[16];
		snprintf(code, sizeof code, "c%zu", i);
		const char *codes[] = {code};
		mj_table_add_row(t, MJ_ROW_CATEGORY, 0, codes, codes)->values[0] = v[i];
		total += v[i];
	}
	const char *tot[] = {MJ_CODE_TOTAL};
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, tot, tot)->values[0] = total;
	return t;
}

static void test_largest_remainder(void)
{
	/* The 2023 regions: honest rounding adds to 100.1; largest remainder
	 * to exactly 100.0, each shown percent within 0.1 of the honest one. */
	const double regions[] = {793, 827, 825, 979, 780, 985, 663, 642, 899, 549, 386, 925, 628, 1046};
	struct mj_table *t = oneway(regions, 14);
	double *honest = mj_table_percents(t, MJ_PCT_TOTAL, 1, 0);
	double *largest = mj_table_percents(t, MJ_PCT_TOTAL, 1, 1);
	double hs = 0, ls = 0;
	for (size_t i = 0; i < 14; i++) {
		hs += honest[i];
		ls += largest[i];
		CHECK(largest[i] - honest[i] < 0.1001 && honest[i] - largest[i] < 0.1001);
	}
	CHECK(hs > 100.05 || hs < 99.95);
	CHECK(ls > 99.9999 && ls < 100.0001);
	CHECK_NUM(honest[8], 8.2); /* Surkhandarya: 899 / 10,927 */
	free(honest);
	free(largest);
	/* Valid percent leaves "not stated" out of the base. */
	mj_table_set(&t->rows[13].codes[0], MJ_CODE_MISSING);
	double p = mj_table_percent(t, &t->rows[0], 0, MJ_PCT_VALID);
	CHECK(p > 100.0 * 793 / (10927 - 1046) - 1e-9 && p < 100.0 * 793 / (10927 - 1046) + 1e-9);
	CHECK(mj_table_percent(t, &t->rows[13], 0, MJ_PCT_VALID) < 0);
	mj_table_destroy(t);
}

/* Whether any hidden cell is the only hidden one of a line (then it could
 * be recomputed by subtraction). */
static int recomputable(const struct mj_table *t)
{
	size_t total = t->nrows - 1;
	for (size_t c = 0; c < t->ncols; c++) {
		int hidden = t->rows[total].suppressed[c] != 0;
		for (size_t r = 0; r < total; r++)
			hidden += t->rows[r].suppressed[c] != 0;
		if (hidden == 1)
			return 1;
	}
	for (size_t r = 0; t->ncols > 1 && r < t->nrows; r++) {
		int hidden = 0;
		for (size_t c = 0; c < t->ncols; c++)
			hidden += t->rows[r].suppressed[c] != 0;
		if (hidden == 1)
			return 1;
	}
	return 0;
}

/* Whether a line (cells of one column, or of one row of a cross-tab,
 * with their total) lets the two marks pin its primary cells to fewer
 * values than 1..min_cell-1: parts each "x" at least min_cell. */
static int narrowed(const struct mj_table *t, long min_cell)
{
	size_t total = t->nrows - 1;
	for (int along = 0; along < 2; along++) {
		size_t nlines = along ? (t->ncols > 1 ? t->nrows : 0) : t->ncols;
		for (size_t i = 0; i < nlines; i++) {
			size_t nparts = along ? t->ncols - 1 : total;
			const struct mj_table_row *row = along ? &t->rows[i] : NULL;
			unsigned char tf = along ? row->suppressed[t->ncols - 1] : t->rows[total].suppressed[i];
			double rest = along ? row->values[t->ncols - 1] : t->rows[total].values[i];
			size_t np = 0, nc = 0;
			for (size_t k = 0; k < nparts; k++) {
				unsigned char f = along ? row->suppressed[k] : t->rows[k].suppressed[i];
				double v = along ? row->values[k] : t->rows[k].values[i];
				if (!f)
					rest -= v;
				np += f == MJ_HIDDEN_PRIMARY;
				nc += f == MJ_HIDDEN_COMPLEMENT;
			}
			if (!tf && np && nc &&
			    rest - (double)(np - 1) - (double)nc * (double)min_cell < (double)(min_cell - 1))
				return 1;
		}
	}
	return 0;
}

static void test_suppression(void)
{
	srand(7);
	for (int round = 0; round < 500; round++) {
		size_t nrows = 2 + (size_t)rand() % 6, ncats = 1 + (size_t)rand() % 5;
		const char *dims[] = {"r"};
		const char *cols[8], *labels[8];
		char names[8][8];
		for (size_t c = 0; c < ncats; c++) {
			snprintf(names[c], sizeof names[c], "k%zu", c);
			cols[c] = labels[c] = names[c];
		}
		cols[ncats] = labels[ncats] = MJ_CODE_TOTAL;
		struct mj_table *t = mj_table_new(1, dims, ncats > 1 ? "k" : NULL,
						  ncats > 1 ? ncats + 1 : 1, cols, labels);
		size_t nc = t->ncols;
		double coltot[8] = {0};
		for (size_t r = 0; r <= nrows; r++) {
			char code[8];
			snprintf(code, sizeof code, "r%zu", r);
			const char *codes[] = {r == nrows ? MJ_CODE_TOTAL : code};
			struct mj_table_row *row = mj_table_add_row(t, r == nrows ? MJ_ROW_TOTAL
								    : MJ_ROW_CATEGORY, 0, codes, codes);
			double rowtot = 0;
			for (size_t c = 0; c + (nc > 1) < nc; c++) {
				double v = r == nrows ? coltot[c] : (double)(rand() % 4 ? rand() % 12 : 0);
				row->values[c] = v;
				coltot[c] += r == nrows ? 0 : v;
				rowtot += v;
			}
			if (nc > 1)
				row->values[nc - 1] = rowtot;
		}
		CHECK(mj_table_suppress(t, 5) == MJ_OK);
		for (size_t r = 0; r < t->nrows; r++)
			for (size_t c = 0; c < nc; c++) {
				double v = t->rows[r].values[c];
				/* Below the threshold: primary ("<5"); hidden
				 * to protect others: complementary ("x"), and
				 * never a small count. */
				if (v >= 1 && v <= 4)
					CHECK(t->rows[r].suppressed[c] == MJ_HIDDEN_PRIMARY);
				if (t->rows[r].suppressed[c] == MJ_HIDDEN_COMPLEMENT)
					CHECK(v >= 5);
				if (v == 0)
					CHECK(!t->rows[r].suppressed[c]);
			}
		CHECK(!recomputable(t));
		CHECK(!narrowed(t, 5));
		mj_table_destroy(t);
	}
}

static void test_read_back(void)
{
	const char *csv =
		"place_code,place,relationship_code,relationship,count,percent\n"
		"domestic,Domestic,_total,Total,7362,67.4\n"
		"domestic,Domestic,spouse,Husband and wife,5535,50.7\n"
		"elsewhere,Elsewhere,_total,Total,459,4.2\n"
		"_total,Total,_total,Total,10927,100.0\n";
	struct mj_error e;
	struct mj_table *t = mj_table_read_mem(csv, strlen(csv), "t.csv", &e);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(t->ndims == 2 && t->ncols == 1 && t->col_dim == NULL && t->nrows == 4);
	CHECK(t->rows[0].kind == MJ_ROW_SUBTOTAL && t->rows[1].kind == MJ_ROW_CATEGORY);
	CHECK(t->rows[1].level == 1 && t->rows[3].kind == MJ_ROW_TOTAL);
	CHECK_NUM(t->rows[1].values[0], 5535);
	CHECK_STR(mj_table_row_label(t, &t->rows[1]), "Husband and wife");
	mj_table_destroy(t);

	const char *cross =
		"region_code,region,sex_code,sex,count,row_percent\n"
		"UZ-TK,Tashkent city,female,Female,3,75.0\n"
		"UZ-TK,Tashkent city,male,Male,1,25.0\n"
		"UZ-TK,Tashkent city,_total,Total,4,100.0\n"
		"_total,Total,female,Female,3,75.0\n"
		"_total,Total,male,Male,1,25.0\n"
		"_total,Total,_total,Total,4,100.0\n";
	t = mj_table_read_mem(cross, strlen(cross), "x.csv", &e);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(t->ndims == 1 && t->ncols == 3);
	CHECK_STR(t->col_dim, "sex");
	CHECK_STR(t->col_codes[2], MJ_CODE_TOTAL);
	CHECK(t->nrows == 2);
	CHECK_NUM(t->rows[0].values[1], 1);
	mj_table_destroy(t);

	const char *bad = "region_code,region,count\nUZ-TK,Tashkent city,many\n_total,Total,4\n";
	t = mj_table_read_mem(bad, strlen(bad), "b.csv", &e);
	CHECK(t == NULL);
	CHECK(e.line == 2 && e.column == 21);
	CHECK(strstr(e.message, "\"many\" is not a number") != NULL);
	t = mj_table_read_mem("", 0, "e.csv", &e);
	CHECK(t == NULL && e.status == MJ_E_EMPTY);
}

/* A line whose total is 11 with a primary part and a complementary one at
 * --min-cell 10 would tell a reader they are 1 and 10: a third part is
 * hidden, so that the primary may hold anything from 1 to 9. */
static void test_suppression_interval(void)
{
	const char *dims[] = {"r"};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	const double v[] = {1, 10, 50, 61};
	const char *codes[] = {"a", "b", "c", MJ_CODE_TOTAL};
	for (size_t i = 0; i < 4; i++) {
		struct mj_table_row *row = mj_table_add_row(t, i == 3 ? MJ_ROW_TOTAL : MJ_ROW_CATEGORY,
							    0, &codes[i], &codes[i]);
		row->values[0] = v[i];
	}
	CHECK(mj_table_suppress(t, 10) == MJ_OK);
	CHECK(t->rows[0].suppressed[0] == MJ_HIDDEN_PRIMARY);
	CHECK(t->rows[1].suppressed[0] == MJ_HIDDEN_COMPLEMENT);
	CHECK(t->rows[2].suppressed[0] == MJ_HIDDEN_COMPLEMENT);
	CHECK(t->rows[3].suppressed[0] == MJ_HIDDEN_NONE);
	mj_table_destroy(t);
}

/* Both marks survive a round trip: the "hidden" column and field of
 * mj-tab's CSV and JSON, and marks typed in the value column by hand. */
static void test_read_marks(void)
{
	const char *csv =
		"group_code,group,count,percent,suppressed,hidden\n"
		"woman,Women,1000,,0,\n"
		"girl,Girls under 18,,,1,<10\n"
		"man,Men,,,1,x\n"
		"_total,Total,1027,100.0,0,\n";
	const char *typed =
		"group_code,group,count\n"
		"woman,Women,1000\n"
		"girl,Girls under 18,<10\n"
		"man,Men,x\n"
		"_total,Total,1027\n";
	const char *json =
		"{\"murojaat\": \"table\", \"version\": 1, \"title\": null, \"measure\": \"count\","
		" \"lang\": \"en\", \"dims\": [{\"name\": \"group\", \"label\": \"Group\"}],"
		" \"col_dim\": null, \"columns\": [{\"code\": \"_total\", \"label\": \"count\"}],"
		" \"min_cell\": 10, \"rows\": ["
		"{\"kind\": \"category\", \"level\": 0, \"codes\": [\"woman\"], \"values\": [1000],"
		" \"suppressed\": [false], \"hidden\": [null]},"
		"{\"kind\": \"category\", \"level\": 0, \"codes\": [\"girl\"], \"values\": [null],"
		" \"suppressed\": [true], \"hidden\": [\"primary\"]},"
		"{\"kind\": \"category\", \"level\": 0, \"codes\": [\"man\"], \"values\": [null],"
		" \"suppressed\": [true], \"hidden\": [\"complementary\"]},"
		"{\"kind\": \"total\", \"level\": 0, \"codes\": [\"_total\"], \"values\": [1027]}]}";
	const char *docs[] = {csv, typed, json};
	for (size_t i = 0; i < 3; i++) {
		struct mj_error e;
		struct mj_table *t = mj_table_read_mem(docs[i], strlen(docs[i]), "m", &e);
		CHECK(t != NULL);
		if (!t)
			continue;
		CHECK(t->nrows == 4);
		CHECK(t->rows[0].suppressed[0] == MJ_HIDDEN_NONE);
		CHECK(t->rows[1].suppressed[0] == MJ_HIDDEN_PRIMARY);
		CHECK(t->rows[2].suppressed[0] == MJ_HIDDEN_COMPLEMENT);
		char buf[16];
		CHECK_STR(mj_table_mark(t, t->rows[1].suppressed[0], buf, sizeof buf), "<10");
		CHECK_STR(mj_table_mark(t, t->rows[2].suppressed[0], buf, sizeof buf), "x");
		CHECK(mj_table_has_hidden(t, MJ_HIDDEN_COMPLEMENT));
		mj_table_destroy(t);
	}
	CHECK_STR(mj_hidden_name(MJ_HIDDEN_PRIMARY), "primary");
	CHECK_STR(mj_hidden_name(MJ_HIDDEN_COMPLEMENT), "complementary");
	CHECK(mj_hidden_name(MJ_HIDDEN_NONE) == NULL);
	CHECK_STR(mj_table_mark_note(MJ_LANG_RU), "x — не показано, чтобы защитить малые числа");
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"numbers", test_numbers}, {"largest_remainder", test_largest_remainder},
		{"suppression", test_suppression}, {"read_back", test_read_back},
		{"read_marks", test_read_marks},
		{"suppression_interval", test_suppression_interval}, {0, 0}};
	return run_case(cases, argc, argv);
}
