/* The items a chart shows: one per row or column of its table, and which
 * dimensions are ordered (times, ages, ranges) and so keep their order. */
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"

static int dim_named(const char *dim, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(dim, *names) == 0)
			return 1;
	return 0;
}

int chart_dim_time(struct chart_ctx *c, const char *dim)
{
	static const char *const names[] = {"month", "quarter", "year", "date",
					    NULL};
	if (!dim)
		return 0;
	if (dim_named(dim, names))
		return 1;
	int d = c->s ? mj_schema_dim_find(c->s, dim) : -1;
	if (d < 0)
		return 0;
	enum mj_dim_kind k = mj_schema_dim_kind(c->s, (size_t)d);
	return k == MJ_DIM_DATE ||
	       (k == MJ_DIM_DERIVED && mj_schema_ncats(c->s, (size_t)d) == 0);
}

int chart_dim_ordered(struct chart_ctx *c, const char *dim)
{
	static const char *const names[] = {"age", "age_group", NULL};
	if (!dim)
		return 0;
	if (dim_named(dim, names) || chart_dim_time(c, dim))
		return 1;
	int d = c->s ? mj_schema_dim_find(c->s, dim) : -1;
	if (d < 0)
		return 0;
	if (mj_schema_dim_kind(c->s, (size_t)d) == MJ_DIM_INTEGER)
		return 1;
	/* Bins of a number (ranges) keep their order. */
	char buf[64];
	for (size_t i = 0; i < mj_schema_ncats(c->s, (size_t)d); i++)
		if (mj_schema_cat_attr(c->s, (size_t)d, i, "range", buf,
				       sizeof buf))
			return 1;
	return 0;
}

enum mj_status chart_row_items(struct chart_ctx *c, int level, size_t col,
			       struct chart_item **out, size_t *n)
{
	const struct mj_table *t = c->t;
	struct chart_item *items = calloc(t->nrows ? t->nrows : 1,
					  sizeof *items);
	if (!items)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	size_t k = 0;
	int parent = -1, nparents = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		if (row->kind == MJ_ROW_TOTAL)
			continue;
		if (row->level == 0)
			parent = nparents++;
		if (row->level != level)
			continue;
		/* "Not stated" that never occurs is left out of charts. */
		if (strcmp(row->codes[level], MJ_CODE_MISSING) == 0 &&
		    row->values[col] == 0 && !row->suppressed[col])
			continue;
		struct chart_item *it = &items[k];
		it->row = row;
		it->code = row->codes[level];
		it->label = row->labels[level];
		it->value = row->values[col];
		it->suppressed = row->suppressed[col];
		it->pct = mj_table_percent(t, row, col, MJ_PCT_TOTAL);
		it->missing = strcmp(it->code, MJ_CODE_MISSING) == 0;
		it->other = strcmp(it->code, CHART_CODE_OTHER) == 0;
		it->parent = level > 0 ? parent : -1;
		it->col = col;
		it->color = chart_cat_color(c, t->dims[level], it->code, k);
		chart_item_stats(c, it, row, col);
		k++;
	}
	*out = items;
	*n = k;
	return MJ_OK;
}

enum mj_status chart_col_items(struct chart_ctx *c, struct chart_item **out,
			       size_t *n)
{
	const struct mj_table *t = c->t;
	const struct mj_table_row *total = mj_table_total(t);
	struct chart_item *items = calloc(t->ncols, sizeof *items);
	if (!items)
		return mj_error_set(c->err, MJ_E_NOMEM, NULL, 0, 0,
				    "out of memory");
	size_t k = 0;
	for (size_t j = 0; j + 1 < t->ncols; j++) {
		struct chart_item *it = &items[k];
		it->code = t->col_codes[j];
		it->label = t->col_labels ? t->col_labels[j] : t->col_codes[j];
		it->value = total ? total->values[j] : 0;
		it->suppressed = total ? total->suppressed[j] : 0;
		it->pct = total ? mj_table_percent(t, total, j, MJ_PCT_TOTAL)
				: -1;
		it->missing = strcmp(it->code, MJ_CODE_MISSING) == 0;
		it->parent = -1;
		it->col = j;
		it->color = chart_cat_color(c, t->col_dim, it->code, k);
		k++;
	}
	*out = items;
	*n = k;
	return MJ_OK;
}
