/* Text, numbers, words and colours of the charts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

const struct chart_rgb chart_ink = {0.13, 0.13, 0.13};
const struct chart_rgb chart_grey_text = {0.36, 0.36, 0.36};
const struct chart_rgb chart_grid = {0.87, 0.87, 0.87};
const struct chart_rgb chart_axis = {0.45, 0.45, 0.45};
const struct chart_rgb chart_missing = {0x99 / 255.0, 0x99 / 255.0,
					0x99 / 255.0};
const struct chart_rgb chart_white = {1, 1, 1};
const struct chart_rgb chart_bar_default = {0x00 / 255.0, 0x72 / 255.0,
					    0xB2 / 255.0};

/* Okabe–Ito, safe for colour-blind readers, in its usual order. */
static const char *const okabe_ito[] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00",
	"#56B4E9", "#CC79A7", "#F0E442", "#000000",
};

PangoLayout *chart_layout(struct chart_ctx *c, const char *text, double size,
			  int bold, double wrap_width, enum chart_align align)
{
	PangoLayout *layout = pango_layout_new(c->pango);
	if (!layout)
		return NULL;
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, c->font);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						   : PANGO_WEIGHT_NORMAL);
	/* 8 is the smallest size asked for, but chart_layout_fit()'s last
	 * resort before breaking a word. */
	if (size < 5)
		size = 5;
	pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
	pango_layout_set_font_description(layout, fd);
	pango_font_description_free(fd);
	if (wrap_width > 0) {
		pango_layout_set_width(layout, (int)(wrap_width * PANGO_SCALE));
		pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
	}
	pango_layout_set_alignment(layout,
				   align == CHART_CENTER ? PANGO_ALIGN_CENTER :
				   align == CHART_RIGHT ? PANGO_ALIGN_RIGHT :
				   PANGO_ALIGN_LEFT);
	pango_layout_set_text(layout, text, -1);
	return layout;
}

void chart_layout_size(PangoLayout *layout, double *w, double *h)
{
	PangoRectangle ink, logical;
	pango_layout_get_extents(layout, &ink, &logical);
	/* A wrapped layout may be narrower than its set width; the logical
	 * rectangle starts where the text starts. */
	if (w)
		*w = (double)(logical.x + logical.width) / PANGO_SCALE;
	if (h)
		*h = (double)logical.height / PANGO_SCALE;
}

void chart_layout_show(struct chart_ctx *c, PangoLayout *layout, double x,
		       double y, struct chart_rgb color)
{
	chart_set_color(c, color);
	cairo_move_to(c->cr, x, y);
	pango_cairo_show_layout(c->cr, layout);
	cairo_new_path(c->cr);
}

void chart_text_size(struct chart_ctx *c, const char *text, double size,
		     int bold, double *w, double *h)
{
	PangoLayout *l = chart_layout(c, text, size, bold, 0, CHART_LEFT);
	if (!l) {
		*w = *h = 0;
		return;
	}
	chart_layout_size(l, w, h);
	g_object_unref(l);
}

/* Measures layout l (consumed) and, when draw is set, shows it on cr
 * with its top at y and its left edge, middle or right edge at x as align
 * says. Returns its width: the one step of measuring and setting a label
 * that chart_text() and chart_label() share. */
static double place_label(cairo_t *cr, PangoLayout *l, double x, double y,
			  enum chart_align align, int draw)
{
	double w, h;
	chart_layout_size(l, &w, &h);
	if (draw) {
		if (align == CHART_CENTER)
			x -= w / 2;
		else if (align == CHART_RIGHT)
			x -= w;
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, l);
		cairo_new_path(cr);
	}
	g_object_unref(l);
	return w;
}

double chart_text(struct chart_ctx *c, const char *text, double size,
		  int bold, double x, double y, enum chart_align align,
		  struct chart_rgb color)
{
	PangoLayout *l = chart_layout(c, text, size, bold, 0, CHART_LEFT);
	if (!l)
		return 0;
	chart_set_color(c, color);
	return place_label(c->cr, l, x, y, align, 1);
}

double chart_label(cairo_t *cr, const char *text, const char *font, double x, double y,
		   enum chart_align align, int draw)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	if (!l)
		return 0;
	/* One unit of cr is one point: the pages' 72 to the inch. */
	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
	pango_layout_context_changed(l);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, text, -1);
	return place_label(cr, l, x, y, align, draw);
}

/* Whether layout had to break a line inside a word (a word wider than the
 * wrap width). */
static int layout_breaks_word(PangoLayout *l)
{
	const char *text = pango_layout_get_text(l);
	gint nattrs = 0;
	const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &nattrs);
	GSList *lines = pango_layout_get_lines_readonly(l);
	for (GSList *p = lines ? lines->next : NULL; p; p = p->next) {
		PangoLayoutLine *line = p->data;
		glong off = g_utf8_pointer_to_offset(text, text + line->start_index);
		if (off < nattrs && !attrs[off].is_line_break)
			return 1;
	}
	return 0;
}

PangoLayout *chart_layout_fit(struct chart_ctx *c, const char *text,
			      double size, int bold, double width,
			      double height, enum chart_align align)
{
	/* Below the smallest size of other labels (8) a text may shrink
	 * further, down to 5, before a word of it is broken ("указа-но"). */
	for (double s = size;; s -= 0.5) {
		if (s < 5)
			s = 5;
		PangoLayout *l = chart_layout(c, text, s, bold, width, align);
		if (!l)
			return NULL;
		double w, h;
		chart_layout_size(l, &w, &h);
		if (!layout_breaks_word(l) && w <= width + 0.5 &&
		    h <= height + 0.5)
			return l;
		if (s <= 5) {
			/* At the smallest size break inside words rather than
			 * let text run out of its box. */
			pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
			return l;
		}
		g_object_unref(l);
	}
}

double chart_labels_size(struct chart_ctx *c, const char *const *labels, size_t n,
			 double width, double height)
{
	double s = c->fs;
	for (; s >= 8; s -= 0.5) {
		size_t i = 0;
		for (; i < n; i++) {
			if (!labels[i])
				continue;
			PangoLayout *l = chart_layout(c, labels[i], s, 0, width, CHART_CENTER);
			if (!l)
				break;
			double w, h;
			chart_layout_size(l, &w, &h);
			int fits = !layout_breaks_word(l) && w <= width + 0.5 && h <= height + 0.5;
			g_object_unref(l);
			if (!fits)
				break;
		}
		if (i == n)
			return s;
	}
	return 0;
}

/* Whether text could be read as another of t's row labels than self: it
 * is one, or one begins with it as a word ("Toshkent", short for
 * "Toshkent viloyati", beside "Toshkent shahri", the city). */
static int reads_as_other(const struct mj_table *t, const char *text, const char *self)
{
	size_t n = strlen(text);
	for (size_t r = 0; t && r < t->nrows; r++)
		for (size_t d = 0; t->rows[r].labels && d < t->ndims; d++) {
			const char *l = t->rows[r].labels[d];
			if (l && strcmp(l, self) != 0 && strncmp(l, text, n) == 0 &&
			    (l[n] == '\0' || l[n] == ' '))
				return 1;
		}
	return 0;
}

/* name without the generic words of a region's name in Russian and
 * Uzbek ("Ферганская область" -> "Ферганская"); "city" words stay, and a
 * short name that could be read as another category of the chart's table
 * (Tashkent region as Tashkent city) is not made. Returns 0 when nothing
 * was removed. */
int chart_short_name(const struct chart_ctx *c, const char *name, char *buf, size_t len)
{
	static const char *const generic[] = {
		"область", "Республика", "viloyati", "Respublikasi",
		"вилояти", "Республикаси", NULL};
	char copy[256];
	snprintf(copy, sizeof copy, "%s", name);
	buf[0] = '\0';
	int removed = 0;
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		int skip = 0;
		for (const char *const *g = generic; *g; g++)
			skip |= strcmp(w, *g) == 0;
		if (skip) {
			removed = 1;
			continue;
		}
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? " " : "", w);
	}
	return removed && buf[0] && !reads_as_other(c->t, buf, name);
}

double chart_bar_labels(struct chart_ctx *c, const char **labels, char (*names)[64],
			size_t n, double width, double height)
{
	double s = chart_labels_size(c, (const char *const *)labels, n, width, height);
	if (s > 0)
		return s;
	/* "Андижанская область" broken inside its words reads worse than
	 * "Андижанская" whole. */
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		char shorter[256];
		if (labels[i] && chart_short_name(c, labels[i], shorter, sizeof shorter) &&
		    strlen(shorter) < 64) {
			memcpy(names[i], shorter, strlen(shorter) + 1);
			labels[i] = names[i];
			any = 1;
		}
	}
	s = any ? chart_labels_size(c, (const char *const *)labels, n, width, height) : 0;
	return s > 0 ? s : 8;
}

/* --- numbers and words --- */

char *chart_num(struct chart_ctx *c, double v, char *buf, size_t len)
{
	int decimals = fabs(v - round(v)) < 1e-9 ? 0 : 1;
	return mj_format_number(v, decimals, c->lang, buf, len);
}

char *chart_pct(struct chart_ctx *c, double p, int decimals, char *buf,
		size_t len)
{
	char num[64];
	mj_format_number(p, decimals, c->lang, num, sizeof num);
	/* Russian and Uzbek typography puts a no-break space before "%". */
	snprintf(buf, len, "%s%s%%", num,
		 c->lang == MJ_LANG_EN ? "" : "\xc2\xa0");
	return buf;
}

char *chart_suppressed(struct chart_ctx *c, char *buf, size_t len)
{
	char num[64];
	mj_format_number((double)c->t->min_cell, 0, c->lang, num, sizeof num);
	snprintf(buf, len, "<%s", num);
	return buf;
}

char *chart_mark(struct chart_ctx *c, int kind, char *buf, size_t len)
{
	if (kind == MJ_HIDDEN_COMPLEMENT) {
		snprintf(buf, len, "x");
		return buf;
	}
	return chart_suppressed(c, buf, len);
}

char *chart_marks(struct chart_ctx *c, char *buf, size_t len)
{
	int primary = mj_table_has_hidden(c->t, MJ_HIDDEN_PRIMARY);
	int complement = mj_table_has_hidden(c->t, MJ_HIDDEN_COMPLEMENT);
	if (complement && !primary) {
		snprintf(buf, len, "x");
		return buf;
	}
	chart_suppressed(c, buf, len);
	if (complement) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, ", x");
	}
	return buf;
}

char *chart_value_label(struct chart_ctx *c, const struct chart_item *it,
			char *buf, size_t len)
{
	if (it->suppressed)
		return chart_mark(c, it->suppressed, buf, len);
	char num[64], pct[64];
	if (c->rates)
		return chart_rate(c, it->value, buf, len);
	chart_num(c, it->value, num, sizeof num);
	if (it->pct < 0) {
		snprintf(buf, len, "%s", num);
		return buf;
	}
	chart_pct(c, it->pct, 1, pct, sizeof pct);
	snprintf(buf, len, "%s (%s)", num, pct);
	return buf;
}

char *chart_total_words(struct chart_ctx *c, double n, char *buf, size_t len)
{
	char num[64];
	chart_num(c, n, num, sizeof num);
	const char *noun;
	int measured = c->t->measure && strcmp(c->t->measure, "count") != 0;
	if (measured) {
		/* A sum: name the summed column by its label when known. */
		noun = c->t->measure;
		int d = c->s ? mj_schema_dim_find(c->s, c->t->measure) : -1;
		if (d >= 0)
			noun = mj_schema_dim_label(c->s, (size_t)d, c->lang);
		snprintf(buf, len, "%s\n%s", num, noun);
		return buf;
	}
	/* The noun counted comes from the schema: one, few (Russian 2-4) and
	 * many; Uzbek keeps the singular after numbers. A schema without
	 * nouns gets the number alone. */
	unsigned long long k = (unsigned long long)llround(fabs(n));
	const char *form = "noun_many";
	if (c->lang == MJ_LANG_RU) {
		if (k % 10 == 1 && k % 100 != 11)
			form = "noun_one";
		else if (k % 10 >= 2 && k % 10 <= 4 && (k % 100 < 12 || k % 100 > 14))
			form = "noun_few";
	} else if (c->lang == MJ_LANG_UZ || c->lang == MJ_LANG_UZ_CYRL || k == 1) {
		form = "noun_one";
	}
	noun = c->s ? mj_schema_phrase(c->s, form, c->lang) : NULL;
	if (!noun || !*noun) {
		snprintf(buf, len, "%s", num);
		return buf;
	}
	snprintf(buf, len, "%s\n%s", num, noun);
	return buf;
}

const char *chart_word_others(struct chart_ctx *c)
{
	static const char *const w[MJ_LANG_COUNT] = {
		"All others", "Остальные", "Qolganlari", "Қолганлари"};
	return w[c->lang];
}

/* A month code "2023-01" as a short month name in the chart's language,
 * with the year on a second line for the first point and for January. */
const char *chart_month_label(struct chart_ctx *c, const char *code,
			       int first, char *buf, size_t len)
{
	static const char *const names[MJ_LANG_COUNT][12] = {
		{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		 "Sep", "Oct", "Nov", "Dec"},
		{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг",
		 "сен", "окт", "ноя", "дек"},
		{"yan", "fev", "mar", "apr", "may", "iyun", "iyul", "avg",
		 "sen", "okt", "noy", "dek"},
		{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг",
		 "сен", "окт", "ноя", "дек"},
	};
	int y, m;
	char extra;
	if (strlen(code) != 7 || sscanf(code, "%4d-%2d%c", &y, &m, &extra) != 2 ||
	    m < 1 || m > 12)
		return NULL;
	if (first || m == 1)
		snprintf(buf, len, "%s\n%d", names[c->lang][m - 1], y);
	else
		snprintf(buf, len, "%s", names[c->lang][m - 1]);
	return buf;
}

/* --- colours --- */

void chart_set_color(struct chart_ctx *c, struct chart_rgb color)
{
	cairo_set_source_rgb(c->cr, color.r, color.g, color.b);
}

static int parse_hex(const char *text, struct chart_rgb *out)
{
	unsigned r, g, b;
	if (!text || text[0] != '#' || strlen(text) != 7 ||
	    sscanf(text + 1, "%2x%2x%2x", &r, &g, &b) != 3)
		return -1;
	out->r = r / 255.0;
	out->g = g / 255.0;
	out->b = b / 255.0;
	return 0;
}

struct chart_rgb chart_cat_color(struct chart_ctx *c, const char *dim,
				 const char *code, size_t index)
{
	struct chart_rgb rgb = chart_bar_default;
	if (code && strcmp(code, MJ_CODE_MISSING) == 0)
		return chart_missing;
	if (code && strcmp(code, CHART_CODE_OTHER) == 0)
		return chart_tint(chart_missing, 0.35);
	int d = c->s && dim ? mj_schema_dim_find(c->s, dim) : -1;
	int cat = d >= 0 && code ? mj_schema_cat_find(c->s, (size_t)d, code)
				 : -1;
	if (cat >= 0) {
		char buf[32];
		const char *v = mj_schema_cat_attr(c->s, (size_t)d, (size_t)cat,
						   "color", buf, sizeof buf);
		if (v && parse_hex(v, &rgb) == 0)
			return rgb;
		index = (size_t)cat;
	}
	parse_hex(okabe_ito[index % 8], &rgb);
	return rgb;
}

int chart_dim_has_colors(struct chart_ctx *c, const char *dim)
{
	int d = c->s && dim ? mj_schema_dim_find(c->s, dim) : -1;
	if (d < 0 || mj_schema_ncats(c->s, (size_t)d) == 0)
		return 0;
	char buf[32];
	for (size_t i = 0; i < mj_schema_ncats(c->s, (size_t)d); i++)
		if (!mj_schema_cat_attr(c->s, (size_t)d, i, "color", buf,
					sizeof buf))
			return 0;
	return 1;
}

struct chart_rgb chart_tint(struct chart_rgb color, double amount)
{
	struct chart_rgb t = {
		color.r + (1 - color.r) * amount,
		color.g + (1 - color.g) * amount,
		color.b + (1 - color.b) * amount,
	};
	return t;
}

struct chart_rgb chart_text_on(struct chart_rgb color)
{
	/* Relative luminance (sRGB, linearised) against the contrast with
	 * black and with white. */
	double ch[3] = {color.r, color.g, color.b}, lum = 0;
	static const double k[3] = {0.2126, 0.7152, 0.0722};
	for (int i = 0; i < 3; i++) {
		double v = ch[i] <= 0.04045 ? ch[i] / 12.92
					    : pow((ch[i] + 0.055) / 1.055, 2.4);
		lum += k[i] * v;
	}
	return (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) ? chart_ink
							  : chart_white;
}

struct chart_rgb chart_readable(struct chart_rgb color)
{
	/* Colour text must keep a contrast of 3:1 on white, else ink. */
	double ch[3] = {color.r, color.g, color.b}, lum = 0;
	static const double k[3] = {0.2126, 0.7152, 0.0722};
	for (int i = 0; i < 3; i++)
		lum += k[i] * (ch[i] <= 0.04045 ? ch[i] / 12.92
				: pow((ch[i] + 0.055) / 1.055, 2.4));
	return 1.05 / (lum + 0.05) >= 3 ? color : chart_ink;
}

/* --- shapes --- */

void chart_hatch_path(struct chart_ctx *c)
{
	cairo_t *cr = c->cr;
	double x1, y1, x2, y2;
	cairo_save(cr);
	cairo_path_t *path = cairo_copy_path(cr);
	cairo_path_extents(cr, &x1, &y1, &x2, &y2);
	chart_set_color(c, chart_white);
	cairo_fill_preserve(cr);
	cairo_save(cr);
	cairo_clip(cr);
	/* Lines at 45 degrees on a grid anchored at the origin, so that
	 * neighbouring hatched shapes line up. */
	double step = c->fs * 0.45, span = y2 - y1;
	cairo_set_line_width(cr, c->fs * 0.08);
	chart_set_color(c, chart_missing);
	for (double x = floor((x1 - span) / step) * step; x <= x2 + step;
	     x += step) {
		cairo_move_to(cr, x, y2);
		cairo_line_to(cr, x + span, y1);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
	cairo_new_path(cr);
	if (path->status == CAIRO_STATUS_SUCCESS)
		cairo_append_path(cr, path);
	cairo_path_destroy(path);
	cairo_set_line_width(cr, c->fs * 0.08);
	chart_set_color(c, chart_axis);
	cairo_stroke(cr);
	cairo_restore(cr);
}

void chart_hatch_rect(struct chart_ctx *c, double x, double y, double w,
		      double h)
{
	cairo_new_path(c->cr);
	cairo_rectangle(c->cr, x, y, w, h);
	chart_hatch_path(c);
}

char *chart_rate(struct chart_ctx *c, double v, char *buf, size_t len)
{
	return mj_format_number(v, 1, c->lang, buf, len);
}
