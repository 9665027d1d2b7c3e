/* The chart module's entry points: checking that a table fits a chart
 * type, drawing, and writing PNG, SVG and PDF
 * files atomically. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "chart_internal.h"
#include "murojaat/outfile.h"
#include "murojaat/relabel.h"
#include "murojaat/stats.h"
#include "suppress.h"

void mj_chart_opts_init(struct mj_chart_opts *o)
{
	memset(o, 0, sizeof *o);
	o->type = MJ_CHART_BAR;
	o->lang = -1;
	o->font = "DejaVu Sans";
	o->width = 1200;
	o->height = 750;
	o->scale = 2;
}

/* --- checking a table against a type --- */

static int has_level(const struct mj_table *t, int level)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (t->rows[r].kind != MJ_ROW_TOTAL &&
		    t->rows[r].level == level)
			return 1;
	return 0;
}

static enum mj_status check_fit(struct chart_ctx *c)
{
	const struct mj_table *t = c->t;
	enum mj_chart_type type = c->o->type;
	const char *name = mj_chart_type_name(type);
	size_t cats = 0;
	int counted = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		if (row->kind == MJ_ROW_TOTAL)
			continue;
		cats++;
		for (size_t j = 0; j < t->ncols; j++)
			counted |= row->values[j] != 0 || row->suppressed[j];
	}
	if (cats == 0)
		return mj_error_set(c->err, MJ_E_EMPTY, NULL, 0, 0,
				    "the table has no categories to chart");
	if (!counted)
		return mj_error_set(c->err, MJ_E_EMPTY, NULL, 0, 0,
				    "the table counts nothing: every value "
				    "is 0");
	if (!has_level(t, 0))
		return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
				    "the table has no top-level rows");
	int cross = chart_is_crosstab(t);
	switch (type) {
	case MJ_CHART_BAR:
	case MJ_CHART_HBAR:
		/* A cross-tab: groups of bars. */
		break;
	case MJ_CHART_PIE:
	case MJ_CHART_DONUT:
		if (cross)
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					    "a %s chart shows one column, but "
					    "the table is a cross-tab (by %s "
					    "and %s); use 'stacked' or 'line'",
					    name, t->dims[0], t->col_dim);
		break;
	case MJ_CHART_STACKED:
		if (!cross)
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					    "a stacked chart needs a cross-tab "
					    "(a table with a column dimension, "
					    "mj-tab --cols)");
		break;
	case MJ_CHART_LINE:
		break;
	case MJ_CHART_SUNBURST:
		if (cross || t->ndims != 2 || !has_level(t, 1))
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					    "a sunburst needs a nested one-way "
					    "table of two dimensions (such as "
					    "mj-tab --by place,relationship)");
		break;
	case MJ_CHART_MAP: {
		if (cross || t->ndims != 1)
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					    "a map needs a one-way table by "
					    "region");
		int d = c->s ? mj_schema_dim_find(c->s, t->dims[0]) : -1;
		int tiles = 0;
		for (size_t r = 0; d >= 0 && r < t->nrows; r++) {
			int cat = mj_schema_cat_find(c->s, (size_t)d,
						     t->rows[r].codes[0]);
			int col, row;
			if (cat >= 0 && mj_schema_cat_tile(c->s, (size_t)d,
							   (size_t)cat, &col,
							   &row) == 0)
				tiles++;
		}
		if (tiles == 0)
			return mj_error_set(c->err, MJ_E_UNSUPPORTED, NULL, 0, 0,
					    "a map needs a table by a dimension "
					    "whose categories have tile "
					    "positions in the schema (region), "
					    "not by %s", t->dims[0]);
		break;
	}
	default:
		return mj_error_set(c->err, MJ_E_USAGE, NULL, 0, 0,
				    "unknown chart type %d", (int)type);
	}
	return MJ_OK;
}

/* --- preparing a table: another language, suppression --- */

/* A copy of t to draw instead of t: labelled in lang from the schema
 * (when relabel_to >= 0) and suppressed at min_cell (when > 0). */
static struct mj_table *table_prepare(const struct mj_table *t,
				      const struct mj_schema *s, int relabel_to,
				      long min_cell, struct mj_error *err)
{
	struct mj_table *copy = mj_table_relabel(t, s, relabel_to, err);
	if (copy && min_cell > 1 && min_cell > t->min_cell) {
		if (mj_table_suppress(copy, min_cell) != MJ_OK) {
			mj_table_destroy(copy);
			mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			return NULL;
		}
		copy->min_cell = min_cell;
	}
	return copy;
}

/* Whether the table must be prepared for opts (another language than its
 * own, or suppression it was not made with); *out gets the copy or NULL. */
static enum mj_status chart_prepare(const struct mj_table *t,
				    const struct mj_schema *schema,
				    const struct mj_chart_opts *opts,
				    struct mj_table **out, struct mj_error *err)
{
	*out = NULL;
	int lang = mj_table_label_lang(t, schema);
	int relabel_to = schema && opts->lang >= 0 &&
			 opts->lang < MJ_LANG_COUNT && opts->lang != lang
			 ? opts->lang : -1;
	int suppress = opts->min_cell > 1 && opts->min_cell > t->min_cell;
	if (relabel_to < 0 && !suppress && (!t->lang || lang < 0 ||
	    mj_lang_parse(t->lang) == lang))
		return MJ_OK;
	/* A copy also records the language found from the labels. */
	*out = table_prepare(t, schema, relabel_to >= 0 ? relabel_to : -1,
			     suppress ? opts->min_cell : 0, err);
	if (!*out)
		return MJ_E_NOMEM;
	if (relabel_to < 0 && lang >= 0 &&
	    mj_table_set(&(*out)->lang, mj_lang_tag(lang)) != MJ_OK) {
		mj_table_destroy(*out);
		*out = NULL;
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	}
	return MJ_OK;
}

/* --- drawing --- */

/* Draw t as it is (prepared by the caller). */
static enum mj_status draw_table(cairo_t *cr, double width, double height,
				 const struct mj_table *t,
				 const struct mj_schema *schema,
				 const struct mj_chart_opts *opts,
				 struct mj_error *err);

enum mj_status mj_chart_draw(cairo_t *cr, double width, double height,
			     const struct mj_table *t,
			     const struct mj_schema *schema,
			     const struct mj_chart_opts *opts,
			     struct mj_error *err)
{
	struct mj_chart_opts defaults;
	if (!opts) {
		mj_chart_opts_init(&defaults);
		opts = &defaults;
	}
	if (!t)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "no table");
	/* Another language than the table's, or suppression the table did
	 * not have: draw a prepared copy. */
	struct mj_table *copy = NULL;
	if (chart_prepare(t, schema, opts, &copy, err) != MJ_OK)
		return MJ_E_NOMEM;
	enum mj_status st = draw_table(cr, width, height, copy ? copy : t,
				       schema, opts, err);
	mj_table_destroy(copy);
	return st;
}

/* The pango context of a chart's text: the same layout on every surface,
 * fixed resolution, no hinting of metrics, unrounded glyph positions, and
 * fonts chosen at the chart's own sizes whatever the surface's scale
 * (cairo draws their outlines at the device's). A PNG at twice the size
 * then lays its text out as the SVG does, and pango loads one font set per
 * size, not per size and scale: each is a fontconfig match and sort, on
 * threads it starts and waits for. NULL when out of memory. */
static PangoContext *chart_pango(cairo_t *cr, enum mj_lang lang)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	if (!pc)
		return NULL;
	pango_cairo_context_set_resolution(pc, 96);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
	pango_context_set_matrix(pc, NULL);
	pango_context_set_language(pc, pango_language_from_string(mj_lang_tag(lang)));
	return pc;
}

/* The base font size of a chart of width x height (see draw_table). */
static double chart_font_size(double width, double height)
{
	double fs = 11 * sqrt(width * height / (1200.0 * 750.0));
	return fs < 8 ? 8 : fs > 16 ? 16 : fs;
}

enum mj_status mj_chart_frame(cairo_t *cr, double width, double height, int lang,
			      const char *title, const char *subtitle, const char *note,
			      double plot[4], struct mj_error *err)
{
	if (!cr || !(width >= 1 && height >= 1 && width < 1e6 && height < 1e6))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no cairo context, or a size out of range");
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.title = title ? title : "";
	o.subtitle = subtitle ? subtitle : "";
	o.note = note ? note : "";
	struct chart_ctx c = {0};
	c.cr = cr;
	c.w = width;
	c.h = height;
	c.o = &o;
	c.err = err;
	c.lang = lang >= 0 && lang < MJ_LANG_COUNT ? (enum mj_lang)lang : MJ_LANG_EN;
	c.font = "DejaVu Sans";
	c.fs = chart_font_size(width, height);
	c.fs_small = c.fs * 0.85 < 8 ? 8 : c.fs * 0.85;
	c.pad = c.fs * 1.6;
	cairo_save(cr);
	c.pango = chart_pango(cr, c.lang);
	if (!c.pango) {
		cairo_restore(cr);
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	enum mj_status st = chart_frame(&c);
	g_object_unref(c.pango);
	cairo_restore(cr);
	plot[0] = c.px;
	plot[1] = c.py;
	plot[2] = c.pw;
	plot[3] = c.ph;
	return st;
}

static enum mj_status draw_table(cairo_t *cr, double width, double height,
			     const struct mj_table *t,
			     const struct mj_schema *schema,
			     const struct mj_chart_opts *opts,
			     struct mj_error *err)
{
	struct mj_chart_opts defaults;
	if (!opts) {
		mj_chart_opts_init(&defaults);
		opts = &defaults;
	}
	if (!cr || !t)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no cairo context or no table");
	if (!(width >= 1 && height >= 1 && width < 1e6 && height < 1e6))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "chart size %g x %g is out of range",
				    width, height);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return mj_error_set(err, MJ_E_IO, NULL, 0, 0, "cairo: %s",
				    cairo_status_to_string(cairo_status(cr)));

	struct chart_ctx c = {0};
	c.cr = cr;
	c.w = width;
	c.h = height;
	c.t = t;
	c.s = schema;
	c.o = opts;
	c.err = err;
	int lang = opts->lang >= 0 && opts->lang < MJ_LANG_COUNT
			   ? opts->lang : mj_table_label_lang(t, schema);
	c.lang = lang >= 0 ? (enum mj_lang)lang : MJ_LANG_EN;
	c.font = opts->font && *opts->font ? opts->font : "DejaVu Sans";
	if (opts->font_size > 0) {
		c.fs = opts->font_size;
	} else {
		c.fs = chart_font_size(width, height);
	}
	if (c.fs < 8)
		c.fs = 8;
	c.fs_small = c.fs * 0.85 < 8 ? 8 : c.fs * 0.85;
	c.pad = c.fs * 1.6;

	enum mj_status st = check_fit(&c);
	if (st == MJ_OK)
		st = chart_stats_prepare(&c);
	if (st != MJ_OK)
		return st;
	/* What counts nothing is left out of the drawing (the check above
	 * saw the whole table), unless statistics drawn (rates, intervals
	 * given) are the table's cell for cell. */
	struct mj_table *shown = NULL;
	if (!c.rates && !c.ci_lo) {
		shown = mj_chart_shown(t, schema, opts->type, (int)c.lang, &c.drop_note);
		if (!shown)
			return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		c.t = shown;
	}

	cairo_save(cr);
	c.pango = chart_pango(cr, c.lang);
	if (!c.pango) {
		cairo_restore(cr);
		mj_table_destroy(shown);
		free(c.drop_note);
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	}
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	st = chart_frame(&c);
	if (st == MJ_OK) {
		switch (opts->type) {
		case MJ_CHART_BAR: st = chart_draw_bar(&c, 0); break;
		case MJ_CHART_HBAR: st = chart_draw_bar(&c, 1); break;
		case MJ_CHART_STACKED: st = chart_draw_stacked(&c); break;
		case MJ_CHART_PIE: st = chart_draw_pie(&c, 0); break;
		case MJ_CHART_DONUT: st = chart_draw_pie(&c, 1); break;
		case MJ_CHART_LINE: st = chart_draw_line(&c); break;
		case MJ_CHART_SUNBURST: st = chart_draw_sunburst(&c); break;
		case MJ_CHART_MAP: st = chart_draw_map(&c); break;
		default: break;
		}
	}
	g_object_unref(c.pango);
	cairo_restore(cr);
	mj_table_destroy(shown);
	free(c.drop_note);
	if (st == MJ_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		st = mj_error_set(err, MJ_E_IO, NULL, 0, 0, "cairo: %s",
				  cairo_status_to_string(cairo_status(cr)));
	return st;
}

/* --- options --- */

int mj_chart_option(int opt)
{
	return opt >= MJ_OPT_WIDTH && opt < MJ_OPT_CHART_END;
}

/* A size or scale: a finite number in lo..hi. */
static enum mj_status size_option(const char *name, const char *text, double lo,
				  double hi, double *out, struct mj_error *err)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v < lo || v > hi)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--%s: expected a number from %g to %g, got \"%s\"", name, lo, hi, text);
	*out = v;
	return MJ_OK;
}

enum mj_status mj_chart_opts_apply(struct mj_chart_opts *o, int opt,
				   const char *arg, struct mj_error *err)
{
	switch (opt) {
	case MJ_OPT_WIDTH:
		return size_option("width", arg, 100, 20000, &o->width, err);
	case MJ_OPT_HEIGHT:
		return size_option("height", arg, 100, 20000, &o->height, err);
	case MJ_OPT_SCALE:
		return size_option("scale", arg, 0.25, 8, &o->scale, err);
	case MJ_OPT_TITLE:
		o->title = arg;
		return MJ_OK;
	case MJ_OPT_SUBTITLE:
		o->subtitle = arg;
		return MJ_OK;
	case MJ_OPT_NOTE:
		o->note = arg;
		return MJ_OK;
	case MJ_OPT_CHART_PERCENT:
		o->percent = 1;
		return MJ_OK;
	}
	return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "unknown option");
}

enum mj_status mj_chart_opts_setup(struct mj_chart_opts *o, const char *type,
				   const char *output, const struct mj_stats_opts *so,
				   int records, struct mj_error *err)
{
	int t = mj_chart_type_parse(type);
	if (!type)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"say which chart: bar, hbar, stacked, pie, donut, line, sunburst or map; see --help");
	if (t < 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"unknown chart type \"%s\"; expected bar, hbar, stacked, pie, donut, line, sunburst or map",
			type);
	o->type = (enum mj_chart_type)t;
	if (!output)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"say where to write the chart with -o FILE (.png, .svg or .pdf)");
	if (mj_chart_format_for(output) < 0)
		return mj_error_set(err, MJ_E_USAGE, output, 0, 0,
			"cannot tell the format from the name; use .png, .svg or .pdf");
	if (so->rate_per > 0 && o->percent)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--percent and --rate-per: a chart shows percents or rates, not both");
	if (!records && so->population)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--population goes with records (--by); a table from mj-tab carries its rates: "
			"make it with mj-tab --rate-per N --population FILE and draw it with --rate-per N");
	o->ci_level = so->ci_level;
	o->ci_method = (int)so->ci_method;
	o->rates = so->rate_per > 0;
	o->rate_per = so->rate_per;
	return MJ_OK;
}

/* --- files --- */

int mj_chart_format_for(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (!dot || strchr(dot, '/'))
		return -1;
	if (strcasecmp(dot, ".png") == 0)
		return MJ_CHART_PNG;
	if (strcasecmp(dot, ".svg") == 0)
		return MJ_CHART_SVG;
	if (strcasecmp(dot, ".pdf") == 0)
		return MJ_CHART_PDF;
	return -1;
}

/* Where cairo's stream output goes (a file, or memory for an SVG that
 * gets its description first); remembers the first write error. */
struct sink {
	FILE *f;
	GByteArray *mem;
	int error;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data,
				 unsigned int len)
{
	struct sink *s = closure;
	if (s->error)
		return CAIRO_STATUS_WRITE_ERROR;
	if (s->mem) {
		g_byte_array_append(s->mem, data, len);
		return CAIRO_STATUS_SUCCESS;
	}
	if (fwrite(data, 1, len, s->f) != len) {
		s->error = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void xml_escaped(GString *out, const char *text)
{
	for (; text && *text; text++) {
		switch (*text) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		default: g_string_append_c(out, *text); break;
		}
	}
}

/* What write_table() draws besides one table: panels of small multiples. */
struct panels {
	const struct mj_table *const *tables;
	const char *const *titles;
	size_t n;
};

/* Or a drawing of the caller's (mj_chart_batch_drawing()). */
struct drawing {
	mj_chart_draw_fn draw;
	void *arg;
	const char *title, *desc, *date;
};

/* A text alternative of the chart for an SVG: its title, and each row of
 * the table with its values as the chart labels them ("Physical: 2,709
 * (24.8%)"; suppressed cells "<5"; rates when rates are drawn, with "—"
 * where there is no population; the whisker's ends in brackets), then
 * what the note says of whiskers and rates. Screen readers read it and
 * search engines index it. */
static GString *svg_description(const struct mj_table *t,
				const struct mj_chart_opts *o)
{
	struct chart_ctx c = {0};
	c.t = t;
	c.o = o;
	int lang = o->lang >= 0 && o->lang < MJ_LANG_COUNT ? o->lang
		: (t->lang ? mj_lang_parse(t->lang) : -1);
	c.lang = lang >= 0 ? (enum mj_lang)lang : MJ_LANG_EN;
	/* The chart was drawn, so its statistics were found to fit. */
	if (chart_stats_prepare(&c) != MJ_OK)
		c.rates = c.whiskers = 0, c.stat_note[0] = '\0';
	GString *out = g_string_new("\n<title>");
	xml_escaped(out, o->title ? o->title : t->title ? t->title : "");
	g_string_append(out, "</title>\n<desc>");
	const char *parent = NULL;
	char buf[256], a[64], b[64];
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		const char *label = mj_table_row_label(t, row);
		if (row->level == 0)
			parent = label;
		g_string_append(out, "\n");
		if (row->level > 0 && parent) {
			xml_escaped(out, parent);
			g_string_append(out, " / ");
		}
		xml_escaped(out, label);
		g_string_append(out, ":");
		for (size_t j = 0; j < t->ncols; j++) {
			struct chart_item it = {0};
			it.value = row->values[j];
			it.suppressed = row->suppressed[j];
			it.pct = row->kind == MJ_ROW_TOTAL || t->ncols > 1 ? -1
				: mj_table_percent(t, row, j, MJ_PCT_TOTAL);
			chart_item_stats(&c, &it, row, j);
			if (t->ncols > 1) {
				g_string_append(out, j ? "; " : " ");
				xml_escaped(out, t->col_labels ? t->col_labels[j]
							       : t->col_codes[j]);
			}
			g_string_append(out, " ");
			xml_escaped(out, it.no_rate ? "\xe2\x80\x94"
				     : chart_value_label(&c, &it, buf, sizeof buf));
			if (it.has_ci) {
				snprintf(buf, sizeof buf, " [%s\xe2\x80\x93%s]",
					 chart_rate(&c, it.lo, a, sizeof a),
					 chart_rate(&c, it.hi, b, sizeof b));
				xml_escaped(out, buf);
			}
		}
	}
	if (c.stat_note[0]) {
		g_string_append(out, "\n");
		xml_escaped(out, c.stat_note);
	}
	g_string_append(out, "\n</desc>");
	return out;
}

/* The panels' titles, joined. */
static void panels_title(GString *out, const struct panels *pn)
{
	for (size_t i = 0; i < pn->n; i++) {
		if (i)
			g_string_append(out, "; ");
		xml_escaped(out, pn->titles && pn->titles[i] ? pn->titles[i]
			    : pn->tables[i]->title ? pn->tables[i]->title : "");
	}
}

/* What svg_description() says of each panel, under its title. */
static GString *panels_description(const struct panels *pn, const struct mj_chart_opts *o)
{
	GString *out = g_string_new("\n<title>");
	panels_title(out, pn);
	g_string_append(out, "</title>\n<desc>");
	for (size_t i = 0; i < pn->n; i++) {
		GString *one = svg_description(pn->tables[i], o);
		const char *from = strstr(one->str, "<desc>");
		const char *to = strstr(one->str, "\n</desc>");
		g_string_append(out, "\n");
		xml_escaped(out, pn->titles && pn->titles[i] ? pn->titles[i]
			    : pn->tables[i]->title ? pn->tables[i]->title : "");
		g_string_append(out, ":");
		if (from && to && to > from)
			g_string_append_len(out, from + 6, to - (from + 6));
		g_string_free(one, TRUE);
	}
	g_string_append(out, "\n</desc>");
	return out;
}

/* Number cairo's "surfaceN" ids from 1 in order of first use: cairo
 * takes N from a counter of every surface the process made, so the same
 * chart would otherwise differ between runs of one process. The text
 * between ids is copied a run at a time: a byte at a time, this took 3 %
 * of mj-report's instructions. */
static void svg_renumber(GByteArray *mem)
{
	static const char key[] = "surface";
	const size_t klen = sizeof key - 1;
	const char *data = (const char *)mem->data;
	GByteArray *out = g_byte_array_sized_new(mem->len);
	unsigned long seen[256];
	size_t nseen = 0;
	size_t i = 0, copied = 0;
	while (i < mem->len) {
		const char *p = memchr(data + i, 's', mem->len - i);
		if (!p)
			break;
		i = (size_t)(p - data);
		size_t left = mem->len - i;
		if (left <= klen + 1 || memcmp(p, key, klen) != 0 ||
		    !isdigit((unsigned char)p[klen])) {
			i++;
			continue;
		}
		size_t j = klen;
		unsigned long n = 0;
		while (j < left && isdigit((unsigned char)p[j]))
			n = n * 10 + (unsigned long)(p[j++] - '0');
		size_t k = 0;
		while (k < nseen && seen[k] != n)
			k++;
		if (k == nseen && nseen < 256)
			seen[nseen++] = n;
		char id[32];
		int len = snprintf(id, sizeof id, "surface%zu", k + 1);
		g_byte_array_append(out, (const guint8 *)data + copied, (guint)(i - copied));
		g_byte_array_append(out, (const guint8 *)id, (guint)len);
		i += j;
		copied = i;
	}
	g_byte_array_append(out, (const guint8 *)data + copied, (guint)(mem->len - copied));
	g_byte_array_set_size(mem, 0);
	g_byte_array_append(mem, out->data, out->len);
	g_byte_array_free(out, TRUE);
}

/* Write the SVG in mem to f with the description after its <svg> tag,
 * which says it is one image with the label (XML-escaped) as its name. */
static int svg_finish(FILE *f, const GByteArray *mem, const GString *desc,
		      const GString *label)
{
	const char *data = (const char *)mem->data;
	const char *tag = g_strstr_len(data, mem->len, "<svg");
	const char *end = tag ? memchr(tag, '>', mem->len - (size_t)(tag - data))
			      : NULL;
	size_t head = end ? (size_t)(end - data) : 0;
	if (fwrite(data, 1, head, f) != head)
		return -1;
	if (end && (fprintf(f, " role=\"img\" aria-label=\"%s\">", label->str) < 0 ||
		    fwrite(desc->str, 1, desc->len, f) != desc->len))
		return -1;
	head += end ? 1 : 0;
	if (fwrite(data + head, 1, mem->len - head, f) != mem->len - head)
		return -1;
	return 0;
}

/* A drawing's text alternative, as svg_description() makes a table's. */
static GString *drawing_description(const struct drawing *dr)
{
	GString *out = g_string_new("\n<title>");
	xml_escaped(out, dr->title ? dr->title : "");
	g_string_append(out, "</title>\n<desc>");
	g_string_append(out, "\n");
	xml_escaped(out, dr->desc ? dr->desc : "");
	g_string_append(out, "\n</desc>");
	return out;
}

/* The PDF date for a table: the end of its period, else a fixed date, so
 * that the file does not change with the clock. */
static void pdf_date(const char *d, char *buf, size_t len)
{
	int ok = d && strlen(d) == 10;
	for (int i = 0; ok && i < 10; i++)
		ok = (i == 4 || i == 7) ? d[i] == '-' : isdigit((unsigned char)d[i]);
	snprintf(buf, len, "%sT00:00:00Z", ok ? d : "2000-01-01");
}

static enum mj_status write_table(struct mj_chart_batch *batch,
			      const char *path, const struct mj_table *t,
				  const struct panels *pn, const struct drawing *dr,
				  const struct mj_schema *schema,
				  const struct mj_chart_opts *opts,
				  struct mj_error *err);

/* The largest value a panel of t draws on its value axis: a category's
 * count (its row total in a stacked bar), or 100 for percents. */
static double panel_max(const struct mj_table *t, const struct mj_chart_opts *o)
{
	if (o->percent)
		return 100;
	double m = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		if (row->kind == MJ_ROW_TOTAL)
			continue;
		if (o->type == MJ_CHART_STACKED || !t->col_dim) {
			m = fmax(m, row->values[t->ncols - 1]);
			continue;
		}
		for (size_t c = 0; c + 1 < t->ncols; c++)
			m = fmax(m, row->values[c]);
	}
	return m;
}

static enum mj_status draw_panels(cairo_t *cr, double width, double height,
				  const struct panels *pn,
				  const struct mj_schema *schema,
				  const struct mj_chart_opts *opts,
				  struct mj_error *err)
{
	size_t cols = 1;
	while (cols * cols < pn->n)
		cols++;
	size_t rows = (pn->n + cols - 1) / cols;
	struct mj_chart_opts one = *opts;
	one.subtitle = "";
	one.note = "";
	for (size_t i = 0; i < pn->n; i++)
		one.value_max = fmax(one.value_max, panel_max(pn->tables[i], opts));
	double pw = width / (double)cols, ph = height / (double)rows;
	/* The cells past the last panel stay white, as the panels are. */
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, 0, 0, width, height);
	cairo_fill(cr);
	cairo_restore(cr);
	for (size_t i = 0; i < pn->n; i++) {
		one.title = pn->titles && pn->titles[i] ? pn->titles[i] : NULL;
		struct mj_table *copy = NULL;
		if (chart_prepare(pn->tables[i], schema, &one, &copy, err) != MJ_OK)
			return MJ_E_NOMEM;
		cairo_save(cr);
		cairo_translate(cr, pw * (double)(i % cols), ph * (double)(i / cols));
		enum mj_status st = draw_table(cr, pw, ph, copy ? copy : pn->tables[i],
					       schema, &one, err);
		cairo_restore(cr);
		mj_table_destroy(copy);
		if (st != MJ_OK)
			return st;
	}
	return MJ_OK;
}

enum mj_status mj_chart_write_panels(const char *path,
				     const struct mj_table *const *tables,
				     const char *const *titles, size_t n,
				     const struct mj_schema *schema,
				     const struct mj_chart_opts *opts,
				     struct mj_error *err)
{
	struct mj_chart_opts defaults;
	if (!opts) {
		mj_chart_opts_init(&defaults);
		opts = &defaults;
	}
	if (!tables || n == 0 || !path)
		return mj_error_set(err, MJ_E_USAGE, path, 0, 0,
				    "no table or no file name");
	struct panels pn = {tables, titles, n};
	return write_table(NULL, path, tables[0], &pn, NULL, schema, opts, err);
}

enum mj_status mj_chart_batch_drawing(struct mj_chart_batch *b, const char *path,
				      const struct mj_chart_opts *opts, mj_chart_draw_fn draw,
				      void *arg, const char *title, const char *desc,
				      const char *date, struct mj_error *err)
{
	enum mj_status failed = b ? chart_batch_failed(b, err) : MJ_OK;
	if (failed != MJ_OK)
		return failed;
	if (!draw || !path)
		return mj_error_set(err, MJ_E_USAGE, path, 0, 0, "no drawing or no file name");
	struct mj_chart_opts defaults;
	if (!opts) {
		mj_chart_opts_init(&defaults);
		opts = &defaults;
	}
	struct drawing dr = {draw, arg, title, desc, date};
	return write_table(b, path, NULL, NULL, &dr, NULL, opts, err);
}

enum mj_status mj_chart_write(const char *path, const struct mj_table *t,
			      const struct mj_schema *schema,
			      const struct mj_chart_opts *opts,
			      struct mj_error *err)
{
	return mj_chart_batch_write(NULL, path, t, schema, opts, err);
}

enum mj_status mj_chart_batch_write(struct mj_chart_batch *b, const char *path,
				    const struct mj_table *t,
				    const struct mj_schema *schema,
				    const struct mj_chart_opts *opts,
				    struct mj_error *err)
{
	enum mj_status failed = b ? chart_batch_failed(b, err) : MJ_OK;
	if (failed != MJ_OK)
		return failed;
	struct mj_chart_opts defaults;
	if (!opts) {
		mj_chart_opts_init(&defaults);
		opts = &defaults;
	}
	if (!t || !path)
		return mj_error_set(err, MJ_E_USAGE, path, 0, 0,
				    "no table or no file name");
	struct mj_table *copy = NULL;
	if (chart_prepare(t, schema, opts, &copy, err) != MJ_OK)
		return MJ_E_NOMEM;
	enum mj_status st = write_table(b, path, copy ? copy : t, NULL, NULL, schema, opts,
					err);
	mj_table_destroy(copy);
	return st;
}

/* An SVG or PDF chart drawn, to be finished: cairo writes its stream
 * into sink when the surface is finished (an SVG into memory, given its
 * description and label then). */
struct stream_job {
	cairo_surface_t *surface;
	struct sink sink;
	GString *desc, *label;    /* an SVG's, else NULL */
	struct mj_outfile out;
};

static void stream_job_free(struct stream_job *job)
{
	if (job->surface)
		cairo_surface_destroy(job->surface);
	if (job->sink.mem)
		g_byte_array_free(job->sink.mem, TRUE);
	if (job->desc)
		g_string_free(job->desc, TRUE);
	if (job->label)
		g_string_free(job->label, TRUE);
	free(job);
}

/* Finishes the surface and writes the file (cairo emits the whole
 * drawing then: the most of an SVG's time); frees the job. */
static enum mj_status stream_job_run(void *arg, struct mj_error *err)
{
	struct stream_job *job = arg;
	const char *path = job->out.path;
	enum mj_status st = MJ_OK;
	cairo_surface_finish(job->surface);
	if (cairo_surface_status(job->surface) != CAIRO_STATUS_SUCCESS || job->sink.error) {
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
			job->sink.error ? strerror(job->sink.error)
			: cairo_status_to_string(cairo_surface_status(job->surface)));
	} else if (job->sink.mem) {
		svg_renumber(job->sink.mem);
		if (svg_finish(job->out.fp, job->sink.mem, job->desc, job->label) != 0)
			st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(errno));
	}
	if (st == MJ_OK)
		st = mj_outfile_commit(&job->out, err);
	else
		mj_outfile_abort(&job->out);
	stream_job_free(job);
	return st;
}

static enum mj_status write_table(struct mj_chart_batch *batch,
			      const char *path, const struct mj_table *t,
			      const struct panels *pn, const struct drawing *dr,
			      const struct mj_schema *schema,
			      const struct mj_chart_opts *opts,
			      struct mj_error *err)
{
	struct mj_chart_opts defaults;
	if (!opts) {
		mj_chart_opts_init(&defaults);
		opts = &defaults;
	}
	int format = mj_chart_format_for(path);
	if (format < 0)
		return mj_error_set(err, MJ_E_USAGE, path, 0, 0,
				    "cannot tell the format from the file "
				    "name; use .png, .svg or .pdf");
	double w = opts->width > 0 ? opts->width : 1200;
	double h = opts->height > 0 ? opts->height : 750;
	double scale = opts->scale > 0 ? opts->scale : 2;
	if (!(w >= 1 && h >= 1 && w <= 32767 && h <= 32767))
		return mj_error_set(err, MJ_E_LIMIT, path, 0, 0,
				    "chart size %g x %g is outside 1..32767",
				    w, h);
	double pxw = ceil(w * scale), pxh = ceil(h * scale);
	if (format == MJ_CHART_PNG &&
	    !(scale > 0 && pxw <= 32767 && pxh <= 32767))
		return mj_error_set(err, MJ_E_LIMIT, path, 0, 0,
				    "a PNG of %g x %g pixels exceeds cairo's "
				    "limit of 32767 pixels a side",
				    pxw, pxh);

	struct stream_job *job = format == MJ_CHART_PNG ? NULL : calloc(1, sizeof *job);
	if (format != MJ_CHART_PNG && !job)
		return mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
	struct mj_outfile out;
	enum mj_status st = mj_outfile_open(&out, path, 0, err);
	if (st != MJ_OK) {
		free(job);
		return st;
	}
	cairo_surface_t *surface = NULL;
	/* The chart's white background covers whole pixels only when its
	 * size in pixels is whole. */
	int covered = pxw == w * scale && pxh == h * scale;
	if (format == MJ_CHART_PNG && batch) {
		/* Recorded here, painted and compressed by the batch. */
		cairo_rectangle_t px = {0, 0, pxw, pxh};
		surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &px);
	} else if (format == MJ_CHART_PNG) {
		surface = chart_png_surface((int)pxw, (int)pxh, covered);
	} else if (format == MJ_CHART_SVG) {
		job->sink.mem = g_byte_array_new();
		surface = cairo_svg_surface_create_for_stream(sink_write, &job->sink,
							      w, h);
		cairo_svg_surface_set_document_unit(surface,
						    CAIRO_SVG_UNIT_PX);
	} else {
		char date[32];
		job->sink.f = out.fp;
		surface = cairo_pdf_surface_create_for_stream(sink_write, &job->sink,
							      w, h);
		pdf_date(dr ? dr->date : t->period_to, date, sizeof date);
		cairo_pdf_surface_set_metadata(surface,
			CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(surface,
			CAIRO_PDF_METADATA_MOD_DATE, date);
		cairo_pdf_surface_set_metadata(surface,
			CAIRO_PDF_METADATA_CREATOR, "murojaat");
		const char *title = dr ? dr->title : opts->title ? opts->title
				    : t ? t->title : NULL;
		if (title)
			cairo_pdf_surface_set_metadata(surface,
				CAIRO_PDF_METADATA_TITLE, title);
	}
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "cairo: %s",
			cairo_status_to_string(cairo_surface_status(surface)));
		goto fail;
	}
	cairo_t *cr = cairo_create(surface);
	if (format == MJ_CHART_PNG)
		cairo_scale(cr, scale, scale);
	if (dr) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		dr->draw(cr, w, h, dr->arg);
		st = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? MJ_OK
			: mj_error_set(err, MJ_E_IO, path, 0, 0, "cairo: %s",
				       cairo_status_to_string(cairo_status(cr)));
	} else {
		st = pn ? draw_panels(cr, w, h, pn, schema, opts, err)
			: draw_table(cr, w, h, t, schema, opts, err);
	}
	cairo_destroy(cr);
	if (st != MJ_OK) {
		if (err && !err->path[0])
			snprintf(err->path, sizeof err->path, "%s", path);
		goto fail;
	}
	if (format == MJ_CHART_PNG)
		return batch ? chart_png_queue(batch, surface, (int)pxw, (int)pxh, covered,
					       &out, err)
			     : chart_png_save(surface, &out, err);
	if (job->sink.mem) {
		job->desc = dr ? drawing_description(dr)
			  : pn ? panels_description(pn, opts) : svg_description(t, opts);
		job->label = g_string_new(NULL);
		if (dr)
			xml_escaped(job->label, dr->title ? dr->title : "");
		else if (pn)
			panels_title(job->label, pn);
		else
			xml_escaped(job->label, opts->title && *opts->title ? opts->title
						: t->title ? t->title : "");
	}
	/* cairo writes the drawing when the surface is finished: a batch's
	 * thread does that for an SVG, while this one draws on. */
	job->surface = surface;
	job->out = out;
	return batch && job->sink.mem ? chart_batch_queue(batch, stream_job_run, job, err)
				      : stream_job_run(job, err);
fail:
	if (surface)
		cairo_surface_destroy(surface);
	mj_outfile_abort(&out);
	if (job)
		stream_job_free(job);
	return st;
}

/* Fontconfig keeps its configuration and font caches for the life of the
 * process and frees nothing at exit; FcFini() would, but it asserts while
 * Cairo still caches a font. Tell LeakSanitizer (in sanitizer builds) that
 * these are not leaks of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
