/* Round charts: pie, donut (total in the hole) and sunburst (inner ring
 * the outer dimension, outer ring its children). Labels go inside a
 * slice when they fit, else outside with leader lines, pushed apart so
 * they never overlap. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

/* One slice or ring segment. */
struct slice {
	const char *label;
	double value;      /* value the angle is taken of */
	int hatched;       /* suppressed cells */
	struct chart_rgb color;
	double a0, a1;     /* angles, clockwise from 12 o'clock */
	double r0, r1;     /* inner and outer radius as a part of R */
	char text[512];    /* "Label\n2,709 (24.8%)" */
	int outside;       /* label outside with a leader line */
	PangoLayout *layout;
	double w, h;       /* size of layout */
	double y;          /* top of an outside label */
	double cx, cy;     /* centre of an inside label, from the centre */
	int right;         /* an outside label in the right column */
};

/* Whether a w x h box centred at (x, y) lies inside the ring segment
 * between radii ri and ro and angles a0..a1 around the origin. */
static int box_in_segment(double x, double y, double w, double h, double ri,
			  double ro, double a0, double a1)
{
	for (int k = 0; k < 4; k++) {
		double px = x + (k & 1 ? w / 2 : -w / 2);
		double py = y + (k & 2 ? h / 2 : -h / 2);
		double r = hypot(px, py);
		if (r < ri || r > ro)
			return 0;
		double a = atan2(py, px);
		/* Normalise into a0 .. a0 + 2 pi. */
		while (a < a0)
			a += 2 * M_PI;
		while (a >= a0 + 2 * M_PI)
			a -= 2 * M_PI;
		if (a > a1)
			return 0;
	}
	return 1;
}

/* Try each slice's label inside at radius R, at a few places along the
 * slice and across the ring (a wide label fits where the ring runs
 * across it); mark those that fit nowhere as outside. Layouts are made
 * at most once. */
static void fit_inside(struct chart_ctx *c, struct slice *s, size_t n,
		       double R, int allow_inside)
{
	static const double along[] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8,
				       0.1, 0.9, 0.05, 0.95};
	static const double across[] = {0.5, 0.35, 0.65};
	for (size_t i = 0; i < n; i++) {
		if (!s[i].layout) {
			s[i].layout = chart_layout(c, s[i].text, c->fs, 0,
						   c->pw * 0.26, CHART_CENTER);
			if (s[i].layout) {
				PangoRectangle ink, logical;
				pango_layout_get_extents(s[i].layout, &ink,
							 &logical);
				s[i].w = (double)logical.width / PANGO_SCALE;
				s[i].h = (double)logical.height / PANGO_SCALE;
			}
		}
		s[i].outside = 1;
		for (size_t a = 0; allow_inside && s[i].outside && a < 11; a++) {
			for (size_t r = 0; s[i].outside && r < 3; r++) {
				double ang = s[i].a0 + (s[i].a1 - s[i].a0) * along[a];
				double rr = (s[i].r0 + (s[i].r1 - s[i].r0) *
					     across[r]) * R;
				double x = cos(ang) * rr, y = sin(ang) * rr;
				if (box_in_segment(x, y, s[i].w + c->fs * 0.4,
						   s[i].h + c->fs * 0.2,
						   s[i].r0 * R, s[i].r1 * R,
						   s[i].a0, s[i].a1)) {
					s[i].outside = 0;
					s[i].cx = x;
					s[i].cy = y;
				}
			}
		}
	}
}

/* Width needed beside the circle for the outside labels. */
static double outside_width(struct chart_ctx *c, const struct slice *s,
			    size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].outside && s[i].w > w)
			w = s[i].w;
	return w > 0 ? w + c->fs * 2.2 : 0;
}

static int by_y(const void *a, const void *b)
{
	const struct slice *x = *(const struct slice *const *)a;
	const struct slice *y = *(const struct slice *const *)b;
	return x->y < y->y ? -1 : x->y > y->y;
}

/* Place the outside labels of one side in a column between top and
 * bottom: each as near its slice as it can be without overlapping. */
static void spread(struct slice **col, size_t n, double gap, double top,
		   double bottom)
{
	qsort(col, n, sizeof *col, by_y);
	for (size_t i = 0; i < n; i++) {
		if (col[i]->y < top)
			col[i]->y = top;
		if (i > 0 && col[i]->y < col[i - 1]->y + col[i - 1]->h + gap)
			col[i]->y = col[i - 1]->y + col[i - 1]->h + gap;
	}
	for (size_t i = n; i-- > 0;) {
		double limit = i + 1 < n ? col[i + 1]->y - gap : bottom;
		if (col[i]->y + col[i]->h > limit)
			col[i]->y = limit - col[i]->h;
	}
}

/* Height the outside labels of one side need. */
static double side_height(struct chart_ctx *c, const struct slice *s,
			  size_t n, int right)
{
	double need = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].outside && s[i].layout && s[i].a1 > s[i].a0 &&
		    s[i].right == right)
			need += s[i].h + c->fs * 0.3;
	return need;
}

/* Put each outside label on the side of its slice; when a side has more
 * than its height holds, move the labels of slices nearest the top or
 * bottom to the other side, then set what still does not fit smaller
 * (never below 8 pt), so that no label leaves the chart. */
static void balance_sides(struct chart_ctx *c, struct slice *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s[i].right = cos((s[i].a0 + s[i].a1) / 2) >= 0;
	double avail = c->ph;
	for (size_t moves = 0; moves < n; moves++) {
		double need[2] = {side_height(c, s, n, 0), side_height(c, s, n, 1)};
		int over = need[0] > avail ? 0 : need[1] > avail ? 1 : -1;
		if (over < 0)
			break;
		size_t best = n;
		double best_cos = 2;
		for (size_t i = 0; i < n; i++) {
			if (!s[i].outside || !s[i].layout || s[i].a1 <= s[i].a0 ||
			    s[i].right != over)
				continue;
			double k = fabs(cos((s[i].a0 + s[i].a1) / 2));
			if (k < best_cos) {
				best_cos = k;
				best = i;
			}
		}
		if (best == n ||
		    need[!over] + s[best].h + c->fs * 0.3 > avail)
			break;
		s[best].right = !over;
	}
	for (int right = 0; right < 2; right++) {
		double need = side_height(c, s, n, right);
		if (need <= avail)
			continue;
		double size = c->fs * avail / need;
		if (size < 8)
			size = 8;
		for (size_t i = 0; i < n; i++) {
			if (!s[i].outside || !s[i].layout || s[i].right != right)
				continue;
			PangoLayout *l = chart_layout(c, s[i].text, size, 0,
						      c->pw * 0.26, CHART_CENTER);
			if (!l)
				continue;
			g_object_unref(s[i].layout);
			s[i].layout = l;
			PangoRectangle ink, logical;
			pango_layout_get_extents(l, &ink, &logical);
			s[i].w = (double)logical.width / PANGO_SCALE;
			s[i].h = (double)logical.height / PANGO_SCALE;
		}
	}
}

/* Draw the segments and their labels around (cx, cy) with radius R. */
static void draw_slices(struct chart_ctx *c, struct slice *s, size_t n,
			double cx, double cy, double R)
{
	cairo_t *cr = c->cr;
	for (size_t i = 0; i < n; i++) {
		if (s[i].a1 - s[i].a0 <= 0)
			continue;
		cairo_new_path(cr);
		cairo_arc(cr, cx, cy, s[i].r1 * R, s[i].a0, s[i].a1);
		if (s[i].r0 > 0)
			cairo_arc_negative(cr, cx, cy, s[i].r0 * R, s[i].a1,
					   s[i].a0);
		else
			cairo_line_to(cr, cx, cy);
		cairo_close_path(cr);
		if (s[i].hatched) {
			chart_hatch_path(c);
		} else {
			chart_set_color(c, s[i].color);
			cairo_fill_preserve(cr);
			/* White edges keep neighbouring slices apart in
			 * greyscale; a whole ring has none. */
			chart_set_color(c, chart_white);
			cairo_set_line_width(cr, c->fs * 0.12);
			if (s[i].a1 - s[i].a0 < 2 * M_PI - 1e-9)
				cairo_stroke(cr);
			cairo_new_path(cr);
		}
	}
	/* Inside labels. */
	for (size_t i = 0; i < n; i++) {
		if (s[i].outside || !s[i].layout || s[i].a1 <= s[i].a0)
			continue;
		/* A centred layout's width includes its left offset. */
		PangoRectangle ink, logical;
		pango_layout_get_extents(s[i].layout, &ink, &logical);
		double lw = (double)logical.width / PANGO_SCALE;
		double lx = (double)logical.x / PANGO_SCALE;
		chart_layout_show(c, s[i].layout,
				  cx + s[i].cx - lw / 2 - lx,
				  cy + s[i].cy - s[i].h / 2,
				  s[i].hatched ? chart_ink
					       : chart_text_on(s[i].color));
	}
	/* Outside labels, per side, spread in columns. */
	struct slice **col = calloc(n ? n : 1, sizeof *col);
	if (!col)
		return;
	double off = R * 0.06 + c->fs * 0.4;
	balance_sides(c, s, n);
	for (int right = 0; right < 2; right++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (!s[i].outside || !s[i].layout || s[i].a1 <= s[i].a0)
				continue;
			double mid = (s[i].a0 + s[i].a1) / 2;
			if (s[i].right != right)
				continue;
			s[i].y = cy + sin(mid) * (R + off) - s[i].h / 2;
			col[k++] = &s[i];
		}
		spread(col, k, c->fs * 0.3, c->py, c->py + c->ph);
		for (size_t j = 0; j < k; j++) {
			struct slice *p = col[j];
			double mid = (p->a0 + p->a1) / 2;
			double ax = cx + cos(mid) * p->r1 * R;
			double ay = cy + sin(mid) * p->r1 * R;
			double ex = cx + cos(mid) * (R + off * 0.6);
			double ey = cy + sin(mid) * (R + off * 0.6);
			double ly = p->y + p->h / 2;
			double lx = right ? cx + R + off + c->fs * 0.6
					  : cx - R - off - c->fs * 0.6;
			/* The leader's elbow never crosses back over the
			 * circle. */
			if (right ? ex > lx - c->fs * 0.3 : ex < lx + c->fs * 0.3)
				ex = right ? lx - c->fs * 0.3 : lx + c->fs * 0.3;
			chart_set_color(c, chart_axis);
			cairo_set_line_width(cr, c->fs * 0.07);
			cairo_move_to(cr, ax, ay);
			cairo_line_to(cr, ex, ey);
			cairo_line_to(cr, lx, ly);
			cairo_stroke(cr);
			/* Labels on the left are right-aligned towards the
			 * circle; measure again after aligning. */
			pango_layout_set_alignment(p->layout, right
						   ? PANGO_ALIGN_LEFT
						   : PANGO_ALIGN_RIGHT);
			double lw, lh;
			chart_layout_size(p->layout, &lw, &lh);
			double tx = right ? lx + c->fs * 0.3
					  : lx - c->fs * 0.3 - lw;
			chart_layout_show(c, p->layout, tx, p->y, chart_ink);
		}
	}
	free(col);
}

/* A slice's label and value on two lines. A number that ends the label
 * ("Hotline 1146") stays with the word before it: alone on a line of a
 * wrapped label it read as a second count. */
static void slice_text(char *buf, size_t len, const char *label, const char *value)
{
	const char *sp = strrchr(label, ' ');
	int number = sp && sp[1] != '\0';
	for (const char *q = sp ? sp + 1 : NULL; number && *q; q++)
		number = g_ascii_isdigit(*q);
	if (number)
		snprintf(buf, len, "%.*s\u00a0%s\n%s", (int)(sp - label), label, sp + 1, value);
	else
		snprintf(buf, len, "%s\n%s", label, value);
}

/* Radius that leaves room for the outside labels, and the labels that fit
 * inside at that radius. */
static double fit_radius(struct chart_ctx *c, struct slice *s, size_t n,
			 int allow_inside)
{
	double R = fmin(c->ph / 2, c->pw / 2) * 0.92;
	for (int pass = 0; pass < 3; pass++) {
		fit_inside(c, s, n, R, allow_inside);
		double side = outside_width(c, s, n);
		double want = fmin(c->ph / 2 - c->fs * 0.5,
				   c->pw / 2 - side - R * 0.06 - c->fs);
		if (want < c->fs * 4)
			want = c->fs * 4;
		if (fabs(want - R) < 0.5)
			break;
		R = want;
	}
	fit_inside(c, s, n, R, allow_inside);
	return R;
}

static void free_slices(struct slice *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (s[i].layout)
			g_object_unref(s[i].layout);
	free(s);
}

/* The size of the number in the hole: the first of 1.7 times the chart's
 * size, then 0.5 less each step, at which it is at most width wide, or
 * the first not above the chart's size; *w and *h its extent. Each size
 * measured is a font set pango loads (a fontconfig match and sort), so
 * rather than trying every step, the step is found from one measure
 * (unhinted text widens in proportion to its size) and settled by
 * measures beside it. */
static double hole_number_size(struct chart_ctx *c, const char *num, double width,
			       double *w, double *h)
{
	const double top = c->fs * 1.7;
	int last = 0;
	while (top - 0.5 * last > c->fs)
		last++;
	chart_text_size(c, num, top, 1, w, h);
	if (*w <= width || last == 0)
		return top;
	int k = (int)ceil((top - top * width / *w) / 0.5);
	k = k < 1 ? 1 : k > last ? last : k;
	double kw, kh;
	chart_text_size(c, num, top - 0.5 * k, 1, &kw, &kh);
	/* Down while the step before fits too (step 0 does not). */
	while (k > 1 && kw <= width) {
		double bw, bh;
		chart_text_size(c, num, top - 0.5 * (k - 1), 1, &bw, &bh);
		if (bw > width)
			break;
		k--;
		kw = bw;
		kh = bh;
	}
	/* Up while it does not fit, to the last step. */
	while (kw > width && k < last) {
		k++;
		chart_text_size(c, num, top - 0.5 * k, 1, &kw, &kh);
	}
	*w = kw;
	*h = kh;
	return top - 0.5 * k;
}

/* Text in the hole: the total in bold and the noun. */
static void hole_text(struct chart_ctx *c, double cx, double cy, double r,
		      double total, int total_known)
{
	char buf[256];
	const struct mj_table_row *trow = mj_table_total(c->t);
	if (total_known)
		chart_total_words(c, total, buf, sizeof buf);
	else
		chart_mark(c, trow ? trow->suppressed[c->t->ncols - 1] : 0, buf, sizeof buf);
	char *nl = strchr(buf, '\n');
	const char *noun = nl ? nl + 1 : "";
	if (nl)
		*nl = '\0';
	const char *num = buf;
	double w, h, w2, h2;
	double size = hole_number_size(c, num, r * 1.7, &w, &h);
	/* The noun goes when a word of it would not fit the hole even at
	 * 8 pt (the subtitle says what was counted). */
	char words[256];
	snprintf(words, sizeof words, "%s", noun);
	int fits = 1;
	for (char *save = NULL, *wd = strtok_r(words, " ", &save); wd;
	     wd = strtok_r(NULL, " ", &save)) {
		chart_text_size(c, wd, 8, 0, &w2, &h2);
		fits &= w2 <= r * 1.9;
	}
	PangoLayout *l = fits && *noun ? chart_layout_fit(c, noun, c->fs, 0,
							  r * 1.9, r * 0.8,
							  CHART_CENTER)
				       : NULL;
	w2 = h2 = 0;
	if (l)
		chart_layout_size(l, &w2, &h2);
	double top = cy - (h + h2) / 2;
	chart_text(c, num, size, 1, cx, top, CHART_CENTER, chart_ink);
	if (l) {
		chart_layout_show(c, l, cx - r * 0.95, top + h, chart_grey_text);
		g_object_unref(l);
	}
}

enum mj_status chart_draw_pie(struct chart_ctx *c, int donut)
{
	struct chart_item *it;
	size_t n;
	const struct mj_table *t = c->t;
	enum mj_status st = chart_row_items(c, 0, t->ncols - 1, &it, &n);
	if (st != MJ_OK)
		return st;
	struct slice *s = calloc(n + 2, sizeof *s);
	if (!s) {
		free(it);
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	}
	const struct mj_table_row *trow = mj_table_total(t);
	int total_known = trow && !trow->suppressed[t->ncols - 1];
	double shown = 0;
	size_t known = 0;
	int has_missing = 0;
	for (size_t i = 0; i < n; i++) {
		if (!it[i].suppressed && it[i].value > 0) {
			shown += it[i].value;
			known++;
			has_missing |= it[i].missing;
		}
	}
	double total = total_known ? trow->values[t->ncols - 1] : shown;
	/* At most six parts: the smallest are grouped as "All others". */
	size_t keep = known;
	if (known > 6)
		keep = has_missing ? 4 : 5;
	/* A category is kept when fewer than keep others are larger. */
	size_t ns = 0;
	double others = 0;
	for (size_t i = 0; i < n; i++) {
		if (it[i].suppressed || !(it[i].value > 0))
			continue;
		size_t larger = 0;
		for (size_t j = 0; j < n; j++)
			if (j != i && !it[j].suppressed && !it[j].missing &&
			    (it[j].value > it[i].value ||
			     (it[j].value == it[i].value && j < i)))
				larger++;
		if (!it[i].other &&
		    (it[i].missing || known <= 6 || larger < keep)) {
			struct slice *p = &s[ns++];
			p->label = it[i].label;
			p->value = it[i].value;
			p->color = it[i].color;
			char v[128];
			chart_value_label(c, &it[i], v, sizeof v);
			slice_text(p->text, sizeof p->text, p->label, v);
		} else {
			others += it[i].value;
		}
	}
	char v[128], num[64], pct[64];
	if (others > 0) {
		struct slice *p = &s[ns++];
		p->label = chart_word_others(c);
		p->value = others;
		p->color = chart_tint(chart_missing, 0.35);
		snprintf(v, sizeof v, "%s (%s)", chart_num(c, others, num, sizeof num),
			 chart_pct(c, 100 * others / total, 1, pct, sizeof pct));
		slice_text(p->text, sizeof p->text, p->label, v);
	}
	/* Suppressed categories share what the total leaves over. */
	if (total_known && total - shown > 0) {
		struct slice *p = &s[ns++];
		char names[400] = "";
		for (size_t i = 0; i < n; i++) {
			if (!it[i].suppressed)
				continue;
			size_t used = strlen(names);
			snprintf(names + used, sizeof names - used, "%s%s",
				 used ? ", " : "", it[i].label);
		}
		p->label = "";
		p->value = total - shown;
		p->hatched = 1;
		snprintf(p->text, sizeof p->text, "%s\n%s", names,
			 chart_marks(c, v, sizeof v));
	}
	/* Without colours in the schema, the kept slices take Okabe–Ito in
	 * their order, so that no two share a colour. */
	if (!chart_dim_has_colors(c, t->dims[0])) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (it[i].missing || it[i].other || it[i].suppressed)
				continue;
			for (size_t j = 0; j < ns; j++)
				if (s[j].label == it[i].label && !s[j].hatched)
					s[j].color = chart_cat_color(c, NULL,
						it[i].code, k++);
		}
	}
	double sum = 0;
	for (size_t i = 0; i < ns; i++)
		sum += s[i].value;
	double a = -M_PI / 2;
	for (size_t i = 0; i < ns; i++) {
		s[i].a0 = a;
		/* Angles only from a finite sum: cairo asserts on NaN. */
		a += sum > 0 && isfinite(sum) ? 2 * M_PI * s[i].value / sum : 0;
		s[i].a1 = a;
		s[i].r0 = donut ? 0.56 : 0;
		s[i].r1 = 1;
	}
	double R = fit_radius(c, s, ns, 1);
	double cx = c->px + c->pw / 2, cy = c->py + c->ph / 2;
	draw_slices(c, s, ns, cx, cy, R);
	if (donut)
		hole_text(c, cx, cy, R * 0.56, total, total_known);
	free_slices(s, ns);
	free(it);
	return MJ_OK;
}

enum mj_status chart_draw_sunburst(struct chart_ctx *c)
{
	const struct mj_table *t = c->t;
	struct chart_item *in = NULL, *out = NULL;
	size_t nin, nout;
	enum mj_status st = chart_row_items(c, 0, 0, &in, &nin);
	if (st == MJ_OK)
		st = chart_row_items(c, 1, 0, &out, &nout);
	struct slice *s = NULL;
	if (st == MJ_OK) {
		s = calloc(nin + nout + 2, sizeof *s);
		if (!s)
			st = mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
					  "out of memory");
	}
	if (st != MJ_OK) {
		free(in);
		free(out);
		return st;
	}
	const struct mj_table_row *trow = mj_table_total(t);
	int total_known = trow && !trow->suppressed[0];
	double sum = 0;
	for (size_t i = 0; i < nin; i++)
		if (!in[i].suppressed)
			sum += in[i].value;
	double total = total_known ? trow->values[0] : sum;
	double base = total > sum ? total : sum;
	if (!isfinite(base))
		base = 0;
	const double r_hole = 0.3, r_mid = 0.65;
	size_t ns = 0;
	double a = -M_PI / 2;
	char v[128];
	for (size_t i = 0; i < nin; i++) {
		double value = in[i].suppressed ? 0 : in[i].value;
		double a0 = a, a1 = a + (base > 0 ? 2 * M_PI * value / base : 0);
		a = a1;
		if (in[i].suppressed || !(value > 0))
			continue;
		struct slice *p = &s[ns++];
		p->label = in[i].label;
		p->value = value;
		p->color = in[i].color;
		p->a0 = a0;
		p->a1 = a1;
		p->r0 = r_hole;
		p->r1 = r_mid;
		chart_value_label(c, &in[i], v, sizeof v);
		slice_text(p->text, sizeof p->text, p->label, v);
		/* Children share their parent's angle in table order, in
		 * lighter shades of its colour. */
		size_t nkids = 0, k = 0;
		for (size_t j = 0; j < nout; j++)
			nkids += out[j].parent == (int)i;
		double b = a0;
		for (size_t j = 0; j < nout; j++) {
			if (out[j].parent != (int)i)
				continue;
			double cv = out[j].suppressed ? 0 : out[j].value;
			double b1 = b + (base > 0 ? 2 * M_PI * cv / base : 0);
			if (!out[j].suppressed && cv > 0) {
				struct slice *q = &s[ns++];
				q->label = out[j].label;
				q->value = cv;
				q->color = out[j].missing ? chart_missing :
					chart_tint(in[i].color, 0.2 + 0.55 *
						   (double)k / (double)(nkids > 1 ? nkids - 1 : 1));
				q->a0 = b;
				q->a1 = b1;
				q->r0 = r_mid;
				q->r1 = 1;
				chart_value_label(c, &out[j], v, sizeof v);
				slice_text(q->text, sizeof q->text, q->label, v);
			}
			b = b1;
			k++;
		}
	}
	/* Whatever suppression hides, hatched in the inner ring. */
	if (total_known && total - sum > 0 && base > 0) {
		struct slice *p = &s[ns++];
		p->value = total - sum;
		p->hatched = 1;
		p->a0 = a;
		p->a1 = a + 2 * M_PI * (total - sum) / base;
		p->r0 = r_hole;
		p->r1 = 1;
		snprintf(p->text, sizeof p->text, "%s",
			 chart_marks(c, v, sizeof v));
	}
	/* Labels inside when they fit, else outside. */
	double R = fmin(c->ph / 2, c->pw / 2) * 0.92;
	for (int pass = 0; pass < 3; pass++) {
		fit_inside(c, s, ns, R, 1);
		double side = outside_width(c, s, ns);
		double want = fmin(c->ph / 2 - c->fs * 0.5,
				   c->pw / 2 - side - R * 0.06 - c->fs);
		if (want < c->fs * 4)
			want = c->fs * 4;
		if (fabs(want - R) < 0.5)
			break;
		R = want;
	}
	fit_inside(c, s, ns, R, 1);
	double cx = c->px + c->pw / 2, cy = c->py + c->ph / 2;
	draw_slices(c, s, ns, cx, cy, R);
	hole_text(c, cx, cy, R * r_hole, total, total_known);
	free_slices(s, ns);
	free(in);
	free(out);
	return MJ_OK;
}
