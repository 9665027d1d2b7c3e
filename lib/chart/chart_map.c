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

/* x rounded down and kept within lo..hi, lo when x is not a number: a
 * double out of int's range must never be converted to one. */
static int clamp_int(double x, int lo, int hi)
{
	return x >= hi ? hi : x > lo ? (int)x : lo;
}

/* A nice class width for a range: 1, 2 or 5 times a power of ten. */
static double nice_width(double range, int classes)
{
	if (!(range > 0))
		return 1;
	double raw = range / classes;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* A map being drawn: its tiles, their classes and where things go. */
struct map {
	struct tile *tiles;
	size_t nt;
	int d;                /* the dimension mapped */
	int percent;          /* shades are percents (else counts or rates) */
	int maxcol, maxrow;   /* the grid's extent, from the schema */
	char off[1024];       /* "label: value; ..." of those off the map */
	double lo, hi;        /* the shades' range */
	int any_supp;         /* some tile is suppressed */
	/* Classes: k of width from start. */
	double start, width;
	int k;
	/* The legend's title and heights. */
	const char *ltitle;
	char unit[128];
	double title_w, title_h, tick_h, legend_h;
	PangoLayout *off_l;   /* the line of those off the map, or NULL */
	double off_h;
	/* Geometry: tile size, gap, the grid's corner; the legend in the
	 * empty cells right of the last row (legend_in) or below. */
	double size, gap, gx, gy, free_cols;
	int last_used, legend_in;
};

/* Puts each item on its tile, or on the list of those off the map ("Not
 * stated" and categories without a tile), and finds the shades' range. */
static void map_place(struct chart_ctx *c, struct map *m, struct chart_item *it,
		      size_t n)
{
	char buf[256];
	m->lo = INFINITY;
	m->hi = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		int cat = mj_schema_cat_find(c->s, (size_t)m->d, it[i].code);
		int col, row;
		if (cat < 0 || mj_schema_cat_tile(c->s, (size_t)m->d, (size_t)cat,
						  &col, &row) != 0 ||
		    col < 0 || row < 0) {
			if ((!it[i].suppressed && it[i].value == 0) ||
			    it[i].no_rate)
				continue;
			size_t used = strlen(m->off);
			snprintf(m->off + used, sizeof m->off - used, "%s%s: %s",
				 used ? "; " : "", it[i].label,
				 chart_value_label(c, &it[i], buf, sizeof buf));
			continue;
		}
		struct tile *p = &m->tiles[m->nt++];
		p->it = &it[i];
		p->col = col;
		p->row = row;
		const char *name = NULL;
		if (c->lang == MJ_LANG_EN)
			name = mj_schema_cat_attr(c->s, (size_t)m->d, (size_t)cat,
						  "short", p->name, sizeof p->name);
		if (!name)
			snprintf(p->name, sizeof p->name, "%s", it[i].label);
		p->shade = m->percent ? it[i].pct : it[i].value;
		if (it[i].suppressed || it[i].no_rate) {
			m->any_supp |= it[i].suppressed;
			continue;
		}
		if (!isfinite(p->shade))
			continue;
		if (p->shade < m->lo)
			m->lo = p->shade;
		if (p->shade > m->hi)
			m->hi = p->shade;
	}
	if (!(m->lo <= m->hi))
		m->lo = m->hi = 0;
}

/* Classes of equal width on nice numbers, at most seven. */
static void map_classes(struct map *m)
{
	int classes = 5;
	double lo = m->lo, hi = m->hi;
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
	m->width = width;
	m->start = start;
	m->k = k;
}

/* Measures the legend and the line of those off the map, then sizes the
 * tiles: the legend goes into empty cells at the right of the last row
 * when they give it room, else below the tiles. */
static void map_layout(struct chart_ctx *c, struct map *m)
{
	double tick_w;
	chart_text_size(c, "0", c->fs_small, 0, &tick_w, &m->tick_h);
	m->ltitle = c->rates ? chart_rate_unit(c, 1, m->unit, sizeof m->unit)
		    : m->percent ? chart_phrase(c, "chart_percent_all", w_share)
				 : chart_phrase(c, "chart_count", w_count);
	chart_text_size(c, m->ltitle, c->fs, 0, &m->title_w, &m->title_h);
	m->legend_h = m->title_h + c->fs * 0.3 + c->fs * 0.9 + m->tick_h + c->fs * 0.2;
	if (m->off[0]) {
		char line[1200];
		snprintf(line, sizeof line, "%s \xe2\x80\x94 %s", w_off_map[c->lang], m->off);
		m->off_l = chart_layout(c, line, c->fs, 0, c->pw, CHART_LEFT);
		if (m->off_l)
			chart_layout_size(m->off_l, NULL, &m->off_h);
		m->off_h += c->fs * 0.5;
	}
	double cols = m->maxcol + 1, rows = m->maxrow + 1;
	m->last_used = -1;
	for (size_t k2 = 0; k2 < mj_schema_ncats(c->s, (size_t)m->d); k2++) {
		int col, row;
		if (mj_schema_cat_tile(c->s, (size_t)m->d, k2, &col, &row) == 0 &&
		    row == m->maxrow && col > m->last_used)
			m->last_used = col;
	}
	m->free_cols = m->maxcol - m->last_used;
	double legend_min_w = fmax(m->title_w, c->fs * 3.2 * (m->k + 1));
	double size = fmin(c->pw / cols, (c->ph - m->off_h) / rows);
	m->legend_in = m->free_cols * size - c->fs >= legend_min_w;
	if (!m->legend_in) {
		double area_h = c->ph - m->legend_h - m->off_h - c->fs * 1.2;
		size = fmin(c->pw / cols, area_h / rows);
	}
	m->size = size;
	m->gap = size * 0.05;
	m->gx = c->px + (c->pw - size * cols) / 2;
	/* A grid narrower than the plot is tall stands in its middle. */
	double used_h = size * rows + (m->legend_in ? 0 : m->legend_h + c->fs * 1.2);
	m->gy = c->py + fmax(0, (c->ph - m->off_h - used_h) / 2);
}

/* One tile: its shade (hatched when suppressed, an empty frame without a
 * population), its name at the top, its value and share at the bottom. */
static void map_draw_tile(struct chart_ctx *c, const struct map *m,
			  const struct tile *p)
{
	char num[64], pct[64];
	double size = m->size, gap = m->gap;
	double x = m->gx + p->col * size + gap / 2;
	double y = m->gy + p->row * size + gap / 2;
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
		int cls = clamp_int(floor((p->shade - m->start) / m->width + 1e-9), 0,
				    m->k - 1);
		int idx = ramp_index(cls, m->k);
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
	    chart_short_name(c, p->name, shorter, sizeof shorter)) {
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

/* The legend: its title, the class swatches and the breaks, the mark of
 * suppressed tiles; then the line of those off the map. */
static void map_draw_legend(struct chart_ctx *c, struct map *m)
{
	char buf[256];
	double size = m->size, gap = m->gap, gx = m->gx, gy = m->gy;
	double cols = m->maxcol + 1, rows = m->maxrow + 1;
	int k = m->k;
	double ly = gy + size * rows + c->fs * 0.8;
	double legend_x = gx + gap / 2, legend_w = size * cols - gap;
	if (m->legend_in) {
		legend_x = gx + (m->last_used + 1) * size + c->fs;
		legend_w = m->free_cols * size - c->fs;
		ly = gy + m->maxrow * size + gap / 2;
	}
	chart_text(c, m->ltitle, c->fs, 0, legend_x, ly, CHART_LEFT,
		   chart_ink);
	ly += m->title_h + c->fs * 0.3;
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
		double v = m->start + m->width * i;
		if (m->percent)
			chart_pct(c, v, m->width < 1 ? 1 : 0, buf, sizeof buf);
		else
			chart_num(c, v, buf, sizeof buf);
		chart_text(c, buf, c->fs_small, 0, lx + i * sw,
			   ly + c->fs * 1.1, CHART_CENTER, chart_grey_text);
	}
	if (m->any_supp) {
		double hx = lx + sw * k + c->fs * 2.5;
		chart_hatch_rect(c, hx, ly, c->fs * 0.9, c->fs * 0.9);
		chart_text(c, chart_marks(c, buf, sizeof buf), c->fs, 0,
			   hx + c->fs * 1.3, ly + c->fs * 0.45 - m->title_h / 2,
			   CHART_LEFT, chart_ink);
	}
	if (m->off_l) {
		double oy = m->legend_in ? gy + size * rows + c->fs * 0.6
					 : ly + c->fs * 1.1 + m->tick_h + c->fs * 0.8;
		chart_layout_show(c, m->off_l, gx + gap / 2, oy, chart_grey_text);
		g_object_unref(m->off_l);
		m->off_l = NULL;
	}
}

enum mj_status chart_draw_map(struct chart_ctx *c)
{
	struct chart_item *it;
	size_t n;
	enum mj_status st = chart_row_items(c, 0, 0, &it, &n);
	if (st != MJ_OK)
		return st;
	struct map m;
	memset(&m, 0, sizeof m);
	m.tiles = calloc(n ? n : 1, sizeof *m.tiles);
	if (!m.tiles) {
		free(it);
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	}
	/* Rates take the place of counts and of percents. */
	m.percent = c->o->percent && !c->rates;
	m.d = mj_schema_dim_find(c->s, c->t->dims[0]);
	/* The grid's extent comes from the schema, so that maps of
	 * different tables line up. */
	for (size_t k = 0; k < mj_schema_ncats(c->s, (size_t)m.d); k++) {
		int col, row;
		if (mj_schema_cat_tile(c->s, (size_t)m.d, k, &col, &row) == 0) {
			if (col > m.maxcol)
				m.maxcol = col;
			if (row > m.maxrow)
				m.maxrow = row;
		}
	}
	map_place(c, &m, it, n);
	map_classes(&m);
	map_layout(c, &m);
	for (size_t i = 0; i < m.nt; i++)
		map_draw_tile(c, &m, &m.tiles[i]);
	map_draw_legend(c, &m);
	free(m.tiles);
	free(it);
	return MJ_OK;
}
