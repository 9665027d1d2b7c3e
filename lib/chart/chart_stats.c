/* Statistics on charts: confidence intervals drawn as whiskers on bars and
 * rates per population drawn instead of counts, from the columns of a
 * struct mj_stats found by name. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "murojaat/stats.h"

static const char *const w_whiskers[MJ_LANG_COUNT] = {
	"Whiskers: %s confidence interval (%s)",
	"Усы: %s доверительный интервал (%s)",
	"Chiziqchalar: %s ishonch oralig\xca\xbbi (%s)",
	"Чизиқчалар: %s ишонч оралиғи (%s)"};
static const char *const w_method[MJ_LANG_COUNT][2] = {
	{"Wilson", "Clopper-Pearson"},
	{"Уилсон", "Клоппер — Пирсон"},
	{"Wilson", "Clopper — Pearson"},
	{"Уилсон", "Клоппер — Пирсон"}};
static const char *const w_no_pop[MJ_LANG_COUNT] = {
	"no population", "нет данных о населении", "aholi soni yo\xca\xbbq",
	"аҳоли сони йўқ"};
static const char *const w_per[MJ_LANG_COUNT] = {
	"per %s population", "на %s населения", "%s aholiga",
	"%s аҳолига"};
static const char *const w_rate[MJ_LANG_COUNT] = {
	"Rate", "Показатель", "Ko\xca\xbbrsatkich", "Кўрсаткич"};

/* Dark grey, apart from the ink of text and the grey of axes. */
static const struct chart_rgb whisker_grey = {0.2, 0.2, 0.2};

/* Half a unit of the last digit a column was written with: how far a
 * printed value may be from the exact one; fallback for a column
 * computed in this process (decimals -1), which is exact. */
static double tolerance(const struct mj_stat_col *col, double fallback)
{
	if (col->decimals < 0)
		return fallback;
	return 0.5 * pow(10, -col->decimals) + 1e-9;
}

const char *chart_word_no_population(const struct chart_ctx *c)
{
	return w_no_pop[c->lang];
}

char *chart_rate_unit(struct chart_ctx *c, int capital, char *buf,
		      size_t len)
{
	double per = c->o->rate_per;
	if (!(per > 0)) {
		snprintf(buf, len, "%s", w_rate[c->lang]);
		return buf;
	}
	char num[64];
	mj_format_number(per, per == floor(per) ? 0 : 2, c->lang, num,
			 sizeof num);
	snprintf(buf, len, w_per[c->lang], num);
	if (capital) {
		gunichar first = g_utf8_get_char(buf);
		if (g_unichar_islower(first)) {
			char up[8];
			int n = g_unichar_to_utf8(g_unichar_toupper(first), up);
			const char *rest = g_utf8_next_char(buf);
			char copy[256];
			snprintf(copy, sizeof copy, "%.*s%s", n, up, rest);
			snprintf(buf, len, "%s", copy);
		}
	}
	return buf;
}

void chart_whisker(struct chart_ctx *c, int horizontal, double mid, double a,
		   double b, double cap)
{
	cairo_t *cr = c->cr;
	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_width(cr, c->fs * 0.11);
	chart_set_color(c, whisker_grey);
	if (horizontal) {
		cairo_move_to(cr, a, mid);
		cairo_line_to(cr, b, mid);
		cairo_move_to(cr, a, mid - cap / 2);
		cairo_line_to(cr, a, mid + cap / 2);
		cairo_move_to(cr, b, mid - cap / 2);
		cairo_line_to(cr, b, mid + cap / 2);
	} else {
		cairo_move_to(cr, mid, a);
		cairo_line_to(cr, mid, b);
		cairo_move_to(cr, mid - cap / 2, a);
		cairo_line_to(cr, mid + cap / 2, a);
		cairo_move_to(cr, mid - cap / 2, b);
		cairo_line_to(cr, mid + cap / 2, b);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Whether an interval of the cell (r, col) exists for base: not for a
 * percent that is 100 by construction (mirrors mj_stats_ci()). */
static int has_interval(const struct mj_table *t, size_t r, size_t col,
			int base)
{
	if (base == MJ_PCT_ROW)
		return col + 1 != t->ncols;
	return t->rows[r].kind != MJ_ROW_TOTAL;
}

/* Whether the intervals of the table's columns are those of level and
 * method with percents of base, to their printed precision. */
static int intervals_match(struct chart_ctx *c, int base)
{
	const struct mj_table *t = c->t;
	double tl = tolerance(c->ci_lo, 1e-6);
	double th = tolerance(c->ci_hi, 1e-6);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t j = 0; j < t->ncols; j++) {
			size_t i = r * t->ncols + j;
			double lo = c->ci_lo->values[i], hi = c->ci_hi->values[i];
			if (isnan(lo) || isnan(hi) || row->suppressed[j] ||
			    !has_interval(t, r, j, base))
				continue;
			double n = mj_table_percent_base(t, row, j, base), a, b;
			if (isnan(n) || mj_ci_proportion(row->values[j], n,
							  c->o->ci_level,
							  c->o->ci_method, &a,
							  &b) != 0)
				return 0;
			if (fabs(100 * a - lo) > tl || fabs(100 * b - hi) > th)
				return 0;
		}
	}
	return 1;
}

/* The cells a bar chart or map draws: the table's top-level categories
 * ("not stated" that never occurs left out, as chart_row_items() does)
 * in the columns it shows. */
static int drawn_row(const struct mj_table_row *row, size_t col)
{
	if (row->kind == MJ_ROW_TOTAL || row->level != 0)
		return 0;
	return !(strcmp(row->codes[0], MJ_CODE_MISSING) == 0 &&
		 row->values[col] == 0 && !row->suppressed[col]);
}

/* Appends name to the list in buf. */
static void list_add(char *buf, size_t len, const char *name)
{
	size_t used = strlen(buf);
	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

/* The cells without a rate among those drawn, named for the note: whole
 * columns by their label, then whole rows, then single cells (col_none
 * marks the columns named or not drawn, which rows skip). Returns
 * the number of drawn cells that have a rate, or -1 when out of memory. */
static long missing_rates(struct chart_ctx *c, char *names, size_t len)
{
	const struct mj_table *t = c->t;
	int cross = chart_is_crosstab(t);
	size_t ncols = cross ? t->ncols - 1 : 1;
	size_t first = cross ? 0 : (c->o->type == MJ_CHART_MAP ? 0 : t->ncols - 1);
	size_t with = 0;
	names[0] = '\0';
	unsigned char *col_none = calloc(ncols, 1);
	if (!col_none)
		return -1;
	/* A column is named when none of its drawn cells has a rate. */
	for (size_t k = 0; k < ncols; k++) {
		size_t j = first + k, drawn = 0, none = 0;
		int all_zero = 1;
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			if (!drawn_row(row, j))
				continue;
			all_zero &= row->values[j] == 0 && !row->suppressed[j];
			drawn++;
			if (!row->suppressed[j] &&
			    isnan(c->rate->values[r * t->ncols + j]))
				none++;
		}
		/* A grouped chart leaves out a "not stated" column that counts
		 * nothing, as the stacked chart does. */
		if (cross && all_zero &&
		    strcmp(t->col_codes[j], MJ_CODE_MISSING) == 0) {
			col_none[k] = 1;
			continue;
		}
		if (cross && drawn && none == drawn) {
			col_none[k] = 1;
			list_add(names, len, t->col_labels ? t->col_labels[j]
							   : t->col_codes[j]);
		}
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		size_t drawn = 0, none = 0;
		for (size_t k = 0; k < ncols; k++) {
			size_t j = first + k;
			if (col_none[k] || !drawn_row(row, j))
				continue;
			drawn++;
			if (row->suppressed[j])
				continue;
			if (isnan(c->rate->values[r * t->ncols + j]))
				none++;
			else
				with++;
		}
		if (!none)
			continue;
		const char *label = mj_table_row_label(t, row);
		if (none == drawn || !cross) {
			list_add(names, len, label);
			continue;
		}
		for (size_t k = 0; k < ncols; k++) {
			size_t j = first + k;
			if (col_none[k] || !drawn_row(row, j) || row->suppressed[j] ||
			    !isnan(c->rate->values[r * t->ncols + j]))
				continue;
			char cell[256];
			snprintf(cell, sizeof cell, "%s \xe2\x80\x93 %s", label,
				 t->col_labels ? t->col_labels[j] : t->col_codes[j]);
			list_add(names, len, cell);
		}
	}
	free(col_none);
	return (long)with;
}

enum mj_status chart_stats_prepare(struct chart_ctx *c)
{
	const struct mj_chart_opts *o = c->o;
	const struct mj_table *t = c->t;
	enum mj_chart_type type = o->type;
	c->stat_note[0] = '\0';
	c->ci_lo = mj_stats_col(o->stats, "ci_low");
	c->ci_hi = mj_stats_col(o->stats, "ci_high");
	c->rate = mj_stats_col(o->stats, "rate");
	c->pop = mj_stats_col(o->stats, "population");
	if (!c->ci_lo || !c->ci_hi)
		c->ci_lo = c->ci_hi = NULL;
	int bars = type == MJ_CHART_BAR || type == MJ_CHART_HBAR;
	int counts = !t->measure || strcmp(t->measure, "count") == 0;
	if (o->rates) {
		if (!bars && type != MJ_CHART_MAP)
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
				"a %s chart cannot show rates: it shows parts of a "
				"whole, and shares of rates mean nothing; draw "
				"rates as bar, hbar or map",
				mj_chart_type_name(type));
		if (!counts)
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
				"rates need counts of appeals, not a sum of '%s'",
				t->measure);
		if (!c->rate)
			return mj_error_set(c->err, MJ_E_USAGE, NULL, 0, 0,
				"no rates to draw: the table has no 'rate' column "
				"(make it with mj-tab --rate-per N --population "
				"FILE, or give records with --by)");
		/* The rates must be per the unit the chart names. */
		double per = o->rate_per;
		for (size_t i = 0; c->pop && per > 0 && i < t->nrows * t->ncols; i++) {
			const struct mj_table_row *row = &t->rows[i / t->ncols];
			size_t j = i % t->ncols;
			double rate = c->rate->values[i], pop = c->pop->values[i];
			if (isnan(rate) || isnan(pop) || !(pop > 0) ||
			    row->suppressed[j] || row->values[j] <= 0)
				continue;
			double want = row->values[j] / pop * per;
			if (fabs(rate - want) > tolerance(c->rate, 1e-6) +
			    1e-9 * fabs(want)) {
				char have[64], asked[64], a[64], b[64], r[64];
				double implied = rate * pop / row->values[j];
				double mag = pow(10, floor(log10(implied)) - 2);
				implied = round(implied / mag) * mag;
				mj_format_number(implied, 0, MJ_LANG_EN, have, sizeof have);
				mj_format_number(per, per == floor(per) ? 0 : 2,
						 MJ_LANG_EN, asked, sizeof asked);
				mj_format_number(row->values[j], 0, MJ_LANG_EN, a, sizeof a);
				mj_format_number(pop, 0, MJ_LANG_EN, b, sizeof b);
				mj_format_number(rate, c->rate->decimals < 0 ? 2 : c->rate->decimals,
						 MJ_LANG_EN, r, sizeof r);
				return mj_error_set(c->err, MJ_E_VALUE, NULL, 0, 0,
					"the table's rates are per %s people, not per %s "
					"('%s': %s appeals, population %s, rate %s); give "
					"the --rate-per the table was made with",
					have, asked, mj_table_row_label(t, row), a, b, r);
			}
		}
		char names[400];
		long with = missing_rates(c, names, sizeof names);
		if (with < 0)
			return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
					    "out of memory");
		if (with == 0)
			return mj_error_set(c->err, MJ_E_EMPTY, NULL, 0, 0,
				"no category drawn has a population to divide by: "
				"the population file has no figures for the "
				"table's categories");
		c->rates = 1;
		if (names[0])
			snprintf(c->stat_note, sizeof c->stat_note, "%s: %s",
				 names, w_no_pop[c->lang]);
	}
	/* Whiskers: bars of counts only. An interval of a percent scaled to
	 * a rate would claim a precision the population does not have. */
	if (!(o->ci_level > 0) || !bars || c->rates || !counts)
		return MJ_OK;
	c->ci_base = chart_is_crosstab(t) ? MJ_PCT_ROW : MJ_PCT_TOTAL;
	if (c->ci_lo) {
		int ok = intervals_match(c, c->ci_base);
		if (!ok && !chart_is_crosstab(t) && intervals_match(c, MJ_PCT_VALID)) {
			c->ci_base = MJ_PCT_VALID;
			ok = 1;
		}
		if (!ok) {
			char lv[32];
			snprintf(lv, sizeof lv, "%g", o->ci_level * 100);
			return mj_error_set(c->err, MJ_E_VALUE, NULL, 0, 0,
				"the table's intervals (ci_low, ci_high) are not %s%% "
				"%s intervals of its percents: give the --ci and "
				"--ci-method the table was made with",
				lv, w_method[0][o->ci_method == MJ_CI_EXACT]);
		}
	}
	c->whiskers = 1;
	char lv[64], line[256];
	double shown = o->ci_level * 100;
	chart_pct(c, shown, fabs(shown - round(shown)) < 1e-9 ? 0 : 1, lv,
		  sizeof lv);
	snprintf(line, sizeof line, w_whiskers[c->lang], lv,
		 w_method[c->lang][o->ci_method == MJ_CI_EXACT]);
	size_t used = strlen(c->stat_note);
	snprintf(c->stat_note + used, sizeof c->stat_note - used, "%s%s",
		 used ? " \xc2\xb7 " : "", line);
	return MJ_OK;
}

void chart_item_stats(struct chart_ctx *c, struct chart_item *it,
		      const struct mj_table_row *row, size_t col)
{
	const struct mj_table *t = c->t;
	size_t r = (size_t)(row - t->rows), i = r * t->ncols + col;
	it->count = it->value;
	it->has_ci = 0;
	if (c->rates) {
		it->pct = -1;
		double rate = c->rate->values[i];
		it->no_rate = !it->suppressed && isnan(rate);
		it->value = it->suppressed || isnan(rate) ? 0 : rate;
		return;
	}
	if (!c->whiskers || it->suppressed || !has_interval(t, r, col, c->ci_base))
		return;
	double n = mj_table_percent_base(t, row, col, c->ci_base);
	double lo, hi;
	if (isnan(n) || !(n > 0))
		return;
	if (c->ci_lo) {
		lo = c->ci_lo->values[i] / 100;
		hi = c->ci_hi->values[i] / 100;
		if (isnan(lo) || isnan(hi))
			return;
	} else if (mj_ci_proportion(row->values[col], n, c->o->ci_level,
				    c->o->ci_method, &lo, &hi) != 0) {
		return;
	}
	it->has_ci = 1;
	it->lo = lo * n;
	it->hi = hi * n;
}
