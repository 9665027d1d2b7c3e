/* What the programs in cmd/ share, in three small compiled helpers:
 *   cli_start.c    the start and end of every program (descriptors,
 *                  signals, the language of messages, --version, stdout);
 *   cli_options.c  the shared options' tables and help, option values;
 *   cli_run.c      a run as the programs print it (problems, progress,
 *                  standard input, statistics' messages, the summary). */
#ifndef MJ_CLI_H
#define MJ_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "i18n.h"
#include "murojaat/error.h"
#include "murojaat/run.h"

/* The options of mj_run_opts_apply() and mj_stats_opts_apply(), ending in
 * a zero entry, and their help for usage(). */
extern const struct option cli_run_options[];
extern const char *const cli_run_help;
extern const struct option cli_stats_options[];
extern const char *const cli_stats_help;

/* Problems of a run, printed up to a cap and counted. */
struct cli_problems {
	const char *prog;
	unsigned long max;      /* print at most this many (0: no limit) */
	unsigned long printed, hidden, notes;
	int quiet_notes;
	int progress; /* the percent cli_on_progress() last showed, plus 1 */
	/* The last problem that stopped a file, so that the program does not
	 * print it again when the run fails with it. */
	int fatal_seen;
	struct mj_error last_fatal;
};

/* Appends to the option table (cap entries, kept ending in a zero entry)
 * the options of list: count of them, or when count is 0 those up to the
 * first without a name; keep (may be NULL) chooses by name. Returns -1
 * when the table would overflow. */
int cli_add_options(struct option *table, size_t cap,
		    const struct option *list, size_t count,
		    int (*keep)(const char *name));

/* The option table of a program (cap entries): its own options (nown of
 * them), then the shared run options that keep_run chooses and the
 * statistics options that keep_stats chooses (NULL: all; with stats 0:
 * none of them). */
void cli_make_options(struct option *table, size_t cap,
		      const struct option *own, size_t nown,
		      int (*keep_run)(const char *name), int stats,
		      int (*keep_stats)(const char *name));

/* Prints "PROG (murojaat) VERSION" for --version; returns the exit status. */
int cli_version(const char *prog);

/* The width a text table should fit: $COLUMNS, else the terminal's when
 * standard output is one; 0 (no limit) for a pipe or a file. */
size_t cli_text_width(void);
/* Joins "--test WORD" into "--test=WORD" in argv when WORD is chi2,
 * props, chi2,props or props,chi2 and the option table takes --test with
 * an optional value (getopt_long reads one only when joined), so that
 * every program that takes --test reads the same forms. Before "--" only.
 * Returns the new argc. */
int cli_test_word(const struct option *table, int argc, char **argv);

/* mj-xlsx --date: 0 for a YYYY-MM-DD date, else says why not and returns -1. */
int cli_date(const char *prog, const char *arg);

/* mj-tab --format: sets *format from its name, or says why not and
 * returns -1. */
int cli_format(const char *prog, const char *arg, enum mj_format *format);

/* Parses a whole number in lo..hi; returns 0 on success. */
int cli_number(const char *text, long lo, long hi, long *out);

/* Prints "prog: path:line:col: message". */
void cli_error(const char *prog, const struct mj_error *e);

/* Whether e is the problem that stopped a file, already printed. */
int cli_problem_printed(const struct cli_problems *p, const struct mj_error *e);

/* The on_problem callback of struct mj_run_opts (ctx: struct cli_problems):
 * prints a problem, or counts it once the cap is reached. */
void cli_on_problem(void *ctx, const struct mj_error *e, int fatal);

/* The on_progress callback of struct mj_run_opts (ctx: struct
 * cli_problems): on a terminal, the share of the current file read. */
void cli_on_progress(void *ctx, unsigned long long done, unsigned long long total);
/* Clears the progress shown, if any. */
void cli_progress_end(const struct cli_problems *p);

/* Says that input is awaited when the user gave no file at a terminal. */
void cli_stdin_hint(const char *prog, size_t nfiles);

/* Refuses (prints why and returns -1) standard input ("-") named more than
 * once among the lists (each a count and its names; nothing names it once
 * when first is empty), and says that it is awaited at a terminal. */
int cli_stdin_once(const char *prog, const char *const *first, size_t nfirst,
		   const char *const *second, size_t nsecond);

/* Checks that everything written to stdout reached it. */
int cli_close_stdout(const char *prog);

/* What every program does first. Descriptors 0-2 that are closed are
 * opened on /dev/null, the wrong way round (0 for writing, 1 and 2 for
 * reading) so that using one fails as it would have when closed, while
 * no file the program opens can take its number (an output file opened as
 * descriptor 2 would get the diagnostics). Then SIGINT, SIGTERM, SIGHUP,
 * SIGPIPE and SIGXFSZ (ulimit -f) remove the temporaries of the run before
 * ending it; a signal ignored when the program started stays ignored.
 * Messages then speak the locale's language, or that of --lang LANG (or
 * --lang=LANG) among the arguments before "--". */
void cli_start(const char *prog, int argc, char **argv);

/* Refuses (prints why and returns -1) an output that is one of the inputs
 * (files, "-" or none for standard input); see mj_outfile_check_inputs(). */
int cli_refuse_input(const char *prog, const char *output,
		     const char *const *files, size_t nfiles);

/* Parses --max-errors N into *max; prints why and returns -1 for a bad N. */
int cli_max_errors(const char *prog, const char *arg, long *max);

/* A program's run (murojaat/run.h) and how its problems are printed. */
struct cli_run {
	struct mj_run run;
	struct cli_problems problems;
	int nest_cols; /* --cols may name several dimensions (mj-tab) */
};

/* An empty run of prog that prints its problems through cli_on_problem(),
 * at most 20 unless told otherwise. */
void cli_run_init(struct cli_run *r, const char *prog);

/* Applies a shared option (enum mj_run_option, enum mj_stats_option),
 * with --by and --cols as the program takes them (with run.many, each --by
 * makes a table and --cols goes with the --by before it). Returns 0, or -1 after
 * printing why (exit status 2). */
int cli_run_option(struct cli_run *r, int opt, const char *arg);

/* Tabulates files with r's options (mj_run_tabulate()). Returns 0, or
 * the exit status after printing what the library did not print already. */
int cli_run_tabulate(struct cli_run *r, const char *const *files, size_t nfiles);

/* Checks the options that go together (mj_run_check()); returns 0, or -1
 * after printing why. */
int cli_run_check(const struct cli_run *r);

/* Computes every table's statistics (mj_run_statistics()) and says why a
 * test was not computed (cli_run_test_problems()). Returns 0, or -1 after
 * printing why. */
int cli_run_statistics(struct cli_run *r, long percents, int titles);

/* Says why a test was not computed, for each table where it was not (with
 * the table's title when titles is set). */
void cli_run_test_problems(const struct cli_run *r, int titles);

/* Reads tables made by mj-tab (mj_run_read_tables()), after saying at a
 * terminal that one is awaited on standard input. Each that cannot be
 * read was printed; a usage error is printed here. */
enum mj_status cli_run_read_tables(struct cli_run *r, const char *const *files,
				   size_t nfiles, int with_stats);

/* After the output: how many problems were not printed, and the line
 * "N rows read, N counted, ..." unless quiet, when rows were rejected or
 * always is set. */
void cli_run_summary(const struct cli_run *r, int quiet, int always);

/* mj-chart --layer: the run's layers as small multiples into output. */
struct mj_chart_opts;
enum mj_status cli_run_draw_layers(const struct cli_run *r, const char *output,
				   const struct mj_chart_opts *co, struct mj_error *err);

/* Writes the chi-square test of each of the run's tables that has one to
 * standard error (CSV and TSV stay tidy), each layer's under its title. */
void cli_run_tests_stderr(const struct cli_run *r);

#endif
