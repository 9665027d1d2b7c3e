/* The run that mj-tab, mj-chart and mj-xlsx share: inputs, tables,
 * statistics with one percent base, and the exit status (murojaat/run.h). */
#include "murojaat/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mj_run_init(struct mj_run *run)
{
	memset(run, 0, sizeof *run);
	mj_run_opts_init(&run->opts);
	mj_stats_opts_init(&run->stats_opts);
	run->stdin_copy.fd = -1;
}

void mj_run_free(struct mj_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; run->stats && i < run->ntables; i++)
		mj_stats_free(&run->stats[i]);
	free(run->stats);
	run->stats = NULL;
	if (run->layers)
		for (size_t i = 0; i < run->layers->n; i++)
			run->layers->tables[i] = NULL; /* owned by tables[] */
	mj_layers_destroy(run->layers);
	run->layers = NULL;
	for (size_t i = 0; i < run->ntables; i++) {
		mj_table_destroy(run->tables[i]);
		free(run->table_names[i]);
		run->table_names[i] = NULL;
	}
	run->ntables = 0;
	mj_tabsum_info_free(&run->inputs);
	mj_schema_destroy(run->schema);
	run->schema = NULL;
	run->opts.schema = NULL;
	mj_stdin_copy_close(&run->stdin_copy);
}

enum mj_status mj_run_option(struct mj_run *run, int opt, const char *arg,
			     struct mj_error *err)
{
	if (mj_stats_option(opt))
		return mj_stats_opts_apply(&run->stats_opts, opt, arg, err);
	enum mj_status st = mj_run_opts_apply(&run->opts, &run->specs[0], opt, arg,
					      &run->schema, err);
	if (st == MJ_OK && opt == MJ_OPT_LANG)
		run->lang_set = 1;
	if (st == MJ_OK && (opt == MJ_OPT_BY || opt == MJ_OPT_COLS) && run->nspecs == 0)
		run->nspecs = 1;
	return st;
}

enum mj_status mj_run_check(const struct mj_run *run, struct mj_error *err)
{
	const struct mj_stats_opts *so = &run->stats_opts;
	enum mj_status st = mj_stats_opts_check(so, err);
	if (st != MJ_OK)
		return st;
	if (so->compare && run->nspecs == 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare tabulates the records again over another period: "
			"give --by and record files, not tables");
	int crosstab = run->nspecs == 0;
	for (size_t i = 0; i < run->nspecs; i++)
		crosstab |= run->specs[i].cols != NULL;
	if (so->test && !crosstab)
		return run->many ?
			mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--test needs a cross-tab: add --cols DIM after a --by "
				"(e.g. --by region --cols violence)") :
			mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--test needs a cross-tab: add --cols DIM (e.g. --by region --cols violence)");
	if (run->layer && (run->nspecs == 0 || !run->specs[0].by))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--layer goes with records (--by): a table read back has no layers");
	if (run->layer && so->compare)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare does not go with --layer: compare one layer at a time "
			"(--where %s=CODE --compare ...)", run->layer);
	for (size_t i = 0; i < run->nspecs; i++)
		if (run->specs[i].cols && strchr(run->specs[i].cols, ',') &&
		    (so->test || so->compare || so->rate_per > 0))
			/* Their subtotal columns would be counted twice. */
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--test, --compare and --rate take one column dimension, not nested columns (--cols %s)",
				run->specs[i].cols);
	return MJ_OK;
}

/* --layer: each spec's layers in turn, a pass over the inputs each (the
 * problems of the records are reported by the first). */
static enum mj_status tabulate_layers(struct mj_run *run, const char *const *files,
				      size_t nfiles, struct mj_error *err)
{
	enum mj_status st = MJ_OK;
	if (run->nspecs > 1 &&
	    (st = mj_run_copy_stdin(&run->opts, files, nfiles, &run->stdin_copy, err)) != MJ_OK)
		return st;
	struct mj_run_opts opts = run->opts;
	for (size_t i = 0; i < run->nspecs; i++) {
		struct mj_layers *l = NULL;
		st = mj_layers_tabulate(&opts, files, nfiles, &run->specs[i], run->layer, &l,
					&run->counts, i ? NULL : &run->inputs, err);
		opts.on_problem = NULL;
		if (st == MJ_OK && run->ntables + l->n > MJ_RUN_MAX_TABLES)
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--layer %s: more than %d tables", run->layer, MJ_RUN_MAX_TABLES);
		for (size_t k = 0; st == MJ_OK && k < l->n; k++) {
			run->table_names[run->ntables] = strdup(l->labels[k]);
			run->spec_of[run->ntables] = i;
			run->tables[run->ntables++] = l->tables[k];
			if (i > 0)
				l->tables[k] = NULL;
		}
		if (i == 0 && st == MJ_OK)
			run->layers = l;
		else
			mj_layers_destroy(l);
		if (st != MJ_OK)
			return st;
	}
	return MJ_OK;
}

enum mj_status mj_run_tabulate(struct mj_run *run, const char *const *files,
			       size_t nfiles, struct mj_error *err)
{
	run->files = files;
	run->nfiles = nfiles;
	/* A comparison reads the records twice: piped records are kept in a
	 * copy that vanishes with the process. */
	enum mj_status st = MJ_OK;
	if (run->stats_opts.compare &&
	    (st = mj_run_copy_stdin(&run->opts, files, nfiles, &run->stdin_copy,
				    err)) != MJ_OK)
		return st;
	if (run->layer)
		return tabulate_layers(run, files, nfiles, err);
	st = mj_tabsum(&run->opts, files, nfiles, run->specs, run->nspecs,
		       run->tables, &run->counts, &run->inputs, err);
	if (st == MJ_OK)
		run->ntables = run->nspecs;
	for (size_t i = 0; i < run->ntables; i++)
		run->spec_of[i] = i;
	return st;
}

/* Reads one table from path ("-": standard input). */
static struct mj_table *read_one(const char *path, struct mj_stats *sx,
				 struct mj_error *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *in = is_stdin ? stdin : fopen(path, "rb");
	if (!in) {
		if (sx)
			mj_stats_init(sx);
		mj_error_set(err, MJ_E_IO, name, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct mj_table *t = sx ? mj_table_read_stats(in, name, sx, err)
				: mj_table_read(in, name, err);
	if (!is_stdin)
		fclose(in);
	return t;
}

enum mj_status mj_run_read_tables(struct mj_run *run, const char *const *files,
				  size_t nfiles, int with_stats, struct mj_error *err)
{
	static const char *const stdin_only[] = {"-"};
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	run->files = files;
	run->nfiles = nfiles;
	if (nfiles > MJ_RUN_MAX_TABLES)
		return mj_error_set(err, MJ_E_USAGE, files[MJ_RUN_MAX_TABLES], 0, 0,
				    "more than %d tables", MJ_RUN_MAX_TABLES);
	if (with_stats) {
		run->stats = calloc(nfiles, sizeof *run->stats);
		if (!run->stats)
			return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < nfiles; i++) {
		struct mj_error one;
		mj_error_clear(&one);
		struct mj_stats *sx = with_stats ? &run->stats[run->ntables] : NULL;
		struct mj_table *t = read_one(files[i], sx, &one);
		if (t) {
			run->tables[run->ntables++] = t;
			continue;
		}
		mj_stats_free(sx);
		if (run->opts.on_problem)
			run->opts.on_problem(run->opts.ctx, &one, 1);
		/* An unreadable file decides the status over a bad table. */
		if (st == MJ_OK || one.status == MJ_E_IO) {
			st = one.status;
			if (err)
				*err = one;
		}
	}
	return st;
}

unsigned mj_run_percents(const struct mj_table *t)
{
	return 1u << mj_table_default_percent(t);
}

int mj_run_wants_statistics(const struct mj_run *run)
{
	const struct mj_stats_opts *so = &run->stats_opts;
	return so->ci_level > 0 || so->test || so->compare || so->population ||
	       run->inputs.nnotes;
}

enum mj_status mj_run_table_statistics(struct mj_stats *s, const struct mj_table *t,
				       const struct mj_stats_opts *so, long percents,
				       const struct mj_run_opts *ro,
				       const struct mj_tab_spec *spec,
				       const char *const *files, size_t nfiles,
				       struct mj_error *err)
{
	struct mj_stats_opts one = *so;
	/* The test belongs to the cross-tabs. */
	if (!t->col_dim)
		one.test = 0;
	unsigned shown = percents < 0 ? mj_run_percents(t) : (unsigned)percents;
	return mj_stats_compute(s, t, &one, shown, ro, spec, files, nfiles, err);
}

enum mj_status mj_run_statistics(struct mj_run *run, long percents,
				 struct mj_error *err)
{
	if (!run->stats) {
		run->stats = calloc(run->ntables ? run->ntables : 1, sizeof *run->stats);
		if (!run->stats)
			return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		for (size_t i = 0; i < run->ntables; i++)
			mj_stats_init(&run->stats[i]);
	}
	int crosstabs = 0;
	for (size_t i = 0; i < run->ntables; i++)
		crosstabs += run->tables[i]->col_dim != NULL;
	if (run->stats_opts.test && crosstabs == 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--test needs a cross-tab, and no table has columns "
			"(mj-tab --by DIM --cols DIM makes one)");
	static const struct mj_tab_spec no_spec = {0};
	for (size_t i = 0; i < run->ntables; i++) {
		/* A layer's statistics come from its table alone (no
		 * comparison goes with layers). */
		enum mj_status st = mj_run_table_statistics(&run->stats[i], run->tables[i],
			&run->stats_opts, percents, &run->opts,
			run->spec_of[i] < run->nspecs ? &run->specs[run->spec_of[i]] : &no_spec,
			run->layer ? NULL : run->files, run->layer ? 0 : run->nfiles, err);
		if (st == MJ_OK)
			st = mj_tabsum_notes_add(&run->inputs, &run->stats[i]);
		if (st != MJ_OK)
			return st;
	}
	return MJ_OK;
}

enum mj_status mj_run_shown(struct mj_run *run, const char *show, const char *percent,
			    struct mj_write_opts *wo, struct mj_error *err)
{
	const struct mj_table *t = run->tables[0];
	enum mj_status st = MJ_OK;
	if (show && percent)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "--show and --percent both say what the cells show: give one");
	if (show && (st = mj_show_parse(show, t, NULL, &wo->percents, err)) != MJ_OK)
		return st;
	wo->show = show;
	if (percent && mj_run_percent_list(percent, &wo->percents, &wo->cumulative) != 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--percent: expected total, valid, cum, row, col or none, got \"%s\"", percent);
	if (!show && !percent)
		wo->percents = mj_run_percents(t);
	if ((st = mj_run_statistics(run, (long)wo->percents, err)) != MJ_OK)
		return st;
	wo->stats = &run->stats[0];
	return show ? mj_show_parse(show, t, wo->stats, NULL, err) : MJ_OK;
}

int mj_run_exit_status(const struct mj_run *run, enum mj_status st)
{
	return mj_exit_status(st, run->opts.strict, st == MJ_OK ? run->counts.rejected : 0);
}

int mj_run_percent_list(const char *arg, unsigned *percents, int *cumulative)
{
	static const struct { const char *name; int bit; } words[] = {
		{"total", MJ_PCT_TOTAL}, {"valid", MJ_PCT_VALID}, {"row", MJ_PCT_ROW},
		{"col", MJ_PCT_COL}, {"cum", -1}, {"none", -2},
	};
	*percents = 0;
	*cumulative = 0;
	for (const char *p = arg;; p++) {
		size_t len = strcspn(p, ","), k = 0;
		while (k < sizeof words / sizeof words[0] &&
		       (strlen(words[k].name) != len || strncmp(words[k].name, p, len) != 0))
			k++;
		if (len > 0 && k == sizeof words / sizeof words[0])
			return -1;
		if (len > 0 && words[k].bit >= 0)
			*percents |= 1u << words[k].bit;
		else if (len > 0 && words[k].bit == -1)
			*cumulative = 1;
		p += len;
		if (!*p)
			return 0;
	}
}
