/* mj-xlsx: an Excel workbook, one sheet per table, from tables made by
 * mj-tab or straight from records with repeated --by. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"
#include "murojaat/xlsx.h"

static const char *prog = "mj-xlsx";

enum { OPT_OUTPUT = 'o', OPT_DATE = 2000, OPT_NO_CHARTS, OPT_QUIET,
       OPT_MAX_ERRORS, OPT_HELP, OPT_VERSION, OPT_LAYER, OPT_SHOW };

static const struct option own_options[] = {
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"date", required_argument, NULL, OPT_DATE},
	{"no-charts", no_argument, NULL, OPT_NO_CHARTS},
	{"layer", required_argument, NULL, OPT_LAYER},
	{"show", required_argument, NULL, OPT_SHOW},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: mj-xlsx -o FILE.xlsx [--lang L] [--min-cell N] [--date D] [TABLE...]\n"
		"       mj-xlsx -o FILE.xlsx --by SPEC [--cols DIM] [--by SPEC...] [options] [RECORDS...]\n"
		"Write an Excel workbook: one sheet per table, with percents and totals as\n"
		"formulas, a native chart beside each table and an About sheet. Without\n"
		"--by, each TABLE is a table written by mj-tab (CSV, TSV or JSON); with\n"
		"--by, the RECORDS are tabulated, one table per --by. '-' or no file\n"
		"reads standard input.\n\n"
		"Workbook:\n"
		"  -o, --output FILE     the workbook to write ('-' for standard output)\n"
		"  --date YYYY-MM-DD     document date (default: end of the period counted)\n"
		"  --no-charts           no chart beside the tables\n"
		"  --layer DIM           with --by: a sheet per category of DIM for each\n"
		"                        table, then the sheet over all, named by the category\n"
		"  --show LIST           what the cells show, in this order, as mj-tab's\n"
		"                        --show: count (or sum), total%%, row%%, col%%, valid%%,\n"
		"                        cum%% (a one-way table: a column each; a cross-tab: a\n"
		"                        block of rows each); e.g. --show row%% for percents\n"
		"                        only, as formulas over the counts\n"
		"  --max-errors N        print at most N problems (default 20)\n"
		"  --quiet               no notes or summary on standard error\n"
		"  --help, --version\n\n"
		"%s\n"
		"%s"
		"Statistics go beside each table: intervals beside its percents, the\n"
		"compared counts, change and rates beside its counts (change, percent\n"
		"change and rates as formulas), notes and the chi-square test of a\n"
		"cross-tab in rows under it, and on the About sheet what was computed.\n"
		"--test applies to the --by ... --cols tables; --compare needs --by, a\n"
		"--period and records (it reads them twice; piped records from a copy).\n\n"
		"With tables, --lang relabels them through the schema and --min-cell hides\n"
		"small counts in them.\n\n"
		"Exit status: 0 written, 1 written but rows were rejected, 2 usage or I/O\n"
		"error, or a file refused as a whole (nothing written).\n"
		"Examples:\n"
		"  mj-tab --by region samples/appeals-2023.csv | mj-xlsx -o region.xlsx\n"
		"  mj-xlsx -o stats.xlsx --by region --by region --cols violence --ci 95 \\\n"
		"          --test samples/appeals-2023.csv\n"
		"  mj-xlsx -o august.xlsx --period 2023-08 --compare previous --by region \\\n"
		"          samples/appeals-2023.csv\n"),
		_(cli_run_help), _(cli_stats_help));
}

int main(int argc, char **argv)
{
	cli_start(prog, argc, argv);
	struct option options[64];
	cli_make_options(options, 64, own_options, sizeof own_options / sizeof own_options[0],
			 NULL, 1, NULL);
	argc = cli_test_word(options, argc, argv);
	struct cli_run r;
	cli_run_init(&r, prog);
	r.run.many = 1;
	r.nest_cols = 1;
	struct mj_run *run = &r.run;
	struct mj_xlsx_opts xo;
	mj_xlsx_opts_init(&xo);
	const char *output = NULL;
	int quiet = 0, status = 2;
	long max_errors = 20;
	struct mj_error err;
	mj_error_clear(&err);
	int c;
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_DATE: /* checked now so that no input is read for nothing */
			if (cli_date(prog, optarg) != 0)
				goto done;
			xo.date = optarg;
			break;
		case OPT_NO_CHARTS:
			xo.charts = 0;
			break;
		case OPT_LAYER:
			run->layer = optarg;
			break;
		case OPT_SHOW:
			xo.show = optarg;
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
			fprintf(stderr, _("Try 'mj-xlsx --help'.\n"));
			goto done;
		default:
			if (cli_run_option(&r, c, optarg) != 0)
				goto done;
		}
	}
	if (!output) {
		fprintf(stderr, _("%s: say where the workbook goes with -o FILE.xlsx; see --help\n"),
			prog);
		goto done;
	}
	if (strcmp(output, "-") == 0 && isatty(1)) {
		fprintf(stderr, _("%s: not writing a workbook to a terminal; use -o FILE.xlsx\n"),
			prog);
		goto done;
	}
	if (cli_run_check(&r) != 0)
		goto done;
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	if (cli_refuse_input(prog, output, files, nfiles) != 0)
		goto done;
	xo.program = "mj-xlsx " MJ_VERSION;
	if (!run->schema && !(run->opts.schema = run->schema = mj_schema_default(&err))) {
		cli_error(prog, &err);
		goto done;
	}
	r.problems.max = (unsigned long)max_errors;
	r.problems.quiet_notes = quiet;
	if (run->nspecs > 0) {
		if ((status = cli_run_tabulate(&r, files, nfiles)) != 0)
			goto done;
	} else {
		enum mj_status st = cli_run_read_tables(&r, files, nfiles, 0);
		if (st != MJ_OK && st != MJ_E_USAGE)
			fprintf(stderr, _("%s: %s: not written\n"), prog, output);
		/* A table refused as a whole is an input error, as in mj-tab
		   and mj-chart: 1 is kept for rows rejected from records. */
		if (st != MJ_OK)
			goto done;
	}
	mj_xlsx_opts_from_run(&xo, run, files, nfiles);
	status = 2;
	const struct mj_stats *sxp[MJ_RUN_MAX_TABLES];
	if (mj_run_wants_statistics(run)) {
		if (cli_run_statistics(&r, -1, 1) != 0)
			goto done;
		for (size_t i = 0; i < run->ntables; i++)
			sxp[i] = &run->stats[i];
		xo.stats = sxp;
	}
	if (mj_xlsx_show_check(&xo, run->tables, run->ntables, &err) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	enum mj_status st;
	if (strcmp(output, "-") == 0)
		st = mj_xlsx_write_stream(stdout, "<stdout>", run->tables, run->ntables, &xo, &err);
	else
		st = mj_xlsx_write(output, run->tables, run->ntables, &xo, &err);
	if (st != MJ_OK)
		cli_error(prog, &err);
	cli_run_summary(&r, quiet || st != MJ_OK || run->nspecs == 0, 1);
	status = st != MJ_OK ? 2 : mj_run_exit_status(run, MJ_OK);
	if (strcmp(output, "-") == 0 && cli_close_stdout(prog) != 0)
		status = 2;
done:
	mj_run_free(run);
	return status;
}
