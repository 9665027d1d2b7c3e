/* The report as an A4 PDF drawn with Cairo and Pango: key figures, one page
 * per breakdown with its table, and a page on method. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "report_internal.h"
#include "schema_internal.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 50.0
#define FOOTER_Y (PAGE_H - 30.0)

struct pdf {
	const struct report *r;
	cairo_t *cr;
	PangoContext *pc;
	int page, npages;
	GPtrArray *alts; /* each figure's alternative text, in drawing order */
};

/* Draws text in font ("DejaVu Sans Bold 9") at x,y within width w (0: no
 * wrapping); returns its height. Nothing is drawn when draw is 0. */
static double text_layout(struct pdf *p, const char *text, const char *font,
			  double x, double y, double w, PangoAlignment align,
			  int draw, int one_line)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (w > 0) {
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		/* Lines break between words only, never inside one with a
		 * hyphen ("Физическ-ое"): a word too wide for its column makes
		 * the font smaller instead, down to two thirds. */
		pango_layout_set_wrap(l, PANGO_WRAP_WORD);
		if (one_line)
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	int lw, lh;
	pango_layout_get_size(l, &lw, &lh);
	if (w > 0 && !one_line) {
		PangoFontDescription *small = pango_font_description_from_string(font);
		int size = pango_font_description_get_size(small), min = size * 2 / 3;
		while (lw > (int)(w * PANGO_SCALE) && size > min) {
			size -= PANGO_SCALE / 4;
			pango_font_description_set_size(small, size);
			pango_layout_set_font_description(l, small);
			pango_layout_get_size(l, &lw, &lh);
		}
		pango_font_description_free(small);
	}
	if (draw) {
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	g_object_unref(l);
	return (double)lh / PANGO_SCALE;
}

/* The width of text set in font, on one line. */
static double text_width(struct pdf *p, const char *text, const char *font)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, text, -1);
	int lw, lh;
	pango_layout_get_size(l, &lw, &lh);
	g_object_unref(l);
	return (double)lw / PANGO_SCALE;
}

static double text_at(struct pdf *p, const char *text, const char *font,
		      double x, double y, double w, PangoAlignment align,
		      int draw)
{
	return text_layout(p, text, font, x, y, w, align, draw, 0);
}

static void grey(struct pdf *p, double g)
{
	cairo_set_source_rgb(p->cr, g, g, g);
}

static void footer(struct pdf *p)
{
	const struct report *r = p->r;
	char pages[64], a[16], b[16], gen[64];
	snprintf(a, sizeof a, "%d", p->page);
	snprintf(b, sizeof b, "%d", p->npages);
	/* The page phrase takes two numbers; build it from the word table. */
	GString *s = g_string_new(NULL);
	const char *fmt = report_word(r, "page");
	const char *first = strstr(fmt, "%s");
	const char *second = first ? strstr(first + 2, "%s") : NULL;
	if (first && second) {
		g_string_append_len(s, fmt, first - fmt);
		g_string_append(s, a);
		g_string_append_len(s, first + 2, second - (first + 2));
		g_string_append(s, b);
		g_string_append(s, second + 2);
	}
	snprintf(pages, sizeof pages, "%s", s->str);
	g_string_free(s, TRUE);
	/* Not the day the file was made (the same records make the same file
	 * any day), but how far the records go: the period's end, or the last
	 * record read when the register stops before it. */
	const char *upto = r->stats.period_to;
	if (r->stats.data_to[0] && strcmp(r->stats.data_to, upto) < 0)
		upto = r->stats.data_to;
	const char *gf = report_word(r, "data_up_to");
	const char *at = strstr(gf, "%s");
	char upto_shown[32];
	snprintf(gen, sizeof gen, "%.*s%s%s", at ? (int)(at - gf) : 0, gf,
		 report_date(r, upto, upto_shown, sizeof upto_shown), at ? at + 2 : "");
	char period[80] = "";
	if (r->stats.period_from[0])
		report_range(r, r->stats.period_from, r->stats.period_to, period, sizeof period);
	grey(p, 0.6);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, FOOTER_Y - 4);
	cairo_line_to(p->cr, PAGE_W - MARGIN, FOOTER_Y - 4);
	cairo_stroke(p->cr);
	grey(p, 0.35);
	double w = PAGE_W - 2 * MARGIN;
	text_at(p, period, "DejaVu Sans 8", MARGIN, FOOTER_Y, w, PANGO_ALIGN_LEFT, 1);
	text_at(p, pages, "DejaVu Sans 8", MARGIN, FOOTER_Y, w, PANGO_ALIGN_CENTER, 1);
	/* Records without dates give no period, and so no date to show. */
	if (r->stats.period_from[0])
		text_at(p, gen, "DejaVu Sans 8", MARGIN, FOOTER_Y, w, PANGO_ALIGN_RIGHT, 1);
}

static void page_end(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
}

/* Page title and subtitle; returns the y below them. */
static double heading(struct pdf *p, const char *title, const char *sub)
{
	grey(p, 0.1);
	double y = MARGIN;
	const char *h = p->page == 1 ? "H1" : "H2";
	cairo_tag_begin(p->cr, h, NULL);
	y += text_at(p, title, "DejaVu Sans Bold 16", MARGIN, y, PAGE_W - 2 * MARGIN,
		     PANGO_ALIGN_LEFT, 1);
	cairo_tag_end(p->cr, h);
	if (sub) {
		grey(p, 0.4);
		cairo_tag_begin(p->cr, "P", NULL);
		y += 2 + text_at(p, sub, "DejaVu Sans 9", MARGIN, y + 2,
				 PAGE_W - 2 * MARGIN, PANGO_ALIGN_LEFT, 1);
		cairo_tag_end(p->cr, "P");
	}
	return y + 14;
}

/* The key figures as boxes: the total, each category of the first
 * section (the Women's Center's groups), then, for the Women's Center,
 * those placed in the centre and their children, or else each summed
 * measure's total. */
void report_key_figures(const struct report *r, struct report_figures *kf)
{
	char (*num)[96] = kf->num;
	char (*lab)[160] = kf->lab;
	size_t n = 0;
	/* The first section that counts records one way. */
	const struct mj_table *g = NULL;
	for (size_t i = 0; i < r->n && !g; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (!sec->cols && !sec->sum && sec->nwhere == 0 && r->t[i]->ndims == 1)
			g = r->t[i];
	}
	if (r->wc)
		g = report_find(r, "group", NULL, NULL);
	const struct mj_table_row *tot = g ? mj_table_total(g) : NULL;
	if (tot) {
		report_cell(r, g, (size_t)(tot - g->rows), 0, 0, num[n], sizeof num[n]);
	} else {
		mj_format_number((double)r->stats.counted, -1, r->lang, num[n], sizeof num[n]);
	}
	if (r->wc) {
		/* The noun agrees with the number: 1 обращение, 2 обращения. */
		double shown = tot ? tot->values[0] : (double)r->stats.counted;
		snprintf(lab[n], sizeof lab[0], "%s",
			 report_noun(r, shown, report_word(r, "k_total")));
	} else {
		char *unit = g_utf8_strdown(mj_schema_unit_label(r->schema, r->lang), -1);
		snprintf(lab[n], sizeof lab[0], "%s", unit);
		g_free(unit);
	}
	double now, before, pc;
	size_t gsec = 0;
	while (g && gsec + 1 < r->n && r->t[gsec] != g)
		gsec++;
	if (tot && report_change(r, gsec, (size_t)(tot - g->rows), 0, &now, &before, &pc)) {
		/* "appeals · +5.9% on July 2023" */
		char c[48], phrase[160];
		GString *k = g_string_new(NULL);
		report_append_word(k, r, "k_change", lab[n],
				   report_change_text(r, now - before, pc, c, sizeof c),
				   report_compare_phrase(r, phrase, sizeof phrase));
		snprintf(lab[n], sizeof lab[0], "%s", k->str);
		g_string_free(k, TRUE);
	}
	n++;
	/* Boxes beyond these would crowd the page. */
	size_t cap = r->wc ? 28 : 9;
	for (size_t i = 0; g && i < g->nrows && n < cap; i++) {
		const struct mj_table_row *row = &g->rows[i];
		if (row->kind != MJ_ROW_CATEGORY ||
		    (!row->suppressed[0] && row->values[0] == 0))
			continue;
		/* The count large, its share beside the label. */
		report_cell(r, g, i, 0, 0, num[n], sizeof num[n]);
		char cell[96];
		report_cell(r, g, i, 0, 1, cell, sizeof cell);
		const char *share = strchr(cell, '(');
		snprintf(lab[n++], sizeof lab[0], "%s%s%s", mj_table_row_label(g, row),
			 share ? " " : "", share ? share : "");
	}
	if (!r->wc) {
		/* Each summed measure once: its total. */
		for (size_t i = 0; i < r->n && n < 12; i++) {
			const struct mj_schema_section *sec = r->sections[i];
			if (!sec->sum || sec->nwhere)
				continue;
			int seen = 0;
			for (size_t j = 0; j < i; j++)
				seen |= r->sections[j]->sum && r->sections[j]->nwhere == 0 &&
					strcmp(r->sections[j]->sum, sec->sum) == 0;
			const struct mj_table *t = r->t[i];
			const struct mj_table_row *st = mj_table_total(t);
			int d = mj_schema_dim_find(r->schema, sec->sum);
			if (seen || !st || d < 0)
				continue;
			report_cell(r, t, (size_t)(st - t->rows), t->ncols - 1, 0, num[n],
				    sizeof num[n]);
			snprintf(lab[n++], sizeof lab[0], "%s",
				 mj_schema_dim_label(r->schema, (size_t)d, r->lang));
		}
	}
	const struct mj_table *o = r->wc ? report_find(r, "outcome", NULL, NULL) : NULL;
	const struct mj_table *c = r->wc ? report_find(r, "outcome", NULL, "children") : NULL;
	for (size_t i = 0; o && i < o->nrows; i++) {
		if (o->rows[i].kind != MJ_ROW_CATEGORY ||
		    strcmp(o->rows[i].codes[0], "shelter") != 0)
			continue;
		report_cell(r, o, i, 0, 0, num[n], sizeof num[n]);
		snprintf(lab[n++], sizeof lab[0], "%s", mj_table_row_label(o, &o->rows[i]));
		for (size_t j = 0; c && j < c->nrows; j++)
			if (c->rows[j].kind == MJ_ROW_CATEGORY &&
			    strcmp(c->rows[j].codes[0], "shelter") == 0) {
				report_cell(r, c, j, 0, 0, num[n], sizeof num[n]);
				snprintf(lab[n++], sizeof lab[0], "%s", report_word(r, "k_children"));
			}
	}
	kf->n = n;
}

static double key_figures(struct pdf *p, double y)
{
	struct report_figures kf;
	report_key_figures(p->r, &kf);
	size_t n = kf.n;
	char (*num)[96] = kf.num;
	char (*lab)[160] = kf.lab;
	size_t cols = n <= 6 ? 3 : 4;
	double gap = 10, w = (PAGE_W - 2 * MARGIN - gap * (double)(cols - 1)) / (double)cols;
	double h = 62;
	for (size_t i = 0; i < n; i++) {
		double x = MARGIN + (double)(i % cols) * (w + gap);
		double yy = y + (double)(i / cols) * (h + gap);
		cairo_set_source_rgb(p->cr, 0.93, 0.95, 0.98);
		cairo_rectangle(p->cr, x, yy, w, h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0.0, 0.447, 0.698); /* #0072B2 */
		cairo_rectangle(p->cr, x, yy, 3, h);
		cairo_fill(p->cr);
		cairo_tag_begin(p->cr, "P", NULL);
		grey(p, 0.1);
		text_at(p, num[i], "DejaVu Sans Bold 17", x + 10, yy + 8, w - 14,
			PANGO_ALIGN_LEFT, 1);
		grey(p, 0.3);
		text_at(p, lab[i], "DejaVu Sans 8.5", x + 10, yy + 36, w - 14,
			PANGO_ALIGN_LEFT, 1);
		cairo_tag_end(p->cr, "P");
	}
	y += (double)((n + cols - 1) / cols) * (h + gap);
	/* A box that reads "x" says why under the boxes. */
	int any_x = 0;
	for (size_t i = 0; i < n; i++)
		any_x |= strcmp(num[i], "x") == 0;
	if (any_x) {
		char note[160];
		snprintf(note, sizeof note, "%s.", mj_table_mark_note(p->r->lang));
		grey(p, 0.35);
		y += text_at(p, note, "DejaVu Sans 7.5", MARGIN, y - gap + 2,
			     PAGE_W - 2 * MARGIN, PANGO_ALIGN_LEFT, 1) - gap + 6;
	}
	return y + 8;
}

/* Whether some category or subtotal in column col of section sec has the
 * statistic name (a total's alone is no reason for a column: the rate of
 * all appeals in a table by a dimension the population file lacks). */
static int stat_any(const struct report *r, size_t sec, const char *name, size_t col)
{
	for (size_t i = 0; i < r->t[sec]->nrows; i++)
		if (r->t[sec]->rows[i].kind != MJ_ROW_TOTAL &&
		    !isnan(report_stat(r, sec, name, i, col, NULL, NULL)))
			return 1;
	return 0;
}

int report_stat_any(const struct report *r, size_t sec, const char *name, size_t col)
{
	return stat_any(r, sec, name, col);
}

/* Columns a one-way table shows beside count and percent. */
enum { XCOL_COMPARED, XCOL_CHANGE, XCOL_CI, XCOL_RATE, XCOL_N };

/* Draws the table of section sec from y; returns the y below it. A one-way
 * table gets, as asked, the compared count and the change in percent, the
 * interval of the percent and the rate beside its count and percent. */
static double table_draw(struct pdf *p, size_t sec, double y)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	double x0 = MARGIN, w = PAGE_W - 2 * MARGIN;
	int cross = t->col_dim != NULL;
	int show[XCOL_N] = {0};
	size_t nextra = 0;
	if (!cross) {
		show[XCOL_COMPARED] = show[XCOL_CHANGE] = stat_any(r, sec, "count_compared", 0);
		show[XCOL_CI] = stat_any(r, sec, "ci_low", 0);
		show[XCOL_RATE] = stat_any(r, sec, "rate", 0);
		for (size_t k = 0; k < XCOL_N; k++)
			nextra += (size_t)show[k];
	}
	size_t nval = t->ncols;
	/* Each extra column takes room from the labels; many of them make
	 * the type smaller. */
	double ci_w = 60;
	double label_w = cross ? 135 : nextra == 0 ? 300 : 290 - 55.0 * (double)nextra;
	if (!cross && label_w < 150)
		label_w = 150;
	double col_w = cross ? (w - label_w) / (double)nval
		       : (w - label_w - (show[XCOL_CI] ? ci_w : 0)) /
			 (double)(2 + nextra - (size_t)show[XCOL_CI]);
	int small = cross || nextra >= 3;
	const char *font = small ? "DejaVu Sans 7.5" : "DejaVu Sans 9";
	const char *bold = small ? "DejaVu Sans Bold 7.5" : "DejaVu Sans Bold 9";
	double rh = small ? 14 : 15;
	/* A mark in place of a rate is set smaller; the rate column is made
	 * wide enough for the longest. */
	const char *mark_font = "DejaVu Sans 6.5";
	double rate_w = col_w;
	for (size_t i = 0; show[XCOL_RATE] && i < t->nrows; i++) {
		const char *mark;
		if (isnan(report_stat(r, sec, "rate", i, 0, &mark, NULL)) && mark &&
		    !t->rows[i].suppressed[0]) {
			double mw = text_width(p, mark, mark_font) + 8;
			if (mw > rate_w)
				rate_w = mw;
		}
	}
	if (rate_w > col_w) {
		label_w -= rate_w - col_w;
		if (label_w < 110)
			label_w = 110;
	}
	/* Where each column starts: count, percent, then the extras. */
	double xs[2 + XCOL_N], ws[2 + XCOL_N];
	const char *heads[2 + XCOL_N] = {report_word(r, "count"), report_word(r, "percent")};
	char ci_head[32] = "", rate_head[64] = "";
	double at = x0 + label_w;
	for (size_t k = 0; k < 2 + XCOL_N; k++) {
		int on = k < 2 || show[k - 2];
		ws[k] = !on ? 0 : k == 2 + XCOL_CI ? ci_w : k == 2 + XCOL_RATE ? rate_w : col_w;
		xs[k] = at;
		at += ws[k];
	}
	if (!cross) {
		heads[2 + XCOL_COMPARED] = r->compare_period;
		heads[2 + XCOL_CHANGE] = report_word(r, "change");
		if (r->so && r->so->ci_level > 0) {
			char lv[16];
			mj_format_number(r->so->ci_level * 100, -1, r->lang, lv, sizeof lv);
			GString *h = g_string_new(NULL);
			report_append_word(h, r, "ci_head", lv);
			snprintf(ci_head, sizeof ci_head, "%s", h->str);
			g_string_free(h, TRUE);
		}
		heads[2 + XCOL_CI] = ci_head;
		if (r->so && r->so->rate_per > 0) {
			char per[32];
			mj_format_number(r->so->rate_per, -1, r->lang, per, sizeof per);
			GString *h = g_string_new(NULL);
			report_append_word(h, r, "rate_head", per);
			snprintf(rate_head, sizeof rate_head, "%s", h->str);
			g_string_free(h, TRUE);
		}
		heads[2 + XCOL_RATE] = rate_head;
	}

	/* Header: the row dimension, then the columns. The tags make it a
	 * table of header and data cells for a reader of the tagged PDF. */
	cairo_tag_begin(p->cr, "Table", NULL);
	cairo_tag_begin(p->cr, "TR", NULL);
	grey(p, 0.25);
	double hh = 0;
	GString *dl = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(dl, "%s%s", d ? " → " : "",
				       t->dim_labels ? t->dim_labels[d] : t->dims[d]);
	cairo_tag_begin(p->cr, "TH", NULL);
	hh = text_at(p, dl->str, bold, x0, y, label_w - 6, PANGO_ALIGN_LEFT, 1);
	cairo_tag_end(p->cr, "TH");
	g_string_free(dl, TRUE);
	if (cross) {
		for (size_t k = 0; k < nval; k++) {
			cairo_tag_begin(p->cr, "TH", NULL);
			double th = text_at(p, t->col_labels[k], bold,
					    x0 + label_w + (double)k * col_w, y, col_w - 4,
					    PANGO_ALIGN_RIGHT, 1);
			cairo_tag_end(p->cr, "TH");
			if (th > hh)
				hh = th;
		}
	} else {
		for (size_t k = 0; k < 2 + XCOL_N; k++) {
			if (ws[k] <= 0)
				continue;
			cairo_tag_begin(p->cr, "TH", NULL);
			double th = text_at(p, heads[k], bold, xs[k], y, ws[k] - 4,
					    PANGO_ALIGN_RIGHT, 1);
			cairo_tag_end(p->cr, "TH");
			if (th > hh)
				hh = th;
		}
	}
	cairo_tag_end(p->cr, "TR");
	y += hh + 3;
	cairo_set_line_width(p->cr, 0.8);
	grey(p, 0.3);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x0 + w, y);
	cairo_stroke(p->cr);
	y += 3;

	double *pct = mj_table_percents(t, MJ_PCT_TOTAL, 1, 0);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		int strong = row->kind != MJ_ROW_CATEGORY;
		if (row->kind == MJ_ROW_TOTAL) {
			grey(p, 0.3);
			cairo_set_line_width(p->cr, 0.6);
			cairo_move_to(p->cr, x0, y);
			cairo_line_to(p->cr, x0 + w, y);
			cairo_stroke(p->cr);
			y += 2;
		} else if (i % 2 == 1) {
			cairo_set_source_rgb(p->cr, 0.965, 0.965, 0.965);
			cairo_rectangle(p->cr, x0, y - 1, w, rh);
			cairo_fill(p->cr);
		}
		cairo_tag_begin(p->cr, "TR", NULL);
		grey(p, mj_table_row_missing(t, row) ? 0.4 : 0.1);
		/* A subtotal row names its outer category, not "Total". */
		const char *label = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
				    : mj_table_row_label(t, row);
		double indent = 12.0 * row->level;
		/* A label too long for its row is cut short with an ellipsis
		 * rather than run into the next row. */
		double lw = label_w - 8 - indent;
		int one_line = text_at(p, label, strong ? bold : font, 0, 0, lw,
				       PANGO_ALIGN_LEFT, 0) > rh;
		cairo_tag_begin(p->cr, "TH", NULL);
		text_layout(p, label, strong ? bold : font, x0 + 2 + indent, y, lw,
			    PANGO_ALIGN_LEFT, 1, one_line);
		cairo_tag_end(p->cr, "TH");
		char cell[96];
		for (size_t k = 0; k < nval; k++) {
			report_cell(r, t, i, k, 0, cell, sizeof cell);
			cairo_tag_begin(p->cr, "TD", NULL);
			text_at(p, cell, strong ? bold : font,
				x0 + label_w + (double)k * col_w, y, col_w - 4,
				PANGO_ALIGN_RIGHT, 1);
			cairo_tag_end(p->cr, "TD");
		}
		if (!cross) {
			const char *f = strong ? bold : font;
			double v = pct ? pct[i * t->ncols] : -1;
			cairo_tag_begin(p->cr, "TD", NULL);
			if (v >= 0) {
				mj_format_number(v, 1, r->lang, cell, sizeof cell);
				text_at(p, cell, f, xs[1], y, ws[1] - 4, PANGO_ALIGN_RIGHT, 1);
			}
			cairo_tag_end(p->cr, "TD");
			double now, before, pc;
			if (show[XCOL_COMPARED] && report_change(r, sec, i, 0, &now, &before, &pc)) {
				mj_format_number(before, -1, r->lang, cell, sizeof cell);
				cairo_tag_begin(p->cr, "TD", NULL);
				text_at(p, cell, f, xs[2 + XCOL_COMPARED], y, ws[2 + XCOL_COMPARED] - 4,
					PANGO_ALIGN_RIGHT, 1);
				cairo_tag_end(p->cr, "TD");
				report_change_text(r, now - before, pc, cell, sizeof cell);
				cairo_tag_begin(p->cr, "TD", NULL);
				text_at(p, cell, f, xs[2 + XCOL_CHANGE], y, ws[2 + XCOL_CHANGE] - 4,
					PANGO_ALIGN_RIGHT, 1);
				cairo_tag_end(p->cr, "TD");
			}
			/* An interval or a rate would give a hidden count away. */
			int hidden = row->suppressed[0];
			double lo = report_stat(r, sec, "ci_low", i, 0, NULL, NULL);
			double hi = report_stat(r, sec, "ci_high", i, 0, NULL, NULL);
			if (show[XCOL_CI] && !hidden && !isnan(lo) && !isnan(hi)) {
				char a[32], b[32];
				mj_format_number(lo, 1, r->lang, a, sizeof a);
				mj_format_number(hi, 1, r->lang, b, sizeof b);
				snprintf(cell, sizeof cell, "%s–%s", a, b);
				cairo_tag_begin(p->cr, "TD", NULL);
				text_at(p, cell, f, xs[2 + XCOL_CI], y, ws[2 + XCOL_CI] - 4,
					PANGO_ALIGN_RIGHT, 1);
				cairo_tag_end(p->cr, "TD");
			}
			int rd;
			const char *mark;
			double rate = report_stat(r, sec, "rate", i, 0, &mark, &rd);
			if (show[XCOL_RATE] && !hidden && (!isnan(rate) || mark)) {
				/* A rate, or why there is none ("no population"). */
				if (!isnan(rate))
					mj_format_number(rate, rd, r->lang, cell, sizeof cell);
				cairo_tag_begin(p->cr, "TD", NULL);
				text_at(p, isnan(rate) ? mark : cell, isnan(rate) ? mark_font : f,
					xs[2 + XCOL_RATE], y, ws[2 + XCOL_RATE] - 4,
					PANGO_ALIGN_RIGHT, 1);
				cairo_tag_end(p->cr, "TD");
			}
		}
		cairo_tag_end(p->cr, "TR");
		y += rh;
	}
	cairo_tag_end(p->cr, "Table");
	free(pct);
	return y + 6;
}

/* Under a table: its chi-square test (as mj-tab prints it) and the notes
 * of its statistics. */
char *report_table_notes(const struct report *r, size_t sec)
{
	GString *text = g_string_new(NULL);
	/* The "x" mark is explained under every table that shows it. */
	if (mj_table_has_hidden(r->t[sec], MJ_HIDDEN_COMPLEMENT))
		g_string_append_printf(text, "%s.\n", mj_table_mark_note(r->lang));
	const struct mj_stats *s = r->sx ? &r->sx[sec] : NULL;
	if (!s) {
		/* Nothing more to say. */
	} else if (s->has_test) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (f) {
			mj_chi2_write(f, &s->test, r->lang);
			fclose(f);
			/* Lines aligned for a fixed-width terminal: here one space
			 * between words, no blank lines. */
			char **lines = g_strsplit(buf ? buf : "", "\n", -1);
			for (char **l = lines; *l; l++) {
				char **words = g_strsplit_set(g_strstrip(*l), " ", -1);
				int any = 0;
				for (char **w = words; *w; w++)
					if (**w) {
						g_string_append_printf(text, "%s%s", any ? " " : "", *w);
						any = 1;
					}
				if (any)
					g_string_append_c(text, '\n');
				g_strfreev(words);
			}
			g_strfreev(lines);
		}
		free(buf);
	} else if (s->test_problem[0]) {
		g_string_append_printf(text, "%s\n", s->test_problem);
	}
	size_t nnotes = s ? s->nnotes : 0;
	/* Only the notes of what the table shows: a cross-tab here shows
	 * counts alone, and the method page tells of the comparison. */
	int cross = r->t[sec]->col_dim != NULL;
	for (size_t k = 0; k < nnotes; k++) {
		int kind = r->note_kind ? r->note_kind[sec][k] : REPORT_NOTE_MULTI;
		if (kind == REPORT_NOTE_COMPARE ||
		    (cross && (kind == REPORT_NOTE_CI || kind == REPORT_NOTE_RATES)) ||
		    (kind == REPORT_NOTE_RATES && !stat_any(r, sec, "rate", 0)))
			continue;
		g_string_append_printf(text, "%s\n", s->notes[k]);
	}
	while (text->len && text->str[text->len - 1] == '\n')
		g_string_truncate(text, text->len - 1);
	return g_string_free(text, text->len == 0);
}

/* The notes under a table, small and grey. Returns the y below them. */
static double table_notes(struct pdf *p, size_t sec, double y)
{
	char *text = report_table_notes(p->r, sec);
	if (text) {
		grey(p, 0.35);
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, text, "DejaVu Sans 7", MARGIN, y, PAGE_W - 2 * MARGIN,
			     PANGO_ALIGN_LEFT, 1) + 4;
		cairo_tag_end(p->cr, "P");
	}
	g_free(text);
	return y;
}

/* "period · n = N · source", and the filters that the table's records
 * passed, as every table page shows them. */
static void subtitle(const struct report *r, const struct mj_table *t,
		     const char *filters, char *buf, size_t len)
{
	char n[64];
	const struct mj_table_row *tot = mj_table_total(t);
	mj_format_number(tot ? tot->values[t->ncols - 1] : 0, -1, r->lang, n, sizeof n);
	/* Records without dates have no period to show. */
	if (r->stats.period_from[0])
	{
		char range[80];
		snprintf(buf, len, "%s · n = %s · %s", report_range(r, r->stats.period_from,
			 r->stats.period_to, range, sizeof range), n, r->source ? r->source : "");
	}
	else
		snprintf(buf, len, "n = %s · %s", n, r->source ? r->source : "");
	if (filters && *filters) {
		size_t used = strlen(buf);
		if (used < len)
			report_filters_text(r, filters, buf + used, len - used);
	}
}

char *report_first_subtitle(const struct report *r, char *buf, size_t len)
{
	/* The schema's name is in English only; other languages show the
	 * source alone. */
	if (r->lang == MJ_LANG_EN)
		snprintf(buf, len, "%s · %s", mj_schema_name(r->schema),
			 r->source ? r->source : "");
	else
		snprintf(buf, len, "%s", r->source ? r->source : "");
	if (r->filters && *r->filters) {
		size_t used = strlen(buf);
		if (used < len)
			report_filters_text(r, r->filters, buf + used, len - used);
	}
	return buf;
}

static void page_first(struct pdf *p, GPtrArray *para)
{
	const struct report *r = p->r;
	char sub[512];
	report_first_subtitle(r, sub, sizeof sub);
	double y = heading(p, g_ptr_array_index(para, 0), sub);
	grey(p, 0.1);
	cairo_tag_begin(p->cr, "H2", NULL);
	y += text_at(p, report_word(r, "key_figures"), "DejaVu Sans Bold 11", MARGIN, y,
		     0, PANGO_ALIGN_LEFT, 1) + 6;
	cairo_tag_end(p->cr, "H2");
	y = key_figures(p, y) + 4;
	/* The narrative, without its method paragraph (the last page has it). */
	for (guint i = 1; i + 1 < para->len; i++) {
		grey(p, 0.1);
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, g_ptr_array_index(para, i), "DejaVu Sans 9.5", MARGIN, y,
			     PAGE_W - 2 * MARGIN, PANGO_ALIGN_LEFT, 1) + 7;
		cairo_tag_end(p->cr, "P");
	}
	page_end(p);
}

char *report_section_subtitle(const struct report *r, size_t section, char *buf,
			      size_t len)
{
	const struct mj_schema_section *sec = r->sections[section];
	const struct mj_table *t = r->t[section];
	/* A section that keeps only some records says which: its table's
	 * filters are the run's and its own. */
	subtitle(r, t, sec->nwhere ? t->filters : r->filters, buf, len);
	return buf;
}

static enum mj_status page_table(struct pdf *p, size_t section,
				  struct mj_error *err)
{
	const struct mj_schema_section *sec = p->r->sections[section];
	const struct mj_table *t = p->r->t[section];
	char sub[512];
	report_section_subtitle(p->r, section, sub, sizeof sub);
	double y = heading(p, t->title ? t->title : "", sub);
	y = table_draw(p, section, y);
	y = table_notes(p, section, y) + 10;
	enum mj_status st = MJ_OK;
	/* The section's first chart fills the rest of the page. */
	double h = FOOTER_Y - 16 - y;
	if (sec->ncharts && !report_table_empty(t) && h >= 120) {
		struct mj_chart_opts co;
		mj_chart_opts_init(&co);
		co.type = (enum mj_chart_type)sec->charts[0];
		co.lang = (int)p->r->lang;
		report_chart_stats(p->r, section, &co);
		co.title = "";
		co.subtitle = "";
		co.note = "";
		co.font_size = 8;
		if (h > 420)
			h = 420;
		/* Charts set text at 96 dpi; drawn at 3/4 scale, their 8 pt
		 * is the page's 8 pt, beside the tables' 9 pt. */
		const double k = 0.75;
		cairo_save(p->cr);
		cairo_translate(p->cr, MARGIN, y);
		cairo_scale(p->cr, k, k);
		/* A figure, with the table's title and largest categories as
		 * its alternative text (added when the file is finished). */
		cairo_tag_begin(p->cr, "Figure", NULL);
		st = mj_chart_draw(p->cr, (PAGE_W - 2 * MARGIN) / k, h / k, t,
				   p->r->schema, &co, err);
		cairo_tag_end(p->cr, "Figure");
		char *alt = report_section_sentence(p->r, section);
		g_ptr_array_add(p->alts, alt ? alt : g_strdup(t->title ? t->title : ""));
		cairo_restore(p->cr);
	}
	page_end(p);
	return st;
}

static void page_method(struct pdf *p)
{
	const struct report *r = p->r;
	double y = heading(p, report_word(r, "method_title"), NULL);
	char *m = report_method(r);
	grey(p, 0.1);
	cairo_tag_begin(p->cr, "P", NULL);
	y += text_at(p, m, "DejaVu Sans 10", MARGIN, y, PAGE_W - 2 * MARGIN,
		     PANGO_ALIGN_LEFT, 1) + 10;
	cairo_tag_end(p->cr, "P");
	g_free(m);
	double w = PAGE_W - 2 * MARGIN;
	/* What was counted: every table by its title. */
	GString *s = g_string_new(report_word(r, "tables"));
	for (size_t i = 0; i < r->n; i++) {
		const struct mj_table *t = r->t[i];
		g_string_append_printf(s, "%s%s", i ? "; " : "", t->title ? t->title : "");
	}
	g_string_append_c(s, '.');
	cairo_tag_begin(p->cr, "P", NULL);
	y += text_at(p, s->str, "DejaVu Sans 10", MARGIN, y, w, PANGO_ALIGN_LEFT, 1) + 10;
	cairo_tag_end(p->cr, "P");
	g_string_free(s, TRUE);
	cairo_tag_begin(p->cr, "P", NULL);
	y += text_at(p, report_word(r, r->stats.rejected ? "rejected_some" : "rejected_none"),
		     "DejaVu Sans 10", MARGIN, y, w, PANGO_ALIGN_LEFT, 1) + 10;
	cairo_tag_end(p->cr, "P");
	if (r->rejected && r->rejected->len) {
		s = g_string_new(report_word(r, "rejected_at"));
		g_string_append(s, r->rejected->str);
		if (r->rejected_more) {
			char n[64];
			mj_format_number((double)r->rejected_more, -1, r->lang, n, sizeof n);
			const char *f = report_word(r, "rejected_more");
			const char *at = strstr(f, "%s");
			g_string_append_len(s, f, at - f);
			g_string_append(s, n);
			g_string_append(s, at + 2);
		} else {
			g_string_append_c(s, '.');
		}
		grey(p, 0.25);
		cairo_tag_begin(p->cr, "P", NULL);
		text_at(p, s->str, "DejaVu Sans 8.5", MARGIN, y, w, PANGO_ALIGN_LEFT, 1);
		cairo_tag_end(p->cr, "P");
		g_string_free(s, TRUE);
	}
	page_end(p);
}


enum mj_status report_pdf_write(const struct report *r, const char *path,
				struct mj_error *err)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		enum mj_status st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
			cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return st;
	}
	/* The period's end is the only date in the file, so the same input
	 * gives the same bytes. */
	char date[32];
	snprintf(date, sizeof date, "%sT00:00:00Z", r->date);
	GPtrArray *para = report_narrative(r);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       g_ptr_array_index(para, 0));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, r->program);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);

	struct pdf p = {.r = r, .page = 1, .npages = (int)r->n + 2,
			.alts = g_ptr_array_new_with_free_func(g_free)};
	p.cr = cairo_create(s);
	p.pc = pango_cairo_create_context(p.cr);
	/* One Pango point is one PDF point. */
	pango_cairo_context_set_resolution(p.pc, 72);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p.pc, fo);
	cairo_font_options_destroy(fo);

	/* cairo marks the file as tagged when one Document holds the rest. */
	cairo_tag_begin(p.cr, "Document", NULL);
	page_first(&p, para);
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < r->n && st == MJ_OK; i++)
		st = page_table(&p, i, err);
	if (st == MJ_OK)
		page_method(&p);
	cairo_tag_end(p.cr, "Document");
	g_ptr_array_unref(para);

	g_object_unref(p.pc);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	if (st == MJ_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
				  cairo_status_to_string(cairo_surface_status(s)));
	cairo_surface_destroy(s);
	/* The language and the figures' words, which cairo cannot write. */
	if (st == MJ_OK)
		st = report_pdf_annotate(path, mj_lang_tag(r->lang),
					 (const char *const *)p.alts->pdata, p.alts->len, err);
	g_ptr_array_unref(p.alts);
	return st;
}
