/* Nested columns of a table: which columns add up to which. */
#include <stdlib.h>

#include "murojaat/table.h"

void mj_col_nest_free(struct mj_col_nest *nest, size_t ncols)
{
	if (!nest)
		return;
	for (size_t k = 0; k < nest->ndims; k++) {
		free(nest->dims ? nest->dims[k] : NULL);
		free(nest->dim_labels ? nest->dim_labels[k] : NULL);
	}
	for (size_t i = 0; i < ncols * nest->ndims; i++) {
		free(nest->codes ? nest->codes[i] : NULL);
		free(nest->labels ? nest->labels[i] : NULL);
	}
	free(nest->dims);
	free(nest->dim_labels);
	free(nest->codes);
	free(nest->labels);
	free(nest->kinds);
	free(nest->levels);
	free(nest);
}

int mj_col_top(const struct mj_table *t, size_t c)
{
	if (c + 1 >= t->ncols)
		return 0;
	return !t->nest || t->nest->levels[c] == 0;
}

size_t mj_col_children(const struct mj_table *t, size_t c, size_t *out)
{
	const struct mj_col_nest *n = t->nest;
	if (!n || c >= t->ncols || n->kinds[c] != MJ_ROW_SUBTOTAL)
		return 0;
	/* A subtotal follows its children: the deeper columns before it, back
	 * to the previous column at its level or above. */
	size_t k = 0;
	for (size_t i = c; i-- > 0;) {
		if (n->levels[i] <= n->levels[c] || n->kinds[i] == MJ_ROW_TOTAL)
			break;
		if (n->levels[i] == n->levels[c] + 1)
			out[k++] = i;
	}
	/* In column order. */
	for (size_t i = 0; i < k / 2; i++) {
		size_t x = out[i];
		out[i] = out[k - 1 - i];
		out[k - 1 - i] = x;
	}
	return k;
}
