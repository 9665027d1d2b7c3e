/* What the report's charts draw: a table's copy without its empty
 * categories and all-zero columns (the tables keep every category, so
 * they line up month to month; a chart and its legend need not show
 * nothing), and nested horizontal bars for a table of places and
 * relationships, each parent with its subtotal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "report_internal.h"

/* Words of the charts' notes in en, ru, uz (Latin) and uz-Cyrl. */
static const struct {
	const char *key;
	const char *text[MJ_LANG_COUNT];
} words[] = {
	/* dropped: labels joined with ", " */
	{"dropped", {"Not drawn, as they count none: %s.",
		     "Не показаны на диаграмме, так как равны нулю: %s.",
		     "Diagrammada koʻrsatilmagan, chunki nolga teng: %s.",
		     "Диаграммада кўрсатилмаган, чунки нолга тенг: %s."}},
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

/* Appends label to the list in dropped unless it is there already. */
static void drop(GString *dropped, const char *label, const char *lang)
{
	if (!dropped)
		return;
	/* In Russian and Uzbek a label keeps its capital inside the sentence
	 * in quotes: «Не указано». */
	int en = !lang || strcmp(lang, "en") == 0;
	char *quoted = g_strdup_printf(en ? "%s" : "\u00ab%s\u00bb", label);
	char **have = g_strsplit(dropped->str, ", ", -1);
	int seen = 0;
	for (char **h = have; *h && !seen; h++)
		seen = strcmp(*h, quoted) == 0;
	g_strfreev(have);
	if (!seen)
		g_string_append_printf(dropped, "%s%s", dropped->len ? ", " : "", quoted);
	g_free(quoted);
}

static int copy_str(char **dst, const char *src)
{
	return mj_table_set(dst, src) == MJ_OK;
}

struct mj_table *report_chart_table(const struct mj_table *t, GString *dropped)
{
	size_t last = t->ncols - 1;
	/* Columns: those that count something, and the total. */
	size_t *keep = calloc(t->ncols, sizeof *keep);
	const char **codes = calloc(t->ncols, sizeof *codes);
	const char **labels = calloc(t->ncols, sizeof *labels);
	struct mj_table *c = NULL;
	if (!keep || !codes || !labels)
		goto out;
	size_t nk = 0;
	for (size_t k = 0; k < t->ncols; k++) {
		int any = k == last || !t->col_dim;
		for (size_t i = 0; i < t->nrows && !any; i++)
			any = row_counts(&t->rows[i], k);
		if (any) {
			keep[nk] = k;
			codes[nk] = t->col_codes[k];
			labels[nk++] = t->col_labels[k];
		} else {
			drop(dropped, t->col_labels[k], t->lang);
		}
	}
	c = mj_table_new(t->ndims, (const char *const *)t->dims, t->col_dim, nk, codes, labels);
	if (!c)
		goto out;
	int ok = copy_str(&c->title, t->title) && copy_str(&c->measure, t->measure) &&
		 copy_str(&c->lang, t->lang) && copy_str(&c->period_from, t->period_from) &&
		 copy_str(&c->period_to, t->period_to) && copy_str(&c->filters, t->filters) &&
		 copy_str(&c->source, t->source);
	for (size_t d = 0; ok && d < t->ndims; d++)
		ok = copy_str(&c->dim_labels[d], t->dim_labels ? t->dim_labels[d] : t->dims[d]);
	if (ok && t->col_dim)
		ok = copy_str(&c->col_dim_label, t->col_dim_label);
	c->n_read = t->n_read;
	c->n_counted = t->n_counted;
	c->n_rejected = t->n_rejected;
	c->min_cell = t->min_cell;
	for (size_t i = 0; ok && i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		/* An empty category or subtotal is left out; the total stays. */
		if (row->kind != MJ_ROW_TOTAL && !row_counts(row, last)) {
			drop(dropped, row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					       : mj_table_row_label(t, row), t->lang);
			continue;
		}
		struct mj_table_row *nr = mj_table_add_row(c, row->kind, row->level,
			(const char *const *)row->codes, (const char *const *)row->labels);
		if (!nr) {
			ok = 0;
			break;
		}
		for (size_t k = 0; k < nk; k++) {
			nr->values[k] = row->values[keep[k]];
			nr->suppressed[k] = row->suppressed[keep[k]];
		}
	}
	if (!ok) {
		mj_table_destroy(c);
		c = NULL;
	}
out:
	free(keep);
	free(codes);
	free(labels);
	return c;
}

/* Sets text in font at x, y (right-aligned to x when right); returns its
 * width in points. */
static double label(cairo_t *cr, const char *text, const char *font, double x, double y,
		    int right, int draw)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
	pango_layout_context_changed(l);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, text, -1);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	double pw = (double)w / PANGO_SCALE;
	if (draw) {
		cairo_move_to(cr, right ? x - pw : x, y);
		pango_cairo_show_layout(cr, l);
	}
	g_object_unref(l);
	return pw;
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
				snprintf(cell + used, sizeof cell - used, " (%s%%)", p);
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
