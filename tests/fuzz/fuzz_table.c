/* libFuzzer target: the table reader (mj-tab's CSV, TSV and JSON read back
 * by mj-chart and mj-xlsx), then every writer on what it read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "murojaat/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	struct mj_table *t = mj_table_read_mem((const char *)data, size, "fuzz", &err);
	if (!t)
		return 0;
	FILE *null = fopen("/dev/null", "w");
	for (int f = 0; f < 5; f++) {
		struct mj_write_opts w;
		mj_write_opts_init(&w, t);
		w.format = (enum mj_format)f;
		w.percents = 0x1e;
		w.cumulative = 1;
		w.round_largest = f & 1;
		mj_table_write(null, t, &w, &err);
	}
	fclose(null);
	mj_table_destroy(t);
	return 0;
}
