/* What the report's charts draw beyond the chart module's: the sentence
 * that stands for a chart of one bar, and nested horizontal bars for a
 * table of places and relationships, each parent with its subtotal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "report_internal.h"

/* Words of the charts' notes in en, ru, uz (Latin) and uz-Cyrl. */
static const struct {
	const char *key;
	const char *text[MJ_LANG_COUNT];
} words[] = {
	/* one_bar: label, count */
	{"one_bar", {"Every count is in one category, %s (%s), so no chart is drawn.",
		     "Все значения приходятся на одну категорию — «%s» (%s), поэтому диаграмма не приводится.",
		     "Barcha qiymatlar bitta toifada — «%s» (%s), shuning uchun diagramma berilmagan.",
		     "Барча қийматлар битта тоифада — «%s» (%s), шунинг учун диаграмма берилмаган."}},
	{"nothing_bar", {"No category counts any, so no chart is drawn.",
			 "Все значения равны нулю, поэтому диаграмма не приводится.",
			 "Barcha qiymatlar nolga teng, shuning uchun diagramma berilmagan.",
			 "Барча қийматлар нолга тенг, шунинг учун диаграмма берилмаган."}},
};

const char *report_chart_word(const struct report *r, const char *key)
{
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].key, key) == 0)
			return words[i].text[r->lang < MJ_LANG_COUNT ? r->lang : 0];
	return key;
}

static int row_counts(const struct mj_table_row *row, size_t col)
{
	return row->suppressed[col] || row->values[col] != 0;
}

int report_chart_nonzero(const struct mj_table *t, long *only)
{
	int n = 0;
	*only = -1;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind != MJ_ROW_TOTAL && t->rows[i].level == 0 &&
		    row_counts(&t->rows[i], t->ncols - 1)) {
			n++;
			*only = (long)i;
		}
	return n;
}

/* Sets text in font at x, y (right-aligned to x when right); returns its
 * width in points. */
static double label(cairo_t *cr, const char *text, const char *font, double x, double y,
		    int right, int draw)
{
	return chart_label(cr, text, font, x, y, right ? CHART_RIGHT : CHART_LEFT, draw);
}

double report_nested_bars(const struct report *r, const struct mj_table *t, cairo_t *cr,
			  double x, double y, double w, int draw)
{
	const struct mj_table_row *tot = mj_table_total(t);
	double total = tot ? tot->values[t->ncols - 1] : 0;
	const char *font = "DejaVu Sans 8", *bold = "DejaVu Sans Bold 8";
	/* The widest label sets where the bars start. */
	double label_w = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		if (row->kind == MJ_ROW_TOTAL || !row_counts(row, 0))
			continue;
		const char *lab = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
				  : mj_table_row_label(t, row);
		double lw = label(cr, lab, row->level ? font : bold, 0, 0, 0, 0) + 12.0 * row->level;
		if (lw > label_w)
			label_w = lw;
	}
	if (label_w > w * 0.4)
		label_w = w * 0.4;
	double max = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind != MJ_ROW_TOTAL && t->rows[i].values[0] > max)
			max = t->rows[i].values[0];
	double bx = x + label_w + 8, bw = w - label_w - 8 - 80;
	double at = y;
	if (draw)
		cairo_save(cr);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		if (row->kind == MJ_ROW_TOTAL || !row_counts(row, 0))
			continue;
		int child = row->level > 0;
		double rh = child ? 14 : 17, bh = child ? 9 : 12;
		if (!child && at > y)
			at += 4; /* a little air before each place */
		if (draw) {
			const char *lab = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					  : mj_table_row_label(t, row);
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			/* Labels too wide are cut by the clip, not run into the bars. */
			cairo_save(cr);
			cairo_rectangle(cr, x, at, label_w, rh);
			cairo_clip(cr);
			label(cr, lab, child ? font : bold, x + 12.0 * row->level, at + (rh - 11) / 2, 0, 1);
			cairo_restore(cr);
			double v = row->suppressed[0] ? 0 : row->values[0];
			double len = max > 0 ? v / max * bw : 0;
			if (mj_table_row_missing(t, row))
				cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
			else if (child)
				cairo_set_source_rgb(cr, 0.337, 0.706, 0.914); /* #56B4E9 */
			else
				cairo_set_source_rgb(cr, 0.0, 0.447, 0.698); /* #0072B2 */
			cairo_rectangle(cr, bx, at + (rh - bh) / 2, len, bh);
			cairo_fill(cr);
			/* The count as the tables show it: "<5" or "x" when hidden. */
			char cell[96];
			if (row->suppressed[0] == MJ_HIDDEN_COMPLEMENT)
				snprintf(cell, sizeof cell, "x");
			else if (row->suppressed[0])
				snprintf(cell, sizeof cell, "<%ld",
					 t->min_cell > 0 ? t->min_cell : r->min_cell);
			else
				mj_format_number(v, -1, r->lang, cell, sizeof cell);
			if (!row->suppressed[0] && total > 0) {
				char p[32];
				mj_format_number(100.0 * v / total, 1, r->lang, p, sizeof p);
				size_t used = strlen(cell);
				/* A no-break space before "%" in Russian and
				 * Uzbek, as the tables have it. */
				snprintf(cell + used, sizeof cell - used, " (%s%s%%)", p,
					 r->lang == MJ_LANG_EN ? "" : "\xc2\xa0");
			}
			cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
			label(cr, cell, child ? font : bold, bx + len + 4, at + (rh - 11) / 2, 0, 1);
		}
		at += rh;
	}
	if (draw)
		cairo_restore(cr);
	return at - y;
}
