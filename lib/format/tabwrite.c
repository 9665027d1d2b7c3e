/* Writing tables: aligned text, CSV/TSV (tidy, one line per cell), JSON and
 * Markdown. Percents are computed here from the counts. */
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/stats.h"
#include "murojaat/table.h"
#include "text.h"
#include "csvhead.h"

void mj_write_opts_init(struct mj_write_opts *o, const struct mj_table *t)
{
	memset(o, 0, sizeof *o);
	o->format = MJ_FMT_TEXT;
	o->percents = 1u << mj_table_default_percent(t);
	o->decimals = 1;
}

/* Largest remainder within a group of cells: floors, then the units left
 * to reach target go to the largest remainders (earlier rows win ties). */
static void round_group(double *pct, const size_t *idx, size_t n, double target,
			int decimals)
{
	/* Percents of odd tables (negative weights, huge sums) are left as
	 * they are rather than forced through integer arithmetic. */
	if (n == 0 || !(target >= 0 && target <= 1e6) || decimals > 6)
		return;
	for (size_t i = 0; i < n; i++)
		if (!(pct[idx[i]] >= 0 && pct[idx[i]] <= 1e6))
			return;
	double scale = pow(10, decimals);
	long want = lround(target * scale), have = 0;
	double *rem = malloc(n * sizeof *rem);
	if (!rem)
		return;
	for (size_t i = 0; i < n; i++) {
		double x = pct[idx[i]] * scale;
		double f = floor(x + 1e-9);
		rem[i] = x - f;
		pct[idx[i]] = f;
		have += (long)f;
	}
	while (have < want) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (rem[i] >= 0 && (best == n || rem[i] > rem[best] + 1e-12))
				best = i;
		if (best == n)
			break;
		pct[idx[best]] += 1;
		rem[best] = -1;
		have++;
	}
	for (size_t i = 0; i < n; i++)
		pct[idx[i]] /= scale;
	free(rem);
}

static double round_to(double x, int decimals)
{
	double scale = pow(10, decimals);
	return round(x * scale) / scale;
}

double *mj_table_percents(const struct mj_table *t, enum mj_percent base,
			  int decimals, int round_largest)
{
	size_t n = t->nrows * t->ncols;
	double *pct = malloc((n ? n : 1) * sizeof *pct);
	size_t *idx = malloc((t->nrows + t->ncols + 1) * sizeof *idx);
	if (!pct || !idx) {
		free(pct);
		free(idx);
		return NULL;
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			pct[r * t->ncols + c] = mj_table_percent(t, &t->rows[r], c, base);
	if (!round_largest) {
		for (size_t i = 0; i < n; i++)
			if (pct[i] >= 0)
				pct[i] = round_to(pct[i], decimals);
		free(idx);
		return pct;
	}
	/* Groups whose shown percents must add up: siblings at the top level
	 * (to 100), children of a subtotal (to the subtotal's shown percent),
	 * the categories of a cross-tab row (to 100 for row percents). */
	for (size_t c = 0; c < t->ncols; c++) {
		size_t k = 0;
		int complete = 1;
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			if (row->level != 0 || row->kind == MJ_ROW_TOTAL)
				continue;
			if (pct[r * t->ncols + c] < 0) {
				if (!(base == MJ_PCT_VALID && mj_table_row_missing(t, row)))
					complete = 0;
				continue;
			}
			idx[k++] = r * t->ncols + c;
		}
		if (base == MJ_PCT_ROW) {
			/* Row percents add up along rows, below. */
		} else if (complete && k) {
			double sum = 0;
			for (size_t i = 0; i < k; i++)
				sum += pct[idx[i]];
			round_group(pct, idx, k, round_to(sum, 0) == 100 ? 100 : round_to(sum, decimals), decimals);
		}
		for (size_t r = 0; r < t->nrows; r++) {
			if (t->rows[r].kind != MJ_ROW_SUBTOTAL || base == MJ_PCT_ROW)
				continue;
			double parent = pct[r * t->ncols + c];
			size_t m = 0;
			int ok = parent >= 0;
			double sum = 0;
			for (size_t q = r + 1; q < t->nrows; q++) {
				const struct mj_table_row *row = &t->rows[q];
				if (row->kind == MJ_ROW_TOTAL || row->level <= t->rows[r].level)
					break;
				if (row->level != t->rows[r].level + 1)
					continue;
				if (pct[q * t->ncols + c] < 0)
					ok = 0;
				else
					sum += pct[q * t->ncols + c];
				idx[m++] = q * t->ncols + c;
			}
			/* Only complete breakdowns are forced to add up. */
			if (ok && m && fabs(sum - parent) < 0.5)
				round_group(pct, idx, m, parent, decimals);
			else
				for (size_t i = 0; i < m; i++)
					if (pct[idx[i]] >= 0)
						pct[idx[i]] = round_to(pct[idx[i]], decimals);
		}
	}
	if (base == MJ_PCT_ROW && t->ncols > 1) {
		for (size_t r = 0; r < t->nrows; r++) {
			size_t k = 0;
			int ok = 1;
			for (size_t c = 0; c + 1 < t->ncols; c++) {
				if (!mj_col_top(t, c))
					continue; /* nested columns: their parents add up */
				if (pct[r * t->ncols + c] < 0)
					ok = 0;
				idx[k++] = r * t->ncols + c;
			}
			if (ok)
				round_group(pct, idx, k, 100, decimals);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (pct[i] >= 0)
			pct[i] = round_to(pct[i], decimals);
	free(idx);
	return pct;
}

/* Text helpers ------------------------------------------------------------- */

static enum mj_lang table_lang(const struct mj_table *t)
{
	int l = mj_lang_parse(t->lang);
	return l < 0 ? MJ_LANG_EN : (enum mj_lang)l;
}

static const char *word(enum mj_lang lang, const char *const w[MJ_LANG_COUNT])
{
	return w[lang];
}

static const char *const W_COUNT[] = {"Count", "Число", "Soni", "Сони"};
static const char *const W_SUM[] = {"Sum", "Сумма", "Yigʻindi", "Йиғинди"};
static const char *const W_PCT[] = {"%", "%", "%", "%"};
static const char *const W_ROWPCT[] = {"Row %", "% по строке", "Qator %", "Қатор %"};
static const char *const W_COLPCT[] = {"Column %", "% по столбцу", "Ustun %", "Устун %"};
static const char *const W_VALID[] = {"Valid %", "Валидный %", "Haqiqiy %", "Ҳақиқий %"};
static const char *const W_CUM[] = {"Cum. %", "Накопл. %", "Jamlangan %", "Жамланган %"};

/* "n = 10,927 counted of 10,927 read, 0 rejected · 2023-01-01 – 2023-08-31 ·
 * filters: none" */
static void describe(const struct mj_table *t, char *buf, size_t len)
{
	enum mj_lang lang = table_lang(t);
	char a[64], b[64], c[64];
	mj_format_number((double)t->n_counted, 0, lang, a, sizeof a);
	mj_format_number((double)t->n_read, 0, lang, b, sizeof b);
	mj_format_number((double)t->n_rejected, 0, lang, c, sizeof c);
	static const char *const fmt[] = {
		"n = %s counted of %s read, %s rejected",
		"n = %s учтено из %s прочитанных, отклонено %s",
		"n = %s hisobga olindi, oʻqildi %s, rad etildi %s",
		"n = %s ҳисобга олинди, ўқилди %s, рад этилди %s"};
	size_t n = (size_t)snprintf(buf, len, fmt[lang], a, b, c);
	/* n counts records; a weighted table's figures are of the weights. */
	static const char *const weighted[] = {" · weighted by %s", " · взвешено по %s",
					       " · %s boʻyicha vaznlangan", " · %s бўйича вазнланган"};
	if (n < len && t->weight)
		n += (size_t)snprintf(buf + n, len - n, weighted[lang], t->weight);
	if (n < len && t->period_from)
		n += (size_t)snprintf(buf + n, len - n, " · %s – %s", t->period_from,
				      t->period_to ? t->period_to : "");
	static const char *const filters[] = {"filters", "фильтры", "filtr", "фильтр"};
	static const char *const hidden[] = {"suppressed", "скрыто", "yashirilgan", "яширилган"};
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " · %s: %s", filters[lang],
				      t->filters ? t->filters : "—");
	if (n < len && t->min_cell > 1)
		snprintf(buf + n, len - n, " · <%ld %s", t->min_cell, hidden[lang]);
}

static size_t width(const char *s)
{
	return mj_text_width(s, strlen(s));
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* A cell's text: count (or "<N"), or a percent ("" when undefined). */
static void cell_count(const struct mj_table *t, const struct mj_table_row *row,
		       size_t c, enum mj_lang lang, char *buf, size_t len)
{
	if (row->suppressed[c])
		mj_table_mark(t, row->suppressed[c], buf, len);
	else
		mj_format_number(row->values[c], row->values[c] == floor(row->values[c]) ? 0 : 2,
				 lang, buf, len);
}


/* A column of figures beside the counts: a percent (base set; undefined
 * cells negative) or a statistics column from o->stats (base MJ_PCT_NONE;
 * undefined cells NAN, marks shown instead of values). */
struct pctcol {
	int value;          /* the count (or sum) itself, not a figure beside it */
	enum mj_percent base;
	int cumulative;
	const char *const *title;
	double *values;
	const struct mj_stat_col *stat;
};

#define MAX_PC (MJ_SHOW_MAX + MJ_STATS_MAXCOLS)

static int pc_defined(const struct pctcol *p, size_t i)
{
	if (!p->values)
		return 0;
	return p->stat ? !isnan(p->values[i]) : p->values[i] >= 0;
}

static const char *pc_title(const struct pctcol *p, enum mj_lang lang)
{
	return p->stat ? p->stat->title : p->title[lang];
}

static const char *pc_name(const struct pctcol *p)
{
	static const char *const names[] = {
		[MJ_PCT_TOTAL] = "percent", [MJ_PCT_ROW] = "row_percent",
		[MJ_PCT_COL] = "col_percent", [MJ_PCT_VALID] = "valid_percent"};
	return p->stat ? p->stat->name : p->cumulative ? "cum_percent" : names[p->base];
}

static int pc_decimals(const struct pctcol *p, const struct mj_write_opts *o)
{
	return p->stat && p->stat->decimals >= 0 ? p->stat->decimals : o->decimals;
}

static const char *pc_mark(const struct pctcol *p, size_t i)
{
	return p->stat && p->stat->marks ? p->stat->marks[i] : NULL;
}

/* The bases of the percents shown (bit set of 1u << base). */
static unsigned pc_bases(const struct pctcol *pc, size_t n)
{
	unsigned bases = 0;
	for (size_t i = 0; i < n; i++)
		if (!pc[i].stat && !pc[i].value)
			bases |= 1u << pc[i].base;
	return bases;
}

static const char *base_name(enum mj_percent b)
{
	static const char *const names[] = {
		[MJ_PCT_TOTAL] = "percent_base", [MJ_PCT_ROW] = "row_percent_base",
		[MJ_PCT_COL] = "col_percent_base", [MJ_PCT_VALID] = "valid_percent_base"};
	return names[b];
}

/* A percent of appeals by a multi-response dimension whose appeals named
 * several categories: the total shows the sum of the shown percents (over
 * 100), as SPSS MULT RESPONSE's "percent of cases" total does. */
static void multi_sums(const struct mj_table *t, const struct mj_write_opts *o,
		       enum mj_percent base, double *pct)
{
	const struct mj_stats *st = o->stats;
	if (!st || !st->multi_used || !pct)
		return;
	if ((size_t)st->multi_which == t->ndims && base == MJ_PCT_ROW) {
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			size_t last = r * t->ncols + t->ncols - 1;
			double sum = 0;
			for (size_t c = 0; c + 1 < t->ncols; c++)
				if (pct[r * t->ncols + c] >= 0)
					sum += row->values[c];
			if (pct[last] >= 0 && row->values[t->ncols - 1] > 0)
				pct[last] = round_to(100 * sum / row->values[t->ncols - 1], o->decimals);
		}
	} else if (st->multi_which == 0 && t->ndims == 1 && base != MJ_PCT_ROW) {
		const struct mj_table_row *total = mj_table_total(t);
		if (!total)
			return;
		size_t tr = (size_t)(total - t->rows);
		for (size_t c = 0; c < t->ncols; c++) {
			double sum = 0, n = mj_table_percent_base(t, total, c, base);
			for (size_t r = 0; r < t->nrows; r++)
				if (r != tr && pct[r * t->ncols + c] >= 0)
					sum += t->rows[r].values[c];
			if (pct[tr * t->ncols + c] >= 0 && n > 0)
				pct[tr * t->ncols + c] = round_to(100 * sum / n, o->decimals);
		}
	}
}

static void add_percent(const struct mj_table *t, const struct mj_write_opts *o,
			struct pctcol *col, enum mj_percent base)
{
	memset(col, 0, sizeof *col);
	col->base = base;
	col->title = base == MJ_PCT_TOTAL ? W_PCT : base == MJ_PCT_VALID ? W_VALID
		: base == MJ_PCT_ROW ? W_ROWPCT : W_COLPCT;
	col->values = mj_table_percents(t, base, o->decimals, o->round_largest);
	multi_sums(t, o, base, col->values);
}

/* The cumulative percent, of valid when valid (one-way tables only). */
static void add_cumulative(const struct mj_table *t, const struct mj_write_opts *o,
			   struct pctcol *col, int valid)
{
	enum mj_percent base = valid ? MJ_PCT_VALID : MJ_PCT_TOTAL;
	/* Running sum over top-level rows, as SPSS prints it: of the exact
	 * percents, each sum rounded honestly (mj-xlsx's formulas give the
	 * same); with --round largest, of the percents shown, which add up
	 * to 100. A hidden row ends it: the next sum would give it away,
	 * and a sum without it would not be true. */
	double *p = o->round_largest ? mj_table_percents(t, base, o->decimals, 1)
				     : mj_table_percents(t, base, 15, 0);
	if (p) {
		double run = 0;
		int stopped = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			if (row->level == 0 && row->kind != MJ_ROW_TOTAL && p[r] < 0 &&
			    !(valid && mj_table_row_missing(t, row)))
				stopped = 1;
			if (row->level == 0 && row->kind != MJ_ROW_TOTAL && p[r] >= 0 && !stopped) {
				run += p[r];
				p[r] = round_to(run, o->decimals);
			} else {
				p[r] = -1;
			}
		}
	}
	memset(col, 0, sizeof *col);
	col->base = base;
	col->cumulative = 1;
	col->title = W_CUM;
	col->values = p;
}

static void add_stat(struct pctcol *col, const struct mj_stat_col *stat)
{
	memset(col, 0, sizeof *col);
	col->base = MJ_PCT_NONE;
	col->stat = stat;
	col->values = stat->values;
}

/* One item of a --show list: what it names (enum mj_show_item), and for a
 * statistics column its index in stats; -1 when unknown. */
enum show_item { SHOW_VALUE = 1, SHOW_PCT, SHOW_CUM, SHOW_STAT };

static int show_item(const char *name, const struct mj_stats *st, enum mj_percent *base,
		     size_t *stat)
{
	static const struct {
		const char *name;
		enum mj_percent base;
	} pcts[] = {
		{"total%", MJ_PCT_TOTAL}, {"total", MJ_PCT_TOTAL}, {"percent", MJ_PCT_TOTAL},
		{"row%", MJ_PCT_ROW}, {"row", MJ_PCT_ROW},
		{"col%", MJ_PCT_COL}, {"col", MJ_PCT_COL},
		{"valid%", MJ_PCT_VALID}, {"valid", MJ_PCT_VALID},
	};
	if (strcmp(name, "count") == 0 || strcmp(name, "sum") == 0)
		return SHOW_VALUE;
	if (strcmp(name, "cum%") == 0 || strcmp(name, "cum") == 0)
		return SHOW_CUM;
	for (size_t i = 0; i < sizeof pcts / sizeof pcts[0]; i++)
		if (strcmp(name, pcts[i].name) == 0) {
			*base = pcts[i].base;
			return SHOW_PCT;
		}
	for (size_t i = 0; st && i < st->ncols; i++)
		if (strcmp(name, st->cols[i].name) == 0) {
			*stat = i;
			return SHOW_STAT;
		}
	return -1;
}

enum mj_status mj_show_parse(const char *show, const struct mj_table *t,
			     const struct mj_stats *st, unsigned *percents,
			     struct mj_error *err)
{
	if (percents)
		*percents = 0;
	char *copy = strdup(show ? show : "");
	if (!copy)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	enum mj_status rc = MJ_OK;
	size_t n = 0;
	for (char *save = NULL, *p = strtok_r(copy, ",", &save); p && rc == MJ_OK;
	     p = strtok_r(NULL, ",", &save)) {
		mj_text_trim(p);
		enum mj_percent base = MJ_PCT_NONE;
		size_t stat = 0;
		int kind = show_item(p, st, &base, &stat);
		int counted = t && !mj_table_is_sum(t);
		if (kind < 0 && !st)
			kind = SHOW_STAT;
		if (kind == SHOW_VALUE && t && counted != (strcmp(p, "count") == 0))
			rc = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, counted
				? "--show sum: the table counts appeals (add --sum COLUMN, or show count)"
				: "--show count: the table sums %s (show sum)", t->measure);
		else if (kind == SHOW_CUM && t && t->col_dim)
			rc = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--show cum%%: a cumulative percent needs a one-way table (no --cols)");
		else if (kind < 0)
			rc = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--show: unknown \"%s\" (count, sum, total%%, row%%, col%%, valid%%, cum%% "
				"or a statistics column such as ci_low)", p);
		else if (++n > MJ_SHOW_MAX)
			rc = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--show: at most %d items", MJ_SHOW_MAX);
		else if (kind == SHOW_PCT && percents)
			*percents |= 1u << base;
	}
	if (rc == MJ_OK && n == 0)
		rc = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				  "--show: name what each cell shows (e.g. count,row%%)");
	free(copy);
	return rc;
}

/* The columns of figures in the order shown: the value (count or sum)
 * first, then percents and statistics; or what o->show lists, in its
 * order, with statistics columns it does not name after it. */
static size_t pick_percents(const struct mj_table *t, const struct mj_write_opts *o,
			    struct pctcol *cols)
{
	size_t n = 0;
	const struct mj_stats *st = o->stats;
	int stat_used[MJ_STATS_MAXCOLS] = {0};
	char *copy = o->show ? strdup(o->show) : NULL;
	if (copy) {
		for (char *save = NULL, *p = strtok_r(copy, ",", &save); p && n < MJ_SHOW_MAX;
		     p = strtok_r(NULL, ",", &save)) {
			mj_text_trim(p);
			enum mj_percent base = MJ_PCT_NONE;
			size_t stat = 0;
			switch (show_item(p, st, &base, &stat)) {
			case SHOW_VALUE:
				memset(&cols[n], 0, sizeof cols[n]);
				cols[n++].value = 1;
				break;
			case SHOW_PCT:
				add_percent(t, o, &cols[n++], base);
				break;
			case SHOW_CUM:
				if (!t->col_dim)
					add_cumulative(t, o, &cols[n++],
						       strstr(o->show, "valid") != NULL);
				break;
			case SHOW_STAT:
				if (!stat_used[stat]) {
					add_stat(&cols[n++], &st->cols[stat]);
					stat_used[stat] = 1;
				}
				break;
			default:
				break; /* checked by mj_show_parse() */
			}
		}
		free(copy);
	} else {
		static const enum mj_percent order[] = {MJ_PCT_TOTAL, MJ_PCT_VALID, MJ_PCT_ROW, MJ_PCT_COL};
		memset(&cols[n], 0, sizeof cols[n]);
		cols[n++].value = 1;
		for (size_t i = 0; i < 4; i++)
			if (o->percents & (1u << order[i]))
				add_percent(t, o, &cols[n++], order[i]);
		if (o->cumulative && !t->col_dim)
			add_cumulative(t, o, &cols[n++], (o->percents & (1u << MJ_PCT_VALID)) != 0);
	}
	for (size_t i = 0; st && i < st->ncols; i++)
		if (!stat_used[i])
			add_stat(&cols[n++], &st->cols[i]);
	return n;
}

static void free_percents(struct pctcol *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cols[i].stat && !cols[i].value)
			free(cols[i].values);
}

/* Text and Markdown ---------------------------------------------------------- */

/* A figure's text: its mark, "—" when undefined, or the number. */
static void cell_stat(const struct pctcol *p, size_t i, const struct mj_write_opts *o,
		      enum mj_lang lang, char *buf, size_t len)
{
	const char *mark = pc_mark(p, i);
	if (mark)
		snprintf(buf, len, "%s", mark);
	else if (!pc_defined(p, i))
		snprintf(buf, len, "—");
	else
		mj_format_number(p->values[i], pc_decimals(p, o), lang, buf, len);
}

/* "Base: % of n = 10,927; valid % of n = 8,634 (not stated excluded)": the
 * N of every percent shown, as SPSS prints it beside its tables. */
static void describe_bases(const struct mj_table *t, const struct pctcol *pc, size_t npc,
			   char *buf, size_t len)
{
	enum mj_lang lang = table_lang(t);
	unsigned bases = pc_bases(pc, npc);
	static const char *const w_base[] = {"Base", "База", "Asos", "Асос"};
	static const char *const w_total[] = {"%% of n = %s", "%% от n = %s", "%% n = %s dan", "%% n = %s дан"};
	/* A sum's percents are of its total, not of a number of records. */
	static const char *const w_sum[] = {"%% of the total = %s", "%% от итога = %s",
					    "%% jamidan = %s", "%% жамидан = %s"};
	/* A weighted table's percents are of the weights' total, not of n
	 * (the records counted). */
	static const char *const w_weighted[] = {"%% of the weighted total = %s",
		"%% от взвешенного итога = %s", "%% vaznlangan jamidan = %s",
		"%% вазнланган жамидан = %s"};
	static const char *const w_valid_weighted[] = {
		"valid %% of the weighted total = %s (not stated excluded)",
		"валидный %% от взвешенного итога = %s (без «не указано»)",
		"haqiqiy %% vaznlangan jamidan = %s (koʻrsatilmagansiz)",
		"ҳақиқий %% вазнланган жамидан = %s (кўрсатилмагансиз)"};
	static const char *const w_valid1[] = {
		"valid %% of n = %s (not stated excluded)", "валидный %% от n = %s (без «не указано»)",
		"haqiqiy %% n = %s dan (koʻrsatilmagansiz)", "ҳақиқий %% n = %s дан (кўрсатилмагансиз)"};
	static const char *const w_valid_sum[] = {
		"valid %% of the total = %s (not stated excluded)", "валидный %% от итога = %s (без «не указано»)",
		"haqiqiy %% jamidan = %s (koʻrsatilmagansiz)", "ҳақиқий %% жамидан = %s (кўрсатилмагансиз)"};
	static const char *const w_valid2[] = {
		"valid % of each column's total without not stated", "валидный % от итога столбца без «не указано»",
		"haqiqiy % ustun jamidan, koʻrsatilmagansiz", "ҳақиқий % устун жамидан, кўрсатилмагансиз"};
	static const char *const w_row[] = {
		"row % of each row's total (the Total column)", "% по строке от итога строки (столбец «Всего»)",
		"qator % qator jamidan (Jami ustuni)", "қатор % қатор жамидан (Жами устуни)"};
	static const char *const w_col[] = {
		"column % of each column's total (the Total row)", "% по столбцу от итога столбца (строка «Всего»)",
		"ustun % ustun jamidan (Jami qatori)", "устун % устун жамидан (Жами қатори)"};
	static const char *const w_nested[] = {
		"; nested rows: valid % of their group", "; вложенные строки: валидный % от своей группы",
		"; ichki qatorlar: oʻz guruhidan haqiqiy %", "; ички қаторлар: ўз гуруҳидан ҳақиқий %"};
	const struct mj_table_row *total = mj_table_total(t);
	int sum = mj_table_is_sum(t);
	size_t n = (size_t)snprintf(buf, len, "%s: ", w_base[lang]);
	int first = 1;
	char num[64];
	for (enum mj_percent b = MJ_PCT_TOTAL; b <= MJ_PCT_VALID && n < len; b++) {
		if (!(bases & (1u << b)))
			continue;
		if (!first)
			n += (size_t)snprintf(buf + n, len - n, "; ");
		first = 0;
		if (n >= len)
			break;
		if (b == MJ_PCT_TOTAL) {
			double v = total && !total->suppressed[t->ncols - 1] ? total->values[t->ncols - 1] : NAN;
			if (isnan(v))
				snprintf(num, sizeof num, "—");
			else
				mj_format_number(v, v == floor(v) ? 0 : 2, lang, num, sizeof num);
			n += (size_t)snprintf(buf + n, len - n, sum ? w_sum[lang]
					      : t->weight ? w_weighted[lang] : w_total[lang], num);
		} else if (b == MJ_PCT_VALID && !t->col_dim) {
			double v = total ? mj_table_percent_base(t, total, 0, MJ_PCT_VALID) : NAN;
			if (isnan(v))
				snprintf(num, sizeof num, "—");
			else
				mj_format_number(v, v == floor(v) ? 0 : 2, lang, num, sizeof num);
			n += (size_t)snprintf(buf + n, len - n, sum ? w_valid_sum[lang]
					      : t->weight ? w_valid_weighted[lang] : w_valid1[lang], num);
			if (t->ndims > 1 && n < len)
				n += (size_t)snprintf(buf + n, len - n, "%s", w_nested[lang]);
		} else {
			const char *w = b == MJ_PCT_VALID ? w_valid2[lang] : b == MJ_PCT_ROW ? w_row[lang] : w_col[lang];
			n += (size_t)snprintf(buf + n, len - n, "%s", w);
		}
	}
	if (first && len)
		buf[0] = '\0';
}

/* The notes and the test under a text or Markdown table. */
static void write_footer(FILE *out, const struct mj_table *t, const struct mj_write_opts *o,
			 int md)
{
	/* The "x" mark is explained once, under the table. */
	if (mj_table_has_hidden(t, MJ_HIDDEN_COMPLEMENT))
		fprintf(out, "\n%s%s.\n", md ? "- " : "", mj_table_mark_note(table_lang(t)));
	const struct mj_stats *st = o->stats;
	if (!st)
		return;
	if (st->nnotes)
		fputc('\n', out);
	for (size_t i = 0; i < st->nnotes; i++)
		fprintf(out, "%s%s\n", md ? "- " : "", st->notes[i]);
	if (st->has_test) {
		fputs(md ? "\n```\n" : "\n", out);
		mj_chi2_write(out, &st->test, table_lang(t));
		if (md)
			fputs("```\n", out);
	}
}

static const char *row_text(const struct mj_table *t, const struct mj_table_row *row,
			    char *buf, size_t len)
{
	const char *label = mj_table_row_label(t, row);
	snprintf(buf, len, "%*s%s", row->level * 2, "", label);
	return buf;
}

/* A Markdown table cell: a '|' in a label would end the cell, a line break
 * the table. */
static void md_cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			fputc('\\', out);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
	}
}

/* Text grids ---------------------------------------------------------------- */

/* The heading of column c of t on header line j (one line per column
 * dimension): a category's label on its own line; a parent's label over
 * the first column of its group (force: over any column of it, at the
 * start of a panel); "Total" under a parent for its subtotal. */
static int nest_first(const struct mj_table *t, size_t c, size_t j)
{
	const struct mj_col_nest *n = t->nest;
	if (c == 0 || n->kinds[c - 1] == MJ_ROW_TOTAL)
		return 1;
	for (size_t k = 0; k <= j; k++)
		if (strcmp(n->codes[(c - 1) * n->ndims + k], n->codes[c * n->ndims + k]) != 0)
			return 1;
	return 0;
}

static const char *col_head(const struct mj_table *t, size_t c, size_t j, int force)
{
	const struct mj_col_nest *n = t->nest;
	if (!n)
		return j == 0 ? t->col_labels[c] : "";
	if (n->kinds[c] == MJ_ROW_TOTAL)
		return j == 0 ? t->col_labels[c] : "";
	size_t lv = (size_t)n->levels[c];
	if (j <= lv)
		return force || nest_first(t, c, j) ? n->labels[c * n->ndims + j] : "";
	if (j == lv + 1)
		return n->labels[c * n->ndims + j];
	return "";
}

struct grid {
	const struct mj_table *t;
	char ***text;       /* [nrows + 1][ncells + 1]; [nrows] the heading row */
	size_t *w;          /* widths: [0] the labels, [k + 1] cell k */
	size_t ncells;
	const struct pctcol *pc;
	const char *value_word;
	enum mj_lang lang;
};

static size_t nhead_lines(const struct mj_table *t)
{
	return t->nest ? t->nest->ndims : t->col_dim ? 1 : 0;
}

/* The gap before cell k of a panel starting at a: a rule between the
 * blocks of a cross-tab (count, then each percent). */
static size_t gap(const struct grid *g, size_t k, size_t a)
{
	return g->t->col_dim && k % g->t->ncols == 0 && k > a ? 4 : 2;
}

static void put_gap(FILE *out, const struct grid *g, size_t k, size_t a)
{
	fputs(gap(g, k, a) == 4 ? "  │ " : "  ", out);
}

/* Widens the cells so that each parent's label fits over its group. */
static void fit_groups(struct grid *g)
{
	const struct mj_table *t = g->t;
	size_t nh = nhead_lines(t);
	for (size_t j = 0; j + 1 < nh; j++)
		for (size_t k = 0; k < g->ncells; k++) {
			const char *label = col_head(t, k % t->ncols, j, 0);
			if (!label[0])
				continue;
			size_t end = k + 1, span = g->w[k + 1];
			while (end < g->ncells && end % t->ncols != 0 &&
			       !col_head(t, end % t->ncols, j, 0)[0]) {
				span += 2 + g->w[end + 1];
				end++;
			}
			if (width(label) > span)
				g->w[end] += width(label) - span;
		}
}

static void write_panel(FILE *out, const struct grid *g, size_t a, size_t b)
{
	const struct mj_table *t = g->t;
	size_t nh = nhead_lines(t);
	for (size_t j = 0; j < nh; j++) {
		const char *dl = t->nest ? t->nest->dim_labels[j] : t->col_dim_label;
		fputs(dl, out);
		size_t x = width(dl), cell = g->w[0];
		int inner = j + 1 == nh, after_label = 1;
		for (size_t k = a; k < b; k++) {
			if (gap(g, k, a) == 4 && x <= cell) {
				pad(out, cell - x);
				fputs("  │ ", out);
				x = cell + 4;
				after_label = 0;
			}
			cell += gap(g, k, a);
			const char *label = col_head(t, k % t->ncols, j, k == a);
			size_t lw = width(label);
			if (!label[0]) {
				cell += g->w[k + 1];
				continue;
			}
			/* The innermost labels stand over their numbers; a
			 * parent's starts its group. */
			size_t at = inner ? cell + g->w[k + 1] - lw : cell;
			if (x > at || (x == at && after_label))
				at = x + 1; /* a label too wide for its columns */
			pad(out, at - x);
			fputs(label, out);
			x = at + lw;
			after_label = 1;
			cell += g->w[k + 1];
		}
		fputc('\n', out);
	}
	for (size_t rr = 0; rr <= t->nrows; rr++) {
		size_t r = rr == 0 ? t->nrows : rr - 1; /* the heading row first */
		if (r < t->nrows && t->rows[r].kind == MJ_ROW_TOTAL) {
			size_t all = g->w[0];
			for (size_t k = a; k < b; k++)
				all += g->w[k + 1] + gap(g, k, a);
			for (size_t i = 0; i < all; i++)
				fputs("─", out);
			fputc('\n', out);
		}
		fputs(g->text[r][0], out);
		pad(out, g->w[0] - width(g->text[r][0]));
		for (size_t k = a; k < b; k++) {
			const char *cell = g->text[r][k + 1];
			if (r == t->nrows && k == a && t->col_dim && !cell[0]) {
				/* A panel names the figures it starts with. */
				size_t stat = k / t->ncols;
				cell = g->pc[stat].value ? g->value_word : pc_title(&g->pc[stat], g->lang);
			}
			put_gap(out, g, k, a);
			pad(out, g->w[k + 1] > width(cell) ? g->w[k + 1] - width(cell) : 0);
			fputs(cell, out);
		}
		fputc('\n', out);
	}
}

/* How far cell k and the labels that start over it reach. */
static size_t label_extent(const struct grid *g, size_t k)
{
	size_t most = g->w[k + 1];
	for (size_t j = 0; j + 1 < nhead_lines(g->t); j++) {
		size_t lw = width(col_head(g->t, k % g->t->ncols, j, 0));
		if (lw > most)
			most = lw;
	}
	return most;
}

/* The grid in panels of columns no wider than width (0: one panel), each
 * repeating the row labels. */
static void write_text_body(FILE *out, struct grid *g, size_t width_max)
{
	const struct mj_table *t = g->t;
	size_t nh = nhead_lines(t);
	for (size_t j = 0; j < nh; j++) {
		const char *dl = t->nest ? t->nest->dim_labels[j] : t->col_dim_label;
		if (width(dl) > g->w[0])
			g->w[0] = width(dl);
	}
	for (size_t k = 0; k < g->ncells; k++) {
		/* The innermost labels stand over the numbers. */
		if (nh) {
			const char *label = col_head(t, k % t->ncols, nh - 1, 0);
			if (width(label) > g->w[k + 1])
				g->w[k + 1] = width(label);
		}
		if (t->col_dim) {
			size_t stat = k / t->ncols;
			const char *name = g->pc[stat].value ? g->value_word : pc_title(&g->pc[stat], g->lang);
			if (width(name) > g->w[k + 1])
				g->w[k + 1] = width(name);
		}
	}
	fit_groups(g);
	size_t a = 0;
	while (a < g->ncells) {
		size_t b = a + 1, all = g->w[0] + gap(g, a, a) + g->w[a + 1];
		while (width_max && b < g->ncells &&
		       all + gap(g, b, a) + label_extent(g, b) <= width_max) {
			all += gap(g, b, a) + g->w[b + 1];
			b++;
		}
		if (!width_max)
			b = g->ncells;
		if (a > 0)
			fputc('\n', out);
		write_panel(out, g, a, b);
		a = b;
	}
	if (g->ncells == 0)
		write_panel(out, g, 0, 0);
}

/* Markdown: a heading line naming each column, then the rows. */
static void write_md_body(FILE *out, const struct mj_table *t, char ***text, size_t ncells,
			  const struct pctcol *pc, const char *value_word, enum mj_lang lang)
{
	if (t->col_dim) {
		fputs("| ", out);
		md_cell(out, text[t->nrows][0]);
		fputs(" |", out);
		for (size_t k = 0; k < ncells; k++) {
			size_t stat = k / t->ncols;
			fprintf(out, " %s: ", pc[stat].value ? value_word : pc_title(&pc[stat], lang));
			md_cell(out, t->col_labels[k % t->ncols]);
			fputs(" |", out);
		}
		fprintf(out, "\n|---|");
		for (size_t k = 0; k < ncells; k++)
			fprintf(out, "---:|");
		fputc('\n', out);
	}
	for (size_t rr = 0; rr <= t->nrows; rr++) {
		size_t r = rr == 0 ? t->nrows : rr - 1; /* header first */
		if (t->col_dim && r == t->nrows)
			continue;
		int bold = r < t->nrows && t->rows[r].kind == MJ_ROW_TOTAL;
		fprintf(out, "|");
		for (size_t k = 0; k <= ncells; k++) {
			fprintf(out, " %s", bold ? "**" : "");
			md_cell(out, text[r][k]);
			fprintf(out, "%s |", bold ? "**" : "");
		}
		fputc('\n', out);
		if (r == t->nrows) {
			fprintf(out, "|---|");
			for (size_t k = 0; k < ncells; k++)
				fprintf(out, "---:|");
			fputc('\n', out);
		}
	}
}

static void write_grid(FILE *out, const struct mj_table *t, const struct mj_write_opts *o,
		       int md)
{
	enum mj_lang lang = table_lang(t);
	struct pctcol pc[MAX_PC];
	size_t npc = pick_percents(t, o, pc);
	char desc[512], bases[512];
	describe(t, desc, sizeof desc);
	describe_bases(t, pc, npc, bases, sizeof bases);
	if (md)
		fprintf(out, "### %s\n\n%s%s%s\n\n", t->title ? t->title : "", desc,
			bases[0] ? "  \n" : "", bases);
	else
		fprintf(out, "%s\n%s%s%s\n\n", t->title ? t->title : "", desc,
			bases[0] ? "\n" : "", bases);

	/* Columns: label, then for one-way: count + percents; for cross-tab:
	 * one block per statistic with a column per category. */
	size_t ncells = t->col_dim ? npc * t->ncols : npc;
	char ***text = calloc(t->nrows + 1, sizeof *text);
	size_t *w = calloc(ncells + 1, sizeof *w);
	if (!text || !w)
		goto done;
	const char *value_word = !mj_table_is_sum(t) ? word(lang, W_COUNT) : t->measure;
	(void)W_SUM;
	for (size_t r = 0; r <= t->nrows; r++) {
		text[r] = calloc(ncells + 1, sizeof **text);
		if (!text[r])
			goto done;
	}
	/* Header row (index nrows). */
	char buf[256];
	GString *head = g_string_new(NULL);
	for (size_t i = 0; i < t->ndims; i++)
		g_string_append_printf(head, "%s%s", i ? " › " : "", t->dim_labels[i]);
	text[t->nrows][0] = strdup(head->str);
	g_string_free(head, TRUE);
	for (size_t k = 0; k < ncells; k++) {
		size_t stat = t->col_dim ? k / t->ncols : k;
		size_t col = t->col_dim ? k % t->ncols : 0;
		const char *name = pc[stat].value ? value_word : pc_title(&pc[stat], lang);
		if (t->col_dim)
			snprintf(buf, sizeof buf, "%s", col == 0 ? name : "");
		else
			snprintf(buf, sizeof buf, "%s", name);
		text[t->nrows][k + 1] = strdup(buf);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		text[r][0] = strdup(row_text(t, row, buf, sizeof buf));
		for (size_t k = 0; k < ncells; k++) {
			size_t stat = t->col_dim ? k / t->ncols : k;
			size_t col = t->col_dim ? k % t->ncols : 0;
			if (pc[stat].value)
				cell_count(t, row, col, lang, buf, sizeof buf);
			else
				cell_stat(&pc[stat], r * t->ncols + col, o, lang, buf, sizeof buf);
			text[r][k + 1] = strdup(buf);
		}
	}
	for (size_t r = 0; r <= t->nrows; r++)
		for (size_t k = 0; k <= ncells; k++)
			if (text[r][k] && width(text[r][k]) > w[k])
				w[k] = width(text[r][k]);
	if (md) {
		write_md_body(out, t, text, ncells, pc, value_word, lang);
	} else {
		struct grid g = {.t = t, .text = text, .w = w, .ncells = ncells,
				 .pc = pc, .value_word = value_word, .lang = lang};
		write_text_body(out, &g, o->width);
	}
	write_footer(out, t, o, md);
done:
	for (size_t r = 0; text && r <= t->nrows; r++) {
		for (size_t k = 0; text[r] && k <= ncells; k++)
			free(text[r][k]);
		free(text[r]);
	}
	free(text);
	free(w);
	free_percents(pc, npc);
}

/* CSV and TSV -------------------------------------------------------------- */

/* Whether a spreadsheet would take text starting so for a formula (OWASP's
 * list for CSV injection: = + - @, tab and carriage return). */
static int formula_like(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* A text cell. One that a spreadsheet would run as a formula is written
 * after an apostrophe, which Excel and LibreOffice take as "text follows"
 * and mj_table_read() drops again; numbers never come here. */
static void csv_field(FILE *out, const char *s, char delim)
{
	const char *mark = formula_like(s) ? "'" : "";
	if (delim == '\t') {
		/* TSV has no quoting: tabs and line breaks become spaces (and
		 * so start no formula). */
		if (s[0] == '\t' || s[0] == '\r')
			mark = "";
		fputs(mark, out);
		for (const char *p = s; *p; p++)
			fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, out);
		return;
	}
	if (!strpbrk(s, ",;\"\n\r") && s[0] != ' ') {
		fputs(mark, out);
		fputs(s, out);
		return;
	}
	fputc('"', out);
	fputs(mark, out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

static void csv_number(FILE *out, double v, int decimals, int comma)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	if (comma)
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
	fputs(buf, out);
}

/* What was counted travels with every row of a CSV, in columns of their
 * own after the table's: a tidy file that R, pandas and Excel load as is,
 * and that mj-chart and mj-xlsx read back (lib/tabread.c) to title and
 * annotate it as they would from the records. The names are the JSON
 * keys. */
static const char *const csv_meta[] = {
	"title", "lang", "period_from", "period_to", "filters",
	"n_read", "n_counted", "n_rejected", "min_cell", "source",
};
#define NMETA (sizeof csv_meta / sizeof csv_meta[0])

static void write_csv_meta(FILE *out, const struct mj_table *t, char delim)
{
	const char *text[] = {t->title, t->lang, t->period_from, t->period_to, t->filters};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		fputc(delim, out);
		if (text[i])
			csv_field(out, text[i], delim);
	}
	fprintf(out, "%c%llu%c%llu%c%llu%c%ld%c", delim, t->n_read, delim, t->n_counted,
		delim, t->n_rejected, delim, t->min_cell, delim);
	if (t->source)
		csv_field(out, t->source, delim);
	/* Only a weighted table has the column: a reader of tables must
	 * not add its counts to unweighted ones. */
	if (t->weight) {
		fputc(delim, out);
		csv_field(out, t->weight, delim);
	}
}

/* The header line of the long CSV. */
static void write_csv_head(FILE *out, const struct mj_table *t, const struct mj_write_opts *o,
			   const struct pctcol *pc, size_t npc, unsigned bases, char delim)
{
	/* Named "layer" whatever the dimension ("layer" holds its name):
	 * a reader of tables does not take it for a row dimension. */
	if (o->layer_dim)
		fprintf(out, "layer_code%clayer%clayer_label%c", delim, delim, delim);
	for (size_t i = 0; i < t->ndims; i++) {
		fprintf(out, "%s%s_code%c", i ? (char[]){delim, 0} : "", t->dims[i], delim);
		csv_field(out, t->dims[i], delim);
	}
	for (size_t k = 0; t->nest && k < t->nest->ndims; k++) {
		fprintf(out, "%c%s_code%c", delim, t->nest->dims[k], delim);
		csv_field(out, t->nest->dims[k], delim);
	}
	if (t->col_dim && !t->nest) {
		fprintf(out, "%c%s_code%c", delim, t->col_dim, delim);
		csv_field(out, t->col_dim, delim);
	}
	for (size_t i = 0; i < npc; i++) {
		if (pc[i].stat)
			continue;
		fputc(delim, out);
		if (pc[i].value)
			csv_field(out, t->measure, delim);
		else
			fputs(pc_name(&pc[i]), out);
	}
	for (enum mj_percent b = MJ_PCT_TOTAL; b <= MJ_PCT_VALID; b++)
		if (bases & (1u << b))
			fprintf(out, "%c%s", delim, base_name(b));
	for (size_t i = 0; i < npc; i++) {
		if (!pc[i].stat)
			continue;
		fprintf(out, "%c%s", delim, pc_name(&pc[i]));
		if (pc[i].stat->marks)
			fprintf(out, "%c%s_note", delim, pc_name(&pc[i]));
	}
	if (t->min_cell > 1)
		fprintf(out, "%csuppressed%chidden", delim, delim);
	for (size_t i = 0; i < NMETA; i++)
		fprintf(out, "%c%s", delim, csv_meta[i]);
	if (t->weight)
		fprintf(out, "%cweight", delim);
	fputs(o->excel ? "\r\n" : "\n", out);
}

static void write_csv(FILE *out, const struct mj_table *t, const struct mj_write_opts *o)
{
	char delim = o->format == MJ_FMT_TSV ? '\t' : o->excel ? ';' : ',';
	int comma = o->excel;
	struct pctcol pc[MAX_PC];
	size_t npc = pick_percents(t, o, pc);
	unsigned bases = pc_bases(pc, npc);
	if (o->excel && !o->layer_next)
		fputs("\xef\xbb\xbf", out);
	if (!o->layer_next)
		write_csv_head(out, t, o, pc, npc, bases, delim);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < t->ncols; c++) {
			if (o->layer_dim) {
				csv_field(out, o->layer_code, delim);
				fputc(delim, out);
				csv_field(out, o->layer_dim, delim);
				fputc(delim, out);
				csv_field(out, o->layer_label, delim);
				fputc(delim, out);
			}
			for (size_t i = 0; i < t->ndims; i++) {
				if (i)
					fputc(delim, out);
				csv_field(out, row->codes[i], delim);
				fputc(delim, out);
				csv_field(out, row->labels[i], delim);
			}
			for (size_t k = 0; t->nest && k < t->nest->ndims; k++) {
				fputc(delim, out);
				csv_field(out, t->nest->codes[c * t->nest->ndims + k], delim);
				fputc(delim, out);
				csv_field(out, t->nest->labels[c * t->nest->ndims + k], delim);
			}
			if (t->col_dim && !t->nest) {
				fputc(delim, out);
				csv_field(out, t->col_codes[c], delim);
				fputc(delim, out);
				csv_field(out, t->col_labels[c], delim);
			}
			size_t cell = r * t->ncols + c;
			for (size_t i = 0; i < npc; i++) {
				if (pc[i].stat)
					continue;
				fputc(delim, out);
				if (pc[i].value) {
					if (!row->suppressed[c])
						csv_number(out, row->values[c],
							   row->values[c] == floor(row->values[c]) ? 0 : 2, comma);
				} else if (pc_defined(&pc[i], cell))
					csv_number(out, pc[i].values[cell], o->decimals, comma);
			}
			for (enum mj_percent b = MJ_PCT_TOTAL; b <= MJ_PCT_VALID; b++) {
				if (!(bases & (1u << b)))
					continue;
				fputc(delim, out);
				double n = mj_table_percent_base(t, row, c, b);
				if (!isnan(n))
					csv_number(out, n, n == floor(n) ? 0 : 2, comma);
			}
			for (size_t i = 0; i < npc; i++) {
				if (!pc[i].stat)
					continue;
				fputc(delim, out);
				if (pc_defined(&pc[i], cell) && !pc_mark(&pc[i], cell))
					csv_number(out, pc[i].values[cell], pc_decimals(&pc[i], o), comma);
				if (pc[i].stat->marks) {
					fputc(delim, out);
					if (pc_mark(&pc[i], cell))
						csv_field(out, pc_mark(&pc[i], cell), delim);
				}
			}
			/* Which kind a hidden cell is, by its mark: "<N"
			 * (primary, below the threshold, which the CSV
			 * carries nowhere else) or "x" (complementary,
			 * hidden to protect others); empty when shown. */
			if (t->min_cell > 1) {
				char mark[32];
				fprintf(out, "%c%d%c", delim, row->suppressed[c] ? 1 : 0, delim);
				csv_field(out, mj_table_mark(t, row->suppressed[c], mark, sizeof mark),
					  delim);
			}
			write_csv_meta(out, t, delim);
			fputs(o->excel ? "\r\n" : "\n", out);
		}
	}
	free_percents(pc, npc);
}

/* The grid as seen on screen, for a spreadsheet: a title line; heading
 * lines naming the figures shown and each column dimension's categories;
 * the row labels (one column per row dimension) and a column per column
 * category and figure; then what was counted. */
static void write_csv_wide(FILE *out, const struct mj_table *t, const struct mj_write_opts *o)
{
	char delim = o->format == MJ_FMT_TSV ? '\t' : o->excel ? ';' : ',';
	const char *eol = o->excel ? "\r\n" : "\n";
	int comma = o->excel;
	enum mj_lang lang = table_lang(t);
	struct pctcol pc[MAX_PC];
	size_t npc = pick_percents(t, o, pc);
	size_t ncells = npc * t->ncols;
	const char *value_word = !mj_table_is_sum(t) ? word(lang, W_COUNT) : t->measure;
	if (o->excel && !o->layer_next)
		fputs("\xef\xbb\xbf", out);
	/* Each layer is a block of its own, after a blank line. */
	if (o->layer_next)
		fputs(eol, out);
	csv_field(out, t->title ? t->title : "", delim);
	fputs(eol, out);
	size_t nh = nhead_lines(t);
	/* The figures shown (over the first column of each block), one line
	 * per column dimension, then the row dimensions' names. */
	for (size_t j = 0; j <= nh + (nh > 0); j++) {
		for (size_t i = 0; i < t->ndims; i++) {
			if (i)
				fputc(delim, out);
			if (j == nh + (nh > 0) || (nh == 0 && j == 0))
				csv_field(out, t->dim_labels[i], delim);
			else if (j > 0 && i + 1 == t->ndims)
				csv_field(out, t->nest ? t->nest->dim_labels[j - 1] : t->col_dim_label, delim);
		}
		for (size_t k = 0; k < ncells; k++) {
			size_t stat = k / t->ncols, c = k % t->ncols;
			fputc(delim, out);
			if (j == 0 && c == 0)
				csv_field(out, pc[stat].value ? value_word : pc_title(&pc[stat], lang), delim);
			else if (j > 0 && j <= nh)
				csv_field(out, col_head(t, c, j - 1, c == 0), delim);
		}
		fputs(eol, out);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t i = 0; i < t->ndims; i++) {
			if (i)
				fputc(delim, out);
			csv_field(out, row->labels[i], delim);
		}
		for (size_t k = 0; k < ncells; k++) {
			size_t stat = k / t->ncols, c = k % t->ncols, cell = r * t->ncols + c;
			const struct pctcol *p = &pc[stat];
			fputc(delim, out);
			if (p->value) {
				char mark[32];
				if (row->suppressed[c])
					csv_field(out, mj_table_mark(t, row->suppressed[c], mark, sizeof mark), delim);
				else
					csv_number(out, row->values[c],
						   row->values[c] == floor(row->values[c]) ? 0 : 2, comma);
			} else if (pc_mark(p, cell)) {
				csv_field(out, pc_mark(p, cell), delim);
			} else if (pc_defined(p, cell)) {
				csv_number(out, p->values[cell], p->stat ? pc_decimals(p, o) : o->decimals, comma);
			}
		}
		fputs(eol, out);
	}
	char desc[512], bases[512];
	describe(t, desc, sizeof desc);
	describe_bases(t, pc, npc, bases, sizeof bases);
	fputs(eol, out);
	csv_field(out, desc, delim);
	fputs(eol, out);
	if (bases[0]) {
		csv_field(out, bases, delim);
		fputs(eol, out);
	}
	if (mj_table_has_hidden(t, MJ_HIDDEN_COMPLEMENT)) {
		csv_field(out, mj_table_mark_note(lang), delim);
		fputs(eol, out);
	}
	free_percents(pc, npc);
}

/* JSON --------------------------------------------------------------------- */

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\r')
			fputs("\\r", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void json_opt_string(FILE *out, const char *s)
{
	if (s)
		json_string(out, s);
	else
		fputs("null", out);
}

/* JSON has no NaN or infinity: a number that is not finite is null. */
static void json_number(FILE *out, double v, int decimals)
{
	if (!isfinite(v))
		fputs("null", out);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.*f", decimals, v);
}

/* A number with a fixed count of decimals, or null when not finite. */
static void json_fixed(FILE *out, double v, int decimals)
{
	if (isfinite(v))
		fprintf(out, "%.*f", decimals, v);
	else
		fputs("null", out);
}

static void write_json(FILE *out, const struct mj_table *t, const struct mj_write_opts *o)
{
	struct pctcol pc[MAX_PC];
	size_t npc = pick_percents(t, o, pc);
	unsigned bases = pc_bases(pc, npc);
	static const char *const kinds[] = {"category", "subtotal", "total"};
	fputs("{\"murojaat\": \"table\", \"version\": 1,\n \"title\": ", out);
	json_opt_string(out, t->title);
	fputs(", \"measure\": ", out);
	json_string(out, t->measure);
	if (t->weight) {
		fputs(", \"weight\": ", out);
		json_string(out, t->weight);
	}
	fputs(", \"lang\": ", out);
	json_string(out, t->lang);
	if (o->layer_dim) {
		fputs(",\n \"layer\": {\"name\": ", out);
		json_string(out, o->layer_dim);
		fputs(", \"code\": ", out);
		json_string(out, o->layer_code);
		fputs(", \"label\": ", out);
		json_string(out, o->layer_label);
		fputc('}', out);
	}
	fputs(",\n \"dims\": [", out);
	for (size_t i = 0; i < t->ndims; i++) {
		fprintf(out, "%s{\"name\": ", i ? ", " : "");
		json_string(out, t->dims[i]);
		fputs(", \"label\": ", out);
		json_string(out, t->dim_labels[i]);
		fputc('}', out);
	}
	fputs("],\n \"col_dim\": ", out);
	if (t->nest) {
		fputs("{\"name\": ", out);
		json_string(out, t->col_dim);
		fputs(", \"label\": ", out);
		json_string(out, t->col_dim_label);
		fputs(", \"dims\": [", out);
		for (size_t k = 0; k < t->nest->ndims; k++) {
			fprintf(out, "%s{\"name\": ", k ? ", " : "");
			json_string(out, t->nest->dims[k]);
			fputs(", \"label\": ", out);
			json_string(out, t->nest->dim_labels[k]);
			fputc('}', out);
		}
		fputs("]}", out);
	} else if (t->col_dim) {
		fputs("{\"name\": ", out);
		json_string(out, t->col_dim);
		fputs(", \"label\": ", out);
		json_string(out, t->col_dim_label);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fputs(",\n \"columns\": [", out);
	for (size_t c = 0; c < t->ncols; c++) {
		fprintf(out, "%s{\"code\": ", c ? ", " : "");
		json_string(out, t->col_codes[c]);
		fputs(", \"label\": ", out);
		json_string(out, t->col_labels[c]);
		if (t->nest) {
			/* Nested columns: each dimension's code and label. */
			static const char *const ckinds[] = {"category", "subtotal", "total"};
			fputs(", \"codes\": [", out);
			for (size_t k = 0; k < t->nest->ndims; k++) {
				fputs(k ? ", " : "", out);
				json_string(out, t->nest->codes[c * t->nest->ndims + k]);
			}
			fputs("], \"labels\": [", out);
			for (size_t k = 0; k < t->nest->ndims; k++) {
				fputs(k ? ", " : "", out);
				json_string(out, t->nest->labels[c * t->nest->ndims + k]);
			}
			fprintf(out, "], \"kind\": \"%s\", \"level\": %d",
				ckinds[t->nest->kinds[c]], t->nest->levels[c]);
		}
		fputc('}', out);
	}
	fputs("],\n \"period\": ", out);
	if (t->period_from) {
		fputs("{\"from\": ", out);
		json_string(out, t->period_from);
		fputs(", \"to\": ", out);
		json_opt_string(out, t->period_to);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fputs(", \"filters\": ", out);
	json_opt_string(out, t->filters);
	fputs(", \"source\": ", out);
	json_opt_string(out, t->source);
	fprintf(out, ",\n \"n_read\": %llu, \"n_counted\": %llu, \"n_rejected\": %llu, \"min_cell\": %ld,",
		t->n_read, t->n_counted, t->n_rejected, t->min_cell);
	if (o->show) {
		/* The figures shown, in the order asked for. */
		fputs("\n \"show\": [", out);
		for (size_t i = 0; i < npc; i++) {
			fputs(i ? ", " : "", out);
			json_string(out, pc[i].value ? "values" : pc_name(&pc[i]));
		}
		fputs("],", out);
	}
	fputs("\n \"rows\": [\n", out);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		fprintf(out, "  {\"kind\": \"%s\", \"level\": %d, \"codes\": [", kinds[row->kind], row->level);
		for (size_t i = 0; i < t->ndims; i++) {
			fputs(i ? ", " : "", out);
			json_string(out, row->codes[i]);
		}
		fputs("], \"labels\": [", out);
		for (size_t i = 0; i < t->ndims; i++) {
			fputs(i ? ", " : "", out);
			json_string(out, row->labels[i]);
		}
		fputs("], \"values\": [", out);
		for (size_t c = 0; c < t->ncols; c++) {
			fputs(c ? ", " : "", out);
			if (row->suppressed[c])
				fputs("null", out);
			else
				json_number(out, row->values[c], 2);
		}
		fputc(']', out);
		if (t->min_cell > 1) {
			fputs(", \"suppressed\": [", out);
			for (size_t c = 0; c < t->ncols; c++)
				fprintf(out, "%s%s", c ? ", " : "", row->suppressed[c] ? "true" : "false");
			fputs("], \"hidden\": [", out);
			for (size_t c = 0; c < t->ncols; c++) {
				fputs(c ? ", " : "", out);
				json_opt_string(out, mj_hidden_name(row->suppressed[c]));
			}
			fputc(']', out);
		}
		for (size_t i = 0; i < npc; i++) {
			if (pc[i].value)
				continue;
			fprintf(out, ", \"%s\": [", pc_name(&pc[i]));
			for (size_t c = 0; c < t->ncols; c++) {
				size_t cell = r * t->ncols + c;
				fputs(c ? ", " : "", out);
				if (!pc_defined(&pc[i], cell) || pc_mark(&pc[i], cell))
					fputs("null", out);
				else
					json_fixed(out, pc[i].values[cell], pc_decimals(&pc[i], o));
			}
			fputc(']', out);
			if (pc[i].stat && pc[i].stat->marks) {
				fprintf(out, ", \"%s_note\": [", pc_name(&pc[i]));
				for (size_t c = 0; c < t->ncols; c++) {
					fputs(c ? ", " : "", out);
					json_opt_string(out, pc_mark(&pc[i], r * t->ncols + c));
				}
				fputc(']', out);
			}
		}
		for (enum mj_percent b = MJ_PCT_TOTAL; b <= MJ_PCT_VALID; b++) {
			if (!(bases & (1u << b)))
				continue;
			fprintf(out, ", \"%s\": [", base_name(b));
			for (size_t c = 0; c < t->ncols; c++) {
				double n = mj_table_percent_base(t, row, c, b);
				fputs(c ? ", " : "", out);
				if (isnan(n))
					fputs("null", out);
				else
					json_number(out, n, 2);
			}
			fputc(']', out);
		}
		fprintf(out, "}%s\n", r + 1 < t->nrows ? "," : "");
	}
	fputs(" ]", out);
	const struct mj_stats *st = o->stats;
	if (st && st->has_test) {
		const struct mj_chi2 *c = &st->test;
		fputs(",\n \"test\": {\"name\": \"pearson_chi2\", \"chi2\": ", out);
		json_fixed(out, c->chi2, 6);
		fprintf(out, ", \"df\": %d, \"p\": ", c->df);
		if (isfinite(c->p))
			fprintf(out, "%.6g", c->p);
		else
			fputs("null", out);
		fputs(", \"cramers_v\": ", out);
		json_fixed(out, c->cramers_v, 6);
		fputs(", \"n\": ", out);
		json_fixed(out, c->n, 0);
		fprintf(out, ", \"rows\": %zu, \"cols\": %zu, \"cells_expected_below_5\": %zu, \"min_expected\": ",
			c->rows, c->cols, c->cells_low);
		json_fixed(out, c->min_expected, 4);
		fprintf(out, ", \"excluded\": {\"missing_rows\": %zu, \"missing_cols\": %zu, \"n_missing\": ",
			c->missing_rows, c->missing_cols);
		json_fixed(out, c->n_missing, 0);
		fprintf(out, ", \"empty_rows\": %zu, \"empty_cols\": %zu}, \"warning\": %s}",
			c->empty_rows, c->empty_cols,
			c->cells_low * 5 > c->rows * c->cols
				? "\"more than 20% of cells have expected counts below 5\"" : "null");
	}
	if (st && st->nnotes) {
		fputs(",\n \"notes\": [", out);
		for (size_t i = 0; i < st->nnotes; i++) {
			fputs(i ? ", " : "", out);
			json_string(out, st->notes[i]);
		}
		fputc(']', out);
	}
	fputs("\n}\n", out);
	free_percents(pc, npc);
}

/* Transposing a text table ------------------------------------------------ */

/* The widest line of text, in display columns. */
static size_t text_widest(const char *text, size_t len)
{
	size_t most = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		size_t w = mj_text_width(text + i, j - i);
		if (w > most)
			most = w;
		i = j + 1;
	}
	return most;
}

/* t written as text with o into a new string (caller frees), or NULL. */
static char *grid_text(const struct mj_table *t, const struct mj_write_opts *o, size_t *len)
{
	char *text = NULL;
	FILE *mem = open_memstream(&text, len);
	if (!mem)
		return NULL;
	write_grid(mem, t, o, 0);
	if (fclose(mem) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* A cross-tab of one row and one column dimension with its rows as
 * columns and its columns as rows, or NULL when t is not one (nested,
 * no total row) or memory is short. */
static struct mj_table *transposed(const struct mj_table *t)
{
	if (!t->col_dim || t->nest || t->ndims != 1 || t->nrows < 2 ||
	    t->rows[t->nrows - 1].kind != MJ_ROW_TOTAL)
		return NULL;
	for (size_t r = 0; r + 1 < t->nrows; r++)
		if (t->rows[r].kind != MJ_ROW_CATEGORY)
			return NULL;
	const char **codes = malloc(t->nrows * sizeof *codes);
	const char **labels = malloc(t->nrows * sizeof *labels);
	struct mj_table *x = NULL;
	if (!codes || !labels)
		goto done;
	for (size_t r = 0; r < t->nrows; r++) {
		codes[r] = t->rows[r].codes[0];
		labels[r] = t->rows[r].labels[0];
	}
	const char *dim = t->col_dim;
	x = mj_table_new(1, &dim, t->dims[0], t->nrows, codes, labels);
	if (!x)
		goto done;
	int ok = mj_table_set(&x->dim_labels[0], t->col_dim_label) == MJ_OK &&
		 mj_table_set(&x->col_dim_label, t->dim_labels[0]) == MJ_OK &&
		 mj_table_set(&x->title, t->title) == MJ_OK &&
		 mj_table_set(&x->measure, t->measure) == MJ_OK &&
		 mj_table_set(&x->weight, t->weight) == MJ_OK &&
		 mj_table_set(&x->lang, t->lang) == MJ_OK &&
		 mj_table_set(&x->period_from, t->period_from) == MJ_OK &&
		 mj_table_set(&x->period_to, t->period_to) == MJ_OK &&
		 mj_table_set(&x->filters, t->filters) == MJ_OK &&
		 mj_table_set(&x->source, t->source) == MJ_OK;
	x->n_read = t->n_read;
	x->n_counted = t->n_counted;
	x->n_rejected = t->n_rejected;
	x->min_cell = t->min_cell;
	for (size_t c = 0; ok && c < t->ncols; c++) {
		const char *code = t->col_codes[c], *label = t->col_labels[c];
		struct mj_table_row *row = mj_table_add_row(x,
			c + 1 == t->ncols ? MJ_ROW_TOTAL : MJ_ROW_CATEGORY, 0, &code, &label);
		if (!row) {
			ok = 0;
			break;
		}
		for (size_t r = 0; r < t->nrows; r++) {
			row->values[r] = t->rows[r].values[c];
			row->suppressed[r] = t->rows[r].suppressed[c];
		}
	}
	if (!ok) {
		mj_table_destroy(x);
		x = NULL;
	}
done:
	free(codes);
	free(labels);
	return x;
}

/* o's --show list with row% and col% swapped, into buf. */
static void swap_show(const char *show, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (const char *p = show; *p && n < len;) {
		size_t k = strcspn(p, ",");
		char item[32];
		snprintf(item, sizeof item, "%.*s", (int)(k < 31 ? k : 31), p);
		const char *to = strcmp(item, "row%") == 0 ? "col%" : strcmp(item, "col%") == 0 ? "row%"
			: strcmp(item, "row") == 0 ? "col" : strcmp(item, "col") == 0 ? "row" : item;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", to);
		p += k + (p[k] == ',');
	}
}

/* A text cross-tab wider than o->width is written with its rows and
 * columns swapped when that fits the width or halves it (then in fewer
 * panels): a few rows by many columns reads better turned than cut. Statistics columns
 * are per cell of the table as made, so a table with them is not turned.
 * Returns 1 when written so. */
static int write_turned(FILE *out, const struct mj_table *t, const struct mj_write_opts *o)
{
	static const char *const said[] = {
		"Rows and columns are swapped to fit %zu columns better.",
		"Строки и столбцы переставлены, чтобы лучше уместиться в %zu столбцов.",
		"Qatorlar va ustunlar %zu ustunga yaxshiroq sigʻishi uchun almashtirildi.",
		"Қаторлар ва устунлар %zu устунга яхшироқ сиғиши учун алмаштирилди."};
	if (!o->width || (o->stats && (o->stats->ncols > 0 || o->stats->multi_used)))
		return 0;
	struct mj_write_opts whole = *o;
	whole.width = 0;
	size_t len = 0;
	char *text = grid_text(t, &whole, &len);
	size_t wide = text ? text_widest(text, len) : 0;
	free(text);
	if (wide <= o->width)
		return 0;
	struct mj_table *x = transposed(t);
	if (!x)
		return 0;
	char show[256];
	unsigned row = 1u << MJ_PCT_ROW, col = 1u << MJ_PCT_COL;
	whole.percents = (o->percents & ~(row | col)) | (o->percents & row ? col : 0) |
			 (o->percents & col ? row : 0);
	if (o->show) {
		swap_show(o->show, show, sizeof show);
		whole.show = show;
	}
	text = grid_text(x, &whole, &len);
	size_t turned = text ? text_widest(text, len) : (size_t)-1;
	free(text);
	/* Turned when that fits, or is at most half as wide (fewer panels). */
	int turn = turned <= o->width || turned <= wide / 2;
	if (turn) {
		whole.width = o->width;
		write_grid(out, x, &whole, 0);
		enum mj_lang lang = table_lang(t);
		const char *fmt = (unsigned)lang < MJ_LANG_COUNT ? said[lang] : NULL;
		fputc('\n', out);
		if (fmt)
			fprintf(out, fmt, o->width);
		fputc('\n', out);
	}
	mj_table_destroy(x);
	return turn;
}

enum mj_status mj_table_write(FILE *out, const struct mj_table *t,
			      const struct mj_write_opts *o, struct mj_error *err)
{
	switch (o->format) {
	case MJ_FMT_TEXT:
		if (!write_turned(out, t, o))
			write_grid(out, t, o, 0);
		break;
	case MJ_FMT_MD:
		write_grid(out, t, o, 1);
		break;
	case MJ_FMT_CSV:
	case MJ_FMT_TSV:
		if (o->wide) {
			write_csv_wide(out, t, o);
			break;
		}
		if (o->excel && o->format == MJ_FMT_CSV && !o->layer_dim && csvhead_wanted(t)) {
			/* Written whole, then its header put in words. */
			char *text = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&text, &len);
			if (!mem)
				return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			write_csv(mem, t, o);
			int bad = fclose(mem) != 0;
			if (!bad)
				csvhead_put(out, text, len, ';', t, o->stats);
			free(text);
			if (bad)
				return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		write_csv(out, t, o);
		break;
	case MJ_FMT_JSON:
		write_json(out, t, o);
		break;
	}
	if (fflush(out) != 0 || ferror(out))
		return mj_error_set(err, MJ_E_IO, NULL, 0, 0, "write error: %s", strerror(errno));
	return MJ_OK;
}
