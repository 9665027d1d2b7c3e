/* mj-report: the monthly report in one command — every standard breakdown
 * of the records as a narrative summary, a workbook, charts, a PDF and a
 * web page in one folder, replaced as a whole or not at all. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/report.h"
#include "murojaat/stats.h"

static const char *prog = "mj-report";

enum { OPT_OUTPUT = 'o', OPT_QUIET = 2000, OPT_MAX_ERRORS, OPT_HELP, OPT_VERSION };

static const struct option own_options[] = {
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};

/* Shared options the report takes: not those of breakdowns, which it
 * chooses itself. */
static int not_own_breakdown(const char *name)
{
	return strcmp(name, "by") != 0 && strcmp(name, "cols") != 0 &&
	       strcmp(name, "sum") != 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: mj-report [--period P | --month M] [--compare previous|year|P]\n"
		"                 [--lang L] [--min-cell N] [--quiet] [--strict] [options]\n"
		"                 -o OUTDIR [FILE...]\n"
		"Write the report on appeal records into the folder OUTDIR: summary.md and\n"
		"summary.txt (the narrative), report.xlsx (every table), charts/ (PNG and\n"
		"SVG of every breakdown), report.pdf (A4: key figures, one page per\n"
		"breakdown with its table and chart, method; tagged for screen readers),\n"
		"report.html (the same as one self-contained web page). Every table counts the same\n"
		"records. The folder is built beside OUTDIR and swapped into place only when\n"
		"complete; an existing OUTDIR is replaced only if it holds nothing but a\n"
		"report. FILE is a CSV file or .xlsx workbook of records; '-' or none reads\n"
		"standard input (copied to an unnamed temporary file, as it is read more\n"
		"than once).\n\n"
		"  -o, --output OUTDIR   the report folder (required)\n"
		"  --period P            2023-08, 2023-01..2023-08, 2023-Q2, 2023, or dates\n"
		"  --month M             the same as --period M\n"
		"  --compare previous|year|P   set each count beside the same count in the\n"
		"                        period before (previous), a year before (year) or\n"
		"                        in period P; the summary says the changes\n"
		"                        (\"+8.4%% compared with July 2023\"), the workbook\n"
		"                        and PDF show them\n"
		"  --ci LEVEL            an interval of each percent (e.g. 95) in the PDF's\n"
		"                        tables, the workbook and the bar charts\n"
		"  --ci-method wilson|exact    Wilson score (default) or Clopper-Pearson\n"
		"  --test                Pearson chi-square and Cramer's V under each cross-tab\n"
		"  --rate-per N --population FILE   rates per N people beside the counts\n"
		"                        where FILE has the table's dimension (region...)\n"
		"  --where DIM=V[,V...]  keep records with one of these values (repeatable)\n"
		"  --missing include|exclude   count \"not stated\" as a category (default) or not\n"
		"  --weight COL          add COL (a whole-number column of the schema) per record instead of 1\n"
		"  --strict              stop at the first rejected row; nothing is written\n"
		"  --sort schema|count|label   row order of the tables (default schema)\n"
		"  --top N               the N first rows of each table; the rest as \"Other\"\n"
		"  --hide-empty          drop rows that count zero\n"
		"  --lang en|ru|uz|uz-Cyrl     language of labels and text (default en)\n"
		"  --min-cell N          hide counts 1..N-1 and the cells that would reveal them\n"
		"  --schema FILE         use this schema instead of the built-in one\n"
		"  --encoding utf-8|cp1251|auto   input encoding (default utf-8)\n"
		"  --delimiter C         field separator: , ; tab (default: detected)\n"
		"  --date-order dmy|mdy|ymd   how 01/02/2023 is read (default: from each file)\n"
		"  --sheet NAME|N        workbooks (.xlsx): the sheet to read (default the first)\n"
		"  --header-row N        the row (a text file's line) that names the columns\n"
		"  --threads N           threads for a large file (default: one per core)\n"
		"  --max-errors N        list at most N rejected rows (default 20; 0: all)\n"
		"  --quiet               no progress, notes or closing counts on standard error\n"
		"  --help, --version\n\n"
		"Exit status: 0 report written, all rows counted; 1 report written with rows\n"
		"rejected, or a rejected row under --strict (nothing written); 2 usage or\n"
		"I/O error (a previous OUTDIR is left as it was).\n"
		"Examples:\n"
		"  mj-report --lang ru -o report-2023 samples/appeals-2023.csv\n"
		"  mj-report --month 2023-08 --compare previous -o report-2023-08 samples/appeals-2023.csv\n"));
}

int main(int argc, char **argv)
{
	cli_start(prog, argc, argv);
	struct option options[64];
	cli_make_options(options, 64, own_options, sizeof own_options / sizeof own_options[0],
			 not_own_breakdown, 1, NULL);
	argc = cli_test_word(options, argc, argv);
	struct cli_run r;
	cli_run_init(&r, prog);
	struct mj_run *run = &r.run;
	const char *outdir = NULL;
	int quiet = 0, status = 2;
	long max_errors = 20;
	struct mj_error err;
	mj_error_clear(&err);
	int c;
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_OUTPUT:
			outdir = optarg;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case OPT_MAX_ERRORS:
			if (cli_max_errors(prog, optarg, &max_errors) != 0)
				goto done;
			break;
		case OPT_HELP:
			usage(stdout);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto done;
		case OPT_VERSION:
			status = cli_version(prog);
			goto done;
		case '?':
			fprintf(stderr, _("Try 'mj-report --help'.\n"));
			goto done;
		default:
			if (cli_run_option(&r, c, optarg) != 0)
				goto done;
		}
	}
	if (mj_stats_opts_check(&run->stats_opts, &err) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	if (!outdir) {
		fprintf(stderr, _("%s: name the report folder with -o OUTDIR; see --help\n"), prog);
		goto done;
	}
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	r.problems.max = (unsigned long)max_errors;
	r.problems.quiet_notes = quiet;
	if (!quiet && isatty(2))
		run->opts.on_progress = cli_on_progress;
	struct mj_report_opts opts;
	mj_report_opts_init(&opts, &run->opts);
	opts.program = "mj-report " MJ_VERSION;
	opts.stats = &run->stats_opts;
	if (cli_refuse_input(prog, outdir, files, nfiles) != 0)
		goto done;
	cli_stdin_hint(prog, nfiles);
	struct mj_run_stats *stats = &run->counts;
	enum mj_status st = mj_report_write(outdir, &opts, files, nfiles, stats, &err);
	cli_progress_end(&r.problems);
	if (st != MJ_OK) {
		/* A file that could not be read was reported as it happened. */
		if (!cli_problem_printed(&r.problems, &err))
			cli_error(prog, &err);
		fprintf(stderr, _("%s: no report written%s\n"), prog,
			st == MJ_E_VALUE || st == MJ_E_USAGE ? ""
			: _("; the previous report folder, if any, is unchanged"));
		status = mj_run_exit_status(run, st);
		goto done;
	}
	if (r.problems.hidden)
		fprintf(stderr, _("%s: ... and %lu more rejected rows (mj-check lists them all)\n"),
			prog, r.problems.hidden);
	if (stats->counted == 0)
		fprintf(stderr, _("%s: %s: no records were counted%s; the report says so\n"), prog, outdir,
			run->opts.period || run->opts.nwhere ? _(" in the period and filters given") : "");
	if (!quiet || stats->rejected)
		fprintf(stderr, _("%s: %s: %llu rows read, %llu counted, %llu outside the period or filters, %llu rejected\n"),
			prog, outdir, stats->read, stats->counted, stats->excluded, stats->rejected);
	status = mj_run_exit_status(run, MJ_OK);
	if (cli_close_stdout(prog) != 0)
		status = 2;
done:
	mj_run_free(run);
	return status;
}
