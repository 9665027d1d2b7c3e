/* Excel workbooks from tables: one sheet per table with live formulas,
 * totals and a native chart, and an About sheet saying what was counted. */
#ifndef MUROJAAT_XLSX_H
#define MUROJAAT_XLSX_H

#include <stdio.h>
#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"

struct mj_stats; /* murojaat/stats.h */

/* Excel's limit on the length of a sheet name, in characters. */
#define MJ_XLSX_SHEET_NAME_MAX 31

/* A sheet of counts by month (a report's trend): a date per month shown
 * in the workbook language's month names, the count, and the changes on
 * the month before and on a year before, with a native column chart in
 * which the highlighted month stands out. Arrays hold n entries; a NAN
 * count is a month not shown (hidden), a NAN change none to show. */
struct mj_xlsx_trend {
	const char *sheet;     /* its name (fits 31 characters) */
	const char *title;
	const char *heads[6];  /* month, count, change, %, change, % */
	size_t n;
	const int *year, *month;
	const double *count;
	const double *prev_diff, *prev_pct, *year_diff, *year_pct;
	/* Per row, set when the change on the month before (prev_same) or a
	 * year before (year_same) is about the same: "≈" beside it. */
	const unsigned char *prev_same, *year_same;
	size_t highlight;      /* the row of the report's month */
	long year_ago;         /* the row of the same month a year before, or -1 */
	const char *note;      /* under the table, or NULL */
};

/* What a workbook shows besides the tables. Fill with mj_xlsx_opts_init()
 * and then the caller's settings; every pointer is borrowed for the
 * duration of mj_xlsx_write(). */
struct mj_xlsx_opts {
	/* Language of headings, the About sheet and (with schema) the
	 * category labels; -1: each table's own language. */
	int lang;
	/* Gives labels in lang, chart colours and the schema's name; NULL:
	 * labels as the tables carry them. */
	const struct mj_schema *schema;
	/* Input file names for the About sheet; NULL: the tables' source. */
	const char *const *inputs;
	size_t ninputs;
	/* Records read / counted / rejected for the About sheet when
	 * have_counts is set; otherwise the first table's. */
	int have_counts;
	unsigned long long n_read, n_counted, n_rejected;
	const char *filters;  /* NULL: the first table's */
	const char *program;  /* "mj-xlsx 0.1.0"; NULL: "murojaat" */
	/* The document's title property; NULL: the table's title for one
	 * table, else the schema's name. */
	const char *title;
	/* Suppress counts 1..min_cell-1 (and the cells that would let a
	 * reader recompute them) on top of what the tables already hide:
	 * mj_xlsx_write() then marks the tables' suppressed[] flags in
	 * place. 0: only what the tables mark. */
	long min_cell;
	/* Document date "YYYY-MM-DD"; NULL: the latest period end of the
	 * tables, or 2000-01-01 when none has a period. It is the only date
	 * stored in the file, so the same input gives the same bytes. */
	const char *date;
	int charts; /* 1 (default): a native chart beside each table */
	/* NULL, or one per table (entries may be NULL): the name of its
	 * sheet instead of one made from its dimensions (made to fit and
	 * unique as those are); mj-xlsx --layer names sheets by layer. */
	const char *const *sheet_names;
	/* NULL, or one per table: the type of its chart (enum
	 * mj_chart_type, murojaat/charttype.h) as the report's PDF draws it
	 * (bar: columns; hbar, map, sunburst: horizontal bars; stacked:
	 * horizontal bars of the row percents; pie, donut, line), or -1 for
	 * one chosen by the table's shape. A type the table cannot take (a
	 * doughnut of a cross-tab) is chosen by shape too. */
	const int *chart_types;
	/* 1: the categories of a table by month are dates (the first of
	 * each month) shown as "August 2023" in the language, so a reader
	 * can sort, filter and chart them as time; 0 (default): the codes
	 * "2023-08" as text, which a workbook read back as a table needs. */
	int month_dates;
	/* Statistics beside the tables (mj_stats_compute()): each table's
	 * extra columns to the right of its own (a cross-tab's as blocks
	 * beside the block they qualify), its notes and chi-square test in
	 * rows under it, and on the About sheet what was computed. Change,
	 * percent change and rates are formulas with cached values;
	 * intervals and percents of mentions are values. A cell hidden by
	 * suppression has none of its statistics shown. */
	const struct mj_stats *const *stats; /* NULL, or one per table (entries may be NULL) */
	/* What the cells show, in order (mj-tab's --show, checked with
	 * mj_show_parse()): count (or sum), total%, row%, col%, valid% and,
	 * for a one-way table, cum%. A one-way table has a column per
	 * figure, a cross-tab a block of rows per figure, one under the
	 * other. Percents are formulas over the count cells, or over the
	 * counts themselves when count is not shown (a table of percents
	 * alone). Statistics columns named in it go where they go without
	 * it. NULL: count, % and valid % or % within group (one-way), and
	 * count, row % and column % blocks (cross-tab). */
	const char *show;
	/* NULL, or one per table (entries may be NULL, for show): what that
	 * table's cells show (a report section's show=). */
	const char *const *shows;
	/* A trend sheet after the tables, before About; NULL: none. */
	const struct mj_xlsx_trend *trend;
};

void mj_xlsx_opts_init(struct mj_xlsx_opts *opts);

struct mj_run; /* murojaat/run.h */
/* Sets what a run decided (after mj_run_tabulate() or
 * mj_run_read_tables()): schema, min_cell, and for records the language,
 * the inputs (files, or standard input when nfiles is 0), what was read
 * and counted and the layers' sheet names; tables keep their language
 * unless --lang was given. */
void mj_xlsx_opts_from_run(struct mj_xlsx_opts *xo, const struct mj_run *run,
			   const char *const *files, size_t nfiles);

/* Checks before anything is written that each of tables[0..n) can show
 * xo->show (mj_show_parse(): no cum% of a cross-tab, no count of a sum).
 * Returns MJ_OK, or MJ_E_USAGE with a message. */
enum mj_status mj_xlsx_show_check(const struct mj_xlsx_opts *xo,
				  struct mj_table *const *tables, size_t n,
				  struct mj_error *err);

/* Write tables[0..n) as one workbook at path, as every output file is
 * written (murojaat/outfile.h): a temporary file is made in path's folder
 * and renamed into place, so a failure leaves nothing (when path is a
 * device or pipe the workbook is built in $TMPDIR and copied).
 * Tables are only modified by opts->min_cell (see above). Returns MJ_OK, MJ_E_IO (err names the path and
 * the reason), MJ_E_USAGE (bad date, no tables), MJ_E_LIMIT (a table
 * larger than a sheet) or MJ_E_NOMEM. */
enum mj_status mj_xlsx_write(const char *path, struct mj_table *const *tables,
			     size_t n, const struct mj_xlsx_opts *opts,
			     struct mj_error *err);

/* As mj_xlsx_write(), to an open stream (stdout); name is used in errors.
 * The stream is flushed, not closed. */
enum mj_status mj_xlsx_write_stream(FILE *out, const char *name,
				    struct mj_table *const *tables, size_t n,
				    const struct mj_xlsx_opts *opts,
				    struct mj_error *err);

/* A valid, unique sheet name for wanted into buf (len >= 128): characters
 * []:*?/\ become '-', an apostrophe becomes U+02BC, control characters
 * spaces, at most MJ_XLSX_SHEET_NAME_MAX characters, and " (2)", " (3)"...
 * appended when the name (compared case-insensitively, Cyrillic included)
 * is among taken[0..ntaken). Returns buf. */
char *mj_xlsx_sheet_name(const char *wanted, const char *const *taken,
			 size_t ntaken, char *buf, size_t len);

#endif
