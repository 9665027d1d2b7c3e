/* Private pieces shared by the chart modules: the drawing context, the
 * items a chart shows, text, colours and the frame around the plot. */
#ifndef MJ_CHART_INTERNAL_H
#define MJ_CHART_INTERNAL_H

#include <stdio.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "murojaat/chart.h"
#include "murojaat/outfile.h"

struct chart_rgb {
	double r, g, b;
};

/* One bar, slice, tile or series of a chart, taken from a table row (or a
 * column of a cross-tab). */
struct chart_item {
	const struct mj_table_row *row; /* NULL for a column series */
	const char *code;
	const char *label;
	double value;
	int suppressed;      /* enum mj_hidden: 0 when shown */
	double pct;          /* percent of the grand total, or < 0 */
	int missing;         /* "not stated" */
	int other;           /* the rest after --top ("Other", code "_other") */
	int parent;          /* sunburst: index of the parent item, or -1 */
	size_t col;          /* cross-tab column of a column series */
	struct chart_rgb color;
	/* Set by chart_item_stats(): */
	double count;        /* the count, when value is a rate */
	int no_rate;         /* rates drawn but this cell has none */
	int has_ci;          /* a whisker from lo to hi (the bar's units) */
	double lo, hi;
};

/* Horizontal alignment of text. */
enum chart_align { CHART_LEFT, CHART_CENTER, CHART_RIGHT };

struct chart_ctx {
	cairo_t *cr;
	double w, h;
	const struct mj_table *t;
	const struct mj_schema *s;
	const struct mj_chart_opts *o;
	enum mj_lang lang;
	PangoContext *pango;
	const char *font;
	double fs;        /* base font size in points */
	double fs_small;  /* ticks and notes, never below 8 pt */
	double pad;       /* outer margin */
	double px, py, pw, ph; /* plot area left by the frame */
	struct mj_error *err;
	/* Statistics (chart_stats.c): columns of o->stats found by name. */
	const struct mj_stat_col *ci_lo, *ci_hi, *rate, *pop;
	int whiskers;     /* bar and hbar draw intervals */
	int rates;        /* values are rates */
	int ci_base;      /* enum mj_percent the intervals are of */
	char stat_note[512]; /* what the note says of whiskers and rates */
	char *drop_note;  /* what the chart leaves out as empty, or NULL */
};

/* Code of the row that holds the categories beyond mj-tab's --top. */
#define CHART_CODE_OTHER "_other"

/* Colours of the style. */
extern const struct chart_rgb chart_ink, chart_grey_text, chart_grid,
	chart_axis, chart_missing, chart_white, chart_bar_default;

/* --- text (chart_text.c) --- */

/* A new layout of text at size points (bold when asked), wrapped at
 * wrap_width when > 0. Returns NULL when out of memory; caller unrefs. */
PangoLayout *chart_layout(struct chart_ctx *c, const char *text, double size,
			  int bold, double wrap_width, enum chart_align align);
/* Logical size of layout in user units. */
void chart_layout_size(PangoLayout *layout, double *w, double *h);
/* Draw layout with its top-left corner at x, y. */
void chart_layout_show(struct chart_ctx *c, PangoLayout *layout, double x,
		       double y, struct chart_rgb color);
/* Measure text on one line. */
void chart_text_size(struct chart_ctx *c, const char *text, double size,
		     int bold, double *w, double *h);
/* Draw text on one line aligned at x (left, centre or right edge) with its
 * top at y. Returns its width. */
double chart_text(struct chart_ctx *c, const char *text, double size,
		  int bold, double x, double y, enum chart_align align,
		  struct chart_rgb color);
/* The largest size (down to 8 pt) at which text wrapped at width fits in
 * height; returns that layout (caller unrefs). */
/* The largest size from the chart's base size down to 8 pt at which every
 * one of labels[0..n) fits width x height without breaking a word, so that
 * a row of category labels is set in one size; 0 when some does not fit
 * even at 8 pt. */
double chart_labels_size(struct chart_ctx *c, const char *const *labels, size_t n,
			 double width, double height);
/* name without the generic words of a region's name in Russian and Uzbek
 * into buf ("Ферганская область" -> "Ферганская"); 0 when none was there. */
int chart_short_name(const struct chart_ctx *c, const char *name, char *buf, size_t len);
/* Category labels of a row of bars in one size: labels[i] (kept in
 * names[i], 64 bytes each, when shortened) lose their generic words when
 * they do not fit otherwise. Returns the size. */
double chart_bar_labels(struct chart_ctx *c, const char **labels, char (*names)[64],
			size_t n, double width, double height);
/* Text in font ("DejaVu Sans Bold 8", in points) on one line on cr,
 * whose unit is a point (the report's pages), with its top at y and its
 * left edge, middle or right edge at x; drawn in cr's colour only when
 * draw is set. Returns its width. */
double chart_label(cairo_t *cr, const char *text, const char *font, double x, double y,
		   enum chart_align align, int draw);
PangoLayout *chart_layout_fit(struct chart_ctx *c, const char *text,
			      double size, int bold, double width,
			      double height, enum chart_align align);

/* --- numbers and words (chart_text.c) --- */

/* Count or sum: "10,927" (en), "10 927" (ru, uz). */
char *chart_num(struct chart_ctx *c, double v, char *buf, size_t len);
/* Percent with one decimal: "24.8%" (en), "24,8 %" (ru, uz). */
char *chart_pct(struct chart_ctx *c, double p, int decimals, char *buf,
		size_t len);
/* "<5" for suppressed values. */
char *chart_suppressed(struct chart_ctx *c, char *buf, size_t len);
/* The mark of a cell hidden as kind (enum mj_hidden): "<5" below the
 * threshold, "x" when hidden only to protect others. */
char *chart_mark(struct chart_ctx *c, int kind, char *buf, size_t len);
/* The marks the table's hidden cells carry, for a legend or a group of
 * hidden cells: "<5", "x" or "<5, x". */
char *chart_marks(struct chart_ctx *c, char *buf, size_t len);
/* "2,709 (24.8%)" or "<5" for an item. */
char *chart_value_label(struct chart_ctx *c, const struct chart_item *it,
			char *buf, size_t len);
/* "10,927 appeals" in the chart's language (the noun agrees with n). */
char *chart_total_words(struct chart_ctx *c, double n, char *buf, size_t len);
/* A month code "2023-01" as "Jan" in the chart's language, with the year
 * on a second line when first is set or for January; NULL when code is
 * not a month. */
const char *chart_month_label(struct chart_ctx *c, const char *code,
			      int first, char *buf, size_t len);
/* The word for the rest of small slices ("Others"). */
const char *chart_word_others(struct chart_ctx *c);

/* --- colours (chart_text.c) --- */

void chart_set_color(struct chart_ctx *c, struct chart_rgb color);
/* The colour of category code of dimension dim: the schema's "color", or
 * Okabe–Ito in schema order (index when not in the schema); grey for
 * "not stated". */
struct chart_rgb chart_cat_color(struct chart_ctx *c, const char *dim,
				 const char *code, size_t index);
/* Whether the categories of dim have colours in the schema. */
int chart_dim_has_colors(struct chart_ctx *c, const char *dim);
/* color mixed with white (amount 0..1 of white). */
struct chart_rgb chart_tint(struct chart_rgb color, double amount);
/* color when text in it reads on white, else ink. */
struct chart_rgb chart_readable(struct chart_rgb color);
/* Black or white, whichever reads better on color. */
struct chart_rgb chart_text_on(struct chart_rgb color);

/* --- shapes (chart_text.c) --- */

/* Fill the current path with diagonal hatching in grey on white and
 * outline it; the path is consumed. */
void chart_hatch_path(struct chart_ctx *c);
/* Hatch a rectangle. */
void chart_hatch_rect(struct chart_ctx *c, double x, double y, double w,
		      double h);

/* --- frame and layout helpers (chart_frame.c) --- */

/* Paint the background, draw title, subtitle and note and set the plot
 * area. */
enum mj_status chart_frame(struct chart_ctx *c);
/* A "nice" step for an axis from 0 to max with about n ticks. */
double chart_nice_step(double max, int n);
/* The most ticks an axis loop draws, whatever its values: with counts near
 * the largest double, v += step could otherwise never pass the end. */
#define CHART_TICKS_MAX 50
/* A horizontal legend of swatches and labels wrapped within width, drawn
 * at x, y when draw is set. Returns its height. */
double chart_legend(struct chart_ctx *c, const struct chart_item *items,
		    size_t n, int with_suppressed, double x, double y,
		    double width, int draw);

/* --- items (chart_items.c) --- */

/* Whether the table is a cross-tab. */
static inline int chart_is_crosstab(const struct mj_table *t)
{
	return t->col_dim != NULL && t->ncols > 1;
}
/* Whether dimension name is ordered (months, age groups): bars keep their
 * order. */
int chart_dim_ordered(struct chart_ctx *c, const char *dim);
/* Whether dimension name is a time dimension (month, quarter, year). */
int chart_dim_time(struct chart_ctx *c, const char *dim);
/* The rows at level (non-total) as items of column col; colours from
 * dims[level]. Caller frees *out. */
enum mj_status chart_row_items(struct chart_ctx *c, int level, size_t col,
			       struct chart_item **out, size_t *n);
/* The columns of a cross-tab (without its total) as items. */
enum mj_status chart_col_items(struct chart_ctx *c, struct chart_item **out,
			       size_t *n);

/* --- statistics (chart_stats.c) --- */

/* Finds the columns opts->stats gives, checks that they are what opts
 * says (level and method of the intervals, the unit of the rates) and
 * that the type can show them, and writes c->stat_note. */
enum mj_status chart_stats_prepare(struct chart_ctx *c);
/* Sets what it shows of the cell (row, col): the rate instead of the
 * count when rates are drawn (no_rate when there is none), and the
 * whisker. Call after value, suppressed and pct are set. */
void chart_item_stats(struct chart_ctx *c, struct chart_item *it,
		      const struct mj_table_row *row, size_t col);
/* "no population" in the chart's language. */
const char *chart_word_no_population(const struct chart_ctx *c);
/* A rate with one decimal: "12.3" ("12,3" in ru and uz); chart_text.c. */
char *chart_rate(struct chart_ctx *c, double v, char *buf, size_t len);
/* "per 100,000 population" in the chart's language; "Rate" when the
 * unit is not known. capital: first letter upper case. */
char *chart_rate_unit(struct chart_ctx *c, int capital, char *buf,
		      size_t len);
/* Draw a whisker from a to b (along the value axis) at mid (across it):
 * a thin dark grey line with small caps, one stroke. */
void chart_whisker(struct chart_ctx *c, int horizontal, double mid, double a,
		   double b, double cap);

/* --- the chart types --- */
enum mj_status chart_draw_bar(struct chart_ctx *c, int horizontal);
enum mj_status chart_draw_stacked(struct chart_ctx *c);
enum mj_status chart_draw_pie(struct chart_ctx *c, int donut);
enum mj_status chart_draw_sunburst(struct chart_ctx *c);
enum mj_status chart_draw_line(struct chart_ctx *c);
enum mj_status chart_draw_map(struct chart_ctx *c);

/* A phrase of the schema (mj_schema_phrase()), or fallback[lang]. */
const char *chart_phrase(const struct chart_ctx *c, const char *name,
			 const char *const fallback[MJ_LANG_COUNT]);

/* Writes the pixels of surface (an image surface of CAIRO_FORMAT_RGB24) to
 * f as a PNG (chart_png.c). Returns 0, or -1 with *error the errno of a
 * failed write (0 when it was not a write) and *why libpng's reason. */
int chart_png_write(cairo_surface_t *surface, FILE *f, int *error, const char **why);

/* A chart's image rows as a deflate stream (chart_deflate.c), rows of
 * rowlen bytes each (a filter byte and the pixels), rowlen at most 32768:
 * chart_zip_new() returns NULL for longer rows or when out of memory.
 * chart_zip_row() is told when the row repeats the one before it (same),
 * which it then writes in a tenth of the time. The
 * stream is kept until taken: chart_zip_output() gives the bytes written
 * so far, chart_zip_consume() drops the first n of them. chart_zip_put()
 * adds bytes as they are, before the first row or after
 * chart_zip_finish(), which ends the stream on a byte's end; after it, no
 * row. Each returns -1 when out of memory or called out of turn. A stream
 * holds less than 4 GB of rows (offsets are 32 bits): a PNG of at most
 * 32,767 rows of 32,768 bytes. */
struct chart_zip;
struct chart_zip *chart_zip_new(size_t rowlen);
int chart_zip_row(struct chart_zip *z, const unsigned char *row, int same);
int chart_zip_put(struct chart_zip *z, const unsigned char *bytes, size_t n);
int chart_zip_finish(struct chart_zip *z);
const unsigned char *chart_zip_output(const struct chart_zip *z, size_t *len);
void chart_zip_consume(struct chart_zip *z, size_t n);
void chart_zip_free(struct chart_zip *z);

/* A new image surface of CAIRO_FORMAT_RGB24 for a PNG of w x h pixels
 * (chart_png.c). With covered set, the caller paints every pixel opaque
 * before anything else, so the pixels are not cleared first. The caller
 * checks its status. */
cairo_surface_t *chart_png_surface(int w, int h, int covered);

/* Writes surface into out as a PNG and commits out, or aborts it; takes
 * the surface's reference and empties out. Errors name out->path. */
enum mj_status chart_png_save(cairo_surface_t *surface, struct mj_outfile *out,
			      struct mj_error *err);

/* Paints recording (a recording surface of w x h pixels, finished with)
 * into chart_png_surface(w, h, covered) and saves it as chart_png_save()
 * does, on a thread of b, at once: takes the recording's reference and
 * out (its failures come from mj_chart_batch_finish()). */
enum mj_status chart_png_queue(struct mj_chart_batch *b, cairo_surface_t *recording,
			       int w, int h, int covered, struct mj_outfile *out,
			       struct mj_error *err);

/* Work for a batch's threads: run(arg) does it and frees arg whatever
 * happens, and returns what failed in err. chart_batch_queue() hands it
 * to a thread of b, or runs it at once when there is none (its failure
 * then returned); a failure on a thread comes from
 * mj_chart_batch_finish(). */
typedef mj_chart_job_fn chart_job_fn;
enum mj_status chart_batch_queue(struct mj_chart_batch *b, chart_job_fn run, void *arg,
				 struct mj_error *err);

/* The first failure of b's thread so far (err filled), or MJ_OK. */
enum mj_status chart_batch_failed(struct mj_chart_batch *b, struct mj_error *err);

#endif
