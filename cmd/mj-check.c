/* mj-check: validate and normalise appeal records; every problem as
 * FILE:LINE:COL with a suggestion; canonical CSV and a rejects file on request. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "murojaat/check.h"
#include "murojaat/tab.h"
#include "murojaat/outfile.h"

static const char *prog = "mj-check";

enum { OPT_FIX = 3000, OPT_REJECTS, OPT_MAX_ERRORS, OPT_EXPLAIN, OPT_QUIET,
       OPT_HELP, OPT_VERSION };

static const struct option own_options[] = {
	{"fix", no_argument, NULL, OPT_FIX},
	{"output", required_argument, NULL, 'o'},
	{"rejects", required_argument, NULL, OPT_REJECTS},
	{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};

/* The shared options that say how records are read: mj-check counts
 * nothing. */
static int reading_option(const char *name)
{
	static const char *const names[] = {"schema", "encoding", "delimiter", "sheet",
					    "header-row", "date-order", "strict"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void usage(FILE *out)
{
	fputs(_("usage: mj-check [--fix -o FILE] [--rejects FILE] [--max-errors N] [--strict]\n"
	      "                [--quiet] [--schema FILE] [--encoding utf-8|cp1251|auto]\n"
	      "                [--delimiter C] [--sheet NAME|N] [--header-row N]\n"
	      "                [--date-order dmy|mdy|ymd] [FILE...]\n"
	      "       mj-check --explain [--schema FILE]\n"
	      "Validate appeal records against the schema. Every problem is printed as\n"
	      "FILE:LINE:COL: message (COL is the field number), then a summary.\n\n"
	      "  --fix              write the valid rows as canonical CSV (codes, ISO dates)\n"
	      "  -o, --output FILE  where --fix writes (default standard output)\n"
	      "  --rejects FILE     write rejected rows with the reason (mode 0600)\n"
	      "  --max-errors N     print at most N problems (default: all)\n"
	      "  --strict           a rejected row or duplicate id fails the run: the -o and\n"
	      "                     --rejects files are not written\n"
	      "  --explain          print the schema: dimensions, codes, labels, accepted spellings,\n"
	      "                     and the report sections mj-report makes\n"
	      "  --quiet            no notes (ignored columns, dates read day first)\n"
	      "  --schema FILE      use this schema instead of the built-in one\n"
	      "  --encoding E       utf-8 (default), cp1251, or auto\n"
	      "  --delimiter C      , ; | or tab (default: , ; or tab, detected)\n"
	      "  --sheet NAME|N     workbooks (.xlsx): the sheet to read (default the first)\n"
	      "  --header-row N     the header's row, or a text file's line (default: the\n"
	      "                     first of 100 rows naming two columns of the schema)\n"
	      "  --date-order dmy|mdy|ymd  how 01/02/2023 is read: day or month first, or\n"
	      "                     only YYYY-MM-DD (default: found in each file's dates)\n"
	      "  --help, --version\n\n"
	      "Exit status: 0 all rows valid, 1 rows rejected or ids duplicated, 2 usage or I/O error.\n"),
	      out);
}

int main(int argc, char **argv)
{
	cli_start(prog, argc, argv);
	struct option options[64];
	cli_make_options(options, 64, own_options, sizeof own_options / sizeof own_options[0],
			 reading_option, 0, NULL);
	argc = cli_test_word(options, argc, argv);
	struct mj_run run;
	mj_run_init(&run);
	const char *output = NULL, *rejects = NULL;
	int fix = 0, explain = 0, quiet = 0, status = 2;
	long max_errors = 0;
	struct mj_error err;
	mj_error_clear(&err);
	int c;
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case OPT_FIX: fix = 1; break;
		case 'o': output = optarg; break;
		case OPT_REJECTS: rejects = optarg; break;
		case OPT_EXPLAIN: explain = 1; break;
		case OPT_QUIET: quiet = 1; break;
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
			fprintf(stderr, _("Try 'mj-check --help'.\n"));
			goto done;
		default:
			if (mj_run_option(&run, c, optarg, &err) != MJ_OK) {
				cli_error(prog, &err);
				goto done;
			}
		}
	}
	const struct mj_run_opts *ro = &run.opts;
	struct mj_check_opts co = {.delimiter = ro->delimiter, .encoding = ro->encoding,
				   .sheet = ro->sheet, .header_row = ro->header_row,
				   .date_order = ro->date_order};
	struct mj_schema *schema = run.schema;
	int strict = ro->strict;
	if (!schema && !(run.schema = schema = mj_schema_default(&err))) {
		cli_error(prog, &err);
		goto done;
	}
	if (explain) {
		int bad = mj_schema_explain(schema, stdout) != MJ_OK;
		status = cli_close_stdout(prog) || bad ? 2 : 0;
		goto done;
	}
	if (output && !fix) {
		fprintf(stderr, _("%s: -o names the file --fix writes; add --fix\n"), prog);
		goto done;
	}
	/* "-o -" is standard output, where --fix writes by default. */
	if (output && strcmp(output, "-") == 0)
		output = NULL;
	if (rejects && strcmp(rejects, "-") == 0) {
		fprintf(stderr, _("%s: --rejects -: name a file (rejected rows go to a file only you can read)\n"),
			prog);
		goto done;
	}
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	/* Raw rows are the survivors' records: their files are the owner's. */
	struct mj_outfile fixed_file = {0}, rejects_file = {0};
	const char *const outputs[] = {fix ? output : NULL, rejects};
	if (cli_refuse_input(prog, output, files, nfiles) || cli_refuse_input(prog, rejects, files, nfiles) ||
	    (output && rejects && (strcmp(output, rejects) == 0 ||
				   cli_refuse_input(prog, rejects, outputs, 1))) ||
	    (fix && output && mj_outfile_open(&fixed_file, output, MJ_OUTFILE_PRIVATE, &err) != MJ_OK) ||
	    (rejects && mj_outfile_open(&rejects_file, rejects, MJ_OUTFILE_PRIVATE, &err) != MJ_OK)) {
		if (output && rejects && strcmp(output, rejects) == 0)
			fprintf(stderr, _("%s: %s: named by both -o and --rejects\n"), prog, output);
		else if (err.status != MJ_OK)
			cli_error(prog, &err);
		mj_outfile_abort(&fixed_file);
		goto done;
	}
	struct cli_problems problems = {.prog = prog, .max = (unsigned long)max_errors,
					.quiet_notes = quiet};
	co.schema = schema;
	co.fixed = fix ? (output ? fixed_file.fp : stdout) : NULL;
	co.rejects = rejects ? rejects_file.fp : NULL;
	co.on_problem = cli_on_problem;
	co.ctx = &problems;
	static const char *const stdin_only[] = {"-"};
	cli_stdin_hint(prog, nfiles);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	struct mj_check_stats stats;
	enum mj_status st = mj_check_files(&co, files, nfiles, &stats, &err);
	status = mj_exit_status(st, strict, stats.rejected + stats.duplicates);
	/* A run that failed on a file, or on a row under --strict, leaves no
	 * partial output behind. */
	int keep = st == MJ_OK && !(strict && status);
	struct mj_outfile *outs[] = {&fixed_file, &rejects_file};
	for (size_t i = 0; i < 2; i++) {
		if (!keep) {
			mj_outfile_abort(outs[i]);
		} else if (outs[i]->fp && mj_outfile_commit(outs[i], &err) != MJ_OK) {
			cli_error(prog, &err);
			status = 2;
		}
	}
	if (strict && status == 1 && (output || rejects))
		fprintf(stderr, _("%s: --strict: rows rejected; no output file written\n"), prog);
	if (problems.hidden)
		fprintf(stderr, _("%s: ... and %lu more problems not shown (--max-errors)\n"), prog,
			problems.hidden);
	fprintf(stderr, _("%s: %llu rows read, %llu valid, %llu rejected"), prog, stats.read,
		stats.valid, stats.rejected);
	if (stats.duplicates)
		fprintf(stderr, _(", %llu duplicate ids"), stats.duplicates);
	if (stats.refused)
		fprintf(stderr, _(", %llu in refused files"), stats.refused);
	fputc('\n', stderr);
	if (cli_close_stdout(prog) != 0)
		status = 2;
done:
	mj_run_free(&run);
	return status;
}
