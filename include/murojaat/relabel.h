/* Relabelling: a table's labels in another language, looked up in the
 * schema by code. The workbook and the chart writers both use it. */
#ifndef MUROJAAT_RELABEL_H
#define MUROJAAT_RELABEL_H

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"

/* The schema's label in lang for code of dimension dim: the total's and
 * "not stated"'s labels for MJ_CODE_TOTAL and MJ_CODE_MISSING, else the
 * category's. NULL when s, dim or code is NULL or the schema does not know
 * the dimension or the code. Borrowed from the schema. */
const char *mj_schema_code_label(const struct mj_schema *s, const char *dim,
				 const char *code, enum mj_lang lang);

/* A copy of t whose labels (rows', columns', dimensions') are the schema's
 * in lang where it has them, others kept, with lang as its language and no
 * title (a title in the old language would mislead). lang < 0: a plain
 * copy with t's title and language. Values, hidden cells, counts read and
 * min_cell are copied; the column nesting is not. The caller destroys the
 * copy; NULL (err set) when out of memory. */
struct mj_table *mj_table_relabel(const struct mj_table *t,
				  const struct mj_schema *s, int lang,
				  struct mj_error *err);

/* The language of t's labels: the one whose schema labels match most of
 * its rows' labels (a CSV table does not say), t's declared language on a
 * tie; -1 when neither says. */
int mj_table_label_lang(const struct mj_table *t, const struct mj_schema *s);

#endif
