/* Statistics beside tables: distributions (normal, beta, gamma), intervals
 * of proportions, the chi-square test of a cross-tab, comparisons between
 * periods and rates per population. */
#include "murojaat/stats.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvdoc.h"
#include "murojaat/period.h"
#include "murojaat/record.h"
#include "schema_internal.h"
#include "text.h"

/* Distributions ------------------------------------------------------------ */

double mj_normal_quantile(double p)
{
	if (!(p > 0 && p < 1))
		return NAN;
	/* Phi(z) = erfc(-z / sqrt 2) / 2 is monotone; bisection to the last
	 * bit is slow only by comparison with a rational approximation, and
	 * it is called once per table. */
	double lo = -40, hi = 40;
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (mid == lo || mid == hi)
			break;
		if (0.5 * erfc(-mid / sqrt(2.0)) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

#define TINY 1e-300

/* The continued fraction of the incomplete beta function (Abramowitz and
 * Stegun 26.5.8), evaluated with the modified Lentz method; converges fast
 * for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < TINY)
		d = TINY;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 100000; m++) {
		double m2 = 2.0 * m;
		/* Even step. */
		double num = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
		d = 1 + num * d;
		if (fabs(d) < TINY)
			d = TINY;
		c = 1 + num / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		h *= d * c;
		/* Odd step. */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
		d = 1 + num * d;
		if (fabs(d) < TINY)
			d = TINY;
		c = 1 + num / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) < 1e-16)
			break;
	}
	return h;
}

double mj_beta_inc(double a, double b, double x)
{
	if (!(a > 0 && b > 0 && x >= 0 && x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double mj_beta_inc_inv(double a, double b, double p)
{
	if (!(a > 0 && b > 0 && p >= 0 && p <= 1))
		return NAN;
	if (p == 0 || p == 1)
		return p;
	double lo = 0, hi = 1;
	for (int i = 0; i < 1100; i++) {
		double mid = (lo + hi) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (mj_beta_inc(a, b, mid) < p)
			lo = mid;
		else
			hi = mid;
		if (hi - lo <= DBL_EPSILON * hi)
			break;
	}
	return (lo + hi) / 2;
}

double mj_gamma_q(double a, double x)
{
	if (!(a > 0 && x >= 0))
		return NAN;
	if (x == 0)
		return 1;
	double front = exp(-x + a * log(x) - lgamma(a));
	if (x < a + 1) {
		/* P(a, x) by its series, Q = 1 - P. */
		double term = 1 / a, sum = term;
		for (int n = 1; n < 100000; n++) {
			term *= x / (a + n);
			sum += term;
			if (fabs(term) < fabs(sum) * 1e-17)
				break;
		}
		double q = 1 - sum * front;
		return q < 0 ? 0 : q;
	}
	/* Q(a, x) by its continued fraction (modified Lentz). */
	double b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
	for (int i = 1; i < 100000; i++) {
		double an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < TINY)
			d = TINY;
		c = b + an / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) < 1e-16)
			break;
	}
	return front * h;
}

double mj_chi2_sf(double x, double df)
{
	if (!(df > 0))
		return NAN;
	if (!(x > 0))
		return 1;
	return mj_gamma_q(df / 2, x / 2);
}

/* Confidence intervals ----------------------------------------------------- */

int mj_ci_proportion(double x, double n, double level, enum mj_ci_method method,
		     double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (!(n > 0) || !(x >= 0) || x > n || !(level >= 0.5 && level < 1))
		return -1;
	double alpha = 1 - level;
	if (method == MJ_CI_EXACT) {
		*lo = x == 0 ? 0 : mj_beta_inc_inv(x, n - x + 1, alpha / 2);
		*hi = x == n ? 1 : mj_beta_inc_inv(x + 1, n - x, 1 - alpha / 2);
		return 0;
	}
	double z = mj_normal_quantile(1 - alpha / 2);
	double p = x / n, z2 = z * z;
	double denom = 1 + z2 / n;
	double centre = (p + z2 / (2 * n)) / denom;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	*lo = x == 0 ? 0 : fmax(0, centre - half);
	*hi = x == n ? 1 : fmin(1, centre + half);
	return 0;
}

/* Words in the four languages ---------------------------------------------- */

static enum mj_lang table_lang(const struct mj_table *t)
{
	int l = mj_lang_parse(t->lang);
	return l < 0 ? MJ_LANG_EN : (enum mj_lang)l;
}

/* Headings, marks and notes in the table's language. */
static const char *const W_CI_LOW[] = {"%s%% CI low", "%s%% ДИ от", "%s%% IO quyi", "%s%% ИО қуйи"};
static const char *const W_CI_HIGH[] = {"%s%% CI high", "%s%% ДИ до", "%s%% IO yuqori", "%s%% ИО юқори"};
static const char *const W_COMPARED[] = {"Compared", "Для сравнения", "Taqqoslash", "Таққослаш"};
static const char *const W_CHANGE[] = {"Change", "Изменение", "O'zgarish", "Ўзгариш"};
static const char *const W_CHANGE_PCT[] = {"Change %", "Изменение %", "O'zgarish %", "Ўзгариш %"};
static const char *const W_NEW[] = {"new", "новое", "yangi", "янги"};
static const char *const W_POPULATION[] = {"Population", "Население", "Aholi", "Аҳоли"};
static const char *const W_RATE[] = {"Rate per %s", "На %s жителей", "%s aholiga", "%s аҳолига"};
static const char *const W_NO_POP[] = {"no population", "нет данных о населении",
				       "aholi soni yo'q", "аҳоли сони йўқ"};
static const char *const W_PART_POP[] = {"partial population", "неполные данные о населении",
					 "aholi soni to'liq emas", "аҳоли сони тўлиқ эмас"};
static const char *const W_MENTIONS[] = {"% of mentions", "% упоминаний", "Eslatmalar %", "Эслатмалар %"};

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
	if (strcmp(t->measure, "count") != 0)
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
		"Diqqat: katakchalarning 20% dan ortig'ida kutilgan soni 5 dan kam; xi-kvadrat taxmini noaniq bo'lishi mumkin.",
		"Диққат: катакчаларнинг 20% дан ортиғида кутилган сони 5 дан кам; хи-квадрат тахмини ноаниқ бўлиши мумкин."};
	static const char *const excl[] = {"Left out of the test:", "Не вошли в тест:",
		"Testga kirmadi:", "Тестга кирмади:"};
	static const char *const parts[][4] = {
		{"%zu \"not stated\" row(s)", "строк «не указано»: %zu", "\"ko'rsatilmagan\" qatorlar: %zu", "«кўрсатилмаган» қаторлар: %zu"},
		{"%zu \"not stated\" column(s)", "столбцов «не указано»: %zu", "\"ko'rsatilmagan\" ustunlar: %zu", "«кўрсатилмаган» устунлар: %zu"},
		{"%zu row(s) with no appeals", "пустых строк: %zu", "bo'sh qatorlar: %zu", "бўш қаторлар: %zu"},
		{"%zu column(s) with no appeals", "пустых столбцов: %zu", "bo'sh ustunlar: %zu", "бўш устунлар: %zu"}};
	static const char *const appeals[] = {"%s appeals with a value not stated",
		"обращений с неуказанным значением: %s", "qiymati ko'rsatilmagan murojaatlar: %s",
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

/* Extra columns ------------------------------------------------------------- */

void mj_stats_init(struct mj_stats *s)
{
	memset(s, 0, sizeof *s);
}

void mj_stats_free(struct mj_stats *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncols; i++) {
		free(s->cols[i].values);
		free(s->cols[i].marks);
	}
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	mj_stats_init(s);
}

enum mj_status mj_stats_note(struct mj_stats *s, const char *text)
{
	if (s->nnotes == MJ_STATS_MAXNOTES)
		return MJ_E_LIMIT;
	char *copy = strdup(text);
	if (!copy)
		return MJ_E_NOMEM;
	s->notes[s->nnotes++] = copy;
	return MJ_OK;
}

/* A new column of NAN values (marks allocated when want_marks). */
static struct mj_stat_col *add_col(struct mj_stats *s, const struct mj_table *t,
				   const char *name, const char *title, int decimals,
				   int want_marks, struct mj_error *err)
{
	if (s->ncols == MJ_STATS_MAXCOLS) {
		mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0, "more than %d statistics columns",
			     MJ_STATS_MAXCOLS);
		return NULL;
	}
	struct mj_stat_col *c = &s->cols[s->ncols];
	memset(c, 0, sizeof *c);
	size_t n = t->nrows * t->ncols;
	c->values = malloc((n ? n : 1) * sizeof *c->values);
	c->marks = want_marks ? calloc(n ? n : 1, sizeof *c->marks) : NULL;
	if (!c->values || (want_marks && !c->marks)) {
		free(c->values);
		free(c->marks);
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		c->values[i] = NAN;
	snprintf(c->name, sizeof c->name, "%s", name);
	snprintf(c->title, sizeof c->title, "%s", title);
	c->decimals = decimals;
	s->ncols++;
	return c;
}

/* Sum of "not stated" rows at the top level in column col. */
static double missing_total(const struct mj_table *t, size_t col)
{
	double sum = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		if (row->level == 0 && row->kind != MJ_ROW_TOTAL &&
		    strcmp(row->codes[0], MJ_CODE_MISSING) == 0)
			sum += row->values[col];
	}
	return sum;
}

double mj_table_percent_base(const struct mj_table *t,
			     const struct mj_table_row *row, size_t col,
			     enum mj_percent base)
{
	if (mj_table_percent(t, row, col, base) < 0)
		return NAN;
	const struct mj_table_row *total = mj_table_total(t);
	switch (base) {
	case MJ_PCT_TOTAL:
		return total->values[t->ncols - 1];
	case MJ_PCT_ROW:
		return row->values[t->ncols - 1];
	case MJ_PCT_COL:
		return total->values[col];
	case MJ_PCT_VALID:
		if (row->level > 0) {
			/* The parent subtotal, as mj_table_percent() takes it. */
			for (const struct mj_table_row *p = row; p-- > t->rows;)
				if (p->level < row->level && p->kind != MJ_ROW_CATEGORY)
					return p->values[col];
			return NAN;
		}
		return total->values[col] - missing_total(t, col);
	case MJ_PCT_NONE:
		break;
	}
	return NAN;
}

enum mj_status mj_stats_ci(struct mj_stats *s, const struct mj_table *t,
			   double level, enum mj_ci_method method, int valid,
			   struct mj_error *err)
{
	if (strcmp(t->measure, "count") != 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--ci needs counts of appeals: a sum of '%s' is not a number of cases", t->measure);
	enum mj_percent base = t->col_dim ? MJ_PCT_ROW : valid ? MJ_PCT_VALID : MJ_PCT_TOTAL;
	enum mj_lang lang = table_lang(t);
	char title[64], lv[16];
	double shown = level * 100;
	int dec = fabs(shown - round(shown)) < 1e-9 ? 0 : 1;
	mj_format_number(shown, dec, lang, lv, sizeof lv);
	snprintf(title, sizeof title, W_CI_LOW[lang], lv);
	struct mj_stat_col *lo = add_col(s, t, "ci_low", title, -1, 0, err);
	if (!lo)
		return err ? err->status : MJ_E_NOMEM;
	snprintf(title, sizeof title, W_CI_HIGH[lang], lv);
	struct mj_stat_col *hi = add_col(s, t, "ci_high", title, -1, 0, err);
	if (!hi)
		return err ? err->status : MJ_E_NOMEM;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < t->ncols; c++) {
			/* A percent that is 100 by construction has no interval. */
			if (base == MJ_PCT_ROW ? c + 1 == t->ncols : row->kind == MJ_ROW_TOTAL)
				continue;
			double n = mj_table_percent_base(t, row, c, base);
			double a, b;
			if (isnan(n) || mj_ci_proportion(row->values[c], n, level, method, &a, &b) != 0)
				continue;
			lo->values[r * t->ncols + c] = 100 * a;
			hi->values[r * t->ncols + c] = 100 * b;
		}
	}
	static const char *const fmt[] = {
		"%s%% confidence interval of each %s: %s.",
		"%s%% доверительный интервал для каждого значения (%s): %s.",
		"Har bir ulush uchun %s%% ishonch oralig'i (IO; %s): %s.",
		"Ҳар бир улуш учун %s%% ишонч оралиғи (ИО; %s): %s."};
	static const char *const what[][3] = {
		{"percent of total", "row percent", "valid percent"},
		{"% от итога", "% по строке", "валидный %"},
		{"jamidan %", "qator %", "haqiqiy %"},
		{"жамидан %", "қатор %", "ҳақиқий %"}};
	static const char *const how[][2] = {
		{"Wilson score", "exact (Clopper-Pearson)"},
		{"метод Уилсона", "точный (Клоппер — Пирсон)"},
		{"Wilson usuli", "aniq (Clopper — Pearson)"},
		{"Уилсон усули", "аниқ (Клоппер — Пирсон)"}};
	char note[512];
	snprintf(note, sizeof note, fmt[lang], lv, what[lang][t->col_dim ? 1 : valid ? 2 : 0],
		 how[lang][method == MJ_CI_EXACT]);
	return mj_stats_note(s, note);
}

/* Comparison with another period -------------------------------------------- */

static int same_codes(const struct mj_table *t, const struct mj_table_row *a,
		      const struct mj_table_row *b)
{
	if (a->kind != b->kind)
		return 0;
	for (size_t i = 0; i < t->ndims; i++)
		if (strcmp(a->codes[i], b->codes[i]) != 0)
			return 0;
	return 1;
}

enum mj_status mj_stats_compare(struct mj_stats *s, const struct mj_table *t,
				const struct mj_table *cmp, struct mj_error *err)
{
	/* Rows and columns are matched by code: open dimensions (district)
	 * may have other values in another period. */
	if (cmp->ndims != t->ndims || (t->col_dim == NULL) != (cmp->col_dim == NULL) ||
	    (!t->col_dim && cmp->ncols != t->ncols))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "the compared table has another shape");
	enum mj_lang lang = table_lang(t);
	struct mj_stat_col *prev = add_col(s, t, "count_compared", W_COMPARED[lang], 0, 0, err);
	struct mj_stat_col *chg = prev ? add_col(s, t, "change", W_CHANGE[lang], 0, 0, err) : NULL;
	struct mj_stat_col *pct = chg ? add_col(s, t, "percent_change", W_CHANGE_PCT[lang], -1, 1, err) : NULL;
	if (!pct)
		return err ? err->status : MJ_E_NOMEM;
	/* Column codes of a cross-tab are looked up by code: the compared
	 * period has the same schema categories in the same order. */
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		const struct mj_table_row *other = NULL;
		for (size_t q = 0; q < cmp->nrows && !other; q++)
			if (same_codes(t, row, &cmp->rows[q]))
				other = &cmp->rows[q];
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c, oc = c;
			if (t->col_dim) {
				for (oc = 0; oc < cmp->ncols; oc++)
					if (strcmp(cmp->col_codes[oc], t->col_codes[c]) == 0)
						break;
			}
			/* A category absent from the compared table counted none. */
			double before = other && oc < cmp->ncols ? other->values[oc] : 0;
			int hidden = row->suppressed[c] || (other && oc < cmp->ncols && other->suppressed[oc]);
			if (hidden)
				continue; /* NAN: shown as "—", empty in CSV */
			prev->values[i] = before;
			chg->values[i] = row->values[c] - before;
			if (before > 0)
				pct->values[i] = 100 * (row->values[c] - before) / before;
			else
				pct->marks[i] = row->values[c] > 0 ? W_NEW[lang] : "—";
		}
	}
	static const char *const fmt[] = {
		"Compared with %s – %s (n = %s); change = count − compared; \"%s\" where the compared count is 0.",
		"Сравнение с периодом %s – %s (n = %s); изменение = число − для сравнения; «%s», где для сравнения 0.",
		"%s – %s davri bilan taqqoslandi (n = %s); o'zgarish = soni − taqqoslash; taqqoslash 0 bo'lsa \"%s\".",
		"%s – %s даври билан таққосланди (n = %s); ўзгариш = сони − таққослаш; таққослаш 0 бўлса «%s»."};
	char note[512], n[32];
	mj_format_number((double)cmp->n_counted, 0, lang, n, sizeof n);
	snprintf(note, sizeof note, fmt[lang],
		 cmp->period_from ? cmp->period_from : "?", cmp->period_to ? cmp->period_to : "?", n,
		 W_NEW[lang]);
	return mj_stats_note(s, note);
}

/* Periods ------------------------------------------------------------------- */

/* The calendar lives in murojaat/period.h; comparisons count in days
 * since 1970-01-01 (epoch days). */
static long days_from_civil(int y, int m, int d)
{
	return mj_days_from_civil(y, m, d);
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	mj_civil_from_days(z, y, m, d);
}

static int month_days(int y, int m)
{
	return mj_days_in_month(y, m);
}

static long epoch_day(long ymd)
{
	return mj_days_from_civil((int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100));
}

/* A period as --period takes it, as its first and last epoch day. */
static int period_range(const char *text, long *lo, long *hi)
{
	long first, last;
	if (mj_period_parse(text, &first, &last, NULL) != MJ_OK)
		return -1;
	*lo = epoch_day(first);
	*hi = epoch_day(last);
	return 0;
}

/* Writes [lo, hi] (epoch days) in the shortest form --period reads. */
static void period_format(long lo, long hi, char *buf, size_t len)
{
	int y0, m0, d0, y1, m1, d1;
	civil_from_days(lo, &y0, &m0, &d0);
	civil_from_days(hi, &y1, &m1, &d1);
	mj_period_format(y0 * 10000L + m0 * 100 + d0, y1 * 10000L + m1 * 100 + d1, buf, len);
}

/* The same day a year earlier (29 February becomes the 28th). */
static long year_back(long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return days_from_civil(y - 1, m, d);
}

static enum mj_status period_compare(const char *period, const char *how,
				     char *buf, size_t len, struct mj_error *err);

enum mj_status mj_period_compare(const char *period, const char *how,
				 char *buf, size_t len, struct mj_error *err)
{
	enum mj_status st = period_compare(period, how, buf, len, err);
	long lo, hi, clo, chi;
	/* A period compared with itself, or with one that shares days with
	 * it, says nothing about change. */
	if (st == MJ_OK && period_range(period, &lo, &hi) == 0 &&
	    period_range(buf, &clo, &chi) == 0 && clo <= hi && lo <= chi)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare %s: the period %s shares days with --period %s; compare with another period (previous, year, or e.g. 2023-07)",
			how, buf, period);
	return st;
}

static enum mj_status period_compare(const char *period, const char *how,
				     char *buf, size_t len, struct mj_error *err)
{
	long lo, hi;
	if (!period)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare needs the period it compares: give --period (e.g. --period 2023-08 --compare previous)");
	if (period_range(period, &lo, &hi) != 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "cannot read period \"%s\"", period);
	if (strcmp(how, "year") == 0) {
		int y, m, d;
		civil_from_days(hi, &y, &m, &d);
		long nhi = d == month_days(y, m) ? days_from_civil(y - 1, m, month_days(y - 1, m))
			: year_back(hi);
		period_format(year_back(lo), nhi, buf, len);
		return MJ_OK;
	}
	if (strcmp(how, "previous") == 0) {
		int y0, m0, d0, y1, m1, d1;
		civil_from_days(lo, &y0, &m0, &d0);
		civil_from_days(hi, &y1, &m1, &d1);
		if (d0 == 1 && d1 == month_days(y1, m1)) {
			/* Whole months: the same number of months before. */
			int months = (y1 * 12 + m1) - (y0 * 12 + m0) + 1;
			int start = y0 * 12 + (m0 - 1) - months;
			int ys = start / 12, ms = start % 12 + 1;
			int end = y0 * 12 + (m0 - 1) - 1;
			int ye = end / 12, me = end % 12 + 1;
			period_format(days_from_civil(ys, ms, 1),
				      days_from_civil(ye, me, month_days(ye, me)), buf, len);
		} else {
			long n = hi - lo + 1;
			period_format(lo - n, lo - 1, buf, len);
		}
		return MJ_OK;
	}
	long l2, h2;
	if (period_range(how, &l2, &h2) != 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare: expected previous, year or a period (e.g. 2023-07), got \"%s\"", how);
	snprintf(buf, len, "%s", how);
	return MJ_OK;
}

/* Population tables ---------------------------------------------------------- */

#define POP_MAXD 4

struct mj_population {
	const struct mj_schema *schema;
	size_t ndims;
	int dims[POP_MAXD];      /* schema dimensions */
	char *path;
	size_t nrows;
	int *cats;               /* nrows * ndims category indices */
	double *pop;             /* nrows */
};

void mj_population_destroy(struct mj_population *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->cats);
	free(p->pop);
	free(p);
}

struct mj_population *mj_population_parse(const char *path, const char *text,
					  size_t len,
					  const struct mj_schema *schema,
					  struct mj_error *err)
{
	struct mj_csvdoc doc = {0};
	struct mj_population *p = calloc(1, sizeof *p);
	if (!p) {
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	p->schema = schema;
	p->path = strdup(path);
	if (!p->path) {
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	if (mj_csvdoc_parse(&doc, path, text, len, 0, 1, err) != MJ_OK)
		goto fail;
	if (doc.nrows < 2) {
		mj_error_set(err, MJ_E_EMPTY, path, doc.nrows ? doc.rows[0].line : 1, 1,
			     "no population figures (expected a header and rows: region,population)");
		goto fail;
	}
	const struct mj_csvrow *head = &doc.rows[0];
	/* Which population dimension each header field is. A header has at
	 * most POP_MAXD dimensions and one population column: a longer one
	 * fails below before its fields are recorded here. */
	int pop_col = -1, col_dim[POP_MAXD + 1];
	for (size_t f = 0; f < head->nfields; f++) {
		const struct mj_csvfield *fd = &head->fields[f];
		char *key = mj_text_key(fd->text, fd->len);
		int is_pop = key && (strcmp(key, "population") == 0 || strcmp(key, "население") == 0 ||
				     strcmp(key, "aholi") == 0 || strcmp(key, "аҳоли") == 0);
		free(key);
		if (is_pop) {
			if (pop_col >= 0) {
				mj_error_set(err, MJ_E_PARSE, path, fd->line, fd->column,
					     "a second population column");
				goto fail;
			}
			pop_col = (int)f;
			continue;
		}
		int d = mj_schema_dim_find(schema, fd->text);
		if (d < 0 || schema->dims[d].kind == MJ_DIM_ID || schema->dims[d].kind == MJ_DIM_DATE ||
		    schema->dims[d].kind == MJ_DIM_INTEGER || schema->dims[d].ncats == 0) {
			mj_error_set(err, MJ_E_PARSE, path, fd->line, fd->column,
				"column '%s' is not a dimension with categories (expected e.g. region, sex, age_group and population)",
				fd->text);
			goto fail;
		}
		for (size_t i = 0; i < p->ndims; i++)
			if (p->dims[i] == d) {
				mj_error_set(err, MJ_E_PARSE, path, fd->line, fd->column,
					     "duplicate column for '%s'", schema->dims[d].name);
				goto fail;
			}
		if (p->ndims == POP_MAXD) {
			mj_error_set(err, MJ_E_LIMIT, path, fd->line, fd->column,
				     "more than %d dimensions", POP_MAXD);
			goto fail;
		}
		if (f > POP_MAXD) {
			mj_error_set(err, MJ_E_LIMIT, path, fd->line, fd->column,
				     "more than %d dimensions", POP_MAXD);
			goto fail;
		}
		col_dim[f] = (int)p->ndims;
		p->dims[p->ndims++] = d;
	}
	if (pop_col < 0 || p->ndims == 0 || head->nfields != p->ndims + 1) {
		mj_error_set(err, MJ_E_PARSE, path, head->line, 1,
			     pop_col < 0 ? "no 'population' column in the header"
					 : "no dimension column in the header (e.g. region)");
		goto fail;
	}
	p->cats = malloc((doc.nrows - 1) * p->ndims * sizeof *p->cats);
	p->pop = malloc((doc.nrows - 1) * sizeof *p->pop);
	if (!p->cats || !p->pop) {
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	for (size_t r = 1; r < doc.nrows; r++) {
		const struct mj_csvrow *row = &doc.rows[r];
		if (row->nfields != head->nfields) {
			mj_error_set(err, MJ_E_PARSE, path, row->line, 1,
				     "%zu fields where the header has %zu", row->nfields, head->nfields);
			goto fail;
		}
		int *cats = &p->cats[p->nrows * p->ndims];
		for (size_t f = 0; f < row->nfields; f++) {
			const struct mj_csvfield *fd = &row->fields[f];
			if ((int)f == pop_col) {
				char *end;
				errno = 0;
				double v = strtod(fd->text, &end);
				while (*end == ' ')
					end++;
				if (end == fd->text || *end || errno || !(v >= 0) || !isfinite(v)) {
					mj_error_set(err, MJ_E_VALUE, path, fd->line, fd->column,
						     "population \"%.40s\" is not a number of people", fd->text);
					goto fail;
				}
				p->pop[p->nrows] = v;
				continue;
			}
			int i = col_dim[f];
			int d = p->dims[i];
			int c = mj_schema_cat_find(schema, (size_t)d, fd->text);
			if (c < 0) {
				char *key = mj_text_key(fd->text, fd->len);
				int sug = key ? mj_schema_suggest(schema, (size_t)d, key) : -1;
				free(key);
				if (sug >= 0)
					mj_error_set(err, MJ_E_VALUE, path, fd->line, fd->column,
						"'%s' has no value \"%.40s\" (did you mean \"%s\"?)",
						schema->dims[d].name, fd->text, schema->dims[d].cats[sug].code);
				else
					mj_error_set(err, MJ_E_VALUE, path, fd->line, fd->column,
						"'%s' has no value \"%.40s\"", schema->dims[d].name, fd->text);
				goto fail;
			}
			cats[i] = c;
		}
		for (size_t q = 0; q < p->nrows; q++)
			if (memcmp(&p->cats[q * p->ndims], cats, p->ndims * sizeof *cats) == 0) {
				mj_error_set(err, MJ_E_VALUE, path, row->line, 1,
					     "the same categories as an earlier row (line %lu)",
					     doc.rows[q + 1].line);
				goto fail;
			}
		p->nrows++;
	}
	mj_csvdoc_free(&doc);
	return p;
fail:
	mj_csvdoc_free(&doc);
	mj_population_destroy(p);
	return NULL;
}

struct mj_population *mj_population_read(const char *path,
					 const struct mj_schema *schema,
					 struct mj_error *err)
{
	char *data;
	size_t len;
	if (mj_read_file(path, 64u << 20, &data, &len, err) != MJ_OK)
		return NULL;
	struct mj_population *p = mj_population_parse(path, data, len, schema, err);
	free(data);
	return p;
}

/* Which categories of each population dimension a cell admits: from the
 * cell's codes and from the table's filters. */
struct pop_query {
	unsigned char *allow[POP_MAXD]; /* NULL: any */
	int none;                       /* the cell has no population */
};

static int query_restrict(struct pop_query *q, const struct mj_population *p, size_t i,
			  const unsigned char *set)
{
	size_t n = p->schema->dims[p->dims[i]].ncats;
	if (!q->allow[i]) {
		q->allow[i] = malloc(n ? n : 1);
		if (!q->allow[i])
			return -1;
		memset(q->allow[i], 1, n);
	}
	for (size_t c = 0; c < n; c++)
		q->allow[i][c] &= set[c];
	return 0;
}

/* Restricts q for dimension name = code (a table code). */
static int query_code(struct pop_query *q, const struct mj_population *p,
		      const char *name, const char *code)
{
	if (strcmp(code, MJ_CODE_TOTAL) == 0)
		return 0;
	int d = mj_schema_dim_find(p->schema, name);
	size_t i = 0;
	while (i < p->ndims && p->dims[i] != d)
		i++;
	if (i == p->ndims || strcmp(code, MJ_CODE_MISSING) == 0) {
		q->none = 1;
		return 0;
	}
	int c = mj_schema_cat_find(p->schema, (size_t)d, code);
	if (c < 0) {
		q->none = 1; /* "Other" of --top and values outside the schema */
		return 0;
	}
	size_t n = p->schema->dims[d].ncats;
	unsigned char *set = calloc(n ? n : 1, 1);
	if (!set)
		return -1;
	set[c] = 1;
	int rc = query_restrict(q, p, i, set);
	free(set);
	return rc;
}

/* Restricts q by filters "dim=a,b; dim2=c" on the file's dimensions. */
static int query_filters(struct pop_query *q, const struct mj_population *p,
			 const char *filters)
{
	if (!filters)
		return 0;
	char *copy = strdup(filters);
	if (!copy)
		return -1;
	int rc = 0;
	for (char *save = NULL, *f = strtok_r(copy, ";", &save); f && rc == 0;
	     f = strtok_r(NULL, ";", &save)) {
		while (*f == ' ')
			f++;
		char *eq = strchr(f, '=');
		if (!eq)
			continue;
		*eq = '\0';
		int d = mj_schema_dim_find(p->schema, f);
		size_t i = 0;
		while (i < p->ndims && p->dims[i] != d)
			i++;
		if (i == p->ndims)
			continue;
		size_t n = p->schema->dims[d].ncats;
		unsigned char *set = calloc(n ? n : 1, 1);
		if (!set) {
			rc = -1;
			break;
		}
		for (char *s2 = NULL, *v = strtok_r(eq + 1, ",", &s2); v; v = strtok_r(NULL, ",", &s2)) {
			int c = mj_schema_cat_find(p->schema, (size_t)d, v);
			if (c >= 0)
				set[c] = 1;
		}
		rc = query_restrict(q, p, i, set);
		free(set);
	}
	free(copy);
	return rc;
}

static double query_sum(const struct pop_query *q, const struct mj_population *p)
{
	double sum = 0;
	for (size_t r = 0; r < p->nrows; r++) {
		int ok = 1;
		for (size_t i = 0; i < p->ndims && ok; i++)
			ok = !q->allow[i] || q->allow[i][p->cats[r * p->ndims + i]];
		if (ok)
			sum += p->pop[r];
	}
	return sum;
}

/* Whether the cell (row r, column c) is a category of every dimension,
 * not "not stated" and not a total. */
static int stated_leaf(const struct mj_table *t, size_t r, size_t c)
{
	const struct mj_table_row *row = &t->rows[r];
	if (row->kind != MJ_ROW_CATEGORY ||
	    (t->col_dim && (c + 1 == t->ncols || strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0)))
		return 0;
	for (size_t k = 0; k < t->ndims; k++)
		if (strcmp(row->codes[k], MJ_CODE_MISSING) == 0)
			return 0;
	return 1;
}

/* A total (or subtotal) adds up categories. When the population file has
 * the dimension but lacks some of the categories that count appeals, the
 * total's appeals include some with no population in its divisor: its
 * rate would be too high, so it is withdrawn and marked. (When the file
 * has none of the categories, the total's rate is the overall one, and
 * stays.) Returns how many rates were withdrawn. */
static size_t rates_partial(const struct mj_table *t, struct mj_stat_col *pc,
			    struct mj_stat_col *rc, const char *mark)
{
	size_t withdrawn = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		/* The rows this one adds up: all for the total, the nested
		 * rows below a subtotal, itself otherwise. */
		size_t r0 = r, r1 = r + 1;
		if (row->kind == MJ_ROW_TOTAL) {
			r0 = 0;
			r1 = t->nrows;
		} else if (row->kind == MJ_ROW_SUBTOTAL) {
			while (r1 < t->nrows && t->rows[r1].kind != MJ_ROW_TOTAL &&
			       t->rows[r1].level > row->level)
				r1++;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			int total_col = t->col_dim && c + 1 == t->ncols;
			if ((row->kind == MJ_ROW_CATEGORY && !total_col) || isnan(pc->values[i]))
				continue;
			size_t c0 = total_col ? 0 : c, c1 = total_col ? t->ncols - 1 : c + 1;
			int with = 0, without = 0;
			for (size_t q = r0; q < r1; q++)
				for (size_t k = c0; k < c1; k++) {
					if (!stated_leaf(t, q, k))
						continue;
					size_t j = q * t->ncols + k;
					if (!isnan(pc->values[j]))
						with = 1;
					else if (t->rows[q].values[k] > 0 || t->rows[q].suppressed[k])
						without = 1;
				}
			if (with && without) {
				rc->values[i] = NAN;
				rc->marks[i] = mark;
				withdrawn++;
			}
		}
	}
	return withdrawn;
}

enum mj_status mj_stats_rates(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_population *p, double per,
			      struct mj_error *err)
{
	char title[64], perbuf[32];
	mj_format_number(per, per == floor(per) ? 0 : 2, table_lang(t), perbuf, sizeof perbuf);
	enum mj_lang lang = table_lang(t);
	struct mj_stat_col *pc = add_col(s, t, "population", W_POPULATION[lang], 0, 1, err);
	snprintf(title, sizeof title, W_RATE[lang], perbuf);
	struct mj_stat_col *rc = pc ? add_col(s, t, "rate", title, 2, 1, err) : NULL;
	if (!rc)
		return err ? err->status : MJ_E_NOMEM;
	size_t marked = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			struct pop_query q = {0};
			int fail = query_filters(&q, p, t->filters);
			for (size_t k = 0; k < t->ndims && !fail; k++)
				fail = query_code(&q, p, t->dims[k], row->codes[k]);
			if (!fail && t->col_dim)
				fail = query_code(&q, p, t->col_dim, t->col_codes[c]);
			double pop = fail || q.none ? 0 : query_sum(&q, p);
			for (size_t k = 0; k < POP_MAXD; k++)
				free(q.allow[k]);
			if (fail)
				return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			if (!(pop > 0)) {
				pc->marks[i] = "—";
				rc->marks[i] = W_NO_POP[lang];
				marked++;
				continue;
			}
			pc->values[i] = pop;
			if (!row->suppressed[c])
				rc->values[i] = row->values[c] / pop * per;
		}
	}
	size_t partial = rates_partial(t, pc, rc, W_PART_POP[lang]);
	static const char *const fmt[] = {
		"Rate = count / population × %s; population from %s",
		"Показатель = число / население × %s; население из %s",
		"Ko'rsatkich = soni / aholi × %s; aholi %s faylidan",
		"Кўрсаткич = сони / аҳоли × %s; аҳоли %s файлидан"};
	static const char *const none[] = {
		"; \"%s\": the file has no figure for that category",
		"; «%s»: в файле нет данных для этой категории",
		"; \"%s\": faylda bu toifa uchun raqam yo'q",
		"; «%s»: файлда бу тоифа учун рақам йўқ"};
	char note[1024];
	int n = snprintf(note, sizeof note, fmt[lang], perbuf, p->path);
	static const char *const part[] = {
		"; \"%s\": a total over categories some of which the file lacks",
		"; «%s»: итог по категориям, для части которых в файле нет данных",
		"; \"%s\": ba'zi toifalari faylda yo'q bo'lgan jami",
		"; «%s»: баъзи тоифалари файлда йўқ бўлган жами"};
	if (marked && n > 0 && (size_t)n < sizeof note)
		n += snprintf(note + n, sizeof note - (size_t)n, none[lang], W_NO_POP[lang]);
	if (partial && n > 0 && (size_t)n < sizeof note)
		snprintf(note + n, sizeof note - (size_t)n, part[lang], W_PART_POP[lang]);
	strncat(note, ".", sizeof note - strlen(note) - 1);
	return mj_stats_note(s, note);
}

/* Multi-response dimensions --------------------------------------------------- */

int mj_stats_multi_dim(const struct mj_table *t, const struct mj_schema *schema)
{
	for (size_t i = 0; i <= t->ndims; i++) {
		const char *name = i < t->ndims ? t->dims[i] : t->col_dim;
		int d = name ? mj_schema_dim_find(schema, name) : -1;
		if (d >= 0 && schema->dims[d].multi)
			return (int)i;
	}
	return -1;
}

/* Mentions in cell (row r, column c) summed over the categories of the
 * multi-response dimension which ("not stated" left out), and the appeals
 * behind them (the total over which). NAN when the layout has no such
 * sum (nested rows). */
static double mentions_at(const struct mj_table *t, int which, size_t r, size_t c,
			  double *appeals)
{
	*appeals = NAN;
	if ((size_t)which == t->ndims && t->col_dim) {
		double sum = 0;
		for (size_t k = 0; k + 1 < t->ncols; k++)
			if (strcmp(t->col_codes[k], MJ_CODE_MISSING) != 0)
				sum += t->rows[r].values[k];
		*appeals = t->rows[r].values[t->ncols - 1];
		return sum;
	}
	if (which != 0 || t->ndims != 1)
		return NAN;
	double sum = 0;
	for (size_t q = 0; q < t->nrows; q++) {
		const struct mj_table_row *row = &t->rows[q];
		if (row->kind == MJ_ROW_CATEGORY && strcmp(row->codes[0], MJ_CODE_MISSING) != 0)
			sum += row->values[c];
	}
	const struct mj_table_row *total = mj_table_total(t);
	*appeals = total ? total->values[c] : NAN;
	return sum;
}

int mj_stats_multi_used(const struct mj_table *t, int which)
{
	if (which < 0)
		return 0;
	const struct mj_table_row *total = mj_table_total(t);
	if (!total)
		return 0;
	size_t r = (size_t)(total - t->rows);
	double appeals, missing = 0;
	if ((size_t)which == t->ndims) {
		for (size_t k = 0; k + 1 < t->ncols; k++)
			if (strcmp(t->col_codes[k], MJ_CODE_MISSING) == 0)
				missing += total->values[k];
		double m = mentions_at(t, which, r, t->ncols - 1, &appeals);
		return m + missing > appeals + 1e-9;
	}
	/* A row dimension: its rows against the rows one level out (or the
	 * total). */
	double sum = 0, base = 0;
	for (size_t q = 0; q < t->nrows; q++) {
		const struct mj_table_row *row = &t->rows[q];
		if (row->kind == MJ_ROW_TOTAL)
			continue;
		if (row->level == which)
			sum += row->values[t->ncols - 1];
		else if (row->level == which - 1)
			base += row->values[t->ncols - 1];
	}
	if (which == 0)
		base = total->values[t->ncols - 1];
	return sum > base + 1e-9;
}

enum mj_status mj_stats_multi(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_schema *schema, int which,
			      struct mj_error *err)
{
	enum mj_lang lang = table_lang(t);
	const char *name = (size_t)which < t->ndims ? t->dims[which] : t->col_dim;
	int d = mj_schema_dim_find(schema, name);
	const char *label = d >= 0 ? schema->dims[d].labels[lang] : name;
	const struct mj_table_row *total = mj_table_total(t);
	double appeals = NAN, mentions = NAN;
	s->multi_which = which;
	s->multi_used = mj_stats_multi_used(t, which);
	if (total)
		mentions = mentions_at(t, which, (size_t)(total - t->rows), t->ncols - 1, &appeals);
	if (!isnan(mentions)) {
		struct mj_stat_col *mc = add_col(s, t, "mention_percent", W_MENTIONS[lang], -1, 0, err);
		if (!mc)
			return err ? err->status : MJ_E_NOMEM;
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				const struct mj_table_row *row = &t->rows[r];
				double a, m = mentions_at(t, which, r, c, &a);
				int is_total_cell = (size_t)which == t->ndims ? c + 1 == t->ncols
					: row->kind == MJ_ROW_TOTAL;
				int is_missing = (size_t)which == t->ndims
					? strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0
					: mj_table_row_missing(t, row);
				if (!(m > 0) || is_missing || row->suppressed[c])
					continue;
				mc->values[r * t->ncols + c] = is_total_cell ? 100 : 100 * row->values[c] / m;
			}
		}
	}
	static const char *const head[] = {
		"%s is multi-response: an appeal can name several, so counts are appeals naming each and "
		"percents are of appeals (cases); they can sum to over 100",
		"«%s» — множественный ответ: в обращении может быть указано несколько, поэтому числа — это "
		"обращения с каждым значением, а проценты — от обращений; их сумма может превышать 100",
		"\"%s\" — ko'p javobli: murojaatda bir nechtasi ko'rsatilishi mumkin, shuning uchun sonlar — "
		"har birini ko'rsatgan murojaatlar, foizlar — murojaatlardan; ularning yig'indisi 100 dan oshishi mumkin",
		"«%s» — кўп жавобли: мурожаатда бир нечтаси кўрсатилиши мумкин, шунинг учун сонлар — "
		"ҳар бирини кўрсатган мурожаатлар, фоизлар — мурожаатлардан; уларнинг йиғиндиси 100 дан ошиши мумкин"};
	static const char *const tail[] = {
		" and the Total counts appeals, not mentions (%s mentions by %s appeals); "
		"its percent of appeals is the sum of the percents. \"%s\" is of the mentions (responses).",
		", а «Всего» считает обращения, а не упоминания (%s упоминаний в %s обращениях); "
		"его процент — сумма процентов. «%s» — от числа упоминаний.",
		", «Jami» esa eslatmalarni emas, murojaatlarni sanaydi (%s eslatma, %s murojaat); "
		"uning foizi — foizlar yig'indisi. \"%s\" — eslatmalar sonidan.",
		", «Жами» эса эслатмаларни эмас, мурожаатларни санайди (%s эслатма, %s мурожаат); "
		"унинг фоизи — фоизлар йиғиндиси. «%s» — эслатмалар сонидан."};
	char note[1024], a[32], m[32];
	int n = snprintf(note, sizeof note, head[lang], label);
	if (n > 0 && (size_t)n < sizeof note) {
		if (!isnan(mentions)) {
			mj_format_number(appeals, 0, lang, a, sizeof a);
			mj_format_number(mentions, 0, lang, m, sizeof m);
			snprintf(note + n, sizeof note - (size_t)n, tail[lang], m, a, W_MENTIONS[lang]);
		} else {
			snprintf(note + n, sizeof note - (size_t)n, ".");
		}
	}
	return mj_stats_note(s, note);
}

/* Everything at once ----------------------------------------------------------- */

const char *mj_table_period_dim(const struct mj_table *t, const struct mj_schema *schema)
{
	for (size_t i = 0; i <= t->ndims; i++) {
		const char *name = i < t->ndims ? t->dims[i] : t->col_dim;
		int d = name ? mj_schema_dim_find(schema, name) : -1;
		if (d >= 0 && schema->dims[d].kind == MJ_DIM_DERIVED &&
		    schema->dims[schema->dims[d].source].kind == MJ_DIM_DATE)
			return name;
	}
	return NULL;
}

/* A note for a table whose rare values of an open dimension were counted
 * together (code "_rare", see mj_tabulate()). */
static enum mj_status note_rare(struct mj_stats *s, const struct mj_table *t)
{
	static const char *const words[] = {
		"Values of %s named by fewer than %ld appeals each are counted together in one row, so that no text typed into that column is printed.",
		"Значения («%s»), указанные менее чем в %ld обращениях каждое, объединены в одну строку, чтобы не печатать введённый в этот столбец текст.",
		"%s ustunining har biri %ld tadan kam murojaatda ko'rsatilgan qiymatlari bitta qatorga birlashtirildi, shu ustunga yozilgan matn chop etilmasligi uchun.",
		"%s устунининг ҳар бири %ld тадан кам мурожаатда кўрсатилган қийматлари битта қаторга бирлаштирилди, шу устунга ёзилган матн чоп этилмаслиги учун."};
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->ndims; i++)
			if (strcmp(t->rows[r].codes[i], "_rare") == 0) {
				char note[512];
				snprintf(note, sizeof note, words[table_lang(t)],
					 t->dim_labels[i], t->min_cell);
				return mj_stats_note(s, note) == MJ_E_NOMEM ? MJ_E_NOMEM : MJ_OK;
			}
	for (size_t c = 0; t->col_dim && c < t->ncols; c++)
		if (strcmp(t->col_codes[c], "_rare") == 0) {
			char note[512];
			snprintf(note, sizeof note, words[table_lang(t)],
				 t->col_dim_label ? t->col_dim_label : t->col_dim, t->min_cell);
			return mj_stats_note(s, note) == MJ_E_NOMEM ? MJ_E_NOMEM : MJ_OK;
		}
	return MJ_OK;
}

enum mj_status mj_stats_compute(struct mj_stats *s, const struct mj_table *t,
				const struct mj_stats_opts *o, unsigned percents,
				const struct mj_run_opts *run,
				const struct mj_tab_spec *spec,
				const char *const *files, size_t nfiles,
				struct mj_error *err)
{
	struct mj_schema *own = NULL;
	const struct mj_schema *schema = run->schema;
	struct mj_population *pop = NULL;
	struct mj_table *other = NULL;
	enum mj_status st = MJ_OK;
	s->test_problem[0] = '\0';
	if (!schema) {
		own = mj_schema_default(err);
		if (!own)
			return err ? err->status : MJ_E_SCHEMA;
		schema = own;
	}
	/* Mentions are told apart from appeals only when some appeal named
	 * several categories; otherwise the two are the same table. */
	if (note_rare(s, t) != MJ_OK) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	int which = mj_stats_multi_dim(t, schema);
	if (which >= 0 && percents && mj_stats_multi_used(t, which) &&
	    (st = mj_stats_multi(s, t, schema, which, err)) != MJ_OK)
		goto done;
	if (o->ci_level > 0) {
		/* Of the percent shown: row percents in a cross-tab, valid
		 * percents when only those are asked for, else of the total. */
		int valid = (percents & (1u << MJ_PCT_VALID)) && !(percents & (1u << MJ_PCT_TOTAL));
		if ((st = mj_stats_ci(s, t, o->ci_level, o->ci_method, valid, err)) != MJ_OK)
			goto done;
	}
	if (o->compare) {
		/* Rows by month, quarter or year are periods themselves: they
		 * would never meet their compared counterparts. */
		const char *name = mj_table_period_dim(t, schema);
		if (name) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--compare: the table is by '%s', whose rows are periods already; tabulate a longer --period instead",
				name);
			goto done;
		}
		char period[64];
		if ((st = mj_period_compare(run->period, o->compare, period, sizeof period, err)) != MJ_OK)
			goto done;
		for (size_t f = 0; !run->stdin_copy && (f < nfiles || f == 0); f++)
			if (nfiles == 0 || strcmp(files[f], "-") == 0) {
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"--compare reads the records twice: give a file, or a copy of standard input (mj_run_copy_stdin)");
				goto done;
			}
		/* The same records, filters and options over the compared
		 * period; its rejected rows were reported by the first pass. */
		struct mj_run_opts again = *run;
		again.period = period;
		again.on_problem = NULL;
		again.on_progress = NULL;
		if ((st = mj_tabulate(&again, files, nfiles, spec, 1, &other, NULL, err)) != MJ_OK ||
		    (st = mj_stats_compare(s, t, other, err)) != MJ_OK)
			goto done;
	}
	if (o->population) {
		pop = mj_population_read(o->population, schema, err);
		if (!pop) {
			st = err ? err->status : MJ_E_PARSE;
			goto done;
		}
		if ((st = mj_stats_rates(s, t, pop, o->rate_per, err)) != MJ_OK)
			goto done;
	}
	if (o->test) {
		struct mj_error terr;
		if (which >= 0 && mj_stats_multi_used(t, which))
			snprintf(s->test_problem, sizeof s->test_problem,
				 "not computed: appeals here name several categories of '%s', so they are counted in several cells and the cells are not independent",
				 (size_t)which < t->ndims ? t->dims[which] : t->col_dim);
		else if (mj_table_chi2(t, &s->test, &terr) == MJ_OK)
			s->has_test = 1;
		else
			memcpy(s->test_problem, terr.message, sizeof s->test_problem);
	}
done:
	mj_table_destroy(other);
	mj_population_destroy(pop);
	mj_schema_destroy(own);
	return st;
}

/* Options ------------------------------------------------------------------- */

enum { OPT_CI = 3000, OPT_CI_METHOD, OPT_TEST, OPT_COMPARE, OPT_RATE_PER, OPT_POPULATION };

const struct option mj_stats_long_options[] = {
	{"ci", required_argument, NULL, OPT_CI},
	{"ci-method", required_argument, NULL, OPT_CI_METHOD},
	{"test", no_argument, NULL, OPT_TEST},
	{"compare", required_argument, NULL, OPT_COMPARE},
	{"rate-per", required_argument, NULL, OPT_RATE_PER},
	{"population", required_argument, NULL, OPT_POPULATION},
	{NULL, 0, NULL, 0},
};

const char mj_stats_options_help[] =
	"Statistics:\n"
	"  --ci LEVEL            confidence interval of each percent, e.g. 95 (50-99.9)\n"
	"  --ci-method wilson|exact    Wilson score (default) or Clopper-Pearson\n"
	"  --test                Pearson chi-square, p-value and Cramer's V after a\n"
	"                        cross-tab (CSV/TSV: on standard error)\n"
	"  --compare P|previous|year   counts of another period beside --period's\n"
	"  --rate-per N          rate per N people (with --population)\n"
	"  --population FILE     CSV: dimension column(s) and population\n";

const struct mj_stat_col *mj_stats_col(const struct mj_stats *s, const char *name)
{
	for (size_t i = 0; s && i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0 && s->cols[i].values)
			return &s->cols[i];
	return NULL;
}

int mj_stats_option(int opt)
{
	for (const struct option *o = mj_stats_long_options; o->name; o++)
		if (o->val == opt)
			return 1;
	return 0;
}

void mj_stats_opts_init(struct mj_stats_opts *o)
{
	memset(o, 0, sizeof *o);
	o->ci_method = MJ_CI_WILSON;
}

static int parse_real(const char *text, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

enum mj_status mj_stats_opts_apply(struct mj_stats_opts *o, int opt,
				   const char *arg, struct mj_error *err)
{
	double v;
	switch (opt) {
	case OPT_CI:
		if (parse_real(arg, 50, 99.9, &v) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--ci: expected a confidence level from 50 to 99.9 (percent), got \"%s\"", arg);
		o->ci_level = v / 100;
		break;
	case OPT_CI_METHOD:
		if (strcmp(arg, "wilson") == 0)
			o->ci_method = MJ_CI_WILSON;
		else if (strcmp(arg, "exact") == 0 || strcmp(arg, "clopper-pearson") == 0)
			o->ci_method = MJ_CI_EXACT;
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--ci-method: expected wilson or exact, got \"%s\"", arg);
		break;
	case OPT_TEST:
		o->test = 1;
		break;
	case OPT_COMPARE: {
		long lo, hi;
		/* Checked now, so that a forgotten value ("--compare -o DIR")
		 * is named as such. */
		if (strcmp(arg, "previous") != 0 && strcmp(arg, "year") != 0 &&
		    period_range(arg, &lo, &hi) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--compare: expected previous, year or a period (e.g. 2023-07), got \"%s\"", arg);
		o->compare = arg;
		break;
	}
	case OPT_RATE_PER:
		if (parse_real(arg, 1, 1e9, &v) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--rate-per: expected a number from 1 to 1000000000 (e.g. 100000), got \"%s\"", arg);
		o->rate_per = v;
		break;
	case OPT_POPULATION:
		o->population = arg;
		break;
	default:
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "unknown option");
	}
	return MJ_OK;
}

enum mj_status mj_stats_opts_check(const struct mj_stats_opts *o, struct mj_error *err)
{
	if (o->rate_per > 0 && !o->population)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "--rate-per needs --population FILE (population by region, sex, ...)");
	if (o->population && !(o->rate_per > 0))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "--population needs --rate-per N (e.g. --rate-per 100000)");
	return MJ_OK;
}
