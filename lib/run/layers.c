/* Layers (--layer DIM): a table per category of a dimension and one over
 * all, cut from one pass over the records, and their writing. */
#include "murojaat/layers.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/stats.h"

void mj_layers_destroy(struct mj_layers *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->codes[i]);
		free(l->labels[i]);
		mj_table_destroy(l->tables[i]);
	}
	free(l->codes);
	free(l->labels);
	free(l->tables);
	free(l->dim);
	free(l->dim_label);
	free(l);
}

/* a, sep and b joined in a new string, or NULL when out of memory. */
static char *join(const char *a, const char *sep, const char *b)
{
	size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a, sep, b);
	return s;
}

/* Whether the comma list holds name. */
static int list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && strncmp(p, name, n) == 0)
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

static struct mj_col_nest *nest_copy(const struct mj_col_nest *n, size_t ncols)
{
	struct mj_col_nest *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->ndims = n->ndims;
	c->dims = calloc(n->ndims, sizeof *c->dims);
	c->dim_labels = calloc(n->ndims, sizeof *c->dim_labels);
	c->codes = calloc(ncols * n->ndims, sizeof *c->codes);
	c->labels = calloc(ncols * n->ndims, sizeof *c->labels);
	c->kinds = malloc(ncols);
	c->levels = malloc(ncols * sizeof *c->levels);
	int ok = c->dims && c->dim_labels && c->codes && c->labels && c->kinds && c->levels;
	for (size_t k = 0; ok && k < n->ndims; k++)
		ok = (c->dims[k] = strdup(n->dims[k])) && (c->dim_labels[k] = strdup(n->dim_labels[k]));
	for (size_t i = 0; ok && i < ncols * n->ndims; i++)
		ok = (c->codes[i] = strdup(n->codes[i])) && (c->labels[i] = strdup(n->labels[i]));
	if (!ok) {
		mj_col_nest_free(c, ncols);
		return NULL;
	}
	memcpy(c->kinds, n->kinds, ncols);
	memcpy(c->levels, n->levels, ncols * sizeof *c->levels);
	return c;
}

/* Copies what was counted and how from p to t, the layer's title and
 * filter included. */
static int copy_about(struct mj_table *t, const struct mj_table *p, const char *layer,
		      const char *layer_label, const char *code, const char *label)
{
	int ok = 1;
	for (size_t i = 0; i < t->ndims; i++) {
		free(t->dim_labels[i]);
		ok &= (t->dim_labels[i] = strdup(p->dim_labels[i])) != NULL;
	}
	if (p->col_dim_label)
		ok &= mj_table_set(&t->col_dim_label, p->col_dim_label) == MJ_OK;
	ok &= mj_table_set(&t->measure, p->measure) == MJ_OK &&
	      mj_table_set(&t->weight, p->weight) == MJ_OK &&
	      mj_table_set(&t->lang, p->lang) == MJ_OK &&
	      mj_table_set(&t->period_from, p->period_from) == MJ_OK &&
	      mj_table_set(&t->period_to, p->period_to) == MJ_OK &&
	      mj_table_set(&t->source, p->source) == MJ_OK;
	/* "Appeals by region · Channel: Hotline 1146" */
	char *what = join(layer_label, ": ", label);
	t->title = what ? join(p->title ? p->title : "", p->title ? " · " : "", what) : NULL;
	free(what);
	if (code) {
		char *f = join(layer, "=", code);
		t->filters = f && p->filters ? join(p->filters, "; ", f) : f;
		if (f && p->filters)
			free(f);
		ok &= t->filters != NULL;
	} else {
		ok &= mj_table_set(&t->filters, p->filters) == MJ_OK;
	}
	t->n_read = p->n_read;
	t->n_counted = p->n_counted;
	t->n_rejected = p->n_rejected;
	t->min_cell = p->min_cell;
	if (p->nest)
		ok &= (t->nest = nest_copy(p->nest, p->ncols)) != NULL;
	return ok && t->title ? 0 : -1;
}

/* A new table like p with the rows of layered (whose outermost row
 * dimension is the layer) from row first, its layer's row, to before
 * end; NULL when out of memory. */
static struct mj_table *cut_layer(const struct mj_table *p, const struct mj_table *layered,
				  size_t first, size_t end)
{
	const struct mj_table_row *top = &layered->rows[first];
	struct mj_table *t = mj_table_new(p->ndims, (const char *const *)p->dims, p->col_dim,
					  p->ncols, (const char *const *)p->col_codes,
					  (const char *const *)p->col_labels);
	if (!t || copy_about(t, p, layered->dims[0], layered->dim_labels[0],
			     top->codes[0], top->labels[0]) != 0)
		goto fail;
	for (size_t r = first + 1; r < end; r++) {
		const struct mj_table_row *from = &layered->rows[r];
		struct mj_table_row *row = mj_table_add_row(t, from->kind, from->level - 1,
			(const char *const *)from->codes + 1, (const char *const *)from->labels + 1);
		if (!row)
			goto fail;
		memcpy(row->values, from->values, p->ncols * sizeof *row->values);
		memcpy(row->suppressed, from->suppressed, p->ncols);
	}
	/* The layer's own row is its total. */
	const struct mj_table_row *ptotal = mj_table_total(p);
	struct mj_table_row *row = mj_table_add_row(t, MJ_ROW_TOTAL, 0,
		(const char *const *)ptotal->codes, (const char *const *)ptotal->labels);
	if (!row)
		goto fail;
	memcpy(row->values, top->values, p->ncols * sizeof *row->values);
	memcpy(row->suppressed, top->suppressed, p->ncols);
	if (strcmp(p->measure, "count") == 0)
		t->n_counted = (unsigned long long)top->values[p->ncols - 1];
	return t;
fail:
	mj_table_destroy(t);
	return NULL;
}

static enum mj_status layers_add(struct mj_layers *l, struct mj_table *t,
				 const char *code, const char *label)
{
	size_t n = l->n + 1;
	char **codes = realloc(l->codes, n * sizeof *codes);
	if (codes)
		l->codes = codes;
	char **labels = realloc(l->labels, n * sizeof *labels);
	if (labels)
		l->labels = labels;
	struct mj_table **tables = realloc(l->tables, n * sizeof *tables);
	if (tables)
		l->tables = tables;
	char *c = strdup(code), *b = strdup(label);
	if (!codes || !labels || !tables || !c || !b) {
		free(c);
		free(b);
		mj_table_destroy(t);
		return MJ_E_NOMEM;
	}
	l->codes[l->n] = c;
	l->labels[l->n] = b;
	l->tables[l->n] = t;
	l->n = n;
	return MJ_OK;
}

enum mj_status mj_layers_tabulate(const struct mj_run_opts *opts,
				  const char *const *files, size_t nfiles,
				  const struct mj_tab_spec *spec, const char *layer,
				  struct mj_layers **out, struct mj_run_stats *stats,
				  struct mj_tabsum_info *info, struct mj_error *err)
{
	*out = NULL;
	if (spec->sum || opts->sum)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--layer counts appeals: not with --sum");
	/* One name as the schema spells it: a list would layer by its first
	 * name under the whole list's heading. */
	size_t len = strlen(layer);
	if (!len || strchr(layer, ',') || g_ascii_isspace(layer[0]) ||
	    g_ascii_isspace(layer[len - 1]))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--layer '%s': name one dimension (e.g. --layer channel)", layer);
	if (list_has(spec->by, layer) || list_has(spec->cols, layer))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--layer %s: '%s' is a dimension of the table already", layer, layer);
	char *by = join(layer, ",", spec->by ? spec->by : "");
	if (!by)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	struct mj_tab_spec specs[2] = {*spec, *spec};
	specs[1].by = by;
	struct mj_table *tables[2] = {NULL, NULL};
	enum mj_status st = mj_tabsum(opts, files, nfiles, specs, 2, tables, stats, info, err);
	free(by);
	if (st != MJ_OK)
		return st;
	const struct mj_table *p = tables[0], *lt = tables[1];
	struct mj_layers *l = calloc(1, sizeof *l);
	if (!l || !(l->dim = strdup(layer)) || !(l->dim_label = strdup(lt->dim_labels[0]))) {
		st = MJ_E_NOMEM;
		goto done;
	}
	/* Each layer is a row of the outermost level and the rows after it
	 * up to the next; the total row ends them. */
	for (size_t r = 0; r < lt->nrows && st == MJ_OK; r++) {
		const struct mj_table_row *top = &lt->rows[r];
		if (top->level != 0 || top->kind == MJ_ROW_TOTAL)
			continue;
		size_t end = r + 1;
		while (end < lt->nrows && lt->rows[end].level > 0 && lt->rows[end].kind != MJ_ROW_TOTAL)
			end++;
		/* No table for appeals that never leave the layer "not
		 * stated", nor for a layer whose total is hidden. */
		double all = top->values[lt->ncols - 1];
		if ((strcmp(top->codes[0], MJ_CODE_MISSING) == 0 && all == 0) ||
		    top->suppressed[lt->ncols - 1])
			continue;
		struct mj_table *t = cut_layer(p, lt, r, end);
		st = t ? layers_add(l, t, top->codes[0], top->labels[0]) : MJ_E_NOMEM;
	}
	if (st == MJ_OK) {
		/* The table over all layers is the one tabulated without. */
		const struct mj_table_row *total = mj_table_total(lt);
		struct mj_table *t = mj_table_new(p->ndims, (const char *const *)p->dims, p->col_dim,
						  p->ncols, (const char *const *)p->col_codes,
						  (const char *const *)p->col_labels);
		if (!t || !total || copy_about(t, p, layer, l->dim_label, NULL, total->labels[0]) != 0) {
			mj_table_destroy(t);
			st = MJ_E_NOMEM;
		} else {
			/* Its rows are p's: swap them in. */
			struct mj_table *q = tables[0];
			t->rows = q->rows;
			t->nrows = q->nrows;
			q->rows = NULL;
			q->nrows = 0;
			st = layers_add(l, t, MJ_CODE_TOTAL, total->labels[0]);
		}
	}
done:
	mj_table_destroy(tables[0]);
	mj_table_destroy(tables[1]);
	if (st != MJ_OK) {
		mj_layers_destroy(l);
		return mj_error_set(err, st, NULL, 0, 0, "out of memory");
	}
	*out = l;
	return MJ_OK;
}

enum mj_status mj_layers_stats(const struct mj_layers *l, const struct mj_stats_opts *o,
			       unsigned percents, const struct mj_run_opts *run,
			       const struct mj_tab_spec *spec,
			       const struct mj_tabsum_info *info,
			       struct mj_stats **out, struct mj_error *err)
{
	*out = calloc(l->n ? l->n : 1, sizeof **out);
	if (!*out)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	if (o->compare)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--compare does not go with --layer: compare one layer at a time "
			"(--where %s=CODE --compare ...)", l->dim);
	for (size_t i = 0; i < l->n; i++) {
		mj_stats_init(&(*out)[i]);
		enum mj_status st = mj_stats_compute(&(*out)[i], l->tables[i], o, percents, run,
						     spec, NULL, 0, err);
		if (st == MJ_OK && mj_tabsum_notes_add(info, &(*out)[i]) != MJ_OK)
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		if (st != MJ_OK)
			return st;
	}
	return MJ_OK;
}

void mj_layers_stats_free(struct mj_stats *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		mj_stats_free(&s[i]);
	free(s);
}

enum mj_status mj_layers_write(FILE *out, const struct mj_layers *l,
			       const struct mj_write_opts *o,
			       const struct mj_stats *stats, struct mj_error *err)
{
	if (o->format == MJ_FMT_JSON)
		fputs("[\n", out);
	for (size_t i = 0; i < l->n; i++) {
		struct mj_write_opts one = *o;
		one.layer_dim = l->dim;
		one.layer_code = l->codes[i];
		one.layer_label = l->labels[i];
		one.layer_next = i > 0;
		if (stats)
			one.stats = &stats[i];
		if (i > 0 && o->format == MJ_FMT_JSON)
			fputs(",\n", out);
		else if (i > 0 && (o->format == MJ_FMT_TEXT || o->format == MJ_FMT_MD))
			fputc('\n', out);
		enum mj_status st = mj_table_write(out, l->tables[i], &one, err);
		if (st != MJ_OK)
			return st;
	}
	if (o->format == MJ_FMT_JSON)
		fputs("]\n", out);
	if (fflush(out) != 0 || ferror(out))
		return mj_error_set(err, MJ_E_IO, NULL, 0, 0, "write error: %s", strerror(errno));
	return MJ_OK;
}
