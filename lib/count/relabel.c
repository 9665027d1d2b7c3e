/* Relabelling: a table's labels in another language from the schema. */
#include "murojaat/relabel.h"

#include <string.h>

const char *mj_schema_code_label(const struct mj_schema *s, const char *dim,
				 const char *code, enum mj_lang lang)
{
	if (!s || !dim || !code)
		return NULL;
	if (strcmp(code, MJ_CODE_TOTAL) == 0)
		return mj_schema_total_label(s, lang);
	if (strcmp(code, MJ_CODE_MISSING) == 0)
		return mj_schema_missing_label(s, lang);
	int d = mj_schema_dim_find(s, dim);
	int c = d >= 0 ? mj_schema_cat_find(s, (size_t)d, code) : -1;
	return c >= 0 ? mj_schema_cat_label(s, (size_t)d, (size_t)c, lang)
		      : NULL;
}

/* *field becomes the schema's label for code, when it has one. */
static int relabel(char **field, const struct mj_schema *s, const char *dim,
		   const char *code, enum mj_lang lang)
{
	const char *label = mj_schema_code_label(s, dim, code, lang);
	return !label || mj_table_set(field, label) == MJ_OK;
}

/* *field becomes the schema's label for dimension dim, when it has one. */
static int relabel_dim(char **field, const struct mj_schema *s,
		       const char *dim, enum mj_lang lang)
{
	int d = mj_schema_dim_find(s, dim);
	return d < 0 ||
	       mj_table_set(field, mj_schema_dim_label(s, (size_t)d, lang)) == MJ_OK;
}

struct mj_table *mj_table_relabel(const struct mj_table *t,
				  const struct mj_schema *s, int lang,
				  struct mj_error *err)
{
	int to = s && lang >= 0 && lang < MJ_LANG_COUNT ? lang : -1;
	struct mj_table *copy = mj_table_new(t->ndims,
		(const char *const *)t->dims, t->col_dim, t->ncols,
		(const char *const *)t->col_codes,
		(const char *const *)t->col_labels);
	int ok = copy != NULL;
	for (size_t r = 0; ok && r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		struct mj_table_row *into = mj_table_add_row(copy, row->kind,
			row->level, (const char *const *)row->codes,
			(const char *const *)row->labels);
		ok = into != NULL;
		if (!ok)
			break;
		memcpy(into->values, row->values, t->ncols * sizeof *into->values);
		memcpy(into->suppressed, row->suppressed, t->ncols);
		for (size_t d = 0; to >= 0 && ok && d < t->ndims; d++)
			ok = relabel(&into->labels[d], s, t->dims[d],
				     row->codes[d], (enum mj_lang)to);
	}
	ok = ok && mj_table_set(&copy->title, to >= 0 ? NULL : t->title) == MJ_OK &&
	     mj_table_set(&copy->measure, t->measure) == MJ_OK &&
	     mj_table_set(&copy->weight, t->weight) == MJ_OK &&
	     mj_table_set(&copy->lang, to >= 0 ? mj_lang_tag((enum mj_lang)to)
					       : t->lang) == MJ_OK &&
	     mj_table_set(&copy->col_dim_label, t->col_dim_label) == MJ_OK &&
	     mj_table_set(&copy->period_from, t->period_from) == MJ_OK &&
	     mj_table_set(&copy->period_to, t->period_to) == MJ_OK &&
	     mj_table_set(&copy->filters, t->filters) == MJ_OK &&
	     mj_table_set(&copy->source, t->source) == MJ_OK;
	for (size_t d = 0; ok && d < t->ndims; d++) {
		ok = mj_table_set(&copy->dim_labels[d], t->dim_labels
				  ? t->dim_labels[d] : t->dims[d]) == MJ_OK;
		if (ok && to >= 0)
			ok = relabel_dim(&copy->dim_labels[d], s, t->dims[d],
					 (enum mj_lang)to);
	}
	if (ok && to >= 0 && t->col_dim) {
		ok = relabel_dim(&copy->col_dim_label, s, t->col_dim,
				 (enum mj_lang)to);
		for (size_t j = 0; ok && j < t->ncols; j++)
			ok = relabel(&copy->col_labels[j], s, t->col_dim,
				     t->col_codes[j], (enum mj_lang)to);
	}
	if (!ok) {
		mj_table_destroy(copy);
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	copy->n_read = t->n_read;
	copy->n_counted = t->n_counted;
	copy->n_rejected = t->n_rejected;
	copy->min_cell = t->min_cell;
	return copy;
}

int mj_table_label_lang(const struct mj_table *t, const struct mj_schema *s)
{
	int declared = t->lang ? mj_lang_parse(t->lang) : -1;
	if (!s)
		return declared;
	int best = declared, best_n = -1;
	for (int lang = 0; lang < MJ_LANG_COUNT; lang++) {
		int n = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			for (size_t d = 0; d < t->ndims; d++) {
				const char *l = mj_schema_code_label(s,
					t->dims[d], row->codes[d],
					(enum mj_lang)lang);
				n += l && strcmp(l, row->labels[d]) == 0;
			}
		}
		if (n > best_n || (n == best_n && lang == declared)) {
			best = lang;
			best_n = n;
		}
	}
	return best_n > 0 ? best : declared;
}
