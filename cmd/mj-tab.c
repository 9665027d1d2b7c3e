/* mj-tab: tabulate appeal records — frequencies, nested groups and
 * cross-tabs with percents and totals, as text, CSV, TSV, JSON or Markdown. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"

static const char *prog = "mj-tab";

enum { OPT_FORMAT = 2000, OPT_PERCENT, OPT_DECIMALS, OPT_ROUND, OPT_EXCEL,
       OPT_QUIET, OPT_MAX_ERRORS, OPT_HELP, OPT_VERSION, OPT_SHOW, OPT_LAYOUT,
       OPT_LAYER };

static const struct option own_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"percent", required_argument, NULL, OPT_PERCENT},
	{"show", required_argument, NULL, OPT_SHOW},
	{"layout", required_argument, NULL, OPT_LAYOUT},
	{"layer", required_argument, NULL, OPT_LAYER},
	{"decimals", required_argument, NULL, OPT_DECIMALS},
	{"round", required_argument, NULL, OPT_ROUND},
	{"excel", no_argument, NULL, OPT_EXCEL},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: mj-tab --by DIM[,DIM...] [--cols DIM[,DIM...]] [--layer DIM] [options]\n"
		"              [FILE...]\n"
		"Tabulate appeal records: counts, percents and totals by the schema's\n"
		"dimensions. FILE is a CSV of records, or a table written by mj-tab (tables\n"
		"are summed: see TABLES AS INPUTS in mj-tab(1)); '-' or none reads standard input.\n\n"
		"%s"
		"%s"
		"Layers:\n"
		"  --layer DIM           one table per category of DIM, then over all (text:\n"
		"                        one after another; CSV, TSV: DIM_code and DIM\n"
		"                        columns first; JSON: an array of tables)\n"
		"Output:\n"
		"  --format text|csv|tsv|json|md   default text on a terminal, csv in a pipe\n"
		"  --percent LIST        total, valid, cum, row, col or none (comma list;\n"
		"                        default total, row for a cross-tab)\n"
		"  --show LIST           what each cell shows, in this order: count (or sum),\n"
		"                        total%%, row%%, col%%, valid%%, cum%% and statistics\n"
		"                        columns (ci_low, ...); e.g. --show row%% for percents only\n"
		"  --decimals N          digits after the point in percents (default 1)\n"
		"  --round honest|largest  round each percent, or make them add to 100\n"
		"  --excel               CSV for Excel: BOM, ';' and decimal commas (wide)\n"
		"  --layout wide|long    CSV and TSV as the grid on screen, or one line per\n"
		"                        cell (default long; wide with --excel)\n"
		"  --max-errors N        print at most N problems (default 20)\n"
		"  --quiet               no notes or summary on standard error\n"
		"  --help, --version\n\n"
		"Exit status: 0 all rows counted, 1 rows rejected, 2 usage or I/O error.\n"
		"Example: mj-tab --by place,relationship samples/appeals-2023.csv\n"
		"         mj-tab --by region --cols violence --test samples/appeals-2023.csv\n"),
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
	r.nest_cols = 1;
	struct mj_run *run = &r.run;
	struct mj_write_opts wo;
	mj_write_opts_init(&wo, NULL);
	const char *percent_arg = NULL, *show_arg = NULL;
	int format_set = 0, quiet = 0, layout = -1, status = 2;
	long max_errors = 20, num;
	struct mj_error err;
	mj_error_clear(&err);
	int c;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (cli_format(prog, optarg, &wo.format) != 0)
				goto done;
			format_set = 1;
			break;
		case OPT_PERCENT:
			percent_arg = optarg;
			break;
		case OPT_SHOW:
			show_arg = optarg;
			break;
		case OPT_LAYER:
			run->layer = optarg;
			break;
		case OPT_LAYOUT:
			if (strcmp(optarg, "wide") != 0 && strcmp(optarg, "long") != 0) {
				fprintf(stderr, _("%s: --layout: expected wide or long, got \"%s\"\n"), prog, optarg);
				goto done;
			}
			layout = strcmp(optarg, "wide") == 0;
			break;
		case OPT_DECIMALS:
			if (cli_number(optarg, 0, 6, &num) != 0) {
				fprintf(stderr, _("%s: --decimals: expected 0-6, got \"%s\"\n"), prog, optarg);
				goto done;
			}
			wo.decimals = (int)num;
			break;
		case OPT_ROUND:
			if (strcmp(optarg, "largest") != 0 && strcmp(optarg, "honest") != 0) {
				fprintf(stderr, _("%s: --round: expected honest or largest, got \"%s\"\n"), prog, optarg);
				goto done;
			}
			wo.round_largest = strcmp(optarg, "largest") == 0;
			break;
		case OPT_EXCEL:
			wo.excel = 1;
			if (!format_set)
				wo.format = MJ_FMT_CSV;
			format_set = 1;
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
			fprintf(stderr, _("Try 'mj-tab --help'.\n"));
			goto done;
		default:
			if (cli_run_option(&r, c, optarg) != 0)
				goto done;
		}
	}
	const struct mj_tab_spec *spec = &run->specs[0];
	if (!spec->by) {
		fprintf(stderr, _("%s: say what to count with --by DIMENSION (e.g. --by region); see --help\n"), prog);
		goto done;
	}
	if (cli_run_check(&r) != 0)
		goto done;
	if (!format_set)
		wo.format = isatty(1) ? MJ_FMT_TEXT : MJ_FMT_CSV;
	wo.wide = layout < 0 ? wo.excel : layout;
	wo.width = cli_text_width();
	r.problems.max = (unsigned long)max_errors;
	r.problems.quiet_notes = quiet;
	if ((status = cli_run_tabulate(&r, (const char *const *)argv + optind,
				       (size_t)(argc - optind))) != 0)
		goto done;
	status = 2;
	const struct mj_table *table = run->tables[0];
	if (mj_run_shown(run, show_arg, percent_arg, &wo, &err) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	cli_run_test_problems(&r, 0);
	enum mj_status st = run->layers ? mj_layers_write(stdout, run->layers, &wo, run->stats, &err)
				       : mj_table_write(stdout, table, &wo, &err);
	/* CSV and TSV stay tidy: the test goes to standard error. */
	if (wo.format == MJ_FMT_CSV || wo.format == MJ_FMT_TSV)
		cli_run_tests_stderr(&r);
	if (st != MJ_OK)
		fprintf(stderr, _("%s: error writing the table: %s\n"), prog, err.message);
	cli_run_summary(&r, quiet, wo.format == MJ_FMT_CSV || wo.format == MJ_FMT_TSV);
	status = st != MJ_OK ? 2 : mj_run_exit_status(run, MJ_OK);
	/* A failed write was said once already. */
	if (st != MJ_OK)
		fclose(stdout);
	else if (cli_close_stdout(prog) != 0)
		status = 2;
done:
	mj_run_free(run);
	return status;
}
