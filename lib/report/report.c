/* The monthly report: one tabulation for every standard breakdown, then the
 * summary, workbook, charts and PDF built in a temporary folder that is
 * swapped into place only when everything is written. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "murojaat/outfile.h"
#include "murojaat/report.h"
#include "murojaat/run.h"
#include "murojaat/tabsum.h"
#include "murojaat/xlsx.h"
#include "report_internal.h"
#include "murojaat/population.h"
#include "murojaat/period.h"

void mj_report_opts_init(struct mj_report_opts *opts,
			 const struct mj_run_opts *run)
{
	memset(opts, 0, sizeof *opts);
	opts->run = run;
}

/* Whether name is a chart that a report with schema writes in charts/. */
static int report_chart_file(const struct mj_schema *schema, const char *name)
{
	size_t nsec = mj_schema_nsections(schema);
	for (size_t i = 0; i < nsec; i++) {
		const struct mj_schema_section *sec = mj_schema_section(schema, i);
		for (size_t k = 0; k < sec->ncharts; k++) {
			char base[160];
			report_chart_name(sec, k, base, sizeof base);
			size_t n = strlen(base);
			if (strncmp(name, base, n) == 0 &&
			    (strcmp(name + n, ".png") == 0 || strcmp(name + n, ".svg") == 0))
				return 1;
		}
	}
	return 0;
}

/* Whether the entry name of the folder fd (opened from path, at depth 0
 * the report folder, at 1 its charts/) is one mj-report writes, of the
 * kind it writes: a regular file, or the folder charts/ holding nothing
 * but charts. Anything else, at any depth, means the folder is not ours
 * to replace. Sets err for the first entry that is not ours. */
static enum mj_status report_folder_check(int fd, const char *path, int depth,
					  const struct mj_schema *schema,
					  struct mj_error *err)
{
	static const char *const files[] = {
		"summary.md", "summary.txt", "report.xlsx", "report.pdf", "report.html",
	};
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(e));
	}
	enum mj_status status = MJ_OK;
	struct dirent *e;
	while (status == MJ_OK && (e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		struct stat sb;
		int ours = 0;
		if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
			if (depth == 0 && strcmp(name, "charts") == 0 && S_ISDIR(sb.st_mode)) {
				int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC);
				char *subpath = g_build_filename(path, name, NULL);
				if (sub < 0)
					status = mj_error_set(err, MJ_E_IO, subpath, 0, 0, "%s",
							      strerror(errno));
				else
					status = report_folder_check(sub, subpath, 1, schema, err);
				g_free(subpath);
				continue;
			}
			for (size_t i = 0; depth == 0 && i < sizeof files / sizeof files[0]; i++)
				ours |= strcmp(name, files[i]) == 0;
			if (depth == 1)
				ours = report_chart_file(schema, name);
			ours = ours && S_ISREG(sb.st_mode);
		}
		if (!ours)
			status = mj_error_set(err, MJ_E_USAGE, path, 0, 0,
				"holds \"%s\", which mj-report does not write; refusing to replace "
				"the folder (give a new or empty one)", name);
	}
	closedir(d);
	return status;
}

/* Checks that outdir is absent, or a folder holding only report files.
 * Sets *exists. */
static enum mj_status outdir_check(const char *outdir, const struct mj_schema *schema,
				   int *exists, struct mj_error *err)
{
	struct stat st;
	*exists = 0;
	if (lstat(outdir, &st) != 0) {
		if (errno == ENOENT)
			return MJ_OK;
		return mj_error_set(err, MJ_E_IO, outdir, 0, 0, "%s", strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return mj_error_set(err, MJ_E_USAGE, outdir, 0, 0,
				    "exists and is not a folder; give a folder for the report");
	int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return mj_error_set(err, MJ_E_IO, outdir, 0, 0, "%s", strerror(errno));
	*exists = 1;
	return report_folder_check(fd, outdir, 0, schema, err);
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a folder made by this run, with what is in it. */
static void tree_remove(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Puts the finished folder tmp in place of outdir. With an old outdir the
 * two are exchanged in one step where the file system allows, else the old
 * one is moved aside first and moved back if the second rename fails. */
static enum mj_status outdir_swap(const char *tmp, const char *outdir,
				  int exists, struct mj_error *err)
{
	if (!exists) {
		if (rename(tmp, outdir) != 0)
			return mj_error_set(err, MJ_E_IO, outdir, 0, 0,
					    "cannot rename %s into place: %s", tmp, strerror(errno));
		return MJ_OK;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, outdir, RENAME_EXCHANGE) == 0) {
		tree_remove(tmp); /* now the old report */
		return MJ_OK;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return mj_error_set(err, MJ_E_IO, outdir, 0, 0,
				    "cannot exchange it with %s: %s", tmp, strerror(errno));
	size_t n = strlen(outdir) + 16;
	char *old = malloc(n);
	if (!old)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	snprintf(old, n, "%s.oldXXXXXX", outdir);
	enum mj_status status = MJ_OK;
	/* No signal between the two renames: it would leave the old report
	 * aside and none in its place. */
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	int moved = 0;
	if (!mkdtemp(old)) {
		status = mj_error_set(err, MJ_E_IO, old, 0, 0, "%s", strerror(errno));
	} else if (rename(outdir, old) != 0) {
		status = mj_error_set(err, MJ_E_IO, outdir, 0, 0,
				      "cannot move it aside: %s", strerror(errno));
		rmdir(old);
	} else if (rename(tmp, outdir) != 0) {
		status = mj_error_set(err, MJ_E_IO, outdir, 0, 0,
				      "cannot rename %s into place: %s", tmp, strerror(errno));
		rename(old, outdir);
	} else {
		moved = 1;
	}
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (moved)
		tree_remove(old);
	free(old);
	return status;
}

/* Passes each problem on to the caller and keeps the positions of rejected
 * rows (one per row) for the method page. */
struct problem_log {
	struct report *r;
	void (*fwd)(void *ctx, const struct mj_error *problem, int fatal);
	void *fwd_ctx;
	char last_path[256];
	unsigned long last_line;
};

static void problem_log(void *ctx, const struct mj_error *e, int fatal)
{
	struct problem_log *log = ctx;
	if (log->fwd)
		log->fwd(log->fwd_ctx, e, fatal);
	if (e->status == MJ_OK || e->line == 0)
		return;
	if (e->line == log->last_line && strcmp(e->path, log->last_path) == 0)
		return;
	log->last_line = e->line;
	snprintf(log->last_path, sizeof log->last_path, "%s", e->path);
	struct report *r = log->r;
	if (r->rejected_listed >= REPORT_REJECTED_MAX) {
		r->rejected_more++;
		return;
	}
	char *base = g_path_get_basename(e->path);
	g_string_append_printf(r->rejected, "%s%s:%lu", r->rejected_listed ? ", " : "",
			       base, e->line);
	if (e->column)
		g_string_append_printf(r->rejected, ":%lu", e->column);
	g_free(base);
	r->rejected_listed++;
}

/* The input names as the report shows them: base names, so the same files
 * give the same report wherever they lie. */
static char *source_names(const char *const *files, size_t nfiles)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < nfiles; i++) {
		char *b = strcmp(files[i], "-") == 0 ? g_strdup("<stdin>")
			  : g_path_get_basename(files[i]);
		g_string_append_printf(s, "%s%s", i ? ", " : "", b);
		g_free(b);
	}
	return g_string_free(s, FALSE);
}

static char *path_join(const char *dir, const char *name)
{
	return g_build_filename(dir, name, NULL);
}

char *report_chart_name(const struct mj_schema_section *sec, size_t k,
			char *buf, size_t len)
{
	if (k == 0)
		snprintf(buf, len, "%s", sec->code);
	else
		snprintf(buf, len, "%s-%s", sec->code,
			 mj_chart_type_name((enum mj_chart_type)sec->charts[k]));
	return buf;
}

enum mj_status report_charts_write(const struct report *r, const char *dir,
				   struct mj_chart_batch *batch, struct mj_error *err)
{
	static const char *const ext[] = {".png", ".svg"};
	for (size_t i = 0; i < r->n; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (report_table_empty(r->t[i]))
			continue;
		/* With --month the period's months are one: the section's
		 * chart is the trend's, as on the pages. */
		if (report_trend_section(r, i) && sec->ncharts) {
			char base[160];
			report_chart_name(sec, 0, base, sizeof base);
			for (size_t e = 0; e < 2; e++) {
				char *name = g_strconcat(base, ext[e], NULL);
				char *path = g_build_filename(dir, "charts", name, NULL);
				enum mj_status st = report_trend_file(r, batch, path, err);
				g_free(path);
				g_free(name);
				if (st != MJ_OK)
					return st;
			}
			continue;
		}
		for (size_t k = 0; k < sec->ncharts; k++) {
			struct mj_chart_opts co;
			mj_chart_opts_init(&co);
			co.type = (enum mj_chart_type)sec->charts[k];
			co.lang = (int)r->lang;
			report_chart_stats(r, i, &co);
			/* Stacked bars show each row's mix; a map shades shares,
			 * or rates with a population (counts mostly show how many
			 * people live there), and its legend says which. */
			co.percent = co.type == MJ_CHART_STACKED || co.type == MJ_CHART_MAP;
			if (co.type == MJ_CHART_MAP && r->so && r->so->rate_per > 0 && r->sx &&
			    mj_stats_col(&r->sx[i], "rate")) {
				co.rates = 1;
				co.rate_per = r->so->rate_per;
				co.stats = &r->sx[i];
			}
			char base[160];
			report_chart_name(sec, k, base, sizeof base);
			for (size_t e = 0; e < 2; e++) {
				char *name = g_strconcat(base, ext[e], NULL);
				char *path = g_build_filename(dir, "charts", name, NULL);
				enum mj_status st = mj_chart_batch_write(batch, path, r->t[i],
									 r->schema, &co, err);
				g_free(path);
				g_free(name);
				if (st != MJ_OK)
					return st;
			}
		}
	}
	return MJ_OK;
}

/* A sum of a whole-number dimension of the schema is made in the pass of
 * the counts (the table sums it); any other sum needs a pass of its own. */
static const char *run_sum(const struct mj_schema *schema,
			   const struct mj_schema_section *sec)
{
	if (!sec->sum)
		return NULL;
	int d = mj_schema_dim_find(schema, sec->sum);
	return d >= 0 && mj_schema_dim_kind(schema, (size_t)d) == MJ_DIM_INTEGER ? NULL : sec->sum;
}

/* Whether two sections are counted in one pass: the same run-wide sum and
 * the same filters of their own. */
static int same_pass(const struct mj_schema *schema, const struct mj_schema_section *a,
		     const struct mj_schema_section *b)
{
	if (!report_same_str(run_sum(schema, a), run_sum(schema, b)) || a->nwhere != b->nwhere)
		return 0;
	for (size_t w = 0; w < a->nwhere; w++)
		if (strcmp(a->where[w], b->where[w]) != 0)
			return 0;
	return 1;
}

/* A month's row ("2023-08", labelled with its code) named as the report's
 * language names it: "August 2023", "Август 2023 г.", "2023-yil avgust". */
static enum mj_status month_label(const struct report *r, const char *code, char **label)
{
	char name[64];
	int month = report_month_code(code);
	if (month < 0 || !*label || strcmp(code, *label) != 0)
		return MJ_OK;
	report_trend_month(r, month, 4, name, sizeof name);
	return mj_table_set(label, name);
}

static enum mj_status month_labels(const struct report *r, struct mj_table *t)
{
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t d = 0; d < t->ndims && st == MJ_OK; d++)
			st = month_label(r, t->rows[i].codes[d], &t->rows[i].labels[d]);
	for (size_t c = 0; c < t->ncols && t->col_dim && !t->nest && st == MJ_OK; c++)
		st = month_label(r, t->col_codes[c], &t->col_labels[c]);
	return st;
}

/* Makes every section's table into out[] with the run options ro. The
 * first pass counts the sections that neither sum nor filter on their own;
 * it gives the run's counts (it reads the records even when no section is
 * in it) and, unless quiet, reports the problems. Each other sum or filter
 * makes one more quiet pass. */
static enum mj_status tabulate_sections(const struct report *r,
					const struct mj_run_opts *ro,
					const char *const *files, size_t nfiles,
					int quiet, struct mj_table **out,
					struct mj_run_stats *stats_out,
					struct mj_error *err)
{
	size_t n = r->n;
	size_t *idx = calloc(n, sizeof *idx);
	struct mj_tab_spec *specs = calloc(n, sizeof *specs);
	struct mj_table **made = calloc(n, sizeof *made);
	char *done = calloc(n, 1);
	enum mj_status st = MJ_OK;
	if (!idx || !specs || !made || !done) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	static const struct mj_schema_section plain;
	const struct mj_schema_section *key = &plain;
	for (int first = 1; key; first = 0) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			const struct mj_schema_section *sec = r->sections[i];
			if (done[i] || !same_pass(r->schema, sec, key))
				continue;
			done[i] = 1;
			idx[m] = i;
			specs[m++] = (struct mj_tab_spec){.by = sec->by, .cols = sec->cols,
				.sum = run_sum(r->schema, sec) ? NULL : sec->sum};
		}
		struct mj_run_opts o = *ro;
		o.sum = run_sum(r->schema, key);
		if (!first || quiet) {
			/* Its problems were reported by the first pass already. */
			o.on_problem = NULL;
			o.ctx = NULL;
			o.on_progress = NULL;
			o.strict = 0;
		}
		if (o.nwhere + key->nwhere > MJ_MAX_WHERE) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"section \"%s\": more than %d filters with the run's --where",
				key->code, MJ_MAX_WHERE);
			goto out;
		}
		for (size_t w = 0; w < key->nwhere; w++)
			o.where[o.nwhere++] = key->where[w];
		struct mj_run_stats stats;
		/* Tables among the inputs make the sections they can. */
		struct mj_tabsum_info info = {.partial = 1};
		st = mj_tabsum(&o, files, nfiles, specs, m, made, &stats, &info, err);
		mj_tabsum_info_free(&info);
		if (st != MJ_OK)
			goto out;
		if (first)
			*stats_out = stats;
		for (size_t k = 0; k < m; k++)
			out[idx[k]] = made[k];
		key = NULL;
		for (size_t i = 0; i < n && !key; i++)
			if (!done[i])
				key = r->sections[i];
	}
	for (size_t i = 0; i < n; i++) {
		const char *title = r->sections[i]->titles[r->lang];
		if (out[i] && ((title && mj_table_set(&out[i]->title, title) != MJ_OK) ||
			       month_labels(r, out[i]) != MJ_OK)) {
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
	}
out:
	free(idx);
	free(specs);
	free(made);
	free(done);
	return st;
}

/* Marks the notes section i's statistics gained since before as of kind. */
static void notes_kind(struct report *r, size_t i, size_t before, enum report_note kind)
{
	for (size_t k = before; k < r->sx[i].nnotes; k++)
		r->note_kind[i][k] = (unsigned char)kind;
}

/* Intervals, rates and tests of each table, as asked; each note is marked
 * with what it explains, so the PDF prints only those of what it shows. */
static enum mj_status report_statistics(struct report *r, const struct mj_run_opts *ro,
					struct mj_error *err)
{
	const struct mj_stats_opts *so = r->so;
	r->sx = calloc(r->n, sizeof *r->sx);
	r->note_kind = calloc(r->n, sizeof *r->note_kind);
	if (!r->sx || !r->note_kind)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < r->n; i++)
		mj_stats_init(&r->sx[i]);
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < r->n && st == MJ_OK; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		const struct mj_table *t = r->t[i];
		struct mj_stats *s = &r->sx[i];
		/* A sum is no proportion of people, and has no population. */
		if (sec->sum)
			continue;
		/* The percents of mentions of a multi-response dimension, and
		 * the test of a cross-tab, as the run computes them; intervals
		 * and rates below, each with its notes. */
		struct mj_stats_opts o;
		mj_stats_opts_init(&o);
		o.test = so->test;
		struct mj_tab_spec spec = {.by = sec->by, .cols = sec->cols};
		size_t before = s->nnotes;
		st = mj_run_table_statistics(s, t, &o, -1, ro, &spec, NULL, 0, err);
		notes_kind(r, i, before, REPORT_NOTE_MULTI);
		/* A month's share of a period of months is no sample proportion. */
		if (st == MJ_OK && so->ci_level > 0 && !mj_table_period_dim(t, r->schema)) {
			before = s->nnotes;
			st = mj_stats_ci(s, t, so->ci_level, so->ci_method, 0, err);
			notes_kind(r, i, before, REPORT_NOTE_CI);
		}
	}
	return st;
}

/* Rates per population beside each count table (after the comparison, so
 * the columns stand in the order mj-tab and mj-xlsx give them). */
static enum mj_status report_rates(struct report *r, struct mj_error *err)
{
	const struct mj_stats_opts *so = r->so;
	struct mj_population *pop = mj_population_read(so->population, r->schema, err);
	if (!pop)
		return err ? err->status : MJ_E_PARSE;
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < r->n && st == MJ_OK; i++) {
		if (r->sections[i]->sum)
			continue;
		size_t before = r->sx[i].nnotes;
		st = mj_stats_rates(&r->sx[i], r->t[i], pop, so->rate_per, err);
		notes_kind(r, i, before, REPORT_NOTE_RATES);
	}
	mj_population_destroy(pop);
	return st;
}

/* The same tables over the compared period, and each table's changes. */
static enum mj_status report_compare(struct report *r, const struct mj_run_opts *ro,
				     const char *const *files, size_t nfiles,
				     struct mj_error *err)
{
	enum mj_status st = mj_period_compare(ro->period, r->compare, r->compare_period,
					      sizeof r->compare_period, err);
	if (st != MJ_OK)
		return st;
	report_period_name(r, r->compare_period, r->compare_name, sizeof r->compare_name);
	r->prev = calloc(r->n, sizeof *r->prev);
	if (!r->prev)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	struct mj_run_opts o = *ro;
	o.period = r->compare_period;
	if ((st = tabulate_sections(r, &o, files, nfiles, 1, r->prev, &r->prev_stats,
				    err)) != MJ_OK)
		return st;
	if (r->prev_stats.counted == 0) {
		/* Changes against nothing would read as rises of everything. */
		r->compare_empty = 1;
		if (ro->on_problem) {
			struct mj_error note;
			mj_error_set(&note, MJ_OK, NULL, 0, 0,
				     "note: the compared period %s counts no records; the report shows no changes",
				     r->compare_period);
			ro->on_problem(ro->ctx, &note, 0);
		}
		return MJ_OK;
	}
	for (size_t i = 0; i < r->n && st == MJ_OK; i++)
		if (!mj_table_period_dim(r->t[i], r->schema)) {
			size_t before = r->sx[i].nnotes;
			st = mj_stats_compare(&r->sx[i], r->t[i], r->prev[i], err);
			notes_kind(r, i, before, REPORT_NOTE_COMPARE);
		}
	return st;
}

/* Keeps the sections that the inputs could make (tables may lack their
 * dimensions) and says which could not be made. */
static enum mj_status report_available(struct report *r, const struct mj_run_opts *ro,
				       struct mj_error *err)
{
	size_t kept = 0;
	GString *gone = g_string_new(NULL);
	for (size_t i = 0; i < r->n; i++) {
		if (r->t[i]) {
			r->sections[kept] = r->sections[i];
			r->t[kept++] = r->t[i];
		} else {
			g_string_append_printf(gone, "%s%s", gone->len ? ", " : "",
					       r->sections[i]->code);
		}
	}
	r->n = kept;
	enum mj_status st = MJ_OK;
	if (kept == 0)
		st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"none of the report's sections can be made from these inputs: the tables lack their dimensions");
	else if (gone->len) {
		r->unavailable = g_strdup(gone->str);
		if (ro->on_problem) {
			struct mj_error note;
			mj_error_set(&note, MJ_OK, NULL, 0, 0,
				     "note: not available from these inputs (the tables lack their dimensions): %s",
				     gone->str);
			ro->on_problem(ro->ctx, &note, 0);
		}
	}
	g_string_free(gone, TRUE);
	return st;
}

/* layer=DIM: the sections as copies, each layered section preceded by a
 * copy per category of DIM (then its "not stated"), filtered to it; the
 * copies' sheets follow one another where the section's was. The layer
 * is said in each copy's title after tabulation (report_layer_titles()). */
static enum mj_status report_layers(struct report *r, size_t n, struct mj_error *err)
{
	size_t total = 0;
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mj_schema_section *sec = mj_schema_section(r->schema, i);
		size_t m = 1;
		if (sec->layer) {
			int d = mj_schema_dim_find(r->schema, sec->layer);
			m += d < 0 ? 0 : mj_schema_ncats(r->schema, (size_t)d) + 1;
			any = 1;
		}
		total += m;
	}
	if (!any)
		return MJ_OK;
	r->copies = calloc(total, sizeof *r->copies);
	const struct mj_schema_section **secs = calloc(total, sizeof *secs);
	struct mj_table **t = calloc(total, sizeof *t);
	r->owned = g_ptr_array_new_with_free_func(g_free);
	if (!r->copies || !secs || !t) {
		free(secs);
		free(t);
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	free(r->sections);
	free(r->t);
	r->sections = secs;
	r->t = t;
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mj_schema_section *sec = mj_schema_section(r->schema, i);
		int d = sec->layer ? mj_schema_dim_find(r->schema, sec->layer) : -1;
		size_t m = d < 0 ? 0 : mj_schema_ncats(r->schema, (size_t)d) + 1;
		for (size_t k = 0; k <= m; k++) {
			struct mj_schema_section *c = &r->copies[at];
			*c = *sec;
			c->sheet = sec->sheet * 4096 + k;
			if (k < m) {
				const char *code = k + 1 < m ? mj_schema_cat_code(r->schema, (size_t)d, k)
							      : MJ_CODE_MISSING;
				char *own_code = g_strdup_printf("%s-%s", sec->code, code);
				char *where = g_strdup_printf("%s=%s", sec->layer, code);
				g_ptr_array_add(r->owned, own_code);
				g_ptr_array_add(r->owned, where);
				c->code = own_code;
				c->where[c->nwhere++] = where;
				c->ncharts = 0;
				c->say = MJ_SAY_NONE;
				c->say_code = NULL;
			} else {
				c->layer = NULL; /* the table over all layers */
			}
			r->sections[at++] = c;
		}
	}
	r->n = total;
	return MJ_OK;
}

/* The label of the category section i is a layer of ("Hotline 1146"),
 * or NULL when it is not one. */
static const char *report_layer_label(const struct report *r, size_t i)
{
	const struct mj_schema_section *sec = r->sections[i];
	if (!r->copies || !sec->layer || !sec->nwhere)
		return NULL;
	const char *code = strchr(sec->where[sec->nwhere - 1], '=') + 1;
	int d = mj_schema_dim_find(r->schema, sec->layer);
	int c = d < 0 ? -1 : mj_schema_cat_find(r->schema, (size_t)d, code);
	return c >= 0 ? mj_schema_cat_label(r->schema, (size_t)d, (size_t)c, r->lang)
		      : mj_schema_missing_label(r->schema, r->lang);
}

/* The title of each layer's table: "... · Channel: Hotline 1146", as
 * mj-tab --layer titles its tables. */
static enum mj_status report_layer_titles(struct report *r, struct mj_error *err)
{
	/* A "not stated" layer that counts nothing is left out (a layer per
	 * category of the schema is kept, zeros and all). */
	size_t kept = 0;
	for (size_t i = 0; r->copies && i < r->n; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		const struct mj_table_row *tot = r->t[i] ? mj_table_total(r->t[i]) : NULL;
		if (sec->layer && sec->nwhere && r->t[i] && tot &&
		    strcmp(strchr(sec->where[sec->nwhere - 1], '=') + 1, MJ_CODE_MISSING) == 0 &&
		    tot->values[r->t[i]->ncols - 1] == 0 && !tot->suppressed[r->t[i]->ncols - 1]) {
			mj_table_destroy(r->t[i]);
			continue;
		}
		r->sections[kept] = sec;
		r->t[kept++] = r->t[i];
	}
	if (r->copies)
		r->n = kept;
	for (size_t i = 0; r->copies && i < r->n; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (!sec->layer || !sec->nwhere || !r->t[i])
			continue;
		const char *label = report_layer_label(r, i);
		int d = mj_schema_dim_find(r->schema, sec->layer);
		struct mj_table *t = r->t[i];
		char *title = g_strdup_printf("%s · %s: %s", t->title ? t->title : "",
					      mj_schema_dim_label(r->schema, (size_t)d, r->lang), label);
		enum mj_status st = mj_table_set(&t->title, title);
		g_free(title);
		if (st != MJ_OK)
			return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	return MJ_OK;
}

/* Makes every section's table, and with a comparison the compared ones. */
static enum mj_status report_tabulate(struct report *r,
				      const struct mj_run_opts *ro,
				      const char *const *files, size_t nfiles,
				      struct mj_error *err)
{
	size_t n = mj_schema_nsections(r->schema);
	if (n == 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"the schema \"%s\" has no report sections (rows of kind section; see mj-report(1))",
			mj_schema_name(r->schema));
	if (r->compare && !ro->period)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare needs the period it compares: give --period (e.g. --period 2023-08 --compare previous)");
	r->n = n;
	r->sections = calloc(n, sizeof *r->sections);
	r->t = calloc(n, sizeof *r->t);
	if (!r->sections || !r->t)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n; i++)
		r->sections[i] = mj_schema_section(r->schema, i);
	enum mj_status st = report_layers(r, n, err);
	if (st != MJ_OK)
		return st;
	n = r->n;
	st = tabulate_sections(r, ro, files, nfiles, 0, r->t, &r->stats, err);
	if (st == MJ_OK)
		st = report_layer_titles(r, err);
	if (st != MJ_OK)
		return st;
	if ((st = report_available(r, ro, err)) != MJ_OK)
		return st;
	/* The run's filters as the tables say them. */
	for (size_t i = 0; i < n && !r->filters; i++)
		if (r->sections[i]->nwhere == 0)
			r->filters = r->t[i]->filters ? r->t[i]->filters : "";
	if (!r->filters) {
		GString *f = g_string_new(NULL);
		for (size_t w = 0; w < ro->nwhere; w++)
			g_string_append_printf(f, "%s%s", w ? "; " : "", ro->where[w]);
		r->filters = r->filters_owned = g_string_free(f, FALSE);
	}
	const struct mj_stats_opts *so = r->so;
	if (so && (so->ci_level > 0 || so->test || so->rate_per > 0 || so->compare) &&
	    (st = report_statistics(r, ro, err)) != MJ_OK)
		return st;
	if (r->compare && (st = report_compare(r, ro, files, nfiles, err)) != MJ_OK)
		return st;
	if (so && so->rate_per > 0 && so->population)
		st = report_rates(r, err);
	return st;
}

/* The workbook, made ready on the caller's thread and written on one of
 * the charts' batch: it only reads the tables the PDF and the web page
 * read meanwhile. */
struct xlsx_job {
	char *path;
	struct mj_xlsx_opts xo;
	struct mj_table **sheets;
	size_t nsheets;
	const struct mj_stats **sheet_stats;
	int *chart_types;
	const char **sheet_shows;
	const char **sheet_names;
	char **names;
	size_t nnames;
	struct report_trend_sheet ts;
};

static void xlsx_job_free(struct xlsx_job *job)
{
	g_free(job->path);
	free(job->sheets);
	free(job->sheet_stats);
	free(job->chart_types);
	free(job->sheet_shows);
	free(job->sheet_names);
	for (size_t i = 0; job->names && i < job->nnames; i++)
		g_free(job->names[i]);
	free(job->names);
	free(job);
}

static enum mj_status xlsx_job_run(void *arg, struct mj_error *err)
{
	struct xlsx_job *job = arg;
	enum mj_status st = mj_xlsx_write(job->path, job->sheets, job->nsheets, &job->xo, err);
	xlsx_job_free(job);
	return st;
}

/* Writes the workbook report.xlsx into dir, on a thread of batch. */
static enum mj_status report_xlsx(const struct report *r, const char *dir,
				  const char *const *files, size_t nfiles,
				  struct mj_chart_batch *batch, struct mj_error *err)
{
	struct xlsx_job *job = calloc(1, sizeof *job);
	if (!job)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	job->nnames = nfiles;
	job->names = calloc(nfiles ? nfiles : 1, sizeof *job->names);
	/* Sheets in the order the sections' sheet positions give (unique,
	 * checked when the schema was loaded), each with its statistics,
	 * the chart of the type the PDF draws and its show= (none: as
	 * without it). */
	job->sheets = calloc(r->n + 1, sizeof *job->sheets);
	job->sheet_stats = r->sx ? calloc(r->n + 1, sizeof *job->sheet_stats) : NULL;
	job->chart_types = calloc(r->n + 1, sizeof *job->chart_types);
	job->sheet_shows = calloc(r->n + 1, sizeof *job->sheet_shows);
	/* A layer's sheet is named by its layer ("Hotline 1146"), as
	 * mj-xlsx --layer names it. */
	job->sheet_names = calloc(r->n + 1, sizeof *job->sheet_names);
	if (!job->names || !job->sheets || (r->sx && !job->sheet_stats) || !job->chart_types ||
	    !job->sheet_shows || !job->sheet_names) {
		xlsx_job_free(job);
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < nfiles; i++)
		job->names[i] = strcmp(files[i], "-") == 0 ? g_strdup("<stdin>")
				: g_path_get_basename(files[i]);
	struct mj_xlsx_opts *xo = &job->xo;
	mj_xlsx_opts_init(xo);
	xo->lang = (int)r->lang;
	xo->schema = r->schema;
	xo->inputs = (const char *const *)job->names;
	xo->ninputs = nfiles;
	xo->have_counts = 1;
	xo->n_read = r->stats.read;
	xo->n_counted = r->stats.counted;
	xo->n_rejected = r->stats.rejected;
	xo->program = r->program;
	xo->date = r->date;
	for (size_t i = 0; i < r->n; i++) {
		/* The place among the sections made (all of them, unless tables
		 * among the inputs could not make some). */
		size_t at = 0;
		for (size_t k = 0; k < r->n; k++)
			at += r->sections[k]->sheet < r->sections[i]->sheet;
		job->sheets[at] = r->t[i];
		job->chart_types[at] = r->sections[i]->ncharts ? r->sections[i]->charts[0] : -1;
		if (job->sheet_stats)
			job->sheet_stats[at] = &r->sx[i];
		job->sheet_shows[at] = r->sections[i]->show;
		job->sheet_names[at] = report_layer_label(r, i);
	}
	/* After the sections, the main breakdown's mix by month, as the
	 * PDF's 100% bars. */
	job->nsheets = r->n;
	if (r->trend.mix) {
		char title[256];
		report_trend_mix_title(r, title, sizeof title);
		if (mj_table_set(&r->trend.mix->title, title) == MJ_OK) {
			job->sheets[job->nsheets] = r->trend.mix;
			job->chart_types[job->nsheets] = MJ_CHART_STACKED;
			job->nsheets++;
		}
	}
	xo->stats = job->sheet_stats;
	xo->chart_types = job->chart_types;
	xo->shows = job->sheet_shows;
	if (r->copies)
		xo->sheet_names = job->sheet_names;
	xo->month_dates = 1;
	if (report_trend_sheet(r, &job->ts))
		xo->trend = &job->ts.x;
	job->path = path_join(dir, "report.xlsx");
	return mj_chart_batch_run(batch, xlsx_job_run, job, err);
}

/* Writes every file of the report into dir. */
static enum mj_status report_build(const struct report *r, const char *dir,
				   const char *const *files, size_t nfiles,
				   struct mj_error *err)
{
	enum mj_status st;
	char *p = path_join(dir, "summary.md");
	st = report_summary_write(r, p, 1, err);
	g_free(p);
	if (st != MJ_OK)
		return st;
	p = path_join(dir, "summary.txt");
	st = report_summary_write(r, p, 0, err);
	g_free(p);
	if (st != MJ_OK)
		return st;

	/* The PNGs are painted and compressed, the SVGs written out and the
	 * workbook written, on threads of their own while this one draws the
	 * charts, the PDF and the web page (the charts first, so that the
	 * threads start early), and then writes those still waiting beside
	 * them; with --threads 1 (or without a batch), in turn. A failure of
	 * theirs came first. */
	struct mj_chart_batch *batch = r->threads == 1 ? NULL : mj_chart_batch_new();
	st = report_charts_write(r, dir, batch, err);
	if (st == MJ_OK)
		st = report_xlsx(r, dir, files, nfiles, batch, err);
	if (st == MJ_OK) {
		p = path_join(dir, "report.pdf");
		st = report_pdf_write(r, p, err);
		g_free(p);
	}
	if (st == MJ_OK) {
		p = path_join(dir, "report.html");
		st = report_html_write(r, p, err);
		g_free(p);
	}
	struct mj_error png_err;
	enum mj_status png_st = mj_chart_batch_finish(batch, &png_err);
	if (png_st != MJ_OK) {
		if (err)
			*err = png_err;
		return png_st;
	}
	return st;
}

enum mj_status mj_report_write(const char *outdir,
			       const struct mj_report_opts *opts,
			       const char *const *files, size_t nfiles,
			       struct mj_run_stats *stats_out,
			       struct mj_error *err)
{
	struct report r;
	memset(&r, 0, sizeof r);
	struct mj_schema *own_schema = NULL;
	char *dir = NULL, *tmp = NULL, *source = NULL;
	enum mj_status st = MJ_OK;
	int exists = 0;
	struct mj_stdin_copy copy = {.fd = -1};
	static const char *const stdin_only[] = {"-"};

	if (!opts || !opts->run || !outdir || !*outdir)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "no output folder");
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	size_t nstdin = 0;
	for (size_t i = 0; i < nfiles; i++)
		nstdin += strcmp(files[i], "-") == 0;
	if (nstdin > 1)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "standard input ('-') is named more than once");

	/* "out/" and "out" are the same folder; the temporary one is made
	 * beside it, so the final rename stays on one file system. */
	dir = g_strdup(outdir);
	for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	const struct mj_run_opts *run = opts->run;
	if (!run->schema) {
		own_schema = mj_schema_default(err);
		if (!own_schema) {
			st = err ? err->status : MJ_E_SCHEMA;
			goto done;
		}
	}
	const struct mj_schema *schema = run->schema ? run->schema : own_schema;
	if ((st = outdir_check(dir, schema, &exists, err)) != MJ_OK)
		goto done;
	/* The passes read a copy of standard input in its place. */
	struct mj_run_opts ro = *run;
	if ((st = mj_run_copy_stdin(&ro, files, nfiles, &copy, err)) != MJ_OK)
		goto done;
	ro.schema = run->schema ? run->schema : own_schema;
	ro.sum = NULL;
	r.rejected = g_string_new(NULL);
	struct problem_log log = {.r = &r, .fwd = run->on_problem, .fwd_ctx = run->ctx};
	ro.on_problem = problem_log;
	ro.ctx = &log;
	r.schema = ro.schema;
	r.lang = ro.lang;
	r.min_cell = ro.min_cell;
	r.threads = ro.threads;
	r.so = opts->stats;
	r.compare = opts->stats ? opts->stats->compare : NULL;
	if ((st = report_tabulate(&r, &ro, files, nfiles, err)) != MJ_OK)
		goto done;
	/* The month in its trend: the months before the period, counted apart. */
	if ((st = report_trend_count(&r, &ro, files, nfiles, err)) != MJ_OK)
		goto done;
	snprintf(r.date, sizeof r.date, "%s",
		 r.stats.period_to[0] ? r.stats.period_to : "2000-01-01");

	source = source_names(files, nfiles);
	r.source = source;
	/* The charts' notes name the inputs as the pages do, by base name:
	 * the same files give the same report wherever they lie. */
	for (size_t i = 0; i < r.n && st == MJ_OK; i++)
		if (mj_table_set(&r.t[i]->source, source) != MJ_OK)
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	if (st == MJ_OK && r.trend.mix && mj_table_set(&r.trend.mix->source, source) != MJ_OK)
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	if (st != MJ_OK)
		goto done;
	r.program = opts->program ? opts->program : "murojaat";

	size_t n = strlen(dir) + 16;
	tmp = malloc(n);
	if (!tmp) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	snprintf(tmp, n, "%s.tmpXXXXXX", dir);
	/* A signal removes it (the program's handler), from the moment it
	 * is made. */
	if (!mj_cleanup_mkdtemp(tmp)) {
		st = mj_error_set(err, MJ_E_IO, dir, 0, 0,
				  "cannot create a temporary folder beside it: %s",
				  strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	char *charts = path_join(tmp, "charts");
	if (mkdir(charts, 0777) != 0)
		st = mj_error_set(err, MJ_E_IO, charts, 0, 0, "%s", strerror(errno));
	g_free(charts);
	if (st == MJ_OK)
		st = report_build(&r, tmp, files, nfiles, err);
	/* Check again: the folder may have changed while the records were
	 * read. */
	if (st == MJ_OK)
		st = outdir_check(dir, schema, &exists, err);
	if (st == MJ_OK)
		st = outdir_swap(tmp, dir, exists, err);
	if (st != MJ_OK)
		tree_remove(tmp);
	mj_cleanup_remove(tmp);
done:
	if (stats_out)
		*stats_out = r.stats;
	report_trend_free(&r);
	for (size_t i = 0; r.t && i < r.n; i++)
		mj_table_destroy(r.t[i]);
	for (size_t i = 0; r.prev && i < r.n; i++)
		mj_table_destroy(r.prev[i]);
	for (size_t i = 0; r.sx && i < r.n; i++)
		mj_stats_free(&r.sx[i]);
	free(r.t);
	free(r.prev);
	free(r.sx);
	free(r.note_kind);
	mj_stdin_copy_close(&copy);
	free(r.sections);
	free(r.copies);
	if (r.owned)
		g_ptr_array_unref(r.owned);
	g_free(r.filters_owned);
	g_free(r.unavailable);
	mj_schema_destroy(own_schema);
	if (r.rejected)
		g_string_free(r.rejected, TRUE);
	free(tmp);
	g_free(source);
	g_free(dir);
	return st;
}
