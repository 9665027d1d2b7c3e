/* The run: what every program that tabulates (mj-tab, mj-chart, mj-xlsx)
 * does between its options and its output, written once. Read the inputs
 * (records or tables, standard input kept for a second read), make the
 * tables, compute each table's statistics with one percent base, and give
 * the exit status by one rule. The program fills the options, calls these
 * in order and prints. */
#ifndef MUROJAAT_RUN_H
#define MUROJAAT_RUN_H

#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"
#include "murojaat/table.h"
#include "murojaat/tabsum.h"
#include "murojaat/layers.h"

/* Tables one run makes (one per --by of mj-xlsx) or reads. */
#define MJ_RUN_MAX_TABLES 64

struct mj_run {
	/* Filled by the program (mj_run_option() or directly) before the
	 * calls below. opts.schema is set to schema when that is loaded. */
	struct mj_run_opts opts;
	struct mj_stats_opts stats_opts;
	struct mj_tab_spec specs[MJ_RUN_MAX_TABLES];
	size_t nspecs;
	int many;                 /* each --by makes a table (mj-xlsx) */
	struct mj_schema *schema; /* --schema's; owned; NULL: the built-in */
	int lang_set;             /* --lang was given */
	/* Made by the calls below; owned by the run. */
	const char *const *files; /* the inputs (borrowed) */
	size_t nfiles;
	struct mj_table *tables[MJ_RUN_MAX_TABLES];
	size_t ntables;
	struct mj_stats *stats;   /* one per table after mj_run_statistics() */
	struct mj_run_stats counts; /* what the records gave (zero for tables) */
	struct mj_tabsum_info inputs;
	struct mj_stdin_copy stdin_copy;
	/* --layer DIM (set by the program): each spec's table is made per
	 * category of DIM and over all (murojaat/layers.h). tables[] then holds
	 * each spec's layers in turn, table_names[] their labels (the sheet
	 * names of mj-xlsx), spec_of[] the spec each was made from, and layers
	 * the first spec's layers (their tables borrowed from tables[]). */
	const char *layer;
	char *table_names[MJ_RUN_MAX_TABLES];
	size_t spec_of[MJ_RUN_MAX_TABLES];
	struct mj_layers *layers;
};

/* Empty options (as mj_run_opts_init() and mj_stats_opts_init()) and no
 * result. */
void mj_run_init(struct mj_run *run);
/* Frees the tables, statistics, notes, schema and copy of standard
 * input; no operation is performed if NULL. */
void mj_run_free(struct mj_run *run);

/* Applies one option of enum mj_run_option or enum mj_stats_option to
 * run->opts, run->stats_opts and run->specs[0] (--by, --cols: the program
 * handles them itself when it makes several tables). Returns MJ_OK, or
 * MJ_E_USAGE (a bad value) with a message. */
enum mj_status mj_run_option(struct mj_run *run, int opt, const char *arg,
			     struct mj_error *err);

/* Checks the options that go together before any input is read: the
 * statistics options (mj_stats_opts_check()), --compare with tables to
 * make, --test with a cross-tab among them, and one column dimension for
 * --test, --compare and --rate-per. Returns MJ_OK or MJ_E_USAGE. */
enum mj_status mj_run_check(const struct mj_run *run, struct mj_error *err);

/* Reads files ("-" or none: standard input) as registers or tables and
 * makes run->nspecs tables (see mj_tabsum()). When a comparison is asked,
 * standard input is first copied so that it can be read again. On
 * failure, problems in a file were reported through opts.on_problem. */
enum mj_status mj_run_tabulate(struct mj_run *run, const char *const *files,
			       size_t nfiles, struct mj_error *err);

/* Reads each file ("-" or none: standard input) as one table written by
 * mj-tab, without summing (at most MJ_RUN_MAX_TABLES). with_stats: the
 * statistics columns written beside each are read into run->stats (see
 * mj_table_read_stats()). A file that cannot be read is
 * reported through opts.on_problem (as fatal) and the others are read;
 * the call then fails with MJ_E_IO when a file could not be opened or
 * read, else with the first table's parse error. */
enum mj_status mj_run_read_tables(struct mj_run *run, const char *const *files,
				  size_t nfiles, int with_stats, struct mj_error *err);

/* The percents a table shows unless told otherwise, as the bit set of
 * struct mj_write_opts: row percents in a cross-tab, else of the total
 * (mj_table_default_percent()). */
unsigned mj_run_percents(const struct mj_table *t);

/* Parses --percent's comma list (total, valid, row, col, cum, none) into
 * the bit set of struct mj_write_opts and whether a cumulative percent is
 * added; returns 0, or -1 for a word it does not know. */
int mj_run_percent_list(const char *arg, unsigned *percents, int *cumulative);

/* Whether the statistics options ask for anything, or the inputs left
 * notes to print beside the tables. */
int mj_run_wants_statistics(const struct mj_run *run);

/* Computes s for one table t made by spec with ro (the run's options):
 * what so asks, the test only when t is a cross-tab; percents as in
 * mj_run_statistics(). A comparison tabulates files (nfiles of them)
 * again over the compared period; with none it is left out. The one rule
 * for every table's statistics, the run's and the report's. */
enum mj_status mj_run_table_statistics(struct mj_stats *s, const struct mj_table *t,
				       const struct mj_stats_opts *so, long percents,
				       const struct mj_run_opts *ro,
				       const struct mj_tab_spec *spec,
				       const char *const *files, size_t nfiles,
				       struct mj_error *err);

/* Computes run->stats for every table: what stats_opts asks (the test only
 * for cross-tabs; a comparison tabulates the inputs again over the
 * compared period), with the inputs' notes. percents: the bit set of the
 * percents shown, the same for every table, or -1 for mj_run_percents()
 * of each. A test that does not apply to a table leaves its reason in the
 * table's test_problem; a test asked of tables none of which is a
 * cross-tab is refused. */
enum mj_status mj_run_statistics(struct mj_run *run, long percents,
				 struct mj_error *err);

/* What the cells of the run's first table show (mj-tab): show (--show
 * LIST), percent (--percent LIST) or, when neither is given,
 * mj_run_percents(); giving both is refused. Sets wo's percents,
 * cumulative, show and stats, computing the statistics
 * (mj_run_statistics()) of the percents shown, and checks show against
 * the table and its statistics columns. Returns MJ_OK or MJ_E_USAGE. */
enum mj_status mj_run_shown(struct mj_run *run, const char *show, const char *percent,
			    struct mj_write_opts *wo, struct mj_error *err);

/* The exit status of a run that ended with st (see mj_exit_status()):
 * 0 when every row was counted, 1 when rows were rejected or a row
 * stopped a --strict run, 2 for usage and I/O errors. */
int mj_run_exit_status(const struct mj_run *run, enum mj_status st);

#endif
