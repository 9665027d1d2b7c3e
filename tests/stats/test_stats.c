/* Unit tests of the statistics module. Expected values were computed once
 * with SciPy 1.10.1 (Debian's python3-scipy, /usr/bin/python3):
 * scipy.special.ndtri, betainc and gammaincc, scipy.stats.beta.ppf for
 * Clopper-Pearson bounds, the Wilson formula evaluated in NumPy, and
 * scipy.stats.chi2_contingency(M, correction=False) for the tests. They are
 * recorded here as constants; R is not needed to run the tests. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "murojaat/stats.h"
#include "murojaat/population.h"
#include "murojaat/period.h"
#include "murojaat/multiresp.h"

#define NEAR(a, b, tol) do { double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= (tol) * fmax(1, fabs(b_)))) { \
	fprintf(stderr, "%s:%d: expected %.17g, got %.17g (%s)\n", __FILE__, __LINE__, \
		b_, a_, #a); check_failures++; } } while (0)

static void normal_quantile(void)
{
	NEAR(mj_normal_quantile(0.975), 1.959963984540054, 1e-12);
	NEAR(mj_normal_quantile(0.995), 2.5758293035489004, 1e-12);
	NEAR(mj_normal_quantile(0.9), 1.2815515655446004, 1e-12);
	NEAR(mj_normal_quantile(1e-10), -6.361340902404056, 1e-11);
	NEAR(mj_normal_quantile(0.5), 0.0, 1e-15);
	CHECK(isnan(mj_normal_quantile(0)));
	CHECK(isnan(mj_normal_quantile(1)));
}

static void beta_inc(void)
{
	NEAR(mj_beta_inc(2, 3, 0.4), 0.5248, 1e-13);
	NEAR(mj_beta_inc(0.5, 0.5, 0.1), 0.2048327646991335, 1e-13);
	NEAR(mj_beta_inc(100, 200, 0.3), 0.10884306564491235, 1e-11);
	NEAR(mj_beta_inc(5, 10923, 0.001), 0.984171046180899, 1e-11);
	CHECK(mj_beta_inc(2, 3, 0) == 0);
	CHECK(mj_beta_inc(2, 3, 1) == 1);
	CHECK(isnan(mj_beta_inc(0, 3, 0.5)));
	/* scipy.stats.beta.ppf(0.025, 3, 8) and beta.ppf(0.5, 2, 3). */
	NEAR(mj_beta_inc_inv(3, 8, 0.025), 0.06673951117773447, 1e-12);
	NEAR(mj_beta_inc_inv(2, 3, 0.5), 0.3857275681323895, 1e-12);
}

static void gamma_q(void)
{
	NEAR(mj_gamma_q(0.5, 0.3), 0.4385780260809997, 1e-13);
	NEAR(mj_gamma_q(3, 2), 0.6766764161830634, 1e-13);
	NEAR(mj_gamma_q(26, 30.7), 0.17465837273522744, 1e-12);
	NEAR(mj_gamma_q(100, 150), 5.924540335483916e-06, 1e-10);
	NEAR(mj_chi2_sf(61.401982777540155, 52), 0.17461358314001885, 1e-11);
	CHECK(mj_chi2_sf(0, 4) == 1);
}

static void ci_wilson(void)
{
	double lo, hi;
	CHECK(mj_ci_proportion(2709, 10927, 0.95, MJ_CI_WILSON, &lo, &hi) == 0);
	NEAR(lo, 0.23991127295623554, 1e-12);
	NEAR(hi, 0.25610190949144446, 1e-12);
	CHECK(mj_ci_proportion(114, 10927, 0.99, MJ_CI_WILSON, &lo, &hi) == 0);
	NEAR(lo, 0.008209397703403317, 1e-12);
	NEAR(hi, 0.013250519224494375, 1e-12);
	CHECK(mj_ci_proportion(3, 10, 0.95, MJ_CI_WILSON, &lo, &hi) == 0);
	NEAR(lo, 0.10779126740630099, 1e-12);
	NEAR(hi, 0.6032218525388546, 1e-12);
	CHECK(mj_ci_proportion(0, 20, 0.95, MJ_CI_WILSON, &lo, &hi) == 0);
	CHECK(lo == 0);
	NEAR(hi, 0.16112515805281938, 1e-12);
	CHECK(mj_ci_proportion(20, 20, 0.95, MJ_CI_WILSON, &lo, &hi) == 0);
	NEAR(lo, 0.8388748419471806, 1e-12);
	CHECK(hi == 1);
	CHECK(mj_ci_proportion(1, 0, 0.95, MJ_CI_WILSON, &lo, &hi) != 0);
	CHECK(isnan(lo) && isnan(hi));
	CHECK(mj_ci_proportion(5, 4, 0.95, MJ_CI_WILSON, &lo, &hi) != 0);
	CHECK(mj_ci_proportion(1, 4, 0.3, MJ_CI_WILSON, &lo, &hi) != 0);
}

static void ci_exact(void)
{
	double lo, hi;
	CHECK(mj_ci_proportion(2709, 10927, 0.95, MJ_CI_EXACT, &lo, &hi) == 0);
	NEAR(lo, 0.23984399286590632, 1e-10);
	NEAR(hi, 0.25612653185875156, 1e-10);
	CHECK(mj_ci_proportion(114, 10927, 0.99, MJ_CI_EXACT, &lo, &hi) == 0);
	NEAR(lo, 0.008097051035557036, 1e-10);
	NEAR(hi, 0.0132053558546111, 1e-10);
	CHECK(mj_ci_proportion(3, 10, 0.95, MJ_CI_EXACT, &lo, &hi) == 0);
	NEAR(lo, 0.0667395111777345, 1e-11);
	NEAR(hi, 0.6524528500599973, 1e-11);
	CHECK(mj_ci_proportion(0, 20, 0.95, MJ_CI_EXACT, &lo, &hi) == 0);
	CHECK(lo == 0);
	NEAR(hi, 0.1684334709830853, 1e-11);
	CHECK(mj_ci_proportion(20, 20, 0.95, MJ_CI_EXACT, &lo, &hi) == 0);
	NEAR(lo, 0.8315665290169147, 1e-11);
	CHECK(hi == 1);
	CHECK(mj_ci_proportion(1, 1, 0.9, MJ_CI_EXACT, &lo, &hi) == 0);
	NEAR(lo, 0.05, 1e-11);
}

/* A cross-tab with rows and columns of the given codes; the last column
 * and row are totals computed here. */
static struct mj_table *crosstab(size_t nr, const char *const *rcodes, size_t nc,
				 const char *const *ccodes, const double *cells)
{
	const char *cols[16];
	for (size_t c = 0; c < nc; c++)
		cols[c] = ccodes[c];
	cols[nc] = MJ_CODE_TOTAL;
	const char *dims[] = {"region"};
	struct mj_table *t = mj_table_new(1, dims, "violence", nc + 1, cols, NULL);
	for (size_t r = 0; r < nr; r++) {
		struct mj_table_row *row = mj_table_add_row(t, MJ_ROW_CATEGORY, 0, &rcodes[r], NULL);
		for (size_t c = 0; c < nc; c++) {
			row->values[c] = cells[r * nc + c];
			row->values[nc] += cells[r * nc + c];
		}
	}
	const char *tot[] = {MJ_CODE_TOTAL};
	struct mj_table_row *total = mj_table_add_row(t, MJ_ROW_TOTAL, 0, tot, NULL);
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c <= nc; c++)
			total->values[c] += t->rows[r].values[c];
	return t;
}

/* The region × violence table of the 2023 sample (14 × 5, plus the empty
 * "not stated" column the table shows). */
static const double sample_cells[14 * 6] = {
	206, 8, 335, 84, 160, 0,   210, 9, 346, 83, 179, 0,   188, 10, 345, 88, 194, 0,
	255, 11, 419, 91, 203, 0,  216, 6, 337, 70, 151, 0,   245, 5, 415, 107, 213, 0,
	156, 3, 288, 74, 142, 0,   154, 6, 280, 71, 131, 0,   226, 19, 364, 89, 201, 0,
	140, 9, 241, 46, 113, 0,   92, 5, 159, 36, 94, 0,     213, 10, 398, 86, 218, 0,
	144, 0, 285, 44, 155, 0,   264, 13, 430, 93, 246, 0};

static void chi2_sample(void)
{
	static const char *const regions[] = {"UZ-QR", "UZ-AN", "UZ-BU", "UZ-JI", "UZ-QA", "UZ-NW",
		"UZ-NG", "UZ-SA", "UZ-SU", "UZ-SI", "UZ-TO", "UZ-FA", "UZ-XO", "UZ-TK"};
	static const char *const types[] = {"physical", "sexual", "psychological", "economic",
		"other", MJ_CODE_MISSING};
	struct mj_table *t = crosstab(14, regions, 6, types, sample_cells);
	struct mj_chi2 c;
	CHECK(mj_table_chi2(t, &c, NULL) == MJ_OK);
	/* scipy: chi2_contingency -> (61.401982777540155, 0.17461358314001885,
	 * 52, ...); V = sqrt(chi2 / (n * 4)); 1 expected count below 5, the
	 * smallest 4.02708886245081. */
	NEAR(c.chi2, 61.401982777540155, 1e-12);
	CHECK(c.df == 52);
	NEAR(c.p, 0.17461358314001885, 1e-10);
	NEAR(c.cramers_v, 0.037480962123174914, 1e-12);
	CHECK(c.cells_low == 1);
	NEAR(c.min_expected, 4.02708886245081, 1e-12);
	CHECK(c.rows == 14 && c.cols == 5 && c.n == 10927);
	CHECK(c.missing_cols == 1 && c.missing_rows == 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	mj_chi2_write(f, &c, MJ_LANG_EN);
	fclose(f);
	CHECK(strstr(text, "          Pearson chi2(52) =  61.4020   Pr = 0.175\n") != NULL);
	CHECK(strstr(text, "                Cramér's V =   0.0375\n") != NULL);
	CHECK(strstr(text, "Warning") == NULL);
	free(text);
	mj_table_destroy(t);
}

static void chi2_exclusions(void)
{
	/* M = [[10,20,5],[15,5,10],[7,9,30]] with a "not stated" row, a "not
	 * stated" column and an empty row and column around it; scipy on M:
	 * chi2 32.646542493809115, p 1.410987857773339e-06, df 4, V
	 * 0.3834794619270514, no expected count below 5 (smallest 8.648...). */
	static const char *const rows[] = {"a", "b", "empty", "c", MJ_CODE_MISSING};
	static const char *const cols[] = {"x", "y", "none", "z", MJ_CODE_MISSING};
	static const double cells[] = {
		10, 20, 0, 5, 1,
		15, 5, 0, 10, 2,
		0, 0, 0, 0, 0,
		7, 9, 0, 30, 0,
		4, 4, 0, 4, 4};
	struct mj_table *t = crosstab(5, rows, 5, cols, cells);
	struct mj_chi2 c;
	CHECK(mj_table_chi2(t, &c, NULL) == MJ_OK);
	NEAR(c.chi2, 32.646542493809115, 1e-12);
	CHECK(c.df == 4);
	NEAR(c.p, 1.410987857773339e-06, 1e-9);
	NEAR(c.cramers_v, 0.3834794619270514, 1e-12);
	CHECK(c.cells_low == 0);
	NEAR(c.min_expected, 8.64864864864865, 1e-12);
	CHECK(c.missing_rows == 1 && c.missing_cols == 1);
	CHECK(c.empty_rows == 1 && c.empty_cols == 1);
	CHECK(c.n == 111);
	NEAR(c.n_missing, 19, 0);
	mj_table_destroy(t);

	/* [[3,1],[1,3]]: chi2 2.0, p 0.15729920705028105, all 4 expected
	 * counts 2 (below 5): the warning is due. */
	static const char *const r2[] = {"a", "b"};
	static const char *const c2[] = {"x", "y"};
	static const double small[] = {3, 1, 1, 3};
	t = crosstab(2, r2, 2, c2, small);
	CHECK(mj_table_chi2(t, &c, NULL) == MJ_OK);
	NEAR(c.chi2, 2.0, 1e-12);
	NEAR(c.p, 0.15729920705028105, 1e-12);
	NEAR(c.cramers_v, 0.5, 1e-12);
	CHECK(c.cells_low == 4);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	mj_chi2_write(f, &c, MJ_LANG_EN);
	fclose(f);
	CHECK(strstr(text, "Pearson chi2(1) =   2.0000   Pr = 0.157") != NULL);
	CHECK(strstr(text, "Warning: more than 20% of cells") != NULL);
	free(text);
	mj_table_destroy(t);
}

static void chi2_errors(void)
{
	const char *dims[] = {"region"};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	struct mj_chi2 c;
	struct mj_error err;
	CHECK(mj_table_chi2(t, &c, &err) == MJ_E_UNSUPPORTED);
	CHECK(strstr(err.message, "cross-tab") != NULL);
	mj_table_destroy(t);
	static const char *const rows[] = {"a", "b"};
	static const char *const cols[] = {"x", "y"};
	static const double cells[] = {3, 1, 1, 3};
	t = crosstab(2, rows, 2, cols, cells);
	t->rows[0].suppressed[1] = 1;
	CHECK(mj_table_chi2(t, &c, &err) == MJ_E_UNSUPPORTED);
	CHECK(strstr(err.message, "suppressed") != NULL);
	t->rows[0].suppressed[1] = 0;
	free(t->measure);
	t->measure = strdup("children");
	CHECK(mj_table_chi2(t, &c, &err) == MJ_E_UNSUPPORTED);
	mj_table_destroy(t);
	static const double one_row[] = {3, 1, 0, 0};
	t = crosstab(2, rows, 2, cols, one_row);
	CHECK(mj_table_chi2(t, &c, &err) == MJ_E_UNSUPPORTED);
	CHECK(strstr(err.message, "two rows") != NULL);
	mj_table_destroy(t);
}

static struct mj_table *oneway(const char *const *codes, const double *counts, size_t n)
{
	const char *dims[] = {"region"};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		struct mj_table_row *row = mj_table_add_row(t, MJ_ROW_CATEGORY, 0, &codes[i], NULL);
		row->values[0] = counts[i];
		sum += counts[i];
	}
	const char *tot[] = {MJ_CODE_TOTAL};
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, tot, NULL)->values[0] = sum;
	return t;
}

static void percent_base(void)
{
	static const char *const codes[] = {"UZ-QR", "UZ-AN", MJ_CODE_MISSING};
	static const double now[] = {30, 10, 60};
	struct mj_table *t = oneway(codes, now, 3);
	CHECK(mj_table_percent_base(t, &t->rows[0], 0, MJ_PCT_TOTAL) == 100);
	CHECK(mj_table_percent_base(t, &t->rows[0], 0, MJ_PCT_VALID) == 40);
	CHECK(isnan(mj_table_percent_base(t, &t->rows[2], 0, MJ_PCT_VALID)));
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_ci(&s, t, 0.95, MJ_CI_WILSON, 1, NULL) == MJ_OK);
	/* Valid base: 30 of 40 -> Wilson 95% from the formula in NumPy. */
	double lo, hi;
	mj_ci_proportion(30, 40, 0.95, MJ_CI_WILSON, &lo, &hi);
	NEAR(s.cols[0].values[0], 100 * lo, 1e-12);
	NEAR(s.cols[1].values[0], 100 * hi, 1e-12);
	CHECK(isnan(s.cols[0].values[2]));
	CHECK_STR(s.cols[0].name, "ci_low");
	CHECK_STR(s.cols[1].title, "95% CI high");
	mj_stats_free(&s);
	mj_table_destroy(t);
}

static void compare(void)
{
	static const char *const codes[] = {"UZ-QR", "UZ-AN", "UZ-BU"};
	static const double now[] = {30, 10, 0}, before[] = {20, 0, 0};
	struct mj_table *t = oneway(codes, now, 3), *b = oneway(codes, before, 3);
	mj_table_set(&b->period_from, "2023-07-01");
	mj_table_set(&b->period_to, "2023-07-31");
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_compare(&s, t, b, NULL) == MJ_OK);
	CHECK(s.ncols == 3);
	CHECK_STR(s.cols[0].name, "count_compared");
	CHECK_STR(s.cols[2].name, "percent_change");
	CHECK(s.cols[0].values[0] == 20 && s.cols[1].values[0] == 10);
	NEAR(s.cols[2].values[0], 50, 1e-12);
	CHECK(s.cols[1].values[1] == 10 && isnan(s.cols[2].values[1]));
	CHECK_STR(s.cols[2].marks[1], "new");
	CHECK_STR(s.cols[2].marks[2], "—");
	CHECK(s.cols[1].values[3] == 20); /* total 40 against 20 */
	NEAR(s.cols[2].values[3], 100, 1e-12);
	CHECK(s.nnotes == 1 && strstr(s.notes[0], "2023-07-01") != NULL);
	mj_stats_free(&s);
	mj_table_destroy(t);
	mj_table_destroy(b);
}

static void period_compare(void)
{
	char buf[64];
	struct mj_error err;
	static const char *const cases[][3] = {
		{"2023-08", "previous", "2023-07"},
		{"2023-01", "previous", "2022-12"},
		{"2023-08", "year", "2022-08"},
		{"2023-Q1", "previous", "2022-Q4"},
		{"2023-Q2", "year", "2022-Q2"},
		{"2023", "previous", "2022"},
		{"2023-01..2023-08", "previous", "2022-05..2022-12"},
		{"2024-02", "year", "2023-02"},
		{"2024-02-29", "year", "2023-02-28..2023-02-28"},
		{"2023-03-10..2023-03-19", "previous", "2023-02-28..2023-03-09"},
		{"2023-08", "2023-06", "2023-06"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK(mj_period_compare(cases[i][0], cases[i][1], buf, sizeof buf, &err) == MJ_OK);
		CHECK_STR(buf, cases[i][2]);
	}
	CHECK(mj_period_compare(NULL, "previous", buf, sizeof buf, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "--period") != NULL);
	CHECK(mj_period_compare("2023-08", "last", buf, sizeof buf, &err) == MJ_E_USAGE);
	CHECK(mj_period_compare("2023-13", "previous", buf, sizeof buf, &err) == MJ_E_USAGE);
}

static void population(void)
{
	struct mj_schema *schema = mj_schema_default(NULL);
	struct mj_error err;
	static const char good[] =
		"# made up for tests\nregion,sex,population\n"
		"UZ-QR,female,1000\nKarakalpakstan,male,900\nAndijan,female,2000\nUZ-AN,male,1500\n";
	struct mj_population *p = mj_population_parse("pop.csv", good, strlen(good), schema, &err);
	CHECK(p != NULL);
	static const char *const codes[] = {"UZ-QR", "UZ-AN", "UZ-BU"};
	static const double now[] = {19, 7, 3};
	struct mj_table *t = oneway(codes, now, 3);
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_rates(&s, t, p, 1000, NULL) == MJ_OK);
	CHECK_STR(s.cols[0].name, "population");
	CHECK_STR(s.cols[1].name, "rate");
	CHECK(s.cols[0].values[0] == 1900);
	NEAR(s.cols[1].values[0], 10, 1e-12);        /* 19 / 1900 * 1000 */
	NEAR(s.cols[1].values[1], 2, 1e-12);         /* 7 / 3500 * 1000 */
	CHECK(isnan(s.cols[1].values[2]));
	CHECK_STR(s.cols[1].marks[2], "no population");
	/* The total's 29 appeals include Bukhara's 3, whose population the
	 * file lacks: its rate is withdrawn, not 29 / 5400 * 1000. */
	CHECK(s.cols[0].values[3] == 5400);
	CHECK(isnan(s.cols[1].values[3]));
	CHECK_STR(s.cols[1].marks[3], "partial population");
	mj_stats_free(&s);
	/* Without Bukhara's appeals the total has its rate. */
	static const double none_there[] = {19, 7, 0};
	struct mj_table *t0 = oneway(codes, none_there, 3);
	CHECK(mj_stats_rates(&s, t0, p, 1000, NULL) == MJ_OK);
	NEAR(s.cols[1].values[3], 26.0 / 5400 * 1000, 1e-12);
	mj_stats_free(&s);
	mj_table_destroy(t0);
	/* A filter on a dimension of the file narrows the population. */
	mj_table_set(&t->filters, "sex=female");
	CHECK(mj_stats_rates(&s, t, p, 1000, NULL) == MJ_OK);
	CHECK(s.cols[0].values[0] == 1000 && s.cols[0].values[3] == 3000);
	mj_stats_free(&s);
	mj_table_destroy(t);
	mj_population_destroy(p);

	static const struct { const char *text; const char *where; const char *msg; } bad[] = {
		{"region,population\nUZ-QR,abc\n", "pop.csv:2:7", "not a number"},
		{"region,population\nUZ-QR,-5\n", "pop.csv:2:7", "not a number"},
		{"region,population\nAndijn,5\n", "pop.csv:2:1", "did you mean \"UZ-AN\""},
		{"regio,population\nUZ-QR,5\n", "pop.csv:1:1", "not a dimension"},
		{"region,people\nUZ-QR,5\n", "pop.csv:1:8", "not a dimension"},
		{"region\nUZ-QR\n", "pop.csv:1:1", "no 'population' column"},
		{"region,population\nUZ-QR,5\nQR,6\n", "pop.csv:3:1", "line 2"},
		{"region,population\nUZ-QR,5,7\n", "pop.csv:2:1", "3 fields"},
		{"region,population\n", "pop.csv:1:1", "no population figures"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		mj_error_clear(&err);
		p = mj_population_parse("pop.csv", bad[i].text, strlen(bad[i].text), schema, &err);
		CHECK(p == NULL);
		char where[320];
		snprintf(where, sizeof where, "%s:%lu:%lu", err.path, err.line, err.column);
		CHECK_STR(where, bad[i].where);
		if (!strstr(err.message, bad[i].msg)) {
			fprintf(stderr, "case %zu: \"%s\" lacks \"%s\"\n", i, err.message, bad[i].msg);
			check_failures++;
		}
		mj_population_destroy(p);
	}
	mj_schema_destroy(schema);
}

static void options(void)
{
	struct mj_stats_opts o;
	struct mj_error err;
	mj_stats_opts_init(&o);
	int ci = MJ_OPT_CI, rate = MJ_OPT_RATE_PER, pop = MJ_OPT_POPULATION;
	CHECK(mj_stats_option(ci) && mj_stats_option(pop) && !mj_stats_option(MJ_OPT_BY));
	CHECK(mj_stats_opts_apply(&o, ci, "95", &err) == MJ_OK);
	NEAR(o.ci_level, 0.95, 1e-15);
	CHECK(mj_stats_opts_apply(&o, ci, "99.9", &err) == MJ_OK);
	CHECK(mj_stats_opts_apply(&o, ci, "100", &err) == MJ_E_USAGE);
	CHECK(mj_stats_opts_apply(&o, ci, "49", &err) == MJ_E_USAGE);
	CHECK(mj_stats_opts_apply(&o, ci, "95x", &err) == MJ_E_USAGE);
	CHECK(mj_stats_opts_apply(&o, rate, "100000", &err) == MJ_OK);
	CHECK(mj_stats_opts_check(&o, &err) == MJ_E_USAGE);
	CHECK(mj_stats_opts_apply(&o, pop, "p.csv", &err) == MJ_OK);
	CHECK(mj_stats_opts_check(&o, &err) == MJ_OK);
	CHECK(mj_stats_opts_apply(&o, rate, "0", &err) == MJ_E_USAGE);
}

/* Tables with statistics columns still read back as mj-tab's tables. */
static void write_read(void)
{
	static const char *const codes[] = {"UZ-QR", "UZ-AN", "UZ-BU"};
	static const double now[] = {30, 10, 0}, before[] = {20, 0, 0};
	struct mj_table *t = oneway(codes, now, 3), *b = oneway(codes, before, 3);
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_ci(&s, t, 0.95, MJ_CI_EXACT, 0, NULL) == MJ_OK);
	CHECK(mj_stats_compare(&s, t, b, NULL) == MJ_OK);
	static const enum mj_format formats[] = {MJ_FMT_CSV, MJ_FMT_TSV, MJ_FMT_JSON};
	for (size_t f = 0; f < 3; f++) {
		struct mj_write_opts o;
		mj_write_opts_init(&o, t);
		o.format = formats[f];
		o.stats = &s;
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		CHECK(mj_table_write(out, t, &o, NULL) == MJ_OK);
		fclose(out);
		struct mj_error err;
		struct mj_table *back = mj_table_read_mem(text, len, "mem", &err);
		CHECK(back != NULL);
		if (!back) {
			fprintf(stderr, "%s\n%s\n", err.message, text);
			free(text);
			continue;
		}
		CHECK(back->nrows == t->nrows);
		for (size_t r = 0; r < t->nrows && r < back->nrows; r++) {
			CHECK(back->rows[r].values[0] == t->rows[r].values[0]);
			CHECK_STR(back->rows[r].codes[0], t->rows[r].codes[0]);
		}
		if (formats[f] == MJ_FMT_CSV) {
			/* What was counted follows the statistics on every row. */
			CHECK(strstr(text, "region_code,region,count,percent,percent_base,ci_low,ci_high,"
					   "count_compared,change,percent_change,percent_change_note,"
					   "title,lang,period_from,period_to,filters,n_read,n_counted,"
					   "n_rejected,min_cell,source\n") != NULL);
			CHECK(strstr(text, "UZ-AN,UZ-AN,10,25.0,40,") != NULL);
			CHECK(strstr(text, ",0,10,,new,") != NULL);
		}
		if (formats[f] == MJ_FMT_JSON)
			CHECK(strstr(text, "\"percent_change_note\": [\"new\"]") != NULL);
		mj_table_destroy(back);
		free(text);
	}
	mj_stats_free(&s);
	mj_table_destroy(t);
	mj_table_destroy(b);
}

/* Multi-response records tabulated: mentions per category, appeals in the
 * totals. */
static void multi_tabulate(void)
{
	char path[] = "/tmp/mj-test-multi-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("id,date,region,violence\n"
	      "1,2023-01-01,UZ-TK,physical;psychological\n"
	      "2,2023-01-02,UZ-TK,psychological\n"
	      "3,2023-01-03,UZ-AN,Economic ; физическое насилие\n"
	      "4,2023-01-04,UZ-AN,physical;;physical\n", f);
	fclose(f);
	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	struct mj_tab_spec specs[] = {{.by = "violence"}, {.by = "region", .cols = "violence"},
				      {.by = "region"}};
	struct mj_table *t[3];
	struct mj_run_stats st;
	const char *files[] = {path};
	CHECK(mj_tabulate(&ro, files, 1, specs, 3, t, &st, NULL) == MJ_OK);
	unlink(path);
	CHECK(st.counted == 4 && st.rejected == 0);
	/* physical 3 (1, 3, 4), psychological 2, economic 1; 4 appeals. */
	CHECK(t[0]->rows[0].values[0] == 3);
	CHECK(t[0]->rows[2].values[0] == 2);
	CHECK(t[0]->rows[3].values[0] == 1);
	CHECK(mj_table_total(t[0])->values[0] == 4);
	struct mj_schema *schema = mj_schema_default(NULL);
	CHECK(mj_stats_multi_dim(t[0], schema) == 0);
	CHECK(mj_stats_multi_dim(t[1], schema) == 1);
	CHECK(mj_stats_multi_dim(t[2], schema) == -1);
	CHECK(mj_stats_multi_used(t[0], 0));
	CHECK(mj_stats_multi_used(t[1], 1));
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_multi(&s, t[0], schema, 0, NULL) == MJ_OK);
	NEAR(s.cols[0].values[0], 50, 1e-12); /* 3 of 6 mentions */
	CHECK(strstr(s.notes[0], "(6 mentions by 4 appeals)") != NULL);
	mj_stats_free(&s);
	/* Cross-tab: Tashkent city 2 appeals, 3 mentions. */
	const struct mj_table_row *tk = NULL;
	for (size_t r = 0; r < t[1]->nrows; r++)
		if (strcmp(t[1]->rows[r].codes[0], "UZ-TK") == 0)
			tk = &t[1]->rows[r];
	CHECK(tk && tk->values[0] == 1 && tk->values[2] == 2 && tk->values[t[1]->ncols - 1] == 2);
	CHECK(mj_table_total(t[1])->values[t[1]->ncols - 1] == 4);
	CHECK(mj_table_total(t[1])->values[0] == 3);
	CHECK(mj_table_total(t[2])->values[0] == 4);
	struct mj_chi2 c;
	CHECK(mj_table_chi2(t[1], &c, NULL) == MJ_OK); /* the caller checks multi_used */
	mj_schema_destroy(schema);
	for (int i = 0; i < 3; i++)
		mj_table_destroy(t[i]);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"normal_quantile", normal_quantile},
		{"beta_inc", beta_inc},
		{"gamma_q", gamma_q},
		{"ci_wilson", ci_wilson},
		{"ci_exact", ci_exact},
		{"chi2_sample", chi2_sample},
		{"chi2_exclusions", chi2_exclusions},
		{"chi2_errors", chi2_errors},
		{"percent_base", percent_base},
		{"compare", compare},
		{"period_compare", period_compare},
		{"population", population},
		{"options", options},
		{"write_read", write_read},
		{"multi_tabulate", multi_tabulate},
		{NULL, NULL},
	};
	return run_case(cases, argc, argv);
}
