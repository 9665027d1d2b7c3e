/* A program's run as the programs print it: problems up to a cap,
 * progress, standard input read once, the shared options applied to
 * the run, statistics' and tests' messages, and the closing summary. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "murojaat/chart.h"
#include "murojaat/outfile.h"
#include "murojaat/schema.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"

/* Prints "prog: path:line:col: message". */
void cli_error(const char *prog, const struct mj_error *e)
{
	char buf[1024];
	fprintf(stderr, "%s: %s\n", prog, mj_error_format(e, buf, sizeof buf));
}

/* Whether e is the problem that stopped a file, already printed. */
int cli_problem_printed(const struct cli_problems *p, const struct mj_error *e)
{
	return p->fatal_seen && strcmp(p->last_fatal.path, e->path) == 0 &&
	       strcmp(p->last_fatal.message, e->message) == 0;
}

void cli_on_problem(void *ctx, const struct mj_error *e, int fatal)
{
	struct cli_problems *p = ctx;
	if (e->status == MJ_OK) {
		p->notes++;
		if (!p->quiet_notes)
			cli_error(p->prog, e);
		return;
	}
	if (!fatal && p->max && p->printed >= p->max) {
		p->hidden++;
		return;
	}
	p->printed++;
	cli_error(p->prog, e);
	if (fatal) {
		p->fatal_seen = 1;
		p->last_fatal = *e;
	}
}

void cli_on_progress(void *ctx, unsigned long long done, unsigned long long total)
{
	struct cli_problems *p = ctx;
	if (total == 0)
		return;
	int pct = (int)(done * 100 / total);
	if (pct + 1 == p->progress)
		return;
	p->progress = pct + 1;
	fputc('\r', stderr);
	fprintf(stderr, _("%s: reading %3d%%"), p->prog, pct);
}

void cli_progress_end(const struct cli_problems *p)
{
	if (p->progress)
		fprintf(stderr, "\r%*s\r", (int)(strlen(p->prog) + strlen(_("%s: reading %3d%%"))), "");
}

/* Says that input is awaited when the user gave no file at a terminal. */
void cli_stdin_hint(const char *prog, size_t nfiles)
{
	if (nfiles == 0 && isatty(0))
		fprintf(stderr, _("%s: reading records from standard input (end with Ctrl-D; --help for usage)\n"),
			prog);
}

int cli_stdin_once(const char *prog, const char *const *first, size_t nfirst,
		   const char *const *second, size_t nsecond)
{
	size_t uses = nfirst == 0;
	for (size_t i = 0; i < nfirst; i++)
		uses += strcmp(first[i], "-") == 0;
	for (size_t i = 0; i < nsecond; i++)
		uses += strcmp(second[i], "-") == 0;
	if (uses > 1) {
		fprintf(stderr, _("%s: standard input can be read only once\n"), prog);
		return -1;
	}
	if (uses && isatty(STDIN_FILENO))
		fprintf(stderr, _("%s: reading from standard input (end with Ctrl-D; "
			"--help for usage)\n"), prog);
	return 0;
}

/* Refuses (prints why and returns -1) an output that is one of the inputs
 * (files, "-" or none for standard input); see mj_outfile_check_inputs(). */
int cli_refuse_input(const char *prog, const char *output,
		     const char *const *files, size_t nfiles)
{
	struct mj_error e;
	mj_error_clear(&e);
	if (mj_outfile_check_inputs(output, files, nfiles, &e) == MJ_OK)
		return 0;
	cli_error(prog, &e);
	return -1;
}

void cli_run_init(struct cli_run *r, const char *prog)
{
	memset(r, 0, sizeof *r);
	mj_run_init(&r->run);
	r->problems.prog = prog;
	r->problems.max = 20;
	r->run.opts.on_problem = cli_on_problem;
	r->run.opts.ctx = &r->problems;
}

int cli_run_option(struct cli_run *r, int opt, const char *arg)
{
	const char *prog = r->problems.prog;
	struct mj_run *run = &r->run;
	if (opt == MJ_OPT_COLS && !r->nest_cols && strchr(arg, ',')) {
		fprintf(stderr, "%s: --cols takes one dimension here; mj-tab nests columns\n", prog);
		return -1;
	}
	if (r->run.many && opt == MJ_OPT_BY) {
		if (run->nspecs == MJ_RUN_MAX_TABLES) {
			fprintf(stderr, _("%s: --by: at most %d tables\n"), prog, MJ_RUN_MAX_TABLES);
			return -1;
		}
		run->specs[run->nspecs++].by = arg;
		return 0;
	}
	if (r->run.many && opt == MJ_OPT_COLS) {
		if (run->nspecs == 0) {
			fprintf(stderr, _("%s: --cols belongs to a --by given before it\n"), prog);
			return -1;
		}
		run->specs[run->nspecs - 1].cols = arg;
		return 0;
	}
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_run_option(run, opt, arg, &err) == MJ_OK)
		return 0;
	cli_error(prog, &err);
	return -1;
}

int cli_run_tabulate(struct cli_run *r, const char *const *files, size_t nfiles)
{
	struct mj_error err;
	mj_error_clear(&err);
	cli_stdin_hint(r->problems.prog, nfiles);
	enum mj_status st = mj_run_tabulate(&r->run, files, nfiles, &err);
	const struct mj_run_stats *c = &r->run.counts;
	if (st == MJ_OK && r->run.inputs.period_beyond)
		fprintf(stderr, _("%s: note: the period asked runs from %s to %s, but the records "
				  "read only from %s to %s: its counts may not cover the whole period\n"),
			r->problems.prog, c->period_from, c->period_to, c->data_from, c->data_to);
	if (st == MJ_OK)
		return 0;
	/* File errors were printed as they happened. */
	if (err.path[0] == '\0' || st == MJ_E_USAGE)
		cli_error(r->problems.prog, &err);
	return mj_run_exit_status(&r->run, st);
}

int cli_run_check(const struct cli_run *r)
{
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_run_check(&r->run, &err) == MJ_OK)
		return 0;
	cli_error(r->problems.prog, &err);
	return -1;
}

int cli_run_statistics(struct cli_run *r, long percents, int titles)
{
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_run_statistics(&r->run, percents, &err) != MJ_OK) {
		cli_error(r->problems.prog, &err);
		return -1;
	}
	cli_run_test_problems(r, titles);
	return 0;
}

enum mj_status cli_run_draw_layers(const struct cli_run *r, const char *output,
				   const struct mj_chart_opts *co, struct mj_error *err)
{
	const struct mj_layers *l = r->run.layers;
	/* Each panel is titled by its layer; the statistics of one table are
	 * not drawn on the others. */
	struct mj_chart_opts one = *co;
	one.stats = NULL;
	char **titles = calloc(l->n, sizeof *titles);
	if (!titles)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	enum mj_status st = MJ_OK;
	for (size_t i = 0; st == MJ_OK && i < l->n; i++)
		if (!(titles[i] = g_strdup_printf("%s: %s", l->dim_label, l->labels[i])))
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	if (st == MJ_OK)
		st = mj_chart_write_panels(output, (const struct mj_table *const *)l->tables,
					   (const char *const *)titles, l->n, r->run.schema, &one, err);
	for (size_t i = 0; i < l->n; i++)
		g_free(titles[i]);
	free(titles);
	return st;
}

void cli_run_tests_stderr(const struct cli_run *r)
{
	const struct mj_run *run = &r->run;
	for (size_t i = 0; run->stats && i < run->ntables; i++) {
		if (!run->stats[i].has_test)
			continue;
		if (run->layers)
			fprintf(stderr, "%s:\n", run->tables[i]->title);
		mj_chi2_write(stderr, &run->stats[i].test, run->opts.lang);
	}
}

void cli_run_test_problems(const struct cli_run *r, int titles)
{
	const char *prog = r->problems.prog;
	for (size_t i = 0; r->run.stats && i < r->run.ntables; i++) {
		const char *why = r->run.stats[i].test_problem;
		const char *title = r->run.tables[i]->title;
		/* The table is still worth writing; say why there is no test. */
		if (why[0] && titles)
			fprintf(stderr, _("%s: --test: %s: %s\n"), prog, title ? title : "table", why);
		else if (why[0])
			fprintf(stderr, _("%s: --test: %s\n"), prog, why);
	}
}

enum mj_status cli_run_read_tables(struct cli_run *r, const char *const *files,
				   size_t nfiles, int with_stats)
{
	int from_stdin = nfiles == 0;
	for (size_t i = 0; i < nfiles; i++)
		from_stdin |= strcmp(files[i], "-") == 0;
	if (from_stdin && isatty(0))
		fprintf(stderr, _("%s: reading a table from standard input "
			"(end with Ctrl-D; --help for usage)\n"), r->problems.prog);
	struct mj_error err;
	mj_error_clear(&err);
	enum mj_status st = mj_run_read_tables(&r->run, files, nfiles, with_stats, &err);
	if (st == MJ_E_USAGE)
		cli_error(r->problems.prog, &err);
	return st;
}

void cli_run_summary(const struct cli_run *r, int quiet, int always)
{
	const char *prog = r->problems.prog;
	const struct mj_run_stats *n = &r->run.counts;
	if (r->problems.hidden)
		fprintf(stderr, _("%s: ... and %lu more problems (mj-check lists them all)\n"),
			prog, r->problems.hidden);
	if (!quiet && (n->rejected || always))
		fprintf(stderr, _("%s: %llu rows read, %llu counted, %llu outside the filters, %llu rejected\n"),
			prog, n->read, n->counted, n->excluded, n->rejected);
}
