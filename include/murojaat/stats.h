/* Statistics an analyst expects beside a table: confidence intervals of
 * proportions (Wilson, Clopper-Pearson), the Pearson chi-square test of a
 * cross-tab, comparisons with another period, and rates per population.
 * The results travel to the table writers as extra columns and notes
 * (struct mj_stats), so every output format shows the same figures. */
#ifndef MUROJAAT_STATS_H
#define MUROJAAT_STATS_H

#include <getopt.h>
#include <stdio.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/tab.h"
#include "murojaat/table.h"

/* Distributions ------------------------------------------------------------ */

/* The standard normal quantile: z with P(Z <= z) = p, for 0 < p < 1
 * (NAN outside). Found by bisection on erfc, accurate to double precision. */
double mj_normal_quantile(double p);
/* The regularised incomplete beta function I_x(a, b) for a, b > 0 and
 * 0 <= x <= 1 (NAN outside), by its continued fraction. */
double mj_beta_inc(double a, double b, double x);
/* The x with I_x(a, b) = p, by bisection on mj_beta_inc(). */
double mj_beta_inc_inv(double a, double b, double p);
/* The upper regularised gamma function Q(a, x) = Γ(a, x) / Γ(a), a > 0,
 * x >= 0: a series below a + 1, a continued fraction above. */
double mj_gamma_q(double a, double x);
/* P(X >= x) for X chi-square with df degrees of freedom. */
double mj_chi2_sf(double x, double df);

/* Confidence intervals ------------------------------------------------------ */

enum mj_ci_method {
	MJ_CI_WILSON = 0, /* Wilson score interval (default) */
	MJ_CI_EXACT       /* Clopper-Pearson, from the beta distribution */
};

/* Interval for the proportion x / n at confidence level (0.5 <= level < 1).
 * Bounds are proportions (0..1). Returns 0, or -1 when n <= 0, x is
 * outside 0..n or the level is out of range (bounds set to NAN). */
int mj_ci_proportion(double x, double n, double level, enum mj_ci_method method,
		     double *lo, double *hi);

/* The chi-square test of a cross-tab ------------------------------------- */

struct mj_chi2 {
	double chi2;          /* Pearson's X^2 */
	int df;               /* (rows - 1) * (cols - 1) */
	double p;             /* P(chi2(df) >= X^2) */
	double cramers_v;     /* sqrt(X^2 / (n * (min(rows, cols) - 1))) */
	double n;             /* appeals in the cells tested */
	size_t rows, cols;    /* rows and columns tested */
	size_t cells_low;     /* cells whose expected count is below 5 */
	double min_expected;  /* the smallest expected count */
	/* Left out of the test: "not stated" rows and columns (their appeals
	 * are not a category of the variable), and rows and columns that count
	 * zero (they carry no information and would divide by zero). */
	size_t missing_rows, missing_cols, empty_rows, empty_cols;
	double n_missing;     /* appeals left out because a value is not stated */
};

/* Pearson chi-square test of independence of t's rows and columns. Uses
 * the innermost rows of a nested table. Fails with MJ_E_UNSUPPORTED for a
 * one-way table, a summed measure, suppressed cells, or fewer than two
 * rows or columns left to test. */
enum mj_status mj_table_chi2(const struct mj_table *t, struct mj_chi2 *out,
			     struct mj_error *err);
/* Writes the test as Stata does under a two-way table:
 *     Pearson chi2(52) =  123.4567   Pr = 0.000
 *          Cramér's V =    0.0412
 * with the exclusions and the expected-count warning, in lang. */
void mj_chi2_write(FILE *out, const struct mj_chi2 *c, enum mj_lang lang);

/* Extra columns and notes for the writers ---------------------------------- */

/* One value per cell of a table ([row * ncols + col]); NAN leaves a cell
 * empty, and a mark (e.g. "new") is shown instead of the value in text
 * and Markdown and beside it ("NAME_note") in CSV and JSON. */
struct mj_stat_col {
	char name[32];        /* CSV and JSON name: "ci_low" */
	char title[64];       /* heading in text and Markdown: "95% CI low" */
	int decimals;         /* digits after the point (-1: as the percents) */
	double *values;
	const char **marks;   /* static strings or NULL; NULL when none at all */
};

#define MJ_STATS_MAXCOLS 12
#define MJ_STATS_MAXNOTES 8

/* Everything computed beside a table; filled by the mj_stats_* calls below
 * and handed to the writers through struct mj_write_opts. */
struct mj_stats {
	struct mj_stat_col cols[MJ_STATS_MAXCOLS];
	size_t ncols;
	int has_test;
	struct mj_chi2 test;
	char *notes[MJ_STATS_MAXNOTES]; /* lines printed under a text table and
					   as "notes" in JSON */
	size_t nnotes;
	char test_problem[512]; /* why --test was not computed, or "" */
	/* Set by mj_stats_multi() when appeals named several categories of
	 * the multi-response dimension multi_which: the writers then show,
	 * in the total of a percent of appeals, the sum of the percents
	 * (over 100) instead of pretending they add up to 100. */
	int multi_used;
	int multi_which;
};

void mj_stats_init(struct mj_stats *s);
/* The column called name ("ci_low", "rate") that has values, or NULL; s
 * may be NULL. */
const struct mj_stat_col *mj_stats_col(const struct mj_stats *s, const char *name);
/* Frees the columns and notes; no operation is performed if NULL. */
void mj_stats_free(struct mj_stats *s);
/* Appends a note (copied). */
enum mj_status mj_stats_note(struct mj_stats *s, const char *text);

/* The base N of a percent: the count it is a percent of, or NAN when the
 * percent is undefined. Mirrors mj_table_percent(). */
double mj_table_percent_base(const struct mj_table *t,
			     const struct mj_table_row *row, size_t col,
			     enum mj_percent base);

/* Adds ci_low and ci_high (percents) for each cell: of the row's total in
 * a cross-tab, of the grand total otherwise (the valid total when valid is
 * set). level is e.g. 0.95. */
enum mj_status mj_stats_ci(struct mj_stats *s, const struct mj_table *t,
			   double level, enum mj_ci_method method, int valid,
			   struct mj_error *err);

/* Adds count_compared, change and percent_change: each cell of t against
 * the cell with the same codes in compared (a tabulation of another
 * period). A zero base is marked "new" (count above zero) or "—". */
enum mj_status mj_stats_compare(struct mj_stats *s, const struct mj_table *t,
				const struct mj_table *compared,
				struct mj_error *err);

/* The period to compare a period with: how is "previous" (the period of
 * equal length just before), "year" (the same period a year earlier) or a
 * period itself. Periods as --period takes them (2023-08, 2023-Q2, 2023,
 * 2023-01..2023-08, dates). Writes the period into buf. */
enum mj_status mj_period_compare(const char *period, const char *how,
				 char *buf, size_t len, struct mj_error *err);

/* A population table: population by one or more dimensions. */
struct mj_population;

/* Reads a CSV whose header names schema dimensions (by name or alias) and
 * a column "population"; each row a combination of categories and its
 * population. Errors name path:line:col. Caller destroys. */
struct mj_population *mj_population_read(const char *path,
					 const struct mj_schema *schema,
					 struct mj_error *err);
struct mj_population *mj_population_parse(const char *path, const char *text,
					  size_t len,
					  const struct mj_schema *schema,
					  struct mj_error *err);
void mj_population_destroy(struct mj_population *p);

/* Adds population and rate = value / population * per for every cell.
 * A cell's population is the sum of the file's rows that agree with the
 * cell's categories and with the table's filters on the file's
 * dimensions; cells of a dimension the file lacks, and "not stated", have
 * none and are marked "no population". */
enum mj_status mj_stats_rates(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_population *pop, double per,
			      struct mj_error *err);

/* Reads a table as mj_table_read() does, and into stats (initialised by
 * the call) the statistics columns mj-tab wrote beside it: ci_low,
 * ci_high, count_compared, change, percent_change, population, rate and
 * mention_percent, as many as the CSV, TSV or JSON holds, one value per
 * cell of the table read (NAN where empty; decimals as printed; marks are
 * not read back), and a JSON table's notes. The caller destroys the
 * table and frees stats (also after a failure, when stats is empty). */
struct mj_table *mj_table_read_stats(FILE *in, const char *name,
				     struct mj_stats *stats,
				     struct mj_error *err);

/* Multi-response dimensions ------------------------------------------------ */

/* Which dimension of t is multi-response in schema (attr multi: a record
 * may name several categories, "physical;psychological"): a row dimension
 * 0..ndims-1, ndims for the column dimension, or -1 when none. */
int mj_stats_multi_dim(const struct mj_table *t, const struct mj_schema *schema);
/* Whether some appeal of t named several categories of dimension which:
 * the categories then add up to more than the total. */
int mj_stats_multi_used(const struct mj_table *t, int which);
/* For a table by a multi-response dimension (which, from
 * mj_stats_multi_dim()): says in a note that counts are appeals naming
 * each category and percents are of appeals (cases), which add up to more
 * than 100, and adds "mention_percent", the percent of mentions
 * (responses), as SPSS MULT RESPONSE prints both. Nested tables get the
 * note only. */
enum mj_status mj_stats_multi(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_schema *schema, int which,
			      struct mj_error *err);

/* Everything at once ----------------------------------------------------------- */

/* The dimension of t (row or column) that is a period derived from a date
 * (month, quarter, year), or NULL: such a table's rows are periods, which
 * another period never shares, and whose shares are no sample proportion. */
const char *mj_table_period_dim(const struct mj_table *t, const struct mj_schema *schema);

struct mj_stats_opts;

/* Computes all that o asks for beside t: the multi-response note and
 * percent of mentions (when percents is not 0), intervals, a comparison
 * (tabulating files again with run and spec over the compared period;
 * standard input only through run->stdin_copy), rates (reading o->population with
 * run's schema, the built-in one when NULL) and the test. A test that does
 * not apply leaves its reason in s->test_problem and is not an error.
 * percents is the bit set of struct mj_write_opts. */
enum mj_status mj_stats_compute(struct mj_stats *s, const struct mj_table *t,
				const struct mj_stats_opts *o, unsigned percents,
				const struct mj_run_opts *run,
				const struct mj_tab_spec *spec,
				const char *const *files, size_t nfiles,
				struct mj_error *err);

/* Command-line options ----------------------------------------------------- */

/* What the statistics options ask for. */
struct mj_stats_opts {
	double ci_level;            /* 0: no interval; 0.95 for --ci 95 */
	enum mj_ci_method ci_method;
	int test;                   /* --test */
	const char *compare;        /* --compare PERIOD|previous|year */
	double rate_per;            /* 0: no rates */
	const char *population;     /* --population FILE */
};

void mj_stats_opts_init(struct mj_stats_opts *o);
/* Options for getopt_long (values 3000 and up); programs add them to
 * their own tables. */
extern const struct option mj_stats_long_options[];
/* Whether opt (getopt_long's value) is one of mj_stats_long_options. */
int mj_stats_option(int opt);
/* Applies one option from mj_stats_long_options; MJ_E_USAGE with a message
 * for a bad value. */
enum mj_status mj_stats_opts_apply(struct mj_stats_opts *o, int opt,
				   const char *arg, struct mj_error *err);
/* Checks the options that go together (--rate-per with --population). */
enum mj_status mj_stats_opts_check(const struct mj_stats_opts *o,
				   struct mj_error *err);
/* Help text for usage(). */
extern const char mj_stats_options_help[];

#endif
