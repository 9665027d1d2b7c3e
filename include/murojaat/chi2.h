/* The Pearson chi-square test of independence of a cross-tab, and its
 * lines under a table. */
#ifndef MUROJAAT_CHI2_H
#define MUROJAAT_CHI2_H

#include <stdio.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"

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

#endif
