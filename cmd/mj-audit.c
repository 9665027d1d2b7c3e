/* mj-audit: check published tables: recompute each printed percent from its
 * counts at the printed precision, check that parts add up to wholes and,
 * with --against, that every printed count is what the records count. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "murojaat/audit.h"
#include "murojaat/tab.h"

static const char *prog = "mj-audit";

enum { OPT_FORMAT = 'f', OPT_HELP = 'h', OPT_AGAINST = 2000, OPT_VERSION };

static const struct option own_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"against", required_argument, NULL, OPT_AGAINST},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};

/* The options of mj-tab that decide which records --against counts. */
static const char *const run_options_used[] = {
	"where", "period", "month", "missing", "weight", "strict", "schema",
	"encoding", "delimiter", "date-order"};

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: mj-audit [-f text|json] [--against RECORDS [options]] [FILE...]\n"
		"Check published tables (CSV: table,category,count,percent,of) against\n"
		"their own counts: every printed percent must round from count / whole\n"
		"at its printed precision, the parts of a breakdown must add up to\n"
		"their whole, its printed percents to 100 within rounding, and no part\n"
		"may exceed its whole. With no FILE, or FILE -, read standard input.\n\n"
		"  -f, --format text|json  text (default): FILE:LINE: message per finding,\n"
		"                        then a summary; json: one object\n"
		"  --against RECORDS     also count every printed count in these appeal\n"
		"                        records (repeatable), as mj-tab counts them\n"
		"  -h, --help, --version\n\n"
		"Which records --against counts (as in mj-tab):\n"
		"  --where DIM=V[,V...]  keep records with one of these values (repeatable)\n"
		"  --period P            2023-08, 2023-01..2023-08, 2023-Q2, 2023, or dates\n"
		"  --month M             the same as --period M\n"
		"  --missing include|exclude   count \"not stated\" (default) or leave it out\n"
		"  --weight COL          add COL (a whole-number column of the schema) per record instead of 1\n"
		"  --strict              stop at the first rejected record\n"
		"  --schema FILE         use this schema instead of the built-in one\n"
		"  --encoding utf-8|cp1251|auto   records' encoding (default utf-8)\n"
		"  --delimiter C         records' field separator (default: detected)\n"
		"  --date-order dmy|mdy|ymd   how the records' 01/02/2023 is read\n"
		"                        (default: from each file's dates)\n\n"
		"Exit status: 0 nothing found, 1 findings (or rejected records),\n"
		"2 usage or input error. See mj-audit(1) for the file format.\n"));
}

/* The shared options that decide which records --against counts. */
static int run_option_used(const char *name)
{
	for (size_t i = 0; i < sizeof run_options_used / sizeof *run_options_used; i++)
		if (strcmp(name, run_options_used[i]) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	cli_start(prog, argc, argv);
	struct option options[64];
	cli_make_options(options, 64, own_options, sizeof own_options / sizeof own_options[0],
			 run_option_used, 0, NULL);
	argc = cli_test_word(options, argc, argv);
	struct cli_run r;
	cli_run_init(&r, prog);
	struct mj_error err;
	mj_error_clear(&err);
	const char **against = calloc((size_t)argc + 1, sizeof *against);
	size_t nagainst = 0;
	int json = 0, run_opts_given = 0, opt, status = 2;
	if (!against) {
		fprintf(stderr, _("%s: out of memory\n"), prog);
		return 2;
	}
	while ((opt = getopt_long(argc, argv, "f:h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0) {
				fprintf(stderr, _("%s: --format: expected text or json, got \"%s\"\n"),
					prog, optarg);
				goto out;
			}
			json = strcmp(optarg, "json") == 0;
			break;
		case OPT_AGAINST:
			against[nagainst++] = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			status = cli_close_stdout(prog) ? 2 : 0;
			goto out;
		case OPT_VERSION:
			status = cli_version(prog);
			goto out;
		case '?':
			fprintf(stderr, _("Try 'mj-audit --help'.\n"));
			goto out;
		default:
			run_opts_given = 1;
			if (cli_run_option(&r, opt, optarg) != 0)
				goto out;
		}
	}
	if (run_opts_given && nagainst == 0) {
		fprintf(stderr, _("%s: --where, --period and the other record options "
			"need --against RECORDS\n"), prog);
		goto out;
	}
	static const char *const stdin_only[] = {"-"};
	const char *const *files = (const char *const *)argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	if (cli_stdin_once(prog, files, nfiles, against, nagainst) != 0)
		goto out;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	/* Read every table first: the records are then read once for all.
	 * One bad file does not stop the others. */
	struct mj_audit_doc **docs = calloc(nfiles, sizeof *docs);
	struct mj_audit_report *report = mj_audit_report_new();
	struct mj_audit_counts *counts = NULL;
	size_t ndocs = 0;
	if (!docs || !report) {
		fprintf(stderr, _("%s: out of memory\n"), prog);
		goto done;
	}
	status = mj_audit_docs_load(files, nfiles, docs, &ndocs, cli_on_problem,
				    &r.problems) != MJ_OK ? 2 : 0;
	if (nagainst) {
		mj_error_clear(&err);
		counts = mj_audit_counts_make((const struct mj_audit_doc *const *)docs,
					      ndocs, &r.run.opts, against, nagainst, &err);
		if (!counts) {
			/* Problems in the records were printed as they came. */
			if (err.path[0] == '\0' || err.status != MJ_E_IO)
				cli_error(prog, &err);
			status = 2;
		}
	}
	for (size_t i = 0; i < ndocs; i++) {
		if (mj_audit_check(docs[i], counts, report, &err) != MJ_OK) {
			cli_error(prog, &err);
			status = 2;
		}
	}
	for (size_t i = 0; i < mj_audit_report_nnotes(report); i++) {
		const struct mj_error *note = mj_audit_report_note(report, i);
		fprintf(stderr, _("%s: %s:%lu:%lu: note: %s\n"), prog, note->path,
			note->line, note->column, note->message);
	}
	char *text = json ? mj_audit_report_json(report) : mj_audit_report_text(report, counts != NULL);
	int wrote = text && fputs(text, stdout) >= 0 ? 0 : -1;
	free(text);
	if (wrote != 0 && !ferror(stdout))
		fprintf(stderr, _("%s: out of memory\n"), prog);
	if (r.problems.hidden)
		fprintf(stderr, _("%s: ... and %lu more problems in the records "
			"(mj-check lists them all)\n"), prog, r.problems.hidden);
	if (counts) {
		/* Said beside findings, so a clean table passes silently. */
		const struct mj_run_stats *st = mj_audit_counts_stats(counts);
		if (mj_audit_report_count(report) || mj_audit_report_nnotes(report) ||
		    st->rejected)
			fprintf(stderr, _("%s: records: %llu read, %llu counted, "
				"%llu outside the filters, %llu rejected\n"), prog,
				st->read, st->counted, st->excluded, st->rejected);
		if (st->rejected && status == 0)
			status = 1;
	}
	if (cli_close_stdout(prog) != 0 || wrote != 0)
		status = 2;
	if (status == 0 && mj_audit_report_count(report) > 0)
		status = 1;
done:
	for (size_t i = 0; i < ndocs; i++)
		mj_audit_doc_destroy(docs[i]);
	free(docs);
	mj_audit_counts_destroy(counts);
	mj_audit_report_destroy(report);
out:
	mj_run_free(&r.run);
	free(against);
	return status;
}
