/* The Pearson chi-square test of a cross-tab, and the lines that show it
 * under a table. */
#include "murojaat/chi2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/distributions.h"

/* The chi-square test ------------------------------------------------------- */

/* A row of t is a leaf when no nested row follows it: the innermost
 * categories partition the appeals. */
static int row_is_leaf(const struct mj_table *t, size_t r)
{
	if (t->rows[r].kind == MJ_ROW_TOTAL)
		return 0;
	return r + 1 >= t->nrows || t->rows[r + 1].kind == MJ_ROW_TOTAL ||
	       t->rows[r + 1].level <= t->rows[r].level;
}

enum mj_status mj_table_chi2(const struct mj_table *t, struct mj_chi2 *out,
			     struct mj_error *err)
{
	memset(out, 0, sizeof *out);
	if (!t->col_dim || t->ncols < 3)
		return mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
			"--test needs a cross-tab (--by DIM --cols DIM)");
	if (mj_table_is_sum(t))
		return mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
			"--test needs counts of appeals, not a sum of '%s'", t->measure);
	size_t nc = t->ncols - 1;
	double *rowsum = calloc(t->nrows, sizeof *rowsum);
	double *colsum = calloc(nc, sizeof *colsum);
	unsigned char *userow = calloc(t->nrows, 1), *usecol = calloc(nc, 1);
	enum mj_status st = MJ_OK;
	if (!rowsum || !colsum || !userow || !usecol) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	double all = 0;
	for (size_t c = 0; c < nc; c++) {
		usecol[c] = strcmp(t->col_codes[c], MJ_CODE_MISSING) != 0;
		if (!usecol[c])
			out->missing_cols++;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (!row_is_leaf(t, r))
			continue;
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < nc; c++) {
			if (row->suppressed[c]) {
				st = mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					"--test is not computed on a table with suppressed cells (--min-cell)");
				goto done;
			}
			all += row->values[c];
		}
		if (mj_table_row_missing(t, row)) {
			out->missing_rows++;
			continue;
		}
		userow[r] = 1;
		for (size_t c = 0; c < nc; c++)
			if (usecol[c]) {
				rowsum[r] += row->values[c];
				colsum[c] += row->values[c];
			}
	}
	for (size_t r = 0; r < t->nrows; r++)
		if (userow[r] && rowsum[r] == 0) {
			userow[r] = 0;
			out->empty_rows++;
		}
	for (size_t c = 0; c < nc; c++)
		if (usecol[c] && colsum[c] == 0) {
			usecol[c] = 0;
			out->empty_cols++;
		}
	for (size_t r = 0; r < t->nrows; r++)
		if (userow[r]) {
			out->rows++;
			out->n += rowsum[r];
		}
	for (size_t c = 0; c < nc; c++)
		out->cols += usecol[c];
	out->n_missing = all - out->n;
	if (out->rows < 2 || out->cols < 2) {
		st = mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
			"--test needs at least two rows and two columns that count appeals (have %zu by %zu)",
			out->rows, out->cols);
		goto done;
	}
	out->min_expected = INFINITY;
	for (size_t r = 0; r < t->nrows; r++) {
		if (!userow[r])
			continue;
		for (size_t c = 0; c < nc; c++) {
			if (!usecol[c])
				continue;
			double e = rowsum[r] * colsum[c] / out->n;
			double d = t->rows[r].values[c] - e;
			out->chi2 += d * d / e;
			if (e < 5)
				out->cells_low++;
			if (e < out->min_expected)
				out->min_expected = e;
		}
	}
	out->df = (int)((out->rows - 1) * (out->cols - 1));
	out->p = mj_chi2_sf(out->chi2, out->df);
	size_t k = out->rows < out->cols ? out->rows : out->cols;
	out->cramers_v = sqrt(out->chi2 / (out->n * (double)(k - 1)));
done:
	free(rowsum);
	free(colsum);
	free(userow);
	free(usecol);
	return st;
}

/* A number printed with a point gets the language's decimal mark. */
static void decimal_mark(char *number, enum mj_lang lang)
{
	if (lang == MJ_LANG_EN)
		return;
	for (char *d = number; *d; d++)
		if (*d == '.')
			*d = ',';
}

void mj_chi2_write(FILE *out, const struct mj_chi2 *c, enum mj_lang lang)
{
	static const char *const v_word[] = {"Cramér's V", "V Крамера", "Kramer V", "Крамер V"};
	static const char *const low_fmt[] = {
		"%zu of %zu cells (%s%%) have expected counts below 5; the smallest is %s.",
		"%zu из %zu ячеек (%s%%) имеют ожидаемую частоту меньше 5; наименьшая %s.",
		"%zu / %zu katakda (%s%%) kutilgan soni 5 dan kam; eng kichigi %s.",
		"%zu / %zu катакда (%s%%) кутилган сони 5 дан кам; энг кичиги %s."};
	static const char *const warn[] = {
		"Warning: more than 20% of cells expect fewer than 5 appeals; the chi-square approximation may be poor (merge categories, or use a longer period).",
		"Внимание: более 20% ячеек ожидают меньше 5 обращений; приближение хи-квадрат может быть неточным.",
		"Diqqat: katakchalarning 20% dan ortigʻida kutilgan soni 5 dan kam; xi-kvadrat taxmini noaniq boʻlishi mumkin.",
		"Диққат: катакчаларнинг 20% дан ортиғида кутилган сони 5 дан кам; хи-квадрат тахмини ноаниқ бўлиши мумкин."};
	static const char *const excl[] = {"Left out of the test:", "Не вошли в тест:",
		"Testga kirmadi:", "Тестга кирмади:"};
	static const char *const parts[][4] = {
		{"%zu \"not stated\" row(s)", "строк «не указано»: %zu", "\"koʻrsatilmagan\" qatorlar: %zu", "«кўрсатилмаган» қаторлар: %zu"},
		{"%zu \"not stated\" column(s)", "столбцов «не указано»: %zu", "\"koʻrsatilmagan\" ustunlar: %zu", "«кўрсатилмаган» устунлар: %zu"},
		{"%zu row(s) with no appeals", "пустых строк: %zu", "boʻsh qatorlar: %zu", "бўш қаторлар: %zu"},
		{"%zu column(s) with no appeals", "пустых столбцов: %zu", "boʻsh ustunlar: %zu", "бўш устунлар: %zu"}};
	static const char *const appeals[] = {"%s appeals with a value not stated",
		"обращений с неуказанным значением: %s", "qiymati koʻrsatilmagan murojaatlar: %s",
		"қиймати кўрсатилмаган мурожаатлар: %s"};
	if ((unsigned)lang >= MJ_LANG_COUNT)
		lang = MJ_LANG_EN;
	char head[64], chi2[32], p[32], v[32];
	snprintf(head, sizeof head, "Pearson chi2(%d)", c->df);
	/* Stata's layout, with the decimal comma of Russian and Uzbek. */
	snprintf(chi2, sizeof chi2, "%8.4f", c->chi2);
	snprintf(p, sizeof p, "%5.3f", c->p);
	snprintf(v, sizeof v, "%8.4f", c->cramers_v);
	decimal_mark(chi2, lang);
	decimal_mark(p, lang);
	decimal_mark(v, lang);
	fprintf(out, "%26s = %s   Pr = %s\n", head, chi2, p);
	/* Right-align by display width: "Cramér's V" has a two-byte letter. */
	size_t vw = strlen(v_word[lang]);
	for (const char *q = v_word[lang]; *q; q++)
		if (((unsigned char)*q & 0xC0) == 0x80)
			vw--;
	fprintf(out, "%*s%s = %s\n", vw < 26 ? (int)(26 - vw) : 0, "", v_word[lang], v);
	size_t cells = c->rows * c->cols;
	fputc('\n', out);
	char share[32], smallest[32];
	mj_format_number(100.0 * (double)c->cells_low / (double)cells, 1, lang, share, sizeof share);
	mj_format_number(c->min_expected, 2, lang, smallest, sizeof smallest);
	const char *fmt = low_fmt[lang];
	if (fmt)
		fprintf(out, fmt, c->cells_low, cells, share, smallest);
	fputc('\n', out);
	if (c->cells_low * 5 > cells)
		fprintf(out, "%s\n", warn[lang]);
	const size_t counts[] = {c->missing_rows, c->missing_cols, c->empty_rows, c->empty_cols};
	int any = 0;
	for (size_t i = 0; i < 4; i++) {
		if (!counts[i])
			continue;
		fprintf(out, "%s ", any ? "," : excl[lang]);
		const char *fmt = parts[i][lang];
		if (fmt)
			fprintf(out, fmt, counts[i]);
		any = 1;
	}
	if (c->n_missing > 0) {
		fprintf(out, "%s ", any ? ";" : excl[lang]);
		const char *fmt = appeals[lang];
		char num[32];
		mj_format_number(c->n_missing, 0, lang, num, sizeof num);
		if (fmt)
			fprintf(out, fmt, num);
		any = 1;
	}
	if (any)
		fputs(".\n", out);
}
