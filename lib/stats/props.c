/* Compare column proportions (--test props): in each row of a cross-tab,
 * which columns hold a significantly larger share of their appeals than
 * which others, as SPSS CTABLES prints it with letters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/stats.h"
#include "stats_internal.h"

/* The most columns that get a letter: A to Z. */
#define PROPS_MAXCOLS 26

/* Whether rows a and b have the same parent: the same codes in the
 * dimensions outside their level. */
static int same_parent(const struct mj_table_row *a, const struct mj_table_row *b)
{
	if (a->level != b->level)
		return 0;
	for (int d = 0; d < a->level; d++)
		if (strcmp(a->codes[d], b->codes[d]) != 0)
			return 0;
	return 1;
}

/* The row is tested: a category or subtotal that is stated. */
static int row_tested(const struct mj_table *t, const struct mj_table_row *row)
{
	return row->kind != MJ_ROW_TOTAL && !mj_table_row_missing(t, row);
}

static const char *const W_TITLE[] = {"Larger than", "Больше, чем",
	"Kattaroq", "Каттароқ"};

/* The note under the table: what the letters mean and which column has
 * which letter. */
static enum mj_status props_note(struct mj_stats *s, const struct mj_table *t,
				 const int *letter, double alpha)
{
	static const char *const head[] = {
		"Compare column proportions: a letter in a row marks a column whose share of its appeals is larger than that of the column with that letter (z-test, two-sided, %s%%, Bonferroni correction for the pairs compared in the row). \".\": not compared, the share is 0 or 100%%. Columns:",
		"Сравнение долей по столбцам: буква в строке отмечает столбец, доля которого больше, чем у столбца с этой буквой (z-тест, двусторонний, %s%%, поправка Бонферрони на число пар в строке). «.»: не сравнивается, доля 0 или 100%%. Столбцы:",
		"Ustunlar ulushini taqqoslash: qatordagi harf ulushi shu harfli ustunnikidan katta boʻlgan ustunni belgilaydi (z-test, ikki tomonlama, %s%%, qatordagi juftlar soni boʻyicha Bonferroni tuzatishi). \".\": taqqoslanmadi, ulush 0 yoki 100%%. Ustunlar:",
		"Устунлар улушини таққослаш: қатордаги ҳарф улуши шу ҳарфли устунникидан катта бўлган устунни белгилайди (z-тест, икки томонлама, %s%%, қатордаги жуфтлар сони бўйича Бонферрони тузатиши). «.»: таққосланмади, улуш 0 ёки 100%%. Устунлар:"};
	enum mj_lang lang = stats_lang(t);
	char level[32];
	mj_format_number(100 * alpha, alpha * 100 == floor(alpha * 100) ? 0 : 1, lang,
			 level, sizeof level);
	size_t len = strlen(head[lang]) + 64;
	for (size_t c = 0; c + 1 < t->ncols; c++)
		if (letter[c] >= 0)
			len += strlen(t->col_labels[c]) + 8;
	char *note = malloc(len);
	if (!note)
		return MJ_E_NOMEM;
	int n = snprintf(note, len, head[lang], level);
	int first = 1;
	for (size_t c = 0; n > 0 && (size_t)n < len && c + 1 < t->ncols; c++)
		if (letter[c] >= 0) {
			n += snprintf(note + n, len - (size_t)n, "%s %c %s", first ? "" : ",",
				      'A' + letter[c], t->col_labels[c]);
			first = 0;
		}
	if (n > 0 && (size_t)n + 1 < len)
		strcat(note, ".");
	enum mj_status st = mj_stats_note(s, note);
	free(note);
	return st;
}

enum mj_status mj_stats_props(struct mj_stats *s, const struct mj_table *t,
			      double alpha, struct mj_error *err)
{
	if (!t->col_dim || t->ncols < 3 || t->nest)
		return mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
			"--test props needs a cross-tab with one column dimension (--by DIM --cols DIM)");
	if (mj_table_is_sum(t))
		return mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
			"--test props needs counts of appeals, not a sum of '%s'", t->measure);
	size_t nc = t->ncols - 1;
	int letter[PROPS_MAXCOLS + 1];
	int nletters = 0;
	for (size_t c = 0; c < nc; c++) {
		if (strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0)
			continue;
		if (nletters == PROPS_MAXCOLS)
			return mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
				"--test props letters at most %d columns; '%s' has more",
				PROPS_MAXCOLS, t->col_dim);
		nletters++;
	}
	nletters = 0;
	for (size_t c = 0; c < nc; c++)
		letter[c] = strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0 ? -1 : nletters++;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc; c++)
			if (t->rows[r].suppressed[c])
				return mj_error_set(err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					"--test is not computed on a table with suppressed cells (--min-cell)");
	enum mj_lang lang = stats_lang(t);
	struct mj_stat_col *col = stats_add_col(s, t, "props", W_TITLE[lang], 0, 1, err);
	if (!col)
		return err ? err->status : MJ_E_NOMEM;
	/* Each cell's letters, at most one per column, and its end. */
	size_t cells = t->nrows * t->ncols;
	char *text = calloc(cells * (PROPS_MAXCOLS + 1) + 1, 1);
	if (!text)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	free(s->mark_text);
	s->mark_text = text;
	double base[PROPS_MAXCOLS + 1], share[PROPS_MAXCOLS + 1];
	int valid[PROPS_MAXCOLS + 1];
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		if (!row_tested(t, row))
			continue;
		/* A column's base is the appeals of the stated rows beside
		 * this one: its whole column at the outer level, its parent's
		 * stated children within a nested row. */
		size_t k = 0;
		for (size_t c = 0; c < nc; c++) {
			base[c] = 0;
			for (size_t q = 0; q < t->nrows; q++)
				if (row_tested(t, &t->rows[q]) && same_parent(row, &t->rows[q]))
					base[c] += t->rows[q].values[c];
			share[c] = base[c] > 0 ? row->values[c] / base[c] : NAN;
			valid[c] = letter[c] >= 0 && base[c] > 0 && share[c] > 0 && share[c] < 1;
			k += (size_t)valid[c];
		}
		double pairs = (double)k * (double)(k - (k > 0)) / 2;
		for (size_t c = 0; c < nc; c++) {
			size_t i = r * t->ncols + c;
			char *cell = text + i * (PROPS_MAXCOLS + 1);
			if (letter[c] < 0)
				continue;
			if (!valid[c]) {
				cell[0] = '.';
				col->marks[i] = cell;
				continue;
			}
			size_t n = 0;
			for (size_t d = 0; d < nc; d++) {
				if (d == c || !valid[d] || !(share[c] > share[d]))
					continue;
				double pooled = (row->values[c] + row->values[d]) / (base[c] + base[d]);
				double se = sqrt(pooled * (1 - pooled) * (1 / base[c] + 1 / base[d]));
				double z = (share[c] - share[d]) / se;
				double p = erfc(fabs(z) / sqrt(2.0));
				if (p * pairs < alpha)
					cell[n++] = (char)('A' + letter[d]);
			}
			/* An empty mark: compared, larger than none (a cell
			 * with no mark was not compared at all). */
			col->marks[i] = cell;
		}
	}
	if (props_note(s, t, letter, alpha) != MJ_OK)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	return MJ_OK;
}
