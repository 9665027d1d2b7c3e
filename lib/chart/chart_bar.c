/* Bar charts: vertical bars, horizontal bars and horizontal stacked bars
 * (counts or 100%). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

/* Order for horizontal bars of a nominal dimension: largest first,
 * suppressed values after the known ones, "not stated" last; ties keep
 * table order. */
static int by_value(const void *a, const void *b)
{
	const struct chart_item *x = a, *y = b;
	if (x->missing != y->missing)
		return x->missing - y->missing;
	if (x->other != y->other)
		return x->other - y->other;
	if (x->suppressed != y->suppressed)
		return x->suppressed - y->suppressed;
	if (x->no_rate != y->no_rate)
		return x->no_rate - y->no_rate;
	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Vertical bars stand in bands side by side, each named below: months by
 * their short names, every name in one size, region names without their
 * generic words when whole ones do not fit. Sets items[i].label (names holds
 * the new ones) and *size; returns the height the names need, or -1 when
 * out of memory. */
static double band_labels(struct chart_ctx *c, struct chart_item *items, size_t n,
			  char (*names)[64], double band, double *size)
{
	const char **labels = calloc(n ? n : 1, sizeof *labels);
	if (!labels)
		return -1;
	for (size_t i = 0; i < n; i++) {
		labels[i] = items[i].label;
		if (items[i].code && chart_month_label(c, items[i].code, i == 0, names[i],
						       sizeof names[i]))
			labels[i] = names[i];
	}
	*size = chart_bar_labels(c, labels, names, n, band * 0.94, c->fs * 4.5);
	double height = 0, turned = 0;
	int breaks = 0;
	for (size_t i = 0; i < n; i++) {
		items[i].label = labels[i];
		PangoLayout *l = chart_layout_fit(c, labels[i], *size, 0, band * 0.94,
						  c->fs * 4.5, CHART_CENTER);
		if (!l)
			continue;
		double w, h;
		chart_layout_size(l, &w, &h);
		height = fmax(height, h);
		/* The last resort of chart_layout_fit(): a word broken. */
		breaks |= pango_layout_get_wrap(l) == PANGO_WRAP_WORD_CHAR &&
			  pango_layout_is_wrapped(l);
		g_object_unref(l);
		chart_text_size(c, labels[i], 8, 0, &w, &h);
		turned = fmax(turned, w);
	}
	free(labels);
	/* A name that fits its band only broken inside a word ("Koʻrsatilm-
	 * agan") is set whole at 8 pt, turned to read upwards, as are the
	 * others (a negative size says so to band_label_draw()). */
	if (breaks) {
		*size = -8;
		return turned + c->fs * 0.2;
	}
	return height;
}

/* A band's name below the baseline at mid: centred, or turned to read
 * upwards with its end at the baseline when size is negative. */
static void band_label_draw(struct chart_ctx *c, const char *label, double size,
			    double mid, double band, double base)
{
	if (size < 0) {
		PangoLayout *l = chart_layout(c, label, -size, 0, 0, CHART_LEFT);
		if (!l)
			return;
		double w, h;
		chart_layout_size(l, &w, &h);
		cairo_save(c->cr);
		cairo_translate(c->cr, mid, base + c->fs * 0.3);
		cairo_rotate(c->cr, -M_PI / 2);
		chart_layout_show(c, l, -w, -h / 2, chart_ink);
		cairo_restore(c->cr);
		g_object_unref(l);
		return;
	}
	PangoLayout *l = chart_layout_fit(c, label, size, 0, band * 0.94, c->fs * 4.5,
					  CHART_CENTER);
	if (l) {
		chart_layout_show(c, l, mid - band * 0.47, base + c->fs * 0.4, chart_ink);
		g_object_unref(l);
	}
}

/* Horizontal grid lines every step up to maxv, with their values at the
 * left of x0. */
static void value_grid(struct chart_ctx *c, double x0, double base, double scale,
		       double maxv, double step)
{
	cairo_t *cr = c->cr;
	char buf[64];
	cairo_set_line_width(cr, c->fs * 0.07);
	for (double v = 0; v <= maxv * 1.0001 + 1e-9 && v / step < CHART_TICKS_MAX; v += step) {
		double y = base - v * scale, w, h;
		chart_set_color(c, chart_grid);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, c->px + c->pw, y);
		cairo_stroke(cr);
		chart_text_size(c, chart_num(c, v, buf, sizeof buf), c->fs_small, 0, &w, &h);
		chart_text(c, buf, c->fs_small, 0, x0 - c->fs * 0.4, y - h / 2, CHART_RIGHT,
			   chart_grey_text);
	}
}

/* The axis line bars stand on (or start from), from (x0, y0) to (x1, y1). */
static void axis_line(struct chart_ctx *c, double x0, double y0, double x1, double y1)
{
	chart_set_color(c, chart_axis);
	cairo_set_line_width(c->cr, c->fs * 0.08);
	cairo_move_to(c->cr, x0, y0);
	cairo_line_to(c->cr, x1, y1);
	cairo_stroke(c->cr);
}

/* The length of an item's bar in the value's units: a count below the
 * threshold is drawn as long as the threshold; a count hidden to protect
 * others (it may be any size from the threshold up) and a suppressed rate
 * are not drawn at all, only their hatched stub. */
static double bar_value(struct chart_ctx *c, const struct chart_item *it)
{
	if (it->suppressed)
		return c->rates || it->suppressed == MJ_HIDDEN_COMPLEMENT
		       ? 0 : (double)c->t->min_cell;
	return it->value;
}

/* The width of a whisker's caps for a bar of thickness thick. */
static double whisker_cap(struct chart_ctx *c, double thick)
{
	double cap = thick * 0.4;
	return cap > c->fs * 1.2 ? c->fs * 1.2 : cap < c->fs * 0.4 ? c->fs * 0.4 : cap;
}

/* Leaves out the items without a rate (named in the note); returns how
 * many are left. */
static size_t drop_no_rate(struct chart_item *it, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!it[i].no_rate)
			it[k++] = it[i];
	return k;
}

/* MJ_E_LIMIT when n bands of size band (across which a label of min
 * units must fit) cannot hold their labels at 8 pt without overlapping;
 * across says whether the bands run across the chart (its width). */
static enum mj_status check_bands(struct chart_ctx *c, size_t n, double band,
				  double min, int across)
{
	if (band >= min)
		return MJ_OK;
	size_t most = (size_t)(band * (double)n / min);
	if (across)
		return mj_error_set(c->err, MJ_E_LIMIT, NULL, 0, 0,
				    "%zu bars do not fit a chart %g wide (at most %zu do): keep the largest with --top N, or give it more room with --width",
				    n, c->w, most);
	return mj_error_set(c->err, MJ_E_LIMIT, NULL, 0, 0,
			    "%zu bars do not fit a chart %g high (at most %zu do): keep the largest with --top N, or give it more room with --height",
			    n, c->h, most);
}

/* Height of a line of text at the smallest size, 8 pt. */
static double line_8pt(struct chart_ctx *c)
{
	double w, h;
	chart_text_size(c, "Ag", 8, 0, &w, &h);
	return h;
}

/* A value axis' label: a count, or a percent in the chart's language. */
static void tick_label(struct chart_ctx *c, double v, int percent, char *buf, size_t len)
{
	if (percent)
		chart_pct(c, v, 0, buf, len);
	else
		chart_num(c, v, buf, len);
}

/* Clears the w x h at (x, y) of the grid behind a value label at the end
 * of a bar: the last grid line ran through "985 (9.0%)" where a bar ends
 * just short of it. */
static void label_clear(struct chart_ctx *c, double x, double y, double w, double h)
{
	chart_set_color(c, chart_white);
	cairo_rectangle(c->cr, x - c->fs * 0.15, y, w + c->fs * 0.3, h);
	cairo_fill(c->cr);
}

/* Draw tick labels and light grid lines of a value axis running from x0
 * (value 0) with the given scale (units per value), for values up to
 * max. Horizontal axis: lines from y_top to y_bottom, labels below. */
static void grid_x(struct chart_ctx *c, double x0, double scale, double max,
		   double y_top, double y_bottom, int percent)
{
	double step = chart_nice_step(max, 5);
	char buf[64];
	/* Fewer ticks when the widest label would touch the next one (a
	 * narrow chart beside a table: "750 1,000" ran together). */
	for (int n = 4; n >= 1 && step > 0; n--) {
		double top = floor(max * 1.0001 / step) * step, w, h;
		tick_label(c, top, percent, buf, sizeof buf);
		chart_text_size(c, buf, c->fs_small, 0, &w, &h);
		if (w + c->fs_small * 1.2 <= step * scale)
			break;
		step = chart_nice_step(max, n);
	}
	cairo_set_line_width(c->cr, c->fs * 0.07);
	for (double v = 0; v <= max * 1.0001 + 1e-9 && v / step < CHART_TICKS_MAX; v += step) {
		double x = x0 + v * scale;
		chart_set_color(c, chart_grid);
		cairo_move_to(c->cr, x, y_top);
		cairo_line_to(c->cr, x, y_bottom);
		cairo_stroke(c->cr);
		tick_label(c, v, percent, buf, sizeof buf);
		chart_text(c, buf, c->fs_small, 0, x, y_bottom + c->fs * 0.3,
			   CHART_CENTER, chart_grey_text);
	}
}

/* Category labels of horizontal bars: the width of the label column
 * (labels wrap within it) for the labels of items. */
static double label_column(struct chart_ctx *c, const struct chart_item *it,
			   size_t n, double band)
{
	double maxw = 0, w, h;
	for (size_t i = 0; i < n; i++) {
		chart_text_size(c, it[i].label, c->fs, 0, &w, &h);
		if (w > maxw)
			maxw = w;
	}
	double cap = c->pw * 0.36;
	(void)band;
	return maxw < cap ? maxw : cap;
}

/* Draw one category label right-aligned in the label column, centred on
 * the band's middle. */
static void band_label(struct chart_ctx *c, const char *label, double x,
		       double width, double mid, double band)
{
	PangoLayout *l = chart_layout_fit(c, label, c->fs, 0, width,
					  band * 0.98, CHART_RIGHT);
	if (!l)
		return;
	double w, h;
	chart_layout_size(l, &w, &h);
	/* A right-aligned wrapped layout is as wide as its set width. */
	chart_layout_show(c, l, x, mid - h / 2, chart_ink);
	g_object_unref(l);
}

/* Width of the widest of the items' value labels. */
static double value_label_width(struct chart_ctx *c,
				const struct chart_item *it, size_t n,
				double size)
{
	char buf[128];
	double maxw = 0, w, h;
	for (size_t i = 0; i < n; i++) {
		chart_value_label(c, &it[i], buf, sizeof buf);
		chart_text_size(c, buf, size, 0, &w, &h);
		if (w > maxw)
			maxw = w;
	}
	return maxw;
}

static enum mj_status draw_hbar(struct chart_ctx *c, struct chart_item *it,
				size_t n)
{
	cairo_t *cr = c->cr;
	if (!chart_dim_ordered(c, c->t->dims[0]))
		qsort(it, n, sizeof *it, by_value);
	double tick_h, tw;
	chart_text_size(c, "0", c->fs_small, 0, &tw, &tick_h);
	double plot_h = c->ph - tick_h - c->fs * 0.3;
	double band = plot_h / (double)n;
	enum mj_status st = check_bands(c, n, band, line_8pt(c) * 1.05, 0);
	if (st != MJ_OK)
		return st;
	/* Few bars get thicker, not farther apart: at most a bar's worth of
	 * air between them, the block of them in the middle. */
	double thick = band * (n <= 6 ? 0.55 : 0.68);
	if (thick > c->fs * 4)
		thick = c->fs * 4;
	double top = c->py;
	if (band > thick * 1.8) {
		band = thick * 1.8;
		plot_h = band * (double)n;
	}
	/* Names too long for the label column on one line, where the bands
	 * are too narrow for two, lose their generic words ("вилояти"), as
	 * vertical bars' names do. */
	char (*names)[64] = calloc(n ? n : 1, sizeof *names);
	if (!names)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	double lab_h;
	chart_text_size(c, "Ag", c->fs, 0, &tw, &lab_h);
	int too_wide = 0;
	for (size_t i = 0; i < n && band < lab_h * 2.2; i++) {
		double lw;
		chart_text_size(c, it[i].label, c->fs, 0, &lw, &tw);
		too_wide |= lw > c->pw * 0.36;
	}
	for (size_t i = 0; too_wide && i < n; i++)
		if (chart_short_name(c, it[i].label, names[i], sizeof names[i]))
			it[i].label = names[i];
	double labw = label_column(c, it, n, band);
	double gap = c->fs * 0.6;
	double x0 = c->px + labw + gap;
	double valw = value_label_width(c, it, n, c->fs);
	double maxv = 0;
	int own_colors = chart_dim_has_colors(c, c->t->dims[0]);
	for (size_t i = 0; i < n; i++) {
		double v = fmax(bar_value(c, &it[i]), it[i].has_ci ? it[i].hi : 0);
		if (v > maxv)
			maxv = v;
	}
	/* Panels of small multiples share one scale. */
	maxv = fmax(maxv, c->o->value_max);
	double avail = c->px + c->pw - x0 - gap - valw;
	if (avail < c->fs * 4)
		avail = c->fs * 4;
	double scale = maxv > 0 ? avail / maxv : 0;
	double bottom = top + plot_h;
	grid_x(c, x0, scale, maxv, top, bottom, 0);
	char buf[128];
	for (size_t i = 0; i < n; i++) {
		double mid = top + band * ((double)i + 0.5);
		band_label(c, it[i].label, c->px, labw, mid, band);
		double len = bar_value(c, &it[i]) * scale;
		if (it[i].suppressed) {
			chart_hatch_rect(c, x0, mid - thick / 2,
					 len > c->fs * 0.5 ? len : c->fs * 0.5,
					 thick);
			if (len < c->fs * 0.5)
				len = c->fs * 0.5;
		} else {
			chart_set_color(c, it[i].missing || it[i].other ? it[i].color :
					own_colors ? it[i].color : chart_bar_default);
			cairo_rectangle(cr, x0, mid - thick / 2, len, thick);
			cairo_fill(cr);
		}
		if (it[i].has_ci) {
			chart_whisker(c, 1, mid, x0 + it[i].lo * scale,
				      x0 + it[i].hi * scale, whisker_cap(c, thick));
			/* The label keeps clear of the cap. */
			len = fmax(len, it[i].hi * scale + gap * 0.3);
		}
		double th;
		chart_value_label(c, &it[i], buf, sizeof buf);
		chart_text_size(c, buf, c->fs, 0, &tw, &th);
		label_clear(c, x0 + len + gap * 0.6, mid - th / 2, tw, th);
		chart_text(c, buf, c->fs, 0, x0 + len + gap * 0.6, mid - th / 2,
			   CHART_LEFT, chart_ink);
	}
	/* The zero line. */
	axis_line(c, x0, top, x0, bottom);
	free(names);
	return MJ_OK;
}

static enum mj_status draw_vbar(struct chart_ctx *c, struct chart_item *it,
				size_t n)
{
	cairo_t *cr = c->cr;
	char buf[128], num[64], pct[64];
	int own_colors = chart_dim_has_colors(c, c->t->dims[0]);
	double maxv = 0;
	for (size_t i = 0; i < n; i++) {
		double v = fmax(bar_value(c, &it[i]), it[i].has_ci ? it[i].hi : 0);
		if (v > maxv)
			maxv = v;
	}
	/* Panels of small multiples share one scale. */
	maxv = fmax(maxv, c->o->value_max);
	/* The value axis: tick labels on the left. */
	double step = chart_nice_step(maxv, 5), axw = 0, w, h;
	for (double v = 0; v <= maxv * 1.0001 + 1e-9 && v / step < CHART_TICKS_MAX; v += step) {
		chart_text_size(c, chart_num(c, v, buf, sizeof buf),
				c->fs_small, 0, &w, &h);
		if (w > axw)
			axw = w;
	}
	double x0 = c->px + axw + c->fs * 0.5;
	double band = (c->px + c->pw - x0) / (double)n;
	double w8, h8;
	chart_text_size(c, chart_num(c, maxv, buf, sizeof buf), 8, 0, &w8, &h8);
	/* A bar needs two lines of 8 pt across. Its value label is drawn when
	 * the largest count fits the band at 8 pt; else none is (large counts
	 * in narrow bands): the axis gives the scale, and a table the counts. */
	enum mj_status st = check_bands(c, n, band, h8 * 2 * 1.1, 1);
	if (st != MJ_OK)
		return st;
	int labels = w8 * 1.1 <= band;
	/* Value labels: one line when every one fits its band, else the
	 * count above the percent. */
	double valw = value_label_width(c, it, n, c->fs);
	int two = labels && valw > band * 0.86;
	double vsize = c->fs;
	if (two) {
		double w1 = 0;
		for (size_t i = 0; i < n; i++) {
			chart_text_size(c, chart_num(c, it[i].value, num, sizeof num),
					c->fs, 0, &w, &h);
			if (w > w1)
				w1 = w;
			if (it[i].pct >= 0) {
				chart_text_size(c, chart_pct(c, it[i].pct, 1, pct,
							     sizeof pct),
						c->fs, 0, &w, &h);
				if (w > w1)
					w1 = w;
			}
		}
		if (w1 > band * 0.96)
			vsize = c->fs * band * 0.96 / w1;
		if (vsize < 8)
			vsize = 8;
	}
	double lh;
	chart_text_size(c, "0", vsize, 0, &w, &lh);
	double val_h = !labels ? 0 : two ? lh * 2 : lh;
	/* Category labels below: wrapped within their band; months by
	 * their short names. */
	char (*names)[64] = calloc(n, sizeof *names);
	if (!names)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	double cat_fs, cat_h = band_labels(c, it, n, names, band, &cat_fs);
	if (cat_h < 0) {
		free(names);
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	double top = c->py + val_h + c->fs * 0.3;
	double base = c->py + c->ph - cat_h - c->fs * 0.4;
	double scale = maxv > 0 ? (base - top) / maxv : 0;
	value_grid(c, x0, base, scale, maxv, step);
	double thick = band * 0.7;
	if (thick > c->fs * 5)
		thick = c->fs * 5;
	for (size_t i = 0; i < n; i++) {
		double mid = x0 + band * ((double)i + 0.5);
		double len = bar_value(c, &it[i]) * scale;
		if (it[i].suppressed) {
			if (len < c->fs * 0.5)
				len = c->fs * 0.5;
			chart_hatch_rect(c, mid - thick / 2, base - len, thick,
					 len);
		} else {
			chart_set_color(c, it[i].missing || it[i].other ? it[i].color :
					own_colors ? it[i].color : chart_bar_default);
			cairo_rectangle(cr, mid - thick / 2, base - len, thick,
					len);
			cairo_fill(cr);
		}
		if (it[i].has_ci) {
			chart_whisker(c, 0, mid, base - it[i].lo * scale,
				      base - it[i].hi * scale, whisker_cap(c, thick));
			len = fmax(len, it[i].hi * scale);
		}
		double ty = base - len - c->fs * 0.2;
		if (!labels) {
			/* no value labels: see above */
		} else if (two && !it[i].suppressed && it[i].pct >= 0) {
			chart_text(c, chart_pct(c, it[i].pct, 1, pct, sizeof pct),
				   vsize, 0, mid, ty - lh, CHART_CENTER,
				   chart_grey_text);
			ty -= lh;
			chart_text(c, chart_num(c, it[i].value, num, sizeof num),
				   vsize, 0, mid, ty - lh, CHART_CENTER, chart_ink);
		} else {
			chart_value_label(c, &it[i], buf, sizeof buf);
			chart_text(c, buf, vsize, 0, mid, ty - lh, CHART_CENTER,
				   chart_ink);
		}
		band_label_draw(c, it[i].label, cat_fs, mid, band, base);
	}
	axis_line(c, x0, base, c->px + c->pw, base);
	free(names);
	return MJ_OK;
}

/* --- grouped bars of a cross-tab --- */

/* The label of one bar of a group: its count, its rate or "<5". */
static char *cell_label(struct chart_ctx *c, const struct chart_item *it,
			char *buf, size_t len)
{
	if (it->suppressed)
		return chart_mark(c, it->suppressed, buf, len);
	if (c->rates)
		return chart_rate(c, it->value, buf, len);
	return chart_num(c, it->value, buf, len);
}

/* The bars of a cross-tab: its rows (n, sorted by total for horizontal
 * groups of unordered rows), its columns (k of them kept), and the cell
 * of row i and column s at cells[i * stride + s]. */
struct grouped {
	struct chart_item *rows, *segs, *cells;
	size_t n, k, stride;
	double maxv;  /* the longest bar or whisker */
	double lw;    /* the widest cell label */
	int any_supp; /* some cell is hidden */
};

static void grouped_free(struct grouped *g)
{
	free(g->rows);
	free(g->segs);
	free(g->cells);
}

/* Fills g with the cells of c's cross-tab, keeping the columns that have
 * a bar to draw (not a "not stated" that counts nothing, not a column
 * without any rate) and the rows with a bar left. */
static enum mj_status grouped_cells(struct chart_ctx *c, int horizontal, struct grouped *g)
{
	const struct mj_table *t = c->t;
	memset(g, 0, sizeof *g);
	size_t n = 0, k = 0;
	enum mj_status st = chart_row_items(c, 0, t->ncols - 1, &g->rows, &n);
	if (st == MJ_OK)
		st = chart_col_items(c, &g->segs, &k);
	if (st != MJ_OK)
		return st;
	if (horizontal && !chart_dim_ordered(c, t->dims[0]))
		qsort(g->rows, n, sizeof *g->rows, by_value);
	g->stride = k;
	g->cells = calloc(n * k > 0 ? n * k : 1, sizeof *g->cells);
	if (!g->cells)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	struct chart_item *rows = g->rows, *segs = g->segs, *cells = g->cells;
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < k; s++) {
			const struct mj_table_row *row = rows[i].row;
			size_t j = segs[s].col;
			struct chart_item *it = &cells[i * k + s];
			it->row = row;
			it->code = segs[s].code;
			it->label = segs[s].label;
			it->value = row->values[j];
			it->suppressed = row->suppressed[j];
			it->pct = -1;
			it->col = j;
			it->color = segs[s].color;
			it->parent = -1;
			chart_item_stats(c, it, row, j);
		}
	size_t kk = 0;
	for (size_t s = 0; s < k; s++) {
		int keep = 0, counted = 0;
		for (size_t i = 0; i < n; i++) {
			const struct chart_item *it = &cells[i * k + s];
			keep |= !it->no_rate;
			counted |= it->suppressed || it->count != 0;
		}
		if (segs[s].missing && !counted)
			keep = 0;
		if (!keep)
			continue;
		segs[kk] = segs[s];
		for (size_t i = 0; i < n; i++)
			cells[i * k + kk] = cells[i * k + s];
		kk++;
	}
	size_t nn = 0;
	for (size_t i = 0; i < n; i++) {
		int keep = 0;
		for (size_t s = 0; s < kk; s++)
			keep |= !cells[i * k + s].no_rate;
		if (!keep)
			continue;
		rows[nn] = rows[i];
		for (size_t s = 0; s < kk; s++)
			cells[nn * k + s] = cells[i * k + s];
		nn++;
	}
	g->n = nn;
	g->k = kk;
	if (nn == 0 || kk == 0)
		return mj_error_set(c->err, MJ_E_EMPTY, NULL, 0, 0,
				    "no bar to draw: no cell has a value");
	char buf[128];
	double w, h;
	for (size_t i = 0; i < nn; i++)
		for (size_t s = 0; s < kk; s++) {
			const struct chart_item *it = &cells[i * k + s];
			g->any_supp |= it->suppressed;
			if (it->no_rate)
				continue;
			g->maxv = fmax(g->maxv, fmax(bar_value(c, it), it->has_ci ? it->hi : 0));
			chart_text_size(c, cell_label(c, it, buf, sizeof buf),
					c->fs_small, 0, &w, &h);
			g->lw = fmax(g->lw, w);
		}
	/* Panels of small multiples share one scale. */
	g->maxv = fmax(g->maxv, c->o->value_max);
	return MJ_OK;
}

/* One bar of a group from the value axis at base: along x when
 * horizontal (y is the bar's top edge), else up from base (x its left
 * edge), thick across; with its whisker and, when labels, its value. */
static void grouped_bar(struct chart_ctx *c, const struct chart_item *it, int horizontal,
			double base, double at, double thick, double scale, int labels)
{
	char buf[128];
	double lh, w, gap = c->fs * 0.6;
	chart_text_size(c, "0", c->fs_small, 0, &w, &lh);
	double len = bar_value(c, it) * scale;
	if (it->suppressed)
		len = fmax(len, c->fs * 0.5);
	if (horizontal) {
		if (it->suppressed) {
			chart_hatch_rect(c, base, at + thick * 0.06, len, thick * 0.88);
		} else {
			chart_set_color(c, it->color);
			cairo_rectangle(c->cr, base, at + thick * 0.06, len, thick * 0.88);
			cairo_fill(c->cr);
		}
		if (it->has_ci) {
			chart_whisker(c, 1, at + thick / 2, base + it->lo * scale,
				      base + it->hi * scale, whisker_cap(c, thick));
			len = fmax(len, it->hi * scale + gap * 0.3);
		}
		if (labels)
			chart_text(c, cell_label(c, it, buf, sizeof buf), c->fs_small, 0,
				   base + len + gap * 0.5, at + (thick - lh) / 2, CHART_LEFT,
				   chart_ink);
		return;
	}
	if (it->suppressed) {
		chart_hatch_rect(c, at + thick * 0.06, base - len, thick * 0.88, len);
	} else {
		chart_set_color(c, it->color);
		cairo_rectangle(c->cr, at + thick * 0.06, base - len, thick * 0.88, len);
		cairo_fill(c->cr);
	}
	if (it->has_ci) {
		chart_whisker(c, 0, at + thick / 2, base - it->lo * scale,
			      base - it->hi * scale, whisker_cap(c, thick));
		len = fmax(len, it->hi * scale);
	}
	if (labels)
		chart_text(c, cell_label(c, it, buf, sizeof buf), c->fs_small, 0,
			   at + thick / 2, base - len - c->fs * 0.15 - lh, CHART_CENTER,
			   chart_ink);
}

/* Horizontal groups: the rows down the left, their bars across. */
static enum mj_status grouped_horizontal(struct chart_ctx *c, const struct grouped *g,
					 double legend_h)
{
	double w, tick_h, gap = c->fs * 0.6;
	chart_text_size(c, "0", c->fs_small, 0, &w, &tick_h);
	double top = c->py + legend_h + c->fs * 1.0;
	double bottom = c->py + c->ph - tick_h - c->fs * 0.3;
	double band = (bottom - top) / (double)g->n;
	enum mj_status st = check_bands(c, g->n, band, line_8pt(c) * 1.05, 0);
	if (st != MJ_OK)
		return st;
	double thick = fmin(band * 0.8 / (double)g->k, c->fs * 2.2);
	/* Few rows: a group's worth of air at most between groups. */
	if (band > thick * (double)g->k * 1.6) {
		band = thick * (double)g->k * 1.6;
		bottom = top + band * (double)g->n;
	}
	double labw = label_column(c, g->rows, g->n, band);
	double x0 = c->px + labw + gap;
	/* Value labels when a line of them fits a bar. */
	int labels = tick_h <= thick * 1.35;
	double avail = c->px + c->pw - x0 - gap - (labels ? g->lw : 0);
	if (avail < c->fs * 4)
		avail = c->fs * 4;
	double scale = g->maxv > 0 ? avail / g->maxv : 0;
	grid_x(c, x0, scale, g->maxv, top, bottom, 0);
	for (size_t i = 0; i < g->n; i++) {
		double mid = top + band * ((double)i + 0.5);
		band_label(c, g->rows[i].label, c->px, labw, mid, band);
		double y = mid - thick * (double)g->k / 2;
		for (size_t s = 0; s < g->k; s++, y += thick)
			if (!g->cells[i * g->stride + s].no_rate)
				grouped_bar(c, &g->cells[i * g->stride + s], 1, x0, y, thick,
					    scale, labels);
	}
	axis_line(c, x0, top, x0, bottom);
	return MJ_OK;
}

/* Vertical groups: the value axis on the left, the groups across. */
static enum mj_status grouped_vertical(struct chart_ctx *c, struct grouped *g,
				       double legend_h)
{
	char buf[128];
	double w, h, lh;
	chart_text_size(c, "0", c->fs_small, 0, &w, &lh);
	double step = chart_nice_step(g->maxv, 5), axw = 0;
	for (double v = 0; v <= g->maxv * 1.0001 + 1e-9 && v / step < CHART_TICKS_MAX; v += step) {
		chart_text_size(c, chart_num(c, v, buf, sizeof buf), c->fs_small, 0, &w, &h);
		axw = fmax(axw, w);
	}
	double x0 = c->px + axw + c->fs * 0.5;
	double band = (c->px + c->pw - x0) / (double)g->n;
	/* A group needs two lines of 8 pt across; its labels are drawn only
	 * where they fit (below). */
	enum mj_status st = check_bands(c, g->n, band, line_8pt(c) * 2 * 1.1, 1);
	if (st != MJ_OK)
		return st;
	double thick = fmin(band * 0.8 / (double)g->k, c->fs * 3);
	int labels = g->lw <= thick * 1.15;
	char (*names)[64] = calloc(g->n, sizeof *names);
	double cat_fs, cat_h = names ? band_labels(c, g->rows, g->n, names, band, &cat_fs) : -1;
	if (cat_h < 0) {
		free(names);
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	double top = c->py + legend_h + c->fs * 1.0 + (labels ? lh : 0);
	double base = c->py + c->ph - cat_h - c->fs * 0.4;
	double scale = g->maxv > 0 ? (base - top) / g->maxv : 0;
	value_grid(c, x0, base, scale, g->maxv, step);
	for (size_t i = 0; i < g->n; i++) {
		double mid = x0 + band * ((double)i + 0.5);
		double x = mid - thick * (double)g->k / 2;
		for (size_t s = 0; s < g->k; s++, x += thick)
			if (!g->cells[i * g->stride + s].no_rate)
				grouped_bar(c, &g->cells[i * g->stride + s], 0, base, x, thick,
					    scale, labels);
		band_label_draw(c, g->rows[i].label, cat_fs, mid, band, base);
	}
	axis_line(c, x0, base, c->px + c->pw, base);
	free(names);
	return MJ_OK;
}

/* Groups of bars: one group per row of the cross-tab, one bar per column
 * in the columns' colours, named by a legend. Horizontal groups are
 * sorted by the row's total unless the rows are ordered. Bars without a
 * rate leave their place empty (the note names them); columns and rows
 * with no bar at all are left out. */
static enum mj_status draw_grouped(struct chart_ctx *c, int horizontal)
{
	struct grouped g;
	enum mj_status st = grouped_cells(c, horizontal, &g);
	if (st == MJ_OK) {
		double legend_h = chart_legend(c, g.segs, g.k, g.any_supp, c->px, c->py,
					       c->pw, 0);
		chart_legend(c, g.segs, g.k, g.any_supp, c->px, c->py, c->pw, 1);
		st = horizontal ? grouped_horizontal(c, &g, legend_h)
				: grouped_vertical(c, &g, legend_h);
	}
	grouped_free(&g);
	return st;
}

enum mj_status chart_draw_bar(struct chart_ctx *c, int horizontal)
{
	if (chart_is_crosstab(c->t))
		return draw_grouped(c, horizontal);
	struct chart_item *it;
	size_t n;
	enum mj_status st = chart_row_items(c, 0, c->t->ncols - 1, &it, &n);
	if (st != MJ_OK)
		return st;
	n = drop_no_rate(it, n);
	st = horizontal ? draw_hbar(c, it, n) : draw_vbar(c, it, n);
	free(it);
	return st;
}

/* --- stacked --- */

/* A row of the stacked chart: its total and whether it is known. */
static double row_total(const struct mj_table *t,
			const struct mj_table_row *row, int *known)
{
	*known = !row->suppressed[t->ncols - 1];
	return row->values[t->ncols - 1];
}

static enum mj_status draw_stacked(struct chart_ctx *c, struct chart_item *rows,
				   size_t n, struct chart_item *segs, size_t k)
{
	cairo_t *cr = c->cr;
	const struct mj_table *t = c->t;
	int percent = c->o->percent;
	char buf[128];
	int any_supp = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < t->ncols; j++)
			any_supp |= rows[i].row->suppressed[j];
	if (!percent && !chart_dim_ordered(c, t->dims[0]))
		qsort(rows, n, sizeof *rows, by_value);

	/* Legend on top, then the bars, then the axis ticks. */
	double legend_h = chart_legend(c, segs, k, any_supp, c->px, c->py,
				       c->pw, 0);
	chart_legend(c, segs, k, any_supp, c->px, c->py, c->pw, 1);
	double tick_h, w, h;
	chart_text_size(c, "0", c->fs_small, 0, &w, &tick_h);
	double top = c->py + legend_h + c->fs * 1.0;
	double bottom = c->py + c->ph - tick_h - c->fs * 0.3;
	double band = (bottom - top) / (double)n;
	enum mj_status st = check_bands(c, n, band, line_8pt(c) * 1.05, 0);
	if (st != MJ_OK)
		return st;
	double thick = band * 0.7;
	if (thick > c->fs * 3.2)
		thick = c->fs * 3.2;
	/* Few rows: the bars keep a bar's worth of air between them, under
	 * their legend, rather than thin bars in wide bands. */
	if (band > thick * 1.6) {
		band = thick * 1.6;
		bottom = top + band * (double)n;
	}
	double labw = label_column(c, rows, n, band);
	double gap = c->fs * 0.6;
	double x0 = c->px + labw + gap;
	/* The end label: the row's total. */
	double endw = 0, maxv = 0;
	for (size_t i = 0; i < n; i++) {
		int known;
		double tot = row_total(t, rows[i].row, &known);
		if (known)
			chart_num(c, tot, buf, sizeof buf);
		else
			chart_mark(c, rows[i].row->suppressed[t->ncols - 1], buf, sizeof buf);
		chart_text_size(c, buf, c->fs, 0, &w, &h);
		if (w > endw)
			endw = w;
		if (tot > maxv)
			maxv = tot;
	}
	if (percent)
		maxv = 100;
	double avail = c->px + c->pw - x0 - gap - endw;
	double scale = maxv > 0 ? avail / maxv : 0;
	grid_x(c, x0, scale, maxv, top, bottom, percent);
	for (size_t i = 0; i < n; i++) {
		const struct mj_table_row *row = rows[i].row;
		double mid = top + band * ((double)i + 0.5);
		band_label(c, rows[i].label, c->px, labw, mid, band);
		int known;
		double tot = row_total(t, row, &known);
		double x = x0, shown = 0;
		for (size_t s = 0; s < k; s++) {
			size_t j = segs[s].col;
			if (row->suppressed[j])
				continue;
			double v = row->values[j];
			double p = mj_table_percent(t, row, j, MJ_PCT_ROW);
			double len = (percent ? (p > 0 ? p : 0) : v) * scale;
			shown += v;
			if (len <= 0)
				continue;
			chart_set_color(c, segs[s].color);
			cairo_rectangle(cr, x, mid - thick / 2, len, thick);
			cairo_fill(cr);
			/* The value inside when it fits, rounded as the tables
			 * round it (97.9%, not 98%). */
			if (percent)
				chart_pct(c, p, 1, buf, sizeof buf);
			else
				chart_num(c, v, buf, sizeof buf);
			chart_text_size(c, buf, c->fs_small, 0, &w, &h);
			if (w + c->fs * 0.4 <= len && h <= thick)
				chart_text(c, buf, c->fs_small, 0, x + len / 2,
					   mid - h / 2, CHART_CENTER,
					   chart_text_on(segs[s].color));
			x += len;
		}
		/* Suppressed cells: what the total leaves over, hatched. */
		if (known && tot - shown > 0) {
			double rest = tot - shown;
			double len = (percent ? 100.0 * rest / tot : rest) * scale;
			if (len < c->fs * 0.3)
				len = c->fs * 0.3;
			chart_hatch_rect(c, x, mid - thick / 2, len, thick);
			x += len;
		}
		if (known)
			chart_num(c, tot, buf, sizeof buf);
		else
			chart_mark(c, row->suppressed[t->ncols - 1], buf, sizeof buf);
		chart_text_size(c, buf, c->fs, 0, &w, &h);
		label_clear(c, x + gap * 0.6, mid - h / 2, w, h);
		chart_text(c, buf, c->fs, 0, x + gap * 0.6, mid - h / 2,
			   CHART_LEFT, chart_grey_text);
	}
	axis_line(c, x0, top, x0, bottom);
	return MJ_OK;
}

enum mj_status chart_draw_stacked(struct chart_ctx *c)
{
	struct chart_item *rows = NULL, *segs = NULL;
	size_t n, k;
	enum mj_status st = chart_row_items(c, 0, c->t->ncols - 1, &rows, &n);
	if (st == MJ_OK)
		st = chart_col_items(c, &segs, &k);
	/* "Not stated" that never occurs would only take room in the
	 * legend. */
	if (st == MJ_OK && k > 1 && segs[k - 1].missing &&
	    segs[k - 1].value == 0 && !segs[k - 1].suppressed)
		k--;
	if (st == MJ_OK)
		st = draw_stacked(c, rows, n, segs, k);
	free(rows);
	free(segs);
	return st;
}
