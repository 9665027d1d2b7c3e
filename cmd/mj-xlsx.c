/* mj-xlsx: an Excel workbook, one sheet per table, from tables made by
 * mj-tab or straight from records with repeated --by. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "cli.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"
#include "murojaat/tabsum.h"
#include "murojaat/xlsx.h"

static const char *prog = "mj-xlsx";

#define MAX_TABLES 64

enum { OPT_OUTPUT = 'o', OPT_DATE = 2000, OPT_NO_CHARTS, OPT_QUIET,
       OPT_MAX_ERRORS, OPT_HELP, OPT_VERSION };

static const struct option own_options[] = {
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"date", required_argument, NULL, OPT_DATE},
	{"no-charts", no_argument, NULL, OPT_NO_CHARTS},
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
		"Exit status: 0 written, 1 written but rows were rejected, or a table could\n"
		"not be read (nothing written), 2 usage or I/O error (nothing written).\n"
		"Examples:\n"
		"  mj-tab --by region samples/appeals-2023.csv | mj-xlsx -o region.xlsx\n"
		"  mj-xlsx -o stats.xlsx --by region --by region --cols violence --ci 95 \\\n"
		"          --test samples/appeals-2023.csv\n"
		"  mj-xlsx -o august.xlsx --period 2023-08 --compare previous --by region \\\n"
		"          samples/appeals-2023.csv\n"),
		_(cli_run_help), _(cli_stats_help));
}

/* The getopt code of a shared option, found by its name. */
static int shared_code(const char *name)
{
	for (const struct option *o = cli_run_options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->val;
	return -1;
}

static int wants_stats(const struct mj_stats_opts *so)
{
	return so->ci_level > 0 || so->test || so->compare || so->population;
}

/* The statistics options that go together, and with the tables asked
 * for; 0 when they do, else -1 with err set. */
static int check_stats(const struct mj_stats_opts *so,
		       const struct mj_tab_spec *specs, size_t nspecs,
		       struct mj_error *err)
{
	if (mj_stats_opts_check(so, err) != MJ_OK)
		return -1;
	if (so->compare && nspecs == 0) {
		mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			     "--compare tabulates the records again over another period: "
			     "give --by and record files, not tables");
		return -1;
	}
	int crosstab = nspecs == 0;
	for (size_t i = 0; i < nspecs; i++)
		crosstab |= specs[i].cols != NULL;
	if (so->test && !crosstab) {
		mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			     "--test needs a cross-tab: add --cols DIM after a --by "
			     "(e.g. --by region --cols violence)");
		return -1;
	}
	return 0;
}

/* Reads each table file; reports every bad one. Returns 0, or 1 when a
 * table could not be parsed, 2 when a file could not be read. */
static int read_tables(const char *const *files, size_t nfiles,
		       struct mj_table **tables, size_t *ntables)
{
	static const char *const stdin_only[] = {"-"};
	int status = 0;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (size_t i = 0; i < nfiles; i++) {
		struct mj_error err;
		mj_error_clear(&err);
		int is_stdin = strcmp(files[i], "-") == 0;
		const char *name = is_stdin ? "<stdin>" : files[i];
		if (*ntables == MAX_TABLES) {
			fprintf(stderr, _("%s: %s: more than %d tables\n"), prog, name,
				MAX_TABLES);
			return 2;
		}
		if (is_stdin && isatty(0))
			fprintf(stderr, _("%s: reading a table from standard input "
				"(end with Ctrl-D; --help for usage)\n"), prog);
		FILE *in = is_stdin ? stdin : fopen(files[i], "rb");
		if (!in) {
			mj_error_set(&err, MJ_E_IO, name, 0, 0, "%s", strerror(errno));
			cli_error(prog, &err);
			status = 2;
			continue;
		}
		struct mj_table *t = mj_table_read(in, name, &err);
		if (!is_stdin)
			fclose(in);
		if (!t) {
			cli_error(prog, &err);
			if (status == 0 || err.status == MJ_E_IO)
				status = err.status == MJ_E_IO ? 2 : 1;
			continue;
		}
		tables[(*ntables)++] = t;
	}
	return status;
}

int main(int argc, char **argv)
{
	cli_start(prog);
	cli_i18n_lang(argc, argv);
	struct mj_stdin_copy copy = {.fd = -1}; /* standard input, for --compare */
	struct option options[64] = {{0}};
	cli_add_options(options, 64, cli_run_options, 0, NULL);
	cli_add_options(options, 64, cli_stats_options, 0, NULL);
	if (cli_add_options(options, 64, own_options,
			    sizeof own_options / sizeof own_options[0], NULL) != 0)
		abort(); /* the table above is sized for every option */
	const int code_by = shared_code("by"), code_cols = shared_code("cols"),
		  code_lang = shared_code("lang");

	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	struct mj_xlsx_opts xo;
	mj_xlsx_opts_init(&xo);
	struct mj_stats_opts so;
	mj_stats_opts_init(&so);
	struct mj_stats *sx = NULL;
	const struct mj_stats **sxp = NULL;
	struct mj_tab_spec specs[MAX_TABLES];
	size_t nspecs = 0;
	struct mj_schema *schema = NULL;
	const char *output = NULL;
	int quiet = 0, lang_set = 0;
	long max_errors = 20;
	struct mj_error err;
	mj_error_clear(&err);
	int c, status = 0;
	memset(specs, 0, sizeof specs);
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		if (c == code_by) {
			if (nspecs == MAX_TABLES) {
				fprintf(stderr, _("%s: --by: at most %d tables\n"), prog,
					MAX_TABLES);
				status = 2;
				goto done;
			}
			specs[nspecs++].by = optarg;
			continue;
		}
		if (c == code_cols) {
			if (nspecs == 0) {
				fprintf(stderr, _("%s: --cols belongs to a --by given before it\n"),
					prog);
				status = 2;
				goto done;
			}
			if (strchr(optarg, ',')) {
				fprintf(stderr, "%s: --cols takes one dimension here; mj-tab nests columns\n",
					prog);
				status = 2;
				goto done;
			}
			specs[nspecs - 1].cols = optarg;
			continue;
		}
		switch (c) {
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_DATE:
			xo.date = optarg;
			break;
		case OPT_NO_CHARTS:
			xo.charts = 0;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case OPT_MAX_ERRORS:
			if (cli_number(optarg, 0, 1000000000L, &max_errors) != 0) {
				fprintf(stderr, _("%s: --max-errors: expected a whole number, got \"%s\"\n"),
					prog, optarg);
				status = 2;
				goto done;
			}
			break;
		case OPT_HELP:
			usage(stdout);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto done;
		case OPT_VERSION:
			printf("mj-xlsx (murojaat) %s\n", MJ_VERSION);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto done;
		case '?':
			fprintf(stderr, _("Try 'mj-xlsx --help'.\n"));
			status = 2;
			goto done;
		default: {
			if (mj_stats_option(c)) {
				if (mj_stats_opts_apply(&so, c, optarg, &err) != MJ_OK) {
					cli_error(prog, &err);
					status = 2;
					goto done;
				}
				break;
			}
			struct mj_tab_spec unused = {0};
			if (mj_run_opts_apply(&ro, &unused, c, optarg, &schema, &err) != MJ_OK) {
				cli_error(prog, &err);
				status = 2;
				goto done;
			}
			lang_set |= c == code_lang;
		}
		}
	}
	if (!output) {
		fprintf(stderr, _("%s: say where the workbook goes with -o FILE.xlsx; see --help\n"),
			prog);
		status = 2;
		goto done;
	}
	if (strcmp(output, "-") == 0 && isatty(1)) {
		fprintf(stderr, _("%s: not writing a workbook to a terminal; use -o FILE.xlsx\n"),
			prog);
		status = 2;
		goto done;
	}
	if (check_stats(&so, specs, nspecs, &err) != 0) {
		cli_error(prog, &err);
		status = 2;
		goto done;
	}
	if (xo.date) {
		/* Checked now so that no input is read for nothing. */
		int y, m, d;
		char extra;
		if (sscanf(xo.date, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
		    strlen(xo.date) != 10) {
			fprintf(stderr, _("%s: --date: expected YYYY-MM-DD, got \"%s\"\n"),
				prog, xo.date);
			status = 2;
			goto done;
		}
	}

	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	if (cli_refuse_input(prog, output, files, nfiles) != 0) {
		status = 2;
		goto done;
	}
	struct mj_table *tables[MAX_TABLES];
	size_t ntables = 0;
	struct mj_schema *fallback = NULL;
	char program[64];
	snprintf(program, sizeof program, "mj-xlsx %s", MJ_VERSION);
	xo.program = program;
	if (!schema) {
		fallback = mj_schema_default(&err);
		if (!fallback) {
			cli_error(prog, &err);
			status = 2;
			goto done;
		}
	}
	xo.schema = schema ? schema : fallback;
	xo.min_cell = ro.min_cell;
	struct cli_problems problems = {.prog = prog, .max = (unsigned long)max_errors,
					.quiet_notes = quiet};
	struct mj_run_stats stats;
	memset(&stats, 0, sizeof stats);
	struct mj_tabsum_info inputs = {0};
	if (nspecs > 0) {
		ro.on_problem = cli_on_problem;
		ro.ctx = &problems;
		cli_stdin_hint(prog, nfiles);
		static const char *const stdin_name[] = {"<stdin>"};
		/* A comparison reads the records twice: piped records are kept
		 * in a copy that vanishes with the process. */
		if (so.compare && mj_run_copy_stdin(&ro, files, nfiles, &copy, &err) != MJ_OK) {
			cli_error(prog, &err);
			status = 2;
			goto free_schema;
		}
		enum mj_status st = mj_tabsum(&ro, files, nfiles, specs, nspecs,
					      tables, &stats, &inputs, &err);
		if (st != MJ_OK) {
			/* File errors were printed as they happened. */
			if (err.path[0] == '\0' || st == MJ_E_USAGE)
				cli_error(prog, &err);
			status = mj_exit_status(st, ro.strict, 0);
			goto free_schema;
		}
		ntables = nspecs;
		xo.lang = (int)ro.lang;
		xo.inputs = nfiles ? files : stdin_name;
		xo.ninputs = nfiles ? nfiles : 1;
		xo.have_counts = 1;
		xo.n_read = stats.read;
		xo.n_counted = stats.counted;
		xo.n_rejected = stats.rejected;
		if (problems.hidden)
			fprintf(stderr, _("%s: ... and %lu more problems (mj-check lists them all)\n"),
				prog, problems.hidden);
		status = mj_exit_status(MJ_OK, ro.strict, stats.rejected);
	} else {
		status = read_tables(files, nfiles, tables, &ntables);
		if (status != 0) {
			fprintf(stderr, _("%s: %s: not written\n"), prog, output);
			goto free_tables;
		}
		if (lang_set)
			xo.lang = (int)ro.lang;
	}

	if (wants_stats(&so) || inputs.nnotes) {
		sx = calloc(ntables, sizeof *sx);
		sxp = calloc(ntables, sizeof *sxp);
		if (!sx || !sxp) {
			fprintf(stderr, _("%s: out of memory\n"), prog);
			status = 2;
			goto free_tables;
		}
		for (size_t i = 0; i < ntables; i++) {
			mj_stats_init(&sx[i]);
			sxp[i] = &sx[i];
		}
		int crosstabs = 0;
		for (size_t i = 0; i < ntables; i++)
			crosstabs += tables[i]->col_dim != NULL;
		if (so.test && crosstabs == 0) {
			fprintf(stderr, _("%s: --test needs a cross-tab, and no table has "
				"columns (mj-tab --by DIM --cols DIM makes one)\n"), prog);
			status = 2;
			goto free_tables;
		}
		static const struct mj_tab_spec no_spec = {0};
		for (size_t i = 0; i < ntables; i++) {
			const struct mj_table *t = tables[i];
			struct mj_stats_opts one = so;
			/* The test belongs to the cross-tabs of a workbook. */
			one.test = so.test && t->col_dim;
			unsigned percents = t->col_dim ?
				(1u << MJ_PCT_ROW) | (1u << MJ_PCT_COL) : 1u << MJ_PCT_TOTAL;
			if (mj_stats_compute(&sx[i], t, &one, percents, &ro,
					     nspecs ? &specs[i] : &no_spec, files, nfiles,
					     &err) != MJ_OK ||
			    mj_tabsum_notes_add(&inputs, &sx[i]) != MJ_OK) {
				cli_error(prog, &err);
				status = 2;
				goto free_tables;
			}
			/* The sheet says so too, under the table. */
			if (sx[i].test_problem[0])
				fprintf(stderr, _("%s: --test: %s: %s\n"), prog,
					t->title ? t->title : "table", sx[i].test_problem);
		}
		xo.stats = sxp;
	}

	enum mj_status st;
	if (strcmp(output, "-") == 0)
		st = mj_xlsx_write_stream(stdout, "<stdout>", tables, ntables, &xo, &err);
	else
		st = mj_xlsx_write(output, tables, ntables, &xo, &err);
	if (st != MJ_OK) {
		cli_error(prog, &err);
		status = 2;
	} else if (!quiet && nspecs > 0) {
		fprintf(stderr, _("%s: %llu rows read, %llu counted, %llu outside the filters, %llu rejected\n"),
			prog, stats.read, stats.counted, stats.excluded, stats.rejected);
	}
	if (strcmp(output, "-") == 0 && cli_close_stdout(prog) != 0)
		status = 2;
free_tables:
	for (size_t i = 0; sx && i < ntables; i++)
		mj_stats_free(&sx[i]);
	free(sx);
	free(sxp);
	for (size_t i = 0; i < ntables; i++)
		mj_table_destroy(tables[i]);
free_schema:
	mj_tabsum_info_free(&inputs);
	mj_schema_destroy(fallback);
done:
	mj_schema_destroy(schema);
	mj_stdin_copy_close(&copy);
	return status;
}
