/* What the programs in cmd/ share (cmd/cli.c): the names of the shared
 * options for getopt_long, problem printing, number options, and the
 * start of every run. */
#ifndef MJ_CLI_H
#define MJ_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "i18n.h"
#include "murojaat/error.h"

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

/* Parses a whole number in lo..hi; returns 0 on success. */
int cli_number(const char *text, long lo, long hi, long *out);

/* Prints "prog: path:line:col: message". */
void cli_error(const char *prog, const struct mj_error *e);

/* Whether e is the problem that stopped a file, already printed. */
int cli_problem_printed(const struct cli_problems *p, const struct mj_error *e);

/* The on_problem callback of struct mj_run_opts (ctx: struct cli_problems):
 * prints a problem, or counts it once the cap is reached. */
void cli_on_problem(void *ctx, const struct mj_error *e, int fatal);

/* Says that input is awaited when the user gave no file at a terminal. */
void cli_stdin_hint(const char *prog, size_t nfiles);

/* Checks that everything written to stdout reached it. */
int cli_close_stdout(const char *prog);

/* What every program does first. Descriptors 0-2 that are closed are
 * opened on /dev/null, the wrong way round (0 for writing, 1 and 2 for
 * reading) so that using one fails as it would have when closed, while
 * no file the program opens can take its number (an output file opened as
 * descriptor 2 would get the diagnostics). Then SIGINT, SIGTERM, SIGHUP,
 * SIGPIPE and SIGXFSZ (ulimit -f) remove the temporaries of the run before
 * ending it; a signal ignored when the program started stays ignored. */
void cli_start(const char *prog);

/* Refuses (prints why and returns -1) an output that is one of the inputs
 * (files, "-" or none for standard input); see mj_outfile_check_inputs(). */
int cli_refuse_input(const char *prog, const char *output,
		     const char *const *files, size_t nfiles);

#endif
