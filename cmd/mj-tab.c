/* mj-tab: tabulate appeal records — frequencies, nested groups and
 * cross-tabs with percents and totals, as text, CSV, TSV, JSON or Markdown. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"
#include "murojaat/tabsum.h"

static const char *prog = "mj-tab";

enum { OPT_FORMAT = 2000, OPT_PERCENT, OPT_DECIMALS, OPT_ROUND, OPT_EXCEL,
       OPT_QUIET, OPT_MAX_ERRORS, OPT_HELP, OPT_VERSION, OPT_SHOW, OPT_LAYOUT };

static const struct option own_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"percent", required_argument, NULL, OPT_PERCENT},
	{"show", required_argument, NULL, OPT_SHOW},
	{"layout", required_argument, NULL, OPT_LAYOUT},
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
		_("usage: mj-tab --by DIM[,DIM...] [--cols DIM[,DIM...]] [options] [FILE...]\n"
		"Tabulate appeal records: counts, percents and totals by the schema's\n"
		"dimensions. FILE is a CSV of records, or a table written by mj-tab (tables\n"
		"are summed: see TABLES AS INPUTS in mj-tab(1)); '-' or none reads standard input.\n\n"
		"%s"
		"%s"
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

/* The width a text table should fit: $COLUMNS, else the terminal's when
 * standard output is one; 0 (no limit) for a pipe or a file. */
static size_t cli_text_width(void)
{
	const char *env = getenv("COLUMNS");
	long n;
	if (env && cli_number(env, 20, 100000, &n) == 0)
		return (size_t)n;
	struct winsize ws;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 0;
}

static int parse_percents(const char *arg, struct mj_write_opts *w)
{
	char *copy = strdup(arg);
	int ok = copy != NULL;
	w->percents = 0;
	w->cumulative = 0;
	for (char *save = NULL, *p = strtok_r(copy, ",", &save); ok && p;
	     p = strtok_r(NULL, ",", &save)) {
		if (strcmp(p, "total") == 0)
			w->percents |= 1u << MJ_PCT_TOTAL;
		else if (strcmp(p, "valid") == 0)
			w->percents |= 1u << MJ_PCT_VALID;
		else if (strcmp(p, "row") == 0)
			w->percents |= 1u << MJ_PCT_ROW;
		else if (strcmp(p, "col") == 0)
			w->percents |= 1u << MJ_PCT_COL;
		else if (strcmp(p, "cum") == 0)
			w->cumulative = 1;
		else if (strcmp(p, "none") != 0)
			ok = 0;
	}
	free(copy);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	cli_start(prog);
	cli_i18n_lang(argc, argv);
	struct option options[64] = {{0}};
	cli_add_options(options, 64, cli_run_options, 0, NULL);
	cli_add_options(options, 64, cli_stats_options, 0, NULL);
	if (cli_add_options(options, 64, own_options,
			    sizeof own_options / sizeof own_options[0], NULL) != 0)
		abort(); /* the table above is sized for every option */

	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	struct mj_tab_spec spec = {0};
	struct mj_schema *schema = NULL;
	struct mj_write_opts wo;
	mj_write_opts_init(&wo, NULL);
	struct mj_stats_opts so;
	mj_stats_opts_init(&so);
	const char *percent_arg = NULL, *show_arg = NULL;
	int format_set = 0, quiet = 0, layout = -1;
	long max_errors = 20, num;
	struct mj_error err;
	mj_error_clear(&err);
	int c;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT: {
			static const char *const names[] = {"text", "csv", "tsv", "json", "md"};
			int found = -1;
			for (int i = 0; i < 5; i++)
				if (strcmp(optarg, names[i]) == 0)
					found = i;
			if (found < 0) {
				fprintf(stderr, _("%s: --format: expected text, csv, tsv, json or md, got \"%s\"\n"),
					prog, optarg);
				return 2;
			}
			wo.format = (enum mj_format)found;
			format_set = 1;
			break;
		}
		case OPT_PERCENT:
			percent_arg = optarg;
			break;
		case OPT_SHOW:
			show_arg = optarg;
			break;
		case OPT_LAYOUT:
			if (strcmp(optarg, "wide") == 0 || strcmp(optarg, "long") == 0) {
				layout = strcmp(optarg, "wide") == 0;
			} else {
				fprintf(stderr, "%s: --layout: expected wide or long, got \"%s\"\n", prog, optarg);
				return 2;
			}
			break;
		case OPT_DECIMALS:
			if (cli_number(optarg, 0, 6, &num) != 0) {
				fprintf(stderr, _("%s: --decimals: expected 0-6, got \"%s\"\n"), prog, optarg);
				return 2;
			}
			wo.decimals = (int)num;
			break;
		case OPT_ROUND:
			if (strcmp(optarg, "largest") == 0)
				wo.round_largest = 1;
			else if (strcmp(optarg, "honest") == 0)
				wo.round_largest = 0;
			else {
				fprintf(stderr, _("%s: --round: expected honest or largest, got \"%s\"\n"), prog, optarg);
				return 2;
			}
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
			if (cli_number(optarg, 0, 1000000000L, &max_errors) != 0) {
				fprintf(stderr, _("%s: --max-errors: expected a whole number, got \"%s\"\n"), prog, optarg);
				return 2;
			}
			break;
		case OPT_HELP:
			usage(stdout);
			return cli_close_stdout(prog) ? 2 : 0;
		case OPT_VERSION:
			printf("mj-tab (murojaat) %s\n", MJ_VERSION);
			return cli_close_stdout(prog) ? 2 : 0;
		case '?':
			fprintf(stderr, _("Try 'mj-tab --help'.\n"));
			return 2;
		default:
			if (mj_stats_option(c)) {
				if (mj_stats_opts_apply(&so, c, optarg, &err) != MJ_OK) {
					cli_error(prog, &err);
					mj_schema_destroy(schema);
					return 2;
				}
				break;
			}
			if (mj_run_opts_apply(&ro, &spec, c, optarg, &schema, &err) != MJ_OK) {
				cli_error(prog, &err);
				mj_schema_destroy(schema);
				return 2;
			}
		}
	}
	if (!spec.by) {
		fprintf(stderr, _("%s: say what to count with --by DIMENSION (e.g. --by region); see --help\n"), prog);
		mj_schema_destroy(schema);
		return 2;
	}
	if (mj_stats_opts_check(&so, &err) != MJ_OK ||
	    (so.test && !spec.cols &&
	     mj_error_set(&err, MJ_E_USAGE, NULL, 0, 0,
			  "--test needs a cross-tab: add --cols DIM (e.g. --by region --cols violence)") != MJ_OK)) {
		cli_error(prog, &err);
		mj_schema_destroy(schema);
		return 2;
	}
	if (spec.cols && strchr(spec.cols, ',') && (so.test || so.compare || so.rate_per > 0)) {
		/* Their subtotal columns would be counted twice. */
		fprintf(stderr, "%s: --test, --compare and --rate take one column dimension, not nested columns (--cols %s)\n",
			prog, spec.cols);
		mj_schema_destroy(schema);
		return 2;
	}
	if (!format_set)
		wo.format = isatty(1) ? MJ_FMT_TEXT : MJ_FMT_CSV;
	wo.wide = layout < 0 ? wo.excel : layout;
	wo.width = cli_text_width();
	struct cli_problems problems = {.prog = prog, .max = (unsigned long)max_errors,
					.quiet_notes = quiet};
	ro.on_problem = cli_on_problem;
	ro.ctx = &problems;
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	cli_stdin_hint(prog, nfiles);
	/* A comparison reads the records twice: piped records are kept in a
	 * copy that vanishes with the process. */
	struct mj_stdin_copy copy = {.fd = -1};
	if (so.compare && mj_run_copy_stdin(&ro, files, nfiles, &copy, &err) != MJ_OK) {
		cli_error(prog, &err);
		mj_schema_destroy(schema);
		return 2;
	}
	struct mj_table *table = NULL;
	struct mj_run_stats stats;
	struct mj_tabsum_info inputs = {0};
	enum mj_status st = mj_tabsum(&ro, files, nfiles, &spec, 1, &table, &stats, &inputs, &err);
	if (st != MJ_OK) {
		/* File errors were printed as they happened. */
		if (err.path[0] == '\0' || st == MJ_E_USAGE)
			cli_error(prog, &err);
		mj_schema_destroy(schema);
		return mj_exit_status(st, ro.strict, 0);
	}
	if (show_arg && percent_arg) {
		fprintf(stderr, "%s: --show and --percent both say what the cells show: give one\n", prog);
		mj_table_destroy(table);
		mj_schema_destroy(schema);
		return 2;
	}
	if (show_arg) {
		if (mj_show_parse(show_arg, table, NULL, &wo.percents, &err) != MJ_OK) {
			cli_error(prog, &err);
			mj_table_destroy(table);
			mj_schema_destroy(schema);
			return 2;
		}
		wo.show = show_arg;
	} else if (percent_arg) {
		if (parse_percents(percent_arg, &wo) != 0) {
			fprintf(stderr, _("%s: --percent: expected total, valid, cum, row, col or none, got \"%s\"\n"),
				prog, percent_arg);
			mj_table_destroy(table);
			mj_schema_destroy(schema);
			return 2;
		}
	} else {
		wo.percents = 1u << mj_table_default_percent(table);
	}
	struct mj_stats sx;
	mj_stats_init(&sx);
	if (mj_stats_compute(&sx, table, &so, wo.percents, &ro, &spec, files, nfiles, &err) != MJ_OK ||
	    mj_tabsum_notes_add(&inputs, &sx) != MJ_OK) {
		cli_error(prog, &err);
		mj_tabsum_info_free(&inputs);
		mj_stats_free(&sx);
		mj_table_destroy(table);
		mj_schema_destroy(schema);
		return 2;
	}
	if (show_arg && mj_show_parse(show_arg, table, &sx, NULL, &err) != MJ_OK) {
		cli_error(prog, &err);
		mj_stats_free(&sx);
		mj_table_destroy(table);
		mj_schema_destroy(schema);
		return 2;
	}
	/* The table is still worth printing; say why there is no test. */
	if (sx.test_problem[0])
		fprintf(stderr, _("%s: --test: %s\n"), prog, sx.test_problem);
	wo.stats = &sx;
	st = mj_table_write(stdout, table, &wo, &err);
	/* CSV and TSV stay tidy: the test goes to standard error. */
	if (sx.has_test && (wo.format == MJ_FMT_CSV || wo.format == MJ_FMT_TSV))
		mj_chi2_write(stderr, &sx.test, ro.lang);
	int status = 0;
	if (st != MJ_OK) {
		fprintf(stderr, _("%s: error writing the table: %s\n"), prog, err.message);
		status = 2;
	}
	if (problems.hidden)
		fprintf(stderr, _("%s: ... and %lu more problems (mj-check lists them all)\n"),
			prog, problems.hidden);
	if (!quiet && (stats.rejected || wo.format == MJ_FMT_CSV || wo.format == MJ_FMT_TSV))
		fprintf(stderr, _("%s: %llu rows read, %llu counted, %llu outside the filters, %llu rejected\n"),
			prog, stats.read, stats.counted, stats.excluded, stats.rejected);
	if (status == 0)
		status = mj_exit_status(MJ_OK, ro.strict, stats.rejected);
	mj_stats_free(&sx);
	mj_tabsum_info_free(&inputs);
	mj_table_destroy(table);
	mj_schema_destroy(schema);
	mj_stdin_copy_close(&copy);
	/* A failed write was said once already. */
	if (st != MJ_OK)
		fclose(stdout);
	else if (cli_close_stdout(prog) != 0)
		status = 2;
	return status;
}
