/* The items a chart shows: one per row or column of its table, and which
 * dimensions are ordered (times, ages, ranges) and so keep their order. */
#include <stdio.h>
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

/* --- what a chart leaves out --- */

/* "Not drawn, as they count none: %s." in each language, for several
 * and for one (Russian agrees in number: «Не указано» is one). */
static const char *const w_dropped[MJ_LANG_COUNT] = {
	"Not drawn, as they count none: %s.",
	"Не показаны на диаграмме, так как равны нулю: %s.",
	"Nolga teng bo\xca\xbblgani uchun diagrammada ko\xca\xbbrsatilmagan: %s.",
	"Нолга тенг бўлгани учун диаграммада кўрсатилмаган: %s."};
static const char *const w_dropped_one[MJ_LANG_COUNT] = {
	"Not drawn, as it counts none: %s.",
	"Не показано на диаграмме, так как равно нулю: %s.",
	"Nolga teng bo\xca\xbblgani uchun diagrammada ko\xca\xbbrsatilmagan: %s.",
	"Нолга тенг бўлгани учун диаграммада кўрсатилмаган: %s."};

static int cell_counts(const struct mj_table_row *row, size_t col)
{
	return row->suppressed[col] || row->values[col] != 0;
}

/* Appends label to the list unless it is there already, quoted as a
 * name in a sentence: «Не указано» in Russian and Uzbek, “Not stated” in
 * English (a label is capitalised as a table's row; bare, mid-sentence,
 * it read as a misplaced capital). */
static void list_add(GString *list, const char *label, int lang)
{
	/* A short label is not broken across lines («Не / указано»). */
	GString *kept = g_string_new(NULL);
	for (const char *p = label; *p; p++)
		if (*p == ' ' && strlen(label) <= 24)
			g_string_append(kept, "\u00a0");
		else
			g_string_append_c(kept, *p);
	char *quoted = lang == MJ_LANG_EN ? g_strdup_printf("\u201c%s\u201d", kept->str)
			: g_strdup_printf("\u00ab%s\u00bb", kept->str);
	g_string_free(kept, TRUE);
	char **have = g_strsplit(list->str, ", ", -1);
	int seen = 0;
	for (char **h = have; *h && !seen; h++)
		seen = strcmp(*h, quoted) == 0;
	g_strfreev(have);
	if (!seen)
		g_string_append_printf(list, "%s%s", list->len ? ", " : "", quoted);
	g_free(quoted);
}

static int time_dim(const struct mj_schema *s, const char *dim)
{
	struct chart_ctx c = {0};
	c.s = s;
	return chart_dim_time(&c, dim);
}

struct mj_table *mj_chart_shown(const struct mj_table *t, const struct mj_schema *schema,
				enum mj_chart_type type, int lang, char **note)
{
	if (note)
		*note = NULL;
	if (!t || t->ncols == 0)
		return NULL;
	size_t last = t->ncols - 1;
	/* A month without appeals is a point of the trend; a region without
	 * any is a tile of the map. */
	int keep_rows = type == MJ_CHART_MAP || time_dim(schema, t->dims[t->ndims - 1]);
	/* A sunburst needs an outer ring: when no inner category counts
	 * anything, the empty ones stay rather than the chart failing. */
	if (type == MJ_CHART_SUNBURST) {
		int ring = 0;
		for (size_t i = 0; i < t->nrows && !ring; i++)
			ring = t->rows[i].kind != MJ_ROW_TOTAL && t->rows[i].level == 1 &&
			       cell_counts(&t->rows[i], last);
		keep_rows |= !ring;
	}
	int keep_cols = !t->col_dim || t->nest || time_dim(schema, t->col_dim);
	size_t *keep = calloc(t->ncols, sizeof *keep);
	const char **codes = calloc(t->ncols, sizeof *codes);
	const char **labels = calloc(t->ncols, sizeof *labels);
	GString *gone = g_string_new(NULL);
	struct mj_table *c = NULL;
	if (!keep || !codes || !labels)
		goto out;
	size_t nk = 0;
	for (size_t k = 0; k < t->ncols; k++) {
		int any = k == last || keep_cols;
		for (size_t i = 0; i < t->nrows && !any; i++)
			any = cell_counts(&t->rows[i], k);
		if (any) {
			keep[nk] = k;
			codes[nk] = t->col_codes ? t->col_codes[k] : NULL;
			labels[nk++] = t->col_labels ? t->col_labels[k] : NULL;
		} else {
			list_add(gone, t->col_labels ? t->col_labels[k] : t->col_codes[k], lang);
		}
	}
	c = mj_table_new(t->ndims, (const char *const *)t->dims, t->col_dim, nk, codes, labels);
	if (!c)
		goto out;
	int ok = mj_table_set(&c->title, t->title) == MJ_OK &&
		 mj_table_set(&c->measure, t->measure) == MJ_OK &&
		 mj_table_set(&c->lang, t->lang) == MJ_OK &&
		 mj_table_set(&c->period_from, t->period_from) == MJ_OK &&
		 mj_table_set(&c->period_to, t->period_to) == MJ_OK &&
		 mj_table_set(&c->filters, t->filters) == MJ_OK &&
		 mj_table_set(&c->source, t->source) == MJ_OK;
	for (size_t d = 0; ok && d < t->ndims; d++)
		ok = mj_table_set(&c->dim_labels[d],
				  t->dim_labels ? t->dim_labels[d] : t->dims[d]) == MJ_OK;
	if (ok && t->col_dim)
		ok = mj_table_set(&c->col_dim_label, t->col_dim_label) == MJ_OK;
	c->n_read = t->n_read;
	c->n_counted = t->n_counted;
	c->n_rejected = t->n_rejected;
	c->min_cell = t->min_cell;
	for (size_t i = 0; ok && i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		/* An empty category or group is left out; the total stays. */
		if (row->kind != MJ_ROW_TOTAL && !keep_rows && !cell_counts(row, last)) {
			list_add(gone, row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
				       : mj_table_row_label(t, row), lang);
			continue;
		}
		struct mj_table_row *nr = mj_table_add_row(c, row->kind, row->level,
			(const char *const *)row->codes, (const char *const *)row->labels);
		if (!nr) {
			ok = 0;
			break;
		}
		for (size_t k = 0; k < nk; k++) {
			nr->values[k] = row->values[keep[k]];
			nr->suppressed[k] = row->suppressed[keep[k]];
		}
	}
	if (ok && note && gone->len) {
		int l = lang >= 0 && lang < MJ_LANG_COUNT ? lang : MJ_LANG_EN;
		GString *s = g_string_new(NULL);
		/* The format is one of the table above. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		char **items = g_strsplit(gone->str, ", ", -1);
		int one = g_strv_length(items) == 1;
		g_strfreev(items);
		g_string_append_printf(s, one ? w_dropped_one[l] : w_dropped[l], gone->str);
#pragma GCC diagnostic pop
		*note = strdup(s->str);
		g_string_free(s, TRUE);
		ok = *note != NULL;
	}
	if (!ok) {
		mj_table_destroy(c);
		c = NULL;
	}
out:
	g_string_free(gone, TRUE);
	free(keep);
	free(codes);
	free(labels);
	return c;
}
