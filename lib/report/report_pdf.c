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
	/* Each section's height as drawn from the top margin (its end less
	 * MARGIN), measured once for every pass; NAN: not yet measured. */
	double *heights;
	/* Only counting the pages: sections are measured, not drawn. */
	int count;
	/* Drawing where nothing is kept, to measure: charts, whose size is
	 * given, are left out. */
	int measuring;
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
	/* Nor does a range without spaces break after its dash: "0–17",
	 * "январь–август 2023 г.", nor a count before its percent: "640
	 * (41,1 %)". */
	GString *kept = g_string_new(NULL);
	for (const char *c = joined; *c; c++) {
		g_string_append_c(kept, *c);
		if (*c == ' ' && c[1] == '(' && c > joined && g_ascii_isdigit(c[-1]))
			g_string_append(kept, "\u2060");
		/* Nor a number from its Uzbek ending: "2023-yil", "3-sahifa". */
		if (*c == '-' && c > joined && g_ascii_isdigit(c[-1]) && c[1] && c[1] != ' ')
			g_string_append(kept, "\u2060");
		/* A word of one letter stays with the next ("в другом месте",
		 * "к июлю"), as Russian typesetting wants. */
		if (*c == ' ' && c > joined) {
			const char *l = g_utf8_prev_char(c);
			const char *before = l > joined ? g_utf8_prev_char(l) : NULL;
			if (g_unichar_isalpha(g_utf8_get_char(l)) &&
			    (!before || *before == ' ' || *before == '('))
				g_string_append(kept, "\u2060");
		}
		if (g_str_has_prefix(c, "\u2013") && c[3] && c[3] != ' ' &&
		    !g_str_has_prefix(c + 3, "\u2060")) {
			g_string_append_len(kept, c + 1, 2);
			c += 2;
			g_string_append(kept, "\u2060");
		}
	}
	g_free(joined);
	joined = g_string_free(kept, FALSE);
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

/* The width of the widest word of text set in font: the least a column
 * can be for its header to wrap at spaces only. */
static double word_width(struct pdf *p, const char *text, const char *font)
{
	gchar **words = g_strsplit(text, " ", -1);
	double most = 0;
	for (gchar **wd = words; *wd; wd++)
		most = fmax(most, text_width(p, *wd, font));
	g_strfreev(words);
	return most;
}

/* The columns of a cross-tab in width avail from x: each as wide as the
 * widest word of its header and its widest figure need, the rest shared
 * out evenly, so that "Психологическое" keeps a readable size beside
 * "Всего". Headers are set bold when every one fits whole, else in the
 * regular face, and smaller (down to 6.5 pt, never less) only when the
 * columns cannot otherwise hold their longest words; a header wraps at
 * spaces, never inside a word. *head_font is replaced (g_free). */
static void cross_columns(struct pdf *p, const struct mj_table *t, const char *font,
			  const char *bold, double x, double avail, double *cx, double *cw,
			  char **head_font)
{
	size_t nval = t->ncols;
	double *fig = g_new0(double, nval);
	char cell[96];
	for (size_t k = 0; k < nval; k++)
		for (size_t i = 0; i < t->nrows; i++) {
			report_cell(p->r, t, i, k, 0, cell, sizeof cell);
			fig[k] = fmax(fig[k], text_width(p, cell, bold) + 6);
		}
	/* Whole headers in bold, when they all fit that way. */
	double sum = 0;
	for (size_t k = 0; k < nval; k++)
		sum += fmax(fig[k], text_width(p, t->col_labels[k], bold) + 5);
	int whole = sum <= avail;
	double size = 7.5;
	char *hf = whole ? g_strdup(bold) : NULL;
	for (; !hf; size -= 0.25) {
		char *f = g_strdup_printf("DejaVu Sans %.2f", size);
		sum = 0;
		for (size_t k = 0; k < nval; k++)
			sum += fmax(fig[k], word_width(p, t->col_labels[k], f) + 5);
		if (sum <= avail || size <= 6.5)
			hf = f;
		else
			g_free(f);
	}
	/* Each column its need, the room left shared out; a need beyond the
	 * room (so many columns that not even 6.5 pt fits) shares all evenly. */
	double extra = sum <= avail ? (avail - sum) / (double)nval : 0;
	double at = x;
	for (size_t k = 0; k < nval; k++) {
		double need = whole ? fmax(fig[k], text_width(p, t->col_labels[k], bold) + 5)
			      : fmax(fig[k], word_width(p, t->col_labels[k], hf) + 5);
		cw[k] = sum <= avail ? need + extra : avail / (double)nval;
		cx[k] = at;
		at += cw[k];
	}
	(void)font;
	g_free(*head_font);
	*head_font = hf;
	g_free(fig);
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
	if (!p->count) {
		footer(p);
		cairo_show_page(p->cr);
	}
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

/* The heading cells over a table's columns of figures from x (col_w each):
 * a nested table's outer categories on a line of their own, each over its
 * columns and subtotal, then the inner ones (or the columns' labels).
 * Returns the height used. */
static double shown_heads(struct pdf *p, const struct mj_table *t, double x, double y,
			  double col_w, const char *font)
{
	double hh = 0;
	const struct mj_col_nest *n = t->nest;
	size_t nc = t->ncols;
	if (n && n->ndims > 1) {
		size_t nd = n->ndims, from = 0;
		for (size_t c = 1; c <= nc; c++) {
			const char *a = n->codes[from * nd], *b = c < nc ? n->codes[c * nd] : NULL;
			if (b && strcmp(a, b) == 0 && strcmp(a, MJ_CODE_TOTAL) != 0)
				continue;
			if (strcmp(a, MJ_CODE_TOTAL) != 0) {
				cairo_tag_begin(p->cr, "TH", NULL);
				double th = text_at(p, n->labels[from * nd], font, x + (double)from * col_w,
						    y, (double)(c - from) * col_w - 4, PANGO_ALIGN_CENTER, 1);
				cairo_tag_end(p->cr, "TH");
				hh = fmax(hh, th);
				/* A rule under the group's heading. */
				cairo_set_line_width(p->cr, 0.4);
				cairo_move_to(p->cr, x + (double)from * col_w + 3, y + th + 1);
				cairo_line_to(p->cr, x + (double)c * col_w - 3, y + th + 1);
				cairo_stroke(p->cr);
			}
			from = c;
		}
		y += hh + 3;
	}
	double ih = 0;
	for (size_t c = 0; c < nc; c++) {
		const char *label = t->col_labels[c];
		if (n && n->ndims > 1)
			label = n->kinds[c] != MJ_ROW_CATEGORY ? t->col_labels[nc - 1]
				: n->labels[c * n->ndims + n->ndims - 1];
		cairo_tag_begin(p->cr, "TH", NULL);
		double th = text_at(p, label, font, x + (double)c * col_w, y, col_w - 3,
				    PANGO_ALIGN_RIGHT, 1);
		cairo_tag_end(p->cr, "TH");
		ih = fmax(ih, th);
	}
	return hh + (hh > 0 ? 3 : 0) + ih;
}

/* Section sec's table as its show= asks (or with nested columns): a
 * one-way table with a column per figure; a cross-tab with a block of
 * rows per figure, each under its figure's name and the columns'
 * headings. Returns the y below it. */
static double shown_draw(struct pdf *p, size_t sec, double y)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	struct report_fig figs[REPORT_FIGS_MAX];
	size_t nfigs = report_figs(r, sec, figs);
	if (nfigs == 0) {
		/* Nested columns without show=: the counts. */
		memset(&figs[0], 0, sizeof figs[0]);
		figs[0].value = 1;
		figs[0].head = report_count_head(r, sec);
		nfigs = 1;
	}
	int cross = t->col_dim != NULL;
	double x0 = MARGIN, w = p->table_w > 0 ? p->table_w : PAGE_W - 2 * MARGIN;
	const char *font = "DejaVu Sans 7.5", *bold = "DejaVu Sans Bold 7.5";
	double rh = 14;
	double label_w = 60;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		const char *lab = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
				  : mj_table_row_label(t, row);
		label_w = fmax(label_w, text_width(p, lab, row->kind == MJ_ROW_CATEGORY ? font : bold) +
					12.0 * row->level + 12);
	}
	label_w = fmin(label_w, cross ? 135 : 220);
	size_t ncolumns = cross ? t->ncols : nfigs;
	double col_w = (w - label_w) / (double)ncolumns;
	if (!cross && col_w > 70)
		col_w = 70;
	GString *dl = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(dl, "%s%s", d ? " → " : "",
				       t->dim_labels ? t->dim_labels[d] : t->dims[d]);
	size_t nblocks = cross ? nfigs : 1;
	for (size_t b = 0; b < nblocks; b++) {
		if (cross && (nfigs > 1 || !figs[b].value)) {
			/* The figure the block shows. */
			grey(p, 0.1);
			cairo_tag_begin(p->cr, "P", NULL);
			y += text_at(p, figs[b].head, "DejaVu Sans Bold 8.5", x0, y, w,
				     PANGO_ALIGN_LEFT, 1) + 3;
			cairo_tag_end(p->cr, "P");
		}
		cairo_tag_begin(p->cr, "Table", NULL);
		cairo_tag_begin(p->cr, "TR", NULL);
		grey(p, 0.25);
		cairo_tag_begin(p->cr, "TH", NULL);
		double hh = text_at(p, dl->str, bold, x0, y, label_w - 6, PANGO_ALIGN_LEFT, 1);
		cairo_tag_end(p->cr, "TH");
		if (cross) {
			hh = fmax(hh, shown_heads(p, t, x0 + label_w, y, col_w, font));
		} else {
			for (size_t k = 0; k < nfigs; k++) {
				cairo_tag_begin(p->cr, "TH", NULL);
				hh = fmax(hh, text_at(p, figs[k].head, bold, x0 + label_w + (double)k * col_w,
						      y, col_w - 4, PANGO_ALIGN_RIGHT, 1));
				cairo_tag_end(p->cr, "TH");
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
			const char *label = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					    : mj_table_row_label(t, row);
			double indent = 12.0 * row->level;
			cairo_tag_begin(p->cr, "TH", NULL);
			text_layout(p, label, strong ? bold : font, x0 + 2 + indent, y,
				    label_w - 8 - indent, PANGO_ALIGN_LEFT, 1, 1);
			cairo_tag_end(p->cr, "TH");
			char cell[96];
			for (size_t k = 0; k < ncolumns; k++) {
				const struct report_fig *f = cross ? &figs[b] : &figs[k];
				report_fig_cell(r, t, f, i, cross ? k : 0, cell, sizeof cell);
				cairo_tag_begin(p->cr, "TD", NULL);
				text_at(p, cell, strong ? bold : font, x0 + label_w + (double)k * col_w, y,
					col_w - 4, PANGO_ALIGN_RIGHT, 1);
				cairo_tag_end(p->cr, "TD");
			}
			cairo_tag_end(p->cr, "TR");
			y += rh;
		}
		cairo_tag_end(p->cr, "Table");
		y += 8;
	}
	g_string_free(dl, TRUE);
	report_figs_free(figs, nfigs);
	return y - 2;
}

/* Columns a one-way table shows beside count and percent. */
enum { XCOL_COMPARED, XCOL_CHANGE, XCOL_CI, XCOL_RATE, XCOL_N };

/* The measured layout of one table, worked out before anything is drawn
 * and passed to the parts that draw its header and its rows. */
struct table_layout {
	double x0, w;		/* left edge and width of the table */
	int cross;		/* a cross-tab rather than a one-way table */
	int show[XCOL_N];	/* which extra columns a one-way table shows */
	size_t nval;		/* value columns of the table */
	double label_w, col_w, rh; /* row labels' width, a column's, a row's height */
	const char *font, *bold, *mark_font;
	/* A cross-tab's columns: where each starts and how wide it is, and
	 * the face of their headers. */
	double *cx, *cw;
	char *head_font;
	/* A one-way table's columns: count, percent, then the extras. */
	double xs[2 + XCOL_N], ws[2 + XCOL_N];
	const char *heads[2 + XCOL_N];
	char ci_head[32], rate_head[64];
};

static void table_layout_free(struct table_layout *L)
{
	g_free(L->cx);
	g_free(L->cw);
	g_free(L->head_font);
}

/* Measures the table of section sec into L: which columns it has, how wide
 * each is and in what type, so that header and rows line up. */
static void table_measure(struct pdf *p, size_t sec, struct table_layout *L)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	/* A narrow table leaves the right of the page to its chart. */
	double x0 = MARGIN, w = p->table_w > 0 ? p->table_w : PAGE_W - 2 * MARGIN;
	int cross = t->col_dim != NULL;
	int *show = L->show;
	size_t nextra = 0;
	if (!cross) {
		show[XCOL_COMPARED] = show[XCOL_CHANGE] = report_stat_any(r, sec, "count_compared", 0);
		show[XCOL_CI] = report_stat_any(r, sec, "ci_low", 0);
		show[XCOL_RATE] = report_stat_any(r, sec, "rate", 0);
		for (size_t k = 0; k < XCOL_N; k++)
			nextra += (size_t)show[k];
	}
	size_t nval = t->ncols;
	/* Each extra column takes room from the labels; many of them make
	 * the type smaller. */
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
	const char *font = small ? "DejaVu Sans 7.5" : "DejaVu Sans 9";
	const char *bold = small ? "DejaVu Sans Bold 7.5" : "DejaVu Sans Bold 9";
	L->cx = g_new0(double, nval + 1);
	L->cw = g_new0(double, nval + 1);
	L->head_font = g_strdup(font);
	if (cross)
		cross_columns(p, t, font, bold, x0 + label_w, w - label_w, L->cx, L->cw,
			      &L->head_font);
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
	L->heads[0] = report_count_head(r, sec);
	L->heads[1] = report_word(r, "percent");
	double at = x0 + label_w;
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
	L->x0 = x0;
	L->w = w;
	L->cross = cross;
	L->nval = nval;
	L->label_w = label_w;
	L->col_w = col_w;
	L->rh = small ? 14 : 15;
	L->font = font;
	L->bold = bold;
	L->mark_font = mark_font;
}

/* Draws the header row of a table laid out as L at y, with the rule under
 * it; returns the y below. The tags make it a table of header and data
 * cells for a reader of the tagged PDF. */
static double table_header(struct pdf *p, const struct mj_table *t,
			   const struct table_layout *L, double y)
{
	cairo_tag_begin(p->cr, "TR", NULL);
	grey(p, 0.25);
	double hh = 0;
	/* The row dimension, then the columns. */
	GString *dl = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(dl, "%s%s", d ? " → " : "",
				       t->dim_labels ? t->dim_labels[d] : t->dims[d]);
	cairo_tag_begin(p->cr, "TH", NULL);
	hh = text_at(p, dl->str, L->bold, L->x0, y, L->label_w - 6, PANGO_ALIGN_LEFT, 1);
	cairo_tag_end(p->cr, "TH");
	g_string_free(dl, TRUE);
	if (L->cross) {
		/* A cross-tab's many narrow columns: when a header is too wide
		 * in bold, every header is set in the regular face (the rule
		 * under them marks them) before any is set smaller. */
		for (size_t k = 0; k < L->nval; k++) {
			cairo_tag_begin(p->cr, "TH", NULL);
			double th = text_at(p, t->col_labels[k], L->head_font, L->cx[k], y,
					    L->cw[k] - 3, PANGO_ALIGN_RIGHT, 1);
			cairo_tag_end(p->cr, "TH");
			if (th > hh)
				hh = th;
		}
	} else {
		for (size_t k = 0; k < 2 + XCOL_N; k++) {
			if (L->ws[k] <= 0)
				continue;
			cairo_tag_begin(p->cr, "TH", NULL);
			double th = text_at(p, L->heads[k], L->bold, L->xs[k], y, L->ws[k] - 4,
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
	cairo_move_to(p->cr, L->x0, y);
	cairo_line_to(p->cr, L->x0 + L->w, y);
	cairo_stroke(p->cr);
	return y + 3;
}

/* Draws the cells a one-way table's row i has beyond its count: the
 * percent pct (negative for none), and as the layout shows them the
 * compared count and change, the interval and the rate, in face f. */
static void table_row_extras(struct pdf *p, size_t sec, size_t i, double pct,
			     const struct table_layout *L, const char *f, double y)
{
	const struct report *r = p->r;
	const struct mj_table_row *row = &r->t[sec]->rows[i];
	char cell[96];
	cairo_tag_begin(p->cr, "TD", NULL);
	if (pct >= 0) {
		mj_format_number(pct, 1, r->lang, cell, sizeof cell);
		text_at(p, cell, f, L->xs[1], y, L->ws[1] - 4, PANGO_ALIGN_RIGHT, 1);
	}
	cairo_tag_end(p->cr, "TD");
	double now, before, pc;
	if (L->show[XCOL_COMPARED] && report_change(r, sec, i, 0, &now, &before, &pc)) {
		mj_format_number(before, -1, r->lang, cell, sizeof cell);
		cairo_tag_begin(p->cr, "TD", NULL);
		text_at(p, cell, f, L->xs[2 + XCOL_COMPARED], y, L->ws[2 + XCOL_COMPARED] - 4,
			PANGO_ALIGN_RIGHT, 1);
		cairo_tag_end(p->cr, "TD");
		report_change_text(r, now - before, pc, cell, sizeof cell);
		if (report_change_marked(now, before))
			g_strlcat(cell, " ≈", sizeof cell);
		cairo_tag_begin(p->cr, "TD", NULL);
		text_at(p, cell, f, L->xs[2 + XCOL_CHANGE], y, L->ws[2 + XCOL_CHANGE] - 4,
			PANGO_ALIGN_RIGHT, 1);
		cairo_tag_end(p->cr, "TD");
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
		cairo_tag_begin(p->cr, "TD", NULL);
		text_at(p, cell, f, L->xs[2 + XCOL_CI], y, L->ws[2 + XCOL_CI] - 4,
			PANGO_ALIGN_RIGHT, 1);
		cairo_tag_end(p->cr, "TD");
	}
	int rd;
	const char *mark;
	double rate = report_stat(r, sec, "rate", i, 0, &mark, &rd);
	if (L->show[XCOL_RATE] && !hidden && (!isnan(rate) || mark)) {
		/* A rate, or why there is none ("no population"). */
		if (!isnan(rate))
			mj_format_number(rate, rd, r->lang, cell, sizeof cell);
		cairo_tag_begin(p->cr, "TD", NULL);
		text_at(p, isnan(rate) ? mark : cell, isnan(rate) ? L->mark_font : f,
			L->xs[2 + XCOL_RATE], y, L->ws[2 + XCOL_RATE] - 4,
			PANGO_ALIGN_RIGHT, 1);
		cairo_tag_end(p->cr, "TD");
	}
}

/* Draws row i of section sec's table at y: its band or rule, its label and
 * its cells; pct holds the table's percents (NULL for none). Returns the y
 * below the row. */
static double table_row(struct pdf *p, size_t sec, size_t i, const double *pct,
			const struct table_layout *L, double y)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	const struct mj_table_row *row = &t->rows[i];
	int strong = row->kind != MJ_ROW_CATEGORY;
	double x0 = L->x0, rh = L->rh;
	if (row->kind == MJ_ROW_TOTAL) {
		grey(p, 0.3);
		cairo_set_line_width(p->cr, 0.6);
		cairo_move_to(p->cr, x0, y);
		cairo_line_to(p->cr, x0 + L->w, y);
		cairo_stroke(p->cr);
		y += 2;
	} else if (i % 2 == 1) {
		cairo_set_source_rgb(p->cr, 0.965, 0.965, 0.965);
		cairo_rectangle(p->cr, x0, y - 1, L->w, rh);
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
	double lw = L->label_w - 8 - indent;
	const char *f = strong ? L->bold : L->font;
	int one_line = text_at(p, label, f, 0, 0, lw, PANGO_ALIGN_LEFT, 0) > rh;
	cairo_tag_begin(p->cr, "TH", NULL);
	text_layout(p, label, f, x0 + 2 + indent, y, lw, PANGO_ALIGN_LEFT, 1, one_line);
	cairo_tag_end(p->cr, "TH");
	char cell[96];
	for (size_t k = 0; k < L->nval; k++) {
		report_cell(r, t, i, k, 0, cell, sizeof cell);
		cairo_tag_begin(p->cr, "TD", NULL);
		text_at(p, cell, f,
			L->cross ? L->cx[k] : x0 + L->label_w + (double)k * L->col_w, y,
			(L->cross ? L->cw[k] : L->col_w) - 4, PANGO_ALIGN_RIGHT, 1);
		cairo_tag_end(p->cr, "TD");
	}
	if (!L->cross)
		table_row_extras(p, sec, i, pct ? pct[i * t->ncols] : -1, L, f, y);
	cairo_tag_end(p->cr, "TR");
	return y + rh;
}

/* Draws the table of section sec from y; returns the y below it. A one-way
 * table gets, as asked, the compared count and the change in percent, the
 * interval of the percent and the rate beside its count and percent. */
static double table_draw(struct pdf *p, size_t sec, double y)
{
	const struct report *r = p->r;
	const struct mj_table *t = r->t[sec];
	if (r->sections[sec]->show || t->nest)
		return shown_draw(p, sec, y);
	struct table_layout L = {0};
	table_measure(p, sec, &L);
	cairo_tag_begin(p->cr, "Table", NULL);
	y = table_header(p, t, &L, y);
	double *pct = mj_table_percents(t, MJ_PCT_TOTAL, 1, 0);
	for (size_t i = 0; i < t->nrows; i++)
		y = table_row(p, sec, i, pct, &L, y);
	cairo_tag_end(p->cr, "Table");
	free(pct);
	table_layout_free(&L);
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
		/* A ring's size is set by the width its labels leave beside
		 * it: a taller box only left its note far below it. */
		int round = type == MJ_CHART_DONUT || type == MJ_CHART_PIE;
		double cw = w - tw - gap, ch = fmax(round ? 150 : 215, ty - y);
		const double k = 0.75;
		cairo_save(p->cr);
		cairo_translate(p->cr, MARGIN + tw + gap, y);
		cairo_scale(p->cr, k, k);
		cairo_tag_begin(p->cr, "Figure", NULL);
		if (!p->measuring)
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
			if (!p->measuring)
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
 * height is measured first by drawing it where nothing is kept (once, in
 * the pass that counts the pages; the pass that draws reuses it). When
 * counting, the section is not drawn: it ends as far below where it
 * starts as it did below the margin. */
static enum mj_status page_table(struct pdf *p, size_t section,
				  struct mj_error *err)
{
	enum mj_status st = MJ_OK;
	double end = MARGIN + p->heights[section];
	if (isnan(p->heights[section])) {
		cairo_t *real = p->cr;
		cairo_surface_t *rs = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
		p->cr = cairo_create(rs);
		guint nalts = p->alts->len;
		end = MARGIN;
		p->measuring = 1;
		st = section_draw(p, section, &end, err);
		p->measuring = 0;
		g_ptr_array_set_size(p->alts, nalts);
		cairo_destroy(p->cr);
		cairo_surface_destroy(rs);
		p->cr = real;
		if (st != MJ_OK)
			return st;
		p->heights[section] = end - MARGIN;
	}
	if (p->y > 0 && p->y + (end - MARGIN) > FOOTER_Y - 12) {
		page_end(p);
		p->y = 0;
	}
	double y = p->y > 0 ? p->y : MARGIN;
	if (p->count)
		y += end - MARGIN;
	else
		st = section_draw(p, section, &y, err);
	p->y = y + 22;
	return st;
}

/* The month in its trend: what it says, the columns of the months, and
 * their table with the changes compared with the month before and a year
 * before. */
static void page_trend(struct pdf *p)
{
	const struct report *r = p->r;
	const struct report_trend *tr = &r->trend;
	char range[128], title[256], sub[512];
	report_trend_range(r, tr->first, tr->last, range, sizeof range);
	report_trend_heading(r, title, sizeof title, sub, sizeof sub);
	double y = heading(p, title, sub);
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
				if (mj_trend_within_chance(&c)) {
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
	if (report_trend_has_empty(r)) {
		cairo_tag_begin(p->cr, "P", NULL);
		y += text_at(p, report_word(r, "trend_legend_gap"), "DejaVu Sans 7", MARGIN, y, w,
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
	enum mj_status st = p->count ? MJ_OK
			    : mj_chart_draw(p->cr, w / k, h / k, ct, r->schema, &co, err);
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
	char *tables = report_tables_text(r, 1);
	cairo_tag_begin(p->cr, "P", NULL);
	y += text_at(p, tables, "DejaVu Sans 10", MARGIN, y, w, PANGO_ALIGN_LEFT, 1) + 10;
	cairo_tag_end(p->cr, "P");
	g_free(tables);
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
 * returns the pages drawn in *pages. With count set, draws nothing but
 * counts the pages, measuring each section into heights (r->n of them,
 * NAN until measured), which a pass that draws then reuses. */
static enum mj_status render(const struct report *r, cairo_surface_t *s, GPtrArray *para,
			     int npages, int *pages, GPtrArray *alts, double *heights,
			     int count, struct mj_error *err)
{
	struct pdf p = {.r = r, .page = 1, .npages = npages, .alts = alts,
			.heights = heights, .count = count};
	p.cr = cairo_create(s);
	p.pc = pango_cairo_create_context(p.cr);
	/* One Pango point is one PDF point. */
	pango_cairo_context_set_resolution(p.pc, 72);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p.pc, fo);
	cairo_font_options_destroy(fo);
	/* Text is still measured against the PDF's fonts (p.pc), but what a
	 * count draws goes where nothing is kept. */
	cairo_t *pdf_cr = p.cr;
	cairo_surface_t *rs = NULL;
	if (count) {
		rs = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
		p.cr = cairo_create(rs);
	}

	/* cairo marks the file as tagged when one Document holds the rest. */
	cairo_tag_begin(p.cr, "Document", NULL);
	/* The first page and the trend's take a page each, whatever they
	 * hold: a count needs not set them. */
	if (count)
		p.page += 1 + (r->trend.on != 0);
	else
		page_first(&p, para);
	/* The trend's page comes second, in place of the table by month. */
	if (r->trend.on && !count)
		page_trend(&p);
	enum mj_status st = MJ_OK;
	if (r->trend.mix)
		st = page_mix(&p, err);
	for (size_t i = 0; i < r->n && st == MJ_OK; i++)
		if (!report_trend_section(r, i))
			st = page_table(&p, i, err);
	if (st == MJ_OK && count) {
		/* The method starts a page and takes it alone. */
		if (p.y > 0)
			page_end(&p);
		page_end(&p);
	} else if (st == MJ_OK) {
		page_method(&p);
	}
	cairo_tag_end(p.cr, "Document");
	g_object_unref(p.pc);
	if (rs) {
		cairo_destroy(p.cr);
		cairo_surface_destroy(rs);
	}
	cairo_destroy(pdf_cr);
	*pages = p.page - 1;
	return st;
}

/* The PDF file at path, its footers saying "of npages"; the pages drawn
 * in *drawn. */
static enum mj_status render_file(const struct report *r, const char *path, GPtrArray *para,
				  int npages, int *drawn, GPtrArray *alts, double *heights,
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
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       g_ptr_array_index(para, 0));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, r->program);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	g_ptr_array_set_size(alts, 0);
	enum mj_status st = render(r, s, para, npages, drawn, alts, heights, 0, err);
	cairo_surface_finish(s);
	if (st == MJ_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
				  cairo_status_to_string(cairo_surface_status(s)));
	cairo_surface_destroy(s);
	return st;
}

enum mj_status report_pdf_write(const struct report *r, const char *path,
				struct mj_error *err)
{
	/* Sections share a page where they fit, so the pages are counted
	 * first, by measuring each section where nothing is kept. */
	GPtrArray *para = report_narrative(r);
	GPtrArray *alts = g_ptr_array_new_with_free_func(g_free);
	double *heights = g_new(double, r->n ? r->n : 1);
	for (size_t i = 0; i < r->n; i++)
		heights[i] = NAN;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_nothing, NULL,
								 PAGE_W, PAGE_H);
	int npages = 0;
	enum mj_status st = render(r, s, para, 0, &npages, alts, heights, 1, err);
	cairo_surface_destroy(s);
	int drawn = 0;
	if (st == MJ_OK)
		st = render_file(r, path, para, npages, &drawn, alts, heights, err);
	/* A count that missed (a section ending a hair's breadth away from
	 * where its measure said, at a page's foot) is drawn again with the
	 * pages it made. */
	if (st == MJ_OK && drawn != npages) {
		npages = drawn;
		st = render_file(r, path, para, npages, &drawn, alts, heights, err);
	}
	g_ptr_array_unref(para);
	g_free(heights);
	/* The language and the figures' words, which cairo cannot write. */
	if (st == MJ_OK)
		st = report_pdf_annotate(path, mj_lang_tag(r->lang),
					 (const char *const *)alts->pdata, alts->len, err);
	g_ptr_array_unref(alts);
	return st;
}
