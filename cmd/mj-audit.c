/* mj-audit: check published tables: recompute each printed percent from its
 * counts at the printed precision, and check that parts add up to wholes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "murojaat/audit.h"

static const char *prog = "mj-audit";

static const struct option long_options[] = {
	{"format", required_argument, NULL, 'f'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: %s [-f text|json] [FILE...]\n"
		"\n"
		"Check published tables (CSV: table,category,count,percent,of)\n"
		"against their own counts: every printed percent must round\n"
		"from count / whole at its printed precision, the parts of a\n"
		"breakdown must add up to their whole, its printed percents to\n"
		"100 within rounding, and no part may exceed its whole.\n"
		"With no FILE, or FILE -, read standard input.\n"
		"\n"
		"  -f, --format FMT  text (default: FILE:LINE: message, then a\n"
		"                    summary) or json\n"
		"  -h, --help        show this help\n"
		"\n"
		"Exit status: 0 nothing found, 1 findings, 2 usage or input error.\n"
		"See mj-audit(1) for the file format.\n",
		prog);
}

static void print_error(const struct mj_error *err)
{
	char buf[1024];
	fprintf(stderr, "%s: %s\n", prog, mj_error_format(err, buf, sizeof buf));
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static int print_text(const struct mj_audit_report *report)
{
	size_t n = mj_audit_report_count(report);
	for (size_t i = 0; i < n; i++) {
		const struct mj_audit_finding *f = mj_audit_report_get(report, i);
		if (printf("%s:%lu: %s\n", f->path, f->line, f->message) < 0)
			return -1;
	}
	if (n == 0)
		return 0;
	struct mj_audit_totals t;
	mj_audit_report_totals(report, &t);
	if (printf("%zu finding%s (%zu file%s: %zu row%s, %zu percent%s, "
		   "%zu breakdown%s checked)\n", n, plural(n), t.files,
		   plural(t.files), t.rows, plural(t.rows), t.percents,
		   plural(t.percents), t.breakdowns, plural(t.breakdowns)) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int json = 0, opt;
	while ((opt = getopt_long(argc, argv, "f:h", long_options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "text") == 0) {
				json = 0;
			} else if (strcmp(optarg, "json") == 0) {
				json = 1;
			} else {
				fprintf(stderr, "%s: --format: '%s' is not "
					"text or json\n", prog, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return fclose(stdout) == 0 ? 0 : 2;
		default:
			usage(stderr);
			return 2;
		}
	}
	static char *const stdin_only[] = {"-"};
	char *const *files = argv + optind;
	size_t nfiles = (size_t)(argc - optind);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (size_t i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") == 0 && isatty(STDIN_FILENO))
			fprintf(stderr, "%s: reading a published table from "
				"standard input (end with Ctrl-D)\n", prog);

	int status = 0;
	struct mj_error err;
	struct mj_audit_report *report = mj_audit_report_new();
	if (!report) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 2;
	}
	/* One bad file does not stop the others. */
	for (size_t i = 0; i < nfiles; i++) {
		mj_error_clear(&err);
		struct mj_audit_doc *doc = mj_audit_doc_load(files[i], &err);
		if (!doc) {
			print_error(&err);
			status = 2;
			continue;
		}
		if (mj_audit_check(doc, report, &err) != MJ_OK) {
			print_error(&err);
			status = 2;
		}
		mj_audit_doc_destroy(doc);
	}

	int wrote;
	if (json) {
		char *text = mj_audit_report_json(report);
		wrote = text && fputs(text, stdout) >= 0 ? 0 : -1;
		free(text);
	} else {
		wrote = print_text(report);
	}
	if (wrote != 0 || fflush(stdout) != 0 || ferror(stdout) ||
	    fclose(stdout) != 0) {
		fprintf(stderr, "%s: writing the findings failed\n", prog);
		status = 2;
	}
	if (status == 0 && mj_audit_report_count(report) > 0)
		status = 1;
	mj_audit_report_destroy(report);
	return status;
}
