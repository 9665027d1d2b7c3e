/* What the statistics modules share inside the library. */
#ifndef MJ_STATS_INTERNAL_H
#define MJ_STATS_INTERNAL_H

#include "murojaat/stats.h"

/* The language of t's labels (English when t names none). */
enum mj_lang stats_lang(const struct mj_table *t);

/* Appends to s a new column of NAN values, one per cell of t (with marks
 * allocated when want_marks); NULL with err set when s is full or memory
 * is short. */
struct mj_stat_col *stats_add_col(struct mj_stats *s, const struct mj_table *t,
				  const char *name, const char *title, int decimals,
				  int want_marks, struct mj_error *err);

#endif
