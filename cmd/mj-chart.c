/* mj-chart: draw a chart (bar, hbar, stacked, pie, donut, line, sunburst,
 * map) of a table made by mj-tab, or of records tabulated on the spot, as
 * PNG, SVG or PDF. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/chart.h"
#include "murojaat/stats.h"

static const char *prog = "mj-chart";

enum { OPT_OUTPUT = 'o', OPT_QUIET = 2000, OPT_HELP, OPT_VERSION, OPT_LAYER };

static const struct option own_options[] = {
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"width", required_argument, NULL, MJ_OPT_WIDTH},
	{"height", required_argument, NULL, MJ_OPT_HEIGHT},
	{"scale", required_argument, NULL, MJ_OPT_SCALE},
	{"title", required_argument, NULL, MJ_OPT_TITLE},
	{"subtitle", required_argument, NULL, MJ_OPT_SUBTITLE},
	{"note", required_argument, NULL, MJ_OPT_NOTE},
	{"percent", no_argument, NULL, MJ_OPT_CHART_PERCENT},
	{"layer", required_argument, NULL, OPT_LAYER},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: mj-chart TYPE -o FILE [options] [TABLE]\n"
		"       mj-chart TYPE -o FILE --by DIM[,DIM] [--cols DIM] [options] [RECORDS...]\n"
		"Draw a chart of a table made by mj-tab (CSV, TSV or JSON; '-' or none\n"
		"reads standard input), or of records counted with --by and --cols.\n"
		"TYPE is bar, hbar, stacked, pie, donut, line, sunburst or map (bar and\n"
		"hbar draw a cross-tab as groups of bars). FILE ends in .png, .svg or .pdf.\n\n"
		"Chart:\n"
		"  -o, --output FILE     the chart file (required)\n"
		"  --width W             width in pixels (PNG) or points (default 1200)\n"
		"  --height H            height (default 750)\n"
		"  --scale S             PNG pixels per unit, for sharp images (default 2)\n"
		"  --title T             title (default: the table's)\n"
		"  --subtitle S          subtitle (default: what was counted, period, n, filters)\n"
		"  --note N              note at the bottom (default: source and n)\n"
		"  --layer DIM           with --by: small multiples, a panel per category of\n"
		"                        DIM and one over all, on one scale\n"
		"  --percent             stacked: 100%% bars; map: shade by percent\n"
		"  --ci LEVEL            bar, hbar: whiskers of the LEVEL%% confidence interval\n"
		"                        of each bar (e.g. 95; 50-99.9), in the bar's units\n"
		"  --ci-method wilson|exact   Wilson score (default) or Clopper-Pearson\n"
		"  --rate-per N          bar, hbar, map: rates per N people instead of counts\n"
		"  --population FILE     with --by: CSV of dimension column(s) and population\n"
		"  --quiet               no notes or summary on standard error\n"
		"  --help, --version\n\n"
		"Records (with --by) and the table's look:\n"
		"%s\n"
		"With a table, --lang relabels it from the schema and --min-cell\n"
		"suppresses its small counts. A table made with mj-tab --ci carries its\n"
		"intervals: --ci must name their level and method (else whiskers are\n"
		"computed from the counts); one made with --rate-per N --population FILE\n"
		"carries its rates: draw them with --rate-per N (no --population).\n"
		"Intervals need counts; rates are not drawn with whiskers. --ci is ignored\n"
		"with a note by other types; stacked, pie, donut, sunburst and line refuse\n"
		"rates. mj-tab's --test and --compare are not drawn and not taken here.\n\n"
		"Exit status: 0 chart written, 1 records rejected (chart written),\n"
		"2 usage, data that does not fit the chart, or I/O error.\n"
		"Example: mj-tab --by region samples/appeals-2023.csv | mj-chart hbar -o regions.png\n"
		"         mj-chart hbar --ci 95 --by region -o regions-ci.png samples/appeals-2023.csv\n"
		"         mj-tab --by region --ci 95 --format csv samples/appeals-2023.csv |\n"
		"             mj-chart hbar --ci 95 -o regions-ci.png\n"),
		_(cli_run_help));
}

/* The statistics options a chart draws: not --test or --compare. */
static int drawn_stat(const char *name)
{
	return strcmp(name, "test") != 0 && strcmp(name, "compare") != 0;
}

int main(int argc, char **argv)
{
	cli_start(prog, argc, argv);
	struct option options[64];
	cli_make_options(options, 64, own_options, sizeof own_options / sizeof own_options[0],
			 NULL, 1, drawn_stat);
	argc = cli_test_word(options, argc, argv);
	struct cli_run r;
	cli_run_init(&r, prog);
	struct mj_run *run = &r.run;
	const struct mj_stats_opts *so = &run->stats_opts;
	struct mj_chart_opts co;
	mj_chart_opts_init(&co);
	const char *output = NULL;
	int quiet = 0, status = 2;
	struct mj_error err;
	mj_error_clear(&err);
	int c;
	/* "+" would stop at TYPE; TYPE is found among the operands instead,
	 * so options may come before or after it. */
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case OPT_LAYER:
			run->layer = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto done;
		case OPT_VERSION:
			status = cli_version(prog);
			goto done;
		case '?':
			fprintf(stderr, _("Try 'mj-chart --help'.\n"));
			goto done;
		default:
			if (mj_chart_option(c) && mj_chart_opts_apply(&co, c, optarg, &err) != MJ_OK) {
				cli_error(prog, &err);
				goto done;
			}
			if (!mj_chart_option(c) && cli_run_option(&r, c, optarg) != 0)
				goto done;
		}
	}
	const char *type = optind < argc ? argv[optind++] : NULL;
	int records = run->nspecs > 0 && run->specs[0].by;
	if (mj_chart_opts_setup(&co, type, output, so, records, &err) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	if (!run->schema && !(run->opts.schema = run->schema = mj_schema_default(&err))) {
		cli_error(prog, &err);
		goto done;
	}
	if (so->ci_level > 0 && !quiet) {
		/* Whiskers belong to bars of counts; elsewhere they are left out,
		 * which is no reason to fail a script. */
		if (co.type != MJ_CHART_BAR && co.type != MJ_CHART_HBAR)
			fprintf(stderr, _("%s: note: --ci: a %s chart draws no intervals; ignored\n"),
				prog, mj_chart_type_name(co.type));
		else if (so->rate_per > 0)
			fprintf(stderr, _("%s: note: --ci: intervals are of percents, and a chart of rates draws none; ignored\n"),
				prog);
	}
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	if (cli_refuse_input(prog, output, files, nfiles) != 0)
		goto done;
	if ((records || run->layer) && cli_run_check(&r) != 0)
		goto done;
	r.problems.quiet_notes = quiet;
	if (records) {
		/* Records: tabulate, and compute the statistics the chart draws
		 * as mj-tab computes them. */
		if ((status = cli_run_tabulate(&r, files, nfiles)) != 0)
			goto done;
		status = 2;
		if (co.type != MJ_CHART_BAR && co.type != MJ_CHART_HBAR)
			run->stats_opts.ci_level = 0;
		if (cli_run_statistics(&r, -1, 0) != 0)
			goto done;
	} else {
		if (nfiles > 1) {
			fprintf(stderr, _("%s: give one table (or records with --by)\n"),
				prog);
			goto done;
		}
		/* A table that cannot be read was printed. */
		if (cli_run_read_tables(&r, files, nfiles, 1) != MJ_OK)
			goto done;
		/* The shared options that apply to a table made elsewhere. */
		if (run->lang_set)
			co.lang = (int)run->opts.lang;
		co.min_cell = run->opts.min_cell;
	}
	co.stats = &run->stats[0];
	if ((run->layers ? cli_run_draw_layers(&r, output, &co, &err)
			 : mj_chart_write(output, run->tables[0], run->schema, &co, &err)) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	cli_run_summary(&r, quiet, 0);
	status = mj_run_exit_status(run, MJ_OK);
done:
	mj_run_free(run);
	return status;
}
