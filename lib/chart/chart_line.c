/* Line charts: a trend over an ordered dimension (months), one series for
 * a one-way table or one per category of a cross-tab, labelled at the
 * line's end. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

struct series {
	const char *label;
	const char *code;
	int skip;       /* an empty "not stated" series, not drawn */
	int dashed;     /* the ninth series on, whose colours repeat */
	struct chart_rgb color;
	double end_y;   /* y of the last known point */
	double label_y; /* top of the end label after spreading */
	double label_h;
	int has_end;
};

/* The data of a line chart: nx points for each of ns series. */
struct line_data {
	size_t nx, ns;
	const char **xcodes, **xlabels;
	struct series *ser;
	double *v;          /* v[s * nx + x] */
	unsigned char *sup; /* suppressed */
};

static enum mj_status line_data_make(struct chart_ctx *c, struct line_data *d)
{
	const struct mj_table *t = c->t;
	size_t nrows = 0;
	for (size_t r = 0; r < t->nrows; r++)
		nrows += t->rows[r].kind != MJ_ROW_TOTAL && t->rows[r].level == 0;
	size_t ncats = chart_is_crosstab(t) ? t->ncols - 1 : 0;
	/* A cross-tab with months across: the rows are the series. */
	int x_cols = ncats > 0 && chart_dim_time(c, t->col_dim) &&
		     !chart_dim_time(c, t->dims[0]);
	size_t cap = (nrows > ncats ? nrows : ncats) + 1;
	d->xcodes = calloc(cap, sizeof *d->xcodes);
	d->xlabels = calloc(cap, sizeof *d->xlabels);
	d->ser = calloc(cap, sizeof *d->ser);
	d->v = calloc(cap * cap, sizeof *d->v);
	d->sup = calloc(cap * cap, 1);
	if (!d->xcodes || !d->xlabels || !d->ser || !d->v || !d->sup)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	size_t nx = 0, ns = 0;
	if (x_cols) {
		for (size_t j = 0; j < ncats; j++) {
			if (strcmp(t->col_codes[j], MJ_CODE_MISSING) == 0)
				continue;
			d->xcodes[nx] = t->col_codes[j];
			d->xlabels[nx] = t->col_labels ? t->col_labels[j]
							: t->col_codes[j];
			size_t s = 0;
			for (size_t r = 0; r < t->nrows; r++) {
				const struct mj_table_row *row = &t->rows[r];
				if (row->kind == MJ_ROW_TOTAL || row->level != 0)
					continue;
				d->v[s * cap + nx] = row->values[j];
				d->sup[s * cap + nx] = row->suppressed[j];
				if (nx == 0) {
					d->ser[s].label = row->labels[0];
					d->ser[s].code = row->codes[0];
					d->ser[s].color = chart_cat_color(
						c, t->dims[0], row->codes[0], s);
				}
				s++;
			}
			ns = s;
			nx++;
		}
	} else {
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			if (row->kind == MJ_ROW_TOTAL || row->level != 0 ||
			    strcmp(row->codes[0], MJ_CODE_MISSING) == 0)
				continue;
			d->xcodes[nx] = row->codes[0];
			d->xlabels[nx] = row->labels[0];
			if (ncats == 0) {
				d->v[nx] = row->values[0];
				d->sup[nx] = row->suppressed[0];
			}
			for (size_t j = 0; j < ncats; j++) {
				d->v[j * cap + nx] = row->values[j];
				d->sup[j * cap + nx] = row->suppressed[j];
			}
			nx++;
		}
		if (ncats == 0) {
			ns = 1;
			d->ser[0].label = t->title ? t->title : t->dims[0];
			d->ser[0].color = chart_bar_default;
		}
		for (size_t j = 0; j < ncats; j++) {
			d->ser[j].label = t->col_labels ? t->col_labels[j]
							: t->col_codes[j];
			d->ser[j].code = t->col_codes[j];
			d->ser[j].color = chart_cat_color(c, t->col_dim,
							  t->col_codes[j], j);
		}
		if (ncats)
			ns = ncats;
	}
	/* Without colours in the schema, series take Okabe–Ito in their
	 * order; past eight, the colours come round again with dashes. */
	const char *sdim = x_cols ? t->dims[0] : t->col_dim;
	if (ncats > 0 && !chart_dim_has_colors(c, sdim)) {
		size_t k = 0;
		for (size_t s = 0; s < ns; s++) {
			if (d->ser[s].code &&
			    strcmp(d->ser[s].code, MJ_CODE_MISSING) == 0)
				continue;
			d->ser[s].color = chart_cat_color(c, NULL, d->ser[s].code, k);
			d->ser[s].dashed = k >= 8;
			k++;
		}
	}
	/* Compact the value arrays to nx columns. */
	for (size_t s = 0; s < ns; s++) {
		memmove(d->v + s * nx, d->v + s * cap, nx * sizeof *d->v);
		memmove(d->sup + s * nx, d->sup + s * cap, nx);
	}
	d->nx = nx;
	d->ns = ns;
	/* "Not stated" that never occurs would only add a flat line. */
	for (size_t s = 0; s < ns; s++) {
		if (!d->ser[s].code || strcmp(d->ser[s].code, MJ_CODE_MISSING))
			continue;
		int empty = 1;
		for (size_t x = 0; x < nx; x++)
			empty &= d->v[s * nx + x] == 0 && !d->sup[s * nx + x];
		d->ser[s].skip = empty;
	}
	if (nx == 0)
		return mj_error_set(c->err, MJ_E_EMPTY, NULL, 0, 0,
				    "the table has no points to draw a line "
				    "through");
	return MJ_OK;
}

static void line_data_free(struct line_data *d)
{
	free(d->xcodes);
	free(d->xlabels);
	free(d->ser);
	free(d->v);
	free(d->sup);
}

static int by_label_y(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	return x->label_y < y->label_y ? -1 : x->label_y > y->label_y;
}

/* Where a line chart goes: the value axis (0 to ymax in steps, scale
 * points per unit, from base up to top), the x bands from x0 to x1, the
 * column of end labels (endw wide, with a line key when colours repeat). */
struct line_geom {
	double step, ymax, axw;
	int multi;          /* several series: each labelled by its name */
	double endw, key;
	double x0, x1, band;
	size_t every;       /* every how many x labels one is shown */
	double xlh;
	int point_labels;   /* a value over every point of a single series */
	double top, base, scale;
	double mr;          /* the radius of point markers (0: none) */
};

/* Measures the labels (axis, x, end and point) and places the plot. */
static void line_measure(struct chart_ctx *c, struct line_data *d,
			 struct line_geom *g)
{
	char buf[256];
	double w, h, maxv = 0;
	for (size_t i = 0; i < d->ns * d->nx; i++) {
		double v = d->sup[i] == MJ_HIDDEN_PRIMARY ? (double)c->t->min_cell
			   : d->sup[i] ? 0 : d->v[i];
		if (v > maxv)
			maxv = v;
	}
	g->step = chart_nice_step(maxv, 5);
	g->ymax = ceil(maxv / g->step) * g->step;
	if (g->ymax <= 0)
		g->ymax = 1;
	g->axw = 0;
	for (double v = 0; v <= g->ymax + 1e-9 && v / g->step < CHART_TICKS_MAX; v += g->step) {
		chart_text_size(c, chart_num(c, v, buf, sizeof buf), c->fs_small,
				0, &w, &h);
		if (w > g->axw)
			g->axw = w;
	}
	/* Room on the right for the end labels. */
	g->endw = 0;
	g->multi = d->ns > 1;
	int multi = g->multi;
	for (size_t s = 0; s < d->ns; s++) {
		if (d->ser[s].skip)
			continue;
		const char *text = buf;
		if (multi) {
			text = d->ser[s].label;
		} else {
			size_t last = d->nx - 1;
			if (d->sup[last])
				chart_mark(c, d->sup[last], buf, sizeof buf);
			else
				chart_num(c, d->v[last], buf, sizeof buf);
		}
		chart_text_size(c, text, c->fs, multi, &w, &h);
		if (w > g->endw)
			g->endw = w;
		d->ser[s].label_h = h;
	}
	if (g->endw > c->pw * 0.3)
		g->endw = c->pw * 0.3;
	/* Long series names wrap within the end column: measure them so. */
	for (size_t s = 0; multi && s < d->ns; s++) {
		PangoLayout *l = chart_layout(c, d->ser[s].label, c->fs, 1,
					      g->endw + 1, CHART_LEFT);
		if (l) {
			chart_layout_size(l, &w, &d->ser[s].label_h);
			g_object_unref(l);
		}
	}
	g->x0 = c->px + g->axw + c->fs * 0.5;
	/* A line key before each name when colours repeat (dashes). */
	int any_dashed = 0;
	for (size_t s = 0; s < d->ns; s++)
		any_dashed |= d->ser[s].dashed;
	g->key = any_dashed ? c->fs * 1.8 : 0;
	g->x1 = c->px + c->pw - g->endw - g->key - c->fs * 1.2;
	g->band = (g->x1 - g->x0) / (double)d->nx;
	/* X labels: thinned when they would collide. */
	double xlw = 0;
	g->xlh = 0;
	for (size_t i = 0; i < d->nx; i++) {
		const char *text = chart_month_label(c, d->xcodes[i], i == 0, buf,
					       sizeof buf);
		chart_text_size(c, text ? text : d->xlabels[i], c->fs_small, 0,
				&w, &h);
		PangoLayout *l = chart_layout(c, text ? text : d->xlabels[i],
					      c->fs_small, 0, 0, CHART_CENTER);
		if (l) {
			chart_layout_size(l, &w, &h);
			g_object_unref(l);
		}
		if (w > xlw)
			xlw = w;
		if (h > g->xlh)
			g->xlh = h;
	}
	g->every = 1;
	while ((double)g->every * g->band < xlw + c->fs * 0.6 && g->every < d->nx)
		g->every++;
	/* Value labels on every point of a single series when they fit. */
	double vlw = 0;
	for (size_t i = 0; !multi && i < d->nx; i++) {
		chart_text_size(c, d->sup[i] ? chart_mark(c, d->sup[i], buf, sizeof buf)
					     : chart_num(c, d->v[i], buf, sizeof buf),
				c->fs_small, 0, &w, &h);
		if (w > vlw)
			vlw = w;
	}
	g->point_labels = !multi && vlw + c->fs * 0.4 < g->band;
	/* With point labels, h is the height of the last one measured. */
	g->top = c->py + (g->point_labels ? h + c->fs * 0.3 : c->fs * 0.5);
	g->base = c->py + c->ph - g->xlh - c->fs * 0.4;
	g->scale = (g->base - g->top) / g->ymax;
	g->mr = d->nx <= 36 ? c->fs * 0.28 : 0;
}

/* The grid with its values, the x labels and the baseline. */
static void line_draw_axes(struct chart_ctx *c, const struct line_data *d,
			   const struct line_geom *g)
{
	cairo_t *cr = c->cr;
	char buf[256];
	double w, h;
	cairo_set_line_width(cr, c->fs * 0.07);
	for (double v = 0; v <= g->ymax + 1e-9 && v / g->step < CHART_TICKS_MAX; v += g->step) {
		double y = g->base - v * g->scale;
		chart_set_color(c, chart_grid);
		cairo_move_to(cr, g->x0, y);
		cairo_line_to(cr, g->x1, y);
		cairo_stroke(cr);
		chart_text_size(c, chart_num(c, v, buf, sizeof buf), c->fs_small,
				0, &w, &h);
		chart_text(c, buf, c->fs_small, 0, g->x0 - c->fs * 0.4, y - h / 2,
			   CHART_RIGHT, chart_grey_text);
	}
	for (size_t i = 0; i < d->nx; i += g->every) {
		double x = g->x0 + g->band * ((double)i + 0.5);
		const char *text = chart_month_label(c, d->xcodes[i], i == 0, buf,
					       sizeof buf);
		PangoLayout *l = chart_layout(c, text ? text : d->xlabels[i],
					      c->fs_small, 0, 0, CHART_CENTER);
		if (!l)
			continue;
		chart_layout_size(l, &w, &h);
		chart_layout_show(c, l, x - w / 2, g->base + c->fs * 0.4,
				  chart_grey_text);
		g_object_unref(l);
	}
	chart_set_color(c, chart_axis);
	cairo_set_line_width(cr, c->fs * 0.08);
	cairo_move_to(cr, g->x0, g->base);
	cairo_line_to(cr, g->x1, g->base);
	cairo_stroke(cr);
}

/* The series: lines broken at suppressed points, which get a hatched
 * marker at the height of the threshold (on the baseline for a point
 * hidden to protect others: its height is not known). Sets each series'
 * end. */
static void line_draw_series(struct chart_ctx *c, struct line_data *d,
			     const struct line_geom *g)
{
	cairo_t *cr = c->cr;
	char lab[64];
	double w, h, x0 = g->x0, band = g->band, base = g->base, scale = g->scale;
	double mr = g->mr;
	for (size_t s = 0; s < d->ns; s++) {
		if (d->ser[s].skip)
			continue;
		const double *v = d->v + s * d->nx;
		const unsigned char *sup = d->sup + s * d->nx;
		cairo_set_line_width(cr, c->fs * 0.18);
		chart_set_color(c, d->ser[s].color);
		double dash[] = {c->fs * 0.6, c->fs * 0.3};
		cairo_set_dash(cr, dash, d->ser[s].dashed ? 2 : 0, 0);
		int open = 0;
		for (size_t i = 0; i < d->nx; i++) {
			double x = x0 + band * ((double)i + 0.5);
			if (sup[i]) {
				open = 0;
				continue;
			}
			double y = base - v[i] * scale;
			if (open)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
			open = 1;
			d->ser[s].end_y = y;
			d->ser[s].has_end = 1;
		}
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		for (size_t i = 0; i < d->nx; i++) {
			double x = x0 + band * ((double)i + 0.5);
			if (sup[i]) {
				double y = base - (sup[i] == MJ_HIDDEN_COMPLEMENT ? 0
						   : (double)c->t->min_cell) * scale;
				double m = c->fs * 0.5;
				chart_hatch_rect(c, x - m / 2, y - m / 2, m, m);
				continue;
			}
			double y = base - v[i] * scale;
			if (mr > 0) {
				cairo_new_path(cr);
				cairo_arc(cr, x, y, mr, 0, 2 * M_PI);
				chart_set_color(c, chart_white);
				cairo_fill_preserve(cr);
				chart_set_color(c, d->ser[s].color);
				cairo_set_line_width(cr, c->fs * 0.14);
				cairo_stroke(cr);
			}
			if (g->point_labels && i + 1 < d->nx) {
				chart_text_size(c, chart_num(c, v[i], lab, sizeof lab),
						c->fs_small, 0, &w, &h);
				chart_text(c, lab, c->fs_small, 0, x,
					   y - h - mr - c->fs * 0.1, CHART_CENTER,
					   chart_ink);
			}
		}
	}
}

/* End labels at each series' last point, spread so they never overlap,
 * each joined to its point by a thin line when moved. */
static enum mj_status line_draw_ends(struct chart_ctx *c, struct line_data *d,
				     const struct line_geom *g)
{
	cairo_t *cr = c->cr;
	char buf[256];
	double x1 = g->x1, band = g->band, mr = g->mr, key = g->key;
	struct series **col = calloc(d->ns, sizeof *col);
	if (!col)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	size_t k = 0;
	for (size_t s = 0; s < d->ns; s++) {
		if (!d->ser[s].has_end || d->ser[s].skip)
			continue;
		d->ser[s].label_y = d->ser[s].end_y - d->ser[s].label_h / 2;
		col[k++] = &d->ser[s];
	}
	qsort(col, k, sizeof *col, by_label_y);
	double gap = c->fs * 0.15;
	for (size_t i = 0; i < k; i++) {
		if (col[i]->label_y < c->py)
			col[i]->label_y = c->py;
		if (i > 0 && col[i]->label_y < col[i - 1]->label_y + col[i - 1]->label_h + gap)
			col[i]->label_y = col[i - 1]->label_y + col[i - 1]->label_h + gap;
	}
	for (size_t i = k; i-- > 0;) {
		double limit = i + 1 < k ? col[i + 1]->label_y - gap : g->base;
		if (col[i]->label_y + col[i]->label_h > limit)
			col[i]->label_y = limit - col[i]->label_h;
	}
	double lx = x1 - band * 0.5 + mr + c->fs * 0.9;
	for (size_t i = 0; i < k; i++) {
		struct series *p = col[i];
		const char *text = p->label;
		if (!g->multi) {
			size_t last = d->nx - 1;
			text = d->sup[last] ? chart_mark(c, d->sup[last], buf, sizeof buf)
					    : chart_num(c, d->v[last], buf, sizeof buf);
		}
		double mid = p->label_y + p->label_h / 2;
		if (fabs(mid - p->end_y) > 1) {
			chart_set_color(c, p->color);
			cairo_set_line_width(cr, c->fs * 0.07);
			cairo_move_to(cr, x1 - band * 0.5 + mr + c->fs * 0.15,
				      p->end_y);
			cairo_line_to(cr, lx - c->fs * 0.2, mid);
			cairo_stroke(cr);
		}
		if (key > 0) {
			double dash[] = {c->fs * 0.45, c->fs * 0.25};
			chart_set_color(c, p->color);
			cairo_set_line_width(cr, c->fs * 0.18);
			cairo_set_dash(cr, dash, p->dashed ? 2 : 0, 0);
			cairo_move_to(cr, lx, mid);
			cairo_line_to(cr, lx + key - c->fs * 0.4, mid);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		}
		PangoLayout *l = chart_layout(c, text, c->fs, g->multi, g->endw + 1,
					      CHART_LEFT);
		if (l) {
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
			chart_layout_show(c, l, lx + key, p->label_y,
					  g->multi ? chart_readable(p->color)
						   : chart_ink);
			g_object_unref(l);
		}
	}
	free(col);
	return MJ_OK;
}

enum mj_status chart_draw_line(struct chart_ctx *c)
{
	struct line_data d = {0};
	enum mj_status st = line_data_make(c, &d);
	if (st == MJ_OK) {
		struct line_geom g;
		line_measure(c, &d, &g);
		line_draw_axes(c, &d, &g);
		line_draw_series(c, &d, &g);
		st = line_draw_ends(c, &d, &g);
	}
	line_data_free(&d);
	return st;
}
