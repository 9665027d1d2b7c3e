/* Multi-response dimensions (a record may name several categories):
 * counts of appeals, percents of appeals and of mentions. */
#ifndef MUROJAAT_MULTIRESP_H
#define MUROJAAT_MULTIRESP_H

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/stats.h"
#include "murojaat/table.h"

/* Multi-response dimensions ------------------------------------------------ */

/* Which dimension of t is multi-response in schema (attr multi: a record
 * may name several categories, "physical;psychological"): a row dimension
 * 0..ndims-1, ndims for the column dimension, or -1 when none. */
int mj_stats_multi_dim(const struct mj_table *t, const struct mj_schema *schema);
/* Whether some appeal of t named several categories of dimension which:
 * the categories then add up to more than the total. */
int mj_stats_multi_used(const struct mj_table *t, int which);
/* For a table by a multi-response dimension (which, from
 * mj_stats_multi_dim()): says in a note that counts are appeals naming
 * each category and percents are of appeals (cases), which add up to more
 * than 100, and adds "mention_percent", the percent of mentions
 * (responses), as SPSS MULT RESPONSE prints both. Nested tables get the
 * note only. */
enum mj_status mj_stats_multi(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_schema *schema, int which,
			      struct mj_error *err);

#endif
