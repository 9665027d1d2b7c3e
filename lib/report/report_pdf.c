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
#include "trend.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 50.0
#define FOOTER_Y (PAGE_H - 30.0)

struct pdf {
	const struct report *r;
	cairo_t *cr;
	PangoContext *pc;
	int page, npages;
	double y; /* where the next section starts on the page; 0: a new page */
	double table_w; /* the width of the next table; 0: the page's */
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
	/* A line may break after a dash even before a no-break space; a word
	 * joiner after it keeps "01.01.2023 – 31.08.2023" on one line. */
	gchar **parts = g_strsplit(text, "\u2013\u00a0", -1);
	gchar *joined = g_strjoinv("\u2013\u2060\u00a0", parts);
	g_strfreev(parts);
	pango_layout_set_text(l, joined, -1);
	g_free(joined);
	int lw, lh;
	pango_layout_get_size(l, &lw, &lh);
	if (w > 0 && one_line) {
		/* A label too long for its row takes a smaller font first, down
		 * to two thirds, and is cut short only if it still overflows. */
		PangoFontDescription *small = pango_font_description_from_string(font);
		int size = pango_font_description_get_size(small), min = size * 2 / 3;
		pango_layout_set_width(l, -1);
		pango_layout_get_size(l, &lw, &lh);
		while (lw > (int)(w * PANGO_SCALE) && size > min) {
			size -= PANGO_SCALE / 4;
			pango_font_description_set_size(small, size);
			pango_layout_set_font_description(l, small);
			pango_layout_get_size(l, &lw, &lh);
		}
		pango_font_description_free(small);
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		pango_layout_get_size(l, &lw, &lh);
	}
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
static double heading_at(struct pdf *p, double y, const char *title, const char *sub)
{
	grey(p, 0.1);
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

static double heading(struct pdf *p, const char *title, const char *sub)
{
	return heading_at(p, MARGIN, title, sub);
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
	/* Boxes as tall as the longest label needs ("+5,9 % 2023 йил июл
	 * ойига нисбатан · тебранишлар доирасида" takes four lines). */
	double h = 62;
	for (size_t i = 0; i < n; i++)
		h = fmax(h, 36 + text_at(p, lab[i], "DejaVu Sans 8.5", 0, 0, w - 14,
					 PANGO_ALIGN_LEFT, 0) + 6);
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

/* Columns a one-way table shows beside count and percent. */
enum { XCOL_COMPARED, XCOL_CHANGE, XCOL_CI, XCOL_RATE, XCOL_N };

/* Where a table's columns go and how it is set: measured before it is
 * drawn. */
struct table_look {
	double x0, w;            /* left edge and width */
	int cross;               /* a cross-tab */
	int show[XCOL_N];        /* the one-way table's extra columns */
	size_t nextra, nval;
	double label_w, col_w, rh;
	const char *font, *bold, *mark_font;
	double xs[2 + XCOL_N], ws[2 + XCOL_N]; /* count, percent, extras */
	const char *heads[2 + XCOL_N];
	char ci_head[32], rate_head[64];
};

/* Measures the table of section sec: which extra columns it shows, the
 * width of its labels and columns, its type. Each extra column takes room
 * from the labels; many of them make the type smaller. */
static void table_measure(struct pdf *p, size_t sec, struct table_look *L)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	memset(L, 0, sizeof *L);
	/* A narrow table leaves the right of the page to its chart. */
	L->x0 = MARGIN;
	L->w = p->table_w > 0 ? p->table_w : PAGE_W - 2 * MARGIN;
	double w = L->w;
	int cross = L->cross = t->col_dim != NULL;
	int *show = L->show;
	size_t nextra = 0;
	if (!cross) {
		show[XCOL_COMPARED] = show[XCOL_CHANGE] = report_stat_any(r, sec, "count_compared", 0);
		show[XCOL_CI] = report_stat_any(r, sec, "ci_low", 0);
		show[XCOL_RATE] = report_stat_any(r, sec, "rate", 0);
		for (size_t k = 0; k < XCOL_N; k++)
			nextra += (size_t)show[k];
	}
	L->nextra = nextra;
	size_t nval = L->nval = t->ncols;
	double ci_w = 60;
	double label_w = cross ? 135 : nextra == 0 ? w - 195 : 290 - 55.0 * (double)nextra;
	if (!cross && label_w < 150)
		label_w = 150;
	if (cross) {
		/* The row labels take what the longest needs (up to 135), the
		 * columns the rest: a header such as "Psychological" then keeps
		 * a readable size. */
		double need = 60;
		for (size_t i = 0; i < t->nrows; i++) {
			const struct mj_table_row *row = &t->rows[i];
			const char *lab = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					  : mj_table_row_label(t, row);
			need = fmax(need, text_width(p, lab, row->kind == MJ_ROW_CATEGORY
						     ? "DejaVu Sans 7.5" : "DejaVu Sans Bold 7.5") +
					  12.0 * row->level + 12);
		}
		label_w = fmin(label_w, need);
	}
	double col_w = cross ? (w - label_w) / (double)nval
		       : (w - label_w - (show[XCOL_CI] ? ci_w : 0)) /
			 (double)(2 + nextra - (size_t)show[XCOL_CI]);
	int small = cross || nextra >= 3;
	L->font = small ? "DejaVu Sans 7.5" : "DejaVu Sans 9";
	L->bold = small ? "DejaVu Sans Bold 7.5" : "DejaVu Sans Bold 9";
	L->rh = small ? 14 : 15;
	/* A mark in place of a rate is set smaller; the rate column is made
	 * wide enough for the longest. */
	const char *mark_font = L->mark_font = "DejaVu Sans 6.5";
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
	L->label_w = label_w;
	L->col_w = col_w;
	/* Where each column starts: count, percent, then the extras. */
	L->heads[0] = report_word(r, "count");
	L->heads[1] = report_word(r, "percent");
	double at = L->x0 + label_w;
	for (size_t k = 0; k < 2 + XCOL_N; k++) {
		int on = k < 2 || show[k - 2];
		L->ws[k] = !on ? 0 : k == 2 + XCOL_CI ? ci_w : k == 2 + XCOL_RATE ? rate_w : col_w;
		L->xs[k] = at;
		at += L->ws[k];
	}
	if (!cross) {
		L->heads[2 + XCOL_COMPARED] = r->compare_name;
		L->heads[2 + XCOL_CHANGE] = report_word(r, "change");
		if (r->so && r->so->ci_level > 0) {
			char lv[16];
			mj_format_number(r->so->ci_level * 100, -1, r->lang, lv, sizeof lv);
			GString *h = g_string_new(NULL);
			report_append_word(h, r, "ci_head", lv);
			snprintf(L->ci_head, sizeof L->ci_head, "%s", h->str);
			g_string_free(h, TRUE);
		}
		L->heads[2 + XCOL_CI] = L->ci_head;
		if (r->so && r->so->rate_per > 0) {
			char per[32];
			mj_format_number(r->so->rate_per, -1, r->lang, per, sizeof per);
			GString *h = g_string_new(NULL);
			report_append_word(h, r, "rate_head", per);
			snprintf(L->rate_head, sizeof L->rate_head, "%s", h->str);
			g_string_free(h, TRUE);
		}
		L->heads[2 + XCOL_RATE] = L->rate_head;
	}
}

/* The table's header row from y: the row dimensions, then the columns;
 * the rule under it. The tags make it a table of header and data cells
 * for a reader of the tagged PDF. Returns the y below. */
static double table_header(struct pdf *p, const struct mj_table *t,
			   const struct table_look *L, double y)
{
	double x0 = L->x0, label_w = L->label_w, col_w = L->col_w;
	const char *bold = L->bold, *font = L->font;
	size_t nval = L->nval;
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
	if (L->cross) {
		/* A cross-tab's many narrow columns: when a header is too wide
		 * in bold, every header is set in the regular face (the rule
		 * under them marks them) before any is set smaller. */
		const char *hf = bold;
		for (size_t k = 0; k < nval; k++)
			if (text_width(p, t->col_labels[k], bold) > col_w - 3)
				hf = font;
		for (size_t k = 0; k < nval; k++) {
			cairo_tag_begin(p->cr, "TH", NULL);
			double th = text_at(p, t->col_labels[k], hf,
					    x0 + label_w + (double)k * col_w, y, col_w - 3,
					    PANGO_ALIGN_RIGHT, 1);
			cairo_tag_end(p->cr, "TH");
			if (th > hh)
				hh = th;
		}
	} else {
		for (size_t k = 0; k < 2 + XCOL_N; k++) {
			if (L->ws[k] <= 0)
				continue;
			cairo_tag_begin(p->cr, "TH", NULL);
			double th = text_at(p, L->heads[k], bold, L->xs[k], y, L->ws[k] - 4,
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
	cairo_line_to(p->cr, x0 + L->w, y);
	cairo_stroke(p->cr);
	return y + 3;
}

/* A data cell at column k of the look, right-aligned, tagged. */
static void table_cell(struct pdf *p, const struct table_look *L, size_t k,
		       const char *text, const char *font, double y)
{
	cairo_tag_begin(p->cr, "TD", NULL);
	text_at(p, text, font, L->xs[k], y, L->ws[k] - 4, PANGO_ALIGN_RIGHT, 1);
	cairo_tag_end(p->cr, "TD");
}

/* The extra cells of row i of a one-way table at y: its percent (pct),
 * the compared count and the change, the interval, the rate. */
static void table_extras(struct pdf *p, size_t sec, const struct table_look *L,
			 size_t i, const double *pct, const char *f, double y)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	const struct mj_table_row *row = &t->rows[i];
	char cell[96];
	double v = pct ? pct[i * t->ncols] : -1;
	cairo_tag_begin(p->cr, "TD", NULL);
	if (v >= 0) {
		mj_format_number(v, 1, r->lang, cell, sizeof cell);
		text_at(p, cell, f, L->xs[1], y, L->ws[1] - 4, PANGO_ALIGN_RIGHT, 1);
	}
	cairo_tag_end(p->cr, "TD");
	double now, before, pc;
	if (L->show[XCOL_COMPARED] && report_change(r, sec, i, 0, &now, &before, &pc)) {
		mj_format_number(before, -1, r->lang, cell, sizeof cell);
		table_cell(p, L, 2 + XCOL_COMPARED, cell, f, y);
		report_change_text(r, now - before, pc, cell, sizeof cell);
		table_cell(p, L, 2 + XCOL_CHANGE, cell, f, y);
	}
	/* An interval or a rate would give a hidden count away. */
	int hidden = row->suppressed[0];
	double lo = report_stat(r, sec, "ci_low", i, 0, NULL, NULL);
	double hi = report_stat(r, sec, "ci_high", i, 0, NULL, NULL);
	if (L->show[XCOL_CI] && !hidden && !isnan(lo) && !isnan(hi)) {
		char a[32], b[32];
		mj_format_number(lo, 1, r->lang, a, sizeof a);
		mj_format_number(hi, 1, r->lang, b, sizeof b);
		snprintf(cell, sizeof cell, "%s–%s", a, b);
		table_cell(p, L, 2 + XCOL_CI, cell, f, y);
	}
	int rd;
	const char *mark;
	double rate = report_stat(r, sec, "rate", i, 0, &mark, &rd);
	if (L->show[XCOL_RATE] && !hidden && (!isnan(rate) || mark)) {
		/* A rate, or why there is none ("no population"). */
		if (!isnan(rate))
			mj_format_number(rate, rd, r->lang, cell, sizeof cell);
		table_cell(p, L, 2 + XCOL_RATE, isnan(rate) ? mark : cell,
			   isnan(rate) ? L->mark_font : f, y);
	}
}

/* Draws the table of section sec from y; returns the y below it. A one-way
 * table gets, as asked, the compared count and the change in percent, the
 * interval of the percent and the rate beside its count and percent. */
static double table_draw(struct pdf *p, size_t sec, double y)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	struct table_look L;
	table_measure(p, sec, &L);
	double x0 = L.x0, w = L.w, rh = L.rh, label_w = L.label_w, col_w = L.col_w;
	const char *font = L.font, *bold = L.bold;
	cairo_tag_begin(p->cr, "Table", NULL);
	y = table_header(p, t, &L, y);
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
		for (size_t k = 0; k < L.nval; k++) {
			report_cell(r, t, i, k, 0, cell, sizeof cell);
			cairo_tag_begin(p->cr, "TD", NULL);
			text_at(p, cell, strong ? bold : font,
				x0 + label_w + (double)k * col_w, y, col_w - 4,
				PANGO_ALIGN_RIGHT, 1);
			cairo_tag_end(p->cr, "TD");
		}
		if (!L.cross)
			table_extras(p, sec, &L, i, pct, strong ? bold : font, y);
		cairo_tag_end(p->cr, "TR");
		y += rh;
	}
	cairo_tag_end(p->cr, "Table");
	free(pct);
	return y + 6;
}

/* The notes under a table, small and grey, in width w. Returns the y
 * below them. */
static double table_notes_w(struct pdf *p, size_t sec, double y, double w)
{
	char *text = report_table_notes(p->r, sec);
	if (text) {
		grey(p, 0.35);
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, text, "DejaVu Sans 7", MARGIN, y, w,
			     PANGO_ALIGN_LEFT, 1) + 4;
		cairo_tag_end(p->cr, "P");
	}
	g_free(text);
	return y;
}

static double table_notes(struct pdf *p, size_t sec, double y)
{
	return table_notes_w(p, sec, y, PAGE_W - 2 * MARGIN);
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

/* The height a section's chart is given: bars and pies a third of a
 * page, bars a line each, maps and cross-tabs more. */
static double chart_height(const struct mj_table *t, enum mj_chart_type type)
{
	size_t rows = 0;
	for (size_t i = 0; i < t->nrows; i++)
		rows += t->rows[i].kind != MJ_ROW_TOTAL;
	switch (type) {
	case MJ_CHART_HBAR:
	case MJ_CHART_STACKED:
		return fmin(420, 70 + 22.0 * (double)rows);
	case MJ_CHART_MAP:
		return 330;
	case MJ_CHART_BAR:
		return t->col_dim ? 300 : 240;
	default:
		return 250;
	}
}

/* The note under a chart that names what it leaves out as empty (note
 * from mj_chart_shown(), NULL: none), in width w from x. Returns the
 * height used. */
static double drop_note(struct pdf *p, const char *note, double x, double y, double w)
{
	if (!note)
		return 0;
	grey(p, 0.35);
	cairo_tag_begin(p->cr, "P", NULL);
	double h = text_at(p, note, "DejaVu Sans 7", x, y, w, PANGO_ALIGN_LEFT, 1) + 4;
	cairo_tag_end(p->cr, "P");
	return h;
}

/* Draws section's heading, table, notes and chart from y; returns the y
 * below them. */
static enum mj_status section_draw(struct pdf *p, size_t section, double *yp,
				   struct mj_error *err)
{
	const struct report *r = p->r;
	const struct mj_schema_section *sec = r->sections[section];
	const struct mj_table *t = r->t[section];
	char sub[512];
	report_section_subtitle(r, section, sub, sizeof sub);
	double y = heading_at(p, *yp, t->title ? t->title : "", sub);
	enum mj_status st = MJ_OK;
	double w = PAGE_W - 2 * MARGIN;
	long only;
	int nonzero = t->col_dim ? 2 : report_chart_nonzero(t, &only);
	/* A short one-way table with nothing beside its counts and a chart
	 * of bars or a ring: the table at the left, the chart at its right. */
	enum mj_chart_type type = sec->ncharts ? (enum mj_chart_type)sec->charts[0] : MJ_CHART_BAR;
	size_t rows = t->nrows;
	/* Horizontal bars stand beside a longer table: a bar a row (the 14
	 * regions' table and chart take half a page, not a whole one). */
	int beside = !t->col_dim && t->ndims == 1 && sec->ncharts &&
		     nonzero > 1 && !report_table_empty(t) &&
		     ((rows <= 9 && (type == MJ_CHART_BAR || type == MJ_CHART_DONUT ||
				     type == MJ_CHART_PIE)) ||
		      (rows <= 16 && type == MJ_CHART_HBAR)) &&
		     !report_stat_any(r, section, "count_compared", 0) && !report_stat_any(r, section, "ci_low", 0) &&
		     !report_stat_any(r, section, "rate", 0);
	if (beside) {
		const double tw = 255, gap = 15;
		p->table_w = tw;
		double ty = table_draw(p, section, y);
		p->table_w = 0;
		ty = table_notes_w(p, section, ty, tw);
		struct mj_chart_opts co;
		mj_chart_opts_init(&co);
		co.type = type;
		co.lang = (int)r->lang;
		co.title = "";
		co.subtitle = "";
		co.note = "";
		co.font_size = 8;
		char *dropped = NULL;
		struct mj_table *ct = mj_chart_shown(t, r->schema, type, (int)r->lang, &dropped);
		double cw = w - tw - gap, ch = fmax(215, ty - y);
		const double k = 0.75;
		cairo_save(p->cr);
		cairo_translate(p->cr, MARGIN + tw + gap, y);
		cairo_scale(p->cr, k, k);
		cairo_tag_begin(p->cr, "Figure", NULL);
		st = mj_chart_draw(p->cr, cw / k, ch / k, ct ? ct : t, r->schema, &co, err);
		cairo_tag_end(p->cr, "Figure");
		cairo_restore(p->cr);
		char *alt = report_section_sentence(r, section);
		g_ptr_array_add(p->alts, alt ? alt : g_strdup(t->title ? t->title : ""));
		y = fmax(ty, y + ch) + 4;
		y += drop_note(p, dropped, MARGIN + tw + gap, y, cw);
		mj_table_destroy(ct);
		free(dropped);
		*yp = y;
		return st;
	}
	y = table_draw(p, section, y);
	y = table_notes(p, section, y) + 8;
	if (!sec->ncharts || report_table_empty(t)) {
		/* No chart. */
	} else if (nonzero <= 1) {
		/* A chart of one bar says no more than the table: a sentence. */
		GString *say = g_string_new(NULL);
		if (only >= 0) {
			char cell[96];
			report_cell(r, t, (size_t)only, 0, 0, cell, sizeof cell);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			g_string_append_printf(say, report_chart_word(r, "one_bar"),
					       t->rows[only].kind == MJ_ROW_SUBTOTAL ? t->rows[only].labels[0]
					       : mj_table_row_label(t, &t->rows[only]), cell);
#pragma GCC diagnostic pop
		} else {
			g_string_append(say, report_chart_word(r, "nothing_bar"));
		}
		grey(p, 0.25);
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, say->str, "DejaVu Sans 8.5", MARGIN, y, w, PANGO_ALIGN_LEFT, 1) + 6;
		cairo_tag_end(p->cr, "P");
		g_string_free(say, TRUE);
	} else if (t->ndims >= 2 && !t->col_dim) {
		/* A nested table: each parent's bar with its subtotal, its
		 * children's bars under it (the sunburst is in charts/). */
		cairo_tag_begin(p->cr, "Figure", NULL);
		y += report_nested_bars(r, t, p->cr, MARGIN, y, w, 1) + 8;
		cairo_tag_end(p->cr, "Figure");
		/* What the bars leave out, as empty. */
		char *dropped = NULL;
		mj_table_destroy(mj_chart_shown(t, r->schema, MJ_CHART_HBAR, (int)r->lang,
						&dropped));
		y += drop_note(p, dropped, MARGIN, y, w);
		free(dropped);
		char *alt = report_section_sentence(r, section);
		g_ptr_array_add(p->alts, alt ? alt : g_strdup(t->title ? t->title : ""));
	} else {
		struct mj_chart_opts co;
		mj_chart_opts_init(&co);
		co.type = (enum mj_chart_type)sec->charts[0];
		co.lang = (int)r->lang;
		report_chart_stats(r, section, &co);
		co.title = "";
		co.subtitle = "";
		co.note = "";
		co.font_size = 8;
		/* A cross-tab's stacked bars show the mix: 100% bars. */
		co.percent = co.type == MJ_CHART_STACKED;
		/* The chart leaves out what counts nothing, unless its
		 * whiskers are cell for cell the table's. */
		char *dropped = NULL;
		struct mj_table *ct = co.stats ? NULL
				      : mj_chart_shown(t, r->schema, co.type, (int)r->lang, &dropped);
		const struct mj_table *drawn = ct ? ct : t;
		double h = chart_height(drawn, co.type);
		if (h > FOOTER_Y - 16 - y)
			h = FOOTER_Y - 16 - y;
		if (h >= 100) {
			/* Charts set text at 96 dpi; drawn at 3/4 scale, their 8 pt
			 * is the page's 8 pt, beside the tables' 9 pt. */
			const double k = 0.75;
			cairo_save(p->cr);
			cairo_translate(p->cr, MARGIN, y);
			cairo_scale(p->cr, k, k);
			/* A figure, with the table's title and largest categories as
			 * its alternative text (added when the file is finished). */
			cairo_tag_begin(p->cr, "Figure", NULL);
			st = mj_chart_draw(p->cr, w / k, h / k, drawn, r->schema, &co, err);
			cairo_tag_end(p->cr, "Figure");
			char *alt = report_section_sentence(r, section);
			g_ptr_array_add(p->alts, alt ? alt : g_strdup(t->title ? t->title : ""));
			cairo_restore(p->cr);
			y += h + 4;
			y += drop_note(p, dropped, MARGIN, y, w);
		}
		mj_table_destroy(ct);
		free(dropped);
	}
	*yp = y;
	return st;
}

/* Section's page, or the rest of the page before when it fits there: its
 * height is measured first by drawing it where nothing is kept. */
static enum mj_status page_table(struct pdf *p, size_t section,
				  struct mj_error *err)
{
	cairo_t *real = p->cr;
	cairo_surface_t *rs = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	p->cr = cairo_create(rs);
	guint nalts = p->alts->len;
	double end = MARGIN;
	enum mj_status st = section_draw(p, section, &end, err);
	g_ptr_array_set_size(p->alts, nalts);
	cairo_destroy(p->cr);
	cairo_surface_destroy(rs);
	p->cr = real;
	if (st != MJ_OK)
		return st;
	if (p->y > 0 && p->y + (end - MARGIN) > FOOTER_Y - 12) {
		page_end(p);
		p->y = 0;
	}
	double y = p->y > 0 ? p->y : MARGIN;
	st = section_draw(p, section, &y, err);
	p->y = y + 22;
	return st;
}

/* Whether section sec is the plain table by month that the trend's page
 * takes the place of. */
static int trend_section(const struct report *r, size_t sec)
{
	const struct mj_schema_section *s = r->sections[sec];
	return r->trend.on && strcmp(s->by, "month") == 0 && !s->cols && !s->sum &&
	       s->nwhere == 0;
}

/* The month in its trend: what it says, the columns of the months, and
 * their table with the changes on the month before and a year before. */
static void page_trend(struct pdf *p)
{
	const struct report *r = p->r;
	const struct report_trend *tr = &r->trend;
	char range[128], sub[512];
	report_trend_range(r, tr->first, tr->last, range, sizeof range);
	GString *title = g_string_new(NULL);
	/* The format comes from the trend's word table. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	g_string_append_printf(title, report_word(r, "trend_title"), range);
#pragma GCC diagnostic pop
	snprintf(sub, sizeof sub, "%s", r->source ? r->source : "");
	if (r->filters && *r->filters) {
		size_t used = strlen(sub);
		report_filters_text(r, r->filters, sub + used, sizeof sub - used);
	}
	double y = heading(p, title->str, sub);
	g_string_free(title, TRUE);
	double w = PAGE_W - 2 * MARGIN;
	char *say = report_trend_sentences(r);
	if (say) {
		grey(p, 0.1);
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, say, "DejaVu Sans 9.5", MARGIN, y, w, PANGO_ALIGN_LEFT, 1) + 10;
		cairo_tag_end(p->cr, "P");
	}
	cairo_tag_begin(p->cr, "Figure", NULL);
	report_trend_chart(r, p->cr, MARGIN, y, w, 290);
	cairo_tag_end(p->cr, "Figure");
	g_ptr_array_add(p->alts, say ? say : g_strdup(range));
	y += 290 + 16;
	/* The table: month, count, and the two changes. */
	const char *font = "DejaVu Sans 8.5", *bold = "DejaVu Sans Bold 8.5";
	double cw[4] = {130, 80, (w - 210) / 2, (w - 210) / 2}, cx[4];
	cx[0] = MARGIN;
	for (int k = 1; k < 4; k++)
		cx[k] = cx[k - 1] + cw[k - 1];
	const char *head[4] = {report_word(r, "trend_month"), report_word(r, "trend_appeals"),
			       report_word(r, "trend_on_prev"), report_word(r, "trend_on_year")};
	cairo_tag_begin(p->cr, "Table", NULL);
	cairo_tag_begin(p->cr, "TR", NULL);
	grey(p, 0.25);
	double hh = 0;
	for (int k = 0; k < 4; k++) {
		cairo_tag_begin(p->cr, "TH", NULL);
		double th = text_at(p, head[k], bold, cx[k], y, cw[k] - 6,
				    k ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, 1);
		cairo_tag_end(p->cr, "TH");
		if (th > hh)
			hh = th;
	}
	cairo_tag_end(p->cr, "TR");
	y += hh + 3;
	cairo_set_line_width(p->cr, 0.8);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, MARGIN + w, y);
	cairo_stroke(p->cr);
	y += 3;
	int same = 0;
	for (int m = tr->first; m <= tr->last; m++) {
		int strong = m == tr->last;
		const char *f = strong ? bold : font;
		if ((m - tr->first) % 2 == 1) {
			cairo_set_source_rgb(p->cr, 0.965, 0.965, 0.965);
			cairo_rectangle(p->cr, MARGIN, y - 1, w, 13);
			cairo_fill(p->cr);
		}
		grey(p, 0.1);
		char cell[4][128];
		double v;
		report_trend_month(r, m, 4, cell[0], sizeof cell[0]);
		if (report_trend_value(r, m, &v))
			mj_format_number(v, -1, r->lang, cell[1], sizeof cell[1]);
		else
			snprintf(cell[1], sizeof cell[1], "<%ld", r->min_cell);
		static const int back[] = {1, 12};
		for (int k = 0; k < 2; k++) {
			struct mj_trend_change c;
			cell[2 + k][0] = '\0';
			if (report_trend_change(r, m, m - back[k], &c)) {
				report_trend_change_text(r, &c, cell[2 + k], sizeof cell[0]);
				if (c.diff != 0 && !c.real) {
					size_t used = strlen(cell[2 + k]);
					snprintf(cell[2 + k] + used, sizeof cell[0] - used, " ≈");
					same = 1;
				}
			} else {
				snprintf(cell[2 + k], sizeof cell[0], "—");
			}
		}
		cairo_tag_begin(p->cr, "TR", NULL);
		for (int k = 0; k < 4; k++) {
			cairo_tag_begin(p->cr, k ? "TD" : "TH", NULL);
			text_at(p, cell[k], f, cx[k], y, cw[k] - 6,
				k ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, 1);
			cairo_tag_end(p->cr, k ? "TD" : "TH");
		}
		cairo_tag_end(p->cr, "TR");
		y += 13;
	}
	cairo_tag_end(p->cr, "Table");
	y += 4;
	grey(p, 0.35);
	if (same) {
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, report_word(r, "trend_legend_same"), "DejaVu Sans 7", MARGIN, y, w,
			     PANGO_ALIGN_LEFT, 1) + 2;
		cairo_tag_end(p->cr, "P");
	}
	char *m = report_trend_method(r);
	cairo_tag_begin(p->cr, "P", NULL);
	text_at(p, m, "DejaVu Sans 7", MARGIN, y, w, PANGO_ALIGN_LEFT, 1);
	cairo_tag_end(p->cr, "P");
	g_free(m);
	page_end(p);
}

/* The main breakdown's mix in each month of the trend, as 100% bars
 * (a composition over time: one crowded line chart would not read). It
 * starts a page; the sections after it flow on below it. */
static enum mj_status page_mix(struct pdf *p, struct mj_error *err)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->trend.mix;
	char title[256], sub[512];
	report_trend_mix_title(r, title, sizeof title);
	snprintf(sub, sizeof sub, "%s · %s", report_word(r, "mix_sub"), r->source ? r->source : "");
	if (r->filters && *r->filters) {
		size_t used = strlen(sub);
		report_filters_text(r, r->filters, sub + used, sizeof sub - used);
	}
	double y = heading(p, title, sub);
	double w = PAGE_W - 2 * MARGIN;
	struct mj_chart_opts co;
	mj_chart_opts_init(&co);
	co.type = MJ_CHART_STACKED;
	co.percent = 1;
	co.lang = (int)r->lang;
	co.title = "";
	co.subtitle = "";
	co.note = "";
	co.font_size = 8;
	char *dropped = NULL;
	struct mj_table *ct = mj_chart_shown(t, r->schema, co.type, (int)r->lang, &dropped);
	if (!ct)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	size_t rows = t->nrows;
	double h = fmin(FOOTER_Y - 40 - y, 60 + 21.0 * (double)rows);
	const double k = 0.75;
	cairo_save(p->cr);
	cairo_translate(p->cr, MARGIN, y);
	cairo_scale(p->cr, k, k);
	cairo_tag_begin(p->cr, "Figure", NULL);
	enum mj_status st = mj_chart_draw(p->cr, w / k, h / k, ct, r->schema, &co, err);
	cairo_tag_end(p->cr, "Figure");
	cairo_restore(p->cr);
	g_ptr_array_add(p->alts, g_strdup(title));
	y += h + 4;
	y += drop_note(p, dropped, MARGIN, y, w);
	free(dropped);
	mj_table_destroy(ct);
	p->y = y + 22;
	return st;
}

static void page_method(struct pdf *p)
{
	const struct report *r = p->r;
	if (p->y > 0) {
		page_end(p);
		p->y = 0;
	}
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
	char *rejected = report_rejected_text(r);
	if (rejected) {
		grey(p, 0.25);
		cairo_tag_begin(p->cr, "P", NULL);
		text_at(p, rejected, "DejaVu Sans 8.5", MARGIN, y, w, PANGO_ALIGN_LEFT, 1);
		cairo_tag_end(p->cr, "P");
		g_free(rejected);
	}
	page_end(p);
}

static cairo_status_t write_nothing(void *closure, const unsigned char *data,
				    unsigned int length)
{
	(void)closure;
	(void)data;
	(void)length;
	return CAIRO_STATUS_SUCCESS;
}

/* Draws every page onto surface s, the footers saying "of npages";
 * returns the pages drawn in *pages. */
static enum mj_status render(const struct report *r, cairo_surface_t *s, GPtrArray *para,
			     int npages, int *pages, GPtrArray *alts, struct mj_error *err)
{
	struct pdf p = {.r = r, .page = 1, .npages = npages, .alts = alts};
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
	/* The trend's page comes second, in place of the table by month. */
	if (r->trend.on)
		page_trend(&p);
	enum mj_status st = MJ_OK;
	if (r->trend.mix)
		st = page_mix(&p, err);
	for (size_t i = 0; i < r->n && st == MJ_OK; i++)
		if (!trend_section(r, i))
			st = page_table(&p, i, err);
	if (st == MJ_OK)
		page_method(&p);
	cairo_tag_end(p.cr, "Document");
	g_object_unref(p.pc);
	cairo_destroy(p.cr);
	*pages = p.page - 1;
	return st;
}

enum mj_status report_pdf_write(const struct report *r, const char *path,
				struct mj_error *err)
{
	/* Sections share a page where they fit, so the pages are counted
	 * by drawing them once where nothing is kept. */
	GPtrArray *para = report_narrative(r);
	GPtrArray *alts = g_ptr_array_new_with_free_func(g_free);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_nothing, NULL,
								 PAGE_W, PAGE_H);
	int npages = 0;
	enum mj_status st = render(r, s, para, 0, &npages, alts, err);
	cairo_surface_destroy(s);
	g_ptr_array_set_size(alts, 0);
	if (st != MJ_OK) {
		g_ptr_array_unref(para);
		g_ptr_array_unref(alts);
		return st;
	}
	s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
			cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		g_ptr_array_unref(para);
		g_ptr_array_unref(alts);
		return st;
	}
	/* The period's end is the only date in the file, so the same input
	 * gives the same bytes. */
	char date[32];
	snprintf(date, sizeof date, "%sT00:00:00Z", r->date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       g_ptr_array_index(para, 0));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, r->program);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	int drawn = 0;
	st = render(r, s, para, npages, &drawn, alts, err);
	g_ptr_array_unref(para);
	cairo_surface_finish(s);
	if (st == MJ_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
				  cairo_status_to_string(cairo_surface_status(s)));
	cairo_surface_destroy(s);
	/* The language and the figures' words, which cairo cannot write. */
	if (st == MJ_OK)
		st = report_pdf_annotate(path, mj_lang_tag(r->lang),
					 (const char *const *)alts->pdata, alts->len, err);
	g_ptr_array_unref(alts);
	return st;
}
