/* Small-cell suppression for publication. */
#ifndef MJ_SUPPRESS_H
#define MJ_SUPPRESS_H

#include "murojaat/table.h"

/* Hide counts from 1 to min_cell - 1 (primary suppression, flagged
 * MJ_HIDDEN_PRIMARY), then hide the fewest further cells, smallest first,
 * so that no hidden value can be recomputed from its row, its column or a
 * subtotal: every line (the parts of a total and that total) ends up with
 * none or at least two hidden cells. Those further cells are flagged
 * MJ_HIDDEN_COMPLEMENT; they hold min_cell or more, since every smaller
 * non-zero count is already primary. Since the marks tell the kinds
 * apart, a line whose shown total would then pin its primary cells to
 * fewer values than 1..min_cell-1 gets one more complementary cell, until
 * none does. Cells the table already hides keep their kind unless they are
 * below min_cell. Returns MJ_OK or MJ_E_NOMEM. */
enum mj_status mj_table_suppress(struct mj_table *table, long min_cell);

#endif
