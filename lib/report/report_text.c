/* The report's narrative, in the manner of the published breakdowns: whole
 * sentences with counts and percents in the report's language. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "report_internal.h"
#include "trend.h"
#include "schema_internal.h"
#include "text.h"

void report_filters_text(const struct report *r, const char *filters, char *buf,
			 size_t len)
{
	GString *s = g_string_new(" · ");
	report_append_word(s, r, "with_filters", filters);
	snprintf(buf, len, "%s", s->str);
	g_string_free(s, TRUE);
}

static char *num(const struct report *r, double v, char *buf, size_t len)
{
	return mj_format_number(v, -1, r->lang, buf, len);
}

/* Month names as the comparison phrase needs them: English, Russian in
 * the dative ("к июлю"), Uzbek in Latin and Cyrillic. */
static const char *const month_names[MJ_LANG_COUNT][12] = {
	{"January", "February", "March", "April", "May", "June", "July",
	 "August", "September", "October", "November", "December"},
	{"январю", "февралю", "марту", "апрелю", "маю", "июню", "июлю",
	 "августу", "сентябрю", "октябрю", "ноябрю", "декабрю"},
	{"yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul",
	 "avgust", "sentabr", "oktabr", "noyabr", "dekabr"},
	{"январь", "февраль", "март", "апрель", "май", "июнь", "июль",
	 "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
};

char *report_compare_phrase(const struct report *r, char *buf, size_t len)
{
	const char *p = r->compare_period;
	int y, m, q, y2, m2;
	char extra;
	size_t lang = r->lang < MJ_LANG_COUNT ? r->lang : 0;
	if (sscanf(p, "%4d-%2d%c", &y, &m, &extra) == 2 && strlen(p) == 7 && m >= 1 && m <= 12) {
		static const char *const fmt[] = {"compared with %s %d", "к\u00a0%s %d\u00a0г.",
						  "%2$d-yil\u00a0%1$s oyiga nisbatan",
						  "%2$d\u00a0йил %1$s ойига нисбатан"};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(buf, len, fmt[lang], month_names[lang][m - 1], y);
	} else if (sscanf(p, "%4d-Q%d%c", &y, &q, &extra) == 2 && strlen(p) == 7) {
		static const char *const fmt[] = {"compared with Q%d %d", "к\u00a0%d-му кварталу %d\u00a0г.",
						  "%2$d-yil\u00a0%1$d-choragiga nisbatan",
						  "%2$d\u00a0йил %1$d-чорагига нисбатан"};
		snprintf(buf, len, fmt[lang], q, y);
	} else if (sscanf(p, "%4d%c", &y, &extra) == 1 && strlen(p) == 4) {
		static const char *const fmt[] = {"compared with %d", "к\u00a0%d\u00a0г.", "%d-yilga nisbatan",
						  "%d\u00a0йилга нисбатан"};
		snprintf(buf, len, fmt[lang], y);
	} else if (sscanf(p, "%4d-%2d..%4d-%2d%c", &y, &m, &y2, &m2, &extra) == 4 &&
		   strlen(p) == 16 && m >= 1 && m <= 12 && m2 >= 1 && m2 <= 12) {
		/* Months of one year: "April–June 2023"; of two, each with its
		 * year. Russian takes both months in the dative ("к апрелю–июню"),
		 * but a period across years as "к периоду" with the nominative. */
		static const char *const ru_nom[12] = {"январь", "февраль", "март", "апрель",
			"май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"};
		const char *a = month_names[lang][m - 1], *b = month_names[lang][m2 - 1];
		if (y == y2) {
			static const char *const fmt[] = {"compared with %s–%s %d", "к\u00a0%s–%s %d\u00a0г.",
							  "%3$d-yil\u00a0%1$s–%2$s davriga nisbatan",
							  "%3$d\u00a0йил %1$s–%2$s даврига нисбатан"};
			snprintf(buf, len, fmt[lang], a, b, y);
		} else {
			static const char *const fmt[] = {"compared with %s %d – %s %d",
							  "к периоду %s %d\u00a0г.\u00a0– %s %d\u00a0г.",
							  "%2$d-yil\u00a0%1$s – %4$d-yil\u00a0%3$s davriga nisbatan",
							  "%2$d\u00a0йил %1$s – %4$d\u00a0йил %3$s даврига нисбатан"};
			if (lang == MJ_LANG_RU) {
				a = ru_nom[m - 1];
				b = ru_nom[m2 - 1];
			}
			snprintf(buf, len, fmt[lang], a, y, b, y2);
		}
	} else {
		/* Dates: "2023-07-20 – 2023-08-04". */
		static const char *const fmt[] = {"compared with %s", "к периоду %s", "%s davriga nisbatan",
						  "%s даврига нисбатан"};
		char range[80];
		const char *dots = strstr(p, "..");
		if (dots)
			snprintf(range, sizeof range, "%.*s – %s", (int)(dots - p), p, dots + 2);
		else
			snprintf(range, sizeof range, "%s", p);
		snprintf(buf, len, fmt[lang], range);
#pragma GCC diagnostic pop
	}
	return buf;
}

char *report_period_name(const struct report *r, const char *p, char *buf, size_t len)
{
	int y, m, q, y2, m2;
	char extra;
	size_t lang = r->lang < MJ_LANG_COUNT ? r->lang : 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (sscanf(p, "%4d-%2d%c", &y, &m, &extra) == 2 && strlen(p) == 7 && m >= 1 && m <= 12) {
		report_trend_month(r, mj_period_month(y, m), 4, buf, len);
	} else if (sscanf(p, "%4d-Q%d%c", &y, &q, &extra) == 2 && strlen(p) == 7) {
		static const char *const fmt[] = {"Q%d %d", "%d-й квартал %d\u00a0г.",
						  "%2$d-yil\u00a0%1$d-chorak", "%2$d\u00a0йил %1$d-чорак"};
		snprintf(buf, len, fmt[lang], q, y);
	} else if (sscanf(p, "%4d%c", &y, &extra) == 1 && strlen(p) == 4) {
		static const char *const fmt[] = {"%d", "%d\u00a0г.", "%d-yil", "%d йил"};
		snprintf(buf, len, fmt[lang], y);
	} else if (sscanf(p, "%4d-%2d..%4d-%2d%c", &y, &m, &y2, &m2, &extra) == 4 &&
		   strlen(p) == 16 && m >= 1 && m <= 12 && m2 >= 1 && m2 <= 12) {
		report_trend_range(r, mj_period_month(y, m), mj_period_month(y2, m2), buf, len);
	} else {
		const char *dots = strstr(p, "..");
		char from[16] = "";
		if (dots && dots - p < (ptrdiff_t)sizeof from)
			memcpy(from, p, (size_t)(dots - p));
		report_range(r, dots ? from : p, dots ? dots + 2 : p, buf, len);
	}
#pragma GCC diagnostic pop
	/* A heading starts with a capital: "Июль 2023 г.". */
	gunichar c = g_utf8_get_char(buf);
	if (g_unichar_islower(c)) {
		char up[8];
		int n = g_unichar_to_utf8(g_unichar_toupper(c), up);
		if (n == g_utf8_next_char(buf) - buf)
			memcpy(buf, up, (size_t)n);
	}
	return buf;
}

double report_stat(const struct report *r, size_t sec, const char *name,
		   size_t i, size_t col, const char **mark, int *decimals)
{
	if (mark)
		*mark = NULL;
	if (decimals)
		*decimals = 1;
	if (!r->sx)
		return NAN;
	const struct mj_stat_col *sc = mj_stats_col(&r->sx[sec], name);
	if (!sc)
		return NAN;
	size_t at = i * r->t[sec]->ncols + col;
	if (mark && sc->marks)
		*mark = sc->marks[at];
	if (decimals && sc->decimals >= 0)
		*decimals = sc->decimals;
	return sc->values[at];
}

int report_change(const struct report *r, size_t sec, size_t i, size_t col,
		  double *now, double *before, double *pct)
{
	/* A suppressed count in either period has no change (NAN). */
	double compared = report_stat(r, sec, "count_compared", i, col, NULL, NULL);
	if (isnan(compared))
		return 0;
	*now = r->t[sec]->rows[i].values[col];
	*before = compared;
	*pct = compared < MJ_TREND_MIN_BASE ? NAN
	       : report_stat(r, sec, "percent_change", i, col, NULL, NULL);
	return 1;
}

int report_change_marked(double now, double before)
{
	struct mj_trend_change c;
	mj_trend_change(now, before, &c);
	return mj_trend_within_chance(&c);
}

int report_change_same(double now, double before)
{
	struct mj_trend_change c;
	mj_trend_change(now, before, &c);
	return c.diff != 0 && !c.real;
}

char *report_change_text(const struct report *r, double change, double pct,
			 char *buf, size_t len)
{
	char n[32];
	/* A typographic minus: "−7.9%", as a printed table shows it. */
	const char *sign = change > 0 ? "+" : change < 0 ? "\u2212" : "±";
	if (isnan(pct)) {
		mj_format_number(fabs(change), -1, r->lang, n, sizeof n);
		snprintf(buf, len, "%s%s", sign, n);
	} else {
		mj_format_number(fabs(pct), 1, r->lang, n, sizeof n);
		snprintf(buf, len, "%s%s%s%%", pct == 0 ? "±" : pct > 0 ? "+" : "\u2212", n,
			 report_pct_space(r));
	}
	return buf;
}

char *report_cell(const struct report *r, const struct mj_table *t, size_t i,
		  size_t col, int with_percent, char *buf, size_t len)
{
	const struct mj_table_row *row = &t->rows[i];
	if (row->suppressed[col] == MJ_HIDDEN_COMPLEMENT) {
		snprintf(buf, len, "x");
		return buf;
	}
	if (row->suppressed[col]) {
		snprintf(buf, len, "<%ld", t->min_cell > 0 ? t->min_cell : r->min_cell);
		return buf;
	}
	char n[64];
	num(r, row->values[col], n, sizeof n);
	if (!with_percent) {
		snprintf(buf, len, "%s", n);
		return buf;
	}
	double *pct = mj_table_percents(t, mj_table_default_percent(t), 1, 0);
	double p = pct ? pct[i * t->ncols + col] : -1;
	free(pct);
	if (p < 0) {
		snprintf(buf, len, "%s", n);
		return buf;
	}
	char ps[32];
	mj_format_number(p, 1, r->lang, ps, sizeof ps);
	snprintf(buf, len, "%s (%s%s%%)", n, ps, report_pct_space(r));
	return buf;
}

/* A category label inside a sentence: lower case except for names. */
static char *inline_label(const struct report *r, const char *label, int proper)
{
	(void)r;
	if (proper)
		return g_strdup(label);
	return g_utf8_strdown(label, -1);
}

/* The index of the row of table t whose innermost code is code, or -1. */
static long row_find(const struct mj_table *t, const char *code)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind == MJ_ROW_CATEGORY &&
		    strcmp(t->rows[i].codes[t->ndims - 1], code) == 0)
			return (long)i;
	return -1;
}

/* True when row i's cell in column col is hidden only to protect others:
 * the narrative names no figure for it, not even "<N", and says it is
 * withheld. */
static int withheld(const struct mj_table *t, size_t i, size_t col)
{
	return t->rows[i].suppressed[col] == MJ_HIDDEN_COMPLEMENT;
}

static int row_shown(const struct mj_table_row *row)
{
	return row->suppressed[0] || row->values[0] != 0;
}

/* Whether a label ends in a digit or "+" ("hotline 1146", "60+"): a
 * number after it would run into its own. */
static int ends_in_number(const char *label)
{
	size_t ll = strlen(label);
	return ll && (g_ascii_isdigit(label[ll - 1]) || label[ll - 1] == '+');
}

/* What stands between a label and its count in a sentence: a space, or,
 * after a label ending in a number or when dash is set, a dash. Not a
 * colon: the sentence opens with one ("By age: 0–17 — 70"). */
static const char *count_sep(const char *label, int dash)
{
	return dash || ends_in_number(label) ? "\u00a0\u2014 " : " ";
}

/* "label cell, label cell and label cell" over the level-0 category rows
 * of a one-way table (zero rows left out). */
static void append_list(GString *s, const struct report *r,
			const struct mj_table *t, int proper, int dash)
{
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind != MJ_ROW_TOTAL && t->rows[i].level == 0 &&
		    row_shown(&t->rows[i]))
			total++;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		if (row->kind == MJ_ROW_TOTAL || row->level != 0 || !row_shown(row))
			continue;
		if (shown)
			g_string_append(s, shown + 1 == total ? report_word(r, "and") : ", ");
		char cell[96];
		char *label = inline_label(r, mj_table_row_label(t, row), proper);
		if (withheld(t, i, 0))
			report_append_word(s, r, "withheld", label);
		else
			g_string_append_printf(s, "%s%s%s", label, count_sep(label, dash),
					       report_cell(r, t, i, 0, 1, cell, sizeof cell));
		g_free(label);
		shown++;
	}
	g_string_append_c(s, '.');
}

/* The section whose table t is. */
static size_t section_of(const struct report *r, const struct mj_table *t)
{
	size_t i = 0;
	while (i + 1 < r->n && r->t[i] != t)
		i++;
	return i;
}

/* How many rises and falls a change sentence names. */
#define CHANGES_TOP 3

struct change_ref {
	size_t row;
	double change, pct;
};

/* Keeps the CHANGES_TOP largest by |change| in top[] (largest first; ties
 * in table order); *n counts all that were offered. */
static void change_keep(struct change_ref *top, size_t *ntop, size_t *n,
			struct change_ref c)
{
	(*n)++;
	size_t at = *ntop;
	while (at > 0 && fabs(top[at - 1].change) < fabs(c.change))
		at--;
	if (at >= CHANGES_TOP)
		return;
	if (*ntop < CHANGES_TOP)
		(*ntop)++;
	memmove(&top[at + 1], &top[at], (*ntop - 1 - at) * sizeof *top);
	top[at] = c;
}

static void append_changes(GString *s, const struct report *r, const struct mj_table *t,
			   const struct change_ref *top, size_t ntop, int proper)
{
	/* Changes within chance say so, as the trend's do: once after the
	 * list when all of them are, else each. */
	size_t nsame = 0;
	for (size_t k = 0; k < ntop; k++) {
		const struct mj_table_row *row = &t->rows[top[k].row];
		nsame += report_change_same(row->values[0], row->values[0] - top[k].change);
	}
	int all_same = ntop > 1 && nsame == ntop;
	for (size_t k = 0; k < ntop; k++) {
		if (k)
			g_string_append(s, k + 1 == ntop ? report_word(r, "and") : ", ");
		const struct mj_table_row *row = &t->rows[top[k].row];
		/* A subtotal row names its outer category, not "Total". */
		char *label = inline_label(r, row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					   : mj_table_row_label(t, row), proper);
		char a[48], b[48];
		report_change_text(r, top[k].change, NAN, a, sizeof a);
		/* "60+ — +18", so a label's digits do not run into the
		 * change, with a mark other than the list's own. */
		const char *sep = ends_in_number(label) ? report_word(r, "change_sep") : " ";
		const struct mj_table_row *tr = &t->rows[top[k].row];
		int same = !all_same && report_change_same(tr->values[0], tr->values[0] - top[k].change);
		if (isnan(top[k].pct))
			g_string_append_printf(s, same ? "%s%s%s (%s)" : "%s%s%s", label, sep, a,
					       report_word(r, "within_chance"));
		else if (same)
			g_string_append_printf(s, "%s%s%s (%s; %s)", label, sep, a,
					       report_change_text(r, top[k].change, top[k].pct,
								  b, sizeof b),
					       report_word(r, "within_chance"));
		else
			g_string_append_printf(s, "%s%s%s (%s)", label, sep, a,
					       report_change_text(r, top[k].change, top[k].pct,
								  b, sizeof b));
		g_free(label);
	}
	if (all_same)
		g_string_append(s, report_word(r, "all_within_chance"));
}

/* "; not stated: +52 (+18.3%)" after the rises and falls, when the count
 * of records that do not state the category changed beyond chance: no
 * category, but a change in what the register records that a reader of
 * the changes should know of. */
static void append_missing_change(GString *s, const struct report *r, const struct mj_table *t,
				  long row, int proper)
{
	double now, before, pct;
	if (row < 0 || !report_change(r, section_of(r, t), (size_t)row, 0, &now, &before, &pct) ||
	    now == before || report_change_same(now, before))
		return;
	char *label = inline_label(r, mj_table_row_label(t, &t->rows[row]), proper);
	char a[48], b[48];
	report_change_text(r, now - before, NAN, a, sizeof a);
	if (isnan(pct))
		g_string_append_printf(s, "; %s: %s", label, a);
	else
		g_string_append_printf(s, "; %s: %s (%s)", label, a,
				       report_change_text(r, now - before, pct, b, sizeof b));
	g_free(label);
}

/* "Changes compared with July 2023: the largest rises A +28 (+29.2%), ...; the largest
 * falls B −10 (−7.9%)." over the stated top-level categories of a one-way
 * table; NULL when there is no comparison. */
static char *sentence_changes(const struct report *r, const struct mj_table *t,
			      int proper)
{
	if (!r->prev || !t || t->col_dim)
		return NULL;
	size_t sec = section_of(r, t);
	struct change_ref up[CHANGES_TOP], down[CHANGES_TOP];
	size_t nup = 0, ndown = 0, allup = 0, alldown = 0, compared = 0, hidden = 0;
	long missing = -1;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		double now, before, pct;
		if (row->kind == MJ_ROW_TOTAL || row->level != 0)
			continue;
		if (mj_table_row_missing(t, row)) {
			missing = (long)i;
			continue;
		}
		if (!report_change(r, sec, i, 0, &now, &before, &pct)) {
			hidden++; /* suppressed in one of the periods */
			continue;
		}
		/* None in either period: nothing to say. */
		if (now == 0 && before == 0)
			continue;
		compared++;
		struct change_ref c = {i, now - before, pct};
		if (c.change > 0)
			change_keep(up, &nup, &allup, c);
		else if (c.change < 0)
			change_keep(down, &ndown, &alldown, c);
	}
	/* "No change" only when every category was compared. */
	if (!compared || (!nup && !ndown && hidden))
		return NULL;
	char phrase[160];
	GString *s = g_string_new(NULL);
	report_append_word(s, r, "changes", report_compare_phrase(r, phrase, sizeof phrase));
	if (!nup && !ndown)
		g_string_append(s, report_word(r, "no_change"));
	if (nup) {
		g_string_append(s, report_word(r, allup > nup ? "rises" : "rise"));
		append_changes(s, r, t, up, nup, proper);
	}
	if (ndown) {
		if (nup)
			g_string_append(s, "; ");
		g_string_append(s, report_word(r, alldown > ndown ? "falls" : "fall"));
		append_changes(s, r, t, down, ndown, proper);
	}
	append_missing_change(s, r, t, missing, proper);
	g_string_append_c(s, '.');
	return g_string_free(s, FALSE);
}

/* " (+8.4% compared with July 2023: 1,436)", with ", within chance"
 * before the bracket closes when the test finds the change so. */
static void append_change_words(GString *s, const struct report *r, double now,
				double before, double pct)
{
	char c[48], phrase[160], b[48];
	report_append_word(s, r, "total_change", report_change_text(r, now - before, pct, c, sizeof c),
			   report_compare_phrase(r, phrase, sizeof phrase),
			   num(r, before, b, sizeof b));
	if (now != before && report_change_same(now, before) && s->len &&
	    s->str[s->len - 1] == ')') {
		g_string_truncate(s, s->len - 1);
		g_string_append_printf(s, ", %s)", report_word(r, "within_chance"));
	}
}

/* " (+8.4% compared with July 2023: 1,436)" after a total, or nothing. */
static void append_total_change(GString *s, const struct report *r,
				const struct mj_table *t)
{
	const struct mj_table_row *tot = t ? mj_table_total(t) : NULL;
	double now, before, pct;
	if (!tot || !report_change(r, section_of(r, t), (size_t)(tot - t->rows),
				   t->ncols - 1, &now, &before, &pct))
		return;
	append_change_words(s, r, now, before, pct);
}

/* "In total, N appeals were counted, of which ..." over the categories of the
 * headline's table t. */
static char *sentence_total(const struct report *r, const struct mj_table *t)
{
	const struct mj_table_row *tot = mj_table_total(t);
	GString *s = g_string_new(NULL);
	char n[64];
	double all = tot ? tot->values[0] : 0;
	/* What is counted, in the schema's word for it ("appeals", "calls");
	 * Russian names it in the genitive plural before the number. A
	 * schema without the word's forms gives its unit as a label. */
	const char *noun = report_noun(r, r->lang == MJ_LANG_RU ? 5 : all, NULL);
	if (noun)
		report_append_word(s, r, all == 1 ? "total_one" : "total",
				   num(r, all, n, sizeof n), noun);
	else
		report_append_word(s, r, "total_unit", num(r, all, n, sizeof n),
				   mj_schema_unit_label(r->schema, r->lang));
	if (r->filters && *r->filters)
		report_append_word(s, r, "total_filters", r->filters);
	append_total_change(s, r, t);
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind == MJ_ROW_CATEGORY && row_shown(&t->rows[i]))
			total++;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		if (row->kind != MJ_ROW_CATEGORY || !row_shown(row))
			continue;
		g_string_append(s, shown == 0 ? report_word(r, "of_whom")
				   : shown + 1 == total ? report_word(r, "and") : ", ");
		char cell[96];
		char *label = inline_label(r, mj_table_row_label(t, row), 0);
		if (withheld(t, i, 0))
			report_append_word(s, r, "withheld", label);
		else
			report_append_word(s, r, shown == 0 ? "group_first" : "group_item",
				    report_cell(r, t, i, 0, 1, cell, sizeof cell), label);
		g_free(label);
		shown++;
	}
	g_string_append_c(s, '.');
	return g_string_free(s, FALSE);
}

/* "By ...: " opening the sentence of section i: the schema's words
 * say_CODE, else the table's title. */
static GString *sentence_open(const struct report *r, size_t i)
{
	char *code = g_strconcat("say_", r->sections[i]->code, NULL);
	const char *lead = report_say_word(r, code, NULL);
	g_free(code);
	const struct mj_table *t = r->t[i];
	return g_string_new(lead ? lead : t->title ? t->title : r->sections[i]->code);
}

/* A nested section (say=nested, place → relationship): each outer
 * category with its count, then its inner ones. */
static char *sentence_nested(const struct report *r, size_t sec)
{
	const struct mj_table *t = r->t[sec];
	GString *s = sentence_open(r, sec);
	g_string_append(s, ": ");
	int first_place = 1;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		if (row->kind == MJ_ROW_TOTAL || row->level != 0 || !row_shown(row))
			continue;
		if (!first_place)
			g_string_append(s, "; ");
		first_place = 0;
		char cell[96];
		char *label = inline_label(r, row->labels[0], 0);
		if (withheld(t, i, 0))
			report_append_word(s, r, "withheld", label);
		else
			g_string_append_printf(s, "%s %s", label,
					       report_cell(r, t, i, 0, 1, cell, sizeof cell));
		g_free(label);
		/* The children of a subtotal row follow it at level 1. */
		size_t nkids = 0, k = 0;
		for (size_t j = i + 1; j < t->nrows && t->rows[j].level > 0; j++)
			if (row_shown(&t->rows[j]))
				nkids++;
		for (size_t j = i + 1; j < t->nrows && t->rows[j].level > 0; j++) {
			if (!row_shown(&t->rows[j]))
				continue;
			g_string_append(s, k == 0 ? report_word(r, "of_which")
					   : k + 1 == nkids ? report_word(r, "and") : ", ");
			char *kl = inline_label(r, mj_table_row_label(t, &t->rows[j]), 0);
			if (withheld(t, j, 0))
				report_append_word(s, r, "withheld", kl);
			else
				g_string_append_printf(s, "%s %s", kl,
						       report_cell(r, t, j, 0, 1, cell, sizeof cell));
			g_free(kl);
			k++;
		}
	}
	g_string_append_c(s, '.');
	char *changes = sentence_changes(r, t, 0);
	if (changes)
		g_string_append_printf(s, " %s", changes);
	g_free(changes);
	return g_string_free(s, FALSE);
}

/* Appends the schema's words tmpl with each %s (or %N$s) replaced by the
 * next (or the Nth) of args and %% by %; anything else stays as written,
 * so that words from a schema file are never a printf format. */
static void append_words(GString *s, const char *tmpl, const char *const *args,
			 size_t nargs)
{
	size_t next = 0;
	for (const char *p = tmpl; *p; p++) {
		if (*p != '%') {
			g_string_append_c(s, *p);
			continue;
		}
		size_t k;
		if (p[1] == 's') {
			k = next++;
			p++;
		} else if (p[1] >= '1' && p[1] <= '9' && p[2] == '$' && p[3] == 's') {
			k = (size_t)(p[1] - '1');
			p += 3;
		} else {
			if (p[1] == '%')
				p++;
			g_string_append_c(s, '%');
			continue;
		}
		if (k < nargs)
			g_string_append(s, args[k]);
	}
}

/* Those placed of a section say=placed:CODE (sec): how many, with the sum
 * placed with them, and how many of them are of the headline's first
 * category ("700 women were placed in the centre with 604 children"). */
static char *sentence_placed(const struct report *r, size_t sec)
{
	const struct mj_schema_section *ps = r->sections[sec];
	/* The words are the schema's: said only when it gives them. */
	const char *w_all = report_say_word(r, "say_placed", NULL);
	const char *w_one = report_say_word(r, "say_placed_one", w_all);
	const char *w_some = report_say_word(r, "say_placed_some", NULL);
	const char *w_withheld = report_say_word(r, "say_placed_withheld", NULL);
	long h = report_say_find(r, MJ_SAY_HEADLINE);
	int hd = h >= 0 ? mj_schema_dim_find(r->schema, r->sections[h]->by) : -1;
	if (hd < 0 || r->schema->dims[hd].ncats == 0)
		return NULL;
	const char *first = r->schema->dims[hd].cats[0].code;
	const struct mj_table *ot = report_find(r, ps->by, NULL, NULL);
	const struct mj_table *ct = r->t[sec];
	/* Who was placed: the row CODE of the breakdown by the headline. */
	const struct mj_table *og = report_find(r, ps->by, r->sections[h]->by, NULL);
	if (!ot || !og)
		return NULL;
	long o = row_find(ot, ps->say_code);
	long c = row_find(ct, ps->say_code);
	if (o < 0 || c < 0)
		return NULL;
	const struct mj_table_row *orow = &ot->rows[o];
	if (!row_shown(orow))
		return NULL;
	char people[64], kids[64];
	report_cell(r, ot, (size_t)o, 0, 0, people, sizeof people);
	report_cell(r, ct, (size_t)c, 0, 0, kids, sizeof kids);
	long og_row = row_find(og, ps->say_code);
	long woman = -1;
	for (size_t k = 0; k < og->ncols; k++)
		if (strcmp(og->col_codes[k], first) == 0)
			woman = (long)k;
	GString *s = g_string_new(NULL);
	if (withheld(ot, (size_t)o, 0) || withheld(ct, (size_t)c, 0) ||
	    (og_row >= 0 && woman >= 0 && withheld(og, (size_t)og_row, (size_t)woman))) {
		if (w_withheld)
			g_string_append(s, w_withheld);
	} else if (og_row >= 0 && woman >= 0 && !orow->suppressed[0] &&
	    !og->rows[og_row].suppressed[woman] &&
	    og->rows[og_row].values[woman] == orow->values[0]) {
		const char *args[] = {people, kids};
		if (w_all)
			append_words(s, orow->values[0] == 1 ? w_one : w_all, args, 2);
	} else if (og_row >= 0 && woman >= 0) {
		char women[64];
		report_cell(r, og, (size_t)og_row, (size_t)woman, 0, women, sizeof women);
		const char *args[] = {people, women, kids};
		if (w_some)
			append_words(s, w_some, args, 3);
	}
	if (!s->len) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* A month code "2023-08" as the month sentence says it: "August 2023",
 * "августе 2023 г.", "2023-yil avgust oyida"; any other code as its
 * label. */
static const char *month_in(const struct report *r, const char *code,
			    const char *label, char *buf, size_t len)
{
	static const char *const ru_in[12] = {"январе", "феврале", "марте", "апреле",
		"мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"};
	int month = report_month_code(code), y, m;
	if (month < 0) {
		/* Uzbek says "in" with the ending the format no longer has. */
		if (r->lang == MJ_LANG_UZ || r->lang == MJ_LANG_UZ_CYRL)
			snprintf(buf, len, "%s%s", label, r->lang == MJ_LANG_UZ ? "da" : "да");
		else
			snprintf(buf, len, "%s", label);
		return buf;
	}
	mj_trend_month_split(month, &y, &m);
	switch (r->lang) {
	case MJ_LANG_RU:
		snprintf(buf, len, "%s %d\u00a0г.", ru_in[m - 1], y);
		break;
	case MJ_LANG_UZ:
		snprintf(buf, len, "%d-yil\u00a0%s oyida", y, month_names[MJ_LANG_UZ][m - 1]);
		break;
	case MJ_LANG_UZ_CYRL:
		snprintf(buf, len, "%d\u00a0йил %s ойида", y, month_names[MJ_LANG_UZ_CYRL][m - 1]);
		break;
	default:
		snprintf(buf, len, "%s %d", month_names[MJ_LANG_EN][m - 1], y);
	}
	return buf;
}

/* The largest and the smallest category of section sec (say=extremes):
 * the busiest and the quietest month. */
static char *sentence_extremes(const struct report *r, size_t sec)
{
	const struct mj_table *t = r->t[sec];
	long hi = -1, lo = -1;
	size_t months = 0;
	unsigned char *counted = calloc(t->nrows ? t->nrows : 1, 1);
	if (!counted)
		return NULL;
	/* A month the register holds no record of is not the quietest: it
	 * may be a month nobody entered. Those between the register's first
	 * and last records are named as such; those outside it need no word.
	 * A month it holds may count 0 after the filters: that 0 is true. */
	int from = report_month_of(r->stats.data_from), to = report_month_of(r->stats.data_to);
	GString *gaps = g_string_new(NULL);
	int gap_a = -1, gap_b = -1;
	for (size_t i = 0; i <= t->nrows; i++) {
		const struct mj_table_row *row = i < t->nrows ? &t->rows[i] : NULL;
		int m = row && row->kind == MJ_ROW_CATEGORY && !row->suppressed[0] &&
			row->values[0] == 0 ? report_month_of(row->codes[0]) : -1;
		if (m >= 0 && report_month_held(r, m))
			m = -1;
		int empty = m >= 0 && from >= 0 && m > from && m < to;
		if (gap_a >= 0 && (!empty || m != gap_b + 1)) {
			char b[96];
			if (gaps->len)
				g_string_append(gaps, ", ");
			g_string_append(gaps, report_trend_range(r, gap_a, gap_b, b, sizeof b));
			gap_a = -1;
		}
		if (empty) {
			if (gap_a < 0)
				gap_a = m;
			gap_b = m;
		}
		if (!row || row->kind != MJ_ROW_CATEGORY || mj_table_row_missing(t, row) ||
		    row->suppressed[0] || (m >= 0 && row->values[0] == 0))
			continue;
		months++;
		counted[i] = 1;
		if (hi < 0 || row->values[0] > t->rows[hi].values[0])
			hi = (long)i;
		if (lo < 0 || row->values[0] < t->rows[lo].values[0])
			lo = (long)i;
	}
	GString *s = g_string_new(NULL);
	if (months >= 2 && t->rows[hi].values[0] != t->rows[lo].values[0]) {
		/* Months that tie are named together: "the most in January,
		 * February and March 2023 (3)", not one of them as the most. */
		char a[96], b[96];
		GString *most = g_string_new(NULL), *fewest = g_string_new(NULL);
		for (int k = 0; k < 2; k++) {
			GString *names = k ? fewest : most;
			double v = t->rows[k ? lo : hi].values[0];
			size_t n = 0, all = 0;
			for (size_t i = 0; i < t->nrows; i++)
				all += counted[i] && t->rows[i].values[0] == v;
			for (size_t i = 0; i < t->nrows; i++) {
				if (!counted[i] || t->rows[i].values[0] != v)
					continue;
				if (n++)
					g_string_append(names, n == all ? report_word(r, "and") : ", ");
				char m[96];
				g_string_append(names, month_in(r, t->rows[i].codes[0],
							 mj_table_row_label(t, &t->rows[i]), m, sizeof m));
			}
		}
		report_append_word(s, r, "month", most->str, report_cell(r, t, (size_t)hi, 0, 0, a, sizeof a),
				   fewest->str, report_cell(r, t, (size_t)lo, 0, 0, b, sizeof b));
		g_string_free(most, TRUE);
		g_string_free(fewest, TRUE);
	}
	free(counted);
	if (gaps->len) {
		if (s->len)
			g_string_append_c(s, ' ');
		report_append_word(s, r, "trend_gap", gaps->str);
	}
	g_string_free(gaps, TRUE);
	if (!s->len) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* "By ...: each category, count and percent." of section sec (say=list,
 * or say=names for labels that are names, kept as written). A list of
 * labels that start with a digit (ages "18–29") takes dashes throughout,
 * "not stated" too. */
static char *sentence_list(const struct report *r, size_t sec, int proper)
{
	const struct mj_table *t = r->t[sec];
	int any = 0, dash = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind != MJ_ROW_TOTAL && row_shown(&t->rows[i])) {
			any = 1;
			dash |= t->rows[i].level == 0 &&
				 g_ascii_isdigit(mj_table_row_label(t, &t->rows[i])[0]);
		}
	if (!any)
		return NULL;
	GString *s = sentence_open(r, sec);
	g_string_append(s, ": ");
	append_list(s, r, t, proper, dash);
	char *changes = sentence_changes(r, t, proper);
	if (changes)
		g_string_append_printf(s, " %s", changes);
	g_free(changes);
	return g_string_free(s, FALSE);
}

/* A count and its percent of total, as the generic narrative shows them. */
static void append_share(GString *s, const struct report *r, const char *label,
			 double v, double total, int dash)
{
	char n[64], p[32];
	num(r, v, n, sizeof n);
	const char *sep = count_sep(label, dash);
	if (total > 0) {
		mj_format_number(v * 100.0 / total, 1, r->lang, p, sizeof p);
		g_string_append_printf(s, "%s%s%s (%s%s%%)", label, sep, n, p,
				       report_pct_space(r));
	} else {
		g_string_append_printf(s, "%s%s%s", label, sep, n);
	}
}

/* How many of the largest categories a generic sentence names. */
#define GENERIC_TOP 3

/* A cell a generic sentence may name: a table row and a column. */
struct cell_ref {
	size_t row, col;
};

/* One section in general terms: its total, then its largest top-level
 * categories (in a cross-tab, its largest cells: row and column) with their
 * share of the total, and "not stated" when it counts any. Suppressed cells
 * are never ranked. */
static char *sentence_section(const struct report *r, size_t i)
{
	const struct mj_table *t = r->t[i];
	const struct mj_table_row *tot = mj_table_total(t);
	if (!tot)
		return NULL;
	size_t last = t->ncols - 1;
	int cross = t->col_dim != NULL;
	char cell[96];
	GString *s = g_string_new(NULL);
	if (withheld(t, (size_t)(tot - t->rows), last))
		report_append_word(s, r, "withheld", t->title ? t->title : "");
	else
		report_append_word(s, r, "g_section", t->title ? t->title : "",
			    report_cell(r, t, (size_t)(tot - t->rows), last, 0, cell, sizeof cell));
	double total = tot->suppressed[last] ? 0 : tot->values[last];
	struct cell_ref top[GENERIC_TOP];
	size_t ntop = 0, eligible = 0;
	int hidden = 0;
	long missing = -1;
	for (size_t k = 0; k < t->nrows; k++) {
		const struct mj_table_row *row = &t->rows[k];
		if (row->kind == MJ_ROW_TOTAL || row->level != 0)
			continue;
		if (mj_table_row_missing(t, row)) {
			if (!row->suppressed[last] && row->values[last] > 0)
				missing = (long)k;
			continue;
		}
		for (size_t c = 0; c < (cross ? last : 1); c++) {
			if (cross && strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0)
				continue;
			/* A hidden cell is not named, but it means the named
			 * ones are not all there is. */
			hidden |= row->suppressed[c];
			if (row->suppressed[c] || row->values[c] <= 0)
				continue;
			eligible++;
			/* Insert in order, largest first; ties keep table order. */
			size_t at = ntop;
			while (at > 0 && t->rows[top[at - 1].row].values[top[at - 1].col] <
					 row->values[c])
				at--;
			if (at >= GENERIC_TOP)
				continue;
			if (ntop < GENERIC_TOP)
				ntop++;
			memmove(&top[at + 1], &top[at], (ntop - 1 - at) * sizeof *top);
			top[at] = (struct cell_ref){k, c};
		}
	}
	if (ntop)
		g_string_append(s, report_word(r, eligible > ntop || hidden ? "g_largest" : "g_all"));
	/* Inside the sentence, labels the schema says are common nouns (its
	 * list, nested and headline forms) in lower case ("из них женщины"),
	 * names and others as they are. */
	enum mj_say say = r->sections[i]->say;
	int proper = !report_forms(r) || cross ||
		     !(say == MJ_SAY_LIST || say == MJ_SAY_NESTED || say == MJ_SAY_HEADLINE);
	/* One separator for the whole list: a dash when a label needs one
	 * (ends in a digit, or names a cell of a cross-table). */
	int dash = cross;
	for (size_t k = 0; k < ntop; k++) {
		const char *l = mj_table_row_label(t, &t->rows[top[k].row]);
		dash |= ends_in_number(l);
	}
	for (size_t k = 0; k < ntop; k++) {
		if (k)
			g_string_append(s, k + 1 == ntop ? report_word(r, "and") : ", ");
		const struct mj_table_row *row = &t->rows[top[k].row];
		char *label = inline_label(r, row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					   : mj_table_row_label(t, row), proper);
		char *both = cross ? g_strdup_printf("%s, %s", label, t->col_labels[top[k].col])
			     : g_strdup(label);
		g_free(label);
		append_share(s, r, both, row->values[top[k].col], total, dash);
		g_free(both);
	}
	if (missing >= 0) {
		g_string_append(s, "; ");
		char *label = g_utf8_strdown(mj_table_row_label(t, &t->rows[missing]), -1);
		append_share(s, r, label, t->rows[missing].values[last], total, dash);
		g_free(label);
	}
	g_string_append_c(s, '.');
	return g_string_free(s, FALSE);
}

char *report_section_sentence(const struct report *r, size_t i)
{
	return sentence_section(r, i);
}

char *report_tables_text(const struct report *r, int trend_first)
{
	GString *s = g_string_new(report_word(r, "tables"));
	const char *sep = "";
	char title[256];
	if (r->trend.on && trend_first) {
		g_string_append(s, report_trend_title(r, title, sizeof title));
		sep = "; ";
	}
	for (size_t i = 0; i < r->n; i++) {
		int trend = report_trend_section(r, i);
		if (trend && trend_first)
			continue;
		g_string_append_printf(s, "%s%s", sep, r->t[i]->title ? r->t[i]->title : "");
		sep = "; ";
		if (trend)
			g_string_append_printf(s, "%s%s", sep, report_trend_title(r, title, sizeof title));
	}
	g_string_append_c(s, '.');
	return g_string_free(s, FALSE);
}

char *report_method(const struct report *r)
{
	GString *s = g_string_new(NULL);
	char a[64], b[64], c[64], d[64];
	report_append_word(s, r, "method", num(r, (double)r->stats.read, a, sizeof a),
		    num(r, (double)r->stats.counted, b, sizeof b),
		    num(r, (double)r->stats.excluded, c, sizeof c),
		    num(r, (double)r->stats.rejected, d, sizeof d));
	if (r->stats.period_from[0]) {
		g_string_append_c(s, ' ');
		char pf[32], pt[32];
		report_append_word(s, r, "period", report_date(r, r->stats.period_from, pf, sizeof pf),
				   report_date(r, r->stats.period_to, pt, sizeof pt));
	}
	const char *filters = r->filters;
	if (filters && *filters) {
		g_string_append_c(s, ' ');
		report_append_word(s, r, "filters", filters);
	}
	g_string_append_c(s, ' ');
	report_append_word(s, r, "source", r->source ? r->source : "");
	g_string_append_c(s, ' ');
	g_string_append(s, report_word(r, "one_rule"));
	/* Sections with a filter of their own count fewer: say which. */
	GString *own = g_string_new(NULL);
	for (size_t i = 0; i < r->n; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (!sec->nwhere)
			continue;
		g_string_append_printf(own, "%s%s (", own->len ? "; " : "",
				       r->t[i]->title ? r->t[i]->title : sec->code);
		for (size_t w = 0; w < sec->nwhere; w++)
			g_string_append_printf(own, "%s%s", w ? ", " : "", sec->where[w]);
		g_string_append_c(own, ')');
	}
	if (own->len) {
		g_string_append_c(s, ' ');
		report_append_word(s, r, "g_own_filter", own->str);
	}
	g_string_free(own, TRUE);
	g_string_append_c(s, ' ');
	int cross = 0;
	for (size_t i = 0; i < r->n; i++)
		cross |= r->t[i]->col_dim != NULL;
	g_string_append(s, report_say_word(r, "say_percent_note",
					   report_word(r, cross ? "g_percent_note_cross"
						       : "g_percent_note")));
	if (r->compare_empty) {
		g_string_append_c(s, ' ');
		report_append_word(s, r, "compare_empty", r->compare_period);
	} else if (r->prev) {
		char from[11], to[11];
		/* The compared period's bounds, from the tables it made. */
		const struct mj_table *pt = r->prev[0];
		report_date(r, pt->period_from, from, sizeof from);
		report_date(r, pt->period_to, to, sizeof to);
		g_string_append_c(s, ' ');
		report_append_word(s, r, "compare_method", from, to,
			    num(r, (double)r->prev_stats.counted, a, sizeof a));
		char base[16];
		snprintf(base, sizeof base, "%d", MJ_TREND_MIN_BASE);
		g_string_append_c(s, ' ');
		report_append_word(s, r, "compare_test", base);
	}
	if (r->unavailable) {
		g_string_append_c(s, ' ');
		report_append_word(s, r, "unavailable", r->unavailable);
	}
	/* With a comparison, the test and the small bases are said above:
	 * the trend's changes are only tied to them. */
	char *trend = r->prev && r->trend.on ? g_strdup(report_word(r, "trend_method_also"))
					      : report_trend_method(r);
	if (trend) {
		g_string_append_printf(s, " %s", trend);
		g_free(trend);
	}
	if (r->min_cell > 1) {
		char lo[32], hi[32];
		snprintf(lo, sizeof lo, "%ld", r->min_cell - 1);
		snprintf(hi, sizeof hi, "%ld", r->min_cell);
		g_string_append_c(s, ' ');
		report_append_word(s, r, "suppress", lo, hi);
	}
	return g_string_free(s, FALSE);
}

/* The sentence of section i in the form its schema row asks for (say=),
 * else in general terms; with forms off, in general terms. NULL when it
 * says nothing. */
static char *sentence_of(const struct report *r, size_t i, int forms)
{
	switch (forms ? r->sections[i]->say : MJ_SAY_GENERAL) {
	case MJ_SAY_LIST:
		return sentence_list(r, i, 0);
	case MJ_SAY_NAMES:
		return sentence_list(r, i, 1);
	case MJ_SAY_NESTED:
		return sentence_nested(r, i);
	case MJ_SAY_EXTREMES:
		return sentence_extremes(r, i);
	case MJ_SAY_GENERAL:
		break;
	default: /* none; the headline and those placed are said elsewhere */
		return NULL;
	}
	char *sentence = sentence_section(r, i);
	char *changes = sentence_changes(r, r->t[i], 0);
	if (sentence && changes) {
		char *both = g_strdup_printf("%s %s", sentence, changes);
		g_free(sentence);
		sentence = both;
	}
	g_free(changes);
	return sentence;
}

/* "Appeals: 10,927 in total." with the run's filters and the change of
 * the total, when no section is the headline. */
static char *sentence_counted(const struct report *r)
{
	GString *s = g_string_new(NULL);
	char n[64];
	report_append_word(s, r, "g_total", mj_schema_unit_label(r->schema, r->lang),
		    num(r, (double)r->stats.counted, n, sizeof n));
	if (r->filters && *r->filters) {
		/* The filters before the sentence's full stop. */
		g_string_truncate(s, s->len - 1);
		report_append_word(s, r, "total_filters", r->filters);
		g_string_append_c(s, '.');
	}
	if (r->prev && !r->compare_empty) {
		/* The total with its change, before the sentence's full stop. */
		double now = (double)r->stats.counted, before = (double)r->prev_stats.counted;
		g_string_truncate(s, s->len - 1);
		/* A base under MJ_TREND_MIN_BASE: the count only, as every
		 * change. */
		append_change_words(s, r, now, before,
				    before >= MJ_TREND_MIN_BASE ? 100 * (now - before) / before : NAN);
		g_string_append_c(s, '.');
	}
	return g_string_free(s, FALSE);
}

/* The narrative: the title (the schema's say_title, else its title), the
 * headline section's sentence or the records counted, the trend, then a
 * sentence per section in the form its row asks for, those placed after
 * the section of their breakdown, and the method. */
GPtrArray *report_narrative(const struct report *r)
{
	int forms = report_forms(r);
	long h = report_say_find(r, MJ_SAY_HEADLINE);
	GPtrArray *p = g_ptr_array_new_with_free_func(g_free);
	GString *title = g_string_new(report_say_word(r, "say_title",
						      mj_schema_title(r->schema, r->lang)));
	char range[80];
	if (r->stats.period_from[0])
		g_string_append_printf(title, ", %s", report_range(r, r->stats.period_from,
				       r->stats.period_to, range, sizeof range));
	if (r->filters && *r->filters) {
		g_string_append(title, " (");
		report_append_word(title, r, "with_filters", r->filters);
		g_string_append_c(title, ')');
	}
	g_ptr_array_add(p, g_string_free(title, FALSE));
	if (h >= 0 ? report_table_empty(r->t[h]) : r->stats.counted == 0) {
		g_ptr_array_add(p, g_strdup(report_say_word(r, "say_nothing",
							    report_word(r, "g_nothing"))));
		g_ptr_array_add(p, report_method(r));
		return p;
	}
	g_ptr_array_add(p, h >= 0 ? sentence_total(r, r->t[h]) : sentence_counted(r));
	char *trend = report_trend_sentences(r);
	if (trend)
		g_ptr_array_add(p, trend);
	for (size_t i = 0; i < r->n; i++) {
		char *sentence = sentence_of(r, i, forms);
		if (!sentence)
			continue;
		const struct mj_schema_section *sec = r->sections[i];
		/* Those placed follow the count of their breakdown. */
		for (size_t j = 0; forms && !sec->cols && !sec->sum && !sec->nwhere &&
				   j < r->n; j++) {
			if (r->sections[j]->say != MJ_SAY_PLACED ||
			    strcmp(r->sections[j]->by, sec->by) != 0)
				continue;
			char *placed = sentence_placed(r, j);
			if (placed) {
				char *both = g_strdup_printf("%s %s", sentence, placed);
				g_free(sentence);
				g_free(placed);
				sentence = both;
			}
		}
		g_ptr_array_add(p, sentence);
	}
	g_ptr_array_add(p, report_method(r));
	return p;
}

/* Whether the word at p, "(2023-yil" or "(январь–август", holds a letter
 * (a figure's bracket, "(0,6 %)", "(1 180)", holds none). */
static int bracket_of_words(const char *p)
{
	for (; *p && *p != ' ' && *p != ')'; p = g_utf8_next_char(p))
		if (g_unichar_isalpha(g_utf8_get_char(p)))
			return 1;
	return 0;
}

/* Appends text wrapped at width characters (UTF-8 aware; only ASCII spaces
 * break, so "10 927" with its no-break space stays whole). */
static void append_wrapped(GString *out, const char *text, size_t width)
{
	size_t col = 0;
	const char *p = text;
	while (*p) {
		/* A count and its percent, "70 (0.6%)", are one word here, but
		 * not a word and a bracket of words: "boshidan (2023-yil" may
		 * break. */
		const char *end = strchr(p, ' ');
		while (end && end[1] == '(' && !bracket_of_words(end + 1))
			end = strchr(end + 1, ' ');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t w = (size_t)g_utf8_strlen(p, (gssize)n);
		if (col > 0 && col + 1 + w > width) {
			g_string_append_c(out, '\n');
			col = 0;
		} else if (col > 0) {
			g_string_append_c(out, ' ');
			col++;
		}
		g_string_append_len(out, p, (gssize)n);
		col += w;
		p += n;
		while (*p == ' ')
			p++;
	}
	g_string_append_c(out, '\n');
}

enum mj_status report_summary_write(const struct report *r, const char *path,
				    int markdown, struct mj_error *err)
{
	GPtrArray *p = report_narrative(r);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < p->len; i++) {
		const char *text = g_ptr_array_index(p, i);
		if (i == 0) {
			if (markdown) {
				g_string_append_printf(out, "# %s\n\n", text);
			} else {
				g_string_append_printf(out, "%s\n", text);
				for (glong k = g_utf8_strlen(text, -1); k > 0; k--)
					g_string_append_c(out, '=');
				g_string_append(out, "\n\n");
			}
			continue;
		}
		append_wrapped(out, text, markdown ? 100 : 76);
		if (i + 1 < p->len)
			g_string_append_c(out, '\n');
	}
	g_ptr_array_unref(p);
	enum mj_status st = report_file_write(path, out, err);
	g_string_free(out, TRUE);
	return st;
}

enum mj_status report_file_write(const char *path, const GString *text,
				 struct mj_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(errno));
	size_t w = fwrite(text->str, 1, text->len, f);
	int bad = w != text->len || ferror(f);
	if (fclose(f) != 0 || bad)
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(errno ? errno : EIO));
	return MJ_OK;
}

size_t report_figs(const struct report *r, size_t sec, struct report_fig *figs)
{
	const struct mj_table *t = r->t[sec];
	const char *show = r->sections[sec]->show;
	size_t n = 0;
	int valid = show && strstr(show, "valid") != NULL;
	for (const char *p = show; p && *p && n < REPORT_FIGS_MAX;) {
		size_t len = strcspn(p, ",");
		char item[16];
		snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), p);
		mj_text_trim(item);
		struct report_fig *f = &figs[n];
		memset(f, 0, sizeof *f);
		f->base = MJ_PCT_TOTAL;
		f->head = report_word(r, "percent");
		if (strcmp(item, "count") == 0 || strcmp(item, "sum") == 0) {
			f->value = 1;
			f->head = report_count_head(r, sec);
		} else if (strcmp(item, "row%") == 0) {
			f->base = MJ_PCT_ROW;
			f->head = report_word(r, "row_pct");
		} else if (strcmp(item, "col%") == 0) {
			f->base = MJ_PCT_COL;
			f->head = report_word(r, "col_pct");
		} else if (strcmp(item, "valid%") == 0) {
			f->base = MJ_PCT_VALID;
			f->head = report_word(r, "valid_pct");
		} else if (strcmp(item, "cum%") == 0) {
			f->cum = 1;
			f->base = valid ? MJ_PCT_VALID : MJ_PCT_TOTAL;
			f->head = report_word(r, "cum_pct");
		}
		if (!f->value) {
			/* As mj-tab: percents rounded honestly; the cumulative
			 * one the running sum of the exact percents of the
			 * top-level rows, ending at a hidden row. */
			f->pct = mj_table_percents(t, f->base, f->cum ? 15 : 1, 0);
			if (f->pct && f->cum) {
				double run = 0;
				int stopped = 0;
				for (size_t i = 0; i < t->nrows; i++) {
					const struct mj_table_row *row = &t->rows[i];
					int top = row->level == 0 && row->kind != MJ_ROW_TOTAL;
					double v = f->pct[i * t->ncols];
					if (top && v < 0 && !(valid && mj_table_row_missing(t, row)))
						stopped = 1;
					if (top && v >= 0 && !stopped) {
						run += v;
						f->pct[i * t->ncols] = round(run * 10) / 10;
					} else {
						f->pct[i * t->ncols] = -1;
					}
				}
			}
		}
		n++;
		p += len;
		if (*p == ',')
			p++;
	}
	return n;
}

void report_figs_free(struct report_fig *figs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(figs[i].pct);
}

char *report_fig_cell(const struct report *r, const struct mj_table *t,
		      const struct report_fig *f, size_t i, size_t col, char *buf, size_t len)
{
	if (f->value)
		return report_cell(r, t, i, col, 0, buf, len);
	double v = f->pct ? f->pct[i * t->ncols + col] : -1;
	if (v < 0)
		snprintf(buf, len, "—");
	else
		mj_format_number(v, 1, r->lang, buf, len);
	return buf;
}
