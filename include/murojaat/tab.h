/* Tabulation: read records (CSV files or stdin), normalise and validate each,
 * and count them into one or more tables in a single pass, so every table
 * of a run counts the same records. */
#ifndef MUROJAAT_TAB_H
#define MUROJAAT_TAB_H

#include <stddef.h>
#include <stdint.h>

#include "murojaat/error.h"
#include "murojaat/record.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"

/* Row order of a table. */
enum mj_sort {
	MJ_SORT_SCHEMA = 0, /* schema order ("not stated" last) */
	MJ_SORT_COUNT,      /* largest first */
	MJ_SORT_LABEL       /* alphabetical by label */
};

/* One table to make: row dimensions and an optional column dimension. */
struct mj_tab_spec {
	const char *by;    /* "region" or "place,relationship" (nested) */
	const char *cols;  /* cross-tab column dimension, or NULL */
	const char *title; /* NULL: "Appeals by region" in the run's language */
	const char *sum;   /* sum this integer dimension of the schema (e.g.
			      "children") instead of counting, or NULL */
};

#define MJ_MAX_WHERE 16

/* Everything that decides what is counted and how tables look. Fill with
 * mj_run_opts_init() and then the caller's options; strings are borrowed
 * for the duration of the calls that use them. */
struct mj_run_opts {
	const struct mj_schema *schema; /* NULL: the built-in schema */
	enum mj_lang lang;
	char delimiter;          /* 0: detect among , ; tab */
	const char *encoding;    /* NULL or "utf-8" or "cp1251" */
	const char *where[MJ_MAX_WHERE]; /* "DIM=V1,V2" (AND across entries) */
	size_t nwhere;
	const char *period;      /* "2023-01..2023-08", "2023-08", "2023", "2023-Q2" */
	int missing_exclude;     /* drop "not stated" rows from tables */
	enum mj_sort sort;
	size_t top;              /* keep the N largest categories (0: all) */
	int hide_empty;          /* drop categories with zero count */
	const char *weight;      /* column holding a weight per record, or NULL */
	const char *sum;         /* column to sum instead of counting, or NULL */
	long min_cell;           /* suppress counts 1..min_cell-1 (0: none) */
	int strict;              /* a rejected row is fatal */
	/* Tables among the inputs (murojaat/tabsum.h) may count the same
	 * source twice: the same file, or the same source and period. */
	int allow_overlap;
	const char *sheet;       /* workbooks: sheet name or number; NULL: the first */
	unsigned long header_row; /* workbooks: header row; 0: found from the schema */
	int threads;             /* threads for a large file (0: one per core) */
	/* How day-month dates are read (--date-order): MJ_DATE_AUTO decides
	 * for each file from its dates (see mj_normaliser_set_date_order). */
	enum mj_date_order date_order;
	/* A copy of standard input (from mj_run_copy_stdin()): a file "-" is read
	 * from it, and still named "<stdin>", so the records piped in can be
	 * tabulated more than once. NULL: "-" reads standard input itself. */
	const char *stdin_copy;
	/* Called for each problem found in the input (rejected rows, notes
	 * about ignored columns); may be NULL. */
	void (*on_problem)(void *ctx, const struct mj_error *problem, int fatal);
	/* Called now and then while reading; may be NULL. */
	void (*on_progress)(void *ctx, unsigned long long done,
			    unsigned long long total);
	void *ctx;
};

/* What a run read and counted. read = counted + excluded + rejected. */
#define MJ_HELD_FIRST_YEAR 1900
#define MJ_HELD_YEARS 300
#define MJ_HELD_WORDS ((MJ_HELD_YEARS * 12 + 63) / 64)

struct mj_run_stats {
	unsigned long long read;     /* data rows read */
	unsigned long long counted;  /* rows counted in the tables */
	unsigned long long excluded; /* valid rows outside the filters/period */
	unsigned long long rejected; /* rows with invalid values */
	/* The period counted (ISO): --period's, else the whole calendar
	 * months that the valid records read span (before filters). */
	char period_from[11], period_to[11];
	/* First and last date of the valid records read, filtered out or not
	 * ("" when none has a date): how far the register goes. */
	char data_from[11], data_to[11];
	/* The months the inputs hold: a month of a valid record read,
	 * filtered out or not, or of a table's period (mj_run_month_held()).
	 * A month in the span with none may be a month nobody entered; a
	 * month held may still count 0 after the filters. */
	uint64_t months_held[MJ_HELD_WORDS];
};

/* Whether stats holds a record (or a table's period) of month m of year
 * y; years outside MJ_HELD_FIRST_YEAR .. +MJ_HELD_YEARS are never held. */
int mj_run_month_held(const struct mj_run_stats *stats, int y, int m);
/* Marks month m of year y held. */
void mj_run_month_hold(uint64_t *held, int y, int m);

void mj_run_opts_init(struct mj_run_opts *opts);

/* Read files ("-" is stdin) and make nspecs tables into tables[] (caller
 * destroys each). Rows with problems are rejected, reported through
 * on_problem, and counted in stats; the call still succeeds unless strict
 * is set. Fails with MJ_E_USAGE for an unknown dimension or bad filter,
 * MJ_E_IO when a file cannot be read. */
enum mj_status mj_tabulate(const struct mj_run_opts *opts,
			   const char *const *files, size_t nfiles,
			   const struct mj_tab_spec *specs, size_t nspecs,
			   struct mj_table **tables, struct mj_run_stats *stats,
			   struct mj_error *err);

/* A copy of standard input, for a run that reads its records more than
 * once (a comparison with another period, a report's passes). */
struct mj_stdin_copy {
	int fd;         /* -1 when nothing was copied */
	char path[32];  /* a name that opens the copy */
};

/* When files read standard input ("-", or no file at all), copies it to
 * its end into a temporary file that has no name (mode 0600; it vanishes
 * when the copy is closed or the process ends) and points
 * opts->stdin_copy at it; otherwise only sets copy->fd to -1. Release with
 * mj_stdin_copy_close() after the last run that uses opts. */
enum mj_status mj_run_copy_stdin(struct mj_run_opts *opts, const char *const *files,
				 size_t nfiles, struct mj_stdin_copy *copy,
				 struct mj_error *err);
/* Closes the copy (no operation when there is none). */
void mj_stdin_copy_close(struct mj_stdin_copy *copy);

/* The options shared by every program that tabulates records (mj-tab,
 * mj-chart, mj-xlsx, mj-report); a program names them (cmd/cli_options.c) and
 * hands each with its value to mj_run_opts_apply(). */
enum mj_run_option {
	MJ_OPT_BY = 1000, MJ_OPT_COLS, MJ_OPT_WHERE, MJ_OPT_PERIOD, MJ_OPT_MONTH,
	MJ_OPT_MISSING, MJ_OPT_SORT, MJ_OPT_TOP, MJ_OPT_HIDE_EMPTY, MJ_OPT_LANG,
	MJ_OPT_WEIGHT, MJ_OPT_SUM, MJ_OPT_MIN_CELL, MJ_OPT_STRICT, MJ_OPT_SCHEMA,
	MJ_OPT_ENCODING, MJ_OPT_DELIMITER, MJ_OPT_THREADS, MJ_OPT_SHEET,
	MJ_OPT_HEADER_ROW, MJ_OPT_DATE_ORDER, MJ_OPT_ALLOW_OVERLAP,
	MJ_OPT_RUN_END
};
/* Applies one option to opts and spec; returns MJ_OK, or MJ_E_USAGE with
 * a message. The schema named by --schema is loaded into *schema_out
 * (caller destroys). */
enum mj_status mj_run_opts_apply(struct mj_run_opts *opts,
				 struct mj_tab_spec *spec, int opt,
				 const char *arg, struct mj_schema **schema_out,
				 struct mj_error *err);
/* Parses a whole number in lo..hi (decimal, nothing after it); returns 0,
 * or -1 leaving *out alone. */
int mj_parse_whole(const char *text, long lo, long hi, long *out);

#endif
