/* Tile maps: one equal tile per category (the 14 regions), placed by the
 * schema attribute "tile" = "col:row" and shaded on a single-hue ramp with
 * a legend of the class breaks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

/* ColorBrewer Blues, light to dark. */
static const struct chart_rgb blues[7] = {
	{0xef / 255.0, 0xf3 / 255.0, 0xff / 255.0},
	{0xc6 / 255.0, 0xdb / 255.0, 0xef / 255.0},
	{0x9e / 255.0, 0xca / 255.0, 0xe1 / 255.0},
	{0x6b / 255.0, 0xae / 255.0, 0xd6 / 255.0},
	{0x42 / 255.0, 0x92 / 255.0, 0xc6 / 255.0},
	{0x21 / 255.0, 0x71 / 255.0, 0xb5 / 255.0},
	{0x08 / 255.0, 0x45 / 255.0, 0x94 / 255.0},
};

/* Neutral words for a schema that names no phrases. */
static const char *const w_share[MJ_LANG_COUNT] = {
	"Percent of all", "Процент от всех", "Barchasidan foiz", "Барчасидан фоиз"};
static const char *const w_count[MJ_LANG_COUNT] = {
	"Count", "Количество", "Soni", "Сони"};
static const char *const w_off_map[MJ_LANG_COUNT] = {
	"Not on the map", "Не на карте", "Xaritada yo\xca\xbbq",
	"Харитада йўқ"};

/* A white box behind text that sits on hatching, so it stays legible. */
static void clear_behind(struct chart_ctx *c, PangoLayout *l, double x,
			 double y)
{
	PangoRectangle ink, logical;
	pango_layout_get_extents(l, &ink, &logical);
	double pad = c->fs * 0.15;
	chart_set_color(c, chart_white);
	cairo_rectangle(c->cr, x + (double)logical.x / PANGO_SCALE - pad, y,
			(double)logical.width / PANGO_SCALE + 2 * pad,
			(double)logical.height / PANGO_SCALE);
	cairo_fill(c->cr);
}

struct tile {
	const struct chart_item *it;
	int col, row;
	char name[256];
	double shade;
};

/* The ramp colour of class cls of k: spread over the ramp, leaving out
 * its near-white first step when there are six classes or fewer, so that
 * no tile fades into the background. */
static int ramp_index(int cls, int k)
{
	if (k <= 1)
		return 4;
	if (k <= 6)
		return 1 + (int)lround(cls * 5.0 / (k - 1));
	return (int)lround(cls * 6.0 / (k - 1));
}

/* A nice class width for a range: 1, 2 or 5 times a power of ten. */
/* x rounded down and kept within lo..hi, lo when x is not a number: a
 * double out of int's range must never be converted to one. */
static int clamp_int(double x, int lo, int hi)
{
	return x >= hi ? hi : x > lo ? (int)x : lo;
}

static double nice_width(double range, int classes)
{
	if (!(range > 0))
		return 1;
	double raw = range / classes;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

enum mj_status chart_draw_map(struct chart_ctx *c)
{
	const struct mj_table *t = c->t;
	struct chart_item *it;
	size_t n;
	enum mj_status st = chart_row_items(c, 0, 0, &it, &n);
	if (st != MJ_OK)
		return st;
	struct tile *tiles = calloc(n ? n : 1, sizeof *tiles);
	if (!tiles) {
		free(it);
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	}
	/* Rates take the place of counts and of percents. */
	int percent = c->o->percent && !c->rates;
	int d = mj_schema_dim_find(c->s, t->dims[0]);
	int maxcol = 0, maxrow = 0;
	/* The grid's extent comes from the schema, so that maps of
	 * different tables line up. */
	for (size_t k = 0; k < mj_schema_ncats(c->s, (size_t)d); k++) {
		int col, row;
		if (mj_schema_cat_tile(c->s, (size_t)d, k, &col, &row) == 0) {
			if (col > maxcol)
				maxcol = col;
			if (row > maxrow)
				maxrow = row;
		}
	}
	size_t nt = 0;
	char off[1024] = "", buf[256], num[64], pct[64];
	double lo = INFINITY, hi = -INFINITY;
	int any_supp = 0;
	for (size_t i = 0; i < n; i++) {
		int cat = mj_schema_cat_find(c->s, (size_t)d, it[i].code);
		int col, row;
		if (cat < 0 || mj_schema_cat_tile(c->s, (size_t)d, (size_t)cat,
						  &col, &row) != 0 ||
		    col < 0 || row < 0) {
			/* "Not stated" and categories without a tile are
			 * listed under the map. */
			if ((!it[i].suppressed && it[i].value == 0) ||
			    it[i].no_rate)
				continue;
			size_t used = strlen(off);
			snprintf(off + used, sizeof off - used, "%s%s: %s",
				 used ? "; " : "", it[i].label,
				 chart_value_label(c, &it[i], buf, sizeof buf));
			continue;
		}
		struct tile *p = &tiles[nt++];
		p->it = &it[i];
		p->col = col;
		p->row = row;
		const char *name = NULL;
		if (c->lang == MJ_LANG_EN)
			name = mj_schema_cat_attr(c->s, (size_t)d, (size_t)cat,
						  "short", p->name, sizeof p->name);
		if (!name)
			snprintf(p->name, sizeof p->name, "%s", it[i].label);
		p->shade = percent ? it[i].pct : it[i].value;
		if (it[i].suppressed || it[i].no_rate) {
			any_supp |= it[i].suppressed;
			continue;
		}
		if (!isfinite(p->shade))
			continue;
		if (p->shade < lo)
			lo = p->shade;
		if (p->shade > hi)
			hi = p->shade;
	}
	if (!(lo <= hi))
		lo = hi = 0;
	/* Classes of equal width on nice numbers, at most seven. */
	int classes = 5;
	double width = nice_width(hi - lo, classes);
	double start = floor(lo / width) * width;
	int k = clamp_int(ceil((hi - start) / width - 1e-9), 0, 1000);
	for (int tries = 0; k > 7 && tries < 100; tries++) {
		width = nice_width(width * 7.01, 5);
		start = floor(lo / width) * width;
		k = clamp_int(ceil((hi - start) / width - 1e-9), 0, 1000);
	}
	if (k > 7)
		k = 7;
	if (k < 1)
		k = 1;

	/* Legend below the tiles: a classed colour bar with the breaks. */
	double tick_w, tick_h;
	chart_text_size(c, "0", c->fs_small, 0, &tick_w, &tick_h);
	double title_w, title_h;
	char unit[128];
	const char *ltitle = c->rates ? chart_rate_unit(c, 1, unit, sizeof unit)
			     : percent ? chart_phrase(c, "chart_percent_all", w_share)
				     : chart_phrase(c, "chart_count", w_count);
	chart_text_size(c, ltitle, c->fs, 0, &title_w, &title_h);
	double legend_h = title_h + c->fs * 0.3 + c->fs * 0.9 + tick_h + c->fs * 0.2;
	PangoLayout *off_l = NULL;
	double off_h = 0;
	if (off[0]) {
		char line[1200];
		snprintf(line, sizeof line, "%s \xe2\x80\x94 %s", w_off_map[c->lang], off);
		off_l = chart_layout(c, line, c->fs, 0, c->pw, CHART_LEFT);
		if (off_l)
			chart_layout_size(off_l, NULL, &off_h);
		off_h += c->fs * 0.5;
	}
	double cols = maxcol + 1, rows = maxrow + 1;
	/* The legend goes into empty cells at the right of the last row
	 * when they give it room, else below the tiles. */
	int last_used = -1;
	for (size_t k2 = 0; k2 < mj_schema_ncats(c->s, (size_t)d); k2++) {
		int col, row;
		if (mj_schema_cat_tile(c->s, (size_t)d, k2, &col, &row) == 0 &&
		    row == maxrow && col > last_used)
			last_used = col;
	}
	double free_cols = maxcol - last_used;
	double legend_min_w = fmax(title_w, c->fs * 3.2 * (k + 1));
	double size = fmin(c->pw / cols, (c->ph - off_h) / rows);
	int legend_in = free_cols * size - c->fs >= legend_min_w;
	if (!legend_in) {
		double area_h = c->ph - legend_h - off_h - c->fs * 1.2;
		size = fmin(c->pw / cols, area_h / rows);
	}
	double gap = size * 0.05;
	double gx = c->px + (c->pw - size * cols) / 2;
	/* A grid narrower than the plot is tall stands in its middle. */
	double used_h = size * rows + (legend_in ? 0 : legend_h + c->fs * 1.2);
	double gy = c->py + fmax(0, (c->ph - off_h - used_h) / 2);
	for (size_t i = 0; i < nt; i++) {
		struct tile *p = &tiles[i];
		double x = gx + p->col * size + gap / 2;
		double y = gy + p->row * size + gap / 2;
		double s = size - gap;
		struct chart_rgb fill = blues[0];
		if (p->it->suppressed) {
			chart_hatch_rect(c, x, y, s, s);
		} else if (p->it->no_rate) {
			/* No population: an empty tile that says so. */
			fill = chart_white;
			chart_set_color(c, chart_axis);
			cairo_set_line_width(c->cr, c->fs * 0.08);
			cairo_rectangle(c->cr, x, y, s, s);
			cairo_stroke(c->cr);
		} else {
			int cls = clamp_int(floor((p->shade - start) / width + 1e-9), 0, k - 1);
			int idx = ramp_index(cls, k);
			fill = blues[idx];
			chart_set_color(c, fill);
			cairo_rectangle(c->cr, x, y, s, s);
			cairo_fill(c->cr);
		}
		struct chart_rgb ink = p->it->suppressed ? chart_ink
							 : chart_text_on(fill);
		double inner = s - c->fs * 0.8;
		/* Value (and share) at the bottom, the name above it. */
		const char *value;
		if (p->it->suppressed)
			value = chart_mark(c, p->it->suppressed, num, sizeof num);
		else if (p->it->no_rate)
			value = chart_word_no_population(c);
		else if (c->rates)
			value = chart_rate(c, p->it->value, num, sizeof num);
		else
			value = chart_num(c, p->it->value, num, sizeof num);
		PangoLayout *vl = chart_layout_fit(c, value, c->fs * 1.15,
						   !p->it->no_rate,
						   inner, s * 0.3, CHART_LEFT);
		double vw = 0, vh = 0, pw = 0, ph = 0;
		if (vl)
			chart_layout_size(vl, &vw, &vh);
		pct[0] = '\0';
		if (!p->it->suppressed && p->it->pct >= 0)
			chart_pct(c, p->it->pct, 1, pct, sizeof pct);
		PangoLayout *pl = pct[0] ? chart_layout_fit(c, pct, c->fs_small, 0,
							    inner, s * 0.2,
							    CHART_LEFT)
					 : NULL;
		if (pl)
			chart_layout_size(pl, &pw, &ph);
		double name_h = s - c->fs * 0.6 - vh - ph;
		PangoLayout *nl = chart_layout_fit(c, p->name, c->fs, 0, inner,
						   name_h, CHART_LEFT);
		/* A name that only fits broken inside its words loses its
		 * generic word ("область", "viloyati"). */
		char shorter[256];
		if (nl && pango_layout_get_wrap(nl) == PANGO_WRAP_WORD_CHAR &&
		    chart_short_name(p->name, shorter, sizeof shorter)) {
			g_object_unref(nl);
			nl = chart_layout_fit(c, shorter, c->fs, 0, inner, name_h,
					      CHART_LEFT);
		}
		if (nl) {
			if (p->it->suppressed)
				clear_behind(c, nl, x + c->fs * 0.4,
					     y + c->fs * 0.3);
			chart_layout_show(c, nl, x + c->fs * 0.4,
					  y + c->fs * 0.3, ink);
			g_object_unref(nl);
		}
		double by = y + s - c->fs * 0.3 - ph;
		if (pl) {
			chart_layout_show(c, pl, x + c->fs * 0.4, by, ink);
			g_object_unref(pl);
		}
		if (vl) {
			if (p->it->suppressed)
				clear_behind(c, vl, x + c->fs * 0.4, by - vh);
			chart_layout_show(c, vl, x + c->fs * 0.4, by - vh, ink);
			g_object_unref(vl);
		}
	}
	/* The legend: its title, the class swatches and the breaks. */
	double ly = gy + size * rows + c->fs * 0.8;
	double legend_x = gx + gap / 2, legend_w = size * cols - gap;
	if (legend_in) {
		legend_x = gx + (last_used + 1) * size + c->fs;
		legend_w = free_cols * size - c->fs;
		ly = gy + maxrow * size + gap / 2;
	}
	chart_text(c, ltitle, c->fs, 0, legend_x, ly, CHART_LEFT,
		   chart_ink);
	ly += title_h + c->fs * 0.3;
	double sw = fmin(c->fs * 5, legend_w / (k + 1));
	double lx = legend_x;
	for (int i = 0; i < k; i++) {
		int idx = ramp_index(i, k);
		chart_set_color(c, blues[idx]);
		cairo_rectangle(c->cr, lx + i * sw, ly, sw, c->fs * 0.9);
		cairo_fill(c->cr);
	}
	chart_set_color(c, chart_axis);
	cairo_set_line_width(c->cr, c->fs * 0.06);
	cairo_rectangle(c->cr, lx, ly, sw * k, c->fs * 0.9);
	cairo_stroke(c->cr);
	for (int i = 0; i <= k; i++) {
		double v = start + width * i;
		if (percent)
			chart_pct(c, v, width < 1 ? 1 : 0, buf, sizeof buf);
		else
			chart_num(c, v, buf, sizeof buf);
		chart_text(c, buf, c->fs_small, 0, lx + i * sw,
			   ly + c->fs * 1.1, CHART_CENTER, chart_grey_text);
	}
	if (any_supp) {
		double hx = lx + sw * k + c->fs * 2.5;
		chart_hatch_rect(c, hx, ly, c->fs * 0.9, c->fs * 0.9);
		chart_text(c, chart_marks(c, buf, sizeof buf), c->fs, 0,
			   hx + c->fs * 1.3, ly + c->fs * 0.45 - title_h / 2,
			   CHART_LEFT, chart_ink);
	}
	if (off_l) {
		double oy = legend_in ? gy + size * rows + c->fs * 0.6
				      : ly + c->fs * 1.1 + tick_h + c->fs * 0.8;
		chart_layout_show(c, off_l, gx + gap / 2, oy, chart_grey_text);
		g_object_unref(off_l);
	}
	free(tiles);
	free(it);
	return MJ_OK;
}
