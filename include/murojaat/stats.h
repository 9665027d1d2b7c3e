/* Statistics an analyst expects beside a table: confidence intervals of
 * proportions (Wilson, Clopper-Pearson), the Pearson chi-square test of a
 * cross-tab, comparisons with another period, and rates per population
 * (murojaat/population.h).
 * The results travel to the table writers as extra columns and notes
 * (struct mj_stats), so every output format shows the same figures. */
#ifndef MUROJAAT_STATS_H
#define MUROJAAT_STATS_H

#include <stdio.h>

#include "murojaat/chi2.h"
#include "murojaat/distributions.h"
#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/tab.h"
#include "murojaat/table.h"

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
	char *mark_text; /* the text some columns' marks point into, or NULL */
};

void mj_stats_init(struct mj_stats *s);
/* The column called name ("ci_low", "rate") that has values, or NULL; s
 * may be NULL. */
const struct mj_stat_col *mj_stats_col(const struct mj_stats *s, const char *name);
/* Frees the columns and notes; no operation is performed if NULL. */
void mj_stats_free(struct mj_stats *s);
/* Appends a note (copied). */
enum mj_status mj_stats_note(struct mj_stats *s, const char *text);

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

/* Adds "props" (--test props): compares the column proportions of t in
 * each row, as SPSS CTABLES does. Each stated column gets a letter (A, B,
 * ... in column order, "not stated" none); a cell's mark holds the
 * letters of the columns whose share of their appeals is significantly
 * smaller than its own (pooled two-sided z-test, p times the number of
 * pairs compared in the row below alpha), "." where its share is 0 or
 * 100% (not compared), "" where it is larger than none; no mark (NULL)
 * in the total row and column and the "not stated" ones. A column's
 * share in a row is of the stated rows beside it (its parent's children
 * in a nested table). A note says so and names the letters. Fails with
 * MJ_E_UNSUPPORTED for a one-way table, nested columns, a summed
 * measure, suppressed cells or more than 26 columns. */
enum mj_status mj_stats_props(struct mj_stats *s, const struct mj_table *t,
			      double alpha, struct mj_error *err);

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
	unsigned test;              /* --test: bit set of enum mj_test */
	const char *compare;        /* --compare PERIOD|previous|year */
	double rate_per;            /* 0: no rates */
	const char *population;     /* --population FILE */
};

/* The tests --test asks for: "--test" or "--test chi2" the chi-square,
 * "--test props" column proportions, "--test chi2,props" both. */
enum mj_test { MJ_TEST_CHI2 = 1u << 0, MJ_TEST_PROPS = 1u << 1 };

void mj_stats_opts_init(struct mj_stats_opts *o);
/* The statistics options; a program names them (cmd/cli_options.c) and hands
 * each with its value to mj_stats_opts_apply(). */
enum mj_stats_option {
	MJ_OPT_CI = 3000, MJ_OPT_CI_METHOD, MJ_OPT_TEST, MJ_OPT_COMPARE,
	MJ_OPT_RATE_PER, MJ_OPT_POPULATION,
	MJ_OPT_STATS_END
};
/* Whether opt is one of enum mj_stats_option. */
int mj_stats_option(int opt);
/* Applies one statistics option; MJ_E_USAGE with a message for a bad
 * value. */
enum mj_status mj_stats_opts_apply(struct mj_stats_opts *o, int opt,
				   const char *arg, struct mj_error *err);
/* Checks the options that go together (--rate-per with --population). */
enum mj_status mj_stats_opts_check(const struct mj_stats_opts *o,
				   struct mj_error *err);

#endif
