/* A tabulated result: rows of categories (possibly nested) by one value
 * column or by the categories of a column dimension, with totals. The same
 * model is written by mj-tab and read back by mj-chart and mj-xlsx. */
#ifndef MUROJAAT_TABLE_H
#define MUROJAAT_TABLE_H

#include <stdio.h>
#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"

/* The largest count a table holds: 2^53, below which every whole number,
 * and so every sum of counts, is exact in a double. Tabulating refuses
 * records whose counts would add up to more; reading a table refuses a
 * count that is not a plain decimal number from 0 to this. */
#define MJ_TABLE_VALUE_MAX 9007199254740992.0

enum mj_row_kind {
	MJ_ROW_CATEGORY = 0, /* a category (leaf of the row dimensions) */
	MJ_ROW_SUBTOTAL,     /* aggregate over the inner dimensions of a nested table */
	MJ_ROW_TOTAL         /* grand total; always the last row */
};

struct mj_table_row {
	enum mj_row_kind kind;
	int level;        /* 0 for outermost; a nested child has its depth */
	char **codes;     /* ndims codes; MJ_CODE_TOTAL where aggregated,
			     MJ_CODE_MISSING for "not stated" */
	char **labels;    /* ndims labels in the table's language */
	double *values;   /* ncols counts (or sums) */
	unsigned char *suppressed; /* ncols flags: enum mj_hidden (0 when shown) */
};

/* Why a cell is hidden by --min-cell: the value of its suppressed[] flag.
 * The two kinds carry different marks, as statistical offices print them,
 * so that a reader never takes a cell hidden to protect others for a
 * small count. */
enum mj_hidden {
	MJ_HIDDEN_NONE = 0,
	MJ_HIDDEN_PRIMARY = 1,    /* a count from 1 to min_cell - 1: "<N" */
	MJ_HIDDEN_COMPLEMENT = 2  /* hidden only so that a primary cell cannot
				     be worked out from a total: "x" */
};

/* Which base a percent is taken of. */
enum mj_percent {
	MJ_PCT_NONE = 0,
	MJ_PCT_TOTAL, /* of the grand total (one-way: of all counted) */
	MJ_PCT_ROW,   /* of the row's total (cross-tab) */
	MJ_PCT_COL,   /* of the column's total (cross-tab) */
	MJ_PCT_VALID  /* of the total without "not stated" */
};

/* Nested columns (--cols A,B): column c of the table is a category of
 * the innermost dimension within its parents, a subtotal of a parent
 * (after its children) or the grand total (last), as rows nest. */
struct mj_col_nest {
	size_t ndims;       /* column dimensions (2 or more) */
	char **dims;        /* their schema names, outermost first */
	char **dim_labels;
	char **codes;       /* [c * ndims + k]: column c's code in dimension k,
			       MJ_CODE_TOTAL where it aggregates */
	char **labels;      /* likewise, labels */
	unsigned char *kinds; /* enum mj_row_kind of each column */
	int *levels;        /* depth of each column: a subtotal of dimension
			       k's category has k, a category ndims - 1 */
};

struct mj_table {
	char *title;      /* "Appeals by region"; may be NULL */
	char *measure;    /* "count", or the summed column ("children") */
	char *weight;     /* the column each record added instead of 1
			     (--weight), or NULL */
	char *lang;       /* language tag of the labels */
	size_t ndims;     /* row dimensions (>= 1) */
	char **dims;      /* their schema names ("place", "relationship") */
	char **dim_labels;/* their labels in lang */
	char *col_dim;    /* cross-tab column dimension, or NULL (one-way) */
	char *col_dim_label;
	size_t ncols;     /* one-way: 1; cross-tab: categories + 1 (last is
			     MJ_CODE_TOTAL) */
	char **col_codes;
	char **col_labels;
	size_t nrows;
	struct mj_table_row *rows;
	/* What was counted. */
	char *period_from;  /* ISO date or NULL */
	char *period_to;    /* ISO date or NULL */
	char *filters;      /* "region=UZ-TK; sex=female" or NULL */
	char *source;       /* input names joined with ", " or NULL */
	unsigned long long n_read, n_counted, n_rejected;
	long min_cell;      /* suppression threshold; 0 = none */
	/* NULL unless the columns nest; then col_dim names the dimensions
	 * joined with ",", col_dim_label with " › ", col_codes and
	 * col_labels of each column likewise (code "_total" and the total's
	 * label for the grand total). */
	struct mj_col_nest *nest;
};

/* Frees a nest of ncols columns; no operation is performed if NULL. */
void mj_col_nest_free(struct mj_col_nest *nest, size_t ncols);
/* Whether column c of t adds into the total column directly (a top-level
 * category or subtotal), and the columns that add up to subtotal column c
 * (written to out, at most t->ncols): their count. */
int mj_col_top(const struct mj_table *t, size_t c);
size_t mj_col_children(const struct mj_table *t, size_t c, size_t *out);

/* A new empty table with ndims row dimensions named dims and ncols columns
 * (codes and labels copied; col_dim NULL for one-way, then ncols must be 1
 * and col_codes may be NULL). Caller owns it; free with mj_table_destroy(). */
struct mj_table *mj_table_new(size_t ndims, const char *const *dims,
			      const char *col_dim, size_t ncols,
			      const char *const *col_codes,
			      const char *const *col_labels);
/* No operation is performed if NULL. */
void mj_table_destroy(struct mj_table *table);
/* Set a string field (title, lang, ...) to a copy of value (NULL clears).
 * Returns MJ_OK or MJ_E_NOMEM. */
enum mj_status mj_table_set(char **field, const char *value);
/* Append a row; codes and labels are copied, values set to 0. Returns the
 * row or NULL when out of memory. */
struct mj_table_row *mj_table_add_row(struct mj_table *table,
				      enum mj_row_kind kind, int level,
				      const char *const *codes,
				      const char *const *labels);
/* The total row, or NULL when the table has none. */
const struct mj_table_row *mj_table_total(const struct mj_table *table);
/* Whether table's values are the sum of a column (its measure is not
 * "count"): then they count no records, and n is not their total. */
int mj_table_is_sum(const struct mj_table *table);
/* The row's label for display: its innermost non-total label. */
const char *mj_table_row_label(const struct mj_table *table,
			       const struct mj_table_row *row);
/* True when the row is "not stated" in its innermost dimension. */
int mj_table_row_missing(const struct mj_table *table,
			 const struct mj_table_row *row);

/* The one percent a table shows when none is asked for: of the row's
 * total in a cross-tab, else of the total. Every writer, chart, workbook
 * and report section uses it. */
enum mj_percent mj_table_default_percent(const struct mj_table *table);

/* Percent of row's value in column col on the given base (0..100), or a
 * negative number when undefined (zero base, suppressed). For nested tables
 * the base of MJ_PCT_TOTAL is the grand total. */
double mj_table_percent(const struct mj_table *table,
			const struct mj_table_row *row, size_t col,
			enum mj_percent base);
/* The base N of a percent: the count it is a percent of, or NAN when the
 * percent is undefined. Mirrors mj_table_percent(). */
double mj_table_percent_base(const struct mj_table *t,
			     const struct mj_table_row *row, size_t col,
			     enum mj_percent base);

/* The mark of a cell hidden as kind (enum mj_hidden): "<N" with the
 * table's threshold for a primary cell, "x" for a complementary one, ""
 * for a shown cell. Returns buf. */
char *mj_table_mark(const struct mj_table *table, int kind, char *buf,
		    size_t len);
/* True when some cell of the table is hidden as kind. */
int mj_table_has_hidden(const struct mj_table *table, int kind);
/* The note that explains the "x" mark, in lang, without a full stop:
 * "x: not shown, to protect small numbers". Static text. */
const char *mj_table_mark_note(enum mj_lang lang);
/* The name of a kind in CSV and JSON: "primary", "complementary", or NULL
 * for a shown cell. */
const char *mj_hidden_name(int kind);

/* Output formats for tables. */
enum mj_format {
	MJ_FMT_TEXT = 0, MJ_FMT_CSV, MJ_FMT_TSV, MJ_FMT_JSON, MJ_FMT_MD
};

struct mj_stats; /* murojaat/stats.h */

/* How a table is written. */
struct mj_write_opts {
	enum mj_format format;
	unsigned percents;  /* bit set of 1u << MJ_PCT_TOTAL, ROW, COL, VALID */
	int cumulative;     /* add a cumulative percent (of valid when chosen) */
	int decimals;       /* digits after the point in percents (default 1) */
	int round_largest;  /* largest remainder: shown percents add to 100 */
	int excel;          /* CSV for Excel: BOM, ';' and decimal commas */
	const struct mj_stats *stats; /* extra columns, test and notes, or NULL */
	/* What each cell shows, in column order: a comma list of count (or
	 * sum), total%, row%, col%, valid%, cum% and statistics columns
	 * (ci_low, ...); NULL shows the count, then the percents above, then
	 * the statistics. Checked by mj_show_parse(). */
	const char *show;
	/* Text: the widest line wanted (0: no limit). A wider table is cut
	 * into panels of columns, each repeating the row labels. */
	size_t width;
	/* CSV and TSV: the grid as on screen (a column per column category
	 * and figure, heading lines) instead of one line per cell. */
	int wide;
	/* One layer of a layered table (murojaat/layers.h): long CSV and TSV
	 * begin each line with columns layer_code, layer (the dimension's
	 * name) and layer_label, which a reader of tables refuses; JSON says
	 * "layer"; NULL for no layer. */
	const char *layer_dim, *layer_code, *layer_label;
	/* A layer after the first: CSV and TSV write no header line and no
	 * byte order mark, going on with the lines of the first. */
	int layer_next;
};

/* The most items a --show list holds. */
#define MJ_SHOW_MAX 16

/* Checks a --show list against table t (count or sum; cum% for a one-way
 * table only) and the statistics columns of st, and sets percents to the
 * bases it names (1u << MJ_PCT_...). t or st NULL: not checked against it
 * (an unknown name is then taken for a statistics column). Fails with
 * MJ_E_USAGE naming a wrong item. */
enum mj_status mj_show_parse(const char *show, const struct mj_table *t,
			     const struct mj_stats *st, unsigned *percents,
			     struct mj_error *err);

/* Defaults: text, percent of total (row percent for cross-tabs), one decimal. */
void mj_write_opts_init(struct mj_write_opts *o, const struct mj_table *t);

/* Write table to out in o's format. Fails with MJ_E_IO when a write fails. */
enum mj_status mj_table_write(FILE *out, const struct mj_table *t,
			      const struct mj_write_opts *o, struct mj_error *err);

/* The percents shown for base in every cell, [row * ncols + col], rounded to
 * decimals (largest remainder when asked); negative when undefined. Caller
 * frees. */
double *mj_table_percents(const struct mj_table *t, enum mj_percent base,
			  int decimals, int round_largest);

/* Number formatting in a language's convention: "10,927" (en) or
 * "10 927" with a no-break space (ru, uz). decimals < 0 means as integer.
 * Returns buf. */
char *mj_format_number(double value, int decimals, enum mj_lang lang,
		       char *buf, size_t len);

/* An ISO date (2023-12-31) as the language writes it: as it is in English,
 * 31.12.2023 in Russian and Uzbek. Anything that is not an ISO date is
 * copied as it is (NULL as ""). Returns buf. */
char *mj_format_date(const char *iso, enum mj_lang lang, char *buf, size_t len);

/* Read a table written by mj-tab (CSV, TSV or JSON, detected from the
 * content). name is used in error positions. Caller owns the result. */
struct mj_table *mj_table_read(FILE *in, const char *name,
			       struct mj_error *err);
struct mj_table *mj_table_read_mem(const char *data, size_t len,
				   const char *name, struct mj_error *err);

#endif
