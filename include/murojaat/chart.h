/* Charts of tables, drawn with Cairo and Pango: bar, horizontal bar, stacked
 * bar, pie, donut, line, sunburst and a tile map of the regions. */
#ifndef MUROJAAT_CHART_H
#define MUROJAAT_CHART_H

#include <cairo.h>

#include "murojaat/charttype.h"
#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"

struct mj_stats; /* murojaat/stats.h */
struct mj_stats_opts; /* murojaat/stats.h */


/* Settings of a chart. Fill with mj_chart_opts_init(), then change what the
 * caller needs. Strings are borrowed for the duration of a call. */
struct mj_chart_opts {
	enum mj_chart_type type;
	int lang;             /* enum mj_lang of numbers and fixed words, or -1
				 for the table's own language */
	const char *title;    /* NULL: from the table's metadata; "": none */
	const char *subtitle; /* NULL: what was counted, period, n, filters */
	const char *note;     /* NULL: "Source: ... · n = ..." */
	int percent;          /* stacked: 100% bars; map: shade by percent */
	long min_cell;        /* hide counts 1..min_cell-1 (and the cells that
				 would reveal them) when the table was not
				 made so; 0: as the table is */
	/* Statistics beside the table (murojaat/stats.h), borrowed; NULL:
	 * none. Columns are found by name, one value per cell of the table
	 * as given (row * ncols + col): "ci_low" and "ci_high" (percents),
	 * "rate" and "population". */
	const struct mj_stats *stats;
	/* Whiskers: when above 0 (0.95 for 95%), bar and hbar draw the
	 * confidence interval of each bar at this level and ci_method (enum
	 * mj_ci_method) as a whisker in the bar's units (a count x of base N
	 * with the interval lo%..hi% from lo * N / 100 to hi * N / 100). The
	 * interval is stats' "ci_low" and "ci_high" when it has them (they
	 * must be at this level and method: MJ_E_VALUE otherwise), else
	 * computed from the counts. Suppressed cells get none. Other types
	 * ignore it. */
	double ci_level;
	int ci_method;
	/* Rates: bar, hbar and map draw stats' "rate" instead of counts
	 * (MJ_E_USAGE when stats has none); cells without a rate are left out
	 * and named in the note. rate_per (100000) names the unit ("per
	 * 100,000 population"); when stats also has "population" the rates
	 * must agree with it (MJ_E_VALUE otherwise). Stacked, pie, donut,
	 * sunburst and line fail with MJ_E_UNSUPPORTED: shares and sums of
	 * rates mean nothing. */
	int rates;
	double rate_per;
	/* The value axis of bar, hbar and grouped bars runs to at least
	 * this (0: to the largest bar); panels of small multiples
	 * (mj_chart_write_panels()) share one scale so. */
	double value_max;
	const char *font;     /* font family, "DejaVu Sans" by default */
	double font_size;     /* base size in points; 0: from the chart size
				 (11 pt at 1200 x 750, never below 8 pt) */
	/* Used by mj_chart_write() only. */
	double width, height; /* size in pixels (PNG) or points (SVG, PDF);
				 1200 x 750 by default */
	double scale;         /* PNG pixels per unit; 2 by default */
};

/* Set every field to its default (bar chart, 1200 x 750, scale 2). */
void mj_chart_opts_init(struct mj_chart_opts *opts);

/* The options of mj-chart's look; the program names them and hands each
 * with its value to mj_chart_opts_apply(). */
enum mj_chart_option {
	MJ_OPT_WIDTH = 5000, MJ_OPT_HEIGHT, MJ_OPT_SCALE, MJ_OPT_TITLE,
	MJ_OPT_SUBTITLE, MJ_OPT_NOTE, MJ_OPT_CHART_PERCENT,
	MJ_OPT_CHART_END
};
/* Whether opt is one of enum mj_chart_option. */
int mj_chart_option(int opt);
/* Applies one option (arg borrowed); MJ_E_USAGE with a message for a bad
 * value. */
enum mj_status mj_chart_opts_apply(struct mj_chart_opts *opts, int opt,
				   const char *arg, struct mj_error *err);
/* Sets opts->type from its name (NULL: none was given) and takes from so
 * the interval and rates a chart draws, checking that they go together
 * with opts, with the format of output's name, and with records
 * (tabulated here; else a table made by mj-tab, which carries its rates).
 * MJ_E_USAGE with a message otherwise. */
enum mj_status mj_chart_opts_setup(struct mj_chart_opts *opts, const char *type,
				   const char *output, const struct mj_stats_opts *so,
				   int records, struct mj_error *err);

/* Draw table t as a chart of width x height user units onto cr, which the
 * caller owns (its state is saved and restored). When opts->lang differs
 * from the table's language, labels are taken from the schema in that
 * language. schema gives colours,
 * short names, tile positions and the order of categories; NULL means the
 * built-in schema's look-ups are skipped (default colours, table order).
 * Fails with MJ_E_EMPTY for a table with no categories, MJ_E_UNSUPPORTED
 * when the table does not fit the type (a cross-tab into a pie, a
 * non-nested table into a sunburst, a map of a dimension without tile
 * positions), and MJ_E_IO when cairo reports an error. */
enum mj_status mj_chart_draw(cairo_t *cr, double width, double height,
			     const struct mj_table *t,
			     const struct mj_schema *schema,
			     const struct mj_chart_opts *opts,
			     struct mj_error *err);

/* A copy of t as a chart of type draws it: without the categories and
 * the columns of a cross-tab that count nothing. A table keeps them (it
 * lines up with other months); a chart and its legend need not show
 * nothing. Categories of a time dimension stay (a month without appeals
 * is a point of a trend), and so do a map's regions. mj_chart_draw() and
 * mj_chart_write() draw this copy unless they draw rates or intervals
 * of opts->stats (its cells are the table's, cell for cell), and say in
 * the chart's note what they left out. *note, when note is not NULL, gets that sentence in lang
 * (enum mj_lang: "Not drawn, as they count none: Boys under 18."), or
 * NULL when nothing was left out; free() it. Returns NULL when out of
 * memory; the caller destroys the copy with mj_table_destroy(). */
struct mj_table *mj_chart_shown(const struct mj_table *t,
				const struct mj_schema *schema,
				enum mj_chart_type type, int lang, char **note);

/* Output formats of mj_chart_write(). */
enum mj_chart_format {
	MJ_CHART_PNG = 0,
	MJ_CHART_SVG,
	MJ_CHART_PDF
};

/* The format for a file name by its extension (.png, .svg, .pdf,
 * case-insensitive), or -1. */
int mj_chart_format_for(const char *path);

/* Draw the chart into the file path (PNG, SVG or PDF by extension), sized
 * by opts->width, opts->height and opts->scale. The file is written as
 * every output file is (murojaat/outfile.h): to a temporary file in the
 * same folder renamed into place, so a failure leaves no partial file. The output is byte-identical for the same input:
 * a PDF's dates are the end of the table's period. Errors name path. */
enum mj_status mj_chart_write(const char *path, const struct mj_table *t,
			      const struct mj_schema *schema,
			      const struct mj_chart_opts *opts,
			      struct mj_error *err);

/* Charts written one after another by a caller that writes several: each
 * PNG is drawn as a recording by the caller, then painted, compressed and
 * committed on a thread of the batch, and each SVG drawn by the caller is
 * written out (cairo emits the drawing then) and committed there, while the
 * caller draws the next chart or does other work (PDF files are written
 * before mj_chart_batch_write() returns). A caller with 32 charts not yet
 * written waits for one to be. The files are those mj_chart_write() writes.
 * Returns NULL when out of memory. */
struct mj_chart_batch;
struct mj_chart_batch *mj_chart_batch_new(void);

/* As mj_chart_write(); a PNG or SVG may be written after the call returns
 * (b borrows nothing of the caller's: the table may be freed). Returns the
 * failure of an earlier chart of b, if any, drawing nothing. A NULL b
 * writes the file before returning. */
enum mj_status mj_chart_batch_write(struct mj_chart_batch *b, const char *path,
				    const struct mj_table *t,
				    const struct mj_schema *schema,
				    const struct mj_chart_opts *opts,
				    struct mj_error *err);

/* The frame every chart has, for a drawing of the caller's of width x
 * height: the white ground, title and subtitle above and note below
 * (each NULL or "" for none), in the charts' fonts at that size and in
 * language lang (enum mj_lang). plot gets what is left for the drawing:
 * its x, y, width and height. MJ_E_USAGE when too little is left. */
enum mj_status mj_chart_frame(cairo_t *cr, double width, double height, int lang,
			      const char *title, const char *subtitle, const char *note,
			      double plot[4], struct mj_error *err);

/* A drawing of the caller's written as mj_chart_batch_write() writes a
 * chart: draw(cr, w, h, arg) draws on a white w x h (opts->width and
 * height; a PNG is scaled by opts->scale) before the call returns, so arg
 * is only borrowed. title and desc are the SVG's text alternative (title
 * also the PDF's), date (YYYY-MM-DD, or NULL) a PDF's date. */
typedef void (*mj_chart_draw_fn)(cairo_t *cr, double w, double h, void *arg);
enum mj_status mj_chart_batch_drawing(struct mj_chart_batch *b, const char *path,
				      const struct mj_chart_opts *opts, mj_chart_draw_fn draw,
				      void *arg, const char *title, const char *desc,
				      const char *date, struct mj_error *err);

/* Other work for a batch: run(arg) does it on a thread of b (at once
 * without b, or when b has no thread), frees arg whatever happens and
 * fills err when it fails; such a failure is b's, returned by
 * mj_chart_batch_finish() as a chart's is. Until then run may read only
 * what the caller leaves as it is. */
typedef enum mj_status (*mj_chart_job_fn)(void *arg, struct mj_error *err);
enum mj_status mj_chart_batch_run(struct mj_chart_batch *b, mj_chart_job_fn run, void *arg,
				  struct mj_error *err);

/* Writes the charts of b still waiting, beside b's threads, waits for
 * the rest and frees b. Returns MJ_OK or the first failure among them
 * (err filled, naming the file). A NULL b does nothing. */
enum mj_status mj_chart_batch_finish(struct mj_chart_batch *b, struct mj_error *err);

/* Small multiples: tables (n of them, e.g. the layers of
 * murojaat/layers.h) drawn into the file path as a grid of panels, as
 * near square as n allows, in order, each titled titles[i] (NULL: the
 * table's title) without subtitle or note, on one scale: bar, hbar and
 * grouped bars run to the largest bar of any panel (opts->value_max), a
 * stacked bar to the largest stack, percents to 100. Otherwise as
 * mj_chart_write(); a panel that cannot be drawn fails the whole. */
enum mj_status mj_chart_write_panels(const char *path,
				     const struct mj_table *const *tables,
				     const char *const *titles, size_t n,
				     const struct mj_schema *schema,
				     const struct mj_chart_opts *opts,
				     struct mj_error *err);

#endif
