/* The header of mj-tab --excel's CSV in the table's language. */
#ifndef MJ_CSVHEAD_H
#define MJ_CSVHEAD_H

#include <stdio.h>

#include "murojaat/stats.h"
#include "murojaat/table.h"

/* Whether t's labels are in a language whose Excel users read words, not
 * machine names, in the header (every language but English). */
int csvhead_wanted(const struct mj_table *t);

/* Writes to out the CSV text (len bytes: BOM, header line, rows) written
 * for Excel with delimiter delim, its header's machine names ("region_code",
 * "count", "row_percent") replaced by words of t's language ("Регион (код)",
 * "Число", "% по строке"); stats (may be NULL) gives the titles of its
 * columns. The rows are copied unchanged. */
void csvhead_put(FILE *out, const char *text, size_t len, char delim,
		 const struct mj_table *t, const struct mj_stats *stats);

#endif
