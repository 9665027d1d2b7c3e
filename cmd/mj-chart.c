/* mj-chart: draw a chart (bar, hbar, stacked, pie, donut, line, sunburst,
 * map) of a table made by mj-tab, or of records tabulated on the spot, as
 * PNG, SVG or PDF. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/chart.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"
#include "murojaat/tabsum.h"

static const char *prog = "mj-chart";

enum { OPT_OUTPUT = 'o', OPT_WIDTH = 2000, OPT_HEIGHT, OPT_SCALE, OPT_TITLE,
       OPT_SUBTITLE, OPT_NOTE, OPT_PERCENT, OPT_QUIET, OPT_HELP,
       OPT_VERSION };

static const struct option own_options[] = {
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"width", required_argument, NULL, OPT_WIDTH},
	{"height", required_argument, NULL, OPT_HEIGHT},
	{"scale", required_argument, NULL, OPT_SCALE},
	{"title", required_argument, NULL, OPT_TITLE},
	{"subtitle", required_argument, NULL, OPT_SUBTITLE},
	{"note", required_argument, NULL, OPT_NOTE},
	{"percent", no_argument, NULL, OPT_PERCENT},
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

/* A size or scale option: a finite number in lo..hi. */
static int size_option(const char *name, const char *text, double lo,
		       double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v < lo || v > hi) {
		fprintf(stderr, _("%s: --%s: expected a number from %g to %g, got \"%s\"\n"),
			prog, name, lo, hi, text);
		return -1;
	}
	*out = v;
	return 0;
}

/* The value getopt_long returns for the shared option name. */
static int shared_option(const char *name)
{
	for (const struct option *o = cli_run_options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->val;
	return -1;
}

/* Read the one table of table mode, with the statistics beside it. */
static struct mj_table *read_table(const char *path, struct mj_stats *sx,
				   struct mj_error *err)
{
	if (!path || strcmp(path, "-") == 0)
		return mj_table_read_stats(stdin, "<stdin>", sx, err);
	FILE *f = fopen(path, "rb");
	if (!f) {
		mj_stats_init(sx);
		mj_error_set(err, MJ_E_IO, path, 0, 0, "cannot open: %s",
			     strerror(errno));
		return NULL;
	}
	struct mj_table *t = mj_table_read_stats(f, path, sx, err);
	fclose(f);
	return t;
}

/* The statistics options a chart draws: not --test or --compare. */
static int drawn_stat(const char *name)
{
	return strcmp(name, "test") != 0 && strcmp(name, "compare") != 0;
}

/* In sanitizer builds the library tells LeakSanitizer that fontconfig's
 * process-long caches are not leaks; the sanitizer reads its options before
 * the library is loaded, so the program asks here that it not list them
 * on standard error. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

int main(int argc, char **argv)
{
	cli_start(prog);
	cli_i18n_lang(argc, argv);
	struct option options[64] = {{0}};
	cli_add_options(options, 64, cli_run_options, 0, NULL);
	cli_add_options(options, 64, cli_stats_options, 0, drawn_stat);
	if (cli_add_options(options, 64, own_options,
			    sizeof own_options / sizeof own_options[0], NULL) != 0)
		abort(); /* the table above is sized for every option */

	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	struct mj_tab_spec spec = {0};
	struct mj_schema *schema = NULL;
	struct mj_chart_opts co;
	mj_chart_opts_init(&co);
	struct mj_stats_opts so;
	mj_stats_opts_init(&so);
	struct mj_stats sx;
	mj_stats_init(&sx);
	const char *output = NULL;
	int quiet = 0, lang_set = 0, status = 2;
	int opt_lang = shared_option("lang");
	struct mj_error err;
	mj_error_clear(&err);
	struct mj_table *table = NULL;
	struct mj_tabsum_info inputs = {0};
	int c;
	/* "+" would stop at TYPE; TYPE is found among the operands instead,
	 * so options may come before or after it. */
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_WIDTH:
			if (size_option("width", optarg, 100, 20000, &co.width))
				goto done;
			break;
		case OPT_HEIGHT:
			if (size_option("height", optarg, 100, 20000, &co.height))
				goto done;
			break;
		case OPT_SCALE:
			if (size_option("scale", optarg, 0.25, 8, &co.scale))
				goto done;
			break;
		case OPT_TITLE:
			co.title = optarg;
			break;
		case OPT_SUBTITLE:
			co.subtitle = optarg;
			break;
		case OPT_NOTE:
			co.note = optarg;
			break;
		case OPT_PERCENT:
			co.percent = 1;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case OPT_HELP:
			usage(stdout);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto done;
		case OPT_VERSION:
			printf("mj-chart (murojaat) %s\n", MJ_VERSION);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto done;
		case '?':
			fprintf(stderr, _("Try 'mj-chart --help'.\n"));
			goto done;
		default:
			if (mj_stats_option(c)) {
				if (mj_stats_opts_apply(&so, c, optarg, &err) != MJ_OK) {
					cli_error(prog, &err);
					goto done;
				}
				break;
			}
			if (mj_run_opts_apply(&ro, &spec, c, optarg, &schema,
					      &err) != MJ_OK) {
				cli_error(prog, &err);
				goto done;
			}
			lang_set |= c == opt_lang;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, _("%s: say which chart: bar, hbar, stacked, pie, donut, line, sunburst or map; see --help\n"),
			prog);
		goto done;
	}
	int type = mj_chart_type_parse(argv[optind]);
	if (type < 0) {
		fprintf(stderr, _("%s: unknown chart type \"%s\"; expected bar, hbar, stacked, pie, donut, line, sunburst or map\n"),
			prog, argv[optind]);
		goto done;
	}
	co.type = (enum mj_chart_type)type;
	optind++;
	if (!output) {
		fprintf(stderr, _("%s: say where to write the chart with -o FILE (.png, .svg or .pdf)\n"),
			prog);
		goto done;
	}
	if (mj_chart_format_for(output) < 0) {
		fprintf(stderr, _("%s: %s: cannot tell the format from the name; use .png, .svg or .pdf\n"),
			prog, output);
		goto done;
	}
	if (!schema) {
		schema = mj_schema_default(&err);
		if (!schema) {
			cli_error(prog, &err);
			goto done;
		}
	}
	if (so.rate_per > 0 && co.percent) {
		fprintf(stderr, _("%s: --percent and --rate-per: a chart shows percents or rates, not both\n"),
			prog);
		goto done;
	}
	if (so.ci_level > 0 && !quiet) {
		/* Whiskers belong to bars of counts; elsewhere they are left out,
		 * which is no reason to fail a script. */
		if (co.type != MJ_CHART_BAR && co.type != MJ_CHART_HBAR)
			fprintf(stderr, _("%s: note: --ci: a %s chart draws no intervals; ignored\n"),
				prog, mj_chart_type_name(co.type));
		else if (so.rate_per > 0)
			fprintf(stderr, _("%s: note: --ci: intervals are of percents, and a chart of rates draws none; ignored\n"),
				prog);
	}
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	if (cli_refuse_input(prog, output, files, nfiles) != 0)
		goto done;
	if (spec.cols && strchr(spec.cols, ',')) {
		fprintf(stderr, "%s: --cols takes one dimension here; mj-tab nests columns\n", prog);
		goto done;
	}
	if (spec.by && mj_stats_opts_check(&so, &err) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	if (!spec.by && so.population) {
		fprintf(stderr, _("%s: --population goes with records (--by); a table from mj-tab carries its rates: make it with mj-tab --rate-per N --population FILE and draw it with --rate-per N\n"),
			prog);
		goto done;
	}
	co.ci_level = so.ci_level;
	co.ci_method = (int)so.ci_method;
	co.rates = so.rate_per > 0;
	co.rate_per = so.rate_per;
	co.stats = &sx;
	cli_stdin_hint(prog, nfiles);
	struct mj_run_stats stats = {0};
	if (spec.by) {
		/* Records: tabulate with the options every program shares. */
		struct cli_problems problems = {.prog = prog, .max = 20,
						.quiet_notes = quiet};
		ro.on_problem = cli_on_problem;
		ro.ctx = &problems;
		ro.schema = schema;
		enum mj_status st = mj_tabsum(&ro, files, nfiles, &spec, 1,
					      &table, &stats, &inputs, &err);
		if (st != MJ_OK) {
			if (err.path[0] == '\0' || st == MJ_E_USAGE)
				cli_error(prog, &err);
			status = mj_exit_status(st, ro.strict, 0);
			goto done;
		}
		if (problems.hidden)
			fprintf(stderr, _("%s: ... and %lu more problems (mj-check lists them all)\n"),
				prog, problems.hidden);
		/* The statistics the chart draws, as mj-tab computes them: of
		 * the row percents in a cross-tab, of the total otherwise. */
		struct mj_stats_opts drawn = so;
		if (co.type != MJ_CHART_BAR && co.type != MJ_CHART_HBAR)
			drawn.ci_level = 0;
		unsigned percents = 1u << mj_table_default_percent(table);
		if (mj_stats_compute(&sx, table, &drawn, percents, &ro, &spec,
				     files, nfiles, &err) != MJ_OK ||
		    mj_tabsum_notes_add(&inputs, &sx) != MJ_OK) {
			cli_error(prog, &err);
			goto done;
		}
	} else {
		if (nfiles > 1) {
			fprintf(stderr, _("%s: give one table (or records with --by)\n"),
				prog);
			goto done;
		}
		table = read_table(nfiles ? files[0] : NULL, &sx, &err);
		if (!table) {
			cli_error(prog, &err);
			goto done;
		}
		/* The shared options that apply to a table made elsewhere. */
		if (lang_set)
			co.lang = (int)ro.lang;
		co.min_cell = ro.min_cell;
	}
	if (mj_chart_write(output, table, schema, &co, &err) != MJ_OK) {
		cli_error(prog, &err);
		goto done;
	}
	if (!quiet && stats.rejected)
		fprintf(stderr, _("%s: %llu rows read, %llu counted, %llu outside the filters, %llu rejected\n"),
			prog, stats.read, stats.counted, stats.excluded,
			stats.rejected);
	status = mj_exit_status(MJ_OK, ro.strict, stats.rejected);
done:
	mj_stats_free(&sx);
	mj_tabsum_info_free(&inputs);
	mj_table_destroy(table);
	mj_schema_destroy(schema);
	return status;
}
