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
	o->percents = 1u << (t && t->col_dim ? MJ_PCT_ROW : MJ_PCT_TOTAL);
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
static const char *const W_SUM[] = {"Sum", "Сумма", "Yig'indi", "Йиғинди"};
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
		"n = %s hisobga olindi, o'qildi %s, rad etildi %s",
		"n = %s ҳисобга олинди, ўқилди %s, рад этилди %s"};
	size_t n = (size_t)snprintf(buf, len, fmt[lang], a, b, c);
	if (n < len && t->period_from)
		n += (size_t)snprintf(buf + n, len - n, " · %s – %s", t->period_from,
				      t->period_to ? t->period_to : "");
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " · %s: %s",
				      lang == MJ_LANG_EN ? "filters" : lang == MJ_LANG_RU ? "фильтры" : "filtr",
				      t->filters ? t->filters : "—");
	if (n < len && t->min_cell > 1)
		snprintf(buf + n, len - n, " · <%ld %s", t->min_cell,
			 lang == MJ_LANG_EN ? "suppressed" : lang == MJ_LANG_RU ? "скрыто" : "yashirilgan");
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
	enum mj_percent base;
	int cumulative;
	const char *const *title;
	double *values;
	const struct mj_stat_col *stat;
};

#define MAX_PC (5 + MJ_STATS_MAXCOLS)

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
		if (!pc[i].stat)
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

static size_t pick_percents(const struct mj_table *t, const struct mj_write_opts *o,
			    struct pctcol *cols)
{
	size_t n = 0;
	static const enum mj_percent order[] = {MJ_PCT_TOTAL, MJ_PCT_VALID, MJ_PCT_ROW, MJ_PCT_COL};
	for (size_t i = 0; i < 4; i++) {
		if (!(o->percents & (1u << order[i])))
			continue;
		cols[n].base = order[i];
		cols[n].cumulative = 0;
		cols[n].stat = NULL;
		cols[n].title = order[i] == MJ_PCT_TOTAL ? W_PCT : order[i] == MJ_PCT_VALID ? W_VALID
			: order[i] == MJ_PCT_ROW ? W_ROWPCT : W_COLPCT;
		cols[n].values = mj_table_percents(t, order[i], o->decimals, o->round_largest);
		multi_sums(t, o, order[i], cols[n].values);
		n++;
	}
	if (o->cumulative && !t->col_dim) {
		enum mj_percent base = (o->percents & (1u << MJ_PCT_VALID)) ? MJ_PCT_VALID : MJ_PCT_TOTAL;
		double *p = mj_table_percents(t, base, o->decimals, o->round_largest);
		if (p) {
			/* Running sum over top-level rows, as SPSS prints it. */
			double run = 0;
			for (size_t r = 0; r < t->nrows; r++) {
				const struct mj_table_row *row = &t->rows[r];
				if (row->level == 0 && row->kind != MJ_ROW_TOTAL && p[r] >= 0) {
					run += p[r];
					p[r] = round_to(run, o->decimals);
				} else {
					p[r] = -1;
				}
			}
		}
		cols[n].base = base;
		cols[n].cumulative = 1;
		cols[n].stat = NULL;
		cols[n].title = W_CUM;
		cols[n].values = p;
		n++;
	}
	for (size_t i = 0; o->stats && i < o->stats->ncols; i++) {
		cols[n].base = MJ_PCT_NONE;
		cols[n].cumulative = 0;
		cols[n].title = NULL;
		cols[n].stat = &o->stats->cols[i];
		cols[n].values = o->stats->cols[i].values;
		n++;
	}
	return n;
}

static void free_percents(struct pctcol *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cols[i].stat)
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
	static const char *const w_valid1[] = {
		"valid %% of n = %s (not stated excluded)", "валидный %% от n = %s (без «не указано»)",
		"haqiqiy %% n = %s dan (ko'rsatilmagansiz)", "ҳақиқий %% n = %s дан (кўрсатилмагансиз)"};
	static const char *const w_valid2[] = {
		"valid % of each column's total without not stated", "валидный % от итога столбца без «не указано»",
		"haqiqiy % ustun jamidan, ko'rsatilmagansiz", "ҳақиқий % устун жамидан, кўрсатилмагансиз"};
	static const char *const w_row[] = {
		"row % of each row's total (the Total column)", "% по строке от итога строки (столбец «Всего»)",
		"qator % qator jamidan (Jami ustuni)", "қатор % қатор жамидан (Жами устуни)"};
	static const char *const w_col[] = {
		"column % of each column's total (the Total row)", "% по столбцу от итога столбца (строка «Всего»)",
		"ustun % ustun jamidan (Jami qatori)", "устун % устун жамидан (Жами қатори)"};
	static const char *const w_nested[] = {
		"; nested rows: valid % of their group", "; вложенные строки: валидный % от своей группы",
		"; ichki qatorlar: o'z guruhidan haqiqiy %", "; ички қаторлар: ўз гуруҳидан ҳақиқий %"};
	const struct mj_table_row *total = mj_table_total(t);
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
			n += (size_t)snprintf(buf + n, len - n, w_total[lang], num);
		} else if (b == MJ_PCT_VALID && !t->col_dim) {
			double v = total ? mj_table_percent_base(t, total, 0, MJ_PCT_VALID) : NAN;
			if (isnan(v))
				snprintf(num, sizeof num, "—");
			else
				mj_format_number(v, v == floor(v) ? 0 : 2, lang, num, sizeof num);
			n += (size_t)snprintf(buf + n, len - n, w_valid1[lang], num);
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
	size_t ncells = t->col_dim ? (1 + npc) * t->ncols : 1 + npc;
	char ***text = calloc(t->nrows + 1, sizeof *text);
	size_t *w = calloc(ncells + 1, sizeof *w);
	if (!text || !w)
		goto done;
	const char *value_word = strcmp(t->measure, "count") == 0 ? word(lang, W_COUNT) : t->measure;
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
		const char *name = stat == 0 ? value_word : pc_title(&pc[stat - 1], lang);
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
			if (stat == 0)
				cell_count(t, row, col, lang, buf, sizeof buf);
			else
				cell_stat(&pc[stat - 1], r * t->ncols + col, o, lang, buf, sizeof buf);
			text[r][k + 1] = strdup(buf);
		}
	}
	for (size_t r = 0; r <= t->nrows; r++)
		for (size_t k = 0; k <= ncells; k++)
			if (text[r][k] && width(text[r][k]) > w[k])
				w[k] = width(text[r][k]);
	/* Cross-tab: a line naming the column categories above the numbers. */
	if (t->col_dim) {
		for (size_t k = 0; k < ncells; k++) {
			const char *label = t->col_labels[k % t->ncols];
			if (width(label) > w[k + 1])
				w[k + 1] = width(label);
		}
		if (md) {
			fputs("| ", out);
			md_cell(out, text[t->nrows][0]);
			fputs(" |", out);
			for (size_t k = 0; k < ncells; k++) {
				size_t stat = k / t->ncols;
				fprintf(out, " %s: ", stat ? pc_title(&pc[stat - 1], lang) : value_word);
				md_cell(out, t->col_labels[k % t->ncols]);
				fputs(" |", out);
			}
			fprintf(out, "\n|---|");
			for (size_t k = 0; k < ncells; k++)
				fprintf(out, "---:|");
			fputc('\n', out);
		} else {
			fprintf(out, "%s", t->col_dim_label);
			pad(out, w[0] > width(t->col_dim_label) ? w[0] - width(t->col_dim_label) : 0);
			for (size_t k = 0; k < ncells; k++) {
				const char *label = t->col_labels[k % t->ncols];
				fprintf(out, "%s", k % t->ncols == 0 && k ? "  │ " : "  ");
				pad(out, w[k + 1] - width(label));
				fputs(label, out);
			}
			fputc('\n', out);
		}
	}
	for (size_t rr = 0; rr <= t->nrows; rr++) {
		size_t r = rr == 0 ? t->nrows : rr - 1; /* header first */
		if (md && t->col_dim && r == t->nrows)
			continue;
		int total = r < t->nrows && t->rows[r].kind != MJ_ROW_CATEGORY && t->rows[r].level == 0;
		if (md) {
			fprintf(out, "|");
			for (size_t k = 0; k <= ncells; k++) {
				int bold = total && r < t->nrows && t->rows[r].kind == MJ_ROW_TOTAL;
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
			continue;
		}
		if (r < t->nrows && t->rows[r].kind == MJ_ROW_TOTAL) {
			size_t all = w[0];
			for (size_t k = 0; k < ncells; k++)
				all += w[k + 1] + 2 + (t->col_dim && k % t->ncols == 0 && k ? 2 : 0);
			for (size_t i = 0; i < all; i++)
				fputs("─", out);
			fputc('\n', out);
		}
		fputs(text[r][0], out);
		pad(out, w[0] - width(text[r][0]));
		for (size_t k = 0; k < ncells; k++) {
			fprintf(out, "%s", t->col_dim && k % t->ncols == 0 && k ? "  │ " : "  ");
			pad(out, w[k + 1] - width(text[r][k + 1]));
			fputs(text[r][k + 1], out);
		}
		fputc('\n', out);
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
}

static void write_csv(FILE *out, const struct mj_table *t, const struct mj_write_opts *o)
{
	char delim = o->format == MJ_FMT_TSV ? '\t' : o->excel ? ';' : ',';
	int comma = o->excel;
	struct pctcol pc[MAX_PC];
	size_t npc = pick_percents(t, o, pc);
	unsigned bases = pc_bases(pc, npc);
	if (o->excel)
		fputs("\xef\xbb\xbf", out);
	for (size_t i = 0; i < t->ndims; i++) {
		fprintf(out, "%s%s_code%c", i ? (char[]){delim, 0} : "", t->dims[i], delim);
		csv_field(out, t->dims[i], delim);
	}
	if (t->col_dim) {
		fprintf(out, "%c%s_code%c", delim, t->col_dim, delim);
		csv_field(out, t->col_dim, delim);
	}
	fputc(delim, out);
	csv_field(out, t->measure, delim);
	for (size_t i = 0; i < npc; i++)
		if (!pc[i].stat)
			fprintf(out, "%c%s", delim, pc_name(&pc[i]));
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
	fputs(o->excel ? "\r\n" : "\n", out);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < t->ncols; c++) {
			for (size_t i = 0; i < t->ndims; i++) {
				if (i)
					fputc(delim, out);
				csv_field(out, row->codes[i], delim);
				fputc(delim, out);
				csv_field(out, row->labels[i], delim);
			}
			if (t->col_dim) {
				fputc(delim, out);
				csv_field(out, t->col_codes[c], delim);
				fputc(delim, out);
				csv_field(out, t->col_labels[c], delim);
			}
			fputc(delim, out);
			if (!row->suppressed[c])
				csv_number(out, row->values[c],
					   row->values[c] == floor(row->values[c]) ? 0 : 2, comma);
			size_t cell = r * t->ncols + c;
			for (size_t i = 0; i < npc; i++) {
				if (pc[i].stat)
					continue;
				fputc(delim, out);
				if (pc_defined(&pc[i], cell))
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
	fputs(", \"lang\": ", out);
	json_string(out, t->lang);
	fputs(",\n \"dims\": [", out);
	for (size_t i = 0; i < t->ndims; i++) {
		fprintf(out, "%s{\"name\": ", i ? ", " : "");
		json_string(out, t->dims[i]);
		fputs(", \"label\": ", out);
		json_string(out, t->dim_labels[i]);
		fputc('}', out);
	}
	fputs("],\n \"col_dim\": ", out);
	if (t->col_dim) {
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
	fprintf(out, ",\n \"n_read\": %llu, \"n_counted\": %llu, \"n_rejected\": %llu, \"min_cell\": %ld,\n \"rows\": [\n",
		t->n_read, t->n_counted, t->n_rejected, t->min_cell);
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

enum mj_status mj_table_write(FILE *out, const struct mj_table *t,
			      const struct mj_write_opts *o, struct mj_error *err)
{
	switch (o->format) {
	case MJ_FMT_TEXT:
		write_grid(out, t, o, 0);
		break;
	case MJ_FMT_MD:
		write_grid(out, t, o, 1);
		break;
	case MJ_FMT_CSV:
	case MJ_FMT_TSV:
		if (o->excel && o->format == MJ_FMT_CSV && csvhead_wanted(t)) {
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
